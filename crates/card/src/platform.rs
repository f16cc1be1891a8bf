//! What the card needs of the world it runs in: the network, timers, a clock, randomness,
//! storage, and word of the network coming back. The browser's crate implements it with
//! `fetch`, `setTimeout` and `localStorage`; on a server, where a card is only rendered and
//! none of its effects runs, [`Rendering`] does nothing.
//!
//! A type parameter of the components rather than an object: the browser's wasm gets the
//! browser's code inlined, as if written there, and nothing else.

use std::future::Future;

use crate::outbox::Entry;
use crate::signup::{Input, SignupRequest};

pub trait Platform: 'static {
    /// Something to stop listening with, when dropped.
    type Listener;

    /// Runs a task to its end, on its own.
    fn spawn(task: impl Future<Output = ()> + 'static);
    fn sleep(ms: u32) -> impl Future<Output = ()>;
    /// Milliseconds since the epoch.
    fn now_ms() -> f64;
    /// A number in `0..1`, for jitter.
    fn random() -> f64;
    /// 128 random bits, hex: the `Idempotency-Key` of one submission.
    fn idempotency_key() -> String;
    /// Gets ready for a signup to `endpoint` while the reader types (the browser works out
    /// the proof of work a server may ask for).
    fn prepare(_endpoint: &str) {}
    /// POSTs a signup (SPEC section 5) and says how it went.
    fn post(endpoint: &str, key: &str, request: &SignupRequest) -> impl Future<Output = Input>;
    fn outbox_load(endpoint: &str) -> Vec<Entry>;
    /// Returns false when it could not be kept (no storage, quota).
    fn outbox_save(endpoint: &str, entries: &[Entry]) -> bool;
    /// Calls `f` whenever the network comes back, until the listener is dropped.
    fn on_online(f: impl Fn() + 'static) -> Option<Self::Listener>;
}

/// The card being rendered to HTML: nothing runs, nothing is sent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rendering;

impl Platform for Rendering {
    type Listener = ();

    fn spawn(_: impl Future<Output = ()> + 'static) {}
    async fn sleep(_: u32) {}
    fn now_ms() -> f64 {
        0.0
    }
    fn random() -> f64 {
        0.5
    }
    fn idempotency_key() -> String {
        String::new()
    }
    async fn post(_: &str, _: &str, _: &SignupRequest) -> Input {
        Input::NoAnswer { offline: false }
    }
    fn outbox_load(_: &str) -> Vec<Entry> {
        Vec::new()
    }
    fn outbox_save(_: &str, _: &[Entry]) -> bool {
        false
    }
    fn on_online(_: impl Fn() + 'static) -> Option<()> {
        None
    }
}
