//! The shared vocabulary (`protocols/vocabulary.toml`): the actions, actors and phases every
//! protocol's duties are tagged with, each with a plain name. Read from its text and checked,
//! every problem with its file and line; and the nearest known names for a name not in it.

use crate::diagnostic::{Diagnostic, LineIndex};
use crate::model::{Phase, Rule, SharedStr};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;
use toml::Spanned;

/// One entry of the vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: SharedStr,
    /// Short plain words, as a carer would say them: "Foster carer or residential staff".
    pub name: SharedStr,
    /// One line: what the entry covers.
    pub description: SharedStr,
    /// 1-based line of the entry in its file, for messages (not bundled).
    #[serde(skip)]
    pub line: usize,
}

/// The shared vocabulary, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vocabulary {
    pub actions: Vec<Entry>,
    pub actors: Vec<Entry>,
    /// Exactly the four phases, in the file's order.
    pub phases: Vec<Entry>,
}

/// Which table of the vocabulary, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Action,
    Actor,
    Phase,
}

impl Table {
    /// "action", "actor" or "phase".
    pub fn word(self) -> &'static str {
        match self {
            Table::Action => "action",
            Table::Actor => "actor",
            Table::Phase => "phase",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVocabulary<'i> {
    #[serde(default, borrow)]
    action: Vec<Spanned<RawEntry<'i>>>,
    #[serde(default, borrow)]
    actor: Vec<Spanned<RawEntry<'i>>>,
    #[serde(default, borrow)]
    phase: Vec<Spanned<RawEntry<'i>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry<'i> {
    #[serde(borrow)]
    id: Spanned<Cow<'i, str>>,
    #[serde(borrow)]
    name: Spanned<Cow<'i, str>>,
    #[serde(borrow)]
    description: Spanned<Cow<'i, str>>,
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

/// Reads and checks the vocabulary file: ids well formed and unique in their table, names and
/// descriptions not empty, and the phases exactly `now`, `timed`, `ongoing`, `on-return`.
pub fn load(file: &str, text: &str) -> Result<Vocabulary, Vec<Diagnostic>> {
    let raw: RawVocabulary = toml::from_str(text).map_err(|e| {
        let offset = e.span().map(|s| s.start).unwrap_or(0);
        vec![Diagnostic::at(file, text, offset, e.message().trim())]
    })?;
    let lines = LineIndex::new(text);
    let mut errors = Vec::new();
    let mut err = |offset: usize, message: String| {
        errors.push(Diagnostic::at(file, text, offset, message));
    };
    let mut table = |raw: &[Spanned<RawEntry>], which: Table| -> Vec<Entry> {
        let word = which.word();
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        let mut out = Vec::new();
        for spanned in raw {
            let e = spanned.get_ref();
            let line = lines.line(spanned.span().start);
            let id = e.id.get_ref().trim();
            if !valid_id(id) {
                err(
                    e.id.span().start,
                    format!(
                        "{word} id `{id}` must be lower-case letters, digits and `-`, like `report-to-police`"
                    ),
                );
            }
            if let Some(first) = seen.insert(id, line) {
                err(
                    e.id.span().start,
                    format!(
                        "{word} id `{id}` is used twice (first on line {first}): give each its own id"
                    ),
                );
            }
            if e.name.get_ref().trim().is_empty() {
                err(
                    e.name.span().start,
                    format!("{word} `{id}`: `name` is empty: give it a short name in plain words"),
                );
            }
            if e.description.get_ref().trim().is_empty() {
                err(
                    e.description.span().start,
                    format!(
                        "{word} `{id}`: `description` is empty: say in one line what it covers"
                    ),
                );
            }
            out.push(Entry {
                id: id.into(),
                name: e.name.get_ref().trim().into(),
                description: e.description.get_ref().trim().into(),
                line,
            });
        }
        if out.is_empty() {
            err(
                0,
                format!("there is no `[[{word}]]` table: the vocabulary needs its {word}s"),
            );
        }
        out
    };
    let actions = table(&raw.action, Table::Action);
    let actors = table(&raw.actor, Table::Actor);
    let phases = table(&raw.phase, Table::Phase);
    let names: Vec<&str> = Phase::ALL.iter().map(|(n, _)| *n).collect();
    for (entry, spanned) in phases.iter().zip(&raw.phase) {
        if !names.contains(&&*entry.id) {
            errors.push(Diagnostic::at(
                file,
                text,
                spanned.get_ref().id.span().start,
                format!(
                    "phase `{}` is not one the checker knows: the phases are exactly {}",
                    entry.id,
                    names.join(", ")
                ),
            ));
        }
    }
    for name in &names {
        if !phases.iter().any(|p| &*p.id == *name) {
            // Said at the top of the file (line 1): it belongs nowhere else.
            errors.push(Diagnostic::at(
                file,
                text,
                0,
                format!(
                    "the phase `{name}` is missing: the phases are exactly {}",
                    names.join(", ")
                ),
            ));
        }
    }
    if errors.is_empty() {
        Ok(Vocabulary {
            actions,
            actors,
            phases,
        })
    } else {
        errors.sort_by_key(|d| d.line);
        Err(errors)
    }
}

impl Vocabulary {
    fn entries(&self, table: Table) -> &[Entry] {
        match table {
            Table::Action => &self.actions,
            Table::Actor => &self.actors,
            Table::Phase => &self.phases,
        }
    }

    /// The entry with this id in a table.
    pub fn get(&self, table: Table, id: &str) -> Option<&Entry> {
        self.entries(table).iter().find(|e| &*e.id == id)
    }

    pub fn action(&self, id: &str) -> Option<&Entry> {
        self.get(Table::Action, id)
    }

    pub fn actor(&self, id: &str) -> Option<&Entry> {
        self.get(Table::Actor, id)
    }

    pub fn phase(&self, phase: Phase) -> Option<&Entry> {
        self.get(Table::Phase, phase.id())
    }

    /// The message for a name not in a table: "unknown action `report-police`; did you mean
    /// `report-to-police`?", with the nearest known names.
    pub fn unknown(&self, table: Table, name: &str) -> String {
        let word = table.word();
        let near = nearest(self.entries(table).iter().map(|e| &*e.id), name);
        if near.is_empty() {
            format!("unknown {word} `{name}`; the {word}s are listed in protocols/vocabulary.toml")
        } else {
            let quoted: Vec<String> = near.iter().map(|n| format!("`{n}`")).collect();
            format!(
                "unknown {word} `{name}`; did you mean {}?",
                quoted.join(" or ")
            )
        }
    }

    /// The part of the vocabulary some of these rules use: the actions and actors they name
    /// (in the vocabulary's order) and every phase.
    pub fn used_by<'a>(&self, rules: impl IntoIterator<Item = &'a Rule>) -> Vocabulary {
        let unused: Vec<(Table, SharedStr)> = {
            let rules: Vec<&Rule> = rules.into_iter().collect();
            self.unused(rules)
                .into_iter()
                .map(|(t, id, _)| (t, SharedStr::from(id)))
                .collect()
        };
        let keep = |table: Table| -> Vec<Entry> {
            self.entries(table)
                .iter()
                .filter(|e| table == Table::Phase || !unused.contains(&(table, e.id.clone())))
                .cloned()
                .collect()
        };
        Vocabulary {
            actions: keep(Table::Action),
            actors: keep(Table::Actor),
            phases: keep(Table::Phase),
        }
    }

    /// The entries no rule uses, as (table, id, line): across every protocol's rules.
    pub fn unused<'a>(
        &'a self,
        rules: impl IntoIterator<Item = &'a Rule>,
    ) -> Vec<(Table, &'a str, usize)> {
        let mut actions = Vec::new();
        let mut actors = Vec::new();
        let mut phases = Vec::new();
        for rule in rules {
            actions.extend(rule.action.as_deref());
            actors.extend(rule.actors.iter().map(|a| &**a));
            phases.extend(rule.phase.map(Phase::id));
        }
        let mut out = Vec::new();
        for (table, used) in [
            (Table::Action, &actions),
            (Table::Actor, &actors),
            (Table::Phase, &phases),
        ] {
            for e in self.entries(table) {
                if !used.contains(&&*e.id) {
                    out.push((table, &*e.id, e.line));
                }
            }
        }
        out
    }
}

/// The edit distance between two names (insertions, deletions, substitutions).
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The known names nearest to `name` (at most three, all at the smallest distance), if any is
/// near enough to be a likely slip: within a third of the name's length (at least 2 edits),
/// or containing it or contained in it.
pub fn nearest<'a>(known: impl Iterator<Item = &'a str>, name: &str) -> Vec<&'a str> {
    let len = name.chars().count();
    let limit = (len / 3).max(2);
    let mut scored: Vec<(usize, &str)> = known
        .map(|k| {
            let d = distance(name, k);
            let within = !name.is_empty() && (k.contains(name) || name.contains(k));
            (if within { d.min(limit) } else { d }, k)
        })
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort_by_key(|(d, _)| *d);
    let best = scored.first().map(|(d, _)| *d);
    scored
        .into_iter()
        .filter(|(d, _)| Some(*d) == best)
        .take(3)
        .map(|(_, k)| k)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[[action]]
id = "report-to-police"
name = "Report to the police"
description = "Report the child missing."

[[action]]
id = "safe-and-well-check"
name = "Safe and well check"
description = "The police see the child."

[[actor]]
id = "police"
name = "Police"
description = "The police."

[[phase]]
id = "now"
name = "Now"
description = "Tonight."

[[phase]]
id = "timed"
name = "By a deadline"
description = "Has a deadline."

[[phase]]
id = "ongoing"
name = "Ongoing"
description = "Reviews."

[[phase]]
id = "on-return"
name = "When the child is back"
description = "Found or back."
"#;

    #[test]
    fn a_good_vocabulary_loads() {
        let v = load("vocabulary.toml", GOOD).expect("valid");
        assert_eq!(v.actions.len(), 2);
        assert_eq!(v.actions[1].line, 7);
        assert_eq!(v.actor("police").map(|e| &*e.name), Some("Police"), "{v:?}");
        assert_eq!(
            v.phase(Phase::OnReturn).map(|e| &*e.name),
            Some("When the child is back")
        );
    }

    #[test]
    fn every_problem_in_the_vocabulary_is_reported_with_its_line() {
        let bad = GOOD
            .replace("id = \"safe-and-well-check\"", "id = \"report-to-police\"")
            .replace("name = \"Police\"", "name = \" \"")
            .replace("id = \"ongoing\"", "id = \"later\"");
        let errors = load("vocabulary.toml", &bad).expect_err("invalid");
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            vec![
                "vocabulary.toml:1: the phase `ongoing` is missing: the phases are exactly now, timed, ongoing, on-return",
                "vocabulary.toml:8: action id `report-to-police` is used twice (first on line 2): give each its own id",
                "vocabulary.toml:14: actor `police`: `name` is empty: give it a short name in plain words",
                "vocabulary.toml:28: phase `later` is not one the checker knows: the phases are exactly now, timed, ongoing, on-return",
            ]
        );
        let errors = load("vocabulary.toml", "[[action]]\nid = \"x\"\n").expect_err("no name");
        assert_eq!(errors[0].line, 1, "{errors:?}");
    }

    #[test]
    fn unknown_names_get_the_nearest_known_ones() {
        let v = load("vocabulary.toml", GOOD).expect("valid");
        assert_eq!(
            v.unknown(Table::Action, "report-police"),
            "unknown action `report-police`; did you mean `report-to-police`?"
        );
        assert_eq!(
            v.unknown(Table::Actor, "polise"),
            "unknown actor `polise`; did you mean `police`?"
        );
        assert_eq!(
            v.unknown(Table::Action, "write-a-novel"),
            "unknown action `write-a-novel`; the actions are listed in protocols/vocabulary.toml"
        );
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("é", "e"), 1);
    }
}
