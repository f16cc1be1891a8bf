// React 19 on the server: <ArticleEmbed> renders the card (article-embed/server) during
// react-dom/server's render; the same props go to the browser for hydration.
import { renderToString } from "react-dom/server";
import { App } from "./App.jsx";

export function render(story) {
  const props = { story };
  return { html: renderToString(<App {...props} />), props };
}
