//! Scenario attack: open_redirect in the browser (being written).
