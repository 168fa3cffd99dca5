#!/usr/bin/env python3
"""Side-by-side benchmark of the engine against itsdangerous as Flask configures it.

Run from the repository root:  target/flask-venv/bin/python scripts/bench_engine.py

Both sides go from a session value to the cookie ("sign") and from the cookie back to the value
("verify"): the Rust side is `examples/engine_bench.rs` (TaggedJSON dumps/loads around
`Serializer::dumps/loads`), the Python side `app.session_interface.get_signing_serializer(app)`
of a Flask app with SECRET_KEY "dev-secret" and SECRET_KEY_FALLBACKS ["old"], `.dumps(dict)` and
`.loads(cookie, max_age=2678400)`, with itsdangerous's clock frozen at 1_700_000_000.

Rounds alternate Rust and Python; the median of each side is reported. The Rust cookie must equal
Flask's byte for byte (exit 1 otherwise). Being over budget is reported, not failed: this is a
benchmark, not a test.
"""

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from flask import Flask
from itsdangerous.timed import TimestampSigner

ROOT = Path(__file__).resolve().parent.parent
NOW = 1_700_000_000
MAX_AGE = 2_678_400
ROUNDS = 5
BATCHES = 7
BATCH_TIME = 0.025
BUDGET_RATIO = 20.0


def peer_name():
    from importlib.metadata import version

    return f"itsdangerous {version('itsdangerous')} (Flask {version('flask')})"


def cart():
    """The less compressible ~3 KB session; the same generator is in examples/engine_bench.rs."""
    words = ["red", "blue", "wool", "cotton", "scarf", "mug", "lamp", "desk", "oak", "steel",
             "small", "large", "vintage", "organic", "travel", "kettle"]
    mask = (1 << 64) - 1
    x = 12345
    items = []
    for i in range(60):
        x = (x * 6364136223846793005 + 1442695040888963407) & mask
        items.append({
            "name": f"{words[(x >> 40) % 16]} {words[(x >> 50) % 16]} #{i}",
            "price": (x >> 24) % 50_000,
            "qty": (x >> 20) % 9 + 1,
            "sku": f"SKU-{(x >> 33) % 100_000:05d}",
        })
    return {"cart": items}


# (label, session, counts towards the budget)
PAYLOADS = [
    ("small", {"_permanent": True, "user_name": "Ada", "visits": 3}, True),
    ("3 KB", {"data": "ab" * 1500}, True),
    ("3 KB cart", cart(), False),
]


def serializer():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "dev-secret"
    app.config["SECRET_KEY_FALLBACKS"] = ["old"]
    # Freeze itsdangerous's clock: it signs with, and ages against, `get_timestamp()`.
    TimestampSigner.get_timestamp = lambda self: NOW
    return app.session_interface.get_signing_serializer(app)


def measure(f):
    """Median ns per call over BATCHES batches of a calibrated size (as the Rust side does)."""
    n = 1
    while True:
        start = time.perf_counter()
        for _ in range(n):
            f()
        if time.perf_counter() - start >= BATCH_TIME / 10:
            break
        n *= 2
    n *= 10
    per = []
    for _ in range(BATCHES):
        start = time.perf_counter()
        for _ in range(n):
            f()
        per.append((time.perf_counter() - start) * 1e9 / n)
    return statistics.median(per)


def python_round(s):
    results, cookies = {}, {}
    for label, session, _ in PAYLOADS:
        cookie = s.dumps(session)
        cookies[label] = cookie
        assert s.loads(cookie, max_age=MAX_AGE) == session
        results[f"engine sign {label}"] = measure(lambda: s.dumps(session))
        results[f"engine verify {label}"] = measure(lambda: s.loads(cookie, max_age=MAX_AGE))
    return results, cookies


def rust_round():
    out = subprocess.run(
        ["cargo", "run", "--quiet", "--release", "--example", "engine_bench"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def main():
    print("building the Rust side (cargo build --release --example engine_bench)...", flush=True)
    subprocess.run(["cargo", "build", "--quiet", "--release", "--example", "engine_bench"],
                   cwd=ROOT, check=True)
    s = serializer()
    rust, python, info = {}, {}, {}
    failed = False
    for r in range(ROUNDS):
        print(f"round {r + 1}/{ROUNDS}: Rust, then Python", flush=True)
        for row in rust_round():
            rust.setdefault(row["name"], []).append(row["ns_per_op"])
            if "cookie" in row:
                info[row["name"]] = row["cookie"]
        results, cookies = python_round(s)
        for name, ns in results.items():
            python.setdefault(name, []).append(ns)
        for label, _, _ in PAYLOADS:
            for kind in ("sign", "verify"):
                ours = info.get(f"engine {kind} {label}")
                if ours != cookies[label]:
                    failed = True
                    print(f"COOKIE MISMATCH for {label!r} ({kind}):\n  rust:   {ours}\n"
                          f"  python: {cookies[label]}", file=sys.stderr)
        if failed:
            break
    if failed:
        print("FAIL: the Rust cookies differ from Flask's", file=sys.stderr)
        return 1

    print()
    print(f"{'figure':<28} {'Rust µs/op':>11} {'Python µs/op':>13} {'ratio':>7}  budget")
    peer = peer_name()
    bench_lines = []
    for label, _, budgeted in PAYLOADS:
        for kind in ("sign", "verify"):
            name = f"engine {kind} {label}"
            ours = statistics.median(rust[name]) / 1000
            theirs = statistics.median(python[name]) / 1000
            ratio = theirs / ours
            ok = ratio >= BUDGET_RATIO
            note = (">= 20x " + ("ok" if ok else "OVER BUDGET")) if budgeted else "(information)"
            print(f"{name:<28} {ours:>11.3f} {theirs:>13.2f} {ratio:>6.1f}x  {note}")
            if budgeted:
                bench_lines.append({
                    "figure": name,
                    "value": round(ours, 3),
                    "unit": "µs/op",
                    "budget": ">= 20x peer",
                    "peer": peer,
                    "peer_value": round(theirs, 2),
                    "ratio": round(ratio, 1),
                    "ok": ok,
                })
    for name, values in rust.items():
        if not name.startswith("engine "):
            print(f"{name:<40} {statistics.median(values) / 1000:.3f} µs/op (Rust, information)")
    print("cookies: identical to Flask's for every payload")
    print()
    for line in bench_lines:
        print("BENCH " + json.dumps(line, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
