//! The pieces of a scenario's page. Each gets the running lab with
//! [`crate::ui::lab_context::use_lab`] and renders what [`crate::lab::view`] works out.

pub mod attacker;
pub mod browser_pane;
pub mod clock;
pub mod controls;
pub mod cracker;
pub mod flask_code;
pub mod lesson;
pub mod page_view;
pub mod pager;
pub mod settings;
pub mod share;
pub mod state_pane;
pub mod wire;
