// A Server Component, prerendered at build time: <ArticleEmbed> renders the card into the
// page's HTML (readers without script get it too) and the browser takes it over.
import { ArticleEmbed } from "article-embed/react";
import { SRC, story } from "../story";

export default function Page() {
  return (
    <main>
      <h1>Prerendered</h1>
      <ArticleEmbed article={story} src={SRC} signupEndpoint="/api/subscribe" theme="light" />
    </main>
  );
}
