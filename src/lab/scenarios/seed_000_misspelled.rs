//! Scenario `seed-000-misspelled`: Tutorial 000's complete listing, whose misspelled config keys
//! stop Flask-Session from starting.

use super::seed_000::{index_answered_with_stored_session, registered_with_browser_session_id};
use super::{Fix, Scenario, Shown};
use crate::engine::apps::{seed_000, Services};
use crate::engine::flask::app::App;
use crate::engine::flask_session::StartupError;
use crate::lab::flask_code::{Program, Settings, DEFAULT_LIFETIME};
use crate::lab::lesson::{get, redirects_to, Lesson, Myth, Step};
use crate::lab::{Action, Exchange};

pub const SCENARIO: Scenario = Scenario {
    id: "seed-000-misspelled",
    title: "Two misspelled config keys",
    promise: "Flask keeps any key you give it, Flask-Session reads only its own: with \
             SESSION_TYPE missing, the app refuses to start.",
    app,
    start: "/",
    lesson,
    code: Program {
        flask: &["redirect", "render_template_string", "request", "session"],
        imports: &[],
        prelude: super::seed_000::PRELUDE,
        views: super::seed_000::VIEWS,
        misspelled: true,
    },
    settings,
    shown: Shown::NONE,
    flow: None,
    fix: Some(Fix {
        label: "Spell the keys right (SESSION_PERMANENT, SESSION_TYPE = \"filesystem\") and start again",
        app: fixed_app,
        code: Some(&FIXED),
    }),
};

/// The program with the keys spelled right.
const FIXED: Program = Program {
    flask: &["redirect", "render_template_string", "request", "session"],
    imports: &[],
    prelude: super::seed_000::PRELUDE,
    views: super::seed_000::VIEWS,
    misspelled: false,
};

fn app(services: Services) -> Result<App, StartupError> {
    seed_000::misspelled(services)
}

fn fixed_app(services: Services) -> Result<App, StartupError> {
    seed_000::app(services)
}

/// The settings the app runs with.
fn settings() -> Settings {
    Settings::server("", false, DEFAULT_LIFETIME)
}

fn fixed_app_answers(log: &[Exchange]) -> bool {
    log.iter().any(|e| get(e, "/") && redirects_to(e, "/login"))
}

fn lesson() -> Lesson {
    Lesson {
        intro: format!(
            "Tutorial 000's complete listing sets app.config[\"SESSION_P\"] and \
             app.config[\"SESSION_T\"]. Flask stores any key without a word, but \
             Flask-Session reads only SESSION_PERMANENT and SESSION_TYPE. It finds \
             SESSION_TYPE at its default, \"null\", and Session(app) raises ValueError: \
             Unrecognized value for SESSION_TYPE: null, so no request is ever served. The \
             steps below tick once the keys are fixed (SESSION_PERMANENT, and SESSION_TYPE \
             set to \"filesystem\", not \"file\"): that app is {}.",
            super::seed_000::SCENARIO.id
        ),
        steps: vec![
            Step {
                id: "starts",
                todo: "Fix both keys and open /.",
                watch: "The app answers at last: a 302 to /login.",
                why: "With a backend it knows, Session(app) installs the server-side session \
                      interface instead of raising.",
                doit: &[Action::Fix, Action::Navigate("/")],
                done: fixed_app_answers,
            },
            Step {
                id: "id-cookie",
                todo: "Register a name on /login.",
                watch: "Set-Cookie: session=<random id>; HttpOnly; Path=/, with no Expires.",
                why: "No Expires is SESSION_PERMANENT = False at work. The misspelled SESSION_P \
                      was never read; had the fixed app left it out, Flask-Session's default \
                      would have made the session permanent, with a 31-day Expires.",
                doit: &[Action::Submit {
                    action: "/login",
                    fields: &[("name", "ada")],
                }],
                done: registered_with_browser_session_id,
            },
            Step {
                id: "store-hit",
                todo: "Open / once more.",
                watch: "The id goes back in the Cookie header and / answers 200.",
                why: "Flask-Session looks the id up under session:<id> in its store; only the \
                      id ever travels.",
                doit: &[Action::Navigate("/")],
                done: index_answered_with_stored_session,
            },
        ],
        myths: vec![
            Myth {
                claim: "Tutorial 000's complete code configures Flask-Session with SESSION_P \
                        and SESSION_T.",
                truth: "Neither is a setting, and neither Flask nor Flask-Session warns about \
                        unknown keys. Flask-Session 0.8 sees no SESSION_TYPE, keeps its default \
                        \"null\", and refuses to start: ValueError: Unrecognized value for \
                        SESSION_TYPE: null.",
                shown_by: "The start-up error this scenario shows".into(),
            },
            Myth {
                claim: "Tutorial 000 says SESSION_TYPE = \"file\" keeps sessions on the hard \
                        drive.",
                truth: "The backend is \"filesystem\"; \"file\" stops Session(app) with \
                        ValueError: Unrecognized value for SESSION_TYPE: file. So fixing the \
                        spelling of SESSION_T alone would still not start the app.",
                shown_by: "The Flask code panel".into(),
            },
        ],
    }
}
