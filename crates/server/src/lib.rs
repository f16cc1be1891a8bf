//! The publisher's server (`article-embed serve`, SPEC section 6). This file wires it: the
//! configuration, the shared state, the routes and the accept loop. Each route family and
//! each background job has a module of its own:
//!
//! | module | does |
//! |---|---|
//! | `articles` | `/`, `/dist/…`, `/articles/…`, `/embed/<slug>`, `/oembed`, `/articles/from`, `POST /api/snippet`; `import` |
//! | `signups` | `POST /api/subscribe`, `/api/confirm`, the newsletters, the frames' tokens, the clean-up job |
//! | `delivery` | the job that sends queued mail and webhook events |
//! | `store` | the database: signups, limits, the delivery queues, webhook events |
//! | `requests` | who is asking, behind proxies; security headers; the small HTML pages |
//! | `metrics` | `/healthz`, `/metrics` |
//! | `commands` | what the binary's other subcommands do: `check`, `snippet`, `import`, `signups` |
//! | `words` | the server's own words (mail, confirmation pages) in the widget's languages |
//! | `log`, `time`, `tokens`, `private` | the log; times; random tokens and their hashes; owner-only files |
//!
//! The binary (crates/cli) is a thin shell over this.

pub mod articles;
pub mod commands;
pub mod delivery;
pub mod log;
mod metrics;
mod private;
pub mod requests;
pub mod signups;
pub mod store;
pub mod time;
pub mod tokens;
pub mod words;

#[cfg(test)]
mod testing;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU32;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use tower::ServiceExt as _;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use articles::{assets, embed, sources};
use delivery::mail::Mailer;
use delivery::webhooks::Webhook;
use requests::client_ip::{Cidr, Proxies, ProxyHeader};
use requests::headers;
use signups::{cleanup, confirm, frames, newsletters, proof, subscribe};
use store::Store;

/// Larger bodies are refused with 413 before they are read.
pub const BODY_LIMIT: usize = 16 * 1024;
/// The builder's `POST /api/snippet` carries a whole article's JSON-LD (its text included):
/// larger than a signup, still bounded.
pub const SNIPPET_BODY_LIMIT: usize = 256 * 1024;
/// A client must have sent its request headers within this (SPEC 6.1).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(30);
/// An answer the client does not take (a write that cannot progress) for this long ends
/// its connection: a client that stops reading holds no connection and no memory.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// A request must be answered within this; after it, 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// On SIGTERM or SIGINT, requests in flight get this long to finish.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Everything `serve` is told on its command line or in its environment.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    /// Where `/metrics` is served, apart from the public port; `None`: nowhere.
    pub metrics_addr: Option<SocketAddr>,
    /// `sqlite://PATH` or `postgres://…`; by default an SQLite file in the data directory.
    pub db: Option<String>,
    /// What the server keeps and never serves: the SQLite database, the mail folder.
    pub data_dir: PathBuf,
    /// A folder of pages (`/` is its index.html); `None`: the built-in demo pages.
    pub site: Option<PathBuf>,
    pub dist: PathBuf,
    pub articles: PathBuf,
    /// The server's address as readers reach it, for confirmation links.
    pub public_url: String,
    /// Origins whose pages may post signups; empty: any origin (SPEC 6.1).
    pub allow_origins: Vec<String>,
    /// Origins whose article pages `/articles/from` reads (SPEC 6.3); empty: none.
    pub sources: Vec<String>,
    /// How long a page of a source may take, whole.
    pub source_timeout: Duration,
    /// Proxies whose `Forwarded` / `X-Forwarded-For` name the reader.
    pub trusted_proxies: Vec<Cidr>,
    pub proxy_header: ProxyHeader,
    /// The newsletters it mails about; empty: the defaults from the articles' publishers.
    pub newsletters: Vec<String>,
    /// Refuse signups without consent.
    pub consent_required: bool,
    pub smtp: Option<String>,
    pub mail_from: String,
    /// Where mail is written without SMTP; by default `<data-dir>/mail`.
    pub mail_dir: Option<PathBuf>,
    /// Where confirmations and erasures are posted, and the secret they are signed with.
    pub webhook: Option<Webhook>,
    /// Signups per minute from one address (an IPv6 reader's /64).
    pub rate_per_ip: u32,
    /// Signup attempts per hour for one email address.
    pub rate_per_email: u32,
    /// Ask signups for proof of work (`signups::proof`).
    pub proof_of_work: bool,
    /// The challenges' largest secret number: the work a signup costs.
    pub proof_max_number: u64,
    /// With proof of work: signups a minute, from everyone together, that come without a
    /// solution from a form posted without script (the slow lane).
    pub proofless_per_minute: u32,
    /// For tests: the first N signup requests fail with 500.
    pub fail_first: u32,
    /// See [`WRITE_TIMEOUT`].
    pub write_timeout: Duration,
}

pub const DEFAULT_DATA_DIR: &str = "article-embed-data";

impl Config {
    pub fn new(addr: SocketAddr) -> Config {
        Config {
            addr,
            metrics_addr: None,
            db: None,
            data_dir: DEFAULT_DATA_DIR.into(),
            site: None,
            dist: "dist".into(),
            articles: "articles".into(),
            public_url: format!("http://{addr}"),
            allow_origins: Vec::new(),
            sources: Vec::new(),
            source_timeout: crate::articles::import::PAGE_TIMEOUT,
            trusted_proxies: Vec::new(),
            proxy_header: ProxyHeader::Auto,
            newsletters: Vec::new(),
            consent_required: false,
            smtp: None,
            mail_from: "Newsletter <newsletter@localhost>".into(),
            mail_dir: None,
            webhook: None,
            rate_per_ip: 30,
            rate_per_email: 5,
            proof_of_work: false,
            proof_max_number: proof::DEFAULT_MAX_NUMBER,
            proofless_per_minute: 10,
            fail_first: 0,
            write_timeout: WRITE_TIMEOUT,
        }
    }

    pub fn db_url(&self) -> String {
        self.db
            .clone()
            .unwrap_or_else(|| default_db(&self.data_dir))
    }

    pub fn mail_dir(&self) -> PathBuf {
        self.mail_dir
            .clone()
            .unwrap_or_else(|| default_mail_dir(&self.data_dir))
    }

    /// Creates the data directory and refuses a configuration that would serve what it
    /// keeps: the data directory, the mail folder or an SQLite file inside a served folder.
    pub fn check(&self) -> Result<(), String> {
        private::dir(&self.data_dir).map_err(|e| {
            format!(
                "cannot create the data directory {}: {e}",
                self.data_dir.display()
            )
        })?;
        if let Some(site) = &self.site {
            if !site.is_dir() {
                return Err(format!("--site {}: no such folder", site.display()));
            }
        }
        let mut private = vec![
            ("the data directory (--data-dir)", self.data_dir.clone()),
            ("the mail folder (--mail-dir)", self.mail_dir()),
        ];
        if let Some(file) = sqlite_file(&self.db_url()) {
            private.push(("the database (--db)", file));
        }
        self.refuse_served(&private)
    }

    /// An error when one of these paths lies inside a folder the server serves, or when it
    /// cannot tell.
    fn refuse_served(&self, private: &[(&str, PathBuf)]) -> Result<(), String> {
        let mut served = vec![("--dist", &self.dist), ("--articles", &self.articles)];
        if let Some(site) = &self.site {
            served.push(("--site", site));
        }
        for (what, path) in private {
            let private_path = canonical_or_planned(path).ok_or_else(|| {
                format!(
                    "cannot tell where {what} {} would be: name a place whose folders exist",
                    path.display()
                )
            })?;
            for (flag, folder) in &served {
                let Ok(folder_path) = std::fs::canonicalize(folder) else {
                    continue;
                };
                if private_path.starts_with(&folder_path) {
                    return Err(format!(
                        "{what} {} lies inside {}, which {flag} serves: anyone could download \
                         it. Put it elsewhere (--data-dir DIR) or serve another folder.",
                        path.display(),
                        folder.display()
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Where mail is written without SMTP, unless --mail-dir says otherwise.
pub fn default_mail_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("mail")
}

pub fn default_db(data_dir: &Path) -> String {
    format!("sqlite://{}", data_dir.join(store::DB_FILE).display())
}

/// The file of an `sqlite:` URL (none for an in-memory database).
fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.starts_with(":memory:")).then(|| PathBuf::from(path))
}

/// The canonical path of something that may not exist yet (a file about to be created).
fn canonical_or_planned(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = std::fs::canonicalize(path) {
        return Some(p);
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let parent = canonical_or_planned(parent)?;
    Some(parent.join(path.file_name()?))
}

pub struct App {
    pub store: Store,
    mailer: Mailer,
    public_url: String,
    rate_per_ip: u32,
    rate_per_email: u32,
    failures_left: AtomicU32,
    webhook: Option<Webhook>,
    http: reqwest::Client,
    metrics: metrics::Metrics,
    health: metrics::Health,
    /// Wakes this process's delivery job when a request has queued something.
    wake: Arc<tokio::sync::Notify>,
    /// Set on SIGTERM: the delivery job starts nothing new.
    stopping: std::sync::atomic::AtomicBool,
    articles: embed::Articles,
    sources: Option<sources::Sources>,
    assets: Arc<assets::Assets>,
    proxies: Proxies,
    origins: subscribe::Origins,
    frames: frames::Frames,
    /// With `--proof-of-work`.
    proofs: Option<proof::Proofs>,
    proofless_per_minute: u32,
    newsletters: newsletters::Newsletters,
    consent_required: bool,
}

impl App {
    /// Something was queued: both delivery loops look now (the one busy sending looks as
    /// soon as it is done), rather than at their next poll.
    fn wake_delivery(&self) {
        self.wake.notify_waiters();
        self.wake.notify_one();
    }

    /// Sends what the queues hold and is due, as the delivery job of `serve` would (for
    /// tests, which drive the routes without it). Returns how many rows it dealt with.
    pub async fn deliver_due(&self) -> usize {
        delivery::deliver_due(self).await
    }

    pub async fn new(config: &Config) -> Result<Arc<App>, String> {
        let public_url = config.public_url.trim_end_matches('/').to_owned();
        let store = Store::open(&config.db_url()).await?;
        // Where SQLite really put the file (sqlx reads the URL its own way): never served.
        let mut private = vec![config.data_dir.clone(), config.mail_dir()];
        if let Some(file) = store.file().await {
            config.refuse_served(&[("the database (--db)", file.clone())])?;
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let mut name = file.clone().into_os_string();
                name.push(suffix);
                let name = PathBuf::from(name);
                self::private::file(&name)
                    .map_err(|e| format!("cannot make {} owner-only: {e}", name.display()))?;
                private.push(name);
            }
        }
        let frames = frames::Frames::new(&store.key("embed-frames").await?)?;
        let proofs = if config.proof_of_work {
            Some(proof::Proofs::new(
                &store.key("proof-of-work").await?,
                config.proof_max_number,
            )?)
        } else {
            None
        };
        Ok(Arc::new(App {
            store,
            mailer: Mailer::new(&config.mail_from, config.smtp.as_deref(), config.mail_dir())?,
            rate_per_ip: config.rate_per_ip,
            rate_per_email: config.rate_per_email,
            failures_left: AtomicU32::new(config.fail_first),
            webhook: config.webhook.clone(),
            http: reqwest::Client::builder()
                .user_agent(crate::articles::import::USER_AGENT)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| format!("cannot make an HTTP client: {e}"))?,
            metrics: metrics::Metrics::default(),
            health: metrics::Health::default(),
            wake: Arc::new(tokio::sync::Notify::new()),
            stopping: std::sync::atomic::AtomicBool::new(false),
            articles: embed::Articles::new(config.articles.clone()),
            sources: if config.sources.is_empty() {
                None
            } else {
                Some(sources::Sources::new(
                    &config.sources,
                    config.source_timeout,
                )?)
            },
            assets: Arc::new(assets::Assets::new(
                config.site.as_deref(),
                &config.dist,
                &config.articles,
                &private,
                &public_url,
            )),
            proxies: Proxies {
                trusted: config.trusted_proxies.clone(),
                header: config.proxy_header,
            },
            origins: subscribe::Origins::new(&config.allow_origins, &public_url),
            frames,
            proofs,
            proofless_per_minute: config.proofless_per_minute,
            newsletters: newsletters::Newsletters::new(
                &config.newsletters,
                config.articles.clone(),
            ),
            consent_required: config.consent_required,
            public_url,
        }))
    }
}

/// The routes.
pub fn router(app: Arc<App>, config: &Config) -> Router {
    let origins = if config.allow_origins.is_empty() {
        AllowOrigin::any()
    } else {
        // `null` (a sandboxed frame) passes the preflight; its post must then carry the
        // token of one of this server's /embed/ frames (subscribe.rs).
        AllowOrigin::list(
            config
                .allow_origins
                .iter()
                .filter_map(|o| HeaderValue::from_str(&subscribe::normalise_origin(o)).ok())
                .chain([HeaderValue::from_static("null")]),
        )
    };
    let cors = CorsLayer::new()
        .allow_origin(origins)
        .allow_methods([Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([header::RETRY_AFTER])
        .max_age(Duration::from_secs(3600));
    let signups = Router::new()
        .route(
            "/api/subscribe",
            get(proof::challenge).post(subscribe::subscribe),
        )
        .layer(cors);
    // What other origins' pages load (the script, the wasm, the stories, oEmbed): CORS and
    // CORP on every answer, a 404 included, so that a page sees the real status rather than
    // a network error.
    let public = Router::new()
        .route("/oembed", get(embed::oembed))
        .route("/dist/{*rest}", get(assets::dist))
        .route("/articles/from", get(sources::from))
        .route("/articles/{*rest}", get(assets::articles))
        .layer(axum::middleware::map_response(
            |mut response: axum::response::Response| async move {
                headers::public_resource(response.headers_mut());
                response
            },
        ));
    // Frames of other origins' pages, those of `Cross-Origin-Embedder-Policy: require-corp`
    // included.
    let frames = Router::new()
        .route("/embed/{slug}", get(embed::page))
        .route("/embed/{slug}/story", get(embed::story))
        .layer(axum::middleware::map_response(
            |mut response: axum::response::Response| async move {
                headers::framed(response.headers_mut());
                response
            },
        ));
    Router::new()
        .merge(signups)
        .merge(public)
        .merge(frames)
        .route("/healthz", get(metrics::healthz))
        .route("/livez", get(metrics::livez))
        .route("/api/confirm", get(confirm::page).post(confirm::confirm))
        .route(
            "/api/snippet",
            post(embed::snippet).layer(axum::extract::DefaultBodyLimit::max(SNIPPET_BODY_LIMIT)),
        )
        .fallback(assets::site)
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&app),
            metrics::timed,
        ))
        .with_state(app)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
}

/// The routes of `--metrics-addr`: what only the operator's monitoring may read. Signup
/// counts and mail results move when one address signs up again, so they would tell anyone
/// who is on the list (SPEC 6.2).
pub fn metrics_router(app: Arc<App>) -> Router {
    Router::new()
        .route("/metrics", get(metrics::metrics))
        .route("/healthz", get(metrics::healthz))
        .route("/livez", get(metrics::livez))
        .route("/stats", get(signups::stats::endpoint))
        .with_state(app)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
}

/// Serves until SIGTERM or SIGINT, then lets requests in flight finish.
pub async fn serve(config: Config) -> Result<(), String> {
    config.check()?;
    let app = App::new(&config).await?;
    let routes = router(Arc::clone(&app), &config);
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    let metrics = match config.metrics_addr {
        Some(addr) => {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|e| format!("cannot listen on {addr} (--metrics-addr): {e}"))?;
            let routes = metrics_router(Arc::clone(&app));
            Some(tokio::spawn(
                async move { axum::serve(listener, routes).await },
            ))
        }
        None => None,
    };
    describe(&config, &app);
    tokio::spawn(Arc::clone(&app.assets).warm());
    let cleanup = tokio::spawn(cleanup::run(app.store.clone()));
    let (stop_delivery, stopped) = tokio::sync::watch::channel(false);
    let delivery = tokio::spawn(delivery::run(
        Arc::clone(&app),
        Arc::clone(&app.wake),
        stopped,
    ));

    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let stop = stop_signal();
    tokio::pin!(stop);
    let signal = loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(accepted) => accepted,
                    Err(e) => {
                        // Out of file descriptors, usually: wait instead of spinning.
                        log::warn("serve.accept_failed", &[("error", &e)]);
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let service = routes.clone().map_request(
                    move |mut request: axum::http::Request<hyper::body::Incoming>| {
                        request.extensions_mut().insert(ConnectInfo(peer));
                        request.map(Body::new)
                    },
                );
                let mut stream = tokio_io_timeout::TimeoutStream::new(stream);
                stream.set_write_timeout(Some(config.write_timeout));
                let connection = http.serve_connection(
                    hyper_util::rt::TokioIo::new(Box::pin(stream)),
                    hyper_util::service::TowerToHyperService::new(service),
                );
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    let _ = connection.await;
                });
            }
            signal = &mut stop => break signal,
        }
    };
    drop(listener);
    log::info(
        "serve.stopping",
        &[("signal", &signal), ("grace_s", &SHUTDOWN_GRACE.as_secs())],
    );
    let deadline = tokio::time::Instant::now() + SHUTDOWN_GRACE;
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        log::warn(
            "serve.requests_cut_off",
            &[("after_s", &SHUTDOWN_GRACE.as_secs())],
        );
    }
    // The delivery job finishes what it is sending (the rest waits in the queue for the
    // next start, or for another process).
    app.stopping
        .store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = stop_delivery.send(true);
    let _ = tokio::time::timeout_at(deadline, delivery).await;
    cleanup.abort();
    if let Some(metrics) = metrics {
        metrics.abort();
    }
    // Handlers cut off above may still hold connections: do not wait for them for long.
    let _ = tokio::time::timeout(Duration::from_secs(2), app.store.close()).await;
    log::info("serve.stopped", &[]);
    Ok(())
}

/// SIGTERM (systemd, Docker, Kubernetes) or SIGINT (Ctrl-C).
async fn stop_signal() -> &'static str {
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => "SIGINT",
        () = terminate => "SIGTERM",
    }
}

/// What an operator needs to know at start; nothing secret (no SMTP or database password,
/// no webhook secret, no path or query of the webhook URL).
fn describe(config: &Config, app: &App) {
    let folder = |p: &Path| {
        if p.is_dir() {
            p.display().to_string()
        } else {
            format!("{} (missing: nothing served)", p.display())
        }
    };
    let db = config.db_url();
    let db = if db.starts_with("sqlite:") {
        db
    } else {
        "PostgreSQL".into()
    };
    let site = config
        .site
        .as_deref()
        .map_or_else(|| "built-in demo pages".into(), folder);
    let origins = if config.allow_origins.is_empty() {
        "any".to_owned()
    } else {
        config.allow_origins.join(",")
    };
    let webhook = app
        .webhook
        .as_ref()
        .and_then(|w| headers::origin_of(&w.url))
        .unwrap_or_else(|| "none".into());
    log::info(
        "serve.started",
        &[
            ("url", &app.public_url),
            ("site", &site),
            ("assets", &folder(&config.dist)),
            ("articles", &folder(&config.articles)),
            ("data", &config.data_dir.display()),
            ("db", &db),
            ("mail", &app.mailer.describe()),
            ("webhook", &webhook),
            ("newsletters", &app.newsletters.describe()),
            (
                "metrics",
                &config
                    .metrics_addr
                    .map_or_else(|| "off".to_owned(), |a| format!("http://{a}/metrics")),
            ),
            ("signups_from", &origins),
            ("trusted_proxies", &config.trusted_proxies.len()),
        ],
    );
    if !config.trusted_proxies.is_empty() && config.proxy_header == ProxyHeader::Auto {
        log::warn(
            "serve.proxy_header_auto",
            &[(
                "advice",
                &"pin --proxy-header to the header your proxy writes: with auto, a client \
                  behind a proxy that writes only Forwarded can send an X-Forwarded-For of \
                  its own",
            )],
        );
    }
}

#[cfg(test)]
mod tests;
