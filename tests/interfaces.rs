//! One acceptance suite, run against both session interfaces (Flask's signed cookie and
//! Flask-Session's server-side store), with flags for the differences that are the point of
//! the lab: a server-side session can be revoked and regenerated; a client-side one cannot,
//! and its data travels in the cookie. Byte-level agreement with real Flask is checked
//! elsewhere (tests/apps.rs, and tests/interop/replay_diff.py in `make test`); this suite pins
//! the behaviour both interfaces share and where they part.
#![cfg(not(target_arch = "wasm32"))]

use session_lab::engine::flask::app::App;
use session_lab::engine::flask::config::ConfigValue;
use session_lab::engine::flask::sessions::{CookieVerdict, InterfaceKind};
use session_lab::engine::flask_session::store::MemoryStore;
use session_lab::engine::flask_session::{init_app, store_entries};
use session_lab::engine::py::secrets::SeededRng;
use session_lab::engine::werkzeug::wrappers::{Request, Response};

const T0: i64 = 1_700_000_000;

/// The differences the suite expects, per interface.
struct Flags {
    kind: InterfaceKind,
    /// The session data can be read out of the cookie.
    data_in_cookie: bool,
    /// The deletion cookie repeats HttpOnly (Flask) or carries only Path (Flask-Session).
    deletion_has_httponly: bool,
}

fn app(kind: InterfaceKind, permanent_default: bool) -> (App, Flags) {
    let mut app = App::new("acceptance");
    app.config
        .set("SECRET_KEY", ConfigValue::Str("k".into()))
        .unwrap();
    app.config
        .set("PERMANENT_SESSION_LIFETIME", ConfigValue::Int(300))
        .unwrap();
    let flags = match kind {
        InterfaceKind::ClientSide => Flags {
            kind,
            data_in_cookie: true,
            deletion_has_httponly: true,
        },
        InterfaceKind::ServerSide => {
            app.config
                .set("SESSION_TYPE", ConfigValue::Str("filesystem".into()))
                .unwrap();
            app.config
                .set("SESSION_PERMANENT", ConfigValue::Bool(permanent_default))
                .unwrap();
            init_app(
                &mut app,
                Box::new(MemoryStore::new()),
                Box::new(SeededRng::new(7)),
            )
            .unwrap();
            Flags {
                kind,
                data_in_cookie: false,
                deletion_has_httponly: false,
            }
        }
    };
    app.route("/nothing", &["GET"], |_| Ok(Response::html("ok")));
    app.route("/set", &["GET"], |ctx| {
        let v = ctx.request.arg("v").unwrap_or_default();
        ctx.session.insert("user", v)?;
        Ok(Response::html("set"))
    });
    app.route("/permanent", &["GET"], |ctx| {
        ctx.session.set_permanent(true)?;
        ctx.session.insert("user", "ada")?;
        Ok(Response::html("set"))
    });
    app.route("/get", &["GET"], |ctx| {
        let v = ctx.session.get_str("user").unwrap_or_else(|| "-".into());
        Ok(Response::html(v))
    });
    app.route("/clear", &["GET"], |ctx| {
        ctx.session.clear()?;
        Ok(Response::html("cleared"))
    });
    app.route("/regenerate", &["GET"], |ctx| {
        ctx.regenerate_session();
        Ok(Response::html("regenerated"))
    });
    (app, flags)
}

/// The value of the `session` cookie a response sets, if any.
fn session_cookie(r: &Response) -> Option<String> {
    r.set_cookies().iter().find_map(|h| {
        h.strip_prefix("session=")
            .map(|rest| rest.split(';').next().unwrap_or("").to_string())
    })
}

fn with_cookie(target: &str, cookie: &str) -> Request {
    Request::get(target).with_header("Cookie", &format!("session={cookie}"))
}

fn both(test: impl Fn(InterfaceKind)) {
    test(InterfaceKind::ClientSide);
    test(InterfaceKind::ServerSide);
}

#[test]
fn untouched_session_sends_nothing() {
    both(|kind| {
        let (app, _) = app(kind, false);
        let r = app.handle(&Request::get("/nothing"), T0);
        assert!(r.set_cookies().is_empty(), "{kind:?}");
        assert_eq!(r.header("Vary"), None, "{kind:?}");
        // Reading an empty session adds Vary but sets nothing.
        let r = app.handle(&Request::get("/get"), T0);
        assert_eq!(r.header("Vary"), Some("Cookie"), "{kind:?}");
        assert!(r.set_cookies().is_empty(), "{kind:?}");
    });
}

#[test]
fn a_stored_value_comes_back_on_the_next_request() {
    both(|kind| {
        let (app, flags) = app(kind, false);
        let r = app.handle(&Request::get("/set?v=ada"), T0);
        let cookie = session_cookie(&r).expect("a session cookie");
        assert_eq!(
            cookie.contains("eyJ"),
            flags.data_in_cookie,
            "{kind:?}: {cookie}"
        );
        if flags.kind == InterfaceKind::ServerSide {
            assert_eq!(cookie.len(), 43, "a token_urlsafe(32) id");
            let stored = store_entries(app.session_interface(), T0).unwrap();
            assert_eq!(stored.len(), 1);
            assert_eq!(stored[0].key, format!("session:{cookie}"));
            assert_eq!(stored[0].expires_at, T0 + 300);
        } else {
            assert!(store_entries(app.session_interface(), T0).is_none());
        }
        let h = app.serve(&with_cookie("/get", &cookie), T0 + 1);
        assert_eq!(h.response.body, "ada", "{kind:?}");
        assert!(matches!(h.verdict, Some(CookieVerdict::Valid { .. })));
    });
}

#[test]
fn a_made_up_cookie_is_never_adopted() {
    both(|kind| {
        let (app, _) = app(kind, false);
        let h = app.serve(&with_cookie("/set?v=eve", "attacker-chosen-id"), T0);
        assert_eq!(h.response.body, "set");
        let issued = session_cookie(&h.response).unwrap();
        assert_ne!(issued, "attacker-chosen-id", "{kind:?}");
        let verdict = h.verdict.unwrap();
        match kind {
            InterfaceKind::ClientSide => assert!(matches!(verdict, CookieVerdict::Rejected(_))),
            InterfaceKind::ServerSide => assert_eq!(verdict, CookieVerdict::UnknownSessionId),
        }
    });
}

#[test]
fn clear_sends_a_deletion_cookie() {
    both(|kind| {
        let (app, flags) = app(kind, false);
        let cookie = session_cookie(&app.handle(&Request::get("/set?v=ada"), T0)).unwrap();
        let r = app.handle(&with_cookie("/clear", &cookie), T0);
        let deletion = r.set_cookies()[0].to_string();
        assert!(
            deletion.starts_with("session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0"),
            "{deletion}"
        );
        assert_eq!(
            deletion.contains("HttpOnly"),
            flags.deletion_has_httponly,
            "{deletion}"
        );
        if kind == InterfaceKind::ServerSide {
            assert!(store_entries(app.session_interface(), T0)
                .unwrap()
                .is_empty());
        }
    });
}

#[test]
fn permanent_sessions_slide_and_then_expire() {
    both(|kind| {
        let (app, _) = app(kind, false);
        let r = app.handle(&Request::get("/permanent"), T0);
        let mut cookie = session_cookie(&r).unwrap();
        assert!(r.set_cookies()[0].contains("Expires=Tue, 14 Nov 2023 22:18:20 GMT"));
        // Each visit within the lifetime re-sends the cookie with a later expiry.
        for step in 1..=3 {
            let now = T0 + step * 200;
            let r = app.handle(&with_cookie("/get", &cookie), now);
            assert_eq!(r.body, "ada", "{kind:?} step {step}");
            cookie = session_cookie(&r).expect("refreshed on every request");
        }
        // 301 idle seconds later it is gone.
        let r = app.handle(&with_cookie("/get", &cookie), T0 + 3 * 200 + 301);
        assert_eq!(r.body, "-", "{kind:?}");
    });
}

#[test]
fn only_the_server_can_take_a_session_back() {
    both(|kind| {
        let (app, flags) = app(kind, false);
        let cookie = session_cookie(&app.handle(&Request::get("/set?v=ada"), T0)).unwrap();
        // "Log out everywhere": the server forgets the session. A stolen copy of a client-side
        // cookie keeps working; a server-side id no longer leads anywhere.
        let revoked = app.session_interface().revoke(&cookie);
        assert_eq!(revoked, flags.kind.can_revoke(), "{kind:?}");
        let replay = app.handle(&with_cookie("/get", &cookie), T0 + 10);
        let expected = if flags.kind.can_revoke() { "-" } else { "ada" };
        assert_eq!(replay.body, expected, "{kind:?}");
    });
}

#[test]
fn regenerate_issues_a_new_id_only_server_side() {
    both(|kind| {
        let (app, _) = app(kind, false);
        let cookie = session_cookie(&app.handle(&Request::get("/set?v=ada"), T0)).unwrap();
        let r = app.handle(&with_cookie("/regenerate", &cookie), T0);
        match kind {
            InterfaceKind::ClientSide => assert!(session_cookie(&r).is_none()),
            InterfaceKind::ServerSide => {
                let new = session_cookie(&r).expect("the new id is sent");
                assert_ne!(new, cookie);
                // The old id is dead, the new one carries the data.
                assert_eq!(app.handle(&with_cookie("/get", &cookie), T0).body, "-");
                assert_eq!(app.handle(&with_cookie("/get", &new), T0).body, "ada");
            }
        }
    });
}

#[test]
fn flask_session_defaults_to_permanent_and_clear_keeps_the_flag() {
    let (app, _) = app(InterfaceKind::ServerSide, true);
    let r = app.handle(&Request::get("/set?v=ada"), T0);
    assert!(
        r.set_cookies()[0].contains("Expires="),
        "{:?}",
        r.set_cookies()
    );
    let cookie = session_cookie(&r).unwrap();
    let stored = store_entries(app.session_interface(), T0).unwrap();
    assert_eq!(stored[0].data.get("_permanent"), Some(&true.into()));
    // clear() leaves only `_permanent`, which Flask-Session counts as empty: deleted.
    let r = app.handle(&with_cookie("/clear", &cookie), T0);
    assert_eq!(
        r.set_cookies(),
        ["session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"]
    );
    assert!(store_entries(app.session_interface(), T0)
        .unwrap()
        .is_empty());
}

#[test]
fn flask_session_signer_wraps_the_id_and_refuses_a_forged_one() {
    let mut app = App::new("signer");
    for (k, v) in [
        ("SECRET_KEY", ConfigValue::Str("dev-secret".into())),
        ("SESSION_TYPE", ConfigValue::Str("filesystem".into())),
        ("SESSION_USE_SIGNER", ConfigValue::Bool(true)),
    ] {
        app.config.set(k, v).unwrap();
    }
    init_app(
        &mut app,
        Box::new(MemoryStore::new()),
        Box::new(SeededRng::new(3)),
    )
    .unwrap();
    app.route("/set", &["GET"], |ctx| {
        ctx.session.insert("user", "ada")?;
        Ok(Response::html("set"))
    });
    app.route("/get", &["GET"], |ctx| {
        Ok(Response::html(
            ctx.session.get_str("user").unwrap_or_else(|| "-".into()),
        ))
    });
    let cookie = session_cookie(&app.handle(&Request::get("/set"), T0)).unwrap();
    let (sid, sig) = cookie.rsplit_once('.').expect("sid.signature");
    assert_eq!(sid.len(), 43);
    // The signature is itsdangerous' Signer with salt "flask-session" (docs/flask-sessions.md
    // §3.3).
    assert_eq!(
        cookie,
        session_lab::engine::itsdangerous::signing::sign_plain("dev-secret", "flask-session", sid)
    );
    // The store key uses the bare id.
    let stored = store_entries(app.session_interface(), T0).unwrap();
    assert_eq!(stored[0].key, format!("session:{sid}"));
    assert_eq!(app.handle(&with_cookie("/get", &cookie), T0).body, "ada");
    // The bare id, or the id with a made-up signature, leads nowhere.
    assert_eq!(app.handle(&with_cookie("/get", sid), T0).body, "-");
    let forged = format!("{sid}.{}", sig.replace(|c: char| c != 'A', "A"));
    let h = app.serve(&with_cookie("/get", &forged), T0);
    assert_eq!(h.response.body, "-");
    assert!(matches!(h.verdict, Some(CookieVerdict::Rejected(_))));
}
