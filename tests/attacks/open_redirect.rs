//! Scenario attack: open_redirect (being written).
