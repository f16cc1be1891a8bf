//! What an operator watches (SPEC 6.2): `GET /healthz` (200 when the database answers, 503
//! otherwise) and `GET /metrics` in Prometheus text (OpenMetrics). Signups and queue depths are
//! read from the database (the same for every process); counters and the latency
//! histogram are this process's, as Prometheus expects of each instance it scrapes. The
//! metrics and their text are prometheus-client's (OpenMetrics, what Prometheus asks for).

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use super::App;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// What `/metrics` is served as: OpenMetrics, which Prometheus asks for and reads.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Status {
    status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Queue {
    queue: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Reason {
    reason: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Outcome {
    result: &'static str,
}

type Level = Gauge<i64, AtomicI64>;

pub struct Metrics {
    registry: Registry,
    signups: Family<Status, Level>,
    queues: Family<Queue, Level>,
    refusals: Family<Reason, Counter>,
    mail: Family<Outcome, Counter>,
    webhooks: Family<Outcome, Counter>,
    failing: Level,
    latency: Histogram,
}

impl Default for Metrics {
    fn default() -> Metrics {
        let mut registry = Registry::with_prefix("article_embed");
        let signups = Family::<Status, Level>::default();
        let queues = Family::<Queue, Level>::default();
        let refusals = Family::<Reason, Counter>::default();
        let mail = Family::<Outcome, Counter>::default();
        let webhooks = Family::<Outcome, Counter>::default();
        let failing = Level::default();
        let latency = Histogram::new(BUCKETS);
        registry.register(
            "signups",
            "Signups in the database, by status",
            signups.clone(),
        );
        registry.register(
            "queue_depth",
            "Rows waiting in a delivery queue",
            queues.clone(),
        );
        registry.register(
            "refusals",
            "Signup requests refused, by reason",
            refusals.clone(),
        );
        registry.register("mail", "Mail sends, by result", mail.clone());
        registry.register("webhook", "Webhook deliveries, by result", webhooks.clone());
        registry.register(
            "webhook_events_failing",
            "Webhook events still undelivered a day after they were queued",
            failing.clone(),
        );
        registry.register(
            "request_duration_seconds",
            "Time to answer a request",
            latency.clone(),
        );
        Metrics {
            registry,
            signups,
            queues,
            refusals,
            mail,
            webhooks,
            failing,
            latency,
        }
    }
}

impl Metrics {
    pub fn refused(&self, reason: &str) {
        let reason = reason.to_owned();
        self.refusals.get_or_create(&Reason { reason }).inc();
    }
    pub fn mail_sent(&self) {
        self.mail.get_or_create(&Outcome { result: "sent" }).inc();
    }
    pub fn mail_failed(&self) {
        self.mail.get_or_create(&Outcome { result: "failed" }).inc();
    }
    pub fn webhook_delivered(&self) {
        self.webhooks
            .get_or_create(&Outcome {
                result: "delivered",
            })
            .inc();
    }
    pub fn webhook_failed(&self) {
        self.webhooks
            .get_or_create(&Outcome { result: "failed" })
            .inc();
    }

    pub fn observe(&self, took: Duration) {
        self.latency.observe(took.as_secs_f64());
    }

    /// The OpenMetrics text, given what the database says.
    pub fn render(&self, signups: &[(String, i64)], queues: (i64, i64), failing: i64) -> String {
        self.failing.set(failing);
        for status in ["pending", "subscribed"] {
            let n = signups
                .iter()
                .find(|(s, _)| s == status)
                .map_or(0, |(_, n)| *n);
            self.signups.get_or_create(&Status { status }).set(n);
        }
        self.queues
            .get_or_create(&Queue { queue: "mail" })
            .set(queues.0);
        self.queues
            .get_or_create(&Queue { queue: "webhook" })
            .set(queues.1);
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

/// Times every request.
pub(crate) async fn timed(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let response = next.run(request).await;
    app.metrics.observe(started.elapsed());
    response
}

/// A write probe runs at most this often; `/healthz` answers from the last one between.
const PROBE_EVERY: Duration = Duration::from_secs(5);
/// ... or once a second at most, after a request failed to write.
const PROBE_AFTER_FAILURE: Duration = Duration::from_secs(1);

/// Whether the store can be written, as last probed.
#[derive(Default)]
pub struct Health {
    last: tokio::sync::Mutex<Option<(Instant, Result<(), String>)>>,
    failed_since: std::sync::atomic::AtomicBool,
}

impl Health {
    /// A request could not write: the next `/healthz` probes again rather than trust the
    /// last probe.
    pub fn write_failed(&self) {
        self.failed_since.store(true, Ordering::SeqCst);
    }

    /// Probes (one probe at a time; callers meanwhile wait for its answer) unless the last
    /// probe is recent enough.
    async fn check(&self, store: &crate::store::Store) -> Result<(), String> {
        let mut last = self.last.lock().await;
        if let Some((at, result)) = last.as_ref() {
            let fresh = if self.failed_since.load(Ordering::SeqCst) {
                PROBE_AFTER_FAILURE
            } else {
                PROBE_EVERY
            };
            if at.elapsed() < fresh {
                return result.clone();
            }
        }
        self.failed_since.store(false, Ordering::SeqCst);
        let probe = tokio::time::timeout(
            Duration::from_secs(2),
            store.probe_write(crate::time::now_ms()),
        );
        let result = match probe.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(format!("the database cannot be written: {e}")),
            Err(_) => Err("the database did not answer a write within 2 s".to_owned()),
        };
        *last = Some((Instant::now(), result.clone()));
        result
    }
}

/// `GET /healthz`: readiness. 200 when the database can be written (a real write, probed at
/// most every 5 s), else 503 naming the cause, so that a balancer sends readers elsewhere
/// and an operator sees why.
pub(crate) async fn healthz(State(app): State<Arc<App>>) -> Response {
    let (status, body) = match app.health.check(&app.store).await {
        Ok(()) => (StatusCode::OK, serde_json::json!({ "status": "ok" })),
        Err(cause) => (
            StatusCode::SERVICE_UNAVAILABLE,
            serde_json::json!({ "status": "unavailable", "cause": cause }),
        ),
    };
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body.to_string(),
    )
        .into_response()
}

/// `GET /livez`: liveness. 200 while the process answers at all, whatever its database:
/// restarting the process does not mend a full disk.
pub(crate) async fn livez() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        "{\"status\":\"ok\"}",
    )
        .into_response()
}

/// `GET /metrics`.
pub(crate) async fn metrics(State(app): State<Arc<App>>) -> Response {
    let signups = app.store.signups_by_status().await;
    let queues = app.store.queue_depths().await;
    let failing = app
        .store
        .events_failing_for_a_day(crate::time::now_ms())
        .await;
    let (Ok(signups), Ok(queues), Ok(failing)) = (signups, queues, failing) else {
        return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response();
    };
    (
        [
            (header::CONTENT_TYPE, CONTENT_TYPE),
            (header::CACHE_CONTROL, "no-store"),
        ],
        app.metrics.render(&signups, queues, failing),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[test]
    fn prometheus_text() {
        let m = Metrics::default();
        m.refused("invalid_email");
        m.refused("invalid_email");
        m.mail_sent();
        m.observe(Duration::from_millis(3));
        m.observe(Duration::from_millis(30));
        m.observe(Duration::from_secs(60));
        let text = m.render(&[("pending".into(), 4)], (2, 1), 1);
        for line in [
            "article_embed_signups{status=\"pending\"} 4",
            "article_embed_signups{status=\"subscribed\"} 0",
            "article_embed_queue_depth{queue=\"mail\"} 2",
            "article_embed_queue_depth{queue=\"webhook\"} 1",
            "article_embed_refusals_total{reason=\"invalid_email\"} 2",
            "article_embed_mail_total{result=\"sent\"} 1",
            "article_embed_webhook_events_failing 1",
            "article_embed_request_duration_seconds_bucket{le=\"0.005\"} 1",
            "article_embed_request_duration_seconds_bucket{le=\"0.05\"} 2",
            "article_embed_request_duration_seconds_bucket{le=\"10.0\"} 2",
            "article_embed_request_duration_seconds_bucket{le=\"+Inf\"} 3",
            "article_embed_request_duration_seconds_count 3",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} not in\n{text}");
        }
        assert!(text.ends_with("# EOF\n"), "{text}");
    }

    #[tokio::test]
    async fn healthz_and_metrics() {
        let env = env(|_| {}).await;
        env.subscribe(signup("m@example.org"), None).await;
        env.subscribe(signup("not-an-address"), None).await;
        let health = env.send(get("/healthz")).await;
        assert_eq!(health.status, StatusCode::OK);
        assert_eq!(health.json()["status"], "ok");
        assert_eq!(env.send(get("/livez")).await.status, StatusCode::OK);
        // Not on the public port: who is on the list shows in these numbers.
        assert_eq!(
            env.send(get("/metrics")).await.status,
            StatusCode::NOT_FOUND
        );
        let metrics = env.send_metrics(get("/metrics")).await;
        assert!(metrics.headers[header::CONTENT_TYPE]
            .to_str()
            .is_ok_and(|t| t.starts_with("application/openmetrics-text; version=1.0.0")));
        for line in [
            "article_embed_signups{status=\"pending\"} 1",
            "article_embed_queue_depth{queue=\"mail\"} 1",
            "article_embed_refusals_total{reason=\"invalid_email\"} 1",
        ] {
            assert!(
                metrics.body.lines().any(|l| l == line),
                "{line} in\n{}",
                metrics.body
            );
        }
        assert!(metrics
            .body
            .contains("article_embed_request_duration_seconds_count"));
    }

    #[tokio::test]
    async fn healthz_names_why_the_database_cannot_be_written() {
        let env = env(|_| {}).await;
        env.app.store.close().await;
        let health = env.send(get("/healthz")).await;
        assert_eq!(health.status, StatusCode::SERVICE_UNAVAILABLE);
        let cause = health.json()["cause"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(cause.contains("cannot be written"), "{cause}");
        assert_eq!(
            env.send(get("/livez")).await.status,
            StatusCode::OK,
            "alive, though not ready"
        );
    }
}
