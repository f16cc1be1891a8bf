// End-to-end: the signup a newsroom shapes (docs/publishers.md, "The form in the
// publisher's words"), with the card on a partner's page (another origin) and the
// publisher's `article-embed serve`: its own consent sentence, hint and button label, a
// name field, in the widget and in the server-rendered form without script; what is
// stored is what the reader saw, and the partner it came from is counted.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { BIN, freePort, launchBrowser, openPage, REPO, rows, serve, waitForState } from "./helpers.mjs";

const CONSENT = "Ja, ich möchte den Morgen-Newsletter erhalten. Abmeldung jederzeit.";
const HINT = "Jeden Werktag um 6 Uhr.";
const LABEL = "Anmelden";

test("the newsroom's own form", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "article-embed-newsroom-"));
  const metrics = await freePort();
  const publisher = await serve(dir, await freePort(), ["--metrics-addr", `127.0.0.1:${metrics}`]);
  const pages = new Map();
  const partner = createServer((req, res) => {
    const html = pages.get(new URL(req.url, "http://x").pathname);
    if (!html) return res.writeHead(404).end();
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(html);
  });
  const port = await freePort();
  await new Promise((ok) => partner.listen(port, "localhost", ok));
  const host = `http://localhost:${port}`;
  const browser = await launchBrowser(t);
  t.after(async () => {
    await publisher.stop();
    partner.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const src = `${publisher.url}/articles/myanmar-diplomat.json`;
  const words = `consent-text="${CONSENT}" hint="${HINT}" submit-label="${LABEL}" fields="name" lang="de"`;
  const page = (card) => `<!doctype html><html lang="de"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Partner</title></head><body>${card}
<script type="module" src="${publisher.url}/dist/article-embed.js"></script></body></html>`;

  await t.test("the widget says the publisher's words and sends what the reader saw", async () => {
    pages.set("/world/story", page(`<article-embed id="card" src="${src}" signup-endpoint="${publisher.url}/api/subscribe" ${words}></article-embed>`));
    const context = await browser.newContext();
    t.after(() => context.close());
    const { page: p, errors, console: messages } = await openPage(context, `${host}/world/story?utm_source=mail#top`);
    await waitForState(p, "#card", "ready");
    const part = (name) => p.locator(`#card [part~=${name}]`);
    const shown = await p.evaluate(() => {
      const root = document.querySelector("#card").shadowRoot;
      return {
        consent: root.querySelector("[part~=consent]").closest("label").textContent.trim(),
        hint: root.querySelector(".signup-hint").textContent,
        button: root.querySelector("[part~=submit]").textContent,
        nameLabel: root.querySelector("label[for=article-embed-name]")?.textContent,
      };
    });
    assert.deepEqual(shown, { consent: CONSENT, hint: HINT, button: LABEL, nameLabel: "Vorname (optional)" });
    await part("email").fill("leserin@example.org");
    await part("name").fill("Dana");
    await part("consent").check();
    await part("submit").click();
    await part("status").filter({ hasText: /Posteingang|inbox/ }).waitFor();
    const row = (await rows(dir)).find((r) => r.email === "leserin@example.org");
    assert.equal(row.consent_text, CONSENT);
    assert.equal(row.name, "Dana");
    assert.equal(row.page, `${host}/world/story`);
    assert.deepEqual(errors, []);
    assert.deepEqual(messages.filter((m) => m.type === "warning" || m.type === "error"), []);
    await p.close();
  });

  await t.test("markup in the publisher's words is refused with a console warning", async () => {
    pages.set("/bad", page(`<article-embed id="card" src="${src}" signup-endpoint="${publisher.url}/api/subscribe" consent-text="I agree to &lt;a href=x&gt;the terms&lt;/a&gt;"></article-embed>`));
    const context = await browser.newContext();
    t.after(() => context.close());
    const { page: p, console: messages } = await openPage(context, `${host}/bad`);
    await waitForState(p, "#card", "ready");
    // Drawn from the server's markup first; the wasm, which reads the options, is sent for.
    await p.locator("#card [part~=email]").focus();
    await p.waitForFunction(() => performance.getEntriesByType("resource").some((e) => e.name.endsWith(".wasm")));
    await p.waitForTimeout(500);
    const consent = await p.evaluate(() => document.querySelector("#card").shadowRoot.querySelector("[part~=consent]").closest("label").textContent.trim());
    assert.equal(consent, "I agree to receive this newsletter by email.");
    assert.ok(
      messages.some((m) => m.type === "warning" && m.text.includes("consent-text: holds markup (plain text only)")),
      JSON.stringify(messages),
    );
    await p.close();
  });

  await t.test("without script, the server-rendered form posts the same, and the partner is counted", async () => {
    const snippet = execFileSync(BIN, [
      "snippet", join(REPO, "articles/myanmar-diplomat.json"), "--src", src,
      "--signup-endpoint", `${publisher.url}/api/subscribe`, "--consent-text", CONSENT, "--hint", HINT,
      "--submit-label", LABEL, "--fields", "name", "--lang", "de",
    ], { encoding: "utf8" });
    pages.set("/noscript", `<!doctype html><html lang="de"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Partner</title></head><body>${snippet}</body></html>`);
    const context = await browser.newContext({ javaScriptEnabled: false });
    t.after(() => context.close());
    const p = await context.newPage();
    await p.goto(`${host}/noscript`);
    const part = (name) => p.locator(`article-embed [part~=${name}]`);
    assert.equal((await part("submit").textContent()).trim(), LABEL);
    await part("email").fill("ohne-skript@example.org");
    await part("name").fill("Ada");
    await part("consent").check();
    await Promise.all([p.waitForNavigation(), part("submit").click()]);
    const row = (await rows(dir)).find((r) => r.email === "ohne-skript@example.org");
    assert.equal(row.consent_text, CONSENT);
    assert.equal(row.name, "Ada");
    assert.equal(row.page, `${host}/`, "the partner's origin, all the browser's referrer policy gives");
    await p.close();

    const stats = await (await fetch(`http://127.0.0.1:${metrics}/stats`)).json();
    const partnerRows = stats.rows.filter((r) => r.origin === host);
    assert.equal(partnerRows.reduce((n, r) => n + r.pending + r.confirmed, 0), 2, JSON.stringify(stats));
    const table = execFileSync(BIN, ["signups", "stats", "--data-dir", dir], { encoding: "utf8" });
    assert.match(table, new RegExp(`${host.replace(/[.:/]/g, "\\$&")}\\s+\\(all\\)\\s+\\(all\\)\\s+0\\s+2`));
  });
});
