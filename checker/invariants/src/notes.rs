//! `protocols/<id>/sweep-notes.toml`: the gaps and overlaps the sweep finds that are accepted,
//! each with its reason.
//!
//! ```toml
//! [[gap]]
//! when = { age = { at_least = 18 } }   # the cases it explains, in the rules' condition language
//! reason = "The protocol covers children under 18; nothing in it reaches adults."
//!
//! [[overlap]]
//! rules = ["safe-and-well-check-24h", "safe-and-well-check-1h-police-high-risk"]
//! reason = "The text gives 24 hours in general and 1 hour in a high-risk case; both are shown."
//! ```

use handbook_engine::condition::{self, Condition};
use handbook_engine::diagnostic::line_of;
use handbook_engine::{Case, Diagnostic, Protocol};
use serde::Deserialize;
use std::path::Path;
use toml::Spanned;

/// The file name, in each protocol's folder.
pub const FILE: &str = "sweep-notes.toml";

#[derive(Debug, Clone, PartialEq)]
pub struct GapNote {
    pub when: Condition,
    pub reason: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OverlapNote {
    /// Sorted.
    pub rules: [String; 2],
    pub reason: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Notes {
    /// For messages: `protocols/<id>/sweep-notes.toml`.
    pub file: String,
    pub gaps: Vec<GapNote>,
    pub overlaps: Vec<OverlapNote>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    gap: Vec<Spanned<RawGap>>,
    #[serde(default)]
    overlap: Vec<Spanned<RawOverlap>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGap {
    when: Spanned<toml::Value>,
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverlap {
    rules: Spanned<Vec<String>>,
    reason: String,
}

impl Notes {
    /// The line of the first gap note whose condition is true of the case.
    pub fn gap(&self, case: &Case) -> Option<usize> {
        self.gaps
            .iter()
            .find(|g| g.when.eval(case) == Some(true))
            .map(|g| g.line)
    }

    /// The note explaining an overlap of these two rules (sorted).
    pub fn overlap(&self, rules: &[String; 2]) -> Option<&OverlapNote> {
        self.overlaps.iter().find(|n| &n.rules == rules)
    }

    /// Reads the notes from their text, checking rule ids against the protocol. Every problem
    /// has the file and line.
    pub fn parse(file: &str, text: &str, protocol: &Protocol) -> Result<Notes, Vec<Diagnostic>> {
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let offset = e.span().map(|s| s.start).unwrap_or(0);
            vec![Diagnostic::at(file, text, offset, e.message().trim())]
        })?;
        let mut errors = Vec::new();
        let mut notes = Notes {
            file: file.to_string(),
            ..Notes::default()
        };
        for g in &raw.gap {
            let line = line_of(text, g.span().start);
            let r = g.get_ref();
            if r.reason.trim().is_empty() {
                errors.push(Diagnostic::new(file, line, "give the gap's `reason`"));
            }
            match condition::parse(r.when.get_ref()) {
                Ok(when) => notes.gaps.push(GapNote {
                    when,
                    reason: r.reason.trim().to_string(),
                    line,
                }),
                Err(m) => errors.push(Diagnostic::at(file, text, r.when.span().start, m)),
            }
        }
        for o in &raw.overlap {
            let line = line_of(text, o.span().start);
            let r = o.get_ref();
            if r.reason.trim().is_empty() {
                errors.push(Diagnostic::new(file, line, "give the overlap's `reason`"));
            }
            let ids = r.rules.get_ref();
            for id in ids {
                if protocol.rule(id).is_none() {
                    errors.push(Diagnostic::at(
                        file,
                        text,
                        r.rules.span().start,
                        format!("there is no rule `{id}` in this protocol's rules.toml"),
                    ));
                }
            }
            match ids.as_slice() {
                [a, b] if a != b => {
                    let mut rules = [a.clone(), b.clone()];
                    rules.sort();
                    notes.overlaps.push(OverlapNote {
                        rules,
                        reason: r.reason.trim().to_string(),
                        line,
                    });
                }
                _ => errors.push(Diagnostic::at(
                    file,
                    text,
                    r.rules.span().start,
                    "an overlap names two different rules, like rules = [\"a\", \"b\"]",
                )),
            }
        }
        if errors.is_empty() {
            Ok(notes)
        } else {
            Err(errors)
        }
    }

    /// Reads `<dir>/sweep-notes.toml`; no file is no notes.
    pub fn load(dir: &Path, protocol: &Protocol) -> Result<Notes, Vec<Diagnostic>> {
        let path = dir.join(FILE);
        let file = format!("protocols/{}/{FILE}", protocol.id);
        match std::fs::read_to_string(&path) {
            Ok(text) => Notes::parse(&file, &text, protocol),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Notes {
                file,
                ..Notes::default()
            }),
            Err(e) => Err(vec![Diagnostic::new(
                &file,
                0,
                format!("cannot read the file: {e}"),
            )]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn protocol() -> Protocol {
        let rules = ["a", "b"]
            .iter()
            .map(|id| handbook_engine::Rule {
                id: (*id).into(),
                kind: handbook_engine::Kind::Duty,
                text: "x".into(),
                who: Some("y".into()),
                action: None,
                action_name: None,
                actors: Default::default(),
                actor_names: Default::default(),
                phase: None,
                paragraph: "1".into(),
                quote: "q".into(),
                when: Condition::always(),
                timescale: None,
                contradicts: None,
                strength: Default::default(),
                note: None,
                line: 1,
                checksum: None,
                reviewed: None,
            })
            .collect();
        Protocol {
            id: "p".into(),
            title: "P".into(),
            short_title: "P".into(),
            authority: "A".into(),
            version: None,
            rules,
            paragraphs: Default::default(),
            holidays: Default::default(),
            implies: Vec::new(),
            main_questions: Vec::new(),
            vocabulary: Default::default(),
        }
    }

    #[test]
    fn notes_are_read_and_checked() {
        let text = "[[gap]]\nwhen = { age = { at_least = 18 } }\nreason = \"adults\"\n\n[[overlap]]\nrules = [\"b\", \"a\"]\nreason = \"both shown\"\n";
        let notes = Notes::parse("n.toml", text, &protocol()).expect("valid");
        assert_eq!(notes.gaps[0].line, 1);
        let adult = Case {
            age: Some(19),
            ..Case::default()
        };
        assert_eq!(notes.gap(&adult), Some(1));
        assert_eq!(notes.gap(&Case::default()), None);
        assert!(notes.overlap(&["a".into(), "b".into()]).is_some());

        let bad = text.replace("\"a\"]", "\"c\"]").replace("at_least", "over");
        let errors = Notes::parse("n.toml", &bad, &protocol()).expect_err("invalid");
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 6], "{errors:?}");
    }
}
