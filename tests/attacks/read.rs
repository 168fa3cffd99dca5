//! `attack-read` natively: before the fix the copied session cookie decodes, without any key,
//! to the session's JSON; after it (Flask-Session) the copy is a bare id and the data is only
//! in the store. Also what the walks of tamper.rs, replay.rs and hijack.rs read: the
//! attacker's loot, the store and the cookies a response set.

use crate::support::Walker;
use session_lab::engine::flask::sessions::CookieVerdict;
use session_lab::engine::flask_session::store_entries;
use session_lab::lab::lesson::payload_json;
use session_lab::lab::{BrowserId, Exchange};

impl Walker {
    /// The one cookie the attacker holds: (name, value).
    pub fn loot(&self) -> (String, String) {
        let loot = &self.lab().loot;
        assert_eq!(loot.len(), 1, "{loot:?}");
        (loot[0].name.clone(), loot[0].value.clone())
    }

    /// Flask-Session's store: each key with its data (`None`: the app keeps no store).
    pub fn store(&self) -> Option<Vec<(String, String)>> {
        let lab = self.lab();
        store_entries(lab.app.session_interface(), self.now()).map(|entries| {
            entries
                .into_iter()
                .map(|e| (e.key, format!("{:?}", e.data)))
                .collect()
        })
    }
}

/// Whether a request is this method and path (query left out) from this browser.
pub fn is(e: &Exchange, browser: BrowserId, method: &str, path: &str) -> bool {
    e.browser == browser && e.method == method && e.path() == path
}

/// The one `Set-Cookie` of a response.
pub fn only_set_cookie(e: &Exchange) -> &str {
    let set = e.set_cookies();
    assert_eq!(set.len(), 1, "{set:?}");
    set[0]
}

/// `name=value` pairs of a `Set-Cookie` line: the value.
pub fn value_of(set_cookie: &str) -> &str {
    set_cookie
        .split(';')
        .next()
        .and_then(|pair| pair.split_once('='))
        .map(|(_, v)| v)
        .unwrap_or("")
}

/// What the session holds after signing in on tutorial 004's site, as Flask 3.1.3 encodes it:
/// measured with the Flask virtual environment (`session["user_name"] = "ada"`, `lang`,
/// `theme`), the first segment of the cookie is this base64.
const ADA_PAYLOAD: &str = "eyJsYW5nIjoiZW4iLCJ0aGVtZSI6ImRhcmsiLCJ1c2VyX25hbWUiOiJhZGEifQ";

#[test]
fn the_cookie_reads_without_a_key_until_the_session_moves_to_the_server() {
    const MAIN: BrowserId = BrowserId::Main;
    let mut walk = Walker::open("attack-read");
    assert_eq!(
        walk.store(),
        None,
        "a cookie session keeps nothing on the server"
    );

    assert!(walk.step("login").is_empty());
    let login = walk.last(|e| is(e, MAIN, "POST", "/login"));
    let set = only_set_cookie(login);
    assert!(set.starts_with(&format!("session={ADA_PAYLOAD}.")), "{set}");
    assert!(set.ends_with("; HttpOnly; Path=/"), "{set}");
    let cookie = value_of(set).to_string();

    // The attacker's copy is the same value, and it decodes with no key at all.
    assert_eq!(walk.step("read"), ["The attacker copied session."]);
    assert_eq!(walk.loot(), ("session".to_string(), cookie.clone()));
    assert_eq!(
        payload_json(&cookie).as_deref(),
        Some(r#"{"lang":"en","theme":"dark","user_name":"ada"}"#)
    );
    let about = walk.last(|e| is(e, MAIN, "GET", "/about"));
    assert_eq!(
        about.cookie.as_deref(),
        Some(format!("session={cookie}").as_str())
    );
    assert!(matches!(about.verdict, Some(CookieVerdict::Valid { .. })));
    assert!(about.response.body.contains("Welcome ada!"));

    // After the fix the cookie is 43 URL-safe characters (secrets.token_urlsafe(32)).
    assert!(walk.step("fix").is_empty());
    let set = only_set_cookie(walk.last(|e| is(e, MAIN, "POST", "/login")));
    let id = value_of(set).to_string();
    assert_eq!(id.len(), 43, "{set}");
    assert!(id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    assert_eq!(payload_json(&id), None);

    assert_eq!(walk.step("read-again"), ["The attacker copied session."]);
    assert_eq!(walk.loot(), ("session".to_string(), id.clone()));
    assert_eq!(payload_json(&walk.loot().1), None, "nothing to decode");
    let about = walk.last(|e| is(e, MAIN, "GET", "/about"));
    assert!(matches!(about.verdict, Some(CookieVerdict::Valid { .. })));
    assert!(about.response.body.contains("Welcome ada!"));
    // The name is on the server, under the id.
    let store = walk.store().expect("Flask-Session's store");
    assert_eq!(store.len(), 1, "{store:?}");
    assert_eq!(store[0].0, format!("session:{id}"));
    assert!(store[0].1.contains("ada"), "{store:?}");
}
