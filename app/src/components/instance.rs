//! A container instance: id, type, capacity provider, status, its registered CPU and memory as
//! bars filled by the tasks placed on it (one block per task, sized by its reservation), the
//! tasks themselves, and its actions (move to another zone, drain or activate, remove).
//!
//! When a task is selected or dragged, the card shows the engine's verdict for it: where it
//! ranks among the instances that passed every filter, or the stage and reason that ruled this
//! instance out.

use std::sync::Arc;

use engine::board::{InstanceCard, Meter, TaskChip};
use engine::edit::Edit;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::board::{timed, use_board_ui, Verdict};
use super::drag::{use_drags, Source};
use super::task_chip::{describe, TaskChipView};
use crate::labels;
use crate::store::{use_store, Command, Store};

/// Which reservation a bar shows.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Cpu,
    Memory,
}

impl Resource {
    fn name(self) -> &'static str {
        match self {
            Resource::Cpu => "CPU",
            Resource::Memory => "Memory",
        }
    }

    fn unit(self) -> &'static str {
        match self {
            Resource::Cpu => "CPU units",
            Resource::Memory => "MiB",
        }
    }

    fn of(self, t: &TaskChip) -> u32 {
        match self {
            Resource::Cpu => t.cpu,
            Resource::Memory => t.memory,
        }
    }
}

/// A bar: the registered total, filled by one block per task.
fn resource_bar(
    resource: Resource,
    meter: Meter,
    tasks: &[TaskChip],
    fam_labels: &[String],
    estimated: bool,
) -> impl IntoView {
    let text = labels::meter_text(&meter, resource.unit());
    let aria = format!(
        "{}: {text}{}",
        resource.name(),
        if estimated {
            ", registered memory estimated"
        } else {
            ""
        }
    );
    let blocks = tasks
        .iter()
        .map(|t| {
            let width = labels::share(resource.of(t), meter.total);
            let label = fam_labels.get(t.family_index).cloned().unwrap_or_default();
            view! {
                <span
                    class=format!("block {}", labels::family_class(t.family_index))
                    style=format!("width: {width:.3}%")
                    title=describe(t)
                >
                    {label}
                </span>
            }
        })
        .collect_view();
    view! {
        <div class="meter" data-resource=resource.name().to_ascii_lowercase()>
            <div class="meter-head">
                <span class="meter-name">{resource.name()}</span>
                {estimated
                    .then(|| {
                        view! {
                            <abbr
                                class="estimated"
                                data-testid="memory-estimated"
                                title="Estimated: the registered memory is the planner's estimate for this instance type, not a measured figure"
                            >
                                "est."
                            </abbr>
                        }
                    })}
                <span class="meter-value">{text}</span>
            </div>
            <div class="bar" role="img" aria-label=aria>
                {blocks}
            </div>
        </div>
    }
}

/// The verdict line on a card: "✓ web-2 is here · rank 1 of 3", "✓ passes · rank 2 of 3",
/// "✗ resources: memory: needs 2048 MiB, 1500 MiB free".
pub fn verdict_text(task: &str, v: &Verdict) -> String {
    if v.chosen {
        format!("✓ {task} is here · rank 1 of {}", v.of)
    } else if v.passed {
        format!("✓ passes · rank {} of {}", v.rank.unwrap_or_default(), v.of)
    } else {
        format!(
            "✗ {}: {}",
            v.stage.as_deref().unwrap_or("ruled out"),
            v.reason.as_deref().unwrap_or_default()
        )
    }
}

#[component]
fn VerdictOverlay(id: String) -> impl IntoView {
    let board_ui = use_board_ui();
    move || {
        board_ui.verdict(&id).map(|(task, v)| {
            let kind = if v.chosen {
                "chosen"
            } else if v.passed {
                "pass"
            } else {
                "fail"
            };
            let title = if v.passed {
                v.scores.clone()
            } else {
                String::new()
            };
            view! {
                <p class="verdict-overlay" data-testid="verdict-overlay" data-verdict=kind title=title>
                    {verdict_text(&task, &v)}
                </p>
            }
        })
    }
}

/// Dragging an instance (by its Move handle) to another zone.
fn move_source(store: Store, id: &str, az: &str) -> Source {
    let instance = id.to_string();
    Source::new(
        "instance",
        id,
        format!("instance {}", labels::short_id(id)),
        &["zone"],
        move |_, t| {
            timed(
                "move instance",
                store,
                Command::Edit(Edit::MoveInstance {
                    id: instance.clone(),
                    availability_zone: t.value,
                }),
            )
        },
    )
    .exclude(az)
    .refocus(format!(
        "[data-testid=instance][data-instance-id=\"{id}\"] [data-testid=move]"
    ))
}

#[component]
pub fn InstanceView(
    card: Arc<InstanceCard>,
    az: String,
    fam_labels: Arc<Vec<String>>,
) -> impl IntoView {
    let store = use_store();
    let drags = use_drags();
    let status = match (card.draining, card.agent_connected) {
        (true, _) => "draining",
        (false, false) => "agent disconnected",
        _ => "active",
    };
    let aria = format!(
        "Instance {} ({}), {status}, {} tasks",
        card.id,
        card.instance_type,
        card.tasks.len()
    );
    let extra: Vec<String> = [
        card.gpus.map(|m| format!("GPUs {} / {}", m.used, m.total)),
        card.enis.map(|m| format!("ENIs {} / {}", m.used, m.total)),
        (!card.ports.is_empty()).then(|| format!("Ports {}", card.ports.join(", "))),
    ]
    .into_iter()
    .flatten()
    .collect();
    let chips = card
        .tasks
        .iter()
        .map(|t| {
            let label = fam_labels.get(t.family_index).cloned().unwrap_or_default();
            view! { <TaskChipView task=t.clone() label /> }
        })
        .collect_view();
    let id = card.id.clone();
    let over = {
        let id = id.clone();
        move || drags.is_over("instance", &id)
    };
    let move_down = {
        let (id, az) = (id.clone(), az.clone());
        move |ev: leptos::ev::PointerEvent| drags.pointer_down(&ev, move_source(store, &id, &az))
    };
    let move_click = {
        let (id, az) = (id.clone(), az.clone());
        move |ev: leptos::ev::MouseEvent| {
            let from = ev
                .current_target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
            drags.pick(move_source(store, &id, &az), from);
        }
    };
    let remove = {
        let id = id.clone();
        move |_| store.execute(Command::Edit(Edit::RemoveInstance { id: id.clone() }))
    };
    view! {
        <article
            class="instance"
            class:draining=card.draining
            class:drop-over=over
            data-testid="instance"
            data-instance-id=id.clone()
            data-drop-kind="instance"
            data-drop-value=id.clone()
            data-drop-label=format!("instance {} ({}, {az})", labels::short_id(&id), card.instance_type)
            tabindex="-1"
            aria-label=aria
        >
            <header class="instance-head">
                <span class="instance-id" title=id.clone()>{labels::short_id(&id)}</span>
                <span class="instance-type">{card.instance_type.clone()}</span>
                {card.draining.then(|| view! { <span class="badge draining" data-testid="draining">"DRAINING"</span> })}
                {(!card.agent_connected)
                    .then(|| view! { <span class="badge disconnected">"AGENT DISCONNECTED"</span> })}
            </header>
            <VerdictOverlay id=id.clone() />
            <p class="instance-cp">
                {match &card.capacity_provider {
                    Some(cp) => format!("Capacity provider {cp}"),
                    None => "No capacity provider".to_string(),
                }}
            </p>
            {resource_bar(Resource::Cpu, card.cpu, &card.tasks, &fam_labels, false)}
            {resource_bar(Resource::Memory, card.memory, &card.tasks, &fam_labels, card.memory_estimated)}
            {(!extra.is_empty()).then(|| view! { <p class="instance-extra">{extra.join(" · ")}</p> })}
            {if card.tasks.is_empty() {
                view! { <p class="no-tasks">"No tasks"</p> }.into_any()
            } else {
                view! { <ul class="chips" aria-label="Tasks">{chips}</ul> }.into_any()
            }}
            <div class="instance-actions">
                <button
                    type="button"
                    class="small drag-handle"
                    data-testid="move"
                    aria-label=format!("Move {id} to another zone")
                    title="Drag to another zone, or press Enter and choose a zone with the arrow keys"
                    on:pointerdown=move_down
                    on:click=move_click
                >
                    "⠿ Move"
                </button>
                <DrainToggle id=id.clone() draining=card.draining />
                <button
                    type="button"
                    class="small"
                    data-testid="remove"
                    aria-label=format!("Remove {id}")
                    title="Remove the instance: its tasks are placed elsewhere"
                    on:click=remove
                >
                    "Remove"
                </button>
            </div>
        </article>
    }
}

/// Drains an instance (its tasks are placed elsewhere), or makes it active again.
#[component]
fn DrainToggle(id: String, draining: bool) -> impl IntoView {
    let store = use_store();
    let label = if draining { "Activate" } else { "Drain" };
    let aria = format!("{label} {id}");
    view! {
        <button
            type="button"
            class="small drain"
            data-testid="drain"
            aria-label=aria
            title=if draining {
                "Set the instance back to ACTIVE"
            } else {
                "Set the instance to DRAINING: its tasks are placed elsewhere"
            }
            on:click=move |_| {
                store
                    .execute(
                        Command::Edit(Edit::SetDraining {
                            id: id.clone(),
                            draining: !draining,
                        }),
                    )
            }
        >
            {label}
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_lines() {
        let v = Verdict {
            passed: true,
            chosen: false,
            rank: Some(2),
            of: 3,
            stage: None,
            reason: None,
            scores: String::new(),
        };
        assert_eq!(verdict_text("web-2", &v), "✓ passes · rank 2 of 3");
        let chosen = Verdict {
            chosen: true,
            rank: Some(1),
            ..v.clone()
        };
        assert_eq!(
            verdict_text("web-2", &chosen),
            "✓ web-2 is here · rank 1 of 3"
        );
        let fail = Verdict {
            passed: false,
            rank: None,
            stage: Some("resources".into()),
            reason: Some("memory: needs 2048 MiB, 1500 MiB free".into()),
            ..v
        };
        assert_eq!(
            verdict_text("web-2", &fail),
            "✗ resources: memory: needs 2048 MiB, 1500 MiB free"
        );
    }
}
