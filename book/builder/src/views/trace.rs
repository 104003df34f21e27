//! Traceability: every rule with its paragraph and quote, the worked cases that test it, the
//! sentences and phrases not modelled with their reasons, and any duty sentence or time phrase
//! nothing accounts for; the coverage of both kinds at the top.

use super::{esc, para_href};
use crate::views::training::anchor;
use handbook_content::ProtocolContent;
use handbook_content::report::ProtocolReport;
use handbook_content::review::{Why, needs_review};
use handbook_content::trace::What;
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
    let review = needs_review(p);
    let mut s = format!("# {}: traceability\n\n", p.meta.short_title);
    s.push_str("Every rule the quick checker uses, with the paragraph it comes from, the words it quotes and the worked cases that test it; then the sentences and phrases of the text the rules do not model, with the reason. Every sentence that states a duty (“must”, “will”, “should”, “is required”…) and every phrase that states a time (“within 72 hours”, “aged 12”, “weekly”, “immediately”…) must be modelled by a rule or given a reason. Generated from the rule data on each build.\n\n");
    let _ = writeln!(
        s,
        "<ul class=\"mcph-coverage\">\n<li id=\"coverage-rules\">Rules with at least one worked case: <strong>{covered} of {total}</strong> ({})</li>",
        percent(covered, total)
    );
    for (what, id) in [
        (What::Duty, "coverage-duties"),
        (What::Time, "coverage-timescales"),
    ] {
        let c = report.counts(what);
        let label = match what {
            What::Duty => "Duty sentences traced",
            What::Time => "Time phrases (timescales, frequencies, thresholds) traced",
        };
        let _ = writeln!(
            s,
            "<li id=\"{id}\">{label}: <strong>{} of {}</strong> ({}): {} modelled by a rule, {} not modelled with a written reason{}</li>",
            c.modelled + c.reasoned,
            c.found,
            percent(c.modelled + c.reasoned, c.found),
            c.modelled,
            c.reasoned,
            if c.untraced == 0 {
                String::new()
            } else {
                format!(", <strong>{} untraced</strong>", c.untraced)
            }
        );
    }
    let _ = writeln!(
        s,
        "<li>Rules to review against a changed paragraph: <strong>{}</strong></li>\n</ul>\n",
        review.len()
    );
    let untraced: Vec<_> = report.untraced().collect();
    if !untraced.is_empty() {
        s.push_str("## Not yet traced\n\nSentences and phrases that no rule models and no written reason accounts for (the build's content check fails until each is one or the other).\n\n<table class=\"mcph-trace\" id=\"untraced\"><thead><tr><th scope=\"col\">Paragraph</th><th scope=\"col\">What</th><th scope=\"col\">Words</th><th scope=\"col\">Where</th></tr></thead><tbody>\n");
        for u in untraced {
            let words = match u.what {
                What::Duty => format!("“{}”", esc(&u.words)),
                What::Time => format!(
                    "<strong>{}</strong>, in “{}”",
                    esc(&u.words),
                    esc(&u.sentence)
                ),
            };
            let _ = writeln!(
                s,
                "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td><code>{}:{}</code></td></tr>",
                esc(&para_href(p, root, &u.paragraph)),
                esc(&u.paragraph),
                u.what.singular(),
                words,
                esc(&u.file),
                u.line
            );
        }
        s.push_str("</tbody></table>\n\n");
    }
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
    s.push_str("</tbody></table>\n\n## Not modelled, with the reason\n\n");
    if p.rules.not_modelled.is_empty() {
        s.push_str("Nothing is listed as not modelled in this protocol.\n");
    } else {
        s.push_str("<table class=\"mcph-trace\"><thead><tr><th scope=\"col\">Paragraph and words</th><th scope=\"col\">Why it is not modelled</th></tr></thead><tbody>\n");
        for n in &p.rules.not_modelled {
            let _ = writeln!(
                s,
                "<tr><td><a href=\"{}\">{}</a>: {}</td><td>{}</td></tr>",
                esc(&para_href(p, root, &n.paragraph)),
                esc(&n.paragraph),
                if n.quote.is_empty() {
                    "the whole paragraph".to_string()
                } else {
                    format!("“{}”", esc(&n.quote))
                },
                esc(&n.reason)
            );
        }
        s.push_str("</tbody></table>\n");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use handbook_engine::model::NotModelled;
    use std::path::Path;

    fn sutton() -> ProtocolContent {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../protocols");
        let lib = handbook_content::load(&root, Some("sutton")).expect("the protocols load");
        lib.protocols
            .into_iter()
            .next()
            .expect("the Sutton protocol")
    }

    #[test]
    fn both_coverages_and_every_untraced_sentence_are_shown() {
        let mut p = sutton();
        // A paragraph with both a duty sentence and a time phrase, left untraced.
        let found = handbook_content::trace::find(&p);
        let pid = found
            .iter()
            .find(|t| {
                t.what == What::Time
                    && found
                        .iter()
                        .any(|d| d.what == What::Duty && d.paragraph == t.paragraph)
            })
            .map(|t| t.paragraph.clone())
            .expect("a paragraph with a duty sentence and a time phrase");
        p.rules.rules.retain(|r| *r.paragraph != *pid);
        p.rules.not_modelled.retain(|n| n.paragraph != pid);
        let report = ProtocolReport::of(&p);
        let html = page(&p, "../../");
        let ours: Vec<_> = report.untraced().filter(|u| u.paragraph == pid).collect();
        assert!(ours.iter().any(|u| u.what == What::Duty));
        assert!(ours.iter().any(|u| u.what == What::Time));
        assert_eq!(
            html.matches("<td><code>protocols/sutton/").count(),
            report.untraced().count()
        );
        for u in report.untraced() {
            assert!(html.contains(&format!("<code>{}:{}</code>", u.file, u.line)));
            assert!(html.contains(&esc(&u.words)), "{}", u.words);
        }
        // Given a reason for the whole paragraph, nothing in it is untraced.
        p.rules.not_modelled.push(NotModelled {
            paragraph: pid.clone(),
            quote: String::new(),
            reason: "Background for this test.".into(),
            line: 1,
        });
        let report = ProtocolReport::of(&p);
        assert!(report.untraced().all(|u| u.paragraph != pid));
        let html = page(&p, "../../");
        for (what, id) in [
            (What::Duty, "coverage-duties"),
            (What::Time, "coverage-timescales"),
        ] {
            let c = report.counts(what);
            assert!(c.reasoned > 0, "{what:?}: {c:?}");
            assert_eq!(c.found, c.modelled + c.reasoned + c.untraced);
            let shown = html
                .split(&format!("<li id=\"{id}\">"))
                .nth(1)
                .and_then(|rest| rest.split("</li>").next())
                .unwrap_or("");
            assert!(
                shown.contains(&format!(
                    "<strong>{} of {}</strong>",
                    c.modelled + c.reasoned,
                    c.found
                )) && shown.contains(&format!(
                    "{} modelled by a rule, {} not modelled",
                    c.modelled, c.reasoned
                )),
                "{shown}"
            );
        }
        assert!(html.contains(&format!(
            "{}</a>: the whole paragraph</td><td>Background for this test.",
            esc(&pid)
        )));
    }
}
