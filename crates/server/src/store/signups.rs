//! Signups and their confirmation tokens: added with their mail in one transaction,
//! confirmed once, erased everywhere, exported as CSV.

use sqlx::Row;

use super::events;
use super::NOTICE_EVERY_MS;
use super::TOKEN_LIFETIME_MS;
use super::{email_limit_key, Store};
use crate::time::iso_time;
use crate::tokens::{token, token_hash};

/// A signup as received, checked and normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSignup {
    pub email: String,
    pub newsletter: String,
    pub consent: bool,
    /// The consent sentence the reader was shown, in their language.
    pub consent_text: String,
    /// The first name the reader gave, if the form asked (`fields="name"`).
    pub name: Option<String>,
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

/// Mail queued to one address on signup requests, at most, in any 24 hours: a stranger
/// cannot bury an inbox (the requests still get the answer everyone gets).
pub const MAIL_CAP: usize = 3;

/// Kinds of mail in the queue.
pub const CONFIRMATION: &str = "confirmation";
pub const ALREADY_SUBSCRIBED: &str = "already_subscribed";

/// What a confirmation token names.
#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    /// Unused and in time: the button will confirm this signup.
    Valid {
        newsletters: Vec<String>,
        locale: String,
    },
    /// Used already: the signups are confirmed.
    Used {
        newsletters: Vec<String>,
        locale: String,
    },
    Expired {
        locale: String,
    },
    Unknown,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Confirmed {
    Now {
        newsletters: Vec<String>,
        locale: String,
    },
    Already {
        newsletters: Vec<String>,
        locale: String,
    },
    Expired {
        locale: String,
    },
    Unknown,
}

/// One row, for export.
#[derive(Debug, Clone, PartialEq)]
pub struct Signup {
    pub id: i64,
    pub email: String,
    pub newsletter: String,
    pub consent: bool,
    pub consent_text: String,
    pub name: Option<String>,
    pub article: Option<String>,
    pub page: Option<String>,
    pub locale: String,
    pub status: String,
    pub created_at: i64,
    pub confirmed_at: Option<i64>,
}

impl Store {
    /// A token for the signups `covers` (the first names the row), in one transaction.
    async fn issue_token(&self, covers: &[i64], now: i64) -> Result<String, sqlx::Error> {
        let token = token().map_err(sqlx::Error::Protocol)?;
        let hash = token_hash(&token);
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO confirmations (token_hash, signup_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(&hash)
        .bind(covers.first().copied().unwrap_or_default())
        .bind(now)
        .bind(now.saturating_add(TOKEN_LIFETIME_MS))
        .execute(&mut *tx)
        .await?;
        for id in covers {
            sqlx::query("INSERT INTO confirmation_signups (token_hash, signup_id) VALUES ($1, $2)")
                .bind(&hash)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(token)
    }

    /// Adds a signup unless the address already has one for this newsletter, and queues the
    /// mail that goes with it, in one transaction: a signup never lacks its mail.
    pub async fn add(&self, s: &NewSignup, now: i64) -> Result<Added, sqlx::Error> {
        let added = self.add_all(std::slice::from_ref(s), None, now).await?;
        added
            .and_then(|mut a| a.pop())
            .ok_or(sqlx::Error::RowNotFound)
    }

    /// Adds one request's signups (one address, a newsletter each) and queues their mail in
    /// one transaction: the ones waiting for confirmation travel in one mail, whose link
    /// confirms them together; an address confirmed already gets one note, at most.
    ///
    /// `proof`, a proof-of-work challenge and when it expires (ms), is spent in the same
    /// transaction: `None` back, and nothing stored, when it was spent already; a failure
    /// leaves it unspent. Give the signups in a fixed order (by newsletter): two requests
    /// for one address then lock its rows in the same order, and never each other.
    pub async fn add_all(
        &self,
        all: &[NewSignup],
        proof: Option<(&str, i64)>,
        now: i64,
    ) -> Result<Option<Vec<Added>>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        if let Some((challenge, expires_ms)) = proof {
            let spent = sqlx::query(
                "INSERT INTO proofs_spent (challenge, expires_at) VALUES ($1, $2) \
                 ON CONFLICT (challenge) DO NOTHING",
            )
            .bind(challenge)
            .bind(expires_ms)
            .execute(&mut *tx)
            .await?;
            if spent.rows_affected() != 1 {
                tx.rollback().await?;
                return Ok(None);
            }
        }
        let mut added = Vec::with_capacity(all.len());
        for s in all {
            added.push(add_row(&mut tx, s, now).await?);
        }
        let waiting: Vec<i64> = added
            .iter()
            .filter_map(|a| match a {
                Added::New { signup_id } | Added::Pending { signup_id } => Some(*signup_id),
                Added::Confirmed { .. } => None,
            })
            .collect();
        // The mail goes with a new signup when there is one: a waiting signup's own mail may
        // be on its way already, its list of newsletters made.
        let lead = added
            .iter()
            .find_map(|a| match a {
                Added::New { signup_id } => Some(*signup_id),
                _ => None,
            })
            .or(waiting.first().copied());
        let note = added.iter().find_map(|a| match a {
            Added::Confirmed {
                signup_id,
                notified: true,
            } => Some(*signup_id),
            _ => None,
        });
        if let Some(lead) = lead {
            for id in &waiting {
                sqlx::query("UPDATE signups SET batch = $1 WHERE id = $2")
                    .bind(lead)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        for (signup_id, kind) in [(lead, CONFIRMATION), (note, ALREADY_SUBSCRIBED)] {
            let (Some(signup_id), Some(s)) = (signup_id, all.first()) else {
                continue;
            };
            // One waiting mail of a kind per signup: asking five times before it went out
            // sends it once, and counts once against the address's cap.
            let queued = sqlx::query(
                "INSERT INTO mail_queue (kind, signup_id, email, newsletter, created_at, next_at) \
                 SELECT $1, id, email, newsletter, $2, $3 FROM signups WHERE id = $4 \
                 ON CONFLICT (signup_id, kind) DO NOTHING RETURNING id",
            )
            .bind(kind)
            .bind(now)
            .bind(now)
            .bind(signup_id)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(queued) = queued {
                if !self.within_mail_cap(&mut tx, &s.email, now).await? {
                    sqlx::query("DELETE FROM mail_queue WHERE id = $1")
                        .bind(queued.try_get::<i64, _>("id")?)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(Some(added))
    }

    /// Whether one more mail may go to `email` now (at most [`MAIL_CAP`] in a day), and if
    /// so counts it. The row is written before it is read, so that on PostgreSQL a
    /// concurrent request for the same address waits for this transaction to end.
    async fn within_mail_cap(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        email: &str,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let key = format!("mail:{}", email_limit_key(email));
        let row = sqlx::query(
            "INSERT INTO mail_caps (key, sent_at, updated_at) VALUES ($1, '', $2) \
             ON CONFLICT (key) DO UPDATE SET updated_at = excluded.updated_at \
             RETURNING sent_at",
        )
        .bind(&key)
        .bind(now)
        .fetch_one(&mut **tx)
        .await?;
        let since = now.saturating_sub(super::DAY_MS);
        let mut sent: Vec<i64> = row
            .try_get::<String, _>("sent_at")?
            .split(',')
            .filter_map(|t| t.parse().ok())
            .filter(|t| *t > since)
            .collect();
        let allowed = sent.len() < MAIL_CAP;
        if allowed {
            sent.push(now);
        }
        let sent: Vec<String> = sent.iter().map(i64::to_string).collect();
        sqlx::query("UPDATE mail_caps SET sent_at = $1 WHERE key = $2")
            .bind(sent.join(","))
            .bind(&key)
            .execute(&mut **tx)
            .await?;
        Ok(allowed)
    }

    /// A new confirmation token, as a mail is sent (tokens are made then, so that only their
    /// hashes are ever stored), for the signups that mail carries: `signup_id` and those of
    /// its batch, still pending. With the newsletters' names, for the mail; `None` when
    /// nothing is pending any more.
    pub async fn token_for(
        &self,
        signup_id: i64,
        now: i64,
    ) -> Result<Option<(String, Vec<String>)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT id, newsletter FROM signups \
             WHERE (id = $1 OR batch = $1) AND status = 'pending' ORDER BY id",
        )
        .bind(signup_id)
        .fetch_all(&self.pool)
        .await?;
        if rows.is_empty() {
            return Ok(None);
        }
        let mut covers = Vec::with_capacity(rows.len());
        let mut names = Vec::with_capacity(rows.len());
        for row in &rows {
            covers.push(row.try_get::<i64, _>("id")?);
            names.push(row.try_get::<String, _>("newsletter")?);
        }
        let token = self.issue_token(&covers, now).await?;
        Ok(Some((token, names)))
    }

    /// The language of the card a signup came from (its mail speaks it).
    pub async fn locale_of(&self, signup_id: i64) -> Result<Option<String>, sqlx::Error> {
        sqlx::query("SELECT locale FROM signups WHERE id = $1")
            .bind(signup_id)
            .fetch_optional(&self.pool)
            .await?
            .map(|row| row.try_get("locale"))
            .transpose()
    }

    /// Forgets a token whose mail never left.
    pub async fn drop_token(&self, token: &str) -> Result<(), sqlx::Error> {
        for table in ["confirmation_signups", "confirmations"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE token_hash = $1"))
                .bind(token_hash(token))
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// What a token names, without using it (the page a link opens).
    pub async fn token(&self, token: &str, now: i64) -> Result<Token, sqlx::Error> {
        let hash = token_hash(token);
        let row =
            sqlx::query("SELECT expires_at, used_at FROM confirmations WHERE token_hash = $1")
                .bind(&hash)
                .fetch_optional(&self.pool)
                .await?;
        let Some(row) = row else {
            return Ok(Token::Unknown);
        };
        let used: Option<i64> = row.try_get("used_at")?;
        let expires: i64 = row.try_get("expires_at")?;
        let Some(Covered {
            newsletters,
            locale,
            subscribed,
            ..
        }) = covered(&self.pool, &hash).await?
        else {
            return Ok(Token::Unknown);
        };
        Ok(if subscribed {
            Token::Used {
                newsletters,
                locale,
            }
        } else if used.is_some() || expires <= now {
            Token::Expired { locale }
        } else {
            Token::Valid {
                newsletters,
                locale,
            }
        })
    }

    /// Uses a token: confirms the signups its mail listed, once; every other token of those
    /// signups is void. One transaction: a failure half-way leaves the token unused, to be
    /// pressed again.
    ///
    /// With `webhooks`, a `subscriber.confirmed` event per signup is queued in the same
    /// transaction.
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
        let Some(Covered {
            ids,
            newsletters,
            locale,
            subscribed,
        }) = covered(&mut *tx, &hash).await?
        else {
            tx.rollback().await?;
            return Ok(Confirmed::Unknown);
        };
        if !claimed {
            tx.rollback().await?;
            // Used or expired: what counts is whether the reader is subscribed.
            return Ok(if subscribed {
                Confirmed::Already {
                    newsletters,
                    locale,
                }
            } else {
                Confirmed::Expired { locale }
            });
        }
        let mut confirmed_now = false;
        for id in ids {
            // Whether this request confirmed is what the update says: of two links clicked
            // at once, the second waits for the first and then finds nothing pending.
            // (Sibling tokens are not touched: a subscribed signup's tokens are void by its
            // status, and updating them here could deadlock two such requests.)
            let now_subscribed = sqlx::query(
                "UPDATE signups SET status = 'subscribed', confirmed_at = $1 \
                 WHERE id = $2 AND status = 'pending'",
            )
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            confirmed_now |= now_subscribed;
            if webhooks && now_subscribed {
                let row = sqlx::query(&format!("SELECT {SUBSCRIBER} FROM signups WHERE id = $1"))
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
                let who = subscriber(&row)?;
                queue_event(&mut tx, events::CONFIRMED, &who, now).await?;
                sqlx::query("UPDATE signups SET webhook_told = 1 WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(if confirmed_now {
            Confirmed::Now {
                newsletters,
                locale,
            }
        } else {
            Confirmed::Already {
                newsletters,
                locale,
            }
        })
    }

    /// Erases an address everywhere the database holds it (GDPR art. 17): its signups, their
    /// tokens, its mail and webhook rows sent or not, its rate-limit counts. A
    /// `subscriber.deleted` event is queued for each confirmed signup a webhook was told of,
    /// and goes, address and all, once delivered.
    pub async fn erase(&self, email: &str, now: i64) -> Result<Erased, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        // A write first: on SQLite a transaction that begins by reading cannot wait for
        // another process's write lock, it fails at once.
        sqlx::query(
            "DELETE FROM confirmations WHERE token_hash IN (SELECT c.token_hash \
             FROM confirmation_signups c JOIN signups s ON s.id = c.signup_id WHERE s.email = $1)",
        )
        .bind(email)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM confirmation_signups \
             WHERE signup_id IN (SELECT id FROM signups WHERE email = $1)",
        )
        .bind(email)
        .execute(&mut *tx)
        .await?;
        let rows = sqlx::query(&format!(
            "SELECT id, status, webhook_told, {SUBSCRIBER} FROM signups WHERE email = $1"
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
        sqlx::query("DELETE FROM mail_caps WHERE key = $1")
            .bind(format!("mail:{}", email_limit_key(email)))
            .execute(&mut *tx)
            .await?;
        let signups = sqlx::query("DELETE FROM signups WHERE email = $1")
            .bind(email)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        // Whoever erases, with whatever flags: a provider told of a subscriber hears of
        // its erasure from the servers' delivery jobs.
        let mut queued = 0;
        for row in &rows {
            let told = row.try_get::<i64, _>("webhook_told")? != 0;
            if told && row.try_get::<String, _>("status")? == "subscribed" {
                queue_event(&mut tx, events::DELETED, &subscriber(row)?, now).await?;
                queued += 1;
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
            "SELECT id, email, newsletter, consent, consent_text, name, article, page, locale, \
             status, created_at, confirmed_at FROM signups ORDER BY id",
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
                    name: r.try_get("name")?,
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

/// The signups a token confirms.
struct Covered {
    ids: Vec<i64>,
    newsletters: Vec<String>,
    locale: String,
    /// All of them confirmed.
    subscribed: bool,
}

/// What the token with `hash` covers; `None` when nothing (unknown, or erased since).
async fn covered<'e, E>(db: E, hash: &str) -> Result<Option<Covered>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows = sqlx::query(
        "SELECT s.id, s.status, s.newsletter, s.locale FROM confirmation_signups c \
         JOIN signups s ON s.id = c.signup_id WHERE c.token_hash = $1 ORDER BY s.id",
    )
    .bind(hash)
    .fetch_all(db)
    .await?;
    let mut covered = Covered {
        ids: Vec::with_capacity(rows.len()),
        newsletters: Vec::with_capacity(rows.len()),
        locale: String::new(),
        subscribed: true,
    };
    for row in &rows {
        covered.ids.push(row.try_get("id")?);
        covered.newsletters.push(row.try_get("newsletter")?);
        covered.locale = row.try_get("locale")?;
        covered.subscribed &= row.try_get::<String, _>("status")? == "subscribed";
    }
    Ok((!rows.is_empty()).then_some(covered))
}

/// One signup of a request: a new row, or what the address has for that newsletter.
async fn add_row(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    s: &NewSignup,
    now: i64,
) -> Result<Added, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO signups \
         (email, newsletter, consent, consent_text, article, page, locale, status, created_at, name) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9) \
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
    .bind(&s.name)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(row) = inserted {
        return Ok(Added::New {
            signup_id: row.try_get("id")?,
        });
    }
    let row = sqlx::query("SELECT id, status FROM signups WHERE email = $1 AND newsletter = $2")
        .bind(&s.email)
        .bind(&s.newsletter)
        .fetch_one(&mut **tx)
        .await?;
    let signup_id: i64 = row.try_get("id")?;
    let status: String = row.try_get("status")?;
    if status == "pending" {
        return Ok(Added::Pending { signup_id });
    }
    // Claimed in one statement, so that concurrent requests queue one note.
    let claimed = sqlx::query(
        "UPDATE signups SET notified_at = $1 \
         WHERE id = $2 AND (notified_at IS NULL OR notified_at <= $3)",
    )
    .bind(now)
    .bind(signup_id)
    .bind(now.saturating_sub(NOTICE_EVERY_MS))
    .execute(&mut **tx)
    .await?;
    Ok(Added::Confirmed {
        signup_id,
        notified: claimed.rows_affected() == 1,
    })
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
const SUBSCRIBER: &str =
    "email, newsletter, consent_text, name, confirmed_at, article, page, locale";

fn subscriber(row: &sqlx::any::AnyRow) -> Result<events::Subscriber, sqlx::Error> {
    Ok(events::Subscriber {
        email: row.try_get("email")?,
        newsletter: row.try_get("newsletter")?,
        consent_text: row.try_get("consent_text")?,
        name: row.try_get("name")?,
        confirmed_at: row.try_get("confirmed_at")?,
        article: row.try_get("article")?,
        page: row.try_get("page")?,
        locale: row.try_get("locale")?,
    })
}

async fn queue_event(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    kind: &str,
    who: &events::Subscriber,
    now: i64,
) -> Result<(), sqlx::Error> {
    let (id, payload) = events::event(kind, who, now).map_err(sqlx::Error::Protocol)?;
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

/// The signups as CSV (RFC 4180), times in UTC ISO 8601.
pub fn to_csv(rows: &[Signup]) -> String {
    let mut out = String::from(
        "id,email,newsletter,consent,consent_text,article,page,locale,status,created_at,confirmed_at,name\r\n",
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
            r.name.clone().unwrap_or_default(),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

pub fn csv_field(s: &str) -> String {
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
