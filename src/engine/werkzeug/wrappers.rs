//! Werkzeug's `Request` and `Response` as the mock server needs them: the request's method,
//! path, query, form and headers with Werkzeug's accessors (`request.cookies`, `request.url`,
//! `request.args`), and a response whose status line, headers (in the order Werkzeug emits
//! them), redirect page, `Set-Cookie` and `Vary` handling are Werkzeug 3.1's.

use crate::engine::py::markupsafe::escape_html;
use crate::engine::werkzeug::cookie::{parse_cookie_header, SetCookie};
use crate::engine::werkzeug::urls;

/// An HTTP request as the mock server receives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Upper-case method (`GET`, `POST`, ...).
    pub method: String,
    /// The path, percent-encoded as sent (`/login`).
    pub path: String,
    /// The raw query string without `?` (`next=%2Fabout`).
    pub query: String,
    /// Decoded form fields in order (for `application/x-www-form-urlencoded` bodies).
    pub form: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// A request for `method` and a target like `/login?next=%2Fabout`.
    pub fn new(method: &str, target: &str) -> Request {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let path = if path.is_empty() { "/" } else { path };
        Request {
            method: method.to_ascii_uppercase(),
            path: path.to_string(),
            query: query.to_string(),
            form: Vec::new(),
            headers: Vec::new(),
        }
    }

    pub fn get(target: &str) -> Request {
        Request::new("GET", target)
    }

    pub fn post(target: &str) -> Request {
        Request::new("POST", target)
    }

    /// Adds a form field (builder style).
    pub fn with_form(mut self, name: &str, value: &str) -> Request {
        self.form.push((name.into(), value.into()));
        self
    }

    /// Adds a header (builder style).
    pub fn with_header(mut self, name: &str, value: &str) -> Request {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `request.cookies`: the `Cookie` headers, joined with `; ` as Werkzeug joins several,
    /// then parsed in order.
    pub fn cookies(&self) -> Vec<(String, String)> {
        let joined: Vec<&str> = self
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("cookie"))
            .map(|(_, v)| v.as_str())
            .collect();
        parse_cookie_header(&joined.join("; "))
    }

    /// `request.cookies.get(name)`: the first cookie of that name.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// `request.form.get(name)`.
    pub fn form_value(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// `request.args.get(name)`, decoded.
    pub fn arg(&self, name: &str) -> Option<String> {
        parse_qs(&self.query)
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// `request.url` with the test client's origin `http://localhost`: an IRI, with
    /// whatever can be shown unquoted unquoted, as Werkzeug rebuilds it.
    pub fn url(&self) -> String {
        // Werkzeug's get_host drops the scheme's default port.
        let host = self.header("Host").unwrap_or("localhost");
        let host = host.strip_suffix(":80").unwrap_or(host);
        urls::current_url(host, &self.path, &self.query)
    }
}

/// `application/x-www-form-urlencoded` decoding (`+` is a space, `%XX` bytes, UTF-8 with
/// replacement).
pub fn parse_qs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (urls::unquote(k, true), urls::unquote(v, true))
        })
        .collect()
}

/// A response: status, headers in the order Werkzeug emits them, and the body text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// What the Flask process would have logged or warned while answering (size warnings,
    /// tracebacks in one line). Not sent on the wire.
    pub log: Vec<String>,
}

const HTML: &str = "text/html; charset=utf-8";

impl Response {
    /// A view's plain string return value: 200, `text/html; charset=utf-8`.
    pub fn html(body: impl Into<String>) -> Response {
        Response::with_status(200, body.into())
    }

    /// A text/html response with this status and body.
    pub fn with_status(status: u16, body: String) -> Response {
        Response {
            status,
            headers: vec![
                ("Content-Type".into(), HTML.into()),
                ("Content-Length".into(), body.len().to_string()),
            ],
            body,
            log: Vec::new(),
        }
    }

    /// `flask.redirect(location)`: 302 with Werkzeug's little HTML page (which shows the
    /// location as given) and a `Location` header holding the location as given, as Werkzeug
    /// keeps it: [`Response::wsgi_headers`] quotes it (`iri_to_uri`) when the response is
    /// sent. A CR or LF in it is refused (see [`Response::drop_refused_headers`]).
    pub fn redirect(location: &str) -> Response {
        let esc = escape_html(location);
        let body = format!(
            "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n\
             <p>You should be redirected automatically to the target URL: <a href=\"{esc}\">{esc}</a>. \
             If not, click the link.\n"
        );
        let mut r = Response::with_status(302, body);
        r.headers.push(("Location".into(), location.into()));
        r
    }

    /// What Werkzeug raises when a view sets one of these headers: `Headers` refuses a value
    /// with a CR or LF (`_str_header_value`; only those two: a NUL or another control
    /// character passes). Such headers are removed (Werkzeug never stored them); None when
    /// every value was acceptable.
    pub fn drop_refused_headers(&mut self) -> Option<String> {
        let before = self.headers.len();
        self.headers.retain(|(_, v)| !v.contains(['\r', '\n']));
        (self.headers.len() != before)
            .then(|| "ValueError: Header values must not contain newline characters.".into())
    }

    /// `get_wsgi_headers`, run as the response is sent, after Flask is done with it: the
    /// `Location` header becomes a URI (`iri_to_uri`). An error is what `iri_to_uri` raised
    /// (a host the `idna` codec refuses, a port that is not a number from 0 to 65535); it
    /// escapes Flask's error handling, and the headers are left as they were.
    pub fn wsgi_headers(&mut self) -> Result<(), String> {
        for (k, v) in &mut self.headers {
            if k.eq_ignore_ascii_case("location") {
                *v = urls::try_iri_to_uri(v)?;
            }
        }
        Ok(())
    }

    /// Werkzeug's status line text (`302 FOUND`).
    pub fn status_line(&self) -> String {
        format!(
            "{} {}",
            self.status,
            reason(self.status).to_ascii_uppercase()
        )
    }

    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every `Set-Cookie` header value, in order.
    pub fn set_cookies(&self) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// `response.set_cookie`: appends a `Set-Cookie` header and logs Werkzeug's size warning.
    pub fn set_cookie(&mut self, cookie: SetCookie, max_cookie_size: usize) {
        if let Some(w) = cookie.size_warning(max_cookie_size) {
            self.log.push(format!("UserWarning: {w}"));
        }
        self.headers
            .push(("Set-Cookie".into(), cookie.header_value()));
    }

    /// `response.vary.add(value)`: one `Vary` header, values kept once (case-insensitive).
    pub fn add_vary(&mut self, value: &str) {
        match self
            .headers
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case("vary"))
        {
            Some((_, v)) => {
                if !v.split(',').any(|x| x.trim().eq_ignore_ascii_case(value)) {
                    v.push_str(", ");
                    v.push_str(value);
                }
            }
            None => self.headers.push(("Vary".into(), value.into())),
        }
    }
}

/// The reason phrase Werkzeug uses for each status the mock server sends.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        _ => "Unknown",
    }
}
