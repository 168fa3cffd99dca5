//! The lab's browser cookie jar, mirrored into the real `document.cookie`.
//!
//! [`BrowserJar`] wraps the engine's [`Jar`], the model that decides what a browser does with a
//! mock server's `Set-Cookie` and which cookies go back in a request's `Cookie` header, and
//! keeps a copy of every cookie in the page's real cookie store, so that DevTools
//! (Application > Cookies) shows the same cookies the lab's diagrams do. The model keeps what
//! `document.cookie` cannot tell page script: expiry, flags and creation time.
//!
//! # Where the real cookies live
//!
//! The mock server's cookie paths (`/`, `/admin`, ...) are not paths of this page, and
//! `document.cookie` only lists cookies whose `Path` matches the *page's* location: a cookie
//! written with `Path=/lab/seed-004` is invisible to a page at `/` (checked in Chromium). So
//! the lab does not map server paths onto real paths. Every real cookie is written with
//! `Path=/`, which any page of the origin can read, and the scenario and the server path go into
//! the cookie's *name* instead:
//!
//! ```text
//! model: session (Path=/)       in scope "/lab/seed-004"  ->  sl.lab-seed-004.session
//! model: remember (Path=/admin) in scope "/lab/seed-004"  ->  sl.lab-seed-004.remember@/admin
//! ```
//!
//! The scope is the constructor's argument with `/` and other unusual characters turned into
//! `-`; in the name and the path, characters that are not plain cookie-token characters are
//! percent-encoded (`@` as `%40`). Scenarios therefore never collide, and path matching for
//! the mock server stays the model's job ([`Jar::cookie_header`]).
//!
//! # Keeping model and reality in step
//!
//! Before every request and every listing the jar reads `document.cookie` and reconciles:
//! - a lab cookie missing from `document.cookie` (deleted in DevTools or by another tab) is
//!   dropped from the model too, and reported;
//! - a value changed there is taken over by the model, and reported; the `Cookie` header is
//!   therefore built from the real values;
//! - a lab-named cookie the model does not know (written by another tab, left from before a
//!   reload, or added in DevTools) is adopted, with its expiry and flags when this origin's
//!   `localStorage` still holds them (`sl.cookie-meta:<real name>`), else as a session cookie,
//!   and reported;
//! - a cookie that expires on the lab's clock ([`super::clock::LabClock`] can run ahead of real
//!   time) is removed from `document.cookie` too, and real `Expires` dates are written as the
//!   model's expiry translated to real time, so the browser drops a copy when the lab does.
//!
//! # What page script cannot do
//!
//! - `HttpOnly` cannot be set from script: Chromium ignores a `document.cookie` write that says
//!   `HttpOnly`. The copy is written without it and is readable by page script, which a real
//!   browser would forbid; [`HTTP_ONLY_NOTICE`] says so for every such cookie.
//! - Chromium refuses a name plus value over 4096 bytes; the copy's name is longer than the
//!   cookie's by the `sl.<scope>.` prefix, so a cookie near the limit may exist only in the
//!   model. The jar reads every write back and says when that happens.
//! - `Secure`, `SameSite` and `Partitioned` are written as they are. The model is told whether
//!   the page is a secure context (`window.isSecureContext`: true on `https://` and on
//!   `http://localhost`/`127.0.0.1`), so it refuses `Secure` cookies exactly where the real
//!   browser would.

use super::clock::system_now;
use super::cookies;
use super::storage;
use crate::client::jar::{
    sort_order, Applied, Jar, SecureContext, SendDecision, StoredCookie, MAX_LIFETIME,
};
use crate::engine::flask::tagged_json;
use crate::engine::py::value::{Dict, PyInt, Value};
use crate::engine::werkzeug::cookie::SameSite;
use crate::engine::werkzeug::http_date::http_date;
use crate::engine::werkzeug::wrappers::{Request, Response};

/// Every real cookie the lab writes starts with this.
pub const NAME_PREFIX: &str = "sl.";

/// `localStorage` items holding what `document.cookie` does not show (expiry, flags), one per
/// real cookie: `sl.cookie-meta:<real name>`.
pub const META_PREFIX: &str = "sl.cookie-meta:";

/// Said for every `HttpOnly` cookie the lab mirrors.
pub const HTTP_ONLY_NOTICE: &str = "HttpOnly: a real browser would hide this cookie from page \
     scripts; Session Lab's own script has to be able to read it, so its copy in document.cookie \
     is not HttpOnly (a script cannot set that flag).";

/// What the jar knows about one cookie's real copy.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Mirror {
    /// The real `Expires` last written, in real unix seconds (`None`: a session cookie).
    real_expires: Option<i64>,
    /// Whether the copy should be in `document.cookie` now.
    present: bool,
    /// Whether the browser refused the copy when it was last written (it lives in the model
    /// only, and is not reconciled).
    refused: bool,
}

/// What [`BrowserJar::apply`] did with one `Set-Cookie`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplyReport {
    /// The model's verdict: stored, deleted or rejected, and why.
    pub applied: Applied,
    /// The name of the real copy in `document.cookie` (for stored and deleted cookies).
    pub real_name: Option<String>,
    /// Where the real copy differs from what a browser would keep for a real server.
    pub notices: Vec<String>,
}

/// One cookie for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieView {
    pub cookie: StoredCookie,
    /// Its name in `document.cookie` and DevTools.
    pub real_name: String,
    /// Whether `document.cookie` holds the copy (false when the browser refused it).
    pub in_document_cookie: bool,
    /// What page script could not do for this cookie, in plain words.
    pub limits: Vec<String>,
}

/// The lab's cookie jar: the engine's model plus its copy in the real `document.cookie`.
#[derive(Debug)]
pub struct BrowserJar {
    scope: String,
    jar: Jar,
    /// By (name, path). A list, not a map: a jar holds a few cookies, and a map type of its
    /// own would add its code to the bundle.
    mirrors: Vec<((String, String), Mirror)>,
    notices: Vec<String>,
    /// Whether [`BrowserJar::clear`] has already swept `localStorage` for this scope's
    /// orphaned metadata (entries whose cookie is gone). One sweep per page is enough: the
    /// jar removes the metadata of every cookie it forgets, and a sweep reads every key of
    /// `localStorage`, which grows with the server's store.
    swept: bool,
}

/// `/lab/seed-004` -> `lab-seed-004`: only `A-Z a-z 0-9 - _` survive, so that no scope's
/// prefix is a prefix of another's.
fn scope_tag(scope: &str) -> String {
    let tag: String = scope
        .trim_matches('/')
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if tag.is_empty() {
        "lab".into()
    } else {
        tag
    }
}

/// Cookie-token characters (RFC 6265 `token`) and `/`, which Chromium accepts in names, stay;
/// everything else is `%XX`.
fn encode_part(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&'*+-.^_`|~/:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode_part(s: &str) -> String {
    crate::engine::werkzeug::urls::decode_path(s)
}

/// A `Set-Cookie` line that makes the model hold `cookie` with `value` (same path, expiry and
/// flags). A cookie without a name is written as the bare value, as it arrived.
fn model_line(cookie: &StoredCookie, value: &str) -> String {
    let mut line = if cookie.name.is_empty() {
        value.to_string()
    } else {
        format!("{}={value}", cookie.name)
    };
    line.push_str(&format!("; Path={}", cookie.path));
    if let Some(e) = cookie.expires {
        line.push_str(&format!("; Expires={}", http_date(e)));
    }
    if cookie.secure {
        line.push_str("; Secure");
    }
    if cookie.http_only {
        line.push_str("; HttpOnly");
    }
    if let Some(s) = cookie.same_site {
        line.push_str(&format!("; SameSite={}", s.as_str()));
    }
    if cookie.partitioned {
        line.push_str("; Partitioned");
    }
    line
}

/// The attributes `document.cookie` cannot hold, as a JSON object. Written and read with the
/// engine's JSON (the same text Python's `json` makes), so the bundle carries one JSON
/// implementation.
fn meta_json(cookie: &StoredCookie) -> String {
    let mut d = Dict::new();
    d.insert("name".into(), Value::Str(cookie.name.clone()));
    d.insert("path".into(), Value::Str(cookie.path.clone()));
    d.insert(
        "expires".into(),
        cookie
            .expires
            .map_or(Value::Null, |e| Value::Int(PyInt::from(e))),
    );
    d.insert("http_only".into(), Value::Bool(cookie.http_only));
    d.insert("secure".into(), Value::Bool(cookie.secure));
    d.insert(
        "same_site".into(),
        cookie
            .same_site
            .map_or(Value::Null, |s| Value::Str(s.as_str().into())),
    );
    d.insert("partitioned".into(), Value::Bool(cookie.partitioned));
    d.insert("creation".into(), Value::Int(PyInt::from(cookie.creation)));
    tagged_json::dumps_dict(&d)
}

/// A cookie rebuilt from its metadata (value left empty), or `None` if it is unreadable.
fn meta_cookie(text: &str) -> Option<StoredCookie> {
    let v = tagged_json::loads_dict(text).ok()?;
    let flag = |k: &str| matches!(v.get(k), Some(Value::Bool(true)));
    let int = |k: &str| match v.get(k) {
        Some(Value::Int(i)) => i.to_i64(),
        _ => None,
    };
    let text = |k: &str| match v.get(k) {
        Some(Value::Str(s)) => Some(s.clone()),
        _ => None,
    };
    Some(StoredCookie {
        name: text("name")?,
        value: String::new(),
        domain: crate::client::jar::HOST.into(),
        host_only: true,
        path: text("path")?,
        expires: int("expires"),
        http_only: flag("http_only"),
        secure: flag("secure"),
        same_site: text("same_site").and_then(|s| SameSite::parse(&s).ok()),
        partitioned: flag("partitioned"),
        creation: int("creation")?,
        size: 0,
    })
}

impl BrowserJar {
    /// The mirror of the cookie `key` (name, path).
    fn mirror(&self, key: &(String, String)) -> Option<&Mirror> {
        self.mirrors.iter().find(|(k, _)| k == key).map(|(_, m)| m)
    }

    /// Sets the mirror of the cookie `key` (name, path).
    fn set_mirror(&mut self, key: (String, String), mirror: Mirror) {
        match self.mirrors.iter_mut().find(|(k, _)| *k == key) {
            Some((_, m)) => *m = mirror,
            None => self.mirrors.push((key, mirror)),
        }
    }

    /// Forgets the mirror of the cookie `name` at `path`.
    fn drop_mirror(&mut self, name: &str, path: &str) {
        self.mirrors.retain(|((n, p), _)| n != name || p != path);
    }

    /// A jar for one scenario. `scope` (e.g. `"/lab/seed-004"` or `"seed-004"`) names the
    /// scenario in the real cookies' names: `sl.<scope>.<name>`, all at `Path=/` (see the
    /// module documentation for why the scope is not a real path). Cookies already in
    /// `document.cookie` under that prefix are picked up at the first request or listing.
    pub fn new(scope: &str) -> BrowserJar {
        let context = if cookies::is_secure_context() {
            SecureContext::Trustworthy
        } else {
            SecureContext::Insecure
        };
        BrowserJar {
            scope: scope_tag(scope),
            jar: Jar::with_context(context),
            mirrors: Vec::new(),
            notices: Vec::new(),
            swept: false,
        }
    }

    /// The scope as it appears in real cookie names.
    pub fn scope(&self) -> &str {
        &self.scope
    }

    /// `sl.<scope>.`: the start of every real cookie name of this jar.
    pub fn real_prefix(&self) -> String {
        format!("{NAME_PREFIX}{}.", self.scope)
    }

    /// The real cookie name for the model's cookie `name` with `path`.
    pub fn real_name(&self, name: &str, path: &str) -> String {
        let mut real = format!("{}{}", self.real_prefix(), encode_part(name));
        if path != "/" {
            real.push('@');
            real.push_str(&encode_part(path));
        }
        real
    }

    /// The model, read-only (its `explain` and `cookies` without reconciling first).
    pub fn model(&self) -> &Jar {
        &self.jar
    }

    /// Handles one `Set-Cookie` header value received in the response to a request for
    /// `request_path` at `now` (the lab clock), in the model and in `document.cookie`.
    pub fn apply(&mut self, set_cookie: &str, request_path: &str, now: i64) -> ApplyReport {
        self.sync(now);
        let applied = self.jar.apply(set_cookie, request_path, now);
        let (real_name, notices) = match &applied {
            Applied::Stored { cookie, .. } => {
                let notices = self.write_mirror(cookie, now);
                (Some(self.real_name(&cookie.name, &cookie.path)), notices)
            }
            Applied::Deleted { name, path, .. } => {
                let real = self.real_name(name, path);
                self.forget_real(&real);
                self.drop_mirror(name, path);
                (Some(real), Vec::new())
            }
            Applied::Rejected { .. } => (None, Vec::new()),
        };
        ApplyReport {
            applied,
            real_name,
            notices,
        }
    }

    /// Applies every `Set-Cookie` of a response, in order.
    pub fn apply_response(
        &mut self,
        response: &Response,
        request_path: &str,
        now: i64,
    ) -> Vec<ApplyReport> {
        response
            .set_cookies()
            .into_iter()
            .map(|line| self.apply(line, request_path, now))
            .collect()
    }

    /// The `Cookie` header for a request to `request_path` at `now`, after reconciling with
    /// `document.cookie` (so values edited there are what is sent).
    pub fn cookie_header(&mut self, request_path: &str, now: i64) -> Option<String> {
        self.sync(now);
        self.jar.cookie_header(request_path, now)
    }

    /// `request` with the `Cookie` header a browser would add at `now`.
    pub fn attach(&mut self, request: Request, now: i64) -> Request {
        match self.cookie_header(&request.path, now) {
            Some(h) => request.with_header("Cookie", &h),
            None => request,
        }
    }

    /// Every cookie with whether a request for `request_path` carries it and why not.
    pub fn explain(&mut self, request_path: &str, now: i64) -> Vec<(StoredCookie, SendDecision)> {
        self.sync(now);
        self.jar.explain(request_path, now)
    }

    /// The live cookies for display, each with its real name and what script could not do.
    pub fn cookies(&mut self, now: i64) -> Vec<CookieView> {
        self.sync(now);
        self.jar
            .cookies(now)
            .into_iter()
            .map(|cookie| {
                let real_name = self.real_name(&cookie.name, &cookie.path);
                let mirror = self.mirror(&(cookie.name.clone(), cookie.path.clone()));
                let refused = mirror.is_some_and(|m| m.refused);
                let mut limits = Vec::new();
                if cookie.http_only {
                    limits.push(HTTP_ONLY_NOTICE.to_string());
                }
                if refused {
                    limits.push(refused_notice(&cookie, &real_name));
                }
                CookieView {
                    in_document_cookie: mirror.is_some_and(|m| m.present),
                    cookie,
                    real_name,
                    limits,
                }
            })
            .collect()
    }

    /// Closing and reopening the browser: session cookies (no expiry) leave the model and
    /// `document.cookie`; persistent ones stay. The real browser keeps running, of course: the
    /// lab deletes the copies itself.
    pub fn restart_browser(&mut self) {
        let session: Vec<StoredCookie> = self
            .jar
            .explain("/", i64::MIN)
            .into_iter()
            .map(|(c, _)| c)
            .filter(StoredCookie::is_session)
            .collect();
        for c in session {
            let real = self.real_name(&c.name, &c.path);
            self.forget_real(&real);
            self.drop_mirror(&c.name, &c.path);
        }
        self.jar.restart_browser();
        // Copies the model does not know yet (another tab's): session ones go too.
        for (real, _) in self.real_pairs() {
            let persistent = storage::get_raw(&format!("{META_PREFIX}{real}"))
                .ok()
                .flatten()
                .and_then(|m| meta_cookie(&m))
                .is_some_and(|c| !c.is_session());
            if !persistent {
                self.forget_real(&real);
            }
        }
    }

    /// Edits a cookie's value in the model and in `document.cookie` (the lab's own cookie
    /// editor); returns what to tell the learner.
    pub fn edit_value(&mut self, name: &str, path: &str, value: &str, now: i64) -> Vec<String> {
        self.sync(now);
        match self.jar.edit_value(name, path, value, now) {
            Ok(cookie) => self.write_mirror(&cookie, now),
            Err(e) => vec![e],
        }
    }

    /// Empties the jar: every cookie of this scope, in the model and in `document.cookie`.
    pub fn clear(&mut self) {
        for (real, _) in self.real_pairs() {
            self.forget_real(&real);
        }
        let names: Vec<String> = self
            .jar
            .explain("/", i64::MIN)
            .into_iter()
            .map(|(c, _)| self.real_name(&c.name, &c.path))
            .collect();
        for real in names {
            self.forget_real(&real);
        }
        if self.swept {
            self.jar.clear();
            self.mirrors.clear();
            return;
        }
        self.swept = true;
        if let Ok(s) = storage::local_storage() {
            let prefix = format!("{META_PREFIX}{}", self.real_prefix());
            let keys: Vec<String> = (0..s.length().unwrap_or(0))
                .filter_map(|i| s.key(i).ok().flatten())
                .filter(|k| k.starts_with(&prefix))
                .collect();
            for k in keys {
                let _ = s.remove_item(&k);
            }
        }
        self.jar.clear();
        self.mirrors.clear();
    }

    /// What changed behind the lab's back since the last call (edits and deletions in
    /// DevTools, cookies adopted from `document.cookie`), in plain words.
    pub fn take_notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
    }

    /// This scope's cookies in `document.cookie`, first of each name.
    fn real_pairs(&mut self) -> Vec<(String, String)> {
        let prefix = self.real_prefix();
        let all = match cookies::read_all_raw() {
            Ok(all) => all,
            Err(e) => {
                self.notices.push(format!("document.cookie: {e}"));
                return Vec::new();
            }
        };
        // The first pair of each name.
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (n, v) in all {
            if n.starts_with(&prefix) && !pairs.iter().any(|(m, _)| *m == n) {
                pairs.push((n, v));
            }
        }
        pairs
    }

    /// Deletes a real copy (and its metadata). A partitioned copy only goes with a
    /// `Partitioned` deletion, so both are written.
    fn forget_real(&self, real: &str) {
        let gone = "Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0";
        let _ = cookies::write_raw_line(&format!("{real}=; Path=/; {gone}"));
        if cookies::is_secure_context() {
            let _ =
                cookies::write_raw_line(&format!("{real}=; Path=/; {gone}; Secure; Partitioned"));
        }
        let _ = storage::remove(&format!("{META_PREFIX}{real}"));
    }

    /// Writes (or rewrites) the real copy of a model cookie and its metadata, reads it back,
    /// and says what the copy cannot be.
    fn write_mirror(&mut self, cookie: &StoredCookie, now: i64) -> Vec<String> {
        let real = self.real_name(&cookie.name, &cookie.path);
        let key = (cookie.name.clone(), cookie.path.clone());
        let real_now = system_now();
        let real_expires = cookie.expires.map(|e| e.saturating_sub(now - real_now));
        if cookie.is_expired(now) {
            self.forget_real(&real);
            self.set_mirror(
                key,
                Mirror {
                    real_expires,
                    present: false,
                    refused: false,
                },
            );
            return Vec::new();
        }
        let mut line = format!("{real}={}; Path=/", cookie.value);
        if let Some(e) = real_expires {
            line.push_str(&format!("; Expires={}", http_date(e)));
        }
        if cookie.secure {
            line.push_str("; Secure");
        }
        if let Some(s) = cookie.same_site {
            line.push_str(&format!("; SameSite={}", s.as_str()));
        }
        if cookie.partitioned {
            line.push_str("; Partitioned");
        }
        let _ = cookies::write_raw_line(&line);
        let taken = cookies::read_all_raw()
            .unwrap_or_default()
            .into_iter()
            .any(|(n, v)| n == real && v == cookie.value);
        let mut notices = Vec::new();
        if cookie.http_only {
            notices.push(HTTP_ONLY_NOTICE.to_string());
        }
        if taken {
            let _ = storage::set_raw(&format!("{META_PREFIX}{real}"), &meta_json(cookie));
        } else {
            notices.push(refused_notice(cookie, &real));
        }
        self.set_mirror(
            key,
            Mirror {
                real_expires,
                present: taken,
                refused: !taken,
            },
        );
        notices
    }

    /// Removes a cookie from the model (through a deletion `Set-Cookie`, as the model offers).
    fn drop_from_model(&mut self, cookie: &StoredCookie, now: i64) {
        let value = if cookie.name.is_empty() {
            cookie.value.as_str()
        } else {
            ""
        };
        let line = format!("{}; Max-Age=0", model_line(cookie, value));
        self.jar.apply(&line, &cookie.path, now);
        self.drop_mirror(&cookie.name, &cookie.path);
    }

    /// Brings the model and `document.cookie` into step (see the module documentation).
    fn sync(&mut self, now: i64) {
        // The real pairs, one per name (`real_pairs` keeps the first), taken out as the model's
        // cookies claim them; what is left is adopted in name order. A list, not a map: a few
        // cookies, and no map code of their own in the bundle.
        let mut real = self.real_pairs();
        let real_now = system_now();
        let offset = now - real_now;
        let model: Vec<StoredCookie> = self
            .jar
            .explain("/", now)
            .into_iter()
            .map(|(c, _)| c)
            .collect();
        for cookie in model {
            let real_name = self.real_name(&cookie.name, &cookie.path);
            let real_value = real
                .iter()
                .position(|(n, _)| *n == real_name)
                .map(|i| real.remove(i).1);
            let key = (cookie.name.clone(), cookie.path.clone());
            let mirror = self.mirror(&key).cloned().unwrap_or(Mirror {
                real_expires: None,
                present: false,
                refused: false,
            });
            if cookie.is_expired(now) {
                if real_value.is_some() || mirror.present {
                    self.forget_real(&real_name);
                    self.set_mirror(
                        key,
                        Mirror {
                            present: false,
                            ..mirror
                        },
                    );
                }
                continue;
            }
            if mirror.refused {
                continue;
            }
            match real_value {
                Some(v) => {
                    let mut cookie = cookie;
                    let mut put_back = false;
                    if v != cookie.value {
                        let what = describe(&cookie, &real_name);
                        match self.jar.apply(&model_line(&cookie, &v), &cookie.path, now) {
                            Applied::Stored { cookie: c, .. } => {
                                self.notices.push(format!(
                                    "{what} was changed outside the lab (DevTools or page \
                                     script): its value is now {v:?}, and that is what the next \
                                     request sends."
                                ));
                                cookie = c;
                            }
                            other => {
                                self.notices.push(format!(
                                    "{what} was changed outside the lab to {v:?}, which a \
                                     browser would not keep ({other}); the lab put the previous \
                                     value back."
                                ));
                                put_back = true;
                            }
                        }
                    }
                    let wanted = cookie.expires.map(|e| e.saturating_sub(offset));
                    let drifted = match (wanted, mirror.real_expires) {
                        (Some(a), Some(b)) => (a - b).abs() > 1,
                        (a, b) => a.is_some() != b.is_some(),
                    };
                    if drifted || put_back || !mirror.present {
                        self.write_mirror(&cookie, now);
                    }
                }
                None => {
                    // Gone from document.cookie. If the browser expired it on real time while
                    // the lab clock was moved back, or the lab removed it, put it back; else
                    // someone deleted it.
                    let expired_for_real = mirror.real_expires.is_some_and(|e| e <= real_now);
                    if mirror.present && !expired_for_real {
                        self.drop_from_model(&cookie, now);
                        let _ = storage::remove(&format!("{META_PREFIX}{real_name}"));
                        self.notices.push(format!(
                            "{} was deleted outside the lab (DevTools, page script or another \
                             tab), so the lab's browser no longer has it either.",
                            describe(&cookie, &real_name)
                        ));
                    } else {
                        self.write_mirror(&cookie, now);
                    }
                }
            }
        }
        for i in sort_order(real.len(), &|a, b| real[a].0.cmp(&real[b].0)) {
            let (real_name, value) = &real[i];
            self.adopt(real_name, value, now);
        }
    }

    /// Takes into the model a lab-named cookie it did not know.
    fn adopt(&mut self, real_name: &str, value: &str, now: i64) {
        let meta = storage::get_raw(&format!("{META_PREFIX}{real_name}"))
            .ok()
            .flatten()
            .and_then(|m| meta_cookie(&m))
            .filter(|c| self.real_name(&c.name, &c.path) == real_name);
        if let Some(known) = meta {
            if known.is_expired(now) {
                // It has expired on the lab clock: the lab's browser would have dropped it.
                self.forget_real(real_name);
                return;
            }
            // Re-stored as of its creation (within the 400-day cap), so it keeps its place.
            let at = match known.expires {
                Some(e) => known.creation.max(e.saturating_sub(MAX_LIFETIME)),
                None => known.creation.min(now),
            };
            let applied = self.jar.apply(&model_line(&known, value), &known.path, at);
            if let Applied::Stored { cookie, .. } = applied {
                self.write_mirror(&cookie, now);
                return;
            }
        }
        let rest = &real_name[self.real_prefix().len()..];
        let (name, path) = match rest.split_once('@') {
            Some((n, p)) => (decode_part(n), decode_part(p)),
            None => (decode_part(rest), "/".to_string()),
        };
        let line = if name.is_empty() {
            format!("{value}; Path={path}")
        } else {
            format!("{name}={value}; Path={path}")
        };
        match self.jar.apply(&line, &path, now) {
            Applied::Stored { cookie, .. } => {
                self.notices.push(format!(
                    "{} appeared in document.cookie without the lab setting it (DevTools, another \
                     tab, or a page from before a reload): taken into the lab's browser as a \
                     session cookie, since document.cookie does not tell a cookie's expiry or \
                     flags.",
                    describe(&cookie, real_name)
                ));
                self.write_mirror(&cookie, now);
            }
            other => {
                self.notices.push(format!(
                    "{real_name} in document.cookie does not make a cookie the lab's browser \
                     would keep ({other}); it was removed."
                ));
                self.forget_real(real_name);
            }
        }
    }
}

fn describe(cookie: &StoredCookie, real_name: &str) -> String {
    let name = if cookie.name.is_empty() {
        "A cookie without a name".to_string()
    } else {
        format!("The cookie {:?}", cookie.name)
    };
    format!("{name} (path {}, {real_name} in DevTools)", cookie.path)
}

fn refused_notice(cookie: &StoredCookie, real_name: &str) -> String {
    let size = real_name.len() + cookie.value.len();
    let why = if size > crate::client::jar::MAX_NAME_VALUE_SIZE {
        format!(
            "with the lab's name {real_name} it is {size} bytes, over the browser's {} for name \
             plus value",
            crate::client::jar::MAX_NAME_VALUE_SIZE
        )
    } else {
        "document.cookie did not take it".to_string()
    };
    format!(
        "{} exists only in the lab's model: the browser refused its copy ({why}), so DevTools \
         does not show it.",
        describe(cookie, real_name)
    )
}

/// The lab drives the real jar through the same interface as the engine's model.
impl crate::lab::CookieJar for BrowserJar {
    fn apply(&mut self, set_cookie: &str, request_path: &str, now: i64) -> Vec<String> {
        let report = BrowserJar::apply(self, set_cookie, request_path, now);
        let mut lines = crate::lab::describe_applied(&report.applied);
        lines.extend(report.notices);
        lines
    }

    fn cookie_header(&mut self, request_path: &str, now: i64) -> Option<String> {
        BrowserJar::cookie_header(self, request_path, now)
    }

    fn explain(&mut self, request_path: &str, now: i64) -> Vec<(StoredCookie, SendDecision)> {
        BrowserJar::explain(self, request_path, now)
    }

    fn cookies(&mut self, now: i64) -> Vec<StoredCookie> {
        BrowserJar::cookies(self, now)
            .into_iter()
            .map(|v| v.cookie)
            .collect()
    }

    fn cookies_with_limits(&mut self, now: i64) -> Vec<(StoredCookie, Vec<String>)> {
        BrowserJar::cookies(self, now)
            .into_iter()
            .map(|v| (v.cookie, v.limits))
            .collect()
    }

    fn restart_browser(&mut self) {
        BrowserJar::restart_browser(self)
    }

    fn clear(&mut self) {
        BrowserJar::clear(self)
    }

    fn take_notices(&mut self) -> Vec<String> {
        BrowserJar::take_notices(self)
    }

    fn edit(&mut self, name: &str, path: &str, value: &str, now: i64) -> Vec<String> {
        BrowserJar::edit_value(self, name, path, value, now)
    }
}
