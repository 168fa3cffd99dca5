//! What the security lab's native tests share: a scenario walked through its "Do it" buttons.

use session_lab::client::jar::Jar;
use session_lab::lab::run::{Act, ModelHost, Run};
use session_lab::lab::scenarios::Scenario;
use session_lab::lab::BrowserId;
use std::ops::Range;

pub const T0: i64 = 1_700_000_000;

/// A scenario's lab after [`walk`].
pub struct Walk {
    pub run: Run<Jar>,
    /// The lab clock after the last act.
    pub now: i64,
    /// Each step walked, with the log positions its "Do it" produced.
    pub spans: Vec<(&'static str, Range<usize>)>,
}

/// Opens `scenario` on its start page with `seed` and presses each step's "Do it" in order,
/// one second apart, up to (not including) the step `upto`.
pub fn walk(scenario: &'static Scenario, seed: u64, upto: Option<&str>) -> Walk {
    let mut host = ModelHost;
    let mut run = Run::start(scenario, seed, &mut host);
    let mut now = T0;
    run.apply(
        Act::Navigate {
            browser: BrowserId::Main,
            target: scenario.start.into(),
        },
        now,
        &mut host,
    );
    let mut spans = Vec::new();
    for step in scenario.lesson().steps {
        if Some(step.id) == upto {
            break;
        }
        let from = run.lab.as_ref().unwrap().log.len();
        for action in step.doit {
            now += 1;
            run.apply(Act::from(*action), now, &mut host);
        }
        spans.push((step.id, from..run.lab.as_ref().unwrap().log.len()));
    }
    Walk { run, now, spans }
}
