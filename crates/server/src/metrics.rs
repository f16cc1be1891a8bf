//! What an operator watches (SPEC 6.2): `GET /healthz` (200 when the database answers, 503
//! otherwise) and `GET /metrics` in Prometheus text format. Signups and queue depths are
//! read from the database (the same for every process); counters and the latency
//! histogram are this process's, as Prometheus expects of each instance it scrapes.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::App;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Default)]
pub struct Metrics {
    refusals: Mutex<BTreeMap<String, u64>>,
    mail_sent: AtomicU64,
    mail_failed: AtomicU64,
    webhooks_delivered: AtomicU64,
    webhooks_failed: AtomicU64,
    /// Counts per bucket (not cumulative), then the requests slower than every bucket.
    latency: [AtomicU64; BUCKETS.len() + 1],
    latency_sum_us: AtomicU64,
}

impl Metrics {
    pub fn refused(&self, reason: &str) {
        let mut refusals = self.refusals.lock().unwrap_or_else(|p| p.into_inner());
        *refusals.entry(reason.to_owned()).or_default() += 1;
    }
    pub fn mail_sent(&self) {
        self.mail_sent.fetch_add(1, Ordering::Relaxed);
    }
    pub fn mail_failed(&self) {
        self.mail_failed.fetch_add(1, Ordering::Relaxed);
    }
    pub fn webhook_delivered(&self) {
        self.webhooks_delivered.fetch_add(1, Ordering::Relaxed);
    }
    pub fn webhook_failed(&self) {
        self.webhooks_failed.fetch_add(1, Ordering::Relaxed);
    }

    pub fn observe(&self, took: Duration) {
        let seconds = took.as_secs_f64();
        let bucket = BUCKETS
            .iter()
            .position(|b| seconds <= *b)
            .unwrap_or(BUCKETS.len());
        if let Some(count) = self.latency.get(bucket) {
            count.fetch_add(1, Ordering::Relaxed);
        }
        let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        self.latency_sum_us.fetch_add(micros, Ordering::Relaxed);
    }

    /// The Prometheus text, given what the database says.
    pub fn render(&self, signups: &[(String, i64)], queues: (i64, i64)) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP article_embed_signups Signups in the database, by status."
        );
        let _ = writeln!(out, "# TYPE article_embed_signups gauge");
        for status in ["pending", "subscribed"] {
            let n = signups
                .iter()
                .find(|(s, _)| s == status)
                .map_or(0, |(_, n)| *n);
            let _ = writeln!(out, "article_embed_signups{{status=\"{status}\"}} {n}");
        }
        let _ = writeln!(
            out,
            "# HELP article_embed_queue_depth Rows waiting in a delivery queue."
        );
        let _ = writeln!(out, "# TYPE article_embed_queue_depth gauge");
        let _ = writeln!(
            out,
            "article_embed_queue_depth{{queue=\"mail\"}} {}",
            queues.0
        );
        let _ = writeln!(
            out,
            "article_embed_queue_depth{{queue=\"webhook\"}} {}",
            queues.1
        );
        let _ = writeln!(
            out,
            "# HELP article_embed_refusals_total Signup requests refused, by reason."
        );
        let _ = writeln!(out, "# TYPE article_embed_refusals_total counter");
        let refusals = self.refusals.lock().unwrap_or_else(|p| p.into_inner());
        for (reason, n) in refusals.iter() {
            let _ = writeln!(
                out,
                "article_embed_refusals_total{{reason=\"{reason}\"}} {n}"
            );
        }
        drop(refusals);
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "# HELP article_embed_mail_total Mail sends, by result."
        );
        let _ = writeln!(out, "# TYPE article_embed_mail_total counter");
        let _ = writeln!(
            out,
            "article_embed_mail_total{{result=\"sent\"}} {}",
            load(&self.mail_sent)
        );
        let _ = writeln!(
            out,
            "article_embed_mail_total{{result=\"failed\"}} {}",
            load(&self.mail_failed)
        );
        let _ = writeln!(
            out,
            "# HELP article_embed_webhook_total Webhook deliveries, by result."
        );
        let _ = writeln!(out, "# TYPE article_embed_webhook_total counter");
        let _ = writeln!(
            out,
            "article_embed_webhook_total{{result=\"delivered\"}} {}",
            load(&self.webhooks_delivered)
        );
        let _ = writeln!(
            out,
            "article_embed_webhook_total{{result=\"failed\"}} {}",
            load(&self.webhooks_failed)
        );
        let _ = writeln!(
            out,
            "# HELP article_embed_request_duration_seconds Time to answer a request."
        );
        let _ = writeln!(
            out,
            "# TYPE article_embed_request_duration_seconds histogram"
        );
        let mut cumulative = 0;
        for (bound, count) in BUCKETS.iter().zip(&self.latency) {
            cumulative += load(count);
            let _ = writeln!(
                out,
                "article_embed_request_duration_seconds_bucket{{le=\"{bound}\"}} {cumulative}"
            );
        }
        cumulative += self.latency.last().map_or(0, load);
        let _ = writeln!(
            out,
            "article_embed_request_duration_seconds_bucket{{le=\"+Inf\"}} {cumulative}"
        );
        let sum = load(&self.latency_sum_us) as f64 / 1e6;
        let _ = writeln!(out, "article_embed_request_duration_seconds_sum {sum}");
        let _ = writeln!(
            out,
            "article_embed_request_duration_seconds_count {cumulative}"
        );
        out
    }
}

/// Times every request.
pub(super) async fn timed(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let response = next.run(request).await;
    app.metrics.observe(started.elapsed());
    response
}

/// `GET /healthz`: does the database answer (within 2 s)?
pub(super) async fn healthz(State(app): State<Arc<App>>) -> Response {
    let ok = matches!(
        tokio::time::timeout(Duration::from_secs(2), app.store.ping()).await,
        Ok(Ok(()))
    );
    let (status, body) = if ok {
        (StatusCode::OK, "ok\n")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
    };
    (
        status,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// `GET /metrics`.
pub(super) async fn metrics(State(app): State<Arc<App>>) -> Response {
    let signups = app.store.signups_by_status().await;
    let queues = app.store.queue_depths().await;
    let (Ok(signups), Ok(queues)) = (signups, queues) else {
        return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response();
    };
    (
        [
            (
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        app.metrics.render(&signups, queues),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prometheus_text() {
        let m = Metrics::default();
        m.refused("invalid_email");
        m.refused("invalid_email");
        m.mail_sent();
        m.observe(Duration::from_millis(3));
        m.observe(Duration::from_millis(30));
        m.observe(Duration::from_secs(60));
        let text = m.render(&[("pending".into(), 4)], (2, 1));
        for line in [
            "article_embed_signups{status=\"pending\"} 4",
            "article_embed_signups{status=\"subscribed\"} 0",
            "article_embed_queue_depth{queue=\"mail\"} 2",
            "article_embed_queue_depth{queue=\"webhook\"} 1",
            "article_embed_refusals_total{reason=\"invalid_email\"} 2",
            "article_embed_mail_total{result=\"sent\"} 1",
            "article_embed_request_duration_seconds_bucket{le=\"0.005\"} 1",
            "article_embed_request_duration_seconds_bucket{le=\"0.05\"} 2",
            "article_embed_request_duration_seconds_bucket{le=\"10\"} 2",
            "article_embed_request_duration_seconds_bucket{le=\"+Inf\"} 3",
            "article_embed_request_duration_seconds_count 3",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} not in\n{text}");
        }
    }
}
