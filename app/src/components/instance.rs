//! A container instance: id, type, capacity provider, status, and its registered CPU and
//! memory as bars filled by the tasks placed on it (one block per task, sized by its
//! reservation), then the tasks themselves.

use engine::board::{InstanceCard, Meter, TaskChip};
use leptos::prelude::*;

use super::task_chip::{describe, TaskChipView};
use crate::labels;
use crate::store::{use_store, Command};
use engine::edit::Edit;

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
#[component]
pub fn ResourceBar(
    resource: Resource,
    meter: Meter,
    tasks: Vec<TaskChip>,
    fam_labels: Vec<String>,
    #[prop(optional)] estimated: bool,
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

#[component]
pub fn InstanceView(card: InstanceCard, fam_labels: Vec<String>) -> impl IntoView {
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
    view! {
        <article
            class="instance"
            class:draining=card.draining
            data-testid="instance"
            data-instance-id=card.id.clone()
            aria-label=aria
        >
            <header class="instance-head">
                <span class="instance-id" title=card.id.clone()>{labels::short_id(&card.id)}</span>
                <span class="instance-type">{card.instance_type.clone()}</span>
                {card.draining.then(|| view! { <span class="badge draining" data-testid="draining">"DRAINING"</span> })}
                {(!card.agent_connected)
                    .then(|| view! { <span class="badge disconnected">"AGENT DISCONNECTED"</span> })}
                <DrainToggle id=card.id.clone() draining=card.draining />
            </header>
            <p class="instance-cp">
                {match &card.capacity_provider {
                    Some(cp) => format!("Capacity provider {cp}"),
                    None => "No capacity provider".to_string(),
                }}
            </p>
            <ResourceBar resource=Resource::Cpu meter=card.cpu tasks=card.tasks.clone() fam_labels=fam_labels.clone() />
            <ResourceBar
                resource=Resource::Memory
                meter=card.memory
                tasks=card.tasks.clone()
                fam_labels=fam_labels.clone()
                estimated=card.memory_estimated
            />
            {(!extra.is_empty()).then(|| view! { <p class="instance-extra">{extra.join(" · ")}</p> })}
            {if card.tasks.is_empty() {
                view! { <p class="no-tasks">"No tasks"</p> }.into_any()
            } else {
                view! { <ul class="chips" aria-label="Tasks">{chips}</ul> }.into_any()
            }}
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
            class="drain"
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
