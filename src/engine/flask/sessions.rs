//! The session object and Flask's client-side session interface (docs/flask-sessions.md §1.7 and
//! §1.8).

use crate::engine::flask::config::Config;
use crate::engine::flask::tagged_json::{self, TaggedJsonError};
use crate::engine::itsdangerous::signing::{Serializer, UnsignError};
use crate::engine::py::repr;
use crate::engine::py::value::{Dict, Value};
use crate::engine::werkzeug::cookie::SetCookie;
use crate::engine::werkzeug::exceptions::Abort;
use crate::engine::werkzeug::wrappers::{Request, Response};
use std::fmt;

/// The key behind `session.permanent`.
pub const PERMANENT_KEY: &str = "_permanent";

/// Flask's `RuntimeError` for writes to the null session (no `SECRET_KEY`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NullSessionError;

impl fmt::Display for NullSessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "RuntimeError: The session is unavailable because no secret key was set. \
             Set the secret_key on the application to something unique and secret.",
        )
    }
}

impl std::error::Error for NullSessionError {}

impl From<NullSessionError> for Abort {
    fn from(e: NullSessionError) -> Self {
        Abort::InternalServerError(e.to_string())
    }
}

/// A session as a view sees it: a dict that records whether it was read (`accessed`, which
/// adds `Vary: Cookie`) and changed (`modified`, which makes Flask send it).
///
/// Every method a view can call marks the session accessed, as going through Flask 3.1.3's
/// `flask.session` proxy does. Changes to nested values are not noticed, exactly as in Flask:
/// [`Session::get_mut`] exists to show that, and the view must set `modified` itself.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Session {
    data: Dict,
    pub modified: bool,
    pub accessed: bool,
    null: bool,
    /// Flask-Session's `ServerSideSession`: the id its cookie carries. `None` for Flask's own
    /// signed-cookie session.
    pub sid: Option<String>,
}

impl Session {
    pub fn new(data: Dict) -> Self {
        Session {
            data,
            ..Default::default()
        }
    }

    /// Flask-Session's `ServerSideSession(initial, sid, permanent)`: with `permanent`,
    /// `_permanent` is set without counting as a change.
    pub fn server_side(data: Dict, sid: String, permanent: bool) -> Self {
        let mut s = Session {
            data,
            sid: Some(sid),
            ..Default::default()
        };
        if permanent {
            s.data.insert(PERMANENT_KEY.into(), Value::Bool(true));
        }
        s
    }

    pub fn is_server_side(&self) -> bool {
        self.sid.is_some()
    }

    /// Whether the session counts as empty when saved: no keys at all for Flask; for
    /// Flask-Session also when `_permanent` is the only key (`ServerSideSession.__bool__`).
    pub fn is_empty_for_save(&self) -> bool {
        self.data.is_empty()
            || (self.is_server_side()
                && self.data.len() == 1
                && self.data.contains_key(PERMANENT_KEY))
    }

    /// Flask's `NullSession`: reads see an empty dict, writes fail.
    pub fn null() -> Self {
        Session {
            null: true,
            ..Default::default()
        }
    }

    pub fn is_null(&self) -> bool {
        self.null
    }

    /// The data, without counting as an access (what the session interface and inspectors use).
    pub fn data(&self) -> &Dict {
        &self.data
    }

    fn write(&mut self) -> Result<&mut Dict, NullSessionError> {
        self.accessed = true;
        if self.null {
            Err(NullSessionError)
        } else {
            Ok(&mut self.data)
        }
    }

    pub fn get(&mut self, key: &str) -> Option<&Value> {
        self.accessed = true;
        self.data.get(key)
    }

    /// A string value, as the tutorials read `session["user"]`.
    pub fn get_str(&mut self, key: &str) -> Option<String> {
        self.get(key).and_then(Value::as_str).map(str::to_string)
    }

    /// Mutable access to a nested value. This does **not** set `modified` (Flask cannot see
    /// in-place changes either).
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.accessed = true;
        self.data.get_mut(key)
    }

    pub fn contains(&mut self, key: &str) -> bool {
        self.accessed = true;
        self.data.contains_key(key)
    }

    pub fn len(&mut self) -> usize {
        self.accessed = true;
        self.data.len()
    }

    pub fn is_empty(&mut self) -> bool {
        self.len() == 0
    }

    /// `session[key] = value`: always marks modified, even with the same value.
    pub fn insert(&mut self, key: &str, value: impl Into<Value>) -> Result<(), NullSessionError> {
        self.write()?.insert(key.to_string(), value.into());
        self.modified = true;
        Ok(())
    }

    /// `session.pop(key, None)`: marks modified only when the key was there.
    pub fn pop(&mut self, key: &str) -> Result<Option<Value>, NullSessionError> {
        let old = self.write()?.remove(key);
        if old.is_some() {
            self.modified = true;
        }
        Ok(old)
    }

    /// `session.setdefault(key, value)`: marks modified only when the key was missing.
    pub fn setdefault(
        &mut self,
        key: &str,
        value: impl Into<Value>,
    ) -> Result<Value, NullSessionError> {
        let data = self.write()?;
        if let Some(v) = data.get(key) {
            return Ok(v.clone());
        }
        let v = value.into();
        data.insert(key.to_string(), v.clone());
        self.modified = true;
        Ok(v)
    }

    /// `session.clear()`: always marks modified, even when already empty. Flask-Session's
    /// `clear()` puts `_permanent` back afterwards (as `False` if it was not set), which leaves
    /// an "empty" session that is deleted on save.
    pub fn clear(&mut self) -> Result<(), NullSessionError> {
        let server_side = self.is_server_side();
        let data = self.write()?;
        let permanent = data
            .get(PERMANENT_KEY)
            .cloned()
            .unwrap_or(Value::Bool(false));
        data.clear();
        if server_side {
            data.insert(PERMANENT_KEY.into(), permanent);
        }
        self.modified = true;
        Ok(())
    }

    /// Replaces the data wholesale (a store reload, or a lab tool editing the session): not a
    /// change the app made, so neither flag moves.
    pub fn replace_data(&mut self, data: Dict) {
        self.data = data;
    }

    /// `session.permanent`: the truthiness of `_permanent`.
    pub fn permanent(&mut self) -> bool {
        self.get(PERMANENT_KEY).is_some_and(Value::is_truthy)
    }

    /// `session.permanent = value`: stores `_permanent` (and so marks modified).
    pub fn set_permanent(&mut self, permanent: bool) -> Result<(), NullSessionError> {
        self.insert(PERMANENT_KEY, permanent)
    }

    /// `session.permanent` as the interface reads it, without counting as an access.
    pub fn is_permanent(&self) -> bool {
        self.data.get(PERMANENT_KEY).is_some_and(Value::is_truthy)
    }
}

/// What can go wrong opening a session in a way Flask does not swallow: a correctly signed
/// cookie whose payload cannot be loaded (`BadPayload`) or made into a dict (see
/// `session_dict`), or Flask-Session's signer without a key: a 500 in Flask.
///
/// `Display` gives Python's `type: message` where Python raises, otherwise Session Lab's reason.
/// (Not `Eq`: [`OpenError::NonStringKey`] holds a [`Value`], which may be a float.)
#[derive(Debug, Clone, PartialEq)]
pub enum OpenError {
    /// The signed payload is not tagged JSON (itsdangerous `BadPayload`).
    BadPayload(TaggedJsonError),
    /// itsdangerous raised something other than `BadSignature` (see
    /// [`UnsignError::is_bad_signature`]), which Flask does not catch.
    Unsign(UnsignError),
    /// `dict(data)` on a value Python cannot iterate (`TypeError`); `type_name` is Python's.
    NotIterable { type_name: &'static str },
    /// `dict(data)`: item `index` is not a sequence (`TypeError`).
    NotASequence { index: usize },
    /// `dict(data)`: item `index` is a sequence of `len` items, not 2 (`ValueError`).
    WrongLength { index: usize, len: usize },
    /// `dict(data)`: a key Python cannot hash (`TypeError`); `type_name` is Python's.
    Unhashable { type_name: &'static str },
    /// Flask would make a session with this key, which is not a string and so not something
    /// Session Lab represents.
    NonStringKey { key: Value },
    /// Flask-Session with `SESSION_USE_SIGNER` and no `SECRET_KEY` (`KeyError`).
    SignerWithoutSecretKey,
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::BadPayload(e) => write!(f, "BadPayload: {e}"),
            OpenError::Unsign(e) => write!(f, "{e}"),
            OpenError::NotIterable { type_name } => {
                write!(f, "TypeError: '{type_name}' object is not iterable")
            }
            OpenError::NotASequence { index } => write!(
                f,
                "TypeError: cannot convert dictionary update sequence element #{index} to a \
                 sequence"
            ),
            OpenError::WrongLength { index, len } => write!(
                f,
                "ValueError: dictionary update sequence element #{index} has length {len}; 2 is \
                 required"
            ),
            OpenError::Unhashable { type_name } => {
                write!(f, "TypeError: unhashable type: '{type_name}'")
            }
            OpenError::NonStringKey { key } => write!(
                f,
                "Flask would load this session with the key {}, but Session Lab only \
                 represents string keys",
                repr::repr(key)
            ),
            OpenError::SignerWithoutSecretKey => {
                f.write_str("KeyError: 'SECRET_KEY must be set when SESSION_USE_SIGNER=True'")
            }
        }
    }
}

impl std::error::Error for OpenError {}

/// What happened to the incoming session cookie, for the lab to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CookieVerdict {
    /// No cookie (or an empty one) came in.
    Absent,
    /// It verified; `key_index` says which key (oldest first) matched.
    Valid { key_index: usize, timestamp: i64 },
    /// Flask ignored it and started an empty session.
    Rejected(UnsignError),
    /// A session cookie came in, but the app has no secret key, so there is no session at
    /// all.
    NoSecretKey,
    /// Server-side: the id is not in the store (expired, revoked, or made up), so a new
    /// session with a new id was started.
    UnknownSessionId,
}

/// Which kind of session interface an app runs, and so what it can and cannot do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterfaceKind {
    /// Flask's signed cookie: the data travels to the browser; the server keeps nothing and
    /// cannot revoke a cookie it has issued.
    ClientSide,
    /// Flask-Session: the cookie holds an id; the data stays in the server's store, which can
    /// drop it at any time.
    ServerSide,
}

impl InterfaceKind {
    /// Whether the server can end a session on its own (the point of seed 001's "encrypted"
    /// and seed 004's logout lessons).
    pub fn can_revoke(self) -> bool {
        self == InterfaceKind::ServerSide
    }
}

/// An opened session plus what the interface concluded about the cookie.
#[derive(Debug, Clone)]
pub struct Opened {
    pub session: Session,
    pub verdict: CookieVerdict,
    /// Anything the lab should say about how the data was read.
    pub notes: Vec<String>,
}

/// Flask's `SessionInterface`: open before the view, save after it.
pub trait SessionInterface {
    fn kind(&self) -> InterfaceKind;
    /// Flask-Session's `regenerate(session)`: a new id for a non-empty session (the defence
    /// against session fixation). Flask's cookie sessions have nothing to regenerate.
    fn regenerate(&self, _session: &mut Session, _now: i64) {}
    /// The interface as its own type, for code that knows the extension behind it (the lab
    /// looks into Flask-Session's store through `flask_session::store_entries`).
    fn as_any(&self) -> &dyn std::any::Any;
    /// Deletes a session on the server. Returns whether there was one; always false for
    /// client-side sessions, which the server cannot take back.
    fn revoke(&self, _sid: &str) -> bool {
        false
    }
    fn open_session(
        &self,
        config: &Config,
        request: &Request,
        now: i64,
    ) -> Result<Opened, OpenError>;
    fn save_session(&self, config: &Config, session: &Session, response: &mut Response, now: i64);
}

/// The cookie template Flask fills from config for both setting and deleting.
pub fn cookie_template(config: &Config) -> SetCookie {
    SetCookie {
        name: config.session_cookie_name.clone(),
        domain: config.session_cookie_domain.clone(),
        path: Some(config.cookie_path()),
        secure: config.session_cookie_secure,
        httponly: config.session_cookie_httponly,
        samesite: config.session_cookie_samesite,
        partitioned: config.session_cookie_partitioned,
        ..Default::default()
    }
}

/// Flask's default, `SecureCookieSessionInterface`: the whole session lives in a signed cookie.
#[derive(Debug, Clone, Copy, Default)]
pub struct SecureCookieSessionInterface;

impl SecureCookieSessionInterface {
    /// `get_signing_serializer`: None without a secret key.
    ///
    /// itsdangerous takes a list of keys, oldest first, signs with the last one and verifies
    /// against each, last first. Flask 3.1.1 and later pass `SECRET_KEY_FALLBACKS +
    /// [SECRET_KEY]`. With the lab's [`crate::engine::flask::config::LAB_FLASK_3_1_0`] switch on, the list is Flask 3.1.0's
    /// `[SECRET_KEY] + SECRET_KEY_FALLBACKS`: new cookies are signed with the last fallback
    /// (CVE-2025-47278). Either way every key verifies; [`CookieVerdict::Valid`]'s `key_index`
    /// counts in the list actually used.
    pub fn serializer(config: &Config) -> Option<Serializer> {
        let secret = config.secret_key.as_deref()?;
        let fallbacks = &config.secret_key_fallbacks;
        if config.flask_3_1_0_key_order() {
            if let Some((last, older)) = fallbacks.split_last() {
                let keys: Vec<String> = std::iter::once(secret.to_string())
                    .chain(older.iter().cloned())
                    .collect();
                return Some(Serializer::flask_session(last, &keys));
            }
        }
        Some(Serializer::flask_session(secret, fallbacks))
    }
}

impl SessionInterface for SecureCookieSessionInterface {
    fn kind(&self) -> InterfaceKind {
        InterfaceKind::ClientSide
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn open_session(
        &self,
        config: &Config,
        request: &Request,
        now: i64,
    ) -> Result<Opened, OpenError> {
        let Some(serializer) = Self::serializer(config) else {
            // A null session; the verdict speaks of a cookie only when one came in (an app
            // that never uses the session, like the plain-cookie site, has nothing to judge).
            let carried = request
                .cookie(&config.session_cookie_name)
                .is_some_and(|v| !v.is_empty());
            return Ok(Opened {
                session: Session::null(),
                verdict: if carried {
                    CookieVerdict::NoSecretKey
                } else {
                    CookieVerdict::Absent
                },
                notes: Vec::new(),
            });
        };
        let empty = |verdict| Opened {
            session: Session::default(),
            verdict,
            notes: Vec::new(),
        };
        let Some(value) = request
            .cookie(&config.session_cookie_name)
            .filter(|v| !v.is_empty())
        else {
            return Ok(empty(CookieVerdict::Absent));
        };
        match serializer.loads(&value, Some(config.permanent_session_lifetime), now) {
            Ok(unsigned) => {
                let (data, replaced) =
                    tagged_json::loads_lossy(&unsigned.json).map_err(OpenError::BadPayload)?;
                let notes = if replaced > 0 {
                    vec![format!(
                        "Session Lab note: the session holds {replaced} lone UTF-16 surrogate(s); \
                         Flask keeps them, Session Lab shows each as U+FFFD"
                    )]
                } else {
                    Vec::new()
                };
                Ok(Opened {
                    session: Session::new(session_dict(data)?),
                    verdict: CookieVerdict::Valid {
                        key_index: unsigned.key_index,
                        timestamp: unsigned.timestamp,
                    },
                    notes,
                })
            }
            // Not a BadSignature: itsdangerous raises something Flask does not catch.
            Err(e) if !e.is_bad_signature() => Err(OpenError::Unsign(e)),
            Err(e) => Ok(empty(CookieVerdict::Rejected(e))),
        }
    }

    fn save_session(&self, config: &Config, session: &Session, response: &mut Response, now: i64) {
        if session.is_null() {
            return;
        }
        if session.accessed {
            response.add_vary("Cookie");
        }
        let template = cookie_template(config);
        if session.is_empty_for_save() {
            if session.modified {
                response.set_cookie(
                    SetCookie::deletion(&template.name, &template),
                    config.max_cookie_size,
                );
                response.add_vary("Cookie");
            }
            return;
        }
        let permanent = session.is_permanent();
        if !(session.modified || (permanent && config.session_refresh_each_request)) {
            return;
        }
        let Some(serializer) = Self::serializer(config) else {
            return;
        };
        let value = serializer.dumps(&tagged_json::dumps_dict(session.data()), now.max(0) as u64);
        let cookie = SetCookie {
            value,
            expires: permanent.then(|| now + config.permanent_session_lifetime),
            ..template
        };
        response.set_cookie(cookie, config.max_cookie_size);
        response.add_vary("Cookie");
    }
}

/// `SecureCookieSession(data)` for whatever a correctly signed payload held: Werkzeug's
/// `CallbackDict` takes `None` as no data and otherwise calls `dict(data)`. So `null` (and a
/// `" d"` tag Werkzeug could not read, which is `None`) is an empty session, and so are `[]`,
/// `""` and `b""`; a list or tuple of pairs becomes a dict, later pairs winning. Where Python
/// raises, the exception escapes `open_session` and Flask answers 500; that is an
/// [`OpenError`] with Python's message.
///
/// Session Lab only represents string keys (`str`, or `Markup`, a `str` subclass that
/// compares and hashes as its text and is written back as a plain JSON key), so a payload
/// that would give Flask a session with, say, an `int` or `None` key is an [`OpenError`] too.
pub fn session_dict(data: Value) -> Result<Dict, OpenError> {
    let items = match data {
        Value::Null => return Ok(Dict::new()),
        Value::Dict(d) => return Ok(d),
        other => py_iter(other).map_err(|type_name| OpenError::NotIterable { type_name })?,
    };
    // dict(iterable): every item must be a sequence of exactly two, its first a hashable key.
    let mut pairs = Vec::with_capacity(items.len());
    for (n, item) in items.into_iter().enumerate() {
        let seq = py_iter(item).map_err(|_| OpenError::NotASequence { index: n })?;
        let [key, value] = <[Value; 2]>::try_from(seq).map_err(|seq| OpenError::WrongLength {
            index: n,
            len: seq.len(),
        })?;
        if let Some(type_name) = unhashable(&key) {
            return Err(OpenError::Unhashable { type_name });
        }
        pairs.push((key, value));
    }
    let mut dict = Dict::new();
    for (key, value) in pairs {
        match key {
            Value::Str(k) | Value::Markup(k) => {
                dict.insert(k, value);
            }
            other => return Err(OpenError::NonStringKey { key: other }),
        }
    }
    Ok(dict)
}

/// `iter(value)` run to the end, or the type name Python's `TypeError` gives. Iterating a
/// `Markup` yields plain `str` characters, bytes yield `int`s, and a dict yields its keys:
/// Python in JSON order, here in code-point order (the two agree for every payload Flask's
/// serializer writes, as it sorts keys).
fn py_iter(value: Value) -> Result<Vec<Value>, &'static str> {
    Ok(match value {
        Value::List(items) | Value::Tuple(items) => items,
        Value::Str(s) | Value::Markup(s) => s.chars().map(|c| Value::Str(c.into())).collect(),
        Value::Bytes(b) => b.into_iter().map(|x| Value::from(i64::from(x))).collect(),
        Value::Dict(d) => d.into_keys().map(Value::Str).collect(),
        Value::Null => return Err("NoneType"),
        Value::Bool(_) => return Err("bool"),
        Value::Int(_) => return Err("int"),
        Value::Float(_) => return Err("float"),
        Value::Uuid(_) => return Err("UUID"),
        Value::DateTime(_) => return Err("datetime.datetime"),
    })
}

/// The type Python's `hash()` refuses in `value`: lists and dicts, also inside tuples.
fn unhashable(value: &Value) -> Option<&'static str> {
    match value {
        Value::List(_) => Some("list"),
        Value::Dict(_) => Some("dict"),
        Value::Tuple(items) => items.iter().find_map(unhashable),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `repr(SecureCookieSession(TaggedJSONSerializer().loads(json)))`'s dict, or the error.
    fn open(json: &str) -> Result<String, String> {
        let value = tagged_json::loads(json).unwrap();
        session_dict(value)
            .map(|d| repr::repr(&Value::Dict(d)))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn non_dict_payloads_go_through_dict_like_flask() {
        // Each right-hand side is what Flask 3.1.3 gave (messages as `type: str(e)`).
        let ok = |s: &str| Ok(s.to_string());
        let err = |s: &str| Err(s.to_string());
        for (json, flask) in [
            ("null", ok("{}")),
            ("[]", ok("{}")),
            (r#""""#, ok("{}")),
            (r#"{" b":""}"#, ok("{}")),
            (r#"{" d":"junk"}"#, ok("{}")),
            (r#"[["Username","Bob"]]"#, ok("{'Username': 'Bob'}")),
            (r#"["ab"]"#, ok("{'a': 'b'}")),
            (r#"[["a",1],["a",2]]"#, ok("{'a': 2}")),
            (r#"{" t":[["a",1]]}"#, ok("{'a': 1}")),
            (r#"[{" m":"ab"}]"#, ok("{'a': 'b'}")),
            (r#"[{"a":1,"b":2}]"#, ok("{'a': 'b'}")),
            (
                r#""ab""#,
                err(
                    "ValueError: dictionary update sequence element #0 has length 1; 2 is required",
                ),
            ),
            (
                r#"[["a",1,2]]"#,
                err(
                    "ValueError: dictionary update sequence element #0 has length 3; 2 is required",
                ),
            ),
            ("1", err("TypeError: 'int' object is not iterable")),
            ("true", err("TypeError: 'bool' object is not iterable")),
            (
                r#"{" d":"Tue, 02 Jan 2024 03:04:05 GMT"}"#,
                err("TypeError: 'datetime.datetime' object is not iterable"),
            ),
            (
                "[null]",
                err(
                    "TypeError: cannot convert dictionary update sequence element #0 to a sequence",
                ),
            ),
            (
                r#"{" b":"YWI="}"#,
                err(
                    "TypeError: cannot convert dictionary update sequence element #0 to a sequence",
                ),
            ),
            ("[[[1],2]]", err("TypeError: unhashable type: 'list'")),
            (
                r#"[[{"a":1},2]]"#,
                err("TypeError: unhashable type: 'dict'"),
            ),
        ] {
            assert_eq!(open(json), flask, "{json}");
        }
        // Flask builds {1: 2} and {None: 1}; Session Lab cannot hold such keys.
        for json in ["[[1,2]]", "[[null,1]]", r#"[{" b":"YWI="}]"#] {
            assert!(open(json)
                .unwrap_err()
                .contains("only represents string keys"));
        }
    }

    /// Each kind of failure's text, as the `String` error this enum replaced wrote it
    /// (captured from that code for the same inputs); Flask's own answers are pinned above.
    #[test]
    fn every_open_error_keeps_its_text() {
        let dict_error = |json: &str| session_dict(tagged_json::loads(json).unwrap()).unwrap_err();
        for (json, error, message) in [
            (
                "1.5",
                OpenError::NotIterable { type_name: "float" },
                "TypeError: 'float' object is not iterable",
            ),
            (
                "[null]",
                OpenError::NotASequence { index: 0 },
                "TypeError: cannot convert dictionary update sequence element #0 to a sequence",
            ),
            (
                r#"[["a",1],["a",1,2]]"#,
                OpenError::WrongLength { index: 1, len: 3 },
                "ValueError: dictionary update sequence element #1 has length 3; 2 is required",
            ),
            (
                "[[[1,[2]],2]]",
                OpenError::Unhashable { type_name: "list" },
                "TypeError: unhashable type: 'list'",
            ),
            (
                "[[1.5,1]]",
                OpenError::NonStringKey {
                    key: Value::Float(1.5),
                },
                "Flask would load this session with the key 1.5, but Session Lab only represents \
                 string keys",
            ),
            (
                "[[true,1]]",
                OpenError::NonStringKey {
                    key: Value::Bool(true),
                },
                "Flask would load this session with the key True, but Session Lab only represents \
                 string keys",
            ),
        ] {
            assert_eq!(dict_error(json), error, "{json}");
            assert_eq!(error.to_string(), message);
        }

        // Through `open_session`: a correctly signed cookie Flask answers with a 500.
        let config = Config {
            secret_key: Some("k".into()),
            ..Config::default()
        };
        let serializer = SecureCookieSessionInterface::serializer(&config).unwrap();
        let open_error = |json: &str, timestamp: u64| {
            let cookie = serializer.dumps(json, timestamp);
            let request = Request::get("/").with_header("Cookie", &format!("session={cookie}"));
            SecureCookieSessionInterface
                .open_session(&config, &request, 1_700_000_001)
                .unwrap_err()
        };
        let e = open_error("{", 1_700_000_000);
        assert!(matches!(&e, OpenError::BadPayload(_)), "{e:?}");
        assert_eq!(
            e.to_string(),
            "BadPayload: Expecting property name enclosed in double quotes at char 1"
        );
        let e = open_error(r#"{"a":1}"#, 253_402_300_800);
        assert_eq!(
            e,
            OpenError::Unsign(UnsignError::TimestampOutOfRange {
                timestamp: 253_402_300_800
            })
        );
        assert_eq!(
            e.to_string(),
            "malformed timestamp: 253402300800 is after the year 9999, which Python's datetime \
             cannot hold (Flask answers such a cookie with a 500)"
        );
        assert_eq!(
            open_error("[1]", 1_700_000_000),
            OpenError::NotASequence { index: 0 }
        );
        assert_eq!(
            OpenError::SignerWithoutSecretKey.to_string(),
            "KeyError: 'SECRET_KEY must be set when SESSION_USE_SIGNER=True'"
        );
    }

    /// One request to an app that writes `user_name = "ada"` at 1_700_000_000, under `config`:
    /// the session cookie's value.
    fn signed_at_t0(config: &Config) -> String {
        let mut session = Session::new(Dict::new());
        session.insert("user_name", "ada").unwrap();
        let mut response = Response::html("ok");
        SecureCookieSessionInterface.save_session(config, &session, &mut response, 1_700_000_000);
        let line = response.set_cookies()[0].to_string();
        line.split(';').next().unwrap()["session=".len()..].to_string()
    }

    fn rotated(fallbacks: &[&str], flask_3_1_0: bool) -> Config {
        let mut config = Config::default();
        config
            .set(
                "SECRET_KEY",
                crate::engine::flask::config::ConfigValue::Str("june-key".into()),
            )
            .unwrap();
        config.secret_key_fallbacks = fallbacks.iter().map(|k| k.to_string()).collect();
        if flask_3_1_0 {
            config
                .set(
                    crate::engine::flask::config::LAB_FLASK_3_1_0,
                    crate::engine::flask::config::ConfigValue::Bool(true),
                )
                .unwrap();
        }
        config
    }

    /// CVE-2025-47278. Measured with the real packages (`time.time` patched to 1_700_000_000,
    /// `SECRET_KEY = "june-key"`, a view setting `session["user_name"] = "ada"`, Flask's test
    /// client): Flask 3.1.0 with `SECRET_KEY_FALLBACKS = ["march-key"]`, and also with
    /// `["jan-key", "march-key"]`, sent
    /// `eyJ1c2VyX25hbWUiOiJhZGEifQ.ZVPxAA.ag1CCqAqdhL_g8PsJawfSA6stKY`, which verifies under
    /// "march-key" alone; Flask 3.1.3 sent
    /// `eyJ1c2VyX25hbWUiOiJhZGEifQ.ZVPxAA.N6t8D2ZHat6H5h6KudAAm9AROAY`, which verifies under
    /// "june-key" alone.
    #[test]
    fn flask_3_1_0_signed_with_the_last_fallback() {
        const FLASK_3_1_0: &str = "eyJ1c2VyX25hbWUiOiJhZGEifQ.ZVPxAA.ag1CCqAqdhL_g8PsJawfSA6stKY";
        const FLASK_3_1_3: &str = "eyJ1c2VyX25hbWUiOiJhZGEifQ.ZVPxAA.N6t8D2ZHat6H5h6KudAAm9AROAY";
        for fallbacks in [&["march-key"][..], &["jan-key", "march-key"]] {
            assert_eq!(
                signed_at_t0(&rotated(fallbacks, true)),
                FLASK_3_1_0,
                "{fallbacks:?}"
            );
            assert_eq!(
                signed_at_t0(&rotated(fallbacks, false)),
                FLASK_3_1_3,
                "{fallbacks:?}"
            );
        }
        // Without fallbacks there is nothing to get wrong: both sign with SECRET_KEY.
        assert_eq!(signed_at_t0(&rotated(&[], true)), FLASK_3_1_3);
        // Which key verifies each cookie, as a decoder with one key at a time finds it.
        let alone = |key: &str| Serializer::flask_session(key, &[]);
        assert!(alone("march-key").verify_signature(FLASK_3_1_0).is_ok());
        assert!(alone("june-key").verify_signature(FLASK_3_1_0).is_err());
        assert!(alone("june-key").verify_signature(FLASK_3_1_3).is_ok());
        assert!(alone("march-key").verify_signature(FLASK_3_1_3).is_err());
    }

    /// Both key orders accept a cookie signed with any of the keys; only signing differs. The
    /// verdict's key_index counts in the list each version builds.
    #[test]
    fn both_key_orders_open_cookies_of_every_key() {
        let open = |config: &Config, cookie: &str| {
            let request = Request::get("/").with_header("Cookie", &format!("session={cookie}"));
            SecureCookieSessionInterface
                .open_session(config, &request, 1_700_000_001)
                .unwrap()
                .verdict
        };
        let by = |key: &str| Serializer::flask_session(key, &[]).dumps(r#"{"a":1}"#, 1_700_000_000);
        let valid = |key_index| CookieVerdict::Valid {
            key_index,
            timestamp: 1_700_000_000,
        };
        let fixed = rotated(&["jan-key", "march-key"], false);
        let old = rotated(&["jan-key", "march-key"], true);
        // 3.1.1+: [jan, march, june]; 3.1.0: [june, jan, march].
        assert_eq!(open(&fixed, &by("jan-key")), valid(0));
        assert_eq!(open(&fixed, &by("march-key")), valid(1));
        assert_eq!(open(&fixed, &by("june-key")), valid(2));
        assert_eq!(open(&old, &by("june-key")), valid(0));
        assert_eq!(open(&old, &by("jan-key")), valid(1));
        assert_eq!(open(&old, &by("march-key")), valid(2));
        for config in [&fixed, &old] {
            assert_eq!(
                open(config, &by("april-key")),
                CookieVerdict::Rejected(UnsignError::BadSignature)
            );
        }
        // Turning the switch off again is the upgrade: SECRET_KEY signs.
        let mut upgraded = old.clone();
        upgraded
            .set(
                crate::engine::flask::config::LAB_FLASK_3_1_0,
                crate::engine::flask::config::ConfigValue::Bool(false),
            )
            .unwrap();
        assert!(!upgraded.flask_3_1_0_key_order());
        assert_eq!(signed_at_t0(&upgraded), signed_at_t0(&fixed));
    }
}
