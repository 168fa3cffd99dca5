//! The engine: a platform-free re-implementation of Flask 3.1's session machinery. Nothing in
//! here touches the browser; the clock (`now`, unix seconds) is passed in.

pub mod app;
pub mod apps;
pub mod config;
pub mod cookie;
pub mod http_date;
pub mod jar;
pub mod login;
pub mod pybase64;
pub mod pyrepr;
pub mod rng;
pub mod server_side;
pub mod session;
pub mod signing;
pub mod store;
pub mod tagged_json;
pub mod urls;
pub mod zlib;
