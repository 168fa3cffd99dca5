#!/usr/bin/env python3
"""Clicks at scale: how long one click takes in the real page as the server's store and the
network log grow. A benchmark (run by `make bench`), never part of `make test`.

It serves a built release bundle (`trunk build --offline --release --public-url ./`, default
`dist/`) on loopback, opens scenario seed-002 (Flask-Session, server-side sessions in
`localStorage`) in headless Chromium through chromedriver, goes to `/` (which stores a session),
then repeats the learner's "Clear cookies" + "Reload": each reload sends a request without a
cookie, so the app stores one more session and the wire logs one more exchange.

Each click is timed in the page, from just before `element.click()` to the start of the next
macrotask (a MessageChannel message posted right after the click's synchronous dispatch): Yew
renders in microtasks, so the render is included. Timings are collected in JS and fetched in
batches through executeAsyncScript, so WebDriver round trips do not count.

It prints p50/p95/max for the clicks around 1k, 5k and 10k stored sessions (the last
`--window` requests before each), checks by reading the page (the store pane and
`localStorage`) that the store really holds the sessions, and ends with one line:
    BENCH {"figure": "click p95 at 10,000 stored sessions, 10,001 log entries ...", ...}

Standard library only: WebDriver is plain HTTP + JSON. Usage:
    python3 scripts/bench_clicks.py [--dist dist] [--chromedriver /usr/bin/chromedriver]
                                    [--sessions 10000] [--checkpoints 1000,5000,10000]
                                    [--window 200] [--screenshot PATH]
"""
import argparse
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webdriver import browser_session  # noqa: E402

SCENARIO = "seed-002"
BUDGET_MS = 16.0


# Runs `pairs` rounds of "Clear cookies" + "Reload" in the page, each click timed from just
# before click() to the next macrotask; resolves with [[clear_ms, reload_ms], ...].
CLICK_PAIRS = r"""
const pairs = arguments[0], done = arguments[arguments.length - 1];
const button = (test) => [...document.querySelectorAll('button')].find(test);
const clear = () => button(b => b.closest('.controls') && b.textContent.trim() === 'Clear cookies');
const reload = () => document.querySelector('section.browser form.address button[aria-label="Reload"]');
const channel = new MessageChannel();
let resume = null;
channel.port1.onmessage = () => { const r = resume; resume = null; r(performance.now()); };
const timed = (el) => new Promise((resolve) => {
  resume = (end) => resolve(end - t0);
  const t0 = performance.now();
  el.click();
  channel.port2.postMessage(0);
});
(async () => {
  const out = [];
  try {
    for (let i = 0; i < pairs; i++) {
      const a = await timed(clear());
      const b = await timed(reload());
      out.push([a, b]);
    }
    done({ok: out});
  } catch (e) {
    done({error: String(e && e.stack || e)});
  }
})();
"""

# What the page shows: the wire's and the store's sizes (from the paging captions when the
# panes are paged, else by counting rows), and the sessions in localStorage.
READ_PAGE = r"""
const scenario = arguments[0];
const text = (sel) => { const e = document.querySelector(sel); return e ? e.textContent : null; };
let n = 0;
const prefix = 'sl.store.' + scenario + ':';
for (let i = 0; i < localStorage.length; i++) {
  const k = localStorage.key(i);
  if (k && k.startsWith(prefix)) n++;
}
return {
  wire_caption: text('section.wire .pager-position'),
  wire_rows: document.querySelectorAll('section.wire .log .exchange').length,
  store_caption: text('section.state .pager-position'),
  store_rows: document.querySelectorAll('section.state table.store tbody tr').length,
  local_storage: n,
  page: text('section.browser .viewport'),
};
"""


def caption_total(caption):
    """`entries 1–50 of 10,001` -> 10001."""
    if not caption:
        return None
    m = re.search(r"of ([\d,]+)", caption)
    return int(m.group(1).replace(",", "")) if m else None


def percentile(values, p):
    s = sorted(values)
    if not s:
        return float("nan")
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


def summary(values):
    return (percentile(values, 50), percentile(values, 95), max(values))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dist", default="dist")
    ap.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    ap.add_argument("--sessions", type=int, default=10_000)
    ap.add_argument("--checkpoints", default="1000,5000,10000")
    ap.add_argument("--window", type=int, default=200, help="requests per checkpoint window")
    ap.add_argument("--batch", type=int, default=250, help="click pairs per WebDriver call")
    ap.add_argument("--screenshot", help="save a screenshot of the page at the end here")
    args = ap.parse_args()
    checkpoints = sorted(int(c) for c in args.checkpoints.split(",") if c)
    checkpoints = [c for c in checkpoints if c <= args.sessions] or [args.sessions]
    if not os.path.exists(os.path.join(args.dist, "index.html")):
        print(f"no {args.dist}/index.html: build it first "
              "(trunk build --offline --release --public-url ./)", file=sys.stderr)
        return 2

    with browser_session(args.dist, args.chromedriver, "bench-clicks-", timeout=900,
                         script_timeout=600_000) as (d, site):
        d.s("/url", "POST", {"url": f"{site}/index.html#/s/{SCENARIO}"})
        d.find("section.browser input[aria-label=Address]")
        # Go to `/`, which stores a session.
        d.js("""
            const i = document.querySelector('section.browser input[aria-label=Address]');
            i.value = '/';
            i.dispatchEvent(new Event('input', {bubbles: true}));
            document.querySelector('section.browser form.address button[type=submit]').click();
        """)
        end = time.time() + 10
        while "Session data stored" not in (d.js(READ_PAGE, SCENARIO)["page"] or ""):
            if time.time() > end:
                raise AssertionError("seed-002's / did not store a session")
            time.sleep(0.05)

        sessions = 1  # the one `/` stored
        reloads, clears = [], []  # per request: (sessions after it, ms)
        started = time.time()
        while sessions < args.sessions:
            n = min(args.batch, args.sessions - sessions)
            res = d.js_async(CLICK_PAIRS, n)
            if "error" in res:
                raise RuntimeError(res["error"])
            for clear_ms, reload_ms in res["ok"]:
                sessions += 1
                clears.append((sessions, clear_ms))
                reloads.append((sessions, reload_ms))
            last = [ms for _, ms in reloads[-n:]]
            print(f"  {sessions:6d} sessions  last {n} reloads: p50 {percentile(last, 50):6.2f} ms"
                  f"  p95 {percentile(last, 95):6.2f} ms  ({time.time() - started:5.0f} s)",
                  flush=True)
        elapsed = time.time() - started
        seen = d.js(READ_PAGE, SCENARIO)
        if args.screenshot:
            d.screenshot(args.screenshot)

    # The page must really hold what was driven.
    store_total = caption_total(seen["store_caption"]) or seen["store_rows"]
    wire_total = caption_total(seen["wire_caption"]) or seen["wire_rows"]
    print(f"\n{len(reloads)} clear + reload rounds in {elapsed:.0f} s")
    print(f"the page shows: store {store_total:,} sessions ({seen['store_caption'] or 'no pager'}), "
          f"wire {wire_total:,} exchanges ({seen['wire_caption'] or 'no pager'}); "
          f"localStorage holds {seen['local_storage']:,} sessions")
    ok_store = abs(store_total - sessions) <= 2 and abs(seen["local_storage"] - sessions) <= 2
    ok_log = wire_total >= 1000 or args.sessions < 1000
    if not ok_store:
        print(f"FAIL: expected about {sessions:,} stored sessions", file=sys.stderr)
    if not ok_log:
        print("FAIL: expected at least 1,000 log entries", file=sys.stderr)

    print(f"\n{'window':>28}  {'clicks':>6}  {'p50 ms':>7}  {'p95 ms':>7}  {'max ms':>7}")
    figures = {}
    for c in checkpoints:
        lo = max(1, c - args.window)
        for label, series in (("reload", reloads), ("clear cookies", clears)):
            w = [ms for s, ms in series if lo < s <= c]
            if not w:
                continue
            p50, p95, mx = summary(w)
            figures[(c, label)] = p95
            print(f"{label + f' @ {lo + 1}-{c} sessions':>28}  {len(w):6d}  {p50:7.2f}  "
                  f"{p95:7.2f}  {mx:7.2f}")
    top = checkpoints[-1]
    value = max(figures.get((top, "reload"), float("nan")),
                figures.get((top, "clear cookies"), float("nan")))
    ok = ok_store and ok_log and value < BUDGET_MS
    figure = (f"click p95 at {top:,} stored sessions, {wire_total:,} log entries"
              f" (budget set at 10,000 and >= 1,000)")
    print("BENCH " + json.dumps({
        "figure": figure, "value": round(value, 2), "unit": "ms",
        "budget": f"< {BUDGET_MS:g} ms", "peer": None, "peer_value": None, "ratio": None,
        "ok": ok,
    }))
    return 0 if ok_store and ok_log else 1


if __name__ == "__main__":
    sys.exit(main())
