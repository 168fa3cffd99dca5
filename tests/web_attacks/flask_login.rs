//! `attack-flask-login` in Chromium, through the Do it buttons, on the real `document.cookie`:
//! the remember cookie copied into the second browser is byte for byte Ada's, still signs in
//! after she logs out, is sent to re-authentication, is deleted by strong protection from
//! another User-Agent and passes it with hers; after the fix the copy signs nobody in.

use super::open_redirect::{shown, step};
use super::web_dom::*;
use wasm_bindgen_test::*;

const ID: &str = "attack-flask-login";
/// The second browser's real cookies: its scope `attack-flask-login.second`, the dot a dash.
const SECOND: &str = "attack-flask-login-second";
/// Flask-Login 0.6.3's `encode_cookie` with `SECRET_KEY = "flask-login-demo"`, measured with
/// the project's virtual environment.
const ADA: &str = "ada|1a41d6ead5c108a32eeeb25b6a47ccaa67450627315d03f3a76b5fc5c69a41eb833c278f9830f2765bdff4a885728fdc102bd0742016dd8f507a73c971efbc65";
const ADA_1: &str = "ada:1|58f5a2815d90a53dc7704cc5d199200c8fccd1a95352bfcfa482e2dd64b3f9ef3b4a1514ed9661eff49f49c0a9187dde43a51c2865ec18c5a464a0cb8d1fcceb";

#[wasm_bindgen_test]
async fn the_copied_remember_cookie_outlives_logout_until_the_id_changes() {
    let m = Mounted::open(ID).await;
    step(&m, "login").await;
    assert_eq!(real_cookie(ID, "remember_token").as_deref(), Some(ADA));
    assert!(shown(&m, false).contains("Account of ada"));

    step(&m, "copy").await;
    assert_eq!(real_cookie(SECOND, "remember_token").as_deref(), Some(ADA));
    let second = shown(&m, true);
    assert!(
        second.contains("Account of ada") && second.contains("not fresh"),
        "{second}"
    );

    step(&m, "logout").await;
    assert_eq!(real_cookie(ID, "remember_token"), None);
    assert_eq!(real_cookie(ID, "session"), None);
    assert!(shown(&m, false).contains("Sign in below."));

    step(&m, "outlives").await;
    assert_eq!(real_cookie(SECOND, "remember_token").as_deref(), Some(ADA));
    assert!(shown(&m, true).contains("Account of ada"));

    step(&m, "not-fresh").await;
    assert!(shown(&m, true).contains("Confirm your password."));

    step(&m, "strong").await;
    assert_eq!(
        real_cookie(SECOND, "remember_token"),
        None,
        "deleted by strong protection"
    );
    assert!(shown(&m, true).contains("Sign in below."));

    step(&m, "same-agent").await;
    assert!(shown(&m, true).contains("Account of ada"));

    step(&m, "fix").await;
    assert_eq!(real_cookie(ID, "remember_token").as_deref(), Some(ADA_1));

    step(&m, "retry").await;
    // The attacker still holds the cookie; it just signs nobody in.
    assert_eq!(
        real_cookie(SECOND, "remember_token").as_deref(),
        Some(ADA_1)
    );
    assert!(shown(&m, true).contains("Sign in below."));
    assert!(!shown(&m, true).contains("Account of ada"));
    m.close().await;
}
