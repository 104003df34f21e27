//! The condition language of rule files: plain comparisons on the case's fields, combined
//! with all / any / not. Evaluation is three-valued: a field the reader did not give is
//! unknown, and a rule applies only when its condition is known to be true.

use crate::case::{Case, PoliceRisk};
use crate::model::SharedStr;
use serde::{Deserialize, Serialize};

/// A number field a condition can compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NumField {
    Age,
    HoursMissing,
    DaysMissing,
    DaysSinceLookedAfter,
    Episodes28Days,
    Episodes90Days,
    Episodes12Months,
}

impl NumField {
    pub const ALL: [(&'static str, NumField); 7] = [
        ("age", NumField::Age),
        ("hours_missing", NumField::HoursMissing),
        ("days_missing", NumField::DaysMissing),
        ("days_since_looked_after", NumField::DaysSinceLookedAfter),
        ("episodes_28_days", NumField::Episodes28Days),
        ("episodes_90_days", NumField::Episodes90Days),
        ("episodes_12_months", NumField::Episodes12Months),
    ];

    pub fn value(self, case: &Case) -> Option<f64> {
        match self {
            NumField::Age => case.age.map(f64::from),
            NumField::HoursMissing => case.hours(),
            NumField::DaysMissing => case.hours().map(|h| h / 24.0),
            NumField::DaysSinceLookedAfter => case.days_since_looked_after.map(f64::from),
            NumField::Episodes28Days => case.episodes_28_days.map(f64::from),
            NumField::Episodes90Days => case.episodes_90_days.map(f64::from),
            NumField::Episodes12Months => case.episodes_12_months.map(f64::from),
        }
    }

    /// The words that name the window of an episode count, any of which a quote may use.
    pub fn window_words(self) -> &'static [&'static str] {
        match self {
            NumField::Episodes28Days => &["28", "twenty-eight", "4 weeks", "four weeks", "month"],
            NumField::Episodes90Days => &["90", "ninety", "3 months", "three months"],
            NumField::Episodes12Months => &["12 months", "twelve months", "year"],
            _ => &[],
        }
    }
}

/// A yes/no field a condition can test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoolField {
    LookedAfter,
    CareLeaver,
    ChildProtectionPlan,
    ChildInNeed,
    Uasc,
    PlacedByOtherAuthority,
    WhereaboutsKnown,
    Returned,
    ExploitationConcern,
    SenOrDisability,
}

impl BoolField {
    pub const ALL: [(&'static str, BoolField); 10] = [
        ("looked_after", BoolField::LookedAfter),
        ("care_leaver", BoolField::CareLeaver),
        ("child_protection_plan", BoolField::ChildProtectionPlan),
        ("child_in_need", BoolField::ChildInNeed),
        ("uasc", BoolField::Uasc),
        (
            "placed_by_other_authority",
            BoolField::PlacedByOtherAuthority,
        ),
        ("whereabouts_known", BoolField::WhereaboutsKnown),
        ("returned", BoolField::Returned),
        ("exploitation_concern", BoolField::ExploitationConcern),
        ("sen_or_disability", BoolField::SenOrDisability),
    ];

    pub fn value(self, case: &Case) -> Option<bool> {
        match self {
            BoolField::LookedAfter => case.looked_after,
            BoolField::CareLeaver => case.care_leaver,
            BoolField::ChildProtectionPlan => case.child_protection_plan,
            BoolField::ChildInNeed => case.child_in_need,
            BoolField::Uasc => case.uasc,
            BoolField::PlacedByOtherAuthority => case.placed_by_other_authority,
            BoolField::WhereaboutsKnown => case.whereabouts_known,
            BoolField::Returned => case.is_returned(),
            BoolField::ExploitationConcern => case.exploitation_concern,
            BoolField::SenOrDisability => case.sen_or_disability,
        }
    }

    /// (when true, when false)
    fn words(self) -> (&'static str, &'static str) {
        match self {
            BoolField::LookedAfter => ("looked after", "not looked after"),
            BoolField::CareLeaver => ("a care leaver", "not a care leaver"),
            BoolField::ChildProtectionPlan => (
                "subject to a child protection plan",
                "not subject to a child protection plan",
            ),
            BoolField::ChildInNeed => ("a child in need", "not a child in need"),
            BoolField::Uasc => (
                "an unaccompanied asylum-seeking child",
                "not an unaccompanied asylum-seeking child",
            ),
            BoolField::PlacedByOtherAuthority => (
                "placed here by another authority",
                "not placed by another authority",
            ),
            BoolField::WhereaboutsKnown => ("whereabouts known", "whereabouts unknown"),
            BoolField::Returned => ("found or returned", "still missing"),
            BoolField::ExploitationConcern => (
                "concerns about exploitation",
                "no concerns about exploitation",
            ),
            BoolField::SenOrDisability => (
                "special educational needs or a disability",
                "no special educational needs or disability",
            ),
        }
    }
}

/// How a number is compared. Bounds that are `None` are not checked.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Default)]
pub struct Range {
    pub at_least: Option<f64>,
    pub more_than: Option<f64>,
    pub at_most: Option<f64>,
    pub less_than: Option<f64>,
}

/// For people (JSON, TOML) only the bounds that are set are written; for the checker's
/// bundled binary data every bound is written, since a binary format reads fields by position.
impl Serialize for Range {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let human = serializer.is_human_readable();
        let fields = [
            ("at_least", self.at_least),
            ("more_than", self.more_than),
            ("at_most", self.at_most),
            ("less_than", self.less_than),
        ];
        let mut out = serializer.serialize_struct("Range", fields.len())?;
        for (name, bound) in fields {
            if human && bound.is_none() {
                out.skip_field(name)?;
            } else {
                out.serialize_field(name, &bound)?;
            }
        }
        out.end()
    }
}

impl Range {
    pub fn contains(&self, x: f64) -> bool {
        self.at_least.is_none_or(|b| x >= b)
            && self.more_than.is_none_or(|b| x > b)
            && self.at_most.is_none_or(|b| x <= b)
            && self.less_than.is_none_or(|b| x < b)
    }

    pub fn bounds(&self) -> impl Iterator<Item = f64> {
        [self.at_least, self.more_than, self.at_most, self.less_than]
            .into_iter()
            .flatten()
    }

    /// "24 hours or more", "more than 2 and less than 5": `unit` after each number.
    fn write_words(&self, unit: &str, out: &mut String) {
        if let (Some(a), Some(b)) = (self.at_least, self.at_most) {
            if a == b {
                out.push_str("exactly ");
                write_num(out, a);
            } else {
                write_num(out, a);
                out.push_str(" to ");
                write_num(out, b);
            }
            out.push_str(unit);
            return;
        }
        let mut first = true;
        let mut part = |out: &mut String, before: &str, b: Option<f64>, after: &str| {
            if let Some(b) = b {
                if !first {
                    out.push_str(" and ");
                }
                first = false;
                out.push_str(before);
                write_num(out, b);
                out.push_str(unit);
                out.push_str(after);
            }
        };
        part(out, "", self.at_least, " or more");
        part(out, "more than ", self.more_than, "");
        part(out, "", self.at_most, " or less");
        part(out, "less than ", self.less_than, "");
    }
}

/// A number for people: "24", "0.5".
pub fn fmt_num(x: f64) -> String {
    let mut out = String::new();
    write_num(&mut out, x);
    out
}

/// [`fmt_num`], written at the end of `out`.
fn write_num(out: &mut String, x: f64) {
    use std::fmt::Write;
    // Writing to a String cannot fail.
    let _ = if x.fract() == 0.0 && x.abs() < 1e15 {
        write!(out, "{}", x as i64)
    } else {
        write!(out, "{x}")
    };
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// True when every part is true (and when there are no parts).
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    Number(NumField, Range),
    Bool(BoolField, bool),
    Risk(Vec<PoliceRisk>),
}

impl Condition {
    /// The condition of a rule that always applies.
    pub fn always() -> Condition {
        Condition::All(Vec::new())
    }

    /// Some(true), Some(false), or None when it depends on something not known.
    pub fn eval(&self, case: &Case) -> Option<bool> {
        match self {
            Condition::All(parts) => all3(parts.iter().map(|p| p.eval_part(case))),
            Condition::Any(parts) => any3(parts.iter().map(|p| p.eval_part(case))),
            Condition::Not(c) => c.eval_part(case).map(|b| !b),
            _ => self.eval_part(case),
        }
    }

    /// [`Condition::eval`] for a part of a condition: a comparison is worked out in place, not
    /// by calling `eval` again (most parts are comparisons, and rules are evaluated often).
    #[inline(always)]
    fn eval_part(&self, case: &Case) -> Option<bool> {
        match self {
            Condition::All(_) | Condition::Any(_) | Condition::Not(_) => self.eval(case),
            Condition::Number(field, range) => field.value(case).map(|x| range.contains(x)),
            Condition::Bool(field, want) => field.value(case).map(|b| b == *want),
            Condition::Risk(levels) => case.police_risk.map(|r| levels.contains(&r)),
        }
    }

    /// The plain-words reasons a true condition is true: the parts that matched.
    pub fn because(&self, case: &Case) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_because(case, &mut out);
        out
    }

    fn collect_because(&self, case: &Case, out: &mut Vec<String>) {
        match self {
            Condition::All(parts) | Condition::Any(parts) => {
                for p in parts {
                    if p.eval(case) == Some(true) {
                        p.collect_because(case, out);
                    }
                }
            }
            _ => out.push(self.words()),
        }
    }

    /// The words of every part [`Condition::because`] may name, in the order it names them:
    /// worked out once per rule, then shared by [`Condition::because_shared`].
    pub fn because_parts(&self, out: &mut Vec<SharedStr>) {
        match self {
            Condition::All(parts) | Condition::Any(parts) => {
                parts.iter().for_each(|p| p.because_parts(out))
            }
            _ => out.push(self.words().into()),
        }
    }

    /// True when, for a case this condition is true of, [`Condition::because`] names every one
    /// of its [`Condition::because_parts`]: no `any` chooses among them.
    pub fn names_every_part(&self) -> bool {
        match self {
            Condition::All(parts) => parts.iter().all(Condition::names_every_part),
            Condition::Any(_) => false,
            _ => true,
        }
    }

    /// [`Condition::because`] with the words taken from `parts` (this condition's
    /// [`Condition::because_parts`]) rather than written out again. For a condition true of
    /// `case` (as an applying rule's is).
    pub fn because_shared(&self, case: &Case, parts: &[SharedStr]) -> Vec<SharedStr> {
        let mut out = Vec::with_capacity(parts.len());
        self.because_places(case, &mut |place, part| {
            out.push(match parts.get(place) {
                Some(words) => words.clone(),
                None => part.words().into(),
            })
        });
        out
    }

    /// Calls `named` with the place in [`Condition::because_parts`] of each part that
    /// [`Condition::because`] names, and the part, in order. For a condition true of `case`.
    pub fn because_places(&self, case: &Case, named: &mut dyn FnMut(usize, &Condition)) {
        debug_assert_eq!(self.eval(case), Some(true), "because_places: not true");
        let mut next = 0;
        self.walk_because(case, &mut next, true, named);
    }

    /// Walks the parts in the order of [`Condition::because_parts`], counting each in `next`,
    /// and names those that [`Condition::collect_because`] names: the parts of true parts
    /// (`take`: this part is true).
    fn walk_because(
        &self,
        case: &Case,
        next: &mut usize,
        take: bool,
        named: &mut dyn FnMut(usize, &Condition),
    ) {
        match self {
            // All parts of a true `all` are true: no need to evaluate them again.
            Condition::All(all) => {
                for p in all {
                    p.walk_because(case, next, take, named);
                }
            }
            Condition::Any(any) => {
                for p in any {
                    let t = take && p.eval(case) == Some(true);
                    p.walk_because(case, next, t, named);
                }
            }
            _ => {
                if take {
                    named(*next, self);
                }
                *next += 1;
            }
        }
    }

    /// The condition in plain words.
    pub fn words(&self) -> String {
        let mut out = String::new();
        self.write_words(&mut out);
        out
    }

    /// [`Condition::words`], written at the end of `out` (no string for each part).
    fn write_words(&self, out: &mut String) {
        match self {
            Condition::All(parts) if parts.is_empty() => out.push_str("always"),
            Condition::All(parts) => write_joined(parts, " and ", out),
            Condition::Any(parts) => {
                out.push_str("either ");
                write_joined(parts, " or ", out);
            }
            Condition::Not(c) => {
                out.push_str("not (");
                c.write_words(out);
                out.push(')');
            }
            Condition::Bool(field, want) => {
                let (yes, no) = field.words();
                out.push_str(if *want { yes } else { no });
            }
            Condition::Risk(levels) => {
                out.push_str("police risk ");
                for (i, r) in levels.iter().enumerate() {
                    if i > 0 {
                        out.push_str(" or ");
                    }
                    out.push_str(r.words());
                }
            }
            Condition::Number(field, range) => {
                let (before, unit, after) = match field {
                    NumField::Age => ("aged ", "", ""),
                    NumField::HoursMissing => ("missing ", " hours", ""),
                    NumField::DaysMissing => ("missing ", " days", ""),
                    NumField::DaysSinceLookedAfter => ("looked after for ", " days", ""),
                    NumField::Episodes28Days => ("", " missing episodes", " in 28 days"),
                    NumField::Episodes90Days => ("", " missing episodes", " in 90 days"),
                    NumField::Episodes12Months => ("", " missing episodes", " in 12 months"),
                };
                out.push_str(before);
                range.write_words(unit, out);
                out.push_str(after);
            }
        }
    }

    /// Calls `f` for every number comparison in the condition.
    pub fn visit_numbers(&self, f: &mut dyn FnMut(NumField, &Range)) {
        match self {
            Condition::All(parts) | Condition::Any(parts) => {
                parts.iter().for_each(|p| p.visit_numbers(f))
            }
            Condition::Not(c) => c.visit_numbers(f),
            Condition::Number(field, range) => f(*field, range),
            _ => {}
        }
    }

    /// Calls `f` with the name of every case field the condition reads (`days_missing` reads
    /// the hours missing, so it is reported as `hours_missing`).
    pub fn visit_fields(&self, f: &mut dyn FnMut(&'static str)) {
        match self {
            Condition::All(parts) | Condition::Any(parts) => {
                parts.iter().for_each(|p| p.visit_fields(f))
            }
            Condition::Not(c) => c.visit_fields(f),
            Condition::Number(field, _) => {
                let name = match field {
                    NumField::DaysMissing => "hours_missing",
                    other => NumField::ALL
                        .iter()
                        .find(|(_, n)| n == other)
                        .map(|(name, _)| *name)
                        .unwrap_or("hours_missing"),
                };
                f(name)
            }
            Condition::Bool(field, _) => {
                if let Some((name, _)) = BoolField::ALL.iter().find(|(_, b)| b == field) {
                    f(name)
                }
            }
            Condition::Risk(_) => f("police_risk"),
        }
    }
}

/// A case's fields as conditions read them, each worked out once (for [`Compiled`]).
#[derive(Debug, PartialEq)]
pub(crate) struct Facts {
    nums: [Option<f64>; NumField::ALL.len()],
    bools: [Option<bool>; BoolField::ALL.len()],
    risk: Option<PoliceRisk>,
}

impl Facts {
    pub(crate) fn of(case: &Case) -> Facts {
        let mut nums = [None; NumField::ALL.len()];
        for (_, field) in NumField::ALL {
            nums[field as usize] = field.value(case);
        }
        let mut bools = [None; BoolField::ALL.len()];
        for (_, field) in BoolField::ALL {
            bools[field as usize] = field.value(case);
        }
        Facts {
            nums,
            bools,
            risk: case.police_risk,
        }
    }

    /// The facts of `later`, which is the case of these facts with only its hours missing
    /// (`hours_missing`) and `returned_at` (none) changed.
    pub(crate) fn later(&self, later: &Case) -> Facts {
        let mut facts = Facts {
            nums: self.nums,
            bools: self.bools,
            risk: self.risk,
        };
        for field in [NumField::HoursMissing, NumField::DaysMissing] {
            facts.nums[field as usize] = field.value(later);
        }
        facts.bools[BoolField::Returned as usize] = BoolField::Returned.value(later);
        debug_assert_eq!(facts, Facts::of(later));
        facts
    }
}

/// A condition made ready to evaluate often: the same shape, with each comparison reading a
/// case's [`Facts`] (worked out once per case) rather than asking the case for each field.
/// Gives the answers of [`Condition::eval`], and names the parts [`Condition::because`] does.
#[derive(Debug)]
pub(crate) enum Compiled {
    /// All of these comparisons: most conditions, evaluated in one loop.
    Tests(Vec<Test>),
    All(Vec<Compiled>),
    Any(Vec<Compiled>),
    Not(Box<Compiled>),
    Test(Test),
}

/// One comparison of a [`Compiled`] condition.
#[derive(Debug, Clone)]
pub(crate) enum Test {
    /// A number between bounds, each `op` 0 (no bound), 1 (`>=`, `<=`) or 2 (`>`, `<`): a
    /// [`Range`]'s two lower and two upper bounds made one of each (see [`Test::number`]).
    Number {
        field: u8,
        lo_op: u8,
        hi_op: u8,
        lo: f64,
        hi: f64,
    },
    /// A [`Range`] as it is (one with a bound that is not a number).
    Range(u8, Box<Range>),
    Bool(u8, bool),
    /// The levels as bits, `1 << level`.
    Risk(u8),
}

impl Test {
    /// The test of `range`, as small as it can be (it is read for every rule of every case).
    /// `x >= a && x > m` is `x > m` when `m >= a`, else `x >= a`; and the same above: so for
    /// any `x` (a NaN `x` fails every comparison either way), unless a bound is NaN.
    fn number(field: NumField, range: &Range) -> Test {
        if range.bounds().any(f64::is_nan) {
            return Test::Range(field as u8, Box::new(*range));
        }
        let (lo_op, lo) = match (range.at_least, range.more_than) {
            (None, None) => (0, 0.0),
            (Some(a), None) => (1, a),
            (None, Some(m)) => (2, m),
            (Some(a), Some(m)) => {
                if m >= a {
                    (2, m)
                } else {
                    (1, a)
                }
            }
        };
        let (hi_op, hi) = match (range.at_most, range.less_than) {
            (None, None) => (0, 0.0),
            (Some(b), None) => (1, b),
            (None, Some(l)) => (2, l),
            (Some(b), Some(l)) => {
                if l <= b {
                    (2, l)
                } else {
                    (1, b)
                }
            }
        };
        Test::Number {
            field: field as u8,
            lo_op,
            hi_op,
            lo,
            hi,
        }
    }

    /// True when the comparison reads the hours missing (directly or as days).
    fn reads_hours(&self) -> bool {
        let field = match *self {
            Test::Number { field, .. } | Test::Range(field, _) => field,
            Test::Bool(..) | Test::Risk(_) => return false,
        };
        field == NumField::HoursMissing as u8 || field == NumField::DaysMissing as u8
    }

    #[inline(always)]
    fn eval(&self, facts: &Facts) -> Option<bool> {
        match *self {
            Test::Number {
                field,
                lo_op,
                hi_op,
                lo,
                hi,
            } => facts.nums[usize::from(field)].map(|x| {
                (match lo_op {
                    0 => true,
                    1 => x >= lo,
                    _ => x > lo,
                }) && (match hi_op {
                    0 => true,
                    1 => x <= hi,
                    _ => x < hi,
                })
            }),
            Test::Range(field, ref range) => {
                facts.nums[usize::from(field)].map(|x| range.contains(x))
            }
            Test::Bool(field, want) => facts.bools[usize::from(field)].map(|b| b == want),
            Test::Risk(bits) => facts.risk.map(|r| bits & 1 << (r as u8) != 0),
        }
    }
}

/// All of the comparisons, three-valued (see [`all3`]).
#[inline(always)]
pub(crate) fn all_tests(tests: &[Test], facts: &Facts) -> Option<bool> {
    all3(tests.iter().map(|t| t.eval(facts)))
}

/// Three-valued `all`: false if one answer is (the rest are not asked), else unknown if one
/// is, else true.
#[inline(always)]
fn all3(answers: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    let mut unknown = false;
    for answer in answers {
        match answer {
            Some(false) => return Some(false),
            None => unknown = true,
            Some(true) => {}
        }
    }
    if unknown { None } else { Some(true) }
}

/// Three-valued `any`: true if one answer is (the rest are not asked), else unknown if one
/// is, else false. (Not all of the answers negated.)
#[inline(always)]
fn any3(answers: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    all3(answers.map(|a| a.map(|b| !b))).map(|b| !b)
}

impl Condition {
    pub(crate) fn compile(&self) -> Compiled {
        let test = |c: Compiled| match c {
            Compiled::Test(t) => Some(t),
            _ => None,
        };
        match self {
            Condition::All(parts) => {
                let parts: Vec<Compiled> = parts.iter().map(Condition::compile).collect();
                if parts.iter().all(|p| matches!(p, Compiled::Test(_))) {
                    Compiled::Tests(parts.into_iter().filter_map(test).collect())
                } else {
                    Compiled::All(parts)
                }
            }
            Condition::Any(parts) => Compiled::Any(parts.iter().map(Condition::compile).collect()),
            Condition::Not(c) => Compiled::Not(Box::new(c.compile())),
            Condition::Number(field, range) => Compiled::Test(Test::number(*field, range)),
            Condition::Bool(field, want) => Compiled::Test(Test::Bool(*field as u8, *want)),
            Condition::Risk(levels) => Compiled::Test(Test::Risk(
                levels.iter().fold(0, |bits, r| bits | 1 << (*r as u8)),
            )),
        }
    }
}

impl Compiled {
    /// [`Condition::eval`] of the condition this was made from, for the case of `facts`.
    #[inline]
    pub(crate) fn eval(&self, facts: &Facts) -> Option<bool> {
        match self {
            // Most conditions: a loop, not a call of the recursive evaluation.
            Compiled::Tests(tests) => all_tests(tests, facts),
            other => other.eval_tree(facts),
        }
    }

    #[inline(never)]
    fn eval_tree(&self, facts: &Facts) -> Option<bool> {
        match self {
            Compiled::Tests(tests) => all_tests(tests, facts),
            Compiled::All(parts) => all3(parts.iter().map(|p| p.eval_part(facts))),
            Compiled::Any(parts) => any3(parts.iter().map(|p| p.eval_part(facts))),
            Compiled::Not(c) => c.eval_part(facts).map(|b| !b),
            Compiled::Test(t) => t.eval(facts),
        }
    }

    /// False when the condition cannot be true of any case that differs from the case of
    /// `facts` only in the hours missing: it is all comparisons, and one that does not read
    /// the hours missing is not true now. (True when it may be, or when that is not so simply
    /// seen.)
    pub(crate) fn may_hold_with_other_hours(&self, facts: &Facts) -> bool {
        self.flat().is_none_or(|tests| {
            tests
                .iter()
                .filter(|t| !t.reads_hours())
                .all(|t| t.eval(facts) == Some(true))
        })
    }

    /// The comparisons all of which the condition is, when it is only that (most are): they
    /// give its answer by [`all_tests`].
    pub(crate) fn flat(&self) -> Option<&[Test]> {
        match self {
            Compiled::Tests(tests) => Some(tests),
            Compiled::Test(t) => Some(std::slice::from_ref(t)),
            _ => None,
        }
    }

    /// A comparison, or all of some, worked out in place; anything else by calling
    /// `eval_tree`.
    #[inline(always)]
    fn eval_part(&self, facts: &Facts) -> Option<bool> {
        match self {
            Compiled::Test(t) => t.eval(facts),
            Compiled::Tests(tests) => all_tests(tests, facts),
            other => other.eval_tree(facts),
        }
    }

    /// [`Condition::because_places`]: for a condition true of the case of `facts`, the place
    /// in [`Condition::because_parts`] of each part [`Condition::because`] names, in order.
    pub(crate) fn because_places(&self, facts: &Facts, named: &mut impl FnMut(usize)) {
        let mut next = 0;
        self.walk_because(facts, &mut next, true, named);
    }

    fn walk_because(
        &self,
        facts: &Facts,
        next: &mut usize,
        take: bool,
        named: &mut impl FnMut(usize),
    ) {
        match self {
            // All parts of a true `all` are true.
            Compiled::Tests(tests) => {
                for _ in tests {
                    if take {
                        named(*next);
                    }
                    *next += 1;
                }
            }
            Compiled::All(all) => {
                for p in all {
                    p.walk_because(facts, next, take, named);
                }
            }
            Compiled::Any(any) => {
                for p in any {
                    let t = take && p.eval_part(facts) == Some(true);
                    p.walk_because(facts, next, t, named);
                }
            }
            _ => {
                if take {
                    named(*next);
                }
                *next += 1;
            }
        }
    }
}

fn write_joined(parts: &[Condition], sep: &str, out: &mut String) {
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        p.write_words(out);
    }
}

/// Reads a condition from a rule file's `when` value. Errors say which key is wrong.
pub fn parse(value: &toml::Value) -> Result<Condition, String> {
    let table = value.as_table().ok_or_else(|| {
        "a condition must be a table of fields, like { age = { at_most = 12 } }".to_string()
    })?;
    let mut parts = Vec::new();
    for (key, v) in table {
        parts.push(parse_entry(key, v)?);
    }
    if parts.len() == 1 {
        Ok(parts.remove(0))
    } else {
        Ok(Condition::All(parts))
    }
}

fn parse_list(key: &str, v: &toml::Value) -> Result<Vec<Condition>, String> {
    let items = v.as_array().ok_or_else(|| {
        format!("`{key}` takes a list of conditions, like {key} = [ {{ looked_after = true }}, {{ age = {{ at_most = 12 }} }} ]")
    })?;
    if items.is_empty() {
        return Err(format!(
            "`{key}` has an empty list: give at least one condition"
        ));
    }
    items.iter().map(parse).collect()
}

fn parse_entry(key: &str, v: &toml::Value) -> Result<Condition, String> {
    match key {
        "all" => return parse_list(key, v).map(Condition::All),
        "any" => return parse_list(key, v).map(Condition::Any),
        "not" => return parse(v).map(|c| Condition::Not(Box::new(c))),
        _ => {}
    }
    if let Some((_, field)) = BoolField::ALL.iter().find(|(n, _)| *n == key) {
        return v
            .as_bool()
            .map(|b| Condition::Bool(*field, b))
            .ok_or_else(|| format!("`{key}` must be true or false"));
    }
    if key == "police_risk" {
        let names: Vec<&str> = match v {
            toml::Value::String(s) => vec![s.as_str()],
            toml::Value::Array(items) => items.iter().filter_map(toml::Value::as_str).collect(),
            _ => Vec::new(),
        };
        let levels: Vec<PoliceRisk> = names.iter().filter_map(|n| PoliceRisk::parse(n)).collect();
        let count = match v {
            toml::Value::Array(items) => items.len(),
            _ => 1,
        };
        if levels.is_empty() || levels.len() != count {
            return Err(
                "`police_risk` must be \"high\", \"medium\", \"low\" or \"no-apparent-risk\", or a list of them"
                    .to_string(),
            );
        }
        return Ok(Condition::Risk(levels));
    }
    if let Some((_, field)) = NumField::ALL.iter().find(|(n, _)| *n == key) {
        return parse_range(key, v).map(|r| Condition::Number(*field, r));
    }
    let mut known: Vec<&str> = vec!["all", "any", "not", "police_risk"];
    known.extend(BoolField::ALL.iter().map(|(n, _)| *n));
    known.extend(NumField::ALL.iter().map(|(n, _)| *n));
    Err(format!(
        "unknown condition field `{key}`; the fields are: {}",
        known.join(", ")
    ))
}

fn number(v: &toml::Value) -> Option<f64> {
    match v {
        toml::Value::Integer(i) => Some(*i as f64),
        toml::Value::Float(f) if f.is_finite() => Some(*f),
        _ => None,
    }
}

fn parse_range(key: &str, v: &toml::Value) -> Result<Range, String> {
    if let Some(x) = number(v) {
        return Ok(Range {
            at_least: Some(x),
            at_most: Some(x),
            ..Range::default()
        });
    }
    let table = v.as_table().ok_or_else(|| {
        format!("`{key}` must be a number or a comparison, like {key} = {{ at_least = 3 }}")
    })?;
    let mut range = Range::default();
    for (op, bound) in table {
        let x = number(bound)
            .ok_or_else(|| format!("`{key}.{op}` must be a number, like {op} = 24"))?;
        if x < 0.0 {
            return Err(format!("`{key}.{op}` must not be negative"));
        }
        match op.as_str() {
            "at_least" => range.at_least = Some(x),
            "more_than" => range.more_than = Some(x),
            "at_most" => range.at_most = Some(x),
            "less_than" => range.less_than = Some(x),
            _ => {
                return Err(format!(
                    "unknown comparison `{op}` for `{key}`; use at_least, more_than, at_most or less_than"
                ));
            }
        }
    }
    if range.bounds().next().is_none() {
        return Err(format!(
            "`{key}` has no comparison: use at_least, more_than, at_most or less_than"
        ));
    }
    Ok(range)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cond(src: &str) -> Condition {
        let v: toml::Table = toml::from_str(&format!("when = {src}")).expect("toml");
        parse(&v["when"]).expect("condition")
    }

    fn case(json: &str) -> Case {
        Case::from_json_str(json).expect("case")
    }

    #[test]
    fn unknown_fields_leave_the_answer_unknown() {
        let c = cond("{ looked_after = true, hours_missing = { more_than = 24 } }");
        assert_eq!(c.eval(&case(r#"{"looked_after": true}"#)), None);
        assert_eq!(c.eval(&case(r#"{"looked_after": false}"#)), Some(false));
        assert_eq!(
            c.eval(&case(r#"{"looked_after": true, "hours_missing": 24}"#)),
            Some(false)
        );
        assert_eq!(
            c.eval(&case(r#"{"looked_after": true, "hours_missing": 24.5}"#)),
            Some(true)
        );
    }

    #[test]
    fn any_is_true_when_one_known_part_is() {
        let c = cond("{ any = [ { age = { at_most = 12 } }, { sen_or_disability = true } ] }");
        assert_eq!(c.eval(&case(r#"{"age": 12}"#)), Some(true));
        assert_eq!(c.eval(&case(r#"{"age": 13}"#)), None);
        assert_eq!(
            c.eval(&case(r#"{"age": 13, "sen_or_disability": false}"#)),
            Some(false)
        );
        assert_eq!(c.because(&case(r#"{"age": 12}"#)), vec!["aged 12 or less"]);
    }

    #[test]
    fn what_cannot_hold_now_but_for_the_hours_never_does() {
        let conditions = [
            "{ looked_after = true, hours_missing = { more_than = 24 } }",
            "{ days_missing = { at_least = 3 }, police_risk = \"high\" }",
            "{ hours_missing = { at_least = 72 } }",
            "{ uasc = true }",
            "{ any = [ { uasc = true }, { hours_missing = { at_least = 1 } } ] }",
        ];
        let cases = [
            r#"{}"#,
            r#"{"looked_after": true, "police_risk": "high"}"#,
            r#"{"looked_after": false, "police_risk": "low", "uasc": true}"#,
            r#"{"looked_after": true, "hours_missing": 3}"#,
        ];
        for src in conditions {
            let c = cond(src).compile();
            for json in cases {
                let now = case(json);
                if c.may_hold_with_other_hours(&Facts::of(&now)) {
                    continue;
                }
                for h in [0.0, 1.0, 23.9, 24.0, 24.1, 72.0, 100.0, 1000.0] {
                    let later = Case {
                        hours_missing: Some(h),
                        ..now.clone()
                    };
                    assert_ne!(c.eval(&Facts::of(&later)), Some(true), "{src} {json} {h}");
                }
            }
        }
    }

    #[test]
    fn one_bound_each_side_is_the_range() {
        let bounds = [
            None,
            Some(0.0),
            Some(1.0),
            Some(2.5),
            Some(3.0),
            Some(f64::NAN),
            Some(-1.0),
        ];
        let xs = [
            -2.0,
            -1.0,
            0.0,
            0.5,
            1.0,
            2.5,
            2.9,
            3.0,
            3.5,
            f64::NAN,
            f64::INFINITY,
        ];
        let mut facts = Facts::of(&Case::default());
        for a in bounds {
            for m in bounds {
                for b in bounds {
                    for l in bounds {
                        let range = Range {
                            at_least: a,
                            more_than: m,
                            at_most: b,
                            less_than: l,
                        };
                        let test = Test::number(NumField::Age, &range);
                        for x in xs {
                            facts.nums[NumField::Age as usize] = Some(x);
                            assert_eq!(test.eval(&facts), Some(range.contains(x)), "{range:?} {x}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn compiled_conditions_answer_as_conditions_do() {
        let conditions = [
            "{ looked_after = true, hours_missing = { more_than = 24 } }",
            "{ age = { at_most = 12 } }",
            "{ police_risk = [\"high\", \"no-apparent-risk\"], returned = false, days_missing = { at_least = 3, less_than = 7 } }",
            "{ all = [ { uasc = true }, { episodes_28_days = { at_least = 3 } } ] }",
            "{}",
            "{ any = [ { uasc = true }, { age = { at_most = 12 } }, { not = { police_risk = \"low\" } } ], looked_after = true }",
            "{ not = { any = [ { returned = true }, { hours_missing = { at_least = 24 } } ] } }",
        ];
        let cases = [
            r#"{}"#,
            r#"{"looked_after": true, "hours_missing": 24.5, "age": 12}"#,
            r#"{"looked_after": false, "hours_missing": 24, "age": 13, "police_risk": "low"}"#,
            r#"{"police_risk": "high", "returned": false, "hours_missing": 72, "uasc": true, "episodes_28_days": 3, "looked_after": true}"#,
            r#"{"police_risk": "no-apparent-risk", "returned_at": "2025-10-24T10:00:00+01:00", "missing_since": "2025-10-20T10:00:00+01:00"}"#,
            r#"{"police_risk": "medium", "missing_since": "2025-10-20T10:00:00+01:00", "now": "2025-10-23T10:00:00+01:00", "returned": false}"#,
            r#"{"age": 10, "looked_after": true, "uasc": false, "police_risk": "low", "returned": false, "hours_missing": 3}"#,
        ];
        for src in conditions {
            let c = cond(src);
            let compiled = c.compile();
            let mut parts = Vec::new();
            c.because_parts(&mut parts);
            for json in cases {
                let case = case(json);
                let facts = Facts::of(&case);
                assert_eq!(compiled.eval(&facts), c.eval(&case), "{src} {json}");
                if c.eval(&case) == Some(true) {
                    let mut named = Vec::new();
                    compiled
                        .because_places(&facts, &mut |place| named.push(parts[place].to_string()));
                    assert_eq!(named, c.because(&case), "{src} {json}");
                }
            }
        }
    }

    #[test]
    fn shared_reasons_are_the_reasons() {
        let c = cond(
            "{ all = [ { any = [ { age = { at_most = 12 } }, { sen_or_disability = true } ] }, { not = { returned = true } }, { looked_after = true } ], police_risk = \"high\" }",
        );
        let mut parts = Vec::new();
        c.because_parts(&mut parts);
        assert_eq!(parts.len(), 5);
        assert!(!c.names_every_part());
        let all = cond(
            "{ all = [ { not = { any = [ { uasc = true }, { age = 3 } ] } }, { age = { at_least = 13 } } ], looked_after = true }",
        );
        assert!(all.names_every_part());
        let child = case(r#"{"age": 14, "uasc": false, "looked_after": true}"#);
        let mut every = Vec::new();
        all.because_parts(&mut every);
        let every: Vec<String> = every.iter().map(|s| s.to_string()).collect();
        assert_eq!(every, all.because(&child));
        for json in [
            r#"{"age": 12, "returned": false, "looked_after": true, "police_risk": "high"}"#,
            r#"{"age": 14, "sen_or_disability": true, "returned": false, "looked_after": true, "police_risk": "high"}"#,
            r#"{"age": 10, "sen_or_disability": true, "returned": false, "looked_after": true, "police_risk": "high"}"#,
            r#"{"age": 10, "sen_or_disability": false, "returned": false, "looked_after": true, "police_risk": "high"}"#,
        ] {
            let case = case(json);
            let shared: Vec<String> = c
                .because_shared(&case, &parts)
                .iter()
                .map(|s| s.to_string())
                .collect();
            assert_eq!(shared, c.because(&case), "{json}");
        }
    }

    #[test]
    fn days_missing_is_hours_over_24() {
        let c = cond("{ days_missing = { at_least = 3 } }");
        assert_eq!(c.eval(&case(r#"{"hours_missing": 71.9}"#)), Some(false));
        assert_eq!(c.eval(&case(r#"{"hours_missing": 72}"#)), Some(true));
    }

    #[test]
    fn risk_lists_and_words() {
        let c = cond(r#"{ police_risk = ["high", "medium"], not = { whereabouts_known = true } }"#);
        assert_eq!(
            c.eval(&case(
                r#"{"police_risk": "medium", "whereabouts_known": false}"#
            )),
            Some(true)
        );
        assert_eq!(c.eval(&case(r#"{"police_risk": "low"}"#)), Some(false));
        assert_eq!(
            c.words(),
            "not (whereabouts known) and police risk high or medium"
        );
    }

    #[test]
    fn mistakes_are_explained() {
        let bad = |src: &str| {
            let v: toml::Table = toml::from_str(&format!("when = {src}")).expect("toml");
            parse(&v["when"]).expect_err("should be refused")
        };
        assert!(bad("{ colour = true }").contains("unknown condition field `colour`"));
        assert!(bad("{ age = { over = 3 } }").contains("unknown comparison `over`"));
        assert!(bad("{ looked_after = \"yes\" }").contains("true or false"));
        assert!(bad("{ police_risk = \"severe\" }").contains("police_risk"));
        assert!(bad("{ any = [] }").contains("empty list"));
    }
}
