// End-to-end: the built dist/article-embed.js on host pages served on 127.0.0.1, in
// Debian's Chromium. Everything goes through the element's public surface: attributes,
// state, parts, events.
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { startServer } from "../support/serve.mjs";
import { freePort, never, openPage, parts, serve, setUp, waitForState } from "./helpers.mjs";

const SEED_HEADLINE = "Diplomat at Myanmar Embassy in TLV resigns following Junta's crackdown";

/** Records every article-embed:* event on the document, from before any script runs. */
const RECORD_EVENTS = () => {
  window.__events = [];
  for (const type of ["ready", "error", "subscribe"]) {
    document.addEventListener(`article-embed:${type}`, (e) => {
      window.__events.push({ type, id: e.target.id, detail: e.detail, bubbles: e.bubbles, composed: e.composed });
    });
  }
};

test("the card, end to end", async (t) => {
  const { server, context } = await setUp(t);
  await context.addInitScript(RECORD_EVENTS);

  await t.test("the demo, as make demo serves it, shows the seed story imported from its page", async () => {
    // make demo: the server with the articles imported from the story's saved page
    // (articles/myanmar-diplomat.html), not the hand-written JSON-LD.
    const data = mkdtempSync(join(tmpdir(), "article-embed-demo-"));
    const demo = await serve(data, await freePort(), ["--articles", "build/demo/articles"]);
    t.after(async () => {
      await demo.stop();
      rmSync(data, { recursive: true, force: true });
    });
    const served = await (await fetch(`${demo.url}/articles/myanmar-diplomat.json`)).json();
    assert.equal(served.image.url, "/articles/myanmar-funeral.svg", "the imported file, not the hand-written one");
    const { page, errors } = await openPage(context, `${demo.url}/`);
    await waitForState(page, "article-embed", "ready");
    const p = await parts(page);
    assert.equal(p.headline, SEED_HEADLINE);
    assert.match(p.standfirst, /^Kaung Htet noted that he has decided to join the Civil Disobedience Movement/);
    assert.match(p.byline, /By Jerusalem Post Staff/);
    assert.equal(p.date, "March 6, 2021");
    assert.match(p.caption, /three-finger salute .* Yangon, Myanmar, March 5, 2021\./);
    assert.equal(p.credit, "STRINGER/ REUTERS");
    assert.match(p.excerpt, /^Second Secretary at the Myanmar Embassy in Tel Aviv resigned on Friday/);
    assert.equal(p.contributors, "Idan Zonshine and Reuters contributed to this report.");
    assert.match(p.link, /^Read the full story/);
    assert.match(p.signup, /Subscribe to The Jerusalem Post Newsletter/);
    for (const name of ["card", "headline", "photo", "image", "email", "consent", "submit", "status"]) {
      assert.ok(name in p, `part ${name} is missing`);
    }
    const image = await page.evaluate(() => {
      const img = document.querySelector("article-embed").shadowRoot.querySelector("[part=image]");
      img.scrollIntoView();
      return new Promise((resolve) => {
        const done = () => resolve({ alt: img.alt, loaded: img.naturalWidth > 0, src: img.src, ratio: img.width / img.height });
        img.complete ? done() : img.addEventListener("load", done, { once: true });
      });
    });
    assert.ok(image.loaded, `the photo did not load: ${image.src}`);
    assert.match(image.alt, /^People flash a three-finger salute/);
    assert.ok(Math.abs(image.ratio - 1200 / 675) < 0.02);
    assert.deepEqual(errors, []);

    // The README's screenshot comes from this run.
    const card = page.locator("article-embed");
    mkdirSync("docs", { recursive: true });
    await card.screenshot({ path: "docs/card.png" });
    await page.close();
  });

  await t.test("ready is announced once, with the story's url, from outside the shadow root", async () => {
    const { page } = await openPage(context, `${server.url}/tests/e2e/pages/plain.html`);
    await waitForState(page, "#card", "ready");
    const events = await page.evaluate(() => window.__events);
    assert.deepEqual(events, [
      {
        type: "ready",
        id: "card",
        detail: { url: "https://news.example/international/myanmar-diplomat-tlv-resigns" },
        bubbles: true,
        composed: true,
      },
    ]);
    // The fallback is gone once the card is ready.
    const fallbackShown = await page.evaluate(() => {
      const el = document.querySelector("#card");
      return !!el.shadowRoot.querySelector("slot") && el.querySelector("a").getClientRects().length > 0;
    });
    assert.equal(fallbackShown, false);
    await page.close();
  });

  await t.test("a hostile host stylesheet changes nothing in the card", async () => {
    const measure = async (path) => {
      const { page } = await openPage(context, `${server.url}${path}`);
      await waitForState(page, "#card", "ready");
      const styles = await page.evaluate(() => {
        const root = document.querySelector("#card").shadowRoot;
        const props = [
          "font-family", "font-size", "font-weight", "font-style", "color", "background-color",
          "line-height", "letter-spacing", "word-spacing", "text-transform", "text-indent", "text-align",
          "text-shadow", "white-space", "margin-top", "margin-inline-start", "padding-top", "border-top-width",
          "border-top-style", "filter", "display", "opacity", "outline-style", "text-decoration-line", "cursor",
        ];
        const out = {};
        for (const el of root.querySelectorAll("[part], .content > *, .excerpt p")) {
          const cs = getComputedStyle(el);
          const key = `${el.tagName.toLowerCase()}[${el.getAttribute("part") ?? el.className}]`;
          out[key] = Object.fromEntries(props.map((p) => [p, cs.getPropertyValue(p)]));
        }
        const box = root.querySelector("[part=card]").getBoundingClientRect();
        out.box = { width: Math.round(box.width), height: Math.round(box.height) };
        return out;
      });
      await page.close();
      return styles;
    };
    const clean = await measure("/tests/e2e/pages/plain.html");
    const hostile = await measure("/tests/e2e/pages/hostile.html");
    assert.ok(Object.keys(clean).length > 20, "measured too few elements");
    assert.deepEqual(hostile, clean);
  });

  await t.test("the card's styles do not touch the host page", async () => {
    const probe = async (blockScript) => {
      const { page } = await openPage(context);
      if (blockScript) await page.route("**/dist/article-embed.js", (r) => r.abort());
      await page.goto(`${server.url}/tests/e2e/pages/plain.html`);
      if (!blockScript) await waitForState(page, "#card", "ready");
      const style = await page.evaluate(() => {
        const cs = getComputedStyle(document.querySelector("#probe"));
        return [cs.fontFamily, cs.fontSize, cs.color, cs.lineHeight, cs.margin, document.styleSheets.length];
      });
      await page.close();
      return style;
    };
    assert.deepEqual(await probe(false), await probe(true));
  });

  await t.test("inline JSON-LD, two cards, the script loaded twice: one wasm instance", async () => {
    const { page, errors } = await openPage(context, `${server.url}/tests/e2e/pages/inline.html`);
    await waitForState(page, "#inline", "ready");
    await waitForState(page, "#remote", "ready");
    const inline = await parts(page, "#inline");
    const remote = await parts(page, "#remote");
    assert.equal(inline.headline, "Harbour ferry returns after a winter of repairs");
    assert.match(inline.byline, /By Dana Levi and Omar Haddad/);
    assert.match(inline.signup, /Subscribe to Morning Brief/);
    assert.equal(remote.headline, SEED_HEADLINE);
    assert.ok(!("excerpt" in inline) && !("excerpt" in remote), "compact layout has no excerpt");
    // Relative URLs in inline data resolve against the page.
    const href = await page.evaluate(() =>
      document.querySelector("#inline").shadowRoot.querySelector("[part=link]").getAttribute("href"),
    );
    assert.equal(href, `${server.url}/stories/ferry-returns`);
    const wasm = await page.evaluate(
      () => performance.getEntriesByType("resource").filter((e) => e.name.endsWith(".wasm")).length,
    );
    assert.equal(wasm, 1, "every card shares one wasm instance");
    assert.deepEqual(errors, []);
    await page.close();
  });

  await t.test("the script works from another origin and any path, and finds its wasm beside itself", async () => {
    // The page from one server; the script, wasm and data from another port (two origins),
    // the built files copied under a path of the CDN's own (SPEC 7: any origin, any path).
    const root = mkdtempSync(join(tmpdir(), "article-embed-cdn-"));
    t.after(() => rmSync(root, { recursive: true, force: true }));
    const path = "static/widgets/v1";
    mkdirSync(join(root, path), { recursive: true });
    for (const file of readdirSync("dist").filter((f) => /^article-embed(-[0-9a-f]{16})?\.(js|wasm|json)$/.test(f))) {
      cpSync(join("dist", file), join(root, path, file));
    }
    cpSync("articles", join(root, "articles"), { recursive: true });
    const cdn = await startServer({ port: 0, quiet: true, root });
    t.after(() => cdn.close());
    const other = cdn.url;
    const { page, errors } = await openPage(context, `${server.url}/tests/e2e/pages/cdn.html?cdn=${other}&path=${path}`);
    await waitForState(page, "#card", "ready");
    assert.equal((await parts(page, "#card")).headline, SEED_HEADLINE);
    const wasm = await page.evaluate(() =>
      performance.getEntriesByType("resource").find((e) => e.name.endsWith(".wasm"))?.name,
    );
    assert.match(wasm, new RegExp(`^${other}/${path}/article-embed-[0-9a-f]{16}\\.wasm$`));
    // The photo's relative URL resolved against the JSON's own URL, not the page's.
    const img = await page.evaluate(() => document.querySelector("#card").shadowRoot.querySelector("[part=image]").src);
    assert.equal(img, `${other}/articles/myanmar-funeral.svg`);
    assert.deepEqual(errors, []);
    await page.close();
  });

  await t.test("the npm package's module works unbundled, its wasm found beside the glue", async () => {
    const { page, errors } = await openPage(context, `${server.url}/tests/e2e/pages/module.html`);
    await page.waitForFunction(() => document.body.dataset.mounted);
    const headline = await page.evaluate(
      () => document.querySelector("#target .article-embed").shadowRoot.querySelector("[part=headline]").textContent,
    );
    assert.equal(headline, SEED_HEADLINE);
    const wasm = await page.evaluate(() => performance.getEntriesByType("resource").find((e) => e.name.endsWith(".wasm"))?.name);
    assert.equal(wasm, `${server.url}/www/pkg/article-embed_bg.wasm`);
    assert.deepEqual(errors, []);
    await page.close();
  });

  await t.test("an element inserted after load upgrades by itself", async () => {
    const { page } = await openPage(context, `${server.url}/tests/e2e/pages/plain.html`);
    await waitForState(page, "#card", "ready");
    await page.evaluate(() => {
      const el = document.createElement("article-embed");
      el.id = "late";
      el.setAttribute("src", "/articles/myanmar-diplomat.json");
      el.setAttribute("layout", "compact");
      document.body.append(el);
    });
    await waitForState(page, "#late", "ready");
    assert.equal((await parts(page, "#late")).headline, SEED_HEADLINE);
    await page.close();
  });

  await t.test("a card moved within the page keeps its content and is not reloaded", async () => {
    const { page } = await openPage(context, `${server.url}/tests/e2e/pages/plain.html`);
    await waitForState(page, "#card", "ready");
    const fetches = () =>
      page.evaluate(() => performance.getEntriesByType("resource").filter((e) => e.name.endsWith(".json")).length);
    const before = await fetches();
    await page.evaluate(() => {
      const el = document.querySelector("#card");
      el.shadowRoot.querySelector("[part=headline]").dataset.mark = "kept";
      document.body.prepend(el);
    });
    // A card that reloaded would flip to "loading" and fetch its data again at once.
    await never(
      page,
      (before) =>
        document.querySelector("#card").getAttribute("state") !== "ready" ||
        performance.getEntriesByType("resource").filter((e) => e.name.endsWith(".json")).length !== before,
      before,
      1000,
      "a moved card neither reloads nor refetches",
    );
    const after = await page.evaluate(() => {
      const el = document.querySelector("#card");
      return {
        state: el.getAttribute("state"),
        mark: el.shadowRoot.querySelector("[part=headline]")?.dataset.mark,
        ready: window.__events.filter((e) => e.type === "ready").length,
      };
    });
    assert.deepEqual(after, { state: "ready", mark: "kept", ready: 1 });
    assert.equal(await fetches(), before);
    await page.close();
  });

  await t.test('theme="auto" follows the host\'s color-scheme, then the reader\'s preference', async () => {
    const { page } = await openPage(context, `${server.url}/tests/e2e/pages/plain.html`);
    await waitForState(page, "#card", "ready");
    const background = (sel) =>
      page.evaluate((s) => getComputedStyle(document.querySelector(s).shadowRoot.querySelector("[part=card]")).backgroundColor, sel);
    assert.equal(await background("#card"), "rgb(255, 255, 255)");
    await page.evaluate(() => {
      const box = document.createElement("div");
      box.style.colorScheme = "dark";
      box.innerHTML = '<article-embed id="dark-host" src="/articles/myanmar-diplomat.json"></article-embed>';
      document.body.append(box);
    });
    await waitForState(page, "#dark-host", "ready");
    assert.equal(await background("#dark-host"), "rgb(21, 23, 28)");
    await page.emulateMedia({ colorScheme: "dark" });
    assert.equal(await background("#card"), "rgb(21, 23, 28)", "the reader's preference");
    await page.evaluate(() => document.querySelector("#card").setAttribute("theme", "light"));
    await page.waitForFunction(() =>
      document.querySelector("#card").shadowRoot.querySelector("[part=card]").classList.contains("theme-light"),
    );
    assert.equal(await background("#card"), "rgb(255, 255, 255)", "an explicit theme wins");
    await page.close();
  });

  await t.test('theme="auto" follows the host\'s theme toggle as it happens, with no re-render', async () => {
    const { page, errors } = await openPage(context, `${server.url}/tests/e2e/pages/plain.html`);
    await page.emulateMedia({ colorScheme: "light" });
    await waitForState(page, "#card", "ready");
    const headline = await page.evaluateHandle(() => document.querySelector("#card").shadowRoot.querySelector("[part=headline]"));
    const background = () => page.evaluate(() => getComputedStyle(document.querySelector("#card").shadowRoot.querySelector("[part=card]")).backgroundColor);
    assert.equal(await background(), "rgb(255, 255, 255)");
    // What a site's dark-mode switch does: a class on <html> that its CSS gives a scheme.
    await page.evaluate(() => {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(":root.dark { color-scheme: dark } :root.light { color-scheme: light }");
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
      document.documentElement.classList.add("dark");
    });
    await page.waitForFunction(() => getComputedStyle(document.querySelector("#card").shadowRoot.querySelector("[part=card]")).backgroundColor === "rgb(21, 23, 28)");
    // Back to light by the site, while the reader prefers dark: the site's choice wins.
    await page.emulateMedia({ colorScheme: "dark" });
    await page.evaluate(() => document.documentElement.classList.replace("dark", "light"));
    await page.waitForFunction(() => getComputedStyle(document.querySelector("#card").shadowRoot.querySelector("[part=card]")).backgroundColor === "rgb(255, 255, 255)");
    // No scheme from the site: the reader's preference.
    await page.evaluate(() => document.documentElement.classList.remove("light"));
    await page.waitForFunction(() => getComputedStyle(document.querySelector("#card").shadowRoot.querySelector("[part=card]")).backgroundColor === "rgb(21, 23, 28)");
    assert.equal(await page.evaluate((h) => h.isConnected, headline), true, "the same card, restyled, not redrawn");
    assert.deepEqual(errors, []);
    await page.close();
  });

  await t.test("changing an attribute re-renders the card", async () => {
    const { page } = await openPage(context, `${server.url}/tests/e2e/pages/plain.html`);
    await waitForState(page, "#card", "ready");
    assert.ok("excerpt" in (await parts(page, "#card")));
    await page.evaluate(() => {
      const el = document.querySelector("#card");
      el.setAttribute("layout", "compact");
      el.setAttribute("theme", "dark");
      el.setAttribute("newsletter", "Evening Digest");
    });
    await page.waitForFunction(() => !document.querySelector("#card").shadowRoot.querySelector("[part=excerpt]"));
    const after = await page.evaluate(() => {
      const card = document.querySelector("#card").shadowRoot.querySelector("[part=card]");
      return { cls: card.className, bg: getComputedStyle(card).backgroundColor, signup: card.querySelector("[part=signup]").textContent };
    });
    assert.match(after.cls, /layout-compact/);
    assert.match(after.cls, /theme-dark/);
    assert.equal(after.bg, "rgb(21, 23, 28)");
    assert.match(after.signup, /Subscribe to Evening Digest/);

    // A new src loads the new story.
    await page.evaluate(() => {
      document.querySelector("#card").setAttribute("src", "data:application/json,%7B%22headline%22%3A%22Swapped%22%7D");
    });
    await page.waitForFunction(
      () => document.querySelector("#card").shadowRoot.querySelector("[part=headline]")?.textContent === "Swapped",
    );
    await waitForState(page, "#card", "ready");
    const ready = await page.evaluate(() => window.__events.filter((e) => e.type === "ready").map((e) => e.detail.url));
    assert.deepEqual(ready, ["https://news.example/international/myanmar-diplomat-tlv-resigns", null]);

    // A src that fails after a good one: back to the fallback, then a good src again.
    await page.evaluate(() => document.querySelector("#card").setAttribute("src", "/articles/gone.json"));
    await waitForState(page, "#card", "error");
    await page.waitForFunction(() => !document.querySelector("#card").shadowRoot.querySelector("[part=card]"));
    assert.ok(await page.evaluate(() => document.querySelector("#card a").getClientRects().length > 0), "fallback shown");
    await page.evaluate(() => document.querySelector("#card").setAttribute("src", "/articles/myanmar-diplomat.json"));
    await waitForState(page, "#card", "ready");
    assert.equal((await parts(page, "#card")).headline, SEED_HEADLINE);
    await page.close();
  });

  await t.test("a card inserted into a live page holds its space while it loads", async (st) => {
    // The reservation is made by script, so it can only work once the script runs: for a
    // card added to a page already shown (a single-page app). Cards in the first paint
    // need the server-rendered snippet, whose layout shift is 0 (ssr.test.mjs).
    const measure = async (reserve) => {
      const { page } = await openPage(context, `${server.url}/tests/e2e/pages/plain.html`);
      await waitForState(page, "#card", "ready");
      // The data arrives late, as on a slow network: frames are drawn while the card loads.
      await page.route("**/myanmar-diplomat.json?slow", async (route) => {
        await new Promise((r) => setTimeout(r, 400));
        await route.continue();
      });
      return page.evaluate(async (reserve) => {
        if (!reserve) document.head.append(Object.assign(document.createElement("style"), { textContent: "article-embed{min-block-size:0!important}" }));
        const column = document.querySelector(".column");
        column.replaceChildren();
        const card = document.createElement("article-embed");
        card.setAttribute("layout", "compact");
        card.setAttribute("src", "/articles/myanmar-diplomat.json?slow");
        const below = Object.assign(document.createElement("div"), { textContent: "The host's text continues below." });
        below.style.cssText = "block-size: 800px; background: #eee";
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50)));
        let shift = 0;
        new PerformanceObserver((l) => {
          for (const e of l.getEntries()) shift += e.value;
        }).observe({ type: "layout-shift" });
        column.append(card, below);
        await new Promise((r) => card.addEventListener("article-embed:ready", r, { once: true }));
        await new Promise((r) => setTimeout(r, 300));
        return shift;
      }, reserve);
    };
    const unreserved = await measure(false);
    const reserved = await measure(true);
    st.diagnostic(`layout shift ${reserved.toFixed(4)}; without the reservation ${unreserved.toFixed(4)}`);
    assert.ok(unreserved > 0.05, `the comparison must shift: ${unreserved}`);
    assert.ok(reserved < unreserved / 3, `layout shift ${reserved} (without the reservation ${unreserved})`);
  });

  await t.test("bad data and a 404 keep the fallback, set state=error and say why", async () => {
    const { page, console: messages } = await openPage(context, `${server.url}/tests/e2e/pages/errors.html`);
    await waitForState(page, "#bad", "error");
    await waitForState(page, "#missing", "error");
    await waitForState(page, "#good", "ready");
    const visible = await page.evaluate(() =>
      ["#bad-fallback", "#missing-fallback"].map((s) => document.querySelector(s).getClientRects().length > 0),
    );
    assert.deepEqual(visible, [true, true], "fallback links stay visible");
    const events = await page.evaluate(() => window.__events.filter((e) => e.type === "error"));
    const byId = Object.fromEntries(events.map((e) => [e.id, e.detail.message]));
    assert.equal(byId.bad, "headline: empty (required); image[0].url: expected text, found a number");
    assert.match(byId.missing, /could not load .*\/articles\/no-such-story\.json: HTTP 404/);
    assert.ok(events.every((e) => e.bubbles && e.composed));
    const logged = messages.filter((m) => m.type === "error").map((m) => m.text);
    assert.ok(logged.some((m) => m.includes("<article-embed>: headline: empty (required)")), logged.join("\n"));
    assert.ok(logged.some((m) => m.includes('src="/articles/no-such-story.json"') && m.includes("HTTP 404")));
    await page.close();
  });
});
