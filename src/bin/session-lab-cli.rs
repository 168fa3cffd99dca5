//! `session-lab-cli`: Flask session cookies on the command line, on the same engine as the lab.
//!
//! ```text
//! session-lab-cli decode COOKIE
//! session-lab-cli verify --secret KEY [--fallback KEY]... [--max-age SECONDS] [--now UNIX_SECONDS] COOKIE
//! session-lab-cli sign --secret KEY [--timestamp UNIX_SECONDS] SESSION_JSON
//! ```
//! Exit status: 0 success, 1 the cookie or session was refused (one line on stderr says why),
//! 2 bad arguments (usage on stderr).

use session_lab::server::http_date::MAX_UNIX;
use session_lab::server::session::session_dict;
use session_lab::server::signing::{decode_payload, Segments, Serializer, DEFAULT_MAX_AGE};
use session_lab::server::tagged_json::{self, dumps_dict};
use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "\
usage:
  session-lab-cli decode COOKIE
  session-lab-cli verify --secret KEY [--fallback KEY]... [--max-age SECONDS] [--now UNIX_SECONDS] COOKIE
  session-lab-cli sign --secret KEY [--timestamp UNIX_SECONDS] SESSION_JSON

decode  prints the session's tagged JSON; no key is needed, because Flask signs sessions but
        does not encrypt them.
verify  checks the signature (newest key first: --secret, then the --fallback keys from last to
        first, like SECRET_KEY_FALLBACKS) and the age (default max-age 2678400 = 31 days, now =
        the system clock), then prints the tagged JSON.
sign    prints the cookie value Flask 3.1 would set for SESSION_JSON (tagged JSON, any key order).";

/// What went wrong, and so which exit status to use.
enum Failure {
    Usage(String),
    Refused(String),
}

fn usage(msg: impl Into<String>) -> Failure {
    Failure::Usage(msg.into())
}

/// Parsed options of one subcommand: repeated `--name VALUE` pairs plus positionals.
struct Options {
    pairs: Vec<(String, String)>,
    positional: Vec<String>,
}

impl Options {
    fn parse(args: &[String], known: &[&str]) -> Result<Options, Failure> {
        let mut pairs = Vec::new();
        let mut positional = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if a == "--" {
                positional.extend(it.by_ref().cloned());
                break;
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
        Ok(Options { pairs, positional })
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
fn printable_session(json: &str) -> Result<String, Failure> {
    let (value, _) = tagged_json::loads_lossy(json)
        .map_err(|e| Failure::Refused(format!("malformed payload: {e}")))?;
    let is_object = matches!(value, tagged_json::Value::Dict(_));
    let dict =
        session_dict(value).map_err(|e| Failure::Refused(format!("malformed payload: {e}")))?;
    Ok(if json.contains(['\n', '\r']) || !is_object {
        dumps_dict(&dict)
    } else {
        json.to_string()
    })
}

fn decode(args: &[String]) -> Result<String, Failure> {
    let opts = Options::parse(args, &[])?;
    let cookie = opts.single_positional("COOKIE")?;
    let segments = Segments::split(cookie).map_err(|e| Failure::Refused(e.to_string()))?;
    let json = decode_payload(segments.payload).map_err(|e| Failure::Refused(e.to_string()))?;
    printable_session(&json)
}

fn verify(args: &[String]) -> Result<String, Failure> {
    let opts = Options::parse(args, &["secret", "fallback", "max-age", "now"])?;
    let secret = opts
        .one("secret")?
        .ok_or_else(|| usage("verify needs --secret KEY"))?;
    let fallbacks = opts.all("fallback");
    let max_age = opts.int("max-age")?.unwrap_or(DEFAULT_MAX_AGE);
    let now = opts.int("now")?.unwrap_or_else(system_now);
    let cookie = opts.single_positional("COOKIE")?;
    let serializer = Serializer::flask_session(&secret, &fallbacks);
    let unsigned = serializer
        .loads(cookie, Some(max_age), now)
        .map_err(|e| Failure::Refused(e.to_string()))?;
    printable_session(&unsigned.json)
}

fn sign(args: &[String]) -> Result<String, Failure> {
    let opts = Options::parse(args, &["secret", "timestamp"])?;
    let secret = opts
        .one("secret")?
        .ok_or_else(|| usage("sign needs --secret KEY"))?;
    let timestamp = match opts.int("timestamp")? {
        Some(t) => u64::try_from(t).map_err(|_| usage("--timestamp cannot be negative"))?,
        None => system_now().max(0) as u64,
    };
    let json = opts.single_positional("SESSION_JSON")?;
    let dict = tagged_json::loads_dict(json)
        .map_err(|e| Failure::Refused(format!("SESSION_JSON is not a session: {e}")))?;
    if timestamp > MAX_UNIX as u64 {
        // Flask signs at any clock, but itsdangerous cannot read a date past 9999 back.
        let _ = writeln!(
            std::io::stderr(),
            "warning: a cookie signed after the year 9999 is one Flask can never read back"
        );
    }
    Ok(Serializer::flask_session(&secret, &[]).dumps(&dumps_dict(&dict), timestamp))
}

fn run(args: Vec<OsString>) -> Result<String, Failure> {
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
        "decode" => decode(rest),
        "verify" => verify(rest),
        "sign" => sign(rest),
        "-h" | "--help" | "help" => Ok(USAGE.to_string()),
        other => Err(usage(format!("unknown command {other:?}"))),
    }
}

fn main() -> ExitCode {
    let result = run(std::env::args_os().skip(1).collect());
    // Write errors (a closed pipe) are ignored rather than allowed to panic.
    match result {
        Ok(out) => {
            let _ = writeln!(std::io::stdout(), "{out}");
            ExitCode::SUCCESS
        }
        Err(Failure::Refused(why)) => {
            let _ = writeln!(std::io::stderr(), "{}", why.replace(['\n', '\r'], " "));
            ExitCode::from(1)
        }
        Err(Failure::Usage(why)) => {
            let _ = writeln!(std::io::stderr(), "session-lab-cli: {why}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
