//! Signups from the server's own `/embed/` frames. Hosts that frame a card in a sandbox
//! without `allow-same-origin` (WordPress's embeds) give it an opaque origin: its posts
//! carry `Origin: null`, which `--allow-origin` cannot list. The `/embed/` page therefore
//! gives its form an endpoint with a short-lived token (`?frame=…`), an HMAC of its expiry
//! under a key kept in the database (so that every process on it accepts every other's),
//! and a post whose origin the list refuses is accepted with a valid one instead.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How long a frame's token is good for: a reader who keeps the page open a day can still
/// subscribe. Tokens are made per hour, so that an hour's pages are the same.
const LIFETIME_S: i64 = 24 * 3600;
const STEP_S: i64 = 3600;

pub struct Frames {
    /// Keyed once; cloned for each token.
    keyed: Hmac<Sha256>,
}

impl Frames {
    pub fn new(key: &str) -> Result<Frames, String> {
        Ok(Frames {
            keyed: crate::tokens::keyed(key)?,
        })
    }

    fn mac(&self, expiry: i64) -> String {
        let mut mac = self.keyed.clone();
        mac.update(format!("article-embed frame {expiry}").as_bytes());
        crate::tokens::hex(&mac.finalize().into_bytes())
    }

    /// The token for a frame served at `now_ms`: `<expiry in s>.<HMAC, hex>`.
    pub fn token(&self, now_ms: i64) -> String {
        let now = now_ms / 1000;
        let expiry = (now / STEP_S + 1) * STEP_S + LIFETIME_S;
        format!("{expiry}.{}", self.mac(expiry))
    }

    /// Whether `token` is one this server made and has not expired at `now_ms`.
    pub fn admits(&self, token: &str, now_ms: i64) -> bool {
        let Some((expiry, mac)) = token.split_once('.') else {
            return false;
        };
        let Ok(expiry) = expiry.parse::<i64>() else {
            return false;
        };
        if expiry < now_ms / 1000 || expiry > now_ms / 1000 + LIFETIME_S + 2 * STEP_S {
            return false;
        }
        let mut verifier = self.keyed.clone();
        verifier.update(format!("article-embed frame {expiry}").as_bytes());
        let Some(bytes) = crate::tokens::unhex(mac) else {
            return false;
        };
        // Constant time: nothing about a right token leaks through the time a wrong one takes.
        verifier.verify_slice(&bytes).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR_MS: i64 = 3_600_000;

    #[test]
    fn a_token_is_good_for_a_day_and_only_from_its_key() {
        let frames = Frames::new("key one").expect("keyed");
        let now = 1_800_000_000_000;
        let token = frames.token(now);
        assert!(frames.admits(&token, now));
        assert!(frames.admits(&token, now + 24 * HOUR_MS));
        assert!(!frames.admits(&token, now + 26 * HOUR_MS), "expired");
        assert!(
            !Frames::new("key two").expect("keyed").admits(&token, now),
            "another server's key"
        );
        assert_eq!(
            frames.token(now + 60_000),
            token,
            "the same within the hour"
        );
    }

    #[test]
    fn forged_and_malformed_tokens_are_refused() {
        let frames = Frames::new("key").expect("keyed");
        let now = 1_800_000_000_000;
        let token = frames.token(now);
        let (expiry, mac) = token.split_once('.').expect("two parts");
        let later: i64 = expiry.parse::<i64>().expect("a number") + 3600;
        for forged in [
            format!("{later}.{mac}"),
            format!("{expiry}.{}", "0".repeat(64)),
            format!("{expiry}.{}", &mac[1..]),
            format!("{}.{}", now / 1000 + 100 * 24 * 3600, mac),
            expiry.to_owned(),
            String::new(),
            format!("{expiry}.zz{}", &mac[2..]),
            format!("x.{mac}"),
        ] {
            assert!(!frames.admits(&forged, now), "{forged}");
        }
    }
}
