//! Why a task is where it is: the engine's explanation of the selected task, every instance
//! with its verdict (ruled out at which stage and why, or its rank and strategy scores). The
//! board shows the same verdicts on the instance cards.

use engine::api::placement::Explanation;
use leptos::prelude::*;

use super::ui::use_ui;
use crate::labels;
use crate::store::use_store;

#[component]
pub fn ExplainPanel() -> impl IntoView {
    let store = use_store();
    let ui = use_ui();
    let explanation = Memo::new(move |_| {
        // Re-explain when the plan changes too (the board memo changes with it).
        store.board().track();
        ui.selected_task.get().and_then(|id| store.explain(&id))
    });
    move || {
        explanation.get().map(|e| {
            view! {
                <section class="panel explain" aria-labelledby="explain-title" data-testid="explain">
                    <div class="panel-head">
                        <h2 id="explain-title">{format!("Task {}", e.task)}</h2>
                        <button type="button" class="close" on:click=move |_| ui.selected_task.set(None)>
                            "Close"
                        </button>
                    </div>
                    <ExplainBody e />
                </section>
            }
        })
    }
}

#[component]
fn ExplainBody(e: Explanation) -> impl IntoView {
    let rows = e
        .instances
        .iter()
        .map(|v| {
            let verdict = if v.chosen {
                "chosen".to_string()
            } else if v.passed {
                v.rank.map(|r| format!("passed, rank {r}")).unwrap_or_else(|| "passed".into())
            } else {
                format!("ruled out at {}", v.stage.map(|s| s.to_string()).unwrap_or_default())
            };
            view! {
                <li class:chosen=v.chosen class:failed=!v.passed data-testid="verdict" data-instance-id=v.instance.clone()>
                    <span class="verdict-instance" title=v.instance.clone()>
                        {format!("{} · {} · {}", labels::short_id(&v.instance), v.instance_type, v.availability_zone)}
                    </span>
                    <span class="verdict">{verdict}</span>
                    {v.reason.clone().map(|r| view! { <span class="sub">{r}</span> })}
                    {(!v.scores.is_empty())
                        .then(|| {
                            let scores = v
                                .scores
                                .iter()
                                .map(|s| format!("{}: {}", s.rule, s.text))
                                .collect::<Vec<_>>()
                                .join(" · ");
                            view! { <span class="sub scores">{scores}</span> }
                        })}
                </li>
            }
        })
        .collect_view();
    view! {
        <p class="outcome">{e.outcome.clone()}</p>
        <dl class="facts">
            <dt>"Task definition"</dt>
            <dd>{e.task_definition.clone()}</dd>
            <dt>"Launch"</dt>
            <dd>{e.launch.clone()}</dd>
            <dt>"Reserves"</dt>
            <dd>{format!("{} CPU units, {} MiB", e.demand.cpu, e.demand.memory)}</dd>
            <dt>"Strategy"</dt>
            <dd>{e.strategy.clone()}</dd>
            {(!e.constraints.is_empty())
                .then(|| {
                    view! {
                        <dt>"Constraints"</dt>
                        <dd>{e.constraints.join("; ")}</dd>
                    }
                })}
        </dl>
        {(!e.instances.is_empty()).then(|| view! { <ol class="verdicts">{rows}</ol> })}
        {e.notes.iter().map(|n| view! { <p class="note">{n.clone()}</p> }).collect_view()}
        <p class="note" data-testid="drop-note">
            "Verdicts are for the moment ECS placed this task (the tasks placed before it count). Dragging a task onto an instance asks where ECS would place it; it changes nothing, because ECS has no way to pin a task to an instance."
        </p>
    }
}
