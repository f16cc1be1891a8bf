//! Which partner sites and stories bring subscribers, without trackers: the signups the
//! server already keeps, counted by the origin of the page the card was on, the article and
//! the day (UTC) of the signup. `article-embed signups stats` prints them; the metrics
//! listener serves them as JSON at `/stats`.

use std::collections::BTreeMap;

use crate::store::Signup;

/// Signups of one partner origin, article and day.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Row {
    /// The origin of the page the card was on (`https://partner.example`), or `unknown`.
    pub origin: String,
    /// The story's URL, or `unknown`.
    pub article: String,
    /// `YYYY-MM-DD`, UTC.
    pub day: String,
    pub confirmed: u64,
    pub pending: u64,
}

const UNKNOWN: &str = "unknown";

/// The rows, by origin, article and day, in that order.
pub fn count(signups: &[Signup]) -> Vec<Row> {
    let mut rows: BTreeMap<(String, String, String), (u64, u64)> = BTreeMap::new();
    for s in signups {
        let origin = s
            .page
            .as_deref()
            .and_then(crate::requests::headers::origin_of)
            .unwrap_or_else(|| UNKNOWN.to_owned());
        let article = s.article.clone().unwrap_or_else(|| UNKNOWN.to_owned());
        let day = crate::time::iso_time(s.created_at)
            .get(..10)
            .unwrap_or_default()
            .to_owned();
        let counts = rows.entry((origin, article, day)).or_default();
        match s.status.as_str() {
            "subscribed" => counts.0 += 1,
            "pending" => counts.1 += 1,
            _ => {}
        }
    }
    rows.into_iter()
        .filter(|(_, (confirmed, pending))| confirmed + pending > 0)
        .map(|((origin, article, day), (confirmed, pending))| Row {
            origin,
            article,
            day,
            confirmed,
            pending,
        })
        .collect()
}

/// The rows as CSV (RFC 4180).
pub fn to_csv(rows: &[Row]) -> String {
    let mut out = String::from("origin,article,day,confirmed,pending\r\n");
    for r in rows {
        let fields = [
            crate::store::csv_field(&r.origin),
            crate::store::csv_field(&r.article),
            r.day.clone(),
            r.confirmed.to_string(),
            r.pending.to_string(),
        ];
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The rows as a table for a terminal, each origin closed by its total.
pub fn to_table(rows: &[Row]) -> String {
    let mut lines: Vec<[String; 5]> = vec![[
        "origin".into(),
        "article".into(),
        "day".into(),
        "confirmed".into(),
        "pending".into(),
    ]];
    let mut i = 0;
    while let Some(first) = rows.get(i) {
        let (mut confirmed, mut pending) = (0, 0);
        while let Some(r) = rows.get(i).filter(|r| r.origin == first.origin) {
            lines.push([
                r.origin.clone(),
                r.article.clone(),
                r.day.clone(),
                r.confirmed.to_string(),
                r.pending.to_string(),
            ]);
            confirmed += r.confirmed;
            pending += r.pending;
            i += 1;
        }
        lines.push([
            first.origin.clone(),
            "(all)".into(),
            "(all)".into(),
            confirmed.to_string(),
            pending.to_string(),
        ]);
    }
    let widths: Vec<usize> = (0..5)
        .map(|c| {
            lines
                .iter()
                .map(|l| l.get(c).map_or(0, |f| f.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for line in &lines {
        let cells: Vec<String> = line
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(c, (field, width))| {
                let pad = width.saturating_sub(field.chars().count());
                // Counts right-aligned, text left-aligned.
                if c >= 3 {
                    format!("{}{field}", " ".repeat(pad))
                } else {
                    format!("{field}{}", " ".repeat(pad))
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// The rows for the signups `store` keeps.
pub async fn read(store: &crate::store::Store) -> Result<Vec<Row>, sqlx::Error> {
    Ok(count(&store.all().await?))
}

/// The rows as JSON: `{"rows": [...]}`, for `/stats` and `signups stats --format json`.
pub fn to_json(rows: &[Row]) -> serde_json::Value {
    serde_json::json!({ "rows": rows })
}

/// `GET /stats` on the metrics listener: the rows as JSON.
pub async fn endpoint(
    axum::extract::State(app): axum::extract::State<std::sync::Arc<crate::App>>,
) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    match read(&app.store).await {
        Ok(rows) => axum::Json(to_json(&rows)).into_response(),
        Err(e) => (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            format!("cannot read the signups: {e}\n"),
        )
            .into_response(),
    }
}
