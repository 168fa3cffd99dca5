//! Scenario attack: read in the browser (being written).
