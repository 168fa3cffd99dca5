//! Rotating `SECRET_KEY`: without a fallback every signed-in cookie is refused; with the old
//! key in `SECRET_KEY_FALLBACKS` it is accepted and re-signed with the new key. With the lab's
//! `LAB_FLASK_3_1_0` switch (Flask 3.1.0's key order, CVE-2025-47278) new cookies come back
//! signed with the fallback, and retiring it signs the user out; after the upgrade (switch
//! off) the same retirement costs nothing.

use session_lab::client::jar::Jar;
use session_lab::engine::flask::sessions::CookieVerdict;
use session_lab::engine::itsdangerous::signing::UnsignError;
use session_lab::lab::lesson::{payload_json, session_sent, session_set};
use session_lab::lab::run::Run;
use session_lab::lab::scenarios::attack_key_rotation::{
    signed_with, KEY_JUNE, KEY_MARCH, KEY_START, SCENARIO,
};
use session_lab::lab::Exchange;

const KEYS: [&str; 3] = [KEY_START, KEY_MARCH, KEY_JUNE];

/// Opens the lab and presses each step's "Do it" in order, one second apart; returns the run
/// and, per step, the log positions its "Do it" produced.
fn walk() -> (Run<Jar>, Vec<(&'static str, std::ops::Range<usize>)>) {
    let walked = crate::support::walk(&SCENARIO, 11, None);
    (walked.run, walked.spans)
}

/// The only one of the lesson's keys that verifies `value`.
fn signer(value: &str) -> &'static str {
    let keys: Vec<&str> = KEYS.into_iter().filter(|k| signed_with(value, k)).collect();
    assert_eq!(keys.len(), 1, "{value}: {keys:?}");
    keys[0]
}

/// The step's last `GET /about` that was not redirected to.
fn about<'a>(log: &'a [Exchange], span: &std::ops::Range<usize>) -> &'a Exchange {
    log[span.clone()]
        .iter()
        .rev()
        .find(|e| e.method == "GET" && e.path() == "/about")
        .expect("a GET /about")
}

#[test]
fn rotation_with_and_without_fallbacks_and_on_flask_3_1_0() {
    let (run, spans) = walk();
    let log = &run.lab.as_ref().unwrap().log;
    let span = |id: &str| spans.iter().find(|(s, _)| *s == id).unwrap().1.clone();
    let sent = |e: &Exchange| session_sent(e).expect("a session cookie was sent");
    let set = |e: &Exchange| session_set(e).expect("a session cookie").value.to_string();

    // Signed in under the tutorial's key.
    let login = log[span("sign-in")]
        .iter()
        .find(|e| e.method == "POST")
        .unwrap();
    let first = set(login);
    assert_eq!(signer(&first), KEY_START);
    assert_eq!(
        payload_json(&first).as_deref(),
        Some(r#"{"_permanent":true,"lang":"en","theme":"dark","user_name":"ada"}"#)
    );

    // New key, no fallback: the same bytes are refused and the user is sent to sign in.
    let e = about(log, &span("rotate"));
    assert_eq!(sent(e), first);
    assert_eq!(
        e.verdict,
        Some(CookieVerdict::Rejected(UnsignError::BadSignature))
    );
    assert_eq!(e.status(), 302);
    assert!(e
        .header("Location")
        .is_some_and(|l| l.starts_with("/login?next=")));

    // With march-key as the fallback of june-key: accepted (key 0 of [march, june]) and
    // re-signed with june-key.
    let e = about(log, &span("fallback"));
    assert_eq!(signer(&sent(e)), KEY_MARCH);
    assert!(matches!(
        e.verdict,
        Some(CookieVerdict::Valid { key_index: 0, .. })
    ));
    assert_eq!(e.status(), 200);
    let june = set(e);
    assert_eq!(signer(&june), KEY_JUNE);

    // Flask 3.1.0's order, [june, march]: june-key verifies (key 0) and march-key signs.
    let e = about(log, &span("flask-3-1-0"));
    assert_eq!(sent(e), june);
    assert!(matches!(
        e.verdict,
        Some(CookieVerdict::Valid { key_index: 0, .. })
    ));
    let stale = set(e);
    assert_eq!(signer(&stale), KEY_MARCH);
    assert_eq!(payload_json(&stale), payload_json(&june));

    // Retiring march-key now signs the user out.
    let e = about(log, &span("retire-on-3-1-0"));
    assert_eq!(sent(e), stale);
    assert_eq!(
        e.verdict,
        Some(CookieVerdict::Rejected(UnsignError::BadSignature))
    );
    assert_eq!(e.status(), 302);

    // The upgrade: the fallback verifies the stale cookie, june-key signs the new one.
    let e = about(log, &span("upgrade"));
    assert_eq!(sent(e), stale);
    assert_eq!(e.status(), 200);
    let renewed = set(e);
    assert_eq!(signer(&renewed), KEY_JUNE);

    // And retiring march-key after the upgrade keeps the user signed in.
    let e = about(log, &span("retire"));
    assert_eq!(sent(e), renewed);
    assert!(matches!(
        e.verdict,
        Some(CookieVerdict::Valid { key_index: 0, .. })
    ));
    assert_eq!(e.status(), 200);
    assert_eq!(signer(&set(e)), KEY_JUNE);

    // Flask-Session ignores SECRET_KEY: the id still opens /about after another change.
    let e = about(log, &span("server-side"));
    let id = sent(e);
    assert_eq!(id.len(), 43, "{id}");
    assert!(matches!(e.verdict, Some(CookieVerdict::Valid { .. })));
    assert_eq!(e.status(), 200);
}

/// While the switch is on every cookie the server sets is signed with march-key; from the
/// upgrade on (until the storage changes), every one is signed with june-key.
#[test]
fn the_switch_decides_which_key_signs() {
    let (run, spans) = walk();
    let log = &run.lab.as_ref().unwrap().log;
    let span = |id: &str| spans.iter().find(|(s, _)| *s == id).unwrap().1.clone();
    let set_in = |range: std::ops::Range<usize>| -> Vec<String> {
        log[range]
            .iter()
            .filter_map(|e| session_set(e).map(|c| c.value.to_string()))
            .collect()
    };
    let on = set_in(span("flask-3-1-0").start..span("upgrade").start);
    assert!(!on.is_empty());
    assert!(on.iter().all(|v| signer(v) == KEY_MARCH), "{on:?}");
    let off = set_in(span("upgrade").start..span("server-side").start);
    assert!(off.len() >= 2, "{off:?}");
    assert!(off.iter().all(|v| signer(v) == KEY_JUNE), "{off:?}");
}
