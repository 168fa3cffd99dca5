//! Share links and replay, natively: a journal written as a link reads back exactly; replaying
//! a run from its link gives the same lab byte for byte (session ids and signed cookies
//! included); and any text at all, hostile or damaged, is either read or refused with a
//! [`LinkError`], never a panic, and what is read replays without a panic too.
#![cfg(not(target_arch = "wasm32"))]

use miniz_oxide::deflate::compress_to_vec_zlib;
use miniz_oxide::inflate::decompress_to_vec_zlib;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use session_lab::client::jar::{Jar, StoredCookie};
use session_lab::client::page::form_values;
use session_lab::engine::apps::Services;
use session_lab::engine::flask::config::{Config, ConfigValue};
use session_lab::engine::flask::sessions::InterfaceKind;
use session_lab::engine::flask_session::store::StoreEntry;
use session_lab::engine::flask_session::store_entries;
use session_lab::engine::itsdangerous::pybase64;
use session_lab::engine::py::secrets::SeededRng;
use session_lab::lab::run::{Act, Entry, ModelHost, Run};
use session_lab::lab::scenarios::{by_id, Scenario, ALL};
use session_lab::lab::share::{
    decode, encode, encode_parts, LinkError, Shared, FORMAT, MAX_ACTS, MAX_ADVANCE, MAX_RECORD,
    MAX_TEXT, MAX_TIME,
};
use session_lab::lab::{BrowserId, Exchange, Lab};
use std::time::Instant;

/// 2023-11-14T22:13:20Z, the fixtures' frozen clock.
const T0: i64 = 1_700_000_000;

// ---------------------------------------------------------------------------------------------
// Records by hand, as the module doc of `lab::share` lays them out.

/// A record under construction.
#[derive(Clone, Default)]
struct Rec(Vec<u8>);

impl Rec {
    fn byte(mut self, b: u8) -> Rec {
        self.0.push(b);
        self
    }

    fn bytes(mut self, b: &[u8]) -> Rec {
        self.0.extend_from_slice(b);
        self
    }

    fn varint(mut self, mut n: u64) -> Rec {
        while n >= 0x80 {
            self.0.push(n as u8 | 0x80);
            n >>= 7;
        }
        self.0.push(n as u8);
        self
    }

    /// Zigzag.
    fn int(self, n: i64) -> Rec {
        self.varint(((n << 1) ^ (n >> 63)) as u64)
    }

    fn str(self, s: &str) -> Rec {
        self.varint(s.len() as u64).bytes(s.as_bytes())
    }
}

/// Scenario id, seed, clock and number of acts.
fn header(id: &str, seed: u64, clock: i64, count: u64) -> Rec {
    Rec::default().str(id).varint(seed).int(clock).varint(count)
}

/// A record packed as a link of this build's format.
fn pack(record: &[u8]) -> String {
    format!(
        "{FORMAT}.{}",
        pybase64::urlsafe_encode(&compress_to_vec_zlib(record, 6))
    )
}

/// The record inside a link.
fn record_of(link: &str) -> Vec<u8> {
    let (_, data) = link.split_once('.').expect("a dot");
    let packed = pybase64::urlsafe_decode(data).expect("base64");
    decompress_to_vec_zlib(&packed).expect("zlib")
}

/// The link text is only `[0-9]+\.[A-Za-z0-9_-]*`: safe in a URL fragment as it is.
fn fragment_safe(link: &str) -> bool {
    let Some((format, data)) = link.split_once('.') else {
        return false;
    };
    !format.is_empty()
        && format.bytes().all(|b| b.is_ascii_digit())
        && data
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A refusal the page can show as it is: one sentence about the share link, ending in a full
/// stop, with no Rust debug text in it.
fn assert_clear(e: &LinkError) {
    let text = e.to_string();
    assert!(text.starts_with("This share link "), "{text:?}");
    assert!(text.ends_with('.'), "{text:?}");
    assert!(!text.contains('\n'), "{text:?}");
    for debug in ["Damaged", "Newer", "UnknownScenario", "LinkError", "Err("] {
        assert!(!text.contains(debug), "{text:?}");
    }
    assert!(text.len() < 400, "{text:?}");
}

/// `decode(text)` is an error, clearly worded; returns it.
#[track_caller]
fn refused(text: &str) -> LinkError {
    match decode(text) {
        Ok(shared) => panic!(
            "{:?} was read: {} acts of {}",
            abbreviate(text),
            shared.journal.len(),
            shared.scenario.id
        ),
        Err(e) => {
            assert_clear(&e);
            e
        }
    }
}

#[track_caller]
fn damaged(text: &str, why: &str) {
    assert_eq!(
        refused(text),
        LinkError::Damaged(leak(why)),
        "{:?}",
        abbreviate(text)
    );
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

fn abbreviate(text: &str) -> String {
    if text.len() <= 80 {
        text.to_string()
    } else {
        let cut = (0..=80).rev().find(|i| text.is_char_boundary(*i)).unwrap();
        format!("{}… ({} bytes)", &text[..cut], text.len())
    }
}

// ---------------------------------------------------------------------------------------------
// Strategies

/// Any text: arbitrary Unicode, printable ASCII, control and non-ASCII characters, and empty.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        2 => "[ -~]{0,16}",
        2 => "[\\u{0}-\\u{1f}\\u{7f}\\u{80}-\\u{9f}\\u{2028}\\u{feff}\"';=,é😀 ]{0,8}",
        1 => Just(String::new()),
    ]
}

fn browser() -> impl Strategy<Value = BrowserId> {
    prop_oneof![Just(BrowserId::Main), Just(BrowserId::Second)]
}

fn config_value() -> impl Strategy<Value = ConfigValue> {
    prop_oneof![
        Just(ConfigValue::None),
        any::<bool>().prop_map(ConfigValue::Bool),
        any::<i64>().prop_map(ConfigValue::Int),
        text().prop_map(ConfigValue::Str),
        vec(text(), 0..4).prop_map(ConfigValue::List),
    ]
}

/// A config key: Flask's and Flask-Session's own, or any text.
fn config_key() -> impl Strategy<Value = String> {
    prop_oneof![
        // Flask's keys as the engine lists them, and Flask-Session's.
        3 => select(
            session_lab::engine::flask::config::KEYS
                .into_iter()
                .chain([
                    "SESSION_TYPE",
                    "SESSION_PERMANENT",
                    "SESSION_USE_SIGNER",
                    "SESSION_KEY_PREFIX",
                    "SESSION_ID_LENGTH",
                ])
                .collect::<Vec<_>>()
        )
        .prop_map(str::to_string),
        1 => text(),
    ]
}

/// Any act of every kind, with any fields.
fn act() -> impl Strategy<Value = Act> {
    prop_oneof![
        (browser(), text()).prop_map(|(browser, target)| Act::Navigate { browser, target }),
        (browser(), text(), text(), vec((text(), text()), 0..4)).prop_map(
            |(browser, method, action, fields)| Act::Submit {
                browser,
                method,
                action,
                fields
            }
        ),
        browser().prop_map(Act::Back),
        browser().prop_map(Act::Forward),
        browser().prop_map(Act::Reload),
        prop_oneof![
            Just(0),
            Just(MAX_ADVANCE),
            0..=MAX_ADVANCE,
            0..=40 * 86_400i64
        ]
        .prop_map(Act::Advance),
        Just(Act::ResetClock),
        browser().prop_map(Act::Restart),
        browser().prop_map(Act::ClearCookies),
        Just(Act::OpenSecond),
        Just(Act::CloseSecond),
        (browser(), text(), text(), text()).prop_map(|(browser, name, path, value)| {
            Act::EditCookie {
                browser,
                name,
                path,
                value,
            }
        }),
        (config_key(), config_value()).prop_map(|(key, value)| Act::Configure { key, value }),
        any::<bool>().prop_map(Act::ServerSide),
        Just(Act::Fix),
        (browser(), text()).prop_map(|(browser, json)| Act::Forge { browser, json }),
        (browser(), any::<bool>()).prop_map(|(browser, script)| Act::Steal { browser, script }),
        browser().prop_map(Act::Plant),
        (browser(), text()).prop_map(|(browser, agent)| Act::UserAgent { browser, agent }),
        (browser(), text(), text()).prop_map(|(browser, json, key)| Act::Sign {
            browser,
            json,
            key
        }),
    ]
}

/// A time a link may name: the ends of the range, anywhere in it, and near today.
fn time() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(0),
        Just(MAX_TIME),
        0..=MAX_TIME,
        T0..T0 + 10 * 365 * 86_400,
    ]
}

fn journal() -> impl Strategy<Value = Vec<Entry>> {
    vec(
        (time(), act()).prop_map(|(at, act)| Entry { at, act }),
        0..=60,
    )
}

fn scenario() -> impl Strategy<Value = &'static Scenario> {
    select(ALL.to_vec())
}

fn seed() -> impl Strategy<Value = u64> {
    prop_oneof![Just(0), Just(u64::MAX), any::<u64>()]
}

// ---------------------------------------------------------------------------------------------
// 1. Any journal reads back exactly.

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_journal_reads_back_exactly(
        scenario in scenario(),
        seed in seed(),
        clock in time(),
        journal in journal(),
    ) {
        let link = encode_parts(scenario, seed, clock, &journal);
        prop_assert!(fragment_safe(&link), "{}", abbreviate(&link));
        prop_assert!(link.len() <= MAX_TEXT);
        let expected = Shared { scenario, seed, clock, journal };
        prop_assert_eq!(decode(&link), Ok(expected));
    }
}

#[test]
fn the_record_is_laid_out_as_documented() {
    let scenario = by_id("seed-003").unwrap();
    let journal = vec![
        Entry {
            at: T0 + 5,
            act: Act::Submit {
                browser: BrowserId::Main,
                method: "POST".into(),
                action: "/login".into(),
                fields: vec![("nm".into(), "ada".into())],
            },
        },
        Entry {
            at: T0 + 3,
            act: Act::Advance(301),
        },
        Entry {
            at: T0 + 304,
            act: Act::Configure {
                key: "SECRET_KEY_FALLBACKS".into(),
                value: ConfigValue::List(vec!["a".into(), "é".into()]),
            },
        },
        Entry {
            at: T0 + 304,
            act: Act::ServerSide(true),
        },
    ];
    let link = encode_parts(scenario, 300, T0, &journal);
    let expected = header("seed-003", 300, T0, 4)
        .int(5)
        .bytes(&[1, 0])
        .str("POST")
        .str("/login")
        .varint(1)
        .str("nm")
        .str("ada")
        .int(-2)
        .byte(5)
        .int(301)
        .int(301)
        .byte(12)
        .str("SECRET_KEY_FALLBACKS")
        .byte(4)
        .varint(2)
        .str("a")
        .str("é")
        .int(0)
        .bytes(&[13, 1]);
    assert_eq!(record_of(&link), expected.0);
    // And a record made by another zlib (miniz at another level) reads the same.
    assert_eq!(decode(&pack(&expected.0)), decode(&link));
    assert!(link.starts_with("1."), "{link}");
}

// ---------------------------------------------------------------------------------------------
// 2. Replaying a run from its link gives the same lab.

/// Everything a learner sees of a lab, at `now`.
#[derive(Debug, PartialEq)]
struct Seen {
    startup_error: Option<String>,
    epoch: u64,
    journal: Vec<Entry>,
    log: Vec<Exchange>,
    main_jar: Vec<StoredCookie>,
    main_location: Option<String>,
    main_page: Option<usize>,
    second: Option<(Vec<StoredCookie>, Option<String>, Option<usize>)>,
    offset: i64,
    config: Option<Config>,
    kind: Option<InterfaceKind>,
    store: Option<Vec<StoreEntry>>,
}

fn seen(run: &mut Run<Jar>, now: i64) -> Seen {
    let startup_error = run.lab.as_ref().err().cloned();
    let (epoch, journal) = (run.epoch, run.journal.clone());
    let lab = run.lab.as_mut().ok();
    let mut seen = Seen {
        startup_error,
        epoch,
        journal,
        log: Vec::new(),
        main_jar: Vec::new(),
        main_location: None,
        main_page: None,
        second: None,
        offset: 0,
        config: None,
        kind: None,
        store: None,
    };
    if let Some(lab) = lab {
        seen.log = lab.log.clone();
        seen.main_jar = lab.main.jar.cookies(now);
        seen.main_location = lab.main.location().map(str::to_string);
        seen.main_page = lab.main.page;
        seen.second = lab.second.as_mut().map(|tab| {
            (
                tab.jar.cookies(now),
                tab.location().map(str::to_string),
                tab.page,
            )
        });
        seen.offset = lab.offset;
        seen.config = Some(lab.app.config.clone());
        seen.kind = Some(lab.app.session_interface().kind());
        seen.store = store_entries(lab.app.session_interface(), now);
    }
    seen
}

/// Compares two views of a lab piece by piece, so that a difference names its place.
fn same(original: &Seen, replayed: &Seen) -> Result<(), TestCaseError> {
    prop_assert_eq!(&original.startup_error, &replayed.startup_error);
    prop_assert_eq!(original.epoch, replayed.epoch);
    prop_assert_eq!(&original.journal, &replayed.journal);
    prop_assert_eq!(original.log.len(), replayed.log.len());
    for (a, b) in original.log.iter().zip(&replayed.log) {
        prop_assert_eq!(
            (&a.method, &a.target, &a.form, &a.cookie),
            (&b.method, &b.target, &b.form, &b.cookie),
            "request {}",
            a.id
        );
        prop_assert_eq!(
            (a.response.status, &a.response.headers, &a.response.body),
            (b.response.status, &b.response.headers, &b.response.body),
            "response {}",
            a.id
        );
        prop_assert_eq!(&a.verdict, &b.verdict, "verdict {}", a.id);
        prop_assert_eq!(a, b);
    }
    prop_assert_eq!(&original.main_jar, &replayed.main_jar);
    prop_assert_eq!(&original.main_location, &replayed.main_location);
    prop_assert_eq!(original.main_page, replayed.main_page);
    prop_assert_eq!(&original.second, &replayed.second);
    prop_assert_eq!(original.offset, replayed.offset);
    prop_assert_eq!(&original.config, &replayed.config);
    prop_assert_eq!(original.kind, replayed.kind);
    prop_assert_eq!(&original.store, &replayed.store);
    prop_assert_eq!(original, replayed);
    Ok(())
}

/// How to change the session cookie's value in the jar's editor.
#[derive(Debug, Clone)]
enum Edit {
    Replace(String),
    /// Change the character at this position (modulo the length) to another.
    Flip(usize),
    Truncate(usize),
    Append(String),
}

/// One plausible thing to do: the concrete act is worked out from the lab as it is then
/// (its routes, the form on the page, the cookie in the jar).
#[derive(Debug, Clone)]
enum Plan {
    /// Open one of the app's routes (by index, modulo their number).
    Visit(BrowserId, usize),
    /// Sign in as the scenario's flow does, with this user name: open the login page and
    /// submit its form, or open the login path where signing in is a page visit.
    Login(BrowserId, String),
    /// Submit the first form on the page shown, its text fields filled with this.
    SubmitShown(BrowserId, String),
    Logout(BrowserId),
    Back(BrowserId),
    Forward(BrowserId),
    Reload(BrowserId),
    Advance(i64),
    ResetClock,
    Restart(BrowserId),
    ClearCookies(BrowserId),
    OpenSecond,
    CloseSecond,
    ServerSide(bool),
    SecretKey(String),
    EditSession(BrowserId, Edit),
    Fix,
    /// The attacker's acts: copy a browser's cookies, put them into one, change its
    /// User-Agent, sign a session with a key.
    Steal(BrowserId, bool),
    Plant(BrowserId),
    UserAgent(BrowserId, String),
    Sign(BrowserId, String, String),
}

fn user() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z]{1,8}",
        1 => text(),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        text().prop_map(Edit::Replace),
        any::<usize>().prop_map(Edit::Flip),
        any::<usize>().prop_map(Edit::Truncate),
        text().prop_map(Edit::Append),
    ]
}

fn plan() -> impl Strategy<Value = Plan> {
    prop_oneof![
        6 => (browser(), any::<usize>()).prop_map(|(b, i)| Plan::Visit(b, i)),
        4 => (browser(), user()).prop_map(|(b, u)| Plan::Login(b, u)),
        2 => (browser(), user()).prop_map(|(b, u)| Plan::SubmitShown(b, u)),
        2 => browser().prop_map(Plan::Logout),
        1 => browser().prop_map(Plan::Back),
        1 => browser().prop_map(Plan::Forward),
        2 => browser().prop_map(Plan::Reload),
        3 => prop_oneof![1..=600i64, Just(301), Just(86_400), Just(31 * 86_400)]
            .prop_map(Plan::Advance),
        1 => Just(Plan::ResetClock),
        2 => browser().prop_map(Plan::Restart),
        1 => browser().prop_map(Plan::ClearCookies),
        2 => Just(Plan::OpenSecond),
        1 => Just(Plan::CloseSecond),
        1 => any::<bool>().prop_map(Plan::ServerSide),
        1 => prop_oneof![Just("supersecretkey".to_string()), text()].prop_map(Plan::SecretKey),
        2 => (browser(), edit()).prop_map(|(b, e)| Plan::EditSession(b, e)),
        1 => Just(Plan::Fix),
        1 => (browser(), any::<bool>()).prop_map(|(b, s)| Plan::Steal(b, s)),
        1 => browser().prop_map(Plan::Plant),
        1 => (browser(), user()).prop_map(|(b, u)| Plan::UserAgent(b, u)),
        1 => (
            browser(),
            user(),
            prop_oneof![Just("supersecretkey".to_string()), text()]
        )
            .prop_map(|(b, u, k)| Plan::Sign(b, format!("{{\"user_name\":{u:?}}}"), k)),
    ]
}

/// The app's routes, from a throwaway instance (the corrected app's when the scenario's own
/// cannot start).
fn routes(scenario: &Scenario) -> Vec<String> {
    let services = || Services::in_memory(Box::new(SeededRng::new(0)));
    let app = scenario
        .build(services())
        .or_else(|e| scenario.fix.map_or(Err(e), |fix| (fix.app)(services())))
        .expect("the scenario or its fix starts");
    let mut paths: Vec<String> = app.paths().into_iter().map(str::to_string).collect();
    paths.push(scenario.start.to_string());
    paths.push("/nowhere".to_string());
    paths
}

/// Builds a run the way a learner would: each plan step worked out against the lab as it is,
/// at a clock that moves forward (the real time, plus the lab's time travel).
struct Builder {
    run: Run<Jar>,
    real: i64,
    routes: Vec<String>,
    /// What each act had to say, in order.
    said: Vec<Vec<String>>,
}

impl Builder {
    fn now(&self) -> i64 {
        self.real + self.run.lab.as_ref().map_or(0, |l| l.offset)
    }

    fn act(&mut self, act: Act) {
        let now = self.now();
        let said = self.run.apply(act, now, &mut ModelHost);
        self.said.push(said);
    }

    fn lab(&mut self) -> Option<&mut Lab<Jar>> {
        self.run.lab.as_mut().ok()
    }

    /// The first form of the page `browser` shows, filled in: its text fields with `user`.
    fn shown_form(&mut self, browser: BrowserId, user: &str) -> Option<Act> {
        let lab = self.lab()?;
        let page = lab.tab(browser)?.page?;
        let page = lab.log[page].page();
        let form = page.forms.iter().find(|f| f.stays_in_lab())?;
        let edits: Vec<(String, String)> = form
            .fields
            .iter()
            .filter(|f| !f.hidden && matches!(f.kind.as_str(), "text" | "email"))
            .map(|f| (f.name.clone(), user.to_string()))
            .collect();
        Some(Act::Submit {
            browser,
            method: form.method.clone(),
            action: form.action.clone(),
            fields: form_values(form, &edits),
        })
    }

    fn step(&mut self, plan: Plan, dt: i64) {
        self.real += dt;
        let flow = self.run.scenario.flow;
        let act = match plan {
            Plan::Visit(browser, i) => Act::Navigate {
                browser,
                target: self.routes[i % self.routes.len()].clone(),
            },
            Plan::Login(browser, user) => {
                let Some(flow) = flow else {
                    return self.step(Plan::Visit(browser, user.len()), 0);
                };
                self.act(Act::Navigate {
                    browser,
                    target: flow.login.path.into(),
                });
                if flow.login.fields.is_empty() {
                    return;
                }
                match self.shown_form(browser, &user) {
                    Some(act) => act,
                    // No form to fill (the second browser is closed, say): post the flow's
                    // fields, the first one being the user name.
                    None => Act::Submit {
                        browser,
                        method: "POST".into(),
                        action: flow.login.path.into(),
                        fields: flow
                            .login
                            .fields
                            .iter()
                            .enumerate()
                            .map(|(i, (k, v))| {
                                let v = if i == 0 { user.clone() } else { v.to_string() };
                                (k.to_string(), v)
                            })
                            .collect(),
                    },
                }
            }
            Plan::SubmitShown(browser, user) => self
                .shown_form(browser, &user)
                .unwrap_or(Act::Reload(browser)),
            Plan::Logout(browser) => Act::Navigate {
                browser,
                target: flow.map_or("/logout", |f| f.logout).into(),
            },
            Plan::Back(b) => Act::Back(b),
            Plan::Forward(b) => Act::Forward(b),
            Plan::Reload(b) => Act::Reload(b),
            Plan::Advance(s) => Act::Advance(s),
            Plan::ResetClock => Act::ResetClock,
            Plan::Restart(b) => Act::Restart(b),
            Plan::ClearCookies(b) => Act::ClearCookies(b),
            Plan::OpenSecond => Act::OpenSecond,
            Plan::CloseSecond => Act::CloseSecond,
            Plan::ServerSide(on) => Act::ServerSide(on),
            Plan::SecretKey(key) => Act::Configure {
                key: "SECRET_KEY".into(),
                value: ConfigValue::Str(key),
            },
            Plan::EditSession(browser, edit) => {
                let now = self.now();
                let cookie = self.lab().and_then(|lab| {
                    let name = lab.app.config.session_cookie_name.clone();
                    lab.tab_mut(browser)?
                        .jar
                        .cookies(now)
                        .into_iter()
                        .find(|c| c.name == name)
                });
                let (name, path, old) = match cookie {
                    Some(c) => (c.name, c.path, c.value),
                    None => ("session".into(), "/".into(), String::new()),
                };
                let chars: Vec<char> = old.chars().collect();
                let value = match edit {
                    Edit::Replace(v) => v,
                    Edit::Append(v) => old + &v,
                    Edit::Truncate(n) => chars[..n % (chars.len() + 1)].iter().collect(),
                    Edit::Flip(_) if chars.is_empty() => "x".into(),
                    Edit::Flip(n) => {
                        let mut chars = chars;
                        let i = n % chars.len();
                        chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
                        chars.into_iter().collect()
                    }
                };
                Act::EditCookie {
                    browser,
                    name,
                    path,
                    value,
                }
            }
            Plan::Fix => Act::Fix,
            Plan::Steal(browser, script) => Act::Steal { browser, script },
            Plan::Plant(browser) => Act::Plant(browser),
            Plan::UserAgent(browser, agent) => Act::UserAgent { browser, agent },
            Plan::Sign(browser, json, key) => Act::Sign { browser, json, key },
        };
        self.act(act);
    }
}

fn build(scenario: &'static Scenario, seed: u64, start: i64, steps: &[(Plan, i64)]) -> Builder {
    let mut b = Builder {
        run: Run::start(scenario, seed, &mut ModelHost),
        real: start,
        routes: routes(scenario),
        said: Vec::new(),
    };
    for (plan, dt) in steps {
        b.step(plan.clone(), *dt);
    }
    b
}

/// Encodes the built run, reads the link back, replays it, and compares the two labs.
fn round_trip(mut b: Builder) -> Result<String, TestCaseError> {
    let now = b.now();
    let link = encode(&b.run, now).map_err(TestCaseError::fail)?;
    prop_assert_eq!(
        &link,
        &encode_parts(b.run.scenario, b.run.seed, now, &b.run.journal)
    );
    let shared = decode(&link).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(shared.scenario, b.run.scenario);
    prop_assert_eq!(shared.seed, b.run.seed);
    prop_assert_eq!(shared.clock, now);
    prop_assert_eq!(&shared.journal, &b.run.journal);
    let mut replayed = Run::replay(
        shared.scenario,
        shared.seed,
        &shared.journal,
        &mut ModelHost,
    );
    same(&seen(&mut b.run, now), &seen(&mut replayed, now))?;
    // The same acts applied one by one say the same things.
    let mut again = Run::start(shared.scenario, shared.seed, &mut ModelHost);
    for (entry, said) in shared.journal.iter().zip(&b.said) {
        let now = entry.at;
        prop_assert_eq!(
            &again.apply(entry.act.clone(), now, &mut ModelHost),
            said,
            "{:?}",
            entry
        );
    }
    Ok(link)
}

fn steps() -> impl Strategy<Value = Vec<(Plan, i64)>> {
    vec(
        (
            plan(),
            prop_oneof![4 => 0..=30i64, 1 => 0..=3_600i64, 1 => Just(0)],
        ),
        0..=60,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn replaying_a_link_gives_the_same_lab(
        scenario in scenario(),
        seed in seed(),
        start in T0..T0 + 100_000_000,
        steps in steps(),
    ) {
        let b = build(scenario, seed, start, &steps);
        round_trip(b)?;
    }
}

/// The session ids (the `session=` values set) in a lab's log, in order.
fn session_cookies_set(run: &Run<Jar>) -> Vec<String> {
    let lab = run.lab.as_ref().expect("starts");
    lab.log
        .iter()
        .flat_map(|e| e.set_cookies())
        .filter_map(|c| c.strip_prefix("session="))
        .map(|c| c.split(';').next().unwrap().to_string())
        .collect()
}

/// A sign-in and a second browser on the server-side scenario.
fn server_side_session(seed: u64) -> Builder {
    let steps = [
        (Plan::Visit(BrowserId::Main, 0), 1),
        (Plan::Login(BrowserId::Main, "ada".into()), 3),
        (Plan::OpenSecond, 2),
        (Plan::Login(BrowserId::Second, "bob".into()), 4),
        (Plan::Advance(60), 1),
        (Plan::Reload(BrowserId::Main), 1),
    ];
    build(by_id("seed-004-server-persist").unwrap(), seed, T0, &steps)
}

#[test]
fn the_seed_decides_the_session_ids() {
    let one = server_side_session(1);
    let ids = session_cookies_set(&one.run);
    assert!(ids.len() >= 2, "{ids:?}");
    assert!(ids.iter().all(|id| id.len() >= 32), "{ids:?}");
    let distinct: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(distinct.len(), 2, "each browser its own session: {ids:?}");
    // The same seed: the same ids, byte for byte, and a replay agrees.
    assert_eq!(session_cookies_set(&server_side_session(1).run), ids);
    let link = round_trip(server_side_session(1)).expect("replays the same");
    // Another seed: other ids, so a replay that ignored the seed would be caught.
    let two = server_side_session(2);
    let other = session_cookies_set(&two.run);
    assert_eq!(other.len(), ids.len());
    for (a, b) in ids.iter().zip(&other) {
        assert_ne!(a, b);
    }
    let mut shared = decode(&link).unwrap();
    shared.seed = 2;
    let mut reseeded = Run::replay(
        shared.scenario,
        shared.seed,
        &shared.journal,
        &mut ModelHost,
    );
    let mut original = server_side_session(1).run;
    let now = T0 + 100;
    let (a, b) = (seen(&mut original, now), seen(&mut reseeded, now));
    assert_ne!(a.log, b.log);
    assert_ne!(a.store, b.store);
    assert!(same(&a, &b).is_err(), "the comparison can fail");
}

#[test]
fn signed_cookies_come_back_byte_identical() {
    // Seed 003 signs its session (with a timestamp) into the cookie: the replay signs the same
    // bytes at the same times.
    let steps = [
        (Plan::Login(BrowserId::Main, "ada".into()), 5),
        (Plan::Advance(200), 1),
        (Plan::Reload(BrowserId::Main), 7),
        (Plan::SecretKey("another key".into()), 1),
        (Plan::Reload(BrowserId::Main), 1),
        (Plan::Login(BrowserId::Main, "bob".into()), 9),
    ];
    let b = build(by_id("seed-003").unwrap(), 7, T0, &steps);
    let cookies = session_cookies_set(&b.run);
    assert!(cookies.len() >= 3, "{cookies:?}");
    assert!(
        cookies.iter().all(|c| c.matches('.').count() == 2),
        "{cookies:?}"
    );
    let link = round_trip(b).expect("replays the same");
    let shared = decode(&link).unwrap();
    let replayed = Run::replay(
        shared.scenario,
        shared.seed,
        &shared.journal,
        &mut ModelHost,
    );
    assert_eq!(session_cookies_set(&replayed), cookies);
}

// ---------------------------------------------------------------------------------------------
// 3. Hostile links.

/// A valid link of a few acts of every kind, and its record.
fn sample() -> (String, Vec<u8>) {
    let journal: Vec<Entry> = [
        Act::Navigate {
            browser: BrowserId::Main,
            target: "/login?next=/about".into(),
        },
        Act::Submit {
            browser: BrowserId::Main,
            method: "POST".into(),
            action: "/login".into(),
            fields: vec![
                ("next".into(), "/about".into()),
                ("username".into(), "ä".into()),
            ],
        },
        Act::Back(BrowserId::Main),
        Act::Forward(BrowserId::Main),
        Act::Reload(BrowserId::Main),
        Act::Advance(301),
        Act::ResetClock,
        Act::OpenSecond,
        Act::Navigate {
            browser: BrowserId::Second,
            target: "/about".into(),
        },
        Act::Restart(BrowserId::Main),
        Act::ClearCookies(BrowserId::Second),
        Act::CloseSecond,
        Act::EditCookie {
            browser: BrowserId::Main,
            name: "session".into(),
            path: "/".into(),
            value: "x".into(),
        },
        Act::Configure {
            key: "SECRET_KEY".into(),
            value: ConfigValue::Str("k".into()),
        },
        Act::Configure {
            key: "SECRET_KEY_FALLBACKS".into(),
            value: ConfigValue::List(vec!["supersecretkey".into()]),
        },
        Act::Configure {
            key: "SESSION_REFRESH_EACH_REQUEST".into(),
            value: ConfigValue::Bool(false),
        },
        Act::Configure {
            key: "PERMANENT_SESSION_LIFETIME".into(),
            value: ConfigValue::Int(60),
        },
        Act::Configure {
            key: "SESSION_COOKIE_SAMESITE".into(),
            value: ConfigValue::None,
        },
        Act::ServerSide(true),
        Act::ServerSide(false),
        Act::Fix,
        Act::Forge {
            browser: BrowserId::Main,
            json: r#"{"user_name":"admin"}"#.into(),
        },
        Act::Steal {
            browser: BrowserId::Main,
            script: true,
        },
        Act::Plant(BrowserId::Second),
        Act::UserAgent {
            browser: BrowserId::Second,
            agent: "Mozilla/5.0 (X11; Linux x86_64) Lab/2".into(),
        },
        Act::Sign {
            browser: BrowserId::Main,
            json: r#"{"user_name":"admin"}"#.into(),
            key: "supersecretkey".into(),
        },
        Act::Navigate {
            browser: BrowserId::Main,
            target: String::new(),
        },
    ]
    .into_iter()
    .enumerate()
    .map(|(i, act)| Entry {
        at: T0 + 10 * i as i64,
        act,
    })
    .collect();
    let link = encode_parts(by_id("seed-004-server-persist").unwrap(), 42, T0, &journal);
    assert_eq!(decode(&link).map(|s| s.journal), Ok(journal));
    let record = record_of(&link);
    (link, record)
}

/// Replays what a link holds with the engine's models.
fn replay(shared: &Shared) {
    let mut run = Run::replay(
        shared.scenario,
        shared.seed,
        &shared.journal,
        &mut ModelHost,
    );
    let at = shared.journal.last().map_or(shared.clock, |e| e.at);
    let _ = seen(&mut run, at);
}

#[test]
fn text_that_is_not_a_link() {
    damaged("", "no format number");
    damaged("lab", "no format number");
    damaged("eJwLycxVAAA", "no format number");
    damaged("x.eJw", "the format is not a number");
    damaged(".eJw", "the format is not a number");
    damaged("-1.eJw", "the format is not a number");
    damaged("1e0.eJw", "the format is not a number");
    damaged("99999999999.eJw", "the format is not a number");
    damaged("\u{661}.eJw", "the format is not a number");
    damaged("0.eJw", "unknown format");
    // One spelling per format: no leading zero.
    damaged("00.eJw", "the format is not a number");
}

#[test]
fn a_newer_format_says_so() {
    assert_eq!(refused("2.eJw"), LinkError::Newer(2));
    assert_eq!(refused("2."), LinkError::Newer(2));
    assert_eq!(refused("4294967295.x"), LinkError::Newer(u32::MAX));
    let text = LinkError::Newer(2).to_string();
    assert!(text.contains("newer Session Lab"), "{text}");
    assert!(text.contains("format 2"), "{text}");
    // A newer link's data is not looked at, whatever it holds.
    let (link, _) = sample();
    let newer = link.replacen("1.", "2.", 1);
    assert_eq!(refused(&newer), LinkError::Newer(2));
}

#[test]
fn characters_outside_url_safe_base64() {
    let (link, _) = sample();
    let why = "characters that are not URL-safe base64";
    for bad in [
        "+",
        "/",
        "=",
        "==",
        " ",
        "\t",
        "\n",
        "%",
        "%2B",
        ".",
        "<script>alert(1)</script>",
        "é",
        "😀",
        "\u{0}",
        "\u{feff}",
        "#",
        "&lab=1.x",
        "\u{ff21}",
    ] {
        damaged(&format!("{link}{bad}"), why);
        damaged(&format!("1.{bad}"), why);
        let middle = link.len() / 2;
        damaged(&format!("{}{bad}{}", &link[..middle], &link[middle..]), why);
    }
    // Standard base64 of the same bytes (with `+`, `/` and padding) is refused too.
    let packed = pybase64::urlsafe_decode(link.split_once('.').unwrap().1).unwrap();
    let standard = format!("1.{}", pybase64::b64encode(&packed));
    if standard != link {
        damaged(&standard, why);
    }
}

#[test]
fn base64_that_is_not_a_zlib_record() {
    damaged("1.A", "its base64 does not decode");
    damaged("1.AAAAA", "its base64 does not decode");
    let not_zlib = "its data does not decompress";
    damaged("1.", not_zlib);
    damaged("1.AA", not_zlib);
    damaged(
        &format!("1.{}", pybase64::urlsafe_encode(b"hello, world")),
        not_zlib,
    );
    damaged(
        &format!("1.{}", pybase64::urlsafe_encode(&[0x78, 0x9c])),
        not_zlib,
    );
    // Raw deflate without the zlib header.
    let raw = miniz_oxide::deflate::compress_to_vec(b"seed-003", 6);
    damaged(&format!("1.{}", pybase64::urlsafe_encode(&raw)), not_zlib);
    // A zlib stream whose checksum is wrong.
    let (_, record) = sample();
    let mut packed = compress_to_vec_zlib(&record, 6);
    let last = packed.len() - 1;
    packed[last] ^= 1;
    damaged(
        &format!("1.{}", pybase64::urlsafe_encode(&packed)),
        not_zlib,
    );
}

#[test]
fn a_zlib_bomb_is_refused_after_max_record_bytes() {
    let zeros = vec![0u8; 3_000_000];
    let bomb = pack(&zeros);
    assert!(bomb.len() < MAX_TEXT, "{}", bomb.len());
    let started = Instant::now();
    damaged(&bomb, "its data does not decompress");
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    // The limit is exact: a record of MAX_RECORD bytes is read, one more byte is not.
    // Navigations to 8,000-byte paths (each 8,005 bytes: its time, tag, browser, a 2-byte
    // length), the last one cut to land on `size`.
    let acts = MAX_RECORD / 8_005 + 1;
    let fill = |size: usize| {
        let mut rec = header("free-play", 1, T0, acts as u64);
        for _ in 1..acts {
            rec = rec.int(0).bytes(&[0, 0]).str(&"a".repeat(8_000));
        }
        let len = size - rec.0.len() - 5;
        assert!(
            (128..=session_lab::lab::share::MAX_STRING).contains(&len),
            "{len}"
        );
        rec.int(0).bytes(&[0, 0]).str(&"a".repeat(len)).0
    };
    let exact = fill(MAX_RECORD);
    assert_eq!(exact.len(), MAX_RECORD);
    let shared = decode(&pack(&exact)).expect("a record of MAX_RECORD bytes");
    assert_eq!(shared.journal.len(), acts);
    let over = fill(MAX_RECORD + 1);
    assert_eq!(over.len(), MAX_RECORD + 1);
    damaged(&pack(&over), "its data does not decompress");
}

#[test]
fn text_longer_than_max_text() {
    damaged(&format!("1.{}", "A".repeat(MAX_TEXT)), "it is too long");
    damaged(&"9".repeat(MAX_TEXT + 1), "it is too long");
    // Exactly MAX_TEXT is read as far as the data goes (here: base64 of no zlib stream).
    let exact = format!("1.{}", "A".repeat(MAX_TEXT - 2));
    assert_eq!(exact.len(), MAX_TEXT);
    damaged(&exact, "its data does not decompress");
    // MAX_TEXT counts bytes: non-ASCII text cannot sneak past it.
    damaged(&"é".repeat(MAX_TEXT / 2 + 1), "it is too long");
}

#[test]
fn every_truncation_of_a_record_is_refused() {
    let (link, record) = sample();
    assert!(decode(&link).is_ok());
    for cut in 0..record.len() {
        let e = refused(&pack(&record[..cut]));
        assert!(
            matches!(e, LinkError::Damaged(_) | LinkError::UnknownScenario(_)),
            "cut at {cut}: {e:?}"
        );
    }
    // And every truncation of the link text itself.
    for cut in 0..link.len() {
        let _ = refused(&link[..cut]);
    }
}

#[test]
fn every_flipped_byte_is_read_or_refused_and_replays() {
    let (link, record) = sample();
    let mut read = 0;
    for i in 0..record.len() {
        for mask in [0x01u8, 0x02, 0x10, 0x40, 0x80, 0xff] {
            let mut bytes = record.clone();
            bytes[i] ^= mask;
            match decode(&pack(&bytes)) {
                Ok(shared) => {
                    read += 1;
                    replay(&shared);
                }
                Err(e) => assert_clear(&e),
            }
        }
    }
    // Flipping characters of the link text, which corrupts the compressed stream.
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for i in 2..link.len() {
        for k in [1, 17, 32, 63] {
            let mut bytes = link.clone().into_bytes();
            let at = alphabet.iter().position(|&c| c == bytes[i]).unwrap();
            bytes[i] = alphabet[(at + k) % 64];
            match decode(std::str::from_utf8(&bytes).unwrap()) {
                Ok(shared) => {
                    read += 1;
                    replay(&shared);
                }
                Err(e) => assert_clear(&e),
            }
        }
    }
    // Many flips land in a string, a time or a seed and are read (and replayed).
    assert!(read > 50, "{read}");
}

#[test]
fn an_unknown_scenario_is_named() {
    let link = pack(&header("seed-999", 1, T0, 0).0);
    assert_eq!(
        refused(&link),
        LinkError::UnknownScenario("seed-999".into())
    );
    let text = LinkError::UnknownScenario("seed-999".into()).to_string();
    assert!(text.contains("\"seed-999\""), "{text}");
    // A long or strange id is cut short and quoted, so the sentence stays readable.
    let long = "x".repeat(session_lab::lab::share::MAX_STRING);
    match refused(&pack(&header(&long, 1, T0, 0).0)) {
        LinkError::UnknownScenario(id) => assert_eq!(id.chars().count(), 64),
        e => panic!("{e:?}"),
    }
    let strange = "é\u{0}<script>\n\u{1b}[31m\u{85}";
    let e = refused(&pack(&header(strange, 1, T0, 0).0));
    assert_eq!(e, LinkError::UnknownScenario("é<script>[31m".into()));
    assert!(!e.to_string().chars().any(char::is_control), "{e}");
    // Ids are matched exactly.
    for near in ["", "SEED-003", "seed-003 ", "seed-00", "seed-003\u{0}"] {
        assert!(matches!(
            refused(&pack(&header(near, 1, T0, 0).0)),
            LinkError::UnknownScenario(_)
        ));
    }
    // An id that is not UTF-8.
    let bad = Rec::default()
        .varint(2)
        .bytes(&[0xc3, 0x28])
        .varint(1)
        .int(T0)
        .varint(0);
    damaged(&pack(&bad.0), "text that is not UTF-8");
}

#[test]
fn counts_and_lengths_beyond_what_is_there() {
    let head = |count| header("free-play", 1, T0, count);
    damaged(&pack(&head(MAX_ACTS as u64 + 1).0), "too many actions");
    damaged(&pack(&head(u64::MAX).0), "too many actions");
    damaged(&pack(&head(MAX_ACTS as u64).0), "it ends too soon");
    // MAX_ACTS acts are read.
    let mut full = head(MAX_ACTS as u64);
    for _ in 0..MAX_ACTS {
        full = full.int(0).byte(6);
    }
    assert_eq!(decode(&pack(&full.0)).unwrap().journal.len(), MAX_ACTS);
    // A string longer than what is left: the id, a target, a field, a setting.
    damaged(
        &pack(&Rec::default().varint(1000).bytes(b"seed").0),
        "it ends too soon",
    );
    damaged(
        &pack(&Rec::default().varint(u64::MAX).0),
        "it ends too soon",
    );
    let one = || head(1).int(0);
    damaged(
        &pack(&one().bytes(&[0, 0]).varint(5).bytes(b"/ab").0),
        "it ends too soon",
    );
    damaged(
        &pack(&one().bytes(&[0, 0]).varint(u64::MAX).0),
        "it ends too soon",
    );
    damaged(
        &pack(
            &one()
                .bytes(&[1, 0])
                .str("POST")
                .str("/")
                .varint(3)
                .str("a")
                .0,
        ),
        "it ends too soon",
    );
    damaged(
        &pack(&one().bytes(&[1, 0]).str("POST").str("/").varint(u64::MAX).0),
        "too many fields or keys in one action",
    );
    damaged(
        &pack(&one().byte(12).str("K").byte(4).varint(u64::MAX).0),
        "too many fields or keys in one action",
    );
    damaged(
        &pack(&one().byte(12).str("K").byte(3).varint(9).bytes(b"abc").0),
        "it ends too soon",
    );
    // A number of more than ten bytes.
    damaged(
        &pack(&Rec::default().bytes(&[0x80; 11]).0),
        "a number is too long",
    );
    damaged(
        &pack(&head(1).bytes(&[0xff; 10]).byte(0).0),
        "a number is too long",
    );
    // Invalid UTF-8 in a field.
    damaged(
        &pack(&one().bytes(&[0, 0]).varint(1).byte(0xff).0),
        "text that is not UTF-8",
    );
}

#[test]
fn unknown_tags_browsers_types_and_switches() {
    let one = || header("free-play", 1, T0, 1).int(0);
    for tag in [20u8, 21, 127, 128, 255] {
        damaged(&pack(&one().byte(tag).0), "an unknown action");
    }
    for b in [2u8, 127, 255] {
        damaged(
            &pack(&one().byte(0).byte(b).str("/").0),
            "an unknown browser",
        );
        damaged(&pack(&one().byte(7).byte(b).0), "an unknown browser");
    }
    for t in [5u8, 255] {
        damaged(
            &pack(&one().byte(12).str("K").byte(t).0),
            "an unknown setting type",
        );
    }
    for f in [2u8, 255] {
        damaged(
            &pack(&one().byte(13).byte(f).0),
            "a switch that is neither on nor off",
        );
        damaged(
            &pack(&one().byte(12).str("K").byte(1).byte(f).0),
            "a switch that is neither on nor off",
        );
    }
}

#[test]
fn times_and_clock_moves_out_of_range() {
    let why = "a time out of range";
    let empty = |clock| pack(&header("free-play", 1, clock, 0).0);
    damaged(&empty(-1), why);
    damaged(&empty(MAX_TIME + 1), why);
    damaged(&empty(i64::MIN), why);
    damaged(&empty(i64::MAX), why);
    assert_eq!(decode(&empty(0)).unwrap().clock, 0);
    assert_eq!(decode(&empty(MAX_TIME)).unwrap().clock, MAX_TIME);
    // An act's time is a difference from the one before it.
    let at = |clock, delta| pack(&header("free-play", 1, clock, 1).int(delta).byte(6).0);
    damaged(&at(0, -1), why);
    damaged(&at(MAX_TIME, 1), why);
    damaged(&at(T0, i64::MAX), why);
    damaged(&at(T0, i64::MIN), why);
    damaged(&at(MAX_TIME, i64::MIN + 1), why);
    assert_eq!(decode(&at(MAX_TIME, -MAX_TIME)).unwrap().journal[0].at, 0);
    assert_eq!(decode(&at(0, MAX_TIME)).unwrap().journal[0].at, MAX_TIME);
    // Wrapping cannot bring a time back into range from far away.
    let two = pack(
        &header("free-play", 1, T0, 2)
            .int(i64::MAX)
            .byte(6)
            .int(i64::MAX)
            .byte(6)
            .0,
    );
    damaged(&two, why);
    // Clock moves: 0 to MAX_ADVANCE.
    let advance = |s| pack(&header("free-play", 1, T0, 1).int(0).byte(5).int(s).0);
    let why = "a clock move out of range";
    for s in [-1, MAX_ADVANCE + 1, i64::MIN, i64::MAX] {
        damaged(&advance(s), why);
    }
    for s in [0, 1, MAX_ADVANCE] {
        assert_eq!(
            decode(&advance(s)).unwrap().journal,
            vec![Entry {
                at: T0,
                act: Act::Advance(s)
            }]
        );
    }
}

#[test]
fn trailing_bytes_are_refused() {
    let (_, record) = sample();
    for tail in [&[0u8][..], &[14], &[0, 0, 0], b"trailing"] {
        let mut bytes = record.clone();
        bytes.extend_from_slice(tail);
        damaged(&pack(&bytes), "data after the last action");
    }
    // Also after an empty journal.
    damaged(
        &pack(&header("free-play", 1, T0, 0).byte(0).0),
        "data after the last action",
    );
}

#[test]
fn every_refusal_reads_as_a_sentence() {
    for why in [
        "it is too long",
        "no format number",
        "it ends too soon",
        "a number is too long",
    ] {
        assert_clear(&LinkError::Damaged(why));
    }
    assert_clear(&LinkError::Newer(7));
    assert_clear(&LinkError::UnknownScenario(String::new()));
    assert_eq!(
        LinkError::Damaged("it ends too soon").to_string(),
        "This share link is damaged or was edited by hand (it ends too soon). The scenario \
         starts from the beginning instead."
    );
}

// ---------------------------------------------------------------------------------------------
// 4. Decoding anything never panics; what it reads replays without a panic.

/// A valid record with a few random changes: bytes flipped, inserted, removed, cut.
fn mutated_record() -> impl Strategy<Value = Vec<u8>> {
    (
        scenario(),
        seed(),
        time(),
        journal(),
        vec((any::<usize>(), any::<u8>(), 0..4u8), 1..4),
    )
        .prop_map(|(scenario, seed, clock, journal, changes)| {
            let mut record = record_of(&encode_parts(scenario, seed, clock, &journal));
            for (at, byte, how) in changes {
                let i = at % (record.len() + 1);
                match how {
                    0 if i < record.len() => record[i] ^= byte | 1,
                    1 => record.insert(i, byte),
                    2 if i < record.len() => {
                        record.remove(i);
                    }
                    _ => record.truncate(i),
                }
            }
            record
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn decoding_any_text_never_panics(text in prop_oneof![
        any::<String>(),
        "[0-9]{0,3}\\.[A-Za-z0-9_-]{0,64}",
        "1\\.[A-Za-z0-9_+/=-]{0,64}",
    ]) {
        match decode(&text) {
            Ok(shared) => replay(&shared),
            Err(e) => assert_clear(&e),
        }
    }

    #[test]
    fn decoding_any_packed_bytes_never_panics(bytes in vec(any::<u8>(), 0..512)) {
        match decode(&pack(&bytes)) {
            Ok(shared) => replay(&shared),
            Err(e) => assert_clear(&e),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// Valid records with a few bytes changed: many still read, and their replay runs too.
    #[test]
    fn decoding_damaged_records_never_panics(record in mutated_record()) {
        match decode(&pack(&record)) {
            Ok(shared) => replay(&shared),
            Err(e) => assert_clear(&e),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Whatever a link can hold replays: any acts, any settings, at any time in range.
    #[test]
    fn replaying_any_readable_journal_never_panics(
        scenario in scenario(),
        seed in seed(),
        journal in journal(),
    ) {
        let link = encode_parts(scenario, seed, T0, &journal);
        let shared = decode(&link).expect("reads back");
        replay(&shared);
    }
}

// ---------------------------------------------------------------------------------------------
// 5. How long a link is for a realistic session.

#[test]
fn a_realistic_session_makes_a_short_link() {
    let scenario = by_id("seed-004-server-persist").unwrap();
    let mut run = Run::start(scenario, 0x5eed_0004_cafe_f00d, &mut ModelHost);
    let mut now = T0;
    let main = BrowserId::Main;
    let second = BrowserId::Second;
    let acts = [
        (
            0,
            Act::Navigate {
                browser: main,
                target: "/home".into(),
            },
        ),
        (
            6,
            Act::Navigate {
                browser: main,
                target: "/about".into(),
            },
        ),
        (
            9,
            Act::Submit {
                browser: main,
                method: "POST".into(),
                action: "/login".into(),
                fields: vec![
                    ("next".into(), "/about".into()),
                    ("username".into(), "ada".into()),
                ],
            },
        ),
        (
            4,
            Act::Navigate {
                browser: main,
                target: "/contact".into(),
            },
        ),
        (
            12,
            Act::Navigate {
                browser: main,
                target: "/products".into(),
            },
        ),
        (3, Act::Advance(4 * 60)),
        (2, Act::Reload(main)),
        (5, Act::Advance(6 * 60)),
        (
            1,
            Act::Navigate {
                browser: main,
                target: "/about".into(),
            },
        ),
        (
            8,
            Act::Submit {
                browser: main,
                method: "POST".into(),
                action: "/login".into(),
                fields: vec![
                    ("next".into(), "/about".into()),
                    ("username".into(), "ada".into()),
                ],
            },
        ),
        (4, Act::Restart(main)),
        (
            3,
            Act::Navigate {
                browser: main,
                target: "/about".into(),
            },
        ),
        (2, Act::OpenSecond),
        (
            3,
            Act::Navigate {
                browser: second,
                target: "/about".into(),
            },
        ),
        (
            7,
            Act::Submit {
                browser: second,
                method: "POST".into(),
                action: "/login".into(),
                fields: vec![
                    ("next".into(), "/about".into()),
                    ("username".into(), "bob".into()),
                ],
            },
        ),
        (
            5,
            Act::EditCookie {
                browser: main,
                name: "session".into(),
                path: "/".into(),
                value: "not-a-session-id".into(),
            },
        ),
        (
            2,
            Act::Navigate {
                browser: main,
                target: "/about".into(),
            },
        ),
        (
            6,
            Act::Navigate {
                browser: second,
                target: "/logout".into(),
            },
        ),
        (2, Act::Back(second)),
        (4, Act::Advance(86_400)),
    ];
    assert_eq!(acts.len(), 20);
    for (dt, act) in acts {
        now += dt;
        let offset = run.lab.as_ref().map_or(0, |l| l.offset);
        run.apply(act, now + offset, &mut ModelHost);
    }
    let clock = now + run.lab.as_ref().unwrap().offset;
    let link = encode(&run, clock).expect("20 acts fit in a link");
    let lab = run.lab.as_ref().unwrap();
    println!(
        "share link for a 20-action seed-004-server-persist session ({} requests): {} characters",
        lab.log.len(),
        link.len()
    );
    println!("#lab={link}");
    assert!(lab.log.len() >= 20, "{}", lab.log.len());
    assert!(link.len() < 2000, "{}", link.len());
    assert!(fragment_safe(&link));
    // It replays to the same lab.
    let shared = decode(&link).unwrap();
    let mut replayed = Run::replay(scenario, shared.seed, &shared.journal, &mut ModelHost);
    same(&seen(&mut run, clock), &seen(&mut replayed, clock)).unwrap();
}

#[test]
fn encode_refuses_a_journal_longer_than_a_link_carries() {
    let scenario = by_id("free-play").unwrap();
    let mut run = Run::start(scenario, 9, &mut ModelHost);
    for i in 0..MAX_ACTS as i64 {
        run.apply(Act::ResetClock, T0 + i, &mut ModelHost);
    }
    let link = encode(&run, T0 + MAX_ACTS as i64).expect("MAX_ACTS acts fit");
    assert_eq!(decode(&link).unwrap().journal, run.journal);
    run.apply(Act::ResetClock, T0 + MAX_ACTS as i64, &mut ModelHost);
    let why = encode(&run, T0).expect_err("one act too many");
    assert!(
        why.starts_with("This lab has ") && why.ends_with('.'),
        "{why}"
    );
    assert!(why.contains(&MAX_ACTS.to_string()), "{why}");
}

// ---------------------------------------------------------------------------------------------
// What replaying a link may cost. Decoding bounds the link (MAX_TEXT, MAX_RECORD, MAX_ACTS),
// but not the work its replay does: a short link can hold one long string or list that every
// later act uses again.

/// Bytes an exchange holds: its request and its response.
fn exchange_bytes(e: &Exchange) -> usize {
    let pairs = |v: &[(String, String)]| v.iter().map(|(a, b)| a.len() + b.len()).sum::<usize>();
    e.target.len()
        + e.cookie.as_ref().map_or(0, String::len)
        + pairs(&e.form)
        + pairs(&e.response.headers)
        + e.response.body.len()
}

/// Replays `shared` act by act, failing as soon as it has taken longer than `seconds` or its
/// log holds more than `bytes`.
fn replay_within(shared: &Shared, seconds: u64, bytes: usize) -> Result<(), String> {
    let started = Instant::now();
    let mut run = Run::start(shared.scenario, shared.seed, &mut ModelHost);
    let (mut counted, mut held) = (0, 0);
    for (n, entry) in shared.journal.iter().enumerate() {
        run.apply(entry.act.clone(), entry.at, &mut ModelHost);
        if let Ok(lab) = &run.lab {
            if lab.log.len() < counted {
                (counted, held) = (0, 0);
            }
            held += lab.log[counted..].iter().map(exchange_bytes).sum::<usize>();
            counted = lab.log.len();
        }
        if started.elapsed().as_secs() >= seconds || held > bytes {
            return Err(format!(
                "after {} of {} acts: {:?}, the log holds {} bytes",
                n + 1,
                shared.journal.len(),
                started.elapsed(),
                held
            ));
        }
    }
    Ok(())
}

/// A record: `first`, then `fill` (one act) until the journal has MAX_ACTS acts.
fn filled(id: &str, first: &[Rec], fill: &Rec) -> Vec<u8> {
    let mut record = header(id, 1, T0, MAX_ACTS as u64);
    for act in first {
        record = record.int(1).bytes(&act.0);
    }
    for _ in first.len()..MAX_ACTS {
        record = record.int(1).bytes(&fill.0);
    }
    record.0
}

#[test]
fn a_short_link_cannot_make_the_replay_hold_gigabytes() {
    // A 1 MB target is refused outright...
    let huge = Rec::default()
        .bytes(&[0, 0])
        .str(&format!("/{}", "a".repeat(1_000_000)));
    let reload = Rec::default().bytes(&[4, 0]);
    damaged(
        &pack(&filled("seed-003", &[huge], &reload)),
        "a text is too long",
    );
    // ...and the longest one allowed, re-requested by every other act, stays small.
    let navigate = Rec::default().bytes(&[0, 0]).str(&format!(
        "/{}",
        "a".repeat(session_lab::lab::share::MAX_STRING - 1)
    ));
    let reload = Rec::default().bytes(&[4, 0]);
    let link = pack(&filled("seed-003", &[navigate], &reload));
    println!("link of {} characters", link.len());
    assert!(link.len() < 3000, "{}", link.len());
    let shared = decode(&link).expect("within the bounds");
    // Some 256 MB would do for any lab a learner could make by hand.
    replay_within(&shared, 60, 256 << 20).unwrap();
}

#[test]
fn a_short_link_cannot_make_the_replay_run_for_hours() {
    let login = Rec::default()
        .bytes(&[1, 0])
        .str("POST")
        .str("/login")
        .varint(1)
        .str("nm")
        .str("ada");
    let fallbacks_of = |count: usize| {
        let mut fallbacks = Rec::default()
            .byte(12)
            .str("SECRET_KEY_FALLBACKS")
            .byte(4)
            .varint(count as u64);
        for _ in 0..count {
            fallbacks = fallbacks.str("k");
        }
        fallbacks
    };
    let reload = Rec::default().bytes(&[4, 0]);
    // 900,000 keys are refused outright; the most allowed replay quickly.
    damaged(
        &pack(&filled("seed-003", &[fallbacks_of(900_000)], &reload)),
        "too many fields or keys in one action",
    );
    let fallbacks = fallbacks_of(session_lab::lab::share::MAX_LIST);
    // A cookie no key signed: every request tries every key.
    let forged = Rec::default()
        .bytes(&[11, 0])
        .str("session")
        .str("/")
        .str("eyJubSI6ImFkYSJ9.ZVPxAA.AAAAAAAAAAAAAAAAAAAAAAAAAAA");
    let link = pack(&filled("seed-003", &[login, fallbacks, forged], &reload));
    println!("link of {} characters", link.len());
    assert!(link.len() < 3000, "{}", link.len());
    let shared = decode(&link).expect("within the bounds");
    replay_within(&shared, 60, usize::MAX).unwrap();
}

#[test]
fn the_format_number_is_digits_only() {
    let (link, _) = sample();
    damaged(&format!("+{link}"), "the format is not a number");
    damaged(&format!("0{link}"), "the format is not a number");
}
