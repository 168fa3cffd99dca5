//! Where server-side sessions live: a key-value store with expiry, as Flask-Session's cachelib
//! `FileSystemCache` behaves (docs/flask-sessions.md §3.5): an entry written with a timeout of `t`
//! seconds at `now` expires at `now + t` (0 means never) and is still valid at that very second.
//!
//! The store never fails outward: a backend that cannot do its job (browser storage full or
//! disabled, an entry edited by hand) degrades and says so through [`SessionStore::take_notices`].

use crate::engine::py::value::Dict;
use std::collections::{BTreeMap, BTreeSet, HashMap};

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

/// One page of a store's live entries, most recently written first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StorePage {
    /// How many live entries the store holds.
    pub total: usize,
    /// The position of `entries[0]` in the whole list (0 = the newest write).
    pub offset: usize,
    pub entries: Vec<StoreEntry>,
}

/// A session store with expiry.
pub trait SessionStore {
    /// The live entry under `key`; an expired one reads as missing (and may be pruned).
    fn get(&mut self, key: &str, now: i64) -> Option<Dict>;
    /// Writes or overwrites `key` with a cachelib timeout in seconds (0 = never expires).
    fn set(&mut self, key: &str, data: &Dict, timeout: i64, now: i64);
    fn delete(&mut self, key: &str);
    /// Every live entry, sorted by key (expired ones are pruned first). This reads the whole
    /// store: the lab's panel shows [`SessionStore::page`]s instead.
    fn entries(&mut self, now: i64) -> Vec<StoreEntry>;
    /// At most `limit` live entries from position `offset`, most recently written first, and
    /// how many there are: what the store panel shows. Stores with a [`KeyIndex`] answer
    /// without reading every entry; this default reads them all, in key order.
    fn page(&mut self, now: i64, offset: usize, limit: usize) -> StorePage {
        let all = self.entries(now);
        StorePage {
            total: all.len(),
            offset,
            entries: all.into_iter().skip(offset).take(limit).collect(),
        }
    }
    /// The live entry under `key`, for a look that must not change the store (the panels): by
    /// default the same as [`SessionStore::get`].
    fn peek(&mut self, key: &str, now: i64) -> Option<Dict> {
        self.get(key, now)
    }
    /// What went wrong since the last call (fallbacks, corrupted entries), in plain words.
    fn take_notices(&mut self) -> Vec<String> {
        Vec::new()
    }
}

/// A store's keys in write order, with their expiry: it answers "the newest N" and "which
/// entries have expired by now" without a scan, so that neither the store panel nor pruning
/// costs more as the store grows (both are `O(log n)` per entry touched).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeyIndex {
    /// key -> (write number, expires_at).
    keys: HashMap<String, (u64, i64)>,
    /// write number -> key; the last is the newest write.
    order: BTreeMap<u64, String>,
    /// (expires_at, key) of the entries that expire at all.
    expiry: BTreeSet<(i64, String)>,
    next: u64,
}

impl KeyIndex {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn contains(&self, key: &str) -> bool {
        self.keys.contains_key(key)
    }

    /// The `expires_at` recorded for `key`.
    pub fn expires_at(&self, key: &str) -> Option<i64> {
        self.keys.get(key).map(|&(_, e)| e)
    }

    /// Records a write of `key`: it becomes the newest entry.
    pub fn touch(&mut self, key: &str, expires_at: i64) {
        self.remove(key);
        let seq = self.next;
        self.next += 1;
        self.keys.insert(key.to_string(), (seq, expires_at));
        self.order.insert(seq, key.to_string());
        if expires_at != 0 {
            self.expiry.insert((expires_at, key.to_string()));
        }
    }

    /// Changes the expiry recorded for `key` without moving it (it was found rewritten).
    pub fn set_expiry(&mut self, key: &str, expires_at: i64) {
        let Some((_, old)) = self.keys.get_mut(key) else {
            return;
        };
        if *old == expires_at {
            return;
        }
        if *old != 0 {
            self.expiry.remove(&(*old, key.to_string()));
        }
        *old = expires_at;
        if expires_at != 0 {
            self.expiry.insert((expires_at, key.to_string()));
        }
    }

    /// Forgets `key`; whether it was there.
    pub fn remove(&mut self, key: &str) -> bool {
        let Some((seq, expires_at)) = self.keys.remove(key) else {
            return false;
        };
        self.order.remove(&seq);
        if expires_at != 0 {
            self.expiry.remove(&(expires_at, key.to_string()));
        }
        true
    }

    pub fn clear(&mut self) {
        *self = KeyIndex {
            next: self.next,
            ..KeyIndex::default()
        };
    }

    /// The keys whose entries have expired by `now` (cachelib: `expires < now`), soonest
    /// first: only those are looked at.
    pub fn expired(&self, now: i64) -> Vec<String> {
        self.expiry
            .iter()
            .take_while(|(e, _)| *e < now)
            .map(|(_, k)| k.clone())
            .collect()
    }

    /// Keys from position `offset` on, the newest write first.
    pub fn newest(&self, offset: usize) -> impl Iterator<Item = &str> {
        self.order.values().rev().skip(offset).map(String::as_str)
    }

    /// Every key, oldest write first.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.order.values().map(String::as_str)
    }
}

/// An in-memory store: the replay tool's, the tests', and the browser store's fallback.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MemoryStore {
    entries: BTreeMap<String, StoreEntry>,
    index: KeyIndex,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// Drops the entries that have expired by `now`, looking only at those.
    fn prune(&mut self, now: i64) {
        for key in self.index.expired(now) {
            self.entries.remove(&key);
            self.index.remove(&key);
        }
    }
}

impl SessionStore for MemoryStore {
    fn get(&mut self, key: &str, now: i64) -> Option<Dict> {
        match self.entries.get(key) {
            Some(e) if e.is_live(now) => Some(e.data.clone()),
            Some(_) => {
                self.entries.remove(key);
                self.index.remove(key);
                None
            }
            None => None,
        }
    }

    fn set(&mut self, key: &str, data: &Dict, timeout: i64, now: i64) {
        let expires_at = expiry_for(timeout, now);
        self.entries.insert(
            key.to_string(),
            StoreEntry {
                key: key.to_string(),
                data: data.clone(),
                expires_at,
            },
        );
        self.index.touch(key, expires_at);
    }

    fn delete(&mut self, key: &str) {
        self.entries.remove(key);
        self.index.remove(key);
    }

    fn entries(&mut self, now: i64) -> Vec<StoreEntry> {
        self.prune(now);
        self.entries.values().cloned().collect()
    }

    fn page(&mut self, now: i64, offset: usize, limit: usize) -> StorePage {
        self.prune(now);
        StorePage {
            total: self.index.len(),
            offset,
            entries: self
                .index
                .newest(offset)
                .take(limit)
                .filter_map(|k| self.entries.get(k).cloned())
                .collect(),
        }
    }

    fn peek(&mut self, key: &str, now: i64) -> Option<Dict> {
        self.entries
            .get(key)
            .filter(|e| e.is_live(now))
            .map(|e| e.data.clone())
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

    #[test]
    fn pages_show_the_newest_write_first_and_prune_only_what_expired() {
        let mut s = MemoryStore::new();
        let d = Dict::from([("a".to_string(), 1.into())]);
        for (i, key) in ["session:c", "session:a", "session:b"].iter().enumerate() {
            s.set(key, &d, 100 + i as i64, 1000);
        }
        s.set("session:never", &d, 0, 1000);
        let keys = |p: &StorePage| p.entries.iter().map(|e| e.key.clone()).collect::<Vec<_>>();
        let page = s.page(1000, 0, 2);
        assert_eq!((page.total, page.offset), (4, 0));
        assert_eq!(keys(&page), ["session:never", "session:b"]);
        assert_eq!(keys(&s.page(1000, 2, 2)), ["session:a", "session:c"]);
        assert!(s.page(1000, 4, 2).entries.is_empty());
        // Rewriting an entry makes it the newest.
        s.set("session:c", &d, 100, 1001);
        assert_eq!(keys(&s.page(1001, 0, 1)), ["session:c"]);
        // At 1102 "a" (1101) has expired, "b" (1102) has not, "c" now expires at 1101 too.
        let page = s.page(1102, 0, 10);
        assert_eq!(keys(&page), ["session:never", "session:b"]);
        assert_eq!(page.total, 2);
        // Entries stay in key order, and a peek changes nothing.
        assert_eq!(s.peek("session:b", 1103), None);
        assert_eq!(s.entries(1102).len(), 2);
    }
}
