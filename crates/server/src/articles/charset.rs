//! A page's bytes to text, as a browser decodes them (the WHATWG Encoding Standard, through
//! `encoding_rs`, the crate Firefox uses): the byte order mark first, then the charset of
//! the HTTP `Content-Type`, then a `<meta>` in the first 1,024 bytes, else UTF-8 when the
//! bytes are UTF-8, else windows-1252. A saved page and the same page fetched read alike.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252, X_USER_DEFINED};

/// How many bytes the `<meta>` prescan reads, as the HTML standard has browsers do.
const PRESCAN_BYTES: usize = 1024;

/// What decided a page's encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    ByteOrderMark,
    HttpHeader,
    Meta,
    /// Nothing declared it; the bytes are valid UTF-8.
    Utf8,
    /// Nothing declared it and the bytes are not UTF-8: windows-1252, a browser's default.
    Fallback,
}

#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    /// Bytes the encoding has no character for were met (each is U+FFFD in `text`).
    pub had_errors: bool,
    pub encoding: &'static Encoding,
    pub source: Source,
}

impl Decoded {
    /// "windows-1255 (from <meta>)", for messages.
    pub fn describe(&self) -> String {
        let from = match self.source {
            Source::ByteOrderMark => "from its byte order mark",
            Source::HttpHeader => "from its Content-Type header",
            Source::Meta => "from its <meta> charset",
            Source::Utf8 => "undeclared, and valid UTF-8",
            Source::Fallback => "undeclared, and not UTF-8: the browsers' default",
        };
        format!("{} ({from})", self.encoding.name())
    }
}

/// The page's text. `content_type` is the HTTP header's value, when the page was fetched.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> Decoded {
    let (encoding, source, body) = if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        (
            encoding,
            Source::ByteOrderMark,
            bytes.get(bom..).unwrap_or_default(),
        )
    } else if let Some(encoding) = content_type.and_then(from_content_type) {
        (encoding, Source::HttpHeader, bytes)
    } else if let Some(encoding) = prescan(bytes) {
        (encoding, Source::Meta, bytes)
    } else if std::str::from_utf8(bytes).is_ok() {
        (UTF_8, Source::Utf8, bytes)
    } else {
        (WINDOWS_1252, Source::Fallback, bytes)
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    Decoded {
        text: text.into_owned(),
        had_errors,
        encoding,
        source,
    }
}

/// The `charset` parameter of a `Content-Type`, when it names an encoding.
fn from_content_type(value: &str) -> Option<&'static Encoding> {
    value.split(';').skip(1).find_map(|parameter| {
        let (name, label) = parameter.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let label = label.trim().trim_matches(|c| c == '"' || c == '\'');
        Encoding::for_label(label.as_bytes())
    })
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0c | b'\r' | b' ')
}

/// The HTML standard's "prescan a byte stream to determine its encoding": the first
/// `<meta charset>` or `<meta http-equiv="Content-Type" content="…charset=…">` in the first
/// 1,024 bytes that names an encoding, skipping comments and the attributes of other tags.
fn prescan(bytes: &[u8]) -> Option<&'static Encoding> {
    let input = bytes.get(..PRESCAN_BYTES).unwrap_or(bytes);
    let mut scan = Scan { input, at: 0 };
    while scan.at < input.len() {
        let rest = scan.rest();
        if rest.starts_with(b"<!--") {
            // To the end of the first "-->" after the "<!": "<!-->" closes it.
            match find(rest.get(2..).unwrap_or_default(), b"-->") {
                Some(end) => scan.at += 2 + end + 3,
                None => return None,
            }
            continue;
        }
        if starts_with_ignore_case(rest, b"<meta")
            && rest.get(5).is_some_and(|&b| is_space(b) || b == b'/')
        {
            scan.at += 5;
            if let Some(encoding) = scan.meta() {
                return Some(encoding);
            }
            continue;
        }
        let second = rest.get(1).copied();
        let third = rest.get(2).copied();
        if rest.first() == Some(&b'<')
            && (second.is_some_and(|b| b.is_ascii_alphabetic())
                || (second == Some(b'/') && third.is_some_and(|b| b.is_ascii_alphabetic())))
        {
            // Another tag: past its name, then past its attributes (a charset in a quoted
            // value of, say, a <div> is no declaration).
            while scan.at < input.len() && !is_space(scan.byte()) && scan.byte() != b'>' {
                scan.at += 1;
            }
            while scan.attribute().is_some() {}
            scan.at += 1;
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"</") || rest.starts_with(b"<?") {
            match rest.iter().position(|&b| b == b'>') {
                Some(end) => scan.at += end + 1,
                None => return None,
            }
            continue;
        }
        scan.at += 1;
    }
    None
}

struct Scan<'a> {
    input: &'a [u8],
    at: usize,
}

impl Scan<'_> {
    fn rest(&self) -> &[u8] {
        self.input.get(self.at..).unwrap_or_default()
    }

    /// The byte at the position; past the end, a `>` (what ends every step below).
    fn byte(&self) -> u8 {
        self.input.get(self.at).copied().unwrap_or(b'>')
    }

    fn at_end(&self) -> bool {
        self.at >= self.input.len()
    }

    /// The attributes of a `<meta` (the position just past its name): the encoding it
    /// declares, if it declares one the standard lets a `<meta>` declare.
    fn meta(&mut self) -> Option<&'static Encoding> {
        let mut seen: Vec<Vec<u8>> = Vec::new();
        let mut got_pragma = false;
        let mut need_pragma = None;
        let mut charset = None;
        while let Some((name, value)) = self.attribute() {
            if seen.contains(&name) {
                continue;
            }
            match name.as_slice() {
                b"http-equiv" if value == b"content-type" => got_pragma = true,
                b"content" if charset.is_none() => {
                    if let Some(found) = charset_in_content(&value) {
                        charset = Some(found);
                        need_pragma = Some(true);
                    }
                }
                b"charset" => {
                    charset = Some(Encoding::for_label(&value));
                    need_pragma = Some(false);
                }
                _ => {}
            }
            seen.push(name);
        }
        // `content` declares only beside `http-equiv="Content-Type"`; a label that names no
        // encoding declares nothing, and the scan goes on.
        let declares = match need_pragma {
            None => false,
            Some(true) => got_pragma,
            Some(false) => true,
        };
        match charset {
            Some(Some(encoding)) if declares => Some(meta_encoding(encoding)),
            _ => None,
        }
    }

    /// The standard's "get an attribute": its name and value, lower-cased ASCII; `None` at
    /// the end of the tag (or of the input).
    fn attribute(&mut self) -> Option<(Vec<u8>, Vec<u8>)> {
        while !self.at_end() && (is_space(self.byte()) || self.byte() == b'/') {
            self.at += 1;
        }
        if self.at_end() || self.byte() == b'>' {
            return None;
        }
        let mut name = Vec::new();
        let mut value = Vec::new();
        loop {
            if self.at_end() {
                return None;
            }
            let b = self.byte();
            if b == b'=' && !name.is_empty() {
                self.at += 1;
                break;
            }
            if is_space(b) {
                while !self.at_end() && is_space(self.byte()) {
                    self.at += 1;
                }
                if self.byte() != b'=' {
                    return Some((name, value));
                }
                self.at += 1;
                break;
            }
            if b == b'/' || b == b'>' {
                return Some((name, value));
            }
            name.push(b.to_ascii_lowercase());
            self.at += 1;
        }
        while !self.at_end() && is_space(self.byte()) {
            self.at += 1;
        }
        if self.at_end() {
            return None;
        }
        let quote = self.byte();
        if quote == b'"' || quote == b'\'' {
            loop {
                self.at += 1;
                if self.at_end() {
                    return None;
                }
                let b = self.byte();
                if b == quote {
                    self.at += 1;
                    return Some((name, value));
                }
                value.push(b.to_ascii_lowercase());
            }
        }
        if quote == b'>' {
            return Some((name, value));
        }
        loop {
            if self.at_end() {
                return None;
            }
            let b = self.byte();
            if is_space(b) || b == b'>' {
                return Some((name, value));
            }
            value.push(b.to_ascii_lowercase());
            self.at += 1;
        }
    }
}

/// The standard's "extract a character encoding from a meta element": `charset=` in a
/// `content` value, quoted or not; `Some(None)` for a label that names no encoding.
fn charset_in_content(content: &[u8]) -> Option<Option<&'static Encoding>> {
    let mut rest = content;
    loop {
        let at = find(rest, b"charset")?;
        rest = rest.get(at + 7..).unwrap_or_default();
        let after = rest
            .iter()
            .position(|&b| !is_space(b))
            .unwrap_or(rest.len());
        if rest.get(after) != Some(&b'=') {
            continue;
        }
        let value = rest.get(after + 1..).unwrap_or_default();
        let start = value.iter().position(|&b| !is_space(b))?;
        let value = value.get(start..).unwrap_or_default();
        let label = match value.first() {
            Some(&q @ (b'"' | b'\'')) => {
                let inner = value.get(1..).unwrap_or_default();
                inner.get(..inner.iter().position(|&b| b == q)?)?
            }
            _ => {
                let end = value
                    .iter()
                    .position(|&b| is_space(b) || b == b';')
                    .unwrap_or(value.len());
                value.get(..end).unwrap_or_default()
            }
        };
        return Some(Encoding::for_label(label));
    }
}

/// A `<meta>` cannot declare UTF-16 (its own bytes would not be ASCII) nor
/// x-user-defined: the standard reads those as UTF-8 and windows-1252.
fn meta_encoding(encoding: &'static Encoding) -> &'static Encoding {
    if encoding == UTF_16BE || encoding == UTF_16LE {
        UTF_8
    } else if encoding == X_USER_DEFINED {
        WINDOWS_1252
    } else {
        encoding
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

fn starts_with_ignore_case(bytes: &[u8], prefix: &[u8]) -> bool {
    bytes
        .get(..prefix.len())
        .is_some_and(|b| b.eq_ignore_ascii_case(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(bytes: &[u8], header: Option<&str>) -> (&'static str, Source) {
        let decoded = decode(bytes, header);
        (decoded.encoding.name(), decoded.source)
    }

    #[test]
    fn the_order_is_bom_then_header_then_meta_then_utf8_then_windows_1252() {
        let meta = b"<meta charset=windows-1255><p>\xf9";
        assert_eq!(
            name(
                &[b"\xef\xbb\xbf".as_slice(), meta].concat(),
                Some("text/html; charset=iso-8859-8")
            ),
            ("UTF-8", Source::ByteOrderMark)
        );
        assert_eq!(
            name(meta, Some("text/html; charset=\"ISO-8859-8\"")),
            ("ISO-8859-8", Source::HttpHeader)
        );
        // A header label no browser knows counts for nothing.
        assert_eq!(
            name(meta, Some("text/html; charset=klingon")),
            ("windows-1255", Source::Meta)
        );
        assert_eq!(
            name("<p>שלום".as_bytes(), Some("text/html")),
            ("UTF-8", Source::Utf8)
        );
        assert_eq!(
            name(b"<p>l\x92\x9cuvre", None),
            ("windows-1252", Source::Fallback)
        );
        assert_eq!(decode(b"<p>l\x92\x9cuvre", None).text, "<p>l’œuvre");
        // ISO-8859-1 is read as windows-1252, as browsers read it: 0x92 is ’.
        let latin1 = decode(b"<p>l\x92\xe9t\xe9", Some("text/html; charset=ISO-8859-1"));
        assert_eq!(
            (latin1.encoding.name(), latin1.text.as_str()),
            ("windows-1252", "<p>l’été")
        );
        assert_eq!(
            name(b"\xff\xfe<\0p\0", None),
            ("UTF-16LE", Source::ByteOrderMark)
        );
        assert_eq!(
            decode(b"\xff\xfe<\0p\0", None).text,
            "<p",
            "the BOM is not text"
        );
    }

    #[test]
    fn the_meta_prescan_reads_as_the_html_standard_does() {
        let meta = |html: &str| prescan(html.as_bytes()).map(Encoding::name);
        assert_eq!(meta("<META CHARSET='Shift_JIS'>"), Some("Shift_JIS"));
        assert_eq!(meta("<meta/charset=euc-kr>"), Some("EUC-KR"));
        assert_eq!(
            meta(r#"<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">"#),
            Some("windows-1256")
        );
        assert_eq!(
            meta(r#"<meta content='text/html;charset = "gbk"' http-equiv=content-type>"#),
            Some("GBK")
        );
        // `content` alone declares nothing; nor does `http-equiv` of another kind.
        assert_eq!(meta(r#"<meta content="text/html; charset=gbk">"#), None);
        assert_eq!(
            meta(r#"<meta http-equiv="refresh" content="0; charset=gbk">"#),
            None
        );
        // Nor a charset in a comment, or in another tag's attribute value.
        assert_eq!(
            meta("<!-- <meta charset=gbk> --><meta charset=big5>"),
            Some("Big5")
        );
        assert_eq!(meta("<!--><meta charset=big5>"), Some("Big5"));
        assert_eq!(
            meta(r#"<div title="<meta charset=gbk>"><meta charset=koi8-r>"#),
            Some("KOI8-R")
        );
        // An unknown label is passed over; the next declaration counts.
        assert_eq!(
            meta("<meta charset=klingon><meta charset=latin1>"),
            Some("windows-1252")
        );
        // What a <meta> may not declare.
        assert_eq!(meta("<meta charset=utf-16le>"), Some("UTF-8"));
        assert_eq!(meta("<meta charset=x-user-defined>"), Some("windows-1252"));
        // Only the first 1,024 bytes are read.
        let late = format!("<!-- {} --><meta charset=gbk>", "x".repeat(1024));
        assert_eq!(meta(&late), None);
        // Unfinished input ends the scan.
        assert_eq!(meta("<meta charset=\"gbk"), None);
        assert_eq!(meta("<!-- <meta charset=gbk>"), None);
    }

    #[test]
    fn a_saved_page_and_the_same_page_fetched_read_alike() {
        let page = b"<meta charset=windows-1255><h1>\xf9\xec\xe5\xed</h1>";
        assert_eq!(
            decode(page, None).text,
            decode(page, Some("text/html")).text
        );
        assert!(decode(page, None).text.contains("שלום"));
    }
}
