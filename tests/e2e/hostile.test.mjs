// End-to-end: the built card on hostile hosts — a strict CSP, a CSP without WebAssembly,
// Trusted Types, and a page whose own scripts throw and freeze Object.prototype. (The
// restyle-everything stylesheet is in card.test.mjs; bad data beside good cards in
// errors.html.)
import assert from "node:assert/strict";
import { test } from "node:test";
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { BIN, openPage, parts, setUp, waitForState } from "./helpers.mjs";

const HEADLINE = "Diplomat at Myanmar Embassy in TLV resigns following Junta's crackdown";

test("hostile hosts", async (t) => {
  const { server, context } = await setUp(t);
  const page = (name) => openPage(context, `${server.url}/tests/e2e/pages/${name}`);
  // These pages are on a static host without `prerender`'s files: the loader asks it for
  // the card's markup once, and the browser logs that 404 (docs/publishers.md). Anything
  // else is a problem.
  const asked = (m) => /\.card\.html(\?|$)/.test(new URL(m.url || "x:").pathname) && m.text.includes("404");
  const problems = (messages) =>
    messages.filter((m) => (m.type === "error" || m.type === "warning") && !asked(m)).map((m) => m.text);

  await t.test("a strict CSP (no inline styles, no eval): the card works, nothing is refused", async () => {
    const { page: p, console: messages, errors } = await page("csp.html");
    await waitForState(p, "#card", "ready");
    assert.equal((await parts(p, "#card")).headline, HEADLINE);
    const font = await p.evaluate(() =>
      getComputedStyle(document.querySelector("#card").shadowRoot.querySelector("[part=headline]")).fontFamily,
    );
    assert.match(font, /Georgia/, "the card's own styles apply");
    assert.deepEqual(problems(messages), []);
    assert.deepEqual(errors, []);
    await p.close();
  });

  await t.test("a CSP without 'wasm-unsafe-eval': the fallback stays and one message names the directive", async () => {
    const { page: p, console: messages } = await page("csp-no-wasm.html");
    await waitForState(p, "#card", "error");
    assert.ok(await p.evaluate(() => document.querySelector("#card a").getClientRects().length > 0), "fallback shown");
    const ours = messages.filter((m) => m.type === "error" && m.text.includes("article-embed"));
    assert.equal(ours.length, 1, ours.map((m) => m.text).join("\n"));
    assert.match(ours[0].text, /add 'wasm-unsafe-eval' to script-src/);
    await p.close();
  });

  await t.test("Trusted Types enforced: no violation", async () => {
    const { page: p, console: messages, errors } = await page("trusted-types.html");
    await waitForState(p, "#card", "ready");
    assert.equal((await parts(p, "#card")).headline, HEADLINE);
    assert.deepEqual(problems(messages), []);
    assert.deepEqual(errors, []);
    await p.close();
  });

  // Browsers without a feature the card uses (docs/publishers.md, "Browser support"), each made here by
  // turning the feature off in Chromium.
  await t.test("no WebAssembly: the fallback stays, and one message says why", async () => {
    const { page: p, console: messages, errors } = await openPage(context);
    await p.addInitScript(() => delete globalThis.WebAssembly);
    await p.goto(`${server.url}/tests/e2e/pages/plain.html`);
    assert.equal(await p.evaluate(() => typeof WebAssembly), "undefined", "the feature really is off");
    await waitForState(p, "#card", "error");
    assert.ok(await p.evaluate(() => document.querySelector("#card a").getClientRects().length > 0), "fallback shown");
    const ours = messages.filter((m) => m.type === "error" && m.text.includes("no WebAssembly"));
    assert.equal(ours.length, 1);
    assert.deepEqual(errors, []);
    await p.close();
  });

  await t.test("no constructable stylesheets: the card is styled by a <style> of its own", async () => {
    const { page: p, errors } = await openPage(context);
    await p.addInitScript(() => {
      delete ShadowRoot.prototype.adoptedStyleSheets;
      delete Document.prototype.adoptedStyleSheets;
    });
    await p.goto(`${server.url}/tests/e2e/pages/plain.html`);
    await waitForState(p, "#card", "ready");
    const styled = await p.evaluate(() => {
      const root = document.querySelector("#card").shadowRoot;
      return {
        off: !("adoptedStyleSheets" in ShadowRoot.prototype),
        styles: root.querySelectorAll("style").length,
        font: getComputedStyle(root.querySelector("[part=headline]")).fontFamily,
      };
    });
    assert.equal(styled.off, true);
    assert.ok(styled.styles >= 1);
    assert.match(styled.font, /Georgia/);
    assert.deepEqual(errors, []);
    await p.close();
  });

  await t.test("no declarative shadow DOM: the element attaches the server's template itself and hydrates it", async () => {
    // Markup inserted with innerHTML is not parsed for declarative shadow roots: the
    // template stays inert, as it does in a browser without the feature.
    const snippet = execFileSync(BIN, ["snippet", "articles/myanmar-diplomat.json", "--src", "/articles/myanmar-diplomat.json"], {
      cwd: resolve(import.meta.dirname, "../.."),
      encoding: "utf8",
    });
    const inner = snippet.slice(snippet.indexOf(">") + 1, snippet.lastIndexOf("</article-embed>"));
    const { page: p, errors } = await openPage(context, `${server.url}/tests/e2e/pages/plain.html`);
    await waitForState(p, "#card", "ready");
    await p.evaluate((html) => {
      const el = document.createElement("article-embed");
      el.id = "inert";
      el.setAttribute("src", "/articles/myanmar-diplomat.json");
      el.innerHTML = html;
      window.__template = el.querySelector("template[shadowrootmode]");
      window.__headline = window.__template.content.querySelector("[part=headline]");
      document.body.append(el);
      el.scrollIntoView();
    }, inner);
    await waitForState(p, "#inert", "ready");
    const kept = await p.evaluate(
      () => document.querySelector("#inert").shadowRoot.querySelector("[part=headline]") === window.__headline && !window.__template.isConnected,
    );
    assert.equal(kept, true, "the template's nodes became the shadow root and were hydrated");
    assert.deepEqual(errors, []);
    await p.close();
  });

  await t.test("the page's own scripts throw and freeze Object.prototype: the card still works", async () => {
    const { page: p, errors } = await page("broken.html");
    await waitForState(p, "#card", "ready");
    assert.equal(errors.length, 1, "only the page's own error");
    assert.match(errors[0].message, /the host page's own script failed/);
    await p.locator("#card [part=email]").fill("reader@example.org");
    await p.locator("#card [part=submit]").click();
    await p.locator("#card [part=status]").filter({ hasText: "check your inbox" }).waitFor();
    await p.close();
  });
});
