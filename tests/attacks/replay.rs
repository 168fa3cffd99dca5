//! `attack-replay` natively: a cookie copied before logout signs in again after it, until the
//! signature is older than `PERMANENT_SESSION_LIFETIME` (or the key changes); after the fix
//! (Flask-Session) logout deletes the stored session and the copied id finds nothing.

use super::read::{is, only_set_cookie, value_of};
use crate::support::Walker;
use session_lab::engine::flask::sessions::CookieVerdict;
use session_lab::engine::itsdangerous::signing::UnsignError;
use session_lab::lab::lesson::payload_json;
use session_lab::lab::{Action, BrowserId};

const MAIN: BrowserId = BrowserId::Main;

/// Measured with Flask 3.1.3: `session.clear()` on a cookie session sends this.
const FLASK_DELETION: &str =
    "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/";
/// Measured with Flask-Session 0.8.0: its `delete_cookie` passes no `httponly`.
const FLASK_SESSION_DELETION: &str =
    "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/";

#[test]
fn a_logged_out_cookie_works_until_its_age_limit_and_a_deleted_id_never() {
    let mut walk = Walker::open("attack-replay");
    assert!(walk.step("login").is_empty());
    let set = only_set_cookie(walk.last(|e| is(e, MAIN, "POST", "/login"))).to_string();
    assert!(!set.contains("Expires"), "a browser-session cookie: {set}");
    let cookie = value_of(&set).to_string();
    let signed_at = walk.last(|e| is(e, MAIN, "POST", "/login")).at;
    assert!(payload_json(&cookie).is_some_and(|j| j.contains(r#""user_name":"ada""#)));

    assert_eq!(walk.step("copy-logout"), ["The attacker copied session."]);
    assert_eq!(walk.loot(), ("session".to_string(), cookie.clone()));
    let logout = walk.last(|e| is(e, MAIN, "GET", "/logout"));
    assert_eq!(
        logout.cookie.as_deref(),
        Some(format!("session={cookie}").as_str())
    );
    assert_eq!(only_set_cookie(logout), FLASK_DELETION);
    assert!(
        walk.lab().main.jar.cookies(walk.now()).is_empty(),
        "the browser forgot it"
    );

    // The attack works: the logged-out value is accepted again.
    assert!(walk.step("replay").is_empty());
    let about = walk.last(|e| is(e, MAIN, "GET", "/about"));
    assert_eq!(
        about.cookie.as_deref(),
        Some(format!("session={cookie}").as_str())
    );
    assert_eq!(
        about.verdict,
        Some(CookieVerdict::Valid {
            key_index: 0,
            timestamp: signed_at
        })
    );
    assert_eq!(about.status(), 200);
    assert!(about.response.body.contains("Welcome ada!"));

    // Until the signature is older than the five minutes.
    assert!(walk.step("age-limit").is_empty());
    let about = walk.last(|e| is(e, MAIN, "GET", "/about"));
    assert_eq!(
        about.cookie.as_deref(),
        Some(format!("session={cookie}").as_str())
    );
    let age = about.at - signed_at;
    assert!(age > 300, "{age}");
    assert_eq!(
        about.verdict,
        Some(CookieVerdict::Rejected(UnsignError::Expired {
            age,
            max_age: 300
        }))
    );
    assert_eq!(
        about.header("Location"),
        Some("/login?next=http://localhost/about")
    );

    // The fix: the store holds the session until logout deletes it.
    let said = walk.step("fix");
    assert_eq!(said, ["The attacker copied session."]);
    let login = walk.last(|e| is(e, MAIN, "POST", "/login"));
    let id = value_of(only_set_cookie(login)).to_string();
    assert_eq!(walk.loot(), ("session".to_string(), id.clone()));
    let logout = walk.last(|e| is(e, MAIN, "GET", "/logout"));
    assert_eq!(
        logout.cookie.as_deref(),
        Some(format!("session={id}").as_str())
    );
    assert_eq!(only_set_cookie(logout), FLASK_SESSION_DELETION);
    let store = walk.store().expect("Flask-Session's store");
    assert!(
        store.iter().all(|(key, _)| *key != format!("session:{id}")),
        "{store:?}"
    );

    // The same attack fails: the id points at nothing.
    assert!(walk.step("replay-again").is_empty());
    let about = walk.last(|e| is(e, MAIN, "GET", "/about"));
    assert_eq!(
        about.cookie.as_deref(),
        Some(format!("session={id}").as_str())
    );
    assert_eq!(about.verdict, Some(CookieVerdict::UnknownSessionId));
    assert_eq!(
        about.header("Location"),
        Some("/login?next=http://localhost/about")
    );
    assert!(!about.response.body.contains("ada"));
}

#[test]
fn a_new_secret_key_ends_every_copy_at_once() {
    // The other client-side remedy in the lesson: rotate SECRET_KEY (no fallback).
    let mut walk = Walker::open("attack-replay");
    walk.step("login");
    walk.step("copy-logout");
    let said = walk.act(Action::Configure(
        "SECRET_KEY",
        "3d6f0c1b9e8a47f2a5c4e1d0b7f9a2c6e3b8d1f4a7c0e5b2d9f6a3c8e1b4d7f0",
    ));
    assert!(said.is_empty(), "{said:?}");
    assert!(walk.act(Action::Plant).is_empty());
    walk.act(Action::Navigate("/about"));
    let about = walk.last(|e| is(e, MAIN, "GET", "/about"));
    assert!(about.cookie.is_some());
    assert_eq!(
        about.verdict,
        Some(CookieVerdict::Rejected(UnsignError::BadSignature))
    );
    assert_eq!(about.status(), 302);
    // Within the age limit, so only the key decided it.
    assert!(about.at - walk.last(|e| is(e, MAIN, "POST", "/login")).at < 300);
}
