//! Scenario `attack-too-big`: a session that outgrows its cookie. Werkzeug warns, the browser
//! silently keeps the previous cookie, and the newest data is lost; with Flask-Session the
//! cookie is a short id and the data stays in the store.

use super::{Scenario, Shown};
use crate::engine::apps::{notes, Services};
use crate::engine::flask::app::App;
use crate::engine::flask::sessions::CookieVerdict;
use crate::engine::flask_session::StartupError;
use crate::lab::flask_code::{Program, Settings, DEFAULT_LIFETIME};
use crate::lab::lesson::{
    accepted, bare_id, get, post, session_sent, session_set, Lesson, Myth, Step,
};
use crate::lab::{Action, Exchange};

pub const SCENARIO: Scenario = Scenario {
    id: "attack-too-big",
    title: "Attack: a session too big for its cookie",
    promise: "Keep adding to a cookie session until it passes 4 KB: the server only warns, the \
              browser drops the cookie without a word, and the newest data is gone.",
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
    shown: Shown::ATTACKER,
    flow: None,
    fix: None,
};

fn app(_: Services) -> Result<App, StartupError> {
    Ok(notes::app())
}

fn settings() -> Settings {
    Settings::client(notes::SECRET_KEY, false, DEFAULT_LIFETIME)
}

// ---------------------------------------------------------------------------------------------
// The notes the "Do it" buttons paste: 1,400 pseudo-random letters and spaces each, made at
// compile time. Random text barely compresses, so four of them pass the cookie limit.

/// Letters of one note.
pub const NOTE_LENGTH: usize = 1400;

/// `NOTE_LENGTH` lower-case letters with single spaces between runs, from xorshift32.
const fn noise(seed: u32) -> [u8; NOTE_LENGTH] {
    let mut out = [0u8; NOTE_LENGTH];
    let mut x = seed;
    let mut i = 0;
    while i < NOTE_LENGTH {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        out[i] = if i > 0 && out[i - 1] != b' ' && x.is_multiple_of(6) {
            b' '
        } else {
            b'a' + ((x >> 8) % 26) as u8
        };
        i += 1;
    }
    out
}

const fn text(bytes: &'static [u8]) -> &'static str {
    match std::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(_) => panic!("the notes are ASCII"),
    }
}

const BYTES_1: [u8; NOTE_LENGTH] = noise(0x9e37_79b9);
const BYTES_2: [u8; NOTE_LENGTH] = noise(0x85eb_ca6b);
const BYTES_3: [u8; NOTE_LENGTH] = noise(0xc2b2_ae35);
const BYTES_4: [u8; NOTE_LENGTH] = noise(0x27d4_eb2f);

/// The four notes.
pub const NOTES: [&str; 4] = [
    text(&BYTES_1),
    text(&BYTES_2),
    text(&BYTES_3),
    text(&BYTES_4),
];

const ADD_1: Action = Action::Submit {
    action: "/",
    fields: &[("note", NOTES[0])],
};
const ADD_2: Action = Action::Submit {
    action: "/",
    fields: &[("note", NOTES[1])],
};
const ADD_3: Action = Action::Submit {
    action: "/",
    fields: &[("note", NOTES[2])],
};
const ADD_4: Action = Action::Submit {
    action: "/",
    fields: &[("note", NOTES[3])],
};

// ---------------------------------------------------------------------------------------------
// Reading the log.

/// The page that lists `n` notes.
fn lists(e: &Exchange, n: usize) -> bool {
    get(e, "/") && e.status() == 200 && e.response.body.starts_with(&format!("<h3>{n} notes</h3>"))
}

/// Werkzeug's size warning is in the server log of this answer.
fn warned(e: &Exchange) -> bool {
    e.response
        .log
        .iter()
        .any(|l| l.contains("cookie is too large"))
}

/// The browser refused the session cookie this answer set.
fn refused_by_browser(e: &Exchange) -> bool {
    e.jar_notes
        .iter()
        .any(|n| n.starts_with("rejected session"))
}

fn signed_cookie_set(log: &[Exchange]) -> bool {
    log.iter()
        .any(|e| post(e, "/") && !warned(e) && session_set(e).is_some_and(|c| !bare_id(c.value)))
}

fn three_notes_in_the_cookie(log: &[Exchange]) -> bool {
    log.iter()
        .any(|e| lists(e, 3) && accepted(e) && session_sent(e).is_some_and(|v| !bare_id(&v)))
}

fn fourth_note_lost(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        lists(e, 3)
            && e.redirected_from
                .and_then(|i| log.get(i))
                .is_some_and(|p| post(p, "/") && warned(p) && refused_by_browser(p))
    })
}

fn moved_to_the_store(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        lists(e, 0)
            && e.verdict == Some(CookieVerdict::UnknownSessionId)
            && session_sent(e).is_some_and(|v| !bare_id(&v))
    })
}

fn four_notes_kept(log: &[Exchange]) -> bool {
    log.iter()
        .any(|e| lists(e, 4) && accepted(e) && session_sent(e).is_some_and(|v| bare_id(&v)))
}

fn lesson() -> Lesson {
    Lesson {
        intro: "Flask's default session lives in the cookie, so everything the app keeps for a \
                visitor travels to the browser and back on every request. This page keeps a \
                list of notes in session[\"notes\"]. itsdangerous compresses the JSON with \
                zlib when that makes it shorter (the value then starts with a dot), so the \
                \"Do it\" notes are random letters, which barely compress. A browser keeps at \
                most 4096 bytes of name and value per cookie (Chromium's limit, which the lab's \
                jar and the real document.cookie both apply). What happens past it is the \
                lesson: nobody reports an error."
            .into(),
        steps: vec![
            Step {
                id: "first-note",
                todo: "Add a note (Do it pastes 1,400 random letters).",
                watch: "POST / answers 302 with a session cookie of about 1,200 bytes: the jar \
                        shows its size.",
                why: "Flask signs the whole list into the cookie. Each note adds roughly as \
                      many bytes as it has letters, after compression and base64.",
                doit: &[ADD_1],
                done: signed_cookie_set,
            },
            Step {
                id: "growing",
                todo: "Add two more notes.",
                watch: "Each new cookie is over a kilobyte longer; with three notes it is \
                        about 3,600 bytes, and every request carries it.",
                why: "The cookie is re-sent with every request to the site, images and \
                      scripts included, so a big session also costs on every click.",
                doit: &[ADD_2, ADD_3],
                done: three_notes_in_the_cookie,
            },
            Step {
                id: "too-big",
                todo: "Add a fourth note.",
                watch: "The server log shows Werkzeug's warning that the 'session' cookie is \
                        too large, the jar note says the browser rejected it, and the page \
                        that follows lists three notes. In DevTools (Application > Cookies) \
                        sl.attack-too-big.session still holds the three-note value.",
                why: "Werkzeug only warns when a Set-Cookie header passes MAX_COOKIE_SIZE \
                      (4093 bytes) and sends it anyway. The browser ignores a cookie over its \
                      limit and keeps the one it had, so the next request carries the old \
                      session and the fourth note is gone, with no error for the app or the \
                      user.",
                doit: &[ADD_4],
                done: fourth_note_lost,
            },
            Step {
                id: "server-side",
                todo: "Move the session to Flask-Session's store and open /.",
                watch: "The browser still sends the three-note cookie; the store knows no \
                        such id, so the verdict says a new session started and the page lists \
                        0 notes. No Set-Cookie yet: Flask-Session saves nothing for an empty \
                        session.",
                why: "With Flask-Session the cookie carries only a random id; the data is kept \
                      on the server under session:<id>. The notes that lived in the old cookie \
                      do not move over.",
                doit: &[Action::ServerSide(true), Action::Navigate("/")],
                done: moved_to_the_store,
            },
            Step {
                id: "retry",
                todo: "Add the four notes again.",
                watch: "The first note's answer sets session=<43-character id>; every later \
                        request sends that id, the page lists four notes, and the store panel \
                        holds the 5,600 letters.",
                why: "The browser's limit no longer applies to the data, only to the id. The \
                      store has limits of its own (disk or memory), far above 4 KB.",
                doit: &[ADD_1, ADD_2, ADD_3, ADD_4],
                done: four_notes_kept,
            },
        ],
        myths: vec![
            Myth {
                claim: "Tutorial 001 says most browsers allow no more than 3 to 4 KB of cookie \
                        data, so the amount stored in the cookie is fixed.",
                truth: "The limit is real (4096 bytes of name and value in Chromium), but \
                        nothing stops the session from growing past it. Flask sends the \
                        oversized cookie, Werkzeug only logs a warning, and the browser \
                        quietly keeps the previous cookie.",
                shown_by: "Step \"too-big\"".into(),
            },
            Myth {
                claim: "A common belief: if the session got too big, Flask would raise an \
                        error.",
                truth: "The request succeeds with a 302 and a 200. The only trace is a \
                        UserWarning in the server's log; the user just loses what was saved \
                        last.",
                shown_by: "The server log line on the wire".into(),
            },
        ],
    }
}

const PRELUDE: &str = r#"FORM = """<form method="post">
  <input name="note" placeholder="A note"> <button>Add note</button>
</form>
<a href="/clear">Clear all</a>"""
"#;

const VIEWS: &str = r#"

@app.route("/", methods=["GET", "POST"])
def notes():
    if request.method == "POST":
        {permanent}
        # A new list, so Flask sees the change (an in-place append would not).
        session["notes"] = session.get("notes", []) + [request.form.get("note", "")]
        return redirect(url_for("notes"))
    items = "".join(f"<li>{escape(n[:40])}… ({len(n)} characters)</li>"
                    for n in session.get("notes", []))
    return f"<h3>{len(session.get('notes', []))} notes</h3><ol>{items}</ol>" + FORM


@app.route("/clear")
def clear():
    session.clear()
    return redirect(url_for("notes"))
"#;
