#!/usr/bin/env python3
"""trunk post_build hook: the built index.html's loader and Content-Security-Policy.

1. The loader. trunk's module script fetches and starts the wasm at once, and trunk preloads
   the wasm. The page's text is already in index.html (the first paint, `lab::shell`), so the
   loader first lets that text reach the screen (the fonts, then one animation frame), then
   fetches the wasm, which compiles while it streams in. Over a slow link that frame comes long before the wasm
   could have, so nothing is lost; from a fast or local server it keeps the module from
   delaying the first paint. A background tab draws no frames, so a timer stands in there.
2. The policy lets the page load only its own files and nothing else: no network requests
   elsewhere, no inline code or styles except the loader scripts and the inlined style sheet
   (each allowed by its SHA-256), and WebAssembly compilation.

3. Offline use. A release build registers the service worker (sw.js) once the app runs, so it
   delays neither the first paint nor the wasm; the page as `trunk serve` serves it registers
   none (a caching worker under a dev server only confuses) and removes any left from a release
   build served on the same origin. This hook writes into the staged sw.js the files it caches,
   every file of the bundle but itself, and a version, a hash of their contents: a new deploy
   changes sw.js, and the browser installs the new worker (see sw.js).

It runs on trunk's staging directory (TRUNK_STAGING_DIR) so the hashes match the HTML that is
served.
"""
import base64
import hashlib
import json
import os
import re
import sys

staging = os.environ.get("TRUNK_STAGING_DIR", "dist")
path = os.path.join(staging, "index.html")
html = open(path, encoding="utf-8").read()

# 1. The loader: wait for the first frame before `init` fetches the wasm.
AFTER_FIRST_FRAME = (
    "await new Promise((go) => { const frame = () => requestAnimationFrame(() => setTimeout(go, 0)); "
    "(document.fonts ? document.fonts.ready : Promise.resolve()).then(frame, frame); "
    "setTimeout(go, 300); });\n"
)
loader = re.search(r"const wasm = await init\(", html)
if loader and AFTER_FIRST_FRAME not in html:
    html = html[: loader.start()] + AFTER_FIRST_FRAME + html[loader.start():]
html = re.sub(r'<link rel="preload" href="[^"]*\.wasm"[^>]*>', "", html)

# 3. The service worker's registration, after the app has started (here, before the policy
# hashes the loader). trunk's live-reload script, its address placeholders still unfilled here,
# marks the page `trunk serve` serves.
served_by_trunk = "{{__TRUNK_ADDRESS__}}" in html
register = os.environ.get("TRUNK_PROFILE", "release") == "release" and not served_by_trunk
REGISTER = (
    "if ('serviceWorker' in navigator) navigator.serviceWorker.register('./sw.js')"
    ".catch((e) => console.warn('Session Lab will not work offline:', e));\n"
)
# A dev server gets no caching worker, and loses any a release build left on its origin.
UNREGISTER = (
    "if ('serviceWorker' in navigator) navigator.serviceWorker.getRegistrations()"
    ".then((all) => all.forEach((r) => r.unregister()));\n"
)
started = re.search(r'dispatchEvent\(new CustomEvent\("TrunkApplicationStarted"[^\n]*\n', html)
if not started:
    sys.exit("csp.py: trunk's loader no longer dispatches TrunkApplicationStarted; update csp.py")
if REGISTER not in html and UNREGISTER not in html:
    html = html[: started.end()] + (REGISTER if register else UNREGISTER) + html[started.end():]

# `trunk serve` fills its live-reload script's placeholders when it serves the page, after
# this hook; hash the script as it will be served (the Makefile serves on 127.0.0.1:8080).
SERVED = {
    "{{__TRUNK_ADDRESS__}}": os.environ.get("SESSION_LAB_SERVE_ADDRESS", "127.0.0.1:8080"),
    "{{__TRUNK_WS_BASE__}}": "/",
}


def as_served(body):
    for placeholder, value in SERVED.items():
        body = body.replace(placeholder, value)
    return body


def sha256(body):
    return "'sha256-%s'" % base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()


scripts = [sha256(as_served(body)) for body in
           re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)]
styles = [sha256(body) for body in re.findall(r"<style[^>]*>(.*?)</style>", html, flags=re.S)]
policy = "; ".join([
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval' " + " ".join(scripts),
    "style-src 'self'" + "".join(" " + h for h in styles),
    "img-src 'self' data:",
    # 'self' covers the wasm fetch, and trunk serve's live-reload socket on the same origin.
    "connect-src 'self'",
    # The service worker (sw.js) and the web app manifest, both from this directory.
    "worker-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
])
meta = '<meta http-equiv="Content-Security-Policy" content="%s">' % policy
html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>\s*', "", html)
html = html.replace("<head>", "<head>\n    " + meta, 1)
open(path, "w", encoding="utf-8").write(html)
print("csp.py: %d inline script(s) and %d style sheet(s) allowed by hash"
      % (len(scripts), len(styles)), file=sys.stderr)

# 3, continued. What the service worker caches: every file of the bundle but sw.js, as this hook
# leaves them.
worker = os.path.join(staging, "sw.js")
if not os.path.isfile(worker):
    sys.exit("csp.py: no sw.js in %s (index.html copies it in with data-trunk)" % staging)
files = sorted(
    os.path.relpath(os.path.join(top, name), staging).replace(os.sep, "/")
    for top, _, names in os.walk(staging) for name in names
)
files = [f for f in files if f != "sw.js"]
code = open(worker, encoding="utf-8").read()
# A change to the worker's own code is a new version too (its two filled-in lines left out).
version = hashlib.sha256(re.sub(r"^const (VERSION|FILES) = .*;$", "", code, flags=re.M).encode())
for f in files:
    with open(os.path.join(staging, f), "rb") as content:
        version.update(f.encode() + b"\0" + hashlib.sha256(content.read()).digest())
code, found = re.subn(r"^const VERSION = .*;$", "const VERSION = %s;" % json.dumps(version.hexdigest()[:16]),
                      code, count=1, flags=re.M)
code, found_files = re.subn(r"^const FILES = .*;$", "const FILES = %s;" % json.dumps(files), code,
                            count=1, flags=re.M)
if not (found and found_files):
    sys.exit("csp.py: sw.js has no `const VERSION = ...;` or `const FILES = ...;` line to fill in")
open(worker, "w", encoding="utf-8").write(code)
print("csp.py: the service worker (%s) caches %d file(s)%s"
      % (version.hexdigest()[:16], len(files), "" if register else "; not registered in this build"),
      file=sys.stderr)
