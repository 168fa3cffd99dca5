//! Werkzeug's `HTTPException`s as the mock server raises them, with Werkzeug 3.1's error pages.

use crate::engine::werkzeug::wrappers::{reason, Request, Response};
use std::fmt;

/// An HTTP error raised by the app or a view (Werkzeug's `HTTPException`s).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Abort {
    BadRequest,
    Unauthorized,
    NotFound,
    MethodNotAllowed {
        allow: String,
    },
    /// An unhandled exception; the text is what Flask would log.
    InternalServerError(String),
}

impl fmt::Display for Abort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.clone().into_response().status_line())
    }
}

impl Abort {
    /// What Flask logs for this exception when it escapes a hook: the text of an unhandled
    /// error, or the status line of an HTTP one.
    pub fn exception_text(&self) -> String {
        match self {
            Abort::InternalServerError(why) => why.clone(),
            other => other.to_string(),
        }
    }

    /// Werkzeug's default error page for this exception.
    pub fn into_response(self) -> Response {
        let (status, description) = match &self {
            Abort::BadRequest => (400, "The browser (or proxy) sent a request that this server could not understand."),
            Abort::Unauthorized => (401, "The server could not verify that you are authorized to access the URL requested. You either supplied the wrong credentials (e.g. a bad password), or your browser doesn&#39;t understand how to supply the credentials required."),
            Abort::NotFound => (404, "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again."),
            Abort::MethodNotAllowed { .. } => (405, "The method is not allowed for the requested URL."),
            Abort::InternalServerError(_) => (500, "The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application."),
        };
        let name = reason(status);
        let body = format!(
            "<!doctype html>\n<html lang=en>\n<title>{status} {name}</title>\n<h1>{name}</h1>\n<p>{description}</p>\n"
        );
        let mut r = Response::with_status(status, body);
        match self {
            Abort::MethodNotAllowed { allow } => r.headers.insert(1, ("Allow".into(), allow)),
            Abort::InternalServerError(why) => r.log.push(format!("Exception on request: {why}")),
            _ => {}
        }
        r
    }
}

impl Request {
    /// `request.form[name]`: a missing field is Werkzeug's 400 Bad Request.
    pub fn form_required(&self, name: &str) -> Result<&str, Abort> {
        self.form_value(name).ok_or(Abort::BadRequest)
    }
}
