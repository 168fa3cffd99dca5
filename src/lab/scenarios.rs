//! The lab's scenarios: one per tutorial app (`crate::engine::apps::NAMES`) plus free play.
//! Each has a URL slug, the app it runs, a one-line promise of what it teaches, the seed
//! tutorial it comes from and the first page to open. The lessons are in
//! [`super::lessons`], the Python each one corresponds to in [`super::flask_code`].

/// One scenario of the lab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scenario {
    /// URL slug (`#/s/<id>`).
    pub id: &'static str,
    /// The app it runs (an entry of `apps::NAMES`); `None` for free play, whose app is ours.
    pub app: Option<&'static str>,
    pub title: &'static str,
    /// One line: what it teaches.
    pub promise: &'static str,
    /// The seed tutorial (`shared/seeds/00N_*`) the app comes from.
    pub tutorial: Option<u8>,
    /// The first path the lab opens.
    pub start: &'static str,
}

/// The id of the free-play scenario.
pub const FREE_PLAY: &str = "free-play";

/// Every scenario, in the order the index lists them.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        id: "seed-000",
        app: Some("seed-000"),
        title: "A name kept by Flask-Session",
        promise: "The cookie carries only a random id while the name waits in the server's store, \
                  and a logout that leaves it there.",
        tutorial: Some(0),
        start: "/",
    },
    Scenario {
        id: "seed-000-login",
        app: Some("seed-000-login"),
        title: "A page guarded by Flask-Login",
        promise: "What login_user writes into the session, and what a custom unauthorized \
                  handler really answers.",
        tutorial: Some(0),
        start: "/protected",
    },
    Scenario {
        id: "seed-000-misspelled",
        app: Some("seed-000-misspelled"),
        title: "Two misspelled config keys",
        promise: "Flask keeps any key you give it, Flask-Session reads only its own: with \
                  SESSION_TYPE missing, the app refuses to start.",
        tutorial: Some(0),
        start: "/",
    },
    Scenario {
        id: "seed-001",
        app: Some("seed-001"),
        title: "Set, get and pop a value",
        promise: "The whole session travels in a signed cookie anyone can read, and pop deletes \
                  it from the browser, not from the server.",
        tutorial: Some(1),
        start: "/getsession",
    },
    Scenario {
        id: "seed-002",
        app: Some("seed-002"),
        title: "Flask-Session with a 30-minute lifetime",
        promise: "Server-side sessions are permanent unless told otherwise, clear() removes the \
                  stored entry, and a POST-only login answers a redirect with 405.",
        tutorial: Some(2),
        start: "/profile",
    },
    Scenario {
        id: "seed-003",
        app: Some("seed-003"),
        title: "Signed in for five idle minutes",
        promise: "A permanent cookie session is re-signed on every request and lapses after five \
                  idle minutes; the name it shows is raw HTML.",
        tutorial: Some(3),
        start: "/login",
    },
    Scenario {
        id: "seed-004-client-temp",
        app: Some("seed-004-client-temp"),
        title: "Temporary cookie session",
        promise: "A cookie without Expires is forgotten when the browser closes, yet its \
                  signature stays acceptable for 31 days.",
        tutorial: Some(4),
        start: "/home",
    },
    Scenario {
        id: "seed-004-server-temp",
        app: Some("seed-004-server-temp"),
        title: "Temporary server-side session",
        promise: "SESSION_PERMANENT = False takes Expires off the id cookie, not the data off \
                  the server.",
        tutorial: Some(4),
        start: "/home",
    },
    Scenario {
        id: "seed-004-client-persist",
        app: Some("seed-004-client-persist"),
        title: "Persistent cookie session",
        promise: "session.permanent = True gives the cookie an Expires date that every request \
                  pushes forward, until five idle minutes end it.",
        tutorial: Some(4),
        start: "/home",
    },
    Scenario {
        id: "seed-004-server-persist",
        app: Some("seed-004-server-persist"),
        title: "Persistent server-side session",
        promise: "Flask-Session's default: the id cookie and the stored entry both lapse after \
                  five idle minutes.",
        tutorial: Some(4),
        start: "/home",
    },
    Scenario {
        id: FREE_PLAY,
        app: Some(crate::engine::apps::free_play::NAME),
        title: "Free play",
        promise: "Our own four-route app with every setting open: cookie or server store, \
                  permanent or not, lifetime, refresh, keys and fallbacks, cookie flags and name.",
        tutorial: None,
        start: "/",
    },
];

/// The scenario with this slug.
pub fn by_id(id: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|s| s.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::apps::NAMES;

    #[test]
    fn one_scenario_per_app() {
        for name in NAMES {
            assert!(
                SCENARIOS.iter().any(|s| s.app == Some(name)),
                "no scenario runs {name}"
            );
        }
        assert_eq!(SCENARIOS.len(), NAMES.len());
        assert_eq!(
            by_id(FREE_PLAY).and_then(|s| s.app),
            Some(crate::engine::apps::free_play::NAME)
        );
        assert!(by_id("nope").is_none());
        for s in SCENARIOS {
            assert!(s.start.starts_with('/'), "{}", s.id);
            assert_eq!(by_id(s.id), Some(s));
        }
    }
}
