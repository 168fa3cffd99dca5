//! Scenario `seed-004-client-temp`: Tutorial 004's first program: a cookie session that is not
//! permanent.

use super::seed_004 as shared;
use super::seed_004::{
    cookie_logout_myth, login_without_expires, open_redirect_myth, open_redirect_step,
    protected_step, restart_step, SIGN_IN_FROM_ABOUT,
};
use super::Scenario;
use crate::engine::apps::seed_004::{self, Variant};
use crate::engine::apps::Services;
use crate::engine::flask::app::App;
use crate::engine::flask_session::StartupError;
use crate::lab::flask_code::{Settings, DEFAULT_LIFETIME};
use crate::lab::lesson::{Lesson, Myth, Step};

pub const SCENARIO: Scenario = shared::variant(
    "seed-004-client-temp",
    "Temporary cookie session",
    "A cookie without Expires is forgotten when the browser closes, yet its \
             signature stays acceptable for 31 days.",
    app,
    lesson,
    settings,
);

fn app(services: Services) -> Result<App, StartupError> {
    seed_004::app(Variant::ClientTemp, services)
}

/// The settings the app runs with.
fn settings() -> Settings {
    Settings::client("supersecretkey", false, DEFAULT_LIFETIME)
}

fn lesson() -> Lesson {
    Lesson {
        intro: "Tutorial 004's first program: Flask's cookie session, not permanent (Flask's \
                default). /about and /contact need user_name; signing in stores user_name, lang \
                and theme and returns you to the page you came from; /logout clears the \
                session."
            .into(),
        steps: vec![
            protected_step(),
            Step {
                id: "login",
                todo: "Sign in with any username.",
                watch: "POST /login answers 302 back to http://localhost/about with \
                        Set-Cookie: session=…; HttpOnly; Path=/, and no Expires.",
                why: "A session that is not permanent gets a cookie without Expires, which the \
                      browser keeps until it closes. user_name, lang and theme are inside the \
                      signed value: decode it.",
                doit: &[SIGN_IN_FROM_ABOUT],
                done: login_without_expires,
            },
            restart_step(
                "Closing the browser discarded the cookie. Nothing was stored on the server, so \
                 nothing there was deleted: the same value, copied elsewhere, would be accepted \
                 until its signature is 31 days old.",
            ),
            open_redirect_step(),
        ],
        myths: vec![
            Myth {
                claim: "Tutorial 004 says a non-permanent cookie session is deleted when the \
                        user closes the browser.",
                truth: "Only the browser's copy goes, and only in a browser that does not \
                        restore its previous session (those keep such cookies). The server \
                        stores nothing, and Flask accepts the signed value for \
                        PERMANENT_SESSION_LIFETIME (31 days) after it was last written.",
                shown_by: "Step \"restart\"".into(),
            },
            cookie_logout_myth(
                "For a cookie session, clear() only makes Flask send an expired cookie. The \
                 server cannot revoke copies it already signed, which verify for 31 days here; a \
                 server-side session, by contrast, is deleted from the store.",
            ),
            open_redirect_myth(),
        ],
    }
}
