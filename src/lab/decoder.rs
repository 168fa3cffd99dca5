//! The cookie decoder's logic: read a Flask session cookie without a key, check it with
//! `SECRET_KEY` and `SECRET_KEY_FALLBACKS`, and sign an edited copy. Three separate steps, each
//! with its own status, so a failed check never hides what decoding found, and nothing is
//! signed until Sign is pressed (what users of one-widget JWT tools get confused by).
//!
//! All the work is plain functions over [`DecoderState`], tested natively; the page in
//! `ui::pages::decoder` only renders it and dispatches [`Action`]s. The clock is passed in with
//! each action, never read here.

use crate::engine::flask::tagged_json;
use crate::engine::itsdangerous::pybase64::urlsafe_decode;
use crate::engine::itsdangerous::signing::{
    decode_payload, Segments, Serializer, UnsignError, DEFAULT_MAX_AGE,
};
use crate::engine::py::datetime::{iso_utc, MAX_UNIX};
use crate::engine::py::repr::repr;
use crate::engine::py::value::Value;

// ---------------------------------------------------------------------------------------------
// Reading what was pasted

/// The cookie value inside whatever was pasted: a bare value, `session=value`, a `Cookie:`
/// request header (the `session` cookie is preferred, else the first one) or a `Set-Cookie:`
/// line (its attributes are dropped). Returns the cookie's name when one was given.
pub fn extract_cookie(text: &str) -> (Option<String>, String) {
    let mut rest = text.trim();
    for prefix in ["set-cookie:", "cookie:"] {
        if rest
            .get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
        {
            rest = rest[prefix.len()..].trim();
            break;
        }
    }
    let pairs: Vec<(&str, &str)> = rest
        .split(';')
        .filter_map(|part| part.split_once('='))
        .map(|(n, v)| (n.trim(), v.trim()))
        .collect();
    let unquote = |v: &str| {
        v.strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(v)
            .to_string()
    };
    match pairs
        .iter()
        .find(|(n, _)| *n == "session")
        .or_else(|| pairs.first())
    {
        Some((name, value)) => (Some(name.to_string()), unquote(value)),
        None => (None, unquote(rest.split(';').next().unwrap_or("").trim())),
    }
}

// ---------------------------------------------------------------------------------------------
// Step 1: decode (no key)

/// Everything that can be read from a cookie without its key. Each part carries its own
/// error, so a bad timestamp does not hide a readable payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The cookie's name, when the paste had one (`session=...`).
    pub name: Option<String>,
    pub cookie: String,
    /// The payload segment without the leading `.` of a compressed one.
    pub payload: String,
    pub timestamp: String,
    pub signature: String,
    pub compressed: bool,
    /// The payload's JSON text (after base64 and, if compressed, zlib).
    pub json: Result<String, String>,
    /// The session as Python's `repr` shows it, once the JSON is read as tagged JSON.
    pub python: Option<Result<String, String>>,
    /// Unix seconds of the timestamp segment.
    pub time: Result<i64, String>,
    /// How many bytes the signature segment holds.
    pub signature_len: Result<usize, String>,
    /// The clock when Decode was pressed, for the age.
    pub now: i64,
}

impl Decoded {
    /// Whether every part could be read.
    pub fn complete(&self) -> bool {
        self.json.is_ok()
            && matches!(self.python, Some(Ok(_)))
            && self.time.is_ok()
            && self.signature_len.is_ok()
    }
}

/// Splits and reads a pasted cookie without any key.
pub fn decode(text: &str, now: i64) -> Result<Decoded, String> {
    let (name, cookie) = extract_cookie(text);
    if cookie.is_empty() {
        return Err(match name {
            Some(n) => format!("The cookie {n:?} has an empty value: there is nothing to decode."),
            None => "Paste a cookie first.".to_string(),
        });
    }
    let seg = Segments::split(&cookie).map_err(|e| match e {
        UnsignError::MalformedTimestamp => {
            "This is not a Flask session cookie: it has only one '.', \
            so only two parts. A Flask session cookie has three: payload.timestamp.signature."
                .to_string()
        }
        _ => "This is not a Flask session cookie: there is no '.' in it. A Flask session cookie \
            has three parts separated by dots: payload.timestamp.signature."
            .to_string(),
    })?;
    let json = decode_payload(seg.payload).map_err(|e| match e {
        UnsignError::BadPayload(why) => why,
        other => other.to_string(),
    });
    let python = json
        .as_ref()
        .ok()
        .map(|j| match tagged_json::loads_lossy(j) {
            Ok((v @ Value::Dict(_), _)) => Ok(repr(&v)),
            Ok((other, _)) => Err(format!(
                "this JSON is {}, not an object: Flask could not load it as a session",
                repr(&other)
            )),
            Err(e) => Err(format!(
                "not JSON that Flask's TaggedJSONSerializer can read: {e}"
            )),
        });
    let time = match urlsafe_decode(seg.timestamp) {
        Err(e) => Err(format!("the timestamp segment is {e}")),
        Ok(raw) if raw.len() > 8 => Err(format!(
            "the timestamp segment holds {} bytes; itsdangerous reads at most 8",
            raw.len()
        )),
        Ok(_) => seg
            .timestamp_value()
            .ok_or_else(|| "the timestamp segment cannot be read".to_string()),
    };
    let signature_len = urlsafe_decode(seg.signature)
        .map(|b| b.len())
        .map_err(|e| format!("the signature segment is {e}"));
    Ok(Decoded {
        name,
        payload: seg.payload.trim_start_matches('.').to_string(),
        timestamp: seg.timestamp.to_string(),
        signature: seg.signature.to_string(),
        compressed: seg.compressed(),
        json,
        python,
        time,
        signature_len,
        now,
        cookie: cookie.clone(),
    })
}

/// `45 s`, `3 min 20 s`, `5 h 12 min`, `1 day 4 h`, `731 days`.
pub fn span(seconds: i64) -> String {
    let s = seconds.unsigned_abs();
    let (d, h, m, sec) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
    match s {
        0..=59 => format!("{sec} s"),
        60..=3599 => format!("{m} min {sec} s"),
        3600..=86_399 => format!("{h} h {m} min"),
        86_400..=172_799 => format!("1 day {h} h"),
        _ if d < 365 => format!("{d} days"),
        _ => {
            let years = d / 365;
            format!(
                "{d} days (about {years} year{})",
                if years == 1 { "" } else { "s" }
            )
        }
    }
}

/// `3 days ago` or `2 h 5 min in the future`.
pub fn age_text(age: i64) -> String {
    if age >= 0 {
        format!("{} ago", span(age))
    } else {
        format!("{} in the future", span(age))
    }
}

/// A date for display, or why there is none (Python's `datetime` stops at 9999).
pub fn date_text(unix: i64) -> String {
    if (0..=MAX_UNIX).contains(&unix) {
        iso_utc(unix)
    } else {
        "after the year 9999, which Python's datetime cannot hold".to_string()
    }
}

// ---------------------------------------------------------------------------------------------
// Step 2: verify

/// Which key a signature matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyUsed {
    Secret,
    /// A `SECRET_KEY_FALLBACKS` row, numbered from 1 as shown on the page.
    Fallback(usize),
}

impl KeyUsed {
    pub fn describe(self) -> String {
        match self {
            KeyUsed::Secret => "SECRET_KEY".to_string(),
            KeyUsed::Fallback(n) => format!("fallback {n}, SECRET_KEY_FALLBACKS[{}]", n - 1),
        }
    }
}

/// The outcome of one press of Verify, from [`UnsignError`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Valid {
        key: KeyUsed,
        age: i64,
    },
    BadSignature {
        keys: usize,
    },
    Expired {
        key: KeyUsed,
        age: i64,
        max_age: i64,
    },
    FromTheFuture {
        key: KeyUsed,
        age: i64,
    },
    Malformed(String),
    /// The signature matched but Flask could not read the data (a 500 in Flask).
    BadPayload {
        key: KeyUsed,
        why: String,
    },
    /// Not checked: something in the form is missing or unreadable.
    NotChecked(String),
}

impl Verdict {
    /// A stable name for the outcome (the status region's `data-verdict`).
    pub fn code(&self) -> &'static str {
        match self {
            Verdict::Valid { .. } => "valid",
            Verdict::BadSignature { .. } => "bad-signature",
            Verdict::Expired { .. } => "expired",
            Verdict::FromTheFuture { .. } => "future",
            Verdict::Malformed(_) => "malformed",
            Verdict::BadPayload { .. } => "bad-payload",
            Verdict::NotChecked(_) => "not-checked",
        }
    }

    pub fn is_valid(&self) -> bool {
        matches!(self, Verdict::Valid { .. })
    }

    pub fn message(&self) -> String {
        match self {
            Verdict::Valid { key, age } => format!(
                "Valid: signed with {}, {}. Flask would load this session.",
                key.describe(),
                age_text(*age)
            ),
            Verdict::BadSignature { keys } => format!(
                "Bad signature: {} made this signature. Flask would ignore the cookie and start \
                 an empty session.",
                match keys {
                    1 => "the key you gave has not".to_string(),
                    n => format!("none of the {n} keys you gave"),
                }
            ),
            Verdict::Expired { key, age, max_age } => format!(
                "Expired: the signature is genuine, made with {}, but the cookie was signed {}, \
                 longer than the max age of {} ({max_age} s). Flask would start an empty session.",
                key.describe(),
                age_text(*age),
                span(*max_age)
            ),
            Verdict::FromTheFuture { key, age } => format!(
                "From the future: the signature is genuine, made with {}, but the timestamp is {}. \
                 itsdangerous refuses a negative age, so Flask would start an empty session.",
                key.describe(),
                age_text(*age)
            ),
            Verdict::Malformed(why) => format!(
                "Malformed: {why}. Flask would ignore the cookie and start an empty session."
            ),
            Verdict::BadPayload { key, why } => format!(
                "Unreadable data: the signature is genuine, made with {}, but the data cannot be \
                 loaded: {why}. Flask would answer the request with a 500 error.",
                key.describe()
            ),
            Verdict::NotChecked(why) => format!("Not checked: {why}"),
        }
    }
}

/// Checks `cookie` as Flask's session interface does: `SECRET_KEY` first, then the fallbacks
/// from the last row up (itsdangerous tries the newest key first), then the age. Empty
/// fallback rows are skipped; rows keep their numbers.
pub fn verify(cookie: &str, secret: &str, fallbacks: &[String], max_age: i64, now: i64) -> Verdict {
    if cookie.is_empty() {
        return Verdict::NotChecked("there is no cookie to check.".into());
    }
    if secret.is_empty() {
        return Verdict::NotChecked(
            "enter a SECRET_KEY first (Flask refuses to use sessions without one).".into(),
        );
    }
    let rows: Vec<(usize, String)> = fallbacks
        .iter()
        .enumerate()
        .filter(|(_, k)| !k.is_empty())
        .map(|(i, k)| (i + 1, k.clone()))
        .collect();
    let keys: Vec<String> = rows.iter().map(|(_, k)| k.clone()).collect();
    let serializer = Serializer::flask_session(secret, &keys);
    let key_of = |index: usize| match rows.get(index) {
        Some((row, _)) => KeyUsed::Fallback(*row),
        None => KeyUsed::Secret,
    };
    let matched = || {
        serializer
            .verify_signature(cookie)
            .map(key_of)
            .unwrap_or(KeyUsed::Secret)
    };
    match serializer.loads(cookie, Some(max_age), now) {
        Ok(u) => {
            let key = key_of(u.key_index);
            match tagged_json::loads_lossy(&u.json) {
                Ok((Value::Dict(_), _)) => Verdict::Valid {
                    key,
                    age: now - u.timestamp,
                },
                Ok(_) => Verdict::BadPayload {
                    key,
                    why: "the JSON is not an object".into(),
                },
                Err(e) => Verdict::BadPayload {
                    key,
                    why: format!("the JSON cannot be read ({e})"),
                },
            }
        }
        Err(UnsignError::BadSignature) => Verdict::BadSignature {
            keys: keys.len() + 1,
        },
        Err(UnsignError::Expired { age, max_age }) => Verdict::Expired {
            key: matched(),
            age,
            max_age,
        },
        Err(UnsignError::FromTheFuture { age }) => Verdict::FromTheFuture {
            key: matched(),
            age,
        },
        Err(UnsignError::BadPayload(why)) => Verdict::BadPayload {
            key: matched(),
            why,
        },
        Err(e @ UnsignError::TimestampOutOfRange { .. }) => Verdict::BadPayload {
            key: matched(),
            why: e.to_string(),
        },
        Err(e) => Verdict::Malformed(
            e.to_string()
                .trim_start_matches("malformed cookie: ")
                .to_string(),
        ),
    }
}

/// A whole, non-negative number of seconds.
pub fn parse_seconds(text: &str) -> Option<i64> {
    let t = text.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

// ---------------------------------------------------------------------------------------------
// Step 3: forge

/// Which key Sign uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyChoice {
    /// The SECRET_KEY typed in step 3 (Verify).
    Secret,
    /// A fallback row of step 3 (Verify), by its row id.
    Fallback(u32),
    /// The key typed in step 4's own field (Forge).
    Other,
}

/// The timestamp to sign with: empty or `now` is the moment Sign is pressed.
pub fn parse_timestamp(text: &str, now: i64) -> Result<i64, String> {
    let t = text.trim();
    if t.is_empty() || t.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    match parse_seconds(t) {
        Some(v) if v <= MAX_UNIX => Ok(v),
        Some(_) => Err("the timestamp is after the year 9999".into()),
        None => Err(format!(
            "{t:?} is not a unix time (whole seconds since 1970-01-01 UTC), and not empty for now"
        )),
    }
}

/// Signs the session JSON as Flask would: read as tagged JSON, written back in Flask's exact
/// form (sorted keys, compact), compressed if that saves space, signed with `key` at
/// `timestamp`. Returns the cookie and the JSON text it carries.
pub fn forge(json: &str, key: &str, timestamp: i64) -> Result<(String, String), String> {
    let dict = tagged_json::loads_dict(json).map_err(|e| format!("the session JSON: {e}"))?;
    let text = tagged_json::dumps_dict(&dict);
    let timestamp = u64::try_from(timestamp).map_err(|_| "the timestamp is before 1970")?;
    let cookie = Serializer::flask_session(key, &[]).dumps(&text, timestamp);
    Ok((cookie, text))
}

/// A cookie made by Sign, and what it was made from.
#[derive(Debug, Clone, PartialEq)]
pub struct Forged {
    pub cookie: String,
    /// The cookie that was in step 1 when Sign was pressed.
    pub original: Option<String>,
    /// `SECRET_KEY`, `fallback 2`, `a key of your own`.
    pub key_label: String,
    pub key: String,
    pub timestamp: i64,
    /// The JSON inside the cookie (Flask's form of what was typed).
    pub json: String,
    /// The inputs as they were, to tell when they have been edited since.
    pub inputs: (String, String, String),
}

// ---------------------------------------------------------------------------------------------
// State

/// Which cookie step 3 (Verify) checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Pasted,
    Forged,
}

/// One press of Verify: what was checked and the verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub target: Target,
    pub cookie: String,
    pub verdict: Verdict,
    /// The keys tried, in the order itsdangerous tries them.
    pub order: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DecoderState {
    pub paste: String,
    pub decoded: Option<Result<Decoded, String>>,
    pub secret: String,
    /// `(row id, key)`: ids keep rows apart when one is removed.
    pub fallbacks: Vec<(u32, String)>,
    pub next_row: u32,
    pub max_age: String,
    pub target: Target,
    pub report: Option<Report>,
    pub forge_json: String,
    pub key_choice: KeyChoice,
    pub other_key: String,
    pub forge_ts: String,
    pub forged: Option<Forged>,
    pub forge_error: Option<String>,
}

impl Default for DecoderState {
    fn default() -> Self {
        DecoderState {
            paste: String::new(),
            decoded: None,
            secret: String::new(),
            fallbacks: Vec::new(),
            next_row: 0,
            max_age: DEFAULT_MAX_AGE.to_string(),
            target: Target::Pasted,
            report: None,
            forge_json: String::new(),
            key_choice: KeyChoice::Secret,
            other_key: String::new(),
            forge_ts: String::new(),
            forged: None,
            forge_error: None,
        }
    }
}

/// Everything the page can do. Actions that read the clock carry it.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    EditPaste(String),
    Decode {
        now: i64,
    },
    EditSecret(String),
    AddFallback,
    RemoveFallback(u32),
    EditFallback(u32, String),
    EditMaxAge(String),
    ChooseTarget(Target),
    Verify {
        now: i64,
    },
    EditForgeJson(String),
    ForgeFromDecoded,
    ChooseKey(KeyChoice),
    EditOtherKey(String),
    EditForgeTimestamp(String),
    Sign {
        now: i64,
    },
    /// Puts the forged cookie into step 3 (Verify) and checks it.
    VerifyForged {
        now: i64,
    },
}

impl DecoderState {
    /// The JSON step 1 decoded, if it could.
    pub fn decoded_json(&self) -> Option<&String> {
        match &self.decoded {
            Some(Ok(d)) => d.json.as_ref().ok(),
            _ => None,
        }
    }

    fn fallback_keys(&self) -> Vec<String> {
        self.fallbacks.iter().map(|(_, k)| k.clone()).collect()
    }

    /// The cookie step 3 (Verify) would check now.
    pub fn target_cookie(&self) -> Option<String> {
        match self.target {
            Target::Pasted => Some(extract_cookie(&self.paste).1).filter(|c| !c.is_empty()),
            Target::Forged => self.forged.as_ref().map(|f| f.cookie.clone()),
        }
    }

    /// The label and key Sign would use.
    pub fn signing_key(&self) -> Result<(String, String), String> {
        let (label, key) = match self.key_choice {
            KeyChoice::Secret => ("SECRET_KEY".to_string(), self.secret.clone()),
            KeyChoice::Fallback(id) => {
                let row = self
                    .fallbacks
                    .iter()
                    .position(|(i, _)| *i == id)
                    .ok_or("the chosen fallback row was removed")?;
                (
                    format!("fallback {}", row + 1),
                    self.fallbacks[row].1.clone(),
                )
            }
            KeyChoice::Other => ("a key of your own".to_string(), self.other_key.clone()),
        };
        if key.is_empty() {
            return Err(format!("the key chosen ({label}) is empty"));
        }
        Ok((label, key))
    }

    fn forge_inputs(&self) -> (String, String, String) {
        let key = self.signing_key().map(|(_, k)| k).unwrap_or_default();
        (self.forge_json.clone(), key, self.forge_ts.clone())
    }

    /// Whether the forge inputs changed after the last Sign.
    pub fn forged_is_stale(&self) -> bool {
        self.forged
            .as_ref()
            .is_some_and(|f| f.inputs != self.forge_inputs())
    }

    fn run_verify(&mut self, now: i64) {
        let cookie = self.target_cookie();
        let mut order = vec!["SECRET_KEY".to_string()];
        order.extend(
            self.fallbacks
                .iter()
                .enumerate()
                .rev()
                .filter(|(_, (_, k))| !k.is_empty())
                .map(|(i, _)| format!("fallback {}", i + 1)),
        );
        let verdict = match (&cookie, parse_seconds(&self.max_age)) {
            (None, _) => Verdict::NotChecked(match self.target {
                Target::Pasted => "paste a cookie in step 1 first.".into(),
                Target::Forged => "there is no forged cookie yet: press Sign in step 4.".into(),
            }),
            (_, None) => {
                Verdict::NotChecked("the max age must be a whole number of seconds.".into())
            }
            (Some(c), Some(max_age)) => {
                verify(c, &self.secret, &self.fallback_keys(), max_age, now)
            }
        };
        self.report = Some(Report {
            target: self.target,
            cookie: cookie.unwrap_or_default(),
            verdict,
            order,
        });
    }

    fn sign(&mut self, now: i64) {
        let result = self.signing_key().and_then(|(label, key)| {
            let ts = parse_timestamp(&self.forge_ts, now)?;
            let (cookie, json) = forge(&self.forge_json, &key, ts)?;
            Ok(Forged {
                cookie,
                original: Some(extract_cookie(&self.paste).1).filter(|c| !c.is_empty()),
                key_label: label,
                key,
                timestamp: ts,
                json,
                inputs: self.forge_inputs(),
            })
        });
        match result {
            Ok(f) => {
                self.forged = Some(f);
                self.forge_error = None;
            }
            Err(e) => self.forge_error = Some(e),
        }
    }
}

impl DecoderState {
    /// What `action` does to the page's state: the decoder is this one transition.
    pub fn apply(&mut self, action: Action) {
        let s = self;
        match action {
            Action::EditPaste(t) => s.paste = t,
            Action::Decode { now } => {
                let previous = s.decoded_json().cloned();
                let decoded = decode(&s.paste, now);
                // Step 3 starts from the decoded session unless the learner has edited it.
                if let Ok(Decoded { json: Ok(j), .. }) = &decoded {
                    if s.forge_json.trim().is_empty() || Some(&s.forge_json) == previous.as_ref() {
                        s.forge_json = j.clone();
                    }
                }
                s.decoded = Some(decoded);
            }
            Action::EditSecret(t) => s.secret = t,
            Action::AddFallback => {
                s.fallbacks.push((s.next_row, String::new()));
                s.next_row += 1;
            }
            Action::RemoveFallback(id) => {
                s.fallbacks.retain(|(i, _)| *i != id);
                if s.key_choice == KeyChoice::Fallback(id) {
                    s.key_choice = KeyChoice::Secret;
                }
            }
            Action::EditFallback(id, t) => {
                if let Some(row) = s.fallbacks.iter_mut().find(|(i, _)| *i == id) {
                    row.1 = t;
                }
            }
            Action::EditMaxAge(t) => s.max_age = t,
            Action::ChooseTarget(t) => s.target = t,
            Action::Verify { now } => s.run_verify(now),
            Action::EditForgeJson(t) => s.forge_json = t,
            Action::ForgeFromDecoded => {
                if let Some(j) = s.decoded_json().cloned() {
                    s.forge_json = j;
                }
            }
            Action::ChooseKey(k) => s.key_choice = k,
            Action::EditOtherKey(t) => s.other_key = t,
            Action::EditForgeTimestamp(t) => s.forge_ts = t,
            Action::Sign { now } => s.sign(now),
            Action::VerifyForged { now } => {
                s.target = Target::Forged;
                s.run_verify(now);
            }
        }
    }
}
