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

/// The options as they arrive from attributes or from `mount()`: all strings, all optional.
/// (The server reads them from JSON with serde, feature `serde`; the wasm reads the
/// JavaScript object itself, see `RawOptions::from_js`.)
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Deserialize),
    serde(rename_all = "camelCase", default)
)]
pub struct RawOptions {
    pub signup_endpoint: Option<String>,
    pub newsletter: Option<String>,
    pub privacy_url: Option<String>,
    pub consent: Option<String>,
    pub theme: Option<String>,
    pub layout: Option<String>,
    pub lang: Option<String>,
    /// The host page's URL, sent with a signup.
    pub page: Option<String>,
    /// The document's base URL (`document.baseURI`), which relative URLs resolve against,
    /// as the browser resolves the plain form's `action`: under a `<base href>` the two
    /// differ from the page's own URL alike.
    pub base: Option<String>,
}

#[cfg(target_arch = "wasm32")]
impl RawOptions {
    /// The options object of JavaScript (camelCase names, text values); other names are
    /// not ours to judge.
    pub fn from_js(options: &wasm_bindgen::JsValue) -> Result<RawOptions, wasm_bindgen::JsError> {
        if options.is_undefined() || options.is_null() {
            return Ok(RawOptions::default());
        }
        if !options.is_object() {
            return Err(wasm_bindgen::JsError::new("options: expected an object"));
        }
        let text = |name| js_text(options, name);
        Ok(RawOptions {
            signup_endpoint: text("signupEndpoint")?,
            newsletter: text("newsletter")?,
            privacy_url: text("privacyUrl")?,
            consent: text("consent")?,
            theme: text("theme")?,
            layout: text("layout")?,
            lang: text("lang")?,
            page: text("page")?,
            base: text("base")?,
        })
    }
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
