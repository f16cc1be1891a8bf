//! Webhook events (SPEC 6.2): what each tells about a subscriber. An event is written in the
//! transaction of what it tells of (a confirmation, an erasure), so none is lost or sent for
//! something that did not happen.

use crate::{time, tokens};

pub const CONFIRMED: &str = "subscriber.confirmed";
pub const DELETED: &str = "subscriber.deleted";

/// What an event tells about a subscriber.
#[derive(Debug, Clone, PartialEq)]
pub struct Subscriber {
    pub email: String,
    pub newsletter: String,
    pub consent_text: String,
    pub name: Option<String>,
    pub confirmed_at: Option<i64>,
    pub article: Option<String>,
    pub page: Option<String>,
    pub locale: String,
}

/// A new event: its `webhook-id` (`msg_` and 128 random bits) and its JSON body.
pub fn event(kind: &str, who: &Subscriber, now: i64) -> Result<(String, String), String> {
    let id = format!("msg_{}", tokens::token()?);
    let body = serde_json::json!({
        "type": kind,
        "timestamp": time::iso_time(now),
        "data": {
            "email": who.email,
            "newsletter": who.newsletter,
            "consent_text": who.consent_text,
            "name": who.name,
            "confirmed_at": who.confirmed_at.map(time::iso_time),
            "article": who.article,
            "page": who.page,
            "locale": who.locale,
        }
    });
    Ok((id, body.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_carry_the_subscriber() {
        let who = Subscriber {
            email: "r@example.org".into(),
            newsletter: "N".into(),
            consent_text: "I agree".into(),
            name: Some("Dana".into()),
            confirmed_at: Some(0),
            article: None,
            page: Some("https://blog.example/".into()),
            locale: "en".into(),
        };
        let (id, body) = event(CONFIRMED, &who, 1_614_970_800_123).expect("event");
        assert!(id.starts_with("msg_") && id.len() == 36);
        let json: serde_json::Value = serde_json::from_str(&body).expect("json");
        assert_eq!(json["type"], "subscriber.confirmed");
        assert_eq!(json["timestamp"], "2021-03-05T19:00:00.123Z");
        assert_eq!(json["data"]["email"], "r@example.org");
        assert_eq!(json["data"]["confirmed_at"], "1970-01-01T00:00:00.000Z");
        assert_eq!(json["data"]["article"], serde_json::Value::Null);
    }
}
