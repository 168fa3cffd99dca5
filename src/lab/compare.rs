//! A comparison: two scenarios taken through the same steps at once, so that what lives in a
//! signed cookie and what lives in a server-side store can be seen side by side.

use super::scenarios::Scenario;
use super::Action;

/// Two scenarios and the steps that act on both.
#[derive(Debug)]
pub struct Comparison {
    /// The scenario that keeps the session in a signed cookie.
    pub cookie: &'static Scenario,
    /// The same app keeping it in a server-side store.
    pub store: &'static Scenario,
    /// What to watch, in a few sentences.
    pub lede: &'static str,
    /// Each step's button text and what it does, in both labs.
    pub steps: &'static [(&'static str, Action)],
}
