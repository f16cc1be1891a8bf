// The wasm's glue and what runs beside it: one chunk, loaded only when a card needs the wasm.
import init, { Card, fingerprint, parseArticle, prover, stylesheet } from "../pkg/article-embed.js";
import { prove } from "./proof.js";

/** Starts the wasm, and gives it the proof-of-work solver. */
export default async function start(input) {
  await init(input);
  prover(prove);
}

export { Card, fingerprint, parseArticle, stylesheet };
