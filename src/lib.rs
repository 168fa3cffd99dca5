//! Session Lab: how web sessions really work, shown live.
//!
//! - [`server`]: the engine (Flask's signing, TaggedJSON, sessions, a mini Flask and the
//!   tutorial apps), pure Rust, tested natively.
//! - `browser` and `ui` (Wasm only): the real browser's cookie jar and storage, and the Yew app.

pub mod client;
pub mod engine;
pub mod lab;

#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod ui;
