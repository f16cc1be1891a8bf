//! Where signups are kept: SQLite by default, PostgreSQL by URL, through sqlx's `Any`
//! driver, so the same queries (with `$n` parameters, which both understand) serve both.
//! Migrations live in `migrations/<backend>/` and are embedded in the binary.

use std::fmt::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor, Row};

static SQLITE: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("migrations/postgres");

pub const DEFAULT_DB: &str = "sqlite://article-embed.db";

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
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

#[derive(Debug, Clone, PartialEq)]
pub enum Added {
    /// A new row, `pending` until confirmed with this token.
    New { token: String },
    /// The address was already signed up to this newsletter; no row was added.
    Existing { status: String, token: String },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Confirmed {
    Now { newsletter: String },
    Already { newsletter: String },
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
    pub article: Option<String>,
    pub page: Option<String>,
    pub locale: String,
    pub status: String,
    pub created_at: i64,
    pub confirmed_at: Option<i64>,
}

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// 128 random bits, hex: unguessable confirmation tokens.
pub fn token() -> Result<String, String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness for a token: {e}"))?;
    Ok(bytes.iter().fold(String::with_capacity(32), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    }))
}

impl Store {
    /// Opens (and for SQLite creates) the database and brings its schema up to date.
    pub async fn open(url: &str) -> Result<Store, String> {
        sqlx::any::install_default_drivers();
        let sqlite = url.starts_with("sqlite:");
        if !sqlite && !url.starts_with("postgres://") && !url.starts_with("postgresql://") {
            return Err(format!(
                "unsupported database URL {url:?}: use sqlite://PATH or postgres://…"
            ));
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
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(|e| format!("cannot open {url}: {e}"))?;
        if sqlite {
            // Readers do not block the writer; kept in the file, so once is enough.
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await
                .map_err(|e| format!("cannot switch {url} to WAL: {e}"))?;
        }
        let migrator = if sqlite { &SQLITE } else { &POSTGRES };
        migrator
            .run(&pool)
            .await
            .map_err(|e| format!("cannot migrate {url}: {e}"))?;
        Ok(Store { pool })
    }

    /// Adds a signup unless the address already has one for this newsletter.
    pub async fn add(&self, s: &NewSignup) -> Result<Added, sqlx::Error> {
        let token = token().map_err(sqlx::Error::Protocol)?;
        let inserted = sqlx::query(
            "INSERT INTO signups \
             (email, newsletter, consent, consent_text, article, page, locale, status, token, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9) \
             ON CONFLICT (email, newsletter) DO NOTHING",
        )
        .bind(&s.email)
        .bind(&s.newsletter)
        .bind(i64::from(s.consent))
        .bind(&s.consent_text)
        .bind(&s.article)
        .bind(&s.page)
        .bind(&s.locale)
        .bind(&token)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        if inserted.rows_affected() == 1 {
            return Ok(Added::New { token });
        }
        let row =
            sqlx::query("SELECT status, token FROM signups WHERE email = $1 AND newsletter = $2")
                .bind(&s.email)
                .bind(&s.newsletter)
                .fetch_one(&self.pool)
                .await?;
        Ok(Added::Existing {
            status: row.try_get("status")?,
            token: row.try_get("token")?,
        })
    }

    pub async fn confirm(&self, token: &str) -> Result<Confirmed, sqlx::Error> {
        let row = sqlx::query("SELECT newsletter, status FROM signups WHERE token = $1")
            .bind(token)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else {
            return Ok(Confirmed::Unknown);
        };
        let newsletter: String = row.try_get("newsletter")?;
        let updated = sqlx::query(
            "UPDATE signups SET status = 'subscribed', confirmed_at = $1 \
             WHERE token = $2 AND status = 'pending'",
        )
        .bind(now_ms())
        .bind(token)
        .execute(&self.pool)
        .await?;
        Ok(if updated.rows_affected() == 1 {
            Confirmed::Now { newsletter }
        } else {
            Confirmed::Already { newsletter }
        })
    }

    /// The answer given to an `Idempotency-Key` before, if any.
    pub async fn recall(&self, key: &str) -> Result<Option<(u16, String)>, sqlx::Error> {
        let row = sqlx::query("SELECT status, body FROM idempotency WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            let status: i64 = r.try_get("status")?;
            Ok((u16::try_from(status).unwrap_or(500), r.try_get("body")?))
        })
        .transpose()
    }

    pub async fn remember(&self, key: &str, status: u16, body: &str) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO idempotency (key, status, body, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (key) DO NOTHING",
        )
        .bind(key)
        .bind(i64::from(status))
        .bind(body)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
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

/// Milliseconds since the epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub fn iso_time(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rest = ms.rem_euclid(86_400_000);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1_000 % 60,
        rest % 1_000
    )
}
