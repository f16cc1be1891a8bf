import { hydrateRoot } from "react-dom/client";
import { App } from "./App.jsx";

const props = JSON.parse(document.getElementById("props").textContent);
hydrateRoot(document.getElementById("root"), <App {...props} />, {
  onRecoverableError: (error) => console.error(`React recovered from: ${error.message}`),
});
