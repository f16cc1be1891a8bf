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
