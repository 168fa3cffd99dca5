//! URLs the way Werkzeug 3.1 turns them around: `request.url` (`get_current_url`, an IRI with
//! what can be shown unquoted unquoted) and the `Location` header (`iri_to_uri`, quoted back).
//!
//! Hand-written because the text is visible on the wire: seed 004 redirects to
//! `/login?next=<request.url>`, and which characters come out quoted there is Werkzeug's
//! choice, not any URL library's.

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

/// The parts of a URL as `urllib.parse.urlsplit` cuts them.
struct Split<'a> {
    scheme: &'a str,
    netloc: Option<&'a str>,
    path: &'a str,
    query: Option<&'a str>,
    fragment: Option<&'a str>,
}

fn urlsplit(url: &str) -> Split<'_> {
    let (url, fragment) = match url.split_once('#') {
        Some((u, f)) => (u, Some(f)),
        None => (url, None),
    };
    let (url, query) = match url.split_once('?') {
        Some((u, q)) => (u, Some(q)),
        None => (url, None),
    };
    let (scheme, rest) = match url.split_once(':') {
        Some((s, r))
            if !s.is_empty()
                && s.as_bytes()[0].is_ascii_alphabetic()
                && s.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b"+-.".contains(&c)) =>
        {
            (s, r)
        }
        _ => ("", url),
    };
    let (netloc, path) = match rest.strip_prefix("//") {
        Some(r) => match r.find('/') {
            Some(i) => (Some(&r[..i]), &r[i..]),
            None => (Some(r), ""),
        },
        None => (None, rest),
    };
    Split {
        scheme,
        netloc,
        path,
        query,
        fragment,
    }
}

fn unsplit(
    scheme: &str,
    netloc: Option<&str>,
    path: &str,
    query: Option<&str>,
    fragment: Option<&str>,
) -> String {
    let mut out = String::new();
    if !scheme.is_empty() {
        out.push_str(scheme);
        out.push(':');
    }
    if let Some(n) = netloc.filter(|n| !n.is_empty()) {
        out.push_str("//");
        out.push_str(n);
    }
    out.push_str(path);
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        out.push('?');
        out.push_str(q);
    }
    if let Some(f) = fragment.filter(|f| !f.is_empty()) {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// Werkzeug `iri_to_uri`: quote what a URI cannot carry, part by part (host names lower-cased
/// as `urlsplit().hostname` does; ASCII host names only).
pub fn iri_to_uri(iri: &str) -> String {
    let p = urlsplit(iri);
    let path = quote(p.path, "%!$&'()*+,/:;=@");
    let query = p.query.map(|q| quote(q, "%!$&'()*+,/:;=?@"));
    let fragment = p.fragment.map(|f| quote(f, "%!#$&'()*+,/:;=?@"));
    let netloc = p.netloc.map(|n| {
        let (auth, hostport) = match n.rsplit_once('@') {
            Some((a, h)) => (Some(a), h),
            None => (None, n),
        };
        let mut out = String::new();
        if let Some(a) = auth {
            let (user, pass) = match a.split_once(':') {
                Some((u, p)) => (u, Some(p)),
                None => (a, None),
            };
            out.push_str(&quote(user, "%!$&'()*+,;="));
            if let Some(p) = pass {
                out.push(':');
                out.push_str(&quote(p, "%!$&'()*+,;="));
            }
            out.push('@');
        }
        out.push_str(&hostport.to_lowercase());
        out
    });
    unsplit(
        p.scheme,
        netloc.as_deref(),
        &path,
        query.as_deref(),
        fragment.as_deref(),
    )
}

/// Werkzeug `uri_to_iri`: unquote what can be shown, keep quoted what would change meaning.
pub fn uri_to_iri(uri: &str) -> String {
    let p = urlsplit(uri);
    let unsafe_all = always_unsafe();
    let with = |extra: &[u8]| -> Vec<u8> { unsafe_all.iter().chain(extra).copied().collect() };
    let path = unquote_except(p.path, &with(b"/?#"));
    let query = p.query.map(|q| unquote_except(q, &with(b"&=+#")));
    let fragment = p.fragment.map(|f| unquote_except(f, &unsafe_all));
    let netloc = p.netloc.map(str::to_lowercase);
    unsplit(
        p.scheme,
        netloc.as_deref(),
        &path,
        query.as_deref(),
        fragment.as_deref(),
    )
}

/// The decoded `request.path` Werkzeug routes on: percent-decoded, UTF-8 with replacement.
pub fn decode_path(raw: &str) -> String {
    let b = raw.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
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
