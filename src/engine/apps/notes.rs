//! The notes app (security lab): a page that keeps the visitor's notes in the session. `/`
//! lists them with a form; each `POST /` appends the form's `note` to the list `notes`;
//! `/clear` empties the session. With Flask's signed cookie the whole list travels in the
//! cookie, which grows with every note until the browser refuses it.

use crate::engine::flask::app::{App, Ctx};
use crate::engine::flask::config::ConfigValue;
use crate::engine::py::markupsafe::escape_html;
use crate::engine::py::repr::str_of;
use crate::engine::py::value::Value;
use crate::engine::werkzeug::exceptions::Abort;
use crate::engine::werkzeug::wrappers::Response;

/// The app's `SECRET_KEY`.
pub const SECRET_KEY: &str = "0b7e5d2c9a4f8e1d6c3b7a2f5e9d4c8b";

/// The form under the list, as the Python program's `FORM`.
pub const FORM: &str = "<form method=\"post\">\n  <input name=\"note\" placeholder=\"A note\"> \
                        <button>Add note</button>\n</form>\n<a href=\"/clear\">Clear all</a>";

/// How much of each note the list shows.
pub const SHOWN: usize = 40;

/// A `TypeError` raised in the view: Flask answers 500.
fn type_error(message: String) -> Abort {
    Abort::InternalServerError(format!("TypeError: {message}"))
}

/// `session.get("notes", [])`: whatever the session holds, or an empty list.
fn stored_notes(ctx: &mut Ctx) -> Value {
    ctx.session
        .get("notes")
        .cloned()
        .unwrap_or(Value::List(Vec::new()))
}

/// `notes + [note]`: only a list takes a list; any other value raises as Python does.
fn plus_one(notes: Value, note: &str) -> Result<Value, Abort> {
    match notes {
        Value::List(mut items) => {
            items.push(Value::Str(note.into()));
            Ok(Value::List(items))
        }
        Value::Str(_) | Value::Tuple(_) => {
            let t = notes.type_name();
            Err(type_error(format!(
                "can only concatenate {t} (not \"list\") to {t}"
            )))
        }
        Value::Bytes(_) => Err(type_error("can't concat list to bytes".into())),
        other => Err(type_error(format!(
            "unsupported operand type(s) for +: '{}' and 'list'",
            other.type_name()
        ))),
    }
}

/// `for n in notes`: a list's or tuple's items, a string's characters, a dict's keys, a bytes'
/// numbers; anything else is not iterable.
fn py_iter(notes: &Value) -> Result<Vec<Value>, Abort> {
    Ok(match notes {
        Value::List(items) | Value::Tuple(items) => items.clone(),
        Value::Str(s) | Value::Markup(s) => s.chars().map(|c| Value::Str(c.into())).collect(),
        Value::Dict(d) => d.keys().map(|k| Value::Str(k.clone())).collect(),
        Value::Bytes(b) => b.iter().map(|&x| Value::from(i64::from(x))).collect(),
        other => {
            return Err(type_error(format!(
                "'{}' object is not iterable",
                other.type_name()
            )))
        }
    })
}

/// `len(n)` and `escape(n[:SHOWN])` for one item: strings, lists, tuples and bytes can be
/// sliced (markupsafe escapes what is not `Markup` as its `str()`); a dict cannot (its
/// `[:40]` looks up a slice as a key), nor can a number, `None` and the rest.
fn shown(n: &Value) -> Result<(usize, String), Abort> {
    Ok(match n {
        Value::Str(s) => (
            s.chars().count(),
            escape_html(&s.chars().take(SHOWN).collect::<String>()),
        ),
        Value::Markup(s) => (s.chars().count(), s.chars().take(SHOWN).collect()),
        Value::List(items) => (
            items.len(),
            escape_html(&str_of(&Value::List(
                items.iter().take(SHOWN).cloned().collect(),
            ))),
        ),
        Value::Tuple(items) => (
            items.len(),
            escape_html(&str_of(&Value::Tuple(
                items.iter().take(SHOWN).cloned().collect(),
            ))),
        ),
        Value::Bytes(b) => (
            b.len(),
            escape_html(&str_of(&Value::Bytes(
                b.iter().take(SHOWN).copied().collect(),
            ))),
        ),
        Value::Dict(_) => return Err(type_error("unhashable type: 'slice'".into())),
        other => {
            return Err(type_error(format!(
                "'{}' object is not subscriptable",
                other.type_name()
            )))
        }
    })
}

pub fn app() -> App {
    let mut app = App::new("notes");
    app.config
        .set("SECRET_KEY", ConfigValue::Str(SECRET_KEY.into()))
        .expect("a valid key");
    app.route("/", &["GET", "POST"], |ctx| {
        if ctx.request.method == "POST" {
            // A new list assigned to the key: Flask sees the change (an in-place append would
            // not mark the session modified).
            let note = ctx.request.form_value("note").unwrap_or("");
            let notes = plus_one(stored_notes(ctx), note)?;
            ctx.session.insert("notes", notes)?;
            return Ok(Response::redirect("/"));
        }
        let notes = py_iter(&stored_notes(ctx))?;
        let mut items = String::new();
        for n in &notes {
            let (len, head) = shown(n)?;
            items.push_str(&format!("<li>{head}… ({len} characters)</li>"));
        }
        // `len(session.get("notes", []))`: what was iterated has as many items as its length.
        Ok(Response::html(format!(
            "<h3>{} notes</h3><ol>{items}</ol>{FORM}",
            notes.len()
        )))
    });
    app.route("/clear", &["GET"], |ctx| {
        ctx.session.clear()?;
        Ok(Response::redirect("/"))
    });
    app
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::werkzeug::wrappers::Request;

    #[test]
    fn notes_pile_up_in_the_cookie() {
        let app = app();
        let mut cookie = String::new();
        for (i, note) in ["first <b>", "second"].iter().enumerate() {
            let mut post = Request::post("/").with_form("note", note);
            if !cookie.is_empty() {
                post = post.with_header("Cookie", &cookie);
            }
            let r = app.handle(&post, 0);
            assert_eq!((r.status, r.header("Location")), (302, Some("/")));
            cookie = r.set_cookies()[0].split(';').next().unwrap().to_string();
            let page = app.handle(&Request::get("/").with_header("Cookie", &cookie), 0);
            assert!(page.body.starts_with(&format!("<h3>{} notes</h3>", i + 1)));
        }
        let page = app.handle(&Request::get("/").with_header("Cookie", &cookie), 0);
        assert!(page
            .body
            .contains("<li>first &lt;b&gt;… (9 characters)</li><li>second… (6 characters)</li>"));
        let cleared = app.handle(&Request::get("/clear").with_header("Cookie", &cookie), 0);
        assert!(cleared.set_cookies()[0].contains("Max-Age=0"));
    }

    /// `method /` with a session forged with the app's key holding `notes` (tagged JSON):
    /// the status and the page above the form.
    fn forged(method: &str, notes: &str) -> (u16, String) {
        use crate::engine::itsdangerous::signing::Serializer;
        let cookie = Serializer::flask_session(SECRET_KEY, &[])
            .dumps(&format!("{{\"notes\":{notes}}}"), 1_700_000_000);
        let request = Request::new(method, "/")
            .with_form("note", "n")
            .with_header("Cookie", &format!("session={cookie}"));
        let r = app().handle(&request, 1_700_000_000);
        let page = r.body.split("<form").next().unwrap_or("").to_string();
        (r.status, page)
    }

    #[test]
    fn forged_notes_go_the_way_python_takes_them() {
        // Each answer is what the program's Python (the Flask twin) gave for the same session.
        let li = |text: &str, n: usize| format!("<li>{text}… ({n} characters)</li>");
        // A string is iterated character by character, a dict by its keys.
        let (status, page) = forged("GET", r#""abc""#);
        let want = format!(
            "<h3>3 notes</h3><ol>{}{}{}</ol>",
            li("a", 1),
            li("b", 1),
            li("c", 1)
        );
        assert_eq!((status, page), (200, want));
        assert_eq!(
            forged("GET", r#"{"k":"v"}"#),
            (200, format!("<h3>1 notes</h3><ol>{}</ol>", li("k", 1)))
        );
        // Markup is not escaped again; a tuple, bytes and a list show as their str(), the
        // list cut at 40 items.
        let (status, page) = forged(
            "GET",
            r#"["<b>", {" m": "<i>"}, {" t": ["a", 1]}, {" b": "PAA="}, [1, 2]]"#,
        );
        let want = format!(
            "<h3>5 notes</h3><ol>{}{}{}{}{}</ol>",
            li("&lt;b&gt;", 3),
            li("<i>", 3),
            li("(&#39;a&#39;, 1)", 2),
            li("b&#39;&lt;\\x00&#39;", 2),
            li("[1, 2]", 2)
        );
        assert_eq!((status, page), (200, want));
        let fifty = format!("[[{}]]", vec!["\"x\""; 50].join(", "));
        let (_, page) = forged("GET", &fifty);
        assert!(page.contains(&format!(
            "[{}]… (50 characters)",
            vec!["&#39;x&#39;"; 40].join(", ")
        )));
        // What Python cannot iterate, slice or add to a list is a TypeError: 500.
        for (method, notes) in [
            ("GET", "5"),
            ("GET", "null"),
            ("GET", r#"[{"k": 1}]"#),
            ("GET", r#"["a", 12345678901234567890]"#),
            ("GET", r#"{" b": "YWI="}"#),
            ("POST", r#""abc""#),
            ("POST", r#"{"k":"v"}"#),
            ("POST", r#"{" m": "x"}"#),
        ] {
            assert_eq!(forged(method, notes).0, 500, "{method} {notes}");
        }
        // A list takes the new note whatever its items are.
        assert_eq!(forged("POST", "[1, null]").0, 302);
    }
}
