#!/usr/bin/env python3
"""Differential test: the tutorial apps in `session-lab-cli replay` against their real-Flask twins.

Run from the repository root with the virtualenv that holds the real packages:

    cargo build --bin session-lab-cli
    target/flask-venv/bin/python tests/interop/replay_diff.py --cli target/debug/session-lab-cli

    # the harness checked against itself (real Flask on both sides; the right-hand side is the
    # twin run as a subprocess through the very same stdin/stdout protocol, with other sids):
    target/flask-venv/bin/python tests/interop/replay_diff.py --self-test

Options: --app NAME (repeatable) and --visit NAME (repeatable) narrow the run; --show APP:VISIT
prints the resolved request lines (ready to pipe into `session-lab-cli replay`) and Flask's
answers; -v prints every step; --max-details N limits how many failures are printed in full.
The last line printed is always exactly "N passed, M failed"; the exit status is 1 when M > 0
(2 on a usage or visit-file error).

What is compared, per request (one pass or one fail per request):
  * status
  * Content-Type
  * Location
  * the Set-Cookie values, in order. Server-side session ids (a `session` cookie whose value is 43
    URL-safe characters, as secrets.token_urlsafe(32) makes them) become <sid1>, <sid2>, ... by
    order of first appearance on each side, so "the same sid was kept" vs "a new sid was issued"
    is compared while the random values are not. Signed client-side cookies are compared byte for
    byte (the clock is frozen and Flask's signing is deterministic).
  * Vary
  * Allow (as a set: Werkzeug builds it from a Python set, so its order depends on PYTHONHASHSEED)
  * the body, except when the Flask twin rendered a template: those pages are our own text on
    both sides, so only status and Content-Type (text/html) are compared for them.
  For an app that cannot start (seed-000-misspelled), the whole output must be exactly one line
  {"startup_error": "..."}.

The apps: the tutorial apps of flask_twins.py, and the security lab's of security_twins.py,
named SCENARIO or SCENARIO+CHANGE (`attack-tamper+fixed`, `attack-key-rotation+march`); its
cli_args() gives the `replay` options that select the same app (--fixed, --config KEY=JSON,
--server-side).

The visits: tests/interop/visits/*.jsonl. Each file holds visits; a visit starts with a header
line {"visit": "NAME", "apps": [APP, ...]} and is followed by protocol lines (requests,
{"advance": N}, {"restart_browser": true}). Blank lines and lines starting with # are comments.
Each (app, visit) pair runs in a fresh process with a fresh browser, store and clock at --now.

Two things exist only in the visit files and are resolved by this driver BEFORE anything is sent,
using the real-Flask twin's state at that point of the visit; both sides then get the identical,
literal request:
  * {"save": "LABEL", "cookie": "NAME"}   remember the value of cookie NAME in the twin's jar
                                          (driver-only; not sent)
  * <<...>> inside any string of a request line:
      <<jar>>                the twin jar's whole Cookie header at this point
      <<jar:NAME>>           the twin jar's value of cookie NAME
      <<saved:LABEL>>        a value remembered with "save"
      <<sign:JSON>>          JSON signed as a session cookie by the app's real Flask serializer
                             (its SECRET_KEY, the replay clock): a forgery by anyone who read the
                             secret in the tutorial
      <<sign_at:SECONDS:JSON>>  the same, timestamped SECONDS from now (negative = in the past)
      <<sign_key:KEY:JSON>>  the same with another secret key (a wrong guess)
      <<remember:USER_ID>>   Flask-Login's remember_token value for USER_ID with the app's key
    followed by optional |filters: |flip_sig (change a signature character that carries data),
    |flip_payload, |pad_bits (change only the 2 unused low bits of the signature's last
    character: Python's base64 ignores them, so Flask STILL ACCEPTS the cookie), |flip_last,
    |swap_payload:JSON (new payload, old timestamp and signature).
  A server-side sid taken from the twin is meaningless to the CLI (its sids are its own), so for
  server-side apps the driver refuses a resolved Cookie header that names a sid which is still
  live in the twin's store: only dead ids (tampered, deleted, expired) may be replayed, and a dead
  id behaves exactly like an unknown one on both sides.

Why some results look odd but are expected (real Flask, see flask_twins.py for the full list):
  * redirect(None) in seed 004 is a 302 with "Location: None" (Werkzeug escapes str(None)).
  * seed-000-login: 'Unauthorized' is a 200; missing form fields are 400; an unknown email is a
    500; the request_loader assigns to a read-only property (500) after a KeyError check (400).
  * Every Flask-Login response has Vary: Cookie (its after_request hook reads the session).
  * Templates that read `session` (seed 004's index.html, seed 000's welcome.html) add Vary.
  * Error pages (400/404/405/500) still save the session: permanent cookies are re-sent from them,
    and seed 003's POST /login without `nm` sets {"_permanent": true} before failing with 400.
  * A client-side cookie replayed after logout is still accepted (nothing is revoked); a
    non-permanent cookie is never re-signed, so it dies 31 days after it was last changed
    however often it is used; a permanent one slides.
  * Server-side deletion cookies carry no HttpOnly; client-side ones do.
  * The browser drops a cookie whose expiry is AT or before the replay clock (as Chromium and
    Firefox do), while Flask accepts a signature whose age == max_age and cachelib an entry whose
    expiry == now: at the boundary second the jar has let go of a cookie the server would take.
  * seed 004's next: request.url is Werkzeug's IRI (percent-escapes of UTF-8 and of '/' decoded),
    and Werkzeug re-encodes the Location header (iri_to_uri) but not the redirect body's link.
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import copy
import json
import os
import re
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ next to the tests

import flask_twins  # noqa: E402
from flask_twins import SECRETS, SERVER_SIDE, TEMPLATE_ROUTES, TwinReplay, remember_cookie_value  # noqa: E402
import security_twins  # noqa: E402,F401  (registers the security lab's twins in flask_twins)

VISITS_DIR = os.path.join(HERE, "visits")
T0 = flask_twins.T0_DEFAULT
SID_RE = re.compile(r"^session=([A-Za-z0-9_-]{43})(?=;|$)")
B64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


class VisitError(Exception):
    """A mistake in a visit file (not a test failure)."""


# --------------------------------------------------------------------------------------------
# Visit files
# --------------------------------------------------------------------------------------------


@dataclass
class Visit:
    name: str
    apps: list[str]
    lines: list[dict]
    source: str


def load_visits(directory: str = VISITS_DIR) -> list[Visit]:
    visits: list[Visit] = []
    for fname in sorted(os.listdir(directory)):
        if not fname.endswith(".jsonl"):
            continue
        path = os.path.join(directory, fname)
        current: Visit | None = None
        with open(path, encoding="utf-8") as f:
            for lineno, raw in enumerate(f, 1):
                text = raw.strip()
                if not text or text.startswith("#"):
                    continue
                try:
                    obj = json.loads(text)
                except json.JSONDecodeError as e:
                    raise VisitError(f"{fname}:{lineno}: {e}") from None
                if not isinstance(obj, dict):
                    raise VisitError(f"{fname}:{lineno}: not a JSON object")
                if "visit" in obj:
                    apps = obj.get("apps")
                    if not apps or any(a not in flask_twins.APPS for a in apps):
                        raise VisitError(f"{fname}:{lineno}: bad or missing apps {apps!r}")
                    current = Visit(obj["visit"], list(apps), [], f"{fname}:{lineno}")
                    visits.append(current)
                    continue
                if current is None:
                    raise VisitError(f"{fname}:{lineno}: a line before the first visit header")
                current.lines.append(obj)
    seen = set()
    for v in visits:
        for a in v.apps:
            if (a, v.name) in seen:
                raise VisitError(f"{v.source}: visit {v.name!r} defined twice for {a}")
            seen.add((a, v.name))
    return visits


# --------------------------------------------------------------------------------------------
# Resolving <<...>> templates against the twin
# --------------------------------------------------------------------------------------------

TEMPLATE_RE = re.compile(r"<<(.*?)>>")


def _b64e(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode("ascii")


def _replace_char(s: str, i: int) -> str:
    i %= len(s)
    new = "A" if s[i] != "A" else "B"
    return s[:i] + new + s[i + 1:]


def apply_filter(value: str, filt: str) -> str:
    name, _, arg = filt.partition(":")
    if name == "flip_last":
        return _replace_char(value, -1)
    if name in ("flip_sig", "flip_payload", "pad_bits", "swap_payload"):
        if value.count(".") < 2:
            raise VisitError(f"|{name} needs a signed cookie, got {value!r}")
        body, sig = value.rsplit(".", 1)
        payload, ts = body.rsplit(".", 1)
        if name == "flip_sig":
            # Not the last character: its low bits are padding that decoders drop.
            return f"{payload}.{ts}.{_replace_char(sig, len(sig) // 2)}"
        if name == "pad_bits":
            last = sig[-1]
            flipped = B64_ALPHABET[B64_ALPHABET.index(last) ^ 1]
            return f"{payload}.{ts}.{sig[:-1]}{flipped}"
        if name == "flip_payload":
            i = 1 if payload.startswith(".") else 0
            return f"{_replace_char(payload, i)}.{ts}.{sig}"
        data = json.dumps(json.loads(arg), separators=(",", ":"), sort_keys=True)
        return f"{_b64e(data.encode())}.{ts}.{sig}"
    raise VisitError(f"unknown filter |{filt}")


def resolve_template(expr: str, twin: TwinReplay, saved: dict[str, str]) -> str:
    head, *filters = expr.split("|")
    kind, _, arg = head.partition(":")
    if kind == "jar":
        if arg:
            value = twin.jar.get(arg, twin.now)
            if value is None:
                raise VisitError(f"<<jar:{arg}>>: no such cookie in the jar now")
        else:
            value = twin.jar.header("/", twin.now) or ""
    elif kind == "saved":
        if arg not in saved:
            raise VisitError(f"<<saved:{arg}>>: nothing saved under that label")
        value = saved[arg]
    elif kind == "sign":
        value = twin.sign_session(json.loads(arg))
    elif kind == "sign_at":
        offset, _, data = arg.partition(":")
        real_now = twin.now
        twin.now = real_now + int(offset)
        try:
            value = twin.sign_session(json.loads(data))
        finally:
            twin.now = real_now
    elif kind == "sign_key":
        key, _, data = arg.partition(":")
        value = sign_with_key(key, json.loads(data), twin.now)
    elif kind == "remember":
        secret = SECRETS.get(twin.app_name)
        if not secret:
            raise VisitError(f"<<remember:...>>: {twin.app_name} has no SECRET_KEY")
        value = remember_cookie_value(secret, arg)
    else:
        raise VisitError(f"unknown template <<{expr}>>")
    for f in filters:
        value = apply_filter(value, f)
    return value


def sign_with_key(key: str, data: dict, now: int) -> str:
    from flask import Flask
    from flask.sessions import SecureCookieSessionInterface

    app = Flask("forger")
    app.secret_key = key
    flask_twins.Clock.now = now
    with app.test_request_context():
        return SecureCookieSessionInterface().get_signing_serializer(app).dumps(data)


def _resolve_obj(obj: Any, twin: TwinReplay, saved: dict[str, str]) -> Any:
    if isinstance(obj, str):
        return TEMPLATE_RE.sub(lambda m: resolve_template(m.group(1), twin, saved), obj)
    if isinstance(obj, dict):
        return {k: _resolve_obj(v, twin, saved) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_resolve_obj(v, twin, saved) for v in obj]
    return obj


@dataclass
class Resolved:
    app: str
    visit: Visit
    lines: list[dict]  # protocol lines only, literal
    request_lines: list[dict]  # the request lines among them, in order
    flask_out: list[dict]
    error: str | None = None


def resolve_and_run_twin(app: str, visit: Visit, now: int) -> Resolved:
    """Runs the visit on the Flask twin, resolving driver-only lines and templates as it goes."""
    lines: list[dict] = []
    requests: list[dict] = []
    outs: list[dict] = []
    saved: dict[str, str] = {}
    with TwinReplay(app, now, sid_seed=0) as twin:
        if twin.startup_error is not None:
            # Nothing to resolve: the app never starts. Send the lines as written (minus
            # driver-only ones and templates, which need a running app).
            for line in visit.lines:
                if "save" in line:
                    continue
                lines.append(line)
                if not ("advance" in line or "restart_browser" in line):
                    requests.append(line)
            return Resolved(app, visit, lines, requests, [{"startup_error": twin.startup_error}])
        for i, line in enumerate(visit.lines):
            if "save" in line:
                value = twin.jar.get(line.get("cookie", "session"), twin.now)
                if value is None:
                    raise VisitError(f"{visit.source} {app}: save {line['save']!r}: no cookie")
                saved[line["save"]] = value
                continue
            try:
                concrete = _resolve_obj(copy.deepcopy(line), twin, saved)
            except VisitError as e:
                raise VisitError(f"{visit.source} {app} line {i + 1}: {e}") from None
            if app in SERVER_SIDE:
                check_no_live_sid(app, visit, concrete, twin)
            lines.append(concrete)
            out = twin.feed(concrete)
            if out is not None:
                requests.append(concrete)
                outs.append(out)
    return Resolved(app, visit, lines, requests, outs)


def check_no_live_sid(app: str, visit: Visit, line: dict, twin: TwinReplay) -> None:
    for k, v in (line.get("headers") or {}).items():
        if k.lower() != "cookie":
            continue
        for part in v.split(";"):
            name, _, value = part.strip().partition("=")
            if name == "session" and value and twin.store_has(value):
                raise VisitError(
                    f"{visit.source} {app}: an explicit Cookie names the twin's live sid "
                    f"{value!r}; the CLI cannot know it (only tampered/deleted/expired ids "
                    f"may be replayed)"
                )


# --------------------------------------------------------------------------------------------
# The other side
# --------------------------------------------------------------------------------------------


@dataclass
class SideRun:
    outputs: list[dict]
    error: str | None = None  # process failure / unparsable output
    stderr: str = ""


def run_cli(cmd: list[str], app_args: list[str], lines: list[dict], now: int,
            extra: list[str] = ()) -> SideRun:
    argv = [*cmd, "replay", *app_args, "--now", str(now), *extra]
    stdin = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    try:
        p = subprocess.run(argv, input=stdin, capture_output=True, encoding="utf-8",
                           errors="replace", timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        return SideRun([], f"could not run {shlex.join(argv)}: {e}")
    outputs = []
    for n, raw in enumerate(p.stdout.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            outputs.append(json.loads(raw))
        except json.JSONDecodeError as e:
            return SideRun(outputs, f"output line {n} is not JSON ({e}): {raw[:200]!r}", p.stderr)
    if p.returncode != 0:
        first = (p.stderr.strip().splitlines() or [""])[0]
        return SideRun(outputs, f"exit status {p.returncode}; stderr: {first[:300]!r}", p.stderr)
    return SideRun(outputs, None, p.stderr)


# --------------------------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------------------------


class SidNames:
    """<sid1>, <sid2>, ... by order of first appearance, per side and per visit."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def cookie(self, value: str) -> str:
        m = SID_RE.match(value)
        if not m:
            return value
        sid = m.group(1)
        if sid not in self.names:
            self.names[sid] = f"<sid{len(self.names) + 1}>"
        return "session=" + self.names[sid] + value[m.end():]


def _headers(out: dict) -> list[tuple[str, str]]:
    hs = out.get("headers") or []
    return [(str(h[0]), str(h[1])) for h in hs if isinstance(h, (list, tuple)) and len(h) == 2]


def _get_all(hs: list[tuple[str, str]], name: str) -> list[str]:
    return [v for k, v in hs if k.lower() == name.lower()]


def _joined(hs, name) -> str | None:
    vals = _get_all(hs, name)
    return ", ".join(vals) if vals else None


def normalise(out: dict, sids: SidNames, compare_body: bool) -> dict:
    hs = _headers(out)
    allow = _joined(hs, "Allow")
    view = {
        "status": out.get("status"),
        "Content-Type": _joined(hs, "Content-Type"),
        "Location": _joined(hs, "Location"),
        "Set-Cookie": [sids.cookie(v) for v in _get_all(hs, "Set-Cookie")],
        "Vary": _joined(hs, "Vary"),
        "Allow": sorted(x.strip() for x in allow.split(",")) if allow is not None else None,
    }
    if compare_body:
        view["body"] = out.get("body")
    return view


@dataclass
class Report:
    max_details: int
    verbose: bool
    passed: int = 0
    failed: int = 0
    failures_by_app: dict[str, int] = field(default_factory=dict)

    def ok(self, label: str) -> None:
        self.passed += 1
        if self.verbose:
            print(f"ok   {label}")

    def fail(self, app: str, label: str, lines: list[str]) -> None:
        self.failed += 1
        self.failures_by_app[app] = self.failures_by_app.get(app, 0) + 1
        print(f"FAIL {label}")
        if self.failed <= self.max_details:
            for line in lines:
                print(f"     {line}")
        sys.stdout.flush()


def _short(x: Any, limit: int = 600) -> str:
    s = json.dumps(x, ensure_ascii=False)
    return s if len(s) <= limit else s[:limit] + f"... ({len(s)} chars)"


def describe_request(line: dict) -> str:
    return f"{line.get('method', 'GET')} {line.get('path', '/')}"


def compare_visit(res: Resolved, other: SideRun, other_name: str, rep: Report) -> None:
    app, visit = res.app, res.visit
    prefix = f"{app} / {visit.name}"
    if res.flask_out and "startup_error" in res.flask_out[0]:
        label = f"{prefix} (start-up)"
        if other.error is None and other.outputs == res.flask_out:
            rep.ok(label)
        else:
            rep.fail(app, label, [f"flask:  {_short(res.flask_out)}",
                                  f"{other_name}: {_short(other.outputs)}"
                                  + (f"  [{other.error}]" if other.error else "")])
        return
    flask_sids, other_sids = SidNames(), SidNames()
    n = len(res.request_lines)
    for i in range(n):
        req = res.request_lines[i]
        label = f"{prefix} #{i + 1} {describe_request(req)}"
        f_out = res.flask_out[i]
        templated = f_out.get("template") is not None
        if templated:
            key = (str(req.get("method", "GET")).upper(), req.get("path", "/").split("?", 1)[0])
            if key not in TEMPLATE_ROUTES.get(app, set()):
                print(f"note {label}: template {f_out['template']} from a route missing in "
                      f"TEMPLATE_ROUTES")
        if i >= len(other.outputs):
            if i > len(other.outputs):
                rep.fail(app, label, ["(no output; see the first missing step of this visit)"])
                continue
            why = other.error or "no output line for this request"
            rep.fail(app, label, [f"request: {_short(req)}", f"{other_name}: {why}",
                                  f"flask:  {_short(normalise(f_out, SidNames(), True))}"])
            continue
        o_out = other.outputs[i]
        if not isinstance(o_out, dict) or "startup_error" in o_out:
            rep.fail(app, label, [f"request: {_short(req)}",
                                  f"{other_name}: unexpected line {_short(o_out)}"])
            continue
        fv = normalise(f_out, flask_sids, not templated)
        ov = normalise(o_out, other_sids, not templated)
        if fv == ov:
            rep.ok(label)
            continue
        details = [f"request: {_short(req)}"]
        for k in fv:
            if fv[k] != ov.get(k):
                details.append(f"{k}:")
                details.append(f"    flask: {_short(fv[k])}")
                details.append(f"    {other_name}: {_short(ov.get(k))}")
                if k == "body" and isinstance(fv[k], str) and isinstance(ov.get(k), str):
                    if " ".join(fv[k].split()) == " ".join(ov[k].split()):
                        details.append("    (the bodies differ only in whitespace)")
        details.append(f"flask raw:  {_short(f_out.get('headers'), 900)}")
        details.append(f"{other_name} raw: {_short(o_out.get('headers'), 900)}")
        rep.fail(app, label, details)
    if len(other.outputs) > n:
        rep.fail(app, f"{prefix} (extra output)",
                 [f"{other_name} printed {len(other.outputs)} lines for {n} requests; "
                  f"first extra: {_short(other.outputs[n])}"])
    elif other.error and len(other.outputs) == n:
        rep.fail(app, f"{prefix} (process)", [f"{other_name}: {other.error}"])


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def selected(visits: list[Visit], apps: list[str] | None, names: list[str] | None):
    for v in visits:
        if names and v.name not in names:
            continue
        for a in v.apps:
            if apps and a not in apps:
                continue
            yield a, v


def show(visits: list[Visit], spec: str, now: int) -> int:
    app, _, name = spec.partition(":")
    for a, v in selected(visits, [app], [name]):
        res = resolve_and_run_twin(a, v, now)
        print(f"# {a} / {v.name}: resolved lines (stdin of `replay --app {a} --now {now}`)")
        for line in res.lines:
            print(json.dumps(line, ensure_ascii=False))
        print("# real Flask's answers")
        for out in res.flask_out:
            print(json.dumps(out, ensure_ascii=False))
        return 0
    print(f"no visit {spec!r}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Session Lab replay vs real Flask")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--cli", help="path to session-lab-cli (may include arguments, shell-quoted)")
    g.add_argument("--self-test", action="store_true",
                   help="compare the Flask twin in-process with the twin run as a replay subprocess")
    g.add_argument("--show", metavar="APP:VISIT", help="print one resolved visit and Flask's answers")
    p.add_argument("--now", type=int, default=T0)
    p.add_argument("--app", action="append", help="only this app (repeatable)")
    p.add_argument("--visit", action="append", help="only this visit (repeatable)")
    p.add_argument("--jobs", type=int, default=max(2, (os.cpu_count() or 2)))
    p.add_argument("--max-details", type=int, default=40)
    p.add_argument("-v", "--verbose", action="store_true")
    args = p.parse_args(argv)

    started = time.monotonic()
    try:
        visits = load_visits()
        if args.show:
            return show(visits, args.show, args.now)
        pairs = list(selected(visits, args.app, args.visit))
        if not pairs:
            print("no visits selected", file=sys.stderr)
            return 2
        # The Flask side runs in this process (it patches module clocks, so one at a time).
        resolved = [resolve_and_run_twin(a, v, args.now) for a, v in pairs]
    except VisitError as e:
        print(f"visit error: {e}", file=sys.stderr)
        print("0 passed, 1 failed")
        return 2

    if args.self_test:
        # security_twins.py is flask_twins.py's replay with the security lab's twins added.
        cmd = [sys.executable, os.path.join(HERE, "security_twins.py")]
        extra = ["--sid-seed", "1", "--no-template-key"]
        other_name = "twin-subprocess"
        app_args = lambda app: ["--app", app]  # noqa: E731
    else:
        cmd = shlex.split(args.cli)
        extra = []
        other_name = "cli"
        app_args = security_twins.cli_args  # e.g. attack-tamper+fixed: --app attack-tamper --fixed

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        others = list(pool.map(
            lambda r: run_cli(cmd, app_args(r.app), r.lines, args.now, extra), resolved))

    rep = Report(args.max_details, args.verbose)
    for res, other in zip(resolved, others):
        compare_visit(res, other, other_name, rep)
    if rep.failures_by_app:
        summary = ", ".join(f"{a}: {n}" for a, n in sorted(rep.failures_by_app.items()))
        print(f"failures by app: {summary}")
    print(f"({len(resolved)} visits in {time.monotonic() - started:.1f}s)")
    print(f"{rep.passed} passed, {rep.failed} failed")
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
