//! The wire: every request, newest first, with the `Cookie` it carried, the `Set-Cookie`,
//! `Location` and `Vary` that came back, and what the server made of the cookie.

use crate::lab::view::{session_headers, verdict_line};
use crate::lab::{BrowserId, Exchange};
use crate::ui::components::browser_pane::status_class;
use crate::ui::lab_context::use_lab;
use yew::prelude::*;

#[function_component(WirePane)]
pub fn wire_pane() -> Html {
    let log: Vec<Exchange> = use_lab().with(|l| l.log.clone()).unwrap_or_default();
    html! {
        <section class="panel wire" aria-label="The wire">
            <h2>{ "The wire" }</h2>
            if log.is_empty() {
                <p class="empty">{ "No requests yet." }</p>
            }
            <ol class="log" reversed=true>
                { for log.iter().rev().map(exchange_view) }
            </ol>
        </section>
    }
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
                { for header_lines.iter().map(|(k, v)| format!("{k}: {v}\n")) }
            </pre>
            if let Some(v) = verdict_line(ex) {
                <div class="note verdict">{ v }</div>
            }
            if !ex.form.is_empty() {
                <div class="muted mono">{ format!("form: {}", ex.form.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")) }</div>
            }
            // The HttpOnly caveat is shown once, in the jar, not on every exchange.
            { for ex.jar_notes.iter().filter(|n| !n.starts_with("HttpOnly")).map(|n| html! { <div class="note">{ n.clone() }</div> }) }
            { for ex.response.log.iter().map(|n| html! { <div class="note server">{ format!("server log: {n}") }</div> }) }
        </li>
    }
}
