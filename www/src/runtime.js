// What every card on the page shares, whether it comes from an <article-embed> element or
// from mount(): one WebAssembly instance, one stylesheet, the events, the options.

let ready;

/**
 * Loads the wasm and its glue (once, on first need: the script that defines the element
 * stays small, and a page whose cards are all server-rendered and off screen loads none
 * of it) and resolves to `{ Card, parseArticle, fingerprint, words, sheet }`; the sheet is shared
 * by every card. A failed load is tried again the next time a card needs it (one lost
 * request must not disable every card for the life of the page), except when the page's
 * Content-Security-Policy forbids WebAssembly, which no retry changes.
 */
export function loadWasm() {
  if (typeof WebAssembly !== "object") {
    // Switched off (some locked-down browsers, "JIT-less" modes): say so once; the cards
    // keep their fallback content, server-rendered ones their plain form.
    if (!ready) {
      const error = new Error("article-embed: this browser runs no WebAssembly; the cards keep their fallback content.");
      console.error(error.message);
      ready = Promise.reject(Object.assign(error, { logged: true, final: true }));
    }
    return ready;
  }
  if (!ready) {
    // The wasm's fetch starts now, beside the glue's import, rather than after the glue has
    // loaded and run (a waterfall of one round trip and a parse).
    const wasm = files ? fetch(files.wasm.url, { integrity: files.wasm.integrity }) : undefined;
    wasm?.catch(() => {}); // its failure is reported by the glue's init, below
    ready = checked(files?.glue).then(() => import("./wasm.js")).then(async (glue) => {
      try {
        // In the npm package the glue finds the wasm beside itself (bundlers follow it).
        await glue.default(wasm && { module_or_path: wasm }, scriptOrigin());
      } catch (error) {
        // Say once, for the whole page, which directive is missing; every card keeps its
        // fallback (or its server-rendered content).
        if (/Content.Security.Policy|unsafe-eval/i.test(String(error?.message))) {
          const message =
            "article-embed: WebAssembly is blocked by this page's Content-Security-Policy; add 'wasm-unsafe-eval' to script-src. The cards keep their fallback content.";
          console.error(message);
          throw Object.assign(new Error(message), { logged: true, final: true });
        }
        throw error;
      }
      return { Card: glue.Card, parseArticle: glue.parseArticle, fingerprint: glue.fingerprint, words: glue.wordsFor, sheet: makeSheet(glue.stylesheet()) };
    });
    ready.catch((error) => {
      if (!error?.final) ready = undefined;
    });
  }
  return ready;
}

let files = null;

/** The origin the glue and wasm come from (the publisher's server), when the script said. */
export function scriptOrigin() {
  try {
    return files ? new URL(files.glue.url).origin : null;
  } catch {
    return null;
  }
}

/**
 * The card's server-rendered markup for `src` and the element's option attributes
 * (docs/publishers.md, "Markup before the wasm"): the data's URL with `.json` at the end of its path
 * made `.card.html`, the attributes as its query. Only for data on the origin the script
 * came from, whose server renders it (`article-embed serve`, or files `prerender` wrote):
 * elsewhere nothing would answer, and asking would only delay the card. An origin that
 * answered a plain 404 (a static host without `prerender`'s files; `serve` marks its own
 * 404s, which concern one story) is not asked again for a day
 * (remembered in the page's storage where there is some, else for the page's life).
 */
export function markupUrl(src, attributes) {
  const origin = scriptOrigin();
  if (!src || !origin) return null;
  let url;
  try {
    url = new URL(src, document.baseURI);
  } catch {
    return null;
  }
  if (url.origin !== origin || answersNone(origin) || !url.pathname.endsWith(".json")) return null;
  url.pathname = `${url.pathname.slice(0, -".json".length)}.card.html`;
  for (const [name, value] of attributes) url.searchParams.append(name, value);
  return url.href;
}

/**
 * The server-rendered card at `url`, as the `<article-embed>` element it is written in
 * (outside the page: its template is inert), or `null`. Parsed by the browser as a
 * document of its own (XHR's `document` response), which Trusted Types do not guard as
 * they guard `innerHTML`: the card shows on pages that enforce them.
 */
export function fetchMarkup(url, timeout) {
  // Cards of one story with the same attributes ask once (each takes its own copy).
  let asked = markups.get(url);
  if (!asked) {
    asked = requestMarkup(url, timeout);
    markups.set(url, asked);
    asked.then((element) => element || markups.delete(url));
  }
  return asked;
}

const markups = new Map();
const noMarkup = new Set();
const NO_MARKUP = "article-embed:no-markup:";
const DAY_MS = 86_400_000;

function answersNone(origin) {
  if (noMarkup.has(origin)) return true;
  try {
    return Number(localStorage.getItem(NO_MARKUP + origin)) > Date.now();
  } catch {
    return false; // storage blocked: ask
  }
}

function rememberNone(origin) {
  noMarkup.add(origin);
  try {
    localStorage.setItem(NO_MARKUP + origin, String(Date.now() + DAY_MS));
  } catch {
    // Storage blocked or full: remembered for this page only.
  }
}

function requestMarkup(url, timeout) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("GET", url);
    xhr.responseType = "document";
    xhr.timeout = timeout;
    xhr.onload = () => {
      const element = (xhr.status === 200 && xhr.response?.querySelector("article-embed")) || null;
      // A 404 from a server that renders cards (it says so) is about this story only.
      if (xhr.status === 404 && !xhr.getResponseHeader("x-article-embed")) rememberNone(new URL(url).origin);
      resolve(element);
    };
    xhr.onerror = xhr.ontimeout = xhr.onabort = () => resolve(null);
    xhr.send();
  });
}

/**
 * Where the glue and the wasm are, with their Subresource Integrity hashes: given by the
 * one-file script (dist/article-embed.js, www/src/snippet.js), whose chunks have
 * content-hashed names beside it. A page that pins that script with `integrity` (from a
 * CDN) so pins everything it runs. In the npm package nobody calls this: the glue finds the
 * wasm beside itself, and bundlers follow that reference (and would mistake any other for
 * a module to resolve).
 */
export function locate(located) {
  files = located;
}

/**
 * Resolves once the module at `file.url` has been fetched and checked against its hash (an
 * `import()` cannot carry one itself): by `fetch` with `integrity` first, which every
 * engine checks and which leaves the checked bytes in the HTTP cache for the import, then,
 * where the engine checks it (Chromium, Firefox; WebKit does not), by a
 * `<link rel="modulepreload" integrity>`, which puts that very module in the page's module
 * map for the import to take.
 */
async function checked(file) {
  if (!file) return;
  const failed = () => new Error(`article-embed: ${file.url} did not load, or is not the file this script was built with`);
  if (!(await fetch(file.url, { integrity: file.integrity }).catch(() => null))?.ok) throw failed();
  const link = document.createElement("link");
  if (!link.relList.supports?.("modulepreload")) return;
  await new Promise((resolve, reject) => {
    Object.assign(link, { rel: "modulepreload", href: file.url, integrity: file.integrity, onload: resolve, onerror: () => reject(failed()) });
    document.head.append(link);
  });
}

let turns;
/**
 * Resolves in a task of its own, in the order asked: cards whose data arrive together are
 * drawn one per task, so that the host page's input and frames get their turn between
 * cards rather than waiting for all of them. (A message channel, not setTimeout, whose
 * nesting clamp would add 4 ms a card.)
 */
export function nextTurn() {
  if (typeof MessageChannel !== "function") return new Promise((resolve) => setTimeout(resolve, 0));
  if (!turns) {
    const channel = new MessageChannel();
    const waiting = [];
    channel.port1.onmessage = () => waiting.shift()?.();
    turns = (resolve) => {
      waiting.push(resolve);
      channel.port2.postMessage(null);
    };
  }
  return new Promise(turns);
}

/**
 * Runs `callback` when the browser is idle (or after `timeout` ms at the latest): for work
 * the reader is not waiting for. Browsers without requestIdleCallback (Safari) wait a moment.
 */
export function whenIdle(callback, timeout = 2000) {
  if (typeof requestIdleCallback === "function") {
    const id = requestIdleCallback(callback, { timeout });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(callback, 300);
  return () => clearTimeout(id);
}

/** Browsers before constructable stylesheets (Safari before 16.4) get <style> elements. */
const constructable = typeof CSSStyleSheet === "function" && typeof ShadowRoot === "function" && "adoptedStyleSheets" in ShadowRoot.prototype;

/**
 * The card's styles: one constructable sheet shared by every card (which a strict
 * `style-src` allows), or, where the browser has none, the CSS text for a <style> element.
 */
export function makeSheet(css) {
  if (!constructable) return { css };
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  return sheet;
}

/** Takes a sheet `adoptSheet` added out of a shadow root. */
export function dropSheet(root, sheet) {
  if (!constructable) {
    for (const el of root.children) if (el.localName === "style" && el.textContent === sheet.css) el.remove();
    return;
  }
  root.adoptedStyleSheets = root.adoptedStyleSheets.filter((s) => s !== sheet);
}

/** Adds the card's sheet to a shadow root, once. */
export function adoptSheet(root, sheet) {
  if (!constructable) {
    if (![...root.children].some((el) => el.localName === "style" && el.textContent === sheet.css)) {
      root.prepend(Object.assign(document.createElement("style"), { textContent: sheet.css }));
    }
    return;
  }
  if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}

/** Dispatches `article-embed:<type>` so that it leaves the shadow root and bubbles. */
export function emit(target, type, detail) {
  target.dispatchEvent(new CustomEvent(`article-embed:${type}`, { detail, bubbles: true, composed: true }));
}

/**
 * The options as the wasm takes them, with the host page's URL. For mount()'s `host`,
 * theme="auto" takes the host's scheme as it is now; <article-embed> follows it live
 * instead (its `scheme` attribute and the card's CSS).
 */
export function cardOptions(options, host) {
  // In an /embed/ frame, the page that holds it (www/src/frame.js).
  const out = { ...options, page: pageUrl(document.documentElement.dataset.articleEmbedPage || location.href), base: document.baseURI };
  if (host && String(out.theme ?? "auto").trim().toLowerCase() === "auto") out.theme = hostScheme(host) ?? "auto";
  return out;
}

/**
 * The scheme the host gives `el` (its computed color-scheme) when it names one, for
 * theme="auto"; `null` for none or both, where the reader's preference decides (a media
 * query in the card's CSS).
 */
export function hostScheme(el) {
  const scheme = (getComputedStyle(el).colorScheme ?? "").split(/\s+/).filter((s) => s !== "only");
  return scheme.length === 1 && (scheme[0] === "dark" || scheme[0] === "light") ? scheme[0] : null;
}

/**
 * Calls each of `schemeWatchers` when the host page may have changed its scheme: an
 * attribute of <html> or <body>, where theme toggles put a class, a data attribute or a
 * style. (The reader's preference needs no watching: where the host names no scheme, the
 * card's CSS follows it by itself.) One observer for the page, made for the first card.
 */
export const schemeWatchers = new Set();
let watching = false;
export function watchSchemes() {
  if (watching) return;
  watching = true;
  const update = () => schemeWatchers.forEach((watcher) => watcher());
  const observer = new MutationObserver(update);
  for (const el of [document.documentElement, document.body]) if (el) observer.observe(el, { attributes: true });
}

/**
 * The page's URL as signups record it: origin and path, and of the query only what says
 * which post the page is (WordPress's `?p=123`, `?page_id=`, `?post_type=`); the rest of a
 * query, and the fragment, often hold subscriber ids or addresses, which have no business
 * in the publisher's records.
 */
export function pageUrl(href) {
  const url = new URL(href);
  url.search = new URLSearchParams([...url.searchParams].filter(([name]) => /^(p|page_id|post_type)$/.test(name)));
  url.hash = "";
  return url.href;
}
