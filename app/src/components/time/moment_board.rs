//! (in progress)

use leptos::prelude::*;

#[component]
pub fn MomentBoard() -> impl IntoView {}
