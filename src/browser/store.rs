//! Server-side sessions kept in `localStorage`: the browser stand-in for Flask-Session's
//! filesystem cache.
//!
//! Each session is one `localStorage` item under `<namespace>:<store key>` (the store key is
//! Flask-Session's `SESSION_KEY_PREFIX + sid`, so typically `sl.store:session:<sid>`), holding
//! a readable JSON object that DevTools (Application > Local Storage) shows as it is:
//!
//! ```text
//! {"expires_at":1700001800,"data":{"_permanent":true,"username":"John"}}
//! ```
//!
//! `expires_at` is cachelib's absolute expiry in unix seconds (0 = never); `data` is the
//! session dict in Flask's tagged JSON ([`dumps_dict`]), embedded as JSON rather than as a
//! string, and read back with [`loads_dict`] so that every value round-trips exactly (big ints,
//! float reprs, tuples, bytes, datetimes...). A `data` written as a JSON *string* holding tagged
//! JSON text is accepted too.
//!
//! Because `localStorage` belongs to the origin, every tab of the lab shares these sessions
//! (two `LocalStorageStore`s with the same namespace see each other's writes) and they survive
//! a reload, like files in a server's session directory.
//!
//! Which sessions there are, in which write order and until when, is kept in a [`KeyIndex`]
//! shared by every store of the page on the same namespace: the store panel's pages (newest
//! write first) and the pruning of expired entries read only the entries they show or remove,
//! never all of `localStorage`, so a click costs the same with ten sessions or ten thousand.
//! The index is built by one scan when a store is made, follows this page's own writes, and
//! follows other tabs' writes through the `storage` event; an item found missing or unreadable
//! when read drops out of it. [`SessionStore::entries`] still reads everything (and brings the
//! index up to date).
//!
//! Faults degrade and are told through [`SessionStore::take_notices`], never by panicking:
//! - `localStorage` missing or refusing a write (quota exceeded, storage disabled): the store
//!   falls back to an in-memory [`MemoryStore`] (seeded with the sessions it could still read),
//!   so sessions keep working in this tab but are lost on reload and not shared;
//! - an entry that is not valid JSON of the shape above (edited by hand, say): it reads as a
//!   missing session, is left in place for the learner to look at, and a notice names its key;
//! - an expired entry reads as missing and is removed, as cachelib prunes stale files.

use super::storage::{js_error_text, local_storage, StorageError};
use crate::client::jar::sort_order;
use crate::engine::flask::tagged_json::{self, dumps_dict, loads_dict};
use crate::engine::flask_session::store::{
    expiry_for, KeyIndex, MemoryStore, SessionStore, StoreEntry, StorePage,
};
use crate::engine::py::value::{Dict, Value};
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// The namespace the lab uses unless told otherwise.
pub const DEFAULT_NAMESPACE: &str = "sl.store";

/// A [`SessionStore`] on the page's `localStorage`, with an in-memory fallback.
#[derive(Debug)]
pub struct LocalStorageStore {
    namespace: String,
    /// `Some` once `localStorage` could not be used: every operation goes here instead.
    fallback: Option<MemoryStore>,
    /// Why the store is in memory (empty while it uses `localStorage`).
    fallback_reason: String,
    notices: Vec<String>,
    /// Corrupted entries already reported by [`SessionStore::entries`] (key, raw text), so that
    /// a panel refreshing the list does not repeat the same notice forever. A list, not a set:
    /// a few entries, and no set code of their own in the bundle.
    reported: Vec<(String, String)>,
    /// The namespace's index, shared with the page's other stores on it.
    shared: Rc<RefCell<Shared>>,
}

/// What the stores of this page know about one namespace's items.
#[derive(Debug, Default)]
struct Shared {
    /// The readable sessions, in write order, with their expiry.
    index: KeyIndex,
    /// `localStorage` was cleared behind the index's back (another tab's `clear()`): scan again
    /// before the next page.
    stale: bool,
}

thread_local! {
    /// One [`Shared`] per namespace, for every store of the page (a list: a page has a few
    /// namespaces, and a map type of its own would add its code to the bundle).
    static SHARED: RefCell<Vec<(String, Rc<RefCell<Shared>>)>> = const { RefCell::new(Vec::new()) };
}

/// The namespace's shared index; the first time, also starts following other tabs' writes.
fn shared_index(namespace: &str) -> Rc<RefCell<Shared>> {
    SHARED.with(|all| {
        let mut all = all.borrow_mut();
        if let Some((_, shared)) = all.iter().find(|(n, _)| n == namespace) {
            return shared.clone();
        }
        let shared = Rc::new(RefCell::new(Shared::default()));
        follow_other_tabs(namespace, Rc::downgrade(&shared));
        all.push((namespace.to_string(), shared.clone()));
        shared
    })
}

/// Keeps the index in step with what other tabs write: the `storage` event (fired in the other
/// documents of the origin) names the item and its new text.
fn follow_other_tabs(namespace: &str, shared: Weak<RefCell<Shared>>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let prefix = format!("{namespace}:");
    let on_storage = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        let Some(shared) = shared.upgrade() else {
            return;
        };
        let field = |name: &str| js_sys::Reflect::get(&event, &JsValue::from_str(name)).ok();
        // sessionStorage fires the same event.
        if let (Some(area), Ok(ls)) = (field("storageArea"), local_storage()) {
            if area != JsValue::from(ls) {
                return;
            }
        }
        let mut shared = shared.borrow_mut();
        match field("key").and_then(|k| k.as_string()) {
            None => shared.stale = true,
            Some(item) => {
                let Some(key) = item.strip_prefix(&prefix) else {
                    return;
                };
                let entry = field("newValue")
                    .and_then(|v| v.as_string())
                    .map(|text| decode_entry(&text));
                match entry {
                    Some(Ok((expires_at, _))) => shared.index.touch(key, expires_at),
                    _ => {
                        shared.index.remove(key);
                    }
                }
            }
        }
    });
    let _ = window.add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref());
    // Listens for the life of the page, like the index it keeps.
    on_storage.forget();
}

/// Which backend a [`LocalStorageStore`] is using now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    LocalStorage,
    /// Fell back to memory, for this reason.
    Memory(String),
}

impl Default for LocalStorageStore {
    /// A store on [`DEFAULT_NAMESPACE`].
    fn default() -> Self {
        LocalStorageStore::new(DEFAULT_NAMESPACE)
    }
}

impl LocalStorageStore {
    /// A store whose items are `<namespace>:<store key>`. If `localStorage` is unavailable
    /// the store starts in memory and its first notice says so.
    pub fn new(namespace: &str) -> LocalStorageStore {
        let mut store = LocalStorageStore {
            namespace: namespace.to_string(),
            fallback: None,
            fallback_reason: String::new(),
            notices: Vec::new(),
            reported: Vec::new(),
            shared: shared_index(namespace),
        };
        match local_storage() {
            Err(e) => store.fall_back(format!("{e}"), None),
            // What an earlier page (or a test) left, or changed since: one scan, here.
            Ok(_) => {
                store.scan();
            }
        }
        store
    }

    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The `localStorage` item name for a store key.
    pub fn storage_key(&self, store_key: &str) -> String {
        format!("{}:{store_key}", self.namespace)
    }

    /// Where sessions are kept now.
    pub fn backend(&self) -> Backend {
        match self.fallback {
            None => Backend::LocalStorage,
            Some(_) => Backend::Memory(self.fallback_reason.clone()),
        }
    }

    pub fn is_memory_fallback(&self) -> bool {
        self.fallback.is_some()
    }

    /// After a fallback to memory: tries `localStorage` again (the learner may have made room)
    /// by writing every session held in memory back. On success the store uses `localStorage`
    /// again and says so; on failure it stays in memory (what was written stays too).
    pub fn retry_local_storage(&mut self, now: i64) -> bool {
        let Some(mem) = self.fallback.as_mut() else {
            return true;
        };
        let Ok(storage) = local_storage() else {
            return false;
        };
        // Oldest write first, so that the index keeps the memory store's order.
        let mut written = mem.page(now, 0, usize::MAX).entries;
        written.reverse();
        for entry in written {
            let item = format!("{}:{}", self.namespace, entry.key);
            if storage
                .set_item(&item, &encode_entry(&entry.data, entry.expires_at))
                .is_err()
            {
                return false;
            }
            self.shared
                .borrow_mut()
                .index
                .touch(&entry.key, entry.expires_at);
        }
        self.fallback = None;
        self.fallback_reason.clear();
        self.notices.push(
            "localStorage works again: server-side sessions are kept there once more, shared \
             by the lab's tabs and kept across reloads."
                .to_string(),
        );
        true
    }

    /// Removes every session of this namespace (from `localStorage` and from the fallback).
    pub fn clear(&mut self) {
        if let Some(mem) = &mut self.fallback {
            *mem = MemoryStore::new();
        }
        if let Ok(storage) = local_storage() {
            for key in self.own_items() {
                let _ = storage.remove_item(&self.storage_key(&key));
            }
        }
        self.shared.borrow_mut().index.clear();
        self.reported.clear();
    }

    /// Reads every item of the namespace once and brings the shared index up to date: sessions
    /// it already knew keep their place, new ones come after them (the one expiring last as
    /// the newest), missing or unreadable ones leave it. Returns what it read.
    fn scan(&mut self) -> Vec<StoreEntry> {
        let mut found = Vec::new();
        for key in self.own_items() {
            if let Ok(Some((expires_at, data))) = self.read(&key, false) {
                found.push(StoreEntry {
                    key,
                    data,
                    expires_at,
                });
            }
            if self.fallback.is_some() {
                return Vec::new();
            }
        }
        let mut shared = self.shared.borrow_mut();
        // The keys found, sorted for a binary search (a store can hold thousands).
        let present: Vec<&str> = sort_order(found.len(), &|a, b| found[a].key.cmp(&found[b].key))
            .into_iter()
            .map(|i| found[i].key.as_str())
            .collect();
        let gone: Vec<String> = shared
            .index
            .keys()
            .filter(|k| present.binary_search(k).is_err())
            .map(str::to_string)
            .collect();
        for key in gone {
            shared.index.remove(&key);
        }
        let mut new: Vec<(i64, &str)> = Vec::new();
        for e in &found {
            if shared.index.contains(&e.key) {
                shared.index.set_expiry(&e.key, e.expires_at);
            } else {
                new.push((e.expires_at, &e.key));
            }
        }
        for i in sort_order(new.len(), &|a, b| new[a].cmp(&new[b])) {
            let (expires_at, key) = new[i];
            shared.index.touch(key, expires_at);
        }
        shared.stale = false;
        drop(shared);
        found
    }

    /// Removes the item of an expired session, and forgets it.
    fn remove_expired(&mut self, key: &str) {
        if let Ok(s) = local_storage() {
            let _ = s.remove_item(&self.storage_key(key));
        }
        self.shared.borrow_mut().index.remove(key);
    }

    /// Removes the sessions that have expired by `now`: only those the index says have
    /// expired are read (to check that no other tab has rewritten them since).
    fn prune(&mut self, now: i64) {
        let due = self.shared.borrow().index.expired(now);
        for key in due {
            match self.read(&key, false) {
                Ok(Some((expires_at, _))) if expires_at == 0 || expires_at >= now => {
                    self.shared.borrow_mut().index.set_expiry(&key, expires_at);
                }
                Ok(Some(_)) => self.remove_expired(&key),
                Ok(None) | Err(()) => {
                    self.shared.borrow_mut().index.remove(&key);
                }
            }
            if self.fallback.is_some() {
                return;
            }
        }
    }

    /// Store keys (namespace stripped) of every item of this namespace, in storage order.
    fn own_items(&self) -> Vec<String> {
        let Ok(storage) = local_storage() else {
            return Vec::new();
        };
        let prefix = format!("{}:", self.namespace);
        let len = storage.length().unwrap_or(0);
        (0..len)
            .filter_map(|i| storage.key(i).ok().flatten())
            .filter_map(|k| k.strip_prefix(&prefix).map(str::to_string))
            .collect()
    }

    /// Switches to memory for good, keeping every session that can still be read, and says so.
    fn fall_back(&mut self, why: String, now: Option<i64>) {
        if self.fallback.is_some() {
            return;
        }
        let mut mem = MemoryStore::new();
        if let Ok(storage) = local_storage() {
            for key in self.own_items() {
                let raw = storage.get_item(&self.storage_key(&key)).ok().flatten();
                if let Some(Ok(entry)) = raw.map(|r| decode_entry(&r)) {
                    if now.is_none_or(|now| entry.0 == 0 || entry.0 >= now) {
                        copy_into(&mut mem, &key, &entry.1, entry.0);
                    }
                }
            }
        }
        self.fallback = Some(mem);
        self.fallback_reason = why.clone();
        self.notices.push(format!(
            "{why}. Server-side sessions are now kept in this tab's memory only: they are lost \
             on reload and not shared with other tabs."
        ));
    }

    /// Reads one item: `Ok(None)` when absent, `Err` (noticed) when unreadable.
    fn read(&mut self, store_key: &str, notify: bool) -> Result<Option<(i64, Dict)>, ()> {
        let item = self.storage_key(store_key);
        let raw = match local_storage().and_then(|s| {
            s.get_item(&item).map_err(|e| StorageError::ReadRefused {
                js: Some(js_error_text(&e)),
            })
        }) {
            Ok(raw) => raw,
            Err(e) => {
                self.fall_back(e.to_string(), None);
                return Err(());
            }
        };
        let Some(raw) = raw else { return Ok(None) };
        match decode_entry(&raw) {
            Ok(entry) => Ok(Some(entry)),
            Err(why) => {
                let seen = (item.clone(), raw);
                let first = !self.reported.contains(&seen);
                if first {
                    self.reported.push(seen);
                }
                if notify || first {
                    self.notices.push(format!(
                        "The stored session {item:?} in localStorage is not readable ({why}), so \
                         it counts as missing. Was it edited by hand? Fix its JSON or delete it."
                    ));
                }
                Err(())
            }
        }
    }
}

/// Puts an entry into a memory store with exactly this `expires_at`.
fn copy_into(mem: &mut MemoryStore, key: &str, data: &Dict, expires_at: i64) {
    if expires_at == 0 {
        mem.set(key, data, 0, 0);
    } else {
        // expiry_for(1, expires_at - 1) == expires_at, even when expires_at is "now".
        mem.set(key, data, 1, expires_at.saturating_sub(1));
    }
}

impl SessionStore for LocalStorageStore {
    fn get(&mut self, key: &str, now: i64) -> Option<Dict> {
        if self.fallback.is_none() {
            match self.read(key, true) {
                Ok(Some((expires_at, data))) => {
                    if expires_at == 0 || expires_at >= now {
                        let mut shared = self.shared.borrow_mut();
                        if shared.index.contains(key) {
                            shared.index.set_expiry(key, expires_at);
                        } else {
                            // Written behind the lab's back (DevTools): listed from now on.
                            shared.index.touch(key, expires_at);
                        }
                        return Some(data);
                    }
                    self.remove_expired(key);
                    return None;
                }
                Ok(None) => {
                    self.shared.borrow_mut().index.remove(key);
                    return None;
                }
                Err(()) if self.fallback.is_none() => {
                    self.shared.borrow_mut().index.remove(key);
                    return None;
                }
                Err(()) => {}
            }
        }
        self.fallback.as_mut().and_then(|m| m.get(key, now))
    }

    fn set(&mut self, key: &str, data: &Dict, timeout: i64, now: i64) {
        if self.fallback.is_none() {
            let item = self.storage_key(key);
            let expires_at = expiry_for(timeout, now);
            let text = encode_entry(data, expires_at);
            let result = local_storage().and_then(|s| {
                s.set_item(&item, &text).map_err(|e| {
                    // A stale copy must not outlive the write that replaced it.
                    let _ = s.remove_item(&item);
                    StorageError::StoreRefused {
                        item: item.clone(),
                        js: js_error_text(&e),
                    }
                })
            });
            match result {
                Ok(()) => {
                    self.shared.borrow_mut().index.touch(key, expires_at);
                    return;
                }
                Err(e) => {
                    self.shared.borrow_mut().index.remove(key);
                    self.fall_back(e.to_string(), Some(now))
                }
            }
        }
        if let Some(m) = self.fallback.as_mut() {
            m.set(key, data, timeout, now);
        }
    }

    fn delete(&mut self, key: &str) {
        if let Some(m) = self.fallback.as_mut() {
            m.delete(key);
        }
        // Also in localStorage, where another tab may still look for it.
        if let Ok(s) = local_storage() {
            let _ = s.remove_item(&self.storage_key(key));
        }
        self.shared.borrow_mut().index.remove(key);
    }

    fn entries(&mut self, now: i64) -> Vec<StoreEntry> {
        if let Some(m) = self.fallback.as_mut() {
            return m.entries(now);
        }
        let found = self.scan();
        if let Some(m) = self.fallback.as_mut() {
            return m.entries(now);
        }
        let mut out = Vec::new();
        for entry in found {
            if entry.is_live(now) {
                out.push(entry);
            } else {
                self.remove_expired(&entry.key);
            }
        }
        out.sort_by(|a, b| a.key.cmp(&b.key));
        out
    }

    fn page(&mut self, now: i64, offset: usize, limit: usize) -> StorePage {
        if self.fallback.is_none() && self.shared.borrow().stale {
            self.scan();
        }
        if self.fallback.is_none() {
            self.prune(now);
        }
        if let Some(m) = self.fallback.as_mut() {
            return m.page(now, offset, limit);
        }
        // Only the entries on the page are read; one found missing, unreadable or expired
        // (changed behind the lab's back) leaves the index and the page is read again.
        loop {
            let keys: Vec<String> = self
                .shared
                .borrow()
                .index
                .newest(offset)
                .take(limit)
                .map(str::to_string)
                .collect();
            let mut entries = Vec::with_capacity(keys.len());
            let mut dropped = false;
            for key in keys {
                match self.read(&key, false) {
                    Ok(Some((expires_at, data))) if expires_at == 0 || expires_at >= now => {
                        entries.push(StoreEntry {
                            key,
                            data,
                            expires_at,
                        });
                    }
                    Ok(Some(_)) => {
                        self.remove_expired(&key);
                        dropped = true;
                    }
                    Ok(None) | Err(()) => {
                        self.shared.borrow_mut().index.remove(&key);
                        dropped = true;
                    }
                }
                if let Some(m) = self.fallback.as_mut() {
                    return m.page(now, offset, limit);
                }
            }
            if !dropped {
                return StorePage {
                    total: self.shared.borrow().index.len(),
                    offset,
                    entries,
                };
            }
        }
    }

    fn peek(&mut self, key: &str, now: i64) -> Option<Dict> {
        if let Some(m) = self.fallback.as_mut() {
            return m.peek(key, now);
        }
        match self.read(key, false) {
            Ok(Some((expires_at, data))) if expires_at == 0 || expires_at >= now => Some(data),
            _ => self.fallback.as_mut().and_then(|m| m.peek(key, now)),
        }
    }

    fn take_notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
    }
}

/// The item text for an entry: `{"expires_at":N,"data":<tagged JSON>}`.
pub fn encode_entry(data: &Dict, expires_at: i64) -> String {
    format!(
        "{{\"expires_at\":{expires_at},\"data\":{}}}",
        dumps_dict(data)
    )
}

/// Reads an item's text back: `(expires_at, data)`, or why it is not an entry.
pub fn decode_entry(text: &str) -> Result<(i64, Dict), String> {
    let fields = top_level_fields(text)?;
    let field = |name: &str| {
        fields
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| *v)
            .ok_or_else(|| format!("no \"{name}\" field"))
    };
    let expires_at = match tagged_json::loads(field("expires_at")?) {
        Ok(Value::Int(i)) => i.to_i64(),
        _ => None,
    }
    .ok_or_else(|| "\"expires_at\" is not a whole number of seconds".to_string())?;
    if expires_at < 0 {
        return Err("\"expires_at\" is negative".into());
    }
    let data = field("data")?;
    let data = if data.starts_with('"') {
        let text = match tagged_json::loads(data) {
            Ok(Value::Str(text)) => text,
            Ok(_) => return Err("\"data\" is not a valid JSON string".into()),
            Err(e) => return Err(format!("\"data\" is not a valid JSON string: {e}")),
        };
        loads_dict(&text)
    } else {
        loads_dict(data)
    }
    .map_err(|e| format!("\"data\" is not a session dict: {e}"))?;
    Ok((expires_at, data))
}

/// The fields of a top-level JSON object as (decoded name, raw value text), without
/// interpreting the values, so that `data` can go to the exact tagged-JSON reader.
fn top_level_fields(text: &str) -> Result<Vec<(String, &str)>, String> {
    let mut s = Scan {
        b: text.as_bytes(),
        i: 0,
    };
    let mut out = Vec::new();
    s.ws();
    if !s.eat(b'{') {
        return Err("not a JSON object".into());
    }
    s.ws();
    if !s.eat(b'}') {
        loop {
            s.ws();
            let start = s.i;
            if s.peek() != Some(b'"') {
                return Err(format!("expected a field name at byte {}", s.i));
            }
            s.string()?;
            let name = match tagged_json::loads(&text[start..s.i]) {
                Ok(Value::Str(name)) => name,
                _ => return Err(format!("bad field name at byte {start}")),
            };
            s.ws();
            if !s.eat(b':') {
                return Err(format!("expected ':' at byte {}", s.i));
            }
            s.ws();
            let start = s.i;
            s.value()?;
            out.push((name, &text[start..s.i]));
            s.ws();
            if s.eat(b',') {
                continue;
            }
            if s.eat(b'}') {
                break;
            }
            return Err(format!("expected ',' or '}}' at byte {}", s.i));
        }
    }
    s.ws();
    if s.i != s.b.len() {
        return Err(format!("extra text after the object at byte {}", s.i));
    }
    Ok(out)
}

/// A byte cursor that finds where JSON values end (their contents are checked elsewhere).
struct Scan<'a> {
    b: &'a [u8],
    i: usize,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        let hit = self.peek() == Some(c);
        if hit {
            self.i += 1;
        }
        hit
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.i += 1;
        }
    }

    /// At `"`: moves past the closing quote.
    fn string(&mut self) -> Result<(), String> {
        let start = self.i;
        self.i += 1;
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(());
                }
                Some(b'\\') => self.i += 2,
                Some(_) => self.i += 1,
                None => return Err(format!("unterminated string at byte {start}")),
            }
        }
    }

    /// Moves past one value: a string, a nested object or array, or a bare scalar.
    fn value(&mut self) -> Result<(), String> {
        match self.peek() {
            Some(b'"') => self.string(),
            Some(b'{' | b'[') => {
                let start = self.i;
                let mut open = Vec::new();
                loop {
                    match self.peek() {
                        Some(b'"') => {
                            self.string()?;
                            continue;
                        }
                        Some(c @ (b'{' | b'[')) => open.push(if c == b'{' { b'}' } else { b']' }),
                        Some(c @ (b'}' | b']')) => {
                            if open.pop() != Some(c) {
                                return Err(format!(
                                    "mismatched '{}' at byte {}",
                                    c as char, self.i
                                ));
                            }
                            if open.is_empty() {
                                self.i += 1;
                                return Ok(());
                            }
                        }
                        Some(_) => {}
                        None => return Err(format!("unterminated value at byte {start}")),
                    }
                    self.i += 1;
                }
            }
            Some(_) => {
                let start = self.i;
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n')
                ) {
                    self.i += 1;
                }
                if self.i == start {
                    Err(format!("expected a value at byte {start}"))
                } else {
                    Ok(())
                }
            }
            None => Err("the text ends where a value should be".into()),
        }
    }
}
