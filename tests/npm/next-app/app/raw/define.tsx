"use client";
// Defines <article-embed> once the page is in the browser: it then takes the card over.
import { define } from "article-embed";
import { useEffect } from "react";

export function Define() {
  useEffect(() => define(), []);
  return null;
}
