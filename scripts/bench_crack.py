#!/usr/bin/env python3
"""Cracking a Flask session cookie's key from a wordlist: Session Lab against its peers, on the
same cookie and the same list, in one run.

Run from the repository root:  target/flask-venv/bin/python scripts/bench_crack.py

- The cookie: signed by real Flask (this virtual environment's) with a key that is in no list
  (`secrets.token_hex(32)`), so every tool goes through the whole list.
- The list: Flask-Unsign's own `all.txt` (flask-unsign-wordlist 2024.1, 55,982 entries).
- Flask-Unsign 1.2.1 (`flask-unsign --unsign --cookie C --wordlist all.txt`, its defaults: 8
  threads, each line read as a Python literal), timed end to end.
- A bare Python loop doing the same two HMACs per candidate (`hmac.new(key, b"cookie-session",
  sha1)`, then `hmac.new(derived, payload.timestamp, sha1)` and `hmac.compare_digest`), which is
  the bar the browser figure is set against.
- `session-lab-cli crack --stats` (release build), one thread, over the list repeated 20 times
  (1.1 million candidates, so the run is long enough to time); its own rate line is read.
- The physical limit: `examples/crack_bench.rs` measures one SHA-1 compression (with the CPU's
  SHA instructions where it has them, four independent chains) and the compressions a
  candidate costs against this cookie; the limit is one over their product.

Being over or under budget is reported, not failed: this is a benchmark, not a test. Each figure
is also printed as a `BENCH {...}` line for scripts/bench_report.py.
"""

import hashlib
import hmac
import json
import re
import secrets
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / "target" / "release" / "session-lab-cli"
REPEAT = 20
NATIVE_BUDGET = 50.0


def bench(figure, value, unit, budget=None, peer=None, peer_value=None, ratio=None, ok=None):
    print("BENCH " + json.dumps({
        "figure": figure, "value": value, "unit": unit, "budget": budget, "peer": peer,
        "peer_value": peer_value, "ratio": ratio, "ok": ok,
    }, ensure_ascii=False))


def wordlist() -> Path:
    import flask_unsign_wordlist

    return Path(flask_unsign_wordlist.__file__).parent / "wordlists" / "all.txt"


def flask_cookie(key: str) -> str:
    app = Flask("bench")
    app.secret_key = key
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.dumps({"user_name": "ada", "_permanent": True})


def python_loop(cookie: str, keys: list[bytes]) -> float:
    body, _, sig = cookie.rpartition(".")
    body = body.encode()
    want = __import__("base64").urlsafe_b64decode(sig + "=" * (-len(sig) % 4))
    start = time.perf_counter()
    for key in keys:
        derived = hmac.new(key, b"cookie-session", hashlib.sha1).digest()
        if hmac.compare_digest(hmac.new(derived, body, hashlib.sha1).digest(), want):
            raise SystemExit("the bench's key is in the list")
    return len(keys) / (time.perf_counter() - start)


def main() -> int:
    path = wordlist()
    raw = path.read_bytes().split(b"\n")
    keys = [k.rstrip(b"\r") for k in raw if k.rstrip(b"\r")]
    cookie = flask_cookie(secrets.token_hex(32))
    print(f"cookie {cookie}\nlist {path} ({len(keys)} keys)")

    # Flask-Unsign, as its users run it.
    unsign = Path(sys.executable).parent / "flask-unsign"
    start = time.perf_counter()
    done = subprocess.run([str(unsign), "--unsign", "--cookie", cookie, "--wordlist", str(path)],
                          capture_output=True, text=True)
    unsign_s = time.perf_counter() - start
    tried = re.search(r"after (\d+) attempts", done.stdout + done.stderr)
    unsign_keys = int(tried.group(1)) if tried else len(keys)
    unsign_rate = unsign_keys / unsign_s
    print(f"Flask-Unsign {version('flask-unsign')}: {unsign_keys} keys in {unsign_s:.2f} s "
          f"= {unsign_rate:,.0f} keys/s")

    py_rate = python_loop(cookie, keys)
    print(f"bare Python hmac loop: {py_rate:,.0f} keys/s")

    subprocess.run(["cargo", "build", "--quiet", "--release", "--bin", "session-lab-cli",
                    "--example", "crack_bench"], cwd=ROOT, check=True)
    with tempfile.NamedTemporaryFile("wb", suffix=".txt") as big:
        for _ in range(REPEAT):
            big.write(b"\n".join(keys) + b"\n")
        big.flush()
        run = subprocess.run([str(CLI), "crack", "--stats", "--wordlist", big.name, cookie],
                             capture_output=True, text=True)
    if run.returncode != 1:
        print(run.stdout, run.stderr)
        raise SystemExit("session-lab-cli crack should have exhausted the list")
    stats = re.search(r"tried (\d+) keys in ([\d.]+) s: ([\d.]+) keys/s", run.stderr)
    native_rate = float(stats.group(3))
    print(f"session-lab-cli crack, one thread: {stats.group(1)} keys in {stats.group(2)} s "
          f"= {native_rate:,.0f} keys/s")

    limit = json.loads(subprocess.run(
        [str(ROOT / "target" / "release" / "examples" / "crack_bench"), cookie],
        capture_output=True, text=True, check=True).stdout)
    print(f"physical limit: {limit['compressions_per_key']} compressions per key x "
          f"{limit['ns_per_compression']:.1f} ns = {limit['limit_keys_per_s']:,.0f} keys/s "
          f"(the engine alone, no I/O: {limit['engine_keys_per_s']:,.0f} keys/s)")

    peer = f"Flask-Unsign {version('flask-unsign')} (8 threads)"
    ratio = native_rate / unsign_rate
    bench("crack, native, one thread", round(native_rate), "keys/s", f">= {NATIVE_BUDGET:.0f}x peer",
          peer, round(unsign_rate), round(ratio, 1), ratio >= NATIVE_BUDGET)
    bench("crack, bare Python hmac loop (the browser's bar)", round(py_rate), "keys/s")
    bench("crack, physical limit, one core", round(limit["limit_keys_per_s"]), "keys/s",
          peer=f"{limit['compressions_per_key']} SHA-1 compressions x {limit['ns_per_compression']:.1f} ns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
