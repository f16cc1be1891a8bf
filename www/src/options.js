// Made by tools/element.mjs from crates/card/src/element.json: change that, not this.

const camel = (name) => name.replace(/-./g, (m) => m[1].toUpperCase());
const ATTRIBUTES = ["src", "signup-endpoint", "newsletter", "newsletters", "privacy-url", "consent", "consent-text", "hint", "submit-label", "fields", "theme", "layout", "lang"];

/** attribute → property, for each of the card's options (SPEC section 2). */
export const OPTIONS = Object.fromEntries(
  ATTRIBUTES.filter((a) => !["src"].includes(a)).map((a) => [a, camel(a)]),
);

/** [attribute, property] of the properties the element defines (`lang` is HTMLElement's own). */
export const PROPERTIES = ATTRIBUTES.filter((a) => !["lang"].includes(a)).map((a) => [a, camel(a)]);

/** The numbers of the card's height estimate (crates/card's `options::estimated_height`). */
export const FULL_PHOTO = 0.5625;
export const FULL_BASE = 580;
export const FULL_NARROW_FROM = 760;
export const FULL_NARROW_PER_PX = 1.1;
export const FULL_FORM = 215;
export const FULL_FORM_NARROW_PER_PX = 0.15;
export const COMPACT_WIDE_FROM = 480;
export const COMPACT_WIDE = 300;
export const COMPACT_NARROW = 560;
export const COMPACT_FORM = 270;
