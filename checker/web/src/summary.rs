//! The words the result is shown in, shared by the page, the printout and "Copy as text".
//! Pure: tested on the host.

use handbook_engine::Kind;
use handbook_engine::condition::fmt_num;
use handbook_engine::eval::{Evaluation, Item};
use std::fmt::Write as _;

/// The urgency of an action as a text label, so it never rests on colour alone:
/// "Now", "Within 24 hours", "Within 5 working days".
pub fn urgency(item: &Item) -> String {
    match &item.timescale {
        None => "Now".to_string(),
        Some(t) => format!("Within {} {}", t.amount, t.unit.words(t.amount)),
    }
}

/// When an upcoming item starts: "At 48 hours" or "After 24 hours", with the time if known.
pub fn starts(item: &Item) -> String {
    let Some(starts) = item.starts.as_ref() else {
        return "Later".to_string();
    };
    let h = starts.at_hours;
    let word = if starts.when == "after" {
        "After"
    } else {
        "At"
    };
    // A week or more reads better in days: "At 28 days", not "At 672 hours".
    let (amount, unit) = if h >= 168.0 && h % 24.0 == 0.0 {
        (fmt_num(h / 24.0), "days")
    } else if h == 1.0 {
        (fmt_num(h), "hour")
    } else {
        (fmt_num(h), "hours")
    };
    let hours = amount;
    match &starts.words {
        Some(w) => format!("{word} {hours} {unit} ({w})"),
        None => format!("{word} {hours} {unit}"),
    }
}

/// "within 72 hours of the child being found or returning, by 9am on Monday 27 October 2025".
pub fn when(item: &Item) -> Option<String> {
    let words = item.timescale_words.as_ref()?;
    Some(match &item.due_words {
        Some(due) => format!("{words}, by {due}"),
        None => words.to_string(),
    })
}

/// Why an item applies, in words.
pub fn why(item: &Item) -> String {
    if item.because.is_empty() {
        "the protocol says this in every case".to_string()
    } else {
        item.because.join(", ")
    }
}

/// The answers under which an item would apply, in words: "whereabouts unknown", or
/// "aged 12 or less and police risk high; or looked after" (empty for an item that applies).
pub fn applies_if(item: &Item) -> String {
    item.if_answered
        .iter()
        .map(|alt| {
            alt.iter()
                .map(|a| a.words.as_str())
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect::<Vec<_>>()
        .join("; or ")
}

/// One question of "These also apply if …" and the items that wait on it.
#[derive(Debug, PartialEq)]
pub struct Waiting<'a> {
    /// The case field it asks for.
    pub field: &'static str,
    pub question: &'static str,
    pub items: Vec<&'a Item>,
}

/// What depends on an unanswered question, grouped by the question that settles it (the
/// first an item waits on), the questions that settle the most first, then in order; in each
/// group the duties first.
pub fn waiting(e: &Evaluation) -> Vec<Waiting<'_>> {
    let mut groups: Vec<Waiting> = Vec::new();
    for item in &e.depends {
        let Some(first) = item.if_answered.first().and_then(|alt| alt.first()) else {
            continue;
        };
        let field = first.need.field();
        match groups.iter_mut().find(|g| g.field == field) {
            Some(g) => g.items.push(item),
            None => groups.push(Waiting {
                field,
                question: first.question,
                items: vec![item],
            }),
        }
    }
    // Stable sorts: equal counts keep the order they first appeared in; within a group,
    // duties first, then how the protocol classifies it, then what it leaves to judgement.
    groups.sort_by_key(|g| std::cmp::Reverse(g.items.len()));
    for g in &mut groups {
        g.items.sort_by_key(|i| match i.kind {
            Kind::Duty => 0,
            Kind::Classification => 1,
            Kind::Consideration => 2,
        });
    }
    groups
}

fn line(out: &mut String, label: Option<&str>, item: &Item) {
    let _ = write!(out, "- ");
    if let Some(l) = label {
        let _ = write!(out, "[{l}] ");
    }
    let _ = write!(out, "{}", item.text);
    if let Some(who) = &item.who {
        let _ = write!(out, " Who: {who}.");
    }
    if let Some(w) = when(item) {
        let _ = write!(out, " When: {w}.");
    }
    if !item.if_answered.is_empty() {
        let _ = write!(out, " Applies if: {}.", applies_if(item));
    }
    let _ = writeln!(out, " Why: {}. (Paragraph {})", why(item), item.paragraph);
}

/// A plain-text summary for case notes: the answers given, then for each protocol every item
/// with its deadline and paragraph, and when it was produced.
pub fn plain_text(evals: &[Evaluation], answers: &[(String, String)], produced: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Missing Children Protocol Handbook: quick checker");
    let _ = writeln!(out, "Produced {produced} (UK time).");
    let _ = writeln!(
        out,
        "This lists what the protocol's text says for the answers below. It supports judgement; it does not replace it."
    );
    let _ = writeln!(out, "\nAnswers given");
    for (q, a) in answers {
        let _ = writeln!(out, "- {q}: {a}");
    }
    for e in evals {
        let _ = write!(out, "\n{}", e.protocol_title);
        if let Some(v) = &e.version {
            let _ = write!(out, " (version {v})");
        }
        let _ = writeln!(out);
        for n in &e.notices {
            let _ = writeln!(out, "Note: {n}");
        }
        let sections: [(&str, &[Item]); 5] = [
            ("How the protocol classifies this", &e.classification),
            ("What to do now", &e.actions),
            ("If the child is still missing later", &e.upcoming),
            ("When the child is found or comes back", &e.on_return),
            ("Left to judgement", &e.considerations),
        ];
        for (i, (title, items)) in sections.iter().enumerate() {
            if i == 2 {
                // Directly under what to do now: what depends on a question not answered.
                let groups = waiting(e);
                if !groups.is_empty() {
                    let _ = writeln!(
                        out,
                        "\nThese also apply if … (they depend on questions not answered)"
                    );
                    for g in groups {
                        let _ = writeln!(out, "{}", g.question);
                        for item in g.items {
                            line(&mut out, None, item);
                        }
                    }
                }
            }
            if items.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{title}");
            for item in *items {
                let label = match i {
                    1 => Some(urgency(item)),
                    2 => Some(starts(item)),
                    _ => None,
                };
                line(&mut out, label.as_deref(), item);
            }
        }
        if !e.contradictions.is_empty() {
            let _ = writeln!(out, "\nWhere the protocol says different things");
            for c in &e.contradictions {
                let _ = write!(
                    out,
                    "- Paragraph {} and paragraph {} differ.",
                    c.paragraphs[0], c.paragraphs[1]
                );
                if let Some(n) = &c.note {
                    let _ = write!(out, " {n}");
                }
                let _ = writeln!(out);
            }
        }
        if e.applying().next().is_none()
            && e.depends.is_empty()
            && e.upcoming.is_empty()
            && e.on_return.is_empty()
        {
            let _ = writeln!(
                out,
                "Nothing the checker knows applies to these answers. Read the protocol."
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use handbook_engine::case::Case;

    fn protocol() -> handbook_engine::Protocol {
        let lib = handbook_content::load(
            std::path::Path::new(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../tests/fixtures/protocols"
            )),
            None,
        )
        .expect("fixture library");
        lib.protocols
            .into_iter()
            .next()
            .expect("one fixture protocol")
            .protocol
    }

    #[test]
    fn the_text_has_the_answers_the_actions_and_their_paragraphs() {
        let p = protocol();
        let case = Case::from_json_str(
            r#"{"age": 15, "looked_after": true, "returned": false,
                "missing_since": "2025-10-24T10:00:00+01:00", "now": "2025-10-25T11:00:00+01:00"}"#,
        )
        .expect("case");
        let e = handbook_engine::evaluate(&p, &case);
        assert!(!e.actions.is_empty(), "the fixture case has actions");
        let answers = vec![("Age".to_string(), "15".to_string())];
        let text = plain_text(
            std::slice::from_ref(&e),
            &answers,
            "11am on Saturday 25 October 2025",
        );
        assert!(text.contains("Produced 11am on Saturday 25 October 2025"));
        assert!(text.contains("- Age: 15"));
        assert!(text.contains(&*e.protocol_title));
        for item in &e.actions {
            assert!(text.contains(&*item.text), "{} missing", item.rule);
            assert!(text.contains(&format!("(Paragraph {})", item.paragraph)));
            if let Some(due) = &item.due_words {
                assert!(text.contains(due), "deadline {due} missing");
            }
        }
    }

    #[test]
    fn what_depends_on_a_blank_answer_is_in_the_text_with_its_question() {
        let p = protocol();
        // The age and whereabouts are not given.
        let case =
            Case::from_json_str(r#"{"looked_after": true, "returned": false}"#).expect("case");
        let e = handbook_engine::evaluate(&p, &case);
        let groups = waiting(&e);
        assert!(!groups.is_empty(), "the fixture case leaves something open");
        let text = plain_text(std::slice::from_ref(&e), &[], "now");
        for g in &groups {
            assert!(text.contains(g.question), "{} missing", g.question);
            for item in &g.items {
                assert!(text.contains(&*item.text), "{} missing", item.rule);
                assert!(text.contains(&format!("Applies if: {}.", applies_if(item))));
            }
        }
        // The depends section comes straight after what to do now.
        let depends = text.find("These also apply if").expect("depends heading");
        assert!(
            text.find("If the child is still missing later")
                .is_none_or(|later| later > depends)
        );
    }
}
