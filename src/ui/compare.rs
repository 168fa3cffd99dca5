//! Compare: the same steps, run at once on two copies of seed 004's app, one keeping the
//! session in a signed cookie and one in Flask-Session's store. Each step goes to both; the
//! jars and stores side by side show what lives where.

use super::lab_hook::{use_lab, LabHandle};
use super::scenario::{BrowserPane, StatePane};
use crate::engine::apps::seed_004;
use crate::lab::BrowserId;
use yew::prelude::*;

/// One step applied to a lab.
type StepFn = fn(&LabHandle);

const STEPS: [(&str, StepFn); 6] = [
    ("Sign in as ada", |l| {
        l.submit(
            BrowserId::Main,
            "POST",
            "/login",
            vec![
                ("next".into(), "None".into()),
                ("username".into(), "ada".into()),
            ],
        )
    }),
    ("Open /about", |l| l.navigate(BrowserId::Main, "/about")),
    ("Wait 4 minutes", |l| l.advance(4 * 60)),
    ("Close and reopen the browser", |l| {
        l.restart_browser(BrowserId::Main)
    }),
    ("Log out", |l| l.navigate(BrowserId::Main, "/logout")),
    ("Wait 6 minutes", |l| l.advance(6 * 60)),
];

#[function_component(CompareView)]
pub fn compare_view() -> Html {
    let client = use_lab("compare-client", seed_004::CLIENT_PERSIST);
    let server = use_lab("compare-server", seed_004::SERVER_PERSIST);
    let buttons = STEPS.iter().map(|(label, step)| {
        let (client, server, step) = (client.clone(), server.clone(), *step);
        let onclick = Callback::from(move |_| {
            step(&client);
            step(&server);
        });
        html! { <button {onclick}>{ *label }</button> }
    });
    html! {
        <main class="scenario compare">
            <header class="scenario-head">
                <h1>{ "Cookie or store: the same steps, side by side" }</h1>
                <div class="controls" role="toolbar" aria-label="Steps for both">{ for buttons }</div>
            </header>
            <p class="lede">{ "Both columns run seed 004's app with a five-minute permanent session. \
                The left keeps the session in a signed cookie, the right in Flask-Session's store. \
                Each button acts on both. Watch where user_name, lang and theme end up, and what \
                is left after logging out." }</p>
            <div class="panes two">
                <div>
                    <h2 class="side">{ "Signed cookie (Flask)" }</h2>
                    <BrowserPane lab={client.clone()} browser={BrowserId::Main} />
                    <StatePane lab={client.clone()} />
                </div>
                <div>
                    <h2 class="side">{ "Server-side store (Flask-Session)" }</h2>
                    <BrowserPane lab={server.clone()} browser={BrowserId::Main} />
                    <StatePane lab={server.clone()} />
                </div>
            </div>
        </main>
    }
}
