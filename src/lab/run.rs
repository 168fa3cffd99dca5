//! A scenario running, and its journal: every action the learner took, with the lab clock it
//! was taken at, in order. The journal plus the random seed is the whole lab: replaying it on
//! a fresh browser gives the same requests, the same session ids and the same signed cookies
//! (timestamps included), which is what a share link carries ([`super::share`]).
//!
//! Everything the UI can do to a lab goes through [`Run::apply`] as an [`Act`], so nothing
//! escapes the journal. What the platform provides (a cookie jar per browser, the server-side
//! store) comes from a [`Host`]: the real `document.cookie` and `localStorage` in the browser,
//! the engine's models in native tests.

use super::scenarios::Scenario;
use super::{Action, BrowserId, CookieJar, Lab};
use crate::engine::apps::Services;
use crate::engine::flask::config::ConfigValue;
use crate::engine::flask::sessions::SecureCookieSessionInterface;
use crate::engine::flask_session::{self, store::SessionStore};
use crate::engine::py::secrets::SeededRng;

/// One thing the learner did, in either browser.
#[derive(Debug, Clone, PartialEq)]
pub enum Act {
    /// Typed an address (already a path) and pressed Enter, or followed a link.
    Navigate {
        browser: BrowserId,
        target: String,
    },
    /// Submitted a form.
    Submit {
        browser: BrowserId,
        method: String,
        action: String,
        fields: Vec<(String, String)>,
    },
    Back(BrowserId),
    Forward(BrowserId),
    Reload(BrowserId),
    /// Moved the lab clock forward by this many seconds.
    Advance(i64),
    /// Put the lab clock back to real time.
    ResetClock,
    /// Closed and reopened a browser.
    Restart(BrowserId),
    ClearCookies(BrowserId),
    OpenSecond,
    CloseSecond,
    /// Changed a cookie's value in the jar.
    EditCookie {
        browser: BrowserId,
        name: String,
        path: String,
        value: String,
    },
    /// Replaced the payload of a browser's signed session cookie with this JSON, keeping its
    /// timestamp and signature: what an attacker who can read but not sign tries.
    Forge {
        browser: BrowserId,
        json: String,
    },
    /// Changed a config key in the settings panel.
    Configure {
        key: String,
        value: ConfigValue,
    },
    /// Chose where the session lives: Flask-Session's store (`true`) or Flask's signed cookie.
    ServerSide(bool),
    /// Ran the scenario's corrected app.
    Fix,
    /// An attacker copied the browser's cookies for the site: through `document.cookie` as a
    /// script in the page would (`script`: `HttpOnly` cookies stay hidden), or all of them.
    Steal {
        browser: BrowserId,
        script: bool,
    },
    /// The attacker's copied cookies were put into the browser's jar.
    Plant(BrowserId),
    /// The browser's `User-Agent` for every later request.
    UserAgent {
        browser: BrowserId,
        agent: String,
    },
    /// A session cookie signed with `key` over `json`, at the lab clock, put into the browser's
    /// jar: what an attacker holding the key does.
    Sign {
        browser: BrowserId,
        json: String,
        key: String,
    },
}

impl Act {
    /// The same act done in `browser` (acts that involve no browser are unchanged).
    pub fn in_browser(self, to: BrowserId) -> Act {
        match self {
            Act::Navigate { target, .. } => Act::Navigate {
                browser: to,
                target,
            },
            Act::Submit {
                method,
                action,
                fields,
                ..
            } => Act::Submit {
                browser: to,
                method,
                action,
                fields,
            },
            Act::Back(_) => Act::Back(to),
            Act::Forward(_) => Act::Forward(to),
            Act::Reload(_) => Act::Reload(to),
            Act::Restart(_) => Act::Restart(to),
            Act::ClearCookies(_) => Act::ClearCookies(to),
            Act::EditCookie {
                name, path, value, ..
            } => Act::EditCookie {
                browser: to,
                name,
                path,
                value,
            },
            Act::Forge { json, .. } => Act::Forge { browser: to, json },
            Act::Steal { script, .. } => Act::Steal {
                browser: to,
                script,
            },
            Act::Plant(_) => Act::Plant(to),
            Act::UserAgent { agent, .. } => Act::UserAgent { browser: to, agent },
            Act::Sign { json, key, .. } => Act::Sign {
                browser: to,
                json,
                key,
            },
            other => other,
        }
    }
}

impl From<Action> for Act {
    fn from(action: Action) -> Act {
        let main = BrowserId::Main;
        match action {
            Action::Navigate(target) => Act::Navigate {
                browser: main,
                target: target.into(),
            },
            Action::Submit { action, fields } => Act::Submit {
                browser: main,
                method: "POST".into(),
                action: action.into(),
                fields: fields
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            },
            Action::Reload => Act::Reload(main),
            Action::Advance(seconds) => Act::Advance(seconds),
            Action::RestartBrowser => Act::Restart(main),
            Action::ClearCookies => Act::ClearCookies(main),
            Action::OpenSecond => Act::OpenSecond,
            Action::NavigateSecond(target) => Act::Navigate {
                browser: BrowserId::Second,
                target: target.into(),
            },
            Action::Configure(key, value) => Act::Configure {
                key: key.into(),
                value: ConfigValue::Str(value.into()),
            },
            Action::Switch(key, on) => Act::Configure {
                key: key.into(),
                value: ConfigValue::Bool(on),
            },
            Action::List(key, items) => Act::Configure {
                key: key.into(),
                value: ConfigValue::List(items.iter().map(|i| i.to_string()).collect()),
            },
            Action::Fix => Act::Fix,
            Action::Forge(json) => Act::Forge {
                browser: main,
                json: json.into(),
            },
            Action::ServerSide(on) => Act::ServerSide(on),
            Action::EditCookie { name, value } => Act::EditCookie {
                browser: main,
                name: name.into(),
                path: "/".into(),
                value: value.into(),
            },
            Action::Second(inner) => Act::from(*inner).in_browser(BrowserId::Second),
            Action::Steal { script } => Act::Steal {
                browser: main,
                script,
            },
            Action::Plant => Act::Plant(main),
            Action::UserAgent(agent) => Act::UserAgent {
                browser: main,
                agent: agent.into(),
            },
            Action::Sign { json, key } => Act::Sign {
                browser: main,
                json: json.into(),
                key: key.into(),
            },
        }
    }
}

/// One journal line: an act and the lab clock (unix seconds) when it was done.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub at: i64,
    pub act: Act,
}

/// What a lab needs from the platform it runs on.
pub trait Host<J> {
    /// An empty jar for one of the browsers.
    fn jar(&mut self, browser: BrowserId) -> J;
    /// The server-side store Flask-Session writes to.
    fn store(&mut self) -> Box<dyn SessionStore>;
}

/// A scenario's lab with its seed and journal.
pub struct Run<J> {
    pub scenario: &'static Scenario,
    /// Every random byte the lab uses (session ids) comes from this.
    pub seed: u64,
    /// The lab, or why the scenario's app did not start.
    pub lab: Result<Lab<J>, String>,
    pub journal: Vec<Entry>,
    /// Random sources handed out so far: the n-th is derived from the seed and n.
    draws: u64,
    /// Bumped when a new [`Lab`] (with a new log) replaces the running one.
    pub epoch: u64,
    /// The scenario's fix ([`Act::Fix`]) has run.
    pub fixed: bool,
}

/// The n-th random source of a lab: SplitMix64's finaliser over the seed and n, so that the
/// sources do not overlap as plain offsets of one stream would.
fn derive(seed: u64, n: u64) -> SeededRng {
    let mut z = seed ^ n.wrapping_mul(0xd1b5_4a32_d192_ed03);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    SeededRng::new(z ^ (z >> 31))
}

impl<J: CookieJar> Run<J> {
    /// Starts `scenario` with an empty journal.
    pub fn start(scenario: &'static Scenario, seed: u64, host: &mut dyn Host<J>) -> Run<J> {
        let mut run = Run {
            scenario,
            seed,
            lab: Err(String::new()),
            journal: Vec::new(),
            draws: 0,
            epoch: 0,
            fixed: false,
        };
        run.lab = run.build(scenario.app, host);
        run
    }

    /// Starts `scenario` and does every act of `journal` again at its own time.
    pub fn replay(
        scenario: &'static Scenario,
        seed: u64,
        journal: &[Entry],
        host: &mut dyn Host<J>,
    ) -> Run<J> {
        let mut run = Run::start(scenario, seed, host);
        for entry in journal {
            run.apply(entry.act.clone(), entry.at, host);
        }
        run
    }

    fn services(&mut self, host: &mut dyn Host<J>) -> Services {
        let rng = derive(self.seed, self.draws);
        self.draws += 1;
        Services {
            store: host.store(),
            rng: Box::new(rng),
        }
    }

    fn build(
        &mut self,
        app: super::scenarios::AppBuilder,
        host: &mut dyn Host<J>,
    ) -> Result<Lab<J>, String> {
        let services = self.services(host);
        app(services)
            .map(|app| Lab::new(app, host.jar(BrowserId::Main)))
            .map_err(|e| e.to_string())
    }

    /// Does `act` at lab time `now`, writes it in the journal, and returns what to tell the
    /// learner beyond what the panels show (a refused setting or cookie edit).
    pub fn apply(&mut self, act: Act, now: i64, host: &mut dyn Host<J>) -> Vec<String> {
        self.journal.push(Entry {
            at: now,
            act: act.clone(),
        });
        if act == Act::Fix {
            return self.fix(host);
        }
        let services = matches!(act, Act::ServerSide(true)).then(|| self.services(host));
        let Ok(lab) = self.lab.as_mut() else {
            return Vec::new();
        };
        match act {
            Act::Navigate { browser, target } => {
                lab.navigate(browser, &target, now);
            }
            Act::Submit {
                browser,
                method,
                action,
                fields,
            } => {
                lab.submit(browser, &method, &action, &fields, now);
            }
            Act::Back(browser) => {
                lab.back(browser, now);
            }
            Act::Forward(browser) => {
                lab.forward(browser, now);
            }
            Act::Reload(browser) => {
                lab.reload(browser, now);
            }
            Act::Advance(seconds) => lab.offset = lab.offset.saturating_add(seconds).max(0),
            Act::ResetClock => lab.offset = 0,
            Act::Restart(browser) => lab.restart_browser(browser),
            Act::ClearCookies(browser) => lab.clear_cookies(browser),
            Act::OpenSecond => {
                if lab.second.is_none() {
                    lab.open_second(host.jar(BrowserId::Second));
                }
            }
            Act::CloseSecond => lab.close_second(),
            Act::EditCookie {
                browser,
                name,
                path,
                value,
            } => {
                if let Some(tab) = lab.tab_mut(browser) {
                    return tab.jar.edit(&name, &path, &value, now);
                }
            }
            Act::Forge { browser, json } => {
                let name = lab.app.config.session_cookie_name.clone();
                if let Some(tab) = lab.tab_mut(browser) {
                    return forge(&mut tab.jar, &name, &json, now);
                }
            }
            Act::Configure { key, value } => {
                if let Err(e) = lab.app.config.set(&key, value) {
                    return vec![format!("{key}: {e}")];
                }
            }
            Act::ServerSide(true) => {
                let config = &mut lab.app.config;
                if config.get("SESSION_TYPE").is_none() {
                    let _ = config.set("SESSION_TYPE", ConfigValue::Str("filesystem".into()));
                }
                let Services { store, rng } = services.expect("drawn above");
                if let Err(e) = flask_session::init_app(&mut lab.app, store, rng) {
                    return vec![e.to_string()];
                }
            }
            Act::ServerSide(false) => lab
                .app
                .set_session_interface(Box::new(SecureCookieSessionInterface)),
            Act::Steal { browser, script } => {
                let Some(tab) = lab.tab_mut(browser) else {
                    return vec!["That browser is not open.".into()];
                };
                let cookies = tab.jar.cookies(now);
                let (seen, hidden): (Vec<_>, Vec<_>) =
                    cookies.into_iter().partition(|c| !(script && c.http_only));
                let mut said = Vec::new();
                if !hidden.is_empty() {
                    let names: Vec<&str> = hidden.iter().map(|c| c.name.as_str()).collect();
                    said.push(format!(
                        "document.cookie does not show {}: HttpOnly keeps it from scripts.",
                        names.join(", ")
                    ));
                }
                said.push(if seen.is_empty() {
                    "The attacker got no cookies.".to_string()
                } else {
                    let names: Vec<&str> = seen.iter().map(|c| c.name.as_str()).collect();
                    format!("The attacker copied {}.", names.join(", "))
                });
                lab.loot = seen;
                return said;
            }
            Act::Plant(browser) => {
                let loot = lab.loot.clone();
                let Some(tab) = lab.tab_mut(browser) else {
                    return vec!["That browser is not open.".into()];
                };
                if loot.is_empty() {
                    return vec!["The attacker has no copied cookies to put in.".into()];
                }
                let mut said = Vec::new();
                for c in loot {
                    said.extend(tab.jar.apply(&planted_line(&c), &c.path, now));
                }
                return said;
            }
            Act::UserAgent { browser, agent } => {
                let Some(tab) = lab.tab_mut(browser) else {
                    return vec!["That browser is not open.".into()];
                };
                // A browser sends no header value with a line break or other control
                // character (a share link could otherwise carry one in).
                if agent.chars().any(|c| c.is_control() && c != '\t') {
                    return vec![
                        "A User-Agent cannot hold line breaks or other control characters: \
                         no browser would send it."
                            .into(),
                    ];
                }
                tab.user_agent = Some(agent).filter(|a| !a.is_empty());
            }
            Act::Sign { browser, json, key } => {
                let name = lab.app.config.session_cookie_name.clone();
                let Some(tab) = lab.tab_mut(browser) else {
                    return vec!["That browser is not open.".into()];
                };
                return match crate::lab::decoder::forge(&json, &key, now) {
                    Ok((value, _)) => tab.jar.apply(&format!("{name}={value}; Path=/"), "/", now),
                    Err(e) => vec![e],
                };
            }
            Act::Fix => unreachable!("handled above"),
        }
        Vec::new()
    }

    /// Runs the scenario's corrected app: in the running lab (its browsers, log and store
    /// stay), or as a new lab when the original app never started.
    fn fix(&mut self, host: &mut dyn Host<J>) -> Vec<String> {
        let Some(fix) = self.scenario.fix else {
            return vec!["This scenario has no corrected app.".into()];
        };
        self.fixed = true;
        match self.lab.is_ok() {
            true => {
                let services = self.services(host);
                match (fix.app)(services) {
                    Ok(app) => {
                        if let Ok(lab) = self.lab.as_mut() {
                            lab.app = app;
                        }
                        Vec::new()
                    }
                    Err(e) => vec![e.to_string()],
                }
            }
            false => {
                self.lab = self.build(fix.app, host);
                self.epoch += 1;
                self.lab.as_ref().err().cloned().into_iter().collect()
            }
        }
    }
}

/// The `Set-Cookie` line that puts a copied cookie back as it was (what an attacker types into
/// DevTools): its value, path, expiry and flags.
fn planted_line(c: &crate::client::jar::StoredCookie) -> String {
    let mut line = format!("{}={}; Path={}", c.name, c.value, c.path);
    if let Some(expires) = c.expires {
        line.push_str("; Expires=");
        line.push_str(&crate::engine::werkzeug::http_date::http_date(expires));
    }
    if c.http_only {
        line.push_str("; HttpOnly");
    }
    if c.secure {
        line.push_str("; Secure");
    }
    if let Some(same_site) = c.same_site {
        line.push_str("; SameSite=");
        line.push_str(same_site.as_str());
    }
    line
}

/// [`Act::Forge`]: the session cookie `name` in `jar` with its payload replaced by `json`
/// (plain URL-safe base64, as itsdangerous writes an uncompressed payload) and its timestamp and
/// signature kept.
fn forge<J: CookieJar>(jar: &mut J, name: &str, json: &str, now: i64) -> Vec<String> {
    use crate::engine::itsdangerous::{pybase64, signing::Segments};
    let Some(cookie) = jar.cookies(now).into_iter().find(|c| c.name == name) else {
        return vec![format!("{name}: there is no session cookie to tamper with")];
    };
    let Ok(segments) = Segments::split(&cookie.value) else {
        return vec![format!(
            "{name}: not a signed cookie (a server-side session id?)"
        )];
    };
    let value = format!(
        "{}.{}.{}",
        pybase64::urlsafe_encode(json.as_bytes()),
        segments.timestamp,
        segments.signature
    );
    jar.edit(name, &cookie.path, &value, now)
}

/// The engine's own models as the platform: [`crate::client::jar::Jar`] for each browser and
/// an in-memory store (for native tests and the command line). Each store it hands out is
/// new, where the browser's `localStorage` would keep what an earlier one wrote.
#[derive(Debug, Default, Clone, Copy)]
pub struct ModelHost;

impl Host<crate::client::jar::Jar> for ModelHost {
    fn jar(&mut self, _: BrowserId) -> crate::client::jar::Jar {
        crate::client::jar::Jar::new()
    }

    fn store(&mut self) -> Box<dyn SessionStore> {
        Box::new(crate::engine::flask_session::store::MemoryStore::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::flask::sessions::CookieVerdict;
    use crate::lab::scenarios::seed_004_client_temp;

    const T0: i64 = 1_700_000_000;

    #[test]
    fn a_forged_payload_keeps_the_signature_and_the_server_refuses_it() {
        let mut host = ModelHost;
        let mut run = Run::start(&seed_004_client_temp::SCENARIO, 7, &mut host);
        for action in [
            Action::Navigate("/login"),
            Action::Submit {
                action: "/login",
                fields: &[("username", "eve")],
            },
        ] {
            assert!(run.apply(Act::from(action), T0, &mut host).is_empty());
        }
        let said = run.apply(
            Act::from(Action::Forge(r#"{"user_name":"admin"}"#)),
            T0,
            &mut host,
        );
        assert!(said.is_empty(), "{said:?}");
        run.apply(Act::from(Action::Navigate("/about")), T0, &mut host);
        let lab = run.lab.as_ref().unwrap();
        let first = &lab.log[lab.log.len() - 2..][0];
        let sent = first.cookie.as_deref().unwrap();
        // The payload is the attacker's (base64 of the JSON), the signature the server's.
        assert!(
            sent.starts_with("session=eyJ1c2VyX25hbWUiOiJhZG1pbiJ9."),
            "{sent}"
        );
        assert!(
            matches!(first.verdict, Some(CookieVerdict::Rejected(_))),
            "{:?}",
            first.verdict
        );
        assert_eq!(first.status(), 302, "back to the sign-in form");
        // With no signed cookie there is nothing to forge, and it says so.
        let mut run = Run::start(&seed_004_client_temp::SCENARIO, 7, &mut host);
        let said = run.apply(Act::from(Action::Forge("{}")), T0, &mut host);
        assert_eq!(said.len(), 1, "{said:?}");
    }

    fn signed_in(scenario: &'static Scenario) -> Run<crate::client::jar::Jar> {
        let mut run = Run::start(scenario, 7, &mut ModelHost);
        run.apply(
            Act::from(Action::Submit {
                action: "/login",
                fields: &[("next", "None"), ("username", "ada")],
            }),
            T0,
            &mut ModelHost,
        );
        run
    }

    #[test]
    fn a_script_cannot_steal_an_httponly_cookie_and_a_full_copy_replays_in_another_browser() {
        let mut run = signed_in(&seed_004_client_temp::SCENARIO);
        let said = run.apply(
            Act::from(Action::Steal { script: true }),
            T0,
            &mut ModelHost,
        );
        assert!(said[0].contains("HttpOnly"), "{said:?}");
        assert!(run.lab.as_ref().unwrap().loot.is_empty());
        let said = run.apply(Act::from(Action::Plant), T0, &mut ModelHost);
        assert_eq!(said, ["The attacker has no copied cookies to put in."]);

        let said = run.apply(
            Act::from(Action::Steal { script: false }),
            T0,
            &mut ModelHost,
        );
        assert_eq!(said, ["The attacker copied session."]);
        for action in [
            Action::OpenSecond,
            Action::Second(&Action::Plant),
            Action::NavigateSecond("/about"),
        ] {
            run.apply(Act::from(action), T0 + 5, &mut ModelHost);
        }
        let lab = run.lab.as_ref().unwrap();
        let last = lab.log.last().unwrap();
        assert_eq!(last.browser, BrowserId::Second);
        assert_eq!((last.target.as_str(), last.status()), ("/about", 200));
        assert!(last.response.body.contains("Welcome ada!"));
        // The copy keeps the cookie's flags: still HttpOnly in the second jar.
        let planted = lab.second.as_ref().unwrap().jar.clone().cookies(T0 + 5);
        assert_eq!(planted.len(), 1);
        assert!(planted[0].http_only);
    }

    #[test]
    fn a_user_agent_goes_with_every_request_and_redirect_of_its_browser_only() {
        let mut run = Run::start(&seed_004_client_temp::SCENARIO, 7, &mut ModelHost);
        run.apply(Act::from(Action::UserAgent("Lab/1")), T0, &mut ModelHost);
        run.apply(Act::from(Action::Navigate("/about")), T0, &mut ModelHost);
        run.apply(Act::from(Action::OpenSecond), T0, &mut ModelHost);
        run.apply(
            Act::from(Action::NavigateSecond("/about")),
            T0,
            &mut ModelHost,
        );
        let log = &run.lab.as_ref().unwrap().log;
        let agents: Vec<Option<&str>> = log.iter().map(|e| e.user_agent.as_deref()).collect();
        assert_eq!(agents, [Some("Lab/1"), Some("Lab/1"), None, None]);
        // Control characters are refused and change nothing.
        let said = run.apply(
            Act::from(Action::UserAgent("a\r\nX-Evil: 1")),
            T0,
            &mut ModelHost,
        );
        assert_eq!(said.len(), 1, "{said:?}");
        run.apply(Act::from(Action::Navigate("/home")), T0, &mut ModelHost);
        assert_eq!(
            run.lab
                .as_ref()
                .unwrap()
                .log
                .last()
                .unwrap()
                .user_agent
                .as_deref(),
            Some("Lab/1")
        );
        // An empty User-Agent means none.
        run.apply(Act::from(Action::UserAgent("")), T0, &mut ModelHost);
        run.apply(Act::from(Action::Navigate("/home")), T0, &mut ModelHost);
        assert_eq!(
            run.lab.as_ref().unwrap().log.last().unwrap().user_agent,
            None
        );
    }

    #[test]
    fn a_session_signed_with_the_key_is_accepted_and_with_another_refused() {
        let mut run = Run::start(&seed_004_client_temp::SCENARIO, 7, &mut ModelHost);
        let forged = Action::Sign {
            json: r#"{"user_name":"admin"}"#,
            key: "supersecretkey",
        };
        assert!(run.apply(Act::from(forged), T0, &mut ModelHost).is_empty());
        run.apply(Act::from(Action::Navigate("/about")), T0, &mut ModelHost);
        let last = run.lab.as_ref().unwrap().log.last().unwrap().clone();
        assert_eq!(last.status(), 200);
        assert!(last.response.body.contains("Welcome admin!"));
        let wrong = Action::Sign {
            json: r#"{"user_name":"admin"}"#,
            key: "not-the-key",
        };
        run.apply(Act::from(wrong), T0, &mut ModelHost);
        run.apply(Act::from(Action::Navigate("/about")), T0, &mut ModelHost);
        let last = run.lab.as_ref().unwrap().log.last().unwrap().clone();
        assert_eq!(last.target, "/login?next=http://localhost/about");
        // JSON that is not a session says so.
        let bad = Action::Sign {
            json: "[1]",
            key: "k",
        };
        assert_eq!(run.apply(Act::from(bad), T0, &mut ModelHost).len(), 1);
    }
}
