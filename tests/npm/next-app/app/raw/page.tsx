// A Server Component with article-embed/server itself: the element's content as HTML, and a
// client component that defines the element. The browser turns the <template
// shadowrootmode> into the card's shadow root, so the element's HTML no longer reads as
// `card`: suppressHydrationWarning keeps React from rewriting it. (The HTML also travels in
// the page's RSC payload; <ArticleEmbed> sends the article's JSON-LD instead.)
import { renderInnerHTML } from "article-embed/server";
import { Define } from "./define";
import { SRC, story } from "../story";

export default async function Page() {
  const card = await renderInnerHTML(story, { src: SRC, signupEndpoint: "/api/subscribe" });
  return (
    <main>
      <h1>Server Component, raw HTML</h1>
      <article-embed
        src={SRC}
        signup-endpoint="/api/subscribe"
        dangerouslySetInnerHTML={{ __html: card }}
        suppressHydrationWarning
      />
      <Define />
    </main>
  );
}
