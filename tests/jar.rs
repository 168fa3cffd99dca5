//! The browser cookie jar (`client::jar`): what happens to each `Set-Cookie` Flask sends and
//! which cookies go back, for the origin `http://localhost` as Chromium treats it.
//!
//! The `Set-Cookie` texts in the first tests are the ones real Flask 3.1.3 sent in
//! `tests/fixtures/apps.json` (tables `SEED_001` and `SEED_003`, made by
//! `tests/fixtures/generate.py`). The rest are hand-written headers for the browser's
//! own rules (RFC 6265 and Chromium's choices, see the module documentation).
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use session_lab::client::jar::{
    Applied, Jar, Note, Rejection, SecureContext, SendDecision, StoredCookie, MAX_LIFETIME,
};
use session_lab::engine::werkzeug::cookie::{
    parse_cookie_header, quote_path, quote_value, SameSite, SetCookie,
};
use session_lab::engine::werkzeug::http_date::http_date;

/// The frozen clock of the Flask runs: 2023-11-14 22:13:20 UTC.
const T0: i64 = 1_700_000_000;

/// seed-001 `/setsession` at T0 (tests/apps.rs, "setsession sets the cookie").
const SEED_001_SET: &str =
    "session=eyJVc2VybmFtZSI6IkFkbWluIn0.ZVPxAA.pZmAdVXTLGbqaN54p7rl0EWVl94; HttpOnly; Path=/";
const SEED_001_VALUE: &str = "eyJVc2VybmFtZSI6IkFkbWluIn0.ZVPxAA.pZmAdVXTLGbqaN54p7rl0EWVl94";
/// seed-001 `/popsession` at T0 + 180 (tests/apps.rs, "popsession sends the deletion cookie").
const SEED_001_DELETE: &str =
    "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/";
/// seed-003 login POST at T0 + 10 (tests/apps.rs, "login POST makes the session permanent").
const SEED_003_LOGIN: &str = "session=eyJfcGVybWFuZW50Ijp0cnVlLCJ1c2VyIjoiQWxpY2UifQ.ZVPxCg.ycFohYUTPbKD0cCB4etnOXN7RGY; Expires=Tue, 14 Nov 2023 22:18:30 GMT; HttpOnly; Path=/";
const SEED_003_VALUE: &str =
    "eyJfcGVybWFuZW50Ijp0cnVlLCJ1c2VyIjoiQWxpY2UifQ.ZVPxCg.ycFohYUTPbKD0cCB4etnOXN7RGY";

fn stored(applied: Applied) -> StoredCookie {
    match applied {
        Applied::Stored { cookie, .. } => cookie,
        other => panic!("expected Stored, got {other:?}"),
    }
}

fn reasons(applied: Applied) -> Vec<Rejection> {
    match applied {
        Applied::Rejected { reasons, .. } => reasons,
        other => panic!("expected Rejected, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Flask's own cookies

#[test]
fn flask_session_cookie_is_a_browser_session_cookie() {
    let mut jar = Jar::new();
    let c = stored(jar.apply(SEED_001_SET, "/setsession", T0));
    assert_eq!(
        c,
        StoredCookie {
            name: "session".into(),
            value: SEED_001_VALUE.into(),
            domain: "localhost".into(),
            host_only: true,
            path: "/".into(),
            expires: None,
            http_only: true,
            secure: false,
            same_site: None,
            partitioned: false,
            creation: T0,
            size: 7 + SEED_001_VALUE.len(),
        }
    );
    assert!(c.is_session());
    // Sent on every path, for ever (until the browser closes): a session cookie has no expiry.
    let header = format!("session={SEED_001_VALUE}");
    for path in ["/getsession", "/", "/deep/er?x=1"] {
        assert_eq!(
            jar.cookie_header(path, T0 + 10 * 365 * 86_400).as_deref(),
            Some(header.as_str())
        );
    }
}

#[test]
fn flask_deletion_cookie_removes_the_session() {
    let mut jar = Jar::new();
    jar.apply(SEED_001_SET, "/setsession", T0);
    let applied = jar.apply(SEED_001_DELETE, "/popsession", T0 + 180);
    assert_eq!(
        applied,
        Applied::Deleted {
            name: "session".into(),
            path: "/".into(),
            removed: true,
            // Max-Age=0 and Expires=1970 both say "expired"; Max-Age decides.
            notes: vec![Note::MaxAgeWins],
        }
    );
    assert!(jar.is_empty());
    assert_eq!(jar.cookie_header("/getsession", T0 + 181), None);
    // A second deletion finds nothing.
    assert!(matches!(
        jar.apply(SEED_001_DELETE, "/popsession", T0 + 182),
        Applied::Deleted { removed: false, .. }
    ));
}

#[test]
fn flask_permanent_cookie_stops_being_sent_at_its_expiry() {
    let mut jar = Jar::new();
    let c = stored(jar.apply(SEED_003_LOGIN, "/login", T0 + 10));
    assert_eq!(c.expires, Some(T0 + 310));
    assert!(!c.is_session());
    assert_eq!(
        jar.cookie_header("/user", T0 + 309),
        Some(format!("session={SEED_003_VALUE}"))
    );
    // Chromium: expired once now >= expiry, one second before Flask's own max-age check (age
    // 300 is still accepted there) would refuse it.
    assert_eq!(jar.cookie_header("/user", T0 + 310), None);
    let explained = jar.explain("/user", T0 + 310);
    assert_eq!(explained.len(), 1);
    assert_eq!(explained[0].1, SendDecision::Expired { at: T0 + 310 });
    assert_eq!(
        explained[0].1.to_string(),
        "not sent: expired at Tue, 14 Nov 2023 22:18:30 GMT"
    );
    // The browser no longer lists it; purging forgets it.
    assert!(jar.cookies(T0 + 310).is_empty());
    assert_eq!(jar.len(), 1);
    jar.purge_expired(T0 + 310);
    assert!(jar.is_empty());
}

#[test]
fn sliding_expiry_replaces_the_cookie_and_keeps_its_creation_time() {
    // seed-003 "user greets and re-signs" at T0 + 20 (tests/apps.rs).
    let refresh = "session=eyJfcGVybWFuZW50Ijp0cnVlLCJ1c2VyIjoiQWxpY2UifQ.ZVPxFA.QfZoPfEt719fuiD1X4Oh7FY-XT0; Expires=Tue, 14 Nov 2023 22:18:40 GMT; HttpOnly; Path=/";
    let mut jar = Jar::new();
    jar.apply(SEED_003_LOGIN, "/login", T0 + 10);
    let applied = jar.apply(refresh, "/user", T0 + 20);
    let Applied::Stored {
        cookie, replaced, ..
    } = applied
    else {
        panic!("{applied:?}")
    };
    assert!(replaced);
    assert_eq!(cookie.expires, Some(T0 + 320));
    assert_eq!(cookie.creation, T0 + 10);
    assert_eq!(jar.len(), 1);
    assert!(jar.cookie_header("/user", T0 + 315).is_some());
}

#[test]
fn restarting_the_browser_drops_session_cookies_only() {
    let mut jar = Jar::new();
    jar.apply(SEED_003_LOGIN, "/login", T0 + 10);
    jar.apply("other=1; Path=/", "/", T0 + 10);
    jar.restart_browser();
    let names: Vec<String> = jar.cookies(T0 + 11).into_iter().map(|c| c.name).collect();
    assert_eq!(names, ["session"]);
    jar.clear();
    assert!(jar.is_empty());
}

#[test]
fn werkzeug_quoted_values_go_back_exactly() {
    // What Werkzeug sends for a value with a space and a semicolon, and reads back.
    let value = "a b;c";
    let header = SetCookie {
        name: "q".into(),
        value: value.into(),
        path: Some("/".into()),
        ..Default::default()
    }
    .header_value();
    assert_eq!(header, "q=\"a b\\073c\"; Path=/");
    let mut jar = Jar::new();
    jar.apply(&header, "/", T0);
    let sent = jar.cookie_header("/", T0).unwrap();
    assert_eq!(sent, "q=\"a b\\073c\"");
    assert_eq!(parse_cookie_header(&sent), [("q".into(), value.into())]);
}

// ---------------------------------------------------------------------------------------------
// Expiry

#[test]
fn max_age_wins_over_expires() {
    let mut jar = Jar::new();
    let c = stored(jar.apply(
        "a=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=60",
        "/",
        T0,
    ));
    assert_eq!(c.expires, Some(T0 + 60));
    let deleted = jar.apply(
        "a=1; Max-Age=0; Expires=Fri, 01 Jan 2100 00:00:00 GMT",
        "/",
        T0,
    );
    assert!(matches!(deleted, Applied::Deleted { removed: true, .. }));
    // Negative is "expire now" too.
    jar.apply("b=1", "/", T0);
    assert!(matches!(
        jar.apply("b=; max-age=-5", "/", T0),
        Applied::Deleted { removed: true, .. }
    ));
}

#[test]
fn unreadable_expiry_attributes_are_ignored() {
    let mut jar = Jar::new();
    let a = jar.apply("a=1; Expires=tomorrow", "/", T0);
    assert_eq!(a.notes(), [Note::ExpiresIgnored("tomorrow".into())]);
    assert_eq!(stored(a).expires, None);

    let b = jar.apply(
        "b=1; Max-Age=5s; Expires=Tue, 14 Nov 2023 22:18:30 GMT",
        "/",
        T0,
    );
    assert_eq!(b.notes(), [Note::MaxAgeIgnored("5s".into())]);
    assert_eq!(stored(b).expires, Some(T0 + 310));
    assert_eq!(
        Note::MaxAgeIgnored("5s".into()).to_string(),
        "Max-Age=5s is not a number: ignored"
    );
}

#[test]
fn expires_in_the_past_deletes() {
    let mut jar = Jar::new();
    jar.apply("a=1", "/", T0);
    let d = jar.apply("a=gone; Expires=Tue, 14 Nov 2023 22:13:19 GMT", "/", T0);
    assert!(matches!(d, Applied::Deleted { removed: true, .. }));
    // Exactly now is already expired.
    jar.apply("a=1", "/", T0);
    let d = jar.apply("a=gone; Expires=Tue, 14 Nov 2023 22:13:20 GMT", "/", T0);
    assert!(matches!(d, Applied::Deleted { removed: true, .. }));
}

#[test]
fn lifetimes_are_capped_at_400_days() {
    let mut jar = Jar::new();
    let a = jar.apply("a=1; Max-Age=99999999999999999999999", "/", T0);
    assert_eq!(
        a.notes(),
        [Note::ExpiryCapped {
            requested: i64::MAX,
            capped: T0 + MAX_LIFETIME
        }]
    );
    assert_eq!(stored(a).expires, Some(T0 + 400 * 86_400));
    // Flask-Login's default remember cookie (365 days) is under the cap.
    let r = stored(jar.apply(
        &format!(
            "remember_token=x; Expires={}; Path=/",
            http_date(T0 + 365 * 86_400)
        ),
        "/login",
        T0,
    ));
    assert_eq!(r.expires, Some(T0 + 365 * 86_400));
}

// ---------------------------------------------------------------------------------------------
// Path

#[test]
fn default_path_comes_from_the_request_path() {
    let mut jar = Jar::new();
    let c = stored(jar.apply("a=1", "/shop/cart/add?item=3", T0));
    assert_eq!(c.path, "/shop/cart");
    let bad = jar.apply("b=1; Path=relative", "/shop/cart/add", T0);
    assert_eq!(
        bad.notes(),
        [Note::PathDefaulted {
            given: "relative".into(),
            used: "/shop/cart".into()
        }]
    );
    assert_eq!(stored(bad).path, "/shop/cart");
    assert_eq!(stored(jar.apply("c=1; Path=", "/x", T0)).path, "/");
}

#[test]
fn cookies_are_sent_only_on_matching_paths_and_explained() {
    let mut jar = Jar::new();
    jar.apply("a=1; Path=/admin", "/", T0);
    assert_eq!(jar.cookie_header("/admin", T0).as_deref(), Some("a=1"));
    assert_eq!(
        jar.cookie_header("/admin/users", T0).as_deref(),
        Some("a=1")
    );
    assert_eq!(jar.cookie_header("/administrator", T0), None);
    assert_eq!(jar.cookie_header("/", T0), None);
    let why = &jar.explain("/administrator?x=/admin/", T0)[0].1;
    assert_eq!(
        why,
        &SendDecision::PathMismatch {
            cookie_path: "/admin".into(),
            request_path: "/administrator".into()
        }
    );
    assert_eq!(
        why.to_string(),
        "not sent: path /admin does not match /administrator"
    );
    assert_eq!(jar.explain("/admin/x", T0)[0].1.to_string(), "sent");
}

#[test]
fn header_order_is_longer_paths_first_then_older_first() {
    let mut jar = Jar::new();
    jar.apply("root_new=1; Path=/", "/", T0 + 5);
    jar.apply("deep=1; Path=/a/b", "/", T0 + 9);
    jar.apply("mid=1; Path=/a", "/", T0 + 1);
    // Same second: the one stored first comes first.
    jar.apply("root_old=1; Path=/", "/", T0 + 5);
    jar.apply("root_oldest=1; Path=/", "/", T0);
    assert_eq!(
        jar.cookie_header("/a/b/c", T0 + 10).as_deref(),
        Some("deep=1; mid=1; root_oldest=1; root_new=1; root_old=1")
    );
    // Same name, different paths: two cookies.
    jar.apply("mid=2; Path=/", "/", T0 + 10);
    assert_eq!(jar.len(), 6);
    let mids: Vec<String> = jar
        .cookies(T0 + 10)
        .into_iter()
        .filter(|c| c.name == "mid")
        .map(|c| format!("{}={} {}", c.name, c.value, c.path))
        .collect();
    assert_eq!(mids, ["mid=1 /a", "mid=2 /"]);
}

// ---------------------------------------------------------------------------------------------
// Domain, Secure, prefixes, SameSite, Partitioned

#[test]
fn only_localhost_itself_is_an_acceptable_domain() {
    let mut jar = Jar::new();
    for d in ["localhost", ".localhost", "LocalHost"] {
        let a = jar.apply(&format!("a=1; Domain={d}"), "/", T0);
        assert_eq!(a.notes(), [Note::DomainHostOnly], "{d}");
        let c = stored(a);
        assert!(c.host_only && c.domain == "localhost", "{d}");
    }
    assert!(jar.apply("e=1; Domain=", "/", T0).notes().is_empty());
    for d in [
        "example.com",
        "sub.localhost",
        "localhost.",
        "127.0.0.1",
        ".",
    ] {
        assert_eq!(
            reasons(jar.apply(&format!("b=1; Domain={d}"), "/", T0)),
            [Rejection::DomainMismatch { domain: d.into() }],
            "{d}"
        );
    }
    assert_eq!(
        Rejection::DomainMismatch {
            domain: "example.com".into()
        }
        .to_string(),
        "Domain=example.com does not domain-match localhost"
    );
}

#[test]
fn secure_cookies_work_on_localhost_in_chromium() {
    let mut jar = Jar::new();
    assert_eq!(jar.context(), SecureContext::Trustworthy);
    let c = stored(jar.apply("s=1; Secure; HttpOnly; Path=/", "/", T0));
    assert!(c.secure && c.http_only);
    assert_eq!(jar.cookie_header("/", T0).as_deref(), Some("s=1"));

    // The same page judged as plain http (Safari, or a non-loopback host).
    jar.set_context(SecureContext::Insecure);
    assert_eq!(jar.cookie_header("/", T0), None);
    let why = &jar.explain("/", T0)[0].1;
    assert_eq!(why, &SendDecision::SecureOverHttp);
    assert_eq!(
        why.to_string(),
        "not sent: Secure cookie over http:// on an untrusted page"
    );
    assert_eq!(
        reasons(jar.apply("t=1; Secure", "/", T0)),
        [Rejection::SecureOverHttp]
    );
    assert_eq!(jar.len(), 1);
}

#[test]
fn name_prefixes_need_https_even_on_localhost() {
    let mut jar = Jar::new();
    for header in [
        "__Secure-a=1; Secure; Path=/",
        "__secure-a=1; Secure",
        "__Host-a=1; Secure; Path=/",
        "__HOST-a=1",
        "__Host-hidden",
    ] {
        let r = reasons(jar.apply(header, "/", T0));
        assert!(
            matches!(r.as_slice(), [Rejection::Prefix { .. }]),
            "{header}: {r:?}"
        );
    }
    assert!(jar.is_empty());
    assert_eq!(
        Rejection::Prefix { prefix: "__Host-" }.to_string(),
        "a __Host- cookie must come over https:// with Secure, Path=/ and no Domain"
    );
}

#[test]
fn same_site_and_partitioned_rules() {
    let mut jar = Jar::new();
    assert_eq!(
        reasons(jar.apply("a=1; SameSite=None", "/", T0)),
        [Rejection::SameSiteNoneInsecure]
    );
    assert_eq!(
        stored(jar.apply("a=1; SameSite=none; Secure", "/", T0)).same_site,
        Some(SameSite::None)
    );
    assert_eq!(
        stored(jar.apply("b=1; samesite=LAX", "/", T0)).same_site,
        Some(SameSite::Lax)
    );
    let odd = jar.apply("c=1; SameSite=sometimes", "/", T0);
    assert_eq!(odd.notes(), [Note::UnknownSameSite("sometimes".into())]);
    assert_eq!(stored(odd).same_site, None);
    assert_eq!(
        reasons(jar.apply("d=1; Partitioned", "/", T0)),
        [Rejection::PartitionedInsecure]
    );
    // Werkzeug adds Secure to a partitioned cookie itself.
    let werkzeug = SetCookie {
        name: "p".into(),
        value: "1".into(),
        partitioned: true,
        samesite: Some(SameSite::None),
        path: Some("/".into()),
        ..Default::default()
    };
    let c = stored(jar.apply(&werkzeug.header_value(), "/", T0));
    assert!(c.partitioned && c.secure);
    // Every request in the lab is same-site: SameSite never holds a cookie back.
    assert_eq!(
        jar.cookie_header("/", T0).as_deref(),
        Some("a=1; b=1; c=1; p=1")
    );
}

// ---------------------------------------------------------------------------------------------
// Odd headers

#[test]
fn nameless_and_empty_cookies() {
    let mut jar = Jar::new();
    let c = stored(jar.apply("justavalue; Path=/", "/", T0));
    assert_eq!((c.name.as_str(), c.value.as_str()), ("", "justavalue"));
    assert_eq!(jar.cookie_header("/", T0).as_deref(), Some("justavalue"));
    for empty in ["", "=", " = ; Path=/", ";"] {
        assert_eq!(
            reasons(jar.apply(empty, "/", T0)),
            [Rejection::NoContent],
            "{empty:?}"
        );
    }
    // An empty value with a name is a cookie.
    assert_eq!(stored(jar.apply("e=", "/", T0)).value, "");
}

#[test]
fn control_characters_reject_the_whole_header() {
    let mut jar = Jar::new();
    for header in [
        "a=1\0",
        "a=1\r\nSet-Cookie: b=2",
        "a=1; Path=/\x7f",
        "a\x01=1",
    ] {
        assert_eq!(
            reasons(jar.apply(header, "/", T0)),
            [Rejection::DisallowedCharacter],
            "{header:?}"
        );
    }
    // A tab is whitespace, not a control character.
    assert_eq!(stored(jar.apply("a=\t1\t", "/", T0)).value, "1");
}

#[test]
fn name_plus_value_is_limited_to_4096_bytes() {
    let mut jar = Jar::new();
    let fits = format!("n={}", "v".repeat(4095));
    assert_eq!(stored(jar.apply(&fits, "/", T0)).size, 4096);
    let over = format!("n={}", "v".repeat(4096));
    assert_eq!(
        reasons(jar.apply(&over, "/", T0)),
        [Rejection::TooLarge { size: 4097 }]
    );
    // A long attribute value is ignored, not fatal.
    let long_path = format!("p=1; Path=/{}", "x".repeat(1024));
    let a = jar.apply(&long_path, "/a/b", T0);
    assert_eq!(a.notes(), [Note::AttributeTooLong("Path".into())]);
    assert_eq!(stored(a).path, "/a");
}

#[test]
fn applied_and_rejection_texts_read_well() {
    let mut jar = Jar::new();
    assert_eq!(
        jar.apply(SEED_003_LOGIN, "/login", T0 + 10).to_string(),
        "stored session (path /, expires Tue, 14 Nov 2023 22:18:30 GMT)"
    );
    assert_eq!(
        jar.apply(SEED_001_SET, "/", T0 + 20).to_string(),
        "replaced session (path /, session cookie: gone when the browser closes)"
    );
    assert_eq!(
        jar.apply(SEED_001_DELETE, "/", T0 + 30).to_string(),
        "deleted session (path /): it arrived already expired"
    );
    assert_eq!(
        jar.apply("x=1; SameSite=None; Domain=example.com", "/", T0)
            .to_string(),
        "rejected x: Domain=example.com does not domain-match localhost; SameSite=None requires Secure"
    );
}

// ---------------------------------------------------------------------------------------------
// Properties

proptest! {
    /// Nothing a server (or a fuzzer) sends makes the jar panic, and what it keeps stays sane.
    #[test]
    fn apply_and_cookie_header_never_panic(
        headers in proptest::collection::vec(any::<String>(), 0..6),
        paths in proptest::collection::vec(any::<String>(), 1..4),
        now in any::<i64>(),
        later in any::<i64>(),
    ) {
        let mut jar = Jar::new();
        for (i, h) in headers.iter().enumerate() {
            let applied = jar.apply(h, &paths[i % paths.len()], now);
            let _ = applied.to_string();
        }
        for p in &paths {
            for t in [now, later] {
                if let Some(header) = jar.cookie_header(p, t) {
                    prop_assert!(!header.contains(['\0', '\r', '\n']));
                }
                for (_, decision) in jar.explain(p, t) {
                    let _ = decision.to_string();
                }
                for c in jar.cookies(t) {
                    prop_assert!(c.path.starts_with('/'));
                    prop_assert_eq!(c.size, c.name.len() + c.value.len());
                    prop_assert!(c.expires.is_none_or(|e| e > t));
                }
            }
        }
        jar.restart_browser();
        prop_assert!(jar.cookies(now).iter().all(|c| !c.is_session()));
    }

    /// Cookie-shaped junk, to reach the attribute code more often than random strings do.
    #[test]
    fn cookie_shaped_headers_never_panic(
        header in "[ a-zA-Z_=;/.\"\\-]{0,12}(; ?(Expires|Max-Age|Domain|Path|Secure|HttpOnly|SameSite|Partitioned)(=[ -~]{0,30})?){0,6}",
        path in "[/a-z?#]{0,10}",
        now in -100_000_000_000i64..300_000_000_000,
    ) {
        let mut jar = Jar::new();
        jar.apply(&header, &path, now);
        let _ = jar.cookie_header(&path, now);
    }

    /// Whatever Werkzeug writes for a cookie, the jar reads the same cookie, and the `Cookie`
    /// header it sends parses back (as Werkzeug parses it) to the original value.
    #[test]
    fn werkzeug_set_cookie_round_trips_through_the_jar(
        name in "[A-Za-z0-9][A-Za-z0-9_]{0,10}",
        value in any::<String>(),
        lifetime in proptest::option::of(1i64..MAX_LIFETIME),
        path in "(/[a-z0-9 %~]{0,6}){1,3}",
        http_only in any::<bool>(),
        secure in any::<bool>(),
        same_site in proptest::option::of(prop_oneof![Just(SameSite::Lax), Just(SameSite::Strict)]),
    ) {
        let now = T0;
        let set = SetCookie {
            name: name.clone(),
            value: value.clone(),
            expires: lifetime.map(|l| now + l),
            path: Some(path.clone()),
            secure,
            httponly: http_only,
            samesite: same_site,
            ..Default::default()
        };
        let mut jar = Jar::new();
        let c = match jar.apply(&set.header_value(), "/", now) {
            Applied::Stored { cookie, .. } => cookie,
            other => return Err(TestCaseError::fail(format!("{other:?}"))),
        };
        prop_assert_eq!(&c.name, &name);
        prop_assert_eq!(&c.value, &quote_value(&value));
        prop_assert_eq!(&c.path, &quote_path(&path));
        prop_assert_eq!(c.expires, lifetime.map(|l| now + l));
        prop_assert_eq!((c.http_only, c.secure, c.same_site), (http_only, secure, same_site));
        let header = jar.cookie_header(&c.path, now).expect("sent on its own path");
        prop_assert_eq!(parse_cookie_header(&header), vec![(name, value)]);
    }
}
