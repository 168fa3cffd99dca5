//! The first paint (`lab::shell`, carried by `index.html`) shows what the app then renders:
//! on each route the app's top bar, headings, text and links are the static view's, so the
//! take-over changes nothing the learner sees. Run by `wasm-pack test --headless --chrome`.
#![cfg(target_arch = "wasm32")]

use session_lab::lab::shell::static_html;
use session_lab::ui::app::LabRoot;
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

mod web_dom;
use web_dom::*;

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
            // The header's buttons and the guide (its intro and steps) are the app's, so the
            // take-over moves nothing: the guide is the largest text on the page.
            let buttons = |root: &Element| {
                all(root, "header.scenario-head button")
                    .iter()
                    .map(text_of)
                    .collect::<Vec<_>>()
            };
            assert_eq!(buttons(&main), buttons(&view), "{route}");
            let guide = |root: &Element| {
                // Without the ticks (the start page may tick a step at once) or the closed "why".
                all(
                    root,
                    "section.guide .intro, section.guide li.step strong, section.guide li.step .muted, \
                     section.guide li.step button, section.guide li.step summary",
                )
                    .iter()
                    .map(text_of)
                    .collect::<Vec<_>>()
            };
            let static_guide = guide(&view);
            assert!(!static_guide.is_empty(), "{route}");
            assert_eq!(guide(&main), static_guide, "{route}");
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
