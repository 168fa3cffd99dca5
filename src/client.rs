//! The browser model, platform-free: the cookie jar that behaves like Chromium's, and the page
//! model that reads what the server answered. It knows HTTP (Werkzeug's cookie and date
//! text), never the lab or the UI.

pub mod jar;
pub mod page;
