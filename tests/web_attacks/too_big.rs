//! Scenario `attack-too-big` in headless Chromium, through the lesson's "Do it" buttons: the
//! fourth note's cookie never reaches the real `document.cookie` (Chromium refuses a name and
//! value over 4096 bytes), which keeps the three-note cookie; the wire shows Werkzeug's
//! warning. After the move to Flask-Session the real cookie is a 43-character id and the four
//! notes are in `localStorage`, the lab's server-side store.

use super::web_dom::*;
use session_lab::lab::scenarios::attack_too_big::NOTES;
use wasm_bindgen_test::*;

const ID: &str = "attack-too-big";

async fn do_it(m: &Mounted, step: &str) {
    click(&m.one(&format!(
        "section.guide li.step[data-step=\"{step}\"] button.doit"
    )));
    settle().await;
}

fn page(m: &Mounted) -> String {
    text_of(&m.one("section.browser[aria-label=\"The browser\"] .viewport"))
}

/// Every real cookie of the scenario (`sl.attack-too-big.*`).
fn all_real() -> Vec<(String, String)> {
    real_cookies(&format!("sl.{ID}."))
}

#[wasm_bindgen_test]
async fn the_browser_drops_the_big_cookie_and_the_store_keeps_the_notes() {
    let m = Mounted::open(ID).await;

    do_it(&m, "first-note").await;
    do_it(&m, "growing").await;
    let three = real_cookie(ID, "session").expect("the three-note cookie");
    assert!(three.starts_with('.'), "compressed: {three:.20}");
    assert!(three.len() > 3000 && three.len() < 4000, "{}", three.len());
    assert!(page(&m).contains("3 notes"), "{}", page(&m));

    do_it(&m, "too-big").await;
    // The server sent a bigger cookie and warned; the real browser refused it and kept the
    // old one: the new value is nowhere in document.cookie.
    let notes: Vec<String> = m.all("section.wire .note").iter().map(text_of).collect();
    assert!(
        notes.iter().any(|n| n.contains("cookie is too large")),
        "{notes:?}"
    );
    assert!(
        notes.iter().any(|n| n.starts_with("rejected session")),
        "{notes:?}"
    );
    assert_eq!(
        all_real(),
        vec![(format!("sl.{ID}.session"), three.clone())],
        "only the three-note cookie"
    );
    assert!(page(&m).contains("3 notes"), "{}", page(&m));

    // Flask-Session: the old cookie names no stored session.
    do_it(&m, "server-side").await;
    assert!(page(&m).contains("0 notes"), "{}", page(&m));

    do_it(&m, "retry").await;
    let id = real_cookie(ID, "session").expect("the session id");
    assert_eq!(id.len(), 43, "{id}");
    assert_eq!(all_real().len(), 1);
    assert!(page(&m).contains("4 notes"), "{}", page(&m));
    let stored = stored_sessions(ID);
    let (_, data) = stored
        .iter()
        .find(|(k, _)| k.ends_with(&format!(":session:{id}")))
        .unwrap_or_else(|| panic!("{stored:?}"));
    for note in NOTES {
        assert!(data.contains(note), "a note is missing from the store");
    }
    assert!(text_of(&m.one("section.guide")).contains("Every step is done."));
    m.close().await;
}
