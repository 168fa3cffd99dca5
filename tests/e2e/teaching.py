#!/usr/bin/env python3
"""End-to-end test of the teaching features of the built lab, in headless Chromium through
chromedriver: share links, the embed, the HAR and Markdown exports, the guide, presenter mode.

1. Share links: for seed-004-server-persist and seed-001 (with its second browser), act in a
   fresh browser profile (the guide's "Do it", the clock, closing and reopening the browser),
   press Share and read the link; open the link in another fresh profile (a new browser) and
   compare the browsers' pages, the wire, the jar, the session cookie, the store, the real
   `document.cookie` (`sl.<id>.*`) and the `localStorage` store (`sl.store.<id>...`): all must be
   identical, session ids and signed values byte for byte. The address must then read
   `#/s/<id>` and the replayed lab must go on (the next "Do it").
2. The embed: the Share box's `<iframe>` snippet in a page of its own, served from loopback; in
   the frame only the browser and the jar, the replayed state, and a link back to the full lab
   (followed, it opens the same state).
3. Exports: the HAR download validated against the HAR 1.2 schema (scripts/har_validate.mjs,
   npm's har-validator) and compared with the wire exchange by exchange; the Markdown
   transcript holds every request line and every Set-Cookie. (Importing the HAR into DevTools'
   Network panel cannot be driven from here; the schema stands in for it.)
4. Screenshots: guide-1400.png, guide-390.png (the full page height), presenter.png (with the
   shortcuts overlay), share.png, embed.png.
5. Every browser: no console errors, and no request left loopback.

Standard library only (plus node for the HAR validator). Usage:
    python3 tests/e2e/teaching.py [--dist dist] [--chromedriver /usr/bin/chromedriver]
                                  [--screenshots target/screenshots]
The last line is `N passed, M failed`; the exit status is 1 on any failure.
"""
import base64
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from webdriver import (Driver, Report, download_prefs, e2e_parser, open_page, serve_dir,  # noqa: E402
                       start_chromedriver, wait_for)

# What each scenario does before it is shared: ("step", id) presses that step's "Do it";
# ("click", css) presses a control. `next` is the step the replayed lab does next.
SCENARIOS = [
    {
        "id": "seed-004-server-persist",
        "acts": [("step", "protected"), ("step", "login"), ("click", "#clock-1m"),
                 ("step", "sliding"), ("click", "#restart-browser"), ("step", "restart")],
        "next": "idle",
        "screenshots": True,
    },
    {
        "id": "seed-001",
        # Sign in, move the clock, close and reopen the browser (which drops this app's
        # non-permanent session cookie), sign in again, read it, then the second browser.
        "acts": [("step", "set"), ("click", "#clock-1m"), ("click", "#restart-browser"),
                 ("step", "set"), ("step", "get"), ("step", "second-browser")],
        "next": "pop",
        "screenshots": False,
    },
]

# Where the guide is, next to the main browser pane.
GUIDE_PLACE = """
const g = document.querySelector('section.guide').getBoundingClientRect();
const b = document.querySelector('section.browser').getBoundingClientRect();
return g.right <= b.left ? 'left' : g.bottom <= b.top ? 'above' : JSON.stringify([g, b]);
"""

DESKTOP = (1400, 900)
PHONE = (390, 844)


def settle(d):
    """Waits for the page to render what the last click did (a frame, then a task)."""
    d.js_async("const done = arguments[arguments.length - 1];"
               " requestAnimationFrame(() => setTimeout(done, 0));")


def wire_count(d):
    return d.js("return document.querySelectorAll('section.wire li.exchange').length")


def lab_now(d):
    return d.js("const t = document.getElementById('lab-now'); return t ? t.textContent : null")


def act(d, rep, sid, kind, what):
    """Does one act and waits until the page shows it."""
    if kind == "step":
        before = wire_count(d)
        d.click(f"li.step[data-step='{what}'] button.doit")
        rep.check(f"{sid}: 'Do it' on step {what} sent requests",
                  wait_for(lambda: wire_count(d) > before), f"{wire_count(d)} exchanges")
    else:
        before = lab_now(d)
        d.click(what)
        if what.startswith("#clock-"):
            rep.check(f"{sid}: {what} moved the lab clock",
                      wait_for(lambda: lab_now(d) != before), before)
    settle(d)


def steps_state(d):
    return d.js("return [...document.querySelectorAll('li.step')]"
                ".map(l => [l.dataset.step, l.classList.contains('done'),"
                " l.classList.contains('current')])")


# Everything the lab shows and holds, read at once. The state pane is one section with a
# heading per part: its children are grouped under the heading before them.
SNAPSHOT_JS = r"""
const id = arguments[0];
const text = (el) => (el ? el.innerText : null);
const parts = {};
const state = document.querySelector('section.state');
let heading = null;
for (const el of state ? state.children : []) {
  if (el.tagName === 'H2') { heading = el.textContent; parts[heading] = []; }
  else if (heading !== null) parts[heading].push(el.innerText);
}
const cookies = document.cookie.split('; ').filter((c) => c.startsWith('sl.' + id + '.')).sort();
const storage = {};
for (const k of Object.keys(localStorage)) {
  const store = k.startsWith('sl.store.' + id + ':') || k === 'sl.store.' + id;
  const meta = k.startsWith('sl.cookie-meta:sl.' + id + '.');
  if (store || meta) storage[k] = localStorage.getItem(k);
}
return {
  browsers: [...document.querySelectorAll('section.browser')].map((b) => ({
    label: b.getAttribute('aria-label'),
    address: b.querySelector('input[aria-label=Address]').value,
    page: text(b.querySelector('.viewport')),
  })),
  wire: text(document.querySelector('section.wire')),
  jar: (parts['Cookie jar'] || []).join('\n'),
  jar_values: [...document.querySelectorAll('table.jar tbody td.value')].map((td) => td.title),
  session_cookie: (parts['Session cookie'] || []).join('\n'),
  store_rows: [...document.querySelectorAll('table.store tbody tr')]
    .map((tr) => [...tr.children].map((td) => td.innerText)),
  store_other: (parts["Server's session store"] || []).filter((t) => !t.includes('\tTTL')).join('\n'),
  document_cookie: cookies,
  storage: storage,
  steps: [...document.querySelectorAll('li.step')]
    .map((l) => l.dataset.step + (l.classList.contains('done') ? ':done' : ''))
    .join(' '),
  messages: text(document.querySelector('.lab-messages')),
};
"""

DURATION = re.compile(r"(?:(\d+)d (\d+)h|(\d+)h (\d+)m|(\d+)m (\d+)s|(\d+)s)")


def duration_seconds(text):
    """`3d 4h`, `1h 2m`, `5m 1s`, `7s` (the lab's `duration`) in seconds, with the text's
    resolution; None for anything else."""
    m = DURATION.fullmatch(text.strip())
    if not m:
        return None
    g = [int(x) if x else None for x in m.groups()]
    if g[0] is not None:
        return g[0] * 86400 + g[1] * 3600, 3600
    if g[2] is not None:
        return g[2] * 3600 + g[3] * 60, 60
    if g[4] is not None:
        return g[4] * 60 + g[5], 1
    return g[6], 1


def close_countdowns(a, b, elapsed):
    """Whether two countdowns (or ages) read `elapsed` real seconds apart agree: the later
    one may have moved by up to that much (plus the one-second tick and rounding)."""
    if a == b:
        return True
    pa, pb = duration_seconds(a), duration_seconds(b)
    if pa is None or pb is None:
        return False
    slack = elapsed + 2 + max(pa[1], pb[1])
    return abs(pa[0] - pb[0]) <= slack


AGE = re.compile(r"\(age ([^)]*)\)")


def compare_snapshots(rep, label, a, b, elapsed):
    """`b` (the replayed lab) against `a` (the lab that was shared), `elapsed` real seconds
    later."""
    for key in ["browsers", "wire", "jar", "jar_values", "store_other", "document_cookie",
                "storage", "steps"]:
        rep.check(f"{label}: {key} is identical after the replay", a[key] == b[key],
                  f"\n  shared:   {json.dumps(a[key])[:900]}\n  replayed: {json.dumps(b[key])[:900]}")
    # The session cookie's age (a signed cookie's timestamp) follows the real clock, which went
    # on between the two readings: only the age is compared with that tolerance, the rest of the
    # text (payload, timestamp, signature verdict, or the session id) must be identical.
    ages_a, ages_b = AGE.findall(a["session_cookie"]), AGE.findall(b["session_cookie"])
    rep.check(f"{label}: the session cookie readout is identical after the replay "
              "(its age aside)",
              AGE.sub("(age …)", a["session_cookie"]) == AGE.sub("(age …)", b["session_cookie"])
              and len(ages_a) == len(ages_b)
              and all(close_countdowns(x, y, elapsed) for x, y in zip(ages_a, ages_b)),
              f"\n  shared:   {a['session_cookie']!r}\n  replayed: {b['session_cookie']!r}")
    # Likewise a store entry's TTL counts down with the real clock: keys and data must be
    # identical, the TTLs equal up to the seconds that passed.
    rows_a, rows_b = a["store_rows"], b["store_rows"]
    same_rows = len(rows_a) == len(rows_b) and all(
        ra[:-1] == rb[:-1] and close_countdowns(ra[-1], rb[-1], elapsed)
        for ra, rb in zip(rows_a, rows_b))
    rep.check(f"{label}: the store's entries are identical after the replay (TTLs within "
              f"{elapsed:.0f}s of real time)", same_rows,
              f"\n  shared:   {rows_a}\n  replayed: {rows_b}")
    rep.check(f"{label}: the replayed lab says nothing went wrong", b["messages"] is None,
              b["messages"])


def real_cookies(d, origin, sid):
    """The scenario's real cookies as the browser keeps them (DevTools' view): name -> (value,
    seconds of life left, or None for a session cookie)."""
    try:
        got = d.cdp("Network.getCookies", {"urls": [origin + "/"]})["cookies"]
    except RuntimeError:
        got = d.cdp("Storage.getCookies", {})["cookies"]
    now = time.time()
    return {c["name"]: (c["value"], None if c.get("session") or c["expires"] < 0
                        else c["expires"] - now)
            for c in got if c["name"].startswith(f"sl.{sid}.")}


def compare_real_cookies(rep, label, a, b, elapsed):
    """The replayed browser's real cookies: the same names and values, and real expiry dates
    that leave the same time (the replayed lab's clock went on by `elapsed`)."""
    rep.check(f"{label}: the real cookies (DevTools) have the same names and values",
              {k: v[0] for k, v in a.items()} == {k: v[0] for k, v in b.items()},
              f"{a} vs {b}")
    for name in sorted(set(a) & set(b)):
        la, lb = a[name][1], b[name][1]
        ok = (la is None and lb is None) or (
            la is not None and lb is not None and -2 <= la - lb <= elapsed + 2)
        rep.check(f"{label}: the real cookie {name} expires as the lab's does",
                  ok, f"shared with {la} s left, replayed with {lb} s left, "
                      f"{elapsed:.1f} s later")


def set_viewport(d, size, mobile=False):
    w, h = size
    d.cdp("Emulation.setDeviceMetricsOverride",
          {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": mobile})
    settle(d)


def full_page_screenshot(d, path, width):
    """The whole scroll height, not only the viewport."""
    metrics = d.cdp("Page.getLayoutMetrics")
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    shot = d.cdp("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": size["height"], "scale": 1},
    })
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot["data"]))
    return size


def press(d, key):
    """One key press on whatever has the focus (the page's body)."""
    d.s("/actions", "POST", {"actions": [{
        "type": "key", "id": "keyboard",
        "actions": [{"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}],
    }]})
    d.s("/actions", "DELETE")
    settle(d)


def wait_for_download(directory, name, timeout=15.0):
    """The downloaded file's path once it is complete (no `.crdownload` left, and JSON or
    text that stopped growing), or None."""
    path = os.path.join(directory, name)
    end = time.time() + timeout
    last = -1
    while time.time() < end:
        partial = [f for f in os.listdir(directory) if f.endswith(".crdownload")]
        if os.path.exists(path) and not partial:
            size = os.path.getsize(path)
            if size > 0 and size == last:
                return path
            last = size
        time.sleep(0.05)
    return None


# The wire, oldest first: method, target, status, which browser, each Set-Cookie value.
WIRE_JS = r"""
return [...document.querySelectorAll('section.wire li.exchange')].reverse().map((li) => ({
  method: li.querySelector('.method').textContent,
  target: li.querySelector('.target').textContent,
  status: Number(li.querySelector('.request-line .status').textContent),
  second: li.querySelector('.request-line').textContent.includes('(second browser)'),
  set_cookies: li.querySelector('pre.headers').textContent.split('\n')
    .filter((l) => l.startsWith('Set-Cookie: ')).map((l) => l.slice('Set-Cookie: '.length)),
}));
"""


def check_exports(d, rep, sid, downloads):
    wire = d.js(WIRE_JS)
    rep.check(f"{sid}: the wire lists exchanges", len(wire) > 0, wire)
    d.click("#export-har")
    har_path = wait_for_download(downloads, f"session-lab-{sid}.har")
    if rep.check(f"{sid}: Download HAR saves session-lab-{sid}.har", har_path is not None,
                 os.listdir(downloads)):
        out = subprocess.run(["node", os.path.join(ROOT, "scripts", "har_validate.mjs"), har_path],
                             capture_output=True, text=True)
        rep.check(f"{sid}: the HAR validates against the HAR 1.2 schema", out.returncode == 0,
                  (out.stdout + out.stderr)[-1500:])
        with open(har_path, encoding="utf-8") as f:
            entries = json.load(f)["log"]["entries"]
        rep.check(f"{sid}: the HAR has one entry per exchange on the wire",
                  len(entries) == len(wire), f"{len(entries)} entries, {len(wire)} exchanges")
        for i, (e, w) in enumerate(zip(entries, wire)):
            got = {
                "method": e["request"]["method"],
                "url": e["request"]["url"],
                "status": e["response"]["status"],
                "page": e.get("pageref"),
                "set_cookies": [h["value"] for h in e["response"]["headers"]
                                if h["name"].lower() == "set-cookie"],
            }
            want = {
                "method": w["method"],
                "url": "http://localhost" + w["target"],
                "status": w["status"],
                "page": "second" if w["second"] else "main",
                "set_cookies": w["set_cookies"],
            }
            rep.check(f"{sid}: HAR entry {i + 1} is the wire's exchange {i + 1}", got == want,
                      f"{got} vs {want}")
            rep.check(f"{sid}: HAR entry {i + 1} takes each Set-Cookie apart",
                      len(e["response"]["cookies"]) == len(w["set_cookies"]),
                      e["response"]["cookies"])
    d.click("#export-md")
    md_path = wait_for_download(downloads, f"session-lab-{sid}.md")
    if rep.check(f"{sid}: Download transcript saves session-lab-{sid}.md", md_path is not None,
                 os.listdir(downloads)):
        with open(md_path, encoding="utf-8") as f:
            md = f.read()
        for w in wire:
            line = f"{w['method']} {w['target']} HTTP/1.1"
            rep.check(f"{sid}: the transcript has the request line {line!r}", line in md, "")
            for c in w["set_cookies"]:
                rep.check(f"{sid}: the transcript has Set-Cookie: {c[:60]}…",
                          f"Set-Cookie: {c}\n" in md, "")
        rep.check(f"{sid}: the transcript has one section per exchange",
                  md.count("\n## Request ") == len(wire), md.count("\n## Request "))


def check_clean(d, rep, label, origin):
    """No console errors, and no request of the page (or of its frames) left `origin`."""
    errors = [e for e in d.logs() if e.get("level") == "SEVERE"]
    rep.check(f"{label}: the console has no errors", not errors, json.dumps(errors)[:800])
    urls = d.js("const names = performance.getEntriesByType('resource').map(e => e.name)"
                ".concat([location.href]);"
                " for (const f of document.querySelectorAll('iframe')) {"
                "  try { names.push(...f.contentWindow.performance.getEntriesByType('resource')"
                "   .map(e => e.name), f.contentWindow.location.href); } catch (e) {"
                "   names.push('cross-origin frame ' + f.src); } }"
                " return names;")
    outside = [u for u in urls if not (u.startswith(origin + "/") or u.startswith("blob:" + origin))]
    rep.check(f"{label}: no request left loopback", not outside, repr(outside[:5]))


class Browsers:
    """Fresh browsers: each a new profile directory, with its own download directory."""

    def __init__(self, base, tmp):
        self.base, self.tmp, self.open = base, tmp, []

    def new(self, name):
        profile = tempfile.mkdtemp(prefix=f"profile-{name}-", dir=self.tmp)
        downloads = tempfile.mkdtemp(prefix=f"downloads-{name}-", dir=self.tmp)
        d = Driver(self.base, profile, script_timeout=10_000, prefs=download_prefs(downloads))
        d.downloads = downloads
        self.open.append(d)
        return d

    def close(self, d):
        if d in self.open:
            self.open.remove(d)
            try:
                d.quit()
            except Exception:  # noqa: BLE001
                pass

    def close_all(self):
        for d in list(self.open):
            self.close(d)


def share_and_read(d, rep, sid):
    d.click("#share")
    rep.check(f"{sid}: Share shows the link",
              wait_for(lambda: d.js("const i = document.getElementById('share-link');"
                                    " return !!(i && i.value)")), "no #share-link")
    link = d.js("return document.getElementById('share-link').value")
    snippet = d.js("return document.getElementById('embed-snippet').value")
    label = d.js("return document.getElementById('share-link').getAttribute('aria-label')")
    rep.check(f"{sid}: the share link field is labelled", label == "Share link", label)
    return link, snippet


def run_scenario(browsers, rep, origin, host_origin, host_dir, sc, shots):
    sid = sc["id"]
    result = {}
    # --- The lab that is shared, in a fresh browser.
    d = browsers.new(f"{sid}-shared")
    set_viewport(d, DESKTOP)
    open_page(d, f"{origin}/#/s/{sid}")
    d.find("section.guide li.step.current")
    wait_for(lambda: wire_count(d) > 0)
    for i, (kind, what) in enumerate(sc["acts"]):
        act(d, rep, sid, kind, what)
        if i == 1 and sc["screenshots"]:
            d.js("window.scrollTo(0, 0)")
            d.screenshot(os.path.join(shots, "guide-1400.png"))
            rep.check("at 1400 px the guide is at the left of the browser", d.js(GUIDE_PLACE) == "left",
                      d.js(GUIDE_PLACE))
            set_viewport(d, PHONE, mobile=True)
            rep.check("at 390 px the guide comes first, above the browser", d.js(GUIDE_PLACE) == "above",
                      d.js(GUIDE_PLACE))
            size = full_page_screenshot(d, os.path.join(shots, "guide-390.png"), PHONE[0])
            rep.info(f"guide-390.png is {PHONE[0]}x{size['height']:.0f} CSS pixels")
            overflow = d.js("return document.documentElement.scrollWidth")
            rep.check("at 390 px wide the page does not scroll sideways", overflow <= PHONE[0],
                      f"scrollWidth {overflow}")
            set_viewport(d, DESKTOP)
    for step, done, _ in steps_state(d):
        if any(k == "step" and w == step for k, w in sc["acts"]):
            rep.check(f"{sid}: step {step} is ticked after its 'Do it'", done, steps_state(d))
    current = [s for s, _, cur in steps_state(d) if cur]
    rep.check(f"{sid}: the guide points at step {sc['next']} next", current == [sc["next"]],
              current)
    check_exports(d, rep, sid, d.downloads)

    link, snippet = share_and_read(d, rep, sid)
    shared_at = time.time()
    snap_a = d.js(SNAPSHOT_JS, sid)
    real_a = real_cookies(d, origin, sid)
    result["link"] = link
    rep.info(f"{sid}: share link {len(link)} characters (lab= {len(link.split('?lab=')[-1])}), "
             f"embed snippet {len(snippet)} characters")
    rep.check(f"{sid}: the share link is this page's address with #/s/{sid}?lab=",
              link.startswith(f"{origin}/#/s/{sid}?lab=1."), link[:120])
    if sc["screenshots"]:
        d.js("window.scrollTo(0, 0)")
        d.screenshot(os.path.join(shots, "share.png"))
    rep.check(f"{sid}: the lab holds a session cookie to compare",
              bool(snap_a["document_cookie"]) and bool(snap_a["jar_values"]), snap_a["jar"])

    if sc["screenshots"]:
        # Presenter mode and the shortcuts overlay, through the keyboard shortcuts.
        d.click(".share-box button")  # Close: the share box goes, the focus is on no field
        rep.check("the share box closes",
                  wait_for(lambda: d.js("return !document.querySelector('.share-box')")), "still open")
        press(d, "p")
        rep.check("the p key turns presenter mode on (and the button says so)",
                  d.js("return document.documentElement.classList.contains('presenter')"
                       " && document.getElementById('presenter').getAttribute('aria-pressed') === 'true'"),
                  d.js("return document.documentElement.className"))
        press(d, "?")
        rep.check("the ? key opens the shortcuts overlay",
                  wait_for(lambda: d.js("return !!document.querySelector('.overlay[role=dialog]')")),
                  "no overlay")
        overlay = d.text(".overlay[role=dialog]")
        rep.check("the overlay lists n, t, r, c, p and ?",
                  all(k in overlay.split() for k in ["n", "t", "r", "c", "p", "?"]), overlay)
        d.js("window.scrollTo(0, 0)")
        d.screenshot(os.path.join(shots, "presenter.png"))
        press(d, "\ue00c")  # Escape
        rep.check("Escape closes the shortcuts overlay",
                  d.js("return !document.querySelector('.overlay[role=dialog]')"), "still open")
        press(d, "p")
        rep.check("the p key turns presenter mode off again",
                  not d.js("return document.documentElement.classList.contains('presenter')"),
                  "still on")
        rep.check("the shortcuts did not change the lab", d.js(SNAPSHOT_JS, sid)["wire"] == snap_a["wire"],
                  "the wire changed")
    check_clean(d, rep, f"{sid} (shared lab)", origin)
    browsers.close(d)

    # --- The link, in a fresh browser: the same lab.
    d = browsers.new(f"{sid}-replayed")
    set_viewport(d, DESKTOP)
    open_page(d, link)
    d.find("section.guide li.step")
    rep.check(f"{sid}: the replay shows as many exchanges",
              wait_for(lambda: d.js(SNAPSHOT_JS, sid)["wire"] == snap_a["wire"]),
              f"{wire_count(d)} exchanges")
    snap_b = d.js(SNAPSHOT_JS, sid)
    real_b = real_cookies(d, origin, sid)
    elapsed = time.time() - shared_at
    compare_snapshots(rep, f"{sid} replayed", snap_a, snap_b, elapsed)
    compare_real_cookies(rep, f"{sid} replayed", real_a, real_b, elapsed)
    rep.check(f"{sid}: after the replay the address is #/s/{sid}",
              d.js("return location.hash") == f"#/s/{sid}", d.js("return location.href"))
    before = wire_count(d)
    d.click(f"li.step.current[data-step='{sc['next']}'] button.doit")
    rep.check(f"{sid}: the replayed lab goes on: 'Do it' on {sc['next']} sends requests",
              wait_for(lambda: wire_count(d) > before), wire_count(d))
    rep.check(f"{sid}: ... and ticks step {sc['next']}",
              wait_for(lambda: any(s == sc["next"] and done for s, done, _ in steps_state(d))),
              steps_state(d))
    check_clean(d, rep, f"{sid} (replayed lab)", origin)
    browsers.close(d)

    # --- The embed snippet on a page of its own.
    src = html.unescape(re.search(r'src="([^"]*)"', snippet).group(1))
    rep.check(f"{sid}: the embed snippet names the browser and the jar",
              src.startswith(f"{origin}/#/embed/{sid}?panes=browser,jar&lab=1."), src[:120])
    # Served from the host page's own origin: the snippet's address made relative to it.
    relative = snippet.replace(f'src="{origin}/', 'src="./', 1)
    page = f"embed-host-{sid}.html"
    with open(os.path.join(host_dir, page), "w", encoding="utf-8") as f:
        f.write("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                f"<title>A slide about {sid}</title><link rel=\"icon\" href=\"data:,\">"
                "<style>body{font:16px sans-serif;margin:24px}</style></head>\n<body>\n"
                f"<h1>A slide: {html.escape(sid)}</h1>\n<p>The lab, as it was shared:</p>\n"
                f"{relative}\n</body></html>\n")
    d = browsers.new(f"{sid}-embed")
    set_viewport(d, DESKTOP)
    d.s("/url", "POST", {"url": f"{host_origin}/{page}"})
    frame = d.find("iframe")
    d.frame(frame)
    d.find("#lab[data-app=running]")
    d.find("main.embed")
    wait_for(lambda: d.js(SNAPSHOT_JS, sid)["jar_values"] == snap_a["jar_values"])
    emb = d.js(r"""
      const q = (s) => document.querySelectorAll(s).length;
      const state = document.querySelector('section.state');
      const a = document.querySelector('.embed-head a');
      return {
        browsers: q('section.browser'), wire: q('section.wire'), guide: q('section.guide'),
        controls: q('.controls'), code: q('.flask-code, section.code'),
        headings: state ? [...state.querySelectorAll('h2')].map((h) => h.textContent) : [],
        jar_values: [...document.querySelectorAll('table.jar tbody td.value')].map((td) => td.title),
        page: (document.querySelector('section.browser .viewport') || {}).innerText,
        link: a ? a.href : null, link_text: a ? a.textContent : null,
        // A linked embed's scope is `embed.<id>.<hash of the link>`, whose cookies are named
        // `sl.embed-<id>-<hash>.*`.
        cookies: document.cookie.split('; ')
          .filter((c) => c.startsWith('sl.embed-' + arguments[0] + '-')).sort(),
        lab_cookies: document.cookie.split('; ').filter((c) => c.startsWith('sl.' + arguments[0] + '.')),
      };""", sid)
    rep.check(f"{sid} embed: one browser pane and the jar, nothing else",
              emb["browsers"] == 1 and emb["wire"] == 0 and emb["guide"] == 0
              and emb["controls"] == 0 and emb["headings"] == ["Cookie jar"],
              {k: emb[k] for k in ["browsers", "wire", "guide", "controls", "headings"]})
    rep.check(f"{sid} embed: the jar holds the shared lab's cookie values",
              emb["jar_values"] == snap_a["jar_values"], f"{emb['jar_values']} vs {snap_a['jar_values']}")
    rep.check(f"{sid} embed: the browser shows the shared lab's page",
              emb["page"] == snap_a["browsers"][0]["page"],
              f"{emb['page']!r} vs {snap_a['browsers'][0]['page']!r}")
    rep.check(f"{sid} embed: it leaves the lab's own cookies (sl.{sid}.*) alone",
              emb["lab_cookies"] == [], emb["lab_cookies"])
    rep.check(f"{sid} embed: its real cookies are its own (sl.embed-{sid}.*) with the same values",
              [c.split("=", 1)[1] for c in emb["cookies"]]
              == [c.split("=", 1)[1] for c in snap_a["document_cookie"]
                  if not c.startswith(f"sl.{sid}.second.")],
              f"{emb['cookies']} vs {snap_a['document_cookie']}")
    rep.check(f"{sid} embed: it links to the full lab",
              bool(emb["link"]) and emb["link"].startswith(f"{host_origin}/#/s/{sid}?lab=1.")
              and "Open in Session Lab" in (emb["link_text"] or ""), emb["link"])
    d.frame(None)
    if sc["screenshots"]:
        d.screenshot(os.path.join(shots, "embed.png"))
    check_clean(d, rep, f"{sid} (embed host)", host_origin)
    # The link back opens the full lab with the same state (in this browser's top level).
    if emb["link"]:
        open_page(d, emb["link"])
        d.find("section.guide li.step")
        wait_for(lambda: d.js(SNAPSHOT_JS, sid)["wire"] == snap_a["wire"])
        full = d.js(SNAPSHOT_JS, sid)
        rep.check(f"{sid} embed: the link back shows the same wire and jar in the full lab",
                  full["wire"] == snap_a["wire"] and full["jar_values"] == snap_a["jar_values"]
                  and full["browsers"] == snap_a["browsers"],
                  f"{full['jar_values']} vs {snap_a['jar_values']}")
        check_clean(d, rep, f"{sid} (embed's link back)", host_origin)
    browsers.close(d)
    return result


def main() -> int:
    args = e2e_parser().parse_args()
    os.makedirs(args.screenshots, exist_ok=True)
    rep = Report()
    started = time.time() - 1
    tmp = tempfile.mkdtemp(prefix="sl-teaching-")
    # The embed's host pages live next to a copy of the bundle, never in dist/ itself.
    host_dir = os.path.join(tmp, "host")
    shutil.copytree(args.dist, host_dir)
    server, origin = serve_dir(args.dist)
    host_server, host_origin = serve_dir(host_dir)
    chromedriver, base = start_chromedriver(args.chromedriver)
    browsers = Browsers(base, tmp)
    try:
        for sc in SCENARIOS:
            try:
                run_scenario(browsers, rep, origin, host_origin, host_dir, sc, args.screenshots)
            except Exception as e:  # noqa: BLE001 - report and go on with the next scenario
                rep.check(f"{sc['id']}: ran to the end", False, repr(e))
            finally:
                browsers.close_all()
        for name in ["guide-1400.png", "guide-390.png", "presenter.png", "share.png", "embed.png"]:
            path = os.path.join(args.screenshots, name)
            rep.check(f"screenshot {name} was written",
                      os.path.exists(path) and os.path.getmtime(path) >= started,
                      path)
    finally:
        browsers.close_all()
        chromedriver.terminate()
        server.shutdown()
        host_server.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{rep.passed} passed, {rep.failed} failed")
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
