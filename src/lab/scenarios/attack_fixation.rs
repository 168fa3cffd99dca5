//! Scenario `attack-fixation`: being written (security lab, issue 10).

use super::Scenario;
use crate::engine::apps::seed_004::{self, Variant};
use crate::engine::apps::Services;
use crate::engine::flask::app::App;
use crate::engine::flask_session::StartupError;
use crate::lab::flask_code::Settings;
use crate::lab::lesson::Lesson;

pub const SCENARIO: Scenario = super::seed_004::variant(
    "attack-fixation",
    "Attack: session fixation",
    "Being written.",
    app,
    lesson,
    settings,
)
.showing(super::Shown::ATTACKER);

fn app(services: Services) -> Result<App, StartupError> {
    seed_004::app(Variant::ClientTemp, services)
}

fn settings() -> Settings {
    Settings::client(
        "supersecretkey",
        false,
        crate::lab::flask_code::DEFAULT_LIFETIME,
    )
}

fn lesson() -> Lesson {
    Lesson {
        intro: "Being written.".into(),
        steps: vec![],
        myths: vec![],
    }
}
