//! `localStorage`, where the lab keeps what must survive a reload or a browser restart.
//! Failures (storage disabled, quota exceeded, unreadable JSON) come back as errors for the
//! caller to show; they never panic.

use gloo_storage::{LocalStorage, Storage};

/// Why storage could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageError(pub String);

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The page's `localStorage`, or why there is none (disabled by policy, opaque origin...).
pub fn local_storage() -> Result<web_sys::Storage, StorageError> {
    storage()
}

/// A thrown JS value as text: a `DOMException`'s `name: message` (e.g. `QuotaExceededError:
/// Failed to execute 'setItem' on 'Storage': Setting the value of 'k' exceeded the quota.`).
pub fn js_error_text(e: &wasm_bindgen::JsValue) -> String {
    let field = |name: &str| {
        js_sys::Reflect::get(e, &name.into())
            .ok()
            .and_then(|v| v.as_string())
            .filter(|s| !s.is_empty())
    };
    match (field("name"), field("message")) {
        (Some(n), Some(m)) => format!("{n}: {m}"),
        (Some(t), None) | (None, Some(t)) => t,
        (None, None) => e.as_string().unwrap_or_else(|| format!("{e:?}")),
    }
}

fn storage() -> Result<web_sys::Storage, StorageError> {
    web_sys::window()
        .ok_or_else(|| StorageError("there is no window, so no localStorage".into()))?
        .local_storage()
        .ok()
        .flatten()
        .ok_or_else(|| StorageError("localStorage is disabled in this browser".into()))
}

/// Reads the raw text stored under `key` (None when absent).
pub fn get_raw(key: &str) -> Result<Option<String>, StorageError> {
    storage()?
        .get_item(key)
        .map_err(|_| StorageError("localStorage could not be read".into()))
}

/// Stores raw text under `key`.
pub fn set_raw(key: &str, value: &str) -> Result<(), StorageError> {
    storage()?.set_item(key, value).map_err(|e| {
        StorageError(format!(
            "localStorage is full or refused the write ({})",
            js_error_text(&e)
        ))
    })
}

/// Removes `key`.
pub fn remove(key: &str) -> Result<(), StorageError> {
    storage()?
        .remove_item(key)
        .map_err(|_| StorageError("localStorage refused to remove an entry".into()))
}

/// Stores a serde value as JSON.
pub fn set_json<T: serde::Serialize>(key: &str, value: &T) -> Result<(), StorageError> {
    storage()?; // gloo-storage panics where storage is missing; check first.
    LocalStorage::set(key, value).map_err(|e| StorageError(format!("localStorage refused: {e}")))
}

/// Reads a serde value stored as JSON: a missing key is `Ok(None)`, unreadable JSON an error
/// that names the key.
pub fn get_json<T: for<'de> serde::Deserialize<'de>>(key: &str) -> Result<Option<T>, StorageError> {
    storage()?;
    match LocalStorage::get(key) {
        Ok(v) => Ok(Some(v)),
        Err(gloo_storage::errors::StorageError::KeyNotFound(_)) => Ok(None),
        Err(e) => Err(StorageError(format!(
            "the entry {key:?} is not readable: {e}"
        ))),
    }
}
