//! What the panes show, worked out here rather than in the views, so that it is tested
//! natively: the server's verdict on each request's cookie, the jar as a table with the reason
//! each cookie is sent or not, the session cookie taken apart and checked under the app's key,
//! the server's store in readable form, and the theme a page is drawn in.

use super::{BrowserId, CookieJar, Exchange, Lab};
use crate::engine::flask::config::Config;
use crate::engine::flask::sessions::{CookieVerdict, InterfaceKind, SecureCookieSessionInterface};
use crate::engine::flask::tagged_json::{dumps_dict, loads_dict};
use crate::engine::flask_session::{store_page, stored_session};
use crate::engine::itsdangerous::signing::{decode_payload, Segments};
use crate::engine::py::datetime::iso_utc;
use crate::engine::py::value::Dict;
use crate::engine::werkzeug::cookie::parse_cookie_header;
use crate::engine::werkzeug::http_date::http_date;

/// `3d 4h`, `5m 1s`: a short human duration.
pub fn duration(seconds: i64) -> String {
    let (d, h, m, s) = (
        seconds / 86_400,
        seconds / 3600 % 24,
        seconds / 60 % 60,
        seconds % 60,
    );
    match (d, h, m) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, _) => format!("{m}m {s}s"),
        (0, _, _) => format!("{h}h {m}m"),
        _ => format!("{d}d {h}h"),
    }
}

/// What the server made of the session cookie it received, in one line (nothing when no
/// cookie came).
pub fn verdict_line(ex: &Exchange) -> Option<String> {
    Some(match ex.verdict.as_ref()? {
        CookieVerdict::Absent => return None,
        CookieVerdict::Valid { .. } => "session cookie accepted".into(),
        CookieVerdict::Rejected(e) => {
            format!("session cookie refused, empty session started: {e}")
        }
        CookieVerdict::UnknownSessionId => "session id unknown to the store (expired, revoked or \
             made up): a new session was started"
            .into(),
        CookieVerdict::NoSecretKey => "no SECRET_KEY: the app has no session at all".into(),
    })
}

/// The form a request posted, as the wire lists it: `form: k=v&...`, each value whole up to
/// 120 characters, else its first 60 and its length (the HAR export keeps all of it).
pub fn form_line(ex: &Exchange) -> String {
    let shortened = |value: &str| {
        let count = value.chars().count();
        if count <= 120 {
            return value.to_string();
        }
        let start: String = value.chars().take(60).collect();
        format!("{start}… ({count} characters)")
    };
    let fields: Vec<String> = ex
        .form
        .iter()
        .map(|(k, v)| format!("{k}={}", shortened(v)))
        .collect();
    format!("form: {}", fields.join("&"))
}

/// The response headers the wire shows for an exchange: the ones sessions are made of.
pub fn session_headers(ex: &Exchange) -> Vec<(String, String)> {
    ex.response
        .headers
        .iter()
        .filter(|(k, _)| {
            ["set-cookie", "location", "vary"].contains(&k.to_ascii_lowercase().as_str())
        })
        .cloned()
        .collect()
}

/// One row of the jar table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JarRow {
    pub name: String,
    pub value: String,
    pub path: String,
    /// The `Expires` date, or `Session` for a cookie that ends with the browser.
    pub expires: String,
    /// `HttpOnly Secure SameSite=Lax`, as set.
    pub flags: String,
    /// `123 bytes`.
    pub size: String,
    /// Whether the cookie goes with a request for the page on screen, and why not.
    pub why: String,
    /// What the real browser cannot do for this cookie (`HttpOnly` from script, ...).
    pub limits: Vec<String>,
}

/// The session cookie, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CookieReadout {
    /// The browser holds no session cookie.
    Absent,
    /// Flask-Session's cookie: only an id.
    SessionId(String),
    /// Not `payload.timestamp.signature`.
    NotFlask,
    /// A Flask signed cookie.
    Signed {
        /// The payload's JSON text, or why it cannot be read.
        payload: String,
        compressed: bool,
        /// `2023-11-14 22:13:20 UTC (age 5m 1s)`, or `unreadable`.
        timestamp: String,
        /// The timestamp itself, for an age that moves with the clock.
        issued_at: Option<i64>,
        /// Whether the signature holds under the app's key, or why not.
        signature: Result<(), String>,
    },
}

/// One row of the server's store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreRow {
    pub key: String,
    /// The stored session as tagged JSON.
    pub data: String,
    /// The time left, or `never expires` (see [`ttl_text`]).
    pub ttl: String,
    /// When it expires (0 = never), for a countdown that moves with the clock.
    pub expires_at: i64,
}

/// A store entry's countdown at `now`: the time left, or `never expires`.
pub fn ttl_text(expires_at: i64, now: i64) -> String {
    if expires_at == 0 {
        "never expires".to_string()
    } else {
        duration((expires_at - now).max(0))
    }
}

/// How many rows a page of the wire or of the store shows.
pub const PAGE_SIZE: usize = 50;

/// Where a page sits in a list shown newest first: rows `offset + 1` to `offset + shown` of
/// `total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Paging {
    /// How many rows come before the page (0 = the page starts with the newest).
    pub offset: usize,
    /// How many rows the page shows.
    pub shown: usize,
    pub total: usize,
}

impl Paging {
    /// `entries 1–50 of 1,000` (`sessions`, for the store).
    pub fn caption(&self, noun: &str) -> String {
        if self.shown == 0 {
            return format!("no {noun} of {}", thousands(self.total));
        }
        format!(
            "{noun} {}–{} of {}",
            thousands(self.offset + 1),
            thousands(self.offset + self.shown),
            thousands(self.total)
        )
    }

    /// Whether there are newer rows before the page.
    pub fn has_newer(&self) -> bool {
        self.offset > 0
    }

    /// Whether there are older rows after the page.
    pub fn has_older(&self) -> bool {
        self.offset + self.shown < self.total
    }
}

/// `10000` as `10,000`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A page of the network log, newest first: `top` is the id of the exchange at the top of the
/// page (`None`: the newest, following new requests). Returns the page's exchange ids, newest
/// first, and where it sits.
pub fn log_page(len: usize, top: Option<usize>, limit: usize) -> (Vec<usize>, Paging) {
    if len == 0 {
        return (Vec::new(), Paging::default());
    }
    let top = top.map_or(len - 1, |t| t.min(len - 1));
    let ids: Vec<usize> = (0..=top).rev().take(limit).collect();
    let paging = Paging {
        offset: len - 1 - top,
        shown: ids.len(),
        total: len,
    };
    (ids, paging)
}

/// The top of the log page one page `older` (or newer) than the one whose top is `top`:
/// `None` when that is the newest page. The oldest page is a whole page when the log holds one.
pub fn log_page_moved(len: usize, top: Option<usize>, limit: usize, older: bool) -> Option<usize> {
    let newest = len.checked_sub(1)?;
    let top = top.map_or(newest, |t| t.min(newest));
    let moved = if older {
        top.saturating_sub(limit)
            .max(limit.min(newest + 1) - 1)
            .min(top)
    } else {
        top + limit
    };
    (moved < newest).then_some(moved)
}

/// The server's store, one page of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreView {
    pub rows: Vec<StoreRow>,
    pub paging: Paging,
}

/// The state pane of the main browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateView {
    /// The path of the page on screen (what the jar's reasons refer to).
    pub path: String,
    pub jar: Vec<JarRow>,
    pub cookie: CookieReadout,
    /// `None` when the server keeps no session data (Flask's signed cookies).
    pub store: Option<StoreView>,
}

/// The state pane: the main browser's jar for the page on screen, its session cookie read
/// against the app's config, and the first page of the app's store.
pub fn state<J: CookieJar>(lab: &mut Lab<J>, now: i64) -> StateView {
    state_page(lab, now, 0, PAGE_SIZE)
}

/// [`state`], with the page of the store that starts `store_offset` rows after the newest.
pub fn state_page<J: CookieJar>(
    lab: &mut Lab<J>,
    now: i64,
    store_offset: usize,
    store_limit: usize,
) -> StateView {
    let path = lab
        .main
        .location()
        .map(|p| p.split('?').next().unwrap_or("/").to_string())
        .unwrap_or_else(|| "/".into());
    let decisions = lab.main.jar.explain(&path, now);
    let cookies = lab.main.jar.cookies_with_limits(now);
    let config = &lab.app.config;
    let jar = cookies
        .iter()
        .map(|(c, limits)| {
            let why = decisions
                .iter()
                .find(|(d, _)| d.name == c.name && d.path == c.path)
                .map(|(_, d)| d.to_string())
                .unwrap_or_default();
            let flags = [
                c.http_only.then_some("HttpOnly"),
                c.secure.then_some("Secure"),
            ]
            .into_iter()
            .flatten()
            .map(str::to_string)
            .chain(c.same_site.map(|s| format!("SameSite={}", s.as_str())))
            .collect::<Vec<_>>()
            .join(" ");
            JarRow {
                name: c.name.clone(),
                value: c.value.clone(),
                path: c.path.clone(),
                expires: c.expires.map_or("Session".to_string(), http_date),
                flags,
                size: format!("{} bytes", c.size),
                why: format!("For {path}: {why}"),
                limits: limits.clone(),
            }
        })
        .collect();
    let session_cookie = cookies
        .iter()
        .find(|(c, _)| c.name == config.session_cookie_name)
        .map(|(c, _)| c.value.as_str());
    let kind = lab.app.session_interface().kind();
    let cookie = cookie_readout(session_cookie, kind, config, now);
    let store =
        store_page(lab.app.session_interface(), now, store_offset, store_limit).map(|page| {
            let rows: Vec<StoreRow> = page
                .entries
                .iter()
                .map(|e| StoreRow {
                    key: e.key.clone(),
                    data: dumps_dict(&e.data),
                    ttl: ttl_text(e.expires_at, now),
                    expires_at: e.expires_at,
                })
                .collect();
            StoreView {
                paging: Paging {
                    offset: page.offset,
                    shown: rows.len(),
                    total: page.total,
                },
                rows,
            }
        });
    StateView {
        path,
        jar,
        cookie,
        store,
    }
}

/// A session cookie's value read as the app would: an id for Flask-Session, a signed cookie
/// checked under the app's keys and lifetime for Flask.
pub fn cookie_readout(
    value: Option<&str>,
    kind: InterfaceKind,
    config: &Config,
    now: i64,
) -> CookieReadout {
    let Some(value) = value else {
        return CookieReadout::Absent;
    };
    if kind == InterfaceKind::ServerSide {
        return CookieReadout::SessionId(value.to_string());
    }
    let Ok(seg) = Segments::split(value) else {
        return CookieReadout::NotFlask;
    };
    let payload = decode_payload(seg.payload).unwrap_or_else(|e| e.to_string());
    let issued_at = seg.timestamp_value();
    let timestamp = match issued_at {
        Some(t) => timestamp_text(t, now),
        None => "unreadable".into(),
    };
    let signature = match SecureCookieSessionInterface::serializer(config) {
        None => Err("the app has no SECRET_KEY".to_string()),
        Some(s) => s
            .loads(value, Some(config.permanent_session_lifetime), now)
            .map(|_| ())
            .map_err(|e| e.to_string()),
    };
    CookieReadout::Signed {
        payload,
        compressed: seg.compressed(),
        timestamp,
        issued_at,
        signature,
    }
}

/// A signed cookie's timestamp with its age at `now`: `2023-11-14 22:13:20 UTC (age 5m 1s)`.
pub fn timestamp_text(issued_at: i64, now: i64) -> String {
    format!(
        "{} (age {})",
        iso_utc(issued_at),
        duration((now - issued_at).max(0))
    )
}

/// The theme a browser's page is drawn in: the session's `theme` (seed 004 stores "dark"),
/// read as the server saw the session when it answered, from the signed cookie or from the
/// store by session id. Only `dark` and `light` count.
pub fn page_theme<J: CookieJar>(lab: &Lab<J>, browser: BrowserId) -> Option<&'static str> {
    let tab = lab.tab(browser)?;
    let ex = tab.page.and_then(|i| lab.log.get(i))?;
    let sent = ex.cookie.as_deref()?;
    let value = parse_cookie_header(sent)
        .into_iter()
        .find(|(k, _)| *k == lab.app.config.session_cookie_name)?
        .1;
    let data = match stored_session(lab.app.session_interface(), &value, ex.at) {
        Some(stored) => stored?,
        None => cookie_data(&value)?,
    };
    match data.get("theme")?.as_str()? {
        "dark" => Some("dark"),
        "light" => Some("light"),
        _ => None,
    }
}

/// A signed session cookie's data, read without the key (it is only signed).
fn cookie_data(value: &str) -> Option<Dict> {
    let seg = Segments::split(value).ok()?;
    let json = decode_payload(seg.payload).ok()?;
    loads_dict(&json).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_shortens_long_form_values_only() {
        use crate::lab::run::{Act, ModelHost, Run};
        use crate::lab::scenarios::seed_004_client_temp::SCENARIO;
        let long = "x".repeat(121);
        let mut run = Run::start(&SCENARIO, 1, &mut ModelHost);
        run.apply(
            Act::Submit {
                browser: crate::lab::BrowserId::Main,
                method: "POST".into(),
                action: "/login".into(),
                fields: vec![
                    ("next".into(), "None".into()),
                    ("username".into(), long.clone()),
                ],
            },
            1_700_000_000,
            &mut ModelHost,
        );
        let post = &run.lab.as_ref().unwrap().log[0];
        assert_eq!(
            form_line(post),
            format!("form: next=None&username={}… (121 characters)", &long[..60])
        );
        let mut short = post.clone();
        short.form[1].1 = "x".repeat(120);
        assert_eq!(
            form_line(&short),
            format!("form: next=None&username={}", "x".repeat(120))
        );
    }

    #[test]
    fn durations_are_short() {
        assert_eq!(duration(5), "5s");
        assert_eq!(duration(301), "5m 1s");
        assert_eq!(duration(7_260), "2h 1m");
        assert_eq!(duration(31 * 86_400 + 3_600), "31d 1h");
    }

    #[test]
    fn pages_say_where_they_are() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        let (ids, paging) = log_page(1_000, None, 50);
        assert_eq!(ids.first(), Some(&999));
        assert_eq!(ids.last(), Some(&950));
        assert_eq!(paging.caption("entries"), "entries 1–50 of 1,000");
        assert!(!paging.has_newer() && paging.has_older());
        // Older, and back.
        let top = log_page_moved(1_000, None, 50, true);
        assert_eq!(top, Some(949));
        let (ids, paging) = log_page(1_000, top, 50);
        assert_eq!((ids[0], ids[49]), (949, 900));
        assert_eq!(paging.caption("entries"), "entries 51–100 of 1,000");
        assert!(paging.has_newer());
        assert_eq!(log_page_moved(1_000, top, 50, false), None);
        // A page that stays put while new requests arrive.
        let (ids, paging) = log_page(1_003, top, 50);
        assert_eq!(ids[0], 949);
        assert_eq!(paging.caption("entries"), "entries 54–103 of 1,003");
        // The oldest page is a whole page, when there is one.
        let oldest = log_page_moved(120, Some(60), 50, true);
        assert_eq!(oldest, Some(49));
        let (ids, paging) = log_page(120, oldest, 50);
        assert_eq!((ids.len(), paging.has_older()), (50, false));
        assert_eq!(log_page_moved(120, oldest, 50, true), Some(49));
        assert_eq!(log_page_moved(30, None, 50, true), None);
        assert_eq!(log_page(0, None, 50), (Vec::new(), Paging::default()));
    }
}
