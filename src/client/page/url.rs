//! URL resolution as a browser does it for the pages of `http://localhost`: where a link or a
//! form goes, whether that is still the mock server, and which attribute values are script
//! or data URLs.

use crate::engine::py::case;

/// Resolves a link or form action against the page's target, as a browser's URL parser
/// does for the pages of `http://localhost`: leading and trailing spaces and controls go,
/// tabs and newlines inside go, `\` is `/`, the fragment is dropped (it never goes on the
/// wire), `.` and `..` segments are removed and unsafe characters percent-encoded. A URL on
/// `http://localhost` becomes its path; one on any other host or scheme is returned whole
/// (`//evil.example/` as `http://evil.example/`; `/\evil.example` and `\\evil.example` are
/// the same URL, since the URL standard reads `\` as `/` for http, and an `http` URL's host is
/// lower-cased and an empty path is `/`, as a browser writes them).
///
/// A path on `http://localhost` that starts with `//` once resolved (`/..//evil.example/x`
/// is the path `//evil.example/x` on this host) is written `/.//evil.example/x`, the way the
/// URL standard keeps such a path from reading as a host: the result stays a target on the
/// mock server, and resolving it again gives it back unchanged.
pub fn resolve_url(current: &str, reference: &str) -> String {
    let cleaned: String = reference
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let reference = cleaned.split('#').next().unwrap_or("");
    let current = current.split('#').next().unwrap_or("");
    let current = if current.starts_with('/') {
        current
    } else {
        "/"
    };
    if reference.is_empty() {
        return current.to_string();
    }
    let mut r = reference.to_string();
    if let Some(colon) = scheme_end(&r) {
        let scheme = r[..colon].to_ascii_lowercase();
        if scheme != "http" {
            return r;
        }
        r = r[colon + 1..].replace('\\', "/");
        if !r.starts_with("//") {
            // `http:about` on an http page is relative.
            return join(current, &r);
        }
    } else {
        r = r.replace('\\', "/");
    }
    if let Some(rest) = r.strip_prefix("//") {
        // Slashes after the first two are skipped before the host ("////evil.example").
        let rest = rest.trim_start_matches('/');
        let end = rest.find(['/', '?']).unwrap_or(rest.len());
        let host = rest[..end].to_ascii_lowercase();
        let path = &rest[end..];
        if host == "localhost" || host == "localhost:80" {
            return join(current, if path.is_empty() { "/" } else { path });
        }
        if host.is_empty() {
            // No host at all: not a URL a browser would go to; shown as written.
            return format!("http://{rest}");
        }
        let slash = if path.starts_with('/') { "" } else { "/" };
        return format!("http://{host}{slash}{path}");
    }
    join(current, &r)
}

pub(super) fn stays_in_lab(target: &str) -> bool {
    target.starts_with('/') && !target.starts_with("//")
}

/// The position of the `:` ending a URL scheme (`[A-Za-z][A-Za-z0-9+.-]*:`), if any.
pub(super) fn scheme_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    for (i, &c) in b.iter().enumerate().skip(1) {
        match c {
            b':' => return Some(i),
            c if c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.') => {}
            _ => return None,
        }
    }
    None
}

/// Joins a relative reference (no scheme, no authority) to the current target.
pub(super) fn join(current: &str, r: &str) -> String {
    let current_path = current.split('?').next().unwrap_or("/");
    let joined = if r.starts_with('/') {
        r.to_string()
    } else if r.starts_with('?') {
        format!("{current_path}{r}")
    } else if r.is_empty() {
        current.to_string()
    } else {
        let dir = &current_path[..current_path.rfind('/').map_or(0, |i| i + 1)];
        format!("{}{r}", if dir.is_empty() { "/" } else { dir })
    };
    let (path, query) = match joined.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (joined.as_str(), None),
    };
    let path = remove_dots(path);
    // A path that starts with `//` would read as a host: `/.` in front keeps it a path.
    let dot = if path.starts_with("//") { "/." } else { "" };
    let mut out = format!("{dot}{}", encode(&path, b"\"<>`{} "));
    if let Some(q) = query {
        out.push('?');
        out.push_str(&encode(q, b"\"<>' "));
    }
    out
}

pub(super) fn remove_dots(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *seg {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                out.pop();
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("/{}", out.join("/"))
}

/// Percent-encodes controls, non-ASCII and the given ASCII bytes (`%` is left alone).
pub(super) fn encode(s: &str, set: &[u8]) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() && !c.is_ascii_control() && !set.contains(&(c as u8)) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

/// An attribute value as a URL parser sees its scheme: whitespace and controls removed
/// anywhere (browsers strip leading C0 controls and spaces and every tab and newline; this
/// is stricter), lower-cased.
pub(super) fn url_skeleton(value: &str) -> String {
    let value: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    case::lower(&value)
}

/// A script URL in any attribute, or a `data:` URL where one navigates or loads.
pub(super) fn dangerous_url(name: &str, value: &str) -> bool {
    let v = url_skeleton(value);
    v.starts_with("javascript:")
        || v.starts_with("vbscript:")
        || (v.starts_with("data:")
            && matches!(
                name,
                "href" | "src" | "action" | "formaction" | "xlink:href" | "data" | "srcdoc"
            ))
}
