//! `session-lab-cli` batch mode as a user runs it: `decode -`, `verify ... -` and `sign ... -`
//! on the built binary, one item per line of stdin and one result per line of stdout.
//!
//! The good lines are checked against the REAL Flask vectors of tests/fixtures/vectors.json
//! (written by `tests/fixtures/generate.py` from real Flask, read through tests/common/mod.rs),
//! never against output of our own code. The failing lines are checked against the exact
//! `error: REASON` the contract promises, and against what the single command says on stderr
//! for the same item, so batch and single modes cannot drift apart.
//!
//! Contract: one output line per input line, in order; a trailing `\r` is stripped; an empty
//! line is `error: empty line`, a non-UTF-8 line `error: not valid UTF-8`; the last line counts
//! without a newline; exit 0 when every line succeeded, 1 when any failed, 2 on bad arguments
//! (before stdin is read), never 101 (a panic).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_session-lab-cli");

/// The longest line the CLI reads (16 MiB), as its usage text states.
const MAX_LINE: usize = 16 << 20;

type Run = common::CliRun;

/// Runs the CLI with `input` on its standard input.
fn run_with_input(args: &[&str], input: impl Into<Vec<u8>>) -> Run {
    common::run_cli(BIN, args, input.into())
}

/// The single command on one item: exit status, stdout, stderr.
fn single(args: &[&str], item: &str) -> Run {
    let mut all = args.to_vec();
    all.extend(["--", item]);
    run_with_input(&all, "")
}

/// `args` with `-` appended: the batch command.
fn batch(args: &[&str], input: impl Into<Vec<u8>>) -> Run {
    let mut all = args.to_vec();
    all.push("-");
    run_with_input(&all, input)
}

/// Joins lines with `\n`, with a final newline.
fn text(lines: &[&str]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// Every batch output line must be what the single command prints for the same item: its
/// stdout line, or `error: ` and its one stderr line.
fn assert_agrees_with_single(args: &[&str], items: &[&str], batch_lines: &[&str]) {
    assert_eq!(
        items.len(),
        batch_lines.len(),
        "{args:?}: one line per item"
    );
    for (item, line) in items.iter().zip(batch_lines) {
        let one = single(args, item);
        let expected = match one.code {
            0 => one.stdout.trim_end_matches('\n').to_string(),
            1 => format!("error: {}", one.stderr.trim_end_matches('\n')),
            other => panic!(
                "{args:?} {item:?}: single mode exited {other}: {}",
                one.stderr
            ),
        };
        assert_eq!(
            *line, expected,
            "{args:?} {item:?}: batch and single disagree"
        );
    }
}

fn vectors() -> &'static [common::CookieVector] {
    let all = common::cookie_vectors();
    assert_eq!(all.len(), 19, "the vectors of tests/fixtures/vectors.json");
    all
}

fn vector(name: &str) -> &'static common::CookieVector {
    vectors()
        .iter()
        .find(|v| v.name == name)
        .unwrap_or_else(|| panic!("tests/fixtures/vectors.json has no vector {name}"))
}

// ---------------------------------------------------------------------------------------------
// Every vector through `-`, one process per command

#[test]
fn decode_every_vector_in_one_process() {
    let cookies: Vec<&str> = vectors().iter().map(|v| v.cookie.as_str()).collect();
    let sessions: Vec<&str> = vectors().iter().map(|v| v.session.as_str()).collect();
    let r = batch(&["decode"], text(&cookies));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    assert_eq!(r.lines(), sessions);
    assert_eq!(r.stdout, text(&sessions), "one newline after each line");
}

#[test]
fn verify_every_vector_in_one_process() {
    let all = vectors();
    let newest = all.iter().map(|v| v.timestamp).max().unwrap();
    let oldest = all.iter().map(|v| v.timestamp).min().unwrap();
    let now = newest + 5;
    // Every key the vectors were signed with: dev-secret, and old-secret as a fallback (the
    // rotation vector is accepted by Flask with SECRET_KEY_FALLBACKS=['old-secret']).
    let mut secrets: Vec<&str> = all.iter().map(|v| v.secret.as_str()).collect();
    secrets.sort_unstable();
    secrets.dedup();
    assert_eq!(secrets, ["dev-secret", "old-secret"]);
    let now_s = now.to_string();
    let max_age = (now - oldest + 5).to_string();
    let args = [
        "verify",
        "--secret",
        "dev-secret",
        "--fallback",
        "old-secret",
        "--max-age",
        &max_age,
        "--now",
        &now_s,
    ];
    let cookies: Vec<&str> = all.iter().map(|v| v.cookie.as_str()).collect();
    let sessions: Vec<&str> = all.iter().map(|v| v.session.as_str()).collect();
    let r = batch(&args, text(&cookies));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    assert_eq!(r.lines(), sessions);
}

#[test]
fn verify_every_vector_one_second_too_late_with_flasks_error() {
    // Per signing time, one process at ts + max_age + 1: every line is Flask's expiry error.
    let mut by_ts: BTreeMap<i64, Vec<&common::CookieVector>> = BTreeMap::new();
    for v in vectors() {
        if v.expired_error_at_ts_plus_max_age_plus_1.is_some() {
            by_ts.entry(v.timestamp).or_default().push(v);
        }
    }
    let mut checked = 0;
    for (ts, group) in by_ts {
        let max_age = group[0]
            .max_age
            .expect("an expiring vector has its max_age");
        let now = (ts + max_age + 1).to_string();
        let max_age_s = max_age.to_string();
        let cookies: Vec<&str> = group.iter().map(|v| v.cookie.as_str()).collect();
        let args = [
            "verify",
            "--secret",
            "dev-secret",
            "--max-age",
            &max_age_s,
            "--now",
            &now,
        ];
        let r = batch(&args, text(&cookies));
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert_eq!(
            r.stderr,
            format!("{0} of {0} input lines failed\n", group.len())
        );
        assert_eq!(r.lines().len(), group.len());
        for (v, line) in group.iter().zip(r.lines()) {
            assert_eq!(v.max_age, Some(max_age), "{}", v.name);
            let flask = v
                .expired_error_at_ts_plus_max_age_plus_1
                .as_deref()
                .unwrap();
            // Flask: "Signature age 2678401 > 2678400 seconds"; we: "error: expired: signature ...".
            assert!(line.starts_with("error: expired: "), "{}: {line}", v.name);
            assert!(
                line.to_lowercase().ends_with(&flask.to_lowercase()),
                "{}: {line} should end with Flask's {flask:?}",
                v.name
            );
            checked += 1;
        }
    }
    assert!(checked >= 17, "only {checked} expiring vectors");
}

#[test]
fn sign_every_vector_in_one_process_per_key_and_clock() {
    // `sign` signs with one key at one clock, so the vectors go in one batch per pair.
    let mut groups: BTreeMap<(&str, i64), Vec<&common::CookieVector>> = BTreeMap::new();
    for v in vectors() {
        groups
            .entry((v.secret.as_str(), v.timestamp))
            .or_default()
            .push(v);
    }
    let mut checked = 0;
    for ((secret, ts), group) in groups {
        let ts = ts.to_string();
        let sessions: Vec<&str> = group.iter().map(|v| v.session.as_str()).collect();
        let cookies: Vec<&str> = group.iter().map(|v| v.cookie.as_str()).collect();
        let r = batch(
            &["sign", "--secret", secret, "--timestamp", &ts],
            text(&sessions),
        );
        assert_eq!(r.code, 0, "{secret} at {ts}: {}", r.stderr);
        assert_eq!(r.stderr, "");
        // Byte for byte what Flask set, compressed cookies included.
        assert_eq!(r.lines(), cookies, "{secret} at {ts}");
        checked += group.len();
    }
    assert_eq!(checked, vectors().len());
}

// ---------------------------------------------------------------------------------------------
// Mixed good and bad lines: one answer per line, in order, exit 1

#[test]
fn decode_mixed_lines_in_order() {
    let simple = vector("fixed_ts_simple");
    let nested = vector("nested");
    // decode needs no key, so a cookie with a forged signature still decodes.
    let forged = format!("{}.AAAAAAAAAAAAAAAAAAAAAAAAAAA", {
        let (body, _) = simple.cookie.rsplit_once('.').unwrap();
        body
    });
    let items = [
        simple.cookie.as_str(),
        "garbage",
        nested.cookie.as_str(),
        "a.awI6Ag.sig",
        "e30.awI6Ag",
        ".bm90IHpsaWI.x.y",
        forged.as_str(),
    ];
    let r = batch(&["decode"], text(&items));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stderr, "4 of 7 input lines failed\n");
    let expected = [
        simple.session.as_str(),
        "error: malformed cookie: there is no '.' separator",
        nested.session.as_str(),
        "error: malformed payload: could not base64 decode the payload (invalid base64: the \
         number of data characters (1) cannot be 1 more than a multiple of 4)",
        "error: malformed cookie: the timestamp segment is missing or not a number",
        "error: malformed payload: could not zlib decompress the payload (Failed)",
        simple.session.as_str(),
    ];
    assert_eq!(r.lines(), expected);
    assert_agrees_with_single(&["decode"], &items, &r.lines());
}

#[test]
fn verify_mixed_lines_in_order() {
    let simple = vector("fixed_ts_simple");
    let compressed = vector("fixed_ts_compressed");
    let old_key = vector("rotation_old_key");
    assert_eq!(simple.timestamp, compressed.timestamp);
    let (body, sig) = simple.cookie.rsplit_once('.').unwrap();
    // Another first signature character: other signature bytes, whatever the padding bits.
    let flipped = if sig.starts_with('A') { 'B' } else { 'A' };
    let tampered_sig = format!("{body}.{flipped}{}", &sig[1..]);
    let tampered_payload = format!("e30{}", &simple.cookie[simple.cookie.find('.').unwrap()..]);
    let bad_b64_sig = format!("{body}.{}!E", &sig[..sig.len() - 2]);
    let now = (simple.timestamp + 5).to_string();
    let args = ["verify", "--secret", "dev-secret", "--now", &now];
    let items = [
        simple.cookie.as_str(),
        "garbage",
        tampered_sig.as_str(),
        compressed.cookie.as_str(),
        old_key.cookie.as_str(), // signed with old-secret: the wrong key here
        tampered_payload.as_str(),
        bad_b64_sig.as_str(),
        simple.cookie.as_str(),
    ];
    let r = batch(&args, text(&items));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stderr, "5 of 8 input lines failed\n");
    let bad_signature = "error: bad signature: the cookie was not signed with this secret key";
    let expected = [
        simple.session.as_str(),
        "error: malformed cookie: there is no '.' separator",
        bad_signature,
        compressed.session.as_str(),
        bad_signature,
        bad_signature,
        "error: malformed cookie: the signature segment is invalid base64: incorrect padding",
        simple.session.as_str(),
    ];
    assert_eq!(r.lines(), expected);
    assert_agrees_with_single(&args, &items, &r.lines());
}

#[test]
fn sign_mixed_lines_in_order() {
    let simple = vector("fixed_ts_simple");
    let compressed = vector("fixed_ts_compressed");
    let permanent = vector("fixed_ts_permanent");
    let ts = simple.timestamp.to_string();
    let args = ["sign", "--secret", "dev-secret", "--timestamp", &ts];
    let items = [
        simple.session.as_str(),
        "{",
        "[1, 2]",
        compressed.session.as_str(),
        "{\"a\": \"\\ud800\"}",
        "not json",
        permanent.session.as_str(),
    ];
    let r = batch(&args, text(&items));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stderr, "4 of 7 input lines failed\n");
    let expected = [
        simple.cookie.as_str(),
        "error: SESSION_JSON is not a session: Expecting property name enclosed in double \
         quotes at char 1",
        "error: SESSION_JSON is not a session: the session payload must be a JSON object, not a \
         list",
        compressed.cookie.as_str(),
        "error: SESSION_JSON is not a session: the text holds a lone UTF-16 surrogate \\ud800, \
         which Python allows but Session Lab cannot represent",
        "error: SESSION_JSON is not a session: Expecting value at char 0",
        permanent.cookie.as_str(),
    ];
    assert_eq!(r.lines(), expected);
    assert_agrees_with_single(&args, &items, &r.lines());
}

// ---------------------------------------------------------------------------------------------
// Line edges: empty lines, CRLF, no final newline, invalid UTF-8

#[test]
fn empty_lines_crlf_and_the_last_line() {
    let v = vector("fixed_ts_simple");
    let c = v.cookie.as_str();
    let s = v.session.as_str();
    let cases: Vec<(String, Vec<&str>)> = vec![
        // CRLF endings are stripped; the final line counts without its newline.
        (format!("{c}\r\n{c}\r\n{c}"), vec![s, s, s]),
        (format!("{c}\r\n{c}\r\n"), vec![s, s]),
        // Empty lines (LF or CRLF) answer in place, so outputs stay aligned with inputs.
        (
            format!("\n{c}\n\r\n\n{c}\n"),
            vec![
                "error: empty line",
                s,
                "error: empty line",
                "error: empty line",
                s,
            ],
        ),
        ("\n".into(), vec!["error: empty line"]),
        ("\r".into(), vec!["error: empty line"]),
    ];
    for (input, expected) in cases {
        let r = batch(&["decode"], input.clone());
        assert_eq!(r.lines(), expected, "{input:?}");
        let failed = expected.iter().filter(|l| l.starts_with("error: ")).count();
        assert_eq!(r.code, i32::from(failed > 0), "{input:?}: {}", r.stderr);
        assert_eq!(r.stdout, text(&expected), "{input:?}: LF endings out");
    }
    // No input at all: no output, and nothing failed.
    let r = batch(&["decode"], "");
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, "", ""));
    // The same edges for verify and sign.
    let now = (v.timestamp + 5).to_string();
    let r = batch(
        &["verify", "--secret", "dev-secret", "--now", &now],
        format!("{c}\r\n\n{c}"),
    );
    assert_eq!(r.lines(), [s, "error: empty line", s]);
    assert_eq!(r.code, 1);
    // Only one \r is stripped, and only at the end: the other is part of the signature.
    let r = batch(
        &["verify", "--secret", "dev-secret", "--now", &now],
        format!("{c}\r\r\n{c}\r\n"),
    );
    assert_eq!(
        r.lines(),
        [
            "error: malformed cookie: the signature segment is invalid base64: incorrect padding",
            s
        ]
    );
    let ts = v.timestamp.to_string();
    let r = batch(
        &["sign", "--secret", "dev-secret", "--timestamp", &ts],
        format!("{s}\r\n\r\n{s}"),
    );
    assert_eq!(r.lines(), [c, "error: empty line", c]);
    assert_eq!(r.code, 1);
}

#[test]
fn invalid_utf8_lines_are_answered_not_fatal() {
    let v = vector("fixed_ts_simple");
    let mut input = Vec::new();
    input.extend_from_slice(b"\xff\xfe\n");
    input.extend_from_slice(v.cookie.as_bytes());
    input.push(b'\n');
    input.extend_from_slice(b"\xc3\x28.awI6Ag.sig\r\n"); // a truncated 2-byte sequence
    input.extend_from_slice(&v.cookie.as_bytes()[..10]);
    input.push(0x80); // a stray continuation byte inside a cookie
    input.extend_from_slice(&v.cookie.as_bytes()[10..]);
    input.push(b'\n');
    input.extend_from_slice(v.cookie.as_bytes());
    input.extend_from_slice(b"\n\xed\xa0\x80"); // an encoded surrogate, without final newline
    let bad = "error: not valid UTF-8";
    let s = v.session.as_str();
    for args in [
        &["decode"][..],
        &["verify", "--secret", "dev-secret", "--now", "1700000005"],
    ] {
        let r = batch(args, input.clone());
        assert_eq!(r.lines(), [bad, s, bad, bad, s, bad], "{args:?}");
        assert_eq!(r.code, 1, "{args:?}");
        assert_eq!(r.stderr, "4 of 6 input lines failed\n", "{args:?}");
    }
    let r = batch(
        &["sign", "--secret", "k", "--timestamp", "0"],
        b"{\"a\":\"\xff\"}\n".to_vec(),
    );
    assert_eq!((r.code, r.lines()), (1, vec![bad]));
}

// ---------------------------------------------------------------------------------------------
// Long lines

#[test]
fn one_megabyte_lines() {
    let v = vector("fixed_ts_simple");
    let now = (v.timestamp + 5).to_string();
    // 1 MB of garbage without a dot, and 1 MB of base64 that is not a zlib stream.
    let garbage = "A".repeat(1 << 20);
    let big_payload = format!(".{}.awI6Ag.sig", "QUJD".repeat(1 << 18));
    let input = text(&[&garbage, &v.cookie, &big_payload, &v.cookie]);
    let r = batch(&["decode"], input.clone());
    assert_eq!(
        r.lines(),
        [
            "error: malformed cookie: there is no '.' separator",
            v.session.as_str(),
            "error: malformed payload: could not zlib decompress the payload (Failed)",
            v.session.as_str(),
        ]
    );
    assert_eq!(r.code, 1);
    let r = batch(&["verify", "--secret", "dev-secret", "--now", &now], input);
    assert_eq!(
        r.lines(),
        [
            "error: malformed cookie: there is no '.' separator",
            v.session.as_str(),
            "error: bad signature: the cookie was not signed with this secret key",
            v.session.as_str(),
        ]
    );
    assert_eq!(r.code, 1);

    // A ~1 MB session: signed in a batch, then read back by verify and decode in a batch.
    // Pseudo-random text over 64 symbols, so the cookie stays about 1 MB after compression.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let value: String = (0..1_000_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            alphabet[(state >> 58) as usize] as char
        })
        .collect();
    let big_json = format!("{{\"blob\":\"{value}\"}}");
    let ts = v.timestamp.to_string();
    let r = batch(
        &["sign", "--secret", "dev-secret", "--timestamp", &ts],
        text(&[&big_json, &v.session, &big_json]),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines = r.lines();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1], v.cookie, "Flask's cookie between the big ones");
    assert_eq!(lines[0], lines[2]);
    let big_cookie = lines[0];
    assert!(big_cookie.len() > 900_000, "{} bytes", big_cookie.len());
    let input = text(&[big_cookie, &v.cookie, big_cookie]);
    let expected = [big_json.as_str(), v.session.as_str(), big_json.as_str()];
    let r = batch(
        &["verify", "--secret", "dev-secret", "--now", &now],
        input.clone(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.lines() == expected, "verify reads the 1 MB session back");
    let r = batch(&["decode"], input);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.lines() == expected, "decode reads the 1 MB session back");
}

#[test]
fn a_line_over_the_limit_is_answered_and_skipped() {
    let v = vector("fixed_ts_simple");
    let at_limit = "A".repeat(MAX_LINE);
    let over = "A".repeat(MAX_LINE + 1);
    let r = batch(&["decode"], text(&[&over, &v.cookie, &at_limit, &v.cookie]));
    assert_eq!(
        r.lines(),
        [
            "error: line longer than 16777216 bytes",
            v.session.as_str(),
            "error: malformed cookie: there is no '.' separator",
            v.session.as_str(),
        ]
    );
    assert_eq!(r.code, 1);
    let help = run_with_input(&["help"], "");
    assert!(help.stdout.contains("line longer than 16777216 bytes"));
}

// ---------------------------------------------------------------------------------------------
// Exit status

#[test]
fn all_good_exits_0() {
    let simple = vector("fixed_ts_simple");
    let r = batch(&["decode"], text(&[simple.cookie.as_str(); 3]));
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    assert_eq!(r.lines(), [simple.session.as_str(); 3]);
}

#[test]
fn a_dash_after_dashdash_is_a_cookie_not_stdin() {
    // `--` ends the options: what follows is taken as written, so a garbage cookie `-` can
    // be checked like any other, and stdin is not read.
    let simple = vector("fixed_ts_simple");
    let r = run_with_input(
        &["verify", "--secret", "dev-secret", "--", "-"],
        simple.cookie.as_bytes(),
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    assert!(!r.stderr.is_empty());
}

#[test]
fn bad_arguments_exit_2_before_reading_stdin() {
    let c = vector("fixed_ts_simple").cookie.as_str();
    let cases: &[(&[&str], &str)] = &[
        (
            &["decode", "-", c],
            "`-` reads one COOKIE per line from stdin",
        ),
        (
            &["decode", c, "-"],
            "`-` reads one COOKIE per line from stdin",
        ),
        (
            &["decode", "-", "-"],
            "`-` reads one COOKIE per line from stdin",
        ),
        // After `--` a `-` is a value like any other.
        (&["decode", "--", "-", "x"], "expected one COOKIE, got 2"),
        (&["decode", "--secret", "k", "-"], "unknown option --secret"),
        (&["verify", "-"], "verify needs --secret"),
        (
            &["verify", "--secret", "k", "-", c],
            "`-` reads one COOKIE per line",
        ),
        (
            &["verify", "--secret", "k", "--now", "soon", "-"],
            "--now wants a whole number",
        ),
        (&["sign", "-"], "sign needs --secret"),
        (
            &["sign", "--secret", "k", "-", "{}"],
            "`-` reads one SESSION_JSON per line",
        ),
        (
            &["sign", "--secret", "k", "--timestamp", "-5", "-"],
            "--timestamp cannot be negative",
        ),
    ];
    for (args, reason) in cases {
        let r = run_with_input(args, text(&[c, c]));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert_eq!(r.stdout, "", "{args:?}: nothing is read or answered");
        let first = r.stderr.lines().next().unwrap_or_default();
        assert!(
            first.starts_with(&format!("session-lab-cli: {reason}")),
            "{args:?}: {first:?}"
        );
        assert!(r.stderr.contains("usage:"), "{args:?}: usage is shown");
    }
}

#[test]
fn help_documents_batch_mode() {
    let r = run_with_input(&["--help"], "");
    assert_eq!(r.code, 0);
    for needle in [
        "decode COOKIE|-",
        "COOKIE|-\n",
        "SESSION_JSON|-",
        "error: REASON",
        "error: empty line",
        "error: not valid UTF-8",
        "\\r is stripped",
    ] {
        assert!(r.stdout.contains(needle), "usage lacks {needle:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// A closed stdout

/// Feeds `lines` copies of `first` then `rest` to `decode -`, reads one line of output, closes
/// stdout, and returns the exit status, the line and stderr.
fn close_stdout_after_one_line(first: &str, rest: &str, lines: usize) -> (i32, String, String) {
    let mut child = Command::new(BIN)
        .args(["decode", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the CLI binary runs");
    let mut stdin = child.stdin.take().unwrap();
    let input = format!("{first}\n{}", format!("{rest}\n").repeat(lines));
    let writer = std::thread::spawn(move || {
        // The CLI stops reading once its stdout is gone.
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut line = String::new();
    {
        let mut out = BufReader::new(child.stdout.take().unwrap());
        out.read_line(&mut line).unwrap();
    } // stdout's read end closes here
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    (
        out.status.code().expect("exited, not killed by a signal"),
        line,
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn a_closed_stdout_ends_the_run_quietly() {
    let v = vector("fixed_ts_simple");
    // Far more output than the pipe and the CLI's buffer hold, so the CLI meets the closed pipe.
    let (code, line, stderr) = close_stdout_after_one_line(&v.cookie, &v.cookie, 40_000);
    assert_eq!(line, format!("{}\n", v.session));
    assert_eq!((code, stderr.as_str()), (0, ""), "all read lines succeeded");
    let (code, line, stderr) = close_stdout_after_one_line("garbage", &v.cookie, 40_000);
    assert_eq!(line, "error: malformed cookie: there is no '.' separator\n");
    assert_eq!((code, stderr.as_str()), (1, ""), "a line failed, quietly");
}
