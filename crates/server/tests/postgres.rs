//! The signup server on PostgreSQL: the same router and queries as on SQLite, against a
//! real server. Needs one: `make test-postgres` (part of `make test`) installs and starts
//! Debian's PostgreSQL and runs this with ARTICLE_EMBED_TEST_POSTGRES set.

use std::net::SocketAddr;
use std::sync::Arc;

use article_embed_server::{router, App, Config};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use sqlx::{AnyConnection, Connection, Executor};
use tower::ServiceExt;

async fn post(app: &Arc<App>, config: &Config, body: &str, key: &str) -> (StatusCode, String) {
    let mut request = Request::post("/api/subscribe")
        .header("content-type", "application/json")
        .header("idempotency-key", key)
        .body(Body::from(body.to_owned()))
        .expect("request");
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from(([192, 0, 2, 1], 1))));
    let response = router(Arc::clone(app), config)
        .oneshot(request)
        .await
        .expect("infallible");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL: run with `make test-postgres`"]
async fn signups_on_postgresql() {
    let base = std::env::var("ARTICLE_EMBED_TEST_POSTGRES")
        .expect("ARTICLE_EMBED_TEST_POSTGRES=postgres://user:pass@host:port/db");
    sqlx::any::install_default_drivers();
    let name = format!("article_embed_test_{}", std::process::id());
    let mut admin = AnyConnection::connect(&base)
        .await
        .expect("connect to PostgreSQL");
    admin
        .execute(format!("DROP DATABASE IF EXISTS {name}").as_str())
        .await
        .expect("drop");
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create database");
    let url = match base.rfind('/') {
        Some(i) if i > "postgres://".len() => format!("{}/{name}", &base[..i]),
        _ => panic!("ARTICLE_EMBED_TEST_POSTGRES needs a database path: {base}"),
    };

    let dir = std::env::temp_dir().join(&name);
    let mut config = Config::new("127.0.0.1:8080".parse().expect("addr"));
    config.db = Some(url);
    config.data_dir = dir.clone();
    config.newsletters = vec!["N".into()];
    let app = App::new(&config)
        .await
        .expect("migrations run on PostgreSQL");

    let body = r#"{"email":"Reader@Example.org","newsletter":"N","consent":true,"locale":"en"}"#;
    assert_eq!(
        post(&app, &config, body, "k1").await.0,
        StatusCode::ACCEPTED
    );
    let replay = post(&app, &config, body, "k1").await;
    assert_eq!(
        replay,
        (StatusCode::ACCEPTED, r#"{"status":"pending"}"#.into())
    );
    let again = post(&app, &config, body, "k2").await;
    assert_eq!(
        again,
        (StatusCode::ACCEPTED, r#"{"status":"pending"}"#.into()),
        "the same answer for a pending address"
    );
    let rows = app.store.all().await.expect("rows");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].email, "reader@example.org");
    assert!(rows[0].consent);

    app.deliver_due().await;
    let mail = std::fs::read_dir(config.mail_dir())
        .expect("mail folder")
        .filter_map(Result::ok)
        .find_map(|e| std::fs::read_to_string(e.path()).ok())
        .expect("a confirmation mail");
    let start = mail.find("token=").expect("token") + 6;
    let token = &mail[start..start + 32];
    use article_embed_server::store::Token;
    use article_embed_server::time::now_ms;
    assert!(matches!(
        app.store.token(token, now_ms()).await,
        Ok(Token::Valid { .. })
    ));
    let confirmed = app
        .store
        .confirm(token, now_ms(), false)
        .await
        .expect("confirm");
    assert!(matches!(
        confirmed,
        article_embed_server::store::Confirmed::Now { .. }
    ));
    assert_eq!(app.store.all().await.expect("rows")[0].status, "subscribed");
    let purged = app
        .store
        .purge(now_ms() + 31 * 24 * 3600 * 1000)
        .await
        .expect("purge on PostgreSQL");
    assert_eq!(purged.signups, 0, "a confirmed signup stays");
    assert_eq!(purged.keys, 2);

    // Three processes' pools claiming queued mail at once never claim one row twice.
    use article_embed_server::store::{NewSignup, Store};
    for i in 0..60 {
        let signup = NewSignup {
            email: format!("queue{i}@example.org"),
            newsletter: "N".into(),
            consent: true,
            consent_text: "ok".into(),
            name: None,
            article: None,
            page: None,
            locale: "en".into(),
        };
        app.store.add(&signup, now_ms()).await.expect("add");
    }
    let mut workers = Vec::new();
    for _ in 0..3 {
        let store = Store::open(&config.db_url()).await.expect("another pool");
        workers.push(tokio::spawn(async move {
            let mut claimed = Vec::new();
            while let Some(job) = store.next_mail(now_ms()).await.expect("claim") {
                claimed.push(job.id);
            }
            claimed
        }));
    }
    let mut all = Vec::new();
    for worker in workers {
        all.extend(worker.await.expect("worker"));
    }
    let total = all.len();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), total, "a row was claimed twice");
    assert_eq!(total, 60, "every queued mail was claimed once");

    drop(app);
    let _ = std::fs::remove_dir_all(&dir);
    admin
        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
        .await
        .expect("drop test database");
}
