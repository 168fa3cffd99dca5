//! The seed tutorials' apps, each written to read like its Flask original.

pub mod seed_001;
pub mod seed_003;

use super::app::App;

/// Every app by name, as `session-lab-cli replay --app NAME` and the lab's index list them.
pub const NAMES: [&str; 2] = [seed_001::NAME, seed_003::NAME];

/// Builds a fresh instance of the named app.
pub fn by_name(name: &str) -> Option<App> {
    match name {
        seed_001::NAME => Some(seed_001::app()),
        seed_003::NAME => Some(seed_003::app()),
        _ => None,
    }
}
