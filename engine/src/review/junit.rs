//! The report as JUnit XML, for CI systems that show test results: one test suite of the
//! gates (a failed gate is a `<failure>`) and one per report section with its checks. A check
//! that no gate enforces and that does not pass is `<skipped>` with its evidence, so it is seen
//! without failing the build; set the gate to enforce it.

use super::{Check, Report};
use crate::text::escape_html as escape;

fn case(out: &mut String, class: &str, name: &str, body: &str) {
    out.push_str(&format!(
        "    <testcase classname=\"{}\" name=\"{}\" time=\"0\"",
        escape(class),
        escape(name)
    ));
    if body.is_empty() {
        out.push_str("/>\n");
    } else {
        out.push_str(">\n");
        out.push_str(body);
        out.push_str("    </testcase>\n");
    }
}

fn check_body(c: &Check) -> String {
    let text = format!("{}\nshown by: {}", c.evidence, c.command);
    if c.passed {
        format!("      <system-out>{}</system-out>\n", escape(&text))
    } else if c.gate.is_some() {
        format!(
            "      <failure message=\"{}\" type=\"gate\">{}</failure>\n",
            escape(&c.evidence),
            escape(&text)
        )
    } else {
        format!(
            "      <skipped message=\"{}\"/>\n      <system-out>{}</system-out>\n",
            escape(&format!("not gated: {}", c.evidence)),
            escape(&text)
        )
    }
}

/// The report's checks as JUnit XML: one test suite per section, one test case per check, a failure for each check that did not pass (what CI dashboards read).
pub fn render_junit(r: &Report) -> String {
    let mut suites = String::new();
    let mut tests = 0;
    let mut failures = 0;
    // Gates.
    let mut body = String::new();
    let gate_failures = r.gates.iter().filter(|g| !g.passed).count();
    for g in &r.gates {
        let text = format!("{}\nshown by: {}", g.evidence, g.command);
        let inner = if g.passed {
            format!("      <system-out>{}</system-out>\n", escape(&text))
        } else {
            format!(
                "      <failure message=\"{}\" type=\"gate\">{}</failure>\n",
                escape(&g.evidence),
                escape(&text)
            )
        };
        case(
            &mut body,
            "review.gates",
            &format!("{} = {}", g.gate, g.setting),
            &inner,
        );
    }
    tests += r.gates.len();
    failures += gate_failures;
    suites.push_str(&format!(
        "  <testsuite name=\"review.gates\" tests=\"{}\" failures=\"{gate_failures}\" errors=\"0\" skipped=\"0\">\n{body}  </testsuite>\n",
        r.gates.len()
    ));
    // Each section's checks.
    let mut sections: Vec<&str> = Vec::new();
    for c in &r.checks {
        if !sections.contains(&c.section.as_str()) {
            sections.push(&c.section);
        }
    }
    for s in sections {
        let checks: Vec<&Check> = r.checks.iter().filter(|c| c.section == s).collect();
        let f = checks
            .iter()
            .filter(|c| !c.passed && c.gate.is_some())
            .count();
        let sk = checks
            .iter()
            .filter(|c| !c.passed && c.gate.is_none())
            .count();
        let mut body = String::new();
        for c in &checks {
            case(&mut body, &format!("review.{s}"), &c.name, &check_body(c));
        }
        tests += checks.len();
        failures += f;
        suites.push_str(&format!(
            "  <testsuite name=\"review.{}\" tests=\"{}\" failures=\"{f}\" errors=\"0\" skipped=\"{sk}\">\n{body}  </testsuite>\n",
            escape(s),
            checks.len()
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n{suites}</testsuites>\n",
        escape(&format!("ecsplan review {}", r.plan.file))
    )
}
