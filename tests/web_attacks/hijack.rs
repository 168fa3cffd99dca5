//! `attack-hijack` in Chromium, through the Do it buttons: a script's copy of the real session
//! cookie makes the second browser ada; with HttpOnly a script copies nothing, a copy taken by
//! hand still works, and on a server-side session ada's logout ends it.

use super::read::{loot, step, stored_keys, viewport};
use super::web_dom::*;
use wasm_bindgen_test::*;

const ID: &str = "attack-hijack";
/// The second browser's real cookies: its scope `attack-hijack.second`, the dot made a dash.
const SECOND: &str = "attack-hijack-second";

/// The main browser's jar row for `session`: its flags (the size line left out).
fn session_flags(m: &Mounted) -> String {
    let row = m
        .all("section.state table.jar tbody tr:not(.why)")
        .into_iter()
        .find(|tr| {
            all(tr, "td")
                .first()
                .is_some_and(|td| text_of(td) == "session")
        })
        .expect("a session row in the jar");
    let flags = all(&row, "td")[4].clone();
    let size = flags
        .query_selector(".muted")
        .unwrap()
        .map(|d| text_of(&d))
        .unwrap_or_default();
    text_of(&flags).trim_end_matches(&size).trim().to_string()
}

#[wasm_bindgen_test]
async fn the_copied_cookie_is_ada_httponly_stops_only_scripts_and_logout_ends_a_stored_one() {
    let m = Mounted::open(ID).await;
    step(&m, "login").await;
    let cookie = real_cookie(ID, "session").expect("ada's cookie");
    assert_eq!(session_flags(&m), "", "no HttpOnly");

    // The attack works: the second browser holds ada's cookie and is let in.
    step(&m, "hijack").await;
    assert_eq!(real_cookie(SECOND, "session"), Some(cookie.clone()));
    assert!(
        viewport(&m, true).contains("Welcome ada!"),
        "{}",
        viewport(&m, true)
    );

    step(&m, "httponly").await;
    let guarded = real_cookie(ID, "session").expect("the new cookie");
    assert_eq!(session_flags(&m), "HttpOnly");

    // A script gets nothing now.
    step(&m, "script-blocked").await;
    assert_eq!(loot(&m), "Copied: nothing");
    assert_eq!(real_cookie(SECOND, "session"), None);
    assert!(
        viewport(&m, true).contains("Sign in below."),
        "{}",
        viewport(&m, true)
    );

    // By hand, the HttpOnly cookie is copied and works.
    step(&m, "in-hand").await;
    assert_eq!(real_cookie(SECOND, "session"), Some(guarded));
    assert!(viewport(&m, true).contains("Welcome ada!"));

    step(&m, "server-side").await;
    let id = real_cookie(ID, "session").expect("the id");
    assert!(!id.contains('.') && id.len() == 43, "{id}");
    assert_eq!(real_cookie(SECOND, "session"), Some(id.clone()));
    assert_eq!(stored_keys(ID), [format!("session:{id}")]);
    assert!(viewport(&m, true).contains("Welcome ada!"));

    // ada logs out: the stored session is gone, and the copy with it.
    step(&m, "logout").await;
    assert!(stored_keys(ID).is_empty(), "{:?}", stored_keys(ID));
    assert_eq!(real_cookie(ID, "session"), None);
    assert_eq!(real_cookie(SECOND, "session"), Some(id));
    assert!(viewport(&m, true).contains("Sign in below."));
    m.close().await;
}
