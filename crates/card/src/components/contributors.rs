//! "Idan Zonshine and Reuters contributed to this report."

use yew::prelude::*;

use crate::article::Party;
use crate::i18n::{self, Words};

#[derive(Properties, PartialEq, Clone)]
pub struct ContributorsProps {
    pub contributors: Vec<Party>,
    pub words: &'static Words,
    /// The widget's language, when not the story's.
    pub words_lang: Option<AttrValue>,
}

#[component]
pub fn Contributors(props: &ContributorsProps) -> Html {
    if props.contributors.is_empty() {
        return html! {};
    }
    let names: Vec<&str> = props.contributors.iter().map(|p| p.name.as_str()).collect();
    let line = i18n::fill(props.words.contributed, &i18n::list(props.words, &names));
    html! {
        <p part="contributors" class="contributors" lang={props.words_lang.clone()}>{ line }</p>
    }
}
