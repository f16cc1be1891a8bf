// The app's Node server, as a Vite SSR app has one: the built client's files, the pages
// rendered by the SSR bundles, the story's JSON-LD and a signup endpoint.
//   PORT=0 node server.mjs   (prints {"port": N} once listening)
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const client = join(here, "dist/client");
// The same client built with React's development build (its hydration checks), under /dev/.
const clientDev = join(here, "dist/client-dev");
const story = JSON.parse(await readFile(join(here, "public/story.json"), "utf8"));
const plain = await import("./dist/server/entry-server.js");
const react = await import("./dist/server-react/react-server.js");
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".svg": "image/svg+xml",
};
const signups = [];

async function page(name, fill) {
  const template = await readFile(join(client, name), "utf8");
  return fill(template);
}

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url, "http://app");
    let body;
    let type = TYPES[".html"];
    if (req.method === "POST" && url.pathname === "/api/subscribe") {
      let text = "";
      for await (const chunk of req) text += chunk;
      signups.push(JSON.parse(text));
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ status: "pending" }));
      return;
    }
    if (url.pathname === "/signups") {
      body = JSON.stringify(signups);
      type = TYPES[".json"];
    } else if (url.pathname === "/") {
      const card = await plain.render(story);
      body = await page("index.html", (t) => t.replace("<!--app-->", card));
    } else if (url.pathname === "/react" || url.pathname === "/dev/react") {
      const { html, props } = await react.render(story);
      // JSON in a script: no "<" at all, so nothing can close it.
      const data = JSON.stringify(props).replaceAll("<", "\\u003c");
      const dev = url.pathname.startsWith("/dev/");
      body = await page(dev ? "../client-dev/react.html" : "react.html", (t) =>
        t.replace("<!--app-->", html).replace("<!--props-->", `<script type="application/json" id="props">${data}</script>`),
      );
    } else {
      const dev = url.pathname.startsWith("/dev/");
      const root = dev ? clientDev : client;
      const file = normalize(join(root, decodeURIComponent(url.pathname.slice(dev ? 4 : 0))));
      if (!file.startsWith(root + sep)) throw Object.assign(new Error("outside"), { status: 404 });
      body = await readFile(file);
      type = TYPES[extname(file)] ?? "application/octet-stream";
    }
    res.writeHead(200, { "Content-Type": type });
    res.end(body);
  } catch (error) {
    res.writeHead(error.status ?? (error.code === "ENOENT" ? 404 : 500), { "Content-Type": "text/plain" });
    res.end(String(error.stack ?? error));
  }
});
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(JSON.stringify({ port: server.address().port }));
});
