//! (in progress)

use leptos::prelude::*;

#[component]
pub fn PolicyCards() -> impl IntoView {}
