//! `session-lab-cli`: Flask session cookies on the command line, on the same engine as the lab.
//!
//! ```text
//! session-lab-cli decode COOKIE|-
//! session-lab-cli verify --secret KEY [--fallback KEY]... [--max-age SECONDS] [--now UNIX_SECONDS] COOKIE|-
//! session-lab-cli sign --secret KEY [--timestamp UNIX_SECONDS] SESSION_JSON|-
//! session-lab-cli replay --app NAME [--now UNIX_SECONDS] [--fixed] [--config KEY=JSON]... [--server-side]
//! session-lab-cli scenarios
//! session-lab-cli crack --wordlist FILE|- [--threads N] [--stats] COOKIE
//! ```
//! Exit status: 0 success, 1 the cookie or session was refused (one line on stderr says why),
//! 2 bad arguments (usage on stderr).
//!
//! `crack` tries every line of a wordlist as the secret key that signed a cookie (see the
//! `crack` module): exit 0 with the key on stdout, 1 when no line signed it, 2 for bad
//! arguments (usage on stderr), a wordlist that cannot be read or a COOKIE that is not a signed
//! cookie (one line on stderr, `session-lab-cli: REASON`).
//!
//! Batch mode: `-` in place of the COOKIE or SESSION_JSON reads one item per line from stdin
//! and writes one line per input line, in order: what the single command prints for it, or
//! `error: REASON` (the reason it gives on stderr). The edge cases (CRLF, empty and non-UTF-8
//! lines, a last line without newline, a closed stdout) are in the `batch` module's
//! documentation. Exit status: 0 every line succeeded, 1 any failed, 2 bad arguments (checked
//! before stdin is read).
//!
//! `scenarios` prints the lab's scenarios, one JSON object per line: `id` (the `NAME` replay
//! takes), `title`, `promise`, `start`, `startup_error` (null, or why the app refuses to start)
//! and `flow` (how to sign in and out, as the end-to-end test does; null where there is
//! nothing to sign in to).
//!
//! `replay` drives the app of one of the lab's scenarios with JSON lines on stdin, one line
//! out per request:
//!
//! ```text
//! in:  {"method":"POST","path":"/login","form":{"nm":"Alice"},"headers":{"User-Agent":"x"}}
//! out: {"status":302,"headers":[["Content-Type","text/html; charset=utf-8"],...],"body":"..."}
//! in:  {"advance":301}             moves the clock (no output)
//! in:  {"restart_browser":true}    drops the session cookies (no output)
//! ```
//! `method` defaults to GET; `form` and `headers` are optional objects of strings, kept in
//! order. Between requests a browser-like jar ([`session_lab::client::jar::Jar`], origin
//! `http://localhost`) applies every `Set-Cookie` and supplies the `Cookie` header; a request's
//! own `Cookie` header replaces the jar's for that request. Redirects are not followed. Blank
//! lines are skipped. A malformed line gets `{"error":"line N: why"}` and the run goes on, then
//! ends with exit 1. An app that fails at start-up prints `{"startup_error":"..."}` and exits 0
//! without reading stdin. Unknown app: exit 2.
//!
//! The app can be changed as the lab changes it: `--fixed` runs the scenario's corrected app
//! (`Fix.app`, what its fix button swaps in), each `--config KEY=JSON` sets a key in order as
//! the settings panel does (a JSON string, boolean, whole number, list of strings or null;
//! e.g. `--config 'SECRET_KEY_FALLBACKS=["old"]'`), and `--server-side` then puts in
//! Flask-Session as the server-side switch does. A scenario without a fix, or a key or value
//! the config refuses, is a usage error (exit 2).

use session_lab::engine::flask::sessions::session_dict;
use session_lab::engine::flask::tagged_json::{self, dumps_dict};
use session_lab::engine::itsdangerous::signing::{
    decode_payload, Segments, Serializer, DEFAULT_MAX_AGE,
};
use session_lab::engine::py::datetime::MAX_UNIX;
use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "\
usage:
  session-lab-cli decode COOKIE|-
  session-lab-cli verify --secret KEY [--fallback KEY]... [--max-age SECONDS] [--now UNIX_SECONDS] COOKIE|-
  session-lab-cli sign --secret KEY [--timestamp UNIX_SECONDS] SESSION_JSON|-
  session-lab-cli replay --app NAME [--now UNIX_SECONDS] [--fixed] [--config KEY=JSON]... [--server-side]
  session-lab-cli scenarios
  session-lab-cli crack --wordlist FILE|- [--threads N] [--stats] COOKIE

decode  prints the session's tagged JSON; no key is needed, because Flask signs sessions but
        does not encrypt them.
verify  checks the signature (newest key first: --secret, then the --fallback keys from last to
        first, like SECRET_KEY_FALLBACKS) and the age (default max-age 2678400 = 31 days, now =
        the system clock), then prints the tagged JSON.
sign    prints the cookie value Flask 3.1 would set for SESSION_JSON (tagged JSON, any key order).
-       batch mode for decode, verify and sign: one COOKIE or SESSION_JSON per line of stdin,
        one line out per line in, in order: what the single command prints, or
        `error: REASON` (why it refused). A trailing \\r is stripped (CRLF files); an empty
        line gives `error: empty line`, a line that is not UTF-8 `error: not valid UTF-8`, a
        line over 16 MiB `error: line longer than 16777216 bytes`; a last line without a
        newline counts. The clock (--now's default) is read once. Exit 0 if every line
        succeeded, 1 if any failed (a count on stderr), 2 for bad arguments (before reading).
        A closed stdout (| head -1) ends the run quietly.
replay  runs the app of scenario NAME (see scenarios) on JSON lines from stdin, one response
        line per request line: {\"method\":\"POST\",\"path\":\"/login\",\"form\":{\"nm\":\"Alice\"},\"headers\":{}}
        -> {\"status\":302,\"headers\":[[\"Location\",\"/user\"],...],\"body\":\"...\"}.
        {\"advance\":SECONDS} moves the clock (start: --now, default the system clock) and
        {\"restart_browser\":true} drops session cookies. A browser cookie jar for
        http://localhost carries cookies between requests; a request's own Cookie header
        replaces it for that request. Redirects are not followed. A malformed line is answered
        with {\"error\":\"line N: ...\"}, and the exit status is then 1.
        --fixed runs the scenario's corrected app (its fix button); --config KEY=JSON sets a
        config key as the settings panel does (\"text\", true, 300, [\"a\",\"b\"] or null),
        in order; --server-side then puts in Flask-Session (the server-side switch).
scenarios  prints the lab's scenarios as JSON lines: id (the NAME replay takes), title,
        promise, start, startup_error and flow (how to sign in and out).
crack   tries each line of FILE (- for stdin), in order, as the secret key that signed COOKIE
        and prints the first that did: as text when its bytes are UTF-8, otherwise as a Python
        bytes literal such as b'\\xe9t\\xe9' (the bytes to give Flask as SECRET_KEY). Lines are
        bytes in any encoding, read as a stream; a trailing \\r is stripped, empty lines are
        skipped. A line over 16 MiB is not kept: it is tried by its SHA-1, which HMAC uses in
        place of so long a key, and that 20-byte key is what is printed if it matches.
        --threads N (default 1) shares the lines between N threads; the answer is still the
        earliest matching line. --stats ends with `tried N keys in S s: R keys/s` on stderr;
        on a terminal a progress line is shown. Exit 0 found, 1 not found (`not found: tried N
        keys` on stderr), 2 for bad arguments, an unreadable FILE or a COOKIE without a
        signature.";

/// What went wrong, and so which exit status to use.
enum Failure {
    Usage(String),
    Refused(String),
    /// Exit 1 with nothing more to say (a batch with a failed line whose stdout closed).
    Quiet,
    /// Exit 2 with one line, no usage: the arguments parse, but what they name cannot be used
    /// (`crack`'s unreadable wordlist, or a cookie with no signature to try keys against).
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))] // `crack` is native only
    Unusable(String),
}

fn usage(msg: impl Into<String>) -> Failure {
    Failure::Usage(msg.into())
}

/// Parsed options of one subcommand: repeated `--name VALUE` pairs, `--flag`s plus
/// positionals.
struct Options {
    pairs: Vec<(String, String)>,
    /// The `--flag`s given (options that take no value; only `crack` has one).
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    flags: Vec<String>,
    positional: Vec<String>,
    /// How many positionals came before `--`: the ones after it are taken literally.
    before_dashdash: usize,
}

impl Options {
    fn parse(args: &[String], known: &[&str]) -> Result<Options, Failure> {
        Options::parse_with_flags(args, known, &[])
    }

    /// As [`Options::parse`], with `flags` the options that take no value.
    fn parse_with_flags(
        args: &[String],
        known: &[&str],
        flags: &[&str],
    ) -> Result<Options, Failure> {
        let mut pairs = Vec::new();
        let mut given_flags = Vec::new();
        let mut positional = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if a == "--" {
                let before_dashdash = positional.len();
                positional.extend(it.by_ref().cloned());
                return Ok(Options {
                    pairs,
                    flags: given_flags,
                    positional,
                    before_dashdash,
                });
            }
            if let Some(name) = a.strip_prefix("--") {
                let (name, inline) = match name.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (name, None),
                };
                if flags.contains(&name) {
                    if inline.is_some() {
                        return Err(usage(format!("--{name} takes no value")));
                    }
                    given_flags.push(name.to_string());
                    continue;
                }
                if !known.contains(&name) {
                    return Err(usage(format!("unknown option --{name}")));
                }
                let value = match inline {
                    Some(v) => v,
                    None => it
                        .next()
                        .cloned()
                        .ok_or_else(|| usage(format!("--{name} needs a value")))?,
                };
                pairs.push((name.to_string(), value));
            } else {
                positional.push(a.clone());
            }
        }
        let before_dashdash = positional.len();
        Ok(Options {
            pairs,
            flags: given_flags,
            positional,
            before_dashdash,
        })
    }

    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    fn flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    fn one(&self, name: &str) -> Result<Option<String>, Failure> {
        let mut v = self.all(name);
        if v.len() > 1 {
            return Err(usage(format!("--{name} given more than once")));
        }
        Ok(v.pop())
    }

    fn int(&self, name: &str) -> Result<Option<i64>, Failure> {
        self.one(name)?
            .map(|v| {
                v.trim().parse::<i64>().map_err(|_| {
                    usage(format!(
                        "--{name} wants a whole number of seconds, not {v:?}"
                    ))
                })
            })
            .transpose()
    }

    fn single_positional(&self, what: &str) -> Result<&str, Failure> {
        match self.positional.as_slice() {
            [one] => Ok(one),
            [] => Err(usage(format!("missing {what}"))),
            _ => Err(usage(format!(
                "expected one {what}, got {}",
                self.positional.len()
            ))),
        }
    }
}

fn system_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Checks that the JSON is a session Flask could load (as `open_session` does: tagged JSON,
/// then `dict(data)`) and returns the text to print on one line: the cookie's own text, or the
/// session as Flask would write it if the original spans lines or is not an object (`null`
/// and `[]` are the session `{}`).
fn printable_session(json: &str) -> Result<String, String> {
    let (value, _) =
        tagged_json::loads_lossy(json).map_err(|e| format!("malformed payload: {e}"))?;
    let is_object = matches!(value, session_lab::engine::py::value::Value::Dict(_));
    let dict = session_dict(value).map_err(|e| format!("malformed payload: {e}"))?;
    Ok(if json.contains(['\n', '\r']) || !is_object {
        dumps_dict(&dict)
    } else {
        json.to_string()
    })
}

/// What `decode`, `verify` or `sign` does to one item (a cookie, or a session's JSON): the
/// line to print, or why the item is refused. Built once from the arguments, then applied to
/// the one item of the command line or to every line of stdin.
type Item = Box<dyn Fn(&str) -> Result<String, String>>;

/// Where the items come from: the command line, or stdin for `-`.
enum Input {
    Arg(String),
    Stdin,
}

/// A parsed `decode`, `verify` or `sign`: its input and what it does with each item.
struct Job {
    input: Input,
    item: Item,
}

impl Options {
    /// The one positional item, or `-` alone for one item per line of stdin. After `--`, `-`
    /// is taken literally, as any other value there (`verify -- -` checks the cookie `-`).
    fn item_input(&self, what: &str) -> Result<Input, Failure> {
        let is_stdin = |i: usize, p: &String| p == "-" && i < self.before_dashdash;
        if self.positional.len() > 1
            && self
                .positional
                .iter()
                .enumerate()
                .any(|(i, p)| is_stdin(i, p))
        {
            return Err(usage(format!(
                "`-` reads one {what} per line from stdin and takes no other {what}, got {} \
                 values",
                self.positional.len()
            )));
        }
        let one = self.single_positional(what)?;
        Ok(if self.before_dashdash == 1 && one == "-" {
            Input::Stdin
        } else {
            Input::Arg(one.to_string())
        })
    }
}

fn decode_one(cookie: &str) -> Result<String, String> {
    let segments = Segments::split(cookie).map_err(|e| e.to_string())?;
    let json = decode_payload(segments.payload).map_err(|e| e.to_string())?;
    printable_session(&json)
}

fn decode(args: &[String]) -> Result<Job, Failure> {
    let opts = Options::parse(args, &[])?;
    Ok(Job {
        input: opts.item_input("COOKIE")?,
        item: Box::new(decode_one),
    })
}

fn verify(args: &[String]) -> Result<Job, Failure> {
    let opts = Options::parse(args, &["secret", "fallback", "max-age", "now"])?;
    let secret = opts
        .one("secret")?
        .ok_or_else(|| usage("verify needs --secret KEY"))?;
    let fallbacks = opts.all("fallback");
    let max_age = opts.int("max-age")?.unwrap_or(DEFAULT_MAX_AGE);
    // Read once: every line of a batch is checked at the same instant.
    let now = opts.int("now")?.unwrap_or_else(system_now);
    let input = opts.item_input("COOKIE")?;
    // The keys are derived once, not once per line.
    let serializer = Serializer::flask_session(&secret, &fallbacks);
    Ok(Job {
        input,
        item: Box::new(move |cookie| {
            let unsigned = serializer
                .loads(cookie, Some(max_age), now)
                .map_err(|e| e.to_string())?;
            printable_session(&unsigned.json)
        }),
    })
}

fn sign(args: &[String]) -> Result<Job, Failure> {
    let opts = Options::parse(args, &["secret", "timestamp"])?;
    let secret = opts
        .one("secret")?
        .ok_or_else(|| usage("sign needs --secret KEY"))?;
    let timestamp = match opts.int("timestamp")? {
        Some(t) => u64::try_from(t).map_err(|_| usage("--timestamp cannot be negative"))?,
        None => system_now().max(0) as u64,
    };
    let input = opts.item_input("SESSION_JSON")?;
    let serializer = Serializer::flask_session(&secret, &[]);
    // Past the year 9999 the first cookie signed brings one warning, in a batch as alone.
    let warned = std::cell::Cell::new(timestamp <= MAX_UNIX as u64);
    Ok(Job {
        input,
        item: Box::new(move |json| {
            let dict = tagged_json::loads_dict(json)
                .map_err(|e| format!("SESSION_JSON is not a session: {e}"))?;
            if !warned.replace(true) {
                // Flask signs at any clock, but itsdangerous cannot read a date past 9999 back.
                let _ = writeln!(
                    std::io::stderr(),
                    "warning: a cookie signed after the year 9999 is one Flask can never read \
                     back"
                );
            }
            Ok(serializer.dumps(&dumps_dict(&dict), timestamp))
        }),
    })
}

impl Job {
    /// The single command's answer, or the whole batch streamed to stdout.
    fn run(self) -> Result<Option<String>, Failure> {
        match self.input {
            Input::Arg(one) => (self.item)(&one).map(Some).map_err(Failure::Refused),
            Input::Stdin => batch::run(
                &mut std::io::stdin().lock(),
                &mut std::io::stdout().lock(),
                &*self.item,
            )
            .map(|()| None),
        }
    }
}

/// `session-lab-cli scenarios`: each scenario of the lab as one JSON line.
fn scenarios(args: &[String]) -> Result<String, Failure> {
    use serde_json::json;
    use session_lab::engine::apps::Services;
    use session_lab::engine::py::secrets::SeededRng;
    use session_lab::lab::scenarios::ALL;
    if let Some(extra) = args.first() {
        return Err(usage(format!("scenarios takes no argument, not {extra:?}")));
    }
    let lines: Vec<String> = ALL
        .iter()
        .map(|s| {
            // Starting the app is the only way to learn whether it starts; the random source
            // is never used for that.
            let services = Services::in_memory(Box::new(SeededRng::new(0)));
            let startup_error = s.build(services).err().map(|e| e.to_string());
            let flow = s.flow.map(|f| {
                json!({
                    "login": {
                        "path": f.login.path,
                        "fields": f.login.fields,
                        "button": f.login.button,
                    },
                    "protected": f.protected,
                    "inside": f.inside,
                    "outside": f.outside,
                    "logout": f.logout,
                    "logged_out": f.logged_out,
                })
            });
            json!({
                "id": s.id,
                "title": s.title,
                "promise": s.promise,
                "start": s.start,
                "startup_error": startup_error,
                "flow": flow,
            })
            .to_string()
        })
        .collect();
    Ok(lines.join("\n"))
}

/// `replay` where there is no operating system to read stdin or draw random bytes from.
#[cfg(target_arch = "wasm32")]
fn replay(_args: &[String]) -> Result<Option<String>, Failure> {
    Err(Failure::Refused(
        "replay is not available in a wasm32 build".into(),
    ))
}

#[cfg(not(target_arch = "wasm32"))]
use replay::replay;

/// `crack` where there are no threads, files or clock.
#[cfg(target_arch = "wasm32")]
fn crack(_args: &[String]) -> Result<Option<String>, Failure> {
    Err(Failure::Refused(
        "crack is not available in a wasm32 build".into(),
    ))
}

#[cfg(not(target_arch = "wasm32"))]
use crack::crack;

/// What a command printed: `Some(text)` for one line to print at the end, `None` when it
/// streamed its own output (`replay`).
fn run(args: Vec<OsString>) -> Result<Option<String>, Failure> {
    let args: Vec<String> = args
        .into_iter()
        .map(|a| {
            a.into_string()
                .map_err(|a| usage(format!("argument {a:?} is not valid UTF-8")))
        })
        .collect::<Result<_, _>>()?;
    let Some((command, rest)) = args.split_first() else {
        return Err(usage("missing command"));
    };
    match command.as_str() {
        "decode" => decode(rest)?.run(),
        "verify" => verify(rest)?.run(),
        "sign" => sign(rest)?.run(),
        "replay" => replay(rest),
        "scenarios" => scenarios(rest).map(Some),
        "crack" => crack(rest),
        "-h" | "--help" | "help" => Ok(Some(USAGE.to_string())),
        other => Err(usage(format!("unknown command {other:?}"))),
    }
}

fn main() -> ExitCode {
    let result = run(std::env::args_os().skip(1).collect());
    // Write errors (a closed pipe) are ignored rather than allowed to panic.
    match result {
        Ok(out) => {
            if let Some(out) = out {
                let _ = writeln!(std::io::stdout(), "{out}");
            }
            ExitCode::SUCCESS
        }
        Err(Failure::Refused(why)) => {
            let _ = writeln!(std::io::stderr(), "{}", why.replace(['\n', '\r'], " "));
            ExitCode::from(1)
        }
        Err(Failure::Quiet) => ExitCode::from(1),
        Err(Failure::Unusable(why)) => {
            let _ = writeln!(
                std::io::stderr(),
                "session-lab-cli: {}",
                why.replace(['\n', '\r'], " ")
            );
            ExitCode::from(2)
        }
        Err(Failure::Usage(why)) => {
            let _ = writeln!(std::io::stderr(), "session-lab-cli: {why}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Batch mode: `decode -`, `verify ... -` and `sign ... -`.
///
/// Each line of stdin is one item (a cookie, or a session's JSON), answered by exactly one
/// line of stdout, in order: what the single command prints for that item, or
/// `error: REASON` with the reason the single command gives on stderr (newlines flattened to
/// spaces). So outputs stay aligned with inputs, and batch and single modes agree:
///
/// - a line ends at `\n`, and one trailing `\r` is stripped too (files with CRLF endings);
///   nothing else is trimmed, as nothing is trimmed from a command-line argument;
/// - an empty line answers `error: empty line`;
/// - a line that is not UTF-8 answers `error: not valid UTF-8`;
/// - a line over [`MAX_LINE`] bytes answers `error: line longer than 16777216 bytes`, and is
///   skipped without being held in memory (the input is read line by line, never whole);
/// - the last line counts even without a final newline; nothing after the last newline means
///   no further line (and an empty stdin, no output at all).
///
/// The result is exit 0 when every line was answered with a result, or exit 1 with
/// `N of M input lines failed` on stderr. A closed stdout (`| head -1`) ends the run at once
/// and quietly: exit 0, or 1 if a line read so far failed. A read error on stdin is exit 1 with
/// the reason on stderr, after the lines answered so far.
mod batch {
    use super::Failure;
    use std::io::{self, BufRead, BufWriter, ErrorKind, Write};

    /// The longest line read, in bytes: far beyond a 4 KB browser cookie or the 1 MiB a
    /// compressed payload may inflate to, and still a bound on memory.
    pub const MAX_LINE: usize = 16 << 20;

    /// One line of input.
    enum Line {
        /// The line's bytes, without `\n` and at most [`MAX_LINE`] of them.
        Text,
        /// More than [`MAX_LINE`] bytes; the rest was read and dropped.
        TooLong,
    }

    /// Reads the next line into `buf` (cleared first); `None` at the end of the input.
    fn next_line(input: &mut dyn BufRead, buf: &mut Vec<u8>) -> io::Result<Option<Line>> {
        buf.clear();
        let mut any = false;
        let mut too_long = false;
        loop {
            let available = match input.fill_buf() {
                Ok(bytes) => bytes,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                break;
            }
            any = true;
            let (chunk, used, done) = match available.iter().position(|&b| b == b'\n') {
                Some(i) => (&available[..i], i + 1, true),
                None => (available, available.len(), false),
            };
            if !too_long {
                if buf.len() + chunk.len() > MAX_LINE {
                    too_long = true;
                    buf.clear();
                    buf.shrink_to_fit();
                } else {
                    buf.extend_from_slice(chunk);
                }
            }
            input.consume(used);
            if done {
                break;
            }
        }
        Ok(match (any, too_long) {
            (false, _) => None,
            (true, false) => Some(Line::Text),
            (true, true) => Some(Line::TooLong),
        })
    }

    /// The answer to one line: the item's result, or `error: REASON`.
    fn answer(
        line: Line,
        buf: &mut Vec<u8>,
        item: &dyn Fn(&str) -> Result<String, String>,
    ) -> Result<String, String> {
        if let Line::TooLong = line {
            return Err(format!("line longer than {MAX_LINE} bytes"));
        }
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
        if buf.is_empty() {
            return Err("empty line".into());
        }
        let text = std::str::from_utf8(buf).map_err(|_| "not valid UTF-8".to_string())?;
        item(text)
    }

    /// Answers every line of `input` on `output` (see the module's documentation).
    pub fn run(
        input: &mut dyn BufRead,
        output: &mut dyn Write,
        item: &dyn Fn(&str) -> Result<String, String>,
    ) -> Result<(), Failure> {
        let mut out = BufWriter::with_capacity(64 * 1024, output);
        let mut buf = Vec::new();
        let mut lines = 0u64;
        let mut failed = 0u64;
        let mut read_error = None;
        let written = loop {
            let line = match next_line(input, &mut buf) {
                Ok(Some(line)) => line,
                Ok(None) => break Ok(()),
                Err(e) => {
                    read_error = Some(e);
                    break Ok(());
                }
            };
            lines += 1;
            let result = match answer(line, &mut buf, item) {
                Ok(text) => writeln!(out, "{text}"),
                Err(why) => {
                    failed += 1;
                    writeln!(out, "error: {}", why.replace(['\n', '\r'], " "))
                }
            };
            if let Err(e) = result {
                break Err(e);
            }
        }
        .and_then(|()| out.flush());
        match written {
            Err(e) if e.kind() == ErrorKind::BrokenPipe => {
                return if failed > 0 {
                    Err(Failure::Quiet)
                } else {
                    Ok(())
                };
            }
            Err(e) => return Err(Failure::Refused(format!("writing stdout: {e}"))),
            Ok(()) => {}
        }
        if let Some(e) = read_error {
            return Err(Failure::Refused(format!(
                "reading stdin after {lines} lines: {e}"
            )));
        }
        if failed > 0 {
            return Err(Failure::Refused(format!(
                "{failed} of {lines} input lines failed"
            )));
        }
        Ok(())
    }
}

/// `session-lab-cli replay`: an app, a browser cookie jar and a clock, driven by JSON lines.
#[cfg(not(target_arch = "wasm32"))]
mod replay {
    use super::{system_now, usage, Failure, Options};
    use serde::de::{Deserializer, MapAccess, Visitor};
    use serde::{Deserialize, Serialize};
    use serde_json::Value as Json;
    use session_lab::client::jar::Jar;
    use session_lab::engine::apps::Services;
    use session_lab::engine::flask::app::App;
    use session_lab::engine::flask::config::ConfigValue;
    use session_lab::engine::flask_session::{init_app, StartupError};
    use session_lab::engine::py::secrets::Rng;
    use session_lab::engine::werkzeug::wrappers::Request;
    use session_lab::lab::scenarios;
    use std::fmt;
    use std::io::{BufRead, Write};

    /// The operating system's random source. If it fails there is no safe fallback for
    /// session ids, so the run stops (exit 1).
    struct OsRng;

    impl Rng for OsRng {
        fn fill(&mut self, buf: &mut [u8]) {
            if let Err(e) = getrandom::getrandom(buf) {
                let _ = std::io::stdout().flush();
                let _ = writeln!(
                    std::io::stderr(),
                    "the operating system's random source failed: {e}"
                );
                std::process::exit(1);
            }
        }
    }

    /// Name/value pairs from a JSON object of strings, in the order written (a `Map` would
    /// sort them, and the first of two form fields is the one Flask reads).
    #[derive(Debug, Default)]
    struct Pairs(Vec<(String, String)>);

    impl<'de> Deserialize<'de> for Pairs {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct PairsVisitor;
            impl<'de> Visitor<'de> for PairsVisitor {
                type Value = Pairs;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("an object of strings")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pairs, A::Error> {
                    let mut pairs = Vec::new();
                    while let Some(pair) = map.next_entry::<String, String>()? {
                        pairs.push(pair);
                    }
                    Ok(Pairs(pairs))
                }
            }
            deserializer.deserialize_map(PairsVisitor)
        }
    }

    /// One request line.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RequestLine {
        #[serde(default)]
        method: Option<String>,
        path: String,
        #[serde(default)]
        form: Pairs,
        #[serde(default)]
        headers: Pairs,
    }

    /// One response line: the response as `Response` has it, headers in order.
    #[derive(Serialize)]
    struct ResponseLine<'a> {
        status: u16,
        headers: &'a [(String, String)],
        body: &'a str,
    }

    enum Line {
        Request(RequestLine),
        Advance(i64),
        RestartBrowser(bool),
    }

    /// An HTTP token character (RFC 9110 `tchar`).
    fn is_tchar(b: u8) -> bool {
        b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
    }

    /// serde_json's message with its position as a column only: the input is one line, and
    /// "line 1" beside the line number we report would mislead.
    fn json_error(e: &serde_json::Error) -> String {
        let text = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        match text.strip_suffix(&suffix) {
            Some(msg) => format!("{msg} at column {}", e.column()),
            None => text,
        }
    }

    fn parse_line(text: &str) -> Result<Option<Line>, String> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        let json: Json =
            serde_json::from_str(text).map_err(|e| format!("not JSON: {}", json_error(&e)))?;
        let Json::Object(map) = &json else {
            return Err("expected a JSON object".into());
        };
        if let Some(v) = map.get("advance") {
            if map.len() != 1 {
                return Err("an \"advance\" line has no other keys".into());
            }
            return v
                .as_i64()
                .map(|s| Some(Line::Advance(s)))
                .ok_or_else(|| format!("\"advance\" wants a whole number of seconds, not {v}"));
        }
        if let Some(v) = map.get("restart_browser") {
            if map.len() != 1 {
                return Err("a \"restart_browser\" line has no other keys".into());
            }
            return v
                .as_bool()
                .map(|b| Some(Line::RestartBrowser(b)))
                .ok_or_else(|| format!("\"restart_browser\" wants true or false, not {v}"));
        }
        let line: RequestLine = serde_json::from_str(text).map_err(|e| json_error(&e))?;
        if let Some(m) = &line.method {
            if m.is_empty() || !m.bytes().all(is_tchar) {
                return Err(format!("{m:?} is not an HTTP method"));
            }
        }
        if !line.path.starts_with('/') {
            return Err(format!("\"path\" must start with '/', not {:?}", line.path));
        }
        Ok(Some(Line::Request(line)))
    }

    /// The browser side of one exchange: the jar's `Cookie` header unless the line brings its
    /// own, the app's answer, then every `Set-Cookie` into the jar.
    fn exchange(app: &App, jar: &mut Jar, line: RequestLine, now: i64) -> String {
        // The fragment never leaves the browser.
        let target = line.path.split('#').next().unwrap_or_default();
        let mut request = Request::new(line.method.as_deref().unwrap_or("GET"), target);
        request.form = line.form.0;
        request.headers = line.headers.0;
        if request.header("Cookie").is_none() {
            if let Some(cookie) = jar.cookie_header(target, now) {
                request.headers.push(("Cookie".into(), cookie));
            }
        }
        let response = app.handle(&request, now);
        for set_cookie in response.set_cookies() {
            jar.apply(set_cookie, target, now);
        }
        serde_json::to_string(&ResponseLine {
            status: response.status,
            headers: &response.headers,
            body: &response.body,
        })
        .expect("strings and numbers serialize")
    }

    fn json_line(key: &str, text: &str) -> String {
        let mut map = serde_json::Map::new();
        map.insert(key.into(), Json::String(text.into()));
        Json::Object(map).to_string()
    }

    /// The app `replay` runs: the scenario's, or with `--fixed` its corrected one
    /// (`Fix.app`, what the lab's fix button swaps in); then each `--config KEY=JSON` set in
    /// order, as the lab's settings panel sets a key (a JSON string, true/false, a whole
    /// number, a list of strings or null); then, with `--server-side`, Flask-Session put in,
    /// as the lab's server-side switch does (`SESSION_TYPE = "filesystem"` unless set).
    /// `Ok(Err(_))` is an app that fails at start-up.
    fn selected_app(
        scenario: &scenarios::Scenario,
        opts: &Options,
    ) -> Result<Result<App, StartupError>, Failure> {
        let builder = if opts.flag("fixed") {
            match scenario.fix {
                Some(fix) => fix.app,
                None => {
                    return Err(usage(format!(
                        "--fixed: scenario {:?} has no corrected app",
                        scenario.id
                    )))
                }
            }
        } else {
            scenario.app
        };
        let mut settings = Vec::new();
        for pair in opts.all("config") {
            let Some((key, json)) = pair.split_once('=') else {
                return Err(usage(format!("--config wants KEY=JSON, not {pair:?}")));
            };
            let value = config_value(json).ok_or_else(|| {
                usage(format!(
                    "--config {key}: {json:?} is not a JSON string, \
                     boolean, whole number, list of strings or null"
                ))
            })?;
            settings.push((key.to_string(), value));
        }
        let mut app = match builder(Services::in_memory(Box::new(OsRng))) {
            Ok(app) => app,
            Err(e) => return Ok(Err(e)),
        };
        for (key, value) in settings {
            app.config
                .set(&key, value)
                .map_err(|e| usage(format!("--config {key}: {e}")))?;
        }
        if opts.flag("server-side") {
            if app.config.get("SESSION_TYPE").is_none() {
                app.config
                    .set("SESSION_TYPE", ConfigValue::Str("filesystem".into()))
                    .map_err(|e| usage(format!("--server-side: {e}")))?;
            }
            let Services { store, rng } = Services::in_memory(Box::new(OsRng));
            if let Err(e) = init_app(&mut app, store, rng) {
                return Ok(Err(e));
            }
        }
        Ok(Ok(app))
    }

    /// A `--config` value: JSON as the lab's config takes it.
    fn config_value(json: &str) -> Option<ConfigValue> {
        Some(match serde_json::from_str::<Json>(json).ok()? {
            Json::Null => ConfigValue::None,
            Json::Bool(b) => ConfigValue::Bool(b),
            Json::Number(n) => ConfigValue::Int(n.as_i64()?),
            Json::String(s) => ConfigValue::Str(s),
            Json::Array(items) => ConfigValue::List(
                items
                    .into_iter()
                    .map(|i| match i {
                        Json::String(s) => Some(s),
                        _ => None,
                    })
                    .collect::<Option<_>>()?,
            ),
            Json::Object(_) => return None,
        })
    }

    pub fn replay(args: &[String]) -> Result<Option<String>, Failure> {
        let opts =
            Options::parse_with_flags(args, &["app", "now", "config"], &["fixed", "server-side"])?;
        if let Some(extra) = opts.positional.first() {
            return Err(usage(format!(
                "replay reads requests from stdin, it takes no argument like {extra:?}"
            )));
        }
        let known: Vec<&str> = scenarios::ALL.iter().map(|s| s.id).collect();
        let known = known.join(", ");
        let name = opts
            .one("app")?
            .ok_or_else(|| usage(format!("replay needs --app NAME (one of: {known})")))?;
        let mut now = opts.int("now")?.unwrap_or_else(system_now);
        if let Err(e) = getrandom::getrandom(&mut [0u8; 1]) {
            return Err(Failure::Refused(format!(
                "the operating system's random source failed: {e}"
            )));
        }
        let Some(scenario) = scenarios::by_id(&name) else {
            return Err(usage(format!("unknown app {name:?}; known apps: {known}")));
        };
        let app = match selected_app(scenario, &opts)? {
            Err(e) => return Ok(Some(json_line("startup_error", &e.to_string()))),
            Ok(app) => app,
        };

        let mut jar = Jar::new();
        let mut input = std::io::stdin().lock();
        let mut out = std::io::stdout().lock();
        let mut buf = Vec::new();
        let mut line_no = 0u64;
        let mut malformed = 0u64;
        loop {
            buf.clear();
            let n = input
                .read_until(b'\n', &mut buf)
                .map_err(|e| Failure::Refused(format!("reading stdin: {e}")))?;
            if n == 0 {
                break;
            }
            line_no += 1;
            if buf.last() == Some(&b'\n') {
                buf.pop();
            }
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            let parsed = std::str::from_utf8(&buf)
                .map_err(|_| "not valid UTF-8".to_string())
                .and_then(parse_line);
            let reply = match parsed {
                Ok(None) => None,
                Ok(Some(Line::Advance(seconds))) => {
                    now = now.saturating_add(seconds);
                    None
                }
                Ok(Some(Line::RestartBrowser(restart))) => {
                    if restart {
                        jar.restart_browser();
                    }
                    None
                }
                Ok(Some(Line::Request(line))) => Some(exchange(&app, &mut jar, line, now)),
                Err(why) => {
                    malformed += 1;
                    Some(json_line("error", &format!("line {line_no}: {why}")))
                }
            };
            if let Some(reply) = reply {
                writeln!(out, "{reply}")
                    .and_then(|()| out.flush())
                    .map_err(|e| Failure::Refused(format!("writing stdout: {e}")))?;
            }
        }
        if malformed > 0 {
            return Err(Failure::Refused(format!(
                "{malformed} of {line_no} input lines were malformed"
            )));
        }
        Ok(None)
    }
}

/// `session-lab-cli crack`: every line of a wordlist tried, in order, as the secret key that
/// signed a Flask session cookie ([`Target::try_key`]).
///
/// - The wordlist is bytes in any encoding, read as a stream in large chunks (never whole):
///   a line ends at `\n`, one trailing `\r` is stripped (CRLF files), an empty line is skipped
///   (Flask refuses an empty `SECRET_KEY`, so no cookie was signed with one), and the rest of
///   the line's bytes are the key exactly as Flask would use them (a `str` key's UTF-8, or a
///   `bytes` key). The last line counts without a newline.
/// - A line over [`MAX_LINE`] bytes is not held in memory: it is hashed as it streams past,
///   and its SHA-1 is tried in its place, which is exactly what HMAC does with a key longer
///   than its block. If it matches, that 20-byte key (an equivalent `SECRET_KEY`) is printed,
///   and a note on stderr says so.
/// - The key found is printed as text when it is UTF-8, else as a Python bytes literal.
/// - With `--threads N > 1` the main thread reads and hands batches of whole lines (about
///   [`BATCH`] bytes, recycled) to N workers. The answer is still the earliest matching line:
///   batches are numbered, a match in batch `s` makes every worker drop batches after `s`
///   (and the reader stop), while batches before `s` are still finished.
/// - Progress goes to stderr only when stderr is a terminal; `--stats` prints one summary line.
#[cfg(not(target_arch = "wasm32"))]
mod crack {
    use super::{usage, Failure, Options};
    use session_lab::engine::itsdangerous::crack::Target;
    use sha1::{Digest, Sha1};
    use std::fmt::Write as _;
    use std::io::{self, ErrorKind, IsTerminal, Read, Write};
    use std::ops::Range;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::{mpsc, Mutex, PoisonError};
    use std::time::{Duration, Instant};

    /// The longest line kept in memory, as batch mode's bound; a longer one is tried by its
    /// SHA-1.
    pub const MAX_LINE: usize = super::batch::MAX_LINE;
    /// How much is read at a time with one thread.
    const CHUNK: usize = 256 << 10;
    /// The size of the batches handed to worker threads.
    pub const BATCH: usize = 64 << 10;
    /// The most `--threads` accepted.
    const MAX_THREADS: usize = 1024;
    /// The shortest time between two progress updates.
    const PROGRESS_EVERY: Duration = Duration::from_millis(250);

    /// What one read of the wordlist put in the buffer.
    #[derive(Clone, Copy)]
    enum Chunk {
        /// Whole lines, each ending in `\n` but perhaps the input's last.
        Lines,
        /// One line of `len` bytes (over [`MAX_LINE`]), not kept: its SHA-1.
        Long { digest: [u8; 20], len: u64 },
    }

    /// The wordlist, read in chunks of whole lines.
    struct Wordlist {
        input: Box<dyn Read>,
        /// The start of a line read past the end of the last chunk.
        carry: Vec<u8>,
        eof: bool,
    }

    impl Wordlist {
        /// Appends up to `want` bytes to `buf`: fewer only at the end of the input.
        fn fill(&mut self, buf: &mut Vec<u8>, want: usize) -> io::Result<()> {
            let start = buf.len();
            buf.resize(start + want, 0);
            let mut filled = start;
            let result = loop {
                if filled == buf.len() {
                    break Ok(());
                }
                match self.input.read(&mut buf[filled..]) {
                    Ok(0) => {
                        self.eof = true;
                        break Ok(());
                    }
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == ErrorKind::Interrupted => {}
                    Err(e) => break Err(e),
                }
            };
            buf.truncate(filled);
            result
        }

        /// The next chunk into `buf` (cleared first): the whole lines of the next `size`
        /// bytes, or if those hold no line end, the one line they begin; `None` at the end of
        /// the input. What is read past the chunk (less than `size` bytes) is kept for the
        /// next.
        fn next(&mut self, buf: &mut Vec<u8>, size: usize) -> io::Result<Option<Chunk>> {
            buf.clear();
            buf.append(&mut self.carry);
            if buf.len() < size && !self.eof {
                self.fill(buf, size - buf.len())?;
            }
            let mut end = buf.iter().rposition(|&b| b == b'\n');
            // A line longer than `size`: read on, `size` bytes at a time, to its end.
            while end.is_none() {
                if buf.len() > MAX_LINE {
                    return self.long_line(buf, size).map(Some);
                }
                if self.eof {
                    return Ok((!buf.is_empty()).then_some(Chunk::Lines));
                }
                let searched = buf.len();
                self.fill(buf, size)?;
                end = buf[searched..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map(|i| searched + i);
            }
            let end = end.unwrap_or_default();
            self.carry.extend_from_slice(&buf[end + 1..]);
            if end > MAX_LINE {
                // Read on past MAX_LINE in the last step: held, but tried as any so long line.
                let line = &buf[..end - usize::from(buf[end - 1] == b'\r')];
                let chunk = Chunk::Long {
                    digest: Sha1::digest(line).into(),
                    len: line.len() as u64,
                };
                buf.clear();
                return Ok(Some(chunk));
            }
            buf.truncate(end + 1);
            Ok(Some(Chunk::Lines))
        }

        /// The rest of a line longer than [`MAX_LINE`], whose start is `buf` (no newline in
        /// it), hashed as it is read. `buf` is left empty.
        fn long_line(&mut self, buf: &mut Vec<u8>, size: usize) -> io::Result<Chunk> {
            let mut hasher = Sha1::new();
            let mut len = 0u64;
            loop {
                // A `\r` at the end may be the one before the `\n`: held back until the next
                // byte is known.
                let upto = buf.len() - usize::from(buf.last() == Some(&b'\r'));
                hasher.update(&buf[..upto]);
                len += upto as u64;
                buf.drain(..upto);
                if self.eof {
                    break;
                }
                self.fill(buf, size)?;
                if let Some(i) = buf.iter().position(|&b| b == b'\n') {
                    let end = i - usize::from(i > 0 && buf[i - 1] == b'\r');
                    hasher.update(&buf[..end]);
                    len += end as u64;
                    self.carry.extend_from_slice(&buf[i + 1..]);
                    break;
                }
            }
            buf.clear();
            Ok(Chunk::Long {
                digest: hasher.finalize().into(),
                len,
            })
        }
    }

    /// How many keys are handed to [`Target::try_many`] at a time.
    const GROUP: usize = 64;

    /// Tries the lines of `lines` in order until one signed the cookie or `stop()` says to
    /// give up (it is asked before each group of [`GROUP`] keys). Returns how many keys were
    /// tried and where the matching one is.
    fn scan(target: &Target, lines: &[u8], stop: impl Fn() -> bool) -> (u64, Option<Range<usize>>) {
        let mut tried = 0;
        let mut start = 0;
        let mut keys: [&[u8]; GROUP] = [&[]; GROUP];
        let mut starts = [0usize; GROUP];
        loop {
            let mut n = 0;
            while n < GROUP && start < lines.len() {
                let end = lines[start..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(lines.len(), |i| start + i);
                let key_end = end - usize::from(end > start && lines[end - 1] == b'\r');
                if key_end > start {
                    keys[n] = &lines[start..key_end];
                    starts[n] = start;
                    n += 1;
                }
                start = end + 1;
            }
            if n == 0 || stop() {
                return (tried, None);
            }
            if let Some(i) = target.try_many(&keys[..n]) {
                tried += i as u64 + 1;
                return (tried, Some(starts[i]..starts[i] + keys[i].len()));
            }
            tried += n as u64;
        }
    }

    /// The key that signed the cookie.
    enum Found {
        Line(Vec<u8>),
        /// A line over [`MAX_LINE`] bytes: its SHA-1, the key HMAC used in its place.
        Long {
            digest: [u8; 20],
            len: u64,
        },
    }

    impl Found {
        /// Tries what a chunk holds: `Some` when it has the key.
        fn search(
            target: &Target,
            chunk: Chunk,
            buf: &[u8],
            stop: impl Fn() -> bool,
        ) -> (u64, Option<Found>) {
            match chunk {
                Chunk::Lines => {
                    let (tried, hit) = scan(target, buf, stop);
                    (tried, hit.map(|r| Found::Line(buf[r].to_vec())))
                }
                Chunk::Long { digest, len } => {
                    let hit = target.try_key(&digest);
                    (1, hit.then_some(Found::Long { digest, len }))
                }
            }
        }
    }

    /// Python's `repr` of a `bytes` value.
    fn python_bytes(bytes: &[u8]) -> String {
        let quote = if bytes.contains(&b'\'') && !bytes.contains(&b'"') {
            b'"'
        } else {
            b'\''
        };
        let mut s = String::with_capacity(bytes.len() + 3);
        s.push('b');
        s.push(char::from(quote));
        for &b in bytes {
            match b {
                b'\\' => s.push_str("\\\\"),
                b'\t' => s.push_str("\\t"),
                b'\n' => s.push_str("\\n"),
                b'\r' => s.push_str("\\r"),
                _ if b == quote => {
                    s.push('\\');
                    s.push(char::from(b));
                }
                0x20..=0x7e => s.push(char::from(b)),
                _ => {
                    let _ = write!(s, "\\x{b:02x}");
                }
            }
        }
        s.push(char::from(quote));
        s
    }

    /// The line that prints a key: its text when it is UTF-8, else a Python bytes literal.
    fn printable_key(key: &[u8]) -> String {
        match std::str::from_utf8(key) {
            Ok(text) => text.to_string(),
            Err(_) => python_bytes(key),
        }
    }

    /// Progress on a terminal, and the `--stats` line.
    struct Progress {
        started: Instant,
        last: Instant,
        on_terminal: bool,
        /// The width of the progress line on screen, to blank it out.
        shown: usize,
    }

    impl Progress {
        fn new() -> Progress {
            let now = Instant::now();
            Progress {
                started: now,
                last: now,
                on_terminal: io::stderr().is_terminal(),
                shown: 0,
            }
        }

        fn rate(&self, tried: u64) -> (f64, u64) {
            let seconds = self.started.elapsed().as_secs_f64();
            let rate = if seconds > 0.0 {
                (tried as f64 / seconds) as u64
            } else {
                0
            };
            (seconds, rate)
        }

        /// At most every [`PROGRESS_EVERY`], and only on a terminal.
        fn tick(&mut self, tried: u64) {
            if !self.on_terminal || self.last.elapsed() < PROGRESS_EVERY {
                return;
            }
            self.last = Instant::now();
            let (_, rate) = self.rate(tried);
            let line = format!("tried {tried} keys, {rate} keys/s");
            let blank = self.shown.saturating_sub(line.len());
            let _ = write!(io::stderr(), "\r{line}{:blank$}", "");
            self.shown = line.len();
        }

        /// The final line: the summary for `--stats`, else the progress's last state on a
        /// terminal.
        fn finish(&mut self, tried: u64, stats: bool) {
            let (seconds, rate) = self.rate(tried);
            let mut err = io::stderr().lock();
            if self.shown > 0 {
                let _ = write!(err, "\r{:width$}\r", "", width = self.shown);
            }
            if stats {
                let _ = writeln!(err, "tried {tried} keys in {seconds:.3} s: {rate} keys/s");
            } else if self.on_terminal {
                let _ = writeln!(err, "tried {tried} keys, {rate} keys/s");
            }
        }
    }

    /// One thread: read a chunk, try its lines, and so on.
    fn run_single(
        target: &Target,
        list: &mut Wordlist,
        progress: &mut Progress,
    ) -> (u64, io::Result<Option<Found>>) {
        let mut buf = Vec::with_capacity(2 * CHUNK);
        let mut tried = 0;
        loop {
            let chunk = match list.next(&mut buf, CHUNK) {
                Ok(Some(chunk)) => chunk,
                Ok(None) => return (tried, Ok(None)),
                Err(e) => return (tried, Err(e)),
            };
            let (n, found) = Found::search(target, chunk, &buf, || false);
            tried += n;
            if found.is_some() {
                return (tried, Ok(found));
            }
            progress.tick(tried);
        }
    }

    /// A batch of lines for a worker, recycled once tried.
    struct Batch {
        /// Its place in the wordlist: batches are numbered in reading order.
        seq: u64,
        chunk: Chunk,
        buf: Vec<u8>,
    }

    /// `threads` workers and the reader (this thread).
    fn run_threads(
        target: &Target,
        list: &mut Wordlist,
        progress: &mut Progress,
        threads: usize,
    ) -> (u64, io::Result<Option<Found>>) {
        // The earliest batch with a match so far (`u64::MAX`: none); its key.
        let found_in = AtomicU64::new(u64::MAX);
        let found: Mutex<Option<(u64, Found)>> = Mutex::new(None);
        let tried = AtomicU64::new(0);
        let (work_tx, work_rx) = mpsc::channel::<Batch>();
        let work_rx = Mutex::new(work_rx);
        let (free_tx, free_rx) = mpsc::channel::<Batch>();
        // Every batch there is: one per worker, as many waiting, and the one being read.
        let pool = 2 * threads + 1;
        let read = std::thread::scope(|scope| {
            for _ in 0..threads {
                let free_tx = free_tx.clone();
                let (found_in, found, tried, work_rx) = (&found_in, &found, &tried, &work_rx);
                scope.spawn(move || loop {
                    let next = work_rx
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .recv();
                    let Ok(batch) = next else { break };
                    // A batch after the earliest match so far is not needed.
                    if batch.seq < found_in.load(Ordering::Relaxed) {
                        let (n, hit) = Found::search(target, batch.chunk, &batch.buf, || {
                            found_in.load(Ordering::Relaxed) < batch.seq
                        });
                        tried.fetch_add(n, Ordering::Relaxed);
                        if let Some(key) = hit {
                            let mut best = found.lock().unwrap_or_else(PoisonError::into_inner);
                            if best.as_ref().is_none_or(|(seq, _)| batch.seq < *seq) {
                                *best = Some((batch.seq, key));
                            }
                            found_in.fetch_min(batch.seq, Ordering::Relaxed);
                        }
                    }
                    // The reader may be gone; then the batch is simply dropped.
                    let _ = free_tx.send(batch);
                });
            }
            drop(free_tx);
            let mut made = 0;
            let mut seq = 0;
            let read = loop {
                if found_in.load(Ordering::Relaxed) != u64::MAX {
                    break Ok(());
                }
                let mut batch = match free_rx.try_recv() {
                    Ok(batch) => batch,
                    Err(_) if made < pool => {
                        made += 1;
                        Batch {
                            seq: 0,
                            chunk: Chunk::Lines,
                            buf: Vec::with_capacity(2 * BATCH),
                        }
                    }
                    Err(_) => match free_rx.recv() {
                        Ok(batch) => batch,
                        // Every worker has stopped.
                        Err(_) => break Ok(()),
                    },
                };
                // Memory a long line took goes back.
                batch.buf.clear();
                batch.buf.shrink_to(4 * BATCH);
                match list.next(&mut batch.buf, BATCH) {
                    Ok(Some(chunk)) => {
                        batch.seq = seq;
                        batch.chunk = chunk;
                        seq += 1;
                        if work_tx.send(batch).is_err() {
                            break Ok(());
                        }
                    }
                    Ok(None) => break Ok(()),
                    Err(e) => break Err(e),
                }
                progress.tick(tried.load(Ordering::Relaxed));
            };
            // The workers finish what was handed out (batches after a match quickly), then
            // stop.
            drop(work_tx);
            read
        });
        let tried = tried.into_inner();
        let found = found
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
            .map(|(_, key)| key);
        match (found, read) {
            (Some(key), _) => (tried, Ok(Some(key))),
            (None, read) => (tried, read.map(|()| None)),
        }
    }

    pub fn crack(args: &[String]) -> Result<Option<String>, Failure> {
        let opts = Options::parse_with_flags(args, &["wordlist", "threads"], &["stats"])?;
        let wordlist = opts
            .one("wordlist")?
            .ok_or_else(|| usage("crack needs --wordlist FILE (or - for stdin)"))?;
        let threads = match opts.one("threads")? {
            None => 1,
            Some(v) => v
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=MAX_THREADS).contains(n))
                .ok_or_else(|| {
                    usage(format!(
                        "--threads wants a number of threads from 1 to {MAX_THREADS}, not {v:?}"
                    ))
                })?,
        };
        let stats = opts.flag("stats");
        let cookie = opts.single_positional("COOKIE")?;
        let target = Target::flask_session(cookie)
            .map_err(|e| Failure::Unusable(format!("not a signed cookie: {e}")))?;
        let input: Box<dyn Read> = if wordlist == "-" {
            Box::new(io::stdin().lock())
        } else {
            Box::new(std::fs::File::open(&wordlist).map_err(|e| {
                Failure::Unusable(format!("cannot read the wordlist {wordlist:?}: {e}"))
            })?)
        };
        let mut list = Wordlist {
            input,
            carry: Vec::new(),
            eof: false,
        };
        let mut progress = Progress::new();
        let (tried, result) = if threads == 1 {
            run_single(&target, &mut list, &mut progress)
        } else {
            run_threads(&target, &mut list, &mut progress, threads)
        };
        progress.finish(tried, stats);
        let name = if wordlist == "-" {
            "stdin".to_string()
        } else {
            format!("the wordlist {wordlist:?}")
        };
        match result {
            Ok(Some(Found::Line(key))) => Ok(Some(printable_key(&key))),
            Ok(Some(Found::Long { digest, len })) => {
                let _ = writeln!(
                    io::stderr(),
                    "the key is a line of {len} bytes, not kept: printed is its SHA-1, the key \
                     HMAC uses in its place (an equivalent SECRET_KEY)"
                );
                Ok(Some(python_bytes(&digest)))
            }
            Ok(None) => Err(Failure::Refused(format!("not found: tried {tried} keys"))),
            Err(e) => Err(Failure::Unusable(format!(
                "reading {name} after {tried} keys: {e}"
            ))),
        }
    }
}
