//! `article-embed`: the publisher's binary (SPEC section 6), a thin shell over the library.

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::net::SocketAddr;
    use std::path::PathBuf;
    use std::process::ExitCode;

    use article_embed::server::{self, store};
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
        /// Print the snippet with the card rendered inside (declarative shadow DOM).
        Snippet(Box<SnippetArgs>),
        /// Manage the stored signups.
        Signups {
            #[command(subcommand)]
            command: Signups,
        },
    }

    #[derive(clap::Args)]
    struct Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Folder of the articles' JSON-LD, served at /articles/.
        #[arg(long, default_value = "articles")]
        articles: PathBuf,
        /// sqlite://PATH or postgres://…
        #[arg(long, default_value = store::DEFAULT_DB)]
        db: String,
        /// Folder of the site: / is its index.html, other files are served as they are.
        #[arg(long, default_value = ".")]
        site: PathBuf,
        /// Folder of the built script and wasm, served at /dist/ and /dist/v<version>/.
        #[arg(long, default_value = "dist")]
        dist: PathBuf,
        /// The server's URL as readers reach it, for confirmation links [default: http://ADDR].
        #[arg(long)]
        public_url: Option<String>,
        /// An origin whose pages may call the API from JavaScript (repeatable)
        /// [default: the public URL's origin].
        #[arg(long = "allow-origin")]
        allow_origins: Vec<String>,
        /// Send confirmation mail through this SMTP server (smtp://user:pass@host:587?tls=required).
        #[arg(long)]
        smtp: Option<String>,
        #[arg(long, default_value = "Newsletter <newsletter@localhost>")]
        mail_from: String,
        /// Without --smtp (or when SMTP fails), confirmation mail is written here as .eml files.
        #[arg(long, default_value = "mail-drop")]
        mail_dir: PathBuf,
        /// Signups per minute from one IP address.
        #[arg(long, default_value_t = 30)]
        rate_per_ip: u32,
        /// Signup attempts per hour for one email address.
        #[arg(long, default_value_t = 5)]
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
            #[arg(long, default_value = store::DEFAULT_DB)]
            db: String,
            /// Write to this file instead of standard output.
            #[arg(long)]
            out: Option<PathBuf>,
        },
    }

    pub fn main() -> ExitCode {
        let cli = Cli::parse();
        let result = match cli.command {
            Command::Serve(s) => runtime().and_then(|rt| {
                let mut config = server::Config::new(s.addr);
                config.db = s.db;
                config.site = s.site;
                config.dist = s.dist;
                config.articles = s.articles;
                if let Some(url) = s.public_url {
                    config.public_url = url;
                }
                config.allow_origins = s.allow_origins;
                config.smtp = s.smtp;
                config.mail_from = s.mail_from;
                config.mail_dir = s.mail_dir;
                config.rate_per_ip = s.rate_per_ip;
                config.rate_per_email = s.rate_per_email;
                config.fail_first = s.fail_first;
                rt.block_on(server::serve(config))
            }),
            Command::Check { article, base } => return check(&article, base.as_deref()),
            Command::Snippet(args) => runtime().and_then(|rt| rt.block_on(snippet(*args))),
            Command::Signups {
                command: Signups::Export { db, out },
            } => runtime().and_then(|rt| rt.block_on(export(&db, out))),
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

    async fn export(db: &str, out: Option<PathBuf>) -> Result<(), String> {
        let store = store::Store::open(db).await?;
        let rows = store
            .all()
            .await
            .map_err(|e| format!("cannot read {db}: {e}"))?;
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
        use article_embed::options::RawOptions;
        use article_embed::ssr::{self, DataSource, Snippet};

        let text = std::fs::read_to_string(&args.article)
            .map_err(|e| format!("{}: cannot read: {e}", args.article.display()))?;
        let json: article_embed::json::Json = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{}: (document): not valid JSON: {e}",
                args.article.display()
            )
        })?;
        // A root-relative src ("/articles/x.json") resolves against the page the snippet goes
        // in: resolve against a stand-in origin, then take the origin off again.
        const STAND_IN: &str = "http://snippet.invalid";
        let base = args.src.as_deref().or(args.base.as_deref()).map(|b| {
            if b.starts_with('/') && !b.starts_with("//") {
                format!("{STAND_IN}{b}")
            } else {
                b.to_owned()
            }
        });
        let parsed = article_embed::article::parse(&json, base.as_deref()).map_err(|problems| {
            let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
            format!("{}: {}", args.article.display(), list.join("; "))
        })?;
        for warning in &parsed.warnings {
            eprintln!("{}: {warning}", args.article.display());
        }
        let mut article = parsed.article;
        article.map_urls(|u| u.strip_prefix(STAND_IN).unwrap_or(u).to_owned());
        let snippet = Snippet {
            data: match args.src {
                Some(src) => DataSource::Src(src),
                None => DataSource::Inline(text.trim().to_owned()),
            },
            options: RawOptions {
                signup_endpoint: args.signup_endpoint,
                newsletter: args.newsletter,
                privacy_url: args.privacy_url,
                consent: args.consent,
                theme: args.theme,
                layout: args.layout,
                lang: args.lang,
                page: None,
            },
            script: args.script,
        };
        print!("{}", ssr::snippet(article, &snippet).await);
        Ok(())
    }

    fn check(path: &PathBuf, base: Option<&str>) -> ExitCode {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{}: cannot read: {e}", path.display());
                return ExitCode::from(2);
            }
        };
        let json: article_embed::json::Json = match serde_json::from_str(&text) {
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
        let problems = match article_embed::article::parse(&json, Some(base.unwrap_or(&stand_in))) {
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

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

// The binary is native only; the wasm build uses the library alone.
#[cfg(target_arch = "wasm32")]
fn main() {}
