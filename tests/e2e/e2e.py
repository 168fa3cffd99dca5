#!/usr/bin/env python3
"""End-to-end test of the built lab (`dist/`) in headless Chromium, through chromedriver.

For each scenario with a flow: log in, visit a protected page, move the lab clock past expiry,
close and reopen the browser, log out; check what the page shows and what the real
`document.cookie` holds; check the console has no errors and that every request stayed on
loopback. A screenshot of each scenario goes to target/screenshots/.

Standard library only: WebDriver is plain HTTP + JSON. Usage:
    python3 tests/e2e/e2e.py [--dist dist] [--chromedriver /usr/bin/chromedriver]
                             [--cli target/debug/session-lab-cli]
The last line is `N passed, M failed`; the exit status is 1 on any failure.
"""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from webdriver import Report, browser_session, e2e_parser, open_page, wait_for  # noqa: E402


def scenarios(cli: str) -> list[dict]:
    """The lab's scenarios, as `session-lab-cli scenarios` prints them: each with its
    end-to-end flow (how to log in, the protected page and what it shows when logged in and
    out) or the error its app fails to start with. The scenario records in
    src/lab/scenarios/ are the one source of these."""
    out = subprocess.run([cli, "scenarios"], check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def viewport_text(d):
    return d.text(".browser .viewport")


def go(d, path):
    d.type("input[aria-label=Address]", path)
    d.click("form.address button[type=submit]")
    time.sleep(0.05)


def run_scenario(d, origin, scenario, flow, rep, shots):
    open_page(d, f"{origin}/#/s/{scenario}")
    d.find(".browser .viewport")
    cookie_name = f"sl.{scenario}.session="
    login = flow["login"]
    go(d, login["path"])
    if login["fields"]:
        for name, value in login["fields"]:
            d.type(f".mock-page input[name='{name}']", value)
        d.click(f".mock-page {login['button']}")
    rep.check(f"{scenario}: the session cookie is in document.cookie after logging in",
              wait_for(lambda: cookie_name in d.js("return document.cookie")),
              d.js("return document.cookie"))
    go(d, flow["protected"])
    rep.check(f"{scenario}: the protected page shows the logged-in view",
              wait_for(lambda: flow["inside"] in viewport_text(d)), viewport_text(d))
    d.screenshot(os.path.join(shots, f"{scenario}.png"))
    # Past every lifetime in the scenarios (5 and 30 minutes, and the 31-day signature limit).
    for _ in range(2):
        d.click("#clock-31d")
    d.click("button[aria-label=Reload]")
    rep.check(f"{scenario}: after expiry the protected page shows the logged-out view",
              wait_for(lambda: flow["outside"] in viewport_text(d)), viewport_text(d))
    d.click("#restart-browser")
    rep.check(f"{scenario}: after expiry and a browser restart no session cookie is left",
              wait_for(lambda: cookie_name not in d.js("return document.cookie")),
              d.js("return document.cookie"))
    go(d, flow["logout"])
    if flow["logged_out"] is not None:
        rep.check(f"{scenario}: logging out answers as the app does",
                  wait_for(lambda: flow["logged_out"] in viewport_text(d)), viewport_text(d))
    # Leave nothing behind for the next scenario.
    d.click("#clock-reset")
    d.js("for (const c of document.cookie.split('; ')) { const n = c.split('=')[0];"
         " if (n.startsWith('sl.')) document.cookie = n + '=; Max-Age=0; Path=/'; }"
         " for (const k of Object.keys(localStorage)) if (k.startsWith('sl.')) localStorage.removeItem(k);")


def main() -> int:
    ap = e2e_parser()
    ap.add_argument("--cli", default="target/debug/session-lab-cli")
    args = ap.parse_args()
    os.makedirs(args.screenshots, exist_ok=True)
    rep = Report()
    listed = scenarios(args.cli)

    try:
        with browser_session(args.dist, args.chromedriver, "sl-e2e-") as (d, origin):
            open_page(d, f"{origin}/#/")
            titles = d.text(".scenarios")
            rep.check("the index lists the scenarios", "Cookie decoder" in titles, titles[:200])
            d.screenshot(os.path.join(args.screenshots, "index.png"))
            for s in listed:
                if s["flow"] is None:
                    continue
                try:
                    run_scenario(d, origin, s["id"], s["flow"], rep, args.screenshots)
                except Exception as e:  # noqa: BLE001 - report and go on with the next scenario
                    rep.check(f"{s['id']}: flow ran", False, repr(e))
            for s in listed:
                if s["startup_error"] is None:
                    continue
                open_page(d, f"{origin}/#/s/{s['id']}")
                text = d.text("main")
                rep.check(f"{s['id']}: the start-up error is shown", s["startup_error"] in text,
                          text[:300])
                d.screenshot(os.path.join(args.screenshots, f"{s['id']}.png"))
            errors = [e for e in d.logs() if e.get("level") == "SEVERE"]
            rep.check("the console has no errors", not errors, json.dumps(errors)[:600])
            urls = d.js("return performance.getEntriesByType('resource').map(e => e.name)"
                        ".concat([location.href])")
            outside = [u for u in urls if not u.startswith(origin)]
            rep.check("no request left loopback", not outside, repr(outside[:5]))
    except Exception as e:  # noqa: BLE001
        rep.check("the browser session", False, repr(e))
    print(f"{rep.passed} passed, {rep.failed} failed")
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
