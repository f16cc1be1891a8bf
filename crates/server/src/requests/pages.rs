//! The server's own small pages: the answer to a form posted without JavaScript, and the
//! confirmation pages. Self-contained (no script, their own inline styles), served with
//! [`crate::requests::headers::PLAIN_PAGE_CSP`].

use article_embed_card::ssr::attr;

const HEAD: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
    <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
    <title>Newsletter</title><style>body{font:18px/1.5 system-ui,sans-serif;max-width:36em;\
    margin:15vh auto;padding:0 1em;color:#16181d}a{color:#0b57d0}\
    button{font:inherit;font-weight:700;padding:.6em 1.2em;border:0;border-radius:8px;\
    background:#0b57d0;color:#fff;cursor:pointer}button:focus-visible{outline:3px solid #16181d;\
    outline-offset:2px}</style></head><body><main><h1>Newsletter</h1>";
const TAIL: &str = "</main></body></html>";

/// A message, and a link back to where the reader came from.
pub fn message(message: &str, back: Option<&str>) -> String {
    let back = back
        .map(|url| format!(r#"<p><a href="{}">Back to the article</a></p>"#, attr(url)))
        .unwrap_or_default();
    format!("{HEAD}<p role=\"status\">{}</p>{back}{TAIL}", attr(message))
}

/// What a confirmation link opens: a button that confirms (a link scanner that fetches the
/// page confirms nothing).
pub fn confirm(newsletter: &str, token: &str) -> String {
    format!(
        "{HEAD}<p>Please confirm that you want to receive {}.</p>\
         <form method=\"post\" action=\"/api/confirm\">\
         <input type=\"hidden\" name=\"token\" value=\"{}\">\
         <button type=\"submit\">Confirm my subscription</button></form>{TAIL}",
        attr(newsletter),
        attr(token)
    )
}
