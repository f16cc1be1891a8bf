// The npm package as a developer gets it: the packed tarball (from `make dist`) installed
// into a fresh Vite app in a scratch folder, type-checked with tsc, built, served on
// 127.0.0.1 and driven in Debian's Chromium.
import assert from "node:assert/strict";
import { cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { startServer } from "../support/serve.mjs";
import { openPage, setUp } from "../e2e/helpers.mjs";
import { REPO, run, TARBALL, VERSION } from "./common.mjs";

// What a developer would install today; pinned so the test does not drift.
const TOOLS = ["vite@7.3.8", "typescript@5.9.3"];

/** The first js block of the package README's "Install" section, which must work as written. */
function readmeExample() {
  const readme = readFileSync(join(REPO, "www/README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Install"));
  const code = section.match(/```js\n([\s\S]*?)```/)?.[1];
  assert.ok(code, "the package README has no js example under 'Install'");
  return code;
}

test("the packed npm package in a fresh Vite app", async (t) => {
  assert.ok(existsSync(TARBALL), `${TARBALL} is missing: run make dist`);
  const app = mkdtempSync(join(tmpdir(), "article-embed-consumer-"));
  t.after(() => rmSync(app, { recursive: true, force: true }));
  cpSync(join(REPO, "tests/npm/app"), app, { recursive: true });
  cpSync(join(REPO, "articles/myanmar-diplomat.json"), join(app, "public/story.json"));
  cpSync(join(REPO, "articles/myanmar-funeral.svg"), join(app, "public/myanmar-funeral.svg"));
  cpSync(join(REPO, "articles/publisher-logo.svg"), join(app, "public/publisher-logo.svg"));
  cpSync(join(REPO, "articles"), join(app, "public/articles"), { recursive: true });
  writeFileSync(join(app, "src/readme.js"), readmeExample());
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", TARBALL, ...TOOLS], {
    cwd: app,
    timeout: 240_000,
  });
  const npx = (args, options = {}) => run(join(app, "node_modules/.bin", args[0]), args.slice(1), { cwd: app, ...options });

  await t.test("installed from the tarball, with the crate's version", () => {
    const installed = join(app, "node_modules/article-embed");
    assert.equal(lstatSync(installed).isSymbolicLink(), false, "a copy, not a link");
    const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
    assert.equal(manifest.version, VERSION);
    assert.ok(existsSync(join(installed, "pkg/article-embed_bg.wasm")), "the wasm ships in the package");
  });

  await t.test("tsc accepts the app (and its server side) and rejects wrong options", async () => {
    await assert.doesNotReject(npx(["tsc", "-p", "tsconfig.json"]));
    const bad = await npx(["tsc", "-p", "tsconfig.bad.json"]).then(
      () => assert.fail("tsc accepted a misspelt option"),
      (error) => error.stdout,
    );
    assert.match(bad, /bad-options\.ts\(6,\d+\): error TS\d+: .*'signupEndpont'/);
    assert.match(bad, /bad-options\.ts\(7,\d+\): error TS2322: Type '"purple"' is not assignable/);
    assert.match(bad, /bad-options\.ts\(9,\d+\): error TS2322: Type '5' is not assignable/);
    assert.match(bad, /bad-options\.ts\(14,\d+\): error TS\d+: .*'scrpt'/);
    assert.match(bad, /bad-options\.ts\(15,\d+\): error TS\d+: .*'script'/);
  });

  await t.test("vite build copies the wasm and the words of the other languages", async () => {
    await npx(["vite", "build", "--logLevel", "error"]);
    const assets = readdirSync(join(app, "dist/assets"));
    assert.ok(assets.some((f) => f.endsWith(".wasm")), `no wasm among ${assets.join(", ")}`);
    assert.ok(assets.some((f) => /^words.*\.json$/.test(f)), `no words among ${assets.join(", ")}`);
  });

  const server = await startServer({ port: 0, root: join(app, "dist"), quiet: true });
  t.after(() => server.close());
  const { context } = await setUp(t);

  await t.test("mount(), define(), update() and unmount() in Chromium", async () => {
    const { page, errors } = await openPage(context, `${server.url}/`);
    await page.waitForFunction(() => document.body.dataset.mounted || document.body.dataset.error);
    assert.equal(await page.evaluate(() => document.body.dataset.error), undefined);
    const headline = (selector) =>
      page.evaluate(
        (s) => document.querySelector(s)?.shadowRoot?.querySelector("[part=headline]")?.textContent ?? null,
        selector,
      );
    await page.waitForFunction(() => document.querySelector("#mounted .article-embed")?.shadowRoot.querySelector("[part=headline]"));
    assert.equal(await headline("#mounted .article-embed"), "Diplomat at Myanmar Embassy in TLV resigns following Junta's crackdown");
    // The README's example.
    await page.waitForFunction(() => document.querySelector("#story .article-embed")?.shadowRoot.querySelector("[part=headline]"));
    assert.match(await headline("#story .article-embed"), /^Diplomat at Myanmar Embassy/);
    const photo = await page.evaluate(() => document.querySelector("#story .article-embed").shadowRoot.querySelector("[part=image]").src);
    assert.equal(photo, `${server.url}/articles/myanmar-funeral.svg`);
    // The element registered by define().
    await page.waitForFunction(() => document.querySelector("#tag")?.getAttribute("state") === "ready");
    assert.match(await headline("#tag"), /^Diplomat at Myanmar Embassy/);
    assert.equal(
      await page.evaluate(() => document.body.dataset.tagReady),
      "https://news.example/international/myanmar-diplomat-tlv-resigns",
      "typed event listener saw ready",
    );

    // A card in another language: its words come from the package's file, which the
    // bundler copied, before the card is drawn.
    const french = await page.evaluate(async () => {
      const target = document.body.appendChild(document.createElement("div"));
      await window.app.mount(target, window.app.story, { lang: "fr", signupEndpoint: "/api/subscribe" });
      const root = target.querySelector(".article-embed").shadowRoot;
      return { submit: root.querySelector("[part~=submit]").textContent, link: root.querySelector("[part~=link]").textContent };
    });
    assert.equal(french.submit, "S’abonner");
    assert.match(french.link, /^Lire l’article complet/);

    // update() changes the headline.
    await page.evaluate(() => window.app.card.update({ ...window.app.story, headline: "Updated headline" }));
    await page.waitForFunction(
      () => document.querySelector("#mounted .article-embed").shadowRoot.querySelector("[part=headline]").textContent === "Updated headline",
    );

    // Bad data: an Error naming the field, and the card keeps showing.
    const message = await page.evaluate(() => {
      try {
        window.app.card.update({ headline: 7 });
        return null;
      } catch (error) {
        return error.message;
      }
    });
    assert.equal(message, "article-embed: headline: expected text, found a number");
    // A bad optional field is dropped with a warning naming it; the card shows without it.
    const warned = [];
    page.on("console", (m) => m.type() === "warning" && warned.push(m.text()));
    await page.evaluate(() => window.app.card.update({ headline: "Lenient", image: { url: 7 } }));
    await page.waitForFunction(
      () => document.querySelector("#mounted .article-embed").shadowRoot.querySelector("[part=headline]").textContent === "Lenient",
    );
    assert.ok(warned.some((w) => w.includes("image.url: expected text, found a number")), warned.join("\n"));
    const rejected = await page.evaluate(() =>
      window.app.mount(window.app.target, { "@type": "NewsArticle" }).then(() => null, (e) => e.message),
    );
    assert.equal(rejected, "article-embed: headline: missing (required)");

    // unmount() leaves no nodes and no listeners; a second mount in the same spot works.
    const cdp = await context.newCDPSession(page);
    const listeners = async (expression = "document.querySelector('#mounted')") => {
      const { result } = await cdp.send("Runtime.evaluate", { expression });
      const { listeners } = await cdp.send("DOMDebugger.getEventListeners", {
        objectId: result.objectId,
        depth: -1,
        pierce: true,
      });
      return listeners.length;
    };
    const mountedListeners = await listeners();
    const globalListeners = async () => (await listeners("window")) + (await listeners("document"));
    const globalBefore = await globalListeners();
    assert.ok(mountedListeners > 0, "a mounted card listens for input and submit");
    await page.evaluate(() => window.app.card.unmount());
    assert.equal(await page.evaluate(() => document.querySelector("#mounted").childNodes.length), 0);
    assert.equal(await listeners(), 0, "no listeners left after unmount()");
    assert.ok((await globalListeners()) <= globalBefore, "none left on window or document either");
    await page.evaluate(async () => {
      window.app.card = await window.app.mount(window.app.target, window.app.story, { layout: "compact" });
    });
    await page.waitForFunction(() => document.querySelector("#mounted .article-embed")?.shadowRoot.querySelector("[part=headline]"));
    assert.equal(await page.evaluate(() => document.querySelector("#mounted").childNodes.length), 1);
    assert.ok((await listeners()) <= mountedListeners, "listeners do not pile up across mounts");
    assert.ok((await globalListeners()) <= globalBefore, "nor on window or document");
    assert.deepEqual(errors, []);
    await page.close();
  });
});
