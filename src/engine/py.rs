//! What Python itself does, where the bytes or the text show: its values (the session's data
//! model), `repr`, float text, `datetime`'s range and calendar, `secrets.token_urlsafe`, and
//! markupsafe's escaping.

pub mod case;
pub mod datetime;
pub mod float;
pub mod markupsafe;
pub mod repr;
pub mod secrets;
pub mod value;
