//! What moves with the clock, and nothing else: the lab's time, a store entry's countdown, a
//! cookie's age. Each reads [`use_lab_clock`], so the one-second tick re-renders only these.

use crate::engine::py::datetime::iso_utc;
use crate::lab::view::{duration, ttl_text};
use crate::ui::lab_context::use_lab_clock;
use crate::ui::renders;
use yew::prelude::*;

/// The lab clock, as an ISO time.
#[function_component(LabNow)]
pub fn lab_now() -> Html {
    renders::count("lab-now");
    let now = use_lab_clock();
    html! { <time id="lab-now">{ iso_utc(now) }</time> }
}

#[derive(Properties, PartialEq)]
pub struct CountdownProps {
    /// 0 = never.
    pub expires_at: i64,
}

/// The time left until `expires_at`, or `never expires`.
#[function_component(Countdown)]
pub fn countdown(props: &CountdownProps) -> Html {
    renders::count("countdown");
    let now = use_lab_clock();
    html! { { ttl_text(props.expires_at, now) } }
}

#[derive(Properties, PartialEq)]
pub struct AgeProps {
    pub since: i64,
}

/// How long ago `since` was.
#[function_component(Age)]
pub fn age(props: &AgeProps) -> Html {
    renders::count("age");
    let now = use_lab_clock();
    html! { { duration((now - props.since).max(0)) } }
}
