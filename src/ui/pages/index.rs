//! The index: every scenario with its one-line promise, the comparison and the decoder.

use crate::lab::scenarios::ALL;
use crate::lab::shell::{INDEX_LEDE, INDEX_TOOLS};
use crate::ui::app::link;
use yew::prelude::*;

/// A plain function, not a component: it has no state of its own to keep apart.
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
                        { link(&format!("/s/{}", s.id), s.title) }
                        <p>{ s.promise }</p>
                    </li>
                }) }
                { for INDEX_TOOLS.iter().map(|(route, title, line)| html! {
                    <li>
                        { link(route, title) }
                        <p>{ *line }</p>
                    </li>
                }) }
            </ul>
        </main>
    }
}
