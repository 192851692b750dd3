//! (in progress)

use leptos::prelude::*;

#[component]
pub fn Callouts() -> impl IntoView {}

#[component]
pub fn EventsList() -> impl IntoView {}
