//! Scenario attack: read (being written).
