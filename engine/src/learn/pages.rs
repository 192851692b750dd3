//! The AWS pages a scenario may cite: a page of the stored ECS Developer Guide (with an anchor
//! it really has), or a page on docs.aws.amazon.com; and the link the page shows for each.
//!
//! The stored guide (`../shared/reference/aws-ecs-docs/`) is not part of the repository, so its
//! file names, titles and anchors are listed in `pages.txt`; a test regenerates that list from
//! the folder and fails when the two differ. `ecsplan learn check` can then tell a teacher that a
//! cited page or anchor does not exist without reading anything but the scenario.

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

const PAGES_TXT: &str = include_str!("pages.txt");

/// URL prefixes a scenario may cite besides the stored guide: AWS's documentation, and AWS's own
/// blog (where AWS announces an end of support, e.g. the AWS Copilot CLI's).
pub const CITABLE_PREFIXES: [&str; 2] = [
    "https://docs.aws.amazon.com/",
    "https://aws.amazon.com/blogs/",
];

/// Where the ECS Developer Guide lives online: a stored page `NAME.md` is `NAME.html` there.
const GUIDE: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/";

/// One stored page of the guide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub file: &'static str,
    pub title: &'static str,
    pub anchors: Vec<&'static str>,
}

/// The stored guide's pages, in file name order.
pub fn stored() -> &'static [Page] {
    static PAGES: OnceLock<Vec<Page>> = OnceLock::new();
    PAGES.get_or_init(|| {
        PAGES_TXT
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut parts = l.splitn(3, " | ");
                let file = parts.next()?.trim();
                let title = parts.next()?.trim();
                let anchors = parts.next().unwrap_or("").split_whitespace().collect();
                Some(Page {
                    file,
                    title,
                    anchors,
                })
            })
            .collect()
    })
}

/// A cited page, as the page shows it: a title and a link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Link {
    /// As cited: `task-iam-roles.md#task-iam-roles` or a URL.
    pub cite: String,
    /// The page's title (the stored page's heading, else the cite).
    pub title: String,
    /// Where the page is on docs.aws.amazon.com.
    pub url: String,
}

/// What is wrong with a citation, if anything.
pub fn problem(cite: &str) -> Option<String> {
    if cite.starts_with("http://") || cite.starts_with("https://") {
        if CITABLE_PREFIXES
            .iter()
            .any(|p| cite.starts_with(p) && cite.len() > p.len())
        {
            return None;
        }
        return Some(format!(
            "\"{cite}\" is neither a page of the stored ECS Developer Guide nor a page under {}",
            CITABLE_PREFIXES.join(" or ")
        ));
    }
    let (file, anchor) = cite.split_once('#').unwrap_or((cite, ""));
    let Some(page) = stored().iter().find(|p| p.file == file) else {
        let names: Vec<&str> = stored().iter().map(|p| p.file).collect();
        let hint = crate::schema::did_you_mean(file, names.iter().copied())
            .map(|b| format!("; did you mean {b}?"))
            .unwrap_or_default();
        return Some(format!(
            "\"{file}\" is not a page of the stored ECS Developer Guide{hint}"
        ));
    };
    if !anchor.is_empty() && !page.anchors.contains(&anchor) {
        let hint = crate::schema::did_you_mean(anchor, page.anchors.iter().copied())
            .map(|b| format!("; did you mean #{b}?"))
            .unwrap_or_default();
        return Some(format!("{file} has no anchor #{anchor}{hint}"));
    }
    None
}

/// The title and link of a citation (a URL is its own title when it is not a stored page).
pub fn link(cite: &str) -> Link {
    let (file, anchor) = cite.split_once('#').unwrap_or((cite, ""));
    match stored().iter().find(|p| p.file == file) {
        Some(p) => Link {
            cite: cite.to_string(),
            title: p.title.to_string(),
            url: format!(
                "{GUIDE}{}.html{}",
                file.trim_end_matches(".md"),
                if anchor.is_empty() {
                    String::new()
                } else {
                    format!("#{anchor}")
                }
            ),
        },
        None => Link {
            cite: cite.to_string(),
            title: cite.to_string(),
            url: cite.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_pages_and_anchors_are_checked() {
        assert!(stored().len() >= 30);
        assert_eq!(problem("task-iam-roles.md"), None);
        assert_eq!(problem("task-iam-roles.md#task-iam-roles"), None);
        assert!(problem("task-iam-role.md")
            .unwrap()
            .contains("did you mean task-iam-roles.md"));
        assert!(problem("task-iam-roles.md#nope")
            .unwrap()
            .contains("no anchor #nope"));
        assert_eq!(
            problem("https://docs.aws.amazon.com/eks/latest/userguide/efs-csi.html"),
            None
        );
        assert!(problem("https://example.com/ecs").is_some());
        assert!(problem("https://docs.aws.amazon.com/").is_some());
    }

    #[test]
    fn a_stored_page_links_to_the_online_guide() {
        let l = link("task-iam-roles.md#task-iam-roles");
        assert_eq!(l.title, "Task IAM role");
        assert_eq!(
            l.url,
            "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html#task-iam-roles"
        );
    }
}
