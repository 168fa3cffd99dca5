//! What moves with the clock, and nothing else: the lab's time, a store entry's countdown, a
//! cookie's age. Each is a [`Clock`], which reads [`use_lab_clock`], so the one-second tick
//! re-renders only these.

use crate::engine::py::datetime::iso_utc;
use crate::lab::view::{duration, ttl_text};
use crate::ui::lab_context::use_lab_clock;
use crate::ui::renders;
use yew::prelude::*;

/// What a [`Clock`] shows.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Clocked {
    /// The lab clock, as an ISO time (rendered as `lab-now`).
    Now,
    /// The time left until this unix time (0 = never), or `never expires` (`countdown`).
    Countdown(i64),
    /// How long ago this unix time was (`age`).
    Age(i64),
}

#[derive(Properties, PartialEq)]
pub struct ClockProps {
    pub show: Clocked,
}

/// One thing that follows the clock. One component for the three kinds: each kind of its own
/// would add another copy of Yew's component machinery to the bundle.
#[function_component(Clock)]
pub fn clock(props: &ClockProps) -> Html {
    let now = use_lab_clock();
    match props.show {
        Clocked::Now => {
            renders::count("lab-now");
            html! { <time id="lab-now">{ iso_utc(now) }</time> }
        }
        Clocked::Countdown(expires_at) => {
            renders::count("countdown");
            html! { { ttl_text(expires_at, now) } }
        }
        Clocked::Age(since) => {
            renders::count("age");
            html! { { duration((now - since).max(0)) } }
        }
    }
}
