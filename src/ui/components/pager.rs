//! Paging through a list shown newest first (the wire, the store): "Newer" and "Older"
//! buttons and where the page sits, `entries 1–50 of 1,000`.

use crate::lab::view::Paging;
use yew::prelude::*;

/// The pager of a list. A plain function, not a component: its list re-renders it with new
/// callbacks anyway, so a component of its own would only add its machinery to the bundle.
///
/// `noun` is what the rows are, in the plural (`entries`, `sessions`); `list` is what the list
/// is, for the pager's accessible name (`the wire`).
pub fn pager(
    p: Paging,
    noun: &'static str,
    list: &'static str,
    on_newer: Callback<MouseEvent>,
    on_older: Callback<MouseEvent>,
) -> Html {
    html! {
        <nav class="pager" aria-label={format!("Pages of {list}")}>
            <button type="button" class="link" aria-label={format!("Newer {noun}")}
                disabled={!p.has_newer()} onclick={on_newer}>{ "← Newer" }</button>
            <span class="pager-position" role="status">{ p.caption(noun) }</span>
            <button type="button" class="link" aria-label={format!("Older {noun}")}
                disabled={!p.has_older()} onclick={on_older}>{ "Older →" }</button>
        </nav>
    }
}
