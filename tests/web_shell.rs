//! The first paint (`lab::shell`, carried by `index.html`) shows what the app then renders:
//! on each route the app's top bar, headings, text and links are the static view's, so the
//! take-over changes nothing the learner sees. Run by `wasm-pack test --headless --chrome`.
#![cfg(target_arch = "wasm32")]

use session_lab::browser::{cookies, storage};
use session_lab::lab::shell::static_html;
use session_lab::ui::app::LabRoot;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn text_of(el: &Element) -> String {
    collapse(&el.text_content().unwrap_or_default())
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

fn one(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
}

/// Links as (href, text).
fn links(root: &Element) -> Vec<(String, String)> {
    all(root, "a")
        .iter()
        .map(|a| (a.get_attribute("href").unwrap_or_default(), text_of(a)))
        .collect()
}

/// Expires the lab's `sl.` cookies and removes its `sl.` storage items: the scenario pages
/// this test opens start their labs on the real jar and store.
fn clean_real_state() {
    let gone = "Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0";
    for (name, _) in cookies::read_all_raw().unwrap() {
        if name.starts_with("sl.") {
            cookies::write_raw_line(&format!("{name}=; Path=/; {gone}")).unwrap();
        }
    }
    let s = storage::local_storage().unwrap();
    let keys: Vec<String> = (0..s.length().unwrap())
        .filter_map(|i| s.key(i).unwrap())
        .filter(|k| k.starts_with("sl."))
        .collect();
    for k in keys {
        s.remove_item(&k).unwrap();
    }
}

#[wasm_bindgen_test]
async fn the_app_renders_what_the_first_paint_showed_on_every_route() {
    clean_real_state();
    let statics = document().create_element("div").unwrap();
    statics.set_inner_html(&static_html());
    let views = all(&statics, "[data-route]");
    assert!(views.len() > 2, "the shell has the index and the scenarios");
    let location = web_sys::window().unwrap().location();
    for view in views {
        let route = view.get_attribute("data-route").unwrap();
        location.set_hash(&route).unwrap();
        let root = document().create_element("div").unwrap();
        document().body().unwrap().append_child(&root).unwrap();
        let app = yew::Renderer::<LabRoot>::with_root(root.clone()).render();
        yew::scheduler::flush().await;
        yew::scheduler::flush().await;

        // The top bar is the same on every route.
        assert_eq!(
            links(&one(&root, "nav.topbar")),
            links(&one(&statics, "nav.topbar")),
            "{route}"
        );
        // The same main element, by tag and class, with the same heading.
        let main = one(&root, "main");
        assert_eq!(main.class_name(), view.class_name(), "{route}");
        assert_eq!(
            text_of(&one(&main, "h1")),
            text_of(&one(&view, "h1")),
            "{route}"
        );
        if route == "/" {
            // The index in full: every word and every link.
            assert_eq!(text_of(&main), text_of(&view));
            assert_eq!(links(&main), links(&view));
        } else {
            // A scenario's heading sits in the same header, where its styles come from.
            assert_eq!(
                main.query_selector("header.scenario-head > h1")
                    .unwrap()
                    .is_some(),
                view.query_selector("header.scenario-head > h1")
                    .unwrap()
                    .is_some(),
                "{route}"
            );
        }
        app.destroy();
        root.remove();
        clean_real_state();
    }
    location.set_hash("").unwrap();
}
