//! Seed 001: the smallest session app. `/setsession` stores `Username`, `/getsession` greets,
//! `/popsession` removes it. Client-side sessions, `app.secret_key = "xyz"`.
//!
//! The tutorial says the secret key is used "for encryption"; it is not: it signs. Anyone can
//! read `Username` out of the cookie without the key (see `session-lab-cli decode`).

use crate::engine::flask::app::App;
use crate::engine::flask::config::ConfigValue;
use crate::engine::py::repr::str_of;
use crate::engine::werkzeug::wrappers::Response;

pub fn app() -> App {
    let mut app = App::new("seed_001");
    app.config
        .set("SECRET_KEY", ConfigValue::Str("xyz".into()))
        .expect("a valid key");

    app.route("/setsession", &["GET"], |ctx| {
        ctx.session.insert("Username", "Admin")?;
        Ok(Response::html("The session has been Set"))
    });
    app.route("/getsession", &["GET"], |ctx| {
        if ctx.session.contains("Username") {
            let name = ctx.session.get("Username").map(str_of).unwrap_or_default();
            Ok(Response::html(format!("Welcome {name}")))
        } else {
            Ok(Response::html("Welcome Anonymous"))
        }
    });
    app.route("/popsession", &["GET"], |ctx| {
        ctx.session.pop("Username")?;
        Ok(Response::html("Session Deleted"))
    });
    app
}
