//! The cookie decoder page, driven through the DOM in headless Chrome
//! (`wasm-pack test --headless --chrome`).
#![cfg(target_arch = "wasm32")]

use session_lab::engine::itsdangerous::signing::Serializer;
use session_lab::lab::decoder::{decode, extract_cookie};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

/// `fixed_ts_simple` from tests/fixtures/vectors.json, made by Flask 3.1.3:
/// `{"user_name":"Admin"}` signed with `dev-secret` at 1700000000 (2023-11-14 22:13:20 UTC).
const VECTOR: &str = "eyJ1c2VyX25hbWUiOiJBZG1pbiJ9.ZVPxAA.LVXaejlOPlbITReSd_RwqvGKoHE";

/// `{"user_name":"Eve"}` signed with `dev-secret` at 1700000000. Made by Flask 3.1.3 /
/// itsdangerous 2.2 (`SecureCookieSessionInterface().get_signing_serializer(app).dumps(...)`
/// with `time.time` pinned to 1700000000.5) and identical to
/// `session-lab-cli sign --secret dev-secret --timestamp 1700000000 '{"user_name":"Eve"}'`.
const FORGED_EVE: &str = "eyJ1c2VyX25hbWUiOiJFdmUifQ.ZVPxAA.3h6f2R_GBowpcwyCV9Y82yjvI2M";

/// A max age (in seconds) long enough for a 2023 cookie to be in date today.
const CENTURY: &str = "3153600000";

mod web_dom;
use web_dom::DecoderPage as Page;

impl Page {
    async fn decode(&self, cookie: &str) {
        self.fill("#decoder-cookie", cookie).await;
        self.click("#decoder-decode").await;
    }

    fn verdict(&self) -> (String, String) {
        (
            self.attr("#decoder-verify-status", "data-verdict"),
            self.text("#decoder-verify-status"),
        )
    }
}

#[wasm_bindgen_test]
async fn decodes_the_flask_vector_without_a_key() {
    let page = Page::mount().await;
    assert!(page.text(".decoder-local").contains("not sent anywhere"));
    assert_eq!(page.text("#decoder-decode-status"), "");
    page.decode(VECTOR).await;

    assert_eq!(page.attr("#decoder-decode-status", "data-state"), "ok");
    assert_eq!(page.attr("#decoder-decode-status", "role"), "status");
    assert_eq!(
        page.text("#decoder-payload"),
        "eyJ1c2VyX25hbWUiOiJBZG1pbiJ9"
    );
    assert!(!page.has(".decoder-zlib"), "not compressed");
    let segments = page.text(".decoder-segments");
    for label in ["payload", "timestamp", "signature"] {
        assert!(segments.contains(label), "{segments}");
    }
    assert!(segments.contains("ZVPxAA") && segments.contains("LVXaejlOPlbITReSd_RwqvGKoHE"));
    assert_eq!(page.text("#decoder-json"), r#"{"user_name":"Admin"}"#);
    assert_eq!(page.text("#decoder-python"), "{'user_name': 'Admin'}");
    assert_eq!(page.text("#decoder-time"), "2023-11-14 22:13:20 UTC");
    let when = page.text("#decoder-timestamp");
    // Its age relative to the real clock: years by now.
    assert!(when.contains("years) ago"), "{when}");
    assert!(when.contains("unix time 1700000000"), "{when}");
    // The cookie is shown with its three segments marked.
    assert_eq!(
        page.text(".decoder-cookie .decoder-seg-signature"),
        "LVXaejlOPlbITReSd_RwqvGKoHE"
    );
    // Decoding seeds the forge step, but signs nothing.
    let json: HtmlTextAreaElement = page.find("#decoder-forge-json").unchecked_into();
    assert_eq!(json.value(), r#"{"user_name":"Admin"}"#);
    assert!(!page.has("#decoder-forged-cookie"));
}

#[wasm_bindgen_test]
async fn decodes_compressed_cookies_and_header_lines() {
    let page = Page::mount().await;
    let long = format!(r#"{{"cart":"{}"}}"#, "apple ".repeat(20));
    let cookie = Serializer::flask_session("k", &[]).dumps(&long, 1_700_000_000);
    assert!(cookie.starts_with('.'));
    page.decode(&format!("Cookie: theme=dark; session={cookie}"))
        .await;
    assert_eq!(page.attr("#decoder-decode-status", "data-state"), "ok");
    assert_eq!(page.text(".decoder-zlib"), "zlib");
    assert_eq!(page.text("#decoder-json"), long);
    assert!(page.text(".decoder-decoded").contains(r#""session""#));

    assert_eq!(
        extract_cookie("Set-Cookie: session=abc.d.e; HttpOnly; Path=/"),
        (Some("session".to_string()), "abc.d.e".to_string())
    );
    assert_eq!(extract_cookie("  a.b.c \n"), (None, "a.b.c".to_string()));
}

#[wasm_bindgen_test]
async fn verifies_with_the_key_and_reports_expiry() {
    let page = Page::mount().await;
    page.decode(VECTOR).await;
    assert_eq!(page.attr("#decoder-verify-status", "role"), "status");
    page.fill("#decoder-secret", "dev-secret").await;

    // Default max age, 31 days: the 2023 vector is long expired, though genuine.
    let max_age: HtmlInputElement = page.find("#decoder-max-age").unchecked_into();
    assert_eq!(max_age.value(), "2678400");
    page.click("#decoder-verify").await;
    let (code, text) = page.verdict();
    assert_eq!(code, "expired", "{text}");
    assert!(
        text.starts_with("Expired: the signature is genuine, made with SECRET_KEY, but"),
        "{text}"
    );

    page.fill("#decoder-max-age", CENTURY).await;
    page.click("#decoder-verify").await;
    let (code, text) = page.verdict();
    assert_eq!(code, "valid", "{text}");
    assert!(text.starts_with("Valid: signed with SECRET_KEY"), "{text}");
    assert!(page
        .find("#decoder-verify-status")
        .class_name()
        .contains("good"));

    // Verifying left the decoded view as it was.
    assert_eq!(page.text("#decoder-json"), r#"{"user_name":"Admin"}"#);
    assert_eq!(page.text("#decoder-time"), "2023-11-14 22:13:20 UTC");
}

#[wasm_bindgen_test]
async fn a_wrong_key_is_a_bad_signature_and_decoding_still_works() {
    let page = Page::mount().await;
    page.decode(VECTOR).await;
    page.fill("#decoder-secret", "not-the-key").await;
    page.fill("#decoder-max-age", CENTURY).await;
    page.click("#decoder-verify").await;
    let (code, text) = page.verdict();
    assert_eq!(code, "bad-signature", "{text}");
    assert!(text.starts_with("Bad signature"), "{text}");
    assert!(page
        .find("#decoder-verify-status")
        .class_name()
        .contains("bad"));
    assert_eq!(page.attr("#decoder-decode-status", "data-state"), "ok");
    assert_eq!(page.text("#decoder-python"), "{'user_name': 'Admin'}");

    // Without any key, nothing is checked, and the page says why.
    page.fill("#decoder-secret", "").await;
    page.click("#decoder-verify").await;
    assert_eq!(page.verdict().0, "not-checked");
}

#[wasm_bindgen_test]
async fn a_fallback_key_still_verifies() {
    let page = Page::mount().await;
    page.decode(VECTOR).await;
    page.fill("#decoder-secret", "rotated-secret").await;
    page.fill("#decoder-max-age", CENTURY).await;
    page.click("#decoder-add-fallback").await;
    page.click("#decoder-add-fallback").await;
    let rows = page
        .root
        .query_selector_all("input.decoder-fallback")
        .unwrap();
    assert_eq!(rows.length(), 2);
    page.fill("#decoder-fallback-0", "older-secret").await;
    page.fill("#decoder-fallback-1", "dev-secret").await;
    page.click("#decoder-verify").await;
    let (code, text) = page.verdict();
    assert_eq!(code, "valid", "{text}");
    assert!(
        text.contains("fallback 2, SECRET_KEY_FALLBACKS[1]"),
        "{text}"
    );

    // Removing the first row renumbers the rest: the same key is now fallback 1.
    page.click(".decoder-row button").await;
    assert_eq!(
        page.root
            .query_selector_all("input.decoder-fallback")
            .unwrap()
            .length(),
        1
    );
    page.click("#decoder-verify").await;
    let (code, text) = page.verdict();
    assert_eq!(code, "valid", "{text}");
    assert!(text.contains("fallback 1"), "{text}");
}

#[wasm_bindgen_test]
async fn forges_exactly_what_flask_would_sign() {
    let page = Page::mount().await;
    page.decode(VECTOR).await;
    page.fill("#decoder-secret", "dev-secret").await;
    page.fill("#decoder-forge-json", r#"{"user_name":"Eve"}"#)
        .await;
    page.fill("#decoder-forge-ts", "1700000000").await;
    assert!(
        !page.has("#decoder-forged-cookie"),
        "editing signs nothing before the button"
    );
    page.click("#decoder-sign").await;

    assert_eq!(page.text("#decoder-forged-cookie"), FORGED_EVE);
    assert_eq!(page.text("#decoder-original-cookie"), VECTOR);
    assert_eq!(page.attr("#decoder-forge-status", "role"), "status");
    let status = page.text("#decoder-forge-status");
    assert!(
        status.contains("forged") && status.contains(r#"SECRET_KEY "dev-secret""#),
        "{status}"
    );
    assert!(page
        .text(".decoder-forged")
        .contains("2023-11-14 22:13:20 UTC"));

    // Editing afterwards changes no cookie; the page says the result is now out of date.
    page.fill("#decoder-forge-json", r#"{"user_name":"Mallory"}"#)
        .await;
    assert_eq!(page.text("#decoder-forged-cookie"), FORGED_EVE);
    assert!(page.has("#decoder-forge-stale"));
    page.fill("#decoder-forge-json", r#"{"user_name":"Eve"}"#)
        .await;
    assert!(!page.has("#decoder-forge-stale"));

    // The shortcut checks the forged cookie in step 3 (Verify), with that step's keys and max age.
    page.click("#decoder-verify-forged").await;
    let (code, text) = page.verdict();
    assert_eq!(code, "expired", "the default 31 days: {text}");
    assert!(page
        .find("#decoder-target-forged")
        .unchecked_into::<HtmlInputElement>()
        .checked());
    page.fill("#decoder-max-age", CENTURY).await;
    page.click("#decoder-verify").await;
    assert_eq!(page.verdict().0, "valid");
    // The decoded view still shows the pasted cookie.
    assert_eq!(page.text("#decoder-json"), r#"{"user_name":"Admin"}"#);

    // Back to the pasted cookie with a radio button.
    page.click("#decoder-target-pasted").await;
    page.fill("#decoder-secret", "wrong").await;
    page.click("#decoder-verify").await;
    assert_eq!(page.verdict().0, "bad-signature");
}

#[wasm_bindgen_test]
async fn a_guessed_key_forges_a_cookie_the_app_rejects() {
    let page = Page::mount().await;
    page.fill("#decoder-secret", "dev-secret").await;
    page.fill("#decoder-max-age", CENTURY).await;
    page.fill("#decoder-forge-json", r#"{"user_name":"Eve"}"#)
        .await;
    page.click("#decoder-key-other").await;
    page.fill("#decoder-other-key", "guess").await;
    page.click("#decoder-sign").await;
    let status = page.text("#decoder-forge-status");
    assert!(status.contains(r#"a key of your own "guess""#), "{status}");
    assert!(page.text(".decoder-compare").contains("Nothing was pasted"));
    page.click("#decoder-verify-forged").await;
    assert_eq!(page.verdict().0, "bad-signature");

    // Bad inputs: refused with a reason, and the previous cookie is kept.
    let before = page.text("#decoder-forged-cookie");
    page.fill("#decoder-forge-json", "[1, 2").await;
    page.click("#decoder-sign").await;
    assert_eq!(page.attr("#decoder-forge-status", "data-state"), "error");
    assert!(page
        .text("#decoder-forge-status")
        .starts_with("Not signed: the session JSON"));
    assert_eq!(page.text("#decoder-forged-cookie"), before);
    page.fill("#decoder-forge-json", "{}").await;
    page.fill("#decoder-forge-ts", "yesterday").await;
    page.click("#decoder-sign").await;
    assert!(page
        .text("#decoder-forge-status")
        .contains("not a unix time"));
}

#[wasm_bindgen_test]
async fn garbage_gets_clear_errors_not_a_panic() {
    let page = Page::mount().await;
    page.decode("hello there").await;
    assert_eq!(page.attr("#decoder-decode-status", "data-state"), "error");
    assert!(page
        .text("#decoder-decode-status")
        .contains("not a Flask session cookie"));
    page.decode("").await;
    assert_eq!(page.text("#decoder-decode-status"), "Paste a cookie first.");

    for junk in [
        "a.b",
        "...",
        ".",
        "x.y.!!!!",
        "\u{1F600}.\u{1F600}.\u{1F600}",
        "eyJ1c2VyX25hbWUiOiJBZG1pbiJ9.AQAAAAAAAAAAAA.LVXa",
        ".eJzLSM3JyVfIQJAA.ZVPxAA.LVXaejlOPlbITReSd_RwqvGKoHE",
        "W10.ZVPxAA.LVXaejlOPlbITReSd_RwqvGKoHE",
        "session=",
    ] {
        page.decode(junk).await;
        let state = page.attr("#decoder-decode-status", "data-state");
        assert!(state == "error" || state == "partial", "{junk:?}: {state}");
        assert!(!page.text("#decoder-decode-status").is_empty(), "{junk:?}");
        page.fill("#decoder-secret", "dev-secret").await;
        page.click("#decoder-verify").await;
        let (code, text) = page.verdict();
        assert!(
            ["malformed", "bad-signature", "not-checked"].contains(&code.as_str()),
            "{junk:?}: {code} {text}"
        );
    }
    // A timestamp past Python's datetime and a dangling base64 character.
    let far = decode("e30.AQAAAAAAAAA.x", 0).unwrap();
    assert!(far.time.is_ok());
    let bad = decode("e30.A.x", 0).unwrap();
    assert!(bad.time.is_err());
}
