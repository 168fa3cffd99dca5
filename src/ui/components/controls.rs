//! The lab's controls: the clock, closing and reopening the browser, clearing cookies, the
//! second browser.

use crate::lab::view::duration;
use crate::lab::BrowserId;
use crate::ui::components::clock::{Clock, Clocked};
use crate::ui::lab_context::LabHandle;
use yew::prelude::*;

/// A plain function of the scenario's view, which re-renders with the lab as these would: a
/// component of their own would only add its machinery to the bundle.
pub fn controls(lab: &LabHandle) -> Html {
    let offset = lab.with(|l| l.offset).unwrap_or(0);
    let advance = |secs: i64| {
        let lab = lab.clone();
        Callback::from(move |_| lab.advance(secs))
    };
    let reset = {
        let lab = lab.clone();
        Callback::from(move |_| lab.reset_clock())
    };
    let restart = {
        let lab = lab.clone();
        Callback::from(move |_| lab.restart_browser(BrowserId::Main))
    };
    let clear = {
        let lab = lab.clone();
        Callback::from(move |_| lab.clear_cookies(BrowserId::Main))
    };
    let second_open = lab.with(|l| l.second.is_some()).unwrap_or(false);
    let toggle_second = {
        let lab = lab.clone();
        Callback::from(move |_| {
            if second_open {
                lab.close_second()
            } else {
                lab.open_second()
            }
        })
    };
    html! {
        <div class="controls" role="toolbar" aria-label="Lab controls">
            <span class="clock" title="The lab clock">
                { "Now: " }<Clock show={Clocked::Now} />
                if offset > 0 { <span class="badge">{ format!("+{}", duration(offset)) }</span> }
            </span>
            { button("clock-1m", advance(60), "+1 min") }
            { button("clock-5m", advance(5 * 60), "+5 min") }
            { button("clock-1d", advance(86_400), "+1 day") }
            { button("clock-31d", advance(31 * 86_400), "+31 days") }
            { button("clock-reset", reset, "Reset clock") }
            { button("restart-browser", restart, "Close and reopen the browser") }
            <button onclick={clear}>{ "Clear cookies" }</button>
            <button onclick={toggle_second}>{ if second_open { "Close second browser" } else { "Open a second browser" } }</button>
        </div>
    }
}

/// `<button id={id} {onclick}>{ label }</button>`: one copy of the element's code for the
/// toolbar's buttons.
fn button(id: &'static str, onclick: Callback<MouseEvent>, label: &'static str) -> Html {
    html! { <button {id} {onclick}>{ label }</button> }
}
