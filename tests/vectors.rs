//! The reference vectors made with REAL Flask 3.1.3 / itsdangerous 2.2.0
//! (tests/fixtures/vectors.json and tests/fixtures/tagged_examples.json, written by
//! `tests/fixtures/generate.py` from the real packages; see docs/flask-sessions.md §1, §2 and
//! §5), read at run time through tests/common/mod.rs and checked against the engine.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::CookieVector as Vector;
use session_lab::engine::flask::tagged_json;
use session_lab::engine::itsdangerous::signing::{
    decode_payload, derive_key, encode_timestamp, Segments, Serializer, UnsignError,
    COOKIE_SESSION_SALT, DEFAULT_MAX_AGE,
};
use session_lab::engine::py::repr;

impl Vector {
    fn max_age(&self) -> i64 {
        self.max_age.unwrap_or(DEFAULT_MAX_AGE)
    }

    fn serializer(&self) -> Serializer {
        Serializer::new(&self.secret, &[], &self.salt)
    }
}

/// Every entry of vectors.json.
fn vectors() -> &'static [Vector] {
    let all = common::cookie_vectors();
    // docs/flask-sessions.md §5: 19 cookie vectors. A shorter file would silently test less.
    assert_eq!(all.len(), 19, "vectors.json should hold 19 vectors");
    all
}

fn vector(name: &str) -> &'static Vector {
    vectors()
        .iter()
        .find(|v| v.name == name)
        .unwrap_or_else(|| panic!("no vector {name}"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

// ---------------------------------------------------------------------------------------------
// Cookie vectors

#[test]
fn segments_split_like_itsdangerous() {
    for v in vectors() {
        let seg = Segments::split(&v.cookie).unwrap_or_else(|e| panic!("{}: {e}", v.name));
        assert_eq!(
            format!("{}.{}.{}", seg.payload, seg.timestamp, seg.signature),
            v.cookie,
            "{}",
            v.name
        );
        if let Some(p) = v.payload_segment.as_deref() {
            assert_eq!(seg.payload, p, "{}: payload segment", v.name);
        }
        if let Some(t) = v.timestamp_segment.as_deref() {
            assert_eq!(seg.timestamp, t, "{}: timestamp segment", v.name);
        }
        if let Some(s) = v.signature_segment.as_deref() {
            assert_eq!(seg.signature, s, "{}: signature segment", v.name);
            assert_eq!(s.len(), 27, "{}: 20-byte HMAC-SHA1 is 27 chars", v.name);
        }
        if let Some(c) = v.compressed {
            assert_eq!(seg.compressed(), c, "{}: compression flag", v.name);
        }
        assert_eq!(
            seg.timestamp_value(),
            Some(v.timestamp),
            "{}: timestamp",
            v.name
        );
        assert_eq!(
            encode_timestamp(v.timestamp as u64),
            seg.timestamp,
            "{}: timestamp encoding",
            v.name
        );
    }
}

#[test]
fn payloads_decode_without_the_key() {
    for v in vectors() {
        let seg = Segments::split(&v.cookie).unwrap();
        let json = decode_payload(seg.payload).unwrap_or_else(|e| panic!("{}: {e}", v.name));
        assert_eq!(json, v.session, "{}", v.name);
    }
}

#[test]
fn cookies_verify_five_seconds_later() {
    for v in vectors() {
        let got = v
            .serializer()
            .loads(&v.cookie, Some(v.max_age()), v.timestamp + 5)
            .unwrap_or_else(|e| panic!("{}: {e}", v.name));
        assert_eq!(got.json, v.session, "{}: JSON text", v.name);
        assert_eq!(got.timestamp, v.timestamp, "{}: timestamp", v.name);
        assert_eq!(got.key_index, 0, "{}: only one key", v.name);
        if let Some(c) = v.compressed {
            assert_eq!(got.compressed, c, "{}", v.name);
        }
        // The payload is a session Flask could load.
        tagged_json::loads_dict(&got.json).unwrap_or_else(|e| panic!("{}: {e}", v.name));
    }
}

#[test]
fn every_cookie_re_signs_byte_for_byte() {
    // Compressed ones too: the engine's zlib is a port of the 1.2.13 that made these vectors
    // (docs/flask-sessions.md §1.4), so both the decision to compress and the deflate bytes match.
    let (mut plain, mut compressed) = (0, 0);
    for v in vectors() {
        let ours = v.serializer().dumps(&v.session, v.timestamp as u64);
        assert_eq!(ours, v.cookie, "{}", v.name);
        if v.cookie.starts_with('.') {
            compressed += 1;
        } else {
            plain += 1;
        }
    }
    assert!(
        plain >= 10 && compressed >= 5,
        "{plain} plain, {compressed} compressed"
    );
}

#[test]
fn cookies_expire_one_second_after_max_age() {
    for v in vectors() {
        let s = v.serializer();
        let max_age = v.max_age();
        // age == max_age is still accepted.
        assert!(
            s.loads(&v.cookie, Some(max_age), v.timestamp + max_age)
                .is_ok(),
            "{}: age == max_age",
            v.name
        );
        let err = s
            .loads(&v.cookie, Some(max_age), v.timestamp + max_age + 1)
            .unwrap_err();
        assert_eq!(
            err,
            UnsignError::Expired {
                age: max_age + 1,
                max_age
            },
            "{}",
            v.name
        );
        // itsdangerous: "Signature age 2678401 > 2678400 seconds".
        if let Some(msg) = v.expired_error_at_ts_plus_max_age_plus_1.as_deref() {
            assert!(
                err.to_string().to_lowercase().contains(&msg.to_lowercase()),
                "{}: {err} vs {msg}",
                v.name
            );
        }
        // Without max_age, age does not matter.
        assert!(s.loads(&v.cookie, None, v.timestamp + 10 * max_age).is_ok());
    }
}

#[test]
fn cookies_from_the_future_are_rejected() {
    for v in vectors() {
        assert_eq!(
            v.serializer()
                .loads(&v.cookie, Some(v.max_age()), v.timestamp - 1),
            Err(UnsignError::FromTheFuture { age: -1 }),
            "{}",
            v.name
        );
    }
}

#[test]
fn wrong_key_is_a_bad_signature() {
    for v in vectors() {
        let other = Serializer::new("not-the-secret", &[], &v.salt);
        assert_eq!(
            other.loads(&v.cookie, Some(v.max_age()), v.timestamp + 5),
            Err(UnsignError::BadSignature),
            "{}",
            v.name
        );
    }
}

#[test]
fn derived_keys_match() {
    let mut checked = 0;
    for v in vectors() {
        if let Some(expected) = v.derived_key_hex.as_deref() {
            assert_eq!(
                hex(&derive_key(v.secret.as_bytes(), v.salt.as_bytes())),
                expected,
                "{}",
                v.name
            );
            checked += 1;
        }
        assert_eq!(v.salt, COOKIE_SESSION_SALT, "{}", v.name);
    }
    assert_eq!(checked, 17);
}

#[test]
fn session_json_re_serializes_exactly() {
    // Every vector was made inside a request context: sorted keys, ASCII escapes.
    for v in vectors() {
        let value = tagged_json::loads(&v.session).unwrap_or_else(|e| panic!("{}: {e}", v.name));
        assert_eq!(tagged_json::dumps(&value), v.session, "{}", v.name);
    }
}

#[test]
fn python_reprs_match_up_to_dict_order() {
    // `python_repr` is the repr of the dict Flask was given, in *insertion* order (e.g.
    // `{'zeta': 1, 'alpha': 2, ...}` for key_order); our repr lists keys in code-point order,
    // which is the order the dict has after a round trip through the cookie. So both texts are
    // normalised by sorting the entries of every dict before comparing. Where the insertion
    // order happened to be sorted, the texts must match exactly.
    let mut exact = 0;
    for v in vectors() {
        let Some(expected) = v.python_repr.as_deref() else {
            continue;
        };
        let ours = repr::repr(&tagged_json::loads(&v.session).unwrap());
        assert_eq!(
            normalize_repr(&ours),
            normalize_repr(expected),
            "{}: {ours} vs {expected}",
            v.name
        );
        if ours == expected {
            exact += 1;
        }
    }
    assert!(exact >= 10, "only {exact} reprs matched exactly");
}

// ---------------------------------------------------------------------------------------------
// Key rotation (docs/flask-sessions.md §1.6)

#[test]
fn old_key_is_accepted_only_as_a_fallback() {
    let v = vector("rotation_old_key");
    assert_eq!(v.secret, "old-secret");
    let now = v.timestamp + 5;
    let rotated = Serializer::flask_session("dev-secret", &["old-secret".to_string()]);
    let got = rotated
        .loads(&v.cookie, Some(DEFAULT_MAX_AGE), now)
        .unwrap();
    assert_eq!(got.json, v.session);
    assert_eq!(got.key_index, 0, "the fallback (oldest) key matched");

    let without = Serializer::flask_session("dev-secret", &[]);
    assert_eq!(
        without.loads(&v.cookie, Some(DEFAULT_MAX_AGE), now),
        Err(UnsignError::BadSignature)
    );
    // The key it was made with still reads it directly.
    assert!(Serializer::flask_session("old-secret", &[])
        .loads(&v.cookie, Some(DEFAULT_MAX_AGE), now)
        .is_ok());
    // Fallbacks are tried in any position.
    let many = Serializer::flask_session(
        "dev-secret",
        &[
            "older".to_string(),
            "old-secret".to_string(),
            "x".to_string(),
        ],
    );
    assert_eq!(
        many.loads(&v.cookie, Some(DEFAULT_MAX_AGE), now)
            .unwrap()
            .key_index,
        1
    );
}

#[test]
fn new_key_signs_even_with_fallbacks() {
    let v = vector("rotation_new_key_with_fallbacks");
    assert_eq!(v.timestamp, 1_700_000_100);
    let rotated = Serializer::flask_session("dev-secret", &["old-secret".to_string()]);
    assert_eq!(rotated.dumps(&v.session, v.timestamp as u64), v.cookie);
    let got = rotated
        .loads(&v.cookie, Some(DEFAULT_MAX_AGE), v.timestamp + 5)
        .unwrap();
    assert_eq!(got.key_index, 1, "SECRET_KEY is last in the key list");
    // It is a plain dev-secret cookie: no fallback needed, and the old key alone refuses it.
    assert!(Serializer::flask_session("dev-secret", &[])
        .loads(&v.cookie, Some(DEFAULT_MAX_AGE), v.timestamp + 5)
        .is_ok());
    assert_eq!(
        Serializer::flask_session("old-secret", &[]).loads(
            &v.cookie,
            Some(DEFAULT_MAX_AGE),
            v.timestamp + 5
        ),
        Err(UnsignError::BadSignature)
    );
}

// ---------------------------------------------------------------------------------------------
// TaggedJSON examples (docs/flask-sessions.md §2.3)

struct Example {
    python: String,
    in_app: String,
    without_app: String,
    loads_back: String,
}

fn examples() -> Vec<Example> {
    let all: Vec<Example> = common::tagged_examples()
        .iter()
        .map(|e| Example {
            python: e.python.clone(),
            in_app: e.json_in_app_context.clone(),
            without_app: e.json_without_app_context.clone(),
            loads_back: e.loads_back.clone(),
        })
        .collect();
    assert_eq!(
        all.len(),
        24,
        "tagged_examples.json should hold 24 examples"
    );
    all
}

#[test]
fn tagged_examples_round_trip_exactly() {
    for e in examples() {
        let value =
            tagged_json::loads(&e.in_app).unwrap_or_else(|err| panic!("{}: {err}", e.python));
        assert_eq!(tagged_json::dumps(&value), e.in_app, "{}", e.python);
        // It is always a dict at the top, as a session is.
        let dict = tagged_json::loads_dict(&e.in_app).unwrap();
        assert_eq!(tagged_json::dumps_dict(&dict), e.in_app, "{}", e.python);
    }
}

#[test]
fn json_outside_an_app_context_loads_to_the_same_value() {
    // Unsorted keys (plain json.dumps) read back to an equal value.
    for e in examples() {
        let a = tagged_json::loads(&e.in_app).unwrap();
        let b =
            tagged_json::loads(&e.without_app).unwrap_or_else(|err| panic!("{}: {err}", e.python));
        assert_eq!(a, b, "{}", e.python);
        assert_eq!(tagged_json::dumps(&b), e.in_app, "{}", e.python);
    }
}

#[test]
fn tagged_examples_repr_like_python() {
    // `loads_back` is the repr of what Flask's loads returned for the (sorted) in-app JSON, so
    // the dict order is code-point order here too and the texts must match exactly.
    for e in examples() {
        let value = tagged_json::loads(&e.in_app).unwrap();
        assert_eq!(repr::repr(&value), e.loads_back, "{}", e.python);
    }
}

// ---------------------------------------------------------------------------------------------
// `" d"` (datetime) tags as Flask reads them: Werkzeug `parse_date`, i.e.
// `email.utils.parsedate_to_datetime`, with None for anything it cannot read.
//
// Expected texts are Flask 3.1.3's, from this snippet (target/flask-venv/bin/python):
//     app = Flask("p"); app.secret_key = "k"; ser = app.session_interface.serializer
//     with app.test_request_context():
//         ser.dumps(ser.loads(json.dumps({"d": {" d": s}}, separators=(",", ":"))))

fn reload_date(s: &str) -> String {
    let text = format!("{{\"d\":{{\" d\":{}}}}}", serde_json::to_string(s).unwrap());
    match tagged_json::loads(&text) {
        Ok(v) => tagged_json::dumps(&v),
        Err(e) => format!("error: {e}"),
    }
}

#[test]
fn tagged_dates_load_like_flask() {
    for (s, flask) in [
        // Flask-written dates, years 100..9999.
        (
            "Mon, 01 Jan 0100 00:00:00 GMT",
            r#"{"d":{" d":"Fri, 01 Jan 0100 00:00:00 GMT"}}"#,
        ),
        (
            "Fri, 31 Dec 9999 23:59:59 GMT",
            r#"{"d":{" d":"Fri, 31 Dec 9999 23:59:59 GMT"}}"#,
        ),
        (
            "Tue, 02 Jan 2024 03:04:05 GMT",
            r#"{"d":{" d":"Tue, 02 Jan 2024 03:04:05 GMT"}}"#,
        ),
        // Two-digit years: 69-99 are 19xx, 00-68 are 20xx. The day name is not checked.
        (
            "Tue, 02 Jan 24 03:04:05 GMT",
            r#"{"d":{" d":"Tue, 02 Jan 2024 03:04:05 GMT"}}"#,
        ),
        (
            "Thu, 02 Jan 69 03:04:05 GMT",
            r#"{"d":{" d":"Thu, 02 Jan 1969 03:04:05 GMT"}}"#,
        ),
        (
            "Sun, 02 Jan 68 03:04:05 GMT",
            r#"{"d":{" d":"Mon, 02 Jan 2068 03:04:05 GMT"}}"#,
        ),
        // Offsets and US zones are converted to UTC; seconds are optional.
        (
            "Tue, 02 Jan 2024 05:04:05 +0200",
            r#"{"d":{" d":"Tue, 02 Jan 2024 03:04:05 GMT"}}"#,
        ),
        (
            "Tue, 02 Jan 2024 03:04:05 -2359",
            r#"{"d":{" d":"Wed, 03 Jan 2024 03:03:05 GMT"}}"#,
        ),
        (
            "Mon, 01 Jan 2024 22:04:05 EST",
            r#"{"d":{" d":"Tue, 02 Jan 2024 03:04:05 GMT"}}"#,
        ),
        (
            "Tue, 02 Jan 2024 03:04 GMT",
            r#"{"d":{" d":"Tue, 02 Jan 2024 03:04:00 GMT"}}"#,
        ),
        (
            "Tue, 02 Jan 2024 03:04:59 GMT",
            r#"{"d":{" d":"Tue, 02 Jan 2024 03:04:59 GMT"}}"#,
        ),
    ] {
        assert_eq!(reload_date(s), flask, "{s}");
    }
}

#[test]
fn tagged_date_edge_cases_load_like_flask() {
    let mismatches: Vec<String> = [
        // Years below 100 with 3 or 4 digits: email.utils adds 2000 (00-68) or 1900 (69-99)
        // by value, so Flask does not even round-trip its own datetimes before year 100.
        (
            "Mon, 01 Jan 0001 00:00:00 GMT",
            r#"{"d":{" d":"Mon, 01 Jan 2001 00:00:00 GMT"}}"#,
        ),
        (
            "Sat, 27 Apr 0013 22:16:33 GMT",
            r#"{"d":{" d":"Sat, 27 Apr 2013 22:16:33 GMT"}}"#,
        ),
        (
            "Thu, 27 Apr 0090 22:16:33 GMT",
            r#"{"d":{" d":"Fri, 27 Apr 1990 22:16:33 GMT"}}"#,
        ),
        (
            "Mon, 27 Apr 0099 22:16:33 GMT",
            r#"{"d":{" d":"Tue, 27 Apr 1999 22:16:33 GMT"}}"#,
        ),
        (
            "Sun, 08 Apr 001 07:28:00 GMT",
            r#"{"d":{" d":"Sun, 08 Apr 2001 07:28:00 GMT"}}"#,
        ),
        // datetime.timezone() refuses offsets of 24 h or more: parse_date gives None.
        ("Tue, 02 Jan 2024 03:04:05 +2400", r#"{"d":null}"#),
        ("Tue, 02 Jan 2024 03:04:05 -9999", r#"{"d":null}"#),
        // datetime() refuses second=60/61 (leap seconds): None.
        ("Tue, 02 Jan 2024 03:04:60 GMT", r#"{"d":null}"#),
        ("Tue, 02 Jan 2024 03:04:61 GMT", r#"{"d":null}"#),
    ]
    .into_iter()
    .filter_map(|(s, flask)| {
        let ours = reload_date(s);
        (ours != flask).then(|| format!("{s:?}: Flask {flask}, ours {ours}"))
    })
    .collect();
    assert!(mismatches.is_empty(), "{mismatches:#?}");
}

// ---------------------------------------------------------------------------------------------
// A Python-repr normaliser: parses the subset of repr text session values produce and sorts
// the entries of every dict, leaving everything else (lists, tuples, scalars, calls such as
// `Markup('...')` or `datetime.datetime(...)`) as written.

fn normalize_repr(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let out = norm_value(&chars, &mut i);
    skip_ws(&chars, &mut i);
    assert_eq!(i, chars.len(), "trailing text in repr {text:?}");
    out
}

fn skip_ws(c: &[char], i: &mut usize) {
    while *i < c.len() && c[*i] == ' ' {
        *i += 1;
    }
}

/// A quoted Python string literal starting at `c[*i]`, returned raw (quotes included).
fn raw_string(c: &[char], i: &mut usize) -> String {
    let quote = c[*i];
    let start = *i;
    *i += 1;
    while *i < c.len() && c[*i] != quote {
        if c[*i] == '\\' {
            *i += 1;
        }
        *i += 1;
    }
    *i += 1; // closing quote
    c[start..(*i).min(c.len())].iter().collect()
}

/// Items up to the closing bracket, each normalised; also says whether a trailing comma was
/// present (which matters for one-tuples).
fn norm_items(c: &[char], i: &mut usize, close: char) -> (Vec<String>, bool) {
    let mut items = Vec::new();
    let mut trailing = false;
    loop {
        skip_ws(c, i);
        if c.get(*i) == Some(&close) {
            *i += 1;
            return (items, trailing);
        }
        items.push(norm_value(c, i));
        skip_ws(c, i);
        trailing = false;
        if c.get(*i) == Some(&',') {
            *i += 1;
            trailing = true;
        }
    }
}

fn norm_value(c: &[char], i: &mut usize) -> String {
    skip_ws(c, i);
    match c.get(*i) {
        Some('{') => {
            *i += 1;
            let mut entries = Vec::new();
            loop {
                skip_ws(c, i);
                if c.get(*i) == Some(&'}') {
                    *i += 1;
                    break;
                }
                let k = norm_value(c, i);
                skip_ws(c, i);
                assert_eq!(c.get(*i), Some(&':'), "dict key without ':'");
                *i += 1;
                let v = norm_value(c, i);
                entries.push(format!("{k}: {v}"));
                skip_ws(c, i);
                if c.get(*i) == Some(&',') {
                    *i += 1;
                }
            }
            entries.sort();
            format!("{{{}}}", entries.join(", "))
        }
        Some('[') => {
            *i += 1;
            let (items, _) = norm_items(c, i, ']');
            format!("[{}]", items.join(", "))
        }
        Some('(') => {
            *i += 1;
            let (items, trailing) = norm_items(c, i, ')');
            if items.len() == 1 && trailing {
                format!("({},)", items[0])
            } else {
                format!("({})", items.join(", "))
            }
        }
        Some('\'' | '"') => raw_string(c, i),
        Some(_) => {
            // A bare token (number, True, None), a prefixed string (b'..'), or a call.
            let start = *i;
            while *i < c.len()
                && (c[*i].is_alphanumeric() || matches!(c[*i], '_' | '.' | '+' | '-' | '='))
            {
                *i += 1;
            }
            let ident: String = c[start..*i].iter().collect();
            let next = c.get(*i);
            assert!(
                !ident.is_empty() || matches!(next, Some('\'' | '"' | '(')),
                "unexpected {next:?} in repr"
            );
            match next {
                Some('\'' | '"') => format!("{ident}{}", raw_string(c, i)),
                Some('(') => {
                    *i += 1;
                    let (items, _) = norm_items(c, i, ')');
                    format!("{ident}({})", items.join(", "))
                }
                _ => ident,
            }
        }
        None => panic!("repr ended early"),
    }
}

#[test]
fn repr_normaliser_only_reorders_dicts() {
    assert_eq!(
        normalize_repr("{'b': (1,), 'a': {'y': [2, 'x, y'], 'x': b'\\x00'}}"),
        "{'a': {'x': b'\\x00', 'y': [2, 'x, y']}, 'b': (1,)}"
    );
    assert_eq!(
        normalize_repr(
            "{'w': datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone.utc), 'm': Markup('<b>')}"
        ),
        "{'m': Markup('<b>'), 'w': datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone.utc)}"
    );
    assert_ne!(normalize_repr("[1, 2]"), normalize_repr("[2, 1]"));
}
