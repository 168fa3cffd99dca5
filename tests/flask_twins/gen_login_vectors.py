"""Flask-Login twins of the apps in tests/login.rs, run with REAL Flask 3.1.3 + Flask-Login 0.6.3
under a frozen clock. Prints the Rust scenario tables that tests/login.rs pastes verbatim.

Run from the crate root:

    target/flask-venv/bin/python tests/flask_twins/gen_login_vectors.py

Two apps:

* `twin(opts)`: a small app exercising every Flask-Login feature tests/login.rs checks; `opts` is
  the same `Opts` record the Rust twin (`twin_app` in tests/login.rs) is built from.
* `seed_000_login()`: the Flask-Login example of seed 000, with its misspellings fixed
  (`studentMixin`, `student_loader`, `login_student`, `current_student`, `logout_student` ->
  the real names) and its indentation repaired; src/server/apps/seed_000_login.rs is its port.

The clock: itsdangerous reads `time.time()` (session cookie timestamp), Flask's
`get_expiration_time` reads `datetime.now(timezone.utc)` and Flask-Login's `_set_cookie` reads
`datetime.utcnow()` (remember cookie Expires). All three are pinned to `Clock.now`.

The "browser": a cookie jar keyed by cookie name that keeps the latest value (exactly as sent in
`Set-Cookie`, quotes included) and forgets a cookie on a deletion (`Max-Age=0`). It sends every
cookie it holds, sorted by name, in one `Cookie` header. It ignores Domain, Path and Expires.

Request headers are listed per step. The Flask test client adds `User-Agent: Werkzeug/x.y.z` on its
own; it is removed here (`environ_base`), so a step without a User-Agent really has none. A real
WSGI server hands header bytes to Python decoded as latin-1; the test client would pass our `str`
through unchanged, so non-ASCII header values are sent as their UTF-8 bytes decoded as latin-1.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import types
from importlib.metadata import version

import flask.sessions
import flask_login.login_manager
import itsdangerous.timed
from flask import Flask, redirect, request, session, url_for
from flask_login import (
    LoginManager,
    UserMixin,
    confirm_login,
    current_user,
    fresh_login_required,
    login_remembered,
    login_required,
    login_user,
    logout_user,
)
from flask_login.utils import encode_cookie


class Clock:
    now = 0


itsdangerous.timed.time = types.SimpleNamespace(time=lambda: float(Clock.now))


class FrozenDatetime(_dt.datetime):
    @classmethod
    def now(cls, tz=None):  # Flask: datetime.now(timezone.utc)
        return _dt.datetime.fromtimestamp(Clock.now, tz)

    @classmethod
    def utcnow(cls):  # Flask-Login: datetime.utcnow()
        return _dt.datetime.fromtimestamp(Clock.now, _dt.timezone.utc).replace(tzinfo=None)


flask.sessions.datetime = FrozenDatetime
flask_login.login_manager.datetime = FrozenDatetime

T0 = 1_700_000_000
UA = "Mozilla/5.0 Test"
OTHER_UA = "Other/1.0"


def rs(s: str) -> str:
    """A Rust string literal."""
    out = ['"']
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("\\u{%x}" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def rs_opt(s):
    return "None" if s is None else f"Some({rs(s)})"


def t0_expr(dt: int) -> str:
    if dt == 0:
        return "T0"
    return f"T0 + {dt}" if dt > 0 else f"T0 - {-dt}"


# ---------------------------------------------------------------------------------------------
# The twin app


@dataclasses.dataclass
class Opts:
    secret: str | None = "dev-secret"
    login_view: str | None = None
    refresh_view: str | None = None
    protection: str | None = "basic"  # login_manager.session_protection
    login_message: str | None = "Please log in to access this page."
    unauthorized_text: str | None = None  # an unauthorized_handler returning this text
    request_loader: bool = False
    config: tuple = ()  # (key, value) pairs for app.config

    def rust(self) -> str:
        default = Opts()
        fields = []
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if v == getattr(default, f.name):
                continue
            if f.name == "request_loader":
                fields.append(f"request_loader: {'true' if v else 'false'}")
            elif f.name == "config":
                items = ", ".join(f"({rs(k)}, {cfg_rs(val)})" for k, val in v)
                fields.append(f"config: &[{items}]")
            else:
                fields.append(f"{f.name}: {rs_opt(v)}")
        fields.append("..BASE")
        return "Opts { " + ", ".join(fields) + " }"


def cfg_rs(v) -> str:
    if v is None:
        return "C::None"
    if isinstance(v, bool):
        return f"C::Bool({'true' if v else 'false'})"
    if isinstance(v, int):
        return f"C::Int({v})"
    return f"C::Str({rs(v)})"


USERS = {"1", "2", "inactive", "Zoë"}


class U(UserMixin):
    def __init__(self, uid):
        self.id = uid

    @property
    def is_active(self):
        return self.id != "inactive"


def twin(opts: Opts) -> Flask:
    app = Flask("login_twin")
    app.logger.disabled = True
    if opts.secret is not None:
        app.secret_key = opts.secret
    for k, v in opts.config:
        app.config[k] = v
    lm = LoginManager()
    lm.init_app(app)
    lm.login_view = opts.login_view
    lm.refresh_view = opts.refresh_view
    lm.session_protection = opts.protection
    lm.login_message = opts.login_message

    @lm.user_loader
    def load(uid):
        return U(uid) if uid in USERS else None

    if opts.request_loader:

        @lm.request_loader
        def load_request(req):
            token = req.headers.get("X-Token")
            if token is None:
                return None
            if token == "boom":
                req.form["password"]  # BadRequestKeyError: a 400
            return load(token)

    if opts.unauthorized_text is not None:

        @lm.unauthorized_handler
        def unauthorized():
            return opts.unauthorized_text

    @app.route("/login")
    def login():
        a = request.args
        d = a.get("duration")
        ok = login_user(
            U(a["user"]),
            remember=a.get("remember") == "1",
            duration=_dt.timedelta(seconds=float(d)) if d else None,
            force=a.get("force") == "1",
            fresh=a.get("fresh") != "0",
        )
        return f"login {ok}"

    @app.route("/logout")
    def logout():
        logout_user()
        return "logged out"

    @app.route("/whoami")
    def whoami():
        u = current_user
        return f"whoami {u.is_authenticated} {u.get_id()} fresh={session.get('_fresh')}"

    @app.route("/secret")
    @login_required
    def secret():
        return f"secret {current_user.get_id()}"

    @app.route("/café")
    @login_required
    def cafe():
        return "café"

    @app.route("/fresh")
    @fresh_login_required
    def fresh():
        return f"fresh {current_user.get_id()}"

    @app.route("/confirm")
    def confirm():
        confirm_login()
        return "confirmed"

    @app.route("/opts", methods=["GET", "OPTIONS"])
    @login_required
    def opts_view():
        return "opts"

    @app.route("/plain")
    def plain():
        return "plain"

    @app.route("/remembered")
    def remembered():
        return f"remembered {login_remembered()}"

    @app.route("/forget")
    def forget():
        session["_remember"] = "clear"
        return f"forget {current_user.get_id()}"

    @app.route("/note")
    def note():
        session["note"] = "x"
        return "noted"

    @app.route("/permanent")
    def permanent():
        session.permanent = True
        return "permanent"

    return app


# ---------------------------------------------------------------------------------------------
# The seed-000 Flask-Login example, fixed to run


def seed_000_login() -> Flask:
    app = Flask("seed_000_login")
    app.logger.disabled = True
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
        student.is_authenticated = request.form["password"] == students[email]["password"]

        return student

    @app.route("/login", methods=["GET", "POST"])
    def login():
        if flask.request.method == "GET":
            return """
                   <form action='login' method='POST'>
                    <input type='text' name='email' id='email' placeholder='email'/>
                    <input type='password' name='password' id='password' placeholder='password'/>
                    <input type='submit' name='submit'/>
                   </form>
                   """

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


# ---------------------------------------------------------------------------------------------
# The browser


class Browser:
    def __init__(self, app: Flask, t0: int = T0):
        self.client = app.test_client(use_cookies=False)
        self.client.environ_base = {"REMOTE_ADDR": "127.0.0.1"}  # no default User-Agent
        self.t0 = t0
        self.jar: dict[str, str] = {}
        self.steps: list[str] = []

    def send(self, label, dt, method, target, headers=None, form=None, cookie="jar"):
        """cookie: "jar", None (no Cookie header), or a raw Cookie header value."""
        Clock.now = self.t0 + dt
        if headers is None:
            headers = [("User-Agent", UA)]
        wsgi_headers = [(k, v.encode().decode("latin-1")) for k, v in headers]
        if cookie == "jar":
            if self.jar:
                wsgi_headers.append(("Cookie", "; ".join(f"{k}={v}" for k, v in sorted(self.jar.items()))))
            send = "Send::Jar"
        elif cookie is None:
            send = "Send::Nothing"
        else:
            wsgi_headers.append(("Cookie", cookie))
            send = f"Send::Raw({rs(cookie)})"
        kwargs = {"method": method, "headers": wsgi_headers}
        if form is not None:
            kwargs["data"] = form
        resp = self.client.open(target, **kwargs)
        hdrs = []
        for k, v in resp.headers.to_wsgi_list():
            if k == "Allow":
                v = ", ".join(sorted(x.strip() for x in v.split(",")))
            hdrs.append((k, v))
        for k, v in hdrs:
            if k == "Set-Cookie":
                name, _, rest = v.partition("=")
                value = rest.split(";", 1)[0]
                if "Max-Age=0" in v:
                    self.jar.pop(name, None)
                else:
                    self.jar[name] = value
        body = resp.get_data(as_text=True)
        form_rs = ", ".join(f"({rs(k)}, {rs(v)})" for k, v in (form or {}).items())
        req_rs = ", ".join(f"({rs(k)}, {rs(v)})" for k, v in headers)
        hdr_rs = "".join(f"\n                ({rs(k)}, {rs(v)})," for k, v in hdrs)
        self.steps.append(
            "        Step {\n"
            f"            label: {rs(label)},\n"
            f"            now: {t0_expr(dt)},\n"
            f"            method: {rs(method)},\n"
            f"            target: {rs(target)},\n"
            f"            headers: &[{req_rs}],\n"
            f"            form: &[{form_rs}],\n"
            f"            send: {send},\n"
            f"            status: {resp.status_code},\n"
            f"            response: &[{hdr_rs}\n            ],\n"
            f"            body: {rs(body)},\n"
            "        },"
        )
        return resp

    def emit(self, const_name: str, opts: Opts | None, comment: str):
        print(f"// {comment}")
        if opts is None:
            print(f"const {const_name}: &[Step] = &[")
            print("\n".join(s.replace("\n    ", "\n") for s in self.steps).replace("        Step {", "    Step {", 1))
            print("];\n")
        else:
            print(f"const {const_name}: Scenario = Scenario {{")
            print(f"    opts: {opts.rust()},")
            print("    steps: &[")
            print("\n".join(self.steps))
            print("    ],")
            print("};\n")


def tamper(value: str) -> str:
    """Change the last digest digit."""
    return value[:-1] + ("e" if value[-1] != "e" else "f")


def forged(user_id: str, key: str = "dev-secret") -> str:
    """A remember cookie made with the app's key (as the app itself would make it)."""
    return encode_cookie(user_id, key)


# ---------------------------------------------------------------------------------------------
# Scenarios


def scenario(const_name, opts, comment, steps):
    b = Browser(twin(opts))
    steps(b)
    b.emit(const_name, opts, f"gen_login_vectors.py {comment}")


def basic(b: Browser):
    b.send("a view that never looks at the user still gets Vary: Cookie (the hook reads the session)", 0, "GET", "/plain")
    b.send("anonymous", 0, "GET", "/whoami")
    b.send("login_required without login_view is a 401", 0, "GET", "/secret")
    b.send("login sets _fresh, _id and _user_id", 10, "GET", "/login?user=1")
    b.send("the user is loaded from _user_id", 20, "GET", "/whoami")
    b.send("login_required passes", 30, "GET", "/secret")
    b.send("fresh_login_required passes", 40, "GET", "/fresh")
    b.send("another User-Agent: basic protection marks the session stale and keeps the user", 50, "GET", "/whoami",
           headers=[("User-Agent", OTHER_UA)])
    b.send("a stale session is refused by fresh_login_required: 401 without refresh_view", 60, "GET", "/fresh")
    b.send("confirm_login makes it fresh again and stores a new _id", 70, "GET", "/confirm")
    b.send("fresh again", 80, "GET", "/fresh")
    b.send("login with X-Forwarded-For: _id hashes the first address", 90, "GET", "/login?user=2",
           headers=[("User-Agent", UA), ("X-Forwarded-For", "203.0.113.7, 10.0.0.1")])
    b.send("same client without X-Forwarded-For is another identifier: stale", 100, "GET", "/whoami")
    b.send("no User-Agent at all is another identifier too (already stale: _fresh not rewritten)", 110, "GET",
           "/whoami", headers=[("X-Forwarded-For", "203.0.113.7")])
    b.send("an inactive user is refused", 120, "GET", "/login?user=inactive")
    b.send("force logs the inactive user in", 130, "GET", "/login?user=inactive&force=1")
    b.send("an inactive user is loaded but not authenticated", 140, "GET", "/whoami")
    b.send("so login_required refuses it", 150, "GET", "/secret")
    b.send("login with fresh=False", 160, "GET", "/login?user=1&fresh=0")
    b.send("not fresh", 170, "GET", "/fresh")
    b.send("logout pops the keys: the session is empty and deleted", 180, "GET", "/logout")
    b.send("logout again: nothing to pop, no cookie", 190, "GET", "/logout")
    b.send("OPTIONS on a GET-only protected route: Flask's automatic answer, the view never runs", 200, "OPTIONS",
           "/secret")
    b.send("a user id the loader does not know is anonymous", 210, "GET", "/login?user=nobody")
    b.send("... and stays in the session", 220, "GET", "/whoami")
    b.send("a non-ASCII User-Agent is hashed from its double-encoded UTF-8", 230, "GET", "/login?user=2",
           headers=[("User-Agent", "Zoë's browser ☃")], cookie=None)
    b.send("same non-ASCII User-Agent: same identifier, no change", 240, "GET", "/fresh",
           headers=[("User-Agent", "Zoë's browser ☃")])


def remember(b: Browser):
    b.send("login with remember: remember_token for 365 days", 0, "GET", "/login?user=1&remember=1")
    b.send("_remember was popped by the hook: nothing more to send", 10, "GET", "/whoami")
    b.send("only the remember cookie: the user is restored, stale, without _id", 20, "GET", "/whoami",
           cookie=f"remember_token={b.jar['remember_token']}")
    b.send("restored logins are not fresh", 30, "GET", "/fresh",
           cookie=f"remember_token={b.jar['remember_token']}")
    b.send("login_remembered: a valid cookie", 32, "GET", "/remembered",
           cookie=f"remember_token={b.jar['remember_token']}")
    b.send("login_remembered: a tampered cookie", 34, "GET", "/remembered",
           cookie=f"remember_token={tamper(b.jar['remember_token'])}")
    b.send("logout with a remember cookie deletes it (Domain/Path only)", 40, "GET", "/logout")
    b.send("login with remember and duration=60: _remember_seconds stays in the session", 50, "GET",
           "/login?user=2&remember=1&duration=60")
    b.send("the next request does not send the remember cookie again", 60, "GET", "/whoami")
    b.send("logout pops _remember_seconds too", 70, "GET", "/logout")
    b.send("a view that sets _remember='clear' before current_user: the cookie is ignored, then deleted", 75,
           "GET", "/forget", cookie="remember_token=" + forged("1"))
    b.send("duration 1.5 s: Expires drops the fraction", 80, "GET", "/login?user=2&remember=1&duration=1.5",
           cookie=None)
    b.send("a negative duration gives an Expires in the past", 90, "GET", "/login?user=2&remember=1&duration=-10",
           cookie=None)
    b.send("a tampered remember cookie is ignored", 100, "GET", "/whoami",
           cookie="remember_token=" + tamper(forged("1")))
    b.send("a remember cookie without | is ignored", 110, "GET", "/whoami", cookie="remember_token=1")
    b.send("a remember cookie signed with another key is ignored", 120, "GET", "/whoami",
           cookie="remember_token=" + forged("1", "other-secret"))
    b.send("a valid cookie for a user the loader does not know: _user_id is stored, still anonymous", 130,
           "GET", "/whoami", cookie="remember_token=" + forged("ghost"))
    b.send("a non-ASCII user id: the remember cookie value is quoted", 140, "GET", "/login?user=Zo%C3%AB&remember=1",
           cookie=None)
    b.send("the quoted cookie comes back and logs the user in", 150, "GET", "/whoami",
           cookie=f"remember_token={b.jar['remember_token']}")
    b.send("remember cookie plus session: the session's user wins; already stale, nothing rewritten", 160, "GET",
           "/whoami")
    b.send("logout deletes the remember cookie and the session", 170, "GET", "/logout")


def remember_config(b: Browser):
    b.send("every REMEMBER_COOKIE_* setting", 0, "GET", "/login?user=1&remember=1")
    b.send("the cookie under its configured name restores the user", 10, "GET", "/whoami",
           cookie=f"rt={b.jar['rt']}")
    b.send("logout deletes it with Domain and Path only", 20, "GET", "/logout")


def refresh_each_request(b: Browser):
    b.send("anonymous: the hook inserts and pops _remember, so an empty session is deleted", 0, "GET", "/plain")
    b.send("login without remember still gets a remember cookie", 10, "GET", "/login?user=1")
    b.send("every request re-sends the remember cookie and re-signs the session", 20, "GET", "/plain")
    b.send("later", 30, "GET", "/whoami")


def strong(b: Browser):
    b.send("login", 0, "GET", "/login?user=1")
    b.send("same client", 10, "GET", "/whoami")
    b.send("another User-Agent: strong protection logs out and deletes the remember cookie", 20, "GET", "/whoami",
           headers=[("User-Agent", OTHER_UA)])
    b.send("login with remember", 30, "GET", "/login?user=1&remember=1", cookie=None)
    b.send("only the remember cookie: restored, without _id", 40, "GET", "/whoami",
           cookie=f"remember_token={b.jar['remember_token']}")
    b.send("the next request fails protection because there is no _id: logged out", 50, "GET", "/whoami")
    b.send("login, then make the session permanent", 60, "GET", "/login?user=2", cookie=None)
    b.send("permanent", 70, "GET", "/permanent")
    b.send("a permanent session gets basic treatment even in strong mode", 80, "GET", "/whoami",
           headers=[("User-Agent", OTHER_UA)])
    b.send("a session holding only another key", 90, "GET", "/note", cookie=None)
    b.send("has no _id either: strong protection fails, clearing a remember cookie nobody sent", 100, "GET",
           "/whoami")


def protection_off(b: Browser):
    b.send("login", 0, "GET", "/login?user=1")
    b.send("another User-Agent: no protection, still fresh", 10, "GET", "/whoami",
           headers=[("User-Agent", OTHER_UA)])


def login_view(b: Browser):
    b.send("redirect with next, and the message flashed", 0, "GET", "/secret?x=1&y=a%20b")
    b.send("a second redirect appends to _flashes", 10, "GET", "/secret")
    b.send("odd query characters", 20, "GET", "/secret?q=%41%2B+b&z=é&w=%zz&e=%E9&s=a/b?c")
    b.send("a non-ASCII path", 30, "GET", "/caf%C3%A9?x=%41")
    b.send("HEAD is checked too", 40, "HEAD", "/secret")
    b.send("POST to a GET-only protected route is a 405 (no check)", 50, "POST", "/secret")
    b.send("a Host header with a port", 60, "GET", "/secret?a=1", headers=[("User-Agent", UA), ("Host", "Example.COM:80")])
    b.send("logged in, the view runs", 70, "GET", "/login?user=1", cookie=None)
    b.send("the view", 80, "GET", "/secret")


def scenario_view(const_name, view, extra=(), comment="", hosts=()):
    opts = Opts(login_view=view, config=tuple(extra))

    def steps(b):
        b.send("redirect", 0, "GET", "/secret?x=1")
        for host in hosts:
            b.send(f"Host: {host}", 0, "GET", "/secret?x=1", headers=[("User-Agent", UA), ("Host", host)],
                   cookie=None)

    scenario(const_name, opts, comment, steps)


def use_session_for_next(b: Browser):
    b.send("next and _id go into the session; bare login URL", 0, "GET", "/secret?x=1")
    b.send("again", 10, "GET", "/secret?x=2")


def no_message(b: Browser):
    b.send("no flash: the session is untouched", 0, "GET", "/secret")


def refresh_view(b: Browser):
    b.send("login remembered", 0, "GET", "/login?user=1&remember=1")
    b.send("restored from the cookie, then /fresh redirects to refresh_view", 10, "GET", "/fresh",
           cookie=f"remember_token={b.jar['remember_token']}")
    b.send("anonymous /fresh goes to the login view", 20, "GET", "/fresh", cookie=None)


def handler(b: Browser):
    b.send("unauthorized_handler's string is a 200", 0, "GET", "/secret")
    b.send("the request loader logs X-Token 2 in for this request", 10, "GET", "/secret",
           headers=[("User-Agent", UA), ("X-Token", "2")])
    b.send("the request loader's KeyError is a 400", 20, "GET", "/secret",
           headers=[("User-Agent", UA), ("X-Token", "boom")])
    b.send("the request loader's None is unauthorized", 30, "GET", "/secret",
           headers=[("User-Agent", UA), ("X-Token", "nobody")])
    b.send("a user from the session wins over the request loader", 40, "GET", "/login?user=1")
    b.send("session user", 50, "GET", "/secret", headers=[("User-Agent", UA), ("X-Token", "boom")])
    b.send("a remember cookie wins over the request loader", 60, "GET", "/secret",
           headers=[("User-Agent", UA), ("X-Token", "boom")], cookie="remember_token=" + forged("2"))
    b.send("logout runs the loaders too (here: the 400)", 70, "GET", "/logout",
           headers=[("User-Agent", UA), ("X-Token", "boom")], cookie=None)


def login_disabled(b: Browser):
    b.send("LOGIN_DISABLED lets the anonymous user in", 0, "GET", "/secret")


def no_secret(b: Browser):
    b.send("no secret key: a null session is never saved, no Vary", 0, "GET", "/plain")
    b.send("anonymous", 10, "GET", "/whoami")
    b.send("login writes to the null session: a 500", 20, "GET", "/login?user=1")
    b.send("a remember cookie needs the key: a 500", 30, "GET", "/whoami", cookie="remember_token=1|abc")


def options_exempt(b: Browser):
    b.send("a route that lists OPTIONS: login_required lets OPTIONS through to the view", 0, "OPTIONS", "/opts")
    b.send("GET on it is checked", 10, "GET", "/opts")


def bad_cookie_setting(b: Browser):
    b.send("the hook raises while setting the remember cookie: a 500, and the session is still saved", 0, "GET",
           "/login?user=1&remember=1")
    b.send("without remember the hook has nothing to set", 10, "GET", "/whoami")


def seed_000(b: Browser):
    b.send("protected without a login: the handler's 'Unauthorized' (a 200)", 0, "GET", "/protected")
    b.send("the login form", 10, "GET", "/login")
    b.send("HEAD /login is not 'GET' to the view: the POST branch, a 400", 15, "HEAD", "/login")
    b.send("wrong password", 20, "POST", "/login", form={"email": "ninja@codingninjas.com", "password": "nope"})
    b.send("unknown email: students[email] raises KeyError, a 500", 30, "POST", "/login",
           form={"email": "who@example.com", "password": "ninja123"})
    b.send("no password field: a 400", 40, "POST", "/login", form={"email": "ninja@codingninjas.com"})
    b.send("no email field: a 400", 50, "POST", "/login", form={"password": "ninja123"})
    b.send("right password: logged in, redirect to /protected", 60, "POST", "/login",
           form={"email": "ninja@codingninjas.com", "password": "ninja123"})
    b.send("protected", 70, "GET", "/protected")
    b.send("another browser with the same cookie: basic protection marks it stale", 80, "GET", "/protected",
           headers=[("User-Agent", OTHER_UA)])
    b.send("logout", 90, "GET", "/logout")
    b.send("logged out", 100, "GET", "/protected")
    b.send("request_loader with a known email and the right password: assigning is_authenticated "
           "raises AttributeError, a 500", 110, "GET", "/protected",
           form={"email": "ninja@codingninjas.com", "password": "ninja123"})
    b.send("request_loader with a known email and a wrong password: the same 500", 120, "GET", "/protected",
           form={"email": "ninja@codingninjas.com", "password": "x"})
    b.send("request_loader with a known email and no password: KeyError first, a 400", 130, "GET",
           "/protected", form={"email": "ninja@codingninjas.com"})
    b.send("request_loader with an unknown email: None, so 'Unauthorized'", 140, "GET", "/protected",
           form={"email": "who@example.com"})
    b.send("a logged-in session wins: the request loader never runs", 150, "POST", "/login",
           form={"email": "ninja@codingninjas.com", "password": "ninja123"})
    b.send("protected, with a form the request loader would choke on", 160, "GET", "/protected",
           form={"email": "ninja@codingninjas.com"})
    b.send("logout with a form: logout_user loads the user from the session first", 170, "GET", "/logout",
           form={"email": "ninja@codingninjas.com"})
    b.send("logout when logged out runs the request loader (here: the 400)", 180, "GET", "/logout",
           form={"email": "ninja@codingninjas.com"})
    b.send("a remember cookie made with the app's key logs in (the tutorial never sets one)", 190, "GET",
           "/protected", cookie="remember_token=" + forged("ninja@codingninjas.com", "CODINGNINJAS"))
    b.send("logout with that cookie deletes it", 200, "GET", "/logout",
           cookie="remember_token=" + forged("ninja@codingninjas.com", "CODINGNINJAS"))


if __name__ == "__main__":
    print(
        f"// Generated by tests/flask_twins/gen_login_vectors.py with Flask {version('flask')}, "
        f"Flask-Login {version('flask-login')}, Werkzeug {version('werkzeug')}, "
        f"itsdangerous {version('itsdangerous')}.\n"
    )
    scenario("BASIC", Opts(), "basic(): defaults, session protection basic", basic)
    scenario("REMEMBER", Opts(), "remember(): the remember cookie", remember)
    scenario(
        "REMEMBER_CONFIG",
        Opts(config=(
            ("REMEMBER_COOKIE_NAME", "rt"),
            ("REMEMBER_COOKIE_DURATION", 3600),
            ("REMEMBER_COOKIE_DOMAIN", ".example.com"),
            ("REMEMBER_COOKIE_PATH", "/app"),
            ("REMEMBER_COOKIE_SECURE", True),
            ("REMEMBER_COOKIE_HTTPONLY", False),
            ("REMEMBER_COOKIE_SAMESITE", "lax"),
        )),
        "remember_config(): every REMEMBER_COOKIE_* key",
        remember_config,
    )
    scenario(
        "REFRESH_EACH_REQUEST",
        Opts(config=(("REMEMBER_COOKIE_REFRESH_EACH_REQUEST", True),)),
        "refresh_each_request()",
        refresh_each_request,
    )
    scenario("STRONG", Opts(config=(("SESSION_PROTECTION", "strong"),)), "strong()", strong)
    scenario("STRONG_BY_ATTRIBUTE", Opts(protection="strong"), "strong() via login_manager.session_protection",
             strong)
    scenario("PROTECTION_OFF", Opts(config=(("SESSION_PROTECTION", None),)), "protection_off(): config None",
             protection_off)
    scenario("PROTECTION_UNKNOWN", Opts(protection="paranoid"), "protection_off(): an unknown mode",
             protection_off)
    scenario("LOGIN_VIEW", Opts(login_view="/login"), "login_view()", login_view)
    scenario_view("LOGIN_VIEW_WITH_QUERY", "/login?lang=en&next=old&lang=fr&flag",
                  comment="a login_view with a query (next replaced in place)")
    scenario_view("LOGIN_VIEW_SAME_HOST", "http://localhost/login", comment="an absolute login_view on this host",
                  hosts=("LocalHost:80", "localhost:5000", "other.example"))
    scenario_view("LOGIN_VIEW_OTHER_HOST", "https://auth.example.com/login?x=1#frag",
                  comment="an absolute login_view on another host: next is the full URL")
    scenario_view("LOGIN_VIEW_FORCE_HOST", "/login", extra=(("FORCE_HOST_FOR_REDIRECTS", "example.com"),),
                  comment="FORCE_HOST_FOR_REDIRECTS")
    scenario("USE_SESSION_FOR_NEXT", Opts(login_view="/login", config=(("USE_SESSION_FOR_NEXT", True),)),
             "use_session_for_next()", use_session_for_next)
    scenario("NO_MESSAGE", Opts(login_view="/login", login_message=None), "no_message()", no_message)
    scenario("REFRESH_VIEW", Opts(login_view="/login", refresh_view="/reauth"), "refresh_view()", refresh_view)
    scenario("HANDLER", Opts(unauthorized_text="Unauthorized", request_loader=True), "handler()", handler)
    scenario("LOGIN_DISABLED", Opts(config=(("LOGIN_DISABLED", True),)), "login_disabled()", login_disabled)
    scenario("NO_SECRET", Opts(secret=None), "no_secret()", no_secret)
    scenario("OPTIONS_EXEMPT", Opts(), "options_exempt()", options_exempt)
    scenario("BAD_SAMESITE", Opts(config=(("REMEMBER_COOKIE_SAMESITE", "sometimes"),)),
             "bad_cookie_setting(): REMEMBER_COOKIE_SAMESITE 'sometimes' (ValueError)", bad_cookie_setting)
    scenario("BAD_DURATION", Opts(config=(("REMEMBER_COOKIE_DURATION", "a year"),)),
             "bad_cookie_setting(): REMEMBER_COOKIE_DURATION 'a year' (not a timedelta)", bad_cookie_setting)

    b = Browser(seed_000_login())
    seed_000(b)
    b.emit("SEED_000_LOGIN", None, "gen_login_vectors.py seed_000() on seed_000_login() (secret 'CODINGNINJAS')")
