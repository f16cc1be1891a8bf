// Shared by the end-to-end tests: Debian's Chromium driven by playwright-core, and the
// repository served on 127.0.0.1 (tools/serve.mjs) with the built dist/ script.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { chromium } from "playwright-core";
import { startServer } from "../support/serve.mjs";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

/** Starts the server and a browser; `t.after` closes both. */
export async function setUp(t) {
  const server = await startServer({ port: 0, quiet: true });
  const profile = mkdtempSync(join(tmpdir(), "article-embed-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ARGS,
    viewport: { width: 1000, height: 900 },
  });
  t.after(async () => {
    await context.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  });
  return { server, context };
}

/** A browser of its own (not a persistent profile), for contexts with other settings. */
export async function launchBrowser(t) {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ARGS });
  t.after(() => browser.close());
  return browser;
}

/** A new page that records console messages and page errors. */
export async function openPage(context, url) {
  const page = await context.newPage();
  const console_ = [];
  const errors = [];
  page.on("console", (m) => console_.push({ type: m.type(), text: m.text(), url: m.location().url }));
  page.on("pageerror", (e) => errors.push(e));
  if (url) await page.goto(url);
  return { page, console: console_, errors };
}

/** Waits for the element matching `selector` to reach `state` (ready/error). */
export function waitForState(page, selector, state, timeout = 15000) {
  return page.waitForFunction(
    ([sel, st]) => document.querySelector(sel)?.getAttribute("state") === st,
    [selector, state],
    { timeout },
  );
}

/**
 * Asserts that `condition` (evaluated in the page, polled every frame) stays false for
 * `ms`: for "this must not happen" checks. The window must be longer than the unwanted
 * thing would take to show, or the check proves nothing.
 */
export async function never(page, condition, arg, ms, message) {
  await assert.rejects(page.waitForFunction(condition, arg, { timeout: ms }), /Timeout/, message);
}

/** Text of each `[part=…]` inside the element's shadow root. */
export function parts(page, selector = "article-embed") {
  return page.evaluate((sel) => {
    const root = document.querySelector(sel)?.shadowRoot;
    const out = {};
    for (const el of root?.querySelectorAll("[part]") ?? []) {
      for (const part of el.getAttribute("part").split(/\s+/)) {
        out[part] ??= el.textContent.replace(/\s+/g, " ").trim();
      }
    }
    return out;
  }, selector);
}

export const REPO = resolve(import.meta.dirname, "../..");
/** The server binary (a dev build, made by `make test`). */
export const BIN = join(REPO, "target/debug/article-embed");

/**
 * A partner's site on its own origin (localhost, beside the publisher's 127.0.0.1): pages
 * from `pages` (path → HTML) under a strict CSP that lets in only the publisher, with Trusted
 * Types enforced and no policy allowed.
 */
export async function startStrictHost(publisher) {
  const pages = new Map();
  const server = createHttpServer((req, res) => {
    const path = new URL(req.url, "http://host").pathname;
    const html = pages.get(path);
    if (!html) return res.writeHead(404).end();
    res.writeHead(200, {
      "Content-Type": path.endsWith(".css") ? "text/css" : "text/html; charset=utf-8",
      "Content-Security-Policy": `default-src 'none'; script-src ${publisher} 'wasm-unsafe-eval'; connect-src ${publisher}; img-src ${publisher} data:; style-src 'self'; form-action ${publisher}; require-trusted-types-for 'script'; trusted-types 'none'`,
    });
    res.end(html);
  });
  const port = await freePort();
  await new Promise((ok) => server.listen(port, "localhost", ok));
  return { url: `http://localhost:${port}`, pages, close: () => new Promise((ok) => server.close(ok)) };
}

/** Holds back every wasm the context asks for until the returned `release()`. */
export async function holdWasm(context) {
  let release;
  const released = new Promise((ok) => (release = ok));
  await context.route("**/*.wasm", async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

export function freePort() {
  return new Promise((ok, fail) => {
    const probe = createServer().once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => ok(port));
    });
  });
}

/**
 * Starts `article-embed serve` with its data directory (SQLite file, mail) in `dir` (`null`:
 * the default, ./article-embed-data in `cwd`) and resolves once it answers. Options: `bin`, `cwd` (the repository by default, whose
 * dist/ and articles/ it then serves), `env` (added to this process's), `addr` (`127.0.0.1`).
 * Returns `{ url, port, child, stop(), log(), exited }`.
 */
export async function serve(dir, port, extra = [], { bin = BIN, cwd = REPO, env = {}, host = "127.0.0.1" } = {}) {
  const dataDir = dir === null ? [] : ["--data-dir", dir];
  const child = spawn(bin, ["serve", "--addr", `${host}:${port}`, ...dataDir, ...extra], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  child.stderr.on("data", (d) => (log += d));
  const exited = new Promise((ok) => child.once("exit", (code, signal) => ok({ code, signal })));
  const closed = new Promise((ok) => child.once("close", ok));
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) {
      await closed; // all of stderr read
      throw new Error(`serve exited: ${log}`);
    }
    try {
      await fetch(`${url}/healthz-probe`);
      break;
    } catch (error) {
      if (i > 150) throw new Error(`serve did not answer: ${error.message}\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const stop = () =>
    new Promise((ok) => {
      if (child.exitCode !== null || child.signalCode !== null) return ok();
      child.once("exit", ok);
      child.kill("SIGKILL");
    });
  return { url, port, child, stop, log: () => log, exited };
}

/** The signups in a data directory, read back through `article-embed signups export`. */
export async function rows(dir) {
  const { stdout } = await promisify(execFile)(BIN, ["signups", "export", "--data-dir", dir]);
  const [names, ...lines] = csv(stdout);
  return lines.map((line) => Object.fromEntries(line.map((v, i) => [names[i], v])));
}

/** RFC 4180: rows of fields, quoted fields with their commas, quotes and line breaks. */
function csv(text) {
  const rows = [[]];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") rows.at(-1).push(field), (field = "");
    else if (c === "\r" && text[i + 1] === "\n") rows.at(-1).push(field), (field = ""), rows.push([]), i++;
    else field += c;
  }
  if (field || rows.at(-1).length) rows.at(-1).push(field);
  return rows.filter((row) => row.length > 1 || row[0]);
}

/**
 * The mails the server wrote to its data directory (no SMTP), oldest first. The server
 * sends mail after answering: with `atLeast`, waits (up to 5 s) until there are that many.
 */
export async function mails(dir, atLeast = 0) {
  const folder = join(dir, "mail");
  const files = () => (existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith(".eml")) : []);
  for (let i = 0; i < 100 && files().length < atLeast; i++) await new Promise((r) => setTimeout(r, 50));
  return files()
    .map((f) => join(folder, f))
    .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs)
    .map((f) => readFileSync(f, "utf8").replace(/=\r\n/g, "").replace(/=3D/g, "="));
}

/** The confirmation links in those mails (waiting for `atLeast` mails). */
export async function confirmationLinks(dir, atLeast = 0) {
  return (await mails(dir, atLeast))
    .map((m) => m.match(/https?:\/\/\S+token=[0-9a-f]{32}/)?.[0])
    .filter(Boolean);
}
