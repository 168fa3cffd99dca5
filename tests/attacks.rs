//! The security lab natively: each attack scenario's attack works before its fix and fails
//! after, through the same `Run` and acts the page uses (on the engine's own jar and store).

mod common;
#[path = "attacks/fixation.rs"]
mod fixation;
#[path = "attacks/flask_login.rs"]
mod flask_login;
#[path = "attacks/hijack.rs"]
mod hijack;
#[path = "attacks/html_injection.rs"]
mod html_injection;
#[path = "attacks/key_rotation.rs"]
mod key_rotation;
#[path = "attacks/open_redirect.rs"]
mod open_redirect;
#[path = "attacks/read.rs"]
mod read;
#[path = "attacks/replay.rs"]
mod replay;
#[path = "attacks/support.rs"]
mod support;
#[path = "attacks/tamper.rs"]
mod tamper;
#[path = "attacks/too_big.rs"]
mod too_big;
#[path = "attacks/weak_key.rs"]
mod weak_key;
