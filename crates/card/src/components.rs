//! The card, one module per part. `Card` is the root: it picks the language and layout and
//! hands each part only what it draws.

mod byline;
mod contributors;
mod excerpt;
mod headline;
mod masthead;
mod photo;
mod signup;

use std::rc::Rc;

use yew::prelude::*;
use yew::virtual_dom::{AttributeOrProperty, Attributes, VNode};

use crate::article::Article;
use crate::i18n;
use crate::options::{Layout, Options};
use crate::platform::Platform;

pub use byline::format_date;

#[derive(Properties, PartialEq, Clone)]
pub struct CardProps {
    pub article: Rc<Article>,
    pub options: Rc<Options>,
    /// Told the `status` of every finished signup (SPEC section 2, `article-embed:subscribe`).
    #[prop_or_default]
    pub on_subscribe: Callback<&'static str>,
    /// Called after every render has reached the DOM, the parts' own included (the photo's
    /// placeholder, the form's messages): the element keeps track of the DOM it owns.
    #[prop_or_default]
    pub on_rendered: Callback<()>,
}

/// The card, drawn for the platform `P` it runs on (the browser's, or [`Rendering`] on a
/// server): only the signup form acts on it.
///
/// [`Rendering`]: crate::platform::Rendering
#[component]
pub fn Card<P: Platform>(props: &CardProps) -> Html {
    let CardProps {
        article, options, ..
    } = props;
    // The widget's own words may be in another language than the story (`lang="es"` on
    // an English story): the card says the story's language, and each part holding the
    // widget's words says theirs, so that screen readers pronounce both right.
    let lang = options.language(article).to_owned();
    let words = i18n::words(&lang);
    let content_lang = article.language.clone().unwrap_or_else(|| lang.clone());
    // The language the words are really in: English where there is no table for `lang`.
    let spoken = i18n::words_language(&lang);
    let content_primary = content_lang.split(['-', '_']).next().unwrap_or("");
    let words_lang: Option<AttrValue> =
        (!content_primary.eq_ignore_ascii_case(spoken)).then(|| AttrValue::from(spoken));
    let dir = if i18n::is_rtl(&content_lang) {
        "rtl"
    } else {
        "ltr"
    };
    let full = options.layout == Layout::Full;

    {
        let on_rendered = props.on_rendered.clone();
        use_effect(move || on_rendered.emit(()));
    }

    let class = format!(
        "card layout-{} theme-{}",
        options.layout.as_str(),
        options.theme.as_str()
    );
    let card = html! {
        <article>
            <masthead::Masthead publisher={article.publisher.clone()} />
            if let Some(image) = &article.image {
                <photo::Photo
                    image={image.clone()}
                    {words}
                    words_lang={words_lang.clone()}
                    on_rendered={props.on_rendered.clone()}
                />
            }
            <div class="content">
                <headline::Headline
                    headline={article.headline.clone()}
                    dateline={article.dateline.clone()}
                    standfirst={article.standfirst.clone().filter(|_| full)}
                />
                <byline::Byline
                    authors={article.authors.clone()}
                    published={article.published.clone()}
                    modified={article.modified.clone()}
                    lang={lang.clone()}
                    words_lang={words_lang.clone()}
                    {words}
                />
                if full {
                    <excerpt::Excerpt paragraphs={article.excerpt.clone()} />
                    <contributors::Contributors
                        contributors={article.contributors.clone()}
                        {words}
                        words_lang={words_lang.clone()}
                    />
                }
                if let Some(url) = &article.url {
                    <a part="link" class="more" href={url.clone()} lang={words_lang.clone()}>
                        { words.read_full_story }
                        <span class="arrow" aria-hidden="true">{ if dir == "rtl" { "←" } else { "→" } }</span>
                    </a>
                }
            </div>
            if let Some(endpoint) = &options.signup_endpoint {
                <signup::Signup<P>
                    endpoint={endpoint.clone()}
                    newsletter={options.newsletter_name(article, words)}
                    choices={options.newsletters.clone()}
                    privacy_url={options.privacy_url.clone()}
                    consent_required={options.consent == crate::options::Consent::Required}
                    consent_text={options.consent_text.clone().map_or(AttrValue::Static(words.consent), AttrValue::from)}
                    hint={options.hint.clone().map_or(AttrValue::Static(words.email_hint), AttrValue::from)}
                    name_field={options.name_field}
                    submit_label={options.submit_label.clone().map_or(AttrValue::Static(words.subscribe), AttrValue::from)}
                    article_url={article.url.clone()}
                    page={options.page.clone()}
                    lang={lang}
                    words_lang={words_lang}
                    {words}
                    on_subscribe={props.on_subscribe.clone()}
                    on_rendered={props.on_rendered.clone()}
                />
            }
        </article>
    };
    with_attributes(
        card,
        &["part", "lang", "dir", "class"],
        [
            Some("card".into()),
            Some(content_lang.into()),
            Some(dir.into()),
            Some(class.into()),
        ],
    )
}

/// `element`, written in html! without attributes, given `keys` and their `values` (`None`
/// leaves one out), in html!'s order: `class` last. For the elements whose class is
/// computed: html!'s `class={…}` goes through yew's `Classes`, an ordered set whose code
/// cost 0.7 KB of brotli in the wasm for the three elements that need one; here the class
/// is a string like any other attribute.
pub(crate) fn with_attributes<const N: usize>(
    mut element: Html,
    keys: &'static [&'static str; N],
    values: [Option<AttrValue>; N],
) -> Html {
    if let VNode::VTag(tag) = &mut element {
        // Just made, so held once: `get_mut` always succeeds.
        if let Some(tag) = Rc::get_mut(tag) {
            tag.set_attributes(Attributes::Dynamic {
                keys,
                values: Box::new(values.map(|value| value.map(AttributeOrProperty::Attribute))),
            });
        }
    }
    element
}
