//! What the four scenarios of tutorial 004 share: one site run four ways (cookie or
//! server-side store, temporary or permanent), with the same Flask code, the same end-to-end
//! flow, steps and claims, and the comparison of the two permanent variants side by side.

use super::{AppBuilder, Flow, Login, Scenario, Shown};
use crate::lab::compare::Comparison;
use crate::lab::flask_code::{Program, Settings};
use crate::lab::lesson::{
    accepted, bare_id, dropped_browser_session_cookie, get, lapsed_while_idle, post,
    redirected_off_site, restarted_by, session_deleted, session_sent, session_set, Lesson, Myth,
    Step,
};
use crate::lab::{Action, Exchange};

/// The five-minute lifetime of the two permanent programs.
pub(super) const FIVE_MINUTES: i64 = 5 * 60;

/// Signing in on the form that /about's redirect to /login shows, whose hidden `next` holds
/// the page's full URL: what a learner sends after typing a name (the "Do it" of each variant's
/// sign-in).
pub(super) const SIGN_IN_FROM_ABOUT: Action = Action::Submit {
    action: "/login",
    fields: &[("next", "http://localhost/about"), ("username", "ada")],
};

/// The Flask code of all four programs; the settings make the difference.
pub(super) const PROGRAM: Program = Program {
    flask: &[
        "redirect",
        "render_template_string",
        "request",
        "session",
        "url_for",
    ],
    imports: &[],
    prelude: PRELUDE,
    views: VIEWS,
    misspelled: false,
};

/// One of the four programs as a scenario: its id, title, promise, app, lesson and settings
/// are its own, the rest is the same for all four.
pub(super) const fn variant(
    id: &'static str,
    title: &'static str,
    promise: &'static str,
    app: AppBuilder,
    lesson: fn() -> Lesson,
    settings: fn() -> Settings,
) -> Scenario {
    Scenario {
        id,
        title,
        promise,
        app,
        start: "/home",
        lesson,
        code: PROGRAM,
        settings,
        shown: Shown::NONE,
        flow: Some(FLOW),
        fix: None,
    }
}

/// Sign in, see a members-only page, sign out: the same on all four.
pub(super) const FLOW: Flow = Flow {
    login: Login {
        path: "/login",
        fields: &[("username", "ada")],
        button: Some("button[type=submit]"),
    },
    protected: "/about",
    inside: "This is the About page.",
    outside: "Sign in below.",
    logout: "/logout",
    logged_out: Some("Signed Out!!!"),
};

/// The permanent cookie session and the permanent server-side session, taken through the same
/// steps at once.
pub const COMPARISON: Comparison = Comparison {
    cookie: &super::seed_004_client_persist::SCENARIO,
    store: &super::seed_004_server_persist::SCENARIO,
    lede: "Both columns run seed 004's app with a five-minute permanent session. \
           The left keeps the session in a signed cookie, the right in Flask-Session's store. \
           Each button acts on both. Watch where user_name, lang and theme end up, and what \
           is left after logging out.",
    steps: &[
        (
            "Sign in as ada",
            Action::Submit {
                action: "/login",
                fields: &[("next", "None"), ("username", "ada")],
            },
        ),
        ("Open /about", Action::Navigate("/about")),
        ("Wait 4 minutes", Action::Advance(4 * 60)),
        ("Close and reopen the browser", Action::RestartBrowser),
        ("Log out", Action::Navigate("/logout")),
        ("Wait 6 minutes", Action::Advance(6 * 60)),
    ],
};

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

pub(super) fn protected_step() -> Step {
    Step {
        id: "protected",
        todo: "Open /about before signing in.",
        watch: "A 302 to /login?next=http://localhost/about, then the sign-in form.",
        why: "The view checks for user_name and sends strangers to /login, with the page's full \
              URL in next (unencoded); the form keeps it in a hidden field.",
        doit: &[Action::Navigate("/about")],
        done: protected_sends_to_login,
    }
}

pub(super) fn open_redirect_step() -> Step {
    Step {
        id: "open-redirect",
        todo: "Open /login?next=https://evil.example/ and sign in.",
        watch: "POST /login answers 302 with Location: https://evil.example/. The lab stops \
                there; a real browser would go.",
        why: "The view redirects to whatever next holds. Anyone can hand out a link that signs \
              people in on your site and then drops them on a look-alike one. Accept only \
              paths on your own site.",
        doit: &[
            Action::Navigate("/login?next=https://evil.example/"),
            Action::Submit {
                action: "/login",
                fields: &[("next", "https://evil.example/"), ("username", "ada")],
            },
        ],
        done: redirected_off_site,
    }
}

pub(super) fn open_redirect_myth() -> Myth {
    Myth {
        claim: "Tutorial 004 sends the user back to the page named in next after signing in.",
        truth: "next comes from the request unchecked, so /login?next=https://evil.example/ \
                forwards a freshly signed-in user to another site: an open redirect. Redirect \
                only to relative paths of your own site (no scheme, no host).",
        shown_by: "Step \"open-redirect\"".into(),
    }
}

pub(super) fn secret_key_myth() -> Myth {
    Myth {
        claim: "Tutorial 004's Flask-Session programs mark SECRET_KEY as required for session \
                security.",
        truth: "Flask-Session 0.8 never uses SECRET_KEY unless the deprecated SESSION_USE_SIGNER \
                is on; what protects the session is the id's 32 random bytes. The key still \
                matters for whatever else signs with it, such as Flask-Login's remember cookie.",
        shown_by: "Step \"login\": the cookie is a bare id".into(),
    }
}

pub(super) fn cookie_logout_myth(lifetime: &'static str) -> Myth {
    Myth {
        claim: "Tutorial 004 says the Log Out button ends the session.",
        truth: lifetime,
        shown_by: "The wire panel on /logout".into(),
    }
}

pub(super) fn restart_step(why: &'static str) -> Step {
    Step {
        id: "restart",
        todo: "Close and reopen the browser, then open /about.",
        watch: "No Cookie header, and a 302 to /login.",
        why,
        doit: &[Action::RestartBrowser, Action::Navigate("/about")],
        done: restart_dropped_before_protected,
    }
}

fn restart_dropped_before_protected(log: &[Exchange]) -> bool {
    dropped_browser_session_cookie(log, |e| {
        e.method == "GET" && protected_page(e.path()) && e.status() == 302
    })
}

pub(super) fn login_without_expires(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        post(e, "/login") && e.status() == 302 && session_set(e).is_some_and(|c| !c.persistent())
    })
}

pub(super) fn login_with_expires(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        post(e, "/login") && e.status() == 302 && session_set(e).is_some_and(|c| c.persistent())
    })
}

pub(super) fn login_with_bare_persistent_id(log: &[Exchange]) -> bool {
    log.iter().any(|e| {
        post(e, "/login")
            && e.status() == 302
            && session_set(e).is_some_and(|c| c.persistent() && bare_id(c.value))
    })
}

pub(super) fn still_signed_in_on_contact(log: &[Exchange]) -> bool {
    log.iter().enumerate().any(|(i, e)| {
        restarted_by(log, i)
            && get(e, "/contact")
            && e.redirected_from.is_none()
            && e.status() == 200
            && session_sent(e).is_some()
            && accepted(e)
    })
}

pub(super) fn protected_lapsed(log: &[Exchange]) -> bool {
    lapsed_while_idle(log, protected_page, "/login")
}

pub(super) fn logout_deleted(log: &[Exchange]) -> bool {
    log.iter()
        .any(|e| get(e, "/logout") && session_sent(e).is_some() && session_deleted(e))
}

const PRELUDE: &str = r#"PAGE = """<nav><b>MyApp</b> <a href="/home">Home</a> <a href="/about">About</a>
<a href="/contact">Contact</a> <a href="/products">Products</a>
<a href="/login">Sign In</a> <a href="/logout">Log Out</a>
{% if session["user_name"] %}<p>Welcome {{ session["user_name"] }}!</p>{% endif %}</nav>
<hr><h3>{{ heading }}</h3>
{% if sign_in %}<form action="/login" method="post">
<input type="hidden" name="next" value="{{ next }}">
<input name="username" placeholder="Username"> <input type="password" placeholder="Password">
<button>Submit</button></form>{% endif %}"""


def page(heading, **context):
    return render_template_string(PAGE, heading=heading, **context)
"#;

const VIEWS: &str = r#"

@app.route("/")
@app.route("/home")
def home():
    return page("This is the home page.")


@app.route("/about")
@app.route("/contact")
def members_only():
    if "user_name" not in session:
        return redirect(url_for("login") + f"?next={request.url}")
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
        next_url = request.form.get("next")  # "None" when the form had no next
        # Not checked, as in the tutorial: an open redirect.
        return redirect(next_url if next_url != "None" else url_for("home"))
    return page("Sign in below.", sign_in=True, next=request.args.get("next"))


@app.route("/logout")
def logout():
    session.clear()
    return "Signed Out!!!"
"#;
