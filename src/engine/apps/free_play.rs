//! Free play: our own small app, with every session setting open in the lab's settings panel.
//! `/` says who is signed in and counts visits, `/login` stores `user`, `/count` adds one to
//! `visits`, `/logout` clears the session. The lab's "permanent" switch stands for the line
//! `session.permanent = True` in the login view; it is kept in the config under
//! [`PERMANENT_AT_LOGIN`] (a key of the lab's, not Flask's) so the view can read it.

use crate::engine::flask::app::App;
use crate::engine::flask::config::ConfigValue;
use crate::engine::py::markupsafe::escape_value;
use crate::engine::py::repr::str_of;
use crate::engine::py::value::Value;
use crate::engine::werkzeug::wrappers::Response;

/// The lab's stand-in for `session.permanent = True` in the login view.
pub const PERMANENT_AT_LOGIN: &str = "LAB_PERMANENT_AT_LOGIN";

const LOGIN_FORM: &str = "<form method=\"post\">\n  <input name=\"user\" placeholder=\"Your name\"> <button>Sign in</button>\n</form>";

pub fn app() -> App {
    let mut app = App::new("free_play");
    app.config
        .set("SECRET_KEY", ConfigValue::Str("dev-secret".into()))
        .expect("a valid key");
    app.route("/", &["GET"], |ctx| {
        let visits = ctx.session.get("visits").map_or("0".to_string(), str_of);
        if !ctx.session.contains("user") {
            return Ok(Response::html(format!(
                "Nobody is signed in. Visits: {visits}. <a href=\"/login\">Sign in</a>"
            )));
        }
        let user = ctx
            .session
            .get("user")
            .map(escape_value)
            .unwrap_or_default();
        Ok(Response::html(format!(
            "Signed in as {user}. Visits: {visits}. <a href=\"/count\">Count</a> <a href=\"/logout\">Sign out</a>"
        )))
    });
    app.route("/login", &["GET", "POST"], |ctx| {
        if ctx.request.method == "POST" {
            if ctx.config.get(PERMANENT_AT_LOGIN) == Some(ConfigValue::Bool(true)) {
                ctx.session.set_permanent(true)?;
            }
            let user = ctx.request.form_required("user")?.to_string();
            ctx.session.insert("user", user)?;
            return Ok(Response::redirect("/"));
        }
        Ok(Response::html(LOGIN_FORM))
    });
    app.route("/count", &["GET"], |ctx| {
        let visits = match ctx.session.get("visits") {
            Some(Value::Int(i)) => i.to_i64().unwrap_or(0),
            _ => 0,
        };
        ctx.session.insert("visits", visits.saturating_add(1))?;
        Ok(Response::redirect("/"))
    });
    app.route("/logout", &["GET"], |ctx| {
        ctx.session.clear()?;
        Ok(Response::redirect("/"))
    });
    app
}
