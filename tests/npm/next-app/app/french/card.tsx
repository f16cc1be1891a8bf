"use client";
// A card in another language than English: its words are the package's src/words.json,
// which the bundler copies (as it does the wasm) and the card fetches before drawing.
import { define } from "article-embed";
import type {} from "article-embed/react"; // <article-embed> in JSX
import { useEffect } from "react";

export function Card() {
  useEffect(() => define(), []);
  return (
    <article-embed src="/story.json" lang="fr" theme="light">
      <a href="https://news.example/international/myanmar-diplomat-tlv-resigns">Lire l’article</a>
    </article-embed>
  );
}
