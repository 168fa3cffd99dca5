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

It runs on trunk's staging directory (TRUNK_STAGING_DIR) so the hashes match the HTML that is
served.
"""
import base64
import hashlib
import os
import re
import sys

path = os.path.join(os.environ.get("TRUNK_STAGING_DIR", "dist"), "index.html")
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
    "base-uri 'none'",
    "form-action 'none'",
])
meta = '<meta http-equiv="Content-Security-Policy" content="%s">' % policy
html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>\s*', "", html)
html = html.replace("<head>", "<head>\n    " + meta, 1)
open(path, "w", encoding="utf-8").write(html)
print("csp.py: %d inline script(s) and %d style sheet(s) allowed by hash"
      % (len(scripts), len(styles)), file=sys.stderr)
