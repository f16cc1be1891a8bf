// End-to-end: `article-embed serve` as a publisher exposes it (SPEC 6.1), the real binary
// on a real port with a real SQLite file, poked with raw sockets where an HTTP client would
// tidy the request up. Each protection here fails when it is removed.
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { BIN, confirmationLinks, freePort, mails, rows, serve } from "./helpers.mjs";

const REPO = resolve(import.meta.dirname, "../..");
const JPOST = "The Jerusalem Post Newsletter";

/** Sends `text` as it is on a new connection; resolves to the status and the whole answer. */
function raw(port, text) {
  return new Promise((ok, fail) => {
    const socket = connect(port, "127.0.0.1");
    let data = "";
    socket.on("data", (d) => (data += d));
    socket.on("error", fail);
    socket.on("close", () => ok({ status: Number(data.match(/^HTTP\/1\.1 (\d{3})/)?.[1] ?? 0), data }));
    socket.write(text);
  });
}

const get = (port, path) => raw(port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);

function signup(url, email, extra = {}, headers = {}) {
  return fetch(`${url}/api/subscribe`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify({ email, newsletter: JPOST, consent: true, locale: "en", ...extra }),
  });
}

function tempDir(t, name) {
  const dir = mkdtempSync(join(tmpdir(), `article-embed-${name}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function started(t, dir, extra = [], options = {}) {
  const server = await serve(dir, await freePort(), extra, options);
  t.after(() => server.stop());
  return server;
}

test("the publisher's server on the open internet", async (t) => {
  // A client that sends half its headers and then nothing: started first, checked last, so
  // the 30 s it takes overlap the other checks.
  const slowDir = tempDir(t, "slow");
  const slowServer = await started(t, slowDir);
  const slowClient = new Promise((ok) => {
    const began = Date.now();
    const socket = connect(slowServer.port, "127.0.0.1");
    let answer = "";
    socket.on("data", (d) => (answer += d));
    socket.on("error", () => {});
    socket.on("close", () => ok({ seconds: (Date.now() - began) / 1000, answer }));
    // Without a header deadline the connection stays open for good: give up after 45 s.
    setTimeout(() => {
      ok({ seconds: Infinity, answer });
      socket.destroy();
    }, 45_000).unref();
    socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
  });

  await t.test("started with defaults in a folder full of private files: only the site, the assets and the articles", async () => {
    const work = tempDir(t, "workdir");
    const write = (rel, text) => {
      mkdirSync(join(work, rel, ".."), { recursive: true });
      writeFileSync(join(work, rel), text);
    };
    write(".git/config", "[remote \"origin\"] url = git@private.example:secret.git");
    write(".env", "SMTP_PASSWORD=hunter2");
    write("secret.txt", "the publisher's secret");
    write("backup.sql", "INSERT INTO readers VALUES ('someone@example.org');");
    write("article-embed.db", "an old database in the working directory");
    write("mail-drop/old.eml", "token=0123456789abcdef0123456789abcdef");
    write("dist/.DS_Store", "finder");
    cpSync(join(REPO, "dist"), join(work, "dist"), { recursive: true, filter: (src) => !src.endsWith(".tgz") });
    cpSync(join(REPO, "articles"), join(work, "articles"), { recursive: true });
    const server = await started(t, null, [], { cwd: work });
    assert.equal((await signup(server.url, "private@example.org")).status, 202);
    const data = join(work, "article-embed-data");
    assert.ok(existsSync(join(data, "article-embed.db")), "the database is in the data directory");
    assert.equal((await mails(data, 1)).length, 1, "so is the mail");
    const [mail] = readdirSync(join(data, "mail"));

    const loader = readFileSync(join(work, "dist/article-embed.js"), "utf8");
    const glue = loader.match(/article-embed-[0-9a-f]{16}\.js/)[0];
    const wasm = readdirSync(join(work, "dist")).find((f) => f.endsWith(".wasm"));
    for (const path of ["/", "/builder.html", "/dist/article-embed.js", `/dist/${glue}`, `/dist/${wasm}`,
      "/articles/myanmar-diplomat.json", "/articles/myanmar-funeral.svg"]) {
      assert.equal((await get(server.port, path)).status, 200, path);
    }
    const secrets = ["hunter2", "private.example", "someone@example.org", "publisher's secret", "0123456789abcdef0123"];
    for (const path of [
      "/.git/config", "/.git/HEAD", "/.env", "/secret.txt", "/backup.sql", "/article-embed.db",
      "/mail-drop/old.eml", "/article-embed-data/article-embed.db", "/article-embed-data/article-embed.db-wal",
      `/article-embed-data/mail/${mail}`, "/dist/.DS_Store",
      "/dist/../.env", "/dist/..%2f.env", "/dist/%2e%2e/.env", "/dist/%2e%2e%2f.env", "/dist/%2E%2E%2F.env",
      "/articles/..%2f..%2fsecret.txt", "/articles/%2e%2e%5csecret.txt", "/dist/..%5c.env",
      "/dist/%2e%2e/article-embed-data/article-embed.db", "/articles/..%2farticle-embed-data%2farticle-embed.db",
      "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd", "//etc/passwd", "/%2egit/config", "/.%65nv",
      "/dist/%252e%252e/.env",
    ]) {
      const { status, data: answer } = await get(server.port, path);
      assert.equal(status, 404, `${path} → ${status}`);
      for (const secret of secrets) assert.ok(!answer.includes(secret), `${path} leaked ${secret}`);
    }
  });

  await t.test("a data directory inside a served folder: the server refuses to start", async () => {
    const work = tempDir(t, "overlap");
    mkdirSync(join(work, "dist"));
    for (const [args, flag] of [[["--site", "."], "--site"], [["--data-dir", "dist/private"], "--dist"]]) {
      const server = serve(null, await freePort(), args, { cwd: work });
      await assert.rejects(server, (error) => {
        assert.match(error.message, new RegExp(`lies inside .* which ${flag} serves`));
        return true;
      });
    }
  });

  await t.test("rate limits: a trusted proxy's headers name the reader, anyone else's are ignored, IPv6 by /64", async () => {
    const behind = await started(t, tempDir(t, "proxy"), ["--trusted-proxy", "127.0.0.1/32", "--rate-per-ip", "2"]);
    const from = (email, headers) => signup(behind.url, email, {}, headers).then((r) => r.status);
    // The 31st reader of a shared proxy address is no longer refused: each reader has a limit.
    assert.equal(await from("a1@example.org", { "X-Forwarded-For": "198.51.100.1" }), 202);
    assert.equal(await from("a2@example.org", { "X-Forwarded-For": "198.51.100.1" }), 202);
    assert.equal(await from("a3@example.org", { "X-Forwarded-For": "6.6.6.6, 198.51.100.1" }), 429, "a spoofed hop changes nothing");
    assert.equal(await from("b1@example.org", { "X-Forwarded-For": "198.51.100.2" }), 202, "another reader");
    assert.equal(await from("c1@example.org", { Forwarded: 'for="[2001:db8:1:2::1]:4711";proto=https' }), 202);
    assert.equal(await from("c2@example.org", { Forwarded: 'for="[2001:db8:1:2:ffff::9]"' }), 202);
    assert.equal(await from("c3@example.org", { Forwarded: 'for="[2001:db8:1:2::77]"' }), 429, "the same /64");
    assert.equal(await from("d1@example.org", { Forwarded: 'for="[2001:db8:1:3::1]"' }), 202, "another /64");

    const direct = await started(t, tempDir(t, "noproxy"), ["--trusted-proxy", "10.0.0.0/8", "--rate-per-ip", "2"]);
    const spoof = (email, ip) => signup(direct.url, email, {}, { "X-Forwarded-For": ip, Forwarded: `for=${ip}` }).then((r) => r.status);
    assert.equal(await spoof("e1@example.org", "192.0.2.1"), 202);
    assert.equal(await spoof("e2@example.org", "192.0.2.2"), 202);
    assert.equal(await spoof("e3@example.org", "192.0.2.3"), 429, "from an untrusted peer the headers are ignored");
  });

  await t.test("confirmation: the link's page confirms nothing, its button confirms once; tokens are hashed; nothing revealed", async () => {
    const dir = tempDir(t, "confirm");
    const server = await started(t, dir);
    const first = await signup(server.url, "confirm@example.org");
    const firstBody = await first.text();
    assert.deepEqual([first.status, firstBody], [202, '{"status":"pending"}']);
    const [link] = await confirmationLinks(dir, 1);
    const token = link.split("token=")[1];
    // A mail scanner follows the link (twice, for good measure).
    for (let i = 0; i < 2; i++) {
      const scanned = await fetch(link);
      assert.equal(scanned.status, 200);
      assert.equal(scanned.headers.get("referrer-policy"), "no-referrer");
      assert.match(await scanned.text(), /<form method="post" action="\/api\/confirm">/);
    }
    assert.equal((await rows(dir))[0].status, "pending", "a GET confirms nothing");
    const db = () => ["", "-wal"].map((s) => join(dir, `article-embed.db${s}`)).filter(existsSync).map((f) => readFileSync(f)).join("");
    assert.ok(!db().includes(token), "the token is not stored");

    // Pending: the same answer, and a second link.
    const pending = await signup(server.url, "Confirm@Example.org");
    assert.deepEqual([pending.status, await pending.text()], [202, firstBody]);
    assert.equal((await confirmationLinks(dir, 2)).length, 2);

    const press = () => fetch(`${server.url}/api/confirm`, {
      method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: `token=${token}`,
    });
    const confirmed = await press();
    assert.equal(confirmed.status, 200);
    assert.match(await confirmed.text(), /You(&#39;|')re subscribed to The Jerusalem Post Newsletter/);
    assert.equal((await rows(dir))[0].status, "subscribed");
    const second = (await confirmationLinks(dir, 2))[1].split("token=")[1];
    const voided = await fetch(`${server.url}/api/confirm`, {
      method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: `token=${second}`,
    });
    assert.equal(voided.status, 200, "the other link says it is done, and does nothing");
    assert.equal((await rows(dir)).length, 1);

    // Confirmed: still the same answer; a short note by mail, once.
    const mailsBefore = (await mails(dir, 2)).length;
    const again = await signup(server.url, "confirm@example.org");
    assert.deepEqual([again.status, await again.text()], [202, firstBody]);
    const after = await mails(dir, mailsBefore + 1);
    assert.equal(after.length, mailsBefore + 1);
    assert.match(after.at(-1), /already subscribed/);
    assert.doesNotMatch(after.at(-1), /token=/);
    await signup(server.url, "confirm@example.org");
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await mails(dir)).length, mailsBefore + 1, "the note is rate-limited");

    // The log names neither the address nor any token.
    const log = server.log();
    assert.match(log, /event=mail\.sent kind=confirmation to=c…@example\.org/);
    assert.ok(!/confirm@example\.org/i.test(log), "no full address in the log");
    for (const link of await confirmationLinks(dir)) assert.ok(!log.includes(link.split("token=")[1]), "no token in the log");
  });

  await t.test("only its own words in mail: an unknown newsletter is refused and nothing is sent", async () => {
    const dir = tempDir(t, "newsletter");
    const server = await started(t, dir);
    const phish = await signup(server.url, "victim@example.org", { newsletter: "Your account is locked: http://phish.example" });
    assert.equal(phish.status, 422);
    assert.equal((await phish.json()).error, "unknown_newsletter");
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(await mails(dir), []);
    assert.deepEqual(await rows(dir), []);
    const spanish = await signup(server.url, "lector@example.org", { newsletter: "Boletín de The Jerusalem Post", locale: "es" });
    assert.equal(spanish.status, 202, "the default name in the widget's other languages");
  });

  await t.test("bodies other than JSON and urlencoded forms are refused", async () => {
    const dir = tempDir(t, "plain");
    const server = await started(t, dir);
    for (const type of ["text/plain", "text/plain;charset=UTF-8", "multipart/form-data; boundary=x"]) {
      const response = await fetch(`${server.url}/api/subscribe`, {
        method: "POST",
        headers: { "Content-Type": type, Origin: "https://attacker.example" },
        body: JSON.stringify({ email: "csrf@example.org", newsletter: JPOST }),
      });
      assert.equal(response.status, 415, type);
    }
    assert.deepEqual(await rows(dir), []);
  });

  await t.test("security headers, CORS and CORP, caching and compression", async () => {
    const server = await started(t, tempDir(t, "headers"));
    const head = async (path, headers = {}) => (await fetch(`${server.url}${path}`, { headers })).headers;
    for (const path of ["/", "/nope", "/dist/article-embed.js", "/articles/myanmar-diplomat.json", "/embed/myanmar-diplomat", "/oembed?url=x"]) {
      assert.equal((await head(path)).get("x-content-type-options"), "nosniff", path);
    }
    for (const path of ["/", "/builder.html", "/embed/myanmar-diplomat"]) {
      const h = await head(path);
      assert.match(h.get("content-security-policy") ?? "", /script-src 'self'.*'wasm-unsafe-eval'/, path);
      assert.ok(h.get("referrer-policy"), path);
    }
    // Brotli is made once, in the background, at start: ask until it is there.
    let loader;
    for (let i = 0; i < 100; i++) {
      loader = await fetch(`${server.url}/dist/article-embed.js`, { headers: { "Accept-Encoding": "gzip, br" } });
      if (loader.headers.get("content-encoding") === "br") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const text = await loader.text();
    assert.equal(loader.headers.get("content-encoding"), "br");
    assert.equal(loader.headers.get("cache-control"), "public, max-age=300", "the stable name is short-cached");
    const glue = text.match(/article-embed-[0-9a-f]{16}\.js/)[0];
    const glueResponse = await fetch(`${server.url}/dist/${glue}`, { headers: { "Accept-Encoding": "gzip" } });
    const glueText = await glueResponse.text();
    assert.equal(glueResponse.headers.get("content-encoding"), "gzip");
    assert.equal(glueResponse.headers.get("cache-control"), "public, max-age=31536000, immutable");
    const wasm = glueText.match(/article-embed-[0-9a-f]{16}\.wasm/)[0];
    for (const path of [`/dist/${wasm}`, "/articles/myanmar-diplomat.json", "/articles/myanmar-funeral.svg", "/oembed?url=http%3A%2F%2Fx%2Fembed%2Fmyanmar-diplomat"]) {
      const h = await head(path, { Origin: "https://blog.example" });
      assert.equal(h.get("access-control-allow-origin"), "*", path);
      assert.equal(h.get("cross-origin-resource-policy"), "cross-origin", path);
    }
    assert.equal((await head(`/dist/${wasm}`)).get("cache-control"), "public, max-age=31536000, immutable");
  });

  await t.test("every option from the environment; secrets never in the command line or the log", async () => {
    const dir = tempDir(t, "env");
    const port = await freePort();
    const metricsPort = await freePort();
    const { spawn } = await import("node:child_process");
    const child = spawn(BIN, ["serve"], {
      cwd: REPO,
      env: {
        ...process.env,
        ARTICLE_EMBED_ADDR: `127.0.0.1:${port}`,
        ARTICLE_EMBED_DATA_DIR: dir,
        ARTICLE_EMBED_NEWSLETTER: "Morning Brief;Evening Brief",
        ARTICLE_EMBED_SMTP: "smtp://reader:hunter2@127.0.0.1:9",
        ARTICLE_EMBED_RATE_PER_EMAIL: "1",
        ARTICLE_EMBED_METRICS_ADDR: `127.0.0.1:${metricsPort}`,
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let log = "";
    child.stderr.on("data", (d) => (log += d));
    t.after(() => child.kill("SIGKILL"));
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        await fetch(url);
        break;
      } catch {
        assert.ok(i < 100 && child.exitCode === null, `serve did not start: ${log}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    assert.equal((await signup(url, "env@example.org", { newsletter: "Evening Brief" })).status, 202);
    assert.equal((await signup(url, "env@example.org", { newsletter: "Evening Brief" })).status, 429, "ARTICLE_EMBED_RATE_PER_EMAIL");
    assert.equal((await signup(url, "env2@example.org")).status, 422, "only the listed newsletters");
    assert.ok(!readFileSync(`/proc/${child.pid}/cmdline`, "utf8").includes("hunter2"));
    // SMTP is down: the mail waits in the queue (to go out when SMTP is back), and nothing
    // says the password.
    for (let i = 0; i < 50 && !/event=mail\.failed/.test(log); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(log, /event=mail\.failed .*SMTP failed/);
    assert.equal((await fetch(`${url}/metrics`)).status, 404, "not on the public port");
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    assert.match(metrics, /^article_embed_queue_depth\{queue="mail"\} 1$/m);
    assert.deepEqual(await mails(dir), [], "not written anywhere else");
    assert.ok(!log.includes("hunter2"), log);
  });

  for (const signal of ["SIGTERM", "SIGINT"]) {
    await t.test(`${signal} in the middle of a request body: the request finishes, the server exits 0`, async () => {
      const dir = tempDir(t, signal.toLowerCase());
      const server = await started(t, dir);
      const body = JSON.stringify({ email: "inflight@example.org", newsletter: JPOST, consent: true, locale: "en" });
      const answer = new Promise((ok, fail) => {
        const socket = connect(server.port, "127.0.0.1");
        let data = "";
        socket.on("data", (d) => (data += d));
        socket.on("error", fail);
        socket.on("close", () => ok(data));
        socket.write(
          `POST /api/subscribe HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 20)}`,
        );
        setTimeout(async () => {
          server.child.kill(signal);
          await new Promise((r) => setTimeout(r, 500));
          // Stopped listening: a new reader is turned away, not left hanging.
          await fetch(`${server.url}/`).then(
            () => fail(new Error(`a new connection was accepted after ${signal}`)),
            () => socket.write(body.slice(20)),
          );
        }, 300);
      });
      assert.match(await answer, /^HTTP\/1\.1 202 /);
      assert.deepEqual(await server.exited, { code: 0, signal: null });
      const signups = await rows(dir);
      assert.equal(signups.length, 1);
      assert.equal(signups[0].email, "inflight@example.org");
    });
  }

  await t.test("a request that never finishes holds the stop no longer than 10 s, then exit 0", async () => {
    const dir = tempDir(t, "drain");
    const server = await started(t, dir);
    const socket = connect(server.port, "127.0.0.1");
    socket.on("error", () => {});
    await new Promise((ok) => socket.once("connect", ok));
    socket.write(
      'POST /api/subscribe HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":',
    );
    await new Promise((r) => setTimeout(r, 300));
    const began = Date.now();
    server.child.kill("SIGINT");
    const exit = await server.exited;
    const seconds = (Date.now() - began) / 1000;
    socket.destroy();
    assert.deepEqual(exit, { code: 0, signal: null });
    assert.ok(seconds >= 9.5 && seconds < 20, `stopped after ${seconds} s`);
    assert.match(server.log(), /event=serve\.requests_cut_off after_s=10/);
    assert.deepEqual(await rows(dir), [], "half a request stores nothing");
  });

  await t.test("a client that never finishes its headers is cut off after 30 s", async () => {
    const { seconds, answer } = await slowClient;
    assert.ok(seconds >= 29 && seconds < 40, `closed after ${seconds} s`);
    assert.doesNotMatch(answer, /^HTTP\/1\.1 200/);
    assert.equal((await get(slowServer.port, "/")).status, 200, "and everyone else was served meanwhile");
  });
});
