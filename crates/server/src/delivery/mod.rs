//! The delivery job, one in every `serve` process: sends what the queues hold (mail, then
//! webhook events), each row by the one process that leased it, and puts a failed one back
//! for later. It wakes when this process queues something, and every second for what the
//! other processes queued or what has come due.
//!
//! `mail` makes and sends the mail; `webhooks` signs and posts the events.

pub mod mail;
pub mod webhooks;

#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{watch, Notify};

use crate::delivery::mail::{mask, MailError};
use crate::log;
use crate::store;
use crate::store::queue::{retry_delay_ms, MailJob, WebhookJob};
use crate::time::now_ms;
use crate::App;

/// How long a webhook receiver gets to answer.
const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(10);
/// A mail send is cut off after this, well inside the row's lease (`queue::LEASE_MS`):
/// another process must not take a row over while it is being sent.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(90);
const POLL: Duration = Duration::from_secs(1);

/// Runs until `stop` says so; what is being sent then is finished first. Mail and webhook
/// events are two loops of their own: an SMTP server that hangs for the whole send timeout
/// delays no event, and a receiver that hangs delays no mail.
pub async fn run(app: Arc<App>, wake: Arc<Notify>, stop: watch::Receiver<bool>) {
    let mail = run_one(
        Arc::clone(&app),
        Arc::clone(&wake),
        stop.clone(),
        Queue::Mail,
    );
    let events = run_one(app, wake, stop, Queue::Events);
    tokio::join!(mail, events);
}

#[derive(Clone, Copy)]
enum Queue {
    Mail,
    Events,
}

async fn run_one(app: Arc<App>, wake: Arc<Notify>, mut stop: watch::Receiver<bool>, queue: Queue) {
    loop {
        if *stop.borrow() {
            return;
        }
        let done = match queue {
            Queue::Mail => deliver_mail(&app).await,
            Queue::Events => deliver_events(&app).await,
        };
        if done > 0 {
            // The rows dealt with held addresses: fold SQLite's log, so they do not linger
            // there (once a batch, not once a row).
            app.store.fold_log().await;
        }
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(POLL) => {}
            _ = stop.changed() => {}
        }
    }
}

/// Sends everything that is due now, and says how many rows it dealt with.
pub async fn deliver_due(app: &App) -> usize {
    let (mail, events) = tokio::join!(deliver_mail(app), deliver_events(app));
    if mail + events > 0 {
        app.store.fold_log().await;
    }
    mail + events
}

fn stopping(app: &App) -> bool {
    // Stopping: what is being sent is finished, nothing new is started.
    app.stopping.load(std::sync::atomic::Ordering::Relaxed)
}

async fn deliver_mail(app: &App) -> usize {
    let mut done = 0;
    while !stopping(app) {
        match app.store.next_mail(now_ms()).await {
            Ok(Some(job)) => {
                send_mail(app, job).await;
                done += 1;
            }
            Ok(None) => break,
            Err(e) => {
                log::warn("mail.queue_unavailable", &[("error", &e)]);
                break;
            }
        }
    }
    done
}

async fn deliver_events(app: &App) -> usize {
    let Some(webhook) = &app.webhook else {
        return 0;
    };
    let mut done = 0;
    while !stopping(app) {
        match app.store.next_webhook(now_ms()).await {
            Ok(Some(job)) => {
                deliver_event(app, webhook, job).await;
                done += 1;
            }
            Ok(None) => break,
            Err(e) => {
                log::warn("webhook.queue_unavailable", &[("error", &e)]);
                break;
            }
        }
    }
    done
}

async fn send_mail(app: &App, job: MailJob) {
    let now = now_ms();
    let mut token = None;
    // In the language of the card the reader signed up on.
    let locale = app.store.locale_of(job.signup_id).await.ok().flatten();
    let w = crate::words::words(locale.as_deref().unwrap_or("en"));
    let send = async {
        match job.kind.as_str() {
            store::CONFIRMATION => match app.store.token_for(job.signup_id, now).await {
                Ok(Some((t, newsletters))) => {
                    let link = format!("{}/api/confirm?token={t}", app.public_url);
                    token = Some(t);
                    app.mailer
                        .send_confirmation(w, &job.email, &newsletters, &link)
                        .await
                        .map(Some)
                }
                // Confirmed or erased meanwhile: nothing to send.
                Ok(None) => Ok(None),
                Err(e) => Err(MailError::from(format!("storage: {e}"))),
            },
            store::ALREADY_SUBSCRIBED => app
                .mailer
                .send_already_subscribed(w, &job.email, &job.newsletter)
                .await
                .map(Some),
            _ => Ok(None),
        }
    };
    let sent = match tokio::time::timeout(SEND_TIMEOUT, send).await {
        Ok(sent) => sent,
        Err(_) => Err(MailError::from("no answer in time".to_owned())),
    };
    let to = mask(&job.email);
    match sent {
        Ok(result) => {
            if let Some(where_to) = &result {
                app.metrics.mail_sent();
                log::info(
                    "mail.sent",
                    &[("kind", &job.kind), ("to", &to), ("result", where_to)],
                );
            }
            if let Err(e) = app.store.mail_done(job.id).await {
                log::warn("mail.not_cleared", &[("error", &e)]);
            }
        }
        Err(error) => {
            app.metrics.mail_failed();
            if let Some(token) = token {
                // The link never left: its token must not linger.
                let _ = app.store.drop_token(&token).await;
            }
            if error.permanent {
                // Trying again cannot help: the row goes (and the address with it).
                log::warn(
                    "mail.refused",
                    &[("kind", &job.kind), ("to", &to), ("error", &error)],
                );
                if let Err(e) = app.store.mail_done(job.id).await {
                    log::warn("mail.not_cleared", &[("error", &e)]);
                }
                return;
            }
            let wait = retry_delay_ms(job.attempts, crate::store::queue::jitter());
            log::warn(
                "mail.failed",
                &[
                    ("kind", &job.kind),
                    ("to", &to),
                    ("attempt", &job.attempts),
                    ("retry_in_s", &(wait / 1000)),
                    ("error", &error),
                ],
            );
            if let Err(e) = app.store.mail_later(&job, now + wait, &error.message).await {
                log::warn("mail.not_rescheduled", &[("error", &e)]);
            }
        }
    }
}

async fn deliver_event(app: &App, webhook: &crate::delivery::webhooks::Webhook, job: WebhookJob) {
    let now = now_ms();
    let timestamp = now / 1000;
    let signature = webhook.sign(&job.id, timestamp, &job.payload);
    let result = app
        .http
        .post(&webhook.url)
        .timeout(WEBHOOK_TIMEOUT)
        .header("content-type", "application/json")
        .header("webhook-id", &job.id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(job.payload.clone())
        .send()
        .await;
    let failure = match result {
        Ok(response) if response.status().is_success() => None,
        Ok(response) => Some(format!("HTTP {}", response.status().as_u16())),
        // Without the URL, which may hold a token of the receiver's.
        Err(e) => Some(if e.is_timeout() {
            "no answer in time".to_owned()
        } else if e.is_connect() {
            "cannot connect".to_owned()
        } else {
            "request failed".to_owned()
        }),
    };
    match failure {
        None => {
            app.metrics.webhook_delivered();
            log::info(
                "webhook.delivered",
                &[("id", &job.id), ("attempt", &job.attempts)],
            );
            if let Err(e) = app.store.webhook_done(&job.id).await {
                log::warn("webhook.not_cleared", &[("error", &e)]);
            }
        }
        Some(error) => {
            app.metrics.webhook_failed();
            let wait = retry_delay_ms(job.attempts, crate::store::queue::jitter());
            log::warn(
                "webhook.failed",
                &[
                    ("id", &job.id),
                    ("attempt", &job.attempts),
                    ("retry_in_s", &(wait / 1000)),
                    ("error", &error),
                ],
            );
            if let Err(e) = app.store.webhook_later(&job, now + wait, &error).await {
                log::warn("webhook.not_rescheduled", &[("error", &e)]);
            }
        }
    }
}
