//! A minimal JSON tree that any serde deserializer can fill: `serde_json` in native code and
//! tests, `serde-wasm-bindgen` from a `JSON.parse`d value in the browser. Keeping our own
//! tree (rather than typed structs) lets validation walk the data and name the exact field
//! path of every problem, whatever shape the publisher sent.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, Error, MapAccess, SeqAccess, Visitor};

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

    /// Parses with a depth limit; `MAX_DEPTH` applies to any deserializer.
    pub fn deserialize_limited<'de, D: Deserializer<'de>>(d: D) -> Result<Json, D::Error> {
        Seed { depth: 0 }.deserialize(d)
    }
}

impl<'de> serde::Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Json::deserialize_limited(d)
    }
}

struct Seed {
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for Seed {
    type Value = Json;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        if self.depth > MAX_DEPTH {
            return Err(D::Error::custom(format_args!(
                "nested more than {MAX_DEPTH} levels deep"
            )));
        }
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        self.deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Number(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Number(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
        Ok(Json::Number(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Seed {
            depth: self.depth + 1,
        })? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Seed {
                depth: self.depth + 1,
            })?;
            entries.push((key, value));
        }
        Ok(Json::Object(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Json, serde_json::Error> {
        serde_json::from_str(s)
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
    fn refuses_deep_nesting_instead_of_overflowing() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        let err = parse(&deep).unwrap_err().to_string();
        assert!(err.contains("nested more than 64"), "{err}");
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
    }
}
