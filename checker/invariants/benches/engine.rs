//! `cargo bench -p handbook-invariants`: how long the engine takes, for the record (no budget:
//! nobody can tell 20 µs from 300 µs; what a person feels is measured in the browser tests and
//! by `cargo xtask bench-build`): one case against the five protocols, loading all rule data,
//! and a slice of the exhaustive sweep.

use criterion::{Criterion, criterion_group, criterion_main};
use handbook_content::Library;
use handbook_engine::load::{self, Paragraphs};
use handbook_engine::{Case, Protocol, evaluate};
use handbook_invariants::sweep::{Grid, Outcome};
use std::hint::black_box;
use std::time::Duration;

fn library() -> Library {
    handbook_invariants::library().expect("the protocols load")
}

/// Typical cases: a looked-after child missing two days (with times, so deadlines are worked
/// out), a young child just returned, and a case with most fields unknown.
fn cases() -> Vec<(&'static str, Case)> {
    let case = |json: &str| Case::from_json_str(json).expect("a valid case");
    vec![
        (
            "looked-after-missing-49h-with-times",
            case(
                r#"{"age": 15, "looked_after": true, "returned": false, "whereabouts_known": false,
                    "missing_since": "2025-10-24T10:00:00+01:00", "now": "2025-10-26T11:00:00+00:00",
                    "police_risk": "medium", "episodes_28_days": 3, "episodes_90_days": 4,
                    "episodes_12_months": 6, "exploitation_concern": true}"#,
            ),
        ),
        (
            "returned-12-year-old-high-risk",
            case(
                r#"{"age": 12, "looked_after": false, "returned": true, "hours_missing": 30,
                    "police_risk": "high", "child_protection_plan": true}"#,
            ),
        ),
        ("age-only", case(r#"{"age": 14}"#)),
    ]
}

fn evaluation(c: &mut Criterion) {
    let lib = library();
    let protocols: Vec<&Protocol> = lib.protocols.iter().map(|p| &p.protocol).collect();
    let mut group = c.benchmark_group("one case × five protocols");
    for (name, case) in cases() {
        group.bench_function(name, |b| {
            b.iter(|| {
                for p in &protocols {
                    black_box(evaluate(p, black_box(&case)));
                }
            })
        });
    }
    group.finish();
}

fn loading(c: &mut Criterion) {
    let lib = library();
    // The rule data's text, and the paragraphs it is checked against, read once.
    let inputs: Vec<(String, String, Paragraphs)> = lib
        .protocols
        .iter()
        .map(|p| {
            let read = |f: &str| std::fs::read_to_string(p.dir.join(f)).expect("readable");
            let paragraphs = p
                .paragraphs
                .iter()
                .map(|(k, v)| (k.clone(), v.text.clone()))
                .collect();
            (read("rules.toml"), read("scenarios.toml"), paragraphs)
        })
        .collect();
    let mut group = c.benchmark_group("loading");
    group.bench_function(
        "all rule data (rules and scenarios, parsed and validated)",
        |b| {
            b.iter(|| {
                for (rules, scenarios, paragraphs) in &inputs {
                    let set = load::rules("rules.toml", black_box(rules), paragraphs)
                        .expect("valid rules");
                    black_box(
                        load::scenarios("scenarios.toml", black_box(scenarios), &set.rules)
                            .expect("valid scenarios"),
                    );
                }
            })
        },
    );
    // What the checker does when it starts in the browser: read its rule data
    // (`checker/rules.bin`, written with `handbook_engine::bundle`).
    let bundled = handbook_engine::bundle::encode(&lib.checker_rules()).expect("encodes");
    group.bench_function("the checker's rule data (postcard)", |b| {
        b.iter(|| black_box(handbook_engine::bundle::decode(black_box(&bundled)).expect("reads")))
    });
    group.sample_size(10);
    group.bench_function(
        "the whole protocols folder from disk (text, Markdown, rules, scenarios)",
        |b| b.iter(|| black_box(handbook_content::load(&lib.root, None).expect("loads"))),
    );
    group.finish();
}

fn sweep(c: &mut Criterion) {
    let lib = library();
    let mut group = c.benchmark_group("sweep");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    // One case in 101 of the grid (every value of every axis appears); the whole grid is timed
    // by the `sweep` binary, which takes too long for criterion's ten samples on two cores.
    group.bench_function("1 in 101 cases of the grid, five protocols", |b| {
        b.iter(|| {
            black_box(
                Outcome::run(&lib, |g: &Grid| Some((0..g.len()).step_by(101).collect()))
                    .expect("notes load"),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, evaluation, loading, sweep);
criterion_main!(benches);
