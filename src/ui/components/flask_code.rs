//! The same app as a Flask program, for the settings the app runs with right now.

use crate::lab::flask_code::Settings;
use crate::lab::scenarios::Scenario;
use crate::ui::lab_context::LabHandle;
use crate::ui::renders;
use yew::prelude::*;

/// The panel for the settings the lab runs with now (a plain function of the scenario's view,
/// which re-renders with the lab); the program itself is [`FlaskCodeView`].
pub fn flask_code_panel(lab: &LabHandle) -> Html {
    let scenario = lab.scenario;
    let settings = lab
        .with(|l| scenario.live_settings(&l.app.config, l.app.session_interface().kind()))
        .unwrap_or_else(|| scenario.settings());
    let fixed = lab.with_run(|r| r.fixed);
    html! { <FlaskCodeView {scenario} {settings} {fixed} /> }
}

#[derive(Properties, PartialEq)]
pub struct FlaskCodeProps {
    pub scenario: &'static Scenario,
    pub settings: Settings,
    /// The scenario's fix has run: show the corrected program.
    #[prop_or_default]
    pub fixed: bool,
}

/// The program for these settings: written out again only when they change.
#[function_component(FlaskCodeView)]
pub fn flask_code_view(props: &FlaskCodeProps) -> Html {
    renders::count("flask-code");
    let code = props.scenario.flask_code_when(&props.settings, props.fixed);
    html! {
        <section class="panel code" aria-label="Equivalent Flask code">
            <h2>{ "The same app in Flask" }</h2>
            <p class="muted">{ "Written for Flask 3.1, Flask-Session 0.8 and Flask-Login 0.6, with this scenario's settings." }</p>
            <pre class="python"><code>{ code }</code></pre>
        </section>
    }
}
