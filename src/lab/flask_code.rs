//! The Python a learner would write for a scenario: a complete, runnable Flask 3.1 program
//! (with Flask-Session 0.8 or Flask-Login 0.6 where the scenario uses them) that has the same
//! routes and behaviour as the scenario's app and reflects the current [`Settings`]. Written
//! for the lab, not copied from the tutorials; where an app keeps a tutorial's flaw (the lesson
//! is about it), a comment says so.
//!
//! Settings appear only when they differ from Flask's defaults (FORMATS.md 1.9, 3.7), the way
//! one would write them by hand.

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
    /// The settings each scenario's app really runs with; free play (and any unknown id)
    /// starts from Flask's defaults with a development key.
    pub fn for_scenario(id: &str) -> Settings {
        let client = |key: &str, permanent: bool, lifetime: i64| Settings {
            secret_key: key.into(),
            permanent,
            lifetime_seconds: lifetime,
            ..Settings::default()
        };
        let server = |key: &str, permanent: bool, lifetime: i64| Settings {
            client_or_server: InterfaceKind::ServerSide,
            ..client(key, permanent, lifetime)
        };
        const FIVE_MINUTES: i64 = 5 * 60;
        match id {
            "seed-000" | "seed-000-misspelled" => server("", false, DEFAULT_LIFETIME),
            "seed-000-login" => client("CODINGNINJAS", false, DEFAULT_LIFETIME),
            "seed-001" => client("xyz", false, DEFAULT_LIFETIME),
            "seed-002" => server("your_secret_key_here", true, 30 * 60),
            "seed-003" => client("hello", true, FIVE_MINUTES),
            "seed-004-client-temp" => client("supersecretkey", false, DEFAULT_LIFETIME),
            "seed-004-server-temp" => server("supersecretkey", false, DEFAULT_LIFETIME),
            "seed-004-client-persist" => client("supersecretkey", true, FIVE_MINUTES),
            "seed-004-server-persist" => server("supersecretkey", true, FIVE_MINUTES),
            _ => client("dev-secret", false, DEFAULT_LIFETIME),
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

/// What a program needs besides the config block.
struct Program {
    /// Names imported from `flask` (besides `Flask`).
    flask: &'static [&'static str],
    /// Further import lines.
    imports: &'static [&'static str],
    /// Lines between the config block and the views (constants, classes).
    prelude: &'static str,
    /// The views; `{permanent}` marks where a client-side permanent session is switched on.
    views: &'static str,
    /// Seed 000's misspelled listing.
    misspelled: bool,
}

/// The Python program for `scenario_id` with `settings`.
pub fn flask_code(scenario_id: &str, settings: &Settings) -> String {
    let program = program(scenario_id);
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

fn program(scenario_id: &str) -> Program {
    match scenario_id {
        "seed-000" | "seed-000-misspelled" => Program {
            flask: &["redirect", "render_template_string", "request", "session"],
            imports: &[],
            prelude: SEED_000_PRELUDE,
            views: SEED_000_VIEWS,
            misspelled: scenario_id == "seed-000-misspelled",
        },
        "seed-000-login" => Program {
            flask: &["redirect", "request", "url_for"],
            imports: &[
                "from flask_login import (\n    LoginManager, UserMixin, current_user, \
                        login_required, login_user, logout_user,\n)",
            ],
            prelude: SEED_000_LOGIN_PRELUDE,
            views: SEED_000_LOGIN_VIEWS,
            misspelled: false,
        },
        "seed-001" => Program {
            flask: &["session"],
            imports: &[],
            prelude: "",
            views: SEED_001_VIEWS,
            misspelled: false,
        },
        "seed-002" => Program {
            flask: &["redirect", "session", "url_for"],
            imports: &[],
            prelude: "",
            views: SEED_002_VIEWS,
            misspelled: false,
        },
        "seed-003" => Program {
            flask: &["redirect", "request", "session", "url_for"],
            imports: &[],
            prelude: SEED_003_PRELUDE,
            views: SEED_003_VIEWS,
            misspelled: false,
        },
        "seed-004-client-temp"
        | "seed-004-server-temp"
        | "seed-004-client-persist"
        | "seed-004-server-persist" => Program {
            flask: &[
                "redirect",
                "render_template_string",
                "request",
                "session",
                "url_for",
            ],
            imports: &[],
            prelude: SEED_004_PRELUDE,
            views: SEED_004_VIEWS,
            misspelled: false,
        },
        _ => Program {
            flask: &["redirect", "request", "session", "url_for"],
            imports: &["from markupsafe import escape"],
            prelude: FREE_PLAY_PRELUDE,
            views: FREE_PLAY_VIEWS,
            misspelled: false,
        },
    }
}

const SEED_000_PRELUDE: &str = r#"LOGIN_PAGE = """<h1>Login</h1>
<form action="/login" method="post">
  <input type="text" name="name" placeholder="Name" autocomplete="off">
  <input type="submit" value="Register">
</form>"""

# Kept from the tutorial: the page tests session.name, but the view stores user_name.
WELCOME_PAGE = """{% if session.name %}Registered as {{ session.name }}. <a href="/logout">logout</a>
{% else %}Nobody is registered here yet. <a href="/login">login</a>{% endif %}"""
"#;

const SEED_000_VIEWS: &str = r#"

@app.route("/")
def index():
    if not session.get("user_name"):
        return redirect("/login")
    return render_template_string(WELCOME_PAGE)


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        {permanent}
        session["user_name"] = request.form.get("name")
        return redirect("/")
    return LOGIN_PAGE


@app.route("/logout")
def logout():
    session["user_name"] = None  # keeps the key; session.pop("user_name", None) removes it
    return redirect("/")
"#;

const SEED_000_LOGIN_PRELUDE: &str = r#"login_manager = LoginManager(app)

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

const SEED_000_LOGIN_VIEWS: &str = r#"

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

const SEED_001_VIEWS: &str = r#"

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

const SEED_002_VIEWS: &str = r#"

@app.route("/")
def index():
    {permanent}
    session["username"] = "John"
    return "Pythongeeks Session data stored!"


@app.route("/profile")
def profile():
    username = session.get("username")
    if username:
        return f"Welcome, {username}!"
    return "No user data found in session."


@app.route("/logout")
def logout():
    session.clear()
    return "Logged out successfully!"


@app.route("/login", methods=["POST"])  # POST only: the redirect below ends in a 405
def login():
    {permanent}
    session["user_id"] = 123
    return redirect(url_for("dashboard"))


@app.route("/dashboard")
def dashboard():
    if session.get("user_id") is None:
        return redirect(url_for("login"))
    return "Welcome to the Dashboard!"
"#;

const SEED_003_PRELUDE: &str = r#"LOGIN_PAGE = """<h1>Login</h1>
<form method="post">
  <p>Name: <input type="text" name="nm"></p>
  <p><input type="submit" value="submit"></p>
</form>"""
"#;

const SEED_003_VIEWS: &str = r#"

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

const SEED_004_PRELUDE: &str = r#"PAGE = """<nav><b>MyApp</b> <a href="/home">Home</a> <a href="/about">About</a>
<a href="/contact">Contact</a> <a href="/products">Products</a>
<a href="/login">Sign In</a> <a href="/logout">Log Out</a>
{% if session["user_name"] %}<p>Welcome {{ session["user_name"] }}!</p>{% endif %}</nav>
<hr><h3>{{ heading }}</h3>
{% if sign_in %}<form action="/login" method="post">
<input type="hidden" name="next" value="{{ next }}">
<input name="username" placeholder="Username"> <input type="password" placeholder="Password">
<button>Submit</button></form>{% endif %}"""


def page(heading, **context):
    return render_template_string(PAGE, heading=heading, **context)
"#;

const SEED_004_VIEWS: &str = r#"

@app.route("/")
@app.route("/home")
def home():
    return page("This is the home page.")


@app.route("/about")
@app.route("/contact")
def members_only():
    if "user_name" not in session:
        return redirect(url_for("login") + f"?next={request.url}")
    return page(f"This is the {request.path[1:].title()} page.")


@app.route("/products")
def products():
    return page("What we sell: sofas, chairs, tables and swings.")


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        {permanent}
        session["user_name"] = request.form.get("username")
        session["lang"] = "en"
        session["theme"] = "dark"
        next_url = request.form.get("next")  # "None" when the form had no next
        # Not checked, as in the tutorial: an open redirect.
        return redirect(next_url if next_url != "None" else url_for("home"))
    return page("Sign in below.", sign_in=True, next=request.args.get("next"))


@app.route("/logout")
def logout():
    session.clear()
    return "Signed Out!!!"
"#;

const FREE_PLAY_PRELUDE: &str = r#"LOGIN_FORM = """<form method="post">
  <input name="user" placeholder="Your name"> <button>Sign in</button>
</form>"""
"#;

const FREE_PLAY_VIEWS: &str = r#"

@app.route("/")
def index():
    visits = session.get("visits", 0)
    if "user" not in session:
        return f'Nobody is signed in. Visits: {visits}. <a href="/login">Sign in</a>'
    return (f"Signed in as {escape(session['user'])}. Visits: {visits}. "
            '<a href="/count">Count</a> <a href="/logout">Sign out</a>')


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        {permanent}
        session["user"] = request.form["user"]
        return redirect(url_for("index"))
    return LOGIN_FORM


@app.route("/count")
def count():
    session["visits"] = session.get("visits", 0) + 1
    return redirect(url_for("index"))


@app.route("/logout")
def logout():
    session.clear()
    return redirect(url_for("index"))
"#;

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
        let mut s = Settings::for_scenario("seed-003");
        let code = flask_code("seed-003", &s);
        assert!(code.contains("        session.permanent = True\n        session[\"user\"]"));
        s.permanent = false;
        assert!(!flask_code("seed-003", &s).contains("session.permanent"));
        s.client_or_server = InterfaceKind::ServerSide;
        let code = flask_code("seed-003", &s);
        assert!(code.contains("app.config[\"SESSION_PERMANENT\"] = False\nSession(app)\n"));
        assert!(!code.contains("session.permanent"));
    }
}
