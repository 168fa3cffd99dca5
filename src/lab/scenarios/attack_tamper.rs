//! Scenario `attack-tamper`: a name kept in a plain cookie is whatever the browser says; the
//! same name in Flask's signed session cannot be changed without the key.

use super::{Fix, Scenario, Shown};
use crate::engine::apps::plain_cookie::{self, COOKIE};
use crate::engine::flask::sessions::CookieVerdict;
use crate::engine::itsdangerous::signing::UnsignError;
use crate::engine::werkzeug::cookie::parse_cookie_header;
use crate::lab::flask_code::{Program, Settings, DEFAULT_LIFETIME};
use crate::lab::lesson::{
    get, payload_json, post, redirects_to, Lesson, Myth, SetCookieLine, Step,
};
use crate::lab::{Action, Exchange};

pub const SCENARIO: Scenario = Scenario {
    id: "attack-tamper",
    title: "Attack: tamper with the session",
    promise: "Change user_name to admin in the browser: a plain cookie believes it, Flask's \
              signed session refuses it and quietly starts an empty one.",
    app: plain_cookie::app,
    start: "/",
    lesson,
    code: PLAIN_PROGRAM,
    settings,
    shown: Shown::ATTACKER,
    flow: None,
    fix: Some(Fix {
        label: "Keep the name in Flask's signed session",
        app: plain_cookie::signed_app,
        code: Some(&SIGNED_PROGRAM),
    }),
};

/// The settings the unsigned site runs with: no secret key, since nothing is signed.
fn settings() -> Settings {
    Settings::client("", false, DEFAULT_LIFETIME)
}

const SIGN_IN: Action = Action::Submit {
    action: "/login",
    fields: &[("username", "ada"), ("password", "lovelace")],
};

/// The value of the cookie `name` as the request carried it.
fn sent(e: &Exchange, name: &str) -> Option<String> {
    parse_cookie_header(e.cookie.as_deref()?)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
}

/// The `Set-Cookie` lines of a response named `name` that set a value.
fn set_named<'a>(e: &'a Exchange, name: &'a str) -> impl Iterator<Item = SetCookieLine<'a>> {
    e.set_cookies()
        .into_iter()
        .map(SetCookieLine::parse)
        .filter(move |c| c.name == name && !c.deletes(e.at))
}

/// The signed payload says the user is admin.
fn says_admin(value: &str) -> bool {
    payload_json(value).is_some_and(|json| json.contains("\"user_name\":\"admin\""))
}

fn plain_cookie_set(log: &[Exchange]) -> bool {
    log.iter()
        .any(|e| post(e, "/login") && redirects_to(e, "/") && set_named(e, COOKIE).next().is_some())
}

fn edited_cookie_opened_admin(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        get(e, "/admin")
            && e.status() == 200
            && sent(e, COOKIE).as_deref() == Some("admin")
            && sent(e, "session").is_none()
    })
}

fn signed_session_set(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        post(e, "/login")
            && redirects_to(e, "/")
            && set_named(e, "session")
                .any(|c| payload_json(c.value).is_some_and(|json| json.contains("\"user_name\"")))
    })
}

fn forged_payload_refused(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        get(e, "/admin")
            && redirects_to(e, "/login")
            && sent(e, "session").is_some_and(|v| says_admin(&v))
            && e.verdict == Some(CookieVerdict::Rejected(UnsignError::BadSignature))
    })
}

fn empty_session_after_forgery(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        get(e, "/")
            && e.status() == 200
            && sent(e, "session").is_some_and(|v| says_admin(&v))
            && e.verdict == Some(CookieVerdict::Rejected(UnsignError::BadSignature))
            && e.response.body.contains("Nobody is signed in.")
            && e.set_cookies().is_empty()
    })
}

fn lesson() -> Lesson {
    Lesson {
        intro: "A small site with two accounts, ada and admin; only admin may open /admin. This \
                first version keeps the signed-in name in a cookie of its own, user_name, set \
                with resp.set_cookie and read back with request.cookies.get. The password is \
                checked once, at sign-in; after that the site believes the cookie. You are the \
                attacker: you know ada's password, not admin's."
            .into(),
        steps: vec![
            Step {
                id: "login",
                todo: "Open /login and sign in as ada (password lovelace).",
                watch: "POST /login answers 302 to / with Set-Cookie: user_name=ada; Path=/. \
                        Nothing in that value proves that the server wrote it.",
                why: "resp.set_cookie stores the text exactly as given. The browser keeps it and \
                      sends it back, and anyone at the keyboard can change it first.",
                doit: &[Action::Navigate("/login"), SIGN_IN],
                done: plain_cookie_set,
            },
            Step {
                id: "edit",
                todo: "In the jar, change user_name to admin, then open /admin.",
                watch: "The request carries Cookie: user_name=admin and gets the admin page.",
                why: "The view compares the cookie with \"admin\" and nothing else. A cookie is \
                      input from the browser, like a form field: DevTools, a proxy or curl can \
                      send any value.",
                doit: &[
                    Action::EditCookie {
                        name: COOKIE,
                        value: "admin",
                    },
                    Action::Navigate("/admin"),
                ],
                done: edited_cookie_opened_admin,
            },
            Step {
                id: "fix",
                todo: "Run the fix (the name moves into Flask's signed session), then sign in \
                       as ada again.",
                watch: "POST /login now sets session=eyJ1c2VyX25hbWUiOiJhZGEifQ.…: payload, \
                        timestamp and signature. The old user_name=admin cookie still goes \
                        out with every request; the new code never reads it.",
                why: "Flask signs the session with HMAC-SHA1 under a key derived from \
                      SECRET_KEY. Anyone can still read the payload (decode it), but only \
                      the holder of the key can produce a signature that matches it.",
                doit: &[Action::Fix, Action::Navigate("/login"), SIGN_IN],
                done: signed_session_set,
            },
            Step {
                id: "forge",
                todo: "Attack again: replace the session payload with {\"user_name\": \
                       \"admin\"}, keeping the signature, and open /admin.",
                watch: "The request sends the forged cookie; the wire notes the refusal (bad \
                        signature), and /admin answers 302 to /login.",
                why: "itsdangerous computes the signature of the payload and timestamp it \
                      received and compares it with the one attached. A changed payload no \
                      longer matches, so Flask discards the cookie before the view runs.",
                doit: &[
                    Action::Forge(r#"{"user_name":"admin"}"#),
                    Action::Navigate("/admin"),
                ],
                done: forged_payload_refused,
            },
            Step {
                id: "quiet",
                todo: "Open /.",
                watch: "Nobody is signed in: not ada, not admin. No error page, no Set-Cookie.",
                why: "On a bad signature Flask does not raise an error: it catches \
                      BadSignature and starts an empty session. The forged cookie cost the \
                      attacker ada's session too, and the server logged nothing.",
                doit: &[Action::Navigate("/")],
                done: empty_session_after_forgery,
            },
        ],
        myths: vec![
            Myth {
                claim: "Tutorial 003 says cookie data can be modified, while session data is \
                        kept on the server where it cannot be tampered with.",
                truth: "Flask's default session is a cookie too. What stops tampering is its \
                        signature, not where it is kept: a plain cookie can be changed at will, \
                        a signed one cannot be changed without SECRET_KEY.",
                shown_by: "Step \"forge\"".into(),
            },
            Myth {
                claim: "Tutorial 001 warns that attackers send false cookies to a site.",
                truth: "They can, and a site that trusts a plain cookie believes them. Flask's \
                        signed session refuses a changed cookie; it still cannot tell whether \
                        an unchanged copy came from someone else (see the hijack scenario).",
                shown_by: "Step \"edit\"".into(),
            },
            Myth {
                claim: "A common belief: a forged session cookie makes Flask fail with an \
                        error.",
                truth: "Flask catches BadSignature and carries on with an empty session. \
                        Nothing is logged; the visitor is simply signed out.",
                shown_by: "Step \"quiet\"".into(),
            },
        ],
    }
}

/// The unsigned site, as many tutorials write it.
const PLAIN_PROGRAM: Program = Program {
    flask: &["redirect", "request", "url_for"],
    imports: &["from markupsafe import escape"],
    prelude: PRELUDE,
    views: PLAIN_VIEWS,
    misspelled: false,
};

/// The fix: the same views on `session`.
pub const SIGNED_PROGRAM: Program = Program {
    flask: &["redirect", "request", "session", "url_for"],
    imports: &["from markupsafe import escape"],
    prelude: PRELUDE,
    views: SIGNED_VIEWS,
    misspelled: false,
};

const PRELUDE: &str = r#"USERS = {"ada": "lovelace", "admin": "only-the-admin-knows"}
FORM = """<h3>Sign in</h3><form action="/login" method="post">
<input name="username" placeholder="Username">
<input type="password" name="password" placeholder="Password">
<button>Sign in</button></form>"""
ADMIN_PAGE = "<h1>Admin</h1><p>Every account, every order, and the Delete buttons.</p>"


def home_page(name):
    if name is None:
        return '<p>Nobody is signed in. <a href="/login">Sign in</a></p>'
    return (f'<p>Signed in as {escape(name)}. <a href="/admin">Admin</a> '
            '<a href="/logout">Log out</a></p>')


def checked_name():
    name = request.form.get("username")
    if name not in USERS or request.form.get("password") != USERS[name]:
        return None
    return name
"#;

const PLAIN_VIEWS: &str = r#"

@app.route("/")
def home():
    return home_page(request.cookies.get("user_name"))


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        name = checked_name()
        if name is None:
            return FORM + "<p>Wrong name or password.</p>"
        {permanent}
        resp = redirect(url_for("home"))
        resp.set_cookie("user_name", name)  # plain text, not signed
        return resp
    return FORM


@app.route("/logout")
def logout():
    resp = redirect(url_for("home"))
    resp.delete_cookie("user_name")
    return resp


@app.route("/admin")
def admin():
    if request.cookies.get("user_name") != "admin":  # believes the browser
        return redirect(url_for("login"))
    return ADMIN_PAGE
"#;

const SIGNED_VIEWS: &str = r#"

@app.route("/")
def home():
    return home_page(session.get("user_name"))


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        name = checked_name()
        if name is None:
            return FORM + "<p>Wrong name or password.</p>"
        {permanent}
        session["user_name"] = name  # signed with SECRET_KEY
        return redirect(url_for("home"))
    return FORM


@app.route("/logout")
def logout():
    session.pop("user_name", None)
    return redirect(url_for("home"))


@app.route("/admin")
def admin():
    if session.get("user_name") != "admin":  # None unless the signature matched
        return redirect(url_for("login"))
    return ADMIN_PAGE
"#;
