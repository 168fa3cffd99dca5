//! Scenario attack: hijack in the browser (being written).
