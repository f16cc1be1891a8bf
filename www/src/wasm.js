// The wasm's glue and what runs beside it: one chunk, loaded only when a card needs the wasm.
import init, { Card, addWords, fingerprint, parseArticle, prover, stylesheet, wordsWanted } from "../pkg/article-embed.js";
import { prove } from "./proof.js";

/**
 * Starts the wasm, and gives it the proof-of-work solver; `origin` is where the script
 * came from (the publisher's server), if it says.
 */
export default async function start(input, origin) {
  await init(input);
  prover((endpoint, mode) => prove(endpoint, mode, origin));
}

// The words of every language but English, which the wasm does not hold (tools/words.mjs).
// In dist/, tools/hash-dist.mjs gives the file a content-hashed name and writes its SHA-384
// over the placeholder, so a page that pins the script pins them too; in the npm package
// the placeholder stays, and the fetch asks no integrity (the app's bundle is the pin).
const WORDS = new URL("./words.json", import.meta.url);
const PIN = "@ARTICLE_EMBED_WORDS_INTEGRITY@";
let words;
let failed = false;

/**
 * `null` when the wasm holds the words of a card of `data` and `options`; else a promise
 * that resolves once it does. The first card in another language than English fetches the
 * file, once for the page; a file that does not come leaves the cards in English.
 */
export function wordsFor(data, options) {
  if (failed || !wordsWanted(data, options)) return null;
  return (words ??= fetch(WORDS, PIN[0] == "s" ? { integrity: PIN } : {})
    .then((response) => {
      if (!response.ok) throw Error(`HTTP ${response.status}`);
      return response.json();
    })
    .then((tables) => {
      for (const tag in tables) if (!addWords(tag, tables[tag].join("\x1f"))) throw Error(`not this version's (${tag})`);
    })
    .catch((error) => {
      failed = true;
      console.warn(`article-embed: ${WORDS.href} did not load, the cards show English words: ${error.message}`);
    }));
}

export { Card, fingerprint, parseArticle, stylesheet };
