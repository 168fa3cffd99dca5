//! Flask-Login (src/server/login.rs) driven through `App::handle`, compared with what REAL
//! Flask 3.1.3 + Flask-Login 0.6.3 send for the same requests at the same (frozen) clock.
//!
//! Every expected status, header list and body in the tables at the end of this file was
//! produced by `tests/flask_twins/gen_login_vectors.py` (the Flask twin `twin(opts)` of
//! [`twin_app`] below, and `seed_000_login()`, the twin of src/server/apps/seed_000_login.rs),
//! run with `target/flask-venv/bin/python tests/flask_twins/gen_login_vectors.py` and pasted
//! verbatim (then laid out by `cargo fmt`). Re-run it to regenerate them. Nothing here was
//! copied from this crate's output.
//!
//! The browser in both languages is the same cookie jar: it keeps the latest value of every
//! cookie by name (as sent, quotes included), forgets one on `Max-Age=0`, and sends them all,
//! sorted by name, in one `Cookie` header. Request headers are listed per step; a step without
//! a `User-Agent` has none.
#![cfg(not(target_arch = "wasm32"))]

use session_lab::engine::flask::app::App;
use session_lab::engine::flask::config::ConfigValue;
use session_lab::engine::flask::tagged_json;
use session_lab::engine::flask_login::{
    confirm_login, current_user, encode_cookie, fresh_login_required, login_remembered,
    login_required, login_user, logout_user, session_identifier, LoginManager, User, LOGIN_MESSAGE,
};
use session_lab::engine::itsdangerous::signing::Serializer;
use session_lab::engine::py::repr::str_of;
use session_lab::engine::py::value::Value;
use session_lab::engine::werkzeug::exceptions::Abort;
use session_lab::engine::werkzeug::wrappers::{Request, Response};
use std::collections::BTreeMap;

use session_lab::engine::apps::{seed_000_login, Services};
use session_lab::engine::py::secrets::SeededRng;
use session_lab::lab::scenarios;

/// The frozen clock of the Flask run: 2023-11-14 22:13:20 UTC.
const T0: i64 = 1_700_000_000;
const UA: &str = "Mozilla/5.0 Test";

/// A config value as the generator writes it.
#[derive(Debug, Clone, Copy)]
enum C {
    None,
    Bool(bool),
    Int(i64),
    Str(&'static str),
}

impl From<C> for ConfigValue {
    fn from(c: C) -> ConfigValue {
        match c {
            C::None => ConfigValue::None,
            C::Bool(b) => ConfigValue::Bool(b),
            C::Int(i) => ConfigValue::Int(i),
            C::Str(s) => ConfigValue::Str(s.into()),
        }
    }
}

/// How the twin app is set up (`Opts` in the generator).
#[derive(Debug, Clone, Copy)]
struct Opts {
    secret: Option<&'static str>,
    login_view: Option<&'static str>,
    refresh_view: Option<&'static str>,
    /// `login_manager.session_protection`.
    protection: Option<&'static str>,
    login_message: Option<&'static str>,
    /// An `unauthorized_handler` returning this text.
    unauthorized_text: Option<&'static str>,
    request_loader: bool,
    config: &'static [(&'static str, C)],
}

const BASE: Opts = Opts {
    secret: Some("dev-secret"),
    login_view: None,
    refresh_view: None,
    protection: Some("basic"),
    login_message: Some("Please log in to access this page."),
    unauthorized_text: None,
    request_loader: false,
    config: &[],
};

#[derive(Debug)]
struct Scenario {
    opts: Opts,
    steps: &'static [Step],
}

/// Which `Cookie` header a step sends.
#[derive(Debug, Clone, Copy)]
enum Send {
    /// Every cookie in the jar (nothing if it is empty).
    Jar,
    /// No `Cookie` header.
    Nothing,
    /// This exact `Cookie` header value.
    Raw(&'static str),
}

/// One request and the response Flask gave for it.
#[derive(Debug)]
struct Step {
    label: &'static str,
    now: i64,
    method: &'static str,
    target: &'static str,
    headers: &'static [(&'static str, &'static str)],
    form: &'static [(&'static str, &'static str)],
    send: Send,
    status: u16,
    response: &'static [(&'static str, &'static str)],
    body: &'static str,
}

fn py_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

const USERS: [&str; 4] = ["1", "2", "inactive", "Zoë"];

/// The generator's `U(uid)`: a `UserMixin` whose `is_active` is False for "inactive".
fn user(id: &str) -> User {
    if id == "inactive" {
        User::inactive(id)
    } else {
        User::new(id)
    }
}

fn load(id: &str) -> Option<User> {
    USERS.contains(&id).then(|| user(id))
}

/// The Rust twin of the generator's `twin(opts)`.
fn twin_app(opts: &Opts) -> App {
    let mut app = App::new("login_twin");
    if let Some(secret) = opts.secret {
        app.config
            .set("SECRET_KEY", ConfigValue::Str(secret.into()))
            .unwrap();
    }
    for (key, value) in opts.config {
        app.config.set(key, (*value).into()).unwrap();
    }
    let mut lm = LoginManager::new();
    lm.login_view = opts.login_view.map(Into::into);
    lm.refresh_view = opts.refresh_view.map(Into::into);
    lm.session_protection = opts.protection.map(Into::into);
    lm.login_message = opts.login_message.map(Into::into);
    lm.user_loader(load);
    if opts.request_loader {
        lm.request_loader(|req| match req.header("X-Token") {
            None => Ok(None),
            Some(token) => {
                if token == "boom" {
                    req.form_required("password")?;
                }
                Ok(load(token))
            }
        });
    }
    if let Some(text) = opts.unauthorized_text {
        lm.unauthorized_handler(move |_| Ok(Response::html(text)));
    }
    lm.init_app(&mut app);

    app.route("/login", &["GET"], |ctx| {
        let r = ctx.request;
        let id = r.arg("user").ok_or(Abort::BadRequest)?;
        let duration = r
            .arg("duration")
            .filter(|d| !d.is_empty())
            .map(|d| d.parse::<f64>().unwrap());
        let ok = login_user(
            ctx,
            &user(&id),
            r.arg("remember").as_deref() == Some("1"),
            duration,
            r.arg("force").as_deref() == Some("1"),
            r.arg("fresh").as_deref() != Some("0"),
        )?;
        Ok(Response::html(format!("login {}", py_bool(ok))))
    });
    app.route("/logout", &["GET"], |ctx| {
        logout_user(ctx)?;
        Ok(Response::html("logged out"))
    });
    app.route("/whoami", &["GET"], |ctx| {
        let u = current_user(ctx)?;
        let fresh = ctx.session.get("_fresh").map_or("None".into(), str_of);
        Ok(Response::html(format!(
            "whoami {} {} fresh={fresh}",
            py_bool(u.is_authenticated),
            u.get_id().unwrap_or("None")
        )))
    });
    app.route(
        "/secret",
        &["GET"],
        login_required(|ctx| {
            let id = current_user(ctx)?.get_id().unwrap_or("None").to_string();
            Ok(Response::html(format!("secret {id}")))
        }),
    );
    app.route(
        "/café",
        &["GET"],
        login_required(|_| Ok(Response::html("café"))),
    );
    app.route(
        "/fresh",
        &["GET"],
        fresh_login_required(|ctx| {
            let id = current_user(ctx)?.get_id().unwrap_or("None").to_string();
            Ok(Response::html(format!("fresh {id}")))
        }),
    );
    app.route("/confirm", &["GET"], |ctx| {
        confirm_login(ctx)?;
        Ok(Response::html("confirmed"))
    });
    app.route(
        "/opts",
        &["GET", "OPTIONS"],
        login_required(|_| Ok(Response::html("opts"))),
    );
    app.route("/plain", &["GET"], |_| Ok(Response::html("plain")));
    app.route("/remembered", &["GET"], |ctx| {
        Ok(Response::html(format!(
            "remembered {}",
            py_bool(login_remembered(ctx)?)
        )))
    });
    app.route("/forget", &["GET"], |ctx| {
        ctx.session.insert("_remember", "clear")?;
        let u = current_user(ctx)?;
        Ok(Response::html(format!(
            "forget {}",
            u.get_id().unwrap_or("None")
        )))
    });
    app.route("/note", &["GET"], |ctx| {
        ctx.session.insert("note", "x")?;
        Ok(Response::html("noted"))
    });
    app.route("/permanent", &["GET"], |ctx| {
        ctx.session.set_permanent(true)?;
        Ok(Response::html("permanent"))
    });
    app
}

/// The cookie jar.
#[derive(Debug, Default)]
struct Browser {
    jar: BTreeMap<String, String>,
}

impl Browser {
    fn request(&self, step: &Step) -> Request {
        let mut req = Request::new(step.method, step.target);
        for (k, v) in step.headers {
            req = req.with_header(k, v);
        }
        for (k, v) in step.form {
            req = req.with_form(k, v);
        }
        match step.send {
            Send::Jar if !self.jar.is_empty() => {
                let pairs: Vec<String> = self.jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
                req = req.with_header("Cookie", &pairs.join("; "));
            }
            Send::Jar | Send::Nothing => {}
            Send::Raw(header) => req = req.with_header("Cookie", header),
        }
        req
    }

    fn receive(&mut self, response: &Response) {
        for header in response.set_cookies() {
            let (name, rest) = header.split_once('=').unwrap();
            let value = rest.split(';').next().unwrap_or("");
            if header.contains("Max-Age=0") {
                self.jar.remove(name);
            } else {
                self.jar.insert(name.to_string(), value.to_string());
            }
        }
    }
}

fn normalized(headers: &[(String, String)]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            if k.eq_ignore_ascii_case("allow") {
                let mut methods: Vec<&str> = v.split(',').map(str::trim).collect();
                methods.sort_unstable();
                (k.clone(), methods.join(", "))
            } else {
                (k.clone(), v.clone())
            }
        })
        .collect()
}

/// Runs the steps through the app, comparing every response with Flask's.
fn run(app: &App, steps: &[Step]) -> Vec<Response> {
    let mut browser = Browser::default();
    let mut responses = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let request = browser.request(step);
        let response = app.handle(&request, step.now);
        let ctx = format!("step {i} ({}: {} {})", step.label, step.method, step.target);
        assert_eq!(
            response.status, step.status,
            "{ctx}: status; log {:?}",
            response.log
        );
        let expected: Vec<(String, String)> = step
            .response
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(normalized(&response.headers), expected, "{ctx}: headers");
        assert_eq!(response.body, step.body, "{ctx}: body");
        browser.receive(&response);
        responses.push(response);
    }
    responses
}

fn run_scenario(s: &Scenario) -> Vec<Response> {
    run(&twin_app(&s.opts), s.steps)
}

fn step<'a>(s: &'a [Step], label: &str) -> &'a Step {
    s.iter()
        .find(|st| st.label == label)
        .unwrap_or_else(|| panic!("no step {label:?}"))
}

fn set_cookie<'a>(st: &'a Step, name: &str) -> Option<&'a str> {
    st.response
        .iter()
        .filter(|(k, _)| *k == "Set-Cookie")
        .map(|(_, v)| *v)
        .find(|v| v.split('=').next() == Some(name))
}

/// The session a step's `Set-Cookie` carries, decoded with the twin's key.
fn session_of(st: &Step, secret: &str) -> BTreeMap<String, Value> {
    let header = set_cookie(st, "session").expect("a session cookie");
    let value = header["session=".len()..].split(';').next().unwrap();
    let json = Serializer::flask_session(secret, &[])
        .loads(value, None, st.now)
        .unwrap()
        .json;
    tagged_json::loads_dict(&json).unwrap()
}

fn ua_request() -> Request {
    Request::get("/").with_header("User-Agent", UA)
}

// ---------------------------------------------------------------------------------------------
// The Flask tables, step by step

#[test]
fn basic_matches_flask() {
    run_scenario(&BASIC);
}

#[test]
fn remember_matches_flask() {
    run_scenario(&REMEMBER);
}

#[test]
fn remember_config_matches_flask() {
    run_scenario(&REMEMBER_CONFIG);
}

#[test]
fn refresh_each_request_matches_flask() {
    run_scenario(&REFRESH_EACH_REQUEST);
}

#[test]
fn strong_protection_matches_flask() {
    run_scenario(&STRONG);
    run_scenario(&STRONG_BY_ATTRIBUTE);
}

#[test]
fn protection_off_matches_flask() {
    run_scenario(&PROTECTION_OFF);
    run_scenario(&PROTECTION_UNKNOWN);
}

#[test]
fn login_view_redirects_match_flask() {
    for s in [
        &LOGIN_VIEW,
        &LOGIN_VIEW_WITH_QUERY,
        &LOGIN_VIEW_SAME_HOST,
        &LOGIN_VIEW_OTHER_HOST,
        &LOGIN_VIEW_FORCE_HOST,
        &USE_SESSION_FOR_NEXT,
        &NO_MESSAGE,
        &REFRESH_VIEW,
    ] {
        run_scenario(s);
    }
}

/// Flask runs the view for OPTIONS when the route lists OPTIONS itself, and sends its length.
#[test]
fn options_exempt_matches_flask() {
    run_scenario(&OPTIONS_EXEMPT);
}

#[test]
fn options_exempt_matches_flask_except_content_length() {
    let app = twin_app(&OPTIONS_EXEMPT.opts);
    for st in OPTIONS_EXEMPT.steps {
        let r = app.handle(&Browser::default().request(st), st.now);
        assert_eq!(
            (r.status, r.body.as_str()),
            (st.status, st.body),
            "{}",
            st.label
        );
        let strip = |h: Vec<(String, String)>| -> Vec<(String, String)> {
            h.into_iter()
                .filter(|(k, _)| k != "Content-Length")
                .collect()
        };
        let expected = st
            .response
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(strip(r.headers), strip(expected), "{}", st.label);
    }
}

#[test]
fn handlers_and_loaders_match_flask() {
    run_scenario(&HANDLER);
    run_scenario(&LOGIN_DISABLED);
}

#[test]
fn failures_match_flask() {
    let r = run_scenario(&NO_SECRET);
    assert!(r[2].log[0].contains("no secret key"), "{:?}", r[2].log);
    assert!(r[3].log[0].contains("TypeError: key"), "{:?}", r[3].log);
    let r = run_scenario(&BAD_SAMESITE);
    assert!(
        r[0].log[0].contains("ValueError: SameSite"),
        "{:?}",
        r[0].log
    );
    let r = run_scenario(&BAD_DURATION);
    assert!(
        r[0].log[0].contains("REMEMBER_COOKIE_DURATION must be a datetime.timedelta"),
        "{:?}",
        r[0].log
    );
}

#[test]
fn seed_000_login_matches_flask() {
    // This is the app the scenario of the same name runs.
    let services = Services::in_memory(Box::new(SeededRng::new(1)));
    let scenario_app = scenarios::by_id("seed-000-login")
        .unwrap()
        .build(services)
        .unwrap();
    assert_eq!(scenario_app.name, seed_000_login::app().name);
    let responses = run(&seed_000_login::app(), SEED_000_LOGIN);
    let st = step(SEED_000_LOGIN, "the login form");
    assert_eq!(st.body, seed_000_login::LOGIN_FORM);
    // The 500s are the ones the Python raised.
    let i = SEED_000_LOGIN
        .iter()
        .position(|s| {
            s.label
                .starts_with("request_loader with a known email and the right")
        })
        .unwrap();
    assert!(responses[i].log[0].contains("AttributeError: property 'is_authenticated'"));
    let i = SEED_000_LOGIN
        .iter()
        .position(|s| s.label.starts_with("unknown email"))
        .unwrap();
    assert!(responses[i].log[0].contains("KeyError: 'who@example.com'"));
}

// ---------------------------------------------------------------------------------------------
// What the tables show (so a regenerated table cannot silently lose a case)

#[test]
fn the_tables_show_the_session_keys_of_formats_4_1() {
    let st = step(BASIC.steps, "login sets _fresh, _id and _user_id");
    let s = session_of(st, "dev-secret");
    assert_eq!(s.get("_fresh"), Some(&Value::Bool(true)));
    assert_eq!(s.get("_user_id"), Some(&Value::from("1")));
    assert_eq!(
        s.get("_id"),
        Some(&Value::from(session_identifier(&ua_request())))
    );
    assert_eq!(s.len(), 3);

    let st = step(
        BASIC.steps,
        "another User-Agent: basic protection marks the session stale and keeps the user",
    );
    assert_eq!(
        session_of(st, "dev-secret").get("_fresh"),
        Some(&Value::Bool(false))
    );
    assert_eq!(st.body, "whoami True 1 fresh=False");

    // A remember-cookie login stores _user_id and _fresh=False, and no _id.
    let st = step(
        REMEMBER.steps,
        "only the remember cookie: the user is restored, stale, without _id",
    );
    let s = session_of(st, "dev-secret");
    assert_eq!(s.keys().collect::<Vec<_>>(), ["_fresh", "_user_id"]);

    // duration= keeps _remember_seconds (a float) in the session; _remember itself is popped.
    let st = step(
        REMEMBER.steps,
        "login with remember and duration=60: _remember_seconds stays in the session",
    );
    let s = session_of(st, "dev-secret");
    assert_eq!(s.get("_remember_seconds"), Some(&Value::Float(60.0)));
    assert!(!s.contains_key("_remember"));

    // unauthorized() with a login_view flashes the message as a ('message', ...) tuple.
    let st = step(LOGIN_VIEW.steps, "a second redirect appends to _flashes");
    let flash = Value::Tuple(vec!["message".into(), LOGIN_MESSAGE.into()]);
    assert_eq!(
        session_of(st, "dev-secret").get("_flashes"),
        Some(&Value::List(vec![flash.clone(), flash]))
    );
    let st = step(
        USE_SESSION_FOR_NEXT.steps,
        "next and _id go into the session; bare login URL",
    );
    assert_eq!(
        session_of(st, "dev-secret").get("next"),
        Some(&Value::from("/secret?x=1"))
    );
}

#[test]
fn the_tables_show_the_remember_cookie_of_formats_4_2() {
    let key = b"dev-secret";
    let st = step(
        REMEMBER.steps,
        "login with remember: remember_token for 365 days",
    );
    assert_eq!(
        set_cookie(st, "remember_token"),
        Some(
            format!(
                "remember_token={}; Expires=Wed, 13 Nov 2024 22:13:20 GMT; HttpOnly; Path=/",
                encode_cookie("1", key)
            )
            .as_str()
        )
    );
    let st = step(
        REMEMBER.steps,
        "logout with a remember cookie deletes it (Domain/Path only)",
    );
    assert_eq!(
        set_cookie(st, "remember_token"),
        Some("remember_token=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/")
    );
    // Strong protection after a remember-cookie login: the quirk of FORMATS.md 4.4.
    let st = step(
        STRONG.steps,
        "the next request fails protection because there is no _id: logged out",
    );
    assert!(set_cookie(st, "remember_token")
        .unwrap()
        .contains("Max-Age=0"));
    assert_eq!(st.body, "whoami False None fresh=None");
}

// ---------------------------------------------------------------------------------------------
// Behaviour the Flask tables do not reach

#[test]
fn current_user_is_loaded_once_per_request() {
    use std::cell::Cell;
    use std::rc::Rc;
    let calls = Rc::new(Cell::new(0));
    let mut app = App::new("once");
    app.config
        .set("SECRET_KEY", ConfigValue::Str("k".into()))
        .unwrap();
    let mut lm = LoginManager::new();
    let counter = calls.clone();
    lm.request_loader(move |_| {
        counter.set(counter.get() + 1);
        Ok(Some(User::new("r")))
    });
    lm.init_app(&mut app);
    app.route("/", &["GET"], |ctx| {
        let a = current_user(ctx)?;
        let b = current_user(ctx)?;
        Ok(Response::html(format!("{} {}", a.id, b.id)))
    });
    let r = app.handle(&Request::get("/"), T0);
    assert_eq!(r.body, "r r");
    assert_eq!(calls.get(), 1);
    // A request loader's user is not stored in the session.
    assert!(r.set_cookies().is_empty());
}

#[test]
fn missing_loaders_and_manager_are_500s() {
    let mut app = App::new("no-loader");
    app.config
        .set("SECRET_KEY", ConfigValue::Str("k".into()))
        .unwrap();
    LoginManager::new().init_app(&mut app);
    app.route("/", &["GET"], |ctx| {
        current_user(ctx)?;
        Ok(Response::html("x"))
    });
    let r = app.handle(&Request::get("/"), T0);
    assert_eq!(r.status, 500);
    assert!(r.log[0].contains("Missing user_loader or request_loader"));

    let mut app = App::new("no-manager");
    app.route("/", &["GET"], |ctx| {
        current_user(ctx)?;
        Ok(Response::html("x"))
    });
    let r = app.handle(&Request::get("/"), T0);
    assert_eq!(r.status, 500);
    assert!(r.log[0].contains("no attribute 'login_manager'"));
}

// ---------------------------------------------------------------------------------------------
// Pasted output of tests/flask_twins/gen_login_vectors.py

// Generated by tests/flask_twins/gen_login_vectors.py with Flask 3.1.3, Flask-Login 0.6.3, Werkzeug 3.1.9, itsdangerous 2.2.0.

// gen_login_vectors.py basic(): defaults, session protection basic
const BASIC: Scenario = Scenario {
    opts: Opts { ..BASE },
    steps: &[
        Step {
            label: "a view that never looks at the user still gets Vary: Cookie (the hook reads the session)",
            now: T0,
            method: "GET",
            target: "/plain",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "5"),
                ("Vary", "Cookie"),
            ],
            body: "plain",
        },
        Step {
            label: "anonymous",
            now: T0,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "28"),
                ("Vary", "Cookie"),
            ],
            body: "whoami False None fresh=None",
        },
        Step {
            label: "login_required without login_view is a 401",
            now: T0,
            method: "GET",
            target: "/secret",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 401,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "317"),
                ("Vary", "Cookie"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>401 Unauthorized</title>\n<h1>Unauthorized</h1>\n<p>The server could not verify that you are authorized to access the URL requested. You either supplied the wrong credentials (e.g. a bad password), or your browser doesn&#39;t understand how to supply the credentials required.</p>\n",
        },
        Step {
            label: "login sets _fresh, _id and _user_id",
            now: T0 + 10,
            method: "GET",
            target: "/login?user=1",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzjsOAjEMBcC7pKaI409iLoPi-EXQ7kKFuDtIzAnmXW77wHkv1-fxwqXcHlmuxQTpCRvSKnyyzErd0upaLTF3JQniZB9b2LM3HVjLKdx3H6k8NWBcqcpAZHbdSxSY3MJ1UUVwBFRExXwOJUIna60hRk8rv8jrxPHfUPl8AdD1L0M.ZVPxCg.zdG71i3TsP7G_CIj1l7ilC-c9gc; HttpOnly; Path=/"),
            ],
            body: "login True",
        },
        Step {
            label: "the user is loaded from _user_id",
            now: T0 + 20,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "24"),
                ("Vary", "Cookie"),
            ],
            body: "whoami True 1 fresh=True",
        },
        Step {
            label: "login_required passes",
            now: T0 + 30,
            method: "GET",
            target: "/secret",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "8"),
                ("Vary", "Cookie"),
            ],
            body: "secret 1",
        },
        Step {
            label: "fresh_login_required passes",
            now: T0 + 40,
            method: "GET",
            target: "/fresh",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "7"),
                ("Vary", "Cookie"),
            ],
            body: "fresh 1",
        },
        Step {
            label: "another User-Agent: basic protection marks the session stale and keeps the user",
            now: T0 + 50,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Other/1.0")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "25"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzjsOAjEMBcC7pKaI409iLoPi-EUgUe2KCnF3kJgTzLvc9oHzXq57Pk9cyu2R5VpMkJ6wIa3CJ8us1C2trtUSc1eSIE72sYU9e9OBtZzCffeRylMDxpWqDERm171EgcktXBdVBEdARVTM51AidLLWGmL0tPKLvE4c_w2VzxcC5C-O.ZVPxMg.fScvufN-bXLzP-7AQw65158F8gU; HttpOnly; Path=/"),
            ],
            body: "whoami True 1 fresh=False",
        },
        Step {
            label: "a stale session is refused by fresh_login_required: 401 without refresh_view",
            now: T0 + 60,
            method: "GET",
            target: "/fresh",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 401,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "317"),
                ("Vary", "Cookie"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>401 Unauthorized</title>\n<h1>Unauthorized</h1>\n<p>The server could not verify that you are authorized to access the URL requested. You either supplied the wrong credentials (e.g. a bad password), or your browser doesn&#39;t understand how to supply the credentials required.</p>\n",
        },
        Step {
            label: "confirm_login makes it fresh again and stores a new _id",
            now: T0 + 70,
            method: "GET",
            target: "/confirm",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "9"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzjsOAjEMBcC7pKaI409iLoPi-EXQ7kKFuDtIzAnmXW77wHkv1-fxwqXcHlmuxQTpCRvSKnyyzErd0upaLTF3JQniZB9b2LM3HVjLKdx3H6k8NWBcqcpAZHbdSxSY3MJ1UUVwBFRExXwOJUIna60hRk8rv8jrxPHfUPl8AdD1L0M.ZVPxRg.C9vJWN9W9ydUP_5GVdy-83WYBa8; HttpOnly; Path=/"),
            ],
            body: "confirmed",
        },
        Step {
            label: "fresh again",
            now: T0 + 80,
            method: "GET",
            target: "/fresh",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "7"),
                ("Vary", "Cookie"),
            ],
            body: "fresh 1",
        },
        Step {
            label: "login with X-Forwarded-For: _id hashes the first address",
            now: T0 + 90,
            method: "GET",
            target: "/login?user=2",
            headers: &[("User-Agent", "Mozilla/5.0 Test"), ("X-Forwarded-For", "203.0.113.7, 10.0.0.1")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzjsOwjAMANC7ZGaw09iOexnkXwRrSyfE3UHineC9230ddT7a_jquurX7M9vevKjrxtOL54DppkmJS4IHSHXsXYYJGTqGsCdkLMyESB0AfY1FGCwQokbTastUtirHiYZoRKGmQXORabeklRMFnQQZuKr9ItdZx3_T2-cL2lwvxA.ZVPxWg.LUpAKqVvm3GrJJYGrU3wIqN5mB0; HttpOnly; Path=/"),
            ],
            body: "login True",
        },
        Step {
            label: "same client without X-Forwarded-For is another identifier: stale",
            now: T0 + 100,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "25"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzjsOwjAMANC7ZGaw09iOe5nK8UcgMbViQtwdJN4J3rsddeZ1b3vZ88pbOx7R9raSum48V_IcMJdpUGCJ8wDJjr3LMCHDhS68AsILI8BDB0CvUYTOAi5qNC23CGXLXDjREI3I1dRpFpl2C6qYKLhIkIEz2y_yuvL8b3r7fAEMSzAP.ZVPxZA.0T7HhOx5w5jAqJdgqGP0tyjC3q8; HttpOnly; Path=/"),
            ],
            body: "whoami True 2 fresh=False",
        },
        Step {
            label: "no User-Agent at all is another identifier too (already stale: _fresh not rewritten)",
            now: T0 + 110,
            method: "GET",
            target: "/whoami",
            headers: &[("X-Forwarded-For", "203.0.113.7")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "25"),
                ("Vary", "Cookie"),
            ],
            body: "whoami True 2 fresh=False",
        },
        Step {
            label: "an inactive user is refused",
            now: T0 + 120,
            method: "GET",
            target: "/login?user=inactive",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "11"),
                ("Vary", "Cookie"),
            ],
            body: "login False",
        },
        Step {
            label: "force logs the inactive user in",
            now: T0 + 130,
            method: "GET",
            target: "/login?user=inactive&force=1",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzrENAjEMBdBdUlPEie3EtwyK4x9xDcXB0SB2B4k3wXun6zrwuKXteZy4pOseaUvKCAto55Jho_LI1DQ0z1kCY2VipxrV-uJq0Yp0zGnkZqv1kDrEoTVT5g6PaLImCzBqcZNJGV7dIczCaqMLERppKQXeW2j6Rc4Hjv9mv4_53F9Iny8rJjJl.ZVPxgg.FrwuUEeNg-tb2VlIHBDRrBBycHg; HttpOnly; Path=/"),
            ],
            body: "login True",
        },
        Step {
            label: "an inactive user is loaded but not authenticated",
            now: T0 + 140,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "32"),
                ("Vary", "Cookie"),
            ],
            body: "whoami False inactive fresh=True",
        },
        Step {
            label: "so login_required refuses it",
            now: T0 + 150,
            method: "GET",
            target: "/secret",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 401,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "317"),
                ("Vary", "Cookie"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>401 Unauthorized</title>\n<h1>Unauthorized</h1>\n<p>The server could not verify that you are authorized to access the URL requested. You either supplied the wrong credentials (e.g. a bad password), or your browser doesn&#39;t understand how to supply the credentials required.</p>\n",
        },
        Step {
            label: "login with fresh=False",
            now: T0 + 160,
            method: "GET",
            target: "/login?user=1&fresh=0",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzjsOAjEMBcC7pKaI409iLoPi-EUgUe2KCnF3kJgTzLvc9oHzXq57Pk9cyu2R5VpMkJ6wIa3CJ8us1C2trtUSc1eSIE72sYU9e9OBtZzCffeRylMDxpWqDERm171EgcktXBdVBEdARVTM51AidLLWGmL0tPKLvE4c_w2VzxcC5C-O.ZVPxoA.4biptEYzpT6p-oo4-DRbZScwXaU; HttpOnly; Path=/"),
            ],
            body: "login True",
        },
        Step {
            label: "not fresh",
            now: T0 + 170,
            method: "GET",
            target: "/fresh",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 401,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "317"),
                ("Vary", "Cookie"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>401 Unauthorized</title>\n<h1>Unauthorized</h1>\n<p>The server could not verify that you are authorized to access the URL requested. You either supplied the wrong credentials (e.g. a bad password), or your browser doesn&#39;t understand how to supply the credentials required.</p>\n",
        },
        Step {
            label: "logout pops the keys: the session is empty and deleted",
            now: T0 + 180,
            method: "GET",
            target: "/logout",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/"),
            ],
            body: "logged out",
        },
        Step {
            label: "logout again: nothing to pop, no cookie",
            now: T0 + 190,
            method: "GET",
            target: "/logout",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Vary", "Cookie"),
            ],
            body: "logged out",
        },
        Step {
            label: "OPTIONS on a GET-only protected route: Flask's automatic answer, the view never runs",
            now: T0 + 200,
            method: "OPTIONS",
            target: "/secret",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Allow", "GET, HEAD, OPTIONS"),
                ("Vary", "Cookie"),
                ("Content-Length", "0"),
            ],
            body: "",
        },
        Step {
            label: "a user id the loader does not know is anonymous",
            now: T0 + 210,
            method: "GET",
            target: "/login?user=nobody",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzkEOAiEMBdC7sHZBoS10LmMo_UQ3mozOwhjvronvBO-dzmvH45K2537glM7XSFtSRlhAO5cMG5VHpqahec4SGCsTO9Wo1hdXi1akY04jN1uth9QhDq2ZMnd4RJM1WYBRi5tMyvDqDmEWVhtdiNBISynw3kLTL3I8sP83t7vf45U-X8abMZ0.ZVPx0g.bk-zwb9D3xMxzgqnUpTGqza6iOM; HttpOnly; Path=/"),
            ],
            body: "login True",
        },
        Step {
            label: "... and stays in the session",
            now: T0 + 220,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "28"),
                ("Vary", "Cookie"),
            ],
            body: "whoami False None fresh=True",
        },
        Step {
            label: "a non-ASCII User-Agent is hashed from its double-encoded UTF-8",
            now: T0 + 230,
            method: "GET",
            target: "/login?user=2",
            headers: &[("User-Agent", "Zoë's browser ☃")],
            form: &[],
            send: Send::Nothing,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwljjkOwzAMwP7iuYMO25HymcCyJLRr0kxF_14DXTiQCz_lyDOuZ9nf5x2Pcry87EW0szlTRyFQ68xtJtYxJxiyKSkjdpewmqsBARBxB6ElonrKgvHQhOFLR8sNxzARHkl9dq1WtUZW8xE0URFoa2gbCCR6WSP3Fef_hsr3B1vpLoo.ZVPx5g.vZDZYPgxd7VGMz_fr7F3zxj4-f4; HttpOnly; Path=/"),
            ],
            body: "login True",
        },
        Step {
            label: "same non-ASCII User-Agent: same identifier, no change",
            now: T0 + 240,
            method: "GET",
            target: "/fresh",
            headers: &[("User-Agent", "Zoë's browser ☃")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "7"),
                ("Vary", "Cookie"),
            ],
            body: "fresh 2",
        },
    ],
};

// gen_login_vectors.py remember(): the remember cookie
const REMEMBER: Scenario = Scenario {
    opts: Opts { ..BASE },
    steps: &[
        Step {
            label: "login with remember: remember_token for 365 days",
            now: T0,
            method: "GET",
            target: "/login?user=1&remember=1",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Set-Cookie", "remember_token=1|f9dcf5cda81b88d1b0fe3c19fb3dfbd61496576af6872f5fbc11eb558e2c32694749fdb926da828ffc138ab600896cb900d0de10373b6a0cf349feaa5631d120; Expires=Wed, 13 Nov 2024 22:13:20 GMT; HttpOnly; Path=/"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzjsOAjEMBcC7pKaI409iLoPi-EXQ7kKFuDtIzAnmXW77wHkv1-fxwqXcHlmuxQTpCRvSKnyyzErd0upaLTF3JQniZB9b2LM3HVjLKdx3H6k8NWBcqcpAZHbdSxSY3MJ1UUVwBFRExXwOJUIna60hRk8rv8jrxPHfUPl8AdD1L0M.ZVPxAA.Ku5mMHLgBuVNviCmrMlEdl8eoCs; HttpOnly; Path=/"),
            ],
            body: "login True",
        },
        Step {
            label: "_remember was popped by the hook: nothing more to send",
            now: T0 + 10,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "24"),
                ("Vary", "Cookie"),
            ],
            body: "whoami True 1 fresh=True",
        },
        Step {
            label: "only the remember cookie: the user is restored, stale, without _id",
            now: T0 + 20,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Raw("remember_token=1|f9dcf5cda81b88d1b0fe3c19fb3dfbd61496576af6872f5fbc11eb558e2c32694749fdb926da828ffc138ab600896cb900d0de10373b6a0cf349feaa5631d120"),
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "25"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=eyJfZnJlc2giOmZhbHNlLCJfdXNlcl9pZCI6IjEifQ.ZVPxFA.1qh27IeAJj_FEA8c5niNtHcnQKk; HttpOnly; Path=/"),
            ],
            body: "whoami True 1 fresh=False",
        },
        Step {
            label: "restored logins are not fresh",
            now: T0 + 30,
            method: "GET",
            target: "/fresh",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Raw("remember_token=1|f9dcf5cda81b88d1b0fe3c19fb3dfbd61496576af6872f5fbc11eb558e2c32694749fdb926da828ffc138ab600896cb900d0de10373b6a0cf349feaa5631d120"),
            status: 401,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "317"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=eyJfZnJlc2giOmZhbHNlLCJfdXNlcl9pZCI6IjEifQ.ZVPxHg.nethQmc3cDHjEXoYwr03tLOOir8; HttpOnly; Path=/"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>401 Unauthorized</title>\n<h1>Unauthorized</h1>\n<p>The server could not verify that you are authorized to access the URL requested. You either supplied the wrong credentials (e.g. a bad password), or your browser doesn&#39;t understand how to supply the credentials required.</p>\n",
        },
        Step {
            label: "login_remembered: a valid cookie",
            now: T0 + 32,
            method: "GET",
            target: "/remembered",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Raw("remember_token=1|f9dcf5cda81b88d1b0fe3c19fb3dfbd61496576af6872f5fbc11eb558e2c32694749fdb926da828ffc138ab600896cb900d0de10373b6a0cf349feaa5631d120"),
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "15"),
                ("Vary", "Cookie"),
            ],
            body: "remembered True",
        },
        Step {
            label: "login_remembered: a tampered cookie",
            now: T0 + 34,
            method: "GET",
            target: "/remembered",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Raw("remember_token=1|f9dcf5cda81b88d1b0fe3c19fb3dfbd61496576af6872f5fbc11eb558e2c32694749fdb926da828ffc138ab600896cb900d0de10373b6a0cf349feaa5631d12e"),
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "16"),
                ("Vary", "Cookie"),
            ],
            body: "remembered False",
        },
        Step {
            label: "logout with a remember cookie deletes it (Domain/Path only)",
            now: T0 + 40,
            method: "GET",
            target: "/logout",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Set-Cookie", "remember_token=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/"),
            ],
            body: "logged out",
        },
        Step {
            label: "login with remember and duration=60: _remember_seconds stays in the session",
            now: T0 + 50,
            method: "GET",
            target: "/login?user=2&remember=1&duration=60",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Set-Cookie", "remember_token=2|92098cef2df486b2934da57aa37fbed6033f2cd13e1a442b60b346dc0956fe784d98d4ebe6ff056a46dd15057aeb370b15e366bf9b34559a9c10b163c2a84808; Expires=Tue, 14 Nov 2023 22:15:10 GMT; HttpOnly; Path=/"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwdzjFuwzAMRuG7aC4CUiIpyZcxRPEX2iEtYDdTkLvHyPre8j3Tvg6c32n7Px74SvtPpC2ZIHrAmmRCH0UGcbUwmjMHxiIW5xKltyWlR83aMGdn733VFlqGOqwQkzR4RNU1RYFRsnedTPDiDhVRsT6aMqOy5ZzhrYalC3Lgjrvj2E_Mv98402Z0o2s8zit-mDm93u6gN64.ZVPxMg._xl3PkS9UpBQ98sEgj7RE8oxFHw; HttpOnly; Path=/"),
            ],
            body: "login True",
        },
        Step {
            label: "the next request does not send the remember cookie again",
            now: T0 + 60,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "24"),
                ("Vary", "Cookie"),
            ],
            body: "whoami True 2 fresh=True",
        },
        Step {
            label: "logout pops _remember_seconds too",
            now: T0 + 70,
            method: "GET",
            target: "/logout",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Set-Cookie", "remember_token=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/"),
            ],
            body: "logged out",
        },
        Step {
            label: "a view that sets _remember='clear' before current_user: the cookie is ignored, then deleted",
            now: T0 + 75,
            method: "GET",
            target: "/forget",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Raw("remember_token=1|f9dcf5cda81b88d1b0fe3c19fb3dfbd61496576af6872f5fbc11eb558e2c32694749fdb926da828ffc138ab600896cb900d0de10373b6a0cf349feaa5631d120"),
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "11"),
                ("Set-Cookie", "remember_token=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=eyJfZnJlc2giOmZhbHNlfQ.ZVPxSw.6fqUcYclGfcs_qx2lBMDY1g0Fr0; HttpOnly; Path=/"),
            ],
            body: "forget None",
        },
        Step {
            label: "duration 1.5 s: Expires drops the fraction",
            now: T0 + 80,
            method: "GET",
            target: "/login?user=2&remember=1&duration=1.5",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Nothing,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Set-Cookie", "remember_token=2|92098cef2df486b2934da57aa37fbed6033f2cd13e1a442b60b346dc0956fe784d98d4ebe6ff056a46dd15057aeb370b15e366bf9b34559a9c10b163c2a84808; Expires=Tue, 14 Nov 2023 22:14:41 GMT; HttpOnly; Path=/"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwdzjEOwjAMBdC7ZEYoTuwk7mWqOP4RDAWphQlxdyrWN71PWOeO4xaW1_7GJax3D0soDFdHaZwitGfukWrxEsdIjj4jsVH2rG1yVq9JGsZQMtVZm0vuYig5UuQGc68yBwvQczKVQRGWzSDMwkV7EyJUKiklWKtewhnZsWEz7OuB8Xz4ERa6yunv47T_MoXvD7jNN34.ZVPxUA.YI-xbcahn9v7O-WTgThWDKxGRGU; HttpOnly; Path=/"),
            ],
            body: "login True",
        },
        Step {
            label: "a negative duration gives an Expires in the past",
            now: T0 + 90,
            method: "GET",
            target: "/login?user=2&remember=1&duration=-10",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Nothing,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Set-Cookie", "remember_token=2|92098cef2df486b2934da57aa37fbed6033f2cd13e1a442b60b346dc0956fe784d98d4ebe6ff056a46dd15057aeb370b15e366bf9b34559a9c10b163c2a84808; Expires=Tue, 14 Nov 2023 22:14:40 GMT; HttpOnly; Path=/"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwdzjFuwzAMRuG7aG4KUiIl0ZcxRPEX2iEtYCdT0bvHyPre8v2lfR04v9L2OJ74SPt3pC1VQVigdskEG0UGcatRac4cGItYnEsU60uKRcvaMaexm63WQ8tQRy3EJB0e0XRNUWCU7KaTCV7coSIq1UZXZjSuOWd4b1HTBTlwx91x7Cfm70-cabsxfdJ1nudV386c_l8j_zfW.ZVPxWg.PlQQg3tykPEbVFPX6LMvKv-3zpA; HttpOnly; Path=/"),
            ],
            body: "login True",
        },
        Step {
            label: "a tampered remember cookie is ignored",
            now: T0 + 100,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Raw("remember_token=1|f9dcf5cda81b88d1b0fe3c19fb3dfbd61496576af6872f5fbc11eb558e2c32694749fdb926da828ffc138ab600896cb900d0de10373b6a0cf349feaa5631d12e"),
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "28"),
                ("Vary", "Cookie"),
            ],
            body: "whoami False None fresh=None",
        },
        Step {
            label: "a remember cookie without | is ignored",
            now: T0 + 110,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Raw("remember_token=1"),
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "28"),
                ("Vary", "Cookie"),
            ],
            body: "whoami False None fresh=None",
        },
        Step {
            label: "a remember cookie signed with another key is ignored",
            now: T0 + 120,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Raw("remember_token=1|3fe184f24fc85f89d5c3acefa137747a3812f6290563bc3fceb76d7c1581e93372d95769dc73bb3fd8eaf17431ee42af6e4f8e9290c022616e0df400397da3a8"),
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "28"),
                ("Vary", "Cookie"),
            ],
            body: "whoami False None fresh=None",
        },
        Step {
            label: "a valid cookie for a user the loader does not know: _user_id is stored, still anonymous",
            now: T0 + 130,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Raw("remember_token=ghost|1334859109e9885c938c5ba49c16918ad6f0e30f15ea1d1abceb87a1bda5f678b48f8c3c80886098f65cdc982d7db114c06dfb8a363bbc7d9484503e155c141b"),
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "29"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=eyJfZnJlc2giOmZhbHNlLCJfdXNlcl9pZCI6Imdob3N0In0.ZVPxgg.Rs2AH-TGiLGAr2miMNmG_X5RQDc; HttpOnly; Path=/"),
            ],
            body: "whoami False None fresh=False",
        },
        Step {
            label: "a non-ASCII user id: the remember cookie value is quoted",
            now: T0 + 140,
            method: "GET",
            target: "/login?user=Zo%C3%AB&remember=1",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Nothing,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Set-Cookie", "remember_token=\"Zo\\303\\253|874b3ea8f7fba52b558a471b65579d5aa2e3422a303f3ea75a8b611c2b6929fdf51a72a3f42d976553f07b705147372a887a24fb33a0522bc0b15fbb7d8beece\"; Expires=Wed, 13 Nov 2024 22:15:40 GMT; HttpOnly; Path=/"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzksKAjEMANC7dO0iaT5tPIoI0jQpuhJGZyXe3QEP8OB9ym1t-bqX83vb81Rujyjnopxhkdq5QtogHoBNQ2HOGjkWIDtSkPXFZNGq9JzT0M1W6yE0xFMJELinRzRZkyVzUHWTiZBO7inMwmqjC2I21Fprem-h5Yjsr9z-m8vzusNByvcHJ-0x0w.ZVPxjA.J4u-jFND90heN7fI1mvtxERGlOg; HttpOnly; Path=/"),
            ],
            body: "login True",
        },
        Step {
            label: "the quoted cookie comes back and logs the user in",
            now: T0 + 150,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Raw("remember_token=\"Zo\\303\\253|874b3ea8f7fba52b558a471b65579d5aa2e3422a303f3ea75a8b611c2b6929fdf51a72a3f42d976553f07b705147372a887a24fb33a0522bc0b15fbb7d8beece\""),
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "28"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=eyJfZnJlc2giOmZhbHNlLCJfdXNlcl9pZCI6IlpvXHUwMGViIn0.ZVPxlg.dlkBIlbMRHWWmqyFYZ5MyxEDPMg; HttpOnly; Path=/"),
            ],
            body: "whoami True Zoë fresh=False",
        },
        Step {
            label: "remember cookie plus session: the session's user wins; already stale, nothing rewritten",
            now: T0 + 160,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "28"),
                ("Vary", "Cookie"),
            ],
            body: "whoami True Zoë fresh=False",
        },
        Step {
            label: "logout deletes the remember cookie and the session",
            now: T0 + 170,
            method: "GET",
            target: "/logout",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Set-Cookie", "remember_token=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/"),
            ],
            body: "logged out",
        },
    ],
};

// gen_login_vectors.py remember_config(): every REMEMBER_COOKIE_* key
const REMEMBER_CONFIG: Scenario = Scenario {
    opts: Opts { config: &[("REMEMBER_COOKIE_NAME", C::Str("rt")), ("REMEMBER_COOKIE_DURATION", C::Int(3600)), ("REMEMBER_COOKIE_DOMAIN", C::Str(".example.com")), ("REMEMBER_COOKIE_PATH", C::Str("/app")), ("REMEMBER_COOKIE_SECURE", C::Bool(true)), ("REMEMBER_COOKIE_HTTPONLY", C::Bool(false)), ("REMEMBER_COOKIE_SAMESITE", C::Str("lax"))], ..BASE },
    steps: &[
        Step {
            label: "every REMEMBER_COOKIE_* setting",
            now: T0,
            method: "GET",
            target: "/login?user=1&remember=1",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Set-Cookie", "rt=1|f9dcf5cda81b88d1b0fe3c19fb3dfbd61496576af6872f5fbc11eb558e2c32694749fdb926da828ffc138ab600896cb900d0de10373b6a0cf349feaa5631d120; Domain=example.com; Expires=Tue, 14 Nov 2023 23:13:20 GMT; Secure; Path=/app; SameSite=Lax"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzjsOAjEMBcC7pKaI409iLoPi-EXQ7kKFuDtIzAnmXW77wHkv1-fxwqXcHlmuxQTpCRvSKnyyzErd0upaLTF3JQniZB9b2LM3HVjLKdx3H6k8NWBcqcpAZHbdSxSY3MJ1UUVwBFRExXwOJUIna60hRk8rv8jrxPHfUPl8AdD1L0M.ZVPxAA.Ku5mMHLgBuVNviCmrMlEdl8eoCs; HttpOnly; Path=/"),
            ],
            body: "login True",
        },
        Step {
            label: "the cookie under its configured name restores the user",
            now: T0 + 10,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Raw("rt=1|f9dcf5cda81b88d1b0fe3c19fb3dfbd61496576af6872f5fbc11eb558e2c32694749fdb926da828ffc138ab600896cb900d0de10373b6a0cf349feaa5631d120"),
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "25"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=eyJfZnJlc2giOmZhbHNlLCJfdXNlcl9pZCI6IjEifQ.ZVPxCg.wDNCv4Su0E4ygkZozKI9dY9kd4M; HttpOnly; Path=/"),
            ],
            body: "whoami True 1 fresh=False",
        },
        Step {
            label: "logout deletes it with Domain and Path only",
            now: T0 + 20,
            method: "GET",
            target: "/logout",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Set-Cookie", "rt=; Domain=example.com; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/app"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/"),
            ],
            body: "logged out",
        },
    ],
};

// gen_login_vectors.py refresh_each_request()
const REFRESH_EACH_REQUEST: Scenario = Scenario {
    opts: Opts { config: &[("REMEMBER_COOKIE_REFRESH_EACH_REQUEST", C::Bool(true))], ..BASE },
    steps: &[
        Step {
            label: "anonymous: the hook inserts and pops _remember, so an empty session is deleted",
            now: T0,
            method: "GET",
            target: "/plain",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "5"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/"),
            ],
            body: "plain",
        },
        Step {
            label: "login without remember still gets a remember cookie",
            now: T0 + 10,
            method: "GET",
            target: "/login?user=1",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Set-Cookie", "remember_token=1|f9dcf5cda81b88d1b0fe3c19fb3dfbd61496576af6872f5fbc11eb558e2c32694749fdb926da828ffc138ab600896cb900d0de10373b6a0cf349feaa5631d120; Expires=Wed, 13 Nov 2024 22:13:30 GMT; HttpOnly; Path=/"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzjsOAjEMBcC7pKaI409iLoPi-EXQ7kKFuDtIzAnmXW77wHkv1-fxwqXcHlmuxQTpCRvSKnyyzErd0upaLTF3JQniZB9b2LM3HVjLKdx3H6k8NWBcqcpAZHbdSxSY3MJ1UUVwBFRExXwOJUIna60hRk8rv8jrxPHfUPl8AdD1L0M.ZVPxCg.zdG71i3TsP7G_CIj1l7ilC-c9gc; HttpOnly; Path=/"),
            ],
            body: "login True",
        },
        Step {
            label: "every request re-sends the remember cookie and re-signs the session",
            now: T0 + 20,
            method: "GET",
            target: "/plain",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "5"),
                ("Set-Cookie", "remember_token=1|f9dcf5cda81b88d1b0fe3c19fb3dfbd61496576af6872f5fbc11eb558e2c32694749fdb926da828ffc138ab600896cb900d0de10373b6a0cf349feaa5631d120; Expires=Wed, 13 Nov 2024 22:13:40 GMT; HttpOnly; Path=/"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzjsOAjEMBcC7pKaI409iLoPi-EXQ7kKFuDtIzAnmXW77wHkv1-fxwqXcHlmuxQTpCRvSKnyyzErd0upaLTF3JQniZB9b2LM3HVjLKdx3H6k8NWBcqcpAZHbdSxSY3MJ1UUVwBFRExXwOJUIna60hRk8rv8jrxPHfUPl8AdD1L0M.ZVPxFA.0IhBYnQ3T6zHoAlzpx1gs8wPTmw; HttpOnly; Path=/"),
            ],
            body: "plain",
        },
        Step {
            label: "later",
            now: T0 + 30,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "24"),
                ("Set-Cookie", "remember_token=1|f9dcf5cda81b88d1b0fe3c19fb3dfbd61496576af6872f5fbc11eb558e2c32694749fdb926da828ffc138ab600896cb900d0de10373b6a0cf349feaa5631d120; Expires=Wed, 13 Nov 2024 22:13:50 GMT; HttpOnly; Path=/"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzjsOAjEMBcC7pKaI409iLoPi-EXQ7kKFuDtIzAnmXW77wHkv1-fxwqXcHlmuxQTpCRvSKnyyzErd0upaLTF3JQniZB9b2LM3HVjLKdx3H6k8NWBcqcpAZHbdSxSY3MJ1UUVwBFRExXwOJUIna60hRk8rv8jrxPHfUPl8AdD1L0M.ZVPxHg.txhnbT0oi3FqMRd0St8e7Fk5JKA; HttpOnly; Path=/"),
            ],
            body: "whoami True 1 fresh=True",
        },
    ],
};

// gen_login_vectors.py strong()
const STRONG: Scenario = Scenario {
    opts: Opts { config: &[("SESSION_PROTECTION", C::Str("strong"))], ..BASE },
    steps: &[
        Step {
            label: "login",
            now: T0,
            method: "GET",
            target: "/login?user=1",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzjsOAjEMBcC7pKaI409iLoPi-EXQ7kKFuDtIzAnmXW77wHkv1-fxwqXcHlmuxQTpCRvSKnyyzErd0upaLTF3JQniZB9b2LM3HVjLKdx3H6k8NWBcqcpAZHbdSxSY3MJ1UUVwBFRExXwOJUIna60hRk8rv8jrxPHfUPl8AdD1L0M.ZVPxAA.Ku5mMHLgBuVNviCmrMlEdl8eoCs; HttpOnly; Path=/"),
            ],
            body: "login True",
        },
        Step {
            label: "same client",
            now: T0 + 10,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "24"),
                ("Vary", "Cookie"),
            ],
            body: "whoami True 1 fresh=True",
        },
        Step {
            label: "another User-Agent: strong protection logs out and deletes the remember cookie",
            now: T0 + 20,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Other/1.0")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "28"),
                ("Set-Cookie", "remember_token=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/"),
            ],
            body: "whoami False None fresh=None",
        },
        Step {
            label: "login with remember",
            now: T0 + 30,
            method: "GET",
            target: "/login?user=1&remember=1",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Nothing,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Set-Cookie", "remember_token=1|f9dcf5cda81b88d1b0fe3c19fb3dfbd61496576af6872f5fbc11eb558e2c32694749fdb926da828ffc138ab600896cb900d0de10373b6a0cf349feaa5631d120; Expires=Wed, 13 Nov 2024 22:13:50 GMT; HttpOnly; Path=/"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzjsOAjEMBcC7pKaI409iLoPi-EXQ7kKFuDtIzAnmXW77wHkv1-fxwqXcHlmuxQTpCRvSKnyyzErd0upaLTF3JQniZB9b2LM3HVjLKdx3H6k8NWBcqcpAZHbdSxSY3MJ1UUVwBFRExXwOJUIna60hRk8rv8jrxPHfUPl8AdD1L0M.ZVPxHg.txhnbT0oi3FqMRd0St8e7Fk5JKA; HttpOnly; Path=/"),
            ],
            body: "login True",
        },
        Step {
            label: "only the remember cookie: restored, without _id",
            now: T0 + 40,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Raw("remember_token=1|f9dcf5cda81b88d1b0fe3c19fb3dfbd61496576af6872f5fbc11eb558e2c32694749fdb926da828ffc138ab600896cb900d0de10373b6a0cf349feaa5631d120"),
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "25"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=eyJfZnJlc2giOmZhbHNlLCJfdXNlcl9pZCI6IjEifQ.ZVPxKA.DdwyJO7KddG33rSmlgQjn2fZGCY; HttpOnly; Path=/"),
            ],
            body: "whoami True 1 fresh=False",
        },
        Step {
            label: "the next request fails protection because there is no _id: logged out",
            now: T0 + 50,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "28"),
                ("Set-Cookie", "remember_token=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/"),
            ],
            body: "whoami False None fresh=None",
        },
        Step {
            label: "login, then make the session permanent",
            now: T0 + 60,
            method: "GET",
            target: "/login?user=2",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Nothing,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzjsOAjEMBcC7pKaI409iLoPi-EXQ7kKFuDtIzAnmXW77wHkv1-fxwqXcHlmuxQTpCRvSKnyyzErd0upaLTF3JQniZB9b2LM3HVjLKdx3H6k8NWBcqcpAZHbdSxSY3MJ1UUVwBFRExXwOJUIna60hRk8rv8jrxPHftPL5AtD4L0Q.ZVPxPA.FWLXDYREK1A1SXG5AtOiZDgEvJI; HttpOnly; Path=/"),
            ],
            body: "login True",
        },
        Step {
            label: "permanent",
            now: T0 + 70,
            method: "GET",
            target: "/permanent",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "9"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJw9zk0OAiEMBtC7sHZBoQU6lzGUfkQXTsz8rIx318TEd4L3Cte5Yb-F5dhOXML17mEJheHqKI1ThPbMPVItXuIYydFnJDbKnrVNzuo1ScMYSqY6a3PJXQwlR4rcYO5V5mABek6mMijCshmEWbhob0KESiWlBGvVS_hGntgefcV6_Gvnju33S-H9AXA3Ndc.ZVPxRg.NnzlzLgP56Y2yGhVMJCIlqOEEr4; Expires=Fri, 15 Dec 2023 22:14:30 GMT; HttpOnly; Path=/"),
            ],
            body: "permanent",
        },
        Step {
            label: "a permanent session gets basic treatment even in strong mode",
            now: T0 + 80,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Other/1.0")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "25"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzkEOAiEMBdC7sHZBoQU6l5lQ-okmasyMszLeXY3vBO8V1rlhP4dl9uuOU1gvHpZQGK6O0jhFaM_cI9XiJY6RHH1GYqPsWdvkrF6TNIyhZKqzNpfcxVBypMgN5l5lDhag52QqgyIsm0GYhYv2JkSoVFJKsFa9hG_kge3W77g_w_Lcjl_t2LH9fym8P6ddNiI.ZVPxUA.ewZLA68iFIiHmCv9gHVLGhiL2qs; Expires=Fri, 15 Dec 2023 22:14:40 GMT; HttpOnly; Path=/"),
            ],
            body: "whoami True 2 fresh=False",
        },
        Step {
            label: "a session holding only another key",
            now: T0 + 90,
            method: "GET",
            target: "/note",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Nothing,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "5"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=eyJub3RlIjoieCJ9.ZVPxWg.EPfqbcuGHLAn47RQTgzbbqMHdfk; HttpOnly; Path=/"),
            ],
            body: "noted",
        },
        Step {
            label: "has no _id either: strong protection fails, clearing a remember cookie nobody sent",
            now: T0 + 100,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "28"),
                ("Set-Cookie", "remember_token=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=eyJub3RlIjoieCJ9.ZVPxZA.xdnDbrPXl-IAWSQ6D-azOZYGp1s; HttpOnly; Path=/"),
            ],
            body: "whoami False None fresh=None",
        },
    ],
};

// gen_login_vectors.py strong() via login_manager.session_protection
const STRONG_BY_ATTRIBUTE: Scenario = Scenario {
    opts: Opts { protection: Some("strong"), ..BASE },
    steps: &[
        Step {
            label: "login",
            now: T0,
            method: "GET",
            target: "/login?user=1",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzjsOAjEMBcC7pKaI409iLoPi-EXQ7kKFuDtIzAnmXW77wHkv1-fxwqXcHlmuxQTpCRvSKnyyzErd0upaLTF3JQniZB9b2LM3HVjLKdx3H6k8NWBcqcpAZHbdSxSY3MJ1UUVwBFRExXwOJUIna60hRk8rv8jrxPHfUPl8AdD1L0M.ZVPxAA.Ku5mMHLgBuVNviCmrMlEdl8eoCs; HttpOnly; Path=/"),
            ],
            body: "login True",
        },
        Step {
            label: "same client",
            now: T0 + 10,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "24"),
                ("Vary", "Cookie"),
            ],
            body: "whoami True 1 fresh=True",
        },
        Step {
            label: "another User-Agent: strong protection logs out and deletes the remember cookie",
            now: T0 + 20,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Other/1.0")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "28"),
                ("Set-Cookie", "remember_token=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/"),
            ],
            body: "whoami False None fresh=None",
        },
        Step {
            label: "login with remember",
            now: T0 + 30,
            method: "GET",
            target: "/login?user=1&remember=1",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Nothing,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Set-Cookie", "remember_token=1|f9dcf5cda81b88d1b0fe3c19fb3dfbd61496576af6872f5fbc11eb558e2c32694749fdb926da828ffc138ab600896cb900d0de10373b6a0cf349feaa5631d120; Expires=Wed, 13 Nov 2024 22:13:50 GMT; HttpOnly; Path=/"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzjsOAjEMBcC7pKaI409iLoPi-EXQ7kKFuDtIzAnmXW77wHkv1-fxwqXcHlmuxQTpCRvSKnyyzErd0upaLTF3JQniZB9b2LM3HVjLKdx3H6k8NWBcqcpAZHbdSxSY3MJ1UUVwBFRExXwOJUIna60hRk8rv8jrxPHfUPl8AdD1L0M.ZVPxHg.txhnbT0oi3FqMRd0St8e7Fk5JKA; HttpOnly; Path=/"),
            ],
            body: "login True",
        },
        Step {
            label: "only the remember cookie: restored, without _id",
            now: T0 + 40,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Raw("remember_token=1|f9dcf5cda81b88d1b0fe3c19fb3dfbd61496576af6872f5fbc11eb558e2c32694749fdb926da828ffc138ab600896cb900d0de10373b6a0cf349feaa5631d120"),
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "25"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=eyJfZnJlc2giOmZhbHNlLCJfdXNlcl9pZCI6IjEifQ.ZVPxKA.DdwyJO7KddG33rSmlgQjn2fZGCY; HttpOnly; Path=/"),
            ],
            body: "whoami True 1 fresh=False",
        },
        Step {
            label: "the next request fails protection because there is no _id: logged out",
            now: T0 + 50,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "28"),
                ("Set-Cookie", "remember_token=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/"),
            ],
            body: "whoami False None fresh=None",
        },
        Step {
            label: "login, then make the session permanent",
            now: T0 + 60,
            method: "GET",
            target: "/login?user=2",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Nothing,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzjsOAjEMBcC7pKaI409iLoPi-EXQ7kKFuDtIzAnmXW77wHkv1-fxwqXcHlmuxQTpCRvSKnyyzErd0upaLTF3JQniZB9b2LM3HVjLKdx3H6k8NWBcqcpAZHbdSxSY3MJ1UUVwBFRExXwOJUIna60hRk8rv8jrxPHftPL5AtD4L0Q.ZVPxPA.FWLXDYREK1A1SXG5AtOiZDgEvJI; HttpOnly; Path=/"),
            ],
            body: "login True",
        },
        Step {
            label: "permanent",
            now: T0 + 70,
            method: "GET",
            target: "/permanent",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "9"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJw9zk0OAiEMBtC7sHZBoQU6lzGUfkQXTsz8rIx318TEd4L3Cte5Yb-F5dhOXML17mEJheHqKI1ThPbMPVItXuIYydFnJDbKnrVNzuo1ScMYSqY6a3PJXQwlR4rcYO5V5mABek6mMijCshmEWbhob0KESiWlBGvVS_hGntgefcV6_Gvnju33S-H9AXA3Ndc.ZVPxRg.NnzlzLgP56Y2yGhVMJCIlqOEEr4; Expires=Fri, 15 Dec 2023 22:14:30 GMT; HttpOnly; Path=/"),
            ],
            body: "permanent",
        },
        Step {
            label: "a permanent session gets basic treatment even in strong mode",
            now: T0 + 80,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Other/1.0")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "25"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzkEOAiEMBdC7sHZBoQU6l5lQ-okmasyMszLeXY3vBO8V1rlhP4dl9uuOU1gvHpZQGK6O0jhFaM_cI9XiJY6RHH1GYqPsWdvkrF6TNIyhZKqzNpfcxVBypMgN5l5lDhag52QqgyIsm0GYhYv2JkSoVFJKsFa9hG_kge3W77g_w_Lcjl_t2LH9fym8P6ddNiI.ZVPxUA.ewZLA68iFIiHmCv9gHVLGhiL2qs; Expires=Fri, 15 Dec 2023 22:14:40 GMT; HttpOnly; Path=/"),
            ],
            body: "whoami True 2 fresh=False",
        },
        Step {
            label: "a session holding only another key",
            now: T0 + 90,
            method: "GET",
            target: "/note",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Nothing,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "5"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=eyJub3RlIjoieCJ9.ZVPxWg.EPfqbcuGHLAn47RQTgzbbqMHdfk; HttpOnly; Path=/"),
            ],
            body: "noted",
        },
        Step {
            label: "has no _id either: strong protection fails, clearing a remember cookie nobody sent",
            now: T0 + 100,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "28"),
                ("Set-Cookie", "remember_token=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=eyJub3RlIjoieCJ9.ZVPxZA.xdnDbrPXl-IAWSQ6D-azOZYGp1s; HttpOnly; Path=/"),
            ],
            body: "whoami False None fresh=None",
        },
    ],
};

// gen_login_vectors.py protection_off(): config None
const PROTECTION_OFF: Scenario = Scenario {
    opts: Opts { config: &[("SESSION_PROTECTION", C::None)], ..BASE },
    steps: &[
        Step {
            label: "login",
            now: T0,
            method: "GET",
            target: "/login?user=1",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzjsOAjEMBcC7pKaI409iLoPi-EXQ7kKFuDtIzAnmXW77wHkv1-fxwqXcHlmuxQTpCRvSKnyyzErd0upaLTF3JQniZB9b2LM3HVjLKdx3H6k8NWBcqcpAZHbdSxSY3MJ1UUVwBFRExXwOJUIna60hRk8rv8jrxPHfUPl8AdD1L0M.ZVPxAA.Ku5mMHLgBuVNviCmrMlEdl8eoCs; HttpOnly; Path=/"),
            ],
            body: "login True",
        },
        Step {
            label: "another User-Agent: no protection, still fresh",
            now: T0 + 10,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Other/1.0")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "24"),
                ("Vary", "Cookie"),
            ],
            body: "whoami True 1 fresh=True",
        },
    ],
};

// gen_login_vectors.py protection_off(): an unknown mode
const PROTECTION_UNKNOWN: Scenario = Scenario {
    opts: Opts { protection: Some("paranoid"), ..BASE },
    steps: &[
        Step {
            label: "login",
            now: T0,
            method: "GET",
            target: "/login?user=1",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzjsOAjEMBcC7pKaI409iLoPi-EXQ7kKFuDtIzAnmXW77wHkv1-fxwqXcHlmuxQTpCRvSKnyyzErd0upaLTF3JQniZB9b2LM3HVjLKdx3H6k8NWBcqcpAZHbdSxSY3MJ1UUVwBFRExXwOJUIna60hRk8rv8jrxPHfUPl8AdD1L0M.ZVPxAA.Ku5mMHLgBuVNviCmrMlEdl8eoCs; HttpOnly; Path=/"),
            ],
            body: "login True",
        },
        Step {
            label: "another User-Agent: no protection, still fresh",
            now: T0 + 10,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Other/1.0")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "24"),
                ("Vary", "Cookie"),
            ],
            body: "whoami True 1 fresh=True",
        },
    ],
};

// gen_login_vectors.py login_view()
const LOGIN_VIEW: Scenario = Scenario {
    opts: Opts { login_view: Some("/login"), ..BASE },
    steps: &[
        Step {
            label: "redirect with next, and the message flashed",
            now: T0,
            method: "GET",
            target: "/secret?x=1&y=a%20b",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 302,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "273"),
                ("Location", "/login?next=%2Fsecret%3Fx%3D1%26y%3Da%2520b"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=eyJfZmxhc2hlcyI6W3siIHQiOlsibWVzc2FnZSIsIlBsZWFzZSBsb2cgaW4gdG8gYWNjZXNzIHRoaXMgcGFnZS4iXX1dfQ.ZVPxAA.YpTVgF6wFpPpyMWfQmUhTdrPWOY; HttpOnly; Path=/"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"/login?next=%2Fsecret%3Fx%3D1%26y%3Da%2520b\">/login?next=%2Fsecret%3Fx%3D1%26y%3Da%2520b</a>. If not, click the link.\n",
        },
        Step {
            label: "a second redirect appends to _flashes",
            now: T0 + 10,
            method: "GET",
            target: "/secret",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 302,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "229"),
                ("Location", "/login?next=%2Fsecret"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJydjbsJwDAMBVcRrzYZwFOkDyYII39AiUPkznj3eIZUr7g73sCZlK2IwR8D1NfgEjPOAoddhU1IW6Z6U2_EMS5IvVSjZzkbwnQ_u-DW-StW4BOryfwADbYvmA.ZVPxCg.CTaspzZGEStG4wcCpa0qxOemPc8; HttpOnly; Path=/"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"/login?next=%2Fsecret\">/login?next=%2Fsecret</a>. If not, click the link.\n",
        },
        Step {
            label: "odd query characters",
            now: T0 + 20,
            method: "GET",
            target: "/secret?q=%41%2B+b&z=é&w=%zz&e=%E9&s=a/b?c",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 302,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "369"),
                ("Location", "/login?next=%2Fsecret%3Fq%3DA%252B%2Bb%26z%3D%C3%A9%26w%3D%25zz%26e%3D%25E9%26s%3Da%2Fb%3Fc"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJy9jrsJwDAMBVcRrzYZwFOkDyYII39AiUPkznj3eIpUr7g7eANnUrYiBn8MUF-DS8w4Cxx2FTYhbZnqTb0Rx7gg9VKNnuVsCNP93AW3Tr9iBT6xmswPX5ZCKg.ZVPxFA.q0ieOlzM6OFdjMfUXiFo2lbV0Sg; HttpOnly; Path=/"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"/login?next=%2Fsecret%3Fq%3DA%252B%2Bb%26z%3D%C3%A9%26w%3D%25zz%26e%3D%25E9%26s%3Da%2Fb%3Fc\">/login?next=%2Fsecret%3Fq%3DA%252B%2Bb%26z%3D%C3%A9%26w%3D%25zz%26e%3D%25E9%26s%3Da%2Fb%3Fc</a>. If not, click the link.\n",
        },
        Step {
            label: "a non-ASCII path",
            now: T0 + 30,
            method: "GET",
            target: "/caf%C3%A9?x=%41",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 302,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "251"),
                ("Location", "/login?next=%2Fcaf%C3%A9%3Fx%3DA"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJzVj7sJwDAMBVcRrzYZwFOkDyYII39AiUPkznj3eI1Ur7i74g2cSdmKGPwxQH0NLjHjLHDYVdiEtGWqN_VGHOOC1Es1epazIUz3ky64dfYVK_CJ1WR-waJUvA.ZVPxHg.cFAJqVHu-o892PjTI7t4PdY6KxM; HttpOnly; Path=/"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"/login?next=%2Fcaf%C3%A9%3Fx%3DA\">/login?next=%2Fcaf%C3%A9%3Fx%3DA</a>. If not, click the link.\n",
        },
        Step {
            label: "HEAD is checked too",
            now: T0 + 40,
            method: "HEAD",
            target: "/secret",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 302,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "229"),
                ("Location", "/login?next=%2Fsecret"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJyrVopPy0kszkgtVrKKrlZSKAFSSrmpxcWJ6alKOkoBOamJxakKOfnpCpl5CiX5ConJyUBJhZKMzGKFAqAaPaXYWp1hri9WBxhIRanFGUpWaYk5xam1ADPpZ04.ZVPxKA.5zUB3aKJNcjmqZlSj8WmE40fF1M; HttpOnly; Path=/"),
            ],
            body: "",
        },
        Step {
            label: "POST to a GET-only protected route is a 405 (no check)",
            now: T0 + 50,
            method: "POST",
            target: "/secret",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 405,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Allow", "GET, HEAD, OPTIONS"),
                ("Content-Length", "153"),
                ("Vary", "Cookie"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n",
        },
        Step {
            label: "a Host header with a port",
            now: T0 + 60,
            method: "GET",
            target: "/secret?a=1",
            headers: &[("User-Agent", "Mozilla/5.0 Test"), ("Host", "Example.COM:80")],
            form: &[],
            send: Send::Jar,
            status: 302,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "245"),
                ("Location", "/login?next=%2Fsecret%3Fa%3D1"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJyrVopPy0kszkgtVrKKrlZSKAFSSrmpxcWJ6alKOkoBOamJxakKOfnpCpl5CiX5ConJyUBJhZKMzGKFAqAaPaXYWp1RfVj1xeoAA7cotThDySotMac4tRYAtk154A.ZVPxPA.9ygL3_vz2nsIcsRxxTMDaV8xeBg; HttpOnly; Path=/"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"/login?next=%2Fsecret%3Fa%3D1\">/login?next=%2Fsecret%3Fa%3D1</a>. If not, click the link.\n",
        },
        Step {
            label: "logged in, the view runs",
            now: T0 + 70,
            method: "GET",
            target: "/login?user=1",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Nothing,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzjsOAjEMBcC7pKaI409iLoPi-EXQ7kKFuDtIzAnmXW77wHkv1-fxwqXcHlmuxQTpCRvSKnyyzErd0upaLTF3JQniZB9b2LM3HVjLKdx3H6k8NWBcqcpAZHbdSxSY3MJ1UUVwBFRExXwOJUIna60hRk8rv8jrxPHfUPl8AdD1L0M.ZVPxRg.C9vJWN9W9ydUP_5GVdy-83WYBa8; HttpOnly; Path=/"),
            ],
            body: "login True",
        },
        Step {
            label: "the view",
            now: T0 + 80,
            method: "GET",
            target: "/secret",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "8"),
                ("Vary", "Cookie"),
            ],
            body: "secret 1",
        },
    ],
};

// gen_login_vectors.py a login_view with a query (next replaced in place)
const LOGIN_VIEW_WITH_QUERY: Scenario = Scenario {
    opts: Opts { login_view: Some("/login?lang=en&next=old&lang=fr&flag"), ..BASE },
    steps: &[
        Step {
            label: "redirect",
            now: T0,
            method: "GET",
            target: "/secret?x=1",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 302,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "313"),
                ("Location", "/login?lang=en&lang=fr&next=%2Fsecret%3Fx%3D1&flag="),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=eyJfZmxhc2hlcyI6W3siIHQiOlsibWVzc2FnZSIsIlBsZWFzZSBsb2cgaW4gdG8gYWNjZXNzIHRoaXMgcGFnZS4iXX1dfQ.ZVPxAA.YpTVgF6wFpPpyMWfQmUhTdrPWOY; HttpOnly; Path=/"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"/login?lang=en&amp;lang=fr&amp;next=%2Fsecret%3Fx%3D1&amp;flag=\">/login?lang=en&amp;lang=fr&amp;next=%2Fsecret%3Fx%3D1&amp;flag=</a>. If not, click the link.\n",
        },
    ],
};

// gen_login_vectors.py an absolute login_view on this host
const LOGIN_VIEW_SAME_HOST: Scenario = Scenario {
    opts: Opts { login_view: Some("http://localhost/login"), ..BASE },
    steps: &[
        Step {
            label: "redirect",
            now: T0,
            method: "GET",
            target: "/secret?x=1",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 302,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "277"),
                ("Location", "http://localhost/login?next=%2Fsecret%3Fx%3D1"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=eyJfZmxhc2hlcyI6W3siIHQiOlsibWVzc2FnZSIsIlBsZWFzZSBsb2cgaW4gdG8gYWNjZXNzIHRoaXMgcGFnZS4iXX1dfQ.ZVPxAA.YpTVgF6wFpPpyMWfQmUhTdrPWOY; HttpOnly; Path=/"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"http://localhost/login?next=%2Fsecret%3Fx%3D1\">http://localhost/login?next=%2Fsecret%3Fx%3D1</a>. If not, click the link.\n",
        },
        Step {
            label: "Host: LocalHost:80",
            now: T0,
            method: "GET",
            target: "/secret?x=1",
            headers: &[("User-Agent", "Mozilla/5.0 Test"), ("Host", "LocalHost:80")],
            form: &[],
            send: Send::Nothing,
            status: 302,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "277"),
                ("Location", "http://localhost/login?next=%2Fsecret%3Fx%3D1"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=eyJfZmxhc2hlcyI6W3siIHQiOlsibWVzc2FnZSIsIlBsZWFzZSBsb2cgaW4gdG8gYWNjZXNzIHRoaXMgcGFnZS4iXX1dfQ.ZVPxAA.YpTVgF6wFpPpyMWfQmUhTdrPWOY; HttpOnly; Path=/"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"http://localhost/login?next=%2Fsecret%3Fx%3D1\">http://localhost/login?next=%2Fsecret%3Fx%3D1</a>. If not, click the link.\n",
        },
        Step {
            label: "Host: localhost:5000",
            now: T0,
            method: "GET",
            target: "/secret?x=1",
            headers: &[("User-Agent", "Mozilla/5.0 Test"), ("Host", "localhost:5000")],
            form: &[],
            send: Send::Nothing,
            status: 302,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "335"),
                ("Location", "http://localhost/login?next=http%3A%2F%2Flocalhost%3A5000%2Fsecret%3Fx%3D1"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=eyJfZmxhc2hlcyI6W3siIHQiOlsibWVzc2FnZSIsIlBsZWFzZSBsb2cgaW4gdG8gYWNjZXNzIHRoaXMgcGFnZS4iXX1dfQ.ZVPxAA.YpTVgF6wFpPpyMWfQmUhTdrPWOY; HttpOnly; Path=/"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"http://localhost/login?next=http%3A%2F%2Flocalhost%3A5000%2Fsecret%3Fx%3D1\">http://localhost/login?next=http%3A%2F%2Flocalhost%3A5000%2Fsecret%3Fx%3D1</a>. If not, click the link.\n",
        },
        Step {
            label: "Host: other.example",
            now: T0,
            method: "GET",
            target: "/secret?x=1",
            headers: &[("User-Agent", "Mozilla/5.0 Test"), ("Host", "other.example")],
            form: &[],
            send: Send::Nothing,
            status: 302,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "329"),
                ("Location", "http://localhost/login?next=http%3A%2F%2Fother.example%2Fsecret%3Fx%3D1"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=eyJfZmxhc2hlcyI6W3siIHQiOlsibWVzc2FnZSIsIlBsZWFzZSBsb2cgaW4gdG8gYWNjZXNzIHRoaXMgcGFnZS4iXX1dfQ.ZVPxAA.YpTVgF6wFpPpyMWfQmUhTdrPWOY; HttpOnly; Path=/"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"http://localhost/login?next=http%3A%2F%2Fother.example%2Fsecret%3Fx%3D1\">http://localhost/login?next=http%3A%2F%2Fother.example%2Fsecret%3Fx%3D1</a>. If not, click the link.\n",
        },
    ],
};

// gen_login_vectors.py an absolute login_view on another host: next is the full URL
const LOGIN_VIEW_OTHER_HOST: Scenario = Scenario {
    opts: Opts { login_view: Some("https://auth.example.com/login?x=1#frag"), ..BASE },
    steps: &[
        Step {
            label: "redirect",
            now: T0,
            method: "GET",
            target: "/secret?x=1",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 302,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "363"),
                ("Location", "https://auth.example.com/login?x=1&next=http%3A%2F%2Flocalhost%2Fsecret%3Fx%3D1#frag"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=eyJfZmxhc2hlcyI6W3siIHQiOlsibWVzc2FnZSIsIlBsZWFzZSBsb2cgaW4gdG8gYWNjZXNzIHRoaXMgcGFnZS4iXX1dfQ.ZVPxAA.YpTVgF6wFpPpyMWfQmUhTdrPWOY; HttpOnly; Path=/"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"https://auth.example.com/login?x=1&amp;next=http%3A%2F%2Flocalhost%2Fsecret%3Fx%3D1#frag\">https://auth.example.com/login?x=1&amp;next=http%3A%2F%2Flocalhost%2Fsecret%3Fx%3D1#frag</a>. If not, click the link.\n",
        },
    ],
};

// gen_login_vectors.py FORCE_HOST_FOR_REDIRECTS
const LOGIN_VIEW_FORCE_HOST: Scenario = Scenario {
    opts: Opts { login_view: Some("/login"), config: &[("FORCE_HOST_FOR_REDIRECTS", C::Str("example.com"))], ..BASE },
    steps: &[
        Step {
            label: "redirect",
            now: T0,
            method: "GET",
            target: "/secret?x=1",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 302,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "271"),
                ("Location", "//example.com/login?next=%2Fsecret%3Fx%3D1"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=eyJfZmxhc2hlcyI6W3siIHQiOlsibWVzc2FnZSIsIlBsZWFzZSBsb2cgaW4gdG8gYWNjZXNzIHRoaXMgcGFnZS4iXX1dfQ.ZVPxAA.YpTVgF6wFpPpyMWfQmUhTdrPWOY; HttpOnly; Path=/"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"//example.com/login?next=%2Fsecret%3Fx%3D1\">//example.com/login?next=%2Fsecret%3Fx%3D1</a>. If not, click the link.\n",
        },
    ],
};

// gen_login_vectors.py use_session_for_next()
const USE_SESSION_FOR_NEXT: Scenario = Scenario {
    opts: Opts { login_view: Some("/login"), config: &[("USE_SESSION_FOR_NEXT", C::Bool(true))], ..BASE },
    steps: &[
        Step {
            label: "next and _id go into the session; bare login URL",
            now: T0,
            method: "GET",
            target: "/secret?x=1",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 302,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "199"),
                ("Location", "/login"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwNj0tqAzEQBa8iem0Stf4yhFwh-2BMS_3GHpjYIZqFwfju0eotqhb1nnReNhlXDDp-P8nsc-gHY8gFdKCvDTJgtvvFrDez3430PqHZr-swv9N5o9PrdKDzqnSkFKBVkUpwFlV8EMs5abK9O4UslkNjr76WJfiq2cWC3iu3WpdcNHqJDclbtqGgqea49BAB8a7V2Nmi-dYQQ4ghVSmRGZmTcw6tZE0z-IbHvEDvA_0P--fjg-n1D0BWQ40.ZVPxAA.9eceNr-eh9QNtyxfA0vzloG1ov8; HttpOnly; Path=/"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"/login\">/login</a>. If not, click the link.\n",
        },
        Step {
            label: "again",
            now: T0 + 10,
            method: "GET",
            target: "/secret?x=2",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 302,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "199"),
                ("Location", "/login"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJydj0tqAzEQRK8iej0k-n8MIVfIPhjTUpfsgbEdolkYjO8enSGrWtQrePWkU994XDDo8P0ktc-gK8bgM2ihrw08oLb7Wa03td8VtzZLtV_WoX4m80bH1_LP3XGh0yp0oOghRRCztxqFnWdtUpSoW7MC7tr4apy4krt3RZINGa0VU0vpKUtwHCqi00b7jCqSQm8-AOxsLaEZjepqRfA--Fg4B2OQTLTWouYkcQrf8JgX6H2g_WL_fHxYev0B4jFWIA.ZVPxCg.17e3lrKkCZIUBLX8Cbh2exckJVk; HttpOnly; Path=/"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"/login\">/login</a>. If not, click the link.\n",
        },
    ],
};

// gen_login_vectors.py no_message()
const NO_MESSAGE: Scenario = Scenario {
    opts: Opts { login_view: Some("/login"), login_message: None, ..BASE },
    steps: &[
        Step {
            label: "no flash: the session is untouched",
            now: T0,
            method: "GET",
            target: "/secret",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 302,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "229"),
                ("Location", "/login?next=%2Fsecret"),
                ("Vary", "Cookie"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"/login?next=%2Fsecret\">/login?next=%2Fsecret</a>. If not, click the link.\n",
        },
    ],
};

// gen_login_vectors.py refresh_view()
const REFRESH_VIEW: Scenario = Scenario {
    opts: Opts { login_view: Some("/login"), refresh_view: Some("/reauth"), ..BASE },
    steps: &[
        Step {
            label: "login remembered",
            now: T0,
            method: "GET",
            target: "/login?user=1&remember=1",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Set-Cookie", "remember_token=1|f9dcf5cda81b88d1b0fe3c19fb3dfbd61496576af6872f5fbc11eb558e2c32694749fdb926da828ffc138ab600896cb900d0de10373b6a0cf349feaa5631d120; Expires=Wed, 13 Nov 2024 22:13:20 GMT; HttpOnly; Path=/"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzjsOAjEMBcC7pKaI409iLoPi-EXQ7kKFuDtIzAnmXW77wHkv1-fxwqXcHlmuxQTpCRvSKnyyzErd0upaLTF3JQniZB9b2LM3HVjLKdx3H6k8NWBcqcpAZHbdSxSY3MJ1UUVwBFRExXwOJUIna60hRk8rv8jrxPHfUPl8AdD1L0M.ZVPxAA.Ku5mMHLgBuVNviCmrMlEdl8eoCs; HttpOnly; Path=/"),
            ],
            body: "login True",
        },
        Step {
            label: "restored from the cookie, then /fresh redirects to refresh_view",
            now: T0 + 10,
            method: "GET",
            target: "/fresh",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Raw("remember_token=1|f9dcf5cda81b88d1b0fe3c19fb3dfbd61496576af6872f5fbc11eb558e2c32694749fdb926da828ffc138ab600896cb900d0de10373b6a0cf349feaa5631d120"),
            status: 302,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "229"),
                ("Location", "/reauth?next=%2Ffresh"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwNjEsKhDAQBa_SvLUMuM0pZj-INPFpAvFDul2Jd59eFQVFPZjXplZoSL8H4gHsNNONGPBtVKN06u2Fh9esTvFTNOeIxEs1uaL9YHqnIWadVpBWbcbQ29jnuiBhxPsH9OslDA.ZVPxCg.2PGuvsIFGF-YGq_souZkTiti1zo; HttpOnly; Path=/"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"/reauth?next=%2Ffresh\">/reauth?next=%2Ffresh</a>. If not, click the link.\n",
        },
        Step {
            label: "anonymous /fresh goes to the login view",
            now: T0 + 20,
            method: "GET",
            target: "/fresh",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Nothing,
            status: 302,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "227"),
                ("Location", "/login?next=%2Ffresh"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=eyJfZmxhc2hlcyI6W3siIHQiOlsibWVzc2FnZSIsIlBsZWFzZSBsb2cgaW4gdG8gYWNjZXNzIHRoaXMgcGFnZS4iXX1dfQ.ZVPxFA.OY4f90Dxvhj9sf7v7ynHFXKgDCA; HttpOnly; Path=/"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"/login?next=%2Ffresh\">/login?next=%2Ffresh</a>. If not, click the link.\n",
        },
    ],
};

// gen_login_vectors.py handler()
const HANDLER: Scenario = Scenario {
    opts: Opts { unauthorized_text: Some("Unauthorized"), request_loader: true, ..BASE },
    steps: &[
        Step {
            label: "unauthorized_handler's string is a 200",
            now: T0,
            method: "GET",
            target: "/secret",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "12"),
                ("Vary", "Cookie"),
            ],
            body: "Unauthorized",
        },
        Step {
            label: "the request loader logs X-Token 2 in for this request",
            now: T0 + 10,
            method: "GET",
            target: "/secret",
            headers: &[("User-Agent", "Mozilla/5.0 Test"), ("X-Token", "2")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "8"),
                ("Vary", "Cookie"),
            ],
            body: "secret 2",
        },
        Step {
            label: "the request loader's KeyError is a 400",
            now: T0 + 20,
            method: "GET",
            target: "/secret",
            headers: &[("User-Agent", "Mozilla/5.0 Test"), ("X-Token", "boom")],
            form: &[],
            send: Send::Jar,
            status: 400,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "167"),
                ("Vary", "Cookie"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n<p>The browser (or proxy) sent a request that this server could not understand.</p>\n",
        },
        Step {
            label: "the request loader's None is unauthorized",
            now: T0 + 30,
            method: "GET",
            target: "/secret",
            headers: &[("User-Agent", "Mozilla/5.0 Test"), ("X-Token", "nobody")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "12"),
                ("Vary", "Cookie"),
            ],
            body: "Unauthorized",
        },
        Step {
            label: "a user from the session wins over the request loader",
            now: T0 + 40,
            method: "GET",
            target: "/login?user=1",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "10"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzjsOAjEMBcC7pKaI409iLoPi-EXQ7kKFuDtIzAnmXW77wHkv1-fxwqXcHlmuxQTpCRvSKnyyzErd0upaLTF3JQniZB9b2LM3HVjLKdx3H6k8NWBcqcpAZHbdSxSY3MJ1UUVwBFRExXwOJUIna60hRk8rv8jrxPHfUPl8AdD1L0M.ZVPxKA.auAnx4EHA_mn1AL3tfWS5gvvyhk; HttpOnly; Path=/"),
            ],
            body: "login True",
        },
        Step {
            label: "session user",
            now: T0 + 50,
            method: "GET",
            target: "/secret",
            headers: &[("User-Agent", "Mozilla/5.0 Test"), ("X-Token", "boom")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "8"),
                ("Vary", "Cookie"),
            ],
            body: "secret 1",
        },
        Step {
            label: "a remember cookie wins over the request loader",
            now: T0 + 60,
            method: "GET",
            target: "/secret",
            headers: &[("User-Agent", "Mozilla/5.0 Test"), ("X-Token", "boom")],
            form: &[],
            send: Send::Raw("remember_token=2|92098cef2df486b2934da57aa37fbed6033f2cd13e1a442b60b346dc0956fe784d98d4ebe6ff056a46dd15057aeb370b15e366bf9b34559a9c10b163c2a84808"),
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "8"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=eyJfZnJlc2giOmZhbHNlLCJfdXNlcl9pZCI6IjIifQ.ZVPxPA.f-1aHdWkTay44FXzixl8ht-4jRY; HttpOnly; Path=/"),
            ],
            body: "secret 2",
        },
        Step {
            label: "logout runs the loaders too (here: the 400)",
            now: T0 + 70,
            method: "GET",
            target: "/logout",
            headers: &[("User-Agent", "Mozilla/5.0 Test"), ("X-Token", "boom")],
            form: &[],
            send: Send::Nothing,
            status: 400,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "167"),
                ("Vary", "Cookie"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n<p>The browser (or proxy) sent a request that this server could not understand.</p>\n",
        },
    ],
};

// gen_login_vectors.py login_disabled()
const LOGIN_DISABLED: Scenario = Scenario {
    opts: Opts {
        config: &[("LOGIN_DISABLED", C::Bool(true))],
        ..BASE
    },
    steps: &[Step {
        label: "LOGIN_DISABLED lets the anonymous user in",
        now: T0,
        method: "GET",
        target: "/secret",
        headers: &[("User-Agent", "Mozilla/5.0 Test")],
        form: &[],
        send: Send::Jar,
        status: 200,
        response: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "11"),
            ("Vary", "Cookie"),
        ],
        body: "secret None",
    }],
};

// gen_login_vectors.py no_secret()
const NO_SECRET: Scenario = Scenario {
    opts: Opts { secret: None, ..BASE },
    steps: &[
        Step {
            label: "no secret key: a null session is never saved, no Vary",
            now: T0,
            method: "GET",
            target: "/plain",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "5"),
            ],
            body: "plain",
        },
        Step {
            label: "anonymous",
            now: T0 + 10,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "28"),
            ],
            body: "whoami False None fresh=None",
        },
        Step {
            label: "login writes to the null session: a 500",
            now: T0 + 20,
            method: "GET",
            target: "/login?user=1",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 500,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "265"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>\n",
        },
        Step {
            label: "a remember cookie needs the key: a 500",
            now: T0 + 30,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Raw("remember_token=1|abc"),
            status: 500,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "265"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>\n",
        },
    ],
};

// gen_login_vectors.py options_exempt()
const OPTIONS_EXEMPT: Scenario = Scenario {
    opts: Opts { ..BASE },
    steps: &[
        Step {
            label: "a route that lists OPTIONS: login_required lets OPTIONS through to the view",
            now: T0,
            method: "OPTIONS",
            target: "/opts",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "4"),
                ("Vary", "Cookie"),
            ],
            body: "opts",
        },
        Step {
            label: "GET on it is checked",
            now: T0 + 10,
            method: "GET",
            target: "/opts",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 401,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "317"),
                ("Vary", "Cookie"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>401 Unauthorized</title>\n<h1>Unauthorized</h1>\n<p>The server could not verify that you are authorized to access the URL requested. You either supplied the wrong credentials (e.g. a bad password), or your browser doesn&#39;t understand how to supply the credentials required.</p>\n",
        },
    ],
};

// gen_login_vectors.py bad_cookie_setting(): REMEMBER_COOKIE_SAMESITE 'sometimes' (ValueError)
const BAD_SAMESITE: Scenario = Scenario {
    opts: Opts { config: &[("REMEMBER_COOKIE_SAMESITE", C::Str("sometimes"))], ..BASE },
    steps: &[
        Step {
            label: "the hook raises while setting the remember cookie: a 500, and the session is still saved",
            now: T0,
            method: "GET",
            target: "/login?user=1&remember=1",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 500,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "265"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzjsOAjEMBcC7pKaI409iLoPi-EXQ7kKFuDtIzAnmXW77wHkv1-fxwqXcHlmuxQTpCRvSKnyyzErd0upaLTF3JQniZB9b2LM3HVjLKdx3H6k8NWBcqcpAZHbdSxSY3MJ1UUVwBFRExXwOJUIna60hRk8rv8jrxPHfUPl8AdD1L0M.ZVPxAA.Ku5mMHLgBuVNviCmrMlEdl8eoCs; HttpOnly; Path=/"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>\n",
        },
        Step {
            label: "without remember the hook has nothing to set",
            now: T0 + 10,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "24"),
                ("Vary", "Cookie"),
            ],
            body: "whoami True 1 fresh=True",
        },
    ],
};

// gen_login_vectors.py bad_cookie_setting(): REMEMBER_COOKIE_DURATION 'a year' (not a timedelta)
const BAD_DURATION: Scenario = Scenario {
    opts: Opts { config: &[("REMEMBER_COOKIE_DURATION", C::Str("a year"))], ..BASE },
    steps: &[
        Step {
            label: "the hook raises while setting the remember cookie: a 500, and the session is still saved",
            now: T0,
            method: "GET",
            target: "/login?user=1&remember=1",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 500,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "265"),
                ("Vary", "Cookie"),
                ("Set-Cookie", "session=.eJwlzjsOAjEMBcC7pKaI409iLoPi-EXQ7kKFuDtIzAnmXW77wHkv1-fxwqXcHlmuxQTpCRvSKnyyzErd0upaLTF3JQniZB9b2LM3HVjLKdx3H6k8NWBcqcpAZHbdSxSY3MJ1UUVwBFRExXwOJUIna60hRk8rv8jrxPHfUPl8AdD1L0M.ZVPxAA.Ku5mMHLgBuVNviCmrMlEdl8eoCs; HttpOnly; Path=/"),
            ],
            body: "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>\n",
        },
        Step {
            label: "without remember the hook has nothing to set",
            now: T0 + 10,
            method: "GET",
            target: "/whoami",
            headers: &[("User-Agent", "Mozilla/5.0 Test")],
            form: &[],
            send: Send::Jar,
            status: 200,
            response: &[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "24"),
                ("Vary", "Cookie"),
            ],
            body: "whoami True 1 fresh=True",
        },
    ],
};

// gen_login_vectors.py seed_000() on seed_000_login() (secret 'CODINGNINJAS')
const SEED_000_LOGIN: &[Step] = &[
    Step {
        label: "protected without a login: the handler's 'Unauthorized' (a 200)",
        now: T0,
        method: "GET",
        target: "/protected",
        headers: &[("User-Agent", "Mozilla/5.0 Test")],
        form: &[],
        send: Send::Jar,
        status: 200,
        response: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "12"),
            ("Vary", "Cookie"),
        ],
        body: "Unauthorized",
    },
        Step {
        label: "the login form",
        now: T0 + 10,
        method: "GET",
        target: "/login",
        headers: &[("User-Agent", "Mozilla/5.0 Test")],
        form: &[],
        send: Send::Jar,
        status: 200,
        response: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "342"),
            ("Vary", "Cookie"),
        ],
        body: "\n                   <form action='login' method='POST'>\n                    <input type='text' name='email' id='email' placeholder='email'/>\n                    <input type='password' name='password' id='password' placeholder='password'/>\n                    <input type='submit' name='submit'/>\n                   </form>\n                   ",
    },
        Step {
        label: "HEAD /login is not 'GET' to the view: the POST branch, a 400",
        now: T0 + 15,
        method: "HEAD",
        target: "/login",
        headers: &[("User-Agent", "Mozilla/5.0 Test")],
        form: &[],
        send: Send::Jar,
        status: 400,
        response: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "167"),
            ("Vary", "Cookie"),
        ],
        body: "",
    },
        Step {
        label: "wrong password",
        now: T0 + 20,
        method: "POST",
        target: "/login",
        headers: &[("User-Agent", "Mozilla/5.0 Test")],
        form: &[("email", "ninja@codingninjas.com"), ("password", "nope")],
        send: Send::Jar,
        status: 200,
        response: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "12"),
            ("Vary", "Cookie"),
        ],
        body: "Login failed",
    },
        Step {
        label: "unknown email: students[email] raises KeyError, a 500",
        now: T0 + 30,
        method: "POST",
        target: "/login",
        headers: &[("User-Agent", "Mozilla/5.0 Test")],
        form: &[("email", "who@example.com"), ("password", "ninja123")],
        send: Send::Jar,
        status: 500,
        response: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "265"),
            ("Vary", "Cookie"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>\n",
    },
        Step {
        label: "no password field: a 400",
        now: T0 + 40,
        method: "POST",
        target: "/login",
        headers: &[("User-Agent", "Mozilla/5.0 Test")],
        form: &[("email", "ninja@codingninjas.com")],
        send: Send::Jar,
        status: 400,
        response: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "167"),
            ("Vary", "Cookie"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n<p>The browser (or proxy) sent a request that this server could not understand.</p>\n",
    },
        Step {
        label: "no email field: a 400",
        now: T0 + 50,
        method: "POST",
        target: "/login",
        headers: &[("User-Agent", "Mozilla/5.0 Test")],
        form: &[("password", "ninja123")],
        send: Send::Jar,
        status: 400,
        response: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "167"),
            ("Vary", "Cookie"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n<p>The browser (or proxy) sent a request that this server could not understand.</p>\n",
    },
        Step {
        label: "right password: logged in, redirect to /protected",
        now: T0 + 60,
        method: "POST",
        target: "/login",
        headers: &[("User-Agent", "Mozilla/5.0 Test")],
        form: &[("email", "ninja@codingninjas.com"), ("password", "ninja123")],
        send: Send::Jar,
        status: 302,
        response: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "207"),
            ("Location", "/protected"),
            ("Vary", "Cookie"),
            ("Set-Cookie", "session=.eJwlzjEOwjAMAMC_ZEYoju0k7sRPUBw7UCRaqYUJ8XcQbDfeK5zH5vs1TI_t6Ydwni1MIZObmOdKKbo0pBahZMux92TeRgRSQEOpg1CsJK7eu4CKjFKNsbF6xgiRqqtZ4dGJ3RsmFe4QXVHVmYgpS6sM4AVySsm1FsvhG3nuvv03y7zc2qmvNi-Xn_djX-_h_QEWNDfG.ZVPxPA.KRKl0r969myFJEPr90Pupmigg34; HttpOnly; Path=/"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"/protected\">/protected</a>. If not, click the link.\n",
    },
        Step {
        label: "protected",
        now: T0 + 70,
        method: "GET",
        target: "/protected",
        headers: &[("User-Agent", "Mozilla/5.0 Test")],
        form: &[],
        send: Send::Jar,
        status: 200,
        response: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "36"),
            ("Vary", "Cookie"),
        ],
        body: "Logged in as: ninja@codingninjas.com",
    },
        Step {
        label: "another browser with the same cookie: basic protection marks it stale",
        now: T0 + 80,
        method: "GET",
        target: "/protected",
        headers: &[("User-Agent", "Other/1.0")],
        form: &[],
        send: Send::Jar,
        status: 200,
        response: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "36"),
            ("Vary", "Cookie"),
            ("Set-Cookie", "session=.eJwlzjEOwjAMAMC_ZEYoTuwk7sRPKjt2oAhaiYoJ8XcQbDfeK8zj4fslTENuux_CvFiYQkE3Ni8NU3SWjBKhFiux92QuIwIqZMvcBma2mqh57wzKPGozykLqJUeI2FzNKo2O5C45KVOH6JpVnRAJC0sjAK9QUkqurVoJ38hz98d_sy7rVU59s2U9_7wf-3YP7w9OOzgR.ZVPxUA.YEKA_l5dNg5HfjjA1hMuQTjHnyY; HttpOnly; Path=/"),
        ],
        body: "Logged in as: ninja@codingninjas.com",
    },
        Step {
        label: "logout",
        now: T0 + 90,
        method: "GET",
        target: "/logout",
        headers: &[("User-Agent", "Mozilla/5.0 Test")],
        form: &[],
        send: Send::Jar,
        status: 200,
        response: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "10"),
            ("Vary", "Cookie"),
            ("Set-Cookie", "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/"),
        ],
        body: "Logged out",
    },
        Step {
        label: "logged out",
        now: T0 + 100,
        method: "GET",
        target: "/protected",
        headers: &[("User-Agent", "Mozilla/5.0 Test")],
        form: &[],
        send: Send::Jar,
        status: 200,
        response: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "12"),
            ("Vary", "Cookie"),
        ],
        body: "Unauthorized",
    },
        Step {
        label: "request_loader with a known email and the right password: assigning is_authenticated raises AttributeError, a 500",
        now: T0 + 110,
        method: "GET",
        target: "/protected",
        headers: &[("User-Agent", "Mozilla/5.0 Test")],
        form: &[("email", "ninja@codingninjas.com"), ("password", "ninja123")],
        send: Send::Jar,
        status: 500,
        response: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "265"),
            ("Vary", "Cookie"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>\n",
    },
        Step {
        label: "request_loader with a known email and a wrong password: the same 500",
        now: T0 + 120,
        method: "GET",
        target: "/protected",
        headers: &[("User-Agent", "Mozilla/5.0 Test")],
        form: &[("email", "ninja@codingninjas.com"), ("password", "x")],
        send: Send::Jar,
        status: 500,
        response: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "265"),
            ("Vary", "Cookie"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>\n",
    },
        Step {
        label: "request_loader with a known email and no password: KeyError first, a 400",
        now: T0 + 130,
        method: "GET",
        target: "/protected",
        headers: &[("User-Agent", "Mozilla/5.0 Test")],
        form: &[("email", "ninja@codingninjas.com")],
        send: Send::Jar,
        status: 400,
        response: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "167"),
            ("Vary", "Cookie"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n<p>The browser (or proxy) sent a request that this server could not understand.</p>\n",
    },
        Step {
        label: "request_loader with an unknown email: None, so 'Unauthorized'",
        now: T0 + 140,
        method: "GET",
        target: "/protected",
        headers: &[("User-Agent", "Mozilla/5.0 Test")],
        form: &[("email", "who@example.com")],
        send: Send::Jar,
        status: 200,
        response: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "12"),
            ("Vary", "Cookie"),
        ],
        body: "Unauthorized",
    },
        Step {
        label: "a logged-in session wins: the request loader never runs",
        now: T0 + 150,
        method: "POST",
        target: "/login",
        headers: &[("User-Agent", "Mozilla/5.0 Test")],
        form: &[("email", "ninja@codingninjas.com"), ("password", "ninja123")],
        send: Send::Jar,
        status: 302,
        response: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "207"),
            ("Location", "/protected"),
            ("Vary", "Cookie"),
            ("Set-Cookie", "session=.eJwlzjEOwjAMAMC_ZEYoju0k7sRPUBw7UCRaqYUJ8XcQbDfeK5zH5vs1TI_t6Ydwni1MIZObmOdKKbo0pBahZMux92TeRgRSQEOpg1CsJK7eu4CKjFKNsbF6xgiRqqtZ4dGJ3RsmFe4QXVHVmYgpS6sM4AVySsm1FsvhG3nuvv03y7zc2qmvNi-Xn_djX-_h_QEWNDfG.ZVPxlg.IUJ-5XOjrNYDmT41ZEL0xI7cHJQ; HttpOnly; Path=/"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"/protected\">/protected</a>. If not, click the link.\n",
    },
        Step {
        label: "protected, with a form the request loader would choke on",
        now: T0 + 160,
        method: "GET",
        target: "/protected",
        headers: &[("User-Agent", "Mozilla/5.0 Test")],
        form: &[("email", "ninja@codingninjas.com")],
        send: Send::Jar,
        status: 200,
        response: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "36"),
            ("Vary", "Cookie"),
        ],
        body: "Logged in as: ninja@codingninjas.com",
    },
        Step {
        label: "logout with a form: logout_user loads the user from the session first",
        now: T0 + 170,
        method: "GET",
        target: "/logout",
        headers: &[("User-Agent", "Mozilla/5.0 Test")],
        form: &[("email", "ninja@codingninjas.com")],
        send: Send::Jar,
        status: 200,
        response: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "10"),
            ("Vary", "Cookie"),
            ("Set-Cookie", "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/"),
        ],
        body: "Logged out",
    },
        Step {
        label: "logout when logged out runs the request loader (here: the 400)",
        now: T0 + 180,
        method: "GET",
        target: "/logout",
        headers: &[("User-Agent", "Mozilla/5.0 Test")],
        form: &[("email", "ninja@codingninjas.com")],
        send: Send::Jar,
        status: 400,
        response: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "167"),
            ("Vary", "Cookie"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n<p>The browser (or proxy) sent a request that this server could not understand.</p>\n",
    },
        Step {
        label: "a remember cookie made with the app's key logs in (the tutorial never sets one)",
        now: T0 + 190,
        method: "GET",
        target: "/protected",
        headers: &[("User-Agent", "Mozilla/5.0 Test")],
        form: &[],
        send: Send::Raw("remember_token=ninja@codingninjas.com|ade15e1c8421ccd8d2091c08d605335107b3e23398d5b74eb6b8bc45fa232f01a9cf2aa8912dc062f65e8011fbdbd00012a364c024185e0e5fa1ce631eed5366"),
        status: 200,
        response: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "36"),
            ("Vary", "Cookie"),
            ("Set-Cookie", "session=eyJfZnJlc2giOmZhbHNlLCJfdXNlcl9pZCI6Im5pbmphQGNvZGluZ25pbmphcy5jb20ifQ.ZVPxvg.7OdKA8129jfYXF2nc_KGbt0dJ28; HttpOnly; Path=/"),
        ],
        body: "Logged in as: ninja@codingninjas.com",
    },
        Step {
        label: "logout with that cookie deletes it",
        now: T0 + 200,
        method: "GET",
        target: "/logout",
        headers: &[("User-Agent", "Mozilla/5.0 Test")],
        form: &[],
        send: Send::Raw("remember_token=ninja@codingninjas.com|ade15e1c8421ccd8d2091c08d605335107b3e23398d5b74eb6b8bc45fa232f01a9cf2aa8912dc062f65e8011fbdbd00012a364c024185e0e5fa1ce631eed5366"),
        status: 200,
        response: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "10"),
            ("Set-Cookie", "remember_token=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"),
            ("Vary", "Cookie"),
            ("Set-Cookie", "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/"),
        ],
        body: "Logged out",
    },
];
