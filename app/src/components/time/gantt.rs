//! (in progress)

use leptos::prelude::*;

#[component]
pub fn Gantt() -> impl IntoView {}
