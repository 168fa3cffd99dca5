//! `index.html` carries the first paint (`lab::shell`): the static markup between the markers
//! and the page description must be what the code generates now. Run with
//! `SESSION_LAB_BLESS=1` to rewrite them after changing a title, a promise or the index text.

use session_lab::engine::py::markupsafe::escape_html;
use session_lab::lab::shell::{static_html, BEGIN, DESCRIPTION, END};

const INDEX: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/index.html");

/// `index.html` with the generated parts as the code makes them now.
fn regenerated(current: &str) -> String {
    let begin = current
        .find(BEGIN)
        .expect("index.html has the first-paint begin marker");
    let end = current
        .find(END)
        .expect("index.html has the first-paint end marker");
    assert!(begin < end, "the markers are in order");
    let mut out = String::new();
    out.push_str(&current[..begin + BEGIN.len()]);
    out.push('\n');
    out.push_str(&static_html());
    out.push_str(&current[end..]);
    let meta_start = out
        .find("<meta name=\"description\" content=\"")
        .expect("index.html has a meta description");
    let value_start = meta_start + "<meta name=\"description\" content=\"".len();
    let value_end = value_start + out[value_start..].find('"').expect("the attribute closes");
    out.replace_range(value_start..value_end, &escape_html(DESCRIPTION));
    out
}

#[test]
fn index_html_carries_the_current_first_paint() {
    let current = std::fs::read_to_string(INDEX).expect("read index.html");
    let wanted = regenerated(&current);
    if std::env::var_os("SESSION_LAB_BLESS").is_some() {
        std::fs::write(INDEX, &wanted).expect("write index.html");
        return;
    }
    assert!(
        current == wanted,
        "index.html's first paint is out of date: run `SESSION_LAB_BLESS=1 cargo test --test shell`"
    );
}

#[test]
fn the_description_fits_a_search_result() {
    // Search engines cut descriptions at about 155-160 characters.
    assert!(
        (50..=160).contains(&DESCRIPTION.chars().count()),
        "{}",
        DESCRIPTION.chars().count()
    );
}
