//! Share links: a lab's journal in a URL fragment, so that opening the link replays the same
//! requests with the same random seed and shows the same page, wire, jar and store. Nothing
//! is sent anywhere: the fragment never leaves the browser.
//!
//! The text after `lab=` is `<format>.<data>`: the format number (this file writes and reads
//! [`FORMAT`]), a dot, then URL-safe base64 (no padding) of the zlib-compressed record:
//!
//! ```text
//! scenario id (string), seed (varint), the clock when shared (zigzag varint),
//! number of acts (varint), then per act: its time as a zigzag difference from the time
//! before it (the first from the clock when shared), a tag byte and its fields
//! ```
//!
//! Strings are a varint length and UTF-8 bytes. A link is input from anywhere, so decoding
//! bounds everything (the text, the inflated record, the number of acts, every string, every
//! time) and fails with a [`LinkError`] the page can show; what it yields can only ever be the
//! lab's own acts.

use super::run::{Act, Entry, Run};
use super::scenarios::{self, Scenario};
use super::{BrowserId, CookieJar};
use crate::engine::flask::config::ConfigValue;
use crate::engine::itsdangerous::pybase64;
use crate::engine::itsdangerous::signing;
use crate::engine::itsdangerous::zlib;
use std::fmt;

/// The record format this build writes and reads.
pub const FORMAT: u32 = 1;
/// The longest link text read (characters after `lab=`).
pub const MAX_TEXT: usize = 512 * 1024;
/// The largest inflated record read.
pub const MAX_RECORD: usize = 2 * 1024 * 1024;
/// The most acts a link may hold: far more than a class demo takes, few enough that replaying
/// them (each a request through the real `document.cookie`) stays within a few seconds.
pub const MAX_ACTS: usize = 1_000;
/// The longest text (a path, a form value, a cookie value, a key) a link may carry: twice a
/// browser's largest cookie. With [`MAX_LIST`] it bounds what one replayed request can cost.
pub const MAX_STRING: usize = 8 * 1024;
/// The most form fields or setting items (`SECRET_KEY_FALLBACKS`) in one act.
pub const MAX_LIST: usize = 64;
/// The latest time a link may name: the end of year 9999, as far as Python's datetime goes.
pub const MAX_TIME: i64 = 253_402_300_799;
/// The longest single clock move: a hundred years.
pub const MAX_ADVANCE: i64 = 100 * 366 * 86_400;

/// A decoded link: which scenario, its seed, the clock when it was shared, and the journal.
#[derive(Debug, Clone, PartialEq)]
pub struct Shared {
    pub scenario: &'static Scenario,
    pub seed: u64,
    pub clock: i64,
    pub journal: Vec<Entry>,
}

/// Why a link could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// Made by a later Session Lab.
    Newer(u32),
    /// Not a link this lab made, or damaged on the way.
    Damaged(&'static str),
    /// The scenario it names is not in this lab.
    UnknownScenario(String),
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::Newer(n) => write!(
                f,
                "This share link was made by a newer Session Lab (format {n}; this one reads \
                 format {FORMAT}). The scenario starts from the beginning instead."
            ),
            LinkError::Damaged(why) => write!(
                f,
                "This share link is damaged or was edited by hand ({why}). The scenario starts \
                 from the beginning instead."
            ),
            LinkError::UnknownScenario(id) => write!(
                f,
                "This share link names a scenario this lab does not have (\"{id}\")."
            ),
        }
    }
}

/// The text for `lab=` that reproduces `run` with its clock showing `clock`, or why there is
/// none (a journal longer than a link may carry).
pub fn encode<J: CookieJar>(run: &Run<J>, clock: i64) -> Result<String, String> {
    if run.journal.len() > MAX_ACTS {
        return Err(format!(
            "This lab has {} actions; a share link carries at most {MAX_ACTS}. Open the \
             scenario afresh to make a shorter one.",
            run.journal.len()
        ));
    }
    let text = encode_parts(run.scenario, run.seed, clock, &run.journal);
    // A link this lab makes is a link it reads: what the decoder's bounds refuse (a 10 kB
    // path, a hundred fallback keys) is refused here, with the decoder's reason.
    decode(&text).map_err(|e| match e {
        LinkError::Damaged(why) => format!(
            "This lab cannot be put in a share link: {why} (at most {MAX_STRING} bytes per \
             text, {MAX_LIST} fields or keys per action)."
        ),
        other => other.to_string(),
    })?;
    Ok(text)
}

/// [`encode`] from the parts.
pub fn encode_parts(scenario: &Scenario, seed: u64, clock: i64, journal: &[Entry]) -> String {
    let mut out = Vec::with_capacity(64 + journal.len() * 16);
    put_str(&mut out, scenario.id);
    put_varint(&mut out, seed);
    put_int(&mut out, clock);
    put_varint(&mut out, journal.len() as u64);
    let mut before = clock;
    for entry in journal {
        put_int(&mut out, entry.at.wrapping_sub(before));
        before = entry.at;
        put_act(&mut out, &entry.act);
    }
    let mut text = format!("{FORMAT}.");
    pybase64::urlsafe_encode_into(&zlib::compress(&out), &mut text);
    text
}

/// Reads a link's `lab=` text.
pub fn decode(text: &str) -> Result<Shared, LinkError> {
    use LinkError::Damaged;
    if text.len() > MAX_TEXT {
        return Err(Damaged("it is too long"));
    }
    let (format, data) = text.split_once('.').ok_or(Damaged("no format number"))?;
    // Digits only, no sign and no leading zero: one spelling per format.
    let digits = !format.is_empty()
        && format.bytes().all(|b| b.is_ascii_digit())
        && (format == "0" || !format.starts_with('0'));
    let format: u32 = format
        .parse()
        .ok()
        .filter(|_| digits)
        .ok_or(Damaged("the format is not a number"))?;
    if format > FORMAT {
        return Err(LinkError::Newer(format));
    }
    if format != FORMAT {
        return Err(Damaged("unknown format"));
    }
    if !data
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(Damaged("characters that are not URL-safe base64"));
    }
    let packed =
        pybase64::urlsafe_decode(data).map_err(|_| Damaged("its base64 does not decode"))?;
    let record = signing::inflate_limited(&packed, MAX_RECORD)
        .map_err(|_| Damaged("its data does not decompress"))?;
    let mut r = Reader(&record);
    let id = r.str()?;
    let scenario = scenarios::by_id(&id).ok_or_else(|| {
        // Shown to the learner: short, and without control characters.
        let shown = id.chars().filter(|c| !c.is_control()).take(64).collect();
        LinkError::UnknownScenario(shown)
    })?;
    let seed = r.varint()?;
    let clock = r.time(0)?;
    let count = r.varint()?;
    if count > MAX_ACTS as u64 {
        return Err(Damaged("too many actions"));
    }
    // Reserve no more than the record could hold: every act takes at least two bytes.
    let mut journal = Vec::with_capacity((count as usize).min(r.0.len() / 2));
    let mut before = clock;
    for _ in 0..count {
        let at = r.time(before)?;
        before = at;
        let act = r.act()?;
        journal.push(Entry { at, act });
    }
    if !r.0.is_empty() {
        return Err(Damaged("data after the last action"));
    }
    Ok(Shared {
        scenario,
        seed,
        clock,
        journal,
    })
}

// ---------------------------------------------------------------------------------------------
// Writing.

fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push(n as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn put_int(out: &mut Vec<u8>, n: i64) {
    put_varint(out, ((n << 1) ^ (n >> 63)) as u64);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn browser_byte(b: BrowserId) -> u8 {
    match b {
        BrowserId::Main => 0,
        BrowserId::Second => 1,
    }
}

fn put_act(out: &mut Vec<u8>, act: &Act) {
    let b = |out: &mut Vec<u8>, tag: u8, browser: BrowserId| {
        out.push(tag);
        out.push(browser_byte(browser));
    };
    match act {
        Act::Navigate { browser, target } => {
            b(out, 0, *browser);
            put_str(out, target);
        }
        Act::Submit {
            browser,
            method,
            action,
            fields,
        } => {
            b(out, 1, *browser);
            put_str(out, method);
            put_str(out, action);
            put_varint(out, fields.len() as u64);
            for (k, v) in fields {
                put_str(out, k);
                put_str(out, v);
            }
        }
        Act::Back(browser) => b(out, 2, *browser),
        Act::Forward(browser) => b(out, 3, *browser),
        Act::Reload(browser) => b(out, 4, *browser),
        Act::Advance(seconds) => {
            out.push(5);
            put_int(out, *seconds);
        }
        Act::ResetClock => out.push(6),
        Act::Restart(browser) => b(out, 7, *browser),
        Act::ClearCookies(browser) => b(out, 8, *browser),
        Act::OpenSecond => out.push(9),
        Act::CloseSecond => out.push(10),
        Act::EditCookie {
            browser,
            name,
            path,
            value,
        } => {
            b(out, 11, *browser);
            put_str(out, name);
            put_str(out, path);
            put_str(out, value);
        }
        Act::Configure { key, value } => {
            out.push(12);
            put_str(out, key);
            match value {
                ConfigValue::None => out.push(0),
                ConfigValue::Bool(v) => out.extend([1, u8::from(*v)]),
                ConfigValue::Int(n) => {
                    out.push(2);
                    put_int(out, *n);
                }
                ConfigValue::Str(s) => {
                    out.push(3);
                    put_str(out, s);
                }
                ConfigValue::List(items) => {
                    out.push(4);
                    put_varint(out, items.len() as u64);
                    for item in items {
                        put_str(out, item);
                    }
                }
            }
        }
        Act::ServerSide(on) => out.extend([13, u8::from(*on)]),
        Act::Fix => out.push(14),
        Act::Forge { browser, json } => {
            b(out, 15, *browser);
            put_str(out, json);
        }
        Act::Steal { browser, script } => {
            b(out, 16, *browser);
            out.push(u8::from(*script));
        }
        Act::Plant(browser) => b(out, 17, *browser),
        Act::UserAgent { browser, agent } => {
            b(out, 18, *browser);
            put_str(out, agent);
        }
        Act::Sign { browser, json, key } => {
            b(out, 19, *browser);
            put_str(out, json);
            put_str(out, key);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reading: every read checks what is left, so a short or hostile record is an error.

struct Reader<'a>(&'a [u8]);

const SHORT: LinkError = LinkError::Damaged("it ends too soon");

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8, LinkError> {
        let (&b, rest) = self.0.split_first().ok_or(SHORT)?;
        self.0 = rest;
        Ok(b)
    }

    fn varint(&mut self) -> Result<u64, LinkError> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err(LinkError::Damaged("a number is too long"))
    }

    fn int(&mut self) -> Result<i64, LinkError> {
        let z = self.varint()?;
        Ok((z >> 1) as i64 ^ -((z & 1) as i64))
    }

    /// A time written as a difference from `before`, within 0..=[`MAX_TIME`].
    fn time(&mut self, before: i64) -> Result<i64, LinkError> {
        let at = before.wrapping_add(self.int()?);
        if (0..=MAX_TIME).contains(&at) {
            Ok(at)
        } else {
            Err(LinkError::Damaged("a time out of range"))
        }
    }

    fn str(&mut self) -> Result<String, LinkError> {
        let len = self.varint()?;
        if len > self.0.len() as u64 {
            return Err(SHORT);
        }
        if len > MAX_STRING as u64 {
            return Err(LinkError::Damaged("a text is too long"));
        }
        let (bytes, rest) = self.0.split_at(len as usize);
        self.0 = rest;
        String::from_utf8(bytes.to_vec()).map_err(|_| LinkError::Damaged("text that is not UTF-8"))
    }

    /// The length of a list of form fields or setting items.
    fn count(&mut self) -> Result<usize, LinkError> {
        let n = self.varint()?;
        if n > MAX_LIST as u64 {
            return Err(LinkError::Damaged("too many fields or keys in one action"));
        }
        Ok(n as usize)
    }

    fn browser(&mut self) -> Result<BrowserId, LinkError> {
        match self.byte()? {
            0 => Ok(BrowserId::Main),
            1 => Ok(BrowserId::Second),
            _ => Err(LinkError::Damaged("an unknown browser")),
        }
    }

    fn act(&mut self) -> Result<Act, LinkError> {
        Ok(match self.byte()? {
            0 => Act::Navigate {
                browser: self.browser()?,
                target: self.str()?,
            },
            1 => {
                let browser = self.browser()?;
                let method = self.str()?;
                let action = self.str()?;
                let n = self.count()?;
                let mut fields = Vec::with_capacity(n);
                for _ in 0..n {
                    fields.push((self.str()?, self.str()?));
                }
                Act::Submit {
                    browser,
                    method,
                    action,
                    fields,
                }
            }
            2 => Act::Back(self.browser()?),
            3 => Act::Forward(self.browser()?),
            4 => Act::Reload(self.browser()?),
            5 => {
                let seconds = self.int()?;
                if !(0..=MAX_ADVANCE).contains(&seconds) {
                    return Err(LinkError::Damaged("a clock move out of range"));
                }
                Act::Advance(seconds)
            }
            6 => Act::ResetClock,
            7 => Act::Restart(self.browser()?),
            8 => Act::ClearCookies(self.browser()?),
            9 => Act::OpenSecond,
            10 => Act::CloseSecond,
            11 => Act::EditCookie {
                browser: self.browser()?,
                name: self.str()?,
                path: self.str()?,
                value: self.str()?,
            },
            12 => {
                let key = self.str()?;
                let value = match self.byte()? {
                    0 => ConfigValue::None,
                    1 => ConfigValue::Bool(self.flag()?),
                    2 => ConfigValue::Int(self.int()?),
                    3 => ConfigValue::Str(self.str()?),
                    4 => {
                        let n = self.count()?;
                        let mut items = Vec::with_capacity(n);
                        for _ in 0..n {
                            items.push(self.str()?);
                        }
                        ConfigValue::List(items)
                    }
                    _ => return Err(LinkError::Damaged("an unknown setting type")),
                };
                Act::Configure { key, value }
            }
            13 => Act::ServerSide(self.flag()?),
            14 => Act::Fix,
            15 => Act::Forge {
                browser: self.browser()?,
                json: self.str()?,
            },
            16 => Act::Steal {
                browser: self.browser()?,
                script: self.flag()?,
            },
            17 => Act::Plant(self.browser()?),
            18 => Act::UserAgent {
                browser: self.browser()?,
                agent: self.str()?,
            },
            19 => Act::Sign {
                browser: self.browser()?,
                json: self.str()?,
                key: self.str()?,
            },
            _ => return Err(LinkError::Damaged("an unknown action")),
        })
    }

    fn flag(&mut self) -> Result<bool, LinkError> {
        match self.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(LinkError::Damaged("a switch that is neither on nor off")),
        }
    }
}
