// article-embed/server: the card rendered to HTML on the server, in Node, by the same Rust
// components as in the browser and the same code as `article-embed snippet`: the element
// with its card in a declarative shadow root (shown before and without any script), its
// styles inside, the data for hydration. The wasm that does it is its own (Yew's server
// renderer), loaded only by this module: the browser's stays as small as it is.
//
// The wasm comes inside a JS module and is compiled when this module is imported, so that
// bundlers keep it working as they keep any module (no file to find beside the code), and a
// render does no I/O at all: it completes within the call (a page prerendered at build time
// may not wait for anything).

import { brotliDecompressSync } from "node:zlib";
import { OPTION_NAMES as MOUNT_OPTIONS } from "./mount.js";
import { instantiate } from "../pkg-server/article-embed-server.js";
import WASM from "../pkg-server/article-embed-server-wasm.js";

/** mount()'s options, and where the data is and the script tag. */
const OPTION_NAMES = new Set([...MOUNT_OPTIONS, "src", "script"]);

const module = new WebAssembly.Module(brotliDecompressSync(Buffer.from(WASM, "base64")));
let renderer = instantiate(module);

/**
 * Renders `<article-embed>` for `article` (schema.org NewsArticle JSON-LD, as an object or
 * JSON text), with the card inside. Rejects with an Error naming each bad field, as
 * `article-embed check` does; values it dropped (a `javascript:` link) are warned about.
 */
export async function renderToString(article, options = {}) {
  return renderToStringSync(article, options);
}

/**
 * What goes inside `<article-embed>` (the declarative shadow root with the card, the
 * fallback link, inline data): for frameworks that write the element themselves, such as
 * React with `dangerouslySetInnerHTML`. The element must carry the attributes these options
 * name, or the browser draws the card afresh instead of taking this one over.
 */
export async function renderInnerHTML(article, options = {}) {
  return renderInnerHTMLSync(article, options);
}

/** renderToString(), returning the string: for code that cannot wait. Throws what it rejects with. */
export function renderToStringSync(article, options = {}) {
  return render(article, options);
}

/** renderInnerHTML(), returning the string: for render functions that cannot wait (React's). */
export function renderInnerHTMLSync(article, options = {}) {
  if (options?.script !== undefined) throw new Error('article-embed: renderInnerHTML() takes no "script": the page loads the element itself');
  const html = render(article, options);
  // The start tag's attribute values are escaped: its first ">" ends it.
  return html.slice(html.indexOf(">") + 1, html.lastIndexOf("</article-embed>"));
}

function render(article, options) {
  if (options === null || typeof options !== "object") throw new TypeError("article-embed: options must be an object");
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name)) throw new Error(`article-embed: unknown option "${name}"`);
  }
  if (ArrayBuffer.isView(article) || article instanceof ArrayBuffer) {
    throw new TypeError("article-embed: the article must be JSON-LD text or an object, not bytes (decode them first)");
  }
  const text = typeof article === "string" ? article : JSON.stringify(article);
  if (typeof text !== "string") throw new TypeError("article-embed: the article must be JSON-LD: an object or its text");
  renderer ??= instantiate(module);
  let rendered;
  try {
    // Synchronous (see src/node.rs): a trap is thrown here, not lost in a microtask.
    rendered = renderer.renderSnippet(text, options);
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) {
      // A bug, never bad data (that is an Error from the renderer, below). The instance may
      // be left half-way through anything: the next render gets a fresh one.
      renderer = undefined;
      throw new Error(`article-embed: the renderer crashed (${error.message}); the next render starts a fresh one`, { cause: error });
    }
    throw new Error(`article-embed: ${error.message}`, { cause: error });
  }
  try {
    for (const warning of rendered.warnings) console.warn(`article-embed: ${warning}`);
    return rendered.html;
  } finally {
    rendered.free();
  }
}
