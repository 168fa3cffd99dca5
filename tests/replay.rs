//! `session-lab-cli replay` as a user runs it: the built binary, JSON lines in and out, with the
//! browser cookie jar between requests.
//!
//! Every expected response below is REAL Flask 3.1.3's: status, headers and body are read from
//! the `SEED_001` and `SEED_003` tables of tests/fixtures/apps.json (written by real Flask with
//! `tests/fixtures/generate.py` at the frozen clock T0 = 1700000000; the same tables
//! tests/apps.rs runs), each by its step label. Where the browser jar behaves differently from
//! the tables' simple jar (it drops a cookie at its `Expires`), the expected response is the one
//! Flask gives for a request without a cookie, also from those tables.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use serde_json::{json, Value as Json};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_session-lab-cli");
const T0: i64 = 1_700_000_000;

struct Run {
    code: i32,
    lines: Vec<Json>,
    stderr: String,
}

/// Runs `replay --app APP [--now NOW]` on the given stdin text.
fn replay_raw(app: &str, now: Option<i64>, stdin: &[u8]) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.args(["replay", "--app", app]);
    if let Some(now) = now {
        cmd.args(["--now", &now.to_string()]);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the CLI binary runs");
    // A child that exits early closes its stdin; that is not this test's failure.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    let out = child.wait_with_output().expect("the CLI finishes");
    let stdout = String::from_utf8(out.stdout).expect("stdout is UTF-8");
    assert!(
        stdout.is_empty() || stdout.ends_with('\n'),
        "unterminated: {stdout:?}"
    );
    Run {
        code: out.status.code().expect("exited, not killed by a signal"),
        lines: stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}")))
            .collect(),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

fn replay(app: &str, now: i64, lines: &[Json]) -> Run {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    replay_raw(app, Some(now), text.as_bytes())
}

/// The response line `replay` prints for Flask's response to the step `label` of the apps.json
/// table `table`.
fn flask(table: &str, label: &str) -> Json {
    let fixture = common::apps();
    // The replays below start at T0 and move the clock as the tables did.
    assert_eq!(fixture.clock, T0, "the clock of tests/fixtures/apps.json");
    let step = fixture.table(table).step(label);
    json!({"status": step.status, "headers": step.response, "body": step.body})
}

fn get(path: &str) -> Json {
    json!({ "path": path })
}

fn advance(seconds: i64) -> Json {
    json!({ "advance": seconds })
}

fn assert_responses(run: &Run, expected: &[Json]) {
    assert_eq!(run.code, 0, "exit code; stderr {:?}", run.stderr);
    assert_eq!(run.stderr, "");
    assert_eq!(run.lines.len(), expected.len(), "{:#?}", run.lines);
    for (i, (got, want)) in run.lines.iter().zip(expected).enumerate() {
        assert_eq!(got, want, "response {i}");
    }
}

// ---------------------------------------------------------------------------------------------
// Flask's responses (tests/fixtures/apps.json)

const SEED_001: &str = "SEED_001";
const SEED_003: &str = "SEED_003";

/// seed-001 "getsession without a cookie: Vary only" (and every cookie-less /getsession).
fn s001_anonymous() -> Json {
    flask(SEED_001, "getsession without a cookie: Vary only")
}

/// seed-001 "getsession with the cookie: no Set-Cookie (not permanent)".
fn s001_admin() -> Json {
    flask(
        SEED_001,
        "getsession with the cookie: no Set-Cookie (not permanent)",
    )
}

/// seed-001 "setsession sets the cookie" (T0).
fn s001_set_t0() -> Json {
    flask(SEED_001, "setsession sets the cookie")
}

/// seed-003 "user without a cookie redirects to login" (and every cookie-less /user).
fn s003_to_login() -> Json {
    flask(SEED_003, "user without a cookie redirects to login")
}

/// seed-003 "login POST makes the session permanent and redirects" (T0 + 10).
fn s003_login_alice_t10() -> Json {
    flask(
        SEED_003,
        "login POST makes the session permanent and redirects",
    )
}

/// seed-003 "user greets and re-signs (sliding expiry)" (T0 + 20).
fn s003_user_alice_t20() -> Json {
    flask(SEED_003, "user greets and re-signs (sliding expiry)")
}

/// Runs seed-003 from T0 up to the login, as the first steps of the Flask table.
fn s003_login_steps() -> Vec<Json> {
    vec![
        get("/user"),
        get("/login"),
        advance(10),
        json!({"method": "POST", "path": "/login", "form": {"nm": "Alice"}}),
    ]
}

fn s003_login_responses() -> Vec<Json> {
    vec![
        s003_to_login(),
        flask(SEED_003, "login page"),
        s003_login_alice_t10(),
    ]
}

// ---------------------------------------------------------------------------------------------
// seed-001

#[test]
fn seed_001_set_get_pop_through_the_jar() {
    let run = replay(
        "seed-001",
        T0,
        &[
            get("/getsession"),
            get("/setsession"),
            advance(60),
            get("/getsession"),
            advance(60),
            get("/setsession"),
            advance(60),
            get("/popsession"),
            advance(1),
            get("/getsession"),
            advance(1),
            get("/popsession"),
        ],
    );
    assert_responses(
        &run,
        &[
            s001_anonymous(),
            s001_set_t0(),
            s001_admin(),
            // "setsession again re-signs with the new timestamp" (T0 + 120)
            flask(SEED_001, "setsession again re-signs with the new timestamp"),
            // "popsession sends the deletion cookie" (T0 + 180)
            flask(SEED_001, "popsession sends the deletion cookie"),
            // The jar deleted the cookie.
            flask(SEED_001, "getsession after pop"),
            flask(
                SEED_001,
                "popsession without a cookie: nothing was removed, Vary only",
            ),
        ],
    );
}

#[test]
fn seed_001_a_lines_cookie_header_replaces_the_jar_for_that_request_only() {
    // The cookie "setsession sets the cookie" set at T0, as the table's later steps send it.
    let common::Send::Raw(valid) = &common::apps()
        .table(SEED_001)
        .step("31 days old cookie is still accepted (age == max_age)")
        .send
    else {
        panic!("that step sends a raw Cookie header");
    };
    let run = replay(
        "seed-001",
        T0,
        &[
            get("/setsession"),
            advance(60),
            // "garbage cookie is treated as an empty session" (T0 + 60)
            json!({"path": "/getsession", "headers": {"Cookie": "session=not-a-cookie"}}),
            // The header name is case-insensitive, and an empty header sends no cookie at all.
            json!({"path": "/getsession", "headers": {"cookie": ""}}),
            // Back to the jar.
            get("/getsession"),
            // "31 days old cookie is still accepted" / "one second later it is expired": an
            // explicit header is sent whatever the jar holds or the clock says.
            advance(2_678_400 - 60),
            json!({"path": "/getsession", "headers": {"Cookie": valid}}),
            advance(1),
            json!({"path": "/getsession", "headers": {"Cookie": valid}}),
        ],
    );
    assert_responses(
        &run,
        &[
            s001_set_t0(),
            flask(SEED_001, "garbage cookie is treated as an empty session"),
            s001_anonymous(),
            s001_admin(),
            flask(
                SEED_001,
                "31 days old cookie is still accepted (age == max_age)",
            ),
            flask(SEED_001, "one second later it is expired"),
        ],
    );
}

#[test]
fn seed_001_restart_browser_drops_the_non_permanent_cookie() {
    let run = replay(
        "seed-001",
        T0,
        &[
            get("/setsession"),
            get("/getsession"),
            json!({"restart_browser": true}),
            get("/getsession"),
        ],
    );
    assert_responses(&run, &[s001_set_t0(), s001_admin(), s001_anonymous()]);
}

#[test]
fn seed_001_head_and_unknown_paths() {
    let run = replay(
        "seed-001",
        T0 + 60,
        &[
            // "HEAD runs the GET view with an empty body" (T0 + 60, no cookie)
            json!({"method": "HEAD", "path": "/setsession"}),
            json!({"restart_browser": true}),
            // "unknown path is a 404" (T0 + 60)
            json!({"method": "GET", "path": "/nope?x=1#frag"}),
        ],
    );
    assert_responses(
        &run,
        &[
            flask(SEED_001, "HEAD runs the GET view with an empty body"),
            flask(SEED_001, "unknown path is a 404"),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// seed-003

#[test]
fn seed_003_login_then_user_then_idle_expiry() {
    let mut lines = s003_login_steps();
    lines.extend([
        advance(10),
        get("/user"),
        advance(200),
        get("/user"),
        // Refreshed at T0 + 220 with Expires T0 + 520; 301 s later the browser no longer
        // sends it, so Flask sees no cookie.
        advance(301),
        get("/user"),
        // "login again" (T0 + 900), "logout pops user but _permanent stays" (T0 + 910), "user
        // after logout redirects to login and refreshes {_permanent: true}" (T0 + 920).
        advance(379),
        json!({"method": "POST", "path": "/login", "form": {"nm": "Bob"}}),
        advance(10),
        get("/logout"),
        advance(10),
        get("/user"),
    ]);
    let mut expected = s003_login_responses();
    expected.extend([
        s003_user_alice_t20(),
        flask(
            SEED_003,
            "200 s later the cookie is re-signed with a new timestamp and Expires",
        ),
        s003_to_login(),
        flask(SEED_003, "login again"),
        flask(
            SEED_003,
            "logout pops user but _permanent stays, so a cookie is still sent",
        ),
        flask(
            SEED_003,
            "user after logout redirects to login and refreshes {_permanent: true}",
        ),
    ]);
    assert_responses(&run_lines("seed-003", &lines), &expected);
}

fn run_lines(app: &str, lines: &[Json]) -> Run {
    replay(app, T0, lines)
}

#[test]
fn seed_003_the_browser_drops_the_cookie_at_its_expires() {
    // Refreshed at T0 + 20 with Expires T0 + 320. Flask itself would still accept the cookie
    // at exactly 300 s of age ("exactly 300 s after the last refresh it is still accepted"),
    // but Chromium counts a cookie as expired once now >= Expires, so at T0 + 320 it is not
    // sent and Flask answers as to a visitor without a cookie.
    let mut lines = s003_login_steps();
    lines.extend([advance(10), get("/user"), advance(300), get("/user")]);
    let mut expected = s003_login_responses();
    expected.extend([s003_user_alice_t20(), s003_to_login()]);
    assert_responses(&run_lines("seed-003", &lines), &expected);
}

#[test]
fn seed_003_restart_browser_keeps_the_permanent_cookie() {
    let mut lines = s003_login_steps();
    lines.extend([json!({"restart_browser": true}), advance(10), get("/user")]);
    let mut expected = s003_login_responses();
    expected.push(s003_user_alice_t20());
    assert_responses(&run_lines("seed-003", &lines), &expected);
}

#[test]
fn form_fields_keep_their_order_and_the_first_one_wins() {
    // Flask's request.form["nm"] is the first of two fields of that name; JSON objects with a
    // repeated key are read in order, not collapsed.
    let text = "{\"path\":\"/user\"}\n{\"path\":\"/login\"}\n{\"advance\":10}\n\
                {\"method\":\"post\",\"path\":\"/login\",\"form\":{\"nm\":\"Alice\",\"nm\":\"Bob\"}}\n";
    let run = replay_raw("seed-003", Some(T0), text.as_bytes());
    assert_responses(&run, &s003_login_responses());
}

// ---------------------------------------------------------------------------------------------
// The protocol

#[test]
fn malformed_lines_are_answered_and_the_run_goes_on() {
    let input = [
        "{\"path\":\"/setsession\"}",
        "not json",
        "",
        "[1,2]",
        "{\"path\":\"getsession\"}",
        "{\"path\":\"/getsession\",\"extra\":1}",
        "{\"advance\":1.5}",
        "{\"advance\":60,\"path\":\"/\"}",
        "{\"restart_browser\":\"yes\"}",
        "{\"method\":\"GE T\",\"path\":\"/\"}",
        "{\"path\":\"/getsession\",\"form\":{\"a\":1}}",
        "{\"path\":\"/getsession\",\"headers\":[\"Cookie\"]}",
        "{\"method\":\"GET\"}",
        "{\"restart_browser\":false}",
        "{\"path\":\"/getsession\"}",
    ]
    .join("\n");
    let run = replay_raw("seed-001", Some(T0), input.as_bytes());
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr.lines().count(), 1, "{:?}", run.stderr);
    assert_eq!(run.lines.len(), 13);
    assert_eq!(run.lines[0], s001_set_t0());
    let errors: Vec<&str> = run.lines[1..12]
        .iter()
        .map(|l| l["error"].as_str().expect("an error line"))
        .collect();
    let numbers: Vec<&str> = errors
        .iter()
        .map(|e| e.split(':').next().unwrap())
        .collect();
    assert_eq!(
        numbers,
        [
            "line 2", "line 4", "line 5", "line 6", "line 7", "line 8", "line 9", "line 10",
            "line 11", "line 12", "line 13"
        ]
    );
    assert!(errors[2].contains("must start with '/'"), "{}", errors[2]);
    assert!(errors[3].contains("unknown field `extra`"), "{}", errors[3]);
    assert!(
        errors[4].contains("whole number of seconds"),
        "{}",
        errors[4]
    );
    assert!(
        errors[10].contains("missing field `path`"),
        "{}",
        errors[10]
    );
    // The line without a final newline is still read; the jar survived the errors.
    assert_eq!(run.lines[12], s001_admin());
}

#[test]
fn lines_are_answered_as_they_arrive() {
    let mut child = Command::new(BIN)
        .args(["replay", "--app", "seed-001", "--now", &T0.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the CLI binary runs");
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    for (request, want) in [
        ("{\"path\":\"/setsession\"}\n", s001_set_t0()),
        ("{\"path\":\"/getsession\"}\r\n", s001_admin()),
    ] {
        stdin.write_all(request.as_bytes()).unwrap();
        stdin.flush().unwrap();
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        assert_eq!(serde_json::from_str::<Json>(&line).unwrap(), want);
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

#[test]
fn empty_input_and_the_system_clock() {
    let run = replay_raw("seed-003", None, b"");
    assert_eq!((run.code, run.lines.len()), (0, 0));
    let run = replay_raw("seed-001", None, b"{\"path\":\"/getsession\"}\n\n");
    assert_responses(&run, &[s001_anonymous()]);
}

#[test]
fn bad_arguments_are_usage_errors() {
    for args in [
        vec!["replay"],
        vec!["replay", "--app", "no-such-app"],
        vec!["replay", "--app", "seed-001", "--now", "soon"],
        vec!["replay", "--app", "seed-001", "extra"],
        vec!["replay", "--app", "seed-001", "--app", "seed-003"],
        vec!["replay", "--app", "seed-001", "--secret", "x"],
    ] {
        let out = Command::new(BIN)
            .args(&args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(
            stderr.starts_with("session-lab-cli: "),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains("usage:"), "{args:?}");
    }
    let out = Command::new(BIN)
        .args(["replay", "--app", "no-such-app"])
        .output()
        .unwrap();
    let first = String::from_utf8(out.stderr).unwrap();
    let first = first.lines().next().unwrap().to_string();
    for name in ["seed-001", "seed-003"] {
        assert!(first.contains(name), "{first}");
    }
}

/// `replay` with these arguments on one request line: exit code, stdout, stderr.
fn replay_args(args: &[&str]) -> (Option<i32>, String, String) {
    let mut child = Command::new(BIN)
        .arg("replay")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The arguments are refused before stdin is read, so the write may find the pipe closed.
    let _ = child.stdin.take().unwrap().write_all(b"{\"path\":\"/\"}\n");
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn fixed_without_a_fix_is_a_usage_error() {
    // attack-open-redirect has a fix: --fixed runs it and answers the line.
    let (code, stdout, stderr) = replay_args(&["--app", "attack-open-redirect", "--fixed"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    for app in ["seed-001", "attack-too-big"] {
        let (code, stdout, stderr) = replay_args(&["--app", app, "--fixed"]);
        assert_eq!(code, Some(2), "{app}: {stderr}");
        assert!(stdout.is_empty(), "{app}: {stdout}");
        assert!(
            stderr.starts_with(&format!(
                "session-lab-cli: --fixed: scenario \"{app}\" has no corrected app\n"
            )),
            "{app}: {stderr}"
        );
        assert!(stderr.contains("usage:"), "{app}: {stderr}");
    }
}

#[test]
fn a_bad_config_value_is_a_usage_error() {
    // A good one first: the app runs with it.
    let (code, _, stderr) = replay_args(&["--app", "seed-001", "--config", "SECRET_KEY=\"k\""]);
    assert_eq!(code, Some(0), "{stderr}");
    for (config, why) in [
        ("SECRET_KEY", "--config wants KEY=JSON, not \"SECRET_KEY\""),
        (
            "SECRET_KEY=",
            "--config SECRET_KEY: \"\" is not a JSON string",
        ),
        (
            "SECRET_KEY=1.5",
            "--config SECRET_KEY: \"1.5\" is not a JSON string",
        ),
        (
            "SECRET_KEY={\"a\":1}",
            "is not a JSON string, boolean, whole number",
        ),
        (
            "SECRET_KEY_FALLBACKS=[1]",
            "is not a JSON string, boolean, whole number",
        ),
        (
            "SESSION_COOKIE_HTTPONLY=\"yes\"",
            "--config SESSION_COOKIE_HTTPONLY: SESSION_COOKIE_HTTPONLY cannot be 'yes'",
        ),
        (
            "PERMANENT_SESSION_LIFETIME=\"x\"",
            "--config PERMANENT_SESSION_LIFETIME: PERMANENT_SESSION_LIFETIME cannot be 'x'",
        ),
    ] {
        let (code, stdout, stderr) = replay_args(&["--app", "seed-001", "--config", config]);
        assert_eq!(code, Some(2), "{config}: {stderr}");
        assert!(stdout.is_empty(), "{config}: {stdout}");
        let first = stderr.lines().next().unwrap_or("");
        assert!(first.starts_with("session-lab-cli: "), "{config}: {stderr}");
        assert!(first.contains(why), "{config}: {first}");
        assert!(stderr.contains("usage:"), "{config}: {stderr}");
    }
}

#[test]
fn help_mentions_replay() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("session-lab-cli replay --app NAME [--now UNIX_SECONDS]"));
}

#[test]
fn hostile_input_never_panics() {
    let mut input: Vec<u8> = Vec::new();
    input.extend_from_slice(b"\xff\xfe{\"path\":\"/\"}\n");
    input.extend_from_slice(b"\0\0\0\n");
    input.extend_from_slice(format!("{{\"path\":\"/{}\"}}\n", "a".repeat(100_000)).as_bytes());
    input.extend_from_slice(
        b"{\"path\":\"/getsession\",\"headers\":{\"Cookie\":\"session=\\u0000\\r\\n\"}}\n",
    );
    input.extend_from_slice(b"{\"advance\":9223372036854775807}\n{\"path\":\"/setsession\"}\n");
    input.extend_from_slice(b"{\"advance\":-9223372036854775808}\n{\"advance\":-9223372036854775808}\n{\"path\":\"/getsession\"}\n");
    input.extend_from_slice("{\"path\":\"/😀?x=😀\",\"form\":{\"nm\":\"\\ud800\"}}\n".as_bytes());
    input.extend_from_slice(&[b'['; 10_000]);
    input.push(b'\n');
    for app in ["seed-001", "seed-003"] {
        let run = replay_raw(app, Some(T0), &input);
        assert_ne!(run.code, 101, "{app}: panicked: {}", run.stderr);
        assert_eq!(run.code, 1, "{app}: {}", run.stderr);
        assert!(!run.lines.is_empty());
    }
}
