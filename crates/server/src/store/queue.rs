//! The durable queues (tables `mail_queue` and `webhook_queue`), as the delivery job uses
//! them: claim the next row that is due, then drop it once done or put it back for later.
//! A claim is a lease, so that of several processes on one database one sends each row,
//! and a row whose process died is sent by another after the lease.

use sqlx::Row;

use super::Store;

/// A mail to send.
#[derive(Debug, Clone, PartialEq)]
pub struct MailJob {
    pub id: i64,
    pub kind: String,
    pub signup_id: i64,
    pub email: String,
    pub newsletter: String,
    pub attempts: i64,
    /// The lease this process holds (its `locked_until`).
    pub lease: i64,
}

/// A webhook event to deliver.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookJob {
    pub id: String,
    pub payload: String,
    pub attempts: i64,
    pub lease: i64,
}

/// A row waiting in a queue, as `article-embed queue` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiting {
    /// `mail` or `webhook`.
    pub queue: String,
    /// The mail's kind or the event's type.
    pub kind: String,
    pub email: String,
    pub attempts: i64,
    pub created_at: i64,
    pub next_at: i64,
    pub last_error: Option<String>,
}

/// How long a claimed row is left to its process; a send is cut off well before
/// (`deliver::SEND_TIMEOUT`), so that no other process takes it over mid-send.
pub const LEASE_MS: i64 = 120_000;

/// Waits after a failed send: 5 s, then four times longer each time, at most an hour, with
/// up to a tenth more at random so that a recovering server is not met all at once.
pub fn retry_delay_ms(attempts: i64, jitter: f64) -> i64 {
    let exponent = u32::try_from(attempts.saturating_sub(1).clamp(0, 10)).unwrap_or(10);
    let base = 5_000i64
        .saturating_mul(4i64.saturating_pow(exponent))
        .min(3_600_000);
    base + (base as f64 * 0.1 * jitter.clamp(0.0, 1.0)) as i64
}

/// A number in [0, 1) for jitter.
pub fn jitter() -> f64 {
    let mut bytes = [0u8; 4];
    if getrandom::fill(&mut bytes).is_err() {
        return 0.5;
    }
    f64::from(u32::from_le_bytes(bytes)) / f64::from(u32::MAX)
}

/// Picks the next due row of `table` and leases it, in one statement. On PostgreSQL the
/// rows other processes are claiming are skipped (`FOR UPDATE SKIP LOCKED`); SQLite lets
/// one writer at a time, which serialises the claims by itself. With `in_order`, a row
/// waits while an older row for the same address is still queued (webhook events of one
/// subscriber arrive in the order they happened, whatever the retries).
fn claim_sql(table: &str, columns: &str, sqlite: bool, in_order: bool) -> String {
    let skip = if sqlite {
        ""
    } else {
        " FOR UPDATE SKIP LOCKED"
    };
    let order = if in_order {
        format!(
            " AND NOT EXISTS (SELECT 1 FROM {table} o WHERE o.email = q.email \
             AND (o.created_at < q.created_at \
                  OR (o.created_at = q.created_at AND o.seq < q.seq)))"
        )
    } else {
        String::new()
    };
    format!(
        "UPDATE {table} SET locked_until = $1, attempts = attempts + 1 \
         WHERE id = (SELECT id FROM {table} q \
                     WHERE next_at <= $2 AND (locked_until IS NULL OR locked_until <= $2){order} \
                     ORDER BY next_at, id LIMIT 1{skip}) \
         RETURNING {columns}"
    )
}

impl Store {
    pub async fn next_mail(&self, now: i64) -> Result<Option<MailJob>, sqlx::Error> {
        let sql = claim_sql(
            "mail_queue",
            "id, kind, signup_id, email, newsletter, attempts, locked_until",
            self.sqlite,
            false,
        );
        let row = sqlx::query(&sql)
            .bind(now + LEASE_MS)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(MailJob {
                id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                signup_id: r.try_get("signup_id")?,
                email: r.try_get("email")?,
                newsletter: r.try_get("newsletter")?,
                attempts: r.try_get("attempts")?,
                lease: r.try_get("locked_until")?,
            })
        })
        .transpose()
    }

    /// Sent (or not to be sent): the row, and the address in it, go.
    pub async fn mail_done(&self, id: i64) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM mail_queue WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// Back to the queue for later, unless the lease went to another process meanwhile.
    pub async fn mail_later(
        &self,
        job: &MailJob,
        next_at: i64,
        error: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE mail_queue SET next_at = $1, locked_until = NULL, last_error = $2 \
             WHERE id = $3 AND locked_until = $4",
        )
        .bind(next_at)
        .bind(error)
        .bind(job.id)
        .bind(job.lease)
        .execute(&self.pool)
        .await
        .map(|_| ())
    }

    pub async fn next_webhook(&self, now: i64) -> Result<Option<WebhookJob>, sqlx::Error> {
        let sql = claim_sql(
            "webhook_queue",
            "id, payload, attempts, locked_until",
            self.sqlite,
            true,
        );
        let row = sqlx::query(&sql)
            .bind(now + LEASE_MS)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(WebhookJob {
                id: r.try_get("id")?,
                payload: r.try_get("payload")?,
                attempts: r.try_get("attempts")?,
                lease: r.try_get("locked_until")?,
            })
        })
        .transpose()
    }

    /// Delivered: the event, and the address in it, go.
    pub async fn webhook_done(&self, id: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM webhook_queue WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// Back to the queue for later, unless the lease went to another process meanwhile.
    pub async fn webhook_later(
        &self,
        job: &WebhookJob,
        next_at: i64,
        error: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE webhook_queue SET next_at = $1, locked_until = NULL, last_error = $2 \
             WHERE id = $3 AND locked_until = $4",
        )
        .bind(next_at)
        .bind(error)
        .bind(&job.id)
        .bind(job.lease)
        .execute(&self.pool)
        .await
        .map(|_| ())
    }

    /// Rows waiting in the mail and webhook queues (for /metrics).
    pub async fn queue_depths(&self) -> Result<(i64, i64), sqlx::Error> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM mail_queue) AS mail, \
                    (SELECT COUNT(*) FROM webhook_queue) AS webhooks",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok((row.try_get("mail")?, row.try_get("webhooks")?))
    }

    /// Webhook events still undelivered a day after they were queued (for /metrics): a
    /// receiver refusing them holds back every later event of their subscribers.
    pub async fn events_failing_for_a_day(&self, now: i64) -> Result<i64, sqlx::Error> {
        sqlx::query("SELECT COUNT(*) AS n FROM webhook_queue WHERE created_at <= $1")
            .bind(now.saturating_sub(super::DAY_MS))
            .fetch_one(&self.pool)
            .await?
            .try_get("n")
    }

    /// What waits in both queues, oldest first, for `article-embed queue`.
    pub async fn waiting(&self) -> Result<Vec<Waiting>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT 'mail' AS queue, kind, email, attempts, created_at, next_at, last_error \
             FROM mail_queue \
             UNION ALL \
             SELECT 'webhook' AS queue, type AS kind, email, attempts, created_at, next_at, \
             last_error FROM webhook_queue \
             ORDER BY created_at",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Waiting {
                    queue: r.try_get("queue")?,
                    kind: r.try_get("kind")?,
                    email: r.try_get("email")?,
                    attempts: r.try_get("attempts")?,
                    created_at: r.try_get("created_at")?,
                    next_at: r.try_get("next_at")?,
                    last_error: r.try_get("last_error")?,
                })
            })
            .collect()
    }

    /// Signups by status (for /metrics).
    pub async fn signups_by_status(&self) -> Result<Vec<(String, i64)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT status, COUNT(*) AS n FROM signups GROUP BY status ORDER BY status",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("status")?, r.try_get("n")?)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_an_hour() {
        assert_eq!(retry_delay_ms(1, 0.0), 5_000);
        assert_eq!(retry_delay_ms(2, 0.0), 20_000);
        assert_eq!(retry_delay_ms(3, 0.0), 80_000);
        assert_eq!(retry_delay_ms(9, 0.0), 3_600_000);
        assert_eq!(retry_delay_ms(1_000, 0.0), 3_600_000);
        assert_eq!(retry_delay_ms(1, 1.0), 5_500, "a tenth of jitter at most");
        assert_eq!(retry_delay_ms(0, 0.0), 5_000);
    }

    #[test]
    fn postgres_claims_skip_locked_rows() {
        assert!(claim_sql("webhook_queue", "id", true, true).contains("o.email = q.email"));
        assert!(claim_sql("mail_queue", "id", false, false).contains("FOR UPDATE SKIP LOCKED"));
        assert!(!claim_sql("mail_queue", "id", true, false).contains("FOR UPDATE"));
    }
}
