//! Whether a server-rendered card may be hydrated. Yew's hydration asserts that the markup
//! it adopts has exactly the shape it would render, and a failed assertion aborts the one
//! WebAssembly instance every card on the page shares. So the server writes a fingerprint
//! of what decided the markup — the article as it read it, the attributes, the rendering
//! code — and the browser hydrates only when its own fingerprint of the same things is
//! equal; otherwise it renders the card afresh.

use std::hash::{Hash, Hasher};

use crate::article::Article;
use crate::options::RawOptions;

/// FNV-1a, 64 bits, the same on a 64-bit server and in 32-bit wasm.
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    // Lengths are `usize`: 8 bytes on the server, 4 in wasm. Hash them as 8 everywhere.
    fn write_usize(&mut self, n: usize) {
        self.write(&(n as u64).to_le_bytes());
    }
}

/// The fingerprint of a card: the article (as parsed, URLs included), the attributes as
/// written (the host page's URL and base URL aside: the server has neither), and the
/// rendering code.
pub fn fingerprint(article: &Article, options: &RawOptions) -> String {
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    env!("ARTICLE_EMBED_RENDER_ID").hash(&mut h);
    article.hash(&mut h);
    // Every attribute, by the list made from the element's declaration: a new option is in
    // it. (The page's URL and base URL are not attributes: the server has neither.)
    options.attributes().hash(&mut h);
    format!("{:016x}", h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(headline: &str) -> Article {
        Article {
            headline: headline.into(),
            ..Article::default()
        }
    }

    #[test]
    fn equal_inputs_equal_fingerprints_any_difference_another() {
        let options = RawOptions {
            layout: Some("compact".into()),
            ..RawOptions::default()
        };
        let a = fingerprint(&article("H"), &options);
        assert_eq!(a, fingerprint(&article("H"), &options));
        assert_eq!(a.len(), 16);
        assert_ne!(a, fingerprint(&article("H."), &options));
        assert_ne!(a, fingerprint(&article("H"), &RawOptions::default()));
        let with_page = RawOptions {
            page: Some("https://blog.example/".into()),
            ..options.clone()
        };
        assert_eq!(a, fingerprint(&article("H"), &with_page), "the page aside");
        let mut moved = article("H");
        moved.excerpt = vec!["a".into(), "b".into()];
        let mut joined = article("H");
        joined.excerpt = vec!["ab".into()];
        assert_ne!(
            fingerprint(&moved, &options),
            fingerprint(&joined, &options),
            "lengths are part of the hash"
        );
    }
}
