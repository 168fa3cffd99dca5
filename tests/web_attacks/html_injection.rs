//! `attack-html-injection` in Chromium, through the Do it buttons: with `|safe` the name's link
//! is a real link off the site and its `<img onerror>` is shown as flagged markup (never run);
//! the real session cookie holds the name as typed. After the fix the page shows the same
//! names as plain text.

use super::open_redirect::{pane, shown, step};
use super::web_dom::*;
use session_lab::lab::lesson::payload_json;
use session_lab::lab::scenarios::attack_html_injection::{IMG_NAME, LINK_NAME};
use wasm_bindgen_test::*;

const ID: &str = "attack-html-injection";

#[wasm_bindgen_test]
async fn the_name_is_markup_until_it_is_escaped() {
    let m = Mounted::open(ID).await;
    step(&m, "link").await;
    let links: Vec<String> = all(&pane(&m, false), ".offsite")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(
        links,
        ["Click to verify your account (https://evil.example)"]
    );

    step(&m, "script").await;
    let flagged = all(&pane(&m, false), ".unsafe code");
    assert_eq!(flagged.len(), 1);
    assert_eq!(text_of(&flagged[0]), IMG_NAME);
    let why = text_of(&m.one(".unsafe .unsafe-why"));
    assert!(why.contains("onerror"), "{why}");
    // The real cookie carries the name exactly as typed: the server signed what it was sent.
    let cookie = real_cookie(ID, "session").expect("the session cookie");
    let json = payload_json(&cookie).expect("a signed cookie");
    assert!(
        json.contains(r#""user_name":"<img src=x onerror=alert(document.cookie)>""#),
        "{json}"
    );

    step(&m, "fix").await;
    assert!(m.find(".unsafe").is_none());
    assert_eq!(real_cookie(ID, "session"), Some(cookie), "the same session");
    assert!(shown(&m, false).contains(&format!("Welcome {IMG_NAME}!")));

    step(&m, "retry").await;
    assert!(m.find(".unsafe").is_none());
    assert!(all(&pane(&m, false), ".offsite").is_empty());
    assert!(shown(&m, false).contains(&format!("Welcome {LINK_NAME}!")));
    m.close().await;
}
