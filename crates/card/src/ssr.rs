//! Server rendering: the same `Card` component and props as in the browser, rendered to
//! HTML inside a declarative shadow root. The result shows styled and isolated before (and
//! without) any script; with the script, the element hydrates these very nodes.

use std::rc::Rc;

#[cfg(target_arch = "wasm32")]
use yew::LocalServerRenderer;
#[cfg(not(target_arch = "wasm32"))]
use yew::ServerRenderer;

use crate::article::Article;
use crate::components::{Card, CardProps};
use crate::options::{Options, RawOptions};
use crate::platform::Rendering;

/// How the snippet's element gets its data for hydration.
#[derive(Debug, Clone, PartialEq)]
pub enum DataSource {
    /// `src="URL"`: the element fetches the JSON-LD from where it is published.
    Src(String),
    /// The JSON-LD inline, as a child `<script type="application/ld+json">`.
    Inline(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Snippet {
    pub data: DataSource,
    /// The URL the article was read against (absolute or root-relative), if any: the
    /// browser reads it against the same one before it hydrates.
    pub base: Option<String>,
    /// The attributes of `<article-embed>` (SPEC section 2), as given.
    pub options: RawOptions,
    /// The script tag after the element; `None`: none (an app that defines the element
    /// itself, from the npm package).
    pub script: Option<Script>,
}

/// The `<script type="module">` a snippet ends with.
#[derive(Debug, Clone, PartialEq)]
pub struct Script {
    pub src: String,
    /// Its Subresource Integrity hash (`sha384-…`), for a copy pinned by version, such as
    /// the npm package's on a public CDN (written with `crossorigin`, which SRI needs).
    pub integrity: Option<String>,
}

impl From<String> for Script {
    fn from(src: String) -> Script {
        Script {
            src,
            integrity: None,
        }
    }
}

/// An article read for a snippet from its JSON-LD text, as every renderer reads it (the
/// `snippet` command, the builder's `POST /api/snippet`, article-embed/server): against
/// `src` when the element will load the data from there, else against `base`; the data by
/// `src`, else inline. Fails with every problem, each with its field path; the warnings
/// are the values it dropped.
pub fn read(
    text: &str,
    src: Option<String>,
    base: Option<String>,
    options: RawOptions,
    script: Option<Script>,
) -> Result<(Article, Snippet, Vec<String>), Vec<String>> {
    // A root-relative src ("/articles/x.json") resolves against the page the snippet goes
    // in: its relative URLs stay root-relative.
    let base = src.clone().or(base);
    let (article, warnings) = crate::article::read_text(text, base.as_deref())?;
    let snippet = Snippet {
        base,
        data: match src {
            Some(src) => DataSource::Src(src),
            None => DataSource::Inline(text.trim().to_owned()),
        },
        options,
        script,
    };
    Ok((article, snippet, warnings))
}

fn props(article: Article, options: Options) -> CardProps {
    CardProps {
        article: Rc::new(article),
        options: Rc::new(options),
        on_subscribe: Default::default(),
        on_rendered: Default::default(),
    }
}

/// The card as hydratable HTML (what goes inside the shadow root's mount point).
#[cfg(not(target_arch = "wasm32"))]
pub async fn render_card(article: Article, options: Options) -> String {
    ServerRenderer::<Card<Rendering>>::with_props(move || props(article, options))
        .hydratable(true)
        .render()
        .await
}

/// The card as hydratable HTML, in Node: on the one thread there is, in the running task.
#[cfg(target_arch = "wasm32")]
pub async fn render_card(article: Article, options: Options) -> String {
    LocalServerRenderer::<Card<Rendering>>::with_props(props(article, options))
        .hydratable(true)
        .render()
        .await
}

/// Escapes text for HTML: element content, and attribute values in either quotes.
pub fn attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// JSON inside `<script>`: no `<` at all (so neither `</script>` nor `<!--` can close or
/// confuse the element), and no U+2028/U+2029. All three become JSON escapes, which are only
/// valid in JSON strings — the only place valid JSON can hold them — so `JSON.parse` reads
/// back exactly the text that was written.
fn script_text(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// The `<article-embed>` element with the card rendered in a declarative shadow root, its
/// styles inside, the data for hydration, and the script tag.
pub async fn snippet(article: Article, snippet: &Snippet) -> String {
    let (options, _) = snippet.options.resolve();
    let fingerprint = crate::fingerprint::fingerprint(&article, &snippet.options);
    // For browsers without declarative shadow DOM and without script: the story's link,
    // outside the template. Where the shadow root is attached it has no slot, so this
    // stays hidden.
    let fallback = match &article.url {
        Some(url) => format!(
            "\n  <p><a href=\"{}\">{}</a></p>",
            attr(url),
            attr(&article.headline)
        ),
        None => format!("\n  <p>{}</p>", attr(&article.headline)),
    };
    let base = snippet
        .base
        .as_deref()
        .map(|b| format!(" data-base=\"{}\"", attr(b)))
        .unwrap_or_default();
    let card = render_card(article, options).await;
    let mut attributes = String::new();
    if let DataSource::Src(src) = &snippet.data {
        attributes.push_str(&format!(" src=\"{}\"", attr(src)));
    }
    for (name, value) in snippet.options.attributes() {
        if let Some(value) = value {
            attributes.push_str(&format!(" {name}=\"{}\"", attr(value)));
        }
    }
    let inline = match &snippet.data {
        DataSource::Inline(json) => format!(
            "\n  <script type=\"application/ld+json\">{}</script>",
            script_text(json)
        ),
        DataSource::Src(_) => String::new(),
    };
    let script = match &snippet.script {
        Some(Script {
            src,
            integrity: Some(integrity),
        }) => format!(
            "<script type=\"module\" src=\"{}\" integrity=\"{}\" crossorigin=\"anonymous\"></script>\n",
            attr(src),
            attr(integrity)
        ),
        Some(Script { src, .. }) => {
            format!("<script type=\"module\" src=\"{}\"></script>\n", attr(src))
        }
        None => String::new(),
    };
    format!(
        "<article-embed{attributes}>\n  <template shadowrootmode=\"open\"><style>{css}</style><div class=\"mount\" data-fingerprint=\"{fingerprint}\"{base}>{card}</div></template>{fallback}{inline}\n</article-embed>\n{script}",
        css = crate::STYLESHEET,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Json;

    const FIXTURE: &str = include_str!("../../../articles/myanmar-diplomat.json");

    fn seed() -> Article {
        let json = Json::parse(FIXTURE).expect("fixture");
        crate::article::parse(
            &json,
            Some("https://news.example/articles/myanmar-diplomat.json"),
        )
        .expect("parses")
        .article
    }

    fn render(snippet_: &Snippet) -> String {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(snippet(seed(), snippet_))
    }

    fn inline(options: RawOptions) -> Snippet {
        Snippet {
            data: DataSource::Inline(FIXTURE.to_owned()),
            base: Some("https://news.example/articles/myanmar-diplomat.json".into()),
            options,
            script: Some(String::from("https://cdn.example/article-embed.js").into()),
        }
    }

    #[test]
    fn every_part_is_rendered_inside_a_declarative_shadow_root() {
        let html = render(&inline(RawOptions {
            signup_endpoint: Some("https://news.example/api/subscribe".into()),
            ..RawOptions::default()
        }));
        let template = html
            .find("<template shadowrootmode=\"open\">")
            .expect("template");
        let end = html.find("</template>").expect("end of template");
        let inside = &html[template..end];
        for part in [
            "card",
            "headline",
            "standfirst",
            "byline",
            "date",
            "photo",
            "image",
            "caption",
            "credit",
            "excerpt",
            "contributors",
            "link",
            "signup",
            "email",
            "consent",
            "submit",
            "status",
        ] {
            assert!(
                inside.contains(&format!("part=\"{part}\"")),
                "part {part} missing"
            );
        }
        assert!(
            inside.contains("<style>") && inside.contains(":host{"),
            "the styles are inside the shadow root"
        );
        assert!(
            inside.contains(
                "Diplomat at Myanmar Embassy in TLV resigns following Junta&#x27;s crackdown"
            ) || inside
                .contains("Diplomat at Myanmar Embassy in TLV resigns following Junta's crackdown")
        );
        assert!(inside.contains("datetime=\"2021-03-06T14:31:00+02:00\""));
        assert!(
            inside.contains(">March 6, 2021<"),
            "the date as the browser would write it"
        );
        assert!(inside.contains("STRINGER/ REUTERS"));
        // Without script the form posts by itself (SPEC section 5).
        assert!(inside.contains("method=\"post\""));
        assert!(inside.contains("action=\"https://news.example/api/subscribe\""));
        assert!(inside.contains(
            "<input value=\"The Jerusalem Post Newsletter\" type=\"hidden\" name=\"newsletter\">"
        ));
        // The data for hydration, and the script, outside the shadow root; and a link to the
        // story for browsers that attach no declarative shadow root and run no script.
        let after = &html[end..];
        assert!(after.contains(
            "<p><a href=\"https://news.example/international/myanmar-diplomat-tlv-resigns\">Diplomat at Myanmar Embassy in TLV resigns following Junta&#39;s crackdown</a></p>"
        ));
        assert!(after.contains("<script type=\"application/ld+json\">"));
        assert!(after.contains(
            "<script type=\"module\" src=\"https://cdn.example/article-embed.js\"></script>"
        ));
        assert!(html
            .starts_with("<article-embed signup-endpoint=\"https://news.example/api/subscribe\">"));
    }

    #[test]
    fn dates_and_the_language_of_the_words_are_decided_as_the_browser_decides_them() {
        let with = |lang: &str| {
            render(&inline(RawOptions {
                lang: Some(lang.into()),
                ..RawOptions::default()
            }))
        };
        assert!(with("en-GB").contains(">6 March 2021</time>"));
        assert!(with("en-US").contains(">March 6, 2021</time>"));
        assert!(
            !with("en-GB").contains("part=\"byline\" lang="),
            "English words in an English card"
        );
        // A story in a language without a table: the words are English and marked so, the
        // story's language stays on the card.
        let mut persian = seed();
        persian.language = Some("fa".into());
        let html = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(snippet(
                persian,
                &inline(RawOptions {
                    signup_endpoint: Some("/api/subscribe".into()),
                    ..RawOptions::default()
                }),
            ));
        assert!(html.contains("part=\"card\" lang=\"fa\" dir=\"rtl\""));
        assert!(html.contains("<p part=\"byline\" lang=\"en\" class=\"byline\">"));
        assert!(
            html.contains("lang=\"en\" dir=\"ltr\""),
            "the form says so too"
        );
    }

    #[test]
    fn a_pinned_script_carries_its_integrity_and_crossorigin() {
        let html = render(&Snippet {
            script: Some(Script {
                src: "https://cdn.example/article-embed@1/dist/article-embed.js".into(),
                integrity: Some("sha384-a\"b".into()),
            }),
            ..inline(RawOptions::default())
        });
        assert!(html.ends_with(
            "<script type=\"module\" src=\"https://cdn.example/article-embed@1/dist/article-embed.js\" integrity=\"sha384-a&quot;b\" crossorigin=\"anonymous\"></script>\n"
        ));
    }

    #[test]
    fn attributes_are_escaped_and_src_replaces_inline_data() {
        let html = render(&Snippet {
            data: DataSource::Src("https://news.example/a.json?x=1&y=\"2\"".into()),
            base: None,
            options: RawOptions {
                newsletter: Some("<Daily> \"News\"".into()),
                layout: Some("compact".into()),
                ..RawOptions::default()
            },
            script: Some(String::from("/dist/article-embed.js").into()),
        });
        assert!(html.starts_with(
            "<article-embed src=\"https://news.example/a.json?x=1&amp;y=&quot;2&quot;\" newsletter=\"&lt;Daily&gt; &quot;News&quot;\" layout=\"compact\">"
        ));
        assert!(!html.contains("application/ld+json"));
        assert!(!html.contains("part=\"excerpt\""), "compact layout");
    }

    #[test]
    fn inline_data_cannot_close_its_script() {
        let html = render(&Snippet {
            base: None,
            data: DataSource::Inline(
                r#"{"headline":"</script><script>alert(1)</script><!--"}"#.into(),
            ),
            options: RawOptions::default(),
            script: Some(String::from("/s.js").into()),
        });
        let inline = html
            .split("application/ld+json\">")
            .nth(1)
            .expect("inline data");
        let body = inline.split("</script>").next().expect("script body");
        assert!(!body.contains('<'), "{body}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(body).expect("still JSON")["headline"],
            "</script><script>alert(1)</script><!--",
            "read back exactly as written"
        );
    }
}
