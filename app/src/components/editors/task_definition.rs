//! The task definition editor: a form for the common fields (family, network mode,
//! compatibilities, task size with the Fargate sizes offered, roles, and per container: name,
//! image, cpu, memory, memory reservation, essential, port mappings, environment, secrets, log
//! configuration) and, below it, the JSON view of the whole RegisterTaskDefinition request
//! ([`super::json_view`]). Each committed field is one `UpdateTaskDefinition` edit labelled with
//! what changed; the engine's findings show next to the field their path points at.

use engine::api::edit::Edit;
use engine::api::fargate::{self, Os};
use engine::api::findings::JsonPath;
use engine::api::fix::{set_value_at, value_at};
use engine::api::plan::units;
use engine::api::schema::Shapes;
use leptos::prelude::*;
use serde_json::{json, Map, Value};

use super::json_view::JsonView;
use super::model::{self, key, parse_number, Number, TASK_DEFINITION_FIELDS};
use super::run_task::RunTasks;
use super::{EditorCtx, EditorFrame, FieldFindings};
use crate::store::{use_store, Store};

/// The edited task definition as JSON, and its index in the plan.
#[derive(Clone, Copy)]
pub struct Td {
    pub index: usize,
    pub json: Memo<Option<Value>>,
    ctx: EditorCtx,
    store: Store,
}

impl Td {
    /// The value at `path` (tracked).
    fn get(&self, path: &JsonPath) -> Option<Value> {
        self.json
            .with(|j| j.as_ref().and_then(|j| value_at(j, path).cloned()))
    }

    /// Sets (or removes) the value at `path` as one named edit; whether the plan took it.
    fn set(&self, path: &JsonPath, value: Option<Value>) -> bool {
        let Some(json) = self.json.get_untracked() else {
            return false;
        };
        let label = model::change_label(&field_words(path, &json), value.as_ref());
        self.change(label, move |j| {
            set_value_at(j, path, value);
        })
    }

    /// Replaces the whole task definition (the JSON view) as one edit; whether it applied.
    pub fn replace(&self, json: Value, label: String) -> bool {
        if self.json.with_untracked(|j| j.as_ref() == Some(&json)) {
            return true;
        }
        self.ctx.commit(
            self.store,
            Edit::UpdateTaskDefinition {
                index: self.index,
                json,
                change: Some(label),
            },
        )
    }

    /// Changes the JSON with `f` as one edit labelled `label`; whether the plan took it (or
    /// nothing changed).
    fn change(&self, label: String, f: impl FnOnce(&mut Value)) -> bool {
        let Some(before) = self.json.get_untracked() else {
            return false;
        };
        let mut json = before.clone();
        f(&mut json);
        if json == before {
            return true;
        }
        self.ctx.commit(
            self.store,
            Edit::UpdateTaskDefinition {
                index: self.index,
                json,
                change: Some(label),
            },
        )
    }
}

/// A field's path in words for the undo history: `memory`, `image of container web`.
fn field_words(path: &JsonPath, td: &Value) -> String {
    let s = path.to_string();
    match s.strip_prefix("containerDefinitions[") {
        Some(rest) => {
            let (i, tail) = rest.split_once(']').unwrap_or((rest, ""));
            let name = i
                .parse::<usize>()
                .ok()
                .and_then(|i| {
                    td["containerDefinitions"][i]["name"]
                        .as_str()
                        .map(str::to_string)
                })
                .unwrap_or_else(|| format!("#{i}"));
            let tail = tail.trim_start_matches('.');
            if tail.is_empty() {
                format!("container {name}")
            } else {
                format!("{tail} of container {name}")
            }
        }
        None => s,
    }
}

fn p(s: &str) -> JsonPath {
    JsonPath::parse(s).unwrap_or_default()
}

/// An element id for a field (unique on the page).
fn field_id(index: usize, path: &JsonPath) -> String {
    let k: String = key(path)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("td{index}-{k}")
}

#[component]
pub fn TaskDefinitionEditor(index: usize) -> impl IntoView {
    let store = use_store();
    let plan = store.plan();
    let json = Memo::new(move |_| {
        plan.with(|p| {
            p.task_definitions
                .get(index)
                .and_then(|t| serde_json::to_value(t).ok())
        })
    });
    let findings = Memo::new(move |_| {
        plan.with(|p| {
            model::findings_for(
                &engine::api::rules::check_plan(p),
                &JsonPath::root().key("taskDefinitions").index(index),
                TASK_DEFINITION_FIELDS,
            )
        })
    });
    let ctx = EditorCtx::new(findings);
    provide_context(ctx);
    let td = Td {
        index,
        json,
        ctx,
        store,
    };
    provide_context(td);
    let title = Signal::derive(move || {
        plan.with(|p| match p.task_definitions.get(index) {
            Some(t) => format!(
                "Task definition {}:{}",
                t.family,
                engine::api::export::revision_of(p, index)
            ),
            None => "Task definition".into(),
        })
    });
    // Re-drawn only when the task definition appears or goes (its fields follow it).
    let exists = Memo::new(move |_| json.with(Option::is_some));
    view! {
        <EditorFrame title testid="task-definition-editor">
            {move || {
                if !exists.get() {
                    return view! { <p class="empty">"This task definition is no longer in the plan."</p> }.into_any();
                }
                view! {
                    <RunTasks index />
                    <Task />
                    <Containers />
                    <JsonView />
                }
                    .into_any()
            }}
        </EditorFrame>
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Int,
}

/// A text or number box for one member.
#[component]
fn Field(
    label: &'static str,
    path: JsonPath,
    #[prop(default = Kind::Text)] kind: Kind,
    #[prop(optional)] list: Option<String>,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] compact: bool,
) -> impl IntoView {
    let td = expect_context::<Td>();
    let id = field_id(td.index, &path);
    let at = key(&path);
    let error = RwSignal::new(None::<&'static str>);
    let text_of = |v: Option<Value>| match v {
        Some(Value::String(s)) => s,
        Some(Value::Null) | None => String::new(),
        Some(v) => v.to_string(),
    };
    let path2 = path.clone();
    let shown = move || text_of(td.get(&path2));
    let path3 = path.clone();
    let shown_now = move || {
        text_of(
            td.json
                .with_untracked(|j| j.as_ref().and_then(|j| value_at(j, &path3).cloned())),
        )
    };
    let change = move |ev: leptos::ev::Event| {
        let raw = event_target_value(&ev);
        let value = match kind {
            Kind::Text => {
                let t = raw.trim();
                (!t.is_empty()).then(|| json!(t))
            }
            Kind::Int => match parse_number(&raw) {
                Number::Empty => None,
                Number::Whole(n) => Some(json!(n)),
                Number::Invalid => {
                    error.set(Some("a whole number"));
                    return;
                }
            },
        };
        error.set(None);
        if !td.set(&path, value) {
            // Refused (the editor says why): the box shows the plan's value again.
            event_target::<web_sys::HtmlInputElement>(&ev).set_value(&shown_now());
        }
    };
    view! {
        <div class="field" class:compact=compact>
            <label for=id.clone()>{label}</label>
            <input
                id=id.clone()
                type="text"
                inputmode=if kind == Kind::Int { "numeric" } else { "text" }
                spellcheck="false"
                data-testid=format!("td-{}", at)
                data-path=at.clone()
                list=list
                placeholder=placeholder
                prop:value=shown
                on:change=change
            />
            {move || error.get().map(|e| view! { <p class="field-error">{e}</p> })}
            <FieldFindings at=at.clone() />
        </div>
    }
}

/// A drop-down for one member; the empty choice removes it.
#[component]
fn Choice(
    label: &'static str,
    path: JsonPath,
    options: Vec<String>,
    /// The text of the empty choice (`None`: no empty choice).
    #[prop(optional)]
    empty: Option<&'static str>,
) -> impl IntoView {
    let td = expect_context::<Td>();
    let id = field_id(td.index, &path);
    let at = key(&path);
    let path2 = path.clone();
    let now = Memo::new(move |_| {
        td.get(&path2)
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    });
    let change = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        td.set(&path, (!v.is_empty()).then(|| json!(v)));
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id data-testid=format!("td-{}", at) on:change=change>
                {empty.map(|e| view! { <option value="" selected=move || now.get().is_empty()>{e}</option> })}
                {options
                    .into_iter()
                    .map(|o| {
                        let o2 = o.clone();
                        view! { <option value=o.clone() selected=move || now.get() == o2>{o.clone()}</option> }
                    })
                    .collect_view()}
            </select>
            <FieldFindings at=at.clone() />
        </div>
    }
}

fn enum_values(shape: &str) -> Vec<String> {
    Shapes::builtin()
        .enum_values(shape)
        .map(<[String]>::to_vec)
        .unwrap_or_default()
}

/// Family, network mode, compatibilities, task size, roles.
#[component]
fn Task() -> impl IntoView {
    let td = expect_context::<Td>();
    let compat = Memo::new(move |_| {
        td.get(&p("requiresCompatibilities"))
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default()
            .into_iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect::<Vec<_>>()
    });
    let fargate = move || compat.with(|c| c.iter().any(|x| x == "FARGATE"));
    let os = move || {
        Os::from_family(
            td.get(&p("runtimePlatform.operatingSystemFamily"))
                .as_ref()
                .and_then(Value::as_str),
        )
    };
    let cpu = move || {
        td.get(&p("cpu"))
            .as_ref()
            .and_then(Value::as_str)
            .and_then(units::cpu_units)
    };
    let toggle = move |c: String, on: bool| {
        let mut list = compat.get_untracked();
        list.retain(|x| *x != c);
        if on {
            list.push(c.clone());
        }
        let label = format!("{} {c} compatibility", if on { "added" } else { "removed" });
        td.change(label, move |j| {
            let v = (!list.is_empty()).then(|| json!(list));
            set_value_at(j, &p("requiresCompatibilities"), v);
        });
    };
    let size_hint = Signal::derive(move || {
        if !fargate() {
            return "Optional on EC2: containers then share what the task reserves.".to_string();
        }
        match cpu().and_then(|c| fargate::row(c, os()).map(|r| (c, r))) {
            Some((c, r)) => format!(
                "Fargate pairs {} ({c}) with {}.",
                fargate::vcpu_words(c),
                r.describe_memory()
            ),
            None => format!(
                "Fargate cpu values: {}.",
                fargate::valid_cpus(os())
                    .iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    });
    let cpu_list = format!("td{}-fargate-cpu", td.index);
    let memory_list = format!("td{}-fargate-memory", td.index);
    view! {
        <section class="editor-section" aria-labelledby="td-task">
            <h3 id="td-task">"Task"</h3>
            <div class="field-row">
                <Field label="Family" path=p("family") />
                <Choice label="Network mode" path=p("networkMode") options=enum_values("ecs:NetworkMode") empty="(default: bridge)" />
            </div>
            <fieldset class="checks">
                <legend>"Requires compatibilities"</legend>
                {enum_values("ecs:Compatibility")
                    .into_iter()
                    .filter(|c| c != "MANAGED_INSTANCES")
                    .map(|c| {
                        let c2 = c.clone();
                        let c3 = c.clone();
                        view! {
                            <label>
                                <input
                                    type="checkbox"
                                    data-testid=format!("td-compat-{c}")
                                    prop:checked=move || compat.with(|l| l.contains(&c2))
                                    on:change=move |ev| toggle(c3.clone(), event_target_checked(&ev))
                                />
                                {c.clone()}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <FieldFindings at="requiresCompatibilities" />
            <div class="field-row">
                <Field label="Task CPU (units)" path=p("cpu") list=cpu_list.clone() placeholder="e.g. 512" compact=true />
                <Field label="Task memory (MiB)" path=p("memory") list=memory_list.clone() placeholder="e.g. 1024" compact=true />
            </div>
            <p class="hint" data-testid="td-size-hint">{move || size_hint.get()}</p>
            <datalist id=cpu_list>
                {move || {
                    fargate::valid_cpus(os())
                        .into_iter()
                        .map(|c| view! { <option value=c.to_string()>{fargate::vcpu_words(c)}</option> })
                        .collect_view()
                }}
            </datalist>
            <datalist id=memory_list>
                {move || {
                    cpu()
                        .map(|c| fargate::valid_memory_for(c, os()))
                        .unwrap_or_default()
                        .into_iter()
                        .map(|m| view! { <option value=m.to_string()>{format!("{} GB", m as f64 / 1024.0)}</option> })
                        .collect_view()
                }}
            </datalist>
            <Field label="Task role ARN" path=p("taskRoleArn") placeholder="arn:aws:iam::ACCOUNT:role/NAME (what the application may do)" />
            <Field label="Execution role ARN" path=p("executionRoleArn") placeholder="arn:aws:iam::ACCOUNT:role/ecsTaskExecutionRole (pulls images, secrets, logs)" />
        </section>
    }
}

/// Every container, and adding one.
#[component]
fn Containers() -> impl IntoView {
    let td = expect_context::<Td>();
    let count = Memo::new(move |_| {
        td.get(&p("containerDefinitions"))
            .and_then(|v| v.as_array().map(Vec::len))
            .unwrap_or(0)
    });
    let add = move |_: leptos::ev::MouseEvent| {
        let n = count.get_untracked();
        let has_task_memory = td.get(&p("memory")).is_some();
        td.change(format!("added container container-{}", n + 1), move |j| {
            let mut c = json!({
                "name": format!("container-{}", n + 1),
                "image": "public.ecr.aws/docker/library/busybox:1.36",
                "essential": false
            });
            if !has_task_memory {
                c["memory"] = json!(256);
            }
            set_value_at(
                j,
                &JsonPath::root().key("containerDefinitions").index(n),
                Some(c),
            );
        });
    };
    view! {
        <section class="editor-section" aria-labelledby="td-containers">
            <h3 id="td-containers">"Containers"</h3>
            <FieldFindings at="containerDefinitions" />
            <For each=move || 0..count.get() key=|i| *i children=move |i| view! { <Container i /> } />
            <button type="button" class="small" data-testid="td-add-container" disabled=move || { count.get() >= 10 } on:click=add>
                "Add container"
            </button>
        </section>
    }
}

fn container_path(i: usize) -> JsonPath {
    JsonPath::root().key("containerDefinitions").index(i)
}

#[component]
fn Container(i: usize) -> impl IntoView {
    let td = expect_context::<Td>();
    let base = container_path(i);
    let name = Memo::new({
        let base = base.clone();
        move |_| {
            td.get(&base.key("name"))
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        }
    });
    let essential_path = base.key("essential");
    let essential = {
        let e = essential_path.clone();
        move || td.get(&e).and_then(|v| v.as_bool()).unwrap_or(true)
    };
    let total = move || {
        td.get(&p("containerDefinitions"))
            .and_then(|v| v.as_array().map(Vec::len))
            .unwrap_or(0)
    };
    let remove = move |_: leptos::ev::MouseEvent| {
        let n = name.get_untracked();
        td.change(format!("removed container {n}"), move |j| {
            set_value_at(j, &container_path(i), None);
        });
    };
    view! {
        <fieldset class="container" data-testid="td-container" data-index=i>
            <legend>
                {move || format!("Container {}", name.get())}
            </legend>
            <button
                type="button"
                class="small container-remove"
                disabled=move || { total() <= 1 }
                aria-label=move || format!("Remove container {}", name.get())
                on:click=remove
            >
                "Remove"
            </button>
            <FieldFindings at=key(&base) />
            <div class="field-row">
                <Field label="Name" path=base.key("name") compact=true />
                <Field label="Image" path=base.key("image") placeholder="repository:tag" />
            </div>
            <div class="field-row">
                <Field label="CPU units" path=base.key("cpu") kind=Kind::Int compact=true />
                <Field label="Memory (MiB, hard)" path=base.key("memory") kind=Kind::Int compact=true />
                <Field label="Reservation (MiB, soft)" path=base.key("memoryReservation") kind=Kind::Int compact=true />
            </div>
            <div class="checks">
                <label>
                    <input
                        type="checkbox"
                        data-testid=format!("td-essential-{i}")
                        prop:checked=essential
                        on:change=move |ev| {
                            td.set(&essential_path, Some(json!(event_target_checked(&ev))));
                        }
                    />
                    "Essential (the task stops when this container stops)"
                </label>
            </div>
            <FieldFindings at=key(&base.key("essential")) />
            <PortMappings base=base.clone() />
            <Pairs base=base.clone() member="environment" title="Environment" second="value" />
            <Pairs base=base.clone() member="secrets" title="Secrets" second="valueFrom" />
            <LogConfiguration base=base.clone() />
        </fieldset>
    }
}

/// The length of the list at `path` (tracked).
fn list_len(td: Td, path: &JsonPath) -> usize {
    td.get(path)
        .and_then(|v| v.as_array().map(Vec::len))
        .unwrap_or(0)
}

#[component]
fn PortMappings(base: JsonPath) -> impl IntoView {
    let td = expect_context::<Td>();
    let path = base.key("portMappings");
    let count = Memo::new({
        let path = path.clone();
        move |_| list_len(td, &path)
    });
    let add = {
        let path = path.clone();
        move |_| {
            let n = count.get_untracked();
            let path = path.clone();
            td.change("added a port mapping".into(), move |j| {
                set_value_at(
                    j,
                    &path.index(n),
                    Some(json!({ "containerPort": 8080, "protocol": "tcp" })),
                );
            });
        }
    };
    let row = {
        let path = path.clone();
        move |k: usize| {
            let m = path.index(k);
            let m2 = m.clone();
            let protocol = m.key("protocol");
            view! {
                <div class="list-row" data-testid="td-port-mapping" data-index=k>
                    <Field label="Container port" path=m.key("containerPort") kind=Kind::Int compact=true />
                    <Field label="Host port" path=m.key("hostPort") kind=Kind::Int placeholder="(same / dynamic)" compact=true />
                    <Choice label="Protocol" path=protocol options=vec!["tcp".into(), "udp".into()] empty="(tcp)" />
                    <button
                        type="button"
                        class="small"
                        aria-label="Remove this port mapping"
                        on:click=move |_| {
                            let m = m2.clone();
                            td.change("removed a port mapping".into(), move |j| {
                                set_value_at(j, &m, None);
                            });
                        }
                    >
                        "✕"
                    </button>
                    <FieldFindings at=key(&m) />
                </div>
            }
        }
    };
    view! {
        <div class="sub-list">
            <h4>"Port mappings"</h4>
            <FieldFindings at=key(&path) />
            <For each=move || 0..count.get() key=|k| *k children=row />
            <button type="button" class="small" on:click=add>"Add port mapping"</button>
        </div>
    }
}

/// Name/value lists: `environment` (name, value) and `secrets` (name, valueFrom).
#[component]
fn Pairs(
    base: JsonPath,
    member: &'static str,
    title: &'static str,
    second: &'static str,
) -> impl IntoView {
    let td = expect_context::<Td>();
    let path = base.key(member);
    let count = Memo::new({
        let path = path.clone();
        move |_| list_len(td, &path)
    });
    let add = {
        let path = path.clone();
        move |_| {
            let n = count.get_untracked();
            let path = path.clone();
            let value = if second == "valueFrom" {
                "arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME"
            } else {
                ""
            };
            td.change(format!("added to {member}"), move |j| {
                set_value_at(
                    j,
                    &path.index(n),
                    Some(json!({ "name": format!("NAME_{}", n + 1), second: value })),
                );
            });
        }
    };
    let row = {
        let path = path.clone();
        move |k: usize| {
            let item = path.index(k);
            let item2 = item.clone();
            view! {
                <div class="list-row" data-index=k>
                    <Field label="Name" path=item.key("name") compact=true />
                    <Field label=if second == "value" { "Value" } else { "Value from (ARN or name)" } path=item.key(second) />
                    <button
                        type="button"
                        class="small"
                        aria-label=format!("Remove this {member} entry")
                        on:click=move |_| {
                            let item = item2.clone();
                            td.change(format!("removed from {member}"), move |j| {
                                set_value_at(j, &item, None);
                            });
                        }
                    >
                        "✕"
                    </button>
                    <FieldFindings at=key(&item) />
                </div>
            }
        }
    };
    view! {
        <div class="sub-list">
            <h4>{title}</h4>
            <FieldFindings at=key(&path) />
            <For each=move || 0..count.get() key=|k| *k children=row />
            <button type="button" class="small" on:click=add>{format!("Add to {}", title.to_lowercase())}</button>
        </div>
    }
}

/// The log driver and its options.
#[component]
fn LogConfiguration(base: JsonPath) -> impl IntoView {
    let td = expect_context::<Td>();
    let path = base.key("logConfiguration");
    let options_path = path.key("options");
    let options = Memo::new({
        let options_path = options_path.clone();
        move |_| {
            td.get(&options_path)
                .and_then(|v| v.as_object().cloned())
                .unwrap_or_default()
        }
    });
    let driver = Memo::new({
        let path = path.clone();
        move |_| {
            td.get(&path.key("logDriver"))
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        }
    });
    let set_driver = {
        let path = path.clone();
        move |ev: leptos::ev::Event| {
            let d = event_target_value(&ev);
            let path = path.clone();
            if d.is_empty() {
                td.change("removed the log configuration".into(), move |j| {
                    set_value_at(j, &path, None);
                });
            } else {
                td.change(format!("set the log driver to {d}"), move |j| {
                    set_value_at(j, &path.key("logDriver"), Some(json!(d)));
                });
            }
        }
    };
    // Options are a map: renaming a key keeps its place.
    let set_option = {
        let options_path = options_path.clone();
        move |old: String, new_key: String, value: String| {
            let mut o = options.get_untracked();
            let mut out = Map::new();
            let new_key = new_key.trim().to_string();
            for (k, v) in std::mem::take(&mut o) {
                if k == old {
                    if !new_key.is_empty() {
                        out.insert(new_key.clone(), json!(value));
                    }
                } else {
                    out.insert(k, v);
                }
            }
            let label = if new_key.is_empty() {
                format!("removed log option {old}")
            } else {
                format!("set log option {new_key} to \"{value}\"")
            };
            let options_path = options_path.clone();
            td.change(label, move |j| {
                set_value_at(j, &options_path, Some(Value::Object(out)));
            });
        }
    };
    let add_option = {
        let options_path = options_path.clone();
        move |_| {
            let o = options.get_untracked();
            let suggestions = ["awslogs-group", "awslogs-region", "awslogs-stream-prefix"];
            let name = if driver.get_untracked() == "awslogs" {
                suggestions
                    .iter()
                    .find(|s| !o.contains_key(**s))
                    .map(|s| s.to_string())
            } else {
                None
            }
            .unwrap_or_else(|| format!("option-{}", o.len() + 1));
            let options_path = options_path.clone();
            td.change(format!("added log option {name}"), move |j| {
                set_value_at(j, &options_path.key(&name), Some(json!("")));
            });
        }
    };
    let drivers = enum_values("ecs:LogDriver");
    let select_id = field_id(td.index, &path.key("logDriver"));
    view! {
        <div class="sub-list">
            <h4>"Logs"</h4>
            <FieldFindings at=key(&path) />
            <div class="field">
                <label for=select_id.clone()>"Log driver"</label>
                <select id=select_id data-testid="td-log-driver" on:change=set_driver>
                    <option value="" selected=move || driver.get().is_empty()>"(none)"</option>
                    {drivers
                        .into_iter()
                        .map(|d| {
                            let d2 = d.clone();
                            view! { <option value=d.clone() selected=move || driver.get() == d2>{d.clone()}</option> }
                        })
                        .collect_view()}
                </select>
                <FieldFindings at=key(&path.key("logDriver")) />
            </div>
            <Show when=move || !driver.get().is_empty()>
                {
                    let set_option = set_option.clone();
                    move || {
                        let set_option = set_option.clone();
                        options
                            .get()
                            .into_iter()
                            .map(|(k, v)| {
                                let value = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
                                let (s1, s2) = (set_option.clone(), set_option.clone());
                                let (k1, k2, v1) = (k.clone(), k.clone(), value.clone());
                                view! {
                                    <div class="list-row option-row" data-testid="td-log-option" data-option=k.clone()>
                                        <input
                                            type="text"
                                            class="option-key"
                                            aria-label="Option name"
                                            prop:value=k.clone()
                                            on:change=move |ev| s1(k1.clone(), event_target_value(&ev), v1.clone())
                                        />
                                        <input
                                            type="text"
                                            aria-label=format!("Value of {k}")
                                            prop:value=value.clone()
                                            on:change=move |ev| s2(k2.clone(), k2.clone(), event_target_value(&ev))
                                        />
                                    </div>
                                }
                            })
                            .collect_view()
                    }
                }
                <button type="button" class="small" on:click=add_option.clone()>"Add option"</button>
            </Show>
            <FieldFindings at=key(&options_path) />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_in_words() {
        let td = json!({ "containerDefinitions": [ { "name": "web" } ] });
        assert_eq!(field_words(&p("memory"), &td), "memory");
        assert_eq!(
            field_words(&p("containerDefinitions[0].portMappings[1].hostPort"), &td),
            "portMappings[1].hostPort of container web"
        );
        assert_eq!(
            field_words(&p("containerDefinitions[3]"), &td),
            "container #3"
        );
        assert_eq!(
            field_id(2, &p("containerDefinitions[0].memory")),
            "td2-containerDefinitions-0--memory"
        );
    }
}
