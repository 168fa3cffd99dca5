//! The cracker's Wasm SIMD path (`Target::try_many`, four keys per SIMD lane group) in
//! headless Chromium, against the `hmac` and `sha1` crates, and its rate printed to the
//! console (a measurement, not asserted).
//!
//!     wasm-pack test --headless --chrome --chromedriver /usr/bin/chromedriver --release -- --test web_crack
#![cfg(target_arch = "wasm32")]

use base64::Engine as _;
use hmac::{Hmac, Mac};
use session_lab::engine::itsdangerous::crack::Target;
use session_lab::engine::itsdangerous::signing::{derive_key, Serializer};
use sha1::Sha1;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn bytes(&mut self, max_len: usize) -> Vec<u8> {
        let len = self.below(max_len + 1);
        (0..len).map(|_| self.next() as u8).collect()
    }
}

/// `body` signed with the key itsdangerous derives from `key`, by the `hmac` and `sha1`
/// crates (not by the code under test).
fn cookie_signed_by(key: &[u8], body: &str) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(&derive_key(key, b"cookie-session")).unwrap();
    mac.update(body.as_bytes());
    let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{body}.{sig}")
}

#[wasm_bindgen_test]
fn simd_lanes_agree_with_the_sha1_crate() {
    let mut rng = Rng(20);
    for round in 0..120 {
        // Messages of 0..=500 bytes, keys of 0..=200 bytes (over 64: hashed first).
        let body: String = (0..rng.below(501))
            .map(|_| char::from(b' ' + rng.below(95) as u8))
            .collect();
        let secret = rng.bytes(200);
        let t = Target::flask_session(&cookie_signed_by(&secret, &body)).unwrap();
        let others: Vec<Vec<u8>> = (0..1 + round % 11)
            .map(|_| rng.bytes(200))
            .filter(|k| *k != secret)
            .collect();
        let mut keys: Vec<&[u8]> = others.iter().map(Vec::as_slice).collect();
        assert_eq!(t.try_many(&keys), None, "round {round}");
        // The key at every position (every lane), batches of 1..=12 keys.
        for at in 0..=keys.len() {
            keys.insert(at, &secret);
            assert_eq!(t.try_many(&keys), Some(at), "round {round} at {at}");
            assert_eq!(keys.iter().position(|k| t.try_key(k)), Some(at));
            keys.remove(at);
        }
    }
}

#[wasm_bindgen_test]
fn simd_rate() {
    // The bench's cookie shape: a small session signed by Flask's serializer with a key that
    // is not among the candidates, so every candidate is tried.
    let cookie = Serializer::flask_session(&"k".repeat(64), &[])
        .dumps(r#"{"_permanent":true,"user_name":"ada"}"#, 1_700_000_000);
    let t = Target::flask_session(&cookie).unwrap();
    let keys: Vec<Vec<u8>> = (0..200_000u32)
        .map(|i| format!("candidate-{i:06}").into_bytes())
        .collect();
    let slices: Vec<&[u8]> = keys.iter().map(Vec::as_slice).collect();
    let rate = |f: &dyn Fn(&[&[u8]]) -> usize, n: usize| {
        let start = js_sys::Date::now();
        let found = f(&slices[..n]);
        let ms = js_sys::Date::now() - start;
        assert_eq!(found, 0);
        n as f64 / (ms / 1000.0)
    };
    // Eight passes: the first may run partly in V8's baseline compiler, before the optimised
    // code of the hot functions is ready.
    let passes: Vec<String> = (0..8)
        .map(|_| {
            let r = rate(
                &|k| k.chunks(1024).filter_map(|c| t.try_many(c)).count(),
                keys.len(),
            );
            format!("{r:.0}")
        })
        .collect();
    let one = rate(
        &|k| k.iter().filter(|k| t.try_key(k)).count(),
        keys.len() / 4,
    );
    web_sys::console::log_1(
        &format!(
            "web_crack rate ({} build, {} compressions per key): try_many {} keys/s (eight \
             passes), try_key {:.0} keys/s",
            if cfg!(debug_assertions) {
                "debug"
            } else {
                "release"
            },
            t.compressions_per_key(),
            passes.join(", "),
            one
        )
        .into(),
    );
}
