//! The case tables of `src/engine/py/case.rs` are what the standard library's
//! `char::to_lowercase`, `char::to_uppercase` and final-sigma rule say today, written by this
//! generator. When a toolchain update changes Unicode, this fails; run
//! `SESSION_LAB_BLESS=1 cargo test --test case_tables` to rewrite them (then the exhaustive
//! tests in case.rs check every character again).

use std::fmt::Write;

const CASE_RS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/engine/py/case.rs");
const BEGIN: &str = "/// `char::to_lowercase` mapping one character to another";

/// The table source, as case.rs holds it from [`BEGIN`] to the end of `CASE_IGNORABLE`.
fn tables() -> String {
    let mut src = String::new();
    for (name, f) in [("LOWER", 0), ("UPPER", 1)] {
        let mut runs: Vec<(u32, u32, i64, u32)> = vec![];
        let mut multi = vec![];
        for cp in 0..=0x10FFFFu32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let m: Vec<char> = if f == 0 {
                c.to_lowercase().collect()
            } else {
                c.to_uppercase().collect()
            };
            if m.len() > 1 {
                multi.push((cp, m));
                continue;
            }
            let d = m[0] as i64 - cp as i64;
            if d == 0 {
                continue;
            }
            if let Some(last) = runs.last_mut() {
                let (s, n, ld, st) = *last;
                let lastcp = s + (n - 1) * st;
                if ld == d && ((n == 1 && cp - lastcp <= 2) || (n > 1 && cp - lastcp == st)) {
                    if n == 1 {
                        last.3 = cp - lastcp;
                    }
                    last.1 += 1;
                    continue;
                }
            }
            runs.push((cp, 1, d, 1));
        }
        writeln!(src, "/// `char::to_{}case` mapping one character to another: `(first << 8 | count << 1 | stride - 1, delta)`, sorted.", name.to_lowercase()).unwrap();
        writeln!(
            src,
            "#[rustfmt::skip]\nconst {name}: [(u32, i32); {}] = [",
            runs.len()
        )
        .unwrap();
        for (i, (s, n, d, st)) in runs.iter().enumerate() {
            assert!(*n < 128 && (*st == 1 || *st == 2));
            let st = if *n == 1 { 1 } else { *st };
            write!(src, "(0x{:x}, {d}),", s << 8 | n << 1 | (st - 1)).unwrap();
            if i % 6 == 5 {
                src.push('\n');
            } else {
                src.push(' ');
            }
        }
        src.push_str("\n];\n");
        writeln!(
            src,
            "/// `char::to_{}case` mapping one character to several (`\\0` pads).",
            name.to_lowercase()
        )
        .unwrap();
        writeln!(
            src,
            "#[rustfmt::skip]\nconst {name}_MULTI: [(u16, [u16; 3]); {}] = [",
            multi.len()
        )
        .unwrap();
        for (i, (cp, m)) in multi.iter().enumerate() {
            assert!(*cp < 0x10000 && m.len() <= 3);
            let mut a = [0u32; 3];
            for (k, c) in m.iter().enumerate() {
                assert!((*c as u32) < 0x10000 && *c != '\0');
                a[k] = *c as u32;
            }
            write!(
                src,
                "(0x{cp:x}, [0x{:x}, 0x{:x}, 0x{:x}]),",
                a[0], a[1], a[2]
            )
            .unwrap();
            if i % 3 == 2 {
                src.push('\n');
            } else {
                src.push(' ');
            }
        }
        src.push_str("\n];\n");
    }
    let mut ign: Vec<(u32, u32)> = vec![];
    for cp in 0..=0x10FFFFu32 {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        let p1 = format!("{c}Σ").to_lowercase().ends_with('ς');
        let p3 = format!("A{c}Σ").to_lowercase().ends_with('ς');
        if p3 && !p1 {
            match ign.last_mut() {
                Some(l) if l.1 + 1 == cp => l.1 = cp,
                _ => ign.push((cp, cp)),
            }
        }
    }
    writeln!(
        src,
        "/// Unicode's `Case_Ignorable` characters, as `first << 8 | count - 1`, sorted."
    )
    .unwrap();
    writeln!(
        src,
        "#[rustfmt::skip]\nconst CASE_IGNORABLE: [u32; {}] = [",
        ign.len()
    )
    .unwrap();
    for (i, (a, b)) in ign.iter().enumerate() {
        assert!(b - a < 256);
        write!(src, "0x{:x},", a << 8 | (b - a)).unwrap();
        if i % 8 == 7 {
            src.push('\n');
        } else {
            src.push(' ');
        }
    }
    src.push_str("\n];\n");
    src
}

#[test]
fn case_rs_holds_the_tables_the_standard_library_implies() {
    let current = std::fs::read_to_string(CASE_RS).expect("read case.rs");
    let wanted = tables();
    let start = current.find(BEGIN).expect("case.rs has its tables");
    let end_marker = "const CASE_IGNORABLE";
    let end = start
        + current[start..].find(end_marker).expect("CASE_IGNORABLE")
        + current[start..][current[start..].find(end_marker).unwrap()..]
            .find("\n];\n")
            .expect("the table closes")
        + "\n];\n".len();
    if std::env::var_os("SESSION_LAB_BLESS").is_some() {
        let mut updated = current.clone();
        updated.replace_range(start..end, &wanted);
        std::fs::write(CASE_RS, updated).expect("write case.rs");
        return;
    }
    assert!(
        current[start..end] == wanted,
        "case.rs's tables are out of date: run `SESSION_LAB_BLESS=1 cargo test --test case_tables`"
    );
}
