//! `attack-html-injection` natively: before the fix the greeting carries the name's markup as
//! sent (a link off the site, an `<img>` with an `onerror` script) and the lab's page model
//! shows the first as a link and the second as unsafe text; after it the same names come back
//! escaped and the page is plain text.

use super::open_redirect::flask::{compare, python_for, req};
use crate::support::{every_step_in_order, Walker};
use session_lab::client::page::{explain_unsafe, Node};
use session_lab::lab::scenarios::attack_html_injection::{IMG_NAME, LINK_NAME};
use session_lab::lab::Exchange;

const ID: &str = "attack-html-injection";

#[test]
fn the_steps_tick_in_order() {
    every_step_in_order(ID);
}

/// The page the browser shows after the step: the last exchange.
fn shown(t: &Walker, from: usize) -> &Exchange {
    let ex = &t.log()[from..];
    ex.last().expect("an exchange")
}

#[test]
fn markup_reaches_the_page_before_the_fix_and_not_after() {
    let mut t = Walker::open(ID);
    let from = t.step_from("link");
    let home = shown(&t, from);
    assert_eq!((home.target.as_str(), home.status()), ("/home", 200));
    assert!(home.response.body.contains(
        "<p>Welcome <a href=\"https://evil.example\">Click to verify your account</a>!</p>"
    ));
    let page = home.page();
    let link = page
        .links
        .iter()
        .find(|l| l.text == "Click to verify your account")
        .expect("the name is a link");
    assert_eq!(link.target, "https://evil.example");
    assert!(!link.stays_in_lab());
    assert!(
        !page.unsafe_markup,
        "a plain link is rendered, marked as leaving the lab"
    );

    let from = t.step_from("script");
    let home = shown(&t, from);
    assert!(home
        .response
        .body
        .contains("<p>Welcome <img src=x onerror=alert(document.cookie)>!</p>"));
    let page = home.page();
    assert_eq!(page.unsafe_parts(), [IMG_NAME]);
    let why = explain_unsafe(IMG_NAME);
    assert!(
        why.contains("onerror") && why.contains("cross-site scripting"),
        "{why}"
    );

    // The fix changes the printing only: the session (and so the name) is the same.
    let from = t.step_from("fix");
    let home = shown(&t, from);
    assert_eq!(home.cookie, t.log()[from - 1].cookie);
    assert!(home
        .response
        .body
        .contains("<p>Welcome &lt;img src=x onerror=alert(document.cookie)&gt;!</p>"));
    let page = home.page();
    assert!(!page.unsafe_markup);
    assert!(page.text().contains(&format!("Welcome {IMG_NAME}!")));

    let from = t.step_from("retry");
    let home = shown(&t, from);
    assert!(home.response.body.contains(
        "<p>Welcome &lt;a href=&#34;https://evil.example&#34;&gt;Click to verify your \
         account&lt;/a&gt;!</p>"
    ));
    let page = home.page();
    assert!(!page.links.iter().any(|l| l.target.contains("evil")));
    assert!(!page.unsafe_markup);
    let greeting = page
        .walk()
        .into_iter()
        .find(|n| matches!(n, Node::Element { .. }) && n.text_content().starts_with("Welcome"))
        .expect("the greeting");
    assert_eq!(greeting.text_content(), format!("Welcome {LINK_NAME}!"));
}

/// The code panel's programs under real Flask: with `|safe` the name is printed as sent,
/// without it Jinja escapes it exactly as the engine's app does (`&#34;` for `"`).
#[test]
fn the_flask_code_prints_the_name_as_the_engine_does() {
    let script = [
        req("GET", "/login", &[]),
        req(
            "POST",
            "/login",
            &[("next", "None"), ("username", LINK_NAME)],
        ),
        req("GET", "/home", &[]),
        req(
            "POST",
            "/login",
            &[("next", "None"), ("username", IMG_NAME)],
        ),
        req("GET", "/home", &[]),
    ];
    for fixed in [false, true] {
        let engine = compare(ID, &script, fixed);
        let python = python_for(ID, &script, fixed);
        for i in [2, 4] {
            let name = if i == 2 { LINK_NAME } else { IMG_NAME };
            let printed = if fixed {
                name.replace('<', "&lt;")
                    .replace('>', "&gt;")
                    .replace('"', "&#34;")
            } else {
                name.to_string()
            };
            let greeting = format!("<p>Welcome {printed}!</p>");
            assert!(python[i].body.contains(&greeting), "{}", python[i].body);
            assert!(engine[i].body.contains(&greeting), "{}", engine[i].body);
        }
    }
}

/// Escaping protects names the app wrote, not what a key holder signs: TaggedJSON's `" m"`
/// tag turns a forged value back into `Markup`, which autoescape leaves alone. Real Flask
/// 3.1.3 answered `<p>Welcome <b>x</b>!</p>` for this session (measured with the venv's
/// Flask: a cookie of `{"user_name": Markup("<b>x</b>")}` signed by the app's serializer).
#[test]
fn markup_in_a_forged_session_is_not_escaped_even_after_the_fix() {
    use session_lab::lab::run::{Act, ModelHost, Run};
    use session_lab::lab::scenarios::by_id;
    use session_lab::lab::Action;
    let mut run = Run::start(by_id(ID).unwrap(), 7, &mut ModelHost);
    let now = 1_700_000_000;
    for action in [
        Action::Fix,
        Action::Sign {
            json: r#"{"user_name":{" m":"<b>x</b>"}}"#,
            key: "supersecretkey",
        },
        Action::Navigate("/home"),
        Action::Sign {
            json: r#"{"user_name":"<b>x</b>"}"#,
            key: "supersecretkey",
        },
        Action::Navigate("/home"),
    ] {
        run.apply(Act::from(action), now, &mut ModelHost);
    }
    let log = &run.lab.as_ref().unwrap().log;
    let bodies: Vec<&str> = log.iter().map(|e| e.response.body.as_str()).collect();
    assert!(
        bodies[0].contains("<p>Welcome <b>x</b>!</p>"),
        "{}",
        bodies[0]
    );
    assert!(
        bodies[1].contains("<p>Welcome &lt;b&gt;x&lt;/b&gt;!</p>"),
        "{}",
        bodies[1]
    );
}
