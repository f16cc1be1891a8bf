// Writes dist/ssr.html: a host page with ten server-rendered cards (the output of
// `article-embed snippet`), all below the fold, and host styles that would clash.
//   node tools/ssr-page.mjs target/debug/article-embed [ARTICLE.json]
// The article defaults to the demo's (make demo imports it from the story's page); the
// cards name it by its path on the server, /articles/myanmar-diplomat.json.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";

const bin = process.argv[2] ?? "target/debug/article-embed";
const article = process.argv[3] ?? "build/demo/articles/myanmar-diplomat.json";
const snippet = (layout) =>
  execFileSync(bin, [
    "snippet", article,
    "--src", "/articles/myanmar-diplomat.json",
    "--signup-endpoint", "/api/subscribe",
    "--script", "/dist/article-embed.js",
    "--layout", layout,
  ], { encoding: "utf8" });
const cards = Array.from({ length: 10 }, (_, i) => `<section class="slot" id="slot-${i + 1}">\n${snippet(i % 2 ? "compact" : "full")}</section>`);
const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <link rel="icon" href="data:,">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>article-embed: ten server-rendered cards</title>
  <style>
    body { margin: 0; padding: 24px; font: 20px/2 Palatino, serif; color: #3a2f1d; background: #fbf6ec; }
    .intro { min-block-size: 140vh; }
    .slot { max-inline-size: 640px; margin-block: 32px; }
    h2 { color: red; text-transform: uppercase; } img { border: 6px double red; } form { border: 3px dashed blue; }
  </style>
</head>
<body>
  <div class="intro">
    <h1>Ten cards, rendered on the server</h1>
    <p>Every card below is complete HTML in a declarative shadow root: styled and readable
    before any script runs, and with no script at all. The script loads the wasm only for
    cards that come near the viewport.</p>
  </div>
${cards.join("\n")}
</body>
</html>
`;
mkdirSync("dist", { recursive: true });
writeFileSync("dist/ssr.html", page);
console.log(`dist/ssr.html: ${cards.length} server-rendered cards, ${page.length.toLocaleString("en-US")} bytes`);
