//! The browser adapters on the real thing: headless Chromium's `document.cookie`,
//! `localStorage` and Web Crypto, with faults injected for real (a full `localStorage`, an entry
//! edited by hand, a cookie changed behind the lab's back). Run by
//! `wasm-pack test --headless --chrome`. Every test removes what it wrote, even when it fails.
#![cfg(target_arch = "wasm32")]

use session_lab::browser::clock::system_now;
use session_lab::browser::cookies;
use session_lab::browser::jar::{ApplyReport, BrowserJar, HTTP_ONLY_NOTICE, META_PREFIX};
use session_lab::browser::rng::CryptoRng;
use session_lab::browser::storage;
use session_lab::browser::store::{decode_entry, encode_entry, Backend, LocalStorageStore};
use session_lab::client::jar::{Applied, SendDecision};
use session_lab::engine::apps::Services;
use session_lab::engine::flask::tagged_json::{dumps_dict, loads_dict};
use session_lab::engine::flask_session::store::SessionStore;
use session_lab::engine::py::secrets::{token_urlsafe, Rng};
use session_lab::engine::py::value::Dict;
use session_lab::engine::werkzeug::http_date::http_date;
use session_lab::engine::werkzeug::wrappers::Request;
use session_lab::lab::scenarios;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn ls() -> web_sys::Storage {
    storage::local_storage().unwrap()
}

/// Removes every `localStorage` item whose key starts with `prefix`.
fn ls_remove_prefixed(prefix: &str) {
    let s = ls();
    let keys: Vec<String> = (0..s.length().unwrap())
        .filter_map(|i| s.key(i).unwrap())
        .filter(|k| k.starts_with(prefix))
        .collect();
    for k in keys {
        s.remove_item(&k).unwrap();
    }
}

/// Cleans up `localStorage` items starting with a prefix when the test ends. (A failing test
/// aborts without running destructors on wasm32, but each `wasm-pack test` run starts with a
/// fresh browser profile, and the quota test cleans up before it asserts anything.)
struct LsCleanup(&'static str);

impl Drop for LsCleanup {
    fn drop(&mut self) {
        ls_remove_prefixed(self.0);
    }
}

fn dict(text: &str) -> Dict {
    loads_dict(text).unwrap()
}

fn john() -> Dict {
    dict(r#"{"_permanent":true,"username":"John"}"#)
}

// ---------------------------------------------------------------------------------------------
// LocalStorageStore

#[wasm_bindgen_test]
fn store_keeps_a_readable_exact_entry_per_session() {
    let _c = LsCleanup("sl.t.exact:");
    let mut s = LocalStorageStore::new("sl.t.exact");
    assert_eq!(s.backend(), Backend::LocalStorage);
    // Values JSON alone would not carry: a big int, a float repr, a tuple, bytes, a datetime.
    let d = dict(
        r#"{"big":123456789012345678901234567890,"f":1e+300,"t":{" t":[1,"a"]},"b":{" b":"aGk="},"when":{" d":"Tue, 14 Nov 2023 22:13:20 GMT"},"username":"John"}"#,
    );
    s.set("session:abc", &d, 1800, 1_700_000_000);
    let raw = ls().get_item("sl.t.exact:session:abc").unwrap().unwrap();
    assert_eq!(
        raw,
        format!(r#"{{"expires_at":1700001800,"data":{}}}"#, dumps_dict(&d))
    );
    assert!(raw.contains(r#""username":"John""#), "{raw}");
    assert_eq!(s.get("session:abc", 1_700_001_800), Some(d.clone()));
    let entries = s.entries(1_700_000_000);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].key, "session:abc");
    assert_eq!(entries[0].expires_at, 1_700_001_800);
    assert_eq!(entries[0].data, d);
    // Timeout 0 never expires.
    s.set("session:forever", &john(), 0, 1_700_000_000);
    assert_eq!(s.get("session:forever", i64::MAX), Some(john()));
    s.delete("session:abc");
    assert_eq!(ls().get_item("sl.t.exact:session:abc").unwrap(), None);
    assert_eq!(s.get("session:abc", 1_700_000_000), None);
    assert!(s.take_notices().is_empty());
    s.clear();
    assert!(s.entries(0).is_empty());
    assert_eq!(ls().get_item("sl.t.exact:session:forever").unwrap(), None);
}

#[wasm_bindgen_test]
fn store_entry_edited_by_hand_in_devtools_is_taken_as_written() {
    let _c = LsCleanup("sl.t.edit:");
    let mut s = LocalStorageStore::new("sl.t.edit");
    s.set("session:x", &john(), 60, 1000);
    let raw = ls().get_item("sl.t.edit:session:x").unwrap().unwrap();
    // Pretty-printed, with the name changed and the data given as a string of tagged JSON.
    let edited = "{\n  \"data\": \"{\\\"username\\\": \\\"Jane\\\"}\",\n  \"expires_at\": 1060\n}";
    ls().set_item("sl.t.edit:session:x", edited).unwrap();
    assert_eq!(
        s.get("session:x", 1000),
        Some(dict(r#"{"username":"Jane"}"#))
    );
    ls().set_item("sl.t.edit:session:x", &raw.replace("John", "Jim"))
        .unwrap();
    assert_eq!(
        s.get("session:x", 1000),
        Some(dict(r#"{"_permanent":true,"username":"Jim"}"#))
    );
    assert!(s.take_notices().is_empty());
}

#[wasm_bindgen_test]
fn store_corrupted_entry_reads_as_missing_with_a_notice_naming_it() {
    let _c = LsCleanup("sl.t.corrupt:");
    let mut s = LocalStorageStore::new("sl.t.corrupt");
    s.set("session:good", &john(), 60, 1000);
    s.set("session:bad", &john(), 60, 1000);
    for garbage in [
        "{not json",
        r#"{"expires_at":"soon","data":{}}"#,
        r#"{"expires_at":1060,"data":[1,2]}"#,
        r#"{"expires_at":1060}"#,
        r#"{"expires_at":1060,"data":{"a":1}} trailing"#,
        r#"{"expires_at":1060,"data":{"a":tru}}"#,
        "",
    ] {
        ls().set_item("sl.t.corrupt:session:bad", garbage).unwrap();
        assert_eq!(s.get("session:bad", 1000), None, "{garbage}");
        let notices = s.take_notices();
        assert_eq!(notices.len(), 1, "{garbage}: {notices:?}");
        assert!(
            notices[0].contains("\"sl.t.corrupt:session:bad\""),
            "{notices:?}"
        );
        assert!(decode_entry(garbage).is_err());
    }
    // The broken entry is left for the learner to see, the store keeps working.
    assert!(ls().get_item("sl.t.corrupt:session:bad").unwrap().is_some());
    assert_eq!(s.backend(), Backend::LocalStorage);
    assert_eq!(s.get("session:good", 1000), Some(john()));
    // The store panel lists only readable sessions, and reports a broken one once (this text
    // of it was not seen yet).
    ls().set_item("sl.t.corrupt:session:bad", "{still broken")
        .unwrap();
    let keys: Vec<String> = s.entries(1000).into_iter().map(|e| e.key).collect();
    assert_eq!(keys, ["session:good"]);
    assert_eq!(s.take_notices().len(), 1);
    s.entries(1000);
    assert!(s.take_notices().is_empty());
}

#[wasm_bindgen_test]
fn store_expired_entry_reads_as_missing_and_is_pruned() {
    let _c = LsCleanup("sl.t.expiry:");
    let mut s = LocalStorageStore::new("sl.t.expiry");
    s.set("session:old", &john(), 300, 1000);
    s.set("session:older", &john(), 100, 1000);
    // cachelib: still valid at the very second it expires.
    assert_eq!(s.get("session:old", 1300), Some(john()));
    assert_eq!(s.get("session:old", 1301), None);
    assert_eq!(ls().get_item("sl.t.expiry:session:old").unwrap(), None);
    // An expiry set by hand in the past, then the panel prunes it.
    ls().set_item("sl.t.expiry:session:older", &encode_entry(&john(), 999))
        .unwrap();
    assert!(s.entries(1000).is_empty());
    assert_eq!(ls().get_item("sl.t.expiry:session:older").unwrap(), None);
    assert!(s.take_notices().is_empty());
}

#[wasm_bindgen_test]
fn two_tabs_share_the_store() {
    let _c = LsCleanup("sl.t.tabs:");
    // Two tabs of one origin share localStorage: two stores on one namespace.
    let mut tab1 = LocalStorageStore::new("sl.t.tabs");
    let mut tab2 = LocalStorageStore::new("sl.t.tabs");
    let mut other = LocalStorageStore::new("sl.t.tabs.other");
    tab1.set("session:shared", &john(), 60, 1000);
    assert_eq!(tab2.get("session:shared", 1000), Some(john()));
    assert_eq!(other.get("session:shared", 1000), None);
    tab2.set("session:shared", &dict(r#"{"username":"Ada"}"#), 60, 1000);
    assert_eq!(
        tab1.get("session:shared", 1000),
        Some(dict(r#"{"username":"Ada"}"#))
    );
    assert_eq!(tab1.entries(1000).len(), 1);
    tab1.delete("session:shared");
    assert_eq!(tab2.get("session:shared", 1000), None);
    // "Reload": a brand-new store finds what an earlier one wrote.
    tab1.set("session:reload", &john(), 0, 1000);
    drop(tab1);
    assert_eq!(
        LocalStorageStore::new("sl.t.tabs").get("session:reload", 5000),
        Some(john())
    );
}

/// The keys of a store page, in its order.
fn page_keys(s: &mut LocalStorageStore, now: i64, offset: usize, limit: usize) -> Vec<String> {
    s.page(now, offset, limit)
        .entries
        .into_iter()
        .map(|e| e.key)
        .collect()
}

#[wasm_bindgen_test]
fn store_pages_read_only_the_page_newest_first() {
    let _c = LsCleanup("sl.t.page:");
    // What an earlier page left: a new store finds it with one scan, the entry expiring last
    // as the newest.
    ls().set_item("sl.t.page:session:left1", &encode_entry(&john(), 1500))
        .unwrap();
    ls().set_item("sl.t.page:session:left2", &encode_entry(&john(), 1600))
        .unwrap();
    let mut s = LocalStorageStore::new("sl.t.page");
    let mut tab2 = LocalStorageStore::new("sl.t.page");
    for i in 0..5 {
        s.set(&format!("session:{i}"), &john(), 600, 1000 + i);
    }
    let page = s.page(1000, 0, 3);
    assert_eq!(page.total, 7);
    assert_eq!(page.offset, 0);
    assert_eq!(
        page.entries
            .iter()
            .map(|e| e.key.as_str())
            .collect::<Vec<_>>(),
        ["session:4", "session:3", "session:2"]
    );
    assert_eq!(
        page_keys(&mut s, 1000, 5, 3),
        ["session:left2", "session:left1"]
    );
    // Another store on the namespace in this page shares the index: its write is the newest.
    tab2.set("session:1", &dict(r#"{"username":"Ada"}"#), 600, 1010);
    let page = s.page(1010, 0, 1);
    assert_eq!(page.entries[0].key, "session:1");
    assert_eq!(page.entries[0].data, dict(r#"{"username":"Ada"}"#));
    // Another tab's write arrives as a `storage` event.
    ls().set_item("sl.t.page:session:other", &encode_entry(&john(), 1700))
        .unwrap();
    storage_event(
        "sl.t.page:session:other",
        Some(&encode_entry(&john(), 1700)),
    );
    assert_eq!(page_keys(&mut s, 1010, 0, 1), ["session:other"]);
    // An entry broken by hand leaves the page, with a notice; the page fills up again.
    ls().set_item("sl.t.page:session:1", "{broken").unwrap();
    assert_eq!(
        page_keys(&mut s, 1010, 0, 3),
        ["session:other", "session:4", "session:3"]
    );
    let notices = s.take_notices();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(
        notices[0].contains("\"sl.t.page:session:1\""),
        "{notices:?}"
    );
    assert!(ls().get_item("sl.t.page:session:1").unwrap().is_some());
    assert_eq!(s.page(1010, 0, 10).total, 7);
    // Expired entries are pruned from the page and from localStorage: left1 at 1501.
    assert_eq!(s.page(1501, 0, 10).total, 6);
    assert_eq!(ls().get_item("sl.t.page:session:left1").unwrap(), None);
    // Another tab clearing localStorage: the next page scans again.
    ls_remove_prefixed("sl.t.page:");
    storage_event_clear();
    assert_eq!(s.page(1501, 0, 10).total, 0);
}

/// Dispatches the `storage` event another tab's write of `item` would fire here.
fn storage_event(item: &str, new_value: Option<&str>) {
    let init = js_sys::Object::new();
    let set = |k: &str, v: JsValue| js_sys::Reflect::set(&init, &k.into(), &v).unwrap();
    set("key", item.into());
    set("newValue", new_value.map_or(JsValue::NULL, JsValue::from));
    set("storageArea", ls().into());
    dispatch_storage_event(init);
}

/// The `storage` event of another tab's `localStorage.clear()`.
fn storage_event_clear() {
    let init = js_sys::Object::new();
    js_sys::Reflect::set(&init, &"storageArea".into(), &ls().into()).unwrap();
    dispatch_storage_event(init);
}

fn dispatch_storage_event(init: js_sys::Object) {
    let window = web_sys::window().unwrap();
    let class: js_sys::Function = js_sys::Reflect::get(&window, &"StorageEvent".into())
        .unwrap()
        .unchecked_into();
    let args = js_sys::Array::of2(&"storage".into(), &init);
    let event: web_sys::Event = js_sys::Reflect::construct(&class, &args)
        .unwrap()
        .unchecked_into();
    window.dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
fn full_local_storage_falls_back_to_memory_and_says_so() {
    let _c = LsCleanup("sl.t.quota");
    let mut s = LocalStorageStore::new("sl.t.quota");
    s.set("session:before", &john(), 600, 1000);
    // Fill localStorage for real: ever smaller chunks until not even one character fits.
    let filler = "x".repeat(1 << 20);
    let mut chunk = filler.len();
    let mut n = 0;
    let mut errors = Vec::new();
    while chunk >= 1 {
        let key = format!("sl.t.quota.fill.{n}");
        match ls().set_item(&key, &filler[..chunk]) {
            Ok(()) => n += 1,
            Err(e) => {
                errors.push(storage::js_error_text(&e));
                chunk /= 2;
            }
        }
    }
    let total: usize = (0..ls().length().unwrap())
        .filter_map(|i| ls().key(i).unwrap())
        .map(|k| {
            k.encode_utf16().count() + ls().get_item(&k).unwrap().unwrap().encode_utf16().count()
        })
        .sum();

    s.set("session:after", &john(), 600, 1000);
    let notices = s.take_notices();
    let backend = s.backend();
    let after = s.get("session:after", 1000);
    let before = s.get("session:before", 1000);
    let after_in_ls = ls().get_item("sl.t.quota:session:after").unwrap();
    // Free the space before asserting anything, so a failure here cannot starve other tests.
    ls_remove_prefixed("sl.t.quota.fill.");

    console_log!(
        "localStorage was full at {total} UTF-16 units (keys + values): {:?}",
        errors.first()
    );
    assert!(total > 1_000_000, "{total}");
    assert!(
        errors.iter().all(|e| e.starts_with("QuotaExceededError")),
        "{errors:?}"
    );
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].contains("QuotaExceededError"), "{notices:?}");
    assert!(
        notices[0].contains("\"sl.t.quota:session:after\""),
        "{notices:?}"
    );
    assert!(notices[0].contains("memory only"), "{notices:?}");
    assert!(matches!(backend, Backend::Memory(_)));
    // The session that could not be written lives in memory, and the earlier one was kept.
    assert_eq!(after, Some(john()));
    assert_eq!(before, Some(john()));
    assert_eq!(after_in_ls, None, "no stale copy left behind");
    assert_eq!(s.entries(1000).len(), 2);
    // Memory keeps expiry rules.
    assert_eq!(s.get("session:after", 1601), None);
    // It stays in memory (now that there is room again, too), and says nothing new...
    s.set("session:more", &john(), 600, 1000);
    assert!(s.take_notices().is_empty());
    assert!(s.is_memory_fallback());
    assert_eq!(ls().get_item("sl.t.quota:session:more").unwrap(), None);
    // ... until asked to try localStorage again: then the sessions move back.
    assert!(s.retry_local_storage(1000));
    assert_eq!(s.backend(), Backend::LocalStorage);
    assert!(s.take_notices()[0].contains("localStorage works again"));
    let raw = ls().get_item("sl.t.quota:session:more").unwrap().unwrap();
    assert_eq!(decode_entry(&raw).unwrap(), (1600, john()));
    // ("session:after" expired in memory at 1601 above.)
    let keys: Vec<String> = LocalStorageStore::new("sl.t.quota")
        .entries(1000)
        .into_iter()
        .map(|e| e.key)
        .collect();
    assert_eq!(keys, ["session:before", "session:more"]);
}

// ---------------------------------------------------------------------------------------------
// CryptoRng

#[wasm_bindgen_test]
fn crypto_rng_makes_flask_session_ids() {
    assert!(CryptoRng::available());
    let a = token_urlsafe(&mut CryptoRng, 32);
    let b = token_urlsafe(&mut CryptoRng, 32);
    for id in [&a, &b] {
        assert_eq!(id.len(), 43, "{id}");
        assert!(id
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
    }
    assert_ne!(a, b);
    // More than getRandomValues takes in one call (65,536 bytes).
    let mut big = vec![0u8; 200_000];
    CryptoRng.fill(&mut big);
    assert!(big[150_000..].iter().any(|&x| x != 0));
}

#[wasm_bindgen_test]
fn crypto_rng_without_web_crypto_falls_back_and_says_so() {
    let global = js_sys::global();
    let key = JsValue::from_str("crypto");
    let saved = js_sys::Reflect::get_own_property_descriptor(&global, &key).unwrap();
    // Take Web Crypto away from the page for a moment, as a sandbox without it would.
    let hidden = js_sys::Object::new();
    js_sys::Reflect::set(&hidden, &"value".into(), &JsValue::UNDEFINED).unwrap();
    js_sys::Reflect::set(&hidden, &"configurable".into(), &JsValue::TRUE).unwrap();
    js_sys::Object::define_property(&global, &key, &hidden);
    let available = CryptoRng::available();
    let id = token_urlsafe(&mut CryptoRng, 32);
    let restore = if saved.is_undefined() {
        js_sys::Reflect::delete_property(&global, &key).map(|_| ())
    } else {
        js_sys::Object::define_property(&global, &key, &saved.into());
        Ok(())
    };
    restore.unwrap();
    assert!(!available);
    assert!(CryptoRng::available());
    assert_eq!(id.len(), 43);
    assert!(CryptoRng::fell_back());
    assert!(CryptoRng::notice().unwrap().contains("not secret-grade"));
}

// ---------------------------------------------------------------------------------------------
// What Chromium's document.cookie does, as the adapters rely on it

fn doc_cookie() -> String {
    use wasm_bindgen::JsCast;
    web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .unchecked_into::<web_sys::HtmlDocument>()
        .cookie()
        .unwrap()
}

/// The real cookie's value as page script sees it.
fn real(name: &str) -> Option<String> {
    cookies::read_all_raw()
        .unwrap()
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
}

/// Deletes every real cookie whose name starts with `prefix`, and the jar metadata of those,
/// when dropped.
struct CookieCleanup(&'static str);

impl Drop for CookieCleanup {
    fn drop(&mut self) {
        for (name, _) in cookies::read_all_raw().unwrap() {
            if name.starts_with(self.0) {
                for extra in ["", "; Secure; Partitioned"] {
                    cookies::write_raw_line(&format!("{name}=; Path=/; Max-Age=0{extra}")).unwrap();
                }
            }
        }
        ls_remove_prefixed(&format!("{META_PREFIX}{}", self.0));
    }
}

#[wasm_bindgen_test]
fn chromium_document_cookie_rules_the_adapters_rely_on() {
    let _c = CookieCleanup("sl.t-rules.");
    let set = |line: &str| cookies::write_raw_line(line).unwrap();
    // The test page is http://127.0.0.1:<port>/, which Chromium counts as a secure context.
    assert!(cookies::is_secure_context());
    set("sl.t-rules.a=1; Path=/");
    assert_eq!(real("sl.t-rules.a").as_deref(), Some("1"));
    // A Path under which the page is not: stored, but invisible to this page's script.
    set("sl.t-rules.p=1; Path=/lab/seed-004");
    assert_eq!(real("sl.t-rules.p"), None);
    // HttpOnly from script: the whole write is ignored, not just the flag.
    set("sl.t-rules.h=1; Path=/; HttpOnly");
    assert_eq!(real("sl.t-rules.h"), None);
    // SameSite=None needs Secure; Secure is fine on a loopback http page.
    set("sl.t-rules.n=1; Path=/; SameSite=None");
    assert_eq!(real("sl.t-rules.n"), None);
    set("sl.t-rules.n=2; Path=/; SameSite=None; Secure");
    assert_eq!(real("sl.t-rules.n").as_deref(), Some("2"));
    set("sl.t-rules.part=1; Path=/; Secure; Partitioned");
    assert_eq!(real("sl.t-rules.part").as_deref(), Some("1"));
    // A Domain that is not this host is refused.
    set("sl.t-rules.d=1; Path=/; Domain=example.com");
    assert_eq!(real("sl.t-rules.d"), None);
    // Names may hold '@', '/', ':' and '%'; values keep their quotes; ends are trimmed.
    set("sl.t-rules.x@/admin%3A=\"a b\" ; Path=/");
    assert_eq!(real("sl.t-rules.x@/admin%3A").as_deref(), Some("\"a b\""));
    // Name plus value: 4096 bytes are kept, 4097 are not.
    let name = "sl.t-rules.big";
    set(&format!("{name}={}; Path=/", "v".repeat(4096 - name.len())));
    assert!(real(name).is_some());
    set(&format!("{name}={}; Path=/", "w".repeat(4097 - name.len())));
    assert!(real(name).unwrap().starts_with('v'), "the old one stays");
    // Deletion: Max-Age=0, a negative Max-Age, or an Expires in the past. A Secure cookie can
    // be deleted without repeating Secure; a Partitioned one only by a Partitioned deletion.
    set("sl.t-rules.a=; Path=/; Max-Age=0");
    set("sl.t-rules.n=; Path=/; Max-Age=-1");
    set("sl.t-rules.big=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
    set("sl.t-rules.part=; Path=/; Max-Age=0");
    assert_eq!(real("sl.t-rules.a"), None);
    assert_eq!(real("sl.t-rules.n"), None);
    assert_eq!(real("sl.t-rules.big"), None);
    assert_eq!(real("sl.t-rules.part").as_deref(), Some("1"));
    set("sl.t-rules.part=; Path=/; Max-Age=0; Secure; Partitioned");
    assert_eq!(real("sl.t-rules.part"), None);
    set("sl.t-rules.x@/admin%3A=; Path=/; Max-Age=0");
    set("sl.t-rules.p=; Path=/lab/seed-004; Max-Age=0");
    assert!(!doc_cookie().contains("sl.t-rules."), "{}", doc_cookie());
}

// ---------------------------------------------------------------------------------------------
// BrowserJar on the real document.cookie

const HOUR: i64 = 3600;

fn set_cookie_at(jar: &mut BrowserJar, line: &str, path: &str, now: i64) -> ApplyReport {
    let r = jar.apply(line, path, now);
    assert!(
        r.applied.is_stored() || matches!(r.applied, Applied::Deleted { .. }),
        "{r:?}"
    );
    r
}

#[wasm_bindgen_test]
fn jar_mirrors_cookies_into_document_cookie() {
    let _c = CookieCleanup("sl.t-mirror.");
    let now = system_now();
    let mut jar = BrowserJar::new("/t-mirror/");
    assert_eq!(jar.scope(), "t-mirror");
    let expires = http_date(now + HOUR);
    let r = set_cookie_at(
        &mut jar,
        &format!("session=abc.def; Expires={expires}; HttpOnly; Path=/; SameSite=Lax"),
        "/login",
        now,
    );
    assert_eq!(r.real_name.as_deref(), Some("sl.t-mirror.session"));
    assert_eq!(r.notices, [HTTP_ONLY_NOTICE]);
    assert_eq!(real("sl.t-mirror.session").as_deref(), Some("abc.def"));
    assert_eq!(
        jar.cookie_header("/anything", now).as_deref(),
        Some("session=abc.def")
    );
    // The model keeps what document.cookie cannot show.
    let views = jar.cookies(now);
    assert_eq!(views.len(), 1);
    let v = &views[0];
    assert!(v.in_document_cookie);
    assert_eq!(v.real_name, "sl.t-mirror.session");
    assert_eq!(v.cookie.expires, Some(now + HOUR));
    assert!(v.cookie.http_only);
    assert_eq!(v.limits, [HTTP_ONLY_NOTICE]);
    // ... and also in localStorage, for other tabs and after a reload.
    assert!(ls()
        .get_item(&format!("{META_PREFIX}sl.t-mirror.session"))
        .unwrap()
        .unwrap()
        .contains(&format!("\"expires\":{}", now + HOUR)));
    // A second, non-HttpOnly session cookie: no notice. Header order: creation.
    let r = set_cookie_at(&mut jar, "theme=dark", "/", now + 1);
    assert!(r.notices.is_empty());
    assert_eq!(real("sl.t-mirror.theme").as_deref(), Some("dark"));
    assert_eq!(
        jar.cookie_header("/", now + 1).as_deref(),
        Some("session=abc.def; theme=dark")
    );
    // Replacing a value rewrites the copy.
    set_cookie_at(&mut jar, "theme=light; Path=/", "/", now + 2);
    assert_eq!(real("sl.t-mirror.theme").as_deref(), Some("light"));
    assert!(jar.take_notices().is_empty());
    // A rejected cookie leaves both alone.
    let r = jar.apply("x=1; SameSite=None", "/", now);
    assert!(matches!(r.applied, Applied::Rejected { .. }));
    assert_eq!(r.real_name, None);
    jar.clear();
    assert_eq!(jar.cookie_header("/", now), None);
    assert!(!doc_cookie().contains("sl.t-mirror."), "{}", doc_cookie());
}

#[wasm_bindgen_test]
fn jar_deletes_by_max_age_zero_past_expires_and_werkzeug_deletion() {
    let _c = CookieCleanup("sl.t-expire.");
    let now = system_now();
    let mut jar = BrowserJar::new("t-expire");
    for name in ["a", "b", "session"] {
        set_cookie_at(
            &mut jar,
            &format!("{name}=1; Max-Age=600; Path=/"),
            "/",
            now,
        );
        assert!(real(&format!("sl.t-expire.{name}")).is_some());
    }
    set_cookie_at(&mut jar, "a=; Max-Age=0; Path=/", "/", now);
    set_cookie_at(
        &mut jar,
        "b=x; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Path=/",
        "/",
        now,
    );
    // Werkzeug's delete_cookie, as Flask sends it on logout.
    let r = set_cookie_at(
        &mut jar,
        "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/",
        "/logout",
        now,
    );
    assert!(
        matches!(r.applied, Applied::Deleted { removed: true, .. }),
        "{r:?}"
    );
    assert_eq!(r.real_name.as_deref(), Some("sl.t-expire.session"));
    for name in ["a", "b", "session"] {
        assert_eq!(real(&format!("sl.t-expire.{name}")), None);
        assert_eq!(
            ls().get_item(&format!("{META_PREFIX}sl.t-expire.{name}"))
                .unwrap(),
            None
        );
    }
    assert_eq!(jar.cookie_header("/", now), None);
    assert!(jar.cookies(now).is_empty());
    assert!(jar.take_notices().is_empty());
}

#[wasm_bindgen_test]
fn jar_expiry_follows_the_lab_clock() {
    let _c = CookieCleanup("sl.t-clock.");
    let now = system_now();
    let mut jar = BrowserJar::new("t-clock");
    set_cookie_at(&mut jar, "short=1; Max-Age=60; Path=/", "/", now);
    set_cookie_at(&mut jar, "long=1; Max-Age=7200; Path=/", "/", now);
    // The lab jumps 30 minutes ahead: the real copy's Expires is rewritten to match.
    assert_eq!(
        jar.cookie_header("/", now + 1800).as_deref(),
        Some("long=1")
    );
    assert_eq!(
        real("sl.t-clock.short"),
        None,
        "expired on the lab clock, gone for real"
    );
    assert_eq!(real("sl.t-clock.long").as_deref(), Some("1"));
    let explained = jar.explain("/", now + 1800);
    assert!(explained
        .iter()
        .any(|(c, d)| c.name == "short" && matches!(d, SendDecision::Expired { .. })));
    // Back to real time: the short one is live again on the lab clock, and comes back.
    assert_eq!(
        jar.cookie_header("/", now).as_deref(),
        Some("short=1; long=1")
    );
    assert_eq!(real("sl.t-clock.short").as_deref(), Some("1"));
    assert!(
        jar.take_notices().is_empty(),
        "nothing happened behind the lab's back"
    );
}

#[wasm_bindgen_test]
fn jar_restart_drops_only_session_cookies() {
    let _c = CookieCleanup("sl.t-restart.");
    let now = system_now();
    let mut jar = BrowserJar::new("t-restart");
    set_cookie_at(&mut jar, "temp=1; Path=/", "/", now);
    set_cookie_at(&mut jar, "kept=1; Max-Age=3600; Path=/", "/", now);
    set_cookie_at(&mut jar, "scoped=1; Path=/admin", "/admin", now);
    assert_eq!(jar.cookies(now).len(), 3);
    jar.restart_browser();
    assert_eq!(real("sl.t-restart.temp"), None);
    assert_eq!(real("sl.t-restart.scoped@/admin"), None);
    assert_eq!(real("sl.t-restart.kept").as_deref(), Some("1"));
    assert_eq!(jar.cookie_header("/admin", now).as_deref(), Some("kept=1"));
    assert!(jar.take_notices().is_empty());
}

#[wasm_bindgen_test]
fn jar_takes_over_a_value_changed_in_document_cookie() {
    let _c = CookieCleanup("sl.t-edit.");
    let now = system_now();
    let mut jar = BrowserJar::new("t-edit");
    set_cookie_at(
        &mut jar,
        "session=original; Max-Age=600; HttpOnly; Path=/",
        "/",
        now,
    );
    // What a learner does in DevTools (or the console): change the value.
    cookies::write_raw_line("sl.t-edit.session=forged; Path=/").unwrap();
    assert_eq!(
        jar.cookie_header("/", now).as_deref(),
        Some("session=forged")
    );
    let notices = jar.take_notices();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(
        notices[0].contains("changed outside the lab"),
        "{notices:?}"
    );
    assert!(notices[0].contains("\"forged\""), "{notices:?}");
    // The model kept its expiry and flags (and wrote the copy's Expires back).
    let c = &jar.cookies(now)[0].cookie;
    assert_eq!(
        (c.value.as_str(), c.expires, c.http_only),
        ("forged", Some(now + 600), true)
    );
    assert!(jar.take_notices().is_empty(), "reported once");
}

#[wasm_bindgen_test]
fn jar_drops_a_cookie_deleted_in_document_cookie() {
    let _c = CookieCleanup("sl.t-gone.");
    let now = system_now();
    let mut jar = BrowserJar::new("t-gone");
    set_cookie_at(&mut jar, "session=abc; Max-Age=600; Path=/", "/", now);
    set_cookie_at(&mut jar, "other=1; Path=/", "/", now);
    cookies::write_raw_line("sl.t-gone.session=; Path=/; Max-Age=0").unwrap();
    assert_eq!(jar.cookie_header("/", now).as_deref(), Some("other=1"));
    let notices = jar.take_notices();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(
        notices[0].contains("deleted outside the lab"),
        "{notices:?}"
    );
    assert!(notices[0].contains("sl.t-gone.session"), "{notices:?}");
    assert_eq!(jar.cookies(now).len(), 1);
    assert_eq!(
        ls().get_item(&format!("{META_PREFIX}sl.t-gone.session"))
            .unwrap(),
        None
    );
}

#[wasm_bindgen_test]
fn jar_sends_path_scoped_cookies_only_to_matching_paths() {
    let _c = CookieCleanup("sl.t-path.");
    let now = system_now();
    let mut jar = BrowserJar::new("t-path");
    let r = set_cookie_at(&mut jar, "admin=1; Path=/admin", "/admin/login", now);
    assert_eq!(r.real_name.as_deref(), Some("sl.t-path.admin@/admin"));
    // Default path: the request path up to its last '/'.
    let r = set_cookie_at(&mut jar, "deep=2", "/a/b/c", now);
    assert_eq!(r.real_name.as_deref(), Some("sl.t-path.deep@/a/b"));
    set_cookie_at(&mut jar, "root=3; Path=/", "/", now);
    // Same name, another path: a different cookie with its own copy.
    set_cookie_at(&mut jar, "root=4; Path=/admin", "/", now);
    // Every copy lives at Path=/, so this page (at /) sees them all.
    assert_eq!(real("sl.t-path.admin@/admin").as_deref(), Some("1"));
    assert_eq!(real("sl.t-path.deep@/a/b").as_deref(), Some("2"));
    assert_eq!(real("sl.t-path.root").as_deref(), Some("3"));
    assert_eq!(real("sl.t-path.root@/admin").as_deref(), Some("4"));
    assert_eq!(jar.cookie_header("/", now).as_deref(), Some("root=3"));
    assert_eq!(
        jar.cookie_header("/administrator", now).as_deref(),
        Some("root=3")
    );
    assert_eq!(
        jar.cookie_header("/admin/users?x=1", now).as_deref(),
        Some("admin=1; root=4; root=3")
    );
    assert_eq!(
        jar.cookie_header("/a/b/c", now).as_deref(),
        Some("deep=2; root=3")
    );
    let why: Vec<String> = jar
        .explain("/", now)
        .into_iter()
        .filter(|(_, d)| !matches!(d, SendDecision::Sent))
        .map(|(c, d)| format!("{}: {d}", c.name))
        .collect();
    assert_eq!(why.len(), 3, "{why:?}");
    assert!(why[0].contains("does not match"), "{why:?}");
    // Editing a path-scoped copy is picked up like any other.
    cookies::write_raw_line("sl.t-path.admin@/admin=2; Path=/").unwrap();
    assert_eq!(
        jar.cookie_header("/admin", now).as_deref(),
        Some("admin=2; root=4; root=3")
    );
}

#[wasm_bindgen_test]
fn jar_adopts_cookies_from_another_tab_and_from_devtools() {
    let _c = CookieCleanup("sl.t-adopt.");
    let now = system_now();
    let mut tab1 = BrowserJar::new("t-adopt");
    set_cookie_at(
        &mut tab1,
        "session=s1; Max-Age=600; HttpOnly; Path=/",
        "/",
        now,
    );
    set_cookie_at(&mut tab1, "pref=p; Path=/prefs", "/prefs", now);
    // A second tab (or the lab after a reload) finds them with their expiry and flags.
    let mut tab2 = BrowserJar::new("t-adopt");
    assert_eq!(
        tab2.cookie_header("/prefs", now).as_deref(),
        Some("pref=p; session=s1")
    );
    assert!(tab2.take_notices().is_empty(), "restored quietly");
    let views = tab2.cookies(now);
    let s = views.iter().find(|v| v.cookie.name == "session").unwrap();
    assert_eq!(
        (s.cookie.expires, s.cookie.http_only),
        (Some(now + 600), true)
    );
    // A cookie added by hand in DevTools: taken in as a session cookie, and said so.
    cookies::write_raw_line("sl.t-adopt.hand%40made@/x=42; Path=/").unwrap();
    assert_eq!(
        tab1.cookie_header("/x", now).as_deref(),
        Some("hand@made=42; session=s1")
    );
    let notices = tab1.take_notices();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(
        notices[0].contains("without the lab setting it"),
        "{notices:?}"
    );
    let hand = tab1
        .cookies(now)
        .into_iter()
        .find(|v| v.cookie.name == "hand@made")
        .unwrap();
    assert_eq!(
        (hand.cookie.path.as_str(), hand.cookie.expires),
        ("/x", None)
    );
    // Another scope's cookies are not this jar's business.
    let mut other = BrowserJar::new("t-adopt-other");
    assert_eq!(other.cookie_header("/", now), None);
}

#[wasm_bindgen_test]
fn jar_says_when_the_browser_refuses_a_copy() {
    let _c = CookieCleanup("sl.t-big.");
    let now = system_now();
    let mut jar = BrowserJar::new("t-big");
    // 4093 bytes of name and value: a browser keeps it for the server, but the lab's copy is
    // named sl.t-big.big and goes over 4096.
    let value = "v".repeat(4090);
    let r = set_cookie_at(&mut jar, &format!("big={value}; Path=/"), "/", now);
    assert_eq!(r.notices.len(), 1, "{r:?}");
    assert!(
        r.notices[0].contains("exists only in the lab's model"),
        "{r:?}"
    );
    assert!(r.notices[0].contains("over the browser's 4096"), "{r:?}");
    assert_eq!(real("sl.t-big.big"), None);
    // The model still sends it, and it is not taken for deleted.
    assert_eq!(jar.cookie_header("/", now), Some(format!("big={value}")));
    assert!(jar.take_notices().is_empty());
    let v = &jar.cookies(now)[0];
    assert!(!v.in_document_cookie);
    assert_eq!(v.limits.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// A server-side app end to end in the browser

#[wasm_bindgen_test]
fn seed_002_runs_on_local_storage_crypto_and_the_real_cookie_jar() {
    let _c = CookieCleanup("sl.lab-e2e-seed-002.");
    let _s = LsCleanup("sl.t.e2e:");
    let store = LocalStorageStore::new("sl.t.e2e");
    let app = scenarios::by_id("seed-002")
        .unwrap()
        .build(Services {
            store: Box::new(store),
            rng: Box::new(CryptoRng),
        })
        .unwrap();
    let mut jar = BrowserJar::new("/lab/e2e-seed-002");
    let now = system_now();

    let req = jar.attach(Request::get("/"), now);
    assert_eq!(req.header("Cookie"), None);
    let resp = app.handle(&req, now);
    assert_eq!(resp.status, 200);
    assert_eq!(resp.body, "Pythongeeks Session data stored!");
    let reports = jar.apply_response(&resp, "/", now);
    assert_eq!(reports.len(), 1, "{reports:?}");
    let Applied::Stored { cookie, .. } = &reports[0].applied else {
        panic!("{reports:?}")
    };
    // Flask-Session: a 43-character id, permanent for 30 minutes, HttpOnly.
    assert_eq!(cookie.name, "session");
    assert_eq!(cookie.value.len(), 43);
    assert_eq!(cookie.expires, Some(now + 1800));
    assert!(cookie.http_only);
    assert_eq!(reports[0].notices, [HTTP_ONLY_NOTICE]);
    let sid = cookie.value.clone();
    assert_eq!(real("sl.lab-e2e-seed-002.session"), Some(sid.clone()));

    // The session data sits in localStorage, readable.
    let raw = ls()
        .get_item(&format!("sl.t.e2e:session:{sid}"))
        .unwrap()
        .expect("the session entry");
    assert_eq!(
        decode_entry(&raw).unwrap(),
        (now + 1800, dict(r#"{"_permanent":true,"username":"John"}"#))
    );

    let req = jar.attach(Request::get("/profile"), now + 60);
    assert_eq!(
        req.header("Cookie"),
        Some(format!("session={sid}").as_str())
    );
    let resp = app.handle(&req, now + 60);
    assert_eq!(resp.body, "Welcome, John!");
    // SESSION_REFRESH_EACH_REQUEST: the same id comes back with a later expiry.
    let reports = jar.apply_response(&resp, "/profile", now + 60);
    let Applied::Stored { cookie, .. } = &reports[0].applied else {
        panic!("{reports:?}")
    };
    assert_eq!(
        (&cookie.value, cookie.expires),
        (&sid, Some(now + 60 + 1800))
    );
    let raw = ls()
        .get_item(&format!("sl.t.e2e:session:{sid}"))
        .unwrap()
        .unwrap();
    assert_eq!(decode_entry(&raw).unwrap().0, now + 60 + 1800);

    // Deleting the cookie in DevTools logs the browser out; the data stays on the server.
    cookies::write_raw_line("sl.lab-e2e-seed-002.session=; Path=/; Max-Age=0").unwrap();
    let req = jar.attach(Request::get("/profile"), now + 120);
    assert_eq!(req.header("Cookie"), None);
    assert_eq!(
        app.handle(&req, now + 120).body,
        "No user data found in session."
    );
    assert_eq!(jar.take_notices().len(), 1);
    assert!(ls()
        .get_item(&format!("sl.t.e2e:session:{sid}"))
        .unwrap()
        .is_some());
}
