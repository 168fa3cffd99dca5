//! Scenario attack: weak_key (being written).
