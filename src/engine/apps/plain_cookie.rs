//! The security lab's small sign-in site, two ways (the security lab's tamper scenario):
//!
//! - [`app`]: the user's name kept in a plain cookie of its own, `user_name`, set with
//!   `resp.set_cookie("user_name", name)` and read back with `request.cookies.get("user_name")`,
//!   as many tutorials do. Nothing stops the browser from sending another name.
//! - [`signed_app`]: the same site on Flask's signed session (`session["user_name"]`), whose
//!   cookie the server refuses once it has been changed.
//!
//! Both have `/` (who is signed in), `/login` (a form; the POST checks the password),
//! `/logout`, and `/admin`, which only the user `admin` may open. Cookies, redirects and error
//! pages are Werkzeug's, so the wire shows what Flask 3.1.3 sends.

use crate::engine::apps::Services;
use crate::engine::flask::app::{App, Ctx};
use crate::engine::flask::config::ConfigValue;
use crate::engine::flask_session::StartupError;
use crate::engine::py::markupsafe::escape_value;
use crate::engine::py::value::Value;
use crate::engine::werkzeug::cookie::SetCookie;
use crate::engine::werkzeug::wrappers::Response;

/// The plain cookie the unsigned site keeps the name in.
pub const COOKIE: &str = "user_name";

/// The signed site's `SECRET_KEY`: 32 random bytes as hex (made once with
/// `secrets.token_hex(32)`); the lesson is about tampering, not guessing the key.
pub const SECRET_KEY: &str = "9f1c5e0b7a3d42e68c1f0a9b5d7e3c2a4b6d8f0e1a3c5e7092b4d6f8a0c2e4f6";

/// The two accounts: `(name, password)`. Only `admin` may open `/admin`.
pub const USERS: &[(&str, &str)] = &[("ada", "lovelace"), ("admin", "only-the-admin-knows")];

/// The sign-in form (the `FORM` of the Flask program).
pub const FORM: &str = "<h3>Sign in</h3><form action=\"/login\" method=\"post\">\n\
<input name=\"username\" placeholder=\"Username\">\n\
<input type=\"password\" name=\"password\" placeholder=\"Password\">\n\
<button>Sign in</button></form>";

/// What `/admin` shows its one user.
pub const ADMIN_PAGE: &str =
    "<h1>Admin</h1><p>Every account, every order, and the Delete buttons.</p>";

/// `USERS.get(name)`.
fn password_of(name: &str) -> Option<&'static str> {
    USERS.iter().find(|(n, _)| *n == name).map(|(_, p)| *p)
}

/// The name and password match an account: the name, else `None`.
fn checked(ctx: &Ctx) -> Option<String> {
    let name = ctx.request.form_value("username")?;
    let password = password_of(name)?;
    (ctx.request.form_value("password") == Some(password)).then(|| name.to_string())
}

/// The home page for `name` (None, or Python's None from a session: nobody signed in).
fn home_page(name: Option<&Value>) -> Response {
    Response::html(match name.filter(|n| **n != Value::Null) {
        None => "<p>Nobody is signed in. <a href=\"/login\">Sign in</a></p>".to_string(),
        Some(name) => format!(
            "<p>Signed in as {}. <a href=\"/admin\">Admin</a> <a href=\"/logout\">Log out</a></p>",
            escape_value(name)
        ),
    })
}

fn wrong_password() -> Response {
    Response::html(format!("{FORM}<p>Wrong name or password.</p>"))
}

/// The site with the name in a plain, unsigned cookie.
pub fn app(_: Services) -> Result<App, StartupError> {
    let mut app = App::new("plain_cookie");
    app.route("/", &["GET"], |ctx| {
        Ok(home_page(
            ctx.request.cookie(COOKIE).map(Value::Str).as_ref(),
        ))
    });
    app.route("/login", &["GET", "POST"], |ctx| {
        if ctx.request.method != "POST" {
            return Ok(Response::html(FORM));
        }
        let Some(name) = checked(ctx) else {
            return Ok(wrong_password());
        };
        let mut resp = Response::redirect("/");
        // resp.set_cookie("user_name", name): Werkzeug's defaults, Path=/ and nothing else.
        resp.set_cookie(
            SetCookie {
                name: COOKIE.into(),
                value: name,
                path: Some("/".into()),
                ..SetCookie::default()
            },
            ctx.config.max_cookie_size,
        );
        Ok(resp)
    });
    app.route("/logout", &["GET"], |ctx| {
        let mut resp = Response::redirect("/");
        let template = SetCookie {
            path: Some("/".into()),
            ..SetCookie::default()
        };
        resp.set_cookie(
            SetCookie::deletion(COOKIE, &template),
            ctx.config.max_cookie_size,
        );
        Ok(resp)
    });
    app.route("/admin", &["GET"], |ctx| {
        if ctx.request.cookie(COOKIE).as_deref() != Some("admin") {
            return Ok(Response::redirect("/login"));
        }
        Ok(Response::html(ADMIN_PAGE))
    });
    Ok(app)
}

/// The same site on Flask's signed session.
pub fn signed_app(_: Services) -> Result<App, StartupError> {
    let mut app = App::new("plain_cookie");
    app.config
        .set("SECRET_KEY", ConfigValue::Str(SECRET_KEY.into()))
        .expect("a valid key");
    app.route("/", &["GET"], |ctx| {
        let name = ctx.session.get("user_name").cloned();
        Ok(home_page(name.as_ref()))
    });
    app.route("/login", &["GET", "POST"], |ctx| {
        if ctx.request.method != "POST" {
            return Ok(Response::html(FORM));
        }
        let Some(name) = checked(ctx) else {
            return Ok(wrong_password());
        };
        ctx.session.insert("user_name", name)?;
        Ok(Response::redirect("/"))
    });
    app.route("/logout", &["GET"], |ctx| {
        ctx.session.pop("user_name")?;
        Ok(Response::redirect("/"))
    });
    app.route("/admin", &["GET"], |ctx| {
        if ctx.session.get_str("user_name").as_deref() != Some("admin") {
            return Ok(Response::redirect("/login"));
        }
        Ok(Response::html(ADMIN_PAGE))
    });
    Ok(app)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::py::secrets::SeededRng;
    use crate::engine::werkzeug::wrappers::Request;

    const T0: i64 = 1_700_000_000;

    fn services() -> Services {
        Services::in_memory(Box::new(SeededRng::new(1)))
    }

    fn sign_in(app: &App, name: &str, password: &str) -> Response {
        let request = Request::post("/login")
            .with_form("username", name)
            .with_form("password", password);
        app.handle(&request, T0)
    }

    #[test]
    fn the_plain_cookie_is_werkzeugs() {
        let app = app(services()).unwrap();
        // Measured with Flask 3.1.3 (Werkzeug 3.1.9): resp.set_cookie("user_name", "ada") and
        // resp.delete_cookie("user_name") send exactly these lines.
        let r = sign_in(&app, "ada", "lovelace");
        assert_eq!((r.status, r.header("Location")), (302, Some("/")));
        assert_eq!(r.set_cookies(), ["user_name=ada; Path=/"]);
        let r = app.handle(&Request::get("/logout"), T0);
        assert_eq!(
            r.set_cookies(),
            ["user_name=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"]
        );
        // A wrong password, or an unknown name, sets nothing.
        for (name, password) in [("ada", "nope"), ("eve", ""), ("admin", "lovelace")] {
            let r = sign_in(&app, name, password);
            assert_eq!(r.status, 200);
            assert!(r.set_cookies().is_empty());
            assert!(r.body.contains("Wrong name or password."));
        }
    }

    #[test]
    fn whatever_the_browser_sends_is_believed_without_a_signature() {
        let app = app(services()).unwrap();
        let admin = Request::get("/admin").with_header("Cookie", "user_name=admin");
        assert_eq!(app.handle(&admin, T0).body, ADMIN_PAGE);
        let ada = Request::get("/admin").with_header("Cookie", "user_name=ada");
        assert_eq!(app.handle(&ada, T0).header("Location"), Some("/login"));
        let home = Request::get("/").with_header("Cookie", "user_name=<b>x</b>");
        assert!(app
            .handle(&home, T0)
            .body
            .contains("Signed in as &lt;b&gt;x&lt;/b&gt;."));
    }

    #[test]
    fn the_signed_site_ignores_the_plain_cookie() {
        let app = signed_app(services()).unwrap();
        let r = sign_in(&app, "ada", "lovelace");
        let set = r.set_cookies();
        assert_eq!(set.len(), 1);
        assert!(
            set[0].starts_with("session=eyJ1c2VyX25hbWUiOiJhZGEifQ."),
            "{set:?}"
        );
        let admin = Request::get("/admin").with_header("Cookie", "user_name=admin");
        assert_eq!(app.handle(&admin, T0).header("Location"), Some("/login"));
    }
}
