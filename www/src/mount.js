// mount(): the card without the custom element, for developers who render it themselves.

import { OPTIONS } from "./options.js";
import { adoptSheet, cardOptions, loadWasm, nextTurn } from "./runtime.js";

/** The options mount() takes: the card's, and where relative URLs of the data resolve. */
export const OPTION_NAMES = new Set([...Object.values(OPTIONS), "baseUrl"]);

function read({ parseArticle }, article, baseUrl) {
  let data;
  try {
    // JSON text or an object; either way the wasm reads it (and names what is wrong).
    data = parseArticle(article, baseUrl ?? document.baseURI);
  } catch (error) {
    // The message lists every problem with its field path.
    throw new Error(`article-embed: ${error.message}`);
  }
  // Fields that were dropped (a bad date, a javascript: link), each with its path.
  for (const warning of data.warnings) console.warn(`article-embed: ${warning}`);
  return data;
}

function checkOptions(options) {
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name)) throw new Error(`article-embed: unknown option "${name}"`);
  }
  return options;
}

/**
 * Renders a card for `article` (schema.org NewsArticle JSON-LD, as an object or JSON text)
 * inside `element`, in a shadow root of its own, after whatever `element` already holds.
 * Rejects with an Error naming the field when the data is bad.
 */
export async function mount(element, article, options = {}) {
  if (typeof document === "undefined") {
    throw new Error('article-embed: mount() runs in a browser; on a server, render the card with renderToString() from "article-embed/server"');
  }
  if (!(element instanceof Element)) throw new TypeError("article-embed: mount() needs a DOM element");
  let current = checkOptions({ ...options });
  const wasm = await loadWasm();
  await nextTurn(); // many cards mounted at once are drawn one per task
  let data = read(wasm, article, current.baseUrl);

  const host = document.createElement("div");
  host.className = "article-embed";
  const shadow = host.attachShadow({ mode: "open" });
  adoptSheet(shadow, wasm.sheet);
  const root = document.createElement("div");
  shadow.append(root);
  element.append(host);

  let card = new wasm.Card(root, host, () => {});
  // A card in another language than English waits for its words (www/src/wasm.js).
  const render = () => {
    if (!card) return; // unmounted while its words were on their way
    const { baseUrl, ...rest } = current;
    const settings = cardOptions(rest, host);
    const words = wasm.words(data, settings);
    if (words) return words.then(nextTurn).then(render);
    for (const message of card.render(data, settings)) console.warn(`article-embed: ${message}`);
  };
  try {
    await render();
  } catch (error) {
    card.free();
    host.remove();
    throw error;
  }

  return {
    /** Shows another article (and, optionally, new options); throws on bad data. */
    update(nextArticle, nextOptions) {
      if (!card) throw new Error("article-embed: update() after unmount()");
      const merged = nextOptions ? checkOptions({ ...current, ...nextOptions }) : current;
      const next = read(wasm, nextArticle, merged.baseUrl);
      data.free();
      data = next;
      current = merged;
      render();
    },
    /** Removes the card, its nodes and its listeners. */
    unmount() {
      if (!card) return;
      card.destroy();
      card.free();
      data.free();
      card = null;
      host.remove();
    },
  };
}
