//! `localStorage`, where the lab keeps what must survive a reload or a browser restart.
//! Failures (storage disabled, quota exceeded) come back as errors for the caller to show;
//! they never panic. Entries are text: their readers parse them and say what is unreadable.

/// Why storage could not be used. `js` is a thrown JS value as [`js_error_text`] gives it;
/// `item` is a `localStorage` key.
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
