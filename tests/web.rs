//! The engine inside Wasm, and the raw browser stores it runs on, in headless Chromium
//! (`wasm-pack test --headless --chrome`).
#![cfg(target_arch = "wasm32")]

use session_lab::browser::{cookies, storage};
use session_lab::engine::flask::tagged_json;
use session_lab::engine::itsdangerous::signing::{Serializer, DEFAULT_MAX_AGE};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// `fixed_ts_simple` from tests/fixtures/vectors.json, made by Flask 3.1.3.
const FLASK_COOKIE: &str = "eyJ1c2VyX25hbWUiOiJBZG1pbiJ9.ZVPxAA.LVXaejlOPlbITReSd_RwqvGKoHE";

#[wasm_bindgen_test]
fn the_cookie_is_the_fixtures_vector() {
    let vectors: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/vectors.json")).unwrap();
    let vector = vectors
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "fixed_ts_simple")
        .unwrap();
    assert_eq!(vector["cookie"], FLASK_COOKIE);
}

#[wasm_bindgen_test]
fn engine_signs_and_verifies_inside_wasm() {
    let s = Serializer::flask_session("dev-secret", &[]);
    assert_eq!(
        s.dumps(r#"{"user_name":"Admin"}"#, 1_700_000_000),
        FLASK_COOKIE
    );
    let u = s
        .loads(FLASK_COOKIE, Some(2_678_400), 1_700_000_005)
        .unwrap();
    assert_eq!(u.json, r#"{"user_name":"Admin"}"#);
    assert!(Serializer::flask_session("other", &[])
        .loads(FLASK_COOKIE, Some(2_678_400), 1_700_000_005)
        .is_err());
}

#[wasm_bindgen_test]
fn document_cookie_round_trip_and_deletion() {
    cookies::write("wb_test", FLASK_COOKIE, "/", None).unwrap();
    assert_eq!(
        cookies::read("wb_test").unwrap().as_deref(),
        Some(FLASK_COOKIE)
    );
    // A Set-Cookie line with HttpOnly is still stored (the flag cannot apply to script).
    cookies::write_line("wb_flag=1; HttpOnly; Path=/").unwrap();
    assert_eq!(cookies::read("wb_flag").unwrap().as_deref(), Some("1"));
    cookies::delete("wb_test", "/").unwrap();
    cookies::delete("wb_flag", "/").unwrap();
    assert_eq!(cookies::read("wb_test").unwrap(), None);
    assert_eq!(cookies::read("wb_flag").unwrap(), None);
    // An expiry in the past is a deletion too.
    cookies::write("wb_old", "x", "/", Some(0)).unwrap();
    assert_eq!(cookies::read("wb_old").unwrap(), None);
}

#[wasm_bindgen_test]
fn local_storage_round_trip() {
    storage::set_raw("wb_key", "value").unwrap();
    assert_eq!(
        storage::get_raw("wb_key").unwrap().as_deref(),
        Some("value")
    );
    storage::remove("wb_key").unwrap();
    assert_eq!(storage::get_raw("wb_key").unwrap(), None);
}

#[wasm_bindgen_test]
fn a_signed_cookie_survives_the_real_jar() {
    let dict = tagged_json::loads_dict(r#"{"user":"Ada"}"#).unwrap();
    let serializer = Serializer::flask_session("hello", &[]);
    let cookie = serializer.dumps(&tagged_json::dumps_dict(&dict), 1_700_000_000);
    cookies::write("wb_signed", &cookie, "/", None).unwrap();
    let read_back = cookies::read("wb_signed").unwrap();
    assert_eq!(read_back.as_deref(), Some(cookie.as_str()));
    let verified = serializer
        .loads(&read_back.unwrap(), Some(DEFAULT_MAX_AGE), 1_700_000_000)
        .map(|u| u.json);
    assert_eq!(verified, Ok(r#"{"user":"Ada"}"#.to_string()));
    cookies::delete("wb_signed", "/").unwrap();
    // Only a JSON object is a session.
    assert!(tagged_json::loads_dict("[1]").is_err());
}
