//! The security lab in headless Chromium: each attack scenario's attack, done with its "Do it"
//! buttons on the real page (real `document.cookie` and `localStorage`), works before the fix
//! and fails after.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "web_attacks/fixation.rs"]
mod fixation;
#[path = "web_attacks/flask_login.rs"]
mod flask_login;
#[path = "web_attacks/hijack.rs"]
mod hijack;
#[path = "web_attacks/html_injection.rs"]
mod html_injection;
#[path = "web_attacks/key_rotation.rs"]
mod key_rotation;
#[path = "web_attacks/open_redirect.rs"]
mod open_redirect;
#[path = "web_attacks/read.rs"]
mod read;
#[path = "web_attacks/replay.rs"]
mod replay;
#[path = "web_attacks/tamper.rs"]
mod tamper;
#[path = "web_attacks/too_big.rs"]
mod too_big;
#[path = "web_attacks/weak_key.rs"]
mod weak_key;
mod web_dom;
