//! Hostile article data: property tests over arbitrary JSON-LD and a corpus of known XSS
//! vectors in every field. Parsing never panics, only http(s) URLs survive, and the
//! server-rendered card never turns text into elements, attributes or script URLs.
#![cfg(not(target_arch = "wasm32"))]

use article_embed_card::article::{self, Article};
use article_embed_card::json::Json;
use article_embed_card::options::Options;
use proptest::prelude::*;

/// Known XSS vectors: tags, event handlers, script URLs in disguise, SVG, entity tricks.
const VECTORS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "\"><script>alert(1)</script>",
    "' onmouseover='alert(1)",
    "\" onfocus=\"alert(1)\" autofocus=\"",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\u{0}javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#106;avascript:alert(1)",
    "<iframe src=javascript:alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "</style><script>alert(1)</script>",
    "<!--<script>alert(1)//-->",
    "<template shadowrootmode=open><script>alert(1)</script></template>",
];

const FIELDS: &[&str] = &[
    "@type",
    "@graph",
    "@id",
    "@value",
    "headline",
    "alternativeHeadline",
    "description",
    "url",
    "author",
    "contributor",
    "name",
    "datePublished",
    "dateModified",
    "dateline",
    "image",
    "contentUrl",
    "width",
    "height",
    "caption",
    "creditText",
    "copyrightHolder",
    "articleBody",
    "publisher",
    "logo",
    "inLanguage",
    "alternateName",
    "value",
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(VECTORS).prop_map(str::to_owned),
        Just("NewsArticle".to_owned()),
        Just("https://news.example/a".to_owned()),
        Just("2021-03-05T18:00:00Z".to_owned()),
        ".{0,40}",
    ]
}

fn json() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<f64>().prop_map(Json::Number),
        text().prop_map(Json::String),
    ];
    leaf.prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Json::Array),
            proptest::collection::vec(
                (
                    prop_oneof![
                        proptest::sample::select(FIELDS).prop_map(str::to_owned),
                        ".{0,8}"
                    ],
                    inner
                ),
                0..8
            )
            .prop_map(Json::Object),
        ]
    })
}

fn urls(a: &Article) -> Vec<&str> {
    let mut out: Vec<&str> = a.url.iter().map(String::as_str).collect();
    out.extend(
        a.authors
            .iter()
            .chain(&a.contributors)
            .filter_map(|p| p.url.as_deref()),
    );
    out.extend(a.image.iter().map(|i| i.url.as_str()));
    out.extend(
        a.publisher
            .iter()
            .filter_map(|p| p.logo.as_ref())
            .map(|l| l.url.as_str()),
    );
    out
}

fn render(a: Article) -> String {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime")
        .block_on(article_embed_card::ssr::render_card(a, Options::default()))
}

/// What must never appear in the rendered card, whatever the data.
fn assert_inert(html: &str) {
    let lower = html.to_ascii_lowercase();
    for bad in [
        "<script",
        "<svg",
        "<img src=x",
        "<iframe",
        "<a href=\"javascript",
        "<template",
    ] {
        assert!(!lower.contains(bad), "{bad} in {html}");
    }
    for (name, value) in attributes(html) {
        // Every attribute the card writes is one of its own; none comes from the data.
        assert!(
            !name.starts_with("on"),
            "event handler attribute {name} in {html}"
        );
        // Links and sources lead to http(s) only (text may mention "javascript:", as text).
        if matches!(name.as_str(), "href" | "src" | "action") {
            assert!(
                value.starts_with("http://") || value.starts_with("https://"),
                "{name}={value} in {html}"
            );
        }
    }
}

/// The attributes of every tag, as (lower-case name, raw value). The renderer escapes `"`
/// inside values, so a quote always closes one.
fn attributes(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        if rest.starts_with('!') || rest.starts_with('/') {
            continue;
        }
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        let mut body = tag
            .split_once(char::is_whitespace)
            .map_or("", |(_, b)| b)
            .trim();
        while !body.is_empty() {
            let name_end = body
                .find(|c: char| c == '=' || c.is_whitespace())
                .unwrap_or(body.len());
            let name = body[..name_end].to_ascii_lowercase();
            body = body[name_end..].trim_start();
            let mut value = String::new();
            if let Some(after) = body.strip_prefix('=') {
                let after = after.trim_start();
                if let Some(quoted) = after.strip_prefix('"') {
                    let close = quoted.find('"').unwrap_or(quoted.len());
                    value = quoted[..close].to_owned();
                    body = quoted.get(close + 1..).unwrap_or("").trim_start();
                } else {
                    let close = after.find(char::is_whitespace).unwrap_or(after.len());
                    value = after[..close].to_owned();
                    body = after[close..].trim_start();
                }
            }
            out.push((name, value));
        }
        rest = &rest[end..];
    }
    out
}

/// Objects shaped like articles (a headline and any of the fields, with any values), so
/// that most cases get past the parser and are rendered.
fn article_like() -> impl Strategy<Value = Json> {
    (
        text(),
        proptest::collection::vec(
            (
                proptest::sample::select(FIELDS).prop_map(str::to_owned),
                json(),
            ),
            0..10,
        ),
    )
        .prop_map(|(headline, mut fields)| {
            fields.retain(|(k, _)| k != "headline" && k != "@type" && k != "@graph");
            fields.insert(
                0,
                ("headline".to_owned(), Json::String(format!("H {headline}"))),
            );
            Json::Object(fields)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn article_shaped_data_renders_inert(doc in article_like()) {
        match article::parse(&doc, Some("https://news.example/a.json")) {
            Ok(parsed) => {
                for url in urls(&parsed.article) {
                    prop_assert!(url.starts_with("http://") || url.starts_with("https://"), "{url}");
                }
                assert_inert(&render(parsed.article));
            }
            // Refusals name a field.
            Err(problems) => prop_assert!(problems.iter().all(|p| !p.to_string().is_empty())),
        }
    }
}

/// Arbitrary trees and article-shaped objects, with any base: nothing panics, a refusal is
/// always for a reason that stops the card, and what parses keeps only http(s) URLs and
/// renders inert. Both outcomes are counted, so that neither branch can go untested.
#[test]
fn arbitrary_json_ld_never_panics_and_keeps_only_http_urls() {
    use proptest::test_runner::{Config, TestRunner};
    use std::cell::Cell;

    let parsed_count = Cell::new(0u32);
    let refused_count = Cell::new(0u32);
    let mut runner = TestRunner::new(Config {
        cases: 400,
        ..Config::default()
    });
    let strategy = (
        prop_oneof![json(), article_like()],
        proptest::option::of(text()),
    );
    runner
        .run(&strategy, |(doc, base)| {
            match article::parse(&doc, base.as_deref()) {
                Ok(parsed) => {
                    parsed_count.set(parsed_count.get() + 1);
                    for url in urls(&parsed.article) {
                        prop_assert!(
                            url.starts_with("http://") || url.starts_with("https://"),
                            "{url}"
                        );
                    }
                    prop_assert!(parsed.warnings.iter().all(article::Problem::is_warning));
                    assert_inert(&render(parsed.article));
                }
                Err(problems) => {
                    refused_count.set(refused_count.get() + 1);
                    prop_assert!(
                        problems.iter().any(|p| !p.is_warning()),
                        "refused without a fatal problem: {problems:?}"
                    );
                }
            }
            Ok(())
        })
        .expect("every generated document holds");
    assert!(
        parsed_count.get() >= 40 && refused_count.get() >= 40,
        "both outcomes must be exercised: {} parsed, {} refused",
        parsed_count.get(),
        refused_count.get()
    );
}

#[test]
fn every_vector_in_every_field_stays_inert() {
    for vector in VECTORS {
        let v = serde_json::Value::String((*vector).to_owned());
        let doc = serde_json::json!({
            "@type": "NewsArticle",
            "headline": format!("H {vector}"),
            "alternativeHeadline": v, "description": v, "url": v, "dateline": v,
            "author": [v, {"@type": "Person", "name": v, "url": v}],
            "contributor": {"@type": "Organization", "name": v, "url": v},
            "image": {"@type": "ImageObject", "url": v, "caption": v, "creditText": v},
            "articleBody": v,
            "publisher": {"name": v, "logo": v}
        });
        let doc = Json::parse(&doc.to_string()).expect("json");
        let parsed = article::parse(&doc, Some("https://news.example/a.json"))
            .unwrap_or_else(|p| panic!("{vector}: {p:?}"));
        assert_eq!(parsed.article.headline, parsed_headline(vector));
        for url in urls(&parsed.article) {
            assert!(url.starts_with("https://news.example/"), "{vector} → {url}");
        }
        let html = render(parsed.article);
        assert_inert(&html);
        // The text is there, as text: the headline as the card shows it (whitespace
        // collapsed, controls dropped), escaped as HTML text is.
        let shown = parsed_headline(vector);
        let escaped = shown
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(
            html.contains(&format!(">{escaped}<")),
            "{vector}: {escaped} not in {html}"
        );
    }
}

/// "H " and the vector, as the card keeps text: the character references the vectors hold
/// decoded once (SPEC section 3), whitespace runs made one space, control characters gone.
fn parsed_headline(vector: &str) -> String {
    format!("H {vector}")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#106;", "j")
        .split_whitespace()
        .map(|w| w.chars().filter(|c| !c.is_control()).collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}
