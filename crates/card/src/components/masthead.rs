//! The publisher's name or logo, at the top of the card.

use yew::prelude::*;

use crate::article::Publisher;

#[derive(Properties, PartialEq, Clone)]
pub struct MastheadProps {
    pub publisher: Option<Publisher>,
}

#[component]
pub fn Masthead(props: &MastheadProps) -> Html {
    let Some(publisher) = &props.publisher else {
        return html! {};
    };
    let name = publisher.name.clone().unwrap_or_default();
    html! {
        <header class="masthead" part="publisher">
            if let Some(logo) = &publisher.logo {
                <img
                    class="logo"
                    src={logo.url.clone()}
                    alt={name.clone()}
                    width={logo.width.map(|w| w.to_string())}
                    height={logo.height.map(|h| h.to_string())}
                    decoding="async"
                />
            } else if !name.is_empty() {
                <span class="publisher-name">{ name }</span>
            }
        </header>
    }
}
