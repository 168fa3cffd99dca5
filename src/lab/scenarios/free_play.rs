//! Scenario `free-play`: Free play: the lab's own small app with every setting open.

use super::{Flow, Login, Scenario, Shown};
use crate::engine::apps::{free_play, Services};
use crate::engine::flask::app::App;
use crate::engine::flask_session::StartupError;
use crate::lab::flask_code::{Program, Settings, DEFAULT_LIFETIME};
use crate::lab::lesson::{
    accepted, refused, session_deleted, session_sent, session_set, Lesson, Myth, Step,
};
use crate::lab::{Action, Exchange};

pub const SCENARIO: Scenario = Scenario {
    id: "free-play",
    title: "Free play",
    promise: "Our own four-route app with every setting open: cookie or server store, \
             permanent or not, lifetime, refresh, keys and fallbacks, cookie flags and name.",
    app,
    start: "/",
    lesson,
    code: Program {
        flask: &["redirect", "request", "session", "url_for"],
        imports: &["from markupsafe import escape"],
        prelude: PRELUDE,
        views: VIEWS,
        misspelled: false,
    },
    settings,
    shown: Shown {
        permanent_switch: Some(free_play::PERMANENT_AT_LOGIN),
        ..Shown::NONE
    },
    flow: Some(Flow {
        login: Login {
            path: "/login",
            fields: &[("user", "ada")],
            button: Some("button"),
        },
        protected: "/",
        inside: "Signed in as ada",
        outside: "Nobody is signed in",
        logout: "/logout",
        logged_out: Some("Nobody is signed in"),
    }),
    fix: None,
};

fn app(_: Services) -> Result<App, StartupError> {
    Ok(free_play::app())
}

/// The settings the app runs with.
fn settings() -> Settings {
    Settings::client("dev-secret", false, DEFAULT_LIFETIME)
}

fn any_session_cookie_set(log: &[Exchange]) -> bool {
    log.iter().any(|e| session_set(e).is_some())
}

fn session_round_trip(log: &[Exchange]) -> bool {
    log.iter()
        .any(|e| session_sent(e).is_some() && accepted(e) && session_set(e).is_some())
}

fn cookie_refused(log: &[Exchange]) -> bool {
    log.iter().any(|e| session_sent(e).is_some() && refused(e))
}

fn any_session_deleted(log: &[Exchange]) -> bool {
    log.iter().any(session_deleted)
}

fn lesson() -> Lesson {
    Lesson {
        intro: "Our own small app, with every setting open in the settings panel: cookie or \
                server-side storage, permanent or not, PERMANENT_SESSION_LIFETIME, \
                SESSION_REFRESH_EACH_REQUEST, SECRET_KEY and SECRET_KEY_FALLBACKS, and the \
                cookie's name, HttpOnly, Secure and SameSite. / shows who is signed in and a \
                visit counter, /login stores user, /count adds one to visits, /logout clears \
                everything. Change a setting, repeat a step, compare the wire."
            .into(),
        steps: vec![
            Step {
                id: "first-cookie",
                todo: "Sign in on /login.",
                watch: "The Set-Cookie line and its attributes: they follow your settings.",
                why: "Flask builds the cookie from the SESSION_COOKIE_* settings and adds \
                      Expires only to a permanent session.",
                doit: &[
                    Action::Navigate("/login"),
                    Action::Submit {
                        action: "/login",
                        fields: &[("user", "ada")],
                    },
                ],
                done: any_session_cookie_set,
            },
            Step {
                id: "round-trip",
                todo: "Open /count a few times.",
                watch: "The cookie goes back on each request. With cookie storage its value \
                        changes every time; with server storage the id stays the same.",
                why: "A cookie session carries the data, so each change means a newly signed \
                      value. A server-side session changes only the stored entry.",
                doit: &[
                    Action::Navigate("/count"),
                    Action::Navigate("/count"),
                    Action::Navigate("/count"),
                ],
                done: session_round_trip,
            },
            Step {
                id: "refused",
                todo: "Make the server refuse the cookie: change SECRET_KEY without keeping the \
                       old one in SECRET_KEY_FALLBACKS (cookie storage), or let a \
                       non-permanent server-side session outlive its lifetime.",
                watch: "The cookie is still sent, but the server starts an empty session; the \
                        verdict under the request says why.",
                why: "Flask quietly treats a bad or expired signature as no session at all, and \
                      Flask-Session does the same with an id its store does not know.",
                doit: &[
                    Action::Configure("SECRET_KEY", "new-secret"),
                    Action::Navigate("/"),
                ],
                done: cookie_refused,
            },
            Step {
                id: "logout",
                todo: "Open /logout.",
                watch: "A Set-Cookie that expires the session cookie.",
                why: "clear() leaves the session empty and modified, and Flask answers that with \
                      a deletion cookie. With server storage the entry goes too; with cookie \
                      storage, copies of the old value stay valid until their signature is \
                      PERMANENT_SESSION_LIFETIME old.",
                doit: &[Action::Navigate("/logout")],
                done: any_session_deleted,
            },
        ],
        myths: vec![
            Myth {
                claim: "A common belief: rotating SECRET_KEY has to sign everybody out.",
                truth: "Flask 3.1 reads SECRET_KEY_FALLBACKS: cookies signed with a key listed \
                        there still verify, while new ones are signed with SECRET_KEY. \
                        Flask-Session's signer and Flask-Login's remember cookie ignore the \
                        fallbacks.",
                shown_by: "Step \"refused\", with and without a fallback".into(),
            },
            Myth {
                claim: "A common belief: SESSION_COOKIE_SAMESITE = None sends SameSite=None.",
                truth: "Python None, the default, leaves the attribute out. The string \"None\" \
                        writes SameSite=None, which Chromium-based browsers (and the lab's \
                        jar) refuse unless the cookie is also Secure.",
                shown_by: "Step \"first-cookie\", with SameSite set".into(),
            },
        ],
    }
}

const PRELUDE: &str = r#"LOGIN_FORM = """<form method="post">
  <input name="user" placeholder="Your name"> <button>Sign in</button>
</form>"""
"#;

const VIEWS: &str = r#"

@app.route("/")
def index():
    visits = session.get("visits", 0)
    if "user" not in session:
        return f'Nobody is signed in. Visits: {visits}. <a href="/login">Sign in</a>'
    return (f"Signed in as {escape(session['user'])}. Visits: {visits}. "
            '<a href="/count">Count</a> <a href="/logout">Sign out</a>')


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        {permanent}
        session["user"] = request.form["user"]
        return redirect(url_for("index"))
    return LOGIN_FORM


@app.route("/count")
def count():
    session["visits"] = session.get("visits", 0) + 1
    return redirect(url_for("index"))


@app.route("/logout")
def logout():
    session.clear()
    return redirect(url_for("index"))
"#;
