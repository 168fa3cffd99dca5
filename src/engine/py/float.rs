//! Python's `repr(float)`, which is also the text `json.dumps` writes for a float.
//!
//! Written by hand: CPython picks the shortest round-tripping digits with ties to even, and
//! Rust's own shortest formatting can choose the other neighbour on a tie.

/// The exact decimal expansion of `a` (positive, finite): its significant digits (ASCII, no
/// leading zero) and the exponent of the first. Every double is a finite decimal; computed
/// with a small big integer rather than `{:e}`, whose exact mode would ship the standard
/// library's float printing (Grisu, Dragon and their tables) in the bundle (issue 8).
fn exact_digits(a: f64) -> (Vec<u8>, i32) {
    let bits = a.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1 << 52) - 1);
    // a = m * 2^e
    let (m, e) = if biased == 0 {
        (frac, -1074)
    } else {
        (frac | (1 << 52), biased - 1075)
    };
    // Little-endian base 2^32 digits of m * 2^e (e >= 0) or of m * 5^-e (= a * 10^-e).
    let mut big = vec![m as u32, (m >> 32) as u32];
    let mul = |big: &mut Vec<u32>, factor: u32| {
        let mut carry = 0u64;
        for limb in big.iter_mut() {
            let t = u64::from(*limb) * u64::from(factor) + carry;
            *limb = t as u32;
            carry = t >> 32;
        }
        if carry != 0 {
            big.push(carry as u32);
        }
    };
    let (mut k, factor_max, step) = if e >= 0 {
        (e, 1 << 31, 31)
    } else {
        (-e, 1_220_703_125, 13) // 5^13
    };
    while k > 0 {
        let s = k.min(step);
        let factor = if e >= 0 {
            1u32 << s
        } else if s == step {
            factor_max
        } else {
            5u32.pow(s as u32)
        };
        mul(&mut big, factor);
        k -= s;
    }
    // Base 10^9 chunks, least significant first.
    let mut chunks = Vec::new();
    while big.iter().any(|&l| l != 0) {
        let mut rem = 0u64;
        for limb in big.iter_mut().rev() {
            let t = (rem << 32) | u64::from(*limb);
            *limb = (t / 1_000_000_000) as u32;
            rem = t % 1_000_000_000;
        }
        chunks.push(rem as u32);
        while big.last() == Some(&0) {
            big.pop();
        }
    }
    let mut digits = Vec::with_capacity(chunks.len() * 9);
    for (i, chunk) in chunks.iter().rev().enumerate() {
        let text = chunk.to_string();
        if i > 0 {
            digits.resize(digits.len() + 9 - text.len(), b'0');
        }
        digits.extend_from_slice(text.as_bytes());
    }
    let exp = digits.len() as i32 - 1 + e.min(0);
    (digits, exp)
}

/// `exact` (from `exact_digits`) correctly rounded to `n` significant digits, ties to even,
/// zero-padded: the digits and exponent `{:.N-1e}` writes.
fn round_to(exact: &[u8], exp: i32, n: usize) -> (String, i32) {
    let mut digits: Vec<u8> = exact.iter().copied().take(n).collect();
    digits.resize(n, b'0');
    let rest = exact.get(n..).unwrap_or_default();
    let up = match rest.first() {
        Some(&d) if d > b'5' => true,
        Some(&b'5') => rest[1..].iter().any(|&d| d != b'0') || (digits[n - 1] - b'0') % 2 == 1,
        _ => false,
    };
    let mut exp = exp;
    if up {
        let mut i = n;
        loop {
            if i == 0 {
                // 99..9 rounds up to 100..0: one more in the exponent.
                digits.insert(0, b'1');
                digits.truncate(n);
                exp += 1;
                break;
            }
            i -= 1;
            if digits[i] == b'9' {
                digits[i] = b'0';
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    (String::from_utf8(digits).expect("ASCII digits"), exp)
}

/// The shortest decimal digits that read back as `a` (positive, finite), and the exponent of
/// the first digit, as CPython's `repr` picks them (David Gay's `dtoa` mode 0): the fewest
/// significant digits that round-trip and, among those, the nearest to the exact value, ties
/// to even. Rust's own shortest formatting (`{:e}`) can pick the other neighbour on a tie
/// (`2.9802322387695313e-8` where Python writes `...312e-08`), so it is not used.
fn shortest_digits(a: f64) -> (String, i32) {
    let (exact, exact_exp) = exact_digits(a);
    let reads_back = |digits: &str, exp: i32| -> bool {
        format!("{}.{}e{}", &digits[..1], &digits[1..], exp).parse::<f64>() == Ok(a)
    };
    for n in 1..=17usize {
        // The correctly rounded n-digit value, ties to even.
        let (digits, exp) = round_to(&exact, exact_exp, n);
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
    round_to(&exact, exact_exp, 17)
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

    /// The rounding `{:.Ne}` does, which `round_to` reproduces.
    fn std_round(a: f64, n: usize) -> (String, i32) {
        let s = format!("{:.*e}", n - 1, a);
        let (m, e) = s.split_once('e').unwrap();
        (m.replace('.', ""), e.parse().unwrap())
    }

    #[test]
    fn rounding_matches_the_standard_library() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut samples = vec![
            f64::MIN_POSITIVE,
            5e-324,
            f64::MAX,
            1.0,
            0.5,
            9.5,
            2.5,
            1e23,
        ];
        for _ in 0..20_000 {
            // xorshift: every exponent, every mantissa shape.
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            samples.push(f64::from_bits(x >> 1));
            samples.push(f64::from_bits((x >> 12) | 0x4000_0000_0000_0000) - 2.0);
            samples.push((x % 1_000_000) as f64 / 64.0);
        }
        for a in samples.into_iter().filter(|a| a.is_finite() && *a > 0.0) {
            let (exact, exp) = exact_digits(a);
            for n in 1..=17 {
                assert_eq!(round_to(&exact, exp, n), std_round(a, n), "{a:e} to {n}");
            }
        }
    }

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
