//! The comparison at a glance: one table per topic, a row for each action of the shared
//! vocabulary (`protocols/vocabulary.toml`), a column for each protocol. Each cell is one short
//! line, when and who ("72 h from return · Catch22"), linked to the paragraph that says so, or
//! "Not stated" where no duty of that protocol is tagged with the action; where a protocol has
//! several duties with that action, "+N" links to them on its traceability page.
//!
//! The cells come from the tags every duty carries (`action`, `actors`, `phase`) and its
//! timescale and conditions: the same rule data the checker uses.

use super::{esc, para_href};
use handbook_content::{Library, ProtocolContent};
use handbook_engine::condition::{Condition, NumField};
use handbook_engine::model::{Event, Kind, Phase, Rule, Unit};
use std::fmt::Write as _;

/// The longest a cell may be, in characters, as a reader sees it (tested on the built page).
pub const CELL_MAX: usize = 80;

/// A topic: its heading, and the vocabulary's actions it holds, in the order shown.
pub struct Topic {
    pub title: &'static str,
    pub actions: &'static [&'static str],
}

/// The topics, in the order of an episode. An action of the vocabulary that none names is shown
/// under "Other actions", so that nothing a rule says is left out of the comparison.
pub const TOPICS: [Topic; 6] = [
    Topic {
        title: "Reporting and the first response",
        actions: &[
            "search-and-checks",
            "report-to-police",
            "police-investigation",
            "share-information",
            "record-the-episode",
            "publicity",
            "keep-in-contact",
        ],
    },
    Topic {
        title: "Who is told",
        actions: &[
            "mash-referral",
            "mash-screening",
            "inform-social-worker",
            "inform-parents",
            "inform-iro",
            "notify-senior-manager",
            "notify-placing-authority",
            "notify-host-authority",
            "notify-other-agencies",
        ],
    },
    Topic {
        title: "Risk and strategy",
        actions: &[
            "risk-assessment",
            "strategy-discussion",
            "meeting-minutes",
            "child-protection-enquiry",
            "needs-assessment",
            "review-meeting",
            "supervision",
        ],
    },
    Topic {
        title: "When the child is back",
        actions: &[
            "safe-and-well-check",
            "return-home-interview",
            "talk-with-child",
            "inform-of-return",
            "return-planning",
            "offer-support",
            "health-assessment",
            "education-follow-up",
        ],
    },
    Topic {
        title: "Care and planning",
        actions: &["care-plan-review", "safety-plan", "letter-of-concern"],
    },
    Topic {
        title: "Exploitation and referrals",
        actions: &[
            "multi-agency-panel-referral",
            "nrm-referral",
            "exploitation-work",
            "immigration-checks",
        ],
    },
];

/// The heading of the table for actions no topic names.
pub const OTHER: &str = "Other actions";

/// The topics as shown: each with the actions (ids) that at least one protocol's duty uses.
pub fn tables(lib: &Library) -> Vec<(&'static str, Vec<String>)> {
    let used = |a: &str| {
        lib.protocols
            .iter()
            .any(|p| p.rules.rules.iter().any(|r| r.action.as_deref() == Some(a)))
    };
    let mut out: Vec<(&'static str, Vec<String>)> = TOPICS
        .iter()
        .map(|t| {
            let rows = t
                .actions
                .iter()
                .filter(|a| used(a))
                .map(|a| a.to_string())
                .collect();
            (t.title, rows)
        })
        .collect();
    let other: Vec<String> = lib
        .vocabulary
        .actions
        .iter()
        .map(|a| a.id.to_string())
        .filter(|a| used(a) && !TOPICS.iter().any(|t| t.actions.contains(&a.as_str())))
        .collect();
    out.push((OTHER, other));
    out.retain(|(_, rows)| !rows.is_empty());
    out
}

fn unit_short(amount: u32, unit: Unit) -> &'static str {
    match unit {
        Unit::Hours => "h",
        other => other.words(amount),
    }
}

fn event_short(e: Event) -> &'static str {
    match e {
        Event::Missing => "report",
        Event::Returned => "return",
        Event::Notification => "notification",
        Event::Referral => "referral",
        Event::LookedAfter => "entering care",
        Event::Placement => "placement",
        Event::Meeting => "meeting",
        Event::Decision => "decision",
    }
}

/// An hours-missing threshold the whole condition needs (not one of several alternatives):
/// (hours, "after" or "at").
fn threshold(c: &Condition) -> Option<(f64, bool)> {
    match c {
        Condition::Number(f @ (NumField::HoursMissing | NumField::DaysMissing), r) => {
            let scale = if *f == NumField::DaysMissing {
                24.0
            } else {
                1.0
            };
            r.more_than
                .map(|h| (h * scale, true))
                .or(r.at_least.map(|h| (h * scale, false)))
        }
        Condition::All(parts) => parts.iter().find_map(threshold),
        _ => None,
    }
}

fn hours_words(h: f64) -> String {
    if h >= 48.0 && h % 24.0 == 0.0 {
        format!("{} days", h / 24.0)
    } else {
        format!("{h} h")
    }
}

/// Roughly how many hours after the event a timescale falls: to order a cell's rules.
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

/// Which of a cell's rules speaks for it: a deadline first (the earliest), then a threshold
/// along the clock (the earliest), then by phase (now, on return, ongoing), then file order.
fn rank(r: &Rule) -> (u8, f64) {
    if let Some(t) = r.timescale {
        return (0, approx_hours(t.amount, t.unit));
    }
    if let Some((h, _)) = threshold(&r.when) {
        return (1, h);
    }
    match r.phase {
        Some(Phase::Now) => (2, 0.0),
        Some(Phase::OnReturn) => (3, 0.0),
        _ => (4, 0.0),
    }
}

/// When, in a few words: "72 h from return", "1–3 h from return", "after 24 h missing",
/// "Straight away", "On return", "Ongoing".
fn when(first: &Rule, rules: &[&Rule]) -> String {
    if let Some(t) = first.timescale {
        // The same clock in other rules: show the range ("1–3 h from return").
        let most = rules
            .iter()
            .filter_map(|r| r.timescale)
            .filter(|o| o.unit == t.unit && o.from == t.from)
            .map(|o| o.amount)
            .max()
            .unwrap_or(t.amount);
        let amount = if most > t.amount {
            format!("{}–{most}", t.amount)
        } else {
            t.amount.to_string()
        };
        return format!(
            "{amount} {} from {}",
            unit_short(most, t.unit),
            event_short(t.from)
        );
    }
    if let Some((h, after)) = threshold(&first.when) {
        let word = if after { "After" } else { "At" };
        return format!("{word} {} missing", hours_words(h));
    }
    match first.phase {
        Some(Phase::Now) => "Straight away".into(),
        Some(Phase::OnReturn) => "On return".into(),
        Some(Phase::Ongoing) => "Ongoing".into(),
        _ => "Stated".into(),
    }
}

/// The protocol's `who`, without its asides in brackets.
fn who_short(who: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for ch in who.chars() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
    }
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    out.trim_end_matches([',', ';', '.', ' ']).to_string()
}

/// Cuts `s` to at most `max` characters at a word boundary, with "…" where it cut.
fn fit(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out = String::new();
    for word in s.split_whitespace() {
        let next = if out.is_empty() {
            word.to_string()
        } else {
            format!("{out} {word}")
        };
        if next.chars().count() + 1 > max {
            break;
        }
        out = next;
    }
    let out = out.trim_end_matches([',', ';', '.', ' ']);
    format!("{out}…")
}

/// One cell's words: the line shown (when · who) and how many more rules it stands for.
pub struct Cell<'a> {
    pub line: String,
    pub first: &'a Rule,
    pub more: usize,
}

/// The duties of a protocol tagged with an action, as one line; None when there are none.
pub fn cell<'a>(lib: &Library, p: &'a ProtocolContent, action: &str) -> Option<Cell<'a>> {
    let mut rules: Vec<&Rule> = p
        .rules
        .rules
        .iter()
        .filter(|r| r.kind == Kind::Duty && r.action.as_deref() == Some(action))
        .collect();
    rules.sort_by(|a, b| {
        let (ra, rb) = (rank(a), rank(b));
        ra.0.cmp(&rb.0).then(ra.1.total_cmp(&rb.1))
    });
    let first = *rules.first()?;
    let more = rules.len() - 1;
    let when = when(first, &rules);
    let suffix = if more > 0 {
        format!(" +{more}").chars().count()
    } else {
        0
    };
    let room = CELL_MAX
        .saturating_sub(when.chars().count() + " · ".chars().count() + suffix)
        .max(12);
    let who = first.who.as_deref().map(who_short).unwrap_or_default();
    let actors = first
        .actors
        .iter()
        .filter_map(|a| lib.vocabulary.actors.iter().find(|e| *e.id == **a))
        .map(|e| e.name.to_string())
        .collect::<Vec<_>>()
        .join(" and ");
    let who = if !who.is_empty() && who.chars().count() <= room {
        who
    } else if !actors.is_empty() && actors.chars().count() <= room {
        actors
    } else {
        fit(if who.is_empty() { &actors } else { &who }, room)
    };
    let line = if who.is_empty() {
        when
    } else {
        format!("{when} · {who}")
    };
    Some(Cell { line, first, more })
}

fn action_name(lib: &Library, action: &str) -> String {
    lib.vocabulary
        .actions
        .iter()
        .find(|a| *a.id == *action)
        .map(|a| a.name.to_string())
        .unwrap_or_else(|| action.to_string())
}

pub fn page(lib: &Library, root: &str) -> String {
    let mut s = String::from("# Comparing the protocols\n\n");
    s.push_str("What each of the five protocols says about the same piece of work, side by side: one table for each stage of an episode, a row for each kind of action, a column for each protocol. Each cell gives, in one line, when the protocol says it is done and who does it, and links to the paragraph that says so. The cells are made from the same rules as the quick checker.\n\n");
    s.push_str("- A time such as **72 h from return** is the protocol's deadline; where its rules give several on the same clock, the earliest and the latest (**1–3 h from return**). **After 24 h missing** is when the rule starts to apply; **Straight away**, **On return** and **Ongoing** mean it has no deadline.\n- **+2** means two more rules of that protocol are about the same action: the link opens its traceability page at the first, with every rule's words and paragraph.\n- **Not stated** means no rule of the protocol is about that action. Read the protocol to be sure: not every sentence is a rule.\n\n");
    s.push_str(
        "On a narrow screen each table scrolls sideways, with the first column kept in view.\n\n",
    );
    for (title, rows) in tables(lib) {
        let _ = writeln!(s, "## {title}\n");
        let _ = write!(
            s,
            "<div class=\"mcph-glance-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"{}: table\"><table class=\"mcph-glance\"><thead><tr><th scope=\"col\">Action</th>",
            esc(title)
        );
        for p in &lib.protocols {
            let _ = write!(s, "<th scope=\"col\">{}</th>", esc(&p.meta.short_title));
        }
        s.push_str("</tr></thead><tbody>");
        for action in &rows {
            let name = action_name(lib, action);
            let _ = write!(
                s,
                "<tr id=\"glance-{}\"><th scope=\"row\">{}</th>",
                esc(action),
                esc(&name)
            );
            for p in &lib.protocols {
                match cell(lib, p, action) {
                    None => s.push_str("<td class=\"mcph-not-stated\">Not stated</td>"),
                    Some(c) => {
                        let _ = write!(
                            s,
                            "<td><a href=\"{}\">{}</a>",
                            esc(&para_href(p, root, &c.first.paragraph)),
                            esc(&c.line)
                        );
                        if c.more > 0 {
                            let _ = write!(
                                s,
                                " <a class=\"mcph-glance-more\" href=\"{root}protocols/{}/traceability.html#rule-{}\" aria-label=\"+{}: {} more {} rules on {}\">+{}</a>",
                                p.id,
                                esc(&c.first.id),
                                c.more,
                                c.more,
                                esc(&p.meta.short_title),
                                esc(&name.to_lowercase()),
                                c.more
                            );
                        }
                        s.push_str("</td>");
                    }
                }
            }
            s.push_str("</tr>");
        }
        s.push_str("</tbody></table></div>\n\n");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_loses_its_asides_and_a_long_line_is_cut_at_a_word() {
        assert_eq!(who_short("Catch22 (commissioned provider)"), "Catch22");
        assert_eq!(
            who_short("Children's social care (MASH case worker, 4.22 (and 4.23))"),
            "Children's social care"
        );
        assert_eq!(fit("one two three", 20), "one two three");
        assert_eq!(fit("one two three four", 12), "one two…");
        assert!(fit("one two three four", 12).chars().count() <= 12);
    }

    #[test]
    fn a_threshold_is_read_only_where_the_whole_condition_needs_it() {
        let c = Condition::All(vec![Condition::Number(
            NumField::HoursMissing,
            handbook_engine::condition::Range {
                more_than: Some(24.0),
                ..Default::default()
            },
        )]);
        assert_eq!(threshold(&c), Some((24.0, true)));
        assert_eq!(threshold(&Condition::Any(vec![c.clone()])), None);
        assert_eq!(threshold(&Condition::Not(Box::new(c))), None);
        assert_eq!(hours_words(72.0), "3 days");
        assert_eq!(hours_words(24.0), "24 h");
    }
}
