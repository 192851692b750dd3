//! Placeholder UI: mounts to `<body>` and marks the board ready.
//! The real user interface replaces this file.

use leptos::prelude::*;

#[component]
fn App() -> impl IntoView {
    view! {
        <main id="app">
            <h1>"ECS Planner"</h1>
            <div id="board" data-ready="true"></div>
        </main>
    }
}

fn main() {
    leptos::mount::mount_to_body(App);
}
