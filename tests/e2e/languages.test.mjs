// End-to-end: the card's own words and layout in other languages — Hebrew right to left,
// Burmese without clipping, Spanish picked by the lang attribute — and how those words
// arrive: the wasm holds English only; the others are one file, pinned by the glue.
import assert from "node:assert/strict";
import { test } from "node:test";
import { openPage, parts, setUp, waitForState } from "./helpers.mjs";

test("languages", async (t) => {
  const { server, context } = await setUp(t);
  const { page, errors } = await openPage(context, `${server.url}/tests/e2e/pages/languages.html`);
  for (const id of ["he", "ar", "my", "es"]) await waitForState(page, `#${id}`, "ready");
  const card = (id) =>
    page.evaluate((id) => {
      const root = document.querySelector(`#${id}`).shadowRoot;
      const article = root.querySelector("[part=card]");
      const headline = root.querySelector("[part=headline]");
      const box = article.getBoundingClientRect();
      // The link is as wide as its text and sits at the start of the line.
      const h = root.querySelector("[part=link]").getBoundingClientRect();
      return {
        lang: article.getAttribute("lang"),
        dir: article.getAttribute("dir"),
        direction: getComputedStyle(headline).direction,
        // Distance of the link from the card's edges, on each side.
        fromRight: Math.round(box.right - h.right),
        fromLeft: Math.round(h.left - box.left),
        clipped: [...root.querySelectorAll("[part=headline], [part=standfirst], [part=caption], .excerpt p")].some(
          (el) => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1,
        ),
        label: root.querySelector("label[for]")?.textContent,
      };
    }, id);

  await t.test("Hebrew: right to left, its own words and date", async () => {
    const he = await card("he");
    assert.deepEqual([he.lang, he.dir, he.direction], ["he", "rtl", "rtl"]);
    assert.ok(he.fromRight < he.fromLeft, `starts at the right: ${JSON.stringify(he)}`);
    const p = await parts(page, "#he");
    assert.match(p.link, /^לכתבה המלאה/);
    assert.equal(p.submit, "הרשמה");
    assert.equal(he.label, "כתובת דוא״ל");
    assert.match(p.date, /במרץ 2021/);
    assert.match(p.contributors, /עידן זונשיין ורויטרס/);
  });

  await t.test("Arabic: right to left, its own words", async () => {
    const ar = await card("ar");
    assert.deepEqual([ar.lang, ar.dir, ar.direction], ["ar", "rtl", "rtl"]);
    assert.ok(ar.fromRight < ar.fromLeft, `starts at the right: ${JSON.stringify(ar)}`);
    assert.equal(ar.clipped, false);
    const p = await parts(page, "#ar");
    assert.match(p.link, /^اقرأ القصة كاملة/);
    assert.equal(p.submit, "اشترك");
    assert.equal(ar.label, "البريد الإلكتروني");
  });

  await t.test("Burmese: its words, nothing clipped", async () => {
    const my = await card("my");
    assert.deepEqual([my.lang, my.dir], ["my", "ltr"]);
    assert.equal(my.clipped, false);
    const p = await parts(page, "#my");
    assert.match(p.link, /^သတင်းအပြည့်အစုံ ဖတ်ရန်/);
    assert.equal(p.submit, "စာရင်းသွင်းရန်");
  });

  await t.test("Spanish from the lang attribute, over the article's English", async () => {
    const es = await card("es");
    assert.equal(es.lang, "en", "the card says the story's language");
    const wordsLang = await page.evaluate(() => {
      const root = document.querySelector("#es").shadowRoot;
      const lang = (part) => root.querySelector(`[part~=${part}]`).closest("[lang]").getAttribute("lang");
      return { signup: lang("signup"), link: lang("link"), byline: lang("byline"), headline: lang("headline") };
    });
    assert.deepEqual(wordsLang, { signup: "es", link: "es", byline: "es", headline: "en" }, "each part holding the widget's words says theirs");
    const p = await parts(page, "#es");
    assert.match(p.link, /^Leer la noticia completa/);
    assert.equal(p.date, "6 de marzo de 2021");
    assert.match(p.byline, /^Por Jerusalem Post Staff/);
    assert.equal(p.contributors, "Con la colaboración de Idan Zonshine y Reuters.");
    assert.deepEqual(errors, []);
  });

  const wordsFiles = (page) =>
    page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .map((e) => new URL(e.name).pathname)
        .filter((path) => /^\/dist\/article-embed-[0-9a-f]{16}\.json$/.test(path)),
    );

  await t.test("the other languages' words are one file, fetched once for four cards; an English page fetches none", async () => {
    assert.equal((await wordsFiles(page)).length, 1, "one request for the four cards");
    const english = await openPage(context, `${server.url}/tests/e2e/pages/plain.html`);
    await waitForState(english.page, "#card", "ready");
    assert.equal((await parts(english.page, "#card")).submit, "Subscribe");
    assert.deepEqual(await wordsFiles(english.page), [], "English is in the wasm");
    await english.page.close();
  });

  await t.test("a words file that is not the one built is refused: the cards show English words and say why", async () => {
    // As a compromised CDN would serve it: one phrase changed.
    await context.route(/\/dist\/article-embed-[0-9a-f]{16}\.json$/, async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace("Suscribirme", "Suscribirse");
      assert.ok(body.includes("Suscribirse"), "the phrase was there to change");
      await route.fulfill({ response, body });
    });
    const tampered = await openPage(context, `${server.url}/tests/e2e/pages/languages.html`);
    for (const id of ["he", "es"]) await waitForState(tampered.page, `#${id}`, "ready");
    assert.equal((await parts(tampered.page, "#es")).submit, "Subscribe", "not the altered Spanish");
    assert.match((await parts(tampered.page, "#he")).link, /^Read the full story/);
    const warning = tampered.console.find((m) => m.type === "warning" && /article-embed-[0-9a-f]{16}\.json did not load/.test(m.text));
    assert.ok(warning, `a warning names the file: ${JSON.stringify(tampered.console)}`);
    assert.deepEqual(tampered.errors, []);
    await tampered.page.close();
    await context.unroute(/\/dist\/article-embed-[0-9a-f]{16}\.json$/);
  });
});
