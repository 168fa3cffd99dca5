//! Dates as Werkzeug writes and reads them: `http_date` (`Wdy, DD Mon YYYY HH:MM:SS GMT`, used
//! for cookie `Expires` and TaggedJSON's `" d"` tag) and a subset of
//! `email.utils.parsedate_to_datetime` for reading the tag back.
//!
//! Written by hand: the text must match Python byte for byte, and only the proleptic
//! Gregorian calendar arithmetic is needed (Howard Hinnant's days-from-civil algorithm).

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Python's `datetime` range: year 1 to 9999.
pub const MIN_UNIX: i64 = -62_135_596_800; // 0001-01-01T00:00:00Z
pub const MAX_UNIX: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z

/// Days since 1970-01-01 for a proleptic Gregorian date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month, day) for days since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Broken-down UTC time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub weekday: usize,
}

pub fn civil(unix: i64) -> Civil {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    Civil {
        year,
        month,
        day,
        hour: (secs / 3600) as u32,
        minute: (secs / 60 % 60) as u32,
        second: (secs % 60) as u32,
        // 1970-01-01 was a Thursday (index 3 with Monday = 0).
        weekday: (days + 3).rem_euclid(7) as usize,
    }
}

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

/// ISO 8601 text for display (`2023-11-14 22:13:20 UTC`).
pub fn iso_utc(unix: i64) -> String {
    let c = civil(unix);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// Reads what Werkzeug's `parse_date` reads for the forms real cookies and sessions carry:
/// `[Wdy,] DD Mon YYYY HH:MM[:SS] [zone]` with `zone` one of GMT, UT, UTC, Z, the US zones
/// `email.utils` knows, or `+HHMM`/`-HHMM`; two-digit years as `email.utils` maps them.
/// Returns `None` where Werkzeug returns `None` (and, for exotic forms it would accept, too).
pub fn parse_http_date(text: &str) -> Option<i64> {
    let mut parts: Vec<&str> = text.split_whitespace().collect();
    if parts.is_empty() {
        return None;
    }
    // Optional day name, with or without its comma.
    let first = parts[0].trim_end_matches(',');
    if first
        .get(..3)
        .is_some_and(|p| DAYS.iter().any(|d| p.eq_ignore_ascii_case(d)))
    {
        parts.remove(0);
    }
    if parts.len() < 4 {
        return None;
    }
    let day: u32 = parts[0].trim_end_matches(',').parse().ok()?;
    let month = MONTHS
        .iter()
        .position(|m| parts[1].get(..3).is_some_and(|p| p.eq_ignore_ascii_case(m)))?
        as u32
        + 1;
    let mut year: i64 = parts[2].trim_end_matches(',').parse().ok()?;
    if parts[2].len() <= 2 {
        // email.utils: 00-67 -> 2000s, 68-99 -> 1900s.
        year += if year > 68 { 1900 } else { 2000 };
    }
    let hms: Vec<&str> = parts[3].split(':').collect();
    let (hour, minute, second): (u32, u32, u32) = match hms.as_slice() {
        [h, m] => (h.parse().ok()?, m.parse().ok()?, 0),
        [h, m, s] => (h.parse().ok()?, m.parse().ok()?, s.parse().ok()?),
        _ => return None,
    };
    let offset = match parts.get(4).copied() {
        None => 0,
        Some(zone) => zone_offset(zone)?,
    };
    if parts.len() > 5 || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month)
    {
        return None;
    }
    if hour > 23 || minute > 59 || second > 61 {
        return None;
    }
    let unix = days_from_civil(year, month, day) * 86_400
        + i64::from(hour) * 3600
        + i64::from(minute) * 60
        + i64::from(second.min(59))
        - offset;
    (MIN_UNIX..=MAX_UNIX).contains(&unix).then_some(unix)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Offset east of UTC in seconds.
fn zone_offset(zone: &str) -> Option<i64> {
    let named = match zone.to_ascii_uppercase().as_str() {
        "UT" | "UTC" | "GMT" | "Z" => Some(0),
        "AST" => Some(-4),
        "ADT" => Some(-3),
        "EST" => Some(-5),
        "EDT" => Some(-4),
        "CST" => Some(-6),
        "CDT" => Some(-5),
        "MST" => Some(-7),
        "MDT" => Some(-6),
        "PST" => Some(-8),
        "PDT" => Some(-7),
        _ => None,
    };
    if let Some(h) = named {
        return Some(h * 3600);
    }
    let (sign, digits) = match zone.as_bytes().first()? {
        b'+' => (1, &zone[1..]),
        b'-' => (-1, &zone[1..]),
        _ => return None,
    };
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hh: i64 = digits[..2].parse().ok()?;
    let mm: i64 = digits[2..].parse().ok()?;
    Some(sign * (hh * 3600 + mm * 60))
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
        for t in [0, 1_702_678_400, MIN_UNIX, MAX_UNIX, 951_782_400] {
            assert_eq!(parse_http_date(&http_date(t)), Some(t));
        }
        assert_eq!(
            parse_http_date("Tue, 02 Jan 2024 05:04:05 +0200"),
            parse_http_date("Tue, 02 Jan 2024 03:04:05 GMT")
        );
        assert_eq!(parse_http_date("not a date"), None);
        assert_eq!(parse_http_date("Tue, 31 Feb 2024 03:04:05 GMT"), None);
    }
}
