//! In-browser tests of the card (wasm-bindgen-test in headless Chromium): the DOM it draws,
//! the events it dispatches, and two instances side by side. They go through the same
//! exported functions the `<article-embed>` element calls.
#![cfg(target_arch = "wasm32")]

use article_embed_web::{parse_article, ArticleData, Card};
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

const FIXTURE: &str = include_str!("../../../articles/myanmar-diplomat.json");
const BASE: &str = "https://news.example/articles/myanmar-diplomat.json";

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

fn data(json: &str) -> Result<ArticleData, JsValue> {
    let value = js_sys::JSON::parse(json).expect("test JSON parses");
    parse_article(value, Some(BASE.into())).map_err(JsValue::from)
}

fn options(pairs: &[(&str, &str)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        js_sys::Reflect::set(&o, &(*k).into(), &(*v).into()).expect("set option");
    }
    o.into()
}

async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("setTimeout");
    });
    let _ = JsFuture::from(promise).await;
}

/// Polls until `check` holds (Yew renders asynchronously, requests take time).
async fn until(what: &str, check: impl FnMut() -> bool) {
    until_within(what, 5_000, check).await
}

async fn until_within(what: &str, ms: u32, mut check: impl FnMut() -> bool) {
    for _ in 0..ms / 10 {
        if check() {
            return;
        }
        sleep(10).await;
    }
    panic!("timed out waiting for {what}");
}

struct Mounted {
    host: HtmlElement,
    root: Element,
    card: Card,
}

impl Mounted {
    fn part(&self, name: &str) -> Option<Element> {
        self.root
            .query_selector(&format!("[part~='{name}']"))
            .expect("valid selector")
    }
    fn text(&self, name: &str) -> String {
        self.part(name)
            .and_then(|e| e.text_content())
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.card.destroy();
        self.host.remove();
    }
}

/// A host element with an open shadow root, as the custom element makes.
async fn mount(json: &str, opts: JsValue) -> Mounted {
    let doc = document();
    let host: HtmlElement = doc.create_element("div").expect("div").unchecked_into();
    // At the top: the runner's log grows below, and lazy images off screen never load.
    doc.body()
        .expect("body")
        .prepend_with_node_1(&host)
        .expect("prepend");
    let shadow = host
        .attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))
        .expect("shadow root");
    // The same sheet the element adopts.
    let sheet = web_sys::CssStyleSheet::new().expect("sheet");
    sheet
        .replace_sync(article_embed_card::STYLESHEET)
        .expect("the stylesheet parses");
    js_sys::Reflect::set(
        &shadow,
        &"adoptedStyleSheets".into(),
        &js_sys::Array::of1(&sheet),
    )
    .expect("adopt");
    let root = doc.create_element("div").expect("div");
    shadow.append_child(&root).expect("append root");
    let mut card = Card::new(root.clone(), host.clone().into(), Function::new_no_args(""));
    card.render(&data(json).expect("fixture parses"), opts)
        .expect("renders");
    let m = Mounted { host, root, card };
    until("the card to render", || m.part("card").is_some()).await;
    m
}

#[wasm_bindgen_test]
async fn draws_every_part_of_the_seed_story() {
    let m = mount(
        FIXTURE,
        options(&[("signupEndpoint", "https://news.example/api")]),
    )
    .await;
    assert_eq!(
        m.text("headline"),
        "Diplomat at Myanmar Embassy in TLV resigns following Junta's crackdown"
    );
    assert_eq!(m.part("headline").map(|h| h.tag_name()), Some("H2".into()));
    assert_eq!(m.part("card").map(|c| c.tag_name()), Some("ARTICLE".into()));
    assert!(m.text("standfirst").starts_with("Kaung Htet noted"));
    assert!(m.text("byline").contains("By Jerusalem Post Staff"));
    let date = m.part("date").expect("date");
    assert_eq!(date.tag_name(), "TIME");
    assert_eq!(
        date.get_attribute("datetime").as_deref(),
        Some("2021-03-06T14:31:00+02:00")
    );
    assert_eq!(m.text("date"), "March 6, 2021");

    let photo = m.part("photo").expect("photo");
    assert_eq!(photo.tag_name(), "FIGURE");
    let img = m.part("image").expect("image");
    assert_eq!(
        img.get_attribute("src").as_deref(),
        Some("https://news.example/articles/myanmar-funeral.svg")
    );
    assert!(img
        .get_attribute("alt")
        .is_some_and(|a| a.starts_with("People flash a three-finger salute")));
    for (attr, want) in [
        ("width", "1200"),
        ("height", "675"),
        ("loading", "lazy"),
        ("decoding", "async"),
    ] {
        assert_eq!(img.get_attribute(attr).as_deref(), Some(want), "{attr}");
    }
    assert_eq!(
        m.part("caption").map(|c| c.tag_name()),
        Some("FIGCAPTION".into())
    );
    assert!(m
        .text("caption")
        .contains("Yangon, Myanmar, March 5, 2021."));
    assert_eq!(m.text("credit"), "STRINGER/ REUTERS");

    assert!(m
        .text("excerpt")
        .starts_with("Second Secretary at the Myanmar Embassy"));
    assert_eq!(
        m.text("contributors"),
        "Idan Zonshine and Reuters contributed to this report."
    );
    let link = m.part("link").expect("link");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("https://news.example/international/myanmar-diplomat-tlv-resigns")
    );
    assert!(m.text("link").starts_with("Read the full story"));

    // The signup form: a real label tied to the field.
    let email = m.part("email").expect("email field");
    let id = email.id();
    let label = m
        .root
        .query_selector(&format!("label[for='{id}']"))
        .expect("selector")
        .expect("a label for the email field");
    assert_eq!(label.text_content().as_deref(), Some("Email address"));
    assert_eq!(email.get_attribute("type").as_deref(), Some("email"));
    assert!(m
        .text("signup")
        .contains("Subscribe to The Jerusalem Post Newsletter"));
    assert_eq!(
        m.part("submit").map(|b| b.tag_name()),
        Some("BUTTON".into())
    );
    assert!(m.part("consent").is_some());
    assert!(m.part("status").is_some());
}

#[wasm_bindgen_test]
async fn markup_in_the_data_stays_text() {
    let doc = r#"{"@type":"NewsArticle","headline":"<img src=x onerror=alert(1)><b>bold</b>",
        "author":"<script>alert(2)</script>","url":"javascript:alert(3)",
        "image":{"url":"p.jpg","caption":"<i>caption</i>"}}"#;
    let m = mount(doc, JsValue::UNDEFINED).await;
    assert_eq!(
        m.text("headline"),
        "<img src=x onerror=alert(1)><b>bold</b>"
    );
    let injected = m
        .root
        .query_selector_all("b, i, script, img:not([part='image']), [onerror]")
        .expect("selector");
    assert_eq!(injected.length(), 0, "markup became elements");
    assert!(m.part("link").is_none(), "a javascript: URL became a link");
    assert_eq!(m.text("caption"), "<i>caption</i>");
}

#[wasm_bindgen_test]
fn bad_data_is_an_error_naming_the_field() {
    let err = data(r#"{"@type":"NewsArticle","headline":"","image":[{"url":42}]}"#)
        .err()
        .expect("bad data is refused");
    let message = err
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .expect("an Error");
    assert_eq!(
        message,
        "headline: empty (required); image[0].url: expected text, found a number"
    );
    let err = data("[1,2]").err().expect("refused");
    let message = String::from(err.unchecked_into::<js_sys::Error>().message());
    assert!(
        message.starts_with("(document): no NewsArticle"),
        "{message}"
    );
}

#[wasm_bindgen_test]
async fn options_re_render_the_card() {
    let mut m = mount(FIXTURE, JsValue::UNDEFINED).await;
    assert!(m.part("signup").is_none(), "no endpoint, no form");
    assert!(m.part("excerpt").is_some());
    let article = data(FIXTURE).expect("parses");
    m.card
        .render(
            &article,
            options(&[
                ("layout", "compact"),
                ("theme", "dark"),
                ("signupEndpoint", "https://news.example/api"),
                ("newsletter", "Morning Brief"),
            ]),
        )
        .expect("renders");
    until("the compact layout", || m.part("excerpt").is_none()).await;
    let card = m.part("card").expect("card");
    assert!(card.class_list().contains("layout-compact"));
    assert!(card.class_list().contains("theme-dark"));
    assert!(m.part("standfirst").is_none() && m.part("contributors").is_none());
    assert!(m.part("headline").is_some() && m.part("photo").is_some());
    assert!(m.text("signup").contains("Subscribe to Morning Brief"));
}

/// The file www/src/wasm.js fetches for a card in another language than English.
const WORDS: &str = include_str!("../../../www/src/words.json");

#[wasm_bindgen_test]
async fn the_other_languages_words_come_from_their_file() {
    use article_embed_web::{add_words, words_wanted};
    let article = data(FIXTURE).expect("parses");
    let wanted = |pairs: &[(&str, &str)]| {
        words_wanted(&article, options(pairs))
            .map_err(JsValue::from)
            .expect("options read")
    };
    let french = [
        ("lang", "fr-CA"),
        ("signupEndpoint", "https://news.example/api"),
    ];
    assert!(!wanted(&[("lang", "en-GB")]), "English is in the wasm");
    assert!(
        !wanted(&[("lang", "fa")]),
        "no Persian table: English, nothing to fetch"
    );
    assert!(wanted(&french));
    let tables = js_sys::JSON::parse(WORDS).expect("the file is JSON");
    let phrases = |tag: &str| -> js_sys::Array {
        js_sys::Reflect::get(&tables, &tag.into())
            .expect("a table")
            .unchecked_into()
    };
    let joined = |list: &js_sys::Array| String::from(list.join("\u{1f}"));
    let fr = phrases("fr");
    // A table of another version (a phrase short) or of no language: refused, nothing taken.
    assert!(!add_words("fr", joined(&fr.slice(1, fr.length()))));
    assert!(!add_words("xx", joined(&fr)));
    assert!(wanted(&french));
    assert!(add_words("fr", joined(&fr)));
    assert!(!wanted(&french), "taken");
    let m = mount(FIXTURE, options(&french)).await;
    assert_eq!(m.text("submit"), "S’abonner");
    assert!(m.text("link").starts_with("Lire l’article complet"));
    assert_eq!(m.text("date"), "6 mars 2021");
}

#[wasm_bindgen_test]
async fn a_photo_that_fails_leaves_a_placeholder_of_the_same_size() {
    let doc = r#"{"headline":"H","image":{"url":"/no-such-photo.jpg","width":800,"height":450,"caption":"C"}}"#;
    let m = mount(doc, JsValue::UNDEFINED).await;
    // Lazy images load only near the viewport; other tests' cards may be on the page too.
    if let Some(img) = m.part("image") {
        img.scroll_into_view();
    }
    until("the placeholder", || {
        m.root
            .query_selector(".placeholder")
            .ok()
            .flatten()
            .is_some()
    })
    .await;
    let frame: HtmlElement = m
        .root
        .query_selector(".frame")
        .expect("selector")
        .expect("frame")
        .unchecked_into();
    let width = f64::from(frame.offset_width());
    let height = f64::from(frame.offset_height());
    assert!(width > 0.0);
    assert!(
        (width / height - 800.0 / 450.0).abs() < 0.05,
        "{width}x{height}"
    );
    assert_eq!(m.text("caption"), "C");
}

/// Types an address and submits, as a reader would.
fn type_and_submit(m: &Mounted, email: &str) {
    let input: HtmlInputElement = m.part("email").expect("email").unchecked_into();
    input.set_value(email);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("input", &init).expect("event");
    input.dispatch_event(&event).expect("dispatch input");
    let button: HtmlElement = m.part("submit").expect("submit").unchecked_into();
    button.click();
}

#[wasm_bindgen_test]
async fn an_invalid_address_is_explained_beside_the_field_and_nothing_is_sent() {
    let m = mount(
        FIXTURE,
        options(&[("signupEndpoint", "http://127.0.0.1:9/")]),
    )
    .await;
    let events = record_events(&m.host, "article-embed:subscribe");
    let requests = spy_fetch();
    type_and_submit(&m, "reader@example");
    let email = m.part("email").expect("email");
    until("the error", || {
        m.text("status").contains("like name@example.org")
    })
    .await;
    assert_eq!(email.get_attribute("aria-invalid").as_deref(), Some("true"));
    let status_id = m.part("status").map(|s| s.id()).expect("status id");
    assert_eq!(email.get_attribute("aria-describedby"), Some(status_id));
    // Had it been sent, the request would leave within the one-second hold that follows a
    // card's appearance: watch for longer than that.
    sleep(1_500).await;
    assert_eq!(requests.length(), 0, "nothing was sent");
    assert_eq!(events.length(), 0, "no submission, no event");
}

#[wasm_bindgen(inline_js = "export function spy_fetch() {
  const seen = [];
  const real = window.fetch;
  window.fetch = (input, init) => {
    seen.push(String(input instanceof Request ? input.url : input));
    return real(input, init);
  };
  return seen;
}")]
extern "C" {
    /// Records the URL of every `fetch` from now on (and still lets it through).
    fn spy_fetch() -> js_sys::Array;
}

/// Collects the `detail.status` of each event of `name` on `target`. An event that would
/// not leave the shadow root is recorded as such (an assertion inside the listener would
/// report to the window, not to the test).
fn record_events(target: &HtmlElement, name: &str) -> js_sys::Array {
    let seen = js_sys::Array::new();
    let sink = seen.clone();
    let listener =
        Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
            let status = js_sys::Reflect::get(&e.detail(), &"status".into()).unwrap_or_default();
            if e.bubbles() && e.composed() {
                sink.push(&status);
            } else {
                sink.push(&JsValue::from_str(
                    "(an event that does not leave the shadow root)",
                ));
            }
        });
    target
        .add_event_listener_with_callback(name, listener.as_ref().unchecked_ref())
        .expect("listen");
    listener.forget();
    seen
}

#[wasm_bindgen_test]
async fn no_answer_is_retried_then_queued_with_the_email_kept() {
    // Nothing listens on port 9: every attempt fails at the network level.
    let endpoint = "http://127.0.0.1:9/";
    let m = mount(FIXTURE, options(&[("signupEndpoint", endpoint)])).await;
    let events = record_events(&m.host, "article-embed:subscribe");
    type_and_submit(&m, "reader@example.org");
    until("the retry", || m.text("status").contains("Trying again")).await;
    let input: HtmlInputElement = m.part("email").expect("email").unchecked_into();
    assert_eq!(
        input.value(),
        "reader@example.org",
        "the typed email is kept"
    );
    // Three retries with backoff (at most 1 + 2 + 4 s), then the outbox.
    until_within("the queued event", 10_000, || events.length() == 1).await;
    assert_eq!(events.get(0).as_string().as_deref(), Some("queued"));
    assert!(m.text("status").contains("saved on this device"));
    let storage = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("localStorage");
    let key = article_embed_card::outbox::storage_key(endpoint);
    let saved = storage.get_item(&key).ok().flatten().unwrap_or_default();
    assert!(saved.contains("reader@example.org"), "{saved}");
    storage.remove_item(&key).expect("clean up");
}

#[wasm_bindgen_test]
async fn two_cards_on_one_page_are_independent() {
    let a = mount(
        FIXTURE,
        options(&[("signupEndpoint", "http://127.0.0.1:9/")]),
    )
    .await;
    let b = mount(
        r#"{"headline":"Second card"}"#,
        options(&[("signupEndpoint", "http://127.0.0.1:9/")]),
    )
    .await;
    assert_eq!(b.text("headline"), "Second card");
    let (ea, eb) = (a.part("email").expect("a"), b.part("email").expect("b"));
    // Ids are looked up in each card's own shadow root: the same ids, each label its field.
    for (card, field) in [(&a, &ea), (&b, &eb)] {
        let root = card.root.get_root_node();
        let root: &web_sys::ShadowRoot = root.unchecked_ref();
        assert!(root
            .get_element_by_id(&field.id())
            .is_some_and(|found| &found == field));
    }
    type_and_submit(&a, "not-an-address");
    until("card a's error", || {
        a.text("status").contains("name@example.org")
    })
    .await;
    assert_eq!(b.text("status"), "", "card b is untouched");
    assert_eq!(eb.get_attribute("aria-invalid").as_deref(), Some("false"));
}
