//! Traceability: every rule with its paragraph and quote, the worked cases that test it, and
//! the timescale sentences not modelled with their reasons; coverage figures at the top.

use super::{esc, para_href};
use crate::views::training::anchor;
use handbook_content::ProtocolContent;
use handbook_content::report::ProtocolReport;
use handbook_content::review::{Why, needs_review};
use std::fmt::Write as _;

/// The worked cases that name a rule (present, upcoming or absent).
pub fn scenarios_of<'a>(p: &'a ProtocolContent, rule: &str) -> Vec<&'a str> {
    p.scenarios
        .iter()
        .filter(|s| {
            s.present
                .iter()
                .chain(&s.upcoming)
                .chain(&s.absent)
                .any(|r| r == rule)
        })
        .map(|s| s.id.as_str())
        .collect()
}

/// (rules with at least one worked case, all rules)
pub fn rule_coverage(p: &ProtocolContent) -> (usize, usize) {
    let covered = p
        .rules
        .rules
        .iter()
        .filter(|r| !scenarios_of(p, &r.id).is_empty())
        .count();
    (covered, p.rules.rules.len())
}

fn percent(a: usize, b: usize) -> String {
    if b == 0 {
        "none".to_string()
    } else {
        format!("{:.0}%", 100.0 * a as f64 / b as f64)
    }
}

pub fn page(p: &ProtocolContent, root: &str) -> String {
    let report = ProtocolReport::of(p);
    let (covered, total) = rule_coverage(p);
    let (by_rule, by_reason) = report.traced_counts();
    let phrases = report.traced.len() + report.untraced.len();
    let review = needs_review(p);
    let mut s = format!("# {}: traceability\n\n", p.meta.short_title);
    s.push_str("Every rule the quick checker uses, with the paragraph it comes from, the words it quotes and the worked cases that test it; then every sentence of the text that states a timescale or threshold the rules do not model, with the reason. Generated from the rule data on each build.\n\n");
    let _ = writeln!(
        s,
        "<ul class=\"mcph-coverage\">\n<li id=\"coverage-rules\">Rules with at least one worked case: <strong>{covered} of {total}</strong> ({})</li>\n<li id=\"coverage-timescales\">Timescale and threshold phrases traced: <strong>{} of {phrases}</strong> ({}): {by_rule} quoted by a rule, {by_reason} not modelled with a written reason</li>\n<li>Rules to review against a changed paragraph: <strong>{}</strong></li>\n</ul>\n",
        percent(covered, total),
        by_rule + by_reason,
        percent(by_rule + by_reason, phrases),
        review.len()
    );
    s.push_str("## Rules\n\n<table class=\"mcph-trace\"><thead><tr><th scope=\"col\">Rule</th><th scope=\"col\">Paragraph and quote</th><th scope=\"col\">Worked cases</th><th scope=\"col\">Reviewed</th></tr></thead><tbody>\n");
    for r in &p.rules.rules {
        let cases = scenarios_of(p, &r.id);
        let cases_html = if cases.is_empty() {
            "<strong>No worked case</strong>".to_string()
        } else {
            cases
                .iter()
                .map(|c| {
                    format!(
                        "<a href=\"{root}protocols/{}/training.html#{}\">{}</a>",
                        p.id,
                        anchor(&p.id, c),
                        esc(c)
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let reviewed = match review.iter().find(|x| *x.rule == *r.id) {
            Some(x) => match &x.why {
                Why::NeverReviewed => "<strong>Never reviewed</strong>".to_string(),
                Why::TextChanged { reviewed } => format!(
                    "<strong>Needs review:</strong> the paragraph changed after {}",
                    esc(reviewed)
                ),
            },
            None => esc(r.reviewed.as_deref().unwrap_or("")),
        };
        let _ = writeln!(
            s,
            "<tr id=\"rule-{}\"><td><code>{}</code><br>{}</td><td><a href=\"{}\">{}</a>: “{}”</td><td>{}</td><td>{}</td></tr>",
            esc(&r.id),
            esc(&r.id),
            esc(&r.text),
            esc(&para_href(p, root, &r.paragraph)),
            esc(&r.paragraph),
            esc(&r.quote),
            cases_html,
            reviewed
        );
    }
    s.push_str("</tbody></table>\n\n## Timescales not modelled\n\n");
    if p.rules.not_modelled.is_empty() {
        s.push_str(
            "Every timescale and threshold sentence of this protocol is modelled by a rule.\n",
        );
    } else {
        s.push_str("<table class=\"mcph-trace\"><thead><tr><th scope=\"col\">Paragraph and words</th><th scope=\"col\">Why it is not modelled</th></tr></thead><tbody>\n");
        for n in &p.rules.not_modelled {
            let _ = writeln!(
                s,
                "<tr><td><a href=\"{}\">{}</a>: “{}”</td><td>{}</td></tr>",
                esc(&para_href(p, root, &n.paragraph)),
                esc(&n.paragraph),
                esc(&n.quote),
                esc(&n.reason)
            );
        }
        s.push_str("</tbody></table>\n");
    }
    s
}
