// End-to-end: article pages in the encodings news archives still use, read by `import` and
// by `/articles/from` exactly as Chromium shows them. Each fixture (crates/server/tests/
// fixtures/charsets/, real bytes) is served over HTTP, opened in Chromium, and the text the
// browser shows is what the written JSON-LD must hold; the text is also checked against the
// Unicode the page was written from, so that two readers agreeing on mojibake would fail.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { BIN, freePort, launchBrowser, REPO, serve } from "./helpers.mjs";

const FIXTURES = join(REPO, "crates/server/tests/fixtures/charsets");
const HEBREW = { headline: "דיפלומט בשגרירות מיאנמר התפטר", description: "הוא אמר שאינו יכול לשרת את החונטה", author: "דנה ג'יבלי" };
const FRENCH = { headline: "L’œuvre de Zoë : le marché rouvre à l’aube", description: "Le maître d’œuvre s’en félicite, cœur léger", author: "Françoise Lœb" };
// Each page, the charset its HTTP header gives (if any), and the text it was written in.
const PAGES = {
  "he-windows-1255.html": { expected: { ...HEBREW, caption: "הלוויה ביאנגון, פברואר", credit: "צילום: רויטרס" } },
  "he-iso-8859-8.html": { expected: HEBREW },
  "ar-windows-1256.html": {
    header: "windows-1256",
    expected: { headline: "استقالة دبلوماسي في سفارة ميانمار", description: "قال إنه لا يستطيع خدمة المجلس العسكري", author: "سارة أحمد" },
  },
  "fr-windows-1252.html": { expected: FRENCH },
  "ja-shift_jis.html": { expected: { headline: "東京の朝市、三年ぶりに再開へ", description: "地元の人々は喜びの声を上げた", author: "山田太郎" } },
  "utf8-bom-wrong-meta.html": { expected: { headline: "Café naïve — l’été à Zürich", description: "Smørrebrød, crème brûlée et œufs", author: "José Núñez" } },
  "unknown-charset.html": { expected: FRENCH },
};

function startPages() {
  const server = createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url, "http://x").pathname.slice(1));
    const file = join(FIXTURES, name);
    if (!name || name.includes("/") || !existsSync(file)) return res.writeHead(404).end();
    const charset = PAGES[name]?.header;
    res.writeHead(200, { "Content-Type": charset ? `text/html; charset=${charset}` : "text/html" });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok({ url: `http://127.0.0.1:${server.address().port}`, server })));
}

/** What Chromium shows of the page: the fields the card would show. */
async function shown(page, url) {
  await page.goto(url);
  return page.evaluate(() => {
    const text = (id) => document.getElementById(id)?.textContent ?? null;
    const ld = document.querySelector('script[type="application/ld+json"]');
    const image = ld ? JSON.parse(ld.textContent).image : null;
    return {
      headline: text("headline"),
      description: text("description"),
      author: text("author"),
      ...(image ? { caption: image.caption, credit: image.creditText } : {}),
      charset: document.characterSet,
    };
  });
}

/** The same fields from written JSON-LD. */
function fields(json) {
  return {
    headline: json.headline,
    description: json.description,
    author: json.author?.[0]?.name,
    ...(json.image?.caption ? { caption: json.image.caption, credit: json.image.creditText } : {}),
  };
}

/** `article-embed import` (run beside this process, whose server it reads). */
async function importPages(pages, ...flags) {
  const out = mkdtempSync(join(tmpdir(), "article-embed-charsets-"));
  const child = spawn(BIN, ["import", ...pages, "--articles", out, ...flags]);
  let text = "";
  child.stdout.on("data", (d) => (text += d));
  child.stderr.on("data", (d) => (text += d));
  const code = await new Promise((ok) => child.on("close", ok));
  const written = readdirSync(out).map((f) => JSON.parse(readFileSync(join(out, f), "utf8")));
  rmSync(out, { recursive: true, force: true });
  return { code, out: text, written };
}

test("pages in every charset read as a browser reads them", async (t) => {
  const pages = await startPages();
  const browser = await launchBrowser(t);
  const context = await browser.newContext();
  const tab = await context.newPage();
  const dir = mkdtempSync(join(tmpdir(), "article-embed-charsets-serve-"));
  const server = await serve(dir, await freePort(), ["--source", pages.url]);
  t.after(async () => {
    await server.stop();
    pages.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [name, { header, expected }] of Object.entries(PAGES)) {
    await t.test(name, async () => {
      const browserShows = await shown(tab, `${pages.url}/${name}`);
      const { charset, ...text } = browserShows;
      assert.deepEqual(text, expected, `Chromium shows the text the page was written in (as ${charset})`);

      const fetched = await importPages([`${pages.url}/${name}`]);
      assert.equal(fetched.code, 0, fetched.out);
      assert.deepEqual(fields(fetched.written[0]), text, "import of the URL");

      // A saved page has no header: the same answer wherever its bytes declare enough.
      if (!header) {
        const saved = await importPages([join(FIXTURES, name)]);
        assert.equal(saved.code, 0, saved.out);
        assert.deepEqual(fields(saved.written[0]), text, "import of the saved file");
      }

      const from = await fetch(`${server.url}/articles/from?url=${encodeURIComponent(`${pages.url}/${name}`)}`);
      assert.equal(from.status, 200, await from.clone().text());
      assert.deepEqual(fields(await from.json()), text, "/articles/from");
    });
  }

  await t.test("a page its declared encoding cannot decode is refused, with the field", async () => {
    const name = "mislabelled-utf-8.html";
    const { charset, headline } = await shown(tab, `${pages.url}/${name}`);
    assert.equal(charset, "UTF-8");
    assert.match(headline, /\uFFFD/, "Chromium shows replacement characters too");

    const refused = await importPages([join(FIXTURES, name)]);
    assert.equal(refused.code, 1, refused.out);
    assert.deepEqual(refused.written, [], "nothing written");
    for (const path of ["headline", "description", "author[0].name", "image.caption", "image.creditText"]) {
      assert.match(refused.out, new RegExp(`${path.replace(/[[\].]/g, "\\$&")}: holds bytes the page's encoding, UTF-8 \\(from its <meta> charset\\)`), refused.out);
    }
    const accepted = await importPages([join(FIXTURES, name)], "--accept-undecoded");
    assert.equal(accepted.code, 0, accepted.out);
    assert.match(accepted.written[0].headline, /\uFFFD/, "written as it is, when told to");

    // A U+FFFD the page itself wrote (valid UTF-8) is text, not a decoding failure.
    const written = join(mkdtempSync(join(tmpdir(), "article-embed-fffd-")), "fffd.html");
    writeFileSync(written, `<!doctype html><meta charset="utf-8"><title>The \uFFFD sign, explained</title><meta property="og:title" content="The \uFFFD sign, explained">`);
    const literal = await importPages([written]);
    assert.equal(literal.code, 0, literal.out);
    assert.equal(literal.written[0].headline, "The \uFFFD sign, explained");

    const from = await fetch(`${server.url}/articles/from?url=${encodeURIComponent(`${pages.url}/${name}`)}`);
    assert.equal(from.status, 422);
    assert.match(await from.text(), /headline: holds bytes the page's encoding, UTF-8/);
  });
});
