// The <article-embed> custom element: attributes in, events out, fallback kept until the
// card is ready. Everything about the article itself (reading, checking, drawing) happens
// in the WebAssembly module; this file only does what wasm-bindgen cannot: subclass
// HTMLElement, fetch the data and manage the shadow root.
//
// It loads anywhere, browsers or not (a framework's server imports it to render the page):
// at load it reads only `globalThis.HTMLElement`, which is absent outside a browser.

import {
  COMPACT_FORM,
  COMPACT_NARROW,
  COMPACT_WIDE,
  COMPACT_WIDE_FROM,
  FULL_BASE,
  FULL_FORM,
  FULL_FORM_NARROW_PER_PX,
  FULL_NARROW_FROM,
  FULL_NARROW_PER_PX,
  FULL_PHOTO,
  OPTIONS,
  PROPERTIES,
} from "./options.js";
import {
  adoptSheet,
  cardOptions,
  hostScheme,
  schemeWatchers,
  watchSchemes,
  dropSheet,
  emit,
  fetchMarkup,
  loadWasm,
  makeSheet,
  markupUrl,
  nextTurn,
  whenIdle,
} from "./runtime.js";

export const TAG = "article-embed";

let hostSheet;
/** Block layout from the start (the card's own sheet comes with the wasm). */
function hostStyles() {
  hostSheet ??= makeSheet(":host{display:block!important}:host([hidden]){display:none!important}");
  return hostSheet;
}


/** The element/text structure below `node`: what the renderer expects to find there. */
function shape(node) {
  let out = "";
  for (const child of node.childNodes) {
    if (child.nodeType === Node.ELEMENT_NODE) out += `<${child.localName}${shape(child)}>`;
    else if (child.nodeType === Node.TEXT_NODE) out += "t";
  }
  return out;
}

function describe(el) {
  const src = el.getAttribute("src");
  return src ? `<${TAG} src="${src}">` : `<${TAG}>`;
}

/** How long a `src` may take to answer before the card gives up with an error. */
export const FETCH_TIMEOUT_MS = 15_000;
/** How long a card waits for its server-rendered markup before taking the wasm path. */
const MARKUP_TIMEOUT_MS = 3_000;

const reserving = []; // cards connected in this task, waiting to be measured

function reserveAll() {
  const cards = reserving.splice(0).filter((el) => el.isConnected && el.getAttribute("state") === "loading");
  const widths = cards.map((el) => el.getBoundingClientRect().width);
  cards.forEach((el, i) => {
    el.style.minBlockSize = `${estimateHeight(el, widths[i])}px`;
  });
}

/**
 * About the card's height at `width`, for its layout and whether it has a form: the sum
 * crates/card's `options::estimated_height` makes, of the numbers both take from the
 * element's declaration (tests hold both to its examples).
 */
export function estimatedHeight(width, layout, form) {
  if (layout === "compact") return (width >= COMPACT_WIDE_FROM ? COMPACT_WIDE : COMPACT_NARROW) + (form ? COMPACT_FORM : 0);
  const narrow = Math.max(0, FULL_NARROW_FROM - width);
  return Math.round(width * FULL_PHOTO + FULL_BASE + narrow * FULL_NARROW_PER_PX + (form ? FULL_FORM + narrow * FULL_FORM_NARROW_PER_PX : 0));
}

const estimateHeight = (el, measured) => estimatedHeight(measured || 640, el.getAttribute("layout"), el.hasAttribute("signup-endpoint"));

/** Outside a browser, a stand-in, so that the class below can be made (and never used). */
const Base = globalThis.HTMLElement ?? class {};

export class ArticleEmbedElement extends Base {
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
  #shape = null; // the shape of the DOM the renderer last left in the mount

  #wasm = null; // { Card, parseArticle, sheet } once loaded
  #waiting = null; // stops waiting for a server-rendered card to be needed
  #serverSheet = null; // the stylesheet that came with markup from the server
  #held = null; // stops holding the server-rendered form's submissions
  #submitted = false; // Subscribe was pressed before the wasm came: sent once it has

  connectedCallback() {
    // A framework may have set properties before the element was defined: they sit on
    // the instance and hide the accessors. Move them through the accessors.
    for (const [, property] of PROPERTIES) {
      if (Object.hasOwn(this, property)) {
        const value = this[property];
        delete this[property];
        this[property] = value;
      }
    }
    if (!this.#mount) this.#setUp();
    // theme="auto" follows the host's scheme as the page changes it, with no re-render:
    // the card's CSS reads the `scheme` attribute (also before the wasm, so that a card
    // drawn from the server's markup shows the host's scheme from the start).
    this.#followScheme();
    schemeWatchers.add(this.#followScheme);
    watchSchemes();
    // A card moved within the page keeps what it shows.
    if (this.#active) return;
    if (this.#hydrate) this.#whenNeeded();
    else {
      this.#reserve();
      if (markupUrl(this.getAttribute("src"), this.#attributeList())) this.#drawFromServer();
      else this.#startLoad();
    }
  }

  /**
   * A `src` card whose server renders cards (docs/publishers.md, "Markup before the wasm"): its markup
   * is shown as it comes, ready without the wasm, which comes when the reader reaches for
   * the card and takes it over as it takes over a server-rendered snippet. Without such
   * markup, or with markup made for other attributes, the card loads as any other.
   */
  async #drawFromServer() {
    this.#active = true;
    const load = ++this.#load;
    this.#announced = false;
    this.#setState("loading");
    const url = markupUrl(this.getAttribute("src"), this.#attributeList());
    // Markup is worth a short wait only: a server slow to answer it gets the wasm path.
    const server = url ? await fetchMarkup(url, MARKUP_TIMEOUT_MS) : null;
    if (load !== this.#load) return;
    try {
      this.#showServer(server);
    } catch {
      this.#startLoad();
    }
  }

  #showServer(server) {
    const same = server && Object.keys(OPTIONS).every((name) => server.getAttribute(name) === this.getAttribute(name));
    const template = same ? server.querySelector(":scope > template[shadowrootmode]") : null;
    const content = template ? document.importNode(template.content, true) : null;
    const mount = content ? [...content.children].find((el) => el.classList.contains("mount")) : null;
    if (!mount?.firstElementChild) {
      this.#startLoad();
      return;
    }
    // Its styles go in as a constructed sheet, which a strict CSP allows (a <style> it
    // would block).
    const style = [...content.children].find((el) => el.localName === "style");
    if (style) {
      if (this.#serverSheet) dropSheet(this.shadowRoot, this.#serverSheet);
      this.#serverSheet = makeSheet(style.textContent);
      adoptSheet(this.shadowRoot, this.#serverSheet);
    }
    this.#mount.replaceWith(mount);
    this.#mount = mount;
    this.#hydrate = true;
    this.#fallback.remove();
    this.style.minBlockSize = "";
    this.#announced = true;
    this.#setState("ready");
    emit(this, "ready", { url: mount.querySelector("[part~=link]")?.getAttribute("href") ?? null });
    this.#whenNeeded();
  }

  /**
   * Holds about the card's height while it loads, so that what follows on the page moves
   * little when it appears. An estimate from the width and layout (a server-rendered card
   * needs none: it is there from the start). Set through the CSSOM, which a strict CSP allows.
   * Cards connected together are measured together, every width read before any height is
   * written: one layout for all of them, not one per card.
   */
  #reserve() {
    if (!reserving.length) queueMicrotask(reserveAll);
    reserving.push(this);
  }

  /**
   * A server-rendered card is complete without script: its wasm loads only when the reader
   * reaches for it, or when it comes near the viewport and the browser is idle (so that
   * fetching, compiling and hydrating never compete with the host page's first paint).
   */
  #whenNeeded() {
    this.#active = true;
    let cancelIdle = null;
    const start = () => {
      this.#waiting?.();
      this.#startLoad();
    };
    const observer = new IntersectionObserver(
      (entries) => {
        const near = entries.some((e) => e.isIntersecting);
        if (near && !cancelIdle) cancelIdle = whenIdle(start);
        else if (!near && cancelIdle) {
          cancelIdle();
          cancelIdle = null;
        }
      },
      { rootMargin: "300px" },
    );
    observer.observe(this);
    const events = ["focusin", "pointerenter", "touchstart"];
    for (const type of events) this.addEventListener(type, start, { passive: true });
    this.#holdSubmits();
    this.#waiting = () => {
      observer.disconnect();
      cancelIdle?.();
      for (const type of events) this.removeEventListener(type, start);
      this.#waiting = null;
    };
  }

  /**
   * A server-rendered card not yet taken over is taken over now: when it was waiting to be
   * needed, or when its wasm could not come before (the server was out of reach).
   */
  #reachFor() {
    if (!this.#waiting && this.getAttribute("state") !== "error") return;
    this.#waiting?.();
    this.#startLoad();
  }

  /**
   * Until the wasm has taken the server-rendered form over, Subscribe does not post the
   * plain form (the page would go): it is remembered, the wasm is sent for, and the signup
   * goes once the card is taken over, exactly once however often it was pressed.
   */
  #holdSubmits() {
    if (this.#held) return;
    const root = this.shadowRoot;
    const hold = (event) => {
      event.preventDefault();
      this.#submitted = true;
      this.#reachFor();
    };
    root.addEventListener("submit", hold, true);
    this.#held = () => {
      root.removeEventListener("submit", hold, true);
      this.#held = null;
    };
  }

  #followScheme = () => {
    // Any theme but light and dark is auto (an unknown value falls back to it).
    const scheme = /^(light|dark)$/i.test(this.getAttribute("theme")?.trim()) ? null : hostScheme(this);
    if (scheme === this.getAttribute("scheme")) return;
    if (scheme) this.setAttribute("scheme", scheme);
    else this.removeAttribute("scheme");
  };

  disconnectedCallback() {
    // Moving an element fires disconnect then connect: only tear down if it stays out.
    queueMicrotask(() => {
      if (this.isConnected) return;
      schemeWatchers.delete(this.#followScheme);
      this.#waiting?.();
      this.#active = false;
      this.#load++; // what is still loading is dropped
      this.#observer?.disconnect();
      this.#observer = null;
      // A server-rendered card never taken over stays as it is (and waits again when put
      // back); a card the widget drew is removed, and the fallback shows again.
      if (!this.#card) return;
      this.#card.destroy();
      this.#card.free();
      this.#card = null;
      this.#shape = null;
      if (!this.#fallback.isConnected) this.shadowRoot.append(this.#fallback);
    });
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (!this.#mount || !this.isConnected || oldValue === newValue) return;
    if (name === "theme") this.#followScheme();
    if (name === "src") {
      // Another story: whatever shows is not it, and a press held for it is not for this.
      this.#waiting?.();
      this.#announced = false;
      if (this.#hydrate) {
        this.#held?.();
        this.#submitted = this.#hydrate = false;
        this.#mount.replaceChildren();
        this.shadowRoot.append(this.#fallback);
      }
      this.#startLoad();
    } else if (this.#held) {
      // A server-rendered card shows the attributes it was made for: take it over now.
      this.#reachFor();
    } else this.#render();
  }

  #setUp() {
    // A browser without declarative shadow DOM (Firefox before 123, Safari before 16.4)
    // leaves the server's <template shadowrootmode> inert: attach it as the parser would.
    const template = !this.shadowRoot && this.querySelector(":scope > template[shadowrootmode]");
    if (template) {
      this.attachShadow({ mode: "open" }).append(template.content);
      template.remove();
    }
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
    adoptSheet(root, hostStyles());
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
    // A card drawn from the server's markup is ready already: taking it over says nothing.
    if (!(this.#hydrate && this.#announced)) {
      this.#announced = false;
      this.#setState("loading");
    }
    try {
      // Each card starts its requests, and later draws, in a task of its own: many cards
      // on a page never add up to one long task.
      await nextTurn();
      if (load !== this.#load) return;
      const [wasm, data] = await Promise.all([loadWasm(), this.#readData(load)]);
      if (load !== this.#load || data === undefined) return;
      await nextTurn();
      if (load !== this.#load) return;
      this.#wasm = wasm;
      // A server-rendered card is hydrated only from the very article and attributes the
      // server rendered; read the data as the server did (against its base) to check.
      const matching = this.#hydrate ? this.#serverMatch(wasm, data.json) : null;
      // The server's stylesheet stays with its markup; a card drawn afresh takes the
      // widget's own.
      if (!matching && this.#serverSheet) {
        dropSheet(this.shadowRoot, this.#serverSheet);
        this.#serverSheet = null;
      }
      if (!this.#serverSheet) adoptSheet(this.shadowRoot, wasm.sheet);
      const article = matching ?? wasm.parseArticle(data.json, data.base);
      for (const warning of article.warnings) console.warn(`${describe(this)}: ${warning}`);
      this.#article?.free();
      this.#article = article;
      this.#articleLoad = load;
      // The markup differs from what this widget would render: render afresh, keeping
      // what the reader typed. (Hydrating it would trip Yew's checks and abort the wasm
      // instance every card on the page shares.)
      if (!matching) this.#afresh();
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
      // A src that never answers must not leave the card loading for good.
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), FETCH_TIMEOUT_MS);
      const failed = (error) =>
        abort.signal.aborted
          ? new Error(`could not load ${url.href}: no answer within ${FETCH_TIMEOUT_MS / 1000} s`)
          : error;
      let response;
      try {
        response = await fetch(url, { headers: { Accept: "application/ld+json, application/json" }, signal: abort.signal });
      } catch (error) {
        clearTimeout(timer);
        throw failed(new Error(`could not load ${url.href}: ${error.message}`));
      }
      if (!response.ok) {
        clearTimeout(timer);
        throw new Error(`could not load ${url.href}: HTTP ${response.status}`);
      }
      // The text goes to the wasm as it is: its reader names the line and column of a
      // JSON mistake, and one string crosses into the wasm rather than an object tree.
      try {
        return { json: await response.text(), base: response.url || url.href };
      } catch (error) {
        throw failed(new Error(`could not load ${url.href}: ${error.message}`));
      } finally {
        clearTimeout(timer);
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
    return { json: script.textContent, base: document.baseURI };
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

  /**
   * The article read as the server read it, when the card's fingerprint says the server's
   * markup is what this widget renders from it; else `null`.
   */
  #serverMatch(wasm, json) {
    if (!this.#mount.dataset.fingerprint || this.#mount.firstElementChild?.localName !== "article") return null;
    let article;
    try {
      article = wasm.parseArticle(json, this.#mount.dataset.base ?? null);
      if (this.#fits(article)) return article;
    } catch {
      // Data the server could read and this widget cannot: not the same data.
    }
    article?.free();
    return null;
  }

  /** Whether the server's markup is what this widget draws of `article` with the attributes as they are. */
  #fits(article) {
    return this.#wasm.fingerprint(article, this.#attributes()) === this.#mount.dataset.fingerprint;
  }

  /** Drops the server's markup, if the card has it still, for a card drawn afresh. */
  #afresh() {
    if (!this.#hydrate) return;
    this.#hydrate = false;
    this.#typed = this.#typedSoFar();
    this.#mount.replaceChildren();
  }

  /** [attribute, value] of the options set, in their declared order. */
  #attributeList() {
    return Object.keys(OPTIONS)
      .map((name) => [name, this.getAttribute(name)])
      .filter(([, value]) => value !== null);
  }

  /** The options as the attributes say them (what the server saw). */
  #attributes() {
    return Object.fromEntries(this.#attributeList().map(([attribute, value]) => [OPTIONS[attribute], value]));
  }

  #options() {
    return cardOptions(this.#attributes());
  }

  /** What the reader typed into a server-rendered form before the script ran. */
  #typedSoFar() {
    return {
      typed: this.#mount.querySelector("[part~=email]")?.value,
      ticks: [...this.#mount.querySelectorAll("[type=checkbox]")].map((box) => box.checked),
      name: this.#mount.querySelector("[part~=name]")?.value,
    };
  }

  #render() {
    if (!this.#article) return;
    try {
      // A card in another language than English waits for its words (www/src/wasm.js),
      // then draws in a task of its own, unless removed meanwhile (its load moved on). Its
      // attributes may have changed meanwhile: the server's markup is checked again.
      const options = this.#options();
      const words = this.#wasm.words(this.#article, options);
      const load = this.#load;
      if (words) {
        return void words.then(nextTurn).then(() => {
          if (load !== this.#load) return;
          if (this.#hydrate && !this.#fits(this.#article)) this.#afresh();
          this.#render();
        });
      }
      this.#card ??= new this.#wasm.Card(this.#mount, this, () => this.#rendered());
      let ignored;
      if (this.#hydrate) {
        // Whatever the reader typed before the script arrived must survive hydration.
        const typed = this.#typedSoFar();
        this.#hydrate = false;
        ignored = this.#card.hydrate(this.#article, options);
        this.#typed = typed;
      } else {
        // The shadow root is open: a host script may have moved or removed nodes the
        // renderer placed, and patching around them would abort the wasm instance every
        // card shares. Then the card is drawn afresh instead.
        if (this.#shape !== null && shape(this.#mount) !== this.#shape) {
          this.#typed = this.#typedSoFar();
          this.#card.destroy();
          this.#mount.replaceChildren();
          this.#shape = null;
        }
        ignored = this.#card.render(this.#article, options);
      }
      for (const message of ignored) console.warn(`${describe(this)}: ${message}`);
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Puts back, through the card's own input handlers, what was typed before hydration. */
  #restore({ typed, ticks, name }) {
    const field = this.#mount.querySelector("[part~=name]");
    // The card reads the name from its field when the form is sent.
    if (name && field) field.value = name;
    const email = this.#mount.querySelector("[part~=email]");
    if (typed && email && email.value !== typed) {
      email.value = typed;
      email.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
    }
    // The consent and the newsletters' boxes, as the reader left them.
    const boxes = this.#mount.querySelectorAll("[type=checkbox]");
    if (boxes.length === ticks.length) {
      boxes.forEach((box, i) => {
        if (box.checked !== ticks[i]) {
          box.checked = ticks[i];
          box.dispatchEvent(new Event("change", { bubbles: true, composed: true }));
        }
      });
    }
  }

  /** Called by the wasm each time a render has reached the DOM. */
  #rendered() {
    this.#shape = shape(this.#mount);
    this.#held?.();
    if (this.#typed) {
      this.#restore(this.#typed);
      this.#typed = null;
    }
    if (this.#submitted) {
      // Pressed before the wasm came: now through the card's own form (in a task of its
      // own, once what was put back above has reached the card's state).
      this.#submitted = false;
      nextTurn().then(() => {
        const form = this.#mount.querySelector("form");
        if (form?.requestSubmit) form.requestSubmit();
        else form?.querySelector("[part~=submit]")?.click();
      });
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
    // Where the wasm can never run, the server-rendered form posts by itself, a signup
    // pressed for included. Where it could not come this time (the server out of reach:
    // the form would post into the void and the page be gone), the form stays as typed,
    // and the next Subscribe tries again.
    if (error?.final) {
      this.#held?.();
      if (this.#submitted && this.#hydrate) {
        const form = this.#mount.querySelector("form");
        if (form) HTMLFormElement.prototype.submit.call(form);
      }
    }
    // Only a new press sends; a load that succeeds later says ready again.
    this.#submitted = false;
    this.#announced = false;
    this.#card?.destroy();
    this.#shape = null;
    this.#article?.free();
    this.#article = null;
    // A server-rendered card not taken over stays what the reader sees (its form posts by
    // itself): the fallback under it would show the story twice.
    if (!this.#hydrate && !this.#fallback.isConnected) this.shadowRoot.append(this.#fallback);
    this.style.minBlockSize = "";
    this.#setState("error");
    if (!error?.logged) console.error(`${describe(this)}: ${message}`);
    emit(this, "error", { message });
  }
}

// Properties mirror the attributes (`card.src = …`, `card.signupEndpoint = …`), for
// frameworks that set properties rather than attributes. `lang` is HTMLElement's own
// property, which already reflects the attribute.
for (const [attribute, property] of PROPERTIES) {
  Object.defineProperty(ArticleEmbedElement.prototype, property, {
    get() {
      return this.getAttribute(attribute);
    },
    set(value) {
      if (value === null || value === undefined) this.removeAttribute(attribute);
      else this.setAttribute(attribute, String(value));
    },
    configurable: true,
    enumerable: true,
  });
}

/**
 * Registers <article-embed>; safe to call any number of times, from any copy of the script.
 * Outside a browser (server rendering) there is nothing to register: it does nothing.
 */
export function define() {
  if (typeof customElements === "undefined") return;
  if (!customElements.get(TAG)) customElements.define(TAG, ArticleEmbedElement);
}
