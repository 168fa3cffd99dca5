//! The Wasm entry point: mounts the Yew app. Natively there is nothing to run (see
//! `session-lab-cli`).

#[cfg(target_arch = "wasm32")]
fn main() {
    session_lab::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("session-lab is the browser app: run `make serve`. For the command line, use session-lab-cli.");
}
