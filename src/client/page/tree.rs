//! The tree builder: tokens into the page's [`Node`] tree, keeping the whitelisted elements
//! and attributes, turning anything else into [`Node::Unsafe`], and indexing links, forms and
//! their fields.

use super::tokenizer::{Tok, VOID};
use super::url::{dangerous_url, resolve_url};
use super::{
    collapse, Field, Form, Link, Node, Page, Tag, DEFAULT_SUBMIT_LABEL, MAX_DEPTH, MAX_NODES,
};

pub(super) struct Open {
    tag: Tag,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
    link: Option<usize>,
    label: Option<usize>,
    /// The form and field a `<button>` is, for its caption.
    button: Option<(usize, usize)>,
}

pub(super) struct LabelInfo {
    for_id: Option<String>,
    text: String,
    /// The first field inside it (for a label without `for`).
    control: Option<(usize, usize)>,
    claimed: bool,
}

pub(super) struct Builder<'a> {
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
    pub(super) truncated: bool,
    /// A newline right after `<pre>` is dropped.
    after_pre: bool,
}

impl<'a> Builder<'a> {
    pub(super) fn new(src: &'a str, url: &'a str) -> Self {
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

    pub(super) fn run(&mut self, tokens: &[Tok]) {
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

    pub(super) fn finish(mut self) -> Page {
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

pub(super) fn is_html_ws(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0C' | '\r' | ' ')
}

/// Whether a whitelisted element may be rendered with these attributes: no event handler,
/// no `style`, no script URL anywhere, no image input.
pub(super) fn safe_attrs(tag: Tag, attrs: &[(String, String)]) -> bool {
    let bad = attrs
        .iter()
        .any(|(k, v)| k.starts_with("on") || k == "style" || dangerous_url(k, v));
    let image = tag == Tag::Input
        && attrs
            .iter()
            .any(|(k, v)| k == "type" && v.eq_ignore_ascii_case("image"));
    !bad && !image
}

pub(super) fn make_field<'v>(tag: Tag, get: &dyn Fn(&str) -> Option<&'v str>) -> Field {
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
pub(super) fn match_end_tags(tokens: &[Tok]) -> Vec<Option<usize>> {
    let mut out = vec![None; tokens.len()];
    // Names only ever match their own kind, so each name's tags are matched on their own: the
    // tags sorted by name (a stable sort keeps each name's tags in page order), then one stack
    // per run of a name. n log n for a hostile page of thousands of distinct names, where a
    // lookup among the names seen so far was quadratic (and a map type of its own would add
    // its code to the bundle).
    let tags: Vec<(&str, usize, bool)> = tokens
        .iter()
        .enumerate()
        .filter_map(|(i, tok)| match tok {
            Tok::Start { name, .. } if !VOID.contains(&name.as_str()) => {
                Some((name.as_str(), i, true))
            }
            Tok::End { name, .. } => Some((name.as_str(), i, false)),
            _ => None,
        })
        .collect();
    // The crate's one copy of a stable sort, over positions.
    let order = crate::client::jar::sort_order(tags.len(), &|a, b| tags[a].0.cmp(tags[b].0));
    let mut starts: Vec<usize> = Vec::new();
    let mut previous: Option<&str> = None;
    for &(name, i, is_start) in order.iter().map(|&k| &tags[k]) {
        if previous != Some(name) {
            starts.clear();
            previous = Some(name);
        }
        if is_start {
            starts.push(i);
        } else if let Some(start) = starts.pop() {
            out[start] = Some(i);
        }
    }
    out
}
