//! CSRF protection: every state-changing request must carry the session's
//! token, in the `X-CSRF-Token` header (htmx, from `hx-headers` on <body>) or
//! in a `csrf_token` form field (plain forms, url-encoded or multipart).
//! A missing or wrong token gets 403 before any handler runs.

use actix_session::{Session, SessionExt};
use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use bytes::{Bytes, BytesMut};
use futures_util::{StreamExt, TryStreamExt};
use rand::distr::{Alphanumeric, SampleString};
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::sessions::keys;
use crate::spaces::image::MAX_UPLOAD_BYTES;

pub const FIELD: &str = "csrf_token";
pub const HEADER: &str = "X-CSRF-Token";
const MAX_FORM_BYTES: usize = 64 * 1024;
/// Twice the largest upload: a file somewhat over the limit still reaches its
/// handler, which explains the limit next to the field instead of a bare 413.
const MAX_MULTIPART_BYTES: usize = 2 * MAX_UPLOAD_BYTES + 64 * 1024;

/// The session's token, created on first use.
pub fn token(session: &Session) -> Result<String, AppError> {
    if let Some(existing) = session
        .get::<String>(keys::CSRF)
        .map_err(AppError::unexpected)?
    {
        return Ok(existing);
    }
    rotate(session)
}

/// Replaces the token (at sign-in, so a token seen before sign-in is useless after).
pub fn rotate(session: &Session) -> Result<String, AppError> {
    let fresh = Alphanumeric.sample_string(&mut rand::rng(), 43);
    session
        .insert(keys::CSRF, &fresh)
        .map_err(AppError::unexpected)?;
    Ok(fresh)
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Compares two tokens in time independent of where they differ.
fn same_token(a: &str, b: &str) -> bool {
    Sha256::digest(a.as_bytes()) == Sha256::digest(b.as_bytes())
}

/// The middleware (wrap with `actix_web::middleware::from_fn`).
pub async fn verify(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if is_safe(req.method()) {
        return next.call(req).await;
    }
    let expected = req.get_session().get::<String>(keys::CSRF).ok().flatten();
    let presented = match req.headers().get(HEADER).and_then(|v| v.to_str().ok()) {
        Some(header_token) => Some(header_token.to_owned()),
        None => token_from_body(&mut req).await?,
    };
    match (expected, presented) {
        (Some(expected), Some(presented)) if same_token(&expected, &presented) => {
            next.call(req).await
        }
        _ => {
            tracing::warn!(path = %req.path(), "refused a request without a valid CSRF token");
            Err(AppError::CsrfRejected.into())
        }
    }
}

/// Reads the form body to find the token, then puts the body back for the handler.
async fn token_from_body(req: &mut ServiceRequest) -> Result<Option<String>, AppError> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let limit = if content_type.starts_with("application/x-www-form-urlencoded") {
        MAX_FORM_BYTES
    } else if content_type.starts_with("multipart/form-data") {
        MAX_MULTIPART_BYTES
    } else {
        return Ok(None);
    };
    let body = read_body(req.take_payload(), limit).await?;
    let found = if limit == MAX_FORM_BYTES {
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body)
            .ok()
            .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == FIELD).map(|(_, v)| v))
    } else {
        token_in_multipart(req, body.clone()).await
    };
    req.set_payload(Payload::from(body));
    Ok(found)
}

async fn read_body(mut payload: Payload, limit: usize) -> Result<Bytes, AppError> {
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(AppError::unexpected)?;
        if body.len() + chunk.len() > limit {
            return Err(AppError::PayloadTooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

async fn token_in_multipart(req: &ServiceRequest, body: Bytes) -> Option<String> {
    let stream =
        futures_util::stream::once(async move { Ok::<_, actix_web::error::PayloadError>(body) });
    let mut multipart = actix_multipart::Multipart::new(req.headers(), stream);
    while let Ok(Some(mut field)) = multipart.try_next().await {
        if field.name() != Some(FIELD) {
            continue;
        }
        let mut value = Vec::new();
        while let Ok(Some(chunk)) = field.try_next().await {
            value.extend_from_slice(&chunk);
            if value.len() > 256 {
                return None;
            }
        }
        return String::from_utf8(value).ok();
    }
    None
}
