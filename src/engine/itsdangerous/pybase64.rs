//! Base64 as Python's `base64` module does it.
//!
//! Encoding uses the `base64` crate. Decoding is written by hand because it must accept
//! exactly what CPython 3.11's non-strict `binascii.a2b_base64` accepts (docs/flask-sessions.md
//! §1.5, "Leniency to match"): characters outside the alphabet are skipped, decoding stops at the
//! first complete padding, and a dangling data character is an error. No crate offers that
//! behaviour, and a stricter decoder would reject cookies that Flask reads.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use std::fmt;

/// Why Python's decoder would raise `binascii.Error`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base64Error {
    /// One data character more than a multiple of four: no encoder produces that.
    ExcessCharacter { data_chars: usize },
    /// The data ran out in the middle of a quad with too little `=` padding.
    IncorrectPadding,
}

impl fmt::Display for Base64Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Base64Error::ExcessCharacter { data_chars } => write!(
                f,
                "invalid base64: the number of data characters ({data_chars}) cannot be 1 more than a multiple of 4"
            ),
            Base64Error::IncorrectPadding => f.write_str("invalid base64: incorrect padding"),
        }
    }
}

impl std::error::Error for Base64Error {}

/// Standard base64 with `=` padding (Python `base64.b64encode`), as TaggedJSON's `" b"` tag uses.
pub fn b64encode(data: &[u8]) -> String {
    STANDARD.encode(data)
}

/// URL-safe base64 with the padding stripped (itsdangerous `base64_encode`).
pub fn urlsafe_encode(data: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

/// itsdangerous `base64_decode` of a cookie segment: the segment is UTF-8 *bytes* by then
/// (the signer split the encoded cookie), so every byte, non-ASCII ones included, counts when
/// `=` is added back to a multiple of four; then `base64.urlsafe_b64decode` maps `-`/`_` to
/// `+`/`/` and decodes non-strictly (so `+` and `/` are accepted, and bytes outside the alphabet,
/// non-ASCII ones included, are skipped only now).
pub fn urlsafe_decode(text: &str) -> Result<Vec<u8>, Base64Error> {
    let pad = (4 - text.len() % 4) % 4;
    let mut bytes: Vec<u8> = text
        .bytes()
        .map(|b| match b {
            b'-' => b'+',
            b'_' => b'/',
            other => other,
        })
        .collect();
    bytes.extend(std::iter::repeat_n(b'=', pad));
    a2b_base64(&bytes)
}

/// Python `base64.b64decode(text)` (non-validating), as TaggedJSON's `" b"` tag decodes.
/// The caller has already checked that `text` is ASCII (Python raises `ValueError` otherwise).
pub fn b64decode(text: &str) -> Result<Vec<u8>, Base64Error> {
    a2b_base64(text.as_bytes())
}

fn sextet(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// CPython 3.11 `binascii.a2b_base64(data, strict_mode=False)`, step for step.
fn a2b_base64(data: &[u8]) -> Result<Vec<u8>, Base64Error> {
    let mut out = Vec::with_capacity(data.len() / 4 * 3 + 2);
    let mut quad_pos = 0u8;
    let mut left: u8 = 0;
    let mut pads = 0u8;
    for &c in data {
        if c == b'=' {
            if quad_pos >= 2 {
                pads += 1;
                if quad_pos + pads >= 4 {
                    // A complete pad sequence ends the input; the rest is ignored.
                    return Ok(out);
                }
            }
            continue;
        }
        let Some(v) = sextet(c) else { continue };
        pads = 0;
        match quad_pos {
            0 => {
                quad_pos = 1;
                left = v;
            }
            1 => {
                quad_pos = 2;
                out.push((left << 2) | (v >> 4));
                left = v & 0x0f;
            }
            2 => {
                quad_pos = 3;
                out.push((left << 4) | (v >> 2));
                left = v & 0x03;
            }
            _ => {
                quad_pos = 0;
                out.push((left << 6) | v);
                left = 0;
            }
        }
    }
    match quad_pos {
        0 => Ok(out),
        1 => Err(Base64Error::ExcessCharacter {
            data_chars: out.len() / 3 * 4 + 1,
        }),
        _ => Err(Base64Error::IncorrectPadding),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_characters_outside_the_alphabet() {
        // docs/flask-sessions.md §1.5: `!!` inside a payload is thrown away.
        assert_eq!(
            urlsafe_decode("eyJ1c2VyX25h!!bWUiOiJBZG1pbiJ9").unwrap(),
            br#"{"user_name":"Admin"}"#
        );
    }

    #[test]
    fn padding_is_restored_and_errors_match_python() {
        assert_eq!(urlsafe_decode("AQA").unwrap(), vec![1, 0]);
        assert_eq!(urlsafe_decode("").unwrap(), Vec::<u8>::new());
        assert_eq!(b64decode("YWJj==").unwrap(), b"abc");
        assert_eq!(b64decode("YQ"), Err(Base64Error::IncorrectPadding));
        assert_eq!(
            b64decode("YWJjZ"),
            Err(Base64Error::ExcessCharacter { data_chars: 5 })
        );
        // Data after a complete pad sequence is ignored.
        assert_eq!(b64decode("YQ==YWJj").unwrap(), b"a");
        // Non-ASCII bytes count towards the padding, then are skipped (itsdangerous on bytes):
        // "é" is two bytes, so "YWJ" + "é" needs one "=", and decodes as "YWJ=".
        assert_eq!(urlsafe_decode("YWJé").unwrap(), b"ab");
        assert_eq!(urlsafe_decode("YWé"), Err(Base64Error::IncorrectPadding));
    }
}
