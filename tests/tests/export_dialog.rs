//! The export dialog in the built page: every format of the engine with a preview, Copy and
//! Download; the task definitions exported as cli-json (and the services as CreateService) are
//! checked against the official botocore model with the independent validator of `testkit`.

mod editors_common;
mod shell_common;

use e2e::{report, Browser, TIMEOUT};
use serde_json::{json, Value};
use shell_common::*;

/// Opens the export dialog and chooses `format` (its `data-format`).
async fn choose(b: &Browser, format: &str) {
    if count(b, "[data-testid=export-dialog]").await == 0 {
        b.click("[data-testid=export-open]").await;
    }
    b.click(&format!(
        "[data-testid=export-format][data-format='{format}']"
    ))
    .await;
    b.wait_for(
        &format!("[data-testid=export-format][data-format='{format}'][aria-selected=true]"),
        TIMEOUT,
    )
    .await;
    // The engine worker writes the files: the panel is busy until they are there.
    b.wait_for("#export-files[aria-busy=false]", TIMEOUT).await;
}

/// `[(file name, preview text)]` of the chosen format.
async fn files(b: &Browser) -> Vec<(String, String)> {
    let v = b
        .js(
            "return Array.from(document.querySelectorAll('[data-testid=export-file]'))\
               .map(f => [f.dataset.name, f.querySelector('[data-testid=export-preview]').textContent]);",
            vec![],
        )
        .await;
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_string(),
                p[1].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Checks each JSON file against `shape` of the botocore model `model_file`, when the fixtures
/// are there (else says it skipped; under CI=true `testkit::fixtures` fails instead).
fn check_against_botocore(model_file: &str, shape: &str, files: &[(String, String)]) -> bool {
    let Some(dir) = testkit::fixtures() else {
        report(&format!(
            "SKIPPED the botocore check of {shape}: no fixtures (set ECS_PLANNER_FIXTURES)"
        ));
        return false;
    };
    let model = testkit::botocore::model(&dir, model_file);
    for (name, text) in files {
        let value: Value =
            serde_json::from_str(text).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"));
        testkit::botocore::assert_valid(&model, shape, &value, name);
    }
    true
}

#[tokio::test]
async fn task_definitions_export_as_cli_json_that_botocore_accepts() {
    let Some(h) = e2e::Harness::start() else {
        return;
    };
    let b = h.browser().await;
    open(&b).await;
    choose(&b, "cli-json").await;
    wait_count(&b, "[data-testid=export-file]", 2).await;
    let list = files(&b).await;
    let names: Vec<&str> = list.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["web-1.taskdef.json", "worker-1.taskdef.json"]);
    let web: Value = serde_json::from_str(&list[0].1).unwrap();
    assert_eq!(web["family"], json!("web"));
    assert_eq!(
        web["containerDefinitions"][0]["memoryReservation"],
        json!(768)
    );
    check_against_botocore("ecs.service-2.json", "RegisterTaskDefinitionRequest", &list);
    b.screenshot("export-dialog.png").await;

    // Download: the file offered is the preview, byte for byte.
    b.click(
        "[data-testid=export-file][data-name='web-1.taskdef.json'] [data-testid=export-download]",
    )
    .await;
    b.wait_for(
        "[data-testid=export-link][data-name='web-1.taskdef.json']",
        TIMEOUT,
    )
    .await;
    let downloaded = b
        .js(
            "return fetch(document.querySelector(\"[data-testid=export-link][data-name='web-1.taskdef.json']\").href).then(r => r.text());",
            vec![],
        )
        .await;
    assert_eq!(downloaded.as_str(), Some(list[0].1.as_str()));
    // Copy: the Clipboard API, or the fallback; either way the page says it worked.
    b.click(
        "[data-testid=export-file][data-name='worker-1.taskdef.json'] [data-testid=export-copy]",
    )
    .await;
    b.wait_until(
        "document.querySelector('[data-testid=export-status]').textContent.startsWith('Copied worker-1.taskdef.json')",
        TIMEOUT,
    )
    .await;
    // Several files: one button downloads them all.
    b.click("[data-testid=export-download-all]").await;
    wait_count(&b, "[data-testid=export-link]", 2).await;

    // An edited task definition exports as edited, and still passes.
    b.click("[data-testid=export-close]").await;
    b.wait_for_absent("[data-testid=export-dialog]", TIMEOUT)
        .await;
    editors_common::open_task_definition(&b, 1).await;
    editors_common::type_into(
        &b,
        "[data-testid='td-containerDefinitions[0].memory']",
        "1536",
        Some(fantoccini::key::Key::Tab),
    )
    .await;
    editors_common::wait_undo_says(&b, "in task definition worker").await;
    choose(&b, "cli-json").await;
    let list = files(&b).await;
    let worker: Value = serde_json::from_str(&list[1].1).unwrap();
    assert_eq!(worker["containerDefinitions"][0]["memory"], json!(1536));
    check_against_botocore("ecs.service-2.json", "RegisterTaskDefinitionRequest", &list);
    assert_clean_console(&b).await;
    b.close().await;
}

#[tokio::test]
async fn every_format_has_a_preview_and_services_pass_botocore() {
    let Some(h) = e2e::Harness::start() else {
        return;
    };
    let b = h.browser().await;
    open(&b).await;
    for (format, first) in [
        ("plan", "Two-AZ web cluster.json"),
        ("create-service", "web.service.json"),
        ("capacity-providers", "shop-ondemand.capacity-provider.json"),
        ("autoscaling", ""),
        ("cloudformation", "template.yaml"),
        ("terraform", "main.tf"),
    ] {
        choose(&b, format).await;
        b.wait_for("[data-testid=export-file]", TIMEOUT).await;
        let list = files(&b).await;
        assert!(!list.is_empty(), "{format}: no files");
        assert!(
            list.iter().all(|(_, t)| !t.trim().is_empty()),
            "{format}: an empty preview"
        );
        if !first.is_empty() {
            assert_eq!(list[0].0, first, "{format}: {list:?}");
        }
        if format == "create-service" {
            check_against_botocore("ecs.service-2.json", "CreateServiceRequest", &list);
        }
        if format == "cloudformation" {
            b.screenshot("export-dialog-cloudformation.png").await;
        }
    }
    // Nothing of a kind: the dialog says so.
    choose(&b, "run-task").await;
    b.wait_for("[data-testid=export-empty]", TIMEOUT).await;
    // Keyboard: arrows move between formats; Escape closes.
    let tab = b
        .wait_for(
            "[data-testid=export-format][data-format='run-task']",
            TIMEOUT,
        )
        .await;
    tab.send_keys(&char::from(fantoccini::key::Key::Right).to_string())
        .await
        .unwrap();
    b.wait_for(
        "[data-testid=export-format][data-format='capacity-providers'][aria-selected=true]",
        TIMEOUT,
    )
    .await;
    let tab = b
        .wait_for("[data-testid=export-format][aria-selected=true]", TIMEOUT)
        .await;
    tab.send_keys(&char::from(fantoccini::key::Key::Escape).to_string())
        .await
        .unwrap();
    b.wait_for_absent("[data-testid=export-dialog]", TIMEOUT)
        .await;
    assert_clean_console(&b).await;
    b.close().await;
}
