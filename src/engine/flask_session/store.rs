//! Where server-side sessions live: a key-value store with expiry, as Flask-Session's cachelib
//! `FileSystemCache` behaves (docs/flask-sessions.md §3.5): an entry written with a timeout of `t`
//! seconds at `now` expires at `now + t` (0 means never) and is still valid at that very second.
//!
//! The store never fails outward: a backend that cannot do its job (browser storage full or
//! disabled, an entry edited by hand) degrades and says so through [`SessionStore::take_notices`].

use crate::engine::py::value::Dict;
use std::collections::BTreeMap;

/// One stored session, for the inspector.
#[derive(Debug, Clone, PartialEq)]
pub struct StoreEntry {
    /// `SESSION_KEY_PREFIX + sid`.
    pub key: String,
    pub data: Dict,
    /// Absolute unix time the entry stops being valid after; 0 = never.
    pub expires_at: i64,
}

impl StoreEntry {
    /// cachelib: `expires == 0 or expires >= now`.
    pub fn is_live(&self, now: i64) -> bool {
        self.expires_at == 0 || self.expires_at >= now
    }

    /// Seconds left, for a countdown (None when it never expires).
    pub fn ttl(&self, now: i64) -> Option<i64> {
        (self.expires_at != 0).then(|| (self.expires_at - now).max(0))
    }
}

/// `expires_at` for a cachelib timeout: 0 stays 0 (never), otherwise `int(now) + timeout`.
pub fn expiry_for(timeout: i64, now: i64) -> i64 {
    if timeout == 0 {
        0
    } else {
        now.saturating_add(timeout)
    }
}

/// A session store with expiry.
pub trait SessionStore {
    /// The live entry under `key`; an expired one reads as missing (and may be pruned).
    fn get(&mut self, key: &str, now: i64) -> Option<Dict>;
    /// Writes or overwrites `key` with a cachelib timeout in seconds (0 = never expires).
    fn set(&mut self, key: &str, data: &Dict, timeout: i64, now: i64);
    fn delete(&mut self, key: &str);
    /// Every live entry, for the lab's store panel (expired ones are pruned first).
    fn entries(&mut self, now: i64) -> Vec<StoreEntry>;
    /// What went wrong since the last call (fallbacks, corrupted entries), in plain words.
    fn take_notices(&mut self) -> Vec<String> {
        Vec::new()
    }
}

/// An in-memory store: the replay tool's, the tests', and the browser store's fallback.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MemoryStore {
    entries: BTreeMap<String, StoreEntry>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn prune(&mut self, now: i64) {
        self.entries.retain(|_, e| e.is_live(now));
    }
}

impl SessionStore for MemoryStore {
    fn get(&mut self, key: &str, now: i64) -> Option<Dict> {
        match self.entries.get(key) {
            Some(e) if e.is_live(now) => Some(e.data.clone()),
            Some(_) => {
                self.entries.remove(key);
                None
            }
            None => None,
        }
    }

    fn set(&mut self, key: &str, data: &Dict, timeout: i64, now: i64) {
        self.entries.insert(
            key.to_string(),
            StoreEntry {
                key: key.to_string(),
                data: data.clone(),
                expires_at: expiry_for(timeout, now),
            },
        );
    }

    fn delete(&mut self, key: &str) {
        self.entries.remove(key);
    }

    fn entries(&mut self, now: i64) -> Vec<StoreEntry> {
        self.prune(now);
        self.entries.values().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_live_through_their_last_second() {
        let mut s = MemoryStore::new();
        let d = Dict::from([("a".to_string(), 1.into())]);
        s.set("session:x", &d, 300, 1000);
        assert_eq!(s.get("session:x", 1300), Some(d.clone()));
        assert_eq!(s.get("session:x", 1301), None);
        assert!(s.entries(1301).is_empty());
        s.set("session:y", &d, 0, 1000);
        assert_eq!(s.get("session:y", i64::MAX), Some(d));
    }
}
