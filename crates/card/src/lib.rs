//! The article-embed card: a news article's card with a newsletter signup, as Yew
//! components, and everything they stand on.
//!
//! Pure logic (reading article data, URLs, text, email, options, the signup protocol) is
//! plain Rust, tested natively. `components` draws the card; what the card needs of the
//! world it runs in (the network, timers, storage) it asks of a [`platform::Platform`],
//! which the browser's crate (crates/web) provides and which does nothing on a server.
//! `ssr` renders the card to HTML (feature `ssr`: crates/server, crates/node).

pub mod article;
pub mod components;
pub mod email;
pub mod fingerprint;
pub mod i18n;
pub mod json;
pub mod options;
pub mod outbox;
pub mod platform;
pub mod signup;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod text;
pub mod url;

/// The card's stylesheet, minified by build.rs: adopted by every shadow root (one shared
/// sheet per page) and inlined in every server-rendered snippet.
pub const STYLESHEET: &str = include_str!(concat!(env!("OUT_DIR"), "/card.min.css"));

#[cfg(test)]
mod cssmin;
