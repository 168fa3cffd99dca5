//! Routes: the index, a scenario, the comparison, the cookie decoder. A hash router, so
//! `dist/` works from any directory of a static host.

use crate::lab::scenarios;
use crate::ui::pages::compare::CompareView;
use crate::ui::pages::decoder::Decoder;
use crate::ui::pages::index::Index;
use crate::ui::pages::not_found::NotFound;
use crate::ui::pages::scenario::ScenarioPage;
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
            Some(s) => html! { <ScenarioPage key={s.id} scenario={s} /> },
            None => html! { <NotFound /> },
        },
        Route::Decoder => html! { <Decoder /> },
        Route::Compare => html! { <CompareView /> },
        Route::NotFound => html! { <NotFound /> },
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
