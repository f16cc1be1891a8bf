//! The newsletter signup form: a labelled email field, a consent box, one request per
//! submission, and the outcome in words. What the reader typed is never cleared by a
//! failure.

use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::email::{self, EmailProblem};
use crate::i18n::{self, Words};
use crate::signup::{Outcome, SignupRequest};

#[derive(Properties, PartialEq, Clone)]
pub struct SignupProps {
    pub endpoint: AttrValue,
    pub newsletter: AttrValue,
    pub privacy_url: Option<AttrValue>,
    pub consent_required: bool,
    pub article_url: Option<String>,
    pub page: Option<String>,
    pub lang: AttrValue,
    pub words: &'static Words,
    pub on_subscribe: Callback<&'static str>,
}

#[derive(Debug, Clone, PartialEq)]
enum Status {
    Idle,
    /// A problem the reader can fix before anything is sent.
    Invalid(&'static str),
    ConsentMissing,
    Sending,
    Done(Outcome),
}

/// Ids tie labels and messages to fields; they must be unique on the page, and several
/// cards may share one document.
static NEXT_ID: AtomicU32 = AtomicU32::new(0);

#[component]
pub fn Signup(props: &SignupProps) -> Html {
    let words = props.words;
    let id = *use_state(|| NEXT_ID.fetch_add(1, Ordering::Relaxed));
    let email_id = format!("article-embed-{id}-email");
    let status_id = format!("article-embed-{id}-status");
    let title_id = format!("article-embed-{id}-title");

    let email = use_state(String::new);
    let consent = use_state(|| false);
    let status = use_state(|| Status::Idle);
    // Set synchronously on submit: a second Enter or click arrives before the re-render
    // that would show the button as busy.
    let in_flight = use_mut_ref(|| false);
    let input_ref = use_node_ref();

    let oninput = {
        let email = email.clone();
        let status = status.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            email.set(input.value());
            if matches!(
                *status,
                Status::Invalid(_) | Status::Done(Outcome::Rejected(_))
            ) {
                status.set(Status::Idle);
            }
        })
    };
    let onconsent = {
        let consent = consent.clone();
        let status = status.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            consent.set(input.checked());
            if *status == Status::ConsentMissing {
                status.set(Status::Idle);
            }
        })
    };

    let onsubmit = {
        let props = props.clone();
        let email = email.clone();
        let consent = consent.clone();
        let status = status.clone();
        let in_flight = in_flight.clone();
        let input_ref = input_ref.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *in_flight.borrow() {
                return;
            }
            let address = match email::validate(&email) {
                Ok(address) => address.to_owned(),
                Err(problem) => {
                    status.set(Status::Invalid(match problem {
                        EmailProblem::Missing => words.email_missing,
                        EmailProblem::Invalid => words.email_invalid,
                    }));
                    if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                        let _ = input.focus();
                    }
                    return;
                }
            };
            if props.consent_required && !*consent {
                status.set(Status::ConsentMissing);
                return;
            }
            *in_flight.borrow_mut() = true;
            status.set(Status::Sending);
            let request = SignupRequest {
                email: address,
                newsletter: props.newsletter.to_string(),
                consent: *consent,
                article: props.article_url.clone(),
                page: props.page.clone(),
                locale: props.lang.to_string(),
            };
            let endpoint = props.endpoint.clone();
            let on_subscribe = props.on_subscribe.clone();
            let status = status.clone();
            let in_flight = Rc::clone(&in_flight);
            spawn(async move {
                let outcome = send(&endpoint, &request).await;
                *in_flight.borrow_mut() = false;
                on_subscribe.emit(outcome.event_status());
                status.set(Status::Done(outcome));
            });
        })
    };

    let sending = *status == Status::Sending;
    let (message, is_error) = match &*status {
        Status::Idle => (None, false),
        Status::Invalid(m) => (Some((*m).to_owned()), true),
        Status::ConsentMissing => (Some(words.consent_missing.to_owned()), true),
        Status::Sending => (Some(words.sending.to_owned()), false),
        Status::Done(outcome) => (Some(outcome_message(outcome, words)), !outcome.is_success()),
    };
    let email_invalid = matches!(
        &*status,
        Status::Invalid(_) | Status::Done(Outcome::Rejected(_))
    );
    let success = matches!(&*status, Status::Done(o) if o.is_success());

    html! {
        <form
            part="signup"
            class="signup"
            method="post"
            action={props.endpoint.clone()}
            novalidate=true
            aria-labelledby={title_id.clone()}
            {onsubmit}
        >
            <h3 id={title_id} class="signup-title">
                { i18n::fill(words.subscribe_to, &props.newsletter) }
            </h3>
            <p class="signup-hint">{ words.email_hint }</p>
            <div class="signup-field">
                <label for={email_id.clone()} class="email-label">{ words.email_label }</label>
                <input
                    ref={input_ref}
                    part="email"
                    id={email_id}
                    class="email"
                    type="email"
                    name="email"
                    autocomplete="email"
                    inputmode="email"
                    spellcheck="false"
                    required=true
                    placeholder={words.email_placeholder}
                    value={(*email).clone()}
                    aria-invalid={if email_invalid { "true" } else { "false" }}
                    aria-describedby={status_id.clone()}
                    {oninput}
                />
            </div>
            <div class="signup-actions">
                <label class="consent-label">
                    <input
                        part="consent"
                        type="checkbox"
                        name="consent"
                        value="true"
                        checked={*consent}
                        required={props.consent_required}
                        onchange={onconsent}
                    />
                    <span>
                        { words.consent }
                        if let Some(url) = &props.privacy_url {
                            { " " }
                            <a href={url.clone()} target="_blank" rel="noopener">{ words.privacy_policy }</a>
                        }
                    </span>
                </label>
                <button
                    part="submit"
                    class="submit"
                    type="submit"
                    aria-disabled={if sending { "true" } else { "false" }}
                >
                    { if sending { words.sending } else { words.subscribe } }
                </button>
            </div>
            <p
                part="status"
                id={status_id}
                class={classes!("status", is_error.then_some("error"), success.then_some("success"))}
                role="status"
                aria-live="polite"
            >
                { message.unwrap_or_default() }
            </p>
        </form>
    }
}

fn outcome_message(outcome: &Outcome, words: &Words) -> String {
    match outcome {
        Outcome::Subscribed => words.subscribed.to_owned(),
        Outcome::Pending => words.pending.to_owned(),
        Outcome::AlreadySubscribed => words.already_subscribed.to_owned(),
        Outcome::Rejected(Some(message)) => message.clone(),
        Outcome::Rejected(None) => words.email_invalid.to_owned(),
        Outcome::RateLimited => words.rate_limited.to_owned(),
        Outcome::ServerError => words.server_error.to_owned(),
        Outcome::NetworkError => words.network_error.to_owned(),
    }
}

#[cfg(target_arch = "wasm32")]
fn spawn(f: impl std::future::Future<Output = ()> + 'static) {
    wasm_bindgen_futures::spawn_local(f);
}

/// Outside a browser nothing is sent (server rendering never submits).
#[cfg(not(target_arch = "wasm32"))]
fn spawn(_: impl std::future::Future<Output = ()> + 'static) {}

/// POSTs one submission; every failure becomes an [`Outcome`], never a panic.
#[cfg(target_arch = "wasm32")]
async fn send(endpoint: &str, request: &SignupRequest) -> Outcome {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    let Some(body) = serde_wasm_bindgen::to_value(request)
        .ok()
        .and_then(|v| js_sys::JSON::stringify(&v).ok())
    else {
        return Outcome::NetworkError;
    };
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&body);
    let headers = web_sys::Headers::new();
    if let Ok(headers) = &headers {
        let _ = headers.set("Content-Type", "application/json");
        let _ = headers.set("Accept", "application/json");
        let _ = headers.set("Idempotency-Key", &idempotency_key());
        init.set_headers(headers);
    }
    let Some(window) = web_sys::window() else {
        return Outcome::NetworkError;
    };
    let Ok(request) = web_sys::Request::new_with_str_and_init(endpoint, &init) else {
        return Outcome::NetworkError;
    };
    let Ok(response) = JsFuture::from(window.fetch_with_request(&request)).await else {
        return Outcome::NetworkError;
    };
    let Ok(response) = response.dyn_into::<web_sys::Response>() else {
        return Outcome::NetworkError;
    };
    let reply = match response.json() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|v| serde_wasm_bindgen::from_value(v).ok()),
        Err(_) => None,
    };
    crate::signup::classify(response.status(), reply.as_ref())
}

#[cfg(not(target_arch = "wasm32"))]
async fn send(_: &str, _: &SignupRequest) -> Outcome {
    Outcome::NetworkError
}

/// Stays the same across retries of one submission (SPEC section 5).
#[cfg(target_arch = "wasm32")]
fn idempotency_key() -> String {
    let part = || (js_sys::Math::random() * 4_294_967_296.0) as u32;
    format!("{:08x}{:08x}{:08x}{:08x}", part(), part(), part(), part())
}
