//! Where signups are kept: SQLite by default, PostgreSQL by URL, through sqlx's `Any`
//! driver, so the same queries (with `$n` parameters, which both understand) serve both.
//! Migrations live in `migrations/<backend>/` and are embedded in the binary.

use std::path::PathBuf;

use sha2::{Digest, Sha256};
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor, Row};

use super::webhooks;
use crate::time::iso_time;
use crate::tokens::{hex, token, token_hash};

static SQLITE: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("migrations/postgres");

/// The database when `--db` is not given: a file in the data directory.
pub const DB_FILE: &str = "article-embed.db";

const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// A confirmation link works for a week (SPEC 6.1).
pub const TOKEN_LIFETIME_MS: i64 = 7 * DAY_MS;
/// Signups never confirmed are deleted after 30 days.
pub const UNCONFIRMED_KEPT_MS: i64 = 30 * DAY_MS;
/// Answers are replayed for an `Idempotency-Key` this long.
pub const IDEMPOTENCY_KEPT_MS: i64 = DAY_MS;
/// An already confirmed reader who signs up again is told so by mail at most this often.
pub const NOTICE_EVERY_MS: i64 = DAY_MS;

#[derive(Clone)]
pub struct Store {
    pub(super) pool: AnyPool,
    pub(super) sqlite: bool,
}

/// A signup as received, checked and normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSignup {
    pub email: String,
    pub newsletter: String,
    pub consent: bool,
    /// The consent sentence the reader was shown, in their language.
    pub consent_text: String,
    pub article: Option<String>,
    pub page: Option<String>,
    pub locale: String,
}

/// What a signup request did. The reader is told the same in every case (SPEC 6.1: no list
/// membership revealed); only the mail differs, and it is queued in the same transaction.
#[derive(Debug, Clone, PartialEq)]
pub enum Added {
    /// A new row, `pending` until confirmed; a confirmation is queued.
    New { signup_id: i64 },
    /// Already signed up and not confirmed yet: another confirmation is queued (unless one
    /// is waiting already); the links sent earlier still work.
    Pending { signup_id: i64 },
    /// Already confirmed. `notified`: a note saying so is queued (at most once a day).
    Confirmed { signup_id: i64, notified: bool },
}

/// Kinds of mail in the queue.
pub const CONFIRMATION: &str = "confirmation";
pub const ALREADY_SUBSCRIBED: &str = "already_subscribed";

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

/// What a confirmation token names.
#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    /// Unused and in time: the button will confirm this signup.
    Valid {
        newsletter: String,
        locale: String,
    },
    /// Used already: the signup is confirmed.
    Used {
        newsletter: String,
        locale: String,
    },
    Expired {
        locale: String,
    },
    Unknown,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Confirmed {
    Now { newsletter: String, locale: String },
    Already { newsletter: String, locale: String },
    Expired { locale: String },
    Unknown,
}

/// What one sweep of [`Store::purge`] deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Purged {
    pub signups: u64,
    pub tokens: u64,
    pub keys: u64,
}

/// One row, for export.
#[derive(Debug, Clone, PartialEq)]
pub struct Signup {
    pub id: i64,
    pub email: String,
    pub newsletter: String,
    pub consent: bool,
    pub consent_text: String,
    pub article: Option<String>,
    pub page: Option<String>,
    pub locale: String,
    pub status: String,
    pub created_at: i64,
    pub confirmed_at: Option<i64>,
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
            sqlx::query("UPDATE confirmations SET token_hash = $1 WHERE token_hash = $2")
                .bind(token_hash(plain))
                .bind(&marked)
                .execute(&self.pool)
                .await?;
        }
        if converted && self.sqlite {
            // The old tokens are still in the file's free pages and in the write-ahead log:
            // rewrite the file once, and fold the log into it.
            sqlx::query("VACUUM").execute(&self.pool).await?;
            self.fold_log().await;
        }
        Ok(())
    }

    async fn issue_token(&self, signup_id: i64, now: i64) -> Result<String, sqlx::Error> {
        let token = token().map_err(sqlx::Error::Protocol)?;
        sqlx::query(
            "INSERT INTO confirmations (token_hash, signup_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash(&token))
        .bind(signup_id)
        .bind(now)
        .bind(now.saturating_add(TOKEN_LIFETIME_MS))
        .execute(&self.pool)
        .await?;
        Ok(token)
    }

    /// Adds a signup unless the address already has one for this newsletter, and queues the
    /// mail that goes with it, in one transaction: a signup never lacks its mail.
    pub async fn add(&self, s: &NewSignup, now: i64) -> Result<Added, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO signups \
             (email, newsletter, consent, consent_text, article, page, locale, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8) \
             ON CONFLICT (email, newsletter) DO NOTHING RETURNING id",
        )
        .bind(&s.email)
        .bind(&s.newsletter)
        .bind(i64::from(s.consent))
        .bind(&s.consent_text)
        .bind(&s.article)
        .bind(&s.page)
        .bind(&s.locale)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let added = if let Some(row) = inserted {
            Added::New {
                signup_id: row.try_get("id")?,
            }
        } else {
            let row =
                sqlx::query("SELECT id, status FROM signups WHERE email = $1 AND newsletter = $2")
                    .bind(&s.email)
                    .bind(&s.newsletter)
                    .fetch_one(&mut *tx)
                    .await?;
            let signup_id: i64 = row.try_get("id")?;
            let status: String = row.try_get("status")?;
            if status == "pending" {
                Added::Pending { signup_id }
            } else {
                // Claimed in one statement, so that concurrent requests queue one note.
                let claimed = sqlx::query(
                    "UPDATE signups SET notified_at = $1 \
                     WHERE id = $2 AND (notified_at IS NULL OR notified_at <= $3)",
                )
                .bind(now)
                .bind(signup_id)
                .bind(now.saturating_sub(NOTICE_EVERY_MS))
                .execute(&mut *tx)
                .await?;
                Added::Confirmed {
                    signup_id,
                    notified: claimed.rows_affected() == 1,
                }
            }
        };
        let (signup_id, kind) = match added {
            Added::New { signup_id } | Added::Pending { signup_id } => {
                (signup_id, Some(CONFIRMATION))
            }
            Added::Confirmed {
                signup_id,
                notified,
            } => (signup_id, notified.then_some(ALREADY_SUBSCRIBED)),
        };
        if let Some(kind) = kind {
            // One waiting mail of a kind per signup: asking five times before it went out
            // sends it once.
            sqlx::query(
                "INSERT INTO mail_queue (kind, signup_id, email, newsletter, created_at, next_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (signup_id, kind) DO NOTHING",
            )
            .bind(kind)
            .bind(signup_id)
            .bind(&s.email)
            .bind(&s.newsletter)
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(added)
    }

    /// A new confirmation token for a signup still pending, as its mail is sent (tokens are
    /// made then, so that only their hashes are ever stored); `None` when there is no such
    /// signup any more.
    pub async fn token_for(&self, signup_id: i64, now: i64) -> Result<Option<String>, sqlx::Error> {
        let pending =
            sqlx::query("SELECT 1 AS one FROM signups WHERE id = $1 AND status = 'pending'")
                .bind(signup_id)
                .fetch_optional(&self.pool)
                .await?
                .is_some();
        if !pending {
            return Ok(None);
        }
        self.issue_token(signup_id, now).await.map(Some)
    }

    /// Forgets a token whose mail never left.
    pub async fn drop_token(&self, token: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM confirmations WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

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

    /// What a token names, without using it (the page a link opens).
    pub async fn token(&self, token: &str, now: i64) -> Result<Token, sqlx::Error> {
        let row = sqlx::query(
            "SELECT c.expires_at, c.used_at, s.status, s.newsletter, s.locale \
             FROM confirmations c JOIN signups s ON s.id = c.signup_id WHERE c.token_hash = $1",
        )
        .bind(token_hash(token))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(Token::Unknown);
        };
        let newsletter: String = row.try_get("newsletter")?;
        let locale: String = row.try_get("locale")?;
        let used: Option<i64> = row.try_get("used_at")?;
        let expires: i64 = row.try_get("expires_at")?;
        let subscribed = row.try_get::<String, _>("status")? == "subscribed";
        Ok(if subscribed {
            Token::Used { newsletter, locale }
        } else if used.is_some() || expires <= now {
            Token::Expired { locale }
        } else {
            Token::Valid { newsletter, locale }
        })
    }

    /// Uses a token: confirms its signup once; every other token of that signup is void.
    /// One transaction: a failure half-way leaves the token unused, to be pressed again.
    ///
    /// With `webhooks`, a `subscriber.confirmed` event is queued in the same transaction.
    pub async fn confirm(
        &self,
        token: &str,
        now: i64,
        webhooks: bool,
    ) -> Result<Confirmed, sqlx::Error> {
        let hash = token_hash(token);
        let mut tx = self.pool.begin().await?;
        // The claim is one statement: of two clicks at once, one confirms.
        let claimed = sqlx::query(
            "UPDATE confirmations SET used_at = $1 \
             WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $3",
        )
        .bind(now)
        .bind(&hash)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        let row = sqlx::query(
            "SELECT c.signup_id, s.status, s.newsletter, s.locale \
             FROM confirmations c JOIN signups s ON s.id = c.signup_id WHERE c.token_hash = $1",
        )
        .bind(&hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            tx.rollback().await?;
            return Ok(Confirmed::Unknown);
        };
        let newsletter: String = row.try_get("newsletter")?;
        let locale: String = row.try_get("locale")?;
        if !claimed {
            let subscribed = row.try_get::<String, _>("status")? == "subscribed";
            tx.rollback().await?;
            // Used or expired: what counts is whether the reader is subscribed.
            return Ok(if subscribed {
                Confirmed::Already { newsletter, locale }
            } else {
                Confirmed::Expired { locale }
            });
        }
        let id: i64 = row.try_get("signup_id")?;
        // Whether this request confirmed is what the update says: of two links clicked at
        // once, the second waits for the first and then finds nothing pending. (Sibling
        // tokens are not touched: a subscribed signup's tokens are void by its status, and
        // updating them here could deadlock two such requests.)
        let confirmed_now = sqlx::query(
            "UPDATE signups SET status = 'subscribed', confirmed_at = $1 \
             WHERE id = $2 AND status = 'pending'",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if webhooks && confirmed_now {
            let row = sqlx::query(&format!("SELECT {SUBSCRIBER} FROM signups WHERE id = $1"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            let who = subscriber(&row)?;
            queue_event(&mut tx, webhooks::CONFIRMED, &who, now).await?;
        }
        tx.commit().await?;
        Ok(if confirmed_now {
            Confirmed::Now { newsletter, locale }
        } else {
            Confirmed::Already { newsletter, locale }
        })
    }

    /// Deletes what the server promises not to keep: expired tokens, signups never
    /// confirmed after 30 days (unless a link sent since still works), idempotency keys
    /// after a day.
    pub async fn purge(&self, now: i64) -> Result<Purged, sqlx::Error> {
        let tokens = sqlx::query("DELETE FROM confirmations WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await?
            .rows_affected();
        let signups = sqlx::query(
            "DELETE FROM signups WHERE status = 'pending' AND created_at <= $1 \
             AND NOT EXISTS (SELECT 1 FROM confirmations c WHERE c.signup_id = signups.id)",
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

    /// Erases an address everywhere the database holds it (GDPR art. 17): its signups, their
    /// tokens, its mail and webhook rows sent or not, its rate-limit counts. With
    /// `webhooks`, a `subscriber.deleted` event is queued for each confirmed signup (the
    /// provider knew of those), and goes, address and all, once delivered.
    pub async fn erase(
        &self,
        email: &str,
        now: i64,
        webhooks: bool,
    ) -> Result<Erased, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        // A write first: on SQLite a transaction that begins by reading cannot wait for
        // another process's write lock, it fails at once.
        sqlx::query(
            "DELETE FROM confirmations WHERE signup_id IN (SELECT id FROM signups WHERE email = $1)",
        )
        .bind(email)
        .execute(&mut *tx)
        .await?;
        let rows = sqlx::query(&format!(
            "SELECT id, status, {SUBSCRIBER} FROM signups WHERE email = $1"
        ))
        .bind(email)
        .fetch_all(&mut *tx)
        .await?;
        let mail = sqlx::query("DELETE FROM mail_queue WHERE email = $1")
            .bind(email)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        // An event being delivered right now is left to finish (it goes once delivered);
        // the subscriber.deleted event queued below waits for it (events of one address go
        // oldest first), so the provider never hears "deleted" before "confirmed".
        let events = sqlx::query(
            "DELETE FROM webhook_queue WHERE email = $1 \
             AND (locked_until IS NULL OR locked_until <= $2)",
        )
        .bind(email)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query("DELETE FROM rate_counts WHERE key = $1")
            .bind(email_limit_key(email))
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM idempotency WHERE subject = $1")
            .bind(email_limit_key(email))
            .execute(&mut *tx)
            .await?;
        let signups = sqlx::query("DELETE FROM signups WHERE email = $1")
            .bind(email)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let mut queued = 0;
        if webhooks {
            for row in &rows {
                if row.try_get::<String, _>("status")? == "subscribed" {
                    queue_event(&mut tx, webhooks::DELETED, &subscriber(row)?, now).await?;
                    queued += 1;
                }
            }
        }
        tx.commit().await?;
        self.fold_log().await;
        Ok(Erased {
            signups,
            mail,
            events,
            queued,
        })
    }

    pub async fn all(&self) -> Result<Vec<Signup>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT id, email, newsletter, consent, consent_text, article, page, locale, status, \
             created_at, confirmed_at FROM signups ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Signup {
                    id: r.try_get("id")?,
                    email: r.try_get("email")?,
                    newsletter: r.try_get("newsletter")?,
                    consent: r.try_get::<i64, _>("consent")? != 0,
                    consent_text: r.try_get("consent_text")?,
                    article: r.try_get("article")?,
                    page: r.try_get("page")?,
                    locale: r.try_get("locale")?,
                    status: r.try_get("status")?,
                    created_at: r.try_get("created_at")?,
                    confirmed_at: r.try_get("confirmed_at")?,
                })
            })
            .collect()
    }
}

/// What an erasure deleted, and the `subscriber.deleted` events it queued.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Erased {
    pub signups: u64,
    pub mail: u64,
    pub events: u64,
    pub queued: u64,
}

/// The columns a webhook event tells.
const SUBSCRIBER: &str = "email, newsletter, consent_text, confirmed_at, article, page, locale";

fn subscriber(row: &sqlx::any::AnyRow) -> Result<webhooks::Subscriber, sqlx::Error> {
    Ok(webhooks::Subscriber {
        email: row.try_get("email")?,
        newsletter: row.try_get("newsletter")?,
        consent_text: row.try_get("consent_text")?,
        confirmed_at: row.try_get("confirmed_at")?,
        article: row.try_get("article")?,
        page: row.try_get("page")?,
        locale: row.try_get("locale")?,
    })
}

async fn queue_event(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    kind: &str,
    who: &webhooks::Subscriber,
    now: i64,
) -> Result<(), sqlx::Error> {
    let (id, payload) = webhooks::event(kind, who, now).map_err(sqlx::Error::Protocol)?;
    sqlx::query(
        "INSERT INTO webhook_queue (id, type, email, payload, created_at, next_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(kind)
    .bind(&who.email)
    .bind(&payload)
    .bind(now)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The key an address is counted and found under: a hash, so that rate-limit counts and
/// idempotency keys do not hold the address itself.
pub fn email_limit_key(email: &str) -> String {
    format!("email:{}", hex(&Sha256::digest(email.as_bytes())))
}

/// The signups as CSV (RFC 4180), times in UTC ISO 8601.
pub fn to_csv(rows: &[Signup]) -> String {
    let mut out = String::from(
        "id,email,newsletter,consent,consent_text,article,page,locale,status,created_at,confirmed_at\r\n",
    );
    for r in rows {
        let fields = [
            r.id.to_string(),
            r.email.clone(),
            r.newsletter.clone(),
            r.consent.to_string(),
            r.consent_text.clone(),
            r.article.clone().unwrap_or_default(),
            r.page.clone().unwrap_or_default(),
            r.locale.clone(),
            r.status.clone(),
            iso_time(r.created_at),
            r.confirmed_at.map(iso_time).unwrap_or_default(),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

fn csv_field(s: &str) -> String {
    // A leading = + - @ makes spreadsheets run the cell as a formula: defuse it.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::now_ms;
    use sqlx::any::AnyPoolOptions;
    use std::borrow::Cow;

    /// A database made before tokens were hashed (schema 0001 only) upgrades in place: the
    /// link its readers were mailed still works, and the token is gone from the file.
    #[tokio::test]
    async fn tokens_from_before_hashing_still_confirm_after_the_upgrade() {
        let dir =
            std::env::temp_dir().join(format!("article-embed-upgrade-{}", std::process::id()));
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
}
