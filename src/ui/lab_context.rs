//! The running lab as the components see it. [`use_new_lab`] starts a scenario's lab on the
//! real browser (cookies in `document.cookie`, server-side sessions in `localStorage`) and
//! [`LabScope`] hands it down through a context; any component below gets it with [`use_lab`], as a
//! [`LabHandle`] with the lab's verbs (navigate, submit, move the clock, restart the
//! browser...). Each verb changes the [`Lab`] and re-renders the components that use it.
//!
//! The clock is a context of its own, [`LabClock`]: the one-second tick changes only it, so it
//! re-renders only the countdowns and ages that read it ([`use_lab_clock`]), never the panes.
//! [`LabScope`] provides both, and runs the tick.

use crate::browser::clock::system_now;
use crate::browser::jar::BrowserJar;
use crate::browser::rng::CryptoRng;
use crate::browser::store::LocalStorageStore;
use crate::engine::flask::config::ConfigValue;
use crate::engine::flask_session::store::SessionStore;
use crate::engine::py::secrets::Rng;
use crate::lab::run::{Act, Host, Run};
use crate::lab::scenarios::Scenario;
use crate::lab::share;
use crate::lab::{Action, BrowserId, Lab};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The running lab (with its journal), with a version that every change bumps, so that a
/// changed lab is a changed context.
pub struct LabState {
    run: RefCell<Run<BrowserJar>>,
    version: Cell<u64>,
    /// Seconds between this machine's clock and the lab's real time: 0, except for a lab
    /// replayed from a share link, whose clock goes on from where it was shared.
    shift: Cell<i64>,
    /// What the last action had to say beyond the panels (a refused setting or cookie edit,
    /// a share link that could not be read).
    messages: RefCell<Vec<String>>,
    /// Cookies or sessions of this scope were already in the real browser when it started.
    inherited: bool,
    /// Why the share link in the address could not be used: shown until dismissed.
    link_error: RefCell<Option<String>>,
}

/// A scope's server-side store: `localStorage` under `sl.store.<scope>`.
fn store_for(scope: &str) -> LocalStorageStore {
    LocalStorageStore::new(&format!("sl.store.{scope}"))
}

/// The real browser as the lab's platform: cookies in `document.cookie` named for the scope
/// (the second browser's under `<scope>.second`), server-side sessions in `localStorage`.
struct BrowserHost<'a>(&'a str);

impl Host<BrowserJar> for BrowserHost<'_> {
    fn jar(&mut self, browser: BrowserId) -> BrowserJar {
        match browser {
            BrowserId::Main => BrowserJar::new(self.0),
            BrowserId::Second => BrowserJar::new(&format!("{}.second", self.0)),
        }
    }

    fn store(&mut self) -> Box<dyn SessionStore> {
        Box::new(store_for(self.0))
    }
}

/// Forgets everything a scope holds in the real browser: both browsers' cookies and the
/// server-side store (before a share link is replayed there).
fn wipe(scope: &str) {
    let mut host = BrowserHost(scope);
    host.jar(BrowserId::Main).clear();
    host.jar(BrowserId::Second).clear();
    store_for(scope).clear();
}

/// Whether the real browser holds cookies (either browser's) or stored sessions of `scope`
/// from an earlier visit.
fn has_leftovers(scope: &str) -> bool {
    let mut host = BrowserHost(scope);
    let prefixes = [
        host.jar(BrowserId::Main).real_prefix(),
        host.jar(BrowserId::Second).real_prefix(),
    ];
    let cookies = crate::browser::cookies::read_all_raw().unwrap_or_default();
    cookies
        .iter()
        .any(|(name, _)| prefixes.iter().any(|p| name.starts_with(p.as_str())))
        || store_for(scope).page(system_now(), 0, 1).total > 0
}

/// A fresh random seed for a new lab.
fn new_seed() -> u64 {
    let mut bytes = [0u8; 8];
    CryptoRng.fill(&mut bytes);
    u64::from_le_bytes(bytes)
}

/// A running scenario, with the lab's verbs.
#[derive(Clone)]
pub struct LabHandle {
    pub scenario: &'static Scenario,
    /// Where its real cookies and storage live: the scenario's id, or the comparison's side.
    scope: Rc<str>,
    cell: Rc<LabState>,
    /// The lab's version when this handle was made: a changed lab is a changed handle.
    version: u64,
    update: UseForceUpdateHandle,
}

impl PartialEq for LabHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.cell, &other.cell) && self.version == other.version
    }
}

impl LabHandle {
    /// Reads or changes the lab (None when the app failed to start).
    pub fn with<R>(&self, f: impl FnOnce(&mut Lab<BrowserJar>) -> R) -> Option<R> {
        self.cell.run.borrow_mut().lab.as_mut().ok().map(f)
    }

    /// Reads the whole run: the lab, its seed and journal.
    pub fn with_run<R>(&self, f: impl FnOnce(&Run<BrowserJar>) -> R) -> R {
        f(&self.cell.run.borrow())
    }

    /// Which lab this is: it changes when the scenario's fix starts a new one (whose log starts
    /// again from exchange 0).
    pub fn epoch(&self) -> u64 {
        self.cell.run.borrow().epoch
    }

    pub fn startup_error(&self) -> Option<String> {
        self.cell.run.borrow().lab.as_ref().err().cloned()
    }

    /// What the last action had to say beyond the panels.
    pub fn messages(&self) -> Vec<String> {
        self.cell.messages.borrow().clone()
    }

    /// Why the share link the lab was opened with could not be used, until dismissed.
    pub fn link_error(&self) -> Option<String> {
        self.cell.link_error.borrow().clone()
    }

    pub fn dismiss_link_error(&self) {
        self.cell.link_error.borrow_mut().take();
        self.changed();
    }

    /// The lab clock: the real time plus the learner's time travel.
    pub fn now(&self) -> i64 {
        system_now() + self.cell.shift.get() + self.with(|l| l.offset).unwrap_or(0)
    }

    /// The share link's `lab=` text for the lab as it is now, or why there is none.
    pub fn share_text(&self) -> Result<String, String> {
        let now = self.now();
        share::encode(&self.cell.run.borrow(), now)
    }

    /// Whether the lab began with cookies or stored sessions left from an earlier visit, which
    /// its journal (and so a share link) does not hold.
    pub fn inherited(&self) -> bool {
        self.cell.inherited
    }

    fn changed(&self) {
        self.cell.version.set(self.cell.version.get() + 1);
        self.update.force_update();
    }

    /// Does one act now, writes it in the journal, and re-renders; returns what it had to say.
    pub fn act(&self, act: Act) -> Vec<String> {
        let now = self.now();
        let said = self
            .cell
            .run
            .borrow_mut()
            .apply(act, now, &mut BrowserHost(&self.scope));
        *self.cell.messages.borrow_mut() = said.clone();
        self.changed();
        said
    }

    pub fn navigate(&self, browser: BrowserId, target: &str) {
        let target = normalise_target(target);
        self.act(Act::Navigate { browser, target });
    }

    pub fn submit(
        &self,
        browser: BrowserId,
        method: &str,
        action: &str,
        fields: Vec<(String, String)>,
    ) {
        self.act(Act::Submit {
            browser,
            method: method.into(),
            action: action.into(),
            fields,
        });
    }

    /// Does one of the lab's written-down [`Action`]s (a step's "Do it", the comparison).
    pub fn perform(&self, action: Action) {
        self.act(Act::from(action));
    }

    pub fn back(&self, browser: BrowserId) {
        self.act(Act::Back(browser));
    }

    pub fn forward(&self, browser: BrowserId) {
        self.act(Act::Forward(browser));
    }

    pub fn reload(&self, browser: BrowserId) {
        self.act(Act::Reload(browser));
    }

    /// Time travel: moves the lab clock forward (never back past the real time).
    pub fn advance(&self, seconds: i64) {
        self.act(Act::Advance(seconds));
    }

    pub fn reset_clock(&self) {
        self.act(Act::ResetClock);
    }

    pub fn restart_browser(&self, browser: BrowserId) {
        self.act(Act::Restart(browser));
    }

    pub fn clear_cookies(&self, browser: BrowserId) {
        self.act(Act::ClearCookies(browser));
    }

    pub fn open_second(&self) {
        self.act(Act::OpenSecond);
    }

    pub fn close_second(&self) {
        self.act(Act::CloseSecond);
    }

    /// Changes a config key (the settings panel). Flask reads its config on every request, so
    /// the next request uses it. Returns the refusal, if any.
    pub fn configure(&self, key: &str, value: ConfigValue) -> Option<String> {
        let refused = self.act(Act::Configure {
            key: key.into(),
            value,
        });
        // The settings panel shows the refusal beside the field.
        self.cell.messages.borrow_mut().clear();
        refused.into_iter().next()
    }

    /// Switches between Flask's signed cookie and Flask-Session's server-side store (in
    /// `localStorage`), re-reading Flask-Session's settings as `Session(app)` would.
    pub fn set_server_side(&self, server_side: bool) {
        for e in self.act(Act::ServerSide(server_side)) {
            web_sys::console::warn_1(&e.into());
        }
    }

    /// Changes a cookie's value in a browser's jar (the jar's editor).
    pub fn edit_cookie(&self, browser: BrowserId, name: &str, path: &str, value: &str) {
        self.act(Act::EditCookie {
            browser,
            name: name.into(),
            path: path.into(),
            value: value.into(),
        });
    }

    /// Runs the scenario's corrected app (for an app that cannot start), keeping its cookies
    /// and store.
    pub fn fix(&self) {
        self.act(Act::Fix);
    }
}

/// What the address bar accepts: a path, or a `http://localhost/...` URL, as a path.
pub fn normalise_target(text: &str) -> String {
    let t = text.trim();
    let t = t
        .strip_prefix("http://localhost")
        .or_else(|| t.strip_prefix("localhost"))
        .unwrap_or(t);
    if t.starts_with('/') {
        t.to_string()
    } else {
        format!("/{t}")
    }
}

/// Starts (once) the lab of `scenario`, with its real cookies and storage under `scope`, and
/// returns its handle; the calling component re-renders when the lab changes. With `link` (a
/// share link's `lab=` text) the scope is emptied and the link's journal replayed, with the
/// clock going on from where it was shared; a link that cannot be read leaves the scope as
/// it is and says why ([`LabHandle::link_error`]).
#[hook]
pub fn use_new_lab(scenario: &'static Scenario, scope: &str, link: Option<Rc<str>>) -> LabHandle {
    let scope: Rc<str> = Rc::from(scope);
    let cell = use_memo((scenario.id, scope.clone()), |(_, scope)| {
        let mut host = BrowserHost(scope);
        let mut link_error = None;
        let shared = link.as_deref().map(share::decode).and_then(|d| match d {
            Ok(shared) if shared.scenario == scenario => Some(shared),
            Ok(shared) => {
                link_error = Some(format!(
                    "This share link is for another scenario ({}). This one starts from the \
                     beginning instead.",
                    shared.scenario.title
                ));
                None
            }
            Err(e) => {
                link_error = Some(e.to_string());
                None
            }
        });
        let (run, shift, inherited) = match shared {
            Some(shared) => {
                wipe(scope);
                let run = Run::replay(scenario, shared.seed, &shared.journal, &mut host);
                let offset = run.lab.as_ref().map_or(0, |l| l.offset);
                (run, shared.clock - offset - system_now(), false)
            }
            None => {
                let inherited = has_leftovers(scope);
                (Run::start(scenario, new_seed(), &mut host), 0, inherited)
            }
        };
        Rc::new(LabState {
            run: RefCell::new(run),
            version: Cell::new(0),
            shift: Cell::new(shift),
            messages: RefCell::new(Vec::new()),
            inherited,
            link_error: RefCell::new(link_error),
        })
    });
    let update = use_force_update();
    LabHandle {
        scenario,
        scope,
        version: cell.version.get(),
        cell: (*cell).clone(),
        update,
    }
}

/// The lab that the components below a [`LabScope`] (or a `ContextProvider<LabHandle>`)
/// share.
#[hook]
pub fn use_lab() -> LabHandle {
    use_context::<LabHandle>().expect("a component that uses the lab sits inside a LabScope")
}

/// The lab clock as countdowns and ages read it: the lab's time (the real time plus the
/// learner's time travel) when the clock last ticked or the lab last changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LabClock {
    pub now: i64,
    /// Ticks so far: every tick is news to the countdowns.
    tick: u64,
}

/// The lab clock, for a component that shows a countdown or an age: it re-renders on every
/// tick (and only such components should read it).
#[hook]
pub fn use_lab_clock() -> i64 {
    use_context::<LabClock>().map_or_else(system_now, |c| c.now)
}

/// A running clock's tick.
type Tick = Rc<dyn Fn()>;

thread_local! {
    /// The running clocks' ticks, by the id of their [`LabScope`].
    static CLOCKS: RefCell<Vec<(u64, Tick)>> = RefCell::new(Vec::new());
    static NEXT_CLOCK: Cell<u64> = const { Cell::new(0) };
}

/// Ticks every running lab clock now, as their one-second timers do (for the tests, which do
/// not wait a second).
pub fn tick_clocks() {
    let ticks: Vec<Tick> =
        CLOCKS.with(|c| c.borrow().iter().map(|(_, tick)| tick.clone()).collect());
    for tick in ticks {
        tick();
    }
}

#[derive(Properties, PartialEq)]
pub struct LabScopeProps {
    pub lab: LabHandle,
    #[prop_or_default]
    pub children: Html,
}

/// Gives the components inside `lab` (a [`LabHandle`] context) and its clock (a [`LabClock`]
/// context, ticking once a second).
#[function_component(LabScope)]
pub fn lab_scope(props: &LabScopeProps) -> Html {
    let ticks = use_mut_ref(|| 0u64);
    let update = use_force_update();
    {
        let ticks = ticks.clone();
        use_effect_with((), move |_| {
            let id = NEXT_CLOCK.with(|n| {
                n.set(n.get() + 1);
                n.get()
            });
            let tick: Tick = Rc::new(move || {
                *ticks.borrow_mut() += 1;
                update.force_update();
            });
            CLOCKS.with(|c| c.borrow_mut().push((id, tick.clone())));
            let timer = Closure::<dyn Fn()>::new(move || tick());
            let window = web_sys::window();
            let interval = window.as_ref().and_then(|w| {
                w.set_interval_with_callback_and_timeout_and_arguments_0(
                    timer.as_ref().unchecked_ref(),
                    1000,
                )
                .ok()
            });
            move || {
                if let (Some(w), Some(interval)) = (window, interval) {
                    w.clear_interval_with_handle(interval);
                }
                CLOCKS.with(|c| c.borrow_mut().retain(|(i, _)| *i != id));
                drop(timer);
            }
        });
    }
    let clock = LabClock {
        now: props.lab.now(),
        tick: *ticks.borrow(),
    };
    html! {
        <ContextProvider<LabHandle> context={props.lab.clone()}>
            <ContextProvider<LabClock> context={clock}>
                { props.children.clone() }
            </ContextProvider<LabClock>>
        </ContextProvider<LabHandle>>
    }
}
