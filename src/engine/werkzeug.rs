//! Werkzeug 3.1: requests and responses, HTTP errors, `Set-Cookie` and `Cookie` text, HTTP
//! dates and URL quoting, as Flask's wire shows them.

pub mod cookie;
pub mod exceptions;
pub mod http_date;
pub mod urls;
pub mod wrappers;
