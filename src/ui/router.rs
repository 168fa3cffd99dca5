//! Routes: the index, a scenario, the cookie decoder. A hash router, so `dist/` works from any
//! directory of a static host.

use super::decoder::Decoder;
use super::scenario::ScenarioView;
use crate::lab::scenarios::{self, SCENARIOS};
use yew::prelude::*;
use yew_router::prelude::*;

#[derive(Clone, Routable, PartialEq, Debug)]
pub enum Route {
    #[at("/")]
    Index,
    #[at("/s/:id")]
    Scenario { id: String },
    #[at("/decoder")]
    Decoder,
    #[at("/compare")]
    Compare,
    #[not_found]
    #[at("/404")]
    NotFound,
}

fn switch(route: Route) -> Html {
    match route {
        Route::Index => html! { <Index /> },
        Route::Scenario { id } => match scenarios::by_id(&id) {
            Some(s) => match s.app {
                Some(app) => html! {
                    <ScenarioView key={id.clone()} id={id.clone()} app={app} title={s.title} start={s.start} />
                },
                None => {
                    html! { <main class="page"><h1>{ s.title }</h1><p>{ "Free play is not open yet." }</p></main> }
                }
            },
            None => html! { <NotFound /> },
        },
        Route::Decoder => html! { <Decoder /> },
        Route::Compare => html! { <super::compare::CompareView /> },
        Route::NotFound => html! { <NotFound /> },
    }
}

#[function_component(NotFound)]
fn not_found() -> Html {
    html! {
        <main class="page">
            <h1>{ "Not here" }</h1>
            <p><Link<Route> to={Route::Index}>{ "Back to the scenarios" }</Link<Route>></p>
        </main>
    }
}

#[function_component(Index)]
fn index() -> Html {
    html! {
        <main class="page index">
            <header>
                <h1>{ "Session Lab" }</h1>
                <p class="lede">{ "Five Flask session tutorials, running in this page on a small Flask-compatible \
                    server. Watch every cookie, the server's store and the clock while you click." }</p>
            </header>
            <ul class="scenarios">
                { for SCENARIOS.iter().map(|s| html! {
                    <li>
                        <Link<Route> to={Route::Scenario { id: s.id.to_string() }}>{ s.title }</Link<Route>>
                        <p>{ s.promise }</p>
                    </li>
                }) }
                <li>
                    <Link<Route> to={Route::Compare}>{ "Cookie or store, side by side" }</Link<Route>>
                    <p>{ "The same steps under client-side and server-side sessions: see what lives where." }</p>
                </li>
                <li>
                    <Link<Route> to={Route::Decoder}>{ "Cookie decoder" }</Link<Route>>
                    <p>{ "Paste a Flask session cookie: decode it without a key, verify it with one." }</p>
                </li>
            </ul>
        </main>
    }
}

#[function_component(LabRoot)]
pub fn lab_root() -> Html {
    html! {
        <HashRouter>
            <nav class="topbar" aria-label="Session Lab">
                <Link<Route> to={Route::Index}>{ "Session Lab" }</Link<Route>>
            </nav>
            <Switch<Route> render={switch} />
        </HashRouter>
    }
}
