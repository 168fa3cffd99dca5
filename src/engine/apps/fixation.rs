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
use crate::engine::py::value::Value;
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

fn visits(ctx: &mut Ctx) -> i64 {
    match ctx.session.get("visits") {
        Some(Value::Int(i)) => i.to_i64().unwrap_or(0),
        _ => 0,
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
        let n = visits(ctx).saturating_add(1);
        ctx.session.insert("visits", n)?;
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
