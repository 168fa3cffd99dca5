//! Python's `repr(float)`, which is also the text `json.dumps` writes for a float.
//!
//! Written by hand: CPython picks the shortest round-tripping digits with ties to even, and
//! Rust's own shortest formatting can choose the other neighbour on a tie.

/// The shortest decimal digits that read back as `a` (positive, finite), and the exponent of
/// the first digit, as CPython's `repr` picks them (David Gay's `dtoa` mode 0): the fewest
/// significant digits that round-trip and, among those, the nearest to the exact value, ties
/// to even. Rust's own shortest formatting (`{:e}`) can pick the other neighbour on a tie
/// (`2.9802322387695313e-8` where Python writes `...312e-08`), so it is not used.
fn shortest_digits(a: f64) -> (String, i32) {
    let split = |s: &str| -> (String, i32) {
        let (m, e) = s.split_once('e').expect("{:e} always has an exponent");
        (
            m.replace('.', ""),
            e.parse().expect("{:e} exponent is an integer"),
        )
    };
    let reads_back = |digits: &str, exp: i32| -> bool {
        format!("{}.{}e{}", &digits[..1], &digits[1..], exp).parse::<f64>() == Ok(a)
    };
    for n in 1..=17usize {
        // `{:.Ne}` is the correctly rounded N+1-digit value, ties to even.
        let (digits, exp) = split(&format!("{:.*e}", n - 1, a));
        if reads_back(&digits, exp) {
            return (digits, exp);
        }
        // Next to a power of two the interval that reads back is lopsided: the nearest n-digit
        // value may miss it while its neighbour on the wide side hits it.
        let value: u64 = digits.parse().expect("at most 17 digits");
        for neighbour in [value + 1, value.saturating_sub(1)] {
            let mut d = neighbour.to_string();
            let mut e = exp;
            if d.len() > n {
                d.truncate(n); // 99..9 + 1 = 100..0: one more digit, one more in the exponent
                e += 1;
            }
            if d.len() == n && neighbour != 0 && reads_back(&d, e) {
                return (d, e);
            }
        }
    }
    split(&format!("{:.16e}", a))
}

/// Python's `repr(float)` (and `json.dumps` of a float): the shortest text that reads back to
/// the same double, in fixed notation when the decimal exponent is in [-4, 16), else in
/// scientific notation with a sign and at least two exponent digits.
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    if f == 0.0 {
        return format!("{sign}0.0");
    }
    let (digits, exp) = shortest_digits(f.abs());
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let decpt = exp + 1; // value = 0.DIGITS * 10^decpt
    let n = digits.len() as i32;
    if (-4 < decpt) && (decpt <= 16) {
        if decpt <= 0 {
            format!("{sign}0.{}{digits}", "0".repeat((-decpt) as usize))
        } else if decpt >= n {
            format!("{sign}{digits}{}.0", "0".repeat((decpt - n) as usize))
        } else {
            let (a, b) = digits.split_at(decpt as usize);
            format!("{sign}{a}.{b}")
        }
    } else {
        let (first, rest) = digits.split_at(1);
        let frac = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let e = decpt - 1;
        let esign = if e < 0 { '-' } else { '+' };
        format!("{sign}{first}{frac}e{esign}{:02}", e.abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    // The exact binary values matter: they sit on a decimal tie.
    #[allow(clippy::excessive_precision)]
    fn float_repr_matches_python() {
        // Python's repr for each (docs/flask-sessions.md §2.2).
        for (f, s) in [
            (1.0, "1.0"),
            (0.1, "0.1"),
            (1e-05, "1e-05"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1.2345678901234568e17, "1.2345678901234568e+17"),
            (-0.0, "-0.0"),
            (0.0001, "0.0001"),
            (1.5, "1.5"),
            (123456.789, "123456.789"),
            (f64::MAX, "1.7976931348623157e+308"),
            (5e-324, "5e-324"),
            // Exact ties at the last digit go to even, as in Python (found by the interop run).
            (2.9802322387695312e-08, "2.9802322387695312e-08"),
            (-716086601602767.2, "-716086601602767.2"),
            (-33714033845255.8125, "-33714033845255.812"),
        ] {
            assert_eq!(float_repr(f), s);
        }
    }
}
