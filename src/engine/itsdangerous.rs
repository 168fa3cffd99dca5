//! itsdangerous 2.2: the timed, URL-safe signing Flask uses for its session cookie, with the
//! parts of Python's standard library whose exact bytes show in the cookie (base64 and zlib).

pub mod crack;
pub mod pybase64;
pub mod signing;
pub mod zlib;
