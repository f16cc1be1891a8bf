//! The signup protocol of SPEC section 5, as pure data: the request body, and what each
//! response means for the reader. The component sends and shows; this decides.

use serde::{Deserialize, Serialize};

/// The JSON body POSTed to `signup-endpoint`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignupRequest {
    pub email: String,
    pub newsletter: String,
    pub consent: bool,
    pub article: Option<String>,
    pub page: Option<String>,
    pub locale: String,
}

/// The parts of a response body the widget reads; anything else is ignored.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct SignupReply {
    pub status: Option<String>,
    pub error: Option<String>,
    pub message: Option<String>,
}

/// What happened, in the terms the reader is told about.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Subscribed,
    Pending,
    AlreadySubscribed,
    /// The server refused the address; its message, when it gave a usable one.
    Rejected(Option<String>),
    RateLimited,
    /// 5xx, or a response the widget cannot read.
    ServerError,
    /// No response at all.
    NetworkError,
}

impl Outcome {
    /// The `status` of the `article-embed:subscribe` event.
    pub fn event_status(&self) -> &'static str {
        match self {
            Outcome::Subscribed => "subscribed",
            Outcome::Pending => "pending",
            Outcome::AlreadySubscribed => "already_subscribed",
            _ => "failed",
        }
    }

    pub fn is_success(&self) -> bool {
        matches!(
            self,
            Outcome::Subscribed | Outcome::Pending | Outcome::AlreadySubscribed
        )
    }
}

/// Reads a response by its status code and (possibly absent or unreadable) JSON body.
pub fn classify(status: u16, reply: Option<&SignupReply>) -> Outcome {
    let said = reply.and_then(|r| r.status.as_deref());
    match (status, said) {
        (200 | 409, Some("already_subscribed")) => Outcome::AlreadySubscribed,
        (200 | 201, Some("subscribed")) => Outcome::Subscribed,
        (202, _) | (200, Some("pending")) => Outcome::Pending,
        (200 | 201, _) => Outcome::Subscribed,
        (409, _) => Outcome::AlreadySubscribed,
        (400 | 422, _) => Outcome::Rejected(
            reply
                .and_then(|r| r.message.as_deref())
                .map(crate::text::clean)
                .filter(|m| !m.is_empty())
                .map(|m| crate::text::truncate(&m, 200)),
        ),
        (429, _) => Outcome::RateLimited,
        _ => Outcome::ServerError,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(json: &str) -> SignupReply {
        serde_json::from_str(json).expect("reply json")
    }

    #[test]
    fn every_row_of_the_protocol_table() {
        let subscribed = reply(r#"{"status":"subscribed"}"#);
        let pending = reply(r#"{"status":"pending"}"#);
        let already = reply(r#"{"status":"already_subscribed"}"#);
        let invalid = reply(r#"{"error":"invalid_email","message":"That address bounced."}"#);
        assert_eq!(classify(200, Some(&subscribed)), Outcome::Subscribed);
        assert_eq!(classify(201, Some(&subscribed)), Outcome::Subscribed);
        assert_eq!(classify(202, Some(&pending)), Outcome::Pending);
        assert_eq!(classify(200, Some(&already)), Outcome::AlreadySubscribed);
        assert_eq!(classify(409, Some(&already)), Outcome::AlreadySubscribed);
        assert_eq!(
            classify(422, Some(&invalid)),
            Outcome::Rejected(Some("That address bounced.".into()))
        );
        assert_eq!(classify(400, None), Outcome::Rejected(None));
        assert_eq!(classify(429, None), Outcome::RateLimited);
        for code in [500, 502, 503, 504, 404, 301] {
            assert_eq!(classify(code, None), Outcome::ServerError, "{code}");
        }
    }

    #[test]
    fn event_statuses_match_the_spec() {
        assert_eq!(Outcome::Subscribed.event_status(), "subscribed");
        assert_eq!(Outcome::Pending.event_status(), "pending");
        assert_eq!(
            Outcome::AlreadySubscribed.event_status(),
            "already_subscribed"
        );
        assert_eq!(Outcome::RateLimited.event_status(), "failed");
        assert!(!Outcome::Rejected(None).is_success());
    }

    #[test]
    fn server_messages_are_cleaned_and_bounded() {
        let long = format!(r#"{{"message":"  {}  "}}"#, "x ".repeat(500));
        let Outcome::Rejected(Some(m)) = classify(422, Some(&reply(&long))) else {
            panic!("not rejected with a message")
        };
        assert!(m.chars().count() <= 200 && m.ends_with('…'));
    }
}
