//! Scenario `attack-open-redirect`: seed 004's login view redirects to whatever its `next`
//! field holds, so a link to the genuine sign-in page can send a freshly signed-in user to
//! another site. The lab fetches nothing off the mock server: it stops at the off-site
//! `Location`, and the browser pane shows Werkzeug's redirect page with where a real browser
//! would have gone. The fix accepts only paths on this site (`is_local`, which also refuses
//! `//host`, `/\host` and `/<tab>/host`) and falls back to `/home`.

use super::seed_004::{open_redirect_myth, protected_step, PROGRAM};
use super::{Fix, Scenario};
use crate::client::page::resolve_url;
use crate::engine::apps::seed_004::{self, Options, Variant};
use crate::engine::apps::Services;
use crate::engine::flask::app::App;
use crate::engine::flask_session::StartupError;
use crate::lab::flask_code::{Program, Settings};
use crate::lab::lesson::{get, post, redirected_off_site, Lesson, Myth, Step};
use crate::lab::{Action, Exchange};

pub const SCENARIO: Scenario = Scenario {
    fix: Some(Fix {
        label: "Accept only paths on this site",
        app: fixed_app,
        code: Some(&FIXED),
    }),
    ..super::seed_004::variant(
        "attack-open-redirect",
        "Attack: open redirect after sign-in",
        "A link to the real sign-in page that drops the user on another site, and the check that stops it.",
        app,
        lesson,
        settings,
    )
}
.showing(super::Shown::ATTACKER);

/// The three `next` values the attacker tries: an absolute URL, a scheme-relative one, and
/// one with a tab between its slashes, which URL parsers drop (Werkzeug writes it to
/// `Location` as `//evil.example`).
pub const HOSTILE: [&str; 3] = [
    "https://evil.example/",
    "//evil.example/",
    "/\t/evil.example",
];

fn app(services: Services) -> Result<App, StartupError> {
    seed_004::app(Variant::ClientTemp, services)
}

fn fixed_app(services: Services) -> Result<App, StartupError> {
    let options = Options {
        local_next: true,
        ..Options::default()
    };
    seed_004::app_with(Variant::ClientTemp, options, services)
}

fn settings() -> Settings {
    Settings::client(
        "supersecretkey",
        false,
        crate::lab::flask_code::DEFAULT_LIFETIME,
    )
}

/// The `next` field a request's form carried.
fn sent_next(e: &Exchange) -> Option<&str> {
    e.form
        .iter()
        .find(|(k, _)| k == "next")
        .map(|(_, v)| v.as_str())
}

/// `POST /login` with `next` set to `next`, answered with a redirect to exactly `location`.
fn login_redirected(log: &[Exchange], next: &str, location: &str) -> bool {
    log.iter().any(|e| {
        post(e, "/login")
            && sent_next(e) == Some(next)
            && e.status() == 302
            && e.header("Location") == Some(location)
    })
}

fn opened_hostile_link(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        get(e, "/login")
            && e.status() == 200
            && e.response
                .body
                .contains("value=\"https://evil.example/\" name=\"next\"")
    })
}

/// `POST /login` with `next` set to `next`, redirected to a `Location` a browser takes to
/// another host.
fn login_left_site(log: &[Exchange], next: &str) -> bool {
    log.iter().any(|e| {
        post(e, "/login")
            && sent_next(e) == Some(next)
            && e.status() == 302
            && e.header("Location")
                .is_some_and(|l| !resolve_url(&e.target, l).starts_with('/'))
    })
}

fn disguised_links_leave(log: &[Exchange]) -> bool {
    HOSTILE[1..].iter().all(|next| login_left_site(log, next))
}

/// The corrected members-only redirect: the page's path, not its absolute URL.
fn path_in_next(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        get(e, "/about") && e.status() == 302 && e.header("Location") == Some("/login?next=/about")
    })
}

fn back_to_about(log: &[Exchange]) -> bool {
    login_redirected(log, "/about", "/about")
}

fn every_link_stays(log: &[Exchange]) -> bool {
    HOSTILE
        .iter()
        .all(|next| login_redirected(log, next, "/home"))
}

/// Signing in on the attacker's page, with its hidden `next` as the page gave it.
const SIGN_IN_ABSOLUTE: Action = Action::Submit {
    action: "/login",
    fields: &[("next", "https://evil.example/"), ("username", "ada")],
};
const SIGN_IN_SCHEME_RELATIVE: Action = Action::Submit {
    action: "/login",
    fields: &[("next", "//evil.example/"), ("username", "ada")],
};
const SIGN_IN_TAB: Action = Action::Submit {
    action: "/login",
    fields: &[("next", "/\t/evil.example"), ("username", "ada")],
};

/// The attacker's three links, each opened and signed in on.
const RETRY: &[Action] = &[
    Action::Navigate("/login?next=https://evil.example/"),
    SIGN_IN_ABSOLUTE,
    Action::Navigate("/login?next=//evil.example/"),
    SIGN_IN_SCHEME_RELATIVE,
    Action::Navigate("/login?next=/%09/evil.example"),
    SIGN_IN_TAB,
];

fn lesson() -> Lesson {
    Lesson {
        intro: "Seed 004's sign-in form keeps a hidden next field, and the login view redirects \
                to whatever that field holds. So a link to the genuine sign-in page can carry \
                next=https://evil.example/: the victim signs in on the real site and is then \
                sent to the attacker's copy of it, which may ask for the password again. The lab \
                never fetches another site; it stops at the off-site Location, and the browser \
                pane shows where a real browser would have gone. The fix redirects only to \
                paths on this site."
            .into(),
        steps: vec![
            protected_step(),
            Step {
                id: "link",
                todo: "Open the attacker's link: /login?next=https://evil.example/.",
                watch: "The usual sign-in page; in View source, the hidden next field holds \
                        https://evil.example/.",
                why: "The view copies next from the query into the form without looking at it. \
                      Nothing on the page tells the victim where signing in will take them.",
                doit: &[Action::Navigate("/login?next=https://evil.example/")],
                done: opened_hostile_link,
            },
            Step {
                id: "open-redirect",
                todo: "Sign in as ada on that page.",
                watch: "POST /login answers 302 with Location: https://evil.example/. The \
                        browser pane shows Werkzeug's redirect page with the link a real \
                        browser would have followed.",
                why: "redirect() puts any string into Location, and browsers follow an \
                      absolute URL to any host. The session cookie is set on this site, so the \
                      victim really is signed in, which makes the hand-over look genuine.",
                doit: &[SIGN_IN_ABSOLUTE],
                done: redirected_off_site,
            },
            Step {
                id: "disguised",
                todo: "Try next=//evil.example/ and next=/%09/evil.example (a tab between \
                       the slashes): both start with a slash.",
                watch: "POST /login answers 302 with Location: //evil.example/, then with \
                        Location: //evil.example; both lead to http://evil.example/ and the \
                        lab stops.",
                why: "A Location without a scheme is resolved against the page's URL, and \
                      //host names another host. URL parsers drop tabs and newlines: \
                      Werkzeug's own turns /<tab>/evil.example into //evil.example, and so \
                      would a browser. A check that the text starts with / and not with // \
                      lets it through. Browsers also read \\ as / in http URLs; Werkzeug \
                      percent-encodes a backslash in Location (/%5Cevil.example/), so \
                      /\\evil.example/ stays on this site here, but only by luck.",
                doit: &[
                    Action::Navigate("/login?next=//evil.example/"),
                    SIGN_IN_SCHEME_RELATIVE,
                    Action::Navigate("/login?next=/%09/evil.example"),
                    SIGN_IN_TAB,
                ],
                done: disguised_links_leave,
            },
            Step {
                id: "fix",
                todo: "Run the corrected app (it checks next with is_local), log out, and open \
                       /about.",
                watch: "GET /about now answers 302 with Location: /login?next=/about: a path, \
                        not the page's absolute URL.",
                why: "is_local accepts a value only if it starts with / and not with // once \
                      backslashes are read as slashes and tabs and newlines dropped, as a \
                      browser does. Anything else, the text None included, falls back to \
                      /home. The members-only pages pass request.path, so the check never \
                      refuses the site's own links.",
                doit: &[
                    Action::Fix,
                    Action::Navigate("/logout"),
                    Action::Navigate("/about"),
                ],
                done: path_in_next,
            },
            Step {
                id: "still-works",
                todo: "Sign in as ada on the form /about sent you to.",
                watch: "POST /login answers 302 with Location: /about.",
                why: "A path on this site passes the check, so going back to the page you came \
                      from still works.",
                doit: &[Action::Submit {
                    action: "/login",
                    fields: &[("next", "/about"), ("username", "ada")],
                }],
                done: back_to_about,
            },
            Step {
                id: "retry",
                todo: "Open each of the three attacker's links again and sign in.",
                watch: "Each POST /login answers 302 with Location: /home; the browser stays \
                        on the site.",
                why: "None of the three is a path on this site, so the view ignores next. The \
                      victim is still signed in, just not sent anywhere else.",
                doit: RETRY,
                done: every_link_stays,
            },
        ],
        myths: vec![
            open_redirect_myth(),
            Myth {
                claim: "A common belief: a next that starts with / is a path on this site.",
                truth: "//evil.example/ starts with / and names another host, and so does \
                        /<tab>/evil.example once the tab is dropped; browsers also read \\ as / \
                        in http URLs. Drop tabs and newlines, read \\ as /, then refuse anything \
                        that does not start with exactly one /.",
                shown_by: "Step \"disguised\"".into(),
            },
            Myth {
                claim: "A common belief: an open redirect is harmless, since it only moves the \
                        user along.",
                truth: "The link the victim checks is the real site's, and so is the sign-in \
                        page. The redirect lends that trust to whatever page comes next.",
                shown_by: "Step \"open-redirect\"".into(),
            },
        ],
    }
}

const FIXED_VIEWS: &str = r#"

def is_local(target):
    # Browsers drop tabs and newlines and read "\" as "/": "/\evil.example" is "//evil.example".
    cleaned = target.replace("\\", "/").replace("\t", "").replace("\n", "").replace("\r", "")
    return cleaned.startswith("/") and not cleaned.startswith("//")


@app.route("/")
@app.route("/home")
def home():
    return page("This is the home page.")


@app.route("/about")
@app.route("/contact")
def members_only():
    if "user_name" not in session:
        return redirect(url_for("login", next=request.path))
    return page(f"This is the {request.path[1:].title()} page.")


@app.route("/products")
def products():
    return page("What we sell: sofas, chairs, tables and swings.")


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        {permanent}
        session["user_name"] = request.form.get("username")
        session["lang"] = "en"
        session["theme"] = "dark"
        next_url = request.form.get("next", "")
        return redirect(next_url if is_local(next_url) else url_for("home"))
    return page("Sign in below.", sign_in=True, next=request.args.get("next"))


@app.route("/logout")
def logout():
    session.clear()
    return "Signed Out!!!"
"#;

/// Seed 004's program with `next` checked.
pub const FIXED: Program = Program {
    views: FIXED_VIEWS,
    ..PROGRAM
};
