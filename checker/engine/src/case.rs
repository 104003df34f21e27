//! A child's circumstances, as the checker is told them, and their validation.
//!
//! Every field is optional: a field left out is unknown, and rules that depend on it do not
//! apply. Bad input never panics: it gives a list of errors, each naming its field.

use crate::condition::fmt_num;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};
use std::borrow::Cow;

/// The police's risk level for a missing person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PoliceRisk {
    NoApparentRisk,
    Low,
    Medium,
    High,
}

impl PoliceRisk {
    pub const ALL: [(&'static str, PoliceRisk); 4] = [
        ("high", PoliceRisk::High),
        ("medium", PoliceRisk::Medium),
        ("low", PoliceRisk::Low),
        ("no-apparent-risk", PoliceRisk::NoApparentRisk),
    ];

    pub fn parse(s: &str) -> Option<PoliceRisk> {
        PoliceRisk::ALL
            .iter()
            .find(|(name, _)| *name == s)
            .map(|(_, r)| *r)
    }

    pub fn name(self) -> &'static str {
        PoliceRisk::ALL
            .iter()
            .find(|(_, r)| *r == self)
            .map(|(n, _)| *n)
            .unwrap_or("unknown")
    }

    /// "high", "no apparent risk": for sentences.
    pub fn words(self) -> &'static str {
        match self {
            PoliceRisk::High => "high",
            PoliceRisk::Medium => "medium",
            PoliceRisk::Low => "low",
            PoliceRisk::NoApparentRisk => "no apparent risk",
        }
    }
}

/// A child's circumstances. Field names are those of the JSON the `check` command reads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Case {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub looked_after: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub care_leaver: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child_protection_plan: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child_in_need: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uasc: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_since_looked_after: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placed_by_other_authority: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub police_risk: Option<PoliceRisk>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub whereabouts_known: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub returned: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours_missing: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_since: Option<DateTime<FixedOffset>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub returned_at: Option<DateTime<FixedOffset>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub now: Option<DateTime<FixedOffset>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub episodes_28_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub episodes_90_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub episodes_12_months: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exploitation_concern: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sen_or_disability: Option<bool>,
}

/// One problem with a case, naming the field it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseError {
    pub field: String,
    pub message: String,
}

impl CaseError {
    fn new(field: &str, message: impl Into<String>) -> Self {
        CaseError {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// The oldest age the checker accepts: protocols extend to care leavers and young people
/// with SEN up to 25.
pub const MAX_AGE: u32 = 25;
/// More hours missing than this (over 11 years) is taken to be a typing mistake.
pub const MAX_HOURS: f64 = 100_000.0;
/// More episodes than this in one window is taken to be a typing mistake.
pub const MAX_EPISODES: u32 = 1000;

const BOOL_FIELDS: [&str; 10] = [
    "looked_after",
    "care_leaver",
    "child_protection_plan",
    "child_in_need",
    "uasc",
    "placed_by_other_authority",
    "whereabouts_known",
    "returned",
    "exploitation_concern",
    "sen_or_disability",
];
const COUNT_FIELDS: [&str; 5] = [
    "age",
    "days_since_looked_after",
    "episodes_28_days",
    "episodes_90_days",
    "episodes_12_months",
];
const TIME_FIELDS: [&str; 3] = ["missing_since", "returned_at", "now"];
const OTHER_FIELDS: [&str; 2] = ["police_risk", "hours_missing"];

/// One answer as a JSON case or a link gives it, before it is checked.
#[derive(Debug, Clone, PartialEq)]
pub enum Given<'a> {
    /// JSON's `null`: as if the field were left out.
    Nothing,
    Bool(bool),
    /// A number written without a fraction: the only kind a count may be.
    Whole(u64),
    Number(f64),
    Text(Cow<'a, str>),
    /// A JSON list or object: never an answer.
    Other,
}

impl Given<'_> {
    fn as_bool(&self) -> Option<bool> {
        match self {
            Given::Bool(b) => Some(*b),
            _ => None,
        }
    }

    fn as_u64(&self) -> Option<u64> {
        match self {
            Given::Whole(n) => Some(*n),
            _ => None,
        }
    }

    fn as_f64(&self) -> Option<f64> {
        match self {
            Given::Whole(n) => Some(*n as f64),
            Given::Number(x) => Some(*x),
            _ => None,
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Given::Text(s) => Some(s),
            _ => None,
        }
    }

    fn from_json(v: &Value) -> Given<'_> {
        match v {
            Value::Null => Given::Nothing,
            Value::Bool(b) => Given::Bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_f64()) {
                (Some(whole), _) => Given::Whole(whole),
                (None, Some(x)) => Given::Number(x),
                (None, None) => Given::Other,
            },
            Value::String(s) => Given::Text(Cow::Borrowed(s)),
            Value::Array(_) | Value::Object(_) => Given::Other,
        }
    }

    fn to_json(&self) -> Value {
        match self {
            Given::Nothing | Given::Other => Value::Null,
            Given::Bool(b) => Value::Bool(*b),
            Given::Whole(n) => Value::Number((*n).into()),
            Given::Number(x) => Number::from_f64(*x).map_or(Value::Null, Value::Number),
            Given::Text(s) => Value::String(s.to_string()),
        }
    }
}

/// How many fields a case may have.
const FIELDS: usize =
    BOOL_FIELDS.len() + COUNT_FIELDS.len() + TIME_FIELDS.len() + OTHER_FIELDS.len();

/// The place of a field in [`field_names`] (the yes/no fields first), if it is one.
fn field_index(name: &str) -> Option<usize> {
    Some(match name {
        "looked_after" => 0,
        "care_leaver" => 1,
        "child_protection_plan" => 2,
        "child_in_need" => 3,
        "uasc" => 4,
        "placed_by_other_authority" => 5,
        "whereabouts_known" => 6,
        "returned" => 7,
        "exploitation_concern" => 8,
        "sen_or_disability" => 9,
        "age" => 10,
        "days_since_looked_after" => 11,
        "episodes_28_days" => 12,
        "episodes_90_days" => 13,
        "episodes_12_months" => 14,
        "missing_since" => 15,
        "returned_at" => 16,
        "now" => 17,
        "police_risk" => 18,
        "hours_missing" => 19,
        _ => return None,
    })
}

/// Every field name a case may have.
pub fn field_names() -> impl Iterator<Item = &'static str> {
    BOOL_FIELDS
        .iter()
        .chain(COUNT_FIELDS.iter())
        .chain(TIME_FIELDS.iter())
        .chain(OTHER_FIELDS.iter())
        .copied()
}

impl Case {
    /// Reads a case from JSON, collecting every problem.
    pub fn from_json_str(text: &str) -> Result<Case, Vec<CaseError>> {
        match serde_json::from_str::<Value>(text) {
            Ok(v) => Case::from_json(&v),
            Err(e) => Err(vec![CaseError::new(
                "",
                format!("the case is not valid JSON: {e}"),
            )]),
        }
    }

    /// Reads a case from a JSON value, collecting every problem.
    pub fn from_json(value: &Value) -> Result<Case, Vec<CaseError>> {
        let Some(map) = value.as_object() else {
            return Err(vec![CaseError::new(
                "",
                "the case must be a JSON object, like {\"age\": 15}",
            )]);
        };
        Case::from_given(map.iter().map(|(k, v)| (k.as_str(), Given::from_json(v))))
    }

    /// Reads a case from its fields' answers, collecting every problem.
    pub fn from_given<'a>(
        answers: impl IntoIterator<Item = (&'a str, Given<'a>)>,
    ) -> Result<Case, Vec<CaseError>> {
        let mut errors = Vec::new();
        let mut case = Case::default();
        // Each known field's value, found in one pass over the answers (not looked up in them
        // by name for every field).
        let mut given: [Option<Given>; FIELDS] = [const { None }; FIELDS];
        for (key, v) in answers {
            let at = field_index(key);
            if at.is_some_and(|at| at < BOOL_FIELDS.len())
                && v != Given::Nothing
                && v.as_bool().is_none()
            {
                errors.push(CaseError::new(key, format!("{key} must be true or false")));
            }
            match at {
                Some(at) => given[at] = Some(v).filter(|v| *v != Given::Nothing),
                None => errors.push(CaseError::new(
                    key,
                    format!(
                        "unknown field `{key}`; the fields are: {}",
                        field_names().collect::<Vec<_>>().join(", ")
                    ),
                )),
            }
        }
        let get = |name: &str| field_index(name).and_then(|at| given[at].as_ref());
        let b = |name: &str| get(name).and_then(Given::as_bool);
        case.looked_after = b("looked_after");
        case.care_leaver = b("care_leaver");
        case.child_protection_plan = b("child_protection_plan");
        case.child_in_need = b("child_in_need");
        case.uasc = b("uasc");
        case.placed_by_other_authority = b("placed_by_other_authority");
        case.whereabouts_known = b("whereabouts_known");
        case.returned = b("returned");
        case.exploitation_concern = b("exploitation_concern");
        case.sen_or_disability = b("sen_or_disability");

        let count = |name: &str, min: u32, max: u32, errors: &mut Vec<CaseError>| {
            count(get(name), name, min, max, errors)
        };
        case.age = count("age", 0, MAX_AGE, &mut errors);
        case.days_since_looked_after = count("days_since_looked_after", 0, 100_000, &mut errors);
        case.episodes_28_days = count("episodes_28_days", 1, MAX_EPISODES, &mut errors);
        case.episodes_90_days = count("episodes_90_days", 1, MAX_EPISODES, &mut errors);
        case.episodes_12_months = count("episodes_12_months", 1, MAX_EPISODES, &mut errors);

        if let Some(v) = get("hours_missing") {
            match v.as_f64() {
                Some(h) if h.is_finite() && (0.0..=MAX_HOURS).contains(&h) => {
                    case.hours_missing = Some(h)
                }
                Some(h) if h < 0.0 => errors.push(CaseError::new(
                    "hours_missing",
                    "hours_missing must be 0 or more",
                )),
                Some(_) => errors.push(CaseError::new(
                    "hours_missing",
                    format!("hours_missing must be {} or less", fmt_num(MAX_HOURS)),
                )),
                None => errors.push(CaseError::new(
                    "hours_missing",
                    "hours_missing must be a number of hours, like 26",
                )),
            }
        }
        if let Some(v) = get("police_risk") {
            match v.as_str().and_then(PoliceRisk::parse) {
                Some(r) => case.police_risk = Some(r),
                None => errors.push(CaseError::new(
                    "police_risk",
                    "police_risk must be one of: high, medium, low, no-apparent-risk",
                )),
            }
        }
        case.missing_since = time(get("missing_since"), "missing_since", &mut errors);
        case.returned_at = time(get("returned_at"), "returned_at", &mut errors);
        case.now = time(get("now"), "now", &mut errors);

        errors.extend(case.check());
        if errors.is_empty() {
            Ok(case)
        } else {
            Err(errors)
        }
    }

    /// Checks that the fields agree with each other.
    pub fn check(&self) -> Vec<CaseError> {
        let mut errors = Vec::new();
        if let Some(a) = self.age
            && a > MAX_AGE
        {
            errors.push(CaseError::new(
                "age",
                format!("age must be {MAX_AGE} or under"),
            ));
        }
        if self.missing_since.is_some() && self.hours_missing.is_some() {
            errors.push(CaseError::new(
                "hours_missing",
                "give either hours_missing or missing_since, not both",
            ));
        }
        if let (Some(since), Some(back)) = (self.missing_since, self.returned_at)
            && back < since
        {
            errors.push(CaseError::new(
                "returned_at",
                "returned_at must be the same as or after missing_since",
            ));
        }
        if self.returned_at.is_some() && self.missing_since.is_none() {
            errors.push(CaseError::new(
                "missing_since",
                "give missing_since when you give returned_at",
            ));
        }
        if self.returned_at.is_some() && self.returned == Some(false) {
            errors.push(CaseError::new(
                "returned",
                "returned is false but returned_at is given",
            ));
        }
        if let Some(now) = self.now {
            if let Some(since) = self.missing_since
                && since > now
            {
                errors.push(CaseError::new(
                    "missing_since",
                    "missing_since must be now or in the past",
                ));
            }
            if let Some(back) = self.returned_at
                && back > now
            {
                errors.push(CaseError::new(
                    "returned_at",
                    "returned_at must be now or in the past",
                ));
            }
        }
        let windows = [
            ("episodes_28_days", self.episodes_28_days),
            ("episodes_90_days", self.episodes_90_days),
            ("episodes_12_months", self.episodes_12_months),
        ];
        for (i, (short_name, short)) in windows.iter().enumerate() {
            for (long_name, long) in &windows[i + 1..] {
                if let (Some(s), Some(l)) = (short, long)
                    && s > l
                {
                    errors.push(CaseError::new(
                        long_name,
                        format!(
                            "{long_name} ({l}) cannot be fewer than {short_name} ({s}): the longer window includes the shorter"
                        ),
                    ));
                }
            }
        }
        errors
    }

    /// True when the child is known to have returned or been found.
    pub fn is_returned(&self) -> Option<bool> {
        if self.returned_at.is_some() {
            Some(true)
        } else {
            self.returned
        }
    }

    /// Hours missing: as given, or from missing_since to returned_at (or now).
    pub fn hours(&self) -> Option<f64> {
        if self.hours_missing.is_some() {
            return self.hours_missing;
        }
        let since = self.missing_since?;
        let until = self.returned_at.or(self.now)?;
        let seconds = (until - since).num_seconds();
        Some(seconds.max(0) as f64 / 3600.0)
    }

    /// When the child went missing: as given, or `now` less the hours missing.
    pub fn missing_start(&self) -> Option<DateTime<FixedOffset>> {
        if self.missing_since.is_some() {
            return self.missing_since;
        }
        if self.is_returned() == Some(true) {
            return None;
        }
        let hours = self.hours_missing?;
        let now = self.now?;
        let seconds = (hours * 3600.0).round() as i64;
        now.checked_sub_signed(chrono::Duration::seconds(seconds))
    }

    /// The fields that are set and their answers, in the order of [`field_names`].
    pub fn given(&self) -> Vec<(&'static str, Given<'static>)> {
        let yes_no = |v: Option<bool>| v.map(Given::Bool);
        let whole = |v: Option<u32>| v.map(|n| Given::Whole(n.into()));
        let time = |v: Option<DateTime<FixedOffset>>| v.map(|t| Given::Text(t.to_rfc3339().into()));
        field_names()
            .filter_map(|name| {
                let v = match name {
                    "looked_after" => yes_no(self.looked_after),
                    "care_leaver" => yes_no(self.care_leaver),
                    "child_protection_plan" => yes_no(self.child_protection_plan),
                    "child_in_need" => yes_no(self.child_in_need),
                    "uasc" => yes_no(self.uasc),
                    "placed_by_other_authority" => yes_no(self.placed_by_other_authority),
                    "whereabouts_known" => yes_no(self.whereabouts_known),
                    "returned" => yes_no(self.returned),
                    "exploitation_concern" => yes_no(self.exploitation_concern),
                    "sen_or_disability" => yes_no(self.sen_or_disability),
                    "age" => whole(self.age),
                    "days_since_looked_after" => whole(self.days_since_looked_after),
                    "episodes_28_days" => whole(self.episodes_28_days),
                    "episodes_90_days" => whole(self.episodes_90_days),
                    "episodes_12_months" => whole(self.episodes_12_months),
                    "missing_since" => time(self.missing_since),
                    "returned_at" => time(self.returned_at),
                    "now" => time(self.now),
                    "police_risk" => self.police_risk.map(|r| Given::Text(r.name().into())),
                    "hours_missing" => self.hours_missing.map(Given::Number),
                    _ => None,
                };
                Some((name, v?))
            })
            .collect()
    }

    /// The case as a JSON object with only the fields that are set.
    pub fn to_json(&self) -> Value {
        let map: Map<String, Value> = self
            .given()
            .into_iter()
            .map(|(name, v)| (name.to_string(), v.to_json()))
            .collect();
        Value::Object(map)
    }
}

fn count(
    v: Option<&Given>,
    name: &str,
    min: u32,
    max: u32,
    errors: &mut Vec<CaseError>,
) -> Option<u32> {
    let v = v?;
    match v.as_u64() {
        Some(n) if n >= u64::from(min) && n <= u64::from(max) => u32::try_from(n).ok(),
        Some(n) if n < u64::from(min) => {
            errors.push(CaseError::new(
                name,
                format!("{name} must be {min} or more (count this episode too)"),
            ));
            None
        }
        Some(_) => {
            errors.push(CaseError::new(
                name,
                format!("{name} must be {max} or under"),
            ));
            None
        }
        None => {
            errors.push(CaseError::new(
                name,
                format!("{name} must be a whole number, like 3"),
            ));
            None
        }
    }
}

fn time(
    v: Option<&Given>,
    name: &str,
    errors: &mut Vec<CaseError>,
) -> Option<DateTime<FixedOffset>> {
    match v?.as_str().map(DateTime::parse_from_rfc3339) {
        Some(Ok(t)) => Some(t),
        _ => {
            errors.push(CaseError::new(
                name,
                format!(
                    "{name} must be a date and time with its UTC offset, like 2025-10-24T10:00:00+01:00"
                ),
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_field_has_its_place() {
        for (at, name) in field_names().enumerate() {
            assert_eq!(field_index(name), Some(at), "{name}");
        }
        assert_eq!(field_names().count(), FIELDS);
        assert_eq!(field_index("colour"), None);
        assert_eq!(field_index(""), None);
    }

    fn fields(errors: &[CaseError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn a_full_case_reads() {
        let case = Case::from_json_str(
            r#"{"age": 15, "looked_after": true, "police_risk": "high", "hours_missing": 26.5,
                "episodes_28_days": 2, "episodes_90_days": 3}"#,
        )
        .expect("valid case");
        assert_eq!(case.age, Some(15));
        assert_eq!(case.police_risk, Some(PoliceRisk::High));
        assert_eq!(case.hours(), Some(26.5));
    }

    #[test]
    fn every_bad_field_is_named() {
        let errors = Case::from_json_str(
            r#"{"age": "fifteen", "colour": "red", "looked_after": "yes",
                "police_risk": "severe", "hours_missing": -1, "episodes_28_days": 0,
                "now": "yesterday"}"#,
        )
        .expect_err("invalid case");
        let f = fields(&errors);
        for name in [
            "age",
            "colour",
            "looked_after",
            "police_risk",
            "hours_missing",
            "episodes_28_days",
            "now",
        ] {
            assert!(f.contains(&name), "no error for {name}: {errors:?}");
        }
    }

    #[test]
    fn ages_over_25_and_fractions_are_refused() {
        let e = Case::from_json_str(r#"{"age": 26}"#).expect_err("too old");
        assert_eq!(e[0].message, "age must be 25 or under");
        let e = Case::from_json_str(r#"{"age": 12.5}"#).expect_err("fraction");
        assert_eq!(e[0].field, "age");
    }

    #[test]
    fn times_must_agree() {
        let e = Case::from_json_str(
            r#"{"missing_since": "2025-10-24T10:00:00+01:00", "returned_at": "2025-10-23T10:00:00+01:00",
                "now": "2025-10-22T10:00:00+01:00"}"#,
        )
        .expect_err("inconsistent");
        let f = fields(&e);
        assert!(f.contains(&"returned_at"));
        assert!(f.contains(&"missing_since"));
        let e = Case::from_json_str(r#"{"episodes_28_days": 4, "episodes_90_days": 3}"#)
            .expect_err("windows");
        assert_eq!(fields(&e), vec!["episodes_90_days"]);
    }

    #[test]
    fn hours_come_from_the_times() {
        let case = Case::from_json_str(
            r#"{"missing_since": "2025-10-24T10:00:00+01:00", "now": "2025-10-25T12:30:00+01:00"}"#,
        )
        .expect("valid");
        assert_eq!(case.hours(), Some(26.5));
        let case = Case::from_json_str(r#"{"hours_missing": 5, "now": "2025-10-25T12:00:00Z"}"#)
            .expect("valid");
        assert_eq!(
            case.missing_start().map(|t| t.to_rfc3339()),
            Some("2025-10-25T07:00:00+00:00".to_string())
        );
    }

    #[test]
    fn the_json_round_trips() {
        let case = Case::from_json_str(
            r#"{"age": 9, "returned": true, "missing_since": "2025-10-24T10:00:00+01:00"}"#,
        )
        .expect("valid");
        assert_eq!(Case::from_json(&case.to_json()), Ok(case));
    }
}
