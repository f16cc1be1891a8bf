// The wasm's glue and what runs beside it: one chunk, loaded only when a card needs the wasm.
import init, { Card, addWords, fingerprint, parseArticle, prover, stylesheet, wordsWanted } from "../pkg/article-embed.js";
import { prove } from "./proof.js";

let started;
const running = new Promise((resolve) => (started = resolve));

/**
 * Starts the wasm, and gives it the proof-of-work solver; `origin` is where the script
 * came from (the publisher's server), if it says.
 */
export default async function start(input, origin) {
  await init(input);
  prover((endpoint, mode) => prove(endpoint, mode, origin));
  started();
}

// The words of every language but English, which the wasm does not hold (tools/words.mjs).
// In dist/, tools/hash-dist.mjs gives the file a content-hashed name and writes its SHA-384
// and its languages over the placeholders, so a page that pins the script pins them too;
// in the npm package the placeholders stay: the fetch asks no integrity (the app's bundle
// is the pin), and nothing is fetched ahead.
const WORDS = new URL("./words.json", import.meta.url);
const PIN = "@ARTICLE_EMBED_WORDS_INTEGRITY@";
const LANGUAGES = "@ARTICLE_EMBED_WORDS_LANGUAGES@".split(" ");
let words;
let settled = false;

/** The file, fetched once for the page (10 s at most), its tables given to the wasm. */
function fetchWords() {
  return (words ??= fetch(WORDS, { integrity: PIN[0] == "s" ? PIN : "", signal: AbortSignal.timeout?.(1e4) })
    .then((response) => {
      if (!response.ok) throw Error(`HTTP ${response.status}`);
      return response.json();
    })
    .then(async (tables) => {
      await running;
      for (const tag in tables) if (!addWords(tag, tables[tag].join("\x1f"))) throw Error(`not this version's (${tag})`);
    })
    .catch((error) => console.warn(`article-embed: ${WORDS.href} did not load, the cards show English words: ${error.message}`))
    .finally(() => (settled = true)));
}

// A page in one of those languages, or a card that says it is in one, has its words
// fetched now, beside the wasm, rather than after it: a round trip less before the card.
if ([document.documentElement, ...document.querySelectorAll("article-embed[lang]")].some((el) => LANGUAGES.includes(el.lang.split("-")[0].toLowerCase()))) fetchWords();

/**
 * `null` when a card of `data` and `options` can be drawn now; else a promise that
 * resolves when it can. Should the file not come, or not be this version's, the cards show
 * English words from then on (a retry per card would hold each back as long).
 */
export function wordsFor(data, options) {
  return settled || !wordsWanted(data, options) ? null : fetchWords();
}

export { Card, fingerprint, parseArticle, stylesheet };
