#!/usr/bin/env python3
"""Differential interop test: real Flask 3.1.3 session cookies against `session-lab-cli`.

Run from the repository root, with the virtualenv that holds the real packages:

    cargo build --bin session-lab-cli
    target/flask-venv/bin/python tests/interop/flask_interop.py --cli target/debug/session-lab-cli

Flask (3.1.3, Werkzeug 3.1.9, itsdangerous 2.2.0) is the specification here: every check feeds
the same input to Flask and to the CLI and asserts that the CLI does what Flask does. Nothing is
compared against hard-coded expectations except the CLI's own contract (exit status 0/1/2, one
line on stderr, the reason words expired / future / signature / malformed).

Groups of checks:
  sessions    generated sessions both ways (Flask signs -> `verify`/`decode`; Flask's tagged JSON
              -> `sign` -> Flask loads; what `verify` printed -> `sign` = Flask's re-save on the
              next request), plus expired / future / max-age boundary / tampered / wrong key /
              signature padding bits for each
  floats      Python float repr against ours, through `sign`
  tagged      hand-written tagged JSON given to `sign` (escapes, odd numbers, odd tags, errors)
  raw         cookies signed by Flask's own signer around hand-made payloads and timestamps
              (base64 leniency, broken zlib, bad JSON, bad timestamps)
  garbage     strings that are not cookies
  rotation    SECRET_KEY_FALLBACKS
  crack       cookies Flask signs with a random key (ASCII, non-ASCII text, bytes that are not
              UTF-8, longer than a SHA-1 block) placed at a random line of a generated wordlist
              of 2,000 keys: `crack` prints exactly that key (bytes as Python's repr), and with
              the key taken out of the list exits 1 with the number of keys tried
  cli         argument errors

Everything is generated from a seeded random.Random, so a run is reproducible; --seed changes it.
The last line printed is always "N passed, M failed", and the exit status is 1 when M > 0.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import dataclasses
import datetime as dt
import gzip
import json
import math
import os
import random
import shlex
import string
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
import zlib
from typing import Any, Iterator

from flask import Flask
from itsdangerous import BadData, BadSignature, SignatureExpired, Signer
from markupsafe import Markup

# itsdangerous reads the frozen clock that flask_twins.py installs for every Flask run under
# tests/. A second mechanism here (patching time.time) would go dead, silently, in any process
# that also imports the twins, since flask_twins replaces itsdangerous's reference to `time`.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ next to the tests
from flask_twins import Clock  # noqa: E402

DEFAULT_MAX_AGE = 2_678_400  # PERMANENT_SESSION_LIFETIME (31 days) in seconds
TAG_KEYS = [" di", " t", " b", " m", " u", " d"]


# --------------------------------------------------------------------------------------------
# Bookkeeping
# --------------------------------------------------------------------------------------------


class Report:
    def __init__(self, detail_limit: int) -> None:
        self.passed = 0
        self.failed = 0
        # Details for the first failures only, so one systematic bug does not bury the rest.
        self.detail_limit = detail_limit

    def record(self, label: str, problems: list[str], repro: list[str] = ()) -> None:
        if not problems:
            self.passed += 1
            return
        self.failed += 1
        print(f"FAIL {label}")
        if self.failed <= self.detail_limit:
            for p in problems:
                print(f"    {p}")
            for r in repro:
                print(f"    repro: {r}")
        sys.stdout.flush()


def short(text: Any, limit: int = 400) -> str:
    s = repr(text)
    return s if len(s) <= limit else f"{s[:limit]}... ({len(s)} chars)"


@dataclasses.dataclass
class CliResult:
    argv: list[str]
    rc: int
    out: str
    err: str

    @property
    def repro(self) -> str:
        return shlex.join(["session-lab-cli", *self.argv])

    def describe(self) -> str:
        return f"exit {self.rc}, stdout {short(self.out)}, stderr {short(self.err)}"


class Cli:
    def __init__(self, path: str) -> None:
        self.path = path
        self.calls = 0

    def run(self, *argv: str) -> CliResult:
        self.calls += 1
        p = subprocess.run(
            [self.path, *argv],
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            timeout=30,
        )
        return CliResult(list(argv), p.returncode, p.stdout, p.stderr)

    def verify(self, cookie: str, secret: str, fallbacks=(), max_age=DEFAULT_MAX_AGE, now=0) -> CliResult:
        args = ["verify", "--secret", secret]
        for fb in fallbacks:
            args += ["--fallback", fb]
        # Leaving the flag out when it is the default also exercises the CLI's default.
        if max_age != DEFAULT_MAX_AGE:
            args += ["--max-age", str(max_age)]
        # "--" keeps a garbage cookie that starts with "-" from being read as an option.
        return self.run(*args, "--now", str(now), "--", cookie)

    def sign(self, session_json: str, secret: str, timestamp: int) -> CliResult:
        return self.run("sign", "--secret", secret, "--timestamp", str(timestamp), "--", session_json)


# --------------------------------------------------------------------------------------------
# The Flask side
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def frozen_clock(unix: int) -> Iterator[None]:
    """Sets the frozen clock, which itsdangerous reads (int(time.time())) to stamp and to check
    age, for the block.

    A fraction is added so Flask's flooring is exercised too; int() truncates towards zero,
    so it is only added to non-negative times.
    """
    before = Clock.now
    Clock.now = float(unix) + (0.75 if unix >= 0 else 0.0)
    try:
        yield
    finally:
        Clock.now = before


@dataclasses.dataclass
class Outcome:
    """What Flask's open_session would get from a cookie: a session, or an exception."""

    value: Any = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class FlaskSide:
    def __init__(self) -> None:
        self._apps: dict[tuple, tuple[Flask, Any]] = {}

    def app(self, secret: str, fallbacks=()) -> tuple[Flask, Any]:
        key = (secret, tuple(fallbacks))
        if key not in self._apps:
            app = Flask(__name__)
            app.secret_key = secret
            app.config["SECRET_KEY_FALLBACKS"] = list(fallbacks) or None
            with app.test_request_context():
                serializer = app.session_interface.get_signing_serializer(app)
            self._apps[key] = (app, serializer)
        return self._apps[key]

    def sign(self, value: dict, secret: str, ts: int, fallbacks=()) -> str:
        app, s = self.app(secret, fallbacks)
        # Inside a request context, as in a real request: the JSON provider then sorts keys.
        with frozen_clock(ts), app.test_request_context():
            return s.dumps(value)

    def sign_raw_body(self, body: str, secret: str) -> str:
        """Sign arbitrary text as "payload.timestamp" with Flask's own signer configuration.

        Signer.sign is the step TimestampSigner.sign runs after appending the timestamp, so
        calling it directly on Flask's signer lets the test choose the timestamp text too.
        """
        _, s = self.app(secret)
        return Signer.sign(s.make_signer(), body.encode("utf-8")).decode("utf-8")

    def open(self, cookie: str, secret: str, fallbacks=(), max_age=DEFAULT_MAX_AGE, now=0) -> Outcome:
        app, s = self.app(secret, fallbacks)
        with frozen_clock(now), app.test_request_context():
            try:
                data = s.loads(cookie, max_age=max_age)
                # open_session wraps the data in the session class (a dict), which is what
                # rejects a payload that is valid JSON but not an object.
                return Outcome(value=dict(app.session_interface.session_class(data)))
            except Exception as e:  # noqa: BLE001 - any failure is an outcome to compare
                return Outcome(error=e)

    def tagged_dumps(self, value: Any) -> str:
        app, _ = self.app("interop")
        with app.app_context():
            return app.session_interface.serializer.dumps(value)

    def tagged_loads(self, text: str) -> Any:
        app, _ = self.app("interop")
        with app.app_context():
            return app.session_interface.serializer.loads(text)

    def tag(self, value: Any) -> Any:
        app, _ = self.app("interop")
        with app.app_context():
            return app.session_interface.serializer.tag(value)


def canon(v: Any) -> Any:
    """A structure that is equal only for values of the same types, recursively.

    Python's == is too loose for this test: True == 1, 1.0 == 1, -0.0 == 0.0 and
    Markup("x") == "x" all hold. Floats compare by repr, which also makes NaN equal to itself.
    """
    if v is None:
        return ("None",)
    if isinstance(v, bool):
        return ("bool", v)
    if isinstance(v, int):
        return ("int", v)
    if isinstance(v, float):
        return ("float", repr(v))
    if isinstance(v, Markup):
        return ("Markup", str(v))
    if isinstance(v, str):
        return ("str", v)
    if isinstance(v, bytes):
        return ("bytes", v)
    if isinstance(v, tuple):
        return ("tuple", [canon(x) for x in v])
    if isinstance(v, list):
        return ("list", [canon(x) for x in v])
    if isinstance(v, dict):
        return ("dict", sorted((canon(k), canon(x)) for k, x in v.items()))
    if isinstance(v, dt.datetime):
        return ("datetime", v.isoformat(), v.utcoffset())
    if isinstance(v, uuid.UUID):
        return ("UUID", v.hex)
    return ("other", type(v).__name__, repr(v))


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def cookie_json(cookie: str) -> bytes:
    """The JSON bytes inside a cookie this test trusts to be well formed (inflated if needed)."""
    payload = cookie.rsplit(".", 2)[0]
    if payload.startswith("."):
        return zlib.decompress(b64url_decode(payload[1:]))
    return b64url_decode(payload)


def first_difference(flasks: bytes, ours: bytes, context: int = 40) -> str:
    """Where two texts part, with some context: whole payloads are too long to eyeball."""
    i = next((k for k, (a, b) in enumerate(zip(flasks, ours)) if a != b), min(len(flasks), len(ours)))
    lo = max(0, i - context)
    return (f"at byte {i}: Flask ...{flasks[lo:i + context]!r}..., "
            f"ours ...{ours[lo:i + context]!r}...")


# The zlib the engine reproduces byte for byte.
EXACT_ZLIB = zlib.ZLIB_RUNTIME_VERSION == "1.2.13"


def cookie_diff(ours: str, flasks: str) -> list[str]:
    """How our cookie for a session differs from Flask's.

    Uncompressed cookies are fully deterministic and must be byte-identical. Compressed ones
    depend on the zlib library Python links: the engine ports zlib 1.2.13 (what CPython 3.11
    on Debian 12 links), so with that zlib they must be byte-identical too. Another zlib (say
    a zlib-ng build) writes other, equally valid streams, and then only the decision to
    compress, the JSON inside and the timestamp must agree.
    """
    if ours == flasks:
        return []
    if flasks.startswith(".") and EXACT_ZLIB:
        return [f"compressed cookie differs from Flask's (zlib {zlib.ZLIB_RUNTIME_VERSION}): "
                f"Flask {short(flasks)}, ours {short(ours)}"]
    if not flasks.startswith("."):
        if ours.startswith("."):
            return [f"Flask did not compress but we did: Flask {short(flasks)}, ours {short(ours)}"]
        return [f"cookie differs: Flask {short(flasks)}, ours {short(ours)}",
                f"JSON differs {first_difference(cookie_json(flasks), cookie_json(ours))}"]
    problems = []
    if not ours.startswith("."):
        problems.append(f"Flask compressed but we did not: Flask {short(flasks)}, ours {short(ours)}")
    try:
        ours_json = cookie_json(ours)
    except Exception as e:  # noqa: BLE001
        return problems + [f"our cookie does not decode: {e!r}: {short(ours)}"]
    if ours_json != cookie_json(flasks):
        problems.append(f"JSON differs {first_difference(cookie_json(flasks), ours_json)}")
    if ours.rsplit(".", 2)[1] != flasks.rsplit(".", 2)[1]:
        problems.append(f"timestamp differs: Flask {flasks.rsplit('.', 2)[1]!r}, ours {ours.rsplit('.', 2)[1]!r}")
    return problems


# --------------------------------------------------------------------------------------------
# Expectations on CLI results
# --------------------------------------------------------------------------------------------


def one_line(text: str) -> bool:
    return text.endswith("\n") and text.count("\n") == 1


def expect_accept(F: FlaskSide, r: CliResult, expected: Any, expected_text: str | None = None) -> list[str]:
    """The CLI printed a session that Flask's TaggedJSONSerializer loads to `expected`."""
    if r.rc != 0 or not one_line(r.out):
        return [f"expected exit 0 with one line of JSON, got {r.describe()}"]
    text = r.out[:-1]
    problems = []
    try:
        got = F.tagged_loads(text)
    except Exception as e:  # noqa: BLE001
        return [f"Flask cannot load our JSON {short(text)}: {e!r}"]
    if canon(got) != canon(expected):
        problems.append(f"value differs: Flask {short(expected)}, ours {short(got)} from {short(text)}")
    # The CLI prints the cookie's own JSON text, so for a Flask cookie it is Flask's text.
    if expected_text is not None and text != expected_text:
        problems.append(f"printed text differs from the cookie's JSON: {short(expected_text)} vs {short(text)}")
    return problems


def expect_reject(r: CliResult, words: tuple[str, ...] | None) -> list[str]:
    """Exit 1, nothing on stdout, one line on stderr naming one of `words` (None: any reason)."""
    if r.rc != 1 or r.out or not one_line(r.err):
        return [f"expected exit 1 with one line on stderr, got {r.describe()}"]
    if words and not any(w in r.err.lower() for w in words):
        return [f"reason should mention {' or '.join(words)}: {r.err.strip()!r}"]
    return []


def reason_words(error: BaseException) -> tuple[str, ...] | None:
    """The words our reason must contain for the exception Flask raised."""
    if isinstance(error, SignatureExpired):
        return ("future",) if "< 0" in str(error) else ("expired",)
    if isinstance(error, BadSignature):
        return ("signature", "malformed")
    if isinstance(error, BadData):
        return ("malformed",)
    # Not an itsdangerous error (Flask would answer 500): any refusal will do.
    return None


def agree(F: FlaskSide, cli: Cli, rep: Report, label: str, cookie: str, secret: str,
          fallbacks=(), max_age=DEFAULT_MAX_AGE, now=0, require: str | None = None) -> Outcome:
    """`verify` must do what Flask's open_session does with the same cookie, keys and clock.

    `require` ("accept"/"reject") also pins Flask's own outcome, so a test that means to build
    a rejected cookie notices if it did not.
    """
    outcome = F.open(cookie, secret, fallbacks, max_age, now)
    r = cli.verify(cookie, secret, fallbacks, max_age, now)
    problems = []
    if require == "accept" and not outcome.ok:
        problems.append(f"test setup: Flask was meant to accept but raised {outcome.error!r}")
    if require == "reject" and outcome.ok:
        problems.append(f"test setup: Flask was meant to reject but accepted {short(outcome.value)}")
    if outcome.ok:
        problems += expect_accept(F, r, outcome.value)
    else:
        problems += [f"{p} (Flask raised {outcome.error!r})" for p in expect_reject(r, reason_words(outcome.error))]
    rep.record(label, problems, [r.repro, f"Flask: {outcome.value if outcome.ok else repr(outcome.error)}"])
    return outcome


# --------------------------------------------------------------------------------------------
# Value generation
# --------------------------------------------------------------------------------------------

ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
PUNCT = " !#$%&'()*+,-./:;<=>?@[]^_`{|}~\"\\"
CONTROL = "".join(map(chr, range(0x20))) + "\x7f\x80\x9f"
BMP = "éßøÆЖж日本語한\u00a0\u00ad\u2028\u2029\u200b\u200d\ufeff\ufffd\uffff\u0300\ud7ff\ue000"
ASTRAL = "😀🎉𝄞\U00010000\U0010ffff\U0001f9d1\U0001f3fd"
CHAR_POOLS = [(ASCII, 6), (PUNCT, 2), (CONTROL, 1), (BMP, 2), (ASTRAL, 1)]

FLOAT_SPECIALS = [
    0.0, -0.0, 0.1, -0.1, 0.5, 1.0, -1.0, 1.5, 1 / 3, 2 / 3, 0.1 + 0.2, 4.35, 100.0,
    1e-05, 1e-4, 0.001, 1e-07, 1.5e-05, 9.999999999999999e-05,
    1e15, 1e16, 1e16 - 2, 9999999999999998.0, 1e17, 1e21, 1e22, 1e23, 8.41e21, 1e100, 1e-100,
    123456789012345680.0, 9007199254740993.0, 2.0**53, 2.0**63, 2.0**64, -(2.0**63),
    # Exact decimal values that tie at 17 digits: Python's repr rounds these half to even.
    2.0**-25, -716086601602767.25, -33714033845255.8125,
    5e-324, -5e-324, 1e-323, 2.2250738585072014e-308, 2.225073858507201e-308, 5e-310,
    1.7976931348623157e308, -1.7976931348623157e308, 1.2345678901234568e17,
]

INT_SPECIALS = [
    0, 1, -1, 255, 2**31 - 1, -(2**31), 2**53 + 1, 2**63 - 1, 2**63, -(2**63), -(2**63) - 1,
    2**64, 2**64 - 1, 2**128, 10**20, 10**30, -(10**30), 10**100 + 7, -(3**300),
]

EDGE_YEARS = [1, 2, 50, 68, 69, 70, 99, 100, 999, 1000, 1899, 1900, 1969, 1970, 2000, 2038, 2106, 9999]
OFFSETS = [
    dt.timedelta(0), dt.timedelta(hours=2), dt.timedelta(hours=-5), dt.timedelta(hours=5, minutes=30),
    dt.timedelta(hours=-9, minutes=-30), dt.timedelta(hours=14), dt.timedelta(hours=-12),
    dt.timedelta(hours=5, minutes=45), dt.timedelta(hours=1, seconds=1), dt.timedelta(hours=23, minutes=59),
]


class HtmlThing:
    """Any object with __html__ is tagged as Markup; it comes back as Markup."""

    def __init__(self, html: str) -> None:
        self.html = html

    def __html__(self) -> str:
        return self.html


def random_float(rng: random.Random) -> float:
    r = rng.random()
    if r < 0.3:
        return rng.uniform(-1, 1) * 10.0 ** rng.randint(-300, 300)
    if r < 0.6:
        # Uniform over bit patterns: hits subnormals, huge and tiny exponents, all 17 digits.
        while True:
            f = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]
            if math.isfinite(f):
                return f
    if r < 0.8:
        return rng.randint(-(10**7), 10**7) / 10 ** rng.randint(0, 9)
    if r < 0.85:
        return float(rng.randint(-(2**70), 2**70))
    if r < 0.93:
        # Few fraction bits at 15-17 significant digits: the exact decimal value then often
        # ends in a 5 just past the 17th digit, where the shortest repr has to break a tie.
        return rng.choice([1, -1]) * (rng.randint(10**12, 10**16) + rng.randrange(1, 16) / 16)
    return math.ldexp(rng.choice([1.0, -1.0, 1.5, 1.0000000000000002]), rng.randint(-1074, 1023))


def random_datetime(rng: random.Random) -> dt.datetime:
    year = rng.choice(EDGE_YEARS) if rng.random() < 0.3 else rng.randint(1900, 2200)
    d = dt.datetime(
        year, rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59),
        rng.randint(0, 59), rng.choice([0, rng.randint(0, 999_999)]),
    )
    # An offset on years 1 and 9999 could push the UTC conversion out of datetime's range.
    if rng.random() < 0.5 and 1 < year < 9999:
        offset = rng.choice(OFFSETS)
        d = d.replace(tzinfo=dt.timezone.utc if not offset else dt.timezone(offset))
    elif rng.random() < 0.3:
        d = d.replace(tzinfo=dt.timezone.utc)
    return d


class Gen:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def text(self, max_len: int = 12) -> str:
        rng = self.rng
        pools, weights = zip(*CHAR_POOLS)
        return "".join(rng.choice(rng.choices(pools, weights)[0]) for _ in range(rng.randint(0, max_len)))

    def secret(self) -> str:
        rng = self.rng
        if rng.random() < 0.3:
            return rng.choice(["dev-secret", "k", "-starts-with-dash", "with space", "ключ🔑", "a" * 100])
        # Command-line arguments cannot hold NUL; any other character is fair.
        s = self.text(24).replace("\x00", "")
        return s or "x"

    def key(self) -> str:
        if self.rng.random() < 0.1:
            return self.rng.choice(TAG_KEYS + [" x", " ", "", "__", " t__", " di__", "_permanent"])
        return self.text(8)

    def scalar(self) -> Any:
        rng = self.rng
        kind = rng.choice(
            ["str", "str", "int", "float", "float", "bool", "none", "bytes", "datetime", "uuid", "markup"]
        )
        if kind == "str":
            return self.text()
        if kind == "int":
            r = rng.random()
            if r < 0.3:
                return rng.choice(INT_SPECIALS)
            if r < 0.6:
                return rng.randint(-1000, 1000)
            return rng.choice([1, -1]) * rng.getrandbits(rng.randint(1, 200))
        if kind == "float":
            return rng.choice(FLOAT_SPECIALS) if rng.random() < 0.4 else random_float(rng)
        if kind == "bool":
            return rng.choice([True, False])
        if kind == "none":
            return None
        if kind == "bytes":
            return rng.randbytes(rng.randint(0, 24))
        if kind == "datetime":
            return random_datetime(rng)
        if kind == "uuid":
            return uuid.UUID(int=rng.getrandbits(128))
        markup = self.text() + rng.choice(["", "<b>x</b>", "&amp;", "<script>'\"</script>"])
        return Markup(markup) if rng.random() < 0.8 else HtmlThing(markup)

    def value(self, depth: int) -> Any:
        rng = self.rng
        if depth <= 0 or rng.random() < 0.55:
            return self.scalar()
        kind = rng.choice(["dict", "list", "tuple", "tag-dict"])
        n = rng.randint(0, 4)
        if kind == "dict":
            return {self.key(): self.value(depth - 1) for _ in range(n)}
        if kind == "list":
            return [self.value(depth - 1) for _ in range(n)]
        if kind == "tuple":
            return tuple(self.value(depth - 1) for _ in range(n))
        # A dict whose only key is a tag key: Flask escapes it as {" di": {"<key>__": ...}}.
        return {rng.choice(TAG_KEYS): self.value(depth - 1)}

    def large(self) -> dict:
        """A session big enough to be worth compressing (the cookie then starts with ".")."""
        rng = self.rng
        return rng.choice([
            lambda: {"blob": "a" * rng.randint(20, 5000)},
            lambda: {"rows": [{"id": i, "name": self.text(6), "ok": i % 2 == 0} for i in range(rng.randint(10, 200))]},
            lambda: {"text": self.text(30) * rng.randint(5, 100), "n": rng.randint(0, 10**9)},
            lambda: {"_flashes": [("message", "Saved " + self.text(10)) for _ in range(rng.randint(3, 60))]},
            lambda: {"bytes": bytes(rng.randint(0, 3) for _ in range(rng.randint(50, 2000)))},
            lambda: {"big": 10**4299},  # 4300 digits: Python's default limit for str(int)
            lambda: {"floats": [random_float(rng) for _ in range(rng.randint(20, 100))]},
        ])()

    def session(self) -> dict:
        rng = self.rng
        r = rng.random()
        if r < 0.08:
            return self.large()
        if r < 0.15:
            # A whole session that is one tag key, escaped at the top level.
            return {rng.choice(TAG_KEYS): self.value(2)}
        s = {self.key(): self.value(3) for _ in range(rng.randint(0, 6))}
        if rng.random() < 0.3:
            s.update({"_permanent": True, "_user_id": str(rng.randint(1, 999)), "_fresh": rng.random() < 0.5})
        if rng.random() < 0.2:
            s["_flashes"] = [("message", self.text()), ("error", self.text())]
        return s


HANDPICKED_SESSIONS: list[dict] = [
    {},
    {"user_name": "Admin"},
    {"b": 1, "a": 2},
    {"name": "Zoë ☃ 日本"},
    {"emoji": "😀"},
    {"t": (1, 2, "x")},
    {"e": ()},
    {"b": b"\x00\xffhi"},
    {"m": Markup("<b>x</b>")},
    {"u": uuid.UUID("12345678-1234-5678-1234-567812345678")},
    {"d": dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)},
    {"d": dt.datetime(2024, 1, 2, 5, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=2)))},
    {"d": dt.datetime(2024, 1, 2, 3, 4, 5, 678)},
    {"x": {" t": "a"}},
    {" t": 1},
    {"x": {" t": "a", "y": 1}},
    {"x": {" di": {" t": 1}}},
    {"l": [1, (2, 3), [b"a"]]},
    {"_flashes": [("message", "Hello")]},
    {"f": 1.5, "n": None, "t": True, "i": 10**20},
    {"s": 'a"b\\c/\n\u2028<>&'},
    {"nested": {"z": 1, "a": {"y": 2, "b": 3}}},
    {"_permanent": True},
    {"k": "a" * 11},  # 19 bytes of JSON -> 18 compressed: stays plain
    {"k": "a" * 12},  # 20 -> 18: compressed
    {" x": 1},  # unknown tag key: stays a plain dict
    {"": "", " ": " "},
    {"ctl": "".join(map(chr, range(0x20))) + "\x7f"},
    {"astral": "\U00010000\U0010ffff😀"},
    {"deep": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]},
    {"f": [-0.0, 0.0, 1e-05, 1e16, 0.1, 1e22, 5e-324, 1.7976931348623157e308]},
    {"i": [10**30, -(10**30), 2**64, -(2**63) - 1]},
    {"years": [dt.datetime(y, 2, 3, 4, 5, 6) for y in EDGE_YEARS]},
    {"html": HtmlThing("<i>hi</i>")},
    {"empty": [{}, [], (), b"", "", Markup("")]},
]


# --------------------------------------------------------------------------------------------
# Check groups
# --------------------------------------------------------------------------------------------


def json_variants(F: FlaskSide, value: dict) -> dict[str, str]:
    """Other spellings of the same tagged JSON: `sign` takes any valid text ("any key order")."""
    tagged = F.tag(value)
    return {
        "insertion-order": json.dumps(tagged, separators=(",", ":")),
        "spaced": json.dumps(tagged),
        "raw-utf8": json.dumps(tagged, ensure_ascii=False, separators=(",", ":")),
        "indented": json.dumps(tagged, indent=1, ensure_ascii=False),
    }


def tamper(rng: random.Random, cookie: str) -> str:
    """Change one character to another base64url character.

    The last signature character is never picked: 27 characters carry 162 bits for a 160-bit
    MAC, and changing only its two spare bits leaves the decoded signature the same (that case
    has its own check, "signature padding bits").
    """
    i = rng.randrange(len(cookie) - 1)
    alphabet = ASCII + "-_"
    return cookie[:i] + rng.choice([c for c in alphabet if c != cookie[i]]) + cookie[i + 1:]


def flip_spare_bits(cookie: str) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(cookie[-1])
    return cookie[:-1] + alphabet[last ^ 0b11]


def check_session(F: FlaskSide, cli: Cli, rep: Report, rng: random.Random, name: str,
                  value: dict, secret: str, ts: int, max_age: int) -> None:
    flask_cookie = F.sign(value, secret, ts)
    own = F.open(flask_cookie, secret, max_age=max_age, now=ts)
    if not own.ok:
        rep.record(f"{name}: Flask reads its own cookie", [f"Flask raised {own.error!r}"], [flask_cookie])
        return
    # Flask's own round trip is the reference (naive datetimes become aware UTC, etc.).
    expected = own.value
    flask_json = cookie_json(flask_cookie).decode("ascii")
    about = f"Flask cookie {short(flask_cookie, 2000)} (secret {secret!r}, timestamp {ts}, max-age {max_age})"

    # Direction 1: Flask signs, we read.
    r = cli.verify(flask_cookie, secret, max_age=max_age, now=ts)
    rep.record(f"{name}: verify Flask's cookie", expect_accept(F, r, expected, flask_json), [r.repro, about])
    if r.rc == 0:
        # The next request: Flask re-saves what it loaded (not what was first stored, e.g. a
        # naive datetime is aware by now), with a new timestamp. Signing the JSON our verify
        # printed must give that same cookie, which is only true if we read values as Flask does.
        later = ts + rng.randint(0, 10**6)
        resaved = F.sign(expected, secret, later)
        r2 = cli.sign(r.out.strip(), secret, later)
        problems = [f"expected exit 0, got {r2.describe()}"] if r2.rc != 0 else cookie_diff(r2.out.strip(), resaved)
        rep.record(f"{name}: re-sign what we read", problems, [r.repro, r2.repro, f"Flask re-saves {resaved}"])
    r = cli.run("decode", flask_cookie)
    rep.record(f"{name}: decode Flask's cookie", expect_accept(F, r, expected, flask_json), [r.repro, about])

    # Direction 2: we sign Flask's tagged JSON, Flask reads. `sign` answers "what would Flask
    # set for the session this JSON describes", i.e. Flask loading the JSON and saving it. That
    # is Flask's own cookie except where Flask's load is lossy (years below 100 come back as
    # 19xx/20xx), so the reference cookie is made from what Flask loads.
    tagged = F.tagged_dumps(value)
    reference = F.sign(F.tagged_loads(tagged), secret, ts)
    r = cli.sign(tagged, secret, ts)
    if r.rc != 0 or not one_line(r.out):
        rep.record(f"{name}: sign", [f"expected exit 0 and a cookie, got {r.describe()}"], [r.repro, about])
    else:
        ours = r.out.strip()
        back = F.open(ours, secret, max_age=max_age, now=ts)
        problems = [f"Flask rejects our cookie {short(ours)}: {back.error!r}"] if not back.ok else []
        if back.ok and canon(back.value) != canon(expected):
            problems.append(f"Flask reads {short(back.value)} from our cookie, expected {short(expected)}")
        rep.record(f"{name}: Flask accepts our cookie", problems, [r.repro, about])
        rep.record(f"{name}: our cookie matches Flask's", cookie_diff(ours, reference), [r.repro, about])

    # Another spelling of the same JSON must give the same cookie.
    variant, text = rng.choice(sorted(json_variants(F, value).items()))
    r = cli.sign(text, secret, ts)
    problems = [f"expected exit 0, got {r.describe()}"] if r.rc != 0 else cookie_diff(r.out.strip(), reference)
    rep.record(f"{name}: sign {variant} JSON", problems, [r.repro, about])

    # Rejections and the boundary, each judged against Flask with the same clock.
    agree(F, cli, rep, f"{name}: expired", flask_cookie, secret, max_age=max_age,
          now=ts + max_age + 1, require="reject")
    agree(F, cli, rep, f"{name}: future", flask_cookie, secret, max_age=max_age, now=ts - 1, require="reject")
    agree(F, cli, rep, f"{name}: age == max-age", flask_cookie, secret, max_age=max_age,
          now=ts + max_age, require="accept")
    agree(F, cli, rep, f"{name}: tampered", tamper(rng, flask_cookie), secret, max_age=max_age,
          now=ts, require="reject")
    agree(F, cli, rep, f"{name}: wrong key", flask_cookie, secret + "!", max_age=max_age, now=ts, require="reject")
    # Python's base64 decoder ignores the spare bits, so Flask accepts this; so must we.
    agree(F, cli, rep, f"{name}: signature padding bits", flip_spare_bits(flask_cookie), secret,
          max_age=max_age, now=ts)


def random_timestamp(rng: random.Random) -> int:
    if rng.random() < 0.2:
        # 253402300799 is 9999-12-31 23:59:59: itsdangerous turns the timestamp into a datetime
        # on every read, so Flask cannot read anything later (see run_raw).
        return rng.choice([0, 1, 255, 256, 65535, 65536, 1_700_000_000, 2**31 - 1, 2**31, 2**32 - 1, 2**32,
                           253_402_300_799])
    return rng.randint(1_000_000_000, 2_000_000_000)


def run_sessions(F, cli, rep, rng, count: int) -> None:
    gen = Gen(rng)
    cases = [(f"handpicked#{i}", v) for i, v in enumerate(HANDPICKED_SESSIONS)]
    cases += [(f"random#{i}", gen.session()) for i in range(count)]
    for name, value in cases:
        secret = gen.secret()
        ts = random_timestamp(rng)
        max_age = DEFAULT_MAX_AGE if rng.random() < 0.7 else rng.choice([0, 1, 59, 3600, 10**9])
        check_session(F, cli, rep, rng, name, value, secret, ts, max_age)


def run_floats(F, cli, rep, rng, count: int) -> None:
    """Python's float repr against ours: `sign` must reproduce Flask's JSON byte for byte."""
    # Batches of one give short, uncompressed cookies (compared whole); larger batches
    # compress, and then the JSON inside is compared.
    batches = [[random_float(rng) for _ in range(rng.choice([1, 1, 2, 5, 12, 40]))] for _ in range(count)]
    # Every power of two, in both signs: exact binary fractions, subnormals and the extremes.
    powers = [math.ldexp(rng.choice([1.0, -1.0]), e) for e in range(-1074, 1024)]
    batches += [powers[i:i + 50] for i in range(0, len(powers), 50)]
    for i, floats in enumerate(batches):
        value = {"f": floats}
        secret, ts = "float-secret", 1_700_000_000 + i
        flask_cookie = F.sign(value, secret, ts)
        r = cli.sign(F.tagged_dumps(value), secret, ts)
        if r.rc != 0:
            rep.record(f"float#{i}", [f"expected exit 0, got {r.describe()}"], [r.repro])
            continue
        problems = cookie_diff(r.out.strip(), flask_cookie)
        if problems:
            # Point at the exact numbers: compare the literals in both JSON texts.
            try:
                ours = json.loads(cookie_json(r.out.strip()), parse_float=str)["f"]
                for f, got in zip(floats, ours):
                    if got != repr(f):
                        problems.append(f"float {f.hex()}: Python repr {f!r}, ours {got}")
            except Exception as e:  # noqa: BLE001
                problems.append(f"could not itemise: {e!r}")
        rep.record(f"float#{i}", problems, [r.repro, f"Flask cookie {flask_cookie}"])


# Hand-written tagged JSON for `sign`. Flask's reference: TaggedJSONSerializer.loads(text), made
# a session, signed by Flask; when any of that raises, `sign` must refuse (exit 1).
HANDWRITTEN_JSON = [
    '{}', ' {"a" : 1 } ', '{\n"b":1,\n"a":2\n}', '{"a":1,"a":2}', '{"a":{"z":1},"a":{"y":2}}',
    '{"x":{" t":"ab"}}', '{"x":{" t":{"k":1,"j":2}}}', '{"x":{" t":{" b":"YWI="}}}',
    '{"x":{" m":5}}', '{"x":{" m":1.5}}', '{"x":{" m":true}}', '{"x":{" m":null}}', '{"x":{" m":"<p>"}}',
    '{"x":{" b":"YQ=="}}', '{"x":{" b":"YQ"}}', '{"x":{" b":"Y!Q=="}}', '{"x":{" b":"-_-_"}}', '{"x":{" b":""}}',
    '{"x":{" u":"{12345678-1234-5678-1234-567812345678}"}}',
    '{"x":{" u":"urn:uuid:12345678-1234-5678-1234-567812345678"}}',
    '{"x":{" u":"12345678123456781234567812345678"}}', '{"x":{" u":"ABCDEF12345678123456781234567812"}}',
    '{"x":{" u":"nope"}}', '{"x":{" u":5}}',
    '{"x":{" d":"Tue, 02 Jan 2024 03:04:05 GMT"}}', '{"x":{" d":"Tue, 02 Jan 2024 03:04:05 +0200"}}',
    '{"x":{" d":"02 Jan 24 03:04:05 GMT"}}', '{"x":{" d":"2024-01-02"}}', '{"x":{" d":null}}',
    '{"x":{" d":"Mon, 01 Jan 0050 00:00:00 GMT"}}',
    '{"x":{" di":{"k__":1}}}', '{"x":{" di":{"b__":1,"a__":2}}}', '{"x":{" di":{"a":1}}}', '{"x":{" di":{}}}', '{"x":{" di":5}}',
    '{"x":{" x":1}}', '{"x":{" t":[1]," b":"YQ=="}}', '{" di":{" t__":{" t":[1]}}}',
    '{"n":1E5}', '{"n":1e400}', '{"n":-1e400}', '{"n":NaN}', '{"n":Infinity}', '{"n":-Infinity}',
    '{"n":-0}', '{"n":-0.0}', '{"n":0.000}', '{"n":1.0e-7}', '{"n":123456789012345678901234567890}',
    '{"n":0.1000000000000000055511151231257827}', '{"n":2.4703282292062328e-324}',
    '{"n":2.4703282292062327e-324}', '{"n":1.00000000000000011102230246251565404236316680908203125}',
    '{"n":1.00000000000000011102230246251565404236316680908203126}', '{"n":9007199254740993}',
    '{"n":1' + "0" * 4299 + '}', '{"n":1' + "0" * 4300 + '}',
    '{"s":"\\ud83d\\ude00"}', '{"s":"\\uD83D\\uDE00"}', '{"s":"raw ünïcode 😀 \u2028"}', '{"s":"\\/\\b\\f"}',
    '{"s":"\x7f"}', '{"s":"\\u0000"}',
    '[1,2]', '"s"', 'null', '3', '{"a":1', '{"a":1}x', '', ' ', '\ufeff{}', '{"a":[1,2,]}', "{'a':1}",
    '{"a":01}', '{"a":1.}', '{"a":.5}', '{"a":+1}', '{"a":"\t"}', '{"a":"\\x"}', '{"a":"\\u12"}', '{a:1}',
    '{"a":true,}', '{"a":tru}', '{"a":1}\n', '\n{"a":1}',
]


def run_handwritten(F, cli, rep) -> None:
    secret, ts = "hand-secret", 1_700_000_000
    for i, text in enumerate(HANDWRITTEN_JSON):
        try:
            value = F.tagged_loads(text)
            # save_session only ever signs dict(session), so any other top-level value is not a
            # session to sign (unlike reading, see "raw payload: json null").
            if type(value) is not dict:
                raise TypeError(f"not a session: {type(value).__name__}")
            flask_cookie = F.sign(value, secret, ts)
            flask_error = None
        except Exception as e:  # noqa: BLE001
            flask_cookie, flask_error = None, e
        r = cli.sign(text, secret, ts)
        if flask_error is not None:
            problems = [f"{p} (Flask raised {flask_error!r})" for p in expect_reject(r, None)]
        elif r.rc != 0:
            problems = [f"Flask signs it as {short(flask_cookie)}, we give {r.describe()}"]
        else:
            problems = cookie_diff(r.out.strip(), flask_cookie)
        rep.record(f"tagged#{i} {short(text, 60)}", problems,
                   [r.repro, f"Flask: {flask_cookie if flask_error is None else repr(flask_error)}"])


def run_raw(F, cli, rep) -> None:
    """Cookies whose payload or timestamp text Flask itself never writes, signed with the right key.

    The signature is valid, so these reach the lenient base64 decoding, the inflater, the JSON
    parser and the timestamp decoder; the verdicts must be Flask's.
    """
    secret, now, max_age = "raw-secret", 1_700_000_000, 10**10  # ts 0 is then still young enough
    b64 = lambda b: base64.urlsafe_b64encode(b).decode().rstrip("=")  # noqa: E731
    ok_json = b'{"a":1,"b":[true,null]}'
    ok = b64(ok_json)
    z = zlib.compress(ok_json)
    deep = lambda n: b64(b'{"a":' + b"[" * n + b"]" * n + b"}")  # noqa: E731
    payloads = {
        "plain": ok,
        "padding kept": b64(ok_json) + "=" * (-len(ok) % 4),
        "extra padding": ok + "====",
        "junk chars": ok[:4] + "!!" + ok[4:],
        "space inside": ok[:4] + " " + ok[4:],
        "non-ascii inside": ok[:4] + "é😀" + ok[4:],
        "dot inside": ok[:4] + "." + ok[4:],
        "standard alphabet": base64.b64encode(b'{"k":"\xff\xfe?>"}').decode(),
        "compressed": "." + b64(z),
        "double dot": ".." + b64(z),
        "compressed flag on plain data": "." + ok,
        "zlib with trailing junk": "." + b64(z + b"junk"),
        "truncated zlib": "." + b64(z[:-3]),
        "raw deflate": "." + b64(z[2:-4]),  # the zlib stream without its header and Adler-32
        "gzip": "." + b64(gzip.compress(ok_json)),
        "zlib level 9": "." + b64(zlib.compress(ok_json * 5, 9)),
        "empty": "",
        "not utf-8": b64(b'{"a":"\xff"}'),
        "utf-8 json": b64('{"a":"é😀"}'.encode()),
        "lone surrogate escape": b64(b'{"a":"\\ud800"}'),
        "not json": b64(b"not json"),
        "json list": b64(b"[1,2]"),
        "json null": b64(b"null"),
        "NaN": b64(b'{"a":NaN,"b":-Infinity}'),
        "duplicate keys": b64(b'{"a":1,"a":2}'),
        "whitespace": b64(b' \n{"a" :\t1}\r\n'),
        "BOM": b64(b'\xef\xbb\xbf{"a":1}'),
        "bad tag content": b64(b'{"a":{" u":"zz"}}'),
        # Flask writes at most ~330 levels (tag() recursion) and reads ~495, but both limits
        # come from Python's recursion limit and the caller's stack, so depths between our
        # limit (400) and Flask's are no fixed property of Flask and are left out.
        "deep nesting 120": deep(120),
        "deep nesting 330": deep(330),
        "deep nesting 1000": deep(1000),
    }
    # itsdangerous adds the "=" padding from the length of the raw *bytes* and only then lets
    # the decoder drop characters outside the alphabet, so junk (ASCII or the UTF-8 bytes of
    # non-ASCII text) can make the padding wrong. Payload lengths 20..23 give every length mod 4.
    for n in range(20, 24):
        plain = b64(b'{"k":"' + b"x" * (n - 8) + b'"}')
        for junk in ["!", "!!", "!!!", "é", "😀", "=", "é!"]:
            payloads[f"{len(plain) % 4} mod 4 + junk {junk!r}"] = plain[:5] + junk + plain[5:]
    ts_ok = base64.urlsafe_b64encode(struct.pack(">Q", now)).decode().lstrip("A").rstrip("=")
    for name, payload in payloads.items():
        cookie = F.sign_raw_body(f"{payload}.{ts_ok}", secret)
        agree(F, cli, rep, f"raw payload: {name}", cookie, secret, max_age=max_age, now=now)
    timestamps = {
        "empty (0)": "", "junk only": "!!", "padded": ts_ok + "==", "leading zero bytes": "AAAA" + ts_ok,
        "nine bytes": "AQAAAAAAAAAA", "one char": "Z", "eight zero bytes": "AAAAAAAAAAA",
        "all ones": "__________8", "non-ascii": ts_ok[:2] + "é" + ts_ok[2:], "dot only": ".",
        "junk": ts_ok[:2] + "!" + ts_ok[2:], "two junk": ts_ok[:2] + "!!" + ts_ok[2:],
    }
    for name, ts_text in timestamps.items():
        cookie = F.sign_raw_body(f"{ok}.{ts_text}", secret)
        agree(F, cli, rep, f"raw timestamp: {name}", cookie, secret, max_age=max_age, now=now)
    # itsdangerous makes a datetime of every timestamp it reads (TimedSerializer.loads asks for
    # it), so a timestamp past 9999-12-31 makes Flask raise ValueError (a 500), even with a
    # valid signature and a matching clock. Our verify must at least refuse it.
    for ts in [253_402_300_799, 253_402_300_800, 2**40, 2**63 - 1]:
        cookie = F.sign({"a": 1}, secret, ts)
        agree(F, cli, rep, f"raw timestamp: {ts}", cookie, secret, now=ts)
    # Lenient signature decoding: Flask accepts these, because the MAC is checked on the
    # decoded bytes and the decoder forgives padding and junk.
    real = F.sign({"user": "x"}, secret, now)
    body, sig = real.rsplit(".", 1)
    for name, bent in {
        "padding": f"{real}=", "double padding": f"{real}==", "junk in signature": f"{body}.{sig[:3]}!{sig[3:]}",
        "non-ascii in signature": f"{body}.{sig[:3]}é{sig[3:]}", "padding inside": f"{body}.{sig[:4]}={sig[4:]}",
        "standard alphabet": f"{body}.{sig.replace('-', '+').replace('_', '/')}",
    }.items():
        agree(F, cli, rep, f"raw signature: {name}", bent, secret, now=now)
    # No timestamp at all: a validly signed body with no "." left for it.
    agree(F, cli, rep, "raw: no timestamp", F.sign_raw_body(ok, secret), secret, max_age=max_age,
          now=now, require="reject")


def run_garbage(F, cli, rep, rng) -> None:
    gen = Gen(rng)
    real = F.sign({"user": "x"}, "garbage-secret", 1_700_000_000)
    other = F.sign({"a": [1, 2, 3], "b": "y" * 40}, "garbage-secret", 1_700_000_001)
    samples = [
        "", ".", "..", "...", "....", "abc", "a.b", "a.b.c", ".a.b.c", "-", "--x", "=", "😀.😀.😀",
        real.rsplit(".", 1)[0], real + ".", real + ".extra", "." + real, real[:-5], real[:10],
        real.replace(".", ""), real.replace(".", "..", 1),
        real.rsplit(".", 1)[0] + "." + other.rsplit(".", 1)[1],  # signature from another cookie
        other.rsplit(".", 2)[0] + "." + real.split(".", 1)[1],  # payload swapped in
        real.rsplit(".", 1)[0] + ".!!!!", real.rsplit(".", 1)[0] + ".",
    ]
    for _ in range(40):
        kind = rng.random()
        if kind < 0.4:
            samples.append(gen.text(60).replace("\x00", ""))
        else:
            samples.append(".".join(
                "".join(rng.choice(ASCII + "-_") for _ in range(rng.randint(0, 30)))
                for _ in range(rng.randint(1, 5))
            ))
    for i, cookie in enumerate(samples):
        agree(F, cli, rep, f"garbage#{i} {short(cookie, 50)}", cookie, "garbage-secret",
              now=1_700_000_000, require="reject")


def run_rotation(F, cli, rep, rng, count: int) -> None:
    gen = Gen(rng)
    for i in range(count):
        value = {gen.key(): gen.value(2) for _ in range(rng.randint(0, 3))}
        old, new, a, b = (f"{tag}-{gen.secret()}" for tag in ("old", "new", "other", "another"))
        ts = random_timestamp(rng)
        cookie = F.sign(value, old, ts)
        name = f"rotation#{i}"
        agree(F, cli, rep, f"{name}: old key as fallback", cookie, new, [old], now=ts, require="accept")
        agree(F, cli, rep, f"{name}: old key among fallbacks", cookie, new, [a, old, b], now=ts, require="accept")
        agree(F, cli, rep, f"{name}: no fallback", cookie, new, [], now=ts, require="reject")
        agree(F, cli, rep, f"{name}: other fallbacks", cookie, new, [a, b], now=ts, require="reject")
        # With fallbacks configured Flask still signs with SECRET_KEY (the 3.1.0 bug signed with
        # the last fallback); `sign --secret new` must give that cookie.
        # As in check_session, the reference is what Flask saves after loading the JSON.
        tagged = F.tagged_dumps(value)
        flask_cookie = F.sign(F.tagged_loads(tagged), new, ts, fallbacks=[a, old])
        r = cli.sign(tagged, new, ts)
        problems = [f"expected exit 0, got {r.describe()}"] if r.rc != 0 else cookie_diff(r.out.strip(), flask_cookie)
        rep.record(f"{name}: signs with SECRET_KEY", problems, [r.repro, f"Flask {flask_cookie}"])
        agree(F, cli, rep, f"{name}: new cookie, old key only", flask_cookie, old, now=ts, require="reject")


CRACK_ALPHABET = string.ascii_letters + string.digits + " !#$%&()*+,-./:;<=>?@[]^_{|}~'\"\\"


def crack_key(rng: random.Random, length: int | None = None) -> str:
    return "".join(rng.choice(CRACK_ALPHABET) for _ in range(length or rng.randint(6, 40)))


def alnum_key(rng: random.Random) -> bytes:
    return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(12)).encode()


def run_crack(F, cli, rep, rng) -> None:
    size = 2_000
    # (SECRET_KEY as Flask is given it, its line in the list, line ending, --threads)
    cases = [
        (crack_key(rng), 0, "\n", 1),
        (crack_key(rng), size - 1, "\r\n", 1),
        (f"clé-secrète-{crack_key(rng)}-ключ🔑", rng.randrange(1, size - 1), "\n", 1),
        ("\xe9t\xe9-".encode("latin-1") + crack_key(rng).encode(), rng.randrange(1, size - 1), "\r\n", 2),
        (crack_key(rng), rng.randrange(1, size - 1), "\n", 4),
        (crack_key(rng, 100), rng.randrange(1, size - 1), "\n", 1),  # longer than a block
        # Bytes whose repr picks double quotes, then one with every kind of escape.
        (b"it's-\xff-" + alnum_key(rng), rng.randrange(1, size - 1), "\n", 1),
        (b"both'\"-\\-\t\x00\x7f\x80-" + alnum_key(rng), rng.randrange(1, size - 1), "\n", 2),
    ]
    with tempfile.TemporaryDirectory(prefix="flask-interop-crack-") as tmp:
        for i, (key, at, ending, threads) in enumerate(cases):
            key_bytes = key if isinstance(key, bytes) else key.encode()
            # Text keys are printed as text, other bytes as Python's repr.
            expected = repr(key) if isinstance(key, bytes) else key
            others: list[bytes] = []
            while len(others) < size - 1:
                word = crack_key(rng).encode()
                if word != key_bytes and word not in others:
                    others.append(word)
            lines = others[:at] + [key_bytes] + others[at:]
            path = os.path.join(tmp, f"wordlist-{i}.txt")
            with open(path, "wb") as f:
                f.write(b"".join(line + ending.encode() for line in lines))
            ts = 1_700_000_000 + rng.randrange(10**6)
            cookie = F.sign({"user": f"crack-{i}", "n": rng.randrange(10**6)}, key, ts)
            argv = ["crack", "--wordlist", path]
            if threads != 1:
                argv += ["--threads", str(threads)]
            argv += ["--", cookie]
            about = f"Flask SECRET_KEY {key!r} at line {at + 1} of {len(lines)}, endings {ending!r}"
            r = cli.run(*argv)
            ok = r.rc == 0 and r.out == expected + "\n" and not r.err
            rep.record(f"crack#{i}: finds Flask's key at line {at + 1}",
                       [] if ok else [f"expected exit 0 and {expected!r} on stdout, got {r.describe()}"],
                       [r.repro, about])
            with open(path, "wb") as f:
                f.write(b"".join(line + ending.encode() for line in others))
            r = cli.run(*argv)
            want = f"not found: tried {len(others)} keys\n"
            ok = r.rc == 1 and not r.out and r.err == want
            rep.record(f"crack#{i}: the list without the key",
                       [] if ok else [f"expected exit 1 and {want!r} on stderr, got {r.describe()}"],
                       [r.repro, about])


def run_cli_errors(cli, rep) -> None:
    cookie = "eyJhIjoxfQ.ZVPxAA.x"
    usage_errors = [
        [], ["frobnicate"], ["decode"], ["decode", cookie, cookie], ["decode", "--secret", "k", cookie],
        ["verify", cookie], ["verify", "--secret", "k"], ["verify", "--secret"],
        ["verify", "--secret", "k", "--bogus", "x", cookie], ["verify", "--secret", "k", "--now", "soon", cookie],
        ["verify", "--secret", "k", "--now", "1.5", cookie], ["verify", "--secret", "k", "--max-age", "abc", cookie],
        ["verify", "--secret", "a", "--secret", "b", cookie], ["sign", "{}"], ["sign", "--secret", "k"],
        ["sign", "--secret", "k", "--timestamp", "abc", "{}"], ["sign", "--secret", "k", "--timestamp", "-5", "{}"],
        ["sign", "--secret", "k", "--fallback", "j", "{}"], ["sign", "--secret", "k", "{}", "{}"],
    ]
    for argv in usage_errors:
        r = cli.run(*argv)
        ok = r.rc == 2 and not r.out and r.err.strip()
        rep.record(f"cli usage error {shlex.join(argv) or '(no arguments)'}",
                   [] if ok else [f"expected exit 2 with usage on stderr, got {r.describe()}"], [r.repro])
    # A SESSION_JSON that is not a session is a refusal (exit 1), not a usage error.
    for text in ["not json", "[1,2]", '{"a":'] :
        r = cli.run("sign", "--secret", "k", "--timestamp", "1", text)
        rep.record(f"cli sign refuses {text!r}", expect_reject(r, None), [r.repro])
    r = cli.run("--help")
    rep.record("cli --help", [] if r.rc == 0 and "usage" in r.out else [f"got {r.describe()}"], [r.repro])


# --------------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", required=True, help="path to the session-lab-cli binary")
    ap.add_argument("--seed", type=int, default=20250301)
    ap.add_argument("--cases", type=int, default=300, help="random sessions (handpicked ones come on top)")
    ap.add_argument("--floats", type=int, default=300, help="float sessions")
    ap.add_argument("--details", type=int, default=300, help="print details for this many failures")
    args = ap.parse_args()

    started = time.monotonic()
    rng = random.Random(args.seed)
    F, cli, rep = FlaskSide(), Cli(args.cli), Report(args.details)
    groups = [
        ("sessions", lambda: run_sessions(F, cli, rep, rng, args.cases)),
        ("floats", lambda: run_floats(F, cli, rep, rng, args.floats)),
        ("tagged", lambda: run_handwritten(F, cli, rep)),
        ("raw", lambda: run_raw(F, cli, rep)),
        ("garbage", lambda: run_garbage(F, cli, rep, rng)),
        ("rotation", lambda: run_rotation(F, cli, rep, rng, 25)),
        ("crack", lambda: run_crack(F, cli, rep, rng)),
        ("cli", lambda: run_cli_errors(cli, rep)),
    ]
    try:
        cli.run("--help")
    except OSError as e:
        print(f"cannot run {args.cli}: {e}")
        print("0 passed, 1 failed")
        return 1
    for name, run in groups:
        before = (rep.passed, rep.failed)
        try:
            run()
        except Exception:  # noqa: BLE001 - a crashed group is a failure, and the summary must still print
            rep.record(f"[{name}] crashed", [traceback.format_exc()])
        print(f"[{name}] {rep.passed - before[0]} passed, {rep.failed - before[1]} failed")
    print(f"seed {args.seed}, {cli.calls} CLI runs, {time.monotonic() - started:.1f} s")
    print(f"{rep.passed} passed, {rep.failed} failed")
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
