// End-to-end: server-rendered cards (`article-embed snippet`, ten of them on dist/ssr.html,
// all below the fold) in Chromium, with and without JavaScript, served by
// `article-embed serve` with a real SQLite file.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { test } from "node:test";
import { startServer } from "../support/serve.mjs";
import { BIN, freePort, launchBrowser, never, openPage, parts, rows, serve, setUp, waitForState } from "./helpers.mjs";

const REPO = resolve(import.meta.dirname, "../..");

test("server-rendered cards", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "article-embed-ssr-"));
  const server = await serve(dir, await freePort());
  t.after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const { context } = await setUp(t);
  const PAGE = `${server.url}/dist/ssr.html`;
  const loaded = (page, suffix) =>
    page.evaluate((s) => performance.getEntriesByType("resource").filter((e) => e.name.endsWith(s)).length, suffix);

  await t.test("without JavaScript: complete, styled by its own sheet, and the form subscribes", async () => {
    const browser = await launchBrowser(t);
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const page = await noScript.newPage();
    await page.goto(PAGE);
    const first = page.locator("#slot-1 article-embed");
    await first.scrollIntoViewIfNeeded();
    assert.equal(await first.getAttribute("state"), null, "no script ran");
    const headline = first.locator("[part=headline]");
    assert.equal(await headline.textContent(), "Diplomat at Myanmar Embassy in TLV resigns following Junta's crackdown");
    const style = await headline.evaluate((el) => {
      const cs = getComputedStyle(el);
      return { family: cs.fontFamily, transform: cs.textTransform, color: cs.color, size: cs.fontSize };
    });
    assert.match(style.family, /Georgia/);
    assert.equal(style.transform, "none", "the host's h2 rule does not reach in");
    assert.equal(style.color, "rgb(22, 24, 29)");
    assert.equal(await first.locator("[part=credit]").textContent(), "STRINGER/ REUTERS");
    assert.match(await first.locator("[part=caption]").textContent(), /three-finger salute/);
    const image = await first.locator("[part=image]").evaluate((img) => ({ border: getComputedStyle(img).borderTopStyle, alt: img.alt }));
    assert.equal(image.border, "none");
    assert.match(image.alt, /^People flash/);

    await first.locator("[part=email]").fill("noscript@example.org");
    await first.locator("[part=consent]").check();
    await first.locator("[part=submit]").click();
    await page.waitForLoadState();
    assert.match(await page.textContent("body"), /check your inbox/);
    await noScript.close();
  });

  await t.test("below the fold: no wasm at page load; the card reached hydrates, the others wait", async () => {
    const { page, errors, console: messages } = await openPage(context);
    await page.addInitScript(() => {
      window.__shift = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
      }).observe({ type: "layout-shift", buffered: true });
    });
    await page.goto(PAGE, { waitUntil: "load" });
    await page.waitForFunction(() => customElements.get("article-embed"));
    // An eager loader would fetch the glue and the wasm right after defining the element.
    await never(
      page,
      () => performance.getEntriesByType("resource").some((e) => e.name.endsWith(".wasm") || /article-embed-[0-9a-f]{16}\.js$/.test(e.name)),
      undefined,
      1500,
      "no glue, no wasm before a card is near",
    );
    assert.equal(await loaded(page, ".wasm"), 0, "no wasm before a card is near");
    assert.equal(await page.locator("article-embed[state]").count(), 0);

    await page.locator("#slot-1 article-embed").scrollIntoViewIfNeeded();
    await waitForState(page, "#slot-1 article-embed", "ready");
    assert.equal(await loaded(page, ".wasm"), 1);
    assert.equal(await page.locator("#slot-10 article-embed").getAttribute("state"), null, "card 10 was not reached");
    assert.equal(await page.evaluate(() => window.__shift), 0, "no layout shift");
    assert.deepEqual(errors, []);
    assert.deepEqual(messages.filter((m) => m.type === "error" || m.type === "warning"), []);
    await page.close();
  });

  await t.test("hydration keeps the server's nodes and what was typed, and the form then works", async () => {
    const { page, errors } = await openPage(context);
    // Hold the wasm glue back so that the reader can type into the server-rendered form.
    let release;
    const held = new Promise((resolve) => (release = resolve));
    await page.route(/\/dist\/article-embed-[A-Z0-9]+\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(PAGE);
    const card = page.locator("#slot-1 article-embed");
    await card.scrollIntoViewIfNeeded();
    await page.evaluate(() => {
      const root = document.querySelector("#slot-1 article-embed").shadowRoot;
      window.__headline = root.querySelector("[part=headline]");
      window.__form = root.querySelector("form");
    });
    await card.locator("[part=email]").fill("early@example.org");
    release();
    await waitForState(page, "#slot-1 article-embed", "ready");
    const same = await page.evaluate(() => {
      const root = document.querySelector("#slot-1 article-embed").shadowRoot;
      return root.querySelector("[part=headline]") === window.__headline && root.querySelector("form") === window.__form;
    });
    assert.ok(same, "the server's nodes were reused");
    assert.equal(await card.locator("[part=email]").inputValue(), "early@example.org", "typed before hydration, kept");
    await card.locator("[part=submit]").click();
    await card.locator("[part=status]").filter({ hasText: "check your inbox" }).waitFor();
    assert.equal(page.url(), PAGE, "submitted by the widget, not by a page load");
    assert.deepEqual(errors, []);
    await page.close();
  });

  await t.test("a server-rendered card whose src fails: an error, and the server's card shown once, without the fallback", async () => {
    const { stdout } = await promisify(execFile)(BIN, ["snippet", "articles/myanmar-diplomat.json", "--src", `${server.url}/articles/no-such-story.json`, "--script", "/dist/article-embed.js"], { cwd: REPO });
    const url = `${server.url}/ssr-missing-src.html`;
    await context.route(url, (route) => route.fulfill({ contentType: "text/html; charset=utf-8", body: `<!doctype html><html lang="en"><head><link rel="icon" href="data:,"></head><body>${stdout}</body></html>` }));
    const { page } = await openPage(context, url);
    // The reader reaches for the card: it loads its data, which is not there.
    await page.locator("article-embed [part=link]").focus();
    await waitForState(page, "article-embed", "error");
    const seen = await page.evaluate(() => {
      const element = document.querySelector("article-embed");
      return {
        headlines: element.shadowRoot.querySelectorAll("[part=headline]").length,
        slot: element.shadowRoot.querySelector("slot") !== null,
        fallback: element.querySelector(":scope > p a").getBoundingClientRect().height,
      };
    });
    assert.deepEqual(seen, { headlines: 1, slot: false, fallback: 0 });
    await page.close();
    await context.unroute(url);
  });

  await t.test("lang=en-GB: the date the server wrote is the date the browser keeps (no text changes at hydration)", async () => {
    const { stdout } = await promisify(execFile)(BIN, ["snippet", "articles/myanmar-diplomat.json", "--src", `${server.url}/articles/myanmar-diplomat.json`, "--lang", "en-GB", "--script", "/dist/article-embed.js"], { cwd: REPO });
    const url = `${server.url}/ssr-en-gb.html`;
    await context.route(url, (route) => route.fulfill({ contentType: "text/html; charset=utf-8", body: `<!doctype html><html lang="en-GB"><head><link rel="icon" href="data:,"></head><body>${stdout}</body></html>` }));
    const { page, errors } = await openPage(context, url);
    const text = () => page.evaluate(() => document.querySelector("article-embed").shadowRoot.querySelector("[part=card]").innerText);
    const date = () => page.evaluate(() => document.querySelector("article-embed").shadowRoot.querySelector("[part=date]").textContent);
    assert.equal(await date(), "6 March 2021");
    const before = await text();
    await page.locator("article-embed [part=link]").focus();
    await waitForState(page, "article-embed", "ready");
    assert.equal(await date(), "6 March 2021");
    assert.equal(await text(), before, "the reader sees the same text");
    assert.deepEqual(errors, []);
    await page.close();
    await context.unroute(url);
  });

  await t.test("lang=fr: hydrated once its words arrive (the wasm holds English only), with the server's nodes, text and what was typed", async () => {
    const { stdout } = await promisify(execFile)(BIN, ["snippet", "articles/myanmar-diplomat.json", "--src", `${server.url}/articles/myanmar-diplomat.json`, "--lang", "fr", "--signup-endpoint", "/api/subscribe", "--script", "/dist/article-embed.js"], { cwd: REPO });
    const url = `${server.url}/ssr-fr.html`;
    await context.route(url, (route) => route.fulfill({ contentType: "text/html; charset=utf-8", body: `<!doctype html><html lang="fr"><head><link rel="icon" href="data:,"></head><body>${stdout}</body></html>` }));
    const { page, errors } = await openPage(context);
    // The words held back: the wasm is there, the French is not yet.
    let release;
    const held = new Promise((resolve) => (release = resolve));
    let asked = 0;
    await page.route(/\/dist\/article-embed-[0-9a-f]{16}\.json$/, async (route) => {
      asked++;
      await held;
      await route.continue();
    });
    await page.goto(url);
    const card = page.locator("article-embed");
    const text = () => page.evaluate(() => document.querySelector("article-embed").shadowRoot.querySelector("[part=card]").innerText);
    const before = await text();
    assert.match(before, /Lire l’article complet/);
    await page.evaluate(() => (window.__headline = document.querySelector("article-embed").shadowRoot.querySelector("[part=headline]")));
    await card.locator("[part=email]").fill("lectrice@example.org");
    await page.waitForFunction(() => performance.getEntriesByType("resource").some((e) => e.name.endsWith(".wasm")));
    await never(page, () => document.querySelector("article-embed").getAttribute("state") === "ready", null, 500, "not taken over without its words");
    release();
    await waitForState(page, "article-embed", "ready");
    assert.equal(asked, 1);
    assert.ok(await page.evaluate(() => document.querySelector("article-embed").shadowRoot.querySelector("[part=headline]") === window.__headline), "the server's nodes were reused");
    assert.equal(await text(), before, "the reader sees the same text");
    assert.equal(await card.locator("[part=email]").inputValue(), "lectrice@example.org", "typed before hydration, kept");
    await card.locator("[part=submit]").click();
    await card.locator("[part=status]").filter({ hasText: "consultez votre boîte de réception" }).waitFor();
    assert.deepEqual(errors, []);
    await page.close();

    // Its layout changed while the words were on their way: the server's markup is no longer
    // what the widget would draw, so it is drawn afresh (hydrating it would abort the wasm).
    const second = await openPage(context);
    let letGo, requested;
    const holding = new Promise((resolve) => (letGo = resolve));
    const waiting = new Promise((resolve) => (requested = resolve));
    await second.page.route(/\/dist\/article-embed-[0-9a-f]{16}\.json$/, async (route) => {
      requested();
      await holding;
      await route.continue();
    });
    await second.page.goto(url);
    await second.page.locator("article-embed [part=link]").focus();
    await waiting; // the markup checked, the card waiting for its words
    await second.page.evaluate(() => document.querySelector("article-embed").setAttribute("layout", "compact"));
    letGo();
    await waitForState(second.page, "article-embed", "ready");
    await second.page.waitForFunction(() => document.querySelector("article-embed").shadowRoot.querySelector("[part=card]").classList.contains("layout-compact"));
    assert.match((await parts(second.page)).link, /^Lire l’article complet/);
    assert.deepEqual(second.errors, []);
    await second.page.close();
    await context.unroute(url);
  });

  await t.test("iframe mode on another origin: the frame reports its height and the resizer applies it, at 320 and 800 px", async () => {
    // The host page on its own origin (localhost), the frames from the server (127.0.0.1).
    const host = await startServer({ port: 0, quiet: true, hostname: "localhost" });
    t.after(() => host.close());
    const { page, errors } = await openPage(context, `${host.url}/tests/e2e/pages/iframe.html?server=${server.url}`);
    const sizes = {};
    for (const id of ["narrow", "wide"]) {
      // Chromium does not render cross-origin frames out of view (no resize observed there):
      // bring each into view, as a reader scrolling would.
      await page.locator(`#${id}`).scrollIntoViewIfNeeded();
      const frame = await (await page.locator(`#${id}`).elementHandle()).contentFrame();
      for (let tries = 0; ; tries++) {
        const inner = await frame.evaluate(() => document.documentElement.getBoundingClientRect().height);
        const outer = await page.evaluate((sel) => {
          const f = document.querySelector(sel);
          f.scrollIntoView({ block: "start" });
          return f.getBoundingClientRect().height;
        }, `#${id}`);
        if (inner > 0 && Math.abs(outer - Math.ceil(inner)) <= 1) {
          sizes[id] = outer;
          break;
        }
        assert.ok(tries < 100, `#${id} never took its content's height (${outer} vs ${inner})`);
        await page.waitForTimeout(100);
      }
    }
    assert.ok(sizes.narrow > sizes.wide, `a narrow card is taller: ${JSON.stringify(sizes)}`);
    assert.ok(sizes.wide > 600, "grown from the frame's initial 600 px");
    // A signup from the frame names the page that holds it (without its query), not /embed/.
    const frame = await (await page.locator("#wide").elementHandle()).contentFrame();
    await frame.locator("article-embed [part~=email]").fill("framed-reader@example.org");
    await frame.locator("article-embed [part~=submit]").click();
    await frame.locator("article-embed [part~=status]").filter({ hasText: "check your inbox" }).waitFor();
    const row = (await rows(dir)).find((r) => r.email === "framed-reader@example.org");
    assert.equal(row?.page, `${host.url}/tests/e2e/pages/iframe.html`);
    assert.deepEqual(errors, []);
    await page.close();
  });

  await t.test("the snippet builder: a live card, the snippet to copy, and field-path errors", async () => {
    const { page, errors } = await openPage(context, `${server.url}/builder.html`);
    await page.waitForFunction(() => document.querySelector("#output").value.startsWith("<article-embed"));
    await waitForState(page, "#preview article-embed", "ready");
    const snippet = await page.locator("#output").inputValue();
    assert.ok(snippet.includes('<template shadowrootmode="open">') && snippet.includes("/dist/article-embed.js"));
    await page.getByRole("tab", { name: "iframe" }).click();
    assert.match(await page.locator("#output").inputValue(), /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/embed\/myanmar-diplomat"/);
    await page.getByRole("radio", { name: "JSON-LD" }).check();
    await page.locator("textarea[name=json]").fill('{"@type": "NewsArticle", "headline": "", "url": 5}');
    await page.getByRole("button", { name: "Make the snippet" }).click();
    await page.locator("#problems li").first().waitFor();
    assert.deepEqual(await page.locator("#problems li").allTextContents(), [
      "headline: empty (required)",
      "url: expected text, found a number",
    ]);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
