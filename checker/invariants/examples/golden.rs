//! Every evaluation of a slice of the sweep's grid (1 case in 13, each as given, with `now`,
//! and with times), as one hash: run it before and after changing the engine to show the
//! answers did not change. `cargo run --release -p handbook-invariants --example golden`.

use handbook_engine::{Case, evaluate};
use handbook_invariants::sweep::Grid;
use std::hash::{DefaultHasher, Hasher};
fn main() {
    let lib = handbook_invariants::library().expect("lib");
    let grid = Grid::new(lib.protocols.iter().map(|p| &p.protocol));
    let base = chrono::DateTime::parse_from_rfc3339("2025-10-20T10:00:00+01:00").expect("t");
    let mut hash = DefaultHasher::new();
    let mut count = 0usize;
    for i in (0..grid.len()).step_by(13) {
        let c = grid.case(i);
        let now = base + chrono::Duration::minutes((i * 37 % 500000) as i64);
        let with_now = Case {
            now: Some(now),
            ..c.clone()
        };
        let h = c.hours_missing.unwrap_or(0.0);
        let since = now - chrono::Duration::minutes((h * 60.0) as i64);
        let timed = Case {
            hours_missing: None,
            missing_since: Some(since),
            returned_at: if c.returned == Some(true) {
                Some(now)
            } else {
                None
            },
            now: Some(now + chrono::Duration::hours(5)),
            ..c.clone()
        };
        for case in [c, with_now, timed] {
            for p in &lib.protocols {
                let json = serde_json::to_string(&evaluate(&p.protocol, &case)).expect("json");
                hash.write(json.as_bytes());
                count += 1;
            }
        }
    }
    println!("{count} evaluations, hash {:016x}", hash.finish());
}

/// As `benches/engine.rs`: the allocator of the programs that load rule data.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
