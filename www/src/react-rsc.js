"use client";
// article-embed/react where React Server Components are rendered (the react-server export
// condition): <ArticleEmbed> is a client component, rendered by the framework on the server
// and hydrated in the browser. Elsewhere (Vite, webpack without RSC) the package exports
// react.js itself, where a bundler would only warn that it ignores the directive.
export { ArticleEmbed } from "./react.js";
