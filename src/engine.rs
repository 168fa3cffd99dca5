//! The engine: a platform-free re-implementation of what Flask's stack does with sessions,
//! grouped by the library each part reproduces. Nothing in here touches the browser: the
//! clock (`now`, unix seconds), the random source ([`py::secrets::Rng`]) and the server-side
//! store ([`flask_session::store::SessionStore`]) come in from outside.
//!
//! The modules depend on each other the way the Python packages do, and never in a circle:
//! [`py`] (Python's own behaviour) at the bottom, then [`itsdangerous`] and [`werkzeug`], then
//! [`flask`], then the extensions [`flask_session`] and [`flask_login`], which attach to a
//! Flask app as they do in Python, and on top the tutorial [`apps`].

pub mod apps;
pub mod flask;
pub mod flask_login;
pub mod flask_session;
pub mod itsdangerous;
pub mod py;
pub mod werkzeug;
