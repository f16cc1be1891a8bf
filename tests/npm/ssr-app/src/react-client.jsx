import { hydrateRoot } from "react-dom/client";
import { define } from "article-embed";
import { App } from "./App.jsx";

// Defined first, so that React finds the element's properties when it updates them.
define();
const props = JSON.parse(document.getElementById("props").textContent);
hydrateRoot(document.getElementById("root"), <App {...props} />, {
  onRecoverableError: (error) => console.error(`React recovered from: ${error.message}`),
});
