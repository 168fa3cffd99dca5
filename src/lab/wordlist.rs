//! The lab's built-in wordlist of weak secret keys: our own compilation, made here from short
//! base lists and a few rules, in a fixed order with the likeliest keys first.
//!
//! 1. Every key the five tutorials use ([`SEED_KEYS`]) and free play's ([`FREE_PLAY_KEY`]).
//! 2. Placeholders that tutorials, docs and generated code leave in `SECRET_KEY`.
//! 3. Key-like phrases (`my secret key`, `flask session key`, ...) joined with `_`, `-` or
//!    nothing, in lower case, upper case and CamelCase.
//! 4. Common weak secrets (password-like words, keyboard walks, digit runs, names), as they
//!    are, upper case and capitalised, then with common suffixes (`1`, `123`, `!`, a year...).
//!
//! Each entry is unique, at most 64 bytes, and neither empty nor edged with white space.

use std::collections::HashSet;

/// The secret keys of the five tutorials the lab runs, as they set them.
pub const SEED_KEYS: &[&str] = &[
    "CODINGNINJAS",
    "xyz",
    "your_pythongeeks_secret_key_here",
    "your_secret_key_here",
    "pythongeeks_your_secret_key",
    "hello",
    "supersecretkey",
];

/// The secret key of the free play app.
pub const FREE_PLAY_KEY: &str = "dev-secret";

/// Keys seen as they are in tutorials, docs, templates and generated code.
const PLACEHOLDERS: &[&str] = &[
    "secret",
    "secret_key",
    "secret-key",
    "secretkey",
    "SECRET_KEY",
    "dev",
    "development",
    "development key",
    "default",
    "changeme",
    "change-me",
    "change_me",
    "CHANGEME",
    "change-this",
    "change_this",
    "changeit",
    "change-this-secret-key",
    "change_this_secret_key",
    "change-me-in-production",
    "replace-me",
    "replace_me",
    "your_secret_key",
    "your-secret-key",
    "yoursecretkey",
    "your secret key",
    "your-secret-key-here",
    "YOUR_SECRET_KEY",
    "YOUR_SECRET_KEY_HERE",
    "my_secret_key",
    "my-secret-key",
    "mysecretkey",
    "mysecret",
    "my secret key",
    "super secret key",
    "super-secret-key",
    "super_secret_key",
    "supersecret",
    "super-secret",
    "top-secret",
    "topsecret",
    "hard to guess string",
    "hard-to-guess-string",
    "you-will-never-guess",
    "you-will-never-guess-this",
    "keyboard cat",
    "flask",
    "flask-secret",
    "flask_secret",
    "flask-secret-key",
    "flask_secret_key",
    "flasksecret",
    "dev-key",
    "dev_key",
    "devkey",
    "dev-secret-key",
    "dev_secret_key",
    "development-key",
    "development_key",
    "test",
    "testing",
    "test-secret",
    "test_secret_key",
    "testing-secret-key",
    "insecure",
    "insecure-secret-key",
    "not-so-secret",
    "notsecret",
    "not_a_secret",
    "s3cr3t",
    "s3cr3t_k3y",
    "secret123",
    "secretkey123",
    "thisisasecret",
    "this-is-a-secret",
    "thisismysecretkey",
    "this-is-my-secret-key",
    "this_should_be_secret",
    "a-very-secret-key",
    "very-secret",
    "verysecret",
    "key",
    "mykey",
    "my-key",
    "password",
    "admin",
    "app",
    "app-secret",
    "app_secret",
    "app_secret_key",
    "appsecret",
    "session",
    "session-secret",
    "session_secret",
    "cookie-secret",
    "cookie_secret",
    "signing-key",
    "random",
    "random-string",
    "randomstring",
    "random_secret_key",
    "some-secret",
    "somesecret",
    "some_secret_key",
    "abc",
    "abc123",
    "asdf",
    "qwerty",
    "123",
    "1234",
    "12345",
    "123456",
    "12345678",
    "123456789",
    "none",
    "None",
    "null",
    "undefined",
    "example",
    "example-secret",
    "sample",
    "demo",
    "demo-secret",
    "flask-demo",
    "flask-login-demo",
    "flask_login_demo",
    "tutorial",
    "local",
    "localhost",
    "production",
    "prod",
    "staging",
    "debug",
    "foo",
    "bar",
    "foobar",
    "hello-world",
    "helloworld",
    "hello_world",
    "hunter2",
];

/// Words that key-like phrases are made of: a phrase is an optional first word, a core and an
/// optional last word.
const FIRSTS: &[&str] = &[
    "", "my", "your", "the", "app", "flask", "dev", "super", "top",
];
const CORES: &[&str] = &[
    "secret",
    "secret key",
    "key",
    "session key",
    "signing key",
    "cookie secret",
    "session secret",
];
const LASTS: &[&str] = &["", "here", "123"];

/// Common weak secrets, likeliest first.
const WEAK: &[&str] = &[
    "password",
    "admin",
    "secret",
    "qwerty",
    "letmein",
    "welcome",
    "monkey",
    "dragon",
    "master",
    "login",
    "root",
    "toor",
    "pass",
    "passw0rd",
    "p@ssw0rd",
    "p@ssword",
    "iloveyou",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "shadow",
    "superman",
    "batman",
    "trustno1",
    "freedom",
    "whatever",
    "starwars",
    "pokemon",
    "mustang",
    "access",
    "flower",
    "cheese",
    "computer",
    "internet",
    "guest",
    "user",
    "test",
    "demo",
    "flask",
    "python",
    "django",
    "session",
    "cookie",
    "token",
    "server",
    "api",
    "web",
    "app",
    "key",
    "hello",
    "world",
    "changeme",
    "default",
    "private",
    "hidden",
    "secure",
    "security",
    "mysql",
    "postgres",
    "redis",
    "oracle",
    "linux",
    "ubuntu",
    "windows",
    "github",
    "google",
    "apple",
    "banana",
    "orange",
    "coffee",
    "summer",
    "winter",
    "spring",
    "autumn",
    "hacker",
    "ninja",
    "codingninjas",
    "pythongeeks",
    "geeks",
    "coder",
    "developer",
    "qwertyuiop",
    "asdf",
    "asdfgh",
    "asdfghjkl",
    "zxcvbn",
    "zxcvbnm",
    "qazwsx",
    "1qaz2wsx",
    "q1w2e3r4",
    "1q2w3e4r",
    "123qwe",
    "qwe123",
    "abc",
    "abcd",
    "abcdef",
    "abc123",
    "aaaaaa",
    "xyz",
    "foo",
    "bar",
    "baz",
    "john",
    "alice",
    "bob",
    "eve",
    "mike",
    "michael",
    "jessica",
    "daniel",
    "david",
    "charlie",
    "jordan",
    "thomas",
    "1",
    "12",
    "123",
    "1234",
    "12345",
    "123456",
    "1234567",
    "12345678",
    "123456789",
    "1234567890",
    "0",
    "000000",
    "111111",
    "121212",
    "654321",
    "666666",
    "696969",
    "987654321",
    "password1",
];

/// Suffixes added to the weak secrets, likeliest first.
const SUFFIXES: &[&str] = &[
    "1", "123", "!", "12", "1234", "2024", "2025", "2023", "2026",
];

/// The longest entry, in bytes.
pub const MAX_LEN: usize = 64;

/// The three spellings of a phrase's words: lower case, upper case, CamelCase.
fn cased(words: &[&str], sep: &str) -> [String; 3] {
    let lower = words.join(sep);
    let upper = lower.to_uppercase();
    let camel = words
        .iter()
        .map(|w| capitalised(w))
        .collect::<Vec<_>>()
        .join(sep);
    [lower, upper, camel]
}

/// `word` with its first letter in upper case.
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The built-in wordlist, likeliest keys first: made by the rules below the first time it is
/// asked for, then kept.
pub fn builtin() -> &'static [String] {
    static LIST: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    LIST.get_or_init(build)
}

fn build() -> Vec<String> {
    let mut seen = HashSet::new();
    let mut list = Vec::new();
    let mut add = |entry: String| {
        let entry = entry.trim().to_string();
        if !entry.is_empty() && entry.len() <= MAX_LEN && seen.insert(entry.clone()) {
            list.push(entry);
        }
    };
    for key in SEED_KEYS.iter().chain([&FREE_PLAY_KEY]).chain(PLACEHOLDERS) {
        add(key.to_string());
    }
    // Phrases: the plainest first (no first or last word), `_` before `-` before nothing.
    for last in LASTS {
        for first in FIRSTS {
            for core in CORES {
                let words: Vec<&str> = [*first, core, last]
                    .iter()
                    .flat_map(|part| part.split(' '))
                    .filter(|w| !w.is_empty())
                    .collect();
                for sep in ["_", "-", ""] {
                    for spelling in cased(&words, sep) {
                        add(spelling);
                    }
                }
            }
        }
    }
    for suffix in [""].iter().chain(SUFFIXES) {
        for word in WEAK {
            add(format!("{word}{suffix}"));
            add(format!("{}{suffix}", capitalised(word)));
            if suffix.is_empty() {
                add(word.to_uppercase());
            }
        }
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::itsdangerous::crack::Target;
    use crate::engine::itsdangerous::signing::Serializer;

    #[test]
    fn the_list_is_unique_clean_and_a_few_thousand_long() {
        let list = builtin();
        assert!(
            (2_000..=5_000).contains(&list.len()),
            "{} entries",
            list.len()
        );
        let unique: HashSet<&String> = list.iter().collect();
        assert_eq!(unique.len(), list.len());
        for entry in list {
            assert!(!entry.is_empty());
            assert_eq!(entry.trim(), entry, "{entry:?}");
            assert!(entry.len() <= MAX_LEN, "{entry:?}");
        }
        // The rules make the same list every time.
        assert_eq!(build(), list);
    }

    #[test]
    fn every_tutorial_key_and_free_plays_come_first() {
        let list = builtin();
        let first: Vec<&str> = list
            .iter()
            .take(SEED_KEYS.len() + 1)
            .map(String::as_str)
            .collect();
        let mut want = SEED_KEYS.to_vec();
        want.push(FREE_PLAY_KEY);
        assert_eq!(first, want);
        for key in [
            "your_secret_key",
            "change-me",
            "changeme",
            "secret",
            "SECRET_KEY",
            "dev",
        ] {
            assert!(list.iter().any(|e| e == key), "{key}");
        }
    }

    /// A key the scenarios set on purpose as a strong one: 32 hex digits or more (what
    /// `secrets.token_hex(16)` or longer prints). The built-in list is for weak keys, so these
    /// are the only keys it need not crack.
    fn deliberately_strong(key: &str) -> bool {
        key.len() >= 32 && key.bytes().all(|b| b.is_ascii_hexdigit())
    }

    #[test]
    fn every_scenario_apps_key_is_cracked_from_the_list_unless_deliberately_strong() {
        use crate::engine::apps::Services;
        use crate::engine::py::secrets::SeededRng;
        let list = builtin();
        let keys: Vec<&[u8]> = list.iter().map(|e| e.as_bytes()).collect();
        let (mut cracked, mut strong, mut refused) = (Vec::new(), Vec::new(), Vec::new());
        for scenario in crate::lab::scenarios::ALL {
            let builders = std::iter::once(("app", scenario.app))
                .chain(scenario.fix.as_ref().map(|f| ("fix", f.app)));
            for (which, build) in builders {
                let Ok(app) = build(Services::in_memory(Box::new(SeededRng::new(7)))) else {
                    // Its lesson is an app that does not start.
                    refused.push(scenario.id);
                    continue;
                };
                let Some(key) = app.config.secret_key.clone() else {
                    continue;
                };
                if deliberately_strong(&key) {
                    strong.push(key);
                    continue;
                }
                let cookie = Serializer::flask_session(&key, &[])
                    .dumps(r#"{"user_name":"ada"}"#, 1_700_000_000);
                let target = Target::flask_session(&cookie).unwrap();
                let found = target.try_many(&keys).map(|i| list[i].as_str());
                assert_eq!(found, Some(key.as_str()), "{} {which}", scenario.id);
                cracked.push(key);
            }
        }
        // Tutorial 004's key and free play's are among them, and the weak-key scenario's fix
        // is strong.
        for key in ["supersecretkey", FREE_PLAY_KEY] {
            assert!(cracked.iter().any(|k| k == key), "{key}");
        }
        let fix = crate::lab::scenarios::attack_weak_key::STRONG_KEY;
        assert!(deliberately_strong(fix));
        assert!(!deliberately_strong("supersecretkey") && !deliberately_strong("deadbeef"));
        assert!(cracked.len() > strong.len(), "{cracked:?} {strong:?}");
        assert_eq!(
            refused,
            [crate::lab::scenarios::seed_000_misspelled::SCENARIO.id]
        );
    }
}
