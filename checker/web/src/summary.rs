//! The words the result is shown in, shared by the page, the printout and "Copy as text".
//! Pure: tested on the host.

use handbook_engine::Kind;
use handbook_engine::condition::fmt_num;
use handbook_engine::eval::{Evaluation, Item};
use handbook_engine::model::Phase;
use handbook_engine::order;
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
pub fn waiting<'a>(e: &'a Evaluation, who: &str) -> Vec<Waiting<'a>> {
    let mut groups: Vec<Waiting> = Vec::new();
    let yours: Vec<&str> = yours_if(e, who).iter().map(|i| &*i.rule).collect();
    for item in e.depends.iter().filter(|i| !yours.contains(&&*i.rule)) {
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
    order::sort_by_key(&mut groups, |g| std::cmp::Reverse(g.items.len()));
    for g in &mut groups {
        order::sort_by_key(&mut g.items, |i| match i.kind {
            Kind::Duty => 0,
            Kind::Classification => 1,
            Kind::Consideration => 2,
        });
    }
    groups
}

/// "Just looking" (or not said): the result is not addressed to anyone in particular.
pub const JUST_LOOKING: &str = "looking";

/// How many duties "What you do now" shows before the rest follow by phase.
pub const YOURS_AT_MOST: usize = 4;

/// The asker's duties that depend on a question not answered, shown in "What you do now"
/// (with the answer they need) rather than further down: for a named asker, as many as fit
/// after the duties that apply.
pub fn yours_if<'a>(e: &'a Evaluation, who: &str) -> Vec<&'a Item> {
    if who.is_empty() || who == JUST_LOOKING {
        return Vec::new();
    }
    let certain = handbook_engine::eval::merged(&e.actions)
        .iter()
        .filter(|m| {
            m.first.actors.iter().any(|a| &**a == who) && phase_of(&m.first) != Phase::Ongoing
        })
        .count();
    e.depends
        .iter()
        .filter(|i| {
            i.kind == Kind::Duty
                && i.phase != Some(Phase::Ongoing)
                && i.actors.iter().any(|a| &**a == who)
        })
        .take(YOURS_AT_MOST.saturating_sub(certain))
        .collect()
}

/// One line of the result: a duty (or several that say the same thing, merged).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub item: Item,
    /// Every rule it stands for (itself first): their paragraphs, links and quotes.
    pub citations: Vec<handbook_engine::eval::Citation>,
}

/// A part of the result: a key for the page (`data-section`), a title, and its lines grouped
/// by who does them (one group with no name where that is not known or not wanted).
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub key: &'static str,
    pub title: String,
    pub intro: &'static str,
    pub groups: Vec<(String, Vec<Entry>)>,
}

impl Part {
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.groups.iter().flat_map(|(_, e)| e)
    }
}

/// When in an episode an applying duty belongs: its tag, else from its timescale.
fn phase_of(item: &Item) -> Phase {
    match item.phase {
        Some(Phase::Ongoing) => Phase::Ongoing,
        _ if item.timescale.is_some() => Phase::Timed,
        _ => Phase::Now,
    }
}

/// The actions of an evaluation as the result shows them, for the reader `who` (an actor's id
/// from the vocabulary, or [`JUST_LOOKING`] / ""): first "What you do now" (that reader's
/// duties for now and with a deadline, the most urgent first, at most [`YOURS_AT_MOST`]; for
/// no one in particular, everyone's), then the rest by phase (now, with a deadline, ongoing),
/// each by who does it. Duties with the same action, actors and timescale are one line.
pub fn layout(e: &Evaluation, who: &str) -> Vec<Part> {
    let anyone = who.is_empty() || who == JUST_LOOKING;
    let entries: Vec<Entry> = handbook_engine::eval::merged(&e.actions)
        .into_iter()
        .map(|m| Entry {
            item: m.first,
            citations: m.citations,
        })
        .collect();
    let mine = |x: &Entry| anyone || x.item.actors.iter().any(|a| &**a == who);
    let mut yours = Vec::new();
    let mut rest = Vec::new();
    for x in entries {
        if yours.len() < YOURS_AT_MOST && phase_of(&x.item) != Phase::Ongoing && mine(&x) {
            yours.push(x);
        } else {
            rest.push(x);
        }
    }
    let by_actor = |list: Vec<Entry>| -> Vec<(String, Vec<Entry>)> {
        let mut groups: Vec<(String, Vec<Entry>)> = Vec::new();
        for x in list {
            let name = if x.item.actor_names.is_empty() {
                x.item.who.as_deref().unwrap_or("").to_string()
            } else {
                x.item.actor_names.join(", ")
            };
            match groups.iter_mut().find(|(n, _)| *n == name) {
                Some((_, g)) => g.push(x),
                None => groups.push((name, vec![x])),
            }
        }
        groups
    };
    for item in yours_if(e, who) {
        yours.push(Entry {
            item: item.clone(),
            citations: vec![handbook_engine::eval::Citation::of(item)],
        });
    }
    let mut parts = Vec::new();
    if !yours.is_empty() {
        parts.push(Part {
            key: "yours",
            title: if anyone {
                "What to do now".to_string()
            } else {
                "What you do now".to_string()
            },
            intro: "Most urgent first.",
            groups: vec![(String::new(), yours)],
        });
    }
    for (phase, key, title, intro) in [
        (
            Phase::Now,
            "now",
            "Also now",
            "To do as soon as the child is missed or found, by who does it.",
        ),
        (
            Phase::Timed,
            "timed",
            "With a deadline",
            "Soonest first, by who does it.",
        ),
        (
            Phase::Ongoing,
            "ongoing",
            "Ongoing",
            "Care planning, reviews and standing arrangements: not for tonight.",
        ),
    ] {
        let list: Vec<Entry> = rest
            .iter()
            .filter(|x| phase_of(&x.item) == phase)
            .cloned()
            .collect();
        if !list.is_empty() {
            parts.push(Part {
                key,
                title: title.to_string(),
                intro,
                groups: by_actor(list),
            });
        }
    }
    parts
}

/// The label of a line: "Now", "Ongoing", or its timescale ("Within 24 hours"); for a line
/// that waits on an answer, with it ("Now, if whereabouts unknown").
pub fn label(item: &Item) -> String {
    let l = match phase_of(item) {
        Phase::Ongoing => "Ongoing".to_string(),
        _ => urgency(item),
    };
    if item.certain() {
        l
    } else {
        format!("{l}, if {}", applies_if(item))
    }
}

/// A deadline as a person reads it at `now`: "passed 2 hours ago", "in 3 hours", "in 2 days".
pub fn relative(
    due: chrono::DateTime<chrono::FixedOffset>,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> String {
    let minutes = (due - now).num_minutes();
    let span = |m: i64| {
        let m = m.abs();
        if m < 60 {
            plural(m.max(1), "minute")
        } else if m < 48 * 60 {
            plural((m + 30) / 60, "hour")
        } else {
            plural((m + 12 * 60) / (24 * 60), "day")
        }
    };
    if minutes < 0 {
        format!("passed {} ago", span(minutes))
    } else {
        format!("in {}", span(minutes))
    }
}

fn plural(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// For an answer given in hours: about when a deadline counted from going missing falls,
/// from the browser's clock: "in about 43 hours (around 8:45am on Monday)". Only for
/// timescales in hours, days or weeks (working days depend on the calendar).
pub fn approximate(
    item: &Item,
    hours_missing: f64,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> Option<String> {
    use handbook_engine::model::{Event, Unit};
    let t = item.timescale.as_ref()?;
    if t.from != Event::Missing {
        return None;
    }
    let hours = f64::from(t.amount)
        * match t.unit {
            Unit::Hours => 1.0,
            Unit::Days => 24.0,
            Unit::Weeks => 24.0 * 7.0,
            _ => return None,
        };
    let left = hours - hours_missing;
    let at = now + chrono::Duration::minutes((left * 60.0).round() as i64);
    let at = handbook_engine::deadline::to_london(at);
    let clock = handbook_engine::deadline::human(at);
    Some(if left < 0.0 {
        format!(
            "passed about {} ago (around {clock})",
            plural((-left).round().max(1.0) as i64, "hour")
        )
    } else {
        format!(
            "in about {} (around {clock})",
            plural(left.round().max(1.0) as i64, "hour")
        )
    })
}

/// At most `max` characters, cut at a word with "…" when longer.
pub fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => &cut[..],
    };
    format!("{}\u{2026}", cut.trim_end_matches([',', ' ', ';']))
}

/// The longest a cell of the comparison may be.
pub const CELL_AT_MOST: usize = 80;

/// The same case under several protocols, one row per action of the vocabulary (in the
/// order they first come): the action's name and, for each protocol, one line: "Within 72
/// hours · Return interview provider", "Now, if whereabouts unknown", or "Not stated".
pub fn by_action(evals: &[Evaluation]) -> Vec<(String, Vec<String>)> {
    let mut rows: Vec<(SharedId, String)> = Vec::new();
    for e in evals {
        for i in e.actions.iter().chain(&e.depends) {
            if let (Some(id), Some(name)) = (&i.action, &i.action_name)
                && !rows.iter().any(|(r, _)| r == id)
            {
                rows.push((id.clone(), name.to_string()));
            }
        }
    }
    // The most urgent first: what applies now, then with a deadline, then what waits on an
    // answer, then what is ongoing (a stable sort: otherwise in the order they first come).
    let rank = |id: &SharedId| {
        evals
            .iter()
            .flat_map(|e| e.actions.iter().chain(&e.depends))
            .filter(|i| i.action.as_ref() == Some(id))
            .map(|i| match (i.certain(), phase_of(i)) {
                (_, Phase::Ongoing) => 3,
                (false, _) => 2,
                (true, Phase::Timed) => 1,
                (true, _) => 0,
            })
            .min()
            .unwrap_or(4)
    };
    order::sort_by_key(&mut rows, |(id, _)| rank(id));
    rows.into_iter()
        .map(|(id, name)| {
            let cells = evals
                .iter()
                .map(|e| {
                    let found = e
                        .actions
                        .iter()
                        .find(|i| i.action.as_ref() == Some(&id))
                        .or_else(|| e.depends.iter().find(|i| i.action.as_ref() == Some(&id)));
                    match found {
                        None => "Not stated".to_string(),
                        Some(i) => {
                            let who = match i.actor_names.first() {
                                Some(first) if i.actor_names.len() > 1 => {
                                    format!("{first} and others")
                                }
                                Some(first) => first.to_string(),
                                None => String::new(),
                            };
                            let cell = if who.is_empty() {
                                label(i)
                            } else {
                                format!("{} \u{b7} {who}", label(i))
                            };
                            short(&cell, CELL_AT_MOST)
                        }
                    }
                })
                .collect();
            (name, cells)
        })
        .collect()
}

type SharedId = handbook_engine::model::SharedStr;

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
                let groups = waiting(e, "");
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
        let groups = waiting(&e, "");
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

    fn real() -> Vec<handbook_engine::Protocol> {
        handbook_content::load(
            std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../protocols")),
            None,
        )
        .expect("the protocols load")
        .protocols
        .into_iter()
        .map(|p| p.protocol)
        .collect()
    }

    #[test]
    fn the_result_opens_with_what_the_asker_does_and_ongoing_is_never_now() {
        // The carer's case under every protocol.
        let case = Case::from_json_str(
            r#"{"age": 14, "looked_after": true, "child_in_need": false, "child_protection_plan": false,
                "care_leaver": false, "returned": false, "whereabouts_known": false, "hours_missing": 5}"#,
        )
        .expect("case");
        for p in real() {
            let e = handbook_engine::evaluate(&p, &case);
            let carer = "foster-carer-or-residential-staff";
            let parts = layout(&e, carer);
            // Every action is shown once (merged lines stand for all of theirs).
            let shown: Vec<&str> = parts
                .iter()
                .flat_map(|p| p.entries())
                .filter(|x| x.item.certain())
                .flat_map(|x| x.citations.iter().map(|c| &*c.rule))
                .collect();
            let mut want: Vec<&str> = e.actions.iter().map(|i| &*i.rule).collect();
            let mut got = shown.clone();
            want.sort_unstable();
            got.sort_unstable();
            assert_eq!(got, want, "{}", p.id);
            // What you do now is the carer's, at most a few, and never ongoing.
            if let Some(first) = parts.first().filter(|p| p.key == "yours") {
                assert_eq!(first.title, "What you do now");
                let entries: Vec<&Entry> = first.entries().collect();
                assert!(entries.len() <= YOURS_AT_MOST, "{}", p.id);
                for x in entries {
                    assert!(
                        x.item.actors.iter().any(|a| &**a == carer),
                        "{}: {}",
                        p.id,
                        x.item.rule
                    );
                    assert_ne!(label(&x.item), "Ongoing", "{}: {}", p.id, x.item.rule);
                }
            }
            for part in &parts {
                for x in part.entries() {
                    let l = label(&x.item);
                    if x.item.phase == Some(Phase::Ongoing) {
                        assert_eq!(l, "Ongoing", "{}: {}", p.id, x.item.rule);
                        assert_eq!(part.key, "ongoing", "{}: {}", p.id, x.item.rule);
                    }
                }
            }
            // Same action, actors and timescale: one line.
            for part in &parts {
                let entries: Vec<&Entry> = part.entries().filter(|x| x.item.certain()).collect();
                for (i, a) in entries.iter().enumerate() {
                    for b in &entries[i + 1..] {
                        let same = a.item.action.is_some()
                            && a.item.action == b.item.action
                            && a.item.timescale == b.item.timescale
                            && a.item.actors == b.item.actors;
                        assert!(
                            !same,
                            "{}: {} and {} not merged",
                            p.id, a.item.rule, b.item.rule
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn deadlines_read_as_a_person_reads_them() {
        let t = |s: &str| chrono::DateTime::parse_from_rfc3339(s).expect("time");
        let now = t("2025-10-27T12:00:00+00:00");
        assert_eq!(
            relative(t("2025-10-27T10:00:00+00:00"), now),
            "passed 2 hours ago"
        );
        assert_eq!(relative(t("2025-10-27T15:00:00+00:00"), now), "in 3 hours");
        assert_eq!(
            relative(t("2025-10-27T12:20:00+00:00"), now),
            "in 20 minutes"
        );
        assert_eq!(relative(t("2025-10-30T12:00:00+00:00"), now), "in 3 days");
        assert_eq!(
            relative(t("2025-10-26T12:00:00+00:00"), now),
            "passed 24 hours ago"
        );
    }

    #[test]
    fn the_comparison_is_one_line_per_action_and_protocol() {
        let case = Case::from_json_str(
            r#"{"age": 14, "looked_after": true, "returned": false, "hours_missing": 5}"#,
        )
        .expect("case");
        let evals: Vec<Evaluation> = real()
            .iter()
            .map(|p| handbook_engine::evaluate(p, &case))
            .collect();
        let rows = by_action(&evals);
        assert!(!rows.is_empty());
        for (name, cells) in &rows {
            assert_eq!(cells.len(), evals.len());
            for c in cells {
                assert!(c.chars().count() <= CELL_AT_MOST, "{name}: {c}");
            }
            assert!(
                cells.iter().any(|c| c != "Not stated"),
                "{name}: a row of nothing"
            );
        }
        assert_eq!(short("one two three four", 10), "one two\u{2026}");
    }
}
