//! The comparison across the protocols: for each topic, what each protocol's rules say, each
//! cell linking to its paragraph, "Not stated" where a protocol's rules are silent.
//!
//! The rows are questions asked of the rule data (which rules are about a return home
//! interview, which name a 24-hour threshold...); the cells are whatever rules answer them.

use super::flowchart::{Chart, chart_of};
use super::{esc, para_href};
use handbook_content::{Library, ProtocolContent};
use handbook_engine::condition::{BoolField, Condition, NumField};
use handbook_engine::model::{Event, Rule, Unit};
use std::fmt::Write as _;

fn words(r: &Rule) -> String {
    format!("{} {} {}", r.id, r.text, r.quote).to_lowercase()
}

fn mentions(r: &Rule, any: &[&str]) -> bool {
    let w = words(r);
    any.iter().any(|x| w.contains(x))
}

fn requires(c: &Condition, field: BoolField) -> bool {
    match c {
        Condition::Bool(f, true) => *f == field,
        Condition::All(parts) | Condition::Any(parts) => parts.iter().any(|p| requires(p, field)),
        _ => false,
    }
}

fn hours_threshold(r: &Rule) -> Option<f64> {
    let mut h = None;
    r.when.visit_numbers(&mut |f, range| {
        let scale = match f {
            NumField::HoursMissing => 1.0,
            NumField::DaysMissing => 24.0,
            _ => return,
        };
        if let Some(b) = range.at_least.or(range.more_than) {
            h = Some(b * scale);
        }
    });
    h
}

/// When a rule falls due along the clock from the report, in hours: its threshold, or its
/// timescale when that runs from the report.
fn clock(r: &Rule) -> Option<f64> {
    hours_threshold(r).or_else(|| {
        r.timescale
            .filter(|t| t.from == Event::Missing)
            .map(|t| approx_hours(t.amount, t.unit))
    })
}

fn approx_hours(amount: u32, unit: Unit) -> f64 {
    let a = f64::from(amount);
    match unit {
        Unit::Hours => a,
        Unit::Days => a * 24.0,
        Unit::WorkingDays => a * 24.0 * 1.4,
        Unit::Weeks => a * 168.0,
        Unit::Months => a * 730.0,
    }
}

/// The order of rules in a cell: the earliest first (by threshold or timescale), then the rest.
fn earliest(r: &Rule) -> f64 {
    hours_threshold(r)
        .or_else(|| r.timescale.map(|t| approx_hours(t.amount, t.unit)))
        .unwrap_or(f64::MAX)
}

fn has_age(r: &Rule) -> bool {
    let mut found = false;
    r.when
        .visit_numbers(&mut |f, _| found |= f == NumField::Age);
    found
}

/// The topics compared: a label and the question asked of each rule.
type Topic = (&'static str, fn(&Rule) -> bool);

pub const TOPICS: [Topic; 14] = [
    (
        "Return home interview: timescale, who, from which event",
        |r| {
            mentions(
                r,
                &[
                    "return home interview",
                    "return interview",
                    "return home conversation",
                    "rhi",
                    "rhc",
                    "return conversation",
                ],
            ) || (mentions(r, &["interview"]) && requires(&r.when, BoolField::Returned))
        },
    ),
    ("Safe and well check", |r| {
        mentions(r, &["safe and well", "safe-and-well", "safe-well"])
    }),
    ("First strategy meeting or discussion", |r| {
        mentions(r, &["strategy"]) && (r.timescale.is_some() || hours_threshold(r).is_some())
    }),
    (
        "When the child is reported missing (no time threshold)",
        |r| {
            chart_of(r) == Some(Chart::Missing)
                && hours_threshold(r).is_none()
                && r.timescale.is_some_and(|t| t.from == Event::Missing)
        },
    ),
    (
        "At 24 hours from the report (thresholds and deadlines)",
        |r| clock(r).is_some_and(|h| (24.0..48.0).contains(&h)),
    ),
    ("At 48 hours from the report", |r| {
        clock(r).is_some_and(|h| (48.0..72.0).contains(&h))
    }),
    ("At 72 hours (3 days) from the report, and later", |r| {
        clock(r).is_some_and(|h| h >= 72.0)
    }),
    ("Escalation for repeat episodes", |r| {
        chart_of(r) == Some(Chart::Repeat)
    }),
    ("Age rules", has_age),
    ("Looked-after children", |r| {
        requires(&r.when, BoolField::LookedAfter)
    }),
    ("Care leavers", |r| requires(&r.when, BoolField::CareLeaver)),
    ("Unaccompanied asylum-seeking children (UASC)", |r| {
        requires(&r.when, BoolField::Uasc) || mentions(r, &["uasc", "asylum"])
    }),
    ("Children placed by another authority", |r| {
        requires(&r.when, BoolField::PlacedByOtherAuthority)
    }),
    ("Police risk levels", |r| {
        let mut risk = false;
        fn walk(c: &Condition, risk: &mut bool) {
            match c {
                Condition::Risk(_) => *risk = true,
                Condition::All(p) | Condition::Any(p) => p.iter().for_each(|x| walk(x, risk)),
                Condition::Not(c) => walk(c, risk),
                _ => {}
            }
        }
        walk(&r.when, &mut risk);
        risk
    }),
];

/// At most this many rules are shown in a cell; the rest are counted, with a link.
const MAX: usize = 4;

fn cell(p: &ProtocolContent, topic: fn(&Rule) -> bool, root: &str) -> (String, usize) {
    let mut rules: Vec<&Rule> = p.rules.rules.iter().filter(|r| topic(r)).collect();
    rules.sort_by(|a, b| earliest(a).total_cmp(&earliest(b)));
    if rules.is_empty() {
        return (
            "<td class=\"mcph-not-stated\">Not stated</td>".to_string(),
            0,
        );
    }
    let mut s = String::from("<td><ul>");
    for r in rules.iter().take(MAX) {
        let _ = write!(s, "<li>{}", esc(&r.text));
        if let Some(t) = r.timescale {
            let _ = write!(s, " <strong>{}</strong>.", esc(&t.words()));
        }
        if let Some(w) = &r.who {
            let _ = write!(s, " <em>Who:</em> {}.", esc(w));
        }
        let _ = write!(
            s,
            " <a href=\"{}\" aria-label=\"{}, paragraph {}\">¶&#160;{}</a></li>",
            esc(&para_href(p, root, &r.paragraph)),
            esc(&p.meta.short_title),
            esc(&r.paragraph),
            esc(&r.paragraph)
        );
    }
    s.push_str("</ul>");
    if rules.len() > MAX {
        let _ = write!(
            s,
            "<p><a href=\"{root}protocols/{}/traceability.html\">and {} more rules</a></p>",
            p.id,
            rules.len() - MAX
        );
    }
    s.push_str("</td>");
    (s, rules.len())
}

pub fn page(lib: &Library, root: &str) -> String {
    let mut s = String::from(
        "# Comparing the protocols\n\nThe key thresholds and timescales of the five protocols side by side, taken from the same rules as the quick checker. Each entry links to the paragraph it comes from; \"Not stated\" means the protocol's rules say nothing on the topic (read the protocol to be sure: not every sentence is a rule). Long cells show the first few rules and link to the protocol's traceability page for the rest.\n\nOn a narrow screen, the table scrolls sideways.\n\n",
    );
    for (label, topic) in TOPICS {
        let _ = writeln!(s, "## {label}\n");
        s.push_str("<div class=\"mcph-matrix-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"");
        s.push_str(&esc(label));
        s.push_str("\"><table class=\"mcph-matrix\"><thead><tr>");
        for p in &lib.protocols {
            let _ = write!(s, "<th scope=\"col\">{}</th>", esc(&p.meta.short_title));
        }
        s.push_str("</tr></thead><tbody><tr>");
        for p in &lib.protocols {
            s.push_str(&cell(p, topic, root).0);
        }
        s.push_str("</tr></tbody></table></div>\n\n");
    }
    s
}
