//! Any address the router does not know.

use crate::ui::app::link;
use yew::prelude::*;

pub fn not_found() -> Html {
    html! {
        <main class="page">
            <h1>{ "Not here" }</h1>
            <p>{ link("/", "Back to the scenarios") }</p>
        </main>
    }
}
