// The size budget (size-budget.json): what a reader downloads for one card, measured on
// the built dist/ with brotli -q 11. A size check, not a timing.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { BUDGET, sizes } from "../../tools/sizes.mjs";

const DIST = resolve(import.meta.dirname, "../../dist");
const brotli = (file) => sizes(readFileSync(join(DIST, file))).brotli;

test("the loader stays within its budget", () => {
  const loader = brotli("article-embed.js");
  assert.ok(loader <= BUDGET.loader, `loader: ${loader} B brotli > ${BUDGET.loader}`);
});

test("one client-rendered card stays within its budget", () => {
  const glue = readdirSync(DIST).filter((f) => /^article-embed-[0-9a-f]{16}\.js$/.test(f));
  assert.equal(glue.length, 1, `one content-hashed glue chunk expected, found ${glue.join(", ")}`);
  const wasm = readdirSync(DIST).filter((f) => /^article-embed-[0-9a-f]{16}\.wasm$/.test(f));
  assert.equal(wasm.length, 1, `one content-hashed wasm expected, found ${wasm.join(", ")}`);
  const total = brotli("article-embed.js") + brotli(glue[0]) + brotli(wasm[0]);
  assert.ok(total <= BUDGET.card, `card: ${total} B brotli > ${BUDGET.card}`);
});
