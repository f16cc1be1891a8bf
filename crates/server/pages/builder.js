// The snippet builder (builder.html): the article from a URL or pasted JSON-LD, options,
// the snippet from POST /api/snippet, and a live card. A file of its own so that the page's
// Content-Security-Policy needs no 'unsafe-inline' for scripts.
const form = document.querySelector("#builder");
const problems = document.querySelector("#problems");
const output = document.querySelector("#output");
const preview = document.querySelector("#preview");
const endpoint = form.elements.endpoint;
endpoint.value ||= new URL("/api/subscribe", location.href).href;
let result = { snippet: "", iframe: null };
let flavour = "snippet";

function show() {
  output.value = (flavour === "iframe" ? result.iframe : result.snippet) ??
    "The iframe flavour is for articles this server hosts (a URL under /articles/).";
}

async function build() {
  problems.replaceChildren();
  const fromUrl = form.elements.source.value === "url";
  let json = form.elements.json.value;
  let src;
  try {
    if (fromUrl) {
      // JSON-LD on this server, or an article page of a site it reads (serve --source):
      // then the server reads the page, and the card's src is that reading.
      const url = new URL(form.elements.url.value, location.href);
      src = url.origin === location.origin ? url.href : new URL(`/articles/from?url=${encodeURIComponent(url.href)}`, location.href).href;
      const response = await fetch(src);
      if (!response.ok) throw new Error(`could not load ${url.href}: HTTP ${response.status}${url.href === src ? "" : `: ${await response.text()}`}`);
      json = await response.text();
      form.elements.json.value = json;
    }
  } catch (error) {
    problems.append(Object.assign(document.createElement("li"), { textContent: error.message }));
    return;
  }
  const options = {};
  for (const name of ["theme", "layout", "newsletter", "lang"]) {
    const value = form.elements[name].value.trim();
    if (value) options[name] = value;
  }
  if (endpoint.value.trim()) options.signupEndpoint = endpoint.value.trim();
  const response = await fetch("/api/snippet", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ json, src, options, script: form.elements.script.value }),
  });
  const body = await response.json();
  if (!response.ok) {
    for (const problem of body.problems ?? [body.message ?? "error"]) {
      problems.append(Object.assign(document.createElement("li"), { textContent: problem }));
    }
    return;
  }
  result = body;
  show();
  // The live card: the same element and options, rendered by the widget itself.
  const card = document.createElement("article-embed");
  if (src) card.setAttribute("src", src);
  else {
    const data = document.createElement("script");
    data.type = "application/ld+json";
    data.textContent = json;
    card.append(data);
  }
  const attributes = { theme: "theme", layout: "layout", newsletter: "newsletter", lang: "lang", signupEndpoint: "signup-endpoint" };
  for (const [option, attribute] of Object.entries(attributes)) if (options[option]) card.setAttribute(attribute, options[option]);
  preview.replaceChildren(card);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  build();
});
for (const tab of document.querySelectorAll("[role=tab]")) {
  tab.addEventListener("click", () => {
    flavour = tab.dataset.flavour;
    for (const t of document.querySelectorAll("[role=tab]")) t.setAttribute("aria-selected", String(t === tab));
    show();
  });
}
document.querySelector("#copy").addEventListener("click", async () => {
  await navigator.clipboard.writeText(output.value);
  document.querySelector("#copied").textContent = "Copied.";
});
build();
