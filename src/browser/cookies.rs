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
pub struct CookieJarError(pub String);

impl std::fmt::Display for CookieJarError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn document() -> Result<HtmlDocument, CookieJarError> {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<HtmlDocument>().ok())
        .ok_or_else(|| CookieJarError("this page has no HTML document to keep cookies in".into()))
}

/// `document.cookie`: every cookie visible to this page, as `(name, value)` pairs in the
/// browser's order.
pub fn read_all() -> Result<Vec<(String, String)>, CookieJarError> {
    let text = document()?
        .cookie()
        .map_err(|_| CookieJarError("the browser refused to read document.cookie".into()))?;
    Ok(crate::server::cookie::parse_cookie_header(&text))
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
        .map_err(|_| CookieJarError("the browser refused to write document.cookie".into()))
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
            crate::server::http_date::http_date(e)
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
