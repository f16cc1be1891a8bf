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
    pub privacy_url: Option<String>,
    pub consent: Consent,
    pub theme: Theme,
    pub layout: Layout,
    pub lang: Option<String>,
    pub page: Option<String>,
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
        let options = Options {
            signup_endpoint,
            newsletter: text(&self.newsletter).map(|n| crate::text::truncate(&n, 120)),
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
        let all = RawOptions {
            signup_endpoint: Some("1".into()),
            newsletter: Some("2".into()),
            privacy_url: Some("3".into()),
            consent: Some("4".into()),
            theme: Some("5".into()),
            layout: Some("6".into()),
            lang: Some("7".into()),
            ..RawOptions::default()
        };
        let names: Vec<&str> = all.attributes().iter().map(|(n, _)| *n).collect();
        assert_eq!(names, declared);
        assert!(
            all.attributes().iter().all(|(_, v)| v.is_some()),
            "each a field of its own"
        );
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
