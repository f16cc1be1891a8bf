//! Gives the build an id of the code that decides what a card's markup looks like, so that
//! a server-rendered card is only hydrated by a widget built from the same rendering code
//! (see src/fingerprint.rs). The server binary and the wasm built from one checkout share
//! it; a widget from another version renders afresh instead of hydrating foreign markup.
//! It also writes the card's stylesheet as shipped (src/cssmin.rs).

use std::fs;
use std::path::Path;

#[path = "src/cssmin.rs"]
mod cssmin;

fn main() {
    // `browser`: the card runs in a browser (the DOM, Intl, fetch, storage). Not natively,
    // and not in the wasm built for article-embed/server, which renders in Node exactly as
    // the native server does.
    println!("cargo:rustc-check-cfg=cfg(browser)");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32")
        && std::env::var_os("CARGO_FEATURE_NODE_SSR").is_none()
    {
        println!("cargo:rustc-cfg=browser");
    }
    println!("cargo:rerun-if-changed=src/card.css");
    println!("cargo:rerun-if-changed=src/cssmin.rs");
    let css = fs::read_to_string("src/card.css").expect("src/card.css is readable");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    fs::write(Path::new(&out).join("card.min.css"), cssmin::minify(&css))
        .expect("OUT_DIR is writable");

    let mut files = vec![
        "src/components.rs".to_owned(),
        "src/article.rs".to_owned(),
        "src/options.rs".to_owned(),
        "src/fingerprint.rs".to_owned(),
    ];
    if let Ok(dir) = fs::read_dir("src/components") {
        let mut parts: Vec<String> = dir
            .filter_map(Result::ok)
            .map(|e| e.path().display().to_string())
            .collect();
        parts.sort();
        files.extend(parts);
    }
    // FNV-1a over the files' bytes: stable, and enough to tell two versions apart.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in &files {
        println!("cargo:rerun-if-changed={file}");
        for byte in file
            .bytes()
            .chain(fs::read(Path::new(file)).unwrap_or_default())
        {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rerun-if-changed=src/components");
    // sqlx::migrate! embeds the migrations: a new file must rebuild the crate (sqlx's advice).
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rustc-env=ARTICLE_EMBED_RENDER_ID={hash:016x}");
}
