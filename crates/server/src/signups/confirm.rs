//! Double opt-in (SPEC 6.1, "Confirmation that scanners cannot click"): the link in the mail
//! opens a page (`GET /api/confirm?token=…`) whose button posts the token back
//! (`POST /api/confirm`); only the POST confirms. Corporate mail scanners fetch links, they
//! do not press buttons. Tokens are stored hashed, work once and for 7 days.

use std::sync::Arc;

use axum::extract::rejection::FormRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

use crate::requests::headers;
use crate::requests::pages;
use crate::store::{Confirmed, Token};
use crate::time::now_ms;
use crate::tokens;
use crate::App;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct TokenParam {
    token: Option<String>,
}

const EXPIRED: &str = "This confirmation link has expired. Please subscribe again.";
const UNKNOWN: &str = "This confirmation link is not valid. Please subscribe again.";

fn respond(status: StatusCode, html: String) -> Response {
    let mut response = (status, Html(html)).into_response();
    headers::token_page(response.headers_mut());
    response
}

fn confirmed(newsletter: &str) -> String {
    pages::message(
        &format!("You're subscribed to {newsletter}. Thank you!"),
        None,
    )
}

fn failed(e: &sqlx::Error) -> Response {
    crate::log::warn("storage.failed", &[("error", e)]);
    respond(
        StatusCode::SERVICE_UNAVAILABLE,
        pages::message(article_embed_card::i18n::EN.server_error, None),
    )
}

/// `GET /api/confirm?token=…`: the page with the button. Uses nothing up.
pub(crate) async fn page(State(app): State<Arc<App>>, Query(q): Query<TokenParam>) -> Response {
    let token = q.token.unwrap_or_default();
    if !tokens::is_token(&token) {
        return respond(StatusCode::NOT_FOUND, pages::message(UNKNOWN, None));
    }
    match app.store.token(&token, now_ms()).await {
        Ok(Token::Valid { newsletter, .. }) => {
            respond(StatusCode::OK, pages::confirm(&newsletter, &token))
        }
        Ok(Token::Used { newsletter, .. }) => respond(StatusCode::OK, confirmed(&newsletter)),
        Ok(Token::Expired { .. }) => respond(StatusCode::GONE, pages::message(EXPIRED, None)),
        Ok(Token::Unknown) => respond(StatusCode::NOT_FOUND, pages::message(UNKNOWN, None)),
        Err(e) => failed(&e),
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
        return respond(StatusCode::NOT_FOUND, pages::message(UNKNOWN, None));
    }
    match app
        .store
        .confirm(&token, now_ms(), app.webhook.is_some())
        .await
    {
        Ok(Confirmed::Now { newsletter, .. }) => {
            // The subscriber.confirmed event is queued: deliver it now.
            app.wake.notify_one();
            respond(StatusCode::OK, confirmed(&newsletter))
        }
        Ok(Confirmed::Already { newsletter, .. }) => {
            respond(StatusCode::OK, confirmed(&newsletter))
        }
        Ok(Confirmed::Expired { .. }) => respond(StatusCode::GONE, pages::message(EXPIRED, None)),
        Ok(Confirmed::Unknown) => respond(StatusCode::NOT_FOUND, pages::message(UNKNOWN, None)),
        Err(e) => failed(&e),
    }
}
