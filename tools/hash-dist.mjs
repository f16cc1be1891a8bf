// Gives the wasm, the glue chunk and the words of other languages content-hashed names, so
// that a server may cache them for a year (SPEC 6.1): dist/article-embed-<16 hex>.wasm,
// .js and .json; writes the first two names and their SHA-384 (Subresource Integrity)
// into the loader, and the words' into the glue.
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
const integrity = (data) => JSON.stringify(`sha384-${createHash("sha384").update(data).digest("base64")}`);
const fail = (message) => {
  console.error(`tools/hash-dist.mjs: ${message}`);
  process.exit(1);
};

for (const old of readdirSync(DIST)) {
  if (/^article-embed(_bg|-[0-9a-f]{16})\.wasm$/.test(old) || /^article-embed-[0-9a-f]{16}\.(js|json)$/.test(old)) {
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
// The words of the other languages (www/src/wasm.js): named and pinned by the glue, whose
// own hash thereby covers them.
const words = readFileSync("www/src/words.json");
const wordsName = `article-embed-${hash(words)}.json`;
writeFileSync(join(DIST, wordsName), words);
const wordsPlaceholders = {
  '"./words.json"': JSON.stringify(`./${wordsName}`),
  '"@ARTICLE_EMBED_WORDS_INTEGRITY@"': integrity(words),
  '"@ARTICLE_EMBED_WORDS_LANGUAGES@"': JSON.stringify(Object.keys(JSON.parse(words)).join(" ")),
};
let hashedGlue = glue.replace(reference, JSON.stringify(wasmName));
for (const [placeholder, value] of Object.entries(wordsPlaceholders)) {
  if (hashedGlue.split(placeholder).length !== 2) fail(`${chunk} should name ${placeholder} exactly once`);
  hashedGlue = hashedGlue.replace(placeholder, value);
}
const glueName = `article-embed-${hash(hashedGlue)}.js`;
writeFileSync(join(DIST, glueName), hashedGlue);
rmSync(join(DIST, chunk));

// The loader starts the wasm's fetch itself, beside the glue's import, and checks both
// against their SHA-384 (www/src/snippet.js).
const placeholders = {
  '"@ARTICLE_EMBED_GLUE@"': JSON.stringify(`./${glueName}`),
  '"@ARTICLE_EMBED_GLUE_INTEGRITY@"': integrity(hashedGlue),
  '"@ARTICLE_EMBED_WASM@"': JSON.stringify(`./${wasmName}`),
  '"@ARTICLE_EMBED_WASM_INTEGRITY@"': integrity(wasm),
};
let entries = 0;
for (const entry of ["article-embed.js", "article-embed-frame.js", "article-embed-resizer.js"]) {
  let text = readFileSync(join(DIST, entry), "utf8");
  if (!text.includes(`./${chunk}`)) continue;
  for (const [placeholder, value] of Object.entries(placeholders)) {
    if (text.split(placeholder).length !== 2) fail(`${entry} imports the glue and should name ${placeholder} once`);
    text = text.replace(placeholder, value);
  }
  writeFileSync(join(DIST, entry), text.replaceAll(`./${chunk}`, `./${glueName}`));
  entries++;
}
if (entries === 0) fail(`no entry imports ${chunk}`);
console.log(`dist/${glueName}, dist/${wasmName}, dist/${wordsName}`);
