//! The embed: one scenario with only the panes its address names, for an `<iframe>` in
//! slides, with a link that opens the same state in the full lab.
//!
//! `#/embed/<id>?panes=browser,jar&lab=<share state>`: `panes` lists any of `guide`,
//! `controls`, `browser`, `wire`, `jar`, `cookie`, `store`, `state` (the last three together)
//! and `code`, in any order; without it, the browser, the wire and the state. Its real cookies
//! and storage are its own (`embed.<id>`, and `embed.<id>.<hash of the link>` for a share
//! link), so a slide never disturbs the learner's lab or another embed.

use crate::lab::scenarios::Scenario;
use crate::lab::BrowserId;
use crate::ui::app::hash_param;
use crate::ui::components::browser_pane::BrowserPane;
use crate::ui::components::controls::controls;
use crate::ui::components::flask_code::flask_code_panel;
use crate::ui::components::lesson::LessonView;
use crate::ui::components::state_pane::StatePane;
use crate::ui::components::wire::WirePane;
use crate::ui::lab_context::{use_lab, use_new_lab, LabScope};
use crate::ui::pages::scenario::{messages_view, use_guided};
use std::rc::Rc;
use yew::prelude::*;

/// The panes an embed can show.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Panes {
    pub guide: bool,
    pub controls: bool,
    pub browser: bool,
    pub wire: bool,
    pub jar: bool,
    pub cookie: bool,
    pub store: bool,
    pub code: bool,
}

impl Panes {
    /// The panes `list` names (comma-separated, unknown names ignored); the browser, the wire
    /// and the state when it names none.
    pub fn parse(list: Option<&str>) -> Panes {
        let mut p = Panes::default();
        for name in list.unwrap_or_default().split(',').map(str::trim) {
            match name {
                "guide" => p.guide = true,
                "controls" => p.controls = true,
                "browser" => p.browser = true,
                "wire" => p.wire = true,
                "jar" => p.jar = true,
                "cookie" => p.cookie = true,
                "store" => p.store = true,
                "state" => (p.jar, p.cookie, p.store) = (true, true, true),
                "code" => p.code = true,
                _ => {}
            }
        }
        if p == Panes::default() {
            Panes::parse(Some("browser,wire,state"))
        } else {
            p
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct EmbedPageProps {
    pub scenario: &'static Scenario,
}

#[function_component(EmbedPage)]
pub fn embed_page(props: &EmbedPageProps) -> Html {
    let link = use_memo((), |_| hash_param("lab").map(Rc::<str>::from));
    let panes = use_memo((), |_| Panes::parse(hash_param("panes").as_deref()));
    // Each link its own scope (FNV-1a of the link), so that two embeds of one scenario on a
    // slide deck, or an embed and the full lab, never wipe each other's state.
    let scope = match link.as_deref() {
        Some(text) => {
            let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
            format!("embed.{}.{:08x}", props.scenario.id, hash as u32)
        }
        None => format!("embed.{}", props.scenario.id),
    };
    let lab = use_new_lab(props.scenario, &scope, (*link).clone());
    html! {
        <LabScope {lab}>
            <EmbedView panes={*panes} />
        </LabScope>
    }
}

#[derive(Properties, PartialEq)]
struct EmbedViewProps {
    panes: Panes,
}

#[function_component(EmbedView)]
fn embed_view(props: &EmbedViewProps) -> Html {
    let lab = use_lab();
    let scenario = lab.scenario;
    let (done, doit) = use_guided(&lab);
    let p = props.panes;
    let full = match lab.share_text() {
        Ok(state) => format!("#/s/{}?lab={state}", scenario.id),
        Err(_) => format!("#/s/{}", scenario.id),
    };
    let state = p.jar || p.cookie || p.store;
    html! {
        <main class="scenario embed">
            <header class="embed-head">
                <h1>{ scenario.title }</h1>
                <a href={full} target="_blank" rel="noopener">{ "Open in Session Lab ↗" }</a>
            </header>
            { messages_view(&lab) }
            if p.controls {
                { controls(&lab) }
            }
            <div class="panes">
                if p.guide {
                    <LessonView {scenario} {done} {doit} />
                }
                if p.browser {
                    <BrowserPane browser={BrowserId::Main} />
                }
                if p.wire {
                    <WirePane />
                }
                if state {
                    <StatePane jar={p.jar} cookie={p.cookie} store={p.store} />
                }
                if p.code {
                    { flask_code_panel(&lab) }
                }
            </div>
        </main>
    }
}
