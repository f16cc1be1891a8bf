// Gives the wasm's imports and exports short names, in the wasm and in its glue alike.
// wasm-bindgen names every import after the JS function plus a 16-hex-digit hash
// (`__wbg_addEventListener_f2d27251d333a631`), its closure exports after their full Rust
// types, and puts every import in the module "./article-embed_bg.js": 130-odd long, random
// strings written twice, once in each file, which compression can do little with. The
// names only link the two files, so anything unique will do.
//   node tools/short-names.mjs www/pkg/article-embed.js www/pkg/article-embed_bg.wasm
import { readFileSync, writeFileSync } from "node:fs";

const [gluePath, wasmPath] = process.argv.slice(2);
const fail = (message) => {
  console.error(`tools/short-names.mjs: ${message}`);
  process.exit(1);
};
let glue = readFileSync(gluePath, "utf8");
const wasm = readFileSync(wasmPath);
const MODULE = "./article-embed_bg.js";
const SHORT_MODULE = "a";

// --- the binary format, as far as the import and export sections need it ----------------
class Reader {
  constructor(bytes, at = 0) {
    this.bytes = bytes;
    this.at = at;
  }
  byte() {
    return this.bytes[this.at++];
  }
  u32() {
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      const b = this.bytes[this.at++];
      result |= (b & 0x7f) << shift;
      if (!(b & 0x80)) return result >>> 0;
    }
  }
  name() {
    const length = this.u32();
    const text = new TextDecoder("utf-8", { fatal: true }).decode(this.bytes.subarray(this.at, this.at + length));
    this.at += length;
    return text;
  }
  limits() {
    const flags = this.byte();
    this.u32();
    if (flags & 1) this.u32();
  }
}
const u32 = (n) => {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return Buffer.from(out);
};
const encodeName = (text) => {
  const bytes = Buffer.from(text, "utf8");
  return Buffer.concat([u32(bytes.length), bytes]);
};

// `_0` … `_z`, `_10` …: valid identifiers, none of them a keyword.
let counter = 0;
const fresh = () => `_${(counter++).toString(36)}`;
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const count = (text, re) => text.split(re).length - 1;

const imports = new Map(); // old name → new
const exports = new Map();
const out = [wasm.subarray(0, 8)];
for (let r = new Reader(wasm, 8); r.at < wasm.length; ) {
  const id = r.byte();
  const size = r.u32();
  const end = r.at + size;
  let body = wasm.subarray(r.at, end);
  if (id === 2 || id === 7) {
    const s = new Reader(body);
    const entries = s.u32();
    const parts = [u32(entries)];
    for (let i = 0; i < entries; i++) {
      if (id === 2) {
        const module = s.name();
        const field = s.name();
        if (module !== MODULE) fail(`an import from "${module}", not "${MODULE}"`);
        // The glue defines each import as `name: function` (or `name:function` minified).
        if (count(glue, new RegExp(`\\b${escape(field)}\\s*:`)) !== 1) fail(`import ${field} is not defined once in ${gluePath}`);
        if (!imports.has(field)) imports.set(field, fresh());
        const from = s.at;
        const kind = s.byte();
        if (kind === 0) s.u32();
        else if (kind === 1) {
          s.byte();
          s.limits();
        } else if (kind === 2) s.limits();
        else if (kind === 3) {
          s.byte();
          s.byte();
        } else fail(`import kind ${kind}`);
        parts.push(encodeName(SHORT_MODULE), encodeName(imports.get(field)), body.subarray(from, s.at));
      } else {
        const field = s.name();
        const from = s.at;
        s.byte();
        s.u32();
        // The glue reads exports as `wasm.<name>`; any it reads otherwise keeps its name.
        const read = count(glue, new RegExp(`\\.${escape(field)}\\b`)) > 0 && field !== "memory";
        if (read) exports.set(field, fresh());
        parts.push(encodeName(exports.get(field) ?? field), body.subarray(from, s.at));
      }
    }
    if (s.at !== body.length) fail(`section ${id} has ${body.length - s.at} bytes left over`);
    body = Buffer.concat(parts);
  }
  out.push(Buffer.from([id]), u32(body.length), body);
  r.at = end;
}
if (!imports.size) fail("no imports found: is this wasm-bindgen's output?");

// --- the glue --------------------------------------------------------------------------
const moduleKey = new RegExp(`(["'])${escape(MODULE)}\\1`, "g");
if (count(glue, moduleKey) < 1) fail(`${gluePath} never names "${MODULE}"`);
glue = glue.replace(moduleKey, JSON.stringify(SHORT_MODULE));
for (const [from, to] of imports) glue = glue.replace(new RegExp(`\\b${escape(from)}(\\s*:)`), `${to}$1`);
for (const [from, to] of exports) glue = glue.replace(new RegExp(`\\.${escape(from)}\\b`, "g"), `.${to}`);

writeFileSync(wasmPath, Buffer.concat(out));
writeFileSync(gluePath, glue);
console.log(`${wasmPath}: ${imports.size} imports and ${exports.size} exports renamed`);
