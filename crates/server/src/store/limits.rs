//! What limits requests: `Idempotency-Key`s, so that a retried request does its work once,
//! and rate-limit counts in fixed windows; both shared by every process on the database.

use sha2::{Digest, Sha256};
use sqlx::Row;

use super::Store;
use crate::tokens::hex;

/// What happened to an `Idempotency-Key` when a request claimed it.
#[derive(Debug, Clone, PartialEq)]
pub enum Claim {
    /// This request holds the key: do the work, then [`Store::complete_key`] or
    /// [`Store::release_key`].
    Mine,
    /// The work is done: the answer to give again.
    Done { status: u16, body: String },
    /// Another request holds it and is still at work.
    Busy,
    /// The key came with another request body.
    Reused,
}

/// A claim on a key older than this is taken over: its holder is gone (requests get 60 s).
const CLAIM_LEASE_MS: i64 = 90_000;

impl Store {
    /// Claims an `Idempotency-Key` for a request whose body hashes to `request_hash`: of
    /// several requests with one key, on any number of processes, one does the work.
    /// `subject`: the address the request is for (kept hashed, for erasure).
    pub async fn claim_key(
        &self,
        key: &str,
        request_hash: &str,
        subject: &str,
        now: i64,
    ) -> Result<Claim, sqlx::Error> {
        let claimed = sqlx::query(
            "INSERT INTO idempotency (key, status, body, created_at, request_hash, subject) \
             VALUES ($1, 0, '', $2, $3, $4) ON CONFLICT (key) DO NOTHING",
        )
        .bind(key)
        .bind(now)
        .bind(request_hash)
        .bind(email_limit_key(subject))
        .execute(&self.pool)
        .await?;
        if claimed.rows_affected() == 1 {
            return Ok(Claim::Mine);
        }
        let Some(row) =
            sqlx::query("SELECT status, body, request_hash FROM idempotency WHERE key = $1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?
        else {
            // Released between the two statements: the caller asks again.
            return Ok(Claim::Busy);
        };
        let stored: Option<String> = row.try_get("request_hash")?;
        // Keys kept before hashes were (NULL) cannot be compared.
        if stored.as_deref().is_some_and(|h| h != request_hash) {
            return Ok(Claim::Reused);
        }
        let status: i64 = row.try_get("status")?;
        if status != 0 {
            return Ok(Claim::Done {
                status: u16::try_from(status).unwrap_or(500),
                body: row.try_get("body")?,
            });
        }
        // Held: by a request at work, or by one whose process died; take the latter over.
        let taken = sqlx::query(
            "UPDATE idempotency SET created_at = $1 \
             WHERE key = $2 AND status = 0 AND created_at <= $3",
        )
        .bind(now)
        .bind(key)
        .bind(now.saturating_sub(CLAIM_LEASE_MS))
        .execute(&self.pool)
        .await?;
        Ok(if taken.rows_affected() == 1 {
            Claim::Mine
        } else {
            Claim::Busy
        })
    }

    /// The answer to a claimed key, to give again to the same request.
    pub async fn complete_key(
        &self,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE idempotency SET status = $1, body = $2 WHERE key = $3")
            .bind(i64::from(status))
            .bind(body)
            .bind(key)
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// Gives a claimed key up (the request failed or was refused): a retry runs again.
    pub async fn release_key(&self, key: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM idempotency WHERE key = $1 AND status = 0")
            .bind(key)
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// Counts a hit for `key` in the fixed window of `window_ms` that holds `now`, for every
    /// process at once; `Err(seconds)` (until the window ends) past `limit`.
    pub async fn hit(
        &self,
        key: &str,
        limit: u32,
        window_ms: i64,
        now: i64,
    ) -> Result<Result<(), u64>, sqlx::Error> {
        let window_ms = window_ms.max(1);
        let start = now - now.rem_euclid(window_ms);
        let row = sqlx::query(
            "INSERT INTO rate_counts (key, window_start, count) VALUES ($1, $2, 1) \
             ON CONFLICT (key, window_start) DO UPDATE SET count = rate_counts.count + 1 \
             RETURNING count",
        )
        .bind(key)
        .bind(start)
        .fetch_one(&self.pool)
        .await?;
        let count: i64 = row.try_get("count")?;
        Ok(if count > i64::from(limit.max(1)) {
            let left_ms = (start + window_ms - now).max(1);
            Err(u64::try_from((left_ms + 999) / 1000).unwrap_or(1))
        } else {
            Ok(())
        })
    }
}

/// The key an address is counted and found under: a hash, so that rate-limit counts and
/// idempotency keys do not hold the address itself.
pub fn email_limit_key(email: &str) -> String {
    format!("email:{}", hex(&Sha256::digest(email.as_bytes())))
}
