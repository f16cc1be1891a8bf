//! The background job that keeps the promises about what is not kept (SPEC 6.1): expired
//! confirmation tokens, signups never confirmed after 30 days, idempotency keys after a
//! day. Runs at start and every hour in every `serve` process (the deletes are idempotent,
//! so several processes on one database do no harm).

use std::time::Duration;

use crate::log;
use crate::store::Store;
use crate::time::now_ms;

const EVERY: Duration = Duration::from_secs(3600);

pub async fn run(store: Store) {
    let mut tick = tokio::time::interval(EVERY);
    loop {
        tick.tick().await;
        match store.purge(now_ms()).await {
            Ok(p) if p.signups + p.tokens + p.keys > 0 => log::info(
                "cleanup.done",
                &[
                    ("unconfirmed_signups", &p.signups),
                    ("expired_tokens", &p.tokens),
                    ("idempotency_keys", &p.keys),
                ],
            ),
            Ok(_) => {}
            Err(e) => log::warn("cleanup.failed", &[("error", &e)]),
        }
    }
}
