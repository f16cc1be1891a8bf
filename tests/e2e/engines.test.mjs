// End-to-end, in every engine readers use: Chromium, Firefox ESR and WebKitGTK (Safari's
// engine), through the driver layer in engines.mjs. The checks that matter most, the same
// file for all three: the card with all its parts and its photo, the signup round trip
// against the real server, hostile host stylesheets, several cards and a late one on one
// wasm fetch, right to left, the server-rendered card without script and then hydrated,
// a strict CSP. Each engine's screenshot of the demo card goes to docs/.
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { startServer } from "../support/serve.mjs";
import { ENGINES, launch, waitFor } from "./engines.mjs";
import { freePort, rows, serve } from "./helpers.mjs";

const REPO = resolve(import.meta.dirname, "../..");
const HEADLINE = "Diplomat at Myanmar Embassy in TLV resigns following Junta's crackdown";
const PARTS = ["card", "headline", "standfirst", "byline", "date", "photo", "image", "caption", "credit", "excerpt", "contributors", "link", "signup", "email", "consent", "submit", "status"];

const ready = (page, selector) => waitFor(page, `${selector} ready`, (s) => document.querySelector(s)?.getAttribute("state") === "ready", [selector]);

// In the page: computed styles of every part of a card, and its size.
function measure(selector) {
  const root = document.querySelector(selector).shadowRoot;
  const props = ["font-family", "font-size", "font-weight", "font-style", "color", "line-height", "letter-spacing",
    "text-transform", "text-align", "text-indent", "background-color", "margin-top", "padding-top", "display",
    "border-top-width", "outline-style", "text-decoration-line"];
  const out = {};
  for (const el of root.querySelectorAll("[part]")) {
    const cs = getComputedStyle(el);
    out[el.getAttribute("part")] = Object.fromEntries(props.map((p) => [p, cs.getPropertyValue(p)]));
  }
  const box = root.querySelector("[part=card]").getBoundingClientRect();
  out.box = { width: Math.round(box.width), height: Math.round(box.height) };
  out.host = { containerType: getComputedStyle(document.querySelector(selector)).containerType };
  return out;
}

/**
 * A copy of the plain page, its story and dist/, whose glue chunk or wasm (`kind`) has been
 * altered after the build (as a compromised CDN would serve it): the loader must refuse it.
 */
function tamperedCopy(kind) {
  const root = mkdtempSync(join(tmpdir(), "article-embed-tampered-"));
  cpSync(join(REPO, "dist"), join(root, "dist"), { recursive: true });
  cpSync(join(REPO, "articles"), join(root, "articles"), { recursive: true });
  mkdirSync(join(root, "tests/e2e/pages"), { recursive: true });
  cpSync(join(REPO, "tests/e2e/pages/plain.html"), join(root, "tests/e2e/pages/plain.html"));
  const dist = (pattern) => join(root, "dist", readdirSync(join(root, "dist")).find((f) => pattern.test(f)));
  if (kind === "glue") {
    const glue = dist(/^article-embed-[0-9a-f]{16}\.js$/);
    writeFileSync(glue, `${readFileSync(glue, "utf8")}\n;globalThis.__tampered = true;\n`);
  } else {
    // One byte of the code section changed: a valid module that is not the one built.
    const wasm = dist(/^article-embed-[0-9a-f]{16}\.wasm$/);
    const bytes = readFileSync(wasm);
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(wasm, bytes);
  }
  return root;
}

for (const engine of ENGINES) {
  test(`in ${engine}`, { timeout: 300_000 }, async (t) => {
    const browser = await launch(engine);
    const server = await startServer({ port: 0, quiet: true });
    const tampered = {};
    for (const kind of ["glue", "wasm"]) {
      const root = tamperedCopy(kind);
      tampered[kind] = { root, server: await startServer({ port: 0, quiet: true, root }) };
    }
    t.after(async () => {
      await browser.close();
      await server.close();
      for (const { root, server: s } of Object.values(tampered)) {
        await s.close();
        rmSync(root, { recursive: true, force: true });
      }
    });
    t.diagnostic(browser.version);
    // Pages still open when a check fails are closed before the next one (WebKitGTK's
    // driver takes one session at a time).
    const open = new Set();
    const track = async (opening) => {
      const p = await opening;
      open.add(p);
      const close = p.close;
      p.close = async () => {
        open.delete(p);
        await close();
      };
      return p;
    };
    const page = (path, size) => track(browser.open(`${server.url}${path}`, size));
    t.beforeEach(async () => {
      for (const p of [...open]) await p.close().catch(() => {});
    });

    await t.test("the card with all its parts, its photo loaded", async () => {
      const p = await page("/tests/e2e/pages/plain.html");
      await ready(p, "#card");
      const seen = await p.evaluate((names) => {
        const root = document.querySelector("#card").shadowRoot;
        const img = root.querySelector("[part=image]");
        return {
          parts: names.filter((n) => !root.querySelector(`[part~=${n}]`)),
          headline: root.querySelector("[part=headline]").textContent,
          credit: root.querySelector("[part=credit]").textContent,
          photo: img.complete && img.naturalWidth > 0,
        };
      }, PARTS);
      assert.deepEqual(seen.parts, [], "missing parts");
      assert.equal(seen.headline, HEADLINE);
      assert.equal(seen.credit, "STRINGER/ REUTERS");
      if (!seen.photo) await waitFor(p, "the photo", () => document.querySelector("#card").shadowRoot.querySelector("[part=image]").naturalWidth > 0);
      await p.close();
    });

    await t.test("the demo card, photographed for the README", async () => {
      const p = await page("/tests/e2e/pages/portrait.html", { width: 700, height: 1200 });
      await ready(p, "#card");
      await waitFor(p, "the photo", () => document.querySelector("#card").shadowRoot.querySelector("[part=image]").naturalWidth > 0);
      await p.evaluate(() => document.fonts.ready.then(() => true));
      const box = await p.evaluate(() => {
        const r = document.querySelector("#card").getBoundingClientRect();
        return { top: r.top, height: r.height, viewport: innerHeight };
      });
      assert.ok(box.top + box.height <= box.viewport, `the whole card in view: ${JSON.stringify(box)}`);
      await p.screenshot("#card", join(REPO, `docs/card-${engine}.png`));
      await p.close();
    });

    await t.test("the signup round trip against the real server", async () => {
      const dir = mkdtempSync(join(tmpdir(), `article-embed-${engine}-`));
      const real = await serve(dir, await freePort());
      t.after(async () => {
        await real.stop();
        rmSync(dir, { recursive: true, force: true });
      });
      const p = await track(browser.open(`${real.url}/`));
      await ready(p, "article-embed");
      // Drawn from the server's markup (docs/publishers.md, "Markup before the wasm"), styled;
      // Subscribe is pressed at once, before or while the wasm takes the card over.
      const drawn = await p.evaluate(() => ({
        markup: performance.getEntriesByType("resource").some((e) => new URL(e.name).pathname.endsWith(".card.html")),
        font: getComputedStyle(document.querySelector("article-embed").shadowRoot.querySelector("[part=headline]")).fontFamily,
      }));
      assert.equal(drawn.markup, true, "the card's markup was asked for");
      assert.match(drawn.font, /Georgia/);
      const email = `${engine}@example.org`;
      await p.evaluate((address) => {
        const root = document.querySelector("article-embed").shadowRoot;
        const input = root.querySelector("[part~=email]");
        input.value = address;
        input.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
        root.querySelector("[part~=consent]").click();
        root.querySelector("[part~=submit]").click();
      }, email);
      await waitFor(p, "check your inbox", () =>
        /check your inbox/.test(document.querySelector("article-embed").shadowRoot.querySelector("[part~=status]").textContent),
      );
      const stored = (await rows(dir)).filter((r) => r.email === email);
      assert.equal(stored.length, 1);
      assert.equal(stored[0].consent, "true");
      await p.close();
    });

    await t.test("hostile host stylesheets change nothing in the card", async () => {
      const styles = async (path) => {
        const p = await page(path);
        await ready(p, "#card");
        const out = await p.evaluate(measure, "#card");
        await p.close();
        return out;
      };
      const clean = await styles("/tests/e2e/pages/plain.html");
      assert.deepEqual(await styles("/tests/e2e/pages/hostile.html"), clean, "the restyle-everything page");
      // Everything unset, !important, the card's element included, at 700 px: the wide
      // layout and its 32 px headline hold.
      const reference = await styles("/tests/e2e/pages/reset.html?off");
      assert.equal(reference.headline["font-size"], "32px", "the wide layout at 700 px");
      assert.equal(reference.host.containerType, "inline-size");
      assert.deepEqual(await styles("/tests/e2e/pages/reset.html"), reference, "* { all: unset !important }");
    });

    await t.test("several cards and one inserted late share one wasm fetch", async () => {
      const p = await page("/tests/e2e/pages/inline.html");
      await waitFor(p, "the inline cards", () => [...document.querySelectorAll("article-embed")].every((e) => e.getAttribute("state") === "ready"));
      await p.evaluate(() => {
        const late = document.createElement("article-embed");
        late.id = "late";
        late.setAttribute("src", "/articles/myanmar-diplomat.json");
        document.body.append(late);
      });
      await ready(p, "#late");
      const count = await p.evaluate(() => ({
        cards: document.querySelectorAll("article-embed[state=ready]").length,
        wasm: performance.getEntriesByType("resource").filter((e) => e.name.endsWith(".wasm")).length,
      }));
      assert.ok(count.cards >= 3, `${count.cards} cards`);
      assert.equal(count.wasm, 1, "one instance for every card");
      await p.close();
    });

    await t.test("right to left: a Hebrew card is laid out mirrored", async () => {
      const p = await page("/tests/e2e/pages/languages.html");
      await ready(p, "#he");
      const he = await p.evaluate(() => {
        const root = document.querySelector("#he").shadowRoot;
        const card = root.querySelector("[part=card]").getBoundingClientRect();
        const link = root.querySelector("[part=link]").getBoundingClientRect();
        return {
          dir: root.querySelector("[part=card]").getAttribute("dir"),
          direction: getComputedStyle(root.querySelector("[part=headline]")).direction,
          startsRight: card.right - link.right < link.left - card.left,
        };
      });
      assert.deepEqual(he, { dir: "rtl", direction: "rtl", startsRight: true });
      await p.close();
    });

    await t.test("the server-rendered card: complete without script, then hydrated", async () => {
      // The same page without its script: what a reader sees before it runs, or without it.
      const html = readFileSync(join(REPO, "dist/ssr.html"), "utf8");
      writeFileSync(join(REPO, "dist/ssr-noscript.html"), html.replace(/<script type="module"[^>]*><\/script>/g, ""));
      const bare = await page("/dist/ssr-noscript.html");
      const seen = await bare.evaluate(() => {
        const el = document.querySelector("#slot-1 article-embed");
        const headline = el.shadowRoot?.querySelector("[part=headline]");
        return {
          shadow: Boolean(el.shadowRoot),
          headline: headline?.textContent,
          font: headline && getComputedStyle(headline).fontFamily,
          state: el.getAttribute("state"),
          defined: Boolean(customElements.get("article-embed")),
          // The link for browsers without declarative shadow DOM stays hidden here.
          fallbackShown: [...el.querySelectorAll(":scope > p a")].some((a) => a.getClientRects().length > 0),
        };
      });
      assert.equal(seen.fallbackShown, false, "no second copy of the headline");
      assert.equal(seen.shadow, true, "the declarative shadow root is attached by the parser");
      assert.equal(seen.headline, HEADLINE);
      assert.match(seen.font, /Georgia/, "styled by its own sheet");
      assert.deepEqual([seen.state, seen.defined], [null, false]);
      await bare.close();

      const p = await page("/dist/ssr.html");
      await p.evaluate(() => {
        const el = document.querySelector("#slot-1 article-embed");
        window.__headline = el.shadowRoot.querySelector("[part=headline]");
        el.scrollIntoView();
      });
      await ready(p, "#slot-1 article-embed");
      const kept = await p.evaluate(() => document.querySelector("#slot-1 article-embed").shadowRoot.querySelector("[part=headline]") === window.__headline);
      assert.equal(kept, true, "hydrated: the server's nodes were kept");
      await p.close();
    });

    await t.test("a strict Content-Security-Policy: the card works, nothing is refused", async () => {
      const p = await page("/tests/e2e/pages/csp.html");
      await ready(p, "#card");
      const result = await p.evaluate(() => ({
        violations: window.__violations,
        font: getComputedStyle(document.querySelector("#card").shadowRoot.querySelector("[part=headline]")).fontFamily,
      }));
      assert.deepEqual(result.violations, []);
      assert.match(result.font, /Georgia/);
      await p.close();
    });

    for (const kind of ["glue", "wasm"]) {
      await t.test(`a ${kind} that is not the one the loader was built with is never run`, async () => {
        const p = await track(browser.open(`${tampered[kind].server.url}/tests/e2e/pages/plain.html`));
        await waitFor(p, "#card error", () => document.querySelector("#card")?.getAttribute("state") === "error");
        const seen = await p.evaluate(() => ({
          tampered: globalThis.__tampered ?? false,
          fallback: document.querySelector("#card a")?.getBoundingClientRect().height > 0,
        }));
        assert.deepEqual(seen, { tampered: false, fallback: true });
        await p.close();
      });
    }
  });
}
