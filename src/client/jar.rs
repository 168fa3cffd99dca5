//! A browser's cookie jar for the origin `http://localhost`, as Chromium keeps it: what happens
//! to each `Set-Cookie` a response sends ([`Jar::apply`]), which cookies go back in the next
//! request's `Cookie` header ([`Jar::cookie_header`]) and why the others stay home
//! ([`Jar::explain`]). Both `session-lab-cli replay` and the lab's second (in-memory) browser
//! run on it; the clock (`now`, unix seconds) is passed in, so the lab can fast-forward it.
//!
//! RFC 6265 (and 6265bis) storage and retrieval, with Chromium's choices where browsers differ:
//!
//! - **Parsing.** `name=value` is everything before the first `;`, split at its first `=`, both
//!   trimmed of spaces and tabs; double quotes stay part of the value (so Werkzeug's quoted
//!   values go back exactly as they came). Without `=`, the name is empty and the text is the
//!   value, sent back alone. Attribute names are case-insensitive; for a repeated attribute the
//!   last one counts. A control character anywhere (other than tab) makes Chromium ignore the
//!   whole header. Name plus value over 4096 bytes is refused; an attribute value over 1024
//!   bytes is ignored.
//! - **Expiry.** `Max-Age` wins over `Expires`. `Max-Age` is an optional sign and digits
//!   (too large saturates); `0` or less expires the cookie at once; anything else is ignored.
//!   `Expires` is read with [`parse_http_date`]; an unreadable date is ignored. With neither,
//!   the cookie is a *session cookie* and lives until the browser closes
//!   ([`Jar::restart_browser`]). Since Chrome 104 no cookie lives longer than 400 days from
//!   when it is set: a later date is cut to that. A cookie that arrives already expired is not
//!   stored and deletes the stored one with the same name, domain and path: that is how
//!   Werkzeug's deletion cookie (`Expires=Thu, 01 Jan 1970 ...; Max-Age=0`) logs you out.
//! - **Path.** A `Path` that is empty or does not start with `/` is replaced by the default
//!   path: the request path up to, not including, its last `/` (`/` when that is the only one).
//! - **Domain.** `localhost` has no registrable domain, so the only `Domain` Chromium accepts
//!   there is `localhost` itself (a leading dot is dropped, case does not matter), and it makes a
//!   host-only cookie, exactly as no `Domain` does; any other domain refuses the cookie.
//! - **Secure.** Since Chrome 89 (crbug.com/1056543) `http://localhost` counts as a potentially
//!   trustworthy origin for cookies: a `Secure` cookie is stored and sent there. The name
//!   prefixes `__Secure-` and `__Host-` are still checked against the scheme, so over
//!   `http://` they are refused (as reported in httpwg/http-extensions#2605 and #2759). Safari
//!   has no localhost exception, and on a plain-http host that is not loopback every browser
//!   refuses a `Secure` cookie ("Secure cookies vanish over http"); [`SecureContext::Insecure`]
//!   models that page.
//! - **SameSite / Partitioned.** `SameSite=None` without `Secure` is refused, as is
//!   `Partitioned` without `Secure`. Every request here is same-site (one origin), so `SameSite`
//!   never holds a cookie back; the jar keeps the value for display. An unknown value is kept as
//!   unspecified (Chromium then treats the cookie as `Lax`).
//! - **HttpOnly.** The jar keeps the flag and still sends the cookie: `HttpOnly` only hides a
//!   cookie from page script. In a real browser `document.cookie` would not list a `session`
//!   cookie Flask set (Flask sets `HttpOnly` by default), although DevTools shows it.
//! - **Sending.** A cookie goes with a request when it has not expired (`now >= expiry` is
//!   expired) and its path path-matches the request path (RFC 6265 5.1.4). Longer paths come
//!   first, then earlier creation; replacing a cookie keeps its original creation time. The
//!   header is `name=value` pairs joined by `; `.
//!
//! Not modelled: per-host and global cookie limits and eviction, last-access times, cookies
//! from other hosts, script writes (`document.cookie`), third-party contexts.

use crate::engine::werkzeug::cookie::SameSite;
use crate::engine::werkzeug::http_date::{http_date, parse_http_date};
use std::fmt;

/// The host every cookie in this jar belongs to (the Werkzeug test client's and the lab's).
pub const HOST: &str = "localhost";

/// The origin the jar stands for.
pub const ORIGIN: &str = "http://localhost";

/// Chromium's limit on name plus value, in bytes.
pub const MAX_NAME_VALUE_SIZE: usize = 4096;

/// Chromium's limit on one attribute value, in bytes; longer values are ignored.
pub const MAX_ATTRIBUTE_VALUE_SIZE: usize = 1024;

/// Chromium's cap on a cookie's lifetime (Chrome 104 and later): 400 days.
pub const MAX_LIFETIME: i64 = 400 * 86_400;

/// Whether the page counts as a secure context for cookies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SecureContext {
    /// Chromium (and Firefox) on `http://localhost`: `Secure` cookies are set and sent.
    #[default]
    Trustworthy,
    /// A plain-`http://` page the browser does not trust (Safari on localhost, any browser on
    /// a non-loopback host): `Secure` cookies are refused and never sent.
    Insecure,
}

/// A cookie as the jar holds it: what DevTools' Application > Cookies table shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCookie {
    pub name: String,
    /// The value exactly as it came, quotes included.
    pub value: String,
    /// Always [`HOST`]: a `Domain` attribute on localhost can only name localhost itself.
    pub domain: String,
    /// True for every cookie here (see [`StoredCookie::domain`]).
    pub host_only: bool,
    pub path: String,
    /// When it expires (unix seconds); `None` for a session cookie, which lives until the
    /// browser closes.
    pub expires: Option<i64>,
    /// `HttpOnly`: page script could not read this cookie in a real browser; it is still sent.
    pub http_only: bool,
    pub secure: bool,
    /// `None` when the attribute is absent or unknown (Chromium: "unspecified", acting as Lax).
    pub same_site: Option<SameSite>,
    pub partitioned: bool,
    /// When it was first stored (unix seconds); kept when a later `Set-Cookie` replaces it.
    pub creation: i64,
    /// Name plus value in bytes, as DevTools counts it.
    pub size: usize,
}

impl StoredCookie {
    /// A session cookie: no `Expires`/`Max-Age`, gone when the browser closes.
    pub fn is_session(&self) -> bool {
        self.expires.is_none()
    }

    /// Chromium's `IsExpired`: the expiry time has been reached.
    pub fn is_expired(&self, now: i64) -> bool {
        self.expires.is_some_and(|e| now >= e)
    }

    /// RFC 6265 5.1.4 path-match of this cookie's path against a request path (the query and
    /// fragment, if any, are ignored).
    pub fn path_matches(&self, request_path: &str) -> bool {
        path_matches(&self.path, uri_path(request_path))
    }

    /// `name=value`, or the bare value for a cookie without a name.
    pub fn pair(&self) -> String {
        if self.name.is_empty() {
            self.value.clone()
        } else {
            format!("{}={}", self.name, self.value)
        }
    }
}

/// Why a `Set-Cookie` was refused. Several can apply at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// A control character (other than tab) somewhere in the header.
    DisallowedCharacter,
    /// Neither a name nor a value.
    NoContent,
    /// Name plus value over [`MAX_NAME_VALUE_SIZE`] bytes.
    TooLarge { size: usize },
    /// A `Domain` that is not localhost.
    DomainMismatch { domain: String },
    /// `Secure` on a page the browser does not treat as secure ([`SecureContext::Insecure`]).
    SecureOverHttp,
    /// A `__Secure-` or `__Host-` name (or a nameless cookie whose value starts with one) set
    /// over `http://`, or without the attributes the prefix demands.
    Prefix { prefix: &'static str },
    /// `SameSite=None` without `Secure`.
    SameSiteNoneInsecure,
    /// `Partitioned` without `Secure`.
    PartitionedInsecure,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::DisallowedCharacter => f.write_str(
                "the header holds a control character, so the browser ignores it entirely",
            ),
            Rejection::NoContent => f.write_str("it has neither a name nor a value"),
            Rejection::TooLarge { size } => write!(
                f,
                "name and value are {size} bytes, over the {MAX_NAME_VALUE_SIZE} a browser keeps"
            ),
            Rejection::DomainMismatch { domain } => {
                write!(f, "Domain={domain} does not domain-match {HOST}")
            }
            Rejection::SecureOverHttp => f.write_str(
                "it is Secure but came over http:// on a page this browser does not trust",
            ),
            Rejection::Prefix { prefix } => {
                if *prefix == "__Host-" {
                    write!(
                        f,
                        "a {prefix} cookie must come over https:// with Secure, Path=/ and no Domain"
                    )
                } else {
                    write!(f, "a {prefix} cookie must come over https:// with Secure")
                }
            }
            Rejection::SameSiteNoneInsecure => f.write_str("SameSite=None requires Secure"),
            Rejection::PartitionedInsecure => f.write_str("Partitioned requires Secure"),
        }
    }
}

/// Something the browser ignored or adjusted while still handling the cookie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// An `Expires` that is not a date.
    ExpiresIgnored(String),
    /// A `Max-Age` that is not a whole number.
    MaxAgeIgnored(String),
    /// Both were given and `Max-Age` decided.
    MaxAgeWins,
    /// A `Path` that is empty or does not start with `/`; the default path was used.
    PathDefaulted { given: String, used: String },
    /// `Domain=localhost`: accepted, as a host-only cookie.
    DomainHostOnly,
    /// An attribute value over [`MAX_ATTRIBUTE_VALUE_SIZE`] bytes, ignored.
    AttributeTooLong(String),
    /// A `SameSite` value that is not Strict, Lax or None.
    UnknownSameSite(String),
    /// An expiry more than 400 days away, cut to 400 days.
    ExpiryCapped { requested: i64, capped: i64 },
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::ExpiresIgnored(v) => write!(f, "Expires={v} is not a date: ignored"),
            Note::MaxAgeIgnored(v) => write!(f, "Max-Age={v} is not a number: ignored"),
            Note::MaxAgeWins => f.write_str("Max-Age wins over Expires"),
            Note::PathDefaulted { given, used } => {
                write!(
                    f,
                    "Path={given} does not start with '/': default path {used} used"
                )
            }
            Note::DomainHostOnly => {
                write!(
                    f,
                    "Domain={HOST} makes a host-only cookie (no registrable domain)"
                )
            }
            Note::AttributeTooLong(name) => write!(
                f,
                "the {name} value is over {MAX_ATTRIBUTE_VALUE_SIZE} bytes: ignored"
            ),
            Note::UnknownSameSite(v) => {
                write!(f, "SameSite={v} is unknown: treated as unspecified (Lax)")
            }
            Note::ExpiryCapped { requested, capped } => write!(
                f,
                "expiry {} is over 400 days away: cut to {}",
                http_date(*requested),
                http_date(*capped)
            ),
        }
    }
}

/// What [`Jar::apply`] did with one `Set-Cookie`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// Stored, as new or replacing a cookie with the same name, domain and path.
    Stored {
        cookie: StoredCookie,
        replaced: bool,
        notes: Vec<Note>,
    },
    /// It arrived already expired: not stored, and any cookie with the same name, domain and
    /// path was deleted (`removed` says whether there was one).
    Deleted {
        name: String,
        path: String,
        removed: bool,
        notes: Vec<Note>,
    },
    /// Refused; the jar is unchanged.
    Rejected {
        name: String,
        reasons: Vec<Rejection>,
        notes: Vec<Note>,
    },
}

impl Applied {
    pub fn notes(&self) -> &[Note] {
        match self {
            Applied::Stored { notes, .. }
            | Applied::Deleted { notes, .. }
            | Applied::Rejected { notes, .. } => notes,
        }
    }

    pub fn is_stored(&self) -> bool {
        matches!(self, Applied::Stored { .. })
    }
}

impl fmt::Display for Applied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Applied::Stored {
                cookie, replaced, ..
            } => {
                let verb = if *replaced { "replaced" } else { "stored" };
                match cookie.expires {
                    Some(e) => write!(
                        f,
                        "{verb} {} (path {}, expires {})",
                        cookie.name,
                        cookie.path,
                        http_date(e)
                    ),
                    None => write!(
                        f,
                        "{verb} {} (path {}, session cookie: gone when the browser closes)",
                        cookie.name, cookie.path
                    ),
                }
            }
            Applied::Deleted {
                name,
                path,
                removed,
                ..
            } => {
                if *removed {
                    write!(
                        f,
                        "deleted {name} (path {path}): it arrived already expired"
                    )
                } else {
                    write!(
                        f,
                        "nothing to delete for {name} (path {path}): it arrived already expired"
                    )
                }
            }
            Applied::Rejected { name, reasons, .. } => {
                write!(f, "rejected {name}: ")?;
                for (i, r) in reasons.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{r}")?;
                }
                Ok(())
            }
        }
    }
}

/// Whether a stored cookie goes with a request, and why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendDecision {
    Sent,
    /// Its expiry time has been reached.
    Expired {
        at: i64,
    },
    /// Its path does not path-match the request's.
    PathMismatch {
        cookie_path: String,
        request_path: String,
    },
    /// `Secure`, and the page is [`SecureContext::Insecure`].
    SecureOverHttp,
}

impl SendDecision {
    pub fn is_sent(&self) -> bool {
        matches!(self, SendDecision::Sent)
    }
}

impl fmt::Display for SendDecision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendDecision::Sent => f.write_str("sent"),
            SendDecision::Expired { at } => write!(f, "not sent: expired at {}", http_date(*at)),
            SendDecision::PathMismatch {
                cookie_path,
                request_path,
            } => write!(
                f,
                "not sent: path {cookie_path} does not match {request_path}"
            ),
            SendDecision::SecureOverHttp => {
                f.write_str("not sent: Secure cookie over http:// on an untrusted page")
            }
        }
    }
}

#[derive(Debug, Clone)]
struct Entry {
    cookie: StoredCookie,
    /// Tie-breaker for equal creation seconds: the order cookies were first stored in.
    seq: u64,
}

/// The cookie jar of one browser profile on `http://localhost`.
#[derive(Debug, Clone, Default)]
pub struct Jar {
    entries: Vec<Entry>,
    next_seq: u64,
    context: SecureContext,
}

/// The parts of a `Set-Cookie` header, before the browser decides anything.
#[derive(Debug, Default)]
struct Parsed<'a> {
    name: &'a str,
    value: &'a str,
    expires: Option<&'a str>,
    max_age: Option<&'a str>,
    domain: Option<&'a str>,
    path: Option<&'a str>,
    secure: bool,
    http_only: bool,
    same_site: Option<&'a str>,
    partitioned: bool,
}

fn trim_ws(s: &str) -> &str {
    s.trim_matches([' ', '\t'])
}

fn is_disallowed(c: char) -> bool {
    matches!(c, '\x00'..='\x08' | '\x0a'..='\x1f' | '\x7f')
}

fn parse<'a>(header: &'a str, notes: &mut Vec<Note>) -> Parsed<'a> {
    let (pair, attrs) = header.split_once(';').unwrap_or((header, ""));
    let (name, value) = match pair.split_once('=') {
        Some((n, v)) => (trim_ws(n), trim_ws(v)),
        None => ("", trim_ws(pair)),
    };
    let mut p = Parsed {
        name,
        value,
        ..Parsed::default()
    };
    for av in attrs.split(';') {
        let (key, val) = match av.split_once('=') {
            Some((k, v)) => (trim_ws(k), trim_ws(v)),
            None => (trim_ws(av), ""),
        };
        if key.is_empty() {
            continue;
        }
        if val.len() > MAX_ATTRIBUTE_VALUE_SIZE {
            notes.push(Note::AttributeTooLong(key.to_string()));
            continue;
        }
        match key.to_ascii_lowercase().as_str() {
            "expires" => p.expires = Some(val),
            "max-age" => p.max_age = Some(val),
            "domain" => p.domain = Some(val),
            "path" => p.path = Some(val),
            "secure" => p.secure = true,
            "httponly" => p.http_only = true,
            "samesite" => p.same_site = Some(val),
            "partitioned" => p.partitioned = true,
            _ => {}
        }
    }
    p
}

/// Chromium's `base::StringToInt64` as the Max-Age check uses it: optional sign, ASCII digits
/// only, overflow saturating. `None` for anything else (then the attribute is ignored).
fn parse_max_age(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut n: i64 = 0;
    for b in digits.bytes() {
        let d = i64::from(b - b'0');
        n = n.saturating_mul(10);
        n = if negative {
            n.saturating_sub(d)
        } else {
            n.saturating_add(d)
        };
    }
    Some(n)
}

/// The request path without query or fragment; `/` when it does not start with `/`.
fn uri_path(request_path: &str) -> &str {
    let end = request_path.find(['?', '#']).unwrap_or(request_path.len());
    let path = &request_path[..end];
    if path.starts_with('/') {
        path
    } else {
        "/"
    }
}

/// RFC 6265 5.1.4 default-path.
pub fn default_path(request_path: &str) -> String {
    let path = uri_path(request_path);
    match path.rfind('/') {
        Some(0) | None => "/".to_string(),
        Some(i) => path[..i].to_string(),
    }
}

/// RFC 6265 5.1.4 path-match (Chromium's `IsOnPath`).
pub fn path_matches(cookie_path: &str, request_path: &str) -> bool {
    if cookie_path.is_empty() || !request_path.starts_with(cookie_path) {
        return false;
    }
    request_path.len() == cookie_path.len()
        || cookie_path.ends_with('/')
        || request_path.as_bytes()[cookie_path.len()] == b'/'
}

/// The prefix a name (case-insensitively, as Chromium checks now) starts with, if any.
fn prefix_of(name: &str) -> Option<&'static str> {
    ["__Secure-", "__Host-"].into_iter().find(|p| {
        name.get(..p.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(p))
    })
}

impl Jar {
    /// An empty jar on `http://localhost` as Chromium treats it ([`SecureContext::Trustworthy`]).
    pub fn new() -> Jar {
        Jar::default()
    }

    /// An empty jar whose page has the given security.
    pub fn with_context(context: SecureContext) -> Jar {
        Jar {
            context,
            ..Jar::default()
        }
    }

    pub fn context(&self) -> SecureContext {
        self.context
    }

    /// Switches how the page's security is judged from now on (the lab's "what would Safari,
    /// or a plain-http host, do" switch). Stored cookies stay; under
    /// [`SecureContext::Insecure`] the `Secure` ones are no longer sent.
    pub fn set_context(&mut self, context: SecureContext) {
        self.context = context;
    }

    /// Handles one `Set-Cookie` header value received in the response to a request for
    /// `request_path` (query allowed, ignored) at `now`.
    ///
    /// ```
    /// use session_lab::client::jar::{Applied, Jar};
    /// let mut jar = Jar::new();
    /// // Seed 003's login cookie as Flask 3.1.3 sends it (tests/apps.rs).
    /// let set = "session=eyJfcGVybWFuZW50Ijp0cnVlLCJ1c2VyIjoiQWxpY2UifQ.ZVPxCg.ycFohYUTPbKD0cCB4etnOXN7RGY; \
    ///            Expires=Tue, 14 Nov 2023 22:18:30 GMT; HttpOnly; Path=/";
    /// assert!(jar.apply(set, "/login", 1_700_000_010).is_stored());
    /// assert!(jar.cookie_header("/user", 1_700_000_309).is_some());
    /// // Expires is 1_700_000_310: from then on the browser stops sending it.
    /// assert_eq!(jar.cookie_header("/user", 1_700_000_310), None);
    /// ```
    pub fn apply(
        &mut self,
        set_cookie_header_value: &str,
        request_path: &str,
        now: i64,
    ) -> Applied {
        let header = set_cookie_header_value;
        let mut notes = Vec::new();
        if header.chars().any(is_disallowed) {
            let name = header
                .split(['=', ';'])
                .next()
                .map(trim_ws)
                .unwrap_or_default()
                .chars()
                .filter(|c| !is_disallowed(*c))
                .collect();
            return Applied::Rejected {
                name,
                reasons: vec![Rejection::DisallowedCharacter],
                notes,
            };
        }
        let p = parse(header, &mut notes);
        let mut reasons = Vec::new();

        if p.name.is_empty() && p.value.is_empty() {
            reasons.push(Rejection::NoContent);
        }
        let size = p.name.len() + p.value.len();
        if size > MAX_NAME_VALUE_SIZE {
            reasons.push(Rejection::TooLarge { size });
        }

        // Domain: localhost has no registrable domain, so only an exact match is allowed, and
        // it gives a host-only cookie. An empty value is as if there were none.
        if let Some(d) = p.domain.filter(|d| !d.is_empty()) {
            let bare = d.strip_prefix('.').unwrap_or(d);
            if bare.eq_ignore_ascii_case(HOST) {
                notes.push(Note::DomainHostOnly);
            } else {
                reasons.push(Rejection::DomainMismatch {
                    domain: d.to_string(),
                });
            }
        }

        let path = match p.path {
            Some(given) if given.starts_with('/') => given.to_string(),
            Some(given) => {
                let used = default_path(request_path);
                notes.push(Note::PathDefaulted {
                    given: given.to_string(),
                    used: used.clone(),
                });
                used
            }
            None => default_path(request_path),
        };

        // Prefixes are checked against the scheme: http:// never qualifies, localhost or not.
        let prefix = prefix_of(p.name).or_else(|| {
            if p.name.is_empty() {
                prefix_of(p.value)
            } else {
                None
            }
        });
        if let Some(prefix) = prefix {
            reasons.push(Rejection::Prefix { prefix });
        }
        if p.secure && self.context == SecureContext::Insecure {
            reasons.push(Rejection::SecureOverHttp);
        }

        let same_site = match p.same_site {
            None => None,
            Some(v) => match SameSite::parse(v) {
                Ok(s) => Some(s),
                Err(_) => {
                    notes.push(Note::UnknownSameSite(v.to_string()));
                    None
                }
            },
        };
        if same_site == Some(SameSite::None) && !p.secure {
            reasons.push(Rejection::SameSiteNoneInsecure);
        }
        if p.partitioned && !p.secure {
            reasons.push(Rejection::PartitionedInsecure);
        }

        // Expiry: Max-Age first, then Expires, then a session cookie.
        let expires_at = match p.expires.filter(|e| !e.is_empty()) {
            Some(text) => {
                let parsed = parse_http_date(text);
                if parsed.is_none() {
                    notes.push(Note::ExpiresIgnored(text.to_string()));
                }
                parsed
            }
            None => None,
        };
        let max_age = match p.max_age {
            Some(text) => {
                let parsed = parse_max_age(text);
                if parsed.is_none() {
                    notes.push(Note::MaxAgeIgnored(text.to_string()));
                }
                parsed
            }
            None => None,
        };
        let mut expires = match (max_age, expires_at) {
            (Some(m), e) => {
                if e.is_some() {
                    notes.push(Note::MaxAgeWins);
                }
                // Chromium: zero or less is "the earliest time", so already expired.
                Some(if m <= 0 {
                    i64::MIN
                } else {
                    now.saturating_add(m)
                })
            }
            (None, e) => e,
        };
        if let Some(e) = expires {
            let cap = now.saturating_add(MAX_LIFETIME);
            if e > cap {
                notes.push(Note::ExpiryCapped {
                    requested: e,
                    capped: cap,
                });
                expires = Some(cap);
            }
        }

        let name = p.name.to_string();
        if !reasons.is_empty() {
            return Applied::Rejected {
                name,
                reasons,
                notes,
            };
        }
        let existing = self
            .entries
            .iter()
            .position(|e| e.cookie.name == name && e.cookie.path == path);
        if expires.is_some_and(|e| now >= e) {
            let removed = existing.is_some();
            if let Some(i) = existing {
                self.entries.remove(i);
            }
            return Applied::Deleted {
                name,
                path,
                removed,
                notes,
            };
        }

        // RFC 6265 5.3 step 11: a replacement keeps the old cookie's creation time (an old
        // cookie that has expired meanwhile would have been purged, so it does not count).
        let old = existing.map(|i| self.entries.remove(i));
        let inherited = old.filter(|o| !o.cookie.is_expired(now));
        let replaced = inherited.is_some();
        let (creation, seq) = match inherited {
            Some(o) => (o.cookie.creation, o.seq),
            None => {
                self.next_seq += 1;
                (now, self.next_seq)
            }
        };
        let cookie = StoredCookie {
            size,
            name,
            value: p.value.to_string(),
            domain: HOST.to_string(),
            host_only: true,
            path,
            expires,
            http_only: p.http_only,
            secure: p.secure,
            same_site,
            partitioned: p.partitioned,
            creation,
        };
        self.entries.push(Entry {
            cookie: cookie.clone(),
            seq,
        });
        Applied::Stored {
            cookie,
            replaced,
            notes,
        }
    }

    /// Entries in the order a `Cookie` header lists them: longer paths first, then earlier
    /// creation.
    fn sorted(&self) -> Vec<&Entry> {
        let v: Vec<&Entry> = self.entries.iter().collect();
        let order = sort_order(v.len(), &|a, b| {
            let (a, b) = (v[a], v[b]);
            b.cookie
                .path
                .len()
                .cmp(&a.cookie.path.len())
                .then(a.cookie.creation.cmp(&b.cookie.creation))
                .then(a.seq.cmp(&b.seq))
        });
        order.into_iter().map(|i| v[i]).collect()
    }

    fn decide(&self, cookie: &StoredCookie, request_path: &str, now: i64) -> SendDecision {
        if let Some(at) = cookie.expires.filter(|e| now >= *e) {
            return SendDecision::Expired { at };
        }
        if cookie.secure && self.context == SecureContext::Insecure {
            return SendDecision::SecureOverHttp;
        }
        let path = uri_path(request_path);
        if !path_matches(&cookie.path, path) {
            return SendDecision::PathMismatch {
                cookie_path: cookie.path.clone(),
                request_path: path.to_string(),
            };
        }
        SendDecision::Sent
    }

    /// The `Cookie` header a request for `request_path` at `now` carries, or `None` when no
    /// cookie goes with it.
    pub fn cookie_header(&self, request_path: &str, now: i64) -> Option<String> {
        let pairs: Vec<String> = self
            .sorted()
            .into_iter()
            .filter(|e| self.decide(&e.cookie, request_path, now).is_sent())
            .map(|e| e.cookie.pair())
            .collect();
        (!pairs.is_empty()).then(|| pairs.join("; "))
    }

    /// Every cookie in the jar (expired ones too, until they are purged), in header order,
    /// with whether a request for `request_path` at `now` carries it and why not.
    pub fn explain(&self, request_path: &str, now: i64) -> Vec<(StoredCookie, SendDecision)> {
        self.sorted()
            .into_iter()
            .map(|e| {
                let decision = self.decide(&e.cookie, request_path, now);
                (e.cookie.clone(), decision)
            })
            .collect()
    }

    /// The cookies a browser would list at `now` (expired ones are hidden), in header order.
    pub fn cookies(&self, now: i64) -> Vec<StoredCookie> {
        self.sorted()
            .into_iter()
            .filter(|e| !e.cookie.is_expired(now))
            .map(|e| e.cookie.clone())
            .collect()
    }

    /// Drops the cookies that have expired by `now`, as the browser's cleanup does.
    pub fn purge_expired(&mut self, now: i64) {
        self.entries.retain(|e| !e.cookie.is_expired(now));
    }

    /// Closing and reopening the browser: session cookies (no `Expires`/`Max-Age`) are gone,
    /// persistent ones stay. (Chromium's "Continue where you left off" setting would keep
    /// session cookies too; the lab models a plain restart.)
    pub fn restart_browser(&mut self) {
        self.entries.retain(|e| !e.cookie.is_session());
    }

    /// Changes the value of the cookie `name` with `path`, as editing it in DevTools'
    /// Application > Cookies table does: the other attributes and the creation time stay.
    /// Returns the cookie as edited, or why the edit was refused (no such cookie, a value a
    /// browser would not keep).
    pub fn edit_value(
        &mut self,
        name: &str,
        path: &str,
        value: &str,
        now: i64,
    ) -> Result<StoredCookie, String> {
        if value.chars().any(|c| is_disallowed(c) || c == ';') {
            return Err(format!(
                "{name}: a cookie value cannot hold a control character or ';'"
            ));
        }
        let size = name.len() + value.len();
        if size > MAX_NAME_VALUE_SIZE {
            return Err(format!("{name}: {}", Rejection::TooLarge { size }));
        }
        let entry = self
            .entries
            .iter_mut()
            .find(|e| e.cookie.name == name && e.cookie.path == path && !e.cookie.is_expired(now))
            .ok_or_else(|| format!("{name}: no such cookie in this browser"))?;
        entry.cookie.value = value.to_string();
        entry.cookie.size = size;
        Ok(entry.cookie.clone())
    }

    /// Empties the jar ("Clear site data").
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// How many cookies the jar holds, expired ones included.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The positions `0..n` in the order `cmp` puts them (a stable sort). Callers that sort go
/// through this one function, so the bundle has one copy of the standard library's sort (its
/// comparison a `dyn` call) rather than one per element type and comparison.
pub fn sort_order(n: usize, cmp: &dyn Fn(usize, usize) -> std::cmp::Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|a, b| cmp(*a, *b));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_700_000_000;

    #[test]
    fn default_path_follows_rfc_6265() {
        assert_eq!(default_path("/"), "/");
        assert_eq!(default_path("/login"), "/");
        assert_eq!(default_path("/a/b"), "/a");
        assert_eq!(default_path("/a/b/"), "/a/b");
        assert_eq!(default_path("/a/b?next=/x/y"), "/a");
        assert_eq!(default_path(""), "/");
        assert_eq!(default_path("no-slash"), "/");
    }

    #[test]
    fn path_match_cases() {
        assert!(path_matches("/", "/anything"));
        assert!(path_matches("/a", "/a"));
        assert!(path_matches("/a", "/a/b"));
        assert!(path_matches("/a/", "/a/b"));
        assert!(!path_matches("/a", "/ab"));
        assert!(!path_matches("/a/b", "/a"));
        assert!(!path_matches("/A", "/a"));
    }

    #[test]
    fn max_age_numbers() {
        assert_eq!(parse_max_age("300"), Some(300));
        assert_eq!(parse_max_age("+5"), Some(5));
        assert_eq!(parse_max_age("-1"), Some(-1));
        assert_eq!(parse_max_age("99999999999999999999"), Some(i64::MAX));
        assert_eq!(parse_max_age("-99999999999999999999"), Some(i64::MIN));
        for bad in ["", "-", "1.5", "1e3", "abc", " 1", "١"] {
            assert_eq!(parse_max_age(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn parsing_trims_and_keeps_quotes() {
        let mut jar = Jar::new();
        let a = jar.apply(" a = \"x y\" ;PATH=/;httponly", "/", T0);
        let Applied::Stored { cookie, .. } = a else {
            panic!("{a:?}")
        };
        assert_eq!(
            (cookie.name.as_str(), cookie.value.as_str()),
            ("a", "\"x y\"")
        );
        assert!(cookie.http_only);
        assert_eq!(cookie.size, 6);
        assert_eq!(jar.cookie_header("/", T0).as_deref(), Some("a=\"x y\""));
    }

    #[test]
    fn last_attribute_wins() {
        let mut jar = Jar::new();
        jar.apply("a=1; Path=/x; Path=/", "/", T0);
        assert_eq!(jar.cookies(T0)[0].path, "/");
    }

    #[test]
    fn replacement_keeps_creation_time() {
        let mut jar = Jar::new();
        jar.apply("a=1", "/", T0);
        let again = jar.apply("a=2", "/", T0 + 50);
        assert!(matches!(again, Applied::Stored { replaced: true, .. }));
        let c = &jar.cookies(T0 + 50)[0];
        assert_eq!((c.value.as_str(), c.creation), ("2", T0));
    }

    #[test]
    fn insecure_context_refuses_and_withholds_secure_cookies() {
        let mut jar = Jar::with_context(SecureContext::Insecure);
        let a = jar.apply("s=1; Secure", "/", T0);
        assert_eq!(
            a,
            Applied::Rejected {
                name: "s".into(),
                reasons: vec![Rejection::SecureOverHttp],
                notes: vec![]
            }
        );
        assert!(jar.is_empty());
    }
}
