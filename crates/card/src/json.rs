//! A minimal JSON tree with its own reader and writer, the same in the browser, the server
//! and the CLI. Keeping our own tree (rather than typed structs) lets validation walk the
//! data and name the exact field path of every problem, whatever shape the publisher sent.
//! Keeping our own parser (rather than serde through `serde-wasm-bindgen`) keeps serde's
//! generic machinery and the float formatter out of the wasm (measured: see docs/architecture.md, "Sizes and speed"),
//! and one string crosses from JavaScript instead of one call per value.

/// Deeper documents are refused: recursion on hostile input must not exhaust the stack
/// (a stack overflow in wasm aborts every card on the page). Real JSON-LD is < 10 deep.
pub const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Json>),
    /// Keys in document order; duplicates keep the first (see [`Json::get`]).
    Object(Vec<(String, Json)>),
}

impl Json {
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// What the value is, in the words a publisher reading an error message would use.
    pub fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "text",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// Reads a JSON text (RFC 8259; a leading byte-order mark is allowed). The error says
    /// what was wrong and where: "expected `:` at line 3, column 14".
    pub fn parse(text: &str) -> Result<Json, String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut p = Parser {
            text,
            bytes: text.as_bytes(),
            at: 0,
        };
        let value = p.value(0)?;
        p.space();
        if p.at < p.bytes.len() {
            return Err(p.error("the end of the document"));
        }
        Ok(value)
    }

    /// The value as JSON text.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => write_number(*n, out),
            Json::String(s) => write_string(s, out),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(entries) => {
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(key, out);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// A JSON object from fixed keys, in order.
pub fn object<const N: usize>(entries: [(&str, Json); N]) -> Json {
    Json::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

impl From<&str> for Json {
    fn from(s: &str) -> Json {
        Json::String(s.to_owned())
    }
}

impl From<Option<&str>> for Json {
    fn from(s: Option<&str>) -> Json {
        s.map_or(Json::Null, Json::from)
    }
}

fn write_string(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(char::from(HEX[(c as usize) >> 4]));
                out.push(char::from(HEX[(c as usize) & 15]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Whole numbers (all the widget writes: timestamps, counts) as integers; others through
/// the platform's own shortest formatting, which keeps Rust's float formatter (~11 KB)
/// out of the wasm. JSON has no NaN or infinity: those are written as null, as
/// `JSON.stringify` does.
fn write_number(n: f64, out: &mut String) {
    if !n.is_finite() {
        out.push_str("null");
    } else if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        out.push_str(&(n as i64).to_string());
    } else {
        #[cfg(target_arch = "wasm32")]
        out.push_str(&String::from(
            js_sys::Number::from(n)
                .to_string_with_radix(10)
                .unwrap_or_else(|_| "null".into()),
        ));
        #[cfg(not(target_arch = "wasm32"))]
        out.push_str(&n.to_string());
    }
}

/// A number's text as an f64. Integers of up to 15 digits are exact as they are read;
/// anything else goes to the platform's correctly rounded parser (the browser's in the
/// wasm, to keep Rust's float parser out of it).
fn number_value(text: &str) -> f64 {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.len() <= 15 && digits.bytes().all(|b| b.is_ascii_digit()) {
        let n = digits
            .bytes()
            .fold(0u64, |n, b| n * 10 + u64::from(b - b'0')) as f64;
        return if digits.len() < text.len() { -n } else { n };
    }
    #[cfg(target_arch = "wasm32")]
    return js_sys::Number::parse_float(text);
    #[cfg(not(target_arch = "wasm32"))]
    text.parse().unwrap_or(f64::NAN)
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
}

impl Parser<'_> {
    fn error(&self, expected: &str) -> String {
        let before = self.text.get(..self.at).unwrap_or(self.text);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        let found = match self.bytes.get(self.at) {
            None => "the end of the document".to_owned(),
            Some(_) => {
                let c = self
                    .text
                    .get(self.at..)
                    .and_then(|t| t.chars().next())
                    .unwrap_or('?');
                format!("`{}`", c.escape_default())
            }
        };
        format!("expected {expected}, found {found} at line {line}, column {column}")
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn eat(&mut self, word: &str) -> bool {
        let found = self.bytes.get(self.at..self.at + word.len()) == Some(word.as_bytes());
        if found {
            self.at += word.len();
        }
        found
    }

    fn value(&mut self, depth: usize) -> Result<Json, String> {
        if depth > MAX_DEPTH {
            return Err(format!("nested more than {MAX_DEPTH} levels deep"));
        }
        self.space();
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ if self.eat("null") => Ok(Json::Null),
            _ if self.eat("true") => Ok(Json::Bool(true)),
            _ if self.eat("false") => Ok(Json::Bool(false)),
            _ => Err(self.error("a value")),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json, String> {
        self.at += 1;
        let mut items = Vec::new();
        self.space();
        if self.eat("]") {
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.space();
            if self.eat("]") {
                return Ok(Json::Array(items));
            }
            if !self.eat(",") {
                return Err(self.error("`,` or `]`"));
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, String> {
        self.at += 1;
        let mut entries = Vec::new();
        self.space();
        if self.eat("}") {
            return Ok(Json::Object(entries));
        }
        loop {
            self.space();
            if self.peek() != Some(b'"') {
                return Err(self.error("a key in quotes"));
            }
            let key = self.string()?;
            self.space();
            if !self.eat(":") {
                return Err(self.error("`:`"));
            }
            let value = self.value(depth + 1)?;
            entries.push((key, value));
            self.space();
            if self.eat("}") {
                return Ok(Json::Object(entries));
            }
            if !self.eat(",") {
                return Err(self.error("`,` or `}`"));
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<Json, String> {
        let start = self.at;
        self.eat("-");
        if !self.eat("0") && self.digits() == 0 {
            return Err(self.error("a digit"));
        }
        if self.eat(".") && self.digits() == 0 {
            return Err(self.error("a digit"));
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("a digit"));
            }
        }
        let text = self.text.get(start..self.at).unwrap_or("0");
        let n = number_value(text);
        if n.is_finite() {
            Ok(Json::Number(n))
        } else {
            self.at = start;
            Err(self.error("a number within range"))
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.at..self.at + 4)?;
        let n = u32::from_str_radix(digits, 16)
            .ok()
            .filter(|_| digits.bytes().all(|b| b.is_ascii_hexdigit()))?;
        self.at += 4;
        Some(n)
    }

    fn string(&mut self) -> Result<String, String> {
        self.at += 1;
        let mut out = String::new();
        loop {
            // Runs of plain characters are copied whole; the text is valid UTF-8, and the
            // bytes stopped at are ASCII, so the slice bounds are character boundaries.
            let start = self.at;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            out.push_str(self.text.get(start..self.at).unwrap_or(""));
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let c = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.at += 1;
                            let c = self.escaped_char()?;
                            out.push(c);
                            continue;
                        }
                        _ => return Err(self.error("an escape (`\\n`, `\\u00e9` …)")),
                    };
                    self.at += 1;
                    out.push(c);
                }
                Some(_) => {
                    return Err(self.error("a character (control characters are escaped in JSON)"))
                }
                None => return Err(self.error("`\"`")),
            }
        }
    }

    /// After `\u`: one character, joining a surrogate pair. A lone surrogate (which
    /// `JSON.stringify` writes for a broken JavaScript string) reads as U+FFFD, as the
    /// browser would show it, rather than failing the whole article.
    fn escaped_char(&mut self) -> Result<char, String> {
        let Some(first) = self.hex4() else {
            return Err(self.error("four hex digits"));
        };
        if (0xd800..0xdc00).contains(&first) && self.bytes.get(self.at..self.at + 2) == Some(b"\\u")
        {
            let back = self.at;
            self.at += 2;
            match self.hex4() {
                Some(second) if (0xdc00..0xe000).contains(&second) => {
                    let c = 0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00);
                    return Ok(char::from_u32(c).unwrap_or('\u{fffd}'));
                }
                _ => self.at = back,
            }
        }
        Ok(char::from_u32(first).unwrap_or('\u{fffd}'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Json, String> {
        Json::parse(s)
    }

    fn from_serde(v: serde_json::Value) -> Json {
        match v {
            serde_json::Value::Null => Json::Null,
            serde_json::Value::Bool(b) => Json::Bool(b),
            serde_json::Value::Number(n) => Json::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Json::String(s),
            serde_json::Value::Array(a) => Json::Array(a.into_iter().map(from_serde).collect()),
            serde_json::Value::Object(o) => {
                Json::Object(o.into_iter().map(|(k, v)| (k, from_serde(v))).collect())
            }
        }
    }

    /// serde_json's reading of the same text, as the oracle of what is valid JSON.
    fn oracle(s: &str) -> Option<Json> {
        serde_json::from_str(s).ok().map(from_serde)
    }

    #[test]
    fn long_decimals_are_rounded_correctly() {
        // serde_json (without float_roundtrip) reads this one a unit in the last place off.
        let n = -3.9399805964148636e-59_f64;
        assert_eq!(parse(&format!("{n:?}")), Ok(Json::Number(n)));
        assert_eq!(parse("0.1"), Ok(Json::Number(0.1)));
        assert_eq!(
            parse("123456789012345678"),
            Ok(Json::Number(123456789012345678.0))
        );
    }

    #[test]
    fn reads_every_kind_of_value() {
        let v = parse(r#"{"a":[1,2.5,"x",true,null,{}],"b":"c"}"#).unwrap();
        assert_eq!(v.get("b").and_then(Json::as_str), Some("c"));
        let Some(Json::Array(a)) = v.get("a") else {
            panic!("a is not an array: {v:?}")
        };
        assert_eq!(
            a,
            &vec![
                Json::Number(1.0),
                Json::Number(2.5),
                Json::String("x".into()),
                Json::Bool(true),
                Json::Null,
                Json::Object(vec![]),
            ]
        );
    }

    #[test]
    fn first_duplicate_key_wins() {
        let v = parse(r#"{"a":"first","a":"second"}"#).unwrap();
        assert_eq!(v.get("a").and_then(Json::as_str), Some("first"));
    }

    #[test]
    fn reads_strings_and_numbers_as_written() {
        let v =
            parse(r#"["a\"b\\c\/d\n\t\u00e9\ud83d\udcf0", -0.5, 1e3, 12345678901234567890, -7]"#)
                .unwrap();
        assert_eq!(
            v,
            Json::Array(vec![
                Json::String("a\"b\\c/d\n\t\u{e9}\u{1f4f0}".into()),
                Json::Number(-0.5),
                Json::Number(1000.0),
                Json::Number(12345678901234567890.0),
                Json::Number(-7.0),
            ])
        );
        // A lone surrogate (JSON.stringify of a broken string) is kept as U+FFFD.
        assert_eq!(
            parse(r#""a\ud800b""#),
            Ok(Json::String("a\u{fffd}b".into()))
        );
        assert_eq!(parse("\u{feff} true "), Ok(Json::Bool(true)));
    }

    #[test]
    fn says_what_is_wrong_and_where() {
        let cases = [
            ("{\"headline\": ", "expected a value, found the end of the document at line 1, column 14"),
            ("{\n  \"a\" 1}", "expected `:`, found `1` at line 2, column 7"),
            ("[1,]", "expected a value, found `]` at line 1, column 4"),
            ("[01]", "expected `,` or `]`, found `1` at line 1, column 3"),
            ("{a:1}", "expected a key in quotes, found `a` at line 1, column 2"),
            ("\"tab\there\"", "expected a character (control characters are escaped in JSON), found `\\t` at line 1, column 5"),
            ("\"\\x\"", "expected an escape (`\\n`, `\\u00e9` …), found `x` at line 1, column 3"),
            ("1e999", "expected a number within range, found `1` at line 1, column 1"),
            ("nul", "expected a value, found `n` at line 1, column 1"),
            ("{} {}", "expected the end of the document, found `{` at line 1, column 4"),
            ("\"é", "expected `\"`, found the end of the document at line 1, column 3"),
        ];
        for (text, message) in cases {
            assert_eq!(parse(text), Err(message.to_owned()), "{text}");
            assert!(
                oracle(text).is_none(),
                "serde_json agrees it is broken: {text}"
            );
        }
    }

    #[test]
    fn writes_what_it_reads() {
        let v =
            parse(r#"{"k":"q\"\\\u0001\n","n":[0,-3,1.5,1e21,null,true,false],"o":{}}"#).unwrap();
        let text = v.to_text();
        assert_eq!(
            text,
            r#"{"k":"q\"\\\u0001\n","n":[0,-3,1.5,1000000000000000000000,null,true,false],"o":{}}"#
        );
        assert_eq!(parse(&text), Ok(v));
        assert_eq!(Json::Number(f64::NAN).to_text(), "null");
    }

    /// Property tests (proptest runs natively only).
    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::*;

        proptest::proptest! {
            /// Any JSON serde_json writes, ours reads back to exactly the tree that was
            /// written (serde_json writes the shortest text that rounds back, so a correctly
            /// rounding reader gets every number bit for bit), and what ours writes reads
            /// back the same.
            #[test]
            fn reads_back_what_serde_json_wrote(v in arbitrary_json()) {
                let text = serde_json::to_string_pretty(&v).unwrap();
                let ours = parse(&text).unwrap();
                proptest::prop_assert_eq!(&ours, &from_serde(v));
                proptest::prop_assert_eq!(parse(&ours.to_text()), Ok(ours));
            }

            /// Any text at all: never a panic, and accepted exactly when serde_json accepts it.
            #[test]
            fn accepts_what_serde_json_accepts(text in "[\\[\\]{}\",:0-9eE.+\\- a-z\\\\\n]{0,24}") {
                let ours = parse(&text);
                proptest::prop_assert_eq!(ours.is_ok(), oracle(&text).is_some(), "{:?} {:?}", text, ours);
            }
        }

        fn arbitrary_json() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
            use proptest::prelude::*;
            let leaf = prop_oneof![
                Just(serde_json::Value::Null),
                any::<bool>().prop_map(serde_json::Value::Bool),
                any::<i64>().prop_map(|n| n.into()),
                any::<f64>()
                    .prop_filter("finite", |f| f.is_finite())
                    .prop_map(|f| f.into()),
                any::<String>().prop_map(serde_json::Value::String),
            ];
            leaf.prop_recursive(4, 32, 6, |inner| {
                prop_oneof![
                    proptest::collection::vec(inner.clone(), 0..6)
                        .prop_map(serde_json::Value::Array),
                    proptest::collection::btree_map(any::<String>(), inner, 0..6)
                        .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
                ]
            })
        }
    }

    #[test]
    fn refuses_deep_nesting_instead_of_overflowing() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        let err = parse(&deep).unwrap_err().to_string();
        assert!(err.contains("nested more than 64"), "{err}");
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
    }
}
