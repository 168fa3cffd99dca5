//! Scenario `seed-002`: Tutorial 002's Flask-Session example with a 30-minute lifetime.

use super::{Flow, Login, Scenario, Shown};
use crate::engine::apps::{seed_002, Services};
use crate::engine::flask::app::App;
use crate::engine::flask_session::StartupError;
use crate::lab::flask_code::{Program, Settings};
use crate::lab::lesson::{
    accepted, bare_id, get, refreshed_later, session_deleted, session_sent, session_set, Lesson,
    Myth, Step,
};
use crate::lab::{Action, Exchange};

pub const SCENARIO: Scenario = Scenario {
    id: "seed-002",
    title: "Flask-Session with a 30-minute lifetime",
    promise: "Server-side sessions are permanent unless told otherwise, clear() removes the \
             stored entry, and a POST-only login answers a redirect with 405.",
    app,
    start: "/profile",
    lesson,
    code: Program {
        flask: &["redirect", "session", "url_for"],
        imports: &[],
        prelude: "",
        views: VIEWS,
        misspelled: false,
    },
    settings,
    shown: Shown::NONE,
    flow: Some(Flow {
        login: Login {
            path: "/",
            fields: &[],
            button: None,
        },
        protected: "/profile",
        inside: "Welcome, John!",
        outside: "No user data found in session.",
        logout: "/logout",
        logged_out: Some("Logged out successfully!"),
    }),
    fix: None,
};

fn app(services: Services) -> Result<App, StartupError> {
    seed_002::app(services)
}

/// The settings the app runs with.
fn settings() -> Settings {
    Settings::server("your_secret_key_here", true, 30 * 60)
}

fn stored_with_permanent_id(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        get(e, "/")
            && e.status() == 200
            && session_set(e).is_some_and(|c| bare_id(c.value) && c.persistent())
    })
}

fn profile_refreshed(log: &[Exchange]) -> bool {
    refreshed_later(log)
        && log.iter().any(|e| {
            get(e, "/profile")
                && accepted(e)
                && e.response.body.starts_with("Welcome, ")
                && session_set(e).is_some_and(|c| c.persistent())
        })
}

fn clear_deleted_the_entry(log: &[Exchange]) -> bool {
    log.iter()
        .any(|e| get(e, "/logout") && session_sent(e).is_some() && session_deleted(e))
}

fn dashboard_ends_in_405(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        get(e, "/login")
            && e.status() == 405
            && e.redirected_from
                .and_then(|from| log.iter().find(|x| x.id == from))
                .is_some_and(|from| get(from, "/dashboard"))
    })
}

fn lesson() -> Lesson {
    Lesson {
        intro: "Tutorial 002's example: Flask-Session with SESSION_TYPE = \"filesystem\" and a \
                30-minute PERMANENT_SESSION_LIFETIME. / stores username, /profile reads it, \
                /logout clears the session; a second pair, /login (POST only) and /dashboard, \
                stores and checks user_id."
            .into(),
        steps: vec![
            Step {
                id: "store",
                todo: "Open /.",
                watch: "Set-Cookie: session=<random id>; Expires 30 minutes ahead; HttpOnly; \
                        Path=/. The data is in the store panel, not in the cookie.",
                why: "Flask-Session makes new sessions permanent (SESSION_PERMANENT defaults to \
                      True), so the id cookie carries Expires = now + \
                      PERMANENT_SESSION_LIFETIME and the entry gets the same timeout.",
                doit: &[Action::Navigate("/")],
                done: stored_with_permanent_id,
            },
            Step {
                id: "refresh",
                todo: "Move the clock a minute (+1 min) and open /profile.",
                watch: "Welcome, John! and the same id sent back with a later Expires.",
                why: "With SESSION_REFRESH_EACH_REQUEST on (the default), each request re-sends \
                      a permanent session's cookie and rewrites its entry, so the 30 minutes \
                      count from the last request.",
                doit: &[Action::Advance(60), Action::Navigate("/profile")],
                done: profile_refreshed,
            },
            Step {
                id: "logout",
                todo: "Open /logout.",
                watch: "Set-Cookie: session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; \
                        Max-Age=0; Path=/ (no HttpOnly this time), and the entry leaves the \
                        store panel.",
                why: "clear() empties the session, so Flask-Session deletes the stored entry and \
                      expires the cookie, passing only its domain and path. Unlike a signed \
                      cookie session, the old id is now worthless even to someone who kept it.",
                doit: &[Action::Navigate("/logout")],
                done: clear_deleted_the_entry,
            },
            Step {
                id: "dashboard-405",
                todo: "Open /dashboard.",
                watch: "A 302 to /login, then the browser's GET /login answered 405 Method Not \
                        Allowed, its Allow header listing only POST and OPTIONS.",
                why: "A browser follows a 302 with a GET, and this /login accepts only POST. A \
                      login route that redirects land on must also answer GET (with a form).",
                doit: &[Action::Navigate("/dashboard")],
                done: dashboard_ends_in_405,
            },
        ],
        myths: vec![
            Myth {
                claim: "Tutorial 002 says SECRET_KEY encrypts the session data.",
                truth: "Flask-Session 0.8 does not use SECRET_KEY at all unless the deprecated \
                        SESSION_USE_SIGNER is on. The cookie is a random id and the store keeps \
                        the session unencrypted (pickled, with the filesystem backend). Flask's \
                        own cookie sessions use the key to sign, not to encrypt.",
                shown_by: "Step \"store\" and the store panel".into(),
            },
            Myth {
                claim: "Tutorial 002 says Flask has no built-in session storage, so one must be \
                        installed.",
                truth: "Flask's default session interface keeps the session in a signed cookie \
                        with no extension at all. Flask-Session is optional: it moves the data \
                        into a server-side store.",
                shown_by: format!("The {} scenario", super::seed_001::SCENARIO.id),
            },
            Myth {
                claim: "Tutorial 002 sends visitors without user_id from /dashboard to its login \
                        route.",
                truth: "That route accepts only POST, and the browser follows the redirect with \
                        a GET, so the visitor ends on 405 Method Not Allowed.",
                shown_by: "Step \"dashboard-405\"".into(),
            },
            Myth {
                claim: "Tutorial 002's configuration table lists 'null' as SESSION_TYPE's \
                        default, as if no backend had to be chosen.",
                truth: "It is the default in Flask-Session 0.8, but not a usable one: \
                        Session(app) raises ValueError: Unrecognized value for SESSION_TYPE: \
                        null. A backend must always be named.",
                shown_by: format!("The {} scenario", super::seed_000_misspelled::SCENARIO.id),
            },
        ],
    }
}

const VIEWS: &str = r#"

@app.route("/")
def index():
    {permanent}
    session["username"] = "John"
    return "Pythongeeks Session data stored!"


@app.route("/profile")
def profile():
    username = session.get("username")
    if username:
        return f"Welcome, {username}!"
    return "No user data found in session."


@app.route("/logout")
def logout():
    session.clear()
    return "Logged out successfully!"


@app.route("/login", methods=["POST"])  # POST only: the redirect below ends in a 405
def login():
    {permanent}
    session["user_id"] = 123
    return redirect(url_for("dashboard"))


@app.route("/dashboard")
def dashboard():
    if session.get("user_id") is None:
        return redirect(url_for("login"))
    return "Welcome to the Dashboard!"
"#;
