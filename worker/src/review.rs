//! The architecture review of the page's Review view: the engine's report of the plan (compared
//! with an older plan when asked), the body of its HTML to show, and its file in every format.

use engine::api::review::{self, ReviewOptions, FORMATS};
use protocol::review::{File, Review, Reviewed};
use protocol::Failure;

/// The file name of a format: `PLAN-review.md`, `.html`, `.json`, `.xml` (JUnit), `.sarif`.
pub fn file_name(plan_file: &str, format: &str) -> String {
    let stem = plan_file
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .trim_end_matches(".json");
    let stem = if stem.is_empty() { "plan" } else { stem };
    let ext = match format {
        "junit" => "xml",
        f => f,
    };
    format!("{stem}-review.{ext}")
}

/// Reviews the plan as `ecsplan review FILE [--against OLD] [--seed N]` does.
pub fn run(r: &Review) -> Result<Reviewed, Failure> {
    let opts = |file: &str| ReviewOptions {
        seed: r.seed,
        ..ReviewOptions::for_file(file)
    };
    let mut report = review::review_text(&r.plan, &opts(&r.file));
    if let Some(old) = &r.against {
        let before = review::review_text(&old.plan, &opts(&old.file));
        report = review::compare(report, &before);
    }
    let files = FORMATS
        .iter()
        .map(|f| File {
            format: f.to_string(),
            name: file_name(&r.file, f),
            content: review::render(&report, f),
        })
        .collect();
    Ok(Reviewed {
        body: review::render_html_body(&report),
        report: serde_json::to_value(&report).map_err(|e| {
            Failure::new(
                Failure::CRASHED,
                format!("the report could not be written: {e}"),
            )
        })?,
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_follow_the_plan() {
        assert_eq!(file_name("shop.json", "junit"), "shop-review.xml");
        assert_eq!(file_name("a/b/shop.json", "md"), "shop-review.md");
        assert_eq!(file_name("", "sarif"), "plan-review.sarif");
    }
}
