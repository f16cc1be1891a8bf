//! The signup protocol through the router: answers, double opt-in, limits, origins, frames.

use crate::testing::*;
use crate::BODY_LIMIT;
use axum::http::Method;

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
async fn unconfirmed_signups_go_after_30_days_and_keys_after_the_outbox_gives_up() {
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
    // The widget sends a signup again for up to seven days: its key still answers then.
    let week = article_embed_card::outbox::MAX_AGE_MS as i64;
    assert_eq!(
        env.app
            .store
            .purge(now + week - 3_600_000)
            .await
            .expect("purge")
            .keys,
        0,
        "a resend on the seventh day is still recognised"
    );
    assert_eq!(
        env.app.store.purge(now + 29 * day).await.expect("purge"),
        store::Purged {
            signups: 0,
            tokens: 2,
            keys: 1
        },
        "after the outbox's week the key goes, and the tokens"
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
async fn honeypot_posts_count_against_the_limit_and_keep_no_key() {
    let env = env(|c| c.rate_per_ip = 30).await;
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    for n in 0..100 {
        let mut bot = signup(&format!("bot{n}@example.org"));
        bot["website"] = "http://spam.example".into();
        let reply = env.subscribe(bot, Some(&format!("key-{n}"))).await;
        *statuses.entry(reply.status.as_u16()).or_default() += 1;
    }
    // The usual answer while within the limit, then what any reader over it gets.
    assert_eq!(statuses, [(202, 30), (429, 70)].into_iter().collect());
    let count = |table: &'static str| {
        let pool = env.app.store.pool.clone();
        async move {
            sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
                .fetch_one(&pool)
                .await
                .and_then(|row| sqlx::Row::try_get::<i64, _>(&row, "n"))
                .expect("count")
        }
    };
    assert_eq!(count("idempotency").await, 0, "no key kept for a bot");
    assert_eq!(
        count("rate_counts").await,
        1,
        "one count for the one reader"
    );
    assert!(env.rows().await.is_empty());
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

#[tokio::test]
async fn a_plain_form_post_subscribes_and_answers_with_a_page() {
    let env = env(|_| {}).await;
    let form = "email=form%40example.org&newsletter=The+Jerusalem+Post+Newsletter&consent=on\
                &page=https%3A%2F%2Fpublisher.example%2Fpage&website=";
    let reply = env.send(form_post(form)).await;
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
    let bad = env.send(form_post("email=%3Cscript%3E&newsletter=N")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("name@example.org") && !bad.body.contains("<script>"));
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
async fn one_mailbox_is_one_signup_however_its_address_is_written() {
    let env = env(|_| {}).await;
    // jürgen@bücher.example with each ü composed (NFC), then decomposed (NFD), then the
    // domain as the DNS writes it, in capitals.
    let forms = [
        "j\u{fc}rgen@b\u{fc}cher.example",
        "ju\u{308}rgen@bu\u{308}cher.example",
        "J\u{dc}RGEN@XN--BCHER-KVA.EXAMPLE",
    ];
    for form in forms {
        let reply = env.subscribe(signup(form), None).await;
        assert_eq!(reply.status, StatusCode::ACCEPTED, "{form}: {}", reply.body);
    }
    let rows = env.rows().await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].email, "j\u{fc}rgen@xn--bcher-kva.example");
    // Erased under another of its forms: gone.
    crate::commands::signups_delete(forms[1], &env.config.db_url(), env.config.mail_dir())
        .await
        .expect("erased");
    assert!(env.rows().await.is_empty());
}

#[tokio::test]
async fn one_address_gets_three_mails_a_day_whoever_asks() {
    let names: Vec<String> = (1..=4).map(|n| format!("Letters {n}")).collect();
    let env = env(|c| {
        c.newsletters = names.clone();
        c.rate_per_email = 100;
    })
    .await;
    // A stranger asks for every newsletter, twice, each mail sent before the next asking.
    let mut sent = 0;
    for name in names.iter().chain(&names) {
        let mut body = signup("victim@example.org");
        body["newsletter"] = name.as_str().into();
        let reply = env.subscribe(body, None).await;
        assert_eq!(
            reply.status,
            StatusCode::ACCEPTED,
            "the answer everyone gets"
        );
        sent = env.mails().await.len();
    }
    assert_eq!(
        sent,
        crate::store::MAIL_CAP,
        "three mails in a day, not eight"
    );
    assert_eq!(env.rows().await.len(), 4, "each signup kept, pending");
}

/// A mail header's value with its RFC 2047 words (`=?utf-8?b?…?=`) decoded.
fn decoded_header(mail: &str, name: &str) -> String {
    use base64::Engine as _;
    let start = mail.find(&format!("\r\n{name}: ")).expect("the header") + name.len() + 4;
    let mut value = String::new();
    for line in mail[start..].split("\r\n") {
        if !value.is_empty() && !line.starts_with([' ', '\t']) {
            break;
        }
        value.push_str(line);
    }
    let mut out = String::new();
    let mut rest = value.as_str();
    let mut after_word = false;
    while let Some(open) = rest.find("=?") {
        let text = &rest[..open];
        // Blanks between two encoded words are not part of the text.
        if !(after_word && text.trim().is_empty()) {
            out.push_str(text);
        }
        let word = &rest[open + 2..];
        let Some(close) = word.find("?=") else { break };
        let mut parts = word[..close].splitn(3, '?');
        let (_, encoding, data) = (parts.next(), parts.next(), parts.next().unwrap_or(""));
        if encoding.is_some_and(|e| e.eq_ignore_ascii_case("b")) {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(data)
                .unwrap_or_default();
            out.push_str(&String::from_utf8_lossy(&bytes));
        }
        rest = &word[close + 2..];
        after_word = true;
    }
    out.push_str(rest);
    out.trim().to_owned()
}

#[tokio::test]
async fn the_mail_and_the_confirmation_pages_speak_the_cards_language() {
    let env = env(|_| {}).await;
    let mut body = signup("kore@example.org");
    body["locale"] = "he-IL".into();
    body["newsletter"] = "הניוזלטר של The Jerusalem Post".into();
    let reply = env.subscribe(body, None).await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
    let mails = env.mails().await;
    assert_eq!(
        decoded_header(&mails[0], "Subject"),
        "אישור ההרשמה ל־הניוזלטר של The Jerusalem Post"
    );
    let id = env.rows().await[0].id;
    let (token, _) = env
        .app
        .store
        .token_for(id, time::now_ms())
        .await
        .expect("token")
        .expect("pending");
    let page = env.send(get(&format!("/api/confirm?token={token}"))).await;
    assert!(
        page.body.contains("<html lang=\"he\" dir=\"rtl\">"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(">אישור ההרשמה</button>"),
        "{}",
        page.body
    );
    let done = env.send(confirm_post(&token)).await;
    assert!(
        done.body
            .contains("נרשמת ל־הניוזלטר של The Jerusalem Post. תודה!"),
        "{}",
        done.body
    );
    // A language the widget does not speak: English, left to right.
    let mut body = signup("persian@example.org");
    body["locale"] = "fa".into();
    env.subscribe(body, None).await;
    let mails = env.mails().await;
    assert!(
        mails
            .iter()
            .any(|m| m
                .contains("Subject: Confirm your subscription to The Jerusalem Post Newsletter")),
        "{mails:?}"
    );
}

#[tokio::test]
async fn the_sentence_the_reader_saw_and_their_name_are_kept_and_told() {
    let env = env(|_| {}).await;
    let body = serde_json::json!({
        "email": "words@example.org", "newsletter": "The Jerusalem Post Newsletter",
        "consent": true, "consent_text": "  Oui, envoyez-moi la lettre du matin.  ",
        "name": "  Dana\u{0007} ", "article": "https://news.example/story",
        "page": "https://partner.example/world", "locale": "fr"
    });
    let reply = env.subscribe(body, None).await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
    let row = &env.rows().await[0];
    assert_eq!(row.consent_text, "Oui, envoyez-moi la lettre du matin.");
    assert_eq!(row.name.as_deref(), Some("Dana"));
    let csv = store::to_csv(&env.rows().await);
    assert!(
        csv.lines().nth(1).is_some_and(|l| l.ends_with(",Dana")),
        "{csv}"
    );

    // Words a card could never have shown are not stored as if the reader saw them.
    for (text, why) in [
        ("I agree <img src=x onerror=alert(1)>", "markup"),
        (&"a".repeat(301) as &str, "too long"),
    ] {
        let email = format!("{}@example.org", why.replace(' ', "-"));
        let body = serde_json::json!({"email": email, "newsletter": "The Jerusalem Post Newsletter",
            "consent": true, "consent_text": text, "locale": "en"});
        env.subscribe(body, None).await;
        let rows = env.rows().await;
        let row = rows.iter().find(|r| r.email == email).expect("stored");
        assert_eq!(row.consent_text, i18n::EN.consent, "{why}");
    }
}

#[tokio::test]
async fn a_form_without_script_is_counted_for_the_page_it_was_on() {
    let env = env(|_| {}).await;
    let post = |email: &str, referer: Option<&str>, origin: &str| {
        let mut request = HttpRequest::post("/api/subscribe")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", origin);
        if let Some(referer) = referer {
            request = request.header("referer", referer);
        }
        request
            .body(Body::from(format!(
                "email={email}&newsletter=The+Jerusalem+Post+Newsletter&consent=on\
                 &consent_text=Yes%2C+please.&name=Ada&article=https%3A%2F%2Fnews.example%2Fstory"
            )))
            .expect("req")
    };
    env.send(post(
        "a%40example.org",
        Some("https://partner.example/world/story?utm_source=x&p=12&email=a%40example.org#top"),
        "https://partner.example",
    ))
    .await;
    // A referrer policy that gives nothing: the origin still says which partner.
    env.send(post("b%40example.org", None, "https://other.example"))
        .await;
    let rows = env.rows().await;
    let page = |email: &str| {
        rows.iter()
            .find(|r| r.email == email)
            .and_then(|r| r.page.clone())
    };
    assert_eq!(
        page("a@example.org").as_deref(),
        Some("https://partner.example/world/story?p=12"),
        "no query but the post id, no fragment"
    );
    assert_eq!(
        page("b@example.org").as_deref(),
        Some("https://other.example/")
    );
    let a = rows.iter().find(|r| r.email == "a@example.org").expect("a");
    assert_eq!(
        (a.consent_text.as_str(), a.name.as_deref()),
        ("Yes, please.", Some("Ada"))
    );
}

#[tokio::test]
async fn signups_are_counted_by_partner_article_and_day_on_the_metrics_listener_only() {
    let env = env(|_| {}).await;
    for (email, page, article) in [
        (
            "one@example.org",
            "https://partner.example/a",
            "https://news.example/story",
        ),
        (
            "two@example.org",
            "https://partner.example/b",
            "https://news.example/story",
        ),
        (
            "three@example.org",
            "https://else.example/",
            "https://news.example/other",
        ),
    ] {
        let body = serde_json::json!({"email": email, "newsletter": "The Jerusalem Post Newsletter",
            "consent": true, "article": article, "page": page, "locale": "en"});
        env.subscribe(body, None).await;
    }
    let mails = env.mails().await;
    let mail = mails
        .iter()
        .find(|m| m.contains("To: one@example.org"))
        .expect("one's mail");
    assert_eq!(
        env.send(confirm_post(&token_in(mail))).await.status,
        StatusCode::OK
    );

    let day = time::iso_time(time::now_ms())[..10].to_owned();
    let stats = env.send_metrics(get("/stats")).await;
    assert_eq!(stats.status, StatusCode::OK);
    assert_eq!(
        stats.json(),
        serde_json::json!({"rows": [
            {"origin": "https://else.example", "article": "https://news.example/other", "day": day, "confirmed": 0, "pending": 1},
            {"origin": "https://partner.example", "article": "https://news.example/story", "day": day, "confirmed": 1, "pending": 1},
        ]})
    );
    assert_eq!(
        env.send(get("/stats")).await.status,
        StatusCode::NOT_FOUND,
        "not on the public port"
    );
    let rows = crate::signups::stats::count(&env.rows().await);
    let table = crate::signups::stats::to_table(&rows);
    assert!(
        table
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>()
                == ["https://partner.example", "(all)", "(all)", "1", "1"]),
        "{table}"
    );
    assert_eq!(
        crate::signups::stats::to_csv(&rows).lines().next(),
        Some("origin,article,day,confirmed,pending")
    );
}

#[tokio::test]
async fn several_newsletters_in_one_form_are_one_mail_and_one_link() {
    let (daily, weekly) = ("Daily briefing", "Weekly analysis");
    let env = env(|c| c.newsletters = vec![daily.into(), weekly.into()]).await;
    // The widget sends the list, and the first name beside it for servers that read one.
    let mut body = signup("both@example.org");
    body["newsletter"] = daily.into();
    body["newsletters"] = serde_json::json!([daily, weekly]);
    let reply = env.subscribe(body, None).await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
    let rows = env.rows().await;
    let names: Vec<&str> = rows.iter().map(|r| r.newsletter.as_str()).collect();
    assert_eq!(names, [daily, weekly], "one signup per newsletter");
    let mails = env.mails().await;
    assert_eq!(mails.len(), 1, "one confirmation mail for both");
    assert!(
        mails[0].contains(daily) && mails[0].contains(weekly),
        "{}",
        mails[0]
    );
    let token = token_in(&mails[0]);
    let page = env.send(get(&format!("/api/confirm?token={token}"))).await;
    assert!(
        page.body.contains("Daily briefing, Weekly analysis"),
        "{}",
        page.body
    );
    let done = env.send(confirm_post(&token)).await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(env.rows().await.iter().all(|r| r.status == "subscribed"));

    // An address pending for one newsletter asks for both: one new mail lists both, and the
    // old link confirms only what its own mail listed.
    let mut first = signup("later@example.org");
    first["newsletter"] = daily.into();
    env.subscribe(first, None).await;
    let old = token_in(
        &env.mails()
            .await
            .into_iter()
            .find(|m| m.contains("later@"))
            .expect("mail"),
    );
    let mut both = signup("later@example.org");
    both["newsletters"] = serde_json::json!([weekly, daily]);
    env.subscribe(both, None).await;
    let later: Vec<String> = env
        .mails()
        .await
        .into_iter()
        .filter(|m| m.contains("later@"))
        .collect();
    assert_eq!(later.len(), 2);
    env.send(confirm_post(&old)).await;
    let status = |rows: &[store::Signup], n: &str| {
        rows.iter()
            .find(|r| r.email == "later@example.org" && r.newsletter == n)
            .map(|r| r.status.clone())
    };
    let rows = env.rows().await;
    assert_eq!(status(&rows, daily).as_deref(), Some("subscribed"));
    assert_eq!(
        status(&rows, weekly).as_deref(),
        Some("pending"),
        "the first link never named the weekly one"
    );
    let new = later
        .iter()
        .map(|m| token_in(m))
        .find(|t| *t != old)
        .expect("the second link");
    env.send(confirm_post(&new)).await;
    assert_eq!(
        status(&env.rows().await, weekly).as_deref(),
        Some("subscribed")
    );

    // The allow-list applies to each: one unknown name and nothing is kept.
    let mut odd = signup("odd@example.org");
    odd["newsletters"] = serde_json::json!([daily, "Spam digest"]);
    let refused = env.subscribe(odd, None).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["error"], "unknown_newsletter");
    // None ticked: the reader is asked to choose, in the card's language.
    let mut none = signup("none@example.org");
    none["newsletters"] = serde_json::json!([]);
    none["locale"] = "fr".into();
    let refused = env.subscribe(none, None).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["message"], i18n::FR.choose_newsletter);
    assert!(!env
        .rows()
        .await
        .iter()
        .any(|r| r.email == "odd@example.org" || r.email == "none@example.org"));

    // The form without script: one pair per ticked box.
    let form = format!(
        "email=form%40example.org&newsletters=&newsletters={}&newsletters={}&consent=on",
        daily.replace(' ', "+"),
        weekly.replace(' ', "+")
    );
    let reply = env.send(form_post(form)).await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
    let form_rows = env
        .rows()
        .await
        .into_iter()
        .filter(|r| r.email == "form@example.org")
        .count();
    assert_eq!(form_rows, 2);
    let unticked = env
        .send(form_post("email=x%40example.org&newsletters=&consent=on"))
        .await;
    assert_eq!(unticked.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unticked.body.contains(i18n::EN.choose_newsletter));
}

async fn challenge_of(env: &Env) -> serde_json::Value {
    let reply = env.send(get("/api/subscribe")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.headers[header::CACHE_CONTROL], "no-store");
    reply.json()
}

#[tokio::test]
async fn proof_of_work_is_asked_checked_and_spent_once() {
    use crate::signups::proof;
    let off = env(|_| {}).await;
    let none = off.send(get("/api/subscribe")).await;
    assert_eq!(none.status, StatusCode::NO_CONTENT, "no proof asked");

    let env = env(|c| {
        c.proof_of_work = true;
        c.proof_max_number = 2_000;
        c.proofless_per_minute = 2;
    })
    .await;
    let c = challenge_of(&env).await;
    assert_eq!(c["algorithm"], "SHA-256");
    assert_eq!(c["maxnumber"], 2_000);

    // A widget that sent no solution is refused; with one, it is taken.
    let bare = env.subscribe(signup("bare@example.org"), None).await;
    assert_eq!(bare.status, StatusCode::FORBIDDEN);
    assert_eq!(bare.json()["error"], "proof_required");
    let altcha = proof::solve(&c).expect("solvable");
    let mut body = signup("solved@example.org");
    body["altcha"] = altcha.clone().into();
    let reply = env.subscribe(body, Some("key-1")).await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);

    // The same solution again, for another address: spent.
    let mut replay = signup("replay@example.org");
    replay["altcha"] = altcha.into();
    let replayed = env.subscribe(replay, Some("key-2")).await;
    assert_eq!(replayed.status, StatusCode::FORBIDDEN);
    assert_eq!(replayed.json()["error"], "proof_spent");
    // The same key with a fresh solution is the same submission: taken.
    let mut again = signup("replay@example.org");
    again["altcha"] = proof::solve(&challenge_of(&env).await)
        .expect("solvable")
        .into();
    let retried = env.subscribe(again, Some("key-2")).await;
    assert_eq!(retried.status, StatusCode::ACCEPTED, "{}", retried.body);

    // Forged: a challenge of another server's key.
    let forged = proof::solve(
        &proof::Proofs::new("guess", 2_000)
            .expect("keyed")
            .challenge(time::now_ms())
            .expect("c"),
    )
    .expect("solvable");
    let mut body = signup("forged@example.org");
    body["altcha"] = forged.into();
    let refused = env.subscribe(body, None).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.json()["error"], "proof_invalid");

    // A form posted without script, without a solution: the slow lane, a few a minute.
    let form = |email: &str| {
        form_post(format!(
            "email={email}&newsletter=The+Jerusalem+Post+Newsletter&consent=on"
        ))
    };
    assert_eq!(
        env.send(form("f1%40example.org")).await.status,
        StatusCode::ACCEPTED
    );
    assert_eq!(
        env.send(form("f2%40example.org")).await.status,
        StatusCode::ACCEPTED
    );
    let third = env.send(form("f3%40example.org")).await;
    assert_eq!(third.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(third.headers.contains_key(header::RETRY_AFTER));
    // A form that carries a solution (ALTCHA's own widget in a publisher's form) skips it.
    let altcha = proof::solve(&challenge_of(&env).await).expect("solvable");
    let with = env
        .send(form_post(format!(
            "email=f4%40example.org&newsletter=The+Jerusalem+Post+Newsletter&{}",
            serde_urlencoded::to_string([("altcha", &altcha)]).expect("encodes")
        )))
        .await;
    assert_eq!(with.status, StatusCode::ACCEPTED, "{}", with.body);
    let kept: Vec<String> = env.rows().await.into_iter().map(|r| r.email).collect();
    for email in ["solved@", "replay@", "f1@", "f2@", "f4@"] {
        assert!(
            kept.iter().any(|e| e.starts_with(email)),
            "{email}: {kept:?}"
        );
    }
    for email in ["bare@", "forged@", "f3@"] {
        assert!(!kept.iter().any(|e| e.starts_with(email)), "{email}");
    }
}

#[tokio::test]
async fn a_newsletter_asked_for_while_the_last_mail_is_on_its_way_gets_a_mail() {
    let (daily, weekly) = ("Daily briefing", "Weekly analysis");
    let env = env(|c| c.newsletters = vec![daily.into(), weekly.into()]).await;
    let mut first = signup("busy@example.org");
    first["newsletter"] = daily.into();
    env.subscribe(first, None).await;
    // The delivery job takes the daily's mail and makes its link (its list is made now)…
    let now = time::now_ms();
    let job = env
        .app
        .store
        .next_mail(now)
        .await
        .expect("queue")
        .expect("a mail");
    let (_, listed) = env
        .app
        .store
        .token_for(job.signup_id, now)
        .await
        .expect("token")
        .expect("pending");
    assert_eq!(listed, [daily]);
    // …the reader asks for both meanwhile…
    let mut both = signup("busy@example.org");
    both["newsletters"] = serde_json::json!([daily, weekly]);
    env.subscribe(both, None).await;
    // …and the daily's mail goes out and leaves the queue.
    env.app.store.mail_done(job.id).await.expect("done");
    let mails = env.mails().await;
    assert!(
        mails.iter().any(|m| m.contains(weekly)),
        "the weekly is in a mail of its own: {mails:?}"
    );
}

#[tokio::test]
async fn a_replayed_solution_costs_nobody_their_limit() {
    use crate::signups::proof;
    let env = env(|c| {
        c.proof_of_work = true;
        c.proof_max_number = 500;
        c.rate_per_email = 1;
    })
    .await;
    let altcha = proof::solve(&challenge_of(&env).await).expect("solvable");
    let mut body = signup("first@example.org");
    body["altcha"] = altcha.clone().into();
    assert_eq!(env.subscribe(body, None).await.status, StatusCode::ACCEPTED);
    // The solution replayed against a victim's address: refused, and the victim's one
    // signup of the hour is still theirs.
    let mut replay = signup("victim@example.org");
    replay["altcha"] = altcha.into();
    assert_eq!(
        env.subscribe(replay, None).await.status,
        StatusCode::FORBIDDEN
    );
    let mut own = signup("victim@example.org");
    own["altcha"] = proof::solve(&challenge_of(&env).await)
        .expect("solvable")
        .into();
    let reply = env.subscribe(own, None).await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
}
