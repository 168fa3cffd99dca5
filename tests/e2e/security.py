#!/usr/bin/env python3
"""End-to-end test of the security lab on the built bundle, in headless Chromium through
chromedriver.

1. Every attack scenario (`ATTACKS`, read from the index page): its guide's "Do it" buttons
   pressed in order, each step ticking, ending with "Every step is done."; a screenshot of each
   in target/screenshots/attack-<id>.png (the full page at 1400 px), and one of the weak-key
   scenario at 390 px.
2. Scenarios 2, 3, 6 and 9 clicked through with checks on what the page shows, before the fix
   and after it (`CHECKS`): the attack works before the fix and fails after.
   - tamper: the forged cookie is sent and refused (the wire's verdict says the signature
     failed) and a plain cookie edit is believed before the fix;
   - replay: the copy put back after logging out is answered as signed in before the fix, and
     sent to sign in after it;
   - weak key: the cracker finds the key from the built-in list in the page, the forged admin
     cookie is accepted, and after the strong key the same forgery is refused; the time the
     whole built-in list takes is printed;
   - open redirect: signing in with `next=https://evil.example` leaves the site before the fix
     and stays after it.
3. No console errors, no request off loopback.

Standard library only. Usage:
    python3 tests/e2e/security.py [--dist dist] [--chromedriver /usr/bin/chromedriver]
                                  [--screenshots target/screenshots]
The last line is `N passed, M failed`; the exit status is 1 on any failure.
"""
import base64
import hashlib
import hmac
import os
import secrets
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from webdriver import Report, browser_session, e2e_parser, open_page, wait_for  # noqa: E402

DESKTOP = (1400, 900)
PHONE = (390, 844)


def steps(d):
    return d.js("return [...document.querySelectorAll('section.guide li.step')]"
                ".map(li => [li.dataset.step, li.classList.contains('done'),"
                " !!li.querySelector('button.doit')])")


def step_done(d, step):
    return d.js("const li = document.querySelector(`section.guide li.step[data-step='${arguments[0]}']`);"
                " return !!li && li.classList.contains('done')", step)


def do_step(d, rep, sid, step):
    d.click(f"section.guide li.step[data-step='{step}'] button.doit")
    rep.check(f"{sid}: 'Do it' on {step} ticks it", wait_for(lambda: step_done(d, step)),
              f"steps: {steps(d)}")


def wire_text(d):
    return d.js("const w = document.querySelector('section.wire'); return w ? w.innerText : ''")


def page_text(d):
    return d.js("const v = document.querySelector('section.browser .viewport');"
                " return v ? v.innerText : ''")


def newest_exchange(d):
    return d.js("const e = document.querySelector('section.wire li.exchange');"
                " return e ? e.innerText : ''")


def set_size(d, size):
    d.s("/window/rect", "POST", {"width": size[0], "height": size[1]})


def full_screenshot(d, path):
    """The whole page, however tall, at the window's width, from its top."""
    d.js("window.scrollTo(0, 0); const g = document.querySelector('section.guide');"
         " if (g) g.scrollTop = 0;")
    height = d.js("return Math.ceil(document.documentElement.scrollHeight)")
    width = d.js("return window.innerWidth")
    d.cdp("Emulation.setDeviceMetricsOverride",
          {"width": width, "height": min(height, 6000), "deviceScaleFactor": 1, "mobile": False})
    try:
        d.screenshot(path)
    finally:
        d.cdp("Emulation.clearDeviceMetricsOverride")


# ---------------------------------------------------------------------------------------------
# What scenarios 2, 3, 6 and 9 must show, step by step. Each check runs right after the step
# named, before the next one is done.

def exchanges(d):
    """The wire's exchanges on its first page, newest first: each as one line of text,
    `METHOD TARGET STATUS` then the headers and notes."""
    return d.js("""return [...document.querySelectorAll('section.wire li.exchange')].map(e => {
        const q = s => (e.querySelector(s) || {}).textContent || '';
        return [q('.method'), q('.target'), q('.request-line [class*=status]')].join(' ')
            + '\\n' + q('pre.headers') + [...e.querySelectorAll('.note')]
            .map(n => n.textContent).join('\\n');
    })""")


def newest_with(d, *needles):
    """The newest exchange whose text holds every needle, or ''."""
    return next((e for e in exchanges(d) if all(n in e for n in needles)), "")


def status_of(exchange):
    """The status code on an exchange's first line."""
    return exchange.split("\n", 1)[0].rsplit(" ", 1)[-1]


def tamper_checks(d, rep, sid, step):
    if step == "edit":
        e = newest_with(d, "/admin", "Cookie: user_name=admin")
        rep.check(f"{sid}: before the fix, the edited plain cookie opens /admin",
                  status_of(e) == "200", e)
    if step == "forge":
        e = newest_with(d, "/admin", "session=eyJ1c2VyX25hbWUiOiJhZG1pbiJ9.")
        rep.check(f"{sid}: after the fix, the forged admin session is sent", bool(e),
                  exchanges(d)[:3])
        rep.check(f"{sid}: after the fix, the forged session is refused (bad signature)",
                  "session cookie refused" in e and "signature" in e.lower(), e)
        rep.check(f"{sid}: after the fix, /admin sends the forger to sign in",
                  status_of(e) == "302", e)
    if step == "quiet":
        rep.check(f"{sid}: nobody is signed in after the forgery", "admin" not in page_text(d)
                  and "ada" not in page_text(d), page_text(d))


def replay_checks(d, rep, sid, step):
    if step == "replay":
        e = newest_with(d, "/about", "session cookie accepted")
        rep.check(f"{sid}: before the fix, the copy put back after logout is accepted", bool(e),
                  exchanges(d)[:3])
        rep.check(f"{sid}: before the fix, the replayed copy opens /about",
                  "This is the About page." in page_text(d), page_text(d))
    if step == "replay-again":
        e = newest_with(d, "/about", "session id unknown to the store")
        rep.check(f"{sid}: after the fix, the replayed id is unknown to the store", bool(e),
                  exchanges(d)[:3])
        rep.check(f"{sid}: after the fix, the replayed copy is sent to sign in",
                  "Sign in below." in page_text(d), page_text(d))


def redirect_checks(d, rep, sid, step):
    if step == "open-redirect":
        e = newest_with(d, "POST", "/login", "Location: https://evil.example/")
        rep.check(f"{sid}: before the fix, signing in redirects off the site", bool(e),
                  exchanges(d)[:3])
        rep.check(f"{sid}: the lab stops at the off-site address (nothing fetched)",
                  "evil.example" in page_text(d), page_text(d))
    if step == "retry":
        posts = [e for e in exchanges(d) if e.startswith("POST") and "/login" in e][:3]
        rep.check(f"{sid}: after the fix, each attacker's link lands on /home",
                  len(posts) == 3 and all("Location: /home" in e for e in posts), posts)


def weak_key_checks(d, rep, sid, step):
    if step == "login":
        crack(d, rep, sid)
    if step == "forge":
        e = newest_with(d, "/about", "session cookie accepted")
        rep.check(f"{sid}: before the fix, the forged admin session is accepted",
                  bool(e) and "Welcome admin!" in page_text(d), [e, page_text(d)])
    if step == "refused":
        e = newest_with(d, "/about", "session cookie refused")
        rep.check(f"{sid}: after the strong key, the same forgery is refused", bool(e),
                  exchanges(d)[:3])


def crack_status(d):
    return d.js("const s = document.querySelector('#crack-status');"
                " return s ? Object.assign({}, s.dataset) : null")


def crack(d, rep, sid):
    """The cracker, in the page, on the built-in list against the session cookie signed in."""
    d.js("const s = document.querySelector('#crack-source'); s.value = 'builtin';"
         " s.dispatchEvent(new Event('change', {bubbles: true}));")
    d.click("#crack-start")
    rep.check(f"{sid}: the cracker finds the key from the built-in list in the page",
              wait_for(lambda: crack_status(d)["state"] == "found", 60), crack_status(d))
    status = crack_status(d)
    rep.check(f"{sid}: the key found is supersecretkey", status.get("key") == "supersecretkey",
              status)
    rep.info(f"{sid}: found after {status.get('tried')} keys in {status.get('ms')} ms "
             f"({status.get('rate')} keys/s)")


def unlisted_cookie():
    """A Flask session cookie signed with a key in no list, as itsdangerous signs it: the
    derived key HMAC-SHA1(secret, "cookie-session"), then HMAC-SHA1 over payload.timestamp."""
    b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=")  # noqa: E731
    payload = b64(b'{"user_name":"ada"}')
    stamp = b64(int(time.time()).to_bytes(4, "big"))
    derived = hmac.new(secrets.token_hex(32).encode(), b"cookie-session", hashlib.sha1).digest()
    signature = b64(hmac.new(derived, payload + b"." + stamp, hashlib.sha1).digest())
    return (payload + b"." + stamp + b"." + signature).decode()


def whole_list(d, rep, sid):
    """The built-in list tried to its end in the page: how long it takes."""
    d.js("const i = document.querySelector('#crack-cookie'); i.value = arguments[0];"
         " i.dispatchEvent(new Event('input', {bubbles: true}));", unlisted_cookie())
    d.click("#crack-start")
    rep.check(f"{sid}: the whole built-in list is tried against a key in no list",
              wait_for(lambda: crack_status(d)["state"] == "exhausted", 60), crack_status(d))
    status = crack_status(d)
    rep.info(f"{sid}: the whole built-in list, {status.get('tried')} keys, took "
             f"{status.get('ms')} ms in the page ({status.get('rate')} keys/s)")


FINISH = {"attack-weak-key": whole_list}

CHECKS = {
    "attack-tamper": tamper_checks,
    "attack-replay": replay_checks,
    "attack-weak-key": weak_key_checks,
    "attack-open-redirect": redirect_checks,
}


def run_scenario(d, rep, origin, sid, shots):
    set_size(d, DESKTOP)
    open_page(d, f"{origin}/#/s/{sid}")
    check = CHECKS.get(sid)
    listed = steps(d)
    rep.check(f"{sid}: the guide has steps, each with Do it",
              len(listed) >= 3 and all(s[2] for s in listed), listed)
    for step, done, _ in listed:
        if not done:
            do_step(d, rep, sid, step)
        if check:
            check(d, rep, sid, step)
    rep.check(f"{sid}: every step is done",
              wait_for(lambda: "Every step is done." in d.text("section.guide")), steps(d))
    if sid in FINISH:
        FINISH[sid](d, rep, sid)
    full_screenshot(d, os.path.join(shots, f"attack-{sid.removeprefix('attack-')}.png"))
    if sid == "attack-weak-key":
        set_size(d, PHONE)
        full_screenshot(d, os.path.join(shots, "attack-weak-key-390.png"))
        set_size(d, DESKTOP)


def main() -> int:
    args = e2e_parser().parse_args()
    os.makedirs(args.screenshots, exist_ok=True)
    rep = Report()
    with browser_session(args.dist, args.chromedriver, "sl-security-") as (d, origin):
        open_page(d, f"{origin}/#/")
        ids = d.js("return [...document.querySelectorAll('ul.attacks li a')]"
                   ".map(a => a.getAttribute('href').replace('#/s/', ''))")
        rep.check("the index lists the security lab's eleven scenarios", len(ids) == 11, ids)
        for sid in ids:
            try:
                run_scenario(d, rep, origin, sid, args.screenshots)
            except Exception as e:  # noqa: BLE001 - report and go on with the next scenario
                rep.check(f"{sid}: ran to the end", False, repr(e))
        errors = [e for e in d.logs() if e.get("level") == "SEVERE"]
        rep.check("no console errors", not errors, errors[:5])
        off = d.js("return performance.getEntriesByType('resource').map(r => r.name)"
                   ".filter(u => !u.startsWith(arguments[0]))", origin)
        rep.check("no request left loopback", not off, off[:5])
    print(f"{rep.passed} passed, {rep.failed} failed")
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
