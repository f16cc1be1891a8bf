//! The commands besides `serve` (SPEC section 6): `check`, `snippet`, `import`, `signups
//! export` and `signups delete`, as the binary (crates/cli) runs them once it has read its
//! arguments. Each writes what it did on standard output and each problem with its field
//! path; the exit codes are the ones the SPEC gives (1: a problem in the data, 2: a file
//! that cannot be read or written).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use article_embed_card::options::RawOptions;
use article_embed_card::ssr;

use crate::store::{self, Store};
use crate::time;

/// `snippet`'s arguments.
#[derive(Debug, Clone)]
pub struct SnippetArgs {
    /// The article's JSON-LD file.
    pub article: PathBuf,
    /// Where the element loads the data from; without it, the data goes inline.
    pub src: Option<String>,
    /// What relative URLs of inline data resolve against.
    pub base: Option<String>,
    pub script: ssr::Script,
    /// The element's attributes.
    pub options: RawOptions,
}

pub async fn signups_delete(
    email: &str,
    db: &str,
    mail_dir: PathBuf,
    webhook: bool,
    no_webhook: bool,
) -> Result<(), String> {
    let email = crate::signups::subscribe::normalise_email(email);
    let store = Store::open(db).await?;
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
        .erase(&email, time::now_ms(), webhook)
        .await
        .map_err(|e| format!("cannot erase: {e}"))?;
    let mailer = crate::delivery::mail::Mailer::new("erase@localhost", None, mail_dir)?;
    let files = mailer.forget(&email).await;
    store.close().await;
    println!(
        "erased {}: {} signup(s), {} queued mail, {} queued event(s), {} mail file(s); \
         {} subscriber.deleted event(s) queued",
        crate::delivery::mail::mask(&email),
        erased.signups,
        erased.mail,
        erased.events,
        files,
        erased.queued
    );
    Ok(())
}

pub async fn signups_export(db: &str, out: Option<PathBuf>) -> Result<(), String> {
    let store = Store::open(db).await?;
    let rows = store
        .all()
        .await
        .map_err(|e| format!("cannot read the signups: {e}"))?;
    let csv = store::to_csv(&rows);
    match out {
        Some(path) => {
            std::fs::write(&path, csv).map_err(|e| format!("cannot write {}: {e}", path.display()))
        }
        None => {
            print!("{csv}");
            Ok(())
        }
    }
}

pub async fn snippet(args: SnippetArgs) -> Result<(), String> {
    let text = std::fs::read_to_string(&args.article)
        .map_err(|e| format!("{}: cannot read: {e}", args.article.display()))?;
    let (article, snippet, warnings) =
        ssr::read(&text, args.src, args.base, args.options, Some(args.script))
            .map_err(|problems| format!("{}: {}", args.article.display(), problems.join("; ")))?;
    for warning in &warnings {
        eprintln!("{}: {warning}", args.article.display());
    }
    print!("{}", ssr::snippet(article, &snippet).await);
    Ok(())
}

/// `import`: every page is tried; exit 1 when one yields no article, 2 when a file
/// cannot be written.
pub async fn import(pages: &[String], dir: &Path, base: Option<&str>) -> ExitCode {
    use crate::articles::import;
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
        .user_agent(import::USER_AGENT)
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

pub fn check(path: &Path, base: Option<&str>) -> ExitCode {
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
    let problems = match article_embed_card::article::parse(&json, Some(base.unwrap_or(&stand_in)))
    {
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
