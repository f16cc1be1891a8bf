// React 19 on the server: the card's content from article-embed/server, the page from
// react-dom/server; the same props go to the browser for hydration.
import { renderToString } from "react-dom/server";
import { renderInnerHTML } from "article-embed/server";
import { App, CARD } from "./App.jsx";

export async function render(story) {
  const props = { card: await renderInnerHTML(story, CARD) };
  return { html: renderToString(<App {...props} />), props };
}
