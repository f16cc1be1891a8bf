//! The browser's wasm: what the `<article-embed>` element (and `mount()`) call from
//! JavaScript (www/src). Kept thin: parse, render, dispatch events; every error comes back
//! as a JavaScript `Error` whose message names the field, never as a panic. The card itself
//! is article_embed_card's; `browser` is what it is given of the browser.

mod browser;

use std::rc::Rc;

use article_embed_card::article::{self, Article};
use article_embed_card::components::{Card as CardComponent, CardProps};
use article_embed_card::i18n;
use article_embed_card::options::RawOptions;
use wasm_bindgen::prelude::*;
use web_sys::{CustomEvent, CustomEventInit, Element, EventTarget};
use yew::{AppHandle, Callback, Renderer};

pub use browser::Browser;

/// The card as the browser draws it.
type CardView = CardComponent<Browser>;

/// A smaller allocator than the default (see Cargo.toml).
#[cfg(not(target_feature = "atomics"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Article data read and checked, ready to render on any number of cards.
#[wasm_bindgen]
pub struct ArticleData {
    article: Rc<Article>,
    warnings: Vec<String>,
}

#[wasm_bindgen]
impl ArticleData {
    /// Values that were dropped (such as a `javascript:` URL), with their field paths.
    #[wasm_bindgen(getter)]
    pub fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    /// The story's URL, when it has a usable one.
    #[wasm_bindgen(getter)]
    pub fn url(&self) -> Option<String> {
        self.article.url.clone()
    }

    #[wasm_bindgen(getter)]
    pub fn headline(&self) -> String {
        self.article.headline.clone()
    }
}

/// Reads JSON-LD: its text, or a JavaScript object (written out by `JSON.stringify` and read
/// by the same reader). `base` is the URL the data came from, for relative URLs. Throws an
/// `Error` listing every problem with its field path.
#[wasm_bindgen(js_name = parseArticle)]
pub fn parse_article(data: JsValue, base: Option<String>) -> Result<ArticleData, JsError> {
    let text = match data.as_string() {
        Some(text) => text,
        None => js_sys::JSON::stringify(&data)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or_else(|| JsError::new("(document): not JSON data"))?,
    };
    let (article, warnings) = article::read_text(&text, base.as_deref())
        .map_err(|problems| JsError::new(&problems.join("; ")))?;
    Ok(ArticleData {
        article: Rc::new(article),
        warnings,
    })
}

/// The fingerprint of a card from these data and attributes (`options` as written on the
/// element, camelCase): equal to the one a server-rendered card carries exactly when the
/// server rendered the markup this widget would (see article_embed_card::fingerprint).
#[wasm_bindgen]
pub fn fingerprint(data: &ArticleData, options: JsValue) -> Result<String, JsError> {
    Ok(article_embed_card::fingerprint::fingerprint(
        &data.article,
        &RawOptions::from_js(&options)?,
    ))
}

/// Whether a card of these data and options is in a language whose words this wasm does
/// not hold yet: it holds English only, and www/src/wasm.js fetches the others' file then.
#[wasm_bindgen(js_name = wordsWanted)]
pub fn words_wanted(data: &ArticleData, options: JsValue) -> Result<bool, JsError> {
    let (options, _) = RawOptions::from_js(&options)?.resolve();
    Ok(i18n::missing(options.language(&data.article)))
}

/// Takes one language's table from that file (tools/words.mjs writes it); `false` when
/// the file is not one of this version.
#[wasm_bindgen(js_name = addWords)]
pub fn add_words(tag: &str, phrases: String) -> bool {
    i18n::add_table(tag, phrases)
}

/// The card's stylesheet, for one constructable sheet shared by every card on the page.
#[wasm_bindgen]
pub fn stylesheet() -> String {
    article_embed_card::STYLESHEET.to_owned()
}

/// One card, rendered into `root`; its events are dispatched on `host`.
#[wasm_bindgen]
pub struct Card {
    app: Option<AppHandle<CardView>>,
    root: Element,
    host: EventTarget,
    on_rendered: js_sys::Function,
}

#[wasm_bindgen]
impl Card {
    /// `on_rendered` is called each time a render has reached the DOM.
    #[wasm_bindgen(constructor)]
    pub fn new(root: Element, host: EventTarget, on_rendered: js_sys::Function) -> Card {
        Card {
            app: None,
            root,
            host,
            on_rendered,
        }
    }

    /// Renders (or re-renders) the card. `options` holds the attributes in camelCase
    /// (`signupEndpoint`, `theme`, …). Returns messages about options that were ignored.
    pub fn render(&mut self, data: &ArticleData, options: JsValue) -> Result<Vec<String>, JsError> {
        let (props, ignored) = self.props(data, options)?;
        match &mut self.app {
            Some(app) => app.update(props),
            None => {
                self.app = Some(
                    Renderer::<CardView>::with_root_and_props(self.root.clone(), props).render(),
                );
            }
        }
        Ok(ignored)
    }

    /// Takes over a card the server rendered into `root` (declarative shadow DOM): its nodes
    /// are kept and given their behaviour. Later changes go through `render`.
    pub fn hydrate(
        &mut self,
        data: &ArticleData,
        options: JsValue,
    ) -> Result<Vec<String>, JsError> {
        if self.app.is_some() {
            return self.render(data, options);
        }
        let (props, ignored) = self.props(data, options)?;
        self.app =
            Some(Renderer::<CardView>::with_root_and_props(self.root.clone(), props).hydrate());
        Ok(ignored)
    }

    fn props(
        &self,
        data: &ArticleData,
        options: JsValue,
    ) -> Result<(CardProps, Vec<String>), JsError> {
        let (options, ignored) = RawOptions::from_js(&options)?.resolve();
        let props = CardProps {
            article: Rc::clone(&data.article),
            options: Rc::new(options),
            on_subscribe: subscribe_dispatcher(self.host.clone()),
            on_rendered: {
                let f = self.on_rendered.clone();
                Callback::from(move |()| {
                    let _ = f.call0(&JsValue::NULL);
                })
            },
        };
        Ok((props, ignored))
    }

    /// Removes the card and its listeners; `render` may mount it again.
    pub fn destroy(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
    }
}

/// Dispatches `article-embed:subscribe` with `detail: { status }`.
fn subscribe_dispatcher(host: EventTarget) -> Callback<&'static str> {
    Callback::from(move |status: &'static str| {
        let detail = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&detail, &"status".into(), &status.into());
        let _ = dispatch(&host, "article-embed:subscribe", &detail);
    })
}

/// Events leave the shadow root and bubble, as SPEC section 2 promises.
fn dispatch(target: &EventTarget, name: &str, detail: &JsValue) -> Result<bool, JsValue> {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    let event = CustomEvent::new_with_event_init_dict(name, &init)?;
    target.dispatch_event(&event)
}
