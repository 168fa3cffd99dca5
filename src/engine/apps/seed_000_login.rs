//! Seed 000, second half: the tutorial's Flask-Login example. `/login` shows a form (GET) and
//! checks the password (POST), `/protected` is `@login_required`, `/logout` logs out, and the
//! `unauthorized_handler` answers `'Unauthorized'`. `app.secret_key = 'CODINGNINJAS'`.
//!
//! As printed, the tutorial does not run: it says `flask_login.studentMixin`,
//! `@login_manager.student_loader`, `login_student`, `current_student` and `logout_student`
//! where Flask-Login has `UserMixin`, `user_loader`, `login_user`, `current_user` and
//! `logout_user`, writes `if email is not in students`, and breaks the indentation of the views.
//! This is the example with those fixed and nothing else changed (its Flask twin is
//! `seed_000_login()` in tests/interop/flask_twins.py). What it then does, as real
//! Flask-Login 0.6.3 does it:
//!
//! * The `request_loader` cannot log anyone in. For a known email it sets
//!   `student.is_authenticated = ...`, and `UserMixin.is_authenticated` is a read-only
//!   property: `AttributeError`, a 500. The right-hand side runs first, so a missing
//!   `password` field is a `KeyError` on `request.form`, a 400. It only runs when neither the
//!   session nor a remember cookie gives a user, and only where `current_user` is looked at
//!   (`/protected`, and `/logout`, since `logout_user` loads the user first).
//! * `POST /login` with an unknown email is a 500 (`students[email]`), with a missing field a
//!   400. `HEAD /login` is not `GET` to the view, so it takes the POST branch: a 400.
//! * The session holds `_fresh`, `_id` (a hash of the client's address and User-Agent) and
//!   `_user_id`. Under the default "basic" session protection a request from another
//!   User-Agent keeps the user but sets `_fresh` to False.
//! * The example never asks for "remember me", but a `remember_token` cookie made with the
//!   secret key (`email|HMAC-SHA512`) logs the user in all the same.

use crate::engine::flask::app::App;
use crate::engine::flask::config::ConfigValue;
use crate::engine::flask_login::{
    current_user, login_required, login_user, logout_user, LoginManager, User,
};
use crate::engine::py::repr::str_repr;
use crate::engine::werkzeug::exceptions::Abort;
use crate::engine::werkzeug::wrappers::Response;

/// The one student: `students = {'ninja@codingninjas.com': {'password': 'ninja123'}}`.
pub const STUDENT_EMAIL: &str = "ninja@codingninjas.com";
pub const STUDENT_PASSWORD: &str = "ninja123";

/// The GET `/login` page: the tutorial's triple-quoted string, whitespace and all.
pub const LOGIN_FORM: &str = "
                   <form action='login' method='POST'>
                    <input type='text' name='email' id='email' placeholder='email'/>
                    <input type='password' name='password' id='password' placeholder='password'/>
                    <input type='submit' name='submit'/>
                   </form>
                   ";

/// `students[email]['password']`.
fn password_of(email: &str) -> Option<&'static str> {
    (email == STUDENT_EMAIL).then_some(STUDENT_PASSWORD)
}

/// `@login_manager.user_loader def student_loader(email)`.
fn student_loader(email: &str) -> Option<User> {
    password_of(email).map(|_| User::new(email))
}

pub fn app() -> App {
    let mut app = App::new("seed_000_login");
    app.config
        .set("SECRET_KEY", ConfigValue::Str("CODINGNINJAS".into()))
        .expect("a valid key");

    let mut login_manager = LoginManager::new();
    login_manager.user_loader(student_loader);
    login_manager.request_loader(|request| {
        // email = request.form.get('email'); if email not in students: return
        let Some(email) = request.form_value("email") else {
            return Ok(None);
        };
        if password_of(email).is_none() {
            return Ok(None);
        }
        // student.is_authenticated = request.form['password'] == students[email]['password']
        request.form_required("password")?;
        Err(Abort::InternalServerError(
            "AttributeError: property 'is_authenticated' of 'Student' object has no setter".into(),
        ))
    });
    login_manager.unauthorized_handler(|_| Ok(Response::html("Unauthorized")));
    login_manager.init_app(&mut app);

    app.route("/login", &["GET", "POST"], |ctx| {
        let request = ctx.request;
        if request.method == "GET" {
            return Ok(Response::html(LOGIN_FORM));
        }
        let email = request.form_required("email")?;
        let password = request.form_required("password")?;
        let Some(expected) = password_of(email) else {
            return Err(Abort::InternalServerError(format!(
                "KeyError: {}",
                str_repr(email)
            )));
        };
        if password == expected {
            login_user(ctx, &User::new(email), false, None, false, true)?;
            // flask.redirect(flask.url_for('protected'))
            return Ok(Response::redirect("/protected"));
        }
        Ok(Response::html("Login failed"))
    });
    app.route(
        "/protected",
        &["GET"],
        login_required(|ctx| {
            let user = current_user(ctx)?;
            if user.is_anonymous {
                // Only reachable with LOGIN_DISABLED: the anonymous user has no `id`.
                return Err(Abort::InternalServerError(
                    "AttributeError: 'AnonymousUserMixin' object has no attribute 'id'".into(),
                ));
            }
            Ok(Response::html(format!("Logged in as: {}", user.id)))
        }),
    );
    app.route("/logout", &["GET"], |ctx| {
        logout_user(ctx)?;
        Ok(Response::html("Logged out"))
    });
    app
}
