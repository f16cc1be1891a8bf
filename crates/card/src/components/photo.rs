//! The hero photo with its caption and credit. Its box is sized before the image arrives
//! (width/height attributes, or a 16:9 frame), so nothing below it moves; a photo that
//! fails to load leaves a neat placeholder of the same size.

use yew::prelude::*;

use super::with_attributes;
use crate::article::Image;
use crate::i18n::Words;

#[derive(Properties, PartialEq, Clone)]
pub struct PhotoProps {
    pub image: Image,
    pub words: &'static Words,
    /// The widget's language, when not the story's.
    pub words_lang: Option<AttrValue>,
    /// Called after each render of the photo (its placeholder replaces the image).
    #[prop_or_default]
    pub on_rendered: Callback<()>,
}

#[component]
pub fn Photo(props: &PhotoProps) -> Html {
    let PhotoProps {
        image,
        words,
        words_lang,
        on_rendered,
    } = props;
    {
        let on_rendered = on_rendered.clone();
        use_effect(move || on_rendered.emit(()));
    }
    let failed = use_state_eq(|| false);
    // A new photo gets a new chance to load.
    {
        let failed = failed.clone();
        use_effect_with(image.url.clone(), move |_| failed.set(false));
    }
    let onerror = {
        let failed = failed.clone();
        Callback::from(move |_: Event| failed.set(true))
    };
    let sized = image.width.is_some() && image.height.is_some();
    let alt = image.caption.clone().unwrap_or_default();
    let class = match (sized, *failed) {
        (true, false) => "frame",
        (false, false) => "frame unsized",
        (true, true) => "frame failed",
        (false, true) => "frame unsized failed",
    };
    let frame = html! {
        <div>
            <img
                part="image"
                src={image.url.clone()}
                {alt}
                width={image.width.map(|w| w.to_string())}
                height={image.height.map(|h| h.to_string())}
                loading="lazy"
                decoding="async"
                {onerror}
            />
            if *failed {
                // A broken <img> loses its aspect ratio; an SVG with a viewBox keeps
                // the same box without an inline style (which a strict CSP blocks).
                <svg class="strut" viewBox={format!("0 0 {} {}", image.width.unwrap_or(16), image.height.unwrap_or(9))} aria-hidden="true" focusable="false"></svg>
                <div class="placeholder" role="img" aria-label={words.image_unavailable}>
                    <svg viewBox="0 0 24 24" width="40" height="40" aria-hidden="true" focusable="false">
                        <path fill="currentColor" d="M4 5h16a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1Zm1 2v8.6l3.3-3.3a1 1 0 0 1 1.4 0l2.8 2.8 1.8-1.8a1 1 0 0 1 1.4 0L19 16.6V7H5Zm10 3.5a1.5 1.5 0 1 1 0-3 1.5 1.5 0 0 1 0 3Z"/>
                    </svg>
                    <span aria-hidden="true">{ words.image_unavailable }</span>
                </div>
            }
        </div>
    };
    html! {
        <figure part="photo" class="photo">
            { with_attributes(frame, &["class"], [Some(class.into())]) }
            if image.caption.is_some() || image.credit.is_some() {
                <figcaption part="caption" class="caption">
                    if let Some(caption) = &image.caption {
                        <span class="caption-text">{ caption }</span>{ " " }
                    }
                    if let Some(credit) = &image.credit {
                        <span class="credit-label" lang={words_lang.clone()}>{ words.photo_credit }{ " " }</span>
                        <span part="credit" class="credit">{ credit }</span>
                    }
                </figcaption>
            }
        </figure>
    }
}
