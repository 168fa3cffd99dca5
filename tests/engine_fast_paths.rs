#![cfg(not(target_arch = "wasm32"))]
//! The engine's fast paths against the general code they shortcut: the signer's "not worth
//! compressing" proof against the full compressor, and the common-case inflater against
//! miniz_oxide, on random inputs (highly repetitive ones included) and damaged streams.

use proptest::prelude::*;
use session_lab::engine::itsdangerous::zlib::{compress, inflate_common, with_compressed_below};

/// Short inputs of every kind: random bytes, small alphabets, and short periods (which compress
/// well even when short).
fn short_input() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300),
        proptest::collection::vec(prop_oneof![Just(b'a'), Just(b'b'), Just(b'"')], 0..300),
        proptest::collection::vec(32u8..127, 0..300),
        (proptest::collection::vec(any::<u8>(), 1..6), 0usize..400).prop_map(|(unit, n)| unit
            .iter()
            .copied()
            .cycle()
            .take(n)
            .collect()),
        "[a-z_\":,{}0-9 ]{0,200}".prop_map(String::into_bytes),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    /// Skipping is only ever a proven "the output is at least `below` long".
    #[test]
    fn skipping_compression_is_proven(data in short_input(), slack in 0usize..40) {
        let full = compress(&data);
        // Around the true length, where a loose proof would show.
        let below = (full.len() + 1).saturating_sub(slack).max(1);
        let got = with_compressed_below(&data, below, |c| c.map(<[u8]>::to_vec));
        match got {
            None => prop_assert!(full.len() >= below, "skipped, yet {} < {below}", full.len()),
            Some(c) => prop_assert_eq!(c, full),
        }
    }

    /// The signer's own threshold: itsdangerous keeps zlib's output if shorter than len - 1.
    #[test]
    fn skipping_never_changes_the_signers_choice(data in short_input()) {
        let below = data.len().saturating_sub(1).max(1);
        let keep = |c: Option<&[u8]>| c.is_some_and(|c| c.len() < data.len().saturating_sub(1));
        prop_assert_eq!(
            with_compressed_below(&data, below, keep),
            compress(&data).len() < data.len().saturating_sub(1)
        );
    }

    /// What the fast inflater accepts, miniz_oxide accepts with the same bytes; zlib's own
    /// streams are all accepted.
    #[test]
    fn inflater_agrees_with_miniz(
        data in short_input(),
        flips in proptest::collection::vec((any::<usize>(), 0u8..8), 0..3),
        cut in any::<usize>(),
        truncate in any::<bool>(),
    ) {
        let mut z = compress(&data);
        let mut out = Vec::new();
        prop_assert!(inflate_common(&z, 1 << 20, &mut out));
        prop_assert_eq!(&out, &data);
        for (at, bit) in &flips {
            let i = at % z.len();
            z[i] ^= 1 << bit;
        }
        if truncate {
            z.truncate(cut % (z.len() + 1));
        }
        let mut out = Vec::new();
        if inflate_common(&z, 1 << 20, &mut out) {
            let miniz = miniz_oxide::inflate::decompress_to_vec_zlib(&z);
            prop_assert_eq!(miniz.ok(), Some(out));
        }
    }
}

#[test]
fn inflater_handles_stored_and_large_streams() {
    // Incompressible bytes make stored blocks; 200 KB makes several blocks and far matches.
    let mut x = 5u64;
    let noise: Vec<u8> = (0..70_000)
        .map(|_| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (x >> 56) as u8
        })
        .collect();
    let text: Vec<u8> = (0..200_000u32)
        .map(|i| (i * 7 % 251) as u8 ^ (i >> 9) as u8)
        .collect();
    for data in [noise, text] {
        let z = compress(&data);
        let mut out = Vec::new();
        assert!(inflate_common(&z, 1 << 20, &mut out));
        assert_eq!(out, data);
        // Over the limit: left to the general decoder.
        assert!(!inflate_common(&z, data.len() - 1, &mut Vec::new()));
    }
}

#[test]
fn inflater_copies_matches_of_every_period() {
    // Periods 1..=70 (below, at and above the copy's 16- and 32-byte chunks), short and long
    // runs, after a prefix of distinct bytes so matches also reach back into other data.
    for period in 1..=70usize {
        for run in [3usize, 15, 16, 17, 31, 33, 64, 258, 300, 1000] {
            let mut data: Vec<u8> = (0..40u8).map(|i| i.wrapping_mul(37)).collect();
            let unit: Vec<u8> = (0..period).map(|i| b'a' + (i % 26) as u8).collect();
            data.extend(unit.iter().copied().cycle().take(period + run));
            data.extend_from_slice(b"tail");
            let z = compress(&data);
            let mut out = Vec::new();
            assert!(inflate_common(&z, 1 << 20, &mut out), "{period} {run}");
            assert_eq!(out, data, "{period} {run}");
        }
    }
}

#[test]
fn all_literal_inputs_skip_exactly_as_the_full_compressor_decides() {
    // Inputs with no repeated three bytes (the signer's shortcut) of every length up to past
    // its limit, over thresholds around the true length.
    for n in 1..300usize {
        let data: Vec<u8> = (0..n).map(|i| (i * 7 % 251) as u8).collect();
        let full = compress(&data);
        for below in full.len().saturating_sub(3).max(1)..full.len() + 3 {
            match with_compressed_below(&data, below, |c| c.map(<[u8]>::to_vec)) {
                None => assert!(full.len() >= below, "{n} {below}"),
                Some(c) => assert_eq!(c, full, "{n} {below}"),
            }
        }
    }
}
