//! Evaluating a case against one protocol's rules. It reads top to bottom:
//!
//! 1. apply the protocol's implications to the case ("UASC are children in care");
//! 2. evaluate every rule three-valued: true, false, or what it depends on ([`Truth`]);
//! 3. what applies now, by kind, the actions most urgent first;
//! 4. what depends on a question left unanswered, with the answers that would settle it;
//! 5. what comes later while the child is still missing, at the hours the protocol names;
//! 6. what comes when the child is found or comes back.
//!
//! Nothing is dropped because a question was left blank: a rule that may apply is either
//! applying or in `depends` (or, for a child known to be still missing, in `on_return`).

use crate::case::Case;
use crate::condition::{Condition, Need, NumField, Truth, question};
use crate::deadline;
use crate::load::Scenario;
use crate::model::{
    Event, Implication, Kind, Phase, Protocol, Rule, SharedStr, Strength, Timescale, Unit,
};
use crate::order;
use chrono::{DateTime, Duration, FixedOffset};
use serde::Serialize;
use std::rc::Rc;

/// One thing the checker tells the reader, with where the protocol says it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub rule: SharedStr,
    pub kind: Kind,
    /// "good-practice" where the protocol calls it that.
    pub strength: Strength,
    /// The action or statement in plain words, naming who does it.
    pub text: SharedStr,
    /// Who does it, in the protocol's words.
    pub who: Option<SharedStr>,
    /// What kind of action it is: an id of the shared vocabulary (`report-to-police`).
    pub action: Option<SharedStr>,
    /// The vocabulary's name for it: "Report to the police".
    pub action_name: Option<SharedStr>,
    /// Who does it, as ids of the vocabulary (`foster-carer-or-residential-staff`).
    pub actors: Rc<[SharedStr]>,
    /// Their names in the vocabulary, in the same order: "Foster carer or residential staff".
    pub actor_names: Rc<[SharedStr]>,
    /// When in an episode it belongs: `now`, `timed`, `ongoing` or `on-return`.
    pub phase: Option<Phase>,
    pub timescale: Option<Timescale>,
    /// "within 72 hours of the child being found or returning".
    pub timescale_words: Option<String>,
    /// The deadline, when the time of the event it runs from is known (RFC 3339, UK time).
    pub due: Option<String>,
    /// The deadline in words: "9am on Monday 27 October 2025".
    pub due_words: Option<String>,
    /// For what comes later: when it starts to apply.
    #[serde(flatten)]
    pub starts: Option<Starts>,
    pub paragraph: SharedStr,
    /// Relative to the handbook's root, e.g. `protocols/wandsworth/08-definitions.html#wandsworth-8.1-p2`.
    pub link: String,
    pub quote: SharedStr,
    /// Why it applies: the circumstances that matched, in plain words (and the implications
    /// of the text that were used, with their paragraph).
    pub because: Vec<String>,
    /// Empty when it applies. Otherwise the ways it would: each a list of answers to
    /// questions not yet answered, all of which are needed.
    #[serde(rename = "if")]
    pub if_answered: Vec<Vec<Answer>>,
    /// For editors (the traceability page): how the rule reads the text.
    pub note: Option<SharedStr>,
}

/// When an item of what comes later starts to apply.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Starts {
    /// The hours missing at which it does.
    #[serde(rename = "starts_at_hours")]
    pub at_hours: f64,
    /// "at" (that many hours or more) or "after" (more than that).
    #[serde(rename = "starts_when")]
    pub when: &'static str,
    /// When that will be, if the time the child went missing is known (RFC 3339, UK time).
    #[serde(rename = "starts")]
    pub time: Option<String>,
    /// The same in words: "3pm on Tuesday 28 October 2025".
    #[serde(rename = "starts_words")]
    pub words: Option<String>,
}

/// An answer that would make a rule apply: to which question, and what.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub need: Need,
    /// The question in words: "Do you know where the child is?"
    pub question: &'static str,
    /// The answer in words: "whereabouts unknown".
    pub words: String,
}

impl Serialize for Answer {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = s.serialize_struct("Answer", 4)?;
        out.serialize_field("field", self.need.field())?;
        match &self.need {
            Need::Bool(_, v) => out.serialize_field("answer", v)?,
            Need::Number(_, r) => out.serialize_field("answer", r)?,
            Need::Risk(levels) => {
                let names: Vec<&str> = levels.iter().map(|r| r.name()).collect();
                out.serialize_field("answer", &names)?
            }
        }
        out.serialize_field("question", self.question)?;
        out.serialize_field("words", &self.words)?;
        out.end()
    }
}

impl Item {
    /// True when it applies as things stand (no answer is needed).
    pub fn certain(&self) -> bool {
        self.if_answered.is_empty()
    }

    /// The questions it waits on, in order, each once.
    pub fn questions(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for a in self.if_answered.iter().flatten() {
            if !out.contains(&a.need.field()) {
                out.push(a.need.field());
            }
        }
        out
    }
}

/// Two places where the protocol's text says different things about the same matter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contradiction {
    pub rules: [SharedStr; 2],
    pub paragraphs: [SharedStr; 2],
    pub links: [String; 2],
    pub quotes: [SharedStr; 2],
    pub note: Option<SharedStr>,
}

/// What one protocol says about one case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub protocol: String,
    pub protocol_title: String,
    pub version: Option<String>,
    /// Things the reader must know about the answer as a whole (e.g. the age scope).
    pub notices: Vec<String>,
    pub classification: Vec<Item>,
    pub actions: Vec<Item>,
    /// What may apply now but depends on a question left unanswered (any kind), each with
    /// the answers that would make it apply.
    pub depends: Vec<Item>,
    /// What starts to apply if the child is still missing later.
    pub upcoming: Vec<Item>,
    /// While the child is still missing: the duties that will apply once the child is found
    /// or comes back (safe and well check, return interview, review meetings).
    pub on_return: Vec<Item>,
    pub considerations: Vec<Item>,
    pub contradictions: Vec<Contradiction>,
}

impl Evaluation {
    /// Everything that applies now (classification, actions, considerations).
    pub fn applying(&self) -> impl Iterator<Item = &Item> {
        self.classification
            .iter()
            .chain(&self.actions)
            .chain(&self.considerations)
    }
}

/// The protocols' scope: under-18s, unless a rule says otherwise with an age condition.
pub const ADULT_AGE: u32 = 18;

/// True when a rule says, with an age bound of 18 or more, that it covers a young person of
/// this age ("aged 18 to 25 and a care leaver"). An open-ended "13 or more" in a protocol for
/// under-18s does not reach adults.
fn reaches(rule: &Rule, age: u32) -> bool {
    let adult = f64::from(ADULT_AGE);
    let mut found = false;
    rule.when.visit_numbers(&mut |field, range| {
        let explicit = range.at_most.is_some_and(|b| b >= adult)
            || range.less_than.is_some_and(|b| b > adult)
            || range.at_least.is_some_and(|b| b >= adult)
            || range.more_than.is_some_and(|b| b >= adult - 1.0);
        found |= field == NumField::Age && explicit && range.contains(f64::from(age));
    });
    found
}

/// The case as the protocol reads it: each implication whose condition holds sets its field
/// (the text is the authority: where the reader answered otherwise, a notice says so).
/// Returns the case, the implications used and the notices.
fn implied<'p>(protocol: &'p Protocol, given: &Case) -> (Case, Vec<&'p Implication>, Vec<String>) {
    let mut case = given.clone();
    let mut used = Vec::new();
    let mut notices = Vec::new();
    for imp in &protocol.implies {
        if imp.when.eval(given) == Some(true) {
            if imp.field.value(given) == Some(!imp.value) {
                notices.push(format!(
                    "You answered that the child is {}, but paragraph {} says: \"{}\" The checker reads the case as the protocol does ({}).",
                    Condition::Bool(imp.field, !imp.value).words(),
                    imp.paragraph,
                    imp.quote,
                    Condition::Bool(imp.field, imp.value).words()
                ));
            }
            imp.field.set(&mut case, imp.value);
            used.push(imp);
        }
    }
    (case, used, notices)
}

/// Whether a rule applies to a case: its condition, within the protocol's scope (a young
/// person of 18 or more is reached only by rules that say so).
fn truth(protocol: &Protocol, rule: &Rule, case: &Case) -> Truth {
    match case.age {
        Some(age) if age >= ADULT_AGE && !reaches(rule, age) => Truth::False,
        _ => rule.when.truth(case, &protocol.implies),
    }
}

/// The notice of the protocol's scope, for a young person of 18 or more.
fn scope_notice(protocol: &Protocol, age: u32) -> String {
    let mut beyond: Vec<String> = Vec::new();
    for rule in protocol.rules.iter().filter(|r| reaches(r, age)) {
        let words = format!("{} (paragraph {})", rule.when.words(), rule.paragraph);
        if !beyond.contains(&words) {
            beyond.push(words);
        }
    }
    if beyond.is_empty() {
        format!(
            "This protocol applies to children under {ADULT_AGE}. It says nothing that reaches a young person of {age}."
        )
    } else {
        format!(
            "This protocol applies to children under {ADULT_AGE}. For a young person of {age} it reaches further only here: {}. Only what applies there is shown.",
            beyond.join("; ")
        )
    }
}

fn event_time(case: &Case, from: Event) -> Option<DateTime<FixedOffset>> {
    match from {
        Event::Missing => case.missing_start(),
        Event::Returned => case.returned_at,
        _ => None,
    }
}

/// A rough length of a timescale in hours, to put the most urgent first.
fn rough_hours(t: &Timescale) -> f64 {
    let n = f64::from(t.amount);
    match t.unit {
        Unit::Hours => n,
        Unit::Days => n * 24.0,
        Unit::WorkingDays => n * 24.0 * 7.0 / 5.0,
        Unit::Weeks => n * 24.0 * 7.0,
        Unit::Months => n * 24.0 * 30.0,
    }
}

/// The item for a rule: `case` is the case it is read against (now, later, or found), and
/// `truth` what the rule's condition says of it.
fn item(
    protocol: &Protocol,
    rule: &Rule,
    case: &Case,
    truth: &Truth,
    used: &[&Implication],
) -> Item {
    let due = rule.timescale.as_ref().and_then(|t| {
        let start = event_time(case, t.from)?;
        deadline::add(start, t, &protocol.holidays).map(deadline::texts_uk)
    });
    let (due, due_words) = due.unzip();
    let mut because = rule.when.because(case);
    let mut reads = Vec::new();
    rule.when.visit_fields(&mut |f| reads.push(f));
    for imp in used.iter().filter(|i| reads.contains(&i.field.name())) {
        let plain = Condition::Bool(imp.field, imp.value).words();
        let named = format!("{plain} (paragraph {}: {})", imp.paragraph, imp.text);
        match because.iter_mut().find(|b| **b == plain) {
            Some(b) => *b = named,
            None => because.push(named),
        }
    }
    let if_answered = match truth {
        Truth::Depends(alternatives) => alternatives
            .iter()
            .map(|alt| {
                alt.iter()
                    .map(|need| Answer {
                        question: question(need.field()),
                        words: need.as_condition().words(),
                        need: need.clone(),
                    })
                    .collect()
            })
            .collect(),
        _ => Vec::new(),
    };
    Item {
        rule: rule.id.clone(),
        kind: rule.kind,
        strength: rule.strength,
        text: rule.text.clone(),
        who: rule.who.clone(),
        action: rule.action.clone(),
        action_name: rule.action_name.clone(),
        actors: rule.actors.clone(),
        actor_names: rule.actor_names.clone(),
        phase: rule.phase,
        timescale: rule.timescale,
        timescale_words: rule.timescale.as_ref().map(Timescale::words),
        due,
        due_words,
        starts: None,
        paragraph: rule.paragraph.clone(),
        link: protocol.link(&rule.paragraph),
        quote: rule.quote.clone(),
        because,
        if_answered,
        note: rule.note.clone(),
    }
}

/// True when the rule compares the hours (or days) missing.
fn reads_hours(rule: &Rule) -> bool {
    let mut reads = false;
    rule.when.visit_numbers(&mut |field, _| {
        reads |= matches!(field, NumField::HoursMissing | NumField::DaysMissing)
    });
    reads
}

/// Evaluates a case. The case must already be valid (see [`Case::from_json`]).
pub fn evaluate(protocol: &Protocol, given: &Case) -> Evaluation {
    // 1. The case as the protocol reads it, its hours missing worked out once.
    let (mut case, used, implied_notices) = implied(protocol, given);
    case.hours_missing = case.hours();
    let mut eval = Evaluation {
        protocol: protocol.id.clone(),
        protocol_title: protocol.title.clone(),
        version: protocol.version.clone(),
        notices: case
            .age
            .filter(|a| *a >= ADULT_AGE)
            .map(|age| scope_notice(protocol, age))
            .into_iter()
            .chain(implied_notices)
            .collect(),
        classification: Vec::new(),
        actions: Vec::new(),
        depends: Vec::new(),
        upcoming: Vec::new(),
        on_return: Vec::new(),
        considerations: Vec::new(),
        contradictions: Vec::new(),
    };

    // 2. Every rule, three-valued.
    let now: Vec<Truth> = protocol
        .rules
        .iter()
        .map(|rule| truth(protocol, rule, &case))
        .collect();

    // 3. What applies now, by kind. Actions most urgent first: those without a timescale
    // (in the protocol's order), then by deadline, then by the length of their timescale.
    for (rule, t) in protocol.rules.iter().zip(&now) {
        if *t == Truth::True {
            let item = item(protocol, rule, &case, t, &used);
            match rule.kind {
                Kind::Classification => eval.classification.push(item),
                Kind::Duty => eval.actions.push(item),
                Kind::Consideration => eval.considerations.push(item),
            }
        }
    }
    order::sort_by(&mut eval.actions, |a, b| {
        let key = |i: &Item| (i.timescale.is_some(), i.due.is_none());
        key(a)
            .cmp(&key(b))
            .then_with(|| a.due.cmp(&b.due))
            .then_with(|| {
                let rough = |i: &Item| i.timescale.as_ref().map_or(0.0, rough_hours);
                rough(a).total_cmp(&rough(b))
            })
    });

    // 4. What depends on an unanswered question, in the protocol's order.
    for (rule, t) in protocol.rules.iter().zip(&now) {
        if matches!(t, Truth::Depends(_)) {
            eval.depends.push(item(protocol, rule, &case, t, &used));
        }
    }

    // 5. While the child may still be missing and the hours are known: what starts to apply
    // (or to depend on fewer answers) at a later threshold the protocol names. Each rule that
    // reads the hours is tried at each threshold ahead, and just after it.
    if case.is_returned() != Some(true)
        && let Some(hours) = case.hours_missing
    {
        let points: Vec<(f64, bool)> = protocol
            .hour_thresholds()
            .into_iter()
            .flat_map(|t| [(t, false), (t + 1.0 / 60.0, true)])
            .filter(|(t, _)| *t > hours)
            .collect();
        let mut later = Vec::new();
        for ((i, rule), t_now) in protocol.rules.iter().enumerate().zip(&now) {
            if *t_now == Truth::True || !reads_hours(rule) {
                continue;
            }
            for &(at, after) in &points {
                let then = Case {
                    hours_missing: Some(at),
                    returned_at: None,
                    ..case.clone()
                };
                let t = truth(protocol, rule, &then);
                if t != Truth::False && t != *t_now {
                    let shown = if after { at - 1.0 / 60.0 } else { at };
                    later.push((shown, i, after, then, t));
                    break;
                }
            }
        }
        // Soonest first; rules starting at the same hour in the protocol's order.
        order::sort_by(&mut later, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (shown, i, after, then, t) in later {
            let time = case
                .missing_start()
                .and_then(|s| {
                    s.checked_add_signed(Duration::seconds((shown * 3600.0).round() as i64))
                })
                .map(|t| deadline::texts_uk(deadline::to_london(t)));
            let (time, words) = time.unzip();
            let mut item = item(protocol, &protocol.rules[i], &case, &t, &used);
            item.because = protocol.rules[i].when.because(&then);
            item.starts = Some(Starts {
                at_hours: shown,
                when: if after { "after" } else { "at" },
                time,
                words,
            });
            eval.upcoming.push(item);
        }
    }

    // 6. For a child known to be still missing: the duties that the child's return would
    // bring (or bring nearer), the soonest first. The time of return is not known, so they
    // have no deadline yet.
    if case.is_returned() == Some(false) {
        let back_given = Case {
            returned: Some(true),
            whereabouts_known: None,
            ..given.clone()
        };
        let (mut back, back_used, _) = implied(protocol, &back_given);
        back.hours_missing = case.hours_missing;
        for (rule, t_now) in protocol.rules.iter().zip(&now) {
            if rule.kind != Kind::Duty || *t_now == Truth::True {
                continue;
            }
            let t = truth(protocol, rule, &back);
            if t != Truth::False && t != *t_now {
                let mut item = item(protocol, rule, &back, &t, &back_used);
                item.due = None;
                item.due_words = None;
                eval.on_return.push(item);
            }
        }
        let rough = |i: &Item| i.timescale.as_ref().map_or(0.0, rough_hours);
        order::sort_by(&mut eval.on_return, |a, b| rough(a).total_cmp(&rough(b)));
    }

    // 7. Where the text says different things: each applying rule in a contradiction, once.
    for rule in protocol
        .rules
        .iter()
        .zip(&now)
        .filter(|(_, t)| **t == Truth::True)
        .map(|(r, _)| r)
    {
        let other = match &rule.contradicts {
            Some(other) => protocol.rule(other).map(|o| (rule, o)),
            None => protocol
                .rules
                .iter()
                .find(|r| r.contradicts.as_deref() == Some(&*rule.id))
                .map(|o| (o, rule)),
        };
        let Some((a, b)) = other else { continue };
        if eval
            .contradictions
            .iter()
            .any(|c| c.rules.contains(&a.id) && c.rules.contains(&b.id))
        {
            continue;
        }
        eval.contradictions.push(Contradiction {
            rules: [a.id.clone(), b.id.clone()],
            paragraphs: [a.paragraph.clone(), b.paragraph.clone()],
            links: [protocol.link(&a.paragraph), protocol.link(&b.paragraph)],
            quotes: [a.quote.clone(), b.quote.clone()],
            note: a.note.clone().or_else(|| b.note.clone()),
        });
    }
    eval
}

/// Where the protocol says one thing of a [`Merged`] entry: one of the items it stands for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Citation {
    pub rule: SharedStr,
    /// The item's own words, as the rule gives them.
    pub text: SharedStr,
    pub who: Option<SharedStr>,
    pub paragraph: SharedStr,
    pub link: String,
    pub quote: SharedStr,
}

impl Citation {
    /// The citation of one item: its rule, words, paragraph, link and quote.
    pub fn of(item: &Item) -> Citation {
        Citation {
            rule: item.rule.clone(),
            text: item.text.clone(),
            who: item.who.clone(),
            paragraph: item.paragraph.clone(),
            link: item.link.clone(),
            quote: item.quote.clone(),
        }
    }
}

/// Items that say the same thing, shown once: duties with the same action, the same actors and
/// the same timescale, citing every paragraph that says it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Merged {
    /// The first of the items, in the list's order (its words, deadline and reasons); its
    /// `phase` is the most urgent of theirs (`now` before `timed` before `ongoing`...).
    #[serde(flatten)]
    pub first: Item,
    /// The items it stands for, the first included, in the list's order: each rule with its
    /// paragraph, link and quote.
    pub citations: Vec<Citation>,
}

/// The list with the duties that say the same thing merged: two duties with the same
/// `action`, the same `actors` (in any order) and the same `timescale` become one entry, at
/// the place of the first, citing both. Anything else (a duty without an action, a
/// classification, a consideration) stays an entry of its own. The order is kept.
pub fn merged(items: &[Item]) -> Vec<Merged> {
    fn actors(i: &Item) -> Vec<&str> {
        let mut v: Vec<&str> = i.actors.iter().map(|a| &**a).collect();
        order::sort_by(&mut v, |a, b| a.cmp(b));
        v
    }
    fn same(a: &Item, b: &Item) -> bool {
        a.kind == Kind::Duty
            && b.kind == Kind::Duty
            && a.action.is_some()
            && a.action == b.action
            && a.timescale == b.timescale
            && actors(a) == actors(b)
    }
    let mut out: Vec<Merged> = Vec::new();
    for item in items {
        let citation = Citation::of(item);
        match out.iter_mut().find(|m| same(&m.first, item)) {
            Some(m) => {
                m.citations.push(citation);
                // The entry is as urgent as the most urgent of its items.
                if let Some(p) = item.phase
                    && m.first.phase.is_none_or(|q| p < q)
                {
                    m.first.phase = Some(p);
                }
            }
            None => out.push(Merged {
                first: item.clone(),
                citations: vec![citation],
            }),
        }
    }
    out
}

/// Checks a worked case: returns what differs from what it expects (empty when it passes).
pub fn check_scenario(protocol: &Protocol, scenario: &Scenario) -> Vec<String> {
    let eval = evaluate(protocol, &scenario.case);
    let now: Vec<&str> = eval.applying().map(|i| &*i.rule).collect();
    let upcoming: Vec<&str> = eval.upcoming.iter().map(|i| &*i.rule).collect();
    let mut problems = Vec::new();
    for r in &scenario.present {
        if !now.contains(&r.as_str()) {
            problems.push(format!("`{r}` should apply but does not"));
        }
    }
    for r in &scenario.upcoming {
        if !upcoming.contains(&r.as_str()) {
            problems.push(format!("`{r}` should be upcoming but is not"));
        }
    }
    let on_return: Vec<&str> = eval.on_return.iter().map(|i| &*i.rule).collect();
    for r in &scenario.on_return {
        if !on_return.contains(&r.as_str()) {
            problems.push(format!(
                "`{r}` should be listed for when the child is back but is not"
            ));
        }
    }
    for r in &scenario.absent {
        if now.contains(&r.as_str()) {
            problems.push(format!("`{r}` should not apply but does"));
        }
    }
    for (r, want) in &scenario.due {
        let got = eval
            .applying()
            .chain(&eval.upcoming)
            .find(|i| *i.rule == **r)
            .and_then(|i| i.due.clone());
        match got.as_deref().map(DateTime::parse_from_rfc3339) {
            Some(Ok(t)) if t == *want => {}
            _ => problems.push(format!(
                "`{r}` should be due {} but is due {}",
                want.to_rfc3339(),
                got.as_deref().unwrap_or("(no date)")
            )),
        }
    }
    if !problems.is_empty() {
        problems.push(format!(
            "(it gives: now [{}]; upcoming [{}]; on return [{}])",
            now.join(", "),
            upcoming.join(", "),
            on_return.join(", ")
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load;

    fn protocol(extra: &str) -> Protocol {
        let mut paragraphs = load::Paragraphs::new();
        paragraphs.insert(
            "1".into(),
            "A child missing for more than 24 hours must be discussed at a strategy meeting within 2 working days.".into(),
        );
        paragraphs.insert(
            "2".into(),
            "Where the whereabouts of a child are not known, the carer must report the child missing to the police.".into(),
        );
        paragraphs.insert(
            "3".into(),
            "Unaccompanied asylum-seeking children are children in care.".into(),
        );
        let rules = format!(
            r#"
[[rule]]
id = "strategy"
kind = "duty"
text = "Hold a strategy meeting."
who = "Children's social care"
paragraph = "1"
quote = "A child missing for more than 24 hours must be discussed at a strategy meeting within 2 working days"
when = {{ hours_missing = {{ more_than = 24 }} }}
timescale = {{ amount = 2, unit = "working_days", from = "missing" }}

[[rule]]
id = "report"
kind = "duty"
text = "Report the child missing to the police."
who = "Carer"
paragraph = "2"
quote = "Where the whereabouts of a child are not known, the carer must report the child missing to the police"
when = {{ whereabouts_known = false, looked_after = true }}
{extra}
"#
        );
        let set = load::rules("rules.toml", &rules, &paragraphs).expect("valid");
        Protocol {
            id: "p".into(),
            title: "P".into(),
            short_title: "P".into(),
            authority: "A".into(),
            version: None,
            rules: set.rules,
            paragraphs: [("1".to_string(), "one".to_string())].into(),
            holidays: Default::default(),
            implies: set.implies,
            main_questions: Vec::new(),
            vocabulary: Default::default(),
        }
    }

    fn case(json: &str) -> Case {
        Case::from_json_str(json).expect("case")
    }

    /// A protocol whose duties are tagged from a small vocabulary: two report to the police
    /// (the same actors, named in another order, no timescale), two hold a strategy meeting
    /// (2 working days and 3 days), and one more strategy meeting by someone else in 2 working
    /// days.
    fn tagged() -> Protocol {
        let vocabulary = crate::vocabulary::load(
            "vocabulary.toml",
            r#"
[[action]]
id = "report-to-police"
name = "Report to the police"
description = "Report the child missing."
[[action]]
id = "strategy-discussion"
name = "Strategy meeting or discussion"
description = "Hold a strategy meeting."
[[actor]]
id = "parent-or-carer"
name = "Parent or carer"
description = "Parents."
[[actor]]
id = "foster-carer-or-residential-staff"
name = "Foster carer or residential staff"
description = "Carers."
[[actor]]
id = "childrens-social-care"
name = "Children's social care"
description = "The service."
[[actor]]
id = "police"
name = "Police"
description = "The police."
[[phase]]
id = "now"
name = "Now"
description = "Now."
[[phase]]
id = "timed"
name = "By a deadline"
description = "Timed."
[[phase]]
id = "ongoing"
name = "Ongoing"
description = "Ongoing."
[[phase]]
id = "on-return"
name = "When the child is back"
description = "Back."
"#,
        )
        .expect("vocabulary");
        let mut paragraphs = load::Paragraphs::new();
        for (id, text) in [
            (
                "1",
                "Parents and carers must report the child missing to the police.",
            ),
            (
                "2",
                "The carer or parent should call the police without delay.",
            ),
            (
                "3",
                "A strategy meeting must be held within 2 working days.",
            ),
            (
                "4",
                "Children's social care will hold a strategy meeting within 3 days.",
            ),
            (
                "5",
                "The police and social care hold a strategy discussion within 2 working days.",
            ),
        ] {
            paragraphs.insert(id.into(), text.into());
        }
        let rule = |id: &str, para: &str, quote: &str, tags: &str, extra: &str| {
            format!(
                "[[rule]]\nid = \"{id}\"\nkind = \"duty\"\ntext = \"Do it.\"\nwho = \"Someone\"\n{tags}\nparagraph = \"{para}\"\nquote = \"{quote}\"\n{extra}\n"
            )
        };
        let report = "action = \"report-to-police\"\nphase = \"now\"";
        let two_days = "timescale = { amount = 2, unit = \"working_days\", from = \"missing\" }";
        let rules = [
            rule("report", "1", "must report the child missing to the police", &format!("{report}\nactors = [\"parent-or-carer\", \"foster-carer-or-residential-staff\"]"), ""),
            rule("report-without-delay", "2", "should call the police without delay", &format!("{report}\nactors = [\"foster-carer-or-residential-staff\", \"parent-or-carer\"]"), ""),
            rule("strategy-2wd", "3", "within 2 working days", "action = \"strategy-discussion\"\nactors = [\"childrens-social-care\"]\nphase = \"timed\"", two_days),
            rule("strategy-3d", "4", "within 3 days", "action = \"strategy-discussion\"\nactors = [\"childrens-social-care\"]\nphase = \"timed\"", "timescale = { amount = 3, unit = \"days\", from = \"missing\" }"),
            rule("strategy-with-police", "5", "within 2 working days", "action = \"strategy-discussion\"\nactors = [\"police\", \"childrens-social-care\"]\nphase = \"timed\"", two_days),
        ]
        .concat();
        let set =
            load::rules_with("rules.toml", &rules, &paragraphs, Some(&vocabulary)).expect("valid");
        let rules_loaded = set.rules.clone();
        Protocol {
            id: "t".into(),
            title: "T".into(),
            short_title: "T".into(),
            authority: "A".into(),
            version: None,
            rules: set.rules,
            paragraphs: paragraphs
                .keys()
                .map(|p| (p.clone(), "x".to_string()))
                .collect(),
            holidays: Default::default(),
            implies: set.implies,
            main_questions: Vec::new(),
            vocabulary: vocabulary.used_by(&rules_loaded),
        }
    }

    #[test]
    fn items_carry_their_tags_and_names_and_the_same_duties_merge() {
        let p = tagged();
        let e = evaluate(&p, &case(r#"{"age": 15, "hours_missing": 2}"#));
        assert_eq!(
            ids(&e.actions),
            [
                "report",
                "report-without-delay",
                "strategy-2wd",
                "strategy-with-police",
                "strategy-3d"
            ]
        );
        let first = &e.actions[0];
        assert_eq!(first.action.as_deref(), Some("report-to-police"));
        assert_eq!(first.action_name.as_deref(), Some("Report to the police"));
        assert_eq!(
            first.actor_names.iter().map(|a| &**a).collect::<Vec<_>>(),
            ["Parent or carer", "Foster carer or residential staff"]
        );
        assert_eq!(first.phase, Some(Phase::Now));

        let m = merged(&e.actions);
        let cited = |m: &Merged| -> Vec<(String, String)> {
            m.citations
                .iter()
                .map(|c| (c.rule.to_string(), c.paragraph.to_string()))
                .collect()
        };
        // The two reports (same action, same actors in another order, no timescale) are one;
        // the strategy meetings with other timescales or other actors are not.
        assert_eq!(m.len(), 4, "{m:#?}");
        assert_eq!(
            cited(&m[0]),
            [
                ("report".into(), "1".into()),
                ("report-without-delay".into(), "2".into())
            ]
        );
        assert_eq!(m[0].citations[1].link, "protocols/t/x.html#t-2");
        assert_eq!(
            m[0].citations[1].quote.as_ref(),
            "should call the police without delay"
        );
        assert_eq!(cited(&m[1]), [("strategy-2wd".into(), "3".into())]);
        assert_eq!(cited(&m[2]), [("strategy-with-police".into(), "5".into())]);
        assert_eq!(cited(&m[3]), [("strategy-3d".into(), "4".into())]);

        let json = serde_json::to_value(&m[0]).expect("json");
        assert_eq!(json["rule"], "report");
        assert_eq!(json["action"], "report-to-police");
        assert_eq!(json["actors"][1], "foster-carer-or-residential-staff");
        assert_eq!(json["phase"], "now");
        assert_eq!(json["citations"][1]["paragraph"], "2");
    }

    #[test]
    fn a_protocol_read_back_gets_its_names_from_its_vocabulary() {
        let p = tagged();
        assert_eq!(p.vocabulary.actions.len(), 2);
        let json = serde_json::to_string(&p).expect("json");
        let mut read: Protocol = serde_json::from_str(&json).expect("read");
        assert_eq!(read.rules[0].action_name, None, "names are not serialised");
        read.name_tags();
        assert_eq!(read.rules, p.rules);
        assert_eq!(
            read.rules[0].actor_names[1].as_ref(),
            "Foster carer or residential staff"
        );
    }

    #[test]
    fn a_merged_entry_is_as_urgent_as_its_most_urgent_item() {
        let p = tagged();
        assert_eq!(p.rules.len(), 5);
        // Merging keeps the phase of the most urgent item.
        let mut items: Vec<Item> =
            evaluate(&p, &case(r#"{"age": 15, "hours_missing": 2}"#)).actions;
        items.truncate(2);
        items[0].phase = Some(Phase::Ongoing);
        assert_eq!(merged(&items)[0].first.phase, Some(Phase::Now));
    }

    fn ids(items: &[Item]) -> Vec<&str> {
        items.iter().map(|i| &*i.rule).collect()
    }

    #[test]
    fn what_comes_later_starts_at_the_threshold_with_its_reasons() {
        let p = protocol("");
        let e = evaluate(&p, &case(r#"{"hours_missing": 3, "returned": false}"#));
        assert_eq!(ids(&e.upcoming), ["strategy"]);
        let starts = e.upcoming[0].starts.as_ref().expect("upcoming");
        assert_eq!((starts.at_hours, starts.when), (24.0, "after"));
        assert_eq!(e.upcoming[0].link, "protocols/p/one.html#p-1");
        assert_eq!(e.upcoming[0].because, ["missing more than 24 hours"]);
    }

    #[test]
    fn an_unanswered_question_is_shown_with_the_answer_that_settles_it() {
        let p = protocol("");
        let e = evaluate(
            &p,
            &case(r#"{"age": 14, "looked_after": true, "hours_missing": 5}"#),
        );
        assert!(e.actions.is_empty());
        assert_eq!(ids(&e.depends), ["report"]);
        let alts = &e.depends[0].if_answered;
        assert_eq!(alts.len(), 1);
        assert_eq!(
            alts[0][0].need,
            Need::Bool(crate::condition::BoolField::WhereaboutsKnown, false)
        );
        assert_eq!(alts[0][0].question, "Do you know where the child is?");
        // Answered, it applies; answered the other way, it is gone.
        let e = evaluate(
            &p,
            &case(
                r#"{"age": 14, "looked_after": true, "hours_missing": 5, "whereabouts_known": false}"#,
            ),
        );
        assert_eq!(ids(&e.actions), ["report"]);
        assert!(e.depends.is_empty());
        let e = evaluate(
            &p,
            &case(
                r#"{"age": 14, "looked_after": true, "hours_missing": 5, "whereabouts_known": true}"#,
            ),
        );
        assert!(e.actions.is_empty() && e.depends.is_empty());
        // Two questions open: both are needed.
        let e = evaluate(&p, &case(r#"{"age": 14}"#));
        let report = e
            .depends
            .iter()
            .find(|i| &*i.rule == "report")
            .expect("depends");
        assert_eq!(report.questions(), ["looked_after", "whereabouts_known"]);
    }

    #[test]
    fn an_implication_of_the_text_is_applied_and_named() {
        let p = protocol(
            r#"
[[implies]]
when = { uasc = true }
then = { looked_after = true }
text = "An unaccompanied asylum-seeking child is a child in care."
paragraph = "3"
quote = "Unaccompanied asylum-seeking children are children in care"
"#,
        );
        let e = evaluate(&p, &case(r#"{"uasc": true, "whereabouts_known": false}"#));
        assert_eq!(ids(&e.actions), ["report"]);
        assert!(
            e.actions[0]
                .because
                .iter()
                .any(|b| b.contains("paragraph 3")),
            "{:?}",
            e.actions[0].because
        );
        // Not answered: either answer is a way for it to apply.
        let e = evaluate(&p, &case(r#"{"whereabouts_known": false}"#));
        let report = e
            .depends
            .iter()
            .find(|i| &*i.rule == "report")
            .expect("depends");
        let alts: Vec<Vec<&str>> = report
            .if_answered
            .iter()
            .map(|a| a.iter().map(|x| x.need.field()).collect())
            .collect();
        assert_eq!(alts, [vec!["looked_after"], vec!["uasc"]]);
        // The text wins over an answer that says otherwise, and a notice says so.
        let e = evaluate(
            &p,
            &case(r#"{"uasc": true, "looked_after": false, "whereabouts_known": false}"#),
        );
        assert_eq!(ids(&e.actions), ["report"]);
        assert!(
            e.notices.iter().any(|n| n.contains("paragraph 3")),
            "{:?}",
            e.notices
        );
        // Answered "not looked after": it still applies if the child is an asylum seeker.
        let e = evaluate(
            &p,
            &case(r#"{"looked_after": false, "whereabouts_known": false}"#),
        );
        let report = e
            .depends
            .iter()
            .find(|i| &*i.rule == "report")
            .expect("depends");
        assert_eq!(report.questions(), ["uasc"]);
    }

    #[test]
    fn a_bad_implication_is_a_clear_error() {
        let mut paragraphs = load::Paragraphs::new();
        paragraphs.insert("3".into(), "UASC are children in care.".into());
        let bad = r#"
[[implies]]
when = { uasc = true }
then = { in_care = true }
text = "x"
paragraph = "3"
quote = "UASC are children in care"

[[implies]]
when = { looked_after = true }
then = { uasc = true }
text = "y"
paragraph = "3"
quote = "not in the text"
"#;
        let errors = load::rules("rules.toml", bad, &paragraphs).expect_err("invalid");
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        let all = text.join("\n");
        assert!(
            all.contains("rules.toml:4:") && all.contains("`in_care`"),
            "{all}"
        );
        assert!(all.contains("not word for word"), "{all}");
    }
}
