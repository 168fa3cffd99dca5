//! What a lesson is made of (steps to do, and the tutorial's claims beside what happens), and
//! the ways a step reads the network log to see whether it was done. Each scenario's own
//! lesson is in its file under [`super::scenarios`].
//!
//! Steps tick themselves: each [`Step::done`] reads the network log (a slice of
//! [`Exchange`]) and nothing else, so progress is a pure function of what was sent and
//! received. A browser restart marks the next request ([`Exchange::after_restart`]); clock
//! moves are not logged as such, so steps that depend on them look at the time between two
//! requests.
//!
//! Every statement about Flask follows `docs/flask-sessions.md` (Flask 3.1.3, Flask-Session
//! 0.8.0, Flask-Login 0.6.3).

use super::{BrowserId, Exchange};
use crate::client::jar::ORIGIN;
use crate::engine::flask::sessions::CookieVerdict;
use crate::engine::itsdangerous::signing::{decode_payload, Segments};
use crate::engine::werkzeug::cookie::parse_cookie_header;
use crate::engine::werkzeug::http_date::parse_http_date;

/// One thing to do in the lab.
#[derive(Debug, Clone)]
pub struct Step {
    /// Stable within its lesson (used by [`progress`]).
    pub id: &'static str,
    /// What to do.
    pub todo: &'static str,
    /// What to look at on the wire or in the panels.
    pub watch: &'static str,
    /// Why it happens.
    pub why: &'static str,
    /// What the step's "Do it" button does, in order: the step done for the learner, the same
    /// way the lab's own buttons and forms would do it.
    pub doit: &'static [super::Action],
    /// Whether the network log shows the step done.
    pub done: fn(&[Exchange]) -> bool,
}

/// A tutorial claim and what Flask really does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Myth {
    /// The claim, paraphrased and attributed.
    pub claim: &'static str,
    pub truth: &'static str,
    /// The step, panel or other scenario that shows it.
    pub shown_by: String,
}

/// A scenario's lesson.
#[derive(Debug, Clone)]
pub struct Lesson {
    pub intro: String,
    pub steps: Vec<Step>,
    pub myths: Vec<Myth>,
}

/// Each step's id with whether the log shows it done, in the lesson's order.
pub fn progress(lesson: &Lesson, log: &[Exchange]) -> Vec<(&'static str, bool)> {
    lesson.steps.iter().map(|s| (s.id, (s.done)(log))).collect()
}

// ---------------------------------------------------------------------------------------------
// Reading the log.

/// Flask-Login's cookie; every other cookie the apps set is the session cookie, whatever its
/// configured name.
pub const REMEMBER_COOKIE: &str = "remember_token";

/// One `Set-Cookie` header, reduced to what the steps look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetCookieLine<'a> {
    pub name: &'a str,
    pub value: &'a str,
    /// `Expires` in unix seconds, if present and readable.
    pub expires: Option<i64>,
    /// `Max-Age` in seconds, if present.
    pub max_age: Option<i64>,
}

impl SetCookieLine<'_> {
    pub fn parse(header: &str) -> SetCookieLine<'_> {
        let mut parts = header.split(';');
        let pair = parts.next().unwrap_or("");
        let (name, value) = pair.split_once('=').unwrap_or(("", pair));
        let mut line = SetCookieLine {
            name: name.trim(),
            value: value.trim(),
            expires: None,
            max_age: None,
        };
        for attribute in parts {
            let (key, val) = attribute.split_once('=').unwrap_or((attribute, ""));
            let key = key.trim();
            if key.eq_ignore_ascii_case("expires") {
                line.expires = parse_http_date(val.trim());
            } else if key.eq_ignore_ascii_case("max-age") {
                line.max_age = val.trim().parse().ok();
            }
        }
        line
    }

    /// Asks the browser to forget the cookie (`Max-Age=0` or an `Expires` already past).
    pub fn deletes(&self, now: i64) -> bool {
        self.max_age.is_some_and(|m| m <= 0) || self.expires.is_some_and(|e| e <= now)
    }

    /// A cookie that outlives the browser (an `Expires` in the future).
    pub fn persistent(&self) -> bool {
        self.expires.is_some()
    }
}

/// The session cookie lines a response sets (Flask-Login's remember cookie left out).
pub fn session_lines(e: &Exchange) -> impl Iterator<Item = SetCookieLine<'_>> {
    e.set_cookies()
        .into_iter()
        .map(SetCookieLine::parse)
        .filter(|c| c.name != REMEMBER_COOKIE)
}

/// The session cookie a response sets with a value (not a deletion).
pub fn session_set(e: &Exchange) -> Option<SetCookieLine<'_>> {
    session_lines(e).find(|c| !c.deletes(e.at))
}

/// Whether a response deletes the session cookie.
pub fn session_deleted(e: &Exchange) -> bool {
    session_lines(e).any(|c| c.deletes(e.at))
}

/// The session cookie's value as the request carried it.
pub fn session_sent(e: &Exchange) -> Option<String> {
    let header = e.cookie.as_deref()?;
    parse_cookie_header(header)
        .into_iter()
        .find(|(name, value)| name != REMEMBER_COOKIE && !value.is_empty())
        .map(|(_, value)| value)
}

/// The server accepted the cookie it was sent (a good signature, or a known session id).
pub fn accepted(e: &Exchange) -> bool {
    matches!(e.verdict, Some(CookieVerdict::Valid { .. }))
}

/// The server ignored a cookie it was sent and started an empty session.
pub fn refused(e: &Exchange) -> bool {
    matches!(
        e.verdict,
        Some(CookieVerdict::Rejected(_) | CookieVerdict::UnknownSessionId)
    )
}

/// The `Location` without its query.
pub fn location_path(e: &Exchange) -> Option<&str> {
    e.header("Location")
        .map(|l| l.split('?').next().unwrap_or(l))
}

pub fn redirects_to(e: &Exchange, path: &str) -> bool {
    matches!(e.status(), 301 | 302 | 303 | 307 | 308) && location_path(e) == Some(path)
}

pub fn get(e: &Exchange, path: &str) -> bool {
    e.method == "GET" && e.path() == path
}

pub fn post(e: &Exchange, path: &str) -> bool {
    e.method == "POST" && e.path() == path
}

/// The JSON a signed cookie value carries, read without any key.
pub fn payload_json(value: &str) -> Option<String> {
    let segments = Segments::split(value).ok()?;
    decode_payload(segments.payload).ok()
}

/// A Flask-Session id: random URL-safe text, not a signed `payload.timestamp.signature`.
pub fn bare_id(value: &str) -> bool {
    !value.is_empty() && !value.contains('.')
}

/// The exchanges of the same browser before position `i`, latest first.
pub fn earlier(log: &[Exchange], i: usize, browser: BrowserId) -> impl Iterator<Item = &Exchange> {
    log[..i].iter().rev().filter(move |p| p.browser == browser)
}

/// The last session cookie line the browser received before position `i`, with the position
/// of the exchange that brought it.
pub fn last_session_line(
    log: &[Exchange],
    i: usize,
    browser: BrowserId,
) -> Option<(usize, bool, bool)> {
    earlier(log, i, browser).find_map(|p| {
        session_lines(p)
            .last()
            .map(|c| (p.id, c.deletes(p.at), c.persistent()))
    })
}

/// A request went out without the session cookie although the last one the browser received
/// had no `Expires`, was never deleted, and had been sent back since: the browser was closed
/// (or its cookies cleared). `also` narrows down the request.
/// Whether this browser was closed and reopened at or before exchange `i`.
pub fn restarted_by(log: &[Exchange], i: usize) -> bool {
    log[..=i]
        .iter()
        .any(|p| p.browser == log[i].browser && p.after_restart)
}

pub fn dropped_browser_session_cookie(log: &[Exchange], also: fn(&Exchange) -> bool) -> bool {
    log.iter().enumerate().any(|(i, e)| {
        if session_sent(e).is_some() || !also(e) || !restarted_by(log, i) {
            return false;
        }
        let Some((set_at, deleted, persistent)) = last_session_line(log, i, e.browser) else {
            return false;
        };
        !deleted
            && !persistent
            && log[..i]
                .iter()
                .any(|p| p.browser == e.browser && p.id > set_at && session_sent(p).is_some())
    })
}

/// A request for a protected page was sent to the login page although the browser's previous
/// request was signed in, nothing deleted its cookie, the cookie had an `Expires`, and time
/// had passed: the session lapsed while the browser sat idle.
pub fn lapsed_while_idle(log: &[Exchange], page: fn(&str) -> bool, login: &str) -> bool {
    log.iter().enumerate().any(|(i, e)| {
        if e.method != "GET" || !page(e.path()) || !redirects_to(e, login) {
            return false;
        }
        if session_sent(e).is_some() && accepted(e) {
            return false;
        }
        let Some(previous) = earlier(log, i, e.browser).next() else {
            return false;
        };
        let signed_in = session_sent(previous).is_some() && accepted(previous);
        let persistent = matches!(last_session_line(log, i, e.browser), Some((_, false, true)));
        signed_in && persistent && !session_deleted(previous) && e.at > previous.at
    })
}

/// A request carrying the session cookie got it back re-issued with an `Expires`, later than
/// the first time the browser received a persistent session cookie: sliding expiry.
pub fn refreshed_later(log: &[Exchange]) -> bool {
    let Some(first) = log
        .iter()
        .find(|e| session_set(e).is_some_and(|c| c.persistent()))
    else {
        return false;
    };
    log.iter().any(|e| {
        e.browser == first.browser
            && e.at > first.at
            && session_sent(e).is_some()
            && accepted(e)
            && session_set(e).is_some_and(|c| c.persistent())
    })
}

/// `POST /login` answered with a redirect that leaves the site.
pub fn redirected_off_site(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        post(e, "/login")
            && e.status() == 302
            && e.header("Location").is_some_and(|l| {
                let l = l.to_ascii_lowercase();
                (l.starts_with("//") || l.contains("://"))
                    && !(l == ORIGIN || l.starts_with(&format!("{ORIGIN}/")))
            })
    })
}
