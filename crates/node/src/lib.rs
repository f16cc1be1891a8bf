//! The wasm of `article-embed/server` (the npm package's server renderer): the snippet
//! rendered in Node by the very code of `article-embed snippet` — the same components,
//! the same reader, the same date tables — so the markup is the same byte for byte.

use std::future::Future;
use std::task::{Context, Poll, Waker};

use wasm_bindgen::prelude::*;

use article_embed_card::options::{js_text, RawOptions};
use article_embed_card::ssr;

/// A rendered snippet, and the values its data had dropped (with their field paths).
#[wasm_bindgen]
pub struct Rendered {
    html: String,
    warnings: Vec<String>,
}

#[wasm_bindgen]
impl Rendered {
    #[wasm_bindgen(getter)]
    pub fn html(&self) -> String {
        self.html.clone()
    }

    #[wasm_bindgen(getter)]
    pub fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }
}

/// Renders `<article-embed>` with its card in a declarative shadow root from the article's
/// JSON-LD text. `options`: the element's attributes in camelCase, `src` (where the element
/// will load the data from; without it, the data goes inline), `baseUrl` (what relative URLs
/// of inline data resolve against) and `script` (a script tag to add). Throws an `Error`
/// listing every problem of the data with its field path.
///
/// Synchronous on purpose: were it a Promise, the render would run in a microtask of
/// wasm-bindgen's, where a trap is nobody's to catch — Node would exit on it. Called
/// directly, a trap is an exception of this call, and the caller can start afresh.
#[wasm_bindgen(js_name = renderSnippet)]
pub fn render_snippet(text: String, options: JsValue) -> Result<Rendered, JsError> {
    let attributes = RawOptions::from_js(&options)?;
    let src = js_text(&options, "src")?;
    // Inline data only: with a src, the data's URLs resolve against it.
    let base = match src {
        Some(_) => None,
        None => js_text(&options, "baseUrl")?,
    };
    let script = js_text(&options, "script")?.map(ssr::Script::from);
    let (article, snippet, warnings) = ssr::read(&text, src, base, attributes, script)
        .map_err(|problems| JsError::new(&problems.join("; ")))?;
    let html = finish(ssr::snippet(article, &snippet))
        .ok_or_else(|| JsError::new("the render did not complete"))?;
    Ok(Rendered { html, warnings })
}

/// Runs a render to its end here and now. With Yew's scheduler synchronous (the
/// `not_browser_env` feature) nothing in it waits for anything outside it; should that ever
/// change, the render reports that it did not complete rather than spin.
fn finish<F: Future>(render: F) -> Option<F::Output> {
    let mut render = std::pin::pin!(render);
    let mut cx = Context::from_waker(Waker::noop());
    (0..64).find_map(|_| match render.as_mut().poll(&mut cx) {
        Poll::Ready(html) => Some(html),
        Poll::Pending => None,
    })
}
