// A developer's app: the card from mount(), and the <article-embed> tag from define().
import { define, mount, type MountedCard, type NewsArticle } from "article-embed";
// The README's example, extracted by the test: it mounts into #story.
import "./readme.js";

define();
define(); // a second call is harmless

// Typed through the package's HTMLElementTagNameMap and event map.
const tag = document.querySelector("article-embed");
tag?.addEventListener("article-embed:ready", (event) => {
  document.body.dataset.tagReady = event.detail.url ?? "";
});
// Properties mirror the attributes, typed (a framework setting properties).
if (tag && tag.layout === null) tag.layout = "full";

async function start(): Promise<void> {
  const story: NewsArticle = await (await fetch("/story.json")).json();
  const target = document.querySelector<HTMLElement>("#mounted");
  if (!target) throw new Error("no #mounted");
  const card: MountedCard = await mount(target, story, {
    signupEndpoint: "/api/subscribe",
    layout: "full",
    theme: "light",
    baseUrl: new URL("/story.json", location.href).href,
  });
  // Handles for the end-to-end test to drive.
  Object.assign(window, { app: { card, story, mount, target } });
  document.body.dataset.mounted = "yes";
}

start().catch((error: Error) => {
  document.body.dataset.error = error.message;
});
