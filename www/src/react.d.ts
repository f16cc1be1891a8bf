// Types of article-embed/react: <ArticleEmbed>, and <article-embed> in JSX. Only this entry
// needs React's types; the package's other entries do not.
import type { DetailedHTMLProps, HTMLAttributes, ReactElement, Ref } from "react";
import type { ArticleDocument, ArticleEmbedElement, CardAttributes, MountOptions, SubscribeStatus } from "./index.js";

export interface ArticleEmbedProps
  extends Omit<HTMLAttributes<ArticleEmbedElement>, "children" | "dangerouslySetInnerHTML" | "lang" | "onError">,
    Omit<MountOptions, "baseUrl"> {
  /**
   * The article (schema.org NewsArticle JSON-LD, an object or its text). Rendered into the
   * page's HTML when the component renders on a Node server; inline data for the browser
   * otherwise.
   */
  article?: ArticleDocument | string;
  /**
   * URL of the article's JSON-LD: the browser loads the data from there (relative URLs in
   * it resolve against it). With `article` too, the server renders the card from `article`
   * and the browser takes it over when `src` answers the same data.
   */
  src?: string;
  /**
   * What relative URLs of an inline `article` resolve against when the card is rendered on
   * the server (in the browser, the page's URL). Ignored with `src`.
   */
  baseUrl?: string;
  ref?: Ref<ArticleEmbedElement>;
  /** The card is drawn (or taken over from the server's markup). */
  onReady?(detail: { url: string | null }): void;
  /** A signup's outcome. */
  onSubscribe?(detail: { status: SubscribeStatus }): void;
  /** Bad data or a failed load; the element keeps its fallback. */
  onError?(detail: { message: string }): void;
}

/**
 * `<article-embed>` as a React client component: server-rendered (on Node) and hydrated,
 * options as props, the element's events as callbacks.
 */
export function ArticleEmbed(props: ArticleEmbedProps): ReactElement;

/** The element's attributes in JSX: the names the HTML uses (SPEC section 2). */
export interface ArticleEmbedAttributes extends Omit<HTMLAttributes<ArticleEmbedElement>, "lang">, CardAttributes {}

declare module "react" {
  namespace JSX {
    interface IntrinsicElements {
      "article-embed": DetailedHTMLProps<ArticleEmbedAttributes, ArticleEmbedElement>;
    }
  }
}
