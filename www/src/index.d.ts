// Types of the article-embed npm package: the article data it reads (the schema.org
// NewsArticle JSON-LD subset of the card), the options, and the element's events. The
// options' and attributes' types are made from the element's declaration (options.d.ts).
import type { CardOptions, CardProperties } from "./options.js";

export type { CardAttributes, CardOptions, CardProperties } from "./options.js";

/** Text, or a JSON-LD value object. Several values: the first is used. */
export type Text = string | { "@value": string; "@language"?: string };
type OneOrMany<T> = T | T[];

/** A reference to another node of the same `@graph`. */
export interface NodeReference {
  "@id": string;
}

export interface Party {
  "@type"?: "Person" | "Organization" | "NewsMediaOrganization" | (string & {});
  "@id"?: string;
  /** Required for a Person or Organization object. */
  name: Text;
  url?: string;
}

export interface QuantitativeValue {
  "@type"?: "QuantitativeValue";
  value: number | string;
}

export interface ImageObject {
  "@type"?: "ImageObject" | (string & {});
  "@id"?: string;
  /** `url` or `contentUrl`: http(s), or relative to the data's own URL. */
  url?: string;
  contentUrl?: string;
  width?: number | string | QuantitativeValue;
  height?: number | string | QuantitativeValue;
  /** Shown under the photo and used as its alt text. */
  caption?: Text;
  /** The photo credit, e.g. "STRINGER/ REUTERS". */
  creditText?: Text;
  copyrightHolder?: Party | string | NodeReference;
}

export type ArticleType =
  | "NewsArticle"
  | "Article"
  | "ReportageNewsArticle"
  | "AnalysisNewsArticle"
  | "BackgroundNewsArticle"
  | "OpinionNewsArticle"
  | "ReviewNewsArticle"
  | "AskPublicNewsArticle";

/** The fields of schema.org NewsArticle the card reads (SPEC section 3). */
export interface NewsArticle {
  "@context"?: unknown;
  "@type"?: ArticleType | (string & {}) | Array<ArticleType | (string & {})>;
  "@id"?: string;
  /** Required. */
  headline: OneOrMany<Text>;
  /** The standfirst; `description` when absent. */
  alternativeHeadline?: OneOrMany<Text>;
  description?: OneOrMany<Text>;
  /** Link to the full story (http or https). */
  url?: string;
  author?: OneOrMany<Party | string | NodeReference>;
  contributor?: OneOrMany<Party | string | NodeReference>;
  /** ISO 8601 date or date-time; a month (2021-03) or a year (2021) is shown as such. */
  datePublished?: string;
  dateModified?: string;
  dateline?: Text;
  /** The first one is the hero photo. */
  image?: OneOrMany<ImageObject | string | NodeReference>;
  /** Plain text; paragraphs separated by blank lines. */
  articleBody?: Text;
  publisher?: (Party & { logo?: ImageObject | string }) | string | NodeReference;
  /** BCP 47 language tag, e.g. "en" or "he-IL". */
  inLanguage?: string | { "@type"?: "Language"; alternateName: string; name?: string };
}

/** What a publisher's page holds: the article alone, among other nodes, or in a @graph. */
export type ArticleDocument =
  | NewsArticle
  | Array<NewsArticle | Record<string, unknown>>
  | { "@context"?: unknown; "@graph": Array<NewsArticle | Record<string, unknown>> };

/** The options of mount(): the card's (the element takes the same as attributes), and `baseUrl`. */
export interface MountOptions extends CardOptions {
  /** URL that relative URLs in the article resolve against; default the page's. */
  baseUrl?: string;
}

export interface MountedCard {
  /** Shows another article, and optionally new options. Throws an Error naming the field on bad data. */
  update(article: ArticleDocument | string, options?: MountOptions): void;
  /** Removes the card, its nodes and its listeners. */
  unmount(): void;
}

/** Registers the `<article-embed>` element. Safe to call any number of times. */
export function define(): void;

/**
 * Renders a card for `article` inside `element` (after what it already holds), in a shadow
 * root of its own. Rejects with an Error naming the field when the data is bad.
 */
export function mount(element: Element, article: ArticleDocument | string, options?: MountOptions): Promise<MountedCard>;

export type SubscribeStatus = "subscribed" | "pending" | "already_subscribed" | "queued" | "failed";

export interface ArticleEmbedEventMap {
  "article-embed:ready": CustomEvent<{ url: string | null }>;
  "article-embed:error": CustomEvent<{ message: string }>;
  "article-embed:subscribe": CustomEvent<{ status: SubscribeStatus }>;
}

/**
 * The `<article-embed>` element. Each property mirrors its attribute (setting `null`
 * removes it), so frameworks that set properties (Lit's `.src=`, React 19) work as well as
 * those that set attributes; properties set before the element is defined are taken over
 * when it is. `lang` is HTMLElement's own property, which reflects the `lang` attribute.
 */
export interface ArticleEmbedElement extends HTMLElement, CardProperties {
  addEventListener<K extends keyof ArticleEmbedEventMap>(
    type: K,
    listener: (this: ArticleEmbedElement, event: ArticleEmbedEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ): void;
}

declare global {
  interface HTMLElementTagNameMap {
    "article-embed": ArticleEmbedElement;
  }
  interface HTMLElementEventMap extends ArticleEmbedEventMap {}
}
