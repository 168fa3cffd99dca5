//! Seed 003: log in with a name (`nm`), see it on `/user`, log out. The session is made
//! permanent at login with `PERMANENT_SESSION_LIFETIME` of 5 minutes, so every request
//! re-signs the cookie and pushes `Expires` forward (sliding expiry), and 5 idle minutes end it.
//! `app.secret_key = "hello"`.
//!
//! The tutorial calls session data "encrypted" and stored "server side"; with Flask's default
//! interface the whole session travels, signed but readable, in the cookie.

use crate::engine::flask::app::App;
use crate::engine::flask::config::ConfigValue;
use crate::engine::py::repr::str_of;
use crate::engine::werkzeug::wrappers::Response;

/// The login page (our own markup; the tutorial's template is not shown in it).
pub fn login_page() -> String {
    "<!doctype html>\n<html lang=en>\n<title>Login</title>\n<h1>Login</h1>\n\
     <form action=\"#\" method=\"post\">\n<p>Name: <input type=\"text\" name=\"nm\"></p>\n\
     <p><input type=\"submit\" value=\"submit\"></p>\n</form>\n"
        .to_string()
}

pub fn app() -> App {
    let mut app = App::new("seed_003");
    app.config
        .set("SECRET_KEY", ConfigValue::Str("hello".into()))
        .expect("a valid key");
    // app.permanent_session_lifetime = timedelta(minutes=5)
    app.config
        .set("PERMANENT_SESSION_LIFETIME", ConfigValue::Int(5 * 60))
        .expect("an int lifetime");

    app.route("/login", &["POST", "GET"], |ctx| {
        if ctx.request.method == "POST" {
            ctx.session.set_permanent(true)?;
            let user = ctx.request.form_required("nm")?.to_string();
            ctx.session.insert("user", user)?;
            return Ok(Response::redirect("/user"));
        }
        if ctx.session.contains("user") {
            return Ok(Response::redirect("/user"));
        }
        Ok(Response::html(login_page()))
    });
    app.route("/user", &["GET"], |ctx| {
        if ctx.session.contains("user") {
            let user = ctx.session.get("user").map(str_of).unwrap_or_default();
            // The tutorial's f-string does not escape the name: Flask sends it as raw HTML.
            Ok(Response::html(format!("<h1>{user}</h1>")))
        } else {
            Ok(Response::redirect("/login"))
        }
    });
    app.route("/logout", &["GET"], |ctx| {
        ctx.session.pop("user")?;
        Ok(Response::redirect("/login"))
    });
    app
}
