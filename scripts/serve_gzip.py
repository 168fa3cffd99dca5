#!/usr/bin/env python3
"""A loopback static server for the release bundle that compresses like a production host:
gzip (level 9) when the client accepts it, `application/wasm` for the module (so the browser
compiles it while it streams in), and long-lived caching for trunk's hashed file names.
Used by `make bench` (Lighthouse) and handy to try the bundle as it would be deployed:

    python3 scripts/serve_gzip.py [--dist dist] [--port 8081] [--no-gzip]
"""
import argparse
import gzip
import http.server
import os
import re
import sys
from functools import lru_cache

HASHED = re.compile(r"-[0-9a-f]{8,}(_bg)?\.(js|wasm|css)$")
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".webmanifest": "application/manifest+json",
}


@lru_cache(maxsize=64)
def compressed(path: str, mtime: float) -> bytes:
    with open(path, "rb") as f:
        return gzip.compress(f.read(), 9, mtime=0)


def handler(root: str, use_gzip: bool):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_HEAD(self):
            self.do_GET(head=True)

        def do_GET(self, head=False):
            rel = self.path.split("?", 1)[0].split("#", 1)[0].lstrip("/") or "index.html"
            path = os.path.realpath(os.path.join(root, rel))
            if not path.startswith(os.path.realpath(root) + os.sep) or not os.path.isfile(path):
                body = b"not found"
                self.send_response(404)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not head:
                    self.wfile.write(body)
                return
            ext = os.path.splitext(path)[1]
            gz = use_gzip and "gzip" in self.headers.get("Accept-Encoding", "")
            if gz:
                body = compressed(path, os.path.getmtime(path))
            else:
                with open(path, "rb") as f:
                    body = f.read()
            self.send_response(200)
            self.send_header("Content-Type", TYPES.get(ext, "application/octet-stream"))
            if gz:
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
            if HASHED.search(os.path.basename(path)):
                self.send_header("Cache-Control", "public, max-age=31536000, immutable")
            else:
                self.send_header("Cache-Control", "no-cache")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)

    return Handler


def serve(root: str, port: int, use_gzip: bool = True) -> http.server.ThreadingHTTPServer:
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler(root, use_gzip))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--dist", default="dist")
    p.add_argument("--port", type=int, default=8081)
    p.add_argument("--no-gzip", action="store_true")
    a = p.parse_args()
    server = serve(a.dist, a.port, not a.no_gzip)
    print(f"serving {a.dist} on http://127.0.0.1:{a.port}/ ({'identity' if a.no_gzip else 'gzip'})")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
