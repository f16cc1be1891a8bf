//! Any bytes as article data: JSON parsing, then the article reader, then server rendering
//! of whatever it accepts. Nothing may panic; only http(s) URLs may survive.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(json) = article_embed_card::json::Json::parse(text) else {
        return;
    };
    let Ok(parsed) = article_embed_card::article::parse(&json, Some("https://news.example/a.json")) else {
        return;
    };
    let a = &parsed.article;
    for url in a.url.iter().chain(a.image.iter().map(|i| &i.url)) {
        assert!(url.starts_with("http://") || url.starts_with("https://"), "{url}");
    }
});
