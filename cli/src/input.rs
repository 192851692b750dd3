//! Reading input files (or standard input) with errors that say which file and why.

use crate::output::Clean;
use crate::UsageError;
use std::io::Read;

/// Refuse files larger than this: a plan is kilobytes; anything this big is a mistake.
const MAX_BYTES: u64 = 64 * 1024 * 1024;

pub fn read_text(path: &str) -> Result<String, UsageError> {
    let mut buf = Vec::new();
    let res = if path == "-" {
        std::io::stdin().take(MAX_BYTES + 1).read_to_end(&mut buf)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(MAX_BYTES + 1).read_to_end(&mut buf))
    };
    res.map_err(|e| UsageError(format!("cannot read {path}: {e}")))?;
    if buf.len() as u64 > MAX_BYTES {
        return Err(UsageError(format!(
            "{path} is larger than {} MiB; is it really a plan?",
            MAX_BYTES >> 20
        )));
    }
    let text = String::from_utf8(buf).map_err(|e| {
        UsageError(format!(
            "{path} is not UTF-8 text (byte {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    // Windows editors start UTF-8 files with a byte order mark, which JSON does not allow and
    // which is invisible in an editor: read past it, and say so.
    match text.strip_prefix('\u{feff}') {
        Some(rest) => {
            note!("ecsplan: {path} starts with a UTF-8 byte order mark (U+FEFF); reading past it (save the file as UTF-8 without BOM to silence this)");
            Ok(rest.to_string())
        }
        None => Ok(text),
    }
}

/// Reads and loads a plan. A plan with errors prints them (to stderr) and gives `Ok(None)`:
/// the caller exits 1, as `validate` would.
pub fn load_plan(path: &str) -> Result<Option<engine::api::plan::Plan>, UsageError> {
    let text = read_text(path)?;
    let loaded = engine::api::plan::load(&text);
    if loaded.has_errors() {
        note!("{path}: the plan has errors; `ecsplan validate {path}` lists them all:");
        for f in loaded.errors().take(10) {
            note!("  {}", Clean(&f.to_string()));
        }
        return Ok(None);
    }
    Ok(loaded.plan)
}
