//! The two tutorial apps driven through `App::serve`, compared with what REAL Flask 3.1.3 sends
//! for the same requests at the same (frozen) clock.
//!
//! Every expected status, header list and body comes from tests/fixtures/apps.json, written by
//! real Flask: `tests/fixtures/generate.py` runs the Flask twins `seed_001()` / `seed_003()` of
//! `tests/interop/flask_twins.py` through the flows of `tests/fixtures/apps.py`
//! (`run_seed_001()`, `run_seed_003()`, `run_seed_001_cookie_headers()`,
//! `run_seed_001_signed_payloads()`) under a frozen clock, and
//! its `--check` (part of `make test`) proves the file is still what Flask makes. Nothing here
//! was copied from this crate's own output. The tables are read and run by the shared harness
//! in tests/common/mod.rs.
//!
//! The browser in both languages is the same tiny cookie jar (`SessionJar` in
//! tests/fixtures/harness.py): it keeps the latest `session` value from `Set-Cookie`, sends it
//! back as `Cookie: session=...`, and forgets it on a deletion cookie. It does not drop the
//! cookie when `Expires` passes, so the server-side `max_age` check (the one a client that
//! ignores `Expires` runs into) can be seen.
//!
//! `Allow` is built from a Python set, so Flask's order changes with `PYTHONHASHSEED`; the
//! generator records it sorted and it is compared here as a set.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{Step, Table};
use session_lab::engine::apps::{seed_001, seed_003};
use session_lab::engine::flask::app::{App, Handled};
use session_lab::engine::flask::sessions::CookieVerdict;
use session_lab::engine::itsdangerous::signing::{Segments, UnsignError};
use session_lab::engine::werkzeug::http_date::http_date;
use session_lab::lab::scenarios;

/// Every table of apps.json this file runs, in the file's order.
const TABLES: &[&str] = &[
    SEED_001,
    SEED_003,
    SEED_001_COOKIE_HEADERS,
    SEED_001_COOKIE_HEADER_MISMATCHES,
    SEED_001_SIGNED_PAYLOADS,
    SEED_001_SIGNED_PAYLOAD_MISMATCHES,
];
const SEED_001: &str = "SEED_001";
const SEED_003: &str = "SEED_003";
const SEED_001_COOKIE_HEADERS: &str = "SEED_001_COOKIE_HEADERS";
const SEED_001_COOKIE_HEADER_MISMATCHES: &str = "SEED_001_COOKIE_HEADER_MISMATCHES";
const SEED_001_SIGNED_PAYLOADS: &str = "SEED_001_SIGNED_PAYLOADS";
const SEED_001_SIGNED_PAYLOAD_MISMATCHES: &str = "SEED_001_SIGNED_PAYLOAD_MISMATCHES";

/// A table of apps.json.
fn table(name: &str) -> &'static Table {
    common::apps().table(name)
}

/// Runs a table through one app and compares every response with Flask's. Returns the
/// responses for extra checks.
fn run(app: &App, name: &str) -> Vec<Handled> {
    common::run(app, table(name))
}

fn step(name: &str, label: &str) -> (usize, &'static Step) {
    table(name).find(label)
}

fn header<'a>(step: &'a Step, name: &str) -> Option<&'a str> {
    step.header(name)
}

/// The session cookie value of a step's `Set-Cookie`, and its attributes.
fn set_cookie(step: &Step) -> Option<(&str, &str)> {
    let h = step.set_cookie("session")?;
    let rest = h.strip_prefix("session=")?;
    Some(
        rest.split_once(';')
            .map_or((rest, ""), |(v, a)| (v, a.trim_start())),
    )
}

#[test]
fn every_table_of_apps_json_is_run_here() {
    common::apps().assert_tables_are(TABLES);
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
            // The cookie was signed at the start of the flow.
            timestamp: common::apps().clock
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
