//! Thin adapters from the engine to the real browser: `document.cookie`, `localStorage` and the
//! clock. Nothing here decides anything about sessions; that is the engine's job.

pub mod clock;
pub mod cookies;
pub mod storage;
