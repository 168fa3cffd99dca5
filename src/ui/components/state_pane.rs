//! The state: the main browser's cookie jar (and why each cookie goes or not), its session
//! cookie taken apart, and the server's session store, as [`crate::lab::view::state_page`]
//! reads them.
//!
//! The store shows a page at a time ([`PAGE_SIZE`] sessions, the most recently written first,
//! with "Newer" and "Older" to move), each session a keyed [`StoreRowView`] that renders again
//! only when its data changes; the countdowns and the cookie's age are [`Clock`]s, which alone
//! follow the clock.

use crate::engine::py::datetime::iso_utc;
use crate::lab::view::{self, CookieReadout, JarRow, Paging, StateView, StoreView, PAGE_SIZE};
use crate::ui::components::clock::{Clock, Clocked};
use crate::ui::components::pager::pager;
use crate::ui::lab_context::use_lab;
use crate::ui::renders;
use yew::prelude::*;

/// Where the last page of `paging`'s list starts.
fn last_page(paging: &Paging) -> usize {
    paging.total.saturating_sub(1) / PAGE_SIZE * PAGE_SIZE
}

#[derive(Properties, PartialEq)]
pub struct StatePaneProps {
    /// Which of the pane's three parts to show (an embed can name them one by one).
    #[prop_or(true)]
    pub jar: bool,
    #[prop_or(true)]
    pub cookie: bool,
    #[prop_or(true)]
    pub store: bool,
}

#[function_component(StatePane)]
pub fn state_pane(props: &StatePaneProps) -> Html {
    renders::count("state");
    let lab = use_lab();
    // How many of the newest sessions come before the store's page: `None` is the first page.
    // (An `Option<usize>` like the wire's page, so that both share one copy of Yew's state
    // hook in the bundle.)
    let offset_state = use_state(|| None::<usize>);
    let offset = offset_state.unwrap_or(0);
    let now = lab.now();
    let read = |offset: usize| lab.with(|l| view::state_page(l, now, offset, PAGE_SIZE));
    let Some(mut state) = read(offset) else {
        return html! {};
    };
    // Sessions went away under a page further back: show the last page there is.
    if let Some(store) = state
        .store
        .as_ref()
        .filter(|s| s.rows.is_empty() && offset > 0)
    {
        if let Some(again) = read(last_page(&store.paging)) {
            state = again;
        }
    }
    let StateView {
        path: _,
        jar,
        cookie,
        store,
    } = state;
    let store_paging = store.as_ref().map(|s| s.paging).unwrap_or_default();
    let move_store = |older: bool| {
        let offset = offset_state.clone();
        let paging = store_paging;
        Callback::from(move |_: MouseEvent| {
            let at = paging.offset;
            offset.set(Some(if older {
                (at + PAGE_SIZE).min(last_page(&paging))
            } else {
                at.saturating_sub(PAGE_SIZE)
            }))
        })
    };
    html! {
        <section class="panel state" aria-label="The state">
            if props.jar {
                <h2>{ "Cookie jar" }</h2>
                { cookie_editor(&lab, &jar) }
                <JarTable rows={jar} />
            }
            if props.cookie {
                <h2>{ "Session cookie" }</h2>
                <CookieView {cookie} />
            }
            if props.store {
            <h2>{ "Server's session store" }</h2>
            { match store {
                None => html! { <p class="empty">{ "Nothing: with Flask's default sessions the server keeps no session data. \
                    Everything is in the cookie, and the server cannot take it back." }</p> },
                Some(StoreView { rows, .. }) if rows.is_empty() => html! { <p class="empty">{ "The store is empty." }</p> },
                Some(StoreView { rows, paging }) => html! { <>
                    if paging.total > PAGE_SIZE {
                        { pager(paging, "sessions", "the store", move_store(false), move_store(true)) }
                    }
                    <table class="store">
                        <thead><tr><th>{ "Key" }</th><th>{ "Data" }</th><th>{ "TTL" }</th></tr></thead>
                        <tbody>
                            { for rows.into_iter().map(|r| html! {
                                <StoreRowView key={r.key.clone()} store_key={r.key.clone()} data={r.data} expires_at={r.expires_at} />
                            }) }
                        </tbody>
                    </table>
                </> },
            } }
            }
        </section>
    }
}

/// The jar's editor, as DevTools' cookie table allows: pick a cookie, type a value, set it.
/// The edit is one of the lab's actions (it is in the journal and in share links).
fn cookie_editor(lab: &crate::ui::lab_context::LabHandle, rows: &[JarRow]) -> Html {
    if rows.is_empty() {
        return html! {};
    }
    let onsubmit = {
        let lab = lab.clone();
        let cookies: Vec<(String, String)> = rows
            .iter()
            .map(|c| (c.name.clone(), c.path.clone()))
            .collect();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let form: web_sys::HtmlFormElement = e.target_unchecked_into();
            let data = web_sys::FormData::new_with_form(&form).ok();
            let field = |name: &str| {
                data.as_ref()
                    .and_then(|d| d.get(name).as_string())
                    .unwrap_or_default()
            };
            let (which, value) = (field("cookie"), field("value"));
            if let Some((name, path)) = which.parse::<usize>().ok().and_then(|i| cookies.get(i)) {
                lab.edit_cookie(crate::lab::BrowserId::Main, name, path, &value);
            }
        })
    };
    html! {
        <details class="cookie-edit">
            <summary>{ "Edit a cookie" }</summary>
            <form {onsubmit}>
                <select name="cookie" aria-label="Cookie to edit">
                    { for rows.iter().enumerate().map(|(i, c)| html! {
                        <option value={i.to_string()}>{ format!("{} (path {})", c.name, c.path) }</option>
                    }) }
                </select>
                <input name="value" class="mono" aria-label="New value" placeholder="new value" />
                <button type="submit">{ "Set value" }</button>
            </form>
        </details>
    }
}

#[derive(Properties, PartialEq)]
pub struct JarTableProps {
    pub rows: Vec<JarRow>,
}

/// The jar table: each cookie, and why it is sent or not.
#[function_component(JarTable)]
pub fn jar_table(props: &JarTableProps) -> Html {
    renders::count("jar");
    if props.rows.is_empty() {
        return html! { <p class="empty">{ "The browser holds no cookies for this site." }</p> };
    }
    html! {
        <table class="jar">
            <thead><tr>
                <th>{ "Name" }</th><th>{ "Value" }</th><th>{ "Path" }</th><th>{ "Expires" }</th>
                <th>{ "Flags" }</th>
            </tr></thead>
            <tbody>
                { for props.rows.iter().map(|c| html! { <>
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
}

#[derive(Properties, PartialEq)]
pub struct StoreRowProps {
    pub store_key: String,
    /// The session as tagged JSON.
    pub data: String,
    /// 0 = never.
    pub expires_at: i64,
}

/// One session of the store; its TTL counts down with the clock.
#[function_component(StoreRowView)]
pub fn store_row_view(props: &StoreRowProps) -> Html {
    renders::count("store-row");
    html! {
        <tr>
            <td class="mono">{ props.store_key.clone() }</td>
            <td class="mono">{ props.data.clone() }</td>
            <td><Clock show={Clocked::Countdown(props.expires_at)} /></td>
        </tr>
    }
}

#[derive(Properties, PartialEq)]
pub struct CookieViewProps {
    pub cookie: CookieReadout,
}

/// The session cookie taken apart. Its age follows the clock (a [`Clock`]); the rest changes only
/// with the cookie.
#[function_component(CookieView)]
pub fn cookie_view(props: &CookieViewProps) -> Html {
    renders::count("cookie");
    match props.cookie.clone() {
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
            issued_at,
            signature,
        } => html! {
            <dl class="segments">
                <dt>{ "payload" }</dt>
                <dd><code>{ payload }</code>
                    if compressed { <span class="badge">{ "zlib" }</span> }
                    <div class="muted">{ "base64, readable without any key" }</div></dd>
                <dt>{ "timestamp" }</dt>
                <dd>{ match issued_at {
                    Some(t) => html! { <>{ iso_utc(t) }{ " (age " }<Clock show={Clocked::Age(t)} />{ ")" }</> },
                    None => html! { { timestamp } },
                } }</dd>
                <dt>{ "signature" }</dt>
                <dd>{ match signature {
                    Ok(()) => html! { <span class="status good">{ "valid under the server's key" }</span> },
                    Err(e) => html! { <span class="status bad">{ e }</span> },
                } }</dd>
            </dl>
        },
    }
}
