//! The lab's clock: the browser's wall clock plus an offset the learner can move forward
//! ("time travel"), so lifetimes can be shown without waiting.

/// Whole unix seconds now, from `Date.now()` (`SystemTime::now()` panics on
/// wasm32-unknown-unknown).
pub fn system_now() -> i64 {
    (js_sys::Date::now() / 1000.0).floor() as i64
}

/// A clock that starts at the real time and moves only when told to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LabClock {
    offset: i64,
}

impl Default for LabClock {
    fn default() -> Self {
        Self::new()
    }
}

impl LabClock {
    pub fn new() -> Self {
        LabClock { offset: 0 }
    }

    /// The lab's "now": the real time plus every advance so far.
    pub fn now(&self) -> i64 {
        system_now() + self.offset
    }

    pub fn advance(&mut self, seconds: i64) {
        self.offset = self.offset.saturating_add(seconds);
    }

    pub fn reset(&mut self) {
        self.offset = 0;
    }

    pub fn offset(&self) -> i64 {
        self.offset
    }
}
