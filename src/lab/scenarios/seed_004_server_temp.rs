//! Scenario `seed-004-server-temp`: Tutorial 004's second program: Flask-Session with
//! SESSION_PERMANENT = False.

use super::seed_004 as shared;
use super::seed_004::{
    login_without_expires, logout_deleted, open_redirect_myth, open_redirect_step, protected_step,
    restart_step, secret_key_myth, SIGN_IN_FROM_ABOUT,
};
use super::Scenario;
use crate::engine::apps::seed_004::{self, Variant};
use crate::engine::apps::Services;
use crate::engine::flask::app::App;
use crate::engine::flask_session::StartupError;
use crate::lab::flask_code::{Settings, DEFAULT_LIFETIME};
use crate::lab::lesson::{Lesson, Myth, Step};
use crate::lab::Action;

pub const SCENARIO: Scenario = shared::variant(
    "seed-004-server-temp",
    "Temporary server-side session",
    "SESSION_PERMANENT = False takes Expires off the id cookie, not the data off \
             the server.",
    app,
    lesson,
    settings,
);

fn app(services: Services) -> Result<App, StartupError> {
    seed_004::app(Variant::ServerTemp, services)
}

/// The settings the app runs with.
fn settings() -> Settings {
    Settings::server("supersecretkey", false, DEFAULT_LIFETIME)
}

fn lesson() -> Lesson {
    Lesson {
        intro: "Tutorial 004's second program: the same site on Flask-Session (SESSION_TYPE = \
                \"filesystem\") with SESSION_PERMANENT = False."
            .into(),
        steps: vec![
            protected_step(),
            Step {
                id: "login",
                todo: "Sign in with any username.",
                watch: "Set-Cookie: session=<random id>; HttpOnly; Path=/, with no Expires; the \
                        data appears in the store panel.",
                why: "SESSION_PERMANENT = False only changes the cookie. Flask-Session still \
                      writes the entry with a timeout of PERMANENT_SESSION_LIFETIME (31 days) \
                      and renews it on every request.",
                doit: &[SIGN_IN_FROM_ABOUT],
                done: login_without_expires,
            },
            restart_step(
                "The browser forgot the id; the server did not forget the data. The orphaned \
                 entry stays in the store panel until its 31-day timeout, and anyone who had \
                 copied the id would find it still valid.",
            ),
            Step {
                id: "logout",
                todo: "Sign in again, then open /logout.",
                watch: "Set-Cookie: session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; \
                        Path=/, and the entry leaves the store panel.",
                why: "clear() empties the session and Flask-Session deletes the entry, so that \
                      id is dead even for someone holding a copy.",
                doit: &[SIGN_IN_FROM_ABOUT, Action::Navigate("/logout")],
                done: logout_deleted,
            },
            open_redirect_step(),
        ],
        myths: vec![
            Myth {
                claim: "Tutorial 004 says SESSION_PERMANENT = False (or session.permanent = \
                        False) gives a non-persistent server-side session.",
                truth: "It turns the id cookie into a browser-session cookie, nothing more. \
                        Flask-Session stores the entry with a timeout of \
                        PERMANENT_SESSION_LIFETIME (31 days) whether the session is permanent or \
                        not, so the data outlives the browser.",
                shown_by: "Step \"restart\" and the store panel".into(),
            },
            secret_key_myth(),
            open_redirect_myth(),
        ],
    }
}
