//! Seed 000: Flask-Session keeps the name a visitor types in. `SESSION_TYPE = "filesystem"` and
//! `SESSION_PERMANENT = False`, so the cookie holds only an id and dies with the browser, while
//! the data waits on the server. `/` sends you to `/login` until a name is stored; `/logout`
//! sets the name to `None` rather than removing it.
//!
//! Two things the tutorial gets wrong, which the lab shows rather than repeats:
//! - its welcome template tests `session.name`, a key nothing sets, so the page never greets
//!   the visitor even when the name is stored;
//! - its "complete code" misspells the config keys (`SESSION_P`, `SESSION_T`), so Flask-Session
//!   0.8 reads the default `SESSION_TYPE` "null" and refuses to start: see [`misspelled`].

use crate::engine::apps::Services;
use crate::engine::flask::app::App;
use crate::engine::flask::config::ConfigValue;
use crate::engine::flask_session::{init_app, StartupError};
use crate::engine::py::markupsafe::escape_value;
use crate::engine::py::value::Value;
use crate::engine::werkzeug::wrappers::Response;

/// `login.html`: one text field, `name`, posted to `/login`.
pub fn login_page() -> String {
    "<!doctype html>\n<html lang=en>\n<title>Login</title>\n<h1>Login</h1>\n\
     <form action=\"/login\" method=\"post\">\n<input type=\"text\" name=\"name\" placeholder=\"Name\" autocomplete=\"off\">\n\
     <input type=\"submit\" value=\"Register\">\n</form>\n"
        .to_string()
}

/// `welcome.html`, reading `session.name` as the tutorial's template does.
pub fn welcome_page(name: Option<&Value>) -> String {
    let greeting = match name.filter(|n| n.as_str().is_some_and(|n| !n.is_empty())) {
        Some(n) => format!(
            "Registered as {}. <a href=\"/logout\">logout</a>",
            escape_value(n)
        ),
        None => "Nobody is registered here yet. <a href=\"/login\">login</a>".to_string(),
    };
    format!("<!doctype html>\n<html lang=en>\n<title>Welcome</title>\n<p>{greeting}</p>\n")
}

fn routes(app: &mut App) {
    app.route("/", &["GET"], |ctx| {
        if !ctx.session.get("user_name").is_some_and(Value::is_truthy) {
            return Ok(Response::redirect("/login"));
        }
        // `{% if session.name %}`: Jinja looks up `name`, not `user_name`.
        let name = ctx.session.get("name").cloned();
        Ok(Response::html(welcome_page(name.as_ref())))
    });
    app.route("/login", &["POST", "GET"], |ctx| {
        if ctx.request.method == "POST" {
            let name = ctx
                .request
                .form_value("name")
                .map_or(Value::Null, |n| Value::Str(n.to_string()));
            ctx.session.insert("user_name", name)?;
            return Ok(Response::redirect("/"));
        }
        Ok(Response::html(login_page()))
    });
    app.route("/logout", &["GET"], |ctx| {
        ctx.session.insert("user_name", Value::Null)?;
        Ok(Response::redirect("/"))
    });
}

/// `Session(app)` after setting two config keys, then the tutorial's routes.
fn build(keys: [(&str, ConfigValue); 2], services: Services) -> Result<App, StartupError> {
    let mut app = App::new("seed_000");
    for (key, value) in keys {
        app.config.set(key, value).expect("any key is accepted");
    }
    init_app(&mut app, services.store, services.rng)?;
    routes(&mut app);
    Ok(app)
}

/// The app as the tutorial means it: filesystem sessions that are not permanent.
pub fn app(services: Services) -> Result<App, StartupError> {
    let keys = [
        ("SESSION_PERMANENT", ConfigValue::Bool(false)),
        ("SESSION_TYPE", ConfigValue::Str("filesystem".into())),
    ];
    build(keys, services)
}

/// The tutorial's "complete code": `SESSION_P` and `SESSION_T` are not keys Flask-Session
/// reads, so `Session(app)` sees `SESSION_TYPE` "null" and raises.
pub fn misspelled(services: Services) -> Result<App, StartupError> {
    let keys = [
        ("SESSION_P", ConfigValue::Bool(false)),
        ("SESSION_T", ConfigValue::Str("file".into())),
    ];
    build(keys, services)
}
