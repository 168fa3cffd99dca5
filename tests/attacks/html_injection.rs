//! Scenario attack: html_injection (being written).
