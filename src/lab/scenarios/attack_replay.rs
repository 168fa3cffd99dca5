//! Scenario `attack-replay`: a copy of Flask's session cookie, taken before logging out,
//! signs its holder in again until it is older than `PERMANENT_SESSION_LIFETIME`; a
//! server-side session is deleted at logout and the copy finds nothing.

use super::Scenario;
use crate::engine::apps::seed_004::{self, Variant};
use crate::engine::apps::Services;
use crate::engine::flask::app::App;
use crate::engine::flask::config::ConfigValue;
use crate::engine::flask::sessions::CookieVerdict;
use crate::engine::flask_session::StartupError;
use crate::engine::itsdangerous::signing::UnsignError;
use crate::lab::flask_code::Settings;
use crate::lab::lesson::{
    accepted, bare_id, get, payload_json, post, redirects_to, session_deleted, session_sent,
    session_set, Lesson, Myth, Step,
};
use crate::lab::{Action, Exchange};

/// This app's `PERMANENT_SESSION_LIFETIME`: five minutes, so that the age limit can be seen.
pub const LIFETIME: i64 = 5 * 60;

pub const SCENARIO: Scenario = super::seed_004::variant(
    "attack-replay",
    "Attack: replay after logout",
    "A cookie copied before logout signs in again afterwards: a cookie session until its \
     signature is too old, a server-side session not at all.",
    app,
    lesson,
    settings,
)
.showing(super::Shown::ATTACKER);

/// Tutorial 004's first program with `PERMANENT_SESSION_LIFETIME` of five minutes: the
/// session stays non-permanent (no `Expires`), but Flask refuses a signature older than that.
fn app(services: Services) -> Result<App, StartupError> {
    let mut app = seed_004::app(Variant::ClientTemp, services)?;
    app.config
        .set("PERMANENT_SESSION_LIFETIME", ConfigValue::Int(LIFETIME))
        .expect("an int lifetime");
    Ok(app)
}

fn settings() -> Settings {
    Settings::client("supersecretkey", false, LIFETIME)
}

const SIGN_IN: Action = Action::Submit {
    action: "/login",
    fields: &[("next", "None"), ("username", "ada")],
};

/// A value this browser had sent to `/logout`, which answered by deleting the cookie:
/// whoever sends it again is replaying a logged-out session.
fn logged_out_before(log: &[Exchange], i: usize, value: &str) -> bool {
    log[..i].iter().any(|p| {
        get(p, "/logout") && session_deleted(p) && session_sent(p).as_deref() == Some(value)
    })
}

/// A protected page requested with a cookie that was logged out earlier, with what came of it.
fn replays(log: &[Exchange]) -> impl Iterator<Item = (&Exchange, String)> {
    log.iter().enumerate().filter_map(|(i, e)| {
        let value = session_sent(e)?;
        (get(e, "/about") && logged_out_before(log, i, &value)).then_some((e, value))
    })
}

fn signed_login(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        post(e, "/login")
            && session_set(e).is_some_and(|c| payload_json(c.value).is_some() && !c.persistent())
    })
}

fn copied_then_logged_out(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        get(e, "/logout")
            && session_deleted(e)
            && session_sent(e).is_some_and(|v| payload_json(&v).is_some())
    })
}

fn signed_copy_accepted(log: &[Exchange]) -> bool {
    replays(log).any(|(e, v)| payload_json(&v).is_some() && e.status() == 200 && accepted(e))
}

fn signed_copy_too_old(log: &[Exchange]) -> bool {
    replays(log).any(|(e, v)| {
        payload_json(&v).is_some()
            && redirects_to(e, "/login")
            && matches!(
                e.verdict,
                Some(CookieVerdict::Rejected(UnsignError::Expired { .. }))
            )
    })
}

fn server_side_logout(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        get(e, "/logout") && session_deleted(e) && session_sent(e).is_some_and(|v| bare_id(&v))
    })
}

fn id_copy_refused(log: &[Exchange]) -> bool {
    replays(log).any(|(e, v)| {
        bare_id(&v)
            && redirects_to(e, "/login")
            && e.verdict == Some(CookieVerdict::UnknownSessionId)
    })
}

fn lesson() -> Lesson {
    Lesson {
        intro: "Tutorial 004's site with Flask's own session, and PERMANENT_SESSION_LIFETIME \
                set to five minutes (Flask's default is 31 days). The attacker copies the \
                session cookie while the user is signed in; the user then logs out. \
                session.clear() makes Flask tell the browser to delete its cookie, but the \
                server keeps no list of the cookies it signed, so it cannot refuse a copy."
            .into(),
        steps: vec![
            Step {
                id: "login",
                todo: "Open /login and sign in as ada.",
                watch: "POST /login sets the signed session cookie, with no Expires.",
                why: "The whole session is in this value, signed with a timestamp. Whoever \
                      sends it back is ada, as far as Flask can tell.",
                doit: &[Action::Navigate("/login"), SIGN_IN],
                done: signed_login,
            },
            Step {
                id: "copy-logout",
                todo: "As the attacker, copy every cookie; then, as ada, log out.",
                watch: "GET /logout sends the cookie and gets back Set-Cookie: session=; \
                        Expires=Thu, 01 Jan 1970 …; Max-Age=0: the browser forgets it.",
                why: "Logging out empties the session, and Flask answers an emptied session \
                      by deleting the cookie. Only this browser's copy is gone.",
                doit: &[Action::Steal { script: false }, Action::Navigate("/logout")],
                done: copied_then_logged_out,
            },
            Step {
                id: "replay",
                todo: "Put the copy back into the browser and open /about.",
                watch: "The logged-out cookie goes out again, its signature verifies, and \
                        /about answers 200 with Welcome ada!",
                why: "Flask checks the signature and the age of the signature, nothing else. \
                      The copy is as good as it was before the logout.",
                doit: &[Action::Plant, Action::Navigate("/about")],
                done: signed_copy_accepted,
            },
            Step {
                id: "age-limit",
                todo: "Move the clock past five minutes after the sign-in and open /about \
                       again.",
                watch: "The same copy is sent, and Flask refuses it: the wire notes that the \
                        signature is older than the 300 seconds allowed; a 302 to /login.",
                why: "Flask passes PERMANENT_SESSION_LIFETIME to itsdangerous as max_age for \
                      every session cookie, permanent or not: a short lifetime bounds how long \
                      a copy works (though a permanent session is re-signed on every request \
                      by default, so a copy that is used never gets old). The other remedy is a new SECRET_KEY, which ends \
                      every cookie session at once, everyone's.",
                doit: &[Action::Advance(LIFETIME + 1), Action::Navigate("/about")],
                done: signed_copy_too_old,
            },
            Step {
                id: "fix",
                todo: "Keep the session on the server (Flask-Session). Sign in again, copy the \
                       cookie as the attacker, and log out.",
                watch: "The cookie is now a bare id. /logout deletes it in the browser and \
                        removes session:<id> from the store pane.",
                why: "Flask-Session deletes the stored session when the view empties it, so \
                      the id no longer points at anything.",
                doit: &[
                    Action::ServerSide(true),
                    Action::Navigate("/login"),
                    SIGN_IN,
                    Action::Steal { script: false },
                    Action::Navigate("/logout"),
                ],
                done: server_side_logout,
            },
            Step {
                id: "replay-again",
                todo: "Put the copy back and open /about.",
                watch: "The old id goes out; the store has no such session, so Flask-Session \
                        starts a new one and /about answers 302 to /login.",
                why: "The server decides, on every request, whether the session exists. \
                      Logging out on the server is the only way to end every copy of one \
                      session at once.",
                doit: &[Action::Plant, Action::Navigate("/about")],
                done: id_copy_refused,
            },
        ],
        myths: vec![
            super::seed_004::cookie_logout_myth(
                "With a cookie session, logging out deletes the browser's copy only. Any other \
                 copy keeps working until its signature is older than \
                 PERMANENT_SESSION_LIFETIME (31 days by default, five minutes here).",
            ),
            Myth {
                claim: "Tutorial 000 says a session is over when the user closes the browser \
                        or logs out.",
                truth: "For a cookie session both only remove the browser's copy. The session \
                        is over for a copy only when the server stops accepting it: at the age \
                        limit, or when SECRET_KEY changes.",
                shown_by: "Step \"replay\"".into(),
            },
            Myth {
                claim: "Tutorial 000 says nothing can clear a session, except changing \
                        SECRET_KEY, which wipes it.",
                truth: "A new SECRET_KEY (without the old one in SECRET_KEY_FALLBACKS) does \
                        make every cookie session invalid: everyone's, at once. A server-side \
                        session can be ended one at a time, and session.clear() always clears \
                        the session of the request it runs in.",
                shown_by: "Step \"replay-again\"".into(),
            },
            Myth {
                claim: "Tutorial 002 advises regenerating session ids at login and logout so an \
                        old id cannot be used.",
                truth: "Flask's cookie session has no id to regenerate: the cookie is the \
                        session, and an old copy stays valid until it is too old. Regenerating \
                        helps with Flask-Session, where the old id is deleted from the store.",
                shown_by: "Step \"replay\"".into(),
            },
        ],
    }
}
