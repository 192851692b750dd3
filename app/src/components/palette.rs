//! The instance palette: the engine's catalog, searchable (name, family, size, `arm64`, `gpu`,
//! `burstable`, `compute`, ...; see `Catalog::search`), each type with its vCPUs and memory.
//! Drag a type into an Availability Zone lane to add an instance there; or press Enter on it,
//! choose a lane with the arrow keys and press Enter again (Escape cancels).

use engine::api::catalog::{Architecture, Catalog, InstanceType};
use engine::api::edit::{launching_capacity_provider, Edit};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::board::{timed, use_board_ui, BoardUi};
use super::drag::{use_drags, Source};
use crate::store::{use_store, Command, Store};

/// How many matches the palette lists (the catalog has about 200 types).
const SHOWN: usize = 40;

/// What a palette item shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub name: String,
    /// "2 vCPU · 8 GiB"
    pub size: String,
    /// "arm64", "GPU ×1", "burstable".
    pub tags: Vec<String>,
}

/// Memory in GiB without trailing zeros: 8192 → "8", 512 → "0.5", 3840 → "3.75".
pub fn gib(mib: u32) -> String {
    let g = mib as f64 / 1024.0;
    let s = format!("{g:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

impl Item {
    pub fn of(t: &InstanceType) -> Item {
        let mut tags = Vec::new();
        if t.architecture == Architecture::Arm64 {
            tags.push("arm64".to_string());
        }
        if t.gpus > 0 {
            tags.push(format!("GPU ×{}", t.gpus));
        }
        if t.burstable {
            tags.push("burstable".to_string());
        }
        Item {
            name: t.name.to_string(),
            size: format!("{} vCPU · {} GiB", t.vcpus, gib(t.memory_mib)),
            tags,
        }
    }
}

/// The first [`SHOWN`] matches of `query` and how many there are in all.
pub fn search(query: &str) -> (Vec<Item>, usize) {
    let mut n = 0;
    let mut items = Vec::new();
    for t in Catalog::builtin().search(query) {
        if n < SHOWN {
            items.push(Item::of(t));
        }
        n += 1;
    }
    (items, n)
}

/// Dropping a type on a zone adds one instance there, in the capacity provider whose Auto
/// Scaling group would launch it (as if the group had scaled out), if any.
fn add_source(store: Store, board_ui: BoardUi, name: &str) -> Source {
    let instance_type = name.to_string();
    Source::new("instance-type", name, name, &["zone"], move |_, t| {
        let az = t.value;
        let (capacity_provider, has_providers) = store.with_plan(|p| {
            (
                launching_capacity_provider(p, &instance_type, &az),
                !p.cluster.capacity_providers.is_empty(),
            )
        });
        let outside = capacity_provider.is_none() && has_providers;
        let before = store.revision().get_untracked();
        timed(
            "add instance",
            store,
            Command::Edit(Edit::AddInstances {
                instance_type: instance_type.clone(),
                availability_zone: az.clone(),
                count: 1,
                capacity_provider,
            }),
        );
        if outside && store.revision().get_untracked() != before {
            board_ui.add_note(format!(
                "No Auto Scaling group of this cluster launches {instance_type} in {az}, so the new instance belongs to no capacity provider: only tasks of the EC2 launch type can run there."
            ));
        }
    })
}

#[component]
pub fn Palette() -> impl IntoView {
    let query = RwSignal::new(String::new());
    let found = Memo::new(move |_| query.with(|q| search(q)));
    view! {
        <section class="palette" aria-labelledby="palette-title" data-testid="palette">
            <div class="palette-head">
                <h3 id="palette-title">"Add instances"</h3>
                <input
                    type="search"
                    id="palette-search"
                    data-testid="palette-search"
                    placeholder="m5, arm64, gpu, 2xlarge…"
                    aria-label="Search instance types"
                    aria-keyshortcuts="/"
                    autocomplete="off"
                    spellcheck="false"
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
                <p class="hint" id="palette-hint">
                    "Drag a type into a zone, or press Enter on it and choose the zone with the arrow keys."
                </p>
            </div>
            <ul class="palette-list" aria-label="Instance types" aria-describedby="palette-hint">
                <For
                    each=move || found.with(|(items, _)| items.clone())
                    key=|i| i.name.clone()
                    children=move |item| view! { <PaletteItem item /> }
                />
            </ul>
            <p class="palette-more" data-testid="palette-count">
                {move || {
                    found
                        .with(|(items, n)| match (*n, items.len()) {
                            (0, _) => "No instance type matches: try a family (m5), a size (xlarge), arm64 or gpu.".to_string(),
                            (n, shown) if n > shown => format!("{shown} of {n} types: type to narrow the list."),
                            (n, _) => format!("{n} type{}", if n == 1 { "" } else { "s" }),
                        })
                }}
            </p>
        </section>
    }
}

#[component]
fn PaletteItem(item: Item) -> impl IntoView {
    let store = use_store();
    let drags = use_drags();
    let board_ui = use_board_ui();
    let name = item.name.clone();
    let down = {
        let name = name.clone();
        move |ev: leptos::ev::PointerEvent| {
            drags.pointer_down(&ev, add_source(store, board_ui, &name))
        }
    };
    let pick = {
        let name = name.clone();
        move |ev: leptos::ev::MouseEvent| {
            let from = ev
                .current_target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
            drags.pick(add_source(store, board_ui, &name), from);
        }
    };
    let aria = format!(
        "{}, {}{}",
        item.name,
        item.size.replace('·', ","),
        if item.tags.is_empty() {
            String::new()
        } else {
            format!(", {}", item.tags.join(", "))
        }
    );
    view! {
        <li>
            <button
                type="button"
                class="palette-item drag-handle"
                data-testid="palette-item"
                data-instance-type=name
                aria-label=aria
                on:pointerdown=down
                on:click=pick
            >
                <span class="palette-name">{item.name.clone()}</span>
                <span class="palette-size">{item.size.clone()}</span>
                {item.tags.iter().map(|t| view! { <span class="tag">{t.clone()}</span> }).collect_view()}
            </button>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_show_size_and_tags() {
        assert_eq!(gib(8192), "8");
        assert_eq!(gib(512), "0.5");
        assert_eq!(gib(3840), "3.75");
        let (items, n) = search("m5.large");
        assert!(n >= 1);
        assert_eq!(items[0].name, "m5.large");
        assert_eq!(items[0].size, "2 vCPU · 8 GiB");
        let (arm, _) = search("arm64");
        assert!(arm.iter().all(|i| i.tags.contains(&"arm64".to_string())));
        let (gpu, _) = search("gpu");
        assert!(gpu
            .iter()
            .all(|i| i.tags.iter().any(|t| t.starts_with("GPU"))));
        let (all, n) = search("");
        assert_eq!(all.len(), SHOWN);
        assert!(n > SHOWN);
        assert_eq!(search("nothing-like-this").1, 0);
    }
}
