//! Compare: the same steps, run at once on a signed-cookie scenario and its server-side twin
//! ([`crate::lab::scenarios::COMPARISON`]). Each step goes to both; the browsers and the state
//! side by side show what lives where.

use crate::lab::scenarios::COMPARISON;
use crate::lab::BrowserId;
use crate::ui::components::browser_pane::BrowserPane;
use crate::ui::components::state_pane::StatePane;
use crate::ui::lab_context::{use_new_lab, LabScope};
use yew::prelude::*;

#[function_component(CompareView)]
pub fn compare_view() -> Html {
    let cookie = use_new_lab(COMPARISON.cookie, "compare-client", None);
    let store = use_new_lab(COMPARISON.store, "compare-server", None);
    let buttons = COMPARISON.steps.iter().map(|(label, action)| {
        let (cookie, store, action) = (cookie.clone(), store.clone(), *action);
        let onclick = Callback::from(move |_| {
            cookie.perform(action);
            store.perform(action);
        });
        html! { <button {onclick}>{ *label }</button> }
    });
    html! {
        <main class="scenario compare">
            <header class="scenario-head">
                <h1>{ "Cookie or store: the same steps, side by side" }</h1>
                <div class="controls" role="toolbar" aria-label="Steps for both">{ for buttons }</div>
            </header>
            <p class="lede">{ COMPARISON.lede }</p>
            <div class="panes two">
                <div>
                    <h2 class="side">{ "Signed cookie (Flask)" }</h2>
                    <LabScope lab={cookie}>
                        <BrowserPane browser={BrowserId::Main} />
                        <StatePane />
                    </LabScope>
                </div>
                <div>
                    <h2 class="side">{ "Server-side store (Flask-Session)" }</h2>
                    <LabScope lab={store}>
                        <BrowserPane browser={BrowserId::Main} />
                        <StatePane />
                    </LabScope>
                </div>
            </div>
        </main>
    }
}
