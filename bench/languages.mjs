// What a card in another language than English costs now that the browser's wasm holds
// English only and fetches the other languages' words (make bench; not a test). A card
// drawn by the wasm (its story on an origin other than the script's: no server markup),
// in English, in French (lang="fr") and in Hebrew (the story's inLanguage, on an English
// page and on a Hebrew one), on a phone:
// Lighthouse's mobile profile (150 ms round trip, 1.6 Mbps down, 4× CPU slowdown), each
// load in a fresh context, variants interleaved. With --baseline, the same cards from
// another build's dist/ (such as a worktree of the commit before), served by the same
// binary: the words then were in the wasm.
// "Ready" is when the card's `state` turns "ready", in ms since navigation start; "on the
// wire" counts the bytes of every response finished before then (encodedDataLength).
// Writes bench/results/languages.md and languages.json.
//   node bench/languages.mjs [--runs 9] [--bin target/server/article-embed] [--baseline DIR --baseline-label TEXT]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { freePort, serve } from "../tests/e2e/helpers.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const RUNS = Number(arg("runs", 9));
const REPO = resolve(import.meta.dirname, "..");
const BIN = resolve(REPO, arg("bin", "target/server/article-embed"));
const BASELINE = arg("baseline", null) && resolve(arg("baseline"));
// What the baseline is, for the report (its path is this machine's business).
const BASELINE_LABEL = arg("baseline-label", "another build");
const MOBILE = { latency: 150, download: (1638.4 * 1024) / 8, upload: (750 * 1024) / 8, cpu: 4 };

/** `article-embed serve` of `root`'s dist/ and this checkout's articles, on a port of its own. */
async function serveDist(root) {
  const data = mkdtempSync(join(tmpdir(), "article-embed-bench-"));
  const server = await serve(data, await freePort(), ["--dist", join(root, "dist")], { bin: BIN });
  return { port: server.port, stop: () => server.stop().then(() => rmSync(data, { recursive: true, force: true })) };
}

const builds = { now: await serveDist(REPO) };
if (BASELINE) builds.before = await serveDist(BASELINE);

// The story from `localhost` (the same server under another name), the script from
// 127.0.0.1: the loader asks no markup of a story elsewhere, and the wasm draws the card.
// Each: the host page's language, the card's attributes, its story.
const CARDS = {
  en: ["en", "", "myanmar-diplomat"],
  // French by the card's lang attribute, on an English page.
  fr: ["en", ' lang="fr"', "myanmar-diplomat"],
  // Hebrew by the story's inLanguage alone, on an English page: nothing says it before the
  // data is read.
  he: ["en", "", "myanmar-diplomat-he"],
  // The same on a Hebrew page.
  "he-page": ["he", "", "myanmar-diplomat-he"],
};
const host = createServer((req, res) => {
  const m = new URL(req.url, "http://host").pathname.match(/^\/(now|before)-([a-z-]+)\.html$/);
  if (!m || !builds[m[1]] || !CARDS[m[2]]) return res.writeHead(404).end();
  const { port } = builds[m[1]];
  const [lang, attributes, story] = CARDS[m[2]];
  res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(`<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<link rel="icon" href="data:,"><meta name="viewport" content="width=device-width, initial-scale=1"><title>host</title></head>
<body><h1>A host page</h1><article-embed${attributes} src="http://localhost:${port}/articles/${story}.json" signup-endpoint="http://127.0.0.1:${port}/api/subscribe"></article-embed>
<script type="module" src="http://127.0.0.1:${port}/dist/article-embed.js"></script></body></html>`);
});
const hostPort = await freePort();
await new Promise((ok) => host.listen(hostPort, "127.0.0.2", ok));

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-quic"],
});

async function load(build, lang) {
  const context = await browser.newContext({ viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true });
  const tab = await context.newPage();
  const cdp = await context.newCDPSession(tab);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: MOBILE.latency, downloadThroughput: MOBILE.download, uploadThroughput: MOBILE.upload });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: MOBILE.cpu });
  const finished = [];
  let navigated = null;
  cdp.on("Network.requestWillBeSent", (e) => {
    if (navigated === null && e.type === "Document") navigated = e.timestamp;
  });
  cdp.on("Network.loadingFinished", (e) => finished.push({ at: e.timestamp, bytes: e.encodedDataLength }));
  await tab.goto(`http://127.0.0.2:${hostPort}/${build}-${lang}.html`, { waitUntil: "commit" });
  await tab.waitForFunction(() => document.querySelector("article-embed")?.getAttribute("state") === "ready", null, { timeout: 120_000, polling: 20 });
  const { ready, submit } = await tab.evaluate(() => ({
    ready: performance.now(),
    submit: document.querySelector("article-embed").shadowRoot.querySelector("[part~=submit]").textContent,
  }));
  await context.close();
  const until = navigated + ready / 1000;
  return { ready, submit, bytes: finished.filter((f) => f.at <= until).reduce((a, f) => a + f.bytes, 0) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cells = Object.keys(builds).flatMap((build) => Object.keys(CARDS).map((lang) => ({ build, lang, runs: [] })));
for (let i = 0; i < RUNS; i++) for (const cell of cells) cell.runs.push(await load(cell.build, cell.lang));
await browser.close();
host.close();
for (const { stop } of Object.values(builds)) await stop();

const rows = cells.map(({ build, lang, runs }) => ({
  build,
  lang,
  submit: runs[0].submit,
  ready_ms: Math.round(median(runs.map((r) => r.ready))),
  ready_all: runs.map((r) => Math.round(r.ready)),
  bytes: median(runs.map((r) => r.bytes)),
}));
const md = `# A card in another language than English, on a phone

Run ${new Date().toISOString()} (node bench/languages.mjs${BASELINE ? " --baseline …" : ""}); Chromium, DevTools throttling:
${MOBILE.latency} ms round trip, 1.6 Mbps down, ${MOBILE.cpu}× CPU slowdown. The card drawn by the wasm (no
server markup), medians of ${RUNS} cold loads, interleaved. "now": the wasm holds English, the
other languages' words are a file fetched for the card; "before": ${BASELINE ? BASELINE_LABEL : "(no baseline given)"}.

The words are fetched beside the wasm when the page's language or a card's \`lang\` names one of
their languages ("fr", "he-page"); otherwise once the story is read ("he").

| build | card | its button | ready ms (median) | each run | on the wire before ready |
|---|---|---|---|---|---|
${rows.map((r) => `| ${r.build} | ${r.lang} | ${r.submit} | ${r.ready_ms} | ${r.ready_all.join(", ")} | ${r.bytes.toLocaleString("en")} B |`).join("\n")}
`;
mkdirSync(join(REPO, "bench/results"), { recursive: true });
writeFileSync(join(REPO, "bench/results/languages.md"), md);
writeFileSync(join(REPO, "bench/results/languages.json"), JSON.stringify(rows, null, 2));
console.log(md);
