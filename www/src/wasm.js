// The wasm's glue and what runs beside it: one chunk, loaded only when a card needs the wasm.
import init, { Card, fingerprint, parseArticle, prover, stylesheet } from "../pkg/article-embed.js";
import { prove } from "./proof.js";

/**
 * Starts the wasm, and gives it the proof-of-work solver; `origin` is where the script
 * came from (the publisher's server), if it says.
 */
export default async function start(input, origin) {
  await init(input);
  prover((endpoint, mode) => prove(endpoint, mode, origin));
}

export { Card, fingerprint, parseArticle, stylesheet };
