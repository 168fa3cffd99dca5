//! Scenario attack: tamper in the browser (being written).
