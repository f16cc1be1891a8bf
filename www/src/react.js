// article-embed/react: <ArticleEmbed>, the card as a React component. On a Node server it
// renders the card into the page's HTML (article-embed/server, synchronously, during
// React's own render), so the card shows before and without script; in the browser it
// defines <article-embed>, which takes the server's card over without drawing it again.
//
// A client component on purpose (react-rsc.js is its "use client" boundary for React Server
// Components): event handlers are props, and a client component is still rendered on the
// server (Next.js's App Router renders it there too). Its server half comes through the
// package's own "article-embed/server", whose export conditions give Node the renderer and
// everything else (the browser's bundle, edge runtimes) a stub: the browser never
// downloads the server's wasm.

import { createElement, useCallback, useLayoutEffect, useMemo, useRef } from "react";
import { renderInnerHTMLSync } from "article-embed/server";
import { define } from "./element.js";
import { OPTIONS } from "./options.js";

/** [prop, attribute] of the element's options (SPEC section 2), `lang` included. */
const OPTION_PROPS = Object.entries(OPTIONS).map(([attribute, prop]) => [prop, attribute]);
const EVENTS = [
  ["article-embed:ready", "onReady"],
  ["article-embed:subscribe", "onSubscribe"],
  ["article-embed:error", "onError"],
];

let warnedElsewhere = false;
let warnedChildren = false;

/**
 * The element's content: on the server, the card in a declarative shadow root; in the
 * browser, only the data (what a card drawn there needs). A hydrating browser keeps the
 * server's content as it is (React leaves an element's HTML alone when it hydrates it with
 * suppressHydrationWarning) and never parses a `<template shadowrootmode>` of its own, which
 * Chromium reports when one comes through innerHTML.
 */
function content(article, options) {
  if (article === undefined) return "";
  if (typeof document === "undefined") {
    try {
      return renderInnerHTMLSync(article, options);
    } catch (error) {
      // The page renders on; the browser draws the card (or reports the same problems on
      // the element, with its error event).
      if (!error?.elsewhere || !warnedElsewhere) console.error(error?.message ?? error);
      if (error?.elsewhere) warnedElsewhere = true;
    }
  }
  if (options.src !== undefined) return "";
  const json = typeof article === "string" ? article : JSON.stringify(article);
  // No "<" in a script's text, so nothing in the data can close it.
  return `<script type="application/ld+json">${json.replace(/</g, "\\u003c")}</script>`;
}

/**
 * `<article-embed>` for `article` (schema.org NewsArticle JSON-LD, an object or its text)
 * and/or `src` (where the browser loads the data from; relative URLs in the data resolve
 * against it). `baseUrl`: what relative URLs of inline data resolve against on the server
 * (in the browser, as for the element, the page). Options are props in camelCase;
 * `onReady`, `onSubscribe`, `onError` receive the events' `detail`. Other props (`id`,
 * `className`, `style`, `aria-*`) go to the element.
 */
export function ArticleEmbed({ article, src, baseUrl, onReady, onSubscribe, onError, ref, children, ...rest }) {
  if (children !== undefined && !warnedChildren) {
    warnedChildren = true;
    console.warn("article-embed: <ArticleEmbed> takes no children: its fallback, the story's link, comes with the card");
  }
  const element = useRef(null);
  const handlers = useRef({});
  handlers.current = { onReady, onSubscribe, onError };

  const attributes = {};
  const options = {};
  for (const [prop, attribute] of OPTION_PROPS) {
    const value = rest[prop];
    delete rest[prop];
    if (value === undefined || value === null) continue;
    attributes[attribute] = String(value);
    options[prop] = String(value);
  }
  if (src !== undefined && src !== null) options.src = String(src);
  else if (baseUrl !== undefined && baseUrl !== null) options.baseUrl = String(baseUrl);
  const key = JSON.stringify(options);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const inner = useMemo(() => content(article, options), [article, key]);
  // One object per string: React rewrites an element's HTML whenever it is handed a new
  // one, and in the browser the string changes only with the data.
  const html = useMemo(() => ({ __html: inner }), [inner]);

  // A layout effect: the listeners are in place before the element is defined, so no
  // event can come before them.
  useLayoutEffect(() => {
    const node = element.current;
    const listeners = EVENTS.map(([type, prop]) => {
      const listener = (event) => handlers.current[prop]?.(event.detail);
      node.addEventListener(type, listener);
      return [type, listener];
    });
    define();
    return () => {
      for (const [type, listener] of listeners) node.removeEventListener(type, listener);
    };
  }, []);

  // Options reach the element as properties, as a framework's state changes them; the
  // attributes above are what the server writes (and what it rendered the card for).
  useLayoutEffect(() => {
    const node = element.current;
    for (const [prop, attribute] of OPTION_PROPS) {
      const value = attributes[attribute] ?? null;
      if (prop === "lang") continue; // HTMLElement's own, reflected by React
      if (node[prop] !== value) node[prop] = value;
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const setRef = useCallback(
    (node) => {
      element.current = node;
      if (typeof ref === "function") return ref(node);
      if (ref) ref.current = node;
    },
    [ref],
  );

  return createElement("article-embed", {
    ...rest,
    ...attributes,
    src: options.src,
    ref: setRef,
    dangerouslySetInnerHTML: html,
    suppressHydrationWarning: true,
  });
}
