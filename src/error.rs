//! Errors a request can end in, and how each looks to a person: a page in the
//! app's layout, or (for htmx requests) a short message swapped into the page's
//! alert area by `web::htmx::error_swap`.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentType};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use crate::policy::Denied;
use crate::web::context::Layout;

#[derive(thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("sign-in required")]
    SignInRequired,
    #[error("missing or wrong CSRF token")]
    CsrfRejected,
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("unexpected error")]
    Unexpected(#[source] anyhow::Error),
}

/// Debug prints the whole cause chain, so logs say why, not only "unexpected".
impl std::fmt::Debug for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{self}")?;
        let mut cause = std::error::Error::source(self);
        while let Some(inner) = cause {
            writeln!(f, "  caused by: {inner}")?;
            cause = inner.source();
        }
        Ok(())
    }
}

impl AppError {
    pub fn unexpected(error: impl Into<anyhow::Error>) -> AppError {
        AppError::Unexpected(error.into())
    }

    /// The title and explanation a person sees.
    pub fn explain(&self) -> (&'static str, String) {
        match self {
            AppError::NotFound => (
                "Page not found",
                "There is nothing here. The link may be old, or this belongs to a space you are not in.".into(),
            ),
            AppError::Forbidden(what) => (
                "Not allowed",
                format!("Your role in this space does not allow you to {what}. Ask a Super admin of the space."),
            ),
            AppError::SignInRequired => ("Sign in", "Sign in to continue.".into()),
            AppError::CsrfRejected => (
                "Form expired",
                "This form was open too long or came from another site, so nothing was changed. Reload the page and try again.".into(),
            ),
            AppError::Conflict(message) => ("Already done", (*message).to_owned()),
            AppError::PayloadTooLarge => (
                "Upload too large",
                "What you sent is larger than Subspace accepts. Choose a smaller file.".into(),
            ),
            AppError::Unexpected(_) => (
                "Something went wrong",
                "Subspace could not finish this request. Nothing you typed was lost in the form you came from; try again in a moment.".into(),
            ),
        }
    }
}

impl From<Denied> for AppError {
    fn from(denied: Denied) -> Self {
        match denied {
            Denied::NotVisible => AppError::NotFound,
            Denied::NotAllowed => AppError::Forbidden("do this"),
            Denied::Database(e) => AppError::unexpected(e),
        }
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(error: diesel::result::Error) -> Self {
        AppError::unexpected(error)
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(error: diesel::r2d2::PoolError) -> Self {
        AppError::unexpected(error)
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(error: actix_web::error::BlockingError) -> Self {
        AppError::unexpected(anyhow::anyhow!("blocking task failed: {error}"))
    }
}

impl From<askama::Error> for AppError {
    fn from(error: askama::Error) -> Self {
        AppError::unexpected(error)
    }
}

impl From<anyhow::Error> for AppError {
    fn from(error: anyhow::Error) -> Self {
        AppError::Unexpected(error)
    }
}

/// Marker left on an error response so the htmx layer can swap a short
/// message instead of a whole page.
#[derive(Debug, Clone)]
pub struct ErrorExplanation {
    pub title: &'static str,
    pub message: String,
}

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorPage<'a> {
    layout: Layout,
    status: u16,
    title: &'a str,
    message: &'a str,
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden(_) | AppError::CsrfRejected => StatusCode::FORBIDDEN,
            AppError::SignInRequired => StatusCode::SEE_OTHER,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::Unexpected(_) = self {
            tracing::error!(error = ?self, "request failed");
        }
        if let AppError::SignInRequired = self {
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, "/sign-in"))
                .insert_header(("HX-Redirect", "/sign-in"))
                .finish();
        }
        let status = self.status_code();
        let (title, message) = self.explain();
        let page = ErrorPage {
            layout: Layout::bare(),
            status: status.as_u16(),
            title,
            message: &message,
        };
        let mut response = match page.render() {
            Ok(body) => HttpResponse::build(status)
                .content_type(ContentType::html())
                .body(body),
            Err(render_error) => {
                tracing::error!(%render_error, "the error page itself failed to render");
                HttpResponse::build(status)
                    .content_type(ContentType::plaintext())
                    .body(format!("{title}\n\n{message}"))
            }
        };
        response
            .extensions_mut()
            .insert(ErrorExplanation { title, message });
        response
    }
}
