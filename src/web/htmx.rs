//! htmx glue. A handler serves plain forms and htmx alike: plain requests get a
//! 303 redirect (or a full page), htmx requests get the partial they swap.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, ContentType, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use crate::error::ErrorExplanation;

pub fn is_htmx(req: &HttpRequest) -> bool {
    req.headers().contains_key("HX-Request")
}

/// See-other to `location`; for htmx a full-page navigation via `HX-Redirect`.
pub fn redirect(req: &HttpRequest, location: &str) -> HttpResponse {
    if is_htmx(req) {
        HttpResponse::Ok()
            .insert_header(("HX-Redirect", location))
            .finish()
    } else {
        HttpResponse::SeeOther()
            .insert_header((header::LOCATION, location))
            .finish()
    }
}

#[derive(Template)]
#[template(path = "partials/_alert.html")]
struct Alert<'a> {
    title: &'a str,
    message: &'a str,
}

/// Middleware: when an htmx request ends in an error page, send a short alert
/// into the page's `#flash` region instead of swapping a whole page into a
/// small target.
pub async fn error_swap(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let htmx = req.headers().contains_key("HX-Request");
    let res = next.call(req).await?;
    let explanation = res
        .response()
        .extensions()
        .get::<ErrorExplanation>()
        .cloned();
    let (Some(explanation), true) = (explanation, htmx) else {
        return Ok(res.map_into_boxed_body());
    };
    let body = Alert {
        title: explanation.title,
        message: &explanation.message,
    }
    .render()
    .unwrap_or_else(|_| explanation.message.clone());
    let status = res.status();
    let mut response = HttpResponse::build(status)
        .content_type(ContentType::html())
        .body(body);
    let headers = response.headers_mut();
    headers.insert(
        HeaderName::from_static("hx-retarget"),
        HeaderValue::from_static("#flash"),
    );
    headers.insert(
        HeaderName::from_static("hx-reswap"),
        HeaderValue::from_static("innerHTML"),
    );
    Ok(res.into_response(response))
}
