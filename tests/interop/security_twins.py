#!/usr/bin/env python3
"""Real-Flask twins of the security lab's apps (the `attack-*` scenarios), for replay_diff.py.

Importing this module registers every twin below in flask_twins (APPS, SECRETS, SERVER_SIDE,
TEMPLATE_ROUTES), so the driver and `TwinReplay` treat them as they treat the tutorial apps.
Run as a script, it is flask_twins.py's `replay` with these twins added (the driver's
--self-test runs it that way):

    target/flask-venv/bin/python tests/interop/security_twins.py replay --app attack-tamper+fixed

A twin is named after its scenario, with `+SOMETHING` for the app as the lab changes it, and
cli_args() says how `session-lab-cli replay` selects the same app:
  * `+fixed`        the scenario's corrected app, `Fix.app` (`replay --fixed`);
  * a config change the lab makes with a setting (SECRET_KEY, SECRET_KEY_FALLBACKS,
    SESSION_COOKIE_HTTPONLY, SESSION_PROTECTION, the lab's LAB_FLASK_3_1_0): set on the app
    after it is built, as the settings panel does (`replay --config KEY=JSON`);
  * `+server-side`  Flask-Session put in after that (`SESSION_TYPE = "filesystem"`, the rest of
    Flask-Session 0.8's defaults, so SESSION_PERMANENT stays True), as the lab's server-side
    switch does (`replay --server-side`).

Each twin is the Python program the scenario's code panel shows (src/lab/scenarios/attack_*.rs),
run by Flask 3.1.3, Werkzeug 3.1.9, Flask-Session 0.8.0 and Flask-Login 0.6.3. Where a program
renders a page template, the twin renders, in its place, a template that prints exactly the
page text of our Rust app, without Flask's template signal: so those bodies ARE compared, and
what Jinja escapes (or does not, with `|safe`) is checked byte for byte.

What stands in for what (and why it is still the real thing):
  * LAB_FLASK_3_1_0 (CVE-2025-47278): Flask 3.1.0's get_signing_serializer, copied into a
    SecureCookieSessionInterface subclass. 3.1.0 built the key list as
    `[SECRET_KEY] + SECRET_KEY_FALLBACKS`; itsdangerous signs with the LAST key of the list, so
    new cookies were signed with the last fallback. 3.1.1 changed only that list (fallbacks
    first, SECRET_KEY last); everything else the twin runs is 3.1.3.
  * A cookie the browser drops (a session over 4096 bytes, see the attack-too-big visits): the
    twins' jar keeps whatever it is sent, so the visits send the cookie the browser kept
    explicitly after such a response. Werkzeug's UserWarning ("The 'session' cookie is too
    large...") goes to the log; the response carries the Set-Cookie all the same.
"""

from __future__ import annotations

import datetime as _dt
import json
import sys
import warnings
from typing import Any, Callable

import flask
import flask.sessions
import flask_login
from flask import Flask, redirect, request, session, url_for
from flask_session import Session
from itsdangerous import URLSafeTimedSerializer
from markupsafe import Markup, escape

import flask_twins
from flask_twins import APPS, SECRETS, SERVER_SIDE, TEMPLATE_ROUTES, _new_app

# Werkzeug's "The 'session' cookie is too large" UserWarning is the server log's business (the
# attack-too-big visits show the Set-Cookie it is sent with); on a replay's stderr it is noise.
warnings.filterwarnings("ignore", message=r"The '.*' cookie is too large", category=UserWarning)


# --------------------------------------------------------------------------------------------
# Flask 3.1.0's signing, for the lab's LAB_FLASK_3_1_0 switch
# --------------------------------------------------------------------------------------------


class Flask310SessionInterface(flask.sessions.SecureCookieSessionInterface):
    """Flask 3.1.0's SecureCookieSessionInterface.get_signing_serializer, verbatim apart from
    the names: the one line that 3.1.1 changed is the order of `keys`."""

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None

        keys: list[str | bytes] = [app.secret_key]

        if fallbacks := app.config["SECRET_KEY_FALLBACKS"]:
            keys.extend(fallbacks)

        return URLSafeTimedSerializer(
            keys,  # type: ignore[arg-type]
            salt=self.salt,
            serializer=self.serializer,
            signer_kwargs={
                "key_derivation": self.key_derivation,
                "digest_method": self.digest_method,
            },
        )


# --------------------------------------------------------------------------------------------
# attack-tamper: src/engine/apps/plain_cookie.rs
# --------------------------------------------------------------------------------------------

TAMPER_SECRET_KEY = "9f1c5e0b7a3d42e68c1f0a9b5d7e3c2a4b6d8f0e1a3c5e7092b4d6f8a0c2e4f6"
TAMPER_USERS = {"ada": "lovelace", "admin": "only-the-admin-knows"}
TAMPER_FORM = """<h3>Sign in</h3><form action="/login" method="post">
<input name="username" placeholder="Username">
<input type="password" name="password" placeholder="Password">
<button>Sign in</button></form>"""
TAMPER_ADMIN_PAGE = "<h1>Admin</h1><p>Every account, every order, and the Delete buttons.</p>"


def _tamper_home_page(name):
    if name is None:
        return '<p>Nobody is signed in. <a href="/login">Sign in</a></p>'
    return (f'<p>Signed in as {escape(name)}. <a href="/admin">Admin</a> '
            '<a href="/logout">Log out</a></p>')


def _tamper_checked_name():
    name = request.form.get("username")
    if name not in TAMPER_USERS or request.form.get("password") != TAMPER_USERS[name]:
        return None
    return name


def tamper_plain(_store_dir: str) -> Flask:
    """PLAIN_PROGRAM: the name in a plain cookie of its own."""
    app = _new_app("plain_cookie")

    @app.route("/")
    def home():
        return _tamper_home_page(request.cookies.get("user_name"))

    @app.route("/login", methods=["GET", "POST"])
    def login():
        if request.method == "POST":
            name = _tamper_checked_name()
            if name is None:
                return TAMPER_FORM + "<p>Wrong name or password.</p>"
            resp = redirect(url_for("home"))
            resp.set_cookie("user_name", name)  # plain text, not signed
            return resp
        return TAMPER_FORM

    @app.route("/logout")
    def logout():
        resp = redirect(url_for("home"))
        resp.delete_cookie("user_name")
        return resp

    @app.route("/admin")
    def admin():
        if request.cookies.get("user_name") != "admin":  # believes the browser
            return redirect(url_for("login"))
        return TAMPER_ADMIN_PAGE

    return app


def tamper_signed(_store_dir: str) -> Flask:
    """SIGNED_PROGRAM (the fix): the same views on Flask's signed session."""
    app = _new_app("plain_cookie")
    app.secret_key = TAMPER_SECRET_KEY

    @app.route("/")
    def home():
        return _tamper_home_page(session.get("user_name"))

    @app.route("/login", methods=["GET", "POST"])
    def login():
        if request.method == "POST":
            name = _tamper_checked_name()
            if name is None:
                return TAMPER_FORM + "<p>Wrong name or password.</p>"
            session["user_name"] = name  # signed with SECRET_KEY
            return redirect(url_for("home"))
        return TAMPER_FORM

    @app.route("/logout")
    def logout():
        session.pop("user_name", None)
        return redirect(url_for("home"))

    @app.route("/admin")
    def admin():
        if session.get("user_name") != "admin":  # None unless the signature matched
            return redirect(url_for("login"))
        return TAMPER_ADMIN_PAGE

    return app


# --------------------------------------------------------------------------------------------
# attack-fixation: src/engine/apps/fixation.rs
# --------------------------------------------------------------------------------------------

FIXATION_SECRET_KEY = "4f3c2a9e7b1d8c6e0a5f9b2d7c4e1a8f"
FIXATION_USERS = {"ada": "lovelace-1815"}
FIXATION_LOGIN_FORM = """<form method="post">
  <input name="user" placeholder="Name"> <input name="password" type="password" placeholder="Password">
  <button>Sign in</button>
</form>"""


def _fixation(store_dir: str, regenerate: bool) -> Flask:
    app = _new_app("fixation")
    app.secret_key = FIXATION_SECRET_KEY
    app.config["SESSION_TYPE"] = "filesystem"
    app.config["SESSION_FILE_DIR"] = store_dir
    Session(app)

    @app.route("/")
    def index():
        # Stored for every visitor: an anonymous visit already gets a real session id.
        session["visits"] = session.get("visits", 0) + 1
        if "user" not in session:
            return f'Welcome! Visit {session["visits"]}. <a href="/login">Sign in</a>'
        return (f'Signed in as {escape(session["user"])}. Visit {session["visits"]}. '
                '<a href="/account">Account</a> <a href="/logout">Sign out</a>')

    @app.route("/login", methods=["GET", "POST"])
    def login():
        if request.method == "POST":
            name = request.form.get("user", "")
            if FIXATION_USERS.get(name) != request.form.get("password", ""):
                return "Wrong name or password. " + FIXATION_LOGIN_FORM
            session["user"] = name
            if regenerate:
                # A new id for the signed-in session; the old one is deleted from the store.
                app.session_interface.regenerate(session)
            return redirect(url_for("account"))
        return FIXATION_LOGIN_FORM

    @app.route("/account")
    def account():
        if "user" not in session:
            return redirect(url_for("login"))
        return f"Account of {escape(session['user'])}: private data."

    @app.route("/logout")
    def logout():
        session.clear()
        return redirect(url_for("index"))

    return app


# --------------------------------------------------------------------------------------------
# attack-too-big: src/engine/apps/notes.rs
# --------------------------------------------------------------------------------------------

NOTES_SECRET_KEY = "0b7e5d2c9a4f8e1d6c3b7a2f5e9d4c8b"
NOTES_FORM = """<form method="post">
  <input name="note" placeholder="A note"> <button>Add note</button>
</form>
<a href="/clear">Clear all</a>"""


def notes_app(_store_dir: str) -> Flask:
    app = _new_app("notes")
    app.secret_key = NOTES_SECRET_KEY

    @app.route("/", methods=["GET", "POST"])
    def notes():
        if request.method == "POST":
            # A new list, so Flask sees the change (an in-place append would not).
            session["notes"] = session.get("notes", []) + [request.form.get("note", "")]
            return redirect(url_for("notes"))
        items = "".join(f"<li>{escape(n[:40])}… ({len(n)} characters)</li>"
                        for n in session.get("notes", []))
        return f"<h3>{len(session.get('notes', []))} notes</h3><ol>{items}</ol>" + NOTES_FORM

    @app.route("/clear")
    def clear():
        session.clear()
        return redirect(url_for("notes"))

    return app


# --------------------------------------------------------------------------------------------
# attack-flask-login: src/engine/apps/remember.rs
# --------------------------------------------------------------------------------------------

REMEMBER_SECRET_KEY = "flask-login-demo"
REMEMBER_PASSWORDS = {"ada": "lovelace"}
REMEMBER_NAV = ('<nav><a href="/account">Account</a> <a href="/settings">Settings</a> '
                '<a href="/login">Sign in</a> <a href="/logout">Log out</a></nav>\n')
REMEMBER_PASSWORD = '<input type="password" name="password" placeholder="Password"> '
REMEMBER_LOGIN = ('<h3>Sign in below.</h3><form action="/login" method="post"><input name="username" '
                  'placeholder="Username"> ' + REMEMBER_PASSWORD + '<button type="submit" name="remember" '
                  'value="yes">Sign in and remember me</button> <button type="submit">Sign in</button></form>')
REMEMBER_REAUTH = ('<h3>Confirm your password.</h3><form action="/reauth" method="post">'
                   + REMEMBER_PASSWORD + '<button type="submit">Confirm</button></form>')


def _remember(_store_dir: str, generations: bool) -> Flask:
    """PROGRAM (ids that never change) or, with `generations`, FIXED (`name:generation`)."""
    app = _new_app("remember")
    app.secret_key = REMEMBER_SECRET_KEY
    login_manager = flask_login.LoginManager(app)  # SESSION_PROTECTION: "basic" unless configured
    login_manager.login_view = "login"
    login_manager.refresh_view = "reauth"
    GENERATION = {"ada": 1}  # the fixed program's; the first one never reads it

    if not generations:
        class User(flask_login.UserMixin):
            def __init__(self, name):
                self.id = self.name = name  # get_id() returns the name, for ever

        @login_manager.user_loader
        def load_user(user_id):
            return User(user_id) if user_id in REMEMBER_PASSWORDS else None
    else:
        class User(flask_login.UserMixin):  # type: ignore[no-redef]
            def __init__(self, name):
                self.name = name

            def get_id(self):
                return f"{self.name}:{GENERATION[self.name]}"

        @login_manager.user_loader
        def load_user(user_id):
            name, _, generation = str(user_id).partition(":")
            if name in GENERATION and generation == str(GENERATION[name]):
                return User(name)
            return None

    current_user = flask_login.current_user

    @app.route("/login", methods=["GET", "POST"])
    def login():
        name, password = request.form.get("username"), request.form.get("password")
        if request.method == "POST" and password and REMEMBER_PASSWORDS.get(name) == password:
            flask_login.login_user(User(name), remember=request.form.get("remember") == "yes")
            return redirect(url_for("account"))
        return REMEMBER_NAV + REMEMBER_LOGIN

    @app.route("/account")
    @flask_login.login_required
    def account():
        fresh = "fresh" if flask_login.login_fresh() else "not fresh"
        return REMEMBER_NAV + f"<h3>Account of {current_user.name}</h3><p>This login is {fresh}.</p>"

    @app.route("/settings")
    @flask_login.fresh_login_required
    def settings():
        return REMEMBER_NAV + "<h3>Settings</h3><p>Only a fresh login gets here.</p>"

    @app.route("/reauth", methods=["GET", "POST"])
    @flask_login.login_required
    def reauth():
        if (request.method == "POST"
                and request.form.get("password") == REMEMBER_PASSWORDS[current_user.name]):
            flask_login.confirm_login()
            return redirect(url_for("settings"))
        return REMEMBER_NAV + REMEMBER_REAUTH

    @app.route("/logout")
    def logout():
        if generations and current_user.is_authenticated:
            GENERATION[current_user.name] += 1  # ends every session and remember cookie
        flask_login.logout_user()
        return redirect(url_for("login"))

    return app


# --------------------------------------------------------------------------------------------
# The seed-004 programs of the security lab: src/engine/apps/seed_004.rs (`app_with`), the
# views of src/lab/scenarios/seed_004.rs PROGRAM, attack_open_redirect.rs FIXED and
# attack_html_injection.rs RAW.
# --------------------------------------------------------------------------------------------

# The page our Rust app prints (seed_004::page_as), as the Jinja template the program's PAGE
# stands for. `{{ session["user_name"] }}` is escaped by Jinja's autoescape; RAW adds |safe.
_SEED_004_PAGE = (
    "<!DOCTYPE html>\n<html lang=\"en\">\n<title>{{ title }}</title>\n<nav class=\"navbar\">\n"
    "<h2>MyApp</h2>\n<a href=\"/home\">Home</a>\n<a href=\"/about\">About</a>\n"
    "<a href=\"/contact\">Contact</a>\n<a href=\"/products\">Products</a>\n"
    "<a href=\"/login\"><button>Sign In</button></a>\n<a href=\"/logout\"><button>Log Out</button></a>\n"
    "{% if session[\"user_name\"] %}<p>Welcome {{ session[\"user_name\"]GREETING_FILTER }}!</p>\n{% endif %}"
    "</nav>\n<hr>\n<main>\n{% if sign_in %}<h3>Sign in below.</h3>\n"
    "<form action=\"/login\" method=\"post\">\n"
    "<input type=\"text\" value=\"{{ next }}\" name=\"next\" hidden>\n"
    "<div><label for=\"username\">Username</label> <input type=\"text\" id=\"username\" name=\"username\"></div>\n"
    "<div><label for=\"password\">Password</label> <input type=\"password\" id=\"password\"></div>\n"
    "<div><button type=\"submit\">Submit</button></div>\n</form>"
    "{% else %}{{ main }}{% endif %}\n</main>\n"
)
_SEED_004_MAIN = {
    "home": "<h3>This is the home page.</h3>",
    "about": "<h3>This is the About page.</h3>",
    "contact": "<h3>This is the Contact page.</h3>",
    "products": ("<h3>What we sell:</h3>\n<ul><li>Sofas</li><li>Chairs</li><li>Tables</li>"
                 "<li>Swings</li></ul>"),
}
_SEED_004_TITLE = {"home": "Home", "about": "About", "contact": "Contact", "products": "Products"}


def _is_local(target):
    # Browsers drop tabs and newlines and read "\" as "/": "/\evil.example" is "//evil.example".
    cleaned = target.replace("\\", "/").replace("\t", "").replace("\n", "").replace("\r", "")
    return cleaned.startswith("/") and not cleaned.startswith("//")


def _seed_004(variant: str, raw_greeting: bool = False, local_next: bool = False) -> Callable[[str], Flask]:
    """Seed 004's client-side programs (`client-temp`, `client-persist`) as the lab runs them:
    PROGRAM, with the greeting through |safe (RAW), or with `next` checked (FIXED)."""

    def factory(_store_dir: str) -> Flask:
        app = _new_app("seed_004_" + variant.replace("-", "_"))
        app.config["SECRET_KEY"] = "supersecretkey"
        if variant == "client-persist":
            app.config["PERMANENT_SESSION_LIFETIME"] = _dt.timedelta(minutes=5)
        app.jinja_env.keep_trailing_newline = True  # the page ends with a newline
        template = app.jinja_env.from_string(
            _SEED_004_PAGE.replace("GREETING_FILTER", "|safe" if raw_greeting else ""))

        def page(name: str, **context: Any) -> str:
            # render_template_string without the template signal, so the driver compares the
            # body: the same context (session, request, g, ...) and the same autoescaping.
            context.setdefault("title", _SEED_004_TITLE.get(name, "Sign in"))
            context.setdefault("main", Markup(_SEED_004_MAIN.get(name, "")))
            app.update_template_context(context)
            return template.render(context)

        @app.route("/")
        @app.route("/home")
        def home():
            # The tutorial's print(); the page reads the session anyway.
            flask_twins._discard_print("Session data is: ", session)
            return page("home")

        @app.route("/about")
        @app.route("/contact")
        def members_only():
            if "user_name" not in session:
                if local_next:
                    return redirect(url_for("login", next=request.path))
                return redirect(url_for("login") + f"?next={request.url}")
            return page(request.path[1:])

        @app.route("/products")
        def products():
            return page("products")

        @app.route("/login", methods=["GET", "POST"])
        def login():
            if request.method == "POST":
                if variant == "client-persist":
                    session.permanent = True
                session["user_name"] = request.form.get("username")
                session["lang"] = "en"
                session["theme"] = "dark"
                if local_next:
                    next_url = request.form.get("next", "")
                    return redirect(next_url if _is_local(next_url) else url_for("home"))
                next_url = request.form.get("next")  # "None" when the form had no next
                # Not checked, as in the tutorial: an open redirect.
                return redirect(next_url if next_url != "None" else url_for("home"))
            return page("login", sign_in=True, next=request.args.get("next"))

        @app.route("/logout")
        def logout():
            session.clear()
            return "Signed Out!!!"

        return app

    return factory


# --------------------------------------------------------------------------------------------
# The registry
# --------------------------------------------------------------------------------------------


class Twin:
    """One app of the security lab: the scenario's app (or its fix), changed as the lab changes
    it, and the `session-lab-cli replay` arguments that select the same app."""

    def __init__(self, scenario: str, base: Callable[[str], Flask], *, fixed: bool = False,
                 config: dict[str, Any] | None = None, server_side: bool = False) -> None:
        self.scenario = scenario
        self.base = base
        self.fixed = fixed
        self.config = dict(config or {})
        self.server_side = server_side

    @property
    def secret(self) -> str:
        """The SECRET_KEY the app ends up with (for the driver's <<remember:...>>)."""
        return self.config.get("SECRET_KEY", BASE_SECRETS[self.scenario])

    @property
    def stored(self) -> bool:
        """Sessions in a Flask-Session store (the driver's check on replayed ids)."""
        return self.server_side or self.scenario == "attack-fixation"

    def cli_args(self) -> list[str]:
        args = ["--app", self.scenario]
        if self.fixed:
            args.append("--fixed")
        for key, value in self.config.items():
            args += ["--config", f"{key}={json.dumps(value)}"]
        if self.server_side:
            args.append("--server-side")
        return args

    def build(self, store_dir: str) -> Flask:
        app = self.base(store_dir)
        for key, value in self.config.items():
            if key == "LAB_FLASK_3_1_0":
                if value:
                    app.session_interface = Flask310SessionInterface()
                continue
            if key == "PERMANENT_SESSION_LIFETIME":
                value = _dt.timedelta(seconds=value)
            app.config[key] = value
        if self.server_side:
            app.config.setdefault("SESSION_TYPE", "filesystem")
            app.config["SESSION_FILE_DIR"] = store_dir
            Session(app)
        return app


# Each scenario's SECRET_KEY before the lab changes it.
BASE_SECRETS = {
    "attack-read": "supersecretkey",
    "attack-tamper": TAMPER_SECRET_KEY,  # the fix's; the plain-cookie program has none
    "attack-replay": "supersecretkey",
    "attack-hijack": "supersecretkey",
    "attack-fixation": FIXATION_SECRET_KEY,
    "attack-weak-key": "supersecretkey",
    "attack-key-rotation": "supersecretkey",
    "attack-too-big": NOTES_SECRET_KEY,
    "attack-open-redirect": "supersecretkey",
    "attack-html-injection": "supersecretkey",
    "attack-flask-login": REMEMBER_SECRET_KEY,
}

_TEMP = _seed_004("client-temp")
_PERSIST = _seed_004("client-persist")

# The keys of src/lab/scenarios/attack_weak_key.rs and attack_key_rotation.rs.
STRONG_KEY = "929dcafc613ebcd8a2adad15fa56c066cdc2c056f7523d15fd06a29bd3d33afb"
KEY_MARCH, KEY_JUNE, KEY_OCTOBER = "march-key", "june-key", "october-key"

TWINS: dict[str, Twin] = {
    # Read: the cookie decodes without a key; the fix is server-side storage.
    "attack-read": Twin("attack-read", _TEMP),
    "attack-read+server-side": Twin("attack-read", _TEMP, server_side=True),
    # Tamper: a plain cookie, and the fix on Flask's signed session.
    "attack-tamper": Twin("attack-tamper", tamper_plain),
    "attack-tamper+fixed": Twin("attack-tamper", tamper_signed, fixed=True),
    # Replay after logout: PERMANENT_SESSION_LIFETIME of five minutes; then server-side.
    "attack-replay": Twin("attack-replay", _TEMP, config={"PERMANENT_SESSION_LIFETIME": 300}),
    "attack-replay+server-side": Twin("attack-replay", _TEMP,
                                      config={"PERMANENT_SESSION_LIFETIME": 300},
                                      server_side=True),
    # Hijack: SESSION_COOKIE_HTTPONLY False; then the lab's switches.
    "attack-hijack": Twin("attack-hijack", _TEMP, config={"SESSION_COOKIE_HTTPONLY": False}),
    "attack-hijack+httponly": Twin("attack-hijack", _TEMP,
                                   config={"SESSION_COOKIE_HTTPONLY": True}),
    "attack-hijack+secure-samesite": Twin("attack-hijack", _TEMP, config={
        "SESSION_COOKIE_HTTPONLY": True, "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_SAMESITE": "Strict"}),
    "attack-hijack+server-side": Twin("attack-hijack", _TEMP,
                                      config={"SESSION_COOKIE_HTTPONLY": False},
                                      server_side=True),
    # Fixation: Flask-Session, the login keeping or renewing the id.
    "attack-fixation": Twin("attack-fixation", lambda d: _fixation(d, False)),
    "attack-fixation+fixed": Twin("attack-fixation", lambda d: _fixation(d, True), fixed=True),
    # Weak key: tutorial 004's key; the fix is 32 random bytes.
    "attack-weak-key": Twin("attack-weak-key", _TEMP),
    "attack-weak-key+strong-key": Twin("attack-weak-key", _TEMP,
                                       config={"SECRET_KEY": STRONG_KEY}),
    # Key rotation: the permanent seed-004 program, its key changed as the lesson changes it.
    "attack-key-rotation": Twin("attack-key-rotation", _PERSIST),
    "attack-key-rotation+march": Twin("attack-key-rotation", _PERSIST,
                                      config={"SECRET_KEY": KEY_MARCH}),
    "attack-key-rotation+june-fallback": Twin("attack-key-rotation", _PERSIST, config={
        "SECRET_KEY": KEY_JUNE, "SECRET_KEY_FALLBACKS": [KEY_MARCH]}),
    "attack-key-rotation+june-fallback-3.1.0": Twin("attack-key-rotation", _PERSIST, config={
        "SECRET_KEY": KEY_JUNE, "SECRET_KEY_FALLBACKS": [KEY_MARCH], "LAB_FLASK_3_1_0": True}),
    "attack-key-rotation+june-retired-3.1.0": Twin("attack-key-rotation", _PERSIST, config={
        "SECRET_KEY": KEY_JUNE, "SECRET_KEY_FALLBACKS": [], "LAB_FLASK_3_1_0": True}),
    "attack-key-rotation+server-side": Twin("attack-key-rotation", _PERSIST,
                                            config={"SECRET_KEY": KEY_OCTOBER},
                                            server_side=True),
    # Too big: the notes in the cookie; then server-side.
    "attack-too-big": Twin("attack-too-big", notes_app),
    "attack-too-big+server-side": Twin("attack-too-big", notes_app, server_side=True),
    # Open redirect: tutorial 004's login, and the fix that checks next.
    "attack-open-redirect": Twin("attack-open-redirect", _TEMP),
    "attack-open-redirect+fixed": Twin("attack-open-redirect",
                                       _seed_004("client-temp", local_next=True), fixed=True),
    # HTML injection: the greeting with |safe, and the fix without.
    "attack-html-injection": Twin("attack-html-injection",
                                  _seed_004("client-temp", raw_greeting=True)),
    "attack-html-injection+fixed": Twin("attack-html-injection", _TEMP, fixed=True),
    # Flask-Login: names as ids, and the fix with generations; SESSION_PROTECTION "strong".
    "attack-flask-login": Twin("attack-flask-login", lambda d: _remember(d, False)),
    "attack-flask-login+strong": Twin("attack-flask-login", lambda d: _remember(d, False),
                                      config={"SESSION_PROTECTION": "strong"}),
    "attack-flask-login+fixed": Twin("attack-flask-login", lambda d: _remember(d, True),
                                     fixed=True),
    "attack-flask-login+fixed+strong": Twin("attack-flask-login", lambda d: _remember(d, True),
                                            fixed=True, config={"SESSION_PROTECTION": "strong"}),
}


def cli_args(app_name: str) -> list[str]:
    """`session-lab-cli replay` arguments (after `replay`, before `--now`) for the app."""
    twin = TWINS.get(app_name)
    return twin.cli_args() if twin is not None else ["--app", app_name]


def _register() -> None:
    for name, twin in TWINS.items():
        if name in APPS:
            raise RuntimeError(f"twin {name} registered twice")
        APPS[name] = twin.build
        SECRETS[name] = twin.secret
        # The seed-004 twins print our page text themselves (no template signal): no route
        # of a security twin renders a template whose body the driver would skip.
        TEMPLATE_ROUTES[name] = set()
        if twin.stored:
            SERVER_SIDE.add(name)


_register()


if __name__ == "__main__":
    sys.exit(flask_twins.main())
