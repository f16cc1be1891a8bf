// The README's first snippet as deployed, on a phone (make bench; not a test): a host page
// on one origin, the publisher's `article-embed serve` on another holding the script and
// the story, Lighthouse's mobile profile (150 ms round trip, 1.6 Mbps down, 750 kbps up,
// 4× CPU slowdown, a 412 px wide screen), in Debian's Chromium with DevTools throttling,
// each load in a fresh context (a first visit: nothing cached). Side by side:
//   plain  — bench/plain-element.js, a hand-written custom element reading the same story
//            from the same server (dist/bench/, served there too), its date by Intl
//   widget — <article-embed src=… signup-endpoint=…> and the script: the card's markup
//            from the server first, the wasm when the reader reaches for it
//   wasm   — the same element where no markup answers (a story on another host): the
//            path every src card took before
// "Ready" is when the card's `state` turns "ready" (the plain element sets it too), from
// inside the page, in ms since navigation start. "On the wire" counts the bytes of every
// response finished before that moment (Chromium's encodedDataLength: bodies as
// compressed, with headers), the host page included.
// Writes bench/results/mobile.md and mobile.json.
//   node bench/mobile.mjs [--runs 7] [--bin target/server/article-embed]
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const RUNS = Number(arg("runs", 7));
const SCALE_RUNS = Number(arg("scale-runs", 5));
const REPO = resolve(import.meta.dirname, "..");
const BIN = resolve(REPO, arg("bin", "target/server/article-embed"));
const MOBILE = { latency: 150, download: (1638.4 * 1024) / 8, upload: (750 * 1024) / 8, cpu: 4 };

const freePort = () =>
  new Promise((ok) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => ok(port));
    });
  });

// --- the publisher's server, and the plain element beside its script ----------------------
const css = readFileSync(join(REPO, "crates/card/src/card.css"), "utf8");
mkdirSync(join(REPO, "dist/bench"), { recursive: true });
// The plain element gets the card's stylesheet as the widget ships it (minified by the
// widget's build: taken from a server-rendered card).
const data = mkdtempSync(join(tmpdir(), "article-embed-bench-"));
const port = await freePort();
const server = spawn(BIN, ["serve", "--addr", `127.0.0.1:${port}`, "--data-dir", data], { cwd: REPO, stdio: ["ignore", "ignore", "pipe"] });
let log = "";
server.stderr.on("data", (d) => (log += d));
const publisher = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try {
    await fetch(`${publisher}/livez`);
    break;
  } catch {
    if (i > 100) throw new Error(`serve did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const markup = await (await fetch(`${publisher}/articles/myanmar-diplomat.card.html`)).text();
const shipped = markup.match(/<style>([^<]*)<\/style>/)?.[1] ?? css;
writeFileSync(join(REPO, "dist/bench/plain-element.js"), readFileSync(join(REPO, "bench/plain-element.js"), "utf8").replace("__CARD_CSS__", JSON.stringify(shipped)));
const src = `${publisher}/articles/myanmar-diplomat.json`;
// The same story from an origin other than the script's (the same server, named
// differently): the loader asks no markup of it, as of a story on any other host.
const elsewhere = `http://localhost:${port}/articles/myanmar-diplomat.json`;

// --- the host page, on another origin ------------------------------------------------------
const cards = {
  plain: () => `<plain-article src="${src}"></plain-article>`,
  widget: () => `<article-embed src="${src}" signup-endpoint="${publisher}/api/subscribe"></article-embed>`,
  wasm: () => `<article-embed src="${elsewhere}" signup-endpoint="${publisher}/api/subscribe"></article-embed>`,
};
const scripts = {
  plain: `<script type="module" src="${publisher}/dist/bench/plain-element.js"></script>`,
  widget: `<script type="module" src="${publisher}/dist/article-embed.js"></script>`,
  wasm: `<script type="module" src="${publisher}/dist/article-embed.js"></script>`,
};
const page = (variant, n) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>host ${variant} ×${n}</title>
<style>body{margin:0;padding:16px;font-family:system-ui,sans-serif}.slot{max-inline-size:640px;margin-block:16px}</style>
</head><body><h1>A host page</h1>
${Array.from({ length: n }, () => `<div class="slot">${cards[variant]()}</div>`).join("\n")}
${scripts[variant]}
</body></html>`;
const host = createServer((req, res) => {
  const m = new URL(req.url, "http://host").pathname.match(/^\/(plain|widget|wasm)-(\d+)\.html$/);
  if (!m) return res.writeHead(404).end();
  res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(page(m[1], Number(m[2])));
});
const hostPort = await freePort();
await new Promise((ok) => host.listen(hostPort, "localhost", ok));
const hostUrl = `http://localhost:${hostPort}`;

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-quic"],
});

const OBSERVE = () => {
  const t = (window.__bench = { ready: [] });
  const seen = new WeakSet();
  new MutationObserver((records) => {
    const now = performance.now();
    for (const r of records) {
      if (r.target.getAttribute("state") === "ready" && !seen.has(r.target)) {
        seen.add(r.target);
        t.ready.push(now);
      }
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["state"] });
};

async function load(variant, n, mobile) {
  const context = await browser.newContext(
    mobile ? { viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true } : { viewport: { width: 1000, height: 900 } },
  );
  const tab = await context.newPage();
  const cdp = await context.newCDPSession(tab);
  await cdp.send("Network.enable");
  if (mobile) {
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false, latency: MOBILE.latency, downloadThroughput: MOBILE.download, uploadThroughput: MOBILE.upload,
    });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: MOBILE.cpu });
  }
  const finished = [];
  let navigated = null;
  cdp.on("Network.requestWillBeSent", (e) => {
    if (navigated === null && e.type === "Document") navigated = e.timestamp;
  });
  const urls = new Map();
  cdp.on("Network.responseReceived", (e) => urls.set(e.requestId, e.response.url));
  cdp.on("Network.loadingFinished", (e) => finished.push({ at: e.timestamp, bytes: e.encodedDataLength, url: urls.get(e.requestId) }));
  await tab.addInitScript(OBSERVE);
  await tab.goto(`${hostUrl}/${variant}-${n}.html`, { waitUntil: "commit" });
  await tab.waitForFunction((count) => window.__bench.ready.length >= count, n, { timeout: 120_000, polling: 50 });
  const ready = await tab.evaluate(() => Math.max(...window.__bench.ready));
  await tab.waitForTimeout(300);
  await context.close();
  const until = navigated + ready / 1000;
  const before = finished.filter((f) => f.at <= until);
  return {
    ready_ms: ready,
    bytes: before.reduce((a, f) => a + f.bytes, 0),
    wasm_before_ready: before.some((f) => f.url?.endsWith(".wasm")),
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function interleaved(cells, runs) {
  const out = cells.map(() => []);
  for (let i = 0; i < runs; i++) for (const [j, c] of cells.entries()) out[j].push(await load(c.variant, c.n, c.mobile));
  return cells.map((c, j) => ({
    ...c,
    runs,
    ready_ms: Math.round(median(out[j].map((r) => r.ready_ms))),
    ready_all: out[j].map((r) => Math.round(r.ready_ms)),
    bytes: median(out[j].map((r) => r.bytes)),
    wasm_before_ready: out[j].some((r) => r.wasm_before_ready),
  }));
}

console.error("one card, phone profile …");
const mobile = await interleaved(["plain", "widget", "wasm"].map((variant) => ({ variant, n: 1, mobile: true })), RUNS);
console.error("one card, desktop (unthrottled) …");
const desktop = await interleaved(["plain", "widget", "wasm"].map((variant) => ({ variant, n: 1, mobile: false })), RUNS);
console.error("10 and 100 cards, desktop …");
const scale = await interleaved(
  [10, 100].flatMap((n) => ["plain", "widget"].map((variant) => ({ variant, n, mobile: false }))),
  SCALE_RUNS,
);
await browser.close();
host.close();
server.kill("SIGTERM");
rmSync(data, { recursive: true, force: true });

// --- report --------------------------------------------------------------------------------
const find = (rows, variant, n = 1) => rows.find((r) => r.variant === variant && r.n === n);
const ratio = (a, b) => Math.round((a / b) * 100) / 100;
const mobileRatio = ratio(find(mobile, "widget").ready_ms, find(mobile, "plain").ready_ms);
const desktopRatio = ratio(find(desktop, "widget").ready_ms, find(desktop, "plain").ready_ms);
const scaleWidget = ratio(find(scale, "widget", 100).ready_ms, find(scale, "widget", 10).ready_ms);
const scalePlain = ratio(find(scale, "plain", 100).ready_ms, find(scale, "plain", 10).ready_ms);
const wire = find(mobile, "widget").bytes;
const verdict = (ok) => (ok ? "met" : "**missed**");
const table = (rows) =>
  ["| variant | cards | ready ms (median) | each run | on the wire before ready | wasm before ready |", "|---|---|---|---|---|---|"]
    .concat(rows.map((r) => `| ${r.variant} | ${r.n} | ${r.ready_ms} | ${r.ready_all.join(", ")} | ${r.bytes.toLocaleString("en")} B | ${r.wasm_before_ready ? "yes" : "no"} |`))
    .join("\n");
const chromium_ = existsSync("/usr/lib/chromium/chromium") ? "Debian's Chromium" : "Chromium";
const md = `# The README's first snippet on a phone

Run ${new Date().toISOString()} (node bench/mobile.mjs); ${chromium_}, DevTools throttling:
${MOBILE.latency} ms round trip, ${Math.round((MOBILE.download * 8) / 1024)} kbps down, ${Math.round((MOBILE.upload * 8) / 1024)} kbps up,
${MOBILE.cpu}× CPU slowdown, 412 × 823 at 1.75×. Host page on \`localhost\`, \`article-embed serve\` on
\`127.0.0.1\` (two origins), medians of ${RUNS} cold loads (${SCALE_RUNS} at scale), variants interleaved.

## Targets

| measure | now | target | |
|---|---|---|---|
| phone: ready, ÷ the plain element | ${mobileRatio}× (${find(mobile, "widget").ready_ms} vs ${find(mobile, "plain").ready_ms} ms) | ≤ 1.2× | ${verdict(mobileRatio <= 1.2)} |
| phone: bytes on the wire before the card is ready (host page included) | ${wire.toLocaleString("en")} B | ≤ 25,000 B | ${verdict(wire <= 25_000)} |
| desktop: ready, ÷ the plain element | ${desktopRatio}× (${find(desktop, "widget").ready_ms} vs ${find(desktop, "plain").ready_ms} ms) | no worse than before (1.49×) | ${verdict(desktopRatio <= 1.49)} |
| desktop: 100 cards ÷ 10 cards | ${scaleWidget}× (plain element: ${scalePlain}×) | ≤ 3× | ${verdict(scaleWidget <= 3)} |

## Phone profile

${table(mobile)}

"wasm" is the same snippet with the story on an origin other than the script's, where the
loader asks for no markup: the path every \`src\` card took before.

## Desktop (unthrottled)

${table(desktop)}

## At scale (desktop)

${table(scale)}
`;
mkdirSync(join(REPO, "bench/results"), { recursive: true });
writeFileSync(join(REPO, "bench/results/mobile.md"), md);
writeFileSync(join(REPO, "bench/results/mobile.json"), JSON.stringify({ mobile, desktop, scale }, null, 2));
console.log(md);
