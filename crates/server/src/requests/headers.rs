//! Response headers that are policy (SPEC 6.1, "Headers" and "Usable from the pages it is
//! made for"), in one place.

use axum::http::{header, HeaderMap, HeaderValue};

/// The demo page: its own scripts and the wasm, styles inline, photos from anywhere.
pub const DEMO_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' https: http: data:; connect-src 'self'; \
    form-action 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// The builder previews an article fetched from any URL the publisher pastes.
pub const BUILDER_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' https: http: data:; \
    connect-src 'self' https: http:; form-action 'none'; frame-ancestors 'none'; \
    base-uri 'none'; object-src 'none'";

/// Pages without script: the confirmation page and the answer to a plain form.
pub const PLAIN_PAGE_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; \
    form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Public data and code the snippet loads from other origins: any page may read it (no
/// credentials are involved) and embed it, cross-origin-isolated pages included.
pub fn public_resource(h: &mut HeaderMap) {
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("cross-origin"),
    );
}

/// A page made to be framed by other origins' pages (`/embed/`): loadable by those that
/// require CORP of what they embed.
pub fn framed(h: &mut HeaderMap) {
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("cross-origin"),
    );
}

/// A page of the server's own.
pub fn own_page(h: &mut HeaderMap, csp: &str) {
    if let Ok(csp) = HeaderValue::from_str(csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
}

/// The page a confirmation link opens: its URL holds the token, so it is sent nowhere.
pub fn token_page(h: &mut HeaderMap) {
    own_page(h, PLAIN_PAGE_CSP);
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// The origin of an http(s) URL as browsers write it in `Origin`:
/// `https://News.Example:8443/path` → `https://news.example:8443`, and no default port
/// (`https://news.example:443/` → `https://news.example`).
pub fn origin_of(url: &str) -> Option<String> {
    let url = reqwest::Url::parse(url.trim()).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.origin().ascii_serialization())
}
