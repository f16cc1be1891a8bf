//! The outbox: submissions that could not reach the server, kept in the reader's browser
//! (localStorage, one list per endpoint) and sent again when the browser is back online or
//! on the next page view. The same `Idempotency-Key` goes with every send, so the server
//! keeps one signup however often an entry is sent. This is the pure part; storage and
//! sending are in `browser`.

use crate::json::{object, Json};
use crate::signup::SignupRequest;

/// More than this many waiting signups in one browser is not a reader: the oldest go.
pub const MAX_ENTRIES: usize = 20;
/// A signup still unsent after a week is stale (the reader has moved on): it is dropped.
pub const MAX_AGE_MS: f64 = 7.0 * 24.0 * 3600.0 * 1000.0;
/// Waits between sends of a stored entry that keeps failing: 1 minute, doubling, at most
/// 6 hours, so that a server in trouble is not hit on every page view.
const FIRST_WAIT_MS: f64 = 60_000.0;
const MAX_WAIT_MS: f64 = 6.0 * 3600.0 * 1000.0;

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub request: SignupRequest,
    /// Milliseconds since the epoch.
    pub queued_at: f64,
    /// Sends from the outbox that failed so far (absent in entries of older versions).
    pub attempts: u32,
    /// Not to be sent again before this time (milliseconds since the epoch).
    pub next_at: f64,
}

/// The outbox as stored: a JSON array of entries.
pub fn to_text(entries: &[Entry]) -> String {
    Json::Array(entries.iter().map(Entry::to_json).collect()).to_text()
}

/// The stored outbox; an entry that does not read (edited by hand, another version's) is
/// left out rather than losing the others.
pub fn from_text(text: &str) -> Vec<Entry> {
    match Json::parse(text) {
        Ok(Json::Array(items)) => items.iter().filter_map(Entry::from_json).collect(),
        _ => Vec::new(),
    }
}

impl Entry {
    pub fn new(key: String, request: SignupRequest, now: f64) -> Entry {
        Entry {
            key,
            request,
            queued_at: now,
            attempts: 0,
            next_at: 0.0,
        }
    }

    fn to_json(&self) -> Json {
        object([
            ("key", self.key.as_str().into()),
            ("request", self.request.to_json()),
            ("queued_at", Json::Number(self.queued_at)),
            ("attempts", Json::Number(f64::from(self.attempts))),
            ("next_at", Json::Number(self.next_at)),
        ])
    }

    fn from_json(v: &Json) -> Option<Entry> {
        let number = |key| v.get(key).and_then(Json::as_f64);
        Some(Entry {
            key: v.get("key")?.as_str()?.to_owned(),
            request: SignupRequest::from_json(v.get("request")?)?,
            queued_at: number("queued_at")?,
            // `as` saturates, and reads NaN as 0.
            attempts: number("attempts").map_or(0, |n| n as u32),
            next_at: number("next_at").unwrap_or(0.0),
        })
    }

    pub fn expired(&self, now: f64) -> bool {
        now - self.queued_at > MAX_AGE_MS
    }

    pub fn due(&self, now: f64) -> bool {
        now >= self.next_at
    }

    /// The entry after another failed send, or a 429: its next send waits longer.
    pub fn failed(mut self, now: f64, retry_after_ms: Option<f64>) -> Entry {
        self.attempts = self.attempts.saturating_add(1);
        let exponent = i32::try_from(self.attempts.saturating_sub(1).min(20)).unwrap_or(20);
        let wait = (FIRST_WAIT_MS * 2f64.powi(exponent)).min(MAX_WAIT_MS);
        self.next_at = now + wait.max(retry_after_ms.unwrap_or(0.0));
        self
    }
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
            && e.request.newsletter == entry.request.newsletter
            && e.request.newsletters == entry.request.newsletters)
    });
    entries.push(entry);
    let excess = entries.len().saturating_sub(MAX_ENTRIES);
    entries.drain(..excess);
}

/// What stays after a flush: everything not settled, including entries another card or tab
/// added while this flush was sending; `delayed` replaces the entries of the same key (their
/// failed sends counted).
pub fn after_flush(entries: Vec<Entry>, settled: &[String], delayed: &[Entry]) -> Vec<Entry> {
    entries
        .into_iter()
        .filter(|e| !settled.contains(&e.key))
        .map(|e| match delayed.iter().find(|d| d.key == e.key) {
            Some(d) => d.clone(),
            None => e,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str, email: &str) -> Entry {
        Entry::new(
            key.into(),
            SignupRequest {
                email: email.into(),
                newsletter: "N".into(),
                newsletters: Vec::new(),
                consent: true,
                consent_text: "Yes.".into(),
                name: None,
                article: None,
                page: None,
                locale: "en".into(),
            },
            0.0,
        )
    }

    #[test]
    fn entries_expire_after_a_week() {
        let e = entry("a", "a@x.org");
        assert!(!e.expired(MAX_AGE_MS - 1.0));
        assert!(e.expired(MAX_AGE_MS + 1.0));
    }

    #[test]
    fn failed_sends_back_off() {
        let now = 1_000_000.0;
        let once = entry("a", "a@x.org").failed(now, None);
        assert_eq!(once.attempts, 1);
        assert_eq!(once.next_at, now + 60_000.0);
        assert!(!once.due(now + 59_000.0) && once.due(now + 60_000.0));
        let twice = once.failed(now, None);
        assert_eq!(twice.next_at, now + 120_000.0);
        let many = (0..30).fold(entry("b", "b@x.org"), |e, _| e.failed(now, None));
        assert_eq!(many.next_at, now + MAX_WAIT_MS, "capped");
        let limited = entry("c", "c@x.org").failed(now, Some(300_000.0));
        assert_eq!(
            limited.next_at,
            now + 300_000.0,
            "never sooner than Retry-After"
        );
    }

    #[test]
    fn entries_of_older_versions_still_read() {
        let old = r#"{"key":"k","request":{"email":"a@x.org","newsletter":"N","consent":true,"article":null,"page":null,"locale":"en"},"queued_at":5}"#;
        let [e] = &from_text(&format!("[{old}]"))[..] else {
            panic!("one entry")
        };
        assert_eq!((e.attempts, e.next_at), (0, 0.0));
        assert!(e.due(0.0));
    }

    #[test]
    fn stored_entries_read_back_and_broken_ones_are_left_out() {
        let kept = vec![
            entry("a", "a@x.org").failed(1_700_000_000_000.0, None),
            entry("b", "b@x.org"),
        ];
        assert_eq!(from_text(&to_text(&kept)), kept);
        let mixed = format!(
            "[{{\"key\":1}},{}]",
            &to_text(&kept)[1..to_text(&kept).len() - 1]
        );
        assert_eq!(from_text(&mixed), kept);
        assert_eq!(from_text("not json"), []);
        assert_eq!(from_text("{}"), []);
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
        let left = after_flush(entries, &["a".into(), "b".into()], &[]);
        assert_eq!(left, [entry("new", "n@x.org")]);
        let delayed = entry("new", "n@x.org").failed(10.0, None);
        let left = after_flush(left, &[], std::slice::from_ref(&delayed));
        assert_eq!(left, [delayed], "a failed send is counted");
    }

    #[test]
    fn keys_are_per_endpoint() {
        assert_ne!(
            storage_key("https://a.example/s"),
            storage_key("https://b.example/s")
        );
    }
}
