//! Scenario attack: too_big (being written).
