// Type-checked only (the app's server side, were it to render the card): article-embed/server's types.
import { renderInnerHTML, renderToString, type RenderOptions } from "article-embed/server";

const options: RenderOptions = { src: "/story.json", signupEndpoint: "/api/subscribe", theme: "dark", script: "/article-embed.js" };
export const html: Promise<string> = renderToString({ "@type": "NewsArticle", headline: "H" }, options);
export const inner: Promise<string> = renderInnerHTML('{"headline": "H"}', { src: "/story.json", layout: "compact" });
