//! The engine's random source in the browser: `crypto.getRandomValues`.
//!
//! [`Rng::fill`] cannot fail, and the lab must not panic, so when Web Crypto is missing (a very
//! old browser, a sandbox that hides `crypto`, or a call that throws) [`CryptoRng`] falls back
//! to `Math.random()` mixed through SplitMix64 and raises a flag that [`CryptoRng::fell_back`]
//! and [`CryptoRng::notice`] report. Session ids made after that are **not secret-grade**:
//! `Math.random` is predictable, so anyone who sees a few outputs could guess other ids. That
//! is harmless in a teaching lab whose "server" runs in the learner's own tab, and it is said
//! out loud rather than hidden.

use crate::engine::py::secrets::Rng;
use std::sync::atomic::{AtomicBool, Ordering};
use wasm_bindgen::JsCast;

/// Set once any `CryptoRng` had to use the `Math.random` fallback.
static FELL_BACK: AtomicBool = AtomicBool::new(false);

/// `crypto.getRandomValues` refuses more than 65,536 bytes per call.
const MAX_CHUNK: usize = 65_536;

/// Random bytes from `crypto.getRandomValues` (window or worker), with a reported, panic-free
/// fallback to `Math.random` when Web Crypto is unavailable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CryptoRng;

impl CryptoRng {
    /// Whether Web Crypto is there to be used (`globalThis.crypto.getRandomValues`).
    pub fn available() -> bool {
        crypto().is_some()
    }

    /// Whether any `CryptoRng` in this page has had to fall back to `Math.random`.
    pub fn fell_back() -> bool {
        FELL_BACK.load(Ordering::Relaxed)
    }

    /// What to tell the learner, if the fallback was ever used.
    pub fn notice() -> Option<String> {
        Self::fell_back().then(|| {
            "Web Crypto (crypto.getRandomValues) is not available in this browser, so session \
             ids were made from Math.random(). They are not secret-grade: someone who sees a \
             few of them could guess others. A real server must use a cryptographic source."
                .to_string()
        })
    }
}

/// `globalThis.crypto`, if it is a `Crypto` (works in windows and workers alike).
fn crypto() -> Option<web_sys::Crypto> {
    let value = js_sys::Reflect::get(&js_sys::global(), &"crypto".into()).ok()?;
    value.dyn_into::<web_sys::Crypto>().ok()
}

impl Rng for CryptoRng {
    fn fill(&mut self, buf: &mut [u8]) {
        if let Some(c) = crypto() {
            let ok = buf
                .chunks_mut(MAX_CHUNK)
                .all(|chunk| c.get_random_values_with_u8_array(chunk).is_ok());
            if ok {
                return;
            }
        }
        FELL_BACK.store(true, Ordering::Relaxed);
        fill_from_math_random(buf);
    }
}

/// The fallback: 32 fresh bits of `Math.random()` per 4 output bytes, mixed with the clock
/// through SplitMix64 so that a weak `Math.random` never hands out its raw state. Not a CSPRNG.
fn fill_from_math_random(buf: &mut [u8]) {
    let mut state = js_sys::Date::now().to_bits() ^ 0x9e37_79b9_7f4a_7c15;
    for chunk in buf.chunks_mut(8) {
        let hi = (js_sys::Math::random() * 4_294_967_296.0) as u64;
        let lo = (js_sys::Math::random() * 4_294_967_296.0) as u64;
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15) ^ (hi << 32 | lo);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        chunk.copy_from_slice(&z.to_le_bytes()[..chunk.len()]);
    }
}
