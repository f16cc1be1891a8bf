//! The files the server hands out (SPEC 6.1, "What is served"): the site (the built-in demo
//! pages, or `--site DIR`), the built assets at `/dist/` and the articles at `/articles/`.
//! Nothing else: a path is taken apart segment by segment, and a segment that is empty
//! after decoding, starts with a dot (`.git`, `.env`, `..`) or hides a separator is refused
//! before the file system is asked; what it names must then lie, symlinks resolved, inside
//! its folder and outside every private folder (the data directory).
//!
//! What the snippet loads from another origin carries CORS and CORP headers. Content-hashed
//! assets are cached for a year, the rest revalidates; text and wasm go out brotli- or
//! gzip-compressed, compressed once at the best setting and kept in memory.
//!
//! Not tower-http's `ServeDir`: it sends precompressed variants only where `.br` and `.gz`
//! files lie beside the originals (a `dist/` copied by hand has none), it would compress
//! each response again at a fast setting otherwise, and the refusals above (dotfiles, the
//! data directory, symlinks out) and the per-file cache policy would sit around it anyway.
//! Escapes are decoded by `percent-encoding` (in the tree through url).

use std::collections::{HashMap, HashSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::requests::headers;
use crate::App;

/// Files larger than this are served as they are, uncompressed and uncached (a publisher's
/// big photos).
const CACHE_FILE_LIMIT: u64 = 4 << 20;
/// When the cache holds more than this, it starts over.
const CACHE_TOTAL_LIMIT: usize = 128 << 20;

/// The demo pages built into the binary: what `/` serves unless `--site` names a folder.
const BUILT_IN: &[(&str, &str)] = &[
    ("index.html", include_str!("../../pages/index.html")),
    ("builder.html", include_str!("../../pages/builder.html")),
    ("builder.js", include_str!("../../pages/builder.js")),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Encoding {
    Identity,
    Brotli,
    Gzip,
}

struct Entry {
    modified: SystemTime,
    len: u64,
    etag: String,
    bodies: HashMap<Encoding, Bytes>,
}

/// The served folders, canonical, and the compressed copies of what was served.
pub struct Assets {
    site: Option<PathBuf>,
    dist: Option<PathBuf>,
    articles: Option<PathBuf>,
    private: Vec<PathBuf>,
    /// Where this server is reached: article pages name its oEmbed endpoint.
    public_url: String,
    cache: Mutex<(usize, HashMap<PathBuf, Entry>)>,
    /// Files being brotli-compressed in the background.
    compressing: Mutex<HashSet<PathBuf>>,
    /// The built-in pages, compressed once.
    built_in: Mutex<HashMap<(String, Encoding), Option<Bytes>>>,
}

/// How a folder's files are cached and shared.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Site,
    Dist,
    Articles,
}

impl Assets {
    /// `site: None` serves the built-in pages. Folders that do not exist serve nothing.
    pub fn new(
        site: Option<&Path>,
        dist: &Path,
        articles: &Path,
        private: &[PathBuf],
        public_url: &str,
    ) -> Assets {
        let canonical = |p: &Path| std::fs::canonicalize(p).ok();
        Assets {
            site: site.and_then(canonical),
            dist: canonical(dist),
            articles: canonical(articles),
            public_url: public_url.to_owned(),
            // Files that do not exist yet (SQLite's -wal) are private all the same.
            private: private
                .iter()
                .filter_map(|p| crate::canonical_or_planned(p))
                .collect(),
            cache: Mutex::new((0, HashMap::new())),
            compressing: Mutex::new(HashSet::new()),
            built_in: Mutex::new(HashMap::new()),
        }
    }

    /// The Subresource Integrity hash (`sha384-…`) of a file of the built assets.
    pub async fn integrity(&self, name: &str) -> Option<String> {
        use base64::Engine as _;
        let path = self.locate(Kind::Dist, name).await?;
        let data = tokio::fs::read(path).await.ok()?;
        let digest = sha2::Sha384::digest(&data);
        Some(format!(
            "sha384-{}",
            base64::engine::general_purpose::STANDARD.encode(digest)
        ))
    }

    fn root(&self, kind: Kind) -> Option<&Path> {
        match kind {
            Kind::Site => self.site.as_deref(),
            Kind::Dist => self.dist.as_deref(),
            Kind::Articles => self.articles.as_deref(),
        }
    }

    /// Compresses every file of the dist folder ahead of the first reader.
    pub async fn warm(self: Arc<Self>) {
        let Some(dist) = self.dist.clone() else {
            return;
        };
        let Ok(mut entries) = tokio::fs::read_dir(&dist).await else {
            return;
        };
        while let Ok(Some(entry)) = entries.next_entry().await {
            let path = entry.path();
            let hidden = entry
                .file_name()
                .to_str()
                .is_none_or(|n| n.starts_with('.'));
            if hidden || !entry.file_type().await.is_ok_and(|t| t.is_file()) {
                continue;
            }
            let _ = self.body(&path, Encoding::Gzip).await;
            Arc::clone(&self).brotli_later(path);
        }
    }

    /// Whether the file's current version is cached in this encoding.
    async fn is_cached(&self, path: &Path, encoding: Encoding) -> bool {
        let Ok(meta) = tokio::fs::metadata(path).await else {
            return false;
        };
        let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        cache.1.get(path).is_some_and(|e| {
            e.modified == modified && e.len == meta.len() && e.bodies.contains_key(&encoding)
        })
    }

    /// Brotli at its best setting takes seconds for the wasm: done once, in the background,
    /// while readers get gzip meanwhile.
    fn brotli_later(self: Arc<Self>, path: PathBuf) {
        {
            let mut busy = self.compressing.lock().unwrap_or_else(|p| p.into_inner());
            if !busy.insert(path.clone()) {
                return;
            }
        }
        tokio::spawn(async move {
            let _ = self.body(&path, Encoding::Brotli).await;
            self.compressing
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&path);
        });
    }

    /// The file's bytes in an encoding, and its ETag; from the cache when the file has not
    /// changed since.
    async fn body(&self, path: &Path, encoding: Encoding) -> std::io::Result<(Bytes, String)> {
        let meta = tokio::fs::metadata(path).await?;
        let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        let len = meta.len();
        {
            let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(entry) = cache.1.get(path) {
                if entry.modified == modified && entry.len == len {
                    if let Some(body) = entry.bodies.get(&encoding) {
                        return Ok((body.clone(), entry.etag.clone()));
                    }
                }
            }
        }
        let identity = self
            .with_discovery(path, tokio::fs::read(path).await?)
            .await;
        let etag = format!(
            "\"{}\"",
            crate::tokens::hex(&Sha256::digest(&identity)[..12])
        );
        let body = match encoding {
            Encoding::Identity => identity.clone(),
            other => {
                let input = identity.clone();
                tokio::task::spawn_blocking(move || compress(&input, other))
                    .await
                    .map_err(std::io::Error::other)??
            }
        };
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if cache.0 + body.len() > CACHE_TOTAL_LIMIT {
            *cache = (0, HashMap::new());
        }
        cache.0 += body.len();
        let entry = cache.1.entry(path.to_owned()).or_insert_with(|| Entry {
            modified,
            len,
            etag: etag.clone(),
            bodies: HashMap::new(),
        });
        if entry.modified != modified || entry.len != len || entry.etag != etag {
            *entry = Entry {
                modified,
                len,
                etag: etag.clone(),
                bodies: HashMap::new(),
            };
        }
        entry.bodies.insert(encoding, body.clone());
        Ok((body, etag))
    }

    /// An article's page in the articles folder, with the article's JSON-LD beside it
    /// (`<slug>.html`, `<slug>.json`), gets the oEmbed discovery link in its head if it has
    /// none: whoever is handed the page's URL (WordPress, Slack, Iframely) finds the card.
    async fn with_discovery(&self, path: &Path, page: Vec<u8>) -> Bytes {
        let Some(root) = self.articles.as_deref() else {
            return page.into();
        };
        let (Some(name), Some("html")) = (
            path.file_name().and_then(|n| n.to_str()),
            path.extension().and_then(|e| e.to_str()),
        ) else {
            return page.into();
        };
        if path.parent() != Some(root)
            || !tokio::fs::try_exists(path.with_extension("json"))
                .await
                .unwrap_or(false)
        {
            return page.into();
        }
        let text = match String::from_utf8(page) {
            Ok(text) => text,
            Err(other) => return other.into_bytes().into(),
        };
        let head_end = text.to_ascii_lowercase().find("</head>");
        let (Some(at), false) = (head_end, text.contains("application/json+oembed")) else {
            return text.into();
        };
        let oembed = format!(
            "{}/oembed?{}",
            self.public_url,
            serde_urlencoded::to_string([
                ("url", format!("{}/articles/{name}", self.public_url)),
                ("format", "json".to_owned()),
            ])
            .unwrap_or_default()
        );
        let link = format!(
            "<link rel=\"alternate\" type=\"application/json+oembed\" href=\"{}\">\n",
            article_embed_card::ssr::attr(&oembed)
        );
        let mut text = text;
        text.insert_str(at, &link);
        text.into()
    }

    /// Where a request path leads inside a folder, or `None`: refused or missing.
    async fn locate(&self, kind: Kind, rest: &str) -> Option<PathBuf> {
        let root = self.root(kind)?;
        let mut relative = safe_relative(rest)?;
        if kind == Kind::Dist {
            // Snippets made before content-hashed names used /dist/v<version>/…: the same files.
            let legacy = format!("v{}", env!("CARGO_PKG_VERSION"));
            if let Ok(stripped) = relative.strip_prefix(&legacy) {
                relative = stripped.to_owned();
            }
        }
        let mut path = root.join(&relative);
        if kind == Kind::Site && (relative.as_os_str().is_empty() || rest.ends_with('/')) {
            path.push("index.html");
        }
        let path = tokio::fs::canonicalize(&path).await.ok()?;
        if self.private.iter().any(|p| path.starts_with(p)) {
            return None;
        }
        // Inside the folder, and no dotfile reached through a symlink either.
        let inside = path.strip_prefix(root).ok()?;
        if inside
            .components()
            .any(|c| c.as_os_str().to_str().is_none_or(|s| s.starts_with('.')))
        {
            return None;
        }
        tokio::fs::metadata(&path)
            .await
            .ok()
            .filter(|m| m.is_file())
            .map(|_| path)
    }

    async fn serve(
        self: &Arc<Self>,
        kind: Kind,
        rest: &str,
        method: &Method,
        headers: &HeaderMap,
    ) -> Response {
        if let Some(refused) = refuse_method(method) {
            return refused;
        }
        let Some(path) = self.locate(kind, rest).await else {
            return not_found();
        };
        let Ok(meta) = tokio::fs::metadata(&path).await else {
            return not_found();
        };
        let large = meta.len() > CACHE_FILE_LIMIT;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let content_type = content_type(&name);
        let mut encoding = if compressible(content_type) && !large {
            negotiate(headers)
        } else {
            Encoding::Identity
        };
        if encoding == Encoding::Brotli && !self.is_cached(&path, Encoding::Brotli).await {
            Arc::clone(self).brotli_later(path.clone());
            encoding = if accepts(headers, "gzip") {
                Encoding::Gzip
            } else {
                Encoding::Identity
            };
        }
        let read = if large {
            stream(&path).await.map(|body| {
                let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
                (
                    body,
                    format!("\"{:x}-{}\"", meta.len(), mtime_tag(modified)),
                )
            })
        } else {
            self.body(&path, encoding)
                .await
                .map(|(bytes, etag)| (Body::from(bytes), etag))
        };
        let (body, etag) = match read {
            Ok(found) => found,
            Err(e) => {
                crate::log::warn(
                    "asset.unreadable",
                    &[("path", &path.display()), ("error", &e)],
                );
                return not_found();
            }
        };
        let etag = match encoding {
            Encoding::Identity => etag,
            Encoding::Brotli => etag.replacen('"', "\"br-", 1),
            Encoding::Gzip => etag.replacen('"', "\"gz-", 1),
        };
        let cache = match kind {
            Kind::Dist if is_content_hashed(&name) => "public, max-age=31536000, immutable",
            Kind::Dist => "public, max-age=300",
            Kind::Articles | Kind::Site => "no-cache",
        };
        let mut response = if if_none_match(headers, &etag) {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let mut r = Response::new(body);
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            label(r.headers_mut(), encoding);
            r
        };
        let h = response.headers_mut();
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
        if let Ok(etag) = HeaderValue::from_str(&etag) {
            h.insert(header::ETAG, etag);
        }
        h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        if content_type.starts_with("image/svg") {
            // A publisher's SVG opened on its own must not run script on this origin.
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"),
            );
        }
        match kind {
            Kind::Dist | Kind::Articles => headers::public_resource(h),
            Kind::Site => {}
        }
        response
    }

    /// A built-in page, with its Content-Security-Policy.
    fn built_in(&self, rest: &str, method: &Method, headers: &HeaderMap) -> Response {
        if let Some(refused) = refuse_method(method) {
            return refused;
        }
        let name = if rest.is_empty() { "index.html" } else { rest };
        let Some((_, text)) = BUILT_IN.iter().find(|(n, _)| *n == name) else {
            return not_found();
        };
        let content_type = content_type(name);
        let mut encoding = negotiate(headers);
        let body = match encoding {
            Encoding::Identity => Bytes::from_static(text.as_bytes()),
            other => {
                let mut cache = self.built_in.lock().unwrap_or_else(|p| p.into_inner());
                let cached = cache
                    .entry((name.to_owned(), other))
                    .or_insert_with(|| compress(text.as_bytes(), other).ok());
                match cached {
                    Some(bytes) => bytes.clone(),
                    None => {
                        encoding = Encoding::Identity;
                        Bytes::from_static(text.as_bytes())
                    }
                }
            }
        };
        let mut response = Response::new(Body::from(body));
        let h = response.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        label(h, encoding);
        if name == "builder.html" {
            headers::own_page(h, headers::BUILDER_CSP);
        } else if name.ends_with(".html") {
            headers::own_page(h, headers::DEMO_CSP);
        }
        response
    }
}

/// `Content-Encoding` for what is sent.
pub(crate) fn label(h: &mut HeaderMap, encoding: Encoding) {
    let name = match encoding {
        Encoding::Identity => return,
        Encoding::Brotli => "br",
        Encoding::Gzip => "gzip",
    };
    h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
}

/// A large file, read as it is sent (a publisher's photo need not sit in memory).
async fn stream(path: &Path) -> std::io::Result<Body> {
    use tokio::io::AsyncReadExt as _;
    let file = tokio::fs::File::open(path).await?;
    let chunks = futures_util::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let mut chunk = vec![0u8; 64 * 1024];
        match file.read(&mut chunk).await {
            Ok(0) => None,
            Ok(n) => {
                chunk.truncate(n);
                Some((Ok(Bytes::from(chunk)), Some(file)))
            }
            Err(e) => Some((Err(e), None)),
        }
    });
    Ok(Body::from_stream(chunks))
}

/// `None` for GET and HEAD; else the 405 to send.
fn refuse_method(method: &Method) -> Option<Response> {
    (method != Method::GET && method != Method::HEAD).then(|| {
        (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "Method not allowed",
        )
            .into_response()
    })
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Not found",
    )
        .into_response()
}

/// `GET /dist/…`
pub async fn dist(State(app): State<Arc<App>>, request: Request) -> Response {
    folder(&app, Kind::Dist, "/dist/", request).await
}

/// `GET /articles/…`
pub async fn articles(State(app): State<Arc<App>>, request: Request) -> Response {
    // A story's card, rendered for the attributes in the query (docs/publishers.md,
    // "Markup before the wasm").
    let path = request.uri().path();
    if let Some(slug) = path
        .strip_prefix("/articles/")
        .and_then(|rest| rest.strip_suffix(".card.html"))
    {
        let slug = percent_encoding::percent_decode_str(slug)
            .decode_utf8_lossy()
            .into_owned();
        let query = request.uri().query().unwrap_or_default().to_owned();
        return crate::articles::embed::card(&app, &slug, &query, request.headers()).await;
    }
    folder(&app, Kind::Articles, "/articles/", request).await
}

async fn folder(app: &App, kind: Kind, prefix: &str, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    let rest = parts.uri.path().strip_prefix(prefix).unwrap_or("");
    app.assets
        .serve(kind, rest, &parts.method, &parts.headers)
        .await
}

/// Everything else: the site.
pub async fn site(State(app): State<Arc<App>>, request: Request) -> Response {
    let rest = request.uri().path().trim_start_matches('/').to_owned();
    let (parts, _) = request.into_parts();
    if app.assets.site.is_some() {
        app.assets
            .serve(Kind::Site, &rest, &parts.method, &parts.headers)
            .await
    } else {
        app.assets.built_in(&rest, &parts.method, &parts.headers)
    }
}

/// The path below a folder, or `None` when any segment is refused: bytes that are not
/// UTF-8, a leading dot (dotfiles, `.` and `..`, also as `%2e`), separators or NUL hidden in an
/// escape. Empty segments (`a//b`) are skipped.
pub fn safe_relative(rest: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for raw in rest.split('/') {
        if raw.is_empty() {
            continue;
        }
        // Decoded once, as browsers and proxies do (a malformed escape stays as written);
        // a name that is not UTF-8 names no file here.
        let segment = percent_encoding::percent_decode_str(raw)
            .decode_utf8()
            .ok()?;
        if segment.starts_with('.') || segment.contains(['/', '\\', '\0']) {
            return None;
        }
        out.push(segment.as_ref());
    }
    Some(out)
}

/// `article-embed-<16 hex digits>.js`, `.wasm` and `.json` (the words of other languages):
/// names that change when the content does (tools/hash-dist.mjs writes them), so they can
/// be cached for good.
pub fn is_content_hashed(name: &str) -> bool {
    let stem = name
        .strip_suffix(".js")
        .or_else(|| name.strip_suffix(".wasm"))
        .or_else(|| name.strip_suffix(".json"));
    stem.and_then(|s| s.rsplit_once('-'))
        .is_some_and(|(_, hash)| {
            hash.len() == 16
                && hash
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        })
}

fn content_type(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "jsonld" => "application/ld+json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn compressible(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || content_type.starts_with("application/json")
        || content_type.starts_with("application/ld+json")
        || content_type == "application/wasm"
        || content_type == "application/xml"
        || content_type == "image/svg+xml"
}

/// Whether `Accept-Encoding` takes this coding (`q=0` refuses it).
fn accepts(headers: &HeaderMap, wanted: &str) -> bool {
    let Some(accept) = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    accept.split(',').any(|item| {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim();
        let refused = parts.any(|p| {
            p.trim()
                .strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        name.eq_ignore_ascii_case(wanted) && !refused
    })
}

/// Brotli when the client takes it, else gzip, else none.
pub(crate) fn negotiate(headers: &HeaderMap) -> Encoding {
    if accepts(headers, "br") {
        Encoding::Brotli
    } else if accepts(headers, "gzip") {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

pub(crate) fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

fn mtime_tag(t: SystemTime) -> u128 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}

/// How hard to compress: files compressed once get the most; bodies made on request
/// (server-rendered cards, for any query) a fraction of that CPU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Effort {
    Most,
    Quick,
}

pub(crate) fn compress(data: &[u8], encoding: Encoding) -> std::io::Result<Bytes> {
    compress_with(data, encoding, Effort::Most)
}

pub(crate) fn compress_with(
    data: &[u8],
    encoding: Encoding,
    effort: Effort,
) -> std::io::Result<Bytes> {
    match encoding {
        Encoding::Identity => Ok(Bytes::copy_from_slice(data)),
        Encoding::Brotli => {
            let mut out = Vec::with_capacity(data.len() / 3);
            let params = brotli::enc::BrotliEncoderParams {
                quality: if effort == Effort::Most { 11 } else { 5 },
                lgwin: 22,
                size_hint: data.len(),
                ..Default::default()
            };
            brotli::BrotliCompress(&mut &data[..], &mut out, &params)?;
            Ok(Bytes::from(out))
        }
        Encoding::Gzip => {
            let level = if effort == Effort::Most {
                flate2::Compression::best()
            } else {
                flate2::Compression::default()
            };
            let mut encoder = flate2::write::GzEncoder::new(Vec::new(), level);
            encoder.write_all(data)?;
            Ok(Bytes::from(encoder.finish()?))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_could_leave_a_folder_are_refused() {
        for bad in [
            "..",
            "../.env",
            "%2e%2e/secret",
            "%2E%2E%2Fsecret",
            "a/..%2f..%2fsecret",
            ".git/config",
            "%2egit/config",
            "sub/.env",
            "a%5c..%5csecret",
            "a%00.json",
            "%e2%28",
            "%ff",
        ] {
            assert_eq!(safe_relative(bad), None, "{bad}");
        }
        // A malformed escape is a name like any other, and stays inside the folder.
        assert_eq!(safe_relative("a/%zz"), Some(PathBuf::from("a/%zz")));
        assert_eq!(safe_relative("%"), Some(PathBuf::from("%")));
        assert_eq!(
            safe_relative("a//b/c%20d.json"),
            Some(PathBuf::from("a/b/c d.json"))
        );
        assert_eq!(
            safe_relative("%252e%252e"),
            Some(PathBuf::from("%2e%2e")),
            "decoded once: a name, not a parent"
        );
        assert_eq!(safe_relative(""), Some(PathBuf::new()));
    }

    #[test]
    fn content_hashed_names() {
        assert!(is_content_hashed("article-embed-0123456789abcdef.js"));
        assert!(is_content_hashed("article-embed-0123456789abcdef.wasm"));
        assert!(is_content_hashed("article-embed-0123456789abcdef.json"));
        assert!(!is_content_hashed("article-embed.js"));
        assert!(!is_content_hashed("article-embed-frame.js"));
        assert!(!is_content_hashed("article-embed-0123456789ABCDEF.js"));
        assert!(!is_content_hashed("article-embed-0123456789abcdef.html"));
    }

    #[test]
    fn encodings_are_negotiated() {
        let with = |v: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(v));
            negotiate(&h)
        };
        assert_eq!(with("gzip, deflate, br, zstd"), Encoding::Brotli);
        assert_eq!(with("gzip"), Encoding::Gzip);
        assert_eq!(with("br;q=0, gzip;q=0.5"), Encoding::Gzip);
        assert_eq!(with("identity"), Encoding::Identity);
        assert_eq!(negotiate(&HeaderMap::new()), Encoding::Identity);
    }

    #[test]
    fn compression_round_trips() {
        let data = "article-embed ".repeat(500);
        let br = compress(data.as_bytes(), Encoding::Brotli).expect("brotli");
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut back).expect("decodes");
        assert_eq!(back, data.as_bytes());
        assert!(br.len() < data.len() / 10);
        let gz = compress(data.as_bytes(), Encoding::Gzip).expect("gzip");
        let mut back = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut back)
            .expect("decodes");
        assert_eq!(back, data);
    }
}
