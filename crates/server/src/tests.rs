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
use crate::{time, tokens};
use article_embed_card::i18n;
use std::sync::atomic::Ordering;

/// The repository: its articles/ are the tests' stories.
const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

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
    config.data_dir = dir.join("data");
    config.articles = PathBuf::from(REPO).join("articles");
    config.dist = dir.join("dist");
    tune(&mut config);
    config.check().expect("a safe configuration");
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

    async fn mails(&self) -> Vec<String> {
        self.app.deliver_due().await;
        std::fs::read_dir(self.config.mail_dir())
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
    // Undo quoted-printable, should the mail have needed it.
    let mail = mail.replace("=\r\n", "").replace("=3D", "=");
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

    let mails = env.mails().await;
    assert_eq!(mails.len(), 1, "the confirmation is in the mail drop");
    assert!(mails[0].contains("To: reader@example.org"));
    let token = token_in(&mails[0]);
    // Opening the link (what a mail scanner does) confirms nothing: it shows a button.
    let page = env.send(get(&format!("/api/confirm?token={token}"))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page
        .body
        .contains("<form method=\"post\" action=\"/api/confirm\">"));
    assert!(page.body.contains("The Jerusalem Post Newsletter"));
    assert_eq!(page.headers[header::REFERRER_POLICY], "no-referrer");
    assert_eq!(env.rows().await[0].status, "pending");
    let confirmed = env.send(confirm_post(&token)).await;
    assert_eq!(confirmed.status, StatusCode::OK);
    assert!(confirmed.body.contains("subscribed"));
    let row = &env.rows().await[0];
    assert_eq!(row.status, "subscribed");
    assert!(row.confirmed_at.is_some());
    // Single use: the token does nothing twice, and says the signup is confirmed.
    let again = env.send(confirm_post(&token)).await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(again.body.contains("subscribed"));

    let unknown = env
        .send(confirm_post("00000000000000000000000000000000"))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let malformed = env.send(get("/api/confirm?token=%3Cscript%3E")).await;
    assert_eq!(malformed.status, StatusCode::NOT_FOUND);
    assert!(!malformed.body.contains("<script>"));
}

fn get(path: &str) -> HttpRequest<Body> {
    HttpRequest::get(path).body(Body::empty()).expect("req")
}

fn confirm_post(token: &str) -> HttpRequest<Body> {
    HttpRequest::post("/api/confirm")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(format!("token={token}")))
        .expect("req")
}

#[tokio::test]
async fn tokens_are_stored_hashed_and_expire_after_a_week() {
    let env = env(|_| {}).await;
    env.subscribe(signup("hash@example.org"), None).await;
    let token = token_in(&env.mails().await[0]);
    let db = std::fs::read(env.config.data_dir.join(store::DB_FILE)).expect("db");
    let wal = std::fs::read(env.config.data_dir.join(format!("{}-wal", store::DB_FILE)))
        .unwrap_or_default();
    let contains =
        |hay: &[u8], needle: &str| hay.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(
        !contains(&db, &token) && !contains(&wal, &token),
        "the token itself is not in the database"
    );
    assert!(
        contains(&db, &tokens::token_hash(&token)) || contains(&wal, &tokens::token_hash(&token))
    );

    let now = time::now_ms();
    let week = store::TOKEN_LIFETIME_MS;
    assert!(matches!(
        env.app.store.token(&token, now + week - 60_000).await,
        Ok(store::Token::Valid { .. })
    ));
    assert!(matches!(
        env.app
            .store
            .confirm(&token, now + week + 60_000, false)
            .await,
        Ok(store::Confirmed::Expired { .. })
    ));
    assert_eq!(env.rows().await[0].status, "pending");
}

#[tokio::test]
async fn unconfirmed_signups_go_after_30_days_and_keys_after_a_day() {
    let env = env(|_| {}).await;
    env.subscribe(signup("old@example.org"), Some("key-1"))
        .await;
    env.subscribe(signup("kept@example.org"), None).await;
    let kept_token = token_in(
        env.mails()
            .await
            .iter()
            .find(|m| m.contains("kept@example.org"))
            .expect("mail"),
    );
    env.app
        .store
        .confirm(&kept_token, time::now_ms(), false)
        .await
        .expect("confirm");
    let now = time::now_ms();
    let day = 24 * 3600 * 1000;
    assert_eq!(
        env.app.store.purge(now + 29 * day).await.expect("purge"),
        store::Purged {
            signups: 0,
            tokens: 2,
            keys: 1
        },
        "after a day the key goes; after a week the tokens"
    );
    assert_eq!(env.rows().await.len(), 2, "not yet 30 days");
    let purged = env.app.store.purge(now + 31 * day).await.expect("purge");
    assert_eq!(purged.signups, 1);
    let rows = env.rows().await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].email, "kept@example.org", "confirmed signups stay");
    assert_eq!(
        env.app
            .store
            .claim_key("key-1", "any body", "old@example.org", time::now_ms())
            .await
            .expect("claim"),
        store::Claim::Mine,
        "the key is free again"
    );
}

#[tokio::test]
async fn new_pending_and_confirmed_addresses_get_the_same_answer() {
    let env = env(|_| {}).await;
    let first = env.subscribe(signup("a@example.org"), None).await;
    assert_eq!(
        (first.status, first.json()),
        (
            StatusCode::ACCEPTED,
            serde_json::json!({ "status": "pending" })
        )
    );
    assert_eq!(env.mails().await.len(), 1, "sent by the delivery job");
    // Pending: the same answer, and a second link (both work).
    let pending = env.subscribe(signup("A@example.org"), None).await;
    assert_eq!(
        (pending.status, pending.body.clone()),
        (first.status, first.body.clone())
    );
    assert_eq!(env.rows().await.len(), 1);
    let mails = env.mails().await;
    assert_eq!(mails.len(), 2);
    let tokens: Vec<String> = mails.iter().map(|m| token_in(m)).collect();
    assert_ne!(tokens[0], tokens[1]);
    assert_eq!(
        env.send(confirm_post(&tokens[1])).await.status,
        StatusCode::OK
    );
    // Confirmed: the same answer again, and a note by mail, at most once a day.
    let confirmed = env.subscribe(signup("a@example.org"), None).await;
    assert_eq!(
        (confirmed.status, confirmed.body.clone()),
        (first.status, first.body.clone())
    );
    let mails = env.mails().await;
    assert_eq!(mails.len(), 3);
    assert!(mails
        .iter()
        .any(|m| m.contains("already subscribed") && !m.contains("token=")));
    let _ = env.subscribe(signup("a@example.org"), None).await;
    assert_eq!(env.mails().await.len(), 3, "one note a day");
    assert_eq!(env.rows().await.len(), 1);
    // Another newsletter is another signup.
    let mut other = signup("a@example.org");
    other["newsletter"] = "Morning Brief".into();
    let env2 = self::env(|c| {
        c.newsletters = vec![
            "The Jerusalem Post Newsletter".into(),
            "Morning Brief".into(),
        ]
    })
    .await;
    env2.subscribe(signup("a@example.org"), None).await;
    assert_eq!(
        env2.subscribe(other, None).await.status,
        StatusCode::ACCEPTED
    );
    assert_eq!(env2.rows().await.len(), 2);
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
        env.mails().await.len(),
        1,
        "a replayed answer sends no second mail"
    );
    // Without the key, the same address is a second signup.
    let no_key = env.subscribe(signup("r@example.org"), None).await;
    assert_eq!(no_key.json()["status"], "pending");
    assert_eq!(env.mails().await.len(), 2, "a new request: a new link");
}

#[tokio::test]
async fn honeypot_submissions_get_the_usual_answer_and_are_dropped() {
    let env = env(|_| {}).await;
    let mut bot = signup("bot@example.org");
    bot["website"] = "http://spam.example".into();
    let reply = env.subscribe(bot, None).await;
    assert_eq!(reply.status, StatusCode::ACCEPTED);
    assert_eq!(reply.json()["status"], "pending");
    assert!(env.rows().await.is_empty());
    assert!(env.mails().await.is_empty());
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

    let mut unknown = signup("r@example.org");
    unknown["newsletter"] = "You won! Claim at http://phish.example".into();
    let reply = env.subscribe(unknown, None).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["error"], "unknown_newsletter");
    assert!(
        env.mails().await.is_empty(),
        "nothing is sent for an unknown newsletter"
    );

    let plain = env
        .send(
            HttpRequest::post("/api/subscribe")
                .header("content-type", "text/plain;charset=UTF-8")
                .body(Body::from(signup("plain@example.org").to_string()))
                .expect("req"),
        )
        .await;
    assert_eq!(plain.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(plain.json()["error"], "unsupported_media_type");

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
    // Per IP: this address has used its 3 this minute (refused requests count too).
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

fn preflight(origin: &str) -> HttpRequest<Body> {
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
}

#[tokio::test]
async fn any_origin_may_post_signups_by_default() {
    let env = env(|_| {}).await;
    let any = env.send(preflight("https://any-blog.example")).await;
    assert!(any.status.is_success());
    assert_eq!(any.headers["access-control-allow-origin"], "*");
    let allow_headers = any.headers["access-control-allow-headers"]
        .to_str()
        .expect("ascii")
        .to_ascii_lowercase();
    assert!(allow_headers.contains("idempotency-key") && allow_headers.contains("content-type"));
    // Retry-After must be readable by the widget on another origin.
    let post = HttpRequest::post("/api/subscribe")
        .header("content-type", "application/json")
        .header("origin", "https://any-blog.example")
        .body(Body::from(signup("c@example.org").to_string()))
        .expect("req");
    let reply = env.send(post).await;
    assert_eq!(reply.status, StatusCode::ACCEPTED);
    assert!(reply.headers["access-control-expose-headers"]
        .to_str()
        .expect("ascii")
        .to_ascii_lowercase()
        .contains("retry-after"));
}

#[tokio::test]
async fn allow_origin_is_read_as_browsers_write_origins() {
    // Written with a default port, capitals and a slash: the browser sends none of them.
    let env = env(|c| {
        c.allow_origins = vec![
            "HTTPS://Publisher.example:443/".into(),
            "http://blog.example:80".into(),
            "https://port.example:8443".into(),
        ]
    })
    .await;
    for origin in [
        "https://publisher.example",
        "http://blog.example",
        "https://port.example:8443",
    ] {
        let reply = env.send(preflight(origin)).await;
        assert_eq!(reply.headers["access-control-allow-origin"], origin);
    }
    let other_port = env.send(preflight("https://port.example")).await;
    assert!(other_port
        .headers
        .get("access-control-allow-origin")
        .is_none());
    // The form check reads the list the same way.
    assert_eq!(
        env.send(form_from("https://port.example")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        env.send(form_from("https://publisher.example"))
            .await
            .status,
        StatusCode::ACCEPTED
    );
}

/// A plain form's signup (no preflight), posted from a page of `origin`.
fn form_from(origin: &str) -> HttpRequest<Body> {
    HttpRequest::post("/api/subscribe")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", origin)
        .body(Body::from(
            "email=form%40example.org&newsletter=The+Jerusalem+Post+Newsletter",
        ))
        .expect("req")
}

#[tokio::test]
async fn allow_origin_restricts_signups_to_a_list() {
    let env = env(|c| c.allow_origins = vec!["https://publisher.example".into()]).await;
    let allowed = env.send(preflight("https://publisher.example")).await;
    assert_eq!(
        allowed.headers["access-control-allow-origin"],
        "https://publisher.example"
    );
    let other = env.send(preflight("https://elsewhere.example")).await;
    assert!(other.headers.get("access-control-allow-origin").is_none());
    // A plain form needs no preflight: the server itself refuses the other origin.
    let refused = env.send(form_from("https://elsewhere.example")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(env.rows().await.is_empty());
    assert_eq!(
        env.send(form_from("https://publisher.example"))
            .await
            .status,
        StatusCode::ACCEPTED
    );
    assert_eq!(
        env.send(form_from("http://127.0.0.1:8080")).await.status,
        StatusCode::ACCEPTED,
        "the server's own pages (the iframe card's form) always may"
    );
}

/// The signup endpoint of the server's own /embed/ page, with its frame token.
async fn frame_endpoint(env: &Env) -> String {
    let page = env
        .send(
            HttpRequest::get("/embed/myanmar-diplomat")
                .body(Body::empty())
                .expect("req"),
        )
        .await;
    let start = page.body.find("action=\"").expect("a form") + "action=\"".len();
    let action = &page.body[start..];
    action[..action.find('"').expect("closed")].replace("&amp;", "&")
}

#[tokio::test]
async fn a_sandboxed_frame_of_the_server_signs_up_by_its_token_not_its_origin() {
    let env = env(|c| {
        c.allow_origins = vec!["https://publisher.example".into()];
        c.articles = PathBuf::from(REPO).join("articles");
    })
    .await;
    let action = frame_endpoint(&env).await;
    let path = action
        .strip_prefix("http://127.0.0.1:8080")
        .expect("the server's own endpoint");
    assert!(path.starts_with("/api/subscribe?frame="), "{path}");
    // A frame sandboxed without allow-same-origin (WordPress's) has the opaque origin null.
    let preflight = env.send(preflight("null")).await;
    assert_eq!(preflight.headers["access-control-allow-origin"], "null");
    let post = |uri: &str| {
        HttpRequest::post(uri)
            .header("content-type", "application/json")
            .header("origin", "null")
            .body(Body::from(signup("framed@example.org").to_string()))
            .expect("req")
    };
    let without = env.send(post("/api/subscribe")).await;
    assert_eq!(
        without.status,
        StatusCode::FORBIDDEN,
        "null is no listed origin"
    );
    // The same token with its last digit changed.
    let last = path.chars().last().expect("a token");
    let forged = format!(
        "{}{}",
        &path[..path.len() - 1],
        if last == '0' { '1' } else { '0' }
    );
    assert_eq!(env.send(post(&forged)).await.status, StatusCode::FORBIDDEN);
    assert!(env.rows().await.is_empty());
    let framed = env.send(post(path)).await;
    assert_eq!(framed.status, StatusCode::ACCEPTED, "{}", framed.body);
    assert_eq!(framed.headers["access-control-allow-origin"], "null");
    assert_eq!(env.rows().await.len(), 1);
}

#[tokio::test]
async fn consent_required_is_enforced_by_the_server() {
    let env = env(|c| c.consent_required = true).await;
    let mut without = signup("c@example.org");
    without["consent"] = false.into();
    let reply = env.subscribe(without, None).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["error"], "consent_required");
    assert_eq!(reply.json()["message"], i18n::EN.consent_missing);
    assert!(env.rows().await.is_empty() && env.mails().await.is_empty());
    assert_eq!(
        env.subscribe(signup("c@example.org"), None).await.status,
        StatusCode::ACCEPTED
    );
}

#[tokio::test]
async fn rate_limits_key_on_the_reader_behind_a_trusted_proxy() {
    let env = env(|c| {
        c.rate_per_ip = 2;
        c.trusted_proxies = vec!["10.0.0.0/8".parse().expect("cidr")];
    })
    .await;
    let from = |peer: [u8; 4], xff: Option<&str>, email: &str| {
        let mut request =
            HttpRequest::post("/api/subscribe").header("content-type", "application/json");
        if let Some(xff) = xff {
            request = request.header("x-forwarded-for", xff);
        }
        let mut request = request
            .body(Body::from(signup(email).to_string()))
            .expect("req");
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from((peer, 443))));
        request
    };
    let proxy = [10, 0, 0, 1];
    for i in 0..2 {
        let r = env
            .send(from(
                proxy,
                Some("198.51.100.1"),
                &format!("a{i}@example.org"),
            ))
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED);
    }
    let third = env
        .send(from(proxy, Some("1.2.3.4, 198.51.100.1"), "a3@example.org"))
        .await;
    assert_eq!(
        third.status,
        StatusCode::TOO_MANY_REQUESTS,
        "a spoofed hop changes nothing"
    );
    let other = env
        .send(from(proxy, Some("198.51.100.2"), "b@example.org"))
        .await;
    assert_eq!(
        other.status,
        StatusCode::ACCEPTED,
        "another reader behind the same proxy"
    );
    // From an untrusted peer, the header is ignored: the peer is the reader.
    let direct = [203, 0, 113, 9];
    for i in 0..2 {
        let r = env
            .send(from(
                direct,
                Some(&format!("192.0.2.{i}")),
                &format!("d{i}@example.org"),
            ))
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED);
    }
    let spoofer = env
        .send(from(direct, Some("192.0.2.99"), "d9@example.org"))
        .await;
    assert_eq!(spoofer.status, StatusCode::TOO_MANY_REQUESTS);
}

#[test]
fn a_data_directory_inside_a_served_folder_is_refused() {
    let dir = std::env::temp_dir().join(format!("article-embed-check-{}", std::process::id()));
    let site = dir.join("site");
    std::fs::create_dir_all(&site).expect("site");
    let mut config = Config::new("127.0.0.1:8080".parse().expect("addr"));
    config.site = Some(site.clone());
    config.dist = dir.join("dist");
    config.articles = dir.join("articles");
    config.data_dir = site.join("article-embed-data");
    let refused = config.check().expect_err("refused");
    assert!(refused.contains("--site"), "{refused}");
    config.data_dir = dir.join("data");
    config.db = Some(format!("sqlite://{}", site.join("x.db").display()));
    assert!(config.check().is_err(), "an SQLite file in a served folder");
    config.db = None;
    config.mail_dir = Some(site.join("mail"));
    assert!(config.check().is_err(), "a mail folder in a served folder");
    config.mail_dir = None;
    config.db = Some(format!(
        "sqlite://{}",
        site.join("missing/../x.db").display()
    ));
    assert!(
        config.check().is_err(),
        "a path it cannot resolve is refused, not waved through"
    );
    config.db = None;
    config.site = Some(dir.join("no-such-site"));
    assert!(config.check().is_err(), "a mistyped --site");
    config.site = Some(site.clone());
    assert_eq!(config.check(), Ok(()));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_database_sqlite_really_opens_is_checked_too() {
    let dir = std::env::temp_dir().join(format!("article-embed-realdb-{}", std::process::id()));
    let site = dir.join("site");
    std::fs::create_dir_all(&site).expect("site");
    let mut config = Config::new("127.0.0.1:8080".parse().expect("addr"));
    config.site = Some(site.clone());
    config.dist = dir.join("dist");
    config.articles = dir.join("articles");
    config.data_dir = dir.join("data");
    // sqlx decodes %2F: this names site/x.db, which the check of the URL cannot see.
    config.db = Some(format!("sqlite://{}/site%2Fx.db", dir.display()));
    assert_eq!(config.check(), Ok(()), "the URL alone looks harmless");
    let refused = App::new(&config).await.err().expect("refused");
    assert!(refused.contains("--site"), "{refused}");
    let _ = std::fs::remove_dir_all(&dir);
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
    let env = env(|c| c.newsletters = vec!["News, \"Daily\"".into()]).await;
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
    assert_eq!(time::iso_time(0), "1970-01-01T00:00:00.000Z");
    assert_eq!(
        time::iso_time(1_614_970_800_123),
        "2021-03-05T19:00:00.123Z"
    );
    assert_eq!(time::iso_time(951_782_400_000), "2000-02-29T00:00:00.000Z");
}

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
        serde_json::from_str(include_str!("../../card/src/element.json")).expect("JSON");
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

#[tokio::test]
async fn a_request_not_finished_in_a_minute_gets_408() {
    use futures_util::StreamExt as _;
    let env = env(|_| {}).await;
    // Half a body, then nothing, ever.
    let body = futures_util::stream::once(async {
        Ok::<_, std::io::Error>(axum::body::Bytes::from_static(b"{\"email\": \"slow"))
    })
    .chain(futures_util::stream::pending());
    let request = HttpRequest::post("/api/subscribe")
        .header("content-type", "application/json")
        .body(Body::from_stream(body))
        .expect("req");
    // The clock jumps ahead whenever everything waits, so the minute passes at once.
    tokio::time::pause();
    let started = tokio::time::Instant::now();
    let reply = tokio::time::timeout(REQUEST_TIMEOUT * 2, env.send(request))
        .await
        .expect("the server gave up on the request, not the test");
    assert_eq!(reply.status, StatusCode::REQUEST_TIMEOUT);
    assert_eq!(started.elapsed().as_secs(), REQUEST_TIMEOUT.as_secs());
    // Real time again for the database (its pool has timeouts of its own).
    tokio::time::resume();
    assert!(env.rows().await.is_empty());
}

#[tokio::test]
async fn an_idempotency_key_does_its_work_once_even_for_requests_at_the_same_time() {
    let env = env(|_| {}).await;
    let key = "8c5f0a7e2b9d4c1f";
    let body = signup("once@example.org");
    let (a, b, c) = tokio::join!(
        env.subscribe(body.clone(), Some(key)),
        env.subscribe(body.clone(), Some(key)),
        env.subscribe(body.clone(), Some(key)),
    );
    for reply in [&a, &b, &c] {
        assert_eq!(
            (reply.status, reply.json()),
            (
                StatusCode::ACCEPTED,
                serde_json::json!({ "status": "pending" })
            )
        );
    }
    assert_eq!(env.rows().await.len(), 1);
    assert_eq!(env.mails().await.len(), 1, "one confirmation mail");
    // The same key with another body is a client bug: refused, and nothing done.
    let other = env.subscribe(signup("other@example.org"), Some(key)).await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(other.json()["error"], "idempotency_key_reused");
    assert_eq!(env.rows().await.len(), 1);
}

#[tokio::test]
async fn mail_that_cannot_be_sent_waits_in_the_queue_and_is_not_lost() {
    // Nothing listens on port 9: every send fails.
    let env = env(|c| c.smtp = Some("smtp://127.0.0.1:9".into())).await;
    assert_eq!(
        env.subscribe(signup("queued@example.org"), None)
            .await
            .status,
        StatusCode::ACCEPTED,
        "the answer does not depend on SMTP"
    );
    assert_eq!(env.app.deliver_due().await, 1, "one attempt");
    assert_eq!(
        env.app.store.queue_depths().await.expect("depths"),
        (1, 0),
        "still queued"
    );
    assert_eq!(
        env.app.deliver_due().await,
        0,
        "not due again before its backoff"
    );
    let tokens = sqlx::query("SELECT COUNT(*) AS n FROM confirmations")
        .fetch_one(&env.app.store.pool)
        .await
        .expect("count");
    assert_eq!(
        sqlx::Row::try_get::<i64, _>(&tokens, "n").expect("n"),
        0,
        "the token of a link that never left is gone"
    );
}

/// Every text value of every table, for "no trace of the address" checks.
async fn everything(store: &store::Store) -> String {
    let mut all = String::new();
    for table in [
        "signups",
        "confirmations",
        "idempotency",
        "rate_counts",
        "mail_queue",
        "webhook_queue",
    ] {
        let rows = sqlx::query(&format!("SELECT * FROM {table}"))
            .fetch_all(&store.pool)
            .await
            .expect("rows");
        for row in rows {
            for i in 0..sqlx::Row::len(&row) {
                if let Ok(Some(text)) = sqlx::Row::try_get::<Option<String>, _>(&row, i) {
                    all.push_str(&text);
                    all.push('\n');
                }
            }
        }
    }
    all
}

#[tokio::test]
async fn erasure_leaves_no_trace_of_the_address_once_the_provider_is_told() {
    let (url, received) = receiver(vec![200, 200]).await;
    let env = env(|c| {
        c.webhook = Some(
            webhooks::Webhook::new(&url, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("hook"),
        )
    })
    .await;
    let email = "erase.me@example.org";
    env.subscribe(signup(email), Some("erase-key")).await;
    let token = token_in(&env.mails().await[0]);
    assert_eq!(env.send(confirm_post(&token)).await.status, StatusCode::OK);
    env.subscribe(signup(email), None).await; // a note, and rate-limit counts
    env.app.deliver_due().await;
    assert!(everything(&env.app.store).await.contains(email));
    assert_eq!(
        received.lock().expect("lock").len(),
        1,
        "subscriber.confirmed delivered"
    );

    let erased = env
        .app
        .store
        .erase(email, time::now_ms(), true)
        .await
        .expect("erase");
    assert_eq!((erased.signups, erased.queued), (1, 1));
    assert!(
        everything(&env.app.store).await.contains(email),
        "held until the provider is told"
    );
    env.app.deliver_due().await;
    let events = received.lock().expect("lock").clone();
    assert_eq!(events.len(), 2);
    assert_eq!(events[1].1["type"], "subscriber.deleted");
    assert_eq!(events[1].1["data"]["email"], email);
    assert!(
        !everything(&env.app.store).await.contains(email),
        "no column of any table holds the address"
    );
    assert!(!everything(&env.app.store)
        .await
        .contains(&store::email_limit_key(email)));
}

#[tokio::test]
async fn webhook_events_are_retried_with_the_same_id_and_a_valid_signature() {
    let (url, received) = receiver(vec![500, 200]).await;
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let env = env(|c| c.webhook = Some(webhooks::Webhook::new(&url, secret).expect("hook"))).await;
    env.subscribe(signup("hook@example.org"), None).await;
    let token = token_in(&env.mails().await[0]);
    env.send(confirm_post(&token)).await;
    env.app.deliver_due().await;
    assert_eq!(
        received.lock().expect("lock").len(),
        1,
        "the first answer was 500"
    );
    assert_eq!(env.app.store.queue_depths().await.expect("depths"), (0, 1));
    // Due again after its backoff: make it due now.
    sqlx::query("UPDATE webhook_queue SET next_at = 0")
        .execute(&env.app.store.pool)
        .await
        .expect("due");
    env.app.deliver_due().await;
    let events = received.lock().expect("lock").clone();
    assert_eq!(events.len(), 2);
    let (first, second) = (&events[0], &events[1]);
    assert_eq!(
        first.0["webhook-id"], second.0["webhook-id"],
        "the same id on every try"
    );
    for (headers, body) in &events {
        let id = &headers["webhook-id"];
        let timestamp: i64 = headers["webhook-timestamp"].parse().expect("seconds");
        let key = base64::Engine::decode(
            &base64::engine::general_purpose::STANDARD,
            "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        )
        .expect("key");
        assert_eq!(
            headers["webhook-signature"],
            webhooks::sign(&key, id, timestamp, &body.to_string()),
        );
        assert_eq!(body["type"], "subscriber.confirmed");
        assert_eq!(body["data"]["email"], "hook@example.org");
        assert_eq!(body["data"]["newsletter"], "The Jerusalem Post Newsletter");
    }
    assert_eq!(env.app.store.queue_depths().await.expect("depths"), (0, 0));
}

type Received =
    Arc<std::sync::Mutex<Vec<(std::collections::HashMap<String, String>, serde_json::Value)>>>;

/// A webhook receiver on a real port that answers with `statuses` in turn (then 200).
async fn receiver(statuses: Vec<u16>) -> (String, Received) {
    let received: Received = Arc::default();
    let answers = Arc::new(std::sync::Mutex::new(statuses.into_iter()));
    let sink = Arc::clone(&received);
    let hook = axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
        let sink = Arc::clone(&sink);
        let answers = Arc::clone(&answers);
        async move {
            let wanted = ["webhook-id", "webhook-timestamp", "webhook-signature"];
            let headers = wanted
                .iter()
                .filter_map(|h| Some(((*h).to_owned(), headers.get(*h)?.to_str().ok()?.to_owned())))
                .collect();
            let json: serde_json::Value = serde_json::from_str(&body).expect("JSON body");
            sink.lock().expect("lock").push((headers, json));
            let status = answers.lock().expect("lock").next().unwrap_or(200);
            StatusCode::from_u16(status).expect("status")
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, Router::new().route("/hook", hook)).await;
    });
    (format!("http://{addr}/hook"), received)
}

#[tokio::test]
async fn healthz_and_metrics() {
    let env = env(|_| {}).await;
    env.subscribe(signup("m@example.org"), None).await;
    env.subscribe(signup("not-an-address"), None).await;
    let health = env.send(get("/healthz")).await;
    assert_eq!(
        (health.status, health.body.as_str()),
        (StatusCode::OK, "ok\n")
    );
    let metrics = env.send(get("/metrics")).await;
    assert!(metrics.headers[header::CONTENT_TYPE]
        .to_str()
        .is_ok_and(|t| t.starts_with("application/openmetrics-text; version=1.0.0")));
    for line in [
        "article_embed_signups{status=\"pending\"} 1",
        "article_embed_queue_depth{queue=\"mail\"} 1",
        "article_embed_refusals_total{reason=\"invalid_email\"} 1",
    ] {
        assert!(
            metrics.body.lines().any(|l| l == line),
            "{line} in\n{}",
            metrics.body
        );
    }
    assert!(metrics
        .body
        .contains("article_embed_request_duration_seconds_count"));
    env.app.store.close().await;
    assert_eq!(
        env.send(get("/healthz")).await.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "no database, no health"
    );
}

#[tokio::test]
async fn events_of_one_subscriber_are_delivered_in_the_order_they_happened() {
    let (url, received) = receiver(vec![500]).await;
    let env = env(|c| {
        c.newsletters = vec!["A".into(), "B".into()];
        c.webhook = Some(
            webhooks::Webhook::new(&url, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("hook"),
        );
    })
    .await;
    let env = &env;
    let confirm_for = |newsletter: &'static str| async move {
        let mut body = signup("order@example.org");
        body["newsletter"] = newsletter.into();
        env.subscribe(body, None).await;
        let subject = format!("Subject: Confirm your subscription to {newsletter}\r\n");
        let mails = env.mails().await;
        let token = token_in(
            mails
                .iter()
                .find(|m| m.contains(&subject))
                .expect("its mail"),
        );
        assert_eq!(env.send(confirm_post(&token)).await.status, StatusCode::OK);
        env.app.deliver_due().await;
    };
    confirm_for("A").await; // its event meets a 500 and waits
    confirm_for("B").await; // newer: must not overtake it
    assert_eq!(received.lock().expect("lock").len(), 1);
    sqlx::query("UPDATE webhook_queue SET next_at = 0")
        .execute(&env.app.store.pool)
        .await
        .expect("due");
    env.app.deliver_due().await;
    let newsletters: Vec<String> = received
        .lock()
        .expect("lock")
        .iter()
        .map(|(_, body)| body["data"]["newsletter"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(newsletters, ["A", "A", "B"]);
}

#[tokio::test]
async fn a_row_leased_again_by_another_process_is_not_released_by_the_first() {
    let env = env(|_| {}).await;
    env.subscribe(signup("lease@example.org"), None).await;
    let now = time::now_ms();
    let job = env
        .app
        .store
        .next_mail(now)
        .await
        .expect("claim")
        .expect("a row");
    // The lease ran out and another process took the row.
    sqlx::query("UPDATE mail_queue SET locked_until = $1")
        .bind(job.lease + 1)
        .execute(&env.app.store.pool)
        .await
        .expect("take over");
    env.app
        .store
        .mail_later(&job, now + 60_000, "late")
        .await
        .expect("later");
    let row = sqlx::query("SELECT locked_until, last_error FROM mail_queue")
        .fetch_one(&env.app.store.pool)
        .await
        .expect("row");
    assert_eq!(
        sqlx::Row::try_get::<i64, _>(&row, "locked_until").expect("lease"),
        job.lease + 1
    );
    assert_eq!(
        sqlx::Row::try_get::<Option<String>, _>(&row, "last_error").expect("error"),
        None
    );
}

/// An SMTP server that refuses every recipient for good (550).
async fn refusing_smtp() -> String {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 refusing ESMTP\r\n").await;
                while let Ok(Some(line)) = lines.next_line().await {
                    let reply: &[u8] = match line.get(..4).map(str::to_ascii_uppercase).as_deref() {
                        Some("EHLO" | "HELO") => b"250 refusing\r\n",
                        Some("MAIL") => b"250 ok\r\n",
                        Some("RCPT") => {
                            b"550 5.1.1 <lease@example.org>: Recipient address rejected\r\n"
                        }
                        Some("QUIT") => b"221 bye\r\n",
                        _ => b"250 ok\r\n",
                    };
                    let _ = write.write_all(reply).await;
                }
            });
        }
    });
    format!("smtp://{addr}")
}

#[tokio::test]
async fn mail_refused_for_good_leaves_the_queue() {
    let smtp = refusing_smtp().await;
    let env = env(|c| c.smtp = Some(smtp)).await;
    env.subscribe(signup("refused@example.org"), None).await;
    assert_eq!(env.app.deliver_due().await, 1);
    assert_eq!(
        env.app.store.queue_depths().await.expect("depths"),
        (0, 0),
        "a 5xx will not change: the row (and the address in it) goes"
    );
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
