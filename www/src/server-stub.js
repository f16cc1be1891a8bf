// article-embed/server in a browser bundle.
import { elsewhere } from "./server-elsewhere.js";

export const { renderToString, renderInnerHTML, renderToStringSync, renderInnerHTMLSync } = elsewhere(
  'article-embed/server renders on a Node server; in the browser, use define() or mount() from "article-embed"',
);
