// Made by tools/element.mjs from crates/card/src/element.json: change that, not this.

/** The card's options, by their property names (as mount() and <ArticleEmbed> take them). */
export interface CardOptions {
  /** `signup-endpoint`: URL the signup form posts to; no attribute, no form. Default: none. */
  signupEndpoint?: string;
  /** `newsletter`: the newsletter's name shown in the form. Default: <publisher name> Newsletter. */
  newsletter?: string;
  /** `newsletters`: several newsletters to choose from, separated by commas: one checkbox each (the first ticked), one signup per ticked newsletter, one confirmation mail for all. Default: none: the one newsletter. */
  newsletters?: string;
  /** `privacy-url`: link shown beside the consent checkbox. Default: none. */
  privacyUrl?: string;
  /** `consent`: `required`: no submission until the consent box is ticked; `optional`. Default: optional. */
  consent?: "required" | "optional";
  /** `consent-text`: the consent sentence beside the checkbox, in the publisher's words (plain text, at most 300 characters); stored with each signup as the reader saw it. Default: the widget's sentence, in the card's language. */
  consentText?: string;
  /** `hint`: the line under the form's title (plain text, at most 200 characters). Default: the widget's hint, in the card's language. */
  hint?: string;
  /** `submit-label`: the button's label (plain text, at most 40 characters). Default: Subscribe, in the card's language. */
  submitLabel?: string;
  /** `fields`: optional fields of the form, separated by spaces or commas: `name` (the reader's first name, optional for them, stored and passed to webhooks). Default: none: the email only. */
  fields?: string;
  /** `theme`: `light`, `dark` or `auto` (the host page's `color-scheme`, then the reader's preference). Default: auto. */
  theme?: "light" | "dark" | "auto";
  /** `layout`: `full` (with standfirst, excerpt, contributors) or `compact` (headline, photo, signup). Default: full. */
  layout?: "full" | "compact";
  /** `lang`: language of the widget's own words; the article's `inLanguage` otherwise. Default: en. */
  lang?: string;
}

/** The element's attributes, by their names (as HTML and JSX write them). */
export interface CardAttributes {
  /** `src`: URL of the article's JSON-LD. Default: the inline child JSON-LD. */
  "src"?: string;
  /** `signup-endpoint`: URL the signup form posts to; no attribute, no form. Default: none. */
  "signup-endpoint"?: string;
  /** `newsletter`: the newsletter's name shown in the form. Default: <publisher name> Newsletter. */
  "newsletter"?: string;
  /** `newsletters`: several newsletters to choose from, separated by commas: one checkbox each (the first ticked), one signup per ticked newsletter, one confirmation mail for all. Default: none: the one newsletter. */
  "newsletters"?: string;
  /** `privacy-url`: link shown beside the consent checkbox. Default: none. */
  "privacy-url"?: string;
  /** `consent`: `required`: no submission until the consent box is ticked; `optional`. Default: optional. */
  "consent"?: "required" | "optional";
  /** `consent-text`: the consent sentence beside the checkbox, in the publisher's words (plain text, at most 300 characters); stored with each signup as the reader saw it. Default: the widget's sentence, in the card's language. */
  "consent-text"?: string;
  /** `hint`: the line under the form's title (plain text, at most 200 characters). Default: the widget's hint, in the card's language. */
  "hint"?: string;
  /** `submit-label`: the button's label (plain text, at most 40 characters). Default: Subscribe, in the card's language. */
  "submit-label"?: string;
  /** `fields`: optional fields of the form, separated by spaces or commas: `name` (the reader's first name, optional for them, stored and passed to webhooks). Default: none: the email only. */
  "fields"?: string;
  /** `theme`: `light`, `dark` or `auto` (the host page's `color-scheme`, then the reader's preference). Default: auto. */
  "theme"?: "light" | "dark" | "auto";
  /** `layout`: `full` (with standfirst, excerpt, contributors) or `compact` (headline, photo, signup). Default: full. */
  "layout"?: "full" | "compact";
  /** `lang`: language of the widget's own words; the article's `inLanguage` otherwise. Default: en. */
  "lang"?: string;
}

/**
 * The element's properties, each reflecting its attribute (`null` when absent; setting
 * `null` removes it). An unknown value of an enumerated one falls back to the default.
 */
export interface CardProperties {
  /** `src`: URL of the article's JSON-LD. Default: the inline child JSON-LD. */
  src: string | null;
  /** `signup-endpoint`: URL the signup form posts to; no attribute, no form. Default: none. */
  signupEndpoint: string | null;
  /** `newsletter`: the newsletter's name shown in the form. Default: <publisher name> Newsletter. */
  newsletter: string | null;
  /** `newsletters`: several newsletters to choose from, separated by commas: one checkbox each (the first ticked), one signup per ticked newsletter, one confirmation mail for all. Default: none: the one newsletter. */
  newsletters: string | null;
  /** `privacy-url`: link shown beside the consent checkbox. Default: none. */
  privacyUrl: string | null;
  /** `consent`: `required`: no submission until the consent box is ticked; `optional`. Default: optional. */
  consent: "required" | "optional" | (string & {}) | null;
  /** `consent-text`: the consent sentence beside the checkbox, in the publisher's words (plain text, at most 300 characters); stored with each signup as the reader saw it. Default: the widget's sentence, in the card's language. */
  consentText: string | null;
  /** `hint`: the line under the form's title (plain text, at most 200 characters). Default: the widget's hint, in the card's language. */
  hint: string | null;
  /** `submit-label`: the button's label (plain text, at most 40 characters). Default: Subscribe, in the card's language. */
  submitLabel: string | null;
  /** `fields`: optional fields of the form, separated by spaces or commas: `name` (the reader's first name, optional for them, stored and passed to webhooks). Default: none: the email only. */
  fields: string | null;
  /** `theme`: `light`, `dark` or `auto` (the host page's `color-scheme`, then the reader's preference). Default: auto. */
  theme: "light" | "dark" | "auto" | (string & {}) | null;
  /** `layout`: `full` (with standfirst, excerpt, contributors) or `compact` (headline, photo, signup). Default: full. */
  layout: "full" | "compact" | (string & {}) | null;
}
