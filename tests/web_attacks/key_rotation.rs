//! Scenario attack: key_rotation in the browser (being written).
