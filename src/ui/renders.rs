//! How many times each component has rendered, by name: the browser tests' hook for checking
//! that a clock tick re-renders only countdowns and ages, and that a new request re-renders
//! one row of the wire, not all of it. One short list update per render (a dozen names at
//! most, so a linear search, and no hash map code in the bundle): cheap enough to stay in.

use std::cell::RefCell;

thread_local! {
    static RENDERS: RefCell<Vec<(&'static str, u64)>> = const { RefCell::new(Vec::new()) };
}

/// Counts one render of `component`.
pub fn count(component: &'static str) {
    RENDERS.with(|r| {
        let mut r = r.borrow_mut();
        match r.iter_mut().find(|(name, _)| *name == component) {
            Some((_, n)) => *n += 1,
            None => r.push((component, 1)),
        }
    });
}

/// How many times `component` has rendered so far.
pub fn renders(component: &str) -> u64 {
    RENDERS.with(|r| {
        r.borrow()
            .iter()
            .find(|(name, _)| *name == component)
            .map_or(0, |(_, n)| *n)
    })
}
