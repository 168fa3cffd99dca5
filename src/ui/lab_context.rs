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
use crate::engine::apps::Services;
use crate::engine::flask::app::App;
use crate::engine::flask::config::ConfigValue;
use crate::engine::flask::sessions::SecureCookieSessionInterface;
use crate::engine::flask_session;
use crate::lab::scenarios::{AppBuilder, Scenario};
use crate::lab::{Action, BrowserId, Lab};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The running lab, or why the app did not start (seed 000's misspelled config), with a
/// version that every change bumps, so that a changed lab is a changed context.
pub struct LabState {
    lab: RefCell<Result<Lab<BrowserJar>, String>>,
    version: Cell<u64>,
    /// Bumped when another app (a new `Lab`, a new log) replaces the running one.
    epoch: Cell<u64>,
}

/// A scope's server-side store: `localStorage` under `sl.store.<scope>`.
fn store_for(scope: &str) -> Box<LocalStorageStore> {
    Box::new(LocalStorageStore::new(&format!("sl.store.{scope}")))
}

/// Builds an app on the real browser: cookies in `document.cookie` (named for `scope`),
/// server-side sessions in `localStorage`.
fn start_lab(app: AppBuilder, scope: &str) -> Result<Lab<BrowserJar>, String> {
    let services = Services {
        store: store_for(scope),
        rng: Box::new(CryptoRng),
    };
    app(services)
        .map(|app| Lab::new(app, BrowserJar::new(scope)))
        .map_err(|e| e.to_string())
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
        self.cell.lab.borrow_mut().as_mut().ok().map(f)
    }

    /// Which lab this is: it changes when [`LabHandle::replace_app`] starts a new one (whose log
    /// starts again from exchange 0).
    pub fn epoch(&self) -> u64 {
        self.cell.epoch.get()
    }

    pub fn startup_error(&self) -> Option<String> {
        self.cell.lab.borrow().as_ref().err().cloned()
    }

    /// The lab clock: the real time plus the learner's time travel.
    pub fn now(&self) -> i64 {
        system_now() + self.with(|l| l.offset).unwrap_or(0)
    }

    fn changed(&self) {
        self.cell.version.set(self.cell.version.get() + 1);
        self.update.force_update();
    }

    fn act(&self, f: impl FnOnce(&mut Lab<BrowserJar>, i64)) {
        let now = self.now();
        self.with(|l| f(l, now));
        self.changed();
    }

    pub fn navigate(&self, browser: BrowserId, target: &str) {
        let target = normalise_target(target);
        self.act(|l, now| {
            l.navigate(browser, &target, now);
        });
    }

    pub fn submit(
        &self,
        browser: BrowserId,
        method: &str,
        action: &str,
        fields: Vec<(String, String)>,
    ) {
        self.act(|l, now| {
            l.submit(browser, method, action, &fields, now);
        });
    }

    /// Does one of the lab's [`Action`]s in the main browser.
    pub fn perform(&self, action: Action) {
        self.act(|l, now| l.perform(action, now));
    }

    pub fn back(&self, browser: BrowserId) {
        self.act(|l, now| {
            l.back(browser, now);
        });
    }

    pub fn forward(&self, browser: BrowserId) {
        self.act(|l, now| {
            l.forward(browser, now);
        });
    }

    pub fn reload(&self, browser: BrowserId) {
        self.act(|l, now| {
            l.reload(browser, now);
        });
    }

    /// Time travel: moves the lab clock forward (never back past the real time).
    pub fn advance(&self, seconds: i64) {
        self.perform(Action::Advance(seconds));
    }

    pub fn reset_clock(&self) {
        self.act(|l, _| l.offset = 0);
    }

    pub fn restart_browser(&self, browser: BrowserId) {
        self.act(|l, _| l.restart_browser(browser));
    }

    pub fn clear_cookies(&self, browser: BrowserId) {
        self.act(|l, _| l.clear_cookies(browser));
    }

    pub fn open_second(&self) {
        let scope = format!("{}.second", self.scope);
        self.act(|l, _| l.open_second(BrowserJar::new(&scope)));
    }

    pub fn close_second(&self) {
        self.act(|l, _| l.close_second());
    }

    /// Changes the running app's configuration (the settings panel). Flask reads its config
    /// on every request, so the next request uses it.
    pub fn configure(&self, f: impl FnOnce(&mut App)) {
        self.act(|l, _| f(&mut l.app));
    }

    /// Switches between Flask's signed cookie and Flask-Session's server-side store (in
    /// `localStorage`), re-reading Flask-Session's settings as `Session(app)` would.
    pub fn set_server_side(&self, server_side: bool) {
        let scope = self.scope.clone();
        self.act(|l, _| {
            if server_side {
                let config = &mut l.app.config;
                if config.get("SESSION_TYPE").is_none() {
                    let _ = config.set("SESSION_TYPE", ConfigValue::Str("filesystem".into()));
                }
                if let Err(e) =
                    flask_session::init_app(&mut l.app, store_for(&scope), Box::new(CryptoRng))
                {
                    web_sys::console::warn_1(&e.to_string().into());
                }
            } else {
                l.app
                    .set_session_interface(Box::new(SecureCookieSessionInterface));
            }
        });
    }

    /// Runs another app in this lab (the scenario's fix for an app that cannot start),
    /// keeping its cookies and store.
    pub fn replace_app(&self, app: AppBuilder) {
        *self.cell.lab.borrow_mut() = start_lab(app, &self.scope);
        self.cell.epoch.set(self.cell.epoch.get() + 1);
        self.changed();
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
/// returns its handle; the calling component re-renders when the lab changes.
#[hook]
pub fn use_new_lab(scenario: &'static Scenario, scope: &str) -> LabHandle {
    let scope: Rc<str> = Rc::from(scope);
    let cell = use_memo((scenario.id, scope.clone()), |(_, scope)| {
        Rc::new(LabState {
            lab: RefCell::new(start_lab(scenario.app, scope)),
            version: Cell::new(0),
            epoch: Cell::new(0),
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
