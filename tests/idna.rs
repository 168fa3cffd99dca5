//! The engine's copy of Python's `idna` codec and of Werkzeug's `iri_to_uri` against what
//! Python 3.11.7 and Werkzeug 3.1.9 computed (tests/fixtures/idna.json, made by
//! tests/fixtures/idna_vectors.py): several hundred hosts, URLs with hosts, ports, user info and
//! brackets, and the stringprep tables the codec reads, compared over every code point.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::read_fixture;
use serde::Deserialize;
use session_lab::engine::werkzeug::urls::idna::{self, tables, MAPPED, NETLOC_BREAKERS};
use session_lab::engine::werkzeug::urls::try_iri_to_uri;
use std::collections::BTreeMap;
use std::sync::OnceLock;

#[derive(Deserialize)]
struct Fixture {
    hosts: Vec<(String, Option<String>, Option<String>)>,
    urls: Vec<(String, Option<String>, Option<String>)>,
    tables: Tables,
}

#[derive(Deserialize)]
struct Tables {
    b1: Vec<u32>,
    mapped_ranges: Vec<(u32, u32)>,
    nameprep_map: Vec<(u32, String)>,
    prohibited: Vec<(u32, u32)>,
    randal: Vec<(u32, u32)>,
    l: Vec<(u32, u32)>,
    netloc_breakers: Vec<u32>,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| read_fixture("idna.json"))
}

/// Every character (surrogates cannot be one).
fn all_chars() -> impl Iterator<Item = char> {
    (0..=0x10FFFF).filter_map(char::from_u32)
}

fn in_runs(runs: &[(u32, u32)], c: char) -> bool {
    runs.iter().any(|&(a, b)| (a..=b).contains(&(c as u32)))
}

/// Fails, with every difference, unless `ours` gives for each of the fixture's `entries` (an
/// input, and what `reference` gave for it: its output or its error) what `reference` gave.
fn assert_agrees(
    entries: &[(String, Option<String>, Option<String>)],
    reference: &str,
    ours: impl Fn(&str) -> Result<String, String>,
) {
    let mut wrong = Vec::new();
    for (input, want, error) in entries {
        let got = ours(input);
        let want = match (want, error) {
            (Some(w), None) => Ok(w.clone()),
            (None, Some(e)) => Err(e.clone()),
            other => panic!("a bad fixture entry for {input:?}: {other:?}"),
        };
        if got != want {
            wrong.push(format!("{input:?}: got {got:?}, {reference} {want:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn hosts_encode_as_python_encodes_them() {
    let f = fixture();
    assert!(f.hosts.len() > 300, "{} hosts", f.hosts.len());
    assert_agrees(&f.hosts, "Python", |host| {
        idna::encode(host).map_err(|e| {
            format!("UnicodeError: encoding with 'idna' codec failed (UnicodeError: {e})")
        })
    });
}

#[test]
fn urls_become_what_werkzeug_sends() {
    assert_agrees(&fixture().urls, "Werkzeug", try_iri_to_uri);
}

#[test]
fn the_stringprep_tables_are_pythons() {
    let t = &fixture().tables;
    assert_eq!(tables::b1(), t.b1);
    let mut wrong = Vec::new();
    for c in all_chars() {
        for (name, ours, python) in [
            (
                "prohibited",
                tables::prohibited(c),
                in_runs(&t.prohibited, c),
            ),
            ("RandAL", tables::rand_al(c), in_runs(&t.randal, c)),
            ("L", tables::l(c), in_runs(&t.l, c)),
        ] {
            if ours != python {
                wrong.push(format!(
                    "U+{:04X} {name}: ours {ours}, Python {python}",
                    c as u32
                ));
            }
        }
    }
    let breakers: Vec<u32> = NETLOC_BREAKERS.iter().map(|&u| u32::from(u)).collect();
    assert_eq!(breakers, t.netloc_breakers);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn one_character_maps_as_nameprep_maps_it_in_the_mapped_ranges() {
    let t = &fixture().tables;
    assert_eq!(MAPPED.to_vec(), t.mapped_ranges);
    let python: BTreeMap<u32, &str> = t
        .nameprep_map
        .iter()
        .map(|(cp, s)| (*cp, s.as_str()))
        .collect();
    let mut wrong = Vec::new();
    for c in all_chars().filter(|&c| in_runs(&t.mapped_ranges, c)) {
        let mut ours = String::new();
        idna::map_char(c, &mut ours);
        // Where the fixture has no entry, Python's mapping is `str.lower()`, which the engine's
        // `case::lower` reproduces (src/engine/py/case.rs checks that).
        let lower = session_lab::engine::py::case::lower(&c.to_string());
        let want = python.get(&(c as u32)).copied().unwrap_or(&lower);
        if ours != want {
            wrong.push(format!(
                "U+{:04X}: ours {ours:?}, Python {want:?}",
                c as u32
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn punycode_is_rfc_3492s() {
    // RFC 3492 section 7.1's samples (A, B, L) and two edges; Python's
    // `codecs.encode(text, "punycode")` gives these same bytes (measured with the venv).
    let arabic = "\u{0644}\u{064A}\u{0647}\u{0645}\u{0627}\u{0628}\u{062A}\u{0643}\u{0644}\
                  \u{0645}\u{0648}\u{0634}\u{0639}\u{0631}\u{0628}\u{064A}\u{061F}";
    assert_eq!(idna::punycode(arabic), "egbpdaj6bu4bxfgehfvwxn");
    let chinese = "\u{4ED6}\u{4EEC}\u{4E3A}\u{4EC0}\u{4E48}\u{4E0D}\u{8BF4}\u{4E2D}\u{6587}";
    assert_eq!(idna::punycode(chinese), "ihqwcrb4cv8a8dqg056pqjye");
    assert_eq!(idna::punycode("3年b組金八先生"), "3b-ww4c5e180e575a65lsy2b");
    assert_eq!(idna::punycode("abc"), "abc-");
    assert_eq!(idna::punycode(""), "");
}

#[test]
fn long_and_odd_hosts_are_refused_without_panicking() {
    let long = "é".repeat(100_000);
    assert_eq!(idna::encode(&long), Err("label empty or too long".into()));
    let many_dots = "é.".repeat(10_000);
    assert!(idna::encode(&many_dots).is_ok());
    for host in [
        "\u{10FFFF}",
        "\u{E0100}",
        "a\u{0300}\u{0300}",
        "\u{FFFF}.\u{FFFE}",
    ] {
        let _ = idna::encode(host);
    }
}
