//! The lab's exports (`lab::export`): HAR 1.2 and the Markdown transcript, from real scenario
//! labs driven natively.
//!
//! - The HAR parses as JSON; every field HAR 1.2 requires is there with its type; the entries
//!   are the log's (count, order, methods, URLs, statuses, headers and `Set-Cookie` values byte
//!   for byte, bodies, form data, query strings, cookies sent).
//! - The Markdown holds every request line, `Cookie` header and `Set-Cookie` verbatim, inside
//!   fenced blocks that nothing in them can close; hostile values never reach the prose
//!   unescaped.
//! - Each HAR is also written to `target/export-samples/<name>.har` (the transcript beside it
//!   as `.md`), for `node scripts/har_validate.mjs target/export-samples/*.har`, which checks
//!   them against the HAR 1.2 JSON schema.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value as Json;
use session_lab::client::jar::Jar;
use session_lab::engine::apps::Services;
use session_lab::engine::py::secrets::SeededRng;
use session_lab::engine::werkzeug::cookie::parse_cookie_header;
use session_lab::engine::werkzeug::urls::unquote;
use session_lab::engine::werkzeug::wrappers::parse_qs;
use session_lab::lab::export::{har, markdown};
use session_lab::lab::scenarios::by_id;
use session_lab::lab::{form_encode, BrowserId, Exchange, Lab};
use std::path::PathBuf;

const T0: i64 = 1_700_000_000;
const MAIN: BrowserId = BrowserId::Main;
const SECOND: BrowserId = BrowserId::Second;

/// Markup, quotes, a pipe, backtick runs, a newline, non-ASCII (one outside the BMP).
const HOSTILE: &str = "<b>\"x\"</b>|`` ```` \n# é 😀 &amp; \\";

fn lab(id: &str) -> Lab<Jar> {
    let app = by_id(id)
        .unwrap_or_else(|| panic!("no scenario {id}"))
        .build(Services::in_memory(Box::new(SeededRng::new(1))))
        .expect("it starts");
    Lab::new(app, Jar::new())
}

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Seed 004 (any variant): a protected page, a login with a hostile name and `next`, the page
/// again, a clock move, log out, and a login whose `next` leaves the site.
fn seed_004(id: &str) -> Lab<Jar> {
    let mut lab = lab(id);
    lab.navigate(MAIN, "/home", T0);
    lab.navigate(MAIN, "/about", T0 + 1);
    let login = fields(&[("next", "/about"), ("username", HOSTILE)]);
    lab.submit(MAIN, "POST", "/login", &login, T0 + 2);
    lab.navigate(MAIN, "/products?q=a+b&x=%3C%60%60%60%3E", T0 + 3);
    lab.navigate(MAIN, "/contact", T0 + 400);
    lab.navigate(MAIN, "/logout", T0 + 401);
    let away = fields(&[("next", "https://evil.example/"), ("username", "eve")]);
    lab.submit(MAIN, "POST", "/login", &away, T0 + 402);
    // An address typed with what a URL cannot hold as it is.
    lab.navigate(MAIN, RAW_TARGET, T0 + 403);
    lab
}

const RAW_TARGET: &str = "/products?n=`````<b>|x y";

/// Seed 001 with the second browser, and the main one closed and reopened.
fn seed_001() -> Lab<Jar> {
    let mut lab = lab("seed-001");
    lab.navigate(MAIN, "/setsession", T0);
    lab.navigate(MAIN, "/getsession", T0 + 1);
    lab.open_second(Jar::new());
    lab.navigate(SECOND, "/getsession", T0 + 2);
    lab.restart_browser(MAIN);
    lab.navigate(MAIN, "/getsession", T0 + 3);
    lab.navigate(SECOND, "/setsession", T0 + 4);
    lab.navigate(MAIN, "/popsession", T0 + 5);
    // A target that would close a three-backtick fence and start a heading after it.
    lab.navigate(SECOND, "/x\n```\n# owned <b>|", T0 + 6);
    lab
}

/// Seed 003: a login form, its redirect, sliding expiry, and the session lapsing.
fn seed_003() -> Lab<Jar> {
    let mut lab = lab("seed-003");
    lab.navigate(MAIN, "/login", T0);
    lab.submit(MAIN, "POST", "/login", &fields(&[("nm", HOSTILE)]), T0 + 1);
    lab.reload(MAIN, T0 + 60);
    lab.reload(MAIN, T0 + 60 + 301);
    lab
}

/// Every lab the tests export, by sample name.
fn labs() -> Vec<(&'static str, &'static str, Lab<Jar>)> {
    let mut out = vec![
        ("seed-001-two-browsers", "Seed 001", seed_001()),
        ("seed-003-login", "Seed 003 <login>", seed_003()),
        ("empty", "Nothing yet", lab("seed-001")),
    ];
    for id in [
        "seed-004-client-temp",
        "seed-004-client-persist",
        "seed-004-server-temp",
        "seed-004-server-persist",
    ] {
        out.push((id, "Seed 004 `variant` | <i>x</i>\n# heading", seed_004(id)));
    }
    out
}

fn samples_dir() -> PathBuf {
    // CARGO_TARGET_TMPDIR is `<target>/tmp`.
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target directory")
        .join("export-samples");
    std::fs::create_dir_all(&dir).expect("made the samples directory");
    dir
}

// ---------------------------------------------------------------------------------------------
// HAR

fn field<'a>(v: &'a Json, key: &str, at: &str) -> &'a Json {
    v.get(key)
        .unwrap_or_else(|| panic!("{at}: `{key}` is missing in {v}"))
}

fn string<'a>(v: &'a Json, key: &str, at: &str) -> &'a str {
    field(v, key, at)
        .as_str()
        .unwrap_or_else(|| panic!("{at}.{key} is not a string"))
}

fn integer(v: &Json, key: &str, at: &str) -> i64 {
    field(v, key, at)
        .as_i64()
        .unwrap_or_else(|| panic!("{at}.{key} is not an integer"))
}

fn number(v: &Json, key: &str, at: &str) -> f64 {
    field(v, key, at)
        .as_f64()
        .unwrap_or_else(|| panic!("{at}.{key} is not a number"))
}

fn array<'a>(v: &'a Json, key: &str, at: &str) -> &'a Vec<Json> {
    field(v, key, at)
        .as_array()
        .unwrap_or_else(|| panic!("{at}.{key} is not an array"))
}

fn object(v: &Json, key: &str, at: &str) {
    assert!(field(v, key, at).is_object(), "{at}.{key} is not an object");
}

/// `[{name, value}]` as pairs, each checked to be two strings.
fn name_values(v: &Json, key: &str, at: &str) -> Vec<(String, String)> {
    array(v, key, at)
        .iter()
        .map(|p| {
            (
                string(p, "name", at).to_string(),
                string(p, "value", at).to_string(),
            )
        })
        .collect()
}

/// HAR's date-time: `YYYY-MM-DDThh:mm:ss(.s+)?(Z|±hh:mm)`, as the schema's pattern wants.
fn assert_date_time(text: &str, at: &str) {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    assert!(
        b.len() >= 20
            && digits(0..4)
            && b[4] == b'-'
            && digits(5..7)
            && b[7] == b'-'
            && digits(8..10)
            && b[10] == b'T'
            && digits(11..13)
            && b[13] == b':'
            && digits(14..16)
            && b[16] == b':'
            && digits(17..19)
            && text.ends_with('Z'),
        "{at}: {text:?} is not an ISO 8601 date-time"
    );
}

/// `2023-11-14T22:13:20.000Z` for the lab clock `t`.
fn iso(t: i64) -> String {
    let text = session_lab::engine::py::datetime::iso_utc(t);
    format!("{}T{}.000Z", &text[..10], &text[11..19])
}

fn check_har(text: &str, log: &[Exchange]) -> Json {
    let har: Json = serde_json::from_str(text).expect("the HAR is JSON");
    let log_v = field(&har, "log", "har");
    assert_eq!(string(log_v, "version", "log"), "1.2");
    let creator = field(log_v, "creator", "log");
    assert_eq!(string(creator, "name", "creator"), "Session Lab");
    assert_eq!(
        string(creator, "version", "creator"),
        env!("CARGO_PKG_VERSION")
    );
    let pages = array(log_v, "pages", "log");
    let mut page_ids = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let at = format!("pages[{i}]");
        assert_date_time(string(page, "startedDateTime", &at), &at);
        page_ids.push(string(page, "id", &at).to_string());
        string(page, "title", &at);
        object(page, "pageTimings", &at);
    }
    let browsers: Vec<BrowserId> = [MAIN, SECOND]
        .into_iter()
        .filter(|b| log.iter().any(|e| e.browser == *b))
        .collect();
    assert_eq!(pages.len(), browsers.len(), "one page per browser used");

    let entries = array(log_v, "entries", "log");
    assert_eq!(entries.len(), log.len(), "one entry per exchange");
    for (i, (entry, ex)) in entries.iter().zip(log).enumerate() {
        let at = format!("entries[{i}]");
        let pageref = string(entry, "pageref", &at);
        assert!(page_ids.iter().any(|p| p == pageref), "{at}: unknown page");
        let started = string(entry, "startedDateTime", &at);
        assert_date_time(started, &at);
        assert_eq!(started, iso(ex.at), "{at}: the lab clock");
        assert_eq!(number(entry, "time", &at), 0.0);
        object(entry, "cache", &at);
        let timings = field(entry, "timings", &at);
        for t in ["send", "wait", "receive"] {
            assert_eq!(number(timings, t, &at), 0.0, "{at}.timings.{t}");
        }

        // The request.
        let rq = field(entry, "request", &at);
        let at_rq = format!("{at}.request");
        assert_eq!(string(rq, "method", &at_rq), ex.method);
        let url = string(rq, "url", &at_rq);
        let raw = format!("http://localhost{}", ex.target);
        if raw
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"\"<>\\^`{|}".contains(&b))
        {
            assert_eq!(url, raw, "{at_rq}: the target as it is");
        } else {
            // A browser percent-encodes what a URL cannot hold; the schema wants no spaces.
            let tail = url.strip_prefix("http://localhost").expect("on localhost");
            assert_eq!(unquote(tail, false), unquote(&ex.target, false), "{at_rq}");
            assert!(
                !url.contains([' ', '\n', '#', '`', '<', '>', '|', '"']),
                "{url}"
            );
        }
        assert_eq!(string(rq, "httpVersion", &at_rq), "HTTP/1.1");
        let sent = ex.cookie.as_deref().map(parse_cookie_header);
        assert_eq!(
            name_values(rq, "cookies", &at_rq),
            sent.unwrap_or_default(),
            "{at_rq}: the cookies sent"
        );
        let headers = name_values(rq, "headers", &at_rq);
        let cookie_header: Vec<&str> = headers
            .iter()
            .filter(|(k, _)| k == "Cookie")
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(
            cookie_header,
            ex.cookie.as_deref().into_iter().collect::<Vec<_>>()
        );
        let query = ex.target.split_once('?').map_or("", |(_, q)| q);
        assert_eq!(name_values(rq, "queryString", &at_rq), parse_qs(query));
        assert_eq!(integer(rq, "headersSize", &at_rq), -1);
        let body_size = integer(rq, "bodySize", &at_rq);
        if ex.method == "POST" {
            let post = field(rq, "postData", &at_rq);
            assert_eq!(
                string(post, "mimeType", &at_rq),
                "application/x-www-form-urlencoded"
            );
            assert_eq!(name_values(post, "params", &at_rq), ex.form);
            let encoded: Vec<String> = ex
                .form
                .iter()
                .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
                .collect();
            let text = string(post, "text", &at_rq);
            assert_eq!(text, encoded.join("&"));
            assert_eq!(body_size, text.len() as i64);
            assert!(headers.contains(&(
                "Content-Type".into(),
                "application/x-www-form-urlencoded".into()
            )));
        } else {
            assert!(rq.get("postData").is_none(), "{at_rq}: no body on a GET");
            assert_eq!(body_size, 0);
        }

        // The response.
        let rs = field(entry, "response", &at);
        let at_rs = format!("{at}.response");
        assert_eq!(integer(rs, "status", &at_rs), i64::from(ex.status()));
        assert!(!string(rs, "statusText", &at_rs).is_empty());
        assert_eq!(string(rs, "httpVersion", &at_rs), "HTTP/1.1");
        let headers = name_values(rs, "headers", &at_rs);
        assert_eq!(
            headers, ex.response.headers,
            "{at_rs}: every header, in order"
        );
        let set_cookies: Vec<&str> = headers
            .iter()
            .filter(|(k, _)| k == "Set-Cookie")
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(
            set_cookies,
            ex.set_cookies(),
            "{at_rs}: Set-Cookie verbatim"
        );
        let cookies = array(rs, "cookies", &at_rs);
        assert_eq!(cookies.len(), set_cookies.len());
        for (c, line) in cookies.iter().zip(&set_cookies) {
            let pair = format!(
                "{}={}",
                string(c, "name", &at_rs),
                string(c, "value", &at_rs)
            );
            assert!(line.starts_with(&pair), "{line} starts with {pair}");
            if let Some(e) = c.get("expires") {
                assert_date_time(e.as_str().expect("a string"), &at_rs);
            }
            for flag in ["httpOnly", "secure"] {
                assert!(field(c, flag, &at_rs).is_boolean());
            }
            let has = |attr: &str| line.to_ascii_lowercase().contains(attr);
            assert_eq!(c["httpOnly"].as_bool(), Some(has("; httponly")));
            if let Some(path) = c.get("path") {
                assert!(line.contains(&format!("Path={}", path.as_str().unwrap())));
            }
        }
        let content = field(rs, "content", &at_rs);
        assert_eq!(
            integer(content, "size", &at_rs),
            ex.response.body.len() as i64
        );
        string(content, "mimeType", &at_rs);
        assert_eq!(string(content, "text", &at_rs), ex.response.body);
        assert_eq!(
            string(rs, "redirectURL", &at_rs),
            ex.header("Location").unwrap_or("")
        );
        assert_eq!(integer(rs, "headersSize", &at_rs), -1);
        integer(rs, "bodySize", &at_rs);
    }
    har
}

// ---------------------------------------------------------------------------------------------
// Markdown

/// A fenced block as CommonMark reads it: its fence length and its lines.
struct Block {
    info: String,
    body: String,
}

/// Splits the transcript into fenced blocks and the prose outside them, as CommonMark does
/// (an opening fence is three or more backticks at the start of a line; the block ends at a
/// line of only backticks at least as long). Fails on a block left open.
fn blocks(md: &str) -> (Vec<Block>, String) {
    let mut out = Vec::new();
    let mut prose = String::new();
    let mut open: Option<(usize, Block)> = None;
    // CommonMark's line endings: \n, \r\n and \r.
    for line in md.split_inclusive(['\n', '\r']) {
        let bare = line.trim_end_matches(['\n', '\r']);
        let ticks = bare.len() - bare.trim_start_matches('`').len();
        match &mut open {
            Some((len, block)) => {
                if ticks >= *len && bare.trim_end_matches(' ').len() == ticks {
                    out.push(open.take().unwrap().1);
                } else {
                    block.body.push_str(line);
                }
            }
            None if ticks >= 3 => {
                let info = bare[ticks..].to_string();
                assert!(
                    !info.contains('`'),
                    "a backtick fence's info has no backtick"
                );
                open = Some((
                    ticks,
                    Block {
                        info,
                        body: String::new(),
                    },
                ));
            }
            None => prose.push_str(line),
        }
    }
    assert!(open.is_none(), "a fenced block is left open");
    (out, prose)
}

fn check_markdown(md: &str, log: &[Exchange]) {
    let (blocks, prose) = blocks(md);
    assert!(md.starts_with("# Session Lab transcript: "));
    let requests: Vec<&Block> = blocks.iter().filter(|b| b.info == "http").collect();
    assert_eq!(
        requests.len(),
        2 * log.len(),
        "a request and an answer each"
    );
    for (ex, pair) in log.iter().zip(requests.chunks(2)) {
        let (rq, rs) = (&pair[0].body, &pair[1].body);
        let line = format!("{} {} HTTP/1.1\n", ex.method, ex.target);
        assert!(rq.starts_with(&line), "{rq:?} starts with {line:?}");
        match &ex.cookie {
            Some(c) => assert!(rq.contains(&format!("\nCookie: {c}\n"))),
            None => assert!(!rq.contains("Cookie:")),
        }
        let status = format!("HTTP/1.1 {} ", ex.status());
        assert!(rs.starts_with(&status), "{rs:?} starts with {status:?}");
        for set in ex.set_cookies() {
            assert!(
                rs.contains(&format!("\nSet-Cookie: {set}\n")),
                "{set} verbatim"
            );
        }
        if let Some(loc) = ex.header("Location") {
            assert!(rs.contains(&format!("\nLocation: {loc}\n")));
        }
    }
    // Hostile text shows only inside fences, or escaped.
    for raw in [
        "<b>",
        "<i>",
        "</b>",
        "|`",
        "&amp;",
        "\n# heading",
        "\n# é",
        "# owned",
    ] {
        assert!(!prose.contains(raw), "{raw:?} in the prose:\n{prose}");
    }
    for line in prose.lines() {
        assert!(
            line.is_empty()
                || line.starts_with("# Session Lab transcript: ")
                || line.starts_with("## Request ")
                || line.starts_with(|c: char| c.is_alphanumeric() || c == '*')
                || line == "---",
            "an unexpected line start: {line:?}"
        );
    }
    assert!(
        !prose.contains("\\\n"),
        "no hard break from an escaped newline"
    );
}

// ---------------------------------------------------------------------------------------------

#[test]
fn every_lab_exports_a_faithful_har_and_transcript() {
    let dir = samples_dir();
    for (name, title, lab) in labs() {
        let text = har(&lab.log, title);
        let parsed = check_har(&text, &lab.log);
        assert_eq!(
            parsed["log"]["pages"]
                .as_array()
                .unwrap()
                .first()
                .map(|p| p["title"].as_str().unwrap().starts_with(title)),
            (!lab.log.is_empty()).then_some(true),
            "{name}: the pages are titled after the scenario"
        );
        std::fs::write(dir.join(format!("{name}.har")), &text).expect("wrote the sample");
        let md = markdown(&lab.log, title, &lab.app);
        check_markdown(&md, &lab.log);
        std::fs::write(dir.join(format!("{name}.md")), &md).expect("wrote the transcript");
    }
}

#[test]
fn the_flows_are_what_the_exports_describe() {
    let lab = seed_004("seed-004-client-temp");
    let methods: Vec<(&str, &str, u16)> = lab
        .log
        .iter()
        .map(|e| (e.method.as_str(), e.target.as_str(), e.status()))
        .collect();
    assert_eq!(
        methods,
        [
            ("GET", "/home", 200),
            ("GET", "/about", 302),
            ("GET", "/login?next=http://localhost/about", 200),
            ("POST", "/login", 302),
            ("GET", "/about", 200),
            ("GET", "/products?q=a+b&x=%3C%60%60%60%3E", 200),
            ("GET", "/contact", 200),
            ("GET", "/logout", 200),
            ("POST", "/login", 302),
            ("GET", RAW_TARGET, 200),
        ],
        "the scripted flow"
    );
    let archive: Json = serde_json::from_str(&har(&lab.log, "t")).unwrap();
    let entries = archive["log"]["entries"].as_array().unwrap();
    // The query is decoded.
    assert_eq!(
        entries[5]["request"]["queryString"],
        serde_json::json!([{"name": "q", "value": "a b"}, {"name": "x", "value": "<```>"}])
    );
    // The hostile name travels in the form, exactly.
    assert_eq!(
        entries[3]["request"]["postData"]["params"][1]["value"],
        HOSTILE
    );
    assert_eq!(entries[3]["response"]["redirectURL"], "/about");
    assert_eq!(
        entries[8]["response"]["redirectURL"],
        "https://evil.example/"
    );
    assert_eq!(
        entries[9]["request"]["url"],
        "http://localhost/products?n=%60%60%60%60%60%3Cb%3E%7Cx%20y"
    );
    assert_eq!(
        entries[9]["request"]["queryString"][0]["value"],
        "`````<b>|x y"
    );
    // The session cookie, taken apart in the response's cookies.
    let cookie = &entries[3]["response"]["cookies"][0];
    assert_eq!(cookie["name"], "session");
    assert_eq!(
        (cookie["httpOnly"].as_bool(), cookie["path"].as_str()),
        (Some(true), Some("/"))
    );
    assert!(
        cookie.get("expires").is_none(),
        "a temporary session has no Expires"
    );
    // Logging out deletes it: `Max-Age=0` wins over the epoch `Expires`, so it expires now.
    let deletion = &entries[7]["response"]["cookies"][0];
    assert_eq!(
        (deletion["value"].as_str(), deletion["expires"].as_str()),
        (Some(""), Some("2023-11-14T22:20:01.000Z"))
    );

    let md = markdown(&lab.log, "Seed 004 <temp>", &lab.app);
    assert!(md.starts_with("# Session Lab transcript: Seed 004 \\<temp\\>\n"));
    assert!(md.contains("## Request 1: main browser, 2023-11-14 22:13:20 UTC\n"));
    assert!(md.contains(
        "**Session cookie set:** signed 2023-11-14 22:13:22 UTC (age 0s). Payload \
         (zlib-compressed), read without the key:\n\n"
    ));
    assert!(md.contains(
        "**Session cookie set:** signed 2023-11-14 22:20:02 UTC (age 0s). Payload, read \
         without the key:\n\n```json\n\
         {\"lang\":\"en\",\"theme\":\"dark\",\"user_name\":\"eve\"}\n```\n"
    ));
    assert!(md.contains("**Server:** session cookie accepted.\n"));
    assert!(md.contains("**Browser:** Max-Age wins over Expires.\n"));
    // The decoded payload carries the hostile name, in a fence longer than its backticks.
    assert!(md.contains("\n`````json\n{\"lang\":\"en\",\"theme\":\"dark\",\"user_name\":\"<b>\\\"x\\\"</b>|`` ```` \\n# \\u00e9 \\ud83d\\ude00 &amp; \\\\\"}\n`````\n"), "{md}");
    assert!(md.contains("**Session cookie sent:** as in request 4.\n"));
    assert!(md.contains("**Redirect**, followed in request 5.\n"));
    assert!(md.contains("**Redirect**, not followed: the lab stays on its mock server.\n"));
    assert!(md.contains("No session cookie sent.\n"));
    assert!(md.contains("\n``````http\nGET /products?n=`````<b>|x y HTTP/1.1\nCookie: session="));

    let server = seed_004("seed-004-server-persist");
    let md = markdown(&server.log, "Seed 004", &server.app);
    assert!(md.contains("**Session cookie set:** an id; the data stays in the server's store.\n"));
    assert!(!md.contains("```json"), "nothing to decode in an id");

    let two = seed_001();
    let har: Json = serde_json::from_str(&har(&two.log, "Seed 001")).unwrap();
    let pages: Vec<(&str, &str)> = har["log"]["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["title"].as_str().unwrap()))
        .collect();
    assert_eq!(
        pages,
        [
            ("main", "Seed 001: main browser"),
            ("second", "Seed 001: second browser")
        ]
    );
    let refs: Vec<&str> = har["log"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pageref"].as_str().unwrap())
        .collect();
    let browsers: Vec<&str> = two
        .log
        .iter()
        .map(|e| if e.browser == MAIN { "main" } else { "second" })
        .collect();
    assert_eq!(refs, browsers);
    let md = markdown(&two.log, "Seed 001", &two.app);
    assert!(md.contains(": second browser, "));
    assert!(md.contains("First request since this browser was closed and reopened.\n"));
}

#[test]
fn an_empty_log_is_still_a_valid_archive() {
    let lab = lab("seed-001");
    let har: Json = serde_json::from_str(&har(&lab.log, "\"quoted\"\n")).unwrap();
    assert_eq!(har["log"]["entries"], serde_json::json!([]));
    assert_eq!(har["log"]["pages"], serde_json::json!([]));
    let md = markdown(&lab.log, "x", &lab.app);
    assert!(md.contains("0 requests"));
}

#[test]
fn a_long_log_exports_whole() {
    let mut lab = lab("seed-003");
    for i in 0..1_000 {
        let name = format!("user{i}");
        lab.submit(MAIN, "POST", "/login", &fields(&[("nm", &name)]), T0 + i);
    }
    assert_eq!(lab.log.len(), 2_000);
    let started = std::time::Instant::now();
    let text = har(&lab.log, "long");
    let md = markdown(&lab.log, "long", &lab.app);
    let elapsed = started.elapsed();
    check_har(&text, &lab.log);
    check_markdown(&md, &lab.log);
    assert!(md.contains("## Request 2000: main browser, "));
    assert!(
        elapsed.as_secs() < 5,
        "exports of 2,000 exchanges took {elapsed:?}"
    );
}
