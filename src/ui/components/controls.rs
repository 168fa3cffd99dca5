//! The lab's controls: the clock, closing and reopening the browser, clearing cookies, the
//! second browser.

use crate::lab::view::duration;
use crate::lab::BrowserId;
use crate::ui::components::clock::LabNow;
use crate::ui::lab_context::use_lab;
use yew::prelude::*;

#[function_component(Controls)]
pub fn controls() -> Html {
    let lab = use_lab();
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
                { "Now: " }<LabNow />
                if offset > 0 { <span class="badge">{ format!("+{}", duration(offset)) }</span> }
            </span>
            <button id="clock-1m" onclick={advance(60)}>{ "+1 min" }</button>
            <button id="clock-5m" onclick={advance(5 * 60)}>{ "+5 min" }</button>
            <button id="clock-1d" onclick={advance(86_400)}>{ "+1 day" }</button>
            <button id="clock-31d" onclick={advance(31 * 86_400)}>{ "+31 days" }</button>
            <button id="clock-reset" onclick={reset}>{ "Reset clock" }</button>
            <button id="restart-browser" onclick={restart}>{ "Close and reopen the browser" }</button>
            <button onclick={clear}>{ "Clear cookies" }</button>
            <button onclick={toggle_second}>{ if second_open { "Close second browser" } else { "Open a second browser" } }</button>
        </div>
    }
}
