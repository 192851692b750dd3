//! The engine worker: the engine in a Web Worker, so that what only one view needs (learn
//! mode's grading, measures and scenario shapes; the importers behind a paste in the JSON view)
//! is not part of the page's first load, and long work does not block the page. trunk builds it as a second wasm module
//! (`<link data-trunk rel="rust" data-type="worker" ...>` in `index.html`, bindgen target
//! `no-modules`, started by `public/engine-worker-loader.js`); the page starts it when a view
//! first needs it.
//!
//! It speaks the protocol of `protocol/` (docs/architecture.md, "The engine worker"): one JSON
//! text per message, each request answered once. [`dispatch`] does the work and is plain Rust,
//! tested natively; the browser glue below only moves texts. Built natively, the same program
//! answers requests read from stdin, one JSON text per line (`cargo run -p engine-worker`), to
//! try the protocol without a browser.

mod dispatch;
mod measure;
mod open;
mod paste;
mod review;

fn main() {
    #[cfg(target_arch = "wasm32")]
    glue::start();
    #[cfg(not(target_arch = "wasm32"))]
    lines();
}

/// Natively: `ready`, then one reply line per request line.
#[cfg(not(target_arch = "wasm32"))]
fn lines() {
    use std::io::{BufRead, Write};
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", dispatch::ready());
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        if !line.trim().is_empty() {
            let reply = dispatch::answer_with(&line, &mut |p| {
                let _ = writeln!(out, "{p}");
            });
            let _ = writeln!(out, "{reply}");
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod glue {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    /// Installs the message handler and says that the worker is ready.
    pub fn start() {
        console_error_panic_hook::set_once();
        let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let out = scope.clone();
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                let text = ev.data().as_string().unwrap_or_default();
                // Progress replies go out while the request runs: the page receives them at
                // once (postMessage from a worker does not wait for the handler to return).
                let reply = super::dispatch::answer_with(&text, &mut |p| {
                    let _ = out.post_message(&JsValue::from_str(&p));
                });
                let _ = out.post_message(&JsValue::from_str(&reply));
            });
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let _ = scope.post_message(&JsValue::from_str(&super::dispatch::ready()));
    }
}
