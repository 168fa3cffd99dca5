//! Timing of the engine's hot paths (natively, release build). A benchmark, not a test: it
//! prints figures and asserts nothing about time.
//!
//! Every line is one JSON object: `name`, `ns_per_op` (median of several batches),
//! `iterations` (per batch) and, for the session figures, the `cookie` produced, so
//! `scripts/bench_engine.py` can check it against Flask's byte for byte. "sign" goes from the
//! session value to the cookie (TaggedJSON dumps, then itsdangerous `dumps`), "verify" from the
//! cookie back to the value (itsdangerous `loads`, then TaggedJSON loads), as Flask's
//! `get_signing_serializer(app).dumps/loads` do.

use session_lab::engine::apps;
use session_lab::engine::flask::tagged_json;
use session_lab::engine::itsdangerous::signing::Serializer;
use session_lab::engine::werkzeug::wrappers::Request;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// The clock both sides sign with.
const NOW: u64 = 1_700_000_000;
/// Flask's `max_age` (PERMANENT_SESSION_LIFETIME, 31 days).
const MAX_AGE: i64 = 2_678_400;
/// Batches per figure; the median one is reported.
const BATCHES: usize = 7;
/// How long one batch runs, roughly.
const BATCH_TIME: Duration = Duration::from_millis(25);

/// Runs `f` in batches of a calibrated size and returns (median ns per op, ops per batch).
fn measure(mut f: impl FnMut()) -> (f64, u64) {
    // Warm up and calibrate: double until one batch takes a tenth of BATCH_TIME.
    let mut n = 1u64;
    loop {
        let start = Instant::now();
        for _ in 0..n {
            f();
        }
        if start.elapsed() >= BATCH_TIME / 10 {
            break;
        }
        n *= 2;
    }
    let n = n * 10;
    let mut per: Vec<f64> = (0..BATCHES)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..n {
                f();
            }
            start.elapsed().as_secs_f64() * 1e9 / n as f64
        })
        .collect();
    per.sort_by(f64::total_cmp);
    (per[BATCHES / 2], n)
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

fn report(name: &str, (ns, iterations): (f64, u64), cookie: Option<&str>) {
    let cookie = cookie.map_or(String::new(), |c| format!(", \"cookie\": {}", json_str(c)));
    println!(
        "{{\"name\": {}, \"ns_per_op\": {ns:.1}, \"iterations\": {iterations}{cookie}}}",
        json_str(name)
    );
}

/// A less compressible ~3 KB session: a cart of 60 items with varied names and numbers. The
/// same generator is in scripts/bench_engine.py.
fn cart_json() -> String {
    const WORDS: [&str; 16] = [
        "red", "blue", "wool", "cotton", "scarf", "mug", "lamp", "desk", "oak", "steel", "small",
        "large", "vintage", "organic", "travel", "kettle",
    ];
    let mut x: u64 = 12345;
    let items: Vec<String> = (0..60)
        .map(|i| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let name = format!(
                "{} {} #{i}",
                WORDS[((x >> 40) % 16) as usize],
                WORDS[((x >> 50) % 16) as usize]
            );
            format!(
                r#"{{"name":"{name}","price":{},"qty":{},"sku":"SKU-{:05}"}}"#,
                (x >> 24) % 50_000,
                (x >> 20) % 9 + 1,
                (x >> 33) % 100_000
            )
        })
        .collect();
    format!(r#"{{"cart":[{}]}}"#, items.join(","))
}

fn main() {
    let s = Serializer::flask_session("dev-secret", &["old".to_string()]);
    let payloads = [
        (
            "small",
            r#"{"_permanent":true,"user_name":"Ada","visits":3}"#.to_string(),
        ),
        ("3 KB", format!(r#"{{"data":"{}"}}"#, "ab".repeat(1500))),
        ("3 KB cart", cart_json()),
    ];
    for (label, json) in &payloads {
        let value = tagged_json::loads(json).expect("valid session JSON");
        assert_eq!(&tagged_json::dumps(&value), json, "TaggedJSON round trip");
        let cookie = s.dumps(&tagged_json::dumps(&value), NOW);
        let sign = measure(|| {
            let json = tagged_json::dumps(black_box(&value));
            black_box(s.dumps(&json, NOW));
        });
        report(&format!("engine sign {label}"), sign, Some(&cookie));
        let verify = measure(|| {
            let unsigned = s
                .loads(black_box(&cookie), Some(MAX_AGE), NOW as i64)
                .expect("verifies");
            black_box(tagged_json::loads(&unsigned.json).expect("valid"));
        });
        report(&format!("engine verify {label}"), verify, Some(&cookie));
    }

    // For information: the other hot paths.
    let nested = r#"{"cart":[1,2,3],"t":{" t":[1,"x",{" b":"AAH+"}]},"u":{"id":42,"when":{" d":"Tue, 02 Jan 2024 03:04:05 GMT"}}}"#;
    let tagged = measure(|| {
        let v = tagged_json::loads(black_box(nested)).expect("valid");
        black_box(tagged_json::dumps(&v));
    });
    report("TaggedJSON loads + dumps (nested)", tagged, None);
    let app = apps::seed_003::app();
    let login = app.handle(&Request::post("/login").with_form("nm", "Ada"), NOW as i64);
    let cookie = login.set_cookies()[0]
        .split(';')
        .next()
        .unwrap_or_default()
        .to_string();
    let user = Request::get("/user").with_header("Cookie", &cookie);
    let handle = measure(|| {
        black_box(app.handle(black_box(&user), NOW as i64 + 10));
    });
    report("App::handle GET /user (seed-003)", handle, None);
}
