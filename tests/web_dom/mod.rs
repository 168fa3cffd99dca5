//! What the browser tests share: the real browser state the lab writes (the `sl.` cookies
//! in `document.cookie`, the `sl.` items of `localStorage`) and the few DOM reads and clicks
//! the tests drive the page with. Each wasm test file that uses it says `mod web_dom;`.
// Each test binary compiles its own copy and uses only some of it.
#![allow(dead_code)]

use session_lab::browser::{cookies, storage};
use session_lab::lab::scenarios;
use session_lab::ui::pages::decoder::Decoder;
use session_lab::ui::pages::scenario::{ScenarioPage, ScenarioPageProps};
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, EventInit, HtmlElement, HtmlInputElement, HtmlTextAreaElement};
use yew::AppHandle;

// ---------------------------------------------------------------------------------------------
// The real browser state

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// `document.cookie`'s pairs whose name starts with `prefix`.
pub fn real_cookies(prefix: &str) -> Vec<(String, String)> {
    cookies::read_all_raw()
        .unwrap()
        .into_iter()
        .filter(|(n, _)| n.starts_with(prefix))
        .collect()
}

/// The value of the real cookie `sl.<scenario>.<name>`.
pub fn real_cookie(scenario: &str, name: &str) -> Option<String> {
    let real = format!("sl.{scenario}.{name}");
    real_cookies(&real)
        .into_iter()
        .find(|(n, _)| *n == real)
        .map(|(_, v)| v)
}

/// The `localStorage` keys starting with `prefix`, sorted.
pub fn ls_keys(prefix: &str) -> Vec<String> {
    let s = storage::local_storage().unwrap();
    let mut keys: Vec<String> = (0..s.length().unwrap())
        .filter_map(|i| s.key(i).unwrap())
        .filter(|k| k.starts_with(prefix))
        .collect();
    keys.sort();
    keys
}

/// The server-side sessions a scenario keeps in `localStorage` (`sl.store.<scenario>:...`).
pub fn stored_sessions(scenario: &str) -> Vec<(String, String)> {
    ls_keys(&format!("sl.store.{scenario}:"))
        .into_iter()
        .map(|k| {
            let v = storage::get_raw(&k).unwrap().unwrap_or_default();
            (k, v)
        })
        .collect()
}

/// Expires every `sl.` cookie (as the lab writes them: `Path=/`, and the `Secure; Partitioned`
/// twin a secure context may hold) and removes every `sl.` item of `localStorage`.
pub fn clean_real_state() {
    let gone = "Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0";
    for (name, _) in real_cookies("sl.") {
        cookies::write_raw_line(&format!("{name}=; Path=/; {gone}")).unwrap();
        cookies::write_raw_line(&format!("{name}=; Path=/; {gone}; Secure; Partitioned")).unwrap();
    }
    let s = storage::local_storage().unwrap();
    for k in ls_keys("sl.") {
        s.remove_item(&k).unwrap();
    }
    assert!(real_cookies("sl.").is_empty(), "{:?}", real_cookies("sl."));
    assert!(ls_keys("sl.").is_empty(), "{:?}", ls_keys("sl."));
}

/// Lets Yew finish rendering, and the effects a render runs (the first navigation) render
/// again.
pub async fn settle() {
    yew::scheduler::flush().await;
    yew::scheduler::flush().await;
}

/// Resolves once a zero-delay timer has fired: the browser has run the tasks queued before
/// it (the cracker's slice messages, rendering). Yielding, not sleeping.
pub struct NextTask {
    fired: Rc<Cell<bool>>,
    waker: Rc<RefCell<Option<Waker>>>,
    _timer: Closure<dyn FnMut()>,
}

impl Future for NextTask {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.fired.get() {
            return Poll::Ready(());
        }
        *self.waker.borrow_mut() = Some(cx.waker().clone());
        Poll::Pending
    }
}

pub fn next_task() -> NextTask {
    let fired = Rc::new(Cell::new(false));
    let waker: Rc<RefCell<Option<Waker>>> = Rc::new(RefCell::new(None));
    let timer = {
        let (fired, waker) = (fired.clone(), waker.clone());
        Closure::<dyn FnMut()>::new(move || {
            fired.set(true);
            if let Some(w) = waker.borrow_mut().take() {
                w.wake();
            }
        })
    };
    web_sys::window()
        .unwrap()
        .set_timeout_with_callback_and_timeout_and_arguments_0(timer.as_ref().unchecked_ref(), 0)
        .unwrap();
    NextTask {
        fired,
        waker,
        _timer: timer,
    }
}

/// One turn of the browser's event loop, then Yew's renders.
pub async fn turn() {
    next_task().await;
    settle().await;
}

// ---------------------------------------------------------------------------------------------
// Panics

static PANICS: AtomicUsize = AtomicUsize::new(0);

/// Counts every panic from here on (a panic in a Yew callback does not fail the test that
/// caused it by itself), keeping the hook that reports it.
pub fn watch_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
            previous(info);
        }));
    });
}

/// Panics counted since [`watch_panics`].
pub fn panics() -> usize {
    PANICS.load(Ordering::SeqCst)
}

// ---------------------------------------------------------------------------------------------
// The DOM

pub fn text_of(el: &Element) -> String {
    collapse(&el.text_content().unwrap_or_default())
}

pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

pub fn click(el: &Element) {
    el.dyn_ref::<HtmlElement>()
        .expect("an HTML element")
        .click();
}

/// The first element under `root` matching `selector`; panics with the root's text if none.
pub fn one(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector} in {}", text_of(root)))
}

// ---------------------------------------------------------------------------------------------
// A scenario page

/// A mounted scenario page. The test files add the reads and actions they need in their own
/// `impl Mounted` blocks.
pub struct Mounted {
    pub id: &'static str,
    pub root: Element,
    pub app: Option<AppHandle<ScenarioPage>>,
}

impl Mounted {
    /// Mounts scenario `id`'s page in a fresh container (`#test-<id>`) on a clean real state,
    /// and lets it open its first page.
    pub async fn open(id: &'static str) -> Mounted {
        clean_real_state();
        let props = ScenarioPageProps {
            scenario: scenarios::by_id(id).expect("a scenario"),
        };
        let root = document().create_element("div").unwrap();
        root.set_id(&format!("test-{id}"));
        document().body().unwrap().append_child(&root).unwrap();
        let app = yew::Renderer::<ScenarioPage>::with_root_and_props(root.clone(), props).render();
        settle().await;
        Mounted {
            id,
            root,
            app: Some(app),
        }
    }

    /// Unmounts, removes the container and what the lab wrote to the real browser.
    pub async fn close(mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
        settle().await;
        self.root.remove();
        clean_real_state();
    }

    pub fn one(&self, selector: &str) -> Element {
        one(&self.root, selector)
    }

    pub fn find(&self, selector: &str) -> Option<Element> {
        self.root.query_selector(selector).unwrap()
    }

    pub fn all(&self, selector: &str) -> Vec<Element> {
        all(&self.root, selector)
    }
}

// ---------------------------------------------------------------------------------------------
// The decoder page

/// The decoder page (`#/decoder`), mounted in a container of its own that is removed on drop.
/// The test files add the reads and actions they need in their own `impl DecoderPage` blocks.
pub struct DecoderPage {
    pub root: Element,
}

impl DecoderPage {
    pub async fn mount() -> DecoderPage {
        let root = document().create_element("div").unwrap();
        document().body().unwrap().append_child(&root).unwrap();
        yew::Renderer::<Decoder>::with_root(root.clone()).render();
        yew::scheduler::flush().await;
        DecoderPage { root }
    }

    pub fn find(&self, selector: &str) -> Element {
        self.root
            .query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("no {selector}"))
    }

    pub fn has(&self, selector: &str) -> bool {
        self.root.query_selector(selector).unwrap().is_some()
    }

    pub fn text(&self, selector: &str) -> String {
        self.find(selector).text_content().unwrap_or_default()
    }

    pub fn attr(&self, selector: &str, name: &str) -> String {
        self.find(selector).get_attribute(name).unwrap_or_default()
    }

    pub fn value(&self, selector: &str) -> String {
        self.find(selector)
            .dyn_into::<HtmlInputElement>()
            .unwrap()
            .value()
    }

    /// Types into an `<input>` or `<textarea>` the way the browser reports it: the value
    /// changes, then a bubbling `input` event.
    pub async fn fill(&self, selector: &str, value: &str) {
        let el = self.find(selector);
        if let Some(t) = el.dyn_ref::<HtmlTextAreaElement>() {
            t.set_value(value);
        } else {
            el.dyn_ref::<HtmlInputElement>()
                .expect("an input or a textarea")
                .set_value(value);
        }
        let init = EventInit::new();
        init.set_bubbles(true);
        let event = Event::new_with_event_init_dict("input", &init).unwrap();
        el.dispatch_event(&event).unwrap();
        yew::scheduler::flush().await;
    }

    pub async fn click(&self, selector: &str) {
        self.find(selector).unchecked_into::<HtmlElement>().click();
        yew::scheduler::flush().await;
    }
}

impl Drop for DecoderPage {
    fn drop(&mut self) {
        self.root.remove();
    }
}
