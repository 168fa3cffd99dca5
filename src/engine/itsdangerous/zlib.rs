//! `zlib.compress(data)` exactly as CPython 3.11 does it with zlib 1.2.13: level 6, 32 KiB
//! window, `memLevel` 8, default strategy, all input in one `deflate(Z_FINISH)` call.
//!
//! Why this is hand-written: itsdangerous compresses the session payload and keeps the result
//! only if it is at least two bytes shorter (docs/flask-sessions.md §1.4). Whether Flask
//! compresses, and so every byte of the cookie, depends on the exact length zlib 1.2.13 produces;
//! other deflaters (miniz_oxide, zlib-ng) choose other matches and block types and disagree on
//! both. This is a line-for-line port of zlib 1.2.13's `deflate_slow`, `longest_match`,
//! `fill_window` and `trees.c`, reduced to the one configuration Python uses. Decompression is
//! miniz_oxide's.

// Index loops are kept as zlib writes them, so the port can be read against the C line by line.
#![allow(clippy::needless_range_loop)]

const MIN_MATCH: usize = 3;
const MAX_MATCH: usize = 258;
const MIN_LOOKAHEAD: usize = MAX_MATCH + MIN_MATCH + 1;
const W_SIZE: usize = 1 << 15;
const W_MASK: usize = W_SIZE - 1;
const WINDOW_SIZE: usize = 2 * W_SIZE;
const MAX_DIST: usize = W_SIZE - MIN_LOOKAHEAD;
const HASH_BITS: usize = 8 + 7; // memLevel + 7
const HASH_SIZE: usize = 1 << HASH_BITS;
const HASH_MASK: usize = HASH_SIZE - 1;
const HASH_SHIFT: usize = HASH_BITS.div_ceil(MIN_MATCH);
const LIT_BUFSIZE: usize = 1 << (8 + 6);
/// `sym_end / 3`: a block is flushed when this many symbols are buffered.
const SYM_LIMIT: usize = LIT_BUFSIZE - 1;
const TOO_FAR: usize = 4096;
const WIN_INIT: usize = MAX_MATCH;
// configuration_table[6]
const GOOD_LENGTH: usize = 8;
const MAX_LAZY: usize = 16;
const NICE_LENGTH: usize = 128;
const MAX_CHAIN: usize = 128;

const LENGTH_CODES: usize = 29;
const LITERALS: usize = 256;
const L_CODES: usize = LITERALS + 1 + LENGTH_CODES;
const D_CODES: usize = 30;
const BL_CODES: usize = 19;
const HEAP_SIZE: usize = 2 * L_CODES + 1;
const MAX_BITS: usize = 15;
const MAX_BL_BITS: usize = 7;
const END_BLOCK: usize = 256;
const REP_3_6: usize = 16;
const REPZ_3_10: usize = 17;
const REPZ_11_138: usize = 18;

const EXTRA_LBITS: [u8; LENGTH_CODES] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const EXTRA_DBITS: [u8; D_CODES] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
const EXTRA_BLBITS: [u8; BL_CODES] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7];
const BL_ORDER: [usize; BL_CODES] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// Inputs up to this long may skip encoding (see [`Deflate::size_lower_bound`]): with at most
/// this many symbols plus one, no Huffman code is longer than 15 bits (that takes a Fibonacci
/// number of them, 1597), so zlib's trees are plain, complete Huffman codes.
const BOUND_MAX_INPUT: usize = 1024;

/// Inputs up to this long are first checked for matches at all (see [`Deflate::all_literals`]):
/// small sessions often have none, and then the signer's bound needs only their bytes.
const LITERALS_MAX_INPUT: usize = 256;

/// Where code length `len` (0..=15) comes in `BL_ORDER`.
const fn bl_position(len: usize) -> usize {
    let mut i = 0;
    while BL_ORDER[i] != len {
        i += 1;
    }
    i
}

/// `EARLIEST_UP_TO[lo]`: the earliest position in `BL_ORDER` of the lengths `1..=lo`
/// (`EARLIEST_UP_TO[0]` unused).
const EARLIEST_UP_TO: [usize; MAX_BITS + 1] = {
    let mut t = [usize::MAX; MAX_BITS + 1];
    let mut lo = 1;
    while lo <= MAX_BITS {
        let p = bl_position(lo);
        t[lo] = if p < t[lo - 1] { p } else { t[lo - 1] };
        lo += 1;
    }
    t
};

/// `EARLIEST_FROM[hi]`: the earliest position in `BL_ORDER` of the lengths `hi..=15`.
const EARLIEST_FROM: [usize; MAX_BITS + 2] = {
    let mut t = [usize::MAX; MAX_BITS + 2];
    let mut hi = MAX_BITS;
    while hi >= 1 {
        let p = bl_position(hi);
        t[hi] = if p < t[hi + 1] { p } else { t[hi + 1] };
        hi -= 1;
    }
    t
};

/// The cost in bits of a Huffman code for these frequencies (all nonzero; sorted here, then
/// overwritten), the least any prefix code can cost; a lone symbol costs one bit per use, as
/// deflate gives it a 1-bit code. In place, as in Moffat and Katajainen's algorithm: merge `k`
/// takes its two nodes (then `2k + 2` have been taken, at most `k` of them merged ones, so at
/// least `k + 2` leaves) and stores the sum in slot `k`, a leaf already taken; the merged nodes
/// are made in increasing order, so slots `0..k` form the second queue.
fn huffman_cost(w: &mut [usize]) -> usize {
    let n = w.len();
    match n {
        0 => return 0,
        1 => return w[0],
        _ => {}
    }
    w.sort_unstable();
    // `leaf`: the next leaf; `root..next`: the merged nodes not yet taken.
    let (mut leaf, mut root) = (0, 0);
    let mut cost = 0;
    for next in 0..n - 1 {
        let mut pair = 0;
        for _ in 0..2 {
            pair += if leaf < n && (root >= next || w[leaf] <= w[root]) {
                leaf += 1;
                w[leaf - 1]
            } else {
                root += 1;
                w[root - 1]
            };
        }
        cost += pair;
        w[next] = pair;
    }
    cost
}

/// Which literal/length and distance codes a block uses (bit sets, in code order).
struct UsedCodes {
    lit: [u64; L_CODES.div_ceil(64)],
    dist: u32,
}

impl UsedCodes {
    /// The end-of-block code only, which every block has.
    fn new() -> UsedCodes {
        let mut lit = [0u64; L_CODES.div_ceil(64)];
        lit[END_BLOCK / 64] |= 1 << (END_BLOCK % 64);
        UsedCodes { lit, dist: 0 }
    }

    #[inline(always)]
    fn literal(&mut self, lc: usize) {
        self.lit[lc / 64] |= 1 << (lc % 64);
    }
}

/// A lower bound on the bits zlib's `send_tree` spends on the code lengths of a tree whose
/// nonzero lengths are exactly at the codes given to [`RleBound::used`] (in increasing order; the
/// last is the tree's last code): every code-length symbol costs at least a bit, plus its extra
/// bits. A run of `g` zero lengths is `g` explicit zeros (g < 3), else at least a `REPZ_3_10`
/// (1 + 3 bits), and when g > 10 at least 5 bits (`REPZ_11_138` is 1 + 7; a `REPZ_3_10` covers
/// at most 10, leaving one more symbol). A run of `r` nonzero lengths starts with an explicit
/// length; the other `r - 1` are explicit (a bit each) or use a `REP_3_6` (at least 1 + 2 bits).
#[derive(Default)]
struct RleBound {
    bits: usize,
    /// The first code not yet accounted for.
    next: usize,
    /// Nonzero lengths in the current run.
    run: usize,
}

impl RleBound {
    fn zeros(g: usize) -> usize {
        match g {
            0..=2 => g,
            3..=10 => 4,
            _ => 5,
        }
    }

    fn nonzero(r: usize) -> usize {
        1 + (r - 1).min(3)
    }

    #[inline(always)]
    fn used(&mut self, c: usize) {
        if c > self.next && self.run > 0 {
            self.bits += Self::nonzero(self.run);
            self.run = 0;
        }
        self.bits += Self::zeros(c - self.next);
        self.run += 1;
        self.next = c + 1;
    }

    fn bits(&self) -> usize {
        self.bits
            + if self.run > 0 {
                Self::nonzero(self.run)
            } else {
                0
            }
    }
}

/// `tr_static_init`: code tables and the fixed Huffman trees.
struct Static {
    length_code: [u8; 256],
    dist_code: [u8; 512],
    base_length: [u16; LENGTH_CODES],
    base_dist: [u16; D_CODES],
    ltree_len: [u16; L_CODES + 2],
    ltree_code: [u16; L_CODES + 2],
    dtree_len: [u16; D_CODES],
    dtree_code: [u16; D_CODES],
}

fn bi_reverse(mut code: u32, len: usize) -> u16 {
    let mut res = 0u32;
    for _ in 0..len {
        res = (res << 1) | (code & 1);
        code >>= 1;
    }
    res as u16
}

/// `gen_codes`: canonical Huffman codes (bit-reversed) from code lengths.
fn gen_codes(len: &[u16], code: &mut [u16], max_code: usize, bl_count: &[u16; MAX_BITS + 1]) {
    let mut next_code = [0u16; MAX_BITS + 1];
    let mut c: u32 = 0;
    for bits in 1..MAX_BITS + 1 {
        c = (c + u32::from(bl_count[bits - 1])) << 1;
        next_code[bits] = c as u16;
    }
    for n in 0..max_code + 1 {
        let l = usize::from(len[n]);
        if l == 0 {
            continue;
        }
        code[n] = bi_reverse(u32::from(next_code[l]), l);
        next_code[l] = next_code[l].wrapping_add(1);
    }
}

impl Static {
    fn new() -> Static {
        let mut s = Static {
            length_code: [0; 256],
            dist_code: [0; 512],
            base_length: [0; LENGTH_CODES],
            base_dist: [0; D_CODES],
            ltree_len: [0; L_CODES + 2],
            ltree_code: [0; L_CODES + 2],
            dtree_len: [5; D_CODES],
            dtree_code: [0; D_CODES],
        };
        let mut length = 0usize;
        for code in 0..LENGTH_CODES - 1 {
            s.base_length[code] = length as u16;
            for _ in 0..(1 << EXTRA_LBITS[code]) {
                s.length_code[length] = code as u8;
                length += 1;
            }
        }
        // Length 258 gets code 28 rather than the 27 the loop would leave there.
        s.length_code[length - 1] = (LENGTH_CODES - 1) as u8;
        let mut dist = 0usize;
        for code in 0..16 {
            s.base_dist[code] = dist as u16;
            for _ in 0..(1 << EXTRA_DBITS[code]) {
                s.dist_code[dist] = code as u8;
                dist += 1;
            }
        }
        dist >>= 7;
        for code in 16..D_CODES {
            s.base_dist[code] = (dist << 7) as u16;
            for _ in 0..(1 << (EXTRA_DBITS[code] - 7)) {
                s.dist_code[256 + dist] = code as u8;
                dist += 1;
            }
        }
        let mut bl_count = [0u16; MAX_BITS + 1];
        for (n, len) in s.ltree_len.iter_mut().enumerate() {
            *len = match n {
                0..=143 => 8,
                144..=255 => 9,
                256..=279 => 7,
                _ => 8,
            };
            bl_count[usize::from(*len)] += 1;
        }
        let ltree_len = s.ltree_len;
        gen_codes(&ltree_len, &mut s.ltree_code, L_CODES + 1, &bl_count);
        for n in 0..D_CODES {
            s.dtree_code[n] = bi_reverse(n as u32, 5);
        }
        s
    }

    fn d_code(&self, dist: usize) -> usize {
        usize::from(if dist < 256 {
            self.dist_code[dist]
        } else {
            self.dist_code[256 + (dist >> 7)]
        })
    }
}

/// Least-significant-bit-first output, which is what zlib's 16-bit `bi_buf` with `put_short`
/// produces byte for byte.
struct BitWriter {
    out: Vec<u8>,
    buf: u64,
    bits: u32,
}

impl BitWriter {
    #[inline(always)]
    fn send(&mut self, value: u32, len: usize) {
        self.buf |= u64::from(value) << self.bits;
        self.bits += len as u32;
        while self.bits >= 8 {
            self.out.push(self.buf as u8);
            self.buf >>= 8;
            self.bits -= 8;
        }
    }

    /// `bi_windup`: pad to a byte boundary with zero bits.
    fn windup(&mut self) {
        if self.bits > 0 {
            self.out.push(self.buf as u8);
        }
        self.buf = 0;
        self.bits = 0;
    }
}

/// One dynamic tree (`ct_data[]` plus its `tree_desc`). zlib overlays `Freq`/`Code` and
/// `Dad`/`Len` in unions; they are separate arrays here, used in the same order.
/// Fixed-size arrays (the literal tree's size for all three) so indexing needs no call.
struct Tree {
    freq: [u16; HEAP_SIZE],
    code: [u16; HEAP_SIZE],
    dad: [u16; HEAP_SIZE],
    len: [u16; HEAP_SIZE],
    max_code: usize,
}

impl Tree {
    fn new() -> Tree {
        Tree {
            freq: [0; HEAP_SIZE],
            code: [0; HEAP_SIZE],
            dad: [0; HEAP_SIZE],
            len: [0; HEAP_SIZE],
            max_code: 0,
        }
    }
}

/// Which of the three trees `build_tree` works on (its `static_tree_desc`).
#[derive(Clone, Copy)]
enum Kind {
    Lit,
    Dist,
    Bl,
}

/// One step of zlib's run-length coding of a tree's code lengths (`scan_tree` and
/// `send_tree` walk the lengths the same way; one counts the codes, the other sends them).
#[derive(Clone, Copy)]
enum LengthRun {
    /// `len` sent `times` times as itself.
    Plain { len: u16, times: usize },
    /// A run of `len`: itself first when `first` (it differs from the previous length), then
    /// `REP_3_6` for `count` (3 to 6) more.
    Repeat { len: u16, first: bool, count: usize },
    /// `count` zero lengths: `REPZ_3_10` or `REPZ_11_138`.
    Zeros { count: usize },
}

/// Walks `len` (a tree's lengths up to `max_code`, then the 0xffff guard) as zlib 1.2.13's
/// `scan_tree`/`send_tree` do, calling `step` for each run.
fn length_runs(len: &[u16], mut step: impl FnMut(LengthRun)) {
    let max_code = len.len() - 2;
    let mut prevlen: isize = -1;
    let mut nextlen = len[0];
    let mut count = 0usize;
    let (mut max_count, mut min_count) = if nextlen == 0 { (138, 3) } else { (7, 4) };
    for n in 0..max_code + 1 {
        let curlen = nextlen;
        nextlen = len[n + 1];
        count += 1;
        if count < max_count && curlen == nextlen {
            continue;
        } else if count < min_count {
            step(LengthRun::Plain {
                len: curlen,
                times: count,
            });
        } else if curlen != 0 {
            let first = curlen as isize != prevlen;
            step(LengthRun::Repeat {
                len: curlen,
                first,
                count: if first { count - 1 } else { count },
            });
        } else {
            step(LengthRun::Zeros { count });
        }
        count = 0;
        prevlen = curlen as isize;
        (max_count, min_count) = if nextlen == 0 {
            (138, 3)
        } else if curlen == nextlen {
            (6, 3)
        } else {
            (7, 4)
        };
    }
}

/// The whole `deflate_state`. One is kept per thread and reused (see [`compress`]), so a call
/// does not allocate or clear its ~200 KiB of buffers: only what that call wrote is reset.
struct Deflate {
    st: Static,
    next_in: usize,
    window: Box<[u8; WINDOW_SIZE]>,
    prev: Box<[u16; W_SIZE]>,
    head: Box<[u16; HASH_SIZE]>,
    block_start: isize,
    strstart: usize,
    match_start: usize,
    lookahead: usize,
    insert: usize,
    high_water: usize,
    prev_length: usize,
    match_length: usize,
    prev_match: usize,
    match_available: bool,
    // trees.c state
    ltree: Tree,
    dtree: Tree,
    bltree: Tree,
    bl_count: [u16; MAX_BITS + 1],
    heap: [usize; HEAP_SIZE],
    heap_len: usize,
    heap_max: usize,
    depth: [u8; HEAP_SIZE],
    syms: Vec<(u16, u8)>,
    opt_len: u64,
    static_len: u64,
    out: BitWriter,
    /// [`with_compressed_below`]'s bound (0: none): the block is not written once its size is
    /// proven to make the whole output at least this long.
    skip_below: usize,
    /// Set when that happened.
    skipped: bool,
    /// [`Deflate::all_literals`]'s table: the hashes seen in this call hold `generation`.
    seen: Box<[u16; HASH_SIZE]>,
    generation: u16,
}

/// A zeroed boxed array, built on the heap (a 64 KiB array would not fit a Wasm stack frame).
fn zeroed<T: Copy + Default, const N: usize>() -> Box<[T; N]> {
    vec![T::default(); N]
        .into_boxed_slice()
        .try_into()
        .unwrap_or_else(|_| unreachable!("the vector has N elements"))
}

thread_local! {
    /// The reusable state. `None` while a call has it out (a nested call would build its own).
    static SCRATCH: std::cell::RefCell<Option<Box<Deflate>>> = const { std::cell::RefCell::new(None) };
}

/// `zlib.compress(data)` with CPython's defaults: the zlib header `78 9c`, the deflate stream
/// and the Adler-32 trailer.
pub fn compress(data: &[u8]) -> Vec<u8> {
    with_compressed(data, <[u8]>::to_vec)
}

/// Like [`compress`], but lends the compressed bytes to `f` from a reused buffer instead of
/// returning a new vector (the session signer base64-encodes them straight into the cookie).
pub fn with_compressed<R>(data: &[u8], f: impl FnOnce(&[u8]) -> R) -> R {
    with_compressed_below(data, 0, |c| f(c.expect("no bound, so always compressed")))
}

/// Like [`with_compressed`], for a caller that only wants the compressed bytes if there are fewer
/// than `below` of them (itsdangerous keeps them only if shorter than the JSON less one byte).
/// `f` gets `None` when that is proven impossible before the block is encoded: see
/// [`Deflate::size_lower_bound`]. `Some` holds the full `compress(data)`, whatever its length
/// (the caller still compares it). `below` 0 means no bound.
pub fn with_compressed_below<R>(
    data: &[u8],
    below: usize,
    f: impl FnOnce(Option<&[u8]>) -> R,
) -> R {
    let mut d = SCRATCH
        .with(|s| s.borrow_mut().take())
        .unwrap_or_else(Deflate::new);
    d.reset();
    d.init_block();
    d.skip_below = below;
    d.skipped = false;
    // A short input with no repeated three bytes compresses to literals only: skip the match
    // search when those literals alone prove the output too long (see `all_literals`).
    if below != 0 && (1..=LITERALS_MAX_INPUT).contains(&data.len()) && d.all_literals(data) {
        // As `tally` would count them, without buffering the symbols.
        let mut used = UsedCodes::new();
        for &b in data {
            d.ltree.freq[usize::from(b)] += 1;
            used.literal(usize::from(b));
        }
        d.strstart = data.len();
        if d.skip_by_bound(|_| used) {
            d.skipped = true;
        } else {
            d.init_block();
        }
        d.strstart = 0;
    }
    // Skipped there, the hash table was not touched.
    let searched = !d.skipped;
    if searched {
        d.deflate_slow(data);
    }
    let result = if d.skipped {
        f(None)
    } else {
        d.out.out.extend_from_slice(&adler32(data).to_be_bytes());
        f(Some(&d.out.out))
    };
    if searched {
        d.clear_hash(data);
    }
    SCRATCH.with(|s| *s.borrow_mut() = Some(d));
    result
}

/// Adler-32 (RFC 1950). Sixteen independent lanes per step, which the compiler vectorises: lane
/// `i` sums the bytes at offsets `i` mod 16 (`a`) and their running totals (`b`); the two sums
/// are recombined at the end of each chunk exactly as the byte-at-a-time definition adds up.
pub fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    const LANES: usize = 16;
    // 5552 is zlib's NMAX: the most bytes before `b` could overflow 32 bits. A multiple of 16
    // below it keeps every chunk made of whole lane steps.
    const CHUNK: usize = 5552 / LANES * LANES;
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(CHUNK) {
        let mut steps = chunk.chunks_exact(LANES);
        let n = (chunk.len() / LANES) as u32;
        if n > 0 {
            // lane_a[i]: sum of the lane's bytes; lane_b[i]: sum over steps of lane_a after it.
            let mut lane_a = [0u32; LANES];
            let mut lane_b = [0u32; LANES];
            for step in &mut steps {
                for i in 0..LANES {
                    lane_a[i] += u32::from(step[i]);
                    lane_b[i] += lane_a[i];
                }
            }
            // Over these 16n bytes: b gains 16n·a plus, for the byte at offset 16k + i, its value
            // times (16(n - k) - i), which is 16·lane_b[i] - i·lane_a[i] summed over the lanes.
            let mut sum_a = 0u64;
            let mut sum_b = 0u64;
            for i in 0..LANES {
                sum_a += u64::from(lane_a[i]);
                sum_b += 16 * u64::from(lane_b[i]) - i as u64 * u64::from(lane_a[i]);
            }
            let total_b = u64::from(b) + 16 * u64::from(n) * u64::from(a) + sum_b;
            a = ((u64::from(a) + sum_a) % u64::from(MOD)) as u32;
            b = (total_b % u64::from(MOD)) as u32;
        }
        for &x in steps.remainder() {
            a += u32::from(x);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

/// The hash of the three bytes at a position: what zlib's rolling `UPDATE_HASH` holds after
/// them, since with `HASH_SHIFT` 5 and 15 bits every older byte has been shifted out.
#[inline(always)]
fn hash3(a: u8, b: u8, c: u8) -> usize {
    ((usize::from(a) << (2 * HASH_SHIFT)) ^ (usize::from(b) << HASH_SHIFT) ^ usize::from(c))
        & HASH_MASK
}

/// How many leading bytes `a` and `b` share (compared eight at a time).
#[inline(always)]
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut i = 0;
    for (x, y) in a.chunks_exact(8).zip(b.chunks_exact(8)) {
        let x = u64::from_le_bytes(x.try_into().expect("8 bytes"));
        let y = u64::from_le_bytes(y.try_into().expect("8 bytes"));
        let diff = x ^ y;
        if diff != 0 {
            return i + (diff.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i + a[i..]
        .iter()
        .zip(&b[i..])
        .take_while(|(x, y)| x == y)
        .count()
}

impl Deflate {
    fn new() -> Box<Deflate> {
        Box::new(Deflate {
            st: Static::new(),
            next_in: 0,
            window: zeroed(),
            prev: zeroed(),
            head: zeroed(),
            block_start: 0,
            strstart: 0,
            match_start: 0,
            lookahead: 0,
            insert: 0,
            high_water: 0,
            prev_length: MIN_MATCH - 1,
            match_length: MIN_MATCH - 1,
            prev_match: 0,
            match_available: false,
            ltree: Tree::new(),
            dtree: Tree::new(),
            bltree: Tree::new(),
            bl_count: [0; MAX_BITS + 1],
            heap: [0; HEAP_SIZE],
            heap_len: 0,
            heap_max: 0,
            depth: [0; HEAP_SIZE],
            syms: Vec::with_capacity(SYM_LIMIT),
            opt_len: 0,
            static_len: 0,
            out: BitWriter {
                out: Vec::new(),
                buf: 0,
                bits: 0,
            },
            skip_below: 0,
            skipped: false,
            seen: zeroed(),
            generation: 0,
        })
    }

    /// `deflateReset`: the state a fresh `deflateInit2` leaves, except for buffers whose old
    /// contents zlib never reads before writing (the window past `high_water`, `prev`, and the
    /// tree arrays other than the frequencies `init_block` clears; zlib allocates those
    /// uninitialised too). `head` is all zero here: [`Deflate::clear_hash`] left it so.
    fn reset(&mut self) {
        self.next_in = 0;
        self.block_start = 0;
        self.strstart = 0;
        self.match_start = 0;
        self.lookahead = 0;
        self.insert = 0;
        self.high_water = 0;
        self.prev_length = MIN_MATCH - 1;
        self.match_length = MIN_MATCH - 1;
        self.prev_match = 0;
        self.match_available = false;
        self.out.out.clear();
        self.out.out.extend_from_slice(&[0x78, 0x9c]);
        self.out.buf = 0;
        self.out.bits = 0;
    }

    /// Zeroes the `head` slots this call wrote, so the next call starts from a cleared table
    /// without paying for clearing all 64 KiB of it. Every slot written is the hash of some
    /// three bytes of the input (a slide changes the values, never which slots).
    fn clear_hash(&mut self, input: &[u8]) {
        if input.len() > HASH_SIZE {
            self.head.fill(0);
            return;
        }
        let head = &mut self.head;
        for t in input.windows(MIN_MATCH) {
            head[hash3(t[0], t[1], t[2])] = 0;
        }
    }

    fn avail_in(&self, input: &[u8]) -> usize {
        input.len() - self.next_in
    }

    /// `INSERT_STRING`: returns the previous head of the hash chain.
    #[inline(always)]
    fn insert_string(&mut self, pos: usize) -> usize {
        let w = &self.window[pos..pos + MIN_MATCH];
        let h = hash3(w[0], w[1], w[2]);
        let head = self.head[h];
        self.prev[pos & W_MASK] = head;
        self.head[h] = pos as u16;
        usize::from(head)
    }

    /// `INSERT_STRING` for every position in `from..=to`, the strings inside a match.
    fn insert_range(&mut self, from: usize, to: usize) {
        if from > to {
            return;
        }
        let head = &mut self.head;
        let prev = &mut self.prev;
        for (pos, t) in (from..).zip(self.window[from..to + MIN_MATCH].windows(MIN_MATCH)) {
            let h = hash3(t[0], t[1], t[2]);
            prev[pos & W_MASK] = head[h];
            head[h] = pos as u16;
        }
    }

    fn slide_hash(&mut self) {
        for h in self.head.iter_mut().chain(self.prev.iter_mut()) {
            let m = usize::from(*h);
            *h = if m >= W_SIZE { (m - W_SIZE) as u16 } else { 0 };
        }
    }

    /// Whether [`Deflate::fill_window`] would change nothing: the input is all in the window,
    /// no slide is due, and the bytes past the data are already zeroed. Once a short input is
    /// in, that holds at every later position, which then skips the call.
    #[inline(always)]
    fn fill_window_is_noop(&self, input: &[u8]) -> bool {
        self.next_in == input.len()
            && self.strstart < W_SIZE + MAX_DIST
            && self.high_water >= (self.strstart + self.lookahead + WIN_INIT).min(WINDOW_SIZE)
    }

    fn fill_window(&mut self, input: &[u8]) {
        loop {
            let mut more = WINDOW_SIZE - self.lookahead - self.strstart;
            if self.strstart >= W_SIZE + MAX_DIST {
                self.window.copy_within(W_SIZE..W_SIZE + W_SIZE - more, 0);
                self.match_start = self.match_start.wrapping_sub(W_SIZE);
                self.strstart -= W_SIZE;
                self.block_start -= W_SIZE as isize;
                if self.insert > self.strstart {
                    self.insert = self.strstart;
                }
                self.slide_hash();
                more += W_SIZE;
            }
            if self.avail_in(input) == 0 {
                break;
            }
            let n = more.min(self.avail_in(input));
            let at = self.strstart + self.lookahead;
            self.window[at..at + n].copy_from_slice(&input[self.next_in..self.next_in + n]);
            self.next_in += n;
            self.lookahead += n;

            // zlib primes its rolling hash here and inserts the strings `insert` held back;
            // `insert` is only ever nonzero in zlib between separate `deflate` calls, which a
            // one-shot compress never makes, and the hash is recomputed from the bytes anyway.
            while self.insert > 0 && self.lookahead + self.insert >= MIN_MATCH {
                let s = self.strstart - self.insert;
                self.insert_string(s);
                self.insert -= 1;
            }
            if !(self.lookahead < MIN_LOOKAHEAD && self.avail_in(input) != 0) {
                break;
            }
        }
        // Zero the bytes just past the data, which longest_match may read (matters after a
        // slide, and when the state is reused, when stale bytes would otherwise be there).
        if self.high_water < WINDOW_SIZE {
            let curr = self.strstart + self.lookahead;
            if self.high_water < curr {
                let init = (WINDOW_SIZE - curr).min(WIN_INIT);
                self.window[curr..curr + init].fill(0);
                self.high_water = curr + init;
            } else if self.high_water < curr + WIN_INIT {
                let init = (curr + WIN_INIT - self.high_water).min(WINDOW_SIZE - self.high_water);
                self.window[self.high_water..self.high_water + init].fill(0);
                self.high_water += init;
            }
        }
    }

    fn longest_match(&mut self, mut cur_match: usize) -> usize {
        let mut chain_length = MAX_CHAIN;
        let scan = self.strstart;
        let mut best_len = self.prev_length;
        let mut nice_match = NICE_LENGTH;
        let limit = self.strstart.saturating_sub(MAX_DIST);
        let w: &[u8; WINDOW_SIZE] = &self.window;
        // zlib reads up to `scan + MAX_MATCH` (its `strend`); the window always has room.
        let scan_bytes = &w[scan..scan + MAX_MATCH + 1];
        let mut scan_end1 = scan_bytes[best_len - 1];
        let mut scan_end = scan_bytes[best_len];
        if self.prev_length >= GOOD_LENGTH {
            chain_length >>= 2;
        }
        if nice_match > self.lookahead {
            nice_match = self.lookahead;
        }
        loop {
            let m = &w[cur_match..cur_match + MAX_MATCH + 1];
            // Byte 2 is not compared: equal hashes make it equal when bytes 0 and 1 are.
            if m[best_len] == scan_end
                && m[best_len - 1] == scan_end1
                && m[0] == scan_bytes[0]
                && m[1] == scan_bytes[1]
            {
                // zlib compares from byte 3, eight at a time, and stops at the first mismatch
                // or at byte MAX_MATCH (which counts as matching either way).
                let len = MIN_MATCH
                    + common_prefix(&scan_bytes[MIN_MATCH..MAX_MATCH], &m[MIN_MATCH..MAX_MATCH]);
                if len > best_len {
                    self.match_start = cur_match;
                    best_len = len;
                    if len >= nice_match {
                        break;
                    }
                    scan_end1 = scan_bytes[best_len - 1];
                    scan_end = scan_bytes[best_len];
                }
            }
            cur_match = usize::from(self.prev[cur_match & W_MASK]);
            if cur_match <= limit {
                break;
            }
            chain_length -= 1;
            if chain_length == 0 {
                break;
            }
        }
        best_len.min(self.lookahead)
    }

    /// `_tr_tally`: buffers a literal (`dist == 0`) or a match; true when the block is full.
    fn tally(&mut self, dist: usize, lc: usize) -> bool {
        self.syms.push((dist as u16, lc as u8));
        if dist == 0 {
            self.ltree.freq[lc] += 1;
        } else {
            let d = dist - 1;
            self.ltree.freq[usize::from(self.st.length_code[lc]) + LITERALS + 1] += 1;
            let dc = self.st.d_code(d);
            self.dtree.freq[dc] += 1;
        }
        self.syms.len() == SYM_LIMIT
    }

    /// Whether the block now buffered, the whole input (nothing written but the zlib header),
    /// is short enough for the bound's proof and cannot come out short enough: then it need
    /// not be encoded.
    fn skip_by_bound(&mut self, used: impl FnOnce(&Self) -> UsedCodes) -> bool {
        if !(self.skip_below != 0
            && self.block_start == 0
            && self.out.out.len() == 2
            && (1..=BOUND_MAX_INPUT).contains(&self.strstart))
        {
            return false;
        }
        let used = used(self);
        2 + self.size_lower_bound(&used) + 4 >= self.skip_below
    }

    /// The codes the buffered symbols use.
    fn used_codes(&self) -> UsedCodes {
        let mut used = UsedCodes::new();
        for &(dist, lc) in &self.syms {
            let lc = usize::from(lc);
            if dist == 0 {
                used.literal(lc);
            } else {
                used.literal(usize::from(self.st.length_code[lc]) + LITERALS + 1);
                used.dist |= 1 << self.st.d_code(usize::from(dist) - 1);
            }
        }
        used
    }

    /// Whether `deflate_slow` would find no match in `data` (at most
    /// [`LITERALS_MAX_INPUT`] bytes, so one fill of the window and one block): true when no two
    /// of its three-byte strings share a hash, since a match needs a hash chain entry
    /// (`hash_head != 0`) whose three bytes equal the current ones, and the chain of a hash
    /// only holds earlier positions with that hash. False is only "maybe not".
    /// Uses `seen`, stamped with a generation number so it needs no clearing.
    fn all_literals(&mut self, data: &[u8]) -> bool {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.seen.fill(0);
            self.generation = 1;
        }
        let g = self.generation;
        let seen = &mut self.seen;
        for t in data.windows(MIN_MATCH) {
            let slot = &mut seen[hash3(t[0], t[1], t[2])];
            if *slot == g {
                return false;
            }
            *slot = g;
        }
        true
    }

    fn flush_block(&mut self, last: bool) {
        // The whole input in this one block, short enough for the bound's proof: skip encoding
        // it if it cannot come out short enough.
        if last && self.skip_by_bound(Self::used_codes) {
            self.skipped = true;
            self.init_block();
            return;
        }
        let stored_len = (self.strstart as isize - self.block_start) as usize;
        let buf = (self.block_start >= 0).then_some(self.block_start as usize);
        self.tr_flush_block(buf, stored_len, last);
        self.block_start = self.strstart as isize;
    }

    fn deflate_slow(&mut self, input: &[u8]) {
        loop {
            if self.lookahead < MIN_LOOKAHEAD {
                if !self.fill_window_is_noop(input) {
                    self.fill_window(input);
                }
                if self.lookahead == 0 {
                    break;
                }
            }
            let mut hash_head = 0;
            if self.lookahead >= MIN_MATCH {
                hash_head = self.insert_string(self.strstart);
            }
            self.prev_length = self.match_length;
            self.prev_match = self.match_start;
            self.match_length = MIN_MATCH - 1;

            if hash_head != 0
                && self.prev_length < MAX_LAZY
                && self.strstart - hash_head <= MAX_DIST
            {
                self.match_length = self.longest_match(hash_head);
                if self.match_length <= 5
                    && self.match_length == MIN_MATCH
                    && self.strstart - self.match_start > TOO_FAR
                {
                    self.match_length = MIN_MATCH - 1;
                }
            }
            if self.prev_length >= MIN_MATCH && self.match_length <= self.prev_length {
                let max_insert = self.strstart + self.lookahead - MIN_MATCH;
                let bflush = self.tally(
                    self.strstart - 1 - self.prev_match,
                    self.prev_length - MIN_MATCH,
                );
                self.lookahead -= self.prev_length - 1;
                // zlib's `do { if (++strstart <= max_insert) INSERT_STRING } while
                // (--prev_length != 0)`, after `prev_length -= 2`.
                let last = self.strstart + self.prev_length - 2;
                self.insert_range(self.strstart + 1, last.min(max_insert));
                self.prev_length = 0;
                self.match_available = false;
                self.match_length = MIN_MATCH - 1;
                self.strstart = last + 1;
                if bflush {
                    self.flush_block(false);
                }
            } else if self.match_available {
                let lit = usize::from(self.window[self.strstart - 1]);
                if self.tally(0, lit) {
                    self.flush_block(false);
                }
                self.strstart += 1;
                self.lookahead -= 1;
            } else {
                self.match_available = true;
                self.strstart += 1;
                self.lookahead -= 1;
            }
        }
        if self.match_available {
            let lit = usize::from(self.window[self.strstart - 1]);
            self.tally(0, lit);
            self.match_available = false;
        }
        self.flush_block(true);
    }

    // ---- a lower bound on the block's size ---------------------------------------------------

    /// A lower bound, in bytes, on the deflate data `tr_flush_block` would write for the single,
    /// last block now buffered (the whole input, `strstart` bytes, at most [`BOUND_MAX_INPUT`]),
    /// whose symbols use the codes in `used` with the frequencies in the trees, computed without
    /// building a tree. zlib writes the smallest of three encodings (ties going
    /// to stored, then fixed); each is bounded here:
    ///
    /// - stored: `strstart + 5` bytes, exactly.
    /// - fixed: `static_lenb`, exactly: every symbol's fixed code length and extra bits.
    /// - dynamic: `opt_lenb` is `(opt_len + 3 + 7) >> 3`, where `opt_len` is the header (14
    ///   bits of counts, 3 bits per code-length code length sent, the run-length coded code
    ///   lengths of both trees) plus the symbols' codes and extra bits. Bounded below by:
    ///   - codes: no prefix code costs less than a Huffman code for the same frequencies
    ///     ([`huffman_cost`]; zlib's length limit only adds). A lone distance symbol costs at
    ///     least one bit per use.
    ///   - code lengths: every code-length symbol is at least one bit (zlib gives a tree at least
    ///     two codes), plus its extra bits; see [`rle_lower_bound`].
    ///   - code-length code lengths sent: zlib sends them up to the last one used, in `BL_ORDER`.
    ///     A complete code over `m` symbols (Huffman codes are complete, and with at most
    ///     [`BOUND_MAX_INPUT`] symbols no length reaches 15, so zlib does not adjust them) has
    ///     a length at most `floor(log2 m)` and one at least `ceil(log2 m)`, so the list reaches
    ///     at least the earliest position, in `BL_ORDER`, of such lengths.
    fn size_lower_bound(&mut self, used: &UsedCodes) -> usize {
        // The used literal/length codes in order: the fixed encoding's size and the extra bits
        // (the same in every encoding), from the frequencies; those frequencies (into `heap`,
        // free until `build_tree`); and the run-length bound on sending their code lengths.
        let mut static_bits = 0;
        let mut extra_bits = 0;
        let mut lit_rle = RleBound::default();
        let mut lcount = 0;
        for (w, &word) in used.lit.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                let n = w * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                lit_rle.used(n);
                let f = usize::from(self.ltree.freq[n]);
                let extra = match n.checked_sub(LITERALS + 1) {
                    Some(code) => usize::from(EXTRA_LBITS[code]),
                    None => 0,
                };
                static_bits += f * (usize::from(self.st.ltree_len[n]) + extra);
                extra_bits += f * extra;
                self.heap[lcount] = f;
                lcount += 1;
            }
        }
        let mut dist_used = used.dist;
        let mut bits = dist_used;
        while bits != 0 {
            let dc = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let f = usize::from(self.dtree.freq[dc]);
            let extra = usize::from(EXTRA_DBITS[dc]);
            static_bits += f * (usize::from(self.st.dtree_len[dc]) + extra);
            extra_bits += f * extra;
        }
        let static_lenb = (static_bits + 3 + 7) >> 3;
        let lit_cost = huffman_cost(&mut self.heap[..lcount]);

        let mut real = 0;
        let mut bits = dist_used;
        while bits != 0 {
            self.heap[real] = usize::from(self.dtree.freq[bits.trailing_zeros() as usize]);
            bits &= bits - 1;
            real += 1;
        }
        let dist_cost = huffman_cost(&mut self.heap[..real]);
        // Distance codes as zlib's build_tree sees them: at least two, the missing ones added
        // as it adds them.
        let mut dmax = 31 - dist_used.leading_zeros() as isize; // -1 when none
        let mut dcount = real;
        while dcount < 2 {
            let node = if dmax < 2 {
                dmax += 1;
                dmax as usize
            } else {
                0
            };
            dist_used |= 1 << node;
            dcount += 1;
        }
        let mut dist_rle = RleBound::default();
        let mut bits = dist_used;
        while bits != 0 {
            dist_rle.used(bits.trailing_zeros() as usize);
            bits &= bits - 1;
        }

        let mut bl_sent = 4;
        for m in [lcount, dcount] {
            let lo = m.ilog2() as usize; // floor(log2 m) >= 1, as m >= 2
            let hi = m.next_power_of_two().ilog2() as usize; // ceil(log2 m)
            let earliest_lo = EARLIEST_UP_TO[lo];
            let earliest_hi = EARLIEST_FROM[hi];
            bl_sent = bl_sent.max(earliest_lo.max(earliest_hi) + 1);
        }
        let dynamic_bits = 5
            + 5
            + 4
            + 3 * bl_sent
            + lit_rle.bits()
            + dist_rle.bits()
            + lit_cost
            + dist_cost
            + extra_bits;
        let opt_lenb = (dynamic_bits + 3 + 7) >> 3;
        static_lenb.min(opt_lenb).min(self.strstart + 5)
    }

    // ---- trees.c -------------------------------------------------------------------------

    fn init_block(&mut self) {
        self.ltree.freq[..L_CODES].fill(0);
        self.dtree.freq[..D_CODES].fill(0);
        self.bltree.freq[..BL_CODES].fill(0);
        self.ltree.freq[END_BLOCK] = 1;
        self.opt_len = 0;
        self.static_len = 0;
        self.syms.clear();
    }

    #[inline(always)]
    fn tree(&mut self, kind: Kind) -> &mut Tree {
        match kind {
            Kind::Lit => &mut self.ltree,
            Kind::Dist => &mut self.dtree,
            Kind::Bl => &mut self.bltree,
        }
    }

    #[inline(always)]
    fn smaller(tree: &Tree, depth: &[u8], n: usize, m: usize) -> bool {
        tree.freq[n] < tree.freq[m] || (tree.freq[n] == tree.freq[m] && depth[n] <= depth[m])
    }

    fn pqdownheap(&mut self, kind: Kind, mut k: usize) {
        let v = self.heap[k];
        let mut j = k << 1;
        while j <= self.heap_len {
            let tree = match kind {
                Kind::Lit => &self.ltree,
                Kind::Dist => &self.dtree,
                Kind::Bl => &self.bltree,
            };
            if j < self.heap_len && Self::smaller(tree, &self.depth, self.heap[j + 1], self.heap[j])
            {
                j += 1;
            }
            if Self::smaller(tree, &self.depth, v, self.heap[j]) {
                break;
            }
            self.heap[k] = self.heap[j];
            k = j;
            j <<= 1;
        }
        self.heap[k] = v;
    }

    /// (static tree lengths, extra bits, extra base, elems, max length) per kind.
    fn stat_desc(kind: Kind) -> (usize, &'static [u8], usize, usize) {
        match kind {
            Kind::Lit => (L_CODES, &EXTRA_LBITS, LITERALS + 1, MAX_BITS),
            Kind::Dist => (D_CODES, &EXTRA_DBITS, 0, MAX_BITS),
            Kind::Bl => (BL_CODES, &EXTRA_BLBITS, 0, MAX_BL_BITS),
        }
    }

    fn static_len_of(&self, kind: Kind, n: usize) -> Option<u16> {
        match kind {
            Kind::Lit => Some(self.st.ltree_len[n]),
            Kind::Dist => Some(self.st.dtree_len[n]),
            Kind::Bl => None,
        }
    }

    fn build_tree(&mut self, kind: Kind) {
        let (elems, _, _, _) = Self::stat_desc(kind);
        let mut max_code: isize = -1;
        self.heap_len = 0;
        self.heap_max = HEAP_SIZE;
        for n in 0..elems {
            if self.tree(kind).freq[n] != 0 {
                self.heap_len += 1;
                self.heap[self.heap_len] = n;
                max_code = n as isize;
                self.depth[n] = 0;
            } else {
                self.tree(kind).len[n] = 0;
            }
        }
        // The pkzip format needs at least one distance code and two codes of any kind.
        while self.heap_len < 2 {
            let node = if max_code < 2 {
                max_code += 1;
                max_code as usize
            } else {
                0
            };
            self.heap_len += 1;
            self.heap[self.heap_len] = node;
            self.tree(kind).freq[node] = 1;
            self.depth[node] = 0;
            self.opt_len = self.opt_len.wrapping_sub(1);
            if let Some(l) = self.static_len_of(kind, node) {
                self.static_len = self.static_len.wrapping_sub(u64::from(l));
            }
        }
        let max_code = max_code as usize;
        self.tree(kind).max_code = max_code;
        for n in (1..self.heap_len / 2 + 1).rev() {
            self.pqdownheap(kind, n);
        }
        let mut node = elems;
        loop {
            let n = self.heap[1];
            self.heap[1] = self.heap[self.heap_len];
            self.heap_len -= 1;
            self.pqdownheap(kind, 1);
            let m = self.heap[1];
            self.heap_max -= 1;
            self.heap[self.heap_max] = n;
            self.heap_max -= 1;
            self.heap[self.heap_max] = m;
            let dn = self.depth[n];
            let dm = self.depth[m];
            let tree = self.tree(kind);
            tree.freq[node] = tree.freq[n].wrapping_add(tree.freq[m]);
            tree.dad[n] = node as u16;
            tree.dad[m] = node as u16;
            self.depth[node] = dn.max(dm) + 1;
            self.heap[1] = node;
            node += 1;
            self.pqdownheap(kind, 1);
            if self.heap_len < 2 {
                break;
            }
        }
        self.heap_max -= 1;
        self.heap[self.heap_max] = self.heap[1];
        self.gen_bitlen(kind);
        let bl_count = self.bl_count;
        let tree = self.tree(kind);
        gen_codes(&tree.len, &mut tree.code, max_code, &bl_count);
    }

    fn gen_bitlen(&mut self, kind: Kind) {
        let (_, extra, base, max_length) = Self::stat_desc(kind);
        let max_code = self.tree(kind).max_code;
        let mut overflow = 0i32;
        self.bl_count = [0; MAX_BITS + 1];
        let root = self.heap[self.heap_max];
        self.tree(kind).len[root] = 0;
        let mut h = self.heap_max + 1;
        while h < HEAP_SIZE {
            let n = self.heap[h];
            h += 1;
            let tree = self.tree(kind);
            let mut bits = usize::from(tree.len[usize::from(tree.dad[n])]) + 1;
            if bits > max_length {
                bits = max_length;
                overflow += 1;
            }
            tree.len[n] = bits as u16;
            if n > max_code {
                continue;
            }
            let f = u64::from(tree.freq[n]);
            self.bl_count[bits] += 1;
            let xbits = if n >= base {
                usize::from(extra[n - base])
            } else {
                0
            };
            self.opt_len = self.opt_len.wrapping_add(f * (bits + xbits) as u64);
            if let Some(sl) = self.static_len_of(kind, n) {
                self.static_len = self
                    .static_len
                    .wrapping_add(f * (usize::from(sl) + xbits) as u64);
            }
        }
        if overflow == 0 {
            return;
        }
        loop {
            let mut bits = max_length - 1;
            while self.bl_count[bits] == 0 {
                bits -= 1;
            }
            self.bl_count[bits] -= 1;
            self.bl_count[bits + 1] += 2;
            self.bl_count[max_length] -= 1;
            overflow -= 2;
            if overflow <= 0 {
                break;
            }
        }
        let mut h = HEAP_SIZE;
        for bits in (1..max_length + 1).rev() {
            let mut n = self.bl_count[bits];
            while n != 0 {
                h -= 1;
                let m = self.heap[h];
                if m > max_code {
                    continue;
                }
                let tree = match kind {
                    Kind::Lit => &mut self.ltree,
                    Kind::Dist => &mut self.dtree,
                    Kind::Bl => &mut self.bltree,
                };
                if usize::from(tree.len[m]) != bits {
                    let delta = (bits as i64 - i64::from(tree.len[m])) * i64::from(tree.freq[m]);
                    self.opt_len = self.opt_len.wrapping_add(delta as u64);
                    tree.len[m] = bits as u16;
                }
                n -= 1;
            }
        }
    }

    /// The code lengths of the literal or distance tree, with the bl tree (a field apart, so
    /// both can be borrowed at once).
    fn lengths_and_bl(&mut self, kind: Kind) -> (&mut Tree, &mut Tree) {
        match kind {
            Kind::Lit => (&mut self.ltree, &mut self.bltree),
            Kind::Dist => (&mut self.dtree, &mut self.bltree),
            Kind::Bl => unreachable!("the bl tree's own lengths are sent plainly"),
        }
    }

    /// `scan_tree`: counts the code-length codes needed to send a tree's lengths.
    fn scan_tree(&mut self, kind: Kind) {
        let (tree, bl) = self.lengths_and_bl(kind);
        tree.len[tree.max_code + 1] = 0xffff; // guard, read by send_tree too
        length_runs(&tree.len[..tree.max_code + 2], |run| match run {
            LengthRun::Plain { len, times } => bl.freq[usize::from(len)] += times as u16,
            LengthRun::Repeat { len, first, .. } => {
                if first {
                    bl.freq[usize::from(len)] += 1;
                }
                bl.freq[REP_3_6] += 1;
            }
            LengthRun::Zeros { count } if count <= 10 => bl.freq[REPZ_3_10] += 1,
            LengthRun::Zeros { .. } => bl.freq[REPZ_11_138] += 1,
        });
    }

    /// `send_tree`: a tree's code lengths, run-length coded with the bl tree.
    fn send_tree(&mut self, kind: Kind) {
        let (tree, bl) = match kind {
            Kind::Lit => (&self.ltree, &self.bltree),
            Kind::Dist => (&self.dtree, &self.bltree),
            Kind::Bl => unreachable!("the bl tree's own lengths are sent plainly"),
        };
        let out = &mut self.out;
        let mut send_bl = |c: usize, extra: u32, extra_bits: usize| {
            out.send(u32::from(bl.code[c]), usize::from(bl.len[c]));
            if extra_bits != 0 {
                out.send(extra, extra_bits);
            }
        };
        length_runs(&tree.len[..tree.max_code + 2], |run| match run {
            LengthRun::Plain { len, times } => {
                for _ in 0..times {
                    send_bl(usize::from(len), 0, 0);
                }
            }
            LengthRun::Repeat { len, first, count } => {
                if first {
                    send_bl(usize::from(len), 0, 0);
                }
                send_bl(REP_3_6, (count - 3) as u32, 2);
            }
            LengthRun::Zeros { count } if count <= 10 => {
                send_bl(REPZ_3_10, (count - 3) as u32, 3);
            }
            LengthRun::Zeros { count } => send_bl(REPZ_11_138, (count - 11) as u32, 7),
        });
    }

    fn build_bl_tree(&mut self) -> usize {
        self.scan_tree(Kind::Lit);
        self.scan_tree(Kind::Dist);
        self.build_tree(Kind::Bl);
        let mut max_blindex = BL_CODES - 1;
        while max_blindex >= 3 {
            if self.bltree.len[BL_ORDER[max_blindex]] != 0 {
                break;
            }
            max_blindex -= 1;
        }
        self.opt_len += 3 * (max_blindex as u64 + 1) + 5 + 5 + 4;
        max_blindex
    }

    fn send_all_trees(&mut self, lcodes: usize, dcodes: usize, blcodes: usize) {
        self.out.send((lcodes - 257) as u32, 5);
        self.out.send((dcodes - 1) as u32, 5);
        self.out.send((blcodes - 4) as u32, 4);
        for &i in BL_ORDER.iter().take(blcodes) {
            self.out.send(u32::from(self.bltree.len[i]), 3);
        }
        self.send_tree(Kind::Lit);
        self.send_tree(Kind::Dist);
    }

    fn compress_block(&mut self, fixed: bool) {
        let syms = std::mem::take(&mut self.syms);
        let (lcode, llen, dcode, dlen): (&[u16], &[u16], &[u16], &[u16]) = if fixed {
            (
                &self.st.ltree_code,
                &self.st.ltree_len,
                &self.st.dtree_code,
                &self.st.dtree_len,
            )
        } else {
            (
                &self.ltree.code,
                &self.ltree.len,
                &self.dtree.code,
                &self.dtree.len,
            )
        };
        let out = &mut self.out;
        for &(dist, lc) in &syms {
            let (dist, lc) = (usize::from(dist), usize::from(lc));
            if dist == 0 {
                out.send(u32::from(lcode[lc]), usize::from(llen[lc]));
            } else {
                let code = usize::from(self.st.length_code[lc]);
                out.send(
                    u32::from(lcode[code + LITERALS + 1]),
                    usize::from(llen[code + LITERALS + 1]),
                );
                let extra = usize::from(EXTRA_LBITS[code]);
                if extra != 0 {
                    out.send((lc - usize::from(self.st.base_length[code])) as u32, extra);
                }
                let d = dist - 1;
                let code = self.st.d_code(d);
                out.send(u32::from(dcode[code]), usize::from(dlen[code]));
                let extra = usize::from(EXTRA_DBITS[code]);
                if extra != 0 {
                    out.send((d - usize::from(self.st.base_dist[code])) as u32, extra);
                }
            }
        }
        out.send(u32::from(lcode[END_BLOCK]), usize::from(llen[END_BLOCK]));
        self.syms = syms;
    }

    fn tr_flush_block(&mut self, buf: Option<usize>, stored_len: usize, last: bool) {
        self.build_tree(Kind::Lit);
        self.build_tree(Kind::Dist);
        let max_blindex = self.build_bl_tree();
        let mut opt_lenb = (self.opt_len.wrapping_add(3 + 7)) >> 3;
        let static_lenb = (self.static_len.wrapping_add(3 + 7)) >> 3;
        if static_lenb <= opt_lenb {
            opt_lenb = static_lenb;
        }
        let last_bit = u32::from(last);
        match buf {
            Some(start) if stored_len as u64 + 4 <= opt_lenb => {
                // _tr_stored_block
                self.out.send(last_bit, 3);
                self.out.windup();
                let len = stored_len as u16;
                self.out.out.extend_from_slice(&len.to_le_bytes());
                self.out.out.extend_from_slice(&(!len).to_le_bytes());
                let bytes = &self.window[start..start + stored_len];
                self.out.out.extend_from_slice(bytes);
            }
            _ if static_lenb == opt_lenb => {
                self.out.send((1 << 1) + last_bit, 3);
                self.compress_block(true);
            }
            _ => {
                self.out.send((2 << 1) + last_bit, 3);
                let (l, d) = (self.ltree.max_code + 1, self.dtree.max_code + 1);
                self.send_all_trees(l, d, max_blindex + 1);
                self.compress_block(false);
            }
        }
        self.init_block();
        if last {
            self.out.windup();
        }
    }
}

// ---- inflate ---------------------------------------------------------------------------------

/// Bits of a code looked up at once; longer codes (rare by construction) are decoded bit by bit.
const FAST_BITS: u32 = 10;

/// A Huffman decoding table: for each `FAST_BITS`-bit window of input (least significant bit
/// first) the symbol and its code length as `symbol << 4 | length`, or 0 when the code is longer
/// than `FAST_BITS`; plus the canonical counts and sorted symbols for those longer codes.
struct Decoder {
    fast: [u16; 1 << FAST_BITS],
    /// How many bits index `fast`: the longest code, at most `FAST_BITS` (so a small tree
    /// fills a small table).
    fast_bits: u32,
    count: [u16; MAX_BITS + 1],
    symbols: [u16; L_CODES + 2],
}

impl Decoder {
    const fn empty() -> Decoder {
        Decoder {
            fast: [0; 1 << FAST_BITS],
            fast_bits: 0,
            count: [0; MAX_BITS + 1],
            symbols: [0; L_CODES + 2],
        }
    }

    /// Builds the table for code lengths `lens`. `None` unless the code is complete (neither
    /// over-subscribed nor leaving codes unused): the fast path leaves every other case, valid
    /// or not, to miniz_oxide.
    fn build(&mut self, lens: &[u8]) -> Option<()> {
        let mut codes = Codes::new();
        for (sym, &l) in lens.iter().enumerate() {
            codes.push(sym, l);
        }
        self.build_from(&codes)
    }

    /// [`Decoder::build`] for the nonzero code lengths in `codes`.
    fn build_from(&mut self, codes: &Codes) -> Option<()> {
        let count = &codes.count;
        let mut left: i32 = 1;
        for len in 1..=MAX_BITS {
            left = (left << 1) - i32::from(count[len]);
            if left < 0 {
                return None;
            }
        }
        if left != 0 {
            return None;
        }
        self.count = *count;
        self.count[0] = 0;
        let mut offs = [0u16; MAX_BITS + 2];
        for len in 1..=MAX_BITS {
            offs[len + 1] = offs[len] + count[len];
        }
        let mut next_code = [0u32; MAX_BITS + 2];
        let mut code = 0u32;
        for len in 1..=MAX_BITS {
            code = (code + u32::from(self.count[len - 1])) << 1;
            next_code[len] = code;
        }
        // count[0] is zero, so next_code[1] starts at 0 as canonical codes do.
        let longest = (1..=MAX_BITS).rev().find(|&l| count[l] != 0).unwrap_or(1) as u32;
        self.fast_bits = longest.min(FAST_BITS);
        let size = 1usize << self.fast_bits;
        if longest > FAST_BITS {
            // Windows that start a longer code stay 0; the others are all written below.
            self.fast.fill(0);
        }
        for &entry in &codes.used[..codes.n] {
            let (sym, l) = (entry >> 4, usize::from(entry & 15));
            self.symbols[usize::from(offs[l])] = sym;
            offs[l] += 1;
            let c = next_code[l];
            next_code[l] += 1;
            if l as u32 <= self.fast_bits {
                let rev = usize::from(bi_reverse(c, l));
                let mut i = rev;
                while i < size {
                    self.fast[i] = entry;
                    i += 1 << l;
                }
            }
        }
        Some(())
    }
}

/// The nonzero code lengths of a Huffman code, in symbol order, and how many codes there are of
/// each length: what [`Decoder::build_from`] needs, gathered as the lengths are read.
struct Codes {
    count: [u16; MAX_BITS + 1],
    /// `symbol << 4 | length`, the first `n`.
    used: [u16; L_CODES + 2],
    n: usize,
}

impl Codes {
    fn new() -> Codes {
        Codes {
            count: [0; MAX_BITS + 1],
            used: [0; L_CODES + 2],
            n: 0,
        }
    }

    /// Symbol `sym` (the next in order) has code length `len` (0: unused).
    #[inline(always)]
    fn push(&mut self, sym: usize, len: u8) {
        let len = len & 15;
        if len != 0 {
            self.count[usize::from(len)] += 1;
            self.used[self.n] = ((sym as u16) << 4) | u16::from(len);
            self.n += 1;
        }
    }
}

/// Least-significant-bit-first input. Reading past the end yields zero bits and is noticed
/// (`overrun`), which the caller turns into "not handled here".
struct BitReader<'a> {
    data: &'a [u8],
    pos: usize,
    buf: u64,
    bits: u32,
    overrun: bool,
}

impl BitReader<'_> {
    #[inline(always)]
    fn refill(&mut self) {
        if self.bits <= 56 {
            if let Some(word) = self.data.get(self.pos..self.pos + 8) {
                let w = u64::from_le_bytes(word.try_into().expect("8 bytes"));
                self.buf |= w << self.bits;
                let take = (63 - self.bits) / 8;
                self.pos += take as usize;
                self.bits += take * 8;
            } else {
                while self.bits <= 56 {
                    let byte = match self.data.get(self.pos) {
                        Some(&b) => b,
                        None => {
                            if self.pos >= self.data.len() + 8 {
                                self.overrun = true;
                            }
                            0
                        }
                    };
                    self.pos += 1;
                    self.buf |= u64::from(byte) << self.bits;
                    self.bits += 8;
                }
            }
        }
    }

    /// Up to 32 bits.
    #[inline(always)]
    fn take(&mut self, n: u32) -> u32 {
        self.refill();
        let v = (self.buf & ((1u64 << n) - 1)) as u32;
        self.buf >>= n;
        self.bits -= n;
        v
    }

    /// Drops the bits up to the next byte boundary and returns the position of that byte;
    /// the reader restarts there.
    fn align(&mut self) -> usize {
        let at = (self.pos * 8 - self.bits as usize).div_ceil(8);
        self.pos = at;
        self.buf = 0;
        self.bits = 0;
        at
    }

    #[inline(always)]
    fn decode(&mut self, d: &Decoder) -> usize {
        self.refill();
        let entry = d.fast[(self.buf & ((1 << d.fast_bits) - 1)) as usize];
        if entry != 0 {
            let len = u32::from(entry & 15);
            self.buf >>= len;
            self.bits -= len;
            return usize::from(entry >> 4);
        }
        // Canonical decoding, one bit at a time (puff.c's `decode`).
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for len in 1..=MAX_BITS {
            code |= (self.buf & 1) as i32;
            self.buf >>= 1;
            self.bits -= 1;
            let count = i32::from(d.count[len]);
            if code - first < count {
                return usize::from(d.symbols[(index + code - first) as usize]);
            }
            index += count;
            first += count;
            first <<= 1;
            code <<= 1;
        }
        // A complete code always ends above.
        usize::MAX
    }
}

/// The fixed literal/length and distance decoders (RFC 1951 §3.2.6).
fn fixed_decoders() -> &'static (Decoder, Decoder) {
    static FIXED: std::sync::OnceLock<Box<(Decoder, Decoder)>> = std::sync::OnceLock::new();
    FIXED.get_or_init(|| {
        let mut lit = Decoder::empty();
        let mut lens = [0u8; L_CODES + 2];
        for (n, l) in lens.iter_mut().enumerate() {
            *l = match n {
                0..=143 => 8,
                144..=255 => 9,
                256..=279 => 7,
                _ => 8,
            };
        }
        lit.build(&lens).expect("the fixed code is complete");
        let mut dist = Decoder::empty();
        // 32 five-bit codes: complete (30 and 31 never occur in valid data).
        dist.build(&[5u8; 32]).expect("the fixed code is complete");
        Box::new((lit, dist))
    })
}

const LENGTH_BASE: [u16; LENGTH_CODES] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const DIST_BASE: [u16; D_CODES] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];

/// The decoders of dynamic blocks, kept per thread (about 8 KiB) rather than rebuilt.
struct Dynamic {
    lit: Decoder,
    dist: Decoder,
    lens: Decoder,
}

thread_local! {
    static DYNAMIC: std::cell::RefCell<Option<Box<Dynamic>>> =
        const { std::cell::RefCell::new(None) };
}

/// Why hand-written beside miniz_oxide: verifying a session cookie inflates a few dozen bytes,
/// and miniz_oxide rebuilds its decoding tables and state on every call (about 7 µs of a 3 KB
/// session's verify, issue 8's budget is about 1 µs for all of it). This path handles only the
/// common case; miniz_oxide stays the decoder of record for everything else, and
/// `tests/engine_fast_paths.rs` checks that whatever this accepts, miniz_oxide decodes alike.
///
/// `zlib.decompress(data)` for the streams that occur in practice: a well-formed zlib stream
/// whose Huffman codes are all complete and that inflates to at most `limit` bytes, appended to
/// `out`. Returns `false` (leaving `out` in any state) for everything else, valid or not, so the
/// caller can hand those to a general decoder for its exact verdict. When it returns `true`, `out`
/// holds the stream's content and its Adler-32 matched: what any correct inflater returns.
pub fn inflate_common(data: &[u8], limit: usize, out: &mut Vec<u8>) -> bool {
    let mut dynamic = DYNAMIC.with(|d| d.borrow_mut().take()).unwrap_or_else(|| {
        Box::new(Dynamic {
            lit: Decoder::empty(),
            dist: Decoder::empty(),
            lens: Decoder::empty(),
        })
    });
    let start = out.len();
    let trailer = inflate_blocks(data, start + limit, out, &mut dynamic);
    DYNAMIC.with(|d| *d.borrow_mut() = Some(dynamic));
    match trailer.and_then(|at| data.get(at..at + 4)) {
        Some(sum) => sum == adler32(&out[start..]).to_be_bytes(),
        None => false,
    }
}

/// The zlib header and the deflate blocks; returns where the Adler-32 trailer starts.
fn inflate_blocks(data: &[u8], limit: usize, out: &mut Vec<u8>, dy: &mut Dynamic) -> Option<usize> {
    let (&cmf, &flg) = (data.first()?, data.get(1)?);
    // Deflate, a window of at most 32 KiB, the check bits right, no preset dictionary.
    if cmf & 0x0f != 8 || cmf >> 4 > 7 || (u16::from(cmf) << 8 | u16::from(flg)) % 31 != 0 {
        return None;
    }
    if flg & 0x20 != 0 {
        return None;
    }
    let mut r = BitReader {
        data,
        pos: 2,
        buf: 0,
        bits: 0,
        overrun: false,
    };
    loop {
        let last = r.take(1) == 1;
        match r.take(2) {
            0 => {
                let at = r.align();
                let head = data.get(at..at + 4)?;
                let len = u16::from_le_bytes([head[0], head[1]]);
                if u16::from_le_bytes([head[2], head[3]]) != !len {
                    return None;
                }
                let bytes = data.get(at + 4..at + 4 + usize::from(len))?;
                if out.len() + bytes.len() > limit {
                    return None;
                }
                out.extend_from_slice(bytes);
                r.pos = at + 4 + usize::from(len);
            }
            1 => {
                let (lit, dist) = fixed_decoders();
                codes(&mut r, lit, dist, limit, out)?;
            }
            2 => {
                read_dynamic(&mut r, dy)?;
                codes(&mut r, &dy.lit, &dy.dist, limit, out)?;
            }
            _ => return None,
        }
        if r.overrun {
            return None;
        }
        if last {
            return Some(r.align());
        }
    }
}

/// A dynamic block's header: the code-length code, then the literal/length and distance code
/// lengths, into `dy.lit` and `dy.dist`.
fn read_dynamic(r: &mut BitReader<'_>, dy: &mut Dynamic) -> Option<()> {
    let nlen = r.take(5) as usize + 257;
    let ndist = r.take(5) as usize + 1;
    let ncode = r.take(4) as usize + 4;
    if nlen > L_CODES || ndist > D_CODES {
        return None;
    }
    let mut cl = [0u8; BL_CODES];
    for &i in BL_ORDER.iter().take(ncode) {
        cl[i] = r.take(3) as u8;
    }
    dy.lens.build(&cl)?;
    // The lengths are gathered per code as they are read, so building the two decoders looks
    // only at the codes used, not at every symbol.
    let mut lit = Codes::new();
    let mut dist = Codes::new();
    let (mut n, mut prev, mut has_end) = (0, None, false);
    while n < nlen + ndist {
        let sym = r.decode(&dy.lens);
        let (value, repeat) = match sym {
            0..=15 => (sym as u8, 1),
            16 => (prev?, 3 + r.take(2) as usize),
            17 => (0, 3 + r.take(3) as usize),
            18 => (0, 11 + r.take(7) as usize),
            _ => return None,
        };
        if n + repeat > nlen + ndist || r.overrun {
            return None;
        }
        if value != 0 {
            has_end |= (n..n + repeat).contains(&END_BLOCK);
            for k in n..n + repeat {
                match k.checked_sub(nlen) {
                    None => lit.push(k, value),
                    Some(d) => dist.push(d, value),
                }
            }
        }
        prev = Some(value);
        n += repeat;
    }
    // Without an end-of-block code the block cannot end.
    if !has_end {
        return None;
    }
    dy.lit.build_from(&lit)?;
    dy.dist.build_from(&dist)
}

/// Decodes literals and matches up to the end of the block.
fn codes(
    r: &mut BitReader<'_>,
    lit: &Decoder,
    dist: &Decoder,
    limit: usize,
    out: &mut Vec<u8>,
) -> Option<()> {
    loop {
        let sym = r.decode(lit);
        if sym < LITERALS {
            if out.len() >= limit || r.overrun {
                return None;
            }
            out.push(sym as u8);
            continue;
        }
        if sym == END_BLOCK {
            return Some(());
        }
        let code = sym.checked_sub(LITERALS + 1)?;
        if code >= LENGTH_CODES {
            return None;
        }
        let len = usize::from(LENGTH_BASE[code]) + r.take(u32::from(EXTRA_LBITS[code])) as usize;
        let dcode = r.decode(dist);
        if dcode >= D_CODES {
            return None;
        }
        let d = usize::from(DIST_BASE[dcode]) + r.take(u32::from(EXTRA_DBITS[dcode])) as usize;
        if d > out.len() || out.len() + len > limit || r.overrun {
            return None;
        }
        copy_match(out, d, len);
    }
}

/// Appends `len` bytes copied from `d` bytes back (`1 <= d <= out.len()`), the source
/// overlapping what is written when `d < len`, as deflate's matches do.
#[inline(always)]
fn copy_match(out: &mut Vec<u8>, d: usize, len: usize) {
    const CHUNK: usize = 32;
    let start = out.len();
    let from = start - d;
    if len <= 16 {
        // Short matches (most of them): byte by byte, which also handles overlap.
        out.reserve(len);
        for k in from..from + len {
            let b = out[k];
            out.push(b);
        }
        return;
    }
    if d >= len {
        out.extend_from_within(from..from + len);
        return;
    }
    let end = start + len;
    out.resize(end, 0);
    let buf = &mut out[..];
    let mut k = start;
    if d < CHUNK {
        // A short period: the output repeats `d` bytes. Lay CHUNK bytes of that out once (the
        // period, then doubled), then write them at steps of the largest multiple of `d` that
        // fits, where the period lines up again.
        let mut pattern = [0u8; CHUNK];
        pattern[..d].copy_from_slice(&buf[from..start]);
        let mut filled = d;
        while filled < CHUNK {
            let n = filled.min(CHUNK - filled);
            pattern.copy_within(..n, filled);
            filled += n;
        }
        let step = CHUNK / d * d;
        while k + CHUNK <= end {
            buf[k..k + CHUNK].copy_from_slice(&pattern);
            k += step;
        }
        let rest = end - k;
        buf[k..end].copy_from_slice(&pattern[..rest]);
        return;
    }
    // Chunks of CHUNK bytes copied from `d >= CHUNK` back never overlap their source.
    while k + CHUNK <= end {
        let (src, dst) = buf.split_at_mut(k);
        let chunk: &[u8; CHUNK] = src[k - d..k - d + CHUNK].try_into().expect("CHUNK bytes");
        dst[..CHUNK].copy_from_slice(chunk);
        k += CHUNK;
    }
    while k < end {
        buf[k] = buf[k - d];
        k += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_cpython_zlib_on_reference_payloads() {
        // Payload segments of vectors.json (made by Flask on CPython 3.11 / zlib 1.2.13).
        let cases = [
            (
                r#"{"k":"aaaaaaaaaaaa"}"#,
                "eJyrVspWslJKRAJKtQBDAway",
            ),
            (
                r#"{"_flashes":[{" t":["message","Hello"]},{" t":["error","Bad thing"]}]}"#,
                "eJyrVopPy0kszkgtVrKKrlZSKAFSSrmpxcWJ6alKOkoeqTk5-UqxtTowqdSiovwioIRTYopCSUZmXjpQMrYWACdfFtA",
            ),
        ];
        for (json, b64) in cases {
            let want = crate::engine::itsdangerous::pybase64::urlsafe_decode(b64).unwrap();
            assert_eq!(compress(json.as_bytes()), want, "{json}");
        }
    }

    /// The inputs of `zlib_reference_digest`, generated the same way in Python.
    fn generated(i: u64, n: usize, k: u64) -> Vec<u8> {
        const WORDS: [&[u8]; 14] = [
            b"session", b"user", b"\"id\":", b"cart", b"{", b"}", b"42", b",", b"Ada", b"visits",
            b" ", b"true", b"price", b"9.99",
        ];
        let mut x = i.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(12345);
        let mut out = Vec::with_capacity(n + 8);
        while out.len() < n {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let v = x >> 33;
            match k {
                0 => out.extend_from_slice(WORDS[(v % WORDS.len() as u64) as usize]),
                256 => out.push(v as u8),
                _ => out.push(32 + (v % k) as u8),
            }
        }
        out.truncate(n);
        out
    }

    fn generated_cases() -> Vec<(u64, usize, u64)> {
        let lens = [
            0, 1, 2, 3, 4, 5, 8, 13, 20, 33, 49, 64, 100, 257, 262, 263, 300, 500, 1000, 2000,
            3006, 4096, 5000, 10000,
        ];
        let mut cases = Vec::new();
        for n in lens {
            for k in [2, 3, 10, 95, 256, 0] {
                cases.push((cases.len() as u64, n, k));
            }
        }
        for n in [40_000, 70_000, 140_000] {
            for k in [3, 256, 0] {
                cases.push((cases.len() as u64, n, k));
            }
        }
        cases
    }

    #[test]
    fn reused_state_matches_cpython_zlib_on_generated_inputs() {
        // SHA-1 of CPython 3.11 / zlib 1.2.13's `zlib.compress` of the 153 generated inputs,
        // largest first then smallest first (so the reused state goes from big to small and
        // back, window slides included), made with the same generator in Python.
        use sha1::{Digest, Sha1};
        let cases = generated_cases();
        assert_eq!(cases.len(), 153);
        let mut digest = Sha1::new();
        for &(i, n, k) in cases.iter().rev().chain(&cases) {
            digest.update(compress(&generated(i, n, k)));
        }
        let hex: String = digest
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(hex, "4a6602ab7baae871da56e1971099fadfb8e606b7");
    }

    #[test]
    fn reused_state_equals_fresh_state_in_any_order() {
        fn fresh(data: &[u8]) -> Vec<u8> {
            let mut d = Deflate::new();
            d.reset();
            d.init_block();
            d.deflate_slow(data);
            d.out.out.extend_from_slice(&adler32(data).to_be_bytes());
            d.out.out
        }
        let cases = generated_cases();
        // A fixed shuffle: small and large interleaved, each input twice.
        let mut order: Vec<usize> = (0..cases.len()).chain(0..cases.len()).collect();
        let mut x = 7u64;
        for i in (1..order.len()).rev() {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            order.swap(i, (x >> 33) as usize % (i + 1));
        }
        for i in order {
            let (i, n, k) = cases[i];
            let data = generated(i, n, k);
            let z = compress(&data);
            assert_eq!(z, fresh(&data), "case {i} ({n} bytes, k {k})");
            assert_eq!(compress(&data), z, "twice, case {i}");
            assert_eq!(
                miniz_oxide::inflate::decompress_to_vec_zlib(&z).unwrap(),
                data
            );
        }
    }

    #[test]
    fn size_lower_bound_never_exceeds_zlibs_size() {
        // The bound lets the signer skip encoding; it must never claim more than zlib writes.
        // For each input, ask to skip only if the output could not be shorter than its true
        // length plus one: a sound bound never skips then.
        let mut x = 99u64;
        let mut next = || {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            x >> 33
        };
        let mut tight = 0;
        let cases = 6000;
        for case in 0..cases {
            let n = 1 + (next() % 200) as usize;
            let data: Vec<u8> = match case % 6 {
                // Highly repetitive: a short period, sometimes with a few changes.
                0 => {
                    let p = 1 + (next() % 5) as usize;
                    let unit: Vec<u8> = (0..p).map(|_| b'a' + (next() % 3) as u8).collect();
                    let mut v: Vec<u8> = unit.iter().copied().cycle().take(n).collect();
                    for _ in 0..next() % 3 {
                        let i = (next() as usize) % n;
                        v[i] = next() as u8;
                    }
                    v
                }
                1 => generated(next(), n, 0),
                2 => (0..n).map(|_| b'a' + (next() % 2) as u8).collect(),
                3 => (0..n).map(|_| 32 + (next() % 95) as u8).collect(),
                4 => (0..n).map(|_| next() as u8).collect(),
                _ => (0..n).map(|_| b'0' + (next() % 10) as u8).collect(),
            };
            let actual = compress(&data).len();
            let kept = with_compressed_below(&data, actual + 1, |c| c.map(<[u8]>::to_vec));
            assert_eq!(kept.as_deref(), Some(&compress(&data)[..]), "{data:?}");
            if with_compressed_below(&data, actual, |c| c.is_none()) {
                tight += 1;
            }
        }
        // The bound is useful, not just sound: it is exact for a good share of inputs.
        assert!(tight > cases / 10, "{tight}");
    }

    #[test]
    fn empty_input_and_inflate_round_trip() {
        // zlib.compress(b"") == b"x\x9c\x03\x00\x00\x00\x00\x01"
        assert_eq!(compress(b""), [0x78, 0x9c, 3, 0, 0, 0, 0, 1]);
        let data: Vec<u8> = (0..200_000u32)
            .map(|i| (i * 7 % 251) as u8 ^ (i >> 9) as u8)
            .collect();
        let z = compress(&data);
        assert_eq!(
            miniz_oxide::inflate::decompress_to_vec_zlib(&z).unwrap(),
            data
        );
    }
}
