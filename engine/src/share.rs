//! Share links: the whole plan in the URL fragment (after `#`, so it never reaches a server),
//! versioned and compressed: `#plan=v1.<base64url(deflate(plan JSON))>`.
//!
//! The version prefix lets a later planner read old links; decoding refuses unknown versions,
//! damaged text and anything that inflates beyond [`MAX_PLAN_BYTES`] with a finding, never a
//! panic.

use crate::findings::{Finding, JsonPath};
use crate::plan::{Loaded, Plan};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// The largest plan a link may carry once inflated.
pub const MAX_PLAN_BYTES: usize = 8 * 1024 * 1024;

const PREFIX: &str = "plan=v1.";

/// The fragment (without `#`) that carries `plan`.
pub fn encode(plan: &Plan) -> String {
    pack(&serde_json::to_vec(&plan.to_value()).unwrap_or_default())
}

/// The fragment (without `#`) that carries a plan's JSON text: what [`encode`] writes, for a
/// caller that has the text already (the page's engine worker: the compression is not part of
/// the page's first load).
pub fn pack(json: &[u8]) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(json, 9);
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(packed))
}

/// Reads a fragment made by [`encode`] (with or without the leading `#`).
pub fn decode(fragment: &str) -> Loaded {
    match unpack(fragment) {
        Ok(text) => crate::load::load(&text),
        Err(f) => Loaded {
            plan: None,
            findings: vec![*f],
        },
    }
}

/// The plan's JSON text in a fragment made by [`encode`] (not yet loaded), or why there is
/// none: what [`decode`] reads before it loads the text.
pub fn unpack(fragment: &str) -> Result<String, Box<Finding>> {
    let fail = |msg: String, fix: &str| {
        Err(Box::new(
            Finding::error("share-link", JsonPath::root(), msg).with_fix(fix),
        ))
    };
    let f = fragment.trim().trim_start_matches('#');
    let Some(body) = f.strip_prefix(PREFIX) else {
        return match f.strip_prefix("plan=v").and_then(|r| r.split('.').next()) {
            Some(v) => fail(
                format!("this link was made by a newer ECS Planner (link version {v}); this one reads version 1"),
                "open the link with a newer ECS Planner",
            ),
            None => fail("the link does not carry a plan".into(), "copy the whole link, including the part after #"),
        };
    };
    let packed = match URL_SAFE_NO_PAD.decode(body.as_bytes()) {
        Ok(b) => b,
        Err(e) => {
            return fail(
                format!("the link is damaged ({e})"),
                "copy the whole link again",
            )
        }
    };
    let json = match miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_PLAN_BYTES) {
        Ok(j) => j,
        Err(_) => {
            return fail(
                "the link is damaged or too large to be a plan".into(),
                "copy the whole link again",
            )
        }
    };
    match String::from_utf8(json) {
        Ok(text) => Ok(text),
        Err(_) => fail(
            "the link does not hold text".into(),
            "copy the whole link again",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_survives_the_round_trip_and_the_link_is_small() {
        for name in [
            "two-az-web.json",
            "fargate-spot.json",
            "mixed-memberof.json",
        ] {
            let text = std::fs::read_to_string(format!(
                "{}/../public/plans/{name}",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap();
            let plan = crate::load::load(&text).plan.unwrap();
            let link = encode(&plan);
            assert!(link.starts_with("plan=v1."));
            assert!(
                link.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "=._-".contains(c)),
                "URL-safe"
            );
            assert!(
                link.len() < text.len() / 2,
                "{name}: {} bytes of link for {} of plan",
                link.len(),
                text.len()
            );
            let back = decode(&format!("#{link}"));
            assert_eq!(
                back.plan.as_ref(),
                Some(&plan),
                "{name}: {:?}",
                back.findings
            );
            // and the fragment is byte-identical when encoded again
            assert_eq!(encode(&back.plan.unwrap()), link);
        }
    }

    #[test]
    fn pack_and_unpack_are_encode_and_decode_on_the_text() {
        let text = std::fs::read_to_string(format!(
            "{}/../public/plans/two-az-web.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let plan = crate::load::load(&text).plan.unwrap();
        let json = serde_json::to_string(&plan.to_value()).unwrap();
        let link = pack(json.as_bytes());
        assert_eq!(link, encode(&plan));
        assert_eq!(unpack(&format!("#{link}")).unwrap(), json);
        assert!(unpack("plan=v1.AAAA")
            .unwrap_err()
            .message
            .contains("damaged"));
    }

    #[test]
    fn damaged_or_foreign_links_are_findings() {
        assert!(decode("plan=v1.%%%").findings[0]
            .message
            .contains("damaged"));
        assert!(decode("plan=v1.AAAA").findings[0]
            .message
            .contains("damaged"));
        assert!(decode("plan=v7.xyz").findings[0]
            .message
            .contains("newer ECS Planner"));
        assert!(decode("#section-2").findings[0]
            .message
            .contains("does not carry a plan"));
        // a bomb: 100 MB of zeros deflates to ~100 KB
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b' '; 100 * 1024 * 1024], 9);
        let link = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bomb));
        assert!(decode(&link).findings[0].message.contains("too large"));
    }

    proptest::proptest! {
        #[test]
        fn decode_never_panics(s in "\\PC{0,200}") {
            let _ = decode(&s);
            let _ = decode(&format!("plan=v1.{s}"));
        }
    }
}
