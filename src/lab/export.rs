//! Exports of a running lab (HAR 1.2, a Markdown transcript), made from the network log alone,
//! so they are platform-free and tested natively; the UI only offers the text as a download.
//!
//! - [`har`]: HTTP Archive 1.2, for Chrome DevTools (Network panel, Import HAR) or any HAR
//!   viewer. JSON is written by hand (serde_json is not in the Wasm build), strings with
//!   [`crate::engine::flask::tagged_json::write_str`], Python's `json.dumps` escaping.
//! - [`markdown`]: a transcript for handouts, every header value in a fenced block.
//!
//! Both ship in the size-budgeted Wasm bundle: they write with plain pushes, no `format!`.

mod har;
mod markdown;

pub use har::har;
pub use markdown::markdown;

use super::BrowserId;
use crate::engine::py::datetime::{iso_utc, MAX_UNIX, MIN_UNIX};
use crate::engine::werkzeug::http_date::parse_http_date;

/// ISO 8601 with a time zone, as HAR wants it: `2023-11-14T22:13:20.000Z` (years 1 to 9999).
fn iso(unix: i64) -> String {
    // `2023-11-14 22:13:20 UTC`: ASCII, always four year digits inside Python's range.
    let mut b = iso_utc(unix.clamp(MIN_UNIX, MAX_UNIX)).into_bytes();
    b[10] = b'T';
    b.truncate(19);
    b.extend_from_slice(b".000Z");
    String::from_utf8(b).unwrap_or_default()
}

fn browser_name(b: BrowserId) -> &'static str {
    match b {
        BrowserId::Main => "main",
        BrowserId::Second => "second",
    }
}

/// The `Set-Cookie` attributes read, by index into [`SetCookieParts::attrs`].
const ATTRS: [&str; 7] = [
    "path", "domain", "samesite", "expires", "max-age", "httponly", "secure",
];
const EXPIRES: usize = 3;
const MAX_AGE: usize = 4;
const HTTP_ONLY: usize = 5;
const SECURE: usize = 6;

/// One `Set-Cookie` value taken apart as a browser reads it: `name=value` before the first
/// `;` (split at its first `=`; without one the name is empty), attribute names
/// case-insensitive, the last of a repeated one counting.
struct SetCookieParts<'a> {
    name: &'a str,
    value: &'a str,
    /// Each of [`ATTRS`]' values when present (`""` for a flag).
    attrs: [Option<&'a str>; 7],
}

impl<'a> SetCookieParts<'a> {
    fn parse(header: &'a str) -> Self {
        let trim = |s: &'a str| s.trim_matches([' ', '\t']);
        let mut parts = header.split(';');
        let pair = parts.next().unwrap_or("");
        let (name, value) = pair.split_once('=').unwrap_or(("", pair));
        let mut attrs = [None; 7];
        for attr in parts {
            let (key, val) = attr.split_once('=').unwrap_or((attr, ""));
            if let Some(i) = ATTRS.iter().position(|a| trim(key).eq_ignore_ascii_case(a)) {
                attrs[i] = Some(trim(val));
            }
        }
        SetCookieParts {
            name: trim(name),
            value: trim(value),
            attrs,
        }
    }

    fn flag(&self, i: usize) -> bool {
        self.attrs[i].is_some()
    }

    /// When it expires (unix seconds): `Max-Age` from `now` wins over `Expires`.
    fn expires(&self, now: i64) -> Option<i64> {
        match self.attrs[MAX_AGE].and_then(|m| m.parse::<i64>().ok()) {
            Some(m) => Some(now.saturating_add(m)),
            None => self.attrs[EXPIRES].and_then(parse_http_date),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_iso_with_a_zone() {
        assert_eq!(iso(1_700_000_000), "2023-11-14T22:13:20.000Z");
        assert_eq!(iso(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso(i64::MAX), "9999-12-31T23:59:59.000Z");
        assert_eq!(iso(i64::MIN), "0001-01-01T00:00:00.000Z");
    }

    #[test]
    fn set_cookie_is_taken_apart() {
        let p = SetCookieParts::parse(
            "session=abc; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Secure; \
             HttpOnly; Path=/; SameSite=Lax",
        );
        assert_eq!((p.name, p.value, p.attrs[0]), ("session", "abc", Some("/")));
        assert!(p.flag(HTTP_ONLY) && p.flag(SECURE));
        assert_eq!(p.attrs[2], Some("Lax"));
        assert_eq!(p.expires(1_700_000_000), Some(1_700_000_000));
        let p = SetCookieParts::parse("bare");
        assert_eq!((p.name, p.value, p.expires(0)), ("", "bare", None));
        let p = SetCookieParts::parse("a=b=c; expires=Fri, 15 Dec 2023 22:13:20 GMT; path=/x");
        assert_eq!((p.name, p.value, p.attrs[0]), ("a", "b=c", Some("/x")));
        assert_eq!(p.expires(0), Some(1_702_678_400));
        assert!(!p.flag(HTTP_ONLY));
    }
}
