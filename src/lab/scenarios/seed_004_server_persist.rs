//! Scenario `seed-004-server-persist`: Tutorial 004's fourth program: Flask-Session, permanent by
//! default, five minutes.

use super::seed_004 as shared;
use super::seed_004::{
    login_with_bare_persistent_id, open_redirect_myth, open_redirect_step, protected_lapsed,
    protected_step, secret_key_myth, still_signed_in_on_contact, FIVE_MINUTES, SIGN_IN_FROM_ABOUT,
};
use super::Scenario;
use crate::engine::apps::seed_004::{self, Variant};
use crate::engine::apps::Services;
use crate::engine::flask::app::App;
use crate::engine::flask_session::StartupError;
use crate::lab::flask_code::Settings;
use crate::lab::lesson::{refreshed_later, Lesson, Step};
use crate::lab::Action;

pub const SCENARIO: Scenario = shared::variant(
    "seed-004-server-persist",
    "Persistent server-side session",
    "Flask-Session's default: the id cookie and the stored entry both lapse after \
             five idle minutes.",
    app,
    lesson,
    settings,
);

fn app(services: Services) -> Result<App, StartupError> {
    seed_004::app(Variant::ServerPersist, services)
}

/// The settings the app runs with.
fn settings() -> Settings {
    Settings::server("supersecretkey", true, FIVE_MINUTES)
}

fn lesson() -> Lesson {
    Lesson {
        intro: "Tutorial 004's fourth program: Flask-Session with its default SESSION_PERMANENT \
                = True and PERMANENT_SESSION_LIFETIME of five minutes."
            .into(),
        steps: vec![
            protected_step(),
            Step {
                id: "login",
                todo: "Sign in with any username.",
                watch: "Set-Cookie: session=<random id>; Expires five minutes ahead.",
                why: "Flask-Session marks every new session permanent by default, so the id \
                      cookie carries Expires and the stored entry gets the same five-minute \
                      timeout.",
                doit: &[SIGN_IN_FROM_ABOUT],
                done: login_with_bare_persistent_id,
            },
            Step {
                id: "sliding",
                todo: "Move the clock a minute (+1 min) and open /products.",
                watch: "The same id sent back with a later Expires.",
                why: "With SESSION_REFRESH_EACH_REQUEST on, each request re-sends the id cookie \
                      and rewrites the entry with a fresh five-minute timeout.",
                doit: &[Action::Advance(60), Action::Navigate("/products")],
                done: refreshed_later,
            },
            Step {
                id: "restart",
                todo: "Close and reopen the browser, then open /contact.",
                watch: "The id is still sent, and /contact answers 200.",
                why: "The id cookie has an Expires, so it survives the restart, and its entry is \
                      still in the store.",
                doit: &[Action::RestartBrowser, Action::Navigate("/contact")],
                done: still_signed_in_on_contact,
            },
            Step {
                id: "idle",
                todo: "Stay idle for more than five minutes (+5 min), then open /about.",
                watch: "No cookie goes out, /about sends you to /login, and the store panel no \
                        longer lists the entry.",
                why: "Both ends lapse together: the browser drops the expired id cookie, and the \
                      entry's five-minute timeout has run out too.",
                doit: &[Action::Advance(FIVE_MINUTES), Action::Navigate("/about")],
                done: protected_lapsed,
            },
            open_redirect_step(),
        ],
        myths: vec![secret_key_myth(), open_redirect_myth()],
    }
}
