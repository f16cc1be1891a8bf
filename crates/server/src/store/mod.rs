//! Where signups are kept: SQLite by default, PostgreSQL by URL, through sqlx's `Any`
//! driver, so the same queries (with `$n` parameters, which both understand) serve both.
//! Migrations live in `migrations/<backend>/` and are embedded in the binary.
//!
//! This file opens the database, keeps its keys and sweeps out what is not kept; the rows
//! themselves by concern:
//!
//! | module | holds |
//! |---|---|
//! | `signups` | signups, confirmation tokens, erasure, the CSV export |
//! | `limits` | idempotency keys and rate-limit counts |
//! | `queue` | the mail and webhook delivery queues |
//! | `events` | what a webhook event says |

pub mod events;
mod limits;
pub mod queue;
mod signups;
#[cfg(test)]
mod tests;

pub use limits::{email_limit_key, Claim};
pub use signups::{
    csv_field, to_csv, Added, Confirmed, Erased, NewSignup, Signup, Token, ALREADY_SUBSCRIBED,
    CONFIRMATION, MAIL_CAP,
};

use std::path::PathBuf;

use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor, Row};

use crate::tokens::{token, token_hash};

static SQLITE: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("migrations/postgres");

/// The database when `--db` is not given: a file in the data directory.
pub const DB_FILE: &str = "article-embed.db";

pub(crate) const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// Spent proof-of-work challenges are kept this long after they expire.
const PROOFS_KEPT_AFTER_MS: i64 = 10 * 60 * 1000;
/// A confirmation link works for a week (SPEC 6.1).
pub const TOKEN_LIFETIME_MS: i64 = 7 * DAY_MS;
/// Signups never confirmed are deleted after 30 days.
pub const UNCONFIRMED_KEPT_MS: i64 = 30 * DAY_MS;
/// Answers are replayed for an `Idempotency-Key` for longer than the widget's outbox sends a
/// signup again (seven days, `outbox::MAX_AGE_MS`), plus a day for a clock that is off: a
/// resend late in that week is answered as the first sending was, not handled again.
pub const IDEMPOTENCY_KEPT_MS: i64 = article_embed_card::outbox::MAX_AGE_MS as i64 + DAY_MS;
/// An already confirmed reader who signs up again is told so by mail at most this often.
pub const NOTICE_EVERY_MS: i64 = DAY_MS;

#[derive(Clone)]
pub struct Store {
    pub(super) pool: AnyPool,
    pub(super) sqlite: bool,
}

/// What one sweep of [`Store::purge`] deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Purged {
    pub signups: u64,
    pub tokens: u64,
    pub keys: u64,
}

impl Store {
    /// Opens (and for SQLite creates) the database and brings its schema up to date.
    pub async fn open(url: &str) -> Result<Store, String> {
        sqlx::any::install_default_drivers();
        let sqlite = url.starts_with("sqlite:");
        // Never echo the URL: a PostgreSQL URL holds the password.
        let shown = if sqlite {
            url
        } else {
            "the PostgreSQL database"
        };
        if !sqlite && !url.starts_with("postgres://") && !url.starts_with("postgresql://") {
            return Err("unsupported database URL: use sqlite://PATH or postgres://…".to_owned());
        }
        let url = if sqlite && !url.contains('?') {
            format!("{url}?mode=rwc")
        } else {
            url.to_owned()
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if sqlite { 4 } else { 16 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if sqlite {
                        // Writers wait for each other instead of failing with SQLITE_BUSY.
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                        // Deleted rows (purged signups, old tokens) are overwritten, not left
                        // readable in free pages of the file.
                        conn.execute("PRAGMA secure_delete = ON").await?;
                    }
                    Ok(())
                })
            })
            .after_release(move |conn, _| {
                Box::pin(async move {
                    if !sqlite {
                        return Ok(true);
                    }
                    // A COMMIT that fails (SQLITE_FULL, SQLITE_IOERR) leaves its transaction
                    // open: back in the pool, the connection would hold the write lock (every
                    // other writer then gets "database is locked" until a restart) and take
                    // later writes into a transaction that is never committed (answered, then
                    // lost). Such a connection is closed, which rolls it back, and replaced.
                    match conn.execute("ROLLBACK").await {
                        Err(e) if e.to_string().contains("no transaction is active") => Ok(true),
                        _ => Ok(false),
                    }
                })
            })
            .connect(&url)
            .await
            .map_err(|e| format!("cannot open {shown}: {e}"))?;
        if sqlite {
            // Readers do not block the writer; kept in the file, so once is enough.
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await
                .map_err(|e| format!("cannot switch {shown} to WAL: {e}"))?;
        }
        let migrator = if sqlite { &SQLITE } else { &POSTGRES };
        migrator
            .run(&pool)
            .await
            .map_err(|e| format!("cannot migrate {shown}: {e}"))?;
        let store = Store { pool, sqlite };
        store
            .hash_carried_over_tokens()
            .await
            .map_err(|e| format!("cannot hash the old confirmation tokens in {shown}: {e}"))?;
        Ok(store)
    }

    /// Closes the connections (on SQLite, this folds the write-ahead log into the file).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The SQLite file, as SQLite itself names it; `None` on PostgreSQL or in memory.
    pub async fn file(&self) -> Option<PathBuf> {
        if !self.sqlite {
            return None;
        }
        let rows = sqlx::query("PRAGMA database_list")
            .fetch_all(&self.pool)
            .await
            .ok()?;
        rows.iter()
            .find(|r| r.try_get::<String, _>("name").is_ok_and(|n| n == "main"))
            .and_then(|r| r.try_get::<String, _>("file").ok())
            .filter(|f| !f.is_empty())
            .map(PathBuf::from)
    }

    /// On SQLite, folds the write-ahead log into the file and empties it, so that deleted
    /// rows do not linger there (the file itself overwrites them: `secure_delete`). Best
    /// effort: a busy database is folded at the next chance.
    pub async fn fold_log(&self) {
        if self.sqlite {
            let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.pool)
                .await;
        }
    }

    /// The key named `name`: 32 random bytes, hex, made by whichever process asks first and
    /// the same for every process on this database.
    pub async fn key(&self, name: &str) -> Result<String, String> {
        let fresh = token()? + &token()?;
        sqlx::query(
            "INSERT INTO server_keys (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(&fresh)
        .execute(&self.pool)
        .await
        .map_err(|e| format!("cannot store the key {name}: {e}"))?;
        sqlx::query("SELECT value FROM server_keys WHERE name = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await
            .and_then(|row| row.try_get("value"))
            .map_err(|e| format!("cannot read the key {name}: {e}"))
    }

    /// Answers when the database does.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// Writes and commits a row of 16 KB, about what a signup and its mail take (a few
    /// pages): `Ok` when the database can really be written now.
    pub async fn probe_write(&self, now: i64) -> Result<(), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO health_probe (id, at, filler) VALUES (1, $1, $2) \
             ON CONFLICT (id) DO UPDATE SET at = excluded.at, filler = excluded.filler",
        )
        .bind(now)
        .bind(format!("{now:016}").repeat(1024))
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    /// Whether a proof-of-work challenge was spent already (by [`Store::add_all`]).
    pub async fn proof_spent(&self, challenge: &str) -> Result<bool, sqlx::Error> {
        Ok(
            sqlx::query("SELECT 1 AS one FROM proofs_spent WHERE challenge = $1")
                .bind(challenge)
                .fetch_optional(&self.pool)
                .await?
                .is_some(),
        )
    }

    /// Tokens of databases made before tokens were hashed (migration 0002).
    async fn hash_carried_over_tokens(&self) -> Result<(), sqlx::Error> {
        let rows =
            sqlx::query("SELECT token_hash FROM confirmations WHERE token_hash LIKE 'plain:%'")
                .fetch_all(&self.pool)
                .await?;
        let converted = !rows.is_empty();
        for row in rows {
            let marked: String = row.try_get("token_hash")?;
            let plain = marked.trim_start_matches("plain:");
            for table in ["confirmations", "confirmation_signups"] {
                sqlx::query(&format!(
                    "UPDATE {table} SET token_hash = $1 WHERE token_hash = $2"
                ))
                .bind(token_hash(plain))
                .bind(&marked)
                .execute(&self.pool)
                .await?;
            }
        }
        if converted && self.sqlite {
            // The old tokens are still in the file's free pages and in the write-ahead log:
            // rewrite the file once, and fold the log into it.
            sqlx::query("VACUUM").execute(&self.pool).await?;
            self.fold_log().await;
        }
        Ok(())
    }

    /// Deletes what the server promises not to keep: expired tokens, signups never
    /// confirmed after 30 days (unless a link sent since still works), idempotency keys
    /// after the widget stops sending again (`IDEMPOTENCY_KEPT_MS`).
    pub async fn purge(&self, now: i64) -> Result<Purged, sqlx::Error> {
        let tokens = sqlx::query("DELETE FROM confirmations WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await?
            .rows_affected();
        sqlx::query(
            "DELETE FROM confirmation_signups WHERE NOT EXISTS \
             (SELECT 1 FROM confirmations c WHERE c.token_hash = confirmation_signups.token_hash)",
        )
        .execute(&self.pool)
        .await?;
        let signups = sqlx::query(
            "DELETE FROM signups WHERE status = 'pending' AND created_at <= $1 \
             AND NOT EXISTS (SELECT 1 FROM confirmation_signups c WHERE c.signup_id = signups.id)",
        )
        .bind(now.saturating_sub(UNCONFIRMED_KEPT_MS))
        .execute(&self.pool)
        .await?
        .rows_affected();
        let keys = sqlx::query("DELETE FROM idempotency WHERE created_at <= $1")
            .bind(now.saturating_sub(IDEMPOTENCY_KEPT_MS))
            .execute(&self.pool)
            .await?
            .rows_affected();
        // Counting windows are an hour at most; mail for a signup that is gone goes too.
        sqlx::query("DELETE FROM rate_counts WHERE window_start <= $1")
            .bind(now.saturating_sub(DAY_MS))
            .execute(&self.pool)
            .await?;
        // Kept a while past their expiry: a request checked just before it may still be on
        // its way to spending.
        sqlx::query("DELETE FROM proofs_spent WHERE expires_at <= $1")
            .bind(now.saturating_sub(PROOFS_KEPT_AFTER_MS))
            .execute(&self.pool)
            .await?;
        sqlx::query("DELETE FROM mail_caps WHERE updated_at <= $1")
            .bind(now.saturating_sub(DAY_MS))
            .execute(&self.pool)
            .await?;
        sqlx::query(
            "DELETE FROM mail_queue WHERE NOT EXISTS \
             (SELECT 1 FROM signups s WHERE s.id = mail_queue.signup_id)",
        )
        .execute(&self.pool)
        .await?;
        // What could not be delivered in 30 days will not be (a webhook receiver gone, no
        // process with a webhook any more): the addresses in it are not kept for ever.
        for table in ["mail_queue", "webhook_queue"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE created_at <= $1"))
                .bind(now.saturating_sub(UNCONFIRMED_KEPT_MS))
                .execute(&self.pool)
                .await?;
        }
        Ok(Purged {
            signups,
            tokens,
            keys,
        })
    }
}
