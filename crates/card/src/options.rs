//! The publisher's choices: the attributes of `<article-embed>` (SPEC section 2), the same
//! options `mount()` takes. Unknown values fall back to the default instead of failing, so
//! a typo in an attribute never takes a card down.

use crate::article::Article;
use crate::i18n;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    Light,
    Dark,
    #[default]
    Auto,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    #[default]
    Full,
    Compact,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Consent {
    #[default]
    Optional,
    Required,
}

impl Theme {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            "auto" | "" => Some(Theme::Auto),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::Auto => "auto",
        }
    }
}

impl Layout {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "full" | "" => Some(Layout::Full),
            "compact" => Some(Layout::Compact),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Full => "full",
            Layout::Compact => "compact",
        }
    }
}

impl Consent {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "optional" | "" => Some(Consent::Optional),
            "required" => Some(Consent::Required),
            _ => None,
        }
    }
}

// RawOptions (its fields, `attributes()`, `from_js`) and `height`, from src/element.json.
include!(concat!(env!("OUT_DIR"), "/element.rs"));

/// About the card's height at `width` px, before it is drawn, from the numbers of
/// src/element.json: what the element reserves while the card loads (www/src/element.js
/// does the same sum) and what the server tells oEmbed consumers.
pub fn estimated_height(width: f64, layout: Layout, form: bool) -> u32 {
    use height::*;
    let h = match layout {
        Layout::Compact => {
            let base = if width >= COMPACT_WIDE_FROM {
                COMPACT_WIDE
            } else {
                COMPACT_NARROW
            };
            base + if form { COMPACT_FORM } else { 0.0 }
        }
        Layout::Full => {
            let narrow = (FULL_NARROW_FROM - width).max(0.0);
            let form = if form {
                FULL_FORM + narrow * FULL_FORM_NARROW_PER_PX
            } else {
                0.0
            };
            width * FULL_PHOTO + FULL_BASE + narrow * FULL_NARROW_PER_PX + form
        }
    };
    h.round() as u32
}

/// `object[name]` when it is text; absent for `undefined` and `null`; an error naming the
/// option for any other value.
#[cfg(target_arch = "wasm32")]
pub fn js_text(
    object: &wasm_bindgen::JsValue,
    name: &str,
) -> Result<Option<String>, wasm_bindgen::JsError> {
    use wasm_bindgen::JsValue;
    let value =
        js_sys::Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    match value.as_string() {
        Some(s) => Ok(Some(s)),
        None => Err(wasm_bindgen::JsError::new(&format!(
            "options.{name}: expected text"
        ))),
    }
}

/// Options checked and resolved, ready to render.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options {
    pub signup_endpoint: Option<String>,
    pub newsletter: Option<String>,
    /// Several newsletters to choose from (`newsletters`); empty: the one `newsletter`.
    pub newsletters: Vec<String>,
    pub privacy_url: Option<String>,
    pub consent: Consent,
    /// The publisher's words for the form, each checked by [`publishers_words`].
    pub consent_text: Option<String>,
    pub hint: Option<String>,
    pub submit_label: Option<String>,
    /// `fields` names `name`: the form asks for a first name (optional for the reader).
    pub name_field: bool,
    pub theme: Theme,
    pub layout: Layout,
    pub lang: Option<String>,
    pub page: Option<String>,
}

/// The most newsletters one form offers (the server takes no more in one signup).
pub const NEWSLETTERS_MAX: usize = 10;

/// The longest consent sentence, hint and button label a publisher may give, in characters.
pub const CONSENT_TEXT_MAX: usize = 300;
pub const HINT_MAX: usize = 200;
pub const SUBMIT_LABEL_MAX: usize = 40;

/// A publisher's words for the form: plain text of at most `max` characters, else the
/// reason it is refused (so that the language table's words show).
pub fn publishers_words(value: &str, max: usize) -> Result<Option<String>, &'static str> {
    let text = crate::text::clean(value);
    if text.is_empty() {
        return Ok(None);
    }
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '<'
            && chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphabetic() || "/!?".contains(*n))
        {
            return Err("holds markup (plain text only)");
        }
    }
    if text.chars().count() > max {
        return Err("too long");
    }
    Ok(Some(text))
}

impl RawOptions {
    /// Resolves URLs against the page and reads the enumerated values. Returns the values
    /// that were ignored, as messages for the console.
    pub fn resolve(&self) -> (Options, Vec<String>) {
        let mut ignored = Vec::new();
        let base = self.base.as_deref().or(self.page.as_deref());
        let mut url = |name: &str, value: &Option<String>| {
            let value = value.as_deref()?;
            match crate::url::resolve_or_keep_relative(value, base) {
                Ok(u) => Some(u),
                Err(_) => {
                    ignored.push(format!("{name}=\"{value}\": not an http(s) URL, ignored"));
                    None
                }
            }
        };
        let signup_endpoint = url("signup-endpoint", &self.signup_endpoint);
        let privacy_url = url("privacy-url", &self.privacy_url);
        let mut pick = |name: &str, value: &Option<String>, parse: &dyn Fn(&str) -> bool| {
            if let Some(v) = value {
                if !parse(v) {
                    ignored.push(format!("{name}=\"{v}\": unknown value, using the default"));
                }
            }
        };
        pick("theme", &self.theme, &|v| Theme::parse(v).is_some());
        pick("layout", &self.layout, &|v| Layout::parse(v).is_some());
        pick("consent", &self.consent, &|v| Consent::parse(v).is_some());
        let text = |v: &Option<String>| {
            v.as_deref()
                .map(crate::text::clean)
                .filter(|s| !s.is_empty())
        };
        let mut words = |name: &str, value: &Option<String>, max: usize| match publishers_words(
            value.as_deref()?,
            max,
        ) {
            Ok(text) => text,
            Err(why) => {
                ignored.push(format!(
                    "{name}: {why}, at most {max} characters; the card's own words are shown"
                ));
                None
            }
        };
        let consent_text = words("consent-text", &self.consent_text, CONSENT_TEXT_MAX);
        let hint = words("hint", &self.hint, HINT_MAX);
        let submit_label = words("submit-label", &self.submit_label, SUBMIT_LABEL_MAX);
        let mut name_field = false;
        for field in self
            .fields
            .as_deref()
            .unwrap_or_default()
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|f| !f.is_empty())
        {
            if field.eq_ignore_ascii_case("name") {
                name_field = true;
            } else {
                ignored.push(format!(
                    "fields: \"{field}\" is no field of the form (there is: name), ignored"
                ));
            }
        }
        let mut newsletters: Vec<String> = Vec::new();
        for name in self.newsletters.as_deref().unwrap_or_default().split(',') {
            let name = crate::text::truncate(&crate::text::clean(name), 120);
            if !name.is_empty() && !newsletters.contains(&name) {
                newsletters.push(name);
            }
        }
        if newsletters.len() > NEWSLETTERS_MAX {
            ignored.push(format!(
                "newsletters: at most {NEWSLETTERS_MAX}, the first {NEWSLETTERS_MAX} are offered"
            ));
            newsletters.truncate(NEWSLETTERS_MAX);
        }
        // One name is no choice: it is the newsletter.
        let newsletter = match newsletters.len() {
            1 => newsletters.pop(),
            _ => text(&self.newsletter).map(|n| crate::text::truncate(&n, 120)),
        };
        let options = Options {
            signup_endpoint,
            newsletters,
            name_field,
            consent_text,
            hint,
            submit_label,
            newsletter,
            privacy_url,
            consent: self
                .consent
                .as_deref()
                .and_then(Consent::parse)
                .unwrap_or_default(),
            theme: self
                .theme
                .as_deref()
                .and_then(Theme::parse)
                .unwrap_or_default(),
            layout: self
                .layout
                .as_deref()
                .and_then(Layout::parse)
                .unwrap_or_default(),
            lang: text(&self.lang),
            page: self.page.clone(),
        };
        (options, ignored)
    }
}

impl Options {
    /// The language of the widget's own words: the `lang` option, else the article's.
    pub fn language<'a>(&'a self, article: &'a Article) -> &'a str {
        self.lang
            .as_deref()
            .or(article.language.as_deref())
            .unwrap_or("en")
    }

    /// The newsletter's name: the option, else "<publisher> Newsletter".
    pub fn newsletter_name(&self, article: &Article, words: &i18n::Words) -> String {
        if let Some(name) = &self.newsletter {
            return name.clone();
        }
        match article.publisher.as_ref().and_then(|p| p.name.as_deref()) {
            Some(publisher) => i18n::fill(words.newsletter_of, publisher),
            None => words.newsletter_fallback.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_of_attributes_gives_the_options_an_element_with_them_has() {
        let options = RawOptions::from_attributes([
            ("layout", "full"),
            ("signup-endpoint", "https://news.example/api/subscribe"),
            ("layout", "compact"),
            ("src", "https://elsewhere.example/a.json"),
            ("signupEndpoint", "https://property.example/"),
        ]);
        assert_eq!(
            options.layout.as_deref(),
            Some("compact"),
            "the last value counts"
        );
        assert_eq!(
            options.signup_endpoint.as_deref(),
            Some("https://news.example/api/subscribe"),
            "attribute names, not property names"
        );
        let every: Vec<(&str, &str)> = RawOptions::default()
            .attributes()
            .iter()
            .map(|(name, _)| (*name, "x"))
            .collect();
        let all = RawOptions::from_attributes(every);
        assert!(
            all.attributes()
                .iter()
                .all(|(_, value)| value.as_deref() == Some("x")),
            "every declared option is read"
        );
    }

    #[test]
    fn the_height_estimate_is_the_one_the_declaration_gives_examples_of() {
        let element: serde_json::Value =
            serde_json::from_str(include_str!("element.json")).expect("JSON");
        let examples = element["height"]["examples"].as_array().expect("examples");
        assert!(examples.len() >= 5);
        for e in examples {
            let layout = Layout::parse(e["layout"].as_str().expect("layout")).expect("a layout");
            let got = estimated_height(
                e["width"].as_f64().expect("width"),
                layout,
                e["form"].as_bool().expect("form"),
            );
            assert_eq!(u64::from(got), e["height"].as_u64().expect("height"), "{e}");
        }
    }

    #[test]
    fn the_publishers_words_are_plain_text_of_a_bounded_length() {
        let (options, ignored) = RawOptions {
            consent_text: Some("  J’accepte les   conditions de <i>Le Monde</i>.".into()),
            hint: Some("x".repeat(HINT_MAX + 1)),
            submit_label: Some("Je m’abonne".into()),
            fields: Some("name, phone".into()),
            ..RawOptions::default()
        }
        .resolve();
        assert_eq!(options.consent_text, None, "markup is refused");
        assert_eq!(options.hint, None, "too long is refused, not cut");
        assert_eq!(options.submit_label.as_deref(), Some("Je m’abonne"));
        assert!(options.name_field);
        assert_eq!(
            ignored,
            [
                "consent-text: holds markup (plain text only), at most 300 characters; the card's own words are shown",
                "hint: too long, at most 200 characters; the card's own words are shown",
                "fields: \"phone\" is no field of the form (there is: name), ignored",
            ]
        );
        // Plain text with a "<" that opens no tag is text; spaces are tidied.
        assert_eq!(
            publishers_words("  Ages < 16  need a parent’s  consent ", 300),
            Ok(Some("Ages < 16 need a parent’s consent".into()))
        );
        assert_eq!(publishers_words(" ", 10), Ok(None));
    }

    #[test]
    fn every_declared_option_is_an_attribute_with_a_field() {
        let element: serde_json::Value =
            serde_json::from_str(include_str!("element.json")).expect("JSON");
        let declared: Vec<&str> = element["attributes"]
            .as_array()
            .expect("attributes")
            .iter()
            .filter(|a| a["option"].as_bool() != Some(false))
            .map(|a| a["name"].as_str().expect("name"))
            .collect();
        let values: Vec<String> = (0..declared.len()).map(|i| i.to_string()).collect();
        let all = RawOptions::from_attributes(
            declared.iter().zip(&values).map(|(n, v)| (*n, v.as_str())),
        );
        let names: Vec<&str> = all.attributes().iter().map(|(n, _)| *n).collect();
        assert_eq!(names, declared);
        let got: Vec<Option<&str>> = all.attributes().iter().map(|(_, v)| v.as_deref()).collect();
        let each: Vec<Option<&str>> = values.iter().map(|v| Some(v.as_str())).collect();
        assert_eq!(got, each, "each a field of its own");
    }

    #[test]
    fn resolves_and_reports_ignored_values() {
        let raw = RawOptions {
            signup_endpoint: Some("/api/subscribe".into()),
            privacy_url: Some("javascript:alert(1)".into()),
            theme: Some("DARK".into()),
            layout: Some("sideways".into()),
            consent: Some("required".into()),
            lang: Some("  he ".into()),
            page: Some("https://host.example/news/page.html".into()),
            ..RawOptions::default()
        };
        let (o, ignored) = raw.resolve();
        assert_eq!(
            o.signup_endpoint.as_deref(),
            Some("https://host.example/api/subscribe")
        );
        assert_eq!(o.privacy_url, None);
        assert_eq!(
            (o.theme, o.layout, o.consent),
            (Theme::Dark, Layout::Full, Consent::Required)
        );
        assert_eq!(o.lang.as_deref(), Some("he"));
        assert_eq!(
            ignored,
            [
                "privacy-url=\"javascript:alert(1)\": not an http(s) URL, ignored",
                "layout=\"sideways\": unknown value, using the default",
            ]
        );
    }

    #[test]
    fn newsletter_name_defaults_from_the_publisher() {
        let mut article = Article::default();
        let o = Options::default();
        assert_eq!(o.newsletter_name(&article, &i18n::EN), "our newsletter");
        article.publisher = Some(crate::article::Publisher {
            name: Some("The Jerusalem Post".into()),
            logo: None,
        });
        assert_eq!(
            o.newsletter_name(&article, &i18n::EN),
            "The Jerusalem Post Newsletter"
        );
        let o = Options {
            newsletter: Some("Morning Brief".into()),
            ..Options::default()
        };
        assert_eq!(o.newsletter_name(&article, &i18n::EN), "Morning Brief");
        assert_eq!(o.language(&article), "en");
    }
}
