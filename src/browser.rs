//! Thin adapters from the engine to the real browser: `document.cookie`, `localStorage`, Web
//! Crypto and the clock. Nothing here decides anything about sessions; that is the engine's
//! job. Where page script cannot do what a browser does for a real server (`HttpOnly`,
//! `Secure` on plain HTTP, another site's `Domain`), the adapters say so instead of pretending.

pub mod clock;
pub mod cookies;
pub mod jar;
pub mod rng;
pub mod storage;
pub mod store;

// The unit tests of the adapters run in the browser, like tests/web*.rs.
#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
