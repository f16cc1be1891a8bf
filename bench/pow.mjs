// Proof of work as a reader's phone and a bot feel it (make bench; not a test). Against
// `article-embed serve --proof-of-work` (default --proof-max-number unless --max is given):
//   solve  — the widget's solver (www/src/proof.js, as shipped in the glue chunk) in Debian's
//            Chromium with 4× CPU slowdown (Lighthouse's mobile profile), on a page of its
//            own origin, one fresh challenge each run: time from asking to the solution.
//            Beside it, the simplest solver one could write (one digest awaited at a time),
//            as the baseline the batching has to beat.
//   tasks  — the longest the main thread was held while solving: the largest gap between
//            two turns of a MessageChannel ping that runs all along (what typing would wait),
//            and the Long Tasks (≥ 50 ms) Chromium reports; beside the same page idle, as
//            the control (a throttled page has gaps of its own).
//   forge  — how many challenges one core solves a second with native-speed SHA-256
//            (Node's OpenSSL, one thread), fetched from the same server: what a bot that
//            skips the browser pays per signup.
// Writes bench/results/pow.md and pow.json.
//   node bench/pow.mjs [--runs 15] [--bin target/server/article-embed] [--max 50000]
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const RUNS = Number(arg("runs", 15));
const ONLY = arg("only", undefined);
const REPO = resolve(import.meta.dirname, "..");
const BIN = resolve(REPO, arg("bin", "target/server/article-embed"));
const MAX = arg("max", undefined);

const freePort = () =>
  new Promise((ok) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => ok(port));
    });
  });

const data = mkdtempSync(join(tmpdir(), "article-embed-pow-"));
const port = await freePort();
const server = spawn(
  BIN,
  ["serve", "--addr", `127.0.0.1:${port}`, "--data-dir", data, "--proof-of-work", ...(MAX ? ["--proof-max-number", MAX] : [])],
  { cwd: REPO, stdio: ["ignore", "ignore", "pipe"] },
);
const endpoint = `http://127.0.0.1:${port}/api/subscribe`;
for (let i = 0; ; i++) {
  try {
    await fetch(endpoint);
    break;
  } catch (error) {
    if (i > 100) throw error;
    await new Promise((r) => setTimeout(r, 100));
  }
}
const maxnumber = (await (await fetch(endpoint)).json()).maxnumber;

// --- the page: the shipped solver, and the naive one -------------------------------------
const proofJs = readFileSync(join(REPO, "www/src/proof.js"), "utf8");
const page = `<!doctype html><meta charset="utf-8"><title>pow</title><script type="module">
import { prove } from "/proof.js";
const hex = (d) => Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join("");
async function naive(endpoint) {
  const { algorithm, challenge, maxnumber, salt } = await (await fetch(endpoint)).json();
  const text = new TextEncoder();
  for (let n = 0; n <= maxnumber; n++) {
    if (hex(await crypto.subtle.digest(algorithm, text.encode(salt + n))) === challenge) return n;
  }
}
// The main thread's longest hold: the largest gap between two turns of a ping.
let last = performance.now(), gap = 0, pinging = false;
const channel = new MessageChannel();
channel.port1.onmessage = () => {
  const now = performance.now();
  gap = Math.max(gap, now - last);
  last = now;
  if (pinging) channel.port2.postMessage(0);
};
let longTasks = [];
new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: "longtask" });
window.run = async (endpoint, which) => {
  longTasks = [];
  gap = 0;
  pinging = true;
  last = performance.now();
  channel.port2.postMessage(0);
  const start = performance.now();
  // "idle": the same second with nothing to do, to tell the solver's holds from the page's.
  const solution =
    which === "naive" ? await naive(endpoint) : which === "idle" ? await new Promise((ok) => setTimeout(() => ok(0), 1000)) : await prove(endpoint, 2);
  const ms = performance.now() - start;
  pinging = false;
  const number = which === "widget" ? JSON.parse(atob(solution)).number : solution;
  return { ms, number, gap, longTasks };
};
window.ready = true;
</script>`;
const hostPort = await freePort();
const host = createServer((req, res) => {
  if (req.url === "/proof.js") return res.writeHead(200, { "Content-Type": "text/javascript" }).end(proofJs);
  res.writeHead(200, { "Content-Type": "text/html" }).end(page);
});
await new Promise((ok) => host.listen(hostPort, "localhost", ok));

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--headless=new"],
});
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const p90 = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.9))];
};
const results = {};
for (const which of ONLY ? [ONLY] : ["widget", "naive", "idle"]) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const cdp = await context.newCDPSession(tab);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    await tab.goto(`http://localhost:${hostPort}/`);
    await tab.waitForFunction(() => window.ready);
    runs.push(await tab.evaluate(([e, w]) => window.run(e, w), [endpoint, which]));
    await context.close();
  }
  // Per thousand numbers hashed: the secret number is random, so times vary with it.
  const perThousand = runs.map((r) => (r.ms / (r.number + 1)) * 1000);
  results[which] = {
    runs: runs.length,
    solveMedianMs: Math.round(median(runs.map((r) => r.ms))),
    solveP90Ms: Math.round(p90(runs.map((r) => r.ms))),
    msPerThousandHashes: Number(median(perThousand).toFixed(1)),
    expectedMsAtDefault: Math.round((median(perThousand) * (maxnumber / 2)) / 1000),
    longestGapMs: Number(Math.max(...runs.map((r) => r.gap)).toFixed(1)),
    longTasks: runs.reduce((n, r) => n + r.longTasks.length, 0),
    longestLongTaskMs: Math.round(Math.max(0, ...runs.flatMap((r) => r.longTasks))),
  };
}
await browser.close();
if (ONLY) {
  // A look at one solver (while tuning it): no forging, no files written.
  console.log(JSON.stringify(results, null, 2));
  server.kill();
  host.close();
  process.exit(0);
}

// --- forging: one core, native SHA-256 ------------------------------------------------------
const FORGE = 200;
const challenges = [];
for (let i = 0; i < FORGE; i++) challenges.push(await (await fetch(endpoint)).json());
const started = process.hrtime.bigint();
let hashes = 0;
for (const { challenge, salt, maxnumber: max } of challenges) {
  for (let n = 0; n <= max; n++) {
    hashes++;
    if (createHash("sha256").update(salt + n).digest("hex") === challenge) break;
  }
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
results.forge = {
  challenges: FORGE,
  perSecond: Number((FORGE / seconds).toFixed(1)),
  hashesPerSecond: Math.round(hashes / seconds),
};
server.kill();
host.close();
rmSync(data, { recursive: true, force: true });

const r = results;
const md = `# Proof of work: what a phone and a bot pay

\`node bench/pow.mjs\` (in \`make bench\`), \`serve --proof-of-work\`, --proof-max-number ${maxnumber.toLocaleString("en-US")}
(a solver hashes ${(maxnumber / 2).toLocaleString("en-US")} numbers on average). Browser: Debian's Chromium with 4× CPU
slowdown, ${RUNS} fresh challenges per solver (the secret number is random, so times vary
with it; per 1,000 numbers they do not).

| solver | median | p90 | ms per 1,000 numbers | expected at the default | longest main-thread hold | long tasks (≥ 50 ms) |
|---|---:|---:|---:|---:|---:|---:|
| the widget's (www/src/proof.js, 16 digests at a time) | ${r.widget.solveMedianMs} ms | ${r.widget.solveP90Ms} ms | ${r.widget.msPerThousandHashes} | ${r.widget.expectedMsAtDefault} ms | ${r.widget.longestGapMs} ms | ${r.widget.longTasks} |
| naive (one digest awaited at a time) | ${r.naive.solveMedianMs} ms | ${r.naive.solveP90Ms} ms | ${r.naive.msPerThousandHashes} | ${r.naive.expectedMsAtDefault} ms | ${r.naive.longestGapMs} ms | ${r.naive.longTasks} |
| control: the same page idle for 1 s | | | | | ${r.idle.longestGapMs} ms | ${r.idle.longTasks} |

"Longest main-thread hold" is the largest gap between two turns of a MessageChannel ping
that runs while solving; the idle row is that same measure with nothing to solve, so what
the solver adds is the difference (none when the solver's figure is not above the idle
one: the gaps then come from the throttled page itself, not from solving).

A bot skipping the browser, one core, Node's SHA-256 (OpenSSL): **${r.forge.perSecond} solutions a second**
(${r.forge.hashesPerSecond.toLocaleString("en-US")} hashes a second, ${r.forge.challenges} challenges from the server).
Proof of work therefore costs a bot ${(1000 / r.forge.perSecond).toFixed(1)} ms of one core per signup: it slows a flood
from a few machines, it does not stop one; the per-address and per-IP limits, the honeypot
and the confirmation mail do the rest.
`;
writeFileSync(join(REPO, "bench/results/pow.md"), md);
writeFileSync(join(REPO, "bench/results/pow.json"), `${JSON.stringify(results, null, 2)}\n`);
console.log(md);
