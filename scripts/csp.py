#!/usr/bin/env python3
"""trunk post_build hook: give the built index.html a Content-Security-Policy <meta>.

The policy lets the page load only its own files and nothing else: no network requests
elsewhere, no inline code except the loader scripts trunk writes (each allowed by its SHA-256),
and WebAssembly compilation. It runs on trunk's staging directory (TRUNK_STAGING_DIR) so the
hashes match the HTML that is served.
"""
import base64
import hashlib
import os
import re
import sys

path = os.path.join(os.environ.get("TRUNK_STAGING_DIR", "dist"), "index.html")
html = open(path, encoding="utf-8").read()
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


hashes = [
    "'sha256-%s'" % base64.b64encode(hashlib.sha256(as_served(body).encode("utf-8")).digest()).decode()
    for body in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
]
policy = "; ".join([
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval' " + " ".join(hashes),
    "style-src 'self'",
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
print("csp.py: %d inline script(s) allowed by hash" % len(hashes), file=sys.stderr)
