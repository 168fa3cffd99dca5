//! The wire and the store at scale, in headless Chromium (`wasm-pack test --headless --chrome`):
//! both show a page at a time, newest first, with "Newer" and "Older" buttons and the page's
//! position; their rows are keyed (a new request adds one row and leaves the others' DOM
//! nodes alone); and the one-second clock tick re-renders the countdowns and ages only, never
//! the log. Driven through the DOM, like tests/web_scenarios.rs; renders are counted through
//! `session_lab::ui::renders`, the tick is `lab_context::tick_clocks` (no waiting a second).
#![cfg(target_arch = "wasm32")]

use session_lab::ui::lab_context::tick_clocks;
use session_lab::ui::renders::renders;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

mod web_dom;
use web_dom::*;

fn disabled(button: &Element) -> bool {
    button.has_attribute("disabled")
}

/// What these tests read and do on a mounted page.
impl Mounted {
    /// Types `path` into the address bar and presses Go.
    async fn go(&self, path: &str) {
        let input: HtmlInputElement = self
            .one("section.browser input[aria-label=\"Address\"]")
            .unchecked_into();
        input.set_value(path);
        click(&self.one("section.browser form.address button[type=\"submit\"]"));
        settle().await;
    }

    /// "Clear cookies", then the browser's reload: one more session in the store, one more
    /// exchange on the wire.
    async fn clear_and_reload(&self) {
        let clear = self
            .all(".controls button")
            .into_iter()
            .find(|b| text_of(b) == "Clear cookies")
            .expect("a Clear cookies control");
        click(&clear);
        settle().await;
        click(&self.one("section.browser form.address button[aria-label=\"Reload\"]"));
        settle().await;
    }

    /// The wire's rows, newest first: their request lines (`GET / 200`).
    fn wire(&self) -> Vec<String> {
        self.all("section.wire .log .exchange .request-line")
            .iter()
            .map(|line| {
                [".method", ".target", ".status"]
                    .iter()
                    .filter_map(|part| line.query_selector(part).unwrap())
                    .map(|e| text_of(&e))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    /// The store's keys, as the table lists them.
    fn store_keys(&self) -> Vec<String> {
        self.all("section.state table.store tbody tr td:first-child")
            .iter()
            .map(text_of)
            .collect()
    }

    /// The page position of the pager in `pane` (`wire` or `state`).
    fn position(&self, pane: &str) -> String {
        text_of(&self.one(&format!("section.{pane} .pager-position")))
    }

    /// The pager button of `pane` whose accessible name is `name`.
    fn pager_button(&self, pane: &str, name: &str) -> Element {
        self.one(&format!(
            "section.{pane} nav.pager button[aria-label=\"{name}\"]"
        ))
    }

    async fn press(&self, pane: &str, name: &str) {
        let button = self.pager_button(pane, name);
        assert!(!disabled(&button), "{name} is disabled");
        click(&button);
        settle().await;
    }

    /// The session id in the jar.
    fn session_id(&self) -> String {
        self.all("table.jar tbody tr:not(.why) td")
            .get(1)
            .map(text_of)
            .expect("a session cookie in the jar")
    }
}

#[wasm_bindgen_test]
async fn the_wire_and_the_store_page_newest_first() {
    let lab = Mounted::open("seed-002").await;
    lab.go("/").await;
    // Few enough to fit a page: no pager, everything shown, as before.
    assert!(lab.root.query_selector("nav.pager").unwrap().is_none());
    assert_eq!(lab.wire().len(), 2);
    for _ in 0..59 {
        lab.clear_and_reload().await;
    }
    // 61 exchanges: /profile, then / 60 times; 60 sessions.
    let wire = lab.wire();
    assert_eq!(wire.len(), 50);
    assert_eq!(lab.position("wire"), "entries 1–50 of 61");
    let log = lab.one("section.wire ol.log");
    assert_eq!(log.get_attribute("start").as_deref(), Some("61"));
    assert!(wire.iter().all(|l| l == "GET / 200"), "{wire:?}");
    let newer = lab.pager_button("wire", "Newer entries");
    let older = lab.pager_button("wire", "Older entries");
    assert_eq!(text_of(&newer), "← Newer");
    assert!(disabled(&newer) && !disabled(&older));

    // The oldest page is a whole page, ending with the first request.
    lab.press("wire", "Older entries").await;
    assert_eq!(lab.position("wire"), "entries 12–61 of 61");
    let wire = lab.wire();
    assert_eq!(wire.last().map(String::as_str), Some("GET /profile 200"));
    assert!(disabled(&lab.pager_button("wire", "Older entries")));
    // A page further back stays put while new requests arrive...
    lab.clear_and_reload().await;
    assert_eq!(lab.position("wire"), "entries 13–62 of 62");
    assert_eq!(
        lab.wire().last().map(String::as_str),
        Some("GET /profile 200")
    );
    // ... and "Newer" goes back to the newest, which follows new requests again.
    lab.press("wire", "Newer entries").await;
    assert_eq!(lab.position("wire"), "entries 1–50 of 62");

    // The store: the newest session (the browser's own) first.
    assert_eq!(lab.position("state"), "sessions 1–50 of 61");
    let keys = lab.store_keys();
    assert_eq!(keys.len(), 50);
    assert_eq!(keys[0], format!("session:{}", lab.session_id()));
    lab.press("state", "Older sessions").await;
    assert_eq!(lab.position("state"), "sessions 51–61 of 61");
    let older_keys = lab.store_keys();
    assert_eq!(older_keys.len(), 11);
    assert!(older_keys.iter().all(|k| !keys.contains(k)));
    assert!(disabled(&lab.pager_button("state", "Older sessions")));
    lab.press("state", "Newer sessions").await;
    assert_eq!(lab.store_keys(), keys);
    lab.close().await;
}

#[wasm_bindgen_test]
async fn rows_are_keyed_and_a_request_renders_one_new_row() {
    let lab = Mounted::open("seed-002").await;
    lab.go("/").await;
    for _ in 0..55 {
        lab.clear_and_reload().await;
    }
    let first_exchange = lab.one("section.wire .log .exchange");
    let first_session = lab.one("section.state table.store tbody tr");
    let rows_before = renders("exchange-row");
    let store_rows_before = renders("store-row");

    lab.clear_and_reload().await;
    // One new exchange rendered, the others kept: the old top row is now the second.
    assert_eq!(renders("exchange-row") - rows_before, 1);
    let exchanges = lab.all("section.wire .log .exchange");
    assert_eq!(exchanges.len(), 50);
    assert!(exchanges[1].is_same_node(Some(&first_exchange)));
    // One new session rendered at the top; the old top row moved down, untouched.
    assert_eq!(renders("store-row") - store_rows_before, 1);
    let sessions = lab.all("section.state table.store tbody tr");
    assert_eq!(sessions.len(), 50);
    assert!(sessions[1].is_same_node(Some(&first_session)));
    lab.close().await;
}

#[wasm_bindgen_test]
async fn a_clock_tick_rerenders_the_countdowns_and_nothing_else() {
    let lab = Mounted::open("seed-002").await;
    lab.go("/").await;
    lab.clear_and_reload().await;
    let first_exchange = lab.one("section.wire .log .exchange");
    let quiet = [
        "wire",
        "exchange-row",
        "state",
        "jar",
        "cookie",
        "store-row",
        "lesson",
        "flask-code",
    ];
    let before: Vec<u64> = quiet.iter().map(|c| renders(c)).collect();
    let (now_before, countdowns_before) = (renders("lab-now"), renders("countdown"));

    tick_clocks();
    settle().await;
    tick_clocks();
    settle().await;

    let after: Vec<u64> = quiet.iter().map(|c| renders(c)).collect();
    assert_eq!(after, before, "{quiet:?}");
    assert_eq!(renders("lab-now") - now_before, 2);
    // Two sessions in the store, two countdowns, each re-rendered per tick.
    assert_eq!(renders("countdown") - countdowns_before, 4);
    assert!(lab
        .one("section.wire .log .exchange")
        .is_same_node(Some(&first_exchange)));
    assert_eq!(lab.wire().len(), 3);
    lab.close().await;
}
