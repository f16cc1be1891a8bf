//! The card's stylesheet as shipped: without comments and layout whitespace. It goes into
//! the wasm and into every server-rendered snippet, where the comments written for the
//! people who edit it would cost every reader bytes. Used by build.rs (which includes this
//! file) and tested here.
//!
//! Deliberately conservative: it only drops comments, collapses whitespace, and removes the
//! spaces around `{ } ; , >` and after `:`, never inside quoted strings. It never touches a
//! space before `:` (a descendant combinator in `.card :focus-visible`) or around `+`/`-`
//! (significant in `calc()`).

pub fn minify(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    // A space is written only when the next significant character needs one.
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = '\0';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
                pending_space = true;
            }
            '"' | '\'' => {
                flush_space(&mut out, &mut pending_space, c);
                out.push(c);
                let mut escaped = false;
                for s in chars.by_ref() {
                    out.push(s);
                    if escaped {
                        escaped = false;
                    } else if s == '\\' {
                        escaped = true;
                    } else if s == c {
                        break;
                    }
                }
            }
            c if c.is_whitespace() => pending_space = true,
            c => {
                flush_space(&mut out, &mut pending_space, c);
                if c == '}' && out.ends_with(';') {
                    out.pop();
                }
                out.push(c);
            }
        }
    }
    out
}

/// Writes the collapsed space before `next` unless punctuation on either side makes it
/// meaningless.
fn flush_space(out: &mut String, pending: &mut bool, next: char) {
    if std::mem::take(pending)
        && !out.is_empty()
        && !matches!(next, '{' | '}' | ';' | ',' | '>')
        && !out.ends_with(['{', '}', ';', ',', '>', ':'])
    {
        out.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::minify;

    #[test]
    fn drops_comments_and_layout_whitespace() {
        let css = "/* about */\n:host {\n  display: block !important; /* why */\n}\n\n.a > .b,\n.c { color: red; }\n";
        assert_eq!(
            minify(css),
            ":host{display:block !important}.a>.b,.c{color:red}"
        );
    }

    #[test]
    fn keeps_what_carries_meaning() {
        // Descendant combinators before a pseudo-class, calc() operators, quoted text.
        assert_eq!(
            minify(".card :focus-visible { inline-size: calc(100% - 2 * 8px); }"),
            ".card :focus-visible{inline-size:calc(100% - 2 * 8px)}"
        );
        assert_eq!(
            minify(".more::after { content: \" (\"  attr(href)   \") /* no */\"; }"),
            ".more::after{content:\" (\" attr(href) \") /* no */\"}"
        );
        assert_eq!(
            minify("@media (prefers-color-scheme: dark) and (min-width: 480px) { .x { a: b } }"),
            "@media (prefers-color-scheme:dark) and (min-width:480px){.x{a:b}}"
        );
    }

    #[test]
    fn the_card_sheet_shrinks_and_is_stable() {
        let css = include_str!("card.css");
        let small = minify(css);
        assert!(
            small.len() * 4 < css.len() * 3,
            "{} of {}",
            small.len(),
            css.len()
        );
        assert!(!small.contains("/*"));
        assert_eq!(minify(&small), small);
        // Every rule survives: as many braces as the source has outside its comments.
        let code: String = css
            .split("/*")
            .enumerate()
            .map(|(i, part)| {
                if i == 0 {
                    part
                } else {
                    part.split_once("*/").map_or("", |(_, rest)| rest)
                }
            })
            .collect();
        assert_eq!(small.matches('{').count(), code.matches('{').count());
        assert_eq!(small.matches('}').count(), code.matches('}').count());
        assert_eq!(small.matches(':').count(), code.matches(':').count());
    }
}
