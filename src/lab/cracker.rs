//! The in-page key cracker's job: try a wordlist of secret keys against one captured Flask
//! session cookie, a bounded slice at a time, and report how far it got.
//!
//! Nothing here touches the browser: the page runs [`Job::run`] in slices that yield between
//! them, handing in its clock; the native tests hand in a counter. The cookie is read once per
//! job into an [`crate::engine::itsdangerous::crack::Target`] (what is the same for every
//! candidate is computed there once).
//!
//! A wordlist is bytes: lines split on `\n`, one trailing `\r` dropped, empty lines skipped,
//! any other byte kept (NUL, invalid UTF-8). Each line is tried as those bytes, which is what
//! itsdangerous signs with when `SECRET_KEY` is that `str` in UTF-8 (its `want_bytes`) or those
//! very `bytes`. A UTF-8 byte-order mark at the start is dropped; a file that starts with a
//! UTF-16 byte-order mark is converted to UTF-8 first (a key typed in a UTF-16 file is a `str`,
//! and Flask signs a `str` with its UTF-8). Any other encoding is taken as bytes.

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
/// The longest text the cookie field takes. Browsers refuse to store a cookie whose name and
/// value pass 4,096 bytes, so a longer value cannot be a session cookie a browser sent; the
/// margin leaves room for a whole `Cookie:` line with a few other cookies on it. The bound
/// also bounds the work per candidate (about one compression per 64 bytes of cookie).
pub const MAX_COOKIE_BYTES: usize = 8 << 10;

/// The random bits of a key made by `secrets.token_hex(32)`.
pub const STRONG_KEY_BITS: i32 = 256;

/// The bits of the key Flask actually signs with: itsdangerous derives it from `SECRET_KEY`
/// as `HMAC-SHA1(SECRET_KEY, salt)`, 20 bytes. An attacker may search that derived key
/// directly instead of the secret, so a secret of more random bits than this is no harder to
/// brute-force.
pub const DERIVED_KEY_BITS: i32 = 160;

/// SHA-1 compressions of the derivation `HMAC-SHA1(candidate, "cookie-session")` for a
/// candidate of up to 64 bytes: key block and salt (one padded block), then key block and
/// digest. A search for the derived key skips them.
pub const DERIVATION_COMPRESSIONS: usize = 4;

/// Bytes one batch may scan at most, skipped lines included: a list of millions of empty or
/// over-long lines still yields to the page on time.
const BATCH_BYTES: usize = 1 << 20;

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

/// The next candidate at or after `*pos`, as [`next_line`] finds them, looking at no byte at or
/// past `limit`: `None` at the end of the list or at `limit`. A line the limit cuts is left for
/// the next call when short; when already longer than [`MAX_KEY_BYTES`], `*pos` moves to
/// `limit` and `*in_long` says that the rest of the line, up to its `\n`, is to be skipped.
fn scan<'a>(
    bytes: &'a [u8],
    pos: &mut usize,
    in_long: &mut bool,
    limit: usize,
) -> Option<&'a [u8]> {
    let limit = limit.min(bytes.len());
    while *pos < limit {
        let window = &bytes[*pos..limit];
        let line = match window.iter().position(|&b| b == b'\n') {
            Some(e) => {
                *pos += e + 1;
                &window[..e]
            }
            None if limit == bytes.len() => {
                *pos = limit;
                window
            }
            None => {
                if *in_long || window.len() > MAX_KEY_BYTES + 1 {
                    *in_long = true;
                    *pos = limit;
                }
                return None;
            }
        };
        if std::mem::take(in_long) {
            continue;
        }
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if !line.is_empty() && line.len() <= MAX_KEY_BYTES {
            return Some(line);
        }
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

    /// A list read from a file's bytes: UTF-8 or bytes per line, or UTF-16 with a byte-order
    /// mark (converted to UTF-8).
    pub fn from_bytes(origin: &str, bytes: Vec<u8>) -> Result<Wordlist, String> {
        if bytes.len() > MAX_FILE_BYTES {
            return Err(format!(
                "{origin} is {}: the cracker takes lists of up to {}.",
                size_text(bytes.len()),
                size_text(MAX_FILE_BYTES)
            ));
        }
        let bytes = match bytes.get(..2) {
            Some([0xff, 0xfe]) => from_utf16(origin, &bytes[2..], u16::from_le_bytes)?,
            Some([0xfe, 0xff]) => from_utf16(origin, &bytes[2..], u16::from_be_bytes)?,
            _ => bytes,
        };
        Wordlist::counted(origin.to_string(), without_bom(bytes)).non_empty()
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
        Wordlist::counted("the pasted list".into(), without_bom(text.into_bytes())).non_empty()
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

/// `bytes` without a UTF-8 byte-order mark at the start.
fn without_bom(mut bytes: Vec<u8>) -> Vec<u8> {
    if bytes.starts_with(b"\xef\xbb\xbf") {
        bytes.drain(..3);
    }
    bytes
}

/// UTF-16 text (after its byte-order mark), in the byte order `unit` reads, as UTF-8.
fn from_utf16(origin: &str, bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<Vec<u8>, String> {
    let refused = || {
        format!(
            "{} starts with a UTF-16 byte-order mark but is not valid UTF-16. Save the list \
             as UTF-8 text (or bytes), one key per line.",
            capitalised(origin)
        )
    };
    if !bytes.len().is_multiple_of(2) {
        return Err(refused());
    }
    let units = bytes.chunks_exact(2).map(|p| unit([p[0], p[1]]));
    let mut out = Vec::with_capacity(bytes.len());
    for c in char::decode_utf16(units) {
        let c = c.map_err(|_| refused())?;
        out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
    }
    Ok(out)
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
    /// Whether `pos` is inside an over-long line, to skip up to its end.
    in_long: bool,
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
            in_long: false,
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

    /// Tries at most `n` more candidates, scanning at most [`BATCH_BYTES`] of the list;
    /// returns whether it is still running.
    fn batch(&mut self, n: usize) -> bool {
        let bytes = &self.list.bytes;
        let limit = self.pos.saturating_add(BATCH_BYTES);
        let mut keys: Vec<&[u8]> = Vec::with_capacity(n);
        let (mut pos, mut in_long) = (self.pos, self.in_long);
        while keys.len() < n {
            match scan(bytes, &mut pos, &mut in_long, limit) {
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
                if pos >= bytes.len() {
                    self.state = State::Exhausted;
                }
            }
        }
        self.pos = pos;
        self.in_long = in_long;
        self.state == State::Running
    }

    /// How many made-up keys [`Job::measure_rate`] should time: 4,096 keys of the smallest
    /// cookie's cost (8 compressions each), fewer for a bigger cookie, at least 256.
    pub fn calibration_keys(&self) -> usize {
        (4096 * 8 / self.target.compressions_per_key().max(1)).clamp(256, 4096)
    }

    /// At `rate` candidate keys per second, how many derived keys per second this machine
    /// would try: a guess at the derived key costs one HMAC over the cookie, without the
    /// derivation's [`DERIVATION_COMPRESSIONS`].
    pub fn derived_key_rate(&self, rate: u64) -> u64 {
        let per_key = self.target.compressions_per_key();
        let per_guess = per_key.saturating_sub(DERIVATION_COMPRESSIONS).max(1);
        (rate as f64 * per_key as f64 / per_guess as f64).round() as u64
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

/// The bits a brute force must search for a secret of `bits` random bits: no more than the
/// derived key's [`DERIVED_KEY_BITS`].
pub fn search_bits(bits: i32) -> i32 {
    bits.min(DERIVED_KEY_BITS)
}

/// What a secret of `bits` random bits means at `rate` guesses per second at the derived key:
/// the expected time to find a key (half of the [`search_bits`] key space), in years, as a
/// power of ten (`about 10^34 years`); `None` without a rate.
pub fn strong_key_years(bits: i32, rate: u64) -> Option<i32> {
    if rate == 0 {
        return None;
    }
    let seconds = 2f64.powi(search_bits(bits) - 1) / rate as f64;
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
    fn strong_keys_take_ages_but_no_more_than_the_derived_keys_160_bits_allow() {
        // The derived key is 160 bits: 2^159 / 10^6 guesses/s = 7.3e41 s = 2.3e34 years,
        // whether the secret has 160 random bits or 256.
        assert_eq!(search_bits(STRONG_KEY_BITS), 160);
        assert_eq!(strong_key_years(STRONG_KEY_BITS, 1_000_000), Some(34));
        assert_eq!(strong_key_years(DERIVED_KEY_BITS, 1_000_000), Some(34));
        assert_eq!(strong_key_years(161, 1_000_000), Some(34));
        // Below 160 bits the secret is the easier search: 2^39 / 10^6 s = 6.4 days.
        assert_eq!(search_bits(40), 40);
        assert_eq!(strong_key_years(40, 1_000_000), Some(-2));
        assert_eq!(strong_key_years(STRONG_KEY_BITS, 0), None);
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(0), "0");
    }

    #[test]
    fn a_derived_key_guess_costs_one_hmac_over_the_cookie() {
        for extra in [0usize, 10, 30, 100, 500, 3000] {
            let json = format!(r#"{{"user_name":"ada","x":"{}"}}"#, "y".repeat(extra));
            let c = Serializer::flask_session("k", &[]).dumps(&json, T0);
            let job = Job::new(&c, Wordlist::from_paste("a".into()).unwrap()).unwrap();
            // One HMAC-SHA1 with a fresh key over `payload.timestamp`: the key block, the
            // message's padded blocks (after the 64-byte key block), the key block again and
            // the inner digest's block.
            let body = c.rsplit_once('.').unwrap().0.len();
            let hmac = 1 + (body + 9).div_ceil(64) + 2;
            let per_key = job.target.compressions_per_key();
            assert_eq!(per_key, DERIVATION_COMPRESSIONS + hmac, "{extra}");
            let rate = 1_000_000;
            assert_eq!(
                job.derived_key_rate(rate),
                (rate as f64 * per_key as f64 / hmac as f64).round() as u64
            );
        }
        // The smallest cookie: 8 compressions a candidate, 4 a derived-key guess.
        let job = Job::new(&cookie("k"), Wordlist::from_paste("a".into()).unwrap()).unwrap();
        assert_eq!(job.derived_key_rate(1000), 2000);
        assert_eq!(job.derived_key_rate(0), 0);
    }

    #[test]
    fn calibration_is_scaled_down_for_big_cookies() {
        let small = Job::new(&cookie("k"), Wordlist::from_paste("a".into()).unwrap()).unwrap();
        assert_eq!(small.calibration_keys(), 4096);
        // The biggest cookie the field takes: about 128 blocks a candidate.
        let json = format!(r#"{{"x":"{}"}}"#, "y".repeat(5000));
        let big = Serializer::flask_session("k", &[]).dumps(&json, T0);
        assert!(big.len() <= MAX_COOKIE_BYTES, "{}", big.len());
        let big = Job::new(&big, Wordlist::from_paste("a".into()).unwrap()).unwrap();
        let keys = big.calibration_keys();
        assert!(
            keys * big.target.compressions_per_key() <= 4096 * 8 + 256 * 8,
            "{keys}"
        );
        assert!(keys >= 256);
    }

    /// The candidates of `bytes` read by [`scan`] with windows of `window` bytes.
    fn scanned(bytes: &[u8], window: usize) -> Vec<Vec<u8>> {
        let (mut pos, mut in_long, mut out) = (0, false, Vec::new());
        let mut rounds = 0;
        while pos < bytes.len() {
            let limit = pos + window;
            while let Some(line) = scan(bytes, &mut pos, &mut in_long, limit) {
                out.push(line.to_vec());
            }
            rounds += 1;
            assert!(rounds <= bytes.len() + 1, "no progress at {pos}");
        }
        out
    }

    #[test]
    fn scanning_in_windows_finds_the_same_lines() {
        let long = "z".repeat(MAX_KEY_BYTES);
        let mut text = String::new();
        for i in 0..40 {
            match i % 7 {
                0 => text.push_str(&format!("{long}{i}\n")),
                1 => text.push_str(&format!("{long}\r\n")),
                2 => text.push_str("\r\n\n"),
                3 => text.push_str(&format!("{}\r\n", "w".repeat(MAX_KEY_BYTES * 3))),
                _ => text.push_str(&format!("k{i}\n")),
            }
        }
        text.push_str("last\r");
        let bytes = text.as_bytes();
        let (mut pos, mut long_lines, mut want) = (0, 0, Vec::new());
        while let Some(line) = next_line(bytes, &mut pos, &mut long_lines) {
            want.push(line.to_vec());
        }
        assert!(want.len() > 20 && long_lines > 5);
        for window in [MAX_KEY_BYTES + 2, MAX_KEY_BYTES + 3, 5000, 9999, 1 << 20] {
            assert_eq!(scanned(bytes, window), want, "{window}");
        }
    }

    #[test]
    fn a_batch_scans_a_bounded_share_of_skipped_lines() {
        // Eight megabytes of empty lines, then the key: one batch stops after a megabyte.
        let empties = "\n".repeat(8 << 20) + "key";
        let mut job = Job::new(&cookie("key"), Wordlist::from_paste(empties).unwrap()).unwrap();
        let p = job.run(Budget::Candidates(1), &mut ticking());
        assert_eq!((p.state, p.tried), (State::Running, 0));
        assert_eq!(job.pos, BATCH_BYTES);
        // One over-long line of eight megabytes: the same, and the line is skipped whole.
        let long = format!("{}\nkey\n", "x".repeat(8 << 20));
        let mut job = Job::new(&cookie("key"), Wordlist::from_paste(long).unwrap()).unwrap();
        let p = job.run(Budget::Candidates(1), &mut ticking());
        assert_eq!((p.state, p.tried), (State::Running, 0));
        assert_eq!((job.pos, job.in_long), (BATCH_BYTES, true));
        let p = crack(
            &cookie("key"),
            Wordlist::from_paste(format!("{}\nkey", "x".repeat(3 << 20))).unwrap(),
        );
        assert_eq!((p.state, p.tried, p.too_long), (State::Found, 1, 1));
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_first_key() {
        let c = cookie("hello");
        let p = crack(
            &c,
            Wordlist::from_paste("\u{feff}hello\nx\n".into()).unwrap(),
        );
        assert_eq!((p.state, p.tried), (State::Found, 1));
        let p = crack(
            &c,
            Wordlist::from_bytes("f", b"\xef\xbb\xbfhello\n".to_vec()).unwrap(),
        );
        assert_eq!((p.state, p.tried), (State::Found, 1));
        // Only at the start: elsewhere the bytes are a key's own.
        let p = crack(
            &c,
            Wordlist::from_bytes("f", b"a\n\xef\xbb\xbfhello\n".to_vec()).unwrap(),
        );
        assert_eq!((p.state, p.tried), (State::Exhausted, 2));
        // A file of nothing but the mark is empty.
        assert!(Wordlist::from_bytes("f", b"\xef\xbb\xbf".to_vec())
            .unwrap_err()
            .contains("is empty"));
    }

    #[test]
    fn utf16_files_with_a_byte_order_mark_are_read_as_text() {
        let c = cookie("clé");
        let text = "x\r\nclé\r\n";
        let le: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xfe, 0xff]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        for bytes in [le.clone(), be] {
            let list = Wordlist::from_bytes("words.txt", bytes).unwrap();
            assert_eq!(list.len(), 2);
            let p = crack(&c, list);
            assert_eq!((p.state, p.tried), (State::Found, 2));
            assert_eq!(p.found.as_deref(), Some("clé".as_bytes()));
        }
        // Broken UTF-16 gets a message: an odd length, a lone surrogate.
        let odd = le[..le.len() - 1].to_vec();
        let lone = vec![0xff, 0xfe, b'a', 0, 0x00, 0xd8, b'\n', 0];
        for bytes in [odd, lone] {
            let err = Wordlist::from_bytes("words.txt", bytes).unwrap_err();
            assert!(err.contains("Words.txt") && err.contains("UTF-8"), "{err}");
        }
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
