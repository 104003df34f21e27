//! The condition language of rule files: plain comparisons on the case's fields, combined
//! with all / any / not. Evaluation is three-valued: a field the reader did not give is
//! unknown, and a condition is true, false, or true exactly when the reader gives one of some
//! sets of answers ([`Truth::Depends`]): what is unknown is never dropped, it is said what
//! would settle it.

use crate::case::{Case, PoliceRisk};
use crate::model::Implication;
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

    /// The field's name in cases and rule files.
    pub fn name(self) -> &'static str {
        NumField::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("hours_missing", |(n, _)| n)
    }

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

    /// The field's name in cases and rule files.
    pub fn name(self) -> &'static str {
        BoolField::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("returned", |(n, _)| n)
    }

    /// Sets the field in a case.
    pub fn set(self, case: &mut Case, value: bool) {
        *self.slot(case) = Some(value);
    }

    /// Leaves the field unanswered in a case.
    pub fn clear(self, case: &mut Case) {
        *self.slot(case) = None;
    }

    /// Where a case keeps the answer (for `returned`, the answer given, not `returned_at`).
    fn slot(self, case: &mut Case) -> &mut Option<bool> {
        match self {
            BoolField::LookedAfter => &mut case.looked_after,
            BoolField::CareLeaver => &mut case.care_leaver,
            BoolField::ChildProtectionPlan => &mut case.child_protection_plan,
            BoolField::ChildInNeed => &mut case.child_in_need,
            BoolField::Uasc => &mut case.uasc,
            BoolField::PlacedByOtherAuthority => &mut case.placed_by_other_authority,
            BoolField::WhereaboutsKnown => &mut case.whereabouts_known,
            BoolField::Returned => &mut case.returned,
            BoolField::ExploitationConcern => &mut case.exploitation_concern,
            BoolField::SenOrDisability => &mut case.sen_or_disability,
        }
    }

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

    /// The lowest value and whether it is excluded (−∞ when there is none).
    fn lower(&self) -> (f64, bool) {
        match (self.at_least, self.more_than) {
            (Some(a), Some(m)) if m >= a => (m, true),
            (Some(a), _) => (a, false),
            (None, Some(m)) => (m, true),
            (None, None) => (f64::NEG_INFINITY, false),
        }
    }

    /// The highest value and whether it is excluded (+∞ when there is none).
    fn upper(&self) -> (f64, bool) {
        match (self.at_most, self.less_than) {
            (Some(a), Some(l)) if l <= a => (l, true),
            (Some(a), _) => (a, false),
            (None, Some(l)) => (l, true),
            (None, None) => (f64::INFINITY, false),
        }
    }

    fn from_bounds((lo, lo_open): (f64, bool), (hi, hi_open): (f64, bool)) -> Range {
        let mut r = Range::default();
        if lo.is_finite() {
            if lo_open {
                r.more_than = Some(lo);
            } else {
                r.at_least = Some(lo);
            }
        }
        if hi.is_finite() {
            if hi_open {
                r.less_than = Some(hi);
            } else {
                r.at_most = Some(hi);
            }
        }
        r
    }

    /// The numbers in both ranges.
    pub fn and(&self, other: &Range) -> Range {
        let (a, b) = (self.lower(), other.lower());
        let lower = if a.0 > b.0 || (a.0 == b.0 && a.1) {
            a
        } else {
            b
        };
        let (a, b) = (self.upper(), other.upper());
        let upper = if a.0 < b.0 || (a.0 == b.0 && a.1) {
            a
        } else {
            b
        };
        Range::from_bounds(lower, upper)
    }

    /// True when no number is in the range.
    pub fn is_empty(&self) -> bool {
        let (lo, lo_open) = self.lower();
        let (hi, hi_open) = self.upper();
        lo > hi || (lo == hi && (lo_open || hi_open))
    }

    /// True when every number in this range is in `other`.
    pub fn within(&self, other: &Range) -> bool {
        let ((lo, lo_open), (olo, olo_open)) = (self.lower(), other.lower());
        let ((hi, hi_open), (ohi, ohi_open)) = (self.upper(), other.upper());
        (lo > olo || (lo == olo && (lo_open || !olo_open)))
            && (hi < ohi || (hi == ohi && (hi_open || !ohi_open)))
    }

    /// The numbers not in the range, as one or two ranges (none for a range of every number).
    pub fn outside(&self) -> Vec<Range> {
        let mut out = Vec::new();
        let (lo, lo_open) = self.lower();
        if lo.is_finite() {
            out.push(Range::from_bounds(
                (f64::NEG_INFINITY, false),
                (lo, !lo_open),
            ));
        }
        let (hi, hi_open) = self.upper();
        if hi.is_finite() {
            out.push(Range::from_bounds((hi, !hi_open), (f64::INFINITY, false)));
        }
        out
    }

    /// Every bound multiplied by `k`.
    fn scaled(&self, k: f64) -> Range {
        Range {
            at_least: self.at_least.map(|b| b * k),
            more_than: self.more_than.map(|b| b * k),
            at_most: self.at_most.map(|b| b * k),
            less_than: self.less_than.map(|b| b * k),
        }
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

/// A number as people type it, the reverse of [`fmt_num`]: digits with at most one decimal
/// point ("26", "2.5", ".5"); `None` for anything else (signs, exponents, spaces, commas) and
/// for more digits than a float holds exactly (about 16). The value is exactly what
/// `str::parse::<f64>` gives: the digits as one whole number (exact up to 2^53) divided by a
/// power of ten (exact up to 10^22), which is one correctly rounded division. Not
/// `str::parse`: its general float reader is about 15 KB of the checker's download (gzipped).
pub fn parse_num(s: &str) -> Option<f64> {
    let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return None;
    }
    let fraction = fraction.trim_end_matches('0');
    let mut n: u64 = 0;
    for b in whole.bytes().chain(fraction.bytes()) {
        n = n.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    if n > 1 << 53 || fraction.len() > 22 {
        return None;
    }
    let mut scale = 1.0;
    for _ in 0..fraction.len() {
        scale *= 10.0;
    }
    Some(n as f64 / scale)
}

/// [`fmt_num`], written at the end of `out`: whole numbers as they are, others to at most six
/// decimal places with trailing zeros dropped ("26.5", "0.333333"). Numbers here are hours,
/// days, ages and counts that people typed or rules name; six places keep every such number
/// as it was written. Not `{x}`: core's float formatting is about 8 KB of the checker's
/// download (gzipped), for numbers that never need it.
fn write_num(out: &mut String, x: f64) {
    use std::fmt::Write;
    let millionths = (x * 1e6).round();
    // Beyond what an i64 of millionths holds (no answer or rule comes near): whole units.
    let Some(m) = (millionths.abs() < 9e15).then_some(millionths as i64) else {
        let _ = write!(out, "{}", x as i64);
        return;
    };
    let (whole, fraction) = (m / 1_000_000, (m % 1_000_000).unsigned_abs());
    if m < 0 && whole == 0 {
        out.push('-');
    }
    // Writing to a String cannot fail.
    let _ = write!(out, "{whole}");
    if fraction != 0 {
        let digits = format!("{fraction:06}");
        out.push('.');
        out.push_str(digits.trim_end_matches('0'));
    }
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

    /// Some(true), Some(false), or None when it depends on something not known: what
    /// [`Condition::truth`] says, without the answers that would settle it.
    pub fn eval(&self, case: &Case) -> Option<bool> {
        match self.truth(case, &[]) {
            Truth::True => Some(true),
            Truth::False => Some(false),
            Truth::Depends(_) => None,
        }
    }

    /// The plain-words reasons a condition is true, or the parts of it that are true so far:
    /// the comparisons that matched.
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
            _ => {
                if self.eval(case) == Some(true) {
                    out.push(self.words())
                }
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

/// The question that asks for a case field, in the checker's words.
pub fn question(field: &str) -> &'static str {
    match field {
        "age" => "How old is the child?",
        "hours_missing" => "How many hours has the child been missing?",
        "days_since_looked_after" => "How many days ago did the child become looked after?",
        "episodes_28_days" => {
            "How many times has the child gone missing in the last 28 days, including this time?"
        }
        "episodes_90_days" => {
            "How many times has the child gone missing in the last 90 days, including this time?"
        }
        "episodes_12_months" => {
            "How many times has the child gone missing in the last 12 months, including this time?"
        }
        "looked_after" => "Is the child looked after (in care)?",
        "care_leaver" => "Is the young person a care leaver?",
        "child_protection_plan" => "Is the child on a child protection plan?",
        "child_in_need" => "Is the child a child in need?",
        "uasc" => "Is the child an unaccompanied asylum-seeking child?",
        "placed_by_other_authority" => "Was the child placed here by another council?",
        "whereabouts_known" => "Do you know where the child is?",
        "returned" => "Has the child been found or come back?",
        "police_risk" => "What risk level have the police given?",
        "exploitation_concern" => "Is there a concern that the child is being exploited?",
        "sen_or_disability" => "Does the child have special educational needs or a disability?",
        _ => "A question the checker does not ask",
    }
}

/// What a condition says of a case.
#[derive(Debug, Clone, PartialEq)]
pub enum Truth {
    True,
    False,
    /// Neither yet: it becomes true when the reader answers as one of these alternatives
    /// says (each a set of answers to questions not yet answered, all of which are needed),
    /// and stays unknown or false otherwise. Never empty, and no alternative is empty.
    Depends(Vec<Vec<Need>>),
}

/// An answer to an unanswered question, as part of what would make a condition true: the
/// field and the values that would do it.
#[derive(Debug, Clone, PartialEq)]
pub enum Need {
    Bool(BoolField, bool),
    /// Always a field the reader answers: `days_missing` is asked as `HoursMissing`.
    Number(NumField, Range),
    Risk(Vec<PoliceRisk>),
}

impl Need {
    /// The case field it answers.
    pub fn field(&self) -> &'static str {
        match self {
            Need::Bool(f, _) => f.name(),
            Need::Number(f, _) => f.name(),
            Need::Risk(_) => "police_risk",
        }
    }

    /// True when a value of its field meets it (a case that gives the field).
    pub fn met_by(&self, case: &Case) -> Option<bool> {
        self.as_condition().eval(case)
    }

    /// The need as the condition it is.
    pub fn as_condition(&self) -> Condition {
        match self {
            Need::Bool(f, v) => Condition::Bool(*f, *v),
            Need::Number(f, r) => Condition::Number(*f, *r),
            Need::Risk(levels) => Condition::Risk(levels.clone()),
        }
    }

    /// Both needs at once, on the same field: None when no answer meets both.
    fn and(&self, other: &Need) -> Option<Need> {
        match (self, other) {
            (Need::Bool(f, a), Need::Bool(_, b)) => (a == b).then_some(Need::Bool(*f, *a)),
            (Need::Risk(a), Need::Risk(b)) => {
                let both: Vec<PoliceRisk> = a.iter().filter(|r| b.contains(r)).copied().collect();
                (!both.is_empty()).then_some(Need::Risk(both))
            }
            (Need::Number(f, a), Need::Number(_, b)) => {
                let r = a.and(b);
                (!r.is_empty()).then_some(Need::Number(*f, r))
            }
            _ => None,
        }
    }

    /// True when every answer that meets `self` meets `other` too.
    fn within(&self, other: &Need) -> bool {
        match (self, other) {
            (Need::Bool(f, a), Need::Bool(g, b)) => f == g && a == b,
            (Need::Risk(a), Need::Risk(b)) => a.iter().all(|r| b.contains(r)),
            (Need::Number(f, a), Need::Number(g, b)) => f == g && a.within(b),
            _ => false,
        }
    }
}

/// One alternative and another, as one: None when they cannot both be met.
fn and_alternatives(a: &[Need], b: &[Need]) -> Option<Vec<Need>> {
    let mut out = a.to_vec();
    for need in b {
        match out.iter().position(|n| n.field() == need.field()) {
            Some(i) => out[i] = out[i].and(need)?,
            None => out.push(need.clone()),
        }
    }
    Some(out)
}

/// Drops each alternative that asks for more than another one does (it adds nothing).
fn simplify(mut alternatives: Vec<Vec<Need>>) -> Vec<Vec<Need>> {
    let asks_more =
        |big: &[Need], small: &[Need]| small.iter().all(|s| big.iter().any(|b| b.within(s)));
    let mut out: Vec<Vec<Need>> = Vec::new();
    crate::order::sort_by_key(&mut alternatives, Vec::len);
    for alt in alternatives {
        if !out.iter().any(|kept| asks_more(&alt, kept)) {
            out.push(alt);
        }
    }
    out
}

fn truth_of(depends: Vec<Vec<Need>>) -> Truth {
    if depends.is_empty() {
        Truth::False
    } else if depends.iter().any(Vec::is_empty) {
        Truth::True
    } else {
        Truth::Depends(simplify(depends))
    }
}

impl Condition {
    /// Whether the condition holds for the case: true, false, or what it depends on. A yes/no
    /// field may also be set by one of the protocol's `implications` (applied to the case
    /// already where they hold): the answers that would make one hold are alternatives too.
    pub fn truth(&self, case: &Case, implications: &[Implication]) -> Truth {
        self.truth_as(case, implications, false)
    }

    /// [`Condition::truth`] of this condition, or of its negation when `negated` (negations
    /// are pushed down to the comparisons, which then read the other way).
    fn truth_as(&self, case: &Case, implications: &[Implication], negated: bool) -> Truth {
        let all = |parts: &[Condition], negated: bool| {
            let mut alternatives = vec![Vec::new()];
            for part in parts {
                match part.truth_as(case, implications, negated) {
                    Truth::True => {}
                    Truth::False => return Truth::False,
                    Truth::Depends(alts) => {
                        alternatives = alternatives
                            .iter()
                            .flat_map(|a| alts.iter().filter_map(|b| and_alternatives(a, b)))
                            .collect();
                    }
                }
            }
            truth_of(alternatives)
        };
        let any = |parts: &[Condition], negated: bool| {
            let mut alternatives = Vec::new();
            for part in parts {
                match part.truth_as(case, implications, negated) {
                    Truth::True => return Truth::True,
                    Truth::False => {}
                    Truth::Depends(alts) => alternatives.extend(alts),
                }
            }
            truth_of(alternatives)
        };
        match self {
            Condition::All(parts) if !negated => all(parts, false),
            Condition::All(parts) => any(parts, true),
            Condition::Any(parts) if !negated => any(parts, false),
            Condition::Any(parts) => all(parts, true),
            Condition::Not(c) => c.truth_as(case, implications, !negated),
            Condition::Number(field, range) => match field.value(case) {
                Some(x) => known(range.contains(x) != negated),
                None => {
                    // Asked as hours: days missing are hours over 24.
                    let (asked, scale) = match field {
                        NumField::DaysMissing => (NumField::HoursMissing, 24.0),
                        f => (*f, 1.0),
                    };
                    let ranges = if negated {
                        range.outside()
                    } else {
                        vec![*range]
                    };
                    truth_of(
                        ranges
                            .into_iter()
                            .map(|r| vec![Need::Number(asked, r.scaled(scale))])
                            .collect(),
                    )
                }
            },
            Condition::Bool(field, want) => {
                let want = *want != negated;
                let value = field.value(case);
                if value == Some(want) {
                    return Truth::True;
                }
                // Not so (yet): the reader may answer it so, or answer what an implication of
                // the text reads, which then sets it so whatever the answer was.
                let mut alternatives = Vec::new();
                if value.is_none() {
                    alternatives.push(vec![Need::Bool(*field, want)]);
                }
                for i in implications
                    .iter()
                    .filter(|i| i.field == *field && i.value == want)
                {
                    // An implication's condition reads no field an implication sets (checked
                    // when loading), so it needs no implications of its own; and one that
                    // holds has set the field already.
                    if let Truth::Depends(alts) = i.when.truth_as(case, &[], false) {
                        alternatives.extend(alts);
                    }
                }
                truth_of(alternatives)
            }
            Condition::Risk(levels) => match case.police_risk {
                Some(r) => known(levels.contains(&r) != negated),
                None => {
                    let wanted: Vec<PoliceRisk> = PoliceRisk::ALL
                        .into_iter()
                        .map(|(_, r)| r)
                        .filter(|r| levels.contains(r) != negated)
                        .collect();
                    if wanted.is_empty() {
                        Truth::False
                    } else {
                        Truth::Depends(vec![vec![Need::Risk(wanted)]])
                    }
                }
            },
        }
    }
}

fn known(b: bool) -> Truth {
    if b { Truth::True } else { Truth::False }
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

    #[test]
    fn numbers_read_as_people_write_them() {
        for (x, words) in [
            (48.0, "48"),
            (26.5, "26.5"),
            (0.25, "0.25"),
            (2.5 / 24.0 * 24.0, "2.5"),
            (1.0 / 3.0, "0.333333"),
            (-0.5, "-0.5"),
            (-3.75, "-3.75"),
            (0.0000004, "0"),
            (100_000.0, "100000"),
            (1e300, &i64::MAX.to_string()),
        ] {
            assert_eq!(fmt_num(x), words, "{x}");
        }
        // What the checker's form writes back into its hours box reads back as the same number.
        for typed in ["26.5", "47.999", "0.1", "72", "1.000001"] {
            let n: f64 = typed.parse().expect("a number");
            assert_eq!(fmt_num(n), typed);
            assert_eq!(parse_num(&fmt_num(n)), Some(n));
        }
    }

    #[test]
    fn numbers_are_read_as_people_type_them_and_as_rust_reads_them() {
        for typed in [
            "0",
            "26",
            "2.5",
            ".5",
            "5.",
            "007",
            "26.50",
            "47.999",
            "0.1",
            "0.3",
            "100000",
            "99999.999999",
            "123456789012345",
            "0.000000000000001",
            "47.99999999999999",
        ] {
            let expected: f64 = typed.parse().expect("a number");
            assert_eq!(parse_num(typed), Some(expected), "{typed}");
        }
        for whole in [0, 1, 23, 47, 71, 99_999] {
            for fraction in 0..10_000 {
                let typed = format!("{whole}.{fraction:04}");
                let expected: f64 = typed.parse().expect("a number");
                assert_eq!(parse_num(&typed), Some(expected), "{typed}");
            }
        }
        for not_a_number in [
            "",
            ".",
            "-1",
            "+1",
            "1e3",
            "1,5",
            " 1",
            "1 ",
            "1..2",
            "1.2.3",
            "abc",
            "½",
            "12345678901234567",
        ] {
            assert_eq!(parse_num(not_a_number), None, "{not_a_number:?}");
        }
    }

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
    fn range_algebra_agrees_with_contains() {
        let bounds = [None, Some(1.0), Some(2.0), Some(3.0)];
        let mut ranges = Vec::new();
        for a in bounds {
            for m in bounds {
                for b in bounds {
                    for l in bounds {
                        ranges.push(Range {
                            at_least: a,
                            more_than: m,
                            at_most: b,
                            less_than: l,
                        });
                    }
                }
            }
        }
        let xs: Vec<f64> = (0..=8).map(|i| f64::from(i) * 0.5).collect();
        for r in &ranges {
            let outside = r.outside();
            for &x in &xs {
                assert_eq!(
                    outside.iter().any(|o| o.contains(x)),
                    !r.contains(x),
                    "{r:?} {x}"
                );
            }
            assert_eq!(r.is_empty(), !xs.iter().any(|&x| r.contains(x)), "{r:?}");
            for o in &ranges {
                let both = r.and(o);
                for &x in &xs {
                    assert_eq!(
                        both.contains(x),
                        r.contains(x) && o.contains(x),
                        "{r:?} {o:?} {x}"
                    );
                }
                if !r.is_empty() {
                    let inside = xs
                        .iter()
                        .filter(|&&x| r.contains(x))
                        .all(|&x| o.contains(x));
                    assert_eq!(r.within(o), inside, "{r:?} within {o:?}");
                }
            }
        }
    }

    /// Every way of answering the questions a case leaves open, from small domains.
    fn completions(case: &Case) -> Vec<Case> {
        let mut out = vec![case.clone()];
        if case.age.is_none() {
            out = out
                .iter()
                .flat_map(|c| {
                    [10, 13, 16].map(|a| Case {
                        age: Some(a),
                        ..c.clone()
                    })
                })
                .collect();
        }
        if case.hours_missing.is_none() {
            out = out
                .iter()
                .flat_map(|c| {
                    [2.0, 24.0, 30.0, 80.0].map(|h| Case {
                        hours_missing: Some(h),
                        ..c.clone()
                    })
                })
                .collect();
        }
        if case.police_risk.is_none() {
            out = out
                .iter()
                .flat_map(|c| {
                    PoliceRisk::ALL.map(|(_, r)| Case {
                        police_risk: Some(r),
                        ..c.clone()
                    })
                })
                .collect();
        }
        for field in [
            BoolField::LookedAfter,
            BoolField::WhereaboutsKnown,
            BoolField::Uasc,
        ] {
            if field.value(case).is_none() {
                out = out
                    .iter()
                    .flat_map(|c| {
                        [true, false].map(|v| {
                            let mut c = c.clone();
                            field.set(&mut c, v);
                            c
                        })
                    })
                    .collect();
            }
        }
        out
    }

    #[test]
    fn what_a_condition_depends_on_is_exactly_what_would_make_it_true() {
        let conditions = [
            "{ whereabouts_known = false, looked_after = true }",
            "{ any = [ { whereabouts_known = false }, { police_risk = \"high\" } ] }",
            "{ not = { any = [ { looked_after = true }, { age = { at_most = 12 } } ] } }",
            "{ hours_missing = { more_than = 24 }, not = { police_risk = [\"low\", \"no-apparent-risk\"] } }",
            "{ not = { all = [ { hours_missing = { at_least = 24, less_than = 72 } }, { uasc = true } ] } }",
            "{ days_missing = { at_least = 3 }, any = [ { looked_after = true }, { uasc = true } ] }",
            "{ all = [ { age = { at_least = 13 } }, { age = { at_most = 13 } } ], looked_after = false }",
        ];
        let cases = [
            "{}",
            r#"{"age": 13}"#,
            r#"{"looked_after": true, "hours_missing": 30}"#,
            r#"{"police_risk": "medium", "whereabouts_known": true}"#,
            r#"{"uasc": false, "age": 16, "hours_missing": 2}"#,
        ];
        for src in conditions {
            let c = cond(src);
            for json in cases {
                let given = case(json);
                let t = c.truth(&given, &[]);
                for done in completions(&given) {
                    let applies = c.eval(&done) == Some(true);
                    let promised = match &t {
                        Truth::True => true,
                        Truth::False => false,
                        Truth::Depends(alts) => alts
                            .iter()
                            .any(|alt| alt.iter().all(|n| n.met_by(&done) == Some(true))),
                    };
                    assert_eq!(
                        applies, promised,
                        "{src} for {json} answered as {done:?}: {t:?}"
                    );
                }
            }
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
