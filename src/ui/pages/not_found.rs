//! Any address the router does not know.

use crate::ui::app::Route;
use yew::prelude::*;
use yew_router::prelude::*;

#[function_component(NotFound)]
pub fn not_found() -> Html {
    html! {
        <main class="page">
            <h1>{ "Not here" }</h1>
            <p><Link<Route> to={Route::Index}>{ "Back to the scenarios" }</Link<Route>></p>
        </main>
    }
}
