//! `POST /api/subscribe`: the signup protocol of SPEC section 5, with the rules of 6.1. JSON
//! from the widget or a urlencoded form from a page without script; anything else is
//! refused (a cross-site `text/plain` post needs no CORS preflight, so it must not count).
//! Every accepted address gets the same answer, 202 `pending`, whether it is new, pending
//! or confirmed: the answer reveals nothing about the list.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use sha2::{Digest, Sha256};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use crate::log;
use crate::requests::client_ip;
use crate::requests::headers;
use crate::requests::pages;
use crate::signups::proof::{Refused, Solved};
use crate::store::{Claim, NewSignup};
use crate::time::now_ms;
use crate::App;
use crate::BODY_LIMIT;
use article_embed_card::options::NEWSLETTERS_MAX;
use article_embed_card::{email, i18n};

/// A signup as sent, by the widget (JSON) or by a plain form (urlencoded). Everything is
/// optional here so that a missing field gets a clear message, not a parse error.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Submission {
    email: Option<String>,
    newsletter: Option<String>,
    /// The newsletters ticked in a form that offers several (one signup each).
    newsletters: Option<Vec<String>>,
    consent: Option<Consent>,
    /// The consent sentence the reader saw (the publisher's words, or the widget's).
    consent_text: Option<String>,
    /// A first name, from a form that asks for one (`fields="name"`).
    name: Option<String>,
    article: Option<String>,
    page: Option<String>,
    locale: Option<String>,
    /// The honeypot.
    website: Option<String>,
    /// A solved proof-of-work challenge (`signups::proof`), as ALTCHA's widgets send it.
    altcha: Option<String>,
}

/// `true` from JSON; "true"/"on"/"1" from a form checkbox.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Consent {
    Bool(bool),
    Text(String),
}

impl Consent {
    fn given(&self) -> bool {
        match self {
            Consent::Bool(b) => *b,
            Consent::Text(t) => matches!(
                t.trim().to_ascii_lowercase().as_str(),
                "true" | "on" | "1" | "yes"
            ),
        }
    }
}

/// The origins whose pages may post signups (`--allow-origin`). CORS only stops a browser
/// from reading the answer; a plain form post needs no preflight, so the list is also
/// enforced here, on the `Origin` header browsers send with every POST.
pub struct Origins {
    list: Vec<String>,
    own: String,
}

/// An origin (or an `Origin` header) as browsers write it, for comparing
/// (`HTTPS://News.Example:443/` → `https://news.example`): see
/// [`headers::origin_of`]; anything that is not an http(s) origin (`null`) as written, in
/// lower case.
pub fn normalise_origin(origin: &str) -> String {
    headers::origin_of(origin).unwrap_or_else(|| origin.trim().to_ascii_lowercase())
}

impl Origins {
    pub fn new(list: &[String], public_url: &str) -> Origins {
        let own = headers::origin_of(public_url).unwrap_or_default();
        Origins {
            list: list.iter().map(|o| normalise_origin(o)).collect(),
            own,
        }
    }

    fn admits(&self, headers: &HeaderMap) -> bool {
        if self.list.is_empty() {
            return true;
        }
        // Not from a browser page (curl, a server): CORS is no concern, limits still apply.
        let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
            return true;
        };
        let origin = normalise_origin(origin);
        // The server's own pages: the iframe card's form, the demo.
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
        let same_host = host.is_some_and(|h| {
            origin
                .split_once("://")
                .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(h))
        });
        origin == self.own || same_host || self.list.contains(&origin)
    }
}

/// An answer in SPEC section 5's terms, rendered as JSON or as a small page.
pub(crate) struct Answer {
    pub status: StatusCode,
    pub json: serde_json::Value,
    pub retry_after: Option<u64>,
}

impl Answer {
    fn new(status: StatusCode, json: serde_json::Value) -> Answer {
        Answer {
            status,
            json,
            retry_after: None,
        }
    }

    fn pending() -> Answer {
        Answer::new(
            StatusCode::ACCEPTED,
            serde_json::json!({ "status": "pending" }),
        )
    }

    fn error(status: StatusCode, error: &str, message: &str) -> Answer {
        Answer::new(
            status,
            serde_json::json!({ "error": error, "message": message }),
        )
    }

    fn body(&self) -> String {
        self.json.to_string()
    }

    fn into_json(self) -> Response {
        let mut response = (
            self.status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            self.body(),
        )
            .into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }

    /// For a form posted without JavaScript: a page that says what happened and links back.
    fn into_page(self, back: Option<&str>, ours: &crate::words::Words) -> Response {
        let words = ours.widget();
        let status = self.json.get("status").and_then(|s| s.as_str());
        let message = match status {
            Some("pending") => words.pending.to_owned(),
            Some("subscribed") => words.subscribed.to_owned(),
            Some("already_subscribed") => words.already_subscribed.to_owned(),
            _ => self
                .json
                .get("message")
                .and_then(|m| m.as_str())
                .unwrap_or(words.server_error)
                .to_owned(),
        };
        let retry_after = self.retry_after;
        let page = pages::message(ours, &message, back);
        let mut response = (self.status, Html(page)).into_response();
        headers::own_page(response.headers_mut(), headers::PLAIN_PAGE_CSP);
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

#[derive(Clone, Copy, PartialEq)]
enum BodyKind {
    Json,
    Form,
}

/// `application/json` (or `…+json`) and `application/x-www-form-urlencoded`; nothing else.
fn body_kind(headers: &HeaderMap) -> Option<BodyKind> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let essence = value.split(';').next()?.trim().to_ascii_lowercase();
    if essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
    {
        Some(BodyKind::Json)
    } else if essence == "application/x-www-form-urlencoded" {
        Some(BodyKind::Form)
    } else {
        None
    }
}

pub(crate) async fn subscribe(State(app): State<Arc<App>>, request: Request) -> Response {
    let headers = request.headers().clone();
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let client = peer.map(|peer| client_ip::limit_key(app.proxies.client(peer, &headers)));
    let Some(kind) = body_kind(&headers) else {
        return Answer::error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Send the signup as application/json or as an application/x-www-form-urlencoded form.",
        )
        .into_json();
    };
    let is_form = kind == BodyKind::Form;
    let framed = request.uri().query().is_some_and(|q| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(q).is_ok_and(|pairs| {
            pairs
                .iter()
                .any(|(k, v)| k == "frame" && app.frames.admits(v, now_ms()))
        })
    });
    if !framed && !app.origins.admits(&headers) {
        return Answer::error(
            StatusCode::FORBIDDEN,
            "origin_not_allowed",
            "Signups are not accepted from this site.",
        )
        .into_json();
    }
    let bytes = match axum::body::to_bytes(request.into_body(), BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => {
            return Answer::error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                &format!("The request body is larger than {BODY_LIMIT} bytes."),
            )
            .into_json()
        }
    };
    let parsed: Result<Submission, String> = if is_form {
        form_submission(&bytes)
    } else {
        serde_json::from_slice(&bytes)
            .map_err(|e| format!("The request body is not valid JSON: {e}"))
    };
    let mut submission = match parsed {
        Ok(s) => s,
        Err(message) => {
            return Answer::error(StatusCode::BAD_REQUEST, "bad_request", &message).into_json()
        }
    };
    if is_form && submission.page.is_none() {
        submission.page = form_page(&headers, &app.public_url);
    }
    let locale = submission
        .locale
        .as_deref()
        .map(article_embed_card::text::clean)
        .filter(|l| !l.is_empty() && l.len() <= 35)
        .unwrap_or_else(|| "en".into());
    let words = i18n::words(&locale);
    let back = submission
        .page
        .as_deref()
        .or_else(|| headers.get(header::REFERER).and_then(|r| r.to_str().ok()))
        .and_then(|p| article_embed_card::url::resolve(p, None).ok());

    let key = headers
        .get("idempotency-key")
        .and_then(|k| k.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 200)
        .map(str::to_owned);
    let client = client.unwrap_or_else(|| "unknown".into());
    let answer = match admit(&app, &client, &submission, words).await {
        Some(answer) => answer,
        None => match &key {
            Some(key) => {
                let request_hash =
                    crate::tokens::hex(&Sha256::digest(without_proof(&bytes, is_form)));
                let subject = normalise_email(submission.email.as_deref().unwrap_or(""));
                // On a task of its own: a client that hangs up (or the request deadline) must
                // not cut the work off between claiming the key and settling it, which would
                // leave the key held and the retries waiting.
                let (app, key, locale) = (Arc::clone(&app), key.clone(), locale.clone());
                let work = tokio::spawn(async move {
                    with_key(&app, &key, &request_hash, &subject, || {
                        handle(&app, submission, &locale, is_form)
                    })
                    .await
                });
                work.await.unwrap_or_else(|_| {
                    Answer::error(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "internal",
                        "The signup could not be handled. Please try again.",
                    )
                })
            }
            None => handle(&app, submission, &locale, is_form).await,
        },
    };
    if let Some(reason) = answer.json.get("error").and_then(|e| e.as_str()) {
        app.metrics.refused(reason);
    }
    if is_form {
        answer.into_page(back.as_deref(), crate::words::words(&locale))
    } else {
        answer.into_json()
    }
}

/// The body as far as an `Idempotency-Key` is concerned: without its proof of work, which
/// a retry may carry anew (the first one spent, or expired while the signup waited in the
/// reader's outbox).
/// A body without one is hashed as it came, as before proofs were asked for.
fn without_proof(bytes: &[u8], is_form: bool) -> Vec<u8> {
    if is_form {
        if let Ok(pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(bytes) {
            if !pairs.iter().any(|(k, _)| k == "altcha") {
                return bytes.to_vec();
            }
            let kept: Vec<_> = pairs.into_iter().filter(|(k, _)| k != "altcha").collect();
            if let Ok(text) = serde_urlencoded::to_string(kept) {
                return text.into_bytes();
            }
        }
    } else if let Ok(serde_json::Value::Object(mut fields)) = serde_json::from_slice(bytes) {
        if fields.remove("altcha").is_some() {
            return serde_json::Value::Object(fields).to_string().into_bytes();
        }
    }
    bytes.to_vec()
}

/// A urlencoded form as a [`Submission`]: every field once, but `newsletters`, one pair per
/// ticked box (serde_urlencoded reads no lists).
fn form_submission(bytes: &[u8]) -> Result<Submission, String> {
    use serde_json::Value;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes)
        .map_err(|e| format!("The form data is not valid: {e}"))?;
    let mut fields = serde_json::Map::new();
    let mut newsletters = Vec::new();
    for (name, value) in pairs {
        if name == "newsletters" {
            newsletters.push(Value::String(value));
        } else {
            fields.insert(name, Value::String(value));
        }
    }
    if !newsletters.is_empty() {
        fields.insert("newsletters".into(), Value::Array(newsletters));
    }
    serde_json::from_value(Value::Object(fields))
        .map_err(|e| format!("The form data is not valid: {e}"))
}

/// The page a form posted without script was on, for attribution (the widget sends its
/// own): the `Referer` as far as the page's referrer policy gives it (browsers' default
/// gives other sites the origin only), else the `Origin`; as the widget records pages,
/// without the query (but WordPress's post ids) or the fragment. Not the server's own pages
/// (its `/embed/` frame, its demo): those say nothing of where the card was.
fn form_page(headers: &HeaderMap, own: &str) -> Option<String> {
    let page = headers
        .get(header::REFERER)
        .or_else(|| headers.get(header::ORIGIN))
        .and_then(|v| v.to_str().ok())
        .and_then(|p| article_embed_card::url::resolve(p, None).ok())?;
    let (rest, query) = page.split_once('?').unwrap_or((&page, ""));
    let rest = rest.split('#').next().unwrap_or(rest);
    // An origin is the page at its root, as browsers write it (`https://a.example/`).
    let rest = match rest.split_once("://") {
        Some((_, host)) if !host.contains('/') => format!("{rest}/"),
        _ => rest.to_owned(),
    };
    let kept: Vec<&str> = query
        .split('#')
        .next()
        .unwrap_or_default()
        .split('&')
        .filter(|pair| {
            let name = pair.split('=').next().unwrap_or_default();
            matches!(name, "p" | "page_id" | "post_type")
        })
        .collect();
    let page = if kept.is_empty() {
        rest
    } else {
        format!("{rest}?{}", kept.join("&"))
    };
    let ours = headers::origin_of(&page).is_some_and(|o| headers::origin_of(own) == Some(o));
    (!ours).then_some(page)
}

/// How long a request waits for another request with its key, before asking to be retried.
const KEY_WAIT: Duration = Duration::from_secs(10);

/// Runs `work` once per `Idempotency-Key`, whatever the number of processes: the key is
/// claimed in the database before any work. A request with a key that is being worked on
/// waits for that answer; the same key with another body is refused.
async fn with_key<F, Fut>(
    app: &App,
    key: &str,
    request_hash: &str,
    subject: &str,
    work: F,
) -> Answer
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Answer>,
{
    let started = tokio::time::Instant::now();
    loop {
        match app
            .store
            .claim_key(key, request_hash, subject, now_ms())
            .await
        {
            Ok(Claim::Mine) => {
                let answer = work().await;
                // Only accepted signups are remembered (they are rate-limited, so the table
                // cannot be flooded); a retry after a refusal or a failure runs again.
                let kept = if answer.status.is_success() {
                    app.store
                        .complete_key(key, answer.status.as_u16(), &answer.body())
                        .await
                } else {
                    app.store.release_key(key).await
                };
                if let Err(e) = kept {
                    log::warn("idempotency.not_kept", &[("error", &e)]);
                }
                return answer;
            }
            Ok(Claim::Done { status, body }) => {
                let json = serde_json::from_str(&body).unwrap_or(serde_json::Value::Null);
                return Answer::new(StatusCode::from_u16(status).unwrap_or(StatusCode::OK), json);
            }
            Ok(Claim::Reused) => {
                return Answer::error(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "idempotency_key_reused",
                    "This Idempotency-Key was used for another request.",
                )
            }
            Ok(Claim::Busy) if started.elapsed() < KEY_WAIT => {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Ok(Claim::Busy) => {
                let mut answer = Answer::error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "in_progress",
                    "This signup is still being handled. Please try again.",
                );
                answer.retry_after = Some(2);
                return answer;
            }
            Err(e) => return storage_failed(app, e),
        }
    }
}

/// Nothing is acknowledged that is not committed: the widget keeps the signup in its outbox
/// and sends it again.
fn storage_failed(app: &App, e: sqlx::Error) -> Answer {
    log::warn("storage.failed", &[("error", &e)]);
    app.health.write_failed();
    let mut answer = Answer::error(
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
        "The signup could not be stored. Please try again.",
    );
    answer.retry_after = Some(STORAGE_RETRY_AFTER);
    answer
}

/// Seconds a client is asked to wait after a storage failure.
const STORAGE_RETRY_AFTER: u64 = 30;

/// The newsletter's name as the server sends mail about it. A card drawn from a page of a
/// `--source` site offers its publisher's newsletter: when the name is not known yet (this
/// process has not read that page, or has restarted since), the page the signup names is
/// read (from the cache, mostly) and its publisher learnt.
async fn accept_newsletter(app: &App, asked: &str, article: Option<&str>) -> Option<String> {
    if let Some(name) = app.newsletters.accept(asked).await {
        return Some(name);
    }
    let sources = app.sources.as_ref()?;
    let page = article.filter(|url| sources.listed(url))?;
    let reading = sources.read(page).await.ok()?;
    app.newsletters.learn(&reading.article);
    app.newsletters.accept(asked).await
}

/// What is answered before anything is kept for a request: every request counts against
/// its reader's limit, honeypot posts included, and a bot that filled the hidden field gets
/// the answer everyone gets, with nothing stored (not even its `Idempotency-Key`). One
/// reader can therefore add at most `--rate-per-ip` rows a minute to any table.
async fn admit(app: &App, client: &str, s: &Submission, words: &i18n::Words) -> Option<Answer> {
    let limited = app
        .store
        .hit(&format!("ip:{client}"), app.rate_per_ip, 60_000, now_ms())
        .await;
    match limited {
        Err(e) => return Some(storage_failed(app, e)),
        Ok(Err(seconds)) => return Some(rate_limited(seconds, words)),
        Ok(Ok(())) => {}
    }
    if s.website.as_deref().is_some_and(|w| !w.trim().is_empty()) {
        app.metrics.refused("honeypot");
        return Some(Answer::pending());
    }
    None
}

fn rate_limited(seconds: u64, words: &i18n::Words) -> Answer {
    let mut answer = Answer::error(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        words.rate_limited,
    );
    answer.retry_after = Some(seconds);
    answer
}

/// With proof of work: a solution that holds, to be spent when the signup is stored; `None`
/// for a form without one that the slow lane takes. `Err`: the answer.
async fn check_proof(app: &App, s: &Submission, is_form: bool) -> Result<Option<Solved>, Answer> {
    let Some(proofs) = &app.proofs else {
        return Ok(None);
    };
    let refused =
        |error: &str, message: &str| Err(Answer::error(StatusCode::FORBIDDEN, error, message));
    match s.altcha.as_deref().filter(|a| !a.trim().is_empty()) {
        Some(altcha) => match proofs.check(altcha, now_ms()) {
            Ok(solved) => Ok(Some(solved)),
            Err(Refused::Expired) => refused(
                "proof_expired",
                "The anti-spam check has expired. Please send the form again.",
            ),
            Err(_) => refused(
                "proof_invalid",
                "The anti-spam check failed. Please send the form again.",
            ),
        },
        // A page without script cannot solve: everyone's forms together get a few signups
        // a minute. A script that can post JSON can solve.
        None if is_form => {
            let lane = app
                .store
                .hit("proofless", app.proofless_per_minute, 60_000, now_ms())
                .await;
            match lane {
                Err(e) => Err(storage_failed(app, e)),
                Ok(Err(seconds)) => Err(rate_limited(
                    seconds,
                    i18n::words(s.locale.as_deref().unwrap_or("en")),
                )),
                Ok(Ok(())) => Ok(None),
            }
        }
        None => refused(
            "proof_required",
            "This server asks for proof of work: get a challenge with GET on this endpoint.",
        ),
    }
}

fn proof_spent() -> Answer {
    Answer::error(
        StatusCode::FORBIDDEN,
        "proof_spent",
        "This anti-spam check was used already. Please send the form again.",
    )
}

async fn handle(app: &App, s: Submission, locale: &str, is_form: bool) -> Answer {
    let words = i18n::words(locale);
    if app
        .failures_left
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
    {
        return Answer::error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "fault",
            "Injected failure (--fail-first).",
        );
    }
    let email = match email::validate(s.email.as_deref().unwrap_or("")) {
        Ok(e) => normalise_email(e),
        Err(email::EmailProblem::Missing) => {
            return Answer::error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_email",
                words.email_missing,
            )
        }
        Err(email::EmailProblem::Invalid) => {
            return Answer::error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_email",
                words.email_invalid,
            )
        }
    };
    let proof = match check_proof(app, &s, is_form).await {
        Ok(proof) => proof,
        Err(answer) => return answer,
    };
    // `newsletters` from a form that offers several (an empty list: none ticked), else the
    // one `newsletter` (which a widget also sends beside the list, for servers that read one).
    let several = s.newsletters.is_some();
    let mut asked: Vec<String> = Vec::new();
    let given: Vec<&String> = match &s.newsletters {
        Some(list) => list.iter().collect(),
        None => s.newsletter.iter().collect(),
    };
    for name in given {
        let name = article_embed_card::text::clean(name);
        if !name.is_empty() && !asked.contains(&name) {
            asked.push(name);
        }
    }
    if asked.len() > NEWSLETTERS_MAX {
        return Answer::error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_newsletter",
            &format!("newsletters: at most {NEWSLETTERS_MAX}"),
        );
    }
    if asked.is_empty() {
        return if several {
            Answer::error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "no_newsletter",
                words.choose_newsletter,
            )
        } else {
            Answer::error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_newsletter",
                "newsletter: missing (required)",
            )
        };
    }
    // Every name must be one the server mails about; nothing is kept if one is not.
    let mut newsletters = Vec::with_capacity(asked.len());
    for name in &asked {
        match accept_newsletter(app, name, s.article.as_deref()).await {
            Some(newsletter) => newsletters.push(newsletter),
            None => {
                return Answer::error(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "unknown_newsletter",
                    "This newsletter is not offered here.",
                )
            }
        }
    }
    let consent = s.consent.as_ref().is_some_and(Consent::given);
    if app.consent_required && !consent {
        return Answer::error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "consent_required",
            words.consent_missing,
        );
    }
    // A solution used before is refused before it counts against anyone's limit.
    if let Some(solved) = &proof {
        match app.store.proof_spent(&solved.challenge).await {
            Ok(false) => {}
            Ok(true) => return proof_spent(),
            Err(e) => return storage_failed(app, e),
        }
    }
    // Counted in the database: one limit however many processes serve.
    let limited = app
        .store
        .hit(
            &crate::store::email_limit_key(&email),
            app.rate_per_email,
            3_600_000,
            now_ms(),
        )
        .await;
    match limited {
        Err(e) => return storage_failed(app, e),
        Ok(Err(seconds)) => return rate_limited(seconds, words),
        Ok(Ok(())) => {}
    }
    let url = |u: Option<String>| u.and_then(|u| article_embed_card::url::resolve(&u, None).ok());
    let signup = NewSignup {
        email,
        newsletter: String::new(),
        consent,
        // What the reader saw, if it is words a card could have shown (plain text, not
        // too long); else the sentence of the signup's language.
        consent_text: s
            .consent_text
            .as_deref()
            .and_then(|t| {
                article_embed_card::options::publishers_words(
                    t,
                    article_embed_card::options::CONSENT_TEXT_MAX,
                )
                .ok()
                .flatten()
            })
            .unwrap_or_else(|| words.consent.to_owned()),
        name: s
            .name
            .as_deref()
            .map(article_embed_card::text::clean)
            .filter(|n| !n.is_empty())
            .map(|n| article_embed_card::text::truncate(&n, article_embed_card::signup::NAME_MAX)),
        article: url(s.article),
        page: url(s.page),
        locale: locale.to_owned(),
    };
    // The answer is the same whatever the address's state; the mail that goes with it was
    // queued with the signup, and the delivery job sends it.
    let signups: Vec<NewSignup> = newsletters
        .into_iter()
        .map(|newsletter| NewSignup {
            newsletter,
            ..signup.clone()
        })
        .collect();
    // The proof is spent with the signups, once the signup is one the server takes: a reader
    // who fixes a refused address does not solve again, nor one whose signup met a failure.
    // Sorted, so that two requests for one address lock its rows in the same order.
    let mut signups = signups;
    signups.sort_by(|a, b| a.newsletter.cmp(&b.newsletter));
    let proof = proof.as_ref().map(|p| (p.challenge.as_str(), p.expires_ms));
    match app.store.add_all(&signups, proof, now_ms()).await {
        Ok(None) => proof_spent(),
        Ok(Some(_)) => {
            app.wake_delivery();
            Answer::pending()
        }
        Err(e) => storage_failed(app, e),
    }
}

/// The form every address is stored, counted, limited and erased under, so that one
/// mailbox is one identity: Unicode in composed form (NFC: `ü` typed as one character or
/// as `u` and a combining mark is the same), the domain as the DNS knows it (IDNA: lower
/// case, `bücher.example` as `xn--bcher-kva.example`), the local part in lower case
/// (case-sensitive in theory, never in practice).
pub fn normalise_email(email: &str) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    let email: String = email.trim().nfc().collect();
    match email.rsplit_once('@') {
        Some((local, domain)) => {
            let domain = idna::domain_to_ascii(domain).unwrap_or_else(|_| domain.to_lowercase());
            format!("{}@{domain}", local.to_lowercase())
        }
        None => email.to_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_json_and_urlencoded_bodies() {
        let kind = |t: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(t));
            body_kind(&h)
        };
        assert!(matches!(kind("application/json"), Some(BodyKind::Json)));
        assert!(matches!(
            kind("Application/JSON; charset=utf-8"),
            Some(BodyKind::Json)
        ));
        assert!(matches!(
            kind("application/merge-patch+json"),
            Some(BodyKind::Json)
        ));
        assert!(matches!(
            kind("application/x-www-form-urlencoded;charset=UTF-8"),
            Some(BodyKind::Form)
        ));
        for refused in [
            "text/plain",
            "text/plain;charset=UTF-8",
            "multipart/form-data; boundary=x",
            "application/jsonx",
            "text/json",
        ] {
            assert!(kind(refused).is_none(), "{refused}");
        }
        assert!(body_kind(&HeaderMap::new()).is_none());
    }

    #[test]
    fn a_restricted_list_admits_its_origins_and_the_servers_own() {
        let o = Origins::new(
            &["https://Publisher.example/".into()],
            "https://embed.example/base/",
        );
        let with = |origin: Option<&'static str>, host: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::HOST, HeaderValue::from_static(host));
            if let Some(origin) = origin {
                h.insert(header::ORIGIN, HeaderValue::from_static(origin));
            }
            o.admits(&h)
        };
        assert!(with(Some("https://publisher.example"), "embed.example"));
        assert!(
            with(Some("https://embed.example"), "internal:8080"),
            "own origin"
        );
        assert!(
            with(Some("http://internal:8080"), "internal:8080"),
            "same host"
        );
        assert!(!with(Some("https://elsewhere.example"), "embed.example"));
        assert!(!with(Some("null"), "embed.example"));
        assert!(with(None, "embed.example"), "not from a browser");
        // --public-url written with its default port: the browser's Origin has none.
        let default_port = Origins::new(
            &["https://publisher.example".into()],
            "https://Embed.example:443/",
        );
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("internal:8080"));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://embed.example"),
        );
        assert!(default_port.admits(&h), "own origin");
        let open = Origins::new(&[], "https://embed.example");
        let mut h = HeaderMap::new();
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://anyone.example"),
        );
        assert!(open.admits(&h), "any origin by default");
    }
}
