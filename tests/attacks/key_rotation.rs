//! Scenario attack: key_rotation (being written).
