//! Our own Flask-Login app for the security lab (the Flask-Login attack scenario): one user,
//! `ada` with the password `lovelace`, who can sign in on `/login` with or without "remember
//! me"; a members' page (`@login_required`), a settings page that wants a fresh login
//! (`@fresh_login_required`, sending stale logins to `/reauth`), and logout.
//!
//! Two programs ([`Ids`]): in the first, as in most Flask-Login apps, the user's id is the
//! name, so the remember cookie is `ada|HMAC-SHA512(ada)` on every device and for ever, and
//! `logout_user` deletes it only in the browser that logs out. In the second, `get_id` returns
//! Flask-Login's "alternative token" `ada:<generation>`, the user loader accepts only the
//! current generation, and logging out moves it on: every session and remember cookie issued
//! before stops loading a user.
//!
//! Everything else is the engine's Flask-Login 0.6.3 ([`crate::engine::flask_login`]): the
//! remember cookie, session protection (`SESSION_PROTECTION`, "basic" by default) and
//! freshness. The Python twin is the scenario's code panel
//! (`crate::lab::scenarios::attack_flask_login`).

use crate::engine::apps::Services;
use crate::engine::flask::app::{App, Ctx};
use crate::engine::flask::config::ConfigValue;
use crate::engine::flask_login::{
    confirm_login, current_user, fresh_login_required, login_fresh, login_required, login_user,
    logout_user, LoginManager, User,
};
use crate::engine::flask_session::StartupError;
use crate::engine::werkzeug::exceptions::Abort;
use crate::engine::werkzeug::wrappers::Response;
use std::cell::Cell;
use std::rc::Rc;

pub const SECRET_KEY: &str = "flask-login-demo";
/// The one user and her password (`PASSWORDS = {"ada": "lovelace"}`).
pub const USER: &str = "ada";
pub const PASSWORD: &str = "lovelace";

/// What `get_id` returns, so what the session's `_user_id` and the remember cookie hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ids {
    /// The user's name (`self.id = name`): never changes.
    Name,
    /// `f"{name}:{GENERATION[name]}"`, the generation starting at 1 and moved on by logout.
    Generation,
}

pub const NAV: &str = "<nav><a href=\"/account\">Account</a> <a href=\"/settings\">Settings</a> \
                       <a href=\"/login\">Sign in</a> <a href=\"/logout\">Log out</a></nav>\n";
pub const LOGIN: &str = concat!(
    "<h3>Sign in below.</h3><form action=\"/login\" method=\"post\"><input name=\"username\" ",
    "placeholder=\"Username\"> ",
    "<input type=\"password\" name=\"password\" placeholder=\"Password\"> ",
    "<button type=\"submit\" name=\"remember\" value=\"yes\">Sign in and remember me</button> ",
    "<button type=\"submit\">Sign in</button></form>"
);
pub const REAUTH: &str = concat!(
    "<h3>Confirm your password.</h3><form action=\"/reauth\" method=\"post\">",
    "<input type=\"password\" name=\"password\" placeholder=\"Password\"> ",
    "<button type=\"submit\">Confirm</button></form>"
);

fn password_of(name: &str) -> Option<&'static str> {
    (name == USER).then_some(PASSWORD)
}

/// `current_user.name`: the id up to the generation, if any.
fn name_of(user: &User) -> String {
    user.id.split(':').next().unwrap_or("").to_string()
}

/// The program with ids that never change ([`Ids::Name`]).
pub fn app(services: Services) -> Result<App, StartupError> {
    Ok(build(Ids::Name, services))
}

/// The corrected program ([`Ids::Generation`]).
pub fn fixed_app(services: Services) -> Result<App, StartupError> {
    Ok(build(Ids::Generation, services))
}

pub fn build(ids: Ids, _services: Services) -> App {
    let mut app = App::new("remember");
    app.config
        .set("SECRET_KEY", ConfigValue::Str(SECRET_KEY.into()))
        .expect("a valid key");
    // `GENERATION = {"ada": 1}`: the program's memory, as a dict in a module would be.
    let generation = Rc::new(Cell::new(1u64));
    let id_of = {
        let generation = generation.clone();
        move |name: &str| match ids {
            Ids::Name => name.to_string(),
            Ids::Generation => format!("{name}:{}", generation.get()),
        }
    };

    let mut login_manager = LoginManager::new();
    {
        let generation = generation.clone();
        login_manager.user_loader(move |user_id| match ids {
            // `User(user_id) if user_id in PASSWORDS else None`
            Ids::Name => password_of(user_id).map(|_| User::new(user_id)),
            // `name, _, generation = str(user_id).partition(":")`: a forged non-string id is
            // read as its str(), as the loader it stands for does
            Ids::Generation => {
                let (name, rest) = user_id.split_once(':').unwrap_or((user_id, ""));
                (password_of(name).is_some() && rest == generation.get().to_string())
                    .then(|| User::new(user_id))
            }
        });
    }
    login_manager.login_view = Some("/login".into());
    login_manager.refresh_view = Some("/reauth".into());
    login_manager.init_app(&mut app);

    app.route("/login", &["GET", "POST"], move |ctx: &mut Ctx| {
        let name = ctx.request.form_value("username").unwrap_or("").to_string();
        let right = password_of(&name).is_some()
            && password_of(&name) == ctx.request.form_value("password");
        if ctx.request.method == "POST" && right {
            let remember = ctx.request.form_value("remember") == Some("yes");
            login_user(ctx, &User::new(id_of(&name)), remember, None, false, true)?;
            return Ok(Response::redirect("/account"));
        }
        Ok(Response::html(format!("{NAV}{LOGIN}")))
    });
    app.route(
        "/account",
        &["GET"],
        login_required(|ctx| {
            let user = current_user(ctx)?;
            let fresh = if login_fresh(ctx) {
                "fresh"
            } else {
                "not fresh"
            };
            Ok(Response::html(format!(
                "{NAV}<h3>Account of {}</h3><p>This login is {fresh}.</p>",
                name_of(&user)
            )))
        }),
    );
    app.route(
        "/settings",
        &["GET"],
        fresh_login_required(|_| {
            Ok(Response::html(format!(
                "{NAV}<h3>Settings</h3><p>Only a fresh login gets here.</p>"
            )))
        }),
    );
    app.route(
        "/reauth",
        &["GET", "POST"],
        login_required(|ctx| {
            let user = current_user(ctx)?;
            if ctx.request.method == "POST" {
                // `PASSWORDS[current_user.name]`: the user is logged in, so known.
                let expected = password_of(&name_of(&user)).ok_or_else(|| {
                    Abort::InternalServerError(format!("KeyError: '{}'", name_of(&user)))
                })?;
                if ctx.request.form_value("password") == Some(expected) {
                    confirm_login(ctx)?;
                    return Ok(Response::redirect("/settings"));
                }
            }
            Ok(Response::html(format!("{NAV}{REAUTH}")))
        }),
    );
    app.route("/logout", &["GET"], move |ctx| {
        if ids == Ids::Generation {
            let user = current_user(ctx)?;
            if user.is_authenticated {
                // `GENERATION[current_user.name] += 1`
                generation.set(generation.get().saturating_add(1));
            }
        }
        logout_user(ctx)?;
        Ok(Response::redirect("/login"))
    });
    app
}
