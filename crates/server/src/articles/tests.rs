//! What is served, through the router: files and their headers, server-rendered cards,
//! oEmbed, the builder's API, articles read from listed sites.

use crate::testing::*;

/// A folder of files to serve beside the private ones a working directory holds.
fn folders(dir: &std::path::Path) {
    let write = |rel: &str, text: &str| {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    write("site/index.html", "<!doctype html><title>publisher</title>");
    write("site/.env", "SECRET=1");
    write("site/.git/config", "[core]");
    write("dist/article-embed.js", &"/* loader */".repeat(100));
    write(
        "dist/article-embed-0123456789abcdef.js",
        &"/* glue */".repeat(100),
    );
    write("dist/.hidden.js", "secret");
    write(
        "articles/story.json",
        r#"{"@type":"NewsArticle","headline":"H"}"#,
    );
    write("secret.txt", "private");
    // A symlink inside the site to a dotfile folder, and one out of the site.
    let _ = std::os::unix::fs::symlink(dir.join("site/.git"), dir.join("site/repo"));
    let _ = std::os::unix::fs::symlink(dir.join("secret.txt"), dir.join("site/secret-link.txt"));
}

#[tokio::test]
async fn only_the_site_the_assets_and_the_articles_are_served() {
    let env = env(|c| {
        folders(&c.data_dir.with_file_name(""));
        let root = c.data_dir.with_file_name("");
        c.site = Some(root.join("site"));
        c.dist = root.join("dist");
        c.articles = root.join("articles");
    })
    .await;
    for path in [
        "/",
        "/index.html",
        "/dist/article-embed.js",
        "/articles/story.json",
    ] {
        assert_eq!(env.send(get(path)).await.status, StatusCode::OK, "{path}");
    }
    for path in [
        "/.env",
        "/.git/config",
        "/%2egit/config",
        "/dist/.hidden.js",
        "/dist/../secret.txt",
        "/dist/..%2fsecret.txt",
        "/dist/%2e%2e/secret.txt",
        "/dist/%2e%2e%2fsecret.txt",
        "/articles/..%2f..%2fsecret.txt",
        "/articles/%2e%2e%5csecret.txt",
        "/secret.txt",
        "/repo/config",
        "/secret-link.txt",
        "/data/article-embed.db",
        "/../data/article-embed.db",
    ] {
        let reply = env.send(get(path)).await;
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "{path}: {}",
            reply.body
        );
    }
}

#[tokio::test]
async fn headers_caching_and_compression() {
    let env = env(|c| {
        let root = c.data_dir.with_file_name("");
        folders(&root);
        c.dist = root.join("dist");
        c.articles = root.join("articles");
    })
    .await;
    // The built-in demo page, with a CSP.
    let index = env.send(get("/")).await;
    assert_eq!(index.status, StatusCode::OK);
    assert!(index.body.contains("<article-embed"));
    assert!(index.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .is_ok_and(|c| c.contains("'wasm-unsafe-eval'") && c.contains("frame-ancestors 'none'")));
    assert_eq!(
        index.headers[header::REFERRER_POLICY],
        "strict-origin-when-cross-origin"
    );
    assert_eq!(env.send(get("/builder.html")).await.status, StatusCode::OK);
    assert_eq!(env.send(get("/builder.js")).await.status, StatusCode::OK);
    for path in [
        "/",
        "/nope",
        "/dist/article-embed.js",
        "/api/confirm?token=x",
    ] {
        assert_eq!(
            env.send(get(path)).await.headers[header::X_CONTENT_TYPE_OPTIONS],
            "nosniff",
            "{path}"
        );
    }
    // What the snippet loads from other origins.
    for path in ["/dist/article-embed.js", "/articles/story.json"] {
        let reply = env.send(get(path)).await;
        assert_eq!(
            reply.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
            "*",
            "{path}"
        );
        assert_eq!(
            reply.headers["cross-origin-resource-policy"], "cross-origin",
            "{path}"
        );
    }
    let loader = env.send(get("/dist/article-embed.js")).await;
    assert_eq!(loader.headers[header::CACHE_CONTROL], "public, max-age=300");
    assert_eq!(
        loader.headers[header::CONTENT_TYPE],
        "text/javascript; charset=utf-8"
    );
    let hashed = env
        .send(get("/dist/article-embed-0123456789abcdef.js"))
        .await;
    assert_eq!(
        hashed.headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let legacy = env
        .send(get(&format!(
            "/dist/v{}/article-embed.js",
            env!("CARGO_PKG_VERSION")
        )))
        .await;
    assert_eq!(
        legacy.status,
        StatusCode::OK,
        "old snippets' versioned path"
    );
    // Compressed for those who accept it: gzip at once, brotli once it has been made in the
    // background; revalidated by ETag.
    let accepting = || {
        HttpRequest::get("/dist/article-embed.js")
            .header("accept-encoding", "gzip, deflate, br")
            .body(Body::empty())
            .expect("req")
    };
    let first = env.send(accepting()).await;
    assert!(["br", "gzip"].contains(
        &first.headers[header::CONTENT_ENCODING]
            .to_str()
            .expect("ascii")
    ));
    let mut br = first;
    for _ in 0..200 {
        if br.headers[header::CONTENT_ENCODING] == "br" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        br = env.send(accepting()).await;
    }
    assert_eq!(br.headers[header::CONTENT_ENCODING], "br");
    assert!(br.body.len() < loader.body.len() / 4);
    assert_eq!(br.headers[header::VARY], "Accept-Encoding");
    let gz = env
        .send(
            HttpRequest::get("/dist/article-embed.js")
                .header("accept-encoding", "gzip")
                .body(Body::empty())
                .expect("req"),
        )
        .await;
    assert_eq!(gz.headers[header::CONTENT_ENCODING], "gzip");
    let etag = loader.headers[header::ETAG].clone();
    let revalidated = env
        .send(
            HttpRequest::get("/dist/article-embed.js")
                .header("if-none-match", etag)
                .body(Body::empty())
                .expect("req"),
        )
        .await;
    assert_eq!(revalidated.status, StatusCode::NOT_MODIFIED);
    assert!(revalidated.body.is_empty());

    // A file too large to keep in memory goes out as it is, labelled as it is.
    let big = "x".repeat(5 << 20);
    std::fs::write(env.config.articles.join("big.json"), &big).expect("big file");
    let reply = env
        .send(
            HttpRequest::get("/articles/big.json")
                .header("accept-encoding", "br, gzip")
                .body(Body::empty())
                .expect("req"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.headers.get(header::CONTENT_ENCODING).is_none());
    assert_eq!(reply.body.len(), big.len());
}

async fn hosted() -> Env {
    let repo = PathBuf::from(REPO);
    env(|c| {
        c.articles = repo.join("articles");
        c.public_url = "https://embed.example".into();
    })
    .await
}

#[tokio::test]
async fn oembed_answers_rich_json_for_hosted_articles() {
    let env = hosted().await;
    let get = |q: &str| {
        HttpRequest::get(format!("/oembed?{q}"))
            .body(Body::empty())
            .expect("req")
    };
    for url in [
        "https://embed.example/embed/myanmar-diplomat",
        "https://embed.example/articles/myanmar-diplomat.json",
        "https://embed.example/articles/myanmar-diplomat.html",
        "https://news.example/international/myanmar-diplomat-tlv-resigns",
    ] {
        let q = serde_urlencoded::to_string([("url", url), ("format", "json")]).expect("query");
        let reply = env.send(get(&q)).await;
        assert_eq!(reply.status, StatusCode::OK, "{url}");
        assert_eq!(reply.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
        assert_eq!(
            reply.headers["cross-origin-resource-policy"],
            "cross-origin"
        );
        let o = reply.json();
        // Required by oEmbed 1.0 for the rich type.
        assert_eq!(o["version"], "1.0");
        assert_eq!(o["type"], "rich");
        assert_eq!(o["width"], 640);
        assert!(o["height"].as_u64().is_some_and(|h| h > 0 && h <= 1000));
        // What consumers that trust no provider's script keep (WordPress): the story's
        // link, and the compact card in a frame.
        assert_eq!(
            o["html"],
            "<blockquote><a href=\"https://news.example/international/myanmar-diplomat-tlv-resigns\">Diplomat at Myanmar Embassy in TLV resigns following Junta&#39;s crackdown</a></blockquote>\n\
             <iframe src=\"https://embed.example/embed/myanmar-diplomat?layout=compact\" width=\"640\" height=\"570\" \
             title=\"Diplomat at Myanmar Embassy in TLV resigns following Junta&#39;s crackdown\" frameborder=\"0\" scrolling=\"no\"></iframe>"
        );
        let script = env.send(get(&format!("{q}&flavour=script"))).await.json();
        let html = script["html"].as_str().expect("html");
        assert!(html.starts_with(
            "<article-embed src=\"https://embed.example/articles/myanmar-diplomat.json\""
        ));
        assert!(html.contains("<template shadowrootmode=\"open\">"));
        assert!(html.contains("https://embed.example/dist/article-embed.js"));
        assert_eq!(
            o["title"],
            "Diplomat at Myanmar Embassy in TLV resigns following Junta's crackdown"
        );
        assert_eq!(o["provider_name"], "The Jerusalem Post");
        assert_eq!(
            o["thumbnail_url"],
            "https://embed.example/articles/myanmar-funeral.svg"
        );
    }
    let narrow = env
        .send(get(
            "url=https%3A%2F%2Fembed.example%2Fembed%2Fmyanmar-diplomat&maxwidth=320&maxheight=900",
        ))
        .await
        .json();
    assert_eq!(narrow["width"], 320);
    assert!(narrow["height"].as_u64().is_some_and(|h| h <= 900));
    assert_eq!(
        env.send(get(
            "url=https%3A%2F%2Fembed.example%2Fembed%2Fmyanmar-diplomat&maxwidth=100"
        ))
        .await
        .json()["width"],
        280,
        "never narrower than the card allows"
    );
    assert_eq!(
        env.send(get("url=https%3A%2F%2Fnews.example%2Fnope"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        env.send(get(
            "url=https%3A%2F%2Fembed.example%2Fembed%2F..%2F..%2Fetc"
        ))
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let xml = env
        .send(get(
            "url=https%3A%2F%2Fembed.example%2Fembed%2Fmyanmar-diplomat&format=xml",
        ))
        .await;
    assert_eq!(xml.status, StatusCode::NOT_IMPLEMENTED);
    assert_eq!(
        env.send(get(
            "url=https%3A%2F%2Fembed.example%2Fembed%2Fmyanmar-diplomat&flavour=inline"
        ))
        .await
        .status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn article_pages_carry_discovery_and_frames_send_readers_on_to_the_story() {
    let env = hosted().await;
    let page = env
        .send(
            HttpRequest::get("/articles/myanmar-diplomat.html")
                .body(Body::empty())
                .expect("req"),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let link = "<link rel=\"alternate\" type=\"application/json+oembed\" href=\"https://embed.example/oembed?url=https%3A%2F%2Fembed.example%2Farticles%2Fmyanmar-diplomat.html&amp;format=json\">\n</head>";
    assert!(page.body.contains(link), "discovery in the head");
    assert_eq!(page.body.matches("application/json+oembed").count(), 1);
    // A page of the folder without JSON-LD beside it is served as it is.
    let plain = env
        .send(
            HttpRequest::get("/articles/myanmar-diplomat.json")
                .body(Body::empty())
                .expect("req"),
        )
        .await;
    assert!(!plain.body.contains("json+oembed"));
    let story = env
        .send(
            HttpRequest::get("/embed/myanmar-diplomat/story")
                .body(Body::empty())
                .expect("req"),
        )
        .await;
    assert_eq!(story.status, StatusCode::SEE_OTHER);
    assert_eq!(
        story.headers[header::LOCATION],
        "https://news.example/international/myanmar-diplomat-tlv-resigns"
    );
    let none = env
        .send(
            HttpRequest::get("/embed/no-such-story/story")
                .body(Body::empty())
                .expect("req"),
        )
        .await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_embed_query_takes_every_attribute_of_the_element_but_the_endpoint() {
    let element: serde_json::Value =
        serde_json::from_str(include_str!("../../../card/src/element.json")).expect("JSON");
    let env = hosted().await;
    for attribute in element["attributes"].as_array().expect("attributes") {
        let name = attribute["name"].as_str().expect("a name");
        if matches!(name, "src" | "signup-endpoint") {
            continue; // the server's own
        }
        let value = attribute["values"]
            .as_array()
            .and_then(|v| v.first())
            .and_then(|v| v.as_str())
            .unwrap_or("https://x.example/a");
        let page = env
            .send(
                HttpRequest::get(format!("/embed/myanmar-diplomat?{name}={value}"))
                    .body(Body::empty())
                    .expect("req"),
            )
            .await;
        assert!(
            page.body.contains(&format!(" {name}=\"{value}\"")),
            "{name} does not reach the element"
        );
    }
}

#[tokio::test]
async fn the_embed_page_is_the_server_rendered_card_with_discovery_and_resizing() {
    let env = hosted().await;
    let page = env
        .send(
            HttpRequest::get("/embed/myanmar-diplomat?layout=compact")
                .body(Body::empty())
                .expect("req"),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(
        "<link rel=\"alternate\" type=\"application/json+oembed\" href=\"https://embed.example/oembed?url=https%3A%2F%2Fembed.example%2Fembed%2Fmyanmar-diplomat&amp;format=json\""
    ));
    assert!(page.body.contains("<template shadowrootmode=\"open\">"));
    assert!(page.body.contains("layout-compact"));
    assert!(page
        .body
        .contains("action=\"https://embed.example/api/subscribe?frame="));
    assert!(page.body.contains("/dist/article-embed-frame.js"));
    let csp = page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("ascii");
    assert!(
        csp.contains("frame-ancestors *"),
        "framed by any site: {csp}"
    );
    assert!(
        csp.contains("script-src 'self' https://embed.example 'wasm-unsafe-eval'"),
        "{csp}"
    );
    let missing = env
        .send(
            HttpRequest::get("/embed/no-such-story")
                .body(Body::empty())
                .expect("req"),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_builder_api_pins_a_cdn_script_by_the_hash_of_the_loader_served() {
    use base64::Engine as _;
    use sha2::Digest as _;
    let loader = b"export const built = 1;\n";
    let env = env(|c| {
        std::fs::create_dir_all(&c.dist).expect("dist");
        std::fs::write(c.dist.join("article-embed.js"), loader).expect("loader");
        c.public_url = "https://embed.example".into();
    })
    .await;
    let fixture =
        std::fs::read_to_string(PathBuf::from(REPO).join("articles/myanmar-diplomat.json"))
            .expect("fixture");
    let snippet = |script: &str| {
        HttpRequest::post("/api/snippet")
            .header("content-type", "application/json")
            .body(Body::from(
                serde_json::json!({ "json": fixture, "script": script }).to_string(),
            ))
            .expect("req")
    };
    let integrity = format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha384::digest(loader))
    );
    let version = env!("CARGO_PKG_VERSION");
    for (cdn, url) in [
        (
            "jsdelivr",
            format!("https://cdn.jsdelivr.net/npm/article-embed@{version}/dist/article-embed.js"),
        ),
        (
            "unpkg",
            format!("https://unpkg.com/article-embed@{version}/dist/article-embed.js"),
        ),
    ] {
        let reply = env.send(snippet(cdn)).await;
        assert_eq!(reply.status, StatusCode::OK, "{cdn}");
        let html = reply.json()["snippet"]
            .as_str()
            .expect("snippet")
            .to_owned();
        assert!(
            html.ends_with(&format!("<script type=\"module\" src=\"{url}\" integrity=\"{integrity}\" crossorigin=\"anonymous\"></script>\n")),
            "{cdn}: {html}"
        );
    }
    let own = env.send(snippet("server")).await.json();
    assert!(own["snippet"].as_str().expect("snippet").ends_with(
        "<script type=\"module\" src=\"https://embed.example/dist/article-embed.js\"></script>\n"
    ));
    let unknown = env.send(snippet("cdn.example")).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.json()["problems"][0]
        .as_str()
        .expect("a problem")
        .starts_with("script: \"cdn.example\" is not one of server, jsdelivr, unpkg"));
}

#[tokio::test]
async fn the_builder_api_gives_the_snippet_or_every_problem() {
    let env = hosted().await;
    let post = |body: serde_json::Value| {
        HttpRequest::post("/api/snippet")
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .expect("req")
    };
    let bad = env
        .send(post(
            serde_json::json!({ "json": r#"{"@type":"NewsArticle","image":{"url":7}}"# }),
        ))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bad.json()["problems"],
        serde_json::json!([
            "headline: missing (required)",
            "image.url: expected text, found a number"
        ])
    );
    let not_json = env.send(post(serde_json::json!({ "json": "{" }))).await;
    assert_eq!(not_json.status, StatusCode::UNPROCESSABLE_ENTITY);

    let fixture =
        std::fs::read_to_string(PathBuf::from(REPO).join("articles/myanmar-diplomat.json"))
            .expect("fixture");
    let good = env
        .send(post(serde_json::json!({
            "json": fixture,
            "src": "https://embed.example/articles/myanmar-diplomat.json",
            "options": { "layout": "compact", "signupEndpoint": "https://embed.example/api/subscribe" }
        })))
        .await;
    assert_eq!(good.status, StatusCode::OK);
    let body = good.json();
    let snippet = body["snippet"].as_str().expect("snippet");
    assert!(snippet.starts_with("<article-embed src=\"https://embed.example/articles/myanmar-diplomat.json\" signup-endpoint="));
    assert!(snippet.contains("layout=\"compact\""));
    let iframe = body["iframe"]
        .as_str()
        .expect("an iframe for a hosted article");
    assert!(iframe.starts_with("<iframe src=\"https://embed.example/embed/myanmar-diplomat\""));
    assert!(iframe.contains("article-embed-resizer.js") && !iframe.contains("style="));
}

/// A publisher's site on a port of its own: article pages (the import fixtures), one that
/// redirects within the site, one that redirects to another origin, a page over 2 MB and
/// one that never answers. Counts the requests for each path.
async fn article_site() -> (String, Arc<std::sync::Mutex<Vec<String>>>) {
    use axum::response::{IntoResponse, Redirect};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let origin = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let pages = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages");
    let log = Arc::clone(&seen);
    let site = Router::new()
        .route(
            "/{name}",
            axum::routing::get(
                move |axum::extract::Path(name): axum::extract::Path<String>| {
                    let pages = pages.clone();
                    async move {
                        let html = |text: String, age: &str| {
                            (
                                [
                                    (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
                                    (header::CACHE_CONTROL, age.to_owned()),
                                ],
                                text,
                            )
                                .into_response()
                        };
                        match name.as_str() {
                            "moved" => Redirect::temporary("/graph").into_response(),
                            "away" => {
                                Redirect::temporary("http://127.0.0.1:9/graph").into_response()
                            }
                            "big" => html("x".repeat(3 * 1024 * 1024), "max-age=600"),
                            // The graph page with another Cache-Control: kept within 1 min – 1 h.
                            "long" | "fresh" => html(
                                std::fs::read_to_string(pages.join("graph.html"))
                                    .unwrap_or_default(),
                                if name == "long" {
                                    "max-age=86400"
                                } else {
                                    "no-cache"
                                },
                            ),
                            "paced" => {
                                tokio::time::sleep(Duration::from_millis(300)).await;
                                html(
                                    std::fs::read_to_string(pages.join("graph.html"))
                                        .unwrap_or_default(),
                                    "max-age=600",
                                )
                            }
                            "slow" => {
                                tokio::time::sleep(Duration::from_secs(30)).await;
                                html(String::new(), "no-store")
                            }
                            "json" => (
                                [(header::CONTENT_TYPE, "application/json")],
                                "{}".to_owned(),
                            )
                                .into_response(),
                            _ => {
                                match std::fs::read_to_string(pages.join(format!("{name}.html"))) {
                                    Ok(text) => html(text, "public, max-age=120"),
                                    Err(_) => StatusCode::NOT_FOUND.into_response(),
                                }
                            }
                        }
                    }
                },
            ),
        )
        .layer(axum::middleware::from_fn(
            move |request: axum::extract::Request, next: axum::middleware::Next| {
                let log = Arc::clone(&log);
                async move {
                    if let Ok(mut seen) = log.lock() {
                        seen.push(request.uri().path().to_owned());
                    }
                    next.run(request).await
                }
            },
        ));
    tokio::spawn(async move {
        let _ = axum::serve(listener, site).await;
    });
    (origin, seen)
}

fn from(url: &str) -> HttpRequest<Body> {
    let query = serde_urlencoded::to_string([("url", url)]).expect("query");
    get(&format!("/articles/from?{query}"))
}

#[tokio::test]
async fn articles_from_reads_pages_of_listed_origins_only() {
    let (site, seen) = article_site().await;
    let env = env(|c| {
        c.sources = vec![format!("{site}/")];
        c.source_timeout = Duration::from_secs(2);
    })
    .await;

    // A listed origin: the page's article, as JSON-LD anyone may read, cached for the
    // page's own max-age.
    let page = format!("{site}/graph");
    let reply = env.send(from(&page)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.headers["content-type"], "application/ld+json");
    assert_eq!(reply.headers["access-control-allow-origin"], "*");
    assert_eq!(
        reply.headers["cross-origin-resource-policy"],
        "cross-origin"
    );
    assert_eq!(reply.headers["cache-control"], "public, max-age=120");
    for (path, kept) in [("/long", "3600"), ("/fresh", "60")] {
        let reply = env.send(from(&format!("{site}{path}"))).await;
        assert_eq!(
            reply.headers["cache-control"],
            format!("public, max-age={kept}").as_str(),
            "{path}"
        );
    }
    let article = article_embed_card::json::Json::parse(&reply.body).expect("JSON");
    let parsed =
        article_embed_card::article::parse(&article, None).expect("an article the card reads");
    assert_eq!(parsed.article.headline, "The “final” word on tides & moons");

    // The second request is answered from the cache: the site sees one request.
    let again = env.send(from(&page)).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body, reply.body);
    let count = |path: &str| {
        seen.lock()
            .map(|s| s.iter().filter(|p| *p == path).count())
            .unwrap_or(0)
    };
    assert_eq!(count("/graph"), 1, "cached");
    let _ = env.send(from(&format!("{site}/long"))).await;
    assert_eq!(count("/long"), 1, "cached for the clamped hour");

    // oEmbed answers for the page's URL, with a card whose src is that same reading.
    let query = serde_urlencoded::to_string([("url", page.as_str())]).expect("query");
    let oembed = env.send(get(&format!("/oembed?{query}"))).await;
    assert_eq!(oembed.status, StatusCode::OK, "{}", oembed.body);
    let oembed = oembed.json();
    assert_eq!(oembed["type"], "rich");
    assert_eq!(oembed["title"], "The “final” word on tides & moons");
    assert_eq!(oembed["provider_name"], "Harbour Blog");
    let html = oembed["html"].as_str().unwrap_or_default();
    assert!(
        html.contains(&format!(
            "src=\"http://127.0.0.1:8080/articles/from?{}\"",
            query.replace('&', "&amp;")
        )),
        "{html}"
    );
    assert_eq!(count("/graph"), 1, "oEmbed read the cache too");
    let elsewhere = env
        .send(get("/oembed?url=https%3A%2F%2Felsewhere.example%2Fstory"))
        .await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);

    // A redirect within the listed origin is followed.
    let moved = env.send(from(&format!("{site}/moved"))).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);

    // Refused before any request: another origin, the server's own network on another
    // port, a user name in the URL, not http(s).
    for url in [
        "https://elsewhere.example/story".to_owned(),
        "http://127.0.0.1:9/graph".to_owned(),
        site.replace("http://", "http://listed@"),
        "file:///etc/passwd".to_owned(),
    ] {
        let reply = env.send(from(&url)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{url}: {}", reply.body);
    }
    // A redirect off the list is not followed.
    let away = env.send(from(&format!("{site}/away"))).await;
    assert_eq!(away.status, StatusCode::FORBIDDEN, "{}", away.body);

    // What the page cannot give: each its own answer, none cached.
    let big = env.send(from(&format!("{site}/big"))).await;
    assert_eq!(big.status, StatusCode::BAD_GATEWAY, "{}", big.body);
    assert!(big.body.contains("larger than 2 MB"), "{}", big.body);
    let slow = env.send(from(&format!("{site}/slow"))).await;
    assert_eq!(slow.status, StatusCode::GATEWAY_TIMEOUT, "{}", slow.body);
    let json = env.send(from(&format!("{site}/json"))).await;
    assert_eq!(json.status, StatusCode::BAD_GATEWAY, "{}", json.body);
    let missing = env.send(from(&format!("{site}/no-such-page"))).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "{}", missing.body);
    let nothing = env.send(from(&format!("{site}/nothing"))).await;
    assert_eq!(
        nothing.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        nothing.body
    );
    assert!(nothing.body.contains("no article"), "{}", nothing.body);
    assert_eq!(nothing.headers["cache-control"], "no-store");
    assert_eq!(count("/away"), 1);
    assert!(seen
        .lock()
        .map(|s| !s.iter().any(|p| p == "/etc/passwd"))
        .unwrap_or(false));
}

#[tokio::test]
async fn readers_arriving_at_once_cost_the_site_one_request() {
    let (site, seen) = article_site().await;
    let env = env(|c| c.sources = vec![site.clone()]).await;
    let count = |path: &str| {
        seen.lock()
            .map(|s| s.iter().filter(|p| *p == path).count())
            .unwrap_or(0)
    };

    // Eight requests for a page not yet read, while its site takes 300 ms to answer.
    let page = format!("{site}/paced");
    let replies = futures_util::future::join_all((0..8).map(|_| env.send(from(&page)))).await;
    for reply in &replies {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(reply.body, replies[0].body);
    }
    assert_eq!(count("/paced"), 1, "one reading for every reader waiting");
    // The fragment is not part of the page: fifty of them, still one reading.
    for n in 0..50 {
        let reply = env.send(from(&format!("{page}#p{n}"))).await;
        assert_eq!(reply.status, StatusCode::OK);
    }
    assert_eq!(count("/paced"), 1, "cached whatever the fragment");

    // A failed reading is not kept: the next request asks the site again.
    let missing = format!("{site}/missing");
    for _ in 0..2 {
        assert_eq!(env.send(from(&missing)).await.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(count("/missing"), 2);
}

#[tokio::test]
async fn articles_from_without_sources_reads_nothing() {
    let env = env(|_| {}).await;
    let reply = env.send(from("https://news.example/story")).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    for query in ["/articles/from", "/articles/from?url=a&url=b"] {
        let reply = env.send(get(query)).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
        assert_eq!(reply.headers["access-control-allow-origin"], "*", "{query}");
        assert_eq!(reply.headers["cache-control"], "no-store", "{query}");
    }
}

#[tokio::test]
async fn every_answer_other_origins_load_carries_cors_and_corp_and_the_builder_is_bounded() {
    let env = hosted().await;
    for path in [
        "/dist/no-such-file.js",
        "/articles/no-such-story.json",
        "/articles/myanmar-diplomat.json",
        "/oembed?url=https%3A%2F%2Fnowhere.example%2F",
    ] {
        let reply = env.send(get(path)).await;
        assert_eq!(
            reply.headers["access-control-allow-origin"], "*",
            "{path}: {}",
            reply.status
        );
        assert_eq!(
            reply.headers["cross-origin-resource-policy"], "cross-origin",
            "{path}"
        );
    }
    let frame = env.send(get("/embed/myanmar-diplomat")).await;
    assert_eq!(frame.status, StatusCode::OK);
    assert_eq!(
        frame.headers["cross-origin-resource-policy"],
        "cross-origin"
    );
    let huge = serde_json::json!({ "article": "x".repeat(crate::SNIPPET_BODY_LIMIT) });
    let reply = env
        .send(
            HttpRequest::post("/api/snippet")
                .header("content-type", "application/json")
                .body(Body::from(huge.to_string()))
                .expect("request"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_source_sites_newsletter_is_one_the_server_mails_about() {
    let (site, _seen) = article_site().await;
    let env = env(|c| c.sources = vec![site.clone()]).await;
    let mut body = signup("reader@example.org");
    body["newsletter"] = "Harbour Blog Newsletter".into();
    body["article"] = format!("{site}/graph").into();
    // A fresh process: the page was never read here, yet its card offers this name.
    let reply = env.subscribe(body.clone(), None).await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
    assert_eq!(env.rows().await[0].newsletter, "Harbour Blog Newsletter");
    // A page off the list teaches nothing.
    body["newsletter"] = "Elsewhere Newsletter".into();
    body["article"] = "https://elsewhere.example/story".into();
    let reply = env.subscribe(body, None).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
}

#[tokio::test]
async fn oembed_reads_the_folder_once_for_many_unknown_urls() {
    let dir = std::env::temp_dir().join(format!("article-embed-index-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let story = std::fs::read_to_string(PathBuf::from(REPO).join("articles/myanmar-diplomat.json"))
        .expect("story");
    let own_url = |text: &str| {
        article_embed_card::json::Json::parse(text)
            .ok()
            .and_then(|j| j.get("url").and_then(|u| u.as_str()).map(str::to_owned))
            .expect("the story's url")
    };
    let url = own_url(&story);
    std::fs::write(dir.join("first.json"), &story).expect("write");
    let articles = dir.clone();
    let env = env(move |c| c.articles = articles).await;
    let oembed = |url: &str| {
        let query = serde_urlencoded::to_string([("url", url)]).expect("query");
        get(&format!("/oembed?{query}"))
    };
    assert_eq!(env.send(oembed(&url)).await.status, StatusCode::OK);
    for n in 0..20 {
        let made_up = format!("https://nowhere.example/{n}");
        assert_eq!(
            env.send(oembed(&made_up)).await.status,
            StatusCode::NOT_FOUND
        );
    }
    // A story added now is not seen by the next request: the folder was read once, not
    // once a request (it is read again after ten seconds).
    let second = story.replace(&url, "https://news.example/second-story");
    std::fs::write(dir.join("second.json"), second).expect("write");
    assert_eq!(
        env.send(oembed("https://news.example/second-story"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let _ = std::fs::remove_dir_all(&dir);
}
