//! itsdangerous 2.2 `URLSafeTimedSerializer` exactly as Flask 3.1 configures it for the session
//! cookie (docs/flask-sessions.md section 1): salt `cookie-session`, `hmac` key derivation,
//! HMAC-SHA1, URL-safe base64 without padding, a minimal big-endian timestamp, and zlib only when
//! it saves at least two bytes.
//!
//! The payload is handled as JSON *text*: turning session values into that text is
//! [`crate::engine::flask::tagged_json`]'s job.

use crate::engine::itsdangerous::pybase64::{
    urlsafe_decode, urlsafe_decode_with, urlsafe_encode_into,
};
use crate::engine::itsdangerous::zlib::inflate_common;
use crate::engine::py::datetime::MAX_UNIX;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use std::fmt;

type HmacSha1 = Hmac<Sha1>;

/// The salt Flask's `SecureCookieSessionInterface` uses.
pub const COOKIE_SESSION_SALT: &str = "cookie-session";

/// `PERMANENT_SESSION_LIFETIME`'s default (31 days), which Flask also uses as `max_age`.
pub const DEFAULT_MAX_AGE: i64 = 31 * 24 * 60 * 60;

/// `derived_key = HMAC-SHA1(key = secret, message = salt)` (docs/flask-sessions.md §1.3).
pub fn derive_key(secret: &[u8], salt: &[u8]) -> [u8; 20] {
    let mut mac = HmacSha1::new_from_slice(secret).expect("HMAC accepts keys of any length");
    mac.update(salt);
    mac.finalize().into_bytes().into()
}

fn mac_for(derived: &[u8; 20]) -> HmacSha1 {
    HmacSha1::new_from_slice(derived).expect("HMAC accepts keys of any length")
}

/// Decodes a signature segment onto the stack. `Ok(None)` is valid base64 of another length
/// than a SHA-1 digest, which no key can match.
pub(super) fn decode_signature(segment: &str) -> Result<Option<[u8; 20]>, UnsignError> {
    let mut sig = [0u8; 20];
    let mut n = 0;
    urlsafe_decode_with(segment, |b| {
        if let Some(slot) = sig.get_mut(n) {
            *slot = b;
        }
        n += 1;
    })
    .map_err(|e| UnsignError::Malformed(format!("the signature segment is {e}")))?;
    Ok((n == sig.len()).then_some(sig))
}

/// Why a cookie was not accepted. Every variant but [`UnsignError::BadPayload`] is an itsdangerous
/// `BadSignature`, which Flask answers by quietly starting an empty session; `BadPayload` is a
/// correctly signed cookie whose content cannot be read, which Flask turns into a 500.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnsignError {
    /// No `.` at all, or the signature segment is not base64.
    Malformed(String),
    /// The signature does not match under any of the keys.
    BadSignature,
    /// Signed correctly but the timestamp segment is missing or not a number.
    MalformedTimestamp,
    /// `age > max_age`.
    Expired { age: i64, max_age: i64 },
    /// `age < 0`: the cookie claims to come from the future.
    FromTheFuture { age: i64 },
    /// Signed correctly but the payload is not base64, zlib, UTF-8 or tagged JSON.
    BadPayload(String),
    /// Signed correctly, but the timestamp is after 9999-12-31: itsdangerous turns it into a
    /// `datetime` on every read and Python raises `ValueError`/`OverflowError`.
    TimestampOutOfRange { timestamp: i64 },
}

impl UnsignError {
    /// Whether itsdangerous raises a `BadSignature` (which Flask catches, starting an empty
    /// session) rather than something Flask does not catch (a 500).
    pub fn is_bad_signature(&self) -> bool {
        !matches!(
            self,
            UnsignError::BadPayload(_) | UnsignError::TimestampOutOfRange { .. }
        )
    }
}

impl fmt::Display for UnsignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnsignError::Malformed(why) => write!(f, "malformed cookie: {why}"),
            UnsignError::BadSignature => {
                f.write_str("bad signature: the cookie was not signed with this secret key")
            }
            UnsignError::MalformedTimestamp => {
                f.write_str("malformed cookie: the timestamp segment is missing or not a number")
            }
            UnsignError::Expired { age, max_age } => {
                write!(f, "expired: signature age {age} > {max_age} seconds")
            }
            UnsignError::FromTheFuture { age } => write!(
                f,
                "timestamp in the future: signature age {age} < 0 seconds"
            ),
            UnsignError::BadPayload(why) => write!(f, "malformed payload: {why}"),
            UnsignError::TimestampOutOfRange { timestamp } => write!(
                f,
                "malformed timestamp: {timestamp} is after the year 9999, which Python's \
                 datetime cannot hold (Flask answers such a cookie with a 500)"
            ),
        }
    }
}

impl std::error::Error for UnsignError {}

/// The three segments of a signed cookie, split from the right as itsdangerous does
/// (docs/flask-sessions.md §1.2). Nothing here is checked; it only cuts the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segments<'a> {
    /// The payload segment, including the leading `.` when compressed.
    pub payload: &'a str,
    pub timestamp: &'a str,
    pub signature: &'a str,
}

impl<'a> Segments<'a> {
    pub fn split(cookie: &'a str) -> Result<Self, UnsignError> {
        let (body, signature) = cookie
            .rsplit_once('.')
            .ok_or_else(|| UnsignError::Malformed("there is no '.' separator".into()))?;
        let (payload, timestamp) = body
            .rsplit_once('.')
            .ok_or(UnsignError::MalformedTimestamp)?;
        Ok(Segments {
            payload,
            timestamp,
            signature,
        })
    }

    pub fn compressed(&self) -> bool {
        self.payload.starts_with('.')
    }

    /// The timestamp as itsdangerous reads it: big-endian, at most 8 bytes.
    pub fn timestamp_value(&self) -> Option<i64> {
        decode_timestamp(self.timestamp)
    }
}

/// `bytes_to_int(base64_decode(ts))`: more than 8 bytes is malformed, empty is 0.
pub fn decode_timestamp(segment: &str) -> Option<i64> {
    let mut value = 0u64;
    let n = urlsafe_decode_with(segment, |b| value = (value << 8) | u64::from(b)).ok()?;
    if n > 8 {
        return None;
    }
    // Python ints have no upper limit; values past i64::MAX are so far in the future that they
    // always fail the max_age check, which saturating keeps true.
    Some(i64::try_from(value).unwrap_or(i64::MAX))
}

/// `int_to_bytes`: 8-byte big-endian with the leading zero bytes stripped, then base64.
pub fn encode_timestamp(ts: u64) -> String {
    let mut out = String::new();
    encode_timestamp_into(ts, &mut out);
    out
}

/// [`encode_timestamp`] appended to `out`.
fn encode_timestamp_into(ts: u64, out: &mut String) {
    let bytes = ts.to_be_bytes();
    let first = (ts.leading_zeros() / 8) as usize;
    urlsafe_encode_into(&bytes[first..], out);
}

/// The key list and salt of one serializer. `keys` runs oldest to newest, as itsdangerous
/// expects: Flask builds it as `SECRET_KEY_FALLBACKS + [SECRET_KEY]` (docs/flask-sessions.md §1.6).
#[derive(Clone)]
pub struct Serializer {
    /// HMAC-SHA1 keyed with each derived key, oldest first. Keying hashes the inner and outer
    /// pads, so it is done once here and each signature starts from a clone.
    macs: Vec<HmacSha1>,
}

impl fmt::Debug for Serializer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print key material.
        write!(f, "Serializer {{ keys: {} }}", self.macs.len())
    }
}

/// A verified cookie: the JSON text it carries and when it was signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsigned {
    pub json: String,
    pub timestamp: i64,
    pub compressed: bool,
    /// Index into the key list (oldest first) of the key that matched.
    pub key_index: usize,
}

impl Serializer {
    /// `secret_key` signs; `fallbacks` are only checked, newest (last) first after the secret.
    /// Text keys are UTF-8 (itsdangerous `want_bytes`).
    pub fn new(secret_key: &str, fallbacks: &[String], salt: &str) -> Self {
        let macs = fallbacks
            .iter()
            .map(String::as_str)
            .chain(std::iter::once(secret_key))
            .map(|k| mac_for(&derive_key(k.as_bytes(), salt.as_bytes())))
            .collect();
        Serializer { macs }
    }

    /// Flask's session serializer for `SECRET_KEY` and `SECRET_KEY_FALLBACKS`.
    pub fn flask_session(secret_key: &str, fallbacks: &[String]) -> Self {
        Self::new(secret_key, fallbacks, COOKIE_SESSION_SALT)
    }

    fn signing_mac(&self) -> &HmacSha1 {
        self.macs
            .last()
            .expect("a serializer always has its secret key")
    }

    /// itsdangerous `URLSafeTimedSerializer.dumps` for an already serialized JSON text
    /// (docs/flask-sessions.md §1.4). Compression is
    /// [`crate::engine::itsdangerous::zlib::compress`], a port of the zlib 1.2.13 that CPython
    /// links, so compressed cookies are byte-identical too (a different zlib, such as a zlib-ng
    /// build of Python, would write other but equally valid bytes).
    ///
    /// ```
    /// use session_lab::engine::itsdangerous::signing::Serializer;
    /// // Vector `fixed_ts_simple` (docs/flask-sessions.md §1.8), made by Flask 3.1.3.
    /// let s = Serializer::flask_session("dev-secret", &[]);
    /// assert_eq!(
    ///     s.dumps(r#"{"user_name":"Admin"}"#, 1_700_000_000),
    ///     "eyJ1c2VyX25hbWUiOiJBZG1pbiJ9.ZVPxAA.LVXaejlOPlbITReSd_RwqvGKoHE"
    /// );
    /// ```
    pub fn dumps(&self, json: &str, timestamp: u64) -> String {
        let raw = json.as_bytes();
        // Room for the plain payload's base64, the timestamp and the signature, so the cookie
        // is written into one buffer with no reallocation.
        let mut out = String::with_capacity(raw.len().div_ceil(3) * 4 + 1 + 12 + 1 + 27);
        // itsdangerous keeps the compressed form only if it is shorter than the JSON less one
        // byte; the compressor skips encoding when it can prove it will not be.
        let below = raw.len().saturating_sub(1);
        crate::engine::itsdangerous::zlib::with_compressed_below(raw, below.max(1), |c| match c {
            Some(compressed) if compressed.len() < below => {
                out.push('.');
                urlsafe_encode_into(compressed, &mut out);
            }
            _ => urlsafe_encode_into(raw, &mut out),
        });
        out.push('.');
        encode_timestamp_into(timestamp, &mut out);
        let mut mac = self.signing_mac().clone();
        mac.update(out.as_bytes());
        let sig = mac.finalize().into_bytes();
        out.push('.');
        urlsafe_encode_into(&sig, &mut out);
        out
    }

    /// Checks the signature against every key, newest first, in constant time per key.
    /// Returns the index (oldest first) of the key that matched.
    pub fn verify_signature(&self, cookie: &str) -> Result<usize, UnsignError> {
        let (body, sig) = cookie
            .rsplit_once('.')
            .ok_or_else(|| UnsignError::Malformed("there is no '.' separator".into()))?;
        let sig = decode_signature(sig)?.ok_or(UnsignError::BadSignature)?;
        self.macs
            .iter()
            .enumerate()
            .rev()
            .find(|(_, keyed)| {
                let mut mac = (*keyed).clone();
                mac.update(body.as_bytes());
                // Constant time, as itsdangerous's `hmac.compare_digest`.
                mac.verify_slice(&sig).is_ok()
            })
            .map(|(i, _)| i)
            .ok_or(UnsignError::BadSignature)
    }

    /// itsdangerous `loads(cookie, max_age=max_age)` with the clock at `now`
    /// (docs/flask-sessions.md §1.5). The JSON text is returned undecoded;
    /// [`crate::engine::flask::tagged_json::loads`] reads it.
    ///
    /// ```
    /// use session_lab::engine::itsdangerous::signing::{Serializer, UnsignError};
    /// let cookie = "eyJ1c2VyX25hbWUiOiJBZG1pbiJ9.ZVPxAA.LVXaejlOPlbITReSd_RwqvGKoHE";
    /// let s = Serializer::flask_session("dev-secret", &[]);
    /// assert_eq!(s.loads(cookie, Some(2_678_400), 1_700_000_005).unwrap().json, r#"{"user_name":"Admin"}"#);
    /// // One second past the 31 days, and from the future: both refused.
    /// assert!(matches!(s.loads(cookie, Some(2_678_400), 1_702_678_401), Err(UnsignError::Expired { .. })));
    /// assert!(matches!(s.loads(cookie, Some(2_678_400), 1_699_999_999), Err(UnsignError::FromTheFuture { .. })));
    /// // The old key still verifies when it is a fallback (SECRET_KEY_FALLBACKS).
    /// let rotated = Serializer::flask_session("new-key", &["dev-secret".to_string()]);
    /// assert_eq!(rotated.loads(cookie, None, 0).unwrap().key_index, 0);
    /// ```
    pub fn loads(
        &self,
        cookie: &str,
        max_age: Option<i64>,
        now: i64,
    ) -> Result<Unsigned, UnsignError> {
        let key_index = self.verify_signature(cookie)?;
        let segments = Segments::split(cookie)?;
        let timestamp = segments
            .timestamp_value()
            .ok_or(UnsignError::MalformedTimestamp)?;
        // `TimedSerializer.loads` always asks for the timestamp as a datetime, and the expiry
        // errors build one too, so this fails before any age check.
        if timestamp > MAX_UNIX {
            return Err(UnsignError::TimestampOutOfRange { timestamp });
        }
        if let Some(max_age) = max_age {
            let age = now.saturating_sub(timestamp);
            if age > max_age {
                return Err(UnsignError::Expired { age, max_age });
            }
            if age < 0 {
                return Err(UnsignError::FromTheFuture { age });
            }
        }
        let json = decode_payload(segments.payload)?;
        Ok(Unsigned {
            json,
            timestamp,
            compressed: segments.compressed(),
            key_index,
        })
    }
}

/// itsdangerous `Signer(secret, salt, key_derivation="hmac").sign(value)`: `value.sig` with no
/// timestamp, which Flask-Session's `SESSION_USE_SIGNER` puts around the session id
/// (docs/flask-sessions.md §3.3).
pub fn sign_plain(secret: &str, salt: &str, value: &str) -> String {
    let mut mac = mac_for(&derive_key(secret.as_bytes(), salt.as_bytes()));
    mac.update(value.as_bytes());
    let mut out = String::with_capacity(value.len() + 28);
    out.push_str(value);
    out.push('.');
    urlsafe_encode_into(&mac.finalize().into_bytes(), &mut out);
    out
}

/// `Signer.unsign`: the value if the signature after the last `.` matches.
pub fn unsign_plain(secret: &str, salt: &str, signed: &str) -> Result<String, UnsignError> {
    let serializer = Serializer::new(secret, &[], salt);
    serializer.verify_signature(signed)?;
    let (value, _) = signed
        .rsplit_once('.')
        .expect("verify_signature found a '.'");
    Ok(value.to_string())
}

/// Largest inflated payload we accept. Browsers drop cookies over 4 KB, so a real session is
/// far below this; the cap keeps a zlib bomb from eating the tab's memory.
pub const MAX_INFLATED_PAYLOAD: usize = 1 << 20;

/// The payload segment to JSON text, without any key: strip the compression dot, base64-decode,
/// inflate if compressed, and check UTF-8. This is what "decode" does: the data is only signed,
/// never encrypted.
pub fn decode_payload(payload: &str) -> Result<String, UnsignError> {
    let (compressed, b64) = match payload.strip_prefix('.') {
        Some(rest) => (true, rest),
        None => (false, payload),
    };
    let base64_error =
        |e| UnsignError::BadPayload(format!("could not base64 decode the payload ({e})"));
    let utf8_error = |e| UnsignError::BadPayload(format!("the payload is not UTF-8 ({e})"));
    if !compressed {
        let raw = urlsafe_decode(b64).map_err(base64_error)?;
        return String::from_utf8(raw).map_err(|e| utf8_error(e.utf8_error()));
    }
    // The compressed bytes and the inflated ones go to buffers kept per thread; only the
    // resulting text is allocated.
    let (mut zbuf, mut raw) = SCRATCH.with(|s| s.borrow_mut().take()).unwrap_or_default();
    zbuf.clear();
    raw.clear();
    let result = (|| {
        urlsafe_decode_with(b64, |b| zbuf.push(b)).map_err(base64_error)?;
        // The common case (a well-formed stream, as Python's zlib writes) is inflated by
        // `zlib::inflate_common`; anything else goes to miniz_oxide for its exact verdict.
        let inflated: &[u8] = if inflate_common(&zbuf, MAX_INFLATED_PAYLOAD - 1, &mut raw) {
            &raw
        } else {
            raw = inflate(&zbuf).map_err(|status| {
                UnsignError::BadPayload(format!(
                    "could not zlib decompress the payload ({status:?})"
                ))
            })?;
            &raw
        };
        std::str::from_utf8(inflated)
            .map(str::to_owned)
            .map_err(utf8_error)
    })();
    // A cookie is a few KB; a buffer grown by a big payload is not kept.
    if raw.capacity() <= 1 << 16 && zbuf.capacity() <= 1 << 16 {
        SCRATCH.with(|s| *s.borrow_mut() = Some((zbuf, raw)));
    }
    result
}

thread_local! {
    /// `decode_payload`'s buffers: the compressed bytes and the inflated ones.
    static SCRATCH: std::cell::RefCell<Option<(Vec<u8>, Vec<u8>)>> =
        const { std::cell::RefCell::new(None) };
}

thread_local! {
    /// The inflater's state (about 11 KiB of tables), kept rather than zeroed for every cookie.
    static INFLATER: std::cell::RefCell<Option<Box<DecompressorOxide>>> =
        const { std::cell::RefCell::new(None) };
}

use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;

/// `miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(data, MAX_INFLATED_PAYLOAD)`, with
/// the same results and statuses, but reusing the decompressor and starting from an output
/// buffer big enough for a typical session.
fn inflate(data: &[u8]) -> Result<Vec<u8>, TINFLStatus> {
    inflate_limited(data, MAX_INFLATED_PAYLOAD)
}

/// `miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(data, limit)`, with the same results
/// and statuses (the lab's share links use it too, so the bundle carries one inflater).
pub fn inflate_limited(mut data: &[u8], limit: usize) -> Result<Vec<u8>, TINFLStatus> {
    let flags = inflate_flags::TINFL_FLAG_PARSE_ZLIB_HEADER
        | inflate_flags::TINFL_FLAG_COMPUTE_ADLER32
        | inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    let mut decomp = INFLATER.with(|d| d.borrow_mut().take()).unwrap_or_default();
    decomp.init();
    let start = data.len().saturating_mul(4).max(4096).min(limit);
    let mut out = vec![0u8; start];
    let mut out_pos = 0;
    let result = loop {
        let (status, in_consumed, out_consumed) =
            decompress(&mut decomp, data, &mut out, out_pos, flags);
        out_pos += out_consumed;
        match status {
            TINFLStatus::Done => {
                out.truncate(out_pos);
                break Ok(out);
            }
            TINFLStatus::HasMoreOutput => {
                let Some(rest) = data.get(in_consumed..) else {
                    break Err(TINFLStatus::HasMoreOutput);
                };
                data = rest;
                if out.len() >= limit {
                    break Err(TINFLStatus::HasMoreOutput);
                }
                let new_len = out.len().saturating_mul(2).min(limit);
                out.resize(new_len, 0);
            }
            other => break Err(other),
        }
    };
    INFLATER.with(|d| *d.borrow_mut() = Some(decomp));
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_keys_match_the_reference() {
        // docs/flask-sessions.md §1.3.
        let hex = |b: [u8; 20]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
        assert_eq!(
            hex(derive_key(b"dev-secret", b"cookie-session")),
            "48a4b423f2a3883c61406a9f20d47ecf468f349d"
        );
        assert_eq!(
            hex(derive_key(b"dev-secret", b"flask-session")),
            "a12b81b34ea41929c5dd604da231c3c22bc38be8"
        );
    }

    #[test]
    fn plain_signer_matches_flask_session() {
        // docs/flask-sessions.md §3.3: SESSION_USE_SIGNER with SECRET_KEY 'dev-secret'.
        let signed = sign_plain("dev-secret", "flask-session", "abc123");
        assert_eq!(signed, "abc123.2YtSM093sMmGPyPUWc72mASbfwY");
        assert_eq!(
            unsign_plain("dev-secret", "flask-session", &signed).unwrap(),
            "abc123"
        );
        assert!(unsign_plain("other", "flask-session", &signed).is_err());
        assert!(unsign_plain("dev-secret", "flask-session", "abc123").is_err());
    }

    #[test]
    fn timestamps_are_minimal_big_endian() {
        // docs/flask-sessions.md §1.4 step 5.
        assert_eq!(encode_timestamp(1_700_000_000), "ZVPxAA");
        assert_eq!(encode_timestamp(1_795_307_952), "awI5sA");
        assert_eq!(encode_timestamp(256), "AQA");
        assert_eq!(encode_timestamp(0), "");
        assert_eq!(encode_timestamp(1 << 32), "AQAAAAA");
        assert_eq!(decode_timestamp(""), Some(0));
        assert_eq!(decode_timestamp("AQAAAAAAAAAA"), None);
    }

    #[test]
    fn compression_threshold_is_two_bytes() {
        // docs/flask-sessions.md §1.4 step 3: 19 -> 18 stays plain, 20 -> 18 is compressed.
        let s = Serializer::flask_session("dev-secret", &[]);
        assert!(!s
            .dumps(r#"{"k":"aaaaaaaaaaa"}"#, 1_700_000_000)
            .starts_with('.'));
        assert!(s
            .dumps(r#"{"k":"aaaaaaaaaaaa"}"#, 1_700_000_000)
            .starts_with('.'));
    }

    #[test]
    fn age_limits_are_inclusive_of_max_age_and_reject_the_future() {
        let s = Serializer::flask_session("k", &[]);
        let c = s.dumps("{}", 1000);
        assert!(s.loads(&c, Some(10), 1010).is_ok());
        assert_eq!(
            s.loads(&c, Some(10), 1011),
            Err(UnsignError::Expired {
                age: 11,
                max_age: 10
            })
        );
        assert_eq!(
            s.loads(&c, Some(10), 999),
            Err(UnsignError::FromTheFuture { age: -1 })
        );
        assert!(s.loads(&c, None, 0).is_ok());
    }

    #[test]
    fn garbage_is_rejected_not_panicked_on() {
        let s = Serializer::flask_session("k", &[]);
        for bad in [
            "",
            ".",
            "..",
            "...",
            "a.b",
            "a.b.c",
            "\u{1F600}.\u{1F600}",
            "x.y.!!!!",
        ] {
            assert!(s.loads(bad, Some(10), 0).is_err(), "{bad:?}");
        }
    }
}

#[cfg(test)]
mod inflate_tests {
    use super::*;

    #[test]
    fn inflate_errors_match_python_zlib() {
        // zlib.compress(b"hello hello hello") with: trailing bytes (Python ignores them), a
        // wrong Adler-32 (error -3), and cut short (error -5).
        assert_eq!(
            decode_payload(".eJzLSM3JyVfIQJAAOi4GfXh4").unwrap(),
            "hello hello hello"
        );
        for bad in [
            ".eJzLSM3JyVfIQJAAOi4GAA",
            ".eJzLSM3JyVfIQJAAOi4",
            ".eJzLSM3JyVfIQJAA",
        ] {
            assert!(
                matches!(decode_payload(bad), Err(UnsignError::BadPayload(_))),
                "{bad}"
            );
        }
    }
}
