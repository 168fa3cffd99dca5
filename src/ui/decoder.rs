//! The cookie decoder: read a Flask session cookie without a key, check it with
//! `SECRET_KEY` and `SECRET_KEY_FALLBACKS`, and sign an edited copy. Three separate steps, each
//! with its own status, so a failed check never hides what decoding found, and nothing is
//! signed until the Sign button is pressed (the jwt.io confusions STYLE.md lists).
//!
//! All the work is plain functions over [`DecoderState`]; the component only renders it and
//! dispatches [`Action`]s. The clock is passed in with each action, never read by the reducer.

use crate::browser::clock::system_now;
use crate::engine::flask::tagged_json;
use crate::engine::itsdangerous::pybase64::urlsafe_decode;
use crate::engine::itsdangerous::signing::{
    decode_payload, Segments, Serializer, UnsignError, DEFAULT_MAX_AGE,
};
use crate::engine::py::datetime::{iso_utc, MAX_UNIX};
use crate::engine::py::repr::repr;
use crate::engine::py::value::Value;
use std::rc::Rc;
use web_sys::{HtmlElement, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

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
    /// The SECRET_KEY typed in step 2.
    Secret,
    /// A fallback row of step 2, by its row id.
    Fallback(u32),
    /// The key typed in step 3's own field.
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

/// Which cookie step 2 checks.
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
    /// Puts the forged cookie into step 2 and checks it.
    VerifyForged {
        now: i64,
    },
}

impl DecoderState {
    fn decoded_json(&self) -> Option<&String> {
        match &self.decoded {
            Some(Ok(d)) => d.json.as_ref().ok(),
            _ => None,
        }
    }

    fn fallback_keys(&self) -> Vec<String> {
        self.fallbacks.iter().map(|(_, k)| k.clone()).collect()
    }

    /// The cookie step 2 would check now.
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
                Target::Forged => "there is no forged cookie yet: press Sign in step 3.".into(),
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

impl Reducible for DecoderState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
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
        Rc::new(s)
    }
}

// ---------------------------------------------------------------------------------------------
// The page

type Handle = UseReducerHandle<DecoderState>;

/// The text of the `<input>` or `<textarea>` an event came from.
fn field_text(e: &InputEvent) -> String {
    if let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() {
        return t.value();
    }
    e.target_dyn_into::<HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
}

fn on_text(state: &Handle, action: impl Fn(String) -> Action + 'static) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |e: InputEvent| state.dispatch(action(field_text(&e))))
}

fn on_click(state: &Handle, action: impl Fn() -> Action + 'static) -> Callback<MouseEvent> {
    let state = state.clone();
    Callback::from(move |_| state.dispatch(action()))
}

fn on_submit(state: &Handle, action: impl Fn() -> Action + 'static) -> Callback<SubmitEvent> {
    let state = state.clone();
    Callback::from(move |e: SubmitEvent| {
        e.prevent_default();
        state.dispatch(action())
    })
}

/// The cookie with its three segments marked.
fn cookie_html(cookie: &str) -> Html {
    match Segments::split(cookie) {
        Ok(s) => html! {
            <>
                <span class="decoder-seg-payload">{ s.payload }</span>{ "." }
                <span class="decoder-seg-timestamp">{ s.timestamp }</span>{ "." }
                <span class="decoder-seg-signature">{ s.signature }</span>
            </>
        },
        Err(_) => html! { { cookie.to_string() } },
    }
}

#[function_component(Decoder)]
pub fn decoder() -> Html {
    let state = use_reducer(DecoderState::default);
    let verify_heading = use_node_ref();
    html! {
        <main class="page decoder">
            <header>
                <h1>{ "Cookie decoder" }</h1>
                <p class="lede">{ "Paste a Flask session cookie. Read it without any key, check its \
                    signature with the app's keys, or sign an edited copy. The three steps are \
                    separate, and each reports its own result." }</p>
                <p class="decoder-local" role="note">
                    <strong>{ "Stays in this page. " }</strong>
                    { "The decoding, checking and signing all run here, in your browser. The \
                       cookie and any keys you type are not sent anywhere." }
                </p>
            </header>
            { decode_step(&state) }
            { verify_step(&state, &verify_heading) }
            { forge_step(&state, &verify_heading) }
        </main>
    }
}

fn decode_step(state: &Handle) -> Html {
    let submit = on_submit(state, || Action::Decode { now: system_now() });
    // Enter decodes (a cookie has no line breaks); Shift+Enter still adds one.
    let on_key = {
        let state = state.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && !e.shift_key() {
                e.prevent_default();
                state.dispatch(Action::Decode { now: system_now() });
            }
        })
    };
    let (status_class, status_state, status_text) = match &state.decoded {
        None => ("decoder-status", "idle", String::new()),
        Some(Err(e)) => ("decoder-status bad", "error", e.clone()),
        Some(Ok(d)) if d.complete() => (
            "decoder-status good",
            "ok",
            "Decoded without any key: the payload and the timestamp are only encoded, not \
             encrypted."
                .to_string(),
        ),
        Some(Ok(_)) => (
            "decoder-status bad",
            "partial",
            "Partly decoded: some segments cannot be read, see below.".to_string(),
        ),
    };
    html! {
        <section class="decoder-step" aria-labelledby="decoder-decode-title">
            <h2 id="decoder-decode-title">{ "1. Decode" }<span class="decoder-tag">{ "no key needed" }</span></h2>
            <form class="decoder-form" onsubmit={submit}>
                <label for="decoder-cookie">{ "Session cookie" }</label>
                <textarea id="decoder-cookie" class="mono" rows="3" spellcheck="false"
                    autocomplete="off" placeholder="eyJ1c2VyX25hbWUiOiJBZG1pbiJ9.ZVPxAA.LVXaejlOPlbITReSd_RwqvGKoHE"
                    aria-describedby="decoder-cookie-help"
                    value={state.paste.clone()} oninput={on_text(state, Action::EditPaste)} onkeydown={on_key} />
                <p id="decoder-cookie-help" class="decoder-help">{ "The value alone, session=…, or a whole \
                    Cookie: or Set-Cookie: line from the browser's developer tools." }</p>
                <div class="decoder-actions"><button type="submit" id="decoder-decode">{ "Decode" }</button></div>
            </form>
            <p id="decoder-decode-status" class={status_class} role="status" data-state={status_state}>{ status_text }</p>
            if let Some(Ok(d)) = &state.decoded { { decoded_view(d) } }
        </section>
    }
}

fn decoded_view(d: &Decoded) -> Html {
    let time = match &d.time {
        Ok(t) => html! {
            <>
                <time id="decoder-time">{ date_text(*t) }</time>
                <span class="decoder-age">{ format!(" · {} · unix time {t}", age_text(d.now.saturating_sub(*t))) }</span>
            </>
        },
        Err(e) => html! { <span class="decoder-error">{ format!("Unreadable: {e}.") }</span> },
    };
    let signature = match d.signature_len {
        Ok(20) => "20 bytes: an HMAC-SHA1. Only the key can tell whether it is genuine (step 2)."
            .to_string(),
        Ok(n) => {
            format!("{n} bytes, but Flask's HMAC-SHA1 signatures are 20: no key will match it.")
        }
        Err(ref e) => format!("Unreadable: {e}."),
    };
    html! {
        <div class="decoder-decoded">
            if let Some(name) = &d.name {
                <p class="decoder-help">{ format!("Read the value of the cookie named {name:?} from what you pasted.") }</p>
            }
            <pre class="wire decoder-cookie" aria-label="The cookie, segment by segment">{ cookie_html(&d.cookie) }</pre>
            <dl class="segments decoder-segments">
                <dt><span class="decoder-key decoder-seg-payload">{ "payload" }</span></dt>
                <dd>
                    <code id="decoder-payload">{ d.payload.clone() }</code>
                    if d.compressed {
                        <span class="badge decoder-zlib" title="zlib-compressed">{ "zlib" }</span>
                    }
                    <div class="muted">{ if d.compressed {
                        "The leading '.' means compressed: base64url, then zlib, gives the JSON below."
                    } else {
                        "base64url of the JSON below."
                    } }</div>
                </dd>
                <dt><span class="decoder-key decoder-seg-timestamp">{ "timestamp" }</span></dt>
                <dd><code>{ d.timestamp.clone() }</code><div id="decoder-timestamp">{ time }</div></dd>
                <dt><span class="decoder-key decoder-seg-signature">{ "signature" }</span></dt>
                <dd><code>{ d.signature.clone() }</code><div class="muted">{ signature }</div></dd>
            </dl>
            <div class="decoder-views">
                <div>
                    <h3>{ "Session as tagged JSON" }</h3>
                    { match &d.json {
                        Ok(j) => html! { <pre class="wire" id="decoder-json">{ j.clone() }</pre> },
                        Err(e) => html! { <p class="decoder-error" id="decoder-json">{ format!("Unreadable payload: {e}.") }</p> },
                    } }
                </div>
                <div>
                    <h3>{ "Session in Python" }<span class="decoder-tag">{ "repr" }</span></h3>
                    { match &d.python {
                        Some(Ok(p)) => html! { <pre class="wire" id="decoder-python">{ p.clone() }</pre> },
                        Some(Err(e)) => html! { <p class="decoder-error" id="decoder-python">{ format!("Unreadable: {e}.") }</p> },
                        None => html! { <p class="empty" id="decoder-python">{ "Nothing to show." }</p> },
                    } }
                </div>
            </div>
        </div>
    }
}

fn verify_step(state: &Handle, heading: &NodeRef) -> Html {
    let submit = on_submit(state, || Action::Verify { now: system_now() });
    let max_age_hint = match parse_seconds(&state.max_age) {
        Some(s) => format!(
            "= {} (Flask's PERMANENT_SESSION_LIFETIME; default 31 days)",
            span(s)
        ),
        None => "Whole seconds, please.".to_string(),
    };
    let target = |t: Target| {
        let state = state.clone();
        Callback::from(move |_: Event| state.dispatch(Action::ChooseTarget(t)))
    };
    let has_forged = state.forged.is_some();
    let (status_class, verdict, text) = match &state.report {
        None => ("decoder-status", "", String::new()),
        Some(r) => (
            if r.verdict.is_valid() {
                "decoder-status good"
            } else {
                "decoder-status bad"
            },
            r.verdict.code(),
            r.verdict.message(),
        ),
    };
    html! {
        <section class="decoder-step" aria-labelledby="decoder-verify-title">
            <h2 id="decoder-verify-title" ref={heading.clone()} tabindex="-1">{ "2. Verify" }<span class="decoder-tag">{ "needs the key" }</span></h2>
            <form class="decoder-form" onsubmit={submit}>
                <fieldset class="decoder-choice">
                    <legend>{ "Cookie to check" }</legend>
                    <label><input type="radio" name="decoder-target" id="decoder-target-pasted"
                        checked={state.target == Target::Pasted} onchange={target(Target::Pasted)} />
                        { " the one in step 1" }</label>
                    <label><input type="radio" name="decoder-target" id="decoder-target-forged"
                        checked={state.target == Target::Forged} disabled={!has_forged} onchange={target(Target::Forged)} />
                        { if has_forged { " the forged one from step 3" } else { " the forged one from step 3 (none yet)" } }</label>
                </fieldset>
                <div class="decoder-grid">
                    <label for="decoder-secret">{ "SECRET_KEY" }</label>
                    <input id="decoder-secret" class="mono" autocomplete="off" spellcheck="false"
                        value={state.secret.clone()} oninput={on_text(state, Action::EditSecret)} />
                    <span class="decoder-label" id="decoder-fallbacks-label">{ "SECRET_KEY_FALLBACKS" }</span>
                    <div class="decoder-fallbacks" role="group" aria-labelledby="decoder-fallbacks-label">
                        if state.fallbacks.is_empty() {
                            <p class="decoder-help">{ "None. Add the keys the app used before a rotation: Flask still accepts cookies they signed." }</p>
                        }
                        { for state.fallbacks.iter().enumerate().map(|(n, (id, key))| {
                            let id = *id;
                            let input_id = format!("decoder-fallback-{id}");
                            html! {
                                <div class="decoder-row" key={id}>
                                    <label for={input_id.clone()}>{ format!("fallback {}", n + 1) }</label>
                                    <input id={input_id} class="mono decoder-fallback" autocomplete="off" spellcheck="false"
                                        value={key.clone()} oninput={on_text(state, move |t| Action::EditFallback(id, t))} />
                                    <button type="button" class="link" aria-label={format!("Remove fallback {}", n + 1)}
                                        onclick={on_click(state, move || Action::RemoveFallback(id))}>{ "Remove" }</button>
                                </div>
                            }
                        }) }
                        <div><button type="button" class="link" id="decoder-add-fallback"
                            onclick={on_click(state, || Action::AddFallback)}>{ "Add a fallback key" }</button></div>
                    </div>
                    <label for="decoder-max-age">{ "Max age (seconds)" }</label>
                    <div>
                        <input id="decoder-max-age" class="mono decoder-short" inputmode="numeric" autocomplete="off"
                            aria-describedby="decoder-max-age-hint"
                            value={state.max_age.clone()} oninput={on_text(state, Action::EditMaxAge)} />
                        <span id="decoder-max-age-hint" class="decoder-help">{ max_age_hint }</span>
                    </div>
                </div>
                <div class="decoder-actions"><button type="submit" id="decoder-verify">{ "Verify" }</button></div>
            </form>
            <p id="decoder-verify-status" class={status_class} role="status" data-verdict={verdict}>{ text }</p>
            if let Some(r) = &state.report {
                if !r.cookie.is_empty() {
                    <p class="decoder-help">
                        { match r.target { Target::Pasted => "Checked the cookie from step 1", Target::Forged => "Checked the forged cookie from step 3" } }
                        { format!(", trying {} in that order (the newest key first, as itsdangerous does).", r.order.join(", ")) }
                    </p>
                }
            }
        </section>
    }
}

fn forge_step(state: &Handle, verify_heading: &NodeRef) -> Html {
    let submit = on_submit(state, || Action::Sign { now: system_now() });
    let choose = |k: KeyChoice| {
        let state = state.clone();
        Callback::from(move |_: Event| state.dispatch(Action::ChooseKey(k)))
    };
    let focus_other = {
        let state = state.clone();
        Callback::from(move |_: FocusEvent| {
            if state.key_choice != KeyChoice::Other {
                state.dispatch(Action::ChooseKey(KeyChoice::Other))
            }
        })
    };
    let verify_forged = {
        let (state, heading) = (state.clone(), verify_heading.clone());
        Callback::from(move |_: MouseEvent| {
            state.dispatch(Action::VerifyForged { now: system_now() });
            if let Some(h) = heading.cast::<HtmlElement>() {
                h.focus().ok();
            }
        })
    };
    let ts = state.forge_ts.trim();
    let ts_hint = if ts.is_empty() || ts.eq_ignore_ascii_case("now") {
        "Empty: the moment you press Sign.".to_string()
    } else {
        match parse_timestamp(ts, 0) {
            Ok(t) => format!("= {}", iso_utc(t)),
            Err(e) => format!("Not usable: {e}."),
        }
    };
    let shown_key = |k: &str| {
        if k.is_empty() {
            "(empty)".to_string()
        } else {
            format!("{k:?}")
        }
    };
    let can_reset = state.decoded_json().is_some_and(|j| *j != state.forge_json);
    let (status_class, status_state, status_text) = match (&state.forge_error, &state.forged) {
        (Some(e), _) => ("decoder-status bad", "error", format!("Not signed: {e}.")),
        (None, Some(f)) => (
            "decoder-status good",
            "signed",
            format!(
                "Signed with {} {:?}. This cookie is forged: it was made here, not by the app.",
                f.key_label, f.key
            ),
        ),
        (None, None) => ("decoder-status", "idle", String::new()),
    };
    html! {
        <section class="decoder-step" aria-labelledby="decoder-forge-title">
            <h2 id="decoder-forge-title">{ "3. Forge" }<span class="decoder-tag">{ "needs the key" }</span></h2>
            <p class="decoder-help">{ "Edit the session and sign it yourself. With the app's real SECRET_KEY the \
                result is indistinguishable from a cookie the app made, which is why the key must stay secret. \
                Nothing is signed until you press Sign." }</p>
            <form class="decoder-form" onsubmit={submit}>
                <label for="decoder-forge-json">{ "Session (tagged JSON)" }</label>
                <textarea id="decoder-forge-json" class="mono" rows="4" spellcheck="false" autocomplete="off"
                    placeholder={r#"{"user_name":"Eve"}"#}
                    value={state.forge_json.clone()} oninput={on_text(state, Action::EditForgeJson)} />
                if can_reset {
                    <div><button type="button" class="link" id="decoder-forge-reset"
                        onclick={on_click(state, || Action::ForgeFromDecoded)}>{ "Start again from the decoded session" }</button></div>
                }
                <fieldset class="decoder-choice">
                    <legend>{ "Sign with" }</legend>
                    <label><input type="radio" name="decoder-key" id="decoder-key-secret"
                        checked={state.key_choice == KeyChoice::Secret} onchange={choose(KeyChoice::Secret)} />
                        { " SECRET_KEY from step 2 " }<code>{ shown_key(&state.secret) }</code></label>
                    { for state.fallbacks.iter().enumerate().map(|(n, (id, key))| html! {
                        <label key={*id}><input type="radio" name="decoder-key" id={format!("decoder-key-fallback-{id}")}
                            checked={state.key_choice == KeyChoice::Fallback(*id)} onchange={choose(KeyChoice::Fallback(*id))} />
                            { format!(" fallback {} from step 2 ", n + 1) }<code>{ shown_key(key) }</code></label>
                    }) }
                    <span class="decoder-other">
                        <label><input type="radio" name="decoder-key" id="decoder-key-other"
                            checked={state.key_choice == KeyChoice::Other} onchange={choose(KeyChoice::Other)} />
                            { " another key:" }</label>
                        <input id="decoder-other-key" class="mono" autocomplete="off" spellcheck="false"
                            aria-label="Another key to sign with" value={state.other_key.clone()}
                            onfocus={focus_other} oninput={on_text(state, Action::EditOtherKey)} />
                    </span>
                </fieldset>
                <div class="decoder-grid">
                    <label for="decoder-forge-ts">{ "Timestamp (unix seconds)" }</label>
                    <div>
                        <input id="decoder-forge-ts" class="mono decoder-short" inputmode="numeric" autocomplete="off"
                            placeholder="now" aria-describedby="decoder-forge-ts-hint"
                            value={state.forge_ts.clone()} oninput={on_text(state, Action::EditForgeTimestamp)} />
                        <span id="decoder-forge-ts-hint" class="decoder-help">{ ts_hint }</span>
                    </div>
                </div>
                <div class="decoder-actions"><button type="submit" id="decoder-sign">{ "Sign" }</button></div>
            </form>
            <p id="decoder-forge-status" class={status_class} role="status" data-state={status_state}>{ status_text }</p>
            if let Some(f) = &state.forged {
                if state.forged_is_stale() {
                    <p class="decoder-stale" id="decoder-forge-stale">{ "The inputs above changed after this cookie was \
                        signed. It has not been re-signed: press Sign to make a new one." }</p>
                }
                <div class="decoder-compare">
                    <figure class="decoder-card">
                        <figcaption>{ "Original" }<span class="decoder-tag">{ "from step 1" }</span></figcaption>
                        { match &f.original {
                            Some(c) => html! { <pre class="wire decoder-cookie" id="decoder-original-cookie">{ cookie_html(c) }</pre> },
                            None => html! { <p class="empty">{ "Nothing was pasted in step 1." }</p> },
                        } }
                    </figure>
                    <figure class="decoder-card decoder-forged">
                        <figcaption>{ "Forged" }<span class="badge warn">{ "forged" }</span></figcaption>
                        <pre class="wire decoder-cookie" id="decoder-forged-cookie">{ cookie_html(&f.cookie) }</pre>
                        <dl class="segments decoder-segments">
                            <dt>{ "key" }</dt><dd>{ format!("{} ", f.key_label) }<code>{ format!("{:?}", f.key) }</code></dd>
                            <dt>{ "signed at" }</dt><dd>{ format!("{} (unix time {})", date_text(f.timestamp), f.timestamp) }</dd>
                            <dt>{ "session" }</dt><dd><code>{ f.json.clone() }</code></dd>
                        </dl>
                        <button type="button" id="decoder-verify-forged" onclick={verify_forged}>{ "Verify the forged cookie" }</button>
                    </figure>
                </div>
            }
        </section>
    }
}
