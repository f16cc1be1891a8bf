// A small static server for the demo and the end-to-end tests: serves the repository's
// files (the demo page, dist/, articles/, tests/e2e/pages/) and a signup endpoint that speaks
// SPEC section 5, keeping signups in memory. The publisher's real server, with storage,
// is the `article-embed serve` binary.
//
//   node tools/serve.mjs [--port 8080] [--host 127.0.0.1]

import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = resolve(fileURLToPath(new URL("../..", import.meta.url)));

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/ld+json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

function send(res, status, body, headers = {}) {
  const data = typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": typeof body === "object" && !Buffer.isBuffer(body) ? "application/json" : "text/plain; charset=utf-8",
    "Cache-Control": "no-store",
    ...headers,
  });
  res.end(data);
}

async function readBody(req, limit = 16 * 1024) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw Object.assign(new Error("body too large"), { status: 413 });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Starts the server, serving the files under `root` (the repository by default). `port` 0
 * picks a free port; `hostname` is the name its URL uses (default: `host`). Returns `{ url, server, signups, requests,
 * close() }`: `signups` holds accepted signups, `requests` every request to the signup
 * endpoints (with method, headers and body), for tests to inspect.
 */
export async function startServer({ port = 8080, host = "127.0.0.1", root = REPO, quiet = false, hostname = host } = {}) {
  const ROOT = resolve(root);
  const signups = [];
  const requests = [];

  async function subscribe(req, res, mode) {
    const raw = await readBody(req);
    requests.push({ url: req.url, method: req.method, headers: req.headers, body: raw, mode });
    let body;
    try {
      body = req.headers["content-type"]?.startsWith("application/x-www-form-urlencoded")
        ? Object.fromEntries(new URLSearchParams(raw))
        : JSON.parse(raw);
    } catch {
      return send(res, 400, { error: "bad_request", message: "The request body is not valid JSON." });
    }
    // Test modes answer one row of the protocol table each (SPEC section 5).
    switch (mode) {
      case "pending":
        return send(res, 202, { status: "pending" });
      case "already":
        return send(res, 409, { status: "already_subscribed" });
      case "invalid":
        return send(res, 422, { error: "invalid_email", message: "This address cannot receive mail." });
      case "error":
        return send(res, 500, { error: "internal", message: "Something broke." });
      case "ratelimit":
        return send(res, 429, { error: "rate_limited" }, { "Retry-After": "30" });
      case "ratelimitshort":
        return send(res, 429, { error: "rate_limited" }, { "Retry-After": "1" });
      case "slow":
        await new Promise((r) => setTimeout(r, 800));
        break;
      case "hang":
        // Takes the request and never answers (the client gives up; its socket closes).
        return;
    }
    const email = String(body?.email ?? "").trim().toLowerCase();
    if (!EMAIL.test(email)) {
      return send(res, 422, { error: "invalid_email", message: "Please enter a valid email address." });
    }
    signups.push({ ...body, email, at: new Date().toISOString() });
    if (!quiet) console.log(`signup: ${email} → ${body.newsletter ?? "newsletter"}`);
    return send(res, 201, { status: "subscribed" });
  }

  async function serveFile(req, res, pathname, search) {
    // The demo page at /: the one article-embed serve has built in.
    if (pathname === "/" && ROOT === REPO) pathname = "/crates/server/pages/index.html";
    let path = normalize(join(ROOT, decodeURIComponent(pathname)));
    if (path !== ROOT && !path.startsWith(ROOT + sep)) return send(res, 403, "forbidden");
    try {
      if ((await stat(path)).isDirectory()) path = join(path, "index.html");
      const data = await readFile(path);
      // ?coep: the page is cross-origin isolated, as some publishers' pages are; then every
      // cross-origin resource it loads must allow it (CORS or Cross-Origin-Resource-Policy).
      const isolated = search.has("coep") && extname(path) === ".html";
      res.writeHead(200, {
        "Content-Type": TYPES[extname(path)] ?? "application/octet-stream",
        "Cache-Control": "no-cache",
        "Access-Control-Allow-Origin": "*",
        ...(isolated ? { "Cross-Origin-Embedder-Policy": "require-corp", "Cross-Origin-Opener-Policy": "same-origin" } : {}),
      });
      res.end(req.method === "HEAD" ? undefined : data);
    } catch {
      send(res, 404, "not found");
    }
  }

  const server = createServer(async (req, res) => {
    try {
      const { pathname, searchParams } = new URL(req.url, "http://localhost");
      const test = pathname.match(/^\/test-api\/subscribe\/([a-z]+)$/);
      if (req.method === "POST" && pathname === "/api/subscribe") return await subscribe(req, res, "demo");
      if (req.method === "POST" && test) return await subscribe(req, res, test[1]);
      if (req.method === "GET" || req.method === "HEAD") return await serveFile(req, res, pathname, searchParams);
      send(res, 405, "method not allowed");
    } catch (error) {
      send(res, error.status ?? 500, { error: "server_error", message: error.message });
    }
  });
  await new Promise((ok, fail) => server.once("error", fail).listen(port, host, ok));
  // `hostname` names the origin (say "localhost" for a server on 127.0.0.1: another origin).
  const url = `http://${hostname}:${server.address().port}`;
  // A request the `hang` mode never answers must not hold the close up.
  const close = () =>
    new Promise((ok) => {
      server.close(ok);
      server.closeAllConnections();
    });
  return { url, server, signups, requests, close };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const { url } = await startServer({ port: Number(arg("port", 8080)), host: arg("host", "127.0.0.1") });
  console.log(`article-embed demo: ${url}/`);
}
