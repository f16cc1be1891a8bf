// The card where newsrooms write: Debian's WordPress 6.1 (Twenty Twenty-Three, plain
// permalinks) on one origin, `article-embed serve` on another (with --allow-origin naming
// the WordPress site, as "Running it in public" advises), posts saved through the REST API
// as the block editor saves them, by a writer with the Author role (who may post no script
// and no unknown element) and by an Administrator; each published post read in Chromium.
// Without the plugin: discovery, WordPress's sandboxed frame, a signup from inside it. With
// the plugin (installed from its zip as WordPress's upload does): a pasted URL, the block,
// the shortcode, with and without script. Each post's screenshot goes to docs/.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { freePort, launchBrowser, rows, serve } from "../e2e/helpers.mjs";
import { installPlugin, php, startWordPress } from "./wordpress.mjs";

const REPO = resolve(import.meta.dirname, "../..");
const ARTICLES = join(REPO, "build/demo/articles");
const ZIP = join(REPO, "build/article-embed-wordpress.zip");
const HEADLINE = "Diplomat at Myanmar Embassy in TLV resigns following Junta's crackdown";

/** The embed block as the block editor saves a pasted URL. */
const embedBlock = (url) =>
  `<!-- wp:embed {"url":"${url}","type":"rich","providerNameSlug":"test-newsroom"} -->
<figure class="wp-block-embed is-type-rich is-provider-test-newsroom wp-block-embed-test-newsroom"><div class="wp-block-embed__wrapper">
${url}
</div></figure>
<!-- /wp:embed -->`;

const paragraph = (text) => `<!-- wp:paragraph -->\n<p>${text}</p>\n<!-- /wp:paragraph -->`;

/** What a card shows, in a page or a frame. */
const cardState = (where) =>
  where.evaluate(() => {
    const element = document.querySelector("article-embed");
    const root = element?.shadowRoot;
    const img = root?.querySelector("[part=image]");
    return {
      state: element?.getAttribute("state") ?? null,
      headline: root?.querySelector("[part=headline]")?.textContent ?? null,
      credit: root?.querySelector("[part=credit]")?.textContent ?? null,
      photo: Boolean(img?.complete && img.naturalWidth > 0),
      width: Math.round(root?.querySelector("[part=card]")?.getBoundingClientRect().width ?? 0),
    };
  });

const waitReady = (where) => where.waitForFunction(() => document.querySelector("article-embed")?.getAttribute("state") === "ready", null, { timeout: 30_000 });
const waitPhoto = (where) => where.waitForFunction(() => document.querySelector("article-embed")?.shadowRoot?.querySelector("[part=image]")?.complete, null, { timeout: 30_000 });

/** Subscribes `email` through the card in `where` (typing, then Enter), and waits for the answer. */
async function subscribe(where, email) {
  const field = where.locator("article-embed [part~=email]");
  await field.fill(email);
  await field.press("Enter");
  await where.waitForFunction(() => /inbox/i.test(document.querySelector("article-embed")?.shadowRoot?.querySelector("[part~=status]")?.textContent ?? ""), null, { timeout: 30_000 });
}

/** The signup of `email` in the server's database, waiting a moment for it. */
async function signupOf(data, email) {
  for (let i = 0; i < 50; i++) {
    const row = (await rows(data)).find((r) => r.email === email);
    if (row) return row;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`no signup of ${email} in the server's database`);
}

test("WordPress: writers paste a story's URL, readers subscribe", { timeout: 15 * 60_000 }, async (t) => {
  assert.ok(existsSync(ZIP), `${ZIP} is missing: run make dist`);
  assert.ok(existsSync(join(ARTICLES, "myanmar-diplomat.html")), `${ARTICLES} is missing: run make test`);
  const dir = mkdtempSync(join(tmpdir(), "article-embed-wordpress-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const data = join(dir, "server-data");
  mkdirSync(data);
  mkdirSync(join(dir, "wp"));
  const serverPort = await freePort();
  const wp = await startWordPress(t, join(dir, "wp"), { allowPorts: [serverPort] });
  const server = await serve(data, serverPort, ["--articles", ARTICLES, "--allow-origin", wp.url]);
  t.after(server.stop);
  const story = `${server.url}/articles/myanmar-diplomat.html`;
  const browser = await launchBrowser(t);
  const context = await browser.newContext({ viewport: { width: 1100, height: 1000 } });
  const noScript = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1100, height: 1000 } });

  /** Opens a post; records console errors and page errors. */
  const open = async (url, where = context) => {
    const page = await where.newPage();
    const problems = [];
    // WordPress without rewrite rules has no /favicon.ico (the browser asks for it anyway).
    const favicon = (m) => m.location().url.endsWith("/favicon.ico");
    page.on("console", (m) => m.type() === "error" && !favicon(m) && problems.push(`${m.text()} (${m.location().url})`));
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("requestfailed", (r) => problems.push(`failed: ${r.url()}`));
    await page.goto(url);
    return { page, problems };
  };
  const screenshot = (page, name) => page.screenshot({ path: join(REPO, "docs", `wordpress-${name}.png`), fullPage: true });

  await t.test("without the plugin, an Author pastes the story's URL: discovery, WordPress's sandboxed frame, a signup from it", async () => {
    const post = await wp.publish("author", "Discovered", `${paragraph("Before the card.")}\n\n${embedBlock(story)}`);
    const { page, problems } = await open(post.url);
    const iframe = page.locator("iframe.wp-embedded-content");
    assert.equal(await iframe.getAttribute("sandbox"), "allow-scripts", "WordPress's own sandbox: no forms, no same origin");
    const frame = await (await iframe.elementHandle()).contentFrame();
    await waitReady(frame);
    await waitPhoto(frame);
    const card = await cardState(frame);
    assert.deepEqual([card.headline, card.credit, card.photo], [HEADLINE, "STRINGER/ REUTERS", true]);
    // The frame spoke WordPress's protocol: the fallback blockquote hid, the frame grew to
    // its card's height (within WordPress's 1,000 px), and nothing of the card is cut off.
    await page.waitForFunction(() => {
      const f = document.querySelector("iframe.wp-embedded-content");
      return !f.getAttribute("style") && Number(f.getAttribute("height")) > 300;
    });
    const sizes = await page.evaluate(() => ({
      blockquote: getComputedStyle(document.querySelector("blockquote.wp-embedded-content")).display,
      frame: document.querySelector("iframe.wp-embedded-content").getBoundingClientRect().height,
    }));
    const content = await frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
    assert.equal(sizes.blockquote, "none");
    assert.ok(content <= 1000, `the card fits what WordPress allows: ${content} px`);
    assert.ok(Math.abs(sizes.frame - content) <= 2, `the frame (${sizes.frame} px) holds the whole card (${content} px)`);
    // Subscribe and Enter inside the sandbox, whose posts leave with Origin: null.
    await subscribe(frame, "discovered@example.org");
    const row = await signupOf(data, "discovered@example.org");
    assert.equal(row.status, "pending");
    assert.ok(row.page.startsWith(`${wp.url}/`), `the page holding the frame, as its referrer policy tells: ${row.page}`);
    await screenshot(page, "discovery");
    assert.deepEqual(problems, []);
    // The story's link opens in the page, not inside the frame: WordPress follows the
    // frame's link message to the frame's own host, which sends the reader on.
    const [navigation] = await Promise.all([
      page.waitForRequest((r) => r.isNavigationRequest() && r.frame() === page.mainFrame() && r.url().endsWith("/embed/myanmar-diplomat/story")),
      frame.locator("article-embed [part=link]").click(),
    ]);
    assert.equal((await navigation.response())?.headers().location, "https://news.example/international/myanmar-diplomat-tlv-resigns");
    await page.close();
  });

  await t.test("an Administrator pastes the snippet: the card fits the theme's column; an Author's paste is reduced to its link", async () => {
    const snippet = `<article-embed src="${server.url}/articles/myanmar-diplomat.json" signup-endpoint="${server.url}/api/subscribe">
  <a href="https://news.example/international/myanmar-diplomat-tlv-resigns">${HEADLINE}</a>
</article-embed>
<script type="module" src="${server.url}/dist/article-embed.js"></script>`;
    const html = `${paragraph("A paragraph of the post, as wide as the column.")}\n\n<!-- wp:html -->\n${snippet}\n<!-- /wp:html -->`;
    const post = await wp.publish("admin", "Pasted snippet", html);
    const { page, problems } = await open(post.url);
    await waitReady(page);
    const widths = await page.evaluate(() => ({
      card: document.querySelector("article-embed").getBoundingClientRect().width,
      column: [...document.querySelectorAll("p")].find((p) => p.textContent.startsWith("A paragraph of the post")).getBoundingClientRect().width,
    }));
    assert.ok(widths.column < 700, `the theme's text column: ${widths.column} px`);
    assert.ok(Math.abs(widths.card - widths.column) <= 1, `the card (${widths.card} px) is as wide as the column (${widths.column} px)`);
    await waitPhoto(page);
    const card = await cardState(page);
    assert.deepEqual([card.headline, card.credit, card.photo], [HEADLINE, "STRINGER/ REUTERS", true]);
    await subscribe(page, "snippet@example.org");
    assert.equal((await signupOf(data, "snippet@example.org")).page, post.url);
    await screenshot(page, "administrator-snippet");
    assert.deepEqual(problems, []);
    await page.close();

    const stripped = await wp.publish("author", "Snippet by an Author", html);
    assert.doesNotMatch(stripped.saved, /<article-embed|<script/, "WordPress strips the element and the script for an Author");
    const { page: reduced } = await open(stripped.url);
    // (WordPress curls the apostrophe.)
    const link = await reduced.evaluate(() => [...document.querySelectorAll(".wp-block-post-content a")].map((a) => a.textContent.replace("\u2019", "'")));
    assert.deepEqual(link, [HEADLINE], "what is left is the story's link");
    await reduced.close();
  });

  await t.test("the plugin installs from its zip and takes the server's address", async () => {
    const installed = await installPlugin(wp, ZIP, "article-embed/article-embed.php");
    assert.deepEqual([installed.installed, installed.activated], [true, true], JSON.stringify(installed.messages));
    await php(wp, `require '/usr/share/wordpress/wp-load.php'; update_option( 'article_embed_settings', array( 'server' => '${server.url}', 'sites' => '' ) );`);
  });

  /** A post by the Author, read with script: the server's card in the page, taken over. */
  const withPlugin = async (name, content, email) => {
    const post = await wp.publish("author", name, content);
    const { page, problems } = await open(post.url);
    await page.evaluate(() => {
      window.__serverHeadline = document.querySelector("article-embed")?.shadowRoot?.querySelector("[part=headline]");
    });
    const scripts = await page.evaluate(() => [...document.querySelectorAll("script[src*='/dist/article-embed.js']")].map((s) => s.type));
    assert.deepEqual(scripts, ["module"], "one module script for the page");
    await waitReady(page);
    await waitPhoto(page);
    const card = await cardState(page);
    assert.deepEqual([card.headline, card.credit, card.photo], [HEADLINE, "STRINGER/ REUTERS", true]);
    assert.equal(await page.evaluate(() => window.__serverHeadline?.isConnected === true), true, "the server's card, taken over");
    await subscribe(page, email);
    const row = await signupOf(data, email);
    assert.equal(row.page, post.url, "the post's own URL, ?p= included");
    await screenshot(page, name);
    assert.deepEqual(problems, []);
    await page.close();
    return post;
  };

  await t.test("with the plugin, an Author pastes the story's URL: the card in the post, hydrated, a signup naming the post", async () => {
    await withPlugin("pasted-url", embedBlock(story), "pasted@example.org");
  });

  /** The post read without script: the server's card shown, and its plain form posting. */
  const withoutScript = async (post, email) => {
    const { page } = await open(post.url, noScript);
    const card = await cardState(page);
    assert.deepEqual([card.state, card.headline, card.credit], [null, HEADLINE, "STRINGER/ REUTERS"], "shown with no script");
    await page.locator("article-embed [part~=email]").fill(email);
    await Promise.all([page.waitForNavigation(), page.locator("article-embed [part~=submit]").click()]);
    assert.equal((await signupOf(data, email)).status, "pending");
    await page.close();
  };

  await t.test("the Article card block, with and without script; its editor preview", async () => {
    const block = `<!-- wp:article-embed/card {"url":"${story}","layout":"compact"} /-->`;
    const post = await withPlugin("block", block, "block@example.org");
    await withoutScript(post, "block-no-script@example.org");
    const { page } = await open(post.url, noScript);
    assert.equal(await page.evaluate(() => document.querySelector("article-embed").shadowRoot.querySelector("[part=card]").classList.contains("layout-compact")), true);
    await page.close();
    // What the block editor's ServerSideRender asks for, as the Author.
    const preview = await wp.rest("author", "/wp/v2/block-renderer/article-embed/card", { query: `context=edit&attributes[url]=${encodeURIComponent(story)}` });
    assert.match(preview.rendered, /<article-embed [^>]*signup-endpoint=[^>]*>\s*<template shadowrootmode="open">/);
  });

  await t.test("the shortcode, with and without script", async () => {
    const post = await withPlugin("shortcode", `<!-- wp:shortcode -->\n[article_embed url="${story}" theme="dark"]\n<!-- /wp:shortcode -->`, "shortcode@example.org");
    await withoutScript(post, "shortcode-no-script@example.org");
  });
});
