//! Who wrote it and when: "By A and B · March 6, 2021 · Updated …".

use yew::prelude::*;

use crate::article::{Date, Party};
use crate::i18n::Words;

#[derive(Properties, PartialEq, Clone)]
pub struct BylineProps {
    pub authors: Vec<Party>,
    pub published: Option<Date>,
    pub modified: Option<Date>,
    pub lang: AttrValue,
    /// The widget's language, when not the story's.
    pub words_lang: Option<AttrValue>,
    pub words: &'static Words,
}

#[component]
pub fn Byline(props: &BylineProps) -> Html {
    let BylineProps {
        authors,
        published,
        modified,
        lang,
        words_lang,
        words,
    } = props;
    if authors.is_empty() && published.is_none() {
        return html! {};
    }
    // "By {}" is split around the names so that each name can be a link.
    let (before, after) = words.by.split_once("{}").unwrap_or(("", ""));
    let count = authors.len();
    let people = authors.iter().enumerate().map(|(i, party)| {
        let separator = match count - i {
            1 => "",
            2 => words.and,
            _ => ", ",
        };
        let name = match &party.url {
            Some(url) => html! { <a rel="author" href={url.clone()}>{ &party.name }</a> },
            None => html! { <>{ &party.name }</> },
        };
        html! { <>{ name }{ separator }</> }
    });
    let updated = modified.as_ref().filter(|m| {
        Some((m.year, m.month, m.day)) != published.as_ref().map(|p| (p.year, p.month, p.day))
    });
    html! {
        <p part="byline" class="byline" lang={words_lang.clone()}>
            if !authors.is_empty() {
                <span class="authors">{ before }{ for people }{ after }</span>
            }
            if let Some(date) = published {
                <time part="date" datetime={date.iso.clone()}>{ format_date(date, lang) }</time>
            }
            if let Some(date) = updated {
                <span class="updated">
                    { words.updated }{ " " }
                    <time datetime={date.iso.clone()}>{ format_date(date, lang) }</time>
                </span>
            }
        </p>
    }
}

/// The calendar date in the card's language ("March 6, 2021", "6 mars 2021").
#[cfg(browser)]
pub fn format_date(date: &Date, lang: &str) -> String {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    #[wasm_bindgen]
    extern "C" {
        /// A JavaScript `Date`, seen through a binding that catches exceptions.
        type CheckedDate;
        // `catch`: an unusable language tag throws a RangeError, which must not unwind
        // through the renderer.
        #[wasm_bindgen(method, catch, js_name = toLocaleDateString)]
        fn locale_date(
            this: &CheckedDate,
            lang: &str,
            options: &JsValue,
        ) -> Result<String, JsValue>;
    }

    let options = js_sys::Object::new();
    // As precise as the data: "2021", "March 2021", "March 6, 2021".
    let parts: &[(&str, &str)] = match (date.month, date.day) {
        (0, _) => &[("year", "numeric")],
        (_, 0) => &[("year", "numeric"), ("month", "long")],
        _ => &[("year", "numeric"), ("month", "long"), ("day", "numeric")],
    };
    for (key, value) in parts {
        let _ = js_sys::Reflect::set(&options, &(*key).into(), &(*value).into());
    }
    // Local midnight of the publisher's calendar date: every reader sees the same day.
    let d = js_sys::Date::new_with_year_month_day(
        date.year as u32,
        i32::from(date.month.max(1)) - 1,
        i32::from(date.day.max(1)),
    );
    let d: &CheckedDate = d.unchecked_ref();
    d.locale_date(lang, &options)
        .or_else(|_| d.locale_date("en", &options))
        .unwrap_or_else(|_| fallback_date(date))
}

/// On the server there is no `Intl` (and in Node, whose `Intl` may differ from the native
/// server's tables, the same tables are used, so both render the same markup): the
/// language's own pattern and month names, which read as `Intl` writes them, so hydration
/// finds the same text.
#[cfg(not(browser))]
pub fn format_date(date: &Date, lang: &str) -> String {
    let words = crate::i18n::words(lang);
    if date.month == 0 {
        return date.year.to_string();
    }
    let pattern = if date.day == 0 {
        words.month_year
    } else {
        words.date
    };
    match words.months.get(usize::from(date.month).wrapping_sub(1)) {
        Some(month) => pattern
            .replace("{month}", month)
            .replace("{day}", &date.day.to_string())
            .replace("{year}", &date.year.to_string()),
        None => fallback_date(date),
    }
}

fn fallback_date(date: &Date) -> String {
    match (date.month, date.day) {
        (0, _) => format!("{:04}", date.year),
        (_, 0) => format!("{:04}-{:02}", date.year, date.month),
        _ => format!("{:04}-{:02}-{:02}", date.year, date.month, date.day),
    }
}
