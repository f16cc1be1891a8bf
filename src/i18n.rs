//! The widget's own words. Components never hold text of their own: they take it from
//! here, in the card's language, with English as the fallback for any language not (yet)
//! translated.

/// Every phrase the card shows or announces. `{}` marks where a value goes.
#[derive(Debug, PartialEq)]
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
    /// Month names and the date pattern, for dates rendered on the server; the browser
    /// uses `Intl` and says the same for each translated language.
    pub months: [&'static str; 12],
    /// `{month}`, `{day}`, `{year}`.
    pub date: &'static str,
}

pub const EN: Words = Words {
    by: "By {}",
    and: " and ",
    updated: "Updated",
    photo_credit: "Photo:",
    image_unavailable: "Image unavailable",
    read_full_story: "Read the full story",
    contributed: "{} contributed to this report.",
    subscribe_to: "Subscribe to {}",
    newsletter_fallback: "our newsletter",
    newsletter_of: "{} Newsletter",
    email_label: "Email address",
    email_placeholder: "you@example.org",
    email_hint: "Stay updated with the latest news!",
    consent: "I agree to receive this newsletter by email.",
    privacy_policy: "Privacy policy",
    subscribe: "Subscribe",
    sending: "Subscribing…",
    email_missing: "Enter your email address.",
    email_invalid: "Enter an email address like name@example.org.",
    consent_missing: "Please tick the box to agree before subscribing.",
    subscribed: "You're subscribed. Thank you!",
    pending: "Almost done: check your inbox to confirm your subscription.",
    already_subscribed: "You're already subscribed. Thank you!",
    rate_limited: "Too many attempts. Please try again in a moment.",
    server_error: "Something went wrong on our side. Please try again.",
    network_error: "We couldn't reach the server. Check your connection and try again.",
    retrying: "Connection trouble. Trying again…",
    queued: "You seem to be offline. Your subscription is saved on this device and will be sent as soon as you're back online.",
    outbox_sent: "Your saved subscription has been sent.",
    trap_label: "Leave this field empty",
    months: [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ],
    date: "{month} {day}, {year}",
};

/// Translations by primary language subtag.
const TRANSLATIONS: &[(&str, &Words)] = &[("en", &EN)];

/// The words for a BCP 47 language tag (`en`, `en-GB` …); English when there is none.
pub fn words(lang: &str) -> &'static Words {
    let primary = lang.split(['-', '_']).next().unwrap_or("");
    TRANSLATIONS
        .iter()
        .find(|(tag, _)| tag.eq_ignore_ascii_case(primary))
        .map_or(&EN, |(_, words)| words)
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
    fn fallback_and_direction() {
        assert_eq!(words("en-GB"), &EN);
        assert_eq!(words("xx"), &EN);
        assert!(is_rtl("he-IL") && is_rtl("ar") && !is_rtl("en") && !is_rtl("my"));
        assert_eq!(fill(EN.subscribe_to, "The Post"), "Subscribe to The Post");
    }
}
