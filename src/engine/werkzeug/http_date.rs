//! Dates as Werkzeug writes and reads them: `http_date` (`Wdy, DD Mon YYYY HH:MM:SS GMT`, used
//! for cookie `Expires` and TaggedJSON's `" d"` tag) and a port of Werkzeug's `parse_date`
//! (`email.utils.parsedate_to_datetime`) for reading the tag back.
//!
//! Written by hand: the text must match Python byte for byte.

use crate::engine::py::case;
use crate::engine::py::datetime::{civil, days_from_civil, MAX_UNIX, MIN_UNIX};

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Werkzeug `http_date` for a UTC unix time, e.g. `Fri, 15 Dec 2023 22:13:20 GMT`.
pub fn http_date(unix: i64) -> String {
    let c = civil(unix);
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        DAYS[c.weekday],
        c.day,
        MONTHS[c.month as usize - 1],
        c.year,
        c.hour,
        c.minute,
        c.second
    )
}

/// What Werkzeug 3.1.9's `parse_date` returns, as unix seconds: it is
/// `email.utils.parsedate_to_datetime` (CPython 3.11 `email._parseaddr._parsedate_tz`) with
/// every `TypeError`/`ValueError` turned into `None` and naive results taken as UTC. Ported
/// step by step, leniency included:
///
/// - an optional day name (`Tue`, or any word ending in `,`; text up to a `,` inside the first
///   word is dropped), RFC 850 `DD-Mon-YYYY`, day and month in either order, the time before
///   the year, `HH:MM`, `HH:MM:SS` or `.` separators, words after the zone ignored;
/// - month names short or full (`Jan`, `January`) in any case;
/// - **any** year below 100 (`13`, `0013`, `-5`) is 2000 + year up to 68 and 1900 + year
///   above, so Flask reads its own `Sat, 27 Apr 0013 ...` back as 2013;
/// - zones: `UT`, `UTC`, `GMT`, `Z` and the US names `email.utils` knows (compared after
///   Python's `str.upper()`), or anything Python's `int()` reads, as `±HHMM` with no range
///   check on the parts (`+02` is two *minutes*, `+0099` 99 minutes); unknown names, an empty
///   zone and `-0000` give a naive datetime, which Werkzeug takes as UTC;
/// - numbers as Python's `int()` reads them: optional sign, `_` between digits, any Unicode
///   decimal digit.
///
/// `None` where Python raises: an offset of 24 hours or more (`datetime.timezone`), second 60
/// or 61, hour 24, day 31 in a 30-day month, a year outside 1..=9999 (`datetime`).
///
/// Not representable here, so also `None` (see [`MIN_UNIX`]): a valid datetime whose UTC
/// instant falls outside years 1..=9999 (`Fri, 31 Dec 9999 23:00:00 -0100`; Flask loads it
/// and fails only if it has to write it again), and numbers too large for a C `int` or a
/// `timedelta`, where Python raises `OverflowError`, which `parse_date` does not catch, so
/// Flask's session load fails with `BadPayload` (a 500) instead of reading `None`.
pub fn parse_http_date(text: &str) -> Option<i64> {
    let d = parsedate_tz(text)?;
    if let Some(off) = d.offset {
        // datetime.timezone: strictly between -24 h and +24 h.
        if off.abs() >= 86_400 {
            return None;
        }
    }
    let in_range = |v: i128, lo: i128, hi: i128| (lo..=hi).contains(&v);
    if !in_range(d.year, 1, 9999)
        || !in_range(d.hour, 0, 23)
        || !in_range(d.minute, 0, 59)
        || !in_range(d.second, 0, 59)
    {
        return None;
    }
    let year = d.year as i64;
    if !in_range(d.day, 1, i128::from(days_in_month(year, d.month))) {
        return None;
    }
    let unix = i128::from(days_from_civil(year, d.month, d.day as u32)) * 86_400
        + d.hour * 3600
        + d.minute * 60
        + d.second
        - d.offset.unwrap_or(0);
    let unix = i64::try_from(unix).ok()?;
    (MIN_UNIX..=MAX_UNIX).contains(&unix).then_some(unix)
}

/// `_parsedate_tz`'s result before `datetime` checks it.
struct ParsedDate {
    year: i128,
    month: u32,
    day: i128,
    hour: i128,
    minute: i128,
    second: i128,
    /// Seconds east of UTC; `None` for a naive datetime.
    offset: Option<i128>,
}

/// The full month names `email._parseaddr._monthnames` lists after the short ones.
const FULL_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `email._parseaddr._timezones`, in `±HHMM` form as Python stores them.
const ZONES: [(&str, i128); 14] = [
    ("UT", 0),
    ("UTC", 0),
    ("GMT", 0),
    ("Z", 0),
    ("AST", -400),
    ("ADT", -300),
    ("EST", -500),
    ("EDT", -400),
    ("CST", -600),
    ("CDT", -500),
    ("MST", -700),
    ("MDT", -600),
    ("PST", -800),
    ("PDT", -700),
];

/// `mm.lower() in _monthnames`, then `index() + 1`, less 12 for a full name. Only ASCII
/// letters lower-case to the ASCII names (the one exception, KELVIN SIGN to `k`, is in none
/// of them), so an ASCII-case-insensitive match is exactly Python's test.
fn month_number(word: &str) -> Option<u32> {
    let i = MONTHS
        .iter()
        .chain(&FULL_MONTHS)
        .position(|m| word.eq_ignore_ascii_case(m))?;
    Some(i as u32 % 12 + 1)
}

fn strip_comma(s: &str) -> &str {
    s.strip_suffix(',').unwrap_or(s)
}

/// A port of CPython 3.11 `email._parseaddr._parsedate_tz`, statement by statement.
fn parsedate_tz(text: &str) -> Option<ParsedDate> {
    // data = data.split()
    let mut data: Vec<&str> = text.split(is_py_space).filter(|w| !w.is_empty()).collect();
    let first = *data.first()?;
    if first.ends_with(',') || DAYS.iter().any(|d| first.eq_ignore_ascii_case(d)) {
        data.remove(0);
    } else if let Some(i) = first.rfind(',') {
        data[0] = &first[i + 1..];
    }
    if data.len() == 3 {
        // RFC 850 date, deprecated: DD-Mon-YYYY.
        let stuff: Vec<&str> = data[0].split('-').collect();
        if stuff.len() == 3 {
            data.splice(0..1, stuff);
        }
    }
    if data.len() == 4 {
        // A zone glued to the time: `10:00+0200`.
        let s = data[3];
        match s.find('+').or_else(|| s.find('-')) {
            Some(i) if i > 0 => {
                data.splice(3.., [&s[..i], &s[i..]]);
            }
            _ => data.push(""),
        }
    }
    if data.len() < 5 {
        return None;
    }
    let (mut dd, mm, mut yy, mut tm, mut tz) = (data[0], data[1], data[2], data[3], data[4]);
    if dd.is_empty() || mm.is_empty() || yy.is_empty() {
        return None;
    }
    let month = match month_number(mm) {
        Some(m) => m,
        None => {
            // Day and month swapped (Python lower-cases the new day, which changes nothing
            // `int()` could read).
            let m = month_number(dd)?;
            dd = mm;
            m
        }
    };
    dd = strip_comma(dd);
    if yy.find(':').is_some_and(|i| i > 0) {
        std::mem::swap(&mut yy, &mut tm);
    }
    if yy.ends_with(',') {
        yy = strip_comma(yy);
        if yy.is_empty() {
            return None;
        }
    }
    if !yy.chars().next().is_some_and(py_isdigit) {
        std::mem::swap(&mut yy, &mut tz);
    }
    tm = strip_comma(tm);
    let parts: Vec<&str> = tm.split(':').collect();
    let (thh, tmm, tss) = match parts.as_slice() {
        [h, m] => (*h, *m, "0"),
        [h, m, s] => (*h, *m, *s),
        [t] if t.contains('.') => match t.split('.').collect::<Vec<_>>().as_slice() {
            [h, m] => (*h, *m, "0"),
            [h, m, s] => (*h, *m, *s),
            _ => return None,
        },
        _ => return None,
    };
    let mut year = py_int(yy)?;
    let day = py_int(dd)?;
    let hour = py_int(thh)?;
    let minute = py_int(tmm)?;
    let second = py_int(tss)?;
    if year < 100 {
        year += if year > 68 { 1900 } else { 2000 };
    }
    let tz = case::upper(tz);
    let mut offset = match ZONES.iter().find(|(name, _)| *name == tz) {
        Some(&(_, hhmm)) => Some(hhmm),
        None => py_int(&tz).filter(|&v| !(v == 0 && tz.starts_with('-'))),
    };
    if let Some(hhmm) = offset.filter(|&v| v != 0) {
        let (sign, hhmm) = if hhmm < 0 { (-1, -hhmm) } else { (1, hhmm) };
        offset = Some(sign * ((hhmm / 100) * 3600 + (hhmm % 100) * 60));
    }
    Some(ParsedDate {
        year,
        month,
        day,
        hour,
        minute,
        second,
        offset,
    })
}

/// Python's `str.isspace`, which is what `str.split()` splits on: Rust's
/// `char::is_whitespace` plus the separators U+001C to U+001F.
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// The zero of every run of ten decimal digits (`str.isdecimal`) in Python 3.11 (Unicode 14).
const DECIMAL_ZEROS: [u32; 66] = [
    0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
    0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0,
    0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0,
    0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// Characters Python 3.11's `str.isdigit` accepts that are not decimal digits (superscripts,
/// circled digits, ...): `int()` refuses them, but they decide `_parsedate_tz`'s year test.
const OTHER_DIGITS: [(u32, u32); 20] = [
    (0x00B2, 0x00B3),
    (0x00B9, 0x00B9),
    (0x1369, 0x1371),
    (0x19DA, 0x19DA),
    (0x2070, 0x2070),
    (0x2074, 0x2079),
    (0x2080, 0x2089),
    (0x2460, 0x2468),
    (0x2474, 0x247C),
    (0x2488, 0x2490),
    (0x24EA, 0x24EA),
    (0x24F5, 0x24FD),
    (0x24FF, 0x24FF),
    (0x2776, 0x277E),
    (0x2780, 0x2788),
    (0x278A, 0x2792),
    (0x10A40, 0x10A43),
    (0x10E60, 0x10E68),
    (0x11052, 0x1105A),
    (0x1F100, 0x1F10A),
];

/// The value of a Python decimal digit (`unicodedata.decimal`).
fn py_decimal(c: char) -> Option<u32> {
    let c = u32::from(c);
    DECIMAL_ZEROS
        .iter()
        .find(|&&zero| (zero..zero + 10).contains(&c))
        .map(|zero| c - zero)
}

/// Python's `str.isdigit` for one character.
fn py_isdigit(c: char) -> bool {
    py_decimal(c).is_some()
        || OTHER_DIGITS
            .iter()
            .any(|&(lo, hi)| (lo..=hi).contains(&u32::from(c)))
}

/// Far beyond anything `datetime` or `timedelta` accepts; larger values are clamped to it.
const HUGE: i128 = 10_i128.pow(30);

/// Python's `int(text)`: surrounding whitespace, an optional sign, decimal digits of any
/// script with single `_` between them. `None` where Python raises `ValueError`; values
/// beyond [`HUGE`] are clamped (they fail every later range check, as in Python).
fn py_int(text: &str) -> Option<i128> {
    let t = text.trim_matches(is_py_space);
    let (neg, digits) = match t.chars().next()? {
        '-' => (true, &t[1..]),
        '+' => (false, &t[1..]),
        _ => (false, t),
    };
    let mut value: i128 = 0;
    let mut seen_digit = false;
    let mut after_underscore = false;
    for c in digits.chars() {
        if c == '_' {
            if !seen_digit || after_underscore {
                return None;
            }
            after_underscore = true;
            continue;
        }
        let d = py_decimal(c)?;
        value = (value * 10 + i128::from(d)).min(HUGE);
        seen_digit = true;
        after_underscore = false;
    }
    if !seen_digit || after_underscore {
        return None;
    }
    Some(if neg { -value } else { value })
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_werkzeug() {
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(http_date(1_702_678_400), "Fri, 15 Dec 2023 22:13:20 GMT");
        assert_eq!(http_date(MIN_UNIX), "Mon, 01 Jan 0001 00:00:00 GMT");
        assert_eq!(http_date(MAX_UNIX), "Fri, 31 Dec 9999 23:59:59 GMT");
    }

    #[test]
    fn parses_what_it_writes_and_offsets() {
        // Years from 100 on round-trip; below 100 see `reads_like_werkzeug_parse_date`.
        for t in [0, 1_702_678_400, MAX_UNIX, 951_782_400, -59_011_459_200] {
            assert_eq!(parse_http_date(&http_date(t)), Some(t));
        }
        assert_eq!(
            parse_http_date("Tue, 02 Jan 2024 05:04:05 +0200"),
            parse_http_date("Tue, 02 Jan 2024 03:04:05 GMT")
        );
        assert_eq!(parse_http_date("not a date"), None);
        assert_eq!(parse_http_date("Tue, 31 Feb 2024 03:04:05 GMT"), None);
    }

    #[test]
    fn reads_like_werkzeug_parse_date() {
        // Each value is what Werkzeug 3.1.9's parse_date gave (as a UTC timestamp).
        let t = 1_704_164_645; // 2024-01-02 03:04:05 UTC
        for (text, werkzeug) in [
            ("Sat, 27 Apr 0013 22:16:33 GMT", Some(1_367_100_993)),
            ("Tue, 02 Jan 24 03:04:05 GMT", Some(t)),
            ("Tue, 02 Jan 2024 03:04:05 +02", Some(t - 120)),
            ("Tue, 02 Jan 2024 03:04:05+0200", Some(t - 7200)),
            ("Tue, 02 Jan 2024 03:04:05 +2400", None),
            ("Tue, 02 Jan 2024 03:04:05 -9999", None),
            ("Tue, 02 Jan 2024 03:04:60 GMT", None),
            ("Tue, 02 January 2024 03:04:05 GMT (UTC)", Some(t)),
            ("Tue, 02 Jan 2024 03:04:05 CET", Some(t)),
            ("02-Jan-2024 03:04:05 GMT", Some(t)),
            ("Tuesday, 02 Jan 2024 03:04:05 e\u{17f}t", Some(t + 18_000)),
            ("Tue Jan  2 03:04:05 2024", Some(t)),
            ("Jan 02 2024 03.04.05 -0000", Some(t)),
            (
                "Tue, 02 Jan \u{662}\u{660}\u{662}\u{664} 03:04:05 GMT",
                Some(t),
            ),
            // A valid datetime in Python, but its UTC instant is in year 10000.
            ("Fri, 31 Dec 9999 23:00:00 -0100", None),
            // OverflowError in Python (a C int), None here.
            ("02 Jan 99999999999 10:00 GMT", None),
        ] {
            assert_eq!(parse_http_date(text), werkzeug, "{text:?}");
        }
    }
}
