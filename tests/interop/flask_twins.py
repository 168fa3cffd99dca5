#!/usr/bin/env python3
"""Real-Flask twins of every Session Lab tutorial app, plus a Python `replay` that speaks the same
JSON-lines protocol as `session-lab-cli replay`.

Run with the virtualenv that holds the real packages (Flask 3.1.3, Werkzeug 3.1.9, itsdangerous
2.2.0, Flask-Session 0.8.0, cachelib 0.17.0, Flask-Login 0.6.3):

    target/flask-venv/bin/python tests/interop/flask_twins.py replay --app seed-001 --now 1700000000 \
        < lines.jsonl

The replay protocol (identical to `session-lab-cli replay`)
-----------------------------------------------------------
stdin, one JSON object per line:
  * request  {"method":"POST","path":"/login?next=%2Fabout","form":{"username":"bob"},
              "headers":{"User-Agent":"x"}}           method defaults to GET; form/headers optional
  * {"advance": SECONDS}        moves the clock forward (no output)
  * {"restart_browser": true}   drops every cookie without Expires/Max-Age (no output)
stdout, one line per request: {"status":302,"headers":[["Location","/about"],...],"body":"..."}
(headers in the order the server sends them). The twin adds one key of its own, "template": the
name of the template the view rendered (null otherwise), so the driver knows which bodies are our
own page text and must not be compared. An app that cannot start prints exactly one line,
{"startup_error":"ValueError: ..."}, and nothing else.

Two suites are judged by these twins, and each twin is written once, here. replay_diff.py (the
differential suite) runs them all through `TwinReplay`; the fixture generator
(tests/fixtures/generate.py) imports `seed_001`, `seed_003`, `seed_000_login` and `Clock` to
record apps.json and login.json. They stay in this file, rather than in a module of their own,
because the quirks listed below are what each twin is written to show, and because importing
this module is what freezes the clock. That is also why flask_interop.py sets this `Clock`
rather than a clock of its own: with the patches in one place, any process that loads these
suites' code has one clock and one session-id source.

The browser: an RFC 6265 cookie jar (origin http://localhost, host-only cookies, path-match,
"Cookie: a=1; b=2" ordered by longer path first then creation time; Max-Age wins over Expires,
Max-Age<=0 deletes at once). A cookie is gone once its expiry is AT or before the replay clock
(expiry <= now), as in Chromium (`now >= expiry_date`) and Firefox: a browser living through
second T is already past an Expires of exactly T. Flask's own checks are inclusive the other way
(signature age == max_age and a store entry expiring at now are still valid), so at the boundary
second the browser has dropped a cookie that the server would still accept; the visits show both
sides of that (the server side by sending the saved cookie explicitly). A request's own "Cookie" header (any case) REPLACES the jar's header for that request
(an empty string sends none); responses still update the jar. No User-Agent is sent unless the
request line gives one (the Flask test client's default "Werkzeug/3.1.9" is removed on purpose:
Flask-Login hashes the User-Agent into `_id`, and the replay contract has no default UA);
REMOTE_ADDR is 127.0.0.1 as in the Flask test client, Host is localhost, scheme http.

The clock: one fake clock, `Clock.now` (unix seconds), installed when this module is imported
and read by
  * itsdangerous.timed   (`time.time()`: cookie timestamp and max_age check),
  * flask.sessions       (`datetime.now(timezone.utc)`: Expires of permanent sessions),
  * cachelib.file        (`time()`: Flask-Session filesystem store expiry, written and checked),
  * flask_login.login_manager (`datetime.utcnow()`: remember-cookie Expires).
Werkzeug's dump_cookie reads the clock only for max_age without expires, which Flask and
Flask-Login never ask for (a deletion passes both); it is left alone because a stand-in for
`werkzeug.http.datetime` would fail that module's `isinstance(value, datetime)` checks on real
datetimes.

Server-side stores: Flask-Session "filesystem" in a fresh temporary SESSION_FILE_DIR per replay,
so runs are isolated. Session ids come from a seeded generator (same 43-char URL-safe alphabet as
`secrets.token_urlsafe(32)`) so that a twin run is reproducible; the driver never compares sid
values, only which sid is which.

Known quirks that are REAL Flask behaviour, reproduced on purpose (the Rust side must match):
  * seed-000-misspelled: the tutorial's complete code sets SESSION_P / SESSION_T, so SESSION_TYPE
    stays Flask-Session 0.8's default "null", and Session(app) raises
    `ValueError: Unrecognized value for SESSION_TYPE: null` at start-up.
  * seed-000: the tutorial writes SESSION_TYPE "file" (also invalid); the lab runs "filesystem" with
    SESSION_PERMANENT False and no SECRET_KEY (no signer, so none is needed). The store TTL is still
    PERMANENT_SESSION_LIFETIME (31 days) and slides on every request (SESSION_REFRESH_EACH_REQUEST),
    but the cookie is only re-sent when the session is modified. /logout sets user_name = None,
    which MODIFIES a non-empty session: it re-sends the same sid, and a first-time visitor to
    /logout gets a brand-new session stored. welcome.html reads `session.name` (a key that is never
    set), exactly as in the tutorial.
  * seed-000-login (Flask-Login): the tutorial's pseudo-API is mapped to the real one
    (studentMixin->UserMixin, student_loader->user_loader, login_student->login_user,
    current_student->current_user, logout_student->logout_user, `is not in`->`not in`).
      - the unauthorized_handler returns the string 'Unauthorized', so an anonymous /protected is a
        200 (not 401, no redirect, no `next`);
      - POST /login: `request.form['email']` / `['password']` missing -> BadRequestKeyError -> 400;
        unknown email -> `students[email]` KeyError -> 500 (Werkzeug InternalServerError page);
      - the request_loader only runs when current_user is loaded with no user in the session (e.g.
        GET /protected or /logout). With a form `email` of a known student it evaluates
        `request.form['password']` first (missing -> 400) and then assigns to
        `student.is_authenticated`, a read-only property of UserMixin -> AttributeError -> 500;
      - Flask-Login's after_request hook (`_update_remember_cookie`) reads the session on every
        request, so every response of this app carries `Vary: Cookie`;
      - login_user stores `_fresh`, `_id` (SHA-512 of "b'127.0.0.1'|b'<UA>'" or "...|None"),
        `_user_id`; session protection "basic" marks `_fresh` False (and re-sends the cookie) when
        the User-Agent changes;
      - a valid remember_token cookie (user|HMAC-SHA512(SECRET_KEY, user)) logs the user in with
        `_fresh` False and no `_id`; /logout with a remember_token cookie present deletes it
        (`remember_token=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/`, no HttpOnly),
        sent BEFORE the session cookie (after_request runs before save_session).
  * seed-004 (all four variants): `redirect(url_for('login') + f"?next={request.url}")` puts the
    absolute, unencoded request.url in the query: Location `/login?next=http://localhost/about`.
    POST /login without a `next` field: `request.form.get('next')` is None, None != 'None', and
    `redirect(None)` does NOT raise - Werkzeug escapes str(None): 302 with `Location: None` and a
    body linking to "None". The login template renders `{{next}}` as the text "None" when there
    was no ?next=, which is why the tutorial compares with the string 'None'.
    Every template extends index.html, which reads session["user_name"], so every page sets
    `Vary: Cookie`; home() also prints the session (any use of the proxy marks it accessed).
    Server-side deletion cookies (Flask-Session) carry only Path (no HttpOnly); client-side ones
    (Flask) carry HttpOnly.
  * Any response goes through save_session, including 404/405/500 pages: a permanent session is
    re-sent (sliding expiry) even from an error page.
"""

from __future__ import annotations

import argparse
import base64
import datetime as _dt
import hashlib
import hmac
import json
import logging
import random
import re
import shutil
import sys
import tempfile
import types
import warnings
from email.utils import parsedate_to_datetime
from typing import Any, Callable

import cachelib.file
import flask
import flask.sessions
import flask_login
import flask_login.login_manager
import flask_session.base
import itsdangerous.timed
from flask import Flask, redirect, render_template, request, session, url_for
from flask_session import Session
from jinja2 import DictLoader

# Session(app) on a filesystem store warns that SESSION_FILE_DIR and the interface are deprecated;
# that is noise on a replay's stderr. Only those: whoever imports the twins keeps its own filters.
warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"flask_session\.")

T0_DEFAULT = 1_700_000_000  # Tue, 14 Nov 2023 22:13:20 GMT


# --------------------------------------------------------------------------------------------
# The frozen clock and the seeded session ids. Installed at import, here and nowhere else: the
# fixture generator and flask_interop.py set this same clock, so no process holds a second
# clock that the patched libraries would not read.
# --------------------------------------------------------------------------------------------


class Clock:
    """The one clock every patched library reads, in unix seconds. Set `Clock.now` before each
    request or signature: the replay and the fixtures use whole seconds, flask_interop.py adds a
    fraction to exercise itsdangerous's flooring."""

    now: float = T0_DEFAULT


class FrozenDatetime(_dt.datetime):
    """Stands in for the `datetime` class inside the modules that ask for "now". A subclass, so
    whatever else those modules ask of `datetime` still gets the real class's answer."""

    @classmethod
    def now(cls, tz=None):  # Flask: datetime.now(timezone.utc)
        return _dt.datetime.fromtimestamp(Clock.now, tz)

    @classmethod
    def utcnow(cls):  # Flask-Login: datetime.utcnow(), a naive UTC value
        return _dt.datetime.fromtimestamp(Clock.now, _dt.timezone.utc).replace(tzinfo=None)


def _fake_time() -> float:
    return float(Clock.now)


itsdangerous.timed.time = types.SimpleNamespace(time=_fake_time)
flask.sessions.datetime = FrozenDatetime
flask_login.login_manager.datetime = FrozenDatetime
cachelib.file.time = _fake_time


class _SidSource:
    """`secrets.token_urlsafe` for Flask-Session, from a seeded generator (reproducible runs)."""

    rng = random.Random(0)

    @classmethod
    def token_urlsafe(cls, nbytes: int = 32) -> str:
        return base64.urlsafe_b64encode(cls.rng.randbytes(nbytes)).rstrip(b"=").decode("ascii")


flask_session.base.secrets = types.SimpleNamespace(token_urlsafe=_SidSource.token_urlsafe)


def _discard_print(*args: Any) -> None:
    """The tutorial's print(): str() of every argument (touching the session proxy), then dropped
    so stdout stays the JSON-lines channel."""
    " ".join(str(a) for a in args)


# --------------------------------------------------------------------------------------------
# Templates. Our own markup; only their *session access* follows the tutorials.
# --------------------------------------------------------------------------------------------

SEED_000_TEMPLATES = {
    # The tutorial's login.html does not touch the session.
    "login.html": (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<body>\n   <h1> Login </h1>\n\n"
        "   <form action=\"/login\" method=\"POST\">\n"
        "      <input placeholder=\"Name\" autocomplete=\"off\" type=\"text\" name=\"name\">\n"
        "      <input type=\"submit\" name=\"Register\">\n   </form>\n</body>\n</html>\n"
    ),
    # The tutorial's welcome.html reads session.name (never set: user_name is the key).
    "welcome.html": (
        "<!DOCTYPE html>\n\n<html lang=\"en\">\n<body>\n"
        "   {% if session.name %}\n"
        "   You are Registered, {{ session.name }} <a href=\"/logout\">logout</a>.<br>\n"
        "   {% else %}\n"
        "   You are not Registered. <a href=\"/login\">login</a>.\n"
        "   {% endif %}\n</body>\n</html>\n"
    ),
}

# Seed 003's login.html is not shown in the tutorial, so the Rust app serves a page of its own,
# seed_003::login_page(), and this is its text byte for byte (apps.json records the page, so the
# twin must serve exactly that). It does not touch the session (the view already did:
# `"user" in session`).
SEED_003_TEMPLATES = {
    "login.html": (
        "<!doctype html>\n<html lang=en>\n<title>Login</title>\n<h1>Login</h1>\n"
        "<form action=\"#\" method=\"post\">\n<p>Name: <input type=\"text\" name=\"nm\"></p>\n"
        "<p><input type=\"submit\" value=\"submit\"></p>\n</form>\n"
    ),
}


def _seed_004_page(inner: str) -> str:
    return "{% extends \"index.html\" %}\n{% block content %}\n<main>\n" + inner + "</main>\n{% endblock %}\n"


SEED_004_TEMPLATES = {
    "index.html": (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<title>Web App</title>\n</head>\n<body>\n"
        "<div class=\"navbar\">\n<h2>MyApp</h2>\n"
        "<a href=\"{{ url_for('home') }}\">Home</a>\n"
        "<a href=\"{{ url_for('about') }}\">About</a>\n"
        "<a href=\"{{ url_for('contact') }}\">Contact</a>\n"
        "<a href=\"{{ url_for('products') }}\">Products</a>\n"
        "<a href=\"{{ url_for('login') }}\"><button>Sign In</button></a>\n"
        "<a href=\"{{ url_for('logout') }}\"><button>Log Out</button></a>\n"
        # Exactly the tutorial's session access:
        "{% if session[\"user_name\"] %}\n<p>Welcome {{session[\"user_name\"]}}!</p>\n{% endif %}\n"
        "</div>\n<hr>\n{% block content %}\n{% endblock %}\n</body>\n</html>\n"
    ),
    "home.html": _seed_004_page("<h3>You are at the home page!!</h3>\n"),
    "about.html": _seed_004_page("<h3>You are at the About page!!</h3>\n"),
    "contact.html": _seed_004_page("<h3>You are at the Contact page!!</h3>\n"),
    "products.html": _seed_004_page(
        "<h3>Below are the products that we offer.</h3>\n<ul>\n<li>Sofas</li>\n<li>Chairs</li>\n"
        "<li>Tables</li>\n<li>Swings</li>\n</ul>\n",
    ),
    "login.html": _seed_004_page(
        "<h3>Please fill the below form to sign-in!!</h3>\n"
        "<form action=\"{{ url_for('login') }}\" method=\"post\">\n"
        "<input type=\"text\" value=\"{{next}}\" name=\"next\" hidden>\n"
        "<div>\n<label for=\"username\">Username</label>\n"
        "<input type=\"text\" id=\"username\" name=\"username\">\n</div>\n"
        "<div>\n<label for=\"password\">Password</label>\n"
        "<input type=\"password\" id=\"password\">\n</div>\n"
        "<div>\n<button type=\"submit\">Submit</button>\n</div>\n</form>\n",
    ),
}

# Routes whose successful responses are rendered templates (bodies are our own text and are not
# compared; status and Content-Type are). The twin also reports the template it actually
# rendered per response, which is what the driver uses; this table documents the same thing and
# is checked against it.
TEMPLATE_ROUTES: dict[str, set[tuple[str, str]]] = {
    "seed-000": {("GET", "/"), ("GET", "/login")},
    "seed-000-login": set(),
    "seed-000-misspelled": set(),
    "seed-001": set(),
    "seed-002": set(),
    "seed-003": {("GET", "/login")},
    **{
        f"seed-004-{v}": {
            ("GET", "/"), ("GET", "/home"), ("GET", "/about"), ("GET", "/contact"),
            ("GET", "/products"), ("GET", "/login"),
        }
        for v in ("client-temp", "server-temp", "client-persist", "server-persist")
    },
}

# The tutorial's GET /login response for the Flask-Login app, verbatim (non-breaking spaces of
# the web page turned back into spaces; indentation inside the string kept as printed).
SEED_000_LOGIN_FORM = (
    "\n"
    "                   <form action='login' method='POST'>\n"
    "                    <input type='text' name='email' id='email' placeholder='email'/>\n"
    "                    <input type='password' name='password' id='password' placeholder='password'/>\n"
    "                    <input type='submit' name='submit'/>\n"
    "                   </form>\n"
    "                   "
)

SECRETS = {
    "seed-000": None,
    "seed-000-login": "CODINGNINJAS",
    "seed-000-misspelled": None,
    "seed-001": "xyz",
    "seed-002": "your_secret_key_here",
    "seed-003": "hello",
    "seed-004-client-temp": "supersecretkey",
    "seed-004-server-temp": "supersecretkey",
    "seed-004-client-persist": "supersecretkey",
    "seed-004-server-persist": "supersecretkey",
}

SERVER_SIDE = {"seed-000", "seed-002", "seed-004-server-temp", "seed-004-server-persist"}


def _new_app(import_name: str, templates: dict[str, str] | None = None) -> Flask:
    app = Flask(import_name)
    # Unhandled exceptions become Werkzeug's 500 page (testing mode would re-raise them); the
    # traceback logging would only clutter stderr.
    app.logger.disabled = True
    app.logger.setLevel(logging.CRITICAL + 1)
    if templates is not None:
        app.jinja_loader = DictLoader(templates)
    return app


# --------------------------------------------------------------------------------------------
# The apps
# --------------------------------------------------------------------------------------------


def seed_000(store_dir: str) -> Flask:
    app = _new_app("seed_000", SEED_000_TEMPLATES)
    app.config["SESSION_PERMANENT"] = False
    app.config["SESSION_TYPE"] = "filesystem"  # the tutorial's "file" is not a valid type
    app.config["SESSION_FILE_DIR"] = store_dir
    Session(app)

    @app.route("/")
    def index():
        if not session.get("user_name"):
            return redirect("/login")
        return render_template("welcome.html")

    @app.route("/login", methods=["POST", "GET"])
    def login():
        if request.method == "POST":
            session["user_name"] = request.form.get("name")
            return redirect("/")
        return render_template("login.html")

    @app.route("/logout")
    def logout():
        session["user_name"] = None
        return redirect("/")

    return app


def seed_000_misspelled() -> Flask:
    """The tutorial's "complete code", keys as printed."""
    app = _new_app("seed_000_misspelled", SEED_000_TEMPLATES)
    app.config["SESSION_P"] = False
    app.config["SESSION_T"] = "file"
    Session(app)  # raises ValueError: Unrecognized value for SESSION_TYPE: null
    return app


def seed_000_login() -> Flask:
    app = _new_app("seed_000_login")
    app.secret_key = "CODINGNINJAS"

    login_manager = flask_login.LoginManager()
    login_manager.init_app(app)

    students = {"ninja@codingninjas.com": {"password": "ninja123"}}

    class Student(flask_login.UserMixin):
        pass

    @login_manager.user_loader
    def student_loader(email):
        if email not in students:
            return
        student = Student()
        student.id = email
        return student

    @login_manager.request_loader
    def request_loader(request):
        email = request.form.get("email")
        if email not in students:
            return
        student = Student()
        student.id = email
        # UserMixin.is_authenticated is a read-only property: AttributeError -> 500 (after the
        # KeyError -> 400 of a missing password, which is evaluated first).
        student.is_authenticated = request.form["password"] == students[email]["password"]
        return student

    @app.route("/login", methods=["GET", "POST"])
    def login():
        if flask.request.method == "GET":
            return SEED_000_LOGIN_FORM

        email = flask.request.form["email"]
        if flask.request.form["password"] == students[email]["password"]:
            student = Student()
            student.id = email
            flask_login.login_user(student)
            return flask.redirect(flask.url_for("protected"))
        return "Login failed"

    @app.route("/protected")
    @flask_login.login_required
    def protected():
        return "Logged in as: " + flask_login.current_user.id

    @app.route("/logout")
    def logout():
        flask_login.logout_user()
        return "Logged out"

    @login_manager.unauthorized_handler
    def unauthorized_handler():
        return "Unauthorized"

    return app


def seed_001() -> Flask:
    app = _new_app("seed_001")
    app.secret_key = "xyz"

    @app.route("/setsession")
    def setsession():
        session["Username"] = "Admin"
        return "The session has been Set"

    @app.route("/getsession")
    def getsession():
        if "Username" in session:
            Username = session["Username"]
            return f"Welcome {Username}"
        else:
            return "Welcome Anonymous"

    @app.route("/popsession")
    def popsession():
        session.pop("Username", None)
        return "Session Deleted"

    return app


def seed_002(store_dir: str) -> Flask:
    app = _new_app("seed_002")
    app.config["SECRET_KEY"] = "your_secret_key_here"
    app.config["SESSION_TYPE"] = "filesystem"
    app.config["SESSION_FILE_DIR"] = store_dir
    app.config["PERMANENT_SESSION_LIFETIME"] = _dt.timedelta(minutes=30)
    Session(app)

    @app.route("/")
    def index():
        session["username"] = "John"
        return "Pythongeeks Session data stored!"

    @app.route("/profile")
    def profile():
        username = session.get("username")
        if username:
            return f"Welcome, {username}!"
        else:
            return "No user data found in session."

    @app.route("/logout")
    def logout():
        session.clear()
        return "Logged out successfully!"

    @app.route("/login", methods=["POST"])
    def login():
        user_id = 123
        session["user_id"] = user_id
        return redirect(url_for("dashboard"))

    @app.route("/dashboard")
    def dashboard():
        user_id = session.get("user_id")
        if user_id is None:
            return redirect(url_for("login"))
        return "Welcome to the Dashboard!"

    return app


def seed_003() -> Flask:
    app = _new_app("seed_003", SEED_003_TEMPLATES)
    # Jinja drops a template's final newline by default; login_page() ends with one.
    app.jinja_env.keep_trailing_newline = True
    app.secret_key = "hello"
    app.permanent_session_lifetime = _dt.timedelta(minutes=5)

    @app.route("/login", methods=["POST", "GET"])
    def login():
        if request.method == "POST":
            session.permanent = True
            user = request.form["nm"]
            session["user"] = user
            return redirect(url_for("user"))
        else:
            if "user" in session:
                return redirect(url_for("user"))
            return render_template("login.html")

    @app.route("/user")
    def user():
        if "user" in session:
            user = session["user"]
            return f"<h1>{user}</h1>"
        else:
            return redirect(url_for("login"))

    @app.route("/logout")
    def logout():
        session.pop("user", None)
        return redirect(url_for("login"))

    return app


def _seed_004(variant: str, store_dir: str) -> Flask:
    app = _new_app("seed_004_" + variant.replace("-", "_"), SEED_004_TEMPLATES)
    app.config["SECRET_KEY"] = "supersecretkey"
    if variant == "server-temp":
        app.config["SESSION_TYPE"] = "filesystem"
        app.config["SESSION_FILE_DIR"] = store_dir
        app.config["SESSION_PERMANENT"] = False
        Session(app)
    elif variant == "client-persist":
        app.config["PERMANENT_SESSION_LIFETIME"] = _dt.timedelta(minutes=5)
    elif variant == "server-persist":
        app.config["SESSION_TYPE"] = "filesystem"
        app.config["SESSION_FILE_DIR"] = store_dir
        app.config["PERMANENT_SESSION_LIFETIME"] = _dt.timedelta(minutes=5)
        Session(app)

    @app.route("/")
    @app.route("/home")
    def home():
        _discard_print("Session data is: ", session)
        return render_template("home.html")

    @app.route("/about")
    def about():
        if "user_name" not in session:
            return redirect(url_for("login") + f"?next={request.url}")
        return render_template("about.html")

    @app.route("/contact")
    def contact():
        if "user_name" not in session:
            return redirect(url_for("login") + f"?next={request.url}")
        return render_template("contact.html")

    @app.route("/products")
    def products():
        return render_template("products.html")

    @app.route("/login", methods=["GET", "POST"])
    def login():
        next_url = request.args.get("next")
        if request.method == "POST":
            if variant == "client-persist":
                session.permanent = True
            session["user_name"] = request.form.get("username")
            session["lang"] = "en"
            session["theme"] = "dark"
            next_url = request.form.get("next")
            return redirect(next_url if next_url != "None" else url_for("home"))
        return render_template("login.html", next=next_url)

    @app.route("/logout")
    def logout():
        session.clear()
        return "Signed Out!!!"

    return app


def _without_store(factory: Callable[[], Flask]) -> Callable[[str], Flask]:
    """An app with no server-side store has no use for the replay's store directory."""
    return lambda _store_dir: factory()


# Each factory takes the replay's fresh store directory.
APPS: dict[str, Callable[[str], Flask]] = {
    "seed-000": seed_000,
    "seed-000-login": _without_store(seed_000_login),
    "seed-000-misspelled": _without_store(seed_000_misspelled),
    "seed-001": _without_store(seed_001),
    "seed-002": seed_002,
    "seed-003": _without_store(seed_003),
    "seed-004-client-temp": lambda d: _seed_004("client-temp", d),
    "seed-004-server-temp": lambda d: _seed_004("server-temp", d),
    "seed-004-client-persist": lambda d: _seed_004("client-persist", d),
    "seed-004-server-persist": lambda d: _seed_004("server-persist", d),
}


# --------------------------------------------------------------------------------------------
# The browser: an RFC 6265 cookie jar on the replay clock
# --------------------------------------------------------------------------------------------


class StoredCookie:
    __slots__ = ("name", "value", "path", "expiry", "persistent", "creation", "seq")

    def __init__(self, name, value, path, expiry, persistent, creation, seq):
        self.name = name
        self.value = value
        self.path = path
        self.expiry = expiry  # unix seconds (float) or None
        self.persistent = persistent
        self.creation = creation
        self.seq = seq


def _default_path(request_path: str) -> str:
    # RFC 6265 5.1.4
    if not request_path.startswith("/"):
        return "/"
    if request_path.count("/") == 1:
        return "/"
    return request_path[: request_path.rindex("/")]


def _path_matches(request_path: str, cookie_path: str) -> bool:
    if request_path == cookie_path:
        return True
    if request_path.startswith(cookie_path):
        return cookie_path.endswith("/") or request_path[len(cookie_path)] == "/"
    return False


class CookieJar:
    def __init__(self) -> None:
        self.cookies: dict[tuple[str, str], StoredCookie] = {}
        self._seq = 0

    def _evict(self, now: int) -> None:
        for key in [k for k, c in self.cookies.items() if c.expiry is not None and c.expiry <= now]:
            del self.cookies[key]

    def set_from_header(self, header: str, request_path: str, now: int) -> None:
        parts = header.split(";")
        name_value = parts[0]
        if "=" not in name_value:
            return
        name, value = name_value.split("=", 1)
        name, value = name.strip(), value.strip()
        if not name:
            return
        expires = None
        max_age = None
        path = None
        for attr in parts[1:]:
            key, _, val = attr.partition("=")
            key, val = key.strip().lower(), val.strip()
            if key == "expires":
                try:
                    expires = parsedate_to_datetime(val).timestamp()
                except (TypeError, ValueError, IndexError):
                    pass
            elif key == "max-age":
                if re.fullmatch(r"-?[0-9]+", val):
                    max_age = int(val)
            elif key == "path":
                path = val if val.startswith("/") else None
        if path is None:
            path = _default_path(request_path.split("?", 1)[0])
        if max_age is not None:
            expiry = float("-inf") if max_age <= 0 else float(now + max_age)
            persistent = True
        elif expires is not None:
            expiry = expires
            persistent = True
        else:
            expiry = None
            persistent = False
        key = (name, path)
        old = self.cookies.get(key)
        self._seq += 1
        creation = old.creation if old is not None else self._seq
        self.cookies[key] = StoredCookie(name, value, path, expiry, persistent, creation, self._seq)
        self._evict(now)

    def header(self, request_path: str, now: int) -> str | None:
        self._evict(now)
        path = request_path.split("?", 1)[0]
        chosen = [c for c in self.cookies.values() if _path_matches(path, c.path)]
        chosen.sort(key=lambda c: (-len(c.path), c.creation))
        if not chosen:
            return None
        return "; ".join(f"{c.name}={c.value}" for c in chosen)

    def restart_browser(self) -> None:
        for key in [k for k, c in self.cookies.items() if not c.persistent]:
            del self.cookies[key]

    def get(self, name: str, now: int) -> str | None:
        self._evict(now)
        found = [c for c in self.cookies.values() if c.name == name]
        found.sort(key=lambda c: (-len(c.path), c.creation))
        return found[0].value if found else None


# --------------------------------------------------------------------------------------------
# The replay
# --------------------------------------------------------------------------------------------


class TwinReplay:
    """One browser + one fresh app instance + one clock. Feed it protocol lines."""

    def __init__(self, app_name: str, now: int = T0_DEFAULT, sid_seed: int = 0) -> None:
        if app_name not in APPS:
            raise KeyError(f"unknown app {app_name!r}; known: {', '.join(APPS)}")
        self.app_name = app_name
        self.now = int(now)
        self.jar = CookieJar()
        self.store_dir = tempfile.mkdtemp(prefix="session-lab-twin-")
        self.startup_error: str | None = None
        self.app: Flask | None = None
        _SidSource.rng = random.Random(f"{app_name}:{sid_seed}")
        Clock.now = self.now
        try:
            self.app = APPS[app_name](self.store_dir)
        except Exception as e:  # noqa: BLE001 - the start-up error IS the observable behaviour
            self.startup_error = f"{type(e).__name__}: {e}"
            return
        self.client = self.app.test_client(use_cookies=False)
        self.client.environ_base.pop("HTTP_USER_AGENT", None)
        self._rendered: list[str] = []
        flask.template_rendered.connect(self._on_render, self.app)

    def _on_render(self, sender, template, context, **extra):
        self._rendered.append(template.name)

    def close(self) -> None:
        shutil.rmtree(self.store_dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- protocol --------------------------------------------------------------------------

    def feed(self, line: dict) -> dict | None:
        """Handles one protocol line; returns the output object for requests, else None."""
        if "advance" in line:
            self.now += int(line["advance"])
            return None
        if line.get("restart_browser"):
            self.jar.restart_browser()
            return None
        return self.request(line)

    def request(self, line: dict) -> dict:
        Clock.now = self.now
        method = str(line.get("method", "GET")).upper()
        path = line.get("path", "/")
        form = line.get("form")
        headers: dict[str, str] = {}
        explicit_cookie = None
        for k, v in (line.get("headers") or {}).items():
            if k.lower() == "cookie":
                explicit_cookie = v
            else:
                headers[k] = v
        cookie = explicit_cookie if explicit_cookie is not None else self.jar.header(path, self.now)
        if cookie:
            headers["Cookie"] = cookie
        self._rendered = []
        kwargs: dict[str, Any] = {"method": method, "headers": headers}
        if form:
            kwargs["data"] = form
        resp = self.client.open(path, **kwargs)
        out_headers = [[k, v] for k, v in resp.headers.to_wsgi_list()]
        body = resp.get_data(as_text=True)
        resp.close()
        for k, v in out_headers:
            if k.lower() == "set-cookie":
                self.jar.set_from_header(v, path, self.now)
        return {
            "status": resp.status_code,
            "headers": out_headers,
            "body": body,
            "template": self._rendered[-1] if self._rendered else None,
        }

    def run(self, lines: list[dict]) -> list[dict]:
        if self.startup_error is not None:
            return [{"startup_error": self.startup_error}]
        outs = []
        for line in lines:
            out = self.feed(line)
            if out is not None:
                outs.append(out)
        return outs

    # -- helpers for the driver (state the CLI side cannot see) ------------------------------

    def store_has(self, sid: str) -> bool:
        """Is there a live server-side entry for this sid (Flask-Session apps only)?"""
        iface = self.app.session_interface if self.app is not None else None
        cache = getattr(iface, "cache", None)
        if cache is None:
            return False
        Clock.now = self.now
        return cache.get(iface._get_store_id(sid)) is not None

    def sign_session(self, data: dict) -> str:
        """A session cookie value signed by this app's real SecureCookieSessionInterface at the
        current replay time (inside a request context, so keys are sorted as in a response)."""
        Clock.now = self.now
        with self.app.test_request_context():
            s = flask.sessions.SecureCookieSessionInterface().get_signing_serializer(self.app)
            if s is None:
                raise ValueError(f"{self.app_name} has no SECRET_KEY to sign with")
            return s.dumps(data)


def remember_cookie_value(secret: str, user_id: str) -> str:
    """Flask-Login 0.6.3 encode_cookie: "<id>|" + hex HMAC-SHA512(key=latin-1(SECRET_KEY), id)."""
    digest = hmac.new(secret.encode("latin1"), user_id.encode("utf-8"), hashlib.sha512).hexdigest()
    return f"{user_id}|{digest}"


def replay_lines(app_name: str, lines: list[dict], now: int = T0_DEFAULT, sid_seed: int = 0) -> list[dict]:
    with TwinReplay(app_name, now, sid_seed) as r:
        return r.run(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    rp = sub.add_parser("replay", help="the session-lab-cli replay protocol, run by real Flask")
    rp.add_argument("--app", required=True, choices=sorted(APPS))
    rp.add_argument("--now", type=int, default=T0_DEFAULT)
    rp.add_argument("--sid-seed", type=int, default=0)
    rp.add_argument("--no-template-key", action="store_true",
                    help="leave out the twin-only \"template\" key")
    sub.add_parser("apps", help="list the app names")
    args = p.parse_args(argv)
    if args.cmd == "apps":
        print("\n".join(APPS))
        return 0
    sys.stdin.reconfigure(encoding="utf-8")
    sys.stdout.reconfigure(encoding="utf-8")
    with TwinReplay(args.app, args.now, args.sid_seed) as r:
        if r.startup_error is not None:
            sys.stdout.write(json.dumps({"startup_error": r.startup_error}) + "\n")
            return 0
        for raw in sys.stdin:
            raw = raw.strip()
            if not raw:
                continue
            out = r.feed(json.loads(raw))
            if out is not None:
                if args.no_template_key:
                    out.pop("template", None)
                sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
                sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
