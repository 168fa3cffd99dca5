//! The state: the main browser's cookie jar (and why each cookie goes or not), its session
//! cookie taken apart, and the server's session store, as [`crate::lab::view::state`] reads
//! them.

use crate::lab::view::{self, CookieReadout, StateView};
use crate::ui::lab_context::use_lab;
use yew::prelude::*;

#[function_component(StatePane)]
pub fn state_pane() -> Html {
    let lab = use_lab();
    let now = lab.now();
    let Some(StateView {
        path: _,
        jar,
        cookie,
        store,
    }) = lab.with(|l| view::state(l, now))
    else {
        return html! {};
    };
    html! {
        <section class="panel state" aria-label="The state">
            <h2>{ "Cookie jar" }</h2>
            if jar.is_empty() {
                <p class="empty">{ "The browser holds no cookies for this site." }</p>
            } else {
                <table class="jar">
                    <thead><tr>
                        <th>{ "Name" }</th><th>{ "Value" }</th><th>{ "Path" }</th><th>{ "Expires" }</th>
                        <th>{ "Flags" }</th>
                    </tr></thead>
                    <tbody>
                        { for jar.iter().map(|c| html! { <>
                            <tr>
                                <td class="mono">{ c.name.clone() }</td>
                                <td class="mono value" title={c.value.clone()}>{ c.value.clone() }</td>
                                <td class="mono">{ c.path.clone() }</td>
                                <td>{ c.expires.clone() }</td>
                                <td>{ c.flags.clone() }<div class="muted">{ c.size.clone() }</div></td>
                            </tr>
                            <tr class="why"><td colspan="5">
                                { c.why.clone() }
                                { for c.limits.iter().map(|l| html! { <div class="note">{ l.clone() }</div> }) }
                            </td></tr>
                        </> }) }
                    </tbody>
                </table>
            }
            <h2>{ "Session cookie" }</h2>
            { cookie_view(cookie) }
            <h2>{ "Server's session store" }</h2>
            { match store {
                None => html! { <p class="empty">{ "Nothing: with Flask's default sessions the server keeps no session data. \
                    Everything is in the cookie, and the server cannot take it back." }</p> },
                Some(rows) if rows.is_empty() => html! { <p class="empty">{ "The store is empty." }</p> },
                Some(rows) => html! {
                    <table class="store">
                        <thead><tr><th>{ "Key" }</th><th>{ "Data" }</th><th>{ "TTL" }</th></tr></thead>
                        <tbody>
                            { for rows.into_iter().map(|r| html! {
                                <tr>
                                    <td class="mono">{ r.key }</td>
                                    <td class="mono">{ r.data }</td>
                                    <td>{ r.ttl }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                },
            } }
        </section>
    }
}

fn cookie_view(cookie: CookieReadout) -> Html {
    match cookie {
        CookieReadout::Absent => html! { <p class="empty">{ "No session cookie." }</p> },
        CookieReadout::SessionId(id) => html! {
            <dl class="segments">
                <dt>{ "session id" }</dt><dd class="mono">{ id }</dd>
                <dt>{ "what it holds" }</dt><dd>{ "Only a random id. The data is in the store below." }</dd>
            </dl>
        },
        CookieReadout::NotFlask => {
            html! { <p class="status bad">{ "Not a Flask session cookie." }</p> }
        }
        CookieReadout::Signed {
            payload,
            compressed,
            timestamp,
            signature,
        } => html! {
            <dl class="segments">
                <dt>{ "payload" }</dt>
                <dd><code>{ payload }</code>
                    if compressed { <span class="badge">{ "zlib" }</span> }
                    <div class="muted">{ "base64, readable without any key" }</div></dd>
                <dt>{ "timestamp" }</dt>
                <dd>{ timestamp }</dd>
                <dt>{ "signature" }</dt>
                <dd>{ match signature {
                    Ok(()) => html! { <span class="status good">{ "valid under the server's key" }</span> },
                    Err(e) => html! { <span class="status bad">{ e }</span> },
                } }</dd>
            </dl>
        },
    }
}
