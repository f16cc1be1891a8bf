//! Double opt-in (SPEC 6.1, "Confirmation that scanners cannot click"): the link in the mail
//! opens a page (`GET /api/confirm?token=…`) whose button posts the token back
//! (`POST /api/confirm`); only the POST confirms. Corporate mail scanners fetch links, they
//! do not press buttons. Tokens are stored hashed, work once and for 7 days.

use std::sync::Arc;

use axum::extract::rejection::FormRejection;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

use crate::requests::headers;
use crate::requests::pages;
use crate::store::{Confirmed, Token};
use crate::time::now_ms;
use crate::tokens;
use crate::words::{self, words};
use crate::App;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct TokenParam {
    token: Option<String>,
}

fn respond(status: StatusCode, html: String) -> Response {
    let mut response = (status, Html(html)).into_response();
    headers::token_page(response.headers_mut());
    response
}

fn confirmed(locale: &str, newsletters: &[String]) -> String {
    let w = words(locale);
    pages::message(w, &w.fill(w.confirmed, &w.names(newsletters)), None)
}

/// A link that names no signup: the page is in English (nothing says whose it was).
fn unknown() -> Response {
    respond(
        StatusCode::NOT_FOUND,
        pages::message(&words::EN, words::EN.unknown, None),
    )
}

fn expired(locale: &str) -> Response {
    let w = words(locale);
    respond(StatusCode::GONE, pages::message(w, w.expired, None))
}

fn failed(app: &App, e: &sqlx::Error) -> Response {
    crate::log::warn("storage.failed", &[("error", e)]);
    app.health.write_failed();
    let mut response = respond(
        StatusCode::SERVICE_UNAVAILABLE,
        pages::message(&words::EN, article_embed_card::i18n::EN.server_error, None),
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, header::HeaderValue::from_static("30"));
    response
}

/// `GET /api/confirm?token=…`: the page with the button. Uses nothing up.
pub(crate) async fn page(State(app): State<Arc<App>>, Query(q): Query<TokenParam>) -> Response {
    let token = q.token.unwrap_or_default();
    if !tokens::is_token(&token) {
        return unknown();
    }
    match app.store.token(&token, now_ms()).await {
        Ok(Token::Valid {
            newsletters,
            locale,
        }) => {
            let w = words(&locale);
            respond(
                StatusCode::OK,
                pages::confirm(w, &w.names(&newsletters), &token),
            )
        }
        Ok(Token::Used {
            newsletters,
            locale,
        }) => respond(StatusCode::OK, confirmed(&locale, &newsletters)),
        Ok(Token::Expired { locale }) => expired(&locale),
        Ok(Token::Unknown) => unknown(),
        Err(e) => failed(&app, &e),
    }
}

/// `POST /api/confirm` with `token=…`: confirms, once.
pub(crate) async fn confirm(
    State(app): State<Arc<App>>,
    Query(q): Query<TokenParam>,
    form: Result<Form<TokenParam>, FormRejection>,
) -> Response {
    let token = form
        .ok()
        .and_then(|Form(f)| f.token)
        .or(q.token)
        .unwrap_or_default();
    if !tokens::is_token(&token) {
        return unknown();
    }
    match app
        .store
        .confirm(&token, now_ms(), app.webhook.is_some())
        .await
    {
        Ok(Confirmed::Now {
            newsletters,
            locale,
        }) => {
            // The subscriber.confirmed events are queued: deliver them now.
            app.wake_delivery();
            respond(StatusCode::OK, confirmed(&locale, &newsletters))
        }
        Ok(Confirmed::Already {
            newsletters,
            locale,
        }) => respond(StatusCode::OK, confirmed(&locale, &newsletters)),
        Ok(Confirmed::Expired { locale }) => expired(&locale),
        Ok(Confirmed::Unknown) => unknown(),
        Err(e) => failed(&app, &e),
    }
}
