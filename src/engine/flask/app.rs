//! A mini Flask: an [`App`] with Flask-named config and routes, and [`App::handle`], which
//! runs a request through Flask's cycle: open the session, match the route, run the view, run
//! the `after_request` hooks, save the session.
//!
//! Extensions attach the way they do in Flask: they keep their state in [`App::extensions`]
//! (Flask's `app.extensions`), per-request state in [`Ctx::g`] (Flask's `g`), and register
//! [`App::after_request`] hooks. The core app knows no extension by name.
//!
//! Status lines, error pages and redirect bodies are Werkzeug 3.1's
//! ([`crate::engine::werkzeug`]), so the wire the lab shows is the wire Flask would send.

use crate::engine::flask::config::Config;
use crate::engine::flask::sessions::{
    CookieVerdict, SecureCookieSessionInterface, Session, SessionInterface,
};
use crate::engine::werkzeug::exceptions::Abort;
use crate::engine::werkzeug::urls;
use crate::engine::werkzeug::wrappers::{Request, Response};
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt;

/// What a view returns: a response, or an HTTP error.
pub type ViewResult = Result<Response, Abort>;

/// A value per type: Flask's `app.extensions` and `g`, where each extension keeps its state
/// under a type of its own.
#[derive(Default)]
pub struct TypeMap(HashMap<TypeId, Box<dyn Any>>);

impl TypeMap {
    /// Stores `value`, returning what was stored for its type before.
    pub fn insert<T: Any>(&mut self, value: T) -> Option<T> {
        self.0
            .insert(TypeId::of::<T>(), Box::new(value))
            .and_then(|old| old.downcast().ok())
            .map(|old| *old)
    }

    pub fn get<T: Any>(&self) -> Option<&T> {
        self.0.get(&TypeId::of::<T>())?.downcast_ref()
    }

    pub fn get_mut<T: Any>(&mut self) -> Option<&mut T> {
        self.0.get_mut(&TypeId::of::<T>())?.downcast_mut()
    }
}

impl fmt::Debug for TypeMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TypeMap({} entries)", self.0.len())
    }
}

/// What a view can reach: Flask's `request`, `session`, `app.config`, `app.extensions` and
/// `g`, and the clock.
pub struct Ctx<'a> {
    pub request: &'a Request,
    pub session: &'a mut Session,
    pub config: &'a Config,
    pub now: i64,
    /// `app.session_interface`, for `regenerate`.
    pub interface: &'a dyn SessionInterface,
    /// `app.extensions`: what extensions attached to the app.
    pub extensions: &'a TypeMap,
    /// Flask's `g`: per-request state, empty at the start of each request.
    pub g: TypeMap,
}

impl Ctx<'_> {
    /// `app.session_interface.regenerate(session)` (Flask-Session); nothing for cookie sessions.
    pub fn regenerate_session(&mut self) {
        self.interface.regenerate(self.session, self.now);
    }
}

/// A view function.
pub type View = Box<dyn Fn(&mut Ctx) -> ViewResult>;

/// An `@app.after_request` function: it may change the response; an error is what it raised.
pub type AfterRequest = Box<dyn Fn(&mut Ctx, &mut Response) -> Result<(), Abort>>;

/// What one request came to: the response, and what the session interface made of the
/// session cookie the request carried (None when opening the session failed).
#[derive(Debug, Clone, PartialEq)]
pub struct Handled {
    pub response: Response,
    pub verdict: Option<CookieVerdict>,
}

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
    /// `app.extensions`: each extension's state, by its type.
    pub extensions: TypeMap,
    after_request: Vec<AfterRequest>,
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
            extensions: TypeMap::default(),
            after_request: Vec::new(),
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

    /// `@app.after_request`: runs after the view (in reverse order of registration, as in
    /// Flask), before the session is saved.
    pub fn after_request(
        &mut self,
        hook: impl Fn(&mut Ctx, &mut Response) -> Result<(), Abort> + 'static,
    ) {
        self.after_request.push(Box::new(hook));
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

    /// Flask's `wsgi_app` for one request at `now` (unix seconds): the response.
    pub fn handle(&self, request: &Request, now: i64) -> Response {
        self.serve(request, now).response
    }

    /// [`App::handle`], with what became of the session cookie the request carried.
    pub fn serve(&self, request: &Request, now: i64) -> Handled {
        let opened = match self.interface.open_session(&self.config, request, now) {
            Ok(o) => o,
            // Flask: the exception escapes `ctx.push()`; the error response is finalized, but
            // saving the (missing) session fails and is only logged, so no cookie is sent.
            Err(e) => {
                return Handled {
                    response: Abort::InternalServerError(e.to_string()).into_response(),
                    verdict: None,
                }
            }
        };
        let mut session = opened.session;
        let mut ctx = Ctx {
            request,
            session: &mut session,
            config: &self.config,
            now,
            interface: self.interface.as_ref(),
            extensions: &self.extensions,
            g: TypeMap::default(),
        };
        // A header Werkzeug refused raised as the view set it: an error in the view.
        let result = self
            .dispatch(&mut ctx)
            .and_then(|mut r| refuse_newlines(&mut r).map(|()| r));
        let mut response = result.unwrap_or_else(Abort::into_response);
        if request.method == "HEAD" {
            response.body.clear();
        }
        self.finalize(&mut ctx, &mut response);
        self.interface
            .save_session(&self.config, &session, &mut response, now);
        if response.header("Content-Length").is_none() {
            // The automatic OPTIONS answer has no length until Werkzeug computes it, last.
            let len = response.body.len().to_string();
            response.headers.push(("Content-Length".into(), len));
        }
        response.log.extend(opened.notes);
        if let Err(e) = response.wsgi_headers() {
            // Raised while the response is sent, after Flask has finished with it (and saved
            // the session): nothing of it goes out. The server answers its own 500 page
            // instead, as Werkzeug's does when the application fails before sending anything.
            response = wsgi_failure(&e, request, std::mem::take(&mut response.log));
        }
        Handled {
            response,
            verdict: Some(opened.verdict),
        }
    }

    /// `process_response`: the `after_request` functions, newest first; the first that fails
    /// stops the others.
    fn process_response(&self, ctx: &mut Ctx, response: &mut Response) -> Result<(), Abort> {
        self.after_request.iter().rev().try_for_each(|hook| {
            hook(ctx, response)?;
            refuse_newlines(response)
        })
    }

    /// `finalize_request`: when a hook fails, Flask answers with a 500 and runs the hooks once
    /// more on that answer; a second failure is only logged. (Flask then also skips saving the
    /// session, which [`App::serve`] still does.)
    fn finalize(&self, ctx: &mut Ctx, response: &mut Response) {
        let Err(e) = self.process_response(ctx, response) else {
            return;
        };
        let mut replaced = Abort::InternalServerError(e.exception_text()).into_response();
        let mut log = std::mem::take(&mut response.log);
        log.append(&mut replaced.log);
        replaced.log = log;
        *response = replaced;
        if let Err(e) = self.process_response(ctx, response) {
            response.log.push(format!(
                "Request finalizing failed with an error while handling an error: {}",
                e.exception_text()
            ));
        }
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

/// Werkzeug's check of every header value set: one with a CR or LF raises `ValueError` (and
/// is not kept).
fn refuse_newlines(response: &mut Response) -> Result<(), Abort> {
    match response.drop_refused_headers() {
        Some(e) => Err(Abort::InternalServerError(e)),
        None => Ok(()),
    }
}

/// What the server sends when the WSGI application raised before sending anything: Werkzeug's
/// own `InternalServerError` page, with none of the app's headers (no `Vary`, no cookie).
fn wsgi_failure(error: &str, request: &Request, log: Vec<String>) -> Response {
    let mut r = Abort::InternalServerError(String::new()).into_response();
    r.log = log;
    r.log.push(format!("Error on request: {error}"));
    if request.method == "HEAD" {
        r.body.clear();
    }
    r
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

    /// An app whose `/go` redirects to the form's `to`, after writing the session.
    fn redirecting() -> App {
        let mut app = App::new("redirecting");
        app.config
            .set(
                "SECRET_KEY",
                crate::engine::flask::config::ConfigValue::Str("k".into()),
            )
            .unwrap();
        app.route("/go", &["POST"], |ctx| {
            ctx.session.insert("seen", "yes")?;
            let to = ctx.request.form_value("to").unwrap_or("/");
            Ok(Response::redirect(to))
        });
        app
    }

    #[test]
    fn a_header_with_a_line_break_is_an_error_in_the_view() {
        // Flask 3.1.3: redirect("/\n/evil.example") raises ValueError as it sets Location; the
        // error page still saves the session (Vary and the cookie).
        for to in [
            "/\n/evil.example",
            "/\r/evil.example",
            "/a\r\nSet-Cookie: x=1",
        ] {
            let r = redirecting().handle(&Request::post("/go").with_form("to", to), 0);
            assert_eq!(r.status, 500, "{to:?}");
            assert!(r.body.contains("Internal Server Error"));
            assert_eq!(r.header("Location"), None);
            assert_eq!(r.header("Vary"), Some("Cookie"));
            assert_eq!(r.set_cookies().len(), 1);
            assert!(r.log.iter().any(|l| l.contains("newline characters")));
        }
        // Only CR and LF: a NUL or a tab goes through (urlsplit drops the tab, iri_to_uri
        // quotes the NUL), as Flask 3.1.3 answered.
        let r = redirecting().handle(&Request::post("/go").with_form("to", "/x\0y"), 0);
        assert_eq!((r.status, r.header("Location")), (302, Some("/x%00y")));
        let r = redirecting().handle(&Request::post("/go").with_form("to", "/\t/x"), 0);
        assert_eq!((r.status, r.header("Location")), (302, Some("//x")));
    }

    #[test]
    fn a_hook_that_sets_a_line_break_is_a_500() {
        let mut app = redirecting();
        app.after_request(|_, r| {
            r.headers.push(("X-Note".into(), "a\nb".into()));
            Ok(())
        });
        let r = app.handle(&Request::post("/go").with_form("to", "/"), 0);
        assert_eq!(r.status, 500);
        assert!(r.headers.iter().all(|(_, v)| !v.contains('\n')));
    }

    #[test]
    fn a_location_werkzeug_cannot_write_is_the_servers_own_500() {
        // iri_to_uri raises while Werkzeug sends the response, after Flask saved the session:
        // Flask's test client re-raises (UnicodeError, ValueError); a server answers its own
        // 500 page (Werkzeug's development server: InternalServerError(), no app headers).
        for to in [
            "https://a..b/",
            "https://\u{e000}.example/",
            "http://x:99999/",
            "//[x/",
        ] {
            let r = redirecting().handle(&Request::post("/go").with_form("to", to), 0);
            assert_eq!(r.status, 500, "{to:?}");
            let page = Abort::InternalServerError(String::new()).into_response();
            assert_eq!((&r.headers, &r.body), (&page.headers, &page.body), "{to:?}");
            assert!(r.log.iter().any(|l| l.starts_with("Error on request: ")));
        }
        // The host through the idna codec: what Flask 3.1.3 sent.
        let r = redirecting().handle(&Request::post("/go").with_form("to", "https://faß.de/é"), 0);
        assert_eq!(r.header("Location"), Some("https://fass.de/%C3%A9"));
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
