//! The browser pane's page model (`session_lab::client::page`) over every page the tutorial apps
//! produce, driven through the lab as a learner would (links followed, forms submitted with
//! the values a browser sends), plus property tests that no input makes it panic or lets an
//! element, an event handler or a `javascript:` URL through.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use proptest::sample::select;
use session_lab::client::jar::Jar;
use session_lab::client::page::{
    self, explain_unsafe, form_values, parse, parse_at, submitted_values, view_source, Field, Form,
    Node, Page, Tag, MAX_DEPTH,
};
use session_lab::engine::apps::{seed_000_login, Services};
use session_lab::engine::py::markupsafe::escape_html;
use session_lab::engine::py::secrets::SeededRng;
use session_lab::engine::werkzeug::exceptions::Abort;
use session_lab::engine::werkzeug::wrappers::Response;
use session_lab::lab::scenarios;
use session_lab::lab::{BrowserId, Lab};
use std::collections::{BTreeSet, VecDeque};

const T0: i64 = 1_700_000_000;
const XSS: &str = "<img src=x onerror=alert(1)>";
const MAIN: BrowserId = BrowserId::Main;

fn lab(name: &str) -> Lab<Jar> {
    let app = scenarios::by_id(name)
        .expect("known app")
        .build(Services::in_memory(Box::new(SeededRng::new(1))))
        .expect("starts");
    Lab::new(app, Jar::new())
}

/// The page the main browser shows.
fn shown(lab: &Lab<Jar>) -> Page {
    let id = lab.main.page.expect("a page is shown");
    lab.log[id].page()
}

fn strings(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn named(form: &Form) -> Vec<&str> {
    form.fields
        .iter()
        .filter(|f| !f.name.is_empty())
        .map(|f| f.name.as_str())
        .collect()
}

fn field<'a>(form: &'a Form, name: &str) -> &'a Field {
    form.fields
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no field {name} in {form:?}"))
}

/// Whitespace and controls removed, lower-cased: how a URL's scheme is judged, generously.
fn skeleton(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_lowercase()
}

/// What must hold for every page, whatever the body.
fn check_safe(page: &Page) {
    fn visit(nodes: &[Node], depth: usize, unsafe_seen: &mut bool) {
        assert!(depth <= MAX_DEPTH, "nesting {depth}");
        for node in nodes {
            match node {
                Node::Element {
                    tag,
                    attrs,
                    children,
                } => {
                    assert!(Tag::ALL.contains(tag));
                    assert_eq!(Tag::from_name(tag.name()), Some(*tag));
                    for (name, value) in attrs {
                        assert!(
                            !name.to_lowercase().starts_with("on"),
                            "event handler {name} kept on <{}>",
                            tag.name()
                        );
                        assert!(
                            tag.keeps_attr(name)
                                || matches!(
                                    name.as_str(),
                                    "data-link" | "data-form" | "data-field"
                                ),
                            "attribute {name} kept on <{}>",
                            tag.name()
                        );
                        assert!(
                            !skeleton(value).starts_with("javascript:"),
                            "{name}={value:?} kept on <{}>",
                            tag.name()
                        );
                    }
                    if *tag == Tag::Input {
                        let ty = attrs.iter().find(|(k, _)| k == "type");
                        assert!(!ty.is_some_and(|(_, v)| v.eq_ignore_ascii_case("image")));
                    }
                    assert!(!tag.is_void() || children.is_empty());
                    visit(children, depth + 1, unsafe_seen);
                }
                Node::Unsafe { raw } => {
                    assert!(!raw.is_empty());
                    *unsafe_seen = true;
                }
                Node::Text(_) => {}
            }
        }
    }
    let mut unsafe_seen = false;
    visit(&page.nodes, 0, &mut unsafe_seen);
    assert_eq!(page.unsafe_markup, unsafe_seen);
    for link in &page.links {
        assert!(!skeleton(&link.href).starts_with("javascript:"));
        assert!(!skeleton(&link.target).starts_with("javascript:"));
    }
    for form in &page.forms {
        assert!(!skeleton(&form.action).starts_with("javascript:"));
        assert!(form.method == "GET" || form.method == "POST");
    }
}

/// A value to type into a field, by its name.
fn typed(field: &Field) -> String {
    match field.name.as_str() {
        "email" => seed_000_login::STUDENT_EMAIL.into(),
        "password" => seed_000_login::STUDENT_PASSWORD.into(),
        _ => "ada".into(),
    }
}

/// Browses an app the way a curious learner would: every route, every link on every page,
/// every form submitted with something typed in. Returns how many pages were parsed.
fn crawl(name: &str) -> usize {
    let mut lab = lab(name);
    let mut start: BTreeSet<String> = lab.app.paths().iter().map(|p| p.to_string()).collect();
    start.insert("/".into());
    start.insert("/no-such-page".into());
    let mut steps = 0;
    // Twice: the second time round, the pages seen are visited again in another order (signed
    // in where the first round had signed out).
    for _ in 0..2 {
        start = crawl_pass(&mut lab, start, &mut steps);
    }
    // Every exchange, redirects and error pages included.
    for exchange in &lab.log {
        let page = exchange.page();
        check_safe(&page);
        assert_eq!(view_source(&exchange.response.body), exchange.response.body);
    }
    lab.log.len()
}

/// Visits `start` and everything linked from it; returns what it visited.
fn crawl_pass(lab: &mut Lab<Jar>, start: BTreeSet<String>, steps: &mut i64) -> BTreeSet<String> {
    let mut queue: VecDeque<String> = start.into_iter().collect();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut submitted: BTreeSet<(String, String)> = BTreeSet::new();
    while let Some(target) = queue.pop_front() {
        if !seen.insert(target.clone()) || *steps > 100 {
            continue;
        }
        *steps += 1;
        lab.navigate(MAIN, &target, T0 + *steps);
        let page = shown(lab);
        check_safe(&page);
        for link in page.links.iter().filter(|l| l.stays_in_lab()) {
            queue.push_back(link.target.clone());
        }
        for form in &page.forms {
            if !form.stays_in_lab() || !submitted.insert((form.method.clone(), form.action.clone()))
            {
                continue;
            }
            let edits: Vec<(String, String)> = form
                .fields
                .iter()
                .filter(|f| !f.name.is_empty() && !f.hidden)
                .map(|f| (f.name.clone(), typed(f)))
                .collect();
            let values = form_values(form, &edits);
            lab.submit(MAIN, &form.method, &form.action, &values, T0 + *steps);
            let after = shown(lab);
            check_safe(&after);
            for link in after.links.iter().filter(|l| l.stays_in_lab()) {
                queue.push_back(link.target.clone());
            }
        }
    }
    seen
}

#[test]
fn every_page_of_every_app_parses() {
    let mut failing = Vec::new();
    for name in scenarios::ALL.iter().map(|s| s.id) {
        let built = scenarios::by_id(name)
            .expect("known app")
            .build(Services::in_memory(Box::new(SeededRng::new(1))));
        if built.is_err() {
            failing.push(name);
            continue;
        }
        let pages = crawl(name);
        assert!(pages >= 3, "{name}: only {pages} exchanges");
    }
    assert_eq!(failing, ["seed-000-misspelled"]);
}

#[test]
fn seed_003_posts_nm_and_shows_the_xss_as_text() {
    let mut lab = lab("seed-003");
    lab.navigate(MAIN, "/login", T0);
    let page = shown(&lab);
    assert_eq!(page.title.as_deref(), Some("Login"));
    assert_eq!(page.forms.len(), 1);
    let form = &page.forms[0];
    // `action="#"` on /login posts to /login.
    assert_eq!(
        (form.action.as_str(), form.method.as_str()),
        ("/login", "POST")
    );
    assert_eq!(named(form), ["nm"]);
    // The unnamed submit button is not sent.
    let values = form_values(form, &strings(&[("nm", XSS)]));
    assert_eq!(values, strings(&[("nm", XSS)]));
    assert_eq!(form.fields[1].label.as_deref(), Some("submit"));

    let ids = lab.submit(MAIN, &form.method, &form.action, &values, T0);
    let user = &lab.log[*ids.last().unwrap()];
    assert_eq!((user.target.as_str(), user.status()), ("/user", 200));
    // Flask sends the name as raw HTML...
    assert_eq!(user.response.body, format!("<h1>{XSS}</h1>"));
    assert_eq!(view_source(&user.response.body), format!("<h1>{XSS}</h1>"));
    // ...and the lab shows it as text, flagged.
    let page = shown(&lab);
    assert!(page.unsafe_markup);
    assert!(!page.plain_text);
    assert_eq!(
        page.nodes,
        vec![Node::Element {
            tag: Tag::H1,
            attrs: Vec::new(),
            children: vec![Node::Unsafe { raw: XSS.into() }],
        }]
    );
    assert_eq!(page.text(), XSS);
    assert!(explain_unsafe(XSS).contains("onerror"));

    // A harmless name is a plain heading.
    let mut lab = self::lab("seed-003");
    lab.submit(
        MAIN,
        "POST",
        "/login",
        &strings(&[("nm", "ada & <b>bob</b>")]),
        T0,
    );
    let page = shown(&lab);
    assert!(!page.unsafe_markup);
    assert_eq!(page.text(), "ada & bob");
    assert_eq!(
        page.walk()
            .iter()
            .filter_map(|n| n.tag())
            .collect::<Vec<_>>(),
        [Tag::H1, Tag::B]
    );

    // Logging out goes back to the form.
    lab.navigate(MAIN, "/logout", T0);
    assert_eq!(lab.main.location(), Some("/login"));
    assert_eq!(shown(&lab).forms.len(), 1);
}

#[test]
fn seed_004_form_keeps_next_and_escapes_the_greeting() {
    for name in [
        "seed-004-client-temp",
        "seed-004-server-temp",
        "seed-004-client-persist",
        "seed-004-server-persist",
    ] {
        let mut lab = lab(name);
        lab.navigate(MAIN, "/login", T0);
        let form = shown(&lab).forms[0].clone();
        assert_eq!(field(&form, "next").value, "None", "{name}");

        // A protected page sends us to the form with `next`.
        lab.navigate(MAIN, "/about", T0);
        assert_eq!(
            lab.main.location(),
            Some("/login?next=http://localhost/about")
        );
        let page = shown(&lab);
        assert_eq!(page.title.as_deref(), Some("Sign in"));
        assert!(!page.unsafe_markup);
        let form = &page.forms[0];
        assert_eq!(
            (form.action.as_str(), form.method.as_str()),
            ("/login", "POST")
        );
        let next = field(form, "next");
        assert_eq!(next.value, "http://localhost/about");
        assert!(next.hidden, "`hidden` attribute");
        assert_eq!(next.kind, "text");
        let username = field(form, "username");
        assert_eq!(username.label.as_deref(), Some("Username"));
        // The tutorial's password box has an id and a label but no name: a browser never
        // sends what is typed into it.
        let password = form.fields.iter().find(|f| f.kind == "password").unwrap();
        assert_eq!(
            (password.name.as_str(), password.label.as_deref()),
            ("", Some("Password"))
        );
        assert_eq!(named(form), ["next", "username"]);
        let submit = &form.fields[form.default_button().expect("a submit button")];
        assert_eq!(submit.label.as_deref(), Some("Submit"));
        let edits = strings(&[("username", XSS), ("password", "hunter2")]);
        let values = form_values(form, &edits);
        assert_eq!(
            values,
            strings(&[("next", "http://localhost/about"), ("username", XSS)])
        );

        lab.submit(MAIN, &form.method, &form.action, &values, T0);
        assert_eq!(lab.main.location(), Some("/about"), "{name}");
        let page = shown(&lab);
        assert_eq!(page.title.as_deref(), Some("About"));
        // Escaped by the template: text, not markup.
        assert!(!page.unsafe_markup, "{name}: {:?}", page.nodes);
        assert!(page
            .text()
            .contains(&format!("Welcome {XSS}! This is the About page.")));
        let greeting = page
            .walk()
            .into_iter()
            .find(|n| n.tag() == Some(Tag::P))
            .expect("the greeting");
        assert_eq!(greeting.children(), [Node::Text(format!("Welcome {XSS}!"))]);
        let links: Vec<(&str, &str)> = page
            .links
            .iter()
            .map(|l| (l.text.as_str(), l.target.as_str()))
            .collect();
        assert_eq!(
            links,
            [
                ("Home", "/home"),
                ("About", "/about"),
                ("Contact", "/contact"),
                ("Products", "/products"),
                ("Sign In", "/login"),
                ("Log Out", "/logout"),
            ]
        );
        let nav = page
            .nodes
            .iter()
            .find(|n| n.tag() == Some(Tag::Nav))
            .unwrap();
        assert_eq!(nav.attr("class"), Some("navbar"));

        // Products: a list.
        lab.navigate(MAIN, &page.links[3].target, T0);
        let products = shown(&lab);
        let items: Vec<String> = products
            .walk()
            .into_iter()
            .filter(|n| n.tag() == Some(Tag::Li))
            .map(Node::text_content)
            .collect();
        assert_eq!(items, ["Sofas", "Chairs", "Tables", "Swings"]);

        // Logging out: a text page.
        lab.navigate(MAIN, &page.links[5].target, T0);
        let out = shown(&lab);
        assert!(out.plain_text);
        assert_eq!(out.nodes, [Node::Text("Signed Out!!!".into())]);
    }
}

#[test]
fn seed_004_open_redirect_link_is_not_followed_in_the_lab() {
    let mut lab = lab("seed-004-client-temp");
    let ids = lab.submit(
        MAIN,
        "POST",
        "/login",
        &strings(&[("next", "https://evil.example/"), ("username", "eve")]),
        T0,
    );
    let page = lab.log[ids[0]].page();
    assert_eq!(page.title.as_deref(), Some("Redirecting..."));
    assert_eq!(page.links[0].target, "https://evil.example/");
    assert!(!page.links[0].stays_in_lab());
    // A `javascript:` next lands in Werkzeug's page as a link the lab will not render.
    let ids = lab.submit(
        MAIN,
        "POST",
        "/login",
        &strings(&[
            ("next", "javascript:alert(document.cookie)"),
            ("username", "eve"),
        ]),
        T0,
    );
    let page = lab.log[ids[0]].page();
    assert!(page.unsafe_markup);
    assert!(page.links.is_empty());
    assert_eq!(
        page.unsafe_parts(),
        ["<a href=\"javascript:alert(document.cookie)\">javascript:alert(document.cookie)</a>"]
    );
}

#[test]
fn seed_000_posts_name() {
    let mut lab = lab("seed-000");
    lab.navigate(MAIN, "/", T0);
    assert_eq!(lab.main.location(), Some("/login"));
    let page = shown(&lab);
    let form = &page.forms[0];
    assert_eq!(
        (form.action.as_str(), form.method.as_str()),
        ("/login", "POST")
    );
    assert_eq!(named(form), ["name"]);
    assert_eq!(form.fields[0].placeholder.as_deref(), Some("Name"));
    assert_eq!(form.fields[1].label.as_deref(), Some("Register"));
    let values = form_values(form, &strings(&[("name", "ada")]));
    assert_eq!(values, strings(&[("name", "ada")]));
    lab.submit(MAIN, &form.method, &form.action, &values, T0);
    assert_eq!(lab.main.location(), Some("/"));
    // The tutorial's template reads `session.name`, which nothing sets.
    let page = shown(&lab);
    assert_eq!(page.text(), "Nobody is registered here yet. login");
    assert_eq!(page.links[0].target, "/login");
    lab.navigate(MAIN, "/logout", T0);
    assert_eq!(lab.main.location(), Some("/login"));
}

#[test]
fn seed_000_login_posts_email_password_and_the_named_submit() {
    let mut lab = lab("seed-000-login");
    lab.navigate(MAIN, "/login", T0);
    let page = shown(&lab);
    assert_eq!(page.title, None);
    let form = &page.forms[0];
    // `action='login'` on /login.
    assert_eq!(
        (form.action.as_str(), form.method.as_str()),
        ("/login", "POST")
    );
    assert_eq!(named(form), ["email", "password", "submit"]);
    assert_eq!(field(form, "password").kind, "password");
    assert_eq!(field(form, "email").placeholder.as_deref(), Some("email"));
    let edits = strings(&[
        ("email", seed_000_login::STUDENT_EMAIL),
        ("password", seed_000_login::STUDENT_PASSWORD),
    ]);
    // The clicked button has a name: it is sent, with its default label as value.
    let values = form_values(form, &edits);
    assert_eq!(
        values,
        strings(&[
            ("email", seed_000_login::STUDENT_EMAIL),
            ("password", seed_000_login::STUDENT_PASSWORD),
            ("submit", "Submit"),
        ])
    );
    // Submitted without a submitter (no button clicked), it is not.
    assert_eq!(submitted_values(form, &edits, None).len(), 2);
    lab.submit(MAIN, &form.method, &form.action, &values, T0);
    assert_eq!(lab.main.location(), Some("/protected"));
    let page = shown(&lab);
    assert!(page.plain_text);
    assert_eq!(page.text(), "Logged in as: ninja@codingninjas.com");
    lab.navigate(MAIN, "/logout", T0);
    assert_eq!(shown(&lab).text(), "Logged out");
    // A wrong email is Flask's 500 page.
    lab.submit(
        MAIN,
        "POST",
        "/login",
        &strings(&[("email", "x"), ("password", "y")]),
        T0,
    );
    let page = shown(&lab);
    assert_eq!(page.title.as_deref(), Some("500 Internal Server Error"));
}

#[test]
fn seed_001_and_002_answer_text_pages() {
    let mut lab = lab("seed-001");
    for (path, text) in [
        ("/getsession", "Welcome Anonymous"),
        ("/setsession", "The session has been Set"),
        ("/getsession", "Welcome Admin"),
        ("/popsession", "Session Deleted"),
    ] {
        lab.navigate(MAIN, path, T0);
        let page = shown(&lab);
        assert!(page.plain_text);
        assert_eq!(page.nodes, [Node::Text(text.into())]);
    }
    let mut lab = self::lab("seed-002");
    lab.navigate(MAIN, "/", T0);
    assert_eq!(shown(&lab).text(), "Pythongeeks Session data stored!");
    lab.navigate(MAIN, "/profile", T0);
    assert_eq!(shown(&lab).text(), "Welcome, John!");
    // /dashboard sends a GET to the POST-only /login: Werkzeug's 405 page.
    lab.navigate(MAIN, "/dashboard", T0);
    let page = shown(&lab);
    assert_eq!(page.title.as_deref(), Some("405 Method Not Allowed"));
    assert_eq!(
        page.text(),
        "Method Not Allowed The method is not allowed for the requested URL."
    );
}

#[test]
fn werkzeug_redirect_and_error_pages() {
    let redirect = Response::redirect("/login?next=http://localhost/about");
    let page = parse_at(&redirect.body, redirect.header("Content-Type"), "/about");
    assert_eq!(page.title.as_deref(), Some("Redirecting..."));
    let tags: Vec<Tag> = page.nodes.iter().filter_map(Node::tag).collect();
    assert_eq!(tags, [Tag::H1, Tag::P]);
    assert_eq!(page.nodes[0].text_content(), "Redirecting...");
    assert_eq!(page.links.len(), 1);
    assert_eq!(page.links[0].target, "/login?next=http://localhost/about");
    assert_eq!(page.links[0].text, "/login?next=http://localhost/about");
    assert_eq!(
        page.text(),
        "Redirecting... You should be redirected automatically to the target URL: \
         /login?next=http://localhost/about. If not, click the link."
    );
    for (abort, title, heading) in [
        (Abort::BadRequest, "400 Bad Request", "Bad Request"),
        (Abort::Unauthorized, "401 Unauthorized", "Unauthorized"),
        (Abort::NotFound, "404 Not Found", "Not Found"),
        (
            Abort::MethodNotAllowed {
                allow: "GET".into(),
            },
            "405 Method Not Allowed",
            "Method Not Allowed",
        ),
        (
            Abort::InternalServerError("boom".into()),
            "500 Internal Server Error",
            "Internal Server Error",
        ),
    ] {
        let response = abort.into_response();
        let page = parse(&response.body, response.header("Content-Type"));
        assert_eq!(page.title.as_deref(), Some(title));
        let tags: Vec<Tag> = page.nodes.iter().filter_map(Node::tag).collect();
        assert_eq!(tags, [Tag::H1, Tag::P], "{title}");
        assert_eq!(page.nodes[0].text_content(), heading);
        assert!(!page.unsafe_markup && page.links.is_empty() && page.forms.is_empty());
        if title.starts_with("401") {
            // `&#39;` decoded.
            assert!(page.text().contains("your browser doesn't understand"));
        }
    }
}

#[test]
fn the_module_path_is_public() {
    // The UI reaches it as `session_lab::client::page`.
    let p = page::parse("<p>x</p>", None);
    assert_eq!(p.nodes[0].tag(), Some(Tag::P));
}

#[test]
fn a_repeated_attribute_keeps_its_first_value_however_many_there_are() {
    // HTML keeps the first of a repeated attribute. A few attributes and a hostile tag with
    // thousands take different paths in the tokenizer; both keep the first, in order.
    for junk in [0, 3, 40, 20_000] {
        let filler: String = (0..junk).map(|i| format!(" x{i}=\"{i}\"")).collect();
        let html = format!(
            "<a{filler} href=\"/first\" x0=\"again\" href=\"/second\">go</a><a href=\"/b\" href=\"/c\">b</a>"
        );
        let p = page::parse(&html, None);
        let hrefs: Vec<&str> = p.links.iter().map(|l| l.href.as_str()).collect();
        assert_eq!(hrefs, ["/first", "/b"], "{junk} other attributes");
    }
}

// ---------------------------------------------------------------------------------------------
// Properties

const TAGS: &[&str] = &[
    "a",
    "A",
    "form",
    "input",
    "button",
    "label",
    "p",
    "div",
    "h1",
    "ul",
    "li",
    "img",
    "IMG",
    "script",
    "ScRiPt",
    "style",
    "iframe",
    "title",
    "textarea",
    "svg",
    "html",
    "body",
    "head",
    "pre",
    "b",
    "plaintext",
    "xmp",
    "foo",
    "br",
    "hr",
    "nav",
    "span",
];

const ATTR_NAMES: &[&str] = &[
    "href",
    "HREF",
    "action",
    "method",
    "onclick",
    "OnError",
    "style",
    "type",
    "name",
    "value",
    "hidden",
    "id",
    "for",
    "data-link",
    "data-form",
    "src",
    "formaction",
    "class",
    "checked",
];

const ATTR_VALUES: &[&str] = &[
    "/x",
    "x",
    "?q=1",
    "#",
    "",
    "javascript:alert(1)",
    " JaVaScRiPt:x",
    "java\tscript:x",
    "\u{1}javascript:x",
    "&#106;avascript:x",
    "jav&#x61;script:x",
    "java&#x0A;script:x",
    "javascript&colon;x",
    "data:text/html,x",
    "vbscript:x",
    "post",
    "POST",
    "image",
    "submit",
    "button",
    "hidden",
    "password",
    "n",
    "http://localhost/a",
    "//evil",
    "/\\evil",
    "a b",
];

/// A start tag with a few attributes, quoted in any of the three ways.
fn start_tag() -> impl Strategy<Value = String> {
    let attr = (
        select(ATTR_NAMES),
        select(ATTR_VALUES),
        select(vec!["", "\"", "'"]),
    );
    (select(TAGS), prop::collection::vec(attr, 0..4)).prop_map(|(tag, attrs)| {
        let mut out = format!("<{tag}");
        for (name, value, quote) in attrs {
            out.push_str(&format!(" {name}={quote}{value}{quote}"));
        }
        out.push('>');
        out
    })
}

/// Strings made of the pieces HTML parsers trip over.
fn htmlish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => start_tag(),
        1 => select(ATTR_VALUES).prop_map(|v| format!("<a href=\"{v}\">")),
        1 => select(ATTR_VALUES).prop_map(|v| format!("<form action='{v}' method=post><input name=n value={v}>")),
        2 => select(vec![
            "<", ">", "</", "/>", "=", "\"", "'", " ", "\t", "\n", "\r", "\0", "/", "&", "&#",
            "&#x", ";", "&amp;", "&lt;", "&#106;", "&#x6A;", "&#x09;", "&#10;", "&#0;", "&quot;",
            "<!--", "-->", "--!>", "<!doctype html>", "<?", "<![CDATA[", "]]>", "javascript:",
            "JaVaScRiPt:", "java\tscript:", "java&#x09;script:", "jav&#x61;script:",
            "&#106;avascript:", " \u{1}javascript:", "vbscript:", "data:text/html,", " href=",
            " HREF=", " action=", " onclick=", " OnError=", " on=", " style=", " data-link=",
            " data-form=", " type=image", " type=submit", " name=n", " value=v", " hidden",
            " for=x", " id=x", " method=post",
        ])
        .prop_map(str::to_string),
        1 => select(TAGS).prop_map(|t| format!("<{t}")),
        1 => select(TAGS).prop_map(|t| format!("<{t}>")),
        2 => select(TAGS).prop_map(|t| format!("</{t}>")),
        2 => "[a-zA-Z0-9 ]{0,6}",
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..80).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn parse_is_safe_on_html_like_input(body in htmlish(), url in "/[a-z?=/#.]{0,8}") {
        let page = parse_at(&body, None, &url);
        check_safe(&page);
        for form in &page.forms {
            let _ = form_values(form, &[("n".into(), "x".into())]);
        }
        for raw in page.unsafe_parts() {
            prop_assert!(!explain_unsafe(raw).is_empty());
        }
    }

    #[test]
    fn parse_is_safe_on_arbitrary_strings(body in any::<String>()) {
        check_safe(&parse(&body, None));
        check_safe(&parse(&body, Some("text/plain")));
    }

    /// Whatever a template escapes comes back as exactly that text, never as markup.
    #[test]
    fn escaped_text_round_trips(text in any::<String>()) {
        let page = parse(&escape_html(&text), None);
        prop_assert!(!page.unsafe_markup);
        prop_assert!(page.links.is_empty() && page.forms.is_empty());
        if text.trim_matches(['\t', '\n', '\x0C', '\r', ' ']).is_empty() {
            prop_assert!(page.nodes.is_empty());
        } else {
            prop_assert_eq!(page.nodes, vec![Node::Text(text)]);
        }
    }

    /// Seed 003's unescaped heading, whatever the name: the page is still safe.
    #[test]
    fn seed_003_heading_with_any_name(name in htmlish()) {
        let page = parse(&format!("<h1>{name}</h1>"), Some("text/html; charset=utf-8"));
        check_safe(&page);
    }
}
