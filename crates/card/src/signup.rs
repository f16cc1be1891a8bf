//! The signup protocol of SPEC section 5, as pure logic: the request body, what each
//! response means, and the state machine of one submission — sending, retrying with
//! backoff, queueing in the outbox. The component performs what the machine asks for
//! (send, wait, queue, report) and draws its phase; nothing here touches the DOM.

use crate::json::{object, Json};

/// Attempts before a submission goes to the outbox: the first and three retries.
pub const MAX_ATTEMPTS: u32 = 4;
/// The first retry waits about this long; each next one twice as long.
pub const BASE_DELAY_MS: u32 = 1_000;
/// No single wait is longer (a `Retry-After` may ask for more, up to [`MAX_RETRY_AFTER_S`]).
pub const MAX_DELAY_MS: u32 = 30_000;
pub const MAX_RETRY_AFTER_S: u32 = 300;
/// A request that has not answered by then counts as a network failure.
pub const TIMEOUT_MS: u32 = 10_000;
/// A form submitted sooner than this after it appeared is held until this much has passed:
/// scripted floods are slowed, and a fast human (autofill) still loses nothing.
pub const MIN_FILL_MS: f64 = 1_000.0;

/// The longest first name kept, in characters (the form's field takes no more).
pub const NAME_MAX: usize = 100;

/// The JSON body POSTed to `signup-endpoint`.
#[derive(Debug, Clone, PartialEq)]
pub struct SignupRequest {
    pub email: String,
    pub newsletter: String,
    /// The newsletters ticked in a form that offers several (then `newsletter` is the
    /// first of them, for servers that read one); empty otherwise.
    pub newsletters: Vec<String>,
    pub consent: bool,
    /// The consent sentence the reader saw.
    pub consent_text: String,
    /// The reader's first name, where the form asked for it and they gave it.
    pub name: Option<String>,
    pub article: Option<String>,
    pub page: Option<String>,
    pub locale: String,
}

impl SignupRequest {
    pub fn to_json(&self) -> Json {
        let mut body = object([
            ("email", self.email.as_str().into()),
            ("newsletter", self.newsletter.as_str().into()),
            ("consent", Json::Bool(self.consent)),
            ("consent_text", self.consent_text.as_str().into()),
            ("name", self.name.as_deref().into()),
            ("article", self.article.as_deref().into()),
            ("page", self.page.as_deref().into()),
            ("locale", self.locale.as_str().into()),
        ]);
        if let (false, Json::Object(fields)) = (self.newsletters.is_empty(), &mut body) {
            let names = self.newsletters.iter().map(|n| n.as_str().into());
            fields.push(("newsletters".into(), Json::Array(names.collect())));
        }
        body
    }

    /// As kept in the outbox; `None` when something it needs is missing.
    pub fn from_json(v: &Json) -> Option<SignupRequest> {
        let text = |key| v.get(key).and_then(Json::as_str).map(str::to_owned);
        Some(SignupRequest {
            email: text("email")?,
            newsletter: text("newsletter")?,
            newsletters: match v.get("newsletters") {
                Some(Json::Array(names)) => names
                    .iter()
                    .filter_map(|n| n.as_str().map(str::to_owned))
                    .collect(),
                _ => Vec::new(),
            },
            consent: v.get("consent") == Some(&Json::Bool(true)),
            // Kept by an earlier version, which sent none: the server's own sentence.
            consent_text: text("consent_text").unwrap_or_default(),
            name: text("name"),
            article: text("article"),
            page: text("page"),
            locale: text("locale")?,
        })
    }
}

/// The parts of a response body the widget reads; anything else is ignored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SignupReply {
    pub status: Option<String>,
    pub error: Option<String>,
    pub message: Option<String>,
}

impl SignupReply {
    /// Reads a response body; fields that are not text are left out.
    pub fn from_text(body: &str) -> Option<SignupReply> {
        let v = Json::parse(body).ok()?;
        let text = |key| v.get(key).and_then(Json::as_str).map(str::to_owned);
        Some(SignupReply {
            status: text("status"),
            error: text("error"),
            message: text("message"),
        })
    }
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
    /// A response that retrying will not change (404, 405, 413 …).
    Unexpected,
    /// 5xx.
    ServerError,
    /// No response at all, or none in time.
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

    /// Worth another try later: the server or the network failed, not the request.
    pub fn is_transient(&self) -> bool {
        matches!(self, Outcome::ServerError | Outcome::NetworkError)
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
        (500..=599, _) => Outcome::ServerError,
        _ => Outcome::Unexpected,
    }
}

/// How long to wait before retry number `retry` (1 for the first retry): exponential, capped,
/// with "equal jitter" (half fixed, half random from `jitter` in 0..1) so that many readers
/// cut off by one outage do not all come back at once. A `Retry-After` is a floor.
pub fn backoff_ms(retry: u32, jitter: f64, retry_after_s: Option<u32>) -> u32 {
    let exp = BASE_DELAY_MS.saturating_mul(1 << retry.saturating_sub(1).min(15));
    let capped = exp.min(MAX_DELAY_MS);
    let jitter = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        0.5
    };
    let delay = capped / 2 + (f64::from(capped / 2) * jitter) as u32;
    let floor = retry_after_s.map_or(0, |s| s.min(MAX_RETRY_AFTER_S) * 1000);
    delay.max(floor)
}

/// Reads a `Retry-After` header: delay-seconds only (dates are rare from APIs and need a
/// clock the widget cannot trust).
pub fn parse_retry_after(header: Option<&str>) -> Option<u32> {
    header?.trim().parse().ok()
}

/// Where one submission is.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    Idle,
    /// Request number `attempt` (from 1) is in flight.
    Sending {
        attempt: u32,
    },
    /// Attempt `attempt` failed; the next one is due after `delay_ms`.
    Retrying {
        attempt: u32,
        delay_ms: u32,
    },
    /// Submitted sooner than [`MIN_FILL_MS`] after the form appeared: held that long first.
    Holding,
    /// Being put in the outbox (the browser may refuse to keep it).
    Keeping,
    /// Kept in the reader's browser, to be sent when back online or on the next visit.
    Queued,
    Done(Outcome),
}

/// What happens to a submission.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// The reader submits; `early_ms`: how much of the minimum fill time is still to run.
    Submit { early_ms: u32 },
    /// The honeypot field was filled: a bot, told that it worked and sending nothing.
    Trapped,
    /// The reader changed the address: a refusal of the old one no longer stands.
    Edited,
    /// The server answered.
    Answered {
        status: u16,
        reply: Option<SignupReply>,
        retry_after: Option<u32>,
    },
    /// No answer. `offline`: the browser knows it has no network, so retrying now is futile.
    NoAnswer { offline: bool },
    /// The wait before a retry (or the hold of an early submission) is over.
    RetryDue,
    /// Whether the browser kept the submission in the outbox (storage may be blocked, as in
    /// sandboxed frames and some private modes, or full).
    Kept(bool),
}

/// What the machine asks the component to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Send,
    Wait(u32),
    /// Keep the submission in the outbox.
    Queue,
    /// Dispatch `article-embed:subscribe` with this status.
    Report(&'static str),
}

/// One form's submissions. `step` is pure: given the same inputs (and jitter) it decides
/// the same, which is what the native tests check.
#[derive(Debug, Clone, PartialEq)]
pub struct Machine {
    pub phase: Phase,
}

impl Default for Machine {
    fn default() -> Self {
        Machine { phase: Phase::Idle }
    }
}

impl Phase {
    /// True while a submission is under way: another one must not start.
    pub fn is_busy(&self) -> bool {
        matches!(
            self,
            Phase::Sending { .. } | Phase::Retrying { .. } | Phase::Holding | Phase::Keeping
        )
    }
}

impl Machine {
    /// True while a submission is under way: another one must not start.
    pub fn busy(&self) -> bool {
        self.phase.is_busy()
    }

    pub fn step(&mut self, input: Input, jitter: f64) -> Vec<Command> {
        let attempt = match self.phase {
            Phase::Sending { attempt } => attempt,
            _ => 0,
        };
        match (input, self.phase.clone()) {
            (Input::Submit { .. } | Input::Trapped, _) if self.busy() => Vec::new(),
            (Input::Submit { early_ms: 0 }, _) | (Input::RetryDue, Phase::Holding) => {
                self.phase = Phase::Sending { attempt: 1 };
                vec![Command::Send]
            }
            (Input::Submit { early_ms }, _) => {
                self.phase = Phase::Holding;
                vec![Command::Wait(early_ms)]
            }
            (Input::Trapped, _) => {
                self.phase = Phase::Done(Outcome::Subscribed);
                Vec::new()
            }
            (Input::Edited, Phase::Done(Outcome::Rejected(_))) => {
                self.phase = Phase::Idle;
                Vec::new()
            }
            (Input::RetryDue, Phase::Retrying { attempt, .. }) => {
                self.phase = Phase::Sending {
                    attempt: attempt + 1,
                };
                vec![Command::Send]
            }
            (
                Input::Answered {
                    status,
                    reply,
                    retry_after,
                },
                Phase::Sending { .. },
            ) => {
                let outcome = classify(status, reply.as_ref());
                if outcome.is_transient() {
                    self.failed(attempt, false, retry_after, jitter)
                } else {
                    let status = outcome.event_status();
                    self.phase = Phase::Done(outcome);
                    vec![Command::Report(status)]
                }
            }
            (Input::NoAnswer { offline }, Phase::Sending { .. }) => {
                self.failed(attempt, offline, None, jitter)
            }
            (Input::Kept(true), Phase::Keeping) => {
                self.phase = Phase::Queued;
                vec![Command::Report("queued")]
            }
            // Not kept: say so (the reader must not be told it is saved), and let them try.
            (Input::Kept(false), Phase::Keeping) => {
                self.phase = Phase::Done(Outcome::NetworkError);
                vec![Command::Report("failed")]
            }
            // Late or stray inputs (a timer after a reset, an answer after a timeout).
            _ => Vec::new(),
        }
    }

    fn failed(
        &mut self,
        attempt: u32,
        offline: bool,
        retry_after: Option<u32>,
        jitter: f64,
    ) -> Vec<Command> {
        if offline || attempt >= MAX_ATTEMPTS {
            self.phase = Phase::Keeping;
            return vec![Command::Queue];
        }
        let delay_ms = backoff_ms(attempt, jitter, retry_after);
        self.phase = Phase::Retrying { attempt, delay_ms };
        vec![Command::Wait(delay_ms)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUBMIT: Input = Input::Submit { early_ms: 0 };

    fn reply(json: &str) -> SignupReply {
        SignupReply::from_text(json).expect("reply json")
    }

    #[test]
    fn the_request_body_is_what_the_server_reads() {
        let request = SignupRequest {
            email: "reader@example.org".into(),
            newsletter: "Morning \"Brief\"".into(),
            newsletters: Vec::new(),
            consent: true,
            consent_text: "I agree to receive it.".into(),
            name: Some("Dana".into()),
            article: Some("https://news.example/a".into()),
            page: None,
            locale: "ar".into(),
        };
        let text = request.to_json().to_text();
        let theirs: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(
            theirs,
            serde_json::json!({"email": "reader@example.org", "newsletter": "Morning \"Brief\"",
                "consent": true, "consent_text": "I agree to receive it.", "name": "Dana",
                "article": "https://news.example/a", "page": null, "locale": "ar"})
        );
        assert_eq!(
            SignupRequest::from_json(&Json::parse(&text).unwrap()),
            Some(request.clone())
        );
        // Several newsletters: the list, and the first beside it for servers that read one.
        let several = SignupRequest {
            newsletter: "Daily".into(),
            newsletters: vec!["Daily".into(), "Weekly".into()],
            ..request
        };
        let text = several.to_json().to_text();
        let theirs: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(
            theirs["newsletters"],
            serde_json::json!(["Daily", "Weekly"])
        );
        assert_eq!(theirs["newsletter"], "Daily");
        assert_eq!(
            SignupRequest::from_json(&Json::parse(&text).unwrap()),
            Some(several)
        );
    }

    #[test]
    fn replies_are_read_leniently() {
        assert_eq!(
            reply(r#"{"status": 3, "message": "m", "x": []}"#)
                .message
                .as_deref(),
            Some("m")
        );
        assert_eq!(reply(r#"{"status": 3}"#).status, None);
        assert_eq!(SignupReply::from_text("<html>"), None);
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
        for code in [500, 502, 503, 504] {
            assert_eq!(classify(code, None), Outcome::ServerError, "{code}");
        }
        for code in [301, 404, 405, 413] {
            assert_eq!(classify(code, None), Outcome::Unexpected, "{code}");
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

    fn answered(status: u16, retry_after: Option<u32>) -> Input {
        Input::Answered {
            status,
            reply: None,
            retry_after,
        }
    }

    #[test]
    fn backoff_grows_is_capped_jittered_and_honours_retry_after() {
        // Equal jitter: between half and all of the exponential delay.
        assert_eq!(backoff_ms(1, 0.0, None), 500);
        assert_eq!(backoff_ms(1, 1.0, None), 1_000);
        assert_eq!(backoff_ms(2, 0.0, None), 1_000);
        assert_eq!(backoff_ms(3, 1.0, None), 4_000);
        assert_eq!(backoff_ms(20, 1.0, None), MAX_DELAY_MS);
        assert_eq!(backoff_ms(u32::MAX, 0.5, None), 22_500);
        for retry in 1..10 {
            let low = backoff_ms(retry, 0.0, None);
            let high = backoff_ms(retry, 1.0, None);
            assert!(
                low <= high && high <= MAX_DELAY_MS && low * 2 >= high,
                "{retry}"
            );
        }
        // A Retry-After is a floor, itself capped.
        assert_eq!(backoff_ms(1, 0.0, Some(7)), 7_000);
        assert_eq!(backoff_ms(3, 1.0, Some(1)), 4_000);
        assert_eq!(backoff_ms(1, 0.0, Some(86_400)), MAX_RETRY_AFTER_S * 1000);
        assert_eq!(backoff_ms(1, f64::NAN, None), 750);
        assert_eq!(parse_retry_after(Some(" 30 ")), Some(30));
        assert_eq!(
            parse_retry_after(Some("Wed, 21 Oct 2015 07:28:00 GMT")),
            None
        );
    }

    #[test]
    fn success_on_the_first_try() {
        let mut m = Machine::default();
        assert_eq!(m.step(SUBMIT, 0.5), [Command::Send]);
        assert!(m.busy());
        assert_eq!(
            m.step(SUBMIT, 0.5),
            [],
            "a second submit while sending does nothing"
        );
        assert_eq!(
            m.step(answered(202, None), 0.5),
            [Command::Report("pending")]
        );
        assert_eq!(m.phase, Phase::Done(Outcome::Pending));
        assert!(!m.busy());
        // The reader may submit again (another address).
        assert_eq!(m.step(SUBMIT, 0.5), [Command::Send]);
    }

    #[test]
    fn server_errors_are_retried_with_backoff_then_succeed() {
        let mut m = Machine::default();
        m.step(SUBMIT, 0.0);
        assert_eq!(m.step(answered(500, None), 0.0), [Command::Wait(500)]);
        assert_eq!(
            m.phase,
            Phase::Retrying {
                attempt: 1,
                delay_ms: 500
            }
        );
        assert_eq!(m.step(SUBMIT, 0.0), [], "no new submission while retrying");
        assert_eq!(m.step(Input::RetryDue, 0.0), [Command::Send]);
        assert_eq!(m.phase, Phase::Sending { attempt: 2 });
        assert_eq!(m.step(answered(503, Some(3)), 0.0), [Command::Wait(3_000)]);
        m.step(Input::RetryDue, 0.0);
        assert_eq!(
            m.step(answered(201, None), 0.0),
            [Command::Report("subscribed")]
        );
    }

    #[test]
    fn after_the_last_attempt_the_submission_is_queued() {
        let mut m = Machine::default();
        m.step(SUBMIT, 1.0);
        let mut waits = Vec::new();
        for _ in 1..MAX_ATTEMPTS {
            match m.step(Input::NoAnswer { offline: false }, 1.0).as_slice() {
                [Command::Wait(ms)] => waits.push(*ms),
                other => panic!("expected a wait, got {other:?}"),
            }
            m.step(Input::RetryDue, 1.0);
        }
        assert_eq!(waits, [1_000, 2_000, 4_000]);
        assert_eq!(
            m.step(Input::NoAnswer { offline: false }, 1.0),
            [Command::Queue]
        );
        assert_eq!(m.phase, Phase::Keeping);
        assert!(m.busy(), "no second submission while it is being kept");
        assert_eq!(m.step(Input::Kept(true), 1.0), [Command::Report("queued")]);
        assert_eq!(m.phase, Phase::Queued);
    }

    #[test]
    fn a_submission_the_browser_will_not_keep_is_reported_as_failed() {
        let mut m = Machine::default();
        m.step(SUBMIT, 0.5);
        assert_eq!(
            m.step(Input::NoAnswer { offline: true }, 0.5),
            [Command::Queue]
        );
        assert_eq!(m.step(Input::Kept(false), 0.5), [Command::Report("failed")]);
        assert_eq!(m.phase, Phase::Done(Outcome::NetworkError));
        assert!(!m.busy(), "the reader can try again");
    }

    #[test]
    fn offline_goes_straight_to_the_outbox() {
        let mut m = Machine::default();
        m.step(SUBMIT, 0.5);
        assert_eq!(
            m.step(Input::NoAnswer { offline: true }, 0.5),
            [Command::Queue]
        );
        assert_eq!(m.step(Input::Kept(true), 0.5), [Command::Report("queued")]);
    }

    #[test]
    fn refusals_are_final_and_never_retried() {
        for (status, outcome) in [
            (422, Outcome::Rejected(None)),
            (429, Outcome::RateLimited),
            (404, Outcome::Unexpected),
        ] {
            let mut m = Machine::default();
            m.step(SUBMIT, 0.5);
            assert_eq!(
                m.step(answered(status, Some(60)), 0.5),
                [Command::Report("failed")]
            );
            assert_eq!(m.phase, Phase::Done(outcome));
        }
    }

    #[test]
    fn stray_inputs_change_nothing() {
        let mut m = Machine::default();
        assert_eq!(m.step(Input::RetryDue, 0.5), []);
        assert_eq!(m.step(answered(200, None), 0.5), []);
        assert_eq!(m.phase, Phase::Idle);
    }

    #[test]
    fn an_early_submission_is_held_then_sent_and_nothing_starts_meanwhile() {
        let mut m = Machine::default();
        assert_eq!(
            m.step(Input::Submit { early_ms: 400 }, 0.5),
            [Command::Wait(400)]
        );
        assert_eq!(m.phase, Phase::Holding);
        assert!(m.busy());
        assert_eq!(m.step(SUBMIT, 0.5), [], "a second press while held");
        assert_eq!(m.step(Input::Trapped, 0.5), []);
        assert_eq!(m.step(Input::RetryDue, 0.5), [Command::Send]);
        assert_eq!(m.phase, Phase::Sending { attempt: 1 });
    }

    #[test]
    fn a_filled_honeypot_is_told_it_worked_and_sends_nothing() {
        let mut m = Machine::default();
        assert_eq!(m.step(Input::Trapped, 0.5), []);
        assert_eq!(m.phase, Phase::Done(Outcome::Subscribed));
    }

    #[test]
    fn editing_the_address_after_a_refusal_clears_it_and_nothing_else() {
        let mut m = Machine::default();
        m.step(SUBMIT, 0.5);
        m.step(answered(422, None), 0.5);
        assert!(matches!(m.phase, Phase::Done(Outcome::Rejected(_))));
        assert_eq!(m.step(Input::Edited, 0.5), []);
        assert_eq!(m.phase, Phase::Idle);
        // A success stays a success, however the field changes after it.
        m.step(SUBMIT, 0.5);
        m.step(answered(202, None), 0.5);
        m.step(Input::Edited, 0.5);
        assert_eq!(m.phase, Phase::Done(Outcome::Pending));
    }
}
