//! Image references: parsed into registry, repository, tag and digest, and checked the way
//! AWS (length, characters, digest form) and Docker (reference grammar) check them
//! (`task_definition_parameters.md`, "Image"; the API model's `ContainerDefinition.image`).
//!
//! Registries told apart: Amazon ECR private (`ACCOUNT.dkr.ecr.REGION.amazonaws.com/repo`),
//! Amazon ECR Public (`public.ecr.aws/...`), Docker Hub (no registry host, `docker.io`), and
//! any other registry host.

use super::{finding, Facts};
use crate::findings::Finding;
use std::fmt;

/// Where an image comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registry {
    /// Docker Hub: `nginx`, `grafana/grafana`, `docker.io/library/redis`.
    DockerHub,
    /// A private Amazon ECR registry.
    EcrPrivate { account: String, region: String },
    /// Amazon ECR Public Gallery: `public.ecr.aws/...`.
    EcrPublic,
    /// Any other registry host (`quay.io`, `ghcr.io`, `registry.local:5000`).
    Other(String),
}

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    pub registry: Registry,
    /// The registry host as written, if any.
    pub host: Option<String>,
    /// The repository path (`library/nginx` is written `nginx` on Docker Hub and kept as written).
    pub repository: String,
    pub tag: Option<String>,
    /// `sha256:<64 hex>`.
    pub digest: Option<String>,
}

impl fmt::Display for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Registry::DockerHub => f.write_str("Docker Hub"),
            Registry::EcrPrivate { account, region } => {
                write!(f, "Amazon ECR (account {account}, {region})")
            }
            Registry::EcrPublic => f.write_str("Amazon ECR Public"),
            Registry::Other(h) => f.write_str(h),
        }
    }
}

/// Why an image reference is refused: the rule code, what is wrong, how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageError {
    pub code: &'static str,
    pub message: String,
    pub fix: String,
}

fn err(code: &'static str, message: impl Into<String>, fix: impl Into<String>) -> ImageError {
    ImageError {
        code,
        message: message.into(),
        fix: fix.into(),
    }
}

/// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`, Docker's path component.
fn component_ok(c: &str) -> bool {
    let b = c.as_bytes();
    if b.is_empty() || !b[0].is_ascii_alphanumeric() || !b[b.len() - 1].is_ascii_alphanumeric() {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        let ch = b[i];
        if ch.is_ascii_lowercase() || ch.is_ascii_digit() {
            i += 1;
            continue;
        }
        // A separator: ".", "_", "__" or a run of "-", followed by an alphanumeric.
        let start = i;
        match ch {
            b'.' => i += 1,
            b'_' => {
                i += 1;
                if i < b.len() && b[i] == b'_' {
                    i += 1;
                }
            }
            b'-' => {
                while i < b.len() && b[i] == b'-' {
                    i += 1;
                }
            }
            _ => return false,
        }
        if i == start || i >= b.len() || !(b[i].is_ascii_lowercase() || b[i].is_ascii_digit()) {
            return false;
        }
    }
    true
}

/// `[\w][\w.-]{0,127}`, Docker's tag.
fn tag_ok(t: &str) -> bool {
    let b = t.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && (b[0].is_ascii_alphanumeric() || b[0] == b'_')
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

/// `ACCOUNT.dkr.ecr[-fips].REGION.amazonaws.com[.cn]` → (account, region).
fn ecr_host(host: &str) -> Option<(String, String)> {
    let rest = host
        .strip_suffix(".amazonaws.com")
        .or_else(|| host.strip_suffix(".amazonaws.com.cn"))?;
    let mut parts = rest.split('.');
    let account = parts.next()?;
    if parts.next()? != "dkr" {
        return None;
    }
    let ecr = parts.next()?;
    if ecr != "ecr" && ecr != "ecr-fips" {
        return None;
    }
    let region = parts.next()?;
    let ok = parts.next().is_none()
        && account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    ok.then(|| (account.to_string(), region.to_string()))
}

/// Parses an image reference, or says why AWS or Docker would refuse it.
pub fn parse_image(s: &str) -> Result<ImageRef, ImageError> {
    if s.trim().is_empty() {
        return Err(err(
            "image-reference",
            "the image is empty",
            "give the image, e.g. public.ecr.aws/nginx/nginx:1.27",
        ));
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "-_:./@".contains(*c)))
    {
        return Err(err(
            "image-reference",
            format!("the image \"{s}\" contains {c:?}; an image reference uses letters, digits, - _ : . / and @ only"),
            "remove the character (no spaces, quotes or shell syntax in image names)",
        ));
    }
    let (name, digest) = match s.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (s, None),
    };
    if let Some(d) = digest {
        let ok = d
            .strip_prefix("sha256:")
            .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()));
        if !ok {
            return Err(err(
                "image-digest",
                format!("the digest \"{d}\" of image \"{name}\" must be sha256: followed by exactly 64 hex digits"),
                "copy the full digest from the registry (docker inspect or the ECR console), or use a tag",
            ));
        }
    }
    let limited = if digest.is_some() { name } else { s };
    if limited.chars().count() > 255 {
        return Err(err(
            "image-length",
            format!(
                "the image reference has {} characters{}; at most 255 are allowed",
                limited.chars().count(),
                if digest.is_some() { " before @" } else { "" }
            ),
            "use a shorter repository name or tag",
        ));
    }
    let (host, path) = match name.split_once('/') {
        Some((first, rest))
            if first.contains('.') || first.contains(':') || first == "localhost" =>
        {
            (Some(first), rest)
        }
        _ => (None, name),
    };
    let (repository, tag) = match path.rsplit_once(':') {
        Some((r, t)) => (r, Some(t)),
        None => (path, None),
    };
    if repository.contains(':') {
        return Err(err(
            "image-reference",
            format!("the image \"{s}\" has more than one tag separator ':'"),
            "write REPOSITORY:TAG, e.g. nginx:1.27",
        ));
    }
    if let Some(t) = tag {
        if !tag_ok(t) {
            return Err(err(
                "image-reference",
                format!("the tag \"{t}\" of image \"{s}\" is not a valid tag (letters, digits, _ . -, starting with a letter, digit or _, at most 128)"),
                "use a tag such as 1.4.2 or 2024-11-01",
            ));
        }
    }
    for comp in repository.split('/') {
        if !component_ok(comp) {
            let lower = comp.to_ascii_lowercase();
            return Err(if comp != lower && component_ok(&lower) {
                err(
                    "image-reference",
                    format!("the repository \"{repository}\" of image \"{s}\" has uppercase letters; Docker only pulls lowercase repository names"),
                    format!("use \"{}\"", s.replace(comp, &lower)),
                )
            } else {
                err(
                    "image-reference",
                    format!("\"{comp}\" in image \"{s}\" is not a valid repository name part (lowercase letters and digits, separated by . _ __ or -)"),
                    "check the repository name in the registry",
                )
            });
        }
    }
    let registry = match host {
        None | Some("docker.io" | "index.docker.io" | "registry-1.docker.io") => Registry::DockerHub,
        Some("public.ecr.aws") => Registry::EcrPublic,
        Some(h) => match ecr_host(h) {
            Some((account, region)) => Registry::EcrPrivate { account, region },
            None if h.contains(".dkr.ecr") => {
                return Err(err(
                    "image-reference",
                    format!("\"{h}\" is not a valid Amazon ECR registry (ACCOUNT.dkr.ecr.REGION.amazonaws.com, with a 12-digit account)"),
                    "copy the repository URI from the ECR console",
                ))
            }
            None => Registry::Other(h.to_string()),
        },
    };
    Ok(ImageRef {
        registry,
        host: host.map(str::to_string),
        repository: repository.to_string(),
        tag: tag.map(str::to_string),
        digest: digest.map(str::to_string),
    })
}

pub(super) fn check(f: &Facts, out: &mut Vec<Finding>) {
    for (_, c, p) in f.containers() {
        let p = p.key("image");
        let img = match parse_image(&c.image) {
            Ok(i) => i,
            Err(e) => {
                out.push(finding(
                    e.code,
                    p,
                    format!("container \"{}\": {}", c.name, e.message),
                    e.fix,
                ));
                continue;
            }
        };
        if img.digest.is_none() && img.tag.as_deref().is_none_or(|t| t == "latest") {
            let shown = format!(
                "{}{}",
                img.host
                    .as_deref()
                    .map(|h| format!("{h}/"))
                    .unwrap_or_default(),
                img.repository
            );
            out.push(finding(
                "image-latest",
                p.clone(),
                format!(
                    "container \"{}\" runs {}: whatever is tagged latest when each task starts, so tasks of one service can run different code",
                    c.name,
                    if img.tag.is_some() { format!("\"{shown}:latest\"") } else { format!("\"{shown}\" with no tag (that is :latest)") }
                ),
                format!("pin a version, e.g. \"{shown}:1.2.3\", or a digest \"{shown}@sha256:...\""),
            ));
        }
        if let (Registry::EcrPrivate { region, .. }, Some(plan_region)) = (&img.registry, f.region)
        {
            if region != plan_region {
                out.push(finding(
                    "image-cross-region",
                    p,
                    format!(
                        "container \"{}\" pulls from ECR in {region} while the plan runs in {plan_region}: slower starts, cross-Region data charges, and no start if {region} is unreachable",
                        c.name
                    ),
                    format!("replicate the repository to {plan_region} (ECR replication) and use {}", c.image.replacen(&format!(".{region}."), &format!(".{plan_region}."), 1)),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registries() {
        // task_definition_parameters.md, "Image": the forms AWS documents.
        let e =
            parse_image("123456789012.dkr.ecr.us-east-1.amazonaws.com/my-web-app:latest").unwrap();
        assert_eq!(
            e.registry,
            Registry::EcrPrivate {
                account: "123456789012".into(),
                region: "us-east-1".into()
            }
        );
        assert_eq!(e.tag.as_deref(), Some("latest"));
        assert_eq!(parse_image("ubuntu").unwrap().registry, Registry::DockerHub);
        assert_eq!(
            parse_image("amazon/amazon-ecs-agent").unwrap().registry,
            Registry::DockerHub
        );
        assert_eq!(
            parse_image("quay.io/assemblyline/ubuntu").unwrap().registry,
            Registry::Other("quay.io".into())
        );
        assert_eq!(
            parse_image("public.ecr.aws/docker/library/python:3.12-slim")
                .unwrap()
                .registry,
            Registry::EcrPublic
        );
        let d = parse_image(&format!("nginx@sha256:{}", "a".repeat(64))).unwrap();
        assert!(d.digest.is_some() && d.tag.is_none());
        assert_eq!(
            parse_image("localhost:5000/app:1").unwrap().registry,
            Registry::Other("localhost:5000".into())
        );
    }

    #[test]
    fn refusals() {
        assert_eq!(
            parse_image("nginx@sha256:abc").unwrap_err().code,
            "image-digest"
        );
        assert_eq!(
            parse_image(&format!("nginx@sha256:{}", "g".repeat(64)))
                .unwrap_err()
                .code,
            "image-digest"
        );
        assert_eq!(
            parse_image(&"a".repeat(256)).unwrap_err().code,
            "image-length"
        );
        assert!(parse_image(&format!("{}@sha256:{}", "a".repeat(250), "0".repeat(64))).is_ok());
        assert_eq!(parse_image("My/App:1").unwrap_err().code, "image-reference");
        assert!(parse_image("My/App:1")
            .unwrap_err()
            .message
            .contains("uppercase"));
        assert_eq!(parse_image("nginx:").unwrap_err().code, "image-reference");
        assert_eq!(
            parse_image("12345.dkr.ecr.us-east-1.amazonaws.com/x")
                .unwrap_err()
                .code,
            "image-reference"
        );
        assert_eq!(
            parse_image("nginx latest").unwrap_err().code,
            "image-reference"
        );
        assert_eq!(parse_image("").unwrap_err().code, "image-reference");
        assert!(parse_image("a--b/c__d/e.f:_t").is_ok());
        assert!(parse_image("a-/b").is_err());
    }
}
