// Prints what a reader downloads for one card: each file raw, gzip -9 and brotli -q 11;
// with --budget, the brotli total against size-budget.json's "card" budget.
//   node tools/sizes.mjs [--budget] FILE...
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

export function sizes(data) {
  return {
    raw: data.length,
    gzip: gzipSync(data, { level: 9 }).length,
    brotli: brotliCompressSync(data, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
    }).length,
  };
}

export const BUDGET = JSON.parse(readFileSync(new URL("../size-budget.json", import.meta.url), "utf8"));

const cli = process.argv[1] === fileURLToPath(import.meta.url);
const args = cli ? process.argv.slice(2) : [];
const withBudget = args.includes("--budget");
const files = args.filter((a) => a !== "--budget");
if (files.length) {
  const fmt = (n) => n.toLocaleString("en-US").padStart(10);
  const total = { raw: 0, gzip: 0, brotli: 0 };
  console.log(`${"file".padEnd(38)}${"raw".padStart(10)}${"gzip".padStart(10)}${"brotli".padStart(10)}`);
  for (const file of files) {
    const s = sizes(readFileSync(file));
    for (const k of Object.keys(total)) total[k] += s[k];
    console.log(`${basename(file).padEnd(38)}${fmt(s.raw)}${fmt(s.gzip)}${fmt(s.brotli)}`);
  }
  console.log(`${"total".padEnd(38)}${fmt(total.raw)}${fmt(total.gzip)}${fmt(total.brotli)}`);
  if (withBudget) {
    const over = total.brotli > BUDGET.card;
    console.log(`${"budget (brotli)".padEnd(58)}${fmt(BUDGET.card)}  ${over ? "OVER" : "ok"}`);
  }
}
