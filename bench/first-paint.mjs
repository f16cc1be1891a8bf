// Time to first paint of a card, in Chromium, median of N runs (not a test): the
// server-rendered card (/embed/<slug>) without and with JavaScript, and the card rendered
// in the browser from `src` (the plain snippet page), all served by `article-embed serve`.
//   node bench/first-paint.mjs [--runs 10] [--bin target/debug/article-embed]
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { freePort, serve } from "../tests/e2e/helpers.mjs";
import { startServer } from "../tools/serve.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const RUNS = Number(arg("runs", 10));
const REPO = resolve(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "article-embed-paint-"));
const server = await serve(dir, await freePort(), []);
// The client-rendered page is a publisher's page: a static server of its own.
const host = await startServer({ port: 0, quiet: true });
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--no-first-run"],
});

async function measure(url, { javaScriptEnabled, until }) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 800, height: 1000 } });
    const page = await context.newPage();
    await page.goto(url, { waitUntil: "load" });
    let ms;
    if (until === "paint") {
      // First contentful paint: the card is the page's content.
      for (let tries = 0; tries < 100 && !(ms >= 0); tries++) {
        ms = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN);
        if (!(ms >= 0)) await page.waitForTimeout(20);
      }
    } else {
      await page.waitForFunction(() => document.querySelector("article-embed")?.getAttribute("state") === "ready");
      ms = await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now()))));
    }
    times.push(ms);
    await context.close();
  }
  times.sort((a, b) => a - b);
  return { median_ms: Number(times[Math.floor(times.length / 2)].toFixed(1)), min_ms: Number(times[0].toFixed(1)), max_ms: Number(times.at(-1).toFixed(1)) };
}

const embed = `${server.url}/embed/myanmar-diplomat`;
const report = {
  date: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}`,
  runs: RUNS,
  "server-rendered, no script: first paint": await measure(embed, { javaScriptEnabled: false, until: "paint" }),
  "server-rendered, with script: first paint": await measure(embed, { javaScriptEnabled: true, until: "paint" }),
  "server-rendered, with script: hydrated (ready)": await measure(embed, { javaScriptEnabled: true, until: "ready" }),
  "client-rendered from src: card painted (ready)": await measure(`${host.url}/tests/e2e/pages/plain.html`, { javaScriptEnabled: true, until: "ready" }),
};
console.log(JSON.stringify(report, null, 2));
mkdirSync(join(REPO, "bench/results"), { recursive: true });
writeFileSync(join(REPO, "bench/results/first-paint.json"), `${JSON.stringify(report, null, 2)}\n`);
await browser.close();
await server.stop();
await host.close();
rmSync(dir, { recursive: true, force: true });
