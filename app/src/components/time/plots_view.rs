//! (in progress)

use leptos::prelude::*;

#[component]
pub fn PlotsView() -> impl IntoView {}
