//! `attack-hijack` natively: with `SESSION_COOKIE_HTTPONLY = False` a script's copy of the
//! cookie makes the second browser ada; with `HttpOnly` a script copies nothing, but a copy
//! taken with the browser in hand still works; on a server-side session the victim's logout
//! ends the copy.

use super::read::{is, only_set_cookie, value_of};
use crate::support::Walker;
use session_lab::engine::flask::sessions::CookieVerdict;
use session_lab::lab::lesson::payload_json;
use session_lab::lab::BrowserId;

const MAIN: BrowserId = BrowserId::Main;
const SECOND: BrowserId = BrowserId::Second;

#[test]
fn a_copied_cookie_is_the_user_httponly_only_stops_scripts_and_logout_ends_a_stored_one() {
    let mut walk = Walker::open("attack-hijack");
    assert!(walk.step("login").is_empty());
    let set = only_set_cookie(walk.last(|e| is(e, MAIN, "POST", "/login"))).to_string();
    assert!(
        set.starts_with("session=") && set.ends_with("; Path=/"),
        "{set}"
    );
    assert!(!set.contains("HttpOnly"), "{set}");
    let cookie = value_of(&set).to_string();

    // The attack works: a script's copy, planted in the second browser, is ada.
    let said = walk.step("hijack");
    assert_eq!(said, ["The attacker copied session."]);
    let about = walk.last(|e| is(e, SECOND, "GET", "/about"));
    assert_eq!(
        about.cookie.as_deref(),
        Some(format!("session={cookie}").as_str())
    );
    assert!(matches!(about.verdict, Some(CookieVerdict::Valid { .. })));
    assert_eq!(about.status(), 200);
    assert!(about.response.body.contains("Welcome ada!"));

    // HttpOnly back on: the next sign-in's cookie has it.
    assert!(walk.step("httponly").is_empty());
    let set = only_set_cookie(walk.last(|e| is(e, MAIN, "POST", "/login"))).to_string();
    assert!(set.ends_with("; HttpOnly; Path=/"), "{set}");
    let guarded = value_of(&set).to_string();
    assert!(payload_json(&guarded).is_some());

    // A script gets nothing, so there is nothing to plant.
    let said = walk.step("script-blocked");
    assert_eq!(
        said,
        [
            "document.cookie does not show session: HttpOnly keeps it from scripts.",
            "The attacker got no cookies.",
            "The attacker has no copied cookies to put in.",
        ]
    );
    let about = walk.last(|e| is(e, SECOND, "GET", "/about"));
    assert_eq!(about.cookie, None);
    assert_eq!(about.verdict, Some(CookieVerdict::Absent));
    assert_eq!(
        about.header("Location"),
        Some("/login?next=http://localhost/about")
    );

    // With the browser in hand the HttpOnly cookie is copied all the same, and works.
    assert_eq!(walk.step("in-hand"), ["The attacker copied session."]);
    assert_eq!(walk.loot(), ("session".to_string(), guarded.clone()));
    let about = walk.last(|e| is(e, SECOND, "GET", "/about"));
    assert_eq!(
        about.cookie.as_deref(),
        Some(format!("session={guarded}").as_str())
    );
    assert!(matches!(about.verdict, Some(CookieVerdict::Valid { .. })));
    assert!(about.response.body.contains("Welcome ada!"));

    // Server-side: the id is hijacked just as easily...
    assert_eq!(walk.step("server-side"), ["The attacker copied session."]);
    let id = value_of(only_set_cookie(
        walk.last(|e| is(e, MAIN, "POST", "/login")),
    ))
    .to_string();
    assert_eq!(id.len(), 43);
    let about = walk.last(|e| is(e, SECOND, "GET", "/about"));
    assert_eq!(
        about.cookie.as_deref(),
        Some(format!("session={id}").as_str())
    );
    assert!(matches!(about.verdict, Some(CookieVerdict::Valid { .. })));
    assert!(about.response.body.contains("Welcome ada!"));
    assert_eq!(walk.store().expect("a store").len(), 1);

    // ...but ada's logout deletes it from the store, and the copy finds nothing.
    assert!(walk.step("logout").is_empty());
    assert_eq!(walk.store(), Some(Vec::new()));
    let about = walk.last(|e| is(e, SECOND, "GET", "/about"));
    assert_eq!(
        about.cookie.as_deref(),
        Some(format!("session={id}").as_str())
    );
    assert_eq!(about.verdict, Some(CookieVerdict::UnknownSessionId));
    assert_eq!(
        about.header("Location"),
        Some("/login?next=http://localhost/about")
    );
}

#[test]
fn the_copy_taken_before_httponly_still_works_on_a_cookie_session() {
    // What the why of "script-blocked" says: HttpOnly stops new copies, not old ones.
    let mut walk = Walker::open("attack-hijack");
    walk.step("login");
    walk.step("hijack");
    let old = walk.loot();
    walk.step("httponly");
    walk.act(session_lab::lab::Action::NavigateSecond("/contact"));
    let contact = walk.last(|e| is(e, SECOND, "GET", "/contact"));
    assert_eq!(contact.cookie, Some(format!("{}={}", old.0, old.1)));
    assert_eq!(contact.status(), 200);
    assert!(contact.response.body.contains("Welcome ada!"));
}
