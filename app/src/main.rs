//! ECS Planner's user interface: Leptos, client-side rendered, built for wasm32 by trunk.
//!
//! The engine computes everything the page shows; this crate holds the store of domain values
//! ([`store::Store`]: the current plan and what the engine derives from it), the view state,
//! and small components that draw them.

mod components;
mod history;
mod labels;
mod persist;
mod plots;
mod samples;
mod selector;
mod store;
mod web;
mod worker;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(components::app::App);
}
