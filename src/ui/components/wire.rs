//! The wire: every request, newest first, with the `Cookie` it carried, the `Set-Cookie`,
//! `Location` and `Vary` that came back, and what the server made of the cookie.
//!
//! It shows a page of the log at a time ([`PAGE_SIZE`] exchanges, the newest first, with
//! "Newer" and "Older" to move), each exchange a keyed [`ExchangeRow`]: an exchange never
//! changes once logged, so a new request renders one new row and leaves the others alone.

use crate::lab::view::{
    form_line, log_page, log_page_moved, session_headers, verdict_line, PAGE_SIZE,
};
use crate::lab::{BrowserId, Exchange};
use crate::ui::components::browser_pane::status_class;
use crate::ui::components::pager::pager;
use crate::ui::lab_context::use_lab;
use crate::ui::renders;
use std::rc::Rc;
use yew::prelude::*;

#[function_component(WirePane)]
pub fn wire_pane() -> Html {
    renders::count("wire");
    let lab = use_lab();
    // The exchange at the top of the page: `None` follows the newest.
    let top = use_state(|| None::<usize>);
    // The exchanges on the page, shared with their rows (an exchange never changes), for this
    // lab's epoch.
    let shown = use_mut_ref(|| (0u64, Vec::<Rc<Exchange>>::new()));
    let len = lab.with(|l| l.log.len()).unwrap_or(0);
    let (ids, paging) = log_page(len, *top, PAGE_SIZE);
    let rows: Vec<Rc<Exchange>> = {
        let mut shown = shown.borrow_mut();
        if shown.0 != lab.epoch() {
            *shown = (lab.epoch(), Vec::new());
        }
        let cache = &mut shown.1;
        // An exchange's id is its place in the log; a page is at most PAGE_SIZE of them, so
        // a linear search costs nothing next to rendering.
        let rows: Vec<Rc<Exchange>> = lab
            .with(|l| {
                ids.iter()
                    .map(|&i| match cache.iter().find(|e| e.id == i) {
                        Some(e) => e.clone(),
                        None => Rc::new(l.log[i].clone()),
                    })
                    .collect()
            })
            .unwrap_or_default();
        cache.clone_from(&rows);
        rows
    };
    let move_page = |older: bool| {
        let top = top.clone();
        Callback::from(move |_: MouseEvent| top.set(log_page_moved(len, *top, PAGE_SIZE, older)))
    };
    html! {
        <section class="panel wire" aria-label="The wire">
            <h2>{ "The wire" }</h2>
            if rows.is_empty() {
                <p class="empty">{ "No requests yet." }</p>
            }
            if paging.total > PAGE_SIZE {
                { pager(paging, "entries", "the wire", move_page(false), move_page(true)) }
            }
            <ol class="log" reversed=true start={ids.first().map(|i| (i + 1).to_string())}>
                { for rows.into_iter().map(|ex| html! { <ExchangeRow key={ex.id} exchange={ex.clone()} /> }) }
            </ol>
        </section>
    }
}

#[derive(Properties)]
pub struct ExchangeRowProps {
    pub exchange: Rc<Exchange>,
}

/// The same logged exchange: it never changes, so the row never renders again.
impl PartialEq for ExchangeRowProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.exchange, &other.exchange)
    }
}

/// One exchange of the wire.
#[function_component(ExchangeRow)]
pub fn exchange_row(props: &ExchangeRowProps) -> Html {
    renders::count("exchange-row");
    exchange_view(&props.exchange)
}

fn exchange_view(ex: &Exchange) -> Html {
    let header_lines = session_headers(ex);
    let who = match ex.browser {
        BrowserId::Main => "",
        BrowserId::Second => " (second browser)",
    };
    html! {
        <li class={classes!("exchange", ex.redirected_from.map(|_| "redirected"))}>
            <div class="request-line">
                <span class="method">{ ex.method.clone() }</span>
                <span class="target mono">{ ex.target.clone() }</span>
                <span class={status_class(ex.status())}>{ ex.status() }</span>
                <span class="muted">{ who }</span>
                if let Some(from) = ex.redirected_from {
                    <span class="muted">{ format!(" ← redirect from #{}", from + 1) }</span>
                }
            </div>
            <pre class="headers">
                { format!("Cookie: {}\n", ex.cookie.clone().unwrap_or_else(|| "(none)".into())) }
                if let Some(agent) = &ex.user_agent { { format!("User-Agent: {agent}\n") } }
                { for header_lines.iter().map(|(k, v)| format!("{k}: {v}\n")) }
            </pre>
            if let Some(v) = verdict_line(ex) {
                <div class="note verdict">{ v }</div>
            }
            if !ex.form.is_empty() {
                <div class="muted mono">{ form_line(ex) }</div>
            }
            // The HttpOnly caveat is shown once, in the jar, not on every exchange.
            { for ex.jar_notes.iter().filter(|n| !n.starts_with("HttpOnly")).map(|n| html! { <div class="note">{ n.clone() }</div> }) }
            { for ex.response.log.iter().map(|n| html! { <div class="note server">{ format!("server log: {n}") }</div> }) }
        </li>
    }
}
