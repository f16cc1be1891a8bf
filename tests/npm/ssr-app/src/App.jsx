import { ArticleEmbed } from "article-embed/react";
import { useState } from "react";

/** Where the browser loads the story from, and where signups go. */
export const CARD = { src: "/story.json", signupEndpoint: "/api/subscribe" };

export function App({ story }) {
  const [ready, setReady] = useState(null);
  const [signup, setSignup] = useState(null);
  const [theme, setTheme] = useState("light");
  return (
    <main>
      <h1>React 19</h1>
      <p id="ready">{ready ? `ready: ${ready.url}` : "waiting"}</p>
      <p id="signup">{signup ?? "no signup yet"}</p>
      <button id="dark" type="button" onClick={() => setTheme("dark")}>
        Dark card
      </button>
      <ArticleEmbed
        article={story}
        src={CARD.src}
        signupEndpoint={CARD.signupEndpoint}
        theme={theme}
        onReady={setReady}
        onSubscribe={(detail) => setSignup(detail.status)}
      />
    </main>
  );
}
