//! Scenario attack: too_big in the browser (being written).
