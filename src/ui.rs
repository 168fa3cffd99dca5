//! The Yew user interface: [`app`] routes to the [`pages`] (the index of scenarios, a
//! scenario, the comparison, the cookie decoder), which are built from [`components`].
//! Components reach a running scenario only through [`lab_context::use_lab`], and render what
//! the platform-free [`crate::lab`] works out.

pub mod app;
pub mod components;
pub mod lab_context;
pub mod pages;
pub mod renders;

use wasm_bindgen::JsCast;

/// Mounts the app after installing the panic fallback. `index.html` paints a static view
/// first (`lab::shell`) inside `#lab`, and its loader fetches the wasm only after that paint
/// (scripts/csp.py); the app takes the element over, clearing it and rendering the same
/// elements in the same task, so the page never shows a gap.
pub fn start() {
    install_panic_panel();
    mount();
}

/// Renders the app into `#lab`, replacing the static first paint, or into `<body>`.
fn mount() {
    let host = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("lab"));
    match host {
        Some(host) => {
            host.set_inner_html("");
            yew::Renderer::<app::LabRoot>::with_root(host.clone()).render();
            // Tests and tools wait for this before they touch the page: until then it is the
            // static first paint.
            let _ = host.set_attribute("data-app", "running");
        }
        None => {
            yew::Renderer::<app::LabRoot>::new().render();
        }
    }
}

/// A panic shows a visible panel with a reload link instead of a frozen page, and the details
/// go to the console.
fn install_panic_panel() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Ok(panel) = doc.create_element("div") else {
            return;
        };
        panel.set_class_name("fatal");
        panel.set_attribute("role", "alert").ok();
        let message = doc.create_element("p").ok();
        if let Some(p) = &message {
            p.set_text_content(Some(&format!(
                "Session Lab hit an internal error and stopped: {info}"
            )));
            panel.append_child(p).ok();
        }
        if let Ok(a) = doc.create_element("a") {
            a.set_attribute("href", "").ok();
            a.set_text_content(Some("Reload the lab"));
            panel.append_child(&a).ok();
        }
        if let Some(body) = doc.body() {
            body.prepend_with_node_1(panel.unchecked_ref()).ok();
        }
    }));
}
