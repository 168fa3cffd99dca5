//! Trying secret keys against a captured Flask session cookie, as Flask-Unsign's `--unsign`
//! does: for each candidate key, derive the signing key as itsdangerous does
//! (`HMAC-SHA1(key = candidate, message = salt)`), sign the cookie's `payload.timestamp` with it
//! (`HMAC-SHA1`), and compare with the cookie's signature.
//!
//! Both HMACs are written out over SHA-1's compression function (`sha1::compress`, with the
//! CPU's SHA instructions where it has them), so that what is the same for every candidate is
//! done once per cookie: the salt's block and the cookie's message blocks are padded once, and
//! nothing is allocated per candidate. A candidate costs `7 + n` compressions, `n` being the
//! message's blocks ([`Target::compressions_per_key`]); a longer key than a block costs one
//! hash more. The bytes a key is tried as are the bytes Flask would use: a `str` key's UTF-8,
//! as itsdangerous's `want_bytes` encodes it.

use super::signing::{decode_signature, UnsignError, COOKIE_SESSION_SALT};
use sha1::digest::generic_array::GenericArray;
use sha1::{Digest, Sha1};

mod lanes;

use lanes::IV;

/// SHA-1's block size in bytes.
const BLOCK: usize = 64;
type Block = GenericArray<u8, sha1::digest::typenum::U64>;

/// A captured cookie, ready for trying keys.
#[derive(Clone)]
pub struct Target {
    /// The derivation's message (the salt) after the key block, padded: its last block(s).
    salt_blocks: Vec<Block>,
    /// The signed text (`payload.timestamp`) after the key block, padded.
    message_blocks: Vec<Block>,
    /// What the lanes need, the signature as words among it.
    lanes: lanes::Prepared,
}

/// `data` as SHA-1 blocks padded for a hash whose input began with `before` bytes (the key
/// block): the bytes, `0x80`, zeros, and the whole input's length in bits.
fn padded(data: &[u8], before: usize) -> Vec<Block> {
    let mut bytes = data.to_vec();
    bytes.push(0x80);
    while bytes.len() % BLOCK != BLOCK - 8 {
        bytes.push(0);
    }
    bytes.extend_from_slice(&(((before + data.len()) as u64) * 8).to_be_bytes());
    bytes
        .chunks_exact(BLOCK)
        .map(Block::clone_from_slice)
        .collect()
}

/// A digest in a padded block of its own: what the outer hash of an HMAC reads after its key
/// block (20 bytes, then the padding for 84 bytes in all).
fn digest_block(state: &[u32; 5]) -> Block {
    let mut block = Block::default();
    for (chunk, word) in block.chunks_exact_mut(4).zip(state) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    block[20] = 0x80;
    block[56..].copy_from_slice(&(((BLOCK + 20) as u64) * 8).to_be_bytes());
    block
}

/// The HMAC key block (`K` zero-padded to 64 bytes, a longer `K` hashed first) XORed with
/// `pad`.
fn key_block(key: &[u8], pad: u8) -> Block {
    let mut block = Block::default();
    if key.len() > BLOCK {
        block[..20].copy_from_slice(&Sha1::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    for b in block.iter_mut() {
        *b ^= pad;
    }
    block
}

impl Target {
    /// A Flask session cookie (salt `cookie-session`).
    pub fn flask_session(cookie: &str) -> Result<Target, UnsignError> {
        Target::new(cookie, COOKIE_SESSION_SALT)
    }

    /// A cookie signed by itsdangerous with `salt`, HMAC key derivation and SHA-1.
    pub fn new(cookie: &str, salt: &str) -> Result<Target, UnsignError> {
        let (body, sig) = cookie
            .rsplit_once('.')
            .ok_or_else(|| UnsignError::Malformed("there is no '.' separator".into()))?;
        let signature = decode_signature(sig)?.ok_or_else(|| {
            UnsignError::Malformed("the signature is not the 20 bytes of an HMAC-SHA1".into())
        })?;
        let salt_blocks = padded(salt.as_bytes(), BLOCK);
        let message_blocks = padded(body.as_bytes(), BLOCK);
        Ok(Target {
            lanes: lanes::Prepared::new(
                salt_blocks.iter().map(|b| &b[..]),
                message_blocks.iter().map(|b| &b[..]),
                &signature,
            ),
            salt_blocks,
            message_blocks,
        })
    }

    /// SHA-1 compressions one candidate key of up to 64 bytes costs.
    pub fn compressions_per_key(&self) -> usize {
        // Derivation: key block and salt, key block and digest; signing: the same with the
        // message's blocks.
        (1 + self.salt_blocks.len()) + 2 + (1 + self.message_blocks.len()) + 2
    }

    /// Whether `key` (the secret's bytes) signed the cookie.
    pub fn try_key(&self, key: &[u8]) -> bool {
        self.signed_by([key]) == [true]
    }

    /// The index of the first of `keys` (each a secret's bytes) that signed the cookie: the
    /// same answer as trying each in order with [`Target::try_key`], faster. In Wasm, four
    /// keys at a time in the lanes of Wasm SIMD ([`lanes`]); natively, four at a time with the
    /// `sha1` crate's compression (the CPU's SHA instructions where it has them), so that the
    /// candidates' compressions overlap.
    pub fn try_many(&self, keys: &[&[u8]]) -> Option<usize> {
        #[cfg(target_arch = "wasm32")]
        {
            lanes::find_simd(&self.lanes, keys)
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.find_interleaved(keys)
        }
    }

    /// [`Target::try_many`] four keys at a time, over `sha1::compress` (two, three or four
    /// measured about the same; one at a time is about a fifth slower).
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    fn find_interleaved(&self, keys: &[&[u8]]) -> Option<usize> {
        const N: usize = 4;
        let mut groups = keys.chunks_exact(N);
        for (i, group) in groups.by_ref().enumerate() {
            let hits = self.signed_by::<N>(std::array::from_fn(|j| group[j]));
            if let Some(j) = hits.iter().position(|&hit| hit) {
                return Some(N * i + j);
            }
        }
        let rest = groups.remainder();
        rest.iter()
            .position(|k| self.try_key(k))
            .map(|j| keys.len() - rest.len() + j)
    }

    /// Whether each of `keys` signed the cookie, their hashes interleaved: each step is done
    /// for every key before the next step, so that the CPU overlaps their compressions.
    #[inline(always)]
    fn signed_by<const N: usize>(&self, keys: [&[u8]; N]) -> [bool; N] {
        // derived = HMAC-SHA1(key, salt)
        let derived = hmac(
            keys.map(|k| key_block(k, 0x36)),
            keys.map(|k| key_block(k, 0x5c)),
            &self.salt_blocks,
        );
        let derived = derived.map(|state| {
            let mut bytes = [0u8; 20];
            for (chunk, word) in bytes.chunks_exact_mut(4).zip(&state) {
                chunk.copy_from_slice(&word.to_be_bytes());
            }
            bytes
        });
        // signature = HMAC-SHA1(derived, payload.timestamp)
        let signed = hmac(
            derived.map(|d| key_block(&d, 0x36)),
            derived.map(|d| key_block(&d, 0x5c)),
            &self.message_blocks,
        );
        signed.map(|state| state == self.lanes.signature)
    }
}

/// HMAC-SHA1 of one message for `N` keys, given as their key blocks XORed with the inner and
/// the outer pad, and the message's padded blocks (after the key block).
#[inline(always)]
fn hmac<const N: usize>(ipad: [Block; N], opad: [Block; N], message: &[Block]) -> [[u32; 5]; N] {
    let mut inner = [IV; N];
    let mut outer = [IV; N];
    for i in 0..N {
        sha1::compress(&mut inner[i], &ipad[i..=i]);
        sha1::compress(&mut outer[i], &opad[i..=i]);
    }
    for state in inner.iter_mut() {
        sha1::compress(state, message);
    }
    for (state, digest) in outer.iter_mut().zip(&inner) {
        sha1::compress(state, &[digest_block(digest)]);
    }
    outer
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::itsdangerous::signing::Serializer;

    #[test]
    fn finds_the_key_that_signed_and_only_it() {
        let cookie = "eyJ1c2VyX25hbWUiOiJBZG1pbiJ9.ZVPxAA.LVXaejlOPlbITReSd_RwqvGKoHE";
        let t = Target::flask_session(cookie).unwrap();
        assert!(t.try_key(b"dev-secret"));
        assert!(!t.try_key(b"dev-secreT"));
        assert!(!t.try_key(b""));
        assert_eq!(
            [&b"a"[..], b"b", b"dev-secret", b"c"]
                .into_iter()
                .find(|k| t.try_key(k)),
            Some(&b"dev-secret"[..])
        );
        // 35 bytes of message: one block.
        assert_eq!(t.compressions_per_key(), 2 + 2 + 2 + 2);
    }

    #[test]
    fn agrees_with_the_serializer_for_any_key_length_and_payload() {
        for key_len in [1usize, 13, 55, 56, 63, 64, 65, 100, 200] {
            let key: String = (0..key_len)
                .map(|i| char::from(b'a' + (i % 26) as u8))
                .collect();
            for payload_len in [0usize, 1, 40, 55, 56, 64, 119, 120, 500] {
                let json = format!("{{\"x\":\"{}\"}}", "y".repeat(payload_len));
                let cookie = Serializer::flask_session(&key, &[]).dumps(&json, 1_700_000_000);
                let t = Target::flask_session(&cookie).unwrap();
                assert!(t.try_key(key.as_bytes()), "{key_len} {payload_len}");
                assert!(!t.try_key(format!("{key}x").as_bytes()), "{key_len}");
            }
        }
    }

    /// A small deterministic generator (SplitMix64) for the tests' random keys and messages.
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

    /// A cookie whose signature is computed by the `hmac` and `sha1` crates, not by the code
    /// under test: `body` signed with the key itsdangerous derives from `key`.
    fn cookie_signed_by(key: &[u8], body: &str) -> String {
        use base64::Engine as _;
        use hmac::{Hmac, Mac};
        let derived = crate::engine::itsdangerous::signing::derive_key(key, b"cookie-session");
        let mut mac = Hmac::<Sha1>::new_from_slice(&derived).unwrap();
        mac.update(body.as_bytes());
        let sig =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{body}.{sig}")
    }

    /// Every way of trying many keys: the portable lanes, `try_many` (four interleaved chains
    /// natively; the Wasm SIMD lanes in the browser, where the tests below also run), and
    /// each key alone.
    fn every_answer(t: &Target, keys: &[&[u8]]) -> [Option<usize>; 3] {
        [
            lanes::find::<[u32; 4]>(&t.lanes, keys),
            t.try_many(keys),
            keys.iter().position(|k| t.try_key(k)),
        ]
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn many_keys_at_once_agree_with_the_sha1_crate() {
        let mut rng = Rng(10);
        for round in 0..200 {
            // Messages of 0..=500 bytes (printable ASCII, as a cookie's text is), keys of
            // 0..=200 bytes of any value: one to four message blocks, keys hashed or not.
            let body: String = (0..rng.below(501))
                .map(|_| char::from(b' ' + rng.below(95) as u8))
                .collect();
            let secret = rng.bytes(200);
            let t = Target::flask_session(&cookie_signed_by(&secret, &body)).unwrap();
            // Batch sizes 1..=11, most not a multiple of 4; the key at every position.
            let others: Vec<Vec<u8>> = (0..1 + round % 11)
                .map(|_| rng.bytes(200))
                .filter(|k| *k != secret)
                .collect();
            let mut keys: Vec<&[u8]> = others.iter().map(Vec::as_slice).collect();
            assert_eq!(every_answer(&t, &keys), [None; 3], "round {round}");
            for at in 0..=keys.len() {
                keys.insert(at, &secret);
                assert_eq!(
                    every_answer(&t, &keys),
                    [Some(at); 3],
                    "round {round} at {at}"
                );
                // Twice: the first is the answer.
                keys.push(&secret);
                assert_eq!(
                    every_answer(&t, &keys),
                    [Some(at); 3],
                    "round {round} at {at}"
                );
                keys.pop();
                keys.remove(at);
            }
        }
        assert_eq!(
            every_answer(
                &Target::flask_session(&cookie_signed_by(b"k", "x")).unwrap(),
                &[]
            ),
            [None; 3]
        );
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn many_keys_at_once_at_the_block_edges() {
        // Keys around one block (55, 56, 63, 64: padded; 65: hashed), messages around the
        // blocks' edges (55/56 and 119/120 bytes after the key block).
        for key_len in [0usize, 1, 19, 20, 21, 55, 56, 63, 64, 65, 84, 128] {
            let secret: Vec<u8> = (0..key_len).map(|i| (i * 7 + 1) as u8).collect();
            for body_len in [0usize, 1, 55, 56, 63, 64, 119, 120, 183, 184] {
                let body = "b".repeat(body_len);
                let t = Target::flask_session(&cookie_signed_by(&secret, &body)).unwrap();
                // Not a zero: HMAC pads a short key with zeros, so `secret` and `secret` + 0
                // are the same key.
                let mut near = secret.clone();
                near.push(1);
                let keys: [&[u8]; 6] = [b"", &near, &secret[..key_len / 2], b"x", &secret, b"y"];
                let want = if key_len == 0 { 0 } else { 4 };
                assert_eq!(
                    every_answer(&t, &keys),
                    [Some(want); 3],
                    "{key_len} {body_len}"
                );
            }
        }
    }

    #[test]
    fn a_cookie_without_a_20_byte_signature_is_refused() {
        assert!(Target::flask_session("no-dot").is_err());
        assert!(Target::flask_session("a.b.AAAA").is_err());
        assert!(Target::flask_session("a.b.!!!").is_err());
    }
}
