//! Flask's session-related configuration, by Flask's key names, with Flask 3.1.3's defaults
//! (docs/flask-sessions.md §1.9).

use crate::engine::py::repr::str_repr as py_str_repr;
use crate::engine::werkzeug::cookie::SameSite;
use std::fmt;

/// A config value as Python would hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigValue {
    None,
    Bool(bool),
    Int(i64),
    Str(String),
    List(Vec<String>),
}

impl fmt::Display for ConfigValue {
    /// Python `repr`, for showing settings the way `app.config` would.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigValue::None => f.write_str("None"),
            ConfigValue::Bool(true) => f.write_str("True"),
            ConfigValue::Bool(false) => f.write_str("False"),
            ConfigValue::Int(i) => write!(f, "{i}"),
            ConfigValue::Str(s) => write!(f, "{}", py_str_repr(s)),
            ConfigValue::List(items) => {
                let inner: Vec<String> = items.iter().map(|s| py_str_repr(s)).collect();
                write!(f, "[{}]", inner.join(", "))
            }
        }
    }
}

/// Why a setting was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// One of Flask's keys ([`KEYS`]) given a value of a type (or range) it does not take.
    WrongType { key: String, value: ConfigValue },
    /// `SESSION_COOKIE_SAMESITE` is text but not `Strict`, `Lax` or `None` (any case): Werkzeug's
    /// `ValueError` from `dump_cookie`.
    InvalidSameSite { value: String },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::WrongType { key, value } => write!(
                f,
                "{key} cannot be {value}: see Flask's documentation for its type"
            ),
            // The text of `SameSite::parse`'s error (a test keeps the two the same).
            ConfigError::InvalidSameSite { .. } => {
                f.write_str("SameSite must be 'Strict', 'Lax', or 'None'.")
            }
        }
    }
}

impl std::error::Error for ConfigError {}

/// The keys of Flask 3.1.3's `default_config` that decide how the session cookie behaves.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// `SECRET_KEY` (default None: sessions are unavailable, see [`crate::engine::flask::sessions`]).
    pub secret_key: Option<String>,
    /// `SECRET_KEY_FALLBACKS` (default None): old keys still accepted, oldest first.
    pub secret_key_fallbacks: Vec<String>,
    /// `SESSION_COOKIE_NAME` (default `session`).
    pub session_cookie_name: String,
    /// `SESSION_COOKIE_DOMAIN` (default None).
    pub session_cookie_domain: Option<String>,
    /// `SESSION_COOKIE_PATH` (default None: falls back to `APPLICATION_ROOT`).
    pub session_cookie_path: Option<String>,
    /// `APPLICATION_ROOT` (default `/`).
    pub application_root: String,
    /// `SESSION_COOKIE_HTTPONLY` (default True).
    pub session_cookie_httponly: bool,
    /// `SESSION_COOKIE_SECURE` (default False).
    pub session_cookie_secure: bool,
    /// `SESSION_COOKIE_SAMESITE` (default None).
    pub session_cookie_samesite: Option<SameSite>,
    /// `SESSION_COOKIE_PARTITIONED` (default False; forces Secure).
    pub session_cookie_partitioned: bool,
    /// `PERMANENT_SESSION_LIFETIME` in whole seconds (default 31 days).
    pub permanent_session_lifetime: i64,
    /// `SESSION_REFRESH_EACH_REQUEST` (default True).
    pub session_refresh_each_request: bool,
    /// `MAX_COOKIE_SIZE` (default 4093; 0 turns the warning off).
    pub max_cookie_size: usize,
    /// Every other key set on `app.config`, as Flask keeps any key you give it: extension
    /// settings (`SESSION_TYPE`, `REMEMBER_COOKIE_DURATION`, ...) and misspelled ones alike.
    pub extra: std::collections::BTreeMap<String, ConfigValue>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            secret_key: None,
            secret_key_fallbacks: Vec::new(),
            session_cookie_name: "session".into(),
            session_cookie_domain: None,
            session_cookie_path: None,
            application_root: "/".into(),
            session_cookie_httponly: true,
            session_cookie_secure: false,
            session_cookie_samesite: None,
            session_cookie_partitioned: false,
            permanent_session_lifetime: 31 * 24 * 60 * 60,
            session_refresh_each_request: true,
            max_cookie_size: 4093,
            extra: Default::default(),
        }
    }
}

/// Every key [`Config`] holds, in Flask's `default_config` order.
pub const KEYS: [&str; 13] = [
    "SECRET_KEY",
    "SECRET_KEY_FALLBACKS",
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_DOMAIN",
    "SESSION_COOKIE_PATH",
    "APPLICATION_ROOT",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_PARTITIONED",
    "PERMANENT_SESSION_LIFETIME",
    "SESSION_REFRESH_EACH_REQUEST",
    "MAX_COOKIE_SIZE",
];

/// A key of Session Lab's, not Flask's: when `True`, the signed-cookie session builds its key
/// list as Flask 3.1.0 did, `[SECRET_KEY] + SECRET_KEY_FALLBACKS`, so itsdangerous signs new
/// cookies with the last fallback instead of `SECRET_KEY` (CVE-2025-47278, fixed in Flask
/// 3.1.1 by GHSA-4grg-w6v8-c28g). Unset or `False` is Flask 3.1.1 and later. Flask itself never
/// reads this key; the lab keeps it with the other unknown keys in [`Config::extra`].
pub const LAB_FLASK_3_1_0: &str = "LAB_FLASK_3_1_0";

fn opt_str(v: &Option<String>) -> ConfigValue {
    v.clone().map_or(ConfigValue::None, ConfigValue::Str)
}

impl Config {
    /// `app.config[key]`.
    pub fn get(&self, key: &str) -> Option<ConfigValue> {
        Some(match key {
            "SECRET_KEY" => opt_str(&self.secret_key),
            "SECRET_KEY_FALLBACKS" if self.secret_key_fallbacks.is_empty() => ConfigValue::None,
            "SECRET_KEY_FALLBACKS" => ConfigValue::List(self.secret_key_fallbacks.clone()),
            "SESSION_COOKIE_NAME" => ConfigValue::Str(self.session_cookie_name.clone()),
            "SESSION_COOKIE_DOMAIN" => opt_str(&self.session_cookie_domain),
            "SESSION_COOKIE_PATH" => opt_str(&self.session_cookie_path),
            "APPLICATION_ROOT" => ConfigValue::Str(self.application_root.clone()),
            "SESSION_COOKIE_HTTPONLY" => ConfigValue::Bool(self.session_cookie_httponly),
            "SESSION_COOKIE_SECURE" => ConfigValue::Bool(self.session_cookie_secure),
            "SESSION_COOKIE_SAMESITE" => self
                .session_cookie_samesite
                .map_or(ConfigValue::None, |s| ConfigValue::Str(s.as_str().into())),
            "SESSION_COOKIE_PARTITIONED" => ConfigValue::Bool(self.session_cookie_partitioned),
            "PERMANENT_SESSION_LIFETIME" => ConfigValue::Int(self.permanent_session_lifetime),
            "SESSION_REFRESH_EACH_REQUEST" => ConfigValue::Bool(self.session_refresh_each_request),
            "MAX_COOKIE_SIZE" => ConfigValue::Int(self.max_cookie_size as i64),
            other => return self.extra.get(other).cloned(),
        })
    }

    /// `app.config[key] = value`, with the type Flask expects checked up front (Flask itself
    /// would fail later, at the first request).
    pub fn set(&mut self, key: &str, value: ConfigValue) -> Result<(), ConfigError> {
        use ConfigValue as V;
        let wrong = || {
            Err(ConfigError::WrongType {
                key: key.to_string(),
                value: value.clone(),
            })
        };
        let text_or_none = |v: &ConfigValue| match v {
            V::None => Some(None),
            V::Str(s) => Some(Some(s.clone())),
            _ => None,
        };
        match (key, &value) {
            ("SECRET_KEY", v) => match text_or_none(v) {
                Some(k) => self.secret_key = k.filter(|k| !k.is_empty()),
                None => return wrong(),
            },
            ("SECRET_KEY_FALLBACKS", V::None) => self.secret_key_fallbacks.clear(),
            ("SECRET_KEY_FALLBACKS", V::List(keys)) => self.secret_key_fallbacks = keys.clone(),
            ("SESSION_COOKIE_NAME", V::Str(s)) if !s.is_empty() => {
                self.session_cookie_name = s.clone()
            }
            ("SESSION_COOKIE_DOMAIN", v) => match text_or_none(v) {
                Some(d) => self.session_cookie_domain = d.filter(|d| !d.is_empty()),
                None => return wrong(),
            },
            ("SESSION_COOKIE_PATH", v) => match text_or_none(v) {
                Some(p) => self.session_cookie_path = p,
                None => return wrong(),
            },
            ("APPLICATION_ROOT", V::Str(s)) => self.application_root = s.clone(),
            ("SESSION_COOKIE_HTTPONLY", V::Bool(b)) => self.session_cookie_httponly = *b,
            ("SESSION_COOKIE_SECURE", V::Bool(b)) => self.session_cookie_secure = *b,
            ("SESSION_COOKIE_SAMESITE", V::None) => self.session_cookie_samesite = None,
            ("SESSION_COOKIE_SAMESITE", V::Str(s)) => {
                self.session_cookie_samesite = Some(
                    SameSite::parse(s)
                        .map_err(|_| ConfigError::InvalidSameSite { value: s.clone() })?,
                )
            }
            ("SESSION_COOKIE_PARTITIONED", V::Bool(b)) => self.session_cookie_partitioned = *b,
            ("PERMANENT_SESSION_LIFETIME", V::Int(s)) => self.permanent_session_lifetime = *s,
            ("SESSION_REFRESH_EACH_REQUEST", V::Bool(b)) => self.session_refresh_each_request = *b,
            ("MAX_COOKIE_SIZE", V::Int(n)) if *n >= 0 => self.max_cookie_size = *n as usize,
            _ if !KEYS.contains(&key) => {
                self.extra.insert(key.to_string(), value);
            }
            _ => return wrong(),
        }
        Ok(())
    }

    /// Every key with its current value, for display: Flask's session keys, then the rest.
    pub fn entries(&self) -> Vec<(String, ConfigValue)> {
        KEYS.iter()
            .map(|k| {
                (
                    k.to_string(),
                    self.get(k).expect("every key in KEYS is known"),
                )
            })
            .chain(self.extra.iter().map(|(k, v)| (k.clone(), v.clone())))
            .collect()
    }

    /// An extension's setting, or its default when unset (`app.config.get(key, default)`).
    pub fn get_or(&self, key: &str, default: ConfigValue) -> ConfigValue {
        self.get(key).unwrap_or(default)
    }

    /// Whether the lab's [`LAB_FLASK_3_1_0`] switch is on: the session signs as Flask 3.1.0 did.
    pub fn flask_3_1_0_key_order(&self) -> bool {
        self.extra.get(LAB_FLASK_3_1_0) == Some(&ConfigValue::Bool(true))
    }

    /// The cookie path Flask uses: `SESSION_COOKIE_PATH` or else `APPLICATION_ROOT`.
    pub fn cookie_path(&self) -> String {
        self.session_cookie_path
            .clone()
            .unwrap_or_else(|| self.application_root.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_bad_values_are_refused() {
        let mut c = Config::default();
        for (k, v) in c.clone().entries() {
            c.set(&k, v).unwrap();
        }
        assert_eq!(c, Config::default());
        assert!(c
            .set(
                "SESSION_COOKIE_SAMESITE",
                ConfigValue::Str("sometimes".into())
            )
            .is_err());
        assert!(c.set("SESSION_COOKIE_SECURE", ConfigValue::Int(1)).is_err());
        // Flask keeps keys it does not know, misspelled ones included.
        c.set("SESSION_T", ConfigValue::Str("file".into())).unwrap();
        assert_eq!(c.get("SESSION_T"), Some(ConfigValue::Str("file".into())));
    }

    /// Each refusal's text, as the `String` error this enum replaced wrote it (captured from
    /// that code for the same settings).
    #[test]
    fn refusals_keep_their_text() {
        let mut c = Config::default();
        for (key, value, message) in [
            (
                "SESSION_COOKIE_SECURE",
                ConfigValue::Int(1),
                "SESSION_COOKIE_SECURE cannot be 1: see Flask's documentation for its type",
            ),
            (
                "SECRET_KEY",
                ConfigValue::Bool(true),
                "SECRET_KEY cannot be True: see Flask's documentation for its type",
            ),
            (
                "SESSION_COOKIE_NAME",
                ConfigValue::Str(String::new()),
                "SESSION_COOKIE_NAME cannot be '': see Flask's documentation for its type",
            ),
            (
                "SECRET_KEY_FALLBACKS",
                ConfigValue::Str("it's".into()),
                "SECRET_KEY_FALLBACKS cannot be \"it's\": see Flask's documentation for its type",
            ),
            (
                "SESSION_COOKIE_PATH",
                ConfigValue::List(vec!["a".into(), "b'c".into()]),
                "SESSION_COOKIE_PATH cannot be ['a', \"b'c\"]: see Flask's documentation for its \
                 type",
            ),
            (
                "PERMANENT_SESSION_LIFETIME",
                ConfigValue::None,
                "PERMANENT_SESSION_LIFETIME cannot be None: see Flask's documentation for its type",
            ),
        ] {
            let error = c.set(key, value.clone()).unwrap_err();
            assert_eq!(
                error,
                ConfigError::WrongType {
                    key: key.into(),
                    value
                }
            );
            assert_eq!(error.to_string(), message);
        }
        let error = c
            .set(
                "SESSION_COOKIE_SAMESITE",
                ConfigValue::Str("sometimes".into()),
            )
            .unwrap_err();
        assert_eq!(
            error,
            ConfigError::InvalidSameSite {
                value: "sometimes".into()
            }
        );
        assert_eq!(
            error.to_string(),
            "SameSite must be 'Strict', 'Lax', or 'None'."
        );
        // Werkzeug's message, which `SameSite::parse` also gives.
        assert_eq!(Err(error.to_string()), SameSite::parse("sometimes"));
    }
}
