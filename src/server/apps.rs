//! The seed tutorials' apps, each written to read like its Flask original.

pub mod seed_001;
pub mod seed_003;

use super::app::App;
use super::rng::Rng;
use super::server_side::StartupError;
use super::store::SessionStore;

/// What an app gets from outside the engine: the server-side store and the random source
/// (used only by apps with server-side sessions).
pub struct Services {
    pub store: Box<dyn SessionStore>,
    pub rng: Box<dyn Rng>,
}

impl Services {
    /// An in-memory store with the given random source.
    pub fn in_memory(rng: Box<dyn Rng>) -> Services {
        Services {
            store: Box::new(super::store::MemoryStore::new()),
            rng,
        }
    }
}

/// Every app by name, as `session-lab-cli replay --app NAME` and the lab's index list them.
pub const NAMES: [&str; 2] = [seed_001::NAME, seed_003::NAME];

/// Builds a fresh instance of the named app: `None` for an unknown name, `Err` when the app
/// fails at start-up as its Flask original does.
pub fn build(name: &str, services: Services) -> Option<Result<App, StartupError>> {
    let _ = &services;
    match name {
        seed_001::NAME => Some(Ok(seed_001::app())),
        seed_003::NAME => Some(Ok(seed_003::app())),
        _ => None,
    }
}
