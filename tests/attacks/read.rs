//! `attack-read` natively: before the fix the copied session cookie decodes, without any key,
//! to the session's JSON; after it (Flask-Session) the copy is a bare id and the data is only
//! in the store. Also the walker that tamper.rs, replay.rs and hijack.rs use: a lab opened on
//! a scenario and driven by its lesson's "Do it" buttons, checking after each that exactly the
//! steps so far are ticked.

use session_lab::client::jar::Jar;
use session_lab::client::page::form_values;
use session_lab::engine::flask::sessions::CookieVerdict;
use session_lab::engine::flask_session::store_entries;
use session_lab::lab::lesson::{payload_json, progress, Lesson};
use session_lab::lab::run::{Act, ModelHost, Run};
use session_lab::lab::scenarios::by_id;
use session_lab::lab::{Action, BrowserId, Exchange};

pub const T0: i64 = 1_700_000_000;

/// A scenario's lab, opened on its start page, with a clock that moves one second per act.
pub struct Walk {
    pub run: Run<Jar>,
    host: ModelHost,
    lesson: Lesson,
    elapsed: i64,
}

impl Walk {
    pub fn open(id: &str) -> Walk {
        let scenario = by_id(id).unwrap_or_else(|| panic!("no scenario {id}"));
        let mut host = ModelHost;
        let run = Run::start(scenario, 7, &mut host);
        assert!(run.lab.is_ok(), "{id} starts");
        let mut walk = Walk {
            run,
            host,
            lesson: scenario.lesson(),
            elapsed: 0,
        };
        let said = walk.act(Action::Navigate(scenario.start));
        assert!(said.is_empty(), "{said:?}");
        assert!(progress(&walk.lesson, walk.log()).iter().all(|(_, d)| !d));
        walk
    }

    pub fn lab(&self) -> &session_lab::lab::Lab<Jar> {
        self.run.lab.as_ref().expect("running")
    }

    /// The lab clock.
    pub fn now(&self) -> i64 {
        T0 + self.elapsed + self.run.lab.as_ref().map_or(0, |l| l.offset)
    }

    /// Does one action now; returns what it said.
    pub fn act(&mut self, action: Action) -> Vec<String> {
        let now = self.now();
        let said = self.run.apply(Act::from(action), now, &mut self.host);
        self.elapsed += 1;
        said
    }

    pub fn log(&self) -> &[Exchange] {
        &self.lab().log
    }

    /// The latest exchange that matches.
    pub fn last(&self, what: impl Fn(&Exchange) -> bool) -> &Exchange {
        self.log()
            .iter()
            .rev()
            .find(|e| what(e))
            .expect("such an exchange")
    }

    /// Presses step `id`'s "Do it": each form it submits is the one on screen, and afterwards
    /// exactly the steps up to this one are done. Returns what the acts said, in order.
    pub fn step(&mut self, id: &str) -> Vec<String> {
        let index = self
            .lesson
            .steps
            .iter()
            .position(|s| s.id == id)
            .unwrap_or_else(|| panic!("no step {id}"));
        let doit = self.lesson.steps[index].doit;
        let mut said = Vec::new();
        for action in doit {
            if let Action::Submit { action, fields } = action {
                self.check_form_on_screen(action, fields);
            }
            said.extend(self.act(*action));
        }
        let done: Vec<bool> = progress(&self.lesson, self.log())
            .into_iter()
            .map(|(_, d)| d)
            .collect();
        let expected: Vec<bool> = (0..done.len()).map(|i| i <= index).collect();
        assert_eq!(done, expected, "after step {id:?}");
        said
    }

    fn check_form_on_screen(&self, action: &str, fields: &[(&str, &str)]) {
        let lab = self.lab();
        let page = lab.log[lab.main.page.expect("a page on screen")].page();
        let form = page
            .forms
            .iter()
            .find(|f| f.method == "POST" && f.action == action)
            .unwrap_or_else(|| panic!("no POST form to {action} on {page:?}"));
        let typed: Vec<(String, String)> = fields
            .iter()
            .filter(|(n, _)| form.fields.iter().any(|f| f.name == *n && !f.hidden))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let sent: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(form_values(form, &typed), sent);
    }

    /// The one cookie the attacker holds: (name, value).
    pub fn loot(&self) -> (String, String) {
        let loot = &self.lab().loot;
        assert_eq!(loot.len(), 1, "{loot:?}");
        (loot[0].name.clone(), loot[0].value.clone())
    }

    /// Flask-Session's store: each key with its data (`None`: the app keeps no store).
    pub fn store(&self) -> Option<Vec<(String, String)>> {
        let lab = self.lab();
        store_entries(lab.app.session_interface(), self.now()).map(|entries| {
            entries
                .into_iter()
                .map(|e| (e.key, format!("{:?}", e.data)))
                .collect()
        })
    }
}

/// Whether a request is this method and path (query left out) from this browser.
pub fn is(e: &Exchange, browser: BrowserId, method: &str, path: &str) -> bool {
    e.browser == browser && e.method == method && e.path() == path
}

/// The one `Set-Cookie` of a response.
pub fn only_set_cookie(e: &Exchange) -> &str {
    let set = e.set_cookies();
    assert_eq!(set.len(), 1, "{set:?}");
    set[0]
}

/// `name=value` pairs of a `Set-Cookie` line: the value.
pub fn value_of(set_cookie: &str) -> &str {
    set_cookie
        .split(';')
        .next()
        .and_then(|pair| pair.split_once('='))
        .map(|(_, v)| v)
        .unwrap_or("")
}

/// What the session holds after signing in on tutorial 004's site, as Flask 3.1.3 encodes it:
/// measured with the Flask virtual environment (`session["user_name"] = "ada"`, `lang`,
/// `theme`), the first segment of the cookie is this base64.
const ADA_PAYLOAD: &str = "eyJsYW5nIjoiZW4iLCJ0aGVtZSI6ImRhcmsiLCJ1c2VyX25hbWUiOiJhZGEifQ";

#[test]
fn the_cookie_reads_without_a_key_until_the_session_moves_to_the_server() {
    const MAIN: BrowserId = BrowserId::Main;
    let mut walk = Walk::open("attack-read");
    assert_eq!(
        walk.store(),
        None,
        "a cookie session keeps nothing on the server"
    );

    assert!(walk.step("login").is_empty());
    let login = walk.last(|e| is(e, MAIN, "POST", "/login"));
    let set = only_set_cookie(login);
    assert!(set.starts_with(&format!("session={ADA_PAYLOAD}.")), "{set}");
    assert!(set.ends_with("; HttpOnly; Path=/"), "{set}");
    let cookie = value_of(set).to_string();

    // The attacker's copy is the same value, and it decodes with no key at all.
    assert_eq!(walk.step("read"), ["The attacker copied session."]);
    assert_eq!(walk.loot(), ("session".to_string(), cookie.clone()));
    assert_eq!(
        payload_json(&cookie).as_deref(),
        Some(r#"{"lang":"en","theme":"dark","user_name":"ada"}"#)
    );
    let about = walk.last(|e| is(e, MAIN, "GET", "/about"));
    assert_eq!(
        about.cookie.as_deref(),
        Some(format!("session={cookie}").as_str())
    );
    assert!(matches!(about.verdict, Some(CookieVerdict::Valid { .. })));
    assert!(about.response.body.contains("Welcome ada!"));

    // After the fix the cookie is 43 URL-safe characters (secrets.token_urlsafe(32)).
    assert!(walk.step("fix").is_empty());
    let set = only_set_cookie(walk.last(|e| is(e, MAIN, "POST", "/login")));
    let id = value_of(set).to_string();
    assert_eq!(id.len(), 43, "{set}");
    assert!(id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    assert_eq!(payload_json(&id), None);

    assert_eq!(walk.step("read-again"), ["The attacker copied session."]);
    assert_eq!(walk.loot(), ("session".to_string(), id.clone()));
    assert_eq!(payload_json(&walk.loot().1), None, "nothing to decode");
    let about = walk.last(|e| is(e, MAIN, "GET", "/about"));
    assert!(matches!(about.verdict, Some(CookieVerdict::Valid { .. })));
    assert!(about.response.body.contains("Welcome ada!"));
    // The name is on the server, under the id.
    let store = walk.store().expect("Flask-Session's store");
    assert_eq!(store.len(), 1, "{store:?}");
    assert_eq!(store[0].0, format!("session:{id}"));
    assert!(store[0].1.contains("ada"), "{store:?}");
}
