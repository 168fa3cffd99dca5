//! The real cookie jar, through `document.cookie`.
//!
//! Page script can only see and write what `document.cookie` allows: it never sees `HttpOnly`
//! cookies set by a real server, and it cannot set `HttpOnly` itself. The lab's mock server
//! lives in page script, so its cookies are written without `HttpOnly`, and the lab has to say
//! that a real browser would hide them from script.

use wasm_bindgen::JsCast;
use web_sys::HtmlDocument;

/// Why the browser would not take or give a cookie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CookieJarError {
    /// No `window`, no document, or a document that is not HTML (no `document.cookie`).
    NoDocument,
    /// Reading `document.cookie` threw (a sandboxed or opaque-origin page, say).
    ReadRefused,
    /// Writing `document.cookie` threw.
    WriteRefused,
}

impl std::fmt::Display for CookieJarError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CookieJarError::NoDocument => "this page has no HTML document to keep cookies in",
            CookieJarError::ReadRefused => "the browser refused to read document.cookie",
            CookieJarError::WriteRefused => "the browser refused to write document.cookie",
        })
    }
}

impl std::error::Error for CookieJarError {}

fn document() -> Result<HtmlDocument, CookieJarError> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<HtmlDocument>().ok())
        .ok_or(CookieJarError::NoDocument)
}

/// `document.cookie`: every cookie visible to this page, as `(name, value)` pairs in the
/// browser's order.
pub fn read_all() -> Result<Vec<(String, String)>, CookieJarError> {
    let text = document()?
        .cookie()
        .map_err(|_| CookieJarError::ReadRefused)?;
    Ok(crate::engine::werkzeug::cookie::parse_cookie_header(&text))
}

/// The value of the first cookie with this name.
pub fn read(name: &str) -> Result<Option<String>, CookieJarError> {
    Ok(read_all()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v))
}

/// `document.cookie = line`: hands one `Set-Cookie`-style line to the browser.
/// `HttpOnly` is stripped, because the browser ignores a script-set cookie that carries it.
pub fn write_line(line: &str) -> Result<(), CookieJarError> {
    let script_line: Vec<&str> = line
        .split(';')
        .filter(|part| !part.trim().eq_ignore_ascii_case("httponly"))
        .collect();
    document()?
        .set_cookie(&script_line.join(";"))
        .map_err(|_| CookieJarError::WriteRefused)
}

/// Sets `name=value` for `path` with an optional `Expires` (unix seconds).
pub fn write(
    name: &str,
    value: &str,
    path: &str,
    expires: Option<i64>,
) -> Result<(), CookieJarError> {
    let mut line = format!("{name}={value}; Path={path}");
    if let Some(e) = expires {
        line.push_str(&format!(
            "; Expires={}",
            crate::engine::werkzeug::http_date::http_date(e)
        ));
    }
    write_line(&line)
}

/// Deletes `name` at `path` the way a server does: an expiry in the past.
pub fn delete(name: &str, path: &str) -> Result<(), CookieJarError> {
    write_line(&format!(
        "{name}=; Path={path}; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0"
    ))
}

/// `document.cookie` split exactly as Chromium serialises it (`name=value` joined by `; `),
/// without Werkzeug's unquoting or skipping: quotes stay, and a cookie without a name shows up
/// with an empty name. This is what page script really sees.
pub fn read_all_raw() -> Result<Vec<(String, String)>, CookieJarError> {
    let text = document()?
        .cookie()
        .map_err(|_| CookieJarError::ReadRefused)?;
    Ok(split_document_cookie(&text))
}

/// Splits a `document.cookie` string into `(name, value)` pairs (a pair without `=` is a
/// nameless cookie: empty name, the text as value).
pub fn split_document_cookie(text: &str) -> Vec<(String, String)> {
    text.split(';')
        .map(|p| p.trim_matches(' '))
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((n, v)) => (n.to_string(), v.to_string()),
            None => (String::new(), p.to_string()),
        })
        .collect()
}

/// `document.cookie = line` exactly as given (nothing stripped). Chromium silently ignores a
/// line it does not accept (e.g. one with `HttpOnly`, `SameSite=None` without `Secure`, or a
/// foreign `Domain`), so callers that care read the cookie back.
pub fn write_raw_line(line: &str) -> Result<(), CookieJarError> {
    document()?
        .set_cookie(line)
        .map_err(|_| CookieJarError::WriteRefused)
}

/// `window.isSecureContext`: whether `Secure` cookies can be set from this page (true on
/// `https://`, and on `http://localhost` and `http://127.0.0.1` in Chromium).
pub fn is_secure_context() -> bool {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"isSecureContext".into()).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::CookieJarError as E;
    use wasm_bindgen_test::wasm_bindgen_test;

    /// Each failure's text, as the `String` error this enum replaced wrote it.
    #[wasm_bindgen_test]
    fn every_cookie_jar_error_keeps_its_text() {
        for (error, old) in [
            (
                E::NoDocument,
                "this page has no HTML document to keep cookies in",
            ),
            (
                E::ReadRefused,
                "the browser refused to read document.cookie",
            ),
            (
                E::WriteRefused,
                "the browser refused to write document.cookie",
            ),
        ] {
            assert_eq!(error.to_string(), old, "{error:?}");
        }
    }
}
