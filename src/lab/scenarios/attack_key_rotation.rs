//! Scenario `attack-key-rotation`: changing `SECRET_KEY` with and without
//! `SECRET_KEY_FALLBACKS`, and CVE-2025-47278 (Flask 3.1.0 signed new cookies with the last
//! fallback), reproduced with the lab's own `LAB_FLASK_3_1_0` switch.

use super::seed_004::{FIVE_MINUTES, SIGN_IN_FROM_ABOUT};
use super::Scenario;
use crate::engine::apps::seed_004::{self, Variant};
use crate::engine::apps::Services;
use crate::engine::flask::app::App;
use crate::engine::flask::config::LAB_FLASK_3_1_0;
use crate::engine::flask_session::StartupError;
use crate::engine::itsdangerous::signing::Serializer;
use crate::lab::flask_code::Settings;
use crate::lab::lesson::{
    accepted, bare_id, get, post, redirects_to, refused, session_sent, session_set, Lesson, Myth,
    Step,
};
use crate::lab::{Action, Exchange};

pub const SCENARIO: Scenario = super::seed_004::variant(
    "attack-key-rotation",
    "Attack: rotating the secret key",
    "Change SECRET_KEY and every signed-in user is out, unless the old key stays as a \
     fallback; and how Flask 3.1.0 kept signing with the old key (CVE-2025-47278).",
    app,
    lesson,
    settings,
)
.showing(super::Shown::ATTACKER);

/// The key the app starts with (tutorial 004's).
pub const KEY_START: &str = "supersecretkey";
/// The first new key, put in without a fallback.
pub const KEY_MARCH: &str = "march-key";
/// The second new key, put in with `KEY_MARCH` as the fallback.
pub const KEY_JUNE: &str = "june-key";
/// A key for the server-side step: Flask-Session does not use it.
pub const KEY_OCTOBER: &str = "october-key";

fn app(services: Services) -> Result<App, StartupError> {
    seed_004::app(Variant::ClientPersist, services)
}

fn settings() -> Settings {
    Settings::client(KEY_START, true, FIVE_MINUTES)
}

// ---------------------------------------------------------------------------------------------
// Reading the log: which key signed a cookie is worked out from the lesson's own keys.

/// Whether `key` (alone) made the signature on the cookie `value`.
pub fn signed_with(value: &str, key: &str) -> bool {
    Serializer::flask_session(key, &[])
        .verify_signature(value)
        .is_ok()
}

/// The request carried a cookie signed with `key`.
fn sent_under(e: &Exchange, key: &str) -> bool {
    session_sent(e).is_some_and(|v| signed_with(&v, key))
}

/// The answer set a cookie signed with `key`.
fn set_under(e: &Exchange, key: &str) -> bool {
    session_set(e).is_some_and(|c| signed_with(c.value, key))
}

/// A cookie signed with `old` was accepted and the answer re-signed it with `new`: `old`
/// verified while `new` was signing.
fn accepted_and_resigned(e: &Exchange, old: &str, new: &str) -> bool {
    sent_under(e, old) && accepted(e) && set_under(e, new)
}

fn about_refused(e: &Exchange, key: &str) -> bool {
    get(e, "/about") && sent_under(e, key) && refused(e) && redirects_to(e, "/login")
}

/// The positions where `f` holds.
fn positions(log: &[Exchange], f: impl Fn(&Exchange) -> bool) -> Vec<usize> {
    (0..log.len()).filter(|&i| f(&log[i])).collect()
}

/// The first position after `from` where `f` holds.
fn after(log: &[Exchange], from: Option<usize>, f: impl Fn(&Exchange) -> bool) -> Option<usize> {
    let from = from?;
    positions(log, f).into_iter().find(|&i| i > from)
}

fn signed_in(log: &[Exchange]) -> bool {
    log.iter()
        .any(|e| post(e, "/login") && e.status() == 302 && set_under(e, KEY_START))
}

fn out_after_rotation(log: &[Exchange]) -> bool {
    log.iter().any(|e| about_refused(e, KEY_START))
}

/// Step "fallback": the March cookie accepted under June, and re-signed with June.
fn kept_by_fallback(log: &[Exchange]) -> Option<usize> {
    positions(log, |e| accepted_and_resigned(e, KEY_MARCH, KEY_JUNE))
        .first()
        .copied()
}

/// Step "flask-3-1-0": a June cookie re-signed with the March fallback.
fn signed_with_fallback(log: &[Exchange]) -> Option<usize> {
    positions(log, |e| accepted_and_resigned(e, KEY_JUNE, KEY_MARCH))
        .first()
        .copied()
}

/// Step "retire-on-3-1-0": after that, the March cookie refused.
fn retired_too_early(log: &[Exchange]) -> Option<usize> {
    after(log, signed_with_fallback(log), |e| {
        about_refused(e, KEY_MARCH)
    })
}

/// Step "upgrade": after that, the March cookie accepted again and re-signed with June.
fn upgraded(log: &[Exchange]) -> Option<usize> {
    after(log, retired_too_early(log), |e| {
        accepted_and_resigned(e, KEY_MARCH, KEY_JUNE)
    })
}

/// Step "retire": after that, the June cookie opens /about.
fn retired_in_time(log: &[Exchange]) -> Option<usize> {
    after(log, upgraded(log), |e| {
        get(e, "/about") && e.status() == 200 && sent_under(e, KEY_JUNE) && accepted(e)
    })
}

fn server_side_unmoved(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        get(e, "/about")
            && e.status() == 200
            && accepted(e)
            && session_sent(e).is_some_and(|v| bare_id(&v))
            && session_set(e).is_none_or(|c| bare_id(c.value))
    }) && log
        .iter()
        .any(|e| post(e, "/login") && session_set(e).is_some_and(|c| bare_id(c.value)))
}

fn lesson() -> Lesson {
    Lesson {
        intro: format!(
            "Flask signs the session cookie with SECRET_KEY. Change the key and every cookie \
             signed with the old one stops verifying: Flask treats it as no session, so every \
             signed-in user is signed out at once. SECRET_KEY_FALLBACKS (Flask 3.1) lists old \
             keys that still verify; new cookies are signed with SECRET_KEY, and since this \
             app's session is permanent, each request re-signs the cookie with the new key, so \
             active users move over without noticing. Flask 3.1.0 built its key list in the \
             wrong order and signed new cookies with the last fallback instead \
             (CVE-2025-47278, fixed in 3.1.1). The lab reproduces 3.1.0 with a setting of its \
             own, {LAB_FLASK_3_1_0}: it is not a Flask setting, and turning it off stands for \
             upgrading. Keys here: {KEY_START}, then {KEY_MARCH}, then {KEY_JUNE}. To see which \
             key signed a cookie, paste it into the Decoder with these keys."
        ),
        steps: vec![
            Step {
                id: "sign-in",
                todo: "Open /about and sign in.",
                watch: "The session cookie, signed with supersecretkey, Expires five minutes \
                        ahead.",
                why: "The app makes the session permanent at sign-in, so every later request \
                      gets the cookie back, signed again.",
                doit: &[Action::Navigate("/about"), SIGN_IN_FROM_ABOUT],
                done: signed_in,
            },
            Step {
                id: "rotate",
                todo: "Set SECRET_KEY to march-key, with no fallback, and open /about.",
                watch: "The cookie still goes out, the verdict says BadSignature, and /about \
                        sends you to /login.",
                why: "The signature is an HMAC-SHA1 under a key derived from SECRET_KEY; \
                      under march-key it does not match. Flask does not fail the request: it starts an empty \
                      session, which for every user means being signed out.",
                doit: &[
                    Action::Configure("SECRET_KEY", KEY_MARCH),
                    Action::Navigate("/about"),
                ],
                done: out_after_rotation,
            },
            Step {
                id: "fallback",
                todo: "Sign in again, then rotate to june-key keeping march-key in \
                       SECRET_KEY_FALLBACKS, and open /about.",
                watch: "/about answers 200 to the march-key cookie, and its Set-Cookie is \
                        signed with june-key.",
                why: "itsdangerous tries every key, newest first, and signs with the newest. \
                      Flask 3.1.1 and later pass SECRET_KEY_FALLBACKS + [SECRET_KEY], so \
                      SECRET_KEY is the newest.",
                doit: &[
                    SIGN_IN_FROM_ABOUT,
                    Action::Configure("SECRET_KEY", KEY_JUNE),
                    Action::List("SECRET_KEY_FALLBACKS", &[KEY_MARCH]),
                    Action::Navigate("/about"),
                ],
                done: |log| kept_by_fallback(log).is_some(),
            },
            Step {
                id: "flask-3-1-0",
                todo: "Turn on LAB_FLASK_3_1_0 (the lab's stand-in for running Flask 3.1.0) \
                       and open /about.",
                watch: "The june-key cookie is accepted, and the new Set-Cookie is signed with \
                        march-key, the old key.",
                why: "Flask 3.1.0 passed [SECRET_KEY] + SECRET_KEY_FALLBACKS. itsdangerous signs \
                      with the last key of the list, which was then the last fallback. Every \
                      cookie still verifies, so nobody notices.",
                doit: &[
                    Action::Switch(LAB_FLASK_3_1_0, true),
                    Action::Navigate("/about"),
                ],
                done: |log| signed_with_fallback(log).is_some(),
            },
            Step {
                id: "retire-on-3-1-0",
                todo: "Finish the rotation: empty SECRET_KEY_FALLBACKS, and open /about.",
                watch: "The cookie Flask 3.1.0 signed a moment ago is refused: signed out.",
                why: "Dropping the old key is the point of rotating (say it leaked). On 3.1.0 \
                      the users were still being issued cookies under that key, so retiring it \
                      signs them out, and until then the leaked key kept signing.",
                doit: &[
                    Action::List("SECRET_KEY_FALLBACKS", &[]),
                    Action::Navigate("/about"),
                ],
                done: |log| retired_too_early(log).is_some(),
            },
            Step {
                id: "upgrade",
                todo: "Upgrade: turn LAB_FLASK_3_1_0 off, put march-key back as the fallback, \
                       and open /about.",
                watch: "The march-key cookie verifies again, and the answer re-signs it with \
                        june-key.",
                why: "Flask 3.1.1 puts SECRET_KEY last (GHSA-4grg-w6v8-c28g), so the current \
                      key signs and the fallbacks only verify.",
                doit: &[
                    Action::Switch(LAB_FLASK_3_1_0, false),
                    Action::List("SECRET_KEY_FALLBACKS", &[KEY_MARCH]),
                    Action::Navigate("/about"),
                ],
                done: |log| upgraded(log).is_some(),
            },
            Step {
                id: "retire",
                todo: "Empty SECRET_KEY_FALLBACKS again and open /about.",
                watch: "200: the cookie is signed with june-key, so dropping march-key costs \
                        this user nothing.",
                why: "A user who came back while march-key was a fallback now holds a june-key \
                      cookie. Keep the old key as long as the cookies it signed may live \
                      (PERMANENT_SESSION_LIFETIME), then drop it.",
                doit: &[
                    Action::List("SECRET_KEY_FALLBACKS", &[]),
                    Action::Navigate("/about"),
                ],
                done: |log| retired_in_time(log).is_some(),
            },
            Step {
                id: "server-side",
                todo: "Move the session to Flask-Session's store, sign in, set SECRET_KEY to \
                       october-key and open /about.",
                watch: "The cookie is a bare id, and /about answers 200 after the key change.",
                why: "Flask-Session 0.8 does not sign its id unless SESSION_USE_SIGNER is on, \
                      so SECRET_KEY plays no part: rotating it signs nobody out. To end \
                      server-side sessions, delete them from the store.",
                doit: &[
                    Action::ServerSide(true),
                    Action::Navigate("/about"),
                    SIGN_IN_FROM_ABOUT,
                    Action::Configure("SECRET_KEY", KEY_OCTOBER),
                    Action::Navigate("/about"),
                ],
                done: server_side_unmoved,
            },
        ],
        myths: vec![
            Myth {
                claim: "Tutorial 000 says nothing can clear a session, and that changing \
                        SECRET_KEY wipes the session dictionary.",
                truth: "session.clear() clears it, as this app's /logout does. Changing the key \
                        wipes nothing: old cookies stay in browsers with their readable data, \
                        they just stop verifying, so everyone starts over with an empty \
                        session. With the old key in SECRET_KEY_FALLBACKS they keep working.",
                shown_by: "Step \"rotate\"".into(),
            },
            Myth {
                claim: "A common belief: a key in SECRET_KEY_FALLBACKS is only ever used to \
                        check old cookies.",
                truth: "True from Flask 3.1.1. Flask 3.1.0 signed every new cookie with the last \
                        fallback (CVE-2025-47278), so a retired key stayed in use.",
                shown_by: "Step \"flask-3-1-0\"".into(),
            },
        ],
    }
}
