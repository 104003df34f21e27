//! The protocols folder, read from disk and checked.
//!
//! This crate does the file IO and the Markdown that the engine must not: it finds each
//! protocol's files, splits the text into paragraphs by their `r[...]` ids, and hands the
//! engine the paragraphs to check rules against. Every problem is collected with its file and
//! line before anything is returned.

pub mod fidelity;
pub mod markdown;
pub mod meta;
pub mod report;
pub mod review;
pub mod trace;

use handbook_engine::deadline::BankHolidays;
use handbook_engine::load::{self, RuleSet, Scenario};
use handbook_engine::model::Protocol;
use handbook_engine::vocabulary::{self, Vocabulary};
use handbook_engine::{Diagnostic, Rule};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

pub use markdown::{Chapter, Paragraph};
pub use meta::Meta;

/// The file of bank holidays, in the protocols folder.
pub const HOLIDAYS_FILE: &str = "bank-holidays.toml";

/// The shared vocabulary of actions, actors and phases, in the protocols folder.
pub const VOCABULARY_FILE: &str = "vocabulary.toml";

/// One protocol's content, read and checked.
#[derive(Debug, Clone)]
pub struct ProtocolContent {
    pub id: String,
    pub dir: PathBuf,
    pub meta: Meta,
    pub chapters: Vec<Chapter>,
    pub paragraphs: BTreeMap<String, Paragraph>,
    pub rules: RuleSet,
    pub scenarios: Vec<Scenario>,
    pub source: String,
    /// What the engine needs, with links to the paragraphs.
    pub protocol: Protocol,
}

/// Every protocol in the folder.
#[derive(Debug, Clone)]
pub struct Library {
    pub root: PathBuf,
    pub protocols: Vec<ProtocolContent>,
    pub holidays: BankHolidays,
    /// The actions, actors and phases every duty is tagged with.
    pub vocabulary: Vocabulary,
}

impl Library {
    /// The vocabulary's entries that no rule of any protocol uses, each as
    /// `vocabulary.toml:line: ...` (only meaningful when every protocol was loaded).
    pub fn unused_vocabulary(&self) -> Vec<Diagnostic> {
        let rules: Vec<&Rule> = self
            .protocols
            .iter()
            .flat_map(|p| &p.protocol.rules)
            .collect();
        let file = rel(&self.root, &self.root.join(VOCABULARY_FILE));
        self.vocabulary
            .unused(rules)
            .into_iter()
            .map(|(table, id, line)| {
                Diagnostic::new(
                    &file,
                    line,
                    format!(
                        "{} `{id}` is used by no rule: remove it, or tag the duties it fits",
                        table.word()
                    ),
                )
            })
            .collect()
    }

    /// What the quick checker is given (the built site's `checker/rules.bin`, written with
    /// `handbook_engine::bundle`): each protocol's rules, holidays and vocabulary names, with
    /// the chapters of only the paragraphs that rules cite, and without what is for editors (the
    /// review records, the rules' lines in their files, the vocabulary's descriptions, and the
    /// notes on rules, but a contradiction's, which says what the two passages disagree on).
    pub fn checker_rules(&self) -> Vec<Protocol> {
        self.protocols
            .iter()
            .map(|p| {
                let mut protocol = p.protocol.clone();
                let cited: BTreeSet<&str> =
                    p.protocol.rules.iter().map(|r| &*r.paragraph).collect();
                protocol
                    .paragraphs
                    .retain(|(para, _)| cited.contains(para.as_str()));
                let contradicting: BTreeSet<&str> = p
                    .protocol
                    .rules
                    .iter()
                    .filter_map(|r| r.contradicts.as_deref())
                    .collect();
                for rule in &mut protocol.rules {
                    rule.checksum = None;
                    rule.reviewed = None;
                    rule.line = 0;
                    if rule.contradicts.is_none() && !contradicting.contains(&*rule.id) {
                        rule.note = None;
                    }
                }
                let vocabulary = &mut protocol.vocabulary;
                for entry in vocabulary
                    .actions
                    .iter_mut()
                    .chain(&mut vocabulary.actors)
                    .chain(&mut vocabulary.phases)
                {
                    entry.description = "".into();
                }
                protocol
            })
            .collect()
    }

    pub fn get(&self, id: &str) -> Option<&ProtocolContent> {
        self.protocols.iter().find(|p| p.id == id)
    }

    pub fn ids(&self) -> Vec<&str> {
        self.protocols.iter().map(|p| p.id.as_str()).collect()
    }
}

/// The page a chapter becomes, relative to the site root (one definition, the engine's, which
/// makes the checker's links from it).
pub use handbook_engine::model::chapter_page;

/// The protocol's first page (generated from protocol.toml), relative to the site root.
pub fn index_page(protocol: &str) -> String {
    format!("protocols/{protocol}/index.html")
}

fn rel(root: &Path, p: &Path) -> String {
    let shown = p.strip_prefix(root.parent().unwrap_or(root)).unwrap_or(p);
    shown.display().to_string()
}

fn read(root: &Path, path: &Path, errors: &mut Vec<Diagnostic>) -> Option<String> {
    match fs::read_to_string(path) {
        Ok(s) => Some(s),
        Err(e) => {
            errors.push(Diagnostic::new(
                &rel(root, path),
                0,
                format!("cannot read the file: {e}"),
            ));
            None
        }
    }
}

/// Reads every protocol folder under `root` (normally `protocols/`), or only `only`.
pub fn load(root: &Path, only: Option<&str>) -> Result<Library, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let holidays_path = root.join(HOLIDAYS_FILE);
    let holidays = read(root, &holidays_path, &mut errors)
        .map(|text| {
            BankHolidays::parse(&rel(root, &holidays_path), &text).unwrap_or_else(|e| {
                errors.extend(e);
                BankHolidays::default()
            })
        })
        .unwrap_or_default();
    let vocabulary_path = root.join(VOCABULARY_FILE);
    let vocabulary = read(root, &vocabulary_path, &mut errors).and_then(|text| {
        vocabulary::load(&rel(root, &vocabulary_path), &text)
            .map_err(|e| errors.extend(e))
            .ok()
    });
    let mut dirs: Vec<PathBuf> = match fs::read_dir(root) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect(),
        Err(e) => {
            return Err(vec![Diagnostic::new(
                &root.display().to_string(),
                0,
                format!("cannot read the protocols folder: {e}"),
            )]);
        }
    };
    dirs.sort();
    let mut protocols = Vec::new();
    for dir in dirs {
        let id = dir
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if only.is_some_and(|o| o != id) {
            continue;
        }
        // Without a vocabulary (its problems are reported) the rules are read without one.
        if let Some(p) = load_protocol(root, &dir, &id, &holidays, vocabulary.as_ref(), &mut errors)
        {
            protocols.push(p);
        }
    }
    if let Some(o) = only
        && protocols.iter().all(|p| p.id != o)
        && errors.is_empty()
    {
        errors.push(Diagnostic::new(
            &root.display().to_string(),
            0,
            format!("there is no protocol folder `{o}`"),
        ));
    }
    protocols.sort_by_key(|p| (p.meta.order, p.id.clone()));
    if errors.is_empty() {
        Ok(Library {
            root: root.to_path_buf(),
            protocols,
            holidays,
            vocabulary: vocabulary.unwrap_or_default(),
        })
    } else {
        Err(errors)
    }
}

fn load_protocol(
    root: &Path,
    dir: &Path,
    id: &str,
    holidays: &BankHolidays,
    vocabulary: Option<&Vocabulary>,
    errors: &mut Vec<Diagnostic>,
) -> Option<ProtocolContent> {
    let before = errors.len();
    if !id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        errors.push(Diagnostic::new(
            &rel(root, dir),
            0,
            "a protocol folder's name must be lower-case letters, digits and `-`",
        ));
    }
    let meta_path = dir.join("protocol.toml");
    let meta = read(root, &meta_path, errors).and_then(|text| {
        meta::parse(&rel(root, &meta_path), &text)
            .map_err(|e| errors.extend(e))
            .ok()
    });
    let mut md_files: Vec<PathBuf> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "md"))
                .collect()
        })
        .unwrap_or_default();
    md_files.sort();
    if md_files.is_empty() {
        errors.push(Diagnostic::new(
            &rel(root, dir),
            0,
            "no Markdown files: the protocol text goes in NN-name.md files",
        ));
    }
    let mut chapters = Vec::new();
    let mut paragraphs: BTreeMap<String, Paragraph> = BTreeMap::new();
    for path in &md_files {
        let Some(text) = read(root, path, errors) else {
            continue;
        };
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        if stem == "index" {
            errors.push(Diagnostic::new(
                &rel(root, path),
                0,
                "`index.md` is made from protocol.toml: rename this file, like 00-introduction.md",
            ));
            continue;
        }
        let file = rel(root, path);
        match markdown::parse_chapter(&file, &stem, &text) {
            Ok(chapter) => {
                for p in &chapter.paragraphs {
                    if let Some(first) = paragraphs.get(&p.id) {
                        errors.push(Diagnostic::new(
                            &file,
                            p.line,
                            format!(
                                "paragraph id `r[{}]` is used twice (first at {}:{}): give this one its own id",
                                p.id, first.file, first.line
                            ),
                        ));
                    } else {
                        paragraphs.insert(p.id.clone(), p.clone());
                    }
                }
                chapters.push(chapter);
            }
            Err(e) => errors.extend(e),
        }
    }
    let meta = meta?;
    let source_path = dir.join(&meta.source);
    let source = match fs::read_to_string(&source_path) {
        Ok(s) => s,
        Err(e) => {
            // Said where it can be fixed: the `source` line of protocol.toml.
            errors.push(Diagnostic::new(
                &rel(root, &meta_path),
                meta.source_line,
                format!(
                    "cannot read the source file `{}` that `source` names: {e}",
                    meta.source
                ),
            ));
            String::new()
        }
    };
    let texts: load::Paragraphs = paragraphs
        .iter()
        .map(|(k, p)| (k.clone(), p.text.clone()))
        .collect();
    let rules_path = dir.join("rules.toml");
    let rules = read(root, &rules_path, errors)
        .and_then(|text| {
            load::rules_with(&rel(root, &rules_path), &text, &texts, vocabulary)
                .map_err(|e| errors.extend(e))
                .ok()
        })
        .unwrap_or_default();
    let scen_path = dir.join("scenarios.toml");
    let scenarios = read(root, &scen_path, errors)
        .and_then(|text| {
            load::scenarios(&rel(root, &scen_path), &text, &rules.rules)
                .map_err(|e| errors.extend(e))
                .ok()
        })
        .unwrap_or_default();
    if errors.len() > before {
        return None;
    }
    let chapter_of = paragraphs
        .iter()
        .map(|(pid, p)| (pid.clone(), p.chapter.clone()))
        .collect();
    let mut protocol = Protocol {
        id: id.to_string(),
        title: meta.title.clone(),
        short_title: meta.short_title.clone(),
        authority: meta.authority.clone(),
        version: meta.version.clone(),
        rules: rules.rules.clone(),
        paragraphs: chapter_of,
        holidays: holidays.clone(),
        implies: rules.implies.clone(),
        main_questions: Vec::new(),
        vocabulary: vocabulary
            .map(|v| v.used_by(&rules.rules))
            .unwrap_or_default(),
    };
    let cases: Vec<_> = scenarios.iter().map(|s| s.case.clone()).collect();
    let weights = handbook_engine::questions::weights(&protocol, &cases);
    protocol.main_questions = handbook_engine::questions::main_questions(&protocol, &weights);
    Some(ProtocolContent {
        id: id.to_string(),
        dir: dir.to_path_buf(),
        meta,
        chapters,
        paragraphs,
        rules,
        scenarios,
        source,
        protocol,
    })
}

#[cfg(test)]
mod tests {
    use handbook_engine::bundle;

    /// The checker answers from exactly the rules the build checked: every rule, with its
    /// bounds and timescales, and every bank holiday, survive the checker's file unchanged;
    /// only what is for editors is left out.
    #[test]
    fn the_checkers_file_is_the_checked_rule_data() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../protocols");
        let library = super::load(&root, None).expect("the protocols load");
        let bytes = bundle::encode(&library.checker_rules()).expect("encodes");
        let read = bundle::decode(&bytes).expect("decodes");
        assert_eq!(read.len(), library.protocols.len());
        for (b, loaded) in read.iter().zip(&library.protocols) {
            let p = &loaded.protocol;
            assert_eq!((&b.id, &b.title, &b.version), (&p.id, &p.title, &p.version));
            assert!(!b.rules.is_empty(), "{} has no rules", b.id);
            // Review records, lines in files and editors' notes (but a contradiction's) are not
            // for the checker.
            let contradicting: Vec<&str> = p
                .rules
                .iter()
                .filter_map(|r| r.contradicts.as_deref())
                .collect();
            let rules: Vec<_> = p
                .rules
                .iter()
                .cloned()
                .map(|mut r| {
                    r.checksum = None;
                    r.reviewed = None;
                    r.line = 0;
                    if r.contradicts.is_none() && !contradicting.contains(&&*r.id) {
                        r.note = None;
                    }
                    r
                })
                .collect();
            // The rules' vocabulary names (given back from the file's vocabulary) included.
            assert_eq!(b.rules, rules, "{}", b.id);
            assert!(
                b.rules.iter().any(|r| r.note.is_some()) != contradicting.is_empty(),
                "{}: only contradictions keep their notes",
                b.id
            );
            let names = |v: &handbook_engine::Vocabulary| -> Vec<(String, String)> {
                v.actions
                    .iter()
                    .chain(&v.actors)
                    .chain(&v.phases)
                    .map(|e| (e.id.to_string(), e.name.to_string()))
                    .collect()
            };
            assert_eq!(names(&b.vocabulary), names(&p.vocabulary), "{}", b.id);
            assert!(!b.vocabulary.actors.is_empty(), "{}", b.id);
            assert_eq!(b.holidays, p.holidays, "{}", b.id);
            assert!(!b.holidays.dates.is_empty());
            // Every cited paragraph still has its link, and only cited ones are carried.
            for rule in &b.rules {
                assert_eq!(b.link(&rule.paragraph), p.link(&rule.paragraph));
                assert!(!b.link(&rule.paragraph).is_empty(), "{}", rule.id);
            }
            assert!(
                b.paragraphs
                    .iter()
                    .all(|(para, _)| b.rules.iter().any(|r| *r.paragraph == **para)),
                "{}",
                b.id
            );
        }
    }

    /// A damaged file is an error the checker can show, not a panic.
    #[test]
    fn a_damaged_file_is_an_error() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../protocols");
        let library = super::load(&root, None).expect("the protocols load");
        let bytes = bundle::encode(&library.checker_rules()).expect("encodes");
        assert!(bundle::decode(&bytes[..bytes.len() / 2]).is_err());
        assert!(bundle::decode(b"").is_err());
    }
}
