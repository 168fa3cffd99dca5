//! `use_lab`: the one hook components use to reach a running scenario. It returns a handle
//! with the lab's verbs (navigate, submit, advance the clock, restart the browser...); each
//! verb changes the [`Lab`] and re-renders.

use crate::browser::clock::system_now;
use crate::browser::jar::BrowserJar;
use crate::browser::rng::CryptoRng;
use crate::browser::store::LocalStorageStore;
use crate::engine::apps::{self, Services};
use crate::engine::flask::config::ConfigValue;
use crate::engine::flask::sessions::SecureCookieSessionInterface;
use crate::engine::flask_session;
use crate::lab::{BrowserId, Lab};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::prelude::*;

/// The running lab, or why the app did not start (seed 000's misspelled config), with a
/// version that every change bumps, so components holding the handle re-render.
pub struct LabState {
    lab: RefCell<Result<Lab<BrowserJar>, String>>,
    version: Cell<u64>,
}

pub type LabCell = Rc<LabState>;

/// The scenario's server-side store: `localStorage` under `sl.store.<scenario>`.
fn store_for(scenario: &str) -> Box<LocalStorageStore> {
    Box::new(LocalStorageStore::new(&format!("sl.store.{scenario}")))
}

/// Builds the scenario's app on the real browser: cookies in `document.cookie` (scoped by
/// name to the scenario), server-side sessions in `localStorage`.
pub fn start_lab(scenario: &str, app_name: &str) -> Result<Lab<BrowserJar>, String> {
    let services = Services {
        store: store_for(scenario),
        rng: Box::new(CryptoRng),
    };
    match apps::build(app_name, services) {
        None => Err(format!("there is no app called {app_name}")),
        Some(Err(e)) => Err(e.0),
        Some(Ok(app)) => Ok(Lab::new(app, BrowserJar::new(scenario))),
    }
}

/// The handle `use_lab` returns.
#[derive(Clone)]
pub struct LabHandle {
    pub scenario: String,
    cell: LabCell,
    /// The lab's version when this handle was made: a changed lab is a changed prop.
    version: u64,
    update: UseForceUpdateHandle,
}

impl PartialEq for LabHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.cell, &other.cell) && self.version == other.version
    }
}

impl LabHandle {
    /// Reads the lab (None when the app failed to start).
    pub fn with<R>(&self, f: impl FnOnce(&mut Lab<BrowserJar>) -> R) -> Option<R> {
        self.cell.lab.borrow_mut().as_mut().ok().map(f)
    }

    pub fn startup_error(&self) -> Option<String> {
        self.cell.lab.borrow().as_ref().err().cloned()
    }

    /// The lab clock: the real time plus the learner's time travel.
    pub fn now(&self) -> i64 {
        system_now() + self.with(|l| l.offset).unwrap_or(0)
    }

    fn act(&self, f: impl FnOnce(&mut Lab<BrowserJar>, i64)) {
        let now = self.now();
        self.with(|l| f(l, now));
        self.cell.version.set(self.cell.version.get() + 1);
        self.update.force_update();
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
        self.act(|l, _| l.offset = l.offset.saturating_add(seconds).max(0));
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
        let scope = format!("{}.second", self.scenario);
        self.act(|l, _| l.open_second(BrowserJar::new(&scope)));
    }

    /// Changes the running app's configuration (the settings panel). Flask reads its config
    /// on every request, so the next request uses it.
    pub fn configure(&self, f: impl FnOnce(&mut crate::engine::flask::app::App)) {
        self.act(|l, _| f(&mut l.app));
    }

    /// Switches between Flask's signed cookie and Flask-Session's server-side store (in
    /// `localStorage`), re-reading Flask-Session's settings as `Session(app)` would.
    pub fn set_server_side(&self, server_side: bool) {
        let scenario = self.scenario.clone();
        self.act(|l, _| {
            if server_side {
                let config = &mut l.app.config;
                if config.get("SESSION_TYPE").is_none() {
                    let _ = config.set("SESSION_TYPE", ConfigValue::Str("filesystem".into()));
                }
                if let Err(e) =
                    flask_session::init_app(&mut l.app, store_for(&scenario), Box::new(CryptoRng))
                {
                    web_sys::console::warn_1(&e.0.into());
                }
            } else {
                l.app
                    .set_session_interface(Box::new(SecureCookieSessionInterface));
            }
        });
    }

    /// Re-renders without changing anything: the clock moved on (TTL countdowns, ages).
    pub fn tick(&self) {
        self.cell.version.set(self.cell.version.get() + 1);
        self.update.force_update();
    }

    /// Runs another app in this scenario (the misspelled scenario's "fix the keys"), keeping
    /// the scenario's cookies and store.
    pub fn replace_app(&self, app_name: &str) {
        *self.cell.lab.borrow_mut() = start_lab(&self.scenario, app_name);
        self.cell.version.set(self.cell.version.get() + 1);
        self.update.force_update();
    }

    pub fn close_second(&self) {
        self.act(|l, _| l.close_second());
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

/// Starts (once per scenario) and returns the lab for `scenario`, running `app_name`.
#[hook]
pub fn use_lab(scenario: &str, app_name: &str) -> LabHandle {
    let key = (scenario.to_string(), app_name.to_string());
    let cell = use_memo(key, |(s, a)| -> LabCell {
        Rc::new(LabState {
            lab: RefCell::new(start_lab(s, a)),
            version: Cell::new(0),
        })
    });
    let update = use_force_update();
    LabHandle {
        scenario: scenario.to_string(),
        version: cell.version.get(),
        cell: (*cell).clone(),
        update,
    }
}
