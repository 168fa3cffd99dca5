//! A mini Flask: an [`App`] with Flask-named config and routes, a [`Request`] and a
//! [`Response`], and [`App::handle`], which runs the session interface around the view in
//! Flask's order (open the session, match the route, run the view, save the session).
//!
//! Status lines, error pages and redirect bodies are Werkzeug 3.1's, so the wire the lab shows
//! is the wire Flask would send.

use super::config::Config;
use super::cookie::{parse_cookie_header, SetCookie};
use super::login::{LoginManager, User};
use super::session::{
    CookieVerdict, NullSessionError, SecureCookieSessionInterface, Session, SessionInterface,
};
use super::urls;
use std::fmt;

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

    /// `request.form[name]`: a missing field is Werkzeug's 400 Bad Request.
    pub fn form_required(&self, name: &str) -> Result<&str, Abort> {
        self.form_value(name).ok_or(Abort::BadRequest)
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

/// `markupsafe.escape`: what Jinja's autoescaping and Werkzeug's redirect page do to text.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
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
    /// What became of the incoming session cookie.
    pub verdict: Option<CookieVerdict>,
}

const HTML: &str = "text/html; charset=utf-8";

impl Response {
    /// A view's plain string return value: 200, `text/html; charset=utf-8`.
    pub fn html(body: impl Into<String>) -> Response {
        Response::with_status(200, body.into())
    }

    fn with_status(status: u16, body: String) -> Response {
        Response {
            status,
            headers: vec![
                ("Content-Type".into(), HTML.into()),
                ("Content-Length".into(), body.len().to_string()),
            ],
            body,
            log: Vec::new(),
            verdict: None,
        }
    }

    /// `flask.redirect(location)`: 302 with Werkzeug's little HTML page (which shows the
    /// location as given) and a relative `Location` header (quoted with `iri_to_uri`).
    pub fn redirect(location: &str) -> Response {
        let esc = escape_html(location);
        let body = format!(
            "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n\
             <p>You should be redirected automatically to the target URL: <a href=\"{esc}\">{esc}</a>. \
             If not, click the link.\n"
        );
        let mut r = Response::with_status(302, body);
        r.headers
            .push(("Location".into(), urls::iri_to_uri(location)));
        r
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

impl From<NullSessionError> for Abort {
    fn from(e: NullSessionError) -> Self {
        Abort::InternalServerError(e.to_string())
    }
}

impl fmt::Display for Abort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.clone().into_response().status_line())
    }
}

impl Abort {
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

/// What a view returns: a response, or an HTTP error.
pub type ViewResult = Result<Response, Abort>;

/// What a view can reach: Flask's `request`, `session` and `app.config`, and the clock.
pub struct Ctx<'a> {
    pub request: &'a Request,
    pub session: &'a mut Session,
    pub config: &'a Config,
    pub now: i64,
    /// `app.session_interface`, for `regenerate`.
    pub interface: &'a dyn SessionInterface,
    /// `app.login_manager` when Flask-Login is set up.
    pub login_manager: Option<&'a LoginManager>,
    /// Flask's `g` for this request: what Flask-Login keeps there.
    pub g: RequestGlobals,
}

/// Per-request state extensions keep on Flask's `g`.
#[derive(Debug, Clone, Default)]
pub struct RequestGlobals {
    /// `g._login_user`: `None` until `current_user` is first looked at.
    pub login_user: Option<User>,
}

impl Ctx<'_> {
    /// `app.session_interface.regenerate(session)` (Flask-Session); nothing for cookie sessions.
    pub fn regenerate_session(&mut self) {
        self.interface.regenerate(self.session, self.now);
    }
}

/// A view function.
pub type View = Box<dyn Fn(&mut Ctx) -> ViewResult>;

struct Route {
    path: String,
    methods: Vec<String>,
    view: View,
}

/// A Flask application: config, routes and a session interface.
pub struct App {
    pub name: String,
    pub config: Config,
    routes: Vec<Route>,
    interface: Box<dyn SessionInterface>,
    /// Flask-Login's `LoginManager`, once `init_app` has run.
    pub login_manager: Option<LoginManager>,
}

impl fmt::Debug for App {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("App")
            .field("name", &self.name)
            .field(
                "routes",
                &self.routes.iter().map(|r| &r.path).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl App {
    /// `Flask(__name__)` with Flask's default config and client-side sessions.
    pub fn new(name: &str) -> App {
        App {
            name: name.into(),
            config: Config::default(),
            routes: Vec::new(),
            interface: Box::new(SecureCookieSessionInterface),
            login_manager: None,
        }
    }

    /// `app.session_interface`.
    pub fn session_interface(&self) -> &dyn SessionInterface {
        self.interface.as_ref()
    }

    /// Swaps the session interface (`app.session_interface = ...`).
    pub fn set_session_interface(&mut self, interface: Box<dyn SessionInterface>) {
        self.interface = interface;
    }

    /// `@app.route(path, methods=[...])`. Flask adds HEAD to GET routes and OPTIONS to all.
    pub fn route(
        &mut self,
        path: &str,
        methods: &[&str],
        view: impl Fn(&mut Ctx) -> ViewResult + 'static,
    ) {
        self.routes.push(Route {
            path: path.into(),
            methods: methods.iter().map(|m| m.to_ascii_uppercase()).collect(),
            view: Box::new(view),
        });
    }

    /// The paths this app answers, for the lab's index.
    pub fn paths(&self) -> Vec<&str> {
        self.routes.iter().map(|r| r.path.as_str()).collect()
    }

    /// The methods a path allows, for the `Allow` header.
    fn allowed(route: &Route) -> String {
        let get = route.methods.iter().any(|x| x == "GET");
        let mut methods: Vec<&str> = get.then_some("HEAD").into_iter().collect();
        for m in route.methods.iter().map(String::as_str).chain(["OPTIONS"]) {
            if !methods.contains(&m) {
                methods.push(m);
            }
        }
        // Werkzeug builds this from a Python set, whose order changes with PYTHONHASHSEED from
        // one process to the next; this order is one Flask was seen to send.
        methods.join(", ")
    }

    /// Flask's `wsgi_app` for one request at `now` (unix seconds).
    pub fn handle(&self, request: &Request, now: i64) -> Response {
        let opened = match self.interface.open_session(&self.config, request, now) {
            Ok(o) => o,
            // Flask: the exception escapes `ctx.push()`; the error response is finalized, but
            // saving the (missing) session fails and is only logged, so no cookie is sent.
            Err(e) => return Abort::InternalServerError(e.0).into_response(),
        };
        let mut session = opened.session;
        let mut ctx = Ctx {
            request,
            session: &mut session,
            config: &self.config,
            now,
            interface: self.interface.as_ref(),
            login_manager: self.login_manager.as_ref(),
            g: RequestGlobals::default(),
        };
        let result = self.dispatch(&mut ctx);
        let mut response = result.unwrap_or_else(Abort::into_response);
        if request.method == "HEAD" {
            response.body.clear();
        }
        // after_request functions (Flask-Login's remember-cookie update), then the session.
        if let Some(lm) = self.login_manager.as_ref() {
            lm.update_remember_cookie(&mut ctx, &mut response);
        }
        self.interface
            .save_session(&self.config, &session, &mut response, now);
        if response.header("Content-Length").is_none() {
            // The automatic OPTIONS answer has no length until Werkzeug computes it, last.
            let len = response.body.len().to_string();
            response.headers.push(("Content-Length".into(), len));
        }
        response.log.extend(opened.notes);
        response.verdict = Some(opened.verdict);
        response
    }

    fn dispatch(&self, ctx: &mut Ctx) -> ViewResult {
        let request = ctx.request;
        let path = urls::decode_path(&request.path);
        let Some(route) = self.routes.iter().find(|r| r.path == path) else {
            return Err(Abort::NotFound);
        };
        let method = request.method.as_str();
        let runs = route.methods.iter().any(|m| m == method)
            || (method == "HEAD" && route.methods.iter().any(|m| m == "GET"));
        if method == "OPTIONS" && !route.methods.iter().any(|m| m == "OPTIONS") {
            let mut r = Response::html("");
            r.headers.insert(1, ("Allow".into(), Self::allowed(route)));
            r.headers.retain(|(k, _)| k != "Content-Length");
            return Ok(r);
        }
        if !runs {
            return Err(Abort::MethodNotAllowed {
                allow: Self::allowed(route),
            });
        }
        (route.view)(ctx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_and_form_decoding() {
        let r = Request::get("/login?next=%2Fabout&x=a+b&bad=%zz");
        assert_eq!(r.arg("next").as_deref(), Some("/about"));
        assert_eq!(r.arg("x").as_deref(), Some("a b"));
        assert_eq!(r.arg("bad").as_deref(), Some("%zz"));
        // Flask 3.1.3's test client gives this request.url (see urls.rs).
        assert_eq!(r.url(), "http://localhost/login?next=/about&x=a+b&bad=%zz");
    }

    #[test]
    fn without_a_secret_key_reads_are_empty_and_writes_are_a_500() {
        let mut app = App::new("no-key");
        app.route("/read", &["GET"], |ctx| {
            Ok(Response::html(format!("{}", ctx.session.contains("x"))))
        });
        app.route("/write", &["GET"], |ctx| {
            ctx.session.insert("x", "1")?;
            Ok(Response::html("written"))
        });
        let read = app.handle(
            &Request::get("/read").with_header("Cookie", "session=abc"),
            0,
        );
        assert_eq!((read.status, read.body.as_str()), (200, "false"));
        // A null session is never saved: no cookie and no Vary, even though it was read.
        assert_eq!(read.header("Vary"), None);
        let write = app.handle(&Request::get("/write"), 0);
        assert_eq!(write.status, 500);
        assert!(write.set_cookies().is_empty());
        assert!(
            write.log[0].contains("no secret key was set"),
            "{:?}",
            write.log
        );
    }

    #[test]
    fn vary_is_merged() {
        let mut r = Response::html("x");
        r.headers.push(("Vary".into(), "Accept-Encoding".into()));
        r.add_vary("Cookie");
        r.add_vary("cookie");
        assert_eq!(r.header("Vary"), Some("Accept-Encoding, Cookie"));
    }
}
