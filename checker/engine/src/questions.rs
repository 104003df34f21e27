//! Which questions a protocol's answers turn on: measured on its worked cases, so that the
//! checker asks on its main form what most often changes a duty, and the rest under "More".

use crate::case::{Case, PoliceRisk};
use crate::condition::BoolField;
use crate::eval::evaluate;
use crate::model::Protocol;
use std::collections::BTreeSet;

/// How often answering a question changes what a protocol says.
#[derive(Debug, Clone, PartialEq)]
pub struct Weight {
    /// The case field.
    pub field: &'static str,
    /// The worked cases in which answering it one way or another changes at least one duty
    /// (now or on return), with that field left out of the case first.
    pub changes: usize,
    /// The worked cases tried.
    pub of: usize,
}

/// The questions on the main form whatever the measure says: the child's age, whether the
/// child is back and for how long missing, and (where the protocol counts them) how often.
pub const ALWAYS_MAIN: [&str; 6] = [
    "age",
    "returned",
    "hours_missing",
    "episodes_28_days",
    "episodes_90_days",
    "episodes_12_months",
];

/// The duties (now and on return) of a case: what a question may change.
fn duties(protocol: &Protocol, case: &Case) -> BTreeSet<String> {
    let e = evaluate(protocol, case);
    e.actions
        .iter()
        .map(|i| i.rule.to_string())
        .chain(e.on_return.iter().map(|i| format!("on return: {}", i.rule)))
        .collect()
}

/// For each yes/no question the protocol's rules read: in how many of `cases` answering it
/// changes a duty.
pub fn weights(protocol: &Protocol, cases: &[Case]) -> Vec<Weight> {
    let used = protocol.fields_used();
    let mut out = Vec::new();
    for (name, field) in BoolField::ALL {
        if !used.contains(&name) || field == BoolField::Returned {
            continue;
        }
        let changes = cases
            .iter()
            .filter(|case| {
                let answered = |v: bool| {
                    let mut c = (*case).clone();
                    field.set(&mut c, v);
                    duties(protocol, &c)
                };
                answered(true) != answered(false)
            })
            .count();
        out.push(Weight {
            field: name,
            changes,
            of: cases.len(),
        });
    }
    if used.contains(&"police_risk") {
        let changes = cases
            .iter()
            .filter(|case| {
                let mut answers = PoliceRisk::ALL.iter().map(|(_, r)| {
                    let c = Case {
                        police_risk: Some(*r),
                        ..(*case).clone()
                    };
                    duties(protocol, &c)
                });
                let first = answers.next();
                answers.any(|a| Some(a) != first)
            })
            .count();
        out.push(Weight {
            field: "police_risk",
            changes,
            of: cases.len(),
        });
    }
    out.sort_by(|a, b| b.changes.cmp(&a.changes).then(a.field.cmp(b.field)));
    out
}

/// The questions for the main form: those always there (the episode counts where the
/// protocol reads them), and every question whose answer changes a duty in at least one of
/// its worked cases. The others (which change none) go under "More".
pub fn main_questions(protocol: &Protocol, weights: &[Weight]) -> Vec<String> {
    let used = protocol.fields_used();
    let mut out: Vec<String> = ALWAYS_MAIN
        .iter()
        .filter(|f| used.contains(*f) || matches!(**f, "age" | "returned" | "hours_missing"))
        .map(|f| f.to_string())
        .collect();
    for w in weights {
        if w.changes > 0 {
            out.push(w.field.to_string());
        }
    }
    out
}
