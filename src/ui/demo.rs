//! The placeholder page: sign, store, read back and verify a Flask session cookie.

use crate::browser::{clock, cookies};
use crate::engine::flask::tagged_json::{self, dumps_dict};
use crate::engine::itsdangerous::signing::{decode_payload, Segments, Serializer};
use crate::engine::py::datetime::iso_utc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The demo cookie's name and path: scoped so it never collides with a scenario's cookies.
pub const DEMO_COOKIE: &str = "lab_demo";
pub const DEMO_PATH: &str = "/";

/// What one press of "Sign and store" produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub cookie: String,
    pub read_back: Option<String>,
    pub verified: Result<String, String>,
    pub timestamp: i64,
}

/// Signs `json` with `secret` at `now`, stores it in the real jar, reads it back and verifies
/// what came back. Errors are returned as text for the page.
pub fn sign_store_verify(secret: &str, json: &str, now: i64) -> Result<Outcome, String> {
    let dict = tagged_json::loads_dict(json).map_err(|e| format!("not a session: {e}"))?;
    let serializer = Serializer::flask_session(secret, &[]);
    let cookie = serializer.dumps(&dumps_dict(&dict), now.max(0) as u64);
    cookies::write(DEMO_COOKIE, &cookie, DEMO_PATH, None).map_err(|e| e.to_string())?;
    let read_back = cookies::read(DEMO_COOKIE).map_err(|e| e.to_string())?;
    let verified = match &read_back {
        Some(v) => serializer
            .loads(
                v,
                Some(crate::engine::itsdangerous::signing::DEFAULT_MAX_AGE),
                now,
            )
            .map(|u| u.json)
            .map_err(|e| e.to_string()),
        None => Err("the browser did not keep the cookie".into()),
    };
    Ok(Outcome {
        cookie,
        read_back,
        verified,
        timestamp: now,
    })
}

#[function_component(Demo)]
pub fn demo() -> Html {
    let secret = use_state(|| "hello".to_string());
    let json = use_state(|| r#"{"_permanent":true,"user":"Ada"}"#.to_string());
    let outcome = use_state(|| None::<Result<Outcome, String>>);

    let on_secret = {
        let secret = secret.clone();
        Callback::from(move |e: InputEvent| {
            secret.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_json = {
        let json = json.clone();
        Callback::from(move |e: InputEvent| {
            json.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_submit = {
        let (secret, json, outcome) = (secret.clone(), json.clone(), outcome.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            outcome.set(Some(sign_store_verify(&secret, &json, clock::system_now())));
        })
    };

    let result = match &*outcome {
        None => html! {},
        Some(Err(e)) => html! { <p class="status bad" role="status">{ e }</p> },
        Some(Ok(o)) => {
            let seg = Segments::split(&o.cookie).ok();
            html! {
                <section class="result" aria-live="polite">
                    <h2>{ "Set-Cookie" }</h2>
                    <pre class="wire">{ format!("{DEMO_COOKIE}={}; Path={DEMO_PATH}", o.cookie) }</pre>
                    if let Some(s) = seg {
                        <dl class="segments">
                            <dt>{ "payload" }</dt><dd><code>{ s.payload }</code>
                                if s.compressed() { <span class="badge">{ "zlib" }</span> }</dd>
                            <dt>{ "decoded" }</dt><dd><code id="decoded">{
                                decode_payload(s.payload).unwrap_or_else(|e| e.to_string())
                            }</code>{ " (no key needed)" }</dd>
                            <dt>{ "timestamp" }</dt><dd><code>{ s.timestamp }</code>{ format!(" = {}", iso_utc(o.timestamp)) }</dd>
                            <dt>{ "signature" }</dt><dd><code>{ s.signature }</code>{ " (HMAC-SHA1)" }</dd>
                        </dl>
                    }
                    <h2>{ "Read back from " }<code>{ "document.cookie" }</code></h2>
                    <pre class="wire" id="read-back">{ o.read_back.clone().unwrap_or_else(|| "(nothing)".into()) }</pre>
                    { match &o.verified {
                        Ok(j) => html! { <p class="status good" id="verdict">{ format!("Signature valid. Session: {j}") }</p> },
                        Err(e) => html! { <p class="status bad" id="verdict">{ e }</p> },
                    } }
                </section>
            }
        }
    };

    html! {
        <main class="page">
            <header>
                <h1>{ "Session Lab" }</h1>
                <p class="lede">{ "A Flask session cookie, made and checked right here in your browser. \
                    Nothing leaves this page." }</p>
            </header>
            <form class="card" onsubmit={on_submit}>
                <label for="secret">{ "SECRET_KEY" }</label>
                <input id="secret" value={(*secret).clone()} oninput={on_secret} autocomplete="off" />
                <label for="json">{ "Session (tagged JSON)" }</label>
                <input id="json" class="mono" value={(*json).clone()} oninput={on_json} autocomplete="off" />
                <button type="submit" id="sign">{ "Sign and store" }</button>
            </form>
            { result }
            <p class="note">{ "The payload is only base64: anyone holding the cookie can read it. \
                The key protects it against changes, not against reading." }</p>
        </main>
    }
}
