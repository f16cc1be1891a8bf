// The snippet's script from the npm package on a public CDN, with no build step: the packed
// tarball unpacked and served as jsDelivr serves it (/npm/article-embed@VERSION/…, CORS and
// CORP headers), `article-embed serve` on a second origin with the story and the signup
// endpoint, the host page on a third origin with a strict Content-Security-Policy and
// Trusted Types. The script tag is the builder's, with its integrity hash: a card, a signup
// in the server's database, and nothing run that the hash does not pin.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { test } from "node:test";
import { freePort, launchBrowser, openPage, rows, serve, waitForState } from "../e2e/helpers.mjs";
import { card, complaints, run, scratch, SEED_HEADLINE, TARBALL, VERSION } from "./common.mjs";

const TYPES = { ".js": "application/javascript; charset=utf-8", ".wasm": "application/wasm", ".json": "application/json" };
const PREFIX = `/npm/article-embed@${VERSION}/`;

/**
 * A CDN for npm packages: the package's files under PREFIX, with the headers public CDNs
 * send. Under /tampered-<glue|wasm>/… the same files, but that one altered, as a
 * compromised CDN would serve it. Records every path asked for.
 */
async function startCdn(packageDir) {
  const requests = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://cdn").pathname;
    requests.push(path);
    const tamper = path.match(/^\/tampered-(glue|wasm)(\/.*)$/);
    const rest = tamper ? tamper[2] : path;
    if (!rest.startsWith(PREFIX)) return res.writeHead(404).end();
    const file = normalize(join(packageDir, rest.slice(PREFIX.length)));
    if (!file.startsWith(packageDir + sep)) return res.writeHead(404).end();
    let body;
    try {
      body = readFileSync(file);
    } catch {
      return res.writeHead(404, { "Access-Control-Allow-Origin": "*" }).end();
    }
    const kind = /-[0-9a-f]{16}\.wasm$/.test(file) ? "wasm" : /-[0-9a-f]{16}\.js$/.test(file) ? "glue" : null;
    if (tamper && tamper[1] === kind) body = Buffer.concat([body, Buffer.from(kind === "glue" ? "\n;globalThis.__tampered = true;\n" : [0])]);
    res.writeHead(200, {
      "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
      "Access-Control-Allow-Origin": "*",
      "Cross-Origin-Resource-Policy": "cross-origin",
      "Cache-Control": "public, max-age=31536000, immutable",
    });
    res.end(body);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${server.address().port}`, requests, close: () => new Promise((ok) => server.close(ok)) };
}

/** The host page: the snippet, under a strict CSP naming the CDN and the publisher's server. */
async function startHost(cdn, publisher) {
  const pages = new Map();
  const server = createServer((req, res) => {
    const html = pages.get(new URL(req.url, "http://host").pathname);
    if (!html) return res.writeHead(404).end();
    res.writeHead(200, {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": `default-src 'none'; script-src ${cdn} 'wasm-unsafe-eval'; connect-src ${cdn} ${publisher}; img-src ${publisher} data:; style-src 'self'; form-action ${publisher}; require-trusted-types-for 'script'`,
    });
    res.end(html);
  });
  const port = await freePort();
  await new Promise((ok) => server.listen(port, "localhost", ok));
  return { url: `http://localhost:${port}`, pages, close: () => new Promise((ok) => server.close(ok)) };
}

test("the snippet's script from the npm package on a CDN, pinned by integrity", async (t) => {
  const dir = scratch(t, "cdn");
  await run("tar", ["-xzf", TARBALL, "-C", dir]);
  const packageDir = join(dir, "package");
  const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));
  assert.equal(manifest.jsdelivr, "dist/article-embed.js");
  assert.equal(manifest.unpkg, "dist/article-embed.js");
  const loader = readFileSync(join(packageDir, "dist/article-embed.js"));
  const integrity = `sha384-${createHash("sha384").update(loader).digest("base64")}`;

  const cdn = await startCdn(packageDir);
  t.after(cdn.close);
  const data = join(dir, "data");
  mkdirSync(data);
  const publisher = await serve(data, await freePort());
  t.after(publisher.stop);
  const host = await startHost(cdn.url, publisher.url);
  t.after(host.close);
  const browser = await launchBrowser(t);
  const context = await browser.newContext();

  let scriptTag;
  await t.test("the builder gives the script tag for jsDelivr, with the package's integrity hash", async () => {
    const { page } = await openPage(context, `${publisher.url}/builder.html`);
    await page.waitForFunction(() => document.querySelector("#output").value.includes("<article-embed"));
    await page.selectOption("select[name=script]", "jsdelivr");
    await page.click("button[type=submit]");
    await page.waitForFunction(() => document.querySelector("#output").value.includes("cdn.jsdelivr.net"));
    const snippet = await page.inputValue("#output");
    scriptTag = snippet.match(/<script type="module" src="[^"]*"[^>]*><\/script>/)?.[0];
    assert.equal(
      scriptTag,
      `<script type="module" src="https://cdn.jsdelivr.net/npm/article-embed@${VERSION}/dist/article-embed.js" integrity="${integrity}" crossorigin="anonymous"></script>`,
    );
    await page.close();
  });

  /** A page with the README's snippet and `script` (the CDN's host put in for jsDelivr's). */
  const page = (path, script, attributes = "") => {
    host.pages.set(
      path,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>host</title></head><body>
<article-embed src="${publisher.url}/articles/myanmar-diplomat.json" signup-endpoint="${publisher.url}/api/subscribe"${attributes}>
  <a href="https://news.example/international/myanmar-diplomat-tlv-resigns">Diplomat at Myanmar Embassy in TLV resigns</a>
</article-embed>
${script}
</body></html>`,
    );
    return `${host.url}${path}`;
  };
  const pinned = (prefix = "", hash = integrity) =>
    scriptTag.replace("https://cdn.jsdelivr.net", `${cdn.url}${prefix}`).replace(integrity, hash);

  await t.test("a strict-CSP page on a third origin: the card from the CDN, a signup in the publisher's database", async () => {
    const opened = await openPage(context, page("/", pinned()));
    await waitForState(opened.page, "article-embed", "ready");
    const shown = await card(opened.page);
    assert.equal(shown.headline, SEED_HEADLINE);
    assert.equal(shown.credit, "STRINGER/ REUTERS");
    const files = cdn.requests.filter((p) => p.startsWith(PREFIX)).map((p) => p.slice(PREFIX.length));
    assert.deepEqual(
      files.map((f) => f.replace(/[0-9a-f]{16}/, "HASH")).sort(),
      ["dist/article-embed-HASH.js", "dist/article-embed-HASH.wasm", "dist/article-embed.js"],
      "the loader, its glue and its wasm, all from the CDN",
    );
    await opened.page.locator("article-embed [part~=email]").fill("cdn-reader@example.org");
    await opened.page.locator("article-embed [part~=submit]").click();
    await opened.page.waitForFunction(() => document.querySelector("article-embed").shadowRoot.querySelector("[part~=status]")?.textContent.includes("inbox"));
    const signup = (await rows(data)).find((r) => r.email === "cdn-reader@example.org");
    assert.equal(signup?.page, `${host.url}/`);
    assert.deepEqual(complaints(opened), []);
    await opened.page.close();
  });

  await t.test("a card in French: its words from the package, beside the glue, fetched once the card needs them", async () => {
    const before = cdn.requests.length;
    const opened = await openPage(context, page("/fr", pinned(), ' lang="fr"'));
    await waitForState(opened.page, "article-embed", "ready");
    const submit = await opened.page.evaluate(() => document.querySelector("article-embed").shadowRoot.querySelector("[part~=submit]").textContent);
    assert.equal(submit, "S’abonner");
    const words = cdn.requests.slice(before).filter((p) => p.startsWith(`${PREFIX}dist/`) && /article-embed-[0-9a-f]{16}\.json$/.test(p));
    assert.equal(words.length, 1, `the words, once: ${cdn.requests.slice(before).join(", ")}`);
    assert.deepEqual(complaints(opened), []);
    await opened.page.close();
  });

  // Each below must leave the fallback link and run nothing unpinned.
  const refused = async (url, pattern, state) => {
    const opened = await openPage(context, url);
    if (state) await waitForState(opened.page, "article-embed", state);
    else await opened.page.waitForFunction(() => performance.getEntriesByType("resource").length > 0 && document.readyState === "complete");
    await opened.page.waitForTimeout(300);
    assert.equal(await opened.page.evaluate(() => globalThis.__tampered ?? false), false, "the altered glue did not run");
    assert.equal(await opened.page.evaluate(() => document.querySelector("article-embed a")?.checkVisibility()), true, "the fallback link shows");
    assert.ok(
      complaints(opened).some((line) => pattern.test(line)),
      `expected a console error matching ${pattern}, got:\n${complaints(opened).join("\n")}`,
    );
    await opened.page.close();
  };

  await t.test("a loader that is not the pinned one does not run", async () => {
    await refused(page("/wrong-hash", pinned("", `sha384-${createHash("sha384").update("another file").digest("base64")}`)), /integrity/i, null);
  });

  await t.test("an altered glue on the CDN: refused before it runs, the card reports why", async () => {
    await refused(page("/tampered-glue", pinned("/tampered-glue")), /is not the file this script was built with|integrity/i, "error");
  });

  await t.test("an altered wasm on the CDN: refused, the card reports why", async () => {
    await refused(page("/tampered-wasm", pinned("/tampered-wasm")), /integrity/i, "error");
  });
});
