//! Seed 002: Flask-Session with `SESSION_TYPE = "filesystem"` and a 30-minute
//! `PERMANENT_SESSION_LIFETIME`. `/` stores `username`, `/profile` reads it, `/logout` clears
//! the session; `/login` (POST only) stores `user_id` and `/dashboard` wants it.
//!
//! Sessions are permanent by Flask-Session's default (`SESSION_PERMANENT = True`), so the id
//! cookie carries an `Expires`. The tutorial calls the data "encrypted"; it is stored as it is.
//! Following `/dashboard`'s redirect to `/login` with a GET gives a 405, since the tutorial's
//! `/login` only accepts POST. (Its `url_for('login')` and `url_for('dashboard')` name
//! endpoints that do not exist under its function names; the lab uses the paths it means.)

use crate::engine::apps::Services;
use crate::engine::flask::app::App;
use crate::engine::flask::config::ConfigValue;
use crate::engine::flask_session::{init_app, StartupError};
use crate::engine::py::repr::str_of;
use crate::engine::py::value::Value;
use crate::engine::werkzeug::wrappers::Response;

pub fn app(services: Services) -> Result<App, StartupError> {
    let mut app = App::new("seed_002");
    let config = &mut app.config;
    config
        .set(
            "SECRET_KEY",
            ConfigValue::Str("your_secret_key_here".into()),
        )
        .expect("a valid key");
    config
        .set("SESSION_TYPE", ConfigValue::Str("filesystem".into()))
        .expect("any key is accepted");
    config
        .set("PERMANENT_SESSION_LIFETIME", ConfigValue::Int(30 * 60))
        .expect("an int lifetime");
    init_app(&mut app, services.store, services.rng)?;

    app.route("/", &["GET"], |ctx| {
        ctx.session.insert("username", "John")?;
        Ok(Response::html("Pythongeeks Session data stored!"))
    });
    app.route("/profile", &["GET"], |ctx| {
        match ctx.session.get("username").filter(|v| v.is_truthy()) {
            Some(name) => Ok(Response::html(format!("Welcome, {}!", str_of(name)))),
            None => Ok(Response::html("No user data found in session.")),
        }
    });
    app.route("/logout", &["GET"], |ctx| {
        ctx.session.clear()?;
        Ok(Response::html("Logged out successfully!"))
    });
    app.route("/login", &["POST"], |ctx| {
        ctx.session.insert("user_id", 123i64)?;
        Ok(Response::redirect("/dashboard"))
    });
    app.route("/dashboard", &["GET"], |ctx| {
        if matches!(ctx.session.get("user_id"), None | Some(Value::Null)) {
            return Ok(Response::redirect("/login"));
        }
        Ok(Response::html("Welcome to the Dashboard!"))
    });
    Ok(app)
}
