//! The session fixation app (security lab): a site that stores something for every visitor,
//! signed in or not, so that an anonymous visit already gets a real session. `/` counts the
//! visitor's visits in `visits`; `/login` checks a name and password and stores `user`;
//! `/account` is for signed-in users only; `/logout` clears the session. Sessions are
//! Flask-Session's (`SESSION_TYPE = "filesystem"`).
//!
//! Two versions: [`app`] keeps the session id it had before the login (the flaw), and with
//! `regenerate` the login view calls `app.session_interface.regenerate(session)` after storing
//! `user`, so the signed-in session gets a new id and the old one is deleted from the store.

use crate::engine::apps::Services;
use crate::engine::flask::app::{App, Ctx};
use crate::engine::flask::config::ConfigValue;
use crate::engine::flask_session::{init_app, StartupError};
use crate::engine::py::markupsafe::escape_value;
use crate::engine::py::repr::str_of;
use crate::engine::py::value::{PyInt, Value};
use crate::engine::werkzeug::exceptions::Abort;
use crate::engine::werkzeug::wrappers::Response;

/// The one account: its name and password.
pub const USER: &str = "ada";
pub const PASSWORD: &str = "lovelace-1815";

/// The app's `SECRET_KEY`: Flask-Session does not use it; Flask's signed cookie does, when
/// the lab switches the storage.
pub const SECRET_KEY: &str = "4f3c2a9e7b1d8c6e0a5f9b2d7c4e1a8f";

/// The sign-in form, as the Python program's `LOGIN_FORM`.
pub const LOGIN_FORM: &str = "<form method=\"post\">\n  <input name=\"user\" placeholder=\"Name\"> \
     <input name=\"password\" type=\"password\" placeholder=\"Password\">\n  <button>Sign in</button>\n</form>";

fn visits(ctx: &mut Ctx) -> Result<Value, Abort> {
    plus_one(ctx.session.get("visits"))
}

/// `session.get("visits", 0) + 1` with whatever a (forged) session holds, as Python adds: an
/// int of any size, `True + 1 == 2`, `1.5 + 1 == 2.5`, and a TypeError (a 500) for the rest.
fn plus_one(value: Option<&Value>) -> Result<Value, Abort> {
    Ok(match value {
        None => Value::Int(1i64.into()),
        Some(Value::Int(i)) => Value::Int(match i.as_str().parse::<i128>() {
            Ok(n) if n < i128::MAX => (n + 1).into(),
            _ => PyInt::parse(&decimal_plus_one(i.as_str())).expect("canonical digits"),
        }),
        Some(Value::Bool(b)) => Value::Int(i64::from(*b).saturating_add(1).into()),
        Some(Value::Float(f)) => Value::Float(f + 1.0),
        Some(other) => {
            let message = match other {
                Value::Str(_) | Value::Markup(_) => {
                    "can only concatenate str (not \"int\") to str".to_string()
                }
                Value::List(_) => "can only concatenate list (not \"int\") to list".to_string(),
                Value::Tuple(_) => "can only concatenate tuple (not \"int\") to tuple".to_string(),
                Value::Bytes(_) => "can't concat int to bytes".to_string(),
                other => format!(
                    "unsupported operand type(s) for +: '{}' and 'int'",
                    other.type_name()
                ),
            };
            return Err(Abort::InternalServerError(format!("TypeError: {message}")));
        }
    })
}

/// Canonical decimal text (optional `-`) plus one, for ints past i128.
fn decimal_plus_one(text: &str) -> String {
    fn add_one(digits: &str) -> String {
        let mut out: Vec<u8> = digits.bytes().collect();
        for d in out.iter_mut().rev() {
            if *d == b'9' {
                *d = b'0';
            } else {
                *d += 1;
                return String::from_utf8(out).expect("digits");
            }
        }
        format!("1{}", String::from_utf8(out).expect("digits"))
    }
    fn sub_one(digits: &str) -> String {
        let mut out: Vec<u8> = digits.bytes().collect();
        for d in out.iter_mut().rev() {
            if *d == b'0' {
                *d = b'9';
            } else {
                *d -= 1;
                break;
            }
        }
        let s = String::from_utf8(out).expect("digits");
        s.trim_start_matches('0').to_string()
    }
    match text.strip_prefix('-') {
        // -x + 1 = -(x - 1); x is past i128 here, so x - 1 is not zero.
        Some(digits) => format!("-{}", sub_one(digits)),
        None => add_one(text),
    }
}

/// The app; with `regenerate`, the corrected login.
pub fn app(services: Services, regenerate: bool) -> Result<App, StartupError> {
    let mut app = App::new("fixation");
    app.config
        .set("SECRET_KEY", ConfigValue::Str(SECRET_KEY.into()))
        .expect("a valid key");
    app.config
        .set("SESSION_TYPE", ConfigValue::Str("filesystem".into()))
        .expect("any key is accepted");
    init_app(&mut app, services.store, services.rng)?;

    app.route("/", &["GET"], |ctx| {
        // Stored for every visitor: an anonymous visit is a real, stored session.
        let visits = visits(ctx)?;
        let n = str_of(&visits);
        ctx.session.insert("visits", visits)?;
        let Some(user) = ctx.session.get("user").map(escape_value) else {
            return Ok(Response::html(format!(
                "Welcome! Visit {n}. <a href=\"/login\">Sign in</a>"
            )));
        };
        Ok(Response::html(format!(
            "Signed in as {user}. Visit {n}. <a href=\"/account\">Account</a> \
             <a href=\"/logout\">Sign out</a>"
        )))
    });
    app.route("/login", &["GET", "POST"], move |ctx| {
        if ctx.request.method != "POST" {
            return Ok(Response::html(LOGIN_FORM));
        }
        let name = ctx.request.form_value("user").unwrap_or("").to_string();
        let password = ctx.request.form_value("password").unwrap_or("");
        if !(name == USER && password == PASSWORD) {
            return Ok(Response::html(format!(
                "Wrong name or password. {LOGIN_FORM}"
            )));
        }
        ctx.session.insert("user", name)?;
        if regenerate {
            ctx.regenerate_session();
        }
        Ok(Response::redirect("/account"))
    });
    app.route("/account", &["GET"], |ctx| {
        let Some(user) = ctx.session.get("user").map(escape_value) else {
            return Ok(Response::redirect("/login"));
        };
        Ok(Response::html(format!("Account of {user}: private data.")))
    });
    app.route("/logout", &["GET"], |ctx| {
        ctx.session.clear()?;
        Ok(Response::redirect("/"))
    });
    Ok(app)
}

#[cfg(test)]
mod tests {

    /// Python's `session.get("visits", 0) + 1` for what a forged session could hold:
    /// `True + 1`, `1.5 + 1`, ints past 64 and 128 bits, and the types Python refuses.
    #[test]
    fn visits_add_one_as_python_does() {
        use crate::engine::py::value::PyInt;
        let int = |t: &str| Value::Int(PyInt::parse(t).unwrap());
        let add = |v: Option<Value>| plus_one(v.as_ref()).map(|v| str_of(&v));
        assert_eq!(add(None).unwrap(), "1");
        assert_eq!(add(Some(Value::Bool(true))).unwrap(), "2");
        assert_eq!(add(Some(Value::Float(1.5))).unwrap(), "2.5");
        assert_eq!(add(Some(int("-1"))).unwrap(), "0");
        // 2**130 + 1 and -(2**130) + 1, past i128 (Python: 1361129467683753853853498429727072845825).
        assert_eq!(
            add(Some(int("1361129467683753853853498429727072845824"))).unwrap(),
            "1361129467683753853853498429727072845825"
        );
        assert_eq!(
            add(Some(int("-1361129467683753853853498429727072845824"))).unwrap(),
            "-1361129467683753853853498429727072845823"
        );
        assert_eq!(
            add(Some(int("999999999999999999999999999999999999999999"))).unwrap(),
            "1000000000000000000000000000000000000000000"
        );
        for refused in [
            Value::Str("x".into()),
            Value::Null,
            Value::List(Vec::new()),
            Value::Dict(Default::default()),
        ] {
            assert!(add(Some(refused.clone())).is_err(), "{refused:?}");
        }
    }

    use super::*;
    use crate::engine::py::secrets::SeededRng;
    use crate::engine::werkzeug::wrappers::Request;

    fn sid(response: &Response) -> String {
        let line = response.set_cookies()[0];
        line.split(';').next().unwrap()["session=".len()..].to_string()
    }

    #[test]
    fn the_login_keeps_or_renews_the_id() {
        for regenerate in [false, true] {
            let app = app(Services::in_memory(Box::new(SeededRng::new(3))), regenerate).unwrap();
            let first = app.handle(&Request::get("/"), 0);
            let before = sid(&first);
            assert_eq!(before.len(), 43, "token_urlsafe(32)");
            let login = Request::post("/login")
                .with_form("user", USER)
                .with_form("password", PASSWORD)
                .with_header("Cookie", &format!("session={before}"));
            let signed_in = app.handle(&login, 1);
            assert_eq!(signed_in.header("Location"), Some("/account"));
            assert_eq!(sid(&signed_in) == before, !regenerate);
            // The id from before the login opens the account only without regenerate.
            let old = Request::get("/account").with_header("Cookie", &format!("session={before}"));
            assert_eq!(
                app.handle(&old, 2).status,
                if regenerate { 302 } else { 200 }
            );
        }
    }

    #[test]
    fn a_wrong_password_signs_nobody_in() {
        let app = app(Services::in_memory(Box::new(SeededRng::new(3))), false).unwrap();
        for form in [
            vec![("user", USER), ("password", "nope")],
            vec![("user", "eve"), ("password", PASSWORD)],
            vec![],
        ] {
            let mut request = Request::post("/login");
            for (k, v) in form {
                request = request.with_form(k, v);
            }
            let r = app.handle(&request, 0);
            assert_eq!(r.status, 200);
            assert!(r.body.starts_with("Wrong name or password."));
            assert!(r.set_cookies().is_empty(), "nothing stored");
        }
    }
}
