//! Scenario `attack-read`: Flask's signed session cookie is readable by anyone who holds it;
//! with a server-side session the cookie is an id that says nothing.

use super::Scenario;
use crate::engine::apps::seed_004::{self, Variant};
use crate::engine::apps::Services;
use crate::engine::flask::app::App;
use crate::engine::flask_session::StartupError;
use crate::lab::flask_code::{Settings, DEFAULT_LIFETIME};
use crate::lab::lesson::{
    accepted, bare_id, get, payload_json, post, session_sent, session_set, Lesson, Myth, Step,
};
use crate::lab::{Action, Exchange};

pub const SCENARIO: Scenario = super::seed_004::variant(
    "attack-read",
    "Attack: read the session",
    "Anyone holding Flask's session cookie can read what is in it, without the key; a \
     server-side session's cookie is an id that tells nothing.",
    app,
    lesson,
    settings,
)
.showing(super::Shown::ATTACKER);

fn app(services: Services) -> Result<App, StartupError> {
    seed_004::app(Variant::ClientTemp, services)
}

fn settings() -> Settings {
    Settings::client("supersecretkey", false, DEFAULT_LIFETIME)
}

/// Signing in from the form `/login` shows when opened directly (its hidden `next` is the
/// text `None`).
const SIGN_IN: Action = Action::Submit {
    action: "/login",
    fields: &[("next", "None"), ("username", "ada")],
};

/// The JSON a cookie value carries, when it is a signed Flask cookie holding `user_name`.
fn readable(value: &str) -> bool {
    payload_json(value).is_some_and(|json| json.contains("\"user_name\""))
}

fn login_readable(log: &[Exchange]) -> bool {
    log.iter()
        .any(|e| post(e, "/login") && session_set(e).is_some_and(|c| readable(c.value)))
}

fn readable_cookie_sent(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        get(e, "/about")
            && e.status() == 200
            && accepted(e)
            && session_sent(e).is_some_and(|v| readable(&v))
    })
}

fn login_sets_bare_id(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        post(e, "/login")
            && session_set(e).is_some_and(|c| bare_id(c.value) && payload_json(c.value).is_none())
    })
}

fn opaque_cookie_sent(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        get(e, "/about")
            && e.status() == 200
            && accepted(e)
            && session_sent(e).is_some_and(|v| bare_id(&v) && payload_json(&v).is_none())
    })
}

fn lesson() -> Lesson {
    Lesson {
        intro: "Tutorial 004's site with Flask's own session. Signing in stores user_name, \
                lang and theme in the session, and Flask writes the whole session into the \
                cookie. The cookie is signed so that it cannot be changed, not encrypted: its \
                first part is the session's JSON in URL-safe base64 (zlib-compressed first \
                when that is shorter, marked by a leading dot). Here you copy it as an \
                attacker would and read it without knowing SECRET_KEY."
            .into(),
        steps: vec![
            Step {
                id: "login",
                todo: "Open /login and sign in as ada.",
                watch: "POST /login sets session=eyJ…: the part before the first dot decodes \
                        to {\"lang\":\"en\",\"theme\":\"dark\",\"user_name\":\"ada\"}. The \
                        state pane shows it decoded.",
                why: "Flask serialises the session to compact JSON, base64-encodes it, and \
                      appends a timestamp and an HMAC signature. Only the signature needs \
                      the key; the decoding needs none.",
                doit: &[Action::Navigate("/login"), SIGN_IN],
                done: login_readable,
            },
            Step {
                id: "read",
                todo: "As the attacker, copy every cookie, then open /about.",
                watch: "The copy holds the same value; every request carries it in the Cookie \
                        header, readable by whoever sees the traffic or the jar.",
                why: "Decoding is one base64 step (and zlib for big sessions): the Decoder \
                      page, Flask-Unsign or three lines of Python all do it, no key needed. \
                      Do not put anything in a cookie session that the user (or a thief) \
                      must not read.",
                doit: &[Action::Steal { script: false }, Action::Navigate("/about")],
                done: readable_cookie_sent,
            },
            Step {
                id: "fix",
                todo: "Keep the session on the server (Flask-Session), then sign in again.",
                watch: "POST /login now sets session=<43 characters> with no dots: a random \
                        id. The data sits in the store pane.",
                why: "Flask-Session keeps the session in its store under \
                      session:<id> and sends only the id, 32 random bytes from \
                      secrets.token_urlsafe.",
                doit: &[
                    Action::ServerSide(true),
                    Action::Navigate("/login"),
                    SIGN_IN,
                ],
                done: login_sets_bare_id,
            },
            Step {
                id: "read-again",
                todo: "Copy the cookies again and open /about.",
                watch: "The copied cookie is the bare id: nothing to decode, and the state \
                        pane has no payload to show.",
                why: "The id reveals nothing about the session. It still signs in whoever \
                      sends it until the session ends (see the hijack scenario), but the data never \
                      leaves the server.",
                doit: &[Action::Steal { script: false }, Action::Navigate("/about")],
                done: opaque_cookie_sent,
            },
        ],
        myths: vec![
            Myth {
                claim: "Tutorial 001 says sessions use the secret key for encryption.",
                truth: "Flask's session is signed, not encrypted. The key makes the signature; \
                        the data is base64 that anyone can decode.",
                shown_by: "Step \"read\"".into(),
            },
            Myth {
                claim: "Tutorial 003 calls session data encrypted information stored on the \
                        server.",
                truth: "With Flask's default interface the whole session is in the cookie, in \
                        the browser, readable. Only a server-side store such as Flask-Session \
                        keeps it on the server.",
                shown_by: "Step \"login\"".into(),
            },
            Myth {
                claim: "Tutorial 002 says Flask automatically encrypts session data with the \
                        secret key.",
                truth: "Nothing in Flask encrypts the session. SECRET_KEY only signs it, so \
                        that a changed cookie is refused (see the tamper scenario).",
                shown_by: "Step \"read\"".into(),
            },
        ],
    }
}
