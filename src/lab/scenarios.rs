//! The lab's scenarios: one record per scenario, each in a file of its own, listed once in
//! [`ALL`]. A record holds everything the lab, the command line and the end-to-end test need
//! to know about a scenario: its app, its first page, its lesson, the Flask code it
//! corresponds to, which settings the settings panel shows, and how to sign in and out of it.
//! Nothing else in the crate branches on a scenario: adding one touches its own file and the
//! list below.

pub mod attack_fixation;
pub mod attack_flask_login;
pub mod attack_hijack;
pub mod attack_html_injection;
pub mod attack_key_rotation;
pub mod attack_open_redirect;
pub mod attack_read;
pub mod attack_replay;
pub mod attack_tamper;
pub mod attack_too_big;
pub mod attack_weak_key;
pub mod free_play;
pub mod seed_000;
pub mod seed_000_login;
pub mod seed_000_misspelled;
pub mod seed_001;
pub mod seed_002;
pub mod seed_003;
pub mod seed_004;
pub mod seed_004_client_persist;
pub mod seed_004_client_temp;
pub mod seed_004_server_persist;
pub mod seed_004_server_temp;

use super::compare::Comparison;
use super::flask_code::{flask_code, Program, Settings};
use super::lesson::Lesson;
use crate::engine::apps::Services;
use crate::engine::flask::app::App;
use crate::engine::flask::config::{Config, ConfigValue};
use crate::engine::flask::sessions::InterfaceKind;
use crate::engine::flask_session::StartupError;

/// Builds a scenario's app on the given services: `Err` when it fails at start-up, as its
/// Flask original does.
pub type AppBuilder = fn(Services) -> Result<App, StartupError>;

/// One scenario of the lab.
pub struct Scenario {
    /// URL slug (`#/s/<id>`), the name `session-lab-cli replay --app` takes, and the scope of
    /// the real cookies and storage the scenario uses.
    pub id: &'static str,
    pub title: &'static str,
    /// One line: what it teaches.
    pub promise: &'static str,
    pub app: AppBuilder,
    /// The first path the lab opens.
    pub start: &'static str,
    pub lesson: fn() -> Lesson,
    /// The Flask program the app corresponds to; [`Scenario::flask_code`] writes it out for
    /// the live settings.
    pub code: Program,
    /// The settings the app runs with (what the code panel shows before the app is changed,
    /// or when it cannot start).
    pub settings: fn() -> Settings,
    /// What the settings panel shows besides Flask's own keys.
    pub shown: Shown,
    /// How the end-to-end test signs in and out; `None` where there is nothing to sign in to.
    pub flow: Option<Flow>,
    /// For an app that fails at start-up: the corrected app, offered with a button.
    pub fix: Option<Fix>,
}

impl PartialEq for Scenario {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl std::fmt::Debug for Scenario {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scenario").field("id", &self.id).finish()
    }
}

impl Scenario {
    /// The same scenario showing `shown` (for scenarios made by a shared constructor).
    pub const fn showing(self, shown: Shown) -> Scenario {
        Scenario { shown, ..self }
    }

    /// A fresh instance of the scenario's app.
    pub fn build(&self, services: Services) -> Result<App, StartupError> {
        (self.app)(services)
    }

    pub fn lesson(&self) -> Lesson {
        (self.lesson)()
    }

    pub fn settings(&self) -> Settings {
        (self.settings)()
    }

    /// The Python program for this scenario with `settings`.
    pub fn flask_code(&self, settings: &Settings) -> String {
        flask_code(&self.code, settings)
    }

    /// The program for `settings`: the corrected one once the fix has run (`fixed`), when the
    /// fix changes the code.
    pub fn flask_code_when(&self, settings: &Settings, fixed: bool) -> String {
        match self.fix.and_then(|f| f.code).filter(|_| fixed) {
            Some(program) => flask_code(program, settings),
            None => self.flask_code(settings),
        }
    }

    /// The settings the code panel shows for the running app: the scenario's own choice for
    /// what is app code (`session.permanent = True` in a view, or the switch standing for it),
    /// the live config for the rest.
    pub fn live_settings(&self, config: &Config, kind: InterfaceKind) -> Settings {
        let base = self.settings();
        let permanent = match (kind, self.shown.permanent_switch) {
            (InterfaceKind::ServerSide, _) => {
                config.get("SESSION_PERMANENT") != Some(ConfigValue::Bool(false))
            }
            (InterfaceKind::ClientSide, Some(switch)) => {
                config.get(switch) == Some(ConfigValue::Bool(true))
            }
            (InterfaceKind::ClientSide, None) => {
                base.permanent && base.client_or_server == InterfaceKind::ClientSide
            }
        };
        Settings {
            client_or_server: kind,
            permanent,
            lifetime_seconds: config.permanent_session_lifetime,
            refresh_each_request: config.session_refresh_each_request,
            secret_key: config.secret_key.clone().unwrap_or_default(),
            fallbacks: config.secret_key_fallbacks.clone(),
            cookie_httponly: config.session_cookie_httponly,
            cookie_secure: config.session_cookie_secure,
            cookie_samesite: config
                .session_cookie_samesite
                .map(|s| s.as_str().to_string()),
            cookie_name: config.session_cookie_name.clone(),
        }
    }
}

/// What a scenario's page shows besides the panels every scenario has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    /// A config key of the lab's that stands for `session.permanent = True` in the app's
    /// login view, shown as a switch while the session is a signed cookie.
    pub permanent_switch: Option<&'static str>,
    /// The attacker's controls: copy the cookies (as a page script or with the browser in
    /// hand), put them into a browser, change a browser's `User-Agent`.
    pub attacker: bool,
    /// The key cracker, aimed at the main browser's session cookie.
    pub cracker: bool,
}

impl Shown {
    /// Flask's keys only.
    pub const NONE: Shown = Shown {
        permanent_switch: None,
        attacker: false,
        cracker: false,
    };

    /// The attacker's controls.
    pub const ATTACKER: Shown = Shown {
        attacker: true,
        ..Shown::NONE
    };
}

/// How to sign in, see a protected page, and sign out, as the end-to-end test does it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flow {
    pub login: Login,
    /// A page that shows whether the visitor is signed in.
    pub protected: &'static str,
    /// Text the protected page shows when signed in.
    pub inside: &'static str,
    /// Text the protected page shows when not.
    pub outside: &'static str,
    pub logout: &'static str,
    /// Text the logout page shows, when it has its own.
    pub logged_out: Option<&'static str>,
}

/// Signing in: open `path`, fill in `fields` and press `button` (a CSS selector inside the
/// page); with no fields, opening the page is enough.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Login {
    pub path: &'static str,
    pub fields: &'static [(&'static str, &'static str)],
    pub button: Option<&'static str>,
}

/// The corrected app a scenario whose app cannot start offers to run instead.
#[derive(Debug, Clone, Copy)]
pub struct Fix {
    /// The button's text.
    pub label: &'static str,
    pub app: AppBuilder,
    /// The corrected program, when the fix is a change to the code (the code panel shows it
    /// once the fix runs); `None` when the program stays as it is.
    pub code: Option<&'static Program>,
}

/// Every scenario, in the order the index lists them.
pub const ALL: &[&Scenario] = &[
    &seed_000::SCENARIO,
    &seed_000_login::SCENARIO,
    &seed_000_misspelled::SCENARIO,
    &seed_001::SCENARIO,
    &seed_002::SCENARIO,
    &seed_003::SCENARIO,
    &seed_004_client_temp::SCENARIO,
    &seed_004_server_temp::SCENARIO,
    &seed_004_client_persist::SCENARIO,
    &seed_004_server_persist::SCENARIO,
    &free_play::SCENARIO,
    &attack_read::SCENARIO,
    &attack_tamper::SCENARIO,
    &attack_replay::SCENARIO,
    &attack_hijack::SCENARIO,
    &attack_fixation::SCENARIO,
    &attack_weak_key::SCENARIO,
    &attack_key_rotation::SCENARIO,
    &attack_too_big::SCENARIO,
    &attack_open_redirect::SCENARIO,
    &attack_html_injection::SCENARIO,
    &attack_flask_login::SCENARIO,
];

/// How many of [`ALL`] are the tutorials and free play; the rest is the security lab.
const TUTORIALS: usize = 11;

/// The security lab: each an attack on a session, run live, and the defence that stops it (the
/// end of [`ALL`], listed apart on the index).
pub const ATTACKS: &[&Scenario] = ALL.split_at(TUTORIALS).1;

/// The comparison the index links to: the same steps on a cookie and a server-side session.
pub const COMPARISON: &Comparison = &seed_004::COMPARISON;

/// The scenario with this id.
pub fn by_id(id: &str) -> Option<&'static Scenario> {
    ALL.iter().copied().find(|s| s.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_security_lab_is_the_attack_scenarios() {
        assert_eq!(ATTACKS.len(), 11);
        assert!(ATTACKS
            .iter()
            .all(|s| s.id.starts_with("attack-") && s.shown.attacker));
        assert!(ALL[..TUTORIALS]
            .iter()
            .all(|s| !s.id.starts_with("attack-")));
    }

    #[test]
    fn ids_are_unique_and_findable() {
        for s in ALL {
            assert!(s.start.starts_with('/'), "{}", s.id);
            assert_eq!(by_id(s.id), Some(*s));
            assert_eq!(ALL.iter().filter(|o| o.id == s.id).count(), 1, "{}", s.id);
        }
        assert!(by_id("nope").is_none());
    }
}
