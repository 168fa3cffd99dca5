//! What the security lab's native tests share: a scenario walked through its "Do it" buttons,
//! all at once ([`walk`]) or a step at a time ([`Walker`]), checking after each step that
//! exactly the steps so far are ticked.

use session_lab::client::jar::Jar;
use session_lab::lab::lesson::{progress, Lesson};
use session_lab::lab::run::{Act, ModelHost, Run};
use session_lab::lab::scenarios::{by_id, Scenario};
use session_lab::lab::{Action, BrowserId, Exchange, Lab};
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

/// A lab opened on a scenario's start page and driven by its lesson's "Do it" buttons, with a
/// clock that moves `pace` seconds per act.
pub struct Walker {
    pub run: Run<Jar>,
    host: ModelHost,
    pub lesson: Lesson,
    elapsed: i64,
    pace: i64,
}

impl Walker {
    /// Seed 7, one second per act.
    pub fn open(id: &str) -> Walker {
        Walker::with(id, 7, 1)
    }

    pub fn with(id: &str, seed: u64, pace: i64) -> Walker {
        let scenario: &'static Scenario = by_id(id).unwrap_or_else(|| panic!("no scenario {id}"));
        let mut host = ModelHost;
        let run = Run::start(scenario, seed, &mut host);
        assert!(run.lab.is_ok(), "{id} starts");
        let mut walker = Walker {
            run,
            host,
            lesson: scenario.lesson(),
            elapsed: 0,
            pace,
        };
        let said = walker.act(Action::Navigate(scenario.start));
        assert!(said.is_empty(), "{said:?}");
        assert!(progress(&walker.lesson, walker.log())
            .iter()
            .all(|(_, done)| !done));
        walker
    }

    pub fn lab(&self) -> &Lab<Jar> {
        self.run.lab.as_ref().expect("running")
    }

    /// The lab clock.
    pub fn now(&self) -> i64 {
        T0 + self.elapsed + self.run.lab.as_ref().map_or(0, |l| l.offset)
    }

    /// Does one action now; returns what the lab said about it.
    pub fn act(&mut self, action: Action) -> Vec<String> {
        let now = self.now();
        let said = self.run.apply(Act::from(action), now, &mut self.host);
        self.elapsed += self.pace;
        said
    }

    pub fn log(&self) -> &[Exchange] {
        &self.lab().log
    }

    /// The latest exchange that matches.
    pub fn last(&self, what: impl Fn(&Exchange) -> bool) -> &Exchange {
        self.log()
            .iter()
            .rev()
            .find(|e| what(e))
            .expect("such an exchange")
    }

    /// Presses step `id`'s "Do it": it is not done before, each form it submits is the one on
    /// screen, and afterwards exactly the steps up to this one are done. Returns what the acts
    /// said, in order.
    pub fn step(&mut self, id: &str) -> Vec<String> {
        let index = self
            .lesson
            .steps
            .iter()
            .position(|s| s.id == id)
            .unwrap_or_else(|| panic!("no step {id}"));
        assert!(
            !(self.lesson.steps[index].done)(self.log()),
            "{id} done before its Do it"
        );
        let mut said = Vec::new();
        for action in self.lesson.steps[index].doit {
            if let Action::Submit { action, fields } = action {
                crate::common::check_form_on_screen(self.lab(), action, fields, id);
            }
            said.extend(self.act(*action));
        }
        let done: Vec<bool> = progress(&self.lesson, self.log())
            .into_iter()
            .map(|(_, d)| d)
            .collect();
        let expected: Vec<bool> = (0..done.len()).map(|i| i <= index).collect();
        assert_eq!(done, expected, "after step {id:?}");
        said
    }

    /// [`Walker::step`] for a step that sends a request and whose acts say nothing but what
    /// the attacker copied. Returns the log's length before it.
    pub fn step_from(&mut self, id: &str) -> usize {
        let before = self.log().len();
        for said in self.step(id) {
            assert!(
                said.starts_with("The attacker copied") || said.starts_with("document.cookie"),
                "{id}: said {said:?}"
            );
        }
        assert!(self.log().len() > before, "{id} sent nothing");
        before
    }
}

/// Every step's "Do it" in order, for two seeds and two paces; each step ticks exactly when its
/// own "Do it" has run, and the journal replays to the same log.
pub fn every_step_in_order(id: &str) {
    for seed in [1, 0x5eed_cafe_f00d] {
        for pace in [0, 1] {
            let mut walker = Walker::with(id, seed, pace);
            let ids: Vec<&str> = walker.lesson.steps.iter().map(|s| s.id).collect();
            for step in ids {
                walker.step_from(step);
            }
            let scenario = by_id(id).expect("the scenario");
            let replayed = Run::replay(scenario, seed, &walker.run.journal, &mut ModelHost);
            assert!(
                replayed.lab.as_ref().ok().map(|l| &l.log) == Some(&walker.log().to_vec()),
                "{id}: the replayed journal gives another log"
            );
        }
    }
}
