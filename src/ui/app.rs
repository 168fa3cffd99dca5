//! Routes: the index, a scenario (and its embed), the comparison, the cookie decoder. A hash router, so
//! `dist/` works from any directory of a static host.
//!
//! Six fixed routes need no router library (its route recognizer, history and components were
//! a large part of the bundle): [`LabRoot`] reads the route from `location.hash` and follows
//! `hashchange` and `popstate`, and [`link`] is an `<a href="#/...">` whose click pushes the
//! new hash and tells the root at once, as yew-router's `Link` did.

use crate::engine::werkzeug::urls::unquote;
use crate::lab::scenarios;
use crate::ui::pages::compare::CompareView;
use crate::ui::pages::decoder::Decoder;
use crate::ui::pages::embed::EmbedPage;
use crate::ui::pages::index::index;
use crate::ui::pages::not_found::not_found;
use crate::ui::pages::scenario::ScenarioPage;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

#[derive(Clone, PartialEq, Debug)]
pub enum Route {
    /// `/`
    Index,
    /// `/s/:id`
    Scenario { id: String },
    /// `/embed/:id`: one scenario with only the panes the query names, for slides.
    Embed { id: String },
    /// `/decoder`
    Decoder,
    /// `/compare`
    Compare,
    /// `/404`, and any path that is none of the above.
    NotFound,
}

impl Route {
    /// The route of a path, as yew-router's `#[at]` patterns matched it: a trailing slash
    /// does not count, and the `:id` of `/s/:id` is one non-empty segment, percent-decoded
    /// (an id that is not UTF-8 matches no scenario, so it opens "not found" either way).
    pub fn recognize(path: &str) -> Route {
        let path = path.strip_suffix('/').unwrap_or(path);
        match path {
            "" => Route::Index,
            "/decoder" => Route::Decoder,
            "/compare" => Route::Compare,
            _ => {
                let id = |prefix: &str| {
                    path.strip_prefix(prefix)
                        .filter(|id| !id.is_empty() && !id.contains('/'))
                        .map(|id| unquote(id, false))
                };
                match (id("/s/"), id("/embed/")) {
                    (Some(id), _) => Route::Scenario { id },
                    (_, Some(id)) => Route::Embed { id },
                    _ => Route::NotFound,
                }
            }
        }
    }
}

/// The route the address's hash names. The hash is read as a path, as the browser resolves
/// it (`#/s/x?y` is `/s/x`); one that is not a path (`#top`) is no route of ours.
fn current_route() -> Route {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return Route::Index;
    };
    let hash = location.hash().unwrap_or_default();
    let Some(path) = hash.strip_prefix('#').filter(|p| p.starts_with('/')) else {
        return Route::NotFound;
    };
    let href = location.href().unwrap_or_default();
    let pathname = web_sys::Url::new_with_base(path, &href)
        .map(|u| u.pathname())
        .unwrap_or_else(|_| path.to_string());
    Route::recognize(&pathname)
}

/// The value of `name` in the hash's query (`#/s/x?lab=...&panes=...`), percent-decoded.
pub fn hash_param(name: &str) -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let (_, query) = hash.split_once('?')?;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (unquote(k, true) == name).then(|| unquote(v, true))
    })
}

/// Puts `path` in the address bar in place of the current hash, without a new history entry
/// or a re-render (the page already shows it).
pub fn replace_hash(path: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        history
            .replace_state_with_url(&JsValue::NULL, "", Some(&format!("#{path}")))
            .ok();
    }
}

/// An address with no route of ours (`/`, `/#top`) starts at `#/`, in place.
fn start_at_index() {
    let Some(window) = web_sys::window() else {
        return;
    };
    if !window
        .location()
        .hash()
        .unwrap_or_default()
        .starts_with("#/")
    {
        if let Ok(history) = window.history() {
            history
                .replace_state_with_url(&JsValue::NULL, "", Some("#/"))
                .ok();
        }
    }
}

/// The event the root re-reads the route on.
const ROUTE_CHANGED: &str = "hashchange";

/// `<a href="#{path}">{ text }</a>`: a click (without a modifier key, which leaves it to the
/// browser) pushes the new address and re-renders the page in the same task.
pub fn link(path: &str, text: &'static str) -> Html {
    let href = format!("#{path}");
    let onclick = {
        let href = href.clone();
        Callback::from(move |e: MouseEvent| {
            if e.meta_key() || e.ctrl_key() || e.shift_key() || e.alt_key() {
                return;
            }
            e.prevent_default();
            let Some(window) = web_sys::window() else {
                return;
            };
            if let Ok(history) = window.history() {
                history
                    .push_state_with_url(&JsValue::NULL, "", Some(&href))
                    .ok();
            }
            if let Ok(event) = web_sys::Event::new(ROUTE_CHANGED) {
                window.dispatch_event(&event).ok();
            }
        })
    };
    html! { <a {href} {onclick}>{ text }</a> }
}

/// `links` counts the share links opened in this tab: each one starts its scenario's page
/// afresh (the same route with a new link replays the new journal).
fn switch(route: Route, links: u32) -> Html {
    match route {
        Route::Index => index(),
        Route::Scenario { id } => match scenarios::by_id(&id) {
            Some(s) => html! { <ScenarioPage key={format!("{}/{links}", s.id)} scenario={s} /> },
            None => not_found(),
        },
        Route::Embed { id } => match scenarios::by_id(&id) {
            Some(s) => html! { <EmbedPage key={format!("{}/{links}", s.id)} scenario={s} /> },
            None => not_found(),
        },
        Route::Decoder => html! { <Decoder /> },
        Route::Compare => html! { <CompareView /> },
        Route::NotFound => not_found(),
    }
}

#[function_component(LabRoot)]
pub fn lab_root() -> Html {
    let route = use_state_eq(|| {
        start_at_index();
        (current_route(), 0u32)
    });
    let links = use_mut_ref(|| 0u32);
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let follow = Closure::<dyn Fn()>::new(move || {
                if hash_param("lab").is_some() {
                    *links.borrow_mut() += 1;
                }
                route.set((current_route(), *links.borrow()));
            });
            let window = web_sys::window();
            if let Some(w) = &window {
                for event in [ROUTE_CHANGED, "popstate"] {
                    w.add_event_listener_with_callback(event, follow.as_ref().unchecked_ref())
                        .ok();
                }
            }
            move || {
                if let Some(w) = window {
                    for event in [ROUTE_CHANGED, "popstate"] {
                        w.remove_event_listener_with_callback(
                            event,
                            follow.as_ref().unchecked_ref(),
                        )
                        .ok();
                    }
                }
                drop(follow);
            }
        });
    }
    let (current, links) = (*route).clone();
    if matches!(current, Route::Embed { .. }) {
        // An embed is a slide's picture: no site header.
        return switch(current, links);
    }
    html! {
        <>
            <nav class="topbar" aria-label="Session Lab">
                <span class="brand">{ link("/", "Session Lab") }</span>
                { link("/", "Scenarios") }
                { link("/compare", "Compare") }
                { link("/decoder", "Decoder") }
            </nav>
            { switch(current, links) }
        </>
    }
}
