//! The seed tutorials' apps, each written to read like its Flask original, and our own
//! free play app. Which scenario runs which app is the lab's business
//! (`crate::lab::scenarios`).

pub mod fixation;
pub mod free_play;
pub mod notes;
pub mod plain_cookie;
pub mod remember;
pub mod seed_000;
pub mod seed_000_login;
pub mod seed_001;
pub mod seed_002;
pub mod seed_003;
pub mod seed_004;

use crate::engine::flask_session::store::SessionStore;
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
