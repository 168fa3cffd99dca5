//! What the panes show (`lab::view`), worked out natively on the real scenarios with the
//! model cookie jar: the wire's verdict on each request's cookie, the jar table, the session
//! cookie taken apart and checked under the app's key, the store in readable form, the theme
//! of the mock page, and the settings the code panel writes out.
#![cfg(not(target_arch = "wasm32"))]

use session_lab::client::jar::Jar;
use session_lab::engine::apps::Services;
use session_lab::engine::flask::config::{Config, ConfigValue};
use session_lab::engine::flask::sessions::InterfaceKind;
use session_lab::engine::itsdangerous::signing::Serializer;
use session_lab::engine::py::secrets::SeededRng;
use session_lab::engine::werkzeug::http_date::http_date;
use session_lab::lab::scenarios::{by_id, free_play};
use session_lab::lab::view::{self, cookie_readout, page_theme, verdict_line, CookieReadout};
use session_lab::lab::{BrowserId, Lab};

const T0: i64 = 1_700_000_000;
const MAIN: BrowserId = BrowserId::Main;

fn lab(id: &str) -> Lab<Jar> {
    let app = by_id(id)
        .expect("a scenario")
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

#[test]
fn the_wire_says_what_the_server_made_of_each_cookie() {
    let mut lab = lab("seed-001");
    lab.navigate(MAIN, "/getsession", T0);
    assert_eq!(
        verdict_line(lab.log.last().unwrap()),
        None,
        "no cookie sent"
    );
    lab.navigate(MAIN, "/setsession", T0);
    lab.navigate(MAIN, "/getsession", T0 + 1);
    assert_eq!(
        verdict_line(lab.log.last().unwrap()).as_deref(),
        Some("session cookie accepted")
    );
    // 31 days and a second later the signature is too old.
    lab.navigate(MAIN, "/getsession", T0 + 2_678_401);
    let line = verdict_line(lab.log.last().unwrap()).unwrap();
    assert!(
        line.starts_with("session cookie refused, empty session started: "),
        "{line}"
    );
    assert!(line.contains("2678401"), "{line}");

    let mut server = lab_with_made_up_id();
    let line = verdict_line(server.log.pop().as_ref().unwrap()).unwrap();
    assert!(
        line.starts_with("session id unknown to the store"),
        "{line}"
    );
}

/// seed-002 asked for a page with a session id its store never issued.
fn lab_with_made_up_id() -> Lab<Jar> {
    let mut lab = lab("seed-002");
    let set = format!(
        "session=made-up-id; Path=/; Expires={}",
        http_date(T0 + 600)
    );
    session_lab::lab::CookieJar::apply(&mut lab.main.jar, &set, "/", T0);
    lab.navigate(MAIN, "/profile", T0);
    lab
}

#[test]
fn the_jar_table_says_why_each_cookie_goes() {
    let mut lab = lab("seed-003");
    lab.submit(MAIN, "POST", "/login", &fields(&[("nm", "ada")]), T0);
    let state = view::state(&mut lab, T0);
    assert_eq!(state.path, "/user");
    assert_eq!(state.jar.len(), 1);
    let row = &state.jar[0];
    assert_eq!(row.name, "session");
    assert_eq!(row.path, "/");
    assert_eq!(row.expires, http_date(T0 + 300));
    assert_eq!(row.flags, "HttpOnly");
    assert_eq!(
        row.size,
        format!("{} bytes", "session".len() + row.value.len())
    );
    assert_eq!(row.why, "For /user: sent");
    assert!(
        row.limits.is_empty(),
        "the model jar can do what a server asks"
    );
    // Six minutes later the browser has dropped it.
    let state = view::state(&mut lab, T0 + 360);
    assert!(state.jar.is_empty(), "{:?}", state.jar);
}

#[test]
fn a_signed_cookie_is_read_and_checked_under_the_apps_key() {
    let mut lab = lab("seed-003");
    lab.submit(MAIN, "POST", "/login", &fields(&[("nm", "ada")]), T0);
    let state = view::state(&mut lab, T0 + 65);
    match &state.cookie {
        CookieReadout::Signed {
            payload,
            compressed,
            timestamp,
            issued_at,
            signature,
        } => {
            assert_eq!(*issued_at, Some(T0));
            assert_eq!(payload, r#"{"_permanent":true,"user":"ada"}"#);
            assert!(!compressed);
            assert_eq!(timestamp, "2023-11-14 22:13:20 UTC (age 1m 5s)");
            assert_eq!(signature, &Ok(()));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(state.store, None, "Flask's cookie sessions store nothing");

    // The same cookie under another key, past its lifetime, and garbage.
    let cookie = Serializer::flask_session("hello", &[]).dumps(r#"{"user":"ada"}"#, T0 as u64);
    let mut config = Config::default();
    config
        .set("SECRET_KEY", ConfigValue::Str("other".into()))
        .unwrap();
    let readout = cookie_readout(Some(&cookie), InterfaceKind::ClientSide, &config, T0);
    assert!(
        matches!(&readout, CookieReadout::Signed { signature: Err(e), .. } if e.contains("ignature")),
        "{readout:?}"
    );
    config
        .set("SECRET_KEY", ConfigValue::Str("hello".into()))
        .unwrap();
    let late = cookie_readout(
        Some(&cookie),
        InterfaceKind::ClientSide,
        &config,
        T0 + 2_678_401,
    );
    assert!(
        matches!(&late, CookieReadout::Signed { signature: Err(e), .. } if e.contains("2678401")),
        "{late:?}"
    );
    assert_eq!(
        cookie_readout(Some("garbage"), InterfaceKind::ClientSide, &config, T0),
        CookieReadout::NotFlask
    );
    assert_eq!(
        cookie_readout(None, InterfaceKind::ClientSide, &config, T0),
        CookieReadout::Absent
    );
    let unset = Config::default();
    assert!(matches!(
        cookie_readout(Some(&cookie), InterfaceKind::ClientSide, &unset, T0),
        CookieReadout::Signed { signature: Err(e), .. } if e == "the app has no SECRET_KEY"
    ));
}

#[test]
fn a_server_side_session_shows_its_id_and_its_stored_data() {
    let mut lab = lab("seed-002");
    lab.navigate(MAIN, "/", T0);
    let state = view::state(&mut lab, T0 + 60);
    let CookieReadout::SessionId(id) = &state.cookie else {
        panic!("{:?}", state.cookie);
    };
    assert_eq!(id.len(), 43);
    let store = state.store.expect("Flask-Session keeps a store");
    assert_eq!(store.rows.len(), 1);
    assert_eq!(store.paging.caption("sessions"), "sessions 1–1 of 1");
    let row = &store.rows[0];
    assert_eq!(row.key, format!("session:{id}"));
    assert_eq!(row.data, r#"{"_permanent":true,"username":"John"}"#);
    assert_eq!(row.ttl, "29m 0s");
    assert_eq!(row.expires_at, T0 + 30 * 60);
}

#[test]
fn the_store_pane_pages_newest_first() {
    let mut lab = lab("seed-002");
    // 120 sessions, one a second: go to /, then clear the cookies and reload, again and again.
    lab.navigate(MAIN, "/", T0);
    for i in 1..120 {
        lab.clear_cookies(MAIN);
        lab.reload(MAIN, T0 + i);
    }
    let CookieReadout::SessionId(id) = view::state(&mut lab, T0 + 120).cookie else {
        panic!("a session id");
    };
    let first = view::state(&mut lab, T0 + 120).store.unwrap();
    assert_eq!(first.paging.caption("sessions"), "sessions 1–50 of 120");
    assert_eq!(first.rows.len(), 50);
    // The newest is the browser's own session, and each row is older than the one above.
    assert_eq!(first.rows[0].key, format!("session:{id}"));
    assert!(first
        .rows
        .windows(2)
        .all(|w| w[0].expires_at == w[1].expires_at + 1));
    let last = view::state_page(&mut lab, T0 + 120, 100, 50).store.unwrap();
    assert_eq!(last.paging.caption("sessions"), "sessions 101–120 of 120");
    assert!(!last.paging.has_older() && last.paging.has_newer());
    assert_eq!(last.rows.last().unwrap().expires_at, T0 + 30 * 60);
    // Thirty minutes on, the first ten have expired: pruned, and no longer counted.
    let later = view::state(&mut lab, T0 + 30 * 60 + 10).store.unwrap();
    assert_eq!(later.paging.total, 110);
}

#[test]
fn the_mock_page_takes_the_theme_the_server_saw() {
    for id in ["seed-004-client-temp", "seed-004-server-temp"] {
        let mut lab = lab(id);
        lab.navigate(MAIN, "/home", T0);
        assert_eq!(page_theme(&lab, MAIN), None, "{id}: no session yet");
        let sign_in = fields(&[("next", "None"), ("username", "ada")]);
        lab.submit(MAIN, "POST", "/login", &sign_in, T0);
        // The redirect's GET /home carried the new cookie: the session says "dark".
        assert_eq!(page_theme(&lab, MAIN), Some("dark"), "{id}");
        lab.navigate(MAIN, "/logout", T0);
        lab.navigate(MAIN, "/home", T0);
        assert_eq!(page_theme(&lab, MAIN), None, "{id}: signed out");
    }
    assert_eq!(page_theme(&lab("seed-001"), BrowserId::Second), None);
}

#[test]
fn the_code_panel_follows_the_live_config() {
    // seed 003 sets session.permanent = True in its view: app code, not config.
    let seed_003 = by_id("seed-003").unwrap();
    let app = lab("seed-003").app;
    let s = seed_003.live_settings(&app.config, app.session_interface().kind());
    assert!(s.permanent);
    assert_eq!(s.secret_key, "hello");
    assert_eq!(s.lifetime_seconds, 300);
    // Free play's switch stands for that line.
    let scenario = &free_play::SCENARIO;
    let mut app = lab("free-play").app;
    let switch = scenario
        .shown
        .permanent_switch
        .expect("free play shows the switch");
    let off = scenario.live_settings(&app.config, InterfaceKind::ClientSide);
    assert!(!off.permanent);
    app.config.set(switch, ConfigValue::Bool(true)).unwrap();
    let on = scenario.live_settings(&app.config, InterfaceKind::ClientSide);
    assert!(on.permanent);
    // Server-side, SESSION_PERMANENT decides (Flask-Session's default is True).
    assert!(
        scenario
            .live_settings(&app.config, InterfaceKind::ServerSide)
            .permanent
    );
    app.config
        .set("SESSION_PERMANENT", ConfigValue::Bool(false))
        .unwrap();
    assert!(
        !scenario
            .live_settings(&app.config, InterfaceKind::ServerSide)
            .permanent
    );
    assert!(scenario
        .flask_code(&on)
        .contains("session.permanent = True"));
}

#[test]
fn the_comparison_takes_both_sessions_through_the_same_steps() {
    use session_lab::lab::run::{Act, ModelHost, Run};
    use session_lab::lab::scenarios::COMPARISON;
    let mut host = ModelHost;
    let mut cookie: Run<Jar> = Run::start(COMPARISON.cookie, 1, &mut host);
    let mut store: Run<Jar> = Run::start(COMPARISON.store, 1, &mut host);
    let offset = |run: &Run<Jar>| run.lab.as_ref().expect("it starts").offset;
    assert_eq!(
        (
            cookie.lab.as_ref().unwrap().app.session_interface().kind(),
            store.lab.as_ref().unwrap().app.session_interface().kind()
        ),
        (InterfaceKind::ClientSide, InterfaceKind::ServerSide)
    );
    let mut seen = Vec::new();
    for (label, action) in COMPARISON.steps {
        for run in [&mut cookie, &mut store] {
            let now = T0 + offset(run);
            run.apply(Act::from(*action), now, &mut host);
        }
        let (cookie_now, store_now) = (T0 + offset(&cookie), T0 + offset(&store));
        let (c, s) = (
            view::state(cookie.lab.as_mut().unwrap(), cookie_now),
            view::state(store.lab.as_mut().unwrap(), store_now),
        );
        seen.push((*label, c.jar.len(), s.store.as_ref().map(|s| s.rows.len())));
        assert_eq!(c.store, None, "{label}: a cookie session stores nothing");
    }
    // Signed in, both browsers hold one cookie and only the server-side app stores the data;
    // after logging out the store entry is gone, and after six more minutes nothing is left.
    assert_eq!(
        seen,
        [
            ("Sign in as ada", 1, Some(1)),
            ("Open /about", 1, Some(1)),
            ("Wait 4 minutes", 1, Some(1)),
            ("Close and reopen the browser", 1, Some(1)),
            ("Log out", 0, Some(0)),
            ("Wait 6 minutes", 0, Some(0)),
        ]
    );
    assert_eq!(offset(&cookie), 10 * 60);
}
