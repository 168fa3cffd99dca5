//! Scenario `attack-weak-key`: tutorial 004's site, whose cookies are signed with
//! `supersecretkey`. One captured cookie is enough to find the key offline (the cracker, in the
//! page), and the key is enough to sign any session the server will accept. A key of 32 random
//! bytes ends it: the same forgery is refused.
//!
//! The cracking itself sends nothing, so no step can see it in the network log. The "crack"
//! step ticks when the log shows what only the key makes possible: the server accepting a
//! session cookie it never issued. Its "Do it" signs a harmless change with the key the
//! cracker finds; the cracker's own "Forge" button ticks it (and the next step) too.

use super::Scenario;
use crate::engine::apps::seed_004::{self, Variant};
use crate::engine::apps::Services;
use crate::engine::flask::app::App;
use crate::engine::flask::tagged_json;
use crate::engine::flask_session::StartupError;
use crate::engine::itsdangerous::crack::Target;
use crate::engine::py::value::Value;
use crate::lab::flask_code::Settings;
use crate::lab::lesson::{
    accepted, get, payload_json, post, redirects_to, refused, session_sent, session_set, Lesson,
    Myth, Step,
};
use crate::lab::{Action, BrowserId, Exchange};

pub const SCENARIO: Scenario = super::seed_004::variant(
    "attack-weak-key",
    "Attack: crack a weak secret key",
    "One captured cookie gives away a dictionary-word SECRET_KEY in milliseconds, and the key \
     signs any session the server accepts; 32 random bytes end it.",
    app,
    lesson,
    settings,
)
.showing(super::Shown {
    cracker: true,
    ..super::Shown::ATTACKER
});

/// Tutorial 004's key.
pub const WEAK_KEY: &str = "supersecretkey";

/// The fix: what `secrets.token_hex(32)` printed once (64 hex digits, 256 random bits).
pub const STRONG_KEY: &str = "929dcafc613ebcd8a2adad15fa56c066cdc2c056f7523d15fd06a29bd3d33afb";

/// The session tutorial 004's login writes for ada, with a harmless change (`theme`).
const HARMLESS: &str = r#"{"lang":"en","theme":"light","user_name":"ada"}"#;
/// The same session made an admin's.
const ADMIN: &str = r#"{"lang":"en","theme":"dark","user_name":"admin"}"#;

const SIGN_IN: Action = Action::Submit {
    action: "/login",
    fields: &[("next", "None"), ("username", "ada")],
};

fn app(services: Services) -> Result<App, StartupError> {
    seed_004::app(Variant::ClientTemp, services)
}

fn settings() -> Settings {
    Settings::client(WEAK_KEY, false, crate::lab::flask_code::DEFAULT_LIFETIME)
}

fn members_page(e: &Exchange) -> bool {
    get(e, "/about") || get(e, "/contact")
}

/// The `user_name` in a signed session cookie, read without the key.
fn user_name(value: &str) -> Option<String> {
    let dict = tagged_json::loads_dict(&payload_json(value)?).ok()?;
    match dict.get("user_name") {
        Some(Value::Str(name)) => Some(name.clone()),
        _ => None,
    }
}

/// The session cookie exchange `i` carried, when the server never issued it: no earlier
/// answer, to any browser, set that value (a cookie copied from another browser was issued).
fn not_issued(log: &[Exchange], i: usize) -> Option<String> {
    let sent = session_sent(&log[i])?;
    let issued = log[..i]
        .iter()
        .any(|p| session_set(p).is_some_and(|c| c.value == sent));
    (!issued).then_some(sent)
}

/// Whether the signed session cookie `value` resists the whole built-in list: no key in it
/// signed the cookie. Remembered per value (the answer never changes), so that reading the
/// log again costs nothing.
fn resists_the_list(value: &str) -> bool {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static KNOWN: RefCell<HashMap<String, bool>> = RefCell::new(HashMap::new());
    }
    if let Some(known) = KNOWN.with(|k| k.borrow().get(value).copied()) {
        return known;
    }
    let Ok(target) = Target::flask_session(value) else {
        return false;
    };
    let keys: Vec<&[u8]> = crate::lab::wordlist::builtin()
        .iter()
        .map(|k| k.as_bytes())
        .collect();
    let resists = target.try_many(&keys).is_none();
    KNOWN.with(|k| k.borrow_mut().insert(value.to_string(), resists));
    resists
}

/// A sign-in answered with a signed session cookie.
fn signed_in(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        post(e, "/login")
            && e.browser == BrowserId::Main
            && session_set(e).is_some_and(|c| c.value.contains('.'))
    })
}

/// The server accepted a session cookie it never issued: someone else signed it.
fn accepted_foreign(log: &[Exchange]) -> bool {
    (0..log.len()).any(|i| accepted(&log[i]) && not_issued(log, i).is_some())
}

/// A members-only page served to a cookie the server never issued, naming admin.
fn admin_accepted(log: &[Exchange]) -> bool {
    (0..log.len()).any(|i| {
        let e = &log[i];
        members_page(e)
            && e.status() == 200
            && accepted(e)
            && not_issued(log, i).is_some_and(|c| user_name(&c).as_deref() == Some("admin"))
    })
}

/// Where the server first signed in with a key that no key of the built-in list matches: the
/// new key is not just another weak one.
fn strong_login_at(log: &[Exchange]) -> Option<usize> {
    log.iter().position(|e| {
        post(e, "/login") && session_set(e).is_some_and(|c| resists_the_list(c.value))
    })
}

fn strong_key_in_use(log: &[Exchange]) -> bool {
    strong_login_at(log).is_some()
}

/// After the key changed, a forged admin cookie was refused on a members-only page.
fn forgery_refused(log: &[Exchange]) -> bool {
    let Some(from) = strong_login_at(log) else {
        return false;
    };
    (from + 1..log.len()).any(|i| {
        let e = &log[i];
        members_page(e)
            && refused(e)
            && redirects_to(e, "/login")
            && not_issued(log, i).is_some_and(|c| user_name(&c).as_deref() == Some("admin"))
    })
}

fn lesson() -> Lesson {
    Lesson {
        intro: "Tutorial 004's site, with its sessions in Flask's signed cookie and \
                SECRET_KEY = \"supersecretkey\". The signature is an HMAC-SHA1 computed from \
                SECRET_KEY, so whoever holds one cookie can test guesses for the key on their \
                own machine, as fast as it computes, without sending the server a single \
                request. The key cracker below does that in this page. A key found is a key to \
                every account: sign any session and the server takes it as its own."
            .into(),
        steps: vec![
            Step {
                id: "login",
                todo: "Sign in as ada: the cookie you get is all an attacker needs.",
                watch: "POST /login sets session=eyJ…: payload, timestamp and signature. The \
                        cracker's cookie field follows it.",
                why: "Any cookie the app signed will do: the passwords or the page it came from \
                      do not matter, only that SECRET_KEY signed it. An attacker gets one by \
                      signing up, or from a stolen cookie.",
                doit: &[Action::Navigate("/login"), SIGN_IN],
                done: signed_in,
            },
            Step {
                id: "crack",
                todo: "In the key cracker below, keep the built-in list and press Start.",
                watch: "The progress bar and the keys per second, while the wire stays \
                        still. The step ticks once the server accepts a cookie signed with the \
                        key found: the cracker's Forge button, or Do it (a harmless change, \
                        theme light).",
                why: "For each candidate the cracker derives the signing key as itsdangerous \
                      does (HMAC-SHA1 of the salt \"cookie-session\" under the candidate), signs \
                      payload.timestamp with it, and compares with the cookie's signature. \
                      Dictionary words and tutorial placeholders fall in milliseconds. The \
                      server sees none of it, so no rate limit or lockout can help.",
                doit: &[
                    Action::Sign {
                        json: HARMLESS,
                        key: WEAK_KEY,
                    },
                    Action::Navigate("/about"),
                ],
                done: accepted_foreign,
            },
            Step {
                id: "forge",
                todo: "Forge an admin session with the key found (the cracker's button) and \
                       open /about.",
                watch: "/about answers 200 and greets admin. The Cookie header carries \
                        user_name admin, and the server's verdict is a valid signature: the \
                        server never issued that cookie.",
                why: "Flask checks the signature and the cookie's age, nothing else. A cookie \
                      made with the key is, to the server, one it made itself. This app lets anyone \
                      sign in under any name, so here admin is only a name; in an app with \
                      passwords it would be the way around them.",
                doit: &[
                    Action::Sign {
                        json: ADMIN,
                        key: WEAK_KEY,
                    },
                    Action::Navigate("/about"),
                ],
                done: admin_accepted,
            },
            Step {
                id: "strong-key",
                todo: "Fix: set SECRET_KEY to 64 hex digits from secrets.token_hex(32), then \
                       sign in again.",
                watch: "The code panel shows the new key. The old cookie is refused on the \
                        way to /login (everyone is signed out), and the sign-in sets a cookie \
                        signed with the new key. The step ticks once that cookie resists every key \
                        of the built-in list; start the cracker on it and the list runs out.",
                why: "secrets.token_hex(32) draws 256 bits from the operating system's random \
                      source, so no list holds the key. Flask signs with a 160-bit key derived \
                      from it, and an attacker may guess that one instead, so the search is \
                      2^160 keys, not 2^256: still far beyond reach, as the cracker works out \
                      at the rate it measured. Keep the key out of the source code, and \
                      change it at once if it leaks.",
                doit: &[
                    Action::Configure("SECRET_KEY", STRONG_KEY),
                    Action::Navigate("/login"),
                    SIGN_IN,
                ],
                done: strong_key_in_use,
            },
            Step {
                id: "refused",
                todo: "Forge the admin session again with supersecretkey (the cracker's button \
                       still holds it) and open /about.",
                watch: "The verdict says the signature does not match; /about answers 302 to \
                        /login.",
                why: "The server now checks signatures with the new key, so whatever was signed \
                      with the old one fails, and Flask starts an empty session instead.",
                doit: &[
                    Action::Sign {
                        json: ADMIN,
                        key: WEAK_KEY,
                    },
                    Action::Navigate("/about"),
                ],
                done: forgery_refused,
            },
        ],
        myths: vec![
            Myth {
                claim: "Tutorial 004 sets SECRET_KEY = \"supersecretkey\", with a comment that \
                        it is required for session security.",
                truth: "A key is required, but a word is no secret: the built-in list finds \
                        this one from a single cookie, and with it anyone can sign any session. \
                        The key's strength is the session's security.",
                shown_by: "Step \"crack\"".into(),
            },
            Myth {
                claim: "Tutorial 002 says the SECRET_KEY encrypts the session data, so it \
                        should be long and random.",
                truth: "The advice is right and the reason wrong: Flask's cookie session is \
                        signed, not encrypted, and anyone can read the payload. A strong key \
                        stops forgery, not reading.",
                shown_by: "Step \"forge\"".into(),
            },
            Myth {
                claim: "A common belief: guessing the key means sending the server many \
                        requests, which rate limiting or lockouts stop.",
                truth: "The guesses are checked against a captured cookie, offline. The \
                        server sees one request, with the forged cookie, and it looks genuine.",
                shown_by: "Step \"crack\": the wire stays still while the cracker runs".into(),
            },
        ],
    }
}
