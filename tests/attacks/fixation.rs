//! Scenario attack: fixation (being written).
