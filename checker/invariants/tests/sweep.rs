//! The exhaustive sweep, as a test: a stratified seventh of the grid in every protocol (every
//! value of every axis appears; the whole grid, 5 × 215,280 cases, runs in release with
//! `cargo run --release -p handbook-invariants --bin sweep`). No case may panic; every gap
//! and overlap must be explained in the protocol's `sweep-notes.toml`, and every note must
//! explain something. The report goes to `target/sweep/report-test.txt`.

use handbook_invariants::sweep::{Grid, Outcome};
use std::time::Instant;

/// One case in this many. Prime and larger than every axis but age, so that the chosen cases
/// spread over every axis (checked below).
const STRIDE: usize = 7;

fn stratified(grid: &Grid) -> Vec<usize> {
    (0..grid.len()).step_by(STRIDE).collect()
}

#[test]
fn the_grid_has_no_unexplained_gap_or_overlap() {
    let lib = handbook_invariants::library().expect("the protocols load");
    let started = Instant::now();
    let outcome = Outcome::run(&lib, |g| Some(stratified(g))).expect("the sweep notes load");
    let secs = started.elapsed().as_secs_f64();

    // The subset visits every value of every axis.
    let grid = &outcome.grid;
    let chosen: Vec<_> = stratified(grid).into_iter().map(|i| grid.case(i)).collect();
    for age in &grid.ages {
        assert!(chosen.iter().any(|c| c.age == Some(*age)), "age {age}");
    }
    for la in &grid.looked_after {
        assert!(chosen.iter().any(|c| c.looked_after == *la), "{la:?}");
    }
    for h in &grid.hours {
        for r in &grid.returned {
            assert!(
                chosen
                    .iter()
                    .any(|c| c.hours_missing == Some(*h) && c.returned == Some(*r)),
                "hours {h}, returned {r}"
            );
        }
    }
    for e in &grid.episodes {
        assert!(chosen.iter().any(|c| c.episodes_28_days == Some(*e)), "{e}");
    }
    for risk in &grid.risks {
        assert!(chosen.iter().any(|c| c.police_risk == *risk), "{risk:?}");
    }

    let report = outcome.report(&format!("1 case in {STRIDE}"));
    let dir = handbook_invariants::target_dir().join("sweep");
    std::fs::create_dir_all(&dir).expect("target/sweep");
    std::fs::write(dir.join("report-test.txt"), &report).expect("the report");
    println!(
        "sweep: {} cases in {secs:.1} s ({} per protocol, 1 in {STRIDE} of a grid of {}); {} gaps, {} overlapping pairs of rules; report in target/sweep/report-test.txt",
        outcome.cases(),
        outcome.cases() / lib.protocols.len().max(1),
        grid.len(),
        outcome.gaps(),
        outcome.overlaps()
    );
    let problems = outcome.problems(true);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
