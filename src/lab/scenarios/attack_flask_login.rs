//! Scenario `attack-flask-login`: Flask-Login's remember cookie outliving a logout, what
//! `fresh_login_required` and `SESSION_PROTECTION = "strong"` do about a copied login, and the
//! fix: an alternative id (`get_id`) that changes when the user logs out, so every earlier
//! session and remember cookie stops loading a user. The app is
//! [`crate::engine::apps::remember`]; the attacker works in the second browser.

use super::{Fix, Flow, Login, Scenario, Shown};
use crate::engine::apps::remember;
use crate::engine::werkzeug::cookie::parse_cookie_header;
use crate::lab::flask_code::{Program, Settings, DEFAULT_LIFETIME};
use crate::lab::lesson::{
    get, payload_json, post, redirects_to, session_sent, session_set, Lesson, Myth, SetCookieLine,
    Step, REMEMBER_COOKIE,
};
use crate::lab::{Action, BrowserId, Exchange};

pub const SCENARIO: Scenario = Scenario {
    id: "attack-flask-login",
    title: "Attack: Flask-Login's remember cookie and session protection",
    promise: "A copied remember_token that outlives logging out, what fresh logins and strong \
              session protection do about it, and the id that ends it.",
    app: remember::app,
    start: "/login",
    lesson,
    code: PROGRAM,
    settings,
    shown: Shown::ATTACKER,
    flow: Some(Flow {
        login: Login {
            path: "/login",
            fields: &[("username", "ada"), ("password", "lovelace")],
            // The plain "Sign in" button: no remember cookie.
            button: Some("button[type=submit]:not([name])"),
        },
        protected: "/account",
        inside: "Account of ada",
        outside: "Sign in below.",
        logout: "/logout",
        logged_out: Some("Sign in below."),
    }),
    fix: Some(Fix {
        label: "Change the user's id at logout",
        app: remember::fixed_app,
        code: Some(&FIXED),
    }),
};

/// Ada's browser.
pub const ADA_AGENT: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
     Chrome/126.0.0.0 Safari/537.36";
/// The attacker's browser.
pub const EVE_AGENT: &str =
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

fn settings() -> Settings {
    Settings::client(remember::SECRET_KEY, false, DEFAULT_LIFETIME)
}

// ---------------------------------------------------------------------------------------------
// Reading the log.

/// The remember cookie a request carried.
fn remember_sent(e: &Exchange) -> Option<String> {
    parse_cookie_header(e.cookie.as_deref()?)
        .into_iter()
        .find(|(name, value)| name == REMEMBER_COOKIE && !value.is_empty())
        .map(|(_, value)| value)
}

/// The remember cookie lines of a response.
fn remember_lines(e: &Exchange) -> impl Iterator<Item = SetCookieLine<'_>> {
    e.set_cookies()
        .into_iter()
        .map(SetCookieLine::parse)
        .filter(|c| c.name == REMEMBER_COOKIE)
}

fn remember_set(e: &Exchange) -> Option<SetCookieLine<'_>> {
    remember_lines(e).find(|c| !c.deletes(e.at))
}

fn remember_deleted(e: &Exchange) -> bool {
    remember_lines(e).any(|c| c.deletes(e.at))
}

/// The user id a remember cookie value names (what comes before the last `|`).
fn remembered_id(value: &str) -> &str {
    value.rsplit_once('|').map_or("", |(id, _)| id)
}

fn second(e: &Exchange) -> bool {
    e.browser == BrowserId::Second
}

fn signed_in_with_remember(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        e.browser == BrowserId::Main
            && post(e, "/login")
            && redirects_to(e, "/account")
            && remember_set(e).is_some_and(|c| c.persistent() && remembered_id(c.value) == "ada")
    })
}

/// The attacker's browser, with another User-Agent, was let into /account with the copied
/// session, which basic protection marked not fresh.
fn copied_login_works(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        second(e)
            && get(e, "/account")
            && e.status() == 200
            && e.user_agent.as_deref() == Some(EVE_AGENT)
            && session_sent(e).is_some()
            && session_set(e)
                .and_then(|c| payload_json(c.value))
                .is_some_and(|json| json.contains("\"_fresh\":false"))
    })
}

fn logged_out_here(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        e.browser == BrowserId::Main
            && get(e, "/logout")
            && remember_sent(e).is_some()
            && remember_deleted(e)
    })
}

/// After Ada's logout, the attacker's browser got /account with the remember cookie alone.
fn remember_outlives_logout(log: &[Exchange]) -> bool {
    let Some(logout) = log
        .iter()
        .position(|e| e.browser == BrowserId::Main && get(e, "/logout") && remember_deleted(e))
    else {
        return false;
    };
    log[logout..].iter().any(|e| {
        second(e)
            && get(e, "/account")
            && e.status() == 200
            && session_sent(e).is_none()
            && remember_sent(e).is_some_and(|v| remembered_id(&v) == "ada")
    })
}

fn stale_login_sent_to_reauth(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        second(e)
            && get(e, "/settings")
            && e.status() == 302
            && e.header("Location") == Some("/reauth?next=%2Fsettings")
    })
}

/// Strong protection: the copied session from another User-Agent is emptied and the remember
/// cookie deleted.
fn strong_wipes_copy(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        second(e)
            && get(e, "/account")
            && e.user_agent.as_deref() == Some(EVE_AGENT)
            && session_sent(e).is_some()
            && remember_sent(e).is_some()
            && remember_deleted(e)
            && e.status() == 302
    })
}

/// With Ada's User-Agent, the copied session passes strong protection.
fn same_agent_passes(log: &[Exchange]) -> bool {
    let Some(wiped) = log.iter().position(|e| {
        second(e) && get(e, "/account") && remember_deleted(e) && session_sent(e).is_some()
    }) else {
        return false;
    };
    log[wiped..].iter().any(|e| {
        second(e)
            && get(e, "/account")
            && e.status() == 200
            && e.user_agent.as_deref() == Some(ADA_AGENT)
            && session_sent(e).is_some()
    })
}

/// The corrected app's remember cookie names a generation (`ada:1|...`).
fn generation_in_token(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        post(e, "/login")
            && remember_set(e).is_some_and(|c| remembered_id(c.value).starts_with("ada:"))
    })
}

/// The attacker's copied `ada:N` remember cookie, alone, no longer signs in.
fn copied_token_refused(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        second(e)
            && get(e, "/account")
            && session_sent(e).is_none()
            && remember_sent(e).is_some_and(|v| remembered_id(&v).starts_with("ada:"))
            && e.status() == 302
            && e.header("Location") == Some("/login?next=%2Faccount")
    })
}

// ---------------------------------------------------------------------------------------------
// The lesson.

/// Signing in as ada with the first ("remember me") button, the form's default.
const SIGN_IN_REMEMBERED: Action = Action::Submit {
    action: "/login",
    fields: &[
        ("username", "ada"),
        ("password", "lovelace"),
        ("remember", "yes"),
    ],
};

/// The attacker copies every cookie of Ada's browser (the browser in hand, so HttpOnly does not
/// matter) into their own.
const COPY: Action = Action::Steal { script: false };
const PLANT_IN_SECOND: Action = Action::Second(&Action::Plant);

fn lesson() -> Lesson {
    Lesson {
        intro: "Flask-Login's \"remember me\" is a second cookie, remember_token, holding the \
                user id and an HMAC of it made with SECRET_KEY. When the session cookie is gone \
                (the browser was closed), a valid remember_token signs the user in again. The \
                value depends on nothing but the id and the key, so it is the same on every \
                device and never changes, and logout_user deletes it only in the browser that \
                logged out. Here Ada signs in, an attacker copies her cookies into a second \
                browser, and we see what logging out, fresh logins and session protection do \
                about it."
            .into(),
        steps: vec![
            Step {
                id: "login",
                todo: "Sign in as ada (password lovelace) with \"Sign in and remember me\".",
                watch: "POST /login sets two cookies: session, and remember_token=ada|... with \
                        an Expires a year away.",
                why: "login_user(user, remember=True) puts _remember = \"set\" in the session, \
                      and Flask-Login's after-request hook writes the cookie: the id, a |, and \
                      the HMAC-SHA512 of the id. REMEMBER_COOKIE_DURATION defaults to 365 days.",
                doit: &[
                    Action::UserAgent(ADA_AGENT),
                    Action::Navigate("/login"),
                    SIGN_IN_REMEMBERED,
                ],
                done: signed_in_with_remember,
            },
            Step {
                id: "copy",
                todo: "As the attacker: copy Ada's cookies, open a second browser with another \
                       User-Agent, put them in and open /account.",
                watch: "GET /account from the second browser answers 200, Account of ada. The \
                        session cookie comes back with _fresh set to false.",
                why: "Flask-Login stores _id, a SHA-512 of the client's address and \
                      User-Agent, at login. The default protection, \"basic\", only marks a \
                      session from another _id as not fresh and lets it in.",
                doit: &[
                    COPY,
                    Action::OpenSecond,
                    Action::Second(&Action::UserAgent(EVE_AGENT)),
                    PLANT_IN_SECOND,
                    Action::NavigateSecond("/account"),
                ],
                done: copied_login_works,
            },
            Step {
                id: "logout",
                todo: "As Ada: log out in the first browser.",
                watch: "GET /logout deletes both cookies in Ada's browser (Max-Age=0) and \
                        redirects to /login.",
                why: "logout_user removes the user from this session and, because the request \
                      carried a remember_token, asks for that cookie to be deleted. Nothing is \
                      recorded on the server: the app has nowhere to note that this token is \
                      no longer wanted.",
                doit: &[Action::Navigate("/logout")],
                done: logged_out_here,
            },
            Step {
                id: "outlives",
                todo: "As the attacker: close and reopen the second browser, then open \
                       /account.",
                watch: "The request carries only remember_token, and the answer is 200, \
                        Account of ada, with a new session cookie.",
                why: "Closing the browser dropped the copied session cookie, which had no \
                      Expires. The remember_token is still valid: the server checks only its \
                      HMAC, never its age. REMEMBER_COOKIE_DURATION (365 days) is just the \
                      cookie's Expires, which whoever holds a copy can set again, so it \
                      works until the user's id or SECRET_KEY changes.",
                doit: &[
                    Action::Second(&Action::RestartBrowser),
                    Action::NavigateSecond("/account"),
                ],
                done: remember_outlives_logout,
            },
            Step {
                id: "not-fresh",
                todo: "As the attacker: open /settings.",
                watch: "302 to /reauth?next=%2Fsettings: the page wants the password again.",
                why: "A login restored from the remember cookie has _fresh = False. \
                      fresh_login_required sends such a login to refresh_view, so the pages \
                      that change a password or an e-mail address stay out of reach.",
                doit: &[Action::NavigateSecond("/settings")],
                done: stale_login_sent_to_reauth,
            },
            Step {
                id: "strong",
                todo: "Set SESSION_PROTECTION to \"strong\"; as the attacker, put the copied \
                       cookies back and open /account.",
                watch: "302 to /login: the response empties the session and deletes \
                        remember_token (Max-Age=0).",
                why: "With \"strong\", a non-permanent session whose _id does not match is \
                      wiped and the remember cookie cleared. A session restored from the \
                      remember cookie has no _id at all, so it is wiped on its second request \
                      too: strong protection and \"remember me\" hardly work together.",
                doit: &[
                    Action::Configure("SESSION_PROTECTION", "strong"),
                    PLANT_IN_SECOND,
                    Action::NavigateSecond("/account"),
                ],
                done: strong_wipes_copy,
            },
            Step {
                id: "same-agent",
                todo: "As the attacker: send Ada's User-Agent, put the cookies back again and \
                       open /account.",
                watch: "200, Account of ada, under strong protection.",
                why: "_id hashes what the client says: the User-Agent, and the address, which \
                      Flask-Login takes from X-Forwarded-For when that header is sent. An \
                      attacker can send both. (The copied session itself still works after \
                      Ada's logout: a signed cookie cannot be revoked.)",
                doit: &[
                    Action::Second(&Action::UserAgent(ADA_AGENT)),
                    PLANT_IN_SECOND,
                    Action::NavigateSecond("/account"),
                ],
                done: same_agent_passes,
            },
            Step {
                id: "fix",
                todo: "Run the corrected app and sign Ada in again with \"remember me\".",
                watch: "The remember_token is now ada:1|...: the id carries a generation.",
                why: "Flask-Login stores whatever get_id returns. The corrected User returns \
                      name:generation, the user loader accepts only the current generation, and \
                      logout adds one to it. This is the alternative token Flask-Login's \
                      documentation suggests for signing a user out everywhere.",
                doit: &[Action::Fix, Action::Navigate("/login"), SIGN_IN_REMEMBERED],
                done: generation_in_token,
            },
            Step {
                id: "retry",
                todo: "As the attacker: copy Ada's cookies again. Ada logs out; the attacker \
                       closes and reopens the second browser and opens /account.",
                watch: "The request carries remember_token=ada:1|..., and the answer is a 302 \
                        to /login?next=%2Faccount.",
                why: "The HMAC is still good, but the user loader now gets ada:1 while the \
                      generation is 2, and returns None. The copied session cookie names ada:1 \
                      too, so it is just as dead.",
                doit: &[
                    COPY,
                    PLANT_IN_SECOND,
                    Action::Navigate("/logout"),
                    Action::Second(&Action::RestartBrowser),
                    Action::NavigateSecond("/account"),
                ],
                done: copied_token_refused,
            },
        ],
        myths: vec![
            Myth {
                claim: "Tutorial 000 says Flask-Login takes care of logging users in and out \
                        and of remembering them for a long time.",
                truth: "Remembering is a cookie of id|HMAC that never changes, and logging out \
                        deletes it only in the browser that logs out. The server never checks a \
                        token's age (REMEMBER_COOKIE_DURATION only sets the cookie's Expires), \
                        so a copy keeps signing in until the app changes the id or SECRET_KEY.",
                shown_by: "Step \"outlives\"".into(),
            },
            Myth {
                claim: "A common belief: SESSION_PROTECTION = \"strong\" stops stolen sessions.",
                truth: "It compares a hash of the User-Agent and the client's address, both sent \
                        by the client. An attacker who copies them passes; meanwhile it wipes \
                        sessions restored from the remember cookie.",
                shown_by: "Step \"same-agent\"".into(),
            },
            Myth {
                claim: "A common belief: logging out ends the user's login everywhere.",
                truth: "logout_user changes only the browser that sent the request. To end \
                        every login, the server must refuse the old ones: here by changing the \
                        id that sessions and remember cookies carry.",
                shown_by: "Step \"retry\"".into(),
            },
        ],
    }
}

// ---------------------------------------------------------------------------------------------
// The Flask code: the same pages, users and views in both programs, apart from the `User`
// class with its loader, and logout.

/// The program the scenario starts with.
pub const PROGRAM: Program = Program {
    flask: &["redirect", "request", "url_for"],
    imports: IMPORTS,
    prelude: concat!(pages!(), users!()),
    views: concat!(views!(), logout!()),
    misspelled: false,
};

/// The corrected program: `get_id` returns `name:generation`, and logout moves it on.
pub const FIXED: Program = Program {
    prelude: concat!(pages!(), fixed_users!()),
    views: concat!(views!(), fixed_logout!()),
    ..PROGRAM
};

const IMPORTS: &[&str] = &[
    "from flask_login import (LoginManager, UserMixin, confirm_login, \
    current_user,\n    fresh_login_required, login_fresh, login_required, login_user, logout_user)",
];

macro_rules! pages {
    () => {
        r#"PASSWORDS = {"ada": "lovelace"}
NAV = ('<nav><a href="/account">Account</a> <a href="/settings">Settings</a> '
       '<a href="/login">Sign in</a> <a href="/logout">Log out</a></nav>\n')
PASSWORD = '<input type="password" name="password" placeholder="Password"> '
LOGIN = ('<h3>Sign in below.</h3><form action="/login" method="post"><input name="username" '
         'placeholder="Username"> ' + PASSWORD + '<button type="submit" name="remember" '
         'value="yes">Sign in and remember me</button> <button type="submit">Sign in</button></form>')
REAUTH = ('<h3>Confirm your password.</h3><form action="/reauth" method="post">' + PASSWORD +
          '<button type="submit">Confirm</button></form>')
login_manager = LoginManager(app)  # SESSION_PROTECTION: "basic" unless configured
login_manager.login_view = "login"
login_manager.refresh_view = "reauth"  # where fresh_login_required sends a stale login
"#
    };
}
use pages;

macro_rules! users {
    () => {
        r#"

class User(UserMixin):
    def __init__(self, name):
        self.id = self.name = name  # get_id() returns the name, for ever


@login_manager.user_loader
def load_user(user_id):
    return User(user_id) if user_id in PASSWORDS else None
"#
    };
}
use users;

macro_rules! fixed_users {
    () => {
        r#"GENERATION = {"ada": 1}  # moved on by logout: older ids stop loading


class User(UserMixin):
    def __init__(self, name):
        self.name = name

    def get_id(self):
        return f"{self.name}:{GENERATION[self.name]}"


@login_manager.user_loader
def load_user(user_id):
    name, _, generation = str(user_id).partition(":")
    if name in GENERATION and generation == str(GENERATION[name]):
        return User(name)
    return None
"#
    };
}
use fixed_users;

macro_rules! views {
    () => {
        r#"

@app.route("/login", methods=["GET", "POST"])
def login():
    name, password = request.form.get("username"), request.form.get("password")
    if request.method == "POST" and password and PASSWORDS.get(name) == password:
        {permanent}
        login_user(User(name), remember=request.form.get("remember") == "yes")
        return redirect(url_for("account"))
    return NAV + LOGIN


@app.route("/account")
@login_required
def account():
    fresh = "fresh" if login_fresh() else "not fresh"
    return NAV + f"<h3>Account of {current_user.name}</h3><p>This login is {fresh}.</p>"


@app.route("/settings")
@fresh_login_required
def settings():
    return NAV + "<h3>Settings</h3><p>Only a fresh login gets here.</p>"


@app.route("/reauth", methods=["GET", "POST"])
@login_required
def reauth():
    if request.method == "POST" and request.form.get("password") == PASSWORDS[current_user.name]:
        confirm_login()
        return redirect(url_for("settings"))
    return NAV + REAUTH
"#
    };
}
use views;

macro_rules! logout {
    () => {
        r#"

@app.route("/logout")
def logout():
    logout_user()  # deletes the remember cookie in this browser only
    return redirect(url_for("login"))
"#
    };
}
use logout;

macro_rules! fixed_logout {
    () => {
        r#"

@app.route("/logout")
def logout():
    if current_user.is_authenticated:
        GENERATION[current_user.name] += 1  # ends every session and remember cookie of the user
    logout_user()
    return redirect(url_for("login"))
"#
    };
}
use fixed_logout;
