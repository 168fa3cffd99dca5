//! The page the mock server answered, as a structured model the browser pane renders.
//!
//! The lab never injects the server's HTML into its own document. [`parse`] reads the body with
//! a small, forgiving HTML tokenizer and tree builder that knows the handful of tags the
//! tutorial apps (and Werkzeug's redirect and error pages) produce; the UI then builds its own
//! elements from the [`Node`] tree. Whatever falls outside that whitelist (`<img>`,
//! `<script>`, `<style>`, `<iframe>`, unknown tags, any `on*` attribute, a `style` attribute,
//! `javascript:` URLs) becomes a [`Node::Unsafe`] holding the markup exactly as sent, which the
//! UI shows as literal text with [`explain_unsafe`]'s warning of what a real browser would have
//! done with it. Seed 003's `/user` greets you with `<h1>{name}</h1>` unescaped: log in as
//! `<img src=x onerror=alert(1)>` and the page shows that markup, flagged, instead of running it.
//!
//! Links and forms are collected in document order ([`Page::links`], [`Page::forms`]); their
//! elements carry the synthesized attributes `data-link`, `data-form` and `data-field` with
//! those indices, so the UI can say "follow link 2" or "submit form 0 with these values"
//! ([`form_values`], then [`crate::lab::Lab::submit`] with [`Form::method`] and
//! [`Form::action`]). Attributes named `data-*` in the body itself are never kept, so a page
//! cannot forge them.
//!
//! The tree builder follows the HTML parsing rules where the apps' markup needs them (implied
//! `</p>` and `</li>`, `<html>`, `<head>` and `<body>` left implicit, void elements, raw-text
//! elements, character references) and is merely forgiving elsewhere: it never panics, and
//! caps the input ([`MAX_INPUT`]), the nesting ([`MAX_DEPTH`]) and the node count
//! ([`MAX_NODES`]).

mod entities;
mod tokenizer;
mod tree;
mod url;

pub use url::resolve_url;

use tokenizer::{tokenize, Tok};
use tree::Builder;
use url::{dangerous_url, stays_in_lab};

use crate::engine::werkzeug::wrappers::Response;

/// The most body bytes parsed; the rest is left out (View source still has it all).
pub const MAX_INPUT: usize = 512 * 1024;
/// The deepest element nesting built; deeper start tags are ignored (their text is kept).
pub const MAX_DEPTH: usize = 48;
/// The most nodes built; parsing stops there.
pub const MAX_NODES: usize = 10_000;

/// The default label of `<input type=submit>` without a `value`, and what it submits when it
/// has a name and is the submitter: Chromium's (Firefox says "Submit Query"; see [`Field`]).
pub const DEFAULT_SUBMIT_LABEL: &str = "Submit";

/// The elements the lab renders. `<html>`, `<head>` and `<body>` are accepted and left
/// implicit (their content goes straight into [`Page::nodes`]), and `<title>` becomes
/// [`Page::title`]; every other tag is [`Node::Unsafe`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tag {
    H1,
    H2,
    H3,
    P,
    A,
    Form,
    Input,
    Label,
    Button,
    Ul,
    Ol,
    Li,
    Nav,
    Main,
    Div,
    Hr,
    Br,
    Span,
    Strong,
    Em,
    B,
    I,
    Code,
    Pre,
}

impl Tag {
    /// Every tag, in the order above.
    pub const ALL: [Tag; 24] = [
        Tag::H1,
        Tag::H2,
        Tag::H3,
        Tag::P,
        Tag::A,
        Tag::Form,
        Tag::Input,
        Tag::Label,
        Tag::Button,
        Tag::Ul,
        Tag::Ol,
        Tag::Li,
        Tag::Nav,
        Tag::Main,
        Tag::Div,
        Tag::Hr,
        Tag::Br,
        Tag::Span,
        Tag::Strong,
        Tag::Em,
        Tag::B,
        Tag::I,
        Tag::Code,
        Tag::Pre,
    ];

    /// The lower-case tag name (`h1`).
    pub fn name(self) -> &'static str {
        match self {
            Tag::H1 => "h1",
            Tag::H2 => "h2",
            Tag::H3 => "h3",
            Tag::P => "p",
            Tag::A => "a",
            Tag::Form => "form",
            Tag::Input => "input",
            Tag::Label => "label",
            Tag::Button => "button",
            Tag::Ul => "ul",
            Tag::Ol => "ol",
            Tag::Li => "li",
            Tag::Nav => "nav",
            Tag::Main => "main",
            Tag::Div => "div",
            Tag::Hr => "hr",
            Tag::Br => "br",
            Tag::Span => "span",
            Tag::Strong => "strong",
            Tag::Em => "em",
            Tag::B => "b",
            Tag::I => "i",
            Tag::Code => "code",
            Tag::Pre => "pre",
        }
    }

    /// The tag with this name (ASCII case-insensitive), if it is on the whitelist.
    pub fn from_name(name: &str) -> Option<Tag> {
        Tag::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(name))
    }

    /// Void elements have no content and no end tag.
    pub fn is_void(self) -> bool {
        matches!(self, Tag::Input | Tag::Hr | Tag::Br)
    }

    /// Whether the element keeps this attribute (names are lower-case). `id`, `class`, `title`,
    /// `lang` and `hidden` are kept everywhere; the rest per element. Others are dropped.
    pub fn keeps_attr(self, name: &str) -> bool {
        if matches!(name, "id" | "class" | "title" | "lang" | "hidden") {
            return true;
        }
        match self {
            Tag::A => name == "href",
            Tag::Form => matches!(name, "action" | "method"),
            Tag::Input => matches!(
                name,
                "type" | "name" | "value" | "placeholder" | "checked" | "disabled"
            ),
            Tag::Label => name == "for",
            Tag::Button => matches!(name, "type" | "name" | "value" | "disabled"),
            _ => false,
        }
    }

    /// The HTML parser's "special" category (restricted to the whitelist): an end tag for
    /// another element does not close past these.
    fn is_special(self) -> bool {
        !matches!(
            self,
            Tag::A | Tag::Span | Tag::Strong | Tag::Em | Tag::B | Tag::I | Tag::Code | Tag::Label
        )
    }

    /// Formatting elements: their end tag closes whatever is open inside them.
    fn is_formatting(self) -> bool {
        matches!(
            self,
            Tag::A | Tag::Strong | Tag::Em | Tag::B | Tag::I | Tag::Code
        )
    }

    /// Start tags that close an open `<p>` first.
    fn closes_p(self) -> bool {
        matches!(
            self,
            Tag::P
                | Tag::H1
                | Tag::H2
                | Tag::H3
                | Tag::Ul
                | Tag::Ol
                | Tag::Li
                | Tag::Nav
                | Tag::Main
                | Tag::Div
                | Tag::Hr
                | Tag::Form
                | Tag::Pre
        )
    }

    fn is_heading(self) -> bool {
        matches!(self, Tag::H1 | Tag::H2 | Tag::H3)
    }
}

/// One node of the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// Text, with character references decoded. Rendered as text, always.
    Text(String),
    /// A whitelisted element with its whitelisted attributes (values decoded) and the
    /// synthesized `data-link`, `data-form`, `data-field` indices.
    Element {
        tag: Tag,
        attrs: Vec<(String, String)>,
        children: Vec<Node>,
    },
    /// Markup outside the whitelist, exactly as sent: shown as literal text with a warning
    /// ([`explain_unsafe`]). A rejected element with an end tag is one node, content included.
    Unsafe { raw: String },
}

impl Node {
    /// The value of an element's attribute.
    pub fn attr(&self, name: &str) -> Option<&str> {
        match self {
            Node::Element { attrs, .. } => attrs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str()),
            _ => None,
        }
    }

    /// The tag of an element.
    pub fn tag(&self) -> Option<Tag> {
        match self {
            Node::Element { tag, .. } => Some(*tag),
            _ => None,
        }
    }

    pub fn children(&self) -> &[Node] {
        match self {
            Node::Element { children, .. } => children,
            _ => &[],
        }
    }

    /// The text a reader sees, as the DOM's `textContent` would give it, with unsafe markup
    /// included literally (as the lab shows it).
    pub fn text_content(&self) -> String {
        let mut out = String::new();
        self.push_text(&mut out);
        out
    }

    fn push_text(&self, out: &mut String) {
        match self {
            Node::Text(t) => out.push_str(t),
            Node::Unsafe { raw } => out.push_str(raw),
            Node::Element { children, .. } => children.iter().for_each(|c| c.push_text(out)),
        }
    }
}

/// A link on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The `href` as written (references decoded).
    pub href: String,
    /// Where following it goes, resolved against the page's URL as a browser does
    /// ([`resolve_url`]): a path on the mock server (`/about`), or an absolute URL elsewhere.
    pub target: String,
    /// Its text, whitespace collapsed.
    pub text: String,
}

impl Link {
    /// Whether following it stays on the mock server (the lab fetches nothing else).
    pub fn stays_in_lab(&self) -> bool {
        stays_in_lab(&self.target)
    }
}

/// A form on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    /// Where it is submitted, resolved as a browser does: a missing or empty `action`, or
    /// `#`, is the page's own URL (path and query; the fragment never goes on the wire);
    /// `login` on `/login` is `/login`. A GET submission replaces the query with the fields
    /// ([`crate::lab::Lab::submit`] does).
    pub action: String,
    /// `POST` for `method=post` (any case), `GET` otherwise (the attribute's default and its
    /// invalid-value default; `dialog` submits nothing to a server and is taken as `GET`).
    pub method: String,
    /// Its `<input>`s and `<button>`s in document order.
    pub fields: Vec<Field>,
}

impl Form {
    /// The default button (the first submit button), which pressing Enter or clicking the
    /// form's only button submits with.
    pub fn default_button(&self) -> Option<usize> {
        self.fields.iter().position(Field::is_submit_button)
    }

    /// Whether submitting it leaves the mock server (an `action` on another host).
    pub fn stays_in_lab(&self) -> bool {
        stays_in_lab(&self.action)
    }
}

/// One control of a form.
///
/// Which of them a browser sends is [`form_values`]'s business (the HTML standard's
/// "constructing the entry list"): controls without a `name` are never sent; a submit button
/// only when it is the submitter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The `name` attribute; empty when there is none (then the field is never sent).
    pub name: String,
    /// `text`, `password`, `hidden`, `submit` (`<input type=submit>` and `<button>` with type
    /// submit, the default), `button`, `reset`, `checkbox`, `radio`, or the other text-like
    /// input types as written (`email`, `search`, ...). Unknown or missing types are `text`,
    /// as in browsers.
    pub kind: String,
    /// What it submits: the `value` attribute (empty when absent; `on` for a checkbox or
    /// radio), except an `<input type=submit>` without one, which submits its default label
    /// [`DEFAULT_SUBMIT_LABEL`] as Chromium does (the standard's text says the empty string,
    /// Firefox sends "Submit Query"). Only matters for a named submit button.
    pub value: String,
    /// What the user reads for it: the text of its `<label>` (`for=` its id, or wrapping
    /// it); for buttons, their caption.
    pub label: Option<String>,
    /// The `placeholder` attribute.
    pub placeholder: Option<String>,
    /// Not shown: `type=hidden`, or the `hidden` attribute (seed 004's `next` is
    /// `<input type="text" ... hidden>`). Hidden fields are submitted all the same.
    pub hidden: bool,
    /// `checked` (checkboxes and radios are sent only when checked).
    pub checked: bool,
    /// `disabled` controls are not sent.
    pub disabled: bool,
}

impl Field {
    /// A button that submits the form when clicked.
    pub fn is_submit_button(&self) -> bool {
        self.kind == "submit"
    }
}

/// A parsed page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page {
    /// The first `<title>`'s text, whitespace collapsed.
    pub title: Option<String>,
    /// The body's content.
    pub nodes: Vec<Node>,
    /// Whether any [`Node::Unsafe`] is in it.
    pub unsafe_markup: bool,
    pub links: Vec<Link>,
    pub forms: Vec<Form>,
    /// The body holds no markup at all (Flask's `return "Welcome Admin"`), or its content
    /// type is not HTML: a text page. `nodes` is then at most one [`Node::Text`] (references
    /// decoded for HTML, the body verbatim otherwise).
    pub plain_text: bool,
    /// The body was larger than the caps ([`MAX_INPUT`], [`MAX_NODES`]) and was cut.
    pub truncated: bool,
}

impl Page {
    /// All nodes in document order (pre-order).
    pub fn walk(&self) -> Vec<&Node> {
        fn visit<'a>(nodes: &'a [Node], out: &mut Vec<&'a Node>) {
            for n in nodes {
                out.push(n);
                visit(n.children(), out);
            }
        }
        let mut out = Vec::new();
        visit(&self.nodes, &mut out);
        out
    }

    /// The text of the page as a reader sees it: whitespace collapsed, blocks and line
    /// breaks apart by a space, unsafe markup included literally.
    pub fn text(&self) -> String {
        fn visible(node: &Node, out: &mut String) {
            match node {
                Node::Element { tag, children, .. } => {
                    let block = tag.is_special();
                    if block {
                        out.push(' ');
                    }
                    children.iter().for_each(|c| visible(c, out));
                    if block {
                        out.push(' ');
                    }
                }
                other => other.push_text(out),
            }
        }
        let mut out = String::new();
        self.nodes.iter().for_each(|n| visible(n, &mut out));
        collapse(&out)
    }

    /// Every [`Node::Unsafe`]'s markup, in order.
    pub fn unsafe_parts(&self) -> Vec<&str> {
        self.walk()
            .into_iter()
            .filter_map(|n| match n {
                Node::Unsafe { raw } => Some(raw.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The page a response to `target` (path and query) shows: its body read by its
    /// `Content-Type`.
    pub fn of_response(response: &Response, target: &str) -> Page {
        parse_at(&response.body, response.header("Content-Type"), target)
    }
}

/// The body exactly as the server sent it, for "View source" (the UI shows it as text).
pub fn view_source(body: &str) -> String {
    body.to_string()
}

/// Parses a body taken to be at `/` (forms and relative links resolve against it): use
/// [`parse_at`] or [`Page::of_response`] when the page's URL is known.
pub fn parse(body: &str, content_type: Option<&str>) -> Page {
    parse_at(body, content_type, "/")
}

/// Parses a body that was the answer to `url` (a target: path and query, as in
/// the lab's `Exchange::target`). A `content_type` that is not HTML gives a text page; none at all is
/// taken as HTML (what Flask sends for a string).
pub fn parse_at(body: &str, content_type: Option<&str>, url: &str) -> Page {
    if !is_html(content_type) {
        return Page {
            nodes: text_nodes(body),
            plain_text: true,
            ..Page::default()
        };
    }
    let (src, cut) = if body.len() > MAX_INPUT {
        let mut end = MAX_INPUT;
        while !body.is_char_boundary(end) {
            end -= 1;
        }
        (&body[..end], true)
    } else {
        (body, false)
    };
    let tokens = tokenize(src);
    let mut builder = Builder::new(src, url);
    builder.truncated = cut;
    builder.run(&tokens);
    let mut page = builder.finish();
    page.plain_text = tokens.iter().all(|t| matches!(t, Tok::Text(_)));
    page
}

fn text_nodes(text: &str) -> Vec<Node> {
    if text.is_empty() {
        Vec::new()
    } else {
        vec![Node::Text(text.to_string())]
    }
}

fn is_html(content_type: Option<&str>) -> bool {
    let Some(ct) = content_type else { return true };
    let mime = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    matches!(mime.as_str(), "" | "text/html" | "application/xhtml+xml")
}

/// Which fields a browser submits for `form` with `edits` (name, value: what the user typed,
/// applied in order to the fields of that name; edits naming no field are ignored), when the
/// submitter is the form's default button: what clicking its only submit button, or pressing
/// Enter in a field, sends. See [`submitted_values`] to choose the submitter.
///
/// The HTML standard's rules ("constructing the entry list"): fields without a name are
/// skipped; disabled ones too; hidden and password fields are sent; checkboxes and radios
/// only when checked; `button` and `reset` buttons never; a submit button only if it is the
/// submitter, and then only when it has a name. So the Flask-Login tutorial's
/// `<input type='submit' name='submit'/>`, being the button clicked, is sent as
/// `submit=Submit` (its default label, as Chromium sends it; it has no `value`), while seed
/// 003's unnamed `<input type="submit" value="submit">` is not sent at all.
pub fn form_values(form: &Form, edits: &[(String, String)]) -> Vec<(String, String)> {
    submitted_values(form, edits, form.default_button())
}

/// [`form_values`] with an explicit submitter (an index into [`Form::fields`]; `None` for a
/// submission without one, such as pressing Enter in a form that has no submit button).
pub fn submitted_values(
    form: &Form,
    edits: &[(String, String)],
    submitter: Option<usize>,
) -> Vec<(String, String)> {
    let mut used = vec![false; edits.len()];
    let mut out = Vec::new();
    for (i, field) in form.fields.iter().enumerate() {
        let skip = field.disabled
            || field.name.is_empty()
            || (field.is_submit_button() && submitter != Some(i))
            || matches!(field.kind.as_str(), "button" | "reset")
            || (matches!(field.kind.as_str(), "checkbox" | "radio") && !field.checked);
        if skip {
            continue;
        }
        let edit = edits
            .iter()
            .enumerate()
            .find(|(j, (k, _))| !used[*j] && *k == field.name);
        let value = match edit {
            Some((j, (_, v))) => {
                used[j] = true;
                v.clone()
            }
            None => field.value.clone(),
        };
        out.push((field.name.clone(), value));
    }
    out
}

/// What a real browser would have done with a piece of [`Node::Unsafe`] markup, for the
/// warning next to it.
pub fn explain_unsafe(raw: &str) -> String {
    let tokens = tokenize(raw);
    match tokens.first() {
        Some(Tok::Raw { name, .. }) => match name.as_str() {
            "script" => "A real browser would run this script, with this page's cookies (unless HttpOnly) and its origin.".into(),
            "style" => "A real browser would apply this stylesheet to the whole page.".into(),
            "iframe" => "A real browser would load another page inside this one.".into(),
            "textarea" => "A real browser would show a text area here (the lab renders no such control).".into(),
            "title" => "A second title: a real browser would not show it.".into(),
            other => format!("A real browser would treat <{other}> specially; the lab shows it as text."),
        },
        Some(Tok::Start { name, attrs, .. }) => {
            if let Some((handler, _)) = attrs.iter().find(|(k, _)| k.starts_with("on")) {
                if name == "img" {
                    format!("A real browser would load this image and run its {handler} handler: a script running in this page, with its cookies (unless HttpOnly). This is cross-site scripting.")
                } else {
                    format!("A real browser would run this {handler} handler: a script running in this page. This is cross-site scripting.")
                }
            } else if attrs.iter().any(|(k, v)| dangerous_url(k, v)) {
                "A real browser would run this javascript: (or data:) URL when it is followed.".into()
            } else if name == "img" || name == "input" {
                "A real browser would load this image from its URL.".into()
            } else if attrs.iter().any(|(k, _)| k == "style") {
                "A real browser would apply this inline style.".into()
            } else {
                format!("<{name}> is not among the tags the lab renders; a real browser would render it.")
            }
        }
        Some(Tok::End { .. }) => {
            "An end tag with no element the lab renders; a real browser would ignore it.".into()
        }
        _ => "Markup the lab does not render; a real browser would.".into(),
    }
}

/// Whitespace collapsed to single spaces, trimmed.
fn collapse(s: &str) -> String {
    s.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(page: &Page) -> &Node {
        page.nodes.first().expect("a node")
    }

    #[test]
    fn plain_bodies_are_text_pages() {
        let page = parse("Welcome Admin", Some("text/html; charset=utf-8"));
        assert!(page.plain_text);
        assert_eq!(page.nodes, vec![Node::Text("Welcome Admin".into())]);
        assert!(!page.unsafe_markup);
        let page = parse("Signed Out!!!", None);
        assert_eq!(page.text(), "Signed Out!!!");
        // References are decoded in HTML, not in a text/plain body.
        assert_eq!(parse("a &amp; b", None).text(), "a & b");
        let plain = parse("<b>a &amp; b</b>", Some("text/plain"));
        assert!(plain.plain_text);
        assert_eq!(plain.nodes, vec![Node::Text("<b>a &amp; b</b>".into())]);
        assert!(parse("", None).nodes.is_empty());
    }

    #[test]
    fn werkzeug_redirect_page() {
        let body = crate::engine::werkzeug::wrappers::Response::redirect("/user?a=1&b=<2>").body;
        let page = parse_at(&body, None, "/login");
        assert_eq!(page.title.as_deref(), Some("Redirecting..."));
        let tags: Vec<Tag> = page.nodes.iter().filter_map(Node::tag).collect();
        assert_eq!(tags, [Tag::H1, Tag::P]);
        assert_eq!(page.links.len(), 1);
        assert_eq!(page.links[0].href, "/user?a=1&b=<2>");
        assert_eq!(page.links[0].target, "/user?a=1&b=%3C2%3E");
        assert_eq!(page.links[0].text, "/user?a=1&b=<2>");
        assert!(!page.unsafe_markup);
        assert!(!page.plain_text);
    }

    #[test]
    fn the_img_in_an_unescaped_heading_is_unsafe_text() {
        let page = parse("<h1><img src=x onerror=alert(1)></h1>", None);
        assert!(page.unsafe_markup);
        match first(&page) {
            Node::Element { tag, children, .. } => {
                assert_eq!(*tag, Tag::H1);
                assert_eq!(
                    children,
                    &vec![Node::Unsafe {
                        raw: "<img src=x onerror=alert(1)>".into()
                    }]
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(explain_unsafe("<img src=x onerror=alert(1)>").contains("onerror"));
    }

    #[test]
    fn scripts_styles_and_handlers_are_unsafe_spans() {
        let page = parse(
            "<p>a<script>x = '</p>'; alert(1)</script>b<style>p{}</style><div onclick=\"go()\">c <b>d</b></div><a href=' JaVa\tScript:alert(1)'>e</a><iframe src=/x></iframe><foo>f</foo><p style=\"color:red\">g</p>",
            None,
        );
        assert_eq!(
            page.unsafe_parts(),
            [
                "<script>x = '</p>'; alert(1)</script>",
                "<style>p{}</style>",
                "<div onclick=\"go()\">c <b>d</b></div>",
                "<a href=' JaVa\tScript:alert(1)'>e</a>",
                "<iframe src=/x></iframe>",
                "<foo>f</foo>",
                "<p style=\"color:red\">g</p>",
            ]
        );
        assert!(page.links.is_empty());
        assert!(explain_unsafe("<script>alert(1)</script>").contains("run this script"));
        assert!(explain_unsafe("<a href='javascript:x'>").contains("javascript:"));
        // An unclosed unknown tag is unsafe by itself; what follows is parsed normally.
        let page = parse("<h1><foo>bar</h1><p>x", None);
        assert_eq!(page.unsafe_parts(), ["<foo>"]);
        assert_eq!(page.text(), "<foo>bar x");
    }

    #[test]
    fn forgiving_tree_building() {
        let page = parse("<ul><li>a<li>b</ul><p>one<p>two<div>three</div>", None);
        let tags: Vec<Tag> = page.walk().into_iter().filter_map(Node::tag).collect();
        assert_eq!(tags, [Tag::Ul, Tag::Li, Tag::Li, Tag::P, Tag::P, Tag::Div]);
        // Misnested and unclosed tags, stray end tags, EOF inside a tag.
        for src in [
            "<b><i>x</b>y</i>",
            "</p></div></form>",
            "<a href=/x>1<a href=/y>2",
            "<div",
            "<p title=\"x",
            "<!-- open",
            "<",
            "</",
            "&#x",
            "<form><form action=/inner></form>",
        ] {
            let _ = parse(src, None);
        }
        let page = parse("<a href=/x>1<a href=/y>2", None);
        assert_eq!(page.links.len(), 2);
        assert_eq!(page.links[0].text, "1");
        // Nested forms: the inner one is ignored.
        assert_eq!(
            parse("<form><form action=/inner></form>", None).forms.len(),
            1
        );
        // Depth is capped.
        let deep = "<div>".repeat(10_000);
        let page = parse(&deep, None);
        fn depth(n: &[Node]) -> usize {
            n.iter().map(|c| 1 + depth(c.children())).max().unwrap_or(0)
        }
        assert!(depth(&page.nodes) <= MAX_DEPTH);
        // Nodes are capped.
        let page = parse(&"<br>".repeat(MAX_NODES + 5), None);
        assert!(page.truncated);
    }

    #[test]
    fn forms_fields_and_labels() {
        let body = "<form method=PoSt>\
            <label for=u>User</label><input id=u name=user value=\"a&amp;b\">\
            <label>Pass <input type=password name=pw></label>\
            <input type=hidden name=csrf value=t>\
            <input name=off disabled value=x>\
            <input type=checkbox name=c1><input type=checkbox name=c2 checked>\
            <input value=unnamed>\
            <button type=button name=b>No</button>\
            <button name=go value=1>Go</button>\
            <input type=submit name=alt>\
            </form>";
        let page = parse_at(body, None, "/login?x=1");
        let form = &page.forms[0];
        assert_eq!(form.method, "POST");
        assert_eq!(form.action, "/login?x=1");
        let user = &form.fields[0];
        assert_eq!(
            (
                user.name.as_str(),
                user.value.as_str(),
                user.label.as_deref()
            ),
            ("user", "a&b", Some("User"))
        );
        assert_eq!(form.fields[1].label.as_deref(), Some("Pass"));
        assert_eq!(form.default_button(), Some(8));
        assert_eq!(form.fields[8].label.as_deref(), Some("Go"));
        let edits = [("pw".to_string(), "secret".to_string())];
        let sent = form_values(form, &edits);
        let want = [
            ("user", "a&b"),
            ("pw", "secret"),
            ("csrf", "t"),
            ("c2", "on"),
            ("go", "1"),
        ];
        assert_eq!(
            sent,
            want.map(|(k, v)| (k.to_string(), v.to_string())).to_vec()
        );
        let alt = submitted_values(form, &[], Some(9));
        assert_eq!(
            alt.last().unwrap(),
            &("alt".to_string(), "Submit".to_string())
        );
        assert!(!alt.iter().any(|(k, _)| k == "go"));
    }

    #[test]
    fn urls_resolve_like_a_browser() {
        let cases = [
            ("/login", "", "/login"),
            ("/login?next=x", "#", "/login?next=x"),
            ("/login", "login", "/login"),
            ("/a/b", "c", "/a/c"),
            ("/a/b", "../c/./d", "/c/d"),
            ("/a/b", "?q=1", "/a/b?q=1"),
            ("/a", "http://localhost/about", "/about"),
            ("/a", "HTTP://LOCALHOST", "/"),
            ("/a", "https://evil.example/", "https://evil.example/"),
            ("/a", "//evil.example/x", "http://evil.example/x"),
            ("/a", "/\\evil.example", "http://evil.example/"),
            ("/a", " /x y\n", "/x%20y"),
            ("/a", "/é?q=é", "/%C3%A9?q=%C3%A9"),
            ("/a", "None", "/None"),
            ("/a", "mailto:x@y", "mailto:x@y"),
        ];
        for (cur, r, want) in cases {
            assert_eq!(resolve_url(cur, r), want, "{cur} + {r}");
        }
    }

    /// Where a browser goes, as the WHATWG URL parser has it (measured with Node 18's `URL`
    /// against `http://localhost` plus the page's target): `\\` is `/` for http, so `/\\host`
    /// and `\\\\host` name another host; a path that starts with `//` once its dots are gone
    /// stays on this host, and the lab writes it `/.//...` so that it never reads as a host.
    #[test]
    fn backslashes_and_double_slashes_resolve_like_a_browser() {
        let cases = [
            // Another host: (page, reference, the browser's href).
            ("/a", "/\\evil.example", "http://evil.example/"),
            ("/a", "\\\\evil.example", "http://evil.example/"),
            ("/a", "\\/evil.example", "http://evil.example/"),
            ("/a", "/\t/evil.example", "http://evil.example/"),
            ("/a", "//EVIL.example", "http://evil.example/"),
            ("/a", "////evil.example", "http://evil.example/"),
            ("/a", "http:\\\\evil.example", "http://evil.example/"),
            ("/a", "http:/\\evil.example", "http://evil.example/"),
            ("/a", "//evil.example?x=1", "http://evil.example/?x=1"),
            // This host: the browser's pathname (and query), `//` paths marked with `/.`.
            ("/a", "/\\localhost/x", "/x"),
            ("/a", "/x\\y", "/x/y"),
            ("/", "/..//evil.example/x", "/.//evil.example/x"),
            ("/a/", "..//evil.example/x", "/.//evil.example/x"),
            ("/", "/.//evil.example/", "/.//evil.example/"),
            ("/a", "/./\\x", "/.//x"),
            (
                "/",
                "http://localhost//evil.example/x",
                "/.//evil.example/x",
            ),
            (
                "/",
                "\\\\LOCALHOST:80//evil.example/x",
                "/.//evil.example/x",
            ),
            // A relative link on such a page stays on it.
            ("/.//evil.example/x", "y?q=1", "/.//evil.example/y?q=1"),
            ("/.//evil.example/x", "?q=1", "/.//evil.example/x?q=1"),
        ];
        for (page, reference, want) in cases {
            let to = resolve_url(page, reference);
            assert_eq!(to, want, "{reference:?} on {page:?}");
            if to.starts_with('/') {
                assert!(stays_in_lab(&to), "{to:?}");
                assert_eq!(resolve_url(page, &to), to, "{to:?} again");
            } else {
                assert!(!stays_in_lab(&to), "{to:?}");
            }
        }
    }

    #[test]
    fn forged_data_attributes_are_dropped() {
        let page = parse("<a href=/x data-link=7 onclickx=1>x</a>", None);
        // `onclickx` starts with "on": the whole link is unsafe.
        assert!(page.unsafe_markup);
        let page = parse("<a href=/x data-link=7 target=_blank>x</a>", None);
        assert_eq!(
            first(&page).attr("data-link"),
            Some("0"),
            "{:?}",
            page.nodes
        );
        assert_eq!(first(&page).attr("target"), None);
    }

    #[test]
    fn view_source_is_the_body() {
        let body = "<h1><img src=x onerror=alert(1)></h1>";
        assert_eq!(view_source(body), body);
    }
}
