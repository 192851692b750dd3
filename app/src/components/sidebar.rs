//! The side panel: the selected task's explanation, the services and the task definitions.

use engine::board::{ServiceRow, TaskDefinitionRow};
use leptos::prelude::*;

use super::explain::ExplainPanel;
use super::task_chip::Swatch;
use crate::labels;
use crate::store::use_store;

#[component]
pub fn Sidebar() -> impl IntoView {
    view! {
        <aside class="sidebar" aria-label="Plan details">
            <ExplainPanel />
            <ServicesList />
            <TaskDefinitionsList />
        </aside>
    }
}

#[component]
fn ServicesList() -> impl IntoView {
    let board = use_store().board();
    view! {
        <section class="panel" aria-labelledby="services-title">
            <h2 id="services-title">"Services"</h2>
            {move || {
                let rows = board.with(|b| b.services.clone());
                if rows.is_empty() {
                    view! { <p class="empty">"No services."</p> }.into_any()
                } else {
                    view! {
                        <table class="list" data-testid="services">
                            <thead>
                                <tr>
                                    <th scope="col">"Service"</th>
                                    <th scope="col">"Placed"</th>
                                </tr>
                            </thead>
                            <tbody>{rows.into_iter().map(service_row).collect_view()}</tbody>
                        </table>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

fn service_row(s: ServiceRow) -> impl IntoView {
    let short = s.unplaced > 0;
    view! {
        <tr data-testid="service" data-service=s.name.clone()>
            <th scope="row">
                <span class="name">{s.name.clone()}</span>
                {s.daemon.then(|| view! { <span class="badge">"DAEMON"</span> })}
                <span class="sub">{format!("{} · {}", s.task_definition, s.launch)}</span>
                {(!s.strategy.is_empty()).then(|| view! { <span class="sub">{s.strategy.clone()}</span> })}
                {s.constraints.iter().map(|c| view! { <span class="sub constraint">{c.clone()}</span> }).collect_view()}
            </th>
            <td class:short=short title=format!("{} placed of {} desired", s.placed, s.desired)>
                {format!("{}/{}", s.placed, s.desired)}
            </td>
        </tr>
    }
}

#[component]
fn TaskDefinitionsList() -> impl IntoView {
    let board = use_store().board();
    view! {
        <section class="panel" aria-labelledby="taskdefs-title">
            <h2 id="taskdefs-title">"Task definitions"</h2>
            {move || {
                let (rows, families) = board.with(|b| (b.task_definitions.clone(), b.families.clone()));
                let fam_labels = labels::family_labels(&families);
                if rows.is_empty() {
                    view! { <p class="empty">"No task definitions."</p> }.into_any()
                } else {
                    view! {
                        <table class="list" data-testid="task-definitions">
                            <thead>
                                <tr>
                                    <th scope="col">"Family:revision"</th>
                                    <th scope="col">"CPU"</th>
                                    <th scope="col">"Memory"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows
                                    .into_iter()
                                    .map(|td| {
                                        let label = fam_labels.get(td.family_index).cloned().unwrap_or_default();
                                        task_definition_row(td, label)
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

fn task_definition_row(td: TaskDefinitionRow, label: String) -> impl IntoView {
    let details = format!(
        "{} · {} · {}",
        td.network_mode,
        if td.compatibilities.is_empty() {
            "EC2".to_string()
        } else {
            td.compatibilities.join(", ")
        },
        td.containers.join(", ")
    );
    view! {
        <tr data-testid="task-definition" data-family=td.family.clone()>
            <th scope="row">
                <Swatch family_index=td.family_index label />
                <span class="name">{format!("{}:{}", td.family, td.revision)}</span>
                <span class="sub">{details}</span>
            </th>
            <td>{td.cpu}</td>
            <td>{format!("{} MiB", td.memory)}</td>
        </tr>
    }
}
