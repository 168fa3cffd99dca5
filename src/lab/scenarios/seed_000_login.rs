//! Scenario `seed-000-login`: The Flask-Login half of tutorial 000.

use super::{Flow, Login, Scenario, Shown};
use crate::engine::apps::{seed_000_login, Services};
use crate::engine::flask::app::App;
use crate::engine::flask_session::StartupError;
use crate::lab::flask_code::{Program, Settings, DEFAULT_LIFETIME};
use crate::lab::lesson::{
    get, payload_json, post, redirects_to, session_deleted, session_sent, session_set, Lesson,
    Myth, Step,
};
use crate::lab::{Action, Exchange};

pub const SCENARIO: Scenario = Scenario {
    id: "seed-000-login",
    title: "A page guarded by Flask-Login",
    promise: "What login_user writes into the session, and what a custom unauthorized \
             handler really answers.",
    app,
    start: "/protected",
    lesson,
    code: Program {
        flask: &["redirect", "request", "url_for"],
        imports: &[
            "from flask_login import (\n    LoginManager, UserMixin, current_user, \
                login_required, login_user, logout_user,\n)",
        ],
        prelude: PRELUDE,
        views: VIEWS,
        misspelled: false,
    },
    settings,
    shown: Shown::NONE,
    flow: Some(Flow {
        login: Login {
            path: "/login",
            fields: &[
                ("email", "ninja@codingninjas.com"),
                ("password", "ninja123"),
            ],
            button: Some("input[type=submit]"),
        },
        protected: "/protected",
        inside: "Logged in as: ninja@codingninjas.com",
        outside: "Unauthorized",
        logout: "/logout",
        logged_out: Some("Logged out"),
    }),
    fix: None,
};

fn app(_: Services) -> Result<App, StartupError> {
    Ok(seed_000_login::app())
}

/// The settings the app runs with.
fn settings() -> Settings {
    Settings::client("CODINGNINJAS", false, DEFAULT_LIFETIME)
}

fn unauthorized_is_a_200(log: &[Exchange]) -> bool {
    log.iter()
        .any(|e| get(e, "/protected") && e.status() == 200 && e.response.body == "Unauthorized")
}

fn login_user_wrote_the_session(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        post(e, "/login")
            && redirects_to(e, "/protected")
            && session_set(e)
                .and_then(|c| payload_json(c.value))
                .is_some_and(|json| json.contains("\"_user_id\""))
    })
}

fn protected_page_served(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        get(e, "/protected")
            && e.status() == 200
            && session_sent(e).is_some()
            && e.response.body.starts_with("Logged in as: ")
    })
}

fn logout_user_deleted_the_cookie(log: &[Exchange]) -> bool {
    log.iter()
        .any(|e| get(e, "/logout") && e.status() == 200 && session_deleted(e))
}

fn lesson() -> Lesson {
    Lesson {
        intro: "The Flask-Login half of tutorial 000, run with Flask-Login's real names \
                (UserMixin, user_loader, login_user, current_user, logout_user) where the \
                tutorial misnames them, and nothing else changed. Sessions are Flask's signed \
                cookies, with SECRET_KEY \"CODINGNINJAS\". The one account is \
                ninja@codingninjas.com, password ninja123."
            .into(),
        steps: vec![
            Step {
                id: "unauthorized",
                todo: "Open /protected before signing in.",
                watch: "Status 200, body Unauthorized.",
                why: "login_required hands anonymous visitors to the unauthorized_handler, and \
                      a plain string returned from a handler is an ordinary 200 page. Returning \
                      (\"Unauthorized\", 401) would send a real 401.",
                doit: &[Action::Navigate("/protected")],
                done: unauthorized_is_a_200,
            },
            Step {
                id: "login",
                todo: "Open /login and sign in as ninja@codingninjas.com with ninja123.",
                watch: "POST /login answers 302 to /protected with a session cookie. Decode its \
                        payload (a leading dot means zlib-compressed): _fresh, _id and _user_id.",
                why: "login_user stores the user's id as _user_id, marks the login fresh, and \
                      keeps _id, a SHA-512 of your address and User-Agent that session \
                      protection compares on later requests. No Expires: the session is not \
                      permanent, and without remember=True no remember_token is set.",
                doit: &[
                    Action::Navigate("/login"),
                    Action::Submit {
                        action: "/login",
                        fields: &[
                            ("email", "ninja@codingninjas.com"),
                            ("password", "ninja123"),
                            ("submit", "Submit"),
                        ],
                    },
                ],
                done: login_user_wrote_the_session,
            },
            Step {
                id: "protected",
                todo: "Follow the redirect to /protected (the lab does it for you).",
                watch: "200, Logged in as: ninja@codingninjas.com, and no Set-Cookie.",
                why: "The user_loader rebuilds the user from _user_id on every request. The \
                      session was only read, and Flask re-sends a non-permanent cookie session \
                      only when it changed.",
                doit: &[Action::Navigate("/protected")],
                done: protected_page_served,
            },
            Step {
                id: "logout",
                todo: "Open /logout.",
                watch: "Logged out, with Set-Cookie: session=; Expires=Thu, 01 Jan 1970 \
                        00:00:00 GMT; Max-Age=0.",
                why: "logout_user removes _user_id, _fresh and _id. Nothing is left, so Flask \
                      tells the browser to delete the cookie. The server keeps no list of \
                      sessions: a copy of the old cookie would still sign you in.",
                doit: &[Action::Navigate("/logout")],
                done: logout_user_deleted_the_cookie,
            },
        ],
        myths: vec![
            Myth {
                claim: "Tutorial 000 says Flask-Login remembers users' sessions for a long \
                        time.",
                truth: "Only login_user(user, remember=True) does that, with a remember_token \
                        cookie (365 days by default). The example never asks for it and its \
                        session is not permanent, so closing the browser signs the user out.",
                shown_by: "Step \"login\": no Expires, no remember_token".into(),
            },
            Myth {
                claim: "Tutorial 000 treats its unauthorized_handler's message as the answer to \
                        an unauthorized request.",
                truth: "Returning just the string sends status 200, so anything that checks the \
                        status sees success. Return it with 401, or set no handler and no \
                        login_view and Flask-Login aborts with 401 itself.",
                shown_by: "Step \"unauthorized\"".into(),
            },
            Myth {
                claim: "Tutorial 000's request_loader authenticates a student by setting \
                        is_authenticated from the submitted password.",
                truth: "UserMixin.is_authenticated is a read-only property, so the assignment \
                        raises AttributeError (a 500) for any known email. A request_loader \
                        returns the user when the credentials check out and None otherwise.",
                shown_by: "The Flask code panel, which leaves that loader out".into(),
            },
            Myth {
                claim: "Tutorial 000 builds its login on flask_login.studentMixin, \
                        student_loader, login_student, current_student and logout_student.",
                truth: "Flask-Login has no such names; they are UserMixin, user_loader, \
                        login_user, current_user and logout_user. The listing cannot run as \
                        printed, so this scenario runs it with the names corrected.",
                shown_by: "The Flask code panel".into(),
            },
        ],
    }
}

const PRELUDE: &str = r#"login_manager = LoginManager(app)

# The tutorial's one account; a real app keeps password hashes, never passwords.
STUDENTS = {"ninja@codingninjas.com": {"password": "ninja123"}}

LOGIN_FORM = """<form action="login" method="POST">
  <input type="text" name="email" placeholder="email">
  <input type="password" name="password" placeholder="password">
  <input type="submit" name="submit">
</form>"""


class Student(UserMixin):
    def __init__(self, email):
        self.id = email


@login_manager.user_loader
def load_student(email):
    return Student(email) if email in STUDENTS else None


# No request_loader: the tutorial's assigns to the read-only is_authenticated and can only fail.
@login_manager.unauthorized_handler
def unauthorized():
    return "Unauthorized"  # status 200; ("Unauthorized", 401) would say what it means
"#;

const VIEWS: &str = r#"

@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return LOGIN_FORM
    email = request.form["email"]
    if request.form["password"] == STUDENTS[email]["password"]:  # unknown email: a 500
        {permanent}
        login_user(Student(email))
        return redirect(url_for("protected"))
    return "Login failed"


@app.route("/protected")
@login_required
def protected():
    return "Logged in as: " + current_user.id


@app.route("/logout")
def logout():
    logout_user()
    return "Logged out"
"#;
