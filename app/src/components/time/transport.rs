//! (in progress)

use leptos::prelude::*;

#[component]
pub fn ScenarioForm() -> impl IntoView {}

#[component]
pub fn RunStatus() -> impl IntoView {}

#[component]
pub fn Transport() -> impl IntoView {}
