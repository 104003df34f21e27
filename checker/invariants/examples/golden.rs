//! Every evaluation of a slice of the sweep's grid (1 case in 13, each as given, with `now`,
//! and with times), as hashes: run it before and after changing the engine to show which
//! answers changed. `cargo run --release -p handbook-invariants --example golden`.
//!
//! It prints one hash of what applies (classification, actions, considerations,
//! contradictions: rule, due date and reasons of each) and one of the rest (what depends on an
//! unanswered question, what comes later, what comes on return), so that a change meant to
//! touch only the second leaves the first as it was.

use handbook_engine::eval::{Evaluation, Item};
use handbook_engine::{Case, evaluate};
use handbook_invariants::sweep::Grid;
use std::hash::{DefaultHasher, Hasher};

fn items(hash: &mut DefaultHasher, list: &[Item]) {
    for i in list {
        let line = format!(
            "{}|{:?}|{:?}|{}\n",
            i.rule,
            i.due,
            i.due_words,
            i.because.join(";")
        );
        hash.write(line.as_bytes());
    }
    hash.write(b"--\n");
}

fn main() {
    let lib = handbook_invariants::library().expect("lib");
    let grid = Grid::new(lib.protocols.iter().map(|p| &p.protocol));
    let base = chrono::DateTime::parse_from_rfc3339("2025-10-20T10:00:00+01:00").expect("t");
    let (mut applying, mut rest) = (DefaultHasher::new(), DefaultHasher::new());
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
                let e: Evaluation = evaluate(&p.protocol, &case);
                items(&mut applying, &e.classification);
                items(&mut applying, &e.actions);
                items(&mut applying, &e.considerations);
                for c in &e.contradictions {
                    applying.write(c.rules.join("+").as_bytes());
                }
                applying.write(e.notices.join("\n").as_bytes());
                items(&mut rest, &e.depends);
                items(&mut rest, &e.upcoming);
                items(&mut rest, &e.on_return);
                count += 1;
            }
        }
    }
    println!(
        "{count} evaluations; what applies: hash {:016x}; what depends, comes later or on return: hash {:016x}",
        applying.finish(),
        rest.finish()
    );
}
