//! Scenario attack: replay (being written).
