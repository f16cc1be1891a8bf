// End-to-end: what docs/publishers.md promises a newsroom, on a partner's page of another
// origin (strict CSP, Trusted Types) against the publisher's `article-embed serve` with
// `--proof-of-work` and two newsletters: the reader picks newsletters in one form, the
// widget solves the server's challenge while the reader types, one signup per newsletter is
// stored, one mail lists them and its link confirms them together; a replayed solution is
// refused; without script the form still works; boxes ticked before the wasm came stay.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  BIN, confirmationLinks, freePort, holdWasm, launchBrowser, mails, openPage, REPO, rows, serve, startStrictHost, waitForState,
} from "./helpers.mjs";

const DAILY = "Daily briefing";
const WEEKLY = "Weekly analysis";

test("several newsletters and proof of work on a partner's page", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "article-embed-choices-"));
  const publisher = await serve(dir, await freePort(), [
    "--newsletter", DAILY, "--newsletter", WEEKLY, "--proof-of-work", "--proofless-per-minute", "5",
  ]);
  const partner = await startStrictHost(publisher.url);
  const { pages, url: host } = partner;
  const browser = await launchBrowser(t);
  t.after(async () => {
    await publisher.stop();
    await partner.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const endpoint = `${publisher.url}/api/subscribe`;
  const card = `<article-embed id="card" src="${publisher.url}/articles/myanmar-diplomat.json" signup-endpoint="${endpoint}" newsletters="${DAILY}, ${WEEKLY}"></article-embed>`;
  const page = (body) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Partner</title></head><body>${body}
<script type="module" src="${publisher.url}/dist/article-embed.js"></script></body></html>`;
  pages.set("/story", page(card));
  const boxes = (p) =>
    p.evaluate(() =>
      [...document.querySelector("#card").shadowRoot.querySelectorAll("[part~=newsletters] input[type=checkbox]")].map((b) => ({
        name: b.value,
        label: b.closest("label").textContent.trim(),
        checked: b.checked,
      })),
    );
  let posted;

  await t.test("the widget: boxes, the first ticked; the proof solved while typing; one mail for both", async () => {
    const context = await browser.newContext();
    t.after(() => context.close());
    const { page: p, errors } = await openPage(context, `${host}/story`);
    const asked = [];
    p.on("request", (r) => asked.push({ method: r.method(), url: r.url(), body: r.postData(), at: Date.now() }));
    await waitForState(p, "#card", "ready");
    assert.deepEqual(await boxes(p), [
      { name: DAILY, label: DAILY, checked: true },
      { name: WEEKLY, label: WEEKLY, checked: false },
    ]);
    const group = p.locator("#card [part~=newsletters]");
    assert.equal(await group.getAttribute("role"), "group");
    // None ticked: asked to choose, nothing sent.
    await p.locator("#card [part~=email]").focus();
    await p.waitForFunction(() => performance.getEntriesByType("resource").some((e) => e.name.endsWith(".wasm")));
    await p.locator("#card [part~=email]").pressSequentially("two@example.org");
    await group.getByLabel(DAILY).uncheck();
    await p.locator("#card [part~=submit]").click();
    await p.locator("#card [part~=status]").filter({ hasText: "Choose at least one newsletter." }).waitFor();
    assert.ok(!asked.some((r) => r.method === "POST"), "nothing sent with none ticked");
    // The challenge was asked for while the reader typed, before any Subscribe.
    const challenge = asked.find((r) => r.method === "GET" && r.url === endpoint);
    assert.ok(challenge, JSON.stringify(asked.map((r) => r.url)));
    await group.getByLabel(DAILY).check();
    await group.getByLabel(WEEKLY).check();
    await p.locator("#card [part~=submit]").click();
    await p.locator("#card [part~=status]").filter({ hasText: "check your inbox" }).waitFor();
    const posts = asked.filter((r) => r.method === "POST" && r.url === endpoint);
    assert.equal(posts.length, 1, "one request");
    posted = JSON.parse(posts[0].body);
    assert.deepEqual(posted.newsletters, [DAILY, WEEKLY]);
    assert.equal(posted.newsletter, DAILY, "the first, for servers that read one");
    assert.ok(posted.altcha, "the solution went with it");
    const solution = JSON.parse(Buffer.from(posted.altcha, "base64").toString());
    assert.equal(solution.algorithm, "SHA-256");
    assert.ok(Number.isInteger(solution.number));
    const mine = (await rows(dir)).filter((r) => r.email === "two@example.org");
    assert.deepEqual(mine.map((r) => [r.newsletter, r.status]), [[DAILY, "pending"], [WEEKLY, "pending"]]);
    const mail = (await mails(dir, 1)).filter((m) => m.includes("two@example.org"));
    assert.equal(mail.length, 1, "one mail");
    assert.ok(mail[0].includes(DAILY) && mail[0].includes(WEEKLY), mail[0]);
    // The link's page names both; its button confirms both.
    const [link] = await confirmationLinks(dir, 1);
    const confirm = await context.newPage();
    await confirm.goto(link);
    assert.match(await confirm.locator("p").first().textContent(), /Daily briefing, Weekly analysis/);
    await Promise.all([confirm.waitForNavigation(), confirm.locator("button").click()]);
    const now = (await rows(dir)).filter((r) => r.email === "two@example.org");
    assert.deepEqual(now.map((r) => r.status), ["subscribed", "subscribed"]);
    assert.deepEqual(errors, []);
  });

  await t.test("a replayed solution is refused, a forged one too", async () => {
    assert.ok(posted, "the widget's request, from the test before");
    const send = (body) =>
      fetch(endpoint, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const replay = await send({ ...posted, email: "bot@example.org" });
    assert.equal(replay.status, 403);
    assert.equal((await replay.json()).error, "proof_spent");
    const solution = JSON.parse(Buffer.from(posted.altcha, "base64").toString());
    const forged = Buffer.from(JSON.stringify({ ...solution, number: solution.number + 1 })).toString("base64");
    const wrong = await send({ ...posted, email: "bot2@example.org", altcha: forged });
    assert.equal(wrong.status, 403);
    const none = await send({ ...posted, email: "bot3@example.org", altcha: undefined });
    assert.equal(none.status, 403);
    assert.equal((await none.json()).error, "proof_required");
    assert.ok(!(await rows(dir)).some((r) => r.email.startsWith("bot")));
  });

  await t.test("boxes changed in the server's markup before the wasm came stay as the reader left them", async () => {
    const context = await browser.newContext();
    t.after(() => context.close());
    const release = await holdWasm(context);
    const { page: p, errors } = await openPage(context, `${host}/story`);
    await waitForState(p, "#card", "ready");
    const group = p.locator("#card [part~=newsletters]");
    await group.getByLabel(DAILY).uncheck();
    await group.getByLabel(WEEKLY).check();
    await p.locator("#card [part~=email]").fill("weekly-only@example.org");
    release();
    await p.waitForFunction(() => performance.getEntriesByType("resource").some((e) => e.name.endsWith(".wasm")));
    await p.waitForTimeout(300);
    assert.deepEqual((await boxes(p)).map((b) => b.checked), [false, true]);
    await p.locator("#card [part~=submit]").click();
    await p.locator("#card [part~=status]").filter({ hasText: "check your inbox" }).waitFor();
    const mine = (await rows(dir)).filter((r) => r.email === "weekly-only@example.org");
    assert.deepEqual(mine.map((r) => r.newsletter), [WEEKLY]);
    assert.deepEqual(errors, []);
  });

  await t.test("without script: the same boxes; the form posts its choice, in the slow lane", async () => {
    const snippet = execFileSync(BIN, [
      "snippet", join(REPO, "articles/myanmar-diplomat.json"), "--src", `${publisher.url}/articles/myanmar-diplomat.json`,
      "--signup-endpoint", endpoint, "--newsletters", `${DAILY}, ${WEEKLY}`,
    ], { encoding: "utf8" });
    pages.set("/noscript", page(snippet));
    const context = await browser.newContext({ javaScriptEnabled: false });
    t.after(() => context.close());
    const p = await context.newPage();
    await p.goto(`${host}/noscript`);
    const group = p.locator("article-embed [part~=newsletters]");
    assert.equal(await group.getByLabel(DAILY).isChecked(), true);
    await group.getByLabel(WEEKLY).check();
    await p.locator("article-embed [part~=email]").fill("no-script@example.org");
    await Promise.all([p.waitForNavigation(), p.locator("article-embed [part~=submit]").click()]);
    assert.match(await p.locator("body").textContent(), /check your inbox/);
    const mine = (await rows(dir)).filter((r) => r.email === "no-script@example.org");
    assert.deepEqual(mine.map((r) => r.newsletter), [DAILY, WEEKLY]);
  });
});
