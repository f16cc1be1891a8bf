// Two pages: plain Vite SSR (index.html) and React 19 (react.html). JSX by esbuild, with
// React's automatic runtime: no plugin needed.
export default {
  esbuild: { jsx: "automatic" },
  build: {
    rollupOptions: { input: { plain: "index.html", react: "react.html" } },
  },
};
