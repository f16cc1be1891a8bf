// The npm package in the frameworks that render on the server first, as a developer uses
// it: the packed tarball installed into a fresh app (tests/npm/ssr-app) with Vite and
// React 19; imported in Node; article-embed/server's markup compared with `article-embed
// snippet`'s; the app built with `vite build` and `vite build --ssr`, served by its own Node
// server on 127.0.0.1 and driven in Debian's Chromium, with and without JavaScript.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { BIN, launchBrowser, openPage, setUp, waitForState } from "../e2e/helpers.mjs";
import { assertRecipesInReadme, assertThemeSetAsProperty, REPO, run, SEED_HEADLINE, STORY_URL, TARBALL } from "./common.mjs";

// What a developer would install today; pinned so the test does not drift.
const TOOLS = ["vite@7.3.8", "react@19.2.9", "react-dom@19.2.9"];

/** Runs `source` as an ES module in Node, in `cwd`; resolves to what it printed, as JSON. */
async function inNode(cwd, source) {
  const file = join(cwd, `probe-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, source);
  try {
    const { stdout, stderr } = await run(process.execPath, [file], { cwd });
    return { out: JSON.parse(stdout), stderr };
  } finally {
    rmSync(file, { force: true });
  }
}

/** The node in the card's shadow root that `selector` names, kept on window as `name`. */
const KEEP = ([name, selector]) => {
  document.addEventListener("DOMContentLoaded", () => {
    window[name] = document.querySelector("article-embed")?.shadowRoot?.querySelector(selector) ?? null;
  });
};

test("the package README's React recipe is the component tested here", () => {
  assertRecipesInReadme(["tests/npm/ssr-app/src/App.jsx"]);
});

test("the packed npm package on the server: Node, Vite SSR and React 19", async (t) => {
  assert.ok(existsSync(TARBALL), `${TARBALL} is missing: run make dist`);
  assert.ok(existsSync(BIN), `${BIN} is missing: run make test`);
  const app = mkdtempSync(join(tmpdir(), "article-embed-ssr-"));
  t.after(() => rmSync(app, { recursive: true, force: true }));
  cpSync(join(REPO, "tests/npm/ssr-app"), app, { recursive: true });
  for (const file of ["myanmar-funeral.svg", "publisher-logo.svg"]) cpSync(join(REPO, "articles", file), join(app, "public", file));
  cpSync(join(REPO, "articles/myanmar-diplomat.json"), join(app, "public/story.json"));
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "ssr-app", private: true, type: "module" }));
  await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", TARBALL, ...TOOLS], { cwd: app, timeout: 240_000 });

  await t.test("imports in Node: define() does nothing, mount() says where it runs", async () => {
    const { out } = await inNode(
      app,
      `const pkg = await import("article-embed");
       const out = { define: pkg.define() === undefined };
       out.mount = await pkg.mount({}, {}).then(() => "resolved", (e) => e.message);
       out.server = import.meta.resolve("article-embed/server");
       out.renderToString = typeof (await import("article-embed/server")).renderToString;
       console.log(JSON.stringify(out));`,
    );
    assert.equal(out.define, true);
    assert.equal(out.mount, 'article-embed: mount() runs in a browser; on a server, render the card with renderToString() from "article-embed/server"');
    assert.match(out.server, /node_modules\/article-embed\/src\/server\.js$/, "the node condition picks the renderer");
    assert.equal(out.renderToString, "function");
  });

  await t.test("ready at import: a render does no I/O and completes before any other task", async () => {
    const { out } = await inNode(
      app,
      `import { readFileSync } from "node:fs";
       const story = readFileSync(${JSON.stringify(join(REPO, "articles/myanmar-diplomat.json"))}, "utf8");
       const { renderToString, renderInnerHTMLSync } = await import("article-embed/server");
       let settled = false;
       const pending = renderToString(story, { src: "/story.json" }).then(() => (settled = true));
       await new Promise((resolve) => setImmediate(resolve));
       const sync = renderInnerHTMLSync(story, { src: "/story.json" });
       console.log(JSON.stringify({ settled, sync: typeof sync === "string" && sync.trimStart().startsWith("<template shadowrootmode"), awaited: await pending }));`,
    );
    assert.deepEqual(out, { settled: true, sync: true, awaited: true });
  });

  await t.test("edge and worker runtimes: the renderer says plainly that it needs Node.js", async () => {
    for (const condition of ["edge-light", "workerd", "worker"]) {
      const file = join(app, "edge-probe.mjs");
      writeFileSync(
        file,
        `const server = await import("article-embed/server");
         const reason = await server.renderToString({ headline: "x" }).then(() => "resolved", (e) => e.message);
         let thrown;
         try { server.renderInnerHTMLSync({ headline: "x" }); } catch (e) { thrown = e.message; }
         console.log(JSON.stringify({ resolved: import.meta.resolve("article-embed/server"), reason, thrown }));`,
      );
      const { stdout } = await run(process.execPath, [`--conditions=${condition}`, file], { cwd: app });
      const out = JSON.parse(stdout);
      assert.match(out.resolved, /\/src\/server-edge\.js$/, condition);
      assert.match(out.reason, /^article-embed: article-embed\/server needs the Node\.js runtime, and this is an edge or worker runtime\. /, condition);
      assert.equal(out.thrown, out.reason, condition);
    }
  });

  await t.test("renderToString gives the markup of article-embed snippet, byte for byte", async () => {
    const cases = [
      {
        file: "articles/myanmar-diplomat.json",
        options: { baseUrl: "https://news.example/articles/myanmar-diplomat.json", signupEndpoint: "https://news.example/api/subscribe", script: "/dist/article-embed.js" },
        flags: ["--base", "https://news.example/articles/myanmar-diplomat.json", "--signup-endpoint", "https://news.example/api/subscribe", "--script", "/dist/article-embed.js"],
      },
      {
        // Hebrew: right to left, and a date written from the language's own tables.
        file: "articles/myanmar-diplomat-he.json",
        options: { src: "https://news.example/articles/myanmar-diplomat-he.json", theme: "dark", layout: "compact", newsletter: "<Daily> \"News\"", consent: "required", privacyUrl: "/privacy", lang: "he", script: "https://cdn.example/article-embed.js" },
        flags: ["--src", "https://news.example/articles/myanmar-diplomat-he.json", "--theme", "dark", "--layout", "compact", "--newsletter", "<Daily> \"News\"", "--consent", "required", "--privacy-url", "/privacy", "--lang", "he", "--script", "https://cdn.example/article-embed.js"],
      },
    ];
    for (const { file, options, flags } of cases) {
      const { stdout: expected } = await run(BIN, ["snippet", file, ...flags], { cwd: REPO });
      const { out } = await inNode(
        app,
        `import { renderToString } from "article-embed/server";
         const text = ${JSON.stringify(readFileSync(join(REPO, file), "utf8"))};
         console.log(JSON.stringify(await renderToString(text, ${JSON.stringify(options)})));`,
      );
      // Yew names each component in its hydration markers in a debug build (the test's
      // binary), as <!--<[article_embed::components::Card]>-->, and not in a release build
      // (the wasm): the markers are compared without the names.
      const unnamed = (html) => html.replace(/<!--(<\/?)\[[^\]]*\]>-->/g, "<!--$1[]>-->");
      assert.equal(unnamed(out), unnamed(expected), `${file}: differs from article-embed snippet`);
      assert.ok(out.length > 10_000, "a whole card");
      assert.match(out, /<template shadowrootmode="open"><style>/);
    }
  });

  await t.test("bad data: an Error naming each field, as check does; dropped values warned", async () => {
    const bad = { "@type": "NewsArticle", headline: 7, url: "javascript:alert(1)" };
    const badFile = join(app, "bad.json");
    writeFileSync(badFile, JSON.stringify(bad));
    const checked = await run(BIN, ["check", badFile]).then(
      () => assert.fail("check passed bad data"),
      (error) => error.stdout,
    );
    const problems = checked.trim().split("\n").map((line) => line.slice(`${badFile}: `.length));
    const { out, stderr } = await inNode(
      app,
      `import { renderToString } from "article-embed/server";
       const story = JSON.parse(${JSON.stringify(readFileSync(join(REPO, "articles/myanmar-diplomat.json"), "utf8"))});
       const reason = (p) => p.then(() => "resolved", (e) => e.message);
       console.log(JSON.stringify({
         bad: await reason(renderToString(${JSON.stringify(bad)})),
         notJson: await reason(renderToString("{\\"headline\\": ")),
         option: await reason(renderToString(story, { signupEndpont: "/x" })),
         bytes: await reason(renderToString(new TextEncoder().encode(JSON.stringify(story)))),
         lenient: (await renderToString({ ...story, url: "javascript:alert(1)", image: { url: 7 } }, { baseUrl: "https://news.example/" })).includes("part=\\"headline\\""),
         after: (await renderToString(story, { baseUrl: "https://news.example/" })).includes("Diplomat at Myanmar"),
       }));`,
    );
    assert.equal(out.bad, `article-embed: ${problems.join("; ")}`);
    assert.deepEqual(problems, ["headline: expected text, found a number", "url: not an http(s) URL (dropped)"]);
    assert.match(out.notJson, /^article-embed: \(document\): not valid JSON: /);
    assert.equal(out.option, 'article-embed: unknown option "signupEndpont"');
    assert.equal(out.bytes, "article-embed: the article must be JSON-LD text or an object, not bytes (decode them first)");
    assert.equal(out.lenient, true, "a bad optional field does not stop the card");
    assert.match(stderr, /article-embed: url: not an http\(s\) URL \(dropped\)/);
    assert.match(stderr, /article-embed: image\.url: expected text, found a number/);
    assert.equal(out.after, true, "the renderer keeps working after errors");
  });

  await t.test("vite build and vite build --ssr", async () => {
    const vite = join(app, "node_modules/.bin/vite");
    // At the warn level: bundling article-embed/react's "use client" says nothing.
    const client = await run(vite, ["build", "--logLevel", "warn", "--outDir", "dist/client"], { cwd: app });
    assert.equal((client.stdout + client.stderr).trim(), "", "vite build warned");
    // Again with React's development build, whose hydration reports every mismatch.
    await run(vite, ["build", "--logLevel", "error", "--mode", "development", "--base", "/dev/", "--outDir", "dist/client-dev"], {
      cwd: app,
      env: { ...process.env, NODE_ENV: "development" },
    });
    await run(vite, ["build", "--logLevel", "error", "--ssr", "src/entry-server.js", "--outDir", "dist/server"], { cwd: app });
    await run(vite, ["build", "--logLevel", "error", "--ssr", "src/react-server.jsx", "--outDir", "dist/server-react"], { cwd: app });
    // The browser's bundle has the browser's wasm only: the server renderer stays out.
    const wasm = readdirSync(join(app, "dist/client/assets")).filter((f) => f.endsWith(".wasm"));
    assert.equal(wasm.length, 1, wasm.join(", "));
    const browserWasm = readFileSync(join(REPO, "www/pkg/article-embed_bg.wasm"));
    assert.equal(readFileSync(join(app, "dist/client/assets", wasm[0])).length, browserWasm.length);
  });

  const child = spawn(process.execPath, ["server.mjs"], { cwd: app, env: { ...process.env, PORT: "0" }, stdio: ["ignore", "pipe", "inherit"] });
  t.after(() => child.kill());
  const port = await new Promise((ok, fail) => {
    child.once("exit", (code) => fail(new Error(`server.mjs exited with ${code}`)));
    child.stdout.once("data", (d) => ok(JSON.parse(d).port));
  });
  const url = `http://127.0.0.1:${port}`;
  const { context } = await setUp(t);
  const browser = await launchBrowser(t);
  const noScript = await browser.newContext({ javaScriptEnabled: false });

  /** Headline, form action and state of the card as the page shows it. */
  const card = (page) =>
    page.evaluate(() => {
      const element = document.querySelector("article-embed");
      const root = element?.shadowRoot;
      return {
        headline: root?.querySelector("[part=headline]")?.textContent ?? null,
        action: root?.querySelector("form")?.getAttribute("action") ?? null,
        state: element?.getAttribute("state") ?? null,
      };
    });

  for (const [name, path] of [["plain Vite SSR", "/"], ["React 19", "/react"]]) {
    await t.test(`${name}: the page's HTML holds the card, shown with no script`, async () => {
      const page = await noScript.newPage();
      await page.goto(`${url}${path}`);
      assert.deepEqual(await card(page), { headline: SEED_HEADLINE, action: "/api/subscribe", state: null });
      const box = await page.evaluate(() => document.querySelector("article-embed").shadowRoot.querySelector("[part=card]").getBoundingClientRect().height);
      assert.ok(box > 300, `the card is laid out (${box} px), its styles inside`);
      await page.close();
    });
  }

  // Each page keeps the server's headline node as it was parsed, to tell a card taken over
  // from one drawn again.
  await context.addInitScript(KEEP, ["__serverHeadline", "[part=headline]"]);

  await t.test("plain Vite SSR: Chromium hydrates the server's card to ready, no warning", async () => {
    const { page, errors, console: messages } = await openPage(context, `${url}/`);
    await waitForState(page, "article-embed", "ready");
    assert.equal(
      await page.evaluate(() => window.__serverHeadline?.isConnected && window.__serverHeadline === document.querySelector("article-embed").shadowRoot.querySelector("[part=headline]")),
      true,
      "the server's nodes were taken over, not drawn again",
    );
    await page.waitForFunction(() => document.body.dataset.serverInBrowser);
    assert.match(await page.evaluate(() => document.body.dataset.serverInBrowser), /article-embed\/server renders on a Node server/);
    assert.deepEqual(errors, []);
    assert.deepEqual(messages.filter((m) => m.type === "warning" || m.type === "error"), []);
    await page.close();
  });

  for (const [build, path] of [["production", "/react"], ["development", "/dev/react"]]) {
    await t.test(`React 19 (${build} build): hydrated, ready, events reach React handlers, props set as properties`, async () => {
      const { page, errors, console: messages } = await openPage(context, `${url}${path}`);
      await page.locator("#ready").filter({ hasText: `ready: ${STORY_URL}` }).waitFor();
      assert.equal(await page.evaluate(() => document.querySelector("article-embed").getAttribute("state")), "ready");
      assert.equal(
        await page.evaluate(() => window.__serverHeadline?.isConnected && window.__serverHeadline === document.querySelector("article-embed").shadowRoot.querySelector("[part=headline]")),
        true,
        "the server's nodes were taken over, not drawn again",
      );
      // A signup: the card's subscribe event reaches React's state.
      const form = (part) => page.locator(`article-embed [part~=${part}]`);
      await form("email").fill(`reader-${build}@example.org`);
      await form("consent").check();
      await form("submit").click();
      await page.locator("#signup").filter({ hasText: "pending" }).waitFor();
      const signups = await (await fetch(`${url}/signups`)).json();
      assert.equal(signups.filter((s) => s.email === `reader-${build}@example.org`).length, 1);
      // <ArticleEmbed> sets the changed prop as the element's property; the card follows.
      await assertThemeSetAsProperty(page, "#dark");
      assert.deepEqual(errors, []);
      assert.deepEqual(messages.filter((m) => m.type === "warning" || m.type === "error"), []);
      // React's development build says so on the console: proof that its checks ran.
      assert.equal(messages.some((m) => /React DevTools/.test(m.text)), build === "development");
      await page.close();
    });
  }
});
