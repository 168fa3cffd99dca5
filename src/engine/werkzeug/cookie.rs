//! Cookies on the wire as Werkzeug 3.1 writes and reads them (docs/flask-sessions.md §1.9):
//! `dump_cookie`'s exact `Set-Cookie` text and attribute order, value quoting, the deletion cookie,
//! the `MAX_COOKIE_SIZE` warning, and `Cookie` request header parsing.
//!
//! Hand-written because the header text is visible in the lab and must match Werkzeug's byte
//! for byte; the `cookie` crate orders and quotes attributes differently.

use crate::engine::werkzeug::http_date::http_date;
use std::fmt::Write as _;

/// A `SameSite` value Werkzeug accepts (title-cased).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SameSite {
    Strict,
    Lax,
    None,
}

impl SameSite {
    /// Werkzeug: `samesite.title()`, then it must be one of the three or `ValueError`.
    pub fn parse(text: &str) -> Result<SameSite, String> {
        match text.to_ascii_lowercase().as_str() {
            "strict" => Ok(SameSite::Strict),
            "lax" => Ok(SameSite::Lax),
            "none" => Ok(SameSite::None),
            _ => Err("SameSite must be 'Strict', 'Lax', or 'None'.".into()),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SameSite::Strict => "Strict",
            SameSite::Lax => "Lax",
            SameSite::None => "None",
        }
    }
}

/// Everything `Response.set_cookie` takes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SetCookie {
    pub name: String,
    pub value: String,
    /// Unix seconds for `Expires`.
    pub expires: Option<i64>,
    pub max_age: Option<i64>,
    pub domain: Option<String>,
    pub path: Option<String>,
    pub secure: bool,
    pub httponly: bool,
    pub samesite: Option<SameSite>,
    pub partitioned: bool,
}

/// The epoch, which is what `delete_cookie` sends as `Expires`.
pub const DELETION_EXPIRES: i64 = 0;

impl SetCookie {
    /// `Response.delete_cookie`: empty value, `Expires` at the epoch and `Max-Age=0`, with the
    /// given attributes kept.
    pub fn deletion(name: &str, template: &SetCookie) -> SetCookie {
        SetCookie {
            name: name.to_string(),
            value: String::new(),
            expires: Some(DELETION_EXPIRES),
            max_age: Some(0),
            ..template.clone()
        }
    }

    /// `werkzeug.http.dump_cookie`: `name=value` then `Domain, Expires, Max-Age, Secure,
    /// HttpOnly, Path, SameSite, Partitioned`. `Partitioned` forces `Secure`.
    ///
    /// ```
    /// use session_lab::engine::werkzeug::cookie::SetCookie;
    /// // A permanent session as Flask 3.1.3 sets it (docs/flask-sessions.md §1.8).
    /// let c = SetCookie {
    ///     name: "session".into(),
    ///     value: "eyJfcGVybWFuZW50Ijp0cnVlLCJ1c2VyX25hbWUiOiJBZG1pbiJ9.ZVPxAA.fB43u1QfNDqDXXJFpeqMRYAVdkg".into(),
    ///     expires: Some(1_700_000_000 + 31 * 86_400),
    ///     path: Some("/".into()),
    ///     httponly: true,
    ///     ..Default::default()
    /// };
    /// assert_eq!(
    ///     c.header_value(),
    ///     "session=eyJfcGVybWFuZW50Ijp0cnVlLCJ1c2VyX25hbWUiOiJBZG1pbiJ9.ZVPxAA.fB43u1QfNDqDXXJFpeqMRYAVdkg; \
    ///      Expires=Fri, 15 Dec 2023 22:13:20 GMT; HttpOnly; Path=/"
    /// );
    /// ```
    pub fn header_value(&self) -> String {
        let mut out = format!("{}={}", self.name, quote_value(&self.value));
        let secure = self.secure || self.partitioned;
        if let Some(domain) = &self.domain {
            let d = domain
                .split(':')
                .next()
                .unwrap_or("")
                .trim_start_matches('.');
            if !d.is_empty() {
                let _ = write!(out, "; Domain={d}");
            }
        }
        if let Some(e) = self.expires {
            let _ = write!(out, "; Expires={}", http_date(e));
        }
        if let Some(m) = self.max_age {
            let _ = write!(out, "; Max-Age={m}");
        }
        if secure {
            out.push_str("; Secure");
        }
        if self.httponly {
            out.push_str("; HttpOnly");
        }
        if let Some(p) = &self.path {
            let _ = write!(out, "; Path={}", quote_path(p));
        }
        if let Some(s) = self.samesite {
            let _ = write!(out, "; SameSite={}", s.as_str());
        }
        if self.partitioned {
            out.push_str("; Partitioned");
        }
        out
    }

    /// Werkzeug's `UserWarning` text when the header is over `max_size` characters (0 turns the
    /// check off). The cookie is still sent; browsers may drop it.
    pub fn size_warning(&self, max_size: usize) -> Option<String> {
        let header = self.header_value();
        let size = header.chars().count();
        if max_size == 0 || size <= max_size {
            return None;
        }
        let value_size = quote_value(&self.value).chars().count();
        Some(format!(
            "The '{}' cookie is too large: the value was {value_size} bytes but the header \
             required {} extra bytes. The final size was {size} bytes but the limit is \
             {max_size} bytes. Browsers may silently ignore cookies larger than this.",
            self.name,
            size - value_size
        ))
    }
}

/// Characters Werkzeug sends without quoting.
fn is_cookie_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'()*+-./:<=>?@[]^_`{|}~".contains(&b)
}

/// Werkzeug `_cookie_quote`: bare if every byte is safe, else double quotes with `"` and `\`
/// backslashed and control bytes, `,`, `;` and 0x7F-0xFF as backslash-octal.
pub fn quote_value(value: &str) -> String {
    if value.bytes().all(is_cookie_safe) {
        return value.to_string();
    }
    let mut out = String::from("\"");
    for b in value.bytes() {
        match b {
            b'"' | b'\\' => {
                out.push('\\');
                out.push(b as char);
            }
            0x00..=0x1f | b',' | b';' | 0x7f..=0xff => {
                let _ = write!(out, "\\{b:03o}");
            }
            _ => out.push(b as char),
        }
    }
    out.push('"');
    out
}

/// `urllib.parse.quote(path, safe="%!$&'()*+,/:=@")`.
pub fn quote_path(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"_.-~%!$&'()*+,/:=@".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Werkzeug's `parse_cookie` (`werkzeug/sansio/http.py`): the `Cookie` request header as
/// (name, value) pairs in order; on lookup the first of several same-named cookies wins.
///
/// A hand port of Werkzeug's `_cookie_re`, tried at each position in turn:
///
/// ```text
/// [ \t]*  ([^ \t=";]+)  (?:[ \t]*=[ \t]*  ("(?:[^\\"]|\\.)*" | [^ \t";]*))?  [ \t]*  (?:;|\Z)
/// ```
///
/// Where it does not match, everything up to and including the next `;` is skipped. So a
/// pair whose value holds a space, a tab or an unbalanced quote is dropped (a later cookie of
/// the same name then wins), a quoted value may hold `;`, a name without `=` gets an empty
/// value, and a pair starting with `=` is dropped. Quoted values lose their quotes and are
/// unescaped as `_cookie_unslash_re` does.
pub fn parse_cookie_header(header: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos <= header.len() {
        match match_cookie(header.as_bytes(), pos) {
            Some(m) => {
                let raw = m.value.map_or("", |(start, end)| &header[start..end]);
                // Only a quoted value starts with `"`, and it is at least `""`.
                let value = match raw.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
                    Some(inner) => unslash(inner.as_bytes()),
                    None => raw.to_string(),
                };
                out.push((header[m.key.0..m.key.1].to_string(), value));
                pos = m.end;
            }
            // Skip invalid chars until the next semicolon.
            None => match header[pos..].find(';') {
                Some(i) => pos += i + 1,
                None => break,
            },
        }
    }
    out
}

/// One `_cookie_re` match: byte ranges of the key and the raw value, and where it ended.
/// Every boundary is at an ASCII byte or the end, so the ranges slice the `str` safely.
struct CookieMatch {
    key: (usize, usize),
    value: Option<(usize, usize)>,
    end: usize,
}

/// `_cookie_re.match(cookie, pos)`. The regex backtracks, but never to a different match:
/// the key and a token value are maximal runs, a quoted value ends at its first unescaped
/// `"`, and every shorter alternative runs into a character the next part refuses.
fn match_cookie(b: &[u8], pos: usize) -> Option<CookieMatch> {
    let skip_blanks = |mut i: usize| {
        while i < b.len() && matches!(b[i], b' ' | b'\t') {
            i += 1;
        }
        i
    };
    // `(?:;|\Z)` after optional blanks: the end of the match.
    let terminator = |i: usize| {
        let i = skip_blanks(i);
        match b.get(i) {
            None => Some(i),
            Some(b';') => Some(i + 1),
            Some(_) => None,
        }
    };
    let key_start = skip_blanks(pos);
    let mut key_end = key_start;
    while key_end < b.len() && !matches!(b[key_end], b' ' | b'\t' | b'=' | b'"' | b';') {
        key_end += 1;
    }
    if key_end == key_start {
        return None;
    }
    let key = (key_start, key_end);
    let eq = skip_blanks(key_end);
    if b.get(eq) == Some(&b'=') {
        let start = skip_blanks(eq + 1);
        let value_end = if b.get(start) == Some(&b'"') {
            quoted_end(b, start)
        } else {
            let mut i = start;
            while i < b.len() && !matches!(b[i], b' ' | b'\t' | b'"' | b';') {
                i += 1;
            }
            Some(i)
        };
        if let Some(value_end) = value_end {
            if let Some(end) = terminator(value_end) {
                return Some(CookieMatch {
                    key,
                    value: Some((start, value_end)),
                    end,
                });
            }
        }
    }
    // Without the `=value` group (fails whenever an `=` follows the key).
    terminator(key_end).map(|end| CookieMatch {
        key,
        value: None,
        end,
    })
}

/// `"(?:[^\\"]|\\.)*"` at `b[start] == b'"'`: the index after the closing quote. `.` does not
/// match a newline, so a backslash before one (or at the end) ends the attempt.
fn quoted_end(b: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    loop {
        match b.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => match b.get(i + 1) {
                Some(&c) if c != b'\n' => i += 2,
                _ => return None,
            },
            _ => i += 1,
        }
    }
}

/// Werkzeug's `_cookie_unslash_re` (`\\([0-3][0-7]{2}|.)` over the UTF-8 bytes) then
/// `decode(errors="replace")`: undoes [`quote_value`].
fn unslash(b: &[u8]) -> String {
    let is_octal = |c: &u8| (b'0'..=b'7').contains(c);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' {
            if let [d0 @ b'0'..=b'3', d1, d2, ..] = b[i + 1..] {
                if is_octal(&d1) && is_octal(&d2) {
                    out.push((d0 - b'0') * 64 + (d1 - b'0') * 8 + (d2 - b'0'));
                    i += 4;
                    continue;
                }
            }
            if let Some(&c) = b.get(i + 1).filter(|&&c| c != b'\n') {
                out.push(c);
                i += 2;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deletion_with_every_attribute_matches_werkzeug() {
        // docs/flask-sessions.md §1.9, observed with everything on.
        let base = SetCookie {
            domain: Some("example.com".into()),
            path: Some("/app".into()),
            secure: true,
            httponly: true,
            samesite: Some(SameSite::Lax),
            partitioned: true,
            ..Default::default()
        };
        assert_eq!(
            SetCookie::deletion("sess", &base).header_value(),
            "sess=; Domain=example.com; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; \
             Secure; HttpOnly; Path=/app; SameSite=Lax; Partitioned"
        );
    }

    #[test]
    fn odd_values_are_quoted_and_read_back() {
        let v = "a b;c\"d\\é";
        let q = quote_value(v);
        assert_eq!(q, "\"a b\\073c\\\"d\\\\\\303\\251\"");
        let parsed = parse_cookie_header(&format!("x={q}; session=abc"));
        assert_eq!(parsed[0].1, v);
        assert_eq!(parsed[1], ("session".into(), "abc".into()));
        assert_eq!(quote_value("1|abc"), "1|abc");
        // Werkzeug: `a=1; a=2; noeq; =x` -> a, a, noeq (empty); the empty name is dropped.
        let names: Vec<_> = parse_cookie_header("a=1; a=2; noeq; =x")
            .into_iter()
            .map(|(k, v)| format!("{k}:{v}"))
            .collect();
        assert_eq!(names, ["a:1", "a:2", "noeq:"]);
    }

    #[test]
    fn malformed_pairs_are_skipped_like_werkzeug() {
        // Each right-hand side is what Werkzeug 3.1.9's parse_cookie gave.
        let pairs = |h: &str| -> Vec<String> {
            parse_cookie_header(h)
                .into_iter()
                .map(|(k, v)| format!("{k}:{v}"))
                .collect()
        };
        assert_eq!(pairs("session=not valid; session=abc"), ["session:abc"]);
        assert_eq!(pairs("session=\"unbalanced; session=abc"), ["session:abc"]);
        assert_eq!(
            pairs("x=\"a;session=junk\"; session=abc"),
            ["x:a;session=junk", "session:abc"]
        );
        assert_eq!(pairs("a=b\tc; a = \"q\\\"\\073\" ; b="), ["a:q\";", "b:"]);
        assert_eq!(pairs("a=1;b=2"), ["a:1", "b:2"]);
        assert!(pairs("").is_empty());
    }
}
