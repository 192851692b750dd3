//! How the board places after an edit, and the way to place everything afresh.
//!
//! Edits keep running tasks where they are (ECS does not move a running task when the cluster
//! changes); only new, displaced and pending tasks are placed, and services that spread by zone
//! are rebalanced across zones. "Place afresh" places the whole
//! plan as on a new cluster, the answer to "where would ECS put all of this from scratch?".

use leptos::prelude::*;

use super::board::timed;
use crate::store::{use_store, Command};

#[component]
pub fn PlaceAfresh() -> impl IntoView {
    let store = use_store();
    view! {
        <p class="place-mode" data-testid="place-mode">
            <span title="ECS places new and displaced tasks and leaves running ones where they are. A service whose first strategy spreads by zone is also rebalanced across zones (Availability Zone rebalancing, on by default for a new service): tasks move from the fullest zone to the emptiest with room.">
                "Edits keep running tasks where they are, as ECS does."
            </span>
            <button
                type="button"
                class="small"
                data-testid="place-afresh"
                title="Place every task again, as ECS would on a new cluster (undo brings the board back)"
                on:click=move |_| timed("place afresh", store, Command::PlaceAfresh)
            >
                "Place afresh"
            </button>
        </p>
    }
}
