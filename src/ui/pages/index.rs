//! The index: every scenario with its one-line promise, the comparison and the decoder.

use crate::lab::scenarios::{Scenario, ALL, ATTACKS};
use crate::lab::shell::{INDEX_LEDE, INDEX_TOOLS, SECURITY_HEADING, SECURITY_LEDE};
use crate::ui::app::link;
use yew::prelude::*;

fn item(s: &Scenario) -> Html {
    html! {
        <li>
            { link(&format!("/s/{}", s.id), s.title) }
            <p>{ s.promise }</p>
        </li>
    }
}

/// A plain function, not a component: it has no state of its own to keep apart.
pub fn index() -> Html {
    html! {
        <main class="page index">
            <header>
                <h1>{ "Session Lab" }</h1>
                <p class="lede">{ INDEX_LEDE }</p>
            </header>
            <ul class="scenarios">
                { for ALL.iter().filter(|s| !ATTACKS.contains(s)).map(|s| item(s)) }
                { for INDEX_TOOLS.iter().map(|(route, title, line)| html! {
                    <li>
                        { link(route, title) }
                        <p>{ *line }</p>
                    </li>
                }) }
            </ul>
            <h2>{ SECURITY_HEADING }</h2>
            <p class="lede">{ SECURITY_LEDE }</p>
            <ul class="scenarios attacks">
                { for ATTACKS.iter().map(|s| item(s)) }
            </ul>
        </main>
    }
}
