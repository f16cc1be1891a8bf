//! Mail and webhook events as the delivery job sends them: retried, in order, never lost.

use crate::delivery::webhooks;
use crate::testing::*;

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
    // Both queued in the same millisecond, as a busy server can, and B's id (random) sorting
    // first: still in order.
    sqlx::query("UPDATE webhook_queue SET next_at = 0, created_at = 1")
        .execute(&env.app.store.pool)
        .await
        .expect("due");
    sqlx::query(
        "UPDATE webhook_queue SET id = 'msg_0' WHERE payload LIKE '%\"newsletter\":\"B\"%'",
    )
    .execute(&env.app.store.pool)
    .await
    .expect("B's id first");
    env.app.deliver_due().await;
    let newsletters: Vec<String> = received
        .lock()
        .expect("lock")
        .iter()
        .map(|(_, body)| body["data"]["newsletter"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(newsletters, ["A", "A", "B"]);
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

#[tokio::test]
async fn a_webhook_refusing_for_a_day_shows_in_metrics_and_the_queue() {
    let (url, _received) = receiver(vec![410; 20]).await;
    let env = env(|c| {
        c.webhook = Some(
            webhooks::Webhook::new(&url, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("hook"),
        );
    })
    .await;
    env.subscribe(signup("held@example.org"), None).await;
    let token = token_in(&env.mails().await[0]);
    assert_eq!(env.send(confirm_post(&token)).await.status, StatusCode::OK);
    env.app.deliver_due().await;
    let metric = "article_embed_webhook_events_failing";
    let shown = |body: &str| {
        body.lines()
            .find(|l| l.starts_with(metric))
            .unwrap_or_default()
            .to_owned()
    };
    let metrics = env.send_metrics(get("/metrics")).await;
    assert_eq!(
        shown(&metrics.body),
        format!("{metric} 0"),
        "refused once: not yet"
    );
    // A day later, still refused.
    sqlx::query("UPDATE webhook_queue SET created_at = created_at - 86400000")
        .execute(&env.app.store.pool)
        .await
        .expect("a day ago");
    let metrics = env.send_metrics(get("/metrics")).await;
    assert_eq!(shown(&metrics.body), format!("{metric} 1"));
    let waiting = env.app.store.waiting().await.expect("queue");
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    assert_eq!(waiting[0].kind, "subscriber.confirmed");
    assert!(
        waiting[0]
            .last_error
            .as_deref()
            .unwrap_or_default()
            .contains("410"),
        "{waiting:?}"
    );
}
