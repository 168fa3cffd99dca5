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

/// [`urlsafe_encode`] appended to `out` (no intermediate string).
pub fn urlsafe_encode_into(data: &[u8], out: &mut String) {
    URL_SAFE_NO_PAD.encode_string(data, out);
}

/// itsdangerous `base64_decode` of a cookie segment: the segment is UTF-8 *bytes* by then
/// (the signer split the encoded cookie), so every byte, non-ASCII ones included, counts when
/// `=` is added back to a multiple of four; then `base64.urlsafe_b64decode` maps `-`/`_` to
/// `+`/`/` and decodes non-strictly (so `+` and `/` are accepted, and bytes outside the alphabet,
/// non-ASCII ones included, are skipped only now).
pub fn urlsafe_decode(text: &str) -> Result<Vec<u8>, Base64Error> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    urlsafe_decode_with(text, |b| out.push(b))?;
    Ok(out)
}

/// [`urlsafe_decode`] handing each decoded byte to `push` instead of collecting them (so a
/// signature or timestamp can be decoded onto the stack). Returns how many bytes it decoded.
pub fn urlsafe_decode_with(text: &str, push: impl FnMut(u8)) -> Result<usize, Base64Error> {
    // Python pads with `=` (never more than needed) and maps `-`/`_` to `+`/`/`; the table
    // below reads `-`/`_` directly, which is the same since `+`/`/` stay valid too.
    let pad = (4 - text.len() % 4) % 4;
    a2b_base64(text.as_bytes(), pad, &URLSAFE, push)
}

/// Python `base64.b64decode(text)` (non-validating), as TaggedJSON's `" b"` tag decodes.
/// The caller has already checked that `text` is ASCII (Python raises `ValueError` otherwise).
pub fn b64decode(text: &str) -> Result<Vec<u8>, Base64Error> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    a2b_base64(text.as_bytes(), 0, &STANDARD_TABLE, |b| out.push(b))?;
    Ok(out)
}

/// Not a base64 character: skipped.
const SKIP: u8 = 0xff;
/// `=`.
const PAD: u8 = 0xfe;

/// Sextet of each byte, or [`SKIP`] / [`PAD`].
const fn table(url_safe: bool) -> [u8; 256] {
    let mut t = [SKIP; 256];
    let mut i = 0;
    while i < 26 {
        t[b'A' as usize + i] = i as u8;
        t[b'a' as usize + i] = 26 + i as u8;
        i += 1;
    }
    let mut d = 0;
    while d < 10 {
        t[b'0' as usize + d] = 52 + d as u8;
        d += 1;
    }
    t[b'+' as usize] = 62;
    t[b'/' as usize] = 63;
    if url_safe {
        t[b'-' as usize] = 62;
        t[b'_' as usize] = 63;
    }
    t[b'=' as usize] = PAD;
    t
}

static STANDARD_TABLE: [u8; 256] = table(false);
static URLSAFE: [u8; 256] = table(true);

/// CPython 3.11 `binascii.a2b_base64(data, strict_mode=False)`, step for step, on `data`
/// followed by `pad` extra `=`.
fn a2b_base64(
    data: &[u8],
    pad: usize,
    table: &[u8; 256],
    mut push: impl FnMut(u8),
) -> Result<usize, Base64Error> {
    let mut count = 0usize;
    let mut quad_pos = 0u8;
    let mut left: u8 = 0;
    let mut pads = 0u8;
    let mut i = 0;
    let n = data.len();
    while i < n + pad {
        // Fast path: four data characters at a quad boundary decode to three bytes, exactly as
        // four steps of the loop below would (each valid character also resets `pads`).
        if quad_pos == 0 && i + 4 <= n {
            let q = [
                table[usize::from(data[i])],
                table[usize::from(data[i + 1])],
                table[usize::from(data[i + 2])],
                table[usize::from(data[i + 3])],
            ];
            if q.iter().all(|&v| v < 64) {
                let v = (u32::from(q[0]) << 18)
                    | (u32::from(q[1]) << 12)
                    | (u32::from(q[2]) << 6)
                    | u32::from(q[3]);
                push((v >> 16) as u8);
                push((v >> 8) as u8);
                push(v as u8);
                count += 3;
                pads = 0;
                i += 4;
                continue;
            }
        }
        let v = if i < n {
            table[usize::from(data[i])]
        } else {
            PAD
        };
        i += 1;
        if v == PAD {
            if quad_pos >= 2 {
                pads += 1;
                if quad_pos + pads >= 4 {
                    // A complete pad sequence ends the input; the rest is ignored.
                    return Ok(count);
                }
            }
            continue;
        }
        if v == SKIP {
            continue;
        }
        pads = 0;
        match quad_pos {
            0 => {
                quad_pos = 1;
                left = v;
            }
            1 => {
                quad_pos = 2;
                push((left << 2) | (v >> 4));
                count += 1;
                left = v & 0x0f;
            }
            2 => {
                quad_pos = 3;
                push((left << 4) | (v >> 2));
                count += 1;
                left = v & 0x03;
            }
            _ => {
                quad_pos = 0;
                push((left << 6) | v);
                count += 1;
                left = 0;
            }
        }
    }
    match quad_pos {
        0 => Ok(count),
        1 => Err(Base64Error::ExcessCharacter {
            data_chars: count / 3 * 4 + 1,
        }),
        _ => Err(Base64Error::IncorrectPadding),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The decoder as it was first written (map, pad, then one character at a time), kept as
    /// the reference for the table-driven one.
    fn reference_urlsafe_decode(text: &str) -> Result<Vec<u8>, Base64Error> {
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
        let sextet = |c: u8| match c {
            b'A'..=b'Z' => Some(c - b'A'),
            b'a'..=b'z' => Some(c - b'a' + 26),
            b'0'..=b'9' => Some(c - b'0' + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        };
        let mut out = Vec::new();
        let (mut quad_pos, mut left, mut pads) = (0u8, 0u8, 0u8);
        for c in bytes {
            if c == b'=' {
                if quad_pos >= 2 {
                    pads += 1;
                    if quad_pos + pads >= 4 {
                        return Ok(out);
                    }
                }
                continue;
            }
            let Some(v) = sextet(c) else { continue };
            pads = 0;
            match quad_pos {
                0 => (quad_pos, left) = (1, v),
                1 => {
                    out.push((left << 2) | (v >> 4));
                    (quad_pos, left) = (2, v & 0x0f);
                }
                2 => {
                    out.push((left << 4) | (v >> 2));
                    (quad_pos, left) = (3, v & 0x03);
                }
                _ => {
                    out.push((left << 6) | v);
                    (quad_pos, left) = (0, 0);
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

    #[test]
    fn table_decoder_equals_the_reference() {
        let alphabet: Vec<char> = "AZaz09+/-_=!. é\u{1F600}QWxy".chars().collect();
        let mut x = 1u64;
        for _ in 0..20_000 {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let len = (x >> 58) as usize;
            let mut text = String::new();
            for _ in 0..len {
                x = x
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                // Mostly clean base64, sometimes noise.
                let c = if (x >> 40).is_multiple_of(4) {
                    alphabet[(x >> 33) as usize % alphabet.len()]
                } else {
                    URL_SAFE_NO_PAD
                        .encode([(x >> 30) as u8])
                        .chars()
                        .next()
                        .unwrap()
                };
                text.push(c);
            }
            assert_eq!(
                urlsafe_decode(&text),
                reference_urlsafe_decode(&text),
                "{text:?}"
            );
        }
    }

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
