//! The server's random tokens (confirmation links, webhook message ids) and the hashes it
//! keeps of them.

use std::fmt::Write as _;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// 128 random bits, hex: unguessable confirmation tokens.
pub fn token() -> Result<String, String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness for a token: {e}"))?;
    Ok(hex(&bytes))
}

/// What is stored of a token: its SHA-256, so that a copy of the database confirms nobody.
/// The token is 128 random bits, so an unsalted hash cannot be reversed by guessing.
pub fn token_hash(token: &str) -> String {
    sha256_hex(&token.trim().to_ascii_lowercase())
}

/// The SHA-256 of `text`, hex.
pub fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

/// HMAC-SHA256 under one of the server's keys, keyed once, to be cloned for each message.
pub fn keyed(key: &str) -> Result<Hmac<Sha256>, String> {
    // HMAC takes keys of any length (RFC 2104): this does not fail, but says so if it did.
    <Hmac<Sha256> as Mac>::new_from_slice(key.as_bytes()).map_err(|e| format!("HMAC key: {e}"))
}

/// The shape of a token this server issues: 32 hex digits.
pub fn is_token(token: &str) -> bool {
    token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

pub fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Hex back to bytes; `None` for anything that is not an even number of hex digits.
pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
        .collect()
}
