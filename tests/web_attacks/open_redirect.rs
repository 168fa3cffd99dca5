//! `attack-open-redirect` in Chromium, through the Do it buttons: before the fix, signing in on
//! the attacker's link leaves the browser on Werkzeug's redirect page pointing off the site
//! (the lab goes no further); after it, the same links end on the site's home page. Also the
//! page helpers my other two files use.

use super::web_dom::*;
use wasm_bindgen_test::*;

const ID: &str = "attack-open-redirect";

/// Clicks step `id`'s "Do it"; the guide must tick it, and not before.
pub async fn step(m: &Mounted, id: &str) {
    let li = format!("section.guide li.step[data-step=\"{id}\"]");
    assert!(
        !m.one(&li).class_list().contains("done"),
        "{}: {id} is done before its Do it",
        m.id
    );
    click(&m.one(&format!("{li} button.doit")));
    settle().await;
    assert!(
        m.one(&li).class_list().contains("done"),
        "{}: {id} is not done after its Do it",
        m.id
    );
}

/// A browser pane's viewport: the main one, or the second.
pub fn pane(m: &Mounted, second: bool) -> web_sys::Element {
    let label = if second {
        "A second browser"
    } else {
        "The browser"
    };
    m.one(&format!(
        "section.browser[aria-label=\"{label}\"] .viewport"
    ))
}

/// The text a browser's viewport shows.
pub fn shown(m: &Mounted, second: bool) -> String {
    text_of(&pane(m, second))
}

/// The off-site links the main page marks, as shown.
fn offsite(m: &Mounted) -> Vec<String> {
    all(&pane(m, false), ".offsite")
        .iter()
        .map(text_of)
        .collect()
}

#[wasm_bindgen_test]
async fn signing_in_leaves_the_site_until_next_is_checked() {
    let m = Mounted::open(ID).await;
    step(&m, "protected").await;
    step(&m, "link").await;
    assert!(shown(&m, false).contains("Sign in below."));
    step(&m, "open-redirect").await;
    // The lab stopped at the 302; the page is Werkzeug's, with the link a browser would follow.
    let page = shown(&m, false);
    assert!(page.contains("302 FOUND"), "{page}");
    assert_eq!(
        offsite(&m),
        ["https://evil.example/ (https://evil.example/)"]
    );
    // Signed in all the same: the real session cookie was set on this site.
    assert!(real_cookie(ID, "session").is_some());

    step(&m, "disguised").await;
    // The last one had a tab between its slashes: Werkzeug's page links to it as written.
    let links = offsite(&m);
    assert_eq!(links.len(), 1, "{links:?}");
    assert!(links[0].ends_with("(http://evil.example/)"), "{links:?}");

    step(&m, "fix").await;
    assert!(shown(&m, false).contains("Sign in below."));
    step(&m, "still-works").await;
    assert!(shown(&m, false).contains("This is the About page."));
    step(&m, "retry").await;
    let page = shown(&m, false);
    assert!(page.contains("This is the home page."), "{page}");
    assert!(page.contains("Welcome ada!"), "{page}");
    assert!(offsite(&m).is_empty());
    m.close().await;
}
