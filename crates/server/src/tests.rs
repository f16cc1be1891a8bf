//! The server as configured and run: refused configurations, deadlines, the fault switch.

use crate::testing::*;
use crate::REQUEST_TIMEOUT;

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
