//! The newsletters the server sends mail about (SPEC 6.1, "Only its own words in mail"):
//! the names given with `--newsletter`, else each publisher's default name as the widget
//! writes it (`<publisher> Newsletter`, in each of the widget's languages) for the
//! publishers of the articles it serves, and the widget's fallback name for articles
//! without one, and the publishers of the pages it has read for `--source` sites. Anything
//! else is refused, so the server cannot be made to mail arbitrary text to arbitrary
//! addresses. The folder is read off the request's thread (`spawn_blocking`), one rescan
//! at a time, and no lock is held across it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use article_embed_card::{article, i18n, text};

/// How often an unknown name may send the server back to the articles folder (a story of a
/// new publisher added while the server runs is picked up, a flood of bad names is not a
/// flood of folder scans).
const RESCAN_AFTER: Duration = Duration::from_secs(10);

pub struct Newsletters {
    /// From `--newsletter`: fixed.
    listed: Option<HashMap<String, String>>,
    articles: PathBuf,
    /// Defaults from the articles, and when they were read.
    scanned: Mutex<Option<(Instant, HashMap<String, String>)>>,
    /// One rescan at a time; the others wait for its result.
    rescanning: tokio::sync::Mutex<()>,
    /// Defaults of the publishers of `--source` pages read so far.
    learned: Mutex<HashMap<String, String>>,
}

/// Names compare as the widget sends them: whitespace collapsed, at most 120 characters,
/// case ignored.
fn key(name: &str) -> String {
    text::truncate(&text::clean(name), 120).to_lowercase()
}

fn insert(map: &mut HashMap<String, String>, name: &str) {
    let name = text::truncate(&text::clean(name), 120);
    if !name.is_empty() {
        map.insert(name.to_lowercase(), name);
    }
}

impl Newsletters {
    pub fn new(listed: &[String], articles: PathBuf) -> Newsletters {
        let listed = (!listed.is_empty()).then(|| {
            let mut map = HashMap::new();
            for name in listed {
                insert(&mut map, name);
            }
            map
        });
        Newsletters {
            listed,
            articles,
            scanned: Mutex::new(None),
            rescanning: tokio::sync::Mutex::new(()),
            learned: Mutex::new(HashMap::new()),
        }
    }

    /// Takes the default names of the publisher of a page read for a `--source` site: its
    /// card offers them.
    pub fn learn(&self, article: &article::Article) {
        let Some(publisher) = article.publisher.as_ref().and_then(|p| p.name.as_deref()) else {
            return;
        };
        let mut learned = self.learned.lock().unwrap_or_else(|p| p.into_inner());
        for words in i18n::tables() {
            insert(&mut learned, &i18n::fill(words.newsletter_of, publisher));
        }
    }

    fn known(&self, wanted: &str) -> (Option<String>, bool) {
        let learned = self.learned.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(name) = learned.get(wanted) {
            return (Some(name.clone()), false);
        }
        drop(learned);
        let scanned = self.scanned.lock().unwrap_or_else(|p| p.into_inner());
        match scanned.as_ref() {
            Some((at, names)) => match names.get(wanted) {
                Some(name) => (Some(name.clone()), false),
                None => (None, at.elapsed() >= RESCAN_AFTER),
            },
            None => (None, true),
        }
    }

    /// The accepted name, as listed, or `None` when the server does not send this one.
    pub async fn accept(&self, name: &str) -> Option<String> {
        let wanted = key(name);
        if let Some(listed) = &self.listed {
            return listed.get(&wanted).cloned();
        }
        let (found, stale) = self.known(&wanted);
        if found.is_some() || !stale {
            return found;
        }
        let _one = self.rescanning.lock().await;
        // Another request may have rescanned while this one waited.
        let (found, stale) = self.known(&wanted);
        if found.is_some() || !stale {
            return found;
        }
        let dir = self.articles.clone();
        let names = tokio::task::spawn_blocking(move || defaults(&dir))
            .await
            .unwrap_or_default();
        let found = names.get(&wanted).cloned();
        *self.scanned.lock().unwrap_or_else(|p| p.into_inner()) = Some((Instant::now(), names));
        found
    }

    /// The names accepted now (for the log at start).
    pub fn describe(&self) -> String {
        match &self.listed {
            Some(listed) => format!("{} listed with --newsletter", listed.len()),
            None => {
                let publishers = publishers(&self.articles).len();
                format!(
                    "the default names of the {publishers} publisher(s) in {}",
                    self.articles.display()
                )
            }
        }
    }
}

fn publishers(articles: &std::path::Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(articles) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.ends_with(".json") && !n.starts_with('.'))
        })
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .filter_map(|text| article_embed_card::json::Json::parse(&text).ok())
        .filter_map(|json| article::parse(&json, Some("https://publisher.invalid/a.json")).ok())
        .filter_map(|parsed| parsed.article.publisher.and_then(|p| p.name))
        .collect();
    names.sort();
    names.dedup();
    names
}

fn defaults(articles: &std::path::Path) -> HashMap<String, String> {
    let mut map = HashMap::new();
    let publishers = publishers(articles);
    for words in i18n::tables() {
        insert(&mut map, words.newsletter_fallback);
        for publisher in &publishers {
            insert(&mut map, &i18n::fill(words.newsletter_of, publisher));
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo_articles() -> PathBuf {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../articles"))
    }

    #[tokio::test]
    async fn defaults_come_from_the_publishers_in_every_language() {
        let n = Newsletters::new(&[], repo_articles());
        assert_eq!(
            n.accept("The Jerusalem Post Newsletter").await.as_deref(),
            Some("The Jerusalem Post Newsletter")
        );
        assert_eq!(
            n.accept("  the jerusalem   post NEWSLETTER ")
                .await
                .as_deref(),
            Some("The Jerusalem Post Newsletter")
        );
        assert!(n.accept("Boletín de The Jerusalem Post").await.is_some());
        assert!(
            n.accept("our newsletter").await.is_some(),
            "the widget's fallback name"
        );
        assert_eq!(
            n.accept("Free prize! Click http://phish.example").await,
            None
        );
        assert_eq!(n.accept("").await, None);
    }

    #[tokio::test]
    async fn listed_names_replace_the_defaults() {
        let n = Newsletters::new(&["Morning Brief".into()], repo_articles());
        assert_eq!(
            n.accept("morning brief").await.as_deref(),
            Some("Morning Brief")
        );
        assert_eq!(n.accept("The Jerusalem Post Newsletter").await, None);
    }
}
