//! Cookies on the wire as Werkzeug 3.1 writes and reads them (FORMATS.md 1.9): `dump_cookie`'s
//! exact `Set-Cookie` text and attribute order, value quoting, the deletion cookie, the
//! `MAX_COOKIE_SIZE` warning, and `Cookie` request header parsing.
//!
//! Hand-written because the header text is visible in the lab and must match Werkzeug's byte
//! for byte; the `cookie` crate orders and quotes attributes differently.

use super::http_date::http_date;
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

/// Werkzeug `_cookie_unquote`: undo [`quote_value`] for a value in double quotes.
fn unquote_value(v: &str) -> String {
    let Some(inner) = v
        .strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .filter(|_| v.len() >= 2)
    else {
        return v.to_string();
    };
    let b = inner.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() {
            let oct = &b[i + 1..b.len().min(i + 4)];
            if oct.len() == 3 && oct.iter().all(|c| (b'0'..=b'7').contains(c)) {
                let n = u32::from(oct[0] - b'0') * 64
                    + u32::from(oct[1] - b'0') * 8
                    + u32::from(oct[2] - b'0');
                if n <= 0xff {
                    out.push(n as u8);
                    i += 4;
                    continue;
                }
            }
            out.push(b[i + 1]);
            i += 2;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses a `Cookie` request header into (name, value) pairs in order, as Werkzeug's
/// `parse_cookie` does: `;`-separated, whitespace trimmed, quoted values unquoted, pairs with no
/// `=` kept with an empty value... and the first of several same-named cookies wins on lookup.
pub fn parse_cookie_header(header: &str) -> Vec<(String, String)> {
    header
        .split(';')
        .filter_map(|part| {
            let part = part.trim();
            if part.is_empty() {
                return None;
            }
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            let k = k.trim();
            (!k.is_empty()).then(|| (k.to_string(), unquote_value(v.trim())))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deletion_with_every_attribute_matches_werkzeug() {
        // FORMATS.md 1.9, observed with everything on.
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
}
