//! `article-embed`: the publisher's binary (SPEC section 6), a thin shell over the library.

mod cli {
    use std::net::SocketAddr;
    use std::path::PathBuf;
    use std::process::ExitCode;

    use article_embed_server::client_ip::{Cidr, ProxyHeader};
    use article_embed_server::{self as server, store};
    use clap::{Parser, Subcommand};

    #[derive(Parser)]
    #[command(
        name = "article-embed",
        version,
        about = "News-article cards with a newsletter signup: the publisher's server and tools."
    )]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Subcommand)]
    enum Command {
        /// Serve the demo, the built assets, the articles and the signup API.
        Serve(Box<Serve>),
        /// Check article data (JSON-LD): each problem with its field path; exit 1 if any.
        Check {
            /// The article's JSON-LD file.
            article: PathBuf,
            /// The URL the file is published at, to resolve relative URLs against.
            #[arg(long)]
            base: Option<String>,
        },
        /// Read article pages (http(s) URLs or saved .html files) and write each one's
        /// article as <ARTICLES>/<slug>.json: its JSON-LD, else its Open Graph tags.
        Import {
            /// Article pages: http(s) URLs or saved .html files.
            #[arg(required = true)]
            pages: Vec<String>,
            /// Folder to write the articles' JSON-LD into.
            #[arg(long, env = "ARTICLE_EMBED_ARTICLES", default_value = "articles")]
            articles: PathBuf,
            /// Where one saved page is (or was) served, instead of its canonical link: an
            /// http(s) URL, or a root-relative path on the server of the articles. Its
            /// relative URLs resolve against it, and it names the file.
            #[arg(long)]
            base: Option<String>,
        },
        /// Print the snippet with the card rendered inside (declarative shadow DOM).
        Snippet(Box<SnippetArgs>),
        /// Manage the stored signups.
        Signups {
            #[command(subcommand)]
            command: Signups,
        },
    }

    /// `serve`'s options. Each can also come from the environment as
    /// `ARTICLE_EMBED_<OPTION>` (SPEC 6), so that secrets (the SMTP password, a PostgreSQL
    /// password) need never be on a command line, where `ps` shows them.
    #[derive(clap::Args)]
    struct Serve {
        #[arg(long, env = "ARTICLE_EMBED_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// What the server keeps and never serves: the SQLite database and the mail folder.
        #[arg(long, env = "ARTICLE_EMBED_DATA_DIR", default_value = server::DEFAULT_DATA_DIR)]
        data_dir: PathBuf,
        /// sqlite://PATH or postgres://… [default: an SQLite file in the data directory]
        #[arg(long, env = "ARTICLE_EMBED_DB", hide_env_values = true)]
        db: Option<String>,
        /// Folder of the articles' JSON-LD, served at /articles/.
        #[arg(long, env = "ARTICLE_EMBED_ARTICLES", default_value = "articles")]
        articles: PathBuf,
        /// Folder of pages to serve at / (its index.html) [default: the built-in demo pages].
        #[arg(long, env = "ARTICLE_EMBED_SITE")]
        site: Option<PathBuf>,
        /// Folder of the built script and wasm, served at /dist/.
        #[arg(long, env = "ARTICLE_EMBED_DIST", default_value = "dist")]
        dist: PathBuf,
        /// The server's URL as readers reach it, for confirmation links [default: http://ADDR].
        #[arg(long, env = "ARTICLE_EMBED_PUBLIC_URL")]
        public_url: Option<String>,
        /// Accept signups only from pages of this origin (repeatable; comma-separated in the
        /// environment) [default: any origin].
        #[arg(
            long = "allow-origin",
            env = "ARTICLE_EMBED_ALLOW_ORIGIN",
            value_delimiter = ','
        )]
        allow_origins: Vec<String>,
        /// Read article pages of this origin on demand at /articles/from?url=… (repeatable;
        /// comma-separated in the environment). No other origin is ever fetched.
        #[arg(long = "source", env = "ARTICLE_EMBED_SOURCE", value_delimiter = ',')]
        sources: Vec<String>,
        /// A proxy (CIDR block or address) whose Forwarded / X-Forwarded-For headers name the
        /// reader (repeatable; comma-separated in the environment).
        #[arg(
            long = "trusted-proxy",
            env = "ARTICLE_EMBED_TRUSTED_PROXY",
            value_delimiter = ','
        )]
        trusted_proxies: Vec<Cidr>,
        /// Which header trusted proxies write: auto (X-Forwarded-For when present, else
        /// Forwarded), forwarded or x-forwarded-for.
        #[arg(long, env = "ARTICLE_EMBED_PROXY_HEADER", default_value = "auto")]
        proxy_header: ProxyHeader,
        /// A newsletter the server accepts signups for (repeatable; separated by ';' in the
        /// environment) [default: "<publisher> Newsletter" for each publisher of the articles].
        #[arg(
            long = "newsletter",
            env = "ARTICLE_EMBED_NEWSLETTER",
            value_delimiter = ';'
        )]
        newsletters: Vec<String>,
        /// required: refuse signups without the reader's consent; optional.
        #[arg(long, env = "ARTICLE_EMBED_CONSENT", default_value = "optional", value_parser = ["optional", "required"])]
        consent: String,
        /// Send mail through this SMTP server (smtp://user:pass@host:587?tls=required).
        /// Give it as ARTICLE_EMBED_SMTP: the URL holds the password.
        #[arg(long, env = "ARTICLE_EMBED_SMTP", hide_env_values = true)]
        smtp: Option<String>,
        #[arg(
            long,
            env = "ARTICLE_EMBED_MAIL_FROM",
            default_value = "Newsletter <newsletter@localhost>"
        )]
        mail_from: String,
        /// Without --smtp (or when SMTP fails), mail is written here as .eml files
        /// [default: DATA_DIR/mail].
        #[arg(long, env = "ARTICLE_EMBED_MAIL_DIR")]
        mail_dir: Option<PathBuf>,
        /// Post each confirmation and erasure to this URL (a mailing-list provider's),
        /// signed with ARTICLE_EMBED_WEBHOOK_SECRET.
        #[arg(long, env = "ARTICLE_EMBED_WEBHOOK")]
        webhook: Option<String>,
        /// The webhook's signing secret, whsec_ and base64 (give it in the environment).
        #[arg(long, env = "ARTICLE_EMBED_WEBHOOK_SECRET", hide_env_values = true)]
        webhook_secret: Option<String>,
        /// Signups per minute from one IP address (an IPv6 reader's /64).
        #[arg(long, env = "ARTICLE_EMBED_RATE_PER_IP", default_value_t = 30)]
        rate_per_ip: u32,
        /// Signup attempts per hour for one email address.
        #[arg(long, env = "ARTICLE_EMBED_RATE_PER_EMAIL", default_value_t = 5)]
        rate_per_email: u32,
        /// Testing aid: the first N signup requests answer 500.
        #[arg(long, default_value_t = 0, hide = true)]
        fail_first: u32,
    }

    #[derive(clap::Args)]
    struct SnippetArgs {
        /// The article's JSON-LD file.
        article: PathBuf,
        /// The URL the JSON-LD is published at: the element loads it from there, and
        /// relative URLs in it resolve against it. Without it, the data goes inline.
        #[arg(long)]
        src: Option<String>,
        /// URL that relative URLs in inline data resolve against.
        #[arg(long)]
        base: Option<String>,
        /// Where the page loads the script from.
        #[arg(long, default_value = "/dist/article-embed.js")]
        script: String,
        /// The script's Subresource Integrity hash (sha384-…), for a copy pinned by version
        /// on a CDN; the tag then also says crossorigin="anonymous".
        #[arg(long)]
        integrity: Option<String>,
        #[arg(long)]
        signup_endpoint: Option<String>,
        #[arg(long)]
        newsletter: Option<String>,
        #[arg(long)]
        privacy_url: Option<String>,
        #[arg(long)]
        consent: Option<String>,
        #[arg(long)]
        theme: Option<String>,
        #[arg(long)]
        layout: Option<String>,
        #[arg(long)]
        lang: Option<String>,
    }

    #[derive(Subcommand)]
    enum Signups {
        /// Write every signup as CSV.
        Export {
            /// The server's data directory, whose database is read unless --db is given.
            #[arg(long, env = "ARTICLE_EMBED_DATA_DIR", default_value = server::DEFAULT_DATA_DIR)]
            data_dir: PathBuf,
            /// sqlite://PATH or postgres://… [default: the data directory's SQLite file]
            #[arg(long, env = "ARTICLE_EMBED_DB", hide_env_values = true)]
            db: Option<String>,
            /// Write to this file instead of standard output.
            #[arg(long)]
            out: Option<PathBuf>,
        },
        /// Erase one address everywhere the server keeps it (GDPR article 17): signups,
        /// tokens, queued mail and events, rate-limit counts, mail files. With a webhook
        /// configured, tells the mailing-list provider (subscriber.deleted).
        Delete {
            /// The address to erase.
            email: String,
            #[arg(long, env = "ARTICLE_EMBED_DATA_DIR", default_value = server::DEFAULT_DATA_DIR)]
            data_dir: PathBuf,
            #[arg(long, env = "ARTICLE_EMBED_DB", hide_env_values = true)]
            db: Option<String>,
            /// The mail folder [default: DATA_DIR/mail].
            #[arg(long, env = "ARTICLE_EMBED_MAIL_DIR")]
            mail_dir: Option<PathBuf>,
            /// The webhook `serve` posts to: when set, a subscriber.deleted event is queued.
            #[arg(long, env = "ARTICLE_EMBED_WEBHOOK")]
            webhook: Option<String>,
            /// Erase without telling a webhook, even though events are queued for one.
            #[arg(long, conflicts_with = "webhook")]
            no_webhook: bool,
        },
    }

    pub fn main() -> ExitCode {
        let cli = Cli::parse();
        let result = match cli.command {
            Command::Serve(s) => runtime().and_then(|rt| {
                let mut config = server::Config::new(s.addr);
                config.data_dir = s.data_dir;
                config.db = s.db;
                config.site = s.site;
                config.dist = s.dist;
                config.articles = s.articles;
                if let Some(url) = s.public_url {
                    config.public_url = url;
                }
                config.allow_origins = s.allow_origins;
                config.sources = s.sources;
                config.trusted_proxies = s.trusted_proxies;
                config.proxy_header = s.proxy_header;
                config.newsletters = s.newsletters;
                config.consent_required = s.consent == "required";
                config.smtp = s.smtp;
                config.mail_from = s.mail_from;
                config.mail_dir = s.mail_dir;
                config.webhook = match (s.webhook, s.webhook_secret) {
                    (Some(url), Some(secret)) => {
                        Some(server::webhooks::Webhook::new(&url, &secret)?)
                    }
                    (Some(_), None) => {
                        return Err("--webhook needs ARTICLE_EMBED_WEBHOOK_SECRET (whsec_…)".into())
                    }
                    (None, _) => None,
                };
                config.rate_per_ip = s.rate_per_ip;
                config.rate_per_email = s.rate_per_email;
                config.fail_first = s.fail_first;
                let result = rt.block_on(server::serve(config));
                // Stopped: compression still warming the cache is not worth waiting for.
                rt.shutdown_background();
                result
            }),
            Command::Check { article, base } => return check(&article, base.as_deref()),
            Command::Import {
                pages,
                articles,
                base,
            } => {
                return match runtime() {
                    Ok(rt) => rt.block_on(import(&pages, &articles, base.as_deref())),
                    Err(e) => {
                        eprintln!("article-embed: {e}");
                        ExitCode::from(2)
                    }
                };
            }
            Command::Snippet(args) => runtime().and_then(|rt| rt.block_on(snippet(*args))),
            Command::Signups {
                command: Signups::Export { data_dir, db, out },
            } => runtime().and_then(|rt| {
                let db = db.unwrap_or_else(|| server::default_db(&data_dir));
                rt.block_on(export(&db, out))
            }),
            Command::Signups {
                command:
                    Signups::Delete {
                        email,
                        data_dir,
                        db,
                        mail_dir,
                        webhook,
                        no_webhook,
                    },
            } => runtime().and_then(|rt| {
                let db = db.unwrap_or_else(|| server::default_db(&data_dir));
                let mail_dir = mail_dir.unwrap_or_else(|| server::default_mail_dir(&data_dir));
                rt.block_on(delete(&email, &db, mail_dir, webhook.is_some(), no_webhook))
            }),
        };
        match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("article-embed: {message}");
                ExitCode::FAILURE
            }
        }
    }

    async fn delete(
        email: &str,
        db: &str,
        mail_dir: PathBuf,
        webhook: bool,
        no_webhook: bool,
    ) -> Result<(), String> {
        let email = server::subscribe::normalise_email(email);
        let store = store::Store::open(db).await?;
        // Events waiting for a webhook mean `serve` posts to one: erasing without telling
        // the provider would leave the address on its list. Ask for a decision.
        let (_, events) = store
            .queue_depths()
            .await
            .map_err(|e| format!("cannot read the queues: {e}"))?;
        if !webhook && !no_webhook && events > 0 {
            return Err(format!(
                "{events} webhook event(s) are queued, so serve posts to a webhook, but none is \
                 set here: give --webhook URL (or ARTICLE_EMBED_WEBHOOK) as serve has it, so \
                 the provider hears of the erasure, or --no-webhook to erase without telling it"
            ));
        }
        let erased = store
            .erase(&email, store::now_ms(), webhook)
            .await
            .map_err(|e| format!("cannot erase: {e}"))?;
        let mailer = server::mail::Mailer::new("erase@localhost", None, mail_dir)?;
        let files = mailer.forget(&email).await;
        store.close().await;
        println!(
            "erased {}: {} signup(s), {} queued mail, {} queued event(s), {} mail file(s); \
             {} subscriber.deleted event(s) queued",
            server::mail::mask(&email),
            erased.signups,
            erased.mail,
            erased.events,
            files,
            erased.queued
        );
        Ok(())
    }

    fn runtime() -> Result<tokio::runtime::Runtime, String> {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the runtime: {e}"))
    }

    async fn export(db: &str, out: Option<PathBuf>) -> Result<(), String> {
        let store = store::Store::open(db).await?;
        let rows = store
            .all()
            .await
            .map_err(|e| format!("cannot read the signups: {e}"))?;
        let csv = store::to_csv(&rows);
        match out {
            Some(path) => std::fs::write(&path, csv)
                .map_err(|e| format!("cannot write {}: {e}", path.display())),
            None => {
                print!("{csv}");
                Ok(())
            }
        }
    }

    async fn snippet(args: SnippetArgs) -> Result<(), String> {
        use article_embed_card::options::RawOptions;
        use article_embed_card::ssr;

        let text = std::fs::read_to_string(&args.article)
            .map_err(|e| format!("{}: cannot read: {e}", args.article.display()))?;
        let options = RawOptions {
            signup_endpoint: args.signup_endpoint,
            newsletter: args.newsletter,
            privacy_url: args.privacy_url,
            consent: args.consent,
            theme: args.theme,
            layout: args.layout,
            lang: args.lang,
            page: None,
            base: None,
        };
        let script = ssr::Script {
            src: args.script,
            integrity: args.integrity,
        };
        let (article, snippet, warnings) =
            ssr::read(&text, args.src, args.base, options, Some(script)).map_err(|problems| {
                format!("{}: {}", args.article.display(), problems.join("; "))
            })?;
        for warning in &warnings {
            eprintln!("{}: {warning}", args.article.display());
        }
        print!("{}", ssr::snippet(article, &snippet).await);
        Ok(())
    }

    /// `import`: every page is tried; exit 1 when one yields no article, 2 when a file
    /// cannot be written.
    async fn import(pages: &[String], dir: &std::path::Path, base: Option<&str>) -> ExitCode {
        use article_embed_server::import;
        let is_url = |page: &str| page.starts_with("http://") || page.starts_with("https://");
        if let Some(base) = base {
            // One address cannot be where several pages were served, and a page read over
            // http has its own.
            if pages.len() != 1 || pages.iter().any(|p| is_url(p)) {
                eprintln!("article-embed: --base goes with one saved page");
                return ExitCode::from(2);
            }
            let root_relative = base.starts_with('/') && !base.starts_with("//");
            if !root_relative && article_embed_card::url::resolve(base, None).is_err() {
                eprintln!("article-embed: --base {base}: not an http(s) URL or a path from /");
                return ExitCode::from(2);
            }
        }
        let client = match reqwest::Client::builder()
            .user_agent(article_embed_server::import::USER_AGENT)
            .build()
        {
            Ok(c) => c,
            Err(e) => {
                eprintln!("article-embed: {e}");
                return ExitCode::from(2);
            }
        };
        let mut code = ExitCode::SUCCESS;
        for page in pages {
            let read = if is_url(page) {
                import::fetch_page(&client, page, import::PAGE_TIMEOUT)
                    .await
                    .map(|p| (p.html, Some(p.url)))
                    .map_err(|e| e.to_string())
            } else {
                std::fs::read(page)
                    .map(|bytes| {
                        (
                            String::from_utf8_lossy(&bytes).into_owned(),
                            base.map(str::to_owned),
                        )
                    })
                    .map_err(|e| format!("cannot read: {e}"))
            };
            let (html, url) = match read {
                Ok(r) => r,
                Err(e) => {
                    println!("{page}: {e}");
                    code = ExitCode::FAILURE;
                    continue;
                }
            };
            let imported = match import::from_html(&html, url.as_deref()) {
                Ok(i) => i,
                Err(problems) => {
                    for p in problems {
                        println!("{page}: {p}");
                    }
                    code = ExitCode::FAILURE;
                    continue;
                }
            };
            for w in &imported.warnings {
                println!("{page}: {w}");
            }
            // The page's own URL names the file; a saved file, its canonical URL or its name.
            let slug = url
                .as_deref()
                .and_then(import::slug)
                .or_else(|| imported.article.url.as_deref().and_then(import::slug))
                .or_else(|| import::slug(page))
                .unwrap_or_else(|| "article".to_owned());
            let out = dir.join(format!("{slug}.json"));
            let text = import::to_json_ld(&imported.article).to_text() + "\n";
            if let Err(e) = std::fs::create_dir_all(dir).and_then(|()| std::fs::write(&out, text)) {
                eprintln!("{}: cannot write: {e}", out.display());
                return ExitCode::from(2);
            }
            let from = match imported.source {
                import::Source::JsonLd(n) => format!("JSON-LD script {n}"),
                import::Source::OpenGraph => "Open Graph and meta tags".to_owned(),
            };
            println!("{page}: wrote {} (from its {from})", out.display());
        }
        code
    }

    fn check(path: &PathBuf, base: Option<&str>) -> ExitCode {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{}: cannot read: {e}", path.display());
                return ExitCode::from(2);
            }
        };
        let json = match article_embed_card::json::Json::parse(&text) {
            Ok(j) => j,
            Err(e) => {
                println!("{}: (document): not valid JSON: {e}", path.display());
                return ExitCode::FAILURE;
            }
        };
        // Relative URLs resolve against wherever the file is published: without --base,
        // a stand-in base checks them as such instead of calling them unresolvable.
        let stand_in = format!(
            "https://publisher.invalid/{}",
            path.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("article.json")
        );
        let problems =
            match article_embed_card::article::parse(&json, Some(base.unwrap_or(&stand_in))) {
                Ok(parsed) => parsed.warnings,
                Err(problems) => problems,
            };
        for p in &problems {
            println!("{}: {p}", path.display());
        }
        if problems.is_empty() {
            println!("{}: ok", path.display());
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }
    }
}

fn main() -> std::process::ExitCode {
    cli::main()
}
