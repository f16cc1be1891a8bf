//! What the database keeps and gives up: the CSV export, erasure, leases on queue rows.

use super::*;
use crate::delivery::webhooks;
use crate::testing::*;
use crate::time::now_ms;
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use std::borrow::Cow;

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
        Some("id,email,newsletter,consent,consent_text,article,page,locale,status,created_at,confirmed_at,name")
    );
    let row = lines.next().expect("a row");
    assert!(
        row.starts_with("1,csv@example.org,\"News, \"\"Daily\"\"\",true,"),
        "{row}"
    );
    assert!(row.contains(",pending,20"), "{row}");
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
        .erase(email, time::now_ms())
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

/// A database made before tokens were hashed (schema 0001 only) upgrades in place: the
/// link its readers were mailed still works, and the token is gone from the file.
#[tokio::test]
async fn tokens_from_before_hashing_still_confirm_after_the_upgrade() {
    let dir = std::env::temp_dir().join(format!("article-embed-upgrade-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("old.db");
    let url = format!("sqlite://{}", file.display());
    sqlx::any::install_default_drivers();
    let old = AnyPoolOptions::new()
        .connect(&format!("{url}?mode=rwc"))
        .await
        .expect("old database");
    let first_only = Migrator {
        migrations: Cow::Owned(SQLITE.migrations[..1].to_vec()),
        ignore_missing: false,
        locking: true,
        no_tx: false,
    };
    first_only.run(&old).await.expect("schema 0001");
    let token = "0123456789abcdef0123456789abcdef";
    sqlx::query(
        "INSERT INTO signups (email, newsletter, consent, consent_text, locale, status, token, created_at) \
         VALUES ('old@example.org', 'N', 1, 'ok', 'en', 'pending', $1, $2)",
    )
    .bind(token)
    .bind(now_ms())
    .execute(&old)
    .await
    .expect("an old pending signup");
    old.close().await;

    let store = Store::open(&url).await.expect("upgrades");
    assert!(matches!(
        store.token(token, now_ms()).await,
        Ok(Token::Valid { .. })
    ));
    assert!(matches!(
        store.confirm(token, now_ms(), false).await,
        Ok(Confirmed::Now { .. })
    ));
    assert_eq!(store.all().await.expect("rows")[0].status, "subscribed");
    store.close().await;
    let bytes = std::fs::read(&file).expect("file");
    assert!(
        !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
        "the plaintext token is not left in the file"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
