//! `attack-open-redirect` natively: before the fix, signing in on `/login?next=...` answers
//! with the attacker's `Location` (an absolute URL, `//host`, or `/\host`) and the lab stops
//! there; after it, the same three links end on `/home`, and the site's own `next` still works.
//!
//! Also what html_injection.rs and flask_login.rs use: [`flask`], which runs a scenario's Flask
//! program (the code panel's text) under real Flask from the project's virtual environment
//! beside the engine's app.

use crate::support::{every_step_in_order, Walker};
use session_lab::client::page::resolve_url;
use session_lab::engine::apps::seed_004::is_local;
use session_lab::lab::Exchange;

const ID: &str = "attack-open-redirect";

/// The exchanges from position `from` on.
fn since(t: &Walker, from: usize) -> &[Exchange] {
    &t.log()[from..]
}

#[test]
fn the_steps_tick_in_order() {
    every_step_in_order(ID);
}

#[test]
fn next_leaves_the_site_before_the_fix_and_not_after() {
    let mut t = Walker::open(ID);
    t.step_from("protected");
    let about = t.log().iter().find(|e| e.path() == "/about").unwrap();
    assert_eq!(
        about.header("Location"),
        Some("/login?next=http://localhost/about")
    );
    t.step_from("link");
    let from = t.step_from("open-redirect");
    // One exchange: the lab stops at the off-site Location and fetches nothing.
    let ex = since(&t, from);
    assert_eq!(ex.len(), 1, "{ex:?}");
    assert_eq!((ex[0].method.as_str(), ex[0].status()), ("POST", 302));
    assert_eq!(ex[0].header("Location"), Some("https://evil.example/"));
    // The page on screen is Werkzeug's redirect page: its link is where a browser would go.
    let page = ex[0].page();
    assert_eq!(page.title.as_deref(), Some("Redirecting..."));
    assert_eq!(page.links[0].target, "https://evil.example/");
    assert!(!page.links[0].stays_in_lab());
    // The session is set all the same: the victim is signed in on the real site.
    assert!(ex[0].set_cookies()[0].starts_with("session="));

    let from = t.step_from("disguised");
    let posts: Vec<&Exchange> = since(&t, from)
        .iter()
        .filter(|e| e.method == "POST")
        .collect();
    // Werkzeug writes the tab's URL through its parser, which drops the tab.
    let locations: Vec<Option<&str>> = posts.iter().map(|e| e.header("Location")).collect();
    assert_eq!(locations, [Some("//evil.example/"), Some("//evil.example")]);
    assert_eq!(
        posts[1].form[0],
        ("next".to_string(), "/\t/evil.example".to_string())
    );
    for e in &posts {
        // Where a browser goes, and the lab stopped there.
        let to = resolve_url(&e.target, e.header("Location").unwrap());
        assert_eq!(to, "http://evil.example/");
        assert!(!t.log()[e.id + 1..]
            .iter()
            .any(|n| n.redirected_from == Some(e.id)));
    }

    let from = t.step_from("fix");
    let about = since(&t, from)
        .iter()
        .find(|e| e.path() == "/about")
        .unwrap();
    assert_eq!(about.header("Location"), Some("/login?next=/about"));
    let from = t.step_from("still-works");
    let ex = since(&t, from);
    assert_eq!(ex[0].header("Location"), Some("/about"));
    assert_eq!((ex[1].target.as_str(), ex[1].status()), ("/about", 200));

    let from = t.step_from("retry");
    let ex = since(&t, from);
    let posts: Vec<&Exchange> = ex.iter().filter(|e| e.method == "POST").collect();
    assert_eq!(posts.len(), 3);
    for post in posts {
        assert_eq!(post.status(), 302);
        assert_eq!(post.header("Location"), Some("/home"));
        let next = &t.log()[post.id + 1];
        assert_eq!(next.redirected_from, Some(post.id));
        assert_eq!((next.target.as_str(), next.status()), ("/home", 200));
        assert!(next.response.body.contains("<p>Welcome ada!</p>"));
    }
}

/// `is_local` against the Python function of the code panel, as measured with CPython 3.11 from
/// the project's virtual environment (`is_local(t)` for each `t`).
#[test]
fn is_local_matches_the_python() {
    let measured = [
        ("/about", true),
        ("None", false),
        ("https://evil.example/", false),
        ("//evil.example/", false),
        ("/\\evil.example/", false),
        ("/\t/evil.example", false),
        ("\\\\evil.example", false),
        ("", false),
        ("/", true),
        ("http://localhost/about", false),
    ];
    for (target, local) in measured {
        assert_eq!(is_local(target), local, "{target:?}");
    }
    // Whatever it accepts stays on the mock server in the lab too.
    for target in ["/about", "/", "/a//b", "/.//x", "/%2F%2Fevil.example"] {
        assert!(is_local(target));
        assert!(resolve_url("/login", target).starts_with('/'));
        assert!(!resolve_url("/login", target).starts_with("//"));
    }
}

/// The code panel's programs, before and after the fix, under real Flask, against the same
/// requests as the engine's apps.
#[test]
fn the_flask_code_behaves_like_the_engine() {
    use flask::req;
    let script = [
        req("GET", "/about", &[]),
        req("GET", "/login?next=/about", &[]),
        req("POST", "/login", &[("next", "/about"), ("username", "ada")]),
        req("GET", "/logout", &[]),
        req(
            "POST",
            "/login",
            &[("next", "https://evil.example/"), ("username", "ada")],
        ),
        req(
            "POST",
            "/login",
            &[("next", "//evil.example/"), ("username", "ada")],
        ),
        req(
            "POST",
            "/login",
            &[("next", "/\\evil.example/"), ("username", "ada")],
        ),
        req(
            "POST",
            "/login",
            &[("next", "/\t/evil.example"), ("username", "ada")],
        ),
        req(
            "POST",
            "/login",
            &[("next", "\\\\evil.example"), ("username", "ada")],
        ),
        req(
            "POST",
            "/login",
            &[("next", "https:evil.example"), ("username", "ada")],
        ),
        req("POST", "/login", &[("next", "None"), ("username", "ada")]),
        req("POST", "/login", &[("username", "ada")]),
    ];
    let outcomes = flask::compare(ID, &script, false);
    let locations: Vec<Option<&str>> = outcomes.iter().map(|o| o.location.as_deref()).collect();
    // Werkzeug's iri_to_uri on the way out: a backslash is percent-encoded, a tab dropped by
    // urlsplit (both sides agree, so these are Werkzeug 3.1's bytes), and a browser takes
    // `//evil.example`, `https:///evil.example` and the absolute URL off the site.
    assert_eq!(
        locations,
        [
            Some("/login?next=http://localhost/about"),
            None,
            Some("/about"),
            None,
            Some("https://evil.example/"),
            Some("//evil.example/"),
            Some("/%5Cevil.example/"),
            Some("//evil.example"),
            Some("%5C%5Cevil.example"),
            Some("https:///evil.example"),
            Some("/home"),
            Some("None"),
        ]
    );
    let off_site: Vec<bool> = locations
        .iter()
        .map(|l| l.is_some_and(|l| !resolve_url("/login", l).starts_with('/')))
        .collect();
    assert_eq!(
        off_site,
        [false, false, false, false, true, true, false, true, false, true, false, false]
    );
    let outcomes = flask::compare(ID, &script, true);
    let locations: Vec<Option<&str>> = outcomes.iter().map(|o| o.location.as_deref()).collect();
    assert_eq!(
        locations,
        [
            Some("/login?next=/about"),
            None,
            Some("/about"),
            None,
            Some("/home"),
            Some("/home"),
            Some("/home"),
            Some("/home"),
            Some("/home"),
            Some("/home"),
            Some("/home"),
            Some("/home"),
        ]
    );
}

pub mod flask {
    //! A scenario's Flask program run by CPython with the real packages
    //! (`target/flask-venv`, made by `make test`), one client, beside the engine's app with
    //! the engine's jar.

    use session_lab::client::jar::Jar;
    use session_lab::engine::apps::Services;
    use session_lab::engine::py::secrets::SeededRng;
    use session_lab::engine::werkzeug::wrappers::Request;
    use session_lab::lab::scenarios::by_id;

    /// One thing the client does.
    #[derive(Debug, Clone)]
    pub enum Op {
        Request {
            method: &'static str,
            target: &'static str,
            form: Vec<(&'static str, &'static str)>,
        },
        /// The `User-Agent` of every later request.
        UserAgent(&'static str),
        /// Closing the browser: cookies without an expiry go.
        Restart,
        /// Every cookie goes.
        Clear,
        /// A cookie put in by hand (path `/`).
        Set(&'static str, String),
    }

    pub fn req(
        method: &'static str,
        target: &'static str,
        form: &[(&'static str, &'static str)],
    ) -> Op {
        Op::Request {
            method,
            target,
            form: form.to_vec(),
        }
    }

    /// What is compared for each request.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Outcome {
        pub status: u16,
        pub location: Option<String>,
        /// Each `Set-Cookie` as `name:kind` (`deleted`, `persistent`, `browser-session`), in
        /// order, with the value for `remember_token` (an HMAC of the id: the same in both).
        pub cookies: Vec<String>,
        pub body: String,
    }

    fn cookie(line: &str) -> String {
        let (name, rest) = line.split_once('=').unwrap_or((line, ""));
        let lower = line.to_ascii_lowercase();
        let kind = if lower.contains("max-age=0") {
            "deleted"
        } else if lower.contains("expires=") {
            "persistent"
        } else {
            "browser-session"
        };
        if name == "remember_token" && kind != "deleted" {
            format!("{name}:{kind}:{}", rest.split(';').next().unwrap_or(""))
        } else {
            format!("{name}:{kind}")
        }
    }

    const HARNESS: &str = r#"
import importlib.util, json, sys, warnings
warnings.simplefilter("ignore")
spec = importlib.util.spec_from_file_location("lab_app", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
client = module.app.test_client()
agent = None
for line in sys.stdin:
    op = json.loads(line)
    if op["op"] == "ua":
        agent = op["agent"]
        continue
    if op["op"] in ("restart", "clear"):
        for key in list(client._cookies):
            if op["op"] == "clear" or client._cookies[key].expires is None:
                del client._cookies[key]
        continue
    if op["op"] == "set":
        client.set_cookie(op["name"], op["value"])
        continue
    headers = {"User-Agent": agent} if agent else {}
    resp = client.open(op["target"], method=op["method"], data=op["form"] or None, headers=headers)
    print(json.dumps({"status": resp.status_code, "location": resp.headers.get("Location"),
                      "set_cookie": resp.headers.getlist("Set-Cookie"),
                      "body": resp.get_data(as_text=True)}))
"#;

    fn python_outcomes(code: &str, ops: &[Op], name: &str) -> Vec<Outcome> {
        let dir = crate::common::Scratch::new(name);
        let file = dir.join("lab_app.py");
        std::fs::write(&file, code).unwrap();
        let input: String = ops
            .iter()
            .map(|op| {
                let json = match op {
                    Op::Request {
                        method,
                        target,
                        form,
                    } => {
                        let form: serde_json::Map<String, serde_json::Value> = form
                            .iter()
                            .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
                            .collect();
                        serde_json::json!({"op": "req", "method": method, "target": target, "form": form})
                    }
                    Op::UserAgent(agent) => serde_json::json!({"op": "ua", "agent": agent}),
                    Op::Restart => serde_json::json!({"op": "restart"}),
                    Op::Clear => serde_json::json!({"op": "clear"}),
                    Op::Set(name, value) => {
                        serde_json::json!({"op": "set", "name": name, "value": value})
                    }
                };
                format!("{json}\n")
            })
            .collect();
        let out = crate::common::run_python(&dir, HARNESS, &[file.to_str().unwrap()], &input);
        out.lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                Outcome {
                    status: v["status"].as_u64().unwrap() as u16,
                    location: v["location"].as_str().map(String::from),
                    cookies: v["set_cookie"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|c| cookie(c.as_str().unwrap()))
                        .collect(),
                    body: v["body"].as_str().unwrap().to_string(),
                }
            })
            .collect()
    }

    /// The engine's app of scenario `id` (its fix when `fixed`) through the same ops.
    pub fn engine_outcomes(id: &str, ops: &[Op], fixed: bool) -> Vec<Outcome> {
        let scenario = by_id(id).expect("the scenario");
        let builder = match (fixed, scenario.fix) {
            (true, Some(fix)) => fix.app,
            _ => scenario.app,
        };
        let app = builder(Services::in_memory(Box::new(SeededRng::new(1)))).expect("starts");
        let mut jar = Jar::new();
        let mut agent = None;
        let now = crate::support::T0;
        let mut out = Vec::new();
        for op in ops {
            match op {
                Op::UserAgent(a) => agent = Some(*a),
                Op::Restart => jar.restart_browser(),
                Op::Clear => jar.clear(),
                Op::Set(name, value) => {
                    jar.apply(&format!("{name}={value}; Path=/"), "/", now);
                }
                Op::Request {
                    method,
                    target,
                    form,
                } => {
                    let mut request = Request::new(method, target);
                    for (k, v) in form {
                        request = request.with_form(k, v);
                    }
                    let path = request.path.clone();
                    if let Some(c) = jar.cookie_header(&path, now) {
                        request = request.with_header("Cookie", &c);
                    }
                    if let Some(a) = agent {
                        request = request.with_header("User-Agent", a);
                    }
                    let response = app.handle(&request, now);
                    for line in response.set_cookies() {
                        jar.apply(line, &path, now);
                    }
                    out.push(Outcome {
                        status: response.status,
                        location: response.header("Location").map(String::from),
                        cookies: response.set_cookies().into_iter().map(cookie).collect(),
                        body: response.body.clone(),
                    });
                }
            }
        }
        out
    }

    /// Runs `ops` on the engine and on the code panel's program (the corrected one when
    /// `fixed`); status, `Location` and cookies must agree, and the bodies too when the
    /// program prints the same pages as the app (`same_pages`). Returns the engine's outcomes.
    pub fn compare_with(id: &str, ops: &[Op], fixed: bool, same_pages: bool) -> Vec<Outcome> {
        let scenario = by_id(id).expect("the scenario");
        let code = scenario.flask_code_when(&scenario.settings(), fixed);
        let python = python_outcomes(&code, ops, &format!("{id}-{fixed}"));
        let engine = engine_outcomes(id, ops, fixed);
        assert_eq!(python.len(), engine.len(), "{id}: one answer per request");
        for (i, (p, e)) in python.iter().zip(&engine).enumerate() {
            let ctx = format!("{id} (fixed: {fixed}), request {i}");
            assert_eq!(
                (p.status, &p.location, &p.cookies),
                (e.status, &e.location, &e.cookies),
                "{ctx} (left: Python)"
            );
            if same_pages {
                assert_eq!(p.body, e.body, "{ctx} (left: Python)");
            }
        }
        engine
    }

    /// The code panel's program of scenario `id` (the corrected one when `fixed`) through
    /// `ops` under real Flask.
    pub fn python_for(id: &str, ops: &[Op], fixed: bool) -> Vec<Outcome> {
        let scenario = by_id(id).expect("the scenario");
        let code = scenario.flask_code_when(&scenario.settings(), fixed);
        python_outcomes(&code, ops, &format!("{id}-{fixed}-alone"))
    }

    /// [`compare_with`] for a program whose pages differ in markup from the app's.
    pub fn compare(id: &str, ops: &[Op], fixed: bool) -> Vec<Outcome> {
        compare_with(id, ops, fixed, false)
    }
}
