//! The scenario's guided steps (ticked from the network log) and the tutorial's claims beside
//! what the lab shows.

use crate::lab::scenarios::Scenario;
use crate::ui::lab_context::LabHandle;
use crate::ui::renders;
use yew::prelude::*;

/// The log as far as the steps have read it: its epoch and length, and each step's tick.
#[derive(Default)]
struct Read {
    epoch: u64,
    len: usize,
    done: Vec<bool>,
}

/// Each step's tick for the running lab, for [`LessonView`]. A hook of the scenario's view
/// (which re-renders with the lab), not a component of its own: that would only add its
/// machinery to the bundle.
#[hook]
pub fn use_lesson_done(lab: &LabHandle) -> Vec<bool> {
    let scenario = lab.scenario;
    let lesson = use_memo(scenario.id, |_| scenario.lesson());
    let read = use_mut_ref(Read::default);
    // Steps read the log only when it grew, and a ticked step stays ticked: every step is "the
    // log shows this happened", which a longer log still shows (the log only grows). So a new
    // request asks only the steps not yet done, instead of every step every render.
    {
        let mut read = read.borrow_mut();
        let (epoch, len) = (lab.epoch(), lab.with(|l| l.log.len()).unwrap_or(0));
        if read.epoch != epoch || read.len > len || read.done.len() != lesson.steps.len() {
            *read = Read {
                epoch,
                len: 0,
                done: vec![false; lesson.steps.len()],
            };
        }
        if read.len != len {
            let Read { done, .. } = &mut *read;
            lab.with(|l| {
                for (step, ok) in lesson.steps.iter().zip(done.iter_mut()) {
                    if !*ok {
                        *ok = (step.done)(&l.log);
                    }
                }
            });
            read.len = len;
        }
        read.done.clone()
    }
}

#[derive(Properties, PartialEq)]
pub struct LessonViewProps {
    pub scenario: &'static Scenario,
    /// Each step's tick, in the lesson's order.
    pub done: Vec<bool>,
    /// "Do it" on the step at this position.
    pub doit: Callback<usize>,
    /// Presenter mode is on (the type is larger, so the guide scrolls again).
    #[prop_or_default]
    pub presenter: bool,
}

/// The first step not done yet: where the guide points.
pub fn current_step(done: &[bool]) -> Option<usize> {
    done.iter().position(|d| !d)
}

/// The guide: the lesson with its ticks, the current step marked, a "Do it" button on each
/// step, and the tutorial's claims beside the truth at the end. Renders again only when a
/// step is ticked.
#[function_component(LessonView)]
pub fn lesson_view(props: &LessonViewProps) -> Html {
    renders::count("lesson");
    let scenario = props.scenario;
    let lesson = use_memo(scenario.id, |_| scenario.lesson());
    let finished = props.done.iter().filter(|d| **d).count();
    let current = current_step(&props.done);
    let guide = use_node_ref();
    {
        // The guide scrolls on its own beside the lab: keep the current step in it in view.
        let guide = guide.clone();
        use_effect_with((current, props.presenter), move |_| {
            let section = guide.cast::<web_sys::Element>();
            let step = section
                .as_ref()
                .and_then(|s| s.query_selector("li.step.current").ok().flatten());
            if let (Some(section), Some(step)) = (section, step) {
                if section.scroll_height() > section.client_height() {
                    let below = step.get_bounding_client_rect().top()
                        - section.get_bounding_client_rect().top();
                    section.set_scroll_top(section.scroll_top() + below as i32 - 48);
                }
            }
        });
    }
    let steps = lesson.steps.iter().zip(props.done.iter()).enumerate();
    html! {
        <section class="panel lesson guide" aria-label="Guide" ref={guide}>
            <h2>{ format!("Guide: {finished} of {} steps done", lesson.steps.len()) }</h2>
            <p class="intro">{ lesson.intro.clone() }</p>
            <ol class="steps">
                { for steps.map(|(i, (step, ok))| {
                    let here = current == Some(i);
                    let onclick = props.doit.reform(move |_: MouseEvent| i);
                    html! {
                        <li class={classes!("step", ok.then_some("done"), here.then_some("current"))}
                            data-step={step.id} aria-current={here.then_some("step")}>
                            <span class="tick" role="img" aria-label={if *ok { "done" } else { "to do" }}>{ if *ok { "✔" } else { "○" } }</span>
                            <div>
                                <strong>{ step.todo }</strong>
                                <div class="muted">{ "Watch: " }{ step.watch }</div>
                                <div class="step-actions">
                                    if !step.doit.is_empty() {
                                        <button class="doit" {onclick} aria-label={format!("Do it: {}", step.todo)}>{ "Do it" }</button>
                                    }
                                    <details><summary>{ "Why" }</summary><p>{ step.why }</p></details>
                                </div>
                            </div>
                        </li>
                    }
                }) }
            </ol>
            if current.is_none() {
                <p class="status good" role="status">{ "Every step is done." }</p>
            }
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
