//! A session too big for its cookie: the fourth note makes a `Set-Cookie` over the browser's
//! 4096 bytes; Werkzeug warns, the jar refuses it and keeps the three-note cookie, and the
//! note is lost. After the move to Flask-Session the cookie is a 43-character id and all four
//! notes are in the store.

use session_lab::client::jar::{Jar, MAX_NAME_VALUE_SIZE};
use session_lab::engine::flask::tagged_json;
use session_lab::engine::flask_session::stored_session;
use session_lab::engine::py::value::Value;
use session_lab::lab::lesson::{payload_json, session_sent, session_set};
use session_lab::lab::run::Run;
use session_lab::lab::scenarios::attack_too_big::{NOTES, NOTE_LENGTH, SCENARIO};
use session_lab::lab::Exchange;

fn walk(upto: Option<&str>) -> (Run<Jar>, i64) {
    let walked = crate::support::walk(&SCENARIO, 3, upto);
    (walked.run, walked.now)
}

/// The notes a signed cookie carries.
fn notes_in(value: &str) -> usize {
    let json = payload_json(value).expect("a readable payload");
    match tagged_json::loads(&json).unwrap() {
        Value::Dict(d) => match d.get("notes") {
            Some(Value::List(l)) => l.len(),
            _ => 0,
        },
        _ => panic!("not a dict"),
    }
}

fn posts(log: &[Exchange]) -> Vec<&Exchange> {
    log.iter()
        .filter(|e| e.method == "POST" && e.path() == "/")
        .collect()
}

#[test]
fn the_fourth_note_is_dropped_by_the_browser() {
    let (mut run, now) = walk(Some("server-side"));
    let lab = run.lab.as_mut().unwrap();
    let posts: Vec<Exchange> = posts(&lab.log).into_iter().cloned().collect();
    assert_eq!(posts.len(), 4);
    let values: Vec<String> = posts
        .iter()
        .map(|e| session_set(e).unwrap().value.to_string())
        .collect();
    for (n, v) in values.iter().enumerate() {
        assert!(v.starts_with('.'), "zlib-compressed: {v:.20}");
        assert_eq!(notes_in(v), n + 1);
    }
    // Three notes fit, even under the real jar's longer name (sl.attack-too-big.session).
    let real_name = "sl.attack-too-big.session".len();
    assert!(
        real_name + values[2].len() < MAX_NAME_VALUE_SIZE,
        "{}",
        values[2].len()
    );
    assert!(posts[..3].iter().all(|e| e.response.log.is_empty()));
    assert!(posts[..3].iter().all(|e| e.jar_notes.is_empty()));
    // The fourth is over the limit: Werkzeug's warning (26 bytes of "session=" and
    // "; HttpOnly; Path=/", as real Flask 3.1.3 reported for this app), and the jar's refusal.
    let fourth = &posts[3];
    let size = values[3].len();
    assert!("session".len() + size > MAX_NAME_VALUE_SIZE, "{size}");
    assert_eq!(
        fourth.response.log,
        vec![format!(
            "UserWarning: The 'session' cookie is too large: the value was {size} bytes but the \
             header required 26 extra bytes. The final size was {} bytes but the limit is 4093 \
             bytes. Browsers may silently ignore cookies larger than this.",
            size + 26
        )]
    );
    assert_eq!(
        fourth.jar_notes,
        vec![format!(
            "rejected session: name and value are {} bytes, over the 4096 a browser keeps",
            size + "session".len()
        )]
    );
    // The page that follows got the three-note cookie and lists three notes.
    let next = lab
        .log
        .iter()
        .find(|e| e.redirected_from == Some(fourth.id))
        .unwrap();
    assert_eq!(session_sent(next).as_deref(), Some(values[2].as_str()));
    assert!(next.response.body.starts_with("<h3>3 notes</h3>"));
    // The jar still holds it.
    let jar = lab.main.jar.cookies(now);
    assert_eq!(jar.len(), 1);
    assert_eq!(jar[0].value, values[2]);
}

#[test]
fn in_the_store_all_four_notes_are_kept() {
    let (run, now) = walk(None);
    let lab = run.lab.as_ref().unwrap();
    let switch = lab
        .log
        .iter()
        .position(|e| {
            e.verdict == Some(session_lab::engine::flask::sessions::CookieVerdict::UnknownSessionId)
        })
        .expect("the first request on the store");
    assert!(lab.log[switch]
        .response
        .body
        .starts_with("<h3>0 notes</h3>"));
    let after: Vec<&Exchange> = posts(&lab.log[switch..]);
    assert_eq!(after.len(), 4);
    let id = session_set(after[0]).unwrap().value.to_string();
    assert_eq!(id.len(), 43, "{id}");
    for e in &after[1..] {
        assert_eq!(session_sent(e).as_deref(), Some(id.as_str()));
        assert!(e.response.log.is_empty() && e.jar_notes.is_empty());
        // Re-sent with a later Expires (Flask-Session's permanent default), same id.
        assert!(session_set(e).is_none_or(|c| c.value == id));
    }
    let last = lab.log.last().unwrap();
    assert!(last.response.body.starts_with("<h3>4 notes</h3>"));
    let stored = stored_session(lab.app.session_interface(), &id, now)
        .expect("Flask-Session")
        .expect("an entry");
    let Some(Value::List(notes)) = stored.get("notes") else {
        panic!("{stored:?}")
    };
    assert_eq!(notes.len(), 4);
    for (n, note) in notes.iter().enumerate() {
        assert_eq!(note.as_str(), Some(NOTES[n]));
        assert_eq!(NOTES[n].len(), NOTE_LENGTH);
    }
}
