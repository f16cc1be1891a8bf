"use client";
// A client component: the element defined in an effect, the data from src.
import { define } from "article-embed";
import type {} from "article-embed/react"; // <article-embed> in JSX
import { useEffect } from "react";

export function Card() {
  useEffect(() => define(), []);
  return (
    <article-embed src="/story.json" signup-endpoint="/api/subscribe" theme="light">
      <a href="https://news.example/international/myanmar-diplomat-tlv-resigns">Read the story</a>
    </article-embed>
  );
}
