// End-to-end: three `article-embed serve` processes on one real PostgreSQL behave as one
// (SPEC 6.2) — idempotency keys, rate limits, mail and webhooks coordinated through the
// database — with a real SMTP server (tests/e2e/smtp.mjs) that goes down and comes back,
// a webhook receiver that fails first, and an erasure that leaves no trace. Needs
// ARTICLE_EMBED_TEST_POSTGRES (`make test` starts PostgreSQL and sets it).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { BIN, freePort, serve } from "./helpers.mjs";
import { smtpServer } from "./smtp.mjs";

const BASE = process.env.ARTICLE_EMBED_TEST_POSTGRES;
const NEWSLETTER = "The Jerusalem Post Newsletter";
const SECRET = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

const psql = (url, sql) => execFileSync("psql", [url, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql], { encoding: "utf8" });

async function until(what, check, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("three serve processes on one PostgreSQL behave as one", { skip: !BASE && "ARTICLE_EMBED_TEST_POSTGRES is not set (make test sets it)" }, async (t) => {
  const name = `article_embed_cluster_${process.pid}`;
  psql(BASE, `DROP DATABASE IF EXISTS ${name}`);
  psql(BASE, `CREATE DATABASE ${name}`);
  const db = BASE.replace(/\/[^/]*$/, `/${name}`);
  t.after(() => psql(BASE, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

  const smtp = await smtpServer();
  t.after(() => smtp.stop().catch(() => {}));
  // The webhook receiver: 500 to the first delivery, 200 after.
  const events = [];
  let answered = 0;
  const hooks = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      events.push({ headers: req.headers, body });
      res.writeHead(answered++ === 0 ? 500 : 200).end();
    });
  });
  await new Promise((ok) => hooks.listen(0, "127.0.0.1", ok));
  t.after(() => hooks.close());
  const hookUrl = `http://127.0.0.1:${hooks.address().port}/hooks`;

  const servers = [];
  for (let i = 0; i < 3; i++) {
    const dir = mkdtempSync(join(tmpdir(), `article-embed-cluster-${i}-`));
    const server = await serve(dir, await freePort(), [
      "--db", db, "--smtp", `smtp://127.0.0.1:${smtp.port()}`, "--webhook", hookUrl,
      "--rate-per-ip", "1000", "--rate-per-email", "2",
    ], { env: { ARTICLE_EMBED_WEBHOOK_SECRET: `whsec_${SECRET}` } });
    servers.push(server);
    t.after(async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    });
  }
  const post = (server, email, key) =>
    fetch(`${server.url}/api/subscribe`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(key ? { "Idempotency-Key": key } : {}) },
      body: JSON.stringify({ email, newsletter: NEWSLETTER, consent: true, locale: "en" }),
    });
  const rowsOf = (email) => Number(psql(db, `SELECT COUNT(*) FROM signups WHERE email = '${email}'`));
  const mailsTo = (email) => smtp.messages.filter((m) => m.to.includes(email));

  await t.test("the same submission to all three at once: one row, one mail, one answer", async () => {
    const answers = await Promise.all(servers.map((s) => post(s, "once@example.org", "key-once")));
    const bodies = await Promise.all(answers.map((a) => a.text()));
    assert.deepEqual(answers.map((a) => a.status), [202, 202, 202]);
    assert.deepEqual(new Set(bodies), new Set(['{"status":"pending"}']));
    await until("the mail", () => mailsTo("once@example.org").length >= 1);
    await new Promise((r) => setTimeout(r, 1500)); // every process has polled the queue since
    assert.equal(rowsOf("once@example.org"), 1);
    assert.equal(mailsTo("once@example.org").length, 1);
    const reused = await post(servers[1], "someone-else@example.org", "key-once");
    assert.equal(reused.status, 422);
    assert.equal((await reused.json()).error, "idempotency_key_reused");
  });

  await t.test("forty submissions spread over them: forty rows, forty mails, none twice", async () => {
    const emails = Array.from({ length: 40 }, (_, i) => `reader${i}@example.org`);
    const answers = await Promise.all(emails.map((e, i) => post(servers[i % 3], e, `key-${i}`)));
    assert.ok(answers.every((a) => a.status === 202));
    await until("forty mails", () => emails.every((e) => mailsTo(e).length >= 1));
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(Number(psql(db, "SELECT COUNT(*) FROM signups WHERE email LIKE 'reader%'")), 40);
    for (const e of emails) assert.equal(mailsTo(e).length, 1, e);
  });

  await t.test("SMTP down, then back: every mail arrives once, later", async () => {
    await smtp.stop();
    const emails = ["outage1@example.org", "outage2@example.org", "outage3@example.org"];
    const answers = await Promise.all(emails.map((e, i) => post(servers[i], e)));
    assert.ok(answers.every((a) => a.status === 202), "the answer does not wait for SMTP");
    await until("the failed sends", () => servers.some((s) => /event=mail\.failed/.test(s.log())));
    assert.equal(Number(psql(db, "SELECT COUNT(*) FROM mail_queue")), 3, "queued, not lost");
    await smtp.start();
    await until("the mail after the outage", () => emails.every((e) => mailsTo(e).length >= 1), 30_000);
    await new Promise((r) => setTimeout(r, 1500));
    for (const e of emails) assert.equal(mailsTo(e).length, 1, e);
    assert.equal(Number(psql(db, "SELECT COUNT(*) FROM mail_queue")), 0);
  });

  await t.test("a rate limit holds across processes", async () => {
    const statuses = [];
    for (const server of servers) statuses.push((await post(server, "limited@example.org")).status);
    assert.deepEqual(statuses, [202, 202, 429], "two an hour for one address, whichever process answers");
  });

  await t.test("a webhook receiver that fails first gets the event again, same id, valid signature", async () => {
    const [mail] = mailsTo("once@example.org");
    const link = mail.data.replace(/=\r\n/g, "").replace(/=3D/g, "=").match(/https?:\/\/\S+token=[0-9a-f]{32}/)[0];
    const token = link.split("token=")[1];
    const confirmed = await fetch(`${servers[2].url}/api/confirm`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `token=${token}`,
    });
    assert.equal(confirmed.status, 200);
    await until("the retried delivery", () => events.length >= 2, 30_000);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(events.length, 2, "delivered once after one failure, by one process");
    assert.equal(events[0].headers["webhook-id"], events[1].headers["webhook-id"]);
    for (const { headers, body } of events) {
      const expected = createHmac("sha256", Buffer.from(SECRET, "base64"))
        .update(`${headers["webhook-id"]}.${headers["webhook-timestamp"]}.${body}`)
        .digest("base64");
      assert.equal(headers["webhook-signature"], `v1,${expected}`);
      const event = JSON.parse(body);
      assert.equal(event.type, "subscriber.confirmed");
      assert.equal(event.data.email, "once@example.org");
      assert.equal(event.data.newsletter, NEWSLETTER);
    }
  });

  await t.test("erasure: subscriber.deleted is delivered, then no table holds the address", async () => {
    const everything = () =>
      ["signups", "confirmations", "idempotency", "rate_counts", "mail_queue", "webhook_queue"]
        .map((table) => psql(db, `SELECT row_to_json(t)::text FROM ${table} t`))
        .join("\n");
    assert.match(everything(), /once@example\.org/);
    // No webhook flag: the provider told of the address hears of its erasure regardless.
    const out = execFileSync(BIN, ["signups", "delete", "once@example.org", "--db", db], { encoding: "utf8" });
    assert.match(out, /1 subscriber\.deleted event\(s\) queued/);
    await until("subscriber.deleted", () => events.some((e) => JSON.parse(e.body).type === "subscriber.deleted"), 30_000);
    await until("the delivered event to be cleared", () => !everything().includes("once@example.org"), 10_000);
    const left = everything();
    assert.doesNotMatch(left, /once@example\.org/);
    const countKey = createHash("sha256").update("once@example.org").digest("hex");
    assert.ok(!left.includes(countKey), "nor its rate-limit counts");
  });
});
