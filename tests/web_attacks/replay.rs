//! Scenario attack: replay in the browser (being written).
