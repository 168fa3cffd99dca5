//! Python's `repr()` and `str()` of session values, for showing data the way a Flask developer
//! sees it in a shell, and for f-strings in the tutorial views (`f"Welcome {Username}"`).
//!
//! Hand-written because the text must be Python's: quote choice, escapes, `(x,)` one-tuples,
//! `b'...'` bytes, and the reprs of Markup, UUID and datetime.

use crate::engine::py::datetime::civil;
use crate::engine::py::float::float_repr;
use crate::engine::py::value::{uuid_string, Value};
use std::fmt::Write as _;

/// `repr(str)`. Printability follows ASCII and Latin-1 rules exactly; other non-ASCII text is
/// shown as is (Python would escape the few unprintable code points above U+00FF too).
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || (0x7f..=0xa0).contains(&(c as u32)) || c as u32 == 0xad => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (0xd800..0xe000).contains(&(c as u32))
                || (0x2028..=0x2029).contains(&(c as u32)) =>
            {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// `repr(bytes)`: `b'...'` with `\\`, `\t`, `\n`, `\r`, the quote, and `\xhh` for the rest of
/// what is not printable ASCII. Flask-Login's session identifier hashes exactly this text.
pub fn bytes_repr(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        b'"'
    } else {
        b'\''
    };
    let mut out = String::from("b");
    out.push(quote as char);
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c as char);
            }
            0x20..=0x7e => out.push(c as char),
            c => {
                let _ = write!(out, "\\x{c:02x}");
            }
        }
    }
    out.push(quote as char);
    out
}

fn float_py(f: f64) -> String {
    match float_repr(f).as_str() {
        "NaN" => "nan".into(),
        "Infinity" => "inf".into(),
        "-Infinity" => "-inf".into(),
        s => s.into(),
    }
}

fn datetime_repr(unix: i64) -> String {
    let c = civil(unix);
    let mut s = format!(
        "datetime.datetime({}, {}, {}, {}, {}",
        c.year, c.month, c.day, c.hour, c.minute
    );
    if c.second != 0 {
        let _ = write!(s, ", {}", c.second);
    }
    s.push_str(", tzinfo=datetime.timezone.utc)");
    s
}

fn join(items: &[Value]) -> String {
    items.iter().map(repr).collect::<Vec<_>>().join(", ")
}

/// Python `repr(value)`. Dicts show their keys in code-point order (the order Flask's JSON
/// writes them, and so the order a session has after a round trip through the cookie).
pub fn repr(value: &Value) -> String {
    match value {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => float_py(*f),
        Value::Str(s) => str_repr(s),
        Value::List(items) => format!("[{}]", join(items)),
        Value::Tuple(items) if items.len() == 1 => format!("({},)", repr(&items[0])),
        Value::Tuple(items) => format!("({})", join(items)),
        Value::Bytes(b) => bytes_repr(b),
        Value::Markup(m) => format!("Markup({})", str_repr(m)),
        Value::Uuid(u) => format!("UUID('{}')", uuid_string(*u)),
        Value::DateTime(t) => datetime_repr(*t),
        Value::Dict(d) => {
            let inner: Vec<String> = d
                .iter()
                .map(|(k, v)| format!("{}: {}", str_repr(k), repr(v)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
    }
}

/// Python `str(value)`, as an f-string shows it.
pub fn str_of(value: &Value) -> String {
    match value {
        Value::Str(s) | Value::Markup(s) => s.clone(),
        Value::Uuid(u) => uuid_string(*u),
        Value::DateTime(t) => {
            let c = civil(*t);
            format!(
                "{:04}-{:02}-{:02} {:02}:{:02}:{:02}+00:00",
                c.year, c.month, c.day, c.hour, c.minute, c.second
            )
        }
        other => repr(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::flask::tagged_json::loads;

    #[test]
    fn reprs_match_the_reference_vectors() {
        // `python_repr` / `loads_back` texts from tagged_examples.json.
        for (json, py) in [
            (r#"{"t":{" t":[1,2,"x"]}}"#, "{'t': (1, 2, 'x')}"),
            (r#"{"b":{" b":"AP9oaQ=="}}"#, r"{'b': b'\x00\xffhi'}"),
            (r#"{"m":{" m":"<b>x</b>"}}"#, "{'m': Markup('<b>x</b>')}"),
            (
                r#"{"u":{" u":"12345678123456781234567812345678"}}"#,
                "{'u': UUID('12345678-1234-5678-1234-567812345678')}",
            ),
            (
                r#"{"d":{" d":"Tue, 02 Jan 2024 03:04:05 GMT"}}"#,
                "{'d': datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)}",
            ),
        ] {
            assert_eq!(repr(&loads(json).unwrap()), py);
        }
        assert_eq!(bytes_repr(b"203.0.113.7"), "b'203.0.113.7'");
        assert_eq!(str_repr("it's"), "\"it's\"");
    }
}
