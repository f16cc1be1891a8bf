// Prints the script tag that loads dist/article-embed.js from the npm package on jsDelivr,
// pinned to this version and, by its Subresource Integrity hash, to these bytes (docs/publishers.md,
// "From a CDN"). The builder page gives the same tag.
//   node tools/cdn-tag.mjs
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

const version = readFileSync("Cargo.toml", "utf8").match(/^version\s*=\s*"([^"]+)"/m)?.[1];
const integrity = `sha384-${createHash("sha384").update(readFileSync("dist/article-embed.js")).digest("base64")}`;
console.log(
  `<script type="module" src="https://cdn.jsdelivr.net/npm/article-embed@${version}/dist/article-embed.js" integrity="${integrity}" crossorigin="anonymous"></script>`,
);
