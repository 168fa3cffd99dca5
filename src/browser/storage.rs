//! `localStorage`, where the lab keeps what must survive a reload or a browser restart.
//! Failures (storage disabled, quota exceeded, unreadable JSON) come back as errors for the
//! caller to show; they never panic.

use gloo_storage::{LocalStorage, Storage};

/// Why storage could not be used. `js` is a thrown JS value as [`js_error_text`] gives it;
/// `reason` is gloo-storage's error text; `item` and `key` are `localStorage` keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageError {
    /// No `window` (not a page: a worker, say).
    NoWindow,
    /// `window.localStorage` is missing or threw (disabled by policy, opaque origin...).
    Disabled,
    /// `getItem` threw; `js` is the error text where the caller kept it.
    ReadRefused { js: Option<String> },
    /// [`set_raw`]'s `setItem` threw (quota exceeded, say).
    WriteRefused { js: String },
    /// `setItem` of `item` (a whole `localStorage` key) threw.
    StoreRefused { item: String, js: String },
    /// `removeItem` threw.
    RemoveRefused,
    /// gloo-storage could not store a serde value.
    SetJsonRefused { reason: String },
    /// The entry under `key` is not JSON of the expected shape (gloo-storage's `reason`).
    EntryUnreadable { key: String, reason: String },
}

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StorageError::NoWindow => f.write_str("there is no window, so no localStorage"),
            StorageError::Disabled => f.write_str("localStorage is disabled in this browser"),
            StorageError::ReadRefused { js: None } => f.write_str("localStorage could not be read"),
            StorageError::ReadRefused { js: Some(js) } => {
                write!(f, "localStorage could not be read: {js}")
            }
            StorageError::WriteRefused { js } => {
                write!(f, "localStorage is full or refused the write ({js})")
            }
            StorageError::StoreRefused { item, js } => {
                write!(f, "localStorage refused to store {item:?} ({js})")
            }
            StorageError::RemoveRefused => f.write_str("localStorage refused to remove an entry"),
            StorageError::SetJsonRefused { reason } => write!(f, "localStorage refused: {reason}"),
            StorageError::EntryUnreadable { key, reason } => {
                write!(f, "the entry {key:?} is not readable: {reason}")
            }
        }
    }
}

impl std::error::Error for StorageError {}

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
        .ok_or(StorageError::NoWindow)?
        .local_storage()
        .ok()
        .flatten()
        .ok_or(StorageError::Disabled)
}

/// Reads the raw text stored under `key` (None when absent).
pub fn get_raw(key: &str) -> Result<Option<String>, StorageError> {
    storage()?
        .get_item(key)
        .map_err(|_| StorageError::ReadRefused { js: None })
}

/// Stores raw text under `key`.
pub fn set_raw(key: &str, value: &str) -> Result<(), StorageError> {
    storage()?
        .set_item(key, value)
        .map_err(|e| StorageError::WriteRefused {
            js: js_error_text(&e),
        })
}

/// Removes `key`.
pub fn remove(key: &str) -> Result<(), StorageError> {
    storage()?
        .remove_item(key)
        .map_err(|_| StorageError::RemoveRefused)
}

/// Stores a serde value as JSON.
pub fn set_json<T: serde::Serialize>(key: &str, value: &T) -> Result<(), StorageError> {
    storage()?; // gloo-storage panics where storage is missing; check first.
    LocalStorage::set(key, value).map_err(|e| StorageError::SetJsonRefused {
        reason: e.to_string(),
    })
}

/// Reads a serde value stored as JSON: a missing key is `Ok(None)`, unreadable JSON an error
/// that names the key.
pub fn get_json<T: for<'de> serde::Deserialize<'de>>(key: &str) -> Result<Option<T>, StorageError> {
    storage()?;
    match LocalStorage::get(key) {
        Ok(v) => Ok(Some(v)),
        Err(gloo_storage::errors::StorageError::KeyNotFound(_)) => Ok(None),
        Err(e) => Err(StorageError::EntryUnreadable {
            key: key.to_string(),
            reason: e.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::StorageError as E;
    use wasm_bindgen_test::wasm_bindgen_test;

    /// Each failure's text, as the `String` error this enum replaced wrote it: the literal, or
    /// the same `format!` on the same parts.
    #[wasm_bindgen_test]
    fn every_storage_error_keeps_its_text() {
        let js = "QuotaExceededError: Setting the value of 'k' exceeded the quota.";
        let item = "sl.store:session:abc";
        let reason = "expected value at line 1 column 2";
        for (error, old) in [
            (
                E::NoWindow,
                "there is no window, so no localStorage".to_string(),
            ),
            (
                E::Disabled,
                "localStorage is disabled in this browser".into(),
            ),
            (
                E::ReadRefused { js: None },
                "localStorage could not be read".into(),
            ),
            (
                E::ReadRefused {
                    js: Some(js.into()),
                },
                format!("localStorage could not be read: {}", js),
            ),
            (
                E::WriteRefused { js: js.into() },
                format!("localStorage is full or refused the write ({})", js),
            ),
            (
                E::StoreRefused {
                    item: item.into(),
                    js: js.into(),
                },
                format!("localStorage refused to store {item:?} ({})", js),
            ),
            (
                E::RemoveRefused,
                "localStorage refused to remove an entry".into(),
            ),
            (
                E::SetJsonRefused {
                    reason: reason.into(),
                },
                format!("localStorage refused: {reason}"),
            ),
            (
                E::EntryUnreadable {
                    key: "wb_json".into(),
                    reason: reason.into(),
                },
                format!("the entry {:?} is not readable: {reason}", "wb_json"),
            ),
        ] {
            assert_eq!(error.to_string(), old, "{error:?}");
        }
        assert_eq!(
            E::StoreRefused {
                item: item.into(),
                js: js.into()
            }
            .to_string(),
            "localStorage refused to store \"sl.store:session:abc\" (QuotaExceededError: Setting \
             the value of 'k' exceeded the quota.)"
        );
    }
}
