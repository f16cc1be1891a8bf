//! Gives the build an id of the code that decides what a card's markup looks like, so that
//! a server-rendered card is only hydrated by a widget built from the same rendering code
//! (see src/fingerprint.rs): a hash of every source file of this crate, and its stylesheet.
//! The server and both wasm builds of one checkout share it; a widget from another version
//! renders afresh instead of hydrating foreign markup. It also writes the card's stylesheet
//! as shipped (src/cssmin.rs), and the Rust side of the element's one declaration
//! (src/element.json): the options' struct, their attribute and property names, the
//! numbers of the height estimate.

use std::fs;
use std::path::{Path, PathBuf};

#[path = "src/cssmin.rs"]
mod cssmin;

/// Every file below `dir`, sorted: the order must not depend on the file system.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
    out.sort();
}

fn main() {
    let css = fs::read_to_string("src/card.css").expect("src/card.css is readable");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    fs::write(Path::new(&out).join("card.min.css"), cssmin::minify(&css))
        .expect("OUT_DIR is writable");
    let element = fs::read_to_string("src/element.json").expect("src/element.json is readable");
    fs::write(Path::new(&out).join("element.rs"), element_rs(&element))
        .expect("OUT_DIR is writable");
    let words = fs::read_to_string("src/words.json").expect("src/words.json is readable");
    fs::write(Path::new(&out).join("words.rs"), words_rs(&words)).expect("OUT_DIR is writable");

    // The whole crate's source: whatever it holds can change the markup. Each file is
    // named, and the folder too (a file added or removed).
    println!("cargo:rerun-if-changed=src");
    let mut sources = Vec::new();
    files(Path::new("src"), &mut sources);
    for file in &sources {
        println!("cargo:rerun-if-changed={}", file.display());
    }
    // FNV-1a over the files' names and bytes: stable, and enough to tell two versions apart.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in &sources {
        let name = file.to_string_lossy().replace('\\', "/");
        for byte in name.bytes().chain(fs::read(file).unwrap_or_default()) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=ARTICLE_EMBED_RENDER_ID={hash:016x}");
}

/// `signupEndpoint` → `signup_endpoint`.
fn snake(camel: &str) -> String {
    camel.chars().fold(String::new(), |mut s, c| {
        if c.is_ascii_uppercase() {
            s.push('_');
            s.push(c.to_ascii_lowercase());
        } else {
            s.push(c);
        }
        s
    })
}

/// The Rust made from the element's declaration.
fn element_rs(json: &str) -> String {
    let element: serde_json::Value = serde_json::from_str(json).expect("src/element.json is JSON");
    let text = |v: &serde_json::Value, key: &str| -> String {
        v[key]
            .as_str()
            .unwrap_or_else(|| panic!("src/element.json: {key} must be text"))
            .to_owned()
    };
    // The card's options: the attributes but src (where the data is, the element's own).
    let options: Vec<(String, String, String)> = element["attributes"]
        .as_array()
        .expect("src/element.json: attributes must be a list")
        .iter()
        .filter(|a| a["option"].as_bool() != Some(false))
        .map(|a| (text(a, "name"), text(a, "property"), text(a, "description")))
        .collect();
    let mut rs = String::from(
        "// Made by build.rs from src/element.json: change that, not this.\n\n\
         /// The options as they arrive from attributes or from `mount()`: all strings, all\n\
         /// optional. (The server reads them from JSON with serde, feature `serde`; the wasm\n\
         /// reads the JavaScript object itself, see `RawOptions::from_js`.)\n\
         #[derive(Debug, Clone, Default, PartialEq)]\n\
         #[cfg_attr(feature = \"serde\", derive(serde::Deserialize), serde(rename_all = \"camelCase\", default))]\n\
         pub struct RawOptions {\n",
    );
    for (name, property, description) in &options {
        rs += &format!(
            "    /// `{name}`: {description}.\n    pub {}: Option<String>,\n",
            snake(property)
        );
    }
    rs += "    /// The host page's URL, sent with a signup (not an attribute: the page's own).\n\
           pub page: Option<String>,\n\
           /// The document's base URL (`document.baseURI`), which relative URLs resolve\n\
           /// against, as the browser resolves the plain form's `action`.\n\
           pub base: Option<String>,\n}\n\n";
    rs += &format!(
        "impl RawOptions {{\n    /// Each option as an attribute of the element, with its value.\n\
         pub fn attributes(&self) -> [(&'static str, &Option<String>); {}] {{\n        [\n",
        options.len()
    );
    for (name, property, _) in &options {
        rs += &format!("            (\"{name}\", &self.{}),\n", snake(property));
    }
    rs += "        ]\n    }\n\n";
    rs += "    /// The options from attributes given as (name, value) pairs, as a query string\n\
           /// carries them: the last value of a name counts; other names are no options.\n\
           pub fn from_attributes<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> RawOptions {\n\
           let mut options = RawOptions::default();\n\
           for (name, value) in pairs {\n\
           match name {\n";
    for (name, property, _) in &options {
        rs += &format!(
            "                \"{name}\" => options.{} = Some(value.to_owned()),\n",
            snake(property)
        );
    }
    rs += "                _ => {}\n            }\n        }\n        options\n    }\n\n";
    rs += "    /// The options object of JavaScript (property names, text values); other names\n\
           /// are not ours to judge.\n\
           #[cfg(target_arch = \"wasm32\")]\n\
           pub fn from_js(options: &wasm_bindgen::JsValue) -> Result<RawOptions, wasm_bindgen::JsError> {\n\
           if options.is_undefined() || options.is_null() {\n\
           return Ok(RawOptions::default());\n\
           }\n\
           if !options.is_object() {\n\
           return Err(wasm_bindgen::JsError::new(\"options: expected an object\"));\n\
           }\n\
           // One loop over the fields, not a copy of the reading for each.\n\
           let mut raw = RawOptions::default();\n\
           for (name, field) in [\n";
    for (_, property, _) in &options {
        rs += &format!(
            "            (\"{property}\", &mut raw.{}),\n",
            snake(property)
        );
    }
    rs += "            (\"page\", &mut raw.page),\n            (\"base\", &mut raw.base),\n        ] {\n            *field = crate::options::js_text(options, name)?;\n        }\n        Ok(raw)\n    }\n}\n\n";
    let height = &element["height"];
    let number = |v: &serde_json::Value, key: &str| -> f64 {
        v[key]
            .as_f64()
            .unwrap_or_else(|| panic!("src/element.json: height.{key} must be a number"))
    };
    let (full, compact) = (&height["full"], &height["compact"]);
    rs += "/// The numbers of the height estimate (see `options::estimated_height`).\npub mod height {\n";
    for (key, name) in [
        ("photo", "FULL_PHOTO"),
        ("base", "FULL_BASE"),
        ("narrowFrom", "FULL_NARROW_FROM"),
        ("narrowPerPx", "FULL_NARROW_PER_PX"),
        ("form", "FULL_FORM"),
        ("formNarrowPerPx", "FULL_FORM_NARROW_PER_PX"),
    ] {
        rs += &format!("    pub const {name}: f64 = {:?};\n", number(full, key));
    }
    for (key, name) in [
        ("wideFrom", "COMPACT_WIDE_FROM"),
        ("wide", "COMPACT_WIDE"),
        ("narrow", "COMPACT_NARROW"),
        ("form", "COMPACT_FORM"),
    ] {
        rs += &format!("    pub const {name}: f64 = {:?};\n", number(compact, key));
    }
    rs += "}\n";
    rs
}

/// The Rust made from the widget's words (src/words.json): a static table per language
/// (English always; the others only with feature `translations`, which the servers'
/// builds have, while the browser's wasm fetches them when a card needs one, see
/// src/i18n.rs), and the reader of a table in the order tools/words.mjs writes it for
/// the browser: the phrases by their names sorted, the months in place.
fn words_rs(json: &str) -> String {
    let words: serde_json::Value = serde_json::from_str(json).expect("src/words.json is JSON");
    let tables = words
        .as_object()
        .expect("src/words.json: an object of tables by language");
    let en = tables["en"]
        .as_object()
        .expect("src/words.json: en must be a table");
    let mut names: Vec<&String> = en.keys().collect();
    names.sort();
    let mut rs =
        String::from("// Made by build.rs from src/words.json: change that, not this.\n\n");
    let mut languages = Vec::new();
    for (tag, table) in tables {
        let table = table
            .as_object()
            .unwrap_or_else(|| panic!("src/words.json: {tag} must be a table"));
        let mut keys: Vec<&String> = table.keys().collect();
        keys.sort();
        assert_eq!(
            keys, names,
            "src/words.json: {tag} must have en's phrases, no more"
        );
        if tag != "en" {
            rs += "#[cfg(feature = \"translations\")]\n";
        }
        rs += &format!("pub static {}: Words = Words {{\n", tag.to_uppercase());
        for name in &names {
            let value = &table[name.as_str()];
            let literal = match value.as_array() {
                Some(months) => {
                    assert_eq!(
                        months.len(),
                        12,
                        "src/words.json: {tag}.{name}: twelve months"
                    );
                    let months: Vec<String> = months
                        .iter()
                        .map(|m| format!("{:?}", m.as_str().expect("months are text")))
                        .collect();
                    format!("[{}]", months.join(", "))
                }
                None => format!(
                    "{:?}",
                    value
                        .as_str()
                        .unwrap_or_else(|| panic!("src/words.json: {tag}.{name} must be text"))
                ),
            };
            // The browser's wasm takes a table as its phrases joined by U+001F.
            assert!(
                !literal.contains("\\u{1f}"),
                "src/words.json: {tag}.{name} holds U+001F"
            );
            rs += &format!("    {name}: {literal},\n");
        }
        rs += "};\n\n";
        languages.push(tag.as_str());
    }
    let quoted: Vec<String> = languages.iter().map(|t| format!("{t:?}")).collect();
    rs += &format!(
        "/// Every language with a table, whether this build holds it or fetches it.\n\
         pub const LANGUAGES: [&str; {}] = [{}];\n\n",
        languages.len(),
        quoted.join(", ")
    );
    let built: Vec<String> = languages
        .iter()
        .map(|t| format!("({t:?}, &{})", t.to_uppercase()))
        .collect();
    rs += &format!(
        "/// The tables this build holds.\n\
         #[cfg(feature = \"translations\")]\n\
         const BUILT_IN: &[(&str, &Words)] = &[{}];\n\
         #[cfg(not(feature = \"translations\"))]\n\
         const BUILT_IN: &[(&str, &Words)] = &[(\"en\", &EN)];\n\n",
        built.join(", ")
    );
    // Each field from its place in the file's order (`months` takes twelve).
    let mut fields = Vec::new();
    let mut place = 0;
    for name in &names {
        if en[name.as_str()].is_array() {
            let months: Vec<String> = (place..place + 12).map(|i| format!("p[{i}]")).collect();
            fields.push(format!("{name}: [{}]", months.join(", ")));
            place += 12;
        } else {
            fields.push(format!("{name}: p[{place}]"));
            place += 1;
        }
    }
    rs += &format!(
        "/// How many phrases a table has in the order of tools/words.mjs.\n\
         const PHRASES: usize = {place};\n\n\
         /// A table from its phrases in the order of tools/words.mjs.\n\
         fn table_from(p: &[&'static str; PHRASES]) -> Words {{\n\
         \x20   Words {{ {} }}\n}}\n",
        fields.join(", ")
    );
    rs
}
