//! Scenario attack: flask_login in the browser (being written).
