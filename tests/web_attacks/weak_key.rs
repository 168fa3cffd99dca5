//! Scenario `attack-weak-key` in headless Chromium, through the key cracker on the real page:
//! the cookie from signing in gives its key away to the built-in list, the cracker's Forge
//! button signs an admin session the server accepts, and after the fix (a strong key, the
//! lesson's "Do it") the new cookie resists the list and the same forgery is refused. Also: every
//! tutorial key falls to the built-in list, Cancel stops a long run, the page answers clicks
//! while the cracker runs, and hostile cookies and lists get a message and no panic.
//!
//! The cracker works in slices that yield to the browser, so the tests let the browser run
//! (a zero-delay timer, then Yew's scheduler) until the run ends, a bounded number of times.

use super::web_dom::*;
use session_lab::engine::itsdangerous::pybase64::urlsafe_encode;
use session_lab::engine::itsdangerous::signing::{
    derive_key, encode_timestamp, Serializer, COOKIE_SESSION_SALT,
};
use session_lab::lab::cracker::MAX_PASTE_BYTES;
use session_lab::lab::scenarios::attack_weak_key::WEAK_KEY;
use session_lab::lab::wordlist::SEED_KEYS;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement, HtmlTextAreaElement};

const ID: &str = "attack-weak-key";

// ---------------------------------------------------------------------------------------------
// Letting the browser run

// (`turn`, `watch_panics` and `panics` are web_dom's.)

// ---------------------------------------------------------------------------------------------
// The cracker's DOM

fn status(m: &Mounted) -> Element {
    m.one("#cracker #crack-status")
}

fn attr(el: &Element, name: &str) -> String {
    el.get_attribute(name).unwrap_or_default()
}

fn state(m: &Mounted) -> String {
    attr(&status(m), "data-state")
}

fn tried(m: &Mounted) -> u64 {
    attr(&status(m), "data-tried").parse().unwrap()
}

/// A bubbling event of `kind` (the crate's web-sys features leave out `EventInit`).
fn bubbling(kind: &str) -> web_sys::Event {
    let init = js_sys::Object::new();
    js_sys::Reflect::set(&init, &"bubbles".into(), &true.into()).unwrap();
    let window = web_sys::window().unwrap();
    let constructor: js_sys::Function = js_sys::Reflect::get(&window, &"Event".into())
        .unwrap()
        .unchecked_into();
    js_sys::Reflect::construct(&constructor, &js_sys::Array::of2(&kind.into(), &init))
        .unwrap()
        .unchecked_into()
}

/// Types `value` into the cracker's cookie field.
async fn set_cookie(m: &Mounted, value: &str) {
    let input: HtmlInputElement = m.one("#crack-cookie").dyn_into().unwrap();
    input.set_value(value);
    input.dispatch_event(&bubbling("input")).unwrap();
    settle().await;
}

/// Chooses the list's source in the select.
async fn choose(m: &Mounted, source: &str) {
    let select: web_sys::HtmlSelectElement = m.one("#crack-source").dyn_into().unwrap();
    select.set_value(source);
    select.dispatch_event(&bubbling("change")).unwrap();
    settle().await;
}

/// Puts `text` (a JS string, never copied into Wasm) into the pasted list.
async fn paste(m: &Mounted, text: &JsValue) {
    let area = m.one("#crack-list");
    js_sys::Reflect::set(&area, &"value".into(), text).unwrap();
    area.dispatch_event(&bubbling("input")).unwrap();
    settle().await;
}

/// Gives the file field one file with these bytes, as a drop or the file picker would.
async fn upload(m: &Mounted, name: &str, bytes: &[u8]) {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let file = web_sys::File::new_with_u8_array_sequence(&parts, name).unwrap();
    let window = web_sys::window().unwrap();
    let constructor: js_sys::Function = js_sys::Reflect::get(&window, &"DataTransfer".into())
        .unwrap()
        .unchecked_into();
    let transfer = js_sys::Reflect::construct(&constructor, &js_sys::Array::new()).unwrap();
    let items = js_sys::Reflect::get(&transfer, &"items".into()).unwrap();
    let add: js_sys::Function = js_sys::Reflect::get(&items, &"add".into())
        .unwrap()
        .unchecked_into();
    add.call1(&items, &file).unwrap();
    let files = js_sys::Reflect::get(&transfer, &"files".into()).unwrap();
    let input = m.one("#crack-file");
    js_sys::Reflect::set(&input, &"files".into(), &files).unwrap();
    input.dispatch_event(&bubbling("change")).unwrap();
    settle().await;
}

/// Presses Start and lets the browser run until the run ends; returns the final state.
async fn crack(m: &Mounted) -> String {
    click(&m.one("#crack-start"));
    settle().await;
    for _ in 0..20_000 {
        let s = state(m);
        if s != "running" {
            return s;
        }
        turn().await;
    }
    panic!("the cracker never finished: {}", text_of(&status(m)));
}

fn cookie_signed_with(key: &str) -> String {
    Serializer::flask_session(key, &[]).dumps(r#"{"user_name":"ada"}"#, 1_700_000_000)
}

/// A cookie signed with a `bytes` key, as itsdangerous signs: the derived key is
/// HMAC-SHA1(key, salt), the signature HMAC-SHA1(derived, payload.timestamp).
fn cookie_signed_with_bytes(key: &[u8]) -> String {
    let body = format!(
        "{}.{}",
        urlsafe_encode(br#"{"user_name":"ada"}"#),
        encode_timestamp(1_700_000_000)
    );
    let derived = derive_key(key, COOKIE_SESSION_SALT.as_bytes());
    let signature = derive_key(&derived, body.as_bytes());
    format!("{body}.{}", urlsafe_encode(&signature))
}

/// The id of the element that has the keyboard focus.
fn focused() -> String {
    document()
        .active_element()
        .map(|e| e.id())
        .unwrap_or_default()
}

async fn do_step(m: &Mounted, id: &str) {
    click(&m.one(&format!("li.step[data-step={id}] button.doit")));
    settle().await;
}

fn step_done(m: &Mounted, id: &str) -> bool {
    m.one(&format!("li.step[data-step={id}]"))
        .class_list()
        .contains("done")
}

/// The newest exchange on the wire for `target`.
fn exchange(m: &Mounted, target: &str) -> Element {
    m.all("section.wire li.exchange")
        .into_iter()
        .find(|li| {
            li.query_selector(".target")
                .unwrap()
                .is_some_and(|t| text_of(&t) == target)
        })
        .unwrap_or_else(|| panic!("no {target} on the wire"))
}

/// The status an exchange on the wire shows.
fn status_code(li: &Element) -> String {
    text_of(&one(li, ".request-line > span:nth-of-type(3)"))
}

// ---------------------------------------------------------------------------------------------
// The tests

#[wasm_bindgen_test]
async fn the_key_is_cracked_in_the_page_forged_with_and_refused_after_the_fix() {
    watch_panics();
    let panics_before = panics();
    let m = Mounted::open(ID).await;
    assert_eq!(state(&m), "idle");
    do_step(&m, "login").await;
    assert!(step_done(&m, "login"));
    // The cracker is aimed at the jar's session cookie.
    let captured = real_cookie(ID, "session").expect("signed in");
    let field: HtmlInputElement = m.one("#crack-cookie").dyn_into().unwrap();
    assert_eq!(field.value(), captured);
    assert!(m.find("#cracker .decoder-seg-signature").is_some());

    let requests = m.all("section.wire li.exchange").len();
    assert_eq!(crack(&m).await, "found");
    let s = status(&m);
    assert_eq!(attr(&s, "data-key"), WEAK_KEY);
    assert!(tried(&m) >= 1);
    assert!(attr(&s, "data-ms").parse::<u64>().is_ok());
    assert!(attr(&s, "data-rate").parse::<u64>().is_ok());
    assert!(text_of(&m.one("#crack-rate")).ends_with("keys/s"));
    assert!(text_of(&s).contains("'supersecretkey'"), "{}", text_of(&s));
    // Cracking sent nothing.
    assert_eq!(m.all("section.wire li.exchange").len(), requests);
    assert!(!step_done(&m, "crack"));

    // Forge: the server accepts the admin session and /about greets admin.
    click(&m.one("#crack-forge"));
    settle().await;
    let about = exchange(&m, "/about");
    assert!(
        text_of(&about).contains("session cookie accepted"),
        "{}",
        text_of(&about)
    );
    assert_eq!(status_code(&about), "200");
    assert!(text_of(&m.one("section.browser")).contains("Welcome admin!"));
    assert!(step_done(&m, "crack") && step_done(&m, "forge"));

    // The fix: a strong key, and a new sign-in with it.
    do_step(&m, "strong-key").await;
    assert!(step_done(&m, "strong-key"));
    let fresh = real_cookie(ID, "session").expect("signed in again");
    assert_ne!(fresh, captured);
    assert_eq!(field.value(), fresh, "the cracker follows the jar");
    assert_eq!(crack(&m).await, "exhausted");
    assert!(attr(&status(&m), "data-key").is_empty());
    // What a strong key means, at the rate just measured.
    assert!(text_of(&m.one("#crack-strong")).contains("secrets.token_hex(32)"));

    // The key found before still forges, and the server now refuses it.
    click(&m.one("#crack-forge"));
    settle().await;
    let about = exchange(&m, "/about");
    assert!(
        text_of(&about).contains("session cookie refused"),
        "{}",
        text_of(&about)
    );
    assert_eq!(status_code(&about), "302");
    assert!(text_of(&m.one("section.browser")).contains("Sign in below."));
    assert!(step_done(&m, "refused"));
    assert_eq!(panics(), panics_before);
    m.close().await;
}

#[wasm_bindgen_test]
async fn every_tutorial_key_falls_to_the_built_in_list() {
    let m = Mounted::open(ID).await;
    for key in SEED_KEYS {
        set_cookie(&m, &cookie_signed_with(key)).await;
        let start = js_sys::Date::now();
        assert_eq!(crack(&m).await, "found", "{key}");
        assert_eq!(attr(&status(&m), "data-key"), *key);
        let ms = js_sys::Date::now() - start;
        assert!(ms < 5_000.0, "{key}: {ms} ms");
    }
    m.close().await;
}

#[wasm_bindgen_test]
async fn cancel_stops_a_long_run_and_the_page_answers_meanwhile() {
    let m = Mounted::open(ID).await;
    set_cookie(&m, &cookie_signed_with("not in any list")).await;
    // Half a million candidates: seconds of work, even at full speed.
    let list: JsValue =
        js_sys::eval("Array.from({length: 500000}, (_, i) => 'candidate-' + i).join('\\n')")
            .unwrap();
    paste(&m, &list).await;
    assert_eq!(
        m.one("#crack-source")
            .dyn_into::<web_sys::HtmlSelectElement>()
            .unwrap()
            .value(),
        "paste",
        "pasting chooses the pasted list"
    );
    // The keyboard user's Start: focused, then pressed. It is disabled at once, and the focus
    // goes to Cancel.
    let start: web_sys::HtmlElement = m.one("#crack-start").dyn_into().unwrap();
    start.focus().unwrap();
    click(&m.one("#crack-start"));
    settle().await;
    assert_eq!(focused(), "crack-cancel");
    for _ in 0..3 {
        turn().await;
    }
    assert_eq!(state(&m), "running");
    let before = tried(&m);
    assert!(before > 0);
    // The live region says that the run started, not each slice's counts: those are outside
    // it, and the progress bar is busy.
    let said = text_of(&status(&m));
    assert_eq!(said, "Trying the pasted list…");
    let count = m.one("#crack-count");
    assert!(
        text_of(&count).contains("keys so far"),
        "{}",
        text_of(&count)
    );
    assert!(count.closest("[aria-live]").unwrap().is_none());
    assert_eq!(attr(&m.one("#crack-progress"), "aria-busy"), "true");
    // A click elsewhere on the page is handled while the run goes on.
    let requests = m.all("section.wire li.exchange").len();
    do_step(&m, "login").await;
    assert!(m.all("section.wire li.exchange").len() > requests);
    turn().await;
    assert_eq!(state(&m), "running");
    assert!(tried(&m) > before);
    assert_eq!(text_of(&status(&m)), said);
    let progress = m.one("#crack-progress");
    assert_eq!(attr(&progress, "max"), "500000");

    let cancel: web_sys::HtmlElement = m.one("#crack-cancel").dyn_into().unwrap();
    cancel.focus().unwrap();
    click(&m.one("#crack-cancel"));
    settle().await;
    assert_eq!(state(&m), "cancelled");
    // The focus is back on Start, and nothing is busy.
    assert_eq!(focused(), "crack-start");
    assert_eq!(attr(&m.one("#crack-progress"), "aria-busy"), "false");
    assert!(m.one("#crack-count").has_attribute("hidden"));
    let stopped = tried(&m);
    assert!(stopped < 500_000);
    for _ in 0..5 {
        turn().await;
    }
    assert_eq!(tried(&m), stopped, "nothing runs after Cancel");
    assert!(text_of(&status(&m)).starts_with("Cancelled after"));
    m.close().await;
}

#[wasm_bindgen_test]
async fn hostile_cookies_and_lists_get_a_message() {
    watch_panics();
    let panics_before = panics();
    let m = Mounted::open(ID).await;
    let says = |m: &Mounted, what: &str| {
        let s = status(m);
        assert_eq!(attr(&s, "data-state"), "idle", "{}", text_of(&s));
        assert!(text_of(&s).contains(what), "{what:?} in {}", text_of(&s));
    };
    for (cookie, what) in [
        ("", "Paste a session cookie"),
        (
            "Xs8n3Q2nK7-8b5yAVb4hxmuDCIH7P2w5lIjv3Kd0FyA",
            "Flask-Session id",
        ),
        ("abc.def", "two parts"),
        ("a.b.%%%", "signature"),
        ("\u{0}.\u{1}.\u{fffd}", "signature"),
    ] {
        set_cookie(&m, cookie).await;
        assert_eq!(crack(&m).await, "idle");
        says(&m, what);
    }
    set_cookie(&m, &cookie_signed_with(WEAK_KEY)).await;

    // Lists: empty, too big to paste, a megabyte line with a NUL among good ones.
    paste(&m, &JsValue::from_str("\n\r\n\n")).await;
    crack(&m).await;
    says(&m, "is empty");
    let huge = js_sys::JsString::from("a").repeat((MAX_PASTE_BYTES + 1) as i32);
    paste(&m, &huge.into()).await;
    crack(&m).await;
    says(&m, "upload a bigger list as a file");
    let area: HtmlTextAreaElement = m.one("#crack-list").dyn_into().unwrap();
    area.set_value("");
    let mixed = format!("{}\nnul\0key\n{WEAK_KEY}\r\n", "x".repeat(1 << 20));
    paste(&m, &JsValue::from_str(&mixed)).await;
    assert_eq!(crack(&m).await, "found");
    assert_eq!(attr(&status(&m), "data-tried"), "2");
    assert!(text_of(&status(&m)).contains("Found the key"));

    // A file's bytes, not its text: invalid UTF-8 and NULs are keys like any other.
    choose(&m, "file").await;
    crack(&m).await;
    says(&m, "Choose a file first");
    upload(
        &m,
        "odd.txt",
        b"\xff\x00\n\x00\r\nsupersecretkey\r\n\xc3\x28\n",
    )
    .await;
    assert_eq!(crack(&m).await, "found");
    assert_eq!(attr(&status(&m), "data-key"), WEAK_KEY);
    assert_eq!(attr(&status(&m), "data-tried"), "3");
    // A key that is not UTF-8 is found and shown as Python bytes.
    let odd = cookie_signed_with_bytes(b"\xffkey");
    set_cookie(&m, &odd).await;
    upload(&m, "bytes.txt", b"key\n\xffkey\n").await;
    assert_eq!(crack(&m).await, "found");
    assert_eq!(attr(&status(&m), "data-key"), r"b'\xffkey'");
    // Byte-order marks: a UTF-8 one is not part of the first key, and a UTF-16 file with one
    // is read as text.
    set_cookie(&m, &cookie_signed_with(WEAK_KEY)).await;
    upload(&m, "bom.txt", b"\xef\xbb\xbfsupersecretkey\r\n").await;
    assert_eq!(crack(&m).await, "found");
    assert_eq!(attr(&status(&m), "data-tried"), "1");
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(
            "x\r\nsupersecretkey\r\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    upload(&m, "utf16.txt", &utf16).await;
    assert_eq!(crack(&m).await, "found");
    assert_eq!(attr(&status(&m), "data-key"), WEAK_KEY);
    assert_eq!(attr(&status(&m), "data-tried"), "2");
    upload(&m, "broken16.txt", b"\xff\xfex\x00\x00\xd8").await;
    crack(&m).await;
    says(&m, "not valid UTF-16");
    upload(&m, "empty.txt", b"\r\n\r\n").await;
    crack(&m).await;
    says(&m, "is empty");
    assert_eq!(panics(), panics_before);
    m.close().await;
}
