//! The session object and Flask's client-side session interface (FORMATS.md 1.7 and 1.8).

use super::app::{Request, Response};
use super::config::Config;
use super::cookie::SetCookie;
use super::signing::{Serializer, UnsignError};
use super::tagged_json::{self, Dict, Value};
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
}

impl Session {
    pub fn new(data: Dict) -> Self {
        Session {
            data,
            ..Default::default()
        }
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

    /// `session.clear()`: always marks modified, even when already empty.
    pub fn clear(&mut self) -> Result<(), NullSessionError> {
        self.write()?.clear();
        self.modified = true;
        Ok(())
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
/// cookie whose payload cannot be loaded (`BadPayload`, a 500 in Flask).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenError(pub String);

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What happened to the incoming session cookie, for the lab to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CookieVerdict {
    /// No cookie (or an empty one) came in.
    Absent,
    /// It verified; `key_index` says which key (oldest first) matched.
    Valid { key_index: usize, timestamp: i64 },
    /// Flask ignored it and started an empty session.
    Rejected(UnsignError),
    /// The app has no secret key, so there is no session at all.
    NoSecretKey,
}

/// An opened session plus what the interface concluded about the cookie.
#[derive(Debug, Clone)]
pub struct Opened {
    pub session: Session,
    pub verdict: CookieVerdict,
}

/// Flask's `SessionInterface`: open before the view, save after it.
pub trait SessionInterface {
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
    pub fn serializer(config: &Config) -> Option<Serializer> {
        config
            .secret_key
            .as_deref()
            .map(|k| Serializer::flask_session(k, &config.secret_key_fallbacks))
    }
}

impl SessionInterface for SecureCookieSessionInterface {
    fn open_session(
        &self,
        config: &Config,
        request: &Request,
        now: i64,
    ) -> Result<Opened, OpenError> {
        let Some(serializer) = Self::serializer(config) else {
            return Ok(Opened {
                session: Session::null(),
                verdict: CookieVerdict::NoSecretKey,
            });
        };
        let empty = |verdict| Opened {
            session: Session::default(),
            verdict,
        };
        let Some(value) = request
            .cookie(&config.session_cookie_name)
            .filter(|v| !v.is_empty())
        else {
            return Ok(empty(CookieVerdict::Absent));
        };
        match serializer.loads(&value, Some(config.permanent_session_lifetime), now) {
            Ok(unsigned) => {
                let data = tagged_json::loads_dict(&unsigned.json)
                    .map_err(|e| OpenError(format!("BadPayload: {e}")))?;
                Ok(Opened {
                    session: Session::new(data),
                    verdict: CookieVerdict::Valid {
                        key_index: unsigned.key_index,
                        timestamp: unsigned.timestamp,
                    },
                })
            }
            Err(UnsignError::BadPayload(e)) => Err(OpenError(format!("BadPayload: {e}"))),
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
        if session.data().is_empty() {
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
