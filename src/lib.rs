//! article-embed: a news-article card with a newsletter signup, as a Yew component.
//!
//! Pure logic (reading article data, URLs, text, email, options, the signup protocol) is
//! plain Rust, tested natively. `components` draws the card; `element` is the thin
//! WebAssembly face that the `<article-embed>` custom element and `mount()` call.

pub mod article;
pub mod browser;
pub mod components;
pub mod email;
pub mod fingerprint;
pub mod i18n;
pub mod json;
pub mod options;
pub mod outbox;
pub mod signup;
pub mod text;
pub mod url;

#[cfg(browser)]
pub mod element;
#[cfg(not(target_arch = "wasm32"))]
pub mod import;
#[cfg(all(target_arch = "wasm32", feature = "node-ssr"))]
pub mod node;
#[cfg(not(target_arch = "wasm32"))]
pub mod server;
#[cfg(any(not(target_arch = "wasm32"), feature = "node-ssr"))]
pub mod ssr;

/// The card's stylesheet, minified by build.rs: adopted by every shadow root (one shared
/// sheet per page) and inlined in every server-rendered snippet.
pub const STYLESHEET: &str = include_str!(concat!(env!("OUT_DIR"), "/card.min.css"));

#[cfg(test)]
mod cssmin;

/// A smaller allocator than the default for the wasm (see Cargo.toml).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
