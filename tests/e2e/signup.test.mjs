// End-to-end: the signup form of the built card against a local endpoint that answers each
// row of SPEC section 5's table (tools/serve.mjs, /test-api/subscribe/<mode>).
import assert from "node:assert/strict";
import { test } from "node:test";
import { openPage, setUp, waitForState } from "./helpers.mjs";

const PAGE = "/tests/e2e/pages/plain.html";

test("newsletter signup, end to end", async (t) => {
  const { server, context } = await setUp(t);
  await context.addInitScript(() => {
    window.__subscribe = [];
    document.addEventListener("article-embed:subscribe", (e) => window.__subscribe.push(e.detail.status));
  });

  /** The plain page with the form posting to the given test mode. */
  async function form(mode, attributes = {}) {
    // The host page's query and fragment (subscriber ids, addresses) must not be sent.
    const { page, errors } = await openPage(context, `${server.url}${PAGE}?subscriber=42&email=a%40b.example#top`);
    await waitForState(page, "#card", "ready");
    await page.evaluate(
      ([endpoint, attrs]) => {
        const el = document.querySelector("#card");
        el.setAttribute("signup-endpoint", endpoint);
        for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
      },
      [`/test-api/subscribe/${mode}`, attributes],
    );
    await page.waitForFunction(
      (action) => document.querySelector("#card").shadowRoot.querySelector("form")?.getAttribute("action")?.endsWith(action),
      `/test-api/subscribe/${mode}`,
    );
    const part = (name) => page.locator(`#card [part~=${name}]`);
    return { page, errors, part };
  }
  const sent = (mode) => server.requests.filter((r) => r.mode === mode);
  const events = (page) => page.evaluate(() => window.__subscribe);

  await t.test("success: one click, one request with the protocol's body and headers", async () => {
    const { page, part, errors } = await form("slow");
    await part("email").fill("reader@example.org");
    // Three clicks while the (slow) request is in flight.
    await part("submit").click();
    await part("submit").click({ force: true });
    await part("submit").click({ force: true });
    await page.waitForFunction(() => window.__subscribe.length > 0);
    await assert.doesNotReject(part("status").filter({ hasText: "You're subscribed" }).waitFor());
    assert.equal(sent("slow").length, 1, "one submission, one request");
    const [request] = sent("slow");
    assert.equal(request.method, "POST");
    assert.equal(request.headers["content-type"], "application/json");
    assert.match(request.headers["idempotency-key"], /^[0-9a-f]{32}$/);
    assert.deepEqual(JSON.parse(request.body), {
      email: "reader@example.org",
      newsletter: "The Jerusalem Post Newsletter",
      consent: false,
      // The sentence beside the box as the reader saw it, and no name (the form asks none).
      consent_text: "I agree to receive this newsletter by email.",
      name: null,
      article: "https://news.example/international/myanmar-diplomat-tlv-resigns",
      page: `${server.url}${PAGE}`,
      locale: "en",
    });
    assert.deepEqual(await events(page), ["subscribed"]);
    assert.deepEqual(errors, []);
    await page.close();
  });

  await t.test("keyboard only: Enter pressed again and again sends one request", async () => {
    const { page, part } = await form("slow", { consent: "required" });
    const before = sent("slow").length;
    await part("email").focus();
    await page.keyboard.type("keys@example.org");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Space"); // tick consent
    await part("email").focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press("Enter");
    await part("status").filter({ hasText: "You're subscribed" }).waitFor();
    assert.equal(sent("slow").length - before, 1);
    assert.equal(JSON.parse(sent("slow").at(-1).body).consent, true);
    await page.close();
  });

  await t.test("a relative signup-endpoint under <base href>: the script posts where the plain form would", async () => {
    const { page } = await openPage(context, `${server.url}/tests/e2e/pages/base.html`);
    await waitForState(page, "#card", "ready");
    const action = await page.evaluate(() => document.querySelector("#card").shadowRoot.querySelector("form").action);
    assert.equal(action, `${server.url}/test-api/subscribe/pending`, "the form's own reading of the attribute");
    const before = sent("pending").length;
    await page.locator("#card [part~=email]").fill("based@example.org");
    await page.locator("#card [part~=submit]").click();
    await page.locator("#card [part~=status]").filter({ hasText: "check your inbox" }).waitFor();
    assert.equal(sent("pending").length - before, 1, "the same endpoint");
    await page.close();
  });

  await t.test("202 pending asks the reader to confirm", async () => {
    const { page, part } = await form("pending");
    await part("email").fill("new@example.org");
    await part("submit").click();
    await part("status").filter({ hasText: "check your inbox" }).waitFor();
    assert.deepEqual(await events(page), ["pending"]);
    await page.close();
  });

  await t.test("409 already subscribed is a success, worded as such", async () => {
    const { page, part } = await form("already");
    await part("email").fill("again@example.org");
    await part("submit").click();
    await part("status").filter({ hasText: "already subscribed" }).waitFor();
    assert.deepEqual(await events(page), ["already_subscribed"]);
    await page.close();
  });

  await t.test("422: the server's message beside the field, the email stays typed", async () => {
    const { page, part } = await form("invalid");
    await part("email").fill("bounces@example.org");
    await part("submit").click();
    await part("status").filter({ hasText: "This address cannot receive mail." }).waitFor();
    assert.equal(await part("email").inputValue(), "bounces@example.org");
    assert.equal(await part("email").getAttribute("aria-invalid"), "true");
    assert.equal(
      await page.evaluate(() => document.querySelector("#card").shadowRoot.activeElement?.getAttribute("part")),
      "email",
      "focus goes back to the field",
    );
    const describedBy = await part("email").getAttribute("aria-describedby");
    assert.equal(describedBy, await part("status").getAttribute("id"));
    assert.deepEqual(await events(page), ["failed"]);
    // Fixing the address clears the refusal: the field is no longer marked, the message goes.
    await part("email").press("End");
    await page.keyboard.type("x");
    await page.waitForFunction(() => document.querySelector("#card").shadowRoot.querySelector("[part~=email]").getAttribute("aria-invalid") === "false");
    assert.equal((await part("status").textContent()).trim(), "");
    await page.close();
  });

  await t.test("500s: retried with backoff under one key, then kept in the outbox", async () => {
    const { page, part } = await form("error");
    const before = sent("error").length;
    await part("email").fill("reader@example.org");
    await part("submit").click();
    await part("status").filter({ hasText: "Trying again" }).waitFor();
    await part("status").filter({ hasText: "saved on this device" }).waitFor({ timeout: 15_000 });
    const attempts = sent("error").slice(before);
    assert.equal(attempts.length, 4, "the first try and three retries");
    assert.equal(new Set(attempts.map((r) => r.headers["idempotency-key"])).size, 1, "one key for every retry");
    assert.equal(await part("email").inputValue(), "reader@example.org", "the email stays typed");
    assert.deepEqual(await events(page), ["queued"]);
    const outbox = await page.evaluate(() =>
      Object.entries(localStorage).filter(([k]) => k.startsWith("article-embed:outbox:")),
    );
    assert.equal(outbox.length, 1);
    assert.ok(outbox[0][0].endsWith("/test-api/subscribe/error"), "namespaced per endpoint");
    const [entry] = JSON.parse(outbox[0][1]);
    assert.equal(entry.request.email, "reader@example.org");
    assert.equal(entry.key, attempts[0].headers["idempotency-key"]);
    await page.evaluate(() => localStorage.clear());
    await page.close();
  });

  await t.test("a server that never answers: each try given up after 10 s, then kept", async () => {
    const { page, part } = await form("hang");
    // The page's clock from here on is the test's: 10 s waits pass in an instant.
    await page.clock.install();
    const before = sent("hang").length;
    const tries = () => sent("hang").length - before;
    await part("email").fill("hang@example.org");
    await part("submit").click();
    for (let i = 0; i < 100 && tries() < 1; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(tries(), 1);
    // Nine seconds without an answer: still waiting, no second try.
    await page.clock.runFor(9_000);
    assert.equal(tries(), 1, "no retry before the 10 s limit");
    assert.deepEqual(await events(page), []);
    // At 10 s the try is given up; the first retry waits 0.5–1 s.
    await page.clock.runFor(2_500);
    for (let i = 0; i < 50 && tries() < 2; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(tries(), 2, "retried soon after the 10 s limit");
    // The others follow, each given up in turn: 4 tries of 10 s and 1 + 2 + 4 s of waits
    // at most, well within a minute.
    for (let i = 0; i < 50 && !(await part("status").textContent()).includes("saved on this device"); i++) {
      await page.clock.runFor(1_000);
    }
    assert.match(await part("status").textContent(), /saved on this device/);
    assert.equal(tries(), 4, "the first try and three retries, none left waiting");
    assert.deepEqual(await events(page), ["queued"]);
    assert.equal(await part("email").inputValue(), "hang@example.org", "the email stays typed");
    await page.evaluate(() => localStorage.clear());
    await page.close();
  });

  for (const [mode, shown, status] of [
    ["pending", "Your saved subscription has been sent. Almost done: check your inbox", "pending"],
    ["invalid", "Your saved subscription has been sent. This address cannot receive mail.", "failed"],
  ]) {
    await t.test(`offline: kept at once, sent when back online without a reload, its answer shown (${mode})`, async () => {
      const { page, part } = await form(mode);
      const before = sent(mode).length;
      await context.setOffline(true);
      try {
        await part("email").fill(`offline-${mode}@example.org`);
        await part("submit").click();
        await part("status").filter({ hasText: "saved on this device" }).waitFor();
        assert.deepEqual(await events(page), ["queued"]);
        assert.equal(sent(mode).length, before, "nothing reached the server");
      } finally {
        await context.setOffline(false);
      }
      // The form's own signup went: the reader is told the server's answer, not left
      // reading that it waits on this device.
      await part("status").filter({ hasText: shown }).waitFor();
      assert.doesNotMatch(await part("status").textContent(), /saved on this device/);
      const delivered = sent(mode).slice(before);
      assert.deepEqual(delivered.map((r) => JSON.parse(r.body).email), [`offline-${mode}@example.org`]);
      assert.deepEqual(await events(page), ["queued", status]);
      const outbox = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("article-embed:outbox:")));
      assert.deepEqual(outbox, [], "the outbox is empty once settled");
      await page.close();
    });
  }

  await t.test("429: 'try again in a moment', and no automatic retry", async () => {
    // Retry-After: 1, so that an automatic retry, if there were one, would come within the
    // three seconds watched below (after 1 s, then after about 2 s more).
    const { page, part } = await form("ratelimitshort");
    const before = sent("ratelimitshort").length;
    await part("email").fill("busy@example.org");
    await part("submit").click();
    await part("status").filter({ hasText: "try again in a moment" }).waitFor();
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline && sent("ratelimitshort").length - before === 1) await page.waitForTimeout(50);
    assert.equal(sent("ratelimitshort").length - before, 1, "one request, no flood");
    assert.equal(await part("email").inputValue(), "busy@example.org");
    assert.deepEqual(await events(page), ["failed"]);
    await page.close();
  });

  await t.test("the privacy link sits beside the consent box", async () => {
    const { page, part } = await form("pending", { "privacy-url": "/privacy" });
    // The consent box's own label holds the link.
    const link = page.locator("#card .consent-label:has([part~=consent]) a");
    assert.equal(await link.textContent(), "Privacy policy");
    assert.equal(await link.getAttribute("href"), `${server.url}/privacy`);
    await page.close();
  });

  await t.test("a mistyped address or missing consent is explained and nothing is sent", async () => {
    const { page, part } = await form("pending", { consent: "required" });
    const before = server.requests.length;
    await part("email").fill("reader@example");
    await part("submit").click();
    await part("status").filter({ hasText: "name@example.org" }).waitFor();
    assert.equal(await part("email").getAttribute("aria-invalid"), "true");
    await part("email").fill("reader@example.org");
    await part("submit").click();
    await part("status").filter({ hasText: "tick the box" }).waitFor();
    assert.equal(server.requests.length, before, "nothing was sent");
    assert.deepEqual(await events(page), []);
    await page.close();
  });

  await t.test("the demo's own endpoint accepts a signup", async () => {
    const { page, errors } = await openPage(context, `${server.url}/`);
    await waitForState(page, "article-embed", "ready");
    await page.locator("article-embed [part=email]").fill("demo@example.org");
    await page.locator("article-embed [part=submit]").click();
    await page.locator("article-embed [part=status]").filter({ hasText: "You're subscribed" }).waitFor();
    assert.ok(server.signups.some((s) => s.email === "demo@example.org"));
    assert.deepEqual(errors, []);
    await page.close();
  });
});
