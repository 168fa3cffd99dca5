//! The cookie decoder's logic (`lab::decoder`), natively: the verdicts follow itsdangerous,
//! and the three steps keep their own state.
#![cfg(not(target_arch = "wasm32"))]

use session_lab::engine::itsdangerous::signing::Serializer;
use session_lab::lab::decoder::{
    decode, extract_cookie, verify, Action, DecoderState, KeyChoice, KeyUsed, Target, Verdict,
};

/// `fixed_ts_simple` from tests/fixtures/vectors.json, made by Flask 3.1.3:
/// `{"user_name":"Admin"}` signed with `dev-secret` at 1700000000.
const VECTOR: &str = "eyJ1c2VyX25hbWUiOiJBZG1pbiJ9.ZVPxAA.LVXaejlOPlbITReSd_RwqvGKoHE";

#[test]
fn verdicts_follow_itsdangerous() {
    let fallbacks = ["".to_string(), "dev-secret".to_string()];
    assert_eq!(
        verify(VECTOR, "new", &fallbacks, 10, 1_700_000_005),
        Verdict::Valid {
            key: KeyUsed::Fallback(2),
            age: 5
        }
    );
    assert_eq!(
        verify(VECTOR, "dev-secret", &[], 10, 1_699_999_000),
        Verdict::FromTheFuture {
            key: KeyUsed::Secret,
            age: -1000
        }
    );
    assert!(matches!(
        verify("no-dot", "dev-secret", &[], 10, 0),
        Verdict::Malformed(_)
    ));
    // A genuine signature over a payload Flask cannot load: a 500, not a quiet reset.
    let not_json = Serializer::flask_session("k", &[]).dumps("not json", 100);
    assert!(matches!(
        verify(&not_json, "k", &[], 10, 100),
        Verdict::BadPayload {
            key: KeyUsed::Secret,
            ..
        }
    ));
}

#[test]
fn the_cookie_is_found_in_what_was_pasted() {
    assert_eq!(extract_cookie(VECTOR), (None, VECTOR.to_string()));
    assert_eq!(
        extract_cookie(&format!("Cookie: theme=dark; session={VECTOR}")),
        (Some("session".to_string()), VECTOR.to_string())
    );
    assert_eq!(
        extract_cookie("Set-Cookie: session=abc.d.e; HttpOnly; Path=/"),
        (Some("session".to_string()), "abc.d.e".to_string())
    );
    let d = decode(VECTOR, 1_700_000_005).unwrap();
    assert_eq!(d.json.as_deref(), Ok(r#"{"user_name":"Admin"}"#));
    assert_eq!(d.time, Ok(1_700_000_000));
    assert!(d.complete());
    assert!(decode("", 0).is_err());
}

#[test]
fn the_three_steps_keep_their_own_state() {
    let mut s = DecoderState::default();
    s.apply(Action::EditPaste(VECTOR.into()));
    s.apply(Action::Decode { now: 1_700_000_005 });
    // Step 3 starts from what step 1 decoded.
    assert_eq!(s.forge_json, r#"{"user_name":"Admin"}"#);
    s.apply(Action::EditSecret("dev-secret".into()));
    s.apply(Action::Verify { now: 1_700_000_005 });
    let report = s.report.clone().unwrap();
    assert_eq!(report.target, Target::Pasted);
    assert!(report.verdict.is_valid(), "{:?}", report.verdict);
    // Nothing is signed until Sign is pressed.
    s.apply(Action::EditForgeJson(r#"{"user_name":"Eve"}"#.into()));
    assert!(s.forged.is_none());
    s.apply(Action::EditForgeTimestamp("1700000000".into()));
    s.apply(Action::ChooseKey(KeyChoice::Secret));
    s.apply(Action::Sign { now: 1_700_000_005 });
    let forged = s.forged.clone().unwrap();
    assert_eq!(
        forged.cookie,
        Serializer::flask_session("dev-secret", &[]).dumps(r#"{"user_name":"Eve"}"#, 1_700_000_000)
    );
    // Editing after signing marks the cookie stale instead of re-signing it.
    s.apply(Action::EditForgeJson(r#"{"user_name":"Mallory"}"#.into()));
    assert!(s.forged_is_stale());
    assert_eq!(s.forged.as_ref().unwrap().cookie, forged.cookie);
    s.apply(Action::VerifyForged { now: 1_700_000_005 });
    assert_eq!(s.report.as_ref().unwrap().target, Target::Forged);
    assert!(s.report.as_ref().unwrap().verdict.is_valid());
}
