//! Scenario `attack-fixation` in headless Chromium, through the lesson's "Do it" buttons: the
//! attacker's id, planted in the victim's real cookie, opens the victim's account in the
//! second browser; with Flask's signed cookie the copy opens nothing; after the fix the login
//! answers with a new id, the planted one leaves `localStorage`, and the attacker is refused.

use super::web_dom::*;
use wasm_bindgen_test::*;

const ID: &str = "attack-fixation";
/// The second browser's cookies: scope `attack-fixation.second`, `.` made `-`.
const SECOND: &str = "attack-fixation-second";

async fn do_it(m: &Mounted, step: &str) {
    click(&m.one(&format!(
        "section.guide li.step[data-step=\"{step}\"] button.doit"
    )));
    settle().await;
}

/// The page a browser shows.
fn page(m: &Mounted, label: &str) -> String {
    text_of(&m.one(&format!(
        "section.browser[aria-label=\"{label}\"] .viewport"
    )))
}

fn victim_page(m: &Mounted) -> String {
    page(m, "The browser")
}

fn attacker_page(m: &Mounted) -> String {
    page(m, "A second browser")
}

/// Whether the server's store (`localStorage`) holds a session under `sid`.
fn stored(sid: &str) -> bool {
    stored_sessions(ID)
        .iter()
        .any(|(k, _)| k.ends_with(&format!(":session:{sid}")))
}

#[wasm_bindgen_test]
async fn the_planted_id_opens_the_account_until_the_login_renews_it() {
    let m = Mounted::open(ID).await;

    do_it(&m, "attacker-id").await;
    let planted = real_cookie(SECOND, "session").expect("the attacker's cookie");
    assert_eq!(planted.len(), 43, "{planted}");
    assert!(stored(&planted), "{:?}", stored_sessions(ID));
    // The victim's own first visit gave the victim another id.
    let own = real_cookie(ID, "session").expect("the victim's own id");
    assert_ne!(own, planted);

    do_it(&m, "plant").await;
    assert_eq!(
        real_cookie(ID, "session").as_deref(),
        Some(planted.as_str())
    );
    assert!(
        victim_page(&m).contains("Welcome! Visit 2."),
        "{}",
        victim_page(&m)
    );

    do_it(&m, "victim-signs-in").await;
    // The login kept the id: the victim's real cookie is still the attacker's.
    assert_eq!(
        real_cookie(ID, "session").as_deref(),
        Some(planted.as_str())
    );
    assert!(
        victim_page(&m).contains("Account of ada"),
        "{}",
        victim_page(&m)
    );

    do_it(&m, "hijacked").await;
    assert_eq!(
        real_cookie(SECOND, "session").as_deref(),
        Some(planted.as_str())
    );
    assert!(
        attacker_page(&m).contains("Account of ada: private data."),
        "{}",
        attacker_page(&m)
    );

    // Flask's signed cookie: the login writes a new cookie; the copy is of no use.
    do_it(&m, "signed-cookie").await;
    let copy = real_cookie(SECOND, "session").expect("the attacker's signed cookie");
    let victim = real_cookie(ID, "session").expect("the victim's signed cookie");
    assert!(
        copy.contains('.') && victim.contains('.'),
        "{copy} {victim}"
    );
    assert_ne!(copy, victim);
    assert!(
        attacker_page(&m).contains("Sign in"),
        "{}",
        attacker_page(&m)
    );
    assert!(!attacker_page(&m).contains("Account of ada"));

    // The fix, and the attack again: the login answers with a new id.
    do_it(&m, "fix").await;
    let planted = real_cookie(SECOND, "session").expect("a new attacker id");
    let renewed = real_cookie(ID, "session").expect("the victim's id");
    assert_eq!(
        (planted.len(), renewed.len()),
        (43, 43),
        "{planted} {renewed}"
    );
    assert_ne!(planted, renewed);
    assert!(
        !stored(&planted),
        "regenerate deleted it: {:?}",
        stored_sessions(ID)
    );
    assert!(stored(&renewed));
    assert!(
        victim_page(&m).contains("Account of ada"),
        "{}",
        victim_page(&m)
    );

    do_it(&m, "retry").await;
    assert!(
        attacker_page(&m).contains("Sign in"),
        "{}",
        attacker_page(&m)
    );
    assert!(!attacker_page(&m).contains("Account of ada"));
    assert!(text_of(&m.one("section.guide")).contains("Every step is done."));
    m.close().await;
}
