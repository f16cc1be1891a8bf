//! The newsletters the server sends mail about (SPEC 6.1, "Only its own words in mail"):
//! the names given with `--newsletter`, else each publisher's default name as the widget
//! writes it (`<publisher> Newsletter`, in each of the widget's languages) for the
//! publishers of the articles it serves, and the widget's fallback name for articles
//! without one. Anything else is refused, so the server cannot be made to mail arbitrary
//! text to arbitrary addresses.

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
        }
    }

    /// The accepted name, as listed, or `None` when the server does not send this one.
    pub fn accept(&self, name: &str) -> Option<String> {
        let wanted = key(name);
        if let Some(listed) = &self.listed {
            return listed.get(&wanted).cloned();
        }
        let mut scanned = self
            .scanned
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let stale = scanned
            .as_ref()
            .is_none_or(|(at, names)| !names.contains_key(&wanted) && at.elapsed() >= RESCAN_AFTER);
        if stale {
            *scanned = Some((Instant::now(), self.defaults()));
        }
        scanned
            .as_ref()
            .and_then(|(_, names)| names.get(&wanted).cloned())
    }

    /// The names accepted now (for the log at start).
    pub fn describe(&self) -> String {
        match &self.listed {
            Some(listed) => format!("{} listed with --newsletter", listed.len()),
            None => {
                let publishers = self.publishers().len();
                format!(
                    "the default names of the {publishers} publisher(s) in {}",
                    self.articles.display()
                )
            }
        }
    }

    fn publishers(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.articles) else {
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

    fn defaults(&self) -> HashMap<String, String> {
        let mut map = HashMap::new();
        let publishers = self.publishers();
        for words in i18n::tables() {
            insert(&mut map, words.newsletter_fallback);
            for publisher in &publishers {
                insert(&mut map, &i18n::fill(words.newsletter_of, publisher));
            }
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo_articles() -> PathBuf {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../articles"))
    }

    #[test]
    fn defaults_come_from_the_publishers_in_every_language() {
        let n = Newsletters::new(&[], repo_articles());
        assert_eq!(
            n.accept("The Jerusalem Post Newsletter").as_deref(),
            Some("The Jerusalem Post Newsletter")
        );
        assert_eq!(
            n.accept("  the jerusalem   post NEWSLETTER ").as_deref(),
            Some("The Jerusalem Post Newsletter")
        );
        assert!(n.accept("Boletín de The Jerusalem Post").is_some());
        assert!(
            n.accept("our newsletter").is_some(),
            "the widget's fallback name"
        );
        assert_eq!(n.accept("Free prize! Click http://phish.example"), None);
        assert_eq!(n.accept(""), None);
    }

    #[test]
    fn listed_names_replace_the_defaults() {
        let n = Newsletters::new(&["Morning Brief".into()], repo_articles());
        assert_eq!(n.accept("morning brief").as_deref(), Some("Morning Brief"));
        assert_eq!(n.accept("The Jerusalem Post Newsletter"), None);
    }
}
