// End-to-end: the README's first snippet (`<article-embed src=… signup-endpoint=…>` and the
// script, both from the publisher's `article-embed serve`) on a host page of another origin
// that enforces a strict CSP and Trusted Types. The card shows the server's markup, ready,
// before any wasm; the wasm comes when the reader reaches for the card; what the reader
// typed and a Subscribe pressed meanwhile are kept, and the signup is sent exactly once.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { startServer } from "../support/serve.mjs";
import { BIN, freePort, holdWasm, launchBrowser, openPage, REPO, rows, serve, startStrictHost, waitForState } from "./helpers.mjs";

const HEADLINE = "Diplomat at Myanmar Embassy in TLV resigns following Junta's crackdown";

test("a src card from the publisher's server: its markup before the wasm", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "article-embed-markup-"));
  const port = await freePort();
  let publisher = await serve(dir, port);
  const host = await startStrictHost(publisher.url);
  const browser = await launchBrowser(t);
  t.after(async () => {
    await publisher.stop();
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const snippet = (attributes = "") => `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>host</title></head><body>
<h1>A host page</h1>
<article-embed id="card" src="${publisher.url}/articles/myanmar-diplomat.json" signup-endpoint="${publisher.url}/api/subscribe"${attributes}>
  <a href="https://news.example/myanmar-diplomat">${HEADLINE}</a>
</article-embed>
<p>After the card.</p>
<script type="module" src="${publisher.url}/dist/article-embed.js"></script>
</body></html>`;
  host.pages.set("/", snippet());

  /** A page whose wasm waits until `release()`; records what it asked the publisher. */
  async function held(path = "/") {
    const context = await browser.newContext();
    t.after(() => context.close());
    const release = await holdWasm(context);
    const { page, errors, console: messages } = await openPage(context);
    const asked = [];
    page.on("request", (r) => asked.push({ url: r.url(), method: r.method() }));
    await page.goto(`${host.url}${path}`);
    return { page, errors, messages, asked, release };
  }

  await t.test("ready, styled and with its form while the wasm is held back", async () => {
    const { page, errors, messages, asked, release } = await held();
    await waitForState(page, "#card", "ready");
    const seen = await page.evaluate(() => {
      const root = document.querySelector("#card").shadowRoot;
      const headline = root.querySelector("[part~=headline]");
      return {
        headline: headline?.textContent,
        // The card's own styles (a constructed sheet: the page's CSP blocks <style>).
        sheets: root.adoptedStyleSheets.length,
        display: getComputedStyle(root.querySelector("[part~=card]")).display,
        margin: getComputedStyle(headline).marginBlockStart,
        form: !!root.querySelector("[part~=email]"),
        fallback: !!root.querySelector("slot"),
        height: document.querySelector("#card").getBoundingClientRect().height,
      };
    });
    assert.equal(seen.headline, HEADLINE);
    assert.ok(seen.sheets >= 1, "styled by a constructed sheet");
    assert.equal(seen.margin, "0px", "the headline has the card's styles, not an h2's default margin");
    assert.ok(seen.form, "the signup form is there");
    assert.equal(seen.fallback, false, "the fallback is gone");
    assert.ok(seen.height > 300, `the card has its own height: ${seen.height}`);
    const wasm = asked.filter((r) => r.url.endsWith(".wasm"));
    // Requested at most (the route holds it): nothing of it has arrived.
    assert.ok(asked.some((r) => r.url.includes("/articles/myanmar-diplomat.card.html?signup-endpoint=")), JSON.stringify(asked));
    assert.deepEqual(errors, []);
    assert.deepEqual(messages.filter((m) => m.type === "error"), [], "no CSP or Trusted Types refusal");
    release();
    // Reached for: the wasm comes, takes the card over, and it stays ready.
    await page.locator("#card [part~=email]").focus();
    await page.waitForFunction(() => performance.getEntriesByType("resource").some((e) => e.name.endsWith(".wasm")));
    assert.ok(wasm.length <= 1);
    assert.equal(await page.getAttribute("#card", "state"), "ready");
    await page.close();
  });

  await t.test("a host in dark mode: the card drawn from markup is dark from the start", async () => {
    host.pages.set("/dark.css", ":root { color-scheme: dark }");
    host.pages.set("/dark", snippet().replace("<title>", '<link rel="stylesheet" href="/dark.css"><title>'));
    const { page, errors, release } = await held("/dark");
    await page.emulateMedia({ colorScheme: "light" });
    await waitForState(page, "#card", "ready");
    const background = await page.evaluate(() => getComputedStyle(document.querySelector("#card").shadowRoot.querySelector("[part~=card]")).backgroundColor);
    assert.equal(background, "rgb(21, 23, 28)", "dark before any wasm, though the reader prefers light");
    release();
    assert.deepEqual(errors, []);
    await page.close();
  });

  await t.test("typed and Subscribe pressed before the wasm: kept, then sent exactly once", async () => {
    const { page, errors, asked, release } = await held();
    await waitForState(page, "#card", "ready");
    const part = (name) => page.locator(`#card [part~=${name}]`);
    await part("email").fill("early@example.org");
    await part("consent").check();
    await part("submit").click();
    await part("submit").click();
    await page.waitForTimeout(300);
    assert.equal(new URL(page.url()).origin, host.url, "the page did not go anywhere");
    assert.equal(asked.filter((r) => r.url.endsWith("/api/subscribe") && r.method === "POST").length, 0, "nothing sent yet");
    assert.equal(await part("email").inputValue(), "early@example.org");
    release();
    await part("status").filter({ hasText: "check your inbox" }).waitFor({ timeout: 15_000 });
    await page.waitForTimeout(500);
    assert.equal(asked.filter((r) => r.url.endsWith("/api/subscribe") && r.method === "POST").length, 1, "sent once");
    assert.equal((await rows(dir)).filter((r) => r.email === "early@example.org").length, 1);
    assert.deepEqual(errors, []);
    await page.close();
  });

  await t.test("taken over without a shift; an attribute changed before that is honoured", async () => {
    const { page, errors, release } = await held();
    await waitForState(page, "#card", "ready");
    await page.evaluate(() => {
      window.__shifts = [];
      // What the reader's own typing moves is not a shift (hadRecentInput), as in CLS.
      const observe = (list) => window.__shifts.push(...list.getEntries().filter((e) => !e.hadRecentInput).map((e) => e.value));
      new PerformanceObserver(observe).observe({ type: "layout-shift" });
    });
    const headline = await page.evaluateHandle(() => document.querySelector("#card").shadowRoot.querySelector("[part~=headline]"));
    // The signup leaves only once the wasm has taken the card over: what the page had
    // seen by then is what hydration did.
    let seen = null;
    await page.route("**/api/subscribe", async (route) => {
      seen = await page.evaluate((h) => ({ kept: h.isConnected, shifts: window.__shifts }), headline);
      await route.continue();
    });
    const part = (name) => page.locator(`#card [part~=${name}]`);
    await part("email").fill("steady@example.org");
    await part("consent").check();
    await part("submit").click();
    release();
    await part("status").filter({ hasText: "check your inbox" }).waitFor({ timeout: 15_000 });
    assert.ok(seen, "the signup was sent");
    assert.equal(seen.kept, true, "hydrated: the server's headline node is kept");
    assert.deepEqual(seen.shifts, [], "taking the card over moved nothing");
    await page.close();

    const second = await held();
    await waitForState(second.page, "#card", "ready");
    await second.page.evaluate(() => document.querySelector("#card").setAttribute("layout", "compact"));
    second.release();
    await second.page.waitForFunction(() => /compact/.test(document.querySelector("#card").shadowRoot.querySelector("[part~=card]")?.className));
    assert.equal(await second.page.getAttribute("#card", "state"), "ready");
    assert.deepEqual([...errors, ...second.errors], []);
    await second.page.close();
  });

  await t.test("the server gone before the wasm came: the page stays, the email too; back, sent once", async () => {
    const { page, asked, release } = await held();
    await waitForState(page, "#card", "ready");
    await publisher.stop();
    const part = (name) => page.locator(`#card [part~=${name}]`);
    await part("email").fill("gone@example.org");
    await part("consent").check();
    await part("submit").click();
    release();
    await waitForState(page, "#card", "error");
    assert.equal(new URL(page.url()).origin, host.url, "the form did not post into the void");
    assert.equal(await part("email").inputValue(), "gone@example.org");
    publisher = await serve(dir, port);
    await part("submit").click();
    await part("status").filter({ hasText: "check your inbox" }).waitFor({ timeout: 15_000 });
    await page.waitForTimeout(500);
    assert.equal(asked.filter((r) => r.url.endsWith("/api/subscribe") && r.method === "POST").length, 1, "sent once");
    assert.equal((await rows(dir)).filter((r) => r.email === "gone@example.org").length, 1);
    assert.equal(await page.getAttribute("#card", "state"), "ready", "ready again once it came");
    await page.close();
  });

  await t.test("markup made for other attributes is not shown: the card loads as any other", async () => {
    // As a static host would answer: a file prerendered for a compact card.
    const context = await browser.newContext();
    t.after(() => context.close());
    const compact = await (await fetch(`${publisher.url}/articles/myanmar-diplomat.card.html?layout=compact`)).text();
    await context.route("**/*.card.html*", (route) =>
      route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", headers: { "access-control-allow-origin": "*" }, body: compact }),
    );
    const { page, errors } = await openPage(context);
    const asked = [];
    page.on("request", (r) => asked.push(r.url()));
    await page.goto(`${host.url}/`);
    await waitForState(page, "#card", "ready");
    assert.ok(asked.some((u) => u.endsWith(".wasm")), "drawn by the wasm");
    const layout = await page.evaluate(() => document.querySelector("#card").shadowRoot.querySelector("[part~=card]").className);
    assert.doesNotMatch(layout, /compact/, "not the compact card made for other attributes");
    assert.deepEqual(errors, []);
    await page.close();
  });

  await t.test("prerender writes, for static hosting, what the server answers", async () => {
    const out = mkdtempSync(join(tmpdir(), "article-embed-prerender-"));
    t.after(() => rmSync(out, { recursive: true, force: true }));
    const story = readFileSync(join(REPO, "articles/myanmar-diplomat.json"));
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join(out, "myanmar-diplomat.json"), story);
    execFileSync(BIN, ["prerender", "--articles", out, "--url", `${publisher.url}/articles/`, "--signup-endpoint", `${publisher.url}/api/subscribe`]);
    const written = readFileSync(join(out, "myanmar-diplomat.card.html"), "utf8");
    const query = new URLSearchParams({ "signup-endpoint": `${publisher.url}/api/subscribe` });
    const served = await (await fetch(`${publisher.url}/articles/myanmar-diplomat.card.html?${query}`)).text();
    assert.equal(written, served);
    assert.match(written, /^<article-embed src="[^"]+" signup-endpoint="[^"]+">/);
    // Names that are no attribute, their order and spelling make no other card (nor
    // another render for the server), and each encoding has its own tag.
    const url = (q) => `${publisher.url}/articles/myanmar-diplomat.card.html?${q}`;
    const tag = async (q, encoding) => (await fetch(url(q), { headers: { "accept-encoding": encoding } })).headers.get("etag");
    const plain = await tag(query, "identity");
    assert.equal(await tag(`x=1&${query}&utm=2`, "identity"), plain);
    assert.notEqual(await tag(query, "br"), plain);
    // Opened as a page of its own, it runs nothing and posts nowhere.
    const csp = (await fetch(url(query))).headers.get("content-security-policy");
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /form-action 'none'/);
    // A story the server lacks: a 404 that says it comes from a card server.
    const missing = await fetch(`${publisher.url}/articles/no-such-story.card.html`);
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get("x-article-embed"), "card");
  });

  await t.test("src changed before the wasm came: the old story goes, not shown as the new one", async () => {
    const { page, release } = await held();
    await waitForState(page, "#card", "ready");
    await page.evaluate((url) => document.querySelector("#card").setAttribute("src", url), `${publisher.url}/articles/no-such-story.json`);
    release();
    await waitForState(page, "#card", "error");
    const seen = await page.evaluate(() => {
      const root = document.querySelector("#card").shadowRoot;
      return { headline: !!root.querySelector("[part~=headline]"), fallback: !!root.querySelector("slot") };
    });
    assert.deepEqual(seen, { headline: false, fallback: true }, "the fallback, not the other story");
    await page.close();
  });

  await t.test("a story the card server lacks does not turn markup off for its origin", async () => {
    host.pages.set("/missing", snippet().replace("myanmar-diplomat.json", "no-such-story.json"));
    const context = await browser.newContext();
    t.after(() => context.close());
    const { page } = await openPage(context, `${host.url}/missing`);
    await waitForState(page, "#card", "error");
    assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("article-embed:no-markup:")).length), 0);
    const asked = [];
    page.on("request", (r) => asked.push(new URL(r.url()).pathname));
    await page.goto(`${host.url}/`);
    await waitForState(page, "#card", "ready");
    assert.ok(asked.some((p) => p.endsWith("/myanmar-diplomat.card.html")), "the next story's markup is asked for");
    await page.close();
  });

  await t.test("a static host without markup is asked once, then not for a day", async () => {
    const files = await startServer({ port: 0, quiet: true });
    t.after(() => files.close());
    const context = await browser.newContext();
    t.after(() => context.close());
    const asked = [];
    context.on("request", (r) => asked.push(new URL(r.url()).pathname));
    const { page, errors } = await openPage(context, `${files.url}/tests/e2e/pages/plain.html`);
    await waitForState(page, "#card", "ready");
    assert.equal(asked.filter((p) => p.endsWith(".card.html")).length, 1, "asked once");
    await page.reload();
    await waitForState(page, "#card", "ready");
    assert.equal(asked.filter((p) => p.endsWith(".card.html")).length, 1, "not again");
    const until = await page.evaluate((origin) => Number(localStorage.getItem(`article-embed:no-markup:${origin}`)), files.url);
    assert.ok(until > Date.now() + 23 * 3600_000 && until <= Date.now() + 24 * 3600_000, String(until));
    assert.deepEqual(errors, []);
    await page.close();
  });
});
