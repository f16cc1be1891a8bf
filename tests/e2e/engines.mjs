// One small driver layer over the three engines readers use, so that one test file runs in
// each: Chromium (playwright-core), Firefox ESR (puppeteer-core over WebDriver BiDi) and
// WebKitGTK, Safari's engine (selenium-webdriver and WebKitWebDriver under Xvfb), all from
// Debian's packages. A page offers only what every driver does alike: open a URL, run a
// function in the page, wait for one to hold, take a screenshot.
//
//   ENGINES=firefox,webkit node --test tests/e2e/engines.test.mjs   (default: all three)
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import puppeteer from "puppeteer-core";
import { Builder } from "selenium-webdriver";
import { freePort } from "./helpers.mjs";

export const ENGINES = (process.env.ENGINES ?? "chromium,firefox,webkit").split(",").map((e) => e.trim()).filter(Boolean);

const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
];
const MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

/** `fn` with `args`, as one expression for any driver's "evaluate a string". */
const expression = (fn, args) => `(${fn})(...${JSON.stringify(args)})`;

/**
 * Starts `engine` and resolves to `{ name, version, open(url, { width, height }), close() }`.
 * A page is `{ evaluate(fn, ...args), waitFor(fn, args, timeout), screenshot(selector, file), close() }`.
 * Windows stay at most 1200 px tall: WebKitGTK's screenshots hang above that (and, seen
 * here, at some sizes below it: 700×1100 works where 700×1200 hangs on one page).
 */
export async function launch(engine) {
  if (engine === "chromium") {
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
    return {
      name: engine,
      version: `Chromium ${browser.version()}`,
      async open(url, { width = 1000, height = 1100 } = {}) {
        const page = await browser.newPage({ viewport: { width, height } });
        await page.goto(url);
        return {
          evaluate: (fn, ...args) => page.evaluate(expression(fn, args)),
          screenshot: (selector, file) => page.locator(selector).screenshot({ path: file }),
          close: () => page.close(),
        };
      },
      close: () => browser.close(),
    };
  }
  if (engine === "firefox") {
    const browser = await puppeteer.launch({ browser: "firefox", executablePath: "/usr/bin/firefox-esr", headless: true });
    return {
      name: engine,
      version: `Firefox ${(await browser.version()).replace(/^firefox\//, "")}`,
      async open(url, { width = 1000, height = 1100 } = {}) {
        const page = await browser.newPage();
        await page.setViewport({ width, height });
        await page.goto(url);
        return {
          evaluate: (fn, ...args) => page.evaluate(expression(fn, args)),
          async screenshot(selector, file) {
            const element = await page.$(selector);
            await element.screenshot({ path: file });
          },
          close: () => page.close(),
        };
      },
      close: () => browser.close(),
    };
  }
  if (engine === "webkit") {
    // WebKitGTK's driver has been seen to stall (once here: the suite waited out its 300 s
    // timeout with no word). A first session that does not come within a minute is given
    // up and the driver started once more, afresh; later steps are bounded (below).
    let webkit;
    for (let attempt = 1; !webkit; attempt++) {
      try {
        webkit = await startWebKit();
      } catch (error) {
        if (attempt >= 2) throw error;
        console.log(`WebKitGTK did not start (${error.message}); trying once more`);
      }
    }
    const { session, stopServer, version } = webkit;
    const drivers = new Set();
    return {
      name: engine,
      version: `WebKitGTK ${version}`,
      // A session per page: WebKitGTK's driver has one window per session.
      async open(url, { width = 1000, height = 1100 } = {}) {
        const driver = await session();
        drivers.add(driver);
        // Each step bounded, so that a stalled driver fails one check with a reason rather
        // than the whole suite at its timeout.
        await driver.manage().setTimeouts({ script: 30_000, pageLoad: 60_000 });
        await within(driver.manage().window().setRect({ width, height: Math.min(height, 1200) }), 30_000, "resizing the window");
        await within(driver.get(url), 70_000, `loading ${url}`);
        return {
          async evaluate(fn, ...args) {
            const result = await driver.executeAsyncScript(
              `const done = arguments[arguments.length - 1];
               Promise.resolve().then(() => ${expression(fn, args)}).then(
                 (value) => done({ value: value === undefined ? null : value }),
                 (error) => done({ error: String(error && error.stack || error) }));`,
            );
            if (result.error) throw new Error(result.error);
            return result.value;
          },
          async screenshot(selector, file) {
            const element = await driver.findElement({ css: selector });
            // A screenshot can hang WebKitGTK's driver: give up rather than stall the suite.
            const png = await Promise.race([
              element.takeScreenshot(true),
              new Promise((_, fail) => setTimeout(() => fail(new Error("screenshot timed out")), 20_000)),
            ]);
            writeFileSync(file, Buffer.from(png, "base64"));
          },
          async close() {
            drivers.delete(driver);
            await within(driver.quit(), 30_000, "closing the session");
          },
        };
      },
      async close() {
        for (const driver of drivers) await within(driver.quit(), 30_000, "closing a session").catch(() => {});
        stopServer();
      },
    };
  }
  throw new Error(`unknown engine ${engine}`);
}

/** Rejects with "`what` timed out" if `promise` has not settled within `ms`. */
function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * WebKitWebDriver under Xvfb, answering; `session()` opens a MiniBrowser window (a session
 * per page: WebKitGTK's driver has one window per session), or rejects after a minute.
 */
async function startWebKit() {
  const port = await freePort();
  const profile = mkdtempSync(join(tmpdir(), "article-embed-webkit-"));
  const server = spawn("xvfb-run", ["-a", "-s", "-screen 0 1280x1600x24", "WebKitWebDriver", `--port=${port}`], {
    env: { ...process.env, WEBKIT_DISABLE_COMPOSITING_MODE: "1", XDG_CACHE_HOME: profile, XDG_DATA_HOME: profile },
    stdio: "ignore",
    detached: true,
  });
  const stopServer = () => {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {}
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    for (let i = 0; ; i++) {
      try {
        await fetch(`http://127.0.0.1:${port}/status`);
        break;
      } catch (error) {
        if (i > 100) throw new Error(`WebKitWebDriver did not start: ${error.message}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const session = () =>
      within(
        new Builder()
          .usingServer(`http://127.0.0.1:${port}`)
          .withCapabilities({ browserName: "MiniBrowser", "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] } })
          .build(),
        60_000,
        "a WebKitGTK session",
      );
    const probe = await session();
    const version = (await probe.getCapabilities()).get("browserVersion");
    await probe.quit();
    return { session, stopServer, version };
  } catch (error) {
    stopServer();
    throw error;
  }
}

/** Polls `fn` in the page until it returns something truthy, and returns that. */
export async function waitFor(page, what, fn, args = [], timeout = 20_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await page.evaluate(fn, ...args);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
