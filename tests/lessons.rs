//! Scenarios, lessons and the generated Flask code.
//!
//! - Every scenario has a lesson with at least three steps, none done on an empty log.
//! - Each scenario's main flow is driven through `Lab` (the clock moved with `now`), and after
//!   every action the steps done so far must be exactly the first N of the lesson.
//! - `flask_code` names every route of the scenario's app and reflects each setting. Every
//!   generated program is compiled by CPython from the project's Flask virtual environment
//!   (`target/flask-venv`, made by `make test`), and each one is run under Flask's test client
//!   against the same requests as the engine's app: status, `Location` and the kind of each
//!   `Set-Cookie` must agree. Without the environment those tests fail and say how to make it.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::run_python;

use session_lab::client::jar::Jar;
use session_lab::engine::apps::Services;
use session_lab::engine::flask::app::App;
use session_lab::engine::flask::config::ConfigValue;
use session_lab::engine::flask::sessions::InterfaceKind;
use session_lab::engine::py::secrets::SeededRng;
use session_lab::engine::py::value::Value;
use session_lab::engine::werkzeug::wrappers::{Request, Response};
use session_lab::lab::flask_code::Settings;
use session_lab::lab::lesson::{progress, Lesson};
use session_lab::lab::scenarios::{by_id, Scenario, ALL};
use session_lab::lab::{BrowserId, Exchange, Lab};

const T0: i64 = 1_700_000_000;
const MAIN: BrowserId = BrowserId::Main;

const FREE_PLAY: &str = "free-play";

fn scenario(id: &str) -> &'static Scenario {
    by_id(id).unwrap_or_else(|| panic!("no scenario {id}"))
}

fn lesson(id: &str) -> Lesson {
    scenario(id).lesson()
}

fn flask_code(id: &str, settings: &Settings) -> String {
    scenario(id).flask_code(settings)
}

/// The settings the scenario's app runs with.
fn own_settings(id: &str) -> Settings {
    scenario(id).settings()
}

fn services() -> Services {
    Services::in_memory(Box::new(SeededRng::new(1)))
}

fn build(name: &str) -> App {
    scenario(name).build(services()).expect("it starts")
}

fn lab(name: &str) -> Lab<Jar> {
    Lab::new(build(name), Jar::new())
}

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// How many steps are done; they must be the first ones of the lesson.
fn ticked(lesson: &Lesson, log: &[Exchange]) -> usize {
    let p = progress(lesson, log);
    let n = p.iter().take_while(|(_, done)| *done).count();
    assert!(
        p[n..].iter().all(|(_, done)| !done),
        "steps ticked out of order: {p:?}"
    );
    n
}

/// Asserts that exactly the first `n` steps are done, naming the last one expected.
fn expect(lesson: &Lesson, log: &[Exchange], n: usize) {
    let done = ticked(lesson, log);
    let name = |i: usize| lesson.steps.get(i).map_or("(none)", |s| s.id);
    assert_eq!(
        done,
        n,
        "expected steps up to {:?} done, got up to {:?}",
        name(n.wrapping_sub(1)),
        name(done.wrapping_sub(1))
    );
}

// ---------------------------------------------------------------------------------------------
// Shape.

#[test]
fn every_scenario_has_a_lesson_with_steps_and_myths() {
    for s in ALL {
        let l = lesson(s.id);
        assert!(l.steps.len() >= 3, "{}: {} steps", s.id, l.steps.len());
        assert!(!l.intro.is_empty(), "{}", s.id);
        assert!(!l.myths.is_empty(), "{}: no myths", s.id);
        let mut ids: Vec<&str> = l.steps.iter().map(|st| st.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), l.steps.len(), "{}: duplicate step ids", s.id);
        for step in &l.steps {
            assert!(
                !(step.done)(&[]),
                "{}: {} is done on an empty log",
                s.id,
                step.id
            );
            assert!(!step.todo.is_empty() && !step.watch.is_empty() && !step.why.is_empty());
        }
        for myth in &l.myths {
            assert!(
                myth.claim.starts_with("Tutorial 00") || myth.claim.starts_with("A common"),
                "{}: unattributed claim {:?}",
                s.id,
                myth.claim
            );
            // A myth that points at a step names one that exists in this lesson, or another
            // scenario's, or a panel.
            if let Some(rest) = myth.shown_by.strip_prefix("Step \"") {
                let step = rest.split('"').next().unwrap();
                let here = l.steps.iter().any(|st| st.id == step);
                let elsewhere = myth.shown_by.contains(" of seed-");
                assert!(here || elsewhere, "{}: no step {step:?}", s.id);
            }
        }
        assert_eq!(progress(&l, &[]).len(), l.steps.len());
    }
    assert!(by_id("no-such-scenario").is_none());
}

#[test]
fn the_required_myths_are_covered() {
    let claims = |id: &str| -> String {
        lesson(id)
            .myths
            .iter()
            .map(|m| format!("{} => {}\n", m.claim, m.truth))
            .collect()
    };
    for (id, tutorial) in [
        ("seed-001", "001"),
        ("seed-002", "002"),
        ("seed-003", "003"),
    ] {
        let text = claims(id);
        assert!(text.contains(&format!("Tutorial {tutorial}")), "{id}");
        assert!(text.contains("encrypt"), "{id}: the 'encrypted' myth");
    }
    let m000 = claims("seed-000");
    assert!(m000.contains("None") && m000.contains("session.name") && m000.contains("\"file\""));
    assert!(claims("seed-000-misspelled").contains("SESSION_TYPE: null"));
    assert!(claims("seed-001").contains("from the server"));
    assert!(claims("seed-002").contains("405"));
    assert!(claims("seed-003").contains("cross-site scripting"));
    for variant in [
        "client-temp",
        "server-temp",
        "client-persist",
        "server-persist",
    ] {
        assert!(
            claims(&format!("seed-004-{variant}")).contains("open redirect"),
            "{variant}"
        );
    }
    assert!(claims("seed-004-client-temp").contains("31 days"));
    assert!(claims("seed-004-server-temp").contains("PERMANENT_SESSION_LIFETIME (31 days)"));
}

// ---------------------------------------------------------------------------------------------
// Flows.

#[test]
fn seed_000_flow() {
    let l = lesson("seed-000");
    let mut lab = lab("seed-000");
    lab.navigate(MAIN, "/", T0);
    expect(&l, &lab.log, 1);
    lab.submit(MAIN, "POST", "/login", &fields(&[("name", "ada")]), T0 + 5);
    // The redirect to / is answered 200 in the same action: "no-greeting" ticks with it.
    expect(&l, &lab.log, 3);
    assert!(lab
        .log
        .last()
        .unwrap()
        .response
        .body
        .contains("Nobody is registered"));
    lab.navigate(MAIN, "/logout", T0 + 10);
    expect(&l, &lab.log, 4);
    lab.restart_browser(MAIN);
    lab.navigate(MAIN, "/", T0 + 20);
    expect(&l, &lab.log, 5);
}

#[test]
fn seed_000_misspelled_refuses_to_start_and_its_steps_follow_the_fixed_app() {
    let services = Services::in_memory(Box::new(SeededRng::new(1)));
    let err = scenario("seed-000-misspelled").build(services).unwrap_err();
    assert_eq!(
        err.to_string(),
        "ValueError: Unrecognized value for SESSION_TYPE: null"
    );
    let l = lesson("seed-000-misspelled");
    let mut lab = lab("seed-000");
    lab.navigate(MAIN, "/", T0);
    expect(&l, &lab.log, 1);
    lab.submit(MAIN, "POST", "/login", &fields(&[("name", "ada")]), T0);
    expect(&l, &lab.log, 3);
}

#[test]
fn seed_000_login_flow() {
    let l = lesson("seed-000-login");
    let mut lab = lab("seed-000-login");
    lab.navigate(MAIN, "/protected", T0);
    expect(&l, &lab.log, 1);
    lab.navigate(MAIN, "/login", T0);
    expect(&l, &lab.log, 1);
    let wrong = fields(&[("email", "ninja@codingninjas.com"), ("password", "nope")]);
    lab.submit(MAIN, "POST", "/login", &wrong, T0);
    expect(&l, &lab.log, 1);
    let right = fields(&[
        ("email", "ninja@codingninjas.com"),
        ("password", "ninja123"),
    ]);
    lab.submit(MAIN, "POST", "/login", &right, T0);
    expect(&l, &lab.log, 3);
    let protected = lab.log.last().unwrap();
    assert!(protected.set_cookies().is_empty(), "{protected:?}");
    lab.navigate(MAIN, "/logout", T0);
    expect(&l, &lab.log, 4);
}

#[test]
fn seed_001_flow() {
    let l = lesson("seed-001");
    let mut lab = lab("seed-001");
    lab.navigate(MAIN, "/getsession", T0);
    expect(&l, &lab.log, 0);
    lab.navigate(MAIN, "/setsession", T0);
    expect(&l, &lab.log, 1);
    lab.navigate(MAIN, "/getsession", T0);
    expect(&l, &lab.log, 2);
    lab.open_second(Jar::new());
    lab.navigate(BrowserId::Second, "/getsession", T0);
    expect(&l, &lab.log, 3);
    lab.navigate(MAIN, "/popsession", T0);
    expect(&l, &lab.log, 4);
    lab.navigate(MAIN, "/getsession", T0);
    expect(&l, &lab.log, 5);
}

#[test]
fn seed_002_flow() {
    let l = lesson("seed-002");
    let mut lab = lab("seed-002");
    lab.navigate(MAIN, "/profile", T0);
    expect(&l, &lab.log, 0);
    lab.navigate(MAIN, "/", T0);
    expect(&l, &lab.log, 1);
    lab.navigate(MAIN, "/profile", T0 + 60);
    expect(&l, &lab.log, 2);
    lab.navigate(MAIN, "/logout", T0 + 70);
    expect(&l, &lab.log, 3);
    lab.navigate(MAIN, "/dashboard", T0 + 80);
    expect(&l, &lab.log, 4);
    let last = lab.log.last().unwrap();
    assert_eq!(last.header("Allow"), Some("POST, OPTIONS"));
}

#[test]
fn seed_003_flow() {
    let l = lesson("seed-003");
    let mut lab = lab("seed-003");
    lab.navigate(MAIN, "/login", T0);
    expect(&l, &lab.log, 0);
    lab.submit(MAIN, "POST", "/login", &fields(&[("nm", "ada")]), T0);
    expect(&l, &lab.log, 1);
    lab.reload(MAIN, T0 + 60);
    expect(&l, &lab.log, 2);
    // Five minutes after the last request (T0 + 60) and one second more.
    lab.reload(MAIN, T0 + 361);
    expect(&l, &lab.log, 3);
    lab.submit(MAIN, "POST", "/login", &fields(&[("nm", "ada")]), T0 + 400);
    expect(&l, &lab.log, 3);
    lab.navigate(MAIN, "/logout", T0 + 410);
    expect(&l, &lab.log, 4);
    lab.submit(
        MAIN,
        "POST",
        "/login",
        &fields(&[("nm", "<b>hi</b>")]),
        T0 + 420,
    );
    expect(&l, &lab.log, 5);
}

/// Seed 004's flow for the temporary variants.
fn seed_004_temp_flow(id: &str, server_side: bool) {
    let l = lesson(id);
    let mut lab = lab(id);
    let sign_in = |next: &str, user: &str| fields(&[("next", next), ("username", user)]);
    lab.navigate(MAIN, "/home", T0);
    expect(&l, &lab.log, 0);
    lab.navigate(MAIN, "/about", T0);
    expect(&l, &lab.log, 1);
    lab.submit(
        MAIN,
        "POST",
        "/login",
        &sign_in("http://localhost/about", "ada"),
        T0,
    );
    expect(&l, &lab.log, 2);
    assert_eq!(lab.log.last().unwrap().status(), 200);
    lab.restart_browser(MAIN);
    lab.navigate(MAIN, "/about", T0 + 30);
    expect(&l, &lab.log, 3);
    let mut n = 3;
    if server_side {
        lab.submit(MAIN, "POST", "/login", &sign_in("None", "ada"), T0 + 40);
        expect(&l, &lab.log, 3);
        lab.navigate(MAIN, "/logout", T0 + 50);
        n += 1;
        expect(&l, &lab.log, n);
    }
    lab.navigate(MAIN, "/login?next=https://evil.example/", T0 + 60);
    expect(&l, &lab.log, n);
    lab.submit(
        MAIN,
        "POST",
        "/login",
        &sign_in("https://evil.example/", "eve"),
        T0 + 60,
    );
    expect(&l, &lab.log, n + 1);
    assert_eq!(l.steps.len(), n + 1);
}

/// Seed 004's flow for the persistent variants.
fn seed_004_persist_flow(id: &str) {
    let l = lesson(id);
    let mut lab = lab(id);
    let sign_in = |next: &str, user: &str| fields(&[("next", next), ("username", user)]);
    lab.navigate(MAIN, "/home", T0);
    expect(&l, &lab.log, 0);
    lab.navigate(MAIN, "/about", T0);
    expect(&l, &lab.log, 1);
    lab.submit(
        MAIN,
        "POST",
        "/login",
        &sign_in("http://localhost/about", "ada"),
        T0,
    );
    expect(&l, &lab.log, 2);
    lab.navigate(MAIN, "/products", T0 + 60);
    expect(&l, &lab.log, 3);
    lab.restart_browser(MAIN);
    lab.navigate(MAIN, "/contact", T0 + 90);
    expect(&l, &lab.log, 4);
    // Five idle minutes after the visit to /contact, and one second more.
    lab.navigate(MAIN, "/about", T0 + 391);
    expect(&l, &lab.log, 5);
    lab.navigate(MAIN, "/login?next=https://evil.example/", T0 + 400);
    lab.submit(
        MAIN,
        "POST",
        "/login",
        &sign_in("https://evil.example/", "eve"),
        T0 + 400,
    );
    expect(&l, &lab.log, 6);
    assert_eq!(l.steps.len(), 6);
}

#[test]
fn seed_004_flows() {
    seed_004_temp_flow("seed-004-client-temp", false);
    seed_004_temp_flow("seed-004-server-temp", true);
    seed_004_persist_flow("seed-004-client-persist");
    seed_004_persist_flow("seed-004-server-persist");
}

#[test]
fn persistent_steps_do_not_tick_on_a_temporary_session() {
    // The same clicks on the temporary variant: no Expires, so neither the sliding step nor
    // the idle step may tick.
    let l = lesson("seed-004-client-persist");
    let mut lab = lab("seed-004-client-temp");
    let sign_in = fields(&[("next", "http://localhost/about"), ("username", "ada")]);
    lab.navigate(MAIN, "/about", T0);
    lab.submit(MAIN, "POST", "/login", &sign_in, T0);
    lab.navigate(MAIN, "/products", T0 + 60);
    lab.restart_browser(MAIN);
    lab.navigate(MAIN, "/about", T0 + 400);
    let done: Vec<&str> = progress(&l, &lab.log)
        .into_iter()
        .filter(|(_, d)| *d)
        .map(|(id, _)| id)
        .collect();
    assert_eq!(done, ["protected"]);
}

/// A stand-in for the free-play app (which is built elsewhere): its four routes, client-side.
fn free_play_app(secret: &str) -> App {
    let mut app = App::new("free-play");
    app.config
        .set("SECRET_KEY", ConfigValue::Str(secret.into()))
        .unwrap();
    app.route("/", &["GET"], |ctx| {
        let visits = ctx.session.get_str("visits").unwrap_or_else(|| "0".into());
        Ok(Response::html(match ctx.session.get_str("user") {
            Some(user) => format!("Signed in as {user}. Visits: {visits}."),
            None => format!("Nobody is signed in. Visits: {visits}."),
        }))
    });
    app.route("/login", &["GET", "POST"], |ctx| {
        if ctx.request.method == "POST" {
            let user = ctx.request.form_required("user")?.to_string();
            ctx.session.insert("user", user)?;
            return Ok(Response::redirect("/"));
        }
        Ok(Response::html("<form method=post><input name=user></form>"))
    });
    app.route("/count", &["GET"], |ctx| {
        let visits: i64 = ctx
            .session
            .get_str("visits")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        ctx.session
            .insert("visits", Value::Str((visits + 1).to_string()))?;
        Ok(Response::redirect("/"))
    });
    app.route("/logout", &["GET"], |ctx| {
        ctx.session.clear()?;
        Ok(Response::redirect("/"))
    });
    app
}

#[test]
fn free_play_flow() {
    let l = lesson(FREE_PLAY);
    let mut lab = Lab::new(free_play_app("dev-secret"), Jar::new());
    lab.navigate(MAIN, "/", T0);
    expect(&l, &lab.log, 0);
    lab.submit(MAIN, "POST", "/login", &fields(&[("user", "ada")]), T0);
    expect(&l, &lab.log, 1);
    lab.navigate(MAIN, "/count", T0);
    expect(&l, &lab.log, 2);
    // A new key without a fallback: the old cookie is refused.
    lab.app = free_play_app("another-secret");
    lab.navigate(MAIN, "/", T0);
    expect(&l, &lab.log, 3);
    lab.navigate(MAIN, "/logout", T0);
    expect(&l, &lab.log, 4);
}

// ---------------------------------------------------------------------------------------------
// Flask code.

/// The routes each scenario's app answers (free play's are defined by its lesson).
fn routes(id: &str) -> Vec<String> {
    let s = scenario(id);
    // An app that cannot start answers nothing: its fix has the routes.
    let app = s.fix.map_or(s.app, |fix| fix.app);
    app(services())
        .expect("it starts")
        .paths()
        .into_iter()
        .map(String::from)
        .collect()
}

/// Settings with every knob away from its default (and from the scenario's own value).
fn everything_changed(id: &str) -> Settings {
    let mut s = own_settings(id);
    s.lifetime_seconds = 600;
    s.refresh_each_request = false;
    s.secret_key = "new-key".into();
    s.fallbacks = vec!["old-key".into()];
    s.cookie_httponly = false;
    s.cookie_secure = true;
    s.cookie_samesite = Some("Lax".into());
    s.cookie_name = "sid".into();
    s.permanent = !s.permanent;
    s
}

#[test]
fn flask_code_has_the_routes_and_reflects_the_settings() {
    for scenario in ALL {
        let id = scenario.id;
        let own = own_settings(id);
        let code = flask_code(id, &own);
        for path in routes(id) {
            assert!(
                code.contains(&format!("@app.route(\"{path}\"")),
                "{id}: no route {path}\n{code}"
            );
        }
        let lines = code.lines().count();
        assert!(lines <= 70, "{id}: {lines} lines");
        let server = own.client_or_server == InterfaceKind::ServerSide;
        assert_eq!(code.contains("Session(app)"), server, "{id}");
        assert_eq!(
            code.contains("SESSION_TYPE\"] = \"filesystem\""),
            server && id != "seed-000-misspelled"
        );
        if own.lifetime_seconds == 300 {
            assert!(code.contains("timedelta(minutes=5)"), "{id}");
        }
        if id == "seed-002" {
            assert!(code.contains("timedelta(minutes=30)"));
        }

        let changed = everything_changed(id);
        let code = flask_code(id, &changed);
        for expected in [
            "from datetime import timedelta",
            "app.config[\"PERMANENT_SESSION_LIFETIME\"] = timedelta(minutes=10)",
            "app.config[\"SESSION_REFRESH_EACH_REQUEST\"] = False",
            "app.config[\"SECRET_KEY\"] = \"new-key\"",
            "app.config[\"SECRET_KEY_FALLBACKS\"] = [\"old-key\"]",
            "app.config[\"SESSION_COOKIE_HTTPONLY\"] = False",
            "app.config[\"SESSION_COOKIE_SECURE\"] = True",
            "app.config[\"SESSION_COOKIE_SAMESITE\"] = \"Lax\"",
            "app.config[\"SESSION_COOKIE_NAME\"] = \"sid\"",
        ] {
            assert!(code.contains(expected), "{id}: no {expected:?}\n{code}");
        }
        if server {
            if id != "seed-000-misspelled" {
                // Flask-Session's default is permanent; turning it off is what shows.
                assert_eq!(
                    code.contains("app.config[\"SESSION_PERMANENT\"] = False"),
                    !changed.permanent,
                    "{id}"
                );
            }
            assert!(!code.contains("session.permanent"), "{id}");
        } else {
            assert_eq!(
                code.contains("session.permanent = True"),
                changed.permanent,
                "{id}"
            );
        }
        // Switching the storage adds or removes Flask-Session.
        let mut other = own.clone();
        other.client_or_server = if server {
            InterfaceKind::ClientSide
        } else {
            InterfaceKind::ServerSide
        };
        assert_eq!(
            flask_code(id, &other).contains("Session(app)"),
            !server,
            "{id}"
        );
    }
    // Defaults stay out of the code.
    let code = flask_code("seed-001", &own_settings("seed-001"));
    for absent in [
        "timedelta",
        "SESSION_COOKIE",
        "FALLBACKS",
        "REFRESH",
        "flask_session",
    ] {
        assert!(!code.contains(absent), "seed-001 mentions {absent}");
    }
    let misspelled = flask_code("seed-000-misspelled", &own_settings("seed-000-misspelled"));
    assert!(misspelled.contains("app.config[\"SESSION_P\"] = False"));
    assert!(misspelled.contains("app.config[\"SESSION_T\"] = \"file\""));
}

// ---------------------------------------------------------------------------------------------
// The generated Python, run by CPython with the real packages.

#[test]
fn generated_python_compiles() {
    let mut programs = Vec::new();
    for s in ALL {
        let own = own_settings(s.id);
        let mut flipped = own.clone();
        flipped.client_or_server = match own.client_or_server {
            InterfaceKind::ClientSide => InterfaceKind::ServerSide,
            InterfaceKind::ServerSide => InterfaceKind::ClientSide,
        };
        let mut no_key = own.clone();
        no_key.secret_key.clear();
        no_key.cookie_samesite = Some("None".into());
        no_key.lifetime_seconds = 45;
        for settings in [own, flipped, no_key, everything_changed(s.id)] {
            programs.push(serde_json::json!([s.id, flask_code(s.id, &settings)]));
        }
    }
    let script = "import json, sys\n\
                  for name, src in json.load(sys.stdin):\n    compile(src, name, 'exec')\n\
                  print('ok')";
    let dir = common::Scratch::new("compile");
    let out = run_python(
        &dir,
        script,
        &[],
        &serde_json::Value::Array(programs).to_string(),
    );
    assert_eq!(out.trim(), "ok");
}

/// One request of a differential script.
struct Req {
    method: &'static str,
    target: &'static str,
    form: &'static [(&'static str, &'static str)],
}

const fn get(target: &'static str) -> Req {
    Req {
        method: "GET",
        target,
        form: &[],
    }
}

const fn post(target: &'static str, form: &'static [(&'static str, &'static str)]) -> Req {
    Req {
        method: "POST",
        target,
        form,
    }
}

/// What is compared: status, `Location`, and each `Set-Cookie` as name plus kind.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    status: u16,
    location: Option<String>,
    cookies: Vec<String>,
}

fn cookie_kind(set_cookie: &str) -> String {
    let name = set_cookie.split('=').next().unwrap_or("");
    let lower = set_cookie.to_ascii_lowercase();
    let kind = if lower.contains("max-age=0") {
        "deleted"
    } else if lower.contains("expires=") {
        "persistent"
    } else {
        "browser-session"
    };
    format!("{name}:{kind}")
}

fn script_for(id: &str) -> Vec<Req> {
    const ADA_NEXT: &[(&str, &str)] = &[("next", "http://localhost/about"), ("username", "ada")];
    match id {
        "seed-000" | "seed-000-misspelled" => vec![
            get("/"),
            get("/login"),
            post("/login", &[("name", "ada")]),
            get("/"),
            get("/logout"),
            get("/"),
        ],
        "seed-000-login" => vec![
            get("/protected"),
            get("/login"),
            post(
                "/login",
                &[("email", "nobody@example.com"), ("password", "x")],
            ),
            post("/login", &[("email", "ninja@codingninjas.com")]),
            post(
                "/login",
                &[("email", "ninja@codingninjas.com"), ("password", "no")],
            ),
            post(
                "/login",
                &[
                    ("email", "ninja@codingninjas.com"),
                    ("password", "ninja123"),
                ],
            ),
            get("/protected"),
            get("/logout"),
            get("/protected"),
        ],
        "seed-001" => vec![
            get("/getsession"),
            get("/setsession"),
            get("/getsession"),
            get("/popsession"),
            get("/getsession"),
        ],
        "seed-002" => vec![
            get("/profile"),
            get("/"),
            get("/profile"),
            get("/logout"),
            get("/dashboard"),
            get("/login"),
            post("/login", &[]),
            get("/dashboard"),
        ],
        "seed-003" => vec![
            get("/user"),
            get("/login"),
            post("/login", &[("nm", "<b>ada</b>")]),
            get("/user"),
            get("/login"),
            get("/logout"),
            get("/user"),
        ],
        "attack-tamper" => vec![
            get("/"),
            get("/admin"),
            get("/login"),
            post("/login", &[("username", "ada"), ("password", "wrong")]),
            post("/login", &[("username", "ada"), ("password", "lovelace")]),
            get("/"),
            get("/admin"),
            get("/logout"),
            get("/"),
        ],
        "attack-flask-login" => vec![
            get("/account"),
            get("/login"),
            post("/login", &[("username", "ada"), ("password", "wrong")]),
            post(
                "/login",
                &[
                    ("username", "ada"),
                    ("password", "lovelace"),
                    ("remember", "yes"),
                ],
            ),
            get("/account"),
            get("/settings"),
            get("/reauth"),
            post("/reauth", &[("password", "lovelace")]),
            get("/settings"),
            get("/logout"),
            get("/account"),
        ],
        "attack-fixation" => vec![
            get("/"),
            get("/account"),
            post("/login", &[("user", "ada"), ("password", "wrong")]),
            post("/login", &[("user", "ada"), ("password", "lovelace-1815")]),
            get("/account"),
            get("/"),
            get("/logout"),
            get("/account"),
        ],
        "attack-too-big" => vec![
            get("/"),
            post("/", &[("note", "a short note")]),
            post("/", &[("note", "<b>another</b> note")]),
            get("/"),
            get("/clear"),
            get("/"),
        ],
        FREE_PLAY => vec![
            get("/"),
            get("/login"),
            post("/login", &[("user", "ada")]),
            get("/count"),
            get("/"),
            get("/logout"),
            get("/"),
        ],
        _ => vec![
            get("/"),
            get("/home"),
            get("/about"),
            get("/login?next=http://localhost/about"),
            post("/login", ADA_NEXT),
            get("/about"),
            get("/contact"),
            get("/products"),
            get("/logout"),
            get("/contact"),
            post("/login", &[("next", "None"), ("username", "bob")]),
            post(
                "/login",
                &[("next", "https://evil.example/"), ("username", "eve")],
            ),
        ],
    }
}

fn engine_outcomes(app: &App, script: &[Req]) -> Vec<Outcome> {
    let mut jar = Jar::new();
    script
        .iter()
        .map(|r| {
            let mut request = Request::new(r.method, r.target);
            for (k, v) in r.form {
                request = request.with_form(k, v);
            }
            let path = request.path.clone();
            if let Some(cookie) = jar.cookie_header(&path, T0) {
                request = request.with_header("Cookie", &cookie);
            }
            let response = app.handle(&request, T0);
            for set_cookie in response.set_cookies() {
                jar.apply(set_cookie, &path, T0);
            }
            Outcome {
                status: response.status,
                location: response.header("Location").map(String::from),
                cookies: response
                    .set_cookies()
                    .into_iter()
                    .map(cookie_kind)
                    .collect(),
            }
        })
        .collect()
}

/// Loads the program from a file and replays the requests with Flask's test client.
const HARNESS: &str = r#"
import importlib.util, json, sys, warnings
warnings.simplefilter("ignore")
spec = importlib.util.spec_from_file_location("lab_app", sys.argv[1])
module = importlib.util.module_from_spec(spec)
try:
    spec.loader.exec_module(module)
except Exception as e:
    print(json.dumps({"startup_error": f"{type(e).__name__}: {e}"}))
    sys.exit(0)
client = module.app.test_client()
for line in sys.stdin:
    r = json.loads(line)
    resp = client.open(r["target"], method=r["method"], data=r["form"] or None)
    print(json.dumps({"status": resp.status_code, "location": resp.headers.get("Location"),
                      "set_cookie": resp.headers.getlist("Set-Cookie")}))
"#;

#[test]
fn generated_python_behaves_like_the_engine() {
    for scenario in ALL {
        let id = scenario.id;
        let script = script_for(id);
        compare_with_python(
            id,
            &flask_code(id, &own_settings(id)),
            scenario.build(services()),
            &script,
        );
        // A fix that changes the code: the corrected program against the corrected app.
        // The code panel writes it with the settings the corrected app runs with.
        if let Some(fix) = scenario.fix.filter(|f| f.code.is_some()) {
            let fixed = (fix.app)(services()).expect("the corrected app starts");
            let settings = scenario.live_settings(&fixed.config, fixed.session_interface().kind());
            let code = scenario.flask_code_when(&settings, true);
            assert_ne!(
                code,
                flask_code(id, &settings),
                "{id}: the fix changes the code"
            );
            compare_with_python(&format!("{id} (fixed)"), &code, Ok(fixed), &script);
        }
    }
}

/// Runs `code` under real Flask with `script` and compares each answer with `app`'s.
fn compare_with_python(
    id: &str,
    code: &str,
    app: Result<App, session_lab::engine::flask_session::StartupError>,
    script: &[Req],
) {
    let dir = common::Scratch::new(id);
    let file = dir.join("lab_app.py");
    std::fs::write(&file, code).unwrap();
    let input: String = script
        .iter()
        .map(|r| {
            let form: serde_json::Map<String, serde_json::Value> = r
                .form
                .iter()
                .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
                .collect();
            format!(
                "{}\n",
                serde_json::json!({"method": r.method, "target": r.target, "form": form})
            )
        })
        .collect();
    let out = run_python(&dir, HARNESS, &[file.to_str().unwrap()], &input);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    match app {
        Err(e) => {
            assert_eq!(lines.len(), 1, "{id}");
            assert_eq!(lines[0]["startup_error"], e.to_string().as_str(), "{id}");
        }
        Ok(app) => {
            let python: Vec<Outcome> = lines
                .iter()
                .map(|l| Outcome {
                    status: l["status"].as_u64().unwrap() as u16,
                    location: l["location"].as_str().map(String::from),
                    cookies: l["set_cookie"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|c| cookie_kind(c.as_str().unwrap()))
                        .collect(),
                })
                .collect();
            let engine = engine_outcomes(&app, script);
            for (i, (p, e)) in python.iter().zip(&engine).enumerate() {
                assert_eq!(
                    p, e,
                    "{id}: request {i} ({} {}) differs (left: Python)",
                    script[i].method, script[i].target
                );
            }
            assert_eq!(python.len(), engine.len(), "{id}");
        }
    }
}

#[test]
fn clearing_cookies_is_not_a_restart() {
    // The restart step needs a real restart: clearing cookies drops the cookie too, but the
    // log marks only the request after "close and reopen the browser".
    for id in ["seed-004-client-temp", "seed-004-server-temp"] {
        let l = lesson(id);
        let mut lab = lab(id);
        let sign_in = fields(&[("next", "http://localhost/about"), ("username", "ada")]);
        lab.navigate(MAIN, "/about", T0);
        lab.submit(MAIN, "POST", "/login", &sign_in, T0);
        lab.clear_cookies(MAIN);
        lab.navigate(MAIN, "/about", T0 + 30);
        let done = |lab: &Lab<Jar>| {
            progress(&l, &lab.log)
                .into_iter()
                .find(|(step, _)| *step == "restart")
                .map(|(_, d)| d)
        };
        assert_eq!(done(&lab), Some(false), "{id}");
        assert!(!lab.log.last().unwrap().after_restart);
        lab.restart_browser(MAIN);
        lab.navigate(MAIN, "/login", T0 + 40);
        assert!(lab.log.last().unwrap().after_restart);
        lab.submit(MAIN, "POST", "/login", &sign_in, T0 + 50);
        lab.restart_browser(MAIN);
        lab.navigate(MAIN, "/about", T0 + 60);
        assert_eq!(done(&lab), Some(true), "{id}");
    }
}
