//! Scenario `seed-003`: Tutorial 003's login on a permanent cookie session of five minutes.

use super::{Flow, Login, Scenario, Shown};
use crate::engine::apps::{seed_003, Services};
use crate::engine::flask::app::App;
use crate::engine::flask_session::StartupError;
use crate::lab::flask_code::{Program, Settings};
use crate::lab::lesson::{
    get, lapsed_while_idle, payload_json, post, redirects_to, refreshed_later, session_sent,
    session_set, Lesson, Myth, Step,
};
use crate::lab::{Action, Exchange};

pub const SCENARIO: Scenario = Scenario {
    id: "seed-003",
    title: "Signed in for five idle minutes",
    promise: "A permanent cookie session is re-signed on every request and lapses after five \
             idle minutes; the name it shows is raw HTML.",
    app,
    start: "/login",
    lesson,
    code: Program {
        flask: &["redirect", "request", "session", "url_for"],
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
            fields: &[("nm", "ada")],
            button: Some("input[type=submit]"),
        },
        protected: "/user",
        inside: "ada",
        outside: "Login",
        logout: "/logout",
        logged_out: None,
    }),
    fix: None,
};

fn app(_: Services) -> Result<App, StartupError> {
    Ok(seed_003::app())
}

/// The settings the app runs with.
fn settings() -> Settings {
    Settings::client("hello", true, 5 * 60)
}

fn permanent_login(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        post(e, "/login")
            && redirects_to(e, "/user")
            && session_set(e).is_some_and(|c| {
                c.persistent()
                    && payload_json(c.value).is_some_and(|json| json.contains("\"_permanent\""))
            })
    })
}

fn user_lapsed(log: &[Exchange]) -> bool {
    lapsed_while_idle(log, |p| p == "/user", "/login")
}

fn logout_resigned_without_user(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        get(e, "/logout")
            && session_sent(e).is_some()
            && session_set(e)
                .and_then(|c| payload_json(c.value))
                .is_some_and(|json| !json.contains("\"user\""))
    })
}

fn markup_echoed(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        get(e, "/user")
            && e.status() == 200
            && e.response
                .body
                .strip_prefix("<h1>")
                .and_then(|b| b.strip_suffix("</h1>"))
                .is_some_and(|name| name.contains('<'))
    })
}

fn lesson() -> Lesson {
    Lesson {
        intro: "Tutorial 003's login: the name you submit is stored as user in Flask's cookie \
                session (SECRET_KEY \"hello\"), the session is made permanent at login, and \
                PERMANENT_SESSION_LIFETIME is five minutes."
            .into(),
        steps: vec![
            Step {
                id: "login",
                todo: "Submit a name on /login.",
                watch: "A 302 to /user with Set-Cookie: session=…; Expires five minutes ahead. \
                        Decode the payload: {\"_permanent\":true,\"user\":…}.",
                why: "session.permanent = True stores a _permanent flag in the session itself \
                      and makes Flask add Expires = now + PERMANENT_SESSION_LIFETIME. The data \
                      is signed, not hidden.",
                doit: &[Action::Submit {
                    action: "/login",
                    fields: &[("nm", "ada")],
                }],
                done: permanent_login,
            },
            Step {
                id: "sliding",
                todo: "Move the clock a minute (+1 min) and reload /user.",
                watch: "A fresh Set-Cookie with a new timestamp and a later Expires, though \
                        nothing in the session changed.",
                why: "With SESSION_REFRESH_EACH_REQUEST on (the default), Flask re-signs a \
                      permanent session on every request, so the five minutes count from the \
                      last request, not from the login.",
                doit: &[Action::Advance(60), Action::Reload],
                done: refreshed_later,
            },
            Step {
                id: "idle",
                todo: "Stay idle for more than five minutes (+5 min), then reload /user.",
                watch: "No Cookie header this time, and a 302 to /login.",
                why: "The cookie's Expires has passed, so the browser dropped it. Had it been \
                      sent anyway, Flask would refuse it: its signature's timestamp is older \
                      than PERMANENT_SESSION_LIFETIME.",
                doit: &[Action::Advance(5 * 60), Action::Reload],
                done: user_lapsed,
            },
            Step {
                id: "logout",
                todo: "Sign in again, then open /logout.",
                watch: "The answer sets the cookie again, now holding only {\"_permanent\":true}.",
                why: "pop(\"user\") removes one key, and _permanent keeps a Flask cookie session \
                      non-empty, so it is re-signed rather than deleted. The server keeps no \
                      record: an older copy that still holds user stays valid until it is five \
                      minutes old.",
                doit: &[
                    Action::Submit {
                        action: "/login",
                        fields: &[("nm", "ada")],
                    },
                    Action::Navigate("/logout"),
                ],
                done: logout_resigned_without_user,
            },
            Step {
                id: "xss",
                todo: "Sign in with the name <b>hi</b> (any HTML will do).",
                watch: "/user answers <h1><b>hi</b></h1>: your markup came back as markup.",
                why: "A string returned by a view is sent as HTML, unescaped, so a name holding \
                      a script would run in the page (cross-site scripting). markupsafe.escape() \
                      or a Jinja template turns < into &lt;.",
                doit: &[Action::Submit {
                    action: "/login",
                    fields: &[("nm", "<b>hi</b>")],
                }],
                done: markup_echoed,
            },
        ],
        myths: vec![
            Myth {
                claim: "Tutorial 003 says sessions are stored server side in a temporary \
                        directory, encrypted.",
                truth: "With Flask's default interface the session is the cookie: JSON, base64 \
                        and an HMAC-SHA1 signature, readable by anyone who holds it and never \
                        stored on the server.",
                shown_by: "Step \"login\" (decode the payload)".into(),
            },
            Myth {
                claim: "Tutorial 003 says a permanent session lasts 30 days by default.",
                truth: "Flask's default PERMANENT_SESSION_LIFETIME is 31 days; this app \
                        shortens it to five minutes.",
                shown_by: "The Flask code panel".into(),
            },
            Myth {
                claim: "Tutorial 003 says a session that is not permanent lasts as long as the \
                        browser stays open.",
                truth: "The cookie does, but Flask checks every cookie's signature age against \
                        PERMANENT_SESSION_LIFETIME, permanent or not. A non-permanent session is \
                        re-signed only when it changes, so it stops verifying that long after its \
                        last change, however long the browser stays open.",
                shown_by: "Free play: turn permanent off and shorten the lifetime".into(),
            },
            Myth {
                claim: "Tutorial 003 shows the signed-in name by putting it straight into the \
                        HTML that /user returns.",
                truth: "Nothing escapes it, so whatever a visitor types is served as markup: \
                        cross-site scripting. Escape it with markupsafe.escape() or render it \
                        through a Jinja template.",
                shown_by: "Step \"xss\"".into(),
            },
            Myth {
                claim: "Tutorial 003 says logging out clears the user's session data.",
                truth: "pop(\"user\") removes one key; the permanent flag stays, so the cookie \
                        is re-signed, not deleted, and the server cannot cancel copies it \
                        already signed.",
                shown_by: "Step \"logout\"".into(),
            },
        ],
    }
}

const PRELUDE: &str = r#"LOGIN_PAGE = """<h1>Login</h1>
<form method="post">
  <p>Name: <input type="text" name="nm"></p>
  <p><input type="submit" value="submit"></p>
</form>"""
"#;

const VIEWS: &str = r#"

@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        {permanent}
        session["user"] = request.form["nm"]
        return redirect(url_for("user"))
    if "user" in session:
        return redirect(url_for("user"))
    return LOGIN_PAGE


@app.route("/user")
def user():
    if "user" not in session:
        return redirect(url_for("login"))
    return f"<h1>{session['user']}</h1>"  # unescaped, as in the tutorial: an XSS hole


@app.route("/logout")
def logout():
    session.pop("user", None)
    return redirect(url_for("login"))
"#;
