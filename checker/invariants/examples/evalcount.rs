//! One case against the five protocols, `N` times (for `perf stat -e task-clock`, which counts
//! CPU time and so is steadier than wall-clock time on a shared machine): `evalcount N CASE`.
//! With N = 0 it prints how many items each protocol gives. For instruction counts:
//! `valgrind --tool=callgrind --toggle-collect=evalcount::repeat evalcount 100 CASE`.

use handbook_engine::{Case, Protocol, evaluate};
fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let which: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let lib = handbook_invariants::library().expect("lib");
    let cases = [
        r#"{"age": 15, "looked_after": true, "returned": false, "whereabouts_known": false,
                    "missing_since": "2025-10-24T10:00:00+01:00", "now": "2025-10-26T11:00:00+00:00",
                    "police_risk": "medium", "episodes_28_days": 3, "episodes_90_days": 4,
                    "episodes_12_months": 6, "exploitation_concern": true}"#,
        r#"{"age": 12, "looked_after": false, "returned": true, "hours_missing": 30,
                    "police_risk": "high", "child_protection_plan": true}"#,
        r#"{"age": 14}"#,
    ];
    let case = Case::from_json_str(cases[which]).expect("case");
    if n == 0 {
        for p in &lib.protocols {
            let e = evaluate(&p.protocol, &case);
            let bytes = serde_json::to_string(&e).map(|j| j.len()).unwrap_or(0);
            println!(
                "{}: class {} actions {} upcoming {} on_return {} cons {} contr {} json {}",
                e.protocol,
                e.classification.len(),
                e.actions.len(),
                e.upcoming.len(),
                e.on_return.len(),
                e.considerations.len(),
                e.contradictions.len(),
                bytes
            );
        }
    }
    let protocols: Vec<&Protocol> = lib.protocols.iter().map(|p| &p.protocol).collect();
    println!("{}", repeat(n, &protocols, &case));
}

/// The timed loop, on its own for `valgrind --tool=callgrind --toggle-collect=evalcount::repeat`
/// (instruction counts: repeatable on a shared machine). Dropping the answers is counted too.
#[inline(never)]
fn repeat(n: usize, protocols: &[&Protocol], case: &Case) -> usize {
    let mut total = 0;
    for _ in 0..n {
        for p in protocols {
            total += std::hint::black_box(evaluate(p, std::hint::black_box(case)))
                .actions
                .len();
        }
    }
    total
}

/// As `benches/engine.rs`: the allocator of the programs that load rule data.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
