//! The scenario's guided steps (ticked from the network log) and the tutorial's claims beside
//! what the lab shows.

use crate::lab::lesson::progress;
use crate::ui::lab_context::use_lab;
use yew::prelude::*;

#[function_component(LessonPanel)]
pub fn lesson_panel() -> Html {
    let lab = use_lab();
    let lesson = lab.scenario.lesson();
    let done = lab
        .with(|l| progress(&lesson, &l.log))
        .unwrap_or_else(|| lesson.steps.iter().map(|s| (s.id, false)).collect());
    let finished = done.iter().filter(|(_, d)| *d).count();
    html! {
        <section class="panel lesson" aria-label="Lesson">
            <h2>{ format!("Lesson ({finished} of {} steps done)", lesson.steps.len()) }</h2>
            <p>{ lesson.intro.clone() }</p>
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
                        <dd>{ m.truth }<div class="muted">{ "See: " }{ m.shown_by.clone() }</div></dd>
                    </> }) }
                </dl>
            }
        </section>
    }
}
