//! The harness of the server's tests: the router `serve` runs over a real SQLite file in a
//! temporary folder (requests go through tower's `oneshot`, no socket), and what many tests
//! need (a signup, a link's token, a webhook receiver on a real port).

pub(crate) use std::net::SocketAddr;
pub(crate) use std::path::PathBuf;
pub(crate) use std::sync::Arc;
pub(crate) use std::time::Duration;

pub(crate) use axum::body::Body;
pub(crate) use axum::extract::ConnectInfo;
pub(crate) use axum::http::{header, Request as HttpRequest, StatusCode};
pub(crate) use axum::Router;
pub(crate) use tower::ServiceExt;

pub(crate) use crate::{router, store, time, tokens, App, Config};
pub(crate) use article_embed_card::i18n;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The repository: its articles/ are the tests' stories.
pub(crate) const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

pub(crate) static NEXT: AtomicUsize = AtomicUsize::new(0);

pub(crate) struct Env {
    pub(crate) dir: PathBuf,
    pub(crate) config: Config,
    pub(crate) app: Arc<App>,
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub(crate) async fn env(tune: impl FnOnce(&mut Config)) -> Env {
    let dir = std::env::temp_dir().join(format!(
        "article-embed-test-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut config = Config::new("127.0.0.1:8080".parse().expect("addr"));
    config.data_dir = dir.join("data");
    config.articles = PathBuf::from(REPO).join("articles");
    config.dist = dir.join("dist");
    tune(&mut config);
    config.check().expect("a safe configuration");
    let app = App::new(&config).await.expect("app starts");
    Env { dir, config, app }
}

pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) headers: axum::http::HeaderMap,
    pub(crate) body: String,
}

impl Reply {
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl Env {
    pub(crate) async fn send(&self, request: HttpRequest<Body>) -> Reply {
        self.send_to(router(Arc::clone(&self.app), &self.config), request)
            .await
    }

    /// A request to `--metrics-addr`.
    pub(crate) async fn send_metrics(&self, request: HttpRequest<Body>) -> Reply {
        self.send_to(crate::metrics_router(Arc::clone(&self.app)), request)
            .await
    }

    async fn send_to(&self, routes: Router, request: HttpRequest<Body>) -> Reply {
        let mut request = request;
        if request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .is_none()
        {
            request
                .extensions_mut()
                .insert(ConnectInfo(SocketAddr::from(([192, 0, 2, 1], 5000))));
        }
        let response = routes.oneshot(request).await.expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub(crate) async fn subscribe(&self, body: serde_json::Value, key: Option<&str>) -> Reply {
        let mut request =
            HttpRequest::post("/api/subscribe").header("content-type", "application/json");
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        self.send(request.body(Body::from(body.to_string())).expect("request"))
            .await
    }

    pub(crate) async fn rows(&self) -> Vec<store::Signup> {
        self.app.store.all().await.expect("rows")
    }

    pub(crate) async fn mails(&self) -> Vec<String> {
        self.app.deliver_due().await;
        std::fs::read_dir(self.config.mail_dir())
            .map(|dir| {
                dir.filter_map(Result::ok)
                    .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                    .collect()
            })
            .unwrap_or_default()
    }
}

pub(crate) fn signup(email: &str) -> serde_json::Value {
    serde_json::json!({
        "email": email, "newsletter": "The Jerusalem Post Newsletter", "consent": true,
        "article": "https://news.example/story", "page": "https://publisher.example/page",
        "locale": "en"
    })
}

pub(crate) fn token_in(mail: &str) -> String {
    // Undo quoted-printable, should the mail have needed it.
    let mail = mail.replace("=\r\n", "").replace("=3D", "=");
    let start = mail.find("token=").expect("a link with a token") + 6;
    mail[start..start + 32].to_owned()
}

pub(crate) fn get(path: &str) -> HttpRequest<Body> {
    HttpRequest::get(path).body(Body::empty()).expect("req")
}

/// A signup posted as a plain form (no script) with this urlencoded body.
pub(crate) fn form_post(body: impl Into<String>) -> HttpRequest<Body> {
    HttpRequest::post("/api/subscribe")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body.into()))
        .expect("req")
}

pub(crate) fn confirm_post(token: &str) -> HttpRequest<Body> {
    HttpRequest::post("/api/confirm")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(format!("token={token}")))
        .expect("req")
}

pub(crate) type Received =
    Arc<std::sync::Mutex<Vec<(std::collections::HashMap<String, String>, serde_json::Value)>>>;

/// A webhook receiver on a real port that answers with `statuses` in turn (then 200).
pub(crate) async fn receiver(statuses: Vec<u16>) -> (String, Received) {
    let received: Received = Arc::default();
    let answers = Arc::new(std::sync::Mutex::new(statuses.into_iter()));
    let sink = Arc::clone(&received);
    let hook = axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
        let sink = Arc::clone(&sink);
        let answers = Arc::clone(&answers);
        async move {
            let wanted = ["webhook-id", "webhook-timestamp", "webhook-signature"];
            let headers = wanted
                .iter()
                .filter_map(|h| Some(((*h).to_owned(), headers.get(*h)?.to_str().ok()?.to_owned())))
                .collect();
            let json: serde_json::Value = serde_json::from_str(&body).expect("JSON body");
            sink.lock().expect("lock").push((headers, json));
            let status = answers.lock().expect("lock").next().unwrap_or(200);
            StatusCode::from_u16(status).expect("status")
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, Router::new().route("/hook", hook)).await;
    });
    (format!("http://{addr}/hook"), received)
}
