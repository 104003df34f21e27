//! The words the result is shown in, shared by the page, the printout and "Copy as text".
//! Pure: tested on the host.

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
        if e.applying().next().is_none() && e.upcoming.is_empty() && e.on_return.is_empty() {
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
}
