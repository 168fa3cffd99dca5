//! `make bench` timing of the engine's hot paths (natively, release build). A benchmark, not a
//! test: it prints figures and asserts nothing about time.

use session_lab::engine::apps;
use session_lab::engine::flask::tagged_json;
use session_lab::engine::itsdangerous::signing::Serializer;
use session_lab::engine::werkzeug::wrappers::Request;
use std::hint::black_box;
use std::time::Instant;

fn time(label: &str, iterations: u32, mut f: impl FnMut()) {
    for _ in 0..iterations / 10 {
        f();
    }
    let start = Instant::now();
    for _ in 0..iterations {
        f();
    }
    let per = start.elapsed() / iterations;
    println!(
        "{label:<44} {:>9.2} µs/op  ({iterations} ops)",
        per.as_secs_f64() * 1e6
    );
}

fn main() {
    let s = Serializer::flask_session("dev-secret", &["old".to_string()]);
    let small = r#"{"_permanent":true,"user":"Ada"}"#;
    let large = format!(r#"{{"data":"{}"}}"#, "ab".repeat(1500));
    let small_cookie = s.dumps(small, 1_700_000_000);
    let large_cookie = s.dumps(&large, 1_700_000_000);

    time("sign small session", 100_000, || {
        black_box(s.dumps(black_box(small), 1_700_000_000));
    });
    time("verify small session", 100_000, || {
        black_box(
            s.loads(black_box(&small_cookie), Some(2_678_400), 1_700_000_005)
                .ok(),
        );
    });
    time("sign 3 KB session (zlib)", 10_000, || {
        black_box(s.dumps(black_box(&large), 1_700_000_000));
    });
    time("verify 3 KB session (inflate)", 10_000, || {
        black_box(
            s.loads(black_box(&large_cookie), Some(2_678_400), 1_700_000_005)
                .ok(),
        );
    });
    let nested = r#"{"cart":[1,2,3],"t":{" t":[1,"x",{" b":"AAH+"}]},"u":{"id":42,"when":{" d":"Tue, 02 Jan 2024 03:04:05 GMT"}}}"#;
    time("TaggedJSON loads + dumps (nested)", 100_000, || {
        let v = tagged_json::loads(black_box(nested)).expect("valid");
        black_box(tagged_json::dumps(&v));
    });
    let app = apps::seed_003::app();
    let login = app.handle(
        &Request::post("/login").with_form("nm", "Ada"),
        1_700_000_000,
    );
    let cookie = login.set_cookies()[0]
        .split(';')
        .next()
        .unwrap_or_default()
        .to_string();
    let user = Request::get("/user").with_header("Cookie", &cookie);
    time("App::handle GET /user (seed-003)", 50_000, || {
        black_box(app.handle(black_box(&user), 1_700_000_010));
    });
}
