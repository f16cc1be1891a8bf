//! The HTTP handlers against a real SQLite file in a temporary folder, through the same
//! router `serve` runs (requests go through tower's `oneshot`, no socket).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::AtomicUsize;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request as HttpRequest;
use tower::ServiceExt;

use super::*;

static NEXT: AtomicUsize = AtomicUsize::new(0);

struct Env {
    dir: PathBuf,
    config: Config,
    app: Arc<App>,
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn env(tune: impl FnOnce(&mut Config)) -> Env {
    let dir = std::env::temp_dir().join(format!(
        "article-embed-test-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut config = Config::new("127.0.0.1:8080".parse().expect("addr"));
    config.db = format!("sqlite://{}", dir.join("signups.db").display());
    config.mail_dir = dir.join("mail");
    config.allow_origins = vec!["https://publisher.example".into()];
    tune(&mut config);
    let app = App::new(&config).await.expect("app starts");
    Env { dir, config, app }
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl Env {
    async fn send(&self, request: HttpRequest<Body>) -> Reply {
        let mut request = request;
        if request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .is_none()
        {
            request
                .extensions_mut()
                .insert(ConnectInfo(SocketAddr::from(([192, 0, 2, 1], 5000))));
        }
        let response = router(Arc::clone(&self.app), &self.config)
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn subscribe(&self, body: serde_json::Value, key: Option<&str>) -> Reply {
        let mut request =
            HttpRequest::post("/api/subscribe").header("content-type", "application/json");
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        self.send(request.body(Body::from(body.to_string())).expect("request"))
            .await
    }

    async fn rows(&self) -> Vec<store::Signup> {
        self.app.store.all().await.expect("rows")
    }

    fn mails(&self) -> Vec<String> {
        std::fs::read_dir(&self.config.mail_dir)
            .map(|dir| {
                dir.filter_map(Result::ok)
                    .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn signup(email: &str) -> serde_json::Value {
    serde_json::json!({
        "email": email, "newsletter": "The Jerusalem Post Newsletter", "consent": true,
        "article": "https://news.example/story", "page": "https://publisher.example/page",
        "locale": "en"
    })
}

fn token_in(mail: &str) -> String {
    let start = mail.find("token=").expect("a link with a token") + 6;
    mail[start..start + 32].to_owned()
}

#[tokio::test]
async fn a_new_signup_is_pending_until_the_link_is_followed() {
    let env = env(|_| {}).await;
    let reply = env.subscribe(signup("  Reader@Example.ORG "), None).await;
    assert_eq!(reply.status, StatusCode::ACCEPTED);
    assert_eq!(reply.json(), serde_json::json!({ "status": "pending" }));
    let rows = env.rows().await;
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(row.email, "reader@example.org", "normalised");
    assert_eq!(row.status, "pending");
    assert!(row.consent);
    assert_eq!(row.consent_text, i18n::EN.consent);
    assert_eq!(row.article.as_deref(), Some("https://news.example/story"));
    assert_eq!(row.page.as_deref(), Some("https://publisher.example/page"));
    assert_eq!(row.locale, "en");

    let mails = env.mails();
    assert_eq!(mails.len(), 1, "the confirmation is in the mail drop");
    assert!(mails[0].contains("To: reader@example.org"));
    let token = token_in(&mails[0]);
    let page = env
        .send(
            HttpRequest::get(format!("/api/confirm?token={token}"))
                .body(Body::empty())
                .expect("req"),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("subscribed"));
    let row = &env.rows().await[0];
    assert_eq!(row.status, "subscribed");
    assert!(row.confirmed_at.is_some());

    let unknown = env
        .send(
            HttpRequest::get("/api/confirm?token=00000000000000000000000000000000")
                .body(Body::empty())
                .expect("req"),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_second_signup_is_already_subscribed_and_adds_no_row() {
    let env = env(|_| {}).await;
    assert_eq!(
        env.subscribe(signup("a@example.org"), None).await.status,
        StatusCode::ACCEPTED
    );
    let again = env.subscribe(signup("A@example.org"), None).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(
        again.json(),
        serde_json::json!({ "status": "already_subscribed" })
    );
    assert_eq!(env.rows().await.len(), 1);
    assert_eq!(
        env.mails().len(),
        2,
        "still pending: the link is sent again"
    );
    // Another newsletter is another signup.
    let mut other = signup("a@example.org");
    other["newsletter"] = "Morning Brief".into();
    assert_eq!(
        env.subscribe(other, None).await.status,
        StatusCode::ACCEPTED
    );
    assert_eq!(env.rows().await.len(), 2);
}

#[tokio::test]
async fn a_retried_request_gets_the_same_answer() {
    let env = env(|c| c.fail_first = 1).await;
    let key = "3f0c8a1e9b7d4c2a8e6f1b3d5a7c9e0f";
    // The first try meets a failure: not remembered, so the retry runs for real.
    let failed = env.subscribe(signup("r@example.org"), Some(key)).await;
    assert_eq!(failed.status, StatusCode::INTERNAL_SERVER_ERROR);
    let first = env.subscribe(signup("r@example.org"), Some(key)).await;
    assert_eq!(first.status, StatusCode::ACCEPTED);
    let again = env.subscribe(signup("r@example.org"), Some(key)).await;
    assert_eq!(
        (again.status, again.body.clone()),
        (first.status, first.body.clone())
    );
    assert_eq!(env.rows().await.len(), 1);
    assert_eq!(
        env.mails().len(),
        1,
        "a replayed answer sends no second mail"
    );
    // Without the key, the same address is a second signup.
    let no_key = env.subscribe(signup("r@example.org"), None).await;
    assert_eq!(no_key.json()["status"], "already_subscribed");
}

#[tokio::test]
async fn honeypot_submissions_are_answered_200_and_dropped() {
    let env = env(|_| {}).await;
    let mut bot = signup("bot@example.org");
    bot["website"] = "http://spam.example".into();
    let reply = env.subscribe(bot, None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["status"], "subscribed");
    assert!(env.rows().await.is_empty());
    assert!(env.mails().is_empty());
}

#[tokio::test]
async fn bad_requests_get_a_clear_message() {
    let env = env(|_| {}).await;
    let invalid = env.subscribe(signup("reader@example"), None).await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(invalid.json()["error"], "invalid_email");
    assert_eq!(invalid.json()["message"], i18n::EN.email_invalid);
    let mut no_newsletter = signup("r@example.org");
    no_newsletter["newsletter"] = "  ".into();
    let reply = env.subscribe(no_newsletter, None).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["message"], "newsletter: missing (required)");

    let malformed = env
        .send(
            HttpRequest::post("/api/subscribe")
                .header("content-type", "application/json")
                .body(Body::from("{\"email\": "))
                .expect("req"),
        )
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert_eq!(malformed.json()["error"], "bad_request");
    assert!(malformed.json()["message"]
        .as_str()
        .is_some_and(|m| m.starts_with("The request body is not valid JSON")));

    let wrong_type = env
        .subscribe(serde_json::json!({ "email": 42 }), None)
        .await;
    assert_eq!(wrong_type.status, StatusCode::BAD_REQUEST);

    let huge = format!("{{\"email\":\"{}\"}}", "a".repeat(BODY_LIMIT));
    let too_large = env
        .send(
            HttpRequest::post("/api/subscribe")
                .header("content-type", "application/json")
                .body(Body::from(huge))
                .expect("req"),
        )
        .await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(env.rows().await.is_empty());
}

#[tokio::test]
async fn rate_limits_answer_429_with_retry_after() {
    let env = env(|c| {
        c.rate_per_ip = 3;
        c.rate_per_email = 2;
    })
    .await;
    // Per email: the third attempt for one address within the hour.
    for _ in 0..2 {
        assert_ne!(
            env.subscribe(signup("same@example.org"), None).await.status,
            StatusCode::TOO_MANY_REQUESTS
        );
    }
    let limited = env.subscribe(signup("same@example.org"), None).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = limited.headers[header::RETRY_AFTER]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=3600).contains(&wait), "{wait}");
    assert_eq!(limited.json()["error"], "rate_limited");
    // Per IP: this address has used its 3 per minute (the refused one did not count).
    let from_ip = env.subscribe(signup("new@example.org"), None).await;
    assert_eq!(from_ip.status, StatusCode::TOO_MANY_REQUESTS);
    // Another IP is not affected.
    let mut request = HttpRequest::post("/api/subscribe")
        .header("content-type", "application/json")
        .body(Body::from(signup("new@example.org").to_string()))
        .expect("req");
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([198, 51, 100, 7], 1))));
    assert_eq!(env.send(request).await.status, StatusCode::ACCEPTED);
}

#[tokio::test]
async fn the_default_limits_let_an_office_sign_up_ten_readers_a_minute() {
    let env = env(|_| {}).await;
    for i in 0..10 {
        let reply = env
            .subscribe(signup(&format!("colleague{i}@office.example")), None)
            .await;
        assert_eq!(reply.status, StatusCode::ACCEPTED, "reader {i}");
    }
}

#[tokio::test]
async fn cors_only_for_allowed_origins() {
    let env = env(|_| {}).await;
    let preflight = |origin: &str| {
        HttpRequest::builder()
            .method(Method::OPTIONS)
            .uri("/api/subscribe")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "content-type,idempotency-key",
            )
            .body(Body::empty())
            .expect("req")
    };
    let allowed = env.send(preflight("https://publisher.example")).await;
    assert!(allowed.status.is_success());
    assert_eq!(
        allowed.headers["access-control-allow-origin"],
        "https://publisher.example"
    );
    let allow_headers = allowed.headers["access-control-allow-headers"]
        .to_str()
        .expect("ascii")
        .to_ascii_lowercase();
    assert!(allow_headers.contains("idempotency-key") && allow_headers.contains("content-type"));
    let other = env.send(preflight("https://elsewhere.example")).await;
    assert!(other.headers.get("access-control-allow-origin").is_none());
    // Retry-After must be readable by the widget on another origin.
    let mut post = HttpRequest::post("/api/subscribe")
        .header("content-type", "application/json")
        .header("origin", "https://publisher.example")
        .body(Body::from(signup("c@example.org").to_string()))
        .expect("req");
    post.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([203, 0, 113, 9], 1))));
    let reply = env.send(post).await;
    assert!(reply.headers["access-control-expose-headers"]
        .to_str()
        .expect("ascii")
        .to_ascii_lowercase()
        .contains("retry-after"));
}

#[tokio::test]
async fn a_plain_form_post_subscribes_and_answers_with_a_page() {
    let env = env(|_| {}).await;
    let form = "email=form%40example.org&newsletter=The+Jerusalem+Post+Newsletter&consent=on\
                &page=https%3A%2F%2Fpublisher.example%2Fpage&website=";
    let reply = env
        .send(
            HttpRequest::post("/api/subscribe")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(form))
                .expect("req"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED);
    assert!(reply.headers[header::CONTENT_TYPE]
        .to_str()
        .is_ok_and(|t| t.starts_with("text/html")));
    assert!(reply.body.contains("check your inbox"));
    assert!(reply
        .body
        .contains(r#"href="https://publisher.example/page""#));
    let rows = env.rows().await;
    assert_eq!(rows.len(), 1);
    assert!(rows[0].consent, "a ticked checkbox sends 'on'");
    // An invalid address is explained on the page, with the message escaped.
    let bad = env
        .send(
            HttpRequest::post("/api/subscribe")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from("email=%3Cscript%3E&newsletter=N"))
                .expect("req"),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("name@example.org") && !bad.body.contains("<script>"));
}

#[tokio::test]
async fn the_fault_switch_fails_the_first_requests_only() {
    let env = env(|c| c.fail_first = 2).await;
    assert_eq!(
        env.subscribe(signup("f@example.org"), None).await.status,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(
        env.subscribe(signup("f@example.org"), None).await.status,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(
        env.subscribe(signup("f@example.org"), None).await.status,
        StatusCode::ACCEPTED
    );
    assert_eq!(env.rows().await.len(), 1);
}

#[tokio::test]
async fn export_writes_csv_with_every_column() {
    let env = env(|_| {}).await;
    let mut tricky = signup("csv@example.org");
    tricky["newsletter"] = "News, \"Daily\"".into();
    env.subscribe(tricky, None).await;
    let csv = store::to_csv(&env.rows().await);
    let mut lines = csv.split("\r\n");
    assert_eq!(
        lines.next(),
        Some("id,email,newsletter,consent,consent_text,article,page,locale,status,created_at,confirmed_at")
    );
    let row = lines.next().expect("a row");
    assert!(
        row.starts_with("1,csv@example.org,\"News, \"\"Daily\"\"\",true,"),
        "{row}"
    );
    assert!(row.contains(",pending,20"), "{row}");
}

#[test]
fn iso_times() {
    assert_eq!(store::iso_time(0), "1970-01-01T00:00:00.000Z");
    assert_eq!(
        store::iso_time(1_614_970_800_123),
        "2021-03-05T19:00:00.123Z"
    );
    assert_eq!(store::iso_time(951_782_400_000), "2000-02-29T00:00:00.000Z");
}

#[tokio::test]
async fn static_files_and_cache_headers() {
    let env = env(|c| {
        c.site = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        c.articles = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("articles");
        c.dist = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("articles");
    })
    .await;
    let get = |path: &str| HttpRequest::get(path).body(Body::empty()).expect("req");
    let index = env.send(get("/")).await;
    assert_eq!(index.status, StatusCode::OK);
    assert!(index.body.contains("<article-embed"));
    let article = env.send(get("/articles/myanmar-diplomat.json")).await;
    assert_eq!(article.status, StatusCode::OK);
    assert_eq!(article.headers[header::CACHE_CONTROL], "no-cache");
    let versioned = env
        .send(get(&format!(
            "/dist/v{}/publisher-logo.svg",
            env!("CARGO_PKG_VERSION")
        )))
        .await;
    assert_eq!(versioned.status, StatusCode::OK);
    assert!(versioned.headers[header::CACHE_CONTROL]
        .to_str()
        .is_ok_and(|c| c.contains("immutable")));
    assert_eq!(
        env.send(get("/articles/nope.json")).await.status,
        StatusCode::NOT_FOUND
    );
}

async fn hosted() -> Env {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
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
        "https://news.example/international/myanmar-diplomat-tlv-resigns",
    ] {
        let q = serde_urlencoded::to_string([("url", url), ("format", "json")]).expect("query");
        let reply = env.send(get(&q)).await;
        assert_eq!(reply.status, StatusCode::OK, "{url}");
        let o = reply.json();
        // Required by oEmbed 1.0 for the rich type.
        assert_eq!(o["version"], "1.0");
        assert_eq!(o["type"], "rich");
        assert_eq!(o["width"], 640);
        assert!(o["height"].as_u64().is_some_and(|h| h > 0));
        let html = o["html"].as_str().expect("html");
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
        .contains("action=\"https://embed.example/api/subscribe\""));
    assert!(page.body.contains("/dist/article-embed-frame.js"));
    assert_eq!(
        page.headers[header::CONTENT_SECURITY_POLICY],
        "frame-ancestors *"
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

    let fixture = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("articles/myanmar-diplomat.json"),
    )
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
