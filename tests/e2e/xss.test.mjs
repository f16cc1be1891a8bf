// End-to-end: known XSS vectors in every field of the article data, rendered by the built
// card in Chromium. Nothing runs, nothing becomes an element or an event handler, no link
// or source leads anywhere but http(s).
import assert from "node:assert/strict";
import { test } from "node:test";
import { openPage, setUp, waitForState } from "./helpers.mjs";

const VECTORS = [
  "<script>window.__xss = 1</script>",
  "<img src=x onerror=\"window.__xss = 2\">",
  "<svg onload=\"window.__xss = 3\">",
  "\"><script>window.__xss = 4</script>",
  "' onmouseover='window.__xss = 5",
  "javascript:window.__xss = 6",
  "JaVaScRiPt:window.__xss = 7",
  "java\tscript:window.__xss = 8",
  "data:text/html,<script>window.__xss = 9</script>",
  "&lt;script&gt;window.__xss = 10&lt;/script&gt;",
  "<iframe src=\"javascript:window.__xss = 11\"></iframe>",
  "<template shadowrootmode=open><script>window.__xss = 12</script></template>",
];

test("XSS vectors in every field, rendered in Chromium", async (t) => {
  const { server, context } = await setUp(t);
  const { page, errors } = await openPage(context, `${server.url}/tests/e2e/pages/plain.html`);
  await waitForState(page, "#card", "ready");
  const result = await page.evaluate(async (vectors) => {
    const cards = [];
    for (const v of vectors) {
      const data = {
        "@type": "NewsArticle", headline: `H ${v}`, alternativeHeadline: v, url: v, dateline: v,
        author: [v, { "@type": "Person", name: v, url: v }], contributor: { "@type": "Person", name: v, url: v },
        image: { "@type": "ImageObject", url: v, caption: v, creditText: v }, articleBody: v,
        publisher: { name: v, logo: v },
      };
      const el = document.createElement("article-embed");
      el.setAttribute("signup-endpoint", "/api/subscribe");
      el.setAttribute("newsletter", v);
      const script = document.createElement("script");
      script.type = "application/ld+json";
      script.textContent = JSON.stringify(data);
      el.append(script);
      document.body.append(el);
      await new Promise((resolve) => el.addEventListener("article-embed:ready", resolve, { once: true }));
      const root = el.shadowRoot;
      cards.push({
        injected: root.querySelectorAll("script, svg:not([aria-hidden]), iframe, template, img:not([part]):not(.logo)").length,
        handlers: [...root.querySelectorAll("*")].flatMap((n) => [...n.attributes].map((a) => a.name)).filter((a) => a.startsWith("on")),
        links: [...root.querySelectorAll("[href], [src], [action]")].map((n) => n.getAttribute("href") ?? n.getAttribute("src") ?? n.getAttribute("action")),
        headline: root.querySelector("[part=headline]").textContent,
      });
    }
    // A vector that became an element would run on its image's error or load: wait until
    // every image the cards hold has settled, and the frames after it.
    // (The card's own photos load lazily, off screen: they are not waited for.)
    const images = () =>
      [...document.querySelectorAll("article-embed")].flatMap((el) => [...el.shadowRoot.querySelectorAll("img")]).filter((img) => img.loading !== "lazy");
    for (let i = 0; i < 100 && !images().every((img) => img.complete); i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return { cards, xss: window.__xss ?? null };
  }, VECTORS);
  assert.equal(result.xss, null, "no vector ran");
  result.cards.forEach((card, i) => {
    assert.equal(card.injected, 0, VECTORS[i]);
    assert.deepEqual(card.handlers, [], VECTORS[i]);
    for (const link of card.links) assert.match(link, /^https?:\/\//, `${VECTORS[i]} → ${link}`);
    // Shown as text, the character references content systems leave decoded once (SPEC 3).
    const shown = `H ${VECTORS[i]}`.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replace(/\s+/g, " ").trim();
    assert.equal(card.headline, shown, "shown as text");
  });
  assert.deepEqual(errors, []);
  await page.close();
});
