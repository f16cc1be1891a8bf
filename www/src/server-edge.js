// article-embed/server in an edge or worker runtime (Next.js's edge runtime, Cloudflare
// Workers, Vercel Edge Functions): the renderer needs Node.js (its wasm is
// unpacked with Node's zlib and compiled at import), so this says what to do instead.
import { elsewhere } from "./server-elsewhere.js";

export const { renderToString, renderInnerHTML, renderToStringSync, renderInnerHTMLSync } = elsewhere(
  "article-embed/server needs the Node.js runtime, and this is an edge or worker runtime. " +
    'Render the card in a Node.js route (in Next.js, the default runtime: remove `export const runtime = "edge"`), ' +
    'or let the browser draw it (<article-embed src="…"> with define() from "article-embed").',
);
