//! One module per page the router shows.

pub mod compare;
pub mod decoder;
pub mod embed;
pub mod index;
pub mod not_found;
pub mod scenario;
