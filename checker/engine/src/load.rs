//! Reading `rules.toml` and `scenarios.toml` from their text, and checking them against the
//! protocol's paragraphs. Every problem is collected, each with its file and line.

use crate::case::Case;
use crate::condition::{self, BoolField, NumField};
use crate::diagnostic::Diagnostic;
use crate::model::{
    Event, Implication, Kind, NotModelled, Phase, Rule, SharedStr, Strength, Timescale, Unit,
};
use crate::numbers::{contains_word, number_in_normalised};
use crate::text::{contains, normalise};
use crate::vocabulary::{Table, Vocabulary};
use chrono::{DateTime, FixedOffset};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use toml::Spanned;

/// A rules or scenarios file's tables, read by serde (whose error names the line).
fn read<'i, T: Deserialize<'i>>(file: &str, text: &'i str) -> Result<T, Vec<Diagnostic>> {
    toml::from_str(text).map_err(|e| vec![toml_error(file, text, &e)])
}

/// Paragraph id -> the paragraph's plain text.
pub type Paragraphs = BTreeMap<String, String>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules<'i> {
    #[serde(default)]
    rule: Vec<Spanned<RawRule<'i>>>,
    #[serde(default)]
    not_modelled: Vec<Spanned<RawNotModelled<'i>>>,
    #[serde(default)]
    implies: Vec<Spanned<RawImplication<'i>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImplication<'i> {
    when: Spanned<toml::Value>,
    then: Spanned<toml::Value>,
    text: Spanned<Cow<'i, str>>,
    paragraph: Spanned<Cow<'i, str>>,
    quote: Spanned<Cow<'i, str>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule<'i> {
    id: Spanned<Cow<'i, str>>,
    kind: Spanned<Cow<'i, str>>,
    text: Spanned<Cow<'i, str>>,
    who: Option<Cow<'i, str>>,
    /// An id of the vocabulary's `[[action]]` table (required on a duty).
    action: Option<Spanned<Cow<'i, str>>>,
    /// Ids of the vocabulary's `[[actor]]` table, one or more (required on a duty).
    actors: Option<Spanned<Vec<Spanned<String>>>>,
    /// `now`, `timed`, `ongoing` or `on-return` (required on a duty).
    phase: Option<Spanned<Cow<'i, str>>>,
    paragraph: Spanned<Cow<'i, str>>,
    quote: Spanned<Cow<'i, str>>,
    when: Option<Spanned<toml::Value>>,
    timescale: Option<Spanned<RawTimescale>>,
    contradicts: Option<Spanned<Cow<'i, str>>>,
    strength: Option<Spanned<Cow<'i, str>>>,
    note: Option<Cow<'i, str>>,
    /// Written by `cargo xtask review`: the cited paragraph's checksum when last reviewed.
    checksum: Option<Spanned<Cow<'i, str>>>,
    reviewed: Option<Spanned<toml::value::Datetime>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTimescale {
    amount: i64,
    unit: String,
    from: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNotModelled<'i> {
    paragraph: Spanned<Cow<'i, str>>,
    /// Left out: the whole paragraph is not modelled (a background paragraph).
    quote: Option<Spanned<Cow<'i, str>>>,
    reason: Spanned<Cow<'i, str>>,
}

/// What a rules file holds once checked.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub not_modelled: Vec<NotModelled>,
    pub implies: Vec<Implication>,
}

struct Ctx<'a> {
    file: &'a str,
    text: &'a str,
    errors: Vec<Diagnostic>,
    /// Paragraphs already normalised for comparing quotes, by id.
    normalised: BTreeMap<String, String>,
}

impl Ctx<'_> {
    fn err(&mut self, offset: usize, message: impl Into<String>) {
        self.errors
            .push(Diagnostic::at(self.file, self.text, offset, message));
    }
}

fn toml_error(file: &str, text: &str, e: &toml::de::Error) -> Diagnostic {
    let offset = e.span().map(|s| s.start).unwrap_or(0);
    Diagnostic::at(file, text, offset, e.message().trim().to_string())
}

fn choose<T: Copy>(options: &[(&str, T)], name: &str) -> Result<T, String> {
    options
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
            format!("`{name}` is not one of: {}", names.join(", "))
        })
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

/// Reads and checks a rules file. `paragraphs` are the protocol's paragraphs by id.
///
/// Without a vocabulary, a rule's `action`, `actors` and `phase` are checked only for their
/// form (and a timescale against the phase); see [`rules_with`].
pub fn rules(file: &str, text: &str, paragraphs: &Paragraphs) -> Result<RuleSet, Vec<Diagnostic>> {
    rules_with(file, text, paragraphs, None)
}

/// Reads and checks a rules file against the protocol's paragraphs and, when given, the shared
/// vocabulary: then every duty must name an `action`, one or more `actors` and a `phase`
/// from it, and the rules carry the vocabulary's names for them.
pub fn rules_with(
    file: &str,
    text: &str,
    paragraphs: &Paragraphs,
    vocabulary: Option<&Vocabulary>,
) -> Result<RuleSet, Vec<Diagnostic>> {
    let raw: RawRules = read(file, text)?;
    let lines = crate::diagnostic::LineIndex::new(text);
    let mut cx = Ctx {
        file,
        text,
        errors: Vec::new(),
        normalised: BTreeMap::new(),
    };
    let mut set = RuleSet::default();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut contradictions = Vec::new();
    for spanned in &raw.rule {
        let start = spanned.span().start;
        let line = lines.line(start);
        let r = spanned.get_ref();
        let id = r.id.get_ref().trim().to_string();
        if !valid_id(&id) {
            cx.err(
                r.id.span().start,
                format!("rule id `{id}` must be lower-case letters, digits and `-`, like `strategy-meeting-48h`"),
            );
        }
        if let Some(first) = seen.insert(id.clone(), line) {
            cx.err(
                r.id.span().start,
                format!("rule id `{id}` is used twice (first on line {first}): give each rule its own id"),
            );
        }
        let kind = match choose(&Kind::ALL, r.kind.get_ref()) {
            Ok(k) => Some(k),
            Err(m) => {
                cx.err(r.kind.span().start, format!("kind {m}"));
                None
            }
        };
        if r.text.get_ref().trim().is_empty() {
            cx.err(
                r.text.span().start,
                "`text` is empty: say in plain words what applies",
            );
        }
        let who = r.who.as_deref().map(str::trim);
        if kind == Some(Kind::Duty) && who.is_none_or(str::is_empty) {
            cx.err(
                start,
                format!("rule `{id}` is a duty but has no `who`: name who must do it"),
            );
        }
        let paragraph = r.paragraph.get_ref().trim().to_string();
        let quote = r.quote.get_ref();
        // Normalised once: for finding it in the paragraph and the numbers in it.
        let normalised = normalise(quote);
        check_quote(&mut cx, paragraphs, &r.paragraph, &r.quote, &normalised);

        let when = match &r.when {
            None => condition::Condition::always(),
            Some(w) => match condition::parse(w.get_ref()) {
                Ok(c) => c,
                Err(m) => {
                    cx.err(w.span().start, m);
                    condition::Condition::always()
                }
            },
        };
        // Every number in the condition must be in the quote.
        let lower = normalised.to_lowercase();
        let mut missing_numbers = Vec::new();
        when.visit_numbers(&mut |field, range| {
            for b in range.bounds() {
                if !threshold_in(field, b, &normalised, &lower) {
                    missing_numbers.push(format!(
                        "{} ({})",
                        condition::fmt_num(b),
                        field_name(field)
                    ));
                }
            }
            let words = field.window_words();
            if !words.is_empty() && !words.iter().any(|w| contains_word(&lower, w)) {
                missing_numbers.push(format!(
                    "the window of `{}` ({})",
                    field_name(field),
                    words.join(" / ")
                ));
            }
        });
        let timescale = match &r.timescale {
            None => None,
            Some(t) => {
                let raw = t.get_ref();
                let mut ok = true;
                let unit = choose(&Unit::ALL, &raw.unit).unwrap_or_else(|m| {
                    cx.err(t.span().start, format!("timescale unit {m}"));
                    ok = false;
                    Unit::Hours
                });
                let from = choose(&Event::ALL, &raw.from).unwrap_or_else(|m| {
                    cx.err(t.span().start, format!("timescale `from` {m}"));
                    ok = false;
                    Event::Missing
                });
                let amount = match u32::try_from(raw.amount) {
                    Ok(a) if a > 0 => a,
                    _ => {
                        cx.err(
                            t.span().start,
                            "timescale amount must be a whole number above 0",
                        );
                        ok = false;
                        1
                    }
                };
                if ok && !number_in_normalised(f64::from(amount), &normalised, &lower) {
                    missing_numbers.push(format!("{amount} (timescale)"));
                }
                ok.then_some(Timescale { amount, unit, from })
            }
        };
        if !missing_numbers.is_empty() {
            cx.err(
                r.quote.span().start,
                format!(
                    "rule `{id}`: its quote does not contain {}: quote the words that state it",
                    missing_numbers.join(", ")
                ),
            );
        }
        if let Some(c) = &r.checksum
            && !valid_checksum(c.get_ref())
        {
            cx.err(
                c.span().start,
                format!("rule `{id}`: `checksum` must be `sha256:` and 16 hex digits, as `cargo xtask review` writes it; delete the line and run `cargo xtask review` again"),
            );
        }
        let reviewed = match &r.reviewed {
            None => None,
            Some(d) => match (d.get_ref().date, d.get_ref().time) {
                (Some(date), None) => Some(date.to_string()),
                _ => {
                    cx.err(
                        d.span().start,
                        format!("rule `{id}`: `reviewed` must be a date like 2025-10-24"),
                    );
                    None
                }
            },
        };
        if r.checksum.is_some() != r.reviewed.is_some() {
            cx.err(
                start,
                format!("rule `{id}` has one of `checksum` and `reviewed` without the other: `cargo xtask review` writes both"),
            );
        }
        let strength = match &r.strength {
            None => Strength::Required,
            Some(s) => choose(&Strength::ALL, s.get_ref()).unwrap_or_else(|m| {
                cx.err(s.span().start, format!("strength {m}"));
                Strength::Required
            }),
        };
        let tags = tags(
            &mut cx,
            r,
            &id,
            kind,
            timescale.is_some(),
            start,
            vocabulary,
        );
        if let Some(c) = &r.contradicts {
            contradictions.push((id.clone(), c.get_ref().trim().to_string(), c.span().start));
        }
        set.rules.push(Rule {
            id: id.into(),
            kind: kind.unwrap_or(Kind::Duty),
            text: r.text.get_ref().trim().into(),
            who: who.map(Into::into),
            action: tags.action,
            action_name: tags.action_name,
            actors: tags.actors.into(),
            actor_names: tags.actor_names.into(),
            phase: tags.phase,
            paragraph: paragraph.into(),
            quote: quote.trim().into(),
            when,
            timescale,
            contradicts: r.contradicts.as_ref().map(|c| c.get_ref().trim().into()),
            strength,
            note: r.note.as_deref().map(Into::into),
            checksum: r.checksum.as_ref().map(|c| c.get_ref().trim().to_string()),
            reviewed,
            line,
        });
    }
    for (id, other, offset) in contradictions {
        if other == id {
            cx.err(offset, format!("rule `{id}` says it contradicts itself"));
        } else if !seen.contains_key(&other) {
            cx.err(
                offset,
                format!(
                    "rule `{id}` contradicts `{other}`, but there is no rule `{other}` in this file"
                ),
            );
        }
    }
    for spanned in &raw.not_modelled {
        let n = spanned.get_ref();
        match &n.quote {
            Some(quote) => {
                let normalised = normalise(quote.get_ref());
                check_quote(&mut cx, paragraphs, &n.paragraph, quote, &normalised);
            }
            // No quote: the whole paragraph, which must exist.
            None => {
                check_paragraph(&mut cx, paragraphs, &n.paragraph);
            }
        }
        if n.reason.get_ref().trim().is_empty() {
            cx.err(
                n.reason.span().start,
                "`reason` is empty: say why this is not modelled",
            );
        }
        set.not_modelled.push(NotModelled {
            paragraph: n.paragraph.get_ref().trim().to_string(),
            // Empty when the entry has no quote: the whole paragraph.
            quote: n
                .quote
                .as_ref()
                .map(|q| q.get_ref().trim().to_string())
                .unwrap_or_default(),
            reason: n.reason.get_ref().trim().to_string(),
            line: lines.line(spanned.span().start),
        });
    }
    implications(&mut cx, paragraphs, &raw.implies, &lines, &mut set);
    cx.errors.sort_by_key(|d| d.line);
    if cx.errors.is_empty() {
        Ok(set)
    } else {
        Err(cx.errors)
    }
}

/// A rule's vocabulary tags, checked, with their names.
#[derive(Default)]
struct Tags {
    action: Option<SharedStr>,
    action_name: Option<SharedStr>,
    actors: Vec<SharedStr>,
    actor_names: Vec<SharedStr>,
    phase: Option<Phase>,
}

/// Checks a rule's `action`, `actors` and `phase`: against the vocabulary when there is one
/// (required on a duty; an unknown name gets the nearest known ones), and the phase against
/// the timescale (a duty with a timescale is `timed`; a `timed` one has a timescale).
fn tags(
    cx: &mut Ctx,
    r: &RawRule,
    id: &str,
    kind: Option<Kind>,
    has_timescale: bool,
    start: usize,
    vocabulary: Option<&Vocabulary>,
) -> Tags {
    let mut out = Tags::default();
    let duty = kind == Some(Kind::Duty);
    if let Some(v) = vocabulary
        && duty
    {
        let mut missing = Vec::new();
        if r.action.is_none() {
            missing.push("`action`");
        }
        if r.actors.is_none() {
            missing.push("`actors`");
        }
        if r.phase.is_none() {
            missing.push("`phase`");
        }
        if !missing.is_empty() {
            cx.err(
                start,
                format!(
                    "rule `{id}` is a duty but has no {}: add them after `who`, from protocols/vocabulary.toml ({} actions, {} actors; phases {})",
                    missing.join(", "),
                    v.actions.len(),
                    v.actors.len(),
                    Phase::ALL.map(|(n, _)| n).join(", ")
                ),
            );
        }
    }
    if let Some(a) = &r.action {
        let name = a.get_ref().trim();
        match vocabulary {
            Some(v) => match v.action(name) {
                Some(e) => {
                    out.action = Some(e.id.clone());
                    out.action_name = Some(e.name.clone());
                }
                None => cx.err(
                    a.span().start,
                    format!("rule `{id}`: {}", v.unknown(Table::Action, name)),
                ),
            },
            None => out.action = Some(name.into()),
        }
    }
    if let Some(list) = &r.actors {
        if list.get_ref().is_empty() {
            cx.err(
                list.span().start,
                format!("rule `{id}`: `actors` is empty: name one or more, like [\"police\"]"),
            );
        }
        for a in list.get_ref() {
            let name = a.get_ref().trim();
            if out.actors.iter().any(|known| &**known == name) {
                cx.err(
                    a.span().start,
                    format!("rule `{id}`: actor `{name}` is named twice"),
                );
                continue;
            }
            match vocabulary {
                Some(v) => match v.actor(name) {
                    Some(e) => {
                        out.actors.push(e.id.clone());
                        out.actor_names.push(e.name.clone());
                    }
                    None => cx.err(
                        a.span().start,
                        format!("rule `{id}`: {}", v.unknown(Table::Actor, name)),
                    ),
                },
                None => out.actors.push(name.into()),
            }
        }
    }
    if let Some(p) = &r.phase {
        let name = p.get_ref().trim();
        match Phase::ALL.iter().find(|(n, _)| *n == name) {
            Some((_, phase)) => {
                out.phase = Some(*phase);
                if *phase == Phase::Timed && !has_timescale {
                    cx.err(
                        p.span().start,
                        format!("rule `{id}` is `timed` but has no `timescale`: add the timescale the quote states, or choose another phase"),
                    );
                }
            }
            None => {
                let near = crate::vocabulary::nearest(Phase::ALL.iter().map(|(n, _)| *n), name);
                let hint = if near.is_empty() {
                    format!("the phases are {}", Phase::ALL.map(|(n, _)| n).join(", "))
                } else {
                    format!("did you mean `{}`?", near.join("` or `"))
                };
                cx.err(
                    p.span().start,
                    format!("rule `{id}`: unknown phase `{name}`; {hint}"),
                );
            }
        }
    }
    if has_timescale && out.phase.is_some_and(|p| p != Phase::Timed) {
        let offset = r.phase.as_ref().map_or(start, |p| p.span().start);
        cx.err(
            offset,
            format!("rule `{id}` has a `timescale`, so its phase is `timed`"),
        );
    }
    out
}

/// Reads and checks the `[[implies]]` tables: each quotes its paragraph, sets one yes/no
/// field, and reads no field that an implication sets (so none depends on another).
fn implications(
    cx: &mut Ctx,
    paragraphs: &Paragraphs,
    raw: &[Spanned<RawImplication>],
    lines: &crate::diagnostic::LineIndex,
    set: &mut RuleSet,
) {
    for spanned in raw {
        let r = spanned.get_ref();
        check_quote(
            cx,
            paragraphs,
            &r.paragraph,
            &r.quote,
            &normalise(r.quote.get_ref()),
        );
        if r.text.get_ref().trim().is_empty() {
            cx.err(
                r.text.span().start,
                "`text` is empty: say in plain words what follows from what",
            );
        }
        let when = match condition::parse(r.when.get_ref()) {
            Ok(c) => Some(c),
            Err(m) => {
                cx.err(r.when.span().start, m);
                None
            }
        };
        let then = r
            .then
            .get_ref()
            .as_table()
            .filter(|t| t.len() == 1)
            .and_then(|t| t.iter().next());
        let set_to = match then {
            Some((name, v)) => {
                match (BoolField::ALL.iter().find(|(n, _)| n == name), v.as_bool()) {
                    (Some((_, field)), Some(value)) => Some((*field, value)),
                    (None, _) => {
                        let names: Vec<&str> = BoolField::ALL.iter().map(|(n, _)| *n).collect();
                        cx.err(
                        r.then.span().start,
                        format!("`then` names `{name}`, which is not a yes/no field; the yes/no fields are: {}", names.join(", ")),
                    );
                        None
                    }
                    (Some(_), None) => {
                        cx.err(
                            r.then.span().start,
                            format!("`then.{name}` must be true or false"),
                        );
                        None
                    }
                }
            }
            None => {
                cx.err(
                    r.then.span().start,
                    "`then` must set one yes/no field, like then = { looked_after = true }",
                );
                None
            }
        };
        if let (Some(when), Some((field, value))) = (when, set_to) {
            set.implies.push(Implication {
                when,
                field,
                value,
                text: r.text.get_ref().trim().into(),
                paragraph: r.paragraph.get_ref().trim().into(),
                quote: r.quote.get_ref().trim().into(),
                line: lines.line(spanned.span().start),
            });
        }
    }
    // No implication reads a field that one sets, and no two set one field differently.
    let starts: Vec<usize> = raw.iter().map(|s| s.span().start).collect();
    for (i, imp) in set.implies.iter().enumerate() {
        let mut reads = Vec::new();
        imp.when.visit_fields(&mut |f| reads.push(f));
        for other in &set.implies {
            if reads.contains(&other.field.name()) {
                cx.err(
                    starts.get(i).copied().unwrap_or(0),
                    format!(
                        "this implication reads `{}`, which the implication on line {} sets: write the condition with the fields the reader answers",
                        other.field.name(),
                        other.line
                    ),
                );
            }
            if other.field == imp.field && other.value != imp.value {
                cx.err(
                    starts.get(i).copied().unwrap_or(0),
                    format!(
                        "this implication and the one on line {} set `{}` to different values",
                        other.line,
                        imp.field.name()
                    ),
                );
            }
        }
    }
}

/// The form `cargo xtask review` writes: `sha256:` and the first 16 hex digits.
fn valid_checksum(c: &str) -> bool {
    c.strip_prefix("sha256:")
        .is_some_and(|h| h.len() == 16 && h.chars().all(|ch| ch.is_ascii_hexdigit()))
}

/// True when a condition's threshold is stated in the quote: as the number itself, or in a
/// larger unit the quote uses ("2 weeks" for 14 days, "2 days" for 48 hours).
/// `normalised` is the quote normalised, `lower` the same lower-cased.
fn threshold_in(field: NumField, b: f64, normalised: &str, lower: &str) -> bool {
    if number_in_normalised(b, normalised, lower) {
        return true;
    }
    let in_units = |size: f64, units: &[&str]| {
        let n = b / size;
        n.fract() == 0.0
            && n >= 1.0
            && crate::numbers::spellings(n as u64).iter().any(|w| {
                units
                    .iter()
                    .any(|u| contains_word(lower, &format!("{w} {u}")))
            })
    };
    match field {
        NumField::DaysSinceLookedAfter | NumField::DaysMissing => in_units(7.0, &["week", "weeks"]),
        NumField::HoursMissing => {
            in_units(24.0, &["day", "days"]) || in_units(168.0, &["week", "weeks"])
        }
        _ => false,
    }
}

fn field_name(field: NumField) -> &'static str {
    NumField::ALL
        .iter()
        .find(|(_, f)| *f == field)
        .map(|(n, _)| *n)
        .unwrap_or("?")
}

/// The cited paragraph's text, or an error at `paragraph` when there is no such paragraph.
fn check_paragraph<'p>(
    cx: &mut Ctx,
    paragraphs: &'p Paragraphs,
    paragraph: &Spanned<Cow<str>>,
) -> Option<&'p String> {
    let pid = paragraph.get_ref().trim();
    let found = paragraphs.get(pid);
    if found.is_none() {
        let near: Vec<&str> = paragraphs
            .keys()
            .filter(|k| k.starts_with(pid.split(['-', '.']).next().unwrap_or(pid)))
            .take(6)
            .map(String::as_str)
            .collect();
        cx.err(
            paragraph.span().start,
            format!(
                "no paragraph `r[{pid}]` in the protocol text{}",
                if near.is_empty() {
                    String::new()
                } else {
                    format!(" (ids near it: {})", near.join(", "))
                }
            ),
        );
    }
    found
}

/// Checks that the quote (`q`, normalised) is word for word in the paragraph it names.
fn check_quote(
    cx: &mut Ctx,
    paragraphs: &Paragraphs,
    paragraph: &Spanned<Cow<str>>,
    quote: &Spanned<Cow<str>>,
    q: &str,
) {
    let pid = paragraph.get_ref().trim();
    let Some(p) = check_paragraph(cx, paragraphs, paragraph) else {
        return;
    };
    if q.is_empty() {
        cx.err(
            quote.span().start,
            "`quote` is empty: copy the words from the paragraph",
        );
    } else if !(contains(p, q) || {
        // Not as it stands: perhaps once the paragraph's spacing and typography are
        // normalised too. (A quote found as it stands is found there too: a
        // normalised quote is made of characters normalising leaves as they are,
        // single spaces between them. So this is the test of `quote_in`, with each
        // paragraph normalised at most once.)
        if !cx.normalised.contains_key(pid) {
            cx.normalised.insert(pid.to_string(), normalise(p));
        }
        cx.normalised.get(pid).is_some_and(|p| contains(p, q))
    }) {
        cx.err(
            quote.span().start,
            format!(
                "the quote is not word for word in paragraph `{pid}`; the paragraph reads: \"{}\"",
                shorten(&normalise(p), 300)
            ),
        );
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max).collect();
        format!("{cut}…")
    }
}

/// A worked case and what the protocol must say about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub id: String,
    pub title: String,
    pub themes: Vec<String>,
    pub case: Case,
    pub present: Vec<String>,
    pub upcoming: Vec<String>,
    /// Rules that should be listed for when the child is found or comes back.
    pub on_return: Vec<String>,
    pub absent: Vec<String>,
    pub due: BTreeMap<String, DateTime<FixedOffset>>,
    pub line: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenarios {
    #[serde(default)]
    scenario: Vec<Spanned<RawScenario>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    id: Spanned<String>,
    title: String,
    #[serde(default)]
    themes: Vec<String>,
    case: Spanned<CaseJson>,
    present: Option<Spanned<Vec<String>>>,
    upcoming: Option<Spanned<Vec<String>>>,
    on_return: Option<Spanned<Vec<String>>>,
    absent: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    due: Option<Spanned<BTreeMap<String, toml::Value>>>,
    /// For editors and trainers; the checker does not use it.
    #[serde(default, rename = "note")]
    _note: Option<String>,
}

/// The themes a scenario may have, for the training pages.
pub const THEMES: [&str; 8] = [
    "looked-after",
    "repeat-episodes",
    "young-children",
    "returned",
    "risk",
    "care-leaver",
    "uasc",
    "other-authority",
];

/// A scenario's case as the JSON that [`Case::from_json`] reads: [`toml_to_json`] of its TOML
/// value (as serde reads it).
#[derive(Debug)]
struct CaseJson(serde_json::Value);

impl<'de> Deserialize<'de> for CaseJson {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        toml::Value::deserialize(d).map(|v| CaseJson(toml_to_json(&v)))
    }
}

/// A TOML value as JSON (date-times become RFC 3339 strings).
pub fn toml_to_json(v: &toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        toml::Value::String(s) => J::String(s.clone()),
        toml::Value::Integer(i) => J::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        toml::Value::Boolean(b) => J::Bool(*b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => J::Object(
            t.iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
        ),
    }
}

/// Reads and checks a scenarios file against the rule ids it may name.
pub fn scenarios(file: &str, text: &str, rules: &[Rule]) -> Result<Vec<Scenario>, Vec<Diagnostic>> {
    let raw: RawScenarios = read(file, text)?;
    let lines = crate::diagnostic::LineIndex::new(text);
    let mut cx = Ctx {
        file,
        text,
        errors: Vec::new(),
        normalised: BTreeMap::new(),
    };
    let ids: BTreeSet<&str> = rules.iter().map(|r| &*r.id).collect();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for spanned in raw.scenario {
        // Taken apart, so that its lists move into the scenario rather than being copied.
        let start = spanned.span().start;
        let s = spanned.into_inner();
        let id = s.id.get_ref().trim().to_string();
        if !valid_id(&id) {
            cx.err(
                s.id.span().start,
                format!("scenario id `{id}` must be lower-case letters, digits and `-`"),
            );
        }
        if !seen.insert(id.clone()) {
            cx.err(
                s.id.span().start,
                format!("scenario id `{id}` is used twice"),
            );
        }
        for t in &s.themes {
            if !THEMES.contains(&t.as_str()) {
                cx.err(
                    start,
                    format!(
                        "scenario `{id}`: theme `{t}` is not one of: {}",
                        THEMES.join(", ")
                    ),
                );
            }
        }
        let case = match Case::from_json(&s.case.get_ref().0) {
            Ok(c) => c,
            Err(errors) => {
                for e in errors {
                    cx.err(
                        s.case.span().start,
                        format!("scenario `{id}`: case field `{}`: {}", e.field, e.message),
                    );
                }
                Case::default()
            }
        };
        for list in [&s.present, &s.upcoming, &s.on_return, &s.absent]
            .into_iter()
            .flatten()
        {
            for r in list.get_ref() {
                if !ids.contains(r.as_str()) {
                    cx.err(
                        list.span().start,
                        format!("scenario `{id}` names rule `{r}`, which rules.toml does not have"),
                    );
                }
            }
        }
        let list = |l: Option<Spanned<Vec<String>>>| l.map(Spanned::into_inner).unwrap_or_default();
        let (present, upcoming, absent) = (list(s.present), list(s.upcoming), list(s.absent));
        let on_return = list(s.on_return);
        if present.is_empty() && upcoming.is_empty() && absent.is_empty() && on_return.is_empty() {
            cx.err(
                start,
                format!(
                    "scenario `{id}` expects nothing: list rules under present, upcoming, on_return or absent"
                ),
            );
        }
        let mut due = BTreeMap::new();
        if let Some(d) = &s.due {
            for (rule, v) in d.get_ref() {
                if !ids.contains(rule.as_str()) {
                    cx.err(d.span().start, format!("scenario `{id}`: `due` names rule `{rule}`, which rules.toml does not have"));
                }
                let text = match v {
                    toml::Value::String(s) => s.clone(),
                    toml::Value::Datetime(d) => d.to_string(),
                    _ => String::new(),
                };
                match DateTime::parse_from_rfc3339(&text) {
                    Ok(t) => {
                        due.insert(rule.clone(), t);
                    }
                    Err(_) => cx.err(d.span().start, format!("scenario `{id}`: due for `{rule}` must be a date-time like \"2025-10-27T09:00:00+00:00\"")),
                }
            }
        }
        out.push(Scenario {
            id,
            title: s.title.trim().to_string(),
            themes: s.themes,
            case,
            present,
            upcoming,
            on_return,
            absent,
            due,
            line: lines.line(start),
        });
    }
    if cx.errors.is_empty() {
        Ok(out)
    } else {
        Err(cx.errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs() -> Paragraphs {
        let mut p = Paragraphs::new();
        p.insert(
            "24-p2".into(),
            "Independent Return Conversations should take place within 72 hours of their return."
                .into(),
        );
        p.insert("8.1-p2".into(), "Any child aged 12 or below whose whereabouts cannot be established would automatically be classed as missing;".into());
        p
    }

    const GOOD: &str = r#"
[[rule]]
id = "rhc-72h"
kind = "duty"
text = "Children's social care offers a return home conversation."
who = "Children's social care"
paragraph = "24-p2"
quote = "should take place within 72 hours of their return"
when = { returned = true }
timescale = { amount = 72, unit = "hours", from = "returned" }

[[rule]]
id = "under-13-missing"
kind = "classification"
text = "Missing: aged 12 or under and whereabouts unknown."
paragraph = "8.1-p2"
quote = "Any child aged 12 or below whose whereabouts cannot be established"
when = { age = { at_most = 12 }, whereabouts_known = false }
"#;

    #[test]
    fn a_good_file_loads() {
        let set = rules("rules.toml", GOOD, &paragraphs()).expect("valid");
        assert_eq!(set.rules.len(), 2);
        assert_eq!(set.rules[0].timescale.map(|t| t.amount), Some(72));
        assert_eq!(set.rules[1].line, 12);
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let bad = GOOD
            .replace(
                "within 72 hours of their return",
                "within 48 hours of their return",
            )
            .replace("\"8.1-p2\"", "\"8.1-p9\"")
            .replace("at_most = 12", "at_most = 11")
            .replace("kind = \"classification\"", "kind = \"classifcation\"");
        let errors = rules("rules.toml", &bad, &paragraphs()).expect_err("invalid");
        let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        let joined = text.join("\n");
        assert!(
            joined.contains("rules.toml:8: the quote is not word for word in paragraph `24-p2`"),
            "{joined}"
        );
        assert!(
            joined.contains("rules.toml:14: kind `classifcation` is not one of"),
            "{joined}"
        );
        assert!(
            joined.contains("rules.toml:16: no paragraph `r[8.1-p9]`"),
            "{joined}"
        );
        assert!(joined.contains("does not contain 11 (age)"), "{joined}");
    }

    #[test]
    fn a_not_modelled_entry_may_leave_out_its_quote_but_not_its_paragraph() {
        let text = format!(
            "{GOOD}\n[[not_modelled]]\nparagraph = \"24-p2\"\nreason = \"Background.\"\n\n[[not_modelled]]\nparagraph = \"8.1-p2\"\nquote = \"aged 12 or below\"\nreason = \"r\"\n"
        );
        let set = rules("rules.toml", &text, &paragraphs()).expect("valid");
        assert_eq!(set.not_modelled.len(), 2);
        assert_eq!(
            set.not_modelled[0].quote, "",
            "no quote: the whole paragraph"
        );
        assert_eq!(set.not_modelled[0].line, 20);
        assert_eq!(set.not_modelled[1].quote, "aged 12 or below");
        let bad = text
            .replacen(
                "paragraph = \"24-p2\"\nreason",
                "paragraph = \"24-p9\"\nreason",
                1,
            )
            .replace("quote = \"aged 12 or below\"", "quote = \"\"");
        let errors = rules("rules.toml", &bad, &paragraphs()).expect_err("invalid");
        let joined: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            joined,
            vec![
                "rules.toml:21: no paragraph `r[24-p9]` in the protocol text (ids near it: 24-p2)",
                "rules.toml:26: `quote` is empty: copy the words from the paragraph"
            ]
        );
    }

    #[test]
    fn a_timescale_must_be_in_its_quote() {
        let bad = GOOD.replace("amount = 72", "amount = 48");
        let errors = rules("rules.toml", &bad, &paragraphs()).expect_err("invalid");
        assert!(
            errors[0]
                .message
                .contains("does not contain 48 (timescale)"),
            "{:?}",
            errors
        );
    }

    #[test]
    fn thresholds_may_be_stated_in_weeks_or_days() {
        let quote = "In the first 2 weeks of placement, or after 2 days missing";
        let normalised = normalise(quote);
        let lower = normalised.to_lowercase();
        let threshold_in = |field, b| threshold_in(field, b, &normalised, &lower);
        assert!(threshold_in(NumField::DaysSinceLookedAfter, 14.0));
        assert!(!threshold_in(NumField::DaysSinceLookedAfter, 13.0));
        assert!(threshold_in(NumField::HoursMissing, 48.0));
        assert!(!threshold_in(NumField::HoursMissing, 72.0));
        assert!(!threshold_in(NumField::Age, 14.0));
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let errors = rules(
            "r.toml",
            "[[rule]]\nid = \"x\"\nkind = duty\n",
            &paragraphs(),
        )
        .expect_err("syntax");
        assert_eq!(errors[0].line, 3, "{:?}", errors);
        let errors = rules(
            "r.toml",
            "[[rule]]\nid = \"x\"\ncolour = 1\n",
            &paragraphs(),
        )
        .expect_err("unknown key");
        assert!(errors[0].to_string().starts_with("r.toml:"), "{:?}", errors);
    }

    fn vocabulary() -> Vocabulary {
        let mut text = String::new();
        for (table, id) in [
            ("action", "return-home-interview"),
            ("action", "report-to-police"),
            ("actor", "return-interview-provider"),
            ("actor", "police"),
            ("phase", "now"),
            ("phase", "timed"),
            ("phase", "ongoing"),
            ("phase", "on-return"),
        ] {
            text.push_str(&format!(
                "[[{table}]]\nid = \"{id}\"\nname = \"The {id}\"\ndescription = \"What {id} is.\"\n"
            ));
        }
        crate::vocabulary::load("vocabulary.toml", &text).expect("vocabulary")
    }

    const TAGS: &str = "who = \"Children's social care\"\naction = \"return-home-interview\"\nactors = [\"return-interview-provider\"]\nphase = \"timed\"";

    #[test]
    fn a_duty_is_tagged_from_the_vocabulary_and_carries_its_names() {
        let text = GOOD.replace("who = \"Children's social care\"", TAGS);
        let set =
            rules_with("rules.toml", &text, &paragraphs(), Some(&vocabulary())).expect("valid");
        let r = &set.rules[0];
        assert_eq!(r.action.as_deref(), Some("return-home-interview"));
        assert_eq!(r.action_name.as_deref(), Some("The return-home-interview"));
        assert_eq!(&*r.actors, [SharedStr::from("return-interview-provider")]);
        assert_eq!(
            &*r.actor_names,
            [SharedStr::from("The return-interview-provider")]
        );
        assert_eq!(r.phase, Some(Phase::Timed));
        // What no rule uses is listed, with its line in the vocabulary.
        let v = vocabulary();
        let unused: Vec<(&str, &str, usize)> = v
            .unused(&set.rules)
            .into_iter()
            .map(|(table, id, line)| (table.word(), id, line))
            .collect();
        assert_eq!(
            unused,
            [
                ("action", "report-to-police", 5),
                ("actor", "police", 13),
                ("phase", "now", 17),
                ("phase", "ongoing", 25),
                ("phase", "on-return", 29)
            ]
        );
        // The part a protocol carries: what its rules use, and every phase.
        let part = v.used_by(&set.rules);
        let ids = |entries: &[crate::vocabulary::Entry]| -> Vec<String> {
            entries.iter().map(|e| e.id.to_string()).collect()
        };
        assert_eq!(ids(&part.actions), ["return-home-interview"]);
        assert_eq!(ids(&part.actors), ["return-interview-provider"]);
        assert_eq!(part.phases.len(), 4);
        // Optional on a classification; without a vocabulary, not required on a duty.
        assert_eq!(set.rules[1].action, None);
        assert!(rules("rules.toml", GOOD, &paragraphs()).is_ok());
    }

    #[test]
    fn every_tagging_problem_is_reported_with_its_line() {
        let v = vocabulary();
        let message = |text: &str| -> Vec<String> {
            rules_with("rules.toml", text, &paragraphs(), Some(&v))
                .expect_err("invalid")
                .iter()
                .map(ToString::to_string)
                .collect()
        };
        // A duty without them.
        assert_eq!(
            message(GOOD),
            [
                "rules.toml:2: rule `rhc-72h` is a duty but has no `action`, `actors`, `phase`: add them after `who`, from protocols/vocabulary.toml (2 actions, 2 actors; phases now, timed, ongoing, on-return)"
            ]
        );
        // Unknown names, with the nearest known ones.
        let text = GOOD.replace(
            "who = \"Children's social care\"",
            &TAGS
                .replace("\"return-home-interview\"", "\"return-home-interveiw\"")
                .replace(
                    "[\"return-interview-provider\"]",
                    "[\"polise\", \"nobody-at-all\"]",
                ),
        );
        assert_eq!(
            message(&text),
            [
                "rules.toml:7: rule `rhc-72h`: unknown action `return-home-interveiw`; did you mean `return-home-interview`?",
                "rules.toml:8: rule `rhc-72h`: unknown actor `polise`; did you mean `police`?",
                "rules.toml:8: rule `rhc-72h`: unknown actor `nobody-at-all`; the actors are listed in protocols/vocabulary.toml",
            ]
        );
        // A timescale makes it `timed`, and `timed` needs a timescale.
        let text = GOOD.replace(
            "who = \"Children's social care\"",
            &TAGS.replace("timed", "on-return"),
        );
        assert_eq!(
            message(&text),
            ["rules.toml:9: rule `rhc-72h` has a `timescale`, so its phase is `timed`"]
        );
        let text = GOOD
            .replace("who = \"Children's social care\"", TAGS)
            .replace(
                "timescale = { amount = 72, unit = \"hours\", from = \"returned\" }\n",
                "",
            );
        assert_eq!(
            message(&text),
            [
                "rules.toml:9: rule `rhc-72h` is `timed` but has no `timescale`: add the timescale the quote states, or choose another phase"
            ]
        );
        let text = GOOD.replace(
            "who = \"Children's social care\"",
            &TAGS
                .replace("\"timed\"", "\"on-retrun\"")
                .replace("[\"return-interview-provider\"]", "[]"),
        );
        assert_eq!(
            message(&text),
            [
                "rules.toml:8: rule `rhc-72h`: `actors` is empty: name one or more, like [\"police\"]",
                "rules.toml:9: rule `rhc-72h`: unknown phase `on-retrun`; did you mean `on-return`?",
            ]
        );
    }

    #[test]
    fn scenarios_name_real_rules() {
        let set = rules("rules.toml", GOOD, &paragraphs()).expect("valid");
        let text = r#"
[[scenario]]
id = "young"
title = "A 12-year-old"
case = { age = 12, whereabouts_known = false }
present = ["under-13-missing"]
absent = ["rhc-72hh"]
"#;
        let errors = scenarios("scenarios.toml", text, &set.rules).expect_err("bad id");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 7);
        let ok =
            scenarios("scenarios.toml", &text.replace("72hh", "72h"), &set.rules).expect("valid");
        assert_eq!(ok[0].case.age, Some(12));
    }
}
