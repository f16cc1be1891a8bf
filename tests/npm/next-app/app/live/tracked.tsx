"use client";
// <ArticleEmbed> with the data inline (no src) and its events in React state.
import { ArticleEmbed } from "article-embed/react";
import type { ArticleDocument } from "article-embed";
import { useState } from "react";

export function Tracked({ article }: { article: ArticleDocument }) {
  const [ready, setReady] = useState<string | null>(null);
  const [signup, setSignup] = useState<string | null>(null);
  const [theme, setTheme] = useState<"light" | "dark">("light");
  return (
    <>
      <p id="ready">{ready ?? "waiting"}</p>
      <p id="signup">{signup ?? "no signup yet"}</p>
      <button id="dark" type="button" onClick={() => setTheme("dark")}>
        Dark card
      </button>
      <ArticleEmbed
        article={article}
        baseUrl="/"
        signupEndpoint="/api/subscribe"
        theme={theme}
        onReady={(detail) => setReady(`ready: ${detail.url}`)}
        onSubscribe={(detail) => setSignup(detail.status)}
        onError={(detail) => setReady(`error: ${detail.message}`)}
      />
    </>
  );
}
