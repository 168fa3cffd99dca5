//! Property tests: TaggedJSON and cookie round trips over arbitrary session values, and "never
//! panics" over arbitrary (hostile) input for every parser and for the seed apps.
#![cfg(not(target_arch = "wasm32"))]

use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::select;
use session_lab::engine::apps::{seed_001, seed_003};
use session_lab::engine::flask::app::App;
use session_lab::engine::flask::tagged_json;
use session_lab::engine::flask::tagged_json::TAG_KEYS;
use session_lab::engine::itsdangerous::pybase64;
use session_lab::engine::itsdangerous::signing::{
    decode_payload, Serializer, UnsignError, DEFAULT_MAX_AGE,
};
use session_lab::engine::py::datetime::{civil, days_from_civil, MAX_UNIX, MIN_UNIX};
use session_lab::engine::py::value::{Dict, PyInt, Value};
use session_lab::engine::werkzeug::cookie::parse_cookie_header;
use session_lab::engine::werkzeug::http_date::{http_date, parse_http_date};
use session_lab::engine::werkzeug::wrappers::Request;
use std::ops::RangeInclusive;

// ---------------------------------------------------------------------------------------------
// Strategies

/// Python ints: any i64, and big ones of up to 60 digits.
fn py_int() -> impl Strategy<Value = PyInt> {
    prop_oneof![
        any::<i64>().prop_map(PyInt::from),
        "-?[1-9][0-9]{18,60}".prop_map(|s| PyInt::parse(&s).expect("canonical digits")),
        Just(PyInt::parse("0").unwrap()),
    ]
}

/// Floats: any finite value, plus the specials Python writes (`-0.0`, `NaN`, `±Infinity`).
fn py_float() -> impl Strategy<Value = f64> {
    prop_oneof![
        8 => any::<f64>().prop_filter("finite", |f| f.is_finite()),
        2 => -1e6f64..1e6,
        1 => select(vec![0.0, -0.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e16, 1e-5, 5e-324]),
    ]
}

/// Text: arbitrary Unicode, plus the characters JSON and the tags care about.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<String>(),
        2 => "[ -~]{0,12}",
        1 => "[\"\\\\/\\n\\r\\t\\u{0}-\\u{1f}\\u{7f}\\u{2028}\\u{feff}😀é ]{0,8}",
        1 => select(TAG_KEYS.to_vec()).prop_map(str::to_string),
        1 => select(TAG_KEYS.to_vec()).prop_map(|t| format!("{t}__")),
    ]
}

/// Unix time of 0100-01-01T00:00:00Z. Werkzeug reads every year below 100 as 19xx/20xx (see
/// `tagged_date_edge_cases_load_like_flask` in tests/vectors.rs), so Flask itself only
/// round-trips datetimes from year 100 on; the round-trip properties use that range.
fn year_100() -> i64 {
    days_from_civil(100, 1, 1) * 86_400
}

fn leaf(dates: RangeInclusive<i64>) -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        py_int().prop_map(Value::Int),
        py_float().prop_map(Value::Float),
        text().prop_map(Value::Str),
        vec(any::<u8>(), 0..24).prop_map(Value::Bytes),
        text().prop_map(Value::Markup),
        any::<u128>().prop_map(Value::Uuid),
        dates.prop_map(Value::DateTime),
    ]
}

/// Any value a Flask session can hold, nested (datetimes over Python's whole range).
fn value() -> impl Strategy<Value = Value> {
    value_with(MIN_UNIX..=MAX_UNIX)
}

/// Like [`value`], with datetimes drawn from `dates`.
fn value_with(dates: RangeInclusive<i64>) -> impl Strategy<Value = Value> {
    leaf(dates).prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::List),
            vec(inner.clone(), 0..6).prop_map(Value::Tuple),
            btree_map(text(), inner.clone(), 0..6).prop_map(Value::Dict),
            // A one-key dict whose key is a tag name: Flask escapes it with `" di"`.
            (select(TAG_KEYS.to_vec()), inner)
                .prop_map(|(k, v)| Value::Dict(Dict::from([(k.to_string(), v)]))),
        ]
    })
}

/// A session dict (the top level of a cookie).
fn session_dict() -> impl Strategy<Value = Dict> {
    session_dict_with(MIN_UNIX..=MAX_UNIX)
}

fn session_dict_with(dates: RangeInclusive<i64>) -> impl Strategy<Value = Dict> {
    prop_oneof![
        4 => btree_map(text(), value_with(dates.clone()), 0..6),
        1 => (select(TAG_KEYS.to_vec()), value_with(dates))
            .prop_map(|(k, v)| Dict::from([(k.to_string(), v)])),
    ]
}

/// Text made of the characters a signed cookie is made of, dots included.
fn cookie_like() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9_.-]{0,120}",
        "\\.?[A-Za-z0-9_-]{0,60}\\.[A-Za-z0-9_-]{0,8}\\.[A-Za-z0-9_-]{0,30}",
        "\\.eJ[A-Za-z0-9_-]{0,60}\\.[A-Za-z0-9_-]{0,8}\\.[A-Za-z0-9_-]{27}",
        "[A-Za-z0-9_.=+/!-]{0,60}",
    ]
}

/// Text shaped like JSON, to get the parser past its first byte.
fn json_like() -> impl Strategy<Value = String> {
    prop_oneof![
        "[\\[\\]{}\",:0-9.eE+\\-a-z\\\\ ]{0,80}",
        "\\{(\"( t| di| b| m| u| d|[a-z]{0,3})\":(\\[|\\{|\"[ -~]{0,12}\"|-?[0-9]{1,30}(\\.[0-9]+)?|null|true|NaN|-Infinity),?){0,4}\\}{0,3}",
        any::<String>(),
    ]
}

// ---------------------------------------------------------------------------------------------
// Helpers

/// Structural equality that also treats NaN as equal to NaN and tells `-0.0` from `0.0`
/// (`Value`'s derived `PartialEq` uses f64's, which does neither).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => {
            (x.is_nan() && y.is_nan()) || x.to_bits() == y.to_bits()
        }
        (Value::List(x), Value::List(y)) | (Value::Tuple(x), Value::Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Dict(x), Value::Dict(y)) => same_dict(x, y),
        _ => a == b,
    }
}

fn same_dict(x: &Dict, y: &Dict) -> bool {
    x.len() == y.len()
        && x.iter()
            .zip(y)
            .all(|((ka, va), (kb, vb))| ka == kb && same(va, vb))
}

// ---------------------------------------------------------------------------------------------
// Round trips

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn tagged_json_round_trips(v in value_with(year_100()..=MAX_UNIX)) {
        let text = tagged_json::dumps(&v);
        prop_assert!(text.is_ascii(), "ensure_ascii: {text}");
        let back = tagged_json::loads(&text)
            .map_err(|e| TestCaseError::fail(format!("{e} in {text}")))?;
        prop_assert!(same(&v, &back), "{v:?}\n -> {text}\n -> {back:?}");
        // And the text is stable.
        prop_assert_eq!(tagged_json::dumps(&back), text);
    }

    #[test]
    fn session_dicts_round_trip(d in session_dict_with(year_100()..=MAX_UNIX)) {
        let text = tagged_json::dumps_dict(&d);
        prop_assert_eq!(&text, &tagged_json::dumps(&Value::Dict(d.clone())));
        let back = tagged_json::loads_dict(&text)
            .map_err(|e| TestCaseError::fail(format!("{e} in {text}")))?;
        prop_assert!(same_dict(&d, &back), "{d:?}\n -> {text}\n -> {back:?}");
    }

    #[test]
    fn sign_then_verify_round_trips(
        d in session_dict_with(year_100()..=MAX_UNIX),
        secret in any::<String>(),
        fallbacks in vec(any::<String>(), 0..3),
        ts in 0u64..=(MAX_UNIX as u64),
        max_age in 0i64..100_000_000,
        age_frac in 0.0f64..=1.0,
    ) {
        let json = tagged_json::dumps_dict(&d);
        let s = Serializer::flask_session(&secret, &fallbacks);
        let cookie = s.dumps(&json, ts);
        // Never needs cookie quoting (docs/flask-sessions.md §1.2).
        prop_assert!(
            cookie.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)),
            "{cookie}"
        );
        let ts_i = ts as i64;
        let now = ts_i + (max_age as f64 * age_frac) as i64;
        let got = s.loads(&cookie, Some(max_age), now)
            .map_err(|e| TestCaseError::fail(format!("{e}: {cookie}")))?;
        prop_assert_eq!(&got.json, &json);
        prop_assert_eq!(got.timestamp, ts_i);
        prop_assert_eq!(got.compressed, cookie.starts_with('.'));
        // SECRET_KEY is last in the key list and is tried first.
        prop_assert_eq!(got.key_index, fallbacks.len());
        let back = tagged_json::loads_dict(&got.json).unwrap();
        prop_assert!(same_dict(&d, &back));
        prop_assert_eq!(
            s.loads(&cookie, Some(max_age), ts_i + max_age + 1),
            Err(UnsignError::Expired { age: max_age + 1, max_age })
        );
        prop_assert_eq!(
            s.loads(&cookie, Some(max_age), ts_i - 1),
            Err(UnsignError::FromTheFuture { age: -1 })
        );
        // Another key refuses it.
        prop_assert_eq!(
            Serializer::flask_session(&format!("{secret}!"), &[]).loads(&cookie, Some(max_age), now),
            Err(UnsignError::BadSignature)
        );
    }

    #[test]
    fn timestamps_past_year_9999_are_refused_like_itsdangerous(
        ts in (MAX_UNIX as u64 + 1)..=u64::MAX,
        now in any::<i64>(),
    ) {
        let s = Serializer::flask_session("k", &[]);
        let cookie = s.dumps("{}", ts);
        let got = s.loads(&cookie, Some(DEFAULT_MAX_AGE), now);
        prop_assert!(matches!(got, Err(UnsignError::TimestampOutOfRange { .. })), "{got:?}");
    }

    #[test]
    fn old_keys_verify_as_fallbacks(
        d in session_dict(),
        old in "[ -~]{0,16}",
        new in "[ -~]{0,16}",
        ts in 0u64..=(MAX_UNIX as u64),
    ) {
        prop_assume!(old != new);
        let json = tagged_json::dumps_dict(&d);
        let cookie = Serializer::flask_session(&old, &[]).dumps(&json, ts);
        let now = ts as i64;
        let rotated = Serializer::flask_session(&new, std::slice::from_ref(&old));
        prop_assert_eq!(rotated.loads(&cookie, Some(10), now).unwrap().key_index, 0);
        prop_assert_eq!(
            Serializer::flask_session(&new, &[]).loads(&cookie, Some(10), now),
            Err(UnsignError::BadSignature)
        );
        // With fallbacks set, the new key still signs.
        prop_assert_eq!(
            rotated.dumps(&json, ts),
            Serializer::flask_session(&new, &[]).dumps(&json, ts)
        );
    }

    #[test]
    fn http_dates_round_trip(t in year_100()..=MAX_UNIX) {
        prop_assert_eq!(parse_http_date(&http_date(t)), Some(t));
    }

    #[test]
    fn datetimes_before_year_100_come_back_as_flask_reads_them(t in MIN_UNIX..year_100()) {
        // Flask 3.1.3: ser.loads(ser.dumps({"d": datetime(13, 4, 27, 22, 16, 33, tzinfo=utc)}))
        // == {"d": datetime(2013, 4, 27, 22, 16, 33, tzinfo=utc)}.
        let c = civil(t);
        let year = c.year + if c.year > 68 { 1900 } else { 2000 };
        let flask = days_from_civil(year, c.month, c.day) * 86_400 + t.rem_euclid(86_400);
        let text = tagged_json::dumps(&Value::DateTime(t));
        prop_assert_eq!(tagged_json::loads(&text).unwrap(), Value::DateTime(flask));
    }

    #[test]
    fn urlsafe_base64_round_trips(data in vec(any::<u8>(), 0..64)) {
        let text = pybase64::urlsafe_encode(&data);
        prop_assert!(!text.contains('='));
        prop_assert_eq!(pybase64::urlsafe_decode(&text).unwrap(), data.clone());
        prop_assert_eq!(pybase64::b64decode(&pybase64::b64encode(&data)).unwrap(), data);
    }
}

// ---------------------------------------------------------------------------------------------
// Never panics on hostile input

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn serializer_loads_never_panics(
        s in prop_oneof![any::<String>(), cookie_like()],
        max_age in prop_oneof![Just(None), any::<i64>().prop_map(Some)],
        now in any::<i64>(),
    ) {
        let ser = Serializer::flask_session("dev-secret", &["old".to_string()]);
        let _ = ser.loads(&s, max_age, now);
        let _ = ser.verify_signature(&s);
    }

    #[test]
    fn decode_payload_never_panics(s in prop_oneof![any::<String>(), cookie_like()]) {
        let _ = decode_payload(&s);
    }

    #[test]
    fn tagged_json_loads_never_panics(s in json_like()) {
        let _ = tagged_json::loads(&s);
        let _ = tagged_json::loads_dict(&s);
    }

    #[test]
    fn cookie_header_parsing_never_panics(s in prop_oneof![
        any::<String>(),
        "([a-z ]{0,4}=?\"?[A-Za-z0-9_.\\\\\";, -]{0,20}\"?;?){0,5}",
    ]) {
        let _ = parse_cookie_header(&s);
    }

    #[test]
    fn http_date_parsing_never_panics(s in prop_oneof![
        any::<String>(),
        "(Mon|Tue|Wed|xyz)?,? ?[0-9]{0,3} (Jan|Feb|Dec|Foo)? ?[0-9]{0,5} [0-9:]{0,9} ?(GMT|UTC|EST|[+-][0-9]{4}|[+-][0-9]{2})?",
    ]) {
        let _ = parse_http_date(&s);
    }

    #[test]
    fn urlsafe_decode_never_panics(s in prop_oneof![any::<String>(), cookie_like()]) {
        let _ = pybase64::urlsafe_decode(&s);
        if s.is_ascii() {
            let _ = pybase64::b64decode(&s);
        }
    }

    #[test]
    fn correctly_signed_garbage_never_panics(payload in prop_oneof![any::<String>(), json_like()]) {
        // A valid signature over a payload that is not a session: BadPayload, never a panic.
        let ser = Serializer::flask_session("dev-secret", &[]);
        let cookie = ser.dumps(&payload, 1_700_000_000);
        match ser.loads(&cookie, Some(10), 1_700_000_000) {
            Ok(u) => {
                prop_assert_eq!(&u.json, &payload);
                let _ = tagged_json::loads_dict(&u.json);
            }
            Err(e) => prop_assert!(matches!(e, UnsignError::BadPayload(_)), "{e}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The seed apps never panic

fn seed_apps() -> [App; 2] {
    [seed_001::app(), seed_003::app()]
}

/// A method: the usual ones, or any token.
fn method() -> impl Strategy<Value = String> {
    prop_oneof![
        select(vec![
            "GET", "POST", "HEAD", "OPTIONS", "PUT", "DELETE", "PATCH"
        ])
        .prop_map(str::to_string),
        "[A-Za-z]{0,8}",
        any::<String>(),
    ]
}

/// A request target: the apps' routes (with odd queries), or anything.
fn target() -> impl Strategy<Value = String> {
    prop_oneof![
        select(vec![
            "/setsession",
            "/getsession",
            "/popsession",
            "/login",
            "/user",
            "/logout",
            "/"
        ])
        .prop_map(str::to_string),
        "/[a-z%?=&+#/.]{0,20}",
        any::<String>(),
    ]
}

/// A `Cookie` header: anything, cookie-alphabet text, or a correctly signed cookie (for either
/// app's key) carrying an arbitrary session.
fn cookie_header() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        cookie_like().prop_map(|c| format!("session={c}")),
        (
            select(vec!["xyz", "hello"]),
            session_dict(),
            1_699_999_000u64..1_700_001_000
        )
            .prop_map(|(key, d, ts)| {
                let c = Serializer::flask_session(key, &[]).dumps(&tagged_json::dumps_dict(&d), ts);
                format!("session={c}")
            }),
        // Signed correctly, but the payload is not a session (Flask: 500).
        (select(vec!["xyz", "hello"]), json_like()).prop_map(|(key, p)| {
            format!(
                "session={}",
                Serializer::flask_session(key, &[]).dumps(&p, 1_700_000_000)
            )
        }),
        (select(vec!["xyz", "hello"]), value()).prop_map(|(key, v)| {
            let user = Dict::from([("user".to_string(), v.clone()), ("Username".to_string(), v)]);
            let c = Serializer::flask_session(key, &[])
                .dumps(&tagged_json::dumps_dict(&user), 1_700_000_000);
            format!("session={c}; other=1")
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn apps_never_panic(
        method in method(),
        target in target(),
        cookies in vec(cookie_header(), 0..3),
        form in vec((prop_oneof![Just("nm".to_string()), any::<String>()], any::<String>()), 0..3),
        // Any realistic clock: 1970 up to 31 days before the end of year 9999.
        now in 0i64..=(MAX_UNIX - 31 * 86_400),
    ) {
        for app in seed_apps() {
            let mut req = Request::new(&method, &target);
            for c in &cookies {
                req = req.with_header("Cookie", c);
            }
            for (k, v) in &form {
                req = req.with_form(k, v);
            }
            let resp = app.handle(&req, now);
            prop_assert!(
                [200, 302, 400, 404, 405, 500].contains(&resp.status),
                "{} {method} {target}: {}",
                app.name,
                resp.status
            );
            // Whatever the input, a session cookie value never needs quoting.
            for sc in resp.set_cookies() {
                let value = sc.strip_prefix("session=").unwrap().split(';').next().unwrap();
                prop_assert!(
                    value.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)),
                    "{sc}"
                );
            }
        }
    }

    #[test]
    fn any_name_logs_in_and_is_shown_raw(name in any::<String>(), t in 0i64..4_000_000_000) {
        // Flask's `f"<h1>{user}</h1>"` sends the name unescaped, whatever it is.
        let app = seed_003::app();
        let login = app.handle(&Request::post("/login").with_form("nm", &name), t);
        prop_assert_eq!(login.status, 302);
        prop_assert_eq!(login.header("Location"), Some("/user"));
        let sc = login.set_cookies();
        prop_assert_eq!(sc.len(), 1);
        let value = sc[0].strip_prefix("session=").unwrap().split(';').next().unwrap().to_string();
        let expires = format!("; Expires={}; ", http_date(t + 300));
        prop_assert!(sc[0].contains(&expires), "{} lacks {}", sc[0], expires);
        let user = app.handle(
            &Request::get("/user").with_header("Cookie", &format!("session={value}")),
            t + 300,
        );
        prop_assert_eq!(user.status, 200);
        prop_assert_eq!(user.body, format!("<h1>{name}</h1>"));
        let late = app.handle(
            &Request::get("/user").with_header("Cookie", &format!("session={value}")),
            t + 301,
        );
        prop_assert_eq!(late.status, 302);
        prop_assert_eq!(late.header("Location"), Some("/login"));
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for depth in [300, 401, 5_000, 100_000] {
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let _ = tagged_json::loads(&text);
        let text = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
        let _ = tagged_json::loads(&text);
        let text = format!("{}1{}", "{\" t\":[".repeat(depth), "]}".repeat(depth));
        let _ = tagged_json::loads(&text);
    }
    assert!(tagged_json::loads(&format!("{}{}", "[".repeat(100), "]".repeat(100))).is_ok());
    assert!(
        tagged_json::loads(&format!("{}{}", "[".repeat(100_000), "]".repeat(100_000))).is_err()
    );
}
