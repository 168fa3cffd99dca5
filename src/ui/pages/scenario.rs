//! A scenario: the browser, the wire and the state side by side, with the controls, the
//! lesson, the settings and the Flask code below.

use crate::lab::scenarios::Scenario;
use crate::lab::BrowserId;
use crate::ui::components::browser_pane::BrowserPane;
use crate::ui::components::controls::controls;
use crate::ui::components::flask_code::flask_code_panel;
use crate::ui::components::lesson::{use_lesson_done, LessonView};
use crate::ui::components::settings::settings_panel;
use crate::ui::components::state_pane::StatePane;
use crate::ui::components::wire::WirePane;
use crate::ui::lab_context::{use_lab, use_new_lab, LabScope};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ScenarioPageProps {
    pub scenario: &'static Scenario,
}

/// The page of one scenario, running its own lab (scoped by the scenario's id) for the
/// components inside.
#[function_component(ScenarioPage)]
pub fn scenario_page(props: &ScenarioPageProps) -> Html {
    let lab = use_new_lab(props.scenario, props.scenario.id);
    html! {
        <LabScope {lab}>
            <ScenarioView />
        </LabScope>
    }
}

#[function_component(ScenarioView)]
fn scenario_view() -> Html {
    let lab = use_lab();
    let scenario = lab.scenario;
    // The lesson's ticks and the settings' last refusal: hooks here, so that their panels
    // need no components of their own.
    let done = use_lesson_done(&lab);
    let settings_error = use_state(|| None::<String>);
    {
        // Open the scenario's first page once.
        let lab = lab.clone();
        use_effect_with(scenario.id, move |_| {
            if lab.with(|l| l.log.is_empty()).unwrap_or(false) {
                lab.navigate(BrowserId::Main, scenario.start);
            }
        });
    }
    if let Some(error) = lab.startup_error() {
        let fix = scenario.fix.map(|fix| {
            let lab = lab.clone();
            let onclick = Callback::from(move |_| {
                lab.replace_app(fix.app);
                lab.navigate(BrowserId::Main, scenario.start);
            });
            html! { <button id="fix-keys" {onclick}>{ fix.label }</button> }
        });
        return html! {
            <main class="scenario">
                <h1>{ scenario.title }</h1>
                <section class="panel startup-error" role="alert">
                    <h2>{ "The app did not start" }</h2>
                    <pre class="wire">{ error }</pre>
                    <p>{ "Flask-Session read its settings when Session(app) ran and refused them. \
                          No request can be served until the configuration is fixed." }</p>
                    { for fix }
                </section>
            </main>
        };
    }
    let second_open = lab.with(|l| l.second.is_some()).unwrap_or(false);
    html! {
        <main class="scenario">
            <header class="scenario-head">
                <h1>{ scenario.title }</h1>
                { controls(&lab) }
            </header>
            <div class="panes">
                <BrowserPane browser={BrowserId::Main} />
                if second_open {
                    <BrowserPane browser={BrowserId::Second} />
                }
                <WirePane />
                <StatePane />
            </div>
            <div class="panes">
                <LessonView {scenario} {done} />
                { settings_panel(&lab, &settings_error) }
                { flask_code_panel(&lab) }
            </div>
        </main>
    }
}
