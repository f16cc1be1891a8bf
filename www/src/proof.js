// Proof of work, for a server that asks for it (`article-embed serve --proof-of-work`, or any
// server speaking ALTCHA's protocol): a challenge from GET on the signup endpoint, solved
// with Web Crypto's SHA-256 while the reader types, sent with the signup as `altcha`.
// Digests are asked for 16 at a time and each resolves in a task of its own, so
// the page's own work, typing included, runs between them. It lives in the glue's chunk,
// loaded beside the wasm, not in the loader every page takes.

const solutions = new Map();
// Endpoints whose server asked for a solution it did not get.
const asks = new Set();

/**
 * The solution for `endpoint`, `mode` 0: started ahead, while the reader types; 1: taken
 * for one signup (the next one solves again); 2: the server refused a signup for want of
 * one. Ahead of time only where the server is known to answer the GET: the one the script
 * came from (`origin`), or one that asked before; any other endpoint (a publisher's own
 * API) is not sent a GET it would answer 404 or 405 to, in the host page's console.
 * Resolves to undefined where no solution is to be had: the signup goes without, and a
 * server that wants one says so (mode 2).
 */
export function prove(endpoint, mode, origin) {
  if (mode > 1) asks.add(endpoint);
  let got = solutions.get(endpoint);
  // Used while younger than 20 minutes: the server takes one for 30.
  if (mode > 1 || !got || Date.now() - got.at > 12e5) {
    let known = asks.has(endpoint);
    try {
      known ||= new URL(endpoint, document.baseURI).origin === origin;
    } catch {}
    if (!known) return;
    solutions.set(endpoint, (got = { at: Date.now(), altcha: solve(endpoint) }));
  }
  if (mode) solutions.delete(endpoint);
  return got.altcha;
}

async function solve(endpoint) {
  try {
    const { algorithm, challenge, maxnumber = 1e6, salt, signature } = await (await fetch(endpoint, { signal: AbortSignal.timeout(1e4) })).json();
    if (algorithm !== "SHA-256") return;
    const text = new TextEncoder();
    // The first 4 bytes of the challenge, as the digest's first word: one comparison a hash
    // (2.3 times as fast as comparing hex, bench/pow.mjs). A false match, one in 4 billion a
    // hash, is refused by the server and solved again.
    const want = parseInt(challenge.slice(0, 8), 16);
    for (let n = 0; n <= maxnumber; n += 16) {
      const batch = [];
      for (let i = n; i < n + 16 && i <= maxnumber; i++) batch.push(crypto.subtle.digest(algorithm, text.encode(salt + i)));
      const found = (await Promise.all(batch)).findIndex((digest) => new DataView(digest).getUint32(0) === want);
      if (found >= 0) return btoa(JSON.stringify({ algorithm, challenge, number: n + found, salt, signature }));
    }
  } catch {
    // No challenge (204), no server, no Web Crypto (an http: page): the signup goes without.
  }
}
