//! The key cracker: tries a wordlist of secret keys against a session cookie, here in the
//! page, as Flask-Unsign's brute force does. The job is [`crate::lab::cracker`]; this
//! component runs it in slices of about [`SLICE_MS`] that yield to the browser between them
//! (a `MessageChannel` message, which unlike a zero-delay timer is not clamped), so the page
//! keeps rendering and answering clicks while it runs.
//!
//! The DOM is a contract a bench script relies on: `section#cracker` with `input#crack-cookie`,
//! `select#crack-source` (`builtin`, `paste`, `file`), `textarea#crack-list`,
//! `input#crack-file`, `button#crack-start`, `button#crack-cancel`, `progress#crack-progress`,
//! `#crack-rate`, and `#crack-status` with `data-state`, `data-tried`, `data-ms` (cracking
//! time, list loading left out), `data-rate` (keys per second over the run) and `data-key`.
//!
//! For screen readers, `#crack-status` is a polite live region whose text changes only with
//! the state (started, found, exhausted, cancelled, refused); the running counts are in
//! `#crack-count`, outside it, and the progress bar is `aria-busy` while a run goes on. Start
//! hands the keyboard focus to Cancel, and the end of a run hands it back.

use crate::engine::itsdangerous::signing::Segments;
use crate::lab::cracker::{
    self, grouped, key_repr, key_text, Budget, Job, Progress, State, Wordlist, MAX_FILE_BYTES,
    MAX_PASTE_BYTES, STRONG_KEY_BITS,
};
use crate::lab::run::Act;
use crate::lab::{BrowserId, CookieJar};
use crate::ui::lab_context::LabHandle;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlElement;
use web_sys::{
    HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement, MessageChannel, MessageEvent,
};
use yew::prelude::*;

/// Work per slice before yielding to the browser, in milliseconds.
pub const SLICE_MS: f64 = 30.0;

/// How often a running job's progress is drawn.
const DRAW_EVERY_MS: f64 = 250.0;

/// The page a forged session opens: a members-only page of tutorial 004's site.
const MEMBERS_PAGE: &str = "/about";

/// The cracker aimed at the main browser's session cookie (scenarios whose
/// [`crate::lab::scenarios::Shown::cracker`] is set), with a button that signs an admin session
/// with the key found and opens a members-only page.
pub fn cracker_panel(lab: &LabHandle) -> Html {
    let cookie = main_session_cookie(lab).unwrap_or_default();
    let forge = {
        let lab = lab.clone();
        Callback::from(move |key: String| {
            let current = main_session_cookie(&lab);
            let json = cracker::admin_session(current.as_deref());
            let said = lab.act(Act::Sign {
                browser: BrowserId::Main,
                json,
                key,
            });
            if said.is_empty() {
                lab.navigate(BrowserId::Main, MEMBERS_PAGE);
            }
        })
    };
    html! {
        <Cracker {cookie} heading="Key cracker" forge={Some(forge)} />
    }
}

/// The value of the main browser's session cookie, from the jar.
fn main_session_cookie(lab: &LabHandle) -> Option<String> {
    let now = lab.now();
    lab.with(|l| {
        let name = l.app.config.session_cookie_name.clone();
        CookieJar::cookies(&mut l.main.jar, now)
            .into_iter()
            .find(|c| c.name == name)
            .map(|c| c.value)
    })
    .flatten()
}

#[derive(Properties, PartialEq)]
pub struct CrackerProps {
    /// The cookie to attack; the field follows it whenever it changes.
    pub cookie: String,
    pub heading: AttrValue,
    /// Classes besides `panel cracker`.
    #[prop_or_default]
    pub class: Classes,
    /// Offered once a key is found: forge an admin session with it (a scenario page).
    #[prop_or_default]
    pub forge: Option<Callback<String>>,
    /// Offered once a key is found: hand it to the rest of the page (the decoder).
    #[prop_or_default]
    pub use_key: Option<Callback<String>>,
}

/// What the cracker shows.
#[derive(Debug, Clone, PartialEq)]
enum View {
    Idle,
    /// A file is being read (not counted in the cracking time).
    Loading(String),
    /// A run could not start.
    Refused(String),
    Run {
        progress: Progress,
        origin: String,
        /// The cookie the run was started on.
        cookie: String,
        /// Once the run is over: keys per second, measured on enough keys to mean something.
        measured: Option<u64>,
        /// Once the run is over: guesses per second at the derived key this machine would make.
        derived: Option<u64>,
    },
}

impl View {
    /// Where `job` (started on `cookie`) is. A run that tried fewer keys than
    /// [`Job::calibration_keys`] took too little time to time well: the rate is measured again
    /// on as many made-up keys once it is over.
    fn of(job: &Job, cookie: &str) -> View {
        let progress = job.progress();
        let enough = job.calibration_keys();
        let measured = match progress.state {
            State::Running => None,
            _ if progress.tried >= enough as u64 => Some(progress.rate()),
            _ => Some(job.measure_rate(enough, &mut now_ms)),
        };
        View::Run {
            progress,
            origin: job.origin().to_string(),
            cookie: cookie.to_string(),
            measured,
            derived: measured.map(|rate| job.derived_key_rate(rate)),
        }
    }
}

impl View {
    fn state(&self) -> &'static str {
        match self {
            View::Idle | View::Refused(_) => "idle",
            View::Loading(_) => "running",
            View::Run { progress, .. } => progress.state.name(),
        }
    }

    fn running(&self) -> bool {
        self.state() == "running"
    }
}

/// The running job, shared by the buttons and the slice handler.
struct Engine {
    job: RefCell<Option<(Job, String)>>,
    /// Bumped by each start and cancel: a slice message for another generation is ignored.
    generation: Cell<u64>,
    channel: RefCell<Option<MessageChannel>>,
    /// The last key found, kept when later runs find nothing (to forge with it again after
    /// the fix, and see the server refuse it).
    last_found: RefCell<Option<Vec<u8>>>,
    /// When the running job's progress was last drawn (the page's clock, milliseconds).
    drawn_at: Cell<f64>,
}

impl Engine {
    /// Asks for one more slice of generation `generation`, after the browser has had its turn.
    fn schedule(&self, generation: u64) {
        if let Some(channel) = self.channel.borrow().as_ref() {
            let _ = channel
                .port2()
                .post_message(&JsValue::from_f64(generation as f64));
        }
    }

    fn next_generation(&self) -> u64 {
        self.generation.set(self.generation.get() + 1);
        self.generation.get()
    }
}

/// Milliseconds from the page's clock.
fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
}

/// Starts a job over `list` and its first slice; or shows why it cannot start.
fn launch(engine: &Rc<Engine>, view: &UseStateSetter<View>, cookie: &str, list: Wordlist) {
    let generation = engine.next_generation();
    match Job::new(cookie, list) {
        Ok(job) => {
            view.set(View::of(&job, cookie));
            engine.drawn_at.set(now_ms());
            *engine.job.borrow_mut() = Some((job, cookie.to_string()));
            engine.schedule(generation);
        }
        Err(e) => {
            *engine.job.borrow_mut() = None;
            view.set(View::Refused(e));
        }
    }
}

/// One slice of the running job, for the slice message of `generation`.
fn slice(engine: &Rc<Engine>, view: &UseStateSetter<View>, generation: u64) {
    if generation != engine.generation.get() {
        return;
    }
    let shown = {
        let mut job = engine.job.borrow_mut();
        let Some((job, cookie)) = job.as_mut() else {
            return;
        };
        let progress = job.run(Budget::Millis(SLICE_MS), &mut now_ms);
        if let Some(key) = &progress.found {
            *engine.last_found.borrow_mut() = Some(key.clone());
        }
        View::of(job, cookie)
    };
    let again = shown.running();
    // Progress is drawn a few times a second, not after every slice: each drawing costs the
    // browser a frame (style, layout, paint of the page), which in a software-rendered
    // browser took as long as three slices of work. The end of a run is always drawn.
    let now = now_ms();
    if !again || now - engine.drawn_at.get() >= DRAW_EVERY_MS {
        engine.drawn_at.set(now);
        view.set(shown);
    }
    if again {
        engine.schedule(generation);
    }
}

/// Reads an uploaded file's bytes (not its text) and starts a job over them.
fn read_file(
    engine: &Rc<Engine>,
    view: &UseStateSetter<View>,
    cookie: String,
    file: web_sys::File,
) {
    let name = file.name();
    if file.size() > MAX_FILE_BYTES as f64 {
        view.set(View::Refused(format!(
            "{name} is {:.1} MB: the cracker takes lists of up to {} MB.",
            file.size() / (1u64 << 20) as f64,
            MAX_FILE_BYTES >> 20
        )));
        return;
    }
    let generation = engine.next_generation();
    *engine.job.borrow_mut() = None;
    view.set(View::Loading(name.clone()));
    let loaded = {
        let (engine, view, name) = (engine.clone(), view.clone(), name.clone());
        Closure::once_into_js(move |buffer: JsValue| {
            if engine.generation.get() != generation {
                return;
            }
            let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
            match Wordlist::from_bytes(&name, bytes) {
                Ok(list) => launch(&engine, &view, &cookie, list),
                Err(e) => view.set(View::Refused(e)),
            }
        })
    };
    let failed = {
        let (engine, view) = (engine.clone(), view.clone());
        Closure::once_into_js(move |_: JsValue| {
            if engine.generation.get() == generation {
                view.set(View::Refused(format!("{name} could not be read.")));
            }
        })
    };
    // `promise.then(loaded, failed)` with one-shot functions, which free themselves once
    // called (one of the two never is: a few bytes per file read).
    let promise = file.array_buffer();
    if let Ok(then) = js_sys::Reflect::get(&promise, &"then".into()) {
        let _ = then
            .unchecked_into::<js_sys::Function>()
            .call2(&promise, &loaded, &failed);
    }
}

/// The cookie with its payload, timestamp and signature coloured as the decoder shows them.
fn cookie_parts(cookie: &str) -> Html {
    let value = crate::lab::decoder::extract_cookie(cookie).1;
    match Segments::split(&value) {
        Ok(s) if value.len() <= cracker::MAX_COOKIE_BYTES => html! {
            <p class="cracker-parts mono">
                <span class="visually-hidden">{ "The cookie's parts, payload, timestamp and signature: " }</span>
                <span class="decoder-seg-payload" title="payload">{ s.payload }</span>{ "." }
                <span class="decoder-seg-timestamp" title="timestamp">{ s.timestamp }</span>{ "." }
                <span class="decoder-seg-signature" title="signature">{ s.signature }</span>
            </p>
        },
        _ => html! {},
    }
}

/// Moves the keyboard focus from the button `from` (just disabled) to `to`, when the focus is
/// still on `from` or was dropped to the page's body with it.
fn hand_focus(from: &NodeRef, to: &NodeRef) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let active = document.active_element();
    let dropped = match (&active, document.body()) {
        (None, _) => true,
        (Some(a), Some(body)) => a == body.unchecked_ref::<web_sys::Element>(),
        _ => false,
    };
    let on_from = active
        .zip(from.get())
        .is_some_and(|(a, f)| f == *a.unchecked_ref::<web_sys::Node>());
    if dropped || on_from {
        if let Some(to) = to.cast::<HtmlElement>() {
            let _ = to.focus();
        }
    }
}

/// 10 to the power `exponent`, written out for the page.
fn power_of_ten(exponent: i32) -> Html {
    html! { <>{ "10" }<sup>{ exponent }</sup></> }
}

/// What the measured rates mean for a key of 256 random bits: `rate` candidate keys per
/// second, `derived` guesses per second at the derived key.
fn strong_key_note(rate: u64, derived: u64) -> Html {
    let Some(years) = cracker::strong_key_years(STRONG_KEY_BITS, derived) else {
        return html! {};
    };
    let bits = cracker::search_bits(STRONG_KEY_BITS);
    html! {
        <div class="cracker-strong" id="crack-strong">
            <h3>{ "What a strong key means" }</h3>
            <p>
                { "A key made by " }<code>{ "secrets.token_hex(32)" }</code>
                { format!(" is {STRONG_KEY_BITS} random bits, and no list holds it. Flask does not \
                   sign with it, though: itsdangerous first turns it into a signing key, ") }
                <code>{ "HMAC-SHA1(SECRET_KEY, \"cookie-session\")" }</code>
                { format!(", of {bits} bits. An attacker can guess that signing key directly, \
                   one HMAC over the cookie per guess, so random bits beyond {bits} add nothing \
                   against brute force. On average half of the 2") }<sup>{ bits }</sup>
                { " signing keys must be tried: 2" }<sup>{ bits - 1 }</sup>
                { format!(" guesses. At the {} guesses/s this page would make (it measured {} \
                           keys/s, each also deriving the signing key), that takes about ",
                          grouped(derived), grouped(rate)) }
                { power_of_ten(years) }
                { " years. The universe is about 1.4 × " }{ power_of_ten(10) }{ " years old." }
            </p>
        </div>
    }
}

#[function_component(Cracker)]
pub fn cracker(props: &CrackerProps) -> Html {
    let view = use_state(|| View::Idle);
    let source = use_state_eq(|| "builtin".to_string());
    let cookie = use_state(|| props.cookie.clone());
    let list_ref = use_node_ref();
    let file_ref = use_node_ref();
    let start_ref = use_node_ref();
    let cancel_ref = use_node_ref();
    let engine = use_memo((), |_| {
        Rc::new(Engine {
            job: RefCell::new(None),
            generation: Cell::new(0),
            channel: RefCell::new(None),
            last_found: RefCell::new(None),
            drawn_at: Cell::new(f64::NEG_INFINITY),
        })
    });
    let engine: Rc<Engine> = (*engine).clone();
    {
        // The field follows the cookie it is aimed at.
        let cookie = cookie.clone();
        use_effect_with(props.cookie.clone(), move |c| cookie.set(c.clone()));
    }
    {
        // The slice messages: one channel for the component's life.
        let (engine, setter) = (engine.clone(), view.setter());
        use_effect_with((), move |_| {
            let channel = MessageChannel::new().ok();
            let handler = {
                let engine = engine.clone();
                Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
                    let generation = e.data().as_f64().unwrap_or(-1.0);
                    if generation >= 0.0 {
                        slice(&engine, &setter, generation as u64);
                    }
                })
            };
            if let Some(c) = &channel {
                c.port1()
                    .set_onmessage(Some(handler.as_ref().unchecked_ref()));
            }
            *engine.channel.borrow_mut() = channel;
            move || {
                engine.next_generation();
                if let Some(c) = engine.channel.borrow_mut().take() {
                    c.port1().set_onmessage(None);
                    c.port1().close();
                    c.port2().close();
                }
                *engine.job.borrow_mut() = None;
                drop(handler);
            }
        });
    }

    let on_cookie = {
        let cookie = cookie.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                cookie.set(i.value());
            }
        })
    };
    let choose = |value: &'static str| {
        let source = source.clone();
        Callback::from(move |_: Event| source.set(value.to_string()))
    };
    let on_paste = {
        let source = source.clone();
        Callback::from(move |_: InputEvent| source.set("paste".to_string()))
    };
    let on_source = {
        let source = source.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
                source.set(s.value());
            }
        })
    };
    let start = {
        let (engine, setter) = (engine.clone(), view.setter());
        let (cookie, source) = ((*cookie).clone(), (*source).clone());
        let (list_ref, file_ref) = (list_ref.clone(), file_ref.clone());
        Callback::from(move |_: MouseEvent| {
            // A cookie that cannot be cracked is said before any list is read.
            if let Err(e) = cracker::target_of(&cookie) {
                engine.next_generation();
                setter.set(View::Refused(e));
                return;
            }
            match source.as_str() {
                "paste" => {
                    let Some(area) = list_ref.cast::<HtmlTextAreaElement>() else {
                        return;
                    };
                    // Measured before the text is copied out of the page.
                    let units = area.text_length() as usize;
                    let list = if units > MAX_PASTE_BYTES {
                        Err(format!(
                            "The pasted list is over {} MB: paste up to {} MB, or upload a \
                             bigger list as a file.",
                            units >> 20,
                            MAX_PASTE_BYTES >> 20
                        ))
                    } else {
                        Wordlist::from_paste(area.value())
                    };
                    match list {
                        Ok(list) => launch(&engine, &setter, &cookie, list),
                        Err(e) => {
                            engine.next_generation();
                            setter.set(View::Refused(e));
                        }
                    }
                }
                "file" => {
                    let file = file_ref
                        .cast::<HtmlInputElement>()
                        .and_then(|i| i.files())
                        .and_then(|f| f.get(0));
                    match file {
                        Some(file) => read_file(&engine, &setter, cookie.clone(), file),
                        None => {
                            engine.next_generation();
                            setter.set(View::Refused("Choose a file first.".into()));
                        }
                    }
                }
                _ => launch(&engine, &setter, &cookie, Wordlist::builtin()),
            }
        })
    };
    let cancel = {
        let (engine, setter, view) = (engine.clone(), view.setter(), (*view).clone());
        Callback::from(move |_: MouseEvent| {
            engine.next_generation();
            let shown = match engine.job.borrow_mut().as_mut() {
                Some((job, cookie)) => {
                    job.cancel();
                    View::of(job, cookie)
                }
                None => match &view {
                    View::Loading(name) => View::Refused(format!("Stopped reading {name}.")),
                    other => other.clone(),
                },
            };
            setter.set(shown);
        })
    };

    let running = view.running();
    {
        // Start is disabled once pressed, and Cancel once the run is over: the focus goes to
        // the other button, unless it has moved elsewhere meanwhile.
        let (start_ref, cancel_ref) = (start_ref.clone(), cancel_ref.clone());
        let was = use_mut_ref(|| running);
        use_effect_with(running, move |&running| {
            if *was.borrow() != running {
                *was.borrow_mut() = running;
                let (from, to) = if running {
                    (&start_ref, &cancel_ref)
                } else {
                    (&cancel_ref, &start_ref)
                };
                hand_focus(from, to);
            }
        });
    }
    let (progress, origin, run_cookie, measured, derived) = match &*view {
        View::Run {
            progress,
            origin,
            cookie,
            measured,
            derived,
        } => (
            Some(progress),
            origin.as_str(),
            Some(cookie),
            *measured,
            *derived,
        ),
        _ => (None, "", None, None, None),
    };
    let found = progress.and_then(|p| p.found.clone());
    let rate = progress.map_or(0, Progress::rate);
    let sentence = match &*view {
        View::Idle => "Choose a list and press Start.".to_string(),
        View::Loading(name) => format!("Reading {name}…"),
        View::Refused(e) => e.clone(),
        // While running, the live region says only that the run started: the counts are in
        // `#crack-count`, outside it.
        View::Run { progress, .. } if progress.state == State::Running => {
            format!("Trying {origin}…")
        }
        View::Run { progress, .. } => progress.sentence(origin),
    };
    let count = match (&*view, progress) {
        (View::Run { .. }, Some(p)) if running => p.sentence(origin),
        _ => String::new(),
    };
    let stale = found.is_some() && run_cookie.is_some_and(|c| *c != *cookie);
    let (max, value) = match progress {
        Some(p) if p.total > 0 => (p.total as f64, p.tried as f64),
        _ => (1.0, 0.0),
    };
    let source_now = (*source).clone();
    let status_class = match view.state() {
        "found" => "cracker-status good",
        "exhausted" | "cancelled" => "cracker-status",
        _ if matches!(*view, View::Refused(_)) => "cracker-status bad",
        _ => "cracker-status",
    };
    // The rate shown: live during a run, then the one measured on enough keys.
    let shown_rate = measured.unwrap_or(rate);
    let last_found = engine.last_found.borrow().clone();
    let earlier = last_found.is_some() && found.is_none();
    let actions = last_found.as_ref().map(|key| {
        let text = std::str::from_utf8(key).ok().map(str::to_string);
        let forge = props.forge.clone().zip(text.clone()).map(|(cb, k)| {
            Callback::from(move |_: MouseEvent| cb.emit(k.clone()))
        });
        let use_key = props.use_key.clone().zip(text.clone()).map(|(cb, k)| {
            Callback::from(move |_: MouseEvent| cb.emit(k.clone()))
        });
        html! {
            <div class="cracker-found">
                if let Some(onclick) = forge {
                    <button id="crack-forge" {onclick}>{ "Forge an admin session with this key" }</button>
                    <span class="cracker-help">{ "Signs the current session with user_name set to admin, puts it in the browser's jar and opens /about." }</span>
                }
                if let Some(onclick) = use_key {
                    <button id="crack-use-key" {onclick}>{ "Use this key to verify and forge" }</button>
                }
                if text.is_none() {
                    <span class="cracker-help">{ "This key is not UTF-8 text; sign with it in Python, as bytes." }</span>
                }
            </div>
        }
    });

    html! {
        <section id="cracker" class={classes!("panel", "cracker", props.class.clone())} aria-labelledby="cracker-title">
            <h2 id="cracker-title">{ props.heading.clone() }<span class="decoder-tag">{ "no server involved" }</span></h2>
            <p class="cracker-help">{ "Tries candidate keys against the cookie's signature, here in this page. \
                Each guess is checked offline, so the server never sees one." }</p>
            <div class="cracker-grid">
                <label for="crack-cookie">{ "Cookie" }</label>
                <div>
                    <input id="crack-cookie" class="mono" autocomplete="off" spellcheck="false"
                        placeholder="payload.timestamp.signature"
                        value={(*cookie).clone()} oninput={on_cookie} />
                    { cookie_parts(&cookie) }
                </div>
                <label for="crack-source">{ "Keys to try" }</label>
                <div>
                    <select id="crack-source" onchange={on_source}>
                        <option value="builtin" selected={source_now == "builtin"}>
                            { format!("The built-in list ({} weak keys)", grouped(crate::lab::wordlist::builtin().len() as u64)) }
                        </option>
                        <option value="paste" selected={source_now == "paste"}>{ "The list pasted below" }</option>
                        <option value="file" selected={source_now == "file"}>{ "A file of your own" }</option>
                    </select>
                </div>
                <label for="crack-list">{ "Pasted list" }</label>
                <textarea id="crack-list" ref={list_ref} class="mono" rows="3" spellcheck="false"
                    autocomplete="off" placeholder="one key per line" aria-describedby="crack-list-help"
                    oninput={on_paste} />
                <label for="crack-file">{ "List file" }</label>
                <div>
                    <input id="crack-file" ref={file_ref} type="file" onchange={choose("file")} />
                    <p id="crack-list-help" class="cracker-help">{ format!(
                        "One key per line, as UTF-8 text or as raw bytes: each line is tried as its bytes \
                         (a str key as its UTF-8, as itsdangerous does). A UTF-16 file is read as text \
                         only if it starts with a byte-order mark; other encodings are tried byte for \
                         byte. CRLF line ends are fine, empty lines are skipped. \
                         Up to {} MB pasted, {} MB from a file.", MAX_PASTE_BYTES >> 20, MAX_FILE_BYTES >> 20) }</p>
                </div>
            </div>
            <div class="cracker-actions">
                <button id="crack-start" ref={start_ref} onclick={start} disabled={running}>{ "Start" }</button>
                <button id="crack-cancel" ref={cancel_ref} onclick={cancel} disabled={!running}>{ "Cancel" }</button>
                <progress id="crack-progress" aria-label="Share of the list tried" aria-busy={running.to_string()}
                    max={max.to_string()} value={value.to_string()} />
                <span id="crack-rate" class="cracker-rate">
                    <span class="visually-hidden">{ "Rate: " }</span>
                    { if progress.is_some() { format!("{} keys/s", grouped(shown_rate)) } else { "– keys/s".to_string() } }
                </span>
            </div>
            <p id="crack-count" class="cracker-count" hidden={count.is_empty()}>{ count }</p>
            <p id="crack-status" class={status_class} role="status" aria-live="polite"
                data-state={view.state()}
                data-tried={progress.map_or(0, |p| p.tried).to_string()}
                data-ms={progress.map_or(0, |p| p.elapsed_ms.round() as u64).to_string()}
                data-rate={rate.to_string()}
                data-key={found.as_deref().map(key_text)}>
                { sentence }
                if stale {
                    { " (That was the cookie the run started on; the cookie above has changed since.)" }
                }
            </p>
            if let Some(key) = last_found.as_ref().filter(|_| earlier) {
                <p class="cracker-key" id="crack-key">
                    { "Key found by an earlier run: " }<code>{ key_repr(key) }</code>
                </p>
            }
            { actions.unwrap_or_default() }
            if let Some((rate, derived)) = measured.zip(derived) { { strong_key_note(rate, derived) } }
        </section>
    }
}
