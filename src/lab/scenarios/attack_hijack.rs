//! Scenario `attack-hijack`: the session cookie copied into another browser makes that
//! browser the user; what `HttpOnly`, `Secure` and `SameSite` each stop, and what a
//! server-side logout adds.

use super::Scenario;
use crate::engine::apps::seed_004::{self, Variant};
use crate::engine::apps::Services;
use crate::engine::flask::app::App;
use crate::engine::flask::config::ConfigValue;
use crate::engine::flask::sessions::CookieVerdict;
use crate::engine::flask_session::StartupError;
use crate::lab::flask_code::{Settings, DEFAULT_LIFETIME};
use crate::lab::lesson::{
    accepted, bare_id, get, post, redirects_to, session_deleted, session_sent, Lesson, Myth,
    SetCookieLine, Step, REMEMBER_COOKIE,
};
use crate::lab::{Action, BrowserId, Exchange};

pub const SCENARIO: Scenario = super::seed_004::variant(
    "attack-hijack",
    "Attack: hijack the session",
    "Whoever sends the session cookie is the user. HttpOnly keeps it from scripts, Secure off \
     plain HTTP, SameSite off other sites' requests; none of them ends a stolen copy.",
    app,
    lesson,
    settings,
)
.showing(super::Shown::ATTACKER);

/// Tutorial 004's first program with `SESSION_COOKIE_HTTPONLY = False`, so that a script in
/// the page can read the session cookie.
fn app(services: Services) -> Result<App, StartupError> {
    let mut app = seed_004::app(Variant::ClientTemp, services)?;
    app.config
        .set("SESSION_COOKIE_HTTPONLY", ConfigValue::Bool(false))
        .expect("a bool");
    Ok(app)
}

fn settings() -> Settings {
    Settings {
        cookie_httponly: false,
        ..Settings::client("supersecretkey", false, DEFAULT_LIFETIME)
    }
}

const SIGN_IN: Action = Action::Submit {
    action: "/login",
    fields: &[("next", "None"), ("username", "ada")],
};

/// Each session cookie a response sets (not deletions), with whether it is `HttpOnly`.
fn set_with_httponly(e: &Exchange) -> impl Iterator<Item = (String, bool)> + '_ {
    e.set_cookies().into_iter().filter_map(move |raw| {
        let c = SetCookieLine::parse(raw);
        let httponly = raw
            .split(';')
            .skip(1)
            .any(|a| a.trim().eq_ignore_ascii_case("httponly"));
        (c.name != REMEMBER_COOKIE && !c.deletes(e.at)).then(|| (c.value.to_string(), httponly))
    })
}

/// The session cookie values the main browser (the victim's) was given before position `i`,
/// each with whether it was `HttpOnly`.
fn victim_values(log: &[Exchange], i: usize) -> Vec<(String, bool)> {
    log[..i]
        .iter()
        .filter(|p| p.browser == BrowserId::Main)
        .flat_map(set_with_httponly)
        .collect()
}

/// A main-browser sign-in whose session cookie has (or lacks) `HttpOnly`.
fn login_sets(log: &[Exchange], httponly: bool) -> bool {
    log.iter().any(|e| {
        e.browser == BrowserId::Main
            && post(e, "/login")
            && set_with_httponly(e).any(|(_, h)| h == httponly)
    })
}

/// The second browser's visits to /about, each with its position and the cookie it sent.
fn second_visits(log: &[Exchange]) -> impl Iterator<Item = (usize, &Exchange)> {
    log.iter()
        .enumerate()
        .filter(|(_, e)| e.browser == BrowserId::Second && get(e, "/about"))
}

/// The second browser was let into /about with a cookie the victim had been given, with
/// `HttpOnly` as `httponly` says; `id` narrows down the value.
fn second_got_in(log: &[Exchange], httponly: bool, id: fn(&str) -> bool) -> bool {
    second_visits(log).any(|(i, e)| {
        let Some(value) = session_sent(e) else {
            return false;
        };
        e.status() == 200
            && accepted(e)
            && id(&value)
            && victim_values(log, i)
                .iter()
                .any(|(v, h)| *v == value && *h == httponly)
    })
}

fn login_readable_by_scripts(log: &[Exchange]) -> bool {
    login_sets(log, false)
}

fn hijacked_through_a_script(log: &[Exchange]) -> bool {
    second_got_in(log, false, |_| true)
}

fn login_httponly(log: &[Exchange]) -> bool {
    login_sets(log, true)
}

fn script_got_nothing(log: &[Exchange]) -> bool {
    second_visits(log).any(|(i, e)| {
        session_sent(e).is_none()
            && redirects_to(e, "/login")
            && victim_values(log, i).iter().any(|(_, h)| *h)
    })
}

fn hijacked_by_hand(log: &[Exchange]) -> bool {
    second_got_in(log, true, |v| v.contains('.'))
}

fn hijacked_server_side(log: &[Exchange]) -> bool {
    second_got_in(log, true, bare_id)
}

fn victim_logout_ends_it(log: &[Exchange]) -> bool {
    second_visits(log).any(|(i, e)| {
        let Some(value) = session_sent(e) else {
            return false;
        };
        bare_id(&value)
            && redirects_to(e, "/login")
            && e.verdict == Some(CookieVerdict::UnknownSessionId)
            && log[..i].iter().any(|p| {
                p.browser == BrowserId::Main
                    && get(p, "/logout")
                    && session_deleted(p)
                    && session_sent(p).as_deref() == Some(value.as_str())
            })
    })
}

fn lesson() -> Lesson {
    Lesson {
        intro: "Tutorial 004's site, run with SESSION_COOKIE_HTTPONLY = False. A session \
                cookie is a bearer token: the server cannot tell the browser it gave the \
                cookie to from any other that sends it. Three cookie attributes each guard \
                one road to it. HttpOnly hides it from scripts in the page. Secure keeps it \
                off plain-HTTP connections, where anyone on the network could read it. \
                SameSite decides whether the browser attaches it to requests started by \
                another site. None of them helps once a copy is out."
            .into(),
        steps: vec![
            Step {
                id: "login",
                todo: "Open /login and sign in as ada.",
                watch: "The Set-Cookie for session has no HttpOnly.",
                why: "With SESSION_COOKIE_HTTPONLY off, Flask leaves the attribute out, and \
                      document.cookie shows the cookie to every script running in the page.",
                doit: &[Action::Navigate("/login"), SIGN_IN],
                done: login_readable_by_scripts,
            },
            Step {
                id: "hijack",
                todo: "As the attacker, steal the cookie with a script, open the second \
                       browser, plant the copy there and open /about in it.",
                watch: "The second browser sends ada's cookie and gets 200 with Welcome ada!",
                why: "Injected script (a cross-site scripting hole, a compromised library) \
                      reads document.cookie and sends it off. The attacker's browser then \
                      presents it, and Flask sees a valid signature: that browser is ada now.",
                doit: &[
                    Action::Steal { script: true },
                    Action::OpenSecond,
                    Action::Second(&Action::Plant),
                    Action::NavigateSecond("/about"),
                ],
                done: hijacked_through_a_script,
            },
            Step {
                id: "httponly",
                todo: "Turn SESSION_COOKIE_HTTPONLY back on (Flask's default) and sign in as ada \
                       again.",
                watch: "The new Set-Cookie ends in HttpOnly; Path=/.",
                why: "HttpOnly tells the browser to keep the cookie out of document.cookie. It \
                      is still sent with every request to the site.",
                doit: &[
                    Action::Switch("SESSION_COOKIE_HTTPONLY", true),
                    Action::Navigate("/login"),
                    SIGN_IN,
                ],
                done: login_httponly,
            },
            Step {
                id: "script-blocked",
                todo: "Attack again from a clean second browser: clear its cookies, steal with \
                       a script, plant, open /about there.",
                watch: "The script copies nothing, so the second browser sends no session \
                        cookie and is sent to /login.",
                why: "document.cookie does not list HttpOnly cookies. A script in the page can \
                      still send requests that carry the cookie and act as ada while she has \
                      the page open; it just cannot take the cookie away. The copy from step \
                      \"hijack\" would still work: it stays valid for 31 days.",
                doit: &[
                    Action::Second(&Action::ClearCookies),
                    Action::Steal { script: true },
                    Action::Second(&Action::Plant),
                    Action::NavigateSecond("/about"),
                ],
                done: script_got_nothing,
            },
            Step {
                id: "in-hand",
                todo: "Now copy every cookie, as someone with the browser or its traffic in \
                       hand would, plant the copy in the second browser and open /about.",
                watch: "The HttpOnly cookie is copied, and the second browser is ada again.",
                why: "HttpOnly only binds scripts. DevTools, malware on the machine, or anyone \
                      reading plain-HTTP traffic gets the cookie. Secure (SESSION_COOKIE_SECURE) \
                      closes the network road by sending the cookie over HTTPS only; the lab \
                      runs on http://localhost, which Chromium treats as secure, so it changes \
                      nothing here.",
                doit: &[
                    Action::Steal { script: false },
                    Action::Second(&Action::Plant),
                    Action::NavigateSecond("/about"),
                ],
                done: hijacked_by_hand,
            },
            Step {
                id: "server-side",
                todo: "Keep the session on the server (Flask-Session), sign in as ada, and \
                       hijack the session again by hand.",
                watch: "The copied cookie is now an id, and it works just as well in the \
                        second browser.",
                why: "A server-side session is no harder to hijack: the id is the bearer \
                      token. What changes is that the server can end it.",
                doit: &[
                    Action::ServerSide(true),
                    Action::Navigate("/login"),
                    SIGN_IN,
                    Action::Steal { script: false },
                    Action::Second(&Action::Plant),
                    Action::NavigateSecond("/about"),
                ],
                done: hijacked_server_side,
            },
            Step {
                id: "logout",
                todo: "As ada, log out; then reload /about in the second browser.",
                watch: "The second browser still sends the id, but the store no longer has \
                        it: a 302 to /login.",
                why: "Logging out deleted session:<id> from the store, which ends the \
                      attacker's copy too. With a cookie session the copy would have kept \
                      working (see the replay scenario).",
                doit: &[
                    Action::Navigate("/logout"),
                    Action::NavigateSecond("/about"),
                ],
                done: victim_logout_ends_it,
            },
        ],
        myths: vec![
            Myth {
                claim: "Tutorial 002 says HTTPS and secure session cookies protect against \
                        session hijacking.",
                truth: "HTTPS with SESSION_COOKIE_SECURE keeps the cookie from being read on \
                        the network. A script in the page, malware, or someone at the \
                        computer still gets it, and the copy works anywhere.",
                shown_by: "Step \"in-hand\"".into(),
            },
            Myth {
                claim: "Tutorial 002's settings table says SESSION_COOKIE_HTTPONLY makes the \
                        cookie inaccessible to JavaScript.",
                truth: "True, and it is Flask's default. It stops scripts from copying the \
                        cookie, not from using it: a script in the page can still send \
                        requests that carry it.",
                shown_by: "Step \"script-blocked\"".into(),
            },
            Myth {
                claim: "A common belief: SameSite=Strict stops session hijacking.",
                truth: "SameSite only decides whether the browser adds the cookie to requests \
                        that another site starts (cross-site request forgery). A stolen copy \
                        is sent by the attacker's own browser straight to the site, where \
                        SameSite does not apply. Flask sets no SameSite by default \
                        (SESSION_COOKIE_SAMESITE = None); Chromium then treats the cookie as \
                        Lax.",
                shown_by: "Step \"hijack\"".into(),
            },
        ],
    }
}
