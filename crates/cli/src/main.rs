//! `article-embed`: the publisher's binary (SPEC section 6). It reads its arguments and
//! calls the library (article_embed_server, its `commands`); nothing else happens here.

mod cli {
    use std::net::SocketAddr;
    use std::path::PathBuf;
    use std::process::ExitCode;

    use article_embed_card::options::RawOptions;
    use article_embed_card::ssr::Script;
    use article_embed_server::requests::client_ip::{Cidr, ProxyHeader};
    use article_embed_server::{self as server, commands};
    use clap::{Parser, Subcommand};

    #[derive(Parser)]
    #[command(
        name = "article-embed",
        version,
        about = "News-article cards with a newsletter signup: the publisher's server and tools."
    )]
    struct Cli {
        /// A file of settings, one ARTICLE_EMBED_<OPTION>=value a line (what a systemd unit's
        /// EnvironmentFile= reads), for every subcommand; the environment and the command
        /// line win over it.
        #[arg(long, global = true, env = "ARTICLE_EMBED_CONFIG", value_name = "FILE")]
        config: Option<PathBuf>,
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
            /// Follow a page's redirects to other hosts on loopback, private or link-local
            /// addresses (the operator's own network), which are refused otherwise.
            #[arg(long)]
            allow_private_redirects: bool,
            /// Write a story even when the text the card shows holds bytes the page's
            /// encoding could not decode (U+FFFD); without it, such a page is refused.
            #[arg(long)]
            accept_undecoded: bool,
        },
        /// Print the snippet with the card rendered inside (declarative shadow DOM).
        Snippet(Box<SnippetArgs>),
        /// Write each article's card as <slug>.card.html beside its JSON-LD, for articles
        /// served as static files: the script shows it before the wasm comes.
        Prerender(Box<PrerenderArgs>),
        /// List the mail and webhook events waiting to be sent (addresses masked), oldest
        /// first; webhook events failing for a day or more are marked.
        Queue {
            #[arg(long, env = "ARTICLE_EMBED_DATA_DIR", default_value = server::DEFAULT_DATA_DIR)]
            data_dir: PathBuf,
            #[arg(long, env = "ARTICLE_EMBED_DB", hide_env_values = true)]
            db: Option<String>,
        },
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
        /// Serve /metrics (Prometheus) on this address, apart from the public port, for the
        /// operator's monitoring only [default: off].
        #[arg(long, env = "ARTICLE_EMBED_METRICS_ADDR")]
        metrics_addr: Option<SocketAddr>,
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
        /// Given in the environment, never printed: the URL may hold the receiver's token.
        #[arg(long, env = "ARTICLE_EMBED_WEBHOOK", hide_env_values = true)]
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
        /// Ask every signup for proof of work: the widget solves a challenge (ALTCHA's
        /// protocol) from GET on the signup endpoint while the reader types.
        #[arg(long, env = "ARTICLE_EMBED_PROOF_OF_WORK")]
        proof_of_work: bool,
        /// With --proof-of-work: the challenges' largest number (a signup costs half as
        /// many SHA-256 hashes on average).
        #[arg(long, env = "ARTICLE_EMBED_PROOF_MAX_NUMBER", default_value_t = server::signups::proof::DEFAULT_MAX_NUMBER)]
        proof_max_number: u64,
        /// With --proof-of-work: signups a minute, from all readers together, accepted from
        /// forms posted without script (no solution); more are asked to wait (429).
        #[arg(long, env = "ARTICLE_EMBED_PROOFLESS_PER_MINUTE", default_value_t = 10)]
        proofless_per_minute: u32,
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
        #[command(flatten)]
        options: ElementOptions,
    }

    /// The element's options, as its attributes (SPEC 2).
    #[derive(clap::Args)]
    struct ElementOptions {
        #[arg(long)]
        signup_endpoint: Option<String>,
        #[arg(long)]
        newsletter: Option<String>,
        #[arg(long)]
        newsletters: Option<String>,
        #[arg(long)]
        privacy_url: Option<String>,
        #[arg(long)]
        consent: Option<String>,
        #[arg(long)]
        consent_text: Option<String>,
        #[arg(long)]
        hint: Option<String>,
        #[arg(long)]
        submit_label: Option<String>,
        #[arg(long)]
        fields: Option<String>,
        #[arg(long)]
        theme: Option<String>,
        #[arg(long)]
        layout: Option<String>,
        #[arg(long)]
        lang: Option<String>,
    }

    impl ElementOptions {
        fn raw(self) -> RawOptions {
            RawOptions {
                signup_endpoint: self.signup_endpoint,
                newsletter: self.newsletter,
                newsletters: self.newsletters,
                privacy_url: self.privacy_url,
                consent: self.consent,
                consent_text: self.consent_text,
                hint: self.hint,
                submit_label: self.submit_label,
                fields: self.fields,
                theme: self.theme,
                layout: self.layout,
                lang: self.lang,
                ..RawOptions::default()
            }
        }
    }

    /// `prerender`'s options.
    #[derive(clap::Args)]
    struct PrerenderArgs {
        /// Folder of the articles' JSON-LD: each <slug>.json gets a <slug>.card.html.
        #[arg(long, env = "ARTICLE_EMBED_ARTICLES", default_value = "articles")]
        articles: PathBuf,
        /// The URL the folder is published at (https://news.example/articles/): the cards'
        /// src, and what relative URLs in the data resolve against.
        #[arg(long)]
        url: String,
        /// The attributes of the elements these cards are for: an element shows the
        /// prerendered card only when its own attributes are these.
        #[command(flatten)]
        options: ElementOptions,
    }

    #[derive(Subcommand)]
    enum Signups {
        /// Count confirmed and pending signups by partner origin (the page the card was
        /// on), article and day (UTC).
        Stats {
            #[arg(long, env = "ARTICLE_EMBED_DATA_DIR", default_value = server::DEFAULT_DATA_DIR)]
            data_dir: PathBuf,
            #[arg(long, env = "ARTICLE_EMBED_DB", hide_env_values = true)]
            db: Option<String>,
            /// A table for people, CSV for spreadsheets, or JSON.
            #[arg(long, default_value = "table", value_parser = ["table", "csv", "json"])]
            format: String,
        },
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
        /// tokens, queued mail and events, rate-limit counts, mail files. A mailing-list
        /// provider a webhook told of the address is told of its erasure (subscriber.deleted,
        /// posted by the running servers).
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
        },
    }

    /// Reads `--config` (or ARTICLE_EMBED_CONFIG) into the environment before the arguments
    /// are parsed, so that each option's `env` reads it: the command line, then the
    /// environment, then the file.
    fn load_config() -> Result<(), String> {
        let mut args = std::env::args_os().skip(1);
        let mut path = std::env::var_os("ARTICLE_EMBED_CONFIG").map(PathBuf::from);
        while let Some(arg) = args.next() {
            let arg = arg.to_string_lossy().into_owned();
            if arg == "--config" {
                path = args.next().map(PathBuf::from);
            } else if let Some(value) = arg.strip_prefix("--config=") {
                path = Some(PathBuf::from(value));
            } else if arg == "--" {
                break;
            }
        }
        let Some(path) = path else {
            return Ok(());
        };
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("--config {}: {e}", path.display()))?;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let line = line.strip_prefix("export ").unwrap_or(line);
            let (key, value) = line
                .split_once('=')
                .map(|(k, v)| (k.trim(), v.trim()))
                .filter(|(k, _)| k.starts_with("ARTICLE_EMBED_") && *k != "ARTICLE_EMBED_CONFIG")
                .ok_or_else(|| {
                    format!(
                        "{}:{}: expected ARTICLE_EMBED_<OPTION>=value",
                        path.display(),
                        n + 1
                    )
                })?;
            let value = ["\"", "'"]
                .iter()
                .find_map(|q| value.strip_prefix(q).and_then(|v| v.strip_suffix(q)))
                .unwrap_or(value);
            if std::env::var_os(key).is_none() {
                std::env::set_var(key, value);
            }
        }
        Ok(())
    }

    pub fn main() -> ExitCode {
        if let Err(message) = load_config() {
            eprintln!("article-embed: {message}");
            return ExitCode::from(2);
        }
        let cli = Cli::parse();
        let result = match cli.command {
            Command::Serve(s) => runtime().and_then(|rt| {
                let mut config = server::Config::new(s.addr);
                config.metrics_addr = s.metrics_addr;
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
                        Some(server::delivery::webhooks::Webhook::new(&url, &secret)?)
                    }
                    (Some(_), None) => {
                        return Err("--webhook needs ARTICLE_EMBED_WEBHOOK_SECRET (whsec_…)".into())
                    }
                    (None, _) => None,
                };
                config.rate_per_ip = s.rate_per_ip;
                config.rate_per_email = s.rate_per_email;
                config.proof_of_work = s.proof_of_work;
                config.proof_max_number = s.proof_max_number;
                config.proofless_per_minute = s.proofless_per_minute;
                config.fail_first = s.fail_first;
                let result = rt.block_on(server::serve(config));
                // Stopped: compression still warming the cache is not worth waiting for.
                rt.shutdown_background();
                result
            }),
            Command::Check { article, base } => return commands::check(&article, base.as_deref()),
            Command::Import {
                pages,
                articles,
                base,
                allow_private_redirects,
                accept_undecoded,
            } => {
                return match runtime() {
                    Ok(rt) => rt.block_on(commands::import(
                        &pages,
                        &articles,
                        base.as_deref(),
                        allow_private_redirects,
                        accept_undecoded,
                    )),
                    Err(e) => {
                        eprintln!("article-embed: {e}");
                        ExitCode::from(2)
                    }
                };
            }
            Command::Snippet(args) => {
                let args = *args;
                let snippet = commands::SnippetArgs {
                    article: args.article,
                    src: args.src,
                    base: args.base,
                    script: Script {
                        src: args.script,
                        integrity: args.integrity,
                    },
                    options: args.options.raw(),
                };
                runtime().and_then(|rt| rt.block_on(commands::snippet(snippet)))
            }
            Command::Prerender(args) => {
                let args = *args;
                return match runtime() {
                    Ok(rt) => rt.block_on(commands::prerender(
                        &args.articles,
                        &args.url,
                        args.options.raw(),
                    )),
                    Err(e) => {
                        eprintln!("article-embed: {e}");
                        ExitCode::from(2)
                    }
                };
            }
            Command::Queue { data_dir, db } => runtime().and_then(|rt| {
                let db = db.unwrap_or_else(|| server::default_db(&data_dir));
                rt.block_on(commands::queue(&db))
            }),
            Command::Signups {
                command:
                    Signups::Stats {
                        data_dir,
                        db,
                        format,
                    },
            } => runtime().and_then(|rt| {
                let db = db.unwrap_or_else(|| server::default_db(&data_dir));
                rt.block_on(commands::signups_stats(&db, &format))
            }),
            Command::Signups {
                command: Signups::Export { data_dir, db, out },
            } => runtime().and_then(|rt| {
                let db = db.unwrap_or_else(|| server::default_db(&data_dir));
                rt.block_on(commands::signups_export(&db, out))
            }),
            Command::Signups {
                command:
                    Signups::Delete {
                        email,
                        data_dir,
                        db,
                        mail_dir,
                    },
            } => runtime().and_then(|rt| {
                let db = db.unwrap_or_else(|| server::default_db(&data_dir));
                let mail_dir = mail_dir.unwrap_or_else(|| server::default_mail_dir(&data_dir));
                rt.block_on(commands::signups_delete(&email, &db, mail_dir))
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

    fn runtime() -> Result<tokio::runtime::Runtime, String> {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the runtime: {e}"))
    }
}

fn main() -> std::process::ExitCode {
    cli::main()
}
