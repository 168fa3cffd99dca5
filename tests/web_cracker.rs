//! The key cracker on the decoder page, in headless Chromium: step 2 ("Find the key") is aimed
//! at the cookie step 1 decoded, finds a tutorial's key from the built-in list, hands it to
//! steps 3 and 4, and after a run says what a strong key would mean at the rate it measured.
//! The cracker yields to the browser between slices, so the tests let the browser run (a
//! zero-delay timer, then Yew's scheduler) until the run ends, a bounded number of times.
#![cfg(target_arch = "wasm32")]

use session_lab::engine::itsdangerous::signing::Serializer;
use session_lab::lab::wordlist::builtin;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod web_dom;
use web_dom::turn;
use web_dom::DecoderPage as Page;

impl Page {
    /// Presses Start and lets the browser run until the run ends.
    async fn crack(&self) -> String {
        self.click("#crack-start").await;
        for _ in 0..20_000 {
            let state = self.attr("#crack-status", "data-state");
            if state != "running" {
                return state;
            }
            turn().await;
        }
        panic!("the cracker never finished: {}", self.text("#crack-status"));
    }
}

fn now() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

#[wasm_bindgen_test]
async fn the_decoder_finds_the_key_and_hands_it_to_verify() {
    let page = Page::mount().await;
    assert!(page.text("#cracker h2").starts_with("2. Find the key"));
    let cookie = Serializer::flask_session("hello", &[]).dumps(r#"{"user_name":"ada"}"#, now());
    page.fill("#decoder-cookie", &format!("session={cookie}"))
        .await;
    page.click("#decoder-decode").await;
    // Aimed at the decoded cookie, its parts coloured.
    assert_eq!(page.value("#crack-cookie"), cookie);
    assert!(page.find("#cracker .decoder-seg-timestamp").is_connected());
    assert_eq!(page.crack().await, "found");
    assert_eq!(page.attr("#crack-status", "data-key"), "hello");
    // The key goes to SECRET_KEY, and Verify says the cookie is genuine.
    page.click("#crack-use-key").await;
    assert_eq!(page.value("#decoder-secret"), "hello");
    page.click("#decoder-verify").await;
    assert_eq!(page.attr("#decoder-verify-status", "data-verdict"), "valid");
}

#[wasm_bindgen_test]
async fn the_whole_list_runs_out_and_a_strong_key_is_put_in_years() {
    let page = Page::mount().await;
    let cookie = Serializer::flask_session("929dcafc613ebcd8a2adad15fa56c066", &[])
        .dumps(r#"{"user_name":"ada"}"#, now());
    page.fill("#decoder-cookie", &cookie).await;
    page.click("#decoder-decode").await;
    assert_eq!(page.crack().await, "exhausted");
    let total = builtin().len().to_string();
    assert_eq!(page.attr("#crack-status", "data-tried"), total);
    assert_eq!(page.attr("#crack-progress", "value"), total);
    let ms: u64 = page.attr("#crack-status", "data-ms").parse().unwrap();
    let rate: u64 = page.attr("#crack-status", "data-rate").parse().unwrap();
    web_sys::console::log_1(
        &format!("built-in list: {total} keys in {ms} ms, {rate} keys/s").into(),
    );
    assert!(rate > 0);
    let strong = page.text("#crack-strong");
    assert!(
        strong.contains("secrets.token_hex(32)") && strong.contains("years"),
        "{strong}"
    );
    // The search is for the 160-bit derived key, at one HMAC per guess: faster than the keys
    // per second measured, which also derive.
    assert!(
        strong.contains("of 160 bits") && strong.contains("HMAC-SHA1(SECRET_KEY"),
        "{strong}"
    );
    assert!(page.text("#crack-rate").ends_with(" keys/s"));
    // No aria-label on plain spans: the rate's name is visually hidden text.
    assert!(page
        .root
        .query_selector("#cracker span[aria-label], #cracker p[aria-label]")
        .unwrap()
        .is_none());
    assert!(page
        .text("#crack-rate .visually-hidden")
        .starts_with("Rate"));
}
