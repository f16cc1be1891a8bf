// Gives the wasm and the glue chunk content-hashed names, so that a server may cache them
// for a year (SPEC 6.1): dist/article-embed-<16 hex>.wasm and dist/article-embed-<16 hex>.js.
// The stable dist/article-embed.js (the snippet's script, short-cached) is rewritten to
// import the renamed glue, and the glue to fetch the renamed wasm, so a rebuild never pairs
// new glue with stale wasm however long either was cached. Run after esbuild.
//   node tools/hash-dist.mjs
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const DIST = "dist";
const WASM = "www/pkg/article-embed_bg.wasm";
const hash = (data) => createHash("sha256").update(data).digest("hex").slice(0, 16);
const fail = (message) => {
  console.error(`tools/hash-dist.mjs: ${message}`);
  process.exit(1);
};

for (const old of readdirSync(DIST)) {
  if (/^article-embed(_bg|-[0-9a-f]{16})\.wasm$/.test(old) || /^article-embed-[0-9a-f]{16}\.js$/.test(old)) {
    rmSync(join(DIST, old));
  }
}

const wasm = readFileSync(WASM);
const wasmName = `article-embed-${hash(wasm)}.wasm`;
writeFileSync(join(DIST, wasmName), wasm);

// esbuild's chunks: article-embed-<8 of its hash alphabet>.js.
const chunks = readdirSync(DIST).filter((f) => /^article-embed-[A-Z0-9]{8}\.js$/.test(f));
if (chunks.length !== 1) fail(`expected one glue chunk from esbuild, found ${chunks.join(", ") || "none"}`);
const [chunk] = chunks;
const glue = readFileSync(join(DIST, chunk), "utf8");
const reference = '"article-embed_bg.wasm"';
if (glue.split(reference).length !== 2) fail(`${chunk} should name ${reference} exactly once`);
const hashedGlue = glue.replace(reference, JSON.stringify(wasmName));
const glueName = `article-embed-${hash(hashedGlue)}.js`;
writeFileSync(join(DIST, glueName), hashedGlue);
rmSync(join(DIST, chunk));

// The loader starts the wasm's fetch itself, beside the glue's import (www/src/runtime.js).
const wasmPlaceholder = '"@ARTICLE_EMBED_WASM@"';
let entries = 0;
let named = 0;
for (const entry of ["article-embed.js", "article-embed-frame.js", "article-embed-resizer.js"]) {
  const text = readFileSync(join(DIST, entry), "utf8");
  if (!text.includes(`./${chunk}`)) continue;
  named += text.split(wasmPlaceholder).length - 1;
  writeFileSync(join(DIST, entry), text.replaceAll(`./${chunk}`, `./${glueName}`).replaceAll(wasmPlaceholder, JSON.stringify(wasmName)));
  entries++;
}
if (entries === 0) fail(`no entry imports ${chunk}`);
if (named !== entries) fail(`each entry that imports the glue should name ${wasmPlaceholder} once`);
console.log(`dist/${glueName}, dist/${wasmName}`);
