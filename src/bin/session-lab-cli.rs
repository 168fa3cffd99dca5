//! `session-lab-cli`: Flask session cookies on the command line, on the same engine as the lab.
//!
//! ```text
//! session-lab-cli decode COOKIE|-
//! session-lab-cli verify --secret KEY [--fallback KEY]... [--max-age SECONDS] [--now UNIX_SECONDS] COOKIE|-
//! session-lab-cli sign --secret KEY [--timestamp UNIX_SECONDS] SESSION_JSON|-
//! session-lab-cli replay --app NAME [--now UNIX_SECONDS]
//! session-lab-cli scenarios
//! ```
//! Exit status: 0 success, 1 the cookie or session was refused (one line on stderr says why),
//! 2 bad arguments (usage on stderr).
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
  session-lab-cli replay --app NAME [--now UNIX_SECONDS]
  session-lab-cli scenarios

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
scenarios  prints the lab's scenarios as JSON lines: id (the NAME replay takes), title,
        promise, start, startup_error and flow (how to sign in and out).";

/// What went wrong, and so which exit status to use.
enum Failure {
    Usage(String),
    Refused(String),
    /// Exit 1 with nothing more to say (a batch with a failed line whose stdout closed).
    Quiet,
}

fn usage(msg: impl Into<String>) -> Failure {
    Failure::Usage(msg.into())
}

/// Parsed options of one subcommand: repeated `--name VALUE` pairs plus positionals.
struct Options {
    pairs: Vec<(String, String)>,
    positional: Vec<String>,
    /// How many positionals came before `--`: the ones after it are taken literally.
    before_dashdash: usize,
}

impl Options {
    fn parse(args: &[String], known: &[&str]) -> Result<Options, Failure> {
        let mut pairs = Vec::new();
        let mut positional = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if a == "--" {
                let before_dashdash = positional.len();
                positional.extend(it.by_ref().cloned());
                return Ok(Options {
                    pairs,
                    positional,
                    before_dashdash,
                });
            }
            if let Some(name) = a.strip_prefix("--") {
                let (name, inline) = match name.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (name, None),
                };
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
            positional,
            before_dashdash,
        })
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

    pub fn replay(args: &[String]) -> Result<Option<String>, Failure> {
        let opts = Options::parse(args, &["app", "now"])?;
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
        let app = match scenario.build(Services::in_memory(Box::new(OsRng))) {
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
