//! The server's own small pages: the answer to a form posted without JavaScript, and the
//! confirmation pages. Self-contained (no script, their own inline styles), served with
//! [`crate::requests::headers::PLAIN_PAGE_CSP`].

use article_embed_card::ssr::attr;

use crate::words::Words;

const STYLE: &str = "body{font:18px/1.5 system-ui,sans-serif;max-inline-size:36em;\
    margin:15vh auto;padding:0 1em;color:#16181d}a{color:#0b57d0}\
    button{font:inherit;font-weight:700;padding:.6em 1.2em;border:0;border-radius:8px;\
    background:#0b57d0;color:#fff;cursor:pointer}button:focus-visible{outline:3px solid #16181d;\
    outline-offset:2px}";

/// The page around `main`, in the words' language and direction.
fn page(w: &Words, main: &str) -> String {
    let dir = if w.right_to_left { "rtl" } else { "ltr" };
    format!(
        "<!doctype html><html lang=\"{}\" dir=\"{dir}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>{STYLE}</style></head><body><main><h1>{title}</h1>\
         {main}</main></body></html>",
        w.lang,
        title = attr(w.page_title),
    )
}

/// A message, and a link back to where the reader came from.
pub fn message(w: &Words, message: &str, back: Option<&str>) -> String {
    let back = back
        .map(|url| format!(r#"<p><a href="{}">{}</a></p>"#, attr(url), attr(w.back)))
        .unwrap_or_default();
    page(
        w,
        &format!("<p role=\"status\">{}</p>{back}", attr(message)),
    )
}

/// What a confirmation link opens: a button that confirms (a link scanner that fetches the
/// page confirms nothing).
pub fn confirm(w: &Words, newsletter: &str, token: &str) -> String {
    page(
        w,
        &format!(
            "<p>{}</p><form method=\"post\" action=\"/api/confirm\">\
             <input type=\"hidden\" name=\"token\" value=\"{}\">\
             <button type=\"submit\">{}</button></form>",
            attr(&w.fill(w.confirm_prompt, newsletter)),
            attr(token),
            attr(w.confirm_button)
        ),
    )
}
