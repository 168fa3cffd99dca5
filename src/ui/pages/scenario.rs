//! A scenario: the guide first (the lesson's steps with "Do it", at the left at laptop width,
//! on top on a phone), then the browser, the wire and the state, with the controls, sharing
//! and the exports above and the settings and the Flask code below. Presenter mode enlarges
//! everything for a projector, and keyboard shortcuts do the frequent actions.

use crate::lab::scenarios::Scenario;
use crate::lab::BrowserId;
use crate::ui::app::{hash_param, replace_hash};
use crate::ui::components::attacker::attacker_panel;
use crate::ui::components::browser_pane::BrowserPane;
use crate::ui::components::controls::controls;
use crate::ui::components::cracker::cracker_panel;
use crate::ui::components::flask_code::flask_code_panel;
use crate::ui::components::lesson::{current_step, use_lesson_done, LessonView};
use crate::ui::components::settings::settings_panel;
use crate::ui::components::share::SharePanel;
use crate::ui::components::state_pane::StatePane;
use crate::ui::components::wire::WirePane;
use crate::ui::lab_context::{use_lab, use_new_lab, LabHandle, LabScope};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ScenarioPageProps {
    pub scenario: &'static Scenario,
}

/// The page of one scenario, running its own lab (scoped by the scenario's id) for the
/// components inside; a share link in the address (`?lab=`) is replayed into it.
#[function_component(ScenarioPage)]
pub fn scenario_page(props: &ScenarioPageProps) -> Html {
    let link = use_memo((), |_| hash_param("lab").map(Rc::<str>::from));
    let lab = use_new_lab(props.scenario, props.scenario.id, (*link).clone());
    let presenter = use_memo((), |_| hash_param("present").is_some_and(|p| p == "1"));
    {
        // The link has done its work: a reload from here goes on with this lab instead of
        // replaying the link over it.
        let id = props.scenario.id;
        let had_link = link.is_some();
        use_effect_with((), move |_| {
            if had_link {
                replace_hash(&crate::lab::shell::scenario_route(id));
            }
        });
    }
    html! {
        <LabScope {lab}>
            <ScenarioView presenter={*presenter} />
        </LabScope>
    }
}

#[derive(Properties, PartialEq)]
struct ScenarioViewProps {
    /// Start in presenter mode.
    presenter: bool,
}

/// Does the step at `index` of the running lesson: its actions, in order.
pub fn do_step(lab: &LabHandle, index: usize) {
    let lesson = lab.scenario.lesson();
    if let Some(step) = lesson.steps.get(index) {
        for action in step.doit {
            lab.perform(*action);
        }
    }
}

/// A running scenario's guide, for the scenario page and the embed: each step's tick and the
/// "Do it" callback; and the scenario's first page, opened once when nothing has been sent.
#[hook]
pub fn use_guided(lab: &LabHandle) -> (Vec<bool>, Callback<usize>) {
    let scenario = lab.scenario;
    let done = use_lesson_done(lab);
    let doit = {
        let lab = lab.clone();
        use_callback((), move |i: usize, _| do_step(&lab, i))
    };
    {
        let lab = lab.clone();
        use_effect_with(scenario.id, move |_| {
            if lab.with(|l| l.log.is_empty()).unwrap_or(false) {
                lab.navigate(BrowserId::Main, scenario.start);
            }
        });
    }
    (done, doit)
}

/// The keyboard shortcuts, as the `?` overlay lists them.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("n", "Do the current step"),
    ("t", "Move the clock one minute on"),
    ("r", "Close and reopen the browser"),
    ("c", "Clear the browser's cookies"),
    ("p", "Presenter mode on or off"),
    ("?", "Show or hide this list"),
];

/// What the shortcuts need from the latest render.
struct Keys {
    lab: LabHandle,
    done: Vec<bool>,
    presenter: UseStateHandle<bool>,
    help: UseStateHandle<bool>,
}

/// One key press anywhere on the page, unless it is typed into a field or comes with a
/// modifier (which belongs to the browser).
fn on_key(keys: &Keys, e: &web_sys::KeyboardEvent) {
    // A held key repeats: one action per press, not thirty a second.
    if e.ctrl_key() || e.meta_key() || e.alt_key() || e.default_prevented() || e.repeat() {
        return;
    }
    let typing = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|el| {
            el.is_content_editable()
                || matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        });
    if typing {
        return;
    }
    match e.key().as_str() {
        "n" => {
            if let Some(i) = current_step(&keys.done) {
                do_step(&keys.lab, i)
            }
        }
        "t" => keys.lab.advance(60),
        "r" => keys.lab.restart_browser(BrowserId::Main),
        "c" => keys.lab.clear_cookies(BrowserId::Main),
        "p" => keys.presenter.set(!*keys.presenter),
        "?" => keys.help.set(!*keys.help),
        "Escape" if *keys.help => keys.help.set(false),
        _ => return,
    }
    e.prevent_default();
}

#[function_component(ScenarioView)]
fn scenario_view(props: &ScenarioViewProps) -> Html {
    let lab = use_lab();
    let scenario = lab.scenario;
    // The lesson's ticks and the settings' last refusal: hooks here, so that their panels
    // need no components of their own.
    let (done, doit) = use_guided(&lab);
    let settings_error = use_state(|| None::<String>);
    let presenter = use_state(|| props.presenter);
    let help = use_state(|| false);
    // The shortcuts read the latest render's lab and ticks.
    let keys = use_mut_ref(|| None::<Keys>);
    *keys.borrow_mut() = Some(Keys {
        lab: lab.clone(),
        done: done.clone(),
        presenter: presenter.clone(),
        help: help.clone(),
    });
    {
        let keys = keys.clone();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |e| {
                if let Some(keys) = keys.borrow().as_ref() {
                    on_key(keys, &e);
                }
            });
            let window = web_sys::window();
            if let Some(w) = &window {
                w.add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref())
                    .ok();
            }
            move || {
                if let Some(w) = window {
                    w.remove_event_listener_with_callback(
                        "keydown",
                        listener.as_ref().unchecked_ref(),
                    )
                    .ok();
                }
                drop(listener);
            }
        });
    }
    {
        // Presenter mode scales the whole page (its sizes are in rem), so it marks the root,
        // here rather than in an effect: the guide's effect measures the page after this render,
        // and must see it at its new size. The mark goes with the page.
        let root = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element());
        if let Some(root) = &root {
            root.class_list()
                .toggle_with_force("presenter", *presenter)
                .ok();
        }
        use_effect_with((), move |_| {
            move || {
                if let Some(root) = root {
                    root.class_list().remove_1("presenter").ok();
                }
            }
        });
    }
    if let Some(error) = lab.startup_error() {
        let fix = scenario.fix.map(|fix| {
            let lab = lab.clone();
            let onclick = Callback::from(move |_| {
                lab.fix();
                lab.navigate(BrowserId::Main, scenario.start);
            });
            html! { <button id="fix-keys" {onclick}>{ fix.label }</button> }
        });
        return html! {
            <main class="scenario">
                <h1>{ scenario.title }</h1>
                { messages_view(&lab) }
                <div class="workspace">
                    <LessonView {scenario} done={done.clone()} {doit} />
                    <section class="panel startup-error" role="alert">
                        <h2>{ "The app did not start" }</h2>
                        <pre class="wire">{ error }</pre>
                        <p>{ "Flask-Session read its settings when Session(app) ran and refused them. \
                              No request can be served until the configuration is fixed." }</p>
                        { for fix }
                    </section>
                </div>
            </main>
        };
    }
    let second_open = lab.with(|l| l.second.is_some()).unwrap_or(false);
    let toggle_presenter = {
        let presenter = presenter.clone();
        Callback::from(move |_| presenter.set(!*presenter))
    };
    let toggle_help = {
        let help = help.clone();
        Callback::from(move |_| help.set(!*help))
    };
    html! {
        <main class={classes!("scenario", presenter.then_some("presenter"))}>
            <header class="scenario-head">
                <h1>{ scenario.title }</h1>
                { controls(&lab) }
                if scenario.shown.attacker { { attacker_panel(&lab) } }
                <div class="controls tools" role="toolbar" aria-label="Share and present">
                    <SharePanel />
                    <button id="presenter" aria-pressed={presenter.to_string()} onclick={toggle_presenter}>
                        { "Presenter mode" }
                    </button>
                    <button id="shortcuts" aria-expanded={help.to_string()} onclick={toggle_help.clone()}
                        title="Keyboard shortcuts (?)">{ "Shortcuts" }</button>
                </div>
            </header>
            { messages_view(&lab) }
            <div class="workspace">
                <LessonView {scenario} done={done.clone()} {doit} presenter={*presenter} />
                <div class={classes!("panes", second_open.then_some("four"))}>
                    <BrowserPane browser={BrowserId::Main} />
                    if second_open {
                        <BrowserPane browser={BrowserId::Second} />
                    }
                    <WirePane />
                    <StatePane />
                    // Under the state, beside the wire: next to the cookie it attacks.
                    if scenario.shown.cracker { { cracker_panel(&lab) } }
                </div>
            </div>
            <div class="panes lower">
                { settings_panel(&lab, &settings_error) }
                { flask_code_panel(&lab) }
            </div>
            if *help {
                <div class="overlay" role="dialog" aria-modal="false" aria-label="Keyboard shortcuts">
                    <h2>{ "Keyboard shortcuts" }</h2>
                    <dl class="shortcuts">
                        { for SHORTCUTS.iter().map(|(key, what)| html! { <>
                            <dt><kbd>{ *key }</kbd></dt><dd>{ *what }</dd>
                        </> }) }
                    </dl>
                    <p class="muted">{ "They work anywhere on the page except while typing in a field." }</p>
                    <button onclick={toggle_help}>{ "Close" }</button>
                </div>
            }
        </main>
    }
}

/// What the share link or the last action had to say, if anything: the link's error stays
/// until dismissed, an action's message until the next action.
pub fn messages_view(lab: &LabHandle) -> Html {
    let link_error = lab.link_error();
    let messages = lab.messages();
    if link_error.is_none() && messages.is_empty() {
        return html! {};
    }
    let dismiss = {
        let lab = lab.clone();
        Callback::from(move |_: MouseEvent| lab.dismiss_link_error())
    };
    html! {
        <div class="lab-messages" role="status">
            if let Some(e) = link_error {
                <p class="status bad">{ e }</p>
                <button class="link" onclick={dismiss}>{ "Dismiss" }</button>
            }
            { for messages.iter().map(|m| html! { <p class="status bad">{ m.clone() }</p> }) }
        </div>
    }
}
