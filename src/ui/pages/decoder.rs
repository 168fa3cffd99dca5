//! The cookie decoder page: decode, find the key, verify and forge as four steps, each with its
//! own status: what Flask-Unsign does (decode, brute-force, verify, sign), in the page. The
//! logic is [`crate::lab::decoder`] and [`crate::lab::cracker`]; this page renders their state
//! and dispatches actions.

use crate::browser::clock::system_now;
use crate::engine::itsdangerous::signing::Segments;
use crate::engine::py::datetime::iso_utc;
use crate::lab::decoder::{
    age_text, date_text, parse_seconds, parse_timestamp, span, Action, Decoded, DecoderState,
    KeyChoice, Target,
};
use crate::ui::components::cracker::Cracker;
use std::rc::Rc;
use web_sys::{HtmlElement, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// The decoder's state as Yew holds it: each action is [`DecoderState::apply`].
#[derive(Debug, Clone, PartialEq, Default)]
struct PageState(DecoderState);

impl std::ops::Deref for PageState {
    type Target = DecoderState;

    fn deref(&self) -> &DecoderState {
        &self.0
    }
}

impl Reducible for PageState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.0.apply(action);
        Rc::new(next)
    }
}

// ---------------------------------------------------------------------------------------------
// The page

type Handle = UseReducerHandle<PageState>;

/// The text of the `<input>` or `<textarea>` an event came from.
fn field_text(e: &InputEvent) -> String {
    if let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() {
        return t.value();
    }
    e.target_dyn_into::<HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
}

// Plain function pointers and values, not closures: one copy of each helper in the bundle
// instead of one per action.

fn on_text(state: &Handle, action: fn(String) -> Action) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |e: InputEvent| state.dispatch(action(field_text(&e))))
}

fn on_click(state: &Handle, action: impl Fn() -> Action + 'static) -> Callback<MouseEvent> {
    let state = state.clone();
    Callback::from(move |_| state.dispatch(action()))
}

fn on_submit(state: &Handle, action: fn() -> Action) -> Callback<SubmitEvent> {
    let state = state.clone();
    Callback::from(move |e: SubmitEvent| {
        e.prevent_default();
        state.dispatch(action())
    })
}

/// The cookie with its three segments marked.
fn cookie_html(cookie: &str) -> Html {
    match Segments::split(cookie) {
        Ok(s) => html! {
            <>
                <span class="decoder-seg-payload">{ s.payload }</span>{ "." }
                <span class="decoder-seg-timestamp">{ s.timestamp }</span>{ "." }
                <span class="decoder-seg-signature">{ s.signature }</span>
            </>
        },
        Err(_) => html! { { cookie.to_string() } },
    }
}

#[function_component(Decoder)]
pub fn decoder() -> Html {
    let state = use_reducer(PageState::default);
    let verify_heading = use_node_ref();
    html! {
        <main class="page decoder">
            <header>
                <h1>{ "Cookie decoder" }</h1>
                <p class="lede">{ "Paste a Flask session cookie. Read it without any key, find a weak \
                    key from a wordlist, check its signature with the app's keys, or sign an edited \
                    copy. The four steps are separate, and each reports its own result." }</p>
                <p class="decoder-local" role="note">
                    <strong>{ "Stays in this page. " }</strong>
                    { "The decoding, cracking, checking and signing all run here, in your browser. \
                       The cookie, your wordlists and any keys you type are not sent anywhere." }
                </p>
            </header>
            { decode_step(&state) }
            { find_key_step(&state) }
            { verify_step(&state, &verify_heading) }
            { forge_step(&state, &verify_heading) }
        </main>
    }
}

fn decode_step(state: &Handle) -> Html {
    let submit = on_submit(state, || Action::Decode { now: system_now() });
    // Enter decodes (a cookie has no line breaks); Shift+Enter still adds one.
    let on_key = {
        let state = state.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && !e.shift_key() {
                e.prevent_default();
                state.dispatch(Action::Decode { now: system_now() });
            }
        })
    };
    let (status_class, status_state, status_text) = match &state.decoded {
        None => ("decoder-status", "idle", String::new()),
        Some(Err(e)) => ("decoder-status bad", "error", e.clone()),
        Some(Ok(d)) if d.complete() => (
            "decoder-status good",
            "ok",
            "Decoded without any key: the payload and the timestamp are only encoded, not \
             encrypted."
                .to_string(),
        ),
        Some(Ok(_)) => (
            "decoder-status bad",
            "partial",
            "Partly decoded: some segments cannot be read, see below.".to_string(),
        ),
    };
    html! {
        <section class="decoder-step" aria-labelledby="decoder-decode-title">
            <h2 id="decoder-decode-title">{ "1. Decode" }<span class="decoder-tag">{ "no key needed" }</span></h2>
            <form class="decoder-form" onsubmit={submit}>
                <label for="decoder-cookie">{ "Session cookie" }</label>
                <textarea id="decoder-cookie" class="mono" rows="3" spellcheck="false"
                    autocomplete="off" placeholder="eyJ1c2VyX25hbWUiOiJBZG1pbiJ9.ZVPxAA.LVXaejlOPlbITReSd_RwqvGKoHE"
                    aria-describedby="decoder-cookie-help"
                    value={state.paste.clone()} oninput={on_text(state, Action::EditPaste)} onkeydown={on_key} />
                <p id="decoder-cookie-help" class="decoder-help">{ "The value alone, session=…, or a whole \
                    Cookie: or Set-Cookie: line from the browser's developer tools." }</p>
                <div class="decoder-actions"><button type="submit" id="decoder-decode">{ "Decode" }</button></div>
            </form>
            <p id="decoder-decode-status" class={status_class} role="status" data-state={status_state}>{ status_text }</p>
            if let Some(Ok(d)) = &state.decoded { { decoded_view(d) } }
        </section>
    }
}

fn decoded_view(d: &Decoded) -> Html {
    let time = match &d.time {
        Ok(t) => html! {
            <>
                <time id="decoder-time">{ date_text(*t) }</time>
                <span class="decoder-age">{ format!(" · {} · unix time {t}", age_text(d.now.saturating_sub(*t))) }</span>
            </>
        },
        Err(e) => html! { <span class="decoder-error">{ format!("Unreadable: {e}.") }</span> },
    };
    let signature = match d.signature_len {
        Ok(20) => "20 bytes: an HMAC-SHA1. Only the key can tell whether it is genuine (step 3)."
            .to_string(),
        Ok(n) => {
            format!("{n} bytes, but Flask's HMAC-SHA1 signatures are 20: no key will match it.")
        }
        Err(ref e) => format!("Unreadable: {e}."),
    };
    html! {
        <div class="decoder-decoded">
            if let Some(name) = &d.name {
                <p class="decoder-help">{ format!("Read the value of the cookie named {name:?} from what you pasted.") }</p>
            }
            <pre class="wire decoder-cookie" aria-label="The cookie, segment by segment">{ cookie_html(&d.cookie) }</pre>
            <dl class="segments decoder-segments">
                <dt><span class="decoder-key decoder-seg-payload">{ "payload" }</span></dt>
                <dd>
                    <code id="decoder-payload">{ d.payload.clone() }</code>
                    if d.compressed {
                        <span class="badge decoder-zlib" title="zlib-compressed">{ "zlib" }</span>
                    }
                    <div class="muted">{ if d.compressed {
                        "The leading '.' means compressed: base64url, then zlib, gives the JSON below."
                    } else {
                        "base64url of the JSON below."
                    } }</div>
                </dd>
                <dt><span class="decoder-key decoder-seg-timestamp">{ "timestamp" }</span></dt>
                <dd><code>{ d.timestamp.clone() }</code><div id="decoder-timestamp">{ time }</div></dd>
                <dt><span class="decoder-key decoder-seg-signature">{ "signature" }</span></dt>
                <dd><code>{ d.signature.clone() }</code><div class="muted">{ signature }</div></dd>
            </dl>
            <div class="decoder-views">
                <div>
                    <h3>{ "Session as tagged JSON" }</h3>
                    { match &d.json {
                        Ok(j) => html! { <pre class="wire" id="decoder-json">{ j.clone() }</pre> },
                        Err(e) => html! { <p class="decoder-error" id="decoder-json">{ format!("Unreadable payload: {e}.") }</p> },
                    } }
                </div>
                <div>
                    <h3>{ "Session in Python" }<span class="decoder-tag">{ "repr" }</span></h3>
                    { match &d.python {
                        Some(Ok(p)) => html! { <pre class="wire" id="decoder-python">{ p.clone() }</pre> },
                        Some(Err(e)) => html! { <p class="decoder-error" id="decoder-python">{ format!("Unreadable: {e}.") }</p> },
                        None => html! { <p class="empty" id="decoder-python">{ "Nothing to show." }</p> },
                    } }
                </div>
            </div>
        </div>
    }
}

/// Step 2: the cracker, aimed at the cookie step 1 decoded; a key it finds can go to steps 3
/// and 4 as SECRET_KEY.
fn find_key_step(state: &Handle) -> Html {
    let cookie = match &state.decoded {
        Some(Ok(d)) => d.cookie.clone(),
        _ => String::new(),
    };
    let use_key = {
        let state = state.clone();
        Callback::from(move |key: String| {
            state.dispatch(Action::EditSecret(key));
            state.dispatch(Action::ChooseKey(KeyChoice::Secret));
        })
    };
    html! {
        <Cracker {cookie} heading="2. Find the key" class={classes!("decoder-step")} use_key={Some(use_key)} />
    }
}

fn verify_step(state: &Handle, heading: &NodeRef) -> Html {
    let submit = on_submit(state, || Action::Verify { now: system_now() });
    let max_age_hint = match parse_seconds(&state.max_age) {
        Some(s) => format!(
            "= {} (Flask's PERMANENT_SESSION_LIFETIME; default 31 days)",
            span(s)
        ),
        None => "Whole seconds, please.".to_string(),
    };
    let target = |t: Target| {
        let state = state.clone();
        Callback::from(move |_: Event| state.dispatch(Action::ChooseTarget(t)))
    };
    let has_forged = state.forged.is_some();
    let (status_class, verdict, text) = match &state.report {
        None => ("decoder-status", "", String::new()),
        Some(r) => (
            if r.verdict.is_valid() {
                "decoder-status good"
            } else {
                "decoder-status bad"
            },
            r.verdict.code(),
            r.verdict.message(),
        ),
    };
    html! {
        <section class="decoder-step" aria-labelledby="decoder-verify-title">
            <h2 id="decoder-verify-title" ref={heading.clone()} tabindex="-1">{ "3. Verify" }<span class="decoder-tag">{ "needs the key" }</span></h2>
            <form class="decoder-form" onsubmit={submit}>
                <fieldset class="decoder-choice">
                    <legend>{ "Cookie to check" }</legend>
                    <label><input type="radio" name="decoder-target" id="decoder-target-pasted"
                        checked={state.target == Target::Pasted} onchange={target(Target::Pasted)} />
                        { " the one in step 1" }</label>
                    <label><input type="radio" name="decoder-target" id="decoder-target-forged"
                        checked={state.target == Target::Forged} disabled={!has_forged} onchange={target(Target::Forged)} />
                        { if has_forged { " the forged one from step 4" } else { " the forged one from step 4 (none yet)" } }</label>
                </fieldset>
                <div class="decoder-grid">
                    <label for="decoder-secret">{ "SECRET_KEY" }</label>
                    <input id="decoder-secret" class="mono" autocomplete="off" spellcheck="false"
                        value={state.secret.clone()} oninput={on_text(state, Action::EditSecret)} />
                    <span class="decoder-label" id="decoder-fallbacks-label">{ "SECRET_KEY_FALLBACKS" }</span>
                    <div class="decoder-fallbacks" role="group" aria-labelledby="decoder-fallbacks-label">
                        if state.fallbacks.is_empty() {
                            <p class="decoder-help">{ "None. Add the keys the app used before a rotation: Flask still accepts cookies they signed." }</p>
                        }
                        { for state.fallbacks.iter().enumerate().map(|(n, (id, key))| {
                            let id = *id;
                            let input_id = format!("decoder-fallback-{id}");
                            html! {
                                <div class="decoder-row" key={id}>
                                    <label for={input_id.clone()}>{ format!("fallback {}", n + 1) }</label>
                                    <input id={input_id} class="mono decoder-fallback" autocomplete="off" spellcheck="false"
                                        value={key.clone()} oninput={let state = state.clone(); move |e: InputEvent| state.dispatch(Action::EditFallback(id, field_text(&e)))} />
                                    <button type="button" class="link" aria-label={format!("Remove fallback {}", n + 1)}
                                        onclick={on_click(state, move || Action::RemoveFallback(id))}>{ "Remove" }</button>
                                </div>
                            }
                        }) }
                        <div><button type="button" class="link" id="decoder-add-fallback"
                            onclick={on_click(state, || Action::AddFallback)}>{ "Add a fallback key" }</button></div>
                    </div>
                    <label for="decoder-max-age">{ "Max age (seconds)" }</label>
                    <div>
                        <input id="decoder-max-age" class="mono decoder-short" inputmode="numeric" autocomplete="off"
                            aria-describedby="decoder-max-age-hint"
                            value={state.max_age.clone()} oninput={on_text(state, Action::EditMaxAge)} />
                        <span id="decoder-max-age-hint" class="decoder-help">{ max_age_hint }</span>
                    </div>
                </div>
                <div class="decoder-actions"><button type="submit" id="decoder-verify">{ "Verify" }</button></div>
            </form>
            <p id="decoder-verify-status" class={status_class} role="status" data-verdict={verdict}>{ text }</p>
            if let Some(r) = &state.report {
                if !r.cookie.is_empty() {
                    <p class="decoder-help">
                        { match r.target { Target::Pasted => "Checked the cookie from step 1", Target::Forged => "Checked the forged cookie from step 4" } }
                        { format!(", trying {} in that order (the newest key first, as itsdangerous does).", r.order.join(", ")) }
                    </p>
                }
            }
        </section>
    }
}

fn forge_step(state: &Handle, verify_heading: &NodeRef) -> Html {
    let submit = on_submit(state, || Action::Sign { now: system_now() });
    let choose = |k: KeyChoice| {
        let state = state.clone();
        Callback::from(move |_: Event| state.dispatch(Action::ChooseKey(k)))
    };
    let focus_other = {
        let state = state.clone();
        Callback::from(move |_: FocusEvent| {
            if state.key_choice != KeyChoice::Other {
                state.dispatch(Action::ChooseKey(KeyChoice::Other))
            }
        })
    };
    let verify_forged = {
        let (state, heading) = (state.clone(), verify_heading.clone());
        Callback::from(move |_: MouseEvent| {
            state.dispatch(Action::VerifyForged { now: system_now() });
            if let Some(h) = heading.cast::<HtmlElement>() {
                h.focus().ok();
            }
        })
    };
    let ts = state.forge_ts.trim();
    let ts_hint = if ts.is_empty() || ts.eq_ignore_ascii_case("now") {
        "Empty: the moment you press Sign.".to_string()
    } else {
        match parse_timestamp(ts, 0) {
            Ok(t) => format!("= {}", iso_utc(t)),
            Err(e) => format!("Not usable: {e}."),
        }
    };
    let shown_key = |k: &str| {
        if k.is_empty() {
            "(empty)".to_string()
        } else {
            format!("{k:?}")
        }
    };
    let can_reset = state.decoded_json().is_some_and(|j| *j != state.forge_json);
    let (status_class, status_state, status_text) = match (&state.forge_error, &state.forged) {
        (Some(e), _) => ("decoder-status bad", "error", format!("Not signed: {e}.")),
        (None, Some(f)) => (
            "decoder-status good",
            "signed",
            format!(
                "Signed with {} {:?}. This cookie is forged: it was made here, not by the app.",
                f.key_label, f.key
            ),
        ),
        (None, None) => ("decoder-status", "idle", String::new()),
    };
    html! {
        <section class="decoder-step" aria-labelledby="decoder-forge-title">
            <h2 id="decoder-forge-title">{ "4. Forge" }<span class="decoder-tag">{ "needs the key" }</span></h2>
            <p class="decoder-help">{ "Edit the session and sign it yourself. With the app's real SECRET_KEY the \
                result is indistinguishable from a cookie the app made, which is why the key must stay secret. \
                Nothing is signed until you press Sign." }</p>
            <form class="decoder-form" onsubmit={submit}>
                <label for="decoder-forge-json">{ "Session (tagged JSON)" }</label>
                <textarea id="decoder-forge-json" class="mono" rows="4" spellcheck="false" autocomplete="off"
                    placeholder={r#"{"user_name":"Eve"}"#}
                    value={state.forge_json.clone()} oninput={on_text(state, Action::EditForgeJson)} />
                if can_reset {
                    <div><button type="button" class="link" id="decoder-forge-reset"
                        onclick={on_click(state, || Action::ForgeFromDecoded)}>{ "Start again from the decoded session" }</button></div>
                }
                <fieldset class="decoder-choice">
                    <legend>{ "Sign with" }</legend>
                    <label><input type="radio" name="decoder-key" id="decoder-key-secret"
                        checked={state.key_choice == KeyChoice::Secret} onchange={choose(KeyChoice::Secret)} />
                        { " SECRET_KEY from step 3 " }<code>{ shown_key(&state.secret) }</code></label>
                    { for state.fallbacks.iter().enumerate().map(|(n, (id, key))| html! {
                        <label key={*id}><input type="radio" name="decoder-key" id={format!("decoder-key-fallback-{id}")}
                            checked={state.key_choice == KeyChoice::Fallback(*id)} onchange={choose(KeyChoice::Fallback(*id))} />
                            { format!(" fallback {} from step 3 ", n + 1) }<code>{ shown_key(key) }</code></label>
                    }) }
                    <span class="decoder-other">
                        <label><input type="radio" name="decoder-key" id="decoder-key-other"
                            checked={state.key_choice == KeyChoice::Other} onchange={choose(KeyChoice::Other)} />
                            { " another key:" }</label>
                        <input id="decoder-other-key" class="mono" autocomplete="off" spellcheck="false"
                            aria-label="Another key to sign with" value={state.other_key.clone()}
                            onfocus={focus_other} oninput={on_text(state, Action::EditOtherKey)} />
                    </span>
                </fieldset>
                <div class="decoder-grid">
                    <label for="decoder-forge-ts">{ "Timestamp (unix seconds)" }</label>
                    <div>
                        <input id="decoder-forge-ts" class="mono decoder-short" inputmode="numeric" autocomplete="off"
                            placeholder="now" aria-describedby="decoder-forge-ts-hint"
                            value={state.forge_ts.clone()} oninput={on_text(state, Action::EditForgeTimestamp)} />
                        <span id="decoder-forge-ts-hint" class="decoder-help">{ ts_hint }</span>
                    </div>
                </div>
                <div class="decoder-actions"><button type="submit" id="decoder-sign">{ "Sign" }</button></div>
            </form>
            <p id="decoder-forge-status" class={status_class} role="status" data-state={status_state}>{ status_text }</p>
            if let Some(f) = &state.forged {
                if state.forged_is_stale() {
                    <p class="decoder-stale" id="decoder-forge-stale">{ "The inputs above changed after this cookie was \
                        signed. It has not been re-signed: press Sign to make a new one." }</p>
                }
                <div class="decoder-compare">
                    <figure class="decoder-card">
                        <figcaption>{ "Original" }<span class="decoder-tag">{ "from step 1" }</span></figcaption>
                        { match &f.original {
                            Some(c) => html! { <pre class="wire decoder-cookie" id="decoder-original-cookie">{ cookie_html(c) }</pre> },
                            None => html! { <p class="empty">{ "Nothing was pasted in step 1." }</p> },
                        } }
                    </figure>
                    <figure class="decoder-card decoder-forged">
                        <figcaption>{ "Forged" }<span class="badge warn">{ "forged" }</span></figcaption>
                        <pre class="wire decoder-cookie" id="decoder-forged-cookie">{ cookie_html(&f.cookie) }</pre>
                        <dl class="segments decoder-segments">
                            <dt>{ "key" }</dt><dd>{ format!("{} ", f.key_label) }<code>{ format!("{:?}", f.key) }</code></dd>
                            <dt>{ "signed at" }</dt><dd>{ format!("{} (unix time {})", date_text(f.timestamp), f.timestamp) }</dd>
                            <dt>{ "session" }</dt><dd><code>{ f.json.clone() }</code></dd>
                        </dl>
                        <button type="button" id="decoder-verify-forged" onclick={verify_forged}>{ "Verify the forged cookie" }</button>
                    </figure>
                </div>
            }
        </section>
    }
}
