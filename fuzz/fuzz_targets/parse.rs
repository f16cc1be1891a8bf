//! Any bytes as article data: JSON parsing, then the article reader, then server rendering
//! of whatever it accepts. Nothing may panic; only http(s) URLs may survive.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(json) = serde_json::from_slice::<article_embed::json::Json>(data) else {
        return;
    };
    let Ok(parsed) = article_embed::article::parse(&json, Some("https://news.example/a.json")) else {
        return;
    };
    let a = &parsed.article;
    for url in a.url.iter().chain(a.image.iter().map(|i| &i.url)) {
        assert!(url.starts_with("http://") || url.starts_with("https://"), "{url}");
    }
});
