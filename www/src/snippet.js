// Entry of dist/article-embed.js, the one-file script of the snippet: registers the
// element as soon as it runs. Loading it twice (even from two URLs) is harmless.
import { define } from "./element.js";
import { locate } from "./runtime.js";

// tools/hash-dist.mjs writes the content-hashed names of the glue and the wasm, and their
// SHA-384, here: the wasm's fetch starts beside the glue's import, and both are checked,
// so that a page pinning this script with `integrity` pins everything it runs.
locate({
  glue: { url: new URL("@ARTICLE_EMBED_GLUE@", import.meta.url).href, integrity: "@ARTICLE_EMBED_GLUE_INTEGRITY@" },
  wasm: { url: new URL("@ARTICLE_EMBED_WASM@", import.meta.url).href, integrity: "@ARTICLE_EMBED_WASM_INTEGRITY@" },
});
define();
