//! Seed 004: a small site with a navbar. `/about` and `/contact` need a signed-in user and send
//! others to `/login?next=<the page>`; signing in stores `user_name`, `lang` and `theme`; `/logout`
//! clears the session. Secret key `supersecretkey`. Four variants, as in the tutorial:
//!
//! | variant | sessions | permanent | lifetime |
//! |---|---|---|---|
//! | [`Variant::ClientTemp`] | signed cookie (Flask) | no | browser session |
//! | [`Variant::ServerTemp`] | Flask-Session filesystem | `SESSION_PERMANENT = False` | browser session (store keeps 31 days) |
//! | [`Variant::ClientPersist`] | signed cookie | `session.permanent = True` at login | 5 minutes idle |
//! | [`Variant::ServerPersist`] | Flask-Session filesystem | Flask-Session's default | 5 minutes idle |
//!
//! Faithful quirks: the login form's hidden `next` field is rendered from `{{next}}`, which
//! Jinja prints as the text `None` when there is no `next`, hence the tutorial's `!= 'None'`
//! test; and `next` is never checked, so it redirects anywhere (an open redirect).
//!
//! The security lab runs the same program changed by [`Options`] ([`app_with`]): the greeting
//! printed with `|safe`, or `next` checked ([`is_local`]).

use crate::engine::apps::Services;
use crate::engine::flask::app::{App, Ctx};
use crate::engine::flask::config::ConfigValue;
use crate::engine::flask_session::{init_app, StartupError};
use crate::engine::py::markupsafe::{escape_html, escape_value};
use crate::engine::py::repr::str_of;
use crate::engine::py::value::Value;
use crate::engine::werkzeug::wrappers::Response;

/// Which of the tutorial's four programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    ClientTemp,
    ServerTemp,
    ClientPersist,
    ServerPersist,
}

impl Variant {
    /// The program's name, as `Flask(__name__)` would have it.
    pub fn name(self) -> &'static str {
        match self {
            Variant::ClientTemp => "seed_004_client_temp",
            Variant::ServerTemp => "seed_004_server_temp",
            Variant::ClientPersist => "seed_004_client_persist",
            Variant::ServerPersist => "seed_004_server_persist",
        }
    }

    fn server_side(self) -> bool {
        matches!(self, Variant::ServerTemp | Variant::ServerPersist)
    }
}

/// Changes the security lab makes to the tutorial's program ([`app_with`]); the default is
/// the tutorial's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// The greeting prints the name with `|safe` (`{{ session["user_name"]|safe }}`): Jinja
    /// does not escape it, so markup in the name reaches the page as markup.
    pub raw_greeting: bool,
    /// The login view follows `next` only when it is a path on this site ([`is_local`]),
    /// else it goes to `/home`; the members-only pages pass their path
    /// (`url_for("login", next=request.path)`, which gives `/login?next=/about`) instead of
    /// the absolute URL.
    pub local_next: bool,
}

/// Whether `target` is a path on this site: what the corrected login view checks before
/// redirecting to `next`. Browsers drop tabs and newlines from a URL and read `\` as `/`, so
/// `/\evil.example` and `/\t/evil.example` are `//evil.example`, another host; absolute URLs
/// and `None` do not start with `/`.
///
/// ```python
/// def is_local(target):
///     cleaned = target.replace("\\", "/").replace("\t", "").replace("\n", "").replace("\r", "")
///     return cleaned.startswith("/") and not cleaned.startswith("//")
/// ```
pub fn is_local(target: &str) -> bool {
    let cleaned: String = target
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| if c == '\\' { '/' } else { c })
        .collect();
    cleaned.starts_with('/') && !cleaned.starts_with("//")
}

/// The page every template extends (`index.html`): the navbar, and a greeting when
/// `session["user_name"]` is truthy (escaped, unless `options` says `|safe`). Reading it
/// marks the session accessed, as the template does in Flask.
fn page_as(ctx: &mut Ctx, title: &str, main: &str, options: Options) -> Response {
    let greeting = match ctx.session.get("user_name").filter(|v| v.is_truthy()) {
        Some(name) if options.raw_greeting => format!("<p>Welcome {}!</p>\n", str_of(name)),
        Some(name) => format!("<p>Welcome {}!</p>\n", escape_value(name)),
        None => String::new(),
    };
    Response::html(format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<title>{title}</title>\n<nav class=\"navbar\">\n\
         <h2>MyApp</h2>\n<a href=\"/home\">Home</a>\n<a href=\"/about\">About</a>\n\
         <a href=\"/contact\">Contact</a>\n<a href=\"/products\">Products</a>\n\
         <a href=\"/login\"><button>Sign In</button></a>\n<a href=\"/logout\"><button>Log Out</button></a>\n\
         {greeting}</nav>\n<hr>\n<main>\n{main}\n</main>\n"
    ))
}

/// `redirect(url_for('login') + f"?next={request.url}")`: the absolute URL, unencoded. With
/// [`Options::local_next`], `redirect(url_for("login", next=request.path))`: the members-only
/// pages' paths need no encoding there (`url_for` leaves `/` as it is).
fn to_login(ctx: &Ctx, options: Options) -> Response {
    if options.local_next {
        return Response::redirect(&format!("/login?next={}", ctx.request.path));
    }
    Response::redirect(&format!("/login?next={}", ctx.request.url()))
}

pub fn app(variant: Variant, services: Services) -> Result<App, StartupError> {
    app_with(variant, Options::default(), services)
}

/// The program of `variant` changed by `options` (the security lab's versions).
pub fn app_with(
    variant: Variant,
    options: Options,
    services: Services,
) -> Result<App, StartupError> {
    let mut app = App::new(variant.name());
    let config = &mut app.config;
    config
        .set("SECRET_KEY", ConfigValue::Str("supersecretkey".into()))
        .expect("a valid key");
    if matches!(variant, Variant::ClientPersist | Variant::ServerPersist) {
        config
            .set("PERMANENT_SESSION_LIFETIME", ConfigValue::Int(5 * 60))
            .expect("an int lifetime");
    }
    if variant.server_side() {
        config
            .set("SESSION_TYPE", ConfigValue::Str("filesystem".into()))
            .expect("any key is accepted");
        if variant == Variant::ServerTemp {
            config
                .set("SESSION_PERMANENT", ConfigValue::Bool(false))
                .expect("any key is accepted");
        }
        init_app(&mut app, services.store, services.rng)?;
    }

    let page = move |ctx: &mut Ctx, title: &str, main: &str| page_as(ctx, title, main, options);
    let home = move |ctx: &mut Ctx| {
        // `print("Session data is: ", session)` reads the whole session.
        ctx.session.len();
        Ok(page(ctx, "Home", "<h3>This is the home page.</h3>"))
    };
    app.route("/", &["GET"], home);
    app.route("/home", &["GET"], home);
    app.route("/about", &["GET"], move |ctx| {
        if !ctx.session.contains("user_name") {
            return Ok(to_login(ctx, options));
        }
        Ok(page(ctx, "About", "<h3>This is the About page.</h3>"))
    });
    app.route("/contact", &["GET"], move |ctx| {
        if !ctx.session.contains("user_name") {
            return Ok(to_login(ctx, options));
        }
        Ok(page(ctx, "Contact", "<h3>This is the Contact page.</h3>"))
    });
    app.route("/products", &["GET"], move |ctx| {
        Ok(page(
            ctx,
            "Products",
            "<h3>What we sell:</h3>\n<ul><li>Sofas</li><li>Chairs</li><li>Tables</li><li>Swings</li></ul>",
        ))
    });
    app.route("/login", &["GET", "POST"], move |ctx| {
        if ctx.request.method == "POST" {
            if variant == Variant::ClientPersist {
                ctx.session.set_permanent(true)?;
            }
            let name = ctx
                .request
                .form_value("username")
                .map_or(Value::Null, |n| Value::Str(n.to_string()));
            ctx.session.insert("user_name", name)?;
            ctx.session.insert("lang", "en")?;
            ctx.session.insert("theme", "dark")?;
            if options.local_next {
                // `next_url = request.form.get("next", "")`, then
                // `redirect(next_url if is_local(next_url) else url_for("home"))`.
                let next = ctx.request.form_value("next").unwrap_or("");
                let to = if is_local(next) { next } else { "/home" };
                return Ok(Response::redirect(to));
            }
            return match ctx.request.form_value("next") {
                Some("None") => Ok(Response::redirect("/home")),
                Some(next) => Ok(Response::redirect(next)),
                // `redirect(None)`: Werkzeug formats the location with str(), so the browser is
                // sent to the relative URL `None` (a 404).
                None => Ok(Response::redirect("None")),
            };
        }
        // `{{next}}` renders Python's None as the text "None".
        let next = ctx.request.arg("next").unwrap_or_else(|| "None".into());
        let main = format!(
            "<h3>Sign in below.</h3>\n<form action=\"/login\" method=\"post\">\n\
             <input type=\"text\" value=\"{}\" name=\"next\" hidden>\n\
             <div><label for=\"username\">Username</label> <input type=\"text\" id=\"username\" name=\"username\"></div>\n\
             <div><label for=\"password\">Password</label> <input type=\"password\" id=\"password\"></div>\n\
             <div><button type=\"submit\">Submit</button></div>\n</form>",
            escape_html(&next)
        );
        Ok(page(ctx, "Sign in", &main))
    });
    app.route("/logout", &["GET"], |ctx| {
        ctx.session.clear()?;
        Ok(Response::html("Signed Out!!!"))
    });
    Ok(app)
}
