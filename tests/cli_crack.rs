//! `session-lab-cli crack` as a user runs it: the built binary, a captured cookie and a
//! generated wordlist of 10,000+ lines (CRLF endings, empty lines, Latin-1 lines, a 1 MB line),
//! from a file and from stdin, with 1, 2 and 4 threads.
//!
//! The cookies are made by the engine's `Serializer::flask_session(key, &[]).dumps(..)`, which
//! is byte-identical to Flask (tests/cli.rs holds it to the real-Flask vectors; the interop
//! suite's `[crack]` group has real Flask sign the cookies). A key that is not UTF-8 cannot go
//! through `Serializer`, whose keys are `str`: such cookies are signed here with the engine's
//! `derive_key` and HMAC-SHA1, a signer first checked against `Serializer` and a Flask vector.
//!
//! Contract: the key on stdout (text if UTF-8, else a Python bytes literal) and exit 0; the
//! earliest matching line wins whatever the thread count; exit 1 and `not found: tried N keys`
//! when the list runs out; exit 2 for bad arguments (with the usage), an unreadable wordlist
//! or a cookie without a signature (one line); nothing on stderr unless asked (`--stats`) or a
//! terminal; never 101 (a panic).
#![cfg(not(target_arch = "wasm32"))]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use session_lab::engine::itsdangerous::crack::Target;
use session_lab::engine::itsdangerous::signing::{derive_key, Serializer, COOKIE_SESSION_SALT};
use sha1::{Digest, Sha1};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

const BIN: &str = env!("CARGO_BIN_EXE_session-lab-cli");
const JSON: &str = r#"{"user_id":42,"role":"admin"}"#;
const TS: u64 = 1_700_000_000;
/// The filler lines of the generated lists.
const LINES: usize = 10_000;

mod common;

type Run = common::CliRun;

/// Runs the CLI with `stdin` as its standard input.
fn run(args: &[&str], stdin: Vec<u8>) -> Run {
    common::run_cli(BIN, args, stdin)
}

/// `crack --wordlist <list> --threads <threads> <cookie>`.
fn crack(list: &str, threads: &str, cookie: &str) -> Run {
    run(
        &["crack", "--wordlist", list, "--threads", threads, cookie],
        vec![],
    )
}

/// A wordlist file, removed when dropped.
struct TempList(PathBuf);

impl TempList {
    fn new(name: &str, bytes: &[u8]) -> TempList {
        let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("cli_crack-{}-{name}.txt", std::process::id()));
        std::fs::write(&path, bytes).expect("the wordlist is written");
        TempList(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("a UTF-8 temp path")
    }
}

impl Drop for TempList {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A Flask session cookie for `JSON` signed with a `str` key, by the engine's serializer.
fn cookie(key: &str) -> String {
    Serializer::flask_session(key, &[]).dumps(JSON, TS)
}

/// The same cookie signed with any bytes as the key (Flask's `SECRET_KEY = b'...'`).
fn cookie_with_bytes(key: &[u8]) -> String {
    let unsigned = Serializer::flask_session("unused", &[]).dumps(JSON, TS);
    let (body, _) = unsigned.rsplit_once('.').expect("a signed cookie");
    let derived = derive_key(key, COOKIE_SESSION_SALT.as_bytes());
    let mut mac = Hmac::<Sha1>::new_from_slice(&derived).expect("any key length");
    mac.update(body.as_bytes());
    format!(
        "{body}.{}",
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    )
}

#[test]
fn the_bytes_signer_agrees_with_the_serializer_and_flask() {
    for key in ["dev-secret", "k", "ключ🔑", &"long".repeat(40)] {
        assert_eq!(cookie_with_bytes(key.as_bytes()), cookie(key), "{key}");
    }
    // Flask 3.1.3's cookie (docs/flask-sessions.md, vector fixed_ts_simple).
    let flask = "eyJ1c2VyX25hbWUiOiJBZG1pbiJ9.ZVPxAA.LVXaejlOPlbITReSd_RwqvGKoHE";
    let body = flask.rsplit_once('.').unwrap().0;
    let mut mac = Hmac::<Sha1>::new_from_slice(&derive_key(b"dev-secret", b"cookie-session"))
        .expect("any key length");
    mac.update(body.as_bytes());
    assert_eq!(
        format!(
            "{body}.{}",
            URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
        ),
        flask
    );
}

/// xorshift64*: reproducible lists without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A wordlist being built: lines with their endings, and the keys a run will try.
struct List {
    bytes: Vec<u8>,
    /// Where each line starts.
    starts: Vec<usize>,
    lines: usize,
    /// Lines that are keys: non-empty once `\n` and one `\r` are stripped.
    keys: u64,
}

impl List {
    fn new() -> List {
        List {
            bytes: Vec::new(),
            starts: Vec::new(),
            lines: 0,
            keys: 0,
        }
    }

    fn push(&mut self, line: &[u8], ending: &[u8]) {
        self.starts.push(self.bytes.len());
        self.bytes.extend_from_slice(line);
        self.bytes.extend_from_slice(ending);
        self.lines += 1;
        // The CLI strips the `\n`, then one `\r`.
        let key = if ending == b"\r\n" {
            line
        } else {
            line.strip_suffix(b"\r").unwrap_or(line)
        };
        if !key.is_empty() {
            self.keys += 1;
        }
    }

    /// One line that no test's key equals: words, CRLF endings, empty lines, Latin-1 bytes,
    /// a lone `\r`, and (once, as line 1,234) a 1 MB line.
    fn push_filler(&mut self, rng: &mut Rng) {
        let ending: &[u8] = if rng.below(4) == 0 { b"\r\n" } else { b"\n" };
        if self.lines == 1_234 {
            return self.push(&vec![b'A'; 1 << 20], ending);
        }
        let n = rng.next();
        let line: Vec<u8> = match rng.below(16) {
            0 => Vec::new(),
            1 => b"\r".to_vec(),
            // Latin-1: "mot de passe é è ÿ" as ISO-8859-1 bytes.
            2 => [&b"mot-de-passe-\xe9\xe8\xff-"[..], n.to_string().as_bytes()].concat(),
            3 => format!("пароль-{n:x}").into_bytes(),
            _ => format!("password-{}-{n:016x}", self.lines).into_bytes(),
        };
        self.push(&line, ending);
    }

    /// `count` filler lines, with `keys[i].1` pushed as the line at position `keys[i].0`.
    fn generate(seed: u64, count: usize, keys: &[(usize, &[u8])]) -> List {
        let mut rng = Rng(seed);
        let mut list = List::new();
        for i in 0..=count {
            for (at, key) in keys {
                if *at == i {
                    let ending: &[u8] = if rng.below(2) == 0 { b"\r\n" } else { b"\n" };
                    list.push(key, ending);
                }
            }
            if i < count {
                list.push_filler(&mut rng);
            }
        }
        list
    }
}

fn found(r: &Run, key: &str, ctx: &str) {
    assert_eq!(
        (r.code, r.stdout.as_str(), r.stderr.as_str()),
        (0, format!("{key}\n").as_str(), ""),
        "{ctx}"
    );
}

const THREADS: [&str; 3] = ["1", "2", "4"];

#[test]
fn a_key_at_the_first_middle_or_last_line_is_found_with_any_number_of_threads() {
    let key = "flask-dev-key-Ω";
    let cookie = cookie(key);
    let mut rng = Rng(7);
    let middle = 2_000 + rng.below(6_000);
    for at in [0, middle, LINES] {
        let list = List::generate(at as u64 + 1, LINES, &[(at, key.as_bytes())]);
        let file = TempList::new(&format!("pos{at}"), &list.bytes);
        for threads in THREADS {
            let r = crack(file.path(), threads, &cookie);
            found(&r, key, &format!("key at line {at}, {threads} threads"));
        }
    }
    // The last line without its newline, and with a CRLF line's `\r` but no `\n`.
    for ending in ["", "\r"] {
        let mut list = List::generate(3, LINES, &[]);
        list.bytes
            .extend_from_slice(format!("{key}{ending}").as_bytes());
        let file = TempList::new("lastline", &list.bytes);
        for threads in ["1", "4"] {
            let r = crack(file.path(), threads, &cookie);
            found(
                &r,
                key,
                &format!("unterminated last line {ending:?}, {threads} threads"),
            );
        }
    }
}

#[test]
fn the_wordlist_can_come_from_stdin() {
    let key = "from-stdin";
    let list = List::generate(11, LINES, &[(6_789, key.as_bytes())]);
    for threads in THREADS {
        let r = run(
            &[
                "crack",
                "--wordlist",
                "-",
                "--threads",
                threads,
                &cookie(key),
            ],
            list.bytes.clone(),
        );
        found(&r, key, &format!("stdin, {threads} threads"));
    }
    // An empty stdin is an empty list.
    let r = run(&["crack", "--wordlist", "-", &cookie(key)], vec![]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (1, "not found: tried 0 keys\n")
    );
}

#[test]
fn keys_that_are_not_utf8_are_printed_as_python_bytes_literals() {
    // Each printed as Python's repr(bytes) prints it (checked with CPython 3).
    let cases: [(&[u8], &str); 4] = [
        (b"caf\xe9-secr\xe8t", r"b'caf\xe9-secr\xe8t'"),
        (b"it's-\xff", r#"b"it's-\xff""#),
        (
            b"back\\slash\x00\x7f'\"\t\xff",
            r#"b'back\\slash\x00\x7f\'"\t\xff'"#,
        ),
        // UTF-8 is printed as text, whatever its script.
        ("ключ🔑".as_bytes(), "ключ🔑"),
    ];
    for (i, (key, printed)) in cases.into_iter().enumerate() {
        let cookie = cookie_with_bytes(key);
        let list = List::generate(20 + i as u64, LINES, &[(1_000 + 2_000 * i, key)]);
        let file = TempList::new(&format!("bytes{i}"), &list.bytes);
        for threads in ["1", "4"] {
            let r = crack(file.path(), threads, &cookie);
            found(&r, printed, &format!("{key:?}, {threads} threads"));
        }
    }
}

/// Keys that differ in bytes but sign alike, as HMAC makes them: one zero-padded to its block
/// (`k` and `k\0`), and a key longer than a block and its SHA-1.
fn equivalent_pairs() -> Vec<(Vec<u8>, Vec<u8>)> {
    let long = b"a-key-longer-than-the-64-bytes-of-a-sha1-block-so-hmac-hashes-it-first".to_vec();
    let digest = Sha1::digest(&long).to_vec();
    vec![
        (b"k\xe9y".to_vec(), b"k\xe9y\x00\x00".to_vec()),
        (long.clone(), digest.clone()),
        (digest, long),
    ]
}

/// How the CLI prints a key: text if UTF-8, else Python's `repr` of the bytes (single quotes
/// unless there is a `'` and no `"`; `\\`, the quote, `\t`, `\n`, `\r` escaped; printable
/// ASCII as is; the rest as `\xhh`).
fn printed(key: &[u8]) -> String {
    if let Ok(text) = std::str::from_utf8(key) {
        return text.to_string();
    }
    let quote = if key.contains(&b'\'') && !key.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut s = format!("b{quote}");
    for &b in key {
        match b {
            b'\t' => s.push_str("\\t"),
            b'\n' => s.push_str("\\n"),
            b'\r' => s.push_str("\\r"),
            _ if b == b'\\' || char::from(b) == quote => s.extend(['\\', char::from(b)]),
            0x20..=0x7e => s.push(char::from(b)),
            _ => s.push_str(&format!("\\x{b:02x}")),
        }
    }
    s.push(quote);
    s
}

#[test]
fn the_earliest_matching_line_is_reported_whatever_the_threads() {
    let mut checked = 0;
    for (i, (first, second)) in equivalent_pairs().iter().enumerate() {
        let cookie = cookie_with_bytes(first);
        let target = Target::flask_session(&cookie).unwrap();
        assert!(target.try_key(first) && target.try_key(second), "pair {i}");
        assert_ne!(printed(first), printed(second));
        // Lines 5,000 and 9,000 are some 120 KB apart: different batches for the workers.
        // Then two adjacent lines (both at 5,000): the same batch.
        for (a, b) in [(5_000, 9_000), (5_000, 5_000)] {
            let list = List::generate(30 + i as u64, LINES, &[(a, first), (b, second)]);
            let file = TempList::new(&format!("earliest{i}-{b}"), &list.bytes);
            for threads in THREADS {
                let r = crack(file.path(), threads, &cookie);
                let ctx = format!("pair {i} at {a}/{b}, {threads} threads");
                found(&r, &printed(first), &ctx);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 3 * 2 * 3);
}

/// Where the CLI's reader cuts a wordlist into batches for its workers: the whole lines of
/// the next `size` bytes (64 KiB, `crack`'s `BATCH`), or when those hold no `\n`, the one
/// line they begin. Returns the byte offsets where batches end.
fn batch_ends(bytes: &[u8], size: usize) -> Vec<usize> {
    let newline = |b: &u8| *b == b'\n';
    let mut ends = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        let window = &bytes[pos..(pos + size).min(bytes.len())];
        pos = match window.iter().rposition(newline) {
            Some(i) => pos + i + 1,
            None => bytes[pos..]
                .iter()
                .position(newline)
                .map_or(bytes.len(), |i| pos + i + 1),
        };
        ends.push(pos);
    }
    ends
}

/// The layout that makes a worker see the later match first: the first key ends a batch of
/// some 2,000 keys, and the next batch opens with a 100 KB line and then the second key, so
/// the worker on it gets there while the one on the earlier batch is still trying keys. An
/// implementation that reports whatever is found first (in time) would print the second key.
#[test]
fn an_earlier_match_found_later_in_time_still_wins() {
    const BATCH: usize = 64 << 10;
    let fillers = List::generate(60, LINES, &[]);
    let cuts = batch_ends(&fillers.bytes, BATCH);
    // A batch that starts around line 5,000, and the last line end that still leaves the key
    // room in it.
    let start = *cuts.iter().find(|&&c| c > fillers.starts[5_000]).unwrap();
    let split = *fillers
        .starts
        .iter()
        .rfind(|&&s| s <= start + BATCH - 128)
        .unwrap();
    assert!(
        split - start > 40_000,
        "the batch before the key is full of keys"
    );
    for (i, (first, second)) in equivalent_pairs().iter().enumerate() {
        let mut bytes = fillers.bytes[..split].to_vec();
        bytes.extend_from_slice(first);
        bytes.push(b'\n');
        let key_end = bytes.len();
        bytes.extend(std::iter::repeat_n(b'L', 100_000));
        bytes.extend_from_slice(b"\r\n");
        bytes.extend_from_slice(second);
        bytes.push(b'\n');
        bytes.extend_from_slice(&fillers.bytes[split..]);
        let cuts = batch_ends(&bytes, BATCH);
        assert!(cuts.contains(&key_end), "the first key ends a batch");
        let file = TempList::new(&format!("found-later{i}"), &bytes);
        let cookie = cookie_with_bytes(first);
        for threads in ["2", "4"] {
            for _ in 0..2 {
                let r = crack(file.path(), threads, &cookie);
                found(&r, &printed(first), &format!("pair {i}, {threads} threads"));
            }
        }
    }
}

/// `tried N keys in S s: R keys/s` → N.
fn stats_count(stderr: &str) -> u64 {
    let line = stderr.lines().next().expect("a stats line");
    let rest = line.strip_prefix("tried ").expect(line);
    let (n, rest) = rest.split_once(" keys in ").expect(line);
    let (seconds, rest) = rest.split_once(" s: ").expect(line);
    let rate = rest.strip_suffix(" keys/s").expect(line);
    seconds.parse::<f64>().expect(line);
    rate.parse::<u64>().expect(line);
    n.parse().expect(line)
}

#[test]
fn the_same_key_twice_is_found_at_its_first_line() {
    let key = "twice";
    let list = List::generate(
        40,
        LINES,
        &[(5_000, key.as_bytes()), (9_000, key.as_bytes())],
    );
    let file = TempList::new("twice", &list.bytes);
    let cookie = cookie(key);
    for threads in THREADS {
        let r = run(
            &[
                "crack",
                "--wordlist",
                file.path(),
                "--threads",
                threads,
                "--stats",
                &cookie,
            ],
            vec![],
        );
        assert_eq!(
            (r.code, r.stdout.as_str()),
            (0, "twice\n"),
            "{threads}: {}",
            r.stderr
        );
        assert_eq!(r.stderr.lines().count(), 1, "{:?}", r.stderr);
        stats_count(&r.stderr);
    }
    // One thread stops at the first: it tried exactly the keys up to line 5,000.
    let up_to = List::generate(40, 5_000, &[(5_000, key.as_bytes())]);
    let r = run(
        &["crack", "--wordlist", file.path(), "--stats", &cookie],
        vec![],
    );
    assert_eq!(stats_count(&r.stderr), up_to.keys);
}

#[test]
fn an_exhausted_list_exits_1_with_the_number_of_keys_tried() {
    let list = List::generate(50, LINES, &[]);
    assert!(list.keys < list.lines as u64, "the list has empty lines");
    let file = TempList::new("exhausted", &list.bytes);
    let cookie = cookie("not-in-the-list");
    for threads in THREADS {
        let r = crack(file.path(), threads, &cookie);
        assert_eq!(
            (r.code, r.stdout.as_str(), r.stderr),
            (1, "", format!("not found: tried {} keys\n", list.keys)),
            "{threads} threads"
        );
        let r = run(
            &[
                "crack",
                "--stats",
                "--wordlist",
                "-",
                "--threads",
                threads,
                &cookie,
            ],
            list.bytes.clone(),
        );
        assert_eq!(r.code, 1);
        assert_eq!(stats_count(&r.stderr), list.keys);
        assert_eq!(
            r.stderr.lines().nth(1),
            Some(format!("not found: tried {} keys", list.keys).as_str())
        );
    }
}

/// Exit 2, `session-lab-cli: REASON` on one line and nothing else; returns the reason.
fn unusable(r: &Run, ctx: &str) -> String {
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (2, ""),
        "{ctx}: {:?}",
        r.stderr
    );
    assert_eq!(r.stderr.lines().count(), 1, "{ctx}: {:?}", r.stderr);
    r.stderr
        .trim_end()
        .strip_prefix("session-lab-cli: ")
        .unwrap_or_else(|| panic!("{ctx}: {:?}", r.stderr))
        .to_string()
}

#[test]
fn unreadable_wordlists_and_unsigned_cookies_exit_2() {
    let cookie = cookie("k");
    let missing = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli_crack-no-such-file");
    let missing = missing.to_str().unwrap();
    for threads in ["1", "2"] {
        let why = unusable(&crack(missing, threads, &cookie), "missing file");
        assert!(why.starts_with("cannot read the wordlist"), "{why}");
        // A directory opens, then fails to read.
        let dir = env!("CARGO_TARGET_TMPDIR");
        let why = unusable(&crack(dir, threads, &cookie), "directory");
        assert!(why.starts_with("reading the wordlist"), "{why}");
    }
    let (body, _) = cookie.rsplit_once('.').unwrap();
    for bad in [body, "abc", "a.b.!!!!", "a.b.AAAA", ""] {
        let why = unusable(
            &run(&["crack", "--wordlist", "-", "--", bad], b"k\n".to_vec()),
            bad,
        );
        assert!(why.starts_with("not a signed cookie: "), "{why}");
    }
}

#[test]
fn bad_arguments_exit_2_with_the_usage() {
    let cookie = cookie("k");
    let cases: [&[&str]; 10] = [
        &["crack", &cookie],
        &["crack", "--wordlist", "-"],
        &["crack", "--wordlist"],
        &["crack", "--wordlist", "-", "--threads", "0", &cookie],
        &["crack", "--wordlist", "-", "--threads", "x", &cookie],
        &["crack", "--wordlist", "-", "--threads", "-2", &cookie],
        &["crack", "--wordlist", "-", &cookie, "--threads"],
        &["crack", "--wordlist", "-", "--stats=yes", &cookie],
        &["crack", "--wordlist", "-", "--secret", "k", &cookie],
        &["crack", "--wordlist", "-", &cookie, &cookie],
    ];
    for args in cases {
        let r = run(args, b"k\n".to_vec());
        assert_eq!(
            (r.code, r.stdout.as_str()),
            (2, ""),
            "{args:?}: {}",
            r.stderr
        );
        assert!(r.stderr.starts_with("session-lab-cli: "), "{args:?}");
        assert!(r.stderr.contains("usage:"), "{args:?}");
    }
    let help = run(&["--help"], vec![]);
    assert!(help
        .stdout
        .contains("crack --wordlist FILE|- [--threads N] [--stats] COOKIE"));
    assert!(
        help.stdout.contains("Python"),
        "the bytes literal is explained"
    );
}

#[test]
fn a_line_over_16_mib_is_tried_by_its_sha1() {
    // HMAC hashes a key longer than its block, so the line's SHA-1 is an equivalent key.
    let long: Vec<u8> = (0..(17usize << 20))
        .map(|i| b'a' + (i % 23) as u8)
        .collect();
    let digest = Sha1::digest(&long).to_vec();
    let key_cookie = cookie_with_bytes(&digest);
    assert!(Target::flask_session(&key_cookie).unwrap().try_key(&long));

    let mut input = b"first\n".to_vec();
    input.extend_from_slice(&long);
    input.extend_from_slice(b"\r\nafter-the-long-line\n");
    let r = run(&["crack", "--wordlist", "-", &key_cookie], input.clone());
    assert_eq!(
        (r.code, r.stdout.clone()),
        (0, format!("{}\n", printed(&digest)))
    );
    assert!(r.stderr.contains("line of 17825792 bytes"), "{}", r.stderr);
    // What comes after such a line is read as usual.
    let r = run(
        &[
            "crack",
            "--wordlist",
            "-",
            "--threads",
            "2",
            &cookie("after-the-long-line"),
        ],
        input,
    );
    found(&r, "after-the-long-line", "after a long line");
}

/// The most memory the process had (`VmHWM`), in bytes, on Linux.
fn peak_memory(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[test]
fn a_20_mb_list_streams_through_stdin_in_bounded_memory() {
    // 20 MB of 2 KB lines (10,000 keys: quick even in a debug build) with no newline-free
    // surprises; the key is not there, so every byte is read.
    let mut list = Vec::with_capacity(21 << 20);
    let mut n = 0u64;
    while list.len() < 20_000_000 {
        let word = format!("{n:08}-");
        list.extend(word.as_bytes().iter().cycle().take(2_000));
        list.extend_from_slice(if n.is_multiple_of(3) { b"\r\n" } else { b"\n" });
        n += 1;
    }
    for threads in ["1", "2"] {
        let started = Instant::now();
        let mut child = Command::new(BIN)
            .args([
                "crack",
                "--wordlist",
                "-",
                "--threads",
                threads,
                &cookie("absent"),
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the CLI binary runs");
        let mut pipe = child.stdin.take().unwrap();
        pipe.write_all(&list).expect("the CLI reads it all");
        // All but a pipe buffer's worth has been read: the peak so far is the run's.
        let peak = peak_memory(child.id());
        drop(pipe);
        let out = child.wait_with_output().unwrap();
        let elapsed = started.elapsed();
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(
            String::from_utf8(out.stderr).unwrap(),
            format!("not found: tried {n} keys\n")
        );
        eprintln!(
            "20 MB through stdin, {threads} thread(s): {elapsed:?}, peak memory {} KiB",
            peak.map_or("unknown".to_string(), |p| (p / 1024).to_string())
        );
        if let Some(peak) = peak {
            assert!(
                peak < 16 << 20,
                "{threads} threads: {peak} bytes at the peak"
            );
        }
    }
}
