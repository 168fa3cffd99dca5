//! Session Lab: how web sessions really work, shown live.
//!
//! Rooms with doors one way (`tests/architecture.rs` checks them):
//!
//! - [`engine`]: what Flask, Werkzeug, itsdangerous, Flask-Session and Flask-Login do, grouped
//!   by library, and the tutorial apps; pure Rust, tested natively.
//! - [`client`]: the browser model (the Chromium-like cookie jar, the page model).
//! - [`lab`]: the lab itself (browsers, log, clock), its scenarios, lessons and what the panes
//!   show; platform-free, tested natively.
//! - `browser` and `ui` (Wasm only): the real browser's cookie jar and storage, and the Yew app.

pub mod client;
pub mod engine;
pub mod lab;

#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod ui;
