//! Flask-Login (src/engine/flask_login.rs) driven through `App::serve`, compared with what
//! REAL Flask 3.1.3 + Flask-Login 0.6.3 send for the same requests at the same (frozen) clock.
//!
//! Every expected status, header list and body comes from tests/fixtures/login.json, written by
//! real Flask: `tests/fixtures/generate.py` runs the Flask twin `twin(opts)` of [`twin_app`]
//! below (in `tests/fixtures/login.py`) and `seed_000_login()`, the twin of
//! src/engine/apps/seed_000_login.rs (in `tests/interop/flask_twins.py`), under a frozen clock, and its `--check` (part of `make test`)
//! proves the file is still what Flask makes. Each table records the `opts` its twin was built
//! with, and [`twin_app`] is built from the same record. Nothing here was copied from this
//! crate's output. The tables are read and run by the shared harness in tests/common/mod.rs.
//!
//! The browser in both languages is the same cookie jar (`NamedJar` in
//! tests/fixtures/harness.py): it keeps the latest value of every cookie by name (as sent,
//! quotes included), forgets one on `Max-Age=0`, and sends them all, sorted by name, in one
//! `Cookie` header after the step's own headers. Request headers are listed per step; a step
//! without a `User-Agent` has none.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{Jar, Opts, Step, Table};
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

/// Every table of login.json this file runs, in the file's order.
const TABLES: &[&str] = &[
    BASIC,
    REMEMBER,
    REMEMBER_CONFIG,
    REFRESH_EACH_REQUEST,
    STRONG,
    STRONG_BY_ATTRIBUTE,
    PROTECTION_OFF,
    PROTECTION_UNKNOWN,
    LOGIN_VIEW,
    LOGIN_VIEW_WITH_QUERY,
    LOGIN_VIEW_SAME_HOST,
    LOGIN_VIEW_OTHER_HOST,
    LOGIN_VIEW_FORCE_HOST,
    USE_SESSION_FOR_NEXT,
    NO_MESSAGE,
    REFRESH_VIEW,
    HANDLER,
    LOGIN_DISABLED,
    NO_SECRET,
    OPTIONS_EXEMPT,
    BAD_SAMESITE,
    BAD_DURATION,
    SEED_000_LOGIN,
];
const BASIC: &str = "BASIC";
const REMEMBER: &str = "REMEMBER";
const REMEMBER_CONFIG: &str = "REMEMBER_CONFIG";
const REFRESH_EACH_REQUEST: &str = "REFRESH_EACH_REQUEST";
const STRONG: &str = "STRONG";
const STRONG_BY_ATTRIBUTE: &str = "STRONG_BY_ATTRIBUTE";
const PROTECTION_OFF: &str = "PROTECTION_OFF";
const PROTECTION_UNKNOWN: &str = "PROTECTION_UNKNOWN";
const LOGIN_VIEW: &str = "LOGIN_VIEW";
const LOGIN_VIEW_WITH_QUERY: &str = "LOGIN_VIEW_WITH_QUERY";
const LOGIN_VIEW_SAME_HOST: &str = "LOGIN_VIEW_SAME_HOST";
const LOGIN_VIEW_OTHER_HOST: &str = "LOGIN_VIEW_OTHER_HOST";
const LOGIN_VIEW_FORCE_HOST: &str = "LOGIN_VIEW_FORCE_HOST";
const USE_SESSION_FOR_NEXT: &str = "USE_SESSION_FOR_NEXT";
const NO_MESSAGE: &str = "NO_MESSAGE";
const REFRESH_VIEW: &str = "REFRESH_VIEW";
const HANDLER: &str = "HANDLER";
const LOGIN_DISABLED: &str = "LOGIN_DISABLED";
const NO_SECRET: &str = "NO_SECRET";
const OPTIONS_EXEMPT: &str = "OPTIONS_EXEMPT";
const BAD_SAMESITE: &str = "BAD_SAMESITE";
const BAD_DURATION: &str = "BAD_DURATION";
const SEED_000_LOGIN: &str = "SEED_000_LOGIN";

/// A table of login.json.
fn table(name: &str) -> &'static Table {
    common::login().table(name)
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

/// The Rust twin of the generator's `twin(opts)` (tests/fixtures/login.py), built from the
/// `opts` login.json records for each table.
fn twin_app(opts: &Opts) -> App {
    let mut app = App::new("login_twin");
    if let Some(secret) = &opts.secret {
        app.config
            .set("SECRET_KEY", ConfigValue::Str(secret.clone()))
            .unwrap();
    }
    for (key, value) in &opts.config {
        app.config
            .set(key, value.into())
            .unwrap_or_else(|e| panic!("config {key} = {value:?}: {e:?}"));
    }
    let mut lm = LoginManager::new();
    lm.login_view = opts.login_view.clone();
    lm.refresh_view = opts.refresh_view.clone();
    lm.session_protection = opts.protection.clone();
    lm.login_message = opts.login_message.clone();
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
    if let Some(text) = opts.unauthorized_text.clone() {
        lm.unauthorized_handler(move |_| Ok(Response::html(text.clone())));
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

/// Runs the steps of a table through the app, comparing every response with Flask's.
fn run(app: &App, name: &str) -> Vec<Response> {
    common::run(app, table(name))
        .into_iter()
        .map(|h| h.response)
        .collect()
}

/// Runs a twin table through the twin app built from its `opts`.
fn run_scenario(name: &str) -> Vec<Response> {
    run(&twin_app(table(name).opts()), name)
}

fn step(name: &str, label: &str) -> &'static Step {
    table(name).step(label)
}

fn set_cookie<'a>(st: &'a Step, name: &str) -> Option<&'a str> {
    st.set_cookie(name)
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

#[test]
fn every_table_of_login_json_is_run_here() {
    common::login().assert_tables_are(TABLES);
}

// ---------------------------------------------------------------------------------------------
// The Flask tables, step by step

#[test]
fn basic_matches_flask() {
    run_scenario(BASIC);
}

#[test]
fn remember_matches_flask() {
    run_scenario(REMEMBER);
}

#[test]
fn remember_config_matches_flask() {
    run_scenario(REMEMBER_CONFIG);
}

#[test]
fn refresh_each_request_matches_flask() {
    run_scenario(REFRESH_EACH_REQUEST);
}

#[test]
fn strong_protection_matches_flask() {
    run_scenario(STRONG);
    run_scenario(STRONG_BY_ATTRIBUTE);
}

#[test]
fn protection_off_matches_flask() {
    run_scenario(PROTECTION_OFF);
    run_scenario(PROTECTION_UNKNOWN);
}

#[test]
fn login_view_redirects_match_flask() {
    for s in [
        LOGIN_VIEW,
        LOGIN_VIEW_WITH_QUERY,
        LOGIN_VIEW_SAME_HOST,
        LOGIN_VIEW_OTHER_HOST,
        LOGIN_VIEW_FORCE_HOST,
        USE_SESSION_FOR_NEXT,
        NO_MESSAGE,
        REFRESH_VIEW,
    ] {
        run_scenario(s);
    }
}

/// Flask runs the view for OPTIONS when the route lists OPTIONS itself, and sends its length.
#[test]
fn options_exempt_matches_flask() {
    run_scenario(OPTIONS_EXEMPT);
}

#[test]
fn options_exempt_matches_flask_except_content_length() {
    let t = table(OPTIONS_EXEMPT);
    let app = twin_app(t.opts());
    for st in &t.steps {
        // Each step from an empty jar.
        let r = app.handle(&Jar::new(t.jar).request(st), st.now);
        assert_eq!(
            (r.status, r.body.as_str()),
            (st.status, st.body.as_str()),
            "{}",
            st.label
        );
        let strip = |h: Vec<(String, String)>| -> Vec<(String, String)> {
            h.into_iter()
                .filter(|(k, _)| k != "Content-Length")
                .collect()
        };
        assert_eq!(strip(r.headers), strip(st.response.clone()), "{}", st.label);
    }
}

#[test]
fn handlers_and_loaders_match_flask() {
    run_scenario(HANDLER);
    run_scenario(LOGIN_DISABLED);
}

#[test]
fn failures_match_flask() {
    let r = run_scenario(NO_SECRET);
    assert!(r[2].log[0].contains("no secret key"), "{:?}", r[2].log);
    assert!(r[3].log[0].contains("TypeError: key"), "{:?}", r[3].log);
    let r = run_scenario(BAD_SAMESITE);
    assert!(
        r[0].log[0].contains("ValueError: SameSite"),
        "{:?}",
        r[0].log
    );
    let r = run_scenario(BAD_DURATION);
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
    let i = table(SEED_000_LOGIN)
        .index_starting_with("request_loader with a known email and the right");
    assert!(responses[i].log[0].contains("AttributeError: property 'is_authenticated'"));
    let i = table(SEED_000_LOGIN).index_starting_with("unknown email");
    assert!(responses[i].log[0].contains("KeyError: 'who@example.com'"));
}

// ---------------------------------------------------------------------------------------------
// What the tables show (so a regenerated table cannot silently lose a case)

/// The session keys of docs/flask-sessions.md §4.1.
#[test]
fn the_tables_show_the_session_keys_of_formats_4_1() {
    let st = step(BASIC, "login sets _fresh, _id and _user_id");
    let s = session_of(st, "dev-secret");
    assert_eq!(s.get("_fresh"), Some(&Value::Bool(true)));
    assert_eq!(s.get("_user_id"), Some(&Value::from("1")));
    assert_eq!(
        s.get("_id"),
        Some(&Value::from(session_identifier(&ua_request())))
    );
    assert_eq!(s.len(), 3);

    let st = step(
        BASIC,
        "another User-Agent: basic protection marks the session stale and keeps the user",
    );
    assert_eq!(
        session_of(st, "dev-secret").get("_fresh"),
        Some(&Value::Bool(false))
    );
    assert_eq!(st.body, "whoami True 1 fresh=False");

    // A remember-cookie login stores _user_id and _fresh=False, and no _id.
    let st = step(
        REMEMBER,
        "only the remember cookie: the user is restored, stale, without _id",
    );
    let s = session_of(st, "dev-secret");
    assert_eq!(s.keys().collect::<Vec<_>>(), ["_fresh", "_user_id"]);

    // duration= keeps _remember_seconds (a float) in the session; _remember itself is popped.
    let st = step(
        REMEMBER,
        "login with remember and duration=60: _remember_seconds stays in the session",
    );
    let s = session_of(st, "dev-secret");
    assert_eq!(s.get("_remember_seconds"), Some(&Value::Float(60.0)));
    assert!(!s.contains_key("_remember"));

    // unauthorized() with a login_view flashes the message as a ('message', ...) tuple.
    let st = step(LOGIN_VIEW, "a second redirect appends to _flashes");
    let flash = Value::Tuple(vec!["message".into(), LOGIN_MESSAGE.into()]);
    assert_eq!(
        session_of(st, "dev-secret").get("_flashes"),
        Some(&Value::List(vec![flash.clone(), flash]))
    );
    let st = step(
        USE_SESSION_FOR_NEXT,
        "next and _id go into the session; bare login URL",
    );
    assert_eq!(
        session_of(st, "dev-secret").get("next"),
        Some(&Value::from("/secret?x=1"))
    );
}

/// The remember cookie of docs/flask-sessions.md §4.2.
#[test]
fn the_tables_show_the_remember_cookie_of_formats_4_2() {
    let key = b"dev-secret";
    let st = step(REMEMBER, "login with remember: remember_token for 365 days");
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
        REMEMBER,
        "logout with a remember cookie deletes it (Domain/Path only)",
    );
    assert_eq!(
        set_cookie(st, "remember_token"),
        Some("remember_token=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/")
    );
    // Strong protection after a remember-cookie login: the quirk of docs/flask-sessions.md §4.4.
    let st = step(
        STRONG,
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
