//! The `article-embed` binary's tools as a publisher runs them: `check` and `snippet`, run
//! at the repository's root (its articles/ and the import fixtures).

use std::path::PathBuf;
use std::process::Command;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_article-embed"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn temp_file(name: &str, text: &str) -> PathBuf {
    let path =
        std::env::temp_dir().join(format!("article-embed-cli-{}-{name}", std::process::id()));
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn check_passes_the_seed_story() {
    let (code, out, _) = run(&["check", "articles/myanmar-diplomat.json"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.trim(), "articles/myanmar-diplomat.json: ok");
}

#[test]
fn check_lists_every_problem_with_its_path_and_exits_1() {
    let bad = temp_file(
        "bad.json",
        r#"{"@type":"NewsArticle","headline":"","url":"javascript:alert(1)","image":[{"url":42}]}"#,
    );
    let path = bad.display().to_string();
    let (code, out, _) = run(&["check", &path]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            format!("{path}: headline: empty (required)"),
            format!("{path}: url: not an http(s) URL (dropped)"),
            format!("{path}: image[0].url: expected text, found a number"),
        ]
    );
    let _ = std::fs::remove_file(bad);
}

#[test]
fn check_tells_bad_json_from_a_missing_file() {
    let broken = temp_file("broken.json", "{\"headline\": ");
    let (code, out, _) = run(&["check", &broken.display().to_string()]);
    assert_eq!(code, 1);
    assert!(out.contains("(document): not valid JSON"), "{out}");
    let _ = std::fs::remove_file(broken);
    let (code, _, err) = run(&["check", "no/such/file.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read"), "{err}");
}

#[test]
fn snippet_prints_the_rendered_card_and_the_script() {
    let (code, out, err) = run(&[
        "snippet",
        "articles/myanmar-diplomat.json",
        "--src",
        "https://news.example/articles/myanmar-diplomat.json",
        "--signup-endpoint",
        "https://news.example/api/subscribe",
        "--script",
        "https://cdn.example/article-embed.js",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "no warnings for the seed story: {err}");
    assert!(out.starts_with(
        "<article-embed src=\"https://news.example/articles/myanmar-diplomat.json\" signup-endpoint=\"https://news.example/api/subscribe\">"
    ));
    assert!(out.contains("src=\"https://news.example/articles/myanmar-funeral.svg\""));
    assert!(out.trim_end().ends_with(
        "<script type=\"module\" src=\"https://cdn.example/article-embed.js\"></script>"
    ));
    let (code, pinned, err) = run(&[
        "snippet",
        "articles/myanmar-diplomat.json",
        "--script",
        "https://cdn.example/article-embed@1/dist/article-embed.js",
        "--integrity",
        "sha384-abc",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(pinned.trim_end().ends_with(
        "<script type=\"module\" src=\"https://cdn.example/article-embed@1/dist/article-embed.js\" integrity=\"sha384-abc\" crossorigin=\"anonymous\"></script>"
    ));
    let (code, _, err) = run(&["snippet", "no/such/file.json"]);
    assert_eq!(code, 1);
    assert!(err.contains("cannot read"));
}

/// `signups delete` tells the provider of every erased subscriber a webhook was told of,
/// whatever it is given (no webhook flag exists to forget), and reads the configuration
/// `serve` reads: here the database comes from the file `--config` names.
#[tokio::test]
async fn signups_delete_always_reaches_the_provider_and_reads_the_config_file() {
    use article_embed_server::store::{NewSignup, Store};
    use article_embed_server::time::now_ms;
    let dir = std::env::temp_dir().join(format!("article-embed-cli-delete-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let db = format!("sqlite://{}", dir.join("signups.db").display());
    let store = Store::open(&db).await.expect("database");
    for (id, (email, webhook)) in [("told@example.org", true), ("quiet@example.org", false)]
        .into_iter()
        .enumerate()
    {
        let signup = NewSignup {
            email: email.into(),
            newsletter: "N".into(),
            consent: true,
            consent_text: "ok".into(),
            name: None,
            article: None,
            page: None,
            locale: "en".into(),
        };
        store.add(&signup, now_ms()).await.expect("add");
        let (token, _) = store
            .token_for(id as i64 + 1, now_ms())
            .await
            .expect("token")
            .expect("pending");
        // Confirmed on a server with a webhook (told) and on one without (never told).
        store
            .confirm(&token, now_ms(), webhook)
            .await
            .expect("confirm");
    }
    // The webhook's own event has been delivered: nothing waits in the queue any more.
    while let Ok(Some(job)) = store.next_webhook(now_ms()).await {
        store.webhook_done(&job.id).await.expect("sent");
    }
    store.close().await;
    let config = dir.join("article-embed.env");
    std::fs::write(
        &config,
        format!("# as serve's systemd unit reads it\nARTICLE_EMBED_DB=\"{db}\"\n"),
    )
    .expect("config");
    let config = config.display().to_string();

    let (code, out, err) = run(&["--config", &config, "signups", "delete", "Told@Example.org"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("erased t…@example.org: 1 signup(s)"),
        "{out}"
    );
    assert!(
        out.contains("1 subscriber.deleted event(s) queued"),
        "{out}"
    );
    assert!(
        !out.contains("told@example.org"),
        "the output masks the address"
    );
    let (code, out, err) = run(&[
        "--config",
        &config,
        "signups",
        "delete",
        "quiet@example.org",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("0 subscriber.deleted event(s) queued"),
        "{out}"
    );

    let store = Store::open(&db).await.expect("database");
    let job = store
        .next_webhook(now_ms())
        .await
        .expect("queue")
        .expect("the deleted event, for the servers to post");
    assert!(
        job.payload.contains("\"subscriber.deleted\""),
        "{}",
        job.payload
    );
    assert!(job.payload.contains("told@example.org"), "{}", job.payload);
    assert_eq!(store.next_webhook(now_ms()).await.expect("queue"), None);
    store.close().await;
    let (_, csv, _) = run(&["--config", &config, "signups", "export"]);
    assert!(!csv.contains("@example.org"), "{csv}");

    let (code, _, err) = run(&[
        "--config",
        &dir.join("missing.env").display().to_string(),
        "signups",
        "export",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("missing.env"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A folder of its own for one test's output.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("article-embed-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn import_reads_saved_pages_and_writes_articles_that_check() {
    let dir = temp_dir("import-files");
    let out_dir = dir.display().to_string();
    let (code, out, err) = run(&[
        "import",
        "crates/server/tests/fixtures/pages/graph.html",
        "crates/server/tests/fixtures/pages/open-graph.html",
        "--articles",
        &out_dir,
    ]);
    assert_eq!(code, 0, "{out}{err}");
    // Named after each page's own (canonical) URL.
    let graph = dir.join("final-word-on-tides.json");
    let og = dir.join("marche-couvert-rouvre.json");
    assert!(
        out.contains(&format!(
            "wrote {} (from its JSON-LD script 1)",
            graph.display()
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "wrote {} (from its Open Graph and meta tags)",
            og.display()
        )),
        "{out}"
    );
    assert!(
        out.contains("crates/server/tests/fixtures/pages/graph.html: script[1] @graph[2].author[1]: an @id that names no node"),
        "the dropped author is reported with its path: {out}"
    );
    for file in [&graph, &og] {
        let path = file.display().to_string();
        let (code, out, _) = run(&["check", &path]);
        assert_eq!(code, 0, "{out}");
    }
    let written = std::fs::read_to_string(&og).expect("written");
    assert!(
        written.contains(r#""headline":"Le marché couvert rouvre ses portes""#),
        "{written}"
    );
    assert!(
        written.contains(r#""url":"https://quotidien.example/images/marche.jpg""#),
        "{written}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn import_says_why_a_page_yields_nothing_and_exits_1() {
    let dir = temp_dir("import-nothing");
    let out_dir = dir.display().to_string();
    let (code, out, _) = run(&[
        "import",
        "crates/server/tests/fixtures/pages/nothing.html",
        "crates/server/tests/fixtures/pages/no-such-page.html",
        "--articles",
        &out_dir,
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("crates/server/tests/fixtures/pages/nothing.html: no article: "),
        "{out}"
    );
    assert!(
        out.contains("crates/server/tests/fixtures/pages/no-such-page.html: cannot read: "),
        "{out}"
    );
    assert!(!dir.exists(), "nothing written");
}

/// Serves each request once with the fixture page named by its path, as text/html;
/// `/big` is a page over the 2 MB limit.
fn serve_pages(requests: usize) -> (String, std::thread::JoinHandle<Vec<String>>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let origin = format!("http://{}", listener.local_addr().expect("addr"));
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for stream in listener.incoming().take(requests) {
            let Ok(mut stream) = stream else { continue };
            let mut line = String::new();
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let _ = reader.read_line(&mut line);
            // The rest of the request's head.
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
            seen.push(path.clone());
            if let Some(target) = path.strip_prefix("/redirect/") {
                let _ = write!(
                    stream,
                    "HTTP/1.1 302 Found\r\nLocation: http://{target}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
                continue;
            }
            let body = if path == "/big" {
                format!(
                    "<!doctype html><title>Big</title>{}",
                    "x".repeat(3 * 1024 * 1024)
                )
            } else {
                let name = path
                    .trim_start_matches('/')
                    .split('/')
                    .next()
                    .unwrap_or_default();
                std::fs::read_to_string(format!(
                    "{}/../server/tests/fixtures/pages/{name}.html",
                    env!("CARGO_MANIFEST_DIR")
                ))
                .unwrap_or_default()
            };
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
        seen
    });
    (origin, handle)
}

#[test]
fn import_reads_pages_over_http_relative_urls_against_the_page() {
    let (origin, server) = serve_pages(2);
    let dir = temp_dir("import-http");
    let out_dir = dir.display().to_string();
    let page = format!("{origin}/two-scripts/news/ferry-service-resumes");
    let big = format!("{origin}/big");
    let (code, out, err) = run(&["import", &page, &big, "--articles", &out_dir]);
    assert_eq!(code, 1, "the big page yields nothing: {out}{err}");
    assert!(out.contains(&format!("{big} is larger than 2 MB")), "{out}");
    let written = std::fs::read_to_string(dir.join("ferry-service-resumes.json"))
        .unwrap_or_else(|e| panic!("{e}: {out}"));
    // The image's relative URL resolved against the page's own URL.
    assert!(
        written.contains(&format!(
            r#""url":"{origin}/two-scripts/news/img/ferry.jpg""#
        )),
        "{written}"
    );
    assert!(
        out.contains(&format!("{page}: script[1]: not valid JSON: ")),
        "{out}"
    );
    assert_eq!(
        server.join().expect("server"),
        ["/two-scripts/news/ferry-service-resumes", "/big"]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The article `path` (JSON-LD) as the card reads it when served at `served_at`.
fn card_of(path: &std::path::Path, served_at: &str) -> article_embed_card::article::Article {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let json = article_embed_card::json::Json::parse(&text).expect("JSON");
    article_embed_card::article::parse_with_base(&json, Some(served_at))
        .unwrap_or_else(|p| panic!("{}: {p:?}", path.display()))
        .article
}

#[test]
fn the_demo_story_page_imports_as_the_seed_card() {
    // What `make demo` runs: the saved page, named and resolved as it is served.
    let dir = temp_dir("import-demo");
    let out_dir = dir.display().to_string();
    let (code, out, err) = run(&[
        "import",
        "articles/myanmar-diplomat.html",
        "--base",
        "/articles/myanmar-diplomat.html",
        "--articles",
        &out_dir,
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let written = dir.join("myanmar-diplomat.json");
    assert_eq!(
        out,
        format!(
            "articles/myanmar-diplomat.html: wrote {} (from its JSON-LD script 1)\n",
            written.display()
        ),
        "nothing dropped, nothing to report"
    );
    // Names go without a type: the card keeps none, and Reuters is not a Person.
    let text = std::fs::read_to_string(&written).expect("written");
    assert!(text.contains(r#"{"name":"Reuters"}"#), "{text}");
    assert!(!text.contains("Person"), "{text}");
    // Root-relative: the photo is wherever the articles are served from.
    let imported = card_of(&written, "/articles/myanmar-diplomat.json");
    assert_eq!(
        imported.image.as_ref().map(|i| i.url.as_str()),
        Some("/articles/myanmar-funeral.svg")
    );
    let seed = card_of(
        std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../articles/myanmar-diplomat.json"
        )),
        "/articles/myanmar-diplomat.json",
    );
    assert_eq!(
        imported, seed,
        "the page gives the very card of the seed story"
    );

    // An absolute address works the same way; without one, the canonical link is the base.
    let (code, out, err) = run(&[
        "import",
        "articles/myanmar-diplomat.html",
        "--base",
        "https://cards.example/story/myanmar.html",
        "--articles",
        &out_dir,
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let absolute = card_of(&dir.join("myanmar.json"), "https://elsewhere.example/");
    assert_eq!(
        absolute.image.map(|i| i.url),
        Some("https://cards.example/story/myanmar-funeral.svg".to_owned())
    );
    let (code, out, err) = run(&[
        "import",
        "articles/myanmar-diplomat.html",
        "--articles",
        &out_dir,
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let canonical = card_of(
        &dir.join("myanmar-diplomat-tlv-resigns.json"),
        "https://elsewhere.example/",
    );
    assert_eq!(
        canonical.image.map(|i| i.url),
        Some("https://news.example/international/myanmar-funeral.svg".to_owned())
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn import_base_is_for_one_saved_page() {
    for (args, says) in [
        (
            vec![
                "articles/myanmar-diplomat.html",
                "crates/server/tests/fixtures/pages/graph.html",
                "--base",
                "/a.html",
            ],
            "--base goes with one saved page",
        ),
        (
            vec!["http://127.0.0.1:9/story", "--base", "/a.html"],
            "--base goes with one saved page",
        ),
        (
            vec!["articles/myanmar-diplomat.html", "--base", "stories/a.html"],
            "--base stories/a.html: not an http(s) URL or a path from /",
        ),
        (
            vec![
                "articles/myanmar-diplomat.html",
                "--base",
                "javascript:alert(1)",
            ],
            "not an http(s) URL or a path from /",
        ),
    ] {
        let dir = temp_dir("import-base");
        let out_dir = dir.display().to_string();
        let mut all = vec!["import"];
        all.extend(args);
        all.extend(["--articles", &out_dir]);
        let (code, out, err) = run(&all);
        assert_eq!(code, 2, "{all:?}: {out}{err}");
        assert!(err.contains(says), "{all:?}: {err}");
        assert!(!dir.exists(), "{all:?}: nothing written");
    }
}

/// Every attribute of the element's declaration is a flag of `snippet`, and reaches the
/// element it prints.
#[test]
fn snippet_takes_every_attribute_of_the_element() {
    let element: serde_json::Value =
        serde_json::from_str(include_str!("../../card/src/element.json")).expect("JSON");
    let mut args = vec![
        "snippet".to_owned(),
        "articles/myanmar-diplomat.json".to_owned(),
    ];
    let mut expected = Vec::new();
    for attribute in element["attributes"].as_array().expect("attributes") {
        let name = attribute["name"].as_str().expect("a name");
        let value = attribute["values"]
            .as_array()
            .and_then(|v| v.first())
            .and_then(|v| v.as_str())
            .unwrap_or("https://x.example/a");
        args.extend([format!("--{name}"), value.to_owned()]);
        expected.push(format!(" {name}=\"{value}\""));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    let start = out.lines().next().unwrap_or_default();
    for attribute in expected {
        assert!(
            start.contains(&attribute),
            "{attribute} missing from {start}"
        );
    }
}

/// A page that redirects into the operator's own network (another host on loopback) is not
/// followed unless the operator says so; a page on the host given is read wherever it is.
#[test]
fn import_follows_no_redirect_into_the_operators_network() {
    let (origin, server) = serve_pages(4);
    let port = origin.rsplit(':').next().unwrap_or_default().to_owned();
    let dir = temp_dir("import-private");
    let out_dir = dir.display().to_string();
    for target in [
        format!("localhost:{port}/graph"),
        format!("127.0.0.2:{port}/graph"),
    ] {
        let page = format!("{origin}/redirect/{target}");
        let (code, out, err) = run(&["import", &page, "--articles", &out_dir]);
        assert_eq!(code, 1, "{out}{err}");
        assert!(out.contains("--allow-private-redirects"), "{out}");
    }
    let page = format!("{origin}/redirect/localhost:{port}/graph");
    let (code, out, err) = run(&[
        "import",
        &page,
        "--articles",
        &out_dir,
        "--allow-private-redirects",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let seen = server.join().expect("server");
    assert_eq!(
        seen.iter().filter(|p| *p == "/graph").count(),
        1,
        "{seen:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Hebrew slugs stay Hebrew, and a story never takes another story's file.
#[test]
fn import_keeps_each_story_in_a_file_of_its_own() {
    let (origin, server) = serve_pages(5);
    let dir = temp_dir("import-names");
    let out_dir = dir.display().to_string();
    let pages = [
        format!("{origin}/graph/article/%D7%A9%D7%9C%D7%95%D7%9D"),
        format!("{origin}/open-graph/article/%D7%A2%D7%95%D7%9C%D7%9D"),
        format!("{origin}/graph/news/story"),
        format!("{origin}/open-graph/news/story"),
    ];
    let (code, out, err) = run(&[
        "import",
        &pages[0],
        &pages[1],
        &pages[2],
        &pages[3],
        "--articles",
        &out_dir,
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["story-2.json", "story.json", "עולם.json", "שלום.json"],
        "{out}"
    );
    // The same story again updates its own file.
    let (code, out, _) = run(&["import", &pages[3], "--articles", &out_dir]);
    assert_eq!(code, 0);
    assert!(out.contains("story-2.json"), "{out}");
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--help` shows which settings come from the environment, never their values.
#[test]
fn help_never_prints_a_secret() {
    let secrets = [
        (
            "ARTICLE_EMBED_WEBHOOK",
            "https://hooks.example/in/token-in-url",
        ),
        (
            "ARTICLE_EMBED_WEBHOOK_SECRET",
            "whsec_c2VjcmV0LXNpZ25pbmcta2V5",
        ),
        (
            "ARTICLE_EMBED_SMTP",
            "smtp://user:smtp-password@mail.example",
        ),
        ("ARTICLE_EMBED_DB", "postgres://u:db-password@db.example/x"),
    ];
    for args in [
        &["serve", "--help"][..],
        &["signups", "delete", "--help"],
        &["queue", "--help"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_article-embed"))
            .args(args)
            .envs(secrets)
            .output()
            .expect("runs");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{args:?}");
        for (name, value) in secrets {
            assert!(!text.contains(value), "{args:?} prints {name}: {text}");
        }
    }
}
