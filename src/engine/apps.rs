//! The seed tutorials' apps, each written to read like its Flask original.

pub mod free_play;
pub mod seed_000;
pub mod seed_000_login;
pub mod seed_001;
pub mod seed_002;
pub mod seed_003;
pub mod seed_004;

use crate::engine::flask::app::App;
use crate::engine::flask_session::store::SessionStore;
use crate::engine::flask_session::StartupError;
use crate::engine::py::secrets::Rng;

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
            store: Box::new(crate::engine::flask_session::store::MemoryStore::new()),
            rng,
        }
    }
}

/// Every app by name, as `session-lab-cli replay --app NAME` and the lab's index list them.
pub const NAMES: [&str; 11] = [
    seed_000::NAME,
    seed_000_login::NAME,
    seed_000::MISSPELLED,
    seed_001::NAME,
    seed_002::NAME,
    seed_003::NAME,
    seed_004::CLIENT_TEMP,
    seed_004::SERVER_TEMP,
    seed_004::CLIENT_PERSIST,
    seed_004::SERVER_PERSIST,
    free_play::NAME,
];

/// Builds a fresh instance of the named app: `None` for an unknown name, `Err` when the app
/// fails at start-up as its Flask original does.
pub fn build(name: &str, services: Services) -> Option<Result<App, StartupError>> {
    use seed_004::Variant;
    Some(match name {
        seed_000::NAME => seed_000::app(services),
        seed_000_login::NAME => Ok(seed_000_login::app()),
        seed_000::MISSPELLED => seed_000::misspelled(services),
        seed_001::NAME => Ok(seed_001::app()),
        seed_002::NAME => seed_002::app(services),
        seed_003::NAME => Ok(seed_003::app()),
        seed_004::CLIENT_TEMP => seed_004::app(Variant::ClientTemp, services),
        seed_004::SERVER_TEMP => seed_004::app(Variant::ServerTemp, services),
        seed_004::CLIENT_PERSIST => seed_004::app(Variant::ClientPersist, services),
        seed_004::SERVER_PERSIST => seed_004::app(Variant::ServerPersist, services),
        free_play::NAME => Ok(free_play::app()),
        _ => return None,
    })
}
