// The side-by-side benchmark (make bench; not a test): the seed card delivered four ways,
// measured in one run in Debian's Chromium, pages served on 127.0.0.1.
//   a. static   — the card's HTML inlined (server-rendered, no script): the limit for paint
//   b. vanilla  — bench/vanilla-element.js draws the same markup from the same JSON
//   c. client   — this widget, rendered in the browser from src
//   d. ssr      — this widget's snippet: server-rendered, hydrated
// None shows the signup form (the vanilla element has none). Writes bench/results/report.md,
// report.json and chart.svg.
//   node bench/run.mjs [--runs 15] [--scale-runs 5]
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { startServer } from "../tools/serve.mjs";
import { sizes } from "../tools/sizes.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg("runs", 15);
const SCALE_RUNS = arg("scale-runs", 5);
const REPO = resolve(import.meta.dirname, "..");
const BIN = join(REPO, "target/debug/article-embed");
const OUT = join(REPO, "dist/bench");
const VARIANTS = ["static", "vanilla", "client", "ssr"];

// --- pages ---------------------------------------------------------------------------
mkdirSync(OUT, { recursive: true });
const css = readFileSync(join(REPO, "src/card.css"), "utf8");
writeFileSync(join(OUT, "vanilla-element.js"), readFileSync(join(REPO, "bench/vanilla-element.js"), "utf8").replace("__CARD_CSS__", JSON.stringify(css)));
const snippet = execFileSync(BIN, ["snippet", "articles/myanmar-diplomat.json", "--src", "/articles/myanmar-diplomat.json", "--script", "/dist/article-embed.js"], { cwd: REPO, encoding: "utf8" });
const script = '<script type="module" src="/dist/article-embed.js"></script>';
const staticCard = snippet.replace(script, "").trim();
const card = {
  static: () => staticCard,
  vanilla: () => '<vanilla-article src="/articles/myanmar-diplomat.json"></vanilla-article>',
  client: () => '<article-embed src="/articles/myanmar-diplomat.json"></article-embed>',
  ssr: () => staticCard,
};
const tail = {
  static: "",
  vanilla: '<script type="module" src="/dist/bench/vanilla-element.js"></script>',
  client: script,
  ssr: script,
};
function page(variant, n) {
  const cards = Array.from({ length: n }, () => `<div class="slot">${card[variant]()}</div>`).join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>bench ${variant} ×${n}</title>
<style>body{margin:0;padding:16px;font-family:system-ui,sans-serif}.slot{max-inline-size:640px;margin-block:16px}</style>
</head><body>
${cards}
${tail[variant]}
</body></html>
`;
}
for (const variant of VARIANTS) for (const n of [1, 10, 100]) writeFileSync(join(OUT, `${variant}-${n}.html`), page(variant, n));

// --- measuring -------------------------------------------------------------------------
const server = await startServer({ port: 0, quiet: true });
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-quic"],
});

const OBSERVE = () => {
  window.__longtasks = [];
  window.__shift = 0;
  new PerformanceObserver((l) => window.__longtasks.push(...l.getEntries().map((e) => e.duration))).observe({ type: "longtask", buffered: true });
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
  }).observe({ type: "layout-shift", buffered: true });
};

async function load(variant, n, throttle) {
  const context = await browser.newContext({ viewport: { width: 800, height: 1000 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  if (throttle > 1) await cdp.send("Emulation.setCPUThrottlingRate", { rate: throttle });
  await page.addInitScript(OBSERVE);
  await page.goto(`${server.url}/dist/bench/${variant}-${n}.html`, { waitUntil: "load" });
  // "Painted": for HTML cards, the first contentful paint (the card is the content); for
  // script-drawn cards, the frame after the last card has its DOM.
  let painted;
  if (variant === "static" || variant === "ssr") {
    await page.waitForFunction(() => performance.getEntriesByName("first-contentful-paint").length > 0);
    painted = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0].startTime);
  } else {
    await page.waitForFunction((count) => document.querySelectorAll("[state=ready]").length === count, n, { timeout: 60_000 });
    painted = await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now()))));
  }
  if (variant === "ssr") {
    // Let the cards in view hydrate, so that their script time is counted.
    await page.waitForFunction(() => document.querySelector("article-embed")?.getAttribute("state") === "ready", null, { timeout: 60_000 });
  }
  await page.waitForTimeout(300);
  const { metrics } = await cdp.send("Performance.getMetrics");
  const metric = (name) => metrics.find((m) => m.name === name)?.value ?? 0;
  const seen = await page.evaluate(() => ({
    longtasks: window.__longtasks,
    shift: window.__shift,
    resources: performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname),
  }));
  await context.close();
  return {
    painted,
    script_ms: metric("ScriptDuration") * 1000,
    heap_mb: metric("JSHeapUsedSize") / 1048576,
    longtasks: seen.longtasks.length,
    longtask_ms: seen.longtasks.reduce((a, b) => a + b, 0),
    shift: seen.shift,
    wasm: seen.resources.filter((p) => p.endsWith(".wasm")).length,
    resources: [`/dist/bench/${variant}-${n}.html`, ...new Set(seen.resources)],
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return [s[Math.floor(s.length * 0.1)], s[Math.ceil(s.length * 0.9) - 1]];
};
function bytes(resources) {
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const path of resources) {
    try {
      const s = sizes(readFileSync(join(REPO, decodeURIComponent(path))));
      for (const k of Object.keys(total)) total[k] += s[k];
    } catch {
      // not a file of ours
    }
  }
  return total;
}
async function series(variant, n, throttle, runs) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await load(variant, n, throttle));
  const pick = (k) => results.map((r) => r[k]);
  return {
    variant, n, throttle, runs,
    painted_ms: median(pick("painted")), painted_p10_p90: spread(pick("painted")),
    script_ms: median(pick("script_ms")), heap_mb: median(pick("heap_mb")),
    longtasks: median(pick("longtasks")), longtask_ms: median(pick("longtask_ms")),
    shift: Math.max(...pick("shift")), wasm_instances: Math.max(...pick("wasm")),
    bytes: bytes(results[0].resources),
  };
}

const rows = [];
for (const throttle of [1, 4]) for (const variant of VARIANTS) rows.push(await series(variant, 1, throttle, RUNS));
const scale = [];
for (const n of [1, 10, 100]) for (const variant of VARIANTS) scale.push(await series(variant, n, 1, SCALE_RUNS));
await browser.close();
await server.close();

// --- report ----------------------------------------------------------------------------
const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB; Chromium ${execFileSync("/usr/bin/chromium", ["--version"], { encoding: "utf8" }).trim().replace(/^Chromium /, "")}`;
const fmt = (x, d = 0) => Number(x).toFixed(d);
const kb = (b) => (b / 1024).toFixed(1);
const base = (throttle, variant) => rows.find((r) => r.throttle === throttle && r.variant === variant);
let md = `# Benchmark: one seed card, four ways\n\nRun ${new Date().toISOString()} on ${machine}.\n` +
  `Median of ${RUNS} loads per cell (p10–p90 in brackets); absolute times are noisy here, the ratios within one run are what count.\n\n` +
  `| variant | CPU | painted ms | ÷ static | ÷ vanilla | script ms | long tasks (ms) | layout shift | JS heap MB | bytes raw / gzip / brotli KB | wasm |\n|---|---|---|---|---|---|---|---|---|---|---|\n`;
for (const r of rows) {
  md += `| ${r.variant} | ${r.throttle}× | ${fmt(r.painted_ms)} (${fmt(r.painted_p10_p90[0])}–${fmt(r.painted_p10_p90[1])}) | ${fmt(r.painted_ms / base(r.throttle, "static").painted_ms, 2)} | ${fmt(r.painted_ms / base(r.throttle, "vanilla").painted_ms, 2)} | ${fmt(r.script_ms)} | ${r.longtasks} (${fmt(r.longtask_ms)}) | ${fmt(r.shift, 3)} | ${fmt(r.heap_mb, 1)} | ${kb(r.bytes.raw)} / ${kb(r.bytes.gzip)} / ${kb(r.bytes.brotli)} | ${r.wasm_instances} |\n`;
}
md += `\n## At scale (unthrottled, median of ${SCALE_RUNS})\n\n| variant | cards | all painted ms | × the 10-card time | JS heap MB | wasm fetched |\n|---|---|---|---|---|---|\n`;
for (const r of scale) {
  const ten = scale.find((s) => s.variant === r.variant && s.n === 10);
  md += `| ${r.variant} | ${r.n} | ${fmt(r.painted_ms)} | ${fmt(r.painted_ms / ten.painted_ms, 2)} | ${fmt(r.heap_mb, 1)} | ${r.wasm_instances} |\n`;
}
md += `\n"painted": first contentful paint for cards in the HTML (static, ssr); the frame after the last card is drawn for cards drawn by script (vanilla, client). Bytes: every file the page fetched, compressed here with gzip -9 and brotli -q 11 (the test server sends them uncompressed).\n`;

// A bar chart of the painted medians, unthrottled and 4× throttled.
const max = Math.max(...rows.map((r) => r.painted_ms));
const bar = (r, i) => {
  const y = 40 + i * 34;
  const w = (r.painted_ms / max) * 460;
  return `<text x="10" y="${y + 16}" font-size="13">${r.variant} ${r.throttle}×</text><rect x="120" y="${y}" width="${w.toFixed(1)}" height="22" fill="${r.throttle > 1 ? "#b3261e" : "#0b57d0"}"/><text x="${(126 + w).toFixed(1)}" y="${y + 16}" font-size="12">${fmt(r.painted_ms)} ms</text>`;
};
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="680" height="${60 + rows.length * 34}" font-family="system-ui, sans-serif"><rect width="100%" height="100%" fill="#fff"/><text x="10" y="24" font-size="15" font-weight="700">Time to card painted (median ms; blue unthrottled, red 4× CPU throttle)</text>${rows.map(bar).join("")}</svg>\n`;
mkdirSync(join(REPO, "bench/results"), { recursive: true });
writeFileSync(join(REPO, "bench/results/report.md"), md);
writeFileSync(join(REPO, "bench/results/chart.svg"), svg);
writeFileSync(join(REPO, "bench/results/report.json"), `${JSON.stringify({ machine, rows, scale }, null, 2)}\n`);
console.log(md);
