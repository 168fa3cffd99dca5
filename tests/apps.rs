//! The two tutorial apps driven through `App::handle`, compared with what REAL Flask 3.1.3 sends
//! for the same requests at the same (frozen) clock.
//!
//! Every expected status, header list and body below (the `SEED_*` tables at the end of this
//! file) was produced by the Flask twins in `tests/flask_twins/gen_app_vectors.py` (apps
//! `seed_001()`/`seed_003()`, flows `run_seed_001()`, `run_seed_003()`,
//! `run_seed_001_cookie_headers()`, `run_seed_001_signed_payloads()`), run with
//! `target/flask-venv/bin/python tests/flask_twins/gen_app_vectors.py`, and pasted verbatim.
//! Re-run it to regenerate the tables. Nothing here was copied from this crate's own output.
//!
//! The browser in both languages is the same tiny cookie jar: it keeps the latest `session`
//! value from `Set-Cookie`, sends it back as `Cookie: session=...`, and forgets it on a deletion
//! cookie. It does not drop the cookie when `Expires` passes, so the server-side `max_age`
//! check (the one a client that ignores `Expires` runs into) can be seen.
//!
//! `Allow` is built from a Python set, so Flask's order changes with `PYTHONHASHSEED`; the
//! generator prints it sorted and it is compared here as a set.
#![cfg(not(target_arch = "wasm32"))]

use session_lab::engine::apps::{seed_001, seed_003};
use session_lab::engine::flask::app::{App, Handled};
use session_lab::engine::flask::sessions::CookieVerdict;
use session_lab::engine::itsdangerous::signing::{Segments, UnsignError};
use session_lab::engine::werkzeug::http_date::http_date;
use session_lab::engine::werkzeug::wrappers::{Request, Response};
use session_lab::lab::scenarios;

/// The frozen clock of the Flask run: 2023-11-14 22:13:20 UTC.
const T0: i64 = 1_700_000_000;

/// Which `Cookie` header a step sends.
#[derive(Debug, Clone, Copy)]
enum Send {
    /// Whatever the browser's jar holds (nothing if it is empty).
    Jar,
    /// No `Cookie` header at all.
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
    form: &'static [(&'static str, &'static str)],
    send: Send,
    status: u16,
    headers: &'static [(&'static str, &'static str)],
    body: &'static str,
}

/// The cookie jar: the latest `session` value, if any.
#[derive(Debug, Default)]
struct Browser {
    session: Option<String>,
}

impl Browser {
    fn request(&self, step: &Step) -> Request {
        let mut req = Request::new(step.method, step.target);
        for (k, v) in step.form {
            req = req.with_form(k, v);
        }
        match step.send {
            Send::Jar => {
                if let Some(value) = &self.session {
                    req = req.with_header("Cookie", &format!("session={value}"));
                }
            }
            Send::Nothing => {}
            Send::Raw(header) => req = req.with_header("Cookie", header),
        }
        req
    }

    /// Stores the session cookie a response sets; a deletion cookie empties the jar.
    fn receive(&mut self, response: &Response) {
        for header in response.set_cookies() {
            let Some(rest) = header.strip_prefix("session=") else {
                continue;
            };
            let value = rest.split(';').next().unwrap_or("");
            if value.is_empty() || header.contains("Max-Age=0") {
                self.session = None;
            } else {
                self.session = Some(value.to_string());
            }
        }
    }
}

/// Headers as (name, value) with `Allow` sorted, so that Flask's set order does not matter.
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

/// Runs a flow through one app and compares every response with Flask's. Returns the
/// responses for extra checks.
fn run(app: &App, steps: &[Step]) -> Vec<Handled> {
    let mut browser = Browser::default();
    let mut responses = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let request = browser.request(step);
        let handled = app.serve(&request, step.now);
        let response = &handled.response;
        let ctx = format!(
            "{} step {i} ({}: {} {})",
            app.name, step.label, step.method, step.target
        );
        assert_eq!(response.status, step.status, "{ctx}: status");
        let expected: Vec<(String, String)> = step
            .headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(normalized(&response.headers), expected, "{ctx}: headers");
        assert_eq!(response.body, step.body, "{ctx}: body");
        browser.receive(response);
        responses.push(handled);
    }
    responses
}

fn step<'a>(steps: &'a [Step], label: &str) -> (usize, &'a Step) {
    steps
        .iter()
        .enumerate()
        .find(|(_, s)| s.label == label)
        .unwrap_or_else(|| panic!("no step {label:?}"))
}

fn header<'a>(step: &'a Step, name: &str) -> Option<&'a str> {
    step.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| *v)
}

/// The session cookie value of a step's `Set-Cookie`, and its attributes.
fn set_cookie(step: &Step) -> Option<(&str, &str)> {
    let h = header(step, "Set-Cookie")?;
    let rest = h.strip_prefix("session=")?;
    Some(
        rest.split_once(';')
            .map_or((rest, ""), |(v, a)| (v, a.trim_start())),
    )
}

// ---------------------------------------------------------------------------------------------
// seed-001

#[test]
fn seed_001_matches_flask_step_by_step() {
    run(&seed_001::app(), SEED_001);
}

#[test]
fn seed_001_flow_has_the_expected_shape() {
    // Sanity checks on the Flask tables themselves, so a regenerated table cannot silently lose
    // the cases this file is meant to cover.
    let (_, s) = step(SEED_001, "getsession without a cookie: Vary only");
    assert_eq!(header(s, "Vary"), Some("Cookie"));
    assert_eq!(header(s, "Set-Cookie"), None);

    let (_, s) = step(SEED_001, "setsession sets the cookie");
    let (value, attrs) = set_cookie(s).unwrap();
    assert_eq!(
        attrs, "HttpOnly; Path=/",
        "a non-permanent cookie has no Expires"
    );
    let seg = Segments::split(value).unwrap();
    assert_eq!(seg.timestamp_value(), Some(s.now));

    let (_, s) = step(SEED_001, "popsession sends the deletion cookie");
    assert_eq!(
        header(s, "Set-Cookie"),
        Some("session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/")
    );
    let (_, s) = step(
        SEED_001,
        "popsession without a cookie: nothing was removed, Vary only",
    );
    assert_eq!(header(s, "Set-Cookie"), None);
}

#[test]
fn seed_001_reads_odd_cookie_headers_like_werkzeug() {
    run(&seed_001::app(), SEED_001_COOKIE_HEADERS);
}

#[test]
fn seed_001_skips_malformed_cookie_pairs_like_werkzeug() {
    run(&seed_001::app(), SEED_001_COOKIE_HEADER_MISMATCHES);
}

#[test]
fn seed_001_correctly_signed_non_sessions_are_a_500() {
    // Only the key holder can make these: Flask's BadPayload (or dict() failing) escapes
    // open_session, the 500 page is sent, and saving the missing session fails (logged), so no
    // Vary and no Set-Cookie.
    let responses = run(&seed_001::app(), SEED_001_SIGNED_PAYLOADS);
    assert!(responses.iter().all(|r| r.response.status == 500));
}

#[test]
fn seed_001_correctly_signed_dict_like_payloads_load_as_flask_does() {
    run(&seed_001::app(), SEED_001_SIGNED_PAYLOAD_MISMATCHES);
}

#[test]
fn seed_001_verdicts_name_the_reason() {
    let app = seed_001::app();
    let responses = run(&app, SEED_001);
    let verdict = |label| {
        let (i, _) = step(SEED_001, label);
        responses[i].verdict.clone()
    };
    assert_eq!(
        verdict("getsession without a cookie: Vary only"),
        Some(CookieVerdict::Absent)
    );
    assert_eq!(
        verdict("31 days old cookie is still accepted (age == max_age)"),
        Some(CookieVerdict::Valid {
            key_index: 0,
            timestamp: T0
        })
    );
    assert_eq!(
        verdict("one second later it is expired"),
        Some(CookieVerdict::Rejected(UnsignError::Expired {
            age: 2_678_401,
            max_age: 2_678_400
        }))
    );
    assert_eq!(
        verdict("a cookie from one second in the future is rejected"),
        Some(CookieVerdict::Rejected(UnsignError::FromTheFuture {
            age: -1
        }))
    );
    assert_eq!(
        verdict("tampered signature is treated as an empty session"),
        Some(CookieVerdict::Rejected(UnsignError::BadSignature))
    );
}

// ---------------------------------------------------------------------------------------------
// seed-003

#[test]
fn seed_003_matches_flask_step_by_step() {
    run(&seed_003::app(), SEED_003);
}

#[test]
fn seed_003_login_page_is_our_page() {
    // The Flask twin returns `seed_003::login_page()`'s text (the tutorial's template is not
    // part of the tutorial), so this ties the table to the function.
    let (_, s) = step(SEED_003, "login page");
    assert_eq!(s.body, seed_003::login_page());
}

#[test]
fn seed_003_login_sets_a_permanent_cookie_for_300_seconds() {
    let (_, s) = step(
        SEED_003,
        "login POST makes the session permanent and redirects",
    );
    assert_eq!(s.status, 302);
    assert_eq!(header(s, "Location"), Some("/user"));
    assert_eq!(header(s, "Vary"), Some("Cookie"));
    let (value, attrs) = set_cookie(s).unwrap();
    assert_eq!(
        attrs,
        format!("Expires={}; HttpOnly; Path=/", http_date(s.now + 300))
    );
    assert_eq!(
        Segments::split(value).unwrap().timestamp_value(),
        Some(s.now)
    );
}

#[test]
fn seed_003_sliding_expiry_and_idle_timeout() {
    let app = seed_003::app();
    let responses = run(&app, SEED_003);

    // Each request re-signs: the timestamp and Expires move with the clock.
    for label in [
        "user greets and re-signs (sliding expiry)",
        "200 s later the cookie is re-signed with a new timestamp and Expires",
        "exactly 300 s after the last refresh it is still accepted",
    ] {
        let (i, s) = step(SEED_003, label);
        let (value, attrs) = set_cookie(s).unwrap();
        assert_eq!(
            Segments::split(value).unwrap().timestamp_value(),
            Some(s.now),
            "{label}"
        );
        assert!(
            attrs.starts_with(&format!("Expires={};", http_date(s.now + 300))),
            "{label}"
        );
        assert!(
            matches!(responses[i].verdict, Some(CookieVerdict::Valid { .. })),
            "{label}"
        );
    }

    // 301 idle seconds: rejected, so /user sends the visitor to /login and sets nothing.
    let (i, s) = step(
        SEED_003,
        "301 s after the last refresh the cookie is rejected",
    );
    assert_eq!(s.status, 302);
    assert_eq!(header(s, "Location"), Some("/login"));
    assert_eq!(header(s, "Set-Cookie"), None);
    assert_eq!(
        responses[i].verdict,
        Some(CookieVerdict::Rejected(UnsignError::Expired {
            age: 301,
            max_age: 300
        }))
    );
}

#[test]
fn seed_003_hostile_name_is_sent_raw_as_flask_does() {
    let (_, s) = step(SEED_003, "hostile name is returned raw by the f-string");
    assert_eq!(s.body, "<h1><img src=x onerror=alert(1)></h1>");
}

#[test]
fn seed_003_errors_still_refresh_a_permanent_session() {
    for label in [
        "unknown path is a 404 and still refreshes the permanent cookie",
        "POST /user is a 405 and still refreshes the permanent cookie",
    ] {
        let (_, s) = step(SEED_003, label);
        let (value, _) = set_cookie(s).unwrap();
        assert_eq!(
            Segments::split(value).unwrap().timestamp_value(),
            Some(s.now),
            "{label}"
        );
    }
}

#[test]
fn the_scenario_list_finds_every_listed_app_and_nothing_else() {
    for s in scenarios::ALL {
        assert!(scenarios::by_id(s.id).is_some(), "{}", s.id);
    }
    assert!(scenarios::by_id("no-such-app").is_none());
}

// ---------------------------------------------------------------------------------------------
// The Flask tables. Pasted verbatim from the output of
// `target/flask-venv/bin/python tests/flask_twins/gen_app_vectors.py`.

// Generated by tests/flask_twins/gen_app_vectors.py with Flask 3.1.3, Werkzeug 3.1.9, itsdangerous 2.2.0.

// gen_app_vectors.py run_seed_001() (Flask 3.1.3, secret 'xyz', T0 = 1700000000)
const SEED_001: &[Step] = &[
    Step {
        label: "getsession without a cookie: Vary only",
        now: T0,
        method: "GET",
        target: "/getsession",
        form: &[],
        send: Send::Jar,
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "17"),
            ("Vary", "Cookie"),
        ],
        body: "Welcome Anonymous",
    },
    Step {
        label: "setsession sets the cookie",
        now: T0,
        method: "GET",
        target: "/setsession",
        form: &[],
        send: Send::Jar,
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "24"),
            ("Vary", "Cookie"),
            ("Set-Cookie", "session=eyJVc2VybmFtZSI6IkFkbWluIn0.ZVPxAA.pZmAdVXTLGbqaN54p7rl0EWVl94; HttpOnly; Path=/"),
        ],
        body: "The session has been Set",
    },
    Step {
        label: "getsession with the cookie: no Set-Cookie (not permanent)",
        now: T0 + 60,
        method: "GET",
        target: "/getsession",
        form: &[],
        send: Send::Jar,
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "13"),
            ("Vary", "Cookie"),
        ],
        body: "Welcome Admin",
    },
    Step {
        label: "setsession again re-signs with the new timestamp",
        now: T0 + 120,
        method: "GET",
        target: "/setsession",
        form: &[],
        send: Send::Jar,
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "24"),
            ("Vary", "Cookie"),
            ("Set-Cookie", "session=eyJVc2VybmFtZSI6IkFkbWluIn0.ZVPxeA.rhZCjx_Squ31sDo3PFxZjXvfFCs; HttpOnly; Path=/"),
        ],
        body: "The session has been Set",
    },
    Step {
        label: "popsession sends the deletion cookie",
        now: T0 + 180,
        method: "GET",
        target: "/popsession",
        form: &[],
        send: Send::Jar,
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "15"),
            ("Vary", "Cookie"),
            ("Set-Cookie", "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/"),
        ],
        body: "Session Deleted",
    },
    Step {
        label: "getsession after pop",
        now: T0 + 181,
        method: "GET",
        target: "/getsession",
        form: &[],
        send: Send::Jar,
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "17"),
            ("Vary", "Cookie"),
        ],
        body: "Welcome Anonymous",
    },
    Step {
        label: "popsession without a cookie: nothing was removed, Vary only",
        now: T0 + 182,
        method: "GET",
        target: "/popsession",
        form: &[],
        send: Send::Jar,
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "15"),
            ("Vary", "Cookie"),
        ],
        body: "Session Deleted",
    },
    Step {
        label: "31 days old cookie is still accepted (age == max_age)",
        now: T0 + 2678400,
        method: "GET",
        target: "/getsession",
        form: &[],
        send: Send::Raw("session=eyJVc2VybmFtZSI6IkFkbWluIn0.ZVPxAA.pZmAdVXTLGbqaN54p7rl0EWVl94"),
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "13"),
            ("Vary", "Cookie"),
        ],
        body: "Welcome Admin",
    },
    Step {
        label: "one second later it is expired",
        now: T0 + 2678401,
        method: "GET",
        target: "/getsession",
        form: &[],
        send: Send::Raw("session=eyJVc2VybmFtZSI6IkFkbWluIn0.ZVPxAA.pZmAdVXTLGbqaN54p7rl0EWVl94"),
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "17"),
            ("Vary", "Cookie"),
        ],
        body: "Welcome Anonymous",
    },
    Step {
        label: "a cookie from one second in the future is rejected",
        now: T0 - 1,
        method: "GET",
        target: "/getsession",
        form: &[],
        send: Send::Raw("session=eyJVc2VybmFtZSI6IkFkbWluIn0.ZVPxAA.pZmAdVXTLGbqaN54p7rl0EWVl94"),
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "17"),
            ("Vary", "Cookie"),
        ],
        body: "Welcome Anonymous",
    },
    Step {
        label: "tampered signature is treated as an empty session",
        now: T0 + 60,
        method: "GET",
        target: "/getsession",
        form: &[],
        send: Send::Raw("session=eyJVc2VybmFtZSI6IkFkbWluIn0.ZVPxAA.pZmAdVXTLGbqaN54p7rl0EWVl9A"),
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "17"),
            ("Vary", "Cookie"),
        ],
        body: "Welcome Anonymous",
    },
    Step {
        label: "garbage cookie is treated as an empty session",
        now: T0 + 60,
        method: "GET",
        target: "/getsession",
        form: &[],
        send: Send::Raw("session=not-a-cookie"),
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "17"),
            ("Vary", "Cookie"),
        ],
        body: "Welcome Anonymous",
    },
    Step {
        label: "first of two session cookies wins",
        now: T0 + 60,
        method: "GET",
        target: "/getsession",
        form: &[],
        send: Send::Raw("session=eyJVc2VybmFtZSI6IkFkbWluIn0.ZVPxAA.pZmAdVXTLGbqaN54p7rl0EWVl94; session=garbage"),
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "13"),
            ("Vary", "Cookie"),
        ],
        body: "Welcome Admin",
    },
    Step {
        label: "unknown path is a 404",
        now: T0 + 60,
        method: "GET",
        target: "/nope",
        form: &[],
        send: Send::Raw("session=eyJVc2VybmFtZSI6IkFkbWluIn0.ZVPxAA.pZmAdVXTLGbqaN54p7rl0EWVl94"),
        status: 404,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "207"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n",
    },
    Step {
        label: "POST to a GET route is a 405",
        now: T0 + 60,
        method: "POST",
        target: "/setsession",
        form: &[],
        send: Send::Jar,
        status: 405,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Allow", "GET, HEAD, OPTIONS"),
            ("Content-Length", "153"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n",
    },
    Step {
        label: "HEAD runs the GET view with an empty body",
        now: T0 + 60,
        method: "HEAD",
        target: "/setsession",
        form: &[],
        send: Send::Nothing,
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "24"),
            ("Vary", "Cookie"),
            ("Set-Cookie", "session=eyJVc2VybmFtZSI6IkFkbWluIn0.ZVPxPA.L_7KKcAO3WPLtdg2xb0DbnBtJjA; HttpOnly; Path=/"),
        ],
        body: "",
    },
];

// gen_app_vectors.py run_seed_003() (Flask 3.1.3, secret 'hello', lifetime 300 s, T0 = 1700000000)
const SEED_003: &[Step] = &[
    Step {
        label: "user without a cookie redirects to login",
        now: T0,
        method: "GET",
        target: "/user",
        form: &[],
        send: Send::Jar,
        status: 302,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "199"),
            ("Location", "/login"),
            ("Vary", "Cookie"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"/login\">/login</a>. If not, click the link.\n",
    },
    Step {
        label: "login page",
        now: T0,
        method: "GET",
        target: "/login",
        form: &[],
        send: Send::Jar,
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "194"),
            ("Vary", "Cookie"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>Login</title>\n<h1>Login</h1>\n<form action=\"#\" method=\"post\">\n<p>Name: <input type=\"text\" name=\"nm\"></p>\n<p><input type=\"submit\" value=\"submit\"></p>\n</form>\n",
    },
    Step {
        label: "login POST makes the session permanent and redirects",
        now: T0 + 10,
        method: "POST",
        target: "/login",
        form: &[("nm", "Alice")],
        send: Send::Jar,
        status: 302,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "197"),
            ("Location", "/user"),
            ("Vary", "Cookie"),
            ("Set-Cookie", "session=eyJfcGVybWFuZW50Ijp0cnVlLCJ1c2VyIjoiQWxpY2UifQ.ZVPxCg.ycFohYUTPbKD0cCB4etnOXN7RGY; Expires=Tue, 14 Nov 2023 22:18:30 GMT; HttpOnly; Path=/"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"/user\">/user</a>. If not, click the link.\n",
    },
    Step {
        label: "user greets and re-signs (sliding expiry)",
        now: T0 + 20,
        method: "GET",
        target: "/user",
        form: &[],
        send: Send::Jar,
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "14"),
            ("Vary", "Cookie"),
            ("Set-Cookie", "session=eyJfcGVybWFuZW50Ijp0cnVlLCJ1c2VyIjoiQWxpY2UifQ.ZVPxFA.QfZoPfEt719fuiD1X4Oh7FY-XT0; Expires=Tue, 14 Nov 2023 22:18:40 GMT; HttpOnly; Path=/"),
        ],
        body: "<h1>Alice</h1>",
    },
    Step {
        label: "200 s later the cookie is re-signed with a new timestamp and Expires",
        now: T0 + 220,
        method: "GET",
        target: "/user",
        form: &[],
        send: Send::Jar,
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "14"),
            ("Vary", "Cookie"),
            ("Set-Cookie", "session=eyJfcGVybWFuZW50Ijp0cnVlLCJ1c2VyIjoiQWxpY2UifQ.ZVPx3A.abfW1NQWi-Lneffa-OiE-7VoRVA; Expires=Tue, 14 Nov 2023 22:22:00 GMT; HttpOnly; Path=/"),
        ],
        body: "<h1>Alice</h1>",
    },
    Step {
        label: "exactly 300 s after the last refresh it is still accepted",
        now: T0 + 520,
        method: "GET",
        target: "/user",
        form: &[],
        send: Send::Jar,
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "14"),
            ("Vary", "Cookie"),
            ("Set-Cookie", "session=eyJfcGVybWFuZW50Ijp0cnVlLCJ1c2VyIjoiQWxpY2UifQ.ZVPzCA.iNV4_QC0XMQCYCCbr5smpgCz5PQ; Expires=Tue, 14 Nov 2023 22:27:00 GMT; HttpOnly; Path=/"),
        ],
        body: "<h1>Alice</h1>",
    },
    Step {
        label: "login GET with a session redirects to user",
        now: T0 + 530,
        method: "GET",
        target: "/login",
        form: &[],
        send: Send::Jar,
        status: 302,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "197"),
            ("Location", "/user"),
            ("Vary", "Cookie"),
            ("Set-Cookie", "session=eyJfcGVybWFuZW50Ijp0cnVlLCJ1c2VyIjoiQWxpY2UifQ.ZVPzEg.Oj9VOoOAGyeUEn31RsX205DY0iI; Expires=Tue, 14 Nov 2023 22:27:10 GMT; HttpOnly; Path=/"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"/user\">/user</a>. If not, click the link.\n",
    },
    Step {
        label: "the cookie from login (signed at +10) is expired at +311",
        now: T0 + 311,
        method: "GET",
        target: "/user",
        form: &[],
        send: Send::Raw("session=eyJfcGVybWFuZW50Ijp0cnVlLCJ1c2VyIjoiQWxpY2UifQ.ZVPxCg.ycFohYUTPbKD0cCB4etnOXN7RGY"),
        status: 302,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "199"),
            ("Location", "/login"),
            ("Vary", "Cookie"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"/login\">/login</a>. If not, click the link.\n",
    },
    Step {
        label: "301 s after the last refresh the cookie is rejected",
        now: T0 + 831,
        method: "GET",
        target: "/user",
        form: &[],
        send: Send::Jar,
        status: 302,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "199"),
            ("Location", "/login"),
            ("Vary", "Cookie"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"/login\">/login</a>. If not, click the link.\n",
    },
    Step {
        label: "login again",
        now: T0 + 900,
        method: "POST",
        target: "/login",
        form: &[("nm", "Bob")],
        send: Send::Jar,
        status: 302,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "197"),
            ("Location", "/user"),
            ("Vary", "Cookie"),
            ("Set-Cookie", "session=eyJfcGVybWFuZW50Ijp0cnVlLCJ1c2VyIjoiQm9iIn0.ZVP0hA.TLpDzDUhuxwWahB39CJrsMYkbjM; Expires=Tue, 14 Nov 2023 22:33:20 GMT; HttpOnly; Path=/"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"/user\">/user</a>. If not, click the link.\n",
    },
    Step {
        label: "logout pops user but _permanent stays, so a cookie is still sent",
        now: T0 + 910,
        method: "GET",
        target: "/logout",
        form: &[],
        send: Send::Jar,
        status: 302,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "199"),
            ("Location", "/login"),
            ("Vary", "Cookie"),
            ("Set-Cookie", "session=eyJfcGVybWFuZW50Ijp0cnVlfQ.ZVP0jg.h29hySd8cIpHILxlj3q0IAst-zI; Expires=Tue, 14 Nov 2023 22:33:30 GMT; HttpOnly; Path=/"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"/login\">/login</a>. If not, click the link.\n",
    },
    Step {
        label: "user after logout redirects to login and refreshes {_permanent: true}",
        now: T0 + 920,
        method: "GET",
        target: "/user",
        form: &[],
        send: Send::Jar,
        status: 302,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "199"),
            ("Location", "/login"),
            ("Vary", "Cookie"),
            ("Set-Cookie", "session=eyJfcGVybWFuZW50Ijp0cnVlfQ.ZVP0mA.fTNtT-UY1VlyRUW8VUQlKB29Ss8; Expires=Tue, 14 Nov 2023 22:33:40 GMT; HttpOnly; Path=/"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"/login\">/login</a>. If not, click the link.\n",
    },
    Step {
        label: "login POST without nm is a 400 but session.permanent was already set",
        now: T0 + 930,
        method: "POST",
        target: "/login",
        form: &[],
        send: Send::Nothing,
        status: 400,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "167"),
            ("Vary", "Cookie"),
            ("Set-Cookie", "session=eyJfcGVybWFuZW50Ijp0cnVlfQ.ZVP0og.CD7xsaC_j5zjIxsmBZdeRPstfDE; Expires=Tue, 14 Nov 2023 22:33:50 GMT; HttpOnly; Path=/"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n<p>The browser (or proxy) sent a request that this server could not understand.</p>\n",
    },
    Step {
        label: "hostile name: login",
        now: T0 + 1000,
        method: "POST",
        target: "/login",
        form: &[("nm", "<img src=x onerror=alert(1)>")],
        send: Send::Nothing,
        status: 302,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "197"),
            ("Location", "/user"),
            ("Vary", "Cookie"),
            ("Set-Cookie", "session=eyJfcGVybWFuZW50Ijp0cnVlLCJ1c2VyIjoiPGltZyBzcmM9eCBvbmVycm9yPWFsZXJ0KDEpPiJ9.ZVP06A.t4k0XJOwFu7_494oKCNUBiISZ-c; Expires=Tue, 14 Nov 2023 22:35:00 GMT; HttpOnly; Path=/"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"/user\">/user</a>. If not, click the link.\n",
    },
    Step {
        label: "hostile name is returned raw by the f-string",
        now: T0 + 1010,
        method: "GET",
        target: "/user",
        form: &[],
        send: Send::Jar,
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "37"),
            ("Vary", "Cookie"),
            ("Set-Cookie", "session=eyJfcGVybWFuZW50Ijp0cnVlLCJ1c2VyIjoiPGltZyBzcmM9eCBvbmVycm9yPWFsZXJ0KDEpPiJ9.ZVP08g.bQQKiYN2dgoIa6hEsZgzonl_9U4; Expires=Tue, 14 Nov 2023 22:35:10 GMT; HttpOnly; Path=/"),
        ],
        body: "<h1><img src=x onerror=alert(1)></h1>",
    },
    Step {
        label: "tampered cookie is treated as empty",
        now: T0 + 1020,
        method: "GET",
        target: "/user",
        form: &[],
        send: Send::Raw("session=eyJfcGVybWFuZW50Ijp0cnVlLCJ1c2VyIjoiPGltZyBzcmM9eCBvbmVycm9yPWFsZXJ0KDEpPiJ9.ZVP08g.bQQKiYN2dgoIa6hEsZgzonl_9UA"),
        status: 302,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "199"),
            ("Location", "/login"),
            ("Vary", "Cookie"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"/login\">/login</a>. If not, click the link.\n",
    },
    Step {
        label: "a seed-001 cookie (other secret key) is rejected",
        now: T0 + 1020,
        method: "GET",
        target: "/user",
        form: &[],
        send: Send::Raw("session=eyJVc2VybmFtZSI6IkFkbWluIn0.ZVPxAA.pZmAdVXTLGbqaN54p7rl0EWVl94"),
        status: 302,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "199"),
            ("Location", "/login"),
            ("Vary", "Cookie"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"/login\">/login</a>. If not, click the link.\n",
    },
    Step {
        label: "unknown path is a 404 and still refreshes the permanent cookie",
        now: T0 + 1030,
        method: "GET",
        target: "/nope",
        form: &[],
        send: Send::Jar,
        status: 404,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "207"),
            ("Set-Cookie", "session=eyJfcGVybWFuZW50Ijp0cnVlLCJ1c2VyIjoiPGltZyBzcmM9eCBvbmVycm9yPWFsZXJ0KDEpPiJ9.ZVP1Bg.uoqxIW--NPfCAM5ww3wxMVFF9tI; Expires=Tue, 14 Nov 2023 22:35:30 GMT; HttpOnly; Path=/"),
            ("Vary", "Cookie"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n",
    },
    Step {
        label: "POST /user is a 405 and still refreshes the permanent cookie",
        now: T0 + 1040,
        method: "POST",
        target: "/user",
        form: &[],
        send: Send::Jar,
        status: 405,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Allow", "GET, HEAD, OPTIONS"),
            ("Content-Length", "153"),
            ("Set-Cookie", "session=eyJfcGVybWFuZW50Ijp0cnVlLCJ1c2VyIjoiPGltZyBzcmM9eCBvbmVycm9yPWFsZXJ0KDEpPiJ9.ZVP1EA.5_vEvSjtB9to7Gzf86E7eDJY4B0; Expires=Tue, 14 Nov 2023 22:35:40 GMT; HttpOnly; Path=/"),
            ("Vary", "Cookie"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n",
    },
    Step {
        label: "DELETE /login is a 405",
        now: T0 + 1050,
        method: "DELETE",
        target: "/login",
        form: &[],
        send: Send::Nothing,
        status: 405,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Allow", "GET, HEAD, OPTIONS, POST"),
            ("Content-Length", "153"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n",
    },
    Step {
        label: "OPTIONS /login answers with Allow",
        now: T0 + 1060,
        method: "OPTIONS",
        target: "/login",
        form: &[],
        send: Send::Nothing,
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Allow", "GET, HEAD, OPTIONS, POST"),
            ("Content-Length", "0"),
        ],
        body: "",
    },
    Step {
        label: "unicode name round trips",
        now: T0 + 1100,
        method: "POST",
        target: "/login",
        form: &[("nm", "Zoë ☃ 😀")],
        send: Send::Nothing,
        status: 302,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "197"),
            ("Location", "/user"),
            ("Vary", "Cookie"),
            ("Set-Cookie", "session=eyJfcGVybWFuZW50Ijp0cnVlLCJ1c2VyIjoiWm9cdTAwZWIgXHUyNjAzIFx1ZDgzZFx1ZGUwMCJ9.ZVP1TA.AM-p_oRGH7PPZMmr441W4ymuIuE; Expires=Tue, 14 Nov 2023 22:36:40 GMT; HttpOnly; Path=/"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\"/user\">/user</a>. If not, click the link.\n",
    },
    Step {
        label: "unicode name greeting",
        now: T0 + 1110,
        method: "GET",
        target: "/user",
        form: &[],
        send: Send::Jar,
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "22"),
            ("Vary", "Cookie"),
            ("Set-Cookie", "session=eyJfcGVybWFuZW50Ijp0cnVlLCJ1c2VyIjoiWm9cdTAwZWIgXHUyNjAzIFx1ZDgzZFx1ZGUwMCJ9.ZVP1Vg.b-gofOucQzLu5IBusULztFzL9Gg; Expires=Tue, 14 Nov 2023 22:36:50 GMT; HttpOnly; Path=/"),
        ],
        body: "<h1>Zoë ☃ 😀</h1>",
    },
];

// gen_app_vectors.py run_seed_001_cookie_headers() first table
const SEED_001_COOKIE_HEADERS: &[Step] = &[
    Step {
        label: "quoted value is unquoted",
        now: T0 + 60,
        method: "GET",
        target: "/getsession",
        form: &[],
        send: Send::Raw(
            "session=\"eyJVc2VybmFtZSI6IkFkbWluIn0.ZVPxAA.pZmAdVXTLGbqaN54p7rl0EWVl94\"",
        ),
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "13"),
            ("Vary", "Cookie"),
        ],
        body: "Welcome Admin",
    },
    Step {
        label: "spaces around = and ; are ignored",
        now: T0 + 60,
        method: "GET",
        target: "/getsession",
        form: &[],
        send: Send::Raw(
            " session = eyJVc2VybmFtZSI6IkFkbWluIn0.ZVPxAA.pZmAdVXTLGbqaN54p7rl0EWVl94 ; other=1",
        ),
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "13"),
            ("Vary", "Cookie"),
        ],
        body: "Welcome Admin",
    },
    Step {
        label: "session after another cookie",
        now: T0 + 60,
        method: "GET",
        target: "/getsession",
        form: &[],
        send: Send::Raw(
            "other=1;session=eyJVc2VybmFtZSI6IkFkbWluIn0.ZVPxAA.pZmAdVXTLGbqaN54p7rl0EWVl94",
        ),
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "13"),
            ("Vary", "Cookie"),
        ],
        body: "Welcome Admin",
    },
    Step {
        label: "trailing junk after a space drops the cookie",
        now: T0 + 60,
        method: "GET",
        target: "/getsession",
        form: &[],
        send: Send::Raw(
            "session=eyJVc2VybmFtZSI6IkFkbWluIn0.ZVPxAA.pZmAdVXTLGbqaN54p7rl0EWVl94 trailing",
        ),
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "17"),
            ("Vary", "Cookie"),
        ],
        body: "Welcome Anonymous",
    },
    Step {
        label: "cookie names are case-sensitive",
        now: T0 + 60,
        method: "GET",
        target: "/getsession",
        form: &[],
        send: Send::Raw("Session=eyJVc2VybmFtZSI6IkFkbWluIn0.ZVPxAA.pZmAdVXTLGbqaN54p7rl0EWVl94"),
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "17"),
            ("Vary", "Cookie"),
        ],
        body: "Welcome Anonymous",
    },
    Step {
        label: "empty session value is no cookie",
        now: T0 + 60,
        method: "GET",
        target: "/getsession",
        form: &[],
        send: Send::Raw("session=; other=1"),
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "17"),
            ("Vary", "Cookie"),
        ],
        body: "Welcome Anonymous",
    },
];

// gen_app_vectors.py run_seed_001_cookie_headers() second table
const SEED_001_COOKIE_HEADER_MISMATCHES: &[Step] = &[
    Step {
        label: "a value with a space is skipped, so the next session cookie is used",
        now: T0 + 60,
        method: "GET",
        target: "/getsession",
        form: &[],
        send: Send::Raw("session=not valid; session=eyJVc2VybmFtZSI6IkFkbWluIn0.ZVPxAA.pZmAdVXTLGbqaN54p7rl0EWVl94"),
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "13"),
            ("Vary", "Cookie"),
        ],
        body: "Welcome Admin",
    },
    Step {
        label: "an unbalanced quote is skipped, so the next session cookie is used",
        now: T0 + 60,
        method: "GET",
        target: "/getsession",
        form: &[],
        send: Send::Raw("session=\"unbalanced; session=eyJVc2VybmFtZSI6IkFkbWluIn0.ZVPxAA.pZmAdVXTLGbqaN54p7rl0EWVl94"),
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "13"),
            ("Vary", "Cookie"),
        ],
        body: "Welcome Admin",
    },
    Step {
        label: "a quoted value may hold ';' (not a cookie boundary)",
        now: T0 + 60,
        method: "GET",
        target: "/getsession",
        form: &[],
        send: Send::Raw("x=\"a;session=junk\"; session=eyJVc2VybmFtZSI6IkFkbWluIn0.ZVPxAA.pZmAdVXTLGbqaN54p7rl0EWVl94"),
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "13"),
            ("Vary", "Cookie"),
        ],
        body: "Welcome Admin",
    },
    Step {
        label: "a tab inside a value skips it",
        now: T0 + 60,
        method: "GET",
        target: "/getsession",
        form: &[],
        send: Send::Raw("session=a\tb; session=eyJVc2VybmFtZSI6IkFkbWluIn0.ZVPxAA.pZmAdVXTLGbqaN54p7rl0EWVl94"),
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "13"),
            ("Vary", "Cookie"),
        ],
        body: "Welcome Admin",
    },
];

// gen_app_vectors.py run_seed_001_signed_payloads() first table
const SEED_001_SIGNED_PAYLOADS: &[Step] = &[
    Step {
        label: "not JSON at all: BadPayload, a 500",
        now: T0 + 60,
        method: "GET",
        target: "/getsession",
        form: &[],
        send: Send::Raw("session=bm90IGpzb24.ZVPxAA.rjxXP1eRes1vFoCnNNrXHqYCSgc"),
        status: 500,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "265"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>\n",
    },
    Step {
        label: "a JSON list of numbers: dict() fails, a 500",
        now: T0 + 60,
        method: "GET",
        target: "/getsession",
        form: &[],
        send: Send::Raw("session=WzFd.ZVPxAA.bC_KRVIUGR85oW_Vm9N3PeC2DI4"),
        status: 500,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "265"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>\n",
    },
    Step {
        label: "a JSON number: dict() fails, a 500",
        now: T0 + 60,
        method: "GET",
        target: "/getsession",
        form: &[],
        send: Send::Raw("session=MQ.ZVPxAA.V0zKhulky-OPrOVB0qZFm4sDf3w"),
        status: 500,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "265"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>\n",
    },
    Step {
        label: "a JSON string of one character: dict() fails, a 500",
        now: T0 + 60,
        method: "GET",
        target: "/getsession",
        form: &[],
        send: Send::Raw("session=Ingi.ZVPxAA.nRsZDwkWufnzKyAVpJ5F7e-sLco"),
        status: 500,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "265"),
        ],
        body: "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>\n",
    },
];

// gen_app_vectors.py run_seed_001_signed_payloads() second table
const SEED_001_SIGNED_PAYLOAD_MISMATCHES: &[Step] = &[
    Step {
        label: "JSON null: dict(None) is an empty session",
        now: T0 + 60,
        method: "GET",
        target: "/getsession",
        form: &[],
        send: Send::Raw("session=bnVsbA.ZVPxAA.HVH-XTzL4rTjxRp4HchsB8Lqx0c"),
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "17"),
            ("Vary", "Cookie"),
        ],
        body: "Welcome Anonymous",
    },
    Step {
        label: "an empty JSON list: an empty session",
        now: T0 + 60,
        method: "GET",
        target: "/getsession",
        form: &[],
        send: Send::Raw("session=W10.ZVPxAA.Xey7X0-3Y-K44xa3_e84J5HglNw"),
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "17"),
            ("Vary", "Cookie"),
        ],
        body: "Welcome Anonymous",
    },
    Step {
        label: "a JSON list of pairs becomes the session",
        now: T0 + 60,
        method: "GET",
        target: "/getsession",
        form: &[],
        send: Send::Raw("session=W1siVXNlcm5hbWUiLCJCb2IiXV0.ZVPxAA.pQbfYThVW1txL8l_zRSnsv8er_o"),
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "11"),
            ("Vary", "Cookie"),
        ],
        body: "Welcome Bob",
    },
    Step {
        label: "an empty JSON string: an empty session",
        now: T0 + 60,
        method: "GET",
        target: "/getsession",
        form: &[],
        send: Send::Raw("session=IiI.ZVPxAA.0nSHhLWvtfLCONDDsnauR95p4ag"),
        status: 200,
        headers: &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", "17"),
            ("Vary", "Cookie"),
        ],
        body: "Welcome Anonymous",
    },
];
