//! The scenario's guided steps (ticked from the network log), the tutorial's claims beside
//! what the lab shows, and the equivalent Flask code.

use super::lab_hook::LabHandle;
use crate::lab::flask_code::{flask_code, Settings};
use crate::lab::lessons::{lesson, progress};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LessonProps {
    pub lab: LabHandle,
}

#[function_component(LessonPanel)]
pub fn lesson_panel(props: &LessonProps) -> Html {
    let id = props.lab.scenario.clone();
    let lesson = lesson(&id);
    let done = props
        .lab
        .with(|l| progress(&lesson, &l.log))
        .unwrap_or_else(|| lesson.steps.iter().map(|s| (s.id, false)).collect());
    let finished = done.iter().filter(|(_, d)| *d).count();
    html! {
        <section class="panel lesson" aria-label="Lesson">
            <h2>{ format!("Lesson ({finished} of {} steps done)", lesson.steps.len()) }</h2>
            <p>{ lesson.intro }</p>
            <ol class="steps">
                { for lesson.steps.iter().zip(done.iter()).map(|(step, (_, ok))| html! {
                    <li class={classes!("step", ok.then_some("done"))} data-step={step.id}>
                        <span class="tick" aria-label={if *ok { "done" } else { "to do" }}>{ if *ok { "✔" } else { "○" } }</span>
                        <div>
                            <strong>{ step.todo }</strong>
                            <div class="muted">{ "Watch: " }{ step.watch }</div>
                            <details><summary>{ "Why" }</summary><p>{ step.why }</p></details>
                        </div>
                    </li>
                }) }
            </ol>
            if !lesson.myths.is_empty() {
                <h2>{ "What the tutorial says, and what happens" }</h2>
                <dl class="myths">
                    { for lesson.myths.iter().map(|m| html! { <>
                        <dt>{ m.claim }</dt>
                        <dd>{ m.truth }<div class="muted">{ "See: " }{ m.shown_by }</div></dd>
                    </> }) }
                </dl>
            }
        </section>
    }
}

#[function_component(FlaskCodePanel)]
pub fn flask_code_panel(props: &LessonProps) -> Html {
    let id = props.lab.scenario.clone();
    let settings = props
        .lab
        .with(|l| {
            super::settings::live_settings(&id, &l.app.config, l.app.session_interface().kind())
        })
        .unwrap_or_else(|| Settings::for_scenario(&id));
    let code = flask_code(&id, &settings);
    html! {
        <section class="panel code" aria-label="Equivalent Flask code">
            <h2>{ "The same app in Flask" }</h2>
            <p class="muted">{ "Written for Flask 3.1, Flask-Session 0.8 and Flask-Login 0.6, with this scenario's settings." }</p>
            <pre class="python"><code>{ code }</code></pre>
        </section>
    }
}
