//! What the card needs of the browser (article_embed_card::platform): time, randomness,
//! timers, the network, storage, the `online` event.

use std::cell::RefCell;
use std::future::Future;

use article_embed_card::json::Json;
use article_embed_card::outbox::{self, Entry};
use article_embed_card::platform::Platform;
use article_embed_card::signup::{
    parse_retry_after, Input, SignupReply, SignupRequest, TIMEOUT_MS,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The browser, for the card's components.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Browser;

pub fn is_offline() -> bool {
    web_sys::window().is_some_and(|w| !w.navigator().on_line())
}

fn storage() -> Option<web_sys::Storage> {
    // Throws in some privacy modes and sandboxed frames: then there is no outbox.
    web_sys::window()?.local_storage().ok().flatten()
}

impl Platform for Browser {
    type Listener = gloo_events::EventListener;

    fn spawn(f: impl Future<Output = ()> + 'static) {
        wasm_bindgen_futures::spawn_local(f);
    }

    async fn sleep(ms: u32) {
        gloo_timers::future::TimeoutFuture::new(ms).await;
    }

    fn now_ms() -> f64 {
        js_sys::Date::now()
    }

    fn random() -> f64 {
        js_sys::Math::random()
    }

    /// Random enough to tell submissions apart; not a secret.
    fn idempotency_key() -> String {
        let part = || (Self::random() * 4_294_967_296.0) as u32;
        format!("{:08x}{:08x}{:08x}{:08x}", part(), part(), part(), part())
    }

    fn prepare(endpoint: &str) {
        let _ = prove(endpoint, 0);
    }

    /// POSTs one submission, with proof of work where the server asks for it, and reports
    /// what came back; never panics, never throws.
    async fn post(endpoint: &str, key: &str, request: &SignupRequest) -> Input {
        let answer = send(endpoint, key, request, solution(endpoint, 1).await).await;
        // The solution was refused (expired while the signup waited in the outbox, spent
        // by a retry) or wanted and missing: solve afresh, once.
        if let Input::Answered {
            status: 403,
            reply: Some(reply),
            ..
        } = &answer
        {
            if reply
                .error
                .as_deref()
                .is_some_and(|e| e.starts_with("proof_"))
            {
                if let Some(altcha) = solution(endpoint, 2).await {
                    return send(endpoint, key, request, Some(altcha)).await;
                }
            }
        }
        answer
    }

    fn outbox_load(endpoint: &str) -> Vec<Entry> {
        storage()
            .and_then(|s| s.get_item(&outbox::storage_key(endpoint)).ok().flatten())
            .map(|text| outbox::from_text(&text))
            .unwrap_or_default()
    }

    /// Returns false when the browser would not keep it (no storage, quota).
    fn outbox_save(endpoint: &str, entries: &[Entry]) -> bool {
        let Some(storage) = storage() else {
            return false;
        };
        let key = outbox::storage_key(endpoint);
        if entries.is_empty() {
            return storage.remove_item(&key).is_ok();
        }
        storage.set_item(&key, &outbox::to_text(entries)).is_ok()
    }

    /// Calls `f` on every `online` event until the returned guard is dropped.
    fn on_online(f: impl Fn() + 'static) -> Option<gloo_events::EventListener> {
        let window = web_sys::window()?;
        Some(gloo_events::EventListener::new(
            &window,
            "online",
            move |_| f(),
        ))
    }
}

thread_local! {
    /// `prove(endpoint, take)` of www/src/proof.js, given by the page's script at start.
    static PROVER: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// Takes the script's proof-of-work solver (www/src/proof.js): the solving is JavaScript
/// around Web Crypto, a few hundred bytes there against 3 KB (brotli) of bindings and
/// futures here.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn prover(prove: js_sys::Function) {
    PROVER.with(|p| *p.borrow_mut() = Some(prove));
}

/// Asks the solver for `endpoint`'s solution; `mode` 0: start it ahead, 1: take it for a
/// signup, 2: the server refused one for want of it (www/src/proof.js).
fn prove(endpoint: &str, mode: u32) -> Option<wasm_bindgen::JsValue> {
    PROVER.with(|p| {
        p.borrow()
            .as_ref()?
            .call2(&wasm_bindgen::JsValue::NULL, &endpoint.into(), &mode.into())
            .ok()
    })
}

/// The solution for one signup to `endpoint` (`mode` as [`prove`]'s), when its server asks
/// for proof of work.
async fn solution(endpoint: &str, mode: u32) -> Option<String> {
    let promise = js_sys::Promise::resolve(&prove(endpoint, mode)?);
    JsFuture::from(promise).await.ok()?.as_string()
}

/// One POST of a submission; `altcha`, a solved challenge, goes with it.
async fn send(endpoint: &str, key: &str, request: &SignupRequest, altcha: Option<String>) -> Input {
    let no_answer = || Input::NoAnswer {
        offline: is_offline(),
    };
    let Some(window) = web_sys::window() else {
        return no_answer();
    };
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    let mut body = request.to_json();
    if let (Some(altcha), Json::Object(fields)) = (altcha, &mut body) {
        fields.push(("altcha".into(), Json::String(altcha)));
    }
    init.set_body(&body.to_text().into());
    if let Ok(headers) = web_sys::Headers::new() {
        let _ = headers.set("Content-Type", "application/json");
        let _ = headers.set("Accept", "application/json");
        let _ = headers.set("Idempotency-Key", key);
        init.set_headers(&headers);
    }
    // A request with no answer in time is aborted and counts as no answer.
    let controller = web_sys::AbortController::new().ok();
    if let Some(c) = &controller {
        init.set_signal(Some(&c.signal()));
    }
    let _timeout =
        controller.map(|c| gloo_timers::callback::Timeout::new(TIMEOUT_MS, move || c.abort()));
    let Ok(request) = web_sys::Request::new_with_str_and_init(endpoint, &init) else {
        return no_answer();
    };
    let Ok(response) = JsFuture::from(window.fetch_with_request(&request)).await else {
        return no_answer();
    };
    let Ok(response) = response.dyn_into::<web_sys::Response>() else {
        return no_answer();
    };
    let retry_after = parse_retry_after(
        response
            .headers()
            .get("Retry-After")
            .ok()
            .flatten()
            .as_deref(),
    );
    let reply = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|v| v.as_string())
            .and_then(|body| SignupReply::from_text(&body)),
        Err(_) => None,
    };
    Input::Answered {
        status: response.status(),
        reply,
        retry_after,
    }
}
