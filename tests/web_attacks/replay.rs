//! `attack-replay` in Chromium, through the Do it buttons: the real cookie, deleted by logout
//! and put back, signs in again until the age limit; after the fix logout removes the stored
//! session from `localStorage` and the id put back finds nothing.

use super::read::{loot, newest_exchange, step, stored_keys, viewport};
use super::web_dom::*;
use wasm_bindgen_test::*;

const ID: &str = "attack-replay";

#[wasm_bindgen_test]
async fn a_logged_out_cookie_comes_back_until_its_age_limit_and_a_deleted_id_does_not() {
    let m = Mounted::open(ID).await;
    step(&m, "login").await;
    let cookie = real_cookie(ID, "session").expect("the session cookie");
    assert!(cookie.contains('.'), "a signed cookie: {cookie}");

    step(&m, "copy-logout").await;
    assert_eq!(real_cookie(ID, "session"), None, "logout deleted it");
    assert!(loot(&m).starts_with("Copied: session="), "{}", loot(&m));

    // The attack works.
    step(&m, "replay").await;
    assert_eq!(real_cookie(ID, "session"), Some(cookie.clone()));
    assert!(viewport(&m, false).contains("Welcome ada!"));
    assert!(viewport(&m, false).contains("This is the About page."));

    step(&m, "age-limit").await;
    assert!(viewport(&m, false).contains("Sign in below."));
    let refusals: Vec<String> = m
        .all("section.wire .log .exchange .verdict")
        .iter()
        .map(text_of)
        .collect();
    assert!(
        refusals
            .iter()
            .any(|v| v.contains("expired") && v.contains("> 300 seconds")),
        "{refusals:?}"
    );

    // The fix: the stored session goes with the logout.
    step(&m, "fix").await;
    assert_eq!(real_cookie(ID, "session"), None);
    assert!(stored_keys(ID).is_empty(), "{:?}", stored_keys(ID));
    let copied = loot(&m);
    assert!(copied.starts_with("Copied: session="), "{copied}");
    assert!(!copied.contains(&cookie[..20]), "a new copy: {copied}");

    // The attack fails.
    step(&m, "replay-again").await;
    let id = real_cookie(ID, "session").expect("the id, put back");
    assert!(!id.contains('.') && id.len() == 43, "{id}");
    assert!(stored_keys(ID).iter().all(|k| !k.ends_with(&id)));
    assert!(viewport(&m, false).contains("Sign in below."));
    let target = |ex: &web_sys::Element| text_of(&one(ex, ".request-line .target"));
    assert!(target(&newest_exchange(&m)).starts_with("/login?next="));
    let refused = m
        .all("section.wire .log .exchange")
        .into_iter()
        .find(|ex| target(ex) == "/about")
        .map(|ex| text_of(&ex))
        .unwrap_or_default();
    assert!(
        refused.contains(&format!("Cookie: session={id}"))
            && refused.contains("session id unknown to the store"),
        "{refused}"
    );
    m.close().await;
}
