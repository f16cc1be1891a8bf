// The <article-embed> custom element: attributes in, events out, fallback kept until the
// card is ready. Everything about the article itself (reading, checking, drawing) happens
// in the WebAssembly module; this file only does what wasm-bindgen cannot: subclass
// HTMLElement, fetch the data and manage the shadow root.

import { adoptSheet, cardOptions, emit, loadWasm } from "./runtime.js";

export const TAG = "article-embed";

let hostSheet;
/** Block layout from the start (the card's own sheet comes with the wasm). */
function hostStyles() {
  if (!hostSheet) {
    hostSheet = new CSSStyleSheet();
    hostSheet.replaceSync(":host{display:block}");
  }
  return hostSheet;
}

/** attribute name → option name passed to the wasm (SPEC section 2). */
const OPTIONS = {
  "signup-endpoint": "signupEndpoint",
  newsletter: "newsletter",
  "privacy-url": "privacyUrl",
  consent: "consent",
  theme: "theme",
  layout: "layout",
  lang: "lang",
};

function describe(el) {
  const src = el.getAttribute("src");
  return src ? `<${TAG} src="${src}">` : `<${TAG}>`;
}

export class ArticleEmbedElement extends HTMLElement {
  static observedAttributes = ["src", ...Object.keys(OPTIONS)];

  #mount; // where the card is rendered, inside the shadow root
  #fallback; // <slot> showing the element's own children until the card is ready
  #card = null;
  #article = null;
  #load = 0; // generation of the current load; older loads are ignored when they finish
  #articleLoad = 0; // the load #article came from
  #announced = false;
  #observer = null;
  #active = false; // loading or showing; false once torn down
  #hydrate = false; // the shadow root holds a server-rendered card to take over
  #typed = null; // what the reader typed into a server-rendered form, put back once hydrated

  #wasm = null; // { Card, parseArticle, sheet } once loaded
  #waiting = null; // stops waiting for a server-rendered card to be needed

  connectedCallback() {
    if (!this.#mount) this.#setUp();
    // A card moved within the page keeps what it shows.
    if (this.#active) return;
    if (this.#hydrate) this.#whenNeeded();
    else {
      this.#reserve();
      this.#startLoad();
    }
  }

  /**
   * Holds about the card's height while it loads, so that what follows on the page moves
   * little when it appears. An estimate from the width and layout (a server-rendered card
   * needs none: it is there from the start). Set through the CSSOM, which a strict CSP allows.
   */
  #reserve() {
    const width = this.getBoundingClientRect().width || 640;
    const compact = this.getAttribute("layout") === "compact";
    const form = this.hasAttribute("signup-endpoint");
    const narrow = Math.max(0, 760 - width);
    const height = compact
      ? (width >= 480 ? 300 : 560) + (form ? 270 : 0)
      : Math.round((width * 9) / 16 + 580 + narrow * 1.1 + (form ? 215 + narrow * 0.15 : 0));
    this.style.minBlockSize = `${height}px`;
  }

  /**
   * A server-rendered card is complete without script: its wasm loads only when it comes
   * near the viewport or the reader reaches for it.
   */
  #whenNeeded() {
    this.#active = true;
    const start = () => {
      this.#waiting?.();
      this.#startLoad();
    };
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && start(), {
      rootMargin: "300px",
    });
    observer.observe(this);
    const events = ["focusin", "pointerenter", "touchstart"];
    for (const type of events) this.addEventListener(type, start, { passive: true });
    this.#waiting = () => {
      observer.disconnect();
      for (const type of events) this.removeEventListener(type, start);
      this.#waiting = null;
    };
  }

  disconnectedCallback() {
    // Moving an element fires disconnect then connect: only tear down if it stays out.
    queueMicrotask(() => {
      if (this.isConnected) return;
      this.#waiting?.();
      this.#active = false;
      this.#load++; // what is still loading is dropped
      this.#observer?.disconnect();
      this.#observer = null;
      this.#card?.destroy();
      this.#card?.free();
      this.#card = null;
      if (!this.#fallback.isConnected) this.shadowRoot.append(this.#fallback);
    });
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (!this.#mount || !this.isConnected || oldValue === newValue) return;
    if (name === "src") this.#startLoad();
    else this.#render();
  }

  #setUp() {
    // A card rendered by the server (declarative shadow DOM) is kept and hydrated.
    // (`:scope` matches nothing in a shadow root: look at its children.)
    const rendered = [...(this.shadowRoot?.children ?? [])].find((el) => el.classList.contains("mount"));
    this.#fallback = document.createElement("slot");
    if (rendered?.firstElementChild) {
      this.#mount = rendered;
      this.#hydrate = true;
      return;
    }
    const root = this.shadowRoot ?? this.attachShadow({ mode: "open" });
    root.replaceChildren();
    root.adoptedStyleSheets = [hostStyles()];
    this.#mount = document.createElement("div");
    this.#mount.className = "mount";
    root.append(this.#mount, this.#fallback);
  }

  #setState(state) {
    if (this.getAttribute("state") !== state) this.setAttribute("state", state);
  }

  async #startLoad() {
    this.#active = true;
    const load = ++this.#load;
    this.#announced = false;
    this.#setState("loading");
    try {
      const [wasm, data] = await Promise.all([loadWasm(), this.#readData(load)]);
      if (load !== this.#load || data === undefined) return;
      this.#wasm = wasm;
      adoptSheet(this.shadowRoot, wasm.sheet);
      const article = wasm.parseArticle(data.json, data.base);
      for (const warning of article.warnings) console.warn(`${describe(this)}: ${warning}`);
      this.#article?.free();
      this.#article = article;
      this.#articleLoad = load;
      this.#render();
    } catch (error) {
      if (load === this.#load) this.#fail(error);
    }
  }

  /** The article's JSON and the URL it came from; `undefined` while waiting for children. */
  async #readData(load) {
    const src = this.getAttribute("src");
    if (src) {
      const url = new URL(src, document.baseURI);
      let response;
      try {
        response = await fetch(url, { headers: { Accept: "application/ld+json, application/json" } });
      } catch (error) {
        throw new Error(`could not load ${url.href}: ${error.message}`);
      }
      if (!response.ok) throw new Error(`could not load ${url.href}: HTTP ${response.status}`);
      try {
        return { json: await response.json(), base: response.url || url.href };
      } catch (error) {
        throw new Error(`${url.href} is not valid JSON: ${error.message}`);
      }
    }
    const script = this.querySelector(':scope > script[type="application/ld+json"]');
    if (!script) {
      // Children may still be on their way (the parser, or a framework filling the
      // element after inserting it): wait for them before calling it an error.
      this.#watchChildren(load);
      if (document.readyState === "loading") return undefined;
      throw new Error(`no article data: set src or add a <script type="application/ld+json"> child`);
    }
    this.#watchChildren(load);
    try {
      return { json: JSON.parse(script.textContent), base: document.baseURI };
    } catch (error) {
      throw new Error(`the inline JSON-LD is not valid JSON: ${error.message}`);
    }
  }

  #watchChildren(load) {
    if (this.#observer) return;
    this.#observer = new MutationObserver(() => {
      if (!this.hasAttribute("src")) this.#startLoad();
    });
    this.#observer.observe(this, { childList: true, subtree: true, characterData: true });
    if (document.readyState === "loading") {
      document.addEventListener(
        "DOMContentLoaded",
        () => {
          if (load === this.#load && !this.#article) this.#startLoad();
        },
        { once: true },
      );
    }
  }

  #options() {
    const options = {};
    for (const [attribute, option] of Object.entries(OPTIONS)) {
      const value = this.getAttribute(attribute);
      if (value !== null) options[option] = value;
    }
    return cardOptions(this, options);
  }

  #render() {
    if (!this.#article) return;
    try {
      this.#card ??= new this.#wasm.Card(this.#mount, this, () => this.#rendered());
      let ignored;
      if (this.#hydrate) {
        // Whatever the reader typed before the script arrived must survive hydration.
        const typed = this.#mount.querySelector("[part~=email]")?.value;
        const ticked = this.#mount.querySelector("[part~=consent]")?.checked;
        ignored = this.#card.hydrate(this.#article, this.#options());
        this.#hydrate = false;
        this.#typed = { typed, ticked };
      } else {
        ignored = this.#card.render(this.#article, this.#options());
      }
      for (const message of ignored) console.warn(`${describe(this)}: ${message}`);
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Puts back, through the card's own input handlers, what was typed before hydration. */
  #restore({ typed, ticked }) {
    const email = this.#mount.querySelector("[part~=email]");
    if (typed && email && email.value !== typed) {
      email.value = typed;
      email.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
    }
    const consent = this.#mount.querySelector("[part~=consent]");
    if (ticked && consent && !consent.checked) {
      consent.checked = true;
      consent.dispatchEvent(new Event("change", { bubbles: true, composed: true }));
    }
  }

  /** Called by the wasm each time a render has reached the DOM. */
  #rendered() {
    if (this.#typed) {
      this.#restore(this.#typed);
      this.#typed = null;
    }
    // A re-render of the previous story while a new one loads announces nothing.
    if (this.#announced || this.#articleLoad !== this.#load) return;
    this.#announced = true;
    this.#fallback.remove();
    this.style.minBlockSize = "";
    this.#setState("ready");
    emit(this, "ready", { url: this.#article?.url ?? null });
  }

  #fail(error) {
    const message = error instanceof Error ? error.message : String(error);
    this.#card?.destroy();
    this.#article?.free();
    this.#article = null;
    if (!this.#fallback.isConnected) this.shadowRoot.append(this.#fallback);
    this.style.minBlockSize = "";
    this.#setState("error");
    if (!error?.logged) console.error(`${describe(this)}: ${message}`);
    emit(this, "error", { message });
  }
}

/** Registers <article-embed>; safe to call any number of times, from any copy of the script. */
export function define() {
  if (!customElements.get(TAG)) customElements.define(TAG, ArticleEmbedElement);
}
