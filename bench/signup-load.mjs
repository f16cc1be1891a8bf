// Load benchmark of the signup endpoint (not a test): concurrent subscribes from this
// process to `article-embed serve` on 127.0.0.1 — one process on a fresh SQLite file, or
// several processes on one PostgreSQL database (requests spread over them in turn).
// Reports requests/s and latency percentiles, then checks what the operator cares about:
// rows stored = requests accepted, one confirmation mail per row, no address mailed twice.
//
//   node bench/signup-load.mjs [--requests 2000] [--concurrency 32] [--bin target/server/article-embed]
//                              [--processes 3 --postgres postgres://user:pass@host:port/db]
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
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
const PROCESSES = Number(arg("processes", 1));
const POSTGRES = arg("postgres", null);

// On PostgreSQL, a database of its own for the run.
let db = null;
let dropDb = () => {};
if (POSTGRES) {
  const name = `article_embed_bench_${process.pid}`;
  const psql = (sql) => execFileSync("psql", [POSTGRES, "-qAt", "-c", sql], { encoding: "utf8" });
  psql(`DROP DATABASE IF EXISTS ${name}`);
  psql(`CREATE DATABASE ${name}`);
  db = POSTGRES.replace(/\/[^/]*$/, `/${name}`);
  dropDb = () => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

const servers = [];
const dirs = [];
for (let i = 0; i < PROCESSES; i++) {
  const dir = mkdtempSync(join(tmpdir(), "article-embed-load-"));
  dirs.push(dir);
  servers.push(
    await serve(
      dir,
      await freePort(),
      [
        "--rate-per-ip", String(REQUESTS * 2), "--rate-per-email", "10", "--newsletter", "Load Test Newsletter",
        ...(db ? ["--db", db] : []),
      ],
      { bin: BIN },
    ),
  );
}

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
    const response = await fetch(`${servers[i % servers.length].url}/api/subscribe`, {
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
const exportArgs = db ? ["--db", db] : ["--data-dir", dirs[0]];
const { stdout } = await promisify(execFile)(BIN, ["signups", "export", ...exportArgs], { maxBuffer: 64 << 20 });
const rows = stdout.trim().split("\r\n").length - 1;

// The delivery jobs send the queued mail after the answers: wait for them to finish.
const recipients = () =>
  dirs.flatMap((dir) => {
    let files = [];
    try {
      files = readdirSync(join(dir, "mail"));
    } catch {
      return [];
    }
    return files.map((f) => readFileSync(join(dir, "mail", f), "utf8").match(/^To: (.*)$/m)?.[1]?.trim());
  });
const drainStart = performance.now();
let delivered = recipients();
for (let i = 0; i < 600 && delivered.length < rows; i++) {
  await new Promise((r) => setTimeout(r, 100));
  delivered = recipients();
}
const drained = (performance.now() - drainStart) / 1000;
const duplicates = delivered.length - new Set(delivered).size;
for (const server of servers) await server.stop();
for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
dropDb();

const accepted = statuses[202] ?? 0;
const setup = db ? `${PROCESSES} processes, PostgreSQL` : `${PROCESSES} process, SQLite`;
const report = {
  date: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}`,
  setup,
  requests: REQUESTS,
  concurrency: CONCURRENCY,
  seconds: Number(seconds.toFixed(2)),
  requests_per_second: Math.round(REQUESTS / seconds),
  latency_ms: { p50: Number(pct(50).toFixed(2)), p90: Number(pct(90).toFixed(2)), p99: Number(pct(99).toFixed(2)), max: Number(latencies.at(-1).toFixed(2)) },
  statuses,
  rows,
  mails: delivered.length,
  mail_drained_after_s: Number(drained.toFixed(2)),
  duplicate_mails: duplicates,
  rows_equal_accepted: rows === accepted,
  mails_equal_rows: delivered.length === rows,
};
console.log(JSON.stringify(report, null, 2));
mkdirSync(join(REPO, "bench/results"), { recursive: true });
const file = db ? "signup-load-postgres.json" : "signup-load.json";
writeFileSync(join(REPO, "bench/results", file), `${JSON.stringify(report, null, 2)}\n`);
if (rows !== accepted || delivered.length !== rows || duplicates !== 0) {
  console.error(`rows ${rows}, accepted ${accepted}, mails ${delivered.length}, duplicates ${duplicates}`);
  process.exit(1);
}
