//! Scenario attack: fixation in the browser (being written).
