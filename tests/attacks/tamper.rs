//! `attack-tamper` natively: before the fix, editing the plain `user_name` cookie to `admin`
//! opens /admin; after it (Flask's signed session), putting admin into the session payload
//! fails the signature check and Flask carries on with an empty session.

use super::read::{is, only_set_cookie, value_of};
use crate::support::Walker;
use session_lab::engine::apps::plain_cookie::{ADMIN_PAGE, SECRET_KEY};
use session_lab::engine::flask::sessions::CookieVerdict;
use session_lab::engine::itsdangerous::signing::UnsignError;
use session_lab::lab::lesson::payload_json;
use session_lab::lab::{Action, BrowserId};

const MAIN: BrowserId = BrowserId::Main;

#[test]
fn an_edited_plain_cookie_opens_admin_and_a_forged_signed_one_does_not() {
    let mut walk = Walker::open("attack-tamper");
    let home = walk.last(|e| is(e, MAIN, "GET", "/"));
    assert!(home.response.body.contains("Nobody is signed in."));

    assert!(walk.step("login").is_empty());
    let login = walk.last(|e| is(e, MAIN, "POST", "/login"));
    // Measured with Flask 3.1.3: resp.set_cookie("user_name", "ada") sends exactly this.
    assert_eq!(only_set_cookie(login), "user_name=ada; Path=/");
    assert_eq!(login.header("Location"), Some("/"));

    // The attack works: the server believes the edited cookie.
    assert!(walk.step("edit").is_empty());
    let admin = walk.last(|e| is(e, MAIN, "GET", "/admin"));
    assert_eq!(admin.cookie.as_deref(), Some("user_name=admin"));
    assert_eq!(admin.status(), 200);
    assert_eq!(admin.response.body, ADMIN_PAGE);

    // The fix: the signed session. Measured with Flask 3.1.3 (the timestamp pinned to the
    // lab clock of this sign-in, 1700000007, in itsdangerous's get_timestamp), the same
    // sign-in under this SECRET_KEY sets exactly this cookie.
    assert!(walk.step("fix").is_empty());
    let login = walk.last(|e| is(e, MAIN, "POST", "/login"));
    assert_eq!(
        only_set_cookie(login),
        "session=eyJ1c2VyX25hbWUiOiJhZGEifQ.ZVPxBw.psAsjxBskvzNXZOCz9J1Eg5iO7Y; HttpOnly; Path=/"
    );
    let signed = value_of(only_set_cookie(login)).to_string();
    let (_, kept) = signed.split_once('.').unwrap();

    // The same attack on the signed cookie: the payload says admin, the signature is ada's.
    assert!(walk.step("forge").is_empty());
    let admin = walk.last(|e| is(e, MAIN, "GET", "/admin"));
    let forged = format!("eyJ1c2VyX25hbWUiOiJhZG1pbiJ9.{kept}");
    assert_eq!(
        payload_json(&forged).as_deref(),
        Some(r#"{"user_name":"admin"}"#)
    );
    // The old plain cookie (edited to admin before the fix) still goes along; nothing reads it.
    assert_eq!(
        admin.cookie.as_deref(),
        Some(format!("user_name=admin; session={forged}").as_str())
    );
    assert_eq!(
        admin.verdict,
        Some(CookieVerdict::Rejected(UnsignError::BadSignature))
    );
    assert_eq!(
        (admin.status(), admin.header("Location")),
        (302, Some("/login"))
    );
    assert!(admin.set_cookies().is_empty());

    // Quietly: an empty session, no error, and the forged cookie is not even replaced.
    assert!(walk.step("quiet").is_empty());
    let home = walk.last(|e| is(e, MAIN, "GET", "/"));
    assert_eq!(home.status(), 200);
    assert!(home.response.body.contains("Nobody is signed in."));
    assert_eq!(
        home.verdict,
        Some(CookieVerdict::Rejected(UnsignError::BadSignature))
    );
    assert!(home.set_cookies().is_empty());

    // What the refusal hinged on: the same payload signed with the key is accepted.
    let said = walk.act(Action::Sign {
        json: r#"{"user_name":"admin"}"#,
        key: SECRET_KEY,
    });
    assert!(said.is_empty(), "{said:?}");
    walk.act(Action::Navigate("/admin"));
    let admin = walk.last(|e| is(e, MAIN, "GET", "/admin"));
    assert!(matches!(admin.verdict, Some(CookieVerdict::Valid { .. })));
    assert_eq!(admin.response.body, ADMIN_PAGE);
}

#[test]
fn the_plain_cookie_site_believes_any_name_and_the_signed_one_only_its_own() {
    // Before the fix a wrong password sets nothing, but ada's cookie, edited, makes her admin.
    let mut walk = Walker::open("attack-tamper");
    walk.act(Action::Navigate("/login"));
    walk.act(Action::Submit {
        action: "/login",
        fields: &[("username", "admin"), ("password", "lovelace")],
    });
    let login = walk.last(|e| is(e, MAIN, "POST", "/login"));
    assert!(login.set_cookies().is_empty());
    assert!(login.response.body.contains("Wrong name or password."));
    // With no cookie there is nothing to edit (the lab's editor changes existing cookies).
    let said = walk.act(Action::EditCookie {
        name: "user_name",
        value: "admin",
    });
    assert_eq!(said.len(), 1, "{said:?}");
    walk.act(Action::Submit {
        action: "/login",
        fields: &[("username", "ada"), ("password", "lovelace")],
    });
    let said = walk.act(Action::EditCookie {
        name: "user_name",
        value: "admin",
    });
    assert!(said.is_empty(), "{said:?}");
    walk.act(Action::Navigate("/"));
    let home = walk.last(|e| is(e, MAIN, "GET", "/"));
    assert!(home.response.body.contains("Signed in as admin."));

    // After the fix, that same cookie alone opens nothing.
    assert!(walk.act(Action::Fix).is_empty());
    walk.act(Action::Navigate("/admin"));
    let admin = walk.last(|e| is(e, MAIN, "GET", "/admin"));
    assert_eq!(admin.cookie.as_deref(), Some("user_name=admin"));
    assert_eq!(admin.verdict, Some(CookieVerdict::Absent));
    assert_eq!(admin.header("Location"), Some("/login"));
    assert!(walk.run.fixed);
}

// ---------------------------------------------------------------------------------------------
// Both programs of the code panel, run by real Flask, answer byte for byte as the engine's apps.

/// Runs `program` under Flask's test client (no cookie jar, itsdangerous's clock pinned to
/// `T0`) for each `(method, target, form, cookie)`; returns each answer as
/// `status|location|vary|set-cookies|body`.
const HARNESS: &str = r#"
import importlib.util, json, sys, warnings
warnings.simplefilter("ignore")
import itsdangerous.timed
itsdangerous.timed.TimestampSigner.get_timestamp = lambda self: int(sys.argv[2])
spec = importlib.util.spec_from_file_location("lab_app", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
client = module.app.test_client(use_cookies=False)
for line in sys.stdin:
    method, target, form, cookie = json.loads(line)
    headers = {"Cookie": cookie} if cookie else {}
    r = client.open(target, method=method, data=form or None, headers=headers)
    print(json.dumps([r.status_code, r.headers.get("Location"), r.headers.get("Vary"),
                      r.headers.getlist("Set-Cookie"), r.get_data(as_text=True)]))
"#;

type Req = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    String,
);

fn engine_answers(app: &session_lab::engine::flask::app::App, script: &[Req]) -> Vec<String> {
    use session_lab::engine::werkzeug::wrappers::Request;
    script
        .iter()
        .map(|(method, target, form, cookie)| {
            let mut request = Request::new(method, target);
            for (k, v) in *form {
                request = request.with_form(k, v);
            }
            if !cookie.is_empty() {
                request = request.with_header("Cookie", cookie);
            }
            let r = app.handle(&request, crate::support::T0);
            serde_json::json!([
                r.status,
                r.header("Location"),
                r.header("Vary"),
                r.set_cookies(),
                r.body
            ])
            .to_string()
        })
        .collect()
}

fn flask_answers(code: &str, script: &[Req]) -> Vec<String> {
    let dir = crate::common::Scratch::new("tamper");
    let file = dir.join(format!("app_{}.py", code.len()));
    std::fs::write(&file, code).unwrap();
    let input: String = script
        .iter()
        .map(|(m, t, f, c)| {
            let form: serde_json::Map<String, serde_json::Value> = f
                .iter()
                .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
                .collect();
            format!("{}\n", serde_json::json!([m, t, form, c]))
        })
        .collect();
    let t0 = crate::support::T0.to_string();
    let out = crate::common::run_python(&dir, HARNESS, &[file.to_str().unwrap(), &t0], &input);
    out.lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l)
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn both_programs_run_by_flask_answer_as_the_engine_does() {
    use session_lab::engine::apps::plain_cookie;
    use session_lab::engine::apps::Services;
    use session_lab::engine::flask::sessions::InterfaceKind;
    use session_lab::engine::py::secrets::SeededRng;
    use session_lab::lab::scenarios::by_id;

    let scenario = by_id("attack-tamper").unwrap();
    let services = || Services::in_memory(Box::new(SeededRng::new(1)));
    let plain = plain_cookie::app(services()).unwrap();
    let signed = plain_cookie::signed_app(services()).unwrap();
    let ada = "eyJ1c2VyX25hbWUiOiJhZGEifQ";
    let admin = "eyJ1c2VyX25hbWUiOiJhZG1pbiJ9";
    // ada's cookie at T0 from the engine; Flask must set the same.
    let login = engine_answers(
        &signed,
        &[(
            "POST",
            "/login",
            &[("username", "ada"), ("password", "lovelace")],
            String::new(),
        )],
    );
    let signed_ada = login[0]
        .split("session=")
        .nth(1)
        .and_then(|rest| rest.split(';').next())
        .unwrap()
        .to_string();
    assert!(signed_ada.starts_with(&format!("{ada}.")));
    let forged = signed_ada.replacen(ada, admin, 1);
    let script: Vec<Req> = vec![
        ("GET", "/", &[], String::new()),
        ("GET", "/login", &[], String::new()),
        (
            "POST",
            "/login",
            &[("username", "ada"), ("password", "lovelace")],
            String::new(),
        ),
        (
            "POST",
            "/login",
            &[("username", "admin"), ("password", "lovelace")],
            String::new(),
        ),
        ("POST", "/login", &[("username", "eve")], String::new()),
        ("GET", "/admin", &[], "user_name=admin".into()),
        ("GET", "/admin", &[], "user_name=ada".into()),
        ("GET", "/", &[], "user_name=<b>x</b>".into()),
        ("GET", "/", &[], format!("session={signed_ada}")),
        ("GET", "/admin", &[], format!("session={forged}")),
        ("GET", "/", &[], format!("session={forged}")),
        ("GET", "/logout", &[], format!("session={signed_ada}")),
        ("GET", "/logout", &[], "user_name=ada".into()),
    ];
    let plain_code = scenario.flask_code(&scenario.settings());
    let fixed_settings = scenario.live_settings(&signed.config, InterfaceKind::ClientSide);
    let signed_code = scenario.flask_code_when(&fixed_settings, true);
    assert!(plain_code.contains("resp.set_cookie(\"user_name\", name)"));
    assert!(signed_code.contains("session[\"user_name\"] = name"));
    assert!(signed_code.contains(plain_cookie::SECRET_KEY));
    for (code, app) in [(plain_code, &plain), (signed_code, &signed)] {
        assert!(code.lines().count() <= 70, "{code}");
        let flask = flask_answers(&code, &script);
        let engine = engine_answers(app, &script);
        assert_eq!(flask.len(), script.len());
        for (i, (f, e)) in flask.iter().zip(&engine).enumerate() {
            assert_eq!(f, e, "request {i} {:?} (left: Flask)\n{code}", script[i]);
        }
    }
}
