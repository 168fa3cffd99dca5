//! Every lesson step's "Do it" (`Step::doit`), pressed in order by a teacher on a freshly
//! opened lab, through `Run::apply` on the native host, as the UI does it:
//!
//! - the lab opens on the scenario's start page, then each step's actions run, with a clock
//!   that moves like the lab's (real time, here a fixed pace per act, plus the offset the
//!   clock buttons add);
//! - after each step's "Do it", that step and every earlier one are done, and
//!   `lesson::progress` shows exactly those (plus the steps listed in [`AHEAD`]);
//! - every "Do it" sends at least one request, and a step is never done before its own "Do it"
//!   unless [`AHEAD`] says why; a step done by the start page alone is one whose task is
//!   opening that page;
//! - every form submission is what the form on screen sends: same action, same fields in the
//!   same order, hidden fields with the values the page gave them;
//! - the journal, replayed, gives the same log.
//!
//! Two seeds, and two paces (every act in the same second, one second per act).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use session_lab::client::jar::Jar;
use session_lab::lab::lesson::{progress, Lesson};
use session_lab::lab::run::{Act, ModelHost, Run};
use session_lab::lab::scenarios::{by_id, Scenario, ALL};
use session_lab::lab::{Action, BrowserId, Exchange};

const T0: i64 = 1_700_000_000;
const SEEDS: [u64; 2] = [1, 0x5eed_cafe_f00d];
/// Real seconds between two acts: every click in the same second, or one second apart.
const PACES: [i64; 2] = [0, 1];

/// Steps the log shows done before their own "Do it" runs (scenario, step, what did it).
const AHEAD: &[(&str, &str, &str)] = &[
    (
        "seed-000",
        "anonymous",
        "the lab opens / (the start page) with the scenario",
    ),
    (
        "seed-000",
        "no-greeting",
        "registering redirects to /, which the browser follows",
    ),
    (
        "seed-000-login",
        "unauthorized",
        "the lab opens /protected (the start page) with the scenario",
    ),
    (
        "seed-000-login",
        "protected",
        "signing in redirects to /protected, which the browser follows",
    ),
    (
        "seed-000-misspelled",
        "store-hit",
        "registering redirects to /, which the store answers",
    ),
];

fn ahead(scenario: &Scenario, step: &str) -> bool {
    AHEAD
        .iter()
        .any(|(s, id, _)| *s == scenario.id && *id == step)
}

/// A teacher at the lab: the run, the host, and the real time that has passed.
struct Teacher {
    run: Run<Jar>,
    host: ModelHost,
    /// Real seconds since the lab opened.
    elapsed: i64,
    pace: i64,
}

impl Teacher {
    /// Opens `scenario` as the UI does: the run, then the start page if the app started.
    fn open(scenario: &'static Scenario, seed: u64, pace: i64) -> Teacher {
        let mut host = ModelHost;
        let run = Run::start(scenario, seed, &mut host);
        let mut teacher = Teacher {
            run,
            host,
            elapsed: 0,
            pace,
        };
        if teacher.run.lab.is_ok() {
            teacher.act(Act::Navigate {
                browser: BrowserId::Main,
                target: scenario.start.into(),
            });
        }
        teacher
    }

    /// The lab clock: real time plus what the clock buttons added.
    fn now(&self) -> i64 {
        T0 + self.elapsed + self.run.lab.as_ref().map_or(0, |lab| lab.offset)
    }

    fn act(&mut self, act: Act) {
        let now = self.now();
        let notes = self.run.apply(act.clone(), now, &mut self.host);
        // The attacker's copy and plant always say what they got (nothing, once a fix works),
        // in these words; any other note (a browser that is not open, a refused cookie) and
        // any note from another act is a refusal.
        let attacker = matches!(act, Act::Steal { .. } | Act::Plant(_));
        let informational = |n: &String| {
            n.starts_with("The attacker copied ")
                || n == "The attacker got no cookies."
                || n == "The attacker has no copied cookies to put in."
                || (n.starts_with("document.cookie does not show ") && n.ends_with("from scripts."))
        };
        assert!(
            notes.iter().all(|n| attacker && informational(n)),
            "{act:?} was refused: {notes:?}"
        );
        self.elapsed += self.pace;
    }

    fn log(&self) -> &[Exchange] {
        self.run.lab.as_ref().map_or(&[], |lab| &lab.log)
    }
}

/// `progress` after the first `n` steps' "Do it": those, and any steps right after them that
/// [`AHEAD`] lists, are done; nothing else.
fn check_progress(scenario: &Scenario, lesson: &Lesson, log: &[Exchange], n: usize, ctx: &str) {
    let mut upto = n;
    while upto < lesson.steps.len() && ahead(scenario, lesson.steps[upto].id) {
        upto += 1;
    }
    let expected: Vec<(&str, bool)> = lesson
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id, i < upto))
        .collect();
    assert_eq!(progress(lesson, log), expected, "{ctx}");
}

/// Opens `scenario` and presses every step's "Do it" in order.
fn teach(scenario: &'static Scenario, seed: u64, pace: i64) -> Teacher {
    let lesson = scenario.lesson();
    let mut teacher = Teacher::open(scenario, seed, pace);
    let opened = format!(
        "{} (seed {seed}, pace {pace}s), the start page",
        scenario.id
    );
    for step in &lesson.steps {
        if (step.done)(teacher.log()) {
            // Only a step whose task is opening the start page may be done by it.
            assert_eq!(
                step.doit,
                [Action::Navigate(scenario.start)],
                "{opened}: ticks step {:?}",
                step.id
            );
            assert!(
                step.todo.starts_with(&format!("Open {} ", scenario.start)),
                "{opened}: ticks step {:?}, whose task is {:?}",
                step.id,
                step.todo
            );
        }
    }
    check_progress(scenario, &lesson, teacher.log(), 0, &opened);

    for (i, step) in lesson.steps.iter().enumerate() {
        let ctx = format!(
            "{} (seed {seed}, pace {pace}s), step {:?}",
            scenario.id, step.id
        );
        assert!(!step.doit.is_empty(), "{ctx}: no \"Do it\"");
        assert_eq!(
            (step.done)(teacher.log()),
            ahead(scenario, step.id),
            "{ctx}: done before its \"Do it\" ran (or listed in AHEAD and not)"
        );
        let before = teacher.log().len();
        for action in step.doit {
            if let Action::Submit { action, fields } = action {
                common::check_form_on_screen(
                    teacher.run.lab.as_ref().expect("a running lab"),
                    action,
                    fields,
                    &ctx,
                );
            }
            teacher.act(Act::from(*action));
        }
        assert!(
            teacher.log().len() > before,
            "{ctx}: its \"Do it\" sent no request"
        );
        for earlier in &lesson.steps[..=i] {
            assert!(
                (earlier.done)(teacher.log()),
                "{ctx}: after its \"Do it\", step {:?} is not done",
                earlier.id
            );
        }
        check_progress(scenario, &lesson, teacher.log(), i + 1, &ctx);
    }
    teacher
}

#[test]
fn every_step_is_done_by_its_doit_in_order() {
    for scenario in ALL {
        for seed in SEEDS {
            for pace in PACES {
                let teacher = teach(scenario, seed, pace);
                // The journal is the whole lab: replayed, it gives the same log.
                let replayed = Run::replay(scenario, seed, &teacher.run.journal, &mut ModelHost);
                assert!(
                    replayed.lab.as_ref().ok().map(|l| &l.log) == Some(&teacher.log().to_vec()),
                    "{} (seed {seed}, pace {pace}s): the replayed journal gives another log",
                    scenario.id
                );
            }
        }
    }
}

#[test]
fn the_ahead_list_names_real_steps() {
    for (scenario, step, why) in AHEAD {
        let s = by_id(scenario).unwrap_or_else(|| panic!("no scenario {scenario}"));
        assert!(
            s.lesson().steps.iter().any(|st| st.id == *step),
            "{scenario} has no step {step} ({why})"
        );
    }
}

#[test]
fn every_step_of_every_lesson_has_a_doit() {
    let mut steps = 0;
    for scenario in ALL {
        for step in scenario.lesson().steps {
            assert!(!step.doit.is_empty(), "{} {}", scenario.id, step.id);
            steps += 1;
        }
    }
    // 44 steps of the tutorials written out, seed 004's three shared ones counted in each
    // variant using them (51), and the security lab's 67.
    assert_eq!(steps, 118);
}

#[test]
fn seed_000_misspelled_answers_nothing_until_the_fix() {
    let scenario = by_id("seed-000-misspelled").expect("the scenario");
    let lesson = scenario.lesson();
    let mut host = ModelHost;
    let mut run: Run<Jar> = Run::start(scenario, SEEDS[0], &mut host);
    assert_eq!(
        run.lab.as_ref().err().map(String::as_str),
        Some("ValueError: Unrecognized value for SESSION_TYPE: null")
    );
    // Whatever the learner does before the fix, the app serves nothing.
    let first = &lesson.steps[0];
    assert_eq!(first.doit, [Action::Fix, Action::Navigate("/")]);
    for action in [Action::Navigate("/"), Action::Navigate("/login")] {
        run.apply(Act::from(action), T0, &mut host);
        assert!(run.lab.is_err());
    }
    // The fix starts the corrected app as a new lab; the step's own navigation ticks it.
    assert!(run.apply(Act::from(Action::Fix), T0, &mut host).is_empty());
    let lab = run.lab.as_ref().expect("the fixed app starts");
    assert!(lab.log.is_empty());
    assert_eq!(run.epoch, 1);
    assert!(!(first.done)(&lab.log));
    run.apply(Act::from(Action::Navigate("/")), T0, &mut host);
    let log = &run.lab.as_ref().expect("running").log;
    assert!((first.done)(log));
    assert_eq!(log[0].status(), 302);
    assert_eq!(log[0].header("Location"), Some("/login"));
}
