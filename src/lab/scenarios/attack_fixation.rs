//! Scenario `attack-fixation`: session fixation. The attacker gets a real session id by
//! visiting the site, puts it into the victim's browser, waits for the victim to sign in, and
//! then uses the same id; `regenerate()` at login stops it.

use super::{Fix, Flow, Login, Scenario, Shown};
use crate::engine::apps::{fixation, Services};
use crate::engine::flask::app::App;
use crate::engine::flask_session::StartupError;
use crate::lab::flask_code::{Program, Settings, DEFAULT_LIFETIME};
use crate::lab::lesson::{
    accepted, bare_id, get, post, redirects_to, refused, session_sent, session_set, Lesson, Myth,
    Step,
};
use crate::lab::{Action, BrowserId, Exchange};

pub const SCENARIO: Scenario = Scenario {
    id: "attack-fixation",
    title: "Attack: session fixation",
    promise: "Plant a session id in someone's browser before they sign in, then use it: and \
              why a new id at login ends the trick.",
    app,
    start: "/",
    lesson,
    code: VULNERABLE,
    settings,
    shown: Shown::ATTACKER,
    flow: Some(Flow {
        login: Login {
            path: "/login",
            fields: &[("user", fixation::USER), ("password", fixation::PASSWORD)],
            button: Some("button"),
        },
        protected: "/account",
        inside: "Account of ada",
        outside: "Sign in",
        logout: "/logout",
        logged_out: Some("Welcome!"),
    }),
    fix: Some(Fix {
        label: "Give the session a new id at login: app.session_interface.regenerate(session)",
        app: fixed_app,
        code: Some(&FIXED),
    }),
};

fn app(services: Services) -> Result<App, StartupError> {
    fixation::app(services, false)
}

fn fixed_app(services: Services) -> Result<App, StartupError> {
    fixation::app(services, true)
}

fn settings() -> Settings {
    Settings::server(fixation::SECRET_KEY, true, DEFAULT_LIFETIME)
}

/// The victim signing in on the form `/login` shows.
const SIGN_IN: Action = Action::Submit {
    action: "/login",
    fields: &[("user", fixation::USER), ("password", fixation::PASSWORD)],
};

/// The attacker's part up to the victim's login: get an id in the second browser, copy it, put
/// it into the victim's browser; the victim opens the sign-in form and signs in.
const PLANT_AND_WAIT: [Action; 5] = [
    Action::NavigateSecond("/"),
    Action::Second(&Action::Steal { script: false }),
    Action::Plant,
    Action::Navigate("/login"),
    SIGN_IN,
];

const CLIENT_SIDE_TRY: [Action; 7] = [
    Action::ServerSide(false),
    PLANT_AND_WAIT[0],
    PLANT_AND_WAIT[1],
    PLANT_AND_WAIT[2],
    PLANT_AND_WAIT[3],
    PLANT_AND_WAIT[4],
    Action::NavigateSecond("/account"),
];

const FIX_AND_RETRY: [Action; 6] = [
    Action::Fix,
    PLANT_AND_WAIT[0],
    PLANT_AND_WAIT[1],
    PLANT_AND_WAIT[2],
    PLANT_AND_WAIT[3],
    PLANT_AND_WAIT[4],
];

// ---------------------------------------------------------------------------------------------
// Reading the log.

/// Whether the second browser (the attacker's) was given the session cookie `value` before
/// position `i`.
fn attacker_was_given(log: &[Exchange], i: usize, value: &str) -> bool {
    log[..i]
        .iter()
        .any(|p| p.browser == BrowserId::Second && session_set(p).is_some_and(|c| c.value == value))
}

/// The main browser sent, at position `i`, a session id the attacker had been given, and the
/// server took it.
fn planted_id_accepted(log: &[Exchange], i: usize) -> Option<String> {
    let e = &log[i];
    let sent = session_sent(e)?;
    (e.browser == BrowserId::Main
        && bare_id(&sent)
        && accepted(e)
        && attacker_was_given(log, i, &sent))
    .then_some(sent)
}

fn attacker_got_an_id(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        e.browser == BrowserId::Second
            && get(e, "/")
            && session_set(e).is_some_and(|c| bare_id(c.value))
    })
}

fn victim_uses_the_planted_id(log: &[Exchange]) -> bool {
    (0..log.len()).any(|i| planted_id_accepted(log, i).is_some())
}

/// The victim signed in on the planted id; `renewed`: the answer carries a new id.
fn signed_in_on_planted_id(log: &[Exchange], renewed: bool) -> bool {
    (0..log.len()).any(|i| {
        let e = &log[i];
        let Some(sent) = planted_id_accepted(log, i) else {
            return false;
        };
        post(e, "/login")
            && redirects_to(e, "/account")
            && session_set(e).is_some_and(|c| bare_id(c.value) && (c.value != sent) == renewed)
    })
}

fn victim_signed_in(log: &[Exchange]) -> bool {
    signed_in_on_planted_id(log, false)
}

fn renewed_at_login(log: &[Exchange]) -> bool {
    signed_in_on_planted_id(log, true)
}

/// The attacker's browser opened /account with a session id: `Some(true)` when it got in.
fn attacker_on_account(e: &Exchange) -> Option<(String, bool)> {
    if e.browser != BrowserId::Second || !get(e, "/account") {
        return None;
    }
    let sent = session_sent(e)?;
    Some((sent, e.status() == 200))
}

fn attacker_got_in(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        attacker_on_account(e).is_some_and(|(sent, inside)| inside && bare_id(&sent) && accepted(e))
    })
}

fn signed_copy_gets_nothing(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        attacker_on_account(e).is_some_and(|(sent, inside)| {
            !inside && !bare_id(&sent) && accepted(e) && redirects_to(e, "/login")
        })
    })
}

fn attacker_locked_out(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        attacker_on_account(e).is_some_and(|(sent, inside)| {
            !inside && bare_id(&sent) && refused(e) && redirects_to(e, "/login")
        })
    })
}

fn lesson() -> Lesson {
    Lesson {
        intro: "Session fixation turns the attacker's own session into the victim's. It needs \
                two things: a session id the server will accept, and an app that keeps that id \
                when someone signs in. Flask-Session 0.8 never takes an id it did not make (an \
                unknown id gets a fresh one), but this app stores a visit counter for every \
                visitor, so one anonymous visit hands the attacker a real, stored id. The \
                attacker puts that id into the victim's browser (here with the attacker's \
                toolbar; in the wild from a shared computer, or from a sibling subdomain, \
                which may set cookies for the parent domain), waits for the victim to sign in, and opens the account with the same \
                id. The second browser is the attacker's."
            .into(),
        steps: vec![
            Step {
                id: "attacker-id",
                todo: "As the attacker, open / in a second browser.",
                watch: "Set-Cookie: session=<43 random characters>: a stored session, with \
                        visits = 1 in the store panel.",
                why: "The view writes visits for everyone, so Flask-Session saves the session \
                      and sends its id. The attacker needs nothing more than a visit.",
                doit: &[Action::OpenSecond, Action::NavigateSecond("/")],
                done: attacker_got_an_id,
            },
            Step {
                id: "plant",
                todo: "Copy the attacker's cookie into the victim's browser, then open / there.",
                watch: "The victim's request carries the attacker's id, the server accepts it, \
                        and the page counts the attacker's visit too: Visit 2.",
                why: "The id is genuine, so the store finds it. Nothing tells the server which \
                      browser a session id started in.",
                doit: &[
                    Action::Second(&Action::Steal { script: false }),
                    Action::Plant,
                    Action::Navigate("/"),
                ],
                done: victim_uses_the_planted_id,
            },
            Step {
                id: "victim-signs-in",
                todo: "As the victim, sign in as ada.",
                watch: "POST /login answers with Set-Cookie carrying the same id it received.",
                why: "The view only adds user to the session. Flask-Session saves the data under \
                      the old id, the one the attacker also holds.",
                doit: &[Action::Navigate("/login"), SIGN_IN],
                done: victim_signed_in,
            },
            Step {
                id: "hijacked",
                todo: "As the attacker, open /account.",
                watch: "200: Account of ada, in the attacker's browser, which never saw the \
                        password.",
                why: "The attacker's copy of the id now names a signed-in session. Fixation is \
                      hijacking where the attacker chose the id instead of stealing it.",
                doit: &[Action::NavigateSecond("/account")],
                done: attacker_got_in,
            },
            Step {
                id: "signed-cookie",
                todo: "Switch to Flask's signed-cookie session and run the attack again.",
                watch: "The planted cookie says visits = 1. At login the victim gets a new \
                        cookie with user = ada, and the attacker's copy still opens a session \
                        without user: a 302 to /login.",
                why: "A signed cookie carries the data, not an id. Signing in writes a new \
                      cookie, and the attacker's copy keeps saying what it said. What the \
                      attacker can still do is seed data: visits = 1 came from their cookie.",
                doit: &CLIENT_SIDE_TRY,
                done: signed_copy_gets_nothing,
            },
            Step {
                id: "fix",
                todo: "Fix the login view with app.session_interface.regenerate(session), back \
                       on Flask-Session, and plant an id again.",
                watch: "POST /login arrives with the planted id and answers with a different \
                        one; the store panel no longer has the planted id.",
                why: "regenerate() deletes the stored entry under the old id and moves the \
                      session to a new random id (it does nothing to an empty session). \
                      Flask-Session never calls it on its own: the login view must.",
                doit: &FIX_AND_RETRY,
                done: renewed_at_login,
            },
            Step {
                id: "retry",
                todo: "As the attacker, open /account with the planted id.",
                watch: "The store does not know the id any more: a new session starts and \
                        /account answers 302 to /login.",
                why: "Only the victim's browser got the new id, in the login's answer. The id \
                      the attacker chose stopped at the door.",
                doit: &[Action::NavigateSecond("/account")],
                done: attacker_locked_out,
            },
        ],
        myths: vec![
            Myth {
                claim: "Tutorial 002 advises regenerating session ids after a while or after \
                        login and logout, against hijacking.",
                truth: "Right advice, but Flask-Session 0.8 never does it for you: the app must \
                        call app.session_interface.regenerate(session), and the call that \
                        matters is at login. It stops fixation; an id stolen after login works \
                        until it changes. Flask's signed cookie has no id to regenerate.",
                shown_by: "Step \"fix\"".into(),
            },
            Myth {
                claim: "A common belief: Flask-Session adopts whatever session id a browser \
                        sends, so any made-up id can be planted.",
                truth: "open_session looks the id up and, when the store has nothing under it, \
                        starts a new session with a new random id. A planted id has to be a \
                        real one, which any visit that stores something provides.",
                shown_by: "Step \"attacker-id\"".into(),
            },
        ],
    }
}

/// The login view's regenerate line, and what the fixed program has there.
macro_rules! program {
    ($login_tail:literal) => {
        Program {
            flask: &["redirect", "request", "session", "url_for"],
            imports: &["from markupsafe import escape"],
            prelude: PRELUDE,
            views: concat!(views_head!(), $login_tail, views_tail!()),
            misspelled: false,
        }
    };
}

macro_rules! views_head {
    () => {
        r#"

@app.route("/")
def index():
    # Stored for every visitor: an anonymous visit already gets a real session id.
    session["visits"] = session.get("visits", 0) + 1
    if "user" not in session:
        return f'Welcome! Visit {session["visits"]}. <a href="/login">Sign in</a>'
    return (f'Signed in as {escape(session["user"])}. Visit {session["visits"]}. '
            '<a href="/account">Account</a> <a href="/logout">Sign out</a>')


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        name = request.form.get("user", "")
        if USERS.get(name) != request.form.get("password", ""):
            return "Wrong name or password. " + LOGIN_FORM
        session["user"] = name
"#
    };
}

macro_rules! views_tail {
    () => {
        r#"        return redirect(url_for("account"))
    return LOGIN_FORM


@app.route("/account")
def account():
    if "user" not in session:
        return redirect(url_for("login"))
    return f"Account of {escape(session['user'])}: private data."


@app.route("/logout")
def logout():
    session.clear()
    return redirect(url_for("index"))
"#
    };
}

const PRELUDE: &str = r#"USERS = {"ada": "lovelace-1815"}
LOGIN_FORM = """<form method="post">
  <input name="user" placeholder="Name"> <input name="password" type="password" placeholder="Password">
  <button>Sign in</button>
</form>"""
"#;

/// The app as it starts: the login keeps the id the browser came with.
const VULNERABLE: Program = program!(
    "        # The session keeps the id it had before the login: whoever planted it shares it.\n"
);

/// The corrected login.
const FIXED: Program = program!(
    "        # A new id for the signed-in session; the old one is deleted from the store.\n        # (Flask-Session's interface only: Flask's signed cookie has no regenerate.)\n        app.session_interface.regenerate(session)\n"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fix_adds_only_the_regenerate_call() {
        let settings = settings();
        let before = SCENARIO.flask_code_when(&settings, false);
        let after = SCENARIO.flask_code_when(&settings, true);
        assert!(!before.contains("regenerate("), "{before}");
        assert!(after.contains(
            "        session[\"user\"] = name\n        # A new id for the signed-in session"
        ));
        assert!(after.contains("        app.session_interface.regenerate(session)\n        return redirect(url_for(\"account\"))"));
        assert!(after.contains("Session(app)"));
    }
}
