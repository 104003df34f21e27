//! The validated rule data: what the checker knows about one protocol.

use crate::condition::{BoolField, Condition};
use crate::deadline::BankHolidays;
use serde::{Deserialize, Serialize};
use std::rc::Rc;

/// Text that every answer about a rule repeats (its id, words, quote...): shared, not copied,
/// so that an evaluation's items cost no allocation for it. Serialised as a plain string.
/// `Rc`, not `Arc`: the checker runs on one thread (in the browser), an item copies several of
/// these, and `Arc`'s atomic counts would cost on every one; the web view takes `Rc<str>` as it
/// is. (A `Protocol` is therefore not `Send`: load one per thread if ever needed.)
pub type SharedStr = Rc<str>;

/// Reading a [`SharedStr`] straight from the text the deserializer lends (serde's own `Rc<str>`
/// makes a `String`, then copies it into the `Rc`).
mod shared {
    use super::SharedStr;
    use serde::de::{Deserializer, Error, Visitor};
    use std::fmt;

    struct Shared;

    impl Visitor<'_> for Shared {
        type Value = SharedStr;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: Error>(self, v: &str) -> Result<SharedStr, E> {
            Ok(v.into())
        }
    }

    struct MaybeShared;

    impl<'de> Visitor<'de> for MaybeShared {
        type Value = Option<SharedStr>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string or nothing")
        }

        fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            one(d).map(Some)
        }
    }

    pub fn one<'de, D: Deserializer<'de>>(d: D) -> Result<SharedStr, D::Error> {
        d.deserialize_str(Shared)
    }

    pub fn maybe<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SharedStr>, D::Error> {
        d.deserialize_option(MaybeShared)
    }
}

/// What a rule tells the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// How the protocol classifies the situation ("missing", "high risk").
    Classification,
    /// Something someone must do.
    Duty,
    /// Something the protocol leaves to judgement ("may", "consider").
    Consideration,
}

impl Kind {
    pub const ALL: [(&'static str, Kind); 3] = [
        ("classification", Kind::Classification),
        ("duty", Kind::Duty),
        ("consideration", Kind::Consideration),
    ];
}

/// How strongly the protocol words a rule: most rules are what it requires; some it calls
/// good practice ("it is good practice to ...").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strength {
    #[default]
    Required,
    GoodPractice,
}

impl Strength {
    pub const ALL: [(&'static str, Strength); 2] = [
        ("required", Strength::Required),
        ("good-practice", Strength::GoodPractice),
    ];
}

/// When in an episode a duty belongs (the vocabulary's phases).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Do it tonight: as soon as the child is missed or found.
    Now,
    /// Has a deadline (the rule's timescale).
    Timed,
    /// Care planning, reviews, standing arrangements.
    Ongoing,
    /// Once the child is found or comes back.
    OnReturn,
}

impl Phase {
    pub const ALL: [(&'static str, Phase); 4] = [
        ("now", Phase::Now),
        ("timed", Phase::Timed),
        ("ongoing", Phase::Ongoing),
        ("on-return", Phase::OnReturn),
    ];

    /// The id the vocabulary and rules files use: `on-return`.
    pub fn id(self) -> &'static str {
        match self {
            Phase::Now => "now",
            Phase::Timed => "timed",
            Phase::Ongoing => "ongoing",
            Phase::OnReturn => "on-return",
        }
    }
}

/// The unit of a timescale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Elapsed hours.
    Hours,
    /// Calendar days in UK local time.
    Days,
    /// Days that are not weekends or England-and-Wales bank holidays.
    WorkingDays,
    Weeks,
    Months,
}

impl Unit {
    pub const ALL: [(&'static str, Unit); 5] = [
        ("hours", Unit::Hours),
        ("days", Unit::Days),
        ("working_days", Unit::WorkingDays),
        ("weeks", Unit::Weeks),
        ("months", Unit::Months),
    ];

    /// "hours", "working days"... in the plural or singular as the amount needs.
    pub fn words(self, amount: u32) -> &'static str {
        let one = amount == 1;
        match self {
            Unit::Hours if one => "hour",
            Unit::Hours => "hours",
            Unit::Days if one => "day",
            Unit::Days => "days",
            Unit::WorkingDays if one => "working day",
            Unit::WorkingDays => "working days",
            Unit::Weeks if one => "week",
            Unit::Weeks => "weeks",
            Unit::Months if one => "month",
            Unit::Months => "months",
        }
    }
}

/// The event a timescale runs from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    Missing,
    Returned,
    Notification,
    Referral,
    LookedAfter,
    Placement,
    Meeting,
    Decision,
}

impl Event {
    pub const ALL: [(&'static str, Event); 8] = [
        ("missing", Event::Missing),
        ("returned", Event::Returned),
        ("notification", Event::Notification),
        ("referral", Event::Referral),
        ("looked_after", Event::LookedAfter),
        ("placement", Event::Placement),
        ("meeting", Event::Meeting),
        ("decision", Event::Decision),
    ];

    /// "of the child being reported missing", for "within 72 hours of ...".
    pub fn words(self) -> &'static str {
        match self {
            Event::Missing => "the child being reported missing",
            Event::Returned => "the child being found or returning",
            Event::Notification => "the notification",
            Event::Referral => "the referral",
            Event::LookedAfter => "the child becoming looked after",
            Event::Placement => "the placement starting",
            Event::Meeting => "the meeting",
            Event::Decision => "the decision",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timescale {
    pub amount: u32,
    pub unit: Unit,
    pub from: Event,
}

impl Timescale {
    /// "within 72 hours of the child being found or returning".
    pub fn words(&self) -> String {
        use std::fmt::Write;
        let (unit, from) = (self.unit.words(self.amount), self.from.words());
        // One allocation: "within " + up to 10 digits + " " + unit + " of " + event.
        let mut out = String::with_capacity(22 + unit.len() + from.len());
        out.push_str("within ");
        // Writing to a String cannot fail.
        let _ = write!(out, "{}", self.amount);
        out.push(' ');
        out.push_str(unit);
        out.push_str(" of ");
        out.push_str(from);
        out
    }
}

/// One rule, validated against the protocol text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    #[serde(deserialize_with = "shared::one")]
    pub id: SharedStr,
    pub kind: Kind,
    #[serde(deserialize_with = "shared::one")]
    pub text: SharedStr,
    #[serde(default, deserialize_with = "shared::maybe")]
    pub who: Option<SharedStr>,
    /// What kind of action a duty is: an id of the vocabulary's `[[action]]` table.
    #[serde(default, deserialize_with = "shared::maybe")]
    pub action: Option<SharedStr>,
    /// The action's name in the vocabulary ("Report to the police"), filled in on loading
    /// and by [`Protocol::name_tags`] (not serialised: the protocol's `vocabulary` has it).
    #[serde(skip)]
    pub action_name: Option<SharedStr>,
    /// Who does it, as ids of the vocabulary's `[[actor]]` table (empty when not tagged).
    #[serde(default)]
    pub actors: Rc<[SharedStr]>,
    /// The actors' names in the vocabulary, in the same order, filled in as `action_name` is.
    #[serde(skip)]
    pub actor_names: Rc<[SharedStr]>,
    /// When in an episode it belongs.
    #[serde(default)]
    pub phase: Option<Phase>,
    /// The paragraph id local to the protocol, as written in `r[...]`.
    #[serde(deserialize_with = "shared::one")]
    pub paragraph: SharedStr,
    #[serde(deserialize_with = "shared::one")]
    pub quote: SharedStr,
    pub when: Condition,
    pub timescale: Option<Timescale>,
    #[serde(default, deserialize_with = "shared::maybe")]
    pub contradicts: Option<SharedStr>,
    /// "good-practice" where the protocol calls it that; otherwise required.
    #[serde(default)]
    pub strength: Strength,
    #[serde(default, deserialize_with = "shared::maybe")]
    pub note: Option<SharedStr>,
    /// The checksum of the cited paragraph's text when an editor last re-read the rule against
    /// it (`cargo xtask review`); the checker does not need it.
    #[serde(skip)]
    pub checksum: Option<String>,
    /// When an editor last re-read the rule against its paragraph (YYYY-MM-DD).
    #[serde(skip)]
    pub reviewed: Option<String>,
    /// 1-based line of the rule in its file, for messages.
    pub line: usize,
}

/// Something the protocol's text says follows from a child's circumstances ("UASC are
/// children in care"): when `when` holds, the case is read with `field` = `value`, whatever
/// the reader answered (a notice says so when it differs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Implication {
    pub when: Condition,
    pub field: BoolField,
    pub value: bool,
    /// In plain words: "An unaccompanied asylum-seeking child is a child in care."
    #[serde(deserialize_with = "shared::one")]
    pub text: SharedStr,
    #[serde(deserialize_with = "shared::one")]
    pub paragraph: SharedStr,
    #[serde(deserialize_with = "shared::one")]
    pub quote: SharedStr,
    pub line: usize,
}

/// A timescale sentence of the text that no rule models, with the reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotModelled {
    pub paragraph: String,
    pub quote: String,
    pub reason: String,
    pub line: usize,
}

/// Everything the engine needs to evaluate a case against one protocol.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Protocol {
    pub id: String,
    pub title: String,
    pub short_title: String,
    pub authority: String,
    pub version: Option<String>,
    pub rules: Vec<Rule>,
    /// Each paragraph's id and the chapter it is in, by the chapter's file stem
    /// (`8.1-p2`, `08-definitions`): [`Protocol::link`] makes its address from them. (A list
    /// looked up by id, not a map: the checker looks up a few, and a map type would be a
    /// second copy of B-tree code in it. Stems, not addresses: the checker carries this list,
    /// and the addresses would repeat the protocol's folder and id in every entry.)
    pub paragraphs: Vec<(String, String)>,
    pub holidays: BankHolidays,
    /// What the text says follows from what (applied before the rules).
    #[serde(default)]
    pub implies: Vec<Implication>,
    /// The questions the checker asks on its main form for this protocol, by case field
    /// (measured on its worked cases: see `questions`); the rest go under "More".
    #[serde(default)]
    pub main_questions: Vec<String>,
    /// The shared vocabulary's entries this protocol's rules use (the actions and actors its
    /// duties name, and the four phases), with their names and descriptions: what the
    /// checker offers as "who are you?" and compares by. (The checker's bundle leaves out the
    /// descriptions.)
    #[serde(default)]
    pub vocabulary: crate::vocabulary::Vocabulary,
}

impl Protocol {
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| &*r.id == id)
    }

    /// The link to a paragraph relative to the site root (`protocols/x/08-definitions.html#x-8.1-p2`),
    /// or an empty string when the paragraph is unknown.
    pub fn link(&self, paragraph: &str) -> String {
        self.paragraphs
            .iter()
            .find(|(id, _)| id == paragraph)
            .map(|(_, chapter)| {
                format!(
                    "{}#{}",
                    chapter_page(&self.id, chapter),
                    self.anchor(paragraph)
                )
            })
            .unwrap_or_default()
    }

    /// The names of the case fields that some rule's condition reads: the questions worth
    /// asking for this protocol, in the order of [`crate::case::field_names`].
    pub fn fields_used(&self) -> Vec<&'static str> {
        let mut used = Vec::new();
        for rule in &self.rules {
            rule.when.visit_fields(&mut |name| used.push(name));
        }
        crate::case::field_names()
            .filter(|f| used.contains(f))
            .collect()
    }

    /// Every hours-missing threshold some rule names, in hours (`days_missing` bounds × 24),
    /// sorted, each once.
    pub fn hour_thresholds(&self) -> Vec<f64> {
        use crate::condition::NumField;
        let mut out = Vec::new();
        for rule in &self.rules {
            rule.when.visit_numbers(&mut |field, range| {
                let scale = match field {
                    NumField::HoursMissing => 1.0,
                    NumField::DaysMissing => 24.0,
                    _ => return,
                };
                out.extend(range.bounds().map(|b| b * scale));
            });
        }
        crate::order::sort_by(&mut out, f64::total_cmp);
        out.dedup();
        out
    }

    /// Gives each rule the vocabulary's names for its action and actors (`action_name`,
    /// `actor_names`), which are not serialised: call it on a protocol read back from its
    /// serialised form (the checker's bundle). An id the vocabulary lacks gets no name.
    pub fn name_tags(&mut self) {
        let vocabulary = &self.vocabulary;
        for rule in &mut self.rules {
            rule.action_name = rule
                .action
                .as_deref()
                .and_then(|a| vocabulary.action(a))
                .map(|e| e.name.clone());
            rule.actor_names = rule
                .actors
                .iter()
                .filter_map(|a| vocabulary.actor(a).map(|e| e.name.clone()))
                .collect();
        }
    }

    /// The anchor id used in the handbook for a paragraph of this protocol.
    pub fn anchor(&self, paragraph: &str) -> String {
        anchor(&self.id, paragraph)
    }
}

/// A chapter's page relative to the site root: `protocols/<protocol>/<chapter stem>.html`.
pub fn chapter_page(protocol: &str, chapter_stem: &str) -> String {
    format!("protocols/{protocol}/{chapter_stem}.html")
}

/// The anchor id used in the handbook for a paragraph: `<protocol>-<paragraph>`.
pub fn anchor(protocol: &str, paragraph: &str) -> String {
    format!("{protocol}-{paragraph}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_read_back_as_written() {
        let rule = Rule {
            id: "a".into(),
            kind: Kind::Duty,
            text: "Say \"hello\"\n".into(),
            who: Some("w".into()),
            action: Some("report-to-police".into()),
            action_name: Some("Report to the police".into()),
            actors: Rc::from(vec![SharedStr::from("police")]),
            actor_names: Rc::from(vec![SharedStr::from("Police")]),
            phase: Some(Phase::OnReturn),
            paragraph: "1".into(),
            quote: "q".into(),
            when: Condition::always(),
            timescale: None,
            contradicts: None,
            strength: Strength::GoodPractice,
            note: Some("é".into()),
            checksum: None,
            reviewed: None,
            line: 3,
        };
        let json = serde_json::to_string(&rule).expect("json");
        let without = json.replace(",\"who\":\"w\"", "");
        assert_eq!(
            serde_json::from_str::<Rule>(&without).expect("read").who,
            None
        );
        assert!(json.contains("\"phase\":\"on-return\""), "{json}");
        // The names are the vocabulary's: not serialised, given back by `name_tags`.
        assert!(!json.contains("Report to the police"), "{json}");
        let read = serde_json::from_str::<Rule>(&json).expect("read");
        assert_eq!(read.action_name, None);
        assert_eq!(
            Rule {
                action_name: None,
                actor_names: Rc::from(Vec::new()),
                ..rule.clone()
            },
            read
        );
        assert!(serde_json::from_str::<Rule>(&json.replace("\"a\"", "3")).is_err());
    }

    #[test]
    fn timescales_in_words() {
        let words = |amount, unit, from| Timescale { amount, unit, from }.words();
        assert_eq!(
            words(72, Unit::Hours, Event::Returned),
            "within 72 hours of the child being found or returning"
        );
        assert_eq!(
            words(1, Unit::WorkingDays, Event::Missing),
            "within 1 working day of the child being reported missing"
        );
        assert_eq!(
            words(u32::MAX, Unit::Months, Event::LookedAfter),
            "within 4294967295 months of the child becoming looked after"
        );
    }
}
