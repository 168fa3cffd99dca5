//! Scenario attack: weak_key in the browser (being written).
