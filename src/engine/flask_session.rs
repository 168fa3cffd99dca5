//! Flask-Session 0.8 server-side sessions (docs/flask-sessions.md section 3): the cookie carries
//! only a random session id (optionally signed), and the data lives in a [`SessionStore`] under
//! `SESSION_KEY_PREFIX + sid` with a timeout of `PERMANENT_SESSION_LIFETIME`.
//!
//! The store plays the part of Flask-Session's cachelib `FileSystemCache` backend (what the
//! tutorials configure with `SESSION_TYPE = "filesystem"`); the other backends' expiry rules
//! differ only in details the lab does not show.

pub mod store;

use crate::engine::flask::app::App;
use crate::engine::flask::config::{Config, ConfigValue};
use crate::engine::flask::sessions::{
    cookie_template, CookieVerdict, InterfaceKind, OpenError, Opened, Session, SessionInterface,
};
use crate::engine::flask_session::store::{SessionStore, StoreEntry, StorePage};
use crate::engine::itsdangerous::signing::{sign_plain, unsign_plain};
use crate::engine::py::case;
use crate::engine::py::secrets::{token_urlsafe, Rng};
use crate::engine::py::value::Dict;
use crate::engine::werkzeug::cookie::SetCookie;
use crate::engine::werkzeug::wrappers::{Request, Response};
use std::cell::RefCell;
use std::fmt;

/// The salt of Flask-Session's optional signer.
pub const SIGNER_SALT: &str = "flask-session";

/// `SESSION_TYPE` values Flask-Session 0.8 accepts (compared lower-cased).
pub const SESSION_TYPES: [&str; 7] = [
    "redis",
    "memcached",
    "filesystem",
    "cachelib",
    "mongodb",
    "sqlalchemy",
    "dynamodb",
];

/// Flask-Session's own keys with their 0.8.0 defaults (`flask_session.defaults.Defaults`).
pub fn default_settings() -> Vec<(&'static str, ConfigValue)> {
    vec![
        ("SESSION_TYPE", ConfigValue::Str("null".into())),
        ("SESSION_PERMANENT", ConfigValue::Bool(true)),
        ("SESSION_USE_SIGNER", ConfigValue::Bool(false)),
        ("SESSION_KEY_PREFIX", ConfigValue::Str("session:".into())),
        ("SESSION_ID_LENGTH", ConfigValue::Int(32)),
    ]
}

/// Why `Session(app)` refused to start. `Display` gives Python's `type: message` where
/// Flask-Session raises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartupError {
    /// `SESSION_TYPE` is not a `str`, so `.lower()` fails (`AttributeError`); `type_name` is
    /// Python's name for what it is.
    SessionTypeNotText { type_name: &'static str },
    /// `SESSION_TYPE`, lower-cased, is not one of [`SESSION_TYPES`] (`ValueError`): unset, it
    /// is Flask-Session's default `null`.
    UnrecognizedSessionType { session_type: String },
    /// `SESSION_ID_LENGTH` is not a whole number of bytes the lab can make (0 to 4096).
    BadSidLength { value: ConfigValue },
}

impl fmt::Display for StartupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartupError::SessionTypeNotText { type_name } => write!(
                f,
                "AttributeError: '{type_name}' object has no attribute 'lower'"
            ),
            StartupError::UnrecognizedSessionType { session_type } => write!(
                f,
                "ValueError: Unrecognized value for SESSION_TYPE: {session_type}"
            ),
            StartupError::BadSidLength { value } => write!(
                f,
                "SESSION_ID_LENGTH must be a number of bytes, not {value}"
            ),
        }
    }
}

impl std::error::Error for StartupError {}

/// The settings `Session(app)` reads once, at start-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub session_type: String,
    pub key_prefix: String,
    pub use_signer: bool,
    pub permanent: bool,
    pub sid_length: usize,
}

impl Settings {
    /// Reads Flask-Session's keys from the app config, failing as `Session(app)` does.
    pub fn from_config(config: &Config) -> Result<Settings, StartupError> {
        let defaults = default_settings();
        let get = |key: &str| {
            let default = defaults
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.clone())
                .expect("a Flask-Session key");
            config.get_or(key, default)
        };
        let session_type = match get("SESSION_TYPE") {
            ConfigValue::Str(s) => case::lower(&s),
            other => {
                return Err(StartupError::SessionTypeNotText {
                    type_name: py_type(&other),
                })
            }
        };
        if !SESSION_TYPES.contains(&session_type.as_str()) {
            return Err(StartupError::UnrecognizedSessionType { session_type });
        }
        let truthy = |v: ConfigValue| match v {
            ConfigValue::None => false,
            ConfigValue::Bool(b) => b,
            ConfigValue::Int(i) => i != 0,
            ConfigValue::Str(s) => !s.is_empty(),
            ConfigValue::List(l) => !l.is_empty(),
        };
        let key_prefix = match get("SESSION_KEY_PREFIX") {
            ConfigValue::Str(s) => s,
            other => other.to_string(),
        };
        let sid_length = match get("SESSION_ID_LENGTH") {
            ConfigValue::Int(n) if (0..=4096).contains(&n) => n as usize,
            other => return Err(StartupError::BadSidLength { value: other }),
        };
        Ok(Settings {
            session_type,
            key_prefix,
            use_signer: truthy(get("SESSION_USE_SIGNER")),
            permanent: truthy(get("SESSION_PERMANENT")),
            sid_length,
        })
    }
}

fn py_type(v: &ConfigValue) -> &'static str {
    match v {
        ConfigValue::None => "NoneType",
        ConfigValue::Bool(_) => "bool",
        ConfigValue::Int(_) => "int",
        ConfigValue::Str(_) => "str",
        ConfigValue::List(_) => "list",
    }
}

/// `Session(app)`: reads the settings and installs the server-side interface on `app`.
pub fn init_app(
    app: &mut App,
    store: Box<dyn SessionStore>,
    rng: Box<dyn Rng>,
) -> Result<(), StartupError> {
    let settings = Settings::from_config(&app.config)?;
    app.set_session_interface(Box::new(ServerSideSessionInterface::new(
        settings, store, rng,
    )));
    Ok(())
}

/// Flask-Session's `ServerSideSessionInterface` over a [`SessionStore`].
pub struct ServerSideSessionInterface {
    pub settings: Settings,
    store: RefCell<Box<dyn SessionStore>>,
    rng: RefCell<Box<dyn Rng>>,
}

impl fmt::Debug for ServerSideSessionInterface {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerSideSessionInterface")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl ServerSideSessionInterface {
    pub fn new(settings: Settings, store: Box<dyn SessionStore>, rng: Box<dyn Rng>) -> Self {
        ServerSideSessionInterface {
            settings,
            store: RefCell::new(store),
            rng: RefCell::new(rng),
        }
    }

    fn generate_sid(&self) -> String {
        token_urlsafe(self.rng.borrow_mut().as_mut(), self.settings.sid_length)
    }

    fn store_id(&self, sid: &str) -> String {
        format!("{}{sid}", self.settings.key_prefix)
    }

    fn fresh(&self, verdict: CookieVerdict) -> Opened {
        Opened {
            session: Session::server_side(
                Default::default(),
                self.generate_sid(),
                self.settings.permanent,
            ),
            verdict,
            notes: self.store.borrow_mut().take_notices(),
        }
    }

    /// The signing key for `SESSION_USE_SIGNER`; Flask-Session raises KeyError without one.
    fn signer_key<'c>(&self, config: &'c Config) -> Result<&'c str, OpenError> {
        config
            .secret_key
            .as_deref()
            .ok_or(OpenError::SignerWithoutSecretKey)
    }
}

impl SessionInterface for ServerSideSessionInterface {
    fn open_session(
        &self,
        config: &Config,
        request: &Request,
        now: i64,
    ) -> Result<Opened, OpenError> {
        let Some(mut sid) = request
            .cookie(&config.session_cookie_name)
            .filter(|v| !v.is_empty())
        else {
            return Ok(self.fresh(CookieVerdict::Absent));
        };
        if self.settings.use_signer {
            match unsign_plain(self.signer_key(config)?, SIGNER_SALT, &sid) {
                Ok(unsigned) => sid = unsigned,
                Err(e) => return Ok(self.fresh(CookieVerdict::Rejected(e))),
            }
        }
        let store_id = self.store_id(&sid);
        let found = self.store.borrow_mut().get(&store_id, now);
        match found {
            Some(data) => Ok(Opened {
                session: Session::server_side(data, sid, false),
                verdict: CookieVerdict::Valid {
                    key_index: 0,
                    timestamp: now,
                },
                notes: self.store.borrow_mut().take_notices(),
            }),
            // An unknown id is never adopted: a new one is made.
            None => Ok(self.fresh(CookieVerdict::UnknownSessionId)),
        }
    }

    fn save_session(&self, config: &Config, session: &Session, response: &mut Response, now: i64) {
        let Some(sid) = session.sid.as_deref() else {
            return;
        };
        let template = cookie_template(config);
        let store_id = self.store_id(sid);
        if session.accessed {
            response.add_vary("Cookie");
        }
        if session.is_empty_for_save() {
            if session.modified {
                self.store.borrow_mut().delete(&store_id);
                // Only domain and path are passed to delete_cookie here.
                let deletion = SetCookie {
                    name: template.name.clone(),
                    domain: template.domain.clone(),
                    path: template.path.clone(),
                    ..Default::default()
                };
                response.set_cookie(
                    SetCookie::deletion(&template.name, &deletion),
                    config.max_cookie_size,
                );
                response.add_vary("Cookie");
            }
            return;
        }
        if !(session.modified || config.session_refresh_each_request) {
            return;
        }
        // Always the permanent lifetime, permanent session or not
        // (docs/flask-sessions.md §3.1, save_session step 4).
        self.store.borrow_mut().set(
            &store_id,
            session.data(),
            config.permanent_session_lifetime,
            now,
        );
        response.log.extend(self.store.borrow_mut().take_notices());
        let permanent = session.is_permanent();
        if !(session.modified || (permanent && config.session_refresh_each_request)) {
            return;
        }
        let value = if self.settings.use_signer {
            match self.signer_key(config) {
                Ok(key) => sign_plain(key, SIGNER_SALT, sid),
                Err(e) => {
                    response.log.push(e.to_string());
                    return;
                }
            }
        } else {
            sid.to_string()
        };
        let cookie = SetCookie {
            value,
            expires: permanent.then(|| now + config.permanent_session_lifetime),
            // Flask-Session never sends Partitioned.
            partitioned: false,
            ..template
        };
        response.set_cookie(cookie, config.max_cookie_size);
        response.add_vary("Cookie");
    }

    fn regenerate(&self, session: &mut Session, _now: i64) {
        if session.is_empty_for_save() {
            return;
        }
        if let Some(old) = session.sid.clone() {
            self.store.borrow_mut().delete(&self.store_id(&old));
        }
        session.sid = Some(self.generate_sid());
        session.modified = true;
    }

    fn kind(&self) -> InterfaceKind {
        InterfaceKind::ServerSide
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn revoke(&self, sid: &str) -> bool {
        let key = self.store_id(sid);
        let mut store = self.store.borrow_mut();
        let existed = store.get(&key, i64::MIN).is_some();
        store.delete(&key);
        existed
    }
}

fn server_side(interface: &dyn SessionInterface) -> Option<&ServerSideSessionInterface> {
    interface
        .as_any()
        .downcast_ref::<ServerSideSessionInterface>()
}

/// What the server stores for `interface`, all of it: `None` when it is not Flask-Session's
/// (Flask's cookie sessions store nothing). This reads every entry; the lab's panel asks for
/// a [`store_page`].
pub fn store_entries(interface: &dyn SessionInterface, now: i64) -> Option<Vec<StoreEntry>> {
    Some(server_side(interface)?.store.borrow_mut().entries(now))
}

/// One page of what the server stores for `interface`, most recently written first (see
/// [`SessionStore::page`]): `None` when it is not Flask-Session's.
pub fn store_page(
    interface: &dyn SessionInterface,
    now: i64,
    offset: usize,
    limit: usize,
) -> Option<StorePage> {
    Some(
        server_side(interface)?
            .store
            .borrow_mut()
            .page(now, offset, limit),
    )
}

/// The data stored for the session id `sid` at `now`, looked up without changing the store:
/// `None` when `interface` is not Flask-Session's, `Some(None)` when the store has no live
/// entry for it.
pub fn stored_session(
    interface: &dyn SessionInterface,
    sid: &str,
    now: i64,
) -> Option<Option<Dict>> {
    let server_side = server_side(interface)?;
    let key = server_side.store_id(sid);
    let found = server_side.store.borrow_mut().peek(&key, now);
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each start-up failure's text, as the `String` error this enum replaced wrote it
    /// (captured from that code for the same settings).
    #[test]
    fn startup_errors_keep_their_text() {
        let start = |settings: &[(&str, ConfigValue)]| {
            let mut config = Config::default();
            for (key, value) in settings {
                config.set(key, value.clone()).unwrap();
            }
            Settings::from_config(&config).unwrap_err()
        };
        let filesystem = ("SESSION_TYPE", ConfigValue::Str("filesystem".into()));
        for (settings, error, message) in [
            (
                vec![("SESSION_TYPE", ConfigValue::None)],
                StartupError::SessionTypeNotText {
                    type_name: "NoneType",
                },
                "AttributeError: 'NoneType' object has no attribute 'lower'",
            ),
            (
                vec![("SESSION_TYPE", ConfigValue::Bool(false))],
                StartupError::SessionTypeNotText { type_name: "bool" },
                "AttributeError: 'bool' object has no attribute 'lower'",
            ),
            (
                // The misspelled key of seed 000: SESSION_TYPE keeps its default, "null".
                vec![("SESSION_T", ConfigValue::Str("filesystem".into()))],
                StartupError::UnrecognizedSessionType {
                    session_type: "null".into(),
                },
                "ValueError: Unrecognized value for SESSION_TYPE: null",
            ),
            (
                vec![("SESSION_TYPE", ConfigValue::Str("FileSystem2".into()))],
                StartupError::UnrecognizedSessionType {
                    session_type: "filesystem2".into(),
                },
                "ValueError: Unrecognized value for SESSION_TYPE: filesystem2",
            ),
            (
                vec![
                    filesystem.clone(),
                    ("SESSION_ID_LENGTH", ConfigValue::Int(-1)),
                ],
                StartupError::BadSidLength {
                    value: ConfigValue::Int(-1),
                },
                "SESSION_ID_LENGTH must be a number of bytes, not -1",
            ),
            (
                vec![
                    filesystem.clone(),
                    ("SESSION_ID_LENGTH", ConfigValue::Str("32".into())),
                ],
                StartupError::BadSidLength {
                    value: ConfigValue::Str("32".into()),
                },
                "SESSION_ID_LENGTH must be a number of bytes, not '32'",
            ),
        ] {
            assert_eq!(start(&settings), error, "{settings:?}");
            assert_eq!(error.to_string(), message);
        }
    }

    #[test]
    fn a_signer_without_a_secret_key_fails_like_flask_session() {
        use crate::engine::flask_session::store::MemoryStore;
        use crate::engine::py::secrets::SeededRng;
        let mut config = Config::default();
        config
            .set("SESSION_TYPE", ConfigValue::Str("filesystem".into()))
            .unwrap();
        config
            .set("SESSION_USE_SIGNER", ConfigValue::Bool(true))
            .unwrap();
        let interface = ServerSideSessionInterface::new(
            Settings::from_config(&config).unwrap(),
            Box::new(MemoryStore::default()),
            Box::new(SeededRng::new(1)),
        );
        let request = Request::get("/").with_header("Cookie", "session=abc.def");
        let error = interface
            .open_session(&config, &request, 1_700_000_001)
            .unwrap_err();
        assert_eq!(error, OpenError::SignerWithoutSecretKey);
        assert_eq!(
            error.to_string(),
            "KeyError: 'SECRET_KEY must be set when SESSION_USE_SIGNER=True'"
        );
    }
}
