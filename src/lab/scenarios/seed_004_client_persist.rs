//! Scenario `seed-004-client-persist`: Tutorial 004's third program: a permanent cookie session of
//! five minutes.

use super::seed_004 as shared;
use super::seed_004::{
    cookie_logout_myth, login_with_expires, open_redirect_myth, open_redirect_step,
    protected_lapsed, protected_step, still_signed_in_on_contact, FIVE_MINUTES, SIGN_IN_FROM_ABOUT,
};
use super::Scenario;
use crate::engine::apps::seed_004::{self, Variant};
use crate::engine::apps::Services;
use crate::engine::flask::app::App;
use crate::engine::flask_session::StartupError;
use crate::lab::flask_code::Settings;
use crate::lab::lesson::{refreshed_later, Lesson, Myth, Step};
use crate::lab::Action;

pub const SCENARIO: Scenario = shared::variant(
    "seed-004-client-persist",
    "Persistent cookie session",
    "session.permanent = True gives the cookie an Expires date that every request \
             pushes forward, until five idle minutes end it.",
    app,
    lesson,
    settings,
);

fn app(services: Services) -> Result<App, StartupError> {
    seed_004::app(Variant::ClientPersist, services)
}

/// The settings the app runs with.
fn settings() -> Settings {
    Settings::client("supersecretkey", true, FIVE_MINUTES)
}

fn lesson() -> Lesson {
    Lesson {
        intro: "Tutorial 004's third program: Flask's cookie session, made permanent at sign-in \
                (session.permanent = True), with PERMANENT_SESSION_LIFETIME of five minutes."
            .into(),
        steps: vec![
            protected_step(),
            Step {
                id: "login",
                todo: "Sign in with any username.",
                watch: "Set-Cookie: session=…; Expires five minutes ahead. The payload starts \
                        with \"_permanent\":true.",
                why: "session.permanent = True stores _permanent in the session and tells Flask \
                      to add Expires = now + PERMANENT_SESSION_LIFETIME.",
                doit: &[SIGN_IN_FROM_ABOUT],
                done: login_with_expires,
            },
            Step {
                id: "sliding",
                todo: "Move the clock a minute (+1 min) and open /products.",
                watch: "A new Set-Cookie with a later Expires, though /products never touches \
                        the session.",
                why: "With SESSION_REFRESH_EACH_REQUEST on (the default), any request carrying a \
                      permanent cookie session gets it back re-signed. That is what makes the \
                      five minutes idle minutes.",
                doit: &[Action::Advance(60), Action::Navigate("/products")],
                done: refreshed_later,
            },
            Step {
                id: "restart",
                todo: "Close and reopen the browser, then open /contact.",
                watch: "The cookie is still sent, and /contact answers 200.",
                why: "A cookie with Expires is kept on disk and survives a restart until that \
                      date.",
                doit: &[Action::RestartBrowser, Action::Navigate("/contact")],
                done: still_signed_in_on_contact,
            },
            Step {
                id: "idle",
                todo: "Stay idle for more than five minutes (+5 min), then open /about.",
                watch: "No cookie goes out, and /about sends you to /login.",
                why: "Five minutes after the last request the cookie expires in the browser, and \
                      Flask would refuse its signature anyway, being older than \
                      PERMANENT_SESSION_LIFETIME.",
                doit: &[Action::Advance(FIVE_MINUTES), Action::Navigate("/about")],
                done: protected_lapsed,
            },
            open_redirect_step(),
        ],
        myths: vec![
            Myth {
                claim: "Tutorial 004 says a persistent session expires only once the lifetime \
                        passes without activity.",
                truth: "True with the defaults, because SESSION_REFRESH_EACH_REQUEST is on: \
                        every request re-signs the cookie and moves Expires. Set it to False and \
                        the lifetime counts from the last change to the session, however active \
                        the user is.",
                shown_by: "Step \"sliding\"".into(),
            },
            cookie_logout_myth(
                "For a cookie session, clear() only makes Flask send an expired cookie. The \
                 server cannot revoke copies it already signed, which verify until five minutes \
                 after they were signed.",
            ),
            open_redirect_myth(),
        ],
    }
}
