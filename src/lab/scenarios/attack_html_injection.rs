//! Scenario `attack-html-injection`: a username that is markup. Seed 004's own template is
//! safe (Jinja escapes `session["user_name"]`); this scenario runs it with the greeting printed
//! through `|safe`, so the name reaches the page as markup: a link to another site, or an
//! image whose `onerror` would run a script. The lab's page model never runs it: it shows such
//! markup as text with what a real browser would have done. The fix drops `|safe`.

use super::seed_004::PROGRAM;
use super::{Fix, Scenario};
use crate::engine::apps::seed_004::{self, Options, Variant};
use crate::engine::apps::Services;
use crate::engine::flask::app::App;
use crate::engine::flask_session::StartupError;
use crate::lab::flask_code::{Program, Settings};
use crate::lab::lesson::{Lesson, Myth, Step};
use crate::lab::{Action, Exchange};

pub const SCENARIO: Scenario = Scenario {
    code: RAW,
    fix: Some(Fix {
        label: "Drop |safe: escape the name",
        app: fixed_app,
        code: Some(&PROGRAM),
    }),
    ..super::seed_004::variant(
        "attack-html-injection",
        "Attack: markup in a username",
        "A name that is HTML: why Jinja's escaping keeps the page safe, and what |safe undoes.",
        app,
        lesson,
        settings,
    )
}
.showing(super::Shown::ATTACKER);

/// A name that is a link to another site.
pub const LINK_NAME: &str = "<a href=\"https://evil.example\">Click to verify your account</a>";
/// A name that is an image whose error handler is a script.
pub const IMG_NAME: &str = "<img src=x onerror=alert(document.cookie)>";

fn app(services: Services) -> Result<App, StartupError> {
    let options = Options {
        raw_greeting: true,
        ..Options::default()
    };
    seed_004::app_with(Variant::ClientTemp, options, services)
}

fn fixed_app(services: Services) -> Result<App, StartupError> {
    seed_004::app(Variant::ClientTemp, services)
}

fn settings() -> Settings {
    Settings::client(
        "supersecretkey",
        false,
        crate::lab::flask_code::DEFAULT_LIFETIME,
    )
}

/// Some page greeted the visitor with exactly this (the body's bytes).
fn greeted(log: &[Exchange], greeting: &str) -> bool {
    log.iter()
        .any(|e| e.status() == 200 && e.response.body.contains(greeting))
}

fn raw_link(log: &[Exchange]) -> bool {
    greeted(
        log,
        "<p>Welcome <a href=\"https://evil.example\">Click to verify your account</a>!</p>",
    )
}

fn raw_img(log: &[Exchange]) -> bool {
    greeted(
        log,
        "<p>Welcome <img src=x onerror=alert(document.cookie)>!</p>",
    )
}

fn escaped_img(log: &[Exchange]) -> bool {
    greeted(
        log,
        "<p>Welcome &lt;img src=x onerror=alert(document.cookie)&gt;!</p>",
    )
}

fn escaped_link(log: &[Exchange]) -> bool {
    greeted(
        log,
        "<p>Welcome &lt;a href=&#34;https://evil.example&#34;&gt;Click to verify your \
         account&lt;/a&gt;!</p>",
    )
}

const SIGN_IN_AS_LINK: Action = Action::Submit {
    action: "/login",
    fields: &[("next", "None"), ("username", LINK_NAME)],
};

const SIGN_IN_AS_IMG: Action = Action::Submit {
    action: "/login",
    fields: &[("next", "None"), ("username", IMG_NAME)],
};

fn lesson() -> Lesson {
    Lesson {
        intro: "Seed 004 greets the visitor with the name typed at sign-in. Its template is \
                safe: Jinja escapes the value, so < becomes &lt; and markup shows as text. This \
                copy of the app prints the greeting with |safe, as people do when they want \
                some HTML through, and the name becomes part of the page. The sign-in form has \
                no password and no CSRF token, so another site can submit it in the victim's \
                browser with a name of its choosing. The lab never runs such markup; it shows \
                it as text and says what a real browser would have done."
            .into(),
        steps: vec![
            Step {
                id: "link",
                todo: "Open /login and sign in with the name <a href=\"https://evil.example\">\
                       Click to verify your account</a>.",
                watch: "The response body of /home has the tag as sent; the page shows a real \
                        link, marked as leaving the lab.",
                why: "With |safe Jinja prints the value as it is. The name is now a link on the \
                      genuine site's own page, pointing wherever the attacker likes.",
                doit: &[Action::Navigate("/login"), SIGN_IN_AS_LINK],
                done: raw_link,
            },
            Step {
                id: "script",
                todo: "Sign in again as <img src=x onerror=alert(document.cookie)>.",
                watch: "The body has the <img> tag; the page shows it as text, marked not \
                        rendered, with what a real browser would do.",
                why: "A browser would fail to load x and run the onerror handler as a script of \
                      this site: cross-site scripting. Flask's session cookie is HttpOnly, so \
                      document.cookie would not show it, but the script could still send \
                      requests as the signed-in user and read the answers.",
                doit: &[Action::Navigate("/login"), SIGN_IN_AS_IMG],
                done: raw_img,
            },
            Step {
                id: "fix",
                todo: "Run the corrected app (the greeting without |safe) and reload /home.",
                watch: "The same session now gives <p>Welcome &lt;img src=x \
                        onerror=alert(document.cookie)&gt;!</p>: the name, as text.",
                why: "Without |safe, Jinja's autoescaping (on for .html templates and for \
                      render_template_string) replaces & < > \" and ' with entities before the \
                      value reaches the page. The session is unchanged; only the printing is.",
                doit: &[Action::Fix, Action::Reload],
                done: escaped_img,
            },
            Step {
                id: "retry",
                todo: "Sign in as the link name again.",
                watch: "The body has &lt;a href=&#34;https://evil.example&#34;&gt;: the page \
                        shows the markup as plain text, with no link.",
                why: "Escaping happens where the value is printed, so it covers every name \
                      the app stored, whoever typed it. It does not cover a Markup value: \
                      Flask's session format can carry one (the \" m\" tag), and autoescape \
                      leaves Markup alone, so anyone holding SECRET_KEY (supersecretkey here, \
                      which the weak-key scenario cracks) can sign a session whose name \
                      reaches the page as HTML.",
                doit: &[Action::Navigate("/login"), SIGN_IN_AS_LINK],
                done: escaped_link,
            },
        ],
        myths: vec![
            Myth {
                claim: "Tutorial 004 prints session[\"user_name\"] straight into its pages.",
                truth: "Its templates end in .html, so Jinja escapes the value and a name made \
                        of markup shows as text. That stays true until someone adds |safe or \
                        wraps the value in Markup().",
                shown_by: "Step \"fix\"".into(),
            },
            Myth {
                claim: "A common belief: what the signed session holds is safe to print as \
                        HTML, since only the server can sign it.",
                truth: "The signature shows that the server wrote the value, not that the value \
                        is harmless: the login view stored the username field exactly as it \
                        was submitted.",
                shown_by: "Step \"link\"".into(),
            },
            Myth {
                claim: "A common belief: once the template escapes, nothing in the session can \
                        put markup on the page.",
                truth: "A session value tagged as Markup ({\" m\": \"<b>x</b>\"} in the cookie's \
                        JSON) comes back as Markup and is printed raw. Only the app writes such \
                        a value, unless the key is known: then the decoder's Forge step signs \
                        one. A weak key breaks more than logins.",
                shown_by: "Step \"retry\"".into(),
            },
            Myth {
                claim: "A common belief: |safe and Markup() clean up the text they are given.",
                truth: "They only tell Jinja to skip escaping. Keep them for HTML your own code \
                        built; Markup's format() and join() escape the values put into it.",
                shown_by: "Step \"script\"".into(),
            },
        ],
    }
}

const RAW_PRELUDE: &str = r#"PAGE = """<nav><b>MyApp</b> <a href="/home">Home</a> <a href="/about">About</a>
<a href="/contact">Contact</a> <a href="/products">Products</a>
<a href="/login">Sign In</a> <a href="/logout">Log Out</a>
{% if session["user_name"] %}<p>Welcome {{ session["user_name"]|safe }}!</p>{% endif %}</nav>
<hr><h3>{{ heading }}</h3>
{% if sign_in %}<form action="/login" method="post">
<input type="hidden" name="next" value="{{ next }}">
<input name="username" placeholder="Username"> <input type="password" placeholder="Password">
<button>Submit</button></form>{% endif %}"""


def page(heading, **context):
    return render_template_string(PAGE, heading=heading, **context)
"#;

/// Seed 004's program with the greeting printed through `|safe`.
pub const RAW: Program = Program {
    prelude: RAW_PRELUDE,
    ..PROGRAM
};
