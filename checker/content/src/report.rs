//! The content report: fidelity, traceability and worked cases for every protocol, in one
//! place for `cargo xtask validate` and the tests.

use crate::fidelity::{self, Fidelity, REQUIRED_PERCENT};
use crate::review::{self, NeedsReview};
use crate::trace::{self, Counts, Found, What};
use crate::{Library, ProtocolContent};
use handbook_engine::Kind;
use handbook_engine::eval::check_scenario;
use std::fmt::Write;

/// A worked case that does not give what it expects.
#[derive(Debug, Clone)]
pub struct Failure {
    pub file: String,
    pub line: usize,
    pub scenario: String,
    pub problems: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ProtocolReport {
    pub id: String,
    pub paragraphs: usize,
    pub rules: [usize; 3],
    pub not_modelled: usize,
    pub scenarios: usize,
    pub fidelity: Fidelity,
    /// Every duty sentence and time phrase of the text, and what accounts for each.
    pub trace: Vec<Found>,
    pub failures: Vec<Failure>,
    /// Rules to re-read against their paragraph (reported, not a failure).
    pub review: Vec<NeedsReview>,
    /// How often each question changes a duty in the worked cases, and the main form's.
    pub questions: Vec<handbook_engine::questions::Weight>,
    pub main_questions: Vec<String>,
}

impl ProtocolReport {
    pub fn of(p: &ProtocolContent) -> Self {
        let trace = trace::find(p);
        let count = |k: Kind| p.rules.rules.iter().filter(|r| r.kind == k).count();
        let file = format!("{}/scenarios.toml", p.id);
        let failures = p
            .scenarios
            .iter()
            .filter_map(|s| {
                let problems = check_scenario(&p.protocol, s);
                (!problems.is_empty()).then(|| Failure {
                    file: file.clone(),
                    line: s.line,
                    scenario: s.id.clone(),
                    problems,
                })
            })
            .collect();
        ProtocolReport {
            id: p.id.clone(),
            paragraphs: p.paragraphs.len(),
            rules: [
                count(Kind::Duty),
                count(Kind::Classification),
                count(Kind::Consideration),
            ],
            not_modelled: p.rules.not_modelled.len(),
            scenarios: p.scenarios.len(),
            fidelity: fidelity::check(p),
            trace,
            failures,
            review: review::needs_review(p),
            questions: handbook_engine::questions::weights(
                &p.protocol,
                &p.scenarios
                    .iter()
                    .map(|s| s.case.clone())
                    .collect::<Vec<_>>(),
            ),
            main_questions: p.protocol.main_questions.clone(),
        }
    }

    pub fn fidelity_ok(&self) -> bool {
        self.fidelity.percent() >= REQUIRED_PERCENT
    }

    pub fn ok(&self) -> bool {
        self.fidelity_ok() && self.traced_ok() && self.failures.is_empty()
    }

    /// Every duty sentence and time phrase modelled by a rule or given a reason.
    pub fn traced_ok(&self) -> bool {
        self.trace.iter().all(|f| !f.untraced())
    }

    /// Found, modelled, reasoned and untraced, of duty sentences or of time phrases.
    pub fn counts(&self, what: What) -> Counts {
        Counts::of(&self.trace, what)
    }

    /// The duty sentences and time phrases nothing accounts for, in the order of the text.
    pub fn untraced(&self) -> impl Iterator<Item = &Found> {
        self.trace.iter().filter(|f| f.untraced())
    }

    pub fn text(&self) -> String {
        let mut s = String::new();
        let f = &self.fidelity;
        let _ = writeln!(
            s,
            "{}: {} paragraphs; {} rules ({} duties, {} classifications, {} considerations); {} scenarios",
            self.id,
            self.paragraphs,
            self.rules.iter().sum::<usize>(),
            self.rules[0],
            self.rules[1],
            self.rules[2],
            self.scenarios
        );
        let _ = writeln!(
            s,
            "  fidelity: {:.1}% ({} of {} source sentences word for word; {}% needed){}",
            f.percent(),
            f.found,
            f.sentences,
            REQUIRED_PERCENT,
            if self.fidelity_ok() { "" } else { "  FAIL" }
        );
        for m in &f.missing {
            let _ = writeln!(s, "    not found: \"{m}\"");
        }
        for what in What::ALL {
            let c = self.counts(what);
            let _ = writeln!(
                s,
                "  {}: {} found, {} modelled by rules, {} not modelled with a reason, {} untraced{}",
                what.plural(),
                c.found,
                c.modelled,
                c.reasoned,
                c.untraced,
                if c.untraced == 0 { "" } else { "  FAIL" }
            );
        }
        for u in self.untraced() {
            let _ = writeln!(s, "    {}", u.message());
        }
        if !self.traced_ok() {
            let _ = writeln!(
                s,
                "    (quote each in a rule of its paragraph, or list it under [[not_modelled]] with `paragraph`, `quote` and `reason`; a [[not_modelled]] with no `quote` covers its whole paragraph: see protocols/README.md)"
            );
        }
        let _ = writeln!(
            s,
            "  scenarios: {} pass, {} fail{}",
            self.scenarios - self.failures.len(),
            self.failures.len(),
            if self.failures.is_empty() {
                ""
            } else {
                "  FAIL"
            }
        );
        let _ = writeln!(
            s,
            "  review against the text: {} of {} rules need review{}",
            self.review.len(),
            self.rules.iter().sum::<usize>(),
            if self.review.is_empty() {
                ""
            } else {
                " (after re-reading them, run `cargo xtask review`)"
            }
        );
        for r in &self.review {
            let _ = writeln!(s, "    {}/rules.toml:{}: {}", self.id, r.line, r.words());
        }
        for fail in &self.failures {
            let _ = writeln!(
                s,
                "    {}:{}: scenario `{}`:",
                fail.file, fail.line, fail.scenario
            );
            for p in &fail.problems {
                let _ = writeln!(s, "      {p}");
            }
        }
        let _ = writeln!(
            s,
            "  questions that change a duty in the worked cases (on the main form if any): {}",
            self.questions
                .iter()
                .map(|w| format!("{} {}/{}", w.field, w.changes, w.of))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let _ = writeln!(s, "  main form: {}", self.main_questions.join(", "));
        s
    }
}

#[derive(Debug, Clone)]
pub struct Report {
    pub protocols: Vec<ProtocolReport>,
}

impl Report {
    pub fn of(lib: &Library) -> Self {
        Report {
            protocols: lib.protocols.iter().map(ProtocolReport::of).collect(),
        }
    }

    pub fn ok(&self) -> bool {
        self.protocols.iter().all(ProtocolReport::ok)
    }

    pub fn text(&self) -> String {
        self.protocols.iter().map(ProtocolReport::text).collect()
    }
}
