//! Python's `secrets.token_urlsafe`, which makes Flask-Session's ids, over a random source
//! that comes in from outside the engine: in the lab a [`SeededRng`] whose seed comes from the
//! browser's `crypto.getRandomValues` (so that a share link, which carries the seed, replays
//! the same ids; see `lab::run`), the operating system for the CLI, a fixed sequence in tests.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

/// A source of random bytes.
pub trait Rng {
    fn fill(&mut self, buf: &mut [u8]);
}

/// A deterministic generator (SplitMix64) for tests and reproducible demos. Not for secrets.
#[derive(Debug, Clone)]
pub struct SeededRng(u64);

impl SeededRng {
    pub fn new(seed: u64) -> Self {
        SeededRng(seed)
    }
}

impl Rng for SeededRng {
    fn fill(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            chunk.copy_from_slice(&z.to_le_bytes()[..chunk.len()]);
        }
    }
}

/// Python's `secrets.token_urlsafe(n)`: `n` random bytes, URL-safe base64 without padding.
pub fn token_urlsafe(rng: &mut dyn Rng, n: usize) -> String {
    let mut bytes = vec![0u8; n];
    rng.fill(&mut bytes);
    // `base64.urlsafe_b64encode(...).rstrip(b"=")`: plain URL-safe base64, no padding.
    URL_SAFE_NO_PAD.encode(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_ids_are_43_url_safe_characters() {
        let id = token_urlsafe(&mut SeededRng::new(1), 32);
        assert_eq!(id.len(), 43);
        assert!(id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_ne!(id, token_urlsafe(&mut SeededRng::new(2), 32));
    }
}
