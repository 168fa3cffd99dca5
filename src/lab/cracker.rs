//! The in-page key cracker's job: try a wordlist of secret keys against one captured Flask
//! session cookie, a bounded slice at a time, and report how far it got.
//!
//! Nothing here touches the browser: the page runs [`Job::run`] in slices that yield between
//! them, handing in its clock; the native tests hand in a counter. The cookie is read once per
//! job into an [`crate::engine::itsdangerous::crack::Target`] (what is the same for every
//! candidate is computed there once).
//!
//! A wordlist is bytes: lines split on `\n`, one trailing `\r` dropped, empty lines skipped,
//! any other byte kept (NUL, invalid UTF-8, any encoding). Each line is tried as those bytes,
//! which is what itsdangerous signs with when `SECRET_KEY` is that `str` in UTF-8 (its
//! `want_bytes`) or those very `bytes`.

use super::decoder::extract_cookie;
use crate::engine::flask::tagged_json;
use crate::engine::itsdangerous::crack::Target;
use crate::engine::itsdangerous::signing::Segments;
use crate::engine::py::repr::repr;
use crate::engine::py::value::Value;

/// The most a pasted list may hold; a bigger one is uploaded as a file.
pub const MAX_PASTE_BYTES: usize = 32 << 20;
/// The most an uploaded list may hold.
pub const MAX_FILE_BYTES: usize = 256 << 20;
/// Longer lines are skipped (and counted): no one types a secret key that long, and trying one
/// would cost as much as thousands of ordinary candidates.
pub const MAX_KEY_BYTES: usize = 4096;
/// The longest cookie value the cracker takes (browsers keep cookies of about 4 KB).
pub const MAX_COOKIE_BYTES: usize = 64 << 10;

/// The random bits of a key made by `secrets.token_hex(32)`.
pub const STRONG_KEY_BITS: i32 = 256;

/// The candidates of one job, as bytes with the count of keys in them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wordlist {
    /// Where the list came from, for the messages ("the built-in list", "the pasted list",
    /// "words.txt").
    pub origin: String,
    bytes: Vec<u8>,
    /// Lines that are tried.
    count: u64,
    /// Lines longer than [`MAX_KEY_BYTES`], skipped.
    too_long: u64,
}

/// The next candidate at or after `*pos`, moving `*pos` past it: lines split on `\n`, a trailing
/// `\r` dropped, empty and over-long lines skipped. Returns also how many over-long lines it
/// stepped over.
fn next_line<'a>(bytes: &'a [u8], pos: &mut usize, too_long: &mut u64) -> Option<&'a [u8]> {
    while *pos < bytes.len() {
        let rest = &bytes[*pos..];
        let end = rest.iter().position(|&b| b == b'\n');
        let line = &rest[..end.unwrap_or(rest.len())];
        *pos += end.map_or(rest.len(), |e| e + 1);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        if line.len() > MAX_KEY_BYTES {
            *too_long += 1;
            continue;
        }
        return Some(line);
    }
    None
}

/// `n` with thousands separators: `1,234,567`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A byte count for a message: `812 bytes`, `3.4 MB`.
fn size_text(n: usize) -> String {
    if n < 1 << 20 {
        format!("{} bytes", grouped(n as u64))
    } else {
        format!("{:.1} MB", n as f64 / (1u64 << 20) as f64)
    }
}

impl Wordlist {
    /// The lab's own list of weak keys.
    pub fn builtin() -> Wordlist {
        let mut bytes = Vec::new();
        for w in super::wordlist::builtin() {
            bytes.extend_from_slice(w.as_bytes());
            bytes.push(b'\n');
        }
        Wordlist::counted("the built-in list".into(), bytes)
    }

    fn counted(origin: String, bytes: Vec<u8>) -> Wordlist {
        let (mut pos, mut too_long, mut count) = (0, 0, 0u64);
        while next_line(&bytes, &mut pos, &mut too_long).is_some() {
            count += 1;
        }
        Wordlist {
            origin,
            bytes,
            count,
            too_long,
        }
    }

    /// A list read from a file's bytes (any encoding).
    pub fn from_bytes(origin: &str, bytes: Vec<u8>) -> Result<Wordlist, String> {
        if bytes.len() > MAX_FILE_BYTES {
            return Err(format!(
                "{origin} is {}: the cracker takes lists of up to {}.",
                size_text(bytes.len()),
                size_text(MAX_FILE_BYTES)
            ));
        }
        Wordlist::counted(origin.to_string(), bytes).non_empty()
    }

    /// A list pasted into the page.
    pub fn from_paste(text: String) -> Result<Wordlist, String> {
        if text.len() > MAX_PASTE_BYTES {
            return Err(format!(
                "The pasted list is {}: paste up to {}, or upload a bigger list as a file.",
                size_text(text.len()),
                size_text(MAX_PASTE_BYTES)
            ));
        }
        Wordlist::counted("the pasted list".into(), text.into_bytes()).non_empty()
    }

    fn non_empty(self) -> Result<Wordlist, String> {
        if self.count > 0 {
            return Ok(self);
        }
        Err(if self.too_long > 0 {
            format!(
                "{} has no key to try: its {} line(s) are all longer than {} bytes.",
                capitalised(&self.origin),
                grouped(self.too_long),
                grouped(MAX_KEY_BYTES as u64)
            )
        } else {
            format!(
                "{} is empty: put one candidate key on each line.",
                capitalised(&self.origin)
            )
        })
    }

    /// How many keys it holds.
    pub fn len(&self) -> u64 {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Lines skipped for being longer than [`MAX_KEY_BYTES`].
    pub fn too_long(&self) -> u64 {
        self.too_long
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The cookie value in `text` (a bare value, `session=...`, a `Cookie:` or `Set-Cookie:`
/// line) made ready for cracking, or why it cannot be.
pub fn target_of(text: &str) -> Result<Target, String> {
    if text.len() > MAX_COOKIE_BYTES {
        return Err(format!(
            "This is {} long; a browser keeps cookies of about 4 KB, so it is not a session \
             cookie.",
            size_text(text.len())
        ));
    }
    let (_, value) = extract_cookie(text);
    if value.is_empty() {
        return Err("Paste a session cookie first.".into());
    }
    if !value.contains('.') {
        return Err(
            "This is not a signed cookie: it has no dots. If it is a Flask-Session id, the \
             session lives on the server and the id is random bytes, not signed with \
             SECRET_KEY, so there is no key to find in it."
                .into(),
        );
    }
    if Segments::split(&value).is_err() {
        return Err(
            "This is not a Flask session cookie: it has two parts, and a Flask \
                    session cookie has three (payload.timestamp.signature)."
                .into(),
        );
    }
    Target::flask_session(&value)
        .map_err(|e| format!("The signature part cannot be used: {e}. No key would match it."))
}

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Running,
    Found,
    Exhausted,
    Cancelled,
}

impl State {
    /// The name the page's `data-state` shows.
    pub fn name(self) -> &'static str {
        match self {
            State::Running => "running",
            State::Found => "found",
            State::Exhausted => "exhausted",
            State::Cancelled => "cancelled",
        }
    }
}

/// How much of the list one call to [`Job::run`] may try.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Budget {
    /// At most this many candidates.
    Candidates(u64),
    /// Until the clock has moved this many milliseconds (checked between small batches).
    Millis(f64),
}

/// How far a job got.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub state: State,
    pub tried: u64,
    pub total: u64,
    /// The key that signed the cookie, as the bytes of the line it was on.
    pub found: Option<Vec<u8>>,
    /// Milliseconds from the first slice's start to the last slice's end.
    pub elapsed_ms: f64,
    /// Lines skipped for being longer than [`MAX_KEY_BYTES`].
    pub too_long: u64,
}

impl Progress {
    /// Keys per second over the run so far (0 before any time has passed).
    pub fn rate(&self) -> u64 {
        if self.elapsed_ms <= 0.0 {
            return 0;
        }
        (self.tried as f64 * 1000.0 / self.elapsed_ms).round() as u64
    }

    /// The share of the list tried, 0 to 1.
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            return 0.0;
        }
        self.tried as f64 / self.total as f64
    }

    /// One sentence on where the job is.
    pub fn sentence(&self, origin: &str) -> String {
        let tried = format!("{} of {}", grouped(self.tried), grouped(self.total));
        let skipped = match self.too_long {
            0 => String::new(),
            n => format!(
                " ({} line(s) longer than {} bytes skipped)",
                grouped(n),
                grouped(MAX_KEY_BYTES as u64)
            ),
        };
        let took = if self.elapsed_ms < 0.1 {
            "under 0.1 ms".to_string()
        } else if self.elapsed_ms < 1000.0 {
            format!("{:.1} ms", self.elapsed_ms)
        } else {
            format!("{:.2} s", self.elapsed_ms / 1000.0)
        };
        match self.state {
            State::Running => format!("Trying {origin}: {tried} keys so far{skipped}."),
            State::Found => format!(
                "Found the key: {}, after {} keys in {took}. With it anyone can sign \
                 any session this app will accept.",
                key_repr(self.found.as_deref().unwrap_or_default()),
                grouped(self.tried)
            ),
            State::Exhausted => format!(
                "Not found: none of the {} keys in {origin} signed this cookie \
                 ({took}){skipped}.",
                grouped(self.total)
            ),
            State::Cancelled => format!("Cancelled after {tried} keys{skipped}."),
        }
    }
}

/// A key as the page's `data-key` holds it: the text, or for bytes that are not UTF-8 their
/// Python literal (`b'\xff...'`).
pub fn key_text(key: &[u8]) -> String {
    match std::str::from_utf8(key) {
        Ok(s) => s.to_string(),
        Err(_) => repr(&Value::Bytes(key.to_vec())),
    }
}

/// A key as Python would show it: `'supersecretkey'`, or `b'\xff'` for bytes that are not
/// UTF-8.
pub fn key_repr(key: &[u8]) -> String {
    match std::str::from_utf8(key) {
        Ok(s) => repr(&Value::Str(s.to_string())),
        Err(_) => repr(&Value::Bytes(key.to_vec())),
    }
}

/// The first of `keys` that signed the cookie.
fn first_match(target: &Target, keys: &[&[u8]]) -> Option<usize> {
    target.try_many(keys)
}

/// A cracking run over one wordlist against one cookie.
pub struct Job {
    target: Target,
    list: Wordlist,
    /// The byte position of the next candidate.
    pos: usize,
    tried: u64,
    state: State,
    found: Option<Vec<u8>>,
    started_at: Option<f64>,
    last_at: f64,
    /// Candidates per batch between two looks at the clock.
    batch: usize,
}

impl Job {
    /// A job for the cookie in `cookie` (see [`target_of`]) over `list`.
    pub fn new(cookie: &str, list: Wordlist) -> Result<Job, String> {
        let target = target_of(cookie)?;
        // About 16,000 compressions between two looks at the clock: a few milliseconds.
        let batch = (16_384 / target.compressions_per_key().max(1)).clamp(1, 512);
        Ok(Job {
            target,
            list,
            pos: 0,
            tried: 0,
            state: State::Running,
            found: None,
            started_at: None,
            last_at: 0.0,
            batch,
        })
    }

    /// Where the candidates come from.
    pub fn origin(&self) -> &str {
        &self.list.origin
    }

    /// Tries at most `n` more candidates; returns whether it is still running.
    fn batch(&mut self, n: usize) -> bool {
        let mut keys: Vec<&[u8]> = Vec::with_capacity(n);
        let mut pos = self.pos;
        let mut skipped = 0;
        while keys.len() < n {
            match next_line(&self.list.bytes, &mut pos, &mut skipped) {
                Some(line) => keys.push(line),
                None => break,
            }
        }
        match first_match(&self.target, &keys) {
            Some(i) => {
                self.found = Some(keys[i].to_vec());
                self.tried += i as u64 + 1;
                self.state = State::Found;
            }
            None => {
                self.tried += keys.len() as u64;
                if keys.len() < n || pos >= self.list.bytes.len() {
                    self.state = State::Exhausted;
                }
            }
        }
        self.pos = pos;
        self.state == State::Running
    }

    /// Runs one slice within `budget`, reading the time (milliseconds, any origin) from
    /// `clock`, and says how far the job is.
    pub fn run(&mut self, budget: Budget, clock: &mut dyn FnMut() -> f64) -> Progress {
        if self.state != State::Running {
            return self.progress();
        }
        let start = clock();
        let first = *self.started_at.get_or_insert(start);
        self.last_at = self.last_at.max(first);
        match budget {
            Budget::Candidates(mut left) => {
                while left > 0 {
                    let n = (self.batch as u64).min(left) as usize;
                    left -= n as u64;
                    if !self.batch(n) {
                        break;
                    }
                }
            }
            Budget::Millis(ms) => {
                // At least one batch, so that a slow clock still makes progress.
                while self.batch(self.batch) && clock() - start < ms {}
            }
        }
        self.last_at = clock().max(self.last_at);
        self.progress()
    }

    /// Keys per second this machine tries against this cookie, measured on `n` made-up keys
    /// of 12 bytes (a key of up to 64 bytes costs the same): for a run too short to measure.
    pub fn measure_rate(&self, n: usize, clock: &mut dyn FnMut() -> f64) -> u64 {
        let keys: Vec<[u8; 12]> = (0..n)
            .map(|i| {
                let mut k = *b"calibrate000";
                k[9..].copy_from_slice(&[
                    b'a' + (i % 26) as u8,
                    b'a' + (i / 26 % 26) as u8,
                    b'0' + (i / 676 % 10) as u8,
                ]);
                k
            })
            .collect();
        let refs: Vec<&[u8]> = keys.iter().map(|k| &k[..]).collect();
        let start = clock();
        for chunk in refs.chunks(self.batch) {
            // Whether one matches does not matter: the work is the same.
            let _ = first_match(&self.target, chunk);
        }
        let ms = clock() - start;
        if ms <= 0.0 {
            return 0;
        }
        (n as f64 * 1000.0 / ms).round() as u64
    }

    /// Stops the job where it is.
    pub fn cancel(&mut self) {
        if self.state == State::Running {
            self.state = State::Cancelled;
        }
    }

    pub fn progress(&self) -> Progress {
        Progress {
            state: self.state,
            tried: self.tried,
            total: self.list.count,
            found: self.found.clone(),
            elapsed_ms: self.started_at.map_or(0.0, |s| (self.last_at - s).max(0.0)),
            too_long: self.list.too_long,
        }
    }
}

/// What a key of `bits` random bits means at `rate` keys per second: the expected time to find
/// it (half the key space), in years, as a power of ten (`about 10^63 years`); `None` without
/// a rate.
pub fn strong_key_years(bits: i32, rate: u64) -> Option<i32> {
    if rate == 0 {
        return None;
    }
    let seconds = 2f64.powi(bits - 1) / rate as f64;
    let years = seconds / (365.25 * 24.0 * 3600.0);
    Some(years.log10().floor() as i32)
}

/// The session JSON of the cookie `value` with `user_name` set to `"admin"` (Flask's own
/// form: keys sorted, compact); `{"user_name":"admin"}` when the cookie cannot be read.
pub fn admin_session(value: Option<&str>) -> String {
    let mut dict = value
        .and_then(super::lesson::payload_json)
        .and_then(|j| tagged_json::loads_dict(&j).ok())
        .unwrap_or_default();
    dict.insert("user_name".into(), Value::Str("admin".into()));
    tagged_json::dumps_dict(&dict)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::itsdangerous::signing::Serializer;

    const T0: u64 = 1_700_000_000;

    fn cookie(key: &str) -> String {
        Serializer::flask_session(key, &[]).dumps(r#"{"user_name":"ada"}"#, T0)
    }

    /// A clock that moves one millisecond each time it is read.
    fn ticking() -> impl FnMut() -> f64 {
        let mut t = 0.0;
        move || {
            t += 1.0;
            t
        }
    }

    fn crack(cookie: &str, list: Wordlist) -> Progress {
        let mut job = Job::new(cookie, list).unwrap();
        let mut clock = ticking();
        loop {
            let p = job.run(Budget::Candidates(7), &mut clock);
            if p.state != State::Running {
                return p;
            }
        }
    }

    #[test]
    fn lines_split_on_newlines_with_crlf_and_empty_lines() {
        let list =
            Wordlist::from_bytes("f", b"\r\n\none\r\ntwo\n\n\r\nthree\r\r\nfour".to_vec()).unwrap();
        assert_eq!(list.len(), 4);
        let (mut pos, mut long) = (0, 0);
        let mut lines = Vec::new();
        while let Some(l) = next_line(&list.bytes, &mut pos, &mut long) {
            lines.push(l.to_vec());
        }
        // Only one \r comes off: "three\r" keeps its own.
        assert_eq!(
            lines,
            [&b"one"[..], b"two", b"three\r", b"four"].map(|l| l.to_vec())
        );
    }

    #[test]
    fn finds_the_key_wherever_it_is_and_counts_what_it_tried() {
        let c = cookie("supersecretkey");
        let text = "a\r\nb\n\nsupersecretkey\r\nc\n".to_string();
        let p = crack(&c, Wordlist::from_paste(text).unwrap());
        assert_eq!(p.state, State::Found);
        assert_eq!(p.found.as_deref(), Some(&b"supersecretkey"[..]));
        assert_eq!((p.tried, p.total), (3, 4));
        // Last line, no newline at the end.
        let many: String = (0..1000).map(|i| format!("k{i}\n")).collect::<String>() + "xyz";
        let p = crack(&cookie("xyz"), Wordlist::from_paste(many).unwrap());
        assert_eq!((p.state, p.tried, p.total), (State::Found, 1001, 1001));
    }

    #[test]
    fn any_bytes_are_a_key_and_utf8_text_is_tried_as_utf8() {
        // A str key with non-ASCII characters is signed with its UTF-8 bytes.
        let c = cookie("clé\0secrète");
        let p = crack(
            &c,
            Wordlist::from_bytes("f", "x\n\u{0}\nclé\0secrète\n".as_bytes().to_vec()).unwrap(),
        );
        assert_eq!(p.state, State::Found);
        assert_eq!(key_text(p.found.as_deref().unwrap()), "clé\0secrète");
        // Latin-1 bytes of the same text are another key.
        let latin1 = b"cl\xe9\x00secr\xe8te\n\xff\xfe\n".to_vec();
        let p = crack(&c, Wordlist::from_bytes("f", latin1).unwrap());
        assert_eq!((p.state, p.tried), (State::Exhausted, 2));
        assert_eq!(key_text(b"\xff\x00a"), r"b'\xff\x00a'");
        assert_eq!(key_repr(b"it's"), r#""it's""#);
    }

    #[test]
    fn exhausts_cancels_and_stops() {
        let c = cookie("not-in-the-list");
        let list: String = (0..100).map(|i| format!("{i}\n")).collect();
        let p = crack(&c, Wordlist::from_paste(list.clone()).unwrap());
        assert_eq!((p.state, p.tried, p.total), (State::Exhausted, 100, 100));
        assert!(p.sentence("the pasted list").starts_with("Not found"));
        let mut job = Job::new(&c, Wordlist::from_paste(list).unwrap()).unwrap();
        let mut clock = ticking();
        let p = job.run(Budget::Candidates(10), &mut clock);
        assert_eq!((p.state, p.tried), (State::Running, 10));
        job.cancel();
        let p = job.run(Budget::Candidates(10), &mut clock);
        assert_eq!((p.state, p.tried), (State::Cancelled, 10));
    }

    #[test]
    fn a_time_budget_stops_a_slice_and_the_rate_is_over_the_run() {
        let c = cookie("zzz");
        let list: String = (0..100_000).map(|i| format!("{i}\n")).collect();
        let mut job = Job::new(&c, Wordlist::from_paste(list).unwrap()).unwrap();
        // Each look at the clock is 1 ms: a 5 ms budget stops after a few batches.
        let mut clock = ticking();
        let p = job.run(Budget::Millis(5.0), &mut clock);
        assert_eq!(p.state, State::Running);
        assert!(p.tried > 0 && p.tried < 100_000, "{}", p.tried);
        assert!(p.tried.is_multiple_of(job.batch as u64));
        assert_eq!(
            p.rate(),
            (p.tried as f64 * 1000.0 / p.elapsed_ms).round() as u64
        );
        let p = job.run(Budget::Millis(5.0), &mut clock);
        assert!(p.elapsed_ms > 5.0);
    }

    #[test]
    fn hostile_lists_and_cookies_get_a_message() {
        assert!(Wordlist::from_paste(String::new())
            .unwrap_err()
            .contains("is empty"));
        assert!(Wordlist::from_paste("\n\r\n\n".into()).is_err());
        let huge = "a".repeat(MAX_PASTE_BYTES + 1);
        assert!(Wordlist::from_paste(huge)
            .unwrap_err()
            .contains("upload a bigger list as a file"));
        let long_line = "x".repeat(1 << 20);
        let err = Wordlist::from_paste(long_line.clone()).unwrap_err();
        assert!(err.contains("longer than 4,096 bytes"), "{err}");
        // A megabyte line among others is skipped and counted.
        let list = Wordlist::from_paste(format!("{long_line}\nkey\n")).unwrap();
        assert_eq!((list.len(), list.too_long()), (1, 1));
        let p = crack(&cookie("key"), list);
        assert_eq!(p.state, State::Found);
        assert!(p.sentence("x").contains("Found"));

        for (text, says) in [
            ("", "Paste a session cookie"),
            ("session=", "Paste a session cookie"),
            (
                "Xs8n3Q2nK7-8b5yAVb4hxmuDCIH7P2w5lIjv3Kd0FyA",
                "Flask-Session id",
            ),
            ("abc.def", "two parts"),
            ("a.b.c", "signature"),
            ("eyJ4Ijo1fQ.ZVPxAA.AAAA", "signature"),
            ("\0\u{1}.\u{ffff}.\u{0}", "signature"),
        ] {
            let err = target_of(text).err().unwrap_or_else(|| panic!("{text:?}"));
            assert!(err.contains(says), "{text:?}: {err}");
        }
        let huge = format!("{}.x.y", "a".repeat(MAX_COOKIE_BYTES));
        assert!(target_of(&huge)
            .err()
            .unwrap()
            .contains("not a session cookie"));
        // What the decoder accepts, the cracker does too.
        let c = cookie("k");
        assert!(target_of(&format!("Cookie: theme=x; session={c}")).is_ok());
    }

    #[test]
    fn the_rate_is_measured_on_made_up_keys() {
        let job = Job::new(&cookie("k"), Wordlist::from_paste("a".into()).unwrap()).unwrap();
        // One millisecond per look at the clock: 4,096 keys between two looks.
        assert_eq!(job.measure_rate(4096, &mut ticking()), 4_096_000);
        let mut frozen = || 5.0;
        assert_eq!(job.measure_rate(10, &mut frozen), 0);
    }

    #[test]
    fn strong_keys_take_ages() {
        // 2^255 / 10^6 keys/s = 5.8e70 s = 1.8e63 years.
        assert_eq!(strong_key_years(STRONG_KEY_BITS, 1_000_000), Some(63));
        assert_eq!(strong_key_years(STRONG_KEY_BITS, 0), None);
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(0), "0");
    }

    #[test]
    fn admin_session_keeps_the_rest_of_the_session() {
        let c = Serializer::flask_session("k", &[])
            .dumps(r#"{"lang":"en","theme":"dark","user_name":"ada"}"#, T0);
        assert_eq!(
            admin_session(Some(&c)),
            r#"{"lang":"en","theme":"dark","user_name":"admin"}"#
        );
        assert_eq!(admin_session(None), r#"{"user_name":"admin"}"#);
        assert_eq!(admin_session(Some("junk")), r#"{"user_name":"admin"}"#);
    }
}
