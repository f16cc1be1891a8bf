//! The publisher's server (`article-embed serve`, SPEC section 6): the demo and the built
//! assets, the articles, and the signup endpoint of SPEC section 5 with double opt-in.
//! Native only; the binary in `main.rs` is a thin shell over this.

mod embed;
pub mod limits;
pub mod mail;
pub mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Query, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::email;
use crate::i18n;
use limits::Window;
use mail::Mailer;
use store::{Added, Confirmed, NewSignup, Store};

/// Larger bodies are refused with 413 before they are read.
pub const BODY_LIMIT: usize = 16 * 1024;

/// Everything `serve` is told on its command line.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub db: String,
    /// The demo page and other static pages (`/` is its index.html).
    pub site: PathBuf,
    pub dist: PathBuf,
    pub articles: PathBuf,
    /// The server's address as readers reach it, for confirmation links.
    pub public_url: String,
    /// Origins whose pages may call the API from JavaScript.
    pub allow_origins: Vec<String>,
    pub smtp: Option<String>,
    pub mail_from: String,
    pub mail_dir: PathBuf,
    /// Signups per minute from one address.
    pub rate_per_ip: u32,
    /// Signup attempts per hour for one email address.
    pub rate_per_email: u32,
    /// For tests: the first N signup requests fail with 500.
    pub fail_first: u32,
}

impl Config {
    pub fn new(addr: SocketAddr) -> Config {
        Config {
            addr,
            db: store::DEFAULT_DB.into(),
            site: ".".into(),
            dist: "dist".into(),
            articles: "articles".into(),
            public_url: format!("http://{addr}"),
            allow_origins: Vec::new(),
            smtp: None,
            mail_from: "Newsletter <newsletter@localhost>".into(),
            mail_dir: "mail-drop".into(),
            rate_per_ip: 30,
            rate_per_email: 5,
            fail_first: 0,
        }
    }
}

pub struct App {
    pub store: Store,
    mailer: Mailer,
    public_url: String,
    per_ip: Window,
    per_email: Window,
    failures_left: AtomicU32,
    articles: embed::Articles,
}

impl App {
    pub async fn new(config: &Config) -> Result<Arc<App>, String> {
        Ok(Arc::new(App {
            store: Store::open(&config.db).await?,
            mailer: Mailer::new(
                &config.mail_from,
                config.smtp.as_deref(),
                config.mail_dir.clone(),
            )?,
            public_url: config.public_url.trim_end_matches('/').to_owned(),
            per_ip: Window::new(config.rate_per_ip, Duration::from_secs(60)),
            per_email: Window::new(config.rate_per_email, Duration::from_secs(3600)),
            failures_left: AtomicU32::new(config.fail_first),
            articles: embed::Articles {
                dir: config.articles.clone(),
            },
        }))
    }
}

/// The routes. Static files come from the configured folders; the API from `app`.
pub fn router(app: Arc<App>, config: &Config) -> Router {
    let mut origins: Vec<HeaderValue> = config
        .allow_origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok())
        .collect();
    if origins.is_empty() {
        origins.extend(HeaderValue::from_str(origin_of(&config.public_url)).ok());
    }
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([header::RETRY_AFTER])
        .max_age(Duration::from_secs(3600));
    let api = Router::new()
        .route("/api/subscribe", post(subscribe))
        .route("/api/confirm", get(confirm))
        .route("/api/snippet", post(embed::snippet))
        .layer(cors)
        .route("/embed/{slug}", get(embed::page))
        .route("/oembed", get(embed::oembed))
        .with_state(app);

    let version = env!("CARGO_PKG_VERSION");
    let revalidate = SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache"),
    );
    // The same files under a versioned path never change: cache them for a year.
    let immutable = SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    Router::new()
        .merge(api)
        .nest_service(
            &format!("/dist/v{version}"),
            tower::ServiceBuilder::new()
                .layer(immutable)
                .service(ServeDir::new(&config.dist)),
        )
        .nest_service(
            "/dist",
            tower::ServiceBuilder::new()
                .layer(revalidate.clone())
                .service(ServeDir::new(&config.dist)),
        )
        .nest_service(
            "/articles",
            tower::ServiceBuilder::new()
                .layer(revalidate.clone())
                .service(ServeDir::new(&config.articles)),
        )
        .route_service("/", ServeFile::new(config.site.join("index.html")))
        .fallback_service(
            tower::ServiceBuilder::new()
                .layer(revalidate)
                .service(ServeDir::new(&config.site)),
        )
}

fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url.get(after_scheme..).and_then(|rest| rest.find('/')) {
        Some(i) => url.get(..after_scheme + i).unwrap_or(url),
        None => url,
    }
}

/// Serves until Ctrl-C.
pub async fn serve(config: Config) -> Result<(), String> {
    let app = App::new(&config).await?;
    let routes = router(Arc::clone(&app), &config);
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    eprintln!(
        "article-embed: serving {} on {} (signups in {}, confirmation mail to {})",
        config.site.display(),
        config.public_url,
        config.db,
        app.mailer.describe()
    );
    axum::serve(
        listener,
        routes.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .map_err(|e| format!("server error: {e}"))
}

/// A signup as sent, by the widget (JSON) or by a plain form (urlencoded). Everything is
/// optional here so that a missing field gets a clear message, not a parse error.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Submission {
    email: Option<String>,
    newsletter: Option<String>,
    consent: Option<Consent>,
    article: Option<String>,
    page: Option<String>,
    locale: Option<String>,
    /// The honeypot.
    website: Option<String>,
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

/// An answer in SPEC section 5's terms, rendered as JSON or as a small page.
struct Answer {
    status: StatusCode,
    json: serde_json::Value,
    retry_after: Option<u64>,
}

impl Answer {
    fn new(status: StatusCode, json: serde_json::Value) -> Answer {
        Answer {
            status,
            json,
            retry_after: None,
        }
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
    fn into_page(self, back: Option<&str>, words: &i18n::Words) -> Response {
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
        let mut response = (self.status, Html(page(&message, back))).into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// A minimal, self-contained page (no script, inline styles of its own).
fn page(message: &str, back: Option<&str>) -> String {
    let back = back
        .map(|url| {
            format!(
                r#"<p><a href="{}">Back to the article</a></p>"#,
                crate::ssr::attr(url)
            )
        })
        .unwrap_or_default();
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Newsletter</title><style>body{{font:18px/1.5 system-ui,sans-serif;max-width:36em;\
         margin:15vh auto;padding:0 1em;color:#16181d}}a{{color:#0b57d0}}</style></head>\
         <body><main><h1>Newsletter</h1><p role=\"status\">{}</p>{back}</main></body></html>",
        crate::ssr::attr(message)
    )
}

fn client_ip(request: &Request) -> String {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".into(), |c| c.0.ip().to_string())
}

async fn subscribe(State(app): State<Arc<App>>, request: Request) -> Response {
    let headers = request.headers().clone();
    let ip = client_ip(&request);
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
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
        serde_urlencoded::from_bytes(&bytes).map_err(|e| format!("The form data is not valid: {e}"))
    } else {
        serde_json::from_slice(&bytes)
            .map_err(|e| format!("The request body is not valid JSON: {e}"))
    };
    let submission = match parsed {
        Ok(s) => s,
        Err(message) => {
            return Answer::error(StatusCode::BAD_REQUEST, "bad_request", &message).into_json()
        }
    };
    let locale = submission
        .locale
        .as_deref()
        .map(crate::text::clean)
        .filter(|l| !l.is_empty() && l.len() <= 35)
        .unwrap_or_else(|| "en".into());
    let words = i18n::words(&locale);
    let back = submission
        .page
        .as_deref()
        .or_else(|| headers.get(header::REFERER).and_then(|r| r.to_str().ok()))
        .and_then(|p| crate::url::resolve(p, None).ok());

    let key = headers
        .get("idempotency-key")
        .and_then(|k| k.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 200)
        .map(str::to_owned);
    let answer = match &key {
        Some(key) => match app.store.recall(key).await {
            Ok(Some((status, body))) => {
                let json = serde_json::from_str(&body).unwrap_or(serde_json::Value::Null);
                Answer::new(StatusCode::from_u16(status).unwrap_or(StatusCode::OK), json)
            }
            Ok(None) => {
                let answer = handle(&app, submission, &locale, &ip).await;
                // Only final answers are remembered: a retry after a failure must run again.
                if !answer.status.is_server_error()
                    && answer.status != StatusCode::TOO_MANY_REQUESTS
                {
                    if let Err(e) = app
                        .store
                        .remember(key, answer.status.as_u16(), &answer.body())
                        .await
                    {
                        eprintln!("article-embed: cannot remember idempotency key: {e}");
                    }
                }
                answer
            }
            Err(e) => storage_failed(e),
        },
        None => handle(&app, submission, &locale, &ip).await,
    };
    if is_form {
        answer.into_page(back.as_deref(), words)
    } else {
        answer.into_json()
    }
}

fn storage_failed(e: sqlx::Error) -> Answer {
    eprintln!("article-embed: storage error: {e}");
    Answer::error(
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
        "The signup could not be stored. Please try again.",
    )
}

async fn handle(app: &App, s: Submission, locale: &str, ip: &str) -> Answer {
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
    // Bots that fill the hidden field are told it worked, and nothing is kept.
    if s.website.as_deref().is_some_and(|w| !w.trim().is_empty()) {
        return Answer::new(
            StatusCode::OK,
            serde_json::json!({ "status": "subscribed" }),
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
    let newsletter = s
        .newsletter
        .as_deref()
        .map(crate::text::clean)
        .filter(|n| !n.is_empty())
        .map(|n| crate::text::truncate(&n, 120));
    let Some(newsletter) = newsletter else {
        return Answer::error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_newsletter",
            "newsletter: missing (required)",
        );
    };
    let now = Instant::now();
    let limited = app
        .per_ip
        .hit(ip, now)
        .and_then(|()| app.per_email.hit(&email, now));
    if let Err(seconds) = limited {
        let mut answer = Answer::error(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            words.rate_limited,
        );
        answer.retry_after = Some(seconds);
        return answer;
    }
    let url = |u: Option<String>| u.and_then(|u| crate::url::resolve(&u, None).ok());
    let signup = NewSignup {
        email,
        newsletter,
        consent: s.consent.as_ref().is_some_and(Consent::given),
        consent_text: words.consent.to_owned(),
        article: url(s.article),
        page: url(s.page),
        locale: locale.to_owned(),
    };
    match app.store.add(&signup).await {
        Ok(Added::New { token }) => {
            send_confirmation(app, &signup, &token).await;
            Answer::new(
                StatusCode::ACCEPTED,
                serde_json::json!({ "status": "pending" }),
            )
        }
        Ok(Added::Existing { status, token }) => {
            // Not confirmed yet: the first mail may be lost, so send the link again.
            if status == "pending" {
                send_confirmation(app, &signup, &token).await;
            }
            Answer::new(
                StatusCode::OK,
                serde_json::json!({ "status": "already_subscribed" }),
            )
        }
        Err(e) => storage_failed(e),
    }
}

/// Lower-cases the domain (case-insensitive by the DNS) and the local part (case-sensitive
/// in theory, never in practice), so one reader is one row.
fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

async fn send_confirmation(app: &App, signup: &NewSignup, token: &str) {
    let link = format!("{}/api/confirm?token={token}", app.public_url);
    match app
        .mailer
        .send_confirmation(&signup.email, &signup.newsletter, &link)
        .await
    {
        Ok(where_to) => eprintln!(
            "article-embed: confirmation for {} {where_to}: {link}",
            signup.email
        ),
        Err(e) => eprintln!(
            "article-embed: confirmation for {} NOT sent ({e}): {link}",
            signup.email
        ),
    }
}

#[derive(Deserialize)]
struct ConfirmQuery {
    token: Option<String>,
}

async fn confirm(State(app): State<Arc<App>>, Query(q): Query<ConfirmQuery>) -> Response {
    let words = &i18n::EN;
    let token = q.token.unwrap_or_default();
    let valid = token.len() == 32 && token.chars().all(|c| c.is_ascii_hexdigit());
    let result = if valid {
        app.store.confirm(&token).await
    } else {
        Ok(Confirmed::Unknown)
    };
    match result {
        Ok(Confirmed::Now { newsletter }) | Ok(Confirmed::Already { newsletter }) => (
            StatusCode::OK,
            Html(page(&format!("{} ({newsletter})", words.subscribed), None)),
        )
            .into_response(),
        Ok(Confirmed::Unknown) => (
            StatusCode::NOT_FOUND,
            Html(page(
                "This confirmation link is not valid. Please subscribe again.",
                None,
            )),
        )
            .into_response(),
        Err(e) => {
            eprintln!("article-embed: storage error: {e}");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Html(page(words.server_error, None)),
            )
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests;
