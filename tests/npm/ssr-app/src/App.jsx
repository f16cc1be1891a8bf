import { useState } from "react";
import { ArticleEmbed } from "./ArticleEmbed.jsx";

/** The card's attributes: the same on the server (renderInnerHTML) and in the JSX. */
export const CARD = { src: "/story.json", theme: "light", signupEndpoint: "/api/subscribe" };

export function App({ card }) {
  const [ready, setReady] = useState(null);
  const [signup, setSignup] = useState(null);
  const [theme, setTheme] = useState(CARD.theme);
  return (
    <main>
      <h1>React 19</h1>
      <p id="ready">{ready ? `ready: ${ready.url}` : "waiting"}</p>
      <p id="signup">{signup ?? "no signup yet"}</p>
      <button id="dark" type="button" onClick={() => setTheme("dark")}>
        Dark card
      </button>
      <ArticleEmbed
        card={card}
        src={CARD.src}
        theme={theme}
        signup-endpoint={CARD.signupEndpoint}
        onReady={setReady}
        onSubscribe={(detail) => setSignup(detail.status)}
      />
    </main>
  );
}
