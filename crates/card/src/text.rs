//! Plain-text handling. Text from article data is only ever put into text nodes and
//! attribute values, never parsed as markup; these helpers make it tidy and bounded.

/// Collapses runs of whitespace (including newlines) to single spaces and trims the ends.
/// Control characters other than whitespace are dropped.
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(4096));
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|c| !c.is_control()));
    }
    out
}

/// Decodes the HTML character references content systems leave in JSON-LD text
/// (`&amp;`, `&#8220;`, `&#x2019;`, `&hellip;`), once: what a reference decodes to is not
/// read again, so `&amp;#8220;` becomes `&#8220;`. References need their `;`; named ones
/// are those such systems write for punctuation and symbols ([`NAMED`]), and any other
/// stays as written. The result is still text, never markup.
pub fn decode_references(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(rest.get(..at).unwrap_or_default());
        let after = rest.get(at + 1..).unwrap_or_default();
        match reference(after) {
            Some((c, used)) => {
                out.push(c);
                rest = after.get(used..).unwrap_or_default();
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The inverse of [`decode_references`]: text written so that decoding it once gives it
/// back. Only an `&` that would start a reference is written `&amp;`.
pub fn protect_references(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, part) in s.split('&').enumerate() {
        if i > 0 {
            out.push_str(if reference(part).is_some() {
                "&amp;"
            } else {
                "&"
            });
        }
        out.push_str(part);
    }
    out
}

/// The character of a named reference in [`NAMED`].
fn named(name: &str) -> Option<char> {
    let mut start = 0;
    for (i, c) in NAMED.char_indices() {
        if !c.is_ascii_alphanumeric() {
            if NAMED.get(start..i) == Some(name) {
                return Some(c);
            }
            start = i + c.len_utf8();
        }
    }
    None
}

/// The character a reference stands for, and the bytes it took after its `&`.
fn reference(s: &str) -> Option<(char, usize)> {
    let end = s.bytes().take(34).position(|b| b == b';')?;
    let body = s.get(..end)?;
    let c = if let Some(number) = body.strip_prefix('#') {
        let value = match number.strip_prefix(['x', 'X']) {
            Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                u32::from_str_radix(hex, 16).ok()
            }
            None if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) => {
                number.parse().ok()
            }
            _ => return None,
        };
        // As HTML does: nothing, a surrogate or beyond Unicode is the replacement character,
        // and 128–159 are read as Windows-1252 (`&#150;` is an en dash), as old systems meant.
        match value {
            Some(v @ 0x80..=0x9F) => WINDOWS_1252
                .get(v as usize - 0x80)
                .and_then(|&c| char::from_u32(u32::from(c)))
                .unwrap_or('\u{FFFD}'),
            _ => value
                .filter(|&v| v != 0)
                .and_then(char::from_u32)
                .unwrap_or('\u{FFFD}'),
        }
    } else {
        named(body)?
    };
    Some((c, end + 1))
}

/// What HTML reads `&#128;` to `&#159;` as: Windows-1252's characters (five of them have
/// none, and stay C1 controls).
#[rustfmt::skip]
const WINDOWS_1252: [u16; 32] = [
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
    0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
];

/// The named references content systems write for punctuation and symbols, each name
/// followed by its character (one string: a table of pairs costs the wasm twice as much).
/// Letters come as numeric references from them, and HTML parsers decode the rest.
const NAMED: &str = "amp&lt<gt>quot\"apos'nbsp\u{A0}shy\u{AD}ndash–mdash—hellip…bull•middot·\
lsquo‘rsquo’sbquo‚ldquo“rdquo”bdquo„laquo«raquo»lsaquo‹rsaquo›copy©reg®trade™deg°\
times×euro€pound£";

/// Cuts `s` to at most `max` characters, at a word boundary when there is one in the last
/// fifth, and marks the cut with an ellipsis. Never splits a character.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let cut = s
        .char_indices()
        .nth(max.saturating_sub(1))
        .map_or(s.len(), |(i, _)| i);
    let head = s.get(..cut).unwrap_or(s);
    let head = match head.rfind(char::is_whitespace) {
        Some(space) if space >= cut * 4 / 5 => head.get(..space).unwrap_or(head),
        _ => head,
    };
    let head = head.trim_end_matches(|c: char| c.is_whitespace() || ",;:".contains(c));
    format!("{head}…")
}

/// Splits a plain-text body into paragraphs at blank lines.
pub fn paragraphs(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in body.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(clean(&current));
                current.clear();
            }
        } else {
            current.push_str(line);
            current.push(' ');
        }
    }
    if !current.trim().is_empty() {
        out.push(clean(&current));
    }
    out.retain(|p| !p.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_collapses_whitespace_and_drops_controls() {
        assert_eq!(clean("  a \n\t b\u{0}c  "), "a bc");
        assert_eq!(clean("\n \t"), "");
        assert_eq!(clean("<b>x</b>"), "<b>x</b>");
    }

    #[test]
    fn character_references_are_decoded_once() {
        assert_eq!(decode_references("Tom &amp; Jerry"), "Tom & Jerry");
        assert_eq!(
            decode_references("&#8220;final&#8221; &#x2019;&#X2019; &hellip;"),
            "“final” ’’ …"
        );
        // Once: what a reference decodes to is not read again.
        assert_eq!(
            decode_references("&amp;#8220;final&amp;#8221;"),
            "&#8220;final&#8221;"
        );
        // Still text: a decoded tag is characters, not markup.
        assert_eq!(decode_references("&lt;b&gt;x&lt;/b&gt;"), "<b>x</b>");
        // Unknown, unterminated or malformed references stay as written.
        for kept in [
            "&bogus;", "AT&T", "&#;", "&#x;", "&#12", "&", "a & b", "&#xZZ;",
        ] {
            assert_eq!(decode_references(kept), kept);
        }
        // As HTML: nothing, surrogates and beyond Unicode are U+FFFD.
        assert_eq!(
            decode_references("&#0;&#xD800;&#x110000;"),
            "\u{FFFD}\u{FFFD}\u{FFFD}"
        );
        assert_eq!(decode_references("&#99999999999999999999;"), "\u{FFFD}");
        assert_eq!(decode_references("é&#233;&#xC9;"), "ééÉ");
        assert_eq!(decode_references("&#150;&#x97;&#128;&#159;"), "–—€Ÿ");
        assert_eq!(
            decode_references("&nbsp;&shy;&ndash;&mdash;&hellip;&bull;&middot;&lsquo;&rsquo;&sbquo;&ldquo;&rdquo;&bdquo;&laquo;&raquo;&lsaquo;&rsaquo;&copy;&reg;&trade;&deg;&times;&euro;&pound;&quot;&apos;"),
            "\u{A0}\u{AD}–—…•·‘’‚“”„«»‹›©®™°×€£\"'"
        );
        // Named references outside the table stay as written (HTML parsers decode those).
        assert_eq!(
            decode_references("&eacute;&am;&ampx;"),
            "&eacute;&am;&ampx;"
        );
        // Multi-byte text right after a reference does not stop it being read.
        assert_eq!(
            decode_references("&amp;ééééééééééééééééééééé"),
            "&ééééééééééééééééééééé"
        );
    }

    #[test]
    fn protected_text_decodes_back_to_itself() {
        for s in [
            "Tom & Jerry",
            "&#8220;as written&#8221;",
            "&amp;",
            "a &b; c",
            "&&#1;",
            "é&",
            "",
        ] {
            assert_eq!(decode_references(&protect_references(s)), s, "{s}");
        }
        assert_eq!(
            protect_references("Tom & Jerry &amp;"),
            "Tom & Jerry &amp;amp;"
        );
    }

    #[test]
    fn truncate_respects_characters_and_words() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("alpha beta gamma delta", 20), "alpha beta gamma…");
        // No space near the end: cut inside the word rather than lose a fifth of the text.
        assert_eq!(truncate("one two three four five", 12), "one two thr…");
        let burmese = "မြန်မာ".repeat(50);
        let t = truncate(&burmese, 7);
        assert_eq!(t.chars().count(), 7);
        assert!(t.ends_with('…'));
        assert_eq!(truncate("abcdefghij", 5), "abcd…");
    }

    #[test]
    fn paragraphs_split_on_blank_lines() {
        let body = "First line\ncontinues.\n\n \nSecond.\r\n\r\nThird.  ";
        assert_eq!(
            paragraphs(body),
            vec!["First line continues.", "Second.", "Third."]
        );
        assert!(paragraphs("\n\n").is_empty());
    }
}
