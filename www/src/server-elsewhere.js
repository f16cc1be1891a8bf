// article-embed/server where it cannot render (server-stub.js, server-edge.js): the import
// works, so shared code can name it, and every function says where the renderer runs.
// None of the server's wasm comes along.

/** The four functions of article-embed/server, each failing with `message`. */
export function elsewhere(message) {
  const error = () => Object.assign(new Error(`article-embed: ${message}`), { elsewhere: true });
  return {
    renderToString: () => Promise.reject(error()),
    renderInnerHTML: () => Promise.reject(error()),
    renderToStringSync() {
      throw error();
    },
    renderInnerHTMLSync() {
      throw error();
    },
  };
}
