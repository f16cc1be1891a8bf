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

pub async fn signups_delete(email: &str, db: &str, mail_dir: PathBuf) -> Result<(), String> {
    let email = crate::signups::subscribe::normalise_email(email);
    let store = Store::open(db).await?;
    let erased = store
        .erase(&email, time::now_ms())
        .await
        .map_err(|e| format!("cannot erase: {e}"))?;
    let mailer = crate::delivery::mail::Mailer::new("erase@localhost", None, mail_dir)?;
    let files = mailer.forget(&email).await;
    store.close().await;
    println!(
        "erased {}: {} signup(s), {} queued mail, {} queued event(s), {} mail file(s); \
         {} subscriber.deleted event(s) queued for the webhook, which the running servers post",
        crate::delivery::mail::mask(&email),
        erased.signups,
        erased.mail,
        erased.events,
        files,
        erased.queued
    );
    Ok(())
}

/// `article-embed queue`: what waits to be sent, oldest first, addresses masked; a webhook
/// event a day old says so, since it holds back its subscriber's later events.
pub async fn queue(db: &str) -> Result<(), String> {
    let store = Store::open(db).await?;
    let rows = store
        .waiting()
        .await
        .map_err(|e| format!("cannot read the queues: {e}"))?;
    store.close().await;
    let now = time::now_ms();
    if rows.is_empty() {
        println!("nothing waits: every mail and webhook event has been sent");
    }
    for w in &rows {
        let stuck = if w.queue == "webhook" && now - w.created_at >= 24 * 3_600_000 {
            "  FAILING FOR A DAY OR MORE"
        } else {
            ""
        };
        println!(
            "{} {} {} queued {} attempts {} next {}{}{}",
            w.queue,
            w.kind,
            crate::delivery::mail::mask(&w.email),
            time::iso_time(w.created_at),
            w.attempts,
            time::iso_time(w.next_at),
            w.last_error
                .as_deref()
                .map(|e| format!(" last error: {}", crate::delivery::mail::redact(e)))
                .unwrap_or_default(),
            stuck
        );
    }
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

/// `signups stats`: confirmed and pending signups by partner origin, article and day, as a
/// table (or CSV, or JSON as the metrics listener's `/stats` answers).
pub async fn signups_stats(db: &str, format: &str) -> Result<(), String> {
    use crate::signups::stats;
    let store = Store::open(db).await?;
    let rows = stats::read(&store)
        .await
        .map_err(|e| format!("cannot read the signups: {e}"))?;
    match format {
        "csv" => print!("{}", stats::to_csv(&rows)),
        "json" => println!("{}", stats::to_json(&rows)),
        _ => print!("{}", stats::to_table(&rows)),
    }
    Ok(())
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

/// `import`: every page is tried; exit 1 when one yields no article, or one whose shown
/// text holds bytes its encoding could not decode (unless `accept_undecoded`), 2 when a
/// file cannot be written.
/// `allow_private`: follow redirects to other hosts on the operator's own network too.
pub async fn import(
    pages: &[String],
    dir: &Path,
    base: Option<&str>,
    allow_private: bool,
    accept_undecoded: bool,
) -> ExitCode {
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
    let mut code = ExitCode::SUCCESS;
    for page in pages {
        let read = if is_url(page) {
            match import::client_for(page, allow_private) {
                Ok(client) => import::fetch_page(&client, page, import::PAGE_TIMEOUT)
                    .await
                    .map(|p| (p.html, p.encoding, p.had_errors, Some(p.url)))
                    .map_err(|e| e.to_string()),
                Err(e) => Err(e),
            }
        } else {
            // A saved page has no Content-Type header: its bytes say the rest, as they
            // would to a browser opening it.
            std::fs::read(page)
                .map(|bytes| {
                    let decoded = crate::articles::charset::decode(&bytes, None);
                    let encoding = decoded.describe();
                    (
                        decoded.text,
                        encoding,
                        decoded.had_errors,
                        base.map(str::to_owned),
                    )
                })
                .map_err(|e| format!("cannot read: {e}"))
        };
        let (html, encoding, had_errors, url) = match read {
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
        let undecoded = if had_errors {
            import::undecoded(&imported.article, &encoding)
        } else {
            Vec::new()
        };
        if !undecoded.is_empty() {
            for p in &undecoded {
                println!("{page}: {p}");
            }
            if !accept_undecoded {
                println!("{page}: nothing written (--accept-undecoded writes it as it is)");
                code = ExitCode::FAILURE;
                continue;
            }
        }
        // The page's own URL names the file; a saved file, its canonical URL or its name.
        let slug = url
            .as_deref()
            .and_then(import::slug)
            .or_else(|| imported.article.url.as_deref().and_then(import::slug))
            .or_else(|| import::slug(page))
            .unwrap_or_else(|| "article".to_owned());
        let Some(out) = free_name(dir, &slug, imported.article.url.as_deref()) else {
            println!("{page}: {slug}.json and its numbered names hold other stories");
            code = ExitCode::FAILURE;
            continue;
        };
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

/// Where the story at `url` is written: `<slug>.json`, unless that file holds another story
/// (another `url`, or none); then `<slug>-2.json`, `-3`… An import never replaces another
/// story's file; importing the same story again updates its own.
fn free_name(dir: &Path, slug: &str, url: Option<&str>) -> Option<std::path::PathBuf> {
    (1..100).find_map(|n| {
        let name = if n == 1 {
            format!("{slug}.json")
        } else {
            format!("{slug}-{n}.json")
        };
        let path = dir.join(name);
        let Ok(text) = std::fs::read_to_string(&path) else {
            return Some(path);
        };
        let theirs = article_embed_card::json::Json::parse(&text)
            .ok()
            .and_then(|j| j.get("url").and_then(|u| u.as_str()).map(str::to_owned));
        (url.is_some() && theirs.as_deref() == url).then_some(path)
    })
}

/// `article-embed prerender`: each `<slug>.json` of `dir` gets `<slug>.card.html`, the card
/// an element with `src="<url><slug>.json"` and `options` shows (what `serve` answers at
/// that address), for articles published as static files. Exit 1 if a story cannot be
/// read (its problems printed), 2 if a file cannot be written.
pub async fn prerender(dir: &Path, url: &str, options: RawOptions) -> ExitCode {
    let Ok(folder) = article_embed_card::url::resolve(url, None) else {
        eprintln!("article-embed: --url {url}: not an http(s) URL");
        return ExitCode::from(2);
    };
    let folder = if folder.ends_with('/') {
        folder
    } else {
        format!("{folder}/")
    };
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect(),
        Err(e) => {
            eprintln!("{}: cannot read: {e}", dir.display());
            return ExitCode::from(2);
        }
    };
    entries.sort();
    let mut code = ExitCode::SUCCESS;
    for path in entries {
        let Some(slug) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let src = format!("{folder}{slug}.json");
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                println!("{}: cannot read: {e}", path.display());
                code = ExitCode::FAILURE;
                continue;
            }
        };
        let read = ssr::read(&text, Some(src.clone()), Some(src), options.clone(), None);
        let (article, snippet, _) = match read {
            Ok(read) => read,
            Err(problems) => {
                println!("{}: {}", path.display(), problems.join("; "));
                code = ExitCode::FAILURE;
                continue;
            }
        };
        let out = path.with_file_name(format!("{slug}.card.html"));
        let html = ssr::snippet(article, &snippet).await;
        if let Err(e) = std::fs::write(&out, html) {
            eprintln!("{}: cannot write: {e}", out.display());
            return ExitCode::from(2);
        }
        println!("wrote {}", out.display());
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
