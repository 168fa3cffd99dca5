//! A browser: the address bar with back, forward and reload, and the page the mock server
//! answered (or its source).

use crate::lab::BrowserId;
use crate::ui::components::page_view::{page_view, use_page};
use crate::ui::lab_context::{use_lab, LabHandle};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct BrowserProps {
    pub browser: BrowserId,
}

#[function_component(BrowserPane)]
pub fn browser_pane(props: &BrowserProps) -> Html {
    let lab = &use_lab();
    let id = props.browser;
    let address = use_node_ref();
    let view_source = use_state(|| false);
    let (location, page, back, forward) = lab
        .with(|l| {
            let tab = l.tab(id);
            let location = tab.and_then(|t| t.location()).unwrap_or("").to_string();
            let page = tab.and_then(|t| t.page).map(|i| l.log[i].clone());
            (
                location,
                page,
                tab.is_some_and(|t| t.can_go_back()),
                tab.is_some_and(|t| t.can_go_forward()),
            )
        })
        .unwrap_or_default();
    let parsed = use_page(lab, page.as_ref().map(|ex| ex.id));
    {
        // The address bar shows where the browser is after each navigation, and is otherwise
        // left to the learner's typing (the pane re-renders whenever the lab changes).
        let address = address.clone();
        use_effect_with(location.clone(), move |location| {
            if let Some(input) = address.cast::<HtmlInputElement>() {
                input.set_value(location);
            }
        });
    }
    let go = {
        let (lab, address) = (lab.clone(), address.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(input) = address.cast::<HtmlInputElement>() {
                lab.navigate(id, &input.value());
            }
        })
    };
    let nav = |f: fn(&LabHandle, BrowserId)| {
        let lab = lab.clone();
        Callback::from(move |_| f(&lab, id))
    };
    let toggle_source = {
        let view_source = view_source.clone();
        Callback::from(move |_| view_source.set(!*view_source))
    };
    let label = match id {
        BrowserId::Main => "The browser",
        BrowserId::Second => "A second browser",
    };
    html! {
        <section class="panel browser" aria-label={label}>
            <h2>{ label }</h2>
            <form class="address" onsubmit={go}>
                <button type="button" aria-label="Back" disabled={!back} onclick={nav(|l, b| l.back(b))}>{ "←" }</button>
                <button type="button" aria-label="Forward" disabled={!forward} onclick={nav(|l, b| l.forward(b))}>{ "→" }</button>
                <button type="button" aria-label="Reload" onclick={nav(|l, b| l.reload(b))}>{ "⟳" }</button>
                <span class="origin">{ "http://localhost" }</span>
                <input ref={address} class="mono" aria-label="Address" />
                <button type="submit">{ "Go" }</button>
            </form>
            <div class="viewport">
                if let Some(ex) = page {
                    <div class="page-meta">
                        <span class={status_class(ex.status())}>{ ex.response.status_line() }</span>
                        <button type="button" class="link" onclick={toggle_source}>
                            { if *view_source { "Show page" } else { "View source" } }
                        </button>
                    </div>
                    if *view_source {
                        <pre class="source">{ ex.response.body.clone() }</pre>
                    } else {
                        { page_view(lab, id, &parsed) }
                    }
                } else {
                    <p class="empty">{ "Type a path and press Enter." }</p>
                }
            </div>
        </section>
    }
}

pub(crate) fn status_class(status: u16) -> &'static str {
    match status {
        200..=299 => "status ok",
        300..=399 => "status redirect",
        _ => "status error",
    }
}
