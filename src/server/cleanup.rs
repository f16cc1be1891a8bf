//! The background job that keeps the promises about what is not kept (SPEC 6.1): expired
//! confirmation tokens, signups never confirmed after 30 days, idempotency keys after a
//! day. Runs at start and every hour in every `serve` process (the deletes are idempotent,
//! so several processes on one database do no harm).

use std::time::Duration;

use super::store::{now_ms, Store};

const EVERY: Duration = Duration::from_secs(3600);

pub async fn run(store: Store) {
    let mut tick = tokio::time::interval(EVERY);
    loop {
        tick.tick().await;
        match store.purge(now_ms()).await {
            Ok(p) if p.signups + p.tokens + p.keys > 0 => eprintln!(
                "article-embed: deleted {} unconfirmed signup(s), {} expired token(s), {} idempotency key(s)",
                p.signups, p.tokens, p.keys
            ),
            Ok(_) => {}
            Err(e) => eprintln!("article-embed: cleanup failed (will try again): {e}"),
        }
    }
}
