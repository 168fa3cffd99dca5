//! A scenario: the browser, the wire and the state side by side, with the controls.

use super::lab_hook::{use_lab, LabHandle};
use super::lesson::{FlaskCodePanel, LessonPanel};
use super::page_view::PageView;
use super::settings::SettingsPanel;
use crate::engine::flask::sessions::{InterfaceKind, SecureCookieSessionInterface};
use crate::engine::flask_session::store_entries;
use crate::engine::itsdangerous::signing::{decode_payload, Segments};
use crate::engine::py::datetime::iso_utc;
use crate::engine::werkzeug::http_date::http_date;
use crate::lab::{BrowserId, Exchange};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ScenarioProps {
    pub id: AttrValue,
    pub app: AttrValue,
    pub title: AttrValue,
    pub start: AttrValue,
}

#[function_component(ScenarioView)]
pub fn scenario_view(props: &ScenarioProps) -> Html {
    let lab = use_lab(&props.id, &props.app);
    {
        // Open the scenario's first page once.
        let (lab, start) = (lab.clone(), props.start.to_string());
        use_effect_with(props.id.clone(), move |_| {
            if lab.with(|l| l.log.is_empty()).unwrap_or(false) {
                lab.navigate(BrowserId::Main, &start);
            }
        });
    }
    {
        // Once a second the countdowns and ages move on with the real clock.
        let lab = lab.clone();
        use_effect_with(props.id.clone(), move |_| {
            use wasm_bindgen::closure::Closure;
            use wasm_bindgen::JsCast;
            let tick = Closure::<dyn Fn()>::new(move || lab.tick());
            let window = web_sys::window();
            let id = window.as_ref().and_then(|w| {
                w.set_interval_with_callback_and_timeout_and_arguments_0(
                    tick.as_ref().unchecked_ref(),
                    1000,
                )
                .ok()
            });
            move || {
                if let (Some(w), Some(id)) = (window, id) {
                    w.clear_interval_with_handle(id);
                }
                drop(tick);
            }
        });
    }
    let fix_keys = {
        let (lab, start) = (lab.clone(), props.start.to_string());
        Callback::from(move |_| {
            lab.replace_app(crate::engine::apps::seed_000::NAME);
            lab.navigate(BrowserId::Main, &start);
        })
    };
    if let Some(error) = lab.startup_error() {
        return html! {
            <main class="scenario">
                <h1>{ props.title.clone() }</h1>
                <section class="panel startup-error" role="alert">
                    <h2>{ "The app did not start" }</h2>
                    <pre class="wire">{ error }</pre>
                    <p>{ "Flask-Session read its settings when Session(app) ran and refused them. \
                          No request can be served until the configuration is fixed." }</p>
                    if props.id == "seed-000-misspelled" {
                        <button id="fix-keys" onclick={fix_keys}>
                            { "Spell the keys right (SESSION_PERMANENT, SESSION_TYPE = \"filesystem\") and start again" }
                        </button>
                    }
                </section>
            </main>
        };
    }
    let second_open = lab.with(|l| l.second.is_some()).unwrap_or(false);
    html! {
        <main class="scenario">
            <header class="scenario-head">
                <h1>{ props.title.clone() }</h1>
                <Controls lab={lab.clone()} />
            </header>
            <div class="panes">
                <BrowserPane lab={lab.clone()} browser={BrowserId::Main} />
                if second_open {
                    <BrowserPane lab={lab.clone()} browser={BrowserId::Second} />
                }
                <WirePane lab={lab.clone()} />
                <StatePane lab={lab.clone()} />
            </div>
            <div class="panes">
                <LessonPanel lab={lab.clone()} />
                <SettingsPanel lab={lab.clone()} />
                <FlaskCodePanel lab={lab.clone()} />
            </div>
        </main>
    }
}

#[derive(Properties, PartialEq)]
pub struct LabProps {
    pub lab: LabHandle,
}

#[function_component(Controls)]
fn controls(props: &LabProps) -> Html {
    let lab = &props.lab;
    let now = lab.now();
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
                { "Now: " }<time id="lab-now">{ iso_utc(now) }</time>
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

/// `3d 4h`, `5m 1s`: a short human duration.
pub fn duration(seconds: i64) -> String {
    let (d, h, m, s) = (
        seconds / 86_400,
        seconds / 3600 % 24,
        seconds / 60 % 60,
        seconds % 60,
    );
    match (d, h, m) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, _) => format!("{m}m {s}s"),
        (0, _, _) => format!("{h}h {m}m"),
        _ => format!("{d}d {h}h"),
    }
}

#[derive(Properties, PartialEq)]
pub struct BrowserProps {
    pub lab: LabHandle,
    pub browser: BrowserId,
}

#[function_component(BrowserPane)]
pub(crate) fn browser_pane(props: &BrowserProps) -> Html {
    let lab = &props.lab;
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
    {
        // The address bar shows where the browser is after each navigation, and is otherwise
        // left to the learner's typing (re-renders happen every second).
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
                        <PageView lab={lab.clone()} browser={id} exchange={ex.id} />
                    }
                } else {
                    <p class="empty">{ "Type a path and press Enter." }</p>
                }
            </div>
        </section>
    }
}

fn status_class(status: u16) -> &'static str {
    match status {
        200..=299 => "status ok",
        300..=399 => "status redirect",
        _ => "status error",
    }
}

#[function_component(WirePane)]
pub(crate) fn wire_pane(props: &LabProps) -> Html {
    let log: Vec<Exchange> = props.lab.with(|l| l.log.clone()).unwrap_or_default();
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
    let header_lines: Vec<(String, String)> = ex
        .response
        .headers
        .iter()
        .filter(|(k, _)| {
            ["set-cookie", "location", "vary"].contains(&k.to_ascii_lowercase().as_str())
        })
        .cloned()
        .collect();
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

/// What the server made of the session cookie it received, in one line.
fn verdict_line(ex: &Exchange) -> Option<String> {
    use crate::engine::flask::sessions::CookieVerdict as V;
    Some(match ex.verdict.as_ref()? {
        V::Absent => return None,
        V::Valid { .. } => "session cookie accepted".into(),
        V::Rejected(e) => format!("session cookie refused, empty session started: {e}"),
        V::UnknownSessionId => {
            "session id unknown to the store (expired, revoked or made up): a new session was started".into()
        }
        V::NoSecretKey => "no SECRET_KEY: the app has no session at all".into(),
    })
}

#[function_component(StatePane)]
pub(crate) fn state_pane(props: &LabProps) -> Html {
    let lab = &props.lab;
    let now = lab.now();
    let data = lab.with(|l| {
        let path = l
            .main
            .location()
            .map(|p| p.split('?').next().unwrap_or("/").to_string())
            .unwrap_or_else(|| "/".into());
        let decisions = l.main.jar.explain(&path, now);
        let views = l.main.jar.cookies(now);
        let config = l.app.config.clone();
        let kind = l.app.session_interface().kind();
        let store = store_entries(l.app.session_interface(), now);
        (path, decisions, views, config, kind, store)
    });
    let Some((path, decisions, views, config, kind, store)) = data else {
        return html! {};
    };
    let session_cookie = views
        .iter()
        .find(|v| v.cookie.name == config.session_cookie_name)
        .map(|v| v.cookie.value.clone());
    html! {
        <section class="panel state" aria-label="The state">
            <h2>{ "Cookie jar" }</h2>
            if views.is_empty() {
                <p class="empty">{ "The browser holds no cookies for this site." }</p>
            } else {
                <table class="jar">
                    <thead><tr>
                        <th>{ "Name" }</th><th>{ "Value" }</th><th>{ "Path" }</th><th>{ "Expires" }</th>
                        <th>{ "Flags" }</th>
                    </tr></thead>
                    <tbody>
                        { for views.iter().map(|v| {
                            let c = &v.cookie;
                            let why = decisions.iter().find(|(d, _)| d.name == c.name && d.path == c.path)
                                .map(|(_, d)| d.to_string()).unwrap_or_default();
                            let flags = [
                                c.http_only.then_some("HttpOnly"),
                                c.secure.then_some("Secure"),
                            ].into_iter().flatten().map(str::to_string)
                                .chain(c.same_site.map(|s| format!("SameSite={}", s.as_str())))
                                .collect::<Vec<_>>().join(" ");
                            html! { <>
                                <tr>
                                    <td class="mono">{ c.name.clone() }</td>
                                    <td class="mono value" title={c.value.clone()}>{ c.value.clone() }</td>
                                    <td class="mono">{ c.path.clone() }</td>
                                    <td>{ c.expires.map_or("Session".to_string(), http_date) }</td>
                                    <td>{ flags }<div class="muted">{ format!("{} bytes", c.size) }</div></td>
                                </tr>
                                <tr class="why"><td colspan="5">
                                    { format!("For {path}: {why}") }
                                    { for v.limits.iter().map(|l| html! { <div class="note">{ l.clone() }</div> }) }
                                </td></tr>
                            </> }
                        }) }
                    </tbody>
                </table>
            }
            <h2>{ "Session cookie" }</h2>
            { session_cookie_view(session_cookie.as_deref(), kind, &config, now) }
            <h2>{ "Server's session store" }</h2>
            { match store {
                None => html! { <p class="empty">{ "Nothing: with Flask's default sessions the server keeps no session data. \
                    Everything is in the cookie, and the server cannot take it back." }</p> },
                Some(entries) if entries.is_empty() => html! { <p class="empty">{ "The store is empty." }</p> },
                Some(entries) => html! {
                    <table class="store">
                        <thead><tr><th>{ "Key" }</th><th>{ "Data" }</th><th>{ "TTL" }</th></tr></thead>
                        <tbody>
                            { for entries.iter().map(|e| html! {
                                <tr>
                                    <td class="mono">{ e.key.clone() }</td>
                                    <td class="mono">{ crate::engine::flask::tagged_json::dumps_dict(&e.data) }</td>
                                    <td>{ e.ttl(now).map_or("never expires".to_string(), duration) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                },
            } }
        </section>
    }
}

fn session_cookie_view(
    value: Option<&str>,
    kind: InterfaceKind,
    config: &crate::engine::flask::config::Config,
    now: i64,
) -> Html {
    let Some(value) = value else {
        return html! { <p class="empty">{ "No session cookie." }</p> };
    };
    if kind == InterfaceKind::ServerSide {
        return html! {
            <dl class="segments">
                <dt>{ "session id" }</dt><dd class="mono">{ value.to_string() }</dd>
                <dt>{ "what it holds" }</dt><dd>{ "Only a random id. The data is in the store below." }</dd>
            </dl>
        };
    }
    let Ok(seg) = Segments::split(value) else {
        return html! { <p class="status bad">{ "Not a Flask session cookie." }</p> };
    };
    let payload = decode_payload(seg.payload).unwrap_or_else(|e| e.to_string());
    let timestamp = seg.timestamp_value();
    let verdict = match SecureCookieSessionInterface::serializer(config) {
        None => Err("the app has no SECRET_KEY".to_string()),
        Some(s) => s
            .loads(value, Some(config.permanent_session_lifetime), now)
            .map(|_| ())
            .map_err(|e| e.to_string()),
    };
    html! {
        <dl class="segments">
            <dt>{ "payload" }</dt>
            <dd><code>{ payload }</code>
                if seg.compressed() { <span class="badge">{ "zlib" }</span> }
                <div class="muted">{ "base64, readable without any key" }</div></dd>
            <dt>{ "timestamp" }</dt>
            <dd>{ match timestamp {
                Some(t) => format!("{} (age {})", iso_utc(t), duration((now - t).max(0))),
                None => "unreadable".into(),
            } }</dd>
            <dt>{ "signature" }</dt>
            <dd>{ match verdict {
                Ok(()) => html! { <span class="status good">{ "valid under the server's key" }</span> },
                Err(e) => html! { <span class="status bad">{ e }</span> },
            } }</dd>
        </dl>
    }
}
