//! The attacker's controls (being written, issue 10).

use crate::ui::lab_context::LabHandle;
use yew::prelude::*;

/// The attacker's toolbar, for scenarios whose [`crate::lab::scenarios::Shown::attacker`] is
/// set.
pub fn attacker_panel(_lab: &LabHandle) -> Html {
    Html::default()
}
