//! The index: every scenario with its one-line promise, the comparison and the decoder.

use crate::lab::scenarios::ALL;
use crate::lab::shell::{INDEX_LEDE, INDEX_TOOLS};
use crate::ui::app::Route;
use yew::prelude::*;
use yew_router::prelude::*;

#[function_component(Index)]
pub fn index() -> Html {
    html! {
        <main class="page index">
            <header>
                <h1>{ "Session Lab" }</h1>
                <p class="lede">{ INDEX_LEDE }</p>
            </header>
            <ul class="scenarios">
                { for ALL.iter().map(|s| html! {
                    <li>
                        <Link<Route> to={Route::Scenario { id: s.id.to_string() }}>{ s.title }</Link<Route>>
                        <p>{ s.promise }</p>
                    </li>
                }) }
                { for INDEX_TOOLS.iter().map(|(route, title, line)| html! {
                    <li>
                        <Link<Route> to={Route::recognize(route).unwrap_or(Route::NotFound)}>{ *title }</Link<Route>>
                        <p>{ *line }</p>
                    </li>
                }) }
            </ul>
        </main>
    }
}
