//! The newsletter signup form. It draws the phase of a [`Machine`] and carries out what the
//! machine asks for: send, wait, keep in the outbox, report. What the reader typed is never
//! cleared by a failure, and a submission that cannot reach the server is kept until it can.

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::with_attributes;
use crate::email::{self, EmailProblem};
use crate::i18n::{self, Words};
use crate::outbox::{self, Entry};
use crate::platform::Platform;
use crate::signup::{
    classify, Command, Input, Machine, Outcome, Phase, SignupRequest, MIN_FILL_MS, NAME_MAX,
};

#[derive(Properties, PartialEq, Clone)]
pub struct SignupProps {
    pub endpoint: AttrValue,
    pub newsletter: AttrValue,
    /// Newsletters to choose from, with a checkbox each (the first ticked); empty: the one
    /// `newsletter`.
    pub choices: Vec<String>,
    pub privacy_url: Option<AttrValue>,
    pub consent_required: bool,
    /// The consent sentence, the hint and the button's label: the publisher's, or the
    /// language table's.
    pub consent_text: AttrValue,
    pub hint: AttrValue,
    pub submit_label: AttrValue,
    /// Ask for a first name too (optional for the reader).
    pub name_field: bool,
    pub article_url: Option<String>,
    pub page: Option<String>,
    pub lang: AttrValue,
    /// The widget's language, when not the story's.
    pub words_lang: Option<AttrValue>,
    pub words: &'static Words,
    pub on_subscribe: Callback<&'static str>,
    /// Called after each render of the form (its messages come and go).
    #[prop_or_default]
    pub on_rendered: Callback<()>,
}

/// A problem the reader can fix before anything is sent.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Problem {
    Email(&'static str),
    Consent,
    /// Several newsletters offered, none ticked.
    Newsletter,
}

/// Runs one submission: the machine, and the world it acts on.
struct Driver<P> {
    machine: Rc<RefCell<Machine>>,
    phase: UseStateSetter<Phase>,
    endpoint: AttrValue,
    key: String,
    request: SignupRequest,
    on_subscribe: Callback<&'static str>,
    platform: std::marker::PhantomData<P>,
}

impl<P: Platform> Driver<P> {
    fn feed(self: &Rc<Self>, input: Input) {
        let commands = self.machine.borrow_mut().step(input, P::random());
        self.phase.set(self.machine.borrow().phase.clone());
        for command in commands {
            match command {
                Command::Send => {
                    let driver = Rc::clone(self);
                    P::spawn(async move {
                        let input = P::post(&driver.endpoint, &driver.key, &driver.request).await;
                        driver.feed(input);
                    });
                }
                Command::Wait(ms) => {
                    let driver = Rc::clone(self);
                    P::spawn(async move {
                        P::sleep(ms).await;
                        driver.feed(Input::RetryDue);
                    });
                }
                Command::Queue => {
                    let mut entries = P::outbox_load(&self.endpoint);
                    outbox::add(
                        &mut entries,
                        Entry::new(self.key.clone(), self.request.clone(), P::now_ms()),
                    );
                    let kept = P::outbox_save(&self.endpoint, &entries);
                    self.feed(Input::Kept(kept));
                }
                Command::Report(status) => self.on_subscribe.emit(status),
            }
        }
    }
}

thread_local! {
    /// Endpoints whose outbox is being sent: two cards of one page must not both send it.
    /// (A page has one or two: a list, not a hash set, whose code the wasm would carry.)
    static FLUSHING: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Sends what waits in the endpoint's outbox, each entry with its own idempotency key.
/// Returns the outcomes of the entries that were settled (sent, or refused for good), and
/// whether the outbox is empty now.
/// Entries older than a week are dropped unsent; an entry whose send fails, or meets a
/// 429, stays and waits longer before the next try.
async fn flush<P: Platform>(endpoint: AttrValue) -> (Vec<Outcome>, bool) {
    let started = FLUSHING.with_borrow_mut(|flushing| {
        let idle = !flushing.iter().any(|e| *e == *endpoint);
        if idle {
            flushing.push(endpoint.to_string());
        }
        idle
    });
    if !started {
        return (Vec::new(), false);
    }
    let mut settled = Vec::new();
    let mut delayed = Vec::new();
    let mut outcomes = Vec::new();
    for entry in P::outbox_load(&endpoint) {
        let now = P::now_ms();
        if entry.expired(now) {
            settled.push(entry.key);
            continue;
        }
        if !entry.due(now) {
            continue;
        }
        match P::post(&endpoint, &entry.key, &entry.request).await {
            Input::Answered {
                status,
                reply,
                retry_after,
            } => {
                let outcome = classify(status, reply.as_ref());
                if outcome == Outcome::RateLimited {
                    // Kept for later, and nothing more sent now: the server asked for calm.
                    let wait = retry_after.map(|s| f64::from(s) * 1000.0);
                    delayed.push(entry.failed(P::now_ms(), wait));
                    break;
                } else if outcome.is_transient() {
                    delayed.push(entry.failed(P::now_ms(), None));
                } else {
                    settled.push(entry.key);
                    outcomes.push(outcome);
                }
            }
            Input::NoAnswer { offline } => {
                delayed.push(entry.failed(P::now_ms(), None));
                if offline {
                    break;
                }
            }
            _ => {}
        }
    }
    let mut empty = false;
    if !settled.is_empty() || !delayed.is_empty() {
        // Read again: a submission queued while this one was sending must stay.
        let left = outbox::after_flush(P::outbox_load(&endpoint), &settled, &delayed);
        P::outbox_save(&endpoint, &left);
        empty = left.is_empty();
    }
    FLUSHING.with_borrow_mut(|flushing| flushing.retain(|e| *e != *endpoint));
    (outcomes, empty)
}

#[component]
pub fn Signup<P: Platform>(props: &SignupProps) -> Html {
    let words = props.words;
    // Ids tie labels and messages to fields. Each card has a shadow root of its own, where
    // ids are looked up, so they are the same in every card: server-rendered markup is then
    // the same for every request, and whatever rendered it.
    let email_id = "article-embed-email";
    let status_id = "article-embed-status";
    let title_id = "article-embed-title";
    let trap_id = "article-embed-website";
    let name_id = "article-embed-name";

    let email = use_state(String::new);
    let consent = use_state(|| false);
    let problem = use_state(|| None::<Problem>);
    let phase = use_state(|| Phase::Idle);
    let machine = use_mut_ref(Machine::default);
    // An earlier, queued submission that has now gone through.
    let delivered = use_state(|| None::<Outcome>);
    let shown_at = *use_state(P::now_ms);
    let input_ref = use_node_ref();
    // The name is read from its field when the form is sent: it changes nothing on the way.
    let name_ref = use_node_ref();
    let trap_ref = use_node_ref();
    // The newsletters' boxes: which are ticked, one bit each (the first, at first), read
    // back from the boxes on every change (a script may change two before a render).
    // (One NodeRef each: clones of one NodeRef are one reference.)
    let choice_refs = use_memo(props.choices.len(), |n| {
        (0..*n).map(|_| NodeRef::default()).collect::<Vec<_>>()
    });
    let ticked = use_state(|| 1u32);
    {
        let on_rendered = props.on_rendered.clone();
        use_effect(move || on_rendered.emit(()));
    }

    // Send what an earlier visit queued: now, and whenever the browser comes back online.
    {
        let delivered = delivered.setter();
        let on_subscribe = props.on_subscribe.clone();
        let (machine, phase) = (machine.clone(), phase.setter());
        use_effect_with(props.endpoint.clone(), move |endpoint| {
            let run = {
                let endpoint = endpoint.clone();
                move || {
                    let endpoint = endpoint.clone();
                    let delivered = delivered.clone();
                    let on_subscribe = on_subscribe.clone();
                    let (machine, phase) = (machine.clone(), phase.clone());
                    P::spawn(async move {
                        let (mut outcomes, empty) = flush::<P>(endpoint).await;
                        if let Some(last) = outcomes.pop() {
                            on_subscribe.emit(last.event_status());
                            // Nothing left in the outbox: this form's own kept signup
                            // went too, and "saved on this device" no longer holds.
                            if empty && machine.borrow().phase == Phase::Queued {
                                *machine.borrow_mut() = Machine::default();
                                phase.set(Phase::Idle);
                            }
                            delivered.set(Some(last));
                        }
                    });
                }
            };
            run();
            let listener = P::on_online(run);
            move || drop(listener)
        });
    }

    // A refusal from the server is about the address: back to the field, to fix it.
    {
        let input_ref = input_ref.clone();
        let rejected = matches!(&*phase, Phase::Done(Outcome::Rejected(_)));
        use_effect_with(rejected, move |rejected| {
            if *rejected {
                if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                    let _ = input.focus();
                }
            }
        });
    }

    let oninput = {
        let email = email.clone();
        let problem = problem.clone();
        let (machine, phase) = (machine.clone(), phase.setter());
        let endpoint = props.endpoint.clone();
        Callback::from(move |e: InputEvent| {
            P::prepare(&endpoint);
            let input: HtmlInputElement = e.target_unchecked_into();
            email.set(input.value());
            if matches!(*problem, Some(Problem::Email(_))) {
                problem.set(None);
            }
            // A refusal of the address by the server no longer stands either.
            machine.borrow_mut().step(Input::Edited, 0.0);
            phase.set(machine.borrow().phase.clone());
        })
    };
    let onconsent = {
        let consent = consent.clone();
        let problem = problem.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            consent.set(input.checked());
            if *problem == Some(Problem::Consent) {
                problem.set(None);
            }
        })
    };

    let onsubmit = {
        let props = props.clone();
        let email = email.clone();
        let name_ref = name_ref.clone();
        let consent = consent.clone();
        let problem = problem.clone();
        let phase = phase.clone();
        let machine = machine.clone();
        let input_ref = input_ref.clone();
        let trap_ref = trap_ref.clone();
        let ticked = *ticked;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // Checked on the machine itself, not on the rendered phase: a second Enter or
            // click can arrive before the re-render that shows the button as busy.
            if machine.borrow().busy() {
                return;
            }
            let address = match email::validate(&email) {
                Ok(address) => address.to_owned(),
                Err(p) => {
                    problem.set(Some(Problem::Email(match p {
                        EmailProblem::Missing => words.email_missing,
                        EmailProblem::Invalid => words.email_invalid,
                    })));
                    if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                        let _ = input.focus();
                    }
                    return;
                }
            };
            let chosen: Vec<String> = props
                .choices
                .iter()
                .enumerate()
                .filter(|(i, _)| ticked & 1 << i != 0)
                .map(|(_, name)| name.clone())
                .collect();
            if !props.choices.is_empty() && chosen.is_empty() {
                problem.set(Some(Problem::Newsletter));
                return;
            }
            if props.consent_required && !*consent {
                problem.set(Some(Problem::Consent));
                return;
            }
            problem.set(None);
            // The honeypot is invisible to people and to assistive technology: whoever
            // fills it is a bot, and is told it worked.
            let trapped = trap_ref
                .cast::<HtmlInputElement>()
                .is_some_and(|t| !t.value().is_empty());
            if trapped {
                machine.borrow_mut().step(Input::Trapped, 0.0);
                phase.set(machine.borrow().phase.clone());
                return;
            }
            let driver = Rc::new(Driver {
                machine: machine.clone(),
                phase: phase.setter(),
                endpoint: props.endpoint.clone(),
                key: P::idempotency_key(),
                request: SignupRequest {
                    email: address,
                    newsletter: chosen
                        .first()
                        .map_or_else(|| props.newsletter.to_string(), String::clone),
                    newsletters: chosen,
                    consent: *consent,
                    consent_text: props.consent_text.to_string(),
                    name: name_ref
                        .cast::<HtmlInputElement>()
                        .map(|input| {
                            crate::text::truncate(&crate::text::clean(&input.value()), NAME_MAX)
                        })
                        .filter(|n| !n.is_empty()),
                    article: props.article_url.clone(),
                    page: props.page.clone(),
                    locale: props.lang.to_string(),
                },
                on_subscribe: props.on_subscribe.clone(),
                platform: std::marker::PhantomData::<P>,
            });
            // Too fast for a person: the machine holds it until the minimum fill time has
            // passed, and nothing else starts meanwhile.
            let early = MIN_FILL_MS - (P::now_ms() - shown_at);
            driver.feed(Input::Submit {
                early_ms: early.max(0.0).ceil() as u32,
            });
        })
    };

    let busy = phase.is_busy();
    let (message, class) = match (&*problem, &*phase) {
        (Some(Problem::Email(m)), _) => ((*m).to_owned(), "status error"),
        (Some(Problem::Consent), _) => (words.consent_missing.to_owned(), "status error"),
        (Some(Problem::Newsletter), _) => (words.choose_newsletter.to_owned(), "status error"),
        (None, Phase::Sending { .. } | Phase::Holding) => (words.sending.to_owned(), "status"),
        (None, Phase::Retrying { .. } | Phase::Keeping) => (words.retrying.to_owned(), "status"),
        (None, Phase::Queued) => (words.queued.to_owned(), "status success"),
        (None, Phase::Done(outcome)) => (
            outcome_message(outcome, words),
            if outcome.is_success() {
                "status success"
            } else {
                "status error"
            },
        ),
        (None, Phase::Idle) => match &*delivered {
            Some(outcome) => (
                format!("{} {}", words.outbox_sent, outcome_message(outcome, words)),
                if outcome.is_success() {
                    "status success"
                } else {
                    "status error"
                },
            ),
            None => (String::new(), "status"),
        },
    };
    let email_invalid = matches!(*problem, Some(Problem::Email(_)))
        || matches!(&*phase, Phase::Done(Outcome::Rejected(_)));

    html! {
        <form
            part="signup"
            class="signup"
            method="post"
            action={props.endpoint.clone()}
            novalidate=true
            aria-labelledby={title_id}
            lang={props.words_lang.clone()}
            dir={props.words_lang.as_ref().map(|l| if i18n::is_rtl(l) { "rtl" } else { "ltr" })}
            {onsubmit}
        >
            <h3 id={title_id} class="signup-title">
                { i18n::fill(words.subscribe_to, &props.newsletter) }
            </h3>
            <p class="signup-hint">{ props.hint.clone() }</p>
            <div class="signup-field">
                <label for={email_id} class="email-label">{ words.email_label }</label>
                <input
                    ref={input_ref}
                    part="email"
                    id={email_id}
                    class="email"
                    type="email"
                    name="email"
                    autocomplete="email"
                    inputmode="email"
                    spellcheck="false"
                    required=true
                    placeholder={words.email_placeholder}
                    value={(*email).clone()}
                    aria-invalid={if email_invalid { "true" } else { "false" }}
                    aria-describedby={status_id}
                    {oninput}
                />
            </div>
            if props.name_field {
                <div class="signup-field">
                    <label for={name_id} class="email-label">{ words.name_label }</label>
                    <input
                        ref={name_ref}
                        part="name"
                        id={name_id}
                        class="email"
                        name="name"
                        autocomplete="given-name"
                    />
                </div>
            }
            if !props.choices.is_empty() {
                <div
                    part="newsletters"
                    class="choices"
                    role="group"
                    aria-labelledby={title_id}
                    aria-describedby={status_id}
                    onchange={
                        let (problem, ticked, refs) = (problem.clone(), ticked.clone(), choice_refs.clone());
                        move |_| {
                            ticked.set(refs.iter().enumerate().fold(0, |bits, (i, r)| {
                                match r.cast::<HtmlInputElement>() {
                                    Some(b) if b.checked() => bits | 1 << i,
                                    _ => bits,
                                }
                            }));
                            if *problem == Some(Problem::Newsletter) { problem.set(None) }
                        }
                    }
                >
                    // An empty value: the server tells "none ticked" from "no list".
                    <input type="hidden" name="newsletters" value="" />
                    { for props.choices.iter().zip(choice_refs.iter()).enumerate().map(|(i, (name, r))| html! {
                        <label class="consent-label">
                            <input ref={r.clone()} type="checkbox" name="newsletters" value={name.clone()} checked={*ticked & 1 << i != 0} />
                            <span>{ name.clone() }</span>
                        </label>
                    }) }
                </div>
            }
            // Hidden from people (off screen) and from assistive technology (aria-hidden,
            // out of the tab order); bots that fill every field fill this one.
            <div class="trap" aria-hidden="true">
                <label for={trap_id}>{ words.trap_label }</label>
                <input ref={trap_ref} id={trap_id} type="text" name="website" tabindex="-1" autocomplete="off" />
            </div>
            <div class="signup-actions">
                <label class="consent-label">
                    <input
                        part="consent"
                        type="checkbox"
                        name="consent"
                        value="true"
                        checked={*consent}
                        required={props.consent_required}
                        onchange={onconsent}
                    />
                    <span>
                        { props.consent_text.clone() }
                        if let Some(url) = &props.privacy_url {
                            { " " }
                            <a href={url.clone()} target="_blank" rel="noopener">{ words.privacy_policy }</a>
                        }
                    </span>
                </label>
                <button
                    part="submit"
                    class="submit"
                    type="submit"
                    aria-disabled={if busy { "true" } else { "false" }}
                >
                    { if busy { AttrValue::from(words.sending) } else { props.submit_label.clone() } }
                </button>
            </div>
            if props.choices.is_empty() {
                { hidden("newsletter", props.newsletter.clone()) }
            }
            { hidden("locale", props.lang.clone()) }
            { hidden("consent_text", props.consent_text.clone()) }
            if let Some(article) = &props.article_url {
                { hidden("article", article.clone().into()) }
            }
            { with_attributes(
                html! { <p>{ message }</p> },
                &["part", "id", "role", "aria-live", "class"],
                ["status", status_id, "status", "polite", class].map(|v| Some(AttrValue::Static(v))),
            ) }
        </form>
    }
}

/// A field the form sends as it is (its no-script post carries the same).
fn hidden(name: &'static str, value: AttrValue) -> Html {
    html! { <input type="hidden" {name} {value} /> }
}

fn outcome_message(outcome: &Outcome, words: &Words) -> String {
    match outcome {
        Outcome::Subscribed => words.subscribed.to_owned(),
        Outcome::Pending => words.pending.to_owned(),
        Outcome::AlreadySubscribed => words.already_subscribed.to_owned(),
        Outcome::Rejected(Some(message)) => message.clone(),
        Outcome::Rejected(None) => words.email_invalid.to_owned(),
        Outcome::RateLimited => words.rate_limited.to_owned(),
        Outcome::Unexpected | Outcome::ServerError => words.server_error.to_owned(),
        Outcome::NetworkError => words.network_error.to_owned(),
    }
}
