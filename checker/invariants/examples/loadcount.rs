//! Loading and validating all rule data (rules and scenarios) `N` times, for
//! `perf stat -e task-clock` (CPU time): `loadcount N`; or for instruction counts,
//! `valgrind --tool=callgrind --toggle-collect=loadcount::repeat loadcount 20`.

use handbook_engine::load::{self, Paragraphs};
fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let lib = handbook_invariants::library().expect("lib");
    let inputs: Vec<(String, String, Paragraphs)> = lib
        .protocols
        .iter()
        .map(|p| {
            let read = |f: &str| std::fs::read_to_string(p.dir.join(f)).expect("readable");
            (
                read("rules.toml"),
                read("scenarios.toml"),
                p.paragraphs
                    .iter()
                    .map(|(k, v)| (k.clone(), v.text.clone()))
                    .collect(),
            )
        })
        .collect();
    println!("{}", repeat(n, &inputs));
}

/// The timed loop, on its own for `valgrind --tool=callgrind --toggle-collect=loadcount::repeat`.
#[inline(never)]
fn repeat(n: usize, inputs: &[(String, String, Paragraphs)]) -> usize {
    let mut total = 0;
    for _ in 0..n {
        for (r, s, p) in inputs {
            let set = load::rules("rules.toml", r, p).expect("rules");
            total += load::scenarios("scenarios.toml", s, &set.rules)
                .expect("sc")
                .len();
        }
    }
    total
}

/// As `benches/engine.rs`: the allocator of the programs that load rule data.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
