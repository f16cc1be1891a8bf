//! The first paragraphs of the story.

use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct ExcerptProps {
    pub paragraphs: Vec<String>,
}

#[component]
pub fn Excerpt(props: &ExcerptProps) -> Html {
    if props.paragraphs.is_empty() {
        return html! {};
    }
    html! {
        <div part="excerpt" class="excerpt">
            { for props.paragraphs.iter().map(|p| html! { <p>{ p }</p> }) }
        </div>
    }
}
