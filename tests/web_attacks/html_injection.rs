//! Scenario attack: html_injection in the browser (being written).
