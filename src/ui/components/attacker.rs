//! The attacker's controls, on the security lab's scenarios: copy the site's cookies out of a
//! browser (as a script in the page would, or with the browser or its traffic in hand), put
//! the copy into a browser, and give a browser another `User-Agent`. Each is a journaled act
//! ([`Act::Steal`], [`Act::Plant`], [`Act::UserAgent`]), so it replays from a share link like
//! any click; the lesson's "Do it" buttons use the same acts.

use crate::lab::run::Act;
use crate::lab::BrowserId;
use crate::ui::lab_context::LabHandle;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// What the attacker holds, one line per copied cookie (values shortened).
fn loot_lines(lab: &LabHandle) -> Vec<String> {
    lab.with(|l| {
        l.loot
            .iter()
            .map(|c| {
                let value: String = c.value.chars().take(24).collect();
                let more = if c.value.chars().count() > 24 {
                    "…"
                } else {
                    ""
                };
                format!("{}={value}{more} ({} bytes)", c.name, c.size)
            })
            .collect()
    })
    .unwrap_or_default()
}

/// A plain function of the scenario's view, which re-renders with the lab.
pub fn attacker_panel(lab: &LabHandle) -> Html {
    let second_open = lab.with(|l| l.second.is_some()).unwrap_or(false);
    let act = |act: Act| {
        let lab = lab.clone();
        Callback::from(move |_: MouseEvent| {
            lab.act(act.clone());
        })
    };
    let from = |browser: BrowserId, script: bool| act(Act::Steal { browser, script });
    let agent = {
        let lab = lab.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(form) = e
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlFormElement>(t).ok())
            else {
                return;
            };
            let field = |name: &str| {
                form.elements()
                    .named_item(name)
                    .and_then(|el| wasm_bindgen::JsCast::dyn_into::<HtmlInputElement>(el).ok())
            };
            let text = field("agent").map(|f| f.value()).unwrap_or_default();
            let browser = match field("second").is_some_and(|f| f.checked()) {
                true => BrowserId::Second,
                false => BrowserId::Main,
            };
            lab.act(Act::UserAgent {
                browser,
                agent: text,
            });
        })
    };
    let loot = loot_lines(lab);
    html! {
        <div class="controls attacker" role="group" aria-label="Attacker">
            <span class="label">{ "Attacker:" }</span>
            <button id="steal-script" onclick={from(BrowserId::Main, true)}
                title="What a script injected into the page can read: document.cookie, which never shows HttpOnly cookies">
                { "Steal with a script (document.cookie)" }
            </button>
            <button id="steal-all" onclick={from(BrowserId::Main, false)}
                title="What someone with the browser or its traffic in hand can copy: every cookie">
                { "Copy every cookie (DevTools)" }
            </button>
            if second_open {
                <button id="steal-second" onclick={from(BrowserId::Second, false)}>
                    { "Copy from the second browser" }
                </button>
            }
            <button id="plant-main" onclick={act(Act::Plant(BrowserId::Main))}>{ "Plant the copy here" }</button>
            if second_open {
                <button id="plant-second" onclick={act(Act::Plant(BrowserId::Second))}>
                    { "Plant the copy in the second browser" }
                </button>
            }
            <form class="agent" onsubmit={agent}>
                <label>{ "User-Agent " }<input name="agent" id="user-agent" placeholder="Mozilla/5.0 …" size="14" /></label>
                if second_open {
                    <label><input type="checkbox" name="second" />{ " second browser" }</label>
                }
                <button>{ "Set" }</button>
            </form>
            <span class="loot mono" aria-live="polite">
                { if loot.is_empty() { "Copied: nothing".to_string() } else { format!("Copied: {}", loot.join(", ")) } }
            </span>
        </div>
    }
}
