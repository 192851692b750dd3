//! The JSON view of a task definition: the whole RegisterTaskDefinition request, editable.
//!
//! Every keystroke re-checks the text with the engine (`rules::check_task_definition_document`:
//! the API shape, then every task definition rule); findings mark their line (in the gutter and
//! behind the text) and are listed with a link to the line and, where the engine has one, a
//! quick fix ([`engine::api::fix::fix_value`]). The text becomes the plan's task definition (one
//! named edit) with Apply, Ctrl+Enter, or by leaving the box, when nothing structural is wrong.
//! Pasting describe-task-definition output, a CloudFormation template or a docker-compose file
//! converts it through `engine::api::import`, in the engine worker (`crate::worker`: the
//! importers and their YAML parser are not part of the page's first load); JSON of a task
//! definition, or of a piece of one, is pasted at once.

use engine::api::export::pretty;
use engine::api::findings::{Finding, JsonPath, Severity};
use engine::api::fix::{fix_value, TASK_DEFINITION_SHAPE};
use engine::api::import::{classify, Format};
use engine::api::plan::span::SpanIndex;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use wasm_bindgen::JsCast;

use crate::worker;

use super::model::offset_of_line;
use super::task_definition::Td;
use engine::api::sort::{sort, sort_by_key};

/// Pixels per line of the code box (the CSS uses the same).
const LINE_PX: f64 = 18.0;

/// What the engine says about the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub value: Option<Value>,
    /// Findings with line and column.
    pub findings: Vec<Finding>,
    /// Something would stop the edit: a syntax or structural error (not a rule finding; those
    /// the plan can hold and show).
    pub blocking: bool,
}

/// Checks the text of the JSON view.
pub fn analyse(text: &str) -> Analysis {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let msg = e.to_string();
            let msg = msg
                .rsplit_once(" at line ")
                .map_or(msg.as_str(), |(m, _)| m);
            let mut f = Finding::error(
                "json-syntax",
                JsonPath::root(),
                format!("not valid JSON: {msg}"),
            )
            .with_fix("correct the JSON at this line");
            f.line = Some(e.line().max(1) as u32);
            f.column = Some(e.column() as u32);
            return Analysis {
                value: None,
                findings: vec![f],
                blocking: true,
            };
        }
    };
    let mut findings = engine::api::rules::check_task_definition_document(&value).findings;
    let idx = SpanIndex::for_paths(text, findings.iter().map(|f| &f.path));
    for f in &mut findings {
        if let Some((l, c)) = idx.locate(&f.path) {
            f.line = Some(l);
            f.column = Some(c);
        }
    }
    sort_by_key(&mut findings, |f| (f.severity, f.line));
    let blocking = findings
        .iter()
        .any(|f| f.is_error() && engine::api::rules::rule(&f.code).is_none());
    Analysis {
        value: Some(value),
        findings,
        blocking,
    }
}

/// Whether pasted text goes in as it is without asking the engine worker: JSON of a task
/// definition or of a piece of one (anything else may be another format to convert).
pub fn pasted_as_is(text: &str) -> bool {
    serde_json::from_str::<Value>(text).is_ok_and(|v| {
        matches!(
            classify(&v),
            Format::RegisterTaskDefinition | Format::Unknown
        )
    })
}

#[component]
pub fn JsonView() -> impl IntoView {
    let td = expect_context::<Td>();
    let committed =
        Memo::new(move |_| td.json.with(|j| j.as_ref().map(pretty).unwrap_or_default()));
    let draft = RwSignal::new(None::<String>);
    // The task definition changed under the draft (the form, undo, a fix): show it.
    Effect::new(move |prev: Option<String>| {
        let c = committed.get();
        if prev.is_some_and(|p| p != c) {
            draft.set(None);
        }
        c
    });
    let text = Signal::derive(move || draft.get().unwrap_or_else(|| committed.get()));
    let analysis = Memo::new(move |_| text.with(|t| analyse(t)));
    let converted = RwSignal::new(None::<(String, Vec<String>)>);
    let scroll = RwSignal::new((0.0f64, 0.0f64));
    let area: NodeRef<leptos::html::Textarea> = NodeRef::new();

    let apply = move || {
        let Some(d) = draft.get_untracked() else {
            return;
        };
        let a = analysis.get_untracked();
        if a.blocking {
            return;
        }
        let Some(value) = a.value else { return };
        if td.replace(value, "edited the JSON".into()) {
            draft.set(None);
            converted.set(None);
        } else {
            // Refused (shown at the top of the editor): keep the text.
            draft.set(Some(d));
        }
    };
    let go_to_line = move |line: u32| {
        let Some(el) = area.get_untracked() else {
            return;
        };
        let t = text.get_untracked();
        let at = offset_of_line(&t, line) as u32;
        let _ = el.focus();
        let _ = el.set_selection_range(at, at);
        el.set_scroll_top(((line as f64 - 3.0).max(0.0) * LINE_PX) as i32);
    };
    let fix = move |f: Finding| {
        let Some(mut value) = analysis.get_untracked().value else {
            return;
        };
        let mut local = f.clone();
        local.line = None;
        if let Some(label) = fix_value(&mut value, TASK_DEFINITION_SHAPE, &local) {
            let fixed = pretty(&value);
            draft.set(Some(fixed));
            // Apply right away when the document is now acceptable.
            if !analysis.get_untracked().blocking && td.replace(value, label) {
                draft.set(None);
            }
        }
    };
    let on_paste = move |ev: web_sys::ClipboardEvent| {
        let Some(pasted) = ev.clipboard_data().and_then(|d| d.get_data("text").ok()) else {
            return;
        };
        converted.set(None);
        if pasted_as_is(&pasted) {
            return;
        }
        // Maybe another format: the engine worker converts it, or says where it belongs, or
        // it goes in as it is after all (where the selection was).
        ev.prevent_default();
        let family = td
            .json
            .with_untracked(|j| {
                j.as_ref()
                    .and_then(|j| j["family"].as_str().map(str::to_string))
            })
            .unwrap_or_default();
        let Some(el) = area.get_untracked() else {
            return;
        };
        let (start, end) = (
            el.selection_start().ok().flatten().unwrap_or(0),
            el.selection_end().ok().flatten().unwrap_or(0),
        );
        spawn_local(async move {
            let request = protocol::import::ConvertPaste {
                text: pasted.clone(),
                family,
            };
            let answer = worker::call(protocol::import::CONVERT_PASTE, &request)
                .await
                .unwrap_or_default();
            let said = |k: &str| answer[k].as_str().unwrap_or_default().to_string();
            match answer["as"].as_str() {
                Some("converted") => {
                    draft.set(Some(pretty(&answer["json"])));
                    let notes = answer["notes"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|n| n.as_str().map(str::to_string))
                        .collect();
                    converted.set(Some((format!("Converted from {}.", said("from")), notes)));
                }
                Some("refused") => converted.set(Some((said("message"), Vec::new()))),
                _ => {
                    let _ = el.set_range_text_with_start_and_end(&pasted, start, end);
                    let at = start + pasted.encode_utf16().count() as u32;
                    let _ = el.set_selection_range(at, at);
                    draft.set(Some(el.value()));
                }
            }
        });
    };
    let lines = Memo::new(move |_| text.with(|t| t.lines().count().max(1)));
    // Severity per line (the worst).
    let marks = Memo::new(move |_| {
        let mut m: Vec<(u32, Severity)> = analysis.with(|a| {
            a.findings
                .iter()
                .filter_map(|f| Some((f.line?, f.severity)))
                .collect()
        });
        sort(&mut m);
        m.dedup_by_key(|(l, _)| *l);
        m
    });
    let mark_of = move |line: u32| {
        marks.with(|m| {
            m.iter()
                .find(|(l, _)| *l == line)
                .map(|(_, s)| s.to_string())
        })
    };

    view! {
        <section class="editor-section json-view" aria-labelledby="td-json">
            <h3 id="td-json">"JSON: the RegisterTaskDefinition request"</h3>
            <p class="hint">
                "Edit it here, or paste a task definition, describe-task-definition output, a CloudFormation template or a docker-compose file (it is converted). Apply with Ctrl+Enter or by leaving the box."
            </p>
            <div class="code-box">
                <div class="gutter" aria-hidden="true">
                    <div style=move || format!("transform: translateY({}px)", -scroll.get().0)>
                        {move || {
                            (1..=lines.get() as u32)
                                .map(|l| {
                                    let mark = mark_of(l);
                                    view! {
                                        <div class=format!("gl {}", mark.clone().unwrap_or_default())>{l}</div>
                                    }
                                })
                                .collect_view()
                        }}
                    </div>
                </div>
                <div class="code-area">
                    <div class="code-backdrop" aria-hidden="true">
                        <div style=move || format!("transform: translateY({}px)", -scroll.get().0)>
                            {move || {
                                marks
                                    .get()
                                    .into_iter()
                                    .map(|(l, s)| {
                                        view! {
                                            <div
                                                class=format!("line-mark {s}")
                                                style=format!("top: {}px", (l as f64 - 1.0) * LINE_PX)
                                            ></div>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </div>
                    </div>
                    <textarea
                        class="code"
                        data-testid="td-json"
                        aria-label="Task definition JSON"
                        spellcheck="false"
                        wrap="off"
                        rows="18"
                        node_ref=area
                        prop:value=move || text.get()
                        on:input=move |ev| draft.set(Some(event_target_value(&ev)))
                        on:change=move |_| apply()
                        on:paste=on_paste
                        on:scroll=move |ev| {
                            if let Some(t) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) {
                                scroll.set((t.scroll_top() as f64, t.scroll_left() as f64));
                            }
                        }
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                            if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                                ev.prevent_default();
                                apply();
                            }
                        }
                    ></textarea>
                </div>
            </div>
            <div class="json-status">
                <span data-testid="td-json-status">
                    {move || {
                        let a = analysis.get();
                        let pending = draft.with(Option::is_some);
                        let errors = a.findings.iter().filter(|f| f.is_error()).count();
                        match (pending, a.blocking, errors) {
                            (_, true, _) => "Not applied: fix the marked problems first.".to_string(),
                            (true, false, _) => "Changed: Apply (Ctrl+Enter) to update the plan.".to_string(),
                            (false, false, 0) => "The plan's task definition: a valid request.".to_string(),
                            (false, false, n) => format!("The plan's task definition, with {n} error(s) AWS would refuse."),
                        }
                    }}
                </span>
                <button
                    type="button"
                    class="small primary"
                    data-testid="td-json-apply"
                    disabled=move || draft.with(Option::is_none) || analysis.with(|a| a.blocking)
                    on:click=move |_| apply()
                >
                    "Apply"
                </button>
                <button
                    type="button"
                    class="small"
                    data-testid="td-json-revert"
                    disabled=move || draft.with(Option::is_none)
                    on:click=move |_| {
                        draft.set(None);
                        converted.set(None);
                    }
                >
                    "Revert"
                </button>
            </div>
            {move || {
                converted
                    .get()
                    .map(|(head, notes)| {
                        view! {
                            <div class="converted" role="status" data-testid="td-json-converted">
                                <p>{head}</p>
                                {(!notes.is_empty())
                                    .then(|| view! { <ul>{notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul> })}
                            </div>
                        }
                    })
            }}
            <ul class="json-findings" data-testid="td-json-findings">
                {move || {
                    analysis
                        .get()
                        .findings
                        .into_iter()
                        .map(|f| {
                            let line = f.line.unwrap_or(1);
                            let sev = f.severity.to_string();
                            let has_fix = analysis.with_untracked(|a| {
                                a.value.clone().is_some_and(|mut v| {
                                    let mut local = f.clone();
                                    local.line = None;
                                    fix_value(&mut v, TASK_DEFINITION_SHAPE, &local).is_some()
                                })
                            });
                            let f2 = f.clone();
                            view! {
                                <li class=format!("field-finding {sev}") data-testid="json-finding" data-code=f.code.clone() data-line=line>
                                    <button type="button" class="line-link" on:click=move |_| go_to_line(line)>
                                        {format!("line {line}")}
                                    </button>
                                    <span class="sev">{sev.clone()}</span>
                                    <span class="message">{f.message.clone()}</span>
                                    {f.fix.clone().map(|x| view! { <span class="fix">{x}</span> })}
                                    {has_fix
                                        .then(|| {
                                            view! {
                                                <button
                                                    type="button"
                                                    class="fix-button"
                                                    data-testid="json-quick-fix"
                                                    on:click=move |_| fix(f2.clone())
                                                >
                                                    "Fix it"
                                                </button>
                                            }
                                        })}
                                    <span class="code">{f.code.clone()}</span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_is_checked_with_lines_and_structural_errors_block() {
        let a = analyse(
            "{\n  \"family\": \"web\",\n  \"memroy\": \"512\",\n  \"containerDefinitions\": []\n}",
        );
        assert!(a.blocking);
        let f = a
            .findings
            .iter()
            .find(|f| f.code == "unknown-field")
            .unwrap();
        assert_eq!(f.line, Some(3));
        let ok = analyse(
            "{\"family\": \"web\", \"requiresCompatibilities\": [\"FARGATE\"], \"networkMode\": \"awsvpc\", \
             \"cpu\": \"256\", \"memory\": \"3000\", \
             \"containerDefinitions\": [{\"name\": \"web\", \"image\": \"nginx:1.27\"}]}",
        );
        assert!(!ok.blocking, "{:?}", ok.findings);
        assert!(ok.findings.iter().any(|f| f.code == "fargate-cpu-memory"));
        let bad = analyse("{\n  \"family\": ");
        assert!(bad.blocking);
        assert_eq!(bad.findings[0].code, "json-syntax");
        assert_eq!(bad.findings[0].line, Some(2));
    }

    #[test]
    fn json_task_definitions_are_pasted_at_once() {
        assert!(pasted_as_is(
            r#"{"family": "x", "containerDefinitions": []}"#
        ));
        assert!(pasted_as_is("512"));
        // The engine worker decides for the rest (tested in worker/src/paste.rs).
        assert!(!pasted_as_is("\"memory\": \"512\""));
        assert!(!pasted_as_is("services:\n  web:\n    image: nginx\n"));
        assert!(!pasted_as_is(r#"{"schemaVersion": 1}"#));
        assert!(!pasted_as_is(r#"{"taskDefinition": {"family": "a"}}"#));
    }
}
