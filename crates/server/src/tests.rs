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

#[tokio::test]
async fn a_client_that_stops_reading_is_let_go() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = std::env::temp_dir().join(format!("article-embed-slow-{}", std::process::id()));
    let free = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = free.local_addr().expect("addr");
    drop(free);
    let mut config = Config::new(addr);
    config.data_dir = dir.join("data");
    config.articles = PathBuf::from(REPO).join("articles");
    config.dist = dir.join("dist");
    config.write_timeout = Duration::from_secs(1);
    let server = tokio::spawn(crate::serve(config));
    let socket = loop {
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket.set_recv_buffer_size(4096).expect("small buffer");
        match socket.connect(addr).await {
            Ok(stream) => break stream,
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    };
    let mut socket = socket;
    // 3,000 requests for the demo page (15 MB of answers, more than the kernel buffers
    // between the two), pipelined, and nothing read.
    let requests = "GET / HTTP/1.1\r\nHost: a\r\n\r\n".repeat(3000);
    socket.write_all(requests.as_bytes()).await.expect("sent");
    tokio::time::sleep(Duration::from_secs(3)).await;
    // Reading now gets what was written before the server gave up, then the end. Held
    // open instead, the connection would serve all 3,000 and then wait for more.
    let mut sink = Vec::new();
    let ended = tokio::time::timeout(Duration::from_secs(10), socket.read_to_end(&mut sink)).await;
    assert!(
        ended.is_ok(),
        "the connection is still open after {} bytes",
        sink.len()
    );
    let answered = String::from_utf8_lossy(&sink)
        .matches("HTTP/1.1 200")
        .count();
    assert!(
        answered < 300,
        "{answered} answers: the server never gave up"
    );
    server.abort();
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[tokio::test]
async fn what_the_server_keeps_only_its_owner_can_read() {
    use std::os::unix::fs::PermissionsExt as _;
    let env = env(|_| {}).await;
    env.subscribe(signup("owner@example.org"), None).await;
    assert_eq!(env.mails().await.len(), 1);
    let mode = |path: &std::path::Path| {
        std::fs::metadata(path)
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    assert_eq!(mode(&env.config.data_dir), 0o700);
    assert_eq!(mode(&env.config.mail_dir()), 0o700);
    let db = env.config.data_dir.join(store::DB_FILE);
    assert_eq!(mode(&db), 0o600, "the database");
    let eml = std::fs::read_dir(env.config.mail_dir())
        .expect("mail")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "eml"))
        .expect("a mail file");
    assert_eq!(mode(&eml), 0o600, "the mail, which holds a live link");
}
