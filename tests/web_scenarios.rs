//! Component tests of every seed scenario, driven through the DOM only: `ScenarioView` is
//! mounted into a fresh container, the mock page's forms are filled in and submitted, links
//! and control buttons are clicked, and the test reads what the learner would read (the page
//! in `.viewport`, the wire log, the jar and store tables) next to the real `document.cookie`
//! and `localStorage` the lab runs on. Run by `wasm-pack test --headless --chrome`.
//!
//! Every test starts and ends by expiring the `sl.` cookies and removing the `sl.` items of
//! `localStorage`, and removes its container. (wasm-bindgen-test runs the tests of this file
//! one at a time, so a test owns the page's cookies while it runs.)
#![cfg(target_arch = "wasm32")]

use session_lab::lab::scenarios::{self, ALL};
use session_lab::ui::app::LabRoot;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

/// seed-000-login's only student.
const STUDENT: &str = "ninja@codingninjas.com";
const PASSWORD: &str = "ninja123";
/// The name seed 003 greets unescaped: a real browser would run its `onerror`.
const HOSTILE: &str = "<img src=x onerror=alert(1)>";

mod web_dom;
use web_dom::*;

/// One exchange of the wire log, as the learner reads it.
#[derive(Debug)]
struct Logged {
    /// `GET /login 302`.
    line: String,
    /// The `Cookie:` line's value (`(none)` when nothing was sent).
    cookie: String,
    /// The `Set-Cookie:` header values.
    set_cookies: Vec<String>,
    /// `Location:`, if any.
    location: Option<String>,
}

/// What these tests read and do on a mounted page.
impl Mounted {
    /// The main browser's viewport.
    fn viewport(&self) -> Element {
        self.one("section.browser .viewport")
    }

    /// The text of the mock page (or of the empty viewport).
    fn page_text(&self) -> String {
        match self.find("section.browser .viewport .mock-page") {
            Some(page) => text_of(&page),
            None => text_of(&self.viewport()),
        }
    }

    fn address(&self) -> String {
        self.one("section.browser input[aria-label=\"Address\"]")
            .unchecked_into::<HtmlInputElement>()
            .value()
    }

    /// The wire log, newest first.
    fn log(&self) -> Vec<Logged> {
        self.all(".log .exchange")
            .iter()
            .map(|ex| {
                let part = |sel: &str| {
                    ex.query_selector(sel)
                        .unwrap()
                        .map(|e| text_of(&e))
                        .unwrap_or_default()
                };
                let line = format!(
                    "{} {} {}",
                    part(".request-line .method"),
                    part(".request-line .target"),
                    part(".request-line .status")
                );
                let headers = ex
                    .query_selector("pre.headers")
                    .unwrap()
                    .and_then(|e| e.text_content())
                    .unwrap_or_default();
                let value = |name: &str| -> Vec<String> {
                    headers
                        .lines()
                        .filter_map(|l| l.split_once(": "))
                        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                        .map(|(_, v)| v.to_string())
                        .collect()
                };
                Logged {
                    line,
                    cookie: value("Cookie").into_iter().next().unwrap_or_default(),
                    set_cookies: value("Set-Cookie"),
                    location: value("Location").into_iter().next(),
                }
            })
            .collect()
    }

    /// The request lines of the log, newest first.
    fn lines(&self) -> Vec<String> {
        self.log().into_iter().map(|l| l.line).collect()
    }

    /// The jar table: (name, value, expires) per cookie.
    fn jar(&self) -> Vec<(String, String, String)> {
        self.all("table.jar tbody tr:not(.why)")
            .iter()
            .map(|tr| {
                let cells: Vec<String> = all(tr, "td").iter().map(text_of).collect();
                (cells[0].clone(), cells[1].clone(), cells[3].clone())
            })
            .collect()
    }

    /// The store table: (key, data) per entry; `None` when the app keeps no store.
    fn store(&self) -> Option<Vec<(String, String)>> {
        let state = self.one("section.state");
        if self.find("table.store").is_none() {
            let text = text_of(&state);
            if text.contains("The store is empty.") {
                return Some(Vec::new());
            }
            return None;
        }
        Some(
            self.all("table.store tbody tr")
                .iter()
                .map(|tr| {
                    let cells: Vec<String> = all(tr, "td").iter().map(text_of).collect();
                    (cells[0].clone(), cells[1].clone())
                })
                .collect(),
        )
    }

    /// Types `path` into the address bar and presses Go.
    async fn go(&self, path: &str) {
        let input: HtmlInputElement = self
            .one("section.browser input[aria-label=\"Address\"]")
            .unchecked_into();
        input.set_value(path);
        dispatch_input(&input);
        click(&self.one("section.browser form.address button[type=\"submit\"]"));
        settle().await;
    }

    /// Clicks the browser button with this `aria-label` (Back, Forward, Reload).
    async fn browser_button(&self, label: &str) {
        click(&self.one(&format!(
            "section.browser form.address button[aria-label=\"{label}\"]"
        )));
        settle().await;
    }

    /// Clicks the lab control whose caption is `caption`.
    async fn control(&self, caption: &str) {
        let button = self
            .all(".controls button")
            .into_iter()
            .find(|b| text_of(b) == caption)
            .unwrap_or_else(|| panic!("no control {caption:?}"));
        click(&button);
        settle().await;
    }

    /// Clicks the link of the mock page whose text is `text`.
    async fn follow(&self, text: &str) {
        let link = all(&self.viewport(), "a")
            .into_iter()
            .find(|a| text_of(a) == text)
            .unwrap_or_else(|| panic!("no link {text:?} on {}", self.page_text()));
        click(&link);
        settle().await;
    }

    /// Types into the mock page's form `form` (its `data-form` index).
    fn fill(&self, form: usize, name: &str, value: &str) {
        let input: HtmlInputElement = self
            .one(&format!(
                "section.browser .viewport form[data-form=\"{form}\"] input[name=\"{name}\"]"
            ))
            .unchecked_into();
        input.set_value(value);
        dispatch_input(&input);
    }

    /// Clicks the submit button of the mock page's form `form`.
    async fn submit(&self, form: usize) {
        let selector = format!(
            "section.browser .viewport form[data-form=\"{form}\"] \
             input[type=\"submit\"], section.browser .viewport form[data-form=\"{form}\"] button"
        );
        click(&self.one(&selector));
        settle().await;
    }
}

fn dispatch_input(input: &HtmlInputElement) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
    input.dispatch_event(&event).unwrap();
}

/// Whether a `Set-Cookie` value deletes the cookie (an expiry in 1970).
fn is_deletion(set_cookie: &str) -> bool {
    set_cookie.contains("Expires=Thu, 01 Jan 1970 00:00:00 GMT")
}

// ---------------------------------------------------------------------------------------------
// seed-000: Flask-Session keeps the name

#[wasm_bindgen_test]
async fn seed_000_registers_a_name_kept_in_the_server_store() {
    let lab = Mounted::open("seed-000").await;
    // "/" without a registered name redirects to the login form.
    assert_eq!(lab.lines(), ["GET /login 200", "GET / 302"]);
    assert_eq!(lab.address(), "/login");
    assert!(lab.page_text().contains("Login"), "{}", lab.page_text());
    assert!(lab.jar().is_empty());
    assert_eq!(lab.store(), Some(Vec::new()));
    assert_eq!(real_cookie(lab.id, "session"), None);

    lab.fill(0, "name", "bob");
    lab.submit(0).await;
    let log = lab.log();
    assert_eq!(
        lab.lines(),
        [
            "GET / 200",
            "POST /login 302",
            "GET /login 200",
            "GET / 302"
        ]
    );
    // The id cookie has no Expires (SESSION_PERMANENT = False).
    let set = &log[1].set_cookies;
    assert_eq!(set.len(), 1, "{set:?}");
    assert!(set[0].starts_with("session="), "{set:?}");
    assert!(!set[0].contains("Expires"), "{set:?}");
    assert!(lab
        .one(".log .exchange:nth-child(2)")
        .text_content()
        .unwrap()
        .contains("form: name=bob"));
    // The welcome page of the tutorial's template (which reads `name`, not `user_name`).
    let page = lab.page_text();
    assert!(page.contains("Welcome"), "{page}");
    assert!(page.contains("Nobody is registered here yet."), "{page}");
    // The jar holds only a random id, sent back on the redirect.
    let jar = lab.jar();
    assert_eq!(jar.len(), 1, "{jar:?}");
    assert_eq!(jar[0].0, "session");
    assert_eq!(jar[0].2, "Session");
    let sid = jar[0].1.clone();
    assert_eq!(log[0].cookie, format!("session={sid}"));
    assert_eq!(
        real_cookie(lab.id, "session").as_deref(),
        Some(sid.as_str())
    );
    assert_eq!(
        lab.one("dl.segments dd").text_content().as_deref(),
        Some(sid.as_str())
    );
    // The name is in the store, under the id.
    let store = lab.store().unwrap();
    assert_eq!(store.len(), 1, "{store:?}");
    assert_eq!(store[0].0, format!("session:{sid}"));
    assert!(store[0].1.contains(r#""user_name":"bob""#), "{store:?}");
    let stored = stored_sessions(lab.id);
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(stored[0].0, format!("sl.store.seed-000:session:{sid}"));
    assert!(stored[0].1.contains(r#""user_name":"bob""#), "{stored:?}");

    // Logout sets user_name to None: the entry stays in the store.
    lab.go("/logout").await;
    assert_eq!(
        lab.lines()[..3],
        ["GET /login 200", "GET / 302", "GET /logout 302"]
    );
    assert!(lab.page_text().contains("Login"));
    let store = lab.store().unwrap();
    assert_eq!(store.len(), 1, "{store:?}");
    assert!(store[0].1.contains(r#""user_name":null"#), "{store:?}");
    assert_eq!(
        real_cookie(lab.id, "session").as_deref(),
        Some(sid.as_str())
    );
    lab.close().await;
    assert!(stored_sessions("seed-000").is_empty());
}

// ---------------------------------------------------------------------------------------------
// seed-000-login: Flask-Login

#[wasm_bindgen_test]
async fn seed_000_login_logs_the_student_in() {
    let lab = Mounted::open("seed-000-login").await;
    // The custom unauthorized handler answers 200 "Unauthorized".
    assert_eq!(lab.lines(), ["GET /protected 200"]);
    assert_eq!(lab.page_text(), "Unauthorized");
    assert_eq!(real_cookie(lab.id, "session"), None);

    lab.go("/login").await;
    assert_eq!(lab.lines()[0], "GET /login 200");
    lab.fill(0, "email", STUDENT);
    lab.fill(0, "password", PASSWORD);
    lab.submit(0).await;
    let log = lab.log();
    assert_eq!(
        lab.lines()[..2],
        ["GET /protected 200", "POST /login 302"],
        "{log:?}"
    );
    assert_eq!(log[1].location.as_deref(), Some("/protected"));
    let posted = text_of(&lab.one(".log .exchange:nth-child(2)"));
    assert!(
        posted.contains(&format!(
            "form: email={STUDENT}&password={PASSWORD}&submit="
        )),
        "{posted}"
    );
    assert_eq!(log[1].set_cookies.len(), 1, "{log:?}");
    assert!(log[1].set_cookies[0].starts_with("session="), "{log:?}");
    assert!(lab
        .page_text()
        .contains(&format!("Logged in as: {STUDENT}")));
    assert_eq!(lab.address(), "/protected");
    let jar = lab.jar();
    assert_eq!(jar.len(), 1, "{jar:?}");
    assert_eq!(jar[0].0, "session");
    assert_eq!(log[0].cookie, format!("session={}", jar[0].1));
    assert_eq!(
        real_cookie(lab.id, "session").as_deref(),
        Some(jar[0].1.as_str())
    );
    // A cookie session: the payload (Flask-Login's _user_id) is readable in the state pane.
    let segments = text_of(&lab.one("dl.segments"));
    assert!(segments.contains(STUDENT), "{segments}");
    assert!(
        segments.contains("valid under the server's key"),
        "{segments}"
    );
    assert_eq!(lab.store(), None);

    // Logging out empties the session: the cookie is deleted.
    lab.go("/logout").await;
    assert_eq!(lab.page_text(), "Logged out");
    assert!(lab.log()[0].set_cookies.iter().any(|c| is_deletion(c)));
    assert!(lab.jar().is_empty());
    assert_eq!(real_cookie(lab.id, "session"), None);
    lab.go("/protected").await;
    assert!(lab.page_text().contains("Unauthorized"));
    lab.close().await;
}

/// A named `<input type=submit>` without a `value` is sent with its default label, "Submit",
/// as Chromium sends it (what `lab::page::form_values` computes for this very form).
#[wasm_bindgen_test]
async fn seed_000_login_submit_button_sends_its_default_label() {
    let lab = Mounted::open("seed-000-login").await;
    lab.go("/login").await;
    lab.fill(0, "email", STUDENT);
    lab.fill(0, "password", PASSWORD);
    lab.submit(0).await;
    let posted = text_of(&lab.one(".log .exchange:nth-child(2)"));
    assert!(
        posted.contains(&format!(
            "form: email={STUDENT}&password={PASSWORD}&submit=Submit"
        )),
        "{posted}"
    );
    lab.close().await;
}

// ---------------------------------------------------------------------------------------------
// seed-000-misspelled: the app does not start

#[wasm_bindgen_test]
async fn seed_000_misspelled_shows_the_startup_error() {
    let lab = Mounted::open("seed-000-misspelled").await;
    let panel = lab.one(".startup-error");
    assert_eq!(panel.get_attribute("role").as_deref(), Some("alert"));
    let text = text_of(&panel);
    assert!(
        text.contains("Unrecognized value for SESSION_TYPE: null"),
        "{text}"
    );
    assert!(text_of(&lab.one("h1")).contains("Two misspelled config keys"));
    // No request can be served: no browser, no wire, no cookie.
    assert!(lab.find(".viewport").is_none());
    assert!(lab.all(".log .exchange").is_empty());
    assert!(lab.find(".controls").is_none());
    assert!(real_cookies("sl.").is_empty());
    assert!(ls_keys("sl.").is_empty());
    lab.close().await;
}

// ---------------------------------------------------------------------------------------------
// seed-001: set, get, pop

#[wasm_bindgen_test]
async fn seed_001_sets_gets_and_pops_the_value() {
    let lab = Mounted::open("seed-001").await;
    assert_eq!(lab.lines(), ["GET /getsession 200"]);
    assert!(lab.page_text().ends_with("Welcome Anonymous"));
    assert!(lab.log()[0].set_cookies.is_empty());
    assert_eq!(lab.log()[0].cookie, "(none)");
    assert!(lab.find("table.jar").is_none());
    assert!(text_of(&lab.one("section.state")).contains("The browser holds no cookies"));
    assert_eq!(real_cookie(lab.id, "session"), None);

    lab.go("/setsession").await;
    let log = lab.log();
    assert_eq!(lab.lines(), ["GET /setsession 200", "GET /getsession 200"]);
    assert!(lab.page_text().ends_with("The session has been Set"));
    assert_eq!(log[0].set_cookies.len(), 1, "{log:?}");
    let set = &log[0].set_cookies[0];
    assert!(
        set.starts_with("session=eyJVc2VybmFtZSI6IkFkbWluIn0."),
        "{set}"
    );
    assert!(set.ends_with("; HttpOnly; Path=/"), "{set}");
    let value = set
        .split(';')
        .next()
        .unwrap()
        .strip_prefix("session=")
        .unwrap()
        .to_string();
    assert_eq!(
        lab.jar(),
        [("session".to_string(), value.clone(), "Session".to_string())]
    );
    assert_eq!(
        real_cookie(lab.id, "session").as_deref(),
        Some(value.as_str())
    );
    // The state pane reads the payload without any key.
    let segments = text_of(&lab.one("dl.segments"));
    assert!(segments.contains(r#"{"Username":"Admin"}"#), "{segments}");
    assert!(
        segments.contains("valid under the server's key"),
        "{segments}"
    );

    lab.go("/getsession").await;
    assert!(lab.page_text().ends_with("Welcome Admin"));
    let log = lab.log();
    assert_eq!(log[0].line, "GET /getsession 200");
    assert_eq!(log[0].cookie, format!("session={value}"));
    assert!(log[0].set_cookies.is_empty(), "{log:?}");

    lab.go("/popsession").await;
    assert!(lab.page_text().ends_with("Session Deleted"));
    let log = lab.log();
    assert_eq!(log[0].line, "GET /popsession 200");
    assert_eq!(log[0].set_cookies.len(), 1, "{log:?}");
    assert!(is_deletion(&log[0].set_cookies[0]), "{log:?}");
    assert!(lab.jar().is_empty());
    assert_eq!(real_cookie(lab.id, "session"), None);

    lab.go("/getsession").await;
    assert!(lab.page_text().ends_with("Welcome Anonymous"));
    assert_eq!(lab.log()[0].cookie, "(none)");
    assert_eq!(lab.all(".log .exchange").len(), 5);

    // Back goes to /popsession again (a new request), Forward to /getsession.
    lab.browser_button("Back").await;
    assert_eq!(lab.address(), "/popsession");
    assert_eq!(lab.lines()[0], "GET /popsession 200");
    lab.browser_button("Forward").await;
    assert_eq!(lab.address(), "/getsession");
    assert_eq!(lab.lines()[0], "GET /getsession 200");
    assert_eq!(lab.all(".log .exchange").len(), 7);
    assert_eq!(lab.store(), None);
    assert!(ls_keys("sl.store.").is_empty());
    lab.close().await;
}

// ---------------------------------------------------------------------------------------------
// seed-002: Flask-Session with a 30-minute lifetime

#[wasm_bindgen_test]
async fn seed_002_stores_the_name_then_the_profile_greets_it() {
    let lab = Mounted::open("seed-002").await;
    assert_eq!(lab.lines(), ["GET /profile 200"]);
    assert!(lab.page_text().ends_with("No user data found in session."));
    assert!(lab.jar().is_empty());
    assert_eq!(lab.store(), Some(Vec::new()));

    lab.go("/").await;
    let log = lab.log();
    assert_eq!(log[0].line, "GET / 200");
    assert!(lab
        .page_text()
        .ends_with("Pythongeeks Session data stored!"));
    assert_eq!(log[0].set_cookies.len(), 1, "{log:?}");
    // Permanent by default: the id cookie carries Expires, 30 minutes ahead.
    assert!(log[0].set_cookies[0].contains("Expires="), "{log:?}");
    let jar = lab.jar();
    assert_eq!(jar.len(), 1, "{jar:?}");
    assert_eq!(jar[0].0, "session");
    assert_ne!(jar[0].2, "Session");
    let sid = jar[0].1.clone();
    assert_eq!(
        real_cookie(lab.id, "session").as_deref(),
        Some(sid.as_str())
    );
    let store = lab.store().unwrap();
    assert_eq!(store.len(), 1, "{store:?}");
    assert_eq!(store[0].0, format!("session:{sid}"));
    assert!(store[0].1.contains(r#""username":"John""#), "{store:?}");
    let stored = stored_sessions(lab.id);
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(stored[0].0, format!("sl.store.seed-002:session:{sid}"));
    assert!(stored[0].1.contains(r#""username":"John""#), "{stored:?}");

    lab.go("/profile").await;
    assert_eq!(lab.lines()[0], "GET /profile 200");
    assert_eq!(lab.log()[0].cookie, format!("session={sid}"));
    assert!(lab.page_text().ends_with("Welcome, John!"));

    // clear() removes the stored entry and the cookie.
    lab.go("/logout").await;
    assert!(lab.page_text().ends_with("Logged out successfully!"));
    assert!(lab.log()[0].set_cookies.iter().any(|c| is_deletion(c)));
    assert_eq!(lab.store(), Some(Vec::new()));
    assert!(stored_sessions(lab.id).is_empty());
    assert_eq!(real_cookie(lab.id, "session"), None);
    lab.close().await;
}

// ---------------------------------------------------------------------------------------------
// seed-003: five idle minutes, and a name that is raw HTML

#[wasm_bindgen_test]
async fn seed_003_shows_a_hostile_name_as_text_then_expires_after_five_minutes() {
    let lab = Mounted::open("seed-003").await;
    assert_eq!(lab.lines(), ["GET /login 200"]);
    assert!(lab.page_text().contains("Name:"), "{}", lab.page_text());

    lab.fill(0, "nm", HOSTILE);
    lab.submit(0).await;
    let log = lab.log();
    assert_eq!(
        lab.lines(),
        ["GET /user 200", "POST /login 302", "GET /login 200"]
    );
    assert_eq!(lab.address(), "/user");
    // A permanent session: Expires five minutes ahead.
    assert_eq!(log[1].set_cookies.len(), 1, "{log:?}");
    assert!(log[1].set_cookies[0].starts_with("session="), "{log:?}");
    assert!(log[1].set_cookies[0].contains("Expires="), "{log:?}");
    // The markup is shown as text, flagged, never as an element.
    let viewport = lab.viewport();
    assert!(
        all(&viewport, "img").is_empty(),
        "{}",
        viewport.inner_html()
    );
    let flagged = lab.one(".viewport .unsafe");
    assert!(text_of(&flagged).contains(HOSTILE), "{}", text_of(&flagged));
    assert!(lab.find(".viewport .unsafe-banner").is_some());
    let jar = lab.jar();
    assert_eq!(jar.len(), 1, "{jar:?}");
    assert_ne!(jar[0].2, "Session");
    assert_eq!(
        real_cookie(lab.id, "session").as_deref(),
        Some(jar[0].1.as_str())
    );

    // Six idle minutes later the cookie has expired: /user redirects to the login form.
    lab.control("+5 min").await;
    lab.control("+1 min").await;
    assert_eq!(text_of(&lab.one(".controls .badge")), "+6m 0s");
    lab.browser_button("Reload").await;
    let log = lab.log();
    assert_eq!(lab.lines()[..2], ["GET /login 200", "GET /user 302"]);
    assert_eq!(log[1].cookie, "(none)");
    assert_eq!(log[1].location.as_deref(), Some("/login"));
    assert!(lab.page_text().contains("Name:"));
    assert!(lab.find(".viewport .unsafe").is_none());
    assert!(lab.jar().is_empty());
    assert_eq!(real_cookie(lab.id, "session"), None);

    lab.control("Reset clock").await;
    assert!(lab.find(".controls .badge").is_none());
    lab.close().await;
}

/// Reloading a page that now redirects shows where the browser ended up, as a real browser's
/// address bar does (the history entry becomes the redirect's target).
#[wasm_bindgen_test]
async fn seed_003_reload_that_redirects_shows_the_new_address() {
    let lab = Mounted::open("seed-003").await;
    lab.fill(0, "nm", "ada");
    lab.submit(0).await;
    assert_eq!(lab.address(), "/user");
    lab.control("+5 min").await;
    lab.control("+1 min").await;
    lab.browser_button("Reload").await;
    assert_eq!(lab.lines()[..2], ["GET /login 200", "GET /user 302"]);
    assert!(lab.page_text().contains("Name:"));
    assert_eq!(lab.address(), "/login");
    lab.close().await;
}

// ---------------------------------------------------------------------------------------------
// seed-004: four ways to keep a session

/// Opens /about, is sent to the login form with `next`, signs in as `name`: the About page.
async fn sign_in_through_about(lab: &Mounted, name: &str) {
    assert!(lab.page_text().contains("This is the home page."));
    lab.follow("About").await;
    assert_eq!(
        lab.lines()[..2],
        [
            "GET /login?next=http://localhost/about 200",
            "GET /about 302"
        ]
    );
    let next: HtmlInputElement = lab
        .one(".viewport form[data-form=\"0\"] input[name=\"next\"]")
        .unchecked_into();
    assert_eq!(next.value(), "http://localhost/about");
    lab.fill(0, "username", name);
    lab.submit(0).await;
    let log = lab.log();
    assert_eq!(
        lab.lines()[..2],
        ["GET /about 200", "POST /login 302"],
        "{log:?}"
    );
    let posted = text_of(&lab.one(".log .exchange:nth-child(2)"));
    assert!(
        posted.contains(&format!(
            "form: next=http://localhost/about&username={name}"
        )),
        "{posted}"
    );
    assert_eq!(lab.address(), "/about");
    let page = lab.page_text();
    assert!(page.contains("This is the About page."), "{page}");
    assert!(page.contains(&format!("Welcome {name}!")), "{page}");
}

#[wasm_bindgen_test]
async fn seed_004_client_persist_keeps_the_cookie_across_a_restart() {
    let lab = Mounted::open("seed-004-client-persist").await;
    assert_eq!(lab.lines(), ["GET /home 200"]);
    sign_in_through_about(&lab, "alice").await;
    let set = &lab.log()[1].set_cookies;
    assert_eq!(set.len(), 1, "{set:?}");
    assert!(set[0].contains("Expires="), "{set:?}");
    // The session's theme is applied to the mock page.
    assert!(lab.find(".viewport .mock-page.theme-dark").is_some());
    let jar = lab.jar();
    assert_eq!(jar.len(), 1, "{jar:?}");
    assert_ne!(jar[0].2, "Session");
    let value = jar[0].1.clone();
    assert_eq!(
        real_cookie(lab.id, "session").as_deref(),
        Some(value.as_str())
    );
    assert_eq!(lab.store(), None);

    click(&lab.one("#restart-browser"));
    settle().await;
    assert!(lab.page_text().contains("Type a path and press Enter."));
    assert_eq!(lab.address(), "");
    // The persistent cookie survives, in the lab and for real.
    assert_eq!(lab.jar().len(), 1);
    assert_eq!(lab.jar()[0].1, value);
    assert_eq!(
        real_cookie(lab.id, "session").as_deref(),
        Some(value.as_str())
    );
    lab.go("/about").await;
    assert_eq!(lab.lines()[0], "GET /about 200");
    assert!(lab.log()[0].cookie.starts_with("session="));
    assert!(lab.page_text().contains("Welcome alice!"));
    assert!(lab.find(".viewport .mock-page.theme-dark").is_some());
    lab.close().await;
}

#[wasm_bindgen_test]
async fn seed_004_client_temp_loses_the_cookie_on_a_restart() {
    let lab = Mounted::open("seed-004-client-temp").await;
    assert_eq!(lab.lines(), ["GET /home 200"]);
    sign_in_through_about(&lab, "bob").await;
    let set = &lab.log()[1].set_cookies;
    assert_eq!(set.len(), 1, "{set:?}");
    assert!(!set[0].contains("Expires="), "{set:?}");
    assert!(lab.find(".viewport .mock-page.theme-dark").is_some());
    let jar = lab.jar();
    assert_eq!(jar.len(), 1, "{jar:?}");
    assert_eq!(jar[0].2, "Session");
    assert!(real_cookie(lab.id, "session").is_some());

    lab.control("Close and reopen the browser").await;
    assert!(lab.jar().is_empty());
    assert_eq!(real_cookie(lab.id, "session"), None);
    assert!(lab.page_text().contains("Type a path and press Enter."));
    lab.go("/about").await;
    assert_eq!(
        lab.lines()[..2],
        [
            "GET /login?next=http://localhost/about 200",
            "GET /about 302"
        ]
    );
    assert_eq!(lab.log()[1].cookie, "(none)");
    assert!(lab.page_text().contains("Sign in below."));
    assert!(lab.find(".viewport .mock-page.theme-dark").is_none());
    lab.close().await;
}

/// Signs in on a server-side variant, checks the store, logs out: the entry is gone.
async fn server_side_sign_in_and_out(id: &'static str, permanent: bool) {
    let lab = Mounted::open(id).await;
    assert_eq!(lab.lines(), ["GET /home 200"]);
    assert_eq!(lab.store(), Some(Vec::new()));
    sign_in_through_about(&lab, "carol").await;
    let jar = lab.jar();
    assert_eq!(jar.len(), 1, "{jar:?}");
    assert_eq!(jar[0].0, "session");
    assert_eq!(jar[0].2 != "Session", permanent, "{jar:?}");
    let sid = jar[0].1.clone();
    assert_eq!(real_cookie(id, "session").as_deref(), Some(sid.as_str()));
    // The server keeps the data; the cookie holds only the id.
    let store = lab.store().unwrap();
    assert_eq!(store.len(), 1, "{store:?}");
    assert_eq!(store[0].0, format!("session:{sid}"));
    assert!(store[0].1.contains(r#""user_name":"carol""#), "{store:?}");
    assert!(store[0].1.contains(r#""theme":"dark""#), "{store:?}");
    let stored = stored_sessions(id);
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(stored[0].0, format!("sl.store.{id}:session:{sid}"));
    assert!(stored[0].1.contains(r#""user_name":"carol""#), "{stored:?}");
    assert!(text_of(&lab.one("dl.segments")).contains("Only a random id"));
    // The server finds the theme in the store, by the id the cookie carries.
    assert!(lab.find(".viewport .mock-page.theme-dark").is_some());

    lab.follow("Log Out").await;
    let log = lab.log();
    assert_eq!(log[0].line, "GET /logout 200");
    assert_eq!(log[0].cookie, format!("session={sid}"));
    assert!(log[0].set_cookies.iter().any(|c| is_deletion(c)), "{log:?}");
    assert!(lab.page_text().ends_with("Signed Out!!!"));
    assert!(lab.find(".viewport .mock-page.theme-dark").is_none());
    assert_eq!(lab.store(), Some(Vec::new()));
    assert!(stored_sessions(id).is_empty());
    assert!(lab.jar().is_empty());
    assert_eq!(real_cookie(id, "session"), None);
    lab.close().await;
}

#[wasm_bindgen_test]
async fn seed_004_server_temp_stores_the_session_and_logout_removes_it() {
    server_side_sign_in_and_out("seed-004-server-temp", false).await;
}

#[wasm_bindgen_test]
async fn seed_004_server_persist_stores_the_session_and_logout_removes_it() {
    server_side_sign_in_and_out("seed-004-server-persist", true).await;
}

// ---------------------------------------------------------------------------------------------
// The index

#[wasm_bindgen_test]
async fn index_lists_every_scenario_and_opens_one() {
    clean_real_state();
    let window = web_sys::window().unwrap();
    let location = window.location();
    location.set_hash("/").unwrap();
    let root = document().create_element("div").unwrap();
    root.set_id("test-index");
    document().body().unwrap().append_child(&root).unwrap();
    let app = yew::Renderer::<LabRoot>::with_root(root.clone()).render();
    settle().await;

    let titles: Vec<String> = all(&root, "ul.scenarios li > a")
        .iter()
        .map(text_of)
        .collect();
    for s in ALL {
        let listed = titles.iter().filter(|t| *t == s.title).count();
        assert_eq!(listed, 1, "{}: {titles:?}", s.id);
    }

    // Following one opens the scenario at #/s/<id>, which loads its first page.
    let s = scenarios::by_id("seed-001").unwrap();
    let link = all(&root, "ul.scenarios li > a")
        .into_iter()
        .find(|a| text_of(a) == s.title)
        .unwrap();
    click(&link);
    settle().await;
    assert_eq!(location.hash().unwrap(), "#/s/seed-001");
    assert_eq!(
        text_of(&root.query_selector("main.scenario h1").unwrap().unwrap()),
        s.title
    );
    let viewport = root.query_selector(".viewport").unwrap().unwrap();
    assert!(text_of(&viewport).ends_with("Welcome Anonymous"));

    app.destroy();
    settle().await;
    root.remove();
    location.set_hash("").unwrap();
    clean_real_state();
}
