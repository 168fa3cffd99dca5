//! URLs the way Werkzeug 3.1 turns them around: `request.url` (`get_current_url`, an IRI with
//! what can be shown unquoted unquoted) and the `Location` header (`iri_to_uri`, quoted back).
//!
//! Hand-written because the text is visible on the wire: seed 004 redirects to
//! `/login?next=<request.url>`, and which characters come out quoted there is Werkzeug's
//! choice, not any URL library's.

use crate::engine::py::case;
use std::fmt::Write as _;

pub mod idna;

/// `urllib.parse.quote(text, safe)`: UTF-8 bytes, unreserved ASCII and `safe` kept, the rest
/// as `%XX` (upper-case hex).
pub fn quote(text: &str, safe: &str) -> String {
    quote_bytes(text.as_bytes(), safe)
}

fn quote_bytes(bytes: &[u8], safe: &str) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric()
            || b"_.-~".contains(&b)
            || (b.is_ascii() && safe.as_bytes().contains(&b))
        {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Percent-decodes `text` except `%XX` escapes of the ASCII characters in `keep`, then decodes
/// UTF-8 with invalid bytes quoted back (`uri_to_iri`'s `_unquote_partial` with Werkzeug's
/// `werkzeug.url_quote` error handler).
fn unquote_except(text: &str, keep: &[u8]) -> String {
    let b = text.as_bytes();
    let mut out = String::new();
    let mut run: Vec<u8> = Vec::new();
    let flush = |run: &mut Vec<u8>, out: &mut String| {
        let mut rest: &[u8] = run;
        while !rest.is_empty() {
            match std::str::from_utf8(rest) {
                Ok(s) => {
                    out.push_str(s);
                    break;
                }
                Err(e) => {
                    let good = e.valid_up_to();
                    out.push_str(std::str::from_utf8(&rest[..good]).expect("valid prefix"));
                    let bad = e.error_len().unwrap_or(rest.len() - good);
                    for &x in &rest[good..good + bad] {
                        let _ = write!(out, "%{x:02X}");
                    }
                    rest = &rest[good + bad..];
                }
            }
        }
        run.clear();
    };
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                let byte = h * 16 + l;
                if byte.is_ascii() && keep.contains(&byte) {
                    flush(&mut run, &mut out);
                    out.push_str(&text[i..i + 3]);
                } else {
                    run.push(byte);
                }
                i += 3;
                continue;
            }
        }
        run.push(b[i]);
        i += 1;
    }
    flush(&mut run, &mut out);
    out
}

/// Controls, space, `%` and DEL stay quoted in every part (`_always_unsafe`).
fn always_unsafe() -> Vec<u8> {
    (0u8..=0x20).chain([b'%', 0x7f]).collect()
}

/// `urllib.parse.urlsplit` (Python 3.11): scheme, netloc, path, query, fragment.
pub fn urlsplit(url: &str) -> [String; 5] {
    let url = url.trim_start_matches(|c: char| c <= ' ');
    let mut url: String = url
        .chars()
        .filter(|c| !matches!(c, '\t' | '\r' | '\n'))
        .collect();
    let mut scheme = String::new();
    if let Some(i) = url.find(':') {
        let candidate = &url[..i];
        if i > 0
            && candidate.as_bytes()[0].is_ascii_alphabetic()
            && candidate
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"+-.".contains(&c))
        {
            scheme = candidate.to_ascii_lowercase();
            url = url[i + 1..].to_string();
        }
    }
    let mut netloc = String::new();
    if let Some(rest) = url.strip_prefix("//") {
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        netloc = rest[..end].to_string();
        url = rest[end..].to_string();
    }
    let mut fragment = String::new();
    if let Some((u, f)) = url.split_once('#') {
        fragment = f.to_string();
        url = u.to_string();
    }
    let mut query = String::new();
    if let Some((u, q)) = url.split_once('?') {
        query = q.to_string();
        url = u.to_string();
    }
    [scheme, netloc, url, query, fragment]
}

/// `urllib.parse.urlunsplit` (Python 3.11).
pub fn urlunsplit(scheme: &str, netloc: &str, path: &str, query: &str, fragment: &str) -> String {
    let mut url = path.to_string();
    let uses_netloc = !scheme.is_empty() && USES_NETLOC.contains(&scheme) && !url.starts_with("//");
    if !netloc.is_empty() || uses_netloc {
        if !url.is_empty() && !url.starts_with('/') {
            url.insert(0, '/');
        }
        url = format!("//{netloc}{url}");
    }
    if !scheme.is_empty() {
        url = format!("{scheme}:{url}");
    }
    if !query.is_empty() {
        url = format!("{url}?{query}");
    }
    if !fragment.is_empty() {
        url = format!("{url}#{fragment}");
    }
    url
}

/// `urllib.parse.uses_netloc`.
const USES_NETLOC: [&str; 20] = [
    "", "ftp", "http", "gopher", "nntp", "telnet", "imap", "wais", "file", "mms", "https", "shttp",
    "snews", "prospero", "rtsp", "rtspu", "rsync", "svn", "svn+ssh", "sftp",
];

/// Werkzeug `iri_to_uri`: quote what a URI cannot carry, part by part; the host goes through
/// Python's `idna` codec ([`idna::encode`]). Where Werkzeug raises (see [`try_iri_to_uri`]),
/// the URL comes back with its host as given, lower-cased: text Werkzeug never sends, which
/// the server does not use either (it answers 500, see [`Response::wsgi_headers`]).
///
/// [`Response::wsgi_headers`]: crate::engine::werkzeug::wrappers::Response::wsgi_headers
pub fn iri_to_uri(iri: &str) -> String {
    try_iri_to_uri(iri).unwrap_or_else(|_| {
        let [scheme, netloc, path, query, fragment] = urlsplit(iri);
        let path = quote(&path, "%!$&'()*+,/:;=@");
        let query = quote(&query, "%!$&'()*+,/:;=?@");
        let fragment = quote(&fragment, "%!#$&'()*+,/:;=?@");
        urlunsplit(&scheme, &case::lower(&netloc), &path, &query, &fragment)
    })
}

/// Werkzeug 3.1.9 `iri_to_uri`, or the exception it raises: the netloc is rebuilt from
/// `urlsplit`'s `username`, `password`, `hostname` (lower-cased, then through the `idna`
/// codec) and `port` (a number: `080` becomes `80`, an empty one is dropped). Errors: the
/// codec's (an empty or too long label, a prohibited character), and `port`'s (not digits, or
/// above 65535).
pub fn try_iri_to_uri(iri: &str) -> Result<String, String> {
    let [scheme, netloc, path, query, fragment] = urlsplit(iri);
    check_netloc(&netloc)?;
    let path = quote(&path, "%!$&'()*+,/:;=@");
    let query = quote(&query, "%!$&'()*+,/:;=?@");
    let fragment = quote(&fragment, "%!#$&'()*+,/:;=?@");
    // `_userinfo` and `_hostinfo`: the user part ends at the last '@'.
    let (userinfo, hostinfo) = match netloc.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, netloc.as_str()),
    };
    let (hostname, port) = match hostinfo.split_once('[') {
        Some((_, bracketed)) => {
            let (h, rest) = bracketed.split_once(']').unwrap_or((bracketed, ""));
            (h, rest.split_once(':').map_or("", |(_, p)| p))
        }
        None => hostinfo.split_once(':').unwrap_or((hostinfo, "")),
    };
    let mut out = String::new();
    if !hostname.is_empty() {
        // `hostname`: a scoped IPv6 address keeps its zone's case.
        let host = match hostname.split_once('%') {
            Some((h, zone)) => format!("{}%{zone}", case::lower(h)),
            None => case::lower(hostname),
        };
        out = idna::encode(&host).map_err(|e| {
            format!("UnicodeError: encoding with 'idna' codec failed (UnicodeError: {e})")
        })?;
    }
    if out.contains(':') {
        out = format!("[{out}]");
    }
    if !port.is_empty() {
        // `port`: `str.isdigit()` also takes other digits (`²`, `٣`), then `isascii()` does not.
        if !port.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "ValueError: Port could not be cast to integer value as {}",
                crate::engine::py::repr::str_repr(port)
            ));
        }
        let digits = port.trim_start_matches('0');
        match digits.parse::<u32>() {
            Ok(n) if n <= 65535 => out = format!("{out}:{n}"),
            _ if digits.is_empty() => out.push_str(":0"),
            _ => return Err("ValueError: Port out of range 0-65535".into()),
        }
    }
    if let Some(userinfo) = userinfo {
        let (user, pass) = match userinfo.split_once(':') {
            Some((u, p)) => (u, Some(p)),
            None => (userinfo, None),
        };
        let mut auth = quote(user, "%!$&'()*+,;=");
        if let Some(p) = pass {
            auth.push(':');
            auth.push_str(&quote(p, "%!$&'()*+,;="));
        }
        out = format!("{auth}@{out}");
    }
    Ok(urlunsplit(&scheme, &out, &path, &query, &fragment))
}

/// What `urlsplit` (Python 3.11.7) refuses in a netloc: unbalanced brackets, a bracketed
/// host that is neither an IPv6 address nor an IPvFuture one, a character whose NFKC form
/// holds one of `/?#@:` (`_checknetloc`).
fn check_netloc(netloc: &str) -> Result<(), String> {
    let (open, close) = (netloc.contains('['), netloc.contains(']'));
    if open != close {
        return Err("ValueError: Invalid IPv6 URL".into());
    }
    if open {
        let inside = netloc.split_once('[').map_or("", |(_, r)| r);
        let host = inside.split_once(']').map_or(inside, |(h, _)| h);
        if let Some(rest) = host.strip_prefix('v') {
            // `\Av[a-fA-F0-9]+\..+\Z` (no line breaks are left after urlsplit).
            let ok = rest.split_once('.').is_some_and(|(hex, tail)| {
                !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) && !tail.is_empty()
            });
            if !ok {
                return Err("ValueError: IPvFuture address is invalid".into());
            }
        } else if host.parse::<std::net::Ipv4Addr>().is_ok() {
            return Err("ValueError: An IPv4 address cannot be in brackets".into());
        } else {
            // `ipaddress.IPv6Address`: a scope after `%` must be there and hold no other `%`.
            let (addr, scope) = match host.split_once('%') {
                Some((a, s)) => (a, Some(s)),
                None => (host, None),
            };
            let scope_ok = scope.is_none_or(|s| !s.is_empty() && !s.contains('%'));
            if !scope_ok || addr.parse::<std::net::Ipv6Addr>().is_err() {
                return Err(format!(
                    "ValueError: {} does not appear to be an IPv4 or IPv6 address",
                    crate::engine::py::repr::str_repr(host)
                ));
            }
        }
    }
    if netloc
        .chars()
        .any(|c| u16::try_from(u32::from(c)).is_ok_and(|u| idna::NETLOC_BREAKERS.contains(&u)))
    {
        return Err(format!(
            "ValueError: netloc '{netloc}' contains invalid characters under NFKC normalization"
        ));
    }
    Ok(())
}

/// Werkzeug `uri_to_iri`: unquote what can be shown, keep quoted what would change meaning.
pub fn uri_to_iri(uri: &str) -> String {
    let [scheme, netloc, path, query, fragment] = urlsplit(uri);
    let unsafe_all = always_unsafe();
    let with = |extra: &[u8]| -> Vec<u8> { unsafe_all.iter().chain(extra).copied().collect() };
    let path = unquote_except(&path, &with(b"/?#"));
    let query = unquote_except(&query, &with(b"&=+#"));
    let fragment = unquote_except(&fragment, &unsafe_all);
    urlunsplit(&scheme, &case::lower(&netloc), &path, &query, &fragment)
}

/// Percent-decodes (`%XX` with two hex digits; anything else is kept), `+` as a space when
/// `plus_is_space` (form and query encoding), then UTF-8 with replacement characters.
pub fn unquote(raw: &str, plus_is_space: bool) -> String {
    let b = raw.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' if plus_is_space => out.push(b' '),
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The decoded `request.path` Werkzeug routes on.
pub fn decode_path(raw: &str) -> String {
    unquote(raw, false)
}

/// Werkzeug `get_current_url(scheme, host, root_path="", path, query_string)`: `request.url`.
pub fn current_url(host: &str, raw_path: &str, raw_query: &str) -> String {
    let path = decode_path(raw_path);
    let mut url = format!(
        "http://{host}/{}",
        quote(path.trim_start_matches('/'), "!$&'()*+,/:;=@%")
    );
    if !raw_query.is_empty() {
        url.push('?');
        url.push_str(&quote(raw_query, "!$&'()*+,/:;=?@%"));
    }
    uri_to_iri(&url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_url_and_location_as_werkzeug_writes_them() {
        // Observed with Flask 3.1.3: GET /about?x=%C3%A9 gives request.url
        // "http://localhost/about?x=é", and a Location built from it is quoted back.
        assert_eq!(
            current_url("localhost", "/about", "x=%C3%A9"),
            "http://localhost/about?x=é"
        );
        assert_eq!(
            current_url("localhost", "/about", "next=/x%2Fy"),
            "http://localhost/about?next=/x/y"
        );
        assert_eq!(
            iri_to_uri("/login?next=http://localhost/about?x=é a"),
            "/login?next=http://localhost/about?x=%C3%A9%20a"
        );
        assert_eq!(iri_to_uri("None"), "None");
        assert_eq!(decode_path("/ab%6Fut"), "/about");
    }
}

#[cfg(test)]
mod flask_observed {
    use super::*;

    #[test]
    fn matches_flask_3_1_3_test_client() {
        // Each pair was printed by Flask 3.1.3's test client (request.url, Location).
        assert_eq!(
            current_url("localhost", "/login", "next=%2Fabout&x=a+b&bad=%zz"),
            "http://localhost/login?next=/about&x=a+b&bad=%zz"
        );
        let url = current_url("localhost", "/about", "q=a%20b&e=%C3%A9&p=%25&h=%23");
        assert_eq!(url, "http://localhost/about?q=a%20b&e=é&p=%25&h=%23");
        assert_eq!(
            iri_to_uri(&format!("/login?next={url}")),
            "/login?next=http://localhost/about?q=a%20b&e=%C3%A9&p=%25&h=%23"
        );
        assert_eq!(
            current_url("localhost", "/ab%6Fut", "x=1"),
            "http://localhost/about?x=1"
        );
    }
}
