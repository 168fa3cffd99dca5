//! A short lesson for each scenario: what to do, what to watch on the wire, why it happens,
//! and the tutorial claims the scenario puts to the test.
//!
//! Steps tick themselves: each [`Step::done`] reads the network log (a slice of
//! [`Exchange`]) and nothing else, so progress is a pure function of what was sent and
//! received. A browser restart marks the next request ([`Exchange::after_restart`]); clock
//! moves are not logged as such, so steps that depend on them look at the time between two
//! requests.
//!
//! Every statement about Flask follows `../shared/reference/FORMATS.md` (Flask 3.1.3,
//! Flask-Session 0.8.0, Flask-Login 0.6.3).

use super::{BrowserId, Exchange};
use crate::client::jar::ORIGIN;
use crate::engine::flask::sessions::CookieVerdict;
use crate::engine::itsdangerous::signing::{decode_payload, Segments};
use crate::engine::werkzeug::cookie::parse_cookie_header;
use crate::engine::werkzeug::http_date::parse_http_date;

/// One thing to do in the lab.
#[derive(Debug, Clone)]
pub struct Step {
    /// Stable within its lesson (used by [`progress`]).
    pub id: &'static str,
    /// What to do.
    pub todo: &'static str,
    /// What to look at on the wire or in the panels.
    pub watch: &'static str,
    /// Why it happens.
    pub why: &'static str,
    /// Whether the network log shows the step done.
    pub done: fn(&[Exchange]) -> bool,
}

/// A tutorial claim and what Flask really does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Myth {
    /// The claim, paraphrased and attributed.
    pub claim: &'static str,
    pub truth: &'static str,
    /// The step or panel that shows it.
    pub shown_by: &'static str,
}

/// A scenario's lesson.
#[derive(Debug, Clone)]
pub struct Lesson {
    pub intro: &'static str,
    pub steps: Vec<Step>,
    pub myths: Vec<Myth>,
}

/// The lesson for a scenario id (see [`super::scenarios::SCENARIOS`]); an unknown id gets an
/// empty lesson.
pub fn lesson(scenario_id: &str) -> Lesson {
    match scenario_id {
        "seed-000" => seed_000(),
        "seed-000-login" => seed_000_login(),
        "seed-000-misspelled" => seed_000_misspelled(),
        "seed-001" => seed_001(),
        "seed-002" => seed_002(),
        "seed-003" => seed_003(),
        "seed-004-client-temp" => seed_004_client_temp(),
        "seed-004-server-temp" => seed_004_server_temp(),
        "seed-004-client-persist" => seed_004_client_persist(),
        "seed-004-server-persist" => seed_004_server_persist(),
        "free-play" => free_play(),
        _ => Lesson {
            intro: "There is no lesson for this scenario.",
            steps: Vec::new(),
            myths: Vec::new(),
        },
    }
}

/// Each step's id with whether the log shows it done, in the lesson's order.
pub fn progress(lesson: &Lesson, log: &[Exchange]) -> Vec<(&'static str, bool)> {
    lesson.steps.iter().map(|s| (s.id, (s.done)(log))).collect()
}

// ---------------------------------------------------------------------------------------------
// Reading the log.

/// Flask-Login's cookie; every other cookie the apps set is the session cookie, whatever its
/// configured name.
const REMEMBER_COOKIE: &str = "remember_token";

/// One `Set-Cookie` header, reduced to what the steps look at.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SetCookieLine<'a> {
    name: &'a str,
    value: &'a str,
    /// `Expires` in unix seconds, if present and readable.
    expires: Option<i64>,
    /// `Max-Age` in seconds, if present.
    max_age: Option<i64>,
}

impl SetCookieLine<'_> {
    fn parse(header: &str) -> SetCookieLine<'_> {
        let mut parts = header.split(';');
        let pair = parts.next().unwrap_or("");
        let (name, value) = pair.split_once('=').unwrap_or(("", pair));
        let mut line = SetCookieLine {
            name: name.trim(),
            value: value.trim(),
            expires: None,
            max_age: None,
        };
        for attribute in parts {
            let (key, val) = attribute.split_once('=').unwrap_or((attribute, ""));
            let key = key.trim();
            if key.eq_ignore_ascii_case("expires") {
                line.expires = parse_http_date(val.trim());
            } else if key.eq_ignore_ascii_case("max-age") {
                line.max_age = val.trim().parse().ok();
            }
        }
        line
    }

    /// Asks the browser to forget the cookie (`Max-Age=0` or an `Expires` already past).
    fn deletes(&self, now: i64) -> bool {
        self.max_age.is_some_and(|m| m <= 0) || self.expires.is_some_and(|e| e <= now)
    }

    /// A cookie that outlives the browser (an `Expires` in the future).
    fn persistent(&self) -> bool {
        self.expires.is_some()
    }
}

/// The session cookie lines a response sets (Flask-Login's remember cookie left out).
fn session_lines(e: &Exchange) -> impl Iterator<Item = SetCookieLine<'_>> {
    e.set_cookies()
        .into_iter()
        .map(SetCookieLine::parse)
        .filter(|c| c.name != REMEMBER_COOKIE)
}

/// The session cookie a response sets with a value (not a deletion).
fn session_set(e: &Exchange) -> Option<SetCookieLine<'_>> {
    session_lines(e).find(|c| !c.deletes(e.at))
}

/// Whether a response deletes the session cookie.
fn session_deleted(e: &Exchange) -> bool {
    session_lines(e).any(|c| c.deletes(e.at))
}

/// The session cookie's value as the request carried it.
fn session_sent(e: &Exchange) -> Option<String> {
    let header = e.cookie.as_deref()?;
    parse_cookie_header(header)
        .into_iter()
        .find(|(name, value)| name != REMEMBER_COOKIE && !value.is_empty())
        .map(|(_, value)| value)
}

/// The server accepted the cookie it was sent (a good signature, or a known session id).
fn accepted(e: &Exchange) -> bool {
    matches!(e.verdict, Some(CookieVerdict::Valid { .. }))
}

/// The server ignored a cookie it was sent and started an empty session.
fn refused(e: &Exchange) -> bool {
    matches!(
        e.verdict,
        Some(CookieVerdict::Rejected(_) | CookieVerdict::UnknownSessionId)
    )
}

/// The `Location` without its query.
fn location_path(e: &Exchange) -> Option<&str> {
    e.header("Location")
        .map(|l| l.split('?').next().unwrap_or(l))
}

fn redirects_to(e: &Exchange, path: &str) -> bool {
    matches!(e.status(), 301 | 302 | 303 | 307 | 308) && location_path(e) == Some(path)
}

fn get(e: &Exchange, path: &str) -> bool {
    e.method == "GET" && e.path() == path
}

fn post(e: &Exchange, path: &str) -> bool {
    e.method == "POST" && e.path() == path
}

/// The JSON a signed cookie value carries, read without any key.
fn payload_json(value: &str) -> Option<String> {
    let segments = Segments::split(value).ok()?;
    decode_payload(segments.payload).ok()
}

/// A Flask-Session id: random URL-safe text, not a signed `payload.timestamp.signature`.
fn bare_id(value: &str) -> bool {
    !value.is_empty() && !value.contains('.')
}

/// The exchanges of the same browser before position `i`, latest first.
fn earlier(log: &[Exchange], i: usize, browser: BrowserId) -> impl Iterator<Item = &Exchange> {
    log[..i].iter().rev().filter(move |p| p.browser == browser)
}

/// The last session cookie line the browser received before position `i`, with the position
/// of the exchange that brought it.
fn last_session_line(
    log: &[Exchange],
    i: usize,
    browser: BrowserId,
) -> Option<(usize, bool, bool)> {
    earlier(log, i, browser).find_map(|p| {
        session_lines(p)
            .last()
            .map(|c| (p.id, c.deletes(p.at), c.persistent()))
    })
}

/// A request went out without the session cookie although the last one the browser received
/// had no `Expires`, was never deleted, and had been sent back since: the browser was closed
/// (or its cookies cleared). `also` narrows down the request.
/// Whether this browser was closed and reopened at or before exchange `i`.
fn restarted_by(log: &[Exchange], i: usize) -> bool {
    log[..=i]
        .iter()
        .any(|p| p.browser == log[i].browser && p.after_restart)
}

fn dropped_browser_session_cookie(log: &[Exchange], also: fn(&Exchange) -> bool) -> bool {
    log.iter().enumerate().any(|(i, e)| {
        if session_sent(e).is_some() || !also(e) || !restarted_by(log, i) {
            return false;
        }
        let Some((set_at, deleted, persistent)) = last_session_line(log, i, e.browser) else {
            return false;
        };
        !deleted
            && !persistent
            && log[..i]
                .iter()
                .any(|p| p.browser == e.browser && p.id > set_at && session_sent(p).is_some())
    })
}

/// A request for a protected page was sent to the login page although the browser's previous
/// request was signed in, nothing deleted its cookie, the cookie had an `Expires`, and time
/// had passed: the session lapsed while the browser sat idle.
fn lapsed_while_idle(log: &[Exchange], page: fn(&str) -> bool, login: &str) -> bool {
    log.iter().enumerate().any(|(i, e)| {
        if e.method != "GET" || !page(e.path()) || !redirects_to(e, login) {
            return false;
        }
        if session_sent(e).is_some() && accepted(e) {
            return false;
        }
        let Some(previous) = earlier(log, i, e.browser).next() else {
            return false;
        };
        let signed_in = session_sent(previous).is_some() && accepted(previous);
        let persistent = matches!(last_session_line(log, i, e.browser), Some((_, false, true)));
        signed_in && persistent && !session_deleted(previous) && e.at > previous.at
    })
}

/// A request carrying the session cookie got it back re-issued with an `Expires`, later than
/// the first time the browser received a persistent session cookie: sliding expiry.
fn refreshed_later(log: &[Exchange]) -> bool {
    let Some(first) = log
        .iter()
        .find(|e| session_set(e).is_some_and(|c| c.persistent()))
    else {
        return false;
    };
    log.iter().any(|e| {
        e.browser == first.browser
            && e.at > first.at
            && session_sent(e).is_some()
            && accepted(e)
            && session_set(e).is_some_and(|c| c.persistent())
    })
}

/// `POST /login` answered with a redirect that leaves the site.
fn redirected_off_site(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        post(e, "/login")
            && e.status() == 302
            && e.header("Location").is_some_and(|l| {
                let l = l.to_ascii_lowercase();
                (l.starts_with("//") || l.contains("://"))
                    && !(l == ORIGIN || l.starts_with(&format!("{ORIGIN}/")))
            })
    })
}

// ---------------------------------------------------------------------------------------------
// Seed 000: Flask-Session, SESSION_PERMANENT = False.

fn anonymous_sent_to_login(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        get(e, "/")
            && redirects_to(e, "/login")
            && session_sent(e).is_none()
            && session_set(e).is_none()
    })
}

fn registered_with_browser_session_id(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        post(e, "/login")
            && e.status() == 302
            && session_set(e).is_some_and(|c| bare_id(c.value) && !c.persistent())
    })
}

fn index_answered_with_stored_session(log: &[Exchange]) -> bool {
    log.iter()
        .any(|e| get(e, "/") && e.status() == 200 && session_sent(e).is_some() && accepted(e))
}

fn logout_kept_the_entry(log: &[Exchange]) -> bool {
    log.iter().enumerate().any(|(i, out)| {
        let Some(id) = session_sent(out).filter(|_| get(out, "/logout")) else {
            return false;
        };
        log[i + 1..].iter().any(|e| {
            e.browser == out.browser
                && get(e, "/")
                && redirects_to(e, "/login")
                && accepted(e)
                && session_sent(e).as_deref() == Some(id.as_str())
        })
    })
}

fn restart_dropped_id(log: &[Exchange]) -> bool {
    dropped_browser_session_cookie(log, |e| e.method == "GET")
}

fn seed_000() -> Lesson {
    Lesson {
        intro: "Tutorial 000's name form, with its configuration spelled correctly: Flask-Session \
                with SESSION_TYPE = \"filesystem\" and SESSION_PERMANENT = False. The browser only \
                ever holds a random session id; the name you type is kept in the server's store \
                under session:<id>. Watch the wire for the id and the store panel for the data.",
        steps: vec![
            Step {
                id: "anonymous",
                todo: "Open / before registering.",
                watch: "A 302 to /login with Vary: Cookie and no Set-Cookie.",
                why: "The view only reads the session. Flask-Session saves nothing for an empty \
                      session, so a visitor who never registers gets neither a cookie nor a \
                      stored entry.",
                done: anonymous_sent_to_login,
            },
            Step {
                id: "register",
                todo: "Type a name on /login and submit it.",
                watch: "POST /login answers 302 with Set-Cookie: session=<43 characters>; \
                        HttpOnly; Path=/. No Expires, and no dots in the value.",
                why: "The value is a random id (32 random bytes in URL-safe base64), not your \
                      data: the name is in the store panel. SESSION_PERMANENT = False leaves \
                      Expires out, so the browser keeps the id only until it closes.",
                done: registered_with_browser_session_id,
            },
            Step {
                id: "no-greeting",
                todo: "Read the page / shows after the redirect.",
                watch: "A 200, yet the page says nobody is registered, while the store holds \
                        your name under user_name.",
                why: "The welcome template tests session.name, but the view stored user_name. \
                      Jinja finds no name key, so the greeting never shows. The 200 itself \
                      proves the name is there: / only answers 200 when user_name is set.",
                done: index_answered_with_stored_session,
            },
            Step {
                id: "logout-keeps-entry",
                todo: "Click logout.",
                watch: "/logout sends the same id again; the redirected request to / carries \
                        it, the server finds its entry, and still sends you to /login.",
                why: "Setting user_name to None keeps the key, so the session is not empty and \
                      Flask-Session keeps both the entry (now user_name: None) and the cookie. \
                      session.pop(\"user_name\", None) would leave an empty session, which \
                      Flask-Session deletes from the store while expiring the cookie.",
                done: logout_kept_the_entry,
            },
            Step {
                id: "restart",
                todo: "Close and reopen the browser, then open /.",
                watch: "The request goes out with no Cookie header and lands on /login, while \
                        the store panel still lists the old entry.",
                why: "A cookie without Expires lasts as long as the browser. The entry it \
                      pointed to stays on the server, out of reach, until its timeout \
                      (PERMANENT_SESSION_LIFETIME, 31 days here) runs out.",
                done: restart_dropped_id,
            },
        ],
        myths: vec![
            Myth {
                claim: "Tutorial 000 says the session is kept in the server's temporary \
                        directory and signed cryptographically.",
                truth: "Flask-Session's filesystem backend pickles the data into files under \
                        flask_session/ in the working directory (SESSION_FILE_DIR), and the \
                        cookie is a bare random id: Flask-Session 0.8 signs it only with the \
                        deprecated SESSION_USE_SIGNER.",
                shown_by: "Step \"register\" and the store panel",
            },
            Myth {
                claim: "Tutorial 000 says SESSION_PERMANENT = False gives the session a time \
                        limit after which it expires, and its FAQ puts that limit at 31 days.",
                truth: "It takes Expires off the id cookie, so the browser forgets the id when \
                        it closes. The 31 days (PERMANENT_SESSION_LIFETIME) are how long the \
                        stored entry lasts after the last request that saved it; only permanent \
                        sessions put them on the cookie.",
                shown_by: "Steps \"register\" and \"restart\", and the store panel's countdown",
            },
            Myth {
                claim: "Tutorial 000's first configuration snippet stores sessions on disk \
                        with SESSION_TYPE = \"file\".",
                truth: "The backend is called \"filesystem\". Flask-Session 0.8 refuses \
                        anything but redis, memcached, filesystem, cachelib, mongodb, \
                        sqlalchemy or dynamodb: Session(app) raises ValueError: Unrecognized \
                        value for SESSION_TYPE: file.",
                shown_by: "The Flask code panel, and the seed-000-misspelled scenario",
            },
            Myth {
                claim: "Tutorial 000 logs the user out by setting the name to None.",
                truth: "The key stays, holding None: the stored entry and the id cookie \
                        survive, and the app only treats the visitor as a stranger because None \
                        is falsy. session.pop(\"user_name\", None) or session.clear() removes \
                        the data, and Flask-Session then deletes the entry and the cookie.",
                shown_by: "Step \"logout-keeps-entry\"",
            },
            Myth {
                claim: "Tutorial 000's welcome page greets the registered user by name.",
                truth: "Its template tests session.name while the view stores user_name, so the \
                        greeting never appears, even right after registering.",
                shown_by: "Step \"no-greeting\"",
            },
            Myth {
                claim: "Tutorial 000's FAQ says nothing can clear a session, short of changing \
                        the secret key.",
                truth: "session.clear() empties it and session.pop(key, None) removes one key. \
                        Changing SECRET_KEY does nothing here, since Flask-Session without its \
                        signer never uses it; with Flask's cookie sessions it invalidates every \
                        user's cookie at once, unless the old key is kept in \
                        SECRET_KEY_FALLBACKS.",
                shown_by: "Step \"logout\" of seed-002 (clear() at work)",
            },
        ],
    }
}

// ---------------------------------------------------------------------------------------------
// Seed 000, Flask-Login.

fn unauthorized_is_a_200(log: &[Exchange]) -> bool {
    log.iter()
        .any(|e| get(e, "/protected") && e.status() == 200 && e.response.body == "Unauthorized")
}

fn login_user_wrote_the_session(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        post(e, "/login")
            && redirects_to(e, "/protected")
            && session_set(e)
                .and_then(|c| payload_json(c.value))
                .is_some_and(|json| json.contains("\"_user_id\""))
    })
}

fn protected_page_served(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        get(e, "/protected")
            && e.status() == 200
            && session_sent(e).is_some()
            && e.response.body.starts_with("Logged in as: ")
    })
}

fn logout_user_deleted_the_cookie(log: &[Exchange]) -> bool {
    log.iter()
        .any(|e| get(e, "/logout") && e.status() == 200 && session_deleted(e))
}

fn seed_000_login() -> Lesson {
    Lesson {
        intro: "The Flask-Login half of tutorial 000, run with Flask-Login's real names \
                (UserMixin, user_loader, login_user, current_user, logout_user) where the \
                tutorial misnames them, and nothing else changed. Sessions are Flask's signed \
                cookies, with SECRET_KEY \"CODINGNINJAS\". The one account is \
                ninja@codingninjas.com, password ninja123.",
        steps: vec![
            Step {
                id: "unauthorized",
                todo: "Open /protected before signing in.",
                watch: "Status 200, body Unauthorized.",
                why: "login_required hands anonymous visitors to the unauthorized_handler, and \
                      a plain string returned from a handler is an ordinary 200 page. Returning \
                      (\"Unauthorized\", 401) would send a real 401.",
                done: unauthorized_is_a_200,
            },
            Step {
                id: "login",
                todo: "Open /login and sign in as ninja@codingninjas.com with ninja123.",
                watch: "POST /login answers 302 to /protected with a session cookie. Decode its \
                        payload (a leading dot means zlib-compressed): _fresh, _id and _user_id.",
                why: "login_user stores the user's id as _user_id, marks the login fresh, and \
                      keeps _id, a SHA-512 of your address and User-Agent that session \
                      protection compares on later requests. No Expires: the session is not \
                      permanent, and without remember=True no remember_token is set.",
                done: login_user_wrote_the_session,
            },
            Step {
                id: "protected",
                todo: "Follow the redirect to /protected (the lab does it for you).",
                watch: "200, Logged in as: ninja@codingninjas.com, and no Set-Cookie.",
                why: "The user_loader rebuilds the user from _user_id on every request. The \
                      session was only read, and Flask re-sends a non-permanent cookie session \
                      only when it changed.",
                done: protected_page_served,
            },
            Step {
                id: "logout",
                todo: "Open /logout.",
                watch: "Logged out, with Set-Cookie: session=; Expires=Thu, 01 Jan 1970 \
                        00:00:00 GMT; Max-Age=0.",
                why: "logout_user removes _user_id, _fresh and _id. Nothing is left, so Flask \
                      tells the browser to delete the cookie. The server keeps no list of \
                      sessions: a copy of the old cookie would still sign you in.",
                done: logout_user_deleted_the_cookie,
            },
        ],
        myths: vec![
            Myth {
                claim: "Tutorial 000 says Flask-Login remembers users' sessions for a long \
                        time.",
                truth: "Only login_user(user, remember=True) does that, with a remember_token \
                        cookie (365 days by default). The example never asks for it and its \
                        session is not permanent, so closing the browser signs the user out.",
                shown_by: "Step \"login\": no Expires, no remember_token",
            },
            Myth {
                claim: "Tutorial 000 treats its unauthorized_handler's message as the answer to \
                        an unauthorized request.",
                truth: "Returning just the string sends status 200, so anything that checks the \
                        status sees success. Return it with 401, or set no handler and no \
                        login_view and Flask-Login aborts with 401 itself.",
                shown_by: "Step \"unauthorized\"",
            },
            Myth {
                claim: "Tutorial 000's request_loader authenticates a student by setting \
                        is_authenticated from the submitted password.",
                truth: "UserMixin.is_authenticated is a read-only property, so the assignment \
                        raises AttributeError (a 500) for any known email. A request_loader \
                        returns the user when the credentials check out and None otherwise.",
                shown_by: "The Flask code panel, which leaves that loader out",
            },
            Myth {
                claim: "Tutorial 000 builds its login on flask_login.studentMixin, \
                        student_loader, login_student, current_student and logout_student.",
                truth: "Flask-Login has no such names; they are UserMixin, user_loader, \
                        login_user, current_user and logout_user. The listing cannot run as \
                        printed, so this scenario runs it with the names corrected.",
                shown_by: "The Flask code panel",
            },
        ],
    }
}

// ---------------------------------------------------------------------------------------------
// Seed 000's misspelled listing.

fn fixed_app_answers(log: &[Exchange]) -> bool {
    log.iter().any(|e| get(e, "/") && redirects_to(e, "/login"))
}

fn seed_000_misspelled() -> Lesson {
    Lesson {
        intro: "Tutorial 000's complete listing sets app.config[\"SESSION_P\"] and \
                app.config[\"SESSION_T\"]. Flask stores any key without a word, but \
                Flask-Session reads only SESSION_PERMANENT and SESSION_TYPE. It finds \
                SESSION_TYPE at its default, \"null\", and Session(app) raises ValueError: \
                Unrecognized value for SESSION_TYPE: null, so no request is ever served. The \
                steps below tick once the keys are fixed (SESSION_PERMANENT, and SESSION_TYPE \
                set to \"filesystem\", not \"file\"): that app is seed-000.",
        steps: vec![
            Step {
                id: "starts",
                todo: "Fix both keys and open /.",
                watch: "The app answers at last: a 302 to /login.",
                why: "With a backend it knows, Session(app) installs the server-side session \
                      interface instead of raising.",
                done: fixed_app_answers,
            },
            Step {
                id: "id-cookie",
                todo: "Register a name on /login.",
                watch: "Set-Cookie: session=<random id>; HttpOnly; Path=/, with no Expires.",
                why: "No Expires is SESSION_PERMANENT = False at work. The misspelled SESSION_P \
                      was never read; had the fixed app left it out, Flask-Session's default \
                      would have made the session permanent, with a 31-day Expires.",
                done: registered_with_browser_session_id,
            },
            Step {
                id: "store-hit",
                todo: "Open / once more.",
                watch: "The id goes back in the Cookie header and / answers 200.",
                why: "Flask-Session looks the id up under session:<id> in its store; only the \
                      id ever travels.",
                done: index_answered_with_stored_session,
            },
        ],
        myths: vec![
            Myth {
                claim: "Tutorial 000's complete code configures Flask-Session with SESSION_P \
                        and SESSION_T.",
                truth: "Neither is a setting, and neither Flask nor Flask-Session warns about \
                        unknown keys. Flask-Session 0.8 sees no SESSION_TYPE, keeps its default \
                        \"null\", and refuses to start: ValueError: Unrecognized value for \
                        SESSION_TYPE: null.",
                shown_by: "The start-up error this scenario shows",
            },
            Myth {
                claim: "Tutorial 000 says SESSION_TYPE = \"file\" keeps sessions on the hard \
                        drive.",
                truth: "The backend is \"filesystem\"; \"file\" stops Session(app) with \
                        ValueError: Unrecognized value for SESSION_TYPE: file. So fixing the \
                        spelling of SESSION_T alone would still not start the app.",
                shown_by: "The Flask code panel",
            },
        ],
    }
}

// ---------------------------------------------------------------------------------------------
// Seed 001: client-side, set / get / pop.

fn set_session_readable(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        get(e, "/setsession")
            && session_set(e)
                .and_then(|c| payload_json(c.value))
                .is_some_and(|json| json.contains("\"Username\""))
    })
}

fn get_session_greets(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        get(e, "/getsession")
            && session_sent(e).is_some()
            && accepted(e)
            && e.response.body == "Welcome Admin"
            && session_set(e).is_none()
    })
}

fn second_browser_is_anonymous(log: &[Exchange]) -> bool {
    let Some(first) = log
        .iter()
        .position(|e| e.browser == BrowserId::Main && e.response.body == "Welcome Admin")
    else {
        return false;
    };
    log[first..].iter().any(|e| {
        e.browser == BrowserId::Second
            && get(e, "/getsession")
            && e.response.body == "Welcome Anonymous"
    })
}

fn pop_deleted_the_cookie(log: &[Exchange]) -> bool {
    log.iter()
        .any(|e| get(e, "/popsession") && session_sent(e).is_some() && session_deleted(e))
}

fn anonymous_after_pop(log: &[Exchange]) -> bool {
    log.iter().enumerate().any(|(i, popped)| {
        get(popped, "/popsession")
            && session_deleted(popped)
            && log[i + 1..].iter().any(|e| {
                e.browser == popped.browser
                    && get(e, "/getsession")
                    && session_sent(e).is_none()
                    && e.response.body == "Welcome Anonymous"
            })
    })
}

fn seed_001() -> Lesson {
    Lesson {
        intro: "Tutorial 001's three views store, read and remove Username in Flask's default \
                session: a cookie signed with SECRET_KEY \"xyz\". The server keeps nothing; \
                all it knows about you comes back in the Cookie header of each request.",
        steps: vec![
            Step {
                id: "set",
                todo: "Open /setsession.",
                watch: "Set-Cookie: session=eyJ…, three parts separated by dots. Decode the \
                        first: {\"Username\":\"Admin\"}, no key needed.",
                why: "Flask turns the session into JSON, base64-encodes it, adds a timestamp and \
                      signs both with an HMAC-SHA1 key derived from SECRET_KEY. The signature \
                      stops tampering; nothing hides the content.",
                done: set_session_readable,
            },
            Step {
                id: "get",
                todo: "Open /getsession.",
                watch: "The cookie goes back, the page says Welcome Admin, and the answer has \
                        no Set-Cookie.",
                why: "Flask writes a non-permanent cookie session only when it changed; reading \
                      it costs nothing on the wire.",
                done: get_session_greets,
            },
            Step {
                id: "second-browser",
                todo: "Open a second browser and load /getsession there.",
                watch: "No Cookie header, and Welcome Anonymous.",
                why: "The session is the cookie: a browser that never received it has no \
                      session at all.",
                done: second_browser_is_anonymous,
            },
            Step {
                id: "pop",
                todo: "Back in the first browser, open /popsession.",
                watch: "Set-Cookie: session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; \
                        Max-Age=0; HttpOnly; Path=/.",
                why: "Popping the only key leaves the session empty and modified, so Flask tells \
                      the browser to delete its cookie. Nothing changes on the server, which \
                      never had a copy.",
                done: pop_deleted_the_cookie,
            },
            Step {
                id: "gone",
                todo: "Open /getsession again.",
                watch: "No cookie is sent, and Welcome Anonymous.",
                why: "The browser obeyed the deletion. A copy taken earlier would still verify: \
                      the server cannot take back a signature, which stays acceptable until it \
                      is 31 days old (PERMANENT_SESSION_LIFETIME).",
                done: anonymous_after_pop,
            },
        ],
        myths: vec![
            Myth {
                claim: "Tutorial 001 says the secret key is used to encrypt the session.",
                truth: "It signs it. The payload is base64 JSON that anyone holding the cookie \
                        can decode; the HMAC-SHA1 signature only lets Flask notice changes. \
                        Keep secrets out of a cookie session, or keep the session on the server.",
                shown_by: "Step \"set\" (decode the payload without the key)",
            },
            Myth {
                claim: "Tutorial 001 says session data lives on the server while the browser \
                        keeps only a session ID.",
                truth: "Flask's default session has no id and no server-side copy: the whole \
                        dictionary is in the cookie. Storing it on the server takes an \
                        extension such as Flask-Session.",
                shown_by: "Step \"second-browser\", and the empty store panel",
            },
            Myth {
                claim: "Tutorial 001 says /popsession removes the username from the server.",
                truth: "There is nothing on the server to remove. pop() empties the session and \
                        Flask answers with an already expired cookie, so the browser drops its \
                        copy; a copy taken before keeps verifying for up to 31 days.",
                shown_by: "Steps \"pop\" and \"gone\"",
            },
        ],
    }
}

// ---------------------------------------------------------------------------------------------
// Seed 002: Flask-Session, permanent by default, 30 minutes.

fn stored_with_permanent_id(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        get(e, "/")
            && e.status() == 200
            && session_set(e).is_some_and(|c| bare_id(c.value) && c.persistent())
    })
}

fn profile_refreshed(log: &[Exchange]) -> bool {
    refreshed_later(log)
        && log.iter().any(|e| {
            get(e, "/profile")
                && accepted(e)
                && e.response.body.starts_with("Welcome, ")
                && session_set(e).is_some_and(|c| c.persistent())
        })
}

fn clear_deleted_the_entry(log: &[Exchange]) -> bool {
    log.iter()
        .any(|e| get(e, "/logout") && session_sent(e).is_some() && session_deleted(e))
}

fn dashboard_ends_in_405(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        get(e, "/login")
            && e.status() == 405
            && e.redirected_from
                .and_then(|from| log.iter().find(|x| x.id == from))
                .is_some_and(|from| get(from, "/dashboard"))
    })
}

fn seed_002() -> Lesson {
    Lesson {
        intro: "Tutorial 002's example: Flask-Session with SESSION_TYPE = \"filesystem\" and a \
                30-minute PERMANENT_SESSION_LIFETIME. / stores username, /profile reads it, \
                /logout clears the session; a second pair, /login (POST only) and /dashboard, \
                stores and checks user_id.",
        steps: vec![
            Step {
                id: "store",
                todo: "Open /.",
                watch: "Set-Cookie: session=<random id>; Expires 30 minutes ahead; HttpOnly; \
                        Path=/. The data is in the store panel, not in the cookie.",
                why: "Flask-Session makes new sessions permanent (SESSION_PERMANENT defaults to \
                      True), so the id cookie carries Expires = now + \
                      PERMANENT_SESSION_LIFETIME and the entry gets the same timeout.",
                done: stored_with_permanent_id,
            },
            Step {
                id: "refresh",
                todo: "Move the clock a minute (+1 min) and open /profile.",
                watch: "Welcome, John! and the same id sent back with a later Expires.",
                why: "With SESSION_REFRESH_EACH_REQUEST on (the default), each request re-sends \
                      a permanent session's cookie and rewrites its entry, so the 30 minutes \
                      count from the last request.",
                done: profile_refreshed,
            },
            Step {
                id: "logout",
                todo: "Open /logout.",
                watch: "Set-Cookie: session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; \
                        Max-Age=0; Path=/ (no HttpOnly this time), and the entry leaves the \
                        store panel.",
                why: "clear() empties the session, so Flask-Session deletes the stored entry and \
                      expires the cookie, passing only its domain and path. Unlike a signed \
                      cookie session, the old id is now worthless even to someone who kept it.",
                done: clear_deleted_the_entry,
            },
            Step {
                id: "dashboard-405",
                todo: "Open /dashboard.",
                watch: "A 302 to /login, then the browser's GET /login answered 405 Method Not \
                        Allowed, its Allow header listing only POST and OPTIONS.",
                why: "A browser follows a 302 with a GET, and this /login accepts only POST. A \
                      login route that redirects land on must also answer GET (with a form).",
                done: dashboard_ends_in_405,
            },
        ],
        myths: vec![
            Myth {
                claim: "Tutorial 002 says SECRET_KEY encrypts the session data.",
                truth: "Flask-Session 0.8 does not use SECRET_KEY at all unless the deprecated \
                        SESSION_USE_SIGNER is on. The cookie is a random id and the store keeps \
                        the session unencrypted (pickled, with the filesystem backend). Flask's \
                        own cookie sessions use the key to sign, not to encrypt.",
                shown_by: "Step \"store\" and the store panel",
            },
            Myth {
                claim: "Tutorial 002 says Flask has no built-in session storage, so one must be \
                        installed.",
                truth: "Flask's default session interface keeps the session in a signed cookie \
                        with no extension at all. Flask-Session is optional: it moves the data \
                        into a server-side store.",
                shown_by: "The seed-001 scenario",
            },
            Myth {
                claim: "Tutorial 002 sends visitors without user_id from /dashboard to its login \
                        route.",
                truth: "That route accepts only POST, and the browser follows the redirect with \
                        a GET, so the visitor ends on 405 Method Not Allowed.",
                shown_by: "Step \"dashboard-405\"",
            },
            Myth {
                claim: "Tutorial 002's configuration table lists 'null' as SESSION_TYPE's \
                        default, as if no backend had to be chosen.",
                truth: "It is the default in Flask-Session 0.8, but not a usable one: \
                        Session(app) raises ValueError: Unrecognized value for SESSION_TYPE: \
                        null. A backend must always be named.",
                shown_by: "The seed-000-misspelled scenario",
            },
        ],
    }
}

// ---------------------------------------------------------------------------------------------
// Seed 003: permanent cookie session, 5 minutes.

fn permanent_login(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        post(e, "/login")
            && redirects_to(e, "/user")
            && session_set(e).is_some_and(|c| {
                c.persistent()
                    && payload_json(c.value).is_some_and(|json| json.contains("\"_permanent\""))
            })
    })
}

fn user_lapsed(log: &[Exchange]) -> bool {
    lapsed_while_idle(log, |p| p == "/user", "/login")
}

fn logout_resigned_without_user(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        get(e, "/logout")
            && session_sent(e).is_some()
            && session_set(e)
                .and_then(|c| payload_json(c.value))
                .is_some_and(|json| !json.contains("\"user\""))
    })
}

fn markup_echoed(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        get(e, "/user")
            && e.status() == 200
            && e.response
                .body
                .strip_prefix("<h1>")
                .and_then(|b| b.strip_suffix("</h1>"))
                .is_some_and(|name| name.contains('<'))
    })
}

fn seed_003() -> Lesson {
    Lesson {
        intro: "Tutorial 003's login: the name you submit is stored as user in Flask's cookie \
                session (SECRET_KEY \"hello\"), the session is made permanent at login, and \
                PERMANENT_SESSION_LIFETIME is five minutes.",
        steps: vec![
            Step {
                id: "login",
                todo: "Submit a name on /login.",
                watch: "A 302 to /user with Set-Cookie: session=…; Expires five minutes ahead. \
                        Decode the payload: {\"_permanent\":true,\"user\":…}.",
                why: "session.permanent = True stores a _permanent flag in the session itself \
                      and makes Flask add Expires = now + PERMANENT_SESSION_LIFETIME. The data \
                      is signed, not hidden.",
                done: permanent_login,
            },
            Step {
                id: "sliding",
                todo: "Move the clock a minute (+1 min) and reload /user.",
                watch: "A fresh Set-Cookie with a new timestamp and a later Expires, though \
                        nothing in the session changed.",
                why: "With SESSION_REFRESH_EACH_REQUEST on (the default), Flask re-signs a \
                      permanent session on every request, so the five minutes count from the \
                      last request, not from the login.",
                done: refreshed_later,
            },
            Step {
                id: "idle",
                todo: "Stay idle for more than five minutes (+5 min), then reload /user.",
                watch: "No Cookie header this time, and a 302 to /login.",
                why: "The cookie's Expires has passed, so the browser dropped it. Had it been \
                      sent anyway, Flask would refuse it: its signature's timestamp is older \
                      than PERMANENT_SESSION_LIFETIME.",
                done: user_lapsed,
            },
            Step {
                id: "logout",
                todo: "Sign in again, then open /logout.",
                watch: "The answer sets the cookie again, now holding only {\"_permanent\":true}.",
                why: "pop(\"user\") removes one key, and _permanent keeps a Flask cookie session \
                      non-empty, so it is re-signed rather than deleted. The server keeps no \
                      record: an older copy that still holds user stays valid until it is five \
                      minutes old.",
                done: logout_resigned_without_user,
            },
            Step {
                id: "xss",
                todo: "Sign in with the name <b>hi</b> (any HTML will do).",
                watch: "/user answers <h1><b>hi</b></h1>: your markup came back as markup.",
                why: "A string returned by a view is sent as HTML, unescaped, so a name holding \
                      a script would run in the page (cross-site scripting). markupsafe.escape() \
                      or a Jinja template turns < into &lt;.",
                done: markup_echoed,
            },
        ],
        myths: vec![
            Myth {
                claim: "Tutorial 003 says sessions are stored server side in a temporary \
                        directory, encrypted.",
                truth: "With Flask's default interface the session is the cookie: JSON, base64 \
                        and an HMAC-SHA1 signature, readable by anyone who holds it and never \
                        stored on the server.",
                shown_by: "Step \"login\" (decode the payload)",
            },
            Myth {
                claim: "Tutorial 003 says a permanent session lasts 30 days by default.",
                truth: "Flask's default PERMANENT_SESSION_LIFETIME is 31 days; this app \
                        shortens it to five minutes.",
                shown_by: "The Flask code panel",
            },
            Myth {
                claim: "Tutorial 003 says a session that is not permanent lasts as long as the \
                        browser stays open.",
                truth: "The cookie does, but Flask checks every cookie's signature age against \
                        PERMANENT_SESSION_LIFETIME, permanent or not. A non-permanent session is \
                        re-signed only when it changes, so it stops verifying that long after its \
                        last change, however long the browser stays open.",
                shown_by: "Free play: turn permanent off and shorten the lifetime",
            },
            Myth {
                claim: "Tutorial 003 shows the signed-in name by putting it straight into the \
                        HTML that /user returns.",
                truth: "Nothing escapes it, so whatever a visitor types is served as markup: \
                        cross-site scripting. Escape it with markupsafe.escape() or render it \
                        through a Jinja template.",
                shown_by: "Step \"xss\"",
            },
            Myth {
                claim: "Tutorial 003 says logging out clears the user's session data.",
                truth: "pop(\"user\") removes one key; the permanent flag stays, so the cookie \
                        is re-signed, not deleted, and the server cannot cancel copies it \
                        already signed.",
                shown_by: "Step \"logout\"",
            },
        ],
    }
}

// ---------------------------------------------------------------------------------------------
// Seed 004: four variants of one site.

fn protected_page(path: &str) -> bool {
    matches!(path, "/about" | "/contact")
}

fn protected_sends_to_login(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        e.method == "GET"
            && protected_page(e.path())
            && e.status() == 302
            && e.header("Location")
                .is_some_and(|l| l.starts_with("/login?next="))
    })
}

fn protected_step() -> Step {
    Step {
        id: "protected",
        todo: "Open /about before signing in.",
        watch: "A 302 to /login?next=http://localhost/about, then the sign-in form.",
        why: "The view checks for user_name and sends strangers to /login, with the page's full \
              URL in next (unencoded); the form keeps it in a hidden field.",
        done: protected_sends_to_login,
    }
}

fn open_redirect_step() -> Step {
    Step {
        id: "open-redirect",
        todo: "Open /login?next=https://evil.example/ and sign in.",
        watch: "POST /login answers 302 with Location: https://evil.example/. The lab stops \
                there; a real browser would go.",
        why: "The view redirects to whatever next holds. Anyone can hand out a link that signs \
              people in on your site and then drops them on a look-alike one. Accept only \
              paths on your own site.",
        done: redirected_off_site,
    }
}

fn open_redirect_myth() -> Myth {
    Myth {
        claim: "Tutorial 004 sends the user back to the page named in next after signing in.",
        truth: "next comes from the request unchecked, so /login?next=https://evil.example/ \
                forwards a freshly signed-in user to another site: an open redirect. Redirect \
                only to relative paths of your own site (no scheme, no host).",
        shown_by: "Step \"open-redirect\"",
    }
}

fn secret_key_myth() -> Myth {
    Myth {
        claim: "Tutorial 004's Flask-Session programs mark SECRET_KEY as required for session \
                security.",
        truth: "Flask-Session 0.8 never uses SECRET_KEY unless the deprecated SESSION_USE_SIGNER \
                is on; what protects the session is the id's 32 random bytes. The key still \
                matters for whatever else signs with it, such as Flask-Login's remember cookie.",
        shown_by: "Step \"login\": the cookie is a bare id",
    }
}

fn cookie_logout_myth(lifetime: &'static str) -> Myth {
    Myth {
        claim: "Tutorial 004 says the Log Out button ends the session.",
        truth: lifetime,
        shown_by: "The wire panel on /logout",
    }
}

fn restart_step(why: &'static str) -> Step {
    Step {
        id: "restart",
        todo: "Close and reopen the browser, then open /about.",
        watch: "No Cookie header, and a 302 to /login.",
        why,
        done: restart_dropped_before_protected,
    }
}

fn restart_dropped_before_protected(log: &[Exchange]) -> bool {
    dropped_browser_session_cookie(log, |e| {
        e.method == "GET" && protected_page(e.path()) && e.status() == 302
    })
}

fn login_without_expires(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        post(e, "/login") && e.status() == 302 && session_set(e).is_some_and(|c| !c.persistent())
    })
}

fn login_with_expires(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        post(e, "/login") && e.status() == 302 && session_set(e).is_some_and(|c| c.persistent())
    })
}

fn login_with_bare_persistent_id(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        post(e, "/login")
            && e.status() == 302
            && session_set(e).is_some_and(|c| c.persistent() && bare_id(c.value))
    })
}

fn still_signed_in_on_contact(log: &[Exchange]) -> bool {
    log.iter().enumerate().any(|(i, e)| {
        restarted_by(log, i)
            && get(e, "/contact")
            && e.redirected_from.is_none()
            && e.status() == 200
            && session_sent(e).is_some()
            && accepted(e)
    })
}

fn protected_lapsed(log: &[Exchange]) -> bool {
    lapsed_while_idle(log, protected_page, "/login")
}

fn logout_deleted(log: &[Exchange]) -> bool {
    log.iter()
        .any(|e| get(e, "/logout") && session_sent(e).is_some() && session_deleted(e))
}

fn seed_004_client_temp() -> Lesson {
    Lesson {
        intro: "Tutorial 004's first program: Flask's cookie session, not permanent (Flask's \
                default). /about and /contact need user_name; signing in stores user_name, lang \
                and theme and returns you to the page you came from; /logout clears the \
                session.",
        steps: vec![
            protected_step(),
            Step {
                id: "login",
                todo: "Sign in with any username.",
                watch: "POST /login answers 302 back to http://localhost/about with \
                        Set-Cookie: session=…; HttpOnly; Path=/, and no Expires.",
                why: "A session that is not permanent gets a cookie without Expires, which the \
                      browser keeps until it closes. user_name, lang and theme are inside the \
                      signed value: decode it.",
                done: login_without_expires,
            },
            restart_step(
                "Closing the browser discarded the cookie. Nothing was stored on the server, so \
                 nothing there was deleted: the same value, copied elsewhere, would be accepted \
                 until its signature is 31 days old.",
            ),
            open_redirect_step(),
        ],
        myths: vec![
            Myth {
                claim: "Tutorial 004 says a non-permanent cookie session is deleted when the \
                        user closes the browser.",
                truth: "Only the browser's copy goes, and only in a browser that does not \
                        restore its previous session (those keep such cookies). The server \
                        stores nothing, and Flask accepts the signed value for \
                        PERMANENT_SESSION_LIFETIME (31 days) after it was last written.",
                shown_by: "Step \"restart\"",
            },
            cookie_logout_myth(
                "For a cookie session, clear() only makes Flask send an expired cookie. The \
                 server cannot revoke copies it already signed, which verify for 31 days here; a \
                 server-side session, by contrast, is deleted from the store.",
            ),
            open_redirect_myth(),
        ],
    }
}

fn seed_004_server_temp() -> Lesson {
    Lesson {
        intro: "Tutorial 004's second program: the same site on Flask-Session (SESSION_TYPE = \
                \"filesystem\") with SESSION_PERMANENT = False.",
        steps: vec![
            protected_step(),
            Step {
                id: "login",
                todo: "Sign in with any username.",
                watch: "Set-Cookie: session=<random id>; HttpOnly; Path=/, with no Expires; the \
                        data appears in the store panel.",
                why: "SESSION_PERMANENT = False only changes the cookie. Flask-Session still \
                      writes the entry with a timeout of PERMANENT_SESSION_LIFETIME (31 days) \
                      and renews it on every request.",
                done: login_without_expires,
            },
            restart_step(
                "The browser forgot the id; the server did not forget the data. The orphaned \
                 entry stays in the store panel until its 31-day timeout, and anyone who had \
                 copied the id would find it still valid.",
            ),
            Step {
                id: "logout",
                todo: "Sign in again, then open /logout.",
                watch: "Set-Cookie: session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; \
                        Path=/, and the entry leaves the store panel.",
                why: "clear() empties the session and Flask-Session deletes the entry, so that \
                      id is dead even for someone holding a copy.",
                done: logout_deleted,
            },
            open_redirect_step(),
        ],
        myths: vec![
            Myth {
                claim: "Tutorial 004 says SESSION_PERMANENT = False (or session.permanent = \
                        False) gives a non-persistent server-side session.",
                truth: "It turns the id cookie into a browser-session cookie, nothing more. \
                        Flask-Session stores the entry with a timeout of \
                        PERMANENT_SESSION_LIFETIME (31 days) whether the session is permanent or \
                        not, so the data outlives the browser.",
                shown_by: "Step \"restart\" and the store panel",
            },
            secret_key_myth(),
            open_redirect_myth(),
        ],
    }
}

fn seed_004_client_persist() -> Lesson {
    Lesson {
        intro: "Tutorial 004's third program: Flask's cookie session, made permanent at sign-in \
                (session.permanent = True), with PERMANENT_SESSION_LIFETIME of five minutes.",
        steps: vec![
            protected_step(),
            Step {
                id: "login",
                todo: "Sign in with any username.",
                watch: "Set-Cookie: session=…; Expires five minutes ahead. The payload starts \
                        with \"_permanent\":true.",
                why: "session.permanent = True stores _permanent in the session and tells Flask \
                      to add Expires = now + PERMANENT_SESSION_LIFETIME.",
                done: login_with_expires,
            },
            Step {
                id: "sliding",
                todo: "Move the clock a minute (+1 min) and open /products.",
                watch: "A new Set-Cookie with a later Expires, though /products never touches \
                        the session.",
                why: "With SESSION_REFRESH_EACH_REQUEST on (the default), any request carrying a \
                      permanent cookie session gets it back re-signed. That is what makes the \
                      five minutes idle minutes.",
                done: refreshed_later,
            },
            Step {
                id: "restart",
                todo: "Close and reopen the browser, then open /contact.",
                watch: "The cookie is still sent, and /contact answers 200.",
                why: "A cookie with Expires is kept on disk and survives a restart until that \
                      date.",
                done: still_signed_in_on_contact,
            },
            Step {
                id: "idle",
                todo: "Stay idle for more than five minutes (+5 min), then open /about.",
                watch: "No cookie goes out, and /about sends you to /login.",
                why: "Five minutes after the last request the cookie expires in the browser, and \
                      Flask would refuse its signature anyway, being older than \
                      PERMANENT_SESSION_LIFETIME.",
                done: protected_lapsed,
            },
            open_redirect_step(),
        ],
        myths: vec![
            Myth {
                claim: "Tutorial 004 says a persistent session expires only once the lifetime \
                        passes without activity.",
                truth: "True with the defaults, because SESSION_REFRESH_EACH_REQUEST is on: \
                        every request re-signs the cookie and moves Expires. Set it to False and \
                        the lifetime counts from the last change to the session, however active \
                        the user is.",
                shown_by: "Step \"sliding\"",
            },
            cookie_logout_myth(
                "For a cookie session, clear() only makes Flask send an expired cookie. The \
                 server cannot revoke copies it already signed, which verify until five minutes \
                 after they were signed.",
            ),
            open_redirect_myth(),
        ],
    }
}

fn seed_004_server_persist() -> Lesson {
    Lesson {
        intro: "Tutorial 004's fourth program: Flask-Session with its default SESSION_PERMANENT \
                = True and PERMANENT_SESSION_LIFETIME of five minutes.",
        steps: vec![
            protected_step(),
            Step {
                id: "login",
                todo: "Sign in with any username.",
                watch: "Set-Cookie: session=<random id>; Expires five minutes ahead.",
                why: "Flask-Session marks every new session permanent by default, so the id \
                      cookie carries Expires and the stored entry gets the same five-minute \
                      timeout.",
                done: login_with_bare_persistent_id,
            },
            Step {
                id: "sliding",
                todo: "Move the clock a minute (+1 min) and open /products.",
                watch: "The same id sent back with a later Expires.",
                why: "With SESSION_REFRESH_EACH_REQUEST on, each request re-sends the id cookie \
                      and rewrites the entry with a fresh five-minute timeout.",
                done: refreshed_later,
            },
            Step {
                id: "restart",
                todo: "Close and reopen the browser, then open /contact.",
                watch: "The id is still sent, and /contact answers 200.",
                why: "The id cookie has an Expires, so it survives the restart, and its entry is \
                      still in the store.",
                done: still_signed_in_on_contact,
            },
            Step {
                id: "idle",
                todo: "Stay idle for more than five minutes (+5 min), then open /about.",
                watch: "No cookie goes out, /about sends you to /login, and the store panel no \
                        longer lists the entry.",
                why: "Both ends lapse together: the browser drops the expired id cookie, and the \
                      entry's five-minute timeout has run out too.",
                done: protected_lapsed,
            },
            open_redirect_step(),
        ],
        myths: vec![secret_key_myth(), open_redirect_myth()],
    }
}

// ---------------------------------------------------------------------------------------------
// Free play.

fn any_session_cookie_set(log: &[Exchange]) -> bool {
    log.iter().any(|e| session_set(e).is_some())
}

fn session_round_trip(log: &[Exchange]) -> bool {
    log.iter()
        .any(|e| session_sent(e).is_some() && accepted(e) && session_set(e).is_some())
}

fn cookie_refused(log: &[Exchange]) -> bool {
    log.iter().any(|e| session_sent(e).is_some() && refused(e))
}

fn any_session_deleted(log: &[Exchange]) -> bool {
    log.iter().any(session_deleted)
}

fn free_play() -> Lesson {
    Lesson {
        intro: "Our own small app, with every setting open in the settings panel: cookie or \
                server-side storage, permanent or not, PERMANENT_SESSION_LIFETIME, \
                SESSION_REFRESH_EACH_REQUEST, SECRET_KEY and SECRET_KEY_FALLBACKS, and the \
                cookie's name, HttpOnly, Secure and SameSite. / shows who is signed in and a \
                visit counter, /login stores user, /count adds one to visits, /logout clears \
                everything. Change a setting, repeat a step, compare the wire.",
        steps: vec![
            Step {
                id: "first-cookie",
                todo: "Sign in on /login.",
                watch: "The Set-Cookie line and its attributes: they follow your settings.",
                why: "Flask builds the cookie from the SESSION_COOKIE_* settings and adds \
                      Expires only to a permanent session.",
                done: any_session_cookie_set,
            },
            Step {
                id: "round-trip",
                todo: "Open /count a few times.",
                watch: "The cookie goes back on each request. With cookie storage its value \
                        changes every time; with server storage the id stays the same.",
                why: "A cookie session carries the data, so each change means a newly signed \
                      value. A server-side session changes only the stored entry.",
                done: session_round_trip,
            },
            Step {
                id: "refused",
                todo: "Make the server refuse the cookie: change SECRET_KEY without keeping the \
                       old one in SECRET_KEY_FALLBACKS (cookie storage), or let a \
                       non-permanent server-side session outlive its lifetime.",
                watch: "The cookie is still sent, but the server starts an empty session; the \
                        verdict under the request says why.",
                why: "Flask quietly treats a bad or expired signature as no session at all, and \
                      Flask-Session does the same with an id its store does not know.",
                done: cookie_refused,
            },
            Step {
                id: "logout",
                todo: "Open /logout.",
                watch: "A Set-Cookie that expires the session cookie.",
                why: "clear() leaves the session empty and modified, and Flask answers that with \
                      a deletion cookie. With server storage the entry goes too; with cookie \
                      storage, copies of the old value stay valid until their signature is \
                      PERMANENT_SESSION_LIFETIME old.",
                done: any_session_deleted,
            },
        ],
        myths: vec![
            Myth {
                claim: "A common belief: rotating SECRET_KEY has to sign everybody out.",
                truth: "Flask 3.1 reads SECRET_KEY_FALLBACKS: cookies signed with a key listed \
                        there still verify, while new ones are signed with SECRET_KEY. \
                        Flask-Session's signer and Flask-Login's remember cookie ignore the \
                        fallbacks.",
                shown_by: "Step \"refused\", with and without a fallback",
            },
            Myth {
                claim: "A common belief: SESSION_COOKIE_SAMESITE = None sends SameSite=None.",
                truth: "Python None, the default, leaves the attribute out. The string \"None\" \
                        writes SameSite=None, which Chromium-based browsers (and the lab's \
                        jar) refuse unless the cookie is also Secure.",
                shown_by: "Step \"first-cookie\", with SameSite set",
            },
        ],
    }
}
