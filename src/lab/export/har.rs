//! The network log as an HTTP Archive (HAR 1.2).
//!
//! One page per browser (`main`, `second`), each entry pointing at its browser's page: the two
//! browsers have separate cookie jars, so a viewer that groups entries by page (Chrome DevTools
//! does, under the page's first request) keeps each jar's story apart. Pages per navigation
//! would add little: each entry's `redirectURL` already shows the redirect chains, and the
//! Markdown transcript tells them in words.
//!
//! The mock server runs inside the page and answers at once, so every entry takes no time:
//! `time` 0 and timings `{send: 0, wait: 0, receive: 0}`. Entry times are the lab clock, which
//! the learner may have moved forward. The request headers are the ones the mock server
//! received: `Cookie` when the jar sent one, `User-Agent` when the browser was given one and
//! `Content-Type` for a form body, nothing else.

use super::{browser_name, iso, SetCookieParts, HTTP_ONLY, SECURE};
use crate::engine::flask::tagged_json::write_str;
use crate::engine::werkzeug::cookie::parse_cookie_header;
use crate::engine::werkzeug::wrappers::{parse_qs, reason};
use crate::lab::{form_encode, BrowserId, Exchange};

const FORM: &str = "application/x-www-form-urlencoded";
const HTTP: &str = "HTTP/1.1";

/// The log as HAR 1.2 JSON; `title` names the scenario (the pages are titled after it).
pub fn har(log: &[Exchange], title: &str) -> String {
    let mut w = Json(String::with_capacity(2048 + 2048 * log.len()));
    w.open("", '{');
    w.open("log", '{');
    w.raw("version", "\"1.2\"");
    w.open("creator", '{');
    w.str("name", "Session Lab");
    w.str("version", env!("CARGO_PKG_VERSION"));
    w.close('}');
    w.open("pages", '[');
    for b in [BrowserId::Main, BrowserId::Second] {
        if let Some(e) = log.iter().find(|e| e.browser == b) {
            w.open("", '{');
            w.str("startedDateTime", &iso(e.at));
            w.str("id", browser_name(b));
            w.str(
                "title",
                &[title, ": ", browser_name(b), " browser"].concat(),
            );
            w.raw("pageTimings", r#"{"onContentLoad":-1,"onLoad":-1}"#);
            w.close('}');
        }
    }
    w.close(']');
    w.open("entries", '[');
    for e in log {
        entry(&mut w, e);
    }
    w.close(']');
    w.str(
        "comment",
        "Session Lab: requests to the lab's mock server, which runs in the page (no network, \
         no timings). Times are the lab clock.",
    );
    w.close('}');
    w.close('}');
    let mut out = w.0;
    out.pop(); // The comma after the outermost object.
    out
}

fn entry(w: &mut Json, e: &Exchange) {
    w.open("", '{');
    w.str("pageref", browser_name(e.browser));
    w.str("startedDateTime", &iso(e.at));
    w.raw("time", "0");

    w.open("request", '{');
    w.str("method", &e.method);
    w.str("url", &url(&e.target));
    w.str("httpVersion", HTTP);
    let sent = e.cookie.as_deref().map(parse_cookie_header);
    w.pairs("cookies", sent.as_deref().unwrap_or_default());
    // A form body goes with every method but GET and HEAD, even with no fields.
    let body = (!matches!(e.method.as_str(), "GET" | "HEAD")).then(|| {
        let fields: Vec<String> = e
            .form
            .iter()
            .map(|(k, v)| [form_encode(k), form_encode(v)].join("="))
            .collect();
        fields.join("&")
    });
    let mut headers = Vec::new();
    if let Some(c) = &e.cookie {
        headers.push(("Cookie".to_string(), c.clone()));
    }
    if let Some(agent) = &e.user_agent {
        headers.push(("User-Agent".to_string(), agent.clone()));
    }
    if body.is_some() {
        headers.push(("Content-Type".to_string(), FORM.to_string()));
    }
    w.pairs("headers", &headers);
    w.pairs(
        "queryString",
        &parse_qs(e.target.split_once('?').map_or("", |(_, q)| q)),
    );
    if let Some(text) = &body {
        w.open("postData", '{');
        w.str("mimeType", FORM);
        w.pairs("params", &e.form);
        w.str("text", text);
        w.close('}');
    }
    w.raw("headersSize", "-1");
    w.num("bodySize", body.map_or(0, |b| b.len()));
    w.close('}');

    let r = &e.response;
    w.open("response", '{');
    w.num("status", r.status.into());
    w.str("statusText", reason(r.status));
    w.str("httpVersion", HTTP);
    w.open("cookies", '[');
    for line in r.set_cookies() {
        let c = SetCookieParts::parse(line);
        w.open("", '{');
        w.str("name", c.name);
        w.str("value", c.value);
        // The first three of `ATTRS`, under HAR's (and Chrome's) names.
        for (key, value) in ["path", "domain", "sameSite"].into_iter().zip(c.attrs) {
            if let Some(v) = value {
                w.str(key, v);
            }
        }
        if let Some(t) = c.expires(e.at) {
            w.str("expires", &iso(t));
        }
        w.bool("httpOnly", c.flag(HTTP_ONLY));
        w.bool("secure", c.flag(SECURE));
        w.close('}');
    }
    w.close(']');
    w.pairs("headers", &r.headers);
    w.open("content", '{');
    w.num("size", r.body.len());
    w.str("mimeType", r.header("Content-Type").unwrap_or("x-unknown"));
    w.str("text", &r.body);
    w.close('}');
    w.str("redirectURL", r.header("Location").unwrap_or(""));
    w.raw("headersSize", "-1");
    w.num("bodySize", r.body.len());
    w.close('}');

    w.raw("cache", "{}");
    w.raw(
        "timings",
        r#"{"send":0,"wait":0,"receive":0,"comment":"The mock server runs in the page: no network, no time."}"#,
    );
    w.close('}');
}

/// JSON being written: every value is followed by a comma, which the closing bracket takes
/// back (one rule instead of first-or-not bookkeeping at each call).
struct Json(String);

impl Json {
    /// `"key":`, or nothing for an array item.
    fn key(&mut self, key: &str) {
        if !key.is_empty() {
            self.0.push('"');
            self.0.push_str(key);
            self.0.push_str("\":");
        }
    }

    fn open(&mut self, key: &str, bracket: char) {
        self.key(key);
        self.0.push(bracket);
    }

    fn close(&mut self, bracket: char) {
        if self.0.ends_with(',') {
            self.0.pop();
        }
        self.0.push(bracket);
        self.0.push(',');
    }

    /// A value already in JSON.
    fn raw(&mut self, key: &str, json: &str) {
        self.key(key);
        self.0.push_str(json);
        self.0.push(',');
    }

    fn str(&mut self, key: &str, value: &str) {
        self.key(key);
        write_str(&mut self.0, value);
        self.0.push(',');
    }

    fn num(&mut self, key: &str, n: usize) {
        self.raw(key, &n.to_string());
    }

    fn bool(&mut self, key: &str, b: bool) {
        self.raw(key, if b { "true" } else { "false" });
    }

    /// `[{"name":…,"value":…},…]`.
    fn pairs(&mut self, key: &str, items: &[(String, String)]) {
        self.open(key, '[');
        for (name, value) in items {
            self.open("", '{');
            self.str("name", name);
            self.str("value", value);
            self.close('}');
        }
        self.close(']');
    }
}

/// `http://localhost` and the target, with what a URL cannot hold as it is percent-encoded as
/// a browser would send it: spaces, controls, non-ASCII, `"`, `#`, `<`, `>`, `\`, `^`, the
/// backtick, `{`, `|` and `}`. A `%` stays as typed.
fn url(target: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::from("http://localhost");
    for b in target.bytes() {
        if b.is_ascii_graphic() && !b"\"#<>\\^`{|}".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    out
}
