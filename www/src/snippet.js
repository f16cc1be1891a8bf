// Entry of dist/article-embed.js, the one-file script of the snippet: registers the
// element as soon as it runs. Loading it twice (even from two URLs) is harmless.
import { define } from "./element.js";

define();
