//! Scenario `seed-000`: Tutorial 000's name form on Flask-Session, with its configuration spelled
//! correctly.

use super::{Flow, Login, Scenario, Shown};
use crate::engine::apps::{seed_000, Services};
use crate::engine::flask::app::App;
use crate::engine::flask_session::StartupError;
use crate::lab::flask_code::{Program, Settings, DEFAULT_LIFETIME};
use crate::lab::lesson::{
    accepted, bare_id, dropped_browser_session_cookie, get, post, redirects_to, session_sent,
    session_set, Lesson, Myth, Step,
};
use crate::lab::{Action, Exchange};

pub const SCENARIO: Scenario = Scenario {
    id: "seed-000",
    title: "A name kept by Flask-Session",
    promise: "The cookie carries only a random id while the name waits in the server's store, \
             and a logout that leaves it there.",
    app,
    start: "/",
    lesson,
    code: Program {
        flask: &["redirect", "render_template_string", "request", "session"],
        imports: &[],
        prelude: PRELUDE,
        views: VIEWS,
        misspelled: false,
    },
    settings,
    shown: Shown::NONE,
    flow: Some(Flow {
        login: Login {
            path: "/login",
            fields: &[("name", "ada")],
            button: Some("input[type=submit]"),
        },
        protected: "/",
        inside: "Nobody is registered",
        outside: "Login",
        logout: "/logout",
        logged_out: None,
    }),
    fix: None,
};

fn app(services: Services) -> Result<App, StartupError> {
    seed_000::app(services)
}

/// The settings the app runs with.
fn settings() -> Settings {
    Settings::server("", false, DEFAULT_LIFETIME)
}

fn anonymous_sent_to_login(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        get(e, "/")
            && redirects_to(e, "/login")
            && session_sent(e).is_none()
            && session_set(e).is_none()
    })
}

pub(super) fn registered_with_browser_session_id(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        post(e, "/login")
            && e.status() == 302
            && session_set(e).is_some_and(|c| bare_id(c.value) && !c.persistent())
    })
}

pub(super) fn index_answered_with_stored_session(log: &[Exchange]) -> bool {
    log.iter()
        .any(|e| get(e, "/") && e.status() == 200 && session_sent(e).is_some() && accepted(e))
}

fn logout_kept_the_entry(log: &[Exchange]) -> bool {
    log.iter().enumerate().any(|(i, out)| {
        let Some(id) = session_sent(out).filter(|_| get(out, "/logout")) else {
            return false;
        };
        log[i + 1..].iter().any(|e| {
            e.browser == out.browser
                && get(e, "/")
                && redirects_to(e, "/login")
                && accepted(e)
                && session_sent(e).as_deref() == Some(id.as_str())
        })
    })
}

fn restart_dropped_id(log: &[Exchange]) -> bool {
    dropped_browser_session_cookie(log, |e| e.method == "GET")
}

fn lesson() -> Lesson {
    Lesson {
        intro: "Tutorial 000's name form, with its configuration spelled correctly: Flask-Session \
                with SESSION_TYPE = \"filesystem\" and SESSION_PERMANENT = False. The browser only \
                ever holds a random session id; the name you type is kept in the server's store \
                under session:<id>. Watch the wire for the id and the store panel for the data."
            .into(),
        steps: vec![
            Step {
                id: "anonymous",
                todo: "Open / before registering.",
                watch: "A 302 to /login with Vary: Cookie and no Set-Cookie.",
                why: "The view only reads the session. Flask-Session saves nothing for an empty \
                      session, so a visitor who never registers gets neither a cookie nor a \
                      stored entry.",
                doit: &[Action::Navigate("/")],
                done: anonymous_sent_to_login,
            },
            Step {
                id: "register",
                todo: "Type a name on /login and submit it.",
                watch: "POST /login answers 302 with Set-Cookie: session=<43 characters>; \
                        HttpOnly; Path=/. No Expires, and no dots in the value.",
                why: "The value is a random id (32 random bytes in URL-safe base64), not your \
                      data: the name is in the store panel. SESSION_PERMANENT = False leaves \
                      Expires out, so the browser keeps the id only until it closes.",
                doit: &[Action::Submit {
                    action: "/login",
                    fields: &[("name", "ada")],
                }],
                done: registered_with_browser_session_id,
            },
            Step {
                id: "no-greeting",
                todo: "Read the page / shows after the redirect.",
                watch: "A 200, yet the page says nobody is registered, while the store holds \
                        your name under user_name.",
                why: "The welcome template tests session.name, but the view stored user_name. \
                      Jinja finds no name key, so the greeting never shows. The 200 itself \
                      proves the name is there: / only answers 200 when user_name is set.",
                doit: &[Action::Navigate("/")],
                done: index_answered_with_stored_session,
            },
            Step {
                id: "logout-keeps-entry",
                todo: "Open /logout (the app links to it nowhere).",
                watch: "/logout sends the same id again; the redirected request to / carries \
                        it, the server finds its entry, and still sends you to /login.",
                why: "Setting user_name to None keeps the key, so the session is not empty and \
                      Flask-Session keeps both the entry (now user_name: None) and the cookie. \
                      session.pop(\"user_name\", None) would leave an empty session, which \
                      Flask-Session deletes from the store while expiring the cookie.",
                doit: &[Action::Navigate("/logout")],
                done: logout_kept_the_entry,
            },
            Step {
                id: "restart",
                todo: "Close and reopen the browser, then open /.",
                watch: "The request goes out with no Cookie header and lands on /login, while \
                        the store panel still lists the old entry.",
                why: "A cookie without Expires lasts as long as the browser. The entry it \
                      pointed to stays on the server, out of reach, until its timeout \
                      (PERMANENT_SESSION_LIFETIME, 31 days here) runs out.",
                doit: &[Action::RestartBrowser, Action::Navigate("/")],
                done: restart_dropped_id,
            },
        ],
        myths: vec![
            Myth {
                claim: "Tutorial 000 says the session is kept in the server's temporary \
                        directory and signed cryptographically.",
                truth: "Flask-Session's filesystem backend pickles the data into files under \
                        flask_session/ in the working directory (SESSION_FILE_DIR), and the \
                        cookie is a bare random id: Flask-Session 0.8 signs it only with the \
                        deprecated SESSION_USE_SIGNER.",
                shown_by: "Step \"register\" and the store panel".into(),
            },
            Myth {
                claim: "Tutorial 000 says SESSION_PERMANENT = False gives the session a time \
                        limit after which it expires, and its FAQ puts that limit at 31 days.",
                truth: "It takes Expires off the id cookie, so the browser forgets the id when \
                        it closes. The 31 days (PERMANENT_SESSION_LIFETIME) are how long the \
                        stored entry lasts after the last request that saved it; only permanent \
                        sessions put them on the cookie.",
                shown_by: "Steps \"register\" and \"restart\", and the store panel's countdown"
                    .into(),
            },
            Myth {
                claim: "Tutorial 000's first configuration snippet stores sessions on disk \
                        with SESSION_TYPE = \"file\".",
                truth: "The backend is called \"filesystem\". Flask-Session 0.8 refuses \
                        anything but redis, memcached, filesystem, cachelib, mongodb, \
                        sqlalchemy or dynamodb: Session(app) raises ValueError: Unrecognized \
                        value for SESSION_TYPE: file.",
                shown_by: format!(
                    "The Flask code panel, and the {} scenario",
                    super::seed_000_misspelled::SCENARIO.id
                ),
            },
            Myth {
                claim: "Tutorial 000 logs the user out by setting the name to None.",
                truth: "The key stays, holding None: the stored entry and the id cookie \
                        survive, and the app only treats the visitor as a stranger because None \
                        is falsy. session.pop(\"user_name\", None) or session.clear() removes \
                        the data, and Flask-Session then deletes the entry and the cookie.",
                shown_by: "Step \"logout-keeps-entry\"".into(),
            },
            Myth {
                claim: "Tutorial 000's welcome page greets the registered user by name.",
                truth: "Its template tests session.name while the view stores user_name, so the \
                        greeting never appears, even right after registering.",
                shown_by: "Step \"no-greeting\"".into(),
            },
            Myth {
                claim: "Tutorial 000's FAQ says nothing can clear a session, short of changing \
                        the secret key.",
                truth: "session.clear() empties it and session.pop(key, None) removes one key. \
                        Changing SECRET_KEY does nothing here, since Flask-Session without its \
                        signer never uses it; with Flask's cookie sessions it invalidates every \
                        user's cookie at once, unless the old key is kept in \
                        SECRET_KEY_FALLBACKS.",
                shown_by: format!(
                    "Step \"logout\" of {} (clear() at work)",
                    super::seed_002::SCENARIO.id
                ),
            },
        ],
    }
}

pub(super) const PRELUDE: &str = r#"LOGIN_PAGE = """<h1>Login</h1>
<form action="/login" method="post">
  <input type="text" name="name" placeholder="Name" autocomplete="off">
  <input type="submit" value="Register">
</form>"""

# Kept from the tutorial: the page tests session.name, but the view stores user_name.
WELCOME_PAGE = """{% if session.name %}Registered as {{ session.name }}. <a href="/logout">logout</a>
{% else %}Nobody is registered here yet. <a href="/login">login</a>{% endif %}"""
"#;

pub(super) const VIEWS: &str = r#"

@app.route("/")
def index():
    if not session.get("user_name"):
        return redirect("/login")
    return render_template_string(WELCOME_PAGE)


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        {permanent}
        session["user_name"] = request.form.get("name")
        return redirect("/")
    return LOGIN_PAGE


@app.route("/logout")
def logout():
    session["user_name"] = None  # keeps the key; session.pop("user_name", None) removes it
    return redirect("/")
"#;
