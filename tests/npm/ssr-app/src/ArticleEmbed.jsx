// <article-embed> as a React 19 component. React sets the element's props as properties
// on the client (after define()), and writes them as attributes on the server: `src`,
// `theme`, `layout`, `newsletter` and `consent` are the same word both ways; the others go
// by their attribute names (`signup-endpoint`, `privacy-url`). `card` is the element's
// server-rendered content (renderInnerHTML from article-embed/server), which React leaves
// alone: the element hydrates it.
//
// React 19 attaches a custom element's `on…` listeners and sets its properties on client
// renders, not when it hydrates server markup (react#35446): listeners go through an effect,
// which also defines the element, once they are in place, so that no event goes unheard.
import { define } from "article-embed";
import { useEffect, useMemo, useRef } from "react";

export function ArticleEmbed({ card, onReady, onSubscribe, ...props }) {
  const ref = useRef(null);
  useEffect(() => {
    const element = ref.current;
    const ready = (event) => onReady?.(event.detail);
    const subscribe = (event) => onSubscribe?.(event.detail);
    element.addEventListener("article-embed:ready", ready);
    element.addEventListener("article-embed:subscribe", subscribe);
    define();
    return () => {
      element.removeEventListener("article-embed:ready", ready);
      element.removeEventListener("article-embed:subscribe", subscribe);
    };
  }, [onReady, onSubscribe]);
  // React writes innerHTML again whenever this object is a new one (it compares objects,
  // not their text): a new one on every render would replace the element's content each
  // time. One object per card keeps React's hands off it.
  const content = useMemo(() => ({ __html: card }), [card]);
  // The browser has turned the server's <template shadowrootmode> into a shadow root, so
  // the element's light DOM no longer reads as `card`: that difference is expected.
  return <article-embed ref={ref} {...props} dangerouslySetInnerHTML={content} suppressHydrationWarning />;
}
