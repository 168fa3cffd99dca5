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

use crate::engine::werkzeug::wrappers::Response;
use std::collections::{HashMap, HashSet};

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
/// submitter, and then only when it has a name. So seed-000-login's
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

/// Resolves a link or form action against the page's target, as a browser's URL parser
/// does for the pages of `http://localhost`: leading and trailing spaces and controls go,
/// tabs and newlines inside go, `\` is `/`, the fragment is dropped (it never goes on the
/// wire), `.` and `..` segments are removed and unsafe characters percent-encoded. A URL on
/// `http://localhost` becomes its path; one on any other host or scheme is returned whole
/// (`//evil.example/` as `http://evil.example/`).
pub fn resolve_url(current: &str, reference: &str) -> String {
    let cleaned: String = reference
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let reference = cleaned.split('#').next().unwrap_or("");
    let current = current.split('#').next().unwrap_or("");
    let current = if current.starts_with('/') {
        current
    } else {
        "/"
    };
    if reference.is_empty() {
        return current.to_string();
    }
    let mut r = reference.to_string();
    if let Some(colon) = scheme_end(&r) {
        let scheme = r[..colon].to_ascii_lowercase();
        if scheme != "http" {
            return r;
        }
        r = r[colon + 1..].replace('\\', "/");
        if !r.starts_with("//") {
            // `http:about` on an http page is relative.
            return join(current, &r);
        }
    } else {
        r = r.replace('\\', "/");
    }
    if let Some(rest) = r.strip_prefix("//") {
        let end = rest.find(['/', '?']).unwrap_or(rest.len());
        let host = rest[..end].to_ascii_lowercase();
        if host == "localhost" || host == "localhost:80" {
            let path = &rest[end..];
            return join(current, if path.is_empty() { "/" } else { path });
        }
        return format!("http://{rest}");
    }
    join(current, &r)
}

fn stays_in_lab(target: &str) -> bool {
    target.starts_with('/') && !target.starts_with("//")
}

/// The position of the `:` ending a URL scheme (`[A-Za-z][A-Za-z0-9+.-]*:`), if any.
fn scheme_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    for (i, &c) in b.iter().enumerate().skip(1) {
        match c {
            b':' => return Some(i),
            c if c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.') => {}
            _ => return None,
        }
    }
    None
}

/// Joins a relative reference (no scheme, no authority) to the current target.
fn join(current: &str, r: &str) -> String {
    let current_path = current.split('?').next().unwrap_or("/");
    let joined = if r.starts_with('/') {
        r.to_string()
    } else if r.starts_with('?') {
        format!("{current_path}{r}")
    } else if r.is_empty() {
        current.to_string()
    } else {
        let dir = &current_path[..current_path.rfind('/').map_or(0, |i| i + 1)];
        format!("{}{r}", if dir.is_empty() { "/" } else { dir })
    };
    let (path, query) = match joined.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (joined.as_str(), None),
    };
    let mut out = encode(&remove_dots(path), b"\"<>`{} ");
    if let Some(q) = query {
        out.push('?');
        out.push_str(&encode(q, b"\"<>' "));
    }
    out
}

fn remove_dots(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *seg {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                out.pop();
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("/{}", out.join("/"))
}

/// Percent-encodes controls, non-ASCII and the given ASCII bytes (`%` is left alone).
fn encode(s: &str, set: &[u8]) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() && !c.is_ascii_control() && !set.contains(&(c as u8)) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

/// Whitespace collapsed to single spaces, trimmed.
fn collapse(s: &str) -> String {
    s.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}

/// An attribute value as a URL parser sees its scheme: whitespace and controls removed
/// anywhere (browsers strip leading C0 controls and spaces and every tab and newline; this
/// is stricter), lower-cased.
fn url_skeleton(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_lowercase()
}

/// A script URL in any attribute, or a `data:` URL where one navigates or loads.
fn dangerous_url(name: &str, value: &str) -> bool {
    let v = url_skeleton(value);
    v.starts_with("javascript:")
        || v.starts_with("vbscript:")
        || (v.starts_with("data:")
            && matches!(
                name,
                "href" | "src" | "action" | "formaction" | "xlink:href" | "data" | "srcdoc"
            ))
}

// ---------------------------------------------------------------------------------------
// Tokenizer

#[derive(Debug)]
enum Tok {
    /// Text with references decoded.
    Text(String),
    Start {
        name: String,
        attrs: Vec<(String, String)>,
        span: (usize, usize),
    },
    End {
        name: String,
        span: (usize, usize),
    },
    /// A raw-text or RCDATA element (`script`, `style`, `title`...): start tag, content and
    /// end tag in one.
    Raw {
        name: String,
        content: String,
        span: (usize, usize),
    },
    /// A comment, doctype or processing instruction: not rendered.
    Ignored,
}

/// Elements whose content is not markup: up to their end tag, or the end of the body.
const RAW_TEXT: [&str; 9] = [
    "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title",
];

/// Void elements of HTML (no end tag), for matching rejected start tags with their end tags.
const VOID: [&str; 18] = [
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
    "input", "keygen", "link", "meta", "param", "source", "track",
];

fn is_ws(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0C | b'\r' | b' ')
}

fn tokenize(s: &str) -> Vec<Tok> {
    let mut tokens = Vec::new();
    let mut i = 0;
    let mut text_from = 0;
    while let Some(off) = s[i..].find('<') {
        let lt = i + off;
        match markup(s, lt) {
            None => i = lt + 1,
            Some((tok, next)) => {
                if text_from < lt {
                    tokens.push(Tok::Text(decode(&s[text_from..lt], false)));
                }
                tokens.push(tok);
                i = next;
                text_from = next;
            }
        }
    }
    if text_from < s.len() {
        tokens.push(Tok::Text(decode(&s[text_from..], false)));
    }
    tokens
}

/// The markup starting with the `<` at `lt`, and where it ends; `None` when the `<` is text.
fn markup(s: &str, lt: usize) -> Option<(Tok, usize)> {
    let b = s.as_bytes();
    let len = s.len();
    match *b.get(lt + 1)? {
        c if c.is_ascii_alphabetic() => {
            // End of input inside a tag: a browser drops the tag.
            let Some(tag) = parse_tag(s, lt + 1) else {
                return Some((Tok::Ignored, len));
            };
            if tag.name == "plaintext" {
                return Some((
                    Tok::Raw {
                        name: tag.name,
                        content: s[tag.end..].to_string(),
                        span: (lt, len),
                    },
                    len,
                ));
            }
            if RAW_TEXT.contains(&tag.name.as_str()) {
                let (content_end, end) = find_end_tag(s, tag.end, &tag.name);
                let raw = &s[tag.end..content_end];
                let content = if matches!(tag.name.as_str(), "title" | "textarea") {
                    decode(raw, false)
                } else {
                    raw.to_string()
                };
                return Some((
                    Tok::Raw {
                        name: tag.name,
                        content,
                        span: (lt, end),
                    },
                    end,
                ));
            }
            Some((
                Tok::Start {
                    name: tag.name,
                    attrs: tag.attrs,
                    span: (lt, tag.end),
                },
                tag.end,
            ))
        }
        b'/' => match *b.get(lt + 2)? {
            c if c.is_ascii_alphabetic() => match parse_tag(s, lt + 2) {
                None => Some((Tok::Ignored, len)),
                Some(tag) => Some((
                    Tok::End {
                        name: tag.name,
                        span: (lt, tag.end),
                    },
                    tag.end,
                )),
            },
            b'>' => Some((Tok::Ignored, lt + 3)),
            _ => Some((Tok::Ignored, after_gt(s, lt + 2))),
        },
        b'!' => {
            if s[lt + 2..].starts_with("--") {
                Some((Tok::Ignored, comment_end(s, lt + 4)))
            } else {
                Some((Tok::Ignored, after_gt(s, lt + 2)))
            }
        }
        b'?' => Some((Tok::Ignored, after_gt(s, lt + 2))),
        _ => None,
    }
}

/// Just past the next `>` from `from`, or the end.
fn after_gt(s: &str, from: usize) -> usize {
    s[from..].find('>').map_or(s.len(), |i| from + i + 1)
}

/// The end of a comment whose text starts at `from` (after `<!--`).
fn comment_end(s: &str, from: usize) -> usize {
    let rest = &s[from..];
    if rest.starts_with('>') {
        return from + 1;
    }
    if rest.starts_with("->") {
        return from + 2;
    }
    let mut i = from;
    while let Some(off) = s[i..].find("--") {
        let p = i + off;
        if s[p + 2..].starts_with('>') {
            return p + 3;
        }
        if s[p + 2..].starts_with("!>") {
            return p + 4;
        }
        i = p + 1;
    }
    s.len()
}

/// For a raw-text element whose content starts at `from`: where its content ends and where
/// its end tag ends (both the end of input when there is no end tag).
fn find_end_tag(s: &str, from: usize, name: &str) -> (usize, usize) {
    let b = s.as_bytes();
    let mut i = from;
    while let Some(off) = s[i..].find("</") {
        let p = i + off;
        let name_end = p + 2 + name.len();
        let same = b
            .get(p + 2..name_end)
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()));
        if same
            && b.get(name_end)
                .is_some_and(|&c| is_ws(c) || c == b'/' || c == b'>')
        {
            return match parse_tag(s, p + 2) {
                Some(tag) => (p, tag.end),
                None => (p, s.len()),
            };
        }
        i = p + 2;
    }
    (s.len(), s.len())
}

struct ParsedTag {
    name: String,
    attrs: Vec<(String, String)>,
    end: usize,
}

/// A tag from its name (at `i`) to its `>`; `None` when the input ends first. Attribute names
/// are lower-cased, values decoded, and a repeated attribute ignored, as in HTML.
fn parse_tag(s: &str, i: usize) -> Option<ParsedTag> {
    let b = s.as_bytes();
    let len = b.len();
    let mut j = i;
    while j < len && !is_ws(b[j]) && b[j] != b'/' && b[j] != b'>' {
        j += 1;
    }
    let name = s[i..j].to_ascii_lowercase();
    let mut attrs: Vec<(String, String)> = Vec::new();
    let mut seen = HashSet::new();
    loop {
        while j < len && (is_ws(b[j]) || (b[j] == b'/' && b.get(j + 1) != Some(&b'>'))) {
            j += 1;
        }
        if j >= len {
            return None;
        }
        if b[j] == b'>' {
            return Some(ParsedTag {
                name,
                attrs,
                end: j + 1,
            });
        }
        if b[j] == b'/' {
            // "/>": self-closing syntax, meaningless on HTML elements.
            return Some(ParsedTag {
                name,
                attrs,
                end: j + 2,
            });
        }
        // The name's first character may be anything, even `=`. When it is multi-byte,
        // `j += 1` lands inside it, but the scan only stops at ASCII bytes, which never occur
        // inside a UTF-8 sequence, so every slice stays on a character boundary.
        let start = j;
        j += 1;
        while j < len && !is_ws(b[j]) && !matches!(b[j], b'/' | b'>' | b'=') {
            j += 1;
        }
        let attr = s[start..j].to_ascii_lowercase();
        while j < len && is_ws(b[j]) {
            j += 1;
        }
        let mut value = String::new();
        if j < len && b[j] == b'=' {
            j += 1;
            while j < len && is_ws(b[j]) {
                j += 1;
            }
            if j >= len {
                return None;
            }
            match b[j] {
                q @ (b'"' | b'\'') => {
                    let close = s[j + 1..].find(q as char)? + j + 1;
                    value = decode(&s[j + 1..close], true);
                    j = close + 1;
                }
                b'>' => {}
                _ => {
                    let from = j;
                    while j < len && !is_ws(b[j]) && b[j] != b'>' {
                        j += 1;
                    }
                    value = decode(&s[from..j], true);
                }
            }
        }
        if seen.insert(attr.clone()) {
            attrs.push((attr, value));
        }
    }
}

/// Named references the lab decodes: `(name, text, legacy)`, legacy ones also without `;`.
const NAMED: [(&str, &str, bool); 26] = [
    ("amp", "&", true),
    ("AMP", "&", true),
    ("lt", "<", true),
    ("LT", "<", true),
    ("gt", ">", true),
    ("GT", ">", true),
    ("quot", "\"", true),
    ("QUOT", "\"", true),
    ("apos", "'", false),
    ("nbsp", "\u{a0}", true),
    ("copy", "©", true),
    ("COPY", "©", true),
    ("reg", "®", true),
    ("REG", "®", true),
    ("laquo", "«", true),
    ("raquo", "»", true),
    ("middot", "·", true),
    ("times", "×", true),
    ("trade", "™", false),
    ("hellip", "…", false),
    ("mdash", "—", false),
    ("ndash", "–", false),
    ("lsquo", "‘", false),
    ("rsquo", "’", false),
    ("ldquo", "“", false),
    ("rdquo", "”", false),
];

/// Windows-1252 for the numeric references `&#128;`..`&#159;`, as HTML maps them.
const C1: [u32; 32] = [
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
];

/// Decodes character references (`&amp; &lt; &gt; &quot; &#34; &#39; &#NN; &#xHH;` and a few
/// more named ones). In attribute values a legacy reference without `;` followed by a letter,
/// digit or `=` stays as written (`?a=1&copy=2`), as in HTML.
fn decode(s: &str, in_attr: bool) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let mut last = 0;
    while let Some(off) = s[i..].find('&') {
        let amp = i + off;
        out.push_str(&s[last..amp]);
        match reference(s, amp + 1, in_attr) {
            Some((text, next)) => {
                out.push_str(&text);
                i = next;
            }
            None => {
                out.push('&');
                i = amp + 1;
            }
        }
        last = i;
    }
    out.push_str(&s[last..]);
    out
}

/// The reference after an `&` (at `i`), and where it ends.
fn reference(s: &str, i: usize, in_attr: bool) -> Option<(String, usize)> {
    let b = s.as_bytes();
    if b.get(i) == Some(&b'#') {
        let mut j = i + 1;
        let hex = matches!(b.get(j), Some(b'x' | b'X'));
        if hex {
            j += 1;
        }
        let start = j;
        let mut code: u32 = 0;
        while let Some(d) = b
            .get(j)
            .and_then(|&c| (c as char).to_digit(if hex { 16 } else { 10 }))
        {
            code = code
                .saturating_mul(if hex { 16 } else { 10 })
                .saturating_add(d)
                .min(0x11_0000);
            j += 1;
        }
        if j == start {
            return None;
        }
        if b.get(j) == Some(&b';') {
            j += 1;
        }
        let c = match code {
            0x80..=0x9F => char::from_u32(C1[(code - 0x80) as usize]),
            0 => None,
            c => char::from_u32(c),
        }
        .unwrap_or('\u{FFFD}');
        return Some((c.to_string(), j));
    }
    let rest = &s[i..];
    let run = rest
        .bytes()
        .take(32)
        .take_while(u8::is_ascii_alphanumeric)
        .count();
    if run == 0 {
        return None;
    }
    if rest.as_bytes().get(run) == Some(&b';') {
        if let Some((_, text, _)) = NAMED.iter().find(|(n, _, _)| *n == &rest[..run]) {
            return Some((text.to_string(), i + run + 1));
        }
    }
    // Legacy references without `;`: the longest that prefixes the run.
    let (name, text, _) = NAMED
        .iter()
        .filter(|(n, _, legacy)| *legacy && rest.starts_with(n))
        .max_by_key(|(n, _, _)| n.len())?;
    let next = rest.as_bytes().get(name.len()).copied();
    if in_attr && next.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'=') {
        return None;
    }
    Some((text.to_string(), i + name.len()))
}

// ---------------------------------------------------------------------------------------
// Tree builder

struct Open {
    tag: Tag,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
    link: Option<usize>,
    label: Option<usize>,
    /// The form and field a `<button>` is, for its caption.
    button: Option<(usize, usize)>,
}

struct LabelInfo {
    for_id: Option<String>,
    text: String,
    /// The first field inside it (for a label without `for`).
    control: Option<(usize, usize)>,
    claimed: bool,
}

struct Builder<'a> {
    src: &'a str,
    url: &'a str,
    root: Vec<Node>,
    stack: Vec<Open>,
    title: Option<String>,
    links: Vec<Link>,
    forms: Vec<Form>,
    labels: Vec<LabelInfo>,
    /// (form, field, id) of fields with an `id`.
    field_ids: Vec<(usize, usize, String)>,
    unsafe_markup: bool,
    count: usize,
    truncated: bool,
    /// A newline right after `<pre>` is dropped.
    after_pre: bool,
}

impl<'a> Builder<'a> {
    fn new(src: &'a str, url: &'a str) -> Self {
        Builder {
            src,
            url,
            root: Vec::new(),
            stack: Vec::new(),
            title: None,
            links: Vec::new(),
            forms: Vec::new(),
            labels: Vec::new(),
            field_ids: Vec::new(),
            unsafe_markup: false,
            count: 0,
            truncated: false,
            after_pre: false,
        }
    }

    fn run(&mut self, tokens: &[Tok]) {
        let matches = match_end_tags(tokens);
        let mut i = 0;
        while i < tokens.len() {
            if self.count >= MAX_NODES {
                self.truncated = true;
                break;
            }
            let after_pre = std::mem::take(&mut self.after_pre);
            match &tokens[i] {
                Tok::Text(t) => {
                    let t = if after_pre {
                        t.strip_prefix('\n').unwrap_or(t)
                    } else {
                        t
                    };
                    self.text(t);
                }
                Tok::Start { name, attrs, span } => {
                    if let Some(skip_to) = self.start(name, attrs, *span, matches[i], tokens) {
                        i = skip_to;
                    }
                }
                Tok::End { name, span } => self.end(name, *span),
                Tok::Raw {
                    name,
                    content,
                    span,
                } => {
                    if name == "title" {
                        if self.title.is_none() {
                            self.title = Some(collapse(content));
                        }
                    } else {
                        self.unsafe_raw(*span);
                    }
                }
                Tok::Ignored => {}
            }
            i += 1;
        }
    }

    fn finish(mut self) -> Page {
        while !self.stack.is_empty() {
            self.pop();
        }
        while matches!(self.root.last(), Some(Node::Text(t)) if t.trim_matches(is_html_ws).is_empty())
        {
            self.root.pop();
        }
        // Labels: `for` names the first field with that id; otherwise the first field inside.
        for label in &self.labels {
            let control = match &label.for_id {
                Some(id) => self
                    .field_ids
                    .iter()
                    .find(|(_, _, fid)| fid == id)
                    .map(|(f, i, _)| (*f, *i)),
                None => label.control,
            };
            if let Some((f, i)) = control {
                let field = &mut self.forms[f].fields[i];
                if field.label.is_none() && !label.text.is_empty() {
                    field.label = Some(label.text.clone());
                }
            }
        }
        if self.truncated {
            self.root.push(Node::Text(
                "\n[The lab stopped reading this page here: it is too large. View source has all of it.]"
                    .into(),
            ));
        }
        Page {
            title: self.title,
            nodes: self.root,
            unsafe_markup: self.unsafe_markup,
            links: self.links,
            forms: self.forms,
            plain_text: false,
            truncated: self.truncated,
        }
    }

    fn current(&mut self) -> &mut Vec<Node> {
        match self.stack.last_mut() {
            Some(open) => &mut open.children,
            None => &mut self.root,
        }
    }

    fn append(&mut self, node: Node) {
        if let Node::Text(t) = &node {
            if let Some(Node::Text(prev)) = self.current().last_mut() {
                prev.push_str(t);
                return;
            }
        }
        self.count += 1;
        self.current().push(node);
    }

    fn text(&mut self, t: &str) {
        if t.is_empty() {
            return;
        }
        if t.trim_matches(is_html_ws).is_empty() {
            let skip = match self.stack.last() {
                None => self.root.is_empty(),
                Some(open) => matches!(open.tag, Tag::Ul | Tag::Ol),
            };
            if skip {
                return;
            }
        }
        self.append(Node::Text(t.to_string()));
    }

    fn unsafe_raw(&mut self, (from, to): (usize, usize)) {
        self.unsafe_markup = true;
        self.append(Node::Unsafe {
            raw: self.src[from..to].to_string(),
        });
    }

    /// A start tag; returns the token index to continue after when it swallowed a span.
    fn start(
        &mut self,
        name: &str,
        attrs: &[(String, String)],
        span: (usize, usize),
        matching_end: Option<usize>,
        tokens: &[Tok],
    ) -> Option<usize> {
        if matches!(name, "html" | "head" | "body") {
            return None;
        }
        let tag = Tag::from_name(name).filter(|&t| safe_attrs(t, attrs));
        let Some(tag) = tag else {
            // Not rendered: the element, from its start tag to its end tag when it has one.
            return match matching_end {
                Some(j) => {
                    let end = match &tokens[j] {
                        Tok::End { span, .. } => span.1,
                        _ => span.1,
                    };
                    self.unsafe_raw((span.0, end));
                    Some(j)
                }
                None => {
                    self.unsafe_raw(span);
                    None
                }
            };
        };
        self.open(tag, attrs);
        None
    }

    fn open(&mut self, tag: Tag, attrs: &[(String, String)]) {
        if tag.closes_p() {
            self.close_p();
        }
        match tag {
            Tag::H1 | Tag::H2 | Tag::H3
                if self.stack.last().is_some_and(|o| o.tag.is_heading()) =>
            {
                self.pop();
            }
            Tag::Li => {
                for idx in (0..self.stack.len()).rev() {
                    let t = self.stack[idx].tag;
                    if t == Tag::Li {
                        self.pop_to(idx);
                        break;
                    }
                    if t.is_special() && !matches!(t, Tag::Div | Tag::P) {
                        break;
                    }
                }
            }
            Tag::A => {
                if let Some(idx) = self.stack.iter().rposition(|o| o.tag == Tag::A) {
                    self.pop_to(idx);
                }
            }
            Tag::Button => {
                if let Some(idx) = self.stack.iter().rposition(|o| o.tag == Tag::Button) {
                    self.pop_to(idx);
                }
            }
            // A form inside a form is ignored, as in HTML.
            Tag::Form if self.stack.iter().any(|o| o.tag == Tag::Form) => return,
            _ => {}
        }
        if !tag.is_void() && self.stack.len() >= MAX_DEPTH {
            return;
        }
        let get = |n: &str| attrs.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
        let mut kept: Vec<(String, String)> = attrs
            .iter()
            .filter(|(k, _)| tag.keeps_attr(k))
            .cloned()
            .collect();
        let mut open = Open {
            tag,
            attrs: Vec::new(),
            children: Vec::new(),
            link: None,
            label: None,
            button: None,
        };
        match tag {
            Tag::A => {
                if let Some(href) = get("href") {
                    let i = self.links.len();
                    self.links.push(Link {
                        href: href.to_string(),
                        target: resolve_url(self.url, href),
                        text: String::new(),
                    });
                    kept.push(("data-link".into(), i.to_string()));
                    open.link = Some(i);
                }
            }
            Tag::Form => {
                let i = self.forms.len();
                let method = if get("method").is_some_and(|m| m.eq_ignore_ascii_case("post")) {
                    "POST"
                } else {
                    "GET"
                };
                self.forms.push(Form {
                    action: resolve_url(self.url, get("action").unwrap_or("")),
                    method: method.into(),
                    fields: Vec::new(),
                });
                kept.push(("data-form".into(), i.to_string()));
            }
            Tag::Input | Tag::Button => {
                if let Some(f) = self.form_owner() {
                    let field = make_field(tag, &get);
                    let i = self.forms[f].fields.len();
                    self.forms[f].fields.push(field);
                    kept.push(("data-form".into(), f.to_string()));
                    kept.push(("data-field".into(), i.to_string()));
                    if let Some(id) = get("id") {
                        self.field_ids.push((f, i, id.to_string()));
                    }
                    if let Some(l) = self.stack.iter().rev().find_map(|o| o.label) {
                        let label = &mut self.labels[l];
                        if !label.claimed {
                            label.claimed = true;
                            label.control = Some((f, i));
                        }
                    }
                    if tag == Tag::Button {
                        open.button = Some((f, i));
                    }
                } else if let Some(l) = self.stack.iter().rev().find_map(|o| o.label) {
                    // A control outside any form still is the label's control.
                    self.labels[l].claimed = true;
                }
            }
            Tag::Label => {
                open.label = Some(self.labels.len());
                self.labels.push(LabelInfo {
                    for_id: get("for").map(str::to_string),
                    text: String::new(),
                    control: None,
                    claimed: false,
                });
            }
            _ => {}
        }
        open.attrs = kept;
        if tag.is_void() {
            self.append(Node::Element {
                tag,
                attrs: open.attrs,
                children: Vec::new(),
            });
        } else {
            self.count += 1;
            self.after_pre = tag == Tag::Pre;
            self.stack.push(open);
        }
    }

    /// The form a control belongs to: the innermost open form.
    fn form_owner(&self) -> Option<usize> {
        self.stack
            .iter()
            .rev()
            .find(|o| o.tag == Tag::Form)
            .and_then(|o| {
                o.attrs
                    .iter()
                    .find(|(k, _)| k == "data-form")
                    .and_then(|(_, v)| v.parse().ok())
            })
    }

    fn close_p(&mut self) {
        for idx in (0..self.stack.len()).rev() {
            match self.stack[idx].tag {
                Tag::P => {
                    self.pop_to(idx);
                    return;
                }
                Tag::Button => return,
                _ => {}
            }
        }
    }

    fn pop_to(&mut self, idx: usize) {
        while self.stack.len() > idx {
            self.pop();
        }
    }

    fn pop(&mut self) {
        let Some(open) = self.stack.pop() else { return };
        let node = Node::Element {
            tag: open.tag,
            attrs: open.attrs,
            children: open.children,
        };
        if open.link.is_some() || open.label.is_some() || open.button.is_some() {
            let text = collapse(&node.text_content());
            if let Some(i) = open.link {
                self.links[i].text = text.clone();
            }
            if let Some(l) = open.label {
                self.labels[l].text = text.clone();
            }
            if let Some((f, i)) = open.button {
                let field = &mut self.forms[f].fields[i];
                if field.label.is_none() && !text.is_empty() {
                    field.label = Some(text);
                }
            }
        }
        // Counted when opened.
        self.current().push(node);
    }

    fn end(&mut self, name: &str, span: (usize, usize)) {
        match name {
            "html" | "head" | "body" => return,
            // `</br>` is a `<br>`, as in HTML.
            "br" => {
                self.open(Tag::Br, &[]);
                return;
            }
            _ => {}
        }
        let Some(tag) = Tag::from_name(name) else {
            self.unsafe_raw(span);
            return;
        };
        for idx in (0..self.stack.len()).rev() {
            let open = self.stack[idx].tag;
            if open == tag {
                self.pop_to(idx);
                return;
            }
            if open.is_special() && !tag.is_formatting() {
                return;
            }
        }
    }
}

fn is_html_ws(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0C' | '\r' | ' ')
}

/// Whether a whitelisted element may be rendered with these attributes: no event handler,
/// no `style`, no script URL anywhere, no image input.
fn safe_attrs(tag: Tag, attrs: &[(String, String)]) -> bool {
    let bad = attrs
        .iter()
        .any(|(k, v)| k.starts_with("on") || k == "style" || dangerous_url(k, v));
    let image = tag == Tag::Input
        && attrs
            .iter()
            .any(|(k, v)| k == "type" && v.eq_ignore_ascii_case("image"));
    !bad && !image
}

fn make_field<'v>(tag: Tag, get: &dyn Fn(&str) -> Option<&'v str>) -> Field {
    let ty = get("type").map(str::to_ascii_lowercase);
    let kind = match (tag, ty.as_deref()) {
        (Tag::Button, Some("button" | "reset")) => ty.clone().unwrap_or_default(),
        (Tag::Button, _) => "submit".to_string(),
        (
            _,
            Some(
                k @ ("text" | "password" | "hidden" | "submit" | "button" | "reset" | "checkbox"
                | "radio" | "email" | "search" | "tel" | "url" | "number" | "date" | "time"
                | "datetime-local" | "month" | "week" | "color" | "range" | "file"),
            ),
        ) => k.to_string(),
        _ => "text".to_string(),
    };
    let value = match (tag, kind.as_str(), get("value")) {
        (_, _, Some(v)) => v.to_string(),
        (Tag::Input, "submit", None) => DEFAULT_SUBMIT_LABEL.to_string(),
        (Tag::Input, "checkbox" | "radio", None) => "on".to_string(),
        _ => String::new(),
    };
    let label = match (tag, kind.as_str()) {
        (Tag::Input, "submit" | "button" | "reset") => Some(match get("value") {
            Some(v) => v.to_string(),
            None if kind == "reset" => "Reset".to_string(),
            None if kind == "submit" => DEFAULT_SUBMIT_LABEL.to_string(),
            None => String::new(),
        }),
        _ => None,
    };
    Field {
        name: get("name").unwrap_or("").to_string(),
        value,
        label,
        placeholder: get("placeholder").map(str::to_string),
        hidden: kind == "hidden" || get("hidden").is_some(),
        checked: get("checked").is_some(),
        disabled: get("disabled").is_some(),
        kind,
    }
}

/// For each start token, the index of the end tag of the same name that closes it, counting
/// nesting of that name (raw-text elements and void names excluded).
fn match_end_tags(tokens: &[Tok]) -> Vec<Option<usize>> {
    let mut out = vec![None; tokens.len()];
    let mut open: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, tok) in tokens.iter().enumerate() {
        match tok {
            Tok::Start { name, .. } if !VOID.contains(&name.as_str()) => {
                open.entry(name.as_str()).or_default().push(i);
            }
            Tok::End { name, .. } => {
                if let Some(start) = open.get_mut(name.as_str()).and_then(Vec::pop) {
                    out[start] = Some(i);
                }
            }
            _ => {}
        }
    }
    out
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
    fn character_references() {
        let cases = [
            ("&amp;&lt;&gt;&quot;&#34;&#39;", "&<>\"\"'"),
            ("&#65;&#x42;&#X43;&#68", "ABCD"),
            (
                "&#0;&#xD800;&#x110000;&#99999999999;",
                "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}",
            ),
            ("&#128;&#x9f;", "€Ÿ"),
            ("&amp &ampx &nosuch; & &#; &#x;", "& &x &nosuch; & &#; &#x;"),
            ("&nbsp;&copy", "\u{a0}©"),
        ];
        for (src, want) in cases {
            assert_eq!(decode(src, false), want, "{src}");
        }
        assert_eq!(decode("/x?a=1&copy=2&amp;b", true), "/x?a=1&copy=2&b");
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
            ("/a", "/\\evil.example", "http://evil.example"),
            ("/a", " /x y\n", "/x%20y"),
            ("/a", "/é?q=é", "/%C3%A9?q=%C3%A9"),
            ("/a", "None", "/None"),
            ("/a", "mailto:x@y", "mailto:x@y"),
        ];
        for (cur, r, want) in cases {
            assert_eq!(resolve_url(cur, r), want, "{cur} + {r}");
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
