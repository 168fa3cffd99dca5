#!/usr/bin/env python3
"""Offline and installing: the built lab (`dist/`) as a web app, in headless Chromium.

1. The files: the manifest parses, names the lab, starts and scopes at "./", and its icons are
   PNGs of the sizes it says; index.html links it and its policy allows the worker and the
   manifest; sw.js caches exactly the files of the bundle.
2. Offline after one visit: a copy of dist/ is served on loopback and opened once with a fresh
   profile; once the service worker controls the page, the server is shut down (its port
   refuses), and the lab loads again, the index and a scenario page.
3. A clean update: the copy gets a new deploy (sw.js with another version, index.html marked),
   the server comes back on the same port, and one reload brings the new page; the new worker
   takes over, the old version's cache is deleted, and offline the new page is what loads.

The console may show only the failed network fetches of an offline page. Screenshots go to
target/screenshots/ (offline.png, offline-scenario.png). Standard library only. Usage:
    python3 tests/e2e/offline.py [--dist dist] [--chromedriver /usr/bin/chromedriver]
                                 [--screenshots target/screenshots]
The last line is `N passed, M failed`; the exit status is 1 on any failure.
"""
import functools
import http.server
import json
import os
import re
import shutil
import socket
import struct
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from webdriver import Report, Driver, Quiet, e2e_parser, free_port, start_chromedriver  # noqa: E402

SCENARIO = "seed-001"
HASHED = re.compile(r"-[0-9a-f]{8,}(_bg)?\.(js|wasm|css)$")
# What an offline page may log about its own origin: requests that fail (the browser's check for
# a new sw.js, the worker's network-first page load). Chromium 156 logs none of them.
EXPECTED_OFFLINE = ("net::ERR_CONNECTION_REFUSED", "Failed to fetch",
                    "An unknown error occurred when fetching the script")


def png_size(path):
    """(width, height) from a PNG's IHDR, or None if the file is not a PNG."""
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def worker_constants(dist):
    """VERSION and FILES as scripts/csp.py wrote them into the built sw.js."""
    code = open(os.path.join(dist, "sw.js"), encoding="utf-8").read()
    version = re.search(r"^const VERSION = (.*);$", code, re.M)
    files = re.search(r"^const FILES = (.*);$", code, re.M)
    return json.loads(version.group(1)), json.loads(files.group(1))


def bundle_files(dist):
    return sorted(os.path.relpath(os.path.join(top, n), dist).replace(os.sep, "/")
                  for top, _, names in os.walk(dist) for n in names)


def check_files(dist, rep):
    manifest = None
    try:
        with open(os.path.join(dist, "manifest.webmanifest"), encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        rep.check("the manifest parses", False, repr(e))
        return
    rep.check("the manifest parses", True)
    rep.check("the manifest names the lab and installs it standalone at ./",
              manifest.get("name") == "Session Lab" and manifest.get("short_name")
              and manifest.get("start_url") == "./" and manifest.get("scope") == "./"
              and manifest.get("display") == "standalone"
              and manifest.get("theme_color") and manifest.get("background_color"),
              json.dumps({k: v for k, v in manifest.items() if k != "icons"}))
    icons = manifest.get("icons", [])
    for icon in icons:
        src = icon.get("src", "")
        path = os.path.join(dist, src)
        relative = not re.match(r"^(/|[a-z]+:)", src)
        size = png_size(path) if relative and os.path.isfile(path) else None
        want = tuple(int(n) for n in icon.get("sizes", "0x0").split("x"))
        rep.check(f"icon {src}: a relative path to a {icon.get('sizes')} PNG",
                  relative and icon.get("type") == "image/png" and size == want, f"found {size}")
    kinds = {(icon.get("sizes"), icon.get("purpose", "any")) for icon in icons}
    rep.check("the icons: 192 and 512 for any use, and a maskable one",
              {("192x192", "any"), ("512x512", "any")} <= kinds
              and any(purpose == "maskable" for _, purpose in kinds), repr(sorted(kinds)))

    html = open(os.path.join(dist, "index.html"), encoding="utf-8").read()
    rep.check("index.html links the manifest",
              '<link rel="manifest" href="manifest.webmanifest"' in html, "")
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    policy = policy.group(1) if policy else ""
    rep.check("the policy allows this directory's worker and manifest, and still no more",
              "worker-src 'self'" in policy and "manifest-src 'self'" in policy
              and "default-src 'none'" in policy and "connect-src 'self';" in policy, policy)
    rep.check("index.html registers the worker", "serviceWorker.register('./sw.js')" in html, "")

    version, files = worker_constants(dist)
    bundle = [f for f in bundle_files(dist) if f != "sw.js"]
    rep.check("sw.js caches exactly the files of the bundle", files == bundle,
              f"sw.js: {files}; dist: {bundle}")
    rep.check("sw.js has a version", re.fullmatch(r"[0-9a-f]{16}", version) is not None, version)


class Site:
    """A directory served on one loopback port (as webdriver.serve_dir serves it) that can be
    stopped and started again; `sent` lists the (path, status) of each answer. Like a production
    host (scripts/serve_gzip.py), it lets browsers keep trunk's hashed files for good; the rest
    they may keep as long as the HTTP cache guesses from Last-Modified."""

    def __init__(self, directory):
        self.directory = directory
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.sent = []
        self.start()

    def start(self):
        sent = self.sent

        class Handler(Quiet):
            def log_request(self, code="-", size="-"):
                sent.append((self.path, int(code)))

            def end_headers(self):
                if HASHED.search(self.path):
                    self.send_header("Cache-Control", "public, max-age=31536000, immutable")
                super().end_headers()

        handler = functools.partial(Handler, directory=os.path.abspath(self.directory))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.server = None

    def refuses(self):
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=2).close()
            return False
        except ConnectionRefusedError:
            return True


def wait_for(predicate, timeout=20.0):
    end = time.time() + timeout
    while time.time() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    return predicate()


def caches(d):
    """This origin's caches and the URLs in each: {name: [url, ...]}."""
    return d.js_async("""
        const done = arguments[arguments.length - 1];
        (async () => {
          const out = {};
          for (const name of await caches.keys()) {
            out[name] = (await (await caches.open(name)).keys()).map((r) => r.url).sort();
          }
          return out;
        })().then(done, (e) => done({error: String(e)}));""")


def worker_state(d):
    return d.js_async("""
        const done = arguments[arguments.length - 1];
        navigator.serviceWorker.getRegistration().then((r) => done({
          controller: navigator.serviceWorker.controller && navigator.serviceWorker.controller.scriptURL,
          active: r && r.active && r.active.state,
          waiting: !!(r && r.waiting),
          installing: !!(r && r.installing),
        }), (e) => done({error: String(e)}));""")


def running(d, timeout=20.0):
    try:
        d.find("#lab[data-app=running]", timeout=timeout)
        return True
    except AssertionError:
        return False


def scenario_title(dist, scenario):
    """The scenario's heading as index.html's first paint carries it."""
    html = open(os.path.join(dist, "index.html"), encoding="utf-8").read()
    view = re.search(r'data-route="/s/%s"[^>]*>.*?<h1>(.*?)</h1>' % re.escape(scenario), html, re.S)
    return view.group(1) if view else None


def main() -> int:
    args = e2e_parser().parse_args()
    os.makedirs(args.screenshots, exist_ok=True)
    rep = Report()
    check_files(args.dist, rep)

    # The browser gets a copy, so that the update below can deploy into it, in a directory of
    # the site (the bundle's paths are relative, and the worker's scope is that directory).
    work = tempfile.mkdtemp(prefix="sl-offline-")
    site_dir = os.path.join(work, "www", "lab")
    shutil.copytree(args.dist, site_dir)
    version, files = worker_constants(site_dir)
    title = scenario_title(site_dir, SCENARIO)
    site = Site(os.path.join(work, "www"))
    origin = site.origin
    app = f"{origin}/lab/"
    chromedriver, base = start_chromedriver(args.chromedriver)
    d = None
    online, offline = [], []  # the console, while the server is up and while it is not
    try:
        d = Driver(base, os.path.join(work, "profile"), script_timeout=20_000)

        # One visit, online.
        d.s("/url", "POST", {"url": app})
        rep.check("online: the lab runs", running(d))
        rep.check("online: the service worker controls the page after the first visit",
                  wait_for(lambda: worker_state(d).get("controller")), worker_state(d))
        cached = caches(d)
        names = list(cached)
        rep.check("one cache, named after the lab's directory and the bundle's version",
                  names == [f"session-lab {app} {version}"], repr(names))
        want = sorted(app + f for f in files)
        rep.check("the cache holds exactly the bundle's files",
                  names and cached[names[0]] == want, json.dumps(cached)[:600])
        hashed = [f for f in files if HASHED.search(f)]
        twice = [f for f in hashed if [p for p, _ in site.sent].count(f"/lab/{f}") != 1]
        rep.check("the first visit asks for the JS and the wasm once (the worker takes them from"
                  " the HTTP cache)", hashed and not twice, repr(site.sent))
        installable = d.s("/goog/cdp/execute", "POST", {"cmd": "Page.getInstallabilityErrors", "params": {}})
        rep.check("Chromium finds the lab installable", installable == {"installabilityErrors": []},
                  json.dumps(installable))
        manifest = d.s("/goog/cdp/execute", "POST", {"cmd": "Page.getAppManifest", "params": {}})
        rep.check("Chromium reads the manifest without errors", not manifest.get("errors"),
                  json.dumps(manifest.get("errors")))
        online += d.logs()

        # Offline: the server is gone, its port refuses.
        site.stop()
        rep.check("offline: the server's port refuses connections", site.refuses())
        d.s("/refresh", "POST", {})
        rep.check("offline: the lab runs again after a reload", running(d))
        index = d.text(".scenarios") if running(d, 1) else ""
        rep.check("offline: the index lists the scenarios", "Cookie decoder" in index, index[:200])
        d.screenshot(os.path.join(args.screenshots, "offline.png"))
        d.s("/url", "POST", {"url": "about:blank"})
        d.s("/url", "POST", {"url": f"{app}#/s/{SCENARIO}"})
        rep.check(f"offline: the {SCENARIO} page runs", running(d))
        heading = d.text("main h1") if running(d, 1) else ""
        rep.check(f"offline: the {SCENARIO} page shows its heading", title and heading == title,
                  f"{heading!r}, expected {title!r}")
        try:
            d.find(".browser .viewport", timeout=5)
            rep.check(f"offline: the {SCENARIO} page shows its mock browser", True)
        except AssertionError as e:
            rep.check(f"offline: the {SCENARIO} page shows its mock browser", False, str(e))
        d.screenshot(os.path.join(args.screenshots, "offline-scenario.png"))
        urls = d.js("return performance.getEntriesByType('resource').map(e => e.name)")
        rep.check("offline: every file came from this origin", all(u.startswith(app) for u in urls),
                  repr(urls))
        offline += d.logs()

        # A new deploy: another sw.js version and a marked index.html, on the same origin.
        new_version = "next-deploy"
        sw = os.path.join(site_dir, "sw.js")
        code = open(sw, encoding="utf-8").read().replace(json.dumps(version), json.dumps(new_version))
        open(sw, "w", encoding="utf-8").write(code)
        page = os.path.join(site_dir, "index.html")
        html = open(page, encoding="utf-8").read()
        open(page, "w", encoding="utf-8").write(
            html.replace("<head>", '<head>\n<meta name="sl-deploy" content="next">', 1))
        site.start()
        d.s("/url", "POST", {"url": app})
        deployed = 'return !!document.querySelector("meta[name=sl-deploy]")'
        rep.check("update: online, one load brings the new deploy's page",
                  running(d) and d.js(deployed))
        rep.check("update: the new worker takes over and only the new version's cache is left",
                  wait_for(lambda: list(caches(d)) == [f"session-lab {app} {new_version}"]
                           and worker_state(d).get("active") == "activated"),
                  f"{list(caches(d))}, {worker_state(d)}")
        state = worker_state(d)
        rep.check("update: no worker is left waiting, and the page is controlled",
                  state.get("controller") and not state.get("waiting") and not state.get("installing"),
                  repr(state))
        online += d.logs()
        site.stop()
        d.s("/refresh", "POST", {})
        rep.check("update: offline, the new deploy's page loads from the new cache",
                  running(d) and d.js(deployed))
        offline += d.logs()
    except Exception as e:  # noqa: BLE001
        rep.check("the browser session", False, repr(e))
    finally:
        if d:
            try:
                d.quit()
            except Exception:  # noqa: BLE001
                pass
        chromedriver.terminate()
        if site.server:
            site.stop()
        shutil.rmtree(work, ignore_errors=True)
    online = [e for e in online if e.get("level") == "SEVERE"]
    rep.check("online, the console has no errors", not online, json.dumps(online)[:800])
    offline = [e for e in offline if e.get("level") == "SEVERE"]
    unexpected = [e for e in offline if origin not in e.get("message", "")
                  or not any(s in e.get("message", "") for s in EXPECTED_OFFLINE)]
    rep.check("offline, the console has no errors but this origin's failed fetches", not unexpected,
              json.dumps(unexpected)[:800])
    print(f"offline, the console's errors from failed fetches: {len(offline) - len(unexpected)}")
    print(f"{rep.passed} passed, {rep.failed} failed")
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
