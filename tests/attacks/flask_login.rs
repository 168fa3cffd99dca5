//! Scenario attack: flask_login (being written).
