// Must NOT compile: a misspelt option name, a value that is not a theme, a number for a
// property that takes text.
import { mount } from "article-embed";

export async function wrong(element: Element): Promise<void> {
  await mount(element, { headline: "H" }, { signupEndpont: "/api/subscribe" });
  await mount(element, { headline: "H" }, { theme: "purple" });
  const tag = document.createElement("article-embed");
  tag.layout = 5;
}

export async function wrongOnTheServer(): Promise<void> {
  const { renderToString, renderInnerHTML } = await import("article-embed/server");
  await renderToString({ headline: "H" }, { scrpt: "/article-embed.js" });
  await renderInnerHTML({ headline: "H" }, { script: "/article-embed.js" });
}
