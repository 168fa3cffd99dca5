//! `session-lab-cli` as a user runs it: the built binary, on the REAL Flask vectors of
//! tests/fixtures/vectors.json (written by `tests/fixtures/generate.py` from real Flask, read
//! through tests/common/mod.rs), plus exit codes, stderr and hostile input.
//!
//! Exit status contract: 0 success, 1 refused (exactly one line on stderr), 2 bad arguments
//! (`session-lab-cli: ...` then the usage on stderr), and never 101 (a Rust panic).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use session_lab::engine::itsdangerous::signing::Serializer;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_session-lab-cli");

fn cli<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Command::new(BIN)
        .args(args)
        .output()
        .expect("the CLI binary runs")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let out = cli(args);
    Run {
        code: out.status.code().expect("exited, not killed by a signal"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// Exit 1 with exactly one line on stderr (and nothing on stdout); returns that line.
fn refused(r: &Run, ctx: &str) -> String {
    assert_eq!(r.code, 1, "{ctx}: exit code; stderr {:?}", r.stderr);
    assert_eq!(r.stdout, "", "{ctx}: stdout");
    assert!(r.stderr.ends_with('\n'), "{ctx}: {:?}", r.stderr);
    let line = r.stderr.trim_end_matches('\n');
    assert!(!line.is_empty(), "{ctx}: empty reason");
    assert!(
        !line.contains(['\n', '\r']),
        "{ctx}: more than one line: {:?}",
        r.stderr
    );
    line.to_string()
}

/// Exit 2 with `session-lab-cli: REASON` and the usage on stderr; returns the reason.
fn usage_error(r: &Run, ctx: &str) -> String {
    assert_eq!(r.code, 2, "{ctx}: exit code; stderr {:?}", r.stderr);
    assert_eq!(r.stdout, "", "{ctx}: stdout");
    let first = r.stderr.lines().next().unwrap_or("");
    assert!(
        first.starts_with("session-lab-cli: "),
        "{ctx}: {:?}",
        r.stderr
    );
    assert!(r.stderr.contains("usage:"), "{ctx}: usage is shown");
    first.trim_start_matches("session-lab-cli: ").to_string()
}

struct Vector {
    name: String,
    secret: String,
    session: String,
    cookie: String,
    timestamp: i64,
    compressed: bool,
}

fn vectors() -> Vec<Vector> {
    common::cookie_vectors()
        .iter()
        .map(|v| Vector {
            name: v.name.clone(),
            secret: v.secret.clone(),
            session: v.session.clone(),
            cookie: v.cookie.clone(),
            timestamp: v.timestamp,
            compressed: v.cookie.starts_with('.'),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The vectors

#[test]
fn decode_prints_the_session_without_a_key() {
    let all = vectors();
    assert_eq!(all.len(), 19);
    for v in all {
        let r = run(["decode", &v.cookie]);
        assert_eq!(r.code, 0, "{}: {}", v.name, r.stderr);
        assert_eq!(r.stdout, format!("{}\n", v.session), "{}", v.name);
        assert_eq!(r.stderr, "", "{}", v.name);
    }
}

#[test]
fn verify_accepts_every_vector_with_its_key() {
    for v in vectors() {
        let now = (v.timestamp + 5).to_string();
        let r = run(["verify", "--secret", &v.secret, "--now", &now, &v.cookie]);
        assert_eq!(r.code, 0, "{}: {}", v.name, r.stderr);
        assert_eq!(r.stdout, format!("{}\n", v.session), "{}", v.name);
        // `--opt=value` spelling, an explicit max-age and `--` work too.
        let r = run([
            "verify",
            &format!("--secret={}", v.secret),
            "--max-age=2678400",
            &format!("--now={now}"),
            "--",
            &v.cookie,
        ]);
        assert_eq!(r.code, 0, "{}: {}", v.name, r.stderr);
    }
}

#[test]
fn verify_refuses_expired_future_and_foreign_cookies() {
    for v in vectors() {
        let ctx = &v.name;
        // age == max_age is accepted; one second more is not.
        let at = |now: i64| {
            run([
                "verify",
                "--secret",
                &v.secret,
                "--now",
                &now.to_string(),
                &v.cookie,
            ])
        };
        assert_eq!(at(v.timestamp + 2_678_400).code, 0, "{ctx}");
        let line = refused(&at(v.timestamp + 2_678_401), ctx);
        // itsdangerous: "Signature age 2678401 > 2678400 seconds".
        assert!(
            line.to_lowercase()
                .contains("signature age 2678401 > 2678400 seconds"),
            "{ctx}: {line}"
        );
        let line = refused(&at(v.timestamp - 1), ctx);
        assert!(line.contains("future"), "{ctx}: {line}");
        let r = run([
            "verify",
            "--secret",
            "wrong",
            "--now",
            &(v.timestamp + 5).to_string(),
            &v.cookie,
        ]);
        let line = refused(&r, ctx);
        assert!(line.starts_with("bad signature"), "{ctx}: {line}");
        // A shorter max-age.
        let r = run([
            "verify",
            "--secret",
            &v.secret,
            "--max-age",
            "4",
            "--now",
            &(v.timestamp + 5).to_string(),
            &v.cookie,
        ]);
        assert!(
            refused(&r, ctx).contains("signature age 5 > 4 seconds"),
            "{ctx}"
        );
    }
}

#[test]
fn verify_uses_fallback_keys() {
    let v = vectors()
        .into_iter()
        .find(|v| v.name == "rotation_old_key")
        .unwrap();
    let now = (v.timestamp + 5).to_string();
    let r = run(["verify", "--secret", "dev-secret", "--now", &now, &v.cookie]);
    assert!(refused(&r, "no fallback").starts_with("bad signature"));
    let r = run([
        "verify",
        "--secret",
        "dev-secret",
        "--fallback",
        "older",
        "--fallback",
        "old-secret",
        "--now",
        &now,
        &v.cookie,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, format!("{}\n", v.session));
}

#[test]
fn sign_reproduces_uncompressed_vectors() {
    let mut checked = 0;
    for v in vectors().into_iter().filter(|v| !v.compressed) {
        let ts = v.timestamp.to_string();
        let r = run([
            "sign",
            "--secret",
            &v.secret,
            "--timestamp",
            &ts,
            &v.session,
        ]);
        assert_eq!(r.code, 0, "{}: {}", v.name, r.stderr);
        assert_eq!(r.stdout, format!("{}\n", v.cookie), "{}", v.name);
        checked += 1;
    }
    assert!(checked >= 10);
}

#[test]
fn sign_of_compressed_vectors_verifies_to_the_same_session() {
    for v in vectors().into_iter().filter(|v| v.compressed) {
        let ts = v.timestamp.to_string();
        let r = run([
            "sign",
            "--secret",
            &v.secret,
            "--timestamp",
            &ts,
            &v.session,
        ]);
        assert_eq!(r.code, 0, "{}: {}", v.name, r.stderr);
        let cookie = r.stdout.trim_end();
        let back = run(["verify", "--secret", &v.secret, "--now", &ts, cookie]);
        assert_eq!(back.stdout, format!("{}\n", v.session), "{}", v.name);
    }
}

#[test]
fn sign_accepts_any_key_order_and_whitespace() {
    // Vector key_order: Flask wrote `{"Mid":3,"_x":4,"alpha":2,"zeta":1}` for a dict built as
    // zeta, alpha, Mid, _x.
    let v = vectors()
        .into_iter()
        .find(|v| v.name == "key_order")
        .unwrap();
    let r = run([
        "sign",
        "--secret",
        "dev-secret",
        "--timestamp",
        &v.timestamp.to_string(),
        "{ \"zeta\": 1,\n \"alpha\": 2, \"Mid\": 3, \"_x\": 4 }",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, format!("{}\n", v.cookie));
}

#[test]
fn sign_refuses_what_is_not_a_session() {
    for bad in [
        "",
        "[1, 2]",
        "\"text\"",
        "{",
        "{\"a\": 1,}",
        "{\"a\": \"\\ud800\"}",
        "{\" b\": \"not base64!\"}",
        "{\" u\": \"xyz\"}",
        "\u{feff}{}",
    ] {
        let r = run(["sign", "--secret", "k", "--timestamp", "0", bad]);
        let line = refused(&r, bad);
        assert!(
            line.starts_with("SESSION_JSON is not a session"),
            "{bad:?}: {line}"
        );
    }
}

#[test]
fn decode_reads_non_object_payloads_as_flask_does() {
    // Flask's `dict(data)`: `[]` is the empty session (W10 is base64 of `[]`).
    let r = run(["decode", "W10.awI6Ag.sig"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, "{}\n"), "{}", r.stderr);
}

#[test]
fn decode_refuses_unreadable_payloads() {
    for (cookie, starts) in [
        ("no-dots-at-all", "malformed cookie"),
        ("e30", "malformed cookie"),
        ("!!!.awI6Ag.sig", "malformed payload"),
        (".eJzLSM3JyQcABiwCFQ.x.y", "malformed payload"), // zlib of "hello", not JSON
        (".bm90IHpsaWI.x.y", "malformed payload"),        // not zlib at all
    ] {
        let line = refused(&run(["decode", cookie]), cookie);
        assert!(line.starts_with(starts), "{cookie}: {line}");
    }
}

// ---------------------------------------------------------------------------------------------
// Arguments

#[test]
fn help_goes_to_stdout() {
    for h in ["help", "--help", "-h"] {
        let r = run([h]);
        assert_eq!(r.code, 0);
        assert!(r.stdout.starts_with("usage:"), "{h}");
        assert_eq!(r.stderr, "");
    }
}

#[test]
fn bad_arguments_exit_2() {
    let cookie = "eyJ1c2VyX25hbWUiOiJBZG1pbiJ9.ZVPxAA.LVXaejlOPlbITReSd_RwqvGKoHE";
    let cases: &[(&[&str], &str)] = &[
        (&[], "missing command"),
        (&["frobnicate"], "unknown command"),
        (&["decode"], "missing COOKIE"),
        (&["decode", "a", "b"], "expected one COOKIE, got 2"),
        (
            &["decode", "--secret", "x", cookie],
            "unknown option --secret",
        ),
        (&["verify", cookie], "verify needs --secret"),
        (&["verify", "--secret"], "--secret needs a value"),
        (
            &["verify", "--secret", "a", "--secret", "b", cookie],
            "--secret given more than once",
        ),
        (
            &["verify", "--secret", "k", "--now", "soon", cookie],
            "--now wants a whole number",
        ),
        (
            &["verify", "--secret", "k", "--max-age", "1.5", cookie],
            "--max-age wants a whole number",
        ),
        (
            &[
                "verify",
                "--secret",
                "k",
                "--max-age",
                "99999999999999999999",
                cookie,
            ],
            "--max-age wants",
        ),
        (
            &["verify", "--secret", "k", "--bogus", "1", cookie],
            "unknown option --bogus",
        ),
        (&["verify", "--secret", "k"], "missing COOKIE"),
        (&["sign", "{}"], "sign needs --secret"),
        (&["sign", "--secret", "k"], "missing SESSION_JSON"),
        (
            &["sign", "--secret", "k", "--timestamp", "-5", "{}"],
            "--timestamp cannot be negative",
        ),
        (
            &[
                "sign",
                "--secret",
                "k",
                "--timestamp",
                "18446744073709551615",
                "{}",
            ],
            "--timestamp wants",
        ),
        (
            &["sign", "--secret", "k", "--fallback", "x", "{}"],
            "unknown option --fallback",
        ),
    ];
    for (args, reason) in cases {
        let r = run(*args);
        let got = usage_error(&r, &format!("{args:?}"));
        assert!(
            got.starts_with(reason),
            "{args:?}: {got:?} should start with {reason:?}"
        );
    }
}

#[test]
fn non_utf8_arguments_exit_2() {
    let bad = OsStr::from_bytes(b"\xff\xfe.ZVPxAA.sig");
    for args in [
        vec![OsString::from("decode"), bad.to_owned()],
        vec![
            OsString::from("verify"),
            OsString::from("--secret"),
            bad.to_owned(),
            OsString::from("x.y.z"),
        ],
        vec![bad.to_owned()],
    ] {
        let r = run(&args);
        let reason = usage_error(&r, &format!("{args:?}"));
        assert!(reason.contains("not valid UTF-8"), "{reason}");
    }
}

// ---------------------------------------------------------------------------------------------
// Hostile input: refused or accepted, never a panic

#[test]
fn hostile_inputs_never_panic() {
    // A correctly signed zlib bomb: 4 MiB of JSON that deflates to a few KB.
    let bomb_json = format!("{{\"a\":\"{}\"}}", "a".repeat(4 << 20));
    let bomb = Serializer::flask_session("k", &[]).dumps(&bomb_json, 1_700_000_000);
    assert!(bomb.len() < 20_000, "the bomb is small on the wire");
    let deep_list = "[".repeat(50_000);
    let deep_dict = "{\"a\":".repeat(20_000);
    let long = "A".repeat(100_000);
    let many_dots = ".".repeat(10_000);
    // One argument can hold at most 128 KiB on Linux (MAX_ARG_STRLEN).
    let wide_json = format!("{{\"a\":\"{}\"}}", "a".repeat(100_000));
    let big_int = format!("{{\"n\":{}}}", "9".repeat(5_000));
    let max_ts = Serializer::flask_session("k", &[]).dumps("{}", i64::MAX as u64);
    let beyond_ts = Serializer::flask_session("k", &[]).dumps("{}", u64::MAX);
    let cookies: Vec<&str> = vec![
        "",
        ".",
        "..",
        "...",
        "....",
        "a.b.c",
        ".a.b.c",
        "..b.c",
        "\u{1F600}.\u{1F600}.\u{1F600}",
        "é.é.é",
        "===.===.===",
        "AQAAAAAAAAAA.AQAAAAAAAAAAAA.x",
        "e30..sig",
        "e30.AQAAAAAAAAAAAQ.sig",
        "-",
        "--",
        "-x",
        "\t\n ",
        &bomb,
        &long,
        &many_dots,
        &max_ts,
        &beyond_ts,
    ];
    let jsons: Vec<&str> = vec![
        &deep_list,
        &deep_dict,
        &big_int,
        &wide_json,
        "{\"a\":NaN,\"b\":-Infinity,\"c\":1e999}",
        "{\" di\":{}}",
        "{\" t\":{\"a\":1}}",
        "{\" d\":\"Mon, 01 Jan 0001 00:00:00 GMT\"}",
        "{\" d\":\"Fri, 31 Dec 9999 23:59:59 -0100\"}",
        "{\"x\":\"\\u0000\"}",
    ];
    let nows = ["0", "-1", "9223372036854775807", "-9223372036854775808"];
    let max_ages = ["0", "-1", "9223372036854775807", "-9223372036854775808"];

    let mut runs: Vec<Vec<String>> = Vec::new();
    for &c in &cookies {
        runs.push(vec!["decode".into(), c.to_string()]);
        for (&now, &max_age) in nows.iter().zip(&max_ages) {
            runs.push(
                [
                    "verify",
                    "--secret",
                    "k",
                    "--now",
                    now,
                    "--max-age",
                    max_age,
                    c,
                ]
                .map(String::from)
                .to_vec(),
            );
        }
        runs.push(
            ["verify", "--secret", c, "--fallback", c, "--now", "1", c]
                .map(String::from)
                .to_vec(),
        );
    }
    for &j in &jsons {
        runs.push(
            ["sign", "--secret", "k", "--timestamp", "0", j]
                .map(String::from)
                .to_vec(),
        );
        runs.push(
            [
                "sign",
                "--secret",
                "k",
                "--timestamp",
                "9223372036854775807",
                j,
            ]
            .map(String::from)
            .to_vec(),
        );
    }
    for args in &runs {
        let out = cli(args);
        let code = out.status.code();
        let shown: Vec<String> = args.iter().map(|a| a.chars().take(40).collect()).collect();
        assert!(
            matches!(code, Some(0..=2)),
            "{shown:?}: exit {code:?}, stderr {:?}",
            String::from_utf8_lossy(&out.stderr)
                .chars()
                .take(300)
                .collect::<String>()
        );
        if code == Some(1) {
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(err.lines().count(), 1, "{shown:?}: {err:?}");
        }
    }

    // The specific outcomes that matter.
    let r = run(["verify", "--secret", "k", "--now", "1700000000", &bomb]);
    assert!(refused(&r, "bomb").starts_with("malformed payload"));
    let r = run(["decode", &bomb]);
    assert!(refused(&r, "bomb").starts_with("malformed payload"));
    let r = run([
        "verify",
        "--secret",
        "k",
        "--now",
        "9223372036854775807",
        &max_ts,
    ]);
    // itsdangerous turns every timestamp into a datetime, which cannot pass the year 9999:
    // Flask fails with a 500 whatever the clock says.
    assert!(refused(&r, "max_ts").starts_with("malformed timestamp"));
    let r = run(["verify", "--secret", "k", "--now", "0", &max_ts]);
    assert!(refused(&r, "max_ts").starts_with("malformed timestamp"));
}
