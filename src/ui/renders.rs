//! How many times each component has rendered, by name: the browser tests' hook for checking
//! that a clock tick re-renders only countdowns and ages, and that a new request re-renders
//! one row of the wire, not all of it. One map update per render: cheap enough to stay in.

use std::cell::RefCell;
use std::collections::HashMap;

thread_local! {
    static RENDERS: RefCell<HashMap<&'static str, u64>> = RefCell::new(HashMap::new());
}

/// Counts one render of `component`.
pub fn count(component: &'static str) {
    RENDERS.with(|r| *r.borrow_mut().entry(component).or_default() += 1);
}

/// How many times `component` has rendered so far.
pub fn renders(component: &str) -> u64 {
    RENDERS.with(|r| r.borrow().get(component).copied().unwrap_or(0))
}
