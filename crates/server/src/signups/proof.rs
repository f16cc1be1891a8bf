//! Proof of work (`--proof-of-work`), in the protocol of ALTCHA (MIT; v1 challenges), so that
//! a publisher may also use its widgets and server libraries against this server:
//!
//! - `GET <signup endpoint>` hands out a challenge, `{"algorithm": "SHA-256", "challenge",
//!   "maxnumber", "salt", "signature"}`: `challenge` is the hex SHA-256 of `salt` followed by a
//!   secret number in `0..=maxnumber`, `signature` the hex HMAC-SHA256 of `challenge` under a
//!   key kept in the database (every process on it accepts every other's challenges), and
//!   `salt` carries its expiry, `<random>?expires=<unix seconds>&` (the closing `&` keeps a
//!   solver from moving digits of the number into the expiry).
//! - The signup carries `altcha`: the base64 of `{"algorithm", "challenge", "number", "salt",
//!   "signature"}`, the number found by hashing `salt + n` for n = 0, 1, 2, … until the hash
//!   is `challenge`.
//! - The server checks the signature, the expiry and the hash, and spends the challenge in
//!   the database: a second signup with the same solution is refused.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::time::now_ms;
use crate::tokens::{hex, sha256_hex, unhex};
use crate::App;

/// How long a challenge can be solved and used: the reader types meanwhile, and the widget
/// asks for a new one when its own is older than two thirds of this.
pub const LIFETIME_S: i64 = 30 * 60;

/// The default largest secret number: a solver hashes half of it on average. Measured in
/// bench/pow.mjs (docs/server.md, "Proof of work").
pub const DEFAULT_MAX_NUMBER: u64 = 50_000;

pub struct Proofs {
    /// Keyed once; cloned for each challenge.
    keyed: Hmac<Sha256>,
    max_number: u64,
}

/// Why a solution is refused.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Refused {
    /// Not base64 JSON of the payload's fields, or another algorithm.
    Malformed,
    /// The signature is not this server's: the challenge was made up.
    Forged,
    Expired,
    /// The number does not give the challenge.
    Wrong,
}

/// A solution that holds: the challenge to spend, and when it could be forgotten (ms).
#[derive(Debug, Clone, PartialEq)]
pub struct Solved {
    pub challenge: String,
    pub expires_ms: i64,
}

impl Proofs {
    pub fn new(key: &str, max_number: u64) -> Result<Proofs, String> {
        Ok(Proofs {
            keyed: crate::tokens::keyed(key)?,
            max_number: max_number.max(1),
        })
    }

    fn sign(&self, challenge: &str) -> Hmac<Sha256> {
        let mut mac = self.keyed.clone();
        mac.update(challenge.as_bytes());
        mac
    }

    /// A new challenge, as JSON.
    pub fn challenge(&self, now_ms: i64) -> Result<serde_json::Value, String> {
        let mut random = [0u8; 20];
        getrandom::fill(&mut random).map_err(|e| format!("no randomness for a challenge: {e}"))?;
        let (salt, secret) = random.split_at(12);
        let mut number = [0u8; 8];
        number.copy_from_slice(secret.get(..8).unwrap_or(&[0; 8]));
        let number = u64::from_le_bytes(number) % (self.max_number + 1);
        let salt = format!("{}?expires={}&", hex(salt), now_ms / 1000 + LIFETIME_S);
        let challenge = sha256_hex(&format!("{salt}{number}"));
        let signature = hex(&self.sign(&challenge).finalize().into_bytes());
        Ok(serde_json::json!({
            "algorithm": "SHA-256",
            "challenge": challenge,
            "maxnumber": self.max_number,
            "salt": salt,
            "signature": signature,
        }))
    }

    /// Checks a solution (`altcha`, as the widget sends it) at `now_ms`. Spending it is the
    /// store's part.
    pub fn check(&self, altcha: &str, now_ms: i64) -> Result<Solved, Refused> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(altcha.trim())
            .map_err(|_| Refused::Malformed)?;
        let payload: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|_| Refused::Malformed)?;
        let text = |key: &str| payload.get(key).and_then(|v| v.as_str());
        let (Some("SHA-256"), Some(challenge), Some(salt), Some(signature)) = (
            text("algorithm"),
            text("challenge"),
            text("salt"),
            text("signature"),
        ) else {
            return Err(Refused::Malformed);
        };
        let number = payload
            .get("number")
            .and_then(serde_json::Value::as_u64)
            .ok_or(Refused::Malformed)?;
        let signature = unhex(signature).ok_or(Refused::Forged)?;
        // Constant time: nothing about a right signature leaks through the time a wrong one
        // takes.
        self.sign(challenge)
            .verify_slice(&signature)
            .map_err(|_| Refused::Forged)?;
        let expires = salt
            .strip_suffix('&')
            .and_then(|s| s.split_once("?expires="))
            .filter(|(random, _)| !random.contains(['?', '&']))
            .and_then(|(_, expires)| expires.parse::<i64>().ok())
            .ok_or(Refused::Malformed)?;
        if expires.saturating_mul(1000) <= now_ms {
            return Err(Refused::Expired);
        }
        if sha256_hex(&format!("{salt}{number}")) != challenge {
            return Err(Refused::Wrong);
        }
        Ok(Solved {
            challenge: challenge.to_owned(),
            expires_ms: expires.saturating_mul(1000),
        })
    }
}

/// `GET <signup endpoint>`: a challenge, never cached, when the server asks for proof of
/// work; else 204, and the widget sends its signups without one.
pub(crate) async fn challenge(State(app): State<Arc<App>>) -> Response {
    let Some(proofs) = &app.proofs else {
        return StatusCode::NO_CONTENT.into_response();
    };
    match proofs.challenge(now_ms()) {
        Ok(json) => (
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            json.to_string(),
        )
            .into_response(),
        Err(e) => {
            crate::log::warn("proof.no_challenge", &[("error", &e)]);
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// Solves a challenge as the widget does, natively: for tests, and for the bench of how
/// many signups one core can forge.
pub fn solve(challenge: &serde_json::Value) -> Option<String> {
    let text = |key: &str| challenge.get(key).and_then(|v| v.as_str());
    let (target, salt) = (text("challenge")?, text("salt")?);
    let max = challenge.get("maxnumber")?.as_u64()?;
    let target = unhex(target)?;
    let number = (0..=max).find(|n| {
        Sha256::digest(format!("{salt}{n}").as_bytes()).as_slice() == target.as_slice()
    })?;
    let payload = serde_json::json!({
        "algorithm": "SHA-256", "challenge": text("challenge")?, "number": number,
        "salt": salt, "signature": text("signature")?,
    });
    Some(base64::engine::general_purpose::STANDARD.encode(payload.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;

    fn payload(altcha: &str) -> serde_json::Value {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(altcha)
            .expect("base64");
        serde_json::from_slice(&bytes).expect("json")
    }

    fn encode(v: &serde_json::Value) -> String {
        base64::engine::general_purpose::STANDARD.encode(v.to_string())
    }

    #[test]
    fn a_solved_challenge_holds_until_it_expires() {
        let proofs = Proofs::new("key", 1_000).expect("keyed");
        let challenge = proofs.challenge(NOW).expect("challenge");
        assert_eq!(challenge["maxnumber"], 1_000);
        let altcha = solve(&challenge).expect("solvable");
        let solved = proofs.check(&altcha, NOW + 60_000).expect("holds");
        assert_eq!(
            solved.challenge,
            challenge["challenge"].as_str().expect("hex")
        );
        assert_eq!(solved.expires_ms, NOW / 1000 * 1000 + LIFETIME_S * 1000);
        assert_eq!(
            proofs.check(&altcha, NOW + LIFETIME_S * 1000 + 1_000),
            Err(Refused::Expired)
        );
    }

    #[test]
    fn forged_altered_and_malformed_solutions_are_refused() {
        let proofs = Proofs::new("key", 1_000).expect("keyed");
        let challenge = proofs.challenge(NOW).expect("challenge");
        let altcha = solve(&challenge).expect("solvable");
        let good = payload(&altcha);
        let with = |key: &str, value: serde_json::Value| {
            let mut p = good.clone();
            p[key] = value;
            encode(&p)
        };
        // Another server's key: its challenges are not ours.
        let theirs = Proofs::new("other key", 1_000)
            .expect("keyed")
            .challenge(NOW)
            .expect("c");
        let theirs = solve(&theirs).expect("solvable");
        assert_eq!(proofs.check(&theirs, NOW), Err(Refused::Forged));
        // A challenge made up with a number chosen by the sender, signature kept.
        let salt = good["salt"].as_str().expect("salt");
        let made_up = sha256_hex(&format!("{salt}0"));
        assert_eq!(
            proofs.check(&with("challenge", made_up.into()), NOW),
            Err(Refused::Forged)
        );
        // The expiry pushed out: the salt no longer gives the signed challenge.
        let later = salt.replace("?expires=", "?expires=9");
        assert_eq!(
            proofs.check(&with("salt", later.into()), NOW),
            Err(Refused::Wrong)
        );
        // Digits of the number moved into the expiry: the closing `&` is gone.
        let n = good["number"].as_u64().expect("n");
        let spliced = format!("{salt}{}", n.to_string().chars().next().expect("digit"));
        assert_eq!(
            proofs.check(&with("salt", spliced.into()), NOW),
            Err(Refused::Malformed)
        );
        let wrong = with("number", (n + 1).into());
        assert_eq!(proofs.check(&wrong, NOW), Err(Refused::Wrong));
        for bad in [
            String::new(),
            "not base64!".into(),
            encode(&serde_json::json!([1, 2])),
            with("algorithm", "SHA-1".into()),
            with("number", "12".into()),
            with("signature", "zz".into()),
        ] {
            assert!(proofs.check(&bad, NOW).is_err(), "{bad}");
        }
    }
}
