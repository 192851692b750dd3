//! (in progress)

use leptos::prelude::*;

#[component]
pub fn LoadCurves() -> impl IntoView {}
