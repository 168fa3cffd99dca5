//! `attack-tamper` in Chromium, through the Do it buttons: the real `user_name` cookie edited
//! to admin opens /admin; after the fix the real session cookie with an admin payload is
//! refused and the site carries on with an empty session.

use super::read::{newest_exchange, step, viewport};
use super::web_dom::*;
use session_lab::lab::lesson::payload_json;
use wasm_bindgen_test::*;

const ID: &str = "attack-tamper";

#[wasm_bindgen_test]
async fn an_edited_cookie_opens_admin_until_the_session_is_signed() {
    let m = Mounted::open(ID).await;
    assert!(viewport(&m, false).contains("Nobody is signed in."));

    step(&m, "login").await;
    assert_eq!(real_cookie(ID, "user_name").as_deref(), Some("ada"));
    assert!(viewport(&m, false).contains("Signed in as ada."));

    // The attack works.
    step(&m, "edit").await;
    assert_eq!(real_cookie(ID, "user_name").as_deref(), Some("admin"));
    assert!(
        viewport(&m, false).contains("Every account, every order, and the Delete buttons."),
        "{}",
        viewport(&m, false)
    );

    step(&m, "fix").await;
    let signed = real_cookie(ID, "session").expect("the signed session cookie");
    assert_eq!(
        payload_json(&signed).as_deref(),
        Some(r#"{"user_name":"ada"}"#)
    );
    assert!(viewport(&m, false).contains("Signed in as ada."));

    // The same attack on the signed cookie fails.
    step(&m, "forge").await;
    let forged = real_cookie(ID, "session").expect("the forged cookie");
    assert_eq!(
        payload_json(&forged).as_deref(),
        Some(r#"{"user_name":"admin"}"#)
    );
    assert_eq!(
        forged.split_once('.').map(|(_, rest)| rest),
        signed.split_once('.').map(|(_, rest)| rest),
        "the signature is the one the server made for ada"
    );
    assert!(
        viewport(&m, false).contains("Sign in"),
        "{}",
        viewport(&m, false)
    );
    assert!(!viewport(&m, false).contains("Delete buttons"));
    // The refused cookie is in the wire: GET /admin, then the redirect to /login.
    let refusals: Vec<String> = m
        .all("section.wire .log .exchange .verdict")
        .iter()
        .map(text_of)
        .collect();
    assert!(
        refusals.iter().any(|v| v.contains("bad signature")),
        "{refusals:?}"
    );

    step(&m, "quiet").await;
    assert!(viewport(&m, false).contains("Nobody is signed in."));
    let newest = text_of(&newest_exchange(&m));
    assert!(newest.contains("bad signature"), "{newest}");
    assert!(!newest.contains("Set-Cookie"), "{newest}");
    assert_eq!(real_cookie(ID, "session"), Some(forged));
    m.close().await;
}
