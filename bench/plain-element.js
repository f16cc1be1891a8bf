// Benchmark reference only (never shipped): a plain hand-written custom element that draws the
// same card markup from the same JSON-LD with plain DOM calls — the limit for a card
// rendered by script. It reads only what the seed story uses and checks nothing; the
// stylesheet (the card's own, minified as shipped) is put in by bench/run.mjs.

const sheet = new CSSStyleSheet();
sheet.replaceSync(__CARD_CSS__);

const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) node.setAttribute(k, v);
  node.append(...children.filter((c) => c != null));
  return node;
};
const text = (v) => (typeof v === "string" ? v : v?.["@value"] ?? "");
const first = (v) => (Array.isArray(v) ? v[0] : v);
const names = (v) => (Array.isArray(v) ? v : v ? [v] : []).map((p) => (typeof p === "string" ? p : p.name));
const list = (xs) => (xs.length < 2 ? xs.join("") : `${xs.slice(0, -1).join(", ")} and ${xs.at(-1)}`);

// Cards of one story read it once, as the widget asks its server once for one card's markup.
const stories = new Map();
const story = (url) => {
  if (!stories.has(url)) stories.set(url, fetch(url).then((r) => r.json()));
  return stories.get(url);
};

class PlainArticle extends HTMLElement {
  async connectedCallback() {
    const root = this.attachShadow({ mode: "open" });
    root.adoptedStyleSheets = [sheet];
    const src = new URL(this.getAttribute("src"), document.baseURI);
    const a = await story(src.href);
    const image = first(a.image);
    const publisher = a.publisher ?? {};
    const date = new Date(a.datePublished);
    const paragraphs = String(a.articleBody ?? "").split(/\n\s*\n/).slice(0, 2);
    const card = el("article", { part: "card", class: "card layout-full theme-auto", lang: "en", dir: "ltr" },
      el("header", { class: "masthead", part: "publisher" },
        el("img", { class: "logo", src: new URL(publisher.logo?.url ?? "", src).href, alt: publisher.name, width: publisher.logo?.width, height: publisher.logo?.height })),
      el("figure", { part: "photo", class: "photo" },
        el("div", { class: "frame" },
          el("img", { part: "image", src: new URL(image.url, src).href, alt: text(image.caption), width: image.width, height: image.height, loading: "lazy", decoding: "async" })),
        el("figcaption", { part: "caption", class: "caption" },
          el("span", { class: "caption-text" }, text(image.caption)), " ",
          el("span", { class: "credit-label" }, "Photo: "), el("span", { part: "credit", class: "credit" }, text(image.creditText)))),
      el("div", { class: "content" },
        el("p", { class: "dateline" }, text(a.dateline)),
        el("h2", { part: "headline", class: "headline" }, text(a.headline)),
        el("p", { part: "standfirst", class: "standfirst" }, text(a.alternativeHeadline ?? a.description)),
        el("p", { part: "byline", class: "byline" },
          el("span", { class: "authors" }, `By ${list(names(a.author))}`),
          el("time", { part: "date", datetime: a.datePublished },
            date.toLocaleDateString("en", { year: "numeric", month: "long", day: "numeric" }))),
        el("div", { part: "excerpt", class: "excerpt" }, ...paragraphs.map((p) => el("p", {}, p))),
        el("p", { part: "contributors", class: "contributors" }, `${list(names(a.contributor))} contributed to this report.`),
        el("a", { part: "link", class: "more", href: a.url }, "Read the full story")));
    root.append(card);
    this.setAttribute("state", "ready");
  }
}
customElements.define("plain-article", PlainArticle);
