// Types of article-embed/server: the card rendered to HTML on a Node server.
import type { ArticleDocument, MountOptions } from "./index.js";

/** The element's attributes in camelCase (as mount() takes them), and where its data is. */
export interface RenderOptions extends MountOptions {
  /**
   * URL of the article's JSON-LD, written as the element's `src`: the browser loads it
   * from there to hydrate the card, and relative URLs in it resolve against it. Without
   * it the data goes inline, in a `<script type="application/ld+json">` child.
   */
  src?: string;
  /** URL that relative URLs in inline data resolve against (in the browser, the page's). */
  baseUrl?: string;
  /**
   * URL of article-embed.js, for a `<script type="module">` after the element: for pages
   * that do not call define() from this package themselves.
   */
  script?: string;
}

/**
 * `<article-embed>` with its card rendered inside a declarative shadow root (styles
 * included, shown with no script), the data for hydration, and the signup form that posts
 * without script: the markup of `article-embed snippet`. Rejects with an Error naming each
 * bad field of the data.
 */
export function renderToString(article: ArticleDocument | string, options?: RenderOptions): Promise<string>;

/**
 * What goes inside `<article-embed>`: the declarative shadow root with the card, the
 * fallback link and inline data, for frameworks that write the element themselves (React:
 * `dangerouslySetInnerHTML`). The element must carry the attributes `options` names
 * (`src`, `signup-endpoint`, `theme`…), or the browser draws the card afresh instead of
 * taking this one over.
 */
export function renderInnerHTML(article: ArticleDocument | string, options?: Omit<RenderOptions, "script">): Promise<string>;
