// The npm package in Next.js as a developer meets it: an app made by create-next-app's
// defaults (App Router, Turbopack, Cache Components, TypeScript), the packed tarball
// installed, nothing configured. The pages (tests/npm/next-app) are the README's recipes:
// a client component that defines the element, <ArticleEmbed> in a Server Component
// prerendered at build time, article-embed/server's HTML in a Server Component, and
// <ArticleEmbed> with its events rendered at request time; a route handler takes the signups.
// `next build` + `next start` and `next dev` with Turbopack, then `next build --webpack`,
// each driven in Debian's Chromium: every card ready, the server's nodes kept, not one
// console warning or error.
import assert from "node:assert/strict";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { freePort, launchBrowser, openPage } from "../e2e/helpers.mjs";
import { assertCardOnPage, assertRecipesInReadme, assertRenderedPerRequest, assertThemeSetAsProperty, card, complaints, copyStory, KEEP_SERVER_HEADLINE, keptServerNodes, REPO, run, scratch, SEED_HEADLINE, startApp, STORY_URL, TARBALL } from "./common.mjs";

// The scaffolder's current release, pinned so the test does not drift; it installs the
// Next.js, React and TypeScript it was released with.
const CREATE_NEXT_APP = "create-next-app@16.4.3";

/** The pages and what each shows: whether the HTML already holds the card. */
const PAGES = [
  { path: "/client", serverRendered: false },
  // Its words fetched from what the bundler copied of the package.
  { path: "/french", serverRendered: false, link: /^Lire l’article complet/ },
  { path: "/static", serverRendered: true },
  { path: "/raw", serverRendered: true },
  { path: "/live", serverRendered: true },
];

/** Checks each page's card: ready, its photo and credit, the server's nodes kept. */
async function checkPages(t, context, base, label) {
  for (const { path, serverRendered, link } of PAGES) {
    const how = serverRendered ? "the server's nodes kept" : "drawn in the browser";
    await t.test(`${label}: ${path} — card ready, ${how}, no console warning or error`, () => assertCardOnPage(context, `${base}${path}`, { serverRendered, link }));
  }
}

test("the package README's Next.js recipes are the pages tested here", () => {
  assertRecipesInReadme(["app/static/page.tsx", "app/live/tracked.tsx", "app/live/page.tsx", "app/client/card.tsx", "app/raw/page.tsx", "app/raw/define.tsx"].map((f) => `tests/npm/next-app/${f}`));
});

test("the packed npm package in a fresh Next.js app", { timeout: 20 * 60_000 }, async (t) => {
  const dir = scratch(t, "next");
  await run("npx", ["--yes", CREATE_NEXT_APP, "app", "--yes"], { cwd: dir, timeout: 300_000 });
  const app = join(dir, "app");
  cpSync(join(REPO, "tests/npm/next-app"), app, { recursive: true });
  cpSync(join(REPO, "articles/myanmar-diplomat.json"), join(app, "app/story.json"));
  copyStory(join(app, "public"));
  await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", TARBALL], { cwd: app, timeout: 240_000 });
  const bin = (name) => join(app, "node_modules/.bin", name);
  const config = readFileSync(join(app, "next.config.ts"), "utf8");
  assert.match(config, /cacheComponents: true/, "the scaffold's defaults (Cache Components)");
  assert.doesNotMatch(config, /serverExternalPackages|article-embed/, "nothing configured for the package");

  await t.test("tsc: <article-embed> and <ArticleEmbed> typed in TSX, wrong values refused", async () => {
    await assert.doesNotReject(run(bin("tsc"), ["--noEmit", "-p", "."], { cwd: app }));
    writeFileSync(
      join(app, "bad.tsx"),
      [
        'import { ArticleEmbed } from "article-embed/react";',
        'import type {} from "article-embed/react";',
        'export const a = <article-embed theme="purple" />;',
        'export const b = <ArticleEmbed layout="wide" />;',
        'export const c = <ArticleEmbed onSubscribe={(d) => d.status === "maybe"} />;',
        "",
      ].join("\n"),
    );
    writeFileSync(join(app, "tsconfig.bad.json"), JSON.stringify({ extends: "./tsconfig.json", include: ["next-env.d.ts", "bad.tsx"] }));
    const bad = await run(bin("tsc"), ["--noEmit", "-p", "tsconfig.bad.json"], { cwd: app }).then(
      () => assert.fail("tsc accepted wrong values"),
      (error) => error.stdout,
    );
    assert.match(bad, /bad\.tsx\(3,\d+\): error TS2322: Type '"purple"' is not assignable/);
    assert.match(bad, /bad\.tsx\(4,\d+\): error TS2322: Type '"wide"' is not assignable/);
    assert.match(bad, /bad\.tsx\(5,\d+\): error TS2367: .*"maybe"/);
    rmSync(join(app, "bad.tsx"));
    rmSync(join(app, "tsconfig.bad.json"));
  });

  let buildOutput = "";
  await t.test("next build (Turbopack): no configuration, no warning, the Server Component pages prerendered", async () => {
    const { stdout, stderr } = await run(bin("next"), ["build"], { cwd: app, timeout: 600_000, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    buildOutput = stdout + stderr;
    assert.doesNotMatch(buildOutput, /warn|error|Module not found/i, buildOutput);
    for (const page of ["static", "raw"]) {
      const html = readFileSync(join(app, ".next/server/app", `${page}.html`), "utf8");
      assert.match(html, /<template shadowrootmode="open">/, `${page}: prerendered with its card`);
      assert.ok(html.includes("Diplomat at Myanmar Embassy in TLV resigns"), `${page}: the headline in the prerendered HTML`);
    }
  });

  await t.test("the browser's bundles hold the browser's wasm and the words, never the server renderer's", () => {
    const files = [];
    const walk = (d) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(join(app, ".next/static"));
    const wasm = files.filter((f) => f.endsWith(".wasm"));
    assert.equal(wasm.length, 1, wasm.join(", "));
    assert.equal(statSync(wasm[0]).size, statSync(join(app, "node_modules/article-embed/pkg/article-embed_bg.wasm")).size);
    const words = readFileSync(join(app, "node_modules/article-embed/src/words.json"));
    assert.ok(files.some((f) => readFileSync(f).equals(words)), "the words of the other languages, copied as they are");
    const renderer = readFileSync(join(app, "node_modules/article-embed/pkg-server/article-embed-server-wasm.js"), "utf8").slice(100, 160);
    assert.equal(files.filter((f) => f.endsWith(".js") && readFileSync(f, "utf8").includes(renderer)).length, 0);
  });

  const browser = await launchBrowser(t);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const context = await browser.newContext();
  await context.addInitScript(KEEP_SERVER_HEADLINE);
  {
    const server = await startApp(t, bin("next"), ["start", "-p", String(port), "-H", "127.0.0.1"], { cwd: app, url: `${base}/static` });
    await checkPages(t, context, base, "next start");

    await t.test("next start: /live is rendered for each request", () => assertRenderedPerRequest(`${base}/live`));

    await t.test("next start: a signup by JSON from <ArticleEmbed>, its events in React state, options as properties", async () => {
      const opened = await openPage(context, `${base}/live`);
      const { page } = opened;
      await page.locator("#ready").filter({ hasText: `ready: ${STORY_URL}` }).waitFor();
      const field = (part) => page.locator(`article-embed [part~=${part}]`);
      await field("email").fill("next-json@example.org");
      await field("submit").click();
      await page.locator("#signup").filter({ hasText: "pending" }).waitFor();
      const signups = await (await fetch(`${base}/api/signups`)).json();
      const mine = signups.filter((s) => s.email === "next-json@example.org");
      assert.equal(mine.length, 1);
      assert.equal(mine[0].via, "json");
      assert.match(mine[0].key ?? "", /\S/, "with its Idempotency-Key");
      assert.equal(mine[0].page, `${base}/live`);
      await assertThemeSetAsProperty(page, "#dark");
      assert.equal(await keptServerNodes(page), true, "still the server's nodes");
      assert.deepEqual(complaints(opened), []);
      await page.close();
    });

    await t.test("next start, no script: the prerendered card shows, and its form posts to the route handler", async () => {
      const noScript = await browser.newContext({ javaScriptEnabled: false });
      const page = await noScript.newPage();
      await page.goto(`${base}/static`);
      const shown = await card(page);
      assert.deepEqual([shown.state, shown.headline, shown.action], [null, SEED_HEADLINE, "/api/subscribe"]);
      await page.locator("article-embed [part~=email]").fill("next-form@example.org");
      await Promise.all([page.waitForNavigation(), page.locator("article-embed [part~=submit]").click()]);
      assert.match(await page.textContent("body"), /Check your inbox/);
      const signups = await (await fetch(`${base}/api/signups`)).json();
      const mine = signups.filter((s) => s.email === "next-form@example.org");
      assert.equal(mine.length, 1);
      assert.equal(mine[0].via, "form");
      await noScript.close();
    });
    server.stop();
  }

  await t.test("next dev (Turbopack)", async (t) => {
    const devPort = await freePort();
    // localhost: the origin next dev expects its own pages on (another one is a cross-origin
    // dev request, which it refuses).
    const devBase = `http://localhost:${devPort}`;
    await startApp(t, bin("next"), ["dev", "-p", String(devPort)], { cwd: app, url: `${devBase}/static`, timeout: 300_000 });
    await checkPages(t, context, devBase, "next dev");
  });

  await t.test("next build --webpack, next start", async (t) => {
    const { stdout, stderr } = await run(bin("next"), ["build", "--webpack"], { cwd: app, timeout: 600_000, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    assert.doesNotMatch(stdout + stderr, /warn|error|Module not found/i, stdout + stderr);
    const webpackPort = await freePort();
    const webpackBase = `http://127.0.0.1:${webpackPort}`;
    await startApp(t, bin("next"), ["start", "-p", String(webpackPort), "-H", "127.0.0.1"], { cwd: app, url: `${webpackBase}/static` });
    await checkPages(t, context, webpackBase, "webpack");
  });
  assert.ok(existsSync(join(app, ".next")));
});
