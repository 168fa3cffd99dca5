//! Share and export: **Share** puts a link that replays the lab as it is now in a text field
//! (and on the clipboard), with the snippet that embeds the same state in slides; the exports
//! download the network log as HAR 1.2 and the session so far as a Markdown transcript.
//! Everything stays in the browser: the link's state is in its fragment, the files are made
//! here.

use crate::lab::export;
use crate::ui::lab_context::use_lab;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

/// The address of this page without its fragment.
fn page_address() -> String {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}

/// Offers `text` as a file called `name` (a download made in the page: a Blob URL on a
/// temporary link).
fn download(name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let anchor = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(a) = anchor {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    // Revoked a moment later, not at once: some browsers start the download after the click.
    let revoke = Closure::once_into_js(move || {
        web_sys::Url::revoke_object_url(&url).ok();
    });
    if let Some(w) = web_sys::window() {
        w.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000)
            .ok();
    }
}

/// The page's clipboard, when it has one (only secure contexts do: `https://`, localhost).
fn clipboard() -> Option<web_sys::Clipboard> {
    let navigator = web_sys::window()?.navigator();
    js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
        .ok()
        .filter(|c| !c.is_undefined() && !c.is_null())
        .map(|c| c.unchecked_into())
}

/// What the Share box shows once asked.
#[derive(Clone, PartialEq)]
struct Shown {
    link: String,
    embed: String,
    /// Whether the clipboard took the link (`None` while it is being asked).
    copied: Option<bool>,
    /// Why there is no link.
    refused: Option<String>,
}

#[function_component(SharePanel)]
pub fn share_panel() -> Html {
    let lab = use_lab();
    let shown = use_state(|| None::<Shown>);
    // Which Share click the clipboard's answer belongs to: an answer for an older click is
    // dropped.
    let clicks = use_mut_ref(|| 0u32);
    {
        // The link is the lab as it was when asked: once the lab changes, the box closes
        // rather than show a link that no longer replays everything.
        let shown = shown.clone();
        use_effect_with(lab.clone(), move |_| shown.set(None));
    }
    let share = {
        let (lab, shown, clicks) = (lab.clone(), shown.clone(), clicks.clone());
        Callback::from(move |_: MouseEvent| {
            *clicks.borrow_mut() += 1;
            let click = *clicks.borrow();
            let id = lab.scenario.id;
            let state = match lab.share_text() {
                Ok(state) => state,
                Err(why) => {
                    shown.set(Some(Shown {
                        link: String::new(),
                        embed: String::new(),
                        copied: None,
                        refused: Some(why),
                    }));
                    return;
                }
            };
            let base = page_address();
            let link = format!("{base}#/s/{id}?lab={state}");
            let escape = crate::engine::py::markupsafe::escape_html;
            let embed = format!(
                "<iframe src=\"{}\" title=\"Session Lab: {}\" width=\"900\" height=\"520\" \
                 style=\"border:1px solid #ccc\"></iframe>",
                escape(&format!("{base}#/embed/{id}?panes=browser,jar&lab={state}")),
                escape(lab.scenario.title)
            );
            let clipboard = clipboard();
            let value = Shown {
                link: link.clone(),
                embed,
                copied: None,
                refused: None,
            };
            let Some(clipboard) = clipboard else {
                shown.set(Some(Shown {
                    copied: Some(false),
                    ..value
                }));
                return;
            };
            shown.set(Some(value.clone()));
            {
                let (ok, failed) = (shown.clone(), shown.clone());
                let (v1, v2) = (value.clone(), value);
                let (c1, c2) = (clicks.clone(), clicks.clone());
                let done = Closure::once(move |_: JsValue| {
                    if *c1.borrow() == click {
                        ok.set(Some(Shown {
                            copied: Some(true),
                            ..v1
                        }))
                    }
                });
                let refused = Closure::once(move |_: JsValue| {
                    if *c2.borrow() == click {
                        failed.set(Some(Shown {
                            copied: Some(false),
                            ..v2
                        }))
                    }
                });
                let _ = clipboard.write_text(&link).then2(&done, &refused);
                // One of the two runs once the clipboard answers; both must live until then.
                done.forget();
                refused.forget();
            }
        })
    };
    let close = {
        let shown = shown.clone();
        Callback::from(move |_: MouseEvent| shown.set(None))
    };
    let har = {
        let lab = lab.clone();
        Callback::from(move |_: MouseEvent| {
            let title = lab.scenario.title;
            if let Some(text) = lab.with(|l| export::har(&l.log, title)) {
                download(
                    &format!("session-lab-{}.har", lab.scenario.id),
                    "application/json",
                    &text,
                );
            }
        })
    };
    let transcript = {
        let lab = lab.clone();
        Callback::from(move |_: MouseEvent| {
            let title = lab.scenario.title;
            if let Some(text) = lab.with(|l| export::markdown(&l.log, title, &l.app)) {
                download(
                    &format!("session-lab-{}.md", lab.scenario.id),
                    "text/markdown",
                    &text,
                );
            }
        })
    };
    let select_all = Callback::from(|e: FocusEvent| {
        if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
            input.select();
        } else if let Some(area) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
            area.select();
        }
    });
    let inherited = lab.inherited();
    html! {
        <>
            <button id="share" onclick={share}>{ "Share" }</button>
            <button id="export-har" onclick={har} title="The network log as HAR 1.2 (DevTools: Network, Import HAR)">{ "Download HAR" }</button>
            <button id="export-md" onclick={transcript} title="Every request and response so far, for notes and handouts">{ "Download transcript" }</button>
            if let Some(why) = (*shown).as_ref().and_then(|s| s.refused.clone()) {
                <div class="share-box panel">
                    <p class="status bad" role="status">{ why }</p>
                    <button onclick={close.clone()}>{ "Close" }</button>
                </div>
            } else if let Some(s) = (*shown).clone() {
                <div class="share-box panel">
                    <label>{ "Share link" }
                        <input id="share-link" class="mono" readonly=true value={s.link.clone()}
                            aria-label="Share link" onfocus={select_all.clone()} />
                    </label>
                    <p class="muted" role="status">{ match s.copied {
                        Some(true) => "Copied to the clipboard. Opening it replays every step so far, with the same cookies and session ids; nothing is sent anywhere, the state is in the link itself.",
                        Some(false) => "Select the link and copy it (the clipboard was not available). Opening it replays every step so far; the state is in the link itself.",
                        None => "Opening it replays every step so far, with the same cookies and session ids; the state is in the link itself.",
                    } }</p>
                    if inherited {
                        <p class="status bad">{ "This lab began with cookies or stored sessions left from an earlier visit. The link replays only what was done since the page opened, on a clean browser, so those are not in it." }</p>
                    }
                    <label>{ "Embed snippet (for slides: only the browser and the jar; change panes= to choose)" }
                        <textarea id="embed-snippet" class="mono" readonly=true rows="3" value={s.embed.clone()}
                            aria-label="Embed snippet" onfocus={select_all} />
                    </label>
                    <button onclick={close}>{ "Close" }</button>
                </div>
            }
        </>
    }
}
