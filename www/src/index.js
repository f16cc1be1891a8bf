// The npm package's entry: define() registers <article-embed>; mount() renders a card
// into any element. Importing it has no side effects.
export { define } from "./element.js";
export { mount } from "./mount.js";
