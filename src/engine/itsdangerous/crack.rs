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

/// SHA-1's block size in bytes.
const BLOCK: usize = 64;
/// SHA-1's initial state.
const IV: [u32; 5] = [
    0x6745_2301,
    0xEFCD_AB89,
    0x98BA_DCFE,
    0x1032_5476,
    0xC3D2_E1F0,
];

type Block = GenericArray<u8, sha1::digest::typenum::U64>;

/// A captured cookie, ready for trying keys.
#[derive(Clone)]
pub struct Target {
    /// The derivation's message (the salt) after the key block, padded: its last block(s).
    salt_blocks: Vec<Block>,
    /// The signed text (`payload.timestamp`) after the key block, padded.
    message_blocks: Vec<Block>,
    /// The cookie's signature.
    signature: [u8; 20],
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

/// The state after `blocks`, from SHA-1's initial state.
fn run(blocks: &[Block]) -> [u32; 5] {
    let mut state = IV;
    sha1::compress(&mut state, blocks);
    state
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
        Ok(Target {
            salt_blocks: padded(salt.as_bytes(), BLOCK),
            message_blocks: padded(body.as_bytes(), BLOCK),
            signature,
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
        // derived = HMAC-SHA1(key, salt)
        let mut inner = run(&[key_block(key, 0x36)]);
        sha1::compress(&mut inner, &self.salt_blocks);
        let mut derived = run(&[key_block(key, 0x5c)]);
        sha1::compress(&mut derived, &[digest_block(&inner)]);
        let mut derived_bytes = [0u8; 20];
        for (chunk, word) in derived_bytes.chunks_exact_mut(4).zip(&derived) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
        // signature = HMAC-SHA1(derived, payload.timestamp)
        let mut inner = run(&[key_block(&derived_bytes, 0x36)]);
        sha1::compress(&mut inner, &self.message_blocks);
        let mut outer = run(&[key_block(&derived_bytes, 0x5c)]);
        sha1::compress(&mut outer, &[digest_block(&inner)]);
        outer
            .iter()
            .zip(self.signature.chunks_exact(4))
            .all(|(word, bytes)| word.to_be_bytes() == bytes)
    }
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

    #[test]
    fn a_cookie_without_a_20_byte_signature_is_refused() {
        assert!(Target::flask_session("no-dot").is_err());
        assert!(Target::flask_session("a.b.AAAA").is_err());
        assert!(Target::flask_session("a.b.!!!").is_err());
    }
}
