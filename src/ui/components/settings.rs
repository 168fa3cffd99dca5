//! The settings panel: the configuration that matters for sessions, by Flask's key names,
//! with typed controls. Each change goes into the running app's config, as editing
//! `app.config` and restarting would, and the Flask code panel follows. Which keys it shows
//! besides Flask's is the scenario's choice ([`crate::lab::scenarios::Shown`]).

use crate::engine::flask::config::ConfigValue;
use crate::engine::flask::sessions::InterfaceKind;
use crate::ui::lab_context::LabHandle;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The panel, with `error` the last change the config refused. A plain function of the
/// scenario's view (which holds `error` and re-renders with the lab), not a component of its
/// own: that would only add its machinery to the bundle.
pub fn settings_panel(lab: &LabHandle, error: &UseStateHandle<Option<String>>) -> Html {
    let Some((config, kind)) =
        lab.with(|l| (l.app.config.clone(), l.app.session_interface().kind()))
    else {
        return html! {};
    };
    let set = |key: &'static str, parse: fn(&str) -> ConfigValue| {
        let (lab, error) = (lab.clone(), error.clone());
        Callback::from(move |text: String| {
            error.set(lab.configure(key, parse(&text)));
        })
    };
    let text_input = |key: &'static str, value: String, parse: fn(&str) -> ConfigValue| {
        let cb = set(key, parse);
        let onchange = Callback::from(move |e: Event| {
            cb.emit(e.target_unchecked_into::<HtmlInputElement>().value())
        });
        html! {
            <label class="setting"><code>{ key }</code>
                <input class="mono" value={value} {onchange} aria-label={key} />
            </label>
        }
    };
    let checkbox = |key: &'static str, on: bool| {
        let cb = set(key, |t| ConfigValue::Bool(t == "true"));
        let onchange = Callback::from(move |e: Event| {
            cb.emit(
                e.target_unchecked_into::<HtmlInputElement>()
                    .checked()
                    .to_string(),
            )
        });
        html! {
            <label class="setting check">
                <input type="checkbox" checked={on} {onchange} aria-label={key} />
                <code>{ key }</code>
            </label>
        }
    };
    let storage = {
        let lab = lab.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            lab.set_server_side(v == "server");
        })
    };
    let samesite = {
        let cb = set("SESSION_COOKIE_SAMESITE", |t| {
            if t.is_empty() {
                ConfigValue::None
            } else {
                ConfigValue::Str(t.to_string())
            }
        });
        Callback::from(move |e: Event| {
            cb.emit(e.target_unchecked_into::<HtmlSelectElement>().value())
        })
    };
    let server = kind == InterfaceKind::ServerSide;
    let session_permanent = {
        let lab = lab.clone();
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            lab.configure("SESSION_PERMANENT", ConfigValue::Bool(on));
            // Flask-Session reads SESSION_PERMANENT once, in Session(app): start it again.
            lab.set_server_side(true);
        })
    };
    let samesite_now = config
        .session_cookie_samesite
        .map(|s| s.as_str().to_string())
        .unwrap_or_default();
    html! {
        <section class="panel settings" aria-label="Settings">
            <h2>{ "Settings" }</h2>
            <label class="setting"><span>{ "Where the session lives" }</span>
                <select onchange={storage} aria-label="Session storage">
                    <option value="client" selected={!server}>{ "Signed cookie (Flask)" }</option>
                    <option value="server" selected={server}>{ "Server-side store (Flask-Session)" }</option>
                </select>
            </label>
            if server {
                <label class="setting check">
                    <input type="checkbox" checked={config.get("SESSION_PERMANENT") != Some(ConfigValue::Bool(false))}
                        onchange={session_permanent} aria-label="SESSION_PERMANENT" />
                    <code>{ "SESSION_PERMANENT" }</code>
                </label>
            } else if let Some(switch) = lab.scenario.shown.permanent_switch {
                { checkbox(switch, config.get(switch) == Some(ConfigValue::Bool(true))) }
                <p class="muted">{ "Stands for session.permanent = True in the login view." }</p>
            }
            { text_input("PERMANENT_SESSION_LIFETIME", config.permanent_session_lifetime.to_string(),
                |t| t.trim().parse().map(ConfigValue::Int).unwrap_or(ConfigValue::Str(t.to_string()))) }
            { checkbox("SESSION_REFRESH_EACH_REQUEST", config.session_refresh_each_request) }
            { text_input("SECRET_KEY", config.secret_key.clone().unwrap_or_default(),
                |t| if t.is_empty() { ConfigValue::None } else { ConfigValue::Str(t.to_string()) }) }
            { text_input("SECRET_KEY_FALLBACKS", config.secret_key_fallbacks.join(", "),
                |t| if t.trim().is_empty() { ConfigValue::None } else {
                    ConfigValue::List(t.split(',').map(|k| k.trim().to_string()).filter(|k| !k.is_empty()).collect())
                }) }
            { text_input("SESSION_COOKIE_NAME", config.session_cookie_name.clone(), |t| ConfigValue::Str(t.trim().to_string())) }
            { checkbox("SESSION_COOKIE_HTTPONLY", config.session_cookie_httponly) }
            { checkbox("SESSION_COOKIE_SECURE", config.session_cookie_secure) }
            <label class="setting"><code>{ "SESSION_COOKIE_SAMESITE" }</code>
                <select onchange={samesite} aria-label="SESSION_COOKIE_SAMESITE">
                    { for [("", "None (Python's None: no attribute)"), ("Lax", "\"Lax\""), ("Strict", "\"Strict\""), ("None", "\"None\"")]
                        .into_iter().map(|(v, label)| html! {
                            <option value={v} selected={samesite_now == v}>{ label }</option>
                        }) }
                </select>
            </label>
            if let Some(e) = (**error).clone() {
                <p class="status bad" role="status">{ e }</p>
            }
        </section>
    }
}
