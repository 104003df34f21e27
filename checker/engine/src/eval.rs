//! Evaluating a case against one protocol's rules.

use crate::case::Case;
use crate::condition::{Compiled, Condition, Facts, NumField, Test, all_tests};
use crate::deadline;
use crate::load::Scenario;
use crate::model::{Event, Kind, Protocol, Rule, SharedStr, Timescale, Unit};
use chrono::{DateTime, Duration, FixedOffset};
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;

/// One thing the checker tells the reader, with where the protocol says it.
///
/// What it says of its rule (id, kind, words, who, timescale, paragraph, link, quote, note)
/// is an [`About`], shared by every item of the rule and read through the item: `item.text`
/// is `item.about().text`. Why it applies is [`Item::because`]. It is serialised as one flat
/// object, the fields in this order: `rule`, `kind`, `text`, `who`, `timescale`,
/// `timescale_words`, `due`, `due_words`, `starts_at_hours`, `starts_when`, `starts`,
/// `starts_words`, `paragraph`, `link`, `quote`, `because`, `note` (an item that is not
/// upcoming has no `starts...`). Small, as an evaluation makes many.
#[derive(Debug, Clone)]
pub struct Item {
    /// What the item says of its rule, the same for every item of it.
    about: AboutRef,
    /// The deadline, when the time of the event it runs from is known (RFC 3339, UK time).
    pub due: Option<String>,
    /// The deadline in words: "9am on Monday 27 October 2025".
    pub due_words: Option<String>,
    /// For upcoming items: when it starts to apply.
    pub starts: Option<Box<Starts>>,
    /// Why it applies, when that is not every part of the rule's condition (see
    /// [`Item::because`]).
    chosen: Option<Rc<[SharedStr]>>,
}

/// When an upcoming item starts to apply.
#[derive(Debug, Clone, PartialEq)]
pub struct Starts {
    /// The hours missing at which it does.
    pub at_hours: f64,
    /// "at" (that many hours or more) or "after" (more than that).
    pub when: &'static str,
    /// When that will be, if the time the child went missing is known (RFC 3339, UK time).
    pub time: Option<String>,
    /// The same in words: "3pm on Tuesday 28 October 2025".
    pub words: Option<String>,
}

impl Item {
    /// What the item says of its rule.
    pub fn about(&self) -> &About {
        &self.about
    }

    /// Why it applies: the conditions that matched, in plain words.
    pub fn because(&self) -> &[SharedStr] {
        self.chosen.as_deref().unwrap_or(&self.about.parts)
    }
}

impl PartialEq for Item {
    fn eq(&self, other: &Item) -> bool {
        *self.about == *other.about
            && self.due == other.due
            && self.due_words == other.due_words
            && self.starts == other.starts
            && self.because() == other.because()
    }
}

/// One of a protocol's [`About`]s: all of them are kept in one list, so every item of an
/// evaluation shares one count of its users (cheaper to raise and drop than one for each
/// rule, which lie far apart in memory).
#[derive(Clone)]
struct AboutRef {
    all: Rc<[About]>,
    /// Its place in `all`: always within it.
    i: u32,
}

impl std::ops::Deref for AboutRef {
    type Target = About;

    fn deref(&self) -> &About {
        &self.all[self.i as usize]
    }
}

impl std::fmt::Debug for AboutRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

/// What an [`Item`] says of its rule: worked out once per rule, shared by its items.
#[derive(Debug, PartialEq)]
pub struct About {
    pub rule: SharedStr,
    pub kind: Kind,
    pub timescale: Option<Timescale>,
    /// The action or statement in plain words, naming who does it.
    pub text: SharedStr,
    pub who: Option<SharedStr>,
    /// "within 72 hours of the child being found or returning".
    pub timescale_words: Option<SharedStr>,
    pub paragraph: SharedStr,
    /// Relative to the handbook's root, e.g. `protocols/wandsworth/08-definitions.html#wandsworth-8.1-p2`.
    pub link: SharedStr,
    pub quote: SharedStr,
    pub note: Option<SharedStr>,
    /// The words of each part of the rule's condition that [`Item::because`] may name, in
    /// order: all of them are why it applies, unless an `any` in it chooses.
    pub(crate) parts: Rc<[SharedStr]>,
}

impl std::ops::Deref for Item {
    type Target = About;

    fn deref(&self) -> &About {
        &self.about
    }
}

impl Serialize for Item {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let a = &*self.about;
        let mut item = s.serialize_struct("Item", 17)?;
        item.serialize_field("rule", &a.rule)?;
        item.serialize_field("kind", &a.kind)?;
        item.serialize_field("text", &a.text)?;
        item.serialize_field("who", &a.who)?;
        item.serialize_field("timescale", &a.timescale)?;
        item.serialize_field("timescale_words", &a.timescale_words)?;
        item.serialize_field("due", &self.due)?;
        item.serialize_field("due_words", &self.due_words)?;
        let starts = self.starts.as_deref();
        item.serialize_field("starts_at_hours", &starts.map(|s| s.at_hours))?;
        item.serialize_field("starts_when", &starts.map(|s| s.when))?;
        item.serialize_field("starts", &starts.and_then(|s| s.time.as_ref()))?;
        item.serialize_field("starts_words", &starts.and_then(|s| s.words.as_ref()))?;
        item.serialize_field("paragraph", &a.paragraph)?;
        item.serialize_field("link", &a.link)?;
        item.serialize_field("quote", &a.quote)?;
        item.serialize_field("because", self.because())?;
        item.serialize_field("note", &a.note)?;
        item.end()
    }
}

/// Two places where the protocol's text says different things about the same matter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contradiction {
    pub rules: [SharedStr; 2],
    pub paragraphs: [SharedStr; 2],
    pub links: [SharedStr; 2],
    pub quotes: [SharedStr; 2],
    pub note: Option<SharedStr>,
}

/// What one protocol says about one case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub protocol: SharedStr,
    pub protocol_title: SharedStr,
    pub version: Option<SharedStr>,
    /// Things the reader must know about the answer as a whole (e.g. the age scope).
    pub notices: Vec<String>,
    pub classification: Vec<Item>,
    pub actions: Vec<Item>,
    pub upcoming: Vec<Item>,
    /// While the child is still missing: the duties that will apply once the child is found
    /// or comes back (safe and well check, return interview, review meetings).
    pub on_return: Vec<Item>,
    pub considerations: Vec<Item>,
    pub contradictions: Vec<Contradiction>,
}

impl Evaluation {
    /// Every rule id that applies now (classification, actions, considerations).
    pub fn applying(&self) -> impl Iterator<Item = &Item> {
        self.classification
            .iter()
            .chain(&self.actions)
            .chain(&self.considerations)
    }
}

/// The protocols' scope: under-18s, unless a rule says otherwise with an age condition.
pub const ADULT_AGE: u32 = 18;

fn in_scope(rule: &Rule, case: &Case) -> bool {
    match case.age {
        Some(age) if age >= ADULT_AGE => reaches(rule, age),
        _ => true,
    }
}

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

/// What evaluation works out from a protocol's rules once rather than for every case: each
/// rule's link, timescale in words and the words of its conditions, whether it reads the hours
/// missing, the hours at which answers may change, and the contradictions. Built on the first
/// evaluation of a protocol and kept in its [`EvalCache`].
#[derive(Debug)]
pub(crate) struct Prepared {
    /// The rules' address and count and the links' count when it was built: if they differ,
    /// it is built again.
    shape: (usize, usize, usize),
    /// In debug builds, the rules it was built from, to catch a rule changed in place after
    /// the protocol was evaluated.
    #[cfg(debug_assertions)]
    from: Vec<Rule>,
    /// The hours-missing values at which some rule of the protocol may change its answer: at
    /// each threshold itself (false), and one minute after it (true).
    points: Vec<(f64, bool)>,
    /// One for each rule, in order.
    rules: Vec<PreparedRule>,
    /// What the items of each rule say of it, in order.
    abouts: Rc<[About]>,
    /// The protocol's id, title and version, for its evaluations.
    names: (SharedStr, SharedStr, Option<SharedStr>),
    /// What the loops over every rule read of each, in order: small and side by side, as
    /// these loops run for every rule of every case (a rule and what is prepared of it are
    /// large, and far apart in memory).
    hot: Vec<Hot>,
    /// The comparisons of every rule whose condition is only comparisons that must all hold
    /// (most), one rule's after another's: see [`Hot::tests`].
    tests: Vec<Test>,
    /// Room for the working lists of an evaluation, kept for the next.
    scratch: RefCell<Scratch>,
}

/// The working lists of an evaluation (see [`evaluate`]), emptied at its start.
#[derive(Debug, Default)]
struct Scratch {
    /// For each rule: does it apply now?
    applies: Vec<bool>,
    /// The rules that do not apply now but read the hours missing.
    later_maybe: Vec<usize>,
    /// The rules that apply, by kind.
    by_kind: Vec<usize>,
    duties: Vec<Duty>,
    /// Upcoming: (hours shown, rule, after the threshold?, the later case).
    found: Vec<(f64, usize, bool, Case)>,
    /// The duties that will apply once the child is back, with how soon each is due.
    back: Vec<(f64, usize)>,
}

/// A duty that applies, with what actions are sorted by.
#[derive(Debug)]
struct Duty {
    due: Option<Due>,
    rough: f64,
    i: usize,
}

impl Duty {
    fn due_text(&self) -> &str {
        self.due
            .as_ref()
            .map(|d| d.text.as_str())
            .unwrap_or_default()
    }
}

#[derive(Debug)]
struct PreparedRule {
    /// The condition made ready to evaluate often.
    compiled: Compiled,
    /// For a rule that reads the hours missing: the places in [`Prepared::points`] where some
    /// comparison of the hours in its condition gives another answer than at the place before.
    /// Between two of them, only the other fields can change the rule's answer for a case.
    hour_changes: Vec<usize>,
    /// When [`Hot::because_fixed`] is false: the lists of reasons given so far, by which of
    /// them they name (a bit for each), to be shared by later items that name the same.
    because_given: RefCell<Vec<(u64, Rc<[SharedStr]>)>>,
    /// When the rule applies: the contradiction it is part of.
    contradiction: Option<Pair>,
}

/// What the loops over every rule of a protocol read of one (see [`Prepared::hot`]).
#[derive(Debug, Clone, Copy)]
struct Hot {
    kind: Kind,
    /// True when its condition reads the hours missing (directly or as days).
    reads_hours: bool,
    /// True when its condition reads whether the child is back or where they are: the only
    /// fields in which the case of the child found now differs from the case itself.
    reads_return: bool,
    /// True when the reasons it applies are all the parts of its condition whenever it does
    /// ([`About::parts`]: no `any` chooses some).
    because_fixed: bool,
    /// Its timescale.
    timescale: Option<Timescale>,
    /// True when it is part of a contradiction ([`PreparedRule::contradiction`]).
    contradicts: bool,
    /// Its comparisons' places in [`Prepared::tests`] (from, to), when its condition is only
    /// comparisons that must all hold; else [`FLAT_NONE`], and its [`PreparedRule::compiled`]
    /// condition is evaluated.
    tests: (u32, u32),
}

/// [`Hot::tests`] of a condition that is not only comparisons.
const FLAT_NONE: (u32, u32) = (u32::MAX, u32::MAX);

/// Two rules that contradict each other.
#[derive(Debug)]
struct Pair {
    /// The rule that says it contradicts the other, and that other.
    ids: [SharedStr; 2],
    /// Those two rules' places in the protocol's list, when both exist.
    places: Option<(usize, usize)>,
}

fn shape(protocol: &Protocol) -> (usize, usize, usize) {
    (
        protocol.rules.as_ptr() as usize,
        protocol.rules.len(),
        protocol.links.len(),
    )
}

impl Prepared {
    /// True when it was made from this protocol as it is (its rules and links counted, its
    /// names compared; see [`EvalCache`]).
    fn fits(&self, protocol: &Protocol) -> bool {
        let (id, title, version) = &self.names;
        self.shape == shape(protocol)
            && **id == *protocol.id
            && **title == *protocol.title
            && version.as_deref() == protocol.version.as_deref()
    }

    fn new(protocol: &Protocol) -> Prepared {
        let rules = &protocol.rules;
        let position = |id: &str| rules.iter().position(|r| &*r.id == id);
        let points = thresholds(protocol);
        let mut tests = Vec::new();
        let (prepared, hot): (Vec<PreparedRule>, Vec<Hot>) = rules
            .iter()
            .map(|rule| {
                // (the rule that says it contradicts another, that other); else the first rule
                // that says it contradicts this one.
                let pair = match &rule.contradicts {
                    Some(other) => Some((rule.id.clone(), other.clone())),
                    None => rules
                        .iter()
                        .find(|r| r.contradicts.as_deref() == Some(&*rule.id))
                        .map(|r| (r.id.clone(), rule.id.clone())),
                };
                let reads_hours = reads_hours(rule);
                let mut reads_return = false;
                rule.when.visit_fields(&mut |name| {
                    reads_return |= matches!(name, "returned" | "whereabouts_known")
                });
                let compiled = rule.when.compile();
                let flat = match compiled.flat() {
                    Some(flat) => {
                        let from = tests.len();
                        tests.extend_from_slice(flat);
                        match (u32::try_from(from), u32::try_from(tests.len())) {
                            (Ok(from), Ok(to)) if to != u32::MAX => (from, to),
                            _ => FLAT_NONE,
                        }
                    }
                    None => FLAT_NONE,
                };
                let hot = Hot {
                    kind: rule.kind,
                    reads_hours,
                    reads_return,
                    because_fixed: rule.when.names_every_part(),
                    timescale: rule.timescale,
                    contradicts: pair.is_some(),
                    tests: flat,
                };
                let prepared = PreparedRule {
                    compiled,
                    hour_changes: if reads_hours {
                        hour_changes(&rule.when, &points)
                    } else {
                        Vec::new()
                    },
                    because_given: RefCell::default(),
                    contradiction: pair.map(|(a, b)| Pair {
                        places: position(&a).zip(position(&b)),
                        ids: [a, b],
                    }),
                };
                (prepared, hot)
            })
            .unzip();
        // In one list: see [`AboutRef`].
        let abouts = rules
            .iter()
            .map(|rule| {
                let mut because = Vec::new();
                rule.when.because_parts(&mut because);
                About {
                    rule: rule.id.clone(),
                    kind: rule.kind,
                    timescale: rule.timescale,
                    text: rule.text.clone(),
                    who: rule.who.clone(),
                    timescale_words: rule.timescale.as_ref().map(|t| t.words().into()),
                    paragraph: rule.paragraph.clone(),
                    link: protocol.link(&rule.paragraph).into(),
                    quote: rule.quote.clone(),
                    note: rule.note.clone(),
                    parts: because.into(),
                }
            })
            .collect();
        Prepared {
            shape: shape(protocol),
            abouts,
            names: (
                protocol.id.as_str().into(),
                protocol.title.as_str().into(),
                protocol.version.as_deref().map(SharedStr::from),
            ),
            #[cfg(debug_assertions)]
            from: protocol.rules.clone(),
            points,
            rules: prepared,
            hot,
            tests,
            scratch: RefCell::default(),
        }
    }
}

/// A protocol's [`Prepared`] rules, worked out on its first evaluation. Not serialised, empty
/// again in a clone, and equal to any other (it is derived from the protocol's other fields).
/// A protocol is data to read once loaded: change a clone of it, not one already evaluated.
/// (Adding or removing rules or links, or a new id, title or version, is noticed, and the
/// rules prepared again; a rule changed in place is not, except in debug builds, which check
/// the rules at every evaluation.)
#[derive(Default)]
pub struct EvalCache(RefCell<Option<Rc<Prepared>>>);

impl Clone for EvalCache {
    fn clone(&self) -> Self {
        EvalCache::default()
    }
}

impl PartialEq for EvalCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for EvalCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EvalCache")
    }
}

/// The protocol's prepared rules: from its cache, or worked out (and kept) now.
fn prepared(protocol: &Protocol) -> Rc<Prepared> {
    let Ok(mut slot) = protocol.cache.0.try_borrow_mut() else {
        return Rc::new(Prepared::new(protocol));
    };
    if let Some(p) = slot.as_ref().filter(|p| p.fits(protocol)) {
        #[cfg(debug_assertions)]
        assert!(
            p.from == protocol.rules,
            "protocol `{}` was changed after it was evaluated: change a clone instead",
            protocol.id
        );
        return Rc::clone(p);
    }
    let p = Rc::new(Prepared::new(protocol));
    *slot = Some(Rc::clone(&p));
    p
}

/// True when [`Condition::eval`] of the condition of rule `i` (`rule`) is true for `case`, whose
/// [`Facts`] are `facts`.
#[inline(always)]
fn holds(pre: &Prepared, (i, rule): (usize, &Rule), case: &Case, facts: &Facts) -> bool {
    let answer = match pre.hot[i].tests {
        FLAT_NONE => pre.rules[i].compiled.eval(facts),
        (from, to) => all_tests(&pre.tests[from as usize..to as usize], facts),
    };
    debug_assert_eq!(answer, rule.when.eval(case), "rule `{}`", rule.id);
    answer == Some(true)
}

/// A deadline as RFC 3339 text (what items show, and actions are sorted by) and in words.
#[derive(Debug)]
struct Due {
    text: String,
    words: String,
}

/// The deadline of a rule (of its timescale) for a case, when the time of the event it runs
/// from is known.
fn due(protocol: &Protocol, timescale: Option<&Timescale>, case: &Case) -> Option<Due> {
    let t = timescale?;
    let start = event_time(case, t.from)?;
    let (text, words) = deadline::texts_uk(deadline::add(start, t, &protocol.holidays)?);
    Some(Due { text, words })
}

/// The item for a rule, with its deadline, and why it applies read from `because` (the case
/// itself, or the later case that makes it apply).
#[inline(always)]
fn item(
    pre: &Prepared,
    (i, rule): (usize, &Rule),
    due: Option<Due>,
    because: (&Case, &Facts),
) -> Item {
    let (due, due_words) = match due {
        Some(Due { text, words }) => (Some(text), Some(words)),
        None => (None, None),
    };
    Item {
        about: AboutRef {
            all: Rc::clone(&pre.abouts),
            i: i as u32,
        },
        due,
        due_words,
        starts: None,
        chosen: reasons(pre, (i, rule), because),
    }
}

/// The places in `points` where some comparison of the hours missing (or days) in `when` gives
/// another answer than at the place before: each comparison is evaluated as evaluation does,
/// for a case with only those hours missing.
fn hour_changes(when: &Condition, points: &[(f64, bool)]) -> Vec<usize> {
    let mut comparisons = Vec::new();
    when.visit_numbers(&mut |field, range| {
        if matches!(field, NumField::HoursMissing | NumField::DaysMissing) {
            comparisons.push(Condition::Number(field, *range));
        }
    });
    let answers = |t: f64| {
        let case = Case {
            hours_missing: Some(t),
            ..Case::default()
        };
        comparisons
            .iter()
            .map(|c| c.eval(&case))
            .collect::<Vec<_>>()
    };
    let mut changes = Vec::new();
    let mut before = None;
    for (k, &(t, _)) in points.iter().enumerate() {
        let now = answers(t);
        if before.as_ref().is_some_and(|b| *b != now) {
            changes.push(k);
        }
        before = Some(now);
    }
    changes
}

/// Why rule `i` applies to `case`, when that is not all the parts of its condition (then
/// `None`): its reasons shared with earlier items that give the same.
#[inline]
fn reasons(
    pre: &Prepared,
    (i, rule): (usize, &Rule),
    because: (&Case, &Facts),
) -> Option<Rc<[SharedStr]>> {
    if pre.hot[i].because_fixed {
        // All of them (`names_every_part`).
        debug_assert_eq!(
            *pre.abouts[i].parts,
            *rule.when.because_shared(because.0, &pre.abouts[i].parts),
            "rule `{}`",
            rule.id
        );
        return None;
    }
    let reasons = chosen_reasons((rule, &pre.rules[i], &pre.abouts[i].parts), because);
    debug_assert_eq!(
        *reasons,
        *rule.when.because_shared(because.0, &pre.abouts[i].parts),
        "rule `{}`",
        rule.id
    );
    Some(reasons)
}

/// [`reasons`] for a rule with an `any`, which names some of its parts and not others.
#[inline(never)]
fn chosen_reasons(
    (rule, pre, parts): (&Rule, &PreparedRule, &[SharedStr]),
    (case, facts): (&Case, &Facts),
) -> Rc<[SharedStr]> {
    /// Enough for the few ways a rule's `any` can be met.
    const KEEP: usize = 64;
    if parts.len() > 64 {
        return rule.when.because_shared(case, parts).into();
    }
    let mut bits = 0u64;
    pre.compiled
        .because_places(facts, &mut |place| bits |= 1 << place);
    match pre.because_given.try_borrow_mut() {
        Ok(mut given) => match given.iter().find(|(b, _)| *b == bits) {
            Some((_, reasons)) => Rc::clone(reasons),
            None => {
                let reasons = named(parts, bits);
                if given.len() < KEEP {
                    given.push((bits, Rc::clone(&reasons)));
                }
                reasons
            }
        },
        Err(_) => named(parts, bits),
    }
}

/// The parts whose bits are set.
fn named(parts: &[SharedStr], bits: u64) -> Rc<[SharedStr]> {
    parts
        .iter()
        .enumerate()
        .filter(|(place, _)| bits & 1 << place != 0)
        .map(|(_, part)| Rc::clone(part))
        .collect()
}

/// True when a rule's condition reads the hours missing (directly or as days).
fn reads_hours(rule: &Rule) -> bool {
    let mut reads = false;
    rule.when.visit_numbers(&mut |field, _| {
        reads |= matches!(field, NumField::HoursMissing | NumField::DaysMissing)
    });
    reads
}

/// The hours-missing values at which some rule of the protocol may change its answer: at each
/// threshold itself (false), and one minute after it (true).
fn thresholds(protocol: &Protocol) -> Vec<(f64, bool)> {
    protocol
        .hour_thresholds()
        .into_iter()
        .flat_map(|t| [(t, false), (t + 1.0 / 60.0, true)])
        .collect()
}

/// Evaluates a case. The case must already be valid (see [`Case::from_json`]).
pub fn evaluate(protocol: &Protocol, case: &Case) -> Evaluation {
    let pre = prepared(protocol);
    let mut fresh = Scratch::default();
    let mut kept = pre.scratch.try_borrow_mut();
    let scratch = match kept.as_deref_mut() {
        Ok(kept) => kept,
        Err(_) => &mut fresh,
    };
    let Scratch {
        applies,
        later_maybe,
        by_kind,
        duties,
        found,
        back: back_duties,
    } = scratch;
    let mut eval = Evaluation {
        protocol: Rc::clone(&pre.names.0),
        protocol_title: Rc::clone(&pre.names.1),
        version: pre.names.2.clone(),
        notices: Vec::new(),
        classification: Vec::new(),
        actions: Vec::new(),
        upcoming: Vec::new(),
        on_return: Vec::new(),
        considerations: Vec::new(),
        contradictions: Vec::new(),
    };
    if let Some(age) = case.age.filter(|a| *a >= ADULT_AGE) {
        // Where the protocol says it reaches further: rules whose age condition admits this age.
        let mut beyond: Vec<String> = Vec::new();
        for rule in protocol.rules.iter().filter(|r| reaches(r, age)) {
            let words = format!("{} (paragraph {})", rule.when.words(), rule.paragraph);
            if !beyond.contains(&words) {
                beyond.push(words);
            }
        }
        eval.notices.push(if beyond.is_empty() {
            format!(
                "This protocol applies to children under {ADULT_AGE}. It says nothing that reaches a young person of {age}."
            )
        } else {
            format!(
                "This protocol applies to children under {ADULT_AGE}. For a young person of {age} it reaches further only here: {}. Only what applies there is shown.",
                beyond.join("; ")
            )
        });
    }
    let hours_now = case.hours();
    let still_missing = case.is_returned() != Some(true);
    // The case as conditions read it, with its hours missing worked out once from its times
    // rather than by every comparison of them (it reads the same to every condition).
    let facts = Case {
        hours_missing: hours_now,
        missing_since: None,
        ..case.clone()
    };
    let facts_now = Facts::of(&facts);
    // Which rules apply now; and those that do not but read the hours missing, which may
    // apply later while the child is still missing (only the hours differ in the later cases
    // below: a rule that does not read them gives the same answer later as now).
    applies.clear();
    applies.resize(protocol.rules.len(), false);
    later_maybe.clear();
    let mut counts = [0usize; 3];
    let adult = case.age.is_some_and(|a| a >= ADULT_AGE);
    for (i, (rule, hot)) in protocol.rules.iter().zip(&pre.hot).enumerate() {
        if adult && !in_scope(rule, case) {
            continue;
        }
        if holds(&pre, (i, rule), &facts, &facts_now) {
            applies[i] = true;
            counts[hot.kind as usize] += 1;
        } else if still_missing
            && hot.reads_hours
            && pre.rules[i].compiled.may_hold_with_other_hours(&facts_now)
        {
            later_maybe.push(i);
        }
    }
    // The rules that apply, by kind (in the protocol's order within each): their items are
    // made by `extend` from a slice, which puts each straight into its list (`push`, or
    // `extend` from a filter, would make it and then copy it there; an item is 288 bytes).
    by_kind.clear();
    by_kind.resize(counts.iter().sum(), 0);
    let mut next = [0, counts[0], counts[0] + counts[1]];
    for (i, hot) in pre.hot.iter().enumerate().filter(|(i, _)| applies[*i]) {
        by_kind[next[hot.kind as usize]] = i;
        next[hot.kind as usize] += 1;
    }
    let (classification, rest) = by_kind.split_at(counts[Kind::Classification as usize]);
    let (duty_rules, considerations) = rest.split_at(counts[Kind::Duty as usize]);
    let items = |rules: &[usize]| -> Vec<Item> {
        rules
            .iter()
            .map(|&i| {
                let due = due(protocol, pre.hot[i].timescale.as_ref(), case);
                item(&pre, (i, &protocol.rules[i]), due, (&facts, &facts_now))
            })
            .collect()
    };
    eval.classification = items(classification);
    eval.considerations = items(considerations);
    // Actions most urgent first: those without a timescale (in the protocol's order), then
    // those with one by deadline (as text; those without one last), then by rough length.
    // Sorted before their items are made (a stable sort: rules in order among equals).
    duties.clear();
    let mut untimed = 0;
    for timed in [false, true] {
        duties.extend(
            duty_rules
                .iter()
                .filter(|&&i| pre.hot[i].timescale.is_some() == timed)
                .map(|&i| {
                    let timescale = pre.hot[i].timescale.as_ref();
                    Duty {
                        due: due(protocol, timescale, case),
                        rough: timescale.map(rough_hours).unwrap_or(0.0),
                        i,
                    }
                }),
        );
        if !timed {
            untimed = duties.len();
        }
    }
    duties[untimed..].sort_by(|a, b| {
        let (da, db) = (a.due_text(), b.due_text());
        match (da.is_empty(), db.is_empty()) {
            (false, false) => da.cmp(db),
            (false, true) => std::cmp::Ordering::Less,
            (true, false) => std::cmp::Ordering::Greater,
            (true, true) => std::cmp::Ordering::Equal,
        }
        .then_with(|| a.rough.total_cmp(&b.rough))
    });
    eval.actions = duties
        .drain(..)
        .map(|Duty { i, due, .. }| item(&pre, (i, &protocol.rules[i]), due, (&facts, &facts_now)))
        .collect();
    // Upcoming: for each rule that may apply later, the first of the protocol's thresholds
    // (after the hours missing now) at which it does. Its answer changes only where a
    // comparison of the hours in it does (`hour_changes`): it is tried once in each stretch
    // between those places, at the stretch's first threshold after the hours missing now.
    found.clear();
    let points = &pre.points;
    let open = |k: &usize| !hours_now.is_some_and(|h| points[*k].0 <= h);
    for &i in later_maybe.iter() {
        let rule = &protocol.rules[i];
        let ends = pre.rules[i].hour_changes.iter().copied();
        let mut start = 0;
        for end in ends.chain(std::iter::once(points.len())) {
            if let Some(k) = (start..end).find(open) {
                let (t, after) = points[k];
                let later = Case {
                    hours_missing: Some(t),
                    returned_at: None,
                    ..facts.clone()
                };
                if holds(&pre, (i, rule), &later, &facts_now.later(&later)) {
                    let shown = if after { t - 1.0 / 60.0 } else { t };
                    found.push((shown, i, after, later));
                    break;
                }
            }
            start = end;
        }
    }
    // Soonest first; rules starting at the same hour in the protocol's order.
    found.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    eval.upcoming = found
        .iter()
        .map(|(shown, i, after, later)| {
            let rule = &protocol.rules[*i];
            let starts = case
                .missing_start()
                .and_then(|s| {
                    s.checked_add_signed(Duration::seconds((shown * 3600.0).round() as i64))
                })
                .map(deadline::to_london);
            let (time, words) = starts.map(deadline::texts_uk).unzip();
            Item {
                starts: Some(Box::new(Starts {
                    at_hours: *shown,
                    when: if *after { "after" } else { "at" },
                    time,
                    words,
                })),
                ..item(
                    &pre,
                    (*i, rule),
                    due(protocol, pre.hot[*i].timescale.as_ref(), case),
                    (later, &facts_now.later(later)),
                )
            }
        })
        .collect();
    if still_missing {
        // What will apply once the child is back: the same case, found now. (The scope reads
        // only the age, which is the same: the rules out of scope now are out of scope then.)
        let back = Case {
            returned: Some(true),
            whereabouts_known: None,
            ..facts.clone()
        };
        let facts_back = Facts::of(&back);
        // The soonest first (a stable sort: rules in order among equals), sorted before their
        // items are made.
        back_duties.clear();
        for (i, ((rule, hot), now)) in protocol
            .rules
            .iter()
            .zip(&pre.hot)
            .zip(applies.iter())
            .enumerate()
        {
            // A rule that reads neither gives the same answer for the child found as now: not
            // true (a duty that applies now is not listed).
            if hot.kind == Kind::Duty
                && !*now
                && hot.reads_return
                && (!adult || in_scope(rule, &back))
                && holds(&pre, (i, rule), &back, &facts_back)
            {
                let soon = hot.timescale.as_ref().map(rough_hours).unwrap_or(0.0);
                back_duties.push((soon, i));
            }
        }
        back_duties.sort_by(|a, b| a.0.total_cmp(&b.0));
        // No deadline yet: the time of return is not known.
        eval.on_return = back_duties
            .iter()
            .map(|&(_, i)| item(&pre, (i, &protocol.rules[i]), None, (&back, &facts_back)))
            .collect();
    }
    for (p, _) in pre
        .rules
        .iter()
        .zip(&pre.hot)
        .zip(applies.iter())
        .filter(|((_, hot), a)| **a && hot.contradicts)
        .map(|(p, _)| p)
    {
        let Some(Pair {
            ids: [a, b],
            places,
        }) = &p.contradiction
        else {
            continue;
        };
        if eval
            .contradictions
            .iter()
            .any(|c| c.rules.contains(a) && c.rules.contains(b))
        {
            continue;
        }
        let Some((ia, ib)) = *places else {
            continue;
        };
        let (ra, rb) = (&protocol.rules[ia], &protocol.rules[ib]);
        eval.contradictions.push(Contradiction {
            rules: [ra.id.clone(), rb.id.clone()],
            paragraphs: [ra.paragraph.clone(), rb.paragraph.clone()],
            links: [pre.abouts[ia].link.clone(), pre.abouts[ib].link.clone()],
            quotes: [ra.quote.clone(), rb.quote.clone()],
            note: ra.note.clone().or_else(|| rb.note.clone()),
        });
    }
    eval
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

    fn protocol() -> Protocol {
        let mut paragraphs = load::Paragraphs::new();
        paragraphs.insert(
            "1".into(),
            "A child missing for more than 24 hours must be discussed at a strategy meeting within 2 working days.".into(),
        );
        let rules = r#"
[[rule]]
id = "strategy"
kind = "duty"
text = "Hold a strategy meeting."
who = "Children's social care"
paragraph = "1"
quote = "A child missing for more than 24 hours must be discussed at a strategy meeting within 2 working days"
when = { hours_missing = { more_than = 24 } }
timescale = { amount = 2, unit = "working_days", from = "missing" }
"#;
        let set = load::rules("rules.toml", rules, &paragraphs).expect("valid");
        Protocol {
            id: "p".into(),
            title: "P".into(),
            short_title: "P".into(),
            authority: "A".into(),
            version: None,
            rules: set.rules,
            links: [("1".to_string(), "p/1.html#p-1".to_string())].into(),
            holidays: Default::default(),
            cache: Default::default(),
        }
    }

    fn case(json: &str) -> Case {
        Case::from_json_str(json).expect("case")
    }

    #[test]
    fn what_is_worked_out_once_gives_the_same_answers_and_follows_a_clone() {
        let p = protocol();
        let early = case(r#"{"hours_missing": 3}"#);
        let first = evaluate(&p, &early);
        assert_eq!(first.upcoming.len(), 1);
        let starts = first.upcoming[0].starts.as_deref().expect("upcoming");
        assert_eq!((starts.at_hours, starts.when), (24.0, "after"));
        assert_eq!(&*first.upcoming[0].link, "p/1.html#p-1");
        assert_eq!(
            *first.upcoming[0].because(),
            [SharedStr::from("missing more than 24 hours")]
        );
        // Again, from what was kept.
        assert_eq!(evaluate(&p, &early), first);
        // A changed clone is worked out afresh.
        let mut changed = p.clone();
        changed.rules[0].timescale = None;
        changed.links.insert("1".into(), "elsewhere".into());
        let e = evaluate(&changed, &case(r#"{"hours_missing": 30}"#));
        assert_eq!(e.actions[0].timescale_words, None);
        assert_eq!(&*e.actions[0].link, "elsewhere");
        assert_eq!(evaluate(&p, &early), first);
        // So is a protocol given a new name or version after it was evaluated.
        let mut renamed = p.clone();
        evaluate(&renamed, &early);
        renamed.title = "Renamed".into();
        renamed.version = Some("2".into());
        let e = evaluate(&renamed, &early);
        assert_eq!(
            (&*e.protocol_title, e.version.as_deref()),
            ("Renamed", Some("2"))
        );
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "was changed after it was evaluated")]
    fn changing_a_protocol_after_evaluating_it_is_caught_in_debug_builds() {
        let mut p = protocol();
        let early = case(r#"{"hours_missing": 3}"#);
        evaluate(&p, &early);
        p.rules[0].timescale = None;
        evaluate(&p, &early);
    }
}
