//! `GET /articles/from?url=<page URL>` (SPEC 6.3): the article of a page on one of the
//! origins the operator listed (`serve --source`), read on demand and cached. Nothing else
//! is ever fetched: a URL of another origin is refused before any request, and so is a
//! redirect to one, so the server cannot be made a proxy to anything else (its own network
//! included). A listed origin is read wherever it resolves: the operator listed it.
//!
//! Readings are kept in moka's cache, each for its page's own `max-age`: requests for a page
//! not in it wait for one reading of the page rather than each sending its own, so a story
//! shared widely costs its site one request, not one per reader arriving at once.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use reqwest::Url;
use serde::Deserialize;

use crate::articles::import;
use crate::requests::headers;
use crate::App;
use article_embed_card::article::Article;

/// How long an article read from a page is kept: the page's own `max-age`, within these.
const MIN_AGE: Duration = Duration::from_secs(60);
const MAX_AGE: Duration = Duration::from_secs(3600);
/// Redirects followed within the listed origins.
const MAX_REDIRECTS: usize = 5;
/// Articles kept at most; past that, the least used go first.
const MAX_CACHED: u64 = 1000;

pub struct Sources {
    origins: Arc<Vec<String>>,
    client: reqwest::Client,
    timeout: Duration,
    cache: moka::future::Cache<String, Cached>,
}

#[derive(Clone)]
struct Cached {
    reading: Reading,
    until: Instant,
}

/// Each reading expires when its page said it goes stale.
struct PageAge;

impl moka::Expiry<String, Cached> for PageAge {
    fn expire_after_create(&self, _: &String, value: &Cached, _: Instant) -> Option<Duration> {
        Some(value.reading.age)
    }
}

/// A page's article: as JSON-LD text (for `/articles/from`) and as read (for oEmbed), with
/// how long it may still be kept.
#[derive(Clone)]
pub(crate) struct Reading {
    pub json: Arc<str>,
    pub article: Arc<Article>,
    pub age: Duration,
}

/// The origin (`https://news.example`, `http://127.0.0.1:8081`) of an http(s) URL with no
/// user name or password, as the HTTP client will connect to it.
pub fn origin(url: &str) -> Option<String> {
    let url = Url::parse(url.trim()).ok()?;
    let ok = matches!(url.scheme(), "http" | "https")
        && url.username().is_empty()
        && url.password().is_none()
        && url.host().is_some();
    ok.then(|| url.origin().ascii_serialization())
}

impl Sources {
    /// `list`: origins as the operator wrote them (`https://news.example`, with or without
    /// a trailing slash).
    pub fn new(list: &[String], timeout: Duration) -> Result<Sources, String> {
        let mut origins = Vec::new();
        for entry in list {
            let o = origin(entry).ok_or_else(|| {
                format!("--source {entry}: not an http(s) origin like https://news.example")
            })?;
            origins.push(o);
        }
        let origins = Arc::new(origins);
        let listed = Arc::clone(&origins);
        let client = reqwest::Client::builder()
            .user_agent(import::USER_AGENT)
            .redirect(reqwest::redirect::Policy::custom(move |attempt| {
                let allowed = origin(attempt.url().as_str()).is_some_and(|o| listed.contains(&o));
                if !allowed {
                    attempt.error(import::OFF_LIST)
                } else if attempt.previous().len() > MAX_REDIRECTS {
                    attempt.error("too many redirects")
                } else {
                    attempt.follow()
                }
            }))
            .build()
            .map_err(|e| format!("cannot make an HTTP client: {e}"))?;
        Ok(Sources {
            origins,
            client,
            timeout,
            cache: moka::future::Cache::builder()
                .max_capacity(MAX_CACHED)
                .expire_after(PageAge)
                .build(),
        })
    }

    pub(crate) fn listed(&self, url: &str) -> bool {
        origin(url).is_some_and(|o| self.origins.contains(&o))
    }

    /// The article of the page at `url`, and how long it may be kept.
    pub(crate) async fn read(&self, url: &str) -> Result<Reading, (StatusCode, String)> {
        // The fragment never reaches the site: `page#a` and `page#b` are one page, one
        // reading, one entry.
        let page = Url::parse(url.trim()).map(|mut u| {
            u.set_fragment(None);
            u.to_string()
        });
        let url = page.as_deref().unwrap_or(url);
        if !self.listed(url) {
            return Err((
                StatusCode::FORBIDDEN,
                format!("{url}: not on a listed source origin (serve --source)"),
            ));
        }
        let cached = self
            .cache
            .try_get_with(url.to_owned(), async {
                let page = import::fetch_page(&self.client, url, self.timeout)
                    .await
                    .map_err(|e| {
                        let status = match e.kind {
                            import::FetchErrorKind::OffList => StatusCode::FORBIDDEN,
                            import::FetchErrorKind::Timeout => StatusCode::GATEWAY_TIMEOUT,
                            import::FetchErrorKind::Status(404 | 410) => StatusCode::NOT_FOUND,
                            _ => StatusCode::BAD_GATEWAY,
                        };
                        (status, e.to_string())
                    })?;
                let refuse = |problems: Vec<String>| {
                    (
                        StatusCode::UNPROCESSABLE_ENTITY,
                        format!("{url}: {}", problems.join("; ")),
                    )
                };
                let imported = import::from_html(&page.html, Some(&page.url)).map_err(refuse)?;
                // Text the page's encoding could not decode is never published.
                let undecoded = if page.had_errors {
                    import::undecoded(&imported.article, &page.encoding)
                } else {
                    Vec::new()
                };
                if !undecoded.is_empty() {
                    return Err(refuse(undecoded));
                }
                let reading = Reading {
                    json: import::to_json_ld(&imported.article).to_text().into(),
                    article: Arc::new(imported.article),
                    age: page.max_age.unwrap_or(MIN_AGE).clamp(MIN_AGE, MAX_AGE),
                };
                Ok(Cached {
                    until: Instant::now() + reading.age,
                    reading,
                })
            })
            .await
            .map_err(|e: Arc<(StatusCode, String)>| (*e).clone())?;
        Ok(Reading {
            age: cached.until.saturating_duration_since(Instant::now()),
            ..cached.reading
        })
    }
}

#[derive(Deserialize)]
pub(crate) struct FromQuery {
    url: Option<String>,
}

/// `GET /articles/from?url=…`: JSON-LD, readable from any page as `/articles/` is.
pub(crate) async fn from(
    State(app): State<Arc<App>>,
    query: Result<Query<FromQuery>, QueryRejection>,
) -> Response {
    // A malformed query (`?url=a&url=b`) is answered here too, with the same headers.
    let url = match &query {
        Ok(Query(q)) => q.url.as_deref(),
        Err(_) => None,
    };
    let mut response = match (&app.sources, url) {
        (_, None) => (
            StatusCode::BAD_REQUEST,
            "one url=<page URL> is required".to_owned(),
        )
            .into_response(),
        (None, Some(_)) => (
            StatusCode::FORBIDDEN,
            "this server reads no pages: start it with --source ORIGIN".to_owned(),
        )
            .into_response(),
        (Some(sources), Some(url)) => match sources.read(url).await {
            Ok(Reading { json, age, article }) => {
                app.newsletters.learn(&article);
                (
                    [
                        (header::CONTENT_TYPE, "application/ld+json".to_owned()),
                        (
                            header::CACHE_CONTROL,
                            format!("public, max-age={}", age.as_millis().div_ceil(1000)),
                        ),
                    ],
                    json.to_string(),
                )
                    .into_response()
            }
            Err((status, message)) => (status, message).into_response(),
        },
    };
    headers::public_resource(response.headers_mut());
    if !response.status().is_success() {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// The article of a page on a listed origin, and the URL of its reading on this server
/// (`/articles/from?url=…`), for oEmbed; `None` when `url` is on no listed origin.
pub(crate) async fn article_of(
    app: &App,
    url: &str,
) -> Option<Result<(Article, String), (StatusCode, String)>> {
    let sources = app.sources.as_ref().filter(|s| s.listed(url))?;
    Some(
        async {
            let article = Article::clone(&sources.read(url).await?.article);
            let query = serde_urlencoded::to_string([("url", url)]).unwrap_or_default();
            Ok((article, format!("{}/articles/from?{query}", app.public_url)))
        }
        .await,
    )
}
