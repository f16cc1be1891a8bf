// The browser takes over the server's card: define() is all it needs.
import { define } from "article-embed";

define();

// Shared code may name the server renderer; in a browser bundle it only says where it runs.
import("article-embed/server")
  .then(({ renderToString }) => renderToString({ headline: "x" }))
  .then(
    () => (document.body.dataset.serverInBrowser = "rendered"),
    (error) => (document.body.dataset.serverInBrowser = error.message),
  );
