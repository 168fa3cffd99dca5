//! The key cracker: tries a wordlist of secret keys against a session cookie in the page,
//! in slices that yield to the browser (being written, issue 10).

use crate::ui::lab_context::LabHandle;
use yew::prelude::*;

/// The cracker aimed at the main browser's session cookie (scenarios whose
/// [`crate::lab::scenarios::Shown::cracker`] is set).
pub fn cracker_panel(_lab: &LabHandle) -> Html {
    Html::default()
}
