//! The page the mock server answered, rendered from the structured page model
//! ([`crate::client::page`]): text is always text, only whitelisted elements become elements, and
//! markup a real browser would run (the unescaped name on seed 003's `/user`) is shown as
//! literal text with a warning. Links and forms send their requests to the mock server. The
//! page is drawn in the theme the session asks for ([`page_theme`]).

use crate::client::page::{explain_unsafe, submitted_values, Node, Page, Tag};
use crate::lab::view::page_theme;
use crate::lab::BrowserId;
use crate::ui::lab_context::LabHandle;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;
use yew::virtual_dom::{AttributeOrProperty, Attributes, VTag};

/// The page of `browser`'s current exchange, parsed once (a logged exchange never changes, so
/// not on every render): a hook of the browser pane, which re-renders with the lab as this
/// page would, so the page needs no component of its own.
#[hook]
pub fn use_page(lab: &LabHandle, exchange: Option<usize>) -> Rc<Page> {
    let lab = lab.clone();
    use_memo(exchange, move |i| {
        i.and_then(|i| lab.with(|l| l.log.get(i).map(|e| e.page())).flatten())
            .unwrap_or_default()
    })
}

/// The page, drawn for `browser`.
pub fn page_view(lab: &LabHandle, browser: BrowserId, page: &Page) -> Html {
    let theme = lab.with(|l| page_theme(l, browser)).flatten();
    let ctx = RenderCtx {
        lab: lab.clone(),
        browser,
        page: page.clone(),
    };
    html! {
        <div class={classes!("mock-page", theme.map(|t| format!("theme-{t}")))}>
            if let Some(title) = &page.title {
                <div class="mock-title">{ title.clone() }</div>
            }
            if page.unsafe_markup {
                <p class="unsafe-banner" role="note">{ "This page contains markup the server did not escape. \
                    A real browser would render and run it; the lab shows it as text (marked below)." }</p>
            }
            { for page.nodes.iter().map(|n| render(&ctx, n)) }
        </div>
    }
}

#[derive(Clone)]
struct RenderCtx {
    lab: LabHandle,
    browser: BrowserId,
    page: Page,
}

fn render(ctx: &RenderCtx, node: &Node) -> Html {
    match node {
        Node::Text(t) => html! { { t.clone() } },
        Node::Unsafe { raw } => html! {
            <span class="unsafe" title={explain_unsafe(raw)}>
                <code>{ raw.clone() }</code>
                <span class="badge warn">{ "not rendered" }</span>
                <small class="unsafe-why">{ explain_unsafe(raw) }</small>
            </span>
        },
        Node::Element {
            tag,
            attrs,
            children,
        } => {
            let kids: Html = children.iter().map(|c| render(ctx, c)).collect();
            match tag {
                Tag::A => link(ctx, node, kids),
                Tag::Form => form(ctx, node, kids),
                _ => element(*tag, attrs, kids),
            }
        }
    }
}

/// The page model's attribute names, as Yew's keys for an element's attributes; the model
/// keeps no others.
const NAMES: [&str; 19] = [
    "id",
    "class",
    "title",
    "lang",
    "hidden",
    "href",
    "action",
    "method",
    "type",
    "name",
    "placeholder",
    "checked",
    "disabled",
    "for",
    "data-link",
    "data-form",
    "data-field",
    "value",
    "autocomplete",
];

/// Any other whitelisted element, with its whitelisted attributes. The attributes are a value
/// (or none) for each of [`NAMES`], Yew's dynamic attribute list, rather than a map built at
/// run time: no map code of its own in the bundle.
fn element(tag: Tag, attrs: &[(String, String)], kids: Html) -> Html {
    let mut values: Box<[Option<AttributeOrProperty>]> = vec![None; NAMES.len()].into();
    for (k, v) in attrs {
        // `value` goes in as the attribute, not the property: it is the control's initial
        // value, and re-renders (the clock ticks every second) leave what was typed alone.
        // A repeated name keeps its last value, as in a map.
        if let Some(i) = NAMES.iter().position(|n| n == k) {
            values[i] = Some(AttributeOrProperty::Attribute(AttrValue::from(v.clone())));
        }
    }
    let mut vtag = VTag::new(tag.name());
    vtag.set_attributes(Attributes::Dynamic {
        keys: &NAMES,
        values,
    });
    if !tag.is_void() {
        vtag.add_child(kids);
    }
    vtag.into()
}

fn link(ctx: &RenderCtx, node: &Node, kids: Html) -> Html {
    let index: Option<usize> = node.attr("data-link").and_then(|i| i.parse().ok());
    let Some(l) = index.and_then(|i| ctx.page.links.get(i)).cloned() else {
        return html! { <span>{ kids }</span> };
    };
    let onclick = {
        let (lab, browser, target) = (ctx.lab.clone(), ctx.browser, l.target.clone());
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            lab.navigate(browser, &target);
        })
    };
    if l.stays_in_lab() {
        html! { <a href={format!("#{}", l.target)} {onclick}>{ kids }</a> }
    } else {
        html! { <span class="offsite" title="A link off the mock server: the lab does not follow it.">{ kids }{ format!(" ({})", l.target) }</span> }
    }
}

fn form(ctx: &RenderCtx, node: &Node, kids: Html) -> Html {
    let index: Option<usize> = node.attr("data-form").and_then(|i| i.parse().ok());
    let Some((fi, f)) = index.and_then(|i| ctx.page.forms.get(i).map(|f| (i, f.clone()))) else {
        return html! { <div>{ kids }</div> };
    };
    let onsubmit = {
        let (lab, browser) = (ctx.lab.clone(), ctx.browser);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(form_el) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
                return;
            };
            // What the learner typed, field by field.
            let mut edits = Vec::new();
            for (i, field) in f.fields.iter().enumerate() {
                // Buttons submit their own value (or default label), not what the DOM says.
                if matches!(field.kind.as_str(), "submit" | "button" | "reset") {
                    continue;
                }
                let selector = format!("[data-field=\"{i}\"]");
                if let Ok(Some(el)) = form_el.query_selector(&selector) {
                    if let Ok(input) = el.dyn_into::<HtmlInputElement>() {
                        edits.push((field.name.clone(), input.value()));
                    }
                }
            }
            let submitter = e
                .submitter()
                .and_then(|s| s.get_attribute("data-field"))
                .and_then(|i| i.parse().ok())
                .or_else(|| f.default_button());
            let values = submitted_values(&f, &edits, submitter);
            if f.stays_in_lab() {
                lab.submit(browser, &f.method, &f.action, values);
            }
        })
    };
    html! {
        <form data-form={fi.to_string()} {onsubmit}>{ kids }</form>
    }
}
