//! Flask 3.1.3: the application and its request cycle, the config, the session interface
//! for signed-cookie sessions, and the TaggedJSON serializer that writes the session.

pub mod app;
pub mod config;
pub mod sessions;
pub mod tagged_json;
