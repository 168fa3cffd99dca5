//! The index: every scenario with its one-line promise, the comparison and the decoder.

use crate::lab::scenarios::ALL;
use crate::ui::app::Route;
use yew::prelude::*;
use yew_router::prelude::*;

#[function_component(Index)]
pub fn index() -> Html {
    html! {
        <main class="page index">
            <header>
                <h1>{ "Session Lab" }</h1>
                <p class="lede">{ "Five Flask session tutorials, running in this page on a small Flask-compatible \
                    server. Watch every cookie, the server's store and the clock while you click." }</p>
            </header>
            <ul class="scenarios">
                { for ALL.iter().map(|s| html! {
                    <li>
                        <Link<Route> to={Route::Scenario { id: s.id.to_string() }}>{ s.title }</Link<Route>>
                        <p>{ s.promise }</p>
                    </li>
                }) }
                <li>
                    <Link<Route> to={Route::Compare}>{ "Cookie or store, side by side" }</Link<Route>>
                    <p>{ "The same steps under client-side and server-side sessions: see what lives where." }</p>
                </li>
                <li>
                    <Link<Route> to={Route::Decoder}>{ "Cookie decoder" }</Link<Route>>
                    <p>{ "Paste a Flask session cookie: decode it without a key, verify it with one." }</p>
                </li>
            </ul>
        </main>
    }
}
