//! The service editor: desired count, launch type or capacity provider strategy (base and
//! weight), the placement strategy chain, the placement constraints (with the query editor),
//! and the deployment configuration. The engine's findings about the service show next to the
//! field they are about: one base only, weights, Fargate and Auto Scaling group providers
//! mixed, strategy fields, query syntax, "a deployment cannot make progress".

use engine::api::edit::Edit;
use engine::api::findings::JsonPath;
use engine::api::plan::{
    CapacityProviderStrategyItem, PlacementConstraint, PlacementConstraintType, PlacementStrategy,
    SchedulingStrategy, Service, FARGATE_PROVIDERS,
};
use engine::api::schema::Shapes;
use leptos::prelude::*;
use serde_json::{json, Value};

use super::cql::QueryEditor;
use super::model::{self, parse_number, Number, SERVICE_FIELDS};
use super::strategy::StrategyChain;
use super::{use_editor, EditorCtx, EditorFrame, FieldFindings};
use crate::store::{use_store, Store};

/// The service being edited, with its index in the plan.
type Current = Memo<Option<(usize, Service)>>;

#[component]
pub fn ServiceEditor(name: String) -> impl IntoView {
    let store = use_store();
    let plan = store.plan();
    let n = name.clone();
    let current: Current = Memo::new(move |_| {
        plan.with(|p| {
            let i = p.services.iter().position(|s| s.service_name == n)?;
            Some((i, p.services[i].clone()))
        })
    });
    let findings = Memo::new(move |_| {
        let Some(i) = current.with(|c| c.as_ref().map(|(i, _)| *i)) else {
            return Vec::new();
        };
        plan.with(|p| {
            model::findings_for(
                &engine::api::rules::check_plan(p),
                &JsonPath::root().key("services").index(i),
                SERVICE_FIELDS,
            )
        })
    });
    provide_context(EditorCtx::new(findings));
    let title = Signal::derive({
        let name = name.clone();
        move || format!("Service {name}")
    });
    // Re-drawn only when the service appears or goes (its fields follow it on their own).
    let exists = Memo::new(move |_| current.with(Option::is_some));
    view! {
        <EditorFrame title testid="service-editor">
            {move || {
                if !exists.get() {
                    return view! { <p class="empty">"This service is no longer in the plan."</p> }.into_any();
                }
                view! {
                    <Basics current />
                    <Launch current />
                    <Placement current />
                    <Deployment current />
                }
                    .into_any()
            }}
        </EditorFrame>
    }
}

/// The service as JSON, changed by `f`, as one named edit.
fn update(
    store: Store,
    ctx: EditorCtx,
    current: Current,
    change: String,
    f: impl FnOnce(&mut Value),
) {
    let Some((index, svc)) = current.get_untracked() else {
        return;
    };
    let Ok(mut json) = serde_json::to_value(&svc) else {
        return;
    };
    let before = json.clone();
    f(&mut json);
    if json != before {
        ctx.commit(
            store,
            Edit::UpdateService {
                index,
                json,
                change: Some(change),
            },
        );
    }
}

/// Task definition, scheduling and desired count.
#[component]
fn Basics(current: Current) -> impl IntoView {
    let store = use_store();
    let ctx = use_editor();
    let svc = move || current.get().map(|(_, s)| s);
    let daemon =
        move || svc().and_then(|s| s.scheduling_strategy) == Some(SchedulingStrategy::Daemon);
    let error = RwSignal::new(None::<String>);
    let set_count = move |ev: leptos::ev::Event| {
        let Some((_, s)) = current.get_untracked() else {
            return;
        };
        match parse_number(&event_target_value(&ev)) {
            Number::Whole(n) if (0..=u32::MAX as i64).contains(&n) => {
                error.set(None);
                if s.desired_count != Some(n as u32) {
                    ctx.commit(
                        store,
                        Edit::SetDesiredCount {
                            service: s.service_name.clone(),
                            desired_count: n as u32,
                        },
                    );
                }
            }
            _ => error.set(Some("a whole number of tasks, 0 or more".into())),
        }
    };
    view! {
        <section class="editor-section" aria-labelledby="svc-basics">
            <h3 id="svc-basics">"Tasks"</h3>
            <dl class="facts">
                <dt>"Task definition"</dt>
                <dd>{move || svc().and_then(|s| s.task_definition).unwrap_or_else(|| "(none)".into())}</dd>
                <dt>"Scheduling"</dt>
                <dd>{move || if daemon() { "DAEMON: one task on every instance" } else { "REPLICA" }}</dd>
            </dl>
            <Show when=move || !daemon()>
                <div class="field compact">
                    <label for="svc-desired">"Desired count"</label>
                    <input
                        id="svc-desired"
                        type="number"
                        min="0"
                        step="1"
                        data-testid="desired-count"
                        prop:value=move || svc().and_then(|s| s.desired_count).map(|n| n.to_string()).unwrap_or_default()
                        on:change=set_count
                    />
                    {move || error.get().map(|e| view! { <p class="field-error">{e}</p> })}
                    <FieldFindings at="desiredCount" />
                </div>
            </Show>
        </section>
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Default,
    LaunchType,
    Strategy,
}

/// Launch type, or a capacity provider strategy, or the cluster's default strategy.
#[component]
fn Launch(current: Current) -> impl IntoView {
    let store = use_store();
    let ctx = use_editor();
    let plan = store.plan();
    let svc = move || current.get().map(|(_, s)| s);
    let mode = Memo::new(move |_| {
        current.with(|c| match c {
            Some((_, s)) if s.launch_type.is_some() => Mode::LaunchType,
            Some((_, s)) if !s.capacity_provider_strategy.is_empty() => Mode::Strategy,
            _ => Mode::Default,
        })
    });
    let launch_type = Memo::new(move |_| {
        svc()
            .and_then(|s| s.launch_type)
            .and_then(|l| serde_json::to_value(l).ok())
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    });
    let providers = Memo::new(move |_| {
        plan.with(|p| {
            let mut v: Vec<String> = p
                .cluster
                .capacity_providers
                .iter()
                .map(|c| c.name.clone())
                .collect();
            v.extend(FARGATE_PROVIDERS.iter().map(|s| s.to_string()));
            v
        })
    });
    let default_text = move || {
        plan.with(|p| {
            let s = &p.cluster.default_capacity_provider_strategy;
            if s.is_empty() {
                "none: the EC2 launch type".to_string()
            } else {
                s.iter().map(item_text).collect::<Vec<_>>().join(", ")
            }
        })
    };
    let launch_types: Vec<String> = Shapes::builtin()
        .enum_values("ecs:LaunchType")
        .map(|v| v.to_vec())
        .unwrap_or_else(|| vec!["EC2".into(), "FARGATE".into(), "EXTERNAL".into()]);

    let choose = move |m: Mode| {
        let first = providers
            .with_untracked(|p| p.first().cloned())
            .unwrap_or_default();
        let what = match m {
            Mode::Default => "used the cluster's default capacity provider strategy".to_string(),
            Mode::LaunchType => "set launch type EC2".to_string(),
            Mode::Strategy => format!("used capacity provider {first}"),
        };
        update(store, ctx, current, what, move |j: &mut Value| {
            let Some(o) = j.as_object_mut() else { return };
            o.shift_remove("launchType");
            o.shift_remove("capacityProviderStrategy");
            match m {
                Mode::Default => {}
                Mode::LaunchType => {
                    o.insert("launchType".into(), json!("EC2"));
                }
                Mode::Strategy => {
                    o.insert(
                        "capacityProviderStrategy".into(),
                        json!([{ "capacityProvider": first, "weight": 1 }]),
                    );
                }
            }
        });
    };
    let set_launch_type = move |ev: leptos::ev::Event| {
        let t = event_target_value(&ev);
        update(
            store,
            ctx,
            current,
            format!("set launch type {t}"),
            move |j: &mut Value| {
                j["launchType"] = json!(t);
            },
        );
    };
    let set_items = move |items: Vec<CapacityProviderStrategyItem>, what: String| {
        update(store, ctx, current, what, move |j: &mut Value| {
            if let Some(o) = j.as_object_mut() {
                o.insert(
                    "capacityProviderStrategy".into(),
                    serde_json::to_value(&items).unwrap_or_default(),
                );
            }
        });
    };
    let items = Memo::new(move |_| {
        current.with(|c| {
            c.as_ref()
                .map(|(_, s)| s.capacity_provider_strategy.clone())
                .unwrap_or_default()
        })
    });
    let count = Memo::new(move |_| items.with(Vec::len));

    let radio = move |m: Mode, label: &'static str, testid: &'static str| {
        view! {
            <label class="radio">
                <input
                    type="radio"
                    name="svc-launch"
                    data-testid=testid
                    prop:checked=move || mode.get() == m
                    on:change=move |_| choose(m)
                />
                {label}
            </label>
        }
    };

    let item_row = move |k: usize| {
        let it = Memo::new(move |_| items.with(|v| v.get(k).cloned()));
        let num = |x: Option<u32>| x.map(|n| n.to_string()).unwrap_or_default();
        let set_num = move |which: &'static str, ev: leptos::ev::Event| {
            let mut v = items.get_untracked();
            let Some(item) = v.get_mut(k) else { return };
            let value = match parse_number(&event_target_value(&ev)) {
                Number::Empty => None,
                Number::Whole(n) if (0..=100_000).contains(&n) => Some(n as u32),
                _ => return,
            };
            let name = item.capacity_provider.clone();
            if which == "base" {
                item.base = value;
            } else {
                item.weight = value;
            }
            set_items(
                v,
                model::change_label(
                    &format!("{which} of {name}"),
                    value.map(|n| json!(n)).as_ref(),
                ),
            );
        };
        let set_provider = move |ev: leptos::ev::Event| {
            let mut v = items.get_untracked();
            let Some(item) = v.get_mut(k) else { return };
            let name = event_target_value(&ev);
            item.capacity_provider = name.clone();
            set_items(v, format!("used capacity provider {name}"));
        };
        let remove = move |_: leptos::ev::MouseEvent| {
            let mut v = items.get_untracked();
            if k < v.len() {
                let gone = v.remove(k);
                set_items(
                    v,
                    format!("removed capacity provider {}", gone.capacity_provider),
                );
            }
        };
        view! {
            <tr data-testid="cp-item" data-index=k>
                <td>
                    <select
                        aria-label="Capacity provider"
                        data-testid="cp-provider"
                        on:change=set_provider
                        prop:value=move || it.with(|i| i.as_ref().map(|i| i.capacity_provider.clone()).unwrap_or_default())
                    >
                        {move || {
                            let now = it.with(|i| i.as_ref().map(|i| i.capacity_provider.clone()).unwrap_or_default());
                            let mut names = providers.get();
                            if !now.is_empty() && !names.contains(&now) {
                                names.push(now.clone());
                            }
                            names
                                .into_iter()
                                .map(|n| view! { <option value=n.clone() selected=n == now>{n.clone()}</option> })
                                .collect_view()
                        }}
                    </select>
                </td>
                <td>
                    <input
                        type="number"
                        min="0"
                        class="num"
                        aria-label="Base"
                        data-testid="cp-base"
                        prop:value=move || it.with(|i| num(i.as_ref().and_then(|i| i.base)))
                        on:change=move |ev| set_num("base", ev)
                    />
                </td>
                <td>
                    <input
                        type="number"
                        min="0"
                        class="num"
                        aria-label="Weight"
                        data-testid="cp-weight"
                        prop:value=move || it.with(|i| num(i.as_ref().and_then(|i| i.weight)))
                        on:change=move |ev| set_num("weight", ev)
                    />
                </td>
                <td>
                    <button type="button" class="small" aria-label="Remove this provider" on:click=remove>
                        "✕"
                    </button>
                </td>
            </tr>
            <tr class="row-findings">
                <td colspan="4">
                    <FieldFindings at=format!("capacityProviderStrategy[{k}]") />
                    <FieldFindings at=format!("capacityProviderStrategy[{k}].capacityProvider") />
                    <FieldFindings at=format!("capacityProviderStrategy[{k}].base") />
                    <FieldFindings at=format!("capacityProviderStrategy[{k}].weight") />
                </td>
            </tr>
        }
    };
    let add_item = move |_: leptos::ev::MouseEvent| {
        let mut v = items.get_untracked();
        let used: Vec<String> = v.iter().map(|i| i.capacity_provider.clone()).collect();
        let next = providers
            .get_untracked()
            .into_iter()
            .find(|p| !used.contains(p))
            .unwrap_or_default();
        v.push(CapacityProviderStrategyItem {
            capacity_provider: next.clone(),
            weight: Some(1),
            base: None,
        });
        set_items(v, format!("added capacity provider {next}"));
    };

    view! {
        <section class="editor-section" aria-labelledby="svc-launch">
            <h3 id="svc-launch">"Launch"</h3>
            <div class="radios" role="radiogroup" aria-labelledby="svc-launch">
                {radio(Mode::Default, "Cluster default strategy", "launch-default")}
                {radio(Mode::LaunchType, "Launch type", "launch-type-mode")}
                {radio(Mode::Strategy, "Capacity provider strategy", "launch-strategy-mode")}
            </div>
            {move || match mode.get() {
                Mode::Default => view! { <p class="hint">{move || format!("The cluster's default: {}.", default_text())}</p> }.into_any(),
                Mode::LaunchType => {
                    view! {
                        <div class="field compact">
                            <label for="svc-launch-type">"Launch type"</label>
                            <select id="svc-launch-type" data-testid="launch-type" on:change=set_launch_type>
                                {launch_types
                                    .iter()
                                    .map(|t| {
                                        let t2 = t.clone();
                                        view! { <option value=t.clone() selected=move || launch_type.get() == t2>{t.clone()}</option> }
                                    })
                                    .collect_view()}
                            </select>
                        </div>
                    }
                        .into_any()
                }
                Mode::Strategy => view! {
                    <table class="grid" data-testid="cp-strategy">
                        <thead>
                            <tr>
                                <th scope="col">"Capacity provider"</th>
                                <th scope="col">"Base"</th>
                                <th scope="col">"Weight"</th>
                                <th scope="col"><span class="visually-hidden">"Remove"</span></th>
                            </tr>
                        </thead>
                        <tbody>
                            <For each=move || 0..count.get() key=|k| *k children=item_row />
                        </tbody>
                    </table>
                    <button type="button" class="small" data-testid="cp-add" on:click=add_item>
                        "Add capacity provider"
                    </button>
                    <p class="hint">
                        "Base: tasks placed on that provider first (one provider may have a base). Weight: how the rest is shared."
                    </p>
                }
                    .into_any(),
            }}
            <FieldFindings at="launchType" />
            <FieldFindings at="capacityProviderStrategy" />
        </section>
    }
}

fn item_text(i: &CapacityProviderStrategyItem) -> String {
    let mut s = i.capacity_provider.clone();
    if let Some(b) = i.base.filter(|b| *b > 0) {
        s.push_str(&format!(" base {b}"));
    }
    s.push_str(&format!(" weight {}", i.weight.unwrap_or(0)));
    s
}

/// Placement strategy chain and constraints.
#[component]
fn Placement(current: Current) -> impl IntoView {
    let store = use_store();
    let ctx = use_editor();
    let name = move || current.with_untracked(|c| c.as_ref().map(|(_, s)| s.service_name.clone()));
    let strategies = Signal::derive(move || {
        current.with(|c| {
            c.as_ref()
                .map(|(_, s)| s.placement_strategy.clone())
                .unwrap_or_default()
        })
    });
    // One edit of the service, labelled with what changed ("moved spread(instanceId) to
    // position 1"), so that undo says it.
    let on_strategy = Callback::new(move |(strategy, what): (Vec<PlacementStrategy>, String)| {
        if name().is_none() {
            return;
        }
        update(store, ctx, current, what, move |j: &mut Value| {
            if let Some(o) = j.as_object_mut() {
                if strategy.is_empty() {
                    o.shift_remove("placementStrategy");
                } else {
                    o.insert(
                        "placementStrategy".into(),
                        serde_json::to_value(&strategy).unwrap_or_default(),
                    );
                }
            }
        });
    });
    view! {
        <section class="editor-section" aria-labelledby="svc-placement">
            <h3 id="svc-placement">"Placement strategy"</h3>
            <p class="hint">"The first strategy ranks the instances; each next one breaks the ties of the one before."</p>
            <StrategyChain items=strategies on_change=on_strategy base="placementStrategy" />
            <h3 id="svc-constraints">"Placement constraints"</h3>
            <Constraints current />
        </section>
    }
}

#[component]
fn Constraints(current: Current) -> impl IntoView {
    let store = use_store();
    let ctx = use_editor();
    let list = Memo::new(move |_| {
        current.with(|c| {
            c.as_ref()
                .map(|(_, s)| s.placement_constraints.clone())
                .unwrap_or_default()
        })
    });
    let count = Memo::new(move |_| list.with(Vec::len));
    let set = move |v: Vec<PlacementConstraint>| {
        let Some(service) =
            current.with_untracked(|c| c.as_ref().map(|(_, s)| s.service_name.clone()))
        else {
            return;
        };
        ctx.commit(
            store,
            Edit::SetPlacementConstraints {
                service,
                constraints: v,
            },
        );
    };
    let row = move |k: usize| {
        let c = Memo::new(move |_| list.with(|v| v.get(k).cloned()));
        let kind = move || c.with(|c| c.as_ref().map(|c| c.kind));
        let expression = Signal::derive(move || {
            c.with(|c| c.as_ref().and_then(|c| c.expression.clone()))
                .unwrap_or_default()
        });
        let set_kind = move |ev: leptos::ev::Event| {
            let mut v = list.get_untracked();
            let Some(item) = v.get_mut(k) else { return };
            if event_target_value(&ev) == "memberOf" {
                item.kind = PlacementConstraintType::MemberOf;
                item.expression =
                    Some(item.expression.clone().unwrap_or_else(|| {
                        "attribute:ecs.availability-zone in [us-east-1a]".into()
                    }));
            } else {
                item.kind = PlacementConstraintType::DistinctInstance;
                item.expression = None;
            }
            set(v);
        };
        let commit_expression = Callback::new(move |e: String| {
            let mut v = list.get_untracked();
            if let Some(item) = v.get_mut(k) {
                item.expression = Some(e);
                set(v);
            }
        });
        let remove = move |_: leptos::ev::MouseEvent| {
            let mut v = list.get_untracked();
            if k < v.len() {
                v.remove(k);
                set(v);
            }
        };
        let input_id = format!("svc-constraint-{k}");
        view! {
            <li class="constraint" data-testid="constraint" data-index=k>
                <div class="constraint-head">
                    <select
                        aria-label="Constraint type"
                        data-testid="constraint-type"
                        prop:value=move || if kind() == Some(PlacementConstraintType::MemberOf) { "memberOf" } else { "distinctInstance" }
                        on:change=set_kind
                    >
                        <option value="distinctInstance">"distinctInstance"</option>
                        <option value="memberOf">"memberOf"</option>
                    </select>
                    <button type="button" class="small" aria-label="Remove this constraint" on:click=remove>
                        "✕"
                    </button>
                </div>
                <Show
                    when=move || kind() == Some(PlacementConstraintType::MemberOf)
                    fallback=|| view! { <p class="hint">"Each task on a different instance."</p> }
                >
                    <label class="visually-hidden" for=input_id.clone()>"Cluster query"</label>
                    <QueryEditor value=expression on_commit=commit_expression id=input_id.clone() />
                </Show>
                <FieldFindings at=format!("placementConstraints[{k}]") />
                <FieldFindings at=format!("placementConstraints[{k}].expression") />
            </li>
        }
    };
    let add = move |_: leptos::ev::MouseEvent| {
        let mut v = list.get_untracked();
        v.push(PlacementConstraint {
            kind: PlacementConstraintType::MemberOf,
            expression: Some("attribute:ecs.instance-type =~ m5.*".into()),
        });
        set(v);
    };
    view! {
        <FieldFindings at="placementConstraints" />
        <ul class="constraints" data-testid="constraints">
            <For each=move || 0..count.get() key=|k| *k children=row />
        </ul>
        <button type="button" class="small" data-testid="constraint-add" on:click=add>
            "Add constraint"
        </button>
    }
}

/// Minimum healthy and maximum percent, and the circuit breaker.
#[component]
fn Deployment(current: Current) -> impl IntoView {
    let store = use_store();
    let ctx = use_editor();
    let dc = move || {
        current.with(|c| {
            c.as_ref()
                .and_then(|(_, s)| s.deployment_configuration.clone())
                .unwrap_or(Value::Null)
        })
    };
    let pct = move |k: &'static str| {
        move || {
            dc().get(k)
                .and_then(Value::as_i64)
                .map(|n| n.to_string())
                .unwrap_or_default()
        }
    };
    let breaker = move |k: &'static str| {
        move || {
            dc().get("deploymentCircuitBreaker")
                .and_then(|b| b.get(k))
                .and_then(Value::as_bool)
                .unwrap_or(false)
        }
    };
    let error = RwSignal::new(None::<String>);
    let set_pct = move |k: &'static str, ev: leptos::ev::Event| {
        let value = match parse_number(&event_target_value(&ev)) {
            Number::Empty => None,
            Number::Whole(n) => Some(json!(n)),
            Number::Invalid => {
                error.set(Some(format!("{k}: a whole number")));
                return;
            }
        };
        error.set(None);
        let label = model::change_label(k, value.as_ref());
        update(store, ctx, current, label, move |j: &mut Value| {
            let path = JsonPath::root().key("deploymentConfiguration").key(k);
            let _ = engine::api::fix::set_value_at(j, &path, value);
        });
    };
    let set_breaker = move |k: &'static str, on: bool| {
        let what = match (k, on) {
            ("enable", true) => "turned the circuit breaker on",
            ("enable", false) => "turned the circuit breaker off",
            (_, true) => "turned rollback on failure on",
            (_, false) => "turned rollback on failure off",
        };
        update(
            store,
            ctx,
            current,
            what.to_string(),
            move |j: &mut Value| {
                let path = JsonPath::root()
                    .key("deploymentConfiguration")
                    .key("deploymentCircuitBreaker");
                let mut b = engine::api::fix::value_at(j, &path)
                    .cloned()
                    .unwrap_or_else(|| json!({ "enable": false, "rollback": false }));
                b[k] = json!(on);
                let _ = engine::api::fix::set_value_at(j, &path, Some(b));
            },
        );
    };
    view! {
        <section class="editor-section" aria-labelledby="svc-deployment">
            <h3 id="svc-deployment">"Deployment"</h3>
            <div class="field-row">
                <div class="field compact">
                    <label for="svc-min-healthy">"Minimum healthy %"</label>
                    <input
                        id="svc-min-healthy"
                        type="number"
                        class="num"
                        placeholder="100"
                        data-testid="min-healthy"
                        prop:value=pct("minimumHealthyPercent")
                        on:change=move |ev| set_pct("minimumHealthyPercent", ev)
                    />
                    <FieldFindings at="deploymentConfiguration.minimumHealthyPercent" />
                </div>
                <div class="field compact">
                    <label for="svc-max-percent">"Maximum %"</label>
                    <input
                        id="svc-max-percent"
                        type="number"
                        class="num"
                        placeholder="200"
                        data-testid="max-percent"
                        prop:value=pct("maximumPercent")
                        on:change=move |ev| set_pct("maximumPercent", ev)
                    />
                    <FieldFindings at="deploymentConfiguration.maximumPercent" />
                </div>
            </div>
            {move || error.get().map(|e| view! { <p class="field-error">{e}</p> })}
            <div class="checks">
                <label>
                    <input
                        type="checkbox"
                        data-testid="breaker-enable"
                        prop:checked=breaker("enable")
                        on:change=move |ev| set_breaker("enable", event_target_checked(&ev))
                    />
                    "Circuit breaker"
                </label>
                <label>
                    <input
                        type="checkbox"
                        data-testid="breaker-rollback"
                        prop:checked=breaker("rollback")
                        on:change=move |ev| set_breaker("rollback", event_target_checked(&ev))
                    />
                    "Roll back on failure"
                </label>
            </div>
            <FieldFindings at="deploymentConfiguration.deploymentCircuitBreaker" />
            <FieldFindings at="deploymentConfiguration" />
        </section>
    }
}
