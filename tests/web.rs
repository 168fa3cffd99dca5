//! Browser tests: run in headless Chromium by `wasm-pack test --headless --chrome`.
#![cfg(target_arch = "wasm32")]

use session_lab::browser::{cookies, storage};
use session_lab::engine::itsdangerous::signing::Serializer;
use session_lab::ui::demo::{sign_store_verify, Demo, DEMO_COOKIE};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// `fixed_ts_simple` from ../shared/reference/vectors.json, made by Flask 3.1.3.
const FLASK_COOKIE: &str = "eyJ1c2VyX25hbWUiOiJBZG1pbiJ9.ZVPxAA.LVXaejlOPlbITReSd_RwqvGKoHE";

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
fn local_storage_round_trip_and_corruption() {
    storage::set_raw("wb_key", "value").unwrap();
    assert_eq!(
        storage::get_raw("wb_key").unwrap().as_deref(),
        Some("value")
    );
    storage::set_json("wb_json", &vec![1, 2, 3]).unwrap();
    assert_eq!(
        storage::get_json::<Vec<i32>>("wb_json").unwrap(),
        Some(vec![1, 2, 3])
    );
    // Hand-edited, unreadable JSON is an error that names the key, not a panic.
    storage::set_raw("wb_json", "{not json").unwrap();
    let e = storage::get_json::<Vec<i32>>("wb_json").unwrap_err();
    assert!(e.0.contains("wb_json"), "{e}");
    assert_eq!(storage::get_json::<Vec<i32>>("wb_missing").unwrap(), None);
    storage::remove("wb_key").unwrap();
    storage::remove("wb_json").unwrap();
    assert_eq!(storage::get_raw("wb_key").unwrap(), None);
}

#[wasm_bindgen_test]
fn sign_store_verify_uses_the_real_jar() {
    let o = sign_store_verify("hello", r#"{"user":"Ada"}"#, 1_700_000_000).unwrap();
    assert_eq!(o.read_back.as_deref(), Some(o.cookie.as_str()));
    assert_eq!(o.verified, Ok(r#"{"user":"Ada"}"#.to_string()));
    cookies::delete(DEMO_COOKIE, "/").unwrap();
    assert!(sign_store_verify("hello", "[1]", 1_700_000_000).is_err());
}

#[wasm_bindgen_test]
async fn demo_page_signs_and_verifies_through_the_dom() {
    let doc = web_sys::window().unwrap().document().unwrap();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<Demo>::with_root(root.clone()).render();
    yew::scheduler::flush().await;

    let button: web_sys::HtmlElement = root
        .query_selector("#sign")
        .unwrap()
        .unwrap()
        .unchecked_into();
    button.click();
    yew::scheduler::flush().await;

    let verdict = root
        .query_selector("#verdict")
        .unwrap()
        .expect("a verdict is shown");
    let text = verdict.text_content().unwrap();
    assert!(text.starts_with("Signature valid."), "{text}");
    assert!(text.contains(r#""user":"Ada""#), "{text}");
    let read_back = root
        .query_selector("#read-back")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(
        cookies::read(DEMO_COOKIE).unwrap().as_deref(),
        Some(read_back.as_str())
    );
    cookies::delete(DEMO_COOKIE, "/").unwrap();
    root.remove();
}
