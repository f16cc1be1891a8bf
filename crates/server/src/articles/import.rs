//! Articles from the pages publishers already have (SPEC 6.3): the article JSON-LD that a
//! news page carries in a `<script type="application/ld+json">`, or, where it has none, an
//! article built from its Open Graph and standard meta tags. Either way the article goes
//! through the same reader as any JSON-LD (the same checks, the same field paths), and
//! comes out as plain NewsArticle JSON-LD with every URL absolute (root-relative when the
//! page's own address is given as a path): what `import` writes into the articles folder.

use scraper::{Html, Selector};

use article_embed_card::article::{self, Article, Date, Image, Party, ProblemKind};
use article_embed_card::json::{self, Json};

/// Where in the page the article was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The `n`th (from 1) JSON-LD script of the page.
    JsonLd(usize),
    OpenGraph,
}

/// An article read from a page.
#[derive(Debug)]
pub struct Imported {
    pub source: Source,
    pub article: Article,
    /// Dropped values, each with where it was (`script[2] author: …`, `og:image: …`).
    pub warnings: Vec<String>,
}

/// Reads the article of an HTML page. `page_url` is where the page was found (relative
/// URLs resolve against it; a root-relative path keeps them root-relative); for a saved
/// file without one, the page's canonical URL is used, if it names one. Fails with every problem found, each with where it was, when the page yields
/// no article.
pub fn from_html(html: &str, page_url: Option<&str>) -> Result<Imported, Vec<String>> {
    let doc = Html::parse_document(html);
    let meta = Meta::read(&doc);
    let own_url = meta.canonical.as_deref().or(meta.first(&["og:url"]));
    let base = page_url.or(own_url);
    // Problems of scripts passed over; warnings if an article is found after all.
    let mut problems = Vec::new();

    for (i, script) in json_ld_scripts(&doc).into_iter().enumerate() {
        let n = i + 1;
        let json = match Json::parse(&script) {
            Ok(json) => json,
            Err(e) => {
                problems.push(format!("script[{n}]: not valid JSON: {e}"));
                continue;
            }
        };
        match article::parse_with_base(&json, base) {
            Ok(parsed) => {
                problems.extend(parsed.warnings.iter().map(|w| format!("script[{n}] {w}")));
                return Ok(Imported {
                    source: Source::JsonLd(n),
                    article: with_page_url(parsed.article, base),
                    warnings: problems,
                });
            }
            Err(found) => {
                // A script with no article in it (a breadcrumb list, a site search box) is
                // not a problem of the page; an article that cannot be shown is.
                let no_article = found.iter().all(|p| {
                    matches!(
                        p.kind,
                        ProblemKind::NoArticle | ProblemKind::NotAnArticle { .. }
                    )
                });
                if !no_article {
                    problems.extend(found.iter().map(|p| format!("script[{n}] {p}")));
                }
            }
        }
    }

    let og = meta.open_graph();
    match article::parse_with_base(&og, base) {
        Ok(parsed) => {
            problems.extend(parsed.warnings.iter().map(|w| format!("meta tags {w}")));
            Ok(Imported {
                source: Source::OpenGraph,
                article: with_page_url(parsed.article, base),
                warnings: problems,
            })
        }
        Err(found) => {
            if problems.is_empty() {
                problems.push(
                    "no article: no JSON-LD NewsArticle (or other Article) in the page, and no \
                     og:title or <title> to build one from"
                        .to_owned(),
                );
            }
            problems.extend(
                found
                    .iter()
                    .filter(|p| p.path != "headline" || meta.has_title())
                    .map(|p| format!("meta tags {p}")),
            );
            Err(problems)
        }
    }
}

/// The story's link: the page the article was read from, when its JSON-LD names none
/// (WordPress puts it on the WebPage node, not the article's).
fn with_page_url(mut article: Article, page: Option<&str>) -> Article {
    if article.url.is_none() {
        article.url =
            page.and_then(|p| article_embed_card::url::resolve_or_keep_relative(p, None).ok());
    }
    article
}

/// The text of every `<script type="application/ld+json">`, in document order.
fn json_ld_scripts(doc: &Html) -> Vec<String> {
    let Ok(scripts) = Selector::parse("script[type]") else {
        return Vec::new();
    };
    doc.select(&scripts)
        .filter(|s| {
            s.value().attr("type").is_some_and(|t| {
                t.split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .eq_ignore_ascii_case("application/ld+json")
            })
        })
        .map(|s| s.text().collect())
        .collect()
}

/// The page's meta tags that can make an article, first value of each kept (authors: all).
#[derive(Default)]
struct Meta {
    values: Vec<(String, String)>,
    title: Option<String>,
    canonical: Option<String>,
    lang: Option<String>,
}

impl Meta {
    fn read(doc: &Html) -> Meta {
        let mut meta = Meta::default();
        if let Ok(tags) = Selector::parse("meta[content]") {
            for tag in doc.select(&tags) {
                let el = tag.value();
                let key = el.attr("property").or_else(|| el.attr("name"));
                if let (Some(key), Some(content)) = (key, el.attr("content")) {
                    meta.values
                        .push((key.trim().to_ascii_lowercase(), content.to_owned()));
                }
            }
        }
        if let Ok(title) = Selector::parse("title") {
            meta.title = doc.select(&title).next().map(|t| t.text().collect());
        }
        if let Ok(links) = Selector::parse("link[rel][href]") {
            meta.canonical = doc
                .select(&links)
                .find(|l| {
                    l.value().attr("rel").is_some_and(|rel| {
                        rel.split_ascii_whitespace()
                            .any(|r| r.eq_ignore_ascii_case("canonical"))
                    })
                })
                .and_then(|l| l.value().attr("href"))
                .map(str::to_owned);
        }
        if let Ok(html) = Selector::parse("html[lang]") {
            meta.lang = doc
                .select(&html)
                .next()
                .and_then(|h| h.value().attr("lang"))
                .map(str::to_owned);
        }
        meta
    }

    fn first(&self, keys: &[&str]) -> Option<&str> {
        keys.iter().find_map(|key| {
            self.values
                .iter()
                .find(|(k, v)| k == key && !v.trim().is_empty())
                .map(|(_, v)| v.as_str())
        })
    }

    fn all(&self, key: &str) -> Vec<&str> {
        self.values
            .iter()
            .filter(|(k, v)| k == key && !v.trim().is_empty())
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn has_title(&self) -> bool {
        self.first(&["og:title", "twitter:title"]).is_some() || self.title.is_some()
    }

    /// The meta tags as JSON-LD, for the article reader to check like any other.
    fn open_graph(&self) -> Json {
        let mut fields: Vec<(String, Json)> = vec![
            ("@context".into(), "https://schema.org".into()),
            ("@type".into(), "NewsArticle".into()),
        ];
        let mut put = |key: &str, value: Json| {
            if value != Json::Null {
                fields.push((key.to_owned(), value));
            }
        };
        let headline = self
            .first(&["og:title", "twitter:title"])
            .or(self.title.as_deref());
        // The HTML parser has decoded the tags' character references once already: the
        // reader must not decode them again.
        put("headline", opt_text(headline));
        put(
            "description",
            opt_text(self.first(&["og:description", "description", "twitter:description"])),
        );
        put(
            "url",
            self.first(&["og:url"]).or(self.canonical.as_deref()).into(),
        );
        if let Some(image) = self.first(&[
            "og:image:secure_url",
            "og:image",
            "og:image:url",
            "twitter:image",
        ]) {
            let mut object = vec![
                ("@type".to_owned(), Json::from("ImageObject")),
                ("url".to_owned(), image.into()),
            ];
            for (key, field) in [
                ("og:image:width", "width"),
                ("og:image:height", "height"),
                ("og:image:alt", "caption"),
            ] {
                if let Some(v) = self.first(&[key]) {
                    let value = if field == "caption" {
                        text(v)
                    } else {
                        v.into()
                    };
                    object.push((field.to_owned(), value));
                }
            }
            put("image", Json::Object(object));
        }
        if let Some(site) = self.first(&["og:site_name"]) {
            put(
                "publisher",
                json::object([("@type", "Organization".into()), ("name", text(site))]),
            );
        }
        // `article:author` is a profile URL or a name; `author` a name.
        let authors: Vec<Json> = self
            .all("article:author")
            .into_iter()
            .map(|a| {
                if article_embed_card::url::scheme_of(a.trim_start()).is_some() {
                    // A profile URL (any other scheme is dropped by the reader, with a
                    // warning); its name, if any, from `<meta name="author">`.
                    json::object([
                        ("@type", "Person".into()),
                        ("name", opt_text(self.first(&["author"]))),
                        ("url", a.into()),
                    ])
                } else {
                    json::object([("@type", "Person".into()), ("name", text(a))])
                }
            })
            .collect();
        if !authors.is_empty() {
            put("author", Json::Array(authors));
        } else if let Some(name) = self.first(&["author"]) {
            put(
                "author",
                json::object([("@type", "Person".into()), ("name", text(name))]),
            );
        }
        put(
            "datePublished",
            self.first(&["article:published_time"]).into(),
        );
        put(
            "dateModified",
            self.first(&["article:modified_time"]).into(),
        );
        let lang = self
            .lang
            .clone()
            .or_else(|| self.first(&["og:locale"]).map(|l| l.replace('_', "-")));
        put("inLanguage", lang.as_deref().into());
        Json::Object(fields)
    }
}

/// Text as the reader will decode it once more (see [`text::protect_references`]).
fn text(s: &str) -> Json {
    Json::String(article_embed_card::text::protect_references(s))
}

fn opt_text(s: Option<&str>) -> Json {
    s.map_or(Json::Null, text)
}

/// The article as plain NewsArticle JSON-LD: what the card shows, every URL absolute, text
/// written so that the reader's decoding of character references gives it back unchanged.
pub fn to_json_ld(a: &Article) -> Json {
    let mut fields: Vec<(String, Json)> = vec![
        ("@context".into(), "https://schema.org".into()),
        ("@type".into(), "NewsArticle".into()),
        ("headline".into(), text(&a.headline)),
    ];
    let mut put = |key: &str, value: Json| {
        if value != Json::Null && value != Json::Array(Vec::new()) {
            fields.push((key.to_owned(), value));
        }
    };
    put("description", opt_text(a.standfirst.as_deref()));
    put("url", a.url.as_deref().into());
    put("dateline", opt_text(a.dateline.as_deref()));
    put("datePublished", a.published.as_ref().map(date).into());
    put("dateModified", a.modified.as_ref().map(date).into());
    put("author", Json::Array(a.authors.iter().map(party).collect()));
    put("image", a.image.as_ref().map_or(Json::Null, image));
    put("articleBody", opt_text(body(&a.excerpt).as_deref()));
    put(
        "contributor",
        Json::Array(a.contributors.iter().map(party).collect()),
    );
    if let Some(p) = &a.publisher {
        let mut publisher = vec![("@type".to_owned(), Json::from("Organization"))];
        if let Some(name) = &p.name {
            publisher.push(("name".into(), text(name)));
        }
        if let Some(logo) = &p.logo {
            publisher.push(("logo".into(), image(logo)));
        }
        put("publisher", Json::Object(publisher));
    }
    put("inLanguage", a.language.as_deref().into());
    Json::Object(fields)
}

fn date(d: &Date) -> &str {
    &d.iso
}

fn body(paragraphs: &[String]) -> Option<String> {
    (!paragraphs.is_empty()).then(|| paragraphs.join("\n\n"))
}

/// A name, and its link: the card keeps no type, and calling an agency such as Reuters a
/// `Person` would be a false statement in the file.
fn party(p: &Party) -> Json {
    let mut fields = vec![("name".to_owned(), text(&p.name))];
    if let Some(url) = &p.url {
        fields.push(("url".into(), url.as_str().into()));
    }
    Json::Object(fields)
}

fn image(i: &Image) -> Json {
    let mut fields = vec![
        ("@type".to_owned(), Json::from("ImageObject")),
        ("url".to_owned(), i.url.as_str().into()),
    ];
    if let Some(w) = i.width {
        fields.push(("width".into(), Json::Number(f64::from(w))));
    }
    if let Some(h) = i.height {
        fields.push(("height".into(), Json::Number(f64::from(h))));
    }
    if let Some(c) = &i.caption {
        fields.push(("caption".into(), text(c)));
    }
    if let Some(c) = &i.credit {
        fields.push(("creditText".into(), text(c)));
    }
    Json::Object(fields)
}

/// The fields the card shows that hold U+FFFD, the mark of bytes the page's encoding could
/// not decode (call it for a page whose decoding met some: a U+FFFD the page itself wrote
/// is text): each with its field path in the written JSON-LD. A card must not publish them.
pub fn undecoded(a: &Article, encoding: &str) -> Vec<String> {
    let mut fields: Vec<(String, &str)> = vec![("headline".into(), &a.headline)];
    if let Some(standfirst) = &a.standfirst {
        fields.push(("description".into(), standfirst));
    }
    if let Some(dateline) = &a.dateline {
        fields.push(("dateline".into(), dateline));
    }
    for (i, author) in a.authors.iter().enumerate() {
        fields.push((format!("author[{i}].name"), &author.name));
    }
    for (i, contributor) in a.contributors.iter().enumerate() {
        fields.push((format!("contributor[{i}].name"), &contributor.name));
    }
    if let Some(name) = a.publisher.as_ref().and_then(|p| p.name.as_deref()) {
        fields.push(("publisher.name".into(), name));
    }
    if let Some(paragraph) = a.excerpt.iter().find(|p| p.contains('\u{FFFD}')) {
        fields.push(("articleBody".into(), paragraph));
    }
    if let Some(image) = &a.image {
        if let Some(caption) = &image.caption {
            fields.push(("image.caption".into(), caption));
        }
        if let Some(credit) = &image.credit {
            fields.push(("image.creditText".into(), credit));
        }
    }
    fields
        .into_iter()
        .filter(|(_, text)| text.contains('\u{FFFD}'))
        .map(|(path, _)| {
            format!(
                "{path}: holds bytes the page's encoding, {encoding}, cannot decode (shown as \u{FFFD}); \
                 the page is not in the encoding it declares"
            )
        })
        .collect()
}

/// The file name for a page's article: the last meaningful segment of its URL path (or of
/// the file's name), decoded, lower-cased, letters (of any script), digits and dashes
/// only: `/article/שלום` is `שלום`, not a name shared with every other Hebrew story.
pub fn slug(page: &str) -> Option<String> {
    let path = page
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .trim_end_matches('/');
    let path = path.split_once("://").map_or(path, |(_, rest)| {
        rest.split_once('/').map_or("", |(_, p)| p)
    });
    path.rsplit(['/', '\\'])
        .map(|segment| {
            let segment = percent_encoding::percent_decode_str(segment).decode_utf8_lossy();
            let segment = segment.as_ref();
            let stem = segment.rsplit_once('.').map_or(segment, |(stem, ext)| {
                if ext.len() <= 5 {
                    stem
                } else {
                    segment
                }
            });
            let mut out = String::new();
            for c in stem.chars() {
                if c.is_alphanumeric() {
                    out.extend(c.to_lowercase());
                } else if !out.ends_with('-') && !out.is_empty() {
                    out.push('-');
                }
            }
            out.trim_end_matches('-').to_owned()
        })
        .find(|s| !s.is_empty() && !matches!(s.as_str(), "index" | "amp"))
}

/// How the server and the CLI name themselves to the sites they read.
pub const USER_AGENT: &str = concat!("article-embed/", env!("CARGO_PKG_VERSION"));

/// Pages over this size are not read (SPEC 6.3).
pub const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;
/// Nor are pages slower than this to arrive, whole.
pub const PAGE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// What a redirect policy says when it refuses to follow a redirect off its list.
pub const OFF_LIST: &str = "redirected to an origin that is not listed";
/// ... and when a page sends it to the operator's own network.
pub const PRIVATE: &str = "redirected to another host on a loopback, private or link-local \
    address (import --allow-private-redirects follows it)";

/// Addresses of the operator's own network, which a redirect from someone else's page must
/// not make `import` read: loopback, private, link-local, unspecified, shared (CGNAT) and
/// unique-local ranges.
pub fn is_private(ip: std::net::IpAddr) -> bool {
    use std::net::IpAddr;
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || (a == 100 && (64..128).contains(&b))
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_private(IpAddr::V4(v4)),
            None => {
                let first = v6.segments()[0];
                v6.is_loopback()
                    || v6.is_unspecified()
                    || (first & 0xfe00) == 0xfc00
                    || (first & 0xffc0) == 0xfe80
            }
        },
    }
}

/// Resolves host names as the system does, but refuses, for any host other than the page's
/// own, names that lead into the operator's network (redirects are checked by name before
/// any connection, so a name cannot smuggle a private address past the redirect policy).
struct OwnNetworkRefused {
    first_host: String,
}

impl reqwest::dns::Resolve for OwnNetworkRefused {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        let own = host.eq_ignore_ascii_case(&self.first_host);
        Box::pin(async move {
            let addrs: Vec<std::net::SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if !own && addrs.iter().any(|a| is_private(a.ip())) {
                return Err(PRIVATE.into());
            }
            let addrs: reqwest::dns::Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

/// The client `import` reads `page` with: redirects followed (10 at most) except, unless
/// `allow_private`, to another host in the operator's own network.
pub fn client_for(page: &str, allow_private: bool) -> Result<reqwest::Client, String> {
    let first_host = reqwest::Url::parse(page)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default();
    let mut builder = reqwest::Client::builder().user_agent(USER_AGENT);
    if !allow_private {
        let own = first_host.clone();
        builder = builder
            .redirect(reqwest::redirect::Policy::custom(move |attempt| {
                let host = attempt.url().host_str().unwrap_or_default();
                let literal = host
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .parse::<std::net::IpAddr>()
                    .ok();
                let elsewhere = !host.eq_ignore_ascii_case(&own);
                if elsewhere && literal.is_some_and(is_private) {
                    attempt.error(PRIVATE)
                } else if attempt.previous().len() >= 10 {
                    attempt.error("too many redirects")
                } else {
                    attempt.follow()
                }
            }))
            .dns_resolver(std::sync::Arc::new(OwnNetworkRefused { first_host }));
    }
    builder
        .build()
        .map_err(|e| format!("cannot make an HTTP client: {e}"))
}

/// A page as read.
pub struct Page {
    pub html: String,
    /// Its encoding, and what said so, for messages.
    pub encoding: String,
    /// Some bytes could not be decoded in that encoding.
    pub had_errors: bool,
    /// Where it was finally read from, after redirects.
    pub url: String,
    /// Its `Cache-Control: max-age`, if it gave one (`no-store`, `no-cache`: zero).
    pub max_age: Option<std::time::Duration>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchErrorKind {
    Network,
    /// A redirect the client's policy refused ([`OFF_LIST`]).
    OffList,
    Timeout,
    Status(u16),
    NotHtml,
    TooBig,
}

#[derive(Debug)]
pub struct FetchError {
    pub kind: FetchErrorKind,
    pub message: String,
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Reads an article page over http(s), following redirects as `client`'s policy allows.
/// Only HTML, at most [`MAX_PAGE_BYTES`], whole within `timeout`; a page in another
/// character set than UTF-8 is read as UTF-8 with replacement characters.
pub async fn fetch_page(
    client: &reqwest::Client,
    url: &str,
    timeout: std::time::Duration,
) -> Result<Page, FetchError> {
    let fail = |kind, message: String| FetchError { kind, message };
    let network = |e: reqwest::Error| {
        let message = plain_error(&e);
        let kind = if e.is_redirect() && message.contains(OFF_LIST) {
            FetchErrorKind::OffList
        } else {
            FetchErrorKind::Network
        };
        fail(kind, format!("could not read {url}: {message}"))
    };
    let read = async {
        let mut response = client
            .get(url)
            .header(reqwest::header::ACCEPT, "text/html,application/xhtml+xml")
            .send()
            .await
            .map_err(network)?;
        let status = response.status();
        if !status.is_success() {
            return Err(fail(
                FetchErrorKind::Status(status.as_u16()),
                format!("could not read {url}: HTTP {}", status.as_u16()),
            ));
        }
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_ascii_lowercase()
        };
        let kind = header(reqwest::header::CONTENT_TYPE);
        if !(kind.starts_with("text/html") || kind.starts_with("application/xhtml+xml")) {
            return Err(fail(
                FetchErrorKind::NotHtml,
                format!(
                    "{url} is not an HTML page (Content-Type: {})",
                    if kind.is_empty() { "none" } else { &kind }
                ),
            ));
        }
        let max_age = cache_age(&header(reqwest::header::CACHE_CONTROL));
        let content_type = kind.clone();
        let too_big = || {
            fail(
                FetchErrorKind::TooBig,
                format!("{url} is larger than {} MB", MAX_PAGE_BYTES / 1024 / 1024),
            )
        };
        if response
            .content_length()
            .is_some_and(|n| n > MAX_PAGE_BYTES as u64)
        {
            return Err(too_big());
        }
        let final_url = response.url().to_string();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(network)? {
            if body.len() + chunk.len() > MAX_PAGE_BYTES {
                return Err(too_big());
            }
            body.extend_from_slice(&chunk);
        }
        let decoded = super::charset::decode(&body, Some(&content_type));
        Ok(Page {
            encoding: decoded.describe(),
            had_errors: decoded.had_errors,
            html: decoded.text,
            url: final_url,
            max_age,
        })
    };
    tokio::time::timeout(timeout, read)
        .await
        .unwrap_or_else(|_| {
            Err(fail(
                FetchErrorKind::Timeout,
                format!(
                    "could not read {url}: no answer within {} s",
                    timeout.as_secs()
                ),
            ))
        })
}

/// The `max-age` of a `Cache-Control` value; zero for `no-store` and `no-cache`.
fn cache_age(value: &str) -> Option<std::time::Duration> {
    let mut age = None;
    for directive in value.split(',').map(str::trim) {
        if directive == "no-store" || directive == "no-cache" {
            return Some(std::time::Duration::ZERO);
        }
        if let Some(n) = directive.strip_prefix("max-age=") {
            age = n
                .trim_matches('"')
                .parse()
                .ok()
                .map(std::time::Duration::from_secs);
        }
    }
    age
}

/// reqwest's error with its causes, without its debug dressing.
fn plain_error(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(name: &str) -> &'static str {
        match name {
            "graph" => include_str!("../../tests/fixtures/pages/graph.html"),
            "two-scripts" => include_str!("../../tests/fixtures/pages/two-scripts.html"),
            "open-graph" => include_str!("../../tests/fixtures/pages/open-graph.html"),
            "nothing" => include_str!("../../tests/fixtures/pages/nothing.html"),
            "hostile" => include_str!("../../tests/fixtures/pages/hostile.html"),
            _ => panic!("no fixture {name}"),
        }
    }

    fn authors(a: &Article) -> Vec<(&str, Option<&str>)> {
        a.authors
            .iter()
            .map(|p| (p.name.as_str(), p.url.as_deref()))
            .collect()
    }

    #[test]
    fn json_ld_in_a_graph_with_other_nodes() {
        // A saved file: the page's canonical URL is its base.
        let i = from_html(page("graph"), None).unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(i.source, Source::JsonLd(1));
        let a = &i.article;
        assert_eq!(a.headline, "The “final” word on tides & moons");
        assert_eq!(
            a.standfirst.as_deref(),
            Some("Why the harbour floods twice a year … and &#8220;why not&#8221;.")
        );
        assert_eq!(
            authors(a),
            [("Ana Ruiz", Some("https://blog.example/author/ana/"))]
        );
        assert_eq!(
            a.image.as_ref().map(|i| i.url.as_str()),
            Some("https://cdn.blog.example/tides.jpg")
        );
        let logo = a
            .publisher
            .as_ref()
            .and_then(|p| p.logo.as_ref())
            .map(|l| l.url.as_str());
        assert_eq!(logo, Some("https://blog.example/logo.png"));
        assert_eq!(
            i.warnings,
            ["script[1] @graph[2].author[1]: an @id that names no node of this document (dropped)"]
        );
        assert_eq!(
            a.url.as_deref().and_then(slug).as_deref(),
            Some("final-word-on-tides")
        );
    }

    #[test]
    fn a_broken_script_and_one_without_an_article_are_passed_over() {
        let url = "https://daily.example/news/ferry-service-resumes";
        let i = from_html(page("two-scripts"), Some(url)).unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(i.source, Source::JsonLd(3));
        assert_eq!(i.article.headline, "Ferry service resumes after storm");
        assert_eq!(i.article.url.as_deref(), Some(url));
        assert_eq!(
            i.article.image.as_ref().map(|i| i.url.as_str()),
            Some("https://daily.example/news/img/ferry.jpg")
        );
        assert_eq!(i.warnings.len(), 1, "{:?}", i.warnings);
        assert!(
            i.warnings[0].starts_with("script[1]: not valid JSON: "),
            "{:?}",
            i.warnings
        );
    }

    #[test]
    fn open_graph_when_there_is_no_json_ld() {
        let i = from_html(page("open-graph"), None).unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(i.source, Source::OpenGraph);
        let a = &i.article;
        assert_eq!(a.headline, "Le marché couvert rouvre ses portes");
        assert_eq!(
            a.standfirst.as_deref(),
            Some("Après deux ans de travaux, les commerçants reviennent.")
        );
        assert_eq!(
            a.url.as_deref(),
            Some("https://quotidien.example/ville/marche-couvert-rouvre")
        );
        let image = a.image.as_ref().expect("image");
        assert_eq!(image.url, "https://quotidien.example/images/marche.jpg");
        assert_eq!((image.width, image.height), (Some(1600), Some(900)));
        assert_eq!(
            image.caption.as_deref(),
            // `&amp;amp;` in the tag: decoded once, by the HTML parser, and no more.
            Some("Les étals du marché couvert &amp; la halle")
        );
        assert_eq!(
            authors(a),
            [(
                "Claire Martin",
                Some("https://quotidien.example/auteurs/claire-martin")
            )]
        );
        assert_eq!(
            a.publisher.as_ref().and_then(|p| p.name.as_deref()),
            Some("Le Quotidien")
        );
        assert_eq!(a.language.as_deref(), Some("fr"));
        assert_eq!(
            a.published.as_ref().map(|d| (d.year, d.month, d.day)),
            Some((2024, 9, 14))
        );
        assert!(i.warnings.is_empty(), "{:?}", i.warnings);
    }

    #[test]
    fn a_page_with_nothing_usable_says_so() {
        let problems = from_html(page("nothing"), Some("https://example.org/x")).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("no article: "), "{problems:?}");
    }

    #[test]
    fn markup_and_script_urls_in_every_tag_stay_text_or_go() {
        let i = from_html(page("hostile"), Some("https://hostile.example/p"))
            .unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(
            i.article.headline,
            "<img src=x onerror=alert(1)>Headline <b>bold</b>"
        );
        // og:url is dropped; the link is the page the article was read from.
        assert_eq!(i.article.url.as_deref(), Some("https://hostile.example/p"));
        assert_eq!(i.article.image, None);
        let written = to_json_ld(&i.article).to_text();
        assert!(!written.to_lowercase().contains("javascript:"), "{written}");
        assert!(
            i.warnings
                .iter()
                .any(|w| w == "meta tags url: not an http(s) URL (dropped)"),
            "{:?}",
            i.warnings
        );
    }

    #[test]
    fn what_is_written_reads_back_as_the_same_article() {
        for name in ["graph", "two-scripts", "open-graph"] {
            let i = from_html(page(name), Some("https://news.example/a/b"))
                .unwrap_or_else(|p| panic!("{p:?}"));
            let text = to_json_ld(&i.article).to_text();
            let json = Json::parse(&text).expect("valid JSON");
            let again = article::parse(&json, None).unwrap_or_else(|p| panic!("{name}: {p:?}"));
            assert_eq!(again.article, i.article, "{name}");
            assert!(again.warnings.is_empty(), "{name}: {:?}", again.warnings);
        }
    }

    #[test]
    fn slugs_are_the_last_meaningful_segment() {
        assert_eq!(
            slug("https://a.example/2024/05/final-word/").as_deref(),
            Some("final-word")
        );
        assert_eq!(
            slug("https://a.example/news/story.html?x=1#y").as_deref(),
            Some("story")
        );
        assert_eq!(
            slug("https://a.example/world/Big_News/amp/").as_deref(),
            Some("big-news")
        );
        assert_eq!(
            slug("https://a.example/world/index.html").as_deref(),
            Some("world")
        );
        assert_eq!(
            slug("saved/pages/Ferry Story.html").as_deref(),
            Some("ferry-story")
        );
        assert_eq!(slug("https://a.example/").as_deref(), None);
        assert_eq!(
            slug("https://a.example/article/%D7%A9%D7%9C%D7%95%D7%9D").as_deref(),
            Some("שלום")
        );
        assert_eq!(
            slug("https://a.example/article/עולם").as_deref(),
            Some("עולם")
        );
        assert_eq!(
            slug("https://a.example/Ünïcode Story/").as_deref(),
            Some("ünïcode-story")
        );
    }
}
