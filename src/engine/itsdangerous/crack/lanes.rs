//! Four candidates at once: the cracker's two HMAC-SHA1s computed in four 32-bit lanes, one
//! candidate per lane.
//!
//! SHA-1 is written out here because no crate offers a multi-lane SHA-1 for WebAssembly (the
//! `sha1` crate hashes one message at a time, with the CPU's SHA instructions natively and
//! scalar code in Wasm). In Wasm, one candidate at a time runs at a few hundred thousand keys
//! a second; four lanes of Wasm SIMD (`v128`, which Chromium, Firefox and Safari run) do four
//! candidates for little more than the price of one.
//!
//! The rounds are written once, over [`Lanes`]: `[u32; 4]` (portable, what the native tests
//! check against the `sha1` crate) and, in Wasm, `v128`. Everything a cookie fixes is done
//! once per cookie: the message schedules of the salt's and the signed text's blocks, with
//! the round constants added ([`Schedule`]).

#![cfg_attr(
    not(target_arch = "wasm32"),
    allow(dead_code, reason = "natively, only the tests use the lanes")
)]

/// SHA-1's initial state.
pub(super) const IV: [u32; 5] = [
    0x6745_2301,
    0xEFCD_AB89,
    0x98BA_DCFE,
    0x1032_5476,
    0xC3D2_E1F0,
];
/// The round constants of the four groups of 20 rounds.
const K: [u32; 4] = [0x5A82_7999, 0x6ED9_EBA1, 0x8F1B_BCDC, 0xCA62_C1D6];
/// The HMAC pads, as words.
const IPAD: u32 = 0x3636_3636;
const OPAD: u32 = 0x5c5c_5c5c;
/// Word 5 of a block holding a 20-byte digest: the padding's `0x80`.
const DIGEST_PAD: u32 = 0x8000_0000;
/// Word 15 of that block: the length in bits of a key block and a digest.
const DIGEST_BITS: u32 = ((64 + 20) * 8) as u32;

/// A block's message schedule with the round constants added: `W[t] + K[t / 20]`.
type Schedule = [u32; 80];

/// What the lanes need of a cookie, computed once: the schedules of the salt's and the
/// signed text's padded blocks (what follows the key block in each HMAC's inner hash), and the
/// signature as big-endian words.
#[derive(Clone)]
pub(super) struct Prepared {
    salt: Vec<Schedule>,
    message: Vec<Schedule>,
    pub(super) signature: [u32; 5],
}

impl Prepared {
    pub(super) fn new<'a>(
        salt_blocks: impl IntoIterator<Item = &'a [u8]>,
        message_blocks: impl IntoIterator<Item = &'a [u8]>,
        signature: &[u8; 20],
    ) -> Prepared {
        let schedules = |blocks: &mut dyn Iterator<Item = &'a [u8]>| -> Vec<Schedule> {
            blocks.map(|block| schedule(&be_words(block))).collect()
        };
        let mut signature_words = [0u32; 5];
        signature_words.copy_from_slice(&be_words(signature)[..5]);
        Prepared {
            salt: schedules(&mut salt_blocks.into_iter()),
            message: schedules(&mut message_blocks.into_iter()),
            signature: signature_words,
        }
    }
}

/// Up to 64 bytes as 16 big-endian words, zero-padded.
fn be_words(bytes: &[u8]) -> [u32; 16] {
    let mut words = [0u32; 16];
    for (word, chunk) in words.iter_mut().zip(bytes.chunks(4)) {
        let mut b = [0u8; 4];
        b[..chunk.len()].copy_from_slice(chunk);
        *word = u32::from_be_bytes(b);
    }
    words
}

/// The schedule of a block given as 16 big-endian words.
fn schedule(block: &[u32; 16]) -> Schedule {
    let mut w = [0u32; 80];
    w[..16].copy_from_slice(block);
    for t in 16..80 {
        w[t] = (w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]).rotate_left(1);
    }
    for (t, word) in w.iter_mut().enumerate() {
        *word = word.wrapping_add(K[t / 20]);
    }
    w
}

/// Four 32-bit lanes and the operations SHA-1 needs. Every method is inlined into its caller,
/// so that in Wasm they become SIMD instructions inside the `simd128` function that uses them.
pub(super) trait Lanes: Copy {
    fn splat(x: u32) -> Self;
    fn from_lanes(x: [u32; 4]) -> Self;
    fn to_lanes(self) -> [u32; 4];
    fn add(self, o: Self) -> Self;
    fn xor(self, o: Self) -> Self;
    fn and(self, o: Self) -> Self;
    fn or(self, o: Self) -> Self;
    fn rotl(self, n: u32) -> Self;
    /// [`compress`] over these lanes.
    #[inline(always)]
    fn compress(state: &mut [Self; 5], block: [Self; 16]) {
        compress(state, block)
    }
    /// [`compress_known`] over these lanes.
    #[inline(always)]
    fn compress_known(state: &mut [Self; 5], wk: &Schedule) {
        compress_known(state, wk)
    }
}

/// Portable lanes: what the native tests run, and the reference for the Wasm lanes.
impl Lanes for [u32; 4] {
    #[inline(always)]
    fn splat(x: u32) -> Self {
        [x; 4]
    }
    #[inline(always)]
    fn from_lanes(x: [u32; 4]) -> Self {
        x
    }
    #[inline(always)]
    fn to_lanes(self) -> [u32; 4] {
        self
    }
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        std::array::from_fn(|i| self[i].wrapping_add(o[i]))
    }
    #[inline(always)]
    fn xor(self, o: Self) -> Self {
        std::array::from_fn(|i| self[i] ^ o[i])
    }
    #[inline(always)]
    fn and(self, o: Self) -> Self {
        std::array::from_fn(|i| self[i] & o[i])
    }
    #[inline(always)]
    fn or(self, o: Self) -> Self {
        std::array::from_fn(|i| self[i] | o[i])
    }
    #[inline(always)]
    fn rotl(self, n: u32) -> Self {
        std::array::from_fn(|i| self[i].rotate_left(n))
    }
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    use super::Lanes;
    use core::arch::wasm32::*;

    /// Wasm SIMD lanes. Wasm has no lane rotate: a rotate is two shifts and an or.
    impl Lanes for v128 {
        #[inline(always)]
        fn splat(x: u32) -> Self {
            u32x4_splat(x)
        }
        #[inline(always)]
        fn from_lanes(x: [u32; 4]) -> Self {
            u32x4(x[0], x[1], x[2], x[3])
        }
        #[inline(always)]
        fn to_lanes(self) -> [u32; 4] {
            [
                u32x4_extract_lane::<0>(self),
                u32x4_extract_lane::<1>(self),
                u32x4_extract_lane::<2>(self),
                u32x4_extract_lane::<3>(self),
            ]
        }
        #[inline(always)]
        fn add(self, o: Self) -> Self {
            i32x4_add(self, o)
        }
        #[inline(always)]
        fn xor(self, o: Self) -> Self {
            v128_xor(self, o)
        }
        #[inline(always)]
        fn and(self, o: Self) -> Self {
            v128_and(self, o)
        }
        #[inline(always)]
        fn or(self, o: Self) -> Self {
            v128_or(self, o)
        }
        #[inline(always)]
        fn rotl(self, n: u32) -> Self {
            v128_or(i32x4_shl(self, n), u32x4_shr(self, 32 - n))
        }
        #[inline(always)]
        fn compress(state: &mut [Self; 5], block: [Self; 16]) {
            compress_simd(state, block)
        }
        #[inline(always)]
        fn compress_known(state: &mut [Self; 5], wk: &super::Schedule) {
            compress_known_simd(state, wk)
        }
    }

    /// A function of its own, not inlined into the cracking loop: V8 first runs Wasm in its
    /// baseline compiler and moves a function to optimised code once it is hot, and a small
    /// function called often gets there sooner than one large function, which matters for a
    /// run of a few tens of milliseconds.
    #[target_feature(enable = "simd128")]
    #[inline(never)]
    fn compress_simd(state: &mut [v128; 5], block: [v128; 16]) {
        super::compress(state, block)
    }

    /// Out of line for the same reason.
    #[target_feature(enable = "simd128")]
    #[inline(never)]
    fn compress_known_simd(state: &mut [v128; 5], wk: &super::Schedule) {
        super::compress_known(state, wk)
    }
}

/// `Ch(b, c, d)`, rounds 0..20.
#[inline(always)]
fn ch<V: Lanes>(b: V, c: V, d: V) -> V {
    d.xor(b.and(c.xor(d)))
}

/// `Parity(b, c, d)`, rounds 20..40 and 60..80.
#[inline(always)]
fn parity<V: Lanes>(b: V, c: V, d: V) -> V {
    b.xor(c).xor(d)
}

/// `Maj(b, c, d)`, rounds 40..60.
#[inline(always)]
fn maj<V: Lanes>(b: V, c: V, d: V) -> V {
    b.and(c).or(d.and(b.or(c)))
}

/// One round: `wk` is the round's word with its constant added.
macro_rules! round {
    ($f:ident, $wk:expr, $a:ident, $b:ident, $c:ident, $d:ident, $e:ident) => {{
        let t = $a.rotl(5).add($f($b, $c, $d)).add($e).add($wk);
        $e = $d;
        $d = $c;
        $c = $b.rotl(30);
        $b = $a;
        $a = t;
    }};
}

/// SHA-1's compression of one block per lane, given as 16 words, into `state`.
#[inline(always)]
#[allow(
    unused_assignments,
    reason = "the last rounds' schedule words are not read again"
)]
fn compress<V: Lanes>(state: &mut [V; 5], mut w: [V; 16]) {
    let [mut a, mut b, mut c, mut d, mut e] = *state;
    macro_rules! rounds {
        ($f:ident, $k:expr, $($t:literal)*) => {$(
            let word = if $t < 16 {
                w[$t & 15]
            } else {
                let x = w[($t + 13) & 15]
                    .xor(w[($t + 8) & 15])
                    .xor(w[($t + 2) & 15])
                    .xor(w[$t & 15])
                    .rotl(1);
                w[$t & 15] = x;
                x
            };
            round!($f, word.add(V::splat($k)), a, b, c, d, e);
        )*};
    }
    rounds!(ch, K[0], 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19);
    rounds!(parity, K[1], 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39);
    rounds!(maj, K[2], 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59);
    rounds!(parity, K[3], 60 61 62 63 64 65 66 67 68 69 70 71 72 73 74 75 76 77 78 79);
    feed_forward(state, [a, b, c, d, e]);
}

/// SHA-1's compression of a block that is the same in every lane, whose schedule is known.
#[inline(always)]
fn compress_known<V: Lanes>(state: &mut [V; 5], wk: &Schedule) {
    let [mut a, mut b, mut c, mut d, mut e] = *state;
    for (group, words) in wk.chunks_exact(20).enumerate() {
        for &w in words {
            let word = V::splat(w);
            match group {
                0 => round!(ch, word, a, b, c, d, e),
                2 => round!(maj, word, a, b, c, d, e),
                _ => round!(parity, word, a, b, c, d, e),
            }
        }
    }
    feed_forward(state, [a, b, c, d, e]);
}

#[inline(always)]
fn feed_forward<V: Lanes>(state: &mut [V; 5], abcde: [V; 5]) {
    for (s, x) in state.iter_mut().zip(abcde) {
        *s = s.add(x);
    }
}

/// The 16 words of a key block (the key zero-padded to 64 bytes) XORed with `pad`.
#[inline(always)]
fn key_words<V: Lanes>(keys: &[[u32; 16]; 4], pad: u32) -> [V; 16] {
    let pad = V::splat(pad);
    std::array::from_fn(|i| {
        V::from_lanes([keys[0][i], keys[1][i], keys[2][i], keys[3][i]]).xor(pad)
    })
}

/// The block after an HMAC's key block holding `digest`, padded, for its outer hash.
#[inline(always)]
fn digest_words<V: Lanes>(digest: [V; 5]) -> [V; 16] {
    let zero = V::splat(0);
    let mut w = [zero; 16];
    w[..5].copy_from_slice(&digest);
    w[5] = V::splat(DIGEST_PAD);
    w[15] = V::splat(DIGEST_BITS);
    w
}

/// `HMAC-SHA1(key, message)` in each lane, `key_block` being the key's 16 words per lane
/// XORed with nothing yet, and the message's padded blocks (after the key block) known.
#[inline(always)]
fn hmac<V: Lanes>(key_block: impl Fn(u32) -> [V; 16], message: &[Schedule]) -> [V; 5] {
    let mut inner = IV.map(V::splat);
    V::compress(&mut inner, key_block(IPAD));
    for wk in message {
        V::compress_known(&mut inner, wk);
    }
    let mut outer = IV.map(V::splat);
    V::compress(&mut outer, key_block(OPAD));
    V::compress(&mut outer, digest_words(inner));
    outer
}

/// Which of four keys (each one's block as 16 big-endian words: the key zero-padded, or the
/// SHA-1 of a key over 64 bytes) signed a cookie whose salt and signed text have the given
/// schedules and whose signature is `signature` (as words): a bit per lane, lane 0 lowest.
#[inline(always)]
fn matches<V: Lanes>(
    keys: &[[u32; 16]; 4],
    salt: &[Schedule],
    message: &[Schedule],
    signature: &[u32; 5],
) -> u32 {
    let derived = hmac::<V>(|pad| key_words(keys, pad), salt);
    let signed = hmac::<V>(
        |pad| {
            let p = V::splat(pad);
            let mut w = [p; 16];
            for (word, d) in w.iter_mut().zip(derived) {
                *word = d.xor(p);
            }
            w
        },
        message,
    );
    let mut hit = 0b1111;
    for (word, want) in signed.iter().zip(signature) {
        for (lane, got) in word.to_lanes().into_iter().enumerate() {
            if got != *want {
                hit &= !(1 << lane);
            }
        }
    }
    hit
}

/// The key block of `key` as 16 big-endian words: the key zero-padded to 64 bytes, or, for a
/// longer key, its SHA-1 (hashed by the scalar `sha1` crate), as HMAC does.
#[inline(always)]
fn key_block_words(key: &[u8]) -> [u32; 16] {
    if key.len() > 64 {
        be_words(&<sha1::Sha1 as sha1::Digest>::digest(key))
    } else {
        be_words(key)
    }
}

/// The index of the first of `keys` that signed the cookie, four at a time.
#[inline(always)]
pub(super) fn find<V: Lanes>(cookie: &Prepared, keys: &[&[u8]]) -> Option<usize> {
    for (group, chunk) in keys.chunks(4).enumerate() {
        let mut words = [[0u32; 16]; 4];
        for (w, key) in words.iter_mut().zip(chunk) {
            *w = key_block_words(key);
        }
        // A short last group leaves lanes of empty keys: their answers are not wanted.
        let wanted = (1u32 << chunk.len()) - 1;
        let hit = matches::<V>(&words, &cookie.salt, &cookie.message, &cookie.signature) & wanted;
        if hit != 0 {
            return Some(4 * group + hit.trailing_zeros() as usize);
        }
    }
    None
}

/// [`find`] over Wasm SIMD lanes.
#[cfg(target_arch = "wasm32")]
#[target_feature(enable = "simd128")]
pub(super) fn find_simd(cookie: &Prepared, keys: &[&[u8]]) -> Option<usize> {
    find::<core::arch::wasm32::v128>(cookie, keys)
}
