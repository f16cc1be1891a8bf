//! Dateline, headline and standfirst: what the story is.

use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct HeadlineProps {
    pub headline: AttrValue,
    pub dateline: Option<AttrValue>,
    /// `None` in the compact layout.
    pub standfirst: Option<AttrValue>,
}

#[component]
pub fn Headline(props: &HeadlineProps) -> Html {
    html! {
        <>
            if let Some(dateline) = &props.dateline {
                <p class="dateline">{ dateline }</p>
            }
            <h2 part="headline" class="headline">{ &props.headline }</h2>
            if let Some(standfirst) = &props.standfirst {
                <p part="standfirst" class="standfirst">{ standfirst }</p>
            }
        </>
    }
}
