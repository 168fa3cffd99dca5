//! Flask-Login 0.6.3 (docs/flask-sessions.md section 4), ported from `flask_login/utils.py`,
//! `login_manager.py`, `config.py` and `mixins.py` statement by statement, so that the session
//! keys, the `remember_token` cookie, the redirects and the flashed message are the ones the real
//! package produces.
//!
//! Python's module-level helpers take the request context implicitly; here they take the
//! [`Ctx`] of the running view. What raises in Python returns `Err(Abort)` here: a
//! `BadRequestKeyError` from a loader is a 400, anything else a 500 whose text is what Flask
//! would log.
//!
//! Not ported: the deprecated `header_loader` (so `AUTH_HEADER_NAME` does nothing),
//! `blueprint_login_views`, `localize_callback`, a custom `anonymous_user` class or
//! `id_attribute`, and the signals. `login_view` must be a URL (see
//! [`LoginManager::login_view`]). Known differences, all on misconfiguration: a
//! `REMEMBER_COOKIE_SECURE`/`_HTTPONLY` that is not a bool counts by its truth value (Werkzeug
//! writes it out, as in `Secure=1`), other wrongly typed `REMEMBER_COOKIE_*` values are 500s
//! whose text may differ from Python's, and when the remember-cookie hook fails twice in one
//! request Flask does not save the session but [`App::handle`] does.
//!
//! ```
//! use session_lab::engine::flask::app::App;
//! use session_lab::engine::werkzeug::wrappers::{Request, Response};
//! use session_lab::engine::flask::config::ConfigValue;
//! use session_lab::engine::flask_login::{LoginManager, User, current_user, login_required, login_user};
//!
//! let mut app = App::new("demo");
//! app.config.set("SECRET_KEY", ConfigValue::Str("dev-secret".into())).unwrap();
//! let mut lm = LoginManager::new();
//! lm.user_loader(|id| (id == "1").then(|| User::new(id)));
//! lm.login_view = Some("/login".into());
//! lm.init_app(&mut app);
//! app.route("/login", &["GET"], |ctx| {
//!     login_user(ctx, &User::new("1"), true, None, false, true)?;
//!     Ok(Response::html("in"))
//! });
//! app.route("/secret", &["GET"], login_required(|ctx| {
//!     Ok(Response::html(format!("hi {}", current_user(ctx)?.id)))
//! }));
//! let r = app.handle(&Request::get("/secret?x=1&y=a%20b"), 1_700_000_000);
//! assert_eq!(r.header("Location"), Some("/login?next=%2Fsecret%3Fx%3D1%26y%3Da%2520b"));
//! let r = app.handle(&Request::get("/login"), 1_700_000_000);
//! assert!(r.set_cookies()[0].starts_with("remember_token=1|f9dcf5cd"));
//! ```

use crate::engine::flask::app::{App, Ctx, ViewResult};
use crate::engine::flask::config::{Config, ConfigValue};
use crate::engine::py::repr::{bytes_repr, str_of};
use crate::engine::py::value::Value;
use crate::engine::werkzeug::cookie::{SameSite, SetCookie};
use crate::engine::werkzeug::exceptions::Abort;
use crate::engine::werkzeug::urls::{self, urlsplit, urlunsplit};
use crate::engine::werkzeug::wrappers::{parse_qs, Request, Response};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha512};
use std::fmt::Write as _;

/// `config.COOKIE_NAME`: the default `REMEMBER_COOKIE_NAME`.
pub const COOKIE_NAME: &str = "remember_token";
/// `config.COOKIE_DURATION`: 365 days, in seconds.
pub const COOKIE_DURATION: i64 = 365 * 24 * 60 * 60;
/// `config.LOGIN_MESSAGE`.
pub const LOGIN_MESSAGE: &str = "Please log in to access this page.";
/// `config.REFRESH_MESSAGE`.
pub const REFRESH_MESSAGE: &str = "Please reauthenticate to access this page.";
/// `config.LOGIN_MESSAGE_CATEGORY` and `REFRESH_MESSAGE_CATEGORY`.
pub const MESSAGE_CATEGORY: &str = "message";
/// `config.SESSION_KEYS`: what strong session protection removes.
pub const SESSION_KEYS: [&str; 6] = [
    "_user_id",
    "_remember",
    "_remember_seconds",
    "_id",
    "_fresh",
    "next",
];
/// `REMOTE_ADDR` as Flask's test client sets it; [`Request`] carries no peer address, so this
/// stands in for it when there is no `X-Forwarded-For`.
pub const REMOTE_ADDR: &str = "127.0.0.1";

/// A user as Flask-Login sees one. [`User::new`] is a `UserMixin` subclass with an `id`
/// attribute (active, so authenticated); [`User::anonymous`] is `AnonymousUserMixin`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// `user.id` (`get_id()` returns it; empty for the anonymous user, who has none).
    pub id: String,
    pub is_authenticated: bool,
    pub is_active: bool,
    pub is_anonymous: bool,
}

impl User {
    /// `UserMixin` with `id`: `is_active` True, `is_authenticated` = `is_active`.
    pub fn new(id: impl Into<String>) -> User {
        User {
            id: id.into(),
            is_authenticated: true,
            is_active: true,
            is_anonymous: false,
        }
    }

    /// A `UserMixin` user whose `is_active` property returns False (so `is_authenticated` is
    /// False too, and `login_user` refuses it unless forced).
    pub fn inactive(id: impl Into<String>) -> User {
        User {
            is_authenticated: false,
            is_active: false,
            ..User::new(id)
        }
    }

    /// `AnonymousUserMixin()`: what `current_user` is when nobody is logged in.
    pub fn anonymous() -> User {
        User {
            id: String::new(),
            is_authenticated: false,
            is_active: false,
            is_anonymous: true,
        }
    }

    /// `user.get_id()`: `str(self.id)` for `UserMixin`, None for the anonymous user.
    pub fn get_id(&self) -> Option<&str> {
        (!self.is_anonymous).then_some(self.id.as_str())
    }
}

/// `@login_manager.user_loader`: a user id (always a `str`) to a user, or None.
pub type UserLoader = Box<dyn Fn(&str) -> Option<User>>;
/// `@login_manager.request_loader`: a user from the request, or None. `Err` is what the
/// callback raised (`request.form['x']` on a missing field is a 400).
pub type RequestLoader = Box<dyn Fn(&Request) -> Result<Option<User>, Abort>>;
/// `@login_manager.unauthorized_handler` / `needs_refresh_handler`: a view-like callback.
pub type Handler = Box<dyn Fn(&mut Ctx) -> ViewResult>;

/// `LoginManager`, attached to an app by [`LoginManager::init_app`].
pub struct LoginManager {
    /// `_user_callback`, set by [`LoginManager::user_loader`].
    pub user_callback: Option<UserLoader>,
    /// `_request_callback`, set by [`LoginManager::request_loader`].
    pub request_callback: Option<RequestLoader>,
    /// `unauthorized_callback`, set by [`LoginManager::unauthorized_handler`].
    pub unauthorized_callback: Option<Handler>,
    /// `needs_refresh_callback`, set by [`LoginManager::needs_refresh_handler`].
    pub needs_refresh_callback: Option<Handler>,
    /// `login_view`: a URL (`/login`, `https://...`). Flask-Login also takes an endpoint
    /// name and resolves it with `url_for`; this mini Flask has no endpoint names, so a name is
    /// the `BuildError` (500) Flask gives for a name it does not know.
    pub login_view: Option<String>,
    /// `refresh_view`, as `login_view`, for `fresh_login_required`.
    pub refresh_view: Option<String>,
    /// `login_message` (None or empty: nothing is flashed).
    pub login_message: Option<String>,
    pub login_message_category: String,
    pub needs_refresh_message: Option<String>,
    pub needs_refresh_message_category: String,
    /// `session_protection`: `"basic"` (default), `"strong"`, or anything else (None) for off.
    /// The `SESSION_PROTECTION` config key wins when it is set.
    pub session_protection: Option<String>,
}

impl Default for LoginManager {
    fn default() -> Self {
        LoginManager::new()
    }
}

impl std::fmt::Debug for LoginManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginManager")
            .field("user_loader", &self.user_callback.is_some())
            .field("request_loader", &self.request_callback.is_some())
            .field(
                "unauthorized_handler",
                &self.unauthorized_callback.is_some(),
            )
            .field("login_view", &self.login_view)
            .field("refresh_view", &self.refresh_view)
            .field("session_protection", &self.session_protection)
            .finish_non_exhaustive()
    }
}

fn error(text: impl Into<String>) -> Abort {
    Abort::InternalServerError(text.into())
}

/// Python's type name of a config value, for error texts.
fn config_type(v: &ConfigValue) -> &'static str {
    match v {
        ConfigValue::None => "NoneType",
        ConfigValue::Bool(_) => "bool",
        ConfigValue::Int(_) => "int",
        ConfigValue::Str(_) => "str",
        ConfigValue::List(_) => "list",
    }
}

/// Python truthiness of a config value (`if config.get(...)`).
fn config_truthy(v: &ConfigValue) -> bool {
    match v {
        ConfigValue::None => false,
        ConfigValue::Bool(b) => *b,
        ConfigValue::Int(i) => *i != 0,
        ConfigValue::Str(s) => !s.is_empty(),
        ConfigValue::List(l) => !l.is_empty(),
    }
}

/// `config.get(key)` as a truth value.
fn config_flag(config: &Config, key: &str) -> bool {
    config_truthy(&config.get_or(key, ConfigValue::None))
}

/// `config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME)`. A value that is not a `str` can never
/// be `in request.cookies`; it only fails when a cookie is set or deleted under it.
fn cookie_name(config: &Config) -> Result<String, ConfigValue> {
    match config.get_or("REMEMBER_COOKIE_NAME", ConfigValue::Str(COOKIE_NAME.into())) {
        ConfigValue::Str(s) => Ok(s),
        other => Err(other),
    }
}

/// The name a remember cookie is set or deleted under (`dump_cookie` calls `key.encode()`).
fn cookie_name_for_writing(config: &Config) -> Result<String, Abort> {
    cookie_name(config).map_err(|v| {
        error(format!(
            "AttributeError: '{}' object has no attribute 'encode'",
            config_type(&v)
        ))
    })
}

/// Whether the request carries the remember cookie (`cookie_name in request.cookies`).
fn remember_cookie(ctx: &Ctx) -> Option<String> {
    cookie_name(ctx.config)
        .ok()
        .and_then(|name| ctx.request.cookie(&name))
}

impl LoginManager {
    /// `LoginManager()` with Flask-Login's defaults.
    pub fn new() -> LoginManager {
        LoginManager {
            user_callback: None,
            request_callback: None,
            unauthorized_callback: None,
            needs_refresh_callback: None,
            login_view: None,
            refresh_view: None,
            login_message: Some(LOGIN_MESSAGE.into()),
            login_message_category: MESSAGE_CATEGORY.into(),
            needs_refresh_message: Some(REFRESH_MESSAGE.into()),
            needs_refresh_message_category: MESSAGE_CATEGORY.into(),
            session_protection: Some("basic".into()),
        }
    }

    /// `login_manager.init_app(app)`: `app.login_manager = self` (here in
    /// [`App::extensions`]), and the remember-cookie `after_request` hook.
    pub fn init_app(self, app: &mut App) {
        app.extensions.insert(self);
        app.after_request(|ctx, response| match manager(ctx) {
            Ok(lm) => lm.after_request(ctx, response),
            Err(_) => Ok(()),
        });
    }

    /// `@login_manager.user_loader`.
    pub fn user_loader(&mut self, callback: impl Fn(&str) -> Option<User> + 'static) {
        self.user_callback = Some(Box::new(callback));
    }

    /// `@login_manager.request_loader`.
    pub fn request_loader(
        &mut self,
        callback: impl Fn(&Request) -> Result<Option<User>, Abort> + 'static,
    ) {
        self.request_callback = Some(Box::new(callback));
    }

    /// `@login_manager.unauthorized_handler`.
    pub fn unauthorized_handler(&mut self, callback: impl Fn(&mut Ctx) -> ViewResult + 'static) {
        self.unauthorized_callback = Some(Box::new(callback));
    }

    /// `@login_manager.needs_refresh_handler`.
    pub fn needs_refresh_handler(&mut self, callback: impl Fn(&mut Ctx) -> ViewResult + 'static) {
        self.needs_refresh_callback = Some(Box::new(callback));
    }

    /// `_load_user`: session protection first, then `_user_id` from the session through the
    /// user loader, else the remember cookie, else the request loader. Stores the result (or
    /// the anonymous user) as `g._login_user`. An error leaves `g` unset, as in Python.
    fn load_user(&self, ctx: &mut Ctx) -> Result<User, Abort> {
        if self.user_callback.is_none() && self.request_callback.is_none() {
            return Err(error(
                "Exception: Missing user_loader or request_loader. Refer to \
                 http://flask-login.readthedocs.io/#how-it-works for more info.",
            ));
        }
        if self.session_protection_failed(ctx)? {
            return Ok(set_user(ctx, None));
        }
        let mut user = None;
        if let Some(callback) = &self.user_callback {
            // `session.get("_user_id")`; whatever was stored reaches the loader as its `str`.
            match ctx.session.get("_user_id") {
                None | Some(Value::Null) => {}
                Some(id) => {
                    let id = str_of(id);
                    user = callback(&id);
                }
            }
        }
        if user.is_none() {
            let has_cookie = match remember_cookie(ctx) {
                Some(cookie) => {
                    let cleared = ctx
                        .session
                        .get("_remember")
                        .and_then(Value::as_str)
                        .is_some_and(|op| op == "clear");
                    (!cleared).then_some(cookie)
                }
                None => None,
            };
            if let Some(cookie) = has_cookie {
                user = self.load_user_from_remember_cookie(ctx, &cookie)?;
            } else if let Some(callback) = &self.request_callback {
                user = callback(ctx.request)?;
            }
            // The deprecated header_loader is not ported: without one, Flask-Login ignores
            // the `Authorization` header.
        }
        Ok(set_user(ctx, user))
    }

    /// `_session_protection_failed`.
    fn session_protection_failed(&self, ctx: &mut Ctx) -> Result<bool, Abort> {
        // `session._get_current_object()` goes through the proxy: an access.
        ctx.session.accessed = true;
        let ident = session_identifier(ctx.request);
        let mode = ctx.config.get("SESSION_PROTECTION").unwrap_or_else(|| {
            self.session_protection
                .clone()
                .map_or(ConfigValue::None, ConfigValue::Str)
        });
        let strong = match &mode {
            ConfigValue::Str(m) if m == "basic" => false,
            ConfigValue::Str(m) if m == "strong" => true,
            _ => return Ok(false),
        };
        // `if sess and ident != sess.get("_id", None)`: an empty session (anonymous, or just
        // logged out) is never checked.
        if ctx.session.is_empty_for_save() {
            return Ok(false);
        }
        let same = ctx
            .session
            .get("_id")
            .and_then(Value::as_str)
            .is_some_and(|id| id == ident);
        if same {
            return Ok(false);
        }
        if !strong || ctx.session.permanent() {
            if ctx.session.get("_fresh") != Some(&Value::Bool(false)) {
                ctx.session.insert("_fresh", false)?;
            }
            return Ok(false);
        }
        for key in SESSION_KEYS {
            ctx.session.pop(key)?;
        }
        ctx.session.insert("_remember", "clear")?;
        Ok(true)
    }

    /// `_load_user_from_remember_cookie`: a valid cookie logs the user in again, stale
    /// (`_fresh` False) and without `_id`.
    fn load_user_from_remember_cookie(
        &self,
        ctx: &mut Ctx,
        cookie: &str,
    ) -> Result<Option<User>, Abort> {
        let Some(user_id) = decode_cookie(cookie, ctx.config)? else {
            return Ok(None);
        };
        ctx.session.insert("_user_id", user_id.as_str())?;
        ctx.session.insert("_fresh", false)?;
        Ok(self.user_callback.as_ref().and_then(|cb| cb(&user_id)))
    }

    /// The `after_request` hook `init_app` registers (`_update_remember_cookie`): pops
    /// `_remember` and sets (`"set"`, with `_user_id` present) or deletes (`"clear"`) the
    /// remember cookie. With `REMEMBER_COOKIE_REFRESH_EACH_REQUEST` it sets the cookie again
    /// on every request that has `_user_id`. It always looks at the session, so every
    /// response of an app with a `LoginManager` carries `Vary: Cookie`. An error (bad cookie
    /// settings, no secret key) is handled by the app as Flask handles a failing hook.
    fn after_request(&self, ctx: &mut Ctx, response: &mut Response) -> Result<(), Abort> {
        if !ctx.session.contains("_remember")
            && config_flag(ctx.config, "REMEMBER_COOKIE_REFRESH_EACH_REQUEST")
        {
            ctx.session.insert("_remember", "set")?;
        }
        if ctx.session.contains("_remember") {
            let operation = ctx.session.pop("_remember")?;
            match operation.as_ref().and_then(Value::as_str) {
                Some("set") if ctx.session.contains("_user_id") => {
                    self.set_cookie(ctx, response)?
                }
                Some("clear") => clear_cookie(ctx.config, response)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// `_set_cookie`.
    fn set_cookie(&self, ctx: &mut Ctx, response: &mut Response) -> Result<(), Abort> {
        let config = ctx.config;
        let name = cookie_name_for_writing(config)?;
        let (domain, path) = cookie_place(config)?;
        let secure = config_flag(config, "REMEMBER_COOKIE_SECURE");
        let httponly =
            config_truthy(&config.get_or("REMEMBER_COOKIE_HTTPONLY", ConfigValue::Bool(true)));
        let samesite = match config.get_or("REMEMBER_COOKIE_SAMESITE", ConfigValue::None) {
            ConfigValue::None => None,
            ConfigValue::Str(s) => {
                Some(SameSite::parse(&s).map_err(|m| error(format!("ValueError: {m}")))?)
            }
            other => {
                return Err(error(format!(
                    "AttributeError: '{}' object has no attribute 'title'",
                    config_type(&other)
                )))
            }
        };
        let remember_seconds = ctx.session.get("_remember_seconds").cloned();
        let user_id = ctx.session.get("_user_id").map(str_of).unwrap_or_default();
        let value = encode_cookie(&user_id, &secret_key(config)?);
        let micros = match remember_seconds {
            Some(seconds) => timedelta_seconds(&seconds)?,
            None => match config.get_or(
                "REMEMBER_COOKIE_DURATION",
                ConfigValue::Int(COOKIE_DURATION),
            ) {
                ConfigValue::Int(s) => i128::from(s) * 1_000_000,
                ConfigValue::Bool(b) => i128::from(b) * 1_000_000,
                other => {
                    let shown = match &other {
                        ConfigValue::Str(s) => s.clone(),
                        v => v.to_string(),
                    };
                    return Err(error(format!(
                        "Exception: REMEMBER_COOKIE_DURATION must be a datetime.timedelta, \
                         instead got: {shown}"
                    )));
                }
            },
        };
        // `datetime.utcnow() + duration`; the http-date drops the microseconds.
        let expires = (i128::from(ctx.now) * 1_000_000 + micros).div_euclid(1_000_000);
        let expires = i64::try_from(expires)
            .ok()
            .filter(|e| (MIN_DATETIME..=MAX_DATETIME).contains(e))
            .ok_or_else(|| error("OverflowError: date value out of range"))?;
        let cookie = SetCookie {
            name,
            value,
            expires: Some(expires),
            domain,
            path,
            secure,
            httponly,
            samesite,
            ..Default::default()
        };
        response.set_cookie(cookie, config.max_cookie_size);
        Ok(())
    }
}

/// `datetime.min` and `datetime.max` (to the second) as unix times.
const MIN_DATETIME: i64 = -62_135_596_800;
const MAX_DATETIME: i64 = 253_402_300_799;

/// `timedelta(seconds=value)` in microseconds (rounded half to even, as `timedelta` does).
fn timedelta_seconds(value: &Value) -> Result<i128, Abort> {
    let overflow = || error("OverflowError: date value out of range");
    match value {
        Value::Bool(b) => Ok(i128::from(*b) * 1_000_000),
        Value::Int(i) => i
            .to_i64()
            .map(|s| i128::from(s) * 1_000_000)
            .ok_or_else(overflow),
        Value::Float(f) if f.is_nan() => {
            Err(error("ValueError: cannot convert float NaN to integer"))
        }
        Value::Float(f) => {
            let micros = (f * 1e6).round_ties_even();
            if micros.abs() < 1e30 {
                Ok(micros as i128)
            } else {
                Err(overflow())
            }
        }
        other => Err(error(format!(
            "TypeError: unsupported type for timedelta seconds component: {}",
            other.type_name()
        ))),
    }
}

/// `REMEMBER_COOKIE_DOMAIN` (default None) and `REMEMBER_COOKIE_PATH` (default `/`).
fn cookie_place(config: &Config) -> Result<(Option<String>, Option<String>), Abort> {
    let domain = match config.get_or("REMEMBER_COOKIE_DOMAIN", ConfigValue::None) {
        ConfigValue::Str(s) => Some(s),
        v if !config_truthy(&v) => None,
        v => {
            return Err(error(format!(
                "AttributeError: '{}' object has no attribute 'partition'",
                config_type(&v)
            )))
        }
    };
    let path = match config.get_or("REMEMBER_COOKIE_PATH", ConfigValue::Str("/".into())) {
        ConfigValue::Str(s) => Some(s),
        ConfigValue::None => None,
        v => {
            return Err(error(format!(
                "TypeError: quote() doesn't support '{}' objects",
                config_type(&v)
            )))
        }
    };
    Ok((domain, path))
}

/// `_clear_cookie`: `response.delete_cookie(name, domain=domain, path=path)`, so the deletion
/// cookie has no Secure, HttpOnly or SameSite whatever the config says.
fn clear_cookie(config: &Config, response: &mut Response) -> Result<(), Abort> {
    let name = cookie_name_for_writing(config)?;
    let (domain, path) = cookie_place(config)?;
    let template = SetCookie {
        domain,
        path,
        ..Default::default()
    };
    response.set_cookie(
        SetCookie::deletion(&name, &template),
        config.max_cookie_size,
    );
    Ok(())
}

/// `g._login_user`: who `current_user` is in this request, once it has been looked at.
#[derive(Debug, Clone)]
struct LoginUser(User);

/// `_update_request_context_with_user`: `g._login_user = user or anonymous_user()`.
fn set_user(ctx: &mut Ctx, user: Option<User>) -> User {
    let user = user.unwrap_or_else(User::anonymous);
    ctx.g.insert(LoginUser(user.clone()));
    user
}

/// `current_app.login_manager`.
fn manager<'a>(ctx: &Ctx<'a>) -> Result<&'a LoginManager, Abort> {
    ctx.extensions
        .get::<LoginManager>()
        .ok_or_else(|| error("AttributeError: 'Flask' object has no attribute 'login_manager'"))
}

/// `current_user`: loaded once per request (`_get_user`), then taken from `g`. The first look
/// reads the session, so it counts as a session access (`Vary: Cookie`).
pub fn current_user(ctx: &mut Ctx) -> Result<User, Abort> {
    if let Some(LoginUser(user)) = ctx.g.get() {
        return Ok(user.clone());
    }
    manager(ctx)?.load_user(ctx)
}

/// `login_user(user, remember, duration, force, fresh)`. `duration` is the remember cookie's
/// lifetime as `timedelta.total_seconds()`. Returns Ok(false) for an inactive user unless
/// `force`.
pub fn login_user(
    ctx: &mut Ctx,
    user: &User,
    remember: bool,
    duration: Option<f64>,
    force: bool,
    fresh: bool,
) -> Result<bool, Abort> {
    if !force && !user.is_active {
        return Ok(false);
    }
    manager(ctx)?;
    let user_id = user.get_id().map_or(Value::Null, Value::from);
    ctx.session.insert("_user_id", user_id)?;
    ctx.session.insert("_fresh", fresh)?;
    ctx.session.insert("_id", session_identifier(ctx.request))?;
    if remember {
        ctx.session.insert("_remember", "set")?;
        if let Some(seconds) = duration {
            // timedelta(seconds=...), then the total in microseconds / 10.0**6.
            let micros = timedelta_seconds(&Value::Float(seconds))?;
            ctx.session
                .insert("_remember_seconds", Value::Float(micros as f64 / 1e6))?;
        }
    }
    set_user(ctx, Some(user.clone()));
    Ok(true)
}

/// `logout_user()`: loads the current user (so the loaders and session protection run), pops
/// `_user_id`, `_fresh` and `_id`, and if a remember cookie came in, sets `_remember` to
/// `"clear"` (the hook then deletes the cookie) and drops `_remember_seconds`.
pub fn logout_user(ctx: &mut Ctx) -> Result<(), Abort> {
    current_user(ctx)?;
    for key in ["_user_id", "_fresh", "_id"] {
        if ctx.session.contains(key) {
            ctx.session.pop(key)?;
        }
    }
    if remember_cookie(ctx).is_some() {
        ctx.session.insert("_remember", "clear")?;
        if ctx.session.contains("_remember_seconds") {
            ctx.session.pop("_remember_seconds")?;
        }
    }
    set_user(ctx, None);
    Ok(())
}

/// `confirm_login()`: marks the session fresh again and stores a new `_id`.
pub fn confirm_login(ctx: &mut Ctx) -> Result<(), Abort> {
    ctx.session.insert("_fresh", true)?;
    manager(ctx)?;
    ctx.session.insert("_id", session_identifier(ctx.request))?;
    Ok(())
}

/// `login_fresh()`: `session.get("_fresh", False)`, as a truth value.
pub fn login_fresh(ctx: &mut Ctx) -> bool {
    ctx.session.get("_fresh").is_some_and(Value::is_truthy)
}

/// `login_remembered()`: a valid remember cookie came in and is not being cleared.
pub fn login_remembered(ctx: &mut Ctx) -> Result<bool, Abort> {
    let Some(cookie) = remember_cookie(ctx) else {
        return Ok(false);
    };
    if ctx.session.get("_remember").and_then(Value::as_str) == Some("clear") {
        return Ok(false);
    }
    Ok(decode_cookie(&cookie, ctx.config)?.is_some())
}

fn exempt(ctx: &Ctx) -> bool {
    // EXEMPT_METHODS = {"OPTIONS"}; LOGIN_DISABLED turns every check off.
    ctx.request.method == "OPTIONS" || config_flag(ctx.config, "LOGIN_DISABLED")
}

/// `@login_required`: an unauthenticated user gets [`unauthorized`] instead of the view.
/// `OPTIONS` requests and `LOGIN_DISABLED` skip the check.
pub fn login_required(
    view: impl Fn(&mut Ctx) -> ViewResult + 'static,
) -> impl Fn(&mut Ctx) -> ViewResult + 'static {
    move |ctx: &mut Ctx| {
        if !exempt(ctx) && !current_user(ctx)?.is_authenticated {
            return unauthorized(ctx);
        }
        view(ctx)
    }
}

/// `@fresh_login_required`: like [`login_required`], and a logged-in user whose login is not
/// fresh (restored from the remember cookie, or flagged by basic session protection) gets
/// [`needs_refresh`].
pub fn fresh_login_required(
    view: impl Fn(&mut Ctx) -> ViewResult + 'static,
) -> impl Fn(&mut Ctx) -> ViewResult + 'static {
    move |ctx: &mut Ctx| {
        if !exempt(ctx) {
            if !current_user(ctx)?.is_authenticated {
                return unauthorized(ctx);
            }
            if !login_fresh(ctx) {
                return needs_refresh(ctx);
            }
        }
        view(ctx)
    }
}

/// Flask's `flash(message, category)`: appends `(category, message)` to `_flashes`.
pub fn flash(ctx: &mut Ctx, message: &str, category: &str) -> Result<(), Abort> {
    let entry = Value::Tuple(vec![category.into(), message.into()]);
    let flashes = match ctx.session.get("_flashes") {
        None => vec![entry],
        Some(Value::List(items)) => {
            let mut items = items.clone();
            items.push(entry);
            items
        }
        Some(other) => {
            return Err(error(format!(
                "AttributeError: '{}' object has no attribute 'append'",
                other.type_name()
            )))
        }
    };
    ctx.session.insert("_flashes", Value::List(flashes))?;
    Ok(())
}

/// `LoginManager.unauthorized()`: the handler if there is one; else 401 without a
/// `login_view`; else flash `login_message` and redirect to the login view with `next`.
pub fn unauthorized(ctx: &mut Ctx) -> ViewResult {
    let lm = manager(ctx)?;
    if let Some(callback) = &lm.unauthorized_callback {
        return callback(ctx);
    }
    redirect_to_view(
        ctx,
        lm.login_view.as_deref(),
        lm.login_message.as_deref(),
        &lm.login_message_category,
    )
}

/// `LoginManager.needs_refresh()`: as [`unauthorized`], with `refresh_view` and
/// `needs_refresh_message`.
pub fn needs_refresh(ctx: &mut Ctx) -> ViewResult {
    let lm = manager(ctx)?;
    if let Some(callback) = &lm.needs_refresh_callback {
        return callback(ctx);
    }
    redirect_to_view(
        ctx,
        lm.refresh_view.as_deref(),
        lm.needs_refresh_message.as_deref(),
        &lm.needs_refresh_message_category,
    )
}

fn redirect_to_view(
    ctx: &mut Ctx,
    view: Option<&str>,
    message: Option<&str>,
    category: &str,
) -> ViewResult {
    let Some(view) = view.filter(|v| !v.is_empty()) else {
        return Err(Abort::Unauthorized);
    };
    if let Some(message) = message.filter(|m| !m.is_empty()) {
        flash(ctx, message, category)?;
    }
    let url = if config_flag(ctx.config, "USE_SESSION_FOR_NEXT") {
        let base = expand_login_view(view)?;
        ctx.session.insert("_id", session_identifier(ctx.request))?;
        let next = make_next_param(&base, &request_url(ctx.request));
        ctx.session.insert("next", next)?;
        base
    } else {
        login_url(view, Some(&request_url(ctx.request)), "next", ctx.config)?
    };
    Ok(Response::redirect(&url))
}

// ---------------------------------------------------------------------------------------------
// The remember cookie

/// `_secret_key()`: `SECRET_KEY` encoded as latin-1 (not UTF-8, as Flask itself does).
pub fn secret_key(config: &Config) -> Result<Vec<u8>, Abort> {
    let Some(key) = config.secret_key.as_deref() else {
        return Err(error(
            "TypeError: key: expected bytes or bytearray, but got 'NoneType'",
        ));
    };
    latin1(key).map_err(error)
}

/// `str.encode("latin1")`, with Python's `UnicodeEncodeError` text on failure.
fn latin1(text: &str) -> Result<Vec<u8>, String> {
    let chars: Vec<char> = text.chars().collect();
    let Some(start) = chars.iter().position(|&c| c as u32 > 0xff) else {
        return Ok(chars.iter().map(|&c| c as u8).collect());
    };
    let end = start
        + chars[start..]
            .iter()
            .take_while(|&&c| c as u32 > 0xff)
            .count();
    let what = if end == start + 1 {
        let c = chars[start] as u32;
        let esc = if c > 0xffff {
            format!("\\U{c:08x}")
        } else {
            format!("\\u{c:04x}")
        };
        format!("character '{esc}' in position {start}")
    } else {
        format!("characters in position {start}-{}", end - 1)
    };
    Err(format!(
        "UnicodeEncodeError: 'latin-1' codec can't encode {what}: ordinal not in range(256)"
    ))
}

/// `_cookie_digest`: lowercase hex HMAC-SHA512 of the UTF-8 payload.
pub fn cookie_digest(payload: &str, key: &[u8]) -> String {
    let mut mac = Hmac::<Sha512>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(payload.as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// `encode_cookie(payload)`: `payload|digest`.
pub fn encode_cookie(payload: &str, key: &[u8]) -> String {
    format!("{payload}|{}", cookie_digest(payload, key))
}

/// `decode_cookie(cookie)`: the payload before the last `|` when the digest after it matches
/// (compared in constant time), else None. Like `hmac.compare_digest` on `str`, a non-ASCII
/// digest is a `TypeError`.
pub fn decode_cookie(cookie: &str, config: &Config) -> Result<Option<String>, Abort> {
    let Some((payload, digest)) = cookie.rsplit_once('|') else {
        return Ok(None);
    };
    let expected = cookie_digest(payload, &secret_key(config)?);
    if !digest.is_ascii() {
        return Err(error(
            "TypeError: comparing strings with non-ASCII characters is not supported",
        ));
    }
    Ok(constant_time_eq(expected.as_bytes(), digest.as_bytes()).then(|| payload.to_string()))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The session identifier

/// A header's text as WSGI hands it to Python: the raw bytes decoded as latin-1, then
/// `.encode("utf-8")` by Flask-Login. ASCII is unchanged; other bytes are double-encoded.
fn wsgi_utf8(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for b in text.bytes() {
        if b < 0x80 {
            out.push(b);
        } else {
            out.push(0xc0 | (b >> 6));
            out.push(0x80 | (b & 0x3f));
        }
    }
    out
}

/// `bytes.strip()`: ASCII whitespace off both ends.
fn strip_bytes(b: &[u8]) -> &[u8] {
    let ws = |c: &u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
    let start = b.iter().position(|c| !ws(c)).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !ws(c)).map_or(start, |e| e + 1);
    &b[start..end]
}

/// `_get_remote_addr()` and the user agent as `_create_identifier` formats them:
/// `b'203.0.113.7'|b'Mozilla/5.0 Test'` (Python bytes reprs; a missing header is `None`).
pub fn identifier_base(request: &Request) -> String {
    let addr = match request.header("X-Forwarded-For") {
        Some(xff) => {
            let raw = wsgi_utf8(xff);
            let first = raw.split(|&c| c == b',').next().unwrap_or(&[]);
            bytes_repr(strip_bytes(first))
        }
        None => bytes_repr(REMOTE_ADDR.as_bytes()),
    };
    let ua = request
        .header("User-Agent")
        .map_or_else(|| "None".to_string(), |ua| bytes_repr(&wsgi_utf8(ua)));
    format!("{addr}|{ua}")
}

/// `_create_identifier()`: hex SHA-512 of [`identifier_base`], the session's `_id`.
pub fn session_identifier(request: &Request) -> String {
    hex(&Sha512::digest(identifier_base(request).as_bytes()))
}

// ---------------------------------------------------------------------------------------------
// URLs: Werkzeug's `request.url` and Flask-Login's `login_url` / `make_next_param`

/// `urllib.parse.quote_plus(text, safe="")`.
fn quote_plus(text: &str) -> String {
    urls::quote(text, " ").replace(' ', "+")
}

/// `request.url` ([`Request::url`]).
pub fn request_url(request: &Request) -> String {
    request.url()
}

/// `make_next_param(login_url, current_url)`: the current URL without scheme and host when
/// they match the login URL's (or it has none), else the whole URL.
pub fn make_next_param(login_url: &str, current_url: &str) -> String {
    let l = urlsplit(login_url);
    let c = urlsplit(current_url);
    if (l[0].is_empty() || l[0] == c[0]) && (l[1].is_empty() || l[1] == c[1]) {
        urlunsplit("", "", &c[2], &c[3], "")
    } else {
        current_url.to_string()
    }
}

/// `expand_login_view`: a URL is used as is; a view name would go through `url_for`, and this
/// mini Flask has no endpoint names, so it fails as `url_for` does for an unknown endpoint.
pub fn expand_login_view(login_view: &str) -> Result<String, Abort> {
    if ["https://", "http://", "/"]
        .iter()
        .any(|p| login_view.starts_with(p))
    {
        Ok(login_view.to_string())
    } else {
        Err(error(format!(
            "werkzeug.routing.exceptions.BuildError: Could not build url for endpoint \
             '{login_view}'."
        )))
    }
}

/// `login_url(login_view, next_url, next_field)`: the view's URL with `next` added to (or
/// replaced in) its query, everything re-encoded by `urlencode`. `FORCE_HOST_FOR_REDIRECTS`
/// replaces the host.
pub fn login_url(
    login_view: &str,
    next_url: Option<&str>,
    next_field: &str,
    config: &Config,
) -> Result<String, Abort> {
    let base = expand_login_view(login_view)?;
    let Some(next_url) = next_url else {
        return Ok(base);
    };
    let [scheme, netloc, path, query, fragment] = urlsplit(&base);
    // parse_qs(keep_blank_values=True): a dict of lists in first-seen key order.
    let mut md: Vec<(String, Vec<String>)> = Vec::new();
    for (k, v) in parse_qs(&query) {
        match md.iter_mut().find(|(key, _)| *key == k) {
            Some((_, values)) => values.push(v),
            None => md.push((k, vec![v])),
        }
    }
    let next = make_next_param(&base, next_url);
    match md.iter_mut().find(|(key, _)| key == next_field) {
        Some((_, values)) => *values = vec![next],
        None => md.push((next_field.to_string(), vec![next])),
    }
    let encoded: Vec<String> = md
        .iter()
        .flat_map(|(k, values)| {
            values
                .iter()
                .map(move |v| format!("{}={}", quote_plus(k), quote_plus(v)))
        })
        .collect();
    let netloc = match config.get_or("FORCE_HOST_FOR_REDIRECTS", ConfigValue::None) {
        ConfigValue::Str(host) if !host.is_empty() => host,
        _ => netloc,
    };
    Ok(urlunsplit(
        &scheme,
        &netloc,
        &path,
        &encoded.join("&"),
        &fragment,
    ))
}

// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    fn config(secret: &str) -> Config {
        let mut c = Config::default();
        c.set("SECRET_KEY", ConfigValue::Str(secret.into()))
            .unwrap();
        c
    }

    const ID_XFF: &str = "be529368be68408ba9d5d1f7c6407e212274a75a1b1c76bd0dcf1dd0cd94002f4f51c670c79a58ae3dd96aeeb181a11a55c9a9c58f5a92ad5fd8171b571606ee";
    const ID_LOCAL: &str = "64ed9de68420e9a34a0176d60cc2deaf014b13d398f439d7258ecc91b99f78d53a5be6301048ebdd75fc45eea32b95c10eb3bbe5445469a8511e716222eb87d6";

    #[test]
    fn session_identifier_matches_formats_4_3() {
        // docs/flask-sessions.md §4.1 / §4.3 (vector fixed_ts_flask_login).
        let r = Request::get("/")
            .with_header("X-Forwarded-For", "203.0.113.7, 10.0.0.1")
            .with_header("User-Agent", "Mozilla/5.0 Test");
        assert_eq!(identifier_base(&r), "b'203.0.113.7'|b'Mozilla/5.0 Test'");
        assert_eq!(session_identifier(&r), ID_XFF);
        let r = Request::get("/").with_header("User-Agent", "Mozilla/5.0 Test");
        assert_eq!(identifier_base(&r), "b'127.0.0.1'|b'Mozilla/5.0 Test'");
        assert_eq!(session_identifier(&r), ID_LOCAL);
        assert_eq!(identifier_base(&Request::get("/")), "b'127.0.0.1'|None");
    }

    // The expected texts below that are not fixture vectors were printed by Python 3.11.7
    // with Flask-Login 0.6.3's `_get_remote_addr`/`_create_identifier`, `str.encode("latin1")`
    // and `urllib.parse` (target/flask-venv).

    #[test]
    fn identifier_base_uses_python_bytes_reprs() {
        // The repr rules of docs/flask-sessions.md §4.3: quote choice, escapes, and WSGI's latin-1
        // text encoded again as UTF-8 (so `é`, bytes C3 A9, becomes four bytes).
        let r = Request::get("/")
            .with_header("x-forwarded-for", "  \t")
            .with_header("User-Agent", "it's é\t\\");
        assert_eq!(identifier_base(&r), r#"b''|b"it's \xc3\x83\xc2\xa9\t\\""#);
        let r = Request::get("/").with_header("User-Agent", "'\"");
        assert_eq!(identifier_base(&r), r#"b'127.0.0.1'|b'\'"'"#);
    }

    #[test]
    fn remember_cookie_matches_formats_4_2() {
        let key = secret_key(&config("dev-secret")).unwrap();
        let value = encode_cookie("1", &key);
        assert_eq!(
            value,
            "1|f9dcf5cda81b88d1b0fe3c19fb3dfbd61496576af6872f5fbc11eb558e2c32694749fdb926da828ffc138ab600896cb900d0de10373b6a0cf349feaa5631d120"
        );
        let c = config("dev-secret");
        assert_eq!(decode_cookie(&value, &c), Ok(Some("1".into())));
        // Split at the last `|`: a payload may hold `|` itself.
        let piped = encode_cookie("a|b", &key);
        assert_eq!(decode_cookie(&piped, &c), Ok(Some("a|b".into())));
        // A different key, a flipped digit, no `|`, a truncated digest: ignored.
        assert_eq!(decode_cookie(&value, &config("other")), Ok(None));
        let flipped = value.replacen("|f9", "|f8", 1);
        assert_eq!(decode_cookie(&flipped, &c), Ok(None));
        assert_eq!(decode_cookie("1", &c), Ok(None));
        assert_eq!(decode_cookie(&value[..value.len() - 1], &c), Ok(None));
        // hmac.compare_digest refuses non-ASCII str arguments.
        assert!(matches!(
            decode_cookie("1|é", &c),
            Err(Abort::InternalServerError(m)) if m.starts_with("TypeError: comparing")
        ));
    }

    #[test]
    fn the_remember_key_is_latin_1() {
        // "é" is one byte (E9) in latin-1, two in UTF-8: the digests differ.
        let latin = secret_key(&config("clé")).unwrap();
        assert_eq!(latin, b"cl\xe9");
        assert_ne!(
            cookie_digest("1", &latin),
            cookie_digest("1", "clé".as_bytes())
        );
        assert_eq!(
            secret_key(&config("k\u{2603}")),
            Err(error(
                "UnicodeEncodeError: 'latin-1' codec can't encode character '\\u2603' in \
                 position 1: ordinal not in range(256)"
            ))
        );
        assert_eq!(
            latin1("ab\u{1f600}\u{2603}c"),
            Err(
                "UnicodeEncodeError: 'latin-1' codec can't encode characters in position \
                 2-3: ordinal not in range(256)"
                    .into()
            )
        );
        assert!(secret_key(&Config::default()).is_err());
    }

    #[test]
    fn next_param_is_encoded_as_flask_login_does() {
        // docs/flask-sessions.md §4.5.
        let r = Request::get("/secret?x=1&y=a%20b");
        assert_eq!(request_url(&r), "http://localhost/secret?x=1&y=a%20b");
        let c = Config::default();
        assert_eq!(
            login_url("/login", Some(&request_url(&r)), "next", &c).unwrap(),
            "/login?next=%2Fsecret%3Fx%3D1%26y%3Da%2520b"
        );
        assert_eq!(login_url("/login", None, "next", &c).unwrap(), "/login");
        assert_eq!(
            make_next_param("/login", "http://localhost/secret?x=1"),
            "/secret?x=1"
        );
        assert_eq!(
            make_next_param("https://auth.example/login", "http://localhost/a"),
            "http://localhost/a"
        );
        assert!(login_url("login", None, "next", &c).is_err());
    }

    #[test]
    fn url_helpers_follow_python() {
        assert_eq!(
            urlsplit("HTTP://h:1/p?q=1#f"),
            ["http", "h:1", "/p", "q=1", "f"].map(String::from)
        );
        assert_eq!(
            urlsplit("//evil/x"),
            ["", "evil", "/x", "", ""].map(String::from)
        );
        assert_eq!(urlunsplit("", "h", "login", "a=1", ""), "//h/login?a=1");
        assert_eq!(urlunsplit("http", "", "/x", "", ""), "http:///x");
        assert_eq!(quote_plus("a b/ü"), "a+b%2F%C3%BC");
    }
}
