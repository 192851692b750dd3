//! The page's side of the engine worker (`worker/`, protocol in `protocol/`): starts it on the
//! first request, holds requests until it says it is ready, and hands each reply to the request
//! it answers.
//!
//! [`call`] returns a future of the request's result. [`restart`] is the cancel: it terminates
//! the worker (whatever it is computing stops at once), fails every pending request with
//! `cancelled`, and the next request starts a fresh worker. A worker that fails to load or
//! crashes fails its pending requests with `crashed` and is started again by the next request.
//!
//! The time view's runs go to a worker of their own ([`Lane::Time`], [`run`]): a simulated day
//! can take minutes on a big plan, and exports, pastes and reviews should not wait behind it,
//! nor be cancelled with it.

use std::cell::RefCell;
use std::collections::HashMap;

use gloo_events::{EventListener, EventListenerOptions};
use protocol::{Failure, Request, VERSION};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The worker's loader (`public/engine-worker-loader.js`, next to the page).
pub const LOADER: &str = "/engine-worker-loader.js";

/// Called with (done, total, note) for a request's progress replies.
type OnProgress = Box<dyn Fn(u64, u64, &str)>;

struct Pending {
    resolve: js_sys::Function,
    on_progress: Option<OnProgress>,
}

#[derive(Default)]
struct Client {
    worker: Option<web_sys::Worker>,
    ready: bool,
    /// Requests (JSON texts) waiting for the worker to be ready.
    queue: Vec<String>,
    pending: HashMap<u64, Pending>,
    next_id: u64,
}

/// Which engine worker: each is started, restarted and cancelled on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// Learn mode, pastes, exports, share links, the review.
    Main,
    /// The time view's simulations.
    Time,
}

thread_local! {
    static CLIENTS: RefCell<[Client; 2]> = RefCell::new(Default::default());
}

fn with_client<R>(lane: Lane, f: impl FnOnce(&mut Client) -> R) -> R {
    CLIENTS.with(|c| f(&mut c.borrow_mut()[lane as usize]))
}

/// Sends a request; resolves with its result or its failure.
pub async fn call(kind: &str, payload: &impl Serialize) -> Result<Value, Failure> {
    call_with_progress(kind, payload, None).await
}

/// [`call`], with a function that receives the request's progress replies.
pub async fn call_with_progress(
    kind: &str,
    payload: &impl Serialize,
    on_progress: Option<OnProgress>,
) -> Result<Value, Failure> {
    let payload = serde_json::to_value(payload).unwrap_or(Value::Null);
    let reply = send(Lane::Main, kind, payload, on_progress).await;
    result(reply.as_deref())
}

/// A request on `lane` whose result is read straight into `T` from the reply's text (a
/// simulated day's timeline is megabytes of JSON: no `Value` tree in between); with the size
/// of that text in bytes.
pub async fn run<T: DeserializeOwned>(
    lane: Lane,
    kind: &str,
    payload: &impl Serialize,
    on_progress: Option<OnProgress>,
) -> Result<(T, usize), Failure> {
    #[derive(Deserialize)]
    struct Done<T> {
        result: T,
    }
    let payload = serde_json::to_value(payload).unwrap_or(Value::Null);
    let reply = send(lane, kind, payload, on_progress).await;
    let bytes = reply.as_ref().map_or(0, String::len);
    let read = match reply.as_deref() {
        // The worker writes a reply with serde, its tag first.
        Some(text) if text.starts_with(r#"{"type":"done""#) => {
            serde_json::from_str::<Done<T>>(text)
                .map(|d| d.result)
                .map_err(|e| {
                    Failure::new(
                        Failure::CRASHED,
                        format!("the engine worker's answer could not be read: {e}"),
                    )
                })
        }
        // Any other reply is a failure, or (not written by this worker) a result with its
        // members in another order: read from its text again, so that `T` has one reader in
        // the page's wasm (from text) rather than a second one from a `Value` (a simulated
        // day's timeline reader is ~40 KB of wasm).
        other => result(other).and_then(|v| {
            serde_json::from_str::<T>(&v.to_string()).map_err(|e| {
                Failure::new(
                    Failure::CRASHED,
                    format!("the engine worker's answer could not be read: {e}"),
                )
            })
        }),
    };
    read.map(|t| (t, bytes))
}

/// A reply's result, or its failure.
fn result(reply: Option<&str>) -> Result<Value, Failure> {
    let mut reply: Value = reply
        .and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or_default();
    match reply["type"].as_str() {
        Some("done") => Ok(reply["result"].take()),
        Some("failed") => Err(failure(&mut reply["error"])),
        _ => Err(Failure::new(
            Failure::CRASHED,
            "the engine worker gave no answer",
        )),
    }
}

/// Sends a request on `lane`; resolves with the reply's text. Its payload is JSON already: not
/// generic, so that the page's wasm has it once rather than once per payload type.
async fn send(
    lane: Lane,
    kind: &str,
    payload: Value,
    on_progress: Option<OnProgress>,
) -> Option<String> {
    let mut resolve_fn = None;
    let promise = js_sys::Promise::new(&mut |resolve, _| resolve_fn = Some(resolve));
    let resolve = resolve_fn?;
    let started = with_client(lane, |c| {
        c.next_id += 1;
        let id = c.next_id;
        let text = serde_json::to_string(&Request {
            id,
            kind: kind.to_string(),
            payload,
        })
        .unwrap_or_default();
        c.pending.insert(
            id,
            Pending {
                resolve,
                on_progress,
            },
        );
        if c.worker.is_none() {
            start(c, lane)?;
        }
        if c.ready {
            post(c, &text);
        } else {
            c.queue.push(text);
        }
        Ok::<(), String>(())
    });
    if let Err(e) = started {
        fail_all(lane, Failure::CRASHED, &e);
    }
    JsFuture::from(promise)
        .await
        .ok()
        .and_then(|v| v.as_string())
}

/// A `protocol::Reply` is read as JSON here, field by field: a derived reader of the tagged
/// enum costs the page's first load ~12 KB of wasm.
fn failure(v: &mut Value) -> Failure {
    Failure {
        code: v["code"].as_str().unwrap_or(Failure::CRASHED).to_string(),
        message: v["message"]
            .as_str()
            .unwrap_or("the engine worker failed")
            .to_string(),
        findings: match v["findings"].take() {
            Value::Array(f) => f,
            _ => Vec::new(),
        },
    }
}

/// Stops the worker (cancelling whatever it computes) and fails every pending request with
/// `cancelled`; the next request starts a new one.
pub fn restart() {
    restart_lane(Lane::Main);
}

/// [`restart`] for the worker of `lane`.
pub fn restart_lane(lane: Lane) {
    fail_all(lane, Failure::CANCELLED, "cancelled");
}

fn post(c: &Client, text: &str) {
    if let Some(w) = &c.worker {
        let _ = w.post_message(&JsValue::from_str(text));
    }
}

fn start(c: &mut Client, lane: Lane) -> Result<(), String> {
    let worker = web_sys::Worker::new(LOADER)
        .map_err(|_| format!("the browser could not start the engine worker ({LOADER})"))?;
    // The worker lives as long as the page (or until restarted): so do its listeners.
    EventListener::new(&worker, "message", move |ev| {
        if let Some(text) = ev
            .dyn_ref::<web_sys::MessageEvent>()
            .and_then(|m| m.data().as_string())
        {
            receive(lane, &text);
        }
    })
    .forget();
    // A load failure is a plain `Event`, an uncaught error in the worker an `ErrorEvent`; not
    // passive, so that `prevent_default` keeps it out of the console.
    EventListener::new_with_options(
        &worker,
        "error",
        EventListenerOptions::enable_prevent_default(),
        move |ev| {
            ev.prevent_default();
            let what = js_sys::Reflect::get(ev, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
                .unwrap_or_default();
            fail_all(
                lane,
                Failure::CRASHED,
                &format!(
                    "the engine worker stopped{}; try again (it starts anew)",
                    if what.is_empty() {
                        String::new()
                    } else {
                        format!(": {what}")
                    }
                ),
            );
        },
    )
    .forget();
    c.worker = Some(worker);
    c.ready = false;
    Ok(())
}

/// The kind and request of a reply, read without the rest (a result can be megabytes).
#[derive(Deserialize)]
struct Head<'a> {
    #[serde(rename = "type", borrow)]
    kind: std::borrow::Cow<'a, str>,
    #[serde(default)]
    id: u64,
}

/// A message from the worker of `lane`.
fn receive(lane: Lane, text: &str) {
    let Ok(head) = serde_json::from_str::<Head>(text) else {
        return;
    };
    let id = head.id;
    if matches!(&*head.kind, "done" | "failed") {
        let p = with_client(lane, |c| c.pending.remove(&id));
        if let Some(p) = p {
            let _ = p.resolve.call1(&JsValue::NULL, &JsValue::from_str(text));
        }
        return;
    }
    let Ok(reply) = serde_json::from_str::<Value>(text) else {
        return;
    };
    match reply["type"].as_str() {
        Some("ready") => {
            let version = reply["version"].as_u64().unwrap_or(0);
            if version != VERSION as u64 {
                fail_all(
                    lane,
                    Failure::CRASHED,
                    &format!(
                        "the engine worker speaks version {version} of the protocol and the page {VERSION}: reload the page"
                    ),
                );
                return;
            }
            with_client(lane, |c| {
                c.ready = true;
                for t in std::mem::take(&mut c.queue) {
                    post(c, &t);
                }
            })
        }
        Some("progress") => {
            // Taken out while it runs: it may start or cancel requests.
            let f = with_client(lane, |c| {
                c.pending.get_mut(&id).and_then(|p| p.on_progress.take())
            });
            if let Some(f) = f {
                f(
                    reply["done"].as_u64().unwrap_or(0),
                    reply["total"].as_u64().unwrap_or(0),
                    reply["note"].as_str().unwrap_or_default(),
                );
                with_client(lane, |c| {
                    if let Some(p) = c.pending.get_mut(&id) {
                        p.on_progress = Some(f);
                    }
                });
            }
        }
        _ => {}
    }
}

/// Terminates the worker and fails every pending request with `code`.
fn fail_all(lane: Lane, code: &str, message: &str) {
    let pending = with_client(lane, |c| {
        if let Some(w) = c.worker.take() {
            w.terminate();
        }
        c.ready = false;
        c.queue.clear();
        std::mem::take(&mut c.pending)
    });
    for (id, p) in pending {
        let text = serde_json::json!({
            "type": "failed",
            "id": id,
            "error": { "code": code, "message": message },
        })
        .to_string();
        let _ = p.resolve.call1(&JsValue::NULL, &JsValue::from_str(&text));
    }
}
