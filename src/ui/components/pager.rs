//! Paging through a list shown newest first (the wire, the store): "Newer" and "Older"
//! buttons and where the page sits, `entries 1–50 of 1,000`.

use crate::lab::view::Paging;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PagerProps {
    pub paging: Paging,
    /// What the rows are, in the plural: `entries`, `sessions`.
    pub noun: &'static str,
    /// What the list is, for the pager's accessible name: `the wire`.
    pub list: &'static str,
    pub on_newer: Callback<()>,
    pub on_older: Callback<()>,
}

#[function_component(Pager)]
pub fn pager(props: &PagerProps) -> Html {
    let p = props.paging;
    let newer = props.on_newer.reform(|_: MouseEvent| ());
    let older = props.on_older.reform(|_: MouseEvent| ());
    html! {
        <nav class="pager" aria-label={format!("Pages of {}", props.list)}>
            <button type="button" class="link" aria-label={format!("Newer {}", props.noun)}
                disabled={!p.has_newer()} onclick={newer}>{ "← Newer" }</button>
            <span class="pager-position" role="status">{ p.caption(props.noun) }</span>
            <button type="button" class="link" aria-label={format!("Older {}", props.noun)}
                disabled={!p.has_older()} onclick={older}>{ "Older →" }</button>
        </nav>
    }
}
