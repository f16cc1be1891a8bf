//! The widget's own words. Components never hold text of their own: they take it from
//! here, in the card's language, with English as the fallback for any language not (yet)
//! translated. The tables are src/words.json (build.rs makes them statics): every one in a
//! build with feature `translations` (the servers'), English alone in the browser's wasm,
//! which takes the others from a file when a card needs them ([`missing`], [`add_table`]).

/// Every phrase the card shows or announces. `{}` marks where a value goes.
#[derive(Debug)]
pub struct Words {
    /// Prefix of the byline: "By {}".
    pub by: &'static str,
    /// Joins the last two names of a list: "A, B and C".
    pub and: &'static str,
    pub updated: &'static str,
    pub photo_credit: &'static str,
    pub image_unavailable: &'static str,
    pub read_full_story: &'static str,
    /// "{} contributed to this report."
    pub contributed: &'static str,
    /// Heading of the signup form: "Subscribe to {}".
    pub subscribe_to: &'static str,
    /// The newsletter's name when the publisher's is unknown.
    pub newsletter_fallback: &'static str,
    /// "{} Newsletter": the default name from the publisher's.
    pub newsletter_of: &'static str,
    pub email_label: &'static str,
    pub email_placeholder: &'static str,
    pub email_hint: &'static str,
    /// The optional name field's label (`fields="name"`).
    pub name_label: &'static str,
    /// A form offering several newsletters, sent with none ticked.
    pub choose_newsletter: &'static str,
    pub consent: &'static str,
    pub privacy_policy: &'static str,
    pub subscribe: &'static str,
    pub sending: &'static str,
    pub email_missing: &'static str,
    pub email_invalid: &'static str,
    pub consent_missing: &'static str,
    pub subscribed: &'static str,
    pub pending: &'static str,
    pub already_subscribed: &'static str,
    pub rate_limited: &'static str,
    pub server_error: &'static str,
    pub network_error: &'static str,
    pub retrying: &'static str,
    pub queued: &'static str,
    /// Before the outcome of a queued signup sent on a later visit.
    pub outbox_sent: &'static str,
    /// The honeypot's label, which only bots see.
    pub trap_label: &'static str,
    /// Month names and the date pattern: dates are written from them on the server and in
    /// the browser alike.
    pub months: [&'static str; 12],
    /// `{month}`, `{day}`, `{year}`.
    pub date: &'static str,
    /// A date known only to the month: `{month}`, `{year}`.
    pub month_year: &'static str,
}

/// Tables are statics, one for each language: the same table is the same words. (Props
/// holding words are compared on every render; comparing them phrase by phrase cost 1.2 KB
/// of code in the wasm.)
impl PartialEq for Words {
    fn eq(&self, other: &Words) -> bool {
        std::ptr::eq(self, other)
    }
}

include!(concat!(env!("OUT_DIR"), "/words.rs"));

thread_local! {
    /// The tables read at run time ([`add_table`]), for the page's life.
    static LOADED: std::cell::RefCell<Vec<(&'static str, &'static Words)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Every language's table (the server accepts a newsletter's default name in any of them).
#[cfg(feature = "translations")]
pub fn tables() -> impl Iterator<Item = &'static Words> {
    BUILT_IN.iter().map(|(_, words)| *words)
}

/// The words for a BCP 47 language tag (`en`, `en-GB` …); English when there is none.
pub fn words(lang: &str) -> &'static Words {
    translation(lang).1
}

/// The language the widget's words for `lang` are in: its primary subtag when there is a
/// table for it, else `en` (a Persian story's card speaks English, and says so).
pub fn words_language(lang: &str) -> &'static str {
    translation(lang).0
}

fn translation(lang: &str) -> (&'static str, &'static Words) {
    let primary = lang.split(['-', '_']).next().unwrap_or("");
    let find = |tables: &[(&'static str, &'static Words)]| {
        tables
            .iter()
            .find(|(tag, _)| tag.eq_ignore_ascii_case(primary))
            .copied()
    };
    find(BUILT_IN)
        .or_else(|| LOADED.with_borrow(|loaded| find(loaded)))
        .unwrap_or(("en", &EN))
}

/// Whether the card in `lang` needs a table this build does not hold and that has not been
/// read yet ([`add_table`]): the browser's wasm holds English only, since every reader
/// would download all the others (2.7 KB of brotli in the wasm) to read one.
pub fn missing(lang: &str) -> bool {
    let primary = lang.split(['-', '_']).next().unwrap_or("");
    !primary.eq_ignore_ascii_case("en")
        && LANGUAGES
            .iter()
            .any(|tag| tag.eq_ignore_ascii_case(primary))
        && words_language(lang) == "en"
}

/// Takes the table of `tag` from its phrases, in the order tools/words.mjs writes them,
/// joined by U+001F, for the page's life; `false` for a tag with no table or phrases of
/// another version. (A build that holds every table takes none, and says `true`.)
pub fn add_table(tag: &str, phrases: String) -> bool {
    let Some(tag) = LANGUAGES.iter().find(|t| **t == tag) else {
        return false;
    };
    if phrases.split('\u{1f}').count() != PHRASES {
        return false;
    }
    if missing(tag) {
        // Kept for the page's life, as the built-in tables are: leaked once per language.
        let phrases: &'static str = Box::leak(phrases.into_boxed_str());
        let mut each = phrases.split('\u{1f}');
        let table: [&'static str; PHRASES] = std::array::from_fn(|_| each.next().unwrap_or(""));
        let words: &'static Words = Box::leak(Box::new(table_from(&table)));
        LOADED.with_borrow_mut(|loaded| loaded.push((tag, words)));
    }
    true
}

/// English written outside the United States puts the day first ("6 March 2021").
const DAY_FIRST_ENGLISH: &[&str] = &["gb", "au", "nz", "ie", "in", "za", "sg", "hk", "mt"];

/// The pattern of a full date for `lang`: the table's, with the regions whose English puts
/// the day first. The server and the browser both write dates from here, so a card keeps
/// its text when the browser takes it over.
pub fn date_pattern(lang: &str) -> &'static str {
    let mut subtags = lang.split(['-', '_']);
    let primary = subtags.next().unwrap_or("");
    let day_first = primary.eq_ignore_ascii_case("en")
        && subtags.any(|s| DAY_FIRST_ENGLISH.iter().any(|r| r.eq_ignore_ascii_case(s)));
    if day_first {
        "{day} {month} {year}"
    } else {
        words(lang).date
    }
}

/// Direction of a language's script.
pub fn is_rtl(lang: &str) -> bool {
    let primary = lang.split(['-', '_']).next().unwrap_or("");
    matches!(
        primary.to_ascii_lowercase().as_str(),
        "ar" | "he" | "fa" | "ur" | "yi" | "ps" | "sd" | "ug" | "dv" | "ckb"
    )
}

/// Fills the `{}` of a phrase.
pub fn fill(phrase: &str, value: &str) -> String {
    phrase.replacen("{}", value, 1)
}

/// "A", "A and B", "A, B and C".
pub fn list(words: &Words, names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{}{}{}", init.join(", "), words.and, last),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_naturally() {
        assert_eq!(list(&EN, &[]), "");
        assert_eq!(list(&EN, &["A"]), "A");
        assert_eq!(list(&EN, &["A", "B"]), "A and B");
        assert_eq!(list(&EN, &["A", "B", "C"]), "A, B and C");
    }

    #[test]
    fn every_language_has_its_words() {
        assert_eq!(
            BUILT_IN.len(),
            LANGUAGES.len(),
            "a server holds every table"
        );
        for (tag, w) in BUILT_IN {
            assert_eq!(words(tag), *w, "{tag}");
            for phrase in [w.by, w.contributed, w.subscribe_to, w.newsletter_of] {
                assert_eq!(phrase.matches("{}").count(), 1, "{tag}: {phrase}");
            }
            for part in ["{day}", "{month}", "{year}"] {
                assert!(w.date.contains(part), "{tag}: {}", w.date);
            }
        }
        assert_eq!(words("he-IL").read_full_story, "לכתבה המלאה");
        assert_eq!(words("DE").subscribe, "Abonnieren");
        assert_eq!(list(&ES, &["A", "B"]), "A y B");
    }

    #[test]
    fn fallback_and_direction() {
        assert_eq!(words("en-GB"), &EN);
        assert_eq!(words("xx"), &EN);
        assert_eq!(words("not a tag!"), &EN);
        assert!(is_rtl("he-IL") && is_rtl("ar") && !is_rtl("en") && !is_rtl("my"));
        assert_eq!(fill(EN.subscribe_to, "The Post"), "Subscribe to The Post");
    }

    #[test]
    fn words_say_which_language_they_are_in() {
        assert_eq!(words_language("he-IL"), "he");
        assert_eq!(
            words_language("fa"),
            "en",
            "no Persian table: English, said so"
        );
        assert_eq!(words_language(""), "en");
    }

    #[test]
    fn english_dates_put_the_day_first_where_its_readers_do() {
        assert_eq!(date_pattern("en"), "{month} {day}, {year}");
        assert_eq!(date_pattern("en-US"), "{month} {day}, {year}");
        for tag in ["en-GB", "en_au", "en-IN", "en-Latn-GB"] {
            assert_eq!(date_pattern(tag), "{day} {month} {year}", "{tag}");
        }
        assert_eq!(
            date_pattern("fr-GB"),
            FR.date,
            "a region changes English only"
        );
    }
}
