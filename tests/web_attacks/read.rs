//! `attack-read` in Chromium, through the lesson's Do it buttons: the session cookie in the
//! real `document.cookie` decodes without a key; after the fix it is an id, and the data is in
//! `localStorage` (the store). Also the page helpers tamper.rs, replay.rs and hijack.rs use.

use super::web_dom::*;
use session_lab::lab::lesson::payload_json;
use wasm_bindgen_test::*;
use web_sys::Element;

/// Clicks step `id`'s "Do it" and lets the page settle.
pub async fn do_it(m: &Mounted, id: &str) {
    click(&m.one(&format!(
        "section.guide li.step[data-step=\"{id}\"] button.doit"
    )));
    settle().await;
}

/// Whether the guide shows step `id` done.
pub fn done(m: &Mounted, id: &str) -> bool {
    m.one(&format!("section.guide li.step[data-step=\"{id}\"]"))
        .class_list()
        .contains("done")
}

/// Clicks step `id`'s "Do it" and checks that the guide ticks it.
pub async fn step(m: &Mounted, id: &str) {
    assert!(!done(m, id), "{}: {id} is done before its Do it", m.id);
    do_it(m, id).await;
    assert!(done(m, id), "{}: {id} is not done after its Do it", m.id);
}

/// What the attacker toolbar says it holds (`Copied: …`).
pub fn loot(m: &Mounted) -> String {
    text_of(&m.one(".controls.attacker .loot"))
}

/// The text shown by a browser's viewport: the main one, or the second.
pub fn viewport(m: &Mounted, second: bool) -> String {
    let label = if second {
        "A second browser"
    } else {
        "The browser"
    };
    text_of(&m.one(&format!(
        "section.browser[aria-label=\"{label}\"] .viewport"
    )))
}

/// The wire's newest exchange: its text (request line, headers, notes).
pub fn newest_exchange(m: &Mounted) -> Element {
    m.one("section.wire .log .exchange")
}

/// The keys of the scenario's stored sessions, without the scope (`session:<id>`).
pub fn stored_keys(id: &str) -> Vec<String> {
    let prefix = format!("sl.store.{id}:");
    stored_sessions(id)
        .into_iter()
        .map(|(k, _)| k.strip_prefix(&prefix).unwrap_or(&k).to_string())
        .collect()
}

#[wasm_bindgen_test]
async fn the_real_session_cookie_decodes_without_a_key_until_it_is_an_id() {
    let m = Mounted::open("attack-read").await;
    step(&m, "login").await;
    let cookie = real_cookie("attack-read", "session").expect("the session cookie");
    assert_eq!(
        payload_json(&cookie).as_deref(),
        Some(r#"{"lang":"en","theme":"dark","user_name":"ada"}"#)
    );
    assert!(
        stored_keys("attack-read").is_empty(),
        "nothing on the server"
    );

    step(&m, "read").await;
    let shown: String = cookie.chars().take(24).collect();
    assert!(
        loot(&m).starts_with(&format!("Copied: session={shown}…")),
        "{}",
        loot(&m)
    );
    assert!(viewport(&m, false).contains("Welcome ada!"));

    step(&m, "fix").await;
    let id = real_cookie("attack-read", "session").expect("the id");
    assert_eq!(id.len(), 43, "{id}");
    assert!(!id.contains('.'));
    assert_eq!(payload_json(&id), None);
    assert_eq!(stored_keys("attack-read"), [format!("session:{id}")]);
    let (_, data) = &stored_sessions("attack-read")[0];
    assert!(data.contains("ada"), "{data}");

    step(&m, "read-again").await;
    let shown: String = id.chars().take(24).collect();
    assert!(
        loot(&m).starts_with(&format!("Copied: session={shown}…")),
        "{}",
        loot(&m)
    );
    assert!(viewport(&m, false).contains("Welcome ada!"));
    m.close().await;
}
