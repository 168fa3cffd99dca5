//! Flask's `TaggedJSONSerializer` (docs/flask-sessions.md section 2): the exact JSON text Flask 3.1
//! writes inside a request for a session's [`Value`]s, and how it reads them back.
//!
//! Both directions are hand-written rather than built on serde_json because the text must be
//! Python's byte for byte: keys sorted by code point, `ensure_ascii` escaping with lowercase
//! `\u` hex and surrogate pairs, Python's float `repr`, integers of any size, and `NaN` /
//! `Infinity`, none of which serde_json writes or reads the same way.

use crate::engine::itsdangerous::pybase64::{b64decode, b64encode, Base64Error};
use crate::engine::py::float::float_repr;
use crate::engine::py::value::{parse_uuid, Dict, PyInt, Value};
use crate::engine::werkzeug::http_date::{http_date, parse_http_date};
use std::fmt::{self, Write as _};

/// The keys of Flask's registered tags (docs/flask-sessions.md §2.1).
pub const TAG_KEYS: [&str; 6] = [" di", " t", " b", " m", " u", " d"];

/// Why a payload is not a session Flask could load (itsdangerous `BadPayload`). `Display` gives
/// the reason the lab shows: Python's own message where Python raises one (`json.loads`,
/// `base64.b64decode`, `uuid.UUID`), otherwise Session Lab's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaggedJsonError {
    /// The text starts with a UTF-8 byte order mark, which `json.loads` refuses.
    Bom,
    /// Python's `json.JSONDecodeError`: what the decoder expected, at a character offset.
    Syntax { error: JsonSyntax, at: usize },
    /// Nested deeper than `limit` ([`MAX_DEPTH`]), at a character offset.
    TooDeep { limit: usize, at: usize },
    /// A number the JSON grammar accepts that does not read as an `f64`.
    BadNumber { text: String },
    /// An integer longer than Python converts from text (`limit` digits).
    IntTooLong { limit: usize },
    /// A lone UTF-16 surrogate (`"\ud800"`): Python keeps it in a `str`, a Rust string cannot.
    LoneSurrogate { unit: u16 },
    /// A tag (one of [`TAG_KEYS`]) around a value of a type its `to_python` cannot take;
    /// `found` names that type as the message does ("an int", "null", ...).
    TagCannotHold {
        tag: &'static str,
        found: &'static str,
    },
    /// `" b"` around a non-ASCII `str` (Python's `ValueError` from `b64decode`).
    NonAsciiBase64,
    /// `" b"` around text Python's base64 decoder refuses (`binascii.Error`).
    Base64(Base64Error),
    /// `" u"` around text `uuid.UUID` refuses.
    BadUuid,
    /// [`loads_dict`]: the top level is not a dict; `found` names its type ("a list", ...).
    NotADict { found: &'static str },
}

/// What Python's JSON decoder expected and did not find (the text of its `JSONDecodeError`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonSyntax {
    ExpectingValue,
    ExpectingPropertyName,
    ExpectingColon,
    ExpectingComma,
    UnterminatedString,
    InvalidEscape,
    InvalidUnicodeEscape,
    InvalidControlCharacter,
    ExtraData,
}

impl JsonSyntax {
    /// Python's `msg` for this error.
    pub fn message(self) -> &'static str {
        match self {
            JsonSyntax::ExpectingValue => "Expecting value",
            JsonSyntax::ExpectingPropertyName => {
                "Expecting property name enclosed in double quotes"
            }
            JsonSyntax::ExpectingColon => "Expecting ':' delimiter",
            JsonSyntax::ExpectingComma => "Expecting ',' delimiter",
            JsonSyntax::UnterminatedString => "Unterminated string starting",
            JsonSyntax::InvalidEscape => "Invalid \\escape",
            JsonSyntax::InvalidUnicodeEscape => "Invalid \\uXXXX escape",
            JsonSyntax::InvalidControlCharacter => "Invalid control character",
            JsonSyntax::ExtraData => "Extra data",
        }
    }
}

impl fmt::Display for JsonSyntax {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl fmt::Display for TaggedJsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TaggedJsonError::Bom => f.write_str("Unexpected UTF-8 BOM (decode using utf-8-sig)"),
            TaggedJsonError::Syntax { error, at } => write!(f, "{error} at char {at}"),
            TaggedJsonError::TooDeep { at, .. } => write!(f, "nesting is too deep at char {at}"),
            TaggedJsonError::BadNumber { text } => write!(f, "bad number {text:?}"),
            TaggedJsonError::IntTooLong { limit } => write!(
                f,
                "Exceeds the limit ({limit} digits) for integer string conversion"
            ),
            TaggedJsonError::LoneSurrogate { unit } => write!(
                f,
                "the text holds a lone UTF-16 surrogate \\u{unit:04x}, which Python allows but \
                 Session Lab cannot represent"
            ),
            TaggedJsonError::TagCannotHold { tag, found } => {
                write!(f, "tag {tag:?} cannot hold {found}")
            }
            TaggedJsonError::NonAsciiBase64 => {
                f.write_str("string argument should contain only ASCII characters")
            }
            TaggedJsonError::Base64(e) => write!(f, "{e}"),
            TaggedJsonError::BadUuid => f.write_str("badly formed hexadecimal UUID string"),
            TaggedJsonError::NotADict { found } => {
                write!(f, "the session payload must be a JSON object, not {found}")
            }
        }
    }
}

impl std::error::Error for TaggedJsonError {}

// ---------------------------------------------------------------------------------------------
// dumps

/// `TaggedJSONSerializer.dumps` inside an app context: tagged, compact, sorted, ASCII only.
///
/// ```
/// use session_lab::engine::flask::tagged_json::{dumps, loads};
/// // Examples 5, 13 and 3 of docs/flask-sessions.md §2.3, from Flask 3.1.3.
/// for text in [
///     r#"{"t":{" t":[1,2,"x"]}}"#,
///     r#"{"x":{" di":{" t__":"a"}}}"#,
///     r#"{"name":"Zo\u00eb \u2603 \u65e5\u672c"}"#,
/// ] {
///     assert_eq!(dumps(&loads(text).unwrap()), text);
/// }
/// ```
pub fn dumps(value: &Value) -> String {
    written(|out| write_value(out, value))
}

/// Serializes a whole session dict (the cookie payload).
pub fn dumps_dict(dict: &Dict) -> String {
    written(|out| write_dict(out, dict))
}

thread_local! {
    /// The text being written, kept per thread so it grows once rather than on every call.
    static OUT: std::cell::Cell<String> = const { std::cell::Cell::new(String::new()) };
}

/// What `write` writes, as a string of exactly its length: written into a reused buffer, then
/// copied once, rather than grown from empty (four reallocations for a small session, seven
/// for a 3 KB one).
fn written(write: impl FnOnce(&mut String)) -> String {
    let mut buf = OUT.take();
    buf.clear();
    write(&mut buf);
    let text = buf.as_str().to_owned();
    // A session is a few KB; a buffer grown by a big value is not kept.
    if buf.capacity() <= 1 << 16 {
        OUT.set(buf);
    }
    text
}

fn write_dict(out: &mut String, dict: &Dict) {
    // TagDict: a one-key dict whose key is a tag name is escaped with `" di"` and `__`.
    if dict.len() == 1 {
        let (k, v) = dict.iter().next().expect("len is 1");
        if TAG_KEYS.contains(&k.as_str()) {
            out.push_str("{\" di\":{");
            write_str(out, &format!("{k}__"));
            out.push(':');
            write_value(out, v);
            out.push_str("}}");
            return;
        }
    }
    out.push('{');
    for (i, (k, v)) in dict.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_str(out, k);
        out.push(':');
        write_value(out, v);
    }
    out.push('}');
}

fn write_list(out: &mut String, items: &[Value]) {
    out.push('[');
    for (i, v) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_value(out, v);
    }
    out.push(']');
}

fn write_tagged(out: &mut String, tag: &str, inner: impl FnOnce(&mut String)) {
    out.push_str("{\"");
    out.push_str(tag);
    out.push_str("\":");
    inner(out);
    out.push('}');
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Int(i) => out.push_str(i.as_str()),
        Value::Float(f) => out.push_str(&float_repr(*f)),
        Value::Str(s) => write_str(out, s),
        Value::List(items) => write_list(out, items),
        Value::Dict(d) => write_dict(out, d),
        Value::Tuple(items) => write_tagged(out, " t", |o| write_list(o, items)),
        Value::Bytes(b) => write_tagged(out, " b", |o| write_str(o, &b64encode(b))),
        Value::Markup(m) => write_tagged(out, " m", |o| write_str(o, m)),
        Value::Uuid(u) => write_tagged(out, " u", |o| write_str(o, &format!("{u:032x}"))),
        Value::DateTime(t) => write_tagged(out, " d", |o| write_str(o, &http_date(*t))),
    }
}

const LOW_BITS: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Per byte of `x`, the high bit set where the byte is below `n` (`n` <= 128). Bytes above the
/// first flagged one may be flagged wrongly (a borrow), never bytes below it, so the lowest flag
/// is exact.
#[inline(always)]
fn bytes_below(x: u64, n: u8) -> u64 {
    x.wrapping_sub(LOW_BITS * u64::from(n)) & !x & HIGH_BITS
}

/// Per byte of `x`, the high bit set where the byte equals `b` (lowest flag exact, as above).
#[inline(always)]
fn bytes_equal(x: u64, b: u8) -> u64 {
    bytes_below(x ^ (LOW_BITS * u64::from(b)), 1)
}

/// How many leading bytes of `s` are not flagged by `word` (eight at a time) or `byte`.
#[inline(always)]
fn plain_run(s: &[u8], word: impl Fn(u64) -> u64, byte: impl Fn(u8) -> bool) -> usize {
    let mut i = 0;
    for chunk in s.chunks_exact(8) {
        let flags = word(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        if flags != 0 {
            return i + (flags.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i + s[i..].iter().take_while(|&&b| !byte(b)).count()
}

/// Leading bytes `json.dumps(ensure_ascii=True)` copies as they are: printable ASCII but `"`
/// and `\`.
fn ascii_plain_run(s: &[u8]) -> usize {
    plain_run(
        s,
        |x| {
            bytes_below(x, 0x20)
                | bytes_equal(x, b'"')
                | bytes_equal(x, b'\\')
                | bytes_equal(x, 0x7f)
                | (x & HIGH_BITS)
        },
        |b| !(b' '..=b'~').contains(&b) || b == b'"' || b == b'\\',
    )
}

/// Leading bytes a JSON string holds as they are: anything but `"`, `\` and control
/// characters.
fn json_plain_run(s: &[u8]) -> usize {
    plain_run(
        s,
        |x| bytes_below(x, 0x20) | bytes_equal(x, b'"') | bytes_equal(x, b'\\'),
        |b| b < 0x20 || b == b'"' || b == b'\\',
    )
}

/// `json.dumps` string escaping with `ensure_ascii=True`.
pub fn write_str(out: &mut String, s: &str) {
    out.push('"');
    let mut rest = s;
    loop {
        // Copy the plain run at once; then escape one character.
        let run = ascii_plain_run(rest.as_bytes());
        out.push_str(&rest[..run]);
        rest = &rest[run..];
        let mut chars = rest.chars();
        let Some(c) = chars.next() else { break };
        rest = chars.as_str();
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
    }
    out.push('"');
}

// ---------------------------------------------------------------------------------------------
// loads

/// Deepest nesting accepted. CPython's limit is its recursion limit (about 1000 frames); this
/// is lower so the parser cannot exhaust a Wasm stack.
pub const MAX_DEPTH: usize = 400;

/// Python's limit on the digits of an integer read from text (`sys.get_int_max_str_digits`).
const MAX_INT_DIGITS: usize = 4300;

/// `TaggedJSONSerializer.loads`: Python's `json.loads`, then untagging bottom-up.
/// A lone UTF-16 surrogate (`"\ud800"`) is refused: Python keeps one in a `str`, but a Rust
/// string cannot hold it, so the value could not be written back as Python would.
pub fn loads(text: &str) -> Result<Value, TaggedJsonError> {
    parse(text, false).map(|(v, _)| v)
}

/// Like [`loads`], but a lone surrogate reads as U+FFFD, and the count of them is returned.
/// For reading what Flask would accept (a cookie), where refusing would be a difference.
pub fn loads_lossy(text: &str) -> Result<(Value, usize), TaggedJsonError> {
    parse(text, true)
}

fn parse(text: &str, lossy: bool) -> Result<(Value, usize), TaggedJsonError> {
    if text.starts_with('\u{feff}') {
        return Err(TaggedJsonError::Bom);
    }
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        i: 0,
        order: None,
        lossy,
        replaced: 0,
    };
    p.ws();
    let v = p.value(0, false)?;
    p.ws();
    if p.i != p.s.len() {
        return p.fail(JsonSyntax::ExtraData);
    }
    Ok((v, p.replaced))
}

/// Like [`loads`], but the top level must be a dict, as a session is.
pub fn loads_dict(text: &str) -> Result<Dict, TaggedJsonError> {
    match loads(text)? {
        Value::Dict(d) => Ok(d),
        other => Err(TaggedJsonError::NotADict {
            found: kind(&other),
        }),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Int(_) => "an int",
        Value::Float(_) => "a float",
        Value::Str(_) => "a str",
        Value::List(_) => "a list",
        Value::Tuple(_) => "a tuple",
        Value::Bytes(_) => "bytes",
        Value::Markup(_) => "Markup",
        Value::Uuid(_) => "a UUID",
        Value::DateTime(_) => "a datetime",
        Value::Dict(_) => "a dict",
    }
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
    /// Key order of the JSON object just parsed, if the last value was a plain object. A
    /// [`Dict`] is sorted, but `" t"` and `" di"` read their object's keys in JSON order.
    order: Option<Vec<String>>,
    /// Read lone surrogates as U+FFFD instead of failing.
    lossy: bool,
    replaced: usize,
}

impl Parser<'_> {
    fn char_pos(&self) -> usize {
        self.text
            .get(..self.i)
            .map_or(self.i, |t| t.chars().count())
    }

    fn fail<T>(&self, error: JsonSyntax) -> Result<T, TaggedJsonError> {
        Err(TaggedJsonError::Syntax {
            error,
            at: self.char_pos(),
        })
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    fn eat(&mut self, lit: &str) -> bool {
        if self.s[self.i..].starts_with(lit.as_bytes()) {
            self.i += lit.len();
            true
        } else {
            false
        }
    }

    /// One JSON value. `want_order`: the value belongs to a tag key, whose `to_python` may read
    /// an object's keys in JSON order, so [`Parser::order`] must be filled in for it.
    fn value(&mut self, depth: usize, want_order: bool) -> Result<Value, TaggedJsonError> {
        if depth > MAX_DEPTH {
            return Err(TaggedJsonError::TooDeep {
                limit: MAX_DEPTH,
                at: self.char_pos(),
            });
        }
        if self.s.get(self.i) == Some(&b'{') {
            return self.object(depth, want_order);
        }
        self.order = None;
        match self.s.get(self.i) {
            Some(b'"') => Ok(Value::Str(self.string()?)),
            Some(b'[') => {
                self.i += 1;
                let items = self.array(depth)?;
                Ok(Value::List(items))
            }
            Some(b'n') if self.eat("null") => Ok(Value::Null),
            Some(b't') if self.eat("true") => Ok(Value::Bool(true)),
            Some(b'f') if self.eat("false") => Ok(Value::Bool(false)),
            Some(b'N') if self.eat("NaN") => Ok(Value::Float(f64::NAN)),
            Some(b'I') if self.eat("Infinity") => Ok(Value::Float(f64::INFINITY)),
            Some(b'-') if self.eat("-Infinity") => Ok(Value::Float(f64::NEG_INFINITY)),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => self.fail(JsonSyntax::ExpectingValue),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while matches!(self.s.get(self.i), Some(b'0'..=b'9')) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Result<Value, TaggedJsonError> {
        let start = self.i;
        if self.s[self.i] == b'-' {
            self.i += 1;
        }
        match self.s.get(self.i) {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return self.fail(JsonSyntax::ExpectingValue),
        }
        let int_end = self.i;
        let mut is_float = false;
        if self.s.get(self.i) == Some(&b'.') {
            let save = self.i;
            self.i += 1;
            if self.digits() == 0 {
                self.i = save;
            } else {
                is_float = true;
            }
        }
        if let Some(b'e' | b'E') = self.s.get(self.i) {
            let save = self.i;
            self.i += 1;
            if let Some(b'+' | b'-') = self.s.get(self.i) {
                self.i += 1;
            }
            if self.digits() == 0 {
                self.i = save;
            } else {
                is_float = true;
            }
        }
        let text = &self.text[start..self.i];
        if is_float {
            let f: f64 = text
                .parse()
                .map_err(|_| TaggedJsonError::BadNumber { text: text.into() })?;
            Ok(Value::Float(f))
        } else {
            // Python's limit counts digits, not the sign.
            let digits = int_end - start - usize::from(self.s.get(start) == Some(&b'-'));
            if digits > MAX_INT_DIGITS {
                return Err(TaggedJsonError::IntTooLong {
                    limit: MAX_INT_DIGITS,
                });
            }
            Ok(Value::Int(PyInt::parse(text).expect("grammar checked")))
        }
    }

    fn hex4(&mut self) -> Result<u32, TaggedJsonError> {
        let h = self
            .s
            .get(self.i..self.i + 4)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit));
        match h {
            Some(h) => {
                self.i += 4;
                Ok(
                    u32::from_str_radix(std::str::from_utf8(h).expect("hex is ASCII"), 16)
                        .expect("checked hex"),
                )
            }
            None => self.fail(JsonSyntax::InvalidUnicodeEscape),
        }
    }

    fn string(&mut self) -> Result<String, TaggedJsonError> {
        self.i += 1; // opening quote
        let mut out = String::new();
        loop {
            let run = self.i;
            self.i += json_plain_run(&self.s[run..]);
            out.push_str(&self.text[run..self.i]);
            match self.s.get(self.i) {
                None => return self.fail(JsonSyntax::UnterminatedString),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let Some(&e) = self.s.get(self.i) else {
                        return self.fail(JsonSyntax::UnterminatedString);
                    };
                    self.i += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let c = if (0xd800..0xdc00).contains(&hi)
                                && self.s[self.i..].starts_with(b"\\u")
                            {
                                let save = self.i;
                                self.i += 2;
                                let lo = self.hex4()?;
                                if (0xdc00..0xe000).contains(&lo) {
                                    char::from_u32(0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00))
                                } else {
                                    self.i = save;
                                    None
                                }
                            } else {
                                char::from_u32(hi)
                            };
                            match c {
                                Some(c) => out.push(c),
                                None if self.lossy => {
                                    self.replaced += 1;
                                    out.push(char::REPLACEMENT_CHARACTER);
                                }
                                // Python keeps a lone surrogate in a str; Rust strings cannot.
                                None => {
                                    return Err(TaggedJsonError::LoneSurrogate {
                                        unit: u16::try_from(hi).expect("four hex digits"),
                                    })
                                }
                            }
                        }
                        _ => {
                            self.i -= 2;
                            return self.fail(JsonSyntax::InvalidEscape);
                        }
                    }
                }
                Some(_) => return self.fail(JsonSyntax::InvalidControlCharacter),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Vec<Value>, TaggedJsonError> {
        let mut items = Vec::new();
        self.ws();
        if self.s.get(self.i) == Some(&b']') {
            self.i += 1;
            return Ok(items);
        }
        loop {
            self.ws();
            items.push(self.value(depth + 1, false)?);
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(items);
                }
                _ => return self.fail(JsonSyntax::ExpectingComma),
            }
        }
    }

    fn object(&mut self, depth: usize, want_order: bool) -> Result<Value, TaggedJsonError> {
        self.i += 1;
        // A Python dict from json.loads: keys in order of first appearance, the last value of a
        // repeated key wins. The dict is sorted anyway, so the first-appearance order is only
        // recorded when someone will read it (`want_order`), and a value's own key order only
        // when its key is a tag (see `value`).
        let mut dict = Dict::new();
        let mut order: Vec<String> = Vec::new();
        // The key order of the value last given to a tag key: the one `untag` reads when that
        // tag turns out to be the object's only key.
        let mut tag_order: Option<Vec<String>> = None;
        self.ws();
        if self.s.get(self.i) == Some(&b'}') {
            self.i += 1;
        } else {
            loop {
                self.ws();
                if self.s.get(self.i) != Some(&b'"') {
                    return self.fail(JsonSyntax::ExpectingPropertyName);
                }
                let key = self.string()?;
                self.ws();
                if self.s.get(self.i) != Some(&b':') {
                    return self.fail(JsonSyntax::ExpectingColon);
                }
                self.i += 1;
                self.ws();
                let is_tag = TAG_KEYS.contains(&key.as_str());
                let v = self.value(depth + 1, is_tag)?;
                if is_tag {
                    tag_order = self.order.take();
                }
                if want_order && !dict.contains_key(&key) {
                    order.push(key.clone());
                }
                dict.insert(key, v);
                self.ws();
                match self.s.get(self.i) {
                    Some(b',') => self.i += 1,
                    Some(b'}') => {
                        self.i += 1;
                        break;
                    }
                    _ => return self.fail(JsonSyntax::ExpectingComma),
                }
            }
        }
        if dict.len() == 1 {
            let key = dict.keys().next().expect("one key");
            if let Some(&tag) = TAG_KEYS.iter().find(|t| **t == *key) {
                let (_, inner) = dict.pop_first().expect("one key");
                let v = untag(tag, inner, tag_order)?;
                self.order = match &v {
                    Value::Dict(d) if want_order => Some(d.keys().cloned().collect()),
                    _ => None,
                };
                return Ok(v);
            }
        }
        self.order = want_order.then_some(order);
        Ok(Value::Dict(dict))
    }
}

/// A tag's `to_python`, applied to a value whose contents are already untagged. `order` is the
/// JSON key order when `inner` came from a plain object.
fn untag(
    tag: &'static str,
    inner: Value,
    order: Option<Vec<String>>,
) -> Result<Value, TaggedJsonError> {
    // Python iterates a dict in insertion (JSON) order.
    let keys_in_order = |d: &Dict| -> Vec<String> {
        order
            .clone()
            .filter(|o| o.len() == d.len())
            .unwrap_or_else(|| d.keys().cloned().collect())
    };
    let bad = |found| Err(TaggedJsonError::TagCannotHold { tag, found });
    match tag {
        " di" => match inner {
            // `next(iter(value))`: the first key in JSON order.
            Value::Dict(mut d) if !d.is_empty() => {
                let k = keys_in_order(&d).swap_remove(0);
                let v = d.remove(&k).expect("a key of d");
                let n = k.chars().count();
                let key: String = k.chars().take(n.saturating_sub(2)).collect();
                Ok(Value::Dict(Dict::from([(key, v)])))
            }
            other => bad(kind(&other)),
        },
        " t" => match inner {
            Value::List(items) | Value::Tuple(items) => Ok(Value::Tuple(items)),
            Value::Str(s) | Value::Markup(s) => Ok(Value::Tuple(
                s.chars().map(|c| Value::Str(c.to_string())).collect(),
            )),
            Value::Bytes(b) => Ok(Value::Tuple(
                b.into_iter()
                    .map(|x| Value::Int(i64::from(x).into()))
                    .collect(),
            )),
            Value::Dict(d) => Ok(Value::Tuple(
                keys_in_order(&d).into_iter().map(Value::Str).collect(),
            )),
            other => bad(kind(&other)),
        },
        " b" => match inner {
            Value::Str(s) | Value::Markup(s) => {
                if !s.is_ascii() {
                    return Err(TaggedJsonError::NonAsciiBase64);
                }
                b64decode(&s)
                    .map(Value::Bytes)
                    .map_err(TaggedJsonError::Base64)
            }
            Value::Bytes(b) => b64decode(&String::from_utf8_lossy(&b))
                .map(Value::Bytes)
                .map_err(TaggedJsonError::Base64),
            other => bad(kind(&other)),
        },
        " m" => match inner {
            Value::Str(s) | Value::Markup(s) => Ok(Value::Markup(s)),
            // Markup(x) is str(x) for these.
            Value::Int(i) => Ok(Value::Markup(i.to_string())),
            Value::Float(f) => Ok(Value::Markup(
                float_repr(f)
                    .replace("Infinity", "inf")
                    .replace("NaN", "nan"),
            )),
            Value::Bool(b) => Ok(Value::Markup(if b { "True" } else { "False" }.into())),
            Value::Null => Ok(Value::Markup("None".into())),
            other => bad(kind(&other)),
        },
        " u" => match inner {
            Value::Str(s) | Value::Markup(s) => parse_uuid(&s)
                .map(Value::Uuid)
                .ok_or(TaggedJsonError::BadUuid),
            other => bad(kind(&other)),
        },
        " d" => match inner {
            // Werkzeug's parse_date returns None for text it cannot read.
            Value::Str(s) | Value::Markup(s) => {
                Ok(parse_http_date(&s).map_or(Value::Null, Value::DateTime))
            }
            Value::Null => Ok(Value::Null),
            other => bad(kind(&other)),
        },
        _ => unreachable!("only registered tags are untagged"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_at_a_time_runs_equal_byte_at_a_time() {
        let mut x = 3u64;
        let special = [
            0u8, 0x1f, 0x20, b'"', b'\\', 0x7e, 0x7f, 0x80, 0xc3, 0xff, b'a',
        ];
        for _ in 0..20_000 {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let len = (x >> 59) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|i| {
                    let r = x.rotate_left(i as u32 * 7);
                    if r.is_multiple_of(5) {
                        special[(r >> 8) as usize % special.len()]
                    } else {
                        b'a' + (r >> 16) as u8 % 26
                    }
                })
                .collect();
            let ascii = bytes
                .iter()
                .take_while(|&&b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\')
                .count();
            let json = bytes
                .iter()
                .take_while(|&&b| b >= 0x20 && b != b'"' && b != b'\\')
                .count();
            assert_eq!(ascii_plain_run(&bytes), ascii, "{bytes:?}");
            assert_eq!(json_plain_run(&bytes), json, "{bytes:?}");
        }
    }

    #[test]
    fn lone_surrogates_and_garbage_are_errors() {
        for bad in [
            r#"{"a":"\ud800"}"#,
            "{",
            "[1,]",
            r#"{"a" 1}"#,
            "\u{feff}{}",
            r#"{"a":"\x"}"#,
            "01",
            r#"{" b":"YQ"}"#,
            r#"{" u":"xyz"}"#,
        ] {
            assert!(loads(bad).is_err(), "{bad}");
        }
    }

    /// Each reason's text, as the `String` error this enum replaced wrote it (captured from
    /// that code for the same inputs): the lab, the CLI and the interop suite show these.
    #[test]
    fn every_reason_keeps_its_text() {
        use JsonSyntax as J;
        use TaggedJsonError as E;
        let deep = "[".repeat(MAX_DEPTH + 2);
        let long = "1".repeat(MAX_INT_DIGITS + 1);
        let cases: [(&str, E, &str); 22] = [
            (
                "\u{feff}{}",
                E::Bom,
                "Unexpected UTF-8 BOM (decode using utf-8-sig)",
            ),
            (
                "{} x",
                E::Syntax { error: J::ExtraData, at: 3 },
                "Extra data at char 3",
            ),
            (
                "\"\u{e9}\" x",
                E::Syntax { error: J::ExtraData, at: 4 },
                "Extra data at char 4",
            ),
            (
                &deep,
                E::TooDeep { limit: MAX_DEPTH, at: 401 },
                "nesting is too deep at char 401",
            ),
            (
                "[1,]",
                E::Syntax { error: J::ExpectingValue, at: 3 },
                "Expecting value at char 3",
            ),
            (
                &long,
                E::IntTooLong { limit: 4300 },
                "Exceeds the limit (4300 digits) for integer string conversion",
            ),
            (
                r#""\u12""#,
                E::Syntax { error: J::InvalidUnicodeEscape, at: 3 },
                r"Invalid \uXXXX escape at char 3",
            ),
            (
                r#""abc"#,
                E::Syntax { error: J::UnterminatedString, at: 4 },
                "Unterminated string starting at char 4",
            ),
            (
                r#""\x""#,
                E::Syntax { error: J::InvalidEscape, at: 1 },
                r"Invalid \escape at char 1",
            ),
            (
                r#""\ud800\u0041""#,
                E::LoneSurrogate { unit: 0xd800 },
                r"the text holds a lone UTF-16 surrogate \ud800, which Python allows but Session Lab cannot represent",
            ),
            (
                "\"a\nb\"",
                E::Syntax { error: J::InvalidControlCharacter, at: 2 },
                "Invalid control character at char 2",
            ),
            (
                "[1 2]",
                E::Syntax { error: J::ExpectingComma, at: 3 },
                "Expecting ',' delimiter at char 3",
            ),
            (
                "{1:2}",
                E::Syntax { error: J::ExpectingPropertyName, at: 1 },
                "Expecting property name enclosed in double quotes at char 1",
            ),
            (
                r#"{"a" 1}"#,
                E::Syntax { error: J::ExpectingColon, at: 5 },
                "Expecting ':' delimiter at char 5",
            ),
            (
                r#"{" t":1}"#,
                E::TagCannotHold { tag: " t", found: "an int" },
                r#"tag " t" cannot hold an int"#,
            ),
            (
                r#"{" u":null}"#,
                E::TagCannotHold { tag: " u", found: "null" },
                r#"tag " u" cannot hold null"#,
            ),
            (
                r#"{" di":{}}"#,
                E::TagCannotHold { tag: " di", found: "a dict" },
                r#"tag " di" cannot hold a dict"#,
            ),
            (
                r#"{" b":"é"}"#,
                E::NonAsciiBase64,
                "string argument should contain only ASCII characters",
            ),
            (
                r#"{" b":"YQ"}"#,
                E::Base64(Base64Error::IncorrectPadding),
                "invalid base64: incorrect padding",
            ),
            (
                r#"{" b":"YWJjZ"}"#,
                E::Base64(Base64Error::ExcessCharacter { data_chars: 5 }),
                "invalid base64: the number of data characters (5) cannot be 1 more than a multiple of 4",
            ),
            (
                r#"{" b":{" b":"YQ=="}}"#,
                E::Base64(Base64Error::ExcessCharacter { data_chars: 1 }),
                "invalid base64: the number of data characters (1) cannot be 1 more than a multiple of 4",
            ),
            (
                r#"{" u":"xyz"}"#,
                E::BadUuid,
                "badly formed hexadecimal UUID string",
            ),
        ];
        for (text, error, message) in cases {
            assert_eq!(loads(text), Err(error.clone()), "{text}");
            assert_eq!(error.to_string(), message);
        }
        for (text, found, message) in [
            (
                "[1]",
                "a list",
                "the session payload must be a JSON object, not a list",
            ),
            (
                "null",
                "null",
                "the session payload must be a JSON object, not null",
            ),
            (
                r#"{" b":""}"#,
                "bytes",
                "the session payload must be a JSON object, not bytes",
            ),
        ] {
            let error = loads_dict(text).unwrap_err();
            assert_eq!(error, E::NotADict { found }, "{text}");
            assert_eq!(error.to_string(), message);
        }
        // Not reachable from text (the grammar only admits numbers Rust reads); the old
        // `format!("bad number {text:?}")`.
        assert_eq!(
            E::BadNumber { text: "1x".into() }.to_string(),
            r#"bad number "1x""#
        );
    }

    #[test]
    fn duplicate_keys_keep_the_last_value() {
        assert_eq!(dumps(&loads(r#"{"a":1,"a":2}"#).unwrap()), r#"{"a":2}"#);
    }

    #[test]
    fn tags_read_object_keys_in_json_order() {
        // Flask 3.1.3: tuple({"k":1,"j":2}) == ("k","j"); TagDict takes the first key, "b__".
        assert_eq!(
            loads(r#"{" t":{"k":1,"j":2}}"#).unwrap(),
            Value::Tuple(vec!["k".into(), "j".into()])
        );
        assert_eq!(
            dumps(&loads(r#"{"x":{" di":{"b__":1,"a__":2}}}"#).unwrap()),
            r#"{"x":{"b":1}}"#
        );
    }

    #[test]
    fn unreadable_dates_become_none() {
        assert_eq!(loads(r#"{" d":"whenever"}"#).unwrap(), Value::Null);
    }
}
