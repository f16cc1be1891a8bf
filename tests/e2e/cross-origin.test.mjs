// End-to-end: the snippet on someone else's page. A blog on one origin (localhost, served by
// tools/serve.mjs) pastes the snippet of a publisher's `article-embed serve` on another
// (127.0.0.1): script, glue, wasm, article, photo and signup all cross origins, as they do
// for every real embed. Once on a plain page, once on a cross-origin-isolated one.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { startServer } from "../support/serve.mjs";
import { freePort, openPage, parts, rows, serve, setUp, waitForState } from "./helpers.mjs";

const SEED_HEADLINE = "Diplomat at Myanmar Embassy in TLV resigns following Junta's crackdown";

test("the snippet on a page of another origin", async (t) => {
  const { context } = await setUp(t);
  const dir = mkdtempSync(join(tmpdir(), "article-embed-cross-"));
  const server = await serve(dir, await freePort());
  const blog = await startServer({ port: 0, quiet: true, hostname: "localhost" });
  t.after(async () => {
    await server.stop();
    await blog.close();
    rmSync(dir, { recursive: true, force: true });
  });
  assert.notEqual(new URL(blog.url).origin, new URL(server.url).origin);

  async function embed(query, email) {
    const { page, errors, console: messages } = await openPage(context);
    const responses = [];
    page.on("response", (r) => r.url().startsWith(server.url) && responses.push(r));
    await page.goto(`${blog.url}/tests/e2e/pages/third-party.html?server=${server.url}${query}`);
    await waitForState(page, "#card", "ready");
    const seen = await parts(page, "#card");
    assert.equal(seen.headline, SEED_HEADLINE);
    assert.equal(seen.credit, "STRINGER/ REUTERS");
    const photo = await page.waitForFunction(() => {
      const img = document.querySelector("#card").shadowRoot.querySelector("[part=image]");
      return img?.complete && img.naturalWidth > 0 && img.currentSrc;
    });
    assert.equal(await photo.jsonValue(), `${server.url}/articles/myanmar-funeral.svg`, "the photo loaded across origins");

    const part = (name) => page.locator(`#card [part~=${name}]`);
    await part("email").fill(email);
    await part("consent").check();
    await part("submit").click();
    await part("status").filter({ hasText: "check your inbox" }).waitFor();
    const stored = (await rows(dir)).find((r) => r.email === email);
    assert.ok(stored, "the signup is in the publisher's database");
    assert.ok(stored.page.startsWith(`${blog.url}/tests/e2e/pages/third-party.html`), stored.page);
    const refusals = messages.filter((m) => m.type === "error");
    assert.deepEqual(refusals, [], "no CORS, CORP or CSP refusal on the console");
    assert.deepEqual(errors, []);
    return { page, responses };
  }

  await t.test("a plain blog page: ready, photo loaded, signup stored; assets compressed and cached", async () => {
    const { page, responses } = await embed("", "blog-reader@example.org");
    const wasm = responses.find((r) => r.url().endsWith(".wasm"));
    assert.match(wasm.url(), /\/dist\/article-embed-[0-9a-f]{16}\.wasm$/);
    const headers = await wasm.allHeaders();
    assert.equal(headers["cache-control"], "public, max-age=31536000, immutable");
    assert.ok(["br", "gzip"].includes(headers["content-encoding"]), `wasm sent ${headers["content-encoding"]}`);
    await page.close();
  });

  await t.test("a cross-origin-isolated page (COEP require-corp): the same", async () => {
    const { page } = await embed("&coep", "isolated-reader@example.org");
    assert.equal(await page.evaluate(() => crossOriginIsolated), true, "the host really is isolated");
    await page.close();
  });

  await t.test("src=/articles/from?url=<the publisher's own article page>: ready", async () => {
    // The publisher's site is the blog's origin here: the server may read its pages.
    const sourceDir = mkdtempSync(join(tmpdir(), "article-embed-source-"));
    const reader = await serve(sourceDir, await freePort(), ["--source", new URL(blog.url).origin]);
    t.after(async () => {
      await reader.stop();
      rmSync(sourceDir, { recursive: true, force: true });
    });
    const article = `${blog.url}/crates/server/tests/fixtures/pages/graph.html`;
    const src = `/articles/from?url=${encodeURIComponent(article)}`;
    const { page, errors, console: messages } = await openPage(context);
    await page.goto(`${blog.url}/tests/e2e/pages/third-party.html?server=${reader.url}&src=${encodeURIComponent(src)}`);
    await waitForState(page, "#card", "ready");
    const seen = await parts(page, "#card");
    assert.equal(seen.headline, "The “final” word on tides & moons");
    assert.equal(
      await page.evaluate(() => document.querySelector("#card").shadowRoot.querySelector("[part=link]")?.href),
      article,
      "the story's link is the page it was read from (its JSON-LD names none)",
    );
    // (The fixture's photo and logo are on hosts that do not exist here.)
    const refusals = messages.filter((m) => m.type === "error" && !/Failed to load resource/.test(m.text));
    assert.deepEqual(refusals, [], "no CORS, CORP or CSP refusal");
    assert.deepEqual(errors, []);
    // The builder takes the page's URL and makes the snippet from the server's reading.
    await page.goto(`${reader.url}/builder.html`);
    await page.waitForFunction(() => document.querySelector("#output").value.startsWith("<article-embed"));
    await page.locator("input[name=url]").fill(article);
    await page.getByRole("button", { name: "Make the snippet" }).click();
    await page.waitForFunction(() => document.querySelector("#output").value.includes("/articles/from?url="));
    const snippet = await page.locator("#output").inputValue();
    assert.ok(snippet.includes("The “final” word on tides &amp; moons"), snippet.slice(0, 400));
    await waitForState(page, "#preview article-embed", "ready");
    // Any other origin is refused, the server's own included.
    const refused = await fetch(`${reader.url}/articles/from?url=${encodeURIComponent(`${reader.url}/healthz`)}`);
    assert.equal(refused.status, 403);
    await page.close();
  });

  await t.test("a cross-site text/plain POST (no preflight) stores nothing", async () => {
    const { page } = await openPage(context, `${blog.url}/tests/e2e/pages/plain.html`);
    const before = (await rows(dir)).length;
    const answered = page.waitForResponse(`${server.url}/api/subscribe`);
    await page.evaluate(async (endpoint) => {
      await fetch(endpoint, {
        method: "POST",
        mode: "no-cors",
        headers: { "Content-Type": "text/plain" },
        body: JSON.stringify({ email: "forged@example.org", newsletter: "The Jerusalem Post Newsletter", consent: true }),
      });
    }, `${server.url}/api/subscribe`);
    assert.equal((await answered).status(), 415, "it reached the server, which refused it");
    assert.equal((await rows(dir)).length, before);
    await page.close();
  });
});
