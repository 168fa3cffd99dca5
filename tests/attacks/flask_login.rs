//! `attack-flask-login` natively: the remember cookie Ada's browser received, copied into a
//! second browser, still signs in after she logs out; a login restored from it is not fresh
//! (`/settings` sends it to `/reauth`); strong session protection wipes a copied session sent
//! with another User-Agent but not one sent with hers; after the fix (an id that changes at
//! logout) the copied cookie no longer loads a user.

use super::open_redirect::flask::{compare_with, req, Op};
use crate::support::{every_step_in_order, Walker};
use session_lab::lab::lesson::{payload_json, REMEMBER_COOKIE};
use session_lab::lab::scenarios::attack_flask_login::{ADA_AGENT, EVE_AGENT};
use session_lab::lab::{BrowserId, Exchange};

const ID: &str = "attack-flask-login";

/// `encode_cookie(id)` of Flask-Login 0.6.3 with `SECRET_KEY = "flask-login-demo"`, measured
/// with the project's virtual environment (`flask_login.utils.encode_cookie` in an app context).
const ADA: &str = "ada|1a41d6ead5c108a32eeeb25b6a47ccaa67450627315d03f3a76b5fc5c69a41eb833c278f9830f2765bdff4a885728fdc102bd0742016dd8f507a73c971efbc65";
const ADA_1: &str = "ada:1|58f5a2815d90a53dc7704cc5d199200c8fccd1a95352bfcfa482e2dd64b3f9ef3b4a1514ed9661eff49f49c0a9187dde43a51c2865ec18c5a464a0cb8d1fcceb";
const ADA_2: &str = "ada:2|020ecf1ecce8a36e8f396ff5a45862113ff09649cd998962502b29ce5ba8d7567241bfbf117a34f787068eef13458b01a620f9452e06e8fff58f8e653a262a85";
/// The deletion Flask-Login's `_clear_cookie` sends (`response.delete_cookie`), as real
/// Flask-Login 0.6.3 wrote it in the same measurement.
const DELETE_REMEMBER: &str =
    "remember_token=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/";

#[test]
fn the_steps_tick_in_order() {
    every_step_in_order(ID);
}

fn remember_line(e: &Exchange) -> Option<&str> {
    e.set_cookies()
        .into_iter()
        .find(|c| c.starts_with(&format!("{REMEMBER_COOKIE}=")))
}

fn ex<'a>(t: &'a Walker, from: usize, browser: BrowserId, target: &str) -> &'a Exchange {
    t.log()[from..]
        .iter()
        .find(|e| e.browser == browser && e.target == target)
        .unwrap_or_else(|| panic!("no {target} in {:?}", &t.log()[from..]))
}

#[test]
fn the_remember_cookie_outlives_logout_until_the_fix() {
    let mut t = Walker::open(ID);
    let main = BrowserId::Main;
    let second = BrowserId::Second;

    let from = t.step_from("login");
    let login = t.log()[from..].iter().find(|e| e.method == "POST").unwrap();
    assert_eq!(login.user_agent.as_deref(), Some(ADA_AGENT));
    let line = remember_line(login).expect("a remember cookie");
    assert!(
        line.starts_with(&format!("remember_token={ADA}; Expires=")),
        "{line}"
    );
    assert!(line.ends_with("; HttpOnly; Path=/"), "{line}");
    // A year: REMEMBER_COOKIE_DURATION's default.
    let expires = session_lab::lab::lesson::SetCookieLine::parse(line)
        .expires
        .unwrap();
    assert_eq!(expires - login.at, 365 * 24 * 60 * 60);

    let from = t.step_from("copy");
    let account = ex(&t, from, second, "/account");
    assert_eq!(account.status(), 200);
    assert!(account
        .cookie
        .as_deref()
        .unwrap()
        .contains(&format!("remember_token={ADA}")));
    assert!(account
        .response
        .body
        .contains("<h3>Account of ada</h3><p>This login is not fresh.</p>"));
    let set = account.set_cookies();
    assert_eq!(set.len(), 1, "only the session, marked not fresh: {set:?}");
    let value = set[0]
        .strip_prefix("session=")
        .unwrap()
        .split(';')
        .next()
        .unwrap();
    let json = payload_json(value).unwrap();
    assert!(
        json.contains("\"_fresh\":false") && json.contains("\"_user_id\":\"ada\""),
        "{json}"
    );

    let from = t.step_from("logout");
    let logout = ex(&t, from, main, "/logout");
    assert_eq!(remember_line(logout), Some(DELETE_REMEMBER));
    assert_eq!(logout.header("Location"), Some("/login"));

    let from = t.step_from("outlives");
    let account = ex(&t, from, second, "/account");
    // Only the remember cookie went, and it signed ada in again.
    assert_eq!(
        account.cookie.as_deref(),
        Some(format!("remember_token={ADA}").as_str())
    );
    assert_eq!(account.status(), 200);
    assert!(account.response.body.contains("Account of ada"));
    assert!(account.set_cookies()[0].starts_with("session="));

    let from = t.step_from("not-fresh");
    let settings = ex(&t, from, second, "/settings");
    assert_eq!(settings.status(), 302);
    assert_eq!(
        settings.header("Location"),
        Some("/reauth?next=%2Fsettings")
    );

    let from = t.step_from("strong");
    let account = ex(&t, from, second, "/account");
    assert_eq!(account.user_agent.as_deref(), Some(EVE_AGENT));
    assert_eq!(account.status(), 302);
    assert_eq!(account.header("Location"), Some("/login?next=%2Faccount"));
    assert_eq!(remember_line(account), Some(DELETE_REMEMBER));

    let from = t.step_from("same-agent");
    let account = ex(&t, from, second, "/account");
    assert_eq!(account.user_agent.as_deref(), Some(ADA_AGENT));
    assert_eq!(account.status(), 200);
    assert!(remember_line(account).is_none());

    let from = t.step_from("fix");
    let login = t.log()[from..].iter().find(|e| e.method == "POST").unwrap();
    assert!(remember_line(login)
        .unwrap()
        .starts_with(&format!("remember_token={ADA_1}; Expires=")));

    let from = t.step_from("retry");
    let logout = ex(&t, from, main, "/logout");
    assert_eq!(remember_line(logout), Some(DELETE_REMEMBER));
    let account = ex(&t, from, second, "/account");
    assert_eq!(
        account.cookie.as_deref(),
        Some(format!("remember_token={ADA_1}").as_str())
    );
    assert_eq!(account.status(), 302);
    assert_eq!(account.header("Location"), Some("/login?next=%2Faccount"));
    // Ada signs in again: the next generation.
    t.act(session_lab::lab::Action::Navigate("/login"));
    t.act(session_lab::lab::Action::Submit {
        action: "/login",
        fields: &[
            ("username", "ada"),
            ("password", "lovelace"),
            ("remember", "yes"),
        ],
    });
    let login = t.log().iter().rev().find(|e| e.method == "POST").unwrap();
    assert!(remember_line(login)
        .unwrap()
        .starts_with(&format!("remember_token={ADA_2}; Expires=")));
}

/// Strong protection and "remember me": a session restored from the remember cookie has no
/// `_id`, so strong protection wipes it on its second request, even from the same browser.
/// Real Flask-Login 0.6.3 does the same (measured: the restoring request 200, the next one a
/// 302 to the login view with the remember cookie deleted).
#[test]
fn strong_protection_wipes_a_remembered_login_on_its_second_request() {
    let mut t = Walker::open(ID);
    t.step_from("login");
    t.act(session_lab::lab::Action::Configure(
        "SESSION_PROTECTION",
        "strong",
    ));
    t.act(session_lab::lab::Action::RestartBrowser);
    t.act(session_lab::lab::Action::Navigate("/account"));
    let restored = t.log().last().unwrap();
    assert_eq!(
        restored.cookie.as_deref(),
        Some(format!("remember_token={ADA}").as_str())
    );
    assert_eq!(restored.status(), 200);
    let id = restored.id;
    t.act(session_lab::lab::Action::Navigate("/account"));
    let next = &t.log()[id + 1];
    assert_eq!(next.status(), 302);
    assert_eq!(next.header("Location"), Some("/login?next=%2Faccount"));
    assert_eq!(remember_line(next), Some(DELETE_REMEMBER));
}

/// One browser's session with the app: what the engine and real Flask (the code panel's
/// program) answer must agree, bodies included.
fn script(token: &'static str) -> Vec<Op> {
    let sign_in = req(
        "POST",
        "/login",
        &[
            ("username", "ada"),
            ("password", "lovelace"),
            ("remember", "yes"),
        ],
    );
    let mut ops = vec![
        Op::UserAgent(ADA_AGENT),
        req("GET", "/account", &[]),
        req("GET", "/login", &[]),
        req(
            "POST",
            "/login",
            &[("username", "ada"), ("password", "nope")],
        ),
        req("POST", "/login", &[("username", "bob")]),
        sign_in.clone(),
        req("GET", "/login", &[]),
        req("GET", "/account", &[]),
        req("GET", "/settings", &[]),
        req("GET", "/logout", &[]),
        req("GET", "/account", &[]),
        // The copy of the remember cookie, put back after the logout.
        Op::Set(REMEMBER_COOKIE, token.to_string()),
        req("GET", "/account", &[]),
        Op::Clear,
        sign_in,
    ];
    ops.extend([
        Op::Restart,
        req("GET", "/account", &[]),
        req("GET", "/settings", &[]),
        req("GET", "/reauth?next=%2Fsettings", &[]),
        req("POST", "/reauth", &[("password", "nope")]),
        req("POST", "/reauth", &[("password", "lovelace")]),
        req("GET", "/settings", &[]),
        Op::UserAgent(EVE_AGENT),
        req("GET", "/account", &[]),
        req("GET", "/settings", &[]),
        req("GET", "/logout", &[]),
        req("GET", "/login", &[]),
    ]);
    ops
}

#[test]
fn the_flask_code_behaves_like_the_engine() {
    // Signed in with "remember me", the login is fresh (/settings 200); after the logout the
    // copied cookie signs ada in again (request 10); a login restored after a restart (12) is
    // sent to /reauth (13) until the password is confirmed (16, 17); basic protection lets
    // another User-Agent in (18) but not to /settings (19).
    let before = compare_with(ID, &script(ADA), false, true);
    let statuses: Vec<u16> = before.iter().map(|o| o.status).collect();
    let mut expected = [
        302, 200, 200, 200, 302, 200, 200, 200, 302, 302, 200, 302, 200, 302, 200, 200, 302, 200,
        200, 302, 302, 200,
    ];
    assert_eq!(statuses, expected);
    assert!(before[4]
        .cookies
        .contains(&format!("remember_token:persistent:{ADA}")));
    assert!(before[10].body.contains("Account of ada"));
    assert_eq!(
        before[13].location.as_deref(),
        Some("/reauth?next=%2Fsettings")
    );
    // After it the cookie copied at generation 1 loads nobody once she has logged out; the
    // next sign-in gets generation 2, and the rest is as before.
    let after = compare_with(ID, &script(ADA_1), true, true);
    let statuses: Vec<u16> = after.iter().map(|o| o.status).collect();
    expected[10] = 302;
    assert_eq!(statuses, expected);
    assert!(after[4]
        .cookies
        .contains(&format!("remember_token:persistent:{ADA_1}")));
    assert_eq!(
        after[10].location.as_deref(),
        Some("/login?next=%2Faccount")
    );
    assert!(after[11]
        .cookies
        .contains(&format!("remember_token:persistent:{ADA_2}")));
}
