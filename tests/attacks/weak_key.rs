//! Scenario `attack-weak-key`: the cookie captured at sign-in gives its key away to the
//! built-in list; an admin session signed with that key is accepted; after the fix (a key from
//! `secrets.token_hex(32)`) the new cookie resists the list and the same forgery is refused.

use session_lab::client::jar::Jar;
use session_lab::engine::flask::sessions::CookieVerdict;
use session_lab::lab::cracker::{admin_session, Budget, Job, State, Wordlist};
use session_lab::lab::lesson::{progress, session_set};
use session_lab::lab::run::{Act, ModelHost, Run};
use session_lab::lab::scenarios::attack_weak_key::{SCENARIO, STRONG_KEY, WEAK_KEY};
use session_lab::lab::{Action, BrowserId, Exchange};

const T0: i64 = 1_700_000_000;

struct Attacker {
    run: Run<Jar>,
    now: i64,
}

impl Attacker {
    fn open() -> Attacker {
        let mut a = Attacker {
            run: Run::start(&SCENARIO, 11, &mut ModelHost),
            now: T0,
        };
        a.act(Act::Navigate {
            browser: BrowserId::Main,
            target: SCENARIO.start.into(),
        });
        a
    }

    fn act(&mut self, act: Act) -> Vec<String> {
        self.now += 1;
        self.run.apply(act, self.now, &mut ModelHost)
    }

    fn perform(&mut self, action: Action) {
        let said = self.act(Act::from(action));
        assert!(said.is_empty(), "{action:?}: {said:?}");
    }

    fn sign_in(&mut self) {
        self.perform(Action::Navigate("/login"));
        self.perform(Action::Submit {
            action: "/login",
            fields: &[("next", "None"), ("username", "ada")],
        });
    }

    fn log(&self) -> &[Exchange] {
        &self.run.lab.as_ref().expect("the app runs").log
    }

    /// The session cookie the last sign-in set: what the attacker captured.
    fn captured(&self) -> String {
        self.log()
            .iter()
            .rev()
            .find_map(|e| session_set(e).map(|c| c.value.to_string()))
            .expect("a session cookie was set")
    }

    fn done(&self) -> Vec<&'static str> {
        progress(&SCENARIO.lesson(), self.log())
            .into_iter()
            .filter(|(_, d)| *d)
            .map(|(id, _)| id)
            .collect()
    }

    /// Signs `json` with `key` as the attacker and opens /about with it.
    fn forge_and_open(&mut self, json: &str, key: &str) -> &Exchange {
        let said = self.act(Act::Sign {
            browser: BrowserId::Main,
            json: json.into(),
            key: key.into(),
        });
        assert!(said.is_empty(), "{said:?}");
        let at = self.log().len();
        self.perform(Action::Navigate("/about"));
        // The request for /about itself (a redirect it answers is followed after it).
        &self.log()[at]
    }
}

/// Runs the cracker over the built-in list to the end, in slices of 500 candidates.
fn crack(cookie: &str) -> (State, Option<String>, u64) {
    let mut job = Job::new(cookie, Wordlist::builtin()).expect("a signed cookie");
    let mut clock = {
        let mut t = 0.0;
        move || {
            t += 1.0;
            t
        }
    };
    for _ in 0..100_000 {
        let p = job.run(Budget::Candidates(500), &mut clock);
        if p.state != State::Running {
            let key = p.found.map(|k| String::from_utf8(k).expect("UTF-8"));
            return (p.state, key, p.tried);
        }
    }
    panic!("the job never ended");
}

#[test]
fn the_key_falls_to_the_list_and_signs_an_admin_session_until_the_key_is_strong() {
    let mut a = Attacker::open();
    assert!(a.done().is_empty());
    a.sign_in();
    assert_eq!(a.done(), ["login"]);
    let captured = a.captured();

    // Cracking sends nothing: the log is as it was.
    let before = a.log().len();
    let (state, key, tried) = crack(&captured);
    assert_eq!(state, State::Found);
    assert_eq!(key.as_deref(), Some(WEAK_KEY));
    assert!(tried <= Wordlist::builtin().len());
    assert_eq!(a.log().len(), before);
    assert_eq!(a.done(), ["login"]);

    // The key found signs an admin session the server takes as its own.
    let json = admin_session(Some(&captured));
    assert_eq!(json, r#"{"lang":"en","theme":"dark","user_name":"admin"}"#);
    let e = a.forge_and_open(&json, &key.unwrap()).clone();
    assert!(
        matches!(e.verdict, Some(CookieVerdict::Valid { .. })),
        "{:?}",
        e.verdict
    );
    assert_eq!(e.status(), 200);
    assert!(
        e.response.body.contains("Welcome admin!"),
        "{}",
        e.response.body
    );
    assert_eq!(a.done(), ["login", "crack", "forge"]);

    // The fix: a strong key. Flask refuses the forged cookie on the way to the form.
    a.perform(Action::Configure("SECRET_KEY", STRONG_KEY));
    a.perform(Action::Navigate("/login"));
    let on_the_way = &a.log()[a.log().len() - 1];
    assert!(
        matches!(on_the_way.verdict, Some(CookieVerdict::Rejected(_))),
        "{:?}",
        on_the_way.verdict
    );
    // That refusal came before the new key signed anything: not yet the last step.
    assert_eq!(a.done(), ["login", "crack", "forge"]);
    a.perform(Action::Submit {
        action: "/login",
        fields: &[("next", "None"), ("username", "ada")],
    });
    assert_eq!(a.done(), ["login", "crack", "forge", "strong-key"]);
    let fresh = a.captured();
    assert_ne!(fresh, captured);
    let (state, key, tried) = crack(&fresh);
    assert_eq!((state, key), (State::Exhausted, None));
    assert_eq!(tried, Wordlist::builtin().len());

    // The same forgery with the old key is refused, and /about sends it to sign in.
    let e = a.forge_and_open(&json, WEAK_KEY).clone();
    assert!(
        matches!(e.verdict, Some(CookieVerdict::Rejected(_))),
        "{:?}",
        e.verdict
    );
    assert_eq!(e.status(), 302);
    assert_eq!(
        a.done(),
        ["login", "crack", "forge", "strong-key", "refused"]
    );
}

#[test]
fn signing_in_as_admin_through_the_form_is_no_forgery() {
    let mut a = Attacker::open();
    a.perform(Action::Navigate("/login"));
    a.perform(Action::Submit {
        action: "/login",
        fields: &[("next", "None"), ("username", "admin")],
    });
    a.perform(Action::Navigate("/about"));
    let e = a.log().last().unwrap();
    assert!(e.response.body.contains("Welcome admin!"));
    // Accepted, but the server issued that cookie itself.
    assert_eq!(a.done(), ["login"]);
}

#[test]
fn a_cookie_signed_with_a_wrong_guess_is_refused() {
    let mut a = Attacker::open();
    a.sign_in();
    let e = a
        .forge_and_open(r#"{"user_name":"admin"}"#, "supersecretkey2")
        .clone();
    assert!(matches!(e.verdict, Some(CookieVerdict::Rejected(_))));
    assert_eq!(e.status(), 302);
    assert_eq!(a.done(), ["login"]);
}

/// Copies a browser's cookies as the attacker (the lab says what was copied).
fn steal(a: &mut Attacker, action: Action) {
    let said = a.act(Act::from(action));
    assert_eq!(said, ["The attacker copied session."]);
}

/// A loophole the steps once had: a cookie the server issued to one browser, copied into the
/// other, is no forgery, whoever it names.
#[test]
fn a_cookie_copied_between_browsers_is_no_forgery() {
    // Ada's cookie, copied from the main browser into the second.
    let mut a = Attacker::open();
    a.sign_in();
    steal(&mut a, Action::Steal { script: false });
    a.perform(Action::OpenSecond);
    a.perform(Action::Second(&Action::Plant));
    a.perform(Action::NavigateSecond("/about"));
    let e = a.log().last().unwrap();
    assert_eq!((e.browser, e.status()), (BrowserId::Second, 200));
    assert!(matches!(e.verdict, Some(CookieVerdict::Valid { .. })));
    assert_eq!(a.done(), ["login"]);

    // An admin's cookie the server issued to the second browser, planted in the main one.
    let mut a = Attacker::open();
    a.sign_in();
    a.perform(Action::OpenSecond);
    a.perform(Action::NavigateSecond("/login"));
    a.perform(Action::Second(&Action::Submit {
        action: "/login",
        fields: &[("next", "None"), ("username", "admin")],
    }));
    steal(&mut a, Action::Second(&Action::Steal { script: false }));
    a.perform(Action::Plant);
    a.perform(Action::Navigate("/about"));
    let e = a.log().last().unwrap();
    assert_eq!((e.browser, e.status()), (BrowserId::Main, 200));
    assert!(e.response.body.contains("Welcome admin!"));
    assert_eq!(a.done(), ["login"]);

    // The same admin cookie, taken the other way: the main browser signs in as admin and the
    // second browser gets the copy.
    let mut a = Attacker::open();
    a.perform(Action::Navigate("/login"));
    a.perform(Action::Submit {
        action: "/login",
        fields: &[("next", "None"), ("username", "admin")],
    });
    steal(&mut a, Action::Steal { script: false });
    a.perform(Action::OpenSecond);
    a.perform(Action::Second(&Action::Plant));
    a.perform(Action::NavigateSecond("/about"));
    let e = a.log().last().unwrap();
    assert!(e.response.body.contains("Welcome admin!"));
    assert_eq!(a.done(), ["login"]);
}

/// Another loophole: the fix step took any new key. A key from the built-in list is no fix,
/// and a forgery with the old key refused under it proves nothing.
#[test]
fn a_new_weak_key_is_no_fix() {
    let mut a = Attacker::open();
    a.sign_in();
    let captured = a.captured();
    let json = admin_session(Some(&captured));
    a.forge_and_open(&json, WEAK_KEY);
    assert_eq!(a.done(), ["login", "crack", "forge"]);
    for weak in ["changeme", "dev-secret", "Secret123"] {
        a.perform(Action::Configure("SECRET_KEY", weak));
        a.sign_in();
        let (state, key, _) = crack(&a.captured());
        assert_eq!((state, key.as_deref()), (State::Found, Some(weak)));
        let e = a.forge_and_open(&json, WEAK_KEY).clone();
        assert_eq!(e.status(), 302);
        assert_eq!(a.done(), ["login", "crack", "forge"], "{weak}");
    }
    // A key the list does not hold ticks both.
    a.perform(Action::Configure("SECRET_KEY", STRONG_KEY));
    a.sign_in();
    a.forge_and_open(&json, WEAK_KEY);
    assert_eq!(
        a.done(),
        ["login", "crack", "forge", "strong-key", "refused"]
    );
}
