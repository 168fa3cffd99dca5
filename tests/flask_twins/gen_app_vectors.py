"""Flask twins of src/server/apps/seed_001.rs and seed_003.rs, run with REAL Flask 3.1.3 under a
frozen clock. Prints the Rust step tables that tests/apps.rs pastes verbatim.

Run from the crate root:

    target/flask-venv/bin/python tests/flask_twins/gen_app_vectors.py

The clock: itsdangerous reads `time.time()` (cookie timestamp and max_age check) and Flask's
`get_expiration_time` reads `datetime.now(timezone.utc)` (Expires). Both are replaced by the same
fixed value, `CLOCK.now`, before each request.

The "browser": a tiny cookie jar that keeps the latest `session` value from `Set-Cookie` and
sends `Cookie: session=<value>`; a deletion cookie (empty value / Max-Age=0) removes it. It
deliberately does NOT drop the cookie when its Expires passes, so the server-side max_age check
can be observed (a client that ignores Expires, or a clock-skewed browser).

`Allow` comes from a Python set whose order depends on PYTHONHASHSEED, so it is printed sorted and
tests/apps.rs compares it as a set.
"""

from __future__ import annotations

import datetime as _dt
import types
from importlib.metadata import version

import flask.sessions
import itsdangerous.timed
from flask import Flask, redirect, request, session, url_for


class Clock:
    now = 0


itsdangerous.timed.time = types.SimpleNamespace(time=lambda: float(Clock.now))


class FrozenDatetime(_dt.datetime):
    @classmethod
    def now(cls, tz=None):  # noqa: D102 - Flask calls datetime.now(timezone.utc)
        return _dt.datetime.fromtimestamp(Clock.now, tz)


flask.sessions.datetime = FrozenDatetime

# seed_003::login_page(), byte for byte (our own page: the tutorial's template is not shown).
LOGIN_PAGE = (
    "<!doctype html>\n<html lang=en>\n<title>Login</title>\n<h1>Login</h1>\n"
    '<form action="#" method="post">\n<p>Name: <input type="text" name="nm"></p>\n'
    '<p><input type="submit" value="submit"></p>\n</form>\n'
)


def seed_001() -> Flask:
    app = Flask("seed_001")
    app.secret_key = "xyz"
    app.logger.disabled = True  # the 500s below log tracebacks; the wire is unchanged

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


def seed_003() -> Flask:
    app = Flask("seed_003")
    app.secret_key = "hello"
    app.logger.disabled = True
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
            return LOGIN_PAGE

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


def t0_expr(dt: int) -> str:
    """`T0`, `T0 + n` or `T0 - n` (no `T0 + 0`, which clippy flags)."""
    if dt == 0:
        return "T0"
    return f"T0 + {dt}" if dt > 0 else f"T0 - {-dt}"


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


class Browser:
    def __init__(self, app: Flask, name: str, t0: int):
        self.client = app.test_client(use_cookies=False)
        self.name = name
        self.t0 = t0
        self.jar: str | None = None
        self.steps: list[str] = []

    def send(self, label, dt, method, target, form=None, cookie="jar"):
        """cookie: "jar" (browser), None (no Cookie header), or a raw Cookie header value."""
        now = self.t0 + dt
        Clock.now = now
        headers = {}
        if cookie == "jar":
            if self.jar is not None:
                headers["Cookie"] = f"session={self.jar}"
            send = "Send::Jar"
        elif cookie is None:
            send = "Send::Nothing"
        else:
            headers["Cookie"] = cookie
            send = f"Send::Raw({rs(cookie)})"
        kwargs = {"method": method, "headers": headers}
        if form is not None:
            kwargs["data"] = form
        resp = self.client.open(target, **kwargs)
        hdrs = []
        for k, v in resp.headers.to_wsgi_list():
            if k == "Allow":
                v = ", ".join(sorted(x.strip() for x in v.split(",")))
            hdrs.append((k, v))
        for k, v in hdrs:
            if k == "Set-Cookie" and v.startswith("session="):
                value = v[len("session="):].split(";", 1)[0]
                if value == "" or "Max-Age=0" in v:
                    self.jar = None
                else:
                    self.jar = value
        body = resp.get_data(as_text=True)
        form_rs = ", ".join(f"({rs(k)}, {rs(v)})" for k, v in (form or {}).items())
        hdr_rs = "".join(f"\n            ({rs(k)}, {rs(v)})," for k, v in hdrs)
        self.steps.append(
            "    Step {\n"
            f"        label: {rs(label)},\n"
            f"        now: {t0_expr(dt)},\n"
            f"        method: {rs(method)},\n"
            f"        target: {rs(target)},\n"
            f"        form: &[{form_rs}],\n"
            f"        send: {send},\n"
            f"        status: {resp.status_code},\n"
            f"        headers: &[{hdr_rs}\n        ],\n"
            f"        body: {rs(body)},\n"
            "    },"
        )
        return resp

    def emit(self, const_name: str, comment: str):
        print(f"// {comment}")
        print(f"const {const_name}: &[Step] = &[")
        print("\n".join(self.steps))
        print("];\n")


def signed_raw(secret: str, payload: bytes, ts: int) -> str:
    """A session cookie signed correctly over an arbitrary (not necessarily JSON) payload."""
    import hashlib

    from itsdangerous import TimestampSigner
    from itsdangerous.encoding import base64_encode

    Clock.now = ts
    signer = TimestampSigner(secret, salt="cookie-session", key_derivation="hmac", digest_method=hashlib.sha1)
    return signer.sign(base64_encode(payload)).decode()


def tamper(value: str) -> str:
    """Flip the last signature character (still valid base64)."""
    last = value[-1]
    return value[:-1] + ("A" if last != "A" else "B")


T0 = 1_700_000_000


def run_seed_001():
    b = Browser(seed_001(), "seed-001", T0)
    b.send("getsession without a cookie: Vary only", 0, "GET", "/getsession")
    b.send("setsession sets the cookie", 0, "GET", "/setsession")
    set_value = b.jar
    b.send("getsession with the cookie: no Set-Cookie (not permanent)", 60, "GET", "/getsession")
    b.send("setsession again re-signs with the new timestamp", 120, "GET", "/setsession")
    b.send("popsession sends the deletion cookie", 180, "GET", "/popsession")
    b.send("getsession after pop", 181, "GET", "/getsession")
    b.send("popsession without a cookie: nothing was removed, Vary only", 182, "GET", "/popsession")
    # The first cookie (signed at T0) is still valid 31 days later, to the second...
    b.send("31 days old cookie is still accepted (age == max_age)", 2678400, "GET", "/getsession",
           cookie=f"session={set_value}")
    b.send("one second later it is expired", 2678401, "GET", "/getsession", cookie=f"session={set_value}")
    b.send("a cookie from one second in the future is rejected", -1, "GET", "/getsession",
           cookie=f"session={set_value}")
    b.send("tampered signature is treated as an empty session", 60, "GET", "/getsession",
           cookie=f"session={tamper(set_value)}")
    b.send("garbage cookie is treated as an empty session", 60, "GET", "/getsession",
           cookie="session=not-a-cookie")
    b.send("first of two session cookies wins", 60, "GET", "/getsession",
           cookie=f"session={set_value}; session=garbage")
    b.send("unknown path is a 404", 60, "GET", "/nope", cookie=f"session={set_value}")
    b.send("POST to a GET route is a 405", 60, "POST", "/setsession")
    b.send("HEAD runs the GET view with an empty body", 60, "HEAD", "/setsession", cookie=None)
    b.emit("SEED_001", "gen_app_vectors.py run_seed_001() (Flask 3.1.3, secret 'xyz', T0 = 1700000000)")
    return set_value


def run_seed_003(seed_001_cookie: str):
    b = Browser(seed_003(), "seed-003", T0)
    b.send("user without a cookie redirects to login", 0, "GET", "/user")
    b.send("login page", 0, "GET", "/login")
    b.send("login POST makes the session permanent and redirects", 10, "POST", "/login", form={"nm": "Alice"})
    login_cookie = b.jar
    b.send("user greets and re-signs (sliding expiry)", 20, "GET", "/user")
    b.send("200 s later the cookie is re-signed with a new timestamp and Expires", 220, "GET", "/user")
    b.send("exactly 300 s after the last refresh it is still accepted", 520, "GET", "/user")
    b.send("login GET with a session redirects to user", 530, "GET", "/login")
    b.send("the cookie from login (signed at +10) is expired at +311", 311, "GET", "/user",
           cookie=f"session={login_cookie}")
    b.send("301 s after the last refresh the cookie is rejected", 831, "GET", "/user")
    b.send("login again", 900, "POST", "/login", form={"nm": "Bob"})
    b.send("logout pops user but _permanent stays, so a cookie is still sent", 910, "GET", "/logout")
    b.send("user after logout redirects to login and refreshes {_permanent: true}", 920, "GET", "/user")
    b.send("login POST without nm is a 400 but session.permanent was already set", 930, "POST", "/login",
           form={}, cookie=None)
    b.send("hostile name: login", 1000, "POST", "/login", form={"nm": "<img src=x onerror=alert(1)>"}, cookie=None)
    b.send("hostile name is returned raw by the f-string", 1010, "GET", "/user")
    hostile = b.jar
    b.send("tampered cookie is treated as empty", 1020, "GET", "/user", cookie=f"session={tamper(hostile)}")
    b.send("a seed-001 cookie (other secret key) is rejected", 1020, "GET", "/user",
           cookie=f"session={seed_001_cookie}")
    b.send("unknown path is a 404 and still refreshes the permanent cookie", 1030, "GET", "/nope")
    b.send("POST /user is a 405 and still refreshes the permanent cookie", 1040, "POST", "/user")
    b.send("DELETE /login is a 405", 1050, "DELETE", "/login", cookie=None)
    b.send("OPTIONS /login answers with Allow", 1060, "OPTIONS", "/login", cookie=None)
    b.send("unicode name round trips", 1100, "POST", "/login", form={"nm": "Zoë ☃ 😀"}, cookie=None)
    b.send("unicode name greeting", 1110, "GET", "/user")
    b.emit("SEED_003", "gen_app_vectors.py run_seed_003() (Flask 3.1.3, secret 'hello', lifetime 300 s, T0 = 1700000000)")


def run_seed_001_cookie_headers(valid: str):
    """Odd `Cookie` headers (Werkzeug's parse_cookie), split in two tables: the ones Session Lab
    reads as Werkzeug does, and the ones where it does not (tests/apps.rs ignores that test and
    says why)."""
    b = Browser(seed_001(), "seed-001", T0)
    b.send("quoted value is unquoted", 60, "GET", "/getsession", cookie=f'session="{valid}"')
    b.send("spaces around = and ; are ignored", 60, "GET", "/getsession", cookie=f" session = {valid} ; other=1")
    b.send("session after another cookie", 60, "GET", "/getsession", cookie=f"other=1;session={valid}")
    b.send("trailing junk after a space drops the cookie", 60, "GET", "/getsession",
           cookie=f"session={valid} trailing")
    b.send("cookie names are case-sensitive", 60, "GET", "/getsession", cookie=f"Session={valid}")
    b.send("empty session value is no cookie", 60, "GET", "/getsession", cookie="session=; other=1")
    b.emit("SEED_001_COOKIE_HEADERS", "gen_app_vectors.py run_seed_001_cookie_headers() first table")

    b = Browser(seed_001(), "seed-001", T0)
    b.send("a value with a space is skipped, so the next session cookie is used", 60, "GET", "/getsession",
           cookie=f"session=not valid; session={valid}")
    b.send("an unbalanced quote is skipped, so the next session cookie is used", 60, "GET", "/getsession",
           cookie=f'session="unbalanced; session={valid}')
    b.send("a quoted value may hold ';' (not a cookie boundary)", 60, "GET", "/getsession",
           cookie=f'x="a;session=junk"; session={valid}')
    b.send("a tab inside a value skips it", 60, "GET", "/getsession",
           cookie=f"session=a\tb; session={valid}")
    b.emit("SEED_001_COOKIE_HEADER_MISMATCHES", "gen_app_vectors.py run_seed_001_cookie_headers() second table")


def run_seed_001_signed_payloads():
    """Correctly signed cookies (key "xyz") whose payload is not a JSON object. Flask passes the
    loaded value to `SecureCookieSession(data)`, i.e. `dict(data)`: what dict() accepts becomes a
    session, anything else is a 500 (logged, no cookie sent)."""
    b = Browser(seed_001(), "seed-001", T0)
    for label, payload in [
        ("not JSON at all: BadPayload, a 500", b"not json"),
        ("a JSON list of numbers: dict() fails, a 500", b"[1]"),
        ("a JSON number: dict() fails, a 500", b"1"),
        ("a JSON string of one character: dict() fails, a 500", b'"x"'),
    ]:
        b.send(label, 60, "GET", "/getsession", cookie=f"session={signed_raw('xyz', payload, T0)}")
    b.emit("SEED_001_SIGNED_PAYLOADS", "gen_app_vectors.py run_seed_001_signed_payloads() first table")

    b = Browser(seed_001(), "seed-001", T0)
    for label, payload in [
        ("JSON null: dict(None) is an empty session", b"null"),
        ("an empty JSON list: an empty session", b"[]"),
        ("a JSON list of pairs becomes the session", b'[["Username","Bob"]]'),
        ("an empty JSON string: an empty session", b'""'),
    ]:
        b.send(label, 60, "GET", "/getsession", cookie=f"session={signed_raw('xyz', payload, T0)}")
    b.emit("SEED_001_SIGNED_PAYLOAD_MISMATCHES", "gen_app_vectors.py run_seed_001_signed_payloads() second table")


if __name__ == "__main__":
    print(f"// Generated by tests/flask_twins/gen_app_vectors.py with Flask {version('flask')}, "
          f"Werkzeug {version('werkzeug')}, itsdangerous {version('itsdangerous')}.\n")
    c = run_seed_001()
    run_seed_003(c)
    run_seed_001_cookie_headers(c)
    run_seed_001_signed_payloads()
