//! Python values as a Flask session holds them: the typed model behind TaggedJSON
//! (docs/flask-sessions.md §2.1), with Python's truthiness and `uuid` text.

use std::collections::BTreeMap;
use std::fmt;

/// A Python `int` of any size, kept as its canonical decimal text (optional `-`, no leading
/// zeros, never `-0`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PyInt(String);

impl PyInt {
    /// Parses canonical or JSON integer text (`-0` becomes `0`).
    pub fn parse(text: &str) -> Option<PyInt> {
        let (neg, digits) = match text.strip_prefix('-') {
            Some(d) => (true, d),
            None => (false, text),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let digits = digits.trim_start_matches('0');
        Some(PyInt(match (digits.is_empty(), neg) {
            (true, _) => "0".to_string(),
            (false, true) => format!("-{digits}"),
            (false, false) => digits.to_string(),
        }))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn to_i64(&self) -> Option<i64> {
        self.0.parse().ok()
    }
}

impl From<i64> for PyInt {
    fn from(v: i64) -> Self {
        PyInt(v.to_string())
    }
}

impl From<i128> for PyInt {
    fn from(v: i128) -> Self {
        PyInt(v.to_string())
    }
}

impl fmt::Display for PyInt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A session dictionary: keys in code-point order, which is the order Flask writes them in.
pub type Dict = BTreeMap<String, Value>;

/// Every kind of value a Flask session can hold and get back (docs/flask-sessions.md §2.1).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(PyInt),
    Float(f64),
    Str(String),
    List(Vec<Value>),
    Tuple(Vec<Value>),
    Bytes(Vec<u8>),
    /// `markupsafe.Markup`: HTML that Jinja will not escape again.
    Markup(String),
    Uuid(u128),
    /// An aware UTC `datetime`, whole seconds since the epoch (the tag drops microseconds).
    DateTime(i64),
    Dict(Dict),
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Str(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Str(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i.into())
    }
}

impl Value {
    /// The name of the value's Python type as Python's error messages print it (the C
    /// type's `tp_name`: `datetime.datetime`, where `type(v).__name__` is `datetime`).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "NoneType",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::List(_) => "list",
            Value::Tuple(_) => "tuple",
            Value::Bytes(_) => "bytes",
            Value::Markup(_) => "Markup",
            Value::Uuid(_) => "UUID",
            Value::DateTime(_) => "datetime.datetime",
            Value::Dict(_) => "dict",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) | Value::Markup(s) => Some(s),
            _ => None,
        }
    }

    /// Python truthiness.
    pub fn is_truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Int(i) => i.as_str() != "0",
            Value::Float(f) => *f != 0.0,
            Value::Str(s) | Value::Markup(s) => !s.is_empty(),
            Value::List(v) | Value::Tuple(v) => !v.is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::Dict(d) => !d.is_empty(),
            Value::Uuid(_) | Value::DateTime(_) => true,
        }
    }
}

/// `uuid.UUID(text)`: drops `urn:`, `uuid:`, surrounding braces and dashes, then wants 32 hex
/// digits.
pub fn parse_uuid(text: &str) -> Option<u128> {
    let t = text.replace("urn:", "").replace("uuid:", "");
    let t = t.trim_matches(|c| c == '{' || c == '}').replace('-', "");
    if t.len() != 32 || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u128::from_str_radix(&t, 16).ok()
}

/// Formats a UUID the way Python's `str(uuid)` does.
pub fn uuid_string(u: u128) -> String {
    let h = format!("{u:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}
