//! The Python a learner would write for a scenario: a complete, runnable Flask 3.1 program
//! (with Flask-Session 0.8 or Flask-Login 0.6 where the scenario uses them) that has the same
//! routes and behaviour as the scenario's app and reflects the current [`Settings`]. Written
//! for the lab, not copied from the tutorials; where an app keeps a tutorial's flaw (the lesson
//! is about it), a comment says so.
//!
//! Settings appear only when they differ from Flask's defaults (docs/flask-sessions.md §1.9, §3.7),
//! the way one would write them by hand.

use crate::engine::flask::sessions::InterfaceKind;
use std::fmt::Write as _;

/// Flask's default `PERMANENT_SESSION_LIFETIME`: 31 days.
pub const DEFAULT_LIFETIME: i64 = 31 * 24 * 60 * 60;

/// The session settings a learner can change, by their Flask meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Flask's signed cookie, or Flask-Session's server-side store (`filesystem`).
    pub client_or_server: InterfaceKind,
    /// Client-side: the app sets `session.permanent = True` when it first writes the session.
    /// Server-side: `SESSION_PERMANENT` (Flask-Session's default is True).
    pub permanent: bool,
    /// `PERMANENT_SESSION_LIFETIME` in seconds.
    pub lifetime_seconds: i64,
    /// `SESSION_REFRESH_EACH_REQUEST`.
    pub refresh_each_request: bool,
    /// `SECRET_KEY`; empty means unset.
    pub secret_key: String,
    /// `SECRET_KEY_FALLBACKS`, oldest first.
    pub fallbacks: Vec<String>,
    /// `SESSION_COOKIE_HTTPONLY`.
    pub cookie_httponly: bool,
    /// `SESSION_COOKIE_SECURE`.
    pub cookie_secure: bool,
    /// `SESSION_COOKIE_SAMESITE`: `None` is Python's None (no attribute); `Some("None")` is
    /// the string that writes `SameSite=None`.
    pub cookie_samesite: Option<String>,
    /// `SESSION_COOKIE_NAME`.
    pub cookie_name: String,
}

impl Default for Settings {
    /// Flask's own defaults, with no secret key.
    fn default() -> Self {
        Settings {
            client_or_server: InterfaceKind::ClientSide,
            permanent: false,
            lifetime_seconds: DEFAULT_LIFETIME,
            refresh_each_request: true,
            secret_key: String::new(),
            fallbacks: Vec::new(),
            cookie_httponly: true,
            cookie_secure: false,
            cookie_samesite: None,
            cookie_name: "session".into(),
        }
    }
}

impl Settings {
    /// Flask's signed-cookie session with `SECRET_KEY` `key` (empty: unset), the app
    /// setting `session.permanent = True` at its first write when `permanent`, and
    /// `PERMANENT_SESSION_LIFETIME` of `lifetime` seconds.
    pub fn client(key: &str, permanent: bool, lifetime: i64) -> Settings {
        Settings {
            secret_key: key.into(),
            permanent,
            lifetime_seconds: lifetime,
            ..Settings::default()
        }
    }

    /// Flask-Session's store (`SESSION_TYPE = "filesystem"`) with `SESSION_PERMANENT` =
    /// `permanent`, and the rest as [`Settings::client`].
    pub fn server(key: &str, permanent: bool, lifetime: i64) -> Settings {
        Settings {
            client_or_server: InterfaceKind::ServerSide,
            ..Settings::client(key, permanent, lifetime)
        }
    }

    fn server_side(&self) -> bool {
        self.client_or_server == InterfaceKind::ServerSide
    }

    /// Whether views must set `session.permanent = True` themselves (client-side only;
    /// Flask-Session takes it from `SESSION_PERMANENT`).
    fn sets_permanent_in_views(&self) -> bool {
        self.permanent && !self.server_side()
    }
}

/// A Python string literal (double quotes).
pub fn py_str(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `timedelta(...)` in the largest whole unit.
pub fn py_timedelta(seconds: i64) -> String {
    let (unit, size) = [("days", 86_400), ("hours", 3_600), ("minutes", 60)]
        .into_iter()
        .find(|(_, size)| seconds != 0 && seconds % size == 0)
        .unwrap_or(("seconds", 1));
    format!("timedelta({unit}={})", seconds / size)
}

/// A scenario's Flask program, apart from the config block that [`flask_code`] writes from
/// the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Program {
    /// Names imported from `flask` (besides `Flask`).
    pub flask: &'static [&'static str],
    /// Further import lines.
    pub imports: &'static [&'static str],
    /// Lines between the config block and the views (constants, classes).
    pub prelude: &'static str,
    /// The views; `{permanent}` marks where a client-side permanent session is switched on.
    pub views: &'static str,
    /// Whether the config block spells Flask-Session's keys as tutorial 000's complete
    /// listing does (`SESSION_P`, `SESSION_T`), which stops the app from starting.
    pub misspelled: bool,
}

/// The Python program `program` with `settings`.
pub fn flask_code(program: &Program, settings: &Settings) -> String {
    let mut out = String::new();
    // Imports.
    if settings.lifetime_seconds != DEFAULT_LIFETIME {
        out.push_str("from datetime import timedelta\n\n");
    }
    let mut flask = vec!["Flask"];
    flask.extend(program.flask);
    let needs_session = program.views.contains("session") || settings.sets_permanent_in_views();
    if needs_session && !flask.contains(&"session") {
        flask.push("session");
    }
    let _ = writeln!(out, "from flask import {}", flask.join(", "));
    for line in program.imports {
        let _ = writeln!(out, "{line}");
    }
    if settings.server_side() {
        out.push_str("from flask_session import Session\n");
    }
    out.push_str("\napp = Flask(__name__)\n");
    config_block(&mut out, settings, program.misspelled);
    if !program.prelude.is_empty() {
        out.push('\n');
        out.push_str(program.prelude);
    }
    let permanent = if settings.sets_permanent_in_views() {
        "session.permanent = True\n"
    } else {
        ""
    };
    out.push_str(&fill_permanent(program.views, permanent));
    out.push_str("\n\nif __name__ == \"__main__\":\n    app.run(debug=True)\n");
    out
}

/// Replaces each `{permanent}` line with `line` (at that indentation), or drops it.
fn fill_permanent(views: &str, line: &str) -> String {
    let mut out = String::new();
    for view_line in views.lines() {
        match view_line.trim_start().strip_prefix("{permanent}") {
            Some(_) if line.is_empty() => {}
            Some(_) => {
                let indent = &view_line[..view_line.len() - view_line.trim_start().len()];
                let _ = write!(out, "{indent}{line}");
            }
            None => {
                out.push_str(view_line);
                out.push('\n');
            }
        }
    }
    out
}

fn config_block(out: &mut String, s: &Settings, misspelled: bool) {
    let mut set = |key: &str, value: String, note: &str| {
        let _ = write!(out, "app.config[\"{key}\"] = {value}");
        if !note.is_empty() {
            let _ = write!(out, "  # {note}");
        }
        out.push('\n');
    };
    if !s.secret_key.is_empty() {
        let note = if s.server_side() {
            "Flask-Session's ids are not signed with it"
        } else {
            ""
        };
        set("SECRET_KEY", py_str(&s.secret_key), note);
    }
    if !s.fallbacks.is_empty() {
        let keys: Vec<String> = s.fallbacks.iter().map(|k| py_str(k)).collect();
        let note = if s.server_side() {
            "Flask-Session ignores these"
        } else {
            "old keys still accepted"
        };
        set(
            "SECRET_KEY_FALLBACKS",
            format!("[{}]", keys.join(", ")),
            note,
        );
    }
    if s.lifetime_seconds != DEFAULT_LIFETIME {
        set(
            "PERMANENT_SESSION_LIFETIME",
            py_timedelta(s.lifetime_seconds),
            "",
        );
    }
    if !s.refresh_each_request {
        set("SESSION_REFRESH_EACH_REQUEST", "False".into(), "");
    }
    if s.cookie_name != "session" {
        set("SESSION_COOKIE_NAME", py_str(&s.cookie_name), "");
    }
    if !s.cookie_httponly {
        set("SESSION_COOKIE_HTTPONLY", "False".into(), "");
    }
    if s.cookie_secure {
        set("SESSION_COOKIE_SECURE", "True".into(), "");
    }
    if let Some(samesite) = &s.cookie_samesite {
        set("SESSION_COOKIE_SAMESITE", py_str(samesite), "");
    }
    let py_bool = |b: bool| if b { "True" } else { "False" }.to_string();
    if s.server_side() {
        if misspelled {
            set(
                "SESSION_P",
                py_bool(s.permanent),
                "misspelled: Flask-Session reads SESSION_PERMANENT",
            );
            set(
                "SESSION_T",
                py_str("file"),
                "misspelled, and \"file\" is no backend: \"filesystem\"",
            );
        } else {
            set("SESSION_TYPE", py_str("filesystem"), "");
            if !s.permanent {
                set("SESSION_PERMANENT", "False".into(), "");
            }
        }
    } else if s.secret_key.is_empty() {
        out.push_str("# No SECRET_KEY: Flask cannot sign the session, so writing to it fails.\n");
    }
    if s.server_side() {
        if misspelled {
            out.push_str(
                "# Raises ValueError: Unrecognized value for SESSION_TYPE: null (the default).\n",
            );
        }
        out.push_str("Session(app)\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_durations() {
        assert_eq!(py_str("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
        assert_eq!(py_timedelta(300), "timedelta(minutes=5)");
        assert_eq!(py_timedelta(600), "timedelta(minutes=10)");
        assert_eq!(py_timedelta(7200), "timedelta(hours=2)");
        assert_eq!(py_timedelta(DEFAULT_LIFETIME), "timedelta(days=31)");
        assert_eq!(py_timedelta(90), "timedelta(seconds=90)");
        assert_eq!(py_timedelta(0), "timedelta(seconds=0)");
    }

    #[test]
    fn permanent_goes_where_the_session_is_first_written() {
        const PROGRAM: Program = Program {
            flask: &["request", "session"],
            imports: &[],
            prelude: "",
            views: "\n\n@app.route(\"/login\", methods=[\"POST\"])\ndef login():\n    {permanent}\n    session[\"user\"] = request.form[\"nm\"]\n    return \"ok\"\n",
            misspelled: false,
        };
        let mut s = Settings::client("hello", true, 300);
        let code = flask_code(&PROGRAM, &s);
        assert!(code.contains("    session.permanent = True\n    session[\"user\"]"));
        s.permanent = false;
        assert!(!flask_code(&PROGRAM, &s).contains("session.permanent"));
        s.client_or_server = InterfaceKind::ServerSide;
        let code = flask_code(&PROGRAM, &s);
        assert!(code.contains("app.config[\"SESSION_PERMANENT\"] = False\nSession(app)\n"));
        assert!(!code.contains("session.permanent"));
    }
}
