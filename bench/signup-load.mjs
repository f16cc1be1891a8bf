// Load benchmark of the signup endpoint (not a test): concurrent subscribes from this
// process to `article-embed serve` on 127.0.0.1 with a fresh SQLite file. Reports
// requests/s, latency percentiles, and checks that the rows stored equal the requests
// accepted.
//
//   node bench/signup-load.mjs [--requests 2000] [--concurrency 32] [--bin target/server/article-embed]
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { freePort, serve } from "../tests/e2e/helpers.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const REPO = resolve(import.meta.dirname, "..");
const BIN = resolve(REPO, arg("bin", "target/server/article-embed"));
const REQUESTS = Number(arg("requests", 2000));
const CONCURRENCY = Number(arg("concurrency", 32));

const dir = mkdtempSync(join(tmpdir(), "article-embed-load-"));
const server = await serve(
  dir,
  await freePort(),
  ["--rate-per-ip", String(REQUESTS * 2), "--rate-per-email", "10", "--newsletter", "Load Test Newsletter"],
  { bin: BIN },
);
const url = server.url;

const latencies = [];
const statuses = {};
let next = 0;
async function worker() {
  while (next < REQUESTS) {
    const i = next++;
    const body = JSON.stringify({
      email: `reader${i}@load.example`, newsletter: "Load Test Newsletter", consent: true,
      article: "https://news.example/story", page: "https://publisher.example/", locale: "en",
    });
    const start = performance.now();
    const response = await fetch(`${url}/api/subscribe`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": `load-${i}` },
      body,
    });
    await response.arrayBuffer();
    latencies.push(performance.now() - start);
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
  }
}
const started = performance.now();
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
const { stdout } = await promisify(execFile)(BIN, ["signups", "export", "--data-dir", dir], { maxBuffer: 64 << 20 });
const rows = stdout.trim().split("\r\n").length - 1;
await server.stop();
rmSync(dir, { recursive: true, force: true });

const accepted = statuses[202] ?? 0;
const report = {
  date: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}`,
  requests: REQUESTS,
  concurrency: CONCURRENCY,
  seconds: Number(seconds.toFixed(2)),
  requests_per_second: Math.round(REQUESTS / seconds),
  latency_ms: { p50: Number(pct(50).toFixed(2)), p90: Number(pct(90).toFixed(2)), p99: Number(pct(99).toFixed(2)), max: Number(latencies.at(-1).toFixed(2)) },
  statuses,
  rows,
  rows_equal_accepted: rows === accepted,
};
console.log(JSON.stringify(report, null, 2));
mkdirSync(join(REPO, "bench/results"), { recursive: true });
writeFileSync(join(REPO, "bench/results/signup-load.json"), `${JSON.stringify(report, null, 2)}\n`);
if (rows !== accepted) {
  console.error(`rows (${rows}) != accepted requests (${accepted})`);
  process.exit(1);
}
