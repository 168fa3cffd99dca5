//! The harness the Rust test binaries share: the JSON fixtures real Flask wrote into
//! tests/fixtures/, typed, and the one step runner that replays a response table through
//! `App::serve`.
//!
//! The fixtures are made by `tests/fixtures/generate.py` with Flask 3.1.3, Flask-Session 0.8.0
//! and Flask-Login 0.6.3 (`--check` proves the committed files are still what real Flask makes;
//! `make test` runs it). Their schema is in tests/fixtures/README.md, the browsers' rules in
//! tests/fixtures/harness.py. Every struct here denies unknown fields, so a field the generator
//! adds cannot be silently ignored: the test fails until this file learns it.
//!
//! Each test binary that uses it says `mod common;` and uses only part of it.
// Each test binary compiles its own copy of this module and uses only some of it (vectors.rs
// never runs a table, login.rs never reads vectors.json), so what one binary leaves unused is
// not dead code.
#![allow(dead_code)]

use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use session_lab::engine::flask::app::{App, Handled};
use session_lab::engine::flask::config::ConfigValue;
use session_lab::engine::werkzeug::wrappers::{Request, Response};
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::PathBuf;
use std::sync::OnceLock;

// ---------------------------------------------------------------------------------------------
// Reading a fixture

/// tests/fixtures/, wherever the repository is.
pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// How to (re)make the fixtures, for every failure message about them.
pub const HOW_TO_MAKE: &str = "The fixtures are written by real Flask: run `make test`, or \
     `scripts/setup.sh test` and then `target/flask-venv/bin/python tests/fixtures/generate.py`";

/// The path of a fixture file (`name` as in `apps.json`).
pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(FIXTURES).join(name)
}

/// Reads and deserializes one fixture file. A missing, unreadable or malformed file fails the
/// test with a message saying how to make it; nothing is ever skipped.
pub fn read_fixture<T: DeserializeOwned>(name: &str) -> T {
    let path = fixture_path(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the fixture tests/fixtures/{name} ({}): {e}.\n{HOW_TO_MAKE}.",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "the fixture tests/fixtures/{name} does not have the expected shape: {e}.\n\
             {HOW_TO_MAKE} (the schema is in tests/fixtures/README.md)."
        )
    })
}

// ---------------------------------------------------------------------------------------------
// vectors.json and tagged_examples.json

/// One signed session cookie of vectors.json. The optional fields are absent from the two
/// key-rotation vectors, which carry a `note` instead.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CookieVector {
    pub name: String,
    pub secret: String,
    pub salt: String,
    /// The session's JSON text, as Flask serialized it.
    pub session: String,
    pub cookie: String,
    pub timestamp: i64,
    pub payload_segment: Option<String>,
    pub timestamp_segment: Option<String>,
    pub signature_segment: Option<String>,
    pub compressed: Option<bool>,
    pub derived_key_hex: Option<String>,
    pub max_age: Option<i64>,
    pub expired_error_at_ts_plus_max_age_plus_1: Option<String>,
    pub python_repr: Option<String>,
    pub note: Option<String>,
}

/// Every cookie vector, in file order.
pub fn cookie_vectors() -> &'static [CookieVector] {
    static VECTORS: OnceLock<Vec<CookieVector>> = OnceLock::new();
    VECTORS.get_or_init(|| read_fixture("vectors.json"))
}

/// One value of tagged_examples.json, through Flask's TaggedJSON serializer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaggedExample {
    /// The Python value, as its repr.
    pub python: String,
    pub json_in_app_context: String,
    pub json_without_app_context: String,
    /// The repr of what Flask's `loads` returned for `json_in_app_context`.
    pub loads_back: String,
}

/// Every TaggedJSON example, in file order.
pub fn tagged_examples() -> &'static [TaggedExample] {
    static EXAMPLES: OnceLock<Vec<TaggedExample>> = OnceLock::new();
    EXAMPLES.get_or_init(|| read_fixture("tagged_examples.json"))
}

// ---------------------------------------------------------------------------------------------
// apps.json and login.json: response tables

/// apps.json or login.json.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// Library versions that made the file.
    pub generated_with: BTreeMap<String, String>,
    pub about: String,
    /// T0: each flow's start, unix seconds.
    pub clock: i64,
    pub tables: Tables,
    /// Which browser the file's tables were recorded with (not in the JSON: it is the file's).
    #[serde(skip)]
    pub jar: JarKind,
    /// The fixture file's name (not in the JSON).
    #[serde(skip)]
    pub file: &'static str,
}

/// The tables of a file, in file order (a JSON object, read without losing the order).
#[derive(Debug)]
pub struct Tables(pub Vec<Table>);

/// One flow: an app, how it is set up, and every request with Flask's response.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// The table's name, its key in `tables` (the const name the Rust tests once used).
    #[serde(skip)]
    pub name: String,
    pub about: String,
    /// `seed_001`, `seed_003`, `twin` or `seed_000_login`.
    pub app: String,
    /// The login twin's settings (login.json); absent in apps.json, null for seed_000_login.
    #[serde(default)]
    pub opts: Option<Opts>,
    pub steps: Vec<Step>,
    /// The browser of the file the table is in (not in the JSON).
    #[serde(skip)]
    pub jar: JarKind,
}

/// One request and the response Flask gave for it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub label: String,
    /// Absolute unix seconds.
    pub now: i64,
    pub method: String,
    pub target: String,
    /// Request headers, in order; the `Cookie` header (if any) goes after them.
    pub headers: Vec<(String, String)>,
    pub form: Vec<(String, String)>,
    pub send: Send,
    pub status: u16,
    /// Response headers in order, `Allow`'s methods sorted.
    pub response: Vec<(String, String)>,
    pub body: String,
}

/// Which `Cookie` header a step sends.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Send {
    /// Whatever the table's jar holds (no header if it is empty).
    Jar,
    /// No `Cookie` header at all.
    Nothing,
    /// This exact `Cookie` header value; the jar is left alone.
    Raw(String),
}

/// How the login twin is set up (`Opts` in tests/fixtures/login.py); every field is always
/// present in the JSON.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opts {
    pub secret: Option<String>,
    pub login_view: Option<String>,
    pub refresh_view: Option<String>,
    /// `login_manager.session_protection`.
    pub protection: Option<String>,
    pub login_message: Option<String>,
    /// An `unauthorized_handler` returning this text.
    pub unauthorized_text: Option<String>,
    pub request_loader: bool,
    /// `app.config` entries, in order.
    pub config: Vec<(String, Config)>,
}

/// A config value as the generator writes it: null, a bool, an integer or a string. Anything
/// else (a float, a list) does not deserialize, so it cannot be approximated silently.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Config {
    None,
    Bool(bool),
    Int(i64),
    Str(String),
}

impl From<&Config> for ConfigValue {
    fn from(c: &Config) -> ConfigValue {
        match c {
            Config::None => ConfigValue::None,
            Config::Bool(b) => ConfigValue::Bool(*b),
            Config::Int(i) => ConfigValue::Int(*i),
            Config::Str(s) => ConfigValue::Str(s.clone()),
        }
    }
}

impl<'de> Deserialize<'de> for Tables {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Tables, D::Error> {
        struct TablesVisitor;
        impl<'de> Visitor<'de> for TablesVisitor {
            type Value = Tables;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of tables by name")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tables, A::Error> {
                let mut tables: Vec<Table> = Vec::new();
                while let Some((name, mut table)) = map.next_entry::<String, Table>()? {
                    if tables.iter().any(|t| t.name == name) {
                        return Err(serde::de::Error::custom(format!("table {name} twice")));
                    }
                    table.name = name;
                    tables.push(table);
                }
                Ok(Tables(tables))
            }
        }
        deserializer.deserialize_map(TablesVisitor)
    }
}

fn load_tables(file: &'static str, jar: JarKind) -> Fixture {
    let mut fixture: Fixture = read_fixture(file);
    fixture.file = file;
    fixture.jar = jar;
    for table in &mut fixture.tables.0 {
        table.jar = jar;
        let mut labels = HashSet::new();
        for step in &table.steps {
            assert!(
                labels.insert(step.label.as_str()),
                "tests/fixtures/{file}: table {} has two steps labelled {:?}",
                table.name,
                step.label
            );
        }
    }
    fixture
}

/// apps.json: the seed 001 / 003 twins, recorded with the `session`-only jar.
pub fn apps() -> &'static Fixture {
    static APPS: OnceLock<Fixture> = OnceLock::new();
    APPS.get_or_init(|| load_tables("apps.json", JarKind::SessionOnly))
}

/// login.json: the Flask-Login twin and the seed 000 login example, recorded with the jar that
/// keeps every cookie by name.
pub fn login() -> &'static Fixture {
    static LOGIN: OnceLock<Fixture> = OnceLock::new();
    LOGIN.get_or_init(|| load_tables("login.json", JarKind::ByName))
}

impl Fixture {
    /// The table of this name; a missing one fails the test.
    pub fn table(&self, name: &str) -> &Table {
        self.tables
            .0
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| {
                panic!(
                    "tests/fixtures/{} has no table {name} (it has {:?}). {HOW_TO_MAKE}.",
                    self.file,
                    self.names()
                )
            })
    }

    /// The names of the tables, in file order.
    pub fn names(&self) -> Vec<&str> {
        self.tables.0.iter().map(|t| t.name.as_str()).collect()
    }

    /// Fails unless the file's tables are exactly `names`, in that order: the guard that a
    /// regenerated fixture neither drops a table a test binary runs nor adds one it never runs.
    pub fn assert_tables_are(&self, names: &[&str]) {
        assert_eq!(
            self.names(),
            names,
            "the tables of tests/fixtures/{} differ from the ones this test binary runs",
            self.file
        );
    }
}

impl Table {
    /// The step with this label and its index; a missing label fails the test.
    pub fn find(&self, label: &str) -> (usize, &Step) {
        self.steps
            .iter()
            .enumerate()
            .find(|(_, s)| s.label == label)
            .unwrap_or_else(|| panic!("table {} has no step {label:?}", self.name))
    }

    /// The step with this label.
    pub fn step(&self, label: &str) -> &Step {
        self.find(label).1
    }

    /// The index of the step with this label.
    pub fn index(&self, label: &str) -> usize {
        self.find(label).0
    }

    /// The index of the first step whose label starts with `prefix`.
    pub fn index_starting_with(&self, prefix: &str) -> usize {
        self.steps
            .iter()
            .position(|s| s.label.starts_with(prefix))
            .unwrap_or_else(|| panic!("table {} has no step labelled {prefix:?}...", self.name))
    }

    /// The login twin's settings; fails for a table without them.
    pub fn opts(&self) -> &Opts {
        self.opts
            .as_ref()
            .unwrap_or_else(|| panic!("table {} has no opts", self.name))
    }
}

impl Step {
    /// The first response header of this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.response
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The whole `Set-Cookie` header that sets (or deletes) the cookie `name`.
    pub fn set_cookie(&self, name: &str) -> Option<&str> {
        self.response
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .map(|(_, v)| v.as_str())
            .find(|v| v.split('=').next() == Some(name))
    }
}

// ---------------------------------------------------------------------------------------------
// The browsers (tests/fixtures/harness.py `SessionJar` and `NamedJar`)
//
// Neither looks at Expires, Domain or Path: the server-side max_age check has to stay
// observable, which it would not be if the jar dropped an expired cookie first.

/// Which of the two browsers of harness.py a table was recorded with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum JarKind {
    /// apps.json (`SessionJar`): only the `session` cookie, sent as `session=<value>`, emptied
    /// by an empty value or `Max-Age=0`.
    #[default]
    SessionOnly,
    /// login.json (`NamedJar`): every cookie by name, its value as Set-Cookie wrote it (quotes
    /// included), dropped on `Max-Age=0` only, all sent in one header sorted by name.
    ByName,
}

/// A cookie jar between the requests of a table.
#[derive(Debug, Clone)]
pub struct Jar {
    kind: JarKind,
    cookies: BTreeMap<String, String>,
}

impl Jar {
    /// An empty jar of this kind.
    pub fn new(kind: JarKind) -> Jar {
        Jar {
            kind,
            cookies: BTreeMap::new(),
        }
    }

    /// The value the jar holds for a cookie.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.cookies.get(name).map(String::as_str)
    }

    /// The `Cookie` header the jar sends, if it holds anything.
    pub fn header(&self) -> Option<String> {
        if self.cookies.is_empty() {
            return None;
        }
        let pairs: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        Some(pairs.join("; "))
    }

    /// The request a step sends from this jar: its headers, its form, then the `Cookie` header
    /// its `send` asks for.
    pub fn request(&self, step: &Step) -> Request {
        let mut req = Request::new(&step.method, &step.target);
        for (k, v) in &step.headers {
            req = req.with_header(k, v);
        }
        for (k, v) in &step.form {
            req = req.with_form(k, v);
        }
        match &step.send {
            Send::Jar => {
                if let Some(header) = self.header() {
                    req = req.with_header("Cookie", &header);
                }
            }
            Send::Nothing => {}
            Send::Raw(header) => req = req.with_header("Cookie", header),
        }
        req
    }

    /// Takes in every `Set-Cookie` of a response, whatever the request sent.
    pub fn receive(&mut self, response: &Response) {
        for header in response.set_cookies() {
            self.receive_one(header);
        }
    }

    fn receive_one(&mut self, set_cookie: &str) {
        let deletes = set_cookie.contains("Max-Age=0");
        match self.kind {
            JarKind::SessionOnly => {
                let Some(rest) = set_cookie.strip_prefix("session=") else {
                    return;
                };
                let value = rest.split(';').next().unwrap_or("");
                if value.is_empty() || deletes {
                    self.cookies.remove("session");
                } else {
                    self.cookies.insert("session".into(), value.into());
                }
            }
            JarKind::ByName => {
                let (name, rest) = set_cookie.split_once('=').unwrap_or((set_cookie, ""));
                if deletes {
                    self.cookies.remove(name);
                } else {
                    let value = rest.split(';').next().unwrap_or("");
                    self.cookies.insert(name.into(), value.into());
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The step runner

/// Headers as (name, value) with `Allow`'s methods sorted: Flask builds `Allow` from a Python
/// set, so its order follows PYTHONHASHSEED, and the fixtures record it sorted.
pub fn normalized(headers: &[(String, String)]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            if k.eq_ignore_ascii_case("allow") {
                let mut methods: Vec<&str> = v.split(',').map(str::trim).collect();
                methods.sort_unstable();
                (k.clone(), methods.join(", "))
            } else {
                (k.clone(), v.clone())
            }
        })
        .collect()
}

/// What a step is called in failure messages: table, index, label, request.
pub fn context(table: &Table, i: usize, step: &Step) -> String {
    format!(
        "table {} step {i} ({:?}: {} {})",
        table.name, step.label, step.method, step.target
    )
}

/// Sends every step of the table through `app.serve` at the step's clock, with the table's
/// jar in between, and compares status, headers (`Allow` sorted) and body with Flask's.
/// Returns what the app answered, in step order, for further checks.
pub fn run(app: &App, table: &Table) -> Vec<Handled> {
    let mut jar = Jar::new(table.jar);
    let mut handled = Vec::with_capacity(table.steps.len());
    for (i, step) in table.steps.iter().enumerate() {
        let h = app.serve(&jar.request(step), step.now);
        check(&h.response, table, i, step);
        jar.receive(&h.response);
        handled.push(h);
    }
    handled
}

/// Compares one response with the step's: status, headers (`Allow` sorted), body.
pub fn check(response: &Response, table: &Table, i: usize, step: &Step) {
    let ctx = context(table, i, step);
    assert_eq!(
        response.status, step.status,
        "{ctx}: status; log {:?}",
        response.log
    );
    assert_eq!(
        normalized(&response.headers),
        step.response,
        "{ctx}: headers"
    );
    assert_eq!(response.body, step.body, "{ctx}: body");
}

// ---------------------------------------------------------------------------------------------
// Running the command-line tool.

/// What one run of `session-lab-cli` gave.
pub struct CliRun {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl CliRun {
    pub fn lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }
}

/// Runs the binary `bin` with `args` and `input` on its standard input, written from a thread
/// so that a large input cannot deadlock against a full stdout pipe. A panic (exit 101) fails.
pub fn run_cli(bin: &str, args: &[&str], input: Vec<u8>) -> CliRun {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(bin)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the CLI binary runs");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let writer = std::thread::spawn(move || {
        // The CLI may stop reading (bad arguments, the key found): a broken pipe is fine.
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("the CLI finishes");
    writer.join().expect("the writer thread ends");
    let code = out.status.code().expect("exited, not killed by a signal");
    assert_ne!(
        code,
        101,
        "{args:?} panicked: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    CliRun {
        code,
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

// ---------------------------------------------------------------------------------------------
// Real Flask, from the test virtual environment

/// The virtual environment's Python, with the pinned Flask, Flask-Session and Flask-Login.
pub fn venv_python() -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/flask-venv/bin/python");
    assert!(
        path.exists(),
        "{} is missing: run `make test` (or `scripts/setup.sh test`), which creates the \
         virtual environment with the pinned Flask, Flask-Session and Flask-Login",
        path.display()
    );
    path
}

/// Runs `python -c script args...` in `cwd` with `input` on standard input; its standard
/// output, after checking that it succeeded.
pub fn run_python(cwd: &std::path::Path, script: &str, args: &[&str], input: &str) -> String {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut child = Command::new(venv_python())
        .arg("-c")
        .arg(script)
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A directory of its own for one test's files (a Python program, its `__pycache__`),
/// removed when the value is dropped, even when the test fails.
pub struct Scratch(PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let dir =
            std::env::temp_dir().join(format!("session-lab-{}-{n}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl std::ops::Deref for Scratch {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Checks that a "Do it" submission is the one the main browser's page offers: a POST form
/// with this action, sending exactly these fields once the visible ones are filled in.
pub fn check_form_on_screen(
    lab: &session_lab::lab::Lab<session_lab::client::jar::Jar>,
    action: &str,
    fields: &[(&str, &str)],
    ctx: &str,
) {
    let page = lab
        .main
        .page
        .map(|id| lab.log[id].page())
        .unwrap_or_else(|| panic!("{ctx}: no page on screen to submit {action} from"));
    let form = page
        .forms
        .iter()
        .find(|f| f.method == "POST" && f.action == action)
        .unwrap_or_else(|| panic!("{ctx}: the page has no POST form to {action}: {page:?}"));
    let typed: Vec<(String, String)> = fields
        .iter()
        .filter(|(name, _)| {
            form.fields
                .iter()
                .any(|f| f.name == *name && !f.hidden && !f.is_submit_button())
        })
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let sent: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(
        session_lab::client::page::form_values(form, &typed),
        sent,
        "{ctx}: not what the form on screen sends"
    );
}
