// What every card on the page shares, whether it comes from an <article-embed> element or
// from mount(): one WebAssembly instance, one stylesheet, the events, the options.

let ready;

/**
 * Loads the wasm and its glue (once, on first need: the script that defines the element
 * stays small, and a page whose cards are all server-rendered and off screen loads none
 * of it) and resolves to `{ Card, parseArticle, fingerprint, sheet }`; the sheet is shared
 * by every card. A failed load is tried again the next time a card needs it (one lost
 * request must not disable every card for the life of the page), except when the page's
 * Content-Security-Policy forbids WebAssembly, which no retry changes.
 */
export function loadWasm() {
  ready ??= import("../pkg/article-embed.js")
    .then(async (glue) => {
      try {
        await glue.default(); // the glue finds the wasm beside itself
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
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(glue.stylesheet());
      return { Card: glue.Card, parseArticle: glue.parseArticle, fingerprint: glue.fingerprint, sheet };
    })
    .catch((error) => {
      if (!error?.final) ready = undefined;
      throw error;
    });
  return ready;
}

/** Adds the card's sheet to a shadow root, once. */
export function adoptSheet(root, sheet) {
  if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}

/** Dispatches `article-embed:<type>` so that it leaves the shadow root and bubbles. */
export function emit(target, type, detail) {
  target.dispatchEvent(new CustomEvent(`article-embed:${type}`, { detail, bubbles: true, composed: true }));
}

/**
 * The options as the wasm takes them, with the host page's URL. theme="auto" follows the
 * host's color-scheme when it names one scheme; with none (or both) the card follows the
 * reader's preference (a media query in the CSS).
 */
export function cardOptions(host, options) {
  // The page's origin and path only: its query and fragment often hold subscriber ids or
  // addresses, which have no business in the publisher's signup records.
  const out = { ...options, page: location.href.split(/[?#]/)[0] };
  if (String(out.theme ?? "auto").trim().toLowerCase() === "auto") {
    const scheme = getComputedStyle(host).colorScheme.split(/\s+/).filter((s) => s !== "only");
    if (scheme.length === 1 && (scheme[0] === "dark" || scheme[0] === "light")) out.theme = scheme[0];
  }
  return out;
}
