// Plain Vite SSR: the card rendered on the server, into the page's HTML.
import { renderToString } from "article-embed/server";

export const CARD_OPTIONS = { src: "/story.json", signupEndpoint: "/api/subscribe" };

export function render(story) {
  return renderToString(story, CARD_OPTIONS);
}
