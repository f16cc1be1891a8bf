// Benchmark of article-embed/server (not a test): what rendering the card costs a Node
// server. A fresh process per cold start (import + wasm instantiation + first card, as the
// first request after a deploy feels it), then the mean and percentiles of warm renders of
// the seed story, one at a time and 32 at once (a busy server's concurrent requests), and
// the process's memory before and after a soak of many more (a leak would show there).
//
//   node bench/server-render.mjs [--renders 2000] [--cold 5] [--soak 20000]
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { brotliDecompressSync } from "node:zlib";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const REPO = resolve(import.meta.dirname, "..");
const RENDERS = arg("renders", 2000);
const COLD = arg("cold", 5);
const SOAK = arg("soak", 20000);
const SERVER = join(REPO, "www/src/server.js");
const STORY = readFileSync(join(REPO, "articles/myanmar-diplomat.json"), "utf8");
const OPTIONS = { src: "/articles/myanmar-diplomat.json", signupEndpoint: "/api/subscribe" };

const cold = [];
for (let i = 0; i < COLD; i++) {
  const script = `const t0 = performance.now();
    const { renderToString } = await import(${JSON.stringify(SERVER)});
    await renderToString(${JSON.stringify(STORY)}, ${JSON.stringify(OPTIONS)});
    console.log(performance.now() - t0);`;
  cold.push(Number(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" })));
}

const { renderToString } = await import(SERVER);
await renderToString(STORY, OPTIONS);
const one = [];
let bytes = 0;
for (let i = 0; i < RENDERS; i++) {
  const t0 = performance.now();
  bytes = (await renderToString(STORY, OPTIONS)).length;
  one.push(performance.now() - t0);
}
const batch = 32;
const t0 = performance.now();
for (let i = 0; i < RENDERS; i += batch) {
  await Promise.all(Array.from({ length: batch }, () => renderToString(STORY, OPTIONS)));
}
const concurrentPerCard = (performance.now() - t0) / RENDERS;
const rss = () => Number((process.memoryUsage().rss / 1e6).toFixed(1));
const rssBefore = rss();
for (let i = 0; i < SOAK; i++) await renderToString(STORY, OPTIONS);
const rssAfter = rss();
// The wasm's own memory, through the glue directly: flat, or the renderer leaks.
const { instantiate } = await import(join(REPO, "www/pkg-server/article-embed-server.js"));
const { default: packed } = await import(join(REPO, "www/pkg-server/article-embed-server-wasm.js"));
const glue = instantiate(new WebAssembly.Module(brotliDecompressSync(Buffer.from(packed, "base64"))));
const pages = () => glue.memory.buffer.byteLength / 65536;
for (let i = 0; i < 1000; i++) glue.renderSnippet(STORY, OPTIONS).free();
const pagesBefore = pages();
for (let i = 0; i < SOAK; i++) glue.renderSnippet(STORY, OPTIONS).free();
const pagesAfter = pages();

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const pct = (xs, p) => sorted(xs)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const ms = (x) => Number(x.toFixed(3));
const report = {
  node: process.version,
  html_bytes: bytes,
  cold_start_ms: { runs: COLD, median: ms(pct(cold, 50)), max: ms(Math.max(...cold)) },
  warm_render_ms: { renders: RENDERS, mean: ms(mean(one)), p50: ms(pct(one, 50)), p95: ms(pct(one, 95)), p99: ms(pct(one, 99)) },
  concurrent_32_ms_per_card: ms(concurrentPerCard),
  rss_mb: { after_warm_renders: rssBefore, after_soak: rssAfter, soak_renders: SOAK },
  wasm_memory_pages: { after_1000_renders: pagesBefore, after_soak: pagesAfter },
};
console.log(JSON.stringify(report, null, 2));
writeFileSync(join(REPO, "bench/results/server-render.json"), `${JSON.stringify(report, null, 2)}\n`);
