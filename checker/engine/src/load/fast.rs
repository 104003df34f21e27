//! The raw tables of `rules.toml` and `scenarios.toml` read straight from the parsed document,
//! without serde: the values, and spans, that serde gives, in a fraction of the time.
//!
//! Only files as they should be are read here. At anything else (a key no table has, a value
//! of another type, a key missing, a document that does not parse) these give `None`, and the
//! caller has serde read the file as before, so that every problem is reported exactly as it
//! always was. What is read here must therefore be what serde would read: strings, lists of
//! strings, dates and whole numbers are taken as the TOML deserializer hands them to serde;
//! anything more (conditions, cases, due dates) is handed to serde itself.

use super::{CaseJson, RawNotModelled, RawRule, RawRules, RawScenario, RawScenarios, RawTimescale};
use serde::Deserialize;
use std::borrow::Cow;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

type Value<'i> = Spanned<DeValue<'i>>;

/// `rules.toml`, as `toml::from_str::<RawRules>` reads it when that succeeds.
pub(super) fn rules(text: &str) -> Option<RawRules<'_>> {
    let mut raw = RawRules {
        rule: Vec::new(),
        not_modelled: Vec::new(),
    };
    for (key, value) in DeTable::parse(text).ok()?.into_inner() {
        match key.get_ref().as_ref() {
            "rule" => raw.rule = tables(value, rule)?,
            "not_modelled" => raw.not_modelled = tables(value, not_modelled)?,
            _ => return None,
        }
    }
    Some(raw)
}

/// `scenarios.toml`, as `toml::from_str::<RawScenarios>` reads it when that succeeds.
pub(super) fn scenarios(text: &str) -> Option<RawScenarios> {
    let mut raw = RawScenarios {
        scenario: Vec::new(),
    };
    for (key, value) in DeTable::parse(text).ok()?.into_inner() {
        match key.get_ref().as_ref() {
            "scenario" => raw.scenario = tables(value, scenario)?,
            _ => return None,
        }
    }
    Some(raw)
}

/// A list of tables (`[[rule]]`, or `rule = [{ ... }]`), each read by `read`.
fn tables<'i, T>(value: Value<'i>, read: fn(DeTable<'i>) -> Option<T>) -> Option<Vec<Spanned<T>>> {
    let DeValue::Array(items) = value.into_inner() else {
        return None;
    };
    items
        .into_iter()
        .map(|item| {
            let span = item.span();
            match item.into_inner() {
                DeValue::Table(table) => read(table).map(|t| Spanned::new(span, t)),
                _ => None,
            }
        })
        .collect()
}

fn rule(table: DeTable<'_>) -> Option<RawRule<'_>> {
    let (mut id, mut kind, mut text, mut who, mut paragraph, mut quote) =
        (None, None, None, None, None, None);
    let (mut when, mut timescale, mut contradicts, mut note, mut checksum, mut reviewed) =
        (None, None, None, None, None, None);
    for (key, value) in table {
        match key.get_ref().as_ref() {
            "id" => id = Some(text_of(value)?),
            "kind" => kind = Some(text_of(value)?),
            "text" => text = Some(text_of(value)?),
            "who" => who = Some(text_of(value)?.into_inner()),
            "paragraph" => paragraph = Some(text_of(value)?),
            "quote" => quote = Some(text_of(value)?),
            "when" => when = Some(by_serde(value)?),
            "timescale" => timescale = Some(spanned(value, self::timescale)?),
            "contradicts" => contradicts = Some(text_of(value)?),
            "note" => note = Some(text_of(value)?.into_inner()),
            "checksum" => checksum = Some(text_of(value)?),
            "reviewed" => {
                let span = value.span();
                match value.into_inner() {
                    DeValue::Datetime(d) => reviewed = Some(Spanned::new(span, d)),
                    _ => return None,
                }
            }
            _ => return None,
        }
    }
    Some(RawRule {
        id: id?,
        kind: kind?,
        text: text?,
        who,
        paragraph: paragraph?,
        quote: quote?,
        when,
        timescale,
        contradicts,
        note,
        checksum,
        reviewed,
    })
}

fn timescale(table: DeTable) -> Option<RawTimescale> {
    let (mut amount, mut unit, mut from) = (None, None, None);
    for (key, value) in table {
        match key.get_ref().as_ref() {
            "amount" => match value.into_inner() {
                // As the deserializer does: the digits in their radix, as an i64.
                DeValue::Integer(n) => {
                    amount = Some(i64::from_str_radix(n.as_str(), n.radix()).ok()?)
                }
                _ => return None,
            },
            "unit" => unit = Some(string(value)?.into_inner()),
            "from" => from = Some(string(value)?.into_inner()),
            _ => return None,
        }
    }
    Some(RawTimescale {
        amount: amount?,
        unit: unit?,
        from: from?,
    })
}

fn not_modelled(table: DeTable<'_>) -> Option<RawNotModelled<'_>> {
    let (mut paragraph, mut quote, mut reason) = (None, None, None);
    for (key, value) in table {
        match key.get_ref().as_ref() {
            "paragraph" => paragraph = Some(text_of(value)?),
            "quote" => quote = Some(text_of(value)?),
            "reason" => reason = Some(text_of(value)?),
            _ => return None,
        }
    }
    Some(RawNotModelled {
        paragraph: paragraph?,
        quote,
        reason: reason?,
    })
}

fn scenario(table: DeTable) -> Option<RawScenario> {
    let (mut id, mut title, mut themes, mut case) = (None, None, None, None);
    let (mut present, mut upcoming, mut on_return, mut absent, mut due, mut note) =
        (None, None, None, None, None, None);
    for (key, value) in table {
        match key.get_ref().as_ref() {
            "id" => id = Some(string(value)?),
            "title" => title = Some(string(value)?.into_inner()),
            "themes" => themes = Some(strings(value)?.into_inner()),
            "case" => {
                let span = value.span();
                case = Some(Spanned::new(span, CaseJson(json(value)?)));
            }
            "present" => present = Some(strings(value)?),
            "upcoming" => upcoming = Some(strings(value)?),
            "on_return" => on_return = Some(strings(value)?),
            "absent" => absent = Some(strings(value)?),
            "due" => due = Some(by_serde(value)?),
            "note" => note = Some(string(value)?.into_inner()),
            _ => return None,
        }
    }
    Some(RawScenario {
        id: id?,
        title: title?,
        themes: themes.unwrap_or_default(),
        case: case?,
        present,
        upcoming,
        on_return,
        absent,
        due,
        _note: note,
    })
}

/// A string, as serde gets it (owned or borrowed, the same text).
fn string(value: Value) -> Option<Spanned<String>> {
    text_of(value).map(|s| Spanned::new(s.span(), s.into_inner().into_owned()))
}

/// A string, borrowed from the file when it is there as it reads (no escapes).
fn text_of(value: Value<'_>) -> Option<Spanned<Cow<'_, str>>> {
    let span = value.span();
    match value.into_inner() {
        DeValue::String(s) => Some(Spanned::new(span, s)),
        _ => None,
    }
}

/// A list of strings.
fn strings(value: Value) -> Option<Spanned<Vec<String>>> {
    let span = value.span();
    let DeValue::Array(items) = value.into_inner() else {
        return None;
    };
    let list = items
        .into_iter()
        .map(|item| string(item).map(Spanned::into_inner))
        .collect::<Option<_>>()?;
    Some(Spanned::new(span, list))
}

/// A table read by `read`, with its span.
fn spanned<'i, T>(value: Value<'i>, read: fn(DeTable<'i>) -> Option<T>) -> Option<Spanned<T>> {
    let span = value.span();
    match value.into_inner() {
        DeValue::Table(table) => read(table).map(|t| Spanned::new(span, t)),
        _ => None,
    }
}

/// A value as JSON, as [`super::toml_to_json`] makes it of the `toml::Value` serde reads.
fn json(value: Value) -> Option<serde_json::Value> {
    use serde_json::Value as J;
    let span = value.span();
    Some(match value.into_inner() {
        DeValue::String(s) => J::String(s.into_owned()),
        // As the deserializer hands it to `toml::Value`: an i64, or else an error.
        DeValue::Integer(n) => J::from(i64::from_str_radix(n.as_str(), n.radix()).ok()?),
        DeValue::Float(f) => {
            let x: f64 = by_serde(Spanned::new(span, DeValue::Float(f)))?;
            serde_json::Number::from_f64(x).map_or(J::Null, J::Number)
        }
        DeValue::Boolean(b) => J::Bool(b),
        DeValue::Datetime(d) => J::String(d.to_string()),
        DeValue::Array(items) => J::Array(items.into_iter().map(json).collect::<Option<_>>()?),
        DeValue::Table(table) => J::Object(
            table
                .into_iter()
                .map(|(k, v)| Some((k.into_inner().into_owned(), json(v)?)))
                .collect::<Option<_>>()?,
        ),
    })
}

/// Anything more, read by serde from this value alone, as it would be from the whole file.
fn by_serde<'i, T: Deserialize<'i>>(value: Value<'i>) -> Option<T> {
    T::deserialize(ValueDeserializer::from(value)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: &str = r#"
[[rule]]
id = "a"
kind = "duty"
text = "Do it, \"now\"."
who = 'Someone'
paragraph = "1"
quote = """
a quote"""
when = { age = { at_most = 12 }, any = [ { uasc = true } ] }
timescale = { amount = 0x48, unit = "hours", from = "missing" }
contradicts = "b"
note = "n"
checksum = "sha256:0123456789abcdef"
reviewed = 2025-10-24

[[rule]]
id = "b"
kind = "classification"
text = "t"
paragraph = "2"
quote = "q"

[rule.timescale]
amount = 3
unit = "days"
from = "returned"

[[not_modelled]]
paragraph = "3"
quote = "q"
reason = "r"

[[not_modelled]]
paragraph = "4"
reason = "the whole paragraph"
"#;

    const SCENARIOS: &str = r#"
[[scenario]]
id = "s"
title = "T"
themes = ["risk"]
case = { age = 12, hours_missing = 24.5, missing_since = 2025-10-24T10:00:00.5+01:00, now = 1979-05-27T00:32:00.999999Z, x = [1, { y = inf, z = nan }, 07:32:00, 2025-10-24], "odd key" = 0x1F }
present = ["a"]
absent = []
due = { a = "2025-10-27T09:00:00+00:00", b = 2025-10-27T09:00:00Z }
note = "n"
"#;

    fn debug<T: std::fmt::Debug>(t: &T) -> String {
        format!("{t:?}")
    }

    #[test]
    fn what_is_read_is_what_serde_reads_spans_and_all() {
        let fast = rules(RULES).expect("read without serde");
        let serde: RawRules = toml::from_str(RULES).expect("serde");
        assert_eq!(debug(&fast), debug(&serde));
        assert_eq!(
            fast.rule[0]
                .get_ref()
                .timescale
                .as_ref()
                .map(|t| t.get_ref().amount),
            Some(72)
        );
        let fast = scenarios(SCENARIOS).expect("read without serde");
        let serde: RawScenarios = toml::from_str(SCENARIOS).expect("serde");
        assert_eq!(debug(&fast), debug(&serde));
    }

    #[test]
    fn anything_unusual_is_left_to_serde() {
        for bad in [
            RULES.replace("who = 'Someone'", "who = 3"),
            RULES.replace("note = \"n\"", "colour = \"n\""),
            RULES.replace("amount = 0x48", "amount = 72.0"),
            RULES.replace("amount = 0x48", "amount = 99999999999999999999"),
            RULES.replace("reviewed = 2025-10-24", "reviewed = \"2025-10-24\""),
            RULES.replace("id = \"b\"", ""),
            RULES.replace("[[not_modelled]]", "[not_modelled]"),
            RULES.replace("[[rule]]\nid = \"a\"", "[[rules]]\nid = \"a\""),
            format!("{RULES}\n[[rule]\n"),
        ] {
            assert!(rules(&bad).is_none(), "{bad}");
        }
        for bad in [
            SCENARIOS.replace("present = [\"a\"]", "present = [\"a\", 1]"),
            SCENARIOS.replace("title = \"T\"", ""),
            SCENARIOS.replace("age = 12", "age = 99999999999999999999"),
            SCENARIOS.replace("themes = [\"risk\"]", "themes = \"risk\""),
            SCENARIOS.replace(
                "due = { a = \"2025-10-27T09:00:00+00:00\", b = 2025-10-27T09:00:00Z }",
                "due = \"x\"",
            ),
        ] {
            assert!(scenarios(&bad).is_none(), "{bad}");
        }
    }
}
