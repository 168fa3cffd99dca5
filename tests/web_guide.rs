//! The guide-first scenario page in headless Chromium (`wasm-pack test --headless --chrome`),
//! driven through the DOM like tests/web_scenarios.rs:
//!
//! - every lesson step's "Do it" in every scenario ticks that step and every earlier one,
//!   moves the `current` marker, and ends with "Every step is done."; which steps a step's
//!   "Do it" may tick ahead of their own is what the same acts do natively (`Run` on
//!   `ModelHost`), not a list written here;
//! - a step done by hand ticks too;
//! - a share link replays the same wire, jar, store and pages on a clean browser, and a link
//!   that cannot be read says why, starts the scenario normally and loses nothing;
//! - the keyboard shortcuts, presenter mode and the shortcuts overlay;
//! - the embed (`#/embed/<id>?panes=...`) and the top bar.
//!
//! Every test starts on a clean real state (no `sl.` cookies or `localStorage` items, an empty
//! hash) and leaves one behind.
#![cfg(target_arch = "wasm32")]

use session_lab::browser::clock::system_now;
use session_lab::client::jar::Jar;
use session_lab::lab::lesson::progress;
use session_lab::lab::run::{Act, ModelHost, Run};
use session_lab::lab::scenarios::{self, Scenario, ALL};
use session_lab::lab::share;
use session_lab::lab::{Action, BrowserId};
use session_lab::ui::app::LabRoot;
use session_lab::ui::pages::scenario::SHORTCUTS;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::AppHandle;

wasm_bindgen_test_configure!(run_in_browser);

mod web_dom;
use web_dom::*;

// ---------------------------------------------------------------------------------------------
// Panics, the address, keys

fn location() -> web_sys::Location {
    web_sys::window().unwrap().location()
}

fn hash() -> String {
    location().hash().unwrap()
}

/// Puts `fragment` (without its `#`) in the address.
fn set_hash(fragment: &str) {
    location().set_hash(fragment).unwrap();
}

/// A clean start for a test: no `sl.` state, no route, no presenter mode.
fn fresh() {
    watch_panics();
    clean_real_state();
    set_hash("");
    html().class_list().remove_1("presenter").unwrap();
}

fn html() -> Element {
    document().document_element().unwrap()
}

fn has_class(el: &Element, class: &str) -> bool {
    el.class_list().contains(class)
}

/// A `keydown` for `key` (`KeyboardEventInit` is not among the crate's web-sys features, so
/// the event is made with the page's own constructor).
fn key_event(key: &str, ctrl: bool) -> web_sys::KeyboardEvent {
    let init = js_sys::Object::new();
    for (k, v) in [
        ("key", wasm_bindgen::JsValue::from_str(key)),
        ("bubbles", true.into()),
        ("cancelable", true.into()),
        ("ctrlKey", ctrl.into()),
    ] {
        js_sys::Reflect::set(&init, &k.into(), &v).unwrap();
    }
    let window = web_sys::window().unwrap();
    let constructor: js_sys::Function = js_sys::Reflect::get(&window, &"KeyboardEvent".into())
        .unwrap()
        .unchecked_into();
    js_sys::Reflect::construct(&constructor, &js_sys::Array::of2(&"keydown".into(), &init))
        .unwrap()
        .unchecked_into()
}

/// Presses `key` on the page (the event goes to the window).
async fn press(key: &str) {
    web_sys::window()
        .unwrap()
        .dispatch_event(&key_event(key, false))
        .unwrap();
    settle().await;
}

// ---------------------------------------------------------------------------------------------
// Reading a page (a scenario page, or the whole app)

/// One step of the guide as shown.
#[derive(Debug, Clone, PartialEq)]
struct Tick {
    id: String,
    done: bool,
    current: bool,
    aria_current: Option<String>,
}

fn ticks(root: &Element) -> Vec<Tick> {
    all(root, "section.guide li.step")
        .iter()
        .map(|li| Tick {
            id: li.get_attribute("data-step").unwrap_or_default(),
            done: has_class(li, "done"),
            current: has_class(li, "current"),
            aria_current: li.get_attribute("aria-current"),
        })
        .collect()
}

fn done_of(ticks: &[Tick]) -> Vec<bool> {
    ticks.iter().map(|t| t.done).collect()
}

/// The step `id`'s `li`.
fn step(root: &Element, id: &str) -> Element {
    one(root, &format!("section.guide li.step[data-step=\"{id}\"]"))
}

/// The `current` marker is on the first step not done, alone, with `aria-current="step"`, and
/// "Every step is done." shows exactly when there is none.
fn check_marker(root: &Element, ctx: &str) -> Result<(), String> {
    let ticks = ticks(root);
    let first_undone = ticks.iter().position(|t| !t.done);
    for (i, t) in ticks.iter().enumerate() {
        let here = first_undone == Some(i);
        if t.current != here || t.aria_current.as_deref() != here.then_some("step") {
            return Err(format!(
                "{ctx}: the current marker is not (only) on the first step not done: {ticks:?}"
            ));
        }
    }
    let guide = text_of(&one(root, "section.guide"));
    let all_done = guide.contains("Every step is done.");
    if all_done != first_undone.is_none() {
        return Err(format!(
            "{ctx}: \"Every step is done.\" shown: {all_done}, steps: {ticks:?}"
        ));
    }
    let finished = ticks.iter().filter(|t| t.done).count();
    let heading = format!("Guide: {finished} of {} steps done", ticks.len());
    if !guide.contains(&heading) {
        return Err(format!("{ctx}: no {heading:?} in {guide}"));
    }
    Ok(())
}

fn wire_text(root: &Element) -> String {
    text_of(&one(root, "section.wire"))
}

/// The wire's request lines, newest first.
fn wire_lines(root: &Element) -> Vec<String> {
    all(root, "section.wire .log .exchange .request-line")
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

/// The jar table's text, or the jar's empty message.
fn jar_text(root: &Element) -> String {
    match root.query_selector("section.state table.jar").unwrap() {
        Some(table) => text_of(&table),
        None => {
            let state = text_of(&one(root, "section.state"));
            assert!(
                state.contains("The browser holds no cookies for this site."),
                "{state}"
            );
            "(no cookies)".into()
        }
    }
}

/// The jar's cookies: (name, value).
fn jar_cookies(root: &Element) -> Vec<(String, String)> {
    all(root, "section.state table.jar tbody tr:not(.why)")
        .iter()
        .map(|tr| {
            let cells: Vec<String> = all(tr, "td").iter().map(text_of).collect();
            (cells[0].clone(), cells[1].clone())
        })
        .collect()
}

/// The store: each session's key and data (its TTL left out: it counts down with the real
/// second), or what the pane says instead of a table.
fn store_text(root: &Element) -> Vec<String> {
    if root.query_selector("table.store").unwrap().is_some() {
        return all(root, "section.state table.store tbody tr")
            .iter()
            .map(|tr| {
                let cells: Vec<String> = all(tr, "td").iter().map(text_of).collect();
                format!("{} = {}", cells[0], cells[1])
            })
            .collect();
    }
    let state = text_of(&one(root, "section.state"));
    for said in [
        "The store is empty.",
        "Nothing: with Flask's default sessions the server keeps no session data.",
    ] {
        if state.contains(said) {
            return vec![said.into()];
        }
    }
    panic!("no store in {state}");
}

/// Each browser's name and what its viewport shows.
fn viewports(root: &Element) -> Vec<(String, String)> {
    all(root, "section.browser")
        .iter()
        .map(|b| {
            (
                b.get_attribute("aria-label").unwrap_or_default(),
                text_of(&one(b, ".viewport")),
            )
        })
        .collect()
}

fn address_input(root: &Element) -> HtmlInputElement {
    one(root, "section.browser input[aria-label=\"Address\"]").unchecked_into()
}

/// Types `path` into the main browser's address bar and presses Go.
async fn go(root: &Element, path: &str) {
    address_input(root).set_value(path);
    click(&one(
        root,
        "section.browser form.address button[type=\"submit\"]",
    ));
    settle().await;
}

/// Sets the jar's cookie `name` to `value` with the jar's editor.
async fn edit_cookie(root: &Element, name: &str, value: &str) {
    let editor = one(root, "section.state details.cookie-edit");
    editor.set_attribute("open", "").unwrap();
    let select: HtmlSelectElement = one(&editor, "select[name=\"cookie\"]").unchecked_into();
    let options = all(&editor, "select[name=\"cookie\"] option");
    let option = options
        .iter()
        .find(|o| text_of(o).starts_with(&format!("{name} (path ")))
        .unwrap_or_else(|| panic!("no cookie {name} in the editor: {}", text_of(&editor)));
    select.set_value(&option.get_attribute("value").unwrap());
    one(&editor, "input[name=\"value\"]")
        .unchecked_into::<HtmlInputElement>()
        .set_value(value);
    click(&one(&editor, "button[type=\"submit\"]"));
    settle().await;
}

/// The messages a link or an action left (`.lab-messages .status`).
fn messages(root: &Element) -> Vec<String> {
    all(root, ".lab-messages .status")
        .iter()
        .map(text_of)
        .collect()
}

/// Everything a share link must give back.
#[derive(Debug, PartialEq)]
struct Seen {
    wire: String,
    jar: String,
    store: Vec<String>,
    pages: Vec<(String, String)>,
    clock_badge: Option<String>,
    steps: Vec<bool>,
}

fn seen(root: &Element) -> Seen {
    Seen {
        wire: wire_text(root),
        jar: jar_text(root),
        store: store_text(root),
        pages: viewports(root),
        clock_badge: root
            .query_selector(".controls .badge")
            .unwrap()
            .map(|b| text_of(&b)),
        steps: done_of(&ticks(root)),
    }
}

// ---------------------------------------------------------------------------------------------
// The whole app, mounted at an address

/// The app (`LabRoot`, top bar and routes) mounted at `#<fragment>`.
struct App {
    root: Element,
    app: Option<AppHandle<LabRoot>>,
}

impl App {
    async fn at(fragment: &str) -> App {
        set_hash(fragment);
        let root = document().create_element("div").unwrap();
        root.set_id("test-guide-app");
        document().body().unwrap().append_child(&root).unwrap();
        let app = yew::Renderer::<LabRoot>::with_root(root.clone()).render();
        settle().await;
        App {
            root,
            app: Some(app),
        }
    }

    /// Unmounts and removes the container; the real cookies and storage stay.
    async fn unmount(mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
        settle().await;
        self.root.remove();
    }
}

// ---------------------------------------------------------------------------------------------
// The native expectation

/// What pressing the steps' "Do it" in order does natively: each step's ticks before and
/// after its own "Do it" (sticky, as the guide keeps them).
struct Expected {
    /// The ticks once the scenario has opened (and, for an app that cannot start, once its fix
    /// has run).
    opened: Vec<bool>,
    /// The first step whose "Do it" the test presses: 1 when the fix (the first step's own
    /// acts) had to run for the guide to exist.
    first: usize,
    /// For each step from `first`: the ticks before and after its "Do it".
    steps: Vec<(Vec<bool>, Vec<bool>)>,
}

fn native(scenario: &'static Scenario) -> Expected {
    let lesson = scenario.lesson();
    let mut host = ModelHost;
    let mut run: Run<Jar> = Run::start(scenario, 0x5eed, &mut host);
    let mut ticks = vec![false; lesson.steps.len()];
    let mut act = |run: &mut Run<Jar>, act: Act| {
        let now = system_now() + run.lab.as_ref().map_or(0, |l| l.offset);
        run.apply(act, now, &mut host);
    };
    let tick = |run: &Run<Jar>, ticks: &mut Vec<bool>| {
        let log = run.lab.as_ref().map(|l| l.log.as_slice()).unwrap_or(&[]);
        for (t, (_, done)) in ticks.iter_mut().zip(progress(&lesson, log)) {
            *t |= done;
        }
    };
    let mut first = 0;
    if run.lab.is_ok() {
        act(
            &mut run,
            Act::Navigate {
                browser: BrowserId::Main,
                target: scenario.start.into(),
            },
        );
    } else {
        // The page's fix button does the first step's "Do it": the fix, then the start page.
        assert_eq!(
            lesson.steps[0].doit,
            [Action::Fix, Action::Navigate(scenario.start)],
            "{}",
            scenario.id
        );
        for a in lesson.steps[0].doit {
            act(&mut run, Act::from(*a));
        }
        first = 1;
    }
    tick(&run, &mut ticks);
    let opened = ticks.clone();
    let mut steps = Vec::new();
    for s in &lesson.steps[first..] {
        let before = ticks.clone();
        for a in s.doit {
            act(&mut run, Act::from(*a));
        }
        tick(&run, &mut ticks);
        steps.push((before, ticks.clone()));
    }
    Expected {
        opened,
        first,
        steps,
    }
}

// ---------------------------------------------------------------------------------------------
// 1. Every "Do it" of every scenario

/// Presses every step's "Do it" of `scenario` in order; returns what went wrong.
async fn walk(scenario: &'static Scenario) -> Vec<String> {
    let id = scenario.id;
    let mut problems = Vec::new();
    let expected = native(scenario);
    let lesson = scenario.lesson();
    let ids: Vec<String> = lesson.steps.iter().map(|s| s.id.to_string()).collect();
    let lab = Mounted::open(id).await;

    if lab.find(".startup-error").is_some() {
        let fix = lab.find("#fix-keys");
        if fix.is_none() {
            problems.push(format!(
                "{id}: the app did not start and there is no #fix-keys"
            ));
        }
        match lab.find("section.guide") {
            Some(_) => {
                // The guide is there: its first "Do it" must do the fix.
                let t = ticks(&lab.root);
                if t.first().is_some_and(|t| t.done) {
                    problems.push(format!("{id}: the first step is done before the fix"));
                }
                click(&lab.one("section.guide li.step button.doit"));
                settle().await;
            }
            None => {
                problems.push(format!(
                    "{id}: while the app cannot start the guide is not shown"
                ));
            }
        }
        if lab.find(".startup-error").is_some() {
            problems.push(format!("{id}: the fix did not start the app"));
            lab.close().await;
            return problems;
        }
    }

    if lab.find("section.guide").is_none() {
        problems.push(format!("{id}: no section.guide"));
        lab.close().await;
        return problems;
    }
    let guide = lab.one("section.guide");
    if guide.get_attribute("aria-label").as_deref() != Some("Guide") {
        problems.push(format!("{id}: the guide's aria-label is not \"Guide\""));
    }
    let shown: Vec<String> = ticks(&lab.root).into_iter().map(|t| t.id).collect();
    if shown != ids {
        problems.push(format!(
            "{id}: the guide lists {shown:?}, the lesson {ids:?}"
        ));
        lab.close().await;
        return problems;
    }
    let opened = done_of(&ticks(&lab.root));
    if opened != expected.opened {
        problems.push(format!(
            "{id}: once opened the guide ticks {opened:?}, natively {:?}",
            expected.opened
        ));
    }
    if let Err(e) = check_marker(&lab.root, &format!("{id}, opened")) {
        problems.push(e);
    }

    for (k, (before, after)) in expected.steps.iter().enumerate() {
        let i = expected.first + k;
        let step_id = &ids[i];
        let ctx = format!("{id}, step {step_id:?}");
        let shown_before = done_of(&ticks(&lab.root));
        if shown_before != *before {
            problems.push(format!(
                "{ctx}: before its Do it the guide ticks {shown_before:?}, natively {before:?}"
            ));
        }
        if !before[i] && shown_before[i] {
            problems.push(format!("{ctx}: done before its Do it"));
        }
        let li = step(&lab.root, step_id);
        let Some(button) = li.query_selector("button.doit").unwrap() else {
            problems.push(format!("{ctx}: no Do it button"));
            continue;
        };
        if text_of(&button) != "Do it" {
            problems.push(format!("{ctx}: the button says {:?}", text_of(&button)));
        }
        let requests = lab.all("section.wire .log .exchange").len();
        click(&button);
        settle().await;
        if lab.all("section.wire .log .exchange").len() <= requests {
            problems.push(format!("{ctx}: its Do it sent no request"));
        }
        let t = ticks(&lab.root);
        for earlier in &t[..=i] {
            if !earlier.done {
                problems.push(format!(
                    "{ctx}: after its Do it, step {:?} is not done ({:?})",
                    earlier.id,
                    lab.find("section.browser .viewport").map(|v| text_of(&v))
                ));
            }
        }
        let shown_after = done_of(&t);
        if shown_after != *after {
            problems.push(format!(
                "{ctx}: after its Do it the guide ticks {shown_after:?}, natively {after:?}"
            ));
        }
        if let Err(e) = check_marker(&lab.root, &ctx) {
            problems.push(e);
        }
    }
    if !text_of(&lab.one("section.guide")).contains("Every step is done.") {
        problems.push(format!("{id}: no \"Every step is done.\" at the end"));
    }
    lab.close().await;
    problems
}

#[wasm_bindgen_test]
async fn every_do_it_of_every_scenario_ticks_its_step_and_moves_the_marker() {
    fresh();
    let mut problems = Vec::new();
    for scenario in ALL {
        let before = panics();
        problems.extend(walk(scenario).await);
        if panics() != before {
            problems.push(format!("{}: the page panicked", scenario.id));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    fresh();
}

#[wasm_bindgen_test]
async fn the_misspelled_app_shows_its_fix_and_the_guide_goes_on_from_there() {
    fresh();
    let lab = Mounted::open("seed-000-misspelled").await;
    assert!(lab.find(".startup-error").is_some());
    let fix = lab.one("#fix-keys");
    click(&fix);
    settle().await;
    assert!(lab.find(".startup-error").is_none());
    // The fix opened / (a 302 to /login): the first step is done, the marker on the second.
    assert_eq!(
        wire_lines(&lab.root),
        ["GET /login 200", "GET / 302"],
        "{}",
        wire_text(&lab.root)
    );
    let t = ticks(&lab.root);
    assert_eq!(
        t.iter()
            .map(|t| (t.id.as_str(), t.done))
            .collect::<Vec<_>>(),
        [("starts", true), ("id-cookie", false), ("store-hit", false)]
    );
    check_marker(&lab.root, "after the fix").unwrap();
    lab.close().await;
}

// ---------------------------------------------------------------------------------------------
// 2. A step done by hand

#[wasm_bindgen_test]
async fn a_step_done_by_hand_ticks() {
    fresh();
    let lab = Mounted::open("seed-001").await;
    assert!(!has_class(&step(&lab.root, "set"), "done"));
    assert!(has_class(&step(&lab.root, "set"), "current"));
    go(&lab.root, "/setsession").await;
    assert_eq!(wire_lines(&lab.root)[0], "GET /setsession 200");
    let set = step(&lab.root, "set");
    assert!(has_class(&set, "done"));
    assert!(!has_class(&set, "current"));
    let get = step(&lab.root, "get");
    assert!(has_class(&get, "current"));
    assert_eq!(get.get_attribute("aria-current").as_deref(), Some("step"));
    check_marker(&lab.root, "by hand").unwrap();
    // And the next one, by hand too.
    go(&lab.root, "/getsession").await;
    assert!(has_class(&step(&lab.root, "get"), "done"));
    assert!(has_class(&step(&lab.root, "second-browser"), "current"));
    lab.close().await;
}

// ---------------------------------------------------------------------------------------------
// 3. Share links, round trip

/// Clicks the `Do it` of step `id`.
async fn do_it(root: &Element, id: &str) {
    click(&one(
        root,
        &format!("section.guide li.step[data-step=\"{id}\"] button.doit"),
    ));
    settle().await;
}

/// Shares the lab on `app`: the link, after checking the share box.
async fn share_link(root: &Element, id: &str) -> String {
    click(&one(root, "#share"));
    settle().await;
    let input: HtmlInputElement = one(root, "#share-link").unchecked_into();
    assert_eq!(
        input.get_attribute("aria-label").as_deref(),
        Some("Share link")
    );
    let link = input.value();
    let page = location().href().unwrap();
    let page = page.split('#').next().unwrap();
    let prefix = format!("{page}#/s/{id}?lab=1.");
    assert!(link.starts_with(&prefix), "{link} does not start {prefix}");
    let state = link.split_once("?lab=").unwrap().1;
    let snippet: HtmlTextAreaElement = one(root, "#embed-snippet").unchecked_into();
    let snippet = snippet.value();
    assert!(
        snippet.contains(&format!(
            "{page}#/embed/{id}?panes=browser,jar&amp;lab={state}\""
        )),
        "{snippet}"
    );
    assert!(snippet.starts_with("<iframe "), "{snippet}");
    link
}

/// Acts on `app` with `acts`, shares, replays the link on a clean browser: the same wire, jar,
/// store and pages.
async fn round_trip(id: &'static str, acts: impl AsyncFnOnce(&Element)) {
    fresh();
    let app = App::at(&format!("/s/{id}")).await;
    acts(&app.root).await;
    let shared = seen(&app.root);
    let link = share_link(&app.root, id).await;
    let real_before = real_cookies(&format!("sl.{id}."));
    let sessions_before = stored_sessions(id);
    app.unmount().await;
    clean_real_state();

    let before = panics();
    let fragment = link.split_once('#').unwrap().1;
    let app = App::at(fragment).await;
    assert_eq!(panics(), before, "the replay panicked");
    assert_eq!(hash(), format!("#/s/{id}"));
    assert!(messages(&app.root).is_empty(), "{:?}", messages(&app.root));
    let replayed = seen(&app.root);
    assert_eq!(replayed.wire, shared.wire);
    assert_eq!(replayed.jar, shared.jar);
    assert_eq!(replayed.store, shared.store);
    assert_eq!(replayed.pages, shared.pages);
    assert_eq!(replayed.clock_badge, shared.clock_badge);
    assert_eq!(replayed.steps, shared.steps);
    // And for real: the same cookies in document.cookie, the same sessions in localStorage.
    assert_eq!(real_cookies(&format!("sl.{id}.")), real_before);
    assert_eq!(stored_sessions(id), sessions_before);
    app.unmount().await;
    fresh();
}

#[wasm_bindgen_test]
async fn a_share_link_replays_seed_004_server_persist() {
    round_trip("seed-004-server-persist", async |root: &Element| {
        do_it(root, "protected").await;
        do_it(root, "login").await;
        click(&one(root, "#clock-1m"));
        settle().await;
        do_it(root, "sliding").await;
        let sid = jar_cookies(root)[0].1.clone();
        edit_cookie(root, "session", "forged-session-id").await;
        assert_eq!(
            jar_cookies(root),
            [("session".to_string(), "forged-session-id".to_string())]
        );
        go(root, "/about").await;
        // The store does not know the forged id: the login form, and the real session stays.
        assert!(
            wire_lines(root)[1].starts_with("GET /about 302"),
            "{:?}",
            wire_lines(root)
        );
        assert!(
            store_text(root)
                .iter()
                .any(|r| r.starts_with(&format!("session:{sid} "))),
            "{:?}",
            store_text(root)
        );
        assert_eq!(text_of(&one(root, ".controls .badge")), "+2m 0s");
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_share_link_replays_seed_001_with_the_second_browser() {
    round_trip("seed-001", async |root: &Element| {
        do_it(root, "set").await;
        do_it(root, "get").await;
        do_it(root, "second-browser").await;
        assert_eq!(all(root, "section.browser").len(), 2);
        click(&one(root, "#clock-5m"));
        settle().await;
        // A hand-edited cookie: the server refuses it, and the page greets nobody.
        let value = jar_cookies(root)[0].1.clone();
        let forged = format!("x{value}");
        edit_cookie(root, "session", &forged).await;
        go(root, "/getsession").await;
        assert_eq!(jar_cookies(root), [("session".to_string(), forged)]);
        let pages = viewports(root);
        assert!(pages[0].1.ends_with("Welcome Anonymous"), "{pages:?}");
        assert!(pages[1].1.ends_with("Welcome Anonymous"), "{pages:?}");
        assert_eq!(text_of(&one(root, ".controls .badge")), "+5m 0s");
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// 4. Hostile links

/// A link's `lab=` text for `scenario` after opening its start page and `then`.
fn native_link(scenario: &'static Scenario, then: &[&'static str]) -> String {
    let mut host = ModelHost;
    let mut run: Run<Jar> = Run::start(scenario, 42, &mut host);
    let now = system_now();
    for target in std::iter::once(&scenario.start).chain(then) {
        run.apply(
            Act::Navigate {
                browser: BrowserId::Main,
                target: target.to_string(),
            },
            now,
            &mut host,
        );
    }
    share::encode(&run, now).unwrap()
}

#[wasm_bindgen_test]
async fn a_bad_share_link_says_why_starts_normally_and_loses_nothing() {
    fresh();
    let seed_001 = scenarios::by_id("seed-001").unwrap();
    let seed_000 = scenarios::by_id("seed-000").unwrap();
    let valid = native_link(seed_001, &["/setsession", "/getsession", "/popsession"]);
    let truncated = valid[..valid.len() / 2].to_string();
    assert!(share::decode(&valid).is_ok());
    assert!(share::decode(&truncated).is_err());
    let huge = format!("1.{}", "A".repeat(600 * 1024));
    let cases: Vec<(&str, String, &str)> = vec![
        ("empty", String::new(), "damaged"),
        ("garbage", "garbage".into(), "damaged"),
        ("newer format", "2.AAAA".into(), "newer"),
        ("not base64", "1.!!!".into(), "damaged"),
        ("600 KB", huge, "too long"),
        (
            "another scenario's",
            native_link(seed_000, &[]),
            "another scenario",
        ),
        ("truncated", truncated, "damaged"),
    ];

    // seed-001's real cookie, from before any link.
    let app = App::at("/s/seed-001").await;
    go(&app.root, "/setsession").await;
    app.unmount().await;
    let cookies_before = real_cookies("sl.seed-001.");
    assert_eq!(cookies_before.len(), 1, "{cookies_before:?}");
    let meta_before = ls_keys("sl.");

    let mut problems = Vec::new();
    for (name, text, says) in cases {
        let before = panics();
        let app = App::at(&format!("/s/seed-001?lab={text}")).await;
        let root = &app.root;
        if panics() != before {
            problems.push(format!("{name}: the page panicked"));
        }
        let said = messages(root);
        if !said
            .iter()
            .any(|m| m.contains("share link") && m.contains(says) && m.ends_with('.'))
        {
            problems.push(format!(
                "{name}: .lab-messages .status should say (a sentence about the share link) \
                 \"{says}\", it shows {said:?}"
            ));
        }
        // The scenario starts normally: its start page requested, with the cookie it had.
        let lines = wire_lines(root);
        if lines != ["GET /getsession 200"] {
            problems.push(format!("{name}: the wire shows {lines:?}"));
        }
        let pages = viewports(root);
        if !pages
            .first()
            .is_some_and(|p| p.1.ends_with("Welcome Admin"))
        {
            problems.push(format!("{name}: the page shows {pages:?}"));
        }
        if hash() != "#/s/seed-001" {
            problems.push(format!("{name}: the address is still {:.80}", hash()));
        }
        app.unmount().await;
        let cookies_after = real_cookies("sl.seed-001.");
        if cookies_after != cookies_before {
            problems.push(format!(
                "{name}: the real cookies were {cookies_before:?}, now {cookies_after:?}"
            ));
        }
        if ls_keys("sl.") != meta_before {
            problems.push(format!(
                "{name}: localStorage was {meta_before:?}, now {:?}",
                ls_keys("sl.")
            ));
        }
    }
    fresh();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// 5. Keyboard shortcuts

#[wasm_bindgen_test]
async fn keyboard_shortcuts_do_the_frequent_actions() {
    fresh();
    let lab = Mounted::open("seed-001").await;
    let root = &lab.root;
    assert!(has_class(&step(root, "set"), "current"));

    // n: the current step.
    press("n").await;
    assert!(has_class(&step(root, "set"), "done"));
    assert!(has_class(&step(root, "get"), "current"));
    assert_eq!(wire_lines(root)[0], "GET /setsession 200");

    // Typed in the address bar (or with Ctrl), a key is the learner's, not a shortcut.
    let input = address_input(root);
    input.focus().unwrap();
    let requests = wire_lines(root).len();
    for key in ["n", "t", "c", "r", "p", "?"] {
        input.dispatch_event(&key_event(key, false)).unwrap();
        settle().await;
    }
    web_sys::window()
        .unwrap()
        .dispatch_event(&key_event("n", true))
        .unwrap();
    settle().await;
    assert_eq!(wire_lines(root).len(), requests);
    assert!(!has_class(&step(root, "get"), "done"));
    assert!(lab.find(".controls .badge").is_none());
    assert_eq!(jar_cookies(root).len(), 1);
    assert!(lab.find(".overlay").is_none());
    assert!(!has_class(&html(), "presenter"));
    assert!(viewports(root)[0].1.ends_with("The session has been Set"));
    input.blur().unwrap();

    press("n").await;
    assert!(has_class(&step(root, "get"), "done"));
    assert!(has_class(&step(root, "second-browser"), "current"));

    // t: the clock, one minute on.
    press("t").await;
    assert_eq!(text_of(&lab.one(".controls .badge")), "+1m 0s");

    // c: the cookies, cleared, in the lab and for real.
    assert!(real_cookie("seed-001", "session").is_some());
    press("c").await;
    assert_eq!(jar_text(root), "(no cookies)");
    assert_eq!(real_cookie("seed-001", "session"), None);

    // r: the browser, closed and reopened.
    assert!(!viewports(root)[0].1.contains("Type a path"));
    press("r").await;
    assert_eq!(viewports(root)[0].1, "Type a path and press Enter.");
    assert_eq!(address_input(root).value(), "");

    // p: presenter mode, on and off.
    let presenter = lab.one("#presenter");
    assert_eq!(
        presenter.get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
    press("p").await;
    assert!(has_class(&html(), "presenter"));
    assert!(has_class(&lab.one("main.scenario"), "presenter"));
    assert_eq!(
        lab.one("#presenter")
            .get_attribute("aria-pressed")
            .as_deref(),
        Some("true")
    );
    press("p").await;
    assert!(!has_class(&html(), "presenter"));
    assert!(!has_class(&lab.one("main.scenario"), "presenter"));
    // The button does the same.
    click(&lab.one("#presenter"));
    settle().await;
    assert!(has_class(&html(), "presenter"));
    click(&lab.one("#presenter"));
    settle().await;
    assert!(!has_class(&html(), "presenter"));

    // ?: the overlay listing every shortcut; Escape closes it.
    assert_eq!(
        lab.one("#shortcuts")
            .get_attribute("aria-expanded")
            .as_deref(),
        Some("false")
    );
    press("?").await;
    let overlay = lab.one(".overlay[role=\"dialog\"]");
    let listed: Vec<String> = all(&overlay, "dt kbd").iter().map(text_of).collect();
    let keys: Vec<&str> = SHORTCUTS.iter().map(|(k, _)| *k).collect();
    assert_eq!(listed, keys);
    for key in ["n", "t", "r", "c", "p", "?"] {
        assert!(keys.contains(&key), "{key} is not listed");
    }
    let described: Vec<String> = all(&overlay, "dd").iter().map(text_of).collect();
    assert_eq!(
        described,
        SHORTCUTS
            .iter()
            .map(|(_, w)| w.to_string())
            .collect::<Vec<_>>()
    );
    assert_eq!(
        lab.one("#shortcuts")
            .get_attribute("aria-expanded")
            .as_deref(),
        Some("true")
    );
    press("Escape").await;
    assert!(lab.find(".overlay").is_none());
    // The button opens it too, and ? closes it.
    click(&lab.one("#shortcuts"));
    settle().await;
    assert!(lab.find(".overlay[role=\"dialog\"]").is_some());
    press("?").await;
    assert!(lab.find(".overlay").is_none());

    // Once unmounted, the page no longer listens.
    lab.close().await;
    press("p").await;
    assert!(!has_class(&html(), "presenter"));
    fresh();
}

#[wasm_bindgen_test]
async fn presenter_mode_ends_with_the_page() {
    fresh();
    let lab = Mounted::open("seed-002").await;
    press("p").await;
    assert!(has_class(&html(), "presenter"));
    lab.close().await;
    assert!(!has_class(&html(), "presenter"));
    fresh();
}

// ---------------------------------------------------------------------------------------------
// 6. The embed

/// The embed's parts: (browsers, wire, guide, state's headings, store table, cookie readout,
/// controls, top bar).
fn check_only(root: &Element, browser: bool, wire: bool, state_headings: &[&str]) {
    assert!(root
        .query_selector("main.scenario.embed")
        .unwrap()
        .is_some());
    assert!(root.query_selector("nav.topbar").unwrap().is_none());
    assert!(root.query_selector("section.guide").unwrap().is_none());
    assert!(root.query_selector(".controls").unwrap().is_none());
    assert!(root.query_selector("section.code").unwrap().is_none());
    assert_eq!(all(root, "section.browser").len(), usize::from(browser));
    assert_eq!(all(root, "section.wire").len(), usize::from(wire));
    let headings: Vec<String> = all(root, "section.state h2").iter().map(text_of).collect();
    assert_eq!(headings, state_headings);
    if !state_headings.contains(&"Server's session store") {
        assert!(root.query_selector("table.store").unwrap().is_none());
    }
    if !state_headings.contains(&"Session cookie") {
        assert!(root.query_selector("dl.segments").unwrap().is_none());
    }
}

/// The embed's link back: `#/s/<id>?lab=...`, decoded.
fn link_back(root: &Element, id: &str) -> share::Shared {
    let a = one(root, ".embed-head a");
    let href = a.get_attribute("href").unwrap();
    let prefix = format!("#/s/{id}?lab=");
    let state = href
        .strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("{href} does not start {prefix}"));
    share::decode(state).unwrap_or_else(|e| panic!("{href}: {e}"))
}

#[wasm_bindgen_test]
async fn the_embed_shows_only_its_panes_and_links_back() {
    fresh();
    let app = App::at("/embed/seed-001?panes=browser,jar").await;
    let root = &app.root;
    check_only(root, true, false, &["Cookie jar"]);
    assert!(viewports(root)[0].1.ends_with("Welcome Anonymous"));
    let shared = link_back(root, "seed-001");
    assert_eq!(shared.scenario.id, "seed-001");
    assert_eq!(
        shared.journal.iter().map(|e| &e.act).collect::<Vec<_>>(),
        [&Act::Navigate {
            browser: BrowserId::Main,
            target: "/getsession".into()
        }]
    );
    // Its real cookies are its own scope's.
    go(root, "/setsession").await;
    assert_eq!(jar_cookies(root).len(), 1);
    let value = jar_cookies(root)[0].1.clone();
    assert_eq!(
        real_cookies("sl."),
        [("sl.embed-seed-001.session".to_string(), value)],
        "the embed's scope embed.seed-001 is named sl.embed-seed-001. in document.cookie"
    );
    assert_eq!(link_back(root, "seed-001").journal.len(), 2);
    app.unmount().await;
    fresh();
}

#[wasm_bindgen_test]
async fn the_embed_replays_a_share_link_and_keeps_apart_from_the_scenario() {
    fresh();
    // The learner's own lab of seed-001, with its cookie.
    let app = App::at("/s/seed-001").await;
    go(&app.root, "/setsession").await;
    let learner = real_cookies("sl.seed-001.");
    assert_eq!(learner.len(), 1);
    app.unmount().await;

    let seed_001 = scenarios::by_id("seed-001").unwrap();
    let text = native_link(seed_001, &["/setsession", "/getsession"]);
    let shared = share::decode(&text).unwrap();
    let replayed = Run::<Jar>::replay(seed_001, shared.seed, &shared.journal, &mut ModelHost);
    let log = &replayed.lab.as_ref().unwrap().log;
    let set = log[1].set_cookies()[0];
    let value = set
        .split(';')
        .next()
        .unwrap()
        .strip_prefix("session=")
        .unwrap()
        .to_string();

    let app = App::at(&format!("/embed/seed-001?panes=browser,jar&lab={text}")).await;
    let root = &app.root;
    assert!(
        all(root, ".status.bad").is_empty(),
        "{:?}",
        all(root, ".status.bad")
            .iter()
            .map(text_of)
            .collect::<Vec<_>>()
    );
    check_only(root, true, false, &["Cookie jar"]);
    assert!(viewports(root)[0].1.ends_with("Welcome Admin"));
    assert_eq!(jar_cookies(root), [("session".to_string(), value.clone())]);
    // A linked embed has a scope of its own link: `embed.seed-001.<hash>`.
    let linked: Vec<String> = real_cookies("sl.embed-seed-001-")
        .into_iter()
        .filter(|(name, _)| name.ends_with(".session"))
        .map(|(_, v)| v)
        .collect();
    assert_eq!(linked, [value]);
    // The learner's lab is untouched.
    assert_eq!(real_cookies("sl.seed-001."), learner);
    assert_eq!(link_back(root, "seed-001").journal, shared.journal);
    app.unmount().await;
    fresh();
}

#[wasm_bindgen_test]
async fn a_bad_share_link_in_an_embed_says_why() {
    fresh();
    let before = panics();
    let app = App::at("/embed/seed-001?panes=browser,jar&lab=2.AAAA").await;
    let root = &app.root;
    assert_eq!(panics(), before);
    check_only(root, true, false, &["Cookie jar"]);
    // It starts normally...
    assert!(viewports(root)[0].1.ends_with("Welcome Anonymous"));
    // ... and says why the link did not replay.
    let said: Vec<String> = all(root, "main.embed .status.bad")
        .iter()
        .map(text_of)
        .collect();
    assert!(
        said.iter()
            .any(|m| m.contains("share link") && m.contains("newer")),
        "the embed should say the link is from a newer Session Lab, it shows {said:?}"
    );
    app.unmount().await;
    fresh();
}

#[wasm_bindgen_test]
async fn the_embed_falls_back_to_the_default_panes() {
    fresh();
    for panes in ["nope,zzz", "", "BROWSER"] {
        let app = App::at(&format!("/embed/seed-001?panes={panes}")).await;
        check_only(
            &app.root,
            true,
            true,
            &["Cookie jar", "Session cookie", "Server's session store"],
        );
        app.unmount().await;
        fresh();
    }
    // No panes at all: the same.
    let app = App::at("/embed/seed-001").await;
    check_only(
        &app.root,
        true,
        true,
        &["Cookie jar", "Session cookie", "Server's session store"],
    );
    app.unmount().await;
    fresh();
}

// ---------------------------------------------------------------------------------------------
// 7. The top bar

#[wasm_bindgen_test]
async fn the_top_bar_links_scenarios_compare_and_decoder() {
    fresh();
    let app = App::at("/s/seed-001").await;
    let root = &app.root;
    assert!(root.query_selector("main.scenario").unwrap().is_some());
    let bar = one(root, "nav.topbar");
    let links: Vec<(String, String)> = all(&bar, "a")
        .iter()
        .map(|a| (text_of(a), a.get_attribute("href").unwrap_or_default()))
        .collect();
    for (text, href) in [
        ("Scenarios", "#/"),
        ("Compare", "#/compare"),
        ("Decoder", "#/decoder"),
    ] {
        assert!(
            links.iter().any(|(t, h)| t == text && h == href),
            "{text} -> {href} not in {links:?}"
        );
    }
    // Each one goes where it says.
    let follow = |text: &'static str| {
        all(&one(root, "nav.topbar"), "a")
            .into_iter()
            .find(|a| text_of(a) == text)
            .unwrap()
    };
    click(&follow("Compare"));
    settle().await;
    assert_eq!(hash(), "#/compare");
    assert!(root.query_selector("main.compare").unwrap().is_some());
    assert!(root.query_selector("section.guide").unwrap().is_none());
    click(&follow("Decoder"));
    settle().await;
    assert_eq!(hash(), "#/decoder");
    assert!(root.query_selector("main.decoder").unwrap().is_some());
    click(&follow("Scenarios"));
    settle().await;
    assert_eq!(hash(), "#/");
    assert!(root.query_selector("main.index").unwrap().is_some());
    assert!(root.query_selector("ul.scenarios").unwrap().is_some());
    app.unmount().await;
    fresh();
}

// ---------------------------------------------------------------------------------------------
// 8. A link opened in a tab that already shows its scenario

#[wasm_bindgen_test]
async fn a_share_link_opened_over_its_own_scenario_replays() {
    fresh();
    let seed_001 = session_lab::lab::scenarios::by_id("seed-001").unwrap();
    let app = App::at("/s/seed-001").await;
    assert_eq!(wire_lines(&app.root), ["GET /getsession 200"]);
    // Only the fragment changes: the page is not reloaded, the route stays the same.
    let link = native_link(seed_001, &["/setsession"]);
    set_hash(&format!("/s/seed-001?lab={link}"));
    let event = web_sys::Event::new("hashchange").unwrap();
    web_sys::window().unwrap().dispatch_event(&event).unwrap();
    settle().await;
    settle().await;
    assert_eq!(
        wire_lines(&app.root),
        ["GET /setsession 200", "GET /getsession 200"],
        "the link's journal replaced the lab"
    );
    assert_eq!(hash(), "#/s/seed-001");
    app.unmount().await;
    fresh();
}
