//! URLs the way Werkzeug 3.1 turns them around: `request.url` (`get_current_url`, an IRI with
//! what can be shown unquoted unquoted) and the `Location` header (`iri_to_uri`, quoted back).
//!
//! Hand-written because the text is visible on the wire: seed 004 redirects to
//! `/login?next=<request.url>`, and which characters come out quoted there is Werkzeug's
//! choice, not any URL library's.

use crate::engine::py::case;
use std::fmt::Write as _;

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

/// Werkzeug `iri_to_uri`: quote what a URI cannot carry, part by part (host names lower-cased
/// as `urlsplit().hostname` does; ASCII host names only).
pub fn iri_to_uri(iri: &str) -> String {
    let [scheme, netloc, path, query, fragment] = urlsplit(iri);
    let path = quote(&path, "%!$&'()*+,/:;=@");
    let query = quote(&query, "%!$&'()*+,/:;=?@");
    let fragment = quote(&fragment, "%!#$&'()*+,/:;=?@");
    let (auth, hostport) = match netloc.rsplit_once('@') {
        Some((a, h)) => (Some(a), h),
        None => (None, netloc.as_str()),
    };
    let mut host = String::new();
    if let Some(a) = auth {
        let (user, pass) = match a.split_once(':') {
            Some((u, p)) => (u, Some(p)),
            None => (a, None),
        };
        host.push_str(&quote(user, "%!$&'()*+,;="));
        if let Some(p) = pass {
            host.push(':');
            host.push_str(&quote(p, "%!$&'()*+,;="));
        }
        host.push('@');
    }
    host.push_str(&case::lower(hostport));
    urlunsplit(&scheme, &host, &path, &query, &fragment)
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
