//! The time view names each task's capacity provider and zone, as `simulate --json` does: a
//! simulated morning of the Fargate Spot sample, scrubbed to 09:00, shows Fargate Spot tasks
//! marked SPOT with their zone on the moment board, and the Gantt rows say the same.

mod editors_common;
mod shell_common;

use std::time::Duration;

use e2e::TIMEOUT;
use editors_common::open_sample;
use serde_json::json;
use shell_common::*;

/// A simulated morning can take a while on a busy 2-core machine.
const RUN: Duration = Duration::from_secs(90);

#[tokio::test]
async fn a_fargate_spot_task_names_its_provider_and_zone_at_a_moment() {
    let Some(h) = e2e::Harness::start() else {
        return;
    };
    let b = h.browser().await;
    open(&b).await;
    open_sample(&b, "fargate-spot", "Fargate with a Spot share").await;
    b.click("[data-testid=scenario-simulate]").await;
    let hours = b.wait_for("[data-testid=scenario-hours]", TIMEOUT).await;
    hours.clear().await.expect("clear hours");
    hours.send_keys("12").await.expect("type hours");
    b.click("[data-testid=scenario-run]").await;
    b.wait_until(
        "document.querySelector('[data-testid=time-panel]').dataset.state === 'done' \
         && !!document.querySelector('[data-testid=moment-board]')",
        RUN,
    )
    .await;
    // 09:00 on the Monday: the weekday-morning action keeps at least eight tasks.
    let t = 9 * 3600;
    b.js(
        "const s = document.querySelector('[data-testid=scrubber]');\
         s.value = String(arguments[0]); s.dispatchEvent(new Event('input', { bubbles: true }));",
        vec![json!(t)],
    )
    .await;
    b.wait_until(
        &format!(
            "document.querySelector('[data-testid=scrubber]').value === '{t}' && \
             !!document.querySelector('[data-testid=moment-fargate] [data-testid=moment-task]')"
        ),
        TIMEOUT,
    )
    .await;
    let chips = b
        .js(
            "return Array.from(document.querySelectorAll('[data-testid=moment-fargate] [data-testid=moment-task]'))\
               .map(t => ({ cp: t.dataset.capacityProvider, az: t.dataset.az, title: t.title, text: t.textContent }));",
            vec![],
        )
        .await;
    let chips = chips.as_array().expect("chips");
    assert!(chips.len() >= 8, "{chips:?}");
    let spot: Vec<_> = chips.iter().filter(|c| c["cp"] == "FARGATE_SPOT").collect();
    assert!(!spot.is_empty(), "no FARGATE_SPOT chip: {chips:?}");
    let zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
    for c in &spot {
        let az = c["az"].as_str().unwrap_or_default();
        assert!(zones.contains(&az), "{c}");
        let title = c["title"].as_str().unwrap_or_default();
        assert!(
            title.contains(&format!("on FARGATE_SPOT in {az}")),
            "{title}"
        );
        // The chip itself: a SPOT mark and the zone's short name.
        let text = c["text"].as_str().unwrap_or_default();
        assert!(text.contains("SPOT"), "{text}");
        assert!(text.contains(&az[az.len() - 2..]), "{text}");
    }
    // Regular Fargate tasks (the base of two) say FARGATE and carry no SPOT mark.
    let regular: Vec<_> = chips.iter().filter(|c| c["cp"] == "FARGATE").collect();
    assert!(!regular.is_empty(), "{chips:?}");
    for c in &regular {
        assert!(
            !c["text"].as_str().unwrap_or_default().contains("SPOT"),
            "{c}"
        );
        assert!(
            c["title"]
                .as_str()
                .unwrap_or_default()
                .contains("on FARGATE in eu-west-1"),
            "{c}"
        );
    }
    // The Gantt's rows name provider and zone too.
    let rows = b
        .js(
            "return Array.from(document.querySelectorAll('[data-testid=gantt-row]'))\
               .filter(r => r.dataset.capacityProvider === 'FARGATE_SPOT' && r.dataset.az)\
               .map(r => r.querySelector('.gantt-label').title);",
            vec![],
        )
        .await;
    let rows = rows.as_array().expect("rows");
    assert!(!rows.is_empty());
    assert!(
        rows.iter().all(|t| t
            .as_str()
            .is_some_and(|t| t.contains("on FARGATE_SPOT in eu-west-1"))),
        "{rows:?}"
    );
    b.js(
        "document.querySelector('[data-testid=moment-fargate]').scrollIntoView({ block: 'center' });",
        vec![],
    )
    .await;
    b.screenshot("time-moment-fargate-spot").await;
    assert_clean_console(&b).await;
    b.close().await;
}
