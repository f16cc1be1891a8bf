//! The outbox: submissions that could not reach the server, kept in the reader's browser
//! (localStorage, one list per endpoint) and sent again when the browser is back online or
//! on the next page view. The same `Idempotency-Key` goes with every send, so the server
//! keeps one signup however often an entry is sent. This is the pure part; storage and
//! sending are in `browser`.

use serde::{Deserialize, Serialize};

use crate::signup::SignupRequest;

/// More than this many waiting signups in one browser is not a reader: the oldest go.
pub const MAX_ENTRIES: usize = 20;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub key: String,
    pub request: SignupRequest,
    /// Milliseconds since the epoch.
    pub queued_at: f64,
}

/// The localStorage key of an endpoint's outbox.
pub fn storage_key(endpoint: &str) -> String {
    format!("article-embed:outbox:{endpoint}")
}

/// Adds an entry. A newer signup of the same address to the same newsletter replaces the
/// older one (the reader changed their mind about consent, say).
pub fn add(entries: &mut Vec<Entry>, entry: Entry) {
    entries.retain(|e| {
        !(e.request.email.eq_ignore_ascii_case(&entry.request.email)
            && e.request.newsletter == entry.request.newsletter)
    });
    entries.push(entry);
    let excess = entries.len().saturating_sub(MAX_ENTRIES);
    entries.drain(..excess);
}

/// What stays after a flush: everything not settled, including entries another card or tab
/// added while this flush was sending.
pub fn without(entries: Vec<Entry>, settled: &[String]) -> Vec<Entry> {
    entries
        .into_iter()
        .filter(|e| !settled.contains(&e.key))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str, email: &str) -> Entry {
        Entry {
            key: key.into(),
            request: SignupRequest {
                email: email.into(),
                newsletter: "N".into(),
                consent: true,
                article: None,
                page: None,
                locale: "en".into(),
            },
            queued_at: 0.0,
        }
    }

    #[test]
    fn one_entry_per_address_and_newsletter() {
        let mut entries = vec![entry("a", "x@example.org"), entry("b", "y@example.org")];
        add(&mut entries, entry("c", "X@example.org"));
        let keys: Vec<_> = entries.iter().map(|e| &e.key[..]).collect();
        assert_eq!(keys, ["b", "c"]);
    }

    #[test]
    fn bounded() {
        let mut entries = Vec::new();
        for i in 0..(MAX_ENTRIES + 5) {
            add(
                &mut entries,
                entry(&i.to_string(), &format!("r{i}@example.org")),
            );
        }
        assert_eq!(entries.len(), MAX_ENTRIES);
        assert_eq!(entries[0].key, "5", "the oldest go first");
    }

    #[test]
    fn settled_entries_leave_and_new_ones_stay() {
        let entries = vec![
            entry("a", "a@x.org"),
            entry("b", "b@x.org"),
            entry("new", "n@x.org"),
        ];
        let left = without(entries, &["a".into(), "b".into()]);
        assert_eq!(left, [entry("new", "n@x.org")]);
    }

    #[test]
    fn keys_are_per_endpoint() {
        assert_ne!(
            storage_key("https://a.example/s"),
            storage_key("https://b.example/s")
        );
    }
}
