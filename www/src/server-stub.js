// article-embed/server where there is no Node (a browser bundle, an edge runtime): the
// import works, so shared code can name it; rendering says where it runs. None of the
// server's wasm comes along.
function elsewhere() {
  return Promise.reject(
    new Error('article-embed: article-embed/server renders on a Node server; in the browser, use define() or mount() from "article-embed"'),
  );
}

export const renderToString = elsewhere;
export const renderInnerHTML = elsewhere;
