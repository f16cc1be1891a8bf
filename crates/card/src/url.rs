//! URL handling for data from outside: resolve references against the document's own URL
//! (RFC 3986 section 5, with the browser's leniencies that matter for safety) and keep only
//! http(s). The same code runs natively (server rendering, `check`) and in the browser, so a
//! URL is accepted or dropped identically on both sides.

/// Why a URL was not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlProblem {
    /// A scheme other than http or https (`javascript:`, `data:`, `ftp:` …).
    NotHttp,
    /// A relative reference with no http(s) base to resolve it against.
    NoBase,
    /// Empty or only whitespace.
    Empty,
}

/// Resolves `reference` against `base` and returns an absolute http(s) URL.
pub fn resolve(reference: &str, base: Option<&str>) -> Result<String, UrlProblem> {
    // Browsers drop ASCII tab and newline anywhere in a URL and trim C0 controls and spaces
    // at both ends, so "java\nscript:" is "javascript:" to them: do the same before looking
    // at the scheme.
    let cleaned: String = reference
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if cleaned.is_empty() {
        return Err(UrlProblem::Empty);
    }
    if let Some(scheme) = scheme_of(&cleaned) {
        return if is_http(scheme) {
            Ok(normalise_slashes(&cleaned, scheme.len() + 1))
        } else {
            Err(UrlProblem::NotHttp)
        };
    }
    let Some(base) = base.and_then(|b| resolve(b, None).ok()) else {
        // A protocol-relative reference ("//cdn.example/a.jpg") with no page to take its
        // scheme from: https, which is what such pages are served over.
        let slashed = cleaned.replace('\\', "/");
        if slashed.starts_with("//") {
            return Ok(normalise_slashes(
                &format!("https:{slashed}"),
                "https:".len(),
            ));
        }
        return Err(UrlProblem::NoBase);
    };
    // For http(s), browsers read "\" as "/".
    let reference = cleaned.replace('\\', "/");
    Ok(join(&base, &reference))
}

/// Like [`resolve`], but a relative reference with no base stays relative: in HTML written
/// for a page not known yet (a snippet), it resolves against that page, and having no
/// scheme it can only be the page's own, http(s).
pub fn resolve_or_keep_relative(reference: &str, base: Option<&str>) -> Result<String, UrlProblem> {
    match resolve(reference, base) {
        Err(UrlProblem::NoBase) => Ok(reference
            .trim()
            .replace(['\t', '\n', '\r'], "")
            .replace('\\', "/")),
        other => other,
    }
}

fn is_http(scheme: &str) -> bool {
    scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")
}

/// The scheme, when `s` starts with one (`ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"`).
pub fn scheme_of(s: &str) -> Option<&str> {
    let scheme = s.split_once(':')?.0;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

/// `http:\\host` and `http:/host` mean `http://host` to a browser.
fn normalise_slashes(url: &str, after_colon: usize) -> String {
    let (scheme, rest) = url.split_at(after_colon);
    let rest = rest.trim_start_matches(['/', '\\']);
    format!("{}//{}", scheme.to_ascii_lowercase(), rest)
}

/// Splits an absolute http(s) URL into `scheme://authority` and the rest.
fn split_origin(base: &str) -> (&str, &str) {
    let after_scheme = base.find("//").map_or(0, |i| i + 2);
    let path_start = base
        .get(after_scheme..)
        .and_then(|rest| rest.find(['/', '?', '#']))
        .map_or(base.len(), |i| i + after_scheme);
    base.split_at_checked(path_start).unwrap_or((base, ""))
}

fn join(base: &str, reference: &str) -> String {
    let base_no_fragment = base.split('#').next().unwrap_or(base);
    if reference.starts_with("//") {
        let scheme = base.split_once(':').map_or("https", |(scheme, _)| scheme);
        return format!("{scheme}:{reference}");
    }
    if reference.starts_with('#') {
        return format!("{base_no_fragment}{reference}");
    }
    let (origin, rest) = split_origin(base_no_fragment);
    let base_path = rest.split('?').next().unwrap_or("");
    if reference.starts_with('?') {
        let path = if base_path.is_empty() { "/" } else { base_path };
        return format!("{origin}{path}{reference}");
    }
    let (ref_path, suffix) = match reference.find(['?', '#']) {
        Some(i) => reference.split_at(i),
        None => (reference, ""),
    };
    let merged = if ref_path.starts_with('/') {
        ref_path.to_owned()
    } else {
        let dir = base_path
            .rfind('/')
            .and_then(|i| base_path.get(..=i))
            .unwrap_or("/");
        format!("{dir}{ref_path}")
    };
    format!("{origin}{}{suffix}", remove_dot_segments(&merged))
}

fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let last = segments.len().saturating_sub(1);
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." | ".." => {
                if *seg == ".." {
                    out.pop();
                }
                // A trailing dot segment still names a directory.
                if i == last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("/{}", out.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://news.example/embed/world/story.json?v=2#top";

    #[test]
    fn keeps_absolute_http_urls() {
        assert_eq!(
            resolve("https://news.example/a?b=1#c", None).as_deref(),
            Ok("https://news.example/a?b=1#c")
        );
        assert_eq!(
            resolve("HTTP://news.example/", None).as_deref(),
            Ok("http://news.example/")
        );
        assert_eq!(
            resolve("  https:\\\\news.example/x ", None).as_deref(),
            Ok("https://news.example/x")
        );
    }

    #[test]
    fn drops_every_other_scheme_however_disguised() {
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "java\nscript:alert(1)",
            "java\tscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox",
            "file:///etc/passwd",
            "ftp://news.example/x",
            "blob:https://news.example/x",
        ] {
            assert_eq!(
                resolve(bad, Some(BASE)),
                Err(UrlProblem::NotHttp),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn resolves_relative_references_like_a_browser() {
        let cases = [
            ("photo.jpg", "https://news.example/embed/world/photo.jpg"),
            ("./photo.jpg", "https://news.example/embed/world/photo.jpg"),
            (
                "../img/photo.jpg",
                "https://news.example/embed/img/photo.jpg",
            ),
            ("../../../../x", "https://news.example/x"),
            ("/abs/path", "https://news.example/abs/path"),
            ("//cdn.example/p.jpg", "https://cdn.example/p.jpg"),
            ("\\\\cdn.example/p.jpg", "https://cdn.example/p.jpg"),
            ("?q=1", "https://news.example/embed/world/story.json?q=1"),
            (
                "#frag",
                "https://news.example/embed/world/story.json?v=2#frag",
            ),
            ("a/b?x=1#y", "https://news.example/embed/world/a/b?x=1#y"),
            ("..", "https://news.example/embed/"),
            (
                "javascript-guide.html",
                "https://news.example/embed/world/javascript-guide.html",
            ),
        ];
        for (reference, want) in cases {
            assert_eq!(
                resolve(reference, Some(BASE)).as_deref(),
                Ok(want),
                "{reference}"
            );
        }
        assert_eq!(
            resolve("p.jpg", Some("https://news.example")).as_deref(),
            Ok("https://news.example/p.jpg")
        );
    }

    #[test]
    fn relative_references_can_stay_relative() {
        assert_eq!(
            resolve_or_keep_relative(" /api/sub\nscribe ", None).as_deref(),
            Ok("/api/subscribe")
        );
        assert_eq!(
            resolve_or_keep_relative("/api", Some(BASE)).as_deref(),
            Ok("https://news.example/api")
        );
        assert_eq!(
            resolve_or_keep_relative("javascript:x", None),
            Err(UrlProblem::NotHttp)
        );
    }

    #[test]
    fn relative_without_a_usable_base_is_dropped() {
        assert_eq!(resolve("photo.jpg", None), Err(UrlProblem::NoBase));
        assert_eq!(
            resolve("photo.jpg", Some("javascript:alert(1)")),
            Err(UrlProblem::NoBase)
        );
        assert_eq!(resolve("  \n ", Some(BASE)), Err(UrlProblem::Empty));
    }

    #[test]
    fn protocol_relative_takes_the_page_scheme_or_https() {
        assert_eq!(
            resolve("//cdn.example/a.jpg", Some("http://news.example/story")),
            Ok("http://cdn.example/a.jpg".into())
        );
        assert_eq!(
            resolve("//cdn.example/a.jpg", None),
            Ok("https://cdn.example/a.jpg".into())
        );
        assert_eq!(
            resolve("\\\\cdn.example/a.jpg", None),
            Ok("https://cdn.example/a.jpg".into())
        );
        assert_eq!(resolve("/a.jpg", None), Err(UrlProblem::NoBase));
    }
}
