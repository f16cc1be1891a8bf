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

/// The calendar date in the card's language ("March 6, 2021", "6 March 2021" in en-GB,
/// "6 mars 2021"), from the language's own tables, on the server and in the browser alike:
/// the browser's `Intl` (what the card once used) writes some languages otherwise than any
/// table a server has, and the text then changed when the browser took a card over.
pub fn format_date(date: &Date, lang: &str) -> String {
    let words = crate::i18n::words(lang);
    if date.month == 0 {
        return date.year.to_string();
    }
    let pattern = if date.day == 0 {
        words.month_year
    } else {
        crate::i18n::date_pattern(lang)
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
