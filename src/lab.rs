//! The lab's state machine: a scenario's app, one or two browsers (each with a cookie jar and
//! a history), the clock, and the network log. Platform-free, so every transition is tested
//! natively; the Yew UI renders it, and in the browser the jar and the store are the real
//! `document.cookie` and `localStorage` (through [`CookieJar`] and
//! [`crate::engine::flask_session::store::SessionStore`]).
//!
//! One request end to end: a click becomes a [`Request`]; the tab's jar adds the
//! `Cookie` header and says why each cookie was or was not sent; the app answers; every
//! `Set-Cookie` goes into the jar; a redirect is followed as a new request; each exchange is
//! appended to the log.

pub mod compare;
pub mod cracker;
pub mod decoder;
pub mod export;
pub mod flask_code;
pub mod lesson;
pub mod run;
pub mod scenarios;
pub mod share;
pub mod shell;
pub mod view;
pub mod wordlist;

use crate::client::jar::{Jar, SendDecision, StoredCookie};
use crate::client::page::{self, Page};
use crate::engine::flask::app::App;
use crate::engine::flask::sessions::CookieVerdict;
use crate::engine::werkzeug::wrappers::{Request, Response};

/// The longest redirect chain followed before giving up, as browsers do (Chromium: 20).
pub const MAX_REDIRECTS: usize = 20;

/// A cookie jar the lab can drive: the engine's model natively, the real `document.cookie`
/// (mirrored) in the browser.
pub trait CookieJar {
    /// Applies one `Set-Cookie` value received for `request_path`; returns what to tell the
    /// learner about it (rejections, notes).
    fn apply(&mut self, set_cookie: &str, request_path: &str, now: i64) -> Vec<String>;
    /// The `Cookie` header a request to `request_path` carries.
    fn cookie_header(&mut self, request_path: &str, now: i64) -> Option<String>;
    /// Every cookie with whether it goes to `request_path`, and why not.
    fn explain(&mut self, request_path: &str, now: i64) -> Vec<(StoredCookie, SendDecision)>;
    /// What the jar holds now.
    fn cookies(&mut self, now: i64) -> Vec<StoredCookie>;
    /// What the jar holds now, each cookie with what this jar cannot do for it (a page
    /// script's jar cannot make a cookie `HttpOnly`, say).
    fn cookies_with_limits(&mut self, now: i64) -> Vec<(StoredCookie, Vec<String>)> {
        self.cookies(now)
            .into_iter()
            .map(|c| (c, Vec::new()))
            .collect()
    }
    /// Closing the browser: cookies without an expiry go.
    fn restart_browser(&mut self);
    fn clear(&mut self);
    /// Sets the value of the cookie `name` with `path` (the lab's cookie editor, like
    /// DevTools'); returns what to tell the learner, the refusal when there was one.
    fn edit(&mut self, name: &str, path: &str, value: &str, now: i64) -> Vec<String>;
    /// Anything the jar noticed on its own (edits made in DevTools, storage refusals).
    fn take_notices(&mut self) -> Vec<String> {
        Vec::new()
    }
}

/// What to tell the learner about one applied `Set-Cookie`: the verdict when it was not
/// stored, then the jar's notes.
pub fn describe_applied(applied: &crate::client::jar::Applied) -> Vec<String> {
    let notes = applied.notes().iter().map(|n| n.to_string());
    (!applied.is_stored())
        .then(|| applied.to_string())
        .into_iter()
        .chain(notes)
        .collect()
}

impl CookieJar for Jar {
    fn apply(&mut self, set_cookie: &str, request_path: &str, now: i64) -> Vec<String> {
        describe_applied(&Jar::apply(self, set_cookie, request_path, now))
    }

    fn cookie_header(&mut self, request_path: &str, now: i64) -> Option<String> {
        Jar::cookie_header(self, request_path, now)
    }

    fn explain(&mut self, request_path: &str, now: i64) -> Vec<(StoredCookie, SendDecision)> {
        Jar::explain(self, request_path, now)
    }

    fn cookies(&mut self, now: i64) -> Vec<StoredCookie> {
        Jar::cookies(self, now)
    }

    fn restart_browser(&mut self) {
        Jar::restart_browser(self)
    }

    fn clear(&mut self) {
        Jar::clear(self)
    }

    fn edit(&mut self, name: &str, path: &str, value: &str, now: i64) -> Vec<String> {
        Jar::edit_value(self, name, path, value, now)
            .err()
            .into_iter()
            .collect()
    }
}

/// One thing a learner can do, as a value written in the source: a lesson step's "Do it" and
/// the comparison's steps are lists of these. [`run::Act`] is the same thing as the journal
/// and share links hold it (owned, any browser).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Type a path into the main browser's address bar.
    Navigate(&'static str),
    /// Submit a form with `POST` in the main browser.
    Submit {
        action: &'static str,
        fields: &'static [(&'static str, &'static str)],
    },
    /// Reload the main browser's page.
    Reload,
    /// Move the lab clock forward by this many seconds.
    Advance(i64),
    /// Close and reopen the main browser.
    RestartBrowser,
    /// Clear the main browser's cookies.
    ClearCookies,
    /// Open the second browser.
    OpenSecond,
    /// Type a path into the second browser's address bar.
    NavigateSecond(&'static str),
    /// Set a config key to a string, as the settings panel's text fields do.
    Configure(&'static str, &'static str),
    /// Set a config key to a boolean, as the settings panel's switches do.
    Switch(&'static str, bool),
    /// Set a config key to a list of strings (`SECRET_KEY_FALLBACKS`).
    List(&'static str, &'static [&'static str]),
    /// Run the scenario's corrected app ([`scenarios::Scenario::fix`]).
    Fix,
    /// Replace the main browser's session cookie payload with this JSON, keeping its signature.
    Forge(&'static str),
    /// Keep the session in Flask-Session's store (`true`) or in Flask's signed cookie.
    ServerSide(bool),
    /// Set the value of the main browser's cookie `name` (path `/`) in the jar's editor, as
    /// DevTools would.
    EditCookie {
        name: &'static str,
        value: &'static str,
    },
    /// The same action in the second browser.
    Second(&'static Action),
    /// The attacker copies the main browser's cookies for the site: as a script running in
    /// the page would (`script`, through `document.cookie`, which hides `HttpOnly` cookies), or
    /// as someone with the browser or the traffic in hand would (all of them).
    Steal { script: bool },
    /// The attacker puts the copied cookies into the main browser's jar.
    Plant,
    /// The main browser sends this `User-Agent` from now on.
    UserAgent(&'static str),
    /// Sign this JSON as Flask would with this key, and make it the main browser's session
    /// cookie: what an attacker who has the key does.
    Sign {
        json: &'static str,
        key: &'static str,
    },
}

/// Which of the lab's two browsers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BrowserId {
    Main,
    /// "Open a second browser": its own jar, the same server.
    Second,
}

/// One request and its answer, as the wire panel shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    /// Position in the log (0 = first ever).
    pub id: usize,
    pub browser: BrowserId,
    pub method: String,
    /// Path and query, as requested.
    pub target: String,
    pub form: Vec<(String, String)>,
    /// The `Cookie` header sent, verbatim.
    pub cookie: Option<String>,
    /// The `User-Agent` header sent, when the browser has one ([`Tab::user_agent`]).
    pub user_agent: Option<String>,
    /// Why each cookie in the jar was or was not sent.
    pub cookie_decisions: Vec<String>,
    pub response: Response,
    /// What the server made of the session cookie the request carried.
    pub verdict: Option<CookieVerdict>,
    /// What the jar said about each `Set-Cookie` (rejections, notes).
    pub jar_notes: Vec<String>,
    /// The exchange whose `Location` led here.
    pub redirected_from: Option<usize>,
    /// The lab clock when it happened.
    pub at: i64,
    /// The first request this browser sent after being closed and reopened.
    pub after_restart: bool,
}

impl Exchange {
    pub fn status(&self) -> u16 {
        self.response.status
    }

    /// The path without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("/")
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.response.header(name)
    }

    pub fn set_cookies(&self) -> Vec<&str> {
        self.response.set_cookies()
    }

    /// The page the answer shows, as the browser pane renders it.
    pub fn page(&self) -> Page {
        Page::of_response(&self.response, &self.target)
    }
}

/// A browser: a jar, a history, and the page it shows.
pub struct Tab<J> {
    pub jar: J,
    history: Vec<String>,
    position: usize,
    /// The exchange whose answer is on screen.
    pub page: Option<usize>,
    /// Closed and reopened since its last request.
    restarted: bool,
    /// The `User-Agent` every request from this browser carries; none by default.
    pub user_agent: Option<String>,
}

impl<J: CookieJar> Tab<J> {
    pub fn new(jar: J) -> Self {
        Tab {
            jar,
            history: Vec::new(),
            position: 0,
            page: None,
            restarted: false,
            user_agent: None,
        }
    }

    /// The address bar's text.
    pub fn location(&self) -> Option<&str> {
        self.history.get(self.position).map(String::as_str)
    }

    pub fn can_go_back(&self) -> bool {
        self.position > 0
    }

    pub fn can_go_forward(&self) -> bool {
        self.position + 1 < self.history.len()
    }
}

/// A scenario running: the app, its browsers, the clock and the log.
pub struct Lab<J> {
    pub app: App,
    pub main: Tab<J>,
    pub second: Option<Tab<J>>,
    pub log: Vec<Exchange>,
    /// Seconds added to the real clock by the learner ("time travel").
    pub offset: i64,
    /// The cookies an attacker has copied ([`run::Act::Steal`]), to put into a jar later.
    pub loot: Vec<StoredCookie>,
}

impl<J: CookieJar> Lab<J> {
    pub fn new(app: App, jar: J) -> Self {
        Lab {
            app,
            main: Tab::new(jar),
            second: None,
            log: Vec::new(),
            offset: 0,
            loot: Vec::new(),
        }
    }

    pub fn tab(&self, id: BrowserId) -> Option<&Tab<J>> {
        match id {
            BrowserId::Main => Some(&self.main),
            BrowserId::Second => self.second.as_ref(),
        }
    }

    pub fn tab_mut(&mut self, id: BrowserId) -> Option<&mut Tab<J>> {
        match id {
            BrowserId::Main => Some(&mut self.main),
            BrowserId::Second => self.second.as_mut(),
        }
    }

    /// Sends one request from a browser, following redirects. Returns the ids of the
    /// exchanges, first to last. A target that leaves the mock server (an absolute URL to
    /// another host, as an unchecked `next` can produce) is not fetched: the lab makes no
    /// network requests.
    pub fn send(&mut self, id: BrowserId, mut request: Request, now: i64) -> Vec<usize> {
        let mut ids = Vec::new();
        let mut from = None;
        for _ in 0..=MAX_REDIRECTS {
            let Some(tab) = self.tab_mut(id) else {
                break;
            };
            let path = request.path.clone();
            let decisions = tab
                .jar
                .explain(&path, now)
                .into_iter()
                .map(|(c, d)| format!("{}: {d}", c.name))
                .collect();
            let cookie = tab.jar.cookie_header(&path, now);
            let after_restart = std::mem::take(&mut tab.restarted);
            request
                .headers
                .retain(|(k, _)| !k.eq_ignore_ascii_case("cookie"));
            if let Some(c) = &cookie {
                request.headers.push(("Cookie".into(), c.clone()));
            }
            let user_agent = tab.user_agent.clone();
            if let Some(agent) = &user_agent {
                request
                    .headers
                    .retain(|(k, _)| !k.eq_ignore_ascii_case("user-agent"));
                request.headers.push(("User-Agent".into(), agent.clone()));
            }
            let handled = self.app.serve(&request, now);
            let response = handled.response;
            let tab = self.tab_mut(id).expect("the tab exists");
            let mut jar_notes = Vec::new();
            for set_cookie in response.set_cookies() {
                jar_notes.extend(tab.jar.apply(set_cookie, &path, now));
            }
            jar_notes.extend(tab.jar.take_notices());
            let target = if request.query.is_empty() {
                request.path.clone()
            } else {
                format!("{}?{}", request.path, request.query)
            };
            let location = response.header("Location").map(str::to_string);
            let status = response.status;
            let exchange_id = self.log.len();
            self.log.push(Exchange {
                id: exchange_id,
                browser: id,
                method: request.method.clone(),
                target: target.clone(),
                form: request.form.clone(),
                cookie,
                user_agent,
                cookie_decisions: decisions,
                response,
                verdict: handled.verdict,
                jar_notes,
                redirected_from: from,
                at: now,
                after_restart,
            });
            ids.push(exchange_id);
            let next = match location {
                Some(loc) if matches!(status, 301 | 302 | 303 | 307 | 308) => {
                    page::resolve_url(&target, &loc)
                }
                _ => break,
            };
            if !next.starts_with('/') {
                // Off the mock server: stop here and let the page say where it would have gone.
                break;
            }
            from = Some(exchange_id);
            // 307/308 keep the method and body; the others become a GET. The browser's own
            // headers (User-Agent...) go along; the jar adds cookies afresh.
            let kept: Vec<(String, String)> = request
                .headers
                .into_iter()
                .filter(|(k, _)| !k.eq_ignore_ascii_case("cookie"))
                .collect();
            request = if matches!(status, 307 | 308) {
                Request {
                    form: request.form,
                    headers: kept,
                    ..Request::new(&request.method, &next)
                }
            } else {
                Request {
                    headers: kept,
                    ..Request::get(&next)
                }
            };
        }
        if let (Some(&last), Some(tab)) = (ids.last(), self.tab_mut(id)) {
            tab.page = Some(last);
        }
        ids
    }

    /// Typing an address and pressing Enter (or following a link): a GET, a new history entry.
    pub fn navigate(&mut self, id: BrowserId, target: &str, now: i64) -> Vec<usize> {
        let ids = self.send(id, Request::get(target), now);
        self.record_history(id, &ids);
        ids
    }

    /// Submitting a form.
    pub fn submit(
        &mut self,
        id: BrowserId,
        method: &str,
        action: &str,
        fields: &[(String, String)],
        now: i64,
    ) -> Vec<usize> {
        let mut request = Request::new(method, action);
        if request.method == "GET" {
            let query: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
                .collect();
            request = Request::get(&format!("{}?{}", request.path, query.join("&")));
        } else {
            request.form = fields.to_vec();
        }
        let ids = self.send(id, request, now);
        self.record_history(id, &ids);
        ids
    }

    fn record_history(&mut self, id: BrowserId, ids: &[usize]) {
        let Some(&last) = ids.last() else { return };
        let target = self.log[last].target.clone();
        let Some(tab) = self.tab_mut(id) else { return };
        tab.history
            .truncate(tab.position + usize::from(!tab.history.is_empty()));
        tab.history.push(target);
        tab.position = tab.history.len() - 1;
    }

    /// Back, forward and reload re-request the history entry with a GET, as a browser without
    /// a page cache would.
    pub fn back(&mut self, id: BrowserId, now: i64) -> Vec<usize> {
        self.move_in_history(id, -1, now)
    }

    pub fn forward(&mut self, id: BrowserId, now: i64) -> Vec<usize> {
        self.move_in_history(id, 1, now)
    }

    pub fn reload(&mut self, id: BrowserId, now: i64) -> Vec<usize> {
        self.move_in_history(id, 0, now)
    }

    fn move_in_history(&mut self, id: BrowserId, step: isize, now: i64) -> Vec<usize> {
        let Some(tab) = self.tab_mut(id) else {
            return Vec::new();
        };
        let Some(position) = tab
            .position
            .checked_add_signed(step)
            .filter(|p| *p < tab.history.len())
        else {
            return Vec::new();
        };
        tab.position = position;
        let target = tab.history[position].clone();
        let ids = self.send(id, Request::get(&target), now);
        // A redirect moves the address bar to where it ended, as in a browser.
        if let Some(&last) = ids.last() {
            let end = self.log[last].target.clone();
            if let Some(tab) = self.tab_mut(id) {
                tab.history[position] = end;
            }
        }
        ids
    }

    /// Closing and reopening a browser: session cookies go, the page and history too.
    pub fn restart_browser(&mut self, id: BrowserId) {
        if let Some(tab) = self.tab_mut(id) {
            tab.jar.restart_browser();
            tab.history.clear();
            tab.position = 0;
            tab.page = None;
            tab.restarted = true;
        }
    }

    pub fn clear_cookies(&mut self, id: BrowserId) {
        if let Some(tab) = self.tab_mut(id) {
            tab.jar.clear();
        }
    }

    /// Opens the second browser with its own (empty) jar.
    pub fn open_second(&mut self, jar: J) {
        self.second = Some(Tab::new(jar));
    }

    pub fn close_second(&mut self) {
        if let Some(mut tab) = self.second.take() {
            tab.jar.clear();
        }
    }
}

/// `application/x-www-form-urlencoded` for one field.
pub fn form_encode(text: &str) -> String {
    crate::engine::werkzeug::urls::quote(text, " ").replace(' ', "+")
}

#[cfg(test)]
mod tests {
    use super::scenarios::{seed_001, seed_003, seed_004_client_temp, Scenario};
    use super::*;
    use crate::engine::apps::Services;
    use crate::engine::py::secrets::SeededRng;

    const T0: i64 = 1_700_000_000;

    fn lab(scenario: &Scenario) -> Lab<Jar> {
        let app = scenario
            .build(Services::in_memory(Box::new(SeededRng::new(1))))
            .expect("starts");
        Lab::new(app, Jar::new())
    }

    #[test]
    fn login_follows_the_redirect_and_keeps_the_cookie() {
        let mut lab = lab(&seed_003::SCENARIO);
        let ids = lab.submit(
            BrowserId::Main,
            "POST",
            "/login",
            &[("nm".into(), "ada".into())],
            T0,
        );
        assert_eq!(ids.len(), 2, "POST /login then GET /user");
        let last = &lab.log[ids[1]];
        assert_eq!(
            (last.method.as_str(), last.target.as_str(), last.status()),
            ("GET", "/user", 200)
        );
        assert_eq!(last.response.body, "<h1>ada</h1>");
        assert_eq!(last.redirected_from, Some(ids[0]));
        assert!(last
            .cookie
            .as_deref()
            .is_some_and(|c| c.starts_with("session=")));
        assert_eq!(lab.main.location(), Some("/user"));
        // Five idle minutes and one second later the session is gone.
        let ids = lab.reload(BrowserId::Main, T0 + 301);
        assert_eq!(lab.log[ids[0]].status(), 302);
        assert_eq!(lab.log[*ids.last().unwrap()].target, "/login");
    }

    #[test]
    fn history_and_the_second_browser() {
        let mut lab = lab(&seed_001::SCENARIO);
        lab.navigate(BrowserId::Main, "/setsession", T0);
        lab.navigate(BrowserId::Main, "/getsession", T0);
        assert_eq!(lab.log.last().unwrap().response.body, "Welcome Admin");
        lab.back(BrowserId::Main, T0);
        assert_eq!(lab.main.location(), Some("/setsession"));
        assert!(lab.main.can_go_forward());
        lab.open_second(Jar::new());
        lab.navigate(BrowserId::Second, "/getsession", T0);
        assert_eq!(lab.log.last().unwrap().response.body, "Welcome Anonymous");
        // Closing the main browser drops its non-permanent cookie.
        lab.restart_browser(BrowserId::Main);
        lab.navigate(BrowserId::Main, "/getsession", T0);
        assert_eq!(lab.log.last().unwrap().response.body, "Welcome Anonymous");
    }

    #[test]
    fn an_open_redirect_stops_at_the_edge_of_the_lab() {
        let mut lab = lab(&seed_004_client_temp::SCENARIO);
        let fields = [
            ("next".to_string(), "https://evil.example/".to_string()),
            ("username".to_string(), "eve".to_string()),
        ];
        let ids = lab.submit(BrowserId::Main, "POST", "/login", &fields, T0);
        assert_eq!(ids.len(), 1);
        assert_eq!(
            lab.log[ids[0]].header("Location"),
            Some("https://evil.example/")
        );
    }

    #[test]
    fn relative_locations_resolve_like_a_browser() {
        use crate::client::page::resolve_url as resolve;
        // Scheme-relative and backslash forms leave the site, as in a browser.
        assert!(!resolve("/x", "//evil.example/").starts_with('/'));
        assert!(!resolve("/x", "/\\evil.example").starts_with('/'));
        assert_eq!(resolve("/login?x=1", "/user"), "/user");
        assert_eq!(resolve("/a/b", "None"), "/a/None");
        assert_eq!(resolve("/login", "None"), "/None");
        assert_eq!(resolve("/x", "http://localhost/about"), "/about");
        assert_eq!(
            resolve("/x", "https://evil.example/"),
            "https://evil.example/"
        );
    }
}
