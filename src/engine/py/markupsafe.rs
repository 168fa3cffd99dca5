//! markupsafe's `escape`, the one piece of it Flask's wire shows.

use super::repr::str_of;
use super::value::Value;

/// `markupsafe.escape(obj)` on a session value, as Jinja's autoescape and an explicit
/// `escape()` apply it: a `Markup` value (TaggedJSON's `" m"` tag gives one back from the
/// cookie) is left as it is, anything else is `str()`ed and escaped. So markup in a forged
/// session, signed by someone holding the key, reaches the page raw, as it does in Flask.
pub fn escape_value(value: &Value) -> String {
    match value {
        Value::Markup(html) => html.clone(),
        other => escape_html(&str_of(other)),
    }
}

/// `markupsafe.escape`: what Jinja's autoescaping and Werkzeug's redirect page do to text.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
