//! What the reader typed, and how it becomes a case. Nothing is checked until the reader asks
//! for the result; then every problem is listed, each naming its field, and nothing typed is
//! lost. Pure: tested on the host.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, Timelike};
use handbook_engine::case::{Case, MAX_AGE, MAX_EPISODES, MAX_HOURS, PoliceRisk};
use handbook_engine::{Protocol, deadline};

/// The protocol value that asks for every protocol's answer side by side.
pub const COMPARE: &str = "all";

/// The ids of the form's fields: error links point at them.
pub mod ids {
    pub const PROTOCOL: &str = "mcph-protocol";
    pub const WHO: &str = "mcph-who";
    pub const AGE: &str = "mcph-age";
    pub const LOOKED_AFTER: &str = "mcph-looked-after";
    pub const RETURNED: &str = "mcph-returned";
    pub const TIME_MODE: &str = "mcph-time-mode";
    pub const HOURS: &str = "mcph-hours";
    pub const SINCE: &str = "mcph-since";
    pub const BACK: &str = "mcph-back";
    pub const EPISODES_28: &str = "mcph-episodes-28";
    pub const EPISODES_90: &str = "mcph-episodes-90";
    pub const EPISODES_12M: &str = "mcph-episodes-12m";
    pub const RISK: &str = "mcph-risk";
    pub const WHEREABOUTS: &str = "mcph-whereabouts";
    pub const CPP: &str = "mcph-cpp";
    pub const CIN: &str = "mcph-cin";
    pub const CARE_LEAVER: &str = "mcph-care-leaver";
    pub const UASC: &str = "mcph-uasc";
    pub const DAYS_LOOKED_AFTER: &str = "mcph-days-looked-after";
    pub const PLACED: &str = "mcph-placed";
    pub const EXPLOITATION: &str = "mcph-exploitation";
    pub const SEN: &str = "mcph-sen";
    pub const SOCIAL_CARE: &str = "mcph-social-care";

    /// The id of a date's day box (error links go to the first box).
    pub fn day(date: &str) -> String {
        format!("{date}-day")
    }
}

/// A date and time as typed: day, month, year and clock time, in UK time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DateTimeParts {
    pub day: String,
    pub month: String,
    pub year: String,
    pub time: String,
}

impl DateTimeParts {
    fn is_empty(&self) -> bool {
        [&self.day, &self.month, &self.year, &self.time]
            .iter()
            .all(|s| s.trim().is_empty())
    }

    fn from_time(t: DateTime<FixedOffset>) -> Self {
        let local = deadline::to_london(t);
        DateTimeParts {
            day: local.day().to_string(),
            month: local.month().to_string(),
            year: local.year().to_string(),
            time: format!("{:02}:{:02}", local.hour(), local.minute()),
        }
    }
}

/// A yes/no question that is asked only when the chosen protocol's rules use its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YesNo {
    /// The case field.
    pub field: &'static str,
    pub id: &'static str,
    pub question: &'static str,
    pub hint: Option<&'static str>,
}

/// The yes/no questions, in the order they are asked. Which are on the main form and which
/// sit behind "More about the child's circumstances" is the protocol's (see [`Asked`]).
pub const QUESTIONS: [YesNo; 9] = [
    YesNo {
        field: "whereabouts_known",
        id: ids::WHEREABOUTS,
        question: "Do you know where the child is?",
        hint: Some("Asked only while the child is not back."),
    },
    YesNo {
        field: "looked_after",
        id: ids::LOOKED_AFTER,
        question: "Is the child looked after (in care)?",
        hint: Some(
            "Looked after means in the care of a council: in foster care, a children's home or another placement.",
        ),
    },
    YesNo {
        field: "child_protection_plan",
        id: ids::CPP,
        question: "Is the child on a child protection plan?",
        hint: None,
    },
    YesNo {
        field: "child_in_need",
        id: ids::CIN,
        question: "Is the child a child in need?",
        hint: None,
    },
    YesNo {
        field: "care_leaver",
        id: ids::CARE_LEAVER,
        question: "Is the young person a care leaver?",
        hint: None,
    },
    YesNo {
        field: "uasc",
        id: ids::UASC,
        question: "Is the child an unaccompanied asylum-seeking child?",
        hint: None,
    },
    YesNo {
        field: "placed_by_other_authority",
        id: ids::PLACED,
        question: "Was the child placed here by another council?",
        hint: None,
    },
    YesNo {
        field: "exploitation_concern",
        id: ids::EXPLOITATION,
        question: "Is there a concern that the child is being exploited?",
        hint: Some("For example sexual or criminal exploitation, or trafficking."),
    },
    YesNo {
        field: "sen_or_disability",
        id: ids::SEN,
        question: "Does the child have special educational needs or a disability?",
        hint: None,
    },
];

/// The episode-count questions: (case field, id, window in words).
pub const EPISODES: [(&str, &str, &str); 3] = [
    ("episodes_28_days", ids::EPISODES_28, "28 days"),
    ("episodes_90_days", ids::EPISODES_90, "90 days"),
    ("episodes_12_months", ids::EPISODES_12M, "12 months"),
];

/// The police risk levels, as offered.
pub const RISKS: [(&str, &str); 5] = [
    ("high", "High"),
    ("medium", "Medium"),
    ("low", "Low"),
    ("no-apparent-risk", "No apparent risk"),
    ("unsure", "Not known"),
];

/// The one question "Is the child known to children's social care?": its answers, each the
/// case field it answers yes (the others of these answered no).
pub const SOCIAL_CARE: [(&str, &str); 4] = [
    ("looked_after", "Yes, looked after (in care)"),
    ("child_protection_plan", "Yes, on a child protection plan"),
    ("child_in_need", "Yes, a child in need"),
    ("care_leaver", "Yes, a care leaver"),
];

/// Which questions to ask: the case fields some rule of the chosen protocol(s) reads; and
/// which of them go on the main form (the protocols' own measure, `Protocol::main_questions`).
/// (Each a list of case fields in the engine's order: a set of a few names.)
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Asked {
    asked: Vec<&'static str>,
    main: Vec<&'static str>,
}

impl Asked {
    pub fn for_protocols<'a>(protocols: impl IntoIterator<Item = &'a Protocol>) -> Asked {
        let always = ["age", "returned", "hours_missing"];
        let (mut asked, mut main) = (Vec::from(always), Vec::from(always));
        for p in protocols {
            asked.extend(p.fields_used());
            // The names as the engine spells them (the protocol's list is data).
            main.extend(
                handbook_engine::case::field_names()
                    .filter(|f| p.main_questions.iter().any(|m| m == f)),
            );
        }
        let in_order = |names: Vec<&'static str>| {
            handbook_engine::case::field_names()
                .filter(|f| names.contains(f))
                .collect()
        };
        Asked {
            asked: in_order(asked),
            main: in_order(main),
        }
    }

    pub fn asks(&self, field: &str) -> bool {
        self.asked.contains(&field)
    }

    /// True when the question is on the main form (not behind "More").
    pub fn is_main(&self, field: &str) -> bool {
        self.asks(field) && self.main.contains(&field)
    }

    /// The answers of "Is the child known to children's social care?" this form offers: one
    /// for each of its fields the protocols read.
    pub fn social_care(&self) -> Vec<(&'static str, &'static str)> {
        SOCIAL_CARE
            .iter()
            .copied()
            .filter(|(f, _)| self.asks(f))
            .collect()
    }

    /// The yes/no questions behind "More": those not on the main form, and the single
    /// questions behind "Is the child known to children's social care?" (for answers it
    /// cannot give, such as "not looked after" alone).
    pub fn more(&self) -> Vec<&'static YesNo> {
        QUESTIONS
            .iter()
            .filter(|q| {
                self.asks(q.field)
                    && (!self.is_main(q.field) || SOCIAL_CARE.iter().any(|(f, _)| *f == q.field))
            })
            .collect()
    }

    /// True when some question behind "More about the child's circumstances" is asked.
    pub fn asks_more(&self) -> bool {
        !self.more().is_empty() || self.asks("days_since_looked_after")
    }
}

/// Everything typed or chosen, as text, exactly as the reader left it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Form {
    /// A protocol id, [`COMPARE`], or "" (not chosen).
    pub protocol: String,
    /// Who is asking: an actor's id from the vocabulary, "looking" (just looking), or "" (not
    /// said). Not part of the case: it only decides what the result opens with.
    pub who: String,
    pub age: String,
    /// Yes/no answers by case field: "yes", "no", "unsure", or absent (not answered).
    pub yes_no: ByField,
    /// "yes" (found or back), "no" (still missing), "unsure", or "".
    pub returned: String,
    /// "dates" (missing since...), "hours" (how long), "unsure", or "".
    pub time_mode: String,
    pub hours: String,
    pub since: DateTimeParts,
    pub back: DateTimeParts,
    /// Episode counts by case field.
    pub episodes: ByField,
    /// A police risk name, "unsure", or "".
    pub risk: String,
    pub days_looked_after: String,
}

/// Answers by case field, as typed or chosen. (A few fields: a list in the order of the
/// case's fields, not a map.)
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ByField(Vec<(&'static str, String)>);

impl ByField {
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, v)| v.as_str())
    }

    pub fn insert(&mut self, field: &'static str, value: String) {
        match self.0.iter_mut().find(|(f, _)| *f == field) {
            Some(slot) => slot.1 = value,
            None => {
                self.0.push((field, value));
                let place = |f: &str| handbook_engine::case::field_names().position(|n| n == f);
                handbook_engine::order::sort_by_key(&mut self.0, |(f, _)| place(f));
            }
        }
    }
}

impl<const N: usize> From<[(&'static str, String); N]> for ByField {
    fn from(answers: [(&'static str, String); N]) -> Self {
        let mut out = ByField::default();
        for (field, value) in answers {
            out.insert(field, value);
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The id of the field's input (the first radio of a group, the day box of a date).
    pub field: String,
    pub message: String,
}

fn err(field: impl Into<String>, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

fn yes_no(s: &str) -> Option<bool> {
    match s {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

/// A whole number typed by a person: digits only, spaces around allowed.
fn whole(s: &str) -> Option<u64> {
    let t = s.trim();
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit()) || t.len() > 9 {
        return None;
    }
    t.parse().ok()
}

/// A clock time as people write it: "21:30", "9:30pm", "9.30 pm", "9pm", "0930", "midday".
pub fn parse_time(s: &str) -> Result<NaiveTime, &'static str> {
    let t = s.trim().to_ascii_lowercase().replace(' ', "");
    if t == "midnight" {
        return Err("Enter 12am for the start of a day or 11:59pm for the end of it");
    }
    if t == "midday" || t == "noon" {
        return NaiveTime::from_hms_opt(12, 0, 0).ok_or("Enter a real time");
    }
    let (digits, suffix) = if let Some(d) = t.strip_suffix("am") {
        (d, Some(false))
    } else if let Some(d) = t.strip_suffix("pm") {
        (d, Some(true))
    } else {
        (t.as_str(), None)
    };
    let (h, m) = match digits.split_once([':', '.']) {
        Some((h, m)) => (h, m),
        None if digits.len() == 4 && suffix.is_none() => digits.split_at(2),
        None => (digits, "00"),
    };
    let bad = "Enter a real time, like 9:30pm or 21:30";
    if h.is_empty()
        || m.len() != 2
        || !h.chars().chain(m.chars()).all(|c| c.is_ascii_digit())
        || h.len() > 2
    {
        return Err(bad);
    }
    let (mut hour, minute): (u32, u32) = (h.parse().map_err(|_| bad)?, m.parse().map_err(|_| bad)?);
    match suffix {
        Some(pm) => {
            if !(1..=12).contains(&hour) {
                return Err(bad);
            }
            hour = match (hour, pm) {
                (12, false) => 0,
                (12, true) => 12,
                (h, true) => h + 12,
                (h, false) => h,
            };
        }
        None if hour > 23 => return Err(bad),
        None => {}
    }
    NaiveTime::from_hms_opt(hour, minute, 0).ok_or(bad)
}

/// A date and time typed in parts, as a UK time. `what` names it in messages ("The date the child went missing").
fn parse_date_time(
    parts: &DateTimeParts,
    id: &str,
    what: &str,
    time_what: &str,
) -> Result<DateTime<FixedOffset>, Vec<FieldError>> {
    let day_id = ids::day(id);
    let named = [
        ("day", parts.day.trim()),
        ("month", parts.month.trim()),
        ("year", parts.year.trim()),
    ];
    let missing: Vec<&str> = named
        .iter()
        .filter(|(_, v)| v.is_empty())
        .map(|(n, _)| *n)
        .collect();
    let mut errors = Vec::new();
    let date = if missing.len() == 3 {
        // "The date the child went missing" -> "Enter the date the child went missing".
        let lower = what.replacen("The ", "the ", 1);
        errors.push(err(&day_id, format!("Enter {lower}")));
        None
    } else if !missing.is_empty() {
        errors.push(err(
            &day_id,
            format!("{what} must include a {}", missing.join(" and a ")),
        ));
        None
    } else {
        let n = |s: &str| whole(s).and_then(|x| u32::try_from(x).ok());
        match (n(named[0].1), n(named[1].1), named[2].1) {
            (_, _, y) if y.len() != 4 || !y.chars().all(|c| c.is_ascii_digit()) => {
                errors.push(err(&day_id, "Year must include 4 numbers, like 2025"));
                None
            }
            (Some(d), Some(m), y) => {
                match y
                    .parse::<i32>()
                    .ok()
                    .and_then(|y| NaiveDate::from_ymd_opt(y, m, d))
                {
                    Some(date) => Some(date),
                    None => {
                        errors.push(err(&day_id, "Enter a real date"));
                        None
                    }
                }
            }
            _ => {
                errors.push(err(&day_id, "Enter a real date"));
                None
            }
        }
    };
    let time_id = format!("{id}-time");
    let time = if parts.time.trim().is_empty() {
        errors.push(err(
            &time_id,
            format!("Enter the time {time_what}, like 9:30pm or 21:30"),
        ));
        None
    } else {
        match parse_time(&parts.time) {
            Ok(t) => Some(t),
            Err(m) => {
                errors.push(err(&time_id, m));
                None
            }
        }
    };
    let (Some(date), Some(time)) = (date, time) else {
        return Err(errors);
    };
    deadline::uk_time(date.and_time(time)).ok_or_else(|| {
        vec![err(
            &time_id,
            "That time did not happen in the UK: the clocks went forward from 1am to 2am that night. Enter a time before 1am or from 2am",
        )]
    })
}

/// A clock time in words, UK time: "1:56pm", "9am".
fn clock(t: DateTime<FixedOffset>) -> String {
    let local = deadline::to_london(t);
    let (pm, hour) = local.hour12();
    let suffix = if pm { "pm" } else { "am" };
    match local.minute() {
        0 => format!("{hour}{suffix}"),
        m => format!("{hour}:{m:02}{suffix}"),
    }
}

/// The message for a date and time later than now: on the same day, most likely yesterday's
/// was meant; on a later day, it must be today or before.
fn later_than_now(
    t: DateTime<FixedOffset>,
    now: DateTime<FixedOffset>,
    what: &str,
    verb: &str,
) -> String {
    if deadline::to_london(t).date_naive() == deadline::to_london(now).date_naive() {
        format!(
            "That time is later than now ({}). Did the child {verb} yesterday?",
            clock(now)
        )
    } else {
        format!("{what} must be today or in the past")
    }
}

/// The form's field id for a case field, for the engine's own messages.
fn id_of(field: &str) -> String {
    match field {
        "age" => ids::AGE.to_string(),
        "missing_since" | "now" => ids::day(ids::SINCE),
        "returned_at" => ids::day(ids::BACK),
        "hours_missing" => ids::HOURS.to_string(),
        "police_risk" => ids::RISK.to_string(),
        "returned" => ids::RETURNED.to_string(),
        "days_since_looked_after" => ids::DAYS_LOOKED_AFTER.to_string(),
        f => EPISODES
            .iter()
            .find(|(name, _, _)| *name == f)
            .map(|(_, id, _)| id.to_string())
            .or_else(|| {
                QUESTIONS
                    .iter()
                    .find(|q| q.field == f)
                    .map(|q| q.id.to_string())
            })
            .unwrap_or_else(|| ids::AGE.to_string()),
    }
}

impl Form {
    pub fn yes_no(&self, field: &str) -> &str {
        self.yes_no.get(field).unwrap_or("")
    }

    /// The answer to "Is the child known to children's social care?" that the yes/no answers
    /// of its fields amount to: one field yes and the others no, all no ("none"), all not
    /// sure ("unsure"), or "" (none of these: the single answers say more).
    pub fn social_care(&self, asked: &Asked) -> &'static str {
        let fields = asked.social_care();
        if fields.is_empty() {
            return "";
        }
        let answers: Vec<&str> = fields.iter().map(|(f, _)| self.yes_no(f)).collect();
        if answers.iter().all(|a| *a == "no") {
            return "none";
        }
        if answers.iter().all(|a| *a == "unsure") {
            return "unsure";
        }
        let yes: Vec<&str> = fields
            .iter()
            .zip(&answers)
            .filter(|(_, a)| **a == "yes")
            .map(|((f, _), _)| *f)
            .collect();
        match yes.as_slice() {
            [one] if answers.iter().all(|a| matches!(*a, "yes" | "no")) => one,
            _ => "",
        }
    }

    /// Answers "Is the child known to children's social care?": a field's name (that one yes,
    /// the others no), "none" (all no) or "unsure" (all not sure).
    pub fn set_social_care(&mut self, answer: &str) {
        for (field, _) in SOCIAL_CARE {
            let value = match answer {
                "unsure" => "unsure",
                a if a == field => "yes",
                _ => "no",
            };
            self.yes_no.insert(field, value.to_string());
        }
    }

    pub fn episodes(&self, field: &str) -> &str {
        self.episodes.get(field).unwrap_or("")
    }

    /// True when the reader has said the child is back.
    pub fn is_back(&self) -> bool {
        self.returned == "yes"
    }

    /// The case the form describes, as at `now`, or every problem with it. Questions not
    /// asked (see [`Asked`]) are left out, whatever they hold.
    pub fn to_case(
        &self,
        asked: &Asked,
        now: DateTime<FixedOffset>,
    ) -> Result<Case, Vec<FieldError>> {
        let mut errors = Vec::new();
        // "Now" matters only with dates: "roughly 30 hours" gives no time to count from.
        let mut case = Case {
            now: (self.time_mode == "dates").then_some(now),
            ..Case::default()
        };
        if self.protocol.trim().is_empty() {
            // The other questions appear once a protocol is chosen.
            return Err(vec![err(
                ids::PROTOCOL,
                "Select the protocol to check against",
            )]);
        }
        let age = self.age.trim();
        if age.is_empty() {
            errors.push(err(ids::AGE, "Enter the child's age"));
        } else {
            match whole(age) {
                None => errors.push(err(ids::AGE, "Age must be a whole number, like 15")),
                Some(a) if a > u64::from(MAX_AGE) => {
                    errors.push(err(ids::AGE, "Age must be 25 or under"))
                }
                Some(a) => case.age = u32::try_from(a).ok(),
            }
        }
        let mut set_bool = |field: &str, value: Option<bool>| match field {
            "looked_after" => case.looked_after = value,
            "whereabouts_known" => case.whereabouts_known = value,
            "child_protection_plan" => case.child_protection_plan = value,
            "child_in_need" => case.child_in_need = value,
            "care_leaver" => case.care_leaver = value,
            "uasc" => case.uasc = value,
            "placed_by_other_authority" => case.placed_by_other_authority = value,
            "exploitation_concern" => case.exploitation_concern = value,
            "sen_or_disability" => case.sen_or_disability = value,
            _ => {}
        };
        for q in &QUESTIONS {
            // Whereabouts are asked only while the child is not back.
            if asked.asks(q.field) && !(q.field == "whereabouts_known" && self.is_back()) {
                set_bool(q.field, yes_no(self.yes_no(q.field)));
            }
        }
        case.returned = yes_no(&self.returned);
        match self.time_mode.as_str() {
            "hours" => {
                let hours = self.hours.trim();
                if hours.is_empty() {
                    errors.push(err(
                        ids::HOURS,
                        "Enter how many hours the child has been missing, like 26 or 2.5",
                    ));
                } else {
                    match handbook_engine::condition::parse_num(hours) {
                        Some(h) if h <= MAX_HOURS => case.hours_missing = Some(h),
                        Some(_) => {
                            errors.push(err(ids::HOURS, "Hours missing must be 100000 or fewer"))
                        }
                        None if hours.starts_with('-') => {
                            errors.push(err(ids::HOURS, "Hours missing must be 0 or more"))
                        }
                        _ => errors.push(err(
                            ids::HOURS,
                            "Hours missing must be a number, like 26 or 2.5",
                        )),
                    }
                }
            }
            "dates" => {
                match parse_date_time(
                    &self.since,
                    ids::SINCE,
                    "The date the child went missing",
                    "the child went missing",
                ) {
                    Ok(t) if t > now => errors.push(err(
                        ids::day(ids::SINCE),
                        later_than_now(t, now, "The date the child went missing", "go missing"),
                    )),
                    Ok(t) => case.missing_since = Some(t),
                    Err(e) => errors.extend(e),
                }
                if self.is_back() && !self.back.is_empty() {
                    match parse_date_time(
                        &self.back,
                        ids::BACK,
                        "The date the child was found or came back",
                        "the child was found or came back",
                    ) {
                        Ok(t) if t > now => errors.push(err(
                            ids::day(ids::BACK),
                            later_than_now(t, now, "The date the child was found or came back", "come back"),
                        )),
                        Ok(t) if case.missing_since.is_some_and(|s| t < s) => errors.push(err(
                            ids::day(ids::BACK),
                            "The date the child was found or came back must be the same as or after the date the child went missing",
                        )),
                        Ok(t) => case.returned_at = Some(t),
                        Err(e) => errors.extend(e),
                    }
                }
            }
            _ => {}
        }
        for (field, id, window) in EPISODES {
            let text = self.episodes(field).trim();
            if !asked.asks(field) || text.is_empty() {
                continue;
            }
            let n = match whole(text) {
                None => {
                    errors.push(err(
                        id,
                        format!(
                            "Number of times in the last {window} must be a whole number, like 2"
                        ),
                    ));
                    continue;
                }
                Some(0) => {
                    errors.push(err(
                        id,
                        format!("Number of times in the last {window} must be 1 or more: count this time too"),
                    ));
                    continue;
                }
                Some(n) if n > u64::from(MAX_EPISODES) => {
                    errors.push(err(
                        id,
                        format!(
                            "Number of times in the last {window} must be {MAX_EPISODES} or fewer"
                        ),
                    ));
                    continue;
                }
                Some(n) => u32::try_from(n).ok(),
            };
            match field {
                "episodes_28_days" => case.episodes_28_days = n,
                "episodes_90_days" => case.episodes_90_days = n,
                _ => case.episodes_12_months = n,
            }
        }
        if asked.asks("police_risk") && !matches!(self.risk.as_str(), "" | "unsure") {
            match PoliceRisk::parse(&self.risk) {
                Some(r) => case.police_risk = Some(r),
                None => errors.push(err(
                    ids::RISK,
                    "Select the police risk level, or 'Not known'",
                )),
            }
        }
        let days = self.days_looked_after.trim();
        if asked.asks("days_since_looked_after") && !days.is_empty() {
            match whole(days) {
                Some(d) if d <= 100_000 => case.days_since_looked_after = u32::try_from(d).ok(),
                _ => errors.push(err(
                    ids::DAYS_LOOKED_AFTER,
                    "Days since the child became looked after must be a whole number, like 10",
                )),
            }
        }
        if errors.is_empty() {
            // The engine's own checks, in case the form and the engine ever disagree.
            for e in case.check() {
                let message = match e.field.as_str() {
                    "episodes_90_days" | "episodes_12_months" => {
                        "The number of times in a longer period cannot be fewer than in a shorter one"
                            .to_string()
                    }
                    _ => e.message,
                };
                errors.push(err(id_of(&e.field), message));
            }
        }
        if errors.is_empty() {
            Ok(case)
        } else {
            Err(errors)
        }
    }

    /// The form that gives this case (for a shared link). Times go into the date boxes.
    pub fn from_case(protocol: &str, case: &Case) -> Form {
        let b = |v: Option<bool>| match v {
            Some(true) => Some("yes".to_string()),
            Some(false) => Some("no".to_string()),
            None => None,
        };
        let mut form = Form {
            protocol: protocol.to_string(),
            age: case.age.map(|a| a.to_string()).unwrap_or_default(),
            returned: b(case.is_returned()).unwrap_or_default(),
            risk: case
                .police_risk
                .map(|r| r.name().to_string())
                .unwrap_or_default(),
            days_looked_after: case
                .days_since_looked_after
                .map(|d| d.to_string())
                .unwrap_or_default(),
            ..Form::default()
        };
        let bools = [
            ("looked_after", case.looked_after),
            ("whereabouts_known", case.whereabouts_known),
            ("child_protection_plan", case.child_protection_plan),
            ("child_in_need", case.child_in_need),
            ("care_leaver", case.care_leaver),
            ("uasc", case.uasc),
            ("placed_by_other_authority", case.placed_by_other_authority),
            ("exploitation_concern", case.exploitation_concern),
            ("sen_or_disability", case.sen_or_disability),
        ];
        for (field, value) in bools {
            if let Some(v) = b(value) {
                form.yes_no.insert(field, v);
            }
        }
        let counts = [
            ("episodes_28_days", case.episodes_28_days),
            ("episodes_90_days", case.episodes_90_days),
            ("episodes_12_months", case.episodes_12_months),
        ];
        for (field, value) in counts {
            if let Some(n) = value {
                form.episodes.insert(field, n.to_string());
            }
        }
        if let Some(since) = case.missing_since {
            form.time_mode = "dates".into();
            form.since = DateTimeParts::from_time(since);
            if let Some(back) = case.returned_at {
                form.back = DateTimeParts::from_time(back);
            }
        } else if let Some(h) = case.hours_missing {
            form.time_mode = "hours".into();
            form.hours = handbook_engine::condition::fmt_num(h);
        }
        form
    }

    /// The questions asked and the answers given, in words, for the printout and the text
    /// summary. Unanswered questions are left out.
    pub fn answers(&self, asked: &Asked) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let words = |v: &str| match v {
            "yes" => Some("Yes"),
            "no" => Some("No"),
            "unsure" => Some("Not sure"),
            _ => None,
        };
        if !self.age.trim().is_empty() {
            out.push(("Age".to_string(), self.age.trim().to_string()));
        }
        for q in &QUESTIONS {
            if !asked.asks(q.field) || (q.field == "whereabouts_known" && self.is_back()) {
                continue;
            }
            if let Some(w) = words(self.yes_no(q.field)) {
                out.push((q.question.to_string(), w.to_string()));
            }
        }
        match self.returned.as_str() {
            "yes" => out.push(("Found or back".into(), "Yes".into())),
            "no" => out.push(("Found or back".into(), "No, still missing".into())),
            "unsure" => out.push(("Found or back".into(), "Not sure".into())),
            _ => {}
        }
        let date_words = |p: &DateTimeParts| {
            format!(
                "{}/{}/{} at {}",
                p.day.trim(),
                p.month.trim(),
                p.year.trim(),
                p.time.trim()
            )
        };
        match self.time_mode.as_str() {
            "hours" => out.push(("Hours missing".into(), self.hours.trim().to_string())),
            "dates" => {
                out.push(("Went missing".into(), date_words(&self.since)));
                if self.is_back() && !self.back.is_empty() {
                    out.push(("Found or came back".into(), date_words(&self.back)));
                }
            }
            _ => {}
        }
        for (field, _, window) in EPISODES {
            let n = self.episodes(field).trim();
            if asked.asks(field) && !n.is_empty() {
                out.push((format!("Times missing in the last {window}"), n.to_string()));
            }
        }
        if asked.asks("police_risk")
            && let Some((_, label)) = RISKS.iter().find(|(v, _)| *v == self.risk)
        {
            out.push(("Police risk level".into(), label.to_string()));
        }
        if asked.asks("days_since_looked_after") && !self.days_looked_after.trim().is_empty() {
            out.push((
                "Days since becoming looked after".into(),
                self.days_looked_after.trim().to_string(),
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2025-10-27T12:00:00+00:00").expect("time")
    }

    fn all() -> Asked {
        let mut asked = vec!["age", "returned", "hours_missing", "police_risk"];
        asked.extend(QUESTIONS.iter().map(|q| q.field));
        asked.extend(EPISODES.iter().map(|e| e.0));
        asked.push("days_since_looked_after");
        Asked {
            asked,
            main: Vec::new(),
        }
    }

    fn form() -> Form {
        Form {
            protocol: "wandsworth".into(),
            age: "15".into(),
            ..Form::default()
        }
    }

    fn messages(f: &Form) -> Vec<(String, String)> {
        f.to_case(&all(), now())
            .expect_err("should be refused")
            .into_iter()
            .map(|e| (e.field, e.message))
            .collect()
    }

    fn one(field: &str, message: &str) -> Vec<(String, String)> {
        vec![(field.to_string(), message.to_string())]
    }

    fn dated(since: [&str; 4], back: [&str; 4]) -> Form {
        let parts = |p: [&str; 4]| DateTimeParts {
            day: p[0].into(),
            month: p[1].into(),
            year: p[2].into(),
            time: p[3].into(),
        };
        Form {
            time_mode: "dates".into(),
            returned: if back[0].is_empty() { "no" } else { "yes" }.into(),
            since: parts(since),
            back: parts(back),
            ..form()
        }
    }

    #[test]
    fn a_filled_form_gives_the_case() {
        let mut f = Form {
            returned: "no".into(),
            time_mode: "hours".into(),
            hours: " 26.5 ".into(),
            risk: "high".into(),
            ..form()
        };
        f.yes_no.insert("looked_after", "yes".into());
        f.yes_no.insert("uasc", "unsure".into());
        f.episodes.insert("episodes_28_days", "3".into());
        let case = f.to_case(&all(), now()).expect("valid");
        assert_eq!(case.age, Some(15));
        assert_eq!(case.looked_after, Some(true));
        assert_eq!(case.uasc, None);
        assert_eq!(case.returned, Some(false));
        assert_eq!(case.hours_missing, Some(26.5));
        assert_eq!(case.episodes_28_days, Some(3));
        assert_eq!(case.police_risk, Some(PoliceRisk::High));
    }

    #[test]
    fn known_to_social_care_is_one_question_over_four_answers() {
        let asked = all();
        let mut f = form();
        assert_eq!(f.social_care(&asked), "");
        f.set_social_care("child_in_need");
        assert_eq!(f.social_care(&asked), "child_in_need");
        let case = f.to_case(&asked, now()).expect("valid");
        assert_eq!(
            (
                case.child_in_need,
                case.looked_after,
                case.child_protection_plan,
                case.care_leaver
            ),
            (Some(true), Some(false), Some(false), Some(false))
        );
        f.set_social_care("none");
        assert_eq!(f.social_care(&asked), "none");
        let case = f.to_case(&asked, now()).expect("valid");
        assert_eq!(
            (case.looked_after, case.child_in_need),
            (Some(false), Some(false))
        );
        f.set_social_care("unsure");
        let case = f.to_case(&asked, now()).expect("valid");
        assert_eq!((case.looked_after, case.child_in_need), (None, None));
        // A single answer given elsewhere (a button of the result) is kept as it is.
        f.yes_no.insert("looked_after", "yes".into());
        assert_eq!(f.social_care(&asked), "");
        assert_eq!(
            f.to_case(&asked, now()).expect("valid").looked_after,
            Some(true)
        );
    }

    #[test]
    fn the_main_form_is_the_protocols_measure() {
        let lib = handbook_content::load(
            std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../protocols")),
            None,
        )
        .expect("the protocols load");
        for p in &lib.protocols {
            let asked = Asked::for_protocols([&p.protocol]);
            for q in &QUESTIONS {
                let main = p.protocol.main_questions.iter().any(|m| m == q.field);
                assert_eq!(
                    asked.is_main(q.field),
                    main && asked.asks(q.field),
                    "{} {}",
                    p.id,
                    q.field
                );
                // Every question asked is on the main form or behind "More".
                if asked.asks(q.field) && !asked.is_main(q.field) {
                    assert!(asked.more().contains(&q), "{} {}", p.id, q.field);
                }
            }
        }
    }

    #[test]
    fn questions_not_asked_are_left_out() {
        let mut f = Form {
            risk: "high".into(),
            ..form()
        };
        f.yes_no.insert("uasc", "yes".into());
        f.episodes.insert("episodes_90_days", "4".into());
        let asked = Asked {
            asked: vec!["age", "returned", "hours_missing"],
            main: Vec::new(),
        };
        let case = f.to_case(&asked, now()).expect("valid");
        assert_eq!(
            (case.uasc, case.episodes_90_days, case.police_risk),
            (None, None, None)
        );
    }

    #[test]
    fn the_age_messages() {
        let m = |age: &str| {
            messages(&Form {
                age: age.into(),
                ..form()
            })
        };
        assert_eq!(m(""), one(ids::AGE, "Enter the child's age"));
        for bad in ["fifteen", "15.5", "-3", "1 5"] {
            assert_eq!(m(bad), one(ids::AGE, "Age must be a whole number, like 15"));
        }
        assert_eq!(m("26"), one(ids::AGE, "Age must be 25 or under"));
        let adult = Form {
            age: "18".into(),
            ..form()
        };
        assert!(adult.to_case(&all(), now()).is_ok(), "18 is not an error");
    }

    #[test]
    fn times_are_read_as_people_write_them() {
        let t = |s: &str| parse_time(s).map(|t| t.format("%H:%M").to_string());
        assert_eq!(t("21:30"), Ok("21:30".into()));
        assert_eq!(t("9:30pm"), Ok("21:30".into()));
        assert_eq!(t("9.30 PM"), Ok("21:30".into()));
        assert_eq!(t("9pm"), Ok("21:00".into()));
        assert_eq!(t("12am"), Ok("00:00".into()));
        assert_eq!(t("12pm"), Ok("12:00".into()));
        assert_eq!(t("midday"), Ok("12:00".into()));
        assert_eq!(t("0930"), Ok("09:30".into()));
        assert!(t("midnight").is_err(), "midnight is ambiguous");
        for bad in ["25:00", "13pm", "9:3", "nine", "", "9:60"] {
            assert!(t(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn dates_give_uk_times_and_their_messages() {
        let case = dated(["24", "10", "2025", "10am"], ["26", "10", "2025", "1:30"])
            .to_case(&all(), now())
            .expect("valid");
        assert_eq!(
            case.missing_since.map(|t| t.to_rfc3339()),
            Some("2025-10-24T10:00:00+01:00".into())
        );
        // 1:30am happened twice on 26 October 2025: the first (BST) is meant.
        assert_eq!(
            case.returned_at.map(|t| t.to_rfc3339()),
            Some("2025-10-26T01:30:00+01:00".into())
        );
        let day = ids::day(ids::SINCE);
        let back = ids::day(ids::BACK);
        let m = |since: [&str; 4], b: [&str; 4]| messages(&dated(since, b));
        let none = ["", "", "", ""];
        assert_eq!(
            m(["31", "2", "2025", "9am"], none),
            one(&day, "Enter a real date")
        );
        assert_eq!(
            m(["x", "2", "2025", "9am"], none),
            one(&day, "Enter a real date")
        );
        assert_eq!(
            m(["1", "", "2025", "9am"], none),
            one(&day, "The date the child went missing must include a month")
        );
        assert_eq!(
            m(["1", "11", "25", "9am"], none),
            one(&day, "Year must include 4 numbers, like 2025")
        );
        assert_eq!(
            m(["28", "10", "2025", "9am"], none),
            one(
                &day,
                "The date the child went missing must be today or in the past"
            )
        );
        assert_eq!(
            m(["27", "10", "2025", "1pm"], none),
            one(
                &day,
                "That time is later than now (12pm). Did the child go missing yesterday?"
            )
        );
        assert_eq!(
            m(["24", "10", "2025", "10am"], ["23", "10", "2025", "10am"]),
            one(
                &back,
                "The date the child was found or came back must be the same as or after the date the child went missing"
            )
        );
        assert_eq!(
            m(["24", "10", "2025", ""], none),
            one(
                "mcph-since-time",
                "Enter the time the child went missing, like 9:30pm or 21:30"
            )
        );
        // 1:30am did not happen on 30 March 2025.
        let gap = m(["30", "3", "2025", "1:30am"], none);
        assert_eq!(gap.len(), 1);
        assert_eq!(gap[0].0, "mcph-since-time");
    }

    #[test]
    fn every_field_in_error_is_named_and_nothing_panics() {
        let mut f = Form {
            protocol: String::new(),
            age: "\u{1F600}".into(),
            time_mode: "hours".into(),
            hours: "1e9".into(),
            risk: "severe".into(),
            days_looked_after: "ten".into(),
            ..Form::default()
        };
        f.episodes.insert("episodes_28_days", "0".into());
        f.episodes.insert("episodes_12_months", "\u{0}".into());
        assert_eq!(
            messages(&f),
            one(ids::PROTOCOL, "Select the protocol to check against"),
            "without a protocol there are no other questions"
        );
        f.protocol = "wandsworth".into();
        let fields: Vec<String> = messages(&f).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            vec![
                ids::AGE,
                ids::HOURS,
                ids::EPISODES_28,
                ids::EPISODES_12M,
                ids::RISK,
                ids::DAYS_LOOKED_AFTER
            ]
        );
        let windows = Form {
            episodes: [
                ("episodes_28_days", "4".into()),
                ("episodes_90_days", "3".into()),
            ]
            .into(),
            ..form()
        };
        assert_eq!(messages(&windows)[0].0, ids::EPISODES_90);
    }

    #[test]
    fn a_case_fills_the_form_it_came_from() {
        let mut f = dated(["24", "10", "2025", "10:00"], ["26", "10", "2025", "01:30"]);
        f.yes_no.insert("looked_after", "yes".into());
        f.episodes.insert("episodes_90_days", "3".into());
        f.risk = "medium".into();
        let case = f.to_case(&all(), now()).expect("valid");
        let back = Form::from_case("wandsworth", &case);
        assert_eq!(back.to_case(&all(), now()), Ok(case));
        assert_eq!(back.since.time, "10:00");
    }
}
