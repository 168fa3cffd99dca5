#!/usr/bin/env python3
"""`make bench`: Lighthouse 12.2.3 (tools/bench, from npm) on the release bundle in dist/,
served gzip-compressed from loopback (scripts/serve_gzip.py), mobile preset (Lighthouse's
default: simulated slow 4G and a 4x slower CPU), on the index and on a scenario page.

Prints the four category scores and the paint metrics of each page, then one `BENCH` line per
budget: performance 100 and LCP <= 1.5 s on both pages; accessibility, best practices and SEO
100. A benchmark, not a test: it exits 0 whatever the scores, non-zero only if Lighthouse
cannot run. The JSON reports are kept in target/lighthouse/.

    python3 scripts/lighthouse.py [--dist dist] [--runs 3]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_gzip import serve  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIGHTHOUSE = os.path.join(ROOT, "tools", "bench", "node_modules", ".bin", "lighthouse")
CHROME_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PAGES = [("index", "/"), ("scenario", "/#/s/seed-002")]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
METRICS = [
    ("first-contentful-paint", "FCP"),
    ("largest-contentful-paint", "LCP"),
    ("total-blocking-time", "TBT"),
    ("speed-index", "SI"),
    ("cumulative-layout-shift", "CLS"),
]


def bench(figure, value, unit, budget, ok):
    print("BENCH " + json.dumps({
        "figure": figure, "value": value, "unit": unit, "budget": budget,
        "peer": None, "peer_value": None, "ratio": None, "ok": ok,
    }, ensure_ascii=False))


def run(url: str, out: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="sl-lh-") as profile:
        flags = " ".join(CHROME_FLAGS + [f"--user-data-dir={profile}"])
        env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
        subprocess.run(
            [LIGHTHOUSE, url, "--quiet", "--output=json", f"--output-path={out}",
             f"--chrome-flags={flags}", "--only-categories=" + ",".join(CATEGORIES)],
            check=True, env=env, stdout=subprocess.DEVNULL,
        )
    with open(out, encoding="utf-8") as f:
        return json.load(f)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--dist", default=os.path.join(ROOT, "dist"))
    p.add_argument("--runs", type=int, default=3, help="runs per page; the median is reported")
    a = p.parse_args()
    if not os.path.exists(LIGHTHOUSE):
        print("lighthouse is not installed: run `scripts/setup.sh bench`", file=sys.stderr)
        return 2
    outdir = os.path.join(ROOT, "target", "lighthouse")
    os.makedirs(outdir, exist_ok=True)
    server = serve(a.dist, 0, True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    worst = {c: 100 for c in CATEGORIES}
    try:
        for name, path in PAGES:
            reports = [run(origin + path, os.path.join(outdir, f"{name}-{i}.json")) for i in range(a.runs)]
            # The run with the median performance score stands for the page.
            reports.sort(key=lambda r: r["categories"]["performance"]["score"])
            r = reports[len(reports) // 2]
            scores = {c: round(100 * r["categories"][c]["score"]) for c in CATEGORIES}
            perf_all = [round(100 * x["categories"]["performance"]["score"]) for x in reports]
            lcps = [x["audits"]["largest-contentful-paint"]["numericValue"] / 1000 for x in reports]
            print(f"lighthouse {name} ({path}), served gzip, mobile preset, {a.runs} runs:")
            print("  " + ", ".join(f"{c} {scores[c]}" for c in CATEGORIES)
                  + f"  (performance per run: {perf_all})")
            print("  " + ", ".join(
                f"{label} {r['audits'][key]['displayValue']}" for key, label in METRICS))
            lcp = statistics.median(lcps)
            bench(f"lighthouse performance, {name}", scores["performance"], "score", "100",
                  scores["performance"] == 100)
            bench(f"lighthouse LCP, {name}", round(lcp, 2), "s", "<= 1.5 s", lcp <= 1.5)
            for c in CATEGORIES[1:]:
                worst[c] = min(worst[c], scores[c])
        for c in CATEGORIES[1:]:
            bench(f"lighthouse {c}, both pages", worst[c], "score", "100", worst[c] == 100)
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
