//! The cracker's physical limit, natively (release build): the cost of one SHA-1 compression
//! (`sha1::compress`, with the CPU's SHA instructions where it has them) and how many a
//! candidate key costs against a given cookie. A benchmark, not a test.
//!
//!     cargo run --release --example crack_bench -- COOKIE
//!
//! Prints one JSON line: `ns_per_compression` (median of 7 batches), `compressions_per_key`,
//! `limit_keys_per_s` (one core, nothing but compressions) and `engine_keys_per_s` (the median
//! rate of `Target::try_key` over 100,000 candidates, no I/O).

use session_lab::engine::itsdangerous::crack::Target;
use sha1::digest::generic_array::GenericArray;
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let cookie = std::env::args().nth(1).expect("usage: crack_bench COOKIE");
    let target = Target::flask_session(&cookie).expect("a signed cookie");
    let blocks = [GenericArray::clone_from_slice(&[0x5au8; 64])];
    // Four independent chains, as a candidate's two HMACs give the CPU: the cost of a
    // compression when they overlap (its throughput, not its latency).
    let iv = [
        0x6745_2301u32,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let mut states = [iv; 4];
    let n = 500_000u32;
    let mut batches: Vec<f64> = (0..7)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..n {
                for state in states.iter_mut() {
                    sha1::compress(black_box(state), black_box(&blocks));
                }
            }
            start.elapsed().as_nanos() as f64 / f64::from(n * 4)
        })
        .collect();
    black_box(states);
    batches.sort_by(f64::total_cmp);
    let ns = batches[batches.len() / 2];
    let per_key = target.compressions_per_key();
    // The engine alone, no I/O: keys like a wordlist's (16 bytes), none of them the secret.
    let keys: Vec<[u8; 16]> = (0..100_000u32)
        .map(|i| {
            let mut k = *b"candidate-000000";
            k[10..].copy_from_slice(format!("{i:06}").as_bytes());
            k
        })
        .collect();
    let mut rates: Vec<f64> = (0..7)
        .map(|_| {
            let start = Instant::now();
            let found = keys
                .iter()
                .filter(|k| target.try_key(black_box(&k[..])))
                .count();
            black_box(found);
            keys.len() as f64 / start.elapsed().as_secs_f64()
        })
        .collect();
    rates.sort_by(f64::total_cmp);
    let slices: Vec<&[u8]> = keys.iter().map(|k| &k[..]).collect();
    let mut many: Vec<f64> = (0..7)
        .map(|_| {
            let start = Instant::now();
            let found = slices
                .chunks(1024)
                .filter_map(|chunk| target.try_many(black_box(chunk)))
                .count();
            black_box(found);
            keys.len() as f64 / start.elapsed().as_secs_f64()
        })
        .collect();
    many.sort_by(f64::total_cmp);
    println!(
        "{{\"ns_per_compression\": {ns:.3}, \"compressions_per_key\": {per_key}, \"limit_keys_per_s\": {:.0}, \"engine_keys_per_s\": {:.0}, \"engine_many_keys_per_s\": {:.0}}}",
        1e9 / (ns * per_key as f64),
        rates[rates.len() / 2],
        many[many.len() / 2]
    );
}
