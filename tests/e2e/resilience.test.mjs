// End-to-end: one card's trouble never takes down the page. Every card on a page shares one
// WebAssembly instance, and a panic aborts it for all of them; these are the ways a page, a
// server or the network can make trouble, each next to a card that must stay unharmed.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { BIN, openPage, parts, setUp, waitForState } from "./helpers.mjs";

const REPO = resolve(import.meta.dirname, "../..");
const FIXTURE = JSON.parse(readFileSync(join(REPO, "articles/myanmar-diplomat.json"), "utf8"));
const SEED_HEADLINE = FIXTURE.headline;
const PANIC = /panicked|unreachable|RuntimeError/;

/** `article-embed snippet` as a publisher runs it. */
function snippet(args, article = "articles/myanmar-diplomat.json") {
  return execFileSync(BIN, ["snippet", article, ...args], { cwd: REPO, encoding: "utf8" });
}

const pageOf = (body) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">` +
  `<style>body{margin:0;padding:16px;font:16px system-ui}</style></head><body>${body}</body></html>`;

test("one card's trouble never takes down the page", async (t) => {
  const { server, context } = await setUp(t);
  const scratch = mkdtempSync(join(tmpdir(), "article-embed-resilience-"));
  t.after(() => rmSync(scratch, { recursive: true, force: true }));

  /** A page at `path` on the test server holding `html` (the snippet as a publisher pastes it). */
  async function host(path, html) {
    const { page, console: messages, errors } = await openPage(context);
    await page.route(`${server.url}${path}`, (route) =>
      route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }),
    );
    await page.goto(`${server.url}${path}`);
    const unharmed = () => {
      assert.deepEqual(messages.filter((m) => PANIC.test(m.text)), [], "no panic, no trap");
      assert.deepEqual(errors, []);
    };
    return { page, messages, errors, unharmed };
  }

  /** Marks a server-rendered card's headline node, to tell hydration from a fresh render. */
  const mark = (page, id) =>
    page.evaluate((id) => {
      window.__marked ??= {};
      window.__marked[id] = document.querySelector(`#${id} article-embed`).shadowRoot.querySelector("[part=headline]");
    }, id);
  const kept = (page, id) =>
    page.evaluate(
      (id) => document.querySelector(`#${id} article-embed`).shadowRoot.querySelector("[part=headline]") === window.__marked[id],
      id,
    );

  await t.test("a snippet made without --base hydrates beside a client-rendered card: both ready", async () => {
    // The photo's URL is relative: without a base the server drops it; the browser reads the
    // inline data as the server did, so the markup matches and is taken over.
    const html = pageOf(
      `<div id="ssr">${snippet(["--signup-endpoint", "/api/subscribe"])}</div>` +
        `<article-embed id="client" src="/articles/myanmar-diplomat.json"></article-embed>`,
    );
    const { page, unharmed } = await host("/generated/no-base.html", html);
    await mark(page, "ssr");
    await waitForState(page, "#client", "ready");
    await waitForState(page, "#ssr article-embed", "ready");
    assert.equal((await parts(page, "#ssr article-embed")).headline, SEED_HEADLINE);
    assert.ok(await kept(page, "ssr"), "the server's nodes were hydrated, not replaced");
    assert.equal((await parts(page, "#client")).credit, "STRINGER/ REUTERS");
    unharmed();
    await page.close();
  });

  await t.test("the story changed after its snippet was made: rendered afresh, the other card unharmed", async () => {
    const changed = { ...FIXTURE, headline: "Updated: the diplomat speaks", image: undefined, contributor: [] };
    const html = pageOf(
      `<div id="ssr">${snippet(["--src", "/articles/changed.json", "--signup-endpoint", "/api/subscribe"])}</div>` +
        `<article-embed id="client" src="/articles/myanmar-diplomat.json"></article-embed>`,
    );
    const page = await context.newPage();
    await page.route(`${server.url}/articles/changed.json`, (route) =>
      route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify(changed) }),
    );
    const messages = [];
    page.on("console", (m) => messages.push(m.text()));
    await page.route(`${server.url}/generated/changed.html`, (route) => route.fulfill({ contentType: "text/html", body: html }));
    await page.goto(`${server.url}/generated/changed.html`);
    await waitForState(page, "#ssr article-embed", "ready");
    await waitForState(page, "#client", "ready");
    const now = await parts(page, "#ssr article-embed");
    assert.equal(now.headline, "Updated: the diplomat speaks");
    assert.equal(now.photo, undefined, "no photo: the new story has none");
    assert.deepEqual(messages.filter((m) => PANIC.test(m)), []);
    await page.close();
  });

  await t.test("layout, lang and theme changed before hydration: rendered afresh, no trap", async () => {
    const card = (id) => `<div id="${id}" style="margin-block-start:2400px">${snippet(["--src", "/articles/myanmar-diplomat.json"]).replace(
      /<script type="module"[^>]*><\/script>/,
      "",
    )}</div>`;
    const html = pageOf(`${card("a")}${card("b")}${card("c")}<script type="module" src="/dist/article-embed.js"></script>`);
    const { page, unharmed } = await host("/generated/attributes.html", html);
    await page.evaluate(() => {
      document.querySelector("#a article-embed").setAttribute("layout", "compact");
      document.querySelector("#b article-embed").setAttribute("lang", "es");
      document.querySelector("#c article-embed").setAttribute("theme", "dark");
    });
    for (const id of ["a", "b", "c"]) {
      await page.locator(`#${id} article-embed`).scrollIntoViewIfNeeded();
      await waitForState(page, `#${id} article-embed`, "ready");
    }
    assert.equal((await parts(page, "#a article-embed")).excerpt, undefined, "compact: no excerpt");
    assert.match((await parts(page, "#b article-embed")).link, /^Leer la noticia completa/);
    const dark = await page.evaluate(() =>
      document.querySelector("#c article-embed").shadowRoot.querySelector("[part=card]").classList.contains("theme-dark"),
    );
    assert.ok(dark);
    unharmed();
    await page.close();
  });

  await t.test("inline data holding <!--, </script> and U+2028 survives the snippet", async () => {
    const tricky = "Quote: <!-- not a comment --> </script><script>alert(1)</script> line\u2028separator\u2029end";
    const file = join(scratch, "tricky.json");
    writeFileSync(file, JSON.stringify({ ...FIXTURE, headline: tricky }));
    const html = pageOf(`<div id="ssr">${snippet(["--base", "https://news.example/articles/tricky.json"], file)}</div>`);
    const { page, unharmed } = await host("/generated/inline.html", html);
    let dialogs = 0;
    page.on("dialog", (d) => {
      dialogs++;
      d.dismiss();
    });
    await waitForState(page, "#ssr article-embed", "ready");
    const headline = await page.evaluate(
      () => document.querySelector("#ssr article-embed").shadowRoot.querySelector("[part=headline]").textContent,
    );
    assert.equal(headline, tricky.replace(/[\u2028\u2029]/g, " "), "read back exactly (the separators are whitespace to the card)");
    assert.equal(dialogs, 0, "the data never ran as script");
    unharmed();
    await page.close();
  });

  await t.test("real-world data with a month-only date and width \"auto\": ready, with warnings", async () => {
    const partial = { ...FIXTURE, datePublished: "2021-03", image: [{ ...FIXTURE.image[0], width: "auto" }] };
    const page = await context.newPage();
    const warnings = [];
    page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
    await page.route(`${server.url}/articles/partial.json`, (route) =>
      route.fulfill({ contentType: "application/json", body: JSON.stringify(partial) }),
    );
    await page.route(`${server.url}/generated/partial.html`, (route) =>
      route.fulfill({
        contentType: "text/html",
        body: pageOf(`<article-embed id="card" src="/articles/partial.json"></article-embed><script type="module" src="/dist/article-embed.js"></script>`),
      }),
    );
    await page.goto(`${server.url}/generated/partial.html`);
    await waitForState(page, "#card", "ready");
    const p = await parts(page, "#card");
    assert.equal(p.date, "March 2021", "as precise as given");
    assert.equal(p.credit, "STRINGER/ REUTERS", "the photo stays without its width");
    assert.ok(warnings.some((w) => w.includes("image[0].width: not a positive whole number")), warnings.join("\n"));
    await page.close();
  });

  await t.test("storage that throws: the reader is told the truth, not that it is saved", async () => {
    const { page } = await openPage(context);
    await page.addInitScript(() => {
      Storage.prototype.setItem = () => {
        throw new DOMException("blocked", "SecurityError");
      };
      window.__statuses = [];
      document.addEventListener("article-embed:subscribe", (e) => window.__statuses.push(e.detail.status));
    });
    await page.goto(`${server.url}/tests/e2e/pages/plain.html`);
    await waitForState(page, "#card", "ready");
    await page.evaluate(() => document.querySelector("#card").setAttribute("signup-endpoint", "/test-api/subscribe/pending"));
    const part = (name) => page.locator(`#card [part~=${name}]`);
    await part("email").waitFor();
    await context.setOffline(true);
    try {
      await part("email").fill("offline@example.org");
      await part("submit").click();
      await page.waitForFunction(() => window.__statuses.length > 0);
      assert.deepEqual(await page.evaluate(() => window.__statuses), ["failed"]);
      const status = await part("status").textContent();
      assert.doesNotMatch(status, /saved on this device/);
      assert.match(status, /couldn't reach the server/);
      assert.equal(await part("email").inputValue(), "offline@example.org", "nothing typed is lost");
    } finally {
      await context.setOffline(false);
    }
    await page.close();
  });

  await t.test("the outbox keeps its word: a 429 keeps the entry for later, a week-old entry goes unsent", async () => {
    const endpoint = "/test-api/subscribe/ratelimit";
    const { page } = await openPage(context);
    await page.goto(`${server.url}/tests/e2e/pages/plain.html`);
    const now = Date.now();
    const entry = (key, email, queuedAt) => ({
      key,
      request: { email, newsletter: "The Jerusalem Post Newsletter", consent: true, article: null, page: null, locale: "en" },
      queued_at: queuedAt,
    });
    const stored = `article-embed:outbox:${server.url}${endpoint}`;
    await page.evaluate(
      ([k, v]) => localStorage.setItem(k, JSON.stringify(v)),
      [stored, [entry("old-key", "old@example.org", now - 8 * 24 * 3600 * 1000), entry("new-key", "new@example.org", now - 60_000)]],
    );
    const before = server.requests.filter((r) => r.mode === "ratelimit").length;
    await waitForState(page, "#card", "ready");
    await page.evaluate((e) => document.querySelector("#card").setAttribute("signup-endpoint", e), endpoint);
    await page.waitForFunction(
      (k) => JSON.parse(localStorage.getItem(k) ?? "[]").some((e) => e.attempts === 1),
      stored,
    );
    const left = await page.evaluate((k) => JSON.parse(localStorage.getItem(k)), stored);
    assert.deepEqual(left.map((e) => e.key), ["new-key"], "the week-old entry is dropped; the refused one stays");
    assert.ok(left[0].next_at >= now + 30_000, "and waits at least the Retry-After before its next try");
    const sent = server.requests.filter((r) => r.mode === "ratelimit").slice(before);
    assert.deepEqual(sent.map((r) => JSON.parse(r.body).email), ["new@example.org"], "the old one was never sent");
    await page.evaluate(() => localStorage.clear());
    await page.close();
  });

  await t.test("the first wasm request fails: a card added later still becomes ready", async () => {
    const { page } = await openPage(context);
    let wasmRequests = 0;
    await page.route(/\.wasm$/, (route) => (++wasmRequests === 1 ? route.fulfill({ status: 503, body: "busy" }) : route.continue()));
    await page.goto(`${server.url}/tests/e2e/pages/plain.html`);
    await waitForState(page, "#card", "error");
    await page.evaluate(() => {
      const card = document.createElement("article-embed");
      card.id = "later";
      card.setAttribute("src", "/articles/myanmar-diplomat.json");
      document.body.append(card);
    });
    await waitForState(page, "#later", "ready");
    assert.equal(wasmRequests, 2, "tried again, once");
    await page.close();
  });

  await t.test("a src that never answers: error within 20 s, the fallback kept", async () => {
    const { page } = await openPage(context);
    await page.route(`${server.url}/articles/never.json`, () => {}); // no answer, ever
    await page.route(`${server.url}/generated/never.html`, (route) =>
      route.fulfill({
        contentType: "text/html",
        body: pageOf(`<article-embed id="card" src="/articles/never.json"><a href="https://news.example/">Fallback</a></article-embed>` +
          `<article-embed id="other" src="/articles/myanmar-diplomat.json"></article-embed><script type="module" src="/dist/article-embed.js"></script>`),
      }),
    );
    const errors = [];
    await page.exposeFunction("__error", (m) => errors.push(m));
    await page.addInitScript(() => document.addEventListener("article-embed:error", (e) => window.__error(e.detail.message)));
    const started = Date.now();
    await page.goto(`${server.url}/generated/never.html`);
    await waitForState(page, "#other", "ready");
    await waitForState(page, "#card", "error", 20_000);
    assert.ok(Date.now() - started < 20_000);
    assert.match(errors.join("\n"), /no answer within 15 s/);
    assert.equal(await page.locator("#card a").isVisible(), true, "the fallback shows");
    await page.close();
  });

  await t.test("properties mirror the attributes, also when set before the element is defined", async () => {
    const html = pageOf(`<div id="slot"></div>`);
    const { page, unharmed } = await host("/generated/properties.html", html);
    await page.evaluate(() => {
      // A framework sets properties on an element the script has not defined yet.
      const card = document.createElement("article-embed");
      card.id = "card";
      card.src = "/articles/myanmar-diplomat.json";
      card.layout = "compact";
      document.querySelector("#slot").append(card);
      const script = document.createElement("script");
      script.type = "module";
      script.src = "/dist/article-embed.js";
      document.body.append(script);
    });
    await waitForState(page, "#card", "ready");
    assert.equal(await page.locator("#card").getAttribute("layout"), "compact");
    assert.equal((await parts(page, "#card")).excerpt, undefined);
    await page.evaluate(() => {
      document.querySelector("#card").layout = "full";
      document.querySelector("#card").signupEndpoint = "/api/subscribe";
    });
    await page.waitForFunction(() => document.querySelector("#card").shadowRoot.querySelector("[part=excerpt]"));
    assert.equal(await page.evaluate(() => document.querySelector("#card").getAttribute("signup-endpoint")), "/api/subscribe");
    assert.equal(await page.evaluate(() => document.querySelector("#card").theme), null);
    unharmed();
    await page.close();
  });

  await t.test("a server-rendered card removed before it was taken over keeps its content when put back", async () => {
    const html = pageOf(`<div id="ssr" style="margin-block-start:2400px">${snippet(["--src", "/articles/myanmar-diplomat.json"])}</div><div id="elsewhere"></div>`);
    const { page, unharmed } = await host("/generated/moved.html", html);
    await page.waitForFunction(() => customElements.get("article-embed"));
    await page.evaluate(async () => {
      const card = document.querySelector("#ssr article-embed");
      card.remove();
      await new Promise((r) => setTimeout(r));
      document.querySelector("#elsewhere").append(card);
    });
    const shadow = await page.evaluate(() => {
      const root = document.querySelector("#elsewhere article-embed").shadowRoot;
      return { slots: root.querySelectorAll("slot").length, headline: root.querySelector("[part=headline]")?.textContent };
    });
    assert.deepEqual(shadow, { slots: 0, headline: SEED_HEADLINE }, "no fallback slot beside the server's card");
    await page.locator("#elsewhere article-embed").scrollIntoViewIfNeeded();
    await waitForState(page, "#elsewhere article-embed", "ready");
    unharmed();
    await page.close();
  });

  await t.test("in a parent that shrinks to fit, the card keeps a readable width", async () => {
    const html = pageOf(
      `<div style="display:flex"><article-embed id="flex" src="/articles/myanmar-diplomat.json"></article-embed></div>` +
        `<div style="float:left"><article-embed id="float" src="/articles/myanmar-diplomat.json"></article-embed></div>` +
        `<script type="module" src="/dist/article-embed.js"></script>`,
    );
    const { page } = await host("/generated/shrink.html", html);
    for (const id of ["flex", "float"]) {
      await waitForState(page, `#${id}`, "ready");
      const width = await page.evaluate((id) => document.querySelector(`#${id}`).getBoundingClientRect().width, id);
      assert.equal(width, 640, `#${id}`);
    }
    await page.close();
  });

  await t.test("a host script that edits a card's shadow root cannot make the next render trap", async () => {
    const html = pageOf(
      `<article-embed id="edited" src="/articles/myanmar-diplomat.json" signup-endpoint="/test-api/subscribe/pending"></article-embed>` +
        `<article-embed id="other" src="/articles/myanmar-diplomat.json"></article-embed><script type="module" src="/dist/article-embed.js"></script>`,
    );
    const { page, unharmed } = await host("/generated/edited.html", html);
    await waitForState(page, "#edited", "ready");
    await waitForState(page, "#other", "ready");
    await page.locator("#edited [part~=email]").fill("kept@example.org");
    // The page removes nodes the renderer placed (its "clean-up" script, an extension…).
    await page.evaluate(() => {
      const root = document.querySelector("#edited").shadowRoot;
      for (const part of ["standfirst", "excerpt", "link"]) root.querySelector(`[part~=${part}]`).remove();
    });
    await page.evaluate(() => document.querySelector("#edited").setAttribute("layout", "compact"));
    await page.waitForFunction(() => document.querySelector("#edited").shadowRoot.querySelector(".layout-compact"));
    await page.evaluate(() => document.querySelector("#edited").setAttribute("layout", "full"));
    await page.waitForFunction(() => document.querySelector("#edited").shadowRoot.querySelector("[part~=excerpt]"));
    assert.equal((await parts(page, "#edited")).headline, SEED_HEADLINE);
    assert.equal(await page.locator("#edited [part~=email]").inputValue(), "kept@example.org", "what was typed stays");
    // The other card still works: the shared instance is alive.
    await page.evaluate(() => document.querySelector("#other").setAttribute("layout", "compact"));
    await page.waitForFunction(() => document.querySelector("#other").shadowRoot.querySelector(".layout-compact"));
    unharmed();
    await page.close();
  });

  await t.test("forced colours mark the invalid field without shadows; print leaves out the form", async () => {
    const { page } = await openPage(context, `${server.url}/tests/e2e/pages/plain.html`);
    await waitForState(page, "#card", "ready");
    await page.evaluate(() => document.querySelector("#card").setAttribute("signup-endpoint", "/test-api/subscribe/pending"));
    const part = (name) => page.locator(`#card [part~=${name}]`);
    await part("email").fill("not an address");
    await part("submit").click();
    await page.waitForFunction(() => document.querySelector("#card").shadowRoot.querySelector("[aria-invalid=true]"));
    await page.emulateMedia({ forcedColors: "active" });
    const outline = await part("email").evaluate((el) => getComputedStyle(el).outlineStyle);
    assert.equal(outline, "solid");
    await page.emulateMedia({ forcedColors: "none", media: "print" });
    assert.equal(await part("signup").evaluate((el) => getComputedStyle(el).display), "none");
    await page.emulateMedia({ media: "screen" });
    await page.close();
  });
});
