//! Scenario `attack-key-rotation` in headless Chromium, through the lesson's "Do it" buttons,
//! reading the real session cookie in `document.cookie` and checking which of the lesson's
//! keys signed it: a new key without a fallback signs the user out; with the fallback the
//! cookie comes back signed with the new key; Flask 3.1.0's order (the lab's switch) signs it
//! with the old key, so retiring that key signs the user out; after the upgrade it does not.

use super::web_dom::*;
use session_lab::lab::scenarios::attack_key_rotation::{
    signed_with, KEY_JUNE, KEY_MARCH, KEY_START,
};
use wasm_bindgen_test::*;

const ID: &str = "attack-key-rotation";

async fn do_it(m: &Mounted, step: &str) {
    click(&m.one(&format!(
        "section.guide li.step[data-step=\"{step}\"] button.doit"
    )));
    settle().await;
}

fn page(m: &Mounted) -> String {
    text_of(&m.one("section.browser[aria-label=\"The browser\"] .viewport"))
}

/// The real cookie, and the one lesson key that signed it.
fn cookie_and_signer() -> (String, &'static str) {
    let value = real_cookie(ID, "session").expect("a session cookie in document.cookie");
    let keys: Vec<&str> = [KEY_START, KEY_MARCH, KEY_JUNE]
        .into_iter()
        .filter(|k| signed_with(&value, k))
        .collect();
    assert_eq!(keys.len(), 1, "{value}: {keys:?}");
    (value, keys[0])
}

fn signed_in(m: &Mounted) -> bool {
    page(m).contains("This is the About page.")
}

fn signed_out(m: &Mounted) -> bool {
    page(m).contains("Sign in below.")
}

#[wasm_bindgen_test]
async fn who_is_signed_out_by_each_rotation() {
    let m = Mounted::open(ID).await;

    do_it(&m, "sign-in").await;
    let (first, key) = cookie_and_signer();
    assert_eq!(key, KEY_START);
    assert!(signed_in(&m), "{}", page(&m));

    // No fallback: the browser still holds and sends the cookie; the server refuses it.
    do_it(&m, "rotate").await;
    assert_eq!(cookie_and_signer(), (first, KEY_START));
    assert!(signed_out(&m), "{}", page(&m));

    do_it(&m, "fallback").await;
    let (june, key) = cookie_and_signer();
    assert_eq!(key, KEY_JUNE);
    assert!(signed_in(&m), "{}", page(&m));

    // Flask 3.1.0: the answer is signed with the fallback.
    do_it(&m, "flask-3-1-0").await;
    let (stale, key) = cookie_and_signer();
    assert_eq!(key, KEY_MARCH);
    assert_ne!(stale, june);
    assert!(signed_in(&m), "{}", page(&m));

    do_it(&m, "retire-on-3-1-0").await;
    assert_eq!(cookie_and_signer(), (stale.clone(), KEY_MARCH));
    assert!(signed_out(&m), "{}", page(&m));

    // The upgrade: the same cookie verifies again and comes back signed with june-key.
    do_it(&m, "upgrade").await;
    assert_eq!(cookie_and_signer().1, KEY_JUNE);
    assert!(signed_in(&m), "{}", page(&m));

    do_it(&m, "retire").await;
    assert_eq!(cookie_and_signer().1, KEY_JUNE);
    assert!(signed_in(&m), "{}", page(&m));

    // Server-side: the cookie is an id in the store; the key change moves nothing.
    do_it(&m, "server-side").await;
    let id = real_cookie(ID, "session").unwrap();
    assert_eq!(id.len(), 43, "{id}");
    assert!(stored_sessions(ID)
        .iter()
        .any(|(k, _)| k.ends_with(&format!(":session:{id}"))));
    assert!(signed_in(&m), "{}", page(&m));
    assert!(text_of(&m.one("section.guide")).contains("Every step is done."));
    m.close().await;
}
