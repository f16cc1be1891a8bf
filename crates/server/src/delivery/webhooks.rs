//! Webhooks to the publisher's mailing-list provider (SPEC 6.2): where events go and how
//! each delivery is signed, as Standard Webhooks do. The events themselves are written with
//! what they tell of (`store::events`), queued durably (table `webhook_queue`, sent by the
//! delivery job) and retried until a 2xx, with the same `webhook-id` every time.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Where events go, and the key they are signed with.
#[derive(Clone)]
pub struct Webhook {
    pub url: String,
    secret: Vec<u8>,
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhook")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl Webhook {
    /// `secret` as Standard Webhooks write it: `whsec_` and the key in base64.
    pub fn new(url: &str, secret: &str) -> Result<Webhook, String> {
        let url = article_embed_card::url::resolve(url, None)
            .map_err(|_| "--webhook: not an http(s) URL".to_owned())?;
        let encoded = secret.trim().strip_prefix("whsec_").ok_or_else(|| {
            "ARTICLE_EMBED_WEBHOOK_SECRET: expected whsec_ followed by the key in base64".to_owned()
        })?;
        let secret = BASE64
            .decode(encoded)
            .map_err(|_| "ARTICLE_EMBED_WEBHOOK_SECRET: the part after whsec_ is not base64")?;
        if secret.len() < 16 {
            return Err("ARTICLE_EMBED_WEBHOOK_SECRET: the key is shorter than 16 bytes".into());
        }
        Ok(Webhook { url, secret })
    }

    /// `webhook-signature` for one delivery: `v1,` and the base64 HMAC-SHA256 of
    /// `id.timestamp.body`.
    pub fn sign(&self, id: &str, timestamp: i64, body: &str) -> String {
        sign(&self.secret, id, timestamp, body)
    }
}

pub fn sign(secret: &[u8], id: &str, timestamp: i64, body: &str) -> String {
    // HMAC takes keys of any length: new_from_slice cannot fail for it.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    format!("v1,{}", BASE64.encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_as_standard_webhooks_do() {
        // The example of the Standard Webhooks specification.
        let secret = BASE64
            .decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            .expect("base64");
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            sign(&secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn secrets_are_checked() {
        let url = "https://lists.example/hook";
        assert!(Webhook::new(url, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").is_ok());
        assert!(Webhook::new(url, "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").is_err());
        assert!(Webhook::new(url, "whsec_not base64!").is_err());
        assert!(Webhook::new(url, "whsec_c2hvcnQ=").is_err(), "too short");
        assert!(Webhook::new(
            "ftp://lists.example/",
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        )
        .is_err());
        let shown = format!(
            "{:?}",
            Webhook::new(url, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("ok")
        );
        assert!(!shown.contains("MfKQ"), "the key is never printed: {shown}");
    }
}
