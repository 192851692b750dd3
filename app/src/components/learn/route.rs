//! Learn's addresses: `#learn` (the topics and scenarios), `#learn/ID` (a scenario, variant
//! 0) and `#learn/ID/N` (variant N). They cannot be mistaken for a share link (`#plan=...`),
//! and opening one never touches the user's plan: scenarios are played in a session of their own
//! (`Command::Learn`).

/// Where a `#learn` address leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Home,
    Scenario { id: String, variant: u32 },
}

/// The route of a URL fragment (with or without `#`); `None` when it is not Learn's.
pub fn parse(hash: &str) -> Option<Route> {
    let rest = hash.trim_start_matches('#').strip_prefix("learn")?;
    let rest = match rest {
        "" | "/" => return Some(Route::Home),
        r => r.strip_prefix('/')?,
    };
    let mut parts = rest.trim_end_matches('/').split('/');
    let id = parts.next().filter(|id| is_id(id))?.to_string();
    let variant = match parts.next() {
        None => 0,
        Some(n) => n.parse().ok()?,
    };
    if parts.next().is_some() {
        return None;
    }
    Some(Route::Scenario { id, variant })
}

/// The fragment of a route, with `#`.
pub fn fragment(route: &Route) -> String {
    match route {
        Route::Home => "#learn".into(),
        Route::Scenario { id, variant: 0 } => format!("#learn/{id}"),
        Route::Scenario { id, variant } => format!("#learn/{id}/{variant}"),
    }
}

/// Scenario ids are kebab-case (the engine checks the files; this keeps odd addresses out).
fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Where a file named relative to another is on the site: `../../plans/x.json` from
/// `/learn/scenarios/a.json` is `/plans/x.json`.
pub fn resolve(base_file: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = base_file.split('/').collect();
    parts.pop();
    for p in relative.split('/') {
        match p {
            ".." => {
                if parts.len() > 1 {
                    parts.pop();
                }
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learn_addresses() {
        assert_eq!(parse("#learn"), Some(Route::Home));
        assert_eq!(parse("learn/"), Some(Route::Home));
        let s = |id: &str, variant| {
            Some(Route::Scenario {
                id: id.into(),
                variant,
            })
        };
        assert_eq!(parse("#learn/where-web-5-lands"), s("where-web-5-lands", 0));
        assert_eq!(
            parse("#learn/where-web-5-lands/3"),
            s("where-web-5-lands", 3)
        );
        for other in [
            "",
            "#plan=v1.abc",
            "#learnx",
            "#learn/Bad_Id",
            "#learn/a/b",
            "#learn/a/1/2",
            "#time",
        ] {
            assert_eq!(parse(other), None, "{other}");
        }
        for r in [Route::Home, s("a-b", 0).unwrap(), s("a-b", 7).unwrap()] {
            assert_eq!(parse(&fragment(&r)), Some(r));
        }
    }

    #[test]
    fn files_relative_to_a_scenario() {
        assert_eq!(
            resolve("/learn/scenarios/a.json", "../../plans/fargate-spot.json"),
            "/plans/fargate-spot.json"
        );
        assert_eq!(
            resolve("/learn/index.json", "scenarios/a.json"),
            "/learn/scenarios/a.json"
        );
        assert_eq!(resolve("/learn/a.json", "../../../x.json"), "/x.json");
    }
}
