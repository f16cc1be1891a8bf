// End-to-end: the widget in Chromium against the real `article-embed serve` on 127.0.0.1
// with a real SQLite file — double opt-in, retries, the outbox across a server outage,
// one request per submission, and the no-JavaScript form.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { confirmationLinks, launchBrowser, openPage, rows, serve, freePort, setUp, waitForState } from "./helpers.mjs";


test("the widget against article-embed serve", async (t) => {
  const { context } = await setUp(t);

  async function fresh(extra) {
    const dir = mkdtempSync(join(tmpdir(), "article-embed-serve-"));
    const port = await freePort();
    const server = await serve(dir, port, extra);
    t.after(async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    return { dir, port, server };
  }

  async function demo(url) {
    const { page, errors, console: messages } = await openPage(context, `${url}/`);
    await waitForState(page, "article-embed", "ready");
    const part = (name) => page.locator(`article-embed [part~=${name}]`);
    return { page, part, errors, messages };
  }

  await t.test("subscribe → one pending row → the confirmation link → subscribed", async () => {
    const { dir, server } = await fresh();
    const { page, part, errors, messages } = await demo(server.url);
    // The demo page works under the server's own Content-Security-Policy.
    assert.match(await page.evaluate(async () => (await fetch(location.href)).headers.get("content-security-policy")), /script-src/);
    await part("email").fill("reader@example.org");
    await part("consent").check();
    await part("submit").click();
    await part("status").filter({ hasText: "check your inbox" }).waitFor();
    let signups = await rows(dir);
    assert.equal(signups.length, 1);
    assert.equal(signups[0].email, "reader@example.org");
    assert.equal(signups[0].status, "pending");
    assert.equal(signups[0].consent, "true");
    assert.equal(signups[0].newsletter, "The Jerusalem Post Newsletter");
    assert.equal(signups[0].page, `${server.url}/`);
    const [link] = await confirmationLinks(dir, 1);
    assert.ok(link.startsWith(`${server.url}/api/confirm?token=`), link);
    // The log says where the mail went, never the address or the link.
    const sent = /event=mail\.sent kind=confirmation to=r…@example\.org result="written to .*\.eml"/;
    for (let i = 0; i < 40 && !sent.test(server.log()); i++) await new Promise((r) => setTimeout(r, 50));
    assert.match(server.log(), sent);
    assert.ok(!server.log().includes("reader@example.org") && !server.log().includes(link.split("token=")[1]));
    // Opening the link is what a mail scanner does: it confirms nothing by itself.
    await page.goto(link);
    assert.equal((await rows(dir))[0].status, "pending");
    await page.getByRole("button", { name: "Confirm my subscription" }).click();
    await page.waitForURL(`${server.url}/api/confirm`);
    assert.match(await page.textContent("body"), /You're subscribed to The Jerusalem Post Newsletter/);
    signups = await rows(dir);
    assert.equal(signups.length, 1);
    assert.equal(signups[0].status, "subscribed");
    assert.deepEqual(errors, []);
    assert.deepEqual(messages.filter((m) => m.type === "error"), [], "no CSP refusal, no failed load");
    await page.close();
  });

  await t.test("the server fails twice: the widget retries and one row is stored", async () => {
    const { dir, server } = await fresh(["--fail-first", "2"]);
    const { page, part } = await demo(server.url);
    const posts = [];
    page.on("request", (r) => r.method() === "POST" && posts.push(r.headers()["idempotency-key"]));
    await part("email").fill("retry@example.org");
    await part("submit").click();
    await part("status").filter({ hasText: "check your inbox" }).waitFor({ timeout: 15_000 });
    assert.equal(posts.length, 3, "two failures and a success");
    assert.equal(new Set(posts).size, 1, "one idempotency key across the retries");
    assert.equal((await rows(dir)).length, 1);
    await page.close();
  });

  await t.test("the server is down: queued; back up and reloaded: sent once", async () => {
    const { dir, port, server } = await fresh();
    const { page, part } = await demo(server.url);
    await page.evaluate(() => {
      window.__subscribe = [];
      document.addEventListener("article-embed:subscribe", (e) => window.__subscribe.push(e.detail.status));
    });
    // The card shows the server's markup first; reached for, its wasm, glue and story come
    // (docs/publishers.md, "Markup before the wasm"). The server goes down after that.
    await part("email").focus();
    await page.waitForFunction(() => {
      const names = performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname);
      return [/\.wasm$/, /^\/dist\/article-embed-[0-9a-f]+\.js$/, /^\/articles\/[^/]+\.json$/].every((re) => names.some((n) => re.test(n)));
    });
    await server.stop();
    await part("email").fill("outage@example.org");
    await part("submit").click();
    await part("status").filter({ hasText: "saved on this device" }).waitFor({ timeout: 20_000 });
    assert.deepEqual(await page.evaluate(() => window.__subscribe), ["queued"]);
    assert.equal(await part("email").inputValue(), "outage@example.org");

    const again = await serve(dir, port);
    t.after(() => again.stop());
    const sent = [];
    page.on("request", (r) => r.method() === "POST" && sent.push(r.url()));
    await page.reload();
    await waitForState(page, "article-embed", "ready");
    await part("status").filter({ hasText: "saved subscription has been sent" }).waitFor();
    const signups = await rows(dir);
    assert.equal(signups.length, 1);
    assert.equal(signups[0].email, "outage@example.org");
    const outbox = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("article-embed:outbox:")));
    assert.deepEqual(outbox, [], "the outbox is empty once sent");
    // Another view sends nothing more.
    await page.reload();
    await waitForState(page, "article-embed", "ready");
    // A second send would leave as the card starts: wait until the network has been quiet.
    await page.waitForLoadState("networkidle");
    assert.equal(sent.length, 1, "sent exactly once");
    assert.equal((await rows(dir)).length, 1);
    await page.close();
  });

  await t.test("double click and Enter spam send one request", async () => {
    const { dir, server } = await fresh();
    const { page, part } = await demo(server.url);
    let posts = 0;
    page.on("request", (r) => r.method() === "POST" && posts++);
    await part("email").fill("spam@example.org");
    await part("submit").dblclick();
    await part("email").focus();
    for (let i = 0; i < 6; i++) await page.keyboard.press("Enter");
    await part("submit").click({ force: true });
    await part("status").filter({ hasText: "check your inbox" }).waitFor();
    await page.waitForLoadState("networkidle");
    assert.equal(posts, 1);
    assert.equal((await rows(dir)).length, 1);
    await page.close();
  });

  await t.test("without JavaScript, the fallback form subscribes too", async () => {
    const { dir, server } = await fresh();
    const browser = await launchBrowser(t);
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const page = await noScript.newPage();
    await page.goto(`${server.url}/`);
    assert.equal(await page.locator("article-embed").getAttribute("state"), null, "the element never upgraded");
    await page.fill("article-embed form input[name=email]", "nojs@example.org");
    await page.check("article-embed form input[name=consent]");
    await page.click("article-embed form button");
    await page.waitForLoadState();
    assert.match(await page.textContent("body"), /check your inbox/);
    const signups = await rows(dir);
    assert.equal(signups.length, 1);
    assert.equal(signups[0].email, "nojs@example.org");
    assert.equal(signups[0].consent, "true");
  });
});
