//! Scenario attack: tamper (being written).
