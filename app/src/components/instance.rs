//! A container instance: id, type, capacity provider, status, its registered CPU and memory as
//! bars filled by the tasks placed on it (one block per task, sized by its reservation), the
//! tasks themselves, and its actions (move to another zone, drain or activate, remove).
//!
//! When a task is selected or dragged, the card shows the engine's verdict for it: where it
//! ranks among the instances that passed every filter, or the stage and reason that ruled this
//! instance out.
//!
//! Only the verdict and the drop highlight are reactive. Everything else is written as HTML
//! (see `task_chip.rs` for why) and its buttons have no handlers of their own: they carry
//! `data-action` (`move`, `drain`, `remove`) and the board listens once ([`action`]).

use crate::selector;
use std::fmt::Write as _;
use std::sync::Arc;

use engine::api::board::{InstanceCard, Meter, TaskChip};
use engine::api::edit::Edit;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::board::{timed, use_board_ui, Changes, Verdict};
use super::drag::{Drags, Source};
use super::task_chip::{describe, ChipList};
use super::ui::use_ui;
use crate::labels;
use crate::store::{Command, Store};
use engine::api::text::escape_html as escape;

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
    out: &mut String,
    resource: Resource,
    meter: Meter,
    tasks: &[TaskChip],
    fam_labels: &[String],
    estimated: bool,
) {
    let text = labels::meter_text(&meter, resource.unit());
    let _ = write!(
        out,
        "<div class=\"meter\" data-resource=\"{}\"><div class=\"meter-head\"><span class=\"meter-name\">{}</span>",
        resource.name().to_ascii_lowercase(),
        resource.name()
    );
    if estimated {
        out.push_str("<abbr class=\"estimated\" data-testid=\"memory-estimated\" title=\"Estimated: the registered memory is the planner's estimate for this instance type, not a measured figure\">est.</abbr>");
    }
    let _ = write!(
        out,
        "<span class=\"meter-value\">{text}</span></div><div class=\"bar\" role=\"img\" aria-label=\"{}: {text}{}\">",
        resource.name(),
        if estimated {
            ", registered memory estimated"
        } else {
            ""
        }
    );
    for t in tasks {
        let _ = write!(
            out,
            "<span class=\"block {}\" style=\"width: {:.3}%\" title=\"{}\">{}</span>",
            labels::family_class(t.family_index),
            labels::share(resource.of(t), meter.total),
            escape(&describe(t)),
            escape(fam_labels.get(t.family_index).map_or("", String::as_str)),
        );
    }
    out.push_str("</div></div>");
}

/// The card's header: id, type, status badges.
pub fn head_html(card: &InstanceCard) -> String {
    let mut out = format!(
        "<header class=\"instance-head\"><span class=\"instance-id\" title=\"{}\">{}</span><span class=\"instance-type\">{}</span>",
        escape(&card.id),
        escape(&labels::short_id(&card.id)),
        escape(&card.instance_type)
    );
    if card.draining {
        out.push_str("<span class=\"badge draining\" data-testid=\"draining\">DRAINING</span>");
    }
    if !card.agent_connected {
        out.push_str("<span class=\"badge disconnected\">AGENT DISCONNECTED</span>");
    }
    out.push_str("</header>");
    out
}

/// Everything below the verdict but the actions: capacity provider, bars, ENIs and ports, tasks.
pub fn body_html(
    card: &InstanceCard,
    fam_labels: &[String],
    changes: &Changes,
    selected: Option<&str>,
) -> String {
    let mut out = String::with_capacity(512 + card.tasks.len() * 600);
    let _ = write!(
        out,
        "<p class=\"instance-cp\">{}</p>",
        match &card.capacity_provider {
            Some(cp) => format!("Capacity provider {}", escape(cp)),
            None => "No capacity provider".to_string(),
        }
    );
    resource_bar(
        &mut out,
        Resource::Cpu,
        card.cpu,
        &card.tasks,
        fam_labels,
        false,
    );
    resource_bar(
        &mut out,
        Resource::Memory,
        card.memory,
        &card.tasks,
        fam_labels,
        card.memory_estimated,
    );
    let extra: Vec<String> = [
        card.gpus.map(|m| format!("GPUs {} / {}", m.used, m.total)),
        card.enis.map(|m| format!("ENIs {} / {}", m.used, m.total)),
        (!card.ports.is_empty()).then(|| format!("Ports {}", card.ports.join(", "))),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !extra.is_empty() {
        let _ = write!(
            out,
            "<p class=\"instance-extra\">{}</p>",
            escape(&extra.join(" · "))
        );
    }
    if card.tasks.is_empty() {
        out.push_str("<p class=\"no-tasks\">No tasks</p>");
    } else {
        let chips = ChipList {
            fam_labels,
            launch: "EC2",
            item_testid: None,
            selected,
        }
        .html(&card.tasks, changes);
        let _ = write!(out, "<ul class=\"chips\" aria-label=\"Tasks\">{chips}</ul>");
    }
    out
}

/// The card's buttons: Move (a drag handle), Drain or Activate, Remove. Written apart from the
/// body: a change to the card's tasks does not write them again.
pub fn actions_html(card: &InstanceCard) -> String {
    let mut out = String::with_capacity(800);
    let id = escape(&card.id);
    let (drain, drain_title) = if card.draining {
        ("Activate", "Set the instance back to ACTIVE")
    } else {
        (
            "Drain",
            "Set the instance to DRAINING: its tasks are placed elsewhere",
        )
    };
    let _ = write!(
        out,
        "<div class=\"instance-actions\">\
         <button type=\"button\" class=\"small drag-handle\" data-testid=\"move\" data-action=\"move\" aria-label=\"Move {id} to another zone\" title=\"Drag to another zone, or press Enter and choose a zone with the arrow keys\">⠿ Move</button>\
         <button type=\"button\" class=\"small drain\" data-testid=\"drain\" data-action=\"drain\" data-draining=\"{}\" aria-label=\"{drain} {id}\" title=\"{drain_title}\">{drain}</button>\
         <button type=\"button\" class=\"small\" data-testid=\"remove\" data-action=\"remove\" aria-label=\"Remove {id}\" title=\"Remove the instance: its tasks are placed elsewhere\">Remove</button>\
         </div>",
        card.draining
    );
    out
}

/// What the keyboard drag announces for the card: "instance 0a1b2c (m5.large, us-east-1a)".
pub fn drop_label(card: &InstanceCard, az: &str) -> String {
    format!(
        "instance {} ({}, {az})",
        labels::short_id(&card.id),
        card.instance_type
    )
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
            unfocus_card(&instance);
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
        "[data-testid=instance]{} [data-testid=move]",
        selector::attr("data-instance-id", id)
    ))
}

/// Takes the focus off an element of instance `id`'s card (its Move button, focused by the
/// pointer press) before a move to another zone takes the card out of its lane: Chrome handles
/// a focused element's removal inside the page's update (on the quota plan one `remove()` was
/// 180–270 ms of the move's frame, docs/performance.md). The focus ends on the page's body
/// either way.
fn unfocus_card(id: &str) {
    let Some(active) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
    else {
        return;
    };
    let card = format!(
        "[data-testid=instance]{}",
        selector::attr("data-instance-id", id)
    );
    if active.closest(&card).ok().flatten().is_some() {
        if let Some(h) = active.dyn_ref::<web_sys::HtmlElement>() {
            let _ = h.blur();
        }
    }
}

/// An instance button the event happened in: its action, the instance id and zone, and the
/// button.
fn action_of(ev: &web_sys::Event) -> Option<(String, String, String, web_sys::Element)> {
    let button = ev
        .target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest("[data-testid=instance] [data-action]")
        .ok()??;
    let card = button.closest("[data-testid=instance]").ok()??;
    let lane = card.closest("[data-testid=lane]").ok()??;
    Some((
        button.get_attribute("data-action")?,
        card.get_attribute("data-instance-id")?,
        lane.get_attribute("data-az")?,
        button,
    ))
}

/// The board's one handler for the instance buttons: a press on Move starts a pointer drag; a
/// click on Move starts a keyboard drag (choose a zone); Drain/Activate and Remove are edits.
/// Returns whether the event was an instance action.
pub fn action(ev: &web_sys::Event, store: Store, drags: Drags) -> bool {
    let Some((what, id, az, button)) = action_of(ev) else {
        return false;
    };
    match (ev.type_().as_str(), what.as_str()) {
        ("pointerdown", "move") => {
            if let Some(p) = ev.dyn_ref::<web_sys::PointerEvent>() {
                drags.pointer_down_on(p, &button, move_source(store, &id, &az));
            }
        }
        ("click", "move") => {
            drags.pick(move_source(store, &id, &az), Some(button));
        }
        ("click", "drain") => {
            let draining = button.get_attribute("data-draining").as_deref() == Some("true");
            store.execute(Command::Edit(Edit::SetDraining {
                id,
                draining: !draining,
            }));
        }
        ("click", "remove") => store.execute(Command::Edit(Edit::RemoveInstance { id })),
        _ => return false,
    }
    true
}

#[component]
pub fn InstanceView(
    id: String,
    /// The card as the board has it now: the component stays while its instance is on the board
    /// and writes its parts again when the card changes (cheaper than a new component).
    card: Signal<Option<Arc<InstanceCard>>>,
    az: String,
    fam_labels: Memo<Arc<Vec<String>>>,
) -> impl IntoView {
    let board_ui = use_board_ui();
    let ui = use_ui();
    // Each part is a memo of the card: a change to the card's tasks rewrites the body only,
    // not the head and actions (their HTML is the same).
    let with = move |f: fn(&InstanceCard) -> String| {
        Memo::new(move |_| card.with(|c| c.as_deref().map(f).unwrap_or_default()))
    };
    let aria = with(|c| {
        let status = match (c.draining, c.agent_connected) {
            (true, _) => "draining",
            (false, false) => "agent disconnected",
            _ => "active",
        };
        format!(
            "Instance {} ({}), {status}, {} tasks",
            c.id,
            c.instance_type,
            c.tasks.len()
        )
    });
    let draining = move || card.with(|c| c.as_ref().is_some_and(|c| c.draining));
    let drop_label = {
        let az = az.clone();
        move || card.with(|c| c.as_ref().map(|c| drop_label(c, &az)))
    };
    let body = NodeRef::<leptos::html::Div>::new();
    // The body, written again when the card changes (with the highlights and selection as
    // they are then).
    Effect::new(move |_| {
        let Some(c) = card.get() else { return };
        let Some(part) = body.get() else { return };
        let fam = fam_labels.get_untracked();
        let changes = board_ui.changes_untracked();
        let selected = ui.selected_task.get_untracked();
        part.set_inner_html(&body_html(&c, &fam, &changes, selected.as_deref()));
    });
    view! {
        <article
            class="instance"
            class:draining=draining
            data-testid="instance"
            data-instance-id=id.clone()
            data-drop-kind="instance"
            data-drop-value=id.clone()
            data-drop-label=drop_label
            tabindex="-1"
            aria-label=aria
        >
            <div class="card-part" inner_html=with(head_html)></div>
            <VerdictOverlay id=id.clone() />
            <div class="card-part" node_ref=body></div>
            <div class="card-part" inner_html=with(actions_html)></div>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

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

    #[test]
    fn a_card_is_written_with_its_bars_chips_and_actions() {
        let plan = crate::persist::default_plan();
        let p = engine::api::placement::place(
            &plan,
            &engine::api::placement::PlaceOptions::for_plan(&plan),
        );
        let b = engine::api::board::board(&plan, &p);
        let card = b
            .lanes
            .iter()
            .flat_map(|l| &l.instances)
            .find(|c| c.tasks.len() > 1)
            .unwrap();
        let labels = labels::family_labels(&b.families);
        let body = body_html(card, &labels, &Arc::new(HashMap::new()), None);
        let n = card.tasks.len();
        assert_eq!(
            body.matches("class=\"block ").count(),
            2 * n,
            "a block per task per bar"
        );
        assert_eq!(body.matches("data-testid=\"task\"").count(), n);
        let actions = actions_html(card);
        for a in ["move", "drain", "remove"] {
            assert!(actions.contains(&format!("data-action=\"{a}\"")), "{a}");
            assert!(!body.contains(&format!("data-action=\"{a}\"")), "{a}");
        }
        assert!(head_html(card).contains(&format!("title=\"{}\"", card.id)));
    }
}
