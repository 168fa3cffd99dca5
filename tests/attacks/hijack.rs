//! Scenario attack: hijack (being written).
