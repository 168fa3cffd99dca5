//! Scenario `seed-001`: Tutorial 001's set, get and pop views on Flask's signed-cookie session.

use super::{Flow, Login, Scenario, Shown};
use crate::engine::apps::{seed_001, Services};
use crate::engine::flask::app::App;
use crate::engine::flask_session::StartupError;
use crate::lab::flask_code::{Program, Settings, DEFAULT_LIFETIME};
use crate::lab::lesson::{
    accepted, get, payload_json, session_deleted, session_sent, session_set, Lesson, Myth, Step,
};
use crate::lab::{Action, BrowserId, Exchange};

pub const SCENARIO: Scenario = Scenario {
    id: "seed-001",
    title: "Set, get and pop a value",
    promise: "The whole session travels in a signed cookie anyone can read, and pop deletes \
             it from the browser, not from the server.",
    app,
    start: "/getsession",
    lesson,
    code: Program {
        flask: &["session"],
        imports: &[],
        prelude: "",
        views: VIEWS,
        misspelled: false,
    },
    settings,
    shown: Shown::NONE,
    flow: Some(Flow {
        login: Login {
            path: "/setsession",
            fields: &[],
            button: None,
        },
        protected: "/getsession",
        inside: "Welcome Admin",
        outside: "Welcome Anonymous",
        logout: "/popsession",
        logged_out: Some("Session Deleted"),
    }),
    fix: None,
};

fn app(_: Services) -> Result<App, StartupError> {
    Ok(seed_001::app())
}

/// The settings the app runs with.
fn settings() -> Settings {
    Settings::client("xyz", false, DEFAULT_LIFETIME)
}

fn set_session_readable(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        get(e, "/setsession")
            && session_set(e)
                .and_then(|c| payload_json(c.value))
                .is_some_and(|json| json.contains("\"Username\""))
    })
}

fn get_session_greets(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        get(e, "/getsession")
            && session_sent(e).is_some()
            && accepted(e)
            && e.response.body == "Welcome Admin"
            && session_set(e).is_none()
    })
}

fn second_browser_is_anonymous(log: &[Exchange]) -> bool {
    let Some(first) = log
        .iter()
        .position(|e| e.browser == BrowserId::Main && e.response.body == "Welcome Admin")
    else {
        return false;
    };
    log[first..].iter().any(|e| {
        e.browser == BrowserId::Second
            && get(e, "/getsession")
            && e.response.body == "Welcome Anonymous"
    })
}

fn pop_deleted_the_cookie(log: &[Exchange]) -> bool {
    log.iter()
        .any(|e| get(e, "/popsession") && session_sent(e).is_some() && session_deleted(e))
}

fn anonymous_after_pop(log: &[Exchange]) -> bool {
    log.iter().enumerate().any(|(i, popped)| {
        get(popped, "/popsession")
            && session_deleted(popped)
            && log[i + 1..].iter().any(|e| {
                e.browser == popped.browser
                    && get(e, "/getsession")
                    && session_sent(e).is_none()
                    && e.response.body == "Welcome Anonymous"
            })
    })
}

fn lesson() -> Lesson {
    Lesson {
        intro: "Tutorial 001's three views store, read and remove Username in Flask's default \
                session: a cookie signed with SECRET_KEY \"xyz\". The server keeps nothing; \
                all it knows about you comes back in the Cookie header of each request."
            .into(),
        steps: vec![
            Step {
                id: "set",
                todo: "Open /setsession.",
                watch: "Set-Cookie: session=eyJ…, three parts separated by dots. Decode the \
                        first: {\"Username\":\"Admin\"}, no key needed.",
                why: "Flask turns the session into JSON, base64-encodes it, adds a timestamp and \
                      signs both with an HMAC-SHA1 key derived from SECRET_KEY. The signature \
                      stops tampering; nothing hides the content.",
                doit: &[Action::Navigate("/setsession")],
                done: set_session_readable,
            },
            Step {
                id: "get",
                todo: "Open /getsession.",
                watch: "The cookie goes back, the page says Welcome Admin, and the answer has \
                        no Set-Cookie.",
                why: "Flask writes a non-permanent cookie session only when it changed; reading \
                      it costs nothing on the wire.",
                doit: &[Action::Navigate("/getsession")],
                done: get_session_greets,
            },
            Step {
                id: "second-browser",
                todo: "Open a second browser and load /getsession there.",
                watch: "No Cookie header, and Welcome Anonymous.",
                why: "The session is the cookie: a browser that never received it has no \
                      session at all.",
                doit: &[Action::OpenSecond, Action::NavigateSecond("/getsession")],
                done: second_browser_is_anonymous,
            },
            Step {
                id: "pop",
                todo: "Back in the first browser, open /popsession.",
                watch: "Set-Cookie: session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; \
                        Max-Age=0; HttpOnly; Path=/.",
                why: "Popping the only key leaves the session empty and modified, so Flask tells \
                      the browser to delete its cookie. Nothing changes on the server, which \
                      never had a copy.",
                doit: &[Action::Navigate("/popsession")],
                done: pop_deleted_the_cookie,
            },
            Step {
                id: "gone",
                todo: "Open /getsession again.",
                watch: "No cookie is sent, and Welcome Anonymous.",
                why: "The browser obeyed the deletion. A copy taken earlier would still verify: \
                      the server cannot take back a signature, which stays acceptable until it \
                      is 31 days old (PERMANENT_SESSION_LIFETIME).",
                doit: &[Action::Navigate("/getsession")],
                done: anonymous_after_pop,
            },
        ],
        myths: vec![
            Myth {
                claim: "Tutorial 001 says the secret key is used to encrypt the session.",
                truth: "It signs it. The payload is base64 JSON that anyone holding the cookie \
                        can decode; the HMAC-SHA1 signature only lets Flask notice changes. \
                        Keep secrets out of a cookie session, or keep the session on the server.",
                shown_by: "Step \"set\" (decode the payload without the key)".into(),
            },
            Myth {
                claim: "Tutorial 001 says session data lives on the server while the browser \
                        keeps only a session ID.",
                truth: "Flask's default session has no id and no server-side copy: the whole \
                        dictionary is in the cookie. Storing it on the server takes an \
                        extension such as Flask-Session.",
                shown_by: "Step \"second-browser\", and the empty store panel".into(),
            },
            Myth {
                claim: "Tutorial 001 says /popsession removes the username from the server.",
                truth: "There is nothing on the server to remove. pop() empties the session and \
                        Flask answers with an already expired cookie, so the browser drops its \
                        copy; a copy taken before keeps verifying for up to 31 days.",
                shown_by: "Steps \"pop\" and \"gone\"".into(),
            },
        ],
    }
}

const VIEWS: &str = r#"

@app.route("/setsession")
def set_session():
    {permanent}
    session["Username"] = "Admin"
    return "The session has been Set"


@app.route("/getsession")
def get_session():
    if "Username" in session:
        return f"Welcome {session['Username']}"
    return "Welcome Anonymous"


@app.route("/popsession")
def pop_session():
    session.pop("Username", None)
    return "Session Deleted"
"#;
