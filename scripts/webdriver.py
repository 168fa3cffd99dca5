"""The few WebDriver commands the e2e tests (tests/e2e/*.py) and the browser benchmarks
(scripts/bench_clicks.py, scripts/bench_crack.py) need, over chromedriver's HTTP + JSON, and the
set-up and tear-down they share: standard library only."""
import argparse
import base64
import contextlib
import functools
import http.server
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

# Headless Chromium as it runs on these machines: no sandbox, no GPU, nothing fetched.
CHROME_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1400,1000",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_dir(directory: str):
    """Serves `directory` on a loopback port from a background thread: (server, origin)."""
    handler = functools.partial(Quiet, directory=os.path.abspath(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def start_chromedriver(path: str, wait: float = 15.0):
    """Starts chromedriver on a free port and waits until it answers: (process, base URL)."""
    port = free_port()
    proc = subprocess.Popen([path, f"--port={port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    end = time.time() + wait
    while True:
        try:
            urllib.request.urlopen(base + "/status", timeout=1).read()
            return proc, base
        except OSError:
            if time.time() > end:
                proc.kill()
                raise RuntimeError("chromedriver did not start")
            time.sleep(0.1)


def stop_chromedriver(proc, wait: float = 10.0):
    """Stops a chromedriver from `start_chromedriver`, killing it if it has not ended after
    `wait` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        proc.kill()


def download_prefs(directory: str) -> dict:
    """Chrome preferences that save downloads into `directory` without asking (for `prefs`)."""
    return {"download.default_directory": os.path.abspath(directory),
            "download.prompt_for_download": False}


# The key of a web element reference in W3C WebDriver's JSON.
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


class Driver:
    """One browser session. `timeout` bounds each WebDriver call; `script_timeout` (ms) bounds
    asynchronous scripts. `prefs` are Chrome preferences (e.g. [`download_prefs`]) and
    `extra_args` more command-line switches; a fresh `profile` directory is a fresh browser."""

    def __init__(self, base: str, profile: str, timeout: float = 60, script_timeout=None,
                 prefs=None, extra_args=()):
        self.base = base
        self.timeout = timeout
        options = {"args": CHROME_ARGS + [f"--user-data-dir={profile}"] + list(extra_args)}
        if prefs:
            options["prefs"] = prefs
        caps = {"capabilities": {"alwaysMatch": {
            "goog:chromeOptions": options,
            "goog:loggingPrefs": {"browser": "ALL"},
        }}}
        self.sid = self.call("POST", "/session", caps)["sessionId"]
        if script_timeout is not None:
            self.s("/timeouts", "POST", {"script": script_timeout})

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, method=method, data=data,
                                     headers={"Content-Type": "application/json"})
        try:
            return json.loads(urllib.request.urlopen(req, timeout=self.timeout).read())["value"]
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"WebDriver {method} {path}: {e.read()[:300]!r}") from None

    def s(self, path, method="GET", body=None):
        return self.call(method, f"/session/{self.sid}{path}", body)

    def js(self, script, *args):
        return self.s("/execute/sync", "POST", {"script": script, "args": list(args)})

    def js_async(self, script, *args):
        return self.s("/execute/async", "POST", {"script": script, "args": list(args)})

    def find(self, css, timeout=10.0):
        end = time.time() + timeout
        while time.time() < end:
            found = self.s("/elements", "POST", {"using": "css selector", "value": css})
            if found:
                return next(iter(found[0].values()))
            time.sleep(0.05)
        raise AssertionError(f"no element matches {css!r}")

    def click(self, css):
        self.s(f"/element/{self.find(css)}/click", "POST", {})

    def type(self, css, text):
        el = self.find(css)
        self.s(f"/element/{el}/clear", "POST", {})
        self.s(f"/element/{el}/value", "POST", {"text": text})

    def text(self, css):
        return self.s(f"/element/{self.find(css)}/text")

    def screenshot(self, path):
        with open(path, "wb") as f:
            f.write(base64.b64decode(self.s("/screenshot")))

    def cdp(self, cmd, params=None):
        """A Chrome DevTools Protocol command on the current page (chromedriver's extension)."""
        return self.s("/goog/cdp/execute", "POST", {"cmd": cmd, "params": params or {}})

    def frame(self, element=None):
        """Switches into the frame of `element` (an element id from `find`), or back to the
        top-level page with None."""
        target = None if element is None else {ELEMENT: element}
        self.s("/frame", "POST", {"id": target})

    def logs(self):
        return self.call("POST", f"/session/{self.sid}/se/log", {"type": "browser"})

    def quit(self):
        self.call("DELETE", f"/session/{self.sid}")


def wait_for(predicate, timeout=5.0, every=0.05):
    """Asks `predicate` until it answers something true or `timeout` seconds pass, and returns
    its last answer. A page in the middle of a render may make it raise: that counts as "not
    yet" until the last try, which raises."""
    end = time.time() + timeout
    while time.time() < end:
        try:
            value = predicate()
            if value:
                return value
        except Exception:  # noqa: BLE001 - ask again
            pass
        time.sleep(every)
    return predicate()


def open_page(d, url):
    """Navigates and waits until the app has replaced the static first paint."""
    d.s("/url", "POST", {"url": url})
    d.find("#lab[data-app=running]")


class Report:
    """Counts checks for the end-to-end scripts, which all end with `N passed, M failed`."""

    def __init__(self):
        self.passed = self.failed = 0

    def check(self, label, ok, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {label}: {detail}")
        return ok

    def info(self, text):
        print(f"     {text}")


@contextlib.contextmanager
def browser_session(dist: str, chromedriver: str, prefix: str, **driver_options):
    """One browser on the bundle in `dist`: the directory served on loopback, chromedriver
    started, and a Driver (given `driver_options`: timeout, script_timeout, ...) on a fresh
    profile directory made in $TMPDIR with `prefix`. Yields (driver, origin). However the block
    ends, the browser is closed, chromedriver stopped, the server shut down and the profile
    directory removed; an error in the block or in starting any of them is raised again after."""
    profile = tempfile.mkdtemp(prefix=prefix)
    server = proc = d = None
    try:
        server, origin = serve_dir(dist)
        proc, base = start_chromedriver(chromedriver)
        d = Driver(base, profile, **driver_options)
        yield d, origin
    finally:
        if d is not None:
            try:
                d.quit()
            except Exception:  # noqa: BLE001 - the browser may be gone already
                pass
        if proc is not None:
            stop_chromedriver(proc)
        if server is not None:
            server.shutdown()
            server.server_close()
        shutil.rmtree(profile, ignore_errors=True)


def e2e_parser() -> argparse.ArgumentParser:
    """The command line every tests/e2e script takes (scripts/test.sh passes the same to each):
    `--dist`, `--chromedriver`, `--screenshots`. A script may add its own before parsing."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--dist", default="dist")
    ap.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    ap.add_argument("--screenshots", default="target/screenshots")
    return ap
