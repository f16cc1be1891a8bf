//! Embedding without the snippet's script on the host: `/embed/<slug>` (the card rendered on
//! the server, a page for iframes, which tells its parent its height), `/oembed` (oEmbed 1.0
//! `rich` JSON whose `html` is the snippet), and `POST /api/snippet` for the snippet
//! builder page.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json as AxumJson;
use serde::Deserialize;

use crate::App;
use article_embed_card::article::{self, Article};
use article_embed_card::json::Json;
use article_embed_card::options::{self, Layout, RawOptions};
use article_embed_card::ssr::{self, attr, DataSource, Snippet};

/// Card width when the consumer gives none, and the narrowest the card allows.
const DEFAULT_WIDTH: u32 = 640;
const MIN_WIDTH: u32 = 280;

/// Slugs are file stems of the articles folder: letters of any script, digits, `-` and `_`,
/// nothing that could leave it.
fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 200
        && slug
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// An unknown story URL sends `/oembed` back to the folder at most this often: a flood of
/// made-up URLs is not a flood of folder scans, and a story added is found within it.
const REINDEX_AFTER: std::time::Duration = std::time::Duration::from_secs(10);

pub(crate) struct Articles {
    dir: PathBuf,
    /// Cards rendered for `.card.html`, by story, its file's time and the attributes.
    markup: moka::future::Cache<String, Markup>,
    /// Each story's own `url` → its slug, and when the folder was read for it.
    index: std::sync::Mutex<Option<(std::time::Instant, HashMap<String, String>)>>,
    /// One reading of the folder at a time.
    indexing: tokio::sync::Mutex<()>,
}

impl Articles {
    pub(crate) fn new(dir: PathBuf) -> Articles {
        Articles {
            dir,
            markup: moka::future::Cache::builder()
                .max_capacity(1000)
                .time_to_idle(std::time::Duration::from_secs(600))
                .build(),
            index: std::sync::Mutex::new(None),
            indexing: tokio::sync::Mutex::new(()),
        }
    }

    /// The slug under which the index has `url`, and whether the index is due a new reading.
    fn indexed(&self, url: &str) -> (Option<String>, bool) {
        let index = self.index.lock().unwrap_or_else(|p| p.into_inner());
        match index.as_ref() {
            Some((at, urls)) => (urls.get(url).cloned(), at.elapsed() >= REINDEX_AFTER),
            None => (None, true),
        }
    }

    /// The slug of the story whose own `url` is `url`, from the index, read again (off the
    /// request's thread) when it misses and is old enough.
    async fn by_story_url(&self, url: &str, public_url: &str) -> Option<String> {
        let (slug, stale) = self.indexed(url);
        if slug.is_some() || !stale {
            return slug;
        }
        let _one = self.indexing.lock().await;
        let (slug, stale) = self.indexed(url);
        if slug.is_some() || !stale {
            return slug;
        }
        let (dir, public_url) = (self.dir.clone(), public_url.to_owned());
        let urls = tokio::task::spawn_blocking(move || index(&dir, &public_url))
            .await
            .unwrap_or_default();
        let slug = urls.get(url).cloned();
        *self.index.lock().unwrap_or_else(|p| p.into_inner()) =
            Some((std::time::Instant::now(), urls));
        slug
    }

    async fn load(&self, slug: &str, public_url: &str) -> Option<Article> {
        if !valid_slug(slug) {
            return None;
        }
        let text = tokio::fs::read_to_string(self.dir.join(format!("{slug}.json")))
            .await
            .ok()?;
        let json = Json::parse(&text).ok()?;
        let base = format!("{public_url}/articles/{slug}.json");
        article::parse(&json, Some(&base)).ok().map(|p| p.article)
    }

    /// The slug of the article a URL names: its `/embed/` or `/articles/` URL on this server,
    /// or the story's own `url` in its data.
    async fn find(&self, url: &str, public_url: &str) -> Option<String> {
        let url = url.trim();
        let path = url.strip_prefix(public_url).unwrap_or(url);
        for prefix in ["/embed/", "/articles/"] {
            if let Some(rest) = path.strip_prefix(prefix) {
                let rest = rest.split(['?', '#']).next().unwrap_or(rest);
                // The JSON-LD, or the article's page beside it.
                let slug = rest
                    .strip_suffix(".json")
                    .or_else(|| rest.strip_suffix(".html"))
                    .unwrap_or(rest);
                return valid_slug(slug).then(|| slug.to_owned());
            }
        }
        self.by_story_url(url, public_url).await
    }
}

/// A card's markup as it is sent: compressed once, kept with the hash its ETags are made of.
#[derive(Clone)]
pub(crate) struct Markup {
    hash: String,
    plain: axum::body::Bytes,
    brotli: axum::body::Bytes,
    gzip: axum::body::Bytes,
}

/// `GET /articles/<slug>.card.html?<attributes>` (docs/publishers.md, "Markup before the wasm"): the
/// card an `<article-embed src=".../<slug>.json">` with these attributes shows, rendered
/// as `snippet` renders it (the element, its declarative shadow root, the stylesheet), so
/// that the script can show it before the wasm comes. Revalidated by ETag, like the story.
pub(crate) async fn card(
    app: &App,
    slug: &str,
    query: &str,
    headers: &axum::http::HeaderMap,
) -> Response {
    use crate::articles::assets::{self, Effort::Quick, Encoding};
    // The loader reads this header (exposed to other origins) to tell a story this server
    // lacks from a host that renders no cards at all.
    let not_found = || {
        (
            StatusCode::NOT_FOUND,
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (header::HeaderName::from_static("x-article-embed"), "card"),
                (header::ACCESS_CONTROL_EXPOSE_HEADERS, "x-article-embed"),
            ],
            "no such article\n",
        )
            .into_response()
    };
    if !valid_slug(slug) {
        return not_found();
    }
    let file = app.articles.dir.join(format!("{slug}.json"));
    let Ok((modified, len)) = tokio::fs::metadata(&file)
        .await
        .and_then(|m| Ok((m.modified()?, m.len())))
    else {
        return not_found();
    };
    let stamp = modified
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    // Keyed by the options the query gives (unknown names, order and spelling make no new
    // card), the story's file by time and length.
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let options = RawOptions::from_attributes(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let key = format!("{slug}\n{stamp}\n{len}\n{:?}", options.attributes());
    let made = app
        .articles
        .markup
        .try_get_with(key, async {
            let article = app.articles.load(slug, &app.public_url).await.ok_or(())?;
            let src = format!("{}/articles/{slug}.json", app.public_url);
            let snippet = Snippet {
                base: Some(src.clone()),
                data: DataSource::Src(src),
                options,
                script: None,
            };
            let html = ssr::snippet(article, &snippet).await;
            tokio::task::spawn_blocking(move || {
                use sha2::Digest as _;
                let hash = crate::tokens::hex(&sha2::Sha256::digest(html.as_bytes())[..12]);
                // Made on request, for any attributes: compressed well, without the static
                // files' highest settings.
                Ok::<Markup, ()>(Markup {
                    hash,
                    brotli: assets::compress_with(html.as_bytes(), Encoding::Brotli, Quick)
                        .map_err(|_| ())?,
                    gzip: assets::compress_with(html.as_bytes(), Encoding::Gzip, Quick)
                        .map_err(|_| ())?,
                    plain: axum::body::Bytes::from(html),
                })
            })
            .await
            .map_err(|_| ())?
        })
        .await;
    let made: Result<Markup, Arc<()>> = made;
    let Ok(made) = made else {
        return not_found();
    };
    let encoding = assets::negotiate(headers);
    let (body, prefix) = match encoding {
        Encoding::Brotli => (made.brotli.clone(), "br-"),
        Encoding::Gzip => (made.gzip.clone(), "gz-"),
        Encoding::Identity => (made.plain.clone(), ""),
    };
    // Each encoding its own tag, as the static files have.
    let etag = format!("\"{prefix}{}\"", made.hash);
    let mut response = if assets::if_none_match(headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = body.into_response();
        assets::label(response.headers_mut(), encoding);
        response
    };
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-cache"),
    );
    h.insert(
        header::VARY,
        header::HeaderValue::from_static("accept-encoding"),
    );
    if let Ok(etag) = header::HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, etag);
    }
    // Read by the loader as data; opened as a page, it runs nothing and posts nowhere.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src http: https: data:; \
             form-action 'none'; frame-ancestors 'none'; sandbox",
        ),
    );
    response
}

/// Every story's own `url` in `dir`, to its slug.
fn index(dir: &std::path::Path, public_url: &str) -> HashMap<String, String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return HashMap::new();
    };
    let mut urls = HashMap::new();
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let Some(slug) = name.to_str().and_then(|n| n.strip_suffix(".json")) else {
            continue;
        };
        if !valid_slug(slug) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let base = format!("{public_url}/articles/{slug}.json");
        let url = Json::parse(&text)
            .ok()
            .and_then(|json| article::parse(&json, Some(&base)).ok())
            .and_then(|parsed| parsed.article.url);
        if let Some(url) = url {
            urls.insert(url, slug.to_owned());
        }
    }
    urls
}

/// The `/embed/` query: the element's attributes by their own names, but the signup
/// endpoint, which is this server's. (A test holds it to src/element.json.)
/// `/embed/`'s query: the element's attributes, by their names (element.json); the
/// endpoint is the server's own.
#[derive(Debug, Default, Deserialize)]
#[serde(transparent)]
pub(crate) struct EmbedQuery(Vec<(String, String)>);

fn options(app: &App, q: EmbedQuery) -> RawOptions {
    RawOptions {
        signup_endpoint: Some(format!("{}/api/subscribe", app.public_url)),
        ..RawOptions::from_attributes(
            q.0.iter()
                .filter(|(name, _)| name != "signup-endpoint")
                .map(|(name, value)| (name.as_str(), value.as_str())),
        )
    }
}

fn oembed_link(app: &App, slug: &str) -> String {
    let page = format!("{}/embed/{slug}", app.public_url);
    format!(
        "{}/oembed?url={}&format=json",
        app.public_url,
        serde_urlencoded::to_string([("", page.as_str())])
            .unwrap_or_default()
            .trim_start_matches('=')
    )
}

/// `GET /embed/<slug>`: the card alone, server-rendered, for an iframe. It posts its height
/// to the parent (`{sentinel: "amp", type: "embed-size", height}`, which AMP and Iframely
/// hosts understand; `article-embed-resizer.js` does the same for any page).
pub(crate) async fn page(
    State(app): State<Arc<App>>,
    Path(slug): Path<String>,
    Query(q): Query<EmbedQuery>,
) -> Response {
    let Some(article) = app.articles.load(&slug, &app.public_url).await else {
        return (
            StatusCode::NOT_FOUND,
            Html(crate::requests::pages::message(
                &crate::words::EN,
                "No such article.",
                None,
            )),
        )
            .into_response();
    };
    let title = article.headline.clone();
    let lang = article.language.clone().unwrap_or_else(|| "en".into());
    let src = format!("{}/articles/{slug}.json", app.public_url);
    let mut options = options(&app, q);
    // Hosts may frame it in a sandbox with an opaque origin (frames.rs).
    options.signup_endpoint = Some(format!(
        "{}/api/subscribe?frame={}",
        app.public_url,
        app.frames.token(crate::time::now_ms())
    ));
    let snippet = Snippet {
        base: Some(src.clone()),
        data: DataSource::Src(src),
        options,
        script: Some(own_script(&app)),
    };
    let card = ssr::snippet(article, &snippet).await;
    let html = format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n\
         <link rel=\"alternate\" type=\"application/json+oembed\" href=\"{oembed}\" title=\"{title}\">\n\
         <style>html,body{{margin:0;padding:0;background:transparent}}</style>\n\
         </head>\n<body>\n{card}<script type=\"module\" src=\"{public}/dist/article-embed-frame.js\"></script>\n\
         </body>\n</html>\n",
        lang = attr(&lang),
        title = attr(&title),
        oembed = attr(&oembed_link(&app, &slug)),
        public = attr(&app.public_url),
    );
    let mut response = Html(html).into_response();
    // Made to be framed by any site; its script, wasm, data and form are the server's own.
    let own = crate::requests::headers::origin_of(&app.public_url).unwrap_or_default();
    let csp = format!(
        "default-src 'none'; script-src 'self' {own} 'wasm-unsafe-eval'; \
         style-src 'unsafe-inline'; img-src https: http: data:; connect-src 'self' {own}; \
         form-action 'self' {own}; base-uri 'none'; frame-ancestors *"
    );
    crate::requests::headers::own_page(response.headers_mut(), &csp);
    response
}

/// `GET /embed/<slug>/story`: on to the story itself. A frame in WordPress's sandbox may
/// not navigate the page that holds it; it asks the page to (the `link` message of
/// WordPress's embeds), which follows only links on the frame's own host: this one.
pub(crate) async fn story(State(app): State<Arc<App>>, Path(slug): Path<String>) -> Response {
    match app
        .articles
        .load(&slug, &app.public_url)
        .await
        .and_then(|a| a.url)
    {
        Some(url) => (
            StatusCode::SEE_OTHER,
            [
                (header::LOCATION, url),
                (header::CACHE_CONTROL, "no-cache".to_owned()),
            ],
        )
            .into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Html(crate::requests::pages::message(
                &crate::words::EN,
                "No such article.",
                None,
            )),
        )
            .into_response(),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct OembedQuery {
    url: Option<String>,
    format: Option<String>,
    maxwidth: Option<String>,
    maxheight: Option<String>,
    theme: Option<String>,
    layout: Option<String>,
    newsletter: Option<String>,
    lang: Option<String>,
    /// `iframe` (the default, for articles this server hosts): a blockquote with the story's
    /// link and an iframe of `/embed/…`, what consumers that trust no provider's script keep
    /// (WordPress, which also sandboxes the frame). `script`: the server-rendered snippet
    /// with its script, for consumers that trust this server (the WordPress plugin).
    flavour: Option<String>,
}

/// `GET /oembed?url=…&format=json` (oEmbed 1.0, type `rich`).
pub(crate) async fn oembed(State(app): State<Arc<App>>, Query(q): Query<OembedQuery>) -> Response {
    let error = |status: StatusCode, message: &str| {
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            message.to_owned(),
        )
            .into_response()
    };
    match q.format.as_deref() {
        None | Some("json") => {}
        Some("xml") => {
            return error(
                StatusCode::NOT_IMPLEMENTED,
                "format=xml is not supported; use json",
            )
        }
        Some(_) => return error(StatusCode::NOT_IMPLEMENTED, "unknown format; use json"),
    }
    let Some(url) = q.url.as_deref() else {
        return error(StatusCode::BAD_REQUEST, "url is required");
    };
    // An article this server hosts, or one it reads from a listed site's page (SPEC 6.3).
    let (article, src, slug) = match app.articles.find(url, &app.public_url).await {
        Some(slug) => match app.articles.load(&slug, &app.public_url).await {
            Some(article) => (
                article,
                format!("{}/articles/{slug}.json", app.public_url),
                Some(slug),
            ),
            None => return error(StatusCode::NOT_FOUND, "no article at that url"),
        },
        None => match crate::articles::sources::article_of(&app, url).await {
            Some(Ok((article, src))) => (article, src, None),
            Some(Err((status, message))) => return error(status, &message),
            None => return error(StatusCode::NOT_FOUND, "no article at that url"),
        },
    };
    // A page of another site has no /embed/ frame: its answer is the script flavour.
    let framed = match (q.flavour.as_deref(), &slug) {
        (None | Some("iframe"), Some(slug)) => Some(slug.clone()),
        (None | Some("iframe"), None) | (Some("script"), _) => None,
        (Some(other), _) => {
            return error(
                StatusCode::BAD_REQUEST,
                &format!("flavour \"{other}\" is not iframe or script"),
            )
        }
    };
    let bound = |v: &Option<String>| v.as_deref().and_then(|s| s.trim().parse::<u32>().ok());
    let width = bound(&q.maxwidth)
        .map_or(DEFAULT_WIDTH, |max| max.min(DEFAULT_WIDTH))
        .max(MIN_WIDTH);
    // In a frame, compact unless asked otherwise: the full card is taller than the 1000 px
    // WordPress lets an embed grow to.
    let layout = match (&framed, q.layout) {
        (Some(_), None) => Some("compact".to_owned()),
        (_, layout) => layout,
    };
    let compact = layout.as_deref() == Some("compact");
    let mut height = options::estimated_height(
        f64::from(width),
        if compact {
            Layout::Compact
        } else {
            Layout::Full
        },
        true,
    );
    if let Some(max) = bound(&q.maxheight) {
        height = height.min(max);
    }
    let title = article.headline.clone();
    let author = article.authors.first().map(|a| a.name.clone());
    let provider = article.publisher.as_ref().and_then(|p| p.name.clone());
    let thumbnail = article
        .image
        .as_ref()
        .map(|i| (i.url.clone(), i.width, i.height));
    let html = match framed {
        Some(slug) => {
            let mut query = vec![("layout", layout.unwrap_or_default())];
            query.extend(q.theme.map(|v| ("theme", v)));
            query.extend(q.newsletter.map(|v| ("newsletter", v)));
            query.extend(q.lang.map(|v| ("lang", v)));
            // The blockquote is what shows until the frame speaks (or with no script).
            let link = article
                .url
                .clone()
                .unwrap_or_else(|| format!("{}/embed/{slug}", app.public_url));
            format!(
                "<blockquote><a href=\"{link}\">{title}</a></blockquote>\n\
                 <iframe src=\"{public}/embed/{slug}?{query}\" width=\"{width}\" height=\"{height}\" \
                 title=\"{title}\" frameborder=\"0\" scrolling=\"no\"></iframe>",
                link = attr(&link),
                title = attr(&title),
                public = attr(&app.public_url),
                query = attr(&serde_urlencoded::to_string(&query).unwrap_or_default()),
            )
        }
        None => {
            let snippet = Snippet {
                base: Some(src.clone()),
                data: DataSource::Src(src),
                options: RawOptions {
                    theme: q.theme,
                    layout,
                    newsletter: q.newsletter,
                    lang: q.lang,
                    ..options(&app, EmbedQuery::default())
                },
                script: Some(own_script(&app)),
            };
            ssr::snippet(article, &snippet).await
        }
    };
    let mut body = serde_json::json!({
        "version": "1.0",
        "type": "rich",
        "title": title,
        "html": html,
        "width": width,
        "height": height,
        "provider_name": provider.unwrap_or_else(|| "article-embed".into()),
        "provider_url": app.public_url,
        "cache_age": 3600,
    });
    if let Some(author) = author {
        body["author_name"] = author.into();
    }
    if let Some((url, w, h)) = thumbnail {
        body["thumbnail_url"] = url.into();
        if let (Some(w), Some(h)) = (w, h) {
            body["thumbnail_width"] = w.into();
            body["thumbnail_height"] = h.into();
        }
    }
    AxumJson(body).into_response()
}

#[derive(Debug, Deserialize)]
pub(crate) struct SnippetRequest {
    /// The JSON-LD text.
    json: String,
    /// Where it is published, when it came from a URL.
    src: Option<String>,
    #[serde(default)]
    options: RawOptions,
    /// Where the page loads the script from: this server (by default), or the npm
    /// package on a public CDN (`jsdelivr`, `unpkg`).
    script: Option<String>,
}

/// The script on this server: short-cached, so that a new release reaches every page.
fn own_script(app: &App) -> ssr::Script {
    format!("{}/dist/article-embed.js", app.public_url).into()
}

/// The npm package's one-file script on a public CDN, pinned to this server's version and
/// to the loader it serves (the package's, when both come from one `make dist`) by its
/// Subresource Integrity hash. `None` for an unknown CDN, or without a built loader.
async fn cdn_script(app: &App, cdn: &str) -> Option<ssr::Script> {
    let package = format!(
        "article-embed@{}/dist/article-embed.js",
        env!("CARGO_PKG_VERSION")
    );
    let src = match cdn {
        "jsdelivr" => format!("https://cdn.jsdelivr.net/npm/{package}"),
        "unpkg" => format!("https://unpkg.com/{package}"),
        _ => return None,
    };
    Some(ssr::Script {
        src,
        integrity: Some(app.assets.integrity("article-embed.js").await?),
    })
}

/// `POST /api/snippet`, for the builder page: the snippet (and the iframe flavour, for
/// articles this server hosts), or every problem with its field path.
pub(crate) async fn snippet(
    State(app): State<Arc<App>>,
    AxumJson(r): AxumJson<SnippetRequest>,
) -> Response {
    let src = r.src.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let script = match r.script.as_deref() {
        None | Some("server") => own_script(&app),
        Some(cdn) => match cdn_script(&app, cdn).await {
            Some(script) => script,
            None => {
                return (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    AxumJson(serde_json::json!({ "problems": [
                        format!("script: \"{cdn}\" is not one of server, jsdelivr, unpkg, or this server has no built dist/article-embed.js")
                    ] })),
                )
                    .into_response()
            }
        },
    };
    let script = Some(script);
    let (article, snippet, warnings) =
        match ssr::read(&r.json, src.map(str::to_owned), None, r.options, script) {
            Ok(read) => read,
            Err(problems) => {
                return (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    AxumJson(serde_json::json!({ "problems": problems })),
                )
                    .into_response()
            }
        };
    let title = attr(&article.headline);
    let html = ssr::snippet(article, &snippet).await;
    let prefix = format!("{}/articles/", app.public_url);
    let slug = src
        .and_then(|s| s.strip_prefix(&prefix))
        .and_then(|file| file.strip_suffix(".json"))
        .filter(|slug| valid_slug(slug));
    // Attributes only (no style=""): a host with a strict CSP allows them. The referrer
    // policy lets the frame know the page holding it (its signups name that page, of whose
    // query the card keeps only what says which post it is); the default would tell only
    // the origin.
    let iframe = slug.map(|slug| {
        format!(
            "<iframe src=\"{public}/embed/{slug}\" title=\"{title}\" width=\"100%\" height=\"{height}\" \
             frameborder=\"0\" scrolling=\"no\" loading=\"lazy\" referrerpolicy=\"no-referrer-when-downgrade\"></iframe>\n\
             <script type=\"module\" src=\"{public}/dist/article-embed-resizer.js\"></script>\n",
            public = app.public_url,
            height = options::estimated_height(f64::from(DEFAULT_WIDTH), Layout::Full, true),
        )
    });
    AxumJson(serde_json::json!({ "snippet": html, "iframe": iframe, "warnings": warnings }))
        .into_response()
}
