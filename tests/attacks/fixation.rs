//! Session fixation: the attacker's id, planted before the victim signs in, opens the victim's
//! account; after the fix (`regenerate()` at login) it opens nothing. Also with Flask's signed
//! cookie, where the planted cookie is simply replaced at login.

use session_lab::client::jar::Jar;
use session_lab::engine::flask::sessions::CookieVerdict;
use session_lab::engine::flask_session::stored_session;
use session_lab::lab::lesson::{payload_json, session_sent, session_set};
use session_lab::lab::run::{Act, ModelHost, Run};
use session_lab::lab::scenarios::attack_fixation::SCENARIO;
use session_lab::lab::{BrowserId, Exchange};

/// The lab opened on its start page, with every step's "Do it" up to (not including) `upto`
/// pressed, one second apart.
fn run_until(upto: &str) -> (Run<Jar>, i64) {
    let walked = crate::support::walk(&SCENARIO, 7, Some(upto));
    (walked.run, walked.now)
}

fn step_doit(run: &mut Run<Jar>, id: &str, mut now: i64) -> i64 {
    let step = SCENARIO
        .lesson()
        .steps
        .into_iter()
        .find(|s| s.id == id)
        .expect("the step");
    for action in step.doit {
        now += 1;
        run.apply(Act::from(*action), now, &mut ModelHost);
    }
    now
}

fn log(run: &Run<Jar>) -> &[Exchange] {
    &run.lab.as_ref().expect("running").log
}

/// The last exchange of `browser` for `method path`.
fn last<'a>(log: &'a [Exchange], browser: BrowserId, method: &str, path: &str) -> &'a Exchange {
    log.iter()
        .rev()
        .find(|e| e.browser == browser && e.method == method && e.path() == path)
        .unwrap_or_else(|| panic!("no {method} {path} from {browser:?}"))
}

fn set_value(e: &Exchange) -> String {
    session_set(e).expect("a session cookie").value.to_string()
}

#[test]
fn before_the_fix_the_planted_id_opens_the_victims_account() {
    let (run, now) = run_until("signed-cookie");
    assert!(!run.fixed);
    let log = log(&run).to_vec();
    // The attacker's own visit made a real, stored id.
    let planted = set_value(last(&log, BrowserId::Second, "GET", "/"));
    assert_eq!(planted.len(), 43, "token_urlsafe(32): {planted}");
    // The victim signed in carrying it, and the answer kept it.
    let login = last(&log, BrowserId::Main, "POST", "/login");
    assert_eq!(
        login.cookie.as_deref(),
        Some(format!("session={planted}").as_str())
    );
    assert_eq!(set_value(login), planted);
    assert_eq!(login.header("Location"), Some("/account"));
    // The attacker, with the same bytes, is ada.
    let account = last(&log, BrowserId::Second, "GET", "/account");
    assert_eq!(session_sent(account).as_deref(), Some(planted.as_str()));
    assert_eq!(account.status(), 200);
    assert_eq!(account.response.body, "Account of ada: private data.");
    // The store holds ada's session under the planted id.
    let lab = run.lab.as_ref().unwrap();
    let stored = stored_session(lab.app.session_interface(), &planted, now)
        .expect("Flask-Session")
        .expect("an entry");
    assert_eq!(stored.get("user").and_then(|v| v.as_str()), Some("ada"));
    // The attacker's visit shows in the victim's counter.
    let home = last(&log, BrowserId::Main, "GET", "/");
    assert_eq!(session_sent(home).as_deref(), Some(planted.as_str()));
    assert!(
        home.response.body.starts_with("Welcome! Visit 2."),
        "{}",
        home.response.body
    );
}

#[test]
fn with_a_signed_cookie_the_planted_copy_says_nothing_about_the_new_one() {
    let (mut run, now) = run_until("signed-cookie");
    step_doit(&mut run, "signed-cookie", now);
    let log = log(&run);
    let planted = set_value(last(log, BrowserId::Second, "GET", "/"));
    assert_eq!(payload_json(&planted).as_deref(), Some(r#"{"visits":1}"#));
    let login = last(log, BrowserId::Main, "POST", "/login");
    assert_eq!(session_sent(login).as_deref(), Some(planted.as_str()));
    let fresh = set_value(login);
    assert_ne!(fresh, planted);
    // The attacker's visit count travelled into the victim's new cookie; the user did not
    // travel back.
    assert_eq!(
        payload_json(&fresh).as_deref(),
        Some(r#"{"user":"ada","visits":1}"#)
    );
    let account = last(log, BrowserId::Second, "GET", "/account");
    assert_eq!(session_sent(account).as_deref(), Some(planted.as_str()));
    assert!(matches!(account.verdict, Some(CookieVerdict::Valid { .. })));
    assert_eq!(account.status(), 302);
    assert_eq!(account.header("Location"), Some("/login"));
}

#[test]
fn after_the_fix_the_planted_id_is_gone_at_login() {
    let (mut run, now) = run_until("fix");
    let now = step_doit(&mut run, "fix", now);
    assert!(run.fixed);
    let now = step_doit(&mut run, "retry", now);
    let log = log(&run).to_vec();
    let planted = set_value(last(&log, BrowserId::Second, "GET", "/"));
    assert!(
        !planted.contains('.'),
        "a Flask-Session id again: {planted}"
    );
    let login = last(&log, BrowserId::Main, "POST", "/login");
    assert_eq!(session_sent(login).as_deref(), Some(planted.as_str()));
    assert!(matches!(login.verdict, Some(CookieVerdict::Valid { .. })));
    let renewed = set_value(login);
    assert_eq!(renewed.len(), 43);
    assert_ne!(renewed, planted);
    // The victim is in with the new id; the planted one names nothing in the store.
    let victim = last(&log, BrowserId::Main, "GET", "/account");
    assert_eq!(session_sent(victim).as_deref(), Some(renewed.as_str()));
    assert_eq!(victim.status(), 200);
    let lab = run.lab.as_ref().unwrap();
    let interface = lab.app.session_interface();
    assert_eq!(stored_session(interface, &planted, now), Some(None));
    assert!(stored_session(interface, &renewed, now)
        .flatten()
        .is_some_and(|d| d.get("user").and_then(|v| v.as_str()) == Some("ada")));
    // The attacker's copy: unknown, a new empty session, back to the sign-in form.
    let account = last(&log, BrowserId::Second, "GET", "/account");
    assert_eq!(session_sent(account).as_deref(), Some(planted.as_str()));
    assert_eq!(account.verdict, Some(CookieVerdict::UnknownSessionId));
    assert_eq!(account.status(), 302);
    assert_eq!(account.header("Location"), Some("/login"));
}
