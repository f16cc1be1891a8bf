// Shared by the end-to-end tests: Debian's Chromium driven by playwright-core, and the
// repository served on 127.0.0.1 (tools/serve.mjs) with the built dist/ script.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { startServer } from "../../tools/serve.mjs";

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
  page.on("console", (m) => console_.push({ type: m.type(), text: m.text() }));
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

const REPO = resolve(import.meta.dirname, "../..");
/** The server binary (a dev build, made by `make test`). */
export const BIN = join(REPO, "target/debug/article-embed");

export function freePort() {
  return new Promise((ok, fail) => {
    const probe = createServer().once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => ok(port));
    });
  });
}

/** Starts `article-embed serve` (SQLite file and mail drop in `dir`) and resolves once it answers. */
export async function serve(dir, port, extra = [], bin = BIN) {
  const child = spawn(
    bin,
    ["serve", "--addr", `127.0.0.1:${port}`, "--db", `sqlite://${join(dir, "signups.db")}`, "--mail-dir", join(dir, "mail"), ...extra],
    { cwd: REPO, stdio: ["ignore", "ignore", "pipe"] },
  );
  let log = "";
  child.stderr.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`serve exited: ${log}`);
    try {
      await fetch(`${url}/articles/myanmar-diplomat.json`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const stop = () =>
    new Promise((ok) => {
      if (child.exitCode !== null || child.signalCode !== null) return ok();
      child.once("exit", ok);
      child.kill("SIGKILL");
    });
  return { url, stop, log: () => log };
}

