//! The cluster board: a legend of task-definition families, one lane per Availability Zone
//! (its container instances, then its Fargate tasks), the tray of tasks that found no place,
//! and a polite live status line saying what placement did.

use engine::board::{Lane, TaskChip};
use leptos::prelude::*;

use super::instance::InstanceView;
use super::task_chip::{Swatch, TaskChipView};
use crate::labels;
use crate::store::use_store;
use crate::web;

#[component]
pub fn BoardView() -> impl IntoView {
    let store = use_store();
    let board = store.board();
    let fam_labels = Memo::new(move |_| board.with(|b| labels::family_labels(&b.families)));

    // Ready once the first board is in the DOM (effects run after rendering).
    let ready_at = RwSignal::new(None::<f64>);
    Effect::new(move |_| {
        if ready_at.get_untracked().is_none() {
            ready_at.set(Some(web::now_ms()));
        }
    });

    view! {
        <section class="board-area" aria-labelledby="board-title">
            <div class="board-head">
                <h2 id="board-title">"Cluster"</h2>
                <Legend fam_labels />
            </div>
            <p class="status" role="status" aria-live="polite" data-testid="status">
                {move || board.with(|b| b.summary())}
            </p>
            <div
                id="board"
                class="lanes"
                data-ready=move || ready_at.get().is_some().to_string()
                data-ready-ms=move || ready_at.get().map(|t| format!("{t:.0}"))
            >
                {move || {
                    let l = fam_labels.get();
                    board
                        .with(|b| b.lanes.clone())
                        .into_iter()
                        .map(|lane| view! { <LaneView lane fam_labels=l.clone() /> })
                        .collect_view()
                }}
                {move || {
                    board
                        .with(|b| b.lanes.is_empty())
                        .then(|| view! { <p class="empty">"This plan has no Availability Zones."</p> })
                }}
            </div>
            {move || {
                let l = fam_labels.get();
                view! { <UnplacedTray tasks=board.with(|b| b.unplaced.clone()) fam_labels=l /> }
            }}
        </section>
    }
}

/// Families with their colour, pattern and label.
#[component]
fn Legend(fam_labels: Memo<Vec<String>>) -> impl IntoView {
    let board = use_store().board();
    view! {
        <ul class="legend" aria-label="Task definition families" data-testid="legend">
            {move || {
                let l = fam_labels.get();
                board
                    .with(|b| b.families.clone())
                    .into_iter()
                    .enumerate()
                    .map(|(i, family)| {
                        let label = l.get(i).cloned().unwrap_or_default();
                        view! {
                            <li>
                                <Swatch family_index=i label />
                                <span>{family}</span>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}

#[component]
fn LaneView(lane: Lane, fam_labels: Vec<String>) -> impl IntoView {
    let az = lane.availability_zone.clone();
    let n = lane.instances.len();
    let empty = lane.instances.is_empty() && lane.fargate.is_empty();
    let instances = lane
        .instances
        .into_iter()
        .map(|card| view! { <InstanceView card fam_labels=fam_labels.clone() /> })
        .collect_view();
    let fargate = (!lane.fargate.is_empty()).then(|| {
        let count = lane.fargate.len();
        let chips = lane
            .fargate
            .iter()
            .map(|t| {
                let label = fam_labels.get(t.family_index).cloned().unwrap_or_default();
                view! { <TaskChipView task=t.clone() label launch="FARGATE" /> }
            })
            .collect_view();
        view! {
            <div class="fargate" data-testid="fargate">
                <h4>"AWS Fargate" <span class="count">{count}</span></h4>
                <ul class="chips" aria-label="Fargate tasks">{chips}</ul>
            </div>
        }
    });
    view! {
        <section class="lane" data-testid="lane" data-az=az.clone() aria-label=format!("Availability Zone {az}")>
            <h3 class="lane-title">
                <span>{az.clone()}</span>
                <span class="count">{format!("{n} instance{}", if n == 1 { "" } else { "s" })}</span>
            </h3>
            {instances}
            {fargate}
            {empty.then(|| view! { <p class="empty">"Nothing runs in this zone."</p> })}
        </section>
    }
}

/// Tasks that could not be placed, each with the engine's reasons.
#[component]
fn UnplacedTray(tasks: Vec<TaskChip>, fam_labels: Vec<String>) -> impl IntoView {
    let n = tasks.len();
    let items = tasks
        .into_iter()
        .map(|t| {
            let label = fam_labels.get(t.family_index).cloned().unwrap_or_default();
            let reasons = t.reasons.clone();
            let provisioning = t.provisioning;
            let id = t.id.clone();
            view! {
                <li class="unplaced-task" data-testid="unplaced-task" data-task-id=id>
                    <ul class="chips">
                        <TaskChipView task=t label launch="UNPLACED" />
                    </ul>
                    {provisioning
                        .then(|| {
                            view! {
                                <span class="badge provisioning" title="Waiting for the capacity provider to add instances">
                                    "PROVISIONING"
                                </span>
                            }
                        })}
                    <ul class="reasons">
                        {reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                    </ul>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="unplaced" class:has-tasks={n > 0} data-testid="unplaced" data-count=n aria-labelledby="unplaced-title">
            <h3 id="unplaced-title">
                "Unplaced tasks " <span class="count">{n}</span>
            </h3>
            {if n == 0 {
                view! { <p class="empty">"Every task found a place."</p> }.into_any()
            } else {
                view! { <ul class="unplaced-list">{items}</ul> }.into_any()
            }}
        </section>
    }
}
