//! The whole grid, every protocol: `cargo run --release -p handbook-invariants --bin sweep`.
//! Writes the report to `target/sweep/report.txt`, prints the counts, and fails when a gap or
//! overlap is not explained in a protocol's `sweep-notes.toml`, or a note explains nothing.

use handbook_invariants::sweep::Outcome;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let lib = match handbook_invariants::library() {
        Ok(lib) => lib,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let started = Instant::now();
    let outcome = match Outcome::run(&lib, |_| None) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let secs = started.elapsed().as_secs_f64();
    let report = outcome.report("the whole grid");
    let dir = handbook_invariants::target_dir().join("sweep");
    let path = dir.join("report.txt");
    if let Err(e) = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, &report)) {
        eprintln!("cannot write {}: {e}", path.display());
    }
    println!(
        "sweep: {} cases ({} per protocol) in {secs:.1} s; {} gaps, {} overlapping pairs; report in {}",
        outcome.cases(),
        outcome.grid.len(),
        outcome.gaps(),
        outcome.overlaps(),
        path.display()
    );
    let problems = outcome.problems(true);
    for p in &problems {
        println!("{p}");
    }
    if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
