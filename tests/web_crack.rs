//! The cracker's Wasm SIMD path (`Target::try_many`, four keys per SIMD lane group) in
//! headless Chromium, against the `hmac` and `sha1` crates. Its rate is a benchmark, measured
//! through the page by `make bench` (scripts/bench_crack.py), not here.
//!
//!     wasm-pack test --headless --chrome --chromedriver /usr/bin/chromedriver -- --test web_crack
#![cfg(target_arch = "wasm32")]

use base64::Engine as _;
use hmac::{Hmac, Mac};
use session_lab::engine::itsdangerous::crack::Target;
use session_lab::engine::itsdangerous::signing::derive_key;
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
