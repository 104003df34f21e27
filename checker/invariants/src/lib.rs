//! The engine under scrutiny.
//!
//! - [`sweep`]: every case of a grid (age × looked after × returned × hours missing at the
//!   protocols' own thresholds ± 1 × episodes × police risk) against every protocol: no panic,
//!   and a report of *gaps* (no rule at all applies) and *overlaps* (two rules give the same
//!   action different timescales from the same event).
//! - [`notes`]: `protocols/<id>/sweep-notes.toml`, where each accepted gap or overlap is
//!   recorded with its reason, so that an unexplained new one fails the test.
//!
//! The property tests, the loader fuzzing (`tests/`) and the criterion benchmarks (`benches/`)
//! use this crate; the `sweep` binary runs the whole grid (in release) and writes the report.

pub mod notes;
pub mod sweep;

use handbook_content::Library;
use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The protocols folder: `MCPH_PROTOCOLS` when set (as `cargo xtask test` does), else the
/// workspace's `protocols/`.
pub fn protocols_dir() -> PathBuf {
    match std::env::var_os("MCPH_PROTOCOLS") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => workspace().join("protocols"),
    }
}

/// Cargo's target folder, honouring `CARGO_TARGET_DIR`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if !d.is_empty() => {
            let d = PathBuf::from(d);
            if d.is_relative() {
                workspace().join(d)
            } else {
                d
            }
        }
        _ => workspace().join("target"),
    }
}

/// Every protocol, loaded and checked; the problems as text when there are any.
pub fn library() -> Result<Library, String> {
    let dir = protocols_dir();
    handbook_content::load(&dir, None).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        format!(
            "the protocols folder {} has problems:\n{}",
            dir.display(),
            lines.join("\n")
        )
    })
}
